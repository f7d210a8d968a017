"""Workbooks as spreadsheet programs leave them (issue 27): rows deleted in LibreOffice (the sheet
then reaches row 1.048.576), cells merged down a block, formulas a program wrote without their
values. The readers read the rows the sheet really holds, the merged value in every cell of its
range, a formula of constants as its value, and refuse any other formula without a stored value
naming the file, row and column. The fast tests build these shapes with openpyxl and by editing
the sheet XML; the slow ones let LibreOffice (headless, through UNO) do what an analyst does."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
from conftest import TINY, needs_lo, uno_python
from openpyxl import Workbook, load_workbook

from mcp_lib.app.cli import main
from mcp_lib.config import DATA_DIR
from mcp_lib.errors import InputError, Problems
from mcp_lib.framework.folder import load_framework
from mcp_lib.framework.workbook.reader import read_framework_workbook
from mcp_lib.framework.workbook.template import export_framework
from mcp_lib.io.rawfile import raw_columns
from mcp_lib.io.readers import read_table
from mcp_lib.pemda import tracker
from mcp_lib.pemda.settings import load_pemda
from mcp_lib.pemda.snapshot import SNAPSHOT_SCHEMA
from mcp_lib.pemda.tracker_import import read_tracker

LO_EDIT = Path(__file__).parent / "fixtures" / "lo" / "edit_sheet.py"
LAST_ROW = 1_048_576


# --- shapes made by hand ------------------------------------------------------------------------


def _sheet_xml(path: Path, sheet: str) -> str:
    """The name inside the .xlsx of the XML of worksheet ``sheet``."""
    wb = load_workbook(path, read_only=True)
    try:
        return wb[sheet]._worksheet_path.lstrip("/")
    finally:
        wb.close()


def _edit_xml(path: Path, sheet: str, change) -> None:
    """Rewrite the XML of worksheet ``sheet`` of ``path`` with ``change(text) -> text``."""
    name = _sheet_xml(path, sheet)
    tmp = path.with_suffix(".tmp.xlsx")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == name:
                data = change(data.decode("utf-8")).encode("utf-8")
            zout.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
    tmp.replace(path)


def _pad(path: Path, sheet: str, first: int = LAST_ROW - 2, cells: str = "") -> None:
    """Empty styled rows ``first``..1.048.576 at the end of the sheet and the dimension that
    reaches them, as LibreOffice writes a sheet whose rows were deleted (``first`` low: a sheet of
    a million styled rows); ``cells``: the columns each padded row has a styled empty cell in."""

    def change(text: str) -> str:
        columns = cells.split(",") if cells else []
        rows = "".join(
            f'<row r="{n}" s="1" customFormat="1" ht="12.8">'
            + "".join(f'<c r="{c}{n}" s="1"/>' for c in columns)
            + "</row>"
            for n in range(first, LAST_ROW + 1)
        )
        text = re.sub(r'<dimension ref="([A-Z]+)1:([A-Z]+)\d+"', rf'<dimension ref="\g<1>1:\g<2>{LAST_ROW}"', text)
        return text.replace("</sheetData>", rows + "</sheetData>")

    _edit_xml(path, sheet, change)


def _formulas(path: Path, sheet: str, cells: dict[str, str]) -> None:
    """Put formulas without a stored value in cells of ``sheet`` (``{"C2": "=30*2"}``), as openpyxl
    or another program writes them: no spreadsheet program computed them."""
    wb = load_workbook(path)
    for ref, formula in cells.items():
        wb[sheet][ref] = formula
    wb.save(path)
    assert "<v>" not in _cell_xml(path, sheet, next(iter(cells)))


def _cell_xml(path: Path, sheet: str, ref: str) -> str:
    with zipfile.ZipFile(path) as z:
        text = z.read(_sheet_xml(path, sheet)).decode("utf-8")
    return re.search(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)', text).group(0)


def _exported(tmp_path: Path, slug: str = "kota-lubuklinggau", period: str = "2023-10"):
    """A copy of a bundled pemda and the tracker ``mcp snapshot export`` writes for ``period``
    (importing it unchanged gives the same snapshot): (data root, tracker, snapshot file)."""
    root = tmp_path / "data"
    shutil.copytree(DATA_DIR / "pemda" / slug, root / "pemda" / slug)
    out = tmp_path / "tracker.xlsx"
    args = ["--data-dir", str(root), "snapshot", "export", "--pemda", slug, "--period", period, "--out", str(out)]
    assert main(args) == 0
    status = sorted((root / "pemda" / slug / "status").glob(f"{period}-*.csv"))[-1]
    return root, out, status


def _import(root: Path, out: Path, status: Path) -> int:
    date = status.stem
    return main(["snapshot", "import", str(out), "--date", date, "--data-dir", str(root), "--force"])


def _codes_in_rows(path: Path, rows: range) -> list[str]:
    ws = load_workbook(path, read_only=True)[tracker.SHEET]
    return [r[0] for r in ws.iter_rows(min_row=rows.start, max_row=rows.stop - 1, values_only=True)]


def test_a_sheet_padded_to_the_last_row_reads_its_real_rows(tmp_path):
    """LibreOffice keeps row elements down to row 1.048.576 after rows were deleted: the reader
    reads the 301 rows there are (was: 'terlalu banyak baris (lebih dari 10.000)')."""
    path = tmp_path / "status.xlsx"
    wb = Workbook()
    wb.active.append(["doc_code", "status"])
    for i in range(300):
        wb.active.append([f"D{i}", "belum"])
    wb.save(path)
    _pad(path, "Sheet")
    problems = Problems()
    columns = raw_columns(path, problems, max_rows=10_000)
    assert not problems.items, problems.items
    assert columns is not None and len(columns["doc_code"]) == 300 and columns["excel_row"][-1] == 301


def test_the_row_limit_counts_rows_with_data_not_row_elements(tmp_path):
    """20.000 empty styled rows between the header and three data rows: three rows, not 20.003."""
    path = tmp_path / "gaps.xlsx"
    wb = Workbook()
    wb.active.append(["a", "b"])
    wb.active["A20003"], wb.active["B20003"] = "x", 1
    wb.active["A20004"], wb.active["A20005"] = "y", "z"
    wb.save(path)
    _edit_xml(
        path,
        "Sheet",
        lambda t: t.replace(
            '<row r="20003"',
            "".join(f'<row r="{n}" s="0" customFormat="1"><c r="A{n}" s="0"/></row>' for n in range(2, 20003))
            + '<row r="20003"',
        ),
    )
    problems = Problems()
    columns = raw_columns(path, problems, max_rows=10_000)
    assert not problems.items and columns is not None
    assert columns["excel_row"] == [20003, 20004, 20005] and columns["a"] == ["x", "y", "z"]


def test_a_tracker_with_rows_deleted_names_the_missing_documents(tmp_path, capsys):
    """Three document rows deleted, the sheet padded as LibreOffice saves it: the import says which
    documents are missing (not 'terlalu banyak baris'), and writes nothing."""
    root, out, status = _exported(tmp_path)
    gone = _codes_in_rows(out, range(10, 13))
    wb = load_workbook(out)
    wb[tracker.SHEET].delete_rows(10, 3)
    wb.save(out)
    _pad(out, tracker.SHEET)
    before = status.read_bytes()
    assert _import(root, out, status) == 1
    err = capsys.readouterr().err
    assert "terlalu banyak baris" not in err
    for code in gone:
        assert f"dokumen {code} tidak ada di snapshot" in err
    assert status.read_bytes() == before


def test_merged_status_cells_give_their_value_to_every_row(tmp_path):
    """Six Status cells that agree merged (the top-left value kept, as Excel does): every row of
    the block has that status (was: 'isian kosong' for each hidden cell)."""
    root, out, status = _exported(tmp_path)
    wb = load_workbook(out)
    ws = wb[tracker.SHEET]
    column = next(c.column_letter for c in ws[1] if c.value == "Status")
    statuses = [ws[f"{column}{r}"].value for r in range(2, ws.max_row + 1)]
    first = next(i for i in range(len(statuses)) if len(set(statuses[i : i + 6])) == 1) + 2
    for r in range(first + 1, first + 6):
        ws[f"{column}{r}"] = None  # the hidden cells: emptied, as a merge leaves them
    ws.merge_cells(f"{column}{first}:{column}{first + 5}")
    wb.save(out)
    pemda = load_pemda("kota-lubuklinggau", root)
    snap, _table = read_tracker(out, pemda, load_framework(2023), dt.date.fromisoformat(status.stem))
    codes = _codes_in_rows(out, range(first, first + 6))
    docs = snap.documents.set_index("doc_code")
    assert list(docs.loc[codes, "status"]) == [statuses[first - 2]] * 6


def _framework_workbook(tmp_path: Path, fixture: Path = TINY) -> tuple[Path, object]:
    fw = load_framework(2023, fixture)
    out = tmp_path / "kerangka.xlsx"
    export_framework(fw, out)
    return out, fw


def test_merged_area_cells_in_struktur_read_as_the_unmerged_workbook(tmp_path):
    """The area code, name and weight merged down each area's block in Struktur, as people do in
    Excel: the same framework as before (was: 'isian kosong' for each hidden cell)."""
    out, fw = _framework_workbook(tmp_path)
    wb = load_workbook(out)
    ws = wb["Struktur"]
    rows = [r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value]
    blocks: dict[str, list[int]] = {}
    for r in rows:
        blocks.setdefault(ws.cell(r, 1).value, []).append(r)
    merged = 0
    for block in blocks.values():
        if len(block) > 1:
            for col in "ABC":
                for r in block[1:]:
                    ws[f"{col}{r}"] = None
                ws.merge_cells(f"{col}{block[0]}:{col}{block[-1]}")
            merged += 1
    assert merged
    wb.save(out)
    got = read_framework_workbook(out)
    assert got.subindicators.equals(fw.subindicators) and got.documents.equals(fw.documents)


def test_weights_written_as_formulas_without_values_are_computed(tmp_path):
    """Area weights a program wrote as formulas (``=60``, ``=15*2``, ``=(30-10)/2``; no value
    stored): 60, 30 and 10, not blanks shared equally."""
    out, _fw = _framework_workbook(tmp_path)
    ws = load_workbook(out, read_only=True)["Struktur"]
    codes = [r[0] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert set(codes) == {"A", "B", "C"}  # the tiny framework's areas, weighted 50, 30, 20 there
    formulas = {"A": "=60", "B": "=15*2", "C": "=(30-10)/2"}
    _formulas(out, "Struktur", {f"C{r}": formulas[c] for r, c in enumerate(codes, start=2)})
    got = read_framework_workbook(out)
    weights = got.subindicators.drop_duplicates("area_code").set_index("area_code")["area_weight"]
    assert weights.to_dict() == {"A": 60.0, "B": 30.0, "C": 10.0}


def test_a_formula_without_a_stored_value_is_refused_naming_row_and_column(tmp_path):
    """A formula that refers to cells (``=C2*1``) without its value: refused with the workbook,
    sheet, row and column, and what to do; never read as a blank weight."""
    out, _fw = _framework_workbook(tmp_path)
    _formulas(out, "Struktur", {"C3": "=C2*1"})
    with pytest.raises(InputError) as caught:
        read_framework_workbook(out)
    text = str(caught.value)
    assert "sheet Struktur, baris 3, kolom 'C (Bobot Area)': rumus tanpa nilai tersimpan" in text
    assert "=C2*1" in text and "simpan" in text


def test_a_formula_without_a_value_in_kerangka_is_read_or_refused(tmp_path):
    """Tahun as ``=2020+5``: 2025. As ``=YEAR(TODAY())``: refused once, naming the row."""
    out, _fw = _framework_workbook(tmp_path)
    wb = load_workbook(out)
    ws = wb["Kerangka"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Tahun")
    wb.close()
    _formulas(out, "Kerangka", {f"B{row}": "=2020+3"})
    assert read_framework_workbook(out).year == 2023
    _formulas(out, "Kerangka", {f"B{row}": "=YEAR(TODAY())"})
    with pytest.raises(InputError) as caught:
        read_framework_workbook(out)
    problems = [p for p in caught.value.problems if p.row == row]
    assert len(problems) == 1 and problems[0].message == "rumus tanpa nilai tersimpan"


def test_a_tracker_cell_with_a_formula_without_value_is_refused(tmp_path):
    """In a tracker: the status column holding ``=I2`` with no value is refused (was: 'isian
    kosong', as if the analyst had left it blank)."""
    _root, out, _status = _exported(tmp_path)
    wb = load_workbook(out, read_only=True)
    column = next(c.column_letter for c in next(wb[tracker.SHEET].iter_rows(max_row=1)) if c.value == "Status")
    wb.close()
    _formulas(out, tracker.SHEET, {f"{column}5": f"={column}4"})
    problems = Problems()
    read_table(out, SNAPSHOT_SCHEMA, problems, sheet=tracker.SHEET, aliases=tracker.ALIASES)
    assert [(p.row, p.message) for p in problems.items] == [(5, "rumus tanpa nilai tersimpan")]


@pytest.mark.parametrize(
    ("formula", "value"),
    [
        ("60", 60.0),
        ("30*2", 60.0),
        (" (100 - 40) / 2 ", 30.0),
        ("-5", -5.0),
        ("12.5", 12.5),
        ('"Kota ""A"""', 'Kota "A"'),
        ("1/0", None),
        ("A1*2", None),
        ("SUM(A1:A3)", None),
        ("2**3", None),
        ("__import__('os').system('x')", None),
        ("(" * 150 + "1" + ")" * 150, None),
        ("9" * 400 + "*" + "9" * 400, None),
    ],
)
def test_constant_formulas_are_computed_without_running_code(formula, value):
    from mcp_lib.io.rawfile import constant_formula

    assert constant_formula(formula) == value


# --- a million styled rows (slow: builds a 45-110 MB sheet) ---------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("cells", ["", "A,B,C"])
def test_a_million_styled_empty_rows_read_quickly(tmp_path, cells):
    """A sheet whose every row down to 1.048.576 is styled (empty row elements, or three styled
    empty cells each): the 300 rows of data, read in about a second (measured: 0.2 s and 0.5 s,
    where parsing every row took 5 s and 15 s)."""
    path = tmp_path / "padded.xlsx"
    wb = Workbook()
    wb.active.append(["kode", "nilai"])
    for i in range(300):
        wb.active.append([f"K{i}", i])
    wb.save(path)
    _pad(path, "Sheet", first=302, cells=cells)
    problems = Problems()
    start = time.perf_counter()
    columns = raw_columns(path, problems, max_rows=10_000)
    elapsed = time.perf_counter() - start
    assert not problems.items and columns is not None and len(columns["kode"]) == 300
    print(f"read in {elapsed:.2f} s")


# --- LibreOffice ---------------------------------------------------------------------------------


def _libreoffice(path: Path, sheet: str, port: int, *edits: str) -> None:
    subprocess.run(
        [uno_python(), str(LO_EDIT), str(path), sheet, str(port), *edits],
        check=True,
        capture_output=True,
        timeout=240,
    )


@pytest.mark.slow
@needs_lo
def test_libreoffice_deleting_tracker_rows_names_the_missing_documents(tmp_path, capsys):
    """The 2025 sample (680 documents): three document rows deleted in LibreOffice. The import
    names the three documents (was: 'terlalu banyak baris (lebih dari 10.000)'); two empty rows
    below the table deleted in a copy of the tracker: imported as before."""
    root, out, status = _exported(tmp_path, "kab-musi-rawas", "2025-10")
    gone = _codes_in_rows(out, range(30, 33))
    deleted = tmp_path / "deleted.xlsx"
    shutil.copy(out, deleted)
    _libreoffice(deleted, tracker.SHEET, 2093, "delete:30:3")
    assert f'<row r="{LAST_ROW}"' in _raw_xml(deleted, tracker.SHEET)
    before = status.read_bytes()
    assert _import(root, deleted, status) == 1
    err = capsys.readouterr().err
    assert "terlalu banyak baris" not in err
    assert [code for code in gone if f"dokumen {code} tidak ada di snapshot" in err] == gone
    assert status.read_bytes() == before

    blank = tmp_path / "blank.xlsx"
    shutil.copy(out, blank)
    n = load_workbook(out, read_only=True)[tracker.SHEET].max_row
    _libreoffice(blank, tracker.SHEET, 2094, f"blank:{n + 1}:2", f"delete:{n + 1}:2")
    assert f'<row r="{LAST_ROW}"' in _raw_xml(blank, tracker.SHEET)
    assert _import(root, blank, status) == 0, capsys.readouterr().err
    assert status.read_bytes() == before


@pytest.mark.slow
@needs_lo
def test_libreoffice_merging_status_cells_imports_the_merged_value(tmp_path, capsys):
    """Status cells of rows that share a status merged in LibreOffice: the same snapshot (was:
    'isian kosong' for each hidden cell)."""
    root, out, status = _exported(tmp_path, "kab-musi-rawas", "2025-10")
    ws = load_workbook(out, read_only=True)[tracker.SHEET]
    header = next(ws.iter_rows(max_row=1, values_only=True))
    col = header.index("Status")
    statuses = [r[col] for r in ws.iter_rows(min_row=2, values_only=True)]
    start = next(i for i in range(len(statuses) - 4) if len(set(statuses[i : i + 5])) == 1) + 2
    letter = chr(ord("A") + col)
    _libreoffice(out, tracker.SHEET, 2095, f"merge:{letter}{start}:{letter}{start + 4}")
    assert "mergeCell " in _raw_xml(out, tracker.SHEET)
    before = status.read_bytes()
    assert _import(root, out, status) == 0, capsys.readouterr().err
    assert status.read_bytes() == before


def _raw_xml(path: Path, sheet: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(_sheet_xml(path, sheet)).decode()


@pytest.mark.slow
@needs_lo
def test_libreoffice_merged_and_deleted_rows_in_a_framework_workbook(tmp_path):
    """The 2023 framework's workbook edited in LibreOffice: each area's code, name and weight merged
    down its block in Struktur and two empty rows below Dokumen's table deleted: the same
    framework (was: 'isian kosong' and 'lebih dari 50.000 baris'). Three document rows deleted
    instead: the sub-indicators whose parts no longer add up are named at their rows."""
    fw = load_framework(2023)
    out = tmp_path / "kerangka.xlsx"
    export_framework(fw, out)
    ws = load_workbook(out, read_only=True)["Struktur"]
    codes = [r[0] for r in ws.iter_rows(min_row=2, values_only=True)]
    edits = []
    for code in dict.fromkeys(c for c in codes if c):
        first = codes.index(code) + 2
        last = len(codes) - codes[::-1].index(code) + 1
        if last > first:
            edits += [f"merge:{col}{first}:{col}{last}" for col in "ABC"]
    docs = list(load_workbook(out, read_only=True)["Dokumen"].iter_rows(min_row=2, values_only=True))
    deleted = tmp_path / "deleted.xlsx"
    shutil.copy(out, deleted)
    _libreoffice(out, "Struktur", 2096, *edits)
    _libreoffice(out, "Dokumen", 2097, f"delete:{len(docs) + 2}:2")
    assert "mergeCell " in _raw_xml(out, "Struktur")
    assert f'<row r="{LAST_ROW}"' in _raw_xml(out, "Dokumen")
    got = read_framework_workbook(out)
    assert got.subindicators.equals(fw.subindicators) and got.documents.equals(fw.documents)

    subs = [d[0] for d in docs]
    one, two = [s for s in dict.fromkeys(subs) if subs.count(s) == 3][:2]  # of three documents each
    first, second = subs.index(one) + 2, subs.index(two) + 2
    _libreoffice(deleted, "Dokumen", 2098, f"delete:{second}:1", f"delete:{first}:2")  # the lower rows first
    with pytest.raises(InputError) as caught:
        read_framework_workbook(deleted)
    text = str(caught.value)
    assert "lebih dari" not in text
    assert f"baris {first}, kolom 'D (Bagian)': jumlah bagian dokumen sub-indikator {one} = " in text
    assert f"baris {second - 2}, kolom 'D (Bagian)': jumlah bagian dokumen sub-indikator {two} = " in text


def test_a_number_typed_as_text_with_a_dot_and_three_digits_is_refused_in_a_workbook(tmp_path):
    """'1.000' typed in a text cell of a workbook: one thousand to an Indonesian analyst, one to
    the parser (it was read as 1 without a word). Refused naming the cell; the same text in a
    CSV (the package's own files write 12.125) and a real number cell are read as before."""
    from mcp_lib.io.readers import Column, Schema, read_table

    schema = Schema("uji", (Column("kode", "text"), Column("usaha", "number", blank_ok=True)))
    wb = Workbook()
    ws = wb.active
    ws.append(["kode", "usaha"])
    ws.append(["A", "1.000"])
    ws.append(["B", 1.5])
    ws.append(["C", "12,5"])
    path = tmp_path / "uji.xlsx"
    wb.save(path)
    problems = Problems()
    read_table(path, schema, problems)
    said = [str(p) for p in problems.items]
    assert len(said) == 1 and "baris 2" in said[0] and "meragukan" in said[0] and "1000 atau 1" in said[0]
    csv = tmp_path / "uji.csv"
    csv.write_text("kode,usaha\nA,12.125\n", encoding="utf-8")
    problems = Problems()
    frame = read_table(csv, schema, problems)
    assert not problems and frame is not None and frame["usaha"].iloc[0] == 12.125
