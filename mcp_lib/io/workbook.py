"""The house style of every workbook the package writes (the tracker, the framework workbook,
``rencana-aksi.xlsx``, tables and the explorer's scenario): one font, one header row, the fills
that tell an analyst which cells to fill, the formats of code and date columns, data validation,
print settings, and saving (whole or not at all; with a stamp, the same bytes for the same data).

Writers style their cells through here only: no other module builds an openpyxl ``Font``,
``PatternFill``, ``Alignment``, ``Border`` or ``Side``, nor names a cell colour
(``tests/io/test_workbook.py`` checks both).
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import zipfile
from collections.abc import Callable, Hashable, Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from mcp_lib.files import write_via_temp

__all__ = [
    "DATE_FORMAT",
    "HEADER_FILL",
    "INPUT_FILL",
    "OVERDUE_FILL",
    "REFERENCE_FILL",
    "TEXT_FORMAT",
    "auto_filter",
    "cell_value",
    "column_widths",
    "fill",
    "font",
    "frame_sheet",
    "header_row",
    "keep_as_text",
    "new_workbook",
    "print_setup",
    "save",
    "save_stamped",
    "table_grid",
    "text_columns",
    "validate",
    "validate_between",
    "validate_date",
    "wrapped",
]

FONT = "Arial"
"""Every cell's font and the workbook's default, which sets the unit of column widths: a
metric-compatible font (Liberation Sans) comes with LibreOffice everywhere, so widths, wrapping
and the print scale are the same in Excel and LibreOffice. Calibri, openpyxl's default, is missing
from most Linux machines and its stand-in made every column a quarter wider."""
MONO = "Consolas"
"""Commands to type, on the help sheets."""
BODY_PT = 10
TITLE_PT = 12
LINE_PT = 13.0
"""Height of one line of :data:`BODY_PT` text in a row, in points."""
CHARS_PER_WIDTH = 1.05
"""Characters of :data:`BODY_PT` Arial per unit of column width (a unit is about a digit of the
default font, 5.3–5.6 pt): how many fit on one wrapped line, on the safe side."""
HEADER_HEIGHT = 30.0
"""A header row's height in points: two wrapped lines of a label."""

HEADER_FILL = "DDE7F0"
"""Header cells (light blue-grey)."""
ALT_HEADER_FILL = "E6EFD8"
"""A second header colour (light green), for groups of columns that alternate."""
INPUT_FILL = "FFF9E5"
"""Cells an analyst fills in (light yellow)."""
REFERENCE_FILL = "E1E5EA"
"""Cells that come from the framework or the program, not to be changed (grey)."""
OVERDUE_FILL = "F8CBAD"
"""Rows of work past its due date (light red)."""
GRID = "A6A6A6"
"""Thin grey cell borders of a printed table: on paper a number and the next column's text
would read as one phrase."""
WARNING = "9C0006"
"""Text that warns (dark red)."""

TEXT_FORMAT = "@"
"""The number format of code columns: a code typed as 1.10 stays "1.10" (not the number 1.1)."""
DATE_FORMAT = "DD/MM/YYYY"
DATE_RANGE = ("DATE(2000,1,1)", "DATE(2100,12,31)")
"""The dates a date cell accepts."""
MARGINS_IN = {"left": 0.25, "right": 0.25, "top": 0.5, "bottom": 0.5, "header": 0.25, "footer": 0.25}
"""Page margins in inches (Excel's "narrow" sides)."""

_FONTS: dict[str, dict[str, object]] = {
    "body": {},
    "bold": {"bold": True},
    "title": {"bold": True, "size": TITLE_PT},
    "warning": {"bold": True, "color": WARNING},
    "code": {"name": MONO},
}


# --- styles ---------------------------------------------------------------------------------------


def new_workbook() -> Any:
    """An empty workbook whose default font (of every cell, and the unit of column widths) is
    the house font."""
    from openpyxl import Workbook
    from openpyxl.utils.indexed_list import IndexedList

    wb = Workbook()
    body = font()
    # openpyxl has no public setter for the default font: the first font of the workbook is the
    # one of every unstyled cell, the Normal style's the unit of column widths.
    wb._fonts = IndexedList([body])
    wb._named_styles["Normal"].font = body
    return wb


def font(kind: str = "body") -> Any:
    """The house font: ``body``, ``bold`` (headers, labels), ``title`` (a sheet's first line),
    ``warning`` (bold dark red) or ``code`` (monospace, for commands)."""
    from openpyxl.styles import Font

    spec: dict[str, Any] = {"name": FONT, "size": BODY_PT} | _FONTS[kind]
    return Font(**spec)


def fill(colour: str) -> Any:
    """A solid fill of ``colour`` (``RRGGBB``)."""
    from openpyxl.styles import PatternFill

    return PatternFill("solid", fgColor=colour)


def wrapped(horizontal: str | None = None) -> Any:
    """Text wrapped within the cell, from the top (``horizontal="center"`` to centre it)."""
    from openpyxl.styles import Alignment

    return Alignment(wrap_text=True, vertical="top", horizontal=horizontal)


def header_row(
    ws: Any,
    labels: Sequence[str],
    row: int = 1,
    *,
    fills: Sequence[str] | None = None,
    height: float | None = HEADER_HEIGHT,
    freeze: int | None = 0,
) -> None:
    """Write ``labels`` in ``row`` from column A as a table's header: bold, on :data:`HEADER_FILL`
    (or ``fills``, one colour per label), wrapped. ``height`` in points (``None``: as the
    spreadsheet makes it); ``freeze`` keeps the rows down to the header and that many columns in
    view when scrolling (``None``: nothing frozen)."""
    for i, label in enumerate(labels, start=1):
        cell = keep_as_text(ws.cell(row=row, column=i, value=label))
        cell.font, cell.alignment = font("bold"), wrapped()
        cell.fill = fill(fills[i - 1] if fills else HEADER_FILL)
    if height is not None:
        ws.row_dimensions[row].height = height
    if freeze is not None:
        ws.freeze_panes = ws.cell(row=row + 1, column=freeze + 1).coordinate


def grid_border() -> Any:
    """Thin :data:`GRID` borders on every side of a cell (a table's cells)."""
    from openpyxl.styles import Border, Side

    side = Side(style="thin", color=GRID)
    return Border(left=side, right=side, top=side, bottom=side)


def table_grid(ws: Any, first_row: int, last_row: int, columns: int) -> None:
    """Thin :data:`GRID` borders around every cell of the table in rows ``first_row`` to
    ``last_row``, columns A to the ``columns``-th."""
    border = grid_border()
    for cells in ws.iter_rows(min_row=first_row, max_row=last_row, max_col=columns):
        for cell in cells:
            cell.border = border


class Styles:
    """Cell styles by key, for the many cells of a long table: the first cell of a key is styled
    by the given function (openpyxl's setters, which look each style object up in the workbook's
    lists by hashing and comparing it: most of a large workbook's time), every later cell of that
    key takes a copy of the first one's style, as openpyxl itself copies a cell's style. A cell
    holding a date or a time has a format openpyxl chose for its type as the value was set: it
    takes the style of the first cell of its key holding the same type. The file is the same as
    when every cell is styled by the setters. One per workbook."""

    def __init__(self) -> None:
        self._first: dict[Hashable, Any] = {}

    def apply(self, cell: Any, key: Hashable, style: Callable[[Any], object]) -> None:
        if isinstance(cell.value, dt.date | dt.time):
            key = (key, type(cell.value))
        first = self._first.get(key)
        if first is None:
            style(cell)
            self._first[key] = cell
        else:
            cell._style = copy.copy(first._style)


def column_widths(ws: Any, widths: Iterable[float]) -> None:
    """Widths of the columns from A on, in units of the default font's digit."""
    from openpyxl.utils import get_column_letter

    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width


def text_columns(ws: Any, columns: Iterable[int]) -> None:
    """Format whole columns (1-based) as text, so a code typed later stays as typed."""
    from openpyxl.utils import get_column_letter

    for c in columns:
        ws.column_dimensions[get_column_letter(c)].number_format = TEXT_FORMAT


def auto_filter(ws: Any, header_row: int, columns: int, last_row: int) -> None:
    """Filter buttons on the header of the table in columns A to the ``columns``-th, down to
    ``last_row`` (at least one row below the header)."""
    from openpyxl.utils import get_column_letter

    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(columns)}{max(last_row, header_row + 1)}"


def print_setup(ws: Any, header_row: int, columns: int, footer: str) -> None:
    """Print the sheet's table on A4 landscape, one page wide, with the header row on every page,
    page numbers from 1, and ``footer`` left and the sheet's name and page right at the bottom."""
    from openpyxl.utils import get_column_letter

    ws.print_area = f"A1:{get_column_letter(columns)}{ws.max_row}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    setup = ws.page_setup
    setup.orientation, setup.paperSize = "landscape", ws.PAPERSIZE_A4
    setup.fitToWidth, setup.fitToHeight = 1, 0
    setup.firstPageNumber, setup.useFirstPageNumber = 1, True
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    for side, inches in MARGINS_IN.items():
        setattr(ws.page_margins, side, inches)
    ws.print_options.horizontalCentered = True
    # "&" starts a code in a header or footer; "&&" prints one.
    ws.oddFooter.left.text = footer.replace("&", "&&")
    ws.oddFooter.right.text = "&A, halaman &P"
    for part in (ws.oddFooter.left, ws.oddFooter.right):
        part.size, part.font = BODY_PT, FONT


def validate(
    ws: Any,
    kind: str,
    ref: str,
    *,
    title: str,
    error: str,
    prompt: str = "",
    prompt_title: str = "",
    allow_blank: bool = True,
    **kwargs: Any,
) -> None:
    """Data validation of ``kind`` (``list``, ``decimal``, ``date``...) on the cells ``ref``:
    ``error`` under ``title`` when a value breaks it, ``prompt`` (under ``prompt_title``, else
    ``title``) shown when a cell is selected; ``kwargs`` as openpyxl's ``DataValidation`` takes
    them (``formula1``, ``errorStyle``...)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(
        type=kind,
        allow_blank=allow_blank,
        showErrorMessage=True,
        errorTitle=title,
        error=error,
        showInputMessage=bool(prompt),
        promptTitle=(prompt_title or title) if prompt else None,
        prompt=prompt or None,
        **kwargs,
    )
    dv.add(ref)
    ws.add_data_validation(dv)


def validate_between(
    ws: Any, ref: str, low: object, high: object, *, title: str, error: str, prompt: str = "", kind: str = "decimal"
) -> None:
    """Only values from ``low`` to ``high`` (numbers, or formulas such as ``$D2``) in the cells
    ``ref``; a value outside is refused with ``error``."""
    validate(
        ws,
        kind,
        ref,
        operator="between",
        formula1=str(low),
        formula2=str(high),
        errorStyle="stop",
        title=title,
        error=error,
        prompt=prompt,
    )


def validate_date(ws: Any, ref: str, example: str) -> None:
    """Only dates of :data:`DATE_RANGE` in the cells ``ref``; the error shows ``example``."""
    low, high = DATE_RANGE
    validate_between(ws, ref, low, high, kind="date", title="Tanggal tidak sah", error=f"Isi tanggal, mis. {example}.")


# --- values ---------------------------------------------------------------------------------------


def cell_value(value: object) -> object:
    """A value as a cell holds it: blanks (``None``, NaN, NaT) as empty cells, numpy scalars as
    Python numbers, text without the control characters Excel refuses."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None or value is pd.NaT or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if not isinstance(value, dt.date) and hasattr(value, "item"):  # numpy scalars
        return cell_value(value.item())
    return value


def keep_as_text(cell: Any) -> Any:
    """Mark an openpyxl cell holding text that starts with ``=`` as text: data is never a
    formula. Returns the cell."""
    if isinstance(cell.value, str) and cell.value.startswith("="):
        cell.data_type = "s"
    return cell


def frame_sheet(ws: Any, frame: pd.DataFrame) -> None:
    """``frame`` as a table on ``ws``: the house header (frozen) and one row per record."""
    header_row(ws, [str(c) for c in frame.columns], height=None)
    for r, record in enumerate(frame.itertuples(index=False), start=2):
        for c, value in enumerate(record, start=1):
            keep_as_text(ws.cell(row=r, column=c, value=cell_value(value)))


# --- saving ---------------------------------------------------------------------------------------


def save(wb: Any, path: str | Path, *, stamp: dt.datetime | None = None, backup: bool = True) -> Path:
    """Write ``wb`` to ``path`` whole or not at all (:func:`mcp_lib.files.write_via_temp`; with
    ``backup`` a file already there is kept). With ``stamp`` every date in the file is ``stamp``
    (:func:`save_stamped`): the same data gives the same bytes."""
    write: Callable[[Path], object] = wb.save if stamp is None else (lambda tmp: save_stamped(wb, tmp, stamp))
    return write_via_temp(path, write, backup=backup)


def save_stamped(wb: Any, path: Path, stamp: dt.datetime) -> None:
    """Save with every date in the file at ``stamp``: ``Workbook.save`` sets the modified date,
    and the zip entries' dates, to the time of writing, so the same data gave different bytes."""
    from openpyxl.writer.excel import ExcelWriter

    wb.properties.created = wb.properties.modified = stamp
    wb.properties.creator = "MCP Workbook"
    with _StampedZip(path, stamp) as archive:
        ExcelWriter(wb, archive).save()


class _StampedZip(zipfile.ZipFile):
    """A zip being written whose entries all carry one date."""

    def __init__(self, path: Path, stamp: dt.datetime) -> None:
        super().__init__(path, "w", zipfile.ZIP_DEFLATED)
        self._stamp = stamp.timetuple()[:6]

    def writestr(
        self,
        zinfo_or_arcname: str | zipfile.ZipInfo,
        data: Any,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            zinfo_or_arcname = zipfile.ZipInfo(zinfo_or_arcname, self._stamp)
            zinfo_or_arcname.compress_type = zipfile.ZIP_DEFLATED
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:
        self.writestr(arcname or str(filename), Path(filename).read_bytes())
