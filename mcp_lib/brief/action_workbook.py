"""``rencana-aksi.xlsx``: the action plan as a workbook, a sheet per OPD, ready to print.

Each OPD sheet is a task list its head can act on: what to do with each document, its status in
words, the planned finish month and the due date, how many days it is overdue, the blocker and the
verifier's note. Sheets print on A4 landscape, one page wide: the columns are narrow enough to
fit the page unshrunk, so the text prints at the house size (:data:`mcp_lib.io.workbook.BODY_PT`;
fit to width only guards the edge). Fonts, fills, borders and print settings: :mod:`mcp_lib.io.workbook`.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from mcp_lib import text
from mcp_lib.brief.data import BriefData
from mcp_lib.io import workbook
from mcp_lib.io.workbook import BODY_PT, CHARS_PER_WIDTH, LINE_PT, TITLE_PT, cell_value, keep_as_text
from mcp_lib.scoring import overdue
from mcp_lib.statuses import PERLU_PERBAIKAN, STATUS_LABELS

__all__ = ["write_action_workbook"]

_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class _Column:
    """A table column: header, width (units of the default font's digit), number format."""

    label: str
    width: int
    number_format: str = ""
    centre: bool = False


# An A4 landscape page holds about 146 width units between the house margins at 100% (5.5 pt a
# unit in LibreOffice, 5.25 in Excel): the widths add up to less, so the sheets print one page
# wide without shrinking the text.
OPD_COLUMNS = (
    _Column("Kode", 10),
    _Column("Dokumen", 30),
    _Column("Tindakan", 12),
    _Column("Status", 11),
    _Column("Catatan verifikator", 17),
    _Column("Hambatan", 11),
    _Column("Tenggat", 11),
    _Column("Terlambat", 10, '0 "hari"', centre=True),
    _Column("Rencana selesai", 10),
    _Column("Poin", 6, "0.00"),
    _Column("Hari-orang", 6),  # no format: half a day shows as 0,5, not rounded to 1
    _Column("Cadangan", 10, centre=True),
)
SUMMARY_COLUMNS = (
    _Column("OPD", 30),
    _Column("Dokumen", 10, "0"),
    _Column("Terlambat", 10, "0"),
    _Column("Perlu perbaikan", 11, "0"),
    _Column("Cadangan", 10, "0"),
    _Column("Hari-orang", 10),
    _Column("Kapasitas sampai tenggat (hari-orang)", 14, "0"),
    _Column("Poin", 8, "0.00"),
    _Column("Mulai", 14),
    _Column("Selesai", 14),
)


def write_action_workbook(b: BriefData, path: Path | str) -> Path:
    """Write ``rencana-aksi.xlsx``: a cover sheet ``Ringkasan`` and a sheet per OPD with its
    documents, in the plan's order.

    Values only, never formulas; texts from the data that could read as a formula are kept as
    text. Statuses, months and dates are in Indonesian; a document whose due date has passed on
    the data date and that is not (re)uploaded yet is marked overdue in words and in colour. The
    file's created/modified stamp is the data date, so the same data gives the same file.
    """
    docs = _plan_rows(b)
    wb = workbook.new_workbook()
    styles = workbook.Styles()
    _summary_sheet(wb.active, b, docs, styles)
    used = {"ringkasan"}
    for opd in b.plan.by_opd["opd"]:
        _opd_sheet(wb.create_sheet(_sheet_name(opd, used)), b, opd, docs[docs["opd"] == opd], styles)
    stamp = dt.datetime.combine(b.snapshot.date, dt.time())
    return workbook.save(wb, path, stamp=stamp, backup=False)


def _plan_rows(b: BriefData) -> pd.DataFrame:
    """The plan's documents (``b.plan.documents``) with the verifier's ``note`` (from the scored
    snapshot), ``days_late`` (days past the due date on the data date for a document still to
    deliver, else missing) and the Indonesian ``status_label``, ``due_text`` and ``finish_text``."""
    docs = b.plan.documents.copy()
    notes = b.scores.documents.drop_duplicates("doc_code").set_index("doc_code")["note"]
    docs["note"] = docs["doc_code"].map(notes)
    due = pd.to_datetime(docs["due_date"], errors="coerce")
    late = overdue(docs["status"], due, b.snapshot.date)  # the brief's "lewat tenggat"
    docs["days_late"] = (pd.Timestamp(b.snapshot.date) - due).dt.days.where(late)
    docs["status_label"] = docs["status"].map(_status_label)
    docs["due_text"] = [None if pd.isna(d) else text.date(d.date()) for d in due]
    docs["finish_text"] = docs["due_month"].map(_month_text)
    return docs


def _status_label(code: str) -> str:
    """A status in words, short enough for a table cell: ``perlu_perbaikan`` → ``perlu perbaikan``."""
    return re.split(r"[:(]", STATUS_LABELS.get(code, code))[0].strip()


def _month_text(value: object) -> str | None:
    """A month, ``'2023-11'`` or a date, in Indonesian: ``November 2023`` (missing: ``None``)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return text.month(pd.Timestamp(value).date())


def _summary_sheet(ws, b: BriefData, docs: pd.DataFrame, styles: workbook.Styles) -> None:
    v = b.plan.verdict
    ws.title = "Ringkasan"
    late, returned = _count(docs, docs["days_late"].notna()), _count(docs, docs["status"] == PERLU_PERBAIKAN)
    titles = [
        f"Rencana aksi MCP {b.pemda.name}",
        f"Data per {text.date(b.snapshot.date)}. Nilai terverifikasi {text.percent(v.current)}; "
        f"target {text.percent(b.target, 0)}; nilai setelah rencana {text.percent(v.score_after)} "
        "bila semua dokumen diterima verifikator.",
        f"Rencana: {v.documents} dokumen ({v.reserve_documents} cadangan), "
        f"{text.number(v.effort, 0)} hari-orang; {late.sum()} dokumen terlambat, "
        f"{returned.sum()} perlu perbaikan. Rincian per OPD ada di lembar masing-masing.",
        _LEGEND,
    ]
    rows = [
        [
            r.opd,
            r.documents,
            int(late.get(r.opd, 0)),
            int(returned.get(r.opd, 0)),
            r.reserve,
            round(r.effort, 2),
            "tidak dibatasi" if pd.isna(r.capacity) else round(r.capacity),
            round(r.points, 3),
            _month_text(r.first_month),
            _month_text(r.last_month),
        ]
        for r in b.plan.by_opd.itertuples()
    ]
    _table(ws, styles, titles, SUMMARY_COLUMNS, rows, footer=_footer(b))


_LEGEND = (
    "Terlambat: tenggat sudah lewat pada tanggal data dan dokumen belum diunggah (atau belum diunggah "
    "ulang). Cadangan: dokumen tambahan, berjaga-jaga bila ada dokumen yang dikembalikan verifikator."
)


def _opd_sheet(ws, b: BriefData, opd: str, g: pd.DataFrame, styles: workbook.Styles) -> None:
    late, returned = int(g["days_late"].notna().sum()), int((g["status"] == PERLU_PERBAIKAN).sum())
    titles = [
        f"{opd}: {len(g)} dokumen, {late} terlambat, {returned} perlu perbaikan",
        f"{_footer(b)}; {text.number(g['effort'].sum(), 0)} hari-orang.",
        _LEGEND,
    ]
    rows = [
        [
            d.doc_code,
            _document(d.doc_name, d.subindicator_name),
            d.action,
            d.status_label,
            d.note,
            d.blocker,
            d.due_text,
            None if pd.isna(d.days_late) else int(d.days_late),
            d.finish_text,
            round(d.gain, 3),
            round(d.effort, 2),
            "cadangan" if d.reserve else "",
        ]
        for d in g.itertuples()
    ]
    late_rows = [i for i, days in enumerate(g["days_late"]) if pd.notna(days)]
    _table(ws, styles, titles, OPD_COLUMNS, rows, late_rows, _footer(b))


def _footer(b: BriefData) -> str:
    return f"Rencana aksi MCP {b.pemda.name}, data per {text.date(b.snapshot.date)}"


def _document(name: str, subindicator: object) -> str:
    """The document's name, with its sub-indicator as a second line unless the name holds it."""
    sub = "" if _missing(subindicator) else str(subindicator)
    return name if not sub or sub in name else f"{name}\nSub-indikator: {sub}"


def _count(docs: pd.DataFrame, mask: pd.Series) -> pd.Series:
    return docs[mask].groupby("opd").size()


def _table(
    ws,
    styles: workbook.Styles,
    titles: list[str],
    columns: tuple[_Column, ...],
    rows: list[list],
    late_rows: Sequence[int] = (),
    footer: str = "",
) -> None:
    """Title lines, a blank row, then the header and ``rows``, styled and set up for printing;
    ``late_rows`` (0-based indices into ``rows``) get the overdue fill."""
    _titles(ws, titles, columns)
    start = len(titles) + 2
    labels = [c.label for c in columns]
    workbook.header_row(ws, labels, start, height=_row_height(labels, columns))
    workbook.table_grid(ws, start, start, len(columns))
    late = set(late_rows)
    for i, values in enumerate(rows):
        _row(ws, styles, start + 1 + i, values, columns, late=i in late)
    workbook.column_widths(ws, [c.width for c in columns])
    workbook.auto_filter(ws, start, len(columns), ws.max_row)
    workbook.print_setup(ws, start, len(columns), footer)  # each OPD's printout starts at page 1


def _titles(ws, titles: list[str], columns: tuple[_Column, ...]) -> None:
    """Title lines above the table, each merged across its width and wrapped: a long pemda or OPD
    name stays on the printed page instead of running past the last column."""
    width = sum(c.width for c in columns)
    for i, line in enumerate(titles, start=1):
        size = TITLE_PT if i == 1 else BODY_PT
        cell = keep_as_text(ws.cell(row=i, column=1, value=line))
        cell.font, cell.alignment = workbook.font("title" if i == 1 else "body"), workbook.wrapped()
        ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=len(columns))
        # bold title characters are about a fifth wider than the body's per point of size
        per_line = int(width * CHARS_PER_WIDTH * BODY_PT / size / (1.2 if i == 1 else 1))
        ws.row_dimensions[i].height = LINE_PT * size / BODY_PT * _wrapped_lines(line, per_line) + 3


def _row(
    ws, styles: workbook.Styles, row: int, values: list, columns: tuple[_Column, ...], *, late: bool = False
) -> None:
    """A row of the table below the header, in the house font (the workbook's default), in the
    table's grid; ``late``: on the overdue fill."""
    for j, (value, column) in enumerate(zip(values, columns, strict=True), start=1):
        cell = keep_as_text(ws.cell(row=row, column=j, value=cell_value(value)))
        number = bool(column.number_format) and isinstance(cell.value, int | float)
        styles.apply(
            cell, (column, number, late), functools.partial(_cell_style, column=column, number=number, late=late)
        )
    ws.row_dimensions[row].height = _row_height(values, columns)


def _cell_style(cell, *, column: _Column, number: bool, late: bool) -> None:
    cell.alignment = workbook.wrapped("center" if column.centre else None)
    if number:
        cell.number_format = column.number_format
    if late:
        cell.fill = workbook.fill(workbook.OVERDUE_FILL)
    cell.border = workbook.grid_border()


def _row_height(values: list, columns: tuple[_Column, ...]) -> float:
    """Points for the row's longest wrapped cell: spreadsheets do not grow a row for wrapped text
    written by a program (LibreOffice let long names overlap the next rows)."""
    lines = 1
    for value, column in zip(values, columns, strict=True):
        per_line = max(int(column.width * CHARS_PER_WIDTH), 1)
        if not _missing(value):
            lines = max(lines, sum(_wrapped_lines(part, per_line) for part in str(value).split("\n")))
    return LINE_PT * lines + 3


def _wrapped_lines(line: str, per_line: int) -> int:
    """Lines ``line`` takes when wrapped at word boundaries to ``per_line`` characters."""
    count, used = 1, 0
    for word in line.split():
        need = used + 1 + len(word) if used else len(word)
        if need <= per_line:
            used = need
            continue
        # a new line unless this word starts one; a word longer than a line is broken
        count += (1 if used else 0) + (len(word) - 1) // per_line
        used = (len(word) - 1) % per_line + 1
    return count


def _sheet_name(name: str, used: set[str]) -> str:
    base = _SHEET_BAD.sub("-", name).strip("'")[:31] or "OPD"
    out, i = base, 2
    while out.lower() in used:
        suffix = f" ({i})"
        out, i = base[: 31 - len(suffix)] + suffix, i + 1
    used.add(out.lower())
    return out


def _missing(value: object) -> bool:
    return value is None or value is pd.NaT or (isinstance(value, float) and pd.isna(value))
