"""Read CSV and XLSX tables the way Indonesian Excel writes them, validated against a schema.

Every table is read through :func:`read_table` with a declarative :class:`Schema`: the raw rows
(:func:`mcp_lib.io.rawfile.read_raw`) are parsed column by column. The reader accepts what Excel
produces in Indonesia (``;`` separators, decimal commas, ``%`` signs, UTF-8 with BOM or
Windows-1252, stray spaces, header case) and records every other problem with the file, the row
as Excel shows it (header = row 1), the column, the value and what was expected. Also the
writing side: :func:`write_table` and the CSV formula guard (:func:`csv_safe`); a workbook's is
:func:`mcp_lib.io.workbook.keep_as_text`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd

from mcp_lib.errors import InputError, Problems
from mcp_lib.files import write_via_temp
from mcp_lib.io.rawfile import (
    FORMULA_TRIGGERS,
    MAX_CELL_CHARS,
    ROW,
    UNCACHED_EXPECTED,
    UNCACHED_MESSAGE,
    Uncached,
    check_xlsx,
    clean_text,
    normalise_header,
    raw_columns,
    sheet_rows,
)
from mcp_lib.io.workbook import frame_sheet, new_workbook, save

Kind = Literal["text", "code", "choice", "number", "date"]

_MONTHS = {
    "jan": 1,
    "januari": 1,
    "january": 1,
    "feb": 2,
    "februari": 2,
    "pebruari": 2,
    "february": 2,
    "mar": 3,
    "maret": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "mei": 5,
    "may": 5,
    "jun": 6,
    "juni": 6,
    "june": 6,
    "jul": 7,
    "juli": 7,
    "july": 7,
    "agu": 8,
    "agt": 8,
    "ags": 8,
    "agustus": 8,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "okt": 10,
    "oktober": 10,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "nopember": 11,
    "november": 11,
    "des": 12,
    "desember": 12,
    "dec": 12,
    "december": 12,
}


@dataclass(frozen=True)
class Column:
    """One expected column.

    Parameters
    ----------
    name
        Header name after normalisation (lower case, spaces become ``_``).
    kind
        ``text`` (free text), ``code`` (identifier, upper-cased), ``choice`` (one of
        ``choices``, normalised to lower case with ``_``), ``number`` or ``date``.
    required
        Whether the column must be present in the file.
    blank_ok
        Whether a cell may be empty.
    """

    name: str
    kind: Kind = "text"
    required: bool = True
    blank_ok: bool = False
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True)
class Schema:
    """The columns of one kind of input file."""

    name: str
    columns: tuple[Column, ...]
    max_rows: int = 50_000
    """More data rows than this is refused with a clear message (not a file of this kind)."""

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


# --- cell parsers ------------------------------------------------------------------------------


def csv_safe(value: object) -> object:
    """Text for a CSV cell that a spreadsheet shows as text, never runs: a leading ``'`` before
    a formula-starting character (OWASP's advice). The readers drop that apostrophe again, so a
    file written and read back is unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def csv_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with :func:`csv_safe` applied to every text column (numbers stay numbers)."""
    out = frame.copy()
    for name in out.columns:
        if out[name].dtype == object or pd.api.types.is_string_dtype(out[name]):
            out[name] = out[name].map(csv_safe)
    return out


def parse_number(value: object) -> float | None:
    """Parse a number as typed in Indonesian or English Excel.

    ``87,5`` and ``87.5`` are both 87.5; ``87,5%`` is 87.5 (the value is already in percent);
    ``1.234,5`` and ``1,234.5`` are 1234.5. Blank gives ``None``.

    Raises
    ------
    ValueError
        When the text is not a number.
    """
    if value is None or isinstance(value, bool):
        if isinstance(value, bool):
            raise ValueError(value)
        return None
    if isinstance(value, int | float):
        if isinstance(value, float) and math.isnan(value):
            return None  # a blank cell as pandas holds it
        return _finite(value)
    text = clean_text(value).replace(" ", "").removesuffix("%")
    if text == "":
        return None
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        text = text.replace(thousands, "").replace(decimal, ".")
    elif text.count(",") == 1:
        text = text.replace(",", ".")
    elif text.count(",") > 1 or text.count(".") > 1:
        sep = "," if "," in text else "."
        if not re.fullmatch(rf"[-+]?\d{{1,3}}(\{sep}\d{{3}})+", text):
            raise ValueError(value)
        text = text.replace(sep, "")
    if not _NUMBER.fullmatch(text):
        raise ValueError(value)
    return _finite(float(text))


_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")
"""A plain number after the separators are settled; linear time even on a 10.000-digit cell."""


def _finite(value: int | float) -> float:
    """``value`` as a float; ``ValueError`` for NaN, ±inf and numbers beyond a float (``1e999``)."""
    try:
        number = float(value)
    except OverflowError:
        raise ValueError(value) from None
    if not math.isfinite(number):
        raise ValueError(value)
    return number


def parse_date(value: object) -> dt.date | None:
    """Parse a date, day first as in Indonesia.

    Accepts Excel dates, ``2023-10-31``, ``31/10/2023``, ``31-10-2023``, ``31.10.2023``,
    ``31 Oktober 2023`` and ``31 Okt 2023``. Blank gives ``None``.

    Raises
    ------
    ValueError
        When the text is not one of these forms or not a real date.
    """
    if value is None:
        return None
    if isinstance(value, pd.Timestamp | dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = clean_text(value)
    if text == "":
        return None
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?", text)
    if m:
        y, mo, d = (int(g) for g in m.groups())
        return dt.date(y, mo, d)
    m = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", text)
    if m:
        d, mo, y = (int(g) for g in m.groups())
        return dt.date(y, mo, d)
    m = re.fullmatch(r"(\d{1,2})[ \-]([A-Za-z]+)\.?[ \-](\d{4})", text)
    if m and m.group(2).lower() in _MONTHS:
        return dt.date(int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1)))
    raise ValueError(value)


def normalise_choice(value: object) -> str:
    """``'Perlu Perbaikan'`` → ``'perlu_perbaikan'``."""
    return re.sub(r"[\s\-]+", "_", clean_text(value).lower())


# --- schema validation ---------------------------------------------------------------------------


def _expected(col: Column) -> str:
    if col.kind == "choice":
        return "salah satu dari: " + ", ".join(col.choices)
    if col.kind == "number":
        lo = "" if col.minimum is None else f"{col.minimum:g}"
        hi = "" if col.maximum is None else f"{col.maximum:g}"
        rng = f" antara {lo} dan {hi}" if lo and hi else (f" minimal {lo}" if lo else "")
        return f"angka{rng} (mis. 87,5)"
    if col.kind == "date":
        return "tanggal, mis. 31/10/2023 atau 2023-10-31"
    return "isian tidak kosong"


def _parse_column(values: list[object], rows: list[int], col: Column, path: Path, problems: Problems) -> list[object]:
    """The cells of column ``col`` parsed, every problem recorded with its row.

    Each distinct cell value is parsed once (a status file repeats a handful of statuses, OPDs
    and numbers over hundreds of rows); when any distinct value has a problem the column is
    parsed again cell by cell, so problems are recorded per row and in row order as before.
    """
    parsed: dict[object, object] = dict.fromkeys(values)
    if {type(v) for v in parsed} <= _TEXT_TYPES:  # a CSV: text and missing cells only
        keys: list[object] = values
    else:  # (type, value) keys: 1, 1.0 and True are equal as dict keys but do not parse alike
        keys = [(type(v), v) for v in values]
        parsed = dict.fromkeys(keys)
    trial = Problems()
    # Codes, choices, numbers and dates of CSV cells that parsed without a problem are kept across
    # files too (a pemda's history repeats the same document codes in every month's file).
    memo = _PARSED.setdefault(col, {}) if keys is values and col.kind != "text" else None
    if memo is not None and len(memo) > _PARSED_MAX:
        memo.clear()
    for key in parsed:
        if memo is not None and key in memo:
            parsed[key] = memo[key]
            continue
        before = len(trial)
        parsed[key] = _parse_cell(key if keys is values else key[1], col, path, None, trial)  # type: ignore[index]
        if memo is not None and len(trial) == before:
            memo[key] = parsed[key]
    if trial:
        return [_parse_cell(raw, col, path, row, problems) for raw, row in zip(values, rows, strict=True)]
    return list(map(parsed.__getitem__, keys))


_TEXT_TYPES = {str, type(None)}
_PARSED: dict[Column, dict[object, object]] = {}
"""Per column, CSV cell texts already parsed without a problem and what they parsed to."""
_PARSED_MAX = 50_000


_DOT_THOUSANDS = re.compile(r"[-+]?\d{1,3}\.\d{3}")
"""A number typed as text in a workbook cell like ``1.000``: one thousand in Indonesian, one in
English. Refused in a workbook's text cells, where nothing says which (a number cell is a number;
the package's own CSVs write ``12.125`` for twelve and an eighth, so CSV files keep the dot)."""


def _parse_cell(raw: object, col: Column, path: Path, row: int | None, problems: Problems) -> object:
    """One cell of ``col`` parsed (``None`` when blank or refused, with the problem recorded)."""
    if isinstance(raw, Uncached):
        problems.add(path, UNCACHED_MESSAGE, row=row, column=col.name, value=str(raw), expected=UNCACHED_EXPECTED)
        return None
    text = clean_text(raw)
    if text == "":
        if not col.blank_ok:
            problems.add(path, "isian kosong", row=row, column=col.name, expected=_expected(col))
        return None
    if len(text) > MAX_CELL_CHARS:
        problems.add(
            path,
            f"isian terlalu panjang ({len(text):,} karakter)".replace(",", "."),
            row=row,
            column=col.name,
            value=text[:40] + "…",
            expected=f"paling banyak {MAX_CELL_CHARS:,} karakter".replace(",", "."),
        )
        return None
    if col.kind == "text":
        return text
    if col.kind == "code":
        return text.replace(" ", "").upper()
    if col.kind == "choice":
        choice = normalise_choice(raw)
        if choice not in col.choices:
            problems.add(path, "pilihan tidak dikenal", row=row, column=col.name, value=text, expected=_expected(col))
            return None
        return choice
    if col.kind == "number":
        if isinstance(raw, str) and path.suffix.lower() in (".xlsx", ".xlsm") and _DOT_THOUSANDS.fullmatch(text):
            problems.add(
                path,
                "angka meragukan: titik bisa pemisah ribuan (seribu) atau desimal (satu)",
                row=row,
                column=col.name,
                value=text,
                expected=f"ketik sebagai angka tanpa titik ribuan, mis. {text.replace('.', '')} atau "
                f"{text.replace('.', ',').rstrip('0').rstrip(',')}",
            )
            return None
        try:
            number = parse_number(raw)
        except ValueError:
            problems.add(path, "bukan angka", row=row, column=col.name, value=text, expected=_expected(col))
            return None
        if number is not None and (
            (col.minimum is not None and number < col.minimum) or (col.maximum is not None and number > col.maximum)
        ):
            problems.add(path, "angka di luar rentang", row=row, column=col.name, value=text, expected=_expected(col))
            return None
        return number
    try:
        return parse_date(raw)
    except ValueError:
        problems.add(path, "tanggal tidak dapat dibaca", row=row, column=col.name, value=text, expected=_expected(col))
        return None


def read_table(
    path: str | Path,
    schema: Schema,
    problems: Problems,
    sheet: str | None = None,
    aliases: dict[str, str] | None = None,
) -> pd.DataFrame | None:
    """Read and validate one CSV/XLSX table.

    Parameters
    ----------
    path
        A ``.csv`` (any of ``;``/``,``/tab separators, UTF-8, UTF-8 with BOM or Windows-1252)
        or ``.xlsx`` file whose first row holds the column names.
    schema
        The expected columns. Extra columns are ignored (analysts add their own).
    problems
        Collector; every problem found is added, none is raised here.
    sheet
        The worksheet of an ``.xlsx`` to read (default: the first).
    aliases
        Other headers accepted for a column, e.g. ``{"Poin terverifikasi": "verified_points"}``
        (compared after the same normalisation as the headers).

    Returns
    -------
    DataFrame or None
        One row per non-blank record with the schema's columns parsed (``number`` columns as
        float, ``date`` as ``datetime.date``, blank cells as missing) and :data:`ROW`.
        ``None`` when the file cannot be read or lacks a required column.
    """
    columns = read_columns(path, schema, problems, sheet=sheet, aliases=aliases)
    if columns is None:
        return None
    data = {
        col.name: pd.Series(columns[col.name], dtype="float64" if col.kind == "number" else "object")
        for col in schema.columns
    }
    data[ROW] = pd.Series(columns[ROW], dtype="int64")
    return pd.DataFrame(data)


def read_columns(
    path: str | Path,
    schema: Schema,
    problems: Problems,
    sheet: str | None = None,
    aliases: dict[str, str] | None = None,
) -> dict[str, list[object]] | None:
    """:func:`read_table`'s parsed columns as plain lists, for readers that check every row
    themselves before building their own table (the snapshot reader, thousands of files in a
    national run): each of the schema's columns and :data:`ROW` (``int``); a blank cell or a
    refused one is ``None``."""
    path = Path(path)
    sheets: list[str] = []
    if path.suffix.lower() in (".xlsx", ".xlsm") and path.is_file():
        sheet, sheets = _matching_sheet(path, schema, aliases, sheet)
    raw = raw_columns(path, problems, sheet=sheet, max_rows=schema.max_rows)
    if raw is None:
        return None
    if aliases:
        renames = {normalise_header(k): v for k, v in aliases.items()}
        raw = {renames.get(name, name): cells for name, cells in raw.items()}
    missing = [c.name for c in schema.columns if c.required and c.name not in raw]
    if missing:
        labels: dict[str, str] = {}  # the header the analyst sees for a column (its first alias)
        for label, name in (aliases or {}).items():
            labels.setdefault(name, label)
        present = ", ".join(labels.get(c, c) for c in raw if c != ROW)
        where = ""
        if len(sheets) > 1:
            where = f"; sheet yang dibaca: {sheet or sheets[0]!r}, sheet yang ada: " + ", ".join(
                repr(n) for n in sheets
            )
        for name in missing:
            problems.add(
                path,
                "kolom wajib tidak ada",
                row=1,
                column=name,
                expected=f"judul kolom '{labels.get(name, name)}' di baris 1 (yang ada: {present}){where}",
            )
        return None
    rows = [int(n) for n in raw[ROW]]  # type: ignore[call-overload]
    parsed: dict[str, list[object]] = {}
    for col in schema.columns:
        cells = raw.get(col.name, [None] * len(rows))
        parsed[col.name] = _parse_column(cells, rows, col, path, problems)
    parsed[ROW] = list(rows)
    return parsed


def _matching_sheet(
    path: Path, schema: Schema, aliases: dict[str, str] | None, wanted: str | None
) -> tuple[str | None, list[str]]:
    """The worksheet to read and the workbook's sheet names: ``wanted`` when the workbook has it,
    else the first sheet whose first non-blank row holds every required column of ``schema``
    (the data need not be on the first sheet, nor on a sheet of the expected name), else the
    first sheet. A workbook that cannot be opened is left to :func:`read_raw` to report."""
    from openpyxl import load_workbook

    if check_xlsx(path):
        return wanted, []
    required = {c.name for c in schema.columns if c.required}
    renames = {normalise_header(k): v for k, v in (aliases or {}).items()}
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception:
        return wanted, []
    names = list(wb.sheetnames)
    try:
        if wanted in names or len(names) < 2:
            return (wanted if wanted in names else None), names
        for name in names:
            for _row, cells in sheet_rows(wb, name, first=1):
                headers = {renames.get(normalise_header(v), normalise_header(v)) for v in cells if v is not None}
                if required <= headers:
                    return name, names
        return None, names
    except Exception:
        return wanted, names  # read_raw says why
    finally:
        wb.close()


def duplicated_rows(frame: pd.DataFrame, keys: Iterable[str]) -> pd.DataFrame:
    """Rows whose ``keys`` repeat an earlier row (blank keys ignored)."""
    keys = list(keys)
    valid = frame.dropna(subset=keys)
    return valid[valid.duplicated(subset=keys, keep="first")]


def write_table(frame: pd.DataFrame, path: str | Path, *, force: bool = False, sheet: str = "data") -> Path:
    """Write a table for analysts: ``.xlsx``, or ``.csv`` as Indonesian Excel opens it
    (UTF-8 with BOM, ``;`` separator, decimal comma). Written to a temporary file first.

    Raises
    ------
    InputError
        When ``path`` exists and ``force`` is not set, or the extension is neither.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise InputError.one(str(path), "format keluaran tidak dikenal", value=suffix, expected=".csv atau .xlsx")
    if path.exists() and not force:
        raise InputError.one(str(path), "berkas sudah ada dan tidak ditimpa", expected="nama lain, atau --force")

    if suffix == ".xlsx":
        wb = new_workbook()
        wb.active.title = sheet[:31]
        frame_sheet(wb.active, frame)
        return save(wb, path, backup=False)
    return write_via_temp(
        path,
        lambda tmp: csv_safe_frame(frame).to_csv(
            tmp, index=False, sep=";", decimal=",", encoding="utf-8-sig", lineterminator="\r\n"
        ),
        backup=False,
    )
