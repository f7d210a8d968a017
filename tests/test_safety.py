"""Hardening: spreadsheet (formula) injection, path safety, nothing lost, large inputs, exit codes.

Every test here fails when its protection is removed (see each docstring for which one)."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess

import pandas as pd
import pytest
from conftest import TINY
from openpyxl import load_workbook

from mcp_lib.errors import InputError, Problems
from mcp_lib.readers import FORMULA_TRIGGERS, csv_safe, read_table, write_table
from mcp_lib.status import SNAPSHOT_SCHEMA, write_snapshot

FORMULAS = [
    '=HYPERLINK("http://evil.example","klik")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
]


def _no_formula_cells(path) -> list[str]:
    wb = load_workbook(path)
    return [
        f"{ws.title}!{c.coordinate}"
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    ]


def _raw_csv_cells(path, sep=",") -> list[str]:
    text = path.read_bytes().decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text, newline=""), delimiter=sep) for cell in row]


def test_csv_cells_that_start_a_formula_are_written_as_text_and_read_back_unchanged(tmp_path):
    """csv_safe: without it the raw cells start with = + - @ and Excel would evaluate them."""
    table = pd.DataFrame(
        {"doc_code": ["A.1.1.D1"] * len(FORMULAS), "note": FORMULAS, "n": range(len(FORMULAS))}
    )
    path = write_table(table, tmp_path / "x.csv")
    cells = _raw_csv_cells(path, ";")
    assert not [c for c in cells if c.startswith(FORMULA_TRIGGERS)], cells
    problems = Problems()
    schema = SNAPSHOT_SCHEMA.__class__("t", (SNAPSHOT_SCHEMA.columns[0], SNAPSHOT_SCHEMA.columns[-1]))
    back = read_table(path, schema, problems)
    assert not problems.items
    assert list(back["note"]) == [" ".join(f.split()) for f in FORMULAS]  # same text (spaces collapsed)


def test_negative_numbers_stay_numbers():
    assert csv_safe(-2.5) == -2.5 and csv_safe("-x") == "'-x" and csv_safe("x=1") == "x=1"


def test_snapshot_csv_is_safe_and_lossless(tmp_path, kota, tiny_fw):
    """write_snapshot (status files written by `mcp snapshot import`) guards notes and blockers."""
    from mcp_lib.status import load_snapshot

    src = TINY / "pemda" / "kota-contoh" / "status" / "2023-10-31.csv"
    problems = Problems()
    table = read_table(src, SNAPSHOT_SCHEMA, problems)[SNAPSHOT_SCHEMA.names]
    table.loc[0, "note"] = FORMULAS[0]
    table.loc[1, "blocker"] = FORMULAS[3]
    path = write_snapshot(table, tmp_path / "status" / "2023-10-31.csv")
    assert not [c for c in _raw_csv_cells(path) if c.startswith(FORMULA_TRIGGERS)]
    snap = load_snapshot(path, tiny_fw, kota)
    assert (
        snap.documents.loc[snap.documents["doc_code"] == table.loc[0, "doc_code"], "note"].item()
        == FORMULAS[0]
    )


def test_xlsx_written_from_data_has_no_formula_cells(tmp_path):
    """write_table's xlsx (plans, `mcp plan --xlsx`): pandas' to_excel would write '=...' as formulas."""
    table = pd.DataFrame({"doc_code": ["A"] * len(FORMULAS), "note": FORMULAS})
    path = write_table(table, tmp_path / "x.xlsx")
    assert _no_formula_cells(path) == []
    values = [" ".join(c.value.split()) for c in load_workbook(path).active["B"][1:]]
    assert values == [" ".join(f.split()) for f in FORMULAS]


@pytest.fixture
def formula_data(tmp_path):
    """The tiny data root with formulas where an analyst types text: OPD, document and pemda
    names, blockers and notes."""
    root = tmp_path / "data"
    shutil.copytree(TINY, root)
    pemda = root / "pemda" / "kota-contoh"
    toml = pemda / "pemda.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace('name = "BPKAD"', "name = '=BPKAD+1'"), encoding="utf-8"
    )
    ev = root / "frameworks" / "mcp-2023" / "evidence.csv"
    frame = pd.read_csv(ev, dtype=str)
    frame.loc[frame.index[1], "doc_name"] = FORMULAS[0]
    frame.to_csv(ev, index=False)
    for path in (pemda / "status").glob("*.csv"):
        t = pd.read_csv(path, dtype=str, keep_default_na=False)
        t["opd"] = t["opd"].replace("BPKAD", "=BPKAD+1")
        t.loc[t.index[2], "note"] = FORMULAS[6]
        t.loc[t.index[3], "blocker"] = FORMULAS[3]
        t.to_csv(path, index=False)
    return root


def test_action_workbook_and_tracker_from_formula_data_have_no_formulas(formula_data, tmp_path):
    from mcp_lib import brief, tracker
    from mcp_lib.framework import load_framework
    from mcp_lib.status import load_pemda

    b = brief.prepare("kota-contoh", "2023-10", formula_data)
    plan = brief.write_action_workbook(b, tmp_path / "rencana-aksi.xlsx")
    pemda = load_pemda("kota-contoh", formula_data)
    fw = load_framework(2023, formula_data)
    t = tracker.export_tracker(pemda, fw, "2023-10", tmp_path / "tracker.xlsx")
    for path in (plan, t):
        assert _no_formula_cells(path) == [], path
    texts = [c.value for ws in load_workbook(t).worksheets for row in ws.iter_rows() for c in row]
    assert FORMULAS[0] in texts and "=BPKAD+1" in texts  # shown as text, not lost


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_shows_the_text_not_a_result(formula_data, tmp_path):
    """Opened headless in LibreOffice, the cells read as the text typed, never a computed value."""
    from mcp_lib import brief

    b = brief.prepare("kota-contoh", "2023-10", formula_data)
    plan = brief.write_action_workbook(b, tmp_path / "rencana-aksi.xlsx")
    table = pd.DataFrame({"note": FORMULAS[:4]})
    csv_path = write_table(table, tmp_path / "x.csv")
    for src in (plan, csv_path):
        out = tmp_path / f"lo-{src.stem}"
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(out), str(src)],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        text = next(out.glob("*.csv")).read_text(encoding="utf-8", errors="replace")
        assert "#NAME" not in text and "Err:" not in text
        if src == csv_path:
            assert "+1+1" in text and "2" not in text.replace("-2+3", "")


def test_read_back_xlsx_with_formula_text_is_an_input_not_a_formula(tmp_path, kota, tiny_fw):
    """A status .xlsx whose cell holds a real formula is read as its cached value only
    (data_only): a formula never runs and its text never becomes a code or status."""
    from openpyxl import Workbook

    from mcp_lib.status import load_snapshot

    src = TINY / "pemda" / "kota-contoh" / "status" / "2023-10-31.csv"
    frame = pd.read_csv(src, dtype=str, keep_default_na=False)
    wb = Workbook()
    ws = wb.active
    ws.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        ws.append(list(row))
    ws["C2"] = '=IF(1,"diverifikasi")'  # a formula in the status column, no cached value
    path = tmp_path / "2023-10-31.xlsx"
    wb.save(path)
    with pytest.raises(InputError) as info:
        load_snapshot(path, tiny_fw, kota)
    assert any(p.row == 2 and p.column == "status" for p in info.value.problems)
