"""rencana-aksi.xlsx: the action plan workbook (mcp_lib.action_workbook)."""

import re
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from mcp_lib import action_workbook


@pytest.fixture
def sample(lubuklinggau_2023_10):
    return lubuklinggau_2023_10


def test_action_workbook(sample, tmp_path):
    path = action_workbook.write_action_workbook(sample, tmp_path / "rencana-aksi.xlsx")
    wb = load_workbook(path)
    opds = list(sample.plan.by_opd["opd"])
    assert wb.sheetnames == ["Ringkasan", *opds]
    insp = wb["Inspektorat"]
    assert insp.freeze_panes == "A4"
    assert insp["A3"].value == "Kode" and insp["A3"].font.bold
    n_docs = int(sample.plan.by_opd.set_index("opd").loc["Inspektorat", "documents"])
    assert insp.max_row == 3 + n_docs
    assert insp.page_setup.orientation == "landscape"
    formulas = [c.coordinate for ws in wb for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []


def test_sheet_names_are_valid_and_unique():
    used = set()
    names = [action_workbook._sheet_name(n, used) for n in ["Dinas A/B: [x]", "Dinas A/B: [x]", "x" * 40]]
    assert names[0] == "Dinas A-B- -x-" and names[1] == "Dinas A-B- -x- (2)"
    assert all(len(n) <= 31 and not re.search(r"[\[\]:*?/\\]", n) for n in names)


def test_action_workbook_prints_cleanly(sample, tmp_path):
    """Row heights grow with wrapped text (LibreOffice let long document names overlap the next
    rows) and numbers have a format (points with two decimals, not 2.823)."""
    path = action_workbook.write_action_workbook(sample, tmp_path / "rencana-aksi.xlsx")
    ws = load_workbook(path)["Inspektorat"]
    header = [c.value for c in ws[3]]
    points, effort, chance = (header.index(h) for h in ("Poin", "Hari-orang", "Peluang diterima penuh"))
    for row in ws.iter_rows(min_row=4):
        assert row[points].number_format == "0.00" and row[effort].number_format == "0"
        assert row[chance].number_format == "0%"
        longest = max(len(str(c.value or "")) for c in row[:4])
        assert ws.row_dimensions[row[0].row].height >= 15 * (longest // 60 + 1)
    if shutil.which("soffice"):  # as LibreOffice shows it (where installed)
        out = tmp_path / "lo"
        subprocess.run(
            [
                "soffice",
                "--headless",
                "--convert-to",
                "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,2",
                "--outdir",
                str(out),
                str(path),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        lines = next(out.glob("*.csv")).read_text(encoding="utf-8").splitlines()[3:]
        shown = [line.split(",")[points] if '"' not in line else None for line in lines]
        assert all(re.fullmatch(r"\d+[.,]\d\d", s) for s in shown if s), shown
