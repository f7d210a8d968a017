"""Filling a dashboard-counts sheet (mcp_lib.pemda.counts) as an analyst does in Excel, for the
tests of the counts reader, their scores and ``mcp snapshot counts``; and the sample sheet of
tests/fixtures/counts/ (``python tests/counts_sheet.py`` writes it again)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from openpyxl import load_workbook

from mcp_lib.pemda.counts import COLUMNS, COUNTS, SHEET, AreaCounts

SAMPLE = Path(__file__).parent / "fixtures" / "counts" / "kab-musi-rawas-2025-10-31.xlsx"
"""Kabupaten Musi Rawas's dashboard on 31 October 2025, as its latest snapshot gives it (area
scores to two decimals, no dashboard total: the 2025 area weights are a reconstruction)."""
DIGITS = 2
"""Decimals of an area score on the dashboard."""


def letter(name: str) -> int:
    """The sheet's column number of a column name."""
    return [c.name for c in COLUMNS].index(name) + 1


def area_rows(ws) -> dict[str, int]:
    """Area code → its row in the sheet."""
    return {ws.cell(row=r, column=letter("area_code")).value: r for r in range(2, ws.max_row + 1)}


def fill_counts(path: Path, counts: AreaCounts, *, total: float | None = None, digits: int = DIGITS) -> Path:
    """Type ``counts`` (its date, each area's score rounded to ``digits`` and its counts) and the
    dashboard ``total`` into a blank sheet, save."""
    wb = load_workbook(path)
    ws = wb[SHEET]
    ws.cell(row=2, column=letter("data_date"), value=dt.datetime.combine(counts.date, dt.time()))
    if total is not None:
        ws.cell(row=2, column=letter("dashboard_total"), value=total)
    rows = area_rows(ws)
    for rec in counts.areas.to_dict("records"):
        r = rows[rec["area_code"]]
        ws.cell(row=r, column=letter("area_score"), value=round(float(rec["area_score"]), digits))
        for name in COUNTS:
            ws.cell(row=r, column=letter(name), value=int(rec[name]))
    wb.save(path)
    return path


def set_cells(path: Path, cells: dict[tuple[int, str], object]) -> Path:
    """Type values into cells given by (row, column name), save."""
    wb = load_workbook(path)
    ws = wb[SHEET]
    for (row, name), value in cells.items():
        ws.cell(row=row, column=letter(name)).value = value  # None empties the cell
    wb.save(path)
    return path


def write_sample(path: Path = SAMPLE) -> Path:
    """The sample sheet: the template of Kabupaten Musi Rawas filled from its latest snapshot."""
    from mcp_lib.count_scores import counts_from_snapshot
    from mcp_lib.framework.folder import load_framework
    from mcp_lib.pemda.counts import write_counts_template
    from mcp_lib.pemda.settings import load_pemda
    from mcp_lib.pemda.snapshot import list_snapshots, load_snapshot

    pemda = load_pemda("kab-musi-rawas")
    fw = load_framework(pemda.framework_year)
    date, snap_path = list_snapshots(pemda)[-1]
    counts = counts_from_snapshot(fw, pemda, load_snapshot(snap_path, fw, pemda, date))
    path.unlink(missing_ok=True)  # our own file: written again, no backup kept
    return fill_counts(write_counts_template(fw, pemda, path), counts)


if __name__ == "__main__":
    print(write_sample(Path(sys.argv[1]) if len(sys.argv) > 1 else SAMPLE))
