"""Raw rows of CSV and XLSX files: decoding, delimiters, empty and unreadable files, Excel rows."""

import pytest
from openpyxl import Workbook

from mcp_lib.errors import Problems
from mcp_lib.io.rawfile import clean_text, decode, normalise_header, read_raw


def _read(path):
    problems = Problems()
    frame = read_raw(path, problems)
    return frame, list(problems.items)


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (b"\xef\xbb\xbfkode;nilai", "kode;nilai"),  # UTF-8 with BOM (Excel's "CSV UTF-8")
        ("kode;nilai".encode("utf-16"), "kode;nilai"),  # UTF-16 with BOM
        ("kode;nilai".encode("utf-16-le"), "kode;nilai"),  # UTF-16 without BOM
        ("Bagian Hukum – tunggu".encode("cp1252"), "Bagian Hukum – tunggu"),  # Windows-1252
        ("Bagian Hukum – tunggu".encode(), "Bagian Hukum – tunggu"),  # UTF-8
    ],
)
def test_decode_reads_what_excel_and_notepad_write(raw, text):
    assert decode(raw) == text


def test_cell_text_and_headers_are_cleaned():
    assert clean_text("\xa0 Dinas  PUPR \u200b") == "Dinas PUPR"
    assert clean_text(None) == "" and clean_text(float("nan")) == "" and clean_text(12.0) == "12"
    assert clean_text("'=1+1") == "=1+1"  # the apostrophe that guards a formula (csv_safe) is dropped
    assert normalise_header(" Due  Date ") == "due_date" and normalise_header("Area-Weight") == "area_weight"


@pytest.mark.parametrize("sep", [";", ",", "\t"])
def test_the_separator_is_found_from_the_header_row(tmp_path, sep):
    path = tmp_path / "s.csv"
    path.write_text(f'kode{sep}"nama; lengkap, ya"{sep}nilai\nA1{sep}x{sep}"87,5"\n', encoding="utf-8")
    frame, problems = _read(path)
    assert problems == []
    assert list(frame.columns) == ["kode", "nama;_lengkap,_ya", "nilai", "excel_row"]
    assert frame.iloc[0].tolist() == ["A1", "x", "87,5", 2]


@pytest.mark.parametrize("content", ["", "\n\n", ";;;\n"])
def test_empty_file(tmp_path, content):
    path = tmp_path / "s.csv"
    path.write_text(content, encoding="utf-8")
    frame, problems = _read(path)
    assert frame is None
    assert "kosong" in problems[0].message


def test_header_only_file(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("doc_code,status\n", encoding="utf-8")
    frame, problems = _read(path)
    assert frame is None
    assert "tidak berisi baris data" in problems[0].message


def test_missing_file_and_unknown_format(tmp_path):
    _, problems = _read(tmp_path / "nope.csv")
    assert "tidak ditemukan" in problems[0].message
    (tmp_path / "x.ods").write_text("x")
    _, problems = _read(tmp_path / "x.ods")
    assert "format" in problems[0].message


def test_corrupt_xlsx_is_a_problem_not_a_crash(tmp_path):
    path = tmp_path / "s.xlsx"
    path.write_bytes(b"not a zip file")
    frame, problems = _read(path)
    assert frame is None
    assert "tidak dapat dibaca" in problems[0].message


def test_xlsx_rows_with_a_blank_first_cell_keep_their_excel_row(tmp_path):
    """openpyxl's read-only cells carry no row number when blank; rows must still be Excel's."""
    wb = Workbook()
    ws = wb.active
    ws.append(["a", "b"])
    ws.append([None, "x"])
    ws.append([])
    ws.append([None, "y"])
    wb.save(tmp_path / "t.xlsx")
    problems = Problems()
    frame = read_raw(tmp_path / "t.xlsx", problems)
    assert not problems.items
    assert list(frame["excel_row"]) == [2, 4] and list(frame["b"]) == ["x", "y"]
