import datetime as dt

import pandas as pd
import pytest
from openpyxl import Workbook

from mcp_lib.errors import Problems
from mcp_lib.io.rawfile import read_raw
from mcp_lib.io.readers import Column, Schema, parse_date, parse_number, read_table

SCHEMA = Schema(
    "t",
    (
        Column("doc_code", "code"),
        Column("status", "choice", choices=("belum", "perlu_perbaikan")),
        Column("points", "number", blank_ok=True, minimum=0, maximum=100),
        Column("due_date", "date", blank_ok=True),
        Column("note", "text", required=False, blank_ok=True),
    ),
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("87,5", 87.5),
        ("87.5", 87.5),
        ("87,5%", 87.5),
        (" 87 ", 87.0),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("1.234.567", 1234567.0),
        (50, 50.0),
        (12.5, 12.5),
        ("", None),
        (None, None),
        ("\xa065,0\xa0", 65.0),
        ("-3", -3.0),
    ],
)
def test_parse_number_accepts_indonesian_and_english_forms(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["abc", "8,7,5", "12..5", "1.2.3", "--1", True])
def test_parse_number_rejects_non_numbers(text):
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-10-31", dt.date(2023, 10, 31)),
        ("31/10/2023", dt.date(2023, 10, 31)),
        ("1/2/2023", dt.date(2023, 2, 1)),
        ("31-10-2023", dt.date(2023, 10, 31)),
        ("31.10.2023", dt.date(2023, 10, 31)),
        ("31 Oktober 2023", dt.date(2023, 10, 31)),
        ("5 Agt 2023", dt.date(2023, 8, 5)),
        ("2023-10-31 00:00:00", dt.date(2023, 10, 31)),
        (dt.datetime(2023, 10, 31, 8, 0), dt.date(2023, 10, 31)),
        ("", None),
    ],
)
def test_parse_date_is_day_first(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["31/02/2023", "kemarin", "2023/10", "10-31"])
def test_parse_date_rejects(text):
    with pytest.raises(ValueError):
        parse_date(text)


def _read(path):
    problems = Problems()
    frame = read_table(path, SCHEMA, problems)
    return frame, list(problems.items)


def test_indonesian_excel_csv_semicolons_decimal_comma_bom_cp1252(tmp_path):
    path = tmp_path / "s.csv"
    text = (
        " Doc_Code ; STATUS ;Points;Due Date;Note\r\na1.1;Perlu Perbaikan; 87,5% ;31/10/2023;Bagian Hukum – "
        "tunggu\r\n;;;;\r\nA1.2 ;belum;;;\r\n"
    )
    path.write_bytes(text.encode("cp1252"))
    frame, problems = _read(path)
    assert problems == []
    assert frame["doc_code"].tolist() == ["A1.1", "A1.2"]
    assert frame["status"].tolist() == ["perlu_perbaikan", "belum"]
    assert frame["points"].iloc[0] == 87.5
    assert pd.isna(frame["points"].iloc[1])
    assert frame["due_date"].iloc[0] == dt.date(2023, 10, 31)
    assert frame["note"].iloc[0] == "Bagian Hukum – tunggu"
    assert frame["excel_row"].tolist() == [2, 4]  # the blank row 3 is skipped, not renumbered

    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    frame_bom, problems = _read(bom)
    assert problems == []
    pd.testing.assert_frame_equal(frame, frame_bom)


def test_xlsx_reads_like_csv(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["doc_code", "Status", "points", "due_date"])
    ws.append(["A1.1", "perlu_perbaikan", 87.5, dt.datetime(2023, 10, 31)])
    ws.append(["A1.2", "belum", None, None])
    ws["C3"] = 0.5
    ws["C3"].number_format = "0%"
    wb.save(tmp_path / "s.xlsx")
    frame, problems = _read(tmp_path / "s.xlsx")
    assert problems == []
    assert frame["points"].tolist() == [87.5, 50.0]  # a %-formatted cell holds 0.5 for 50%
    assert frame["due_date"].iloc[0] == dt.date(2023, 10, 31)
    assert frame["excel_row"].tolist() == [2, 3]


def test_every_bad_cell_is_reported_with_row_and_column(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("doc_code,status,points,due_date\nA1,selesai,abc,31/13/2023\n,belum,101,\n", encoding="utf-8")
    _, problems = _read(path)
    found = {(p.row, p.column) for p in problems}
    assert found == {(2, "status"), (2, "points"), (2, "due_date"), (3, "doc_code"), (3, "points")}
    bad_status = next(p for p in problems if p.column == "status")
    assert bad_status.value == "selesai"
    assert "belum" in bad_status.expected
    assert str(path.name) in str(bad_status)


def test_missing_column_names_the_column_and_header_row(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("doc_code,points\nA1,5\n", encoding="utf-8")
    frame, problems = _read(path)
    assert frame is None
    assert [(p.row, p.column) for p in problems] == [(1, "status"), (1, "due_date")]
    assert "doc_code, points" in problems[0].expected


def _workbook(path, sheets):
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def test_the_sheet_holding_the_data_is_read_wherever_it_is(tmp_path):
    """A workbook whose first sheet is a note once read as 'berkas tidak berisi baris data'."""
    rows = [["doc_code", "status", "points", "due_date"], ["A.1", "belum", 50, None]]
    path = _workbook(tmp_path / "x.xlsx", [("Catatan", [["dibuat oleh Inspektorat"], ["Oktober"]]), ("Data", rows)])
    problems = Problems()
    table = read_table(path, SCHEMA, problems)
    assert not problems and table["doc_code"].tolist() == ["A.1"]
    # asked for a sheet that is not there (renamed): the matching one is read
    table = read_table(path, SCHEMA, problems, sheet="Status")
    assert not problems and len(table) == 1


def test_no_matching_sheet_names_the_sheets(tmp_path):
    path = _workbook(tmp_path / "x.xlsx", [("Catatan", [["halo"], ["x"]]), ("Lain", [["kode", "keadaan"], ["A", "b"]])])
    problems = Problems()
    assert read_table(path, SCHEMA, problems) is None
    text = " ".join(p.expected or "" for p in problems.items)
    assert "sheet yang dibaca: 'Catatan'" in text and "'Lain'" in text


@pytest.mark.parametrize("name", ["nope.csv", "rusak.xlsx"])
def test_a_file_the_raw_reader_refuses_gives_no_table(tmp_path, name):
    if name == "rusak.xlsx":
        (tmp_path / name).write_bytes(b"not a zip file")
    raw = Problems()
    assert read_raw(tmp_path / name, raw) is None
    frame, problems = _read(tmp_path / name)
    assert frame is None and [p.message for p in problems] == [p.message for p in raw.items]


def test_a_repeated_bad_value_is_reported_on_every_row_in_order(tmp_path):
    """Each distinct value is parsed once, but its problems are still given per row."""
    path = tmp_path / "s.csv"
    lines = ["doc_code,status,points,due_date", *(f"A{i},{'selesai' if i % 2 else 'belum'},{i}," for i in range(1, 8))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    frame, problems = _read(path)
    assert [(p.row, p.column, p.value) for p in problems] == [(r, "status", "selesai") for r in (2, 4, 6, 8)]
    assert frame["status"].tolist() == [None, "belum", None, "belum", None, "belum", None]
    assert frame["points"].tolist() == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]


def test_equal_cells_of_different_types_are_parsed_by_their_own_type(tmp_path):
    """In a workbook TRUE, 1 and 1.0 are equal as Python values but not as numbers: TRUE is refused."""
    wb = Workbook()
    ws = wb.active
    ws.append(["doc_code", "status", "points", "note", "due_date"])
    ws.append(["A1", "belum", 1, 1, None])
    ws.append(["A2", "belum", True, 1.0, None])
    ws.append(["A3", "belum", 1.0, True, None])
    wb.save(tmp_path / "s.xlsx")
    frame, problems = _read(tmp_path / "s.xlsx")
    assert [(p.row, p.column) for p in problems] == [(3, "points")]
    assert frame["points"].tolist()[::2] == [1.0, 1.0]
    assert frame["note"].tolist() == ["1", "1", "True"]


def test_values_parse_the_same_in_any_column_whatever_else_is_in_it(tmp_path):
    """Parsing distinct values once gives, cell for cell, what parsing each cell gives."""
    import random

    cells = ["1", "1.5", " 2 ", "", "abc", "87%", "-1", "31/10/2023", "belum", "Perlu Perbaikan", "x" * 3]
    rng = random.Random(7)
    for _ in range(30):
        rows = [[f"A{i}", rng.choice(cells), rng.choice(cells), rng.choice(cells)] for i in range(12)]
        path = tmp_path / "s.csv"
        path.write_text(
            "doc_code,status,points,due_date\n" + "\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8"
        )
        frame, problems = _read(path)
        single = []
        for i, r in enumerate(rows):
            one = tmp_path / "one.csv"
            one.write_text("doc_code,status,points,due_date\n" + ",".join(r) + "\n", encoding="utf-8")
            f1, p1 = _read(one)
            single.append((f1.drop(columns="excel_row").iloc[0].tolist(), [(p.column, i + 2, p.message) for p in p1]))
            got = frame.drop(columns="excel_row").iloc[i].tolist()
            assert [None if v != v else v for v in got] == [None if v != v else v for v in single[-1][0]]
        # problems come column by column, each column's rows in order
        assert [(p.column, p.row, p.message) for p in problems] == sorted(
            (m for _, ps in single for m in ps), key=lambda m: (SCHEMA.names.index(m[0]), m[1])
        )


def test_a_file_reads_the_same_after_other_files_as_first(tmp_path):
    """Cell texts parsed without a problem are kept across files (per column): a file read after
    others (their values kept, some of them the same) gives the same table and the same problems
    as the same file read first, with nothing kept."""
    import random

    from mcp_lib.io import readers

    cells = ["1", "1.5", " 2 ", "", "abc", "87%", "-1", "31/10/2023", "2023-10-31", "belum", "Perlu Perbaikan"]
    rng = random.Random(16)
    files = []
    for k in range(20):
        rows = [[f"a {i}", rng.choice(cells), rng.choice(cells), rng.choice(cells)] for i in range(10)]
        path = tmp_path / f"s{k}.csv"
        path.write_text("doc_code,status,points,due_date\n" + "\n".join(",".join(r) for r in rows) + "\n", "utf-8")
        files.append(path)

    def read(path):
        frame, problems = _read(path)
        return frame.astype(object).where(frame.notna(), None).to_numpy().tolist(), [
            (p.row, p.column, p.value, p.message) for p in problems
        ]

    first = []
    for path in files:
        readers._PARSED.clear()
        first.append(read(path))
    for path in files:  # warm: every value seen before
        read(path)
    assert any(readers._PARSED.values())
    assert [read(path) for path in files] == first
