"""``rencana-aksi.xlsx``: the action plan as a workbook, a sheet per OPD, ready to print."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd

from mcp_lib import text
from mcp_lib.brief_data import BriefData
from mcp_lib.html_blocks import range_text
from mcp_lib.readers import keep_as_text

__all__ = ["write_action_workbook"]


_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(name: str, used: set[str]) -> str:
    base = _SHEET_BAD.sub("-", name).strip("'")[:31] or "OPD"
    out, i = base, 2
    while out.lower() in used:
        suffix = f" ({i})"
        out, i = base[: 31 - len(suffix)] + suffix, i + 1
    used.add(out.lower())
    return out


def write_action_workbook(b: BriefData, path: Path | str) -> Path:
    """``rencana-aksi.xlsx``: a summary sheet and one sheet per OPD with its documents, finish
    months and points, formatted for printing (widths, frozen header, filters, A4 landscape,
    fit to width, header row repeated). Data cells are values, never formulas."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    header_font, header_fill = Font(bold=True), PatternFill("solid", fgColor="DDE5EE")
    wrap = Alignment(wrap_text=True, vertical="top")

    def sheet(
        ws, rows: list[list], widths: list[int], title_rows: list[str], formats: dict[int, str] | None = None
    ) -> None:
        for i, line in enumerate(title_rows, start=1):
            keep_as_text(ws.cell(row=i, column=1, value=line))
        start = len(title_rows) + 2  # a blank row between the titles and the table
        for i, r in enumerate(rows):
            for j, value in enumerate(r, start=1):
                cell = keep_as_text(ws.cell(row=start + i, column=j, value=_cell(value)))
                if i and formats and j in formats and isinstance(cell.value, int | float):
                    cell.number_format = formats[j]
        for cell in ws[start]:
            cell.font, cell.fill = header_font, header_fill
        for i, row in enumerate(ws.iter_rows(min_row=start), start=start):
            for cell in row:
                cell.alignment = wrap
            # Spreadsheets do not grow a row for wrapped text written by a program: set the height
            # from the longest wrapped cell (characters per line ≈ column width).
            lines = max(
                (-(-len(str(c.value)) // max(int(widths[c.column - 1] * 1.1), 1)) for c in row if c.value is not None),
                default=1,
            )
            ws.row_dimensions[i].height = 15 * max(lines, 1)
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = w
        ws.freeze_panes = ws.cell(row=start + 1, column=1)
        ws.auto_filter.ref = f"A{start}:{get_column_letter(len(widths))}{ws.max_row}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = f"{start}:{start}"
        ws["A1"].font = Font(bold=True, size=13)

    wb = Workbook()
    ws = wb.active
    ws.title = "Ringkasan"
    v = b.plan.verdict
    head = [
        f"Rencana aksi MCP {b.pemda.name}: {text.month(b.snapshot.date)}",
        f"Nilai terverifikasi {text.percent(v.current)}; target {text.percent(b.target, 0)}; "
        f"rencana {v.documents} dokumen ({v.reserve_documents} cadangan), {text.number(v.effort, 0)} hari-orang, "
        f"nilai setelah rencana {text.percent(v.score_after)} bila semua diterima; peluang mencapai target "
        f"{text.chance(v.p_target)} (nilai akhir 80%: {range_text(v.final_band[0], v.final_band[2])})",
    ]
    rows = [["OPD", "Dokumen", "Hari-orang", "Kapasitas sampai tenggat (hari-orang)", "Poin", "Mulai", "Selesai"]]
    for r in b.plan.by_opd.itertuples():
        rows.append(
            [
                r.opd,
                r.documents,
                r.effort,
                "tidak dibatasi" if pd.isna(r.capacity) else round(r.capacity),
                round(r.points, 3),
                r.first_month,
                r.last_month,
            ]
        )
    sheet(ws, rows, [28, 10, 12, 22, 10, 10, 10], head, {3: "0", 5: "0.00"})
    used = {"ringkasan"}
    for opd in b.plan.by_opd["opd"]:
        g = b.plan.documents[b.plan.documents["opd"] == opd]
        rows = [
            [
                "Kode",
                "Dokumen",
                "Sub-indikator",
                "Area",
                "Status",
                "Tindakan",
                "Selesai (bulan)",
                "Poin",
                "Hari-orang",
                "Tenggat",
                "Hambatan",
                "Cadangan",
                "Peluang diterima penuh",
            ]
        ]
        for d in g.itertuples():
            rows.append(
                [
                    d.doc_code,
                    d.doc_name,
                    d.subindicator_name,
                    d.area_name,
                    d.status,
                    d.action,
                    d.due_month,
                    round(d.gain, 3),
                    d.effort,
                    d.due_date,
                    d.blocker,
                    "cadangan" if d.reserve else "",
                    round(float(d.p_full), 4),
                ]
            )
        sheet(
            wb.create_sheet(_sheet_name(opd, used)),
            rows,
            [12, 48, 40, 26, 14, 22, 12, 8, 10, 12, 30, 11, 12],
            [f"{opd}: {len(g)} dokumen"],
            {8: "0.00", 9: "0", 13: "0%"},
        )
    stamp = dt.datetime.combine(b.snapshot.date, dt.time())
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.creator = "MCP Workbook"
    path = Path(path)
    wb.save(path)
    return path


def _cell(value: object) -> object:
    """A workbook cell value (missing values as empty cells)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return value
