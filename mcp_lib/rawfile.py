"""Raw rows of the CSV and XLSX files analysts give us, before any schema.

Opens a file only for reading and returns its cells as text or native values with normalised
headers and each record's Excel row number: decoding (UTF-8 with or without BOM, UTF-16,
Windows-1252), delimiter sniffing (``;``, ``,``, tab), .xlsx checks (not a zip, a decompression
bomb) and the size limits. Also the clean-up of one cell's text that every reader shares.
:func:`mcp_lib.readers.read_table` builds the typed, validated table on top of this.
"""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path

import pandas as pd

from mcp_lib.errors import Problems

ROW = "excel_row"
"""Column holding each record's row number as Excel shows it (header = row 1)."""


# --- cell text ---------------------------------------------------------------------------------


def normalise_header(name: object) -> str:
    """``' Area Weight '`` → ``'area_weight'``."""
    text = clean_text(name).lower()
    return re.sub(r"[\s\-]+", "_", text)


def clean_text(value: object) -> str:
    """Cell value as text without stray or non-breaking spaces; blank for empty cells."""
    if (
        type(value) is str
        and value.isprintable()
        and "  " not in value
        and value[:1] not in (" ", "'")
        and value[-1:] != " "
    ):
        return value  # already clean (the common case; no BOM, NBSP, tab, newline or padding)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _INVISIBLE.sub("", str(value)).replace("\xa0", " ")
    if text[:1] == "'" and text[1:2] in FORMULA_TRIGGERS:
        text = text[1:]  # the apostrophe that keeps a spreadsheet from reading a formula (csv_safe)
    text = _SPACES.sub(" ", text).strip()
    if text[:1] == "'" and text[1:2] in FORMULA_TRIGGERS:
        text = text[1:]  # the same behind stray leading spaces (' '-x' reads as '-x', as '-x' does)
    return text


_SPACES = re.compile(r"\s+")
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
"""Zero-width and text-direction characters pasted along from web pages and chat apps: invisible
in Excel, they would make a code unknown for no visible reason (and could reorder shown text)."""
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make Excel or LibreOffice read a cell as a formula (or DDE command)."""


# --- raw reading -------------------------------------------------------------------------------


def decode(raw: bytes) -> str:
    """The text of a file's bytes: UTF-8 with or without BOM, UTF-16, else Windows-1252."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    head = raw[:4000]
    if len(raw) % 2 == 0 and head.count(0) > len(head) // 4:  # UTF-16 without its BOM
        if head[1::2].count(0) > head[0::2].count(0):
            return raw.decode("utf-16-le")
        return raw.decode("utf-16-be")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _sniff_delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = dict.fromkeys((";", ",", "\t"), 0)
    quoted = False
    for ch in first:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda s: counts[s])
    return best if counts[best] else ","


MAX_FILE_MB = 50
"""Input files larger than this are refused (a status file is tens of KB; a national KPK export
a few MB)."""
MAX_XLSX_UNPACKED_MB = 200
"""An .xlsx is a zip: its unpacked size is checked before opening (a decompression bomb)."""
MAX_CELL_CHARS = 10_000
"""Longer cell texts are refused: no name, note or code is that long."""


MAX_COLUMNS = 1_000
"""Rows with more cells than this are refused: no input file has that many columns."""


class _TooMany(Exception):
    """More rows than the schema allows (stops reading early)."""


class _TooWide(Exception):
    """A row with more than :data:`MAX_COLUMNS` cells; ``args[0]`` is its row number."""


def _raw_rows_csv(path: Path, max_rows: int) -> list[tuple[int, list[object]]]:
    text = decode(path.read_bytes())
    csv.field_size_limit(max(MAX_CELL_CHARS * 4, 131072))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    rows: list[tuple[int, list[object]]] = []
    for i, r in enumerate(reader, start=1):
        if i > max_rows + 1:
            raise _TooMany
        if len(r) > MAX_COLUMNS:
            raise _TooWide(i)
        rows.append((i, r))  # type: ignore[arg-type]  # str cells, read as objects
    return rows


def check_xlsx(path: Path) -> str | None:
    """Why an .xlsx may not be opened (not a zip, a decompression bomb), or ``None``."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return "berkas tidak dapat dibaca: bukan berkas Excel .xlsx yang sah (mungkin rusak atau format lain)"
    unpacked = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if unpacked > MAX_XLSX_UNPACKED_MB * 2**20 or (unpacked > 20 * 2**20 and unpacked / packed > 100):
        return (
            f"isi berkas .xlsx terlalu besar bila dibuka ({unpacked / 2**20:,.0f} MB dari "
            f"{packed / 2**20:,.1f} MB; batas {MAX_XLSX_UNPACKED_MB} MB)"
        )
    if not any(i.filename == "xl/workbook.xml" for i in infos):
        return "berkas tidak dapat dibaca: arsip zip tanpa isi buku kerja Excel (bukan berkas .xlsx)"
    return None


def _raw_rows_xlsx(path: Path, sheet: str | None, max_rows: int) -> list[tuple[int, list[object]]]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb[sheet] if sheet and sheet in wb.sheetnames else wb.worksheets[0]
        # The size the file states may be wrong (rows beyond it would be dropped unseen) or huge
        # (every row padded to 16.384 blank cells): read the rows as they are in the file.
        ws.reset_dimensions()
        rows = []
        # Read-only sheets give blank cells without a row number: count rows from 1 instead.
        for n, cells in enumerate(ws.iter_rows(min_row=1), start=1):
            if n > max_rows + 1:
                raise _TooMany
            if not cells:
                continue
            if len(cells) > MAX_COLUMNS:
                raise _TooWide(getattr(cells[0], "row", None) or n)
            values = []
            for c in cells:
                v = c.value
                fmt = getattr(c, "number_format", "") or ""
                if isinstance(v, int | float) and not isinstance(v, bool) and "%" in fmt:
                    v = round(v * 100, 10) if math.isfinite(v) else v
                if isinstance(v, float) and not math.isfinite(v):
                    v = str(v)  # 1e999 in the XML: read as its text, refused where a number goes
                values.append(v)
            rows.append((getattr(cells[0], "row", None) or n, values))
        return rows
    finally:
        wb.close()


def read_raw(path: Path, problems: Problems, sheet: str | None = None, max_rows: int = 50_000) -> pd.DataFrame | None:
    """Read a CSV or XLSX file into text-or-native cells with normalised headers.

    Returns ``None`` (with a problem recorded) when the file is missing, unreadable, empty,
    larger than the limits (:data:`MAX_FILE_MB`, ``max_rows`` data rows, an .xlsx unpacking to
    more than :data:`MAX_XLSX_UNPACKED_MB`). The file is only ever opened for reading.
    Fully blank rows are skipped; :data:`ROW` keeps each record's Excel row number.
    """
    columns = raw_columns(path, problems, sheet=sheet, max_rows=max_rows)
    return None if columns is None else pd.DataFrame(columns)


def raw_columns(
    path: Path, problems: Problems, sheet: str | None = None, max_rows: int = 50_000
) -> dict[str, list[object]] | None:
    """:func:`read_raw`'s cells as one list per column (header → cells, then :data:`ROW`), for
    readers that parse them before building a table.

    Returns ``None`` (with a problem recorded) when the file is missing, unreadable, empty,
    larger than the limits (:data:`MAX_FILE_MB`, ``max_rows`` data rows, an .xlsx unpacking to
    more than :data:`MAX_XLSX_UNPACKED_MB`). The file is only ever opened for reading.
    Fully blank rows are skipped; :data:`ROW` keeps each record's Excel row number.
    """
    path = Path(path)
    if not path.is_file():
        problems.add(path, "berkas tidak ditemukan", expected="berkas .csv atau .xlsx yang ada")
        return None
    suffix = path.suffix.lower()
    size = path.stat().st_size
    if size > MAX_FILE_MB * 2**20:
        problems.add(
            path,
            f"berkas terlalu besar ({size / 2**20:,.0f} MB; batas {MAX_FILE_MB} MB)",
            expected="berkas data MCP biasa (beberapa MB paling besar); periksa apakah ini berkas yang benar",
        )
        return None
    try:
        if suffix in (".xlsx", ".xlsm"):
            reason = check_xlsx(path)
            if reason:
                problems.add(path, reason, expected="berkas .xlsx dari Excel atau LibreOffice")
                return None
            rows = _raw_rows_xlsx(path, sheet, max_rows)
        elif suffix in (".csv", ".txt"):
            rows = _raw_rows_csv(path, max_rows)
        else:
            problems.add(path, "format berkas tidak dikenal", value=suffix, expected=".csv atau .xlsx")
            return None
    except _TooMany:
        problems.add(
            path,
            f"terlalu banyak baris (lebih dari {max_rows:,})".replace(",", "."),
            expected="berkas jenis ini berisi paling banyak " + f"{max_rows:,}".replace(",", ".") + " baris data",
        )
        return None
    except _TooWide as exc:
        problems.add(
            path,
            f"terlalu banyak kolom (lebih dari {MAX_COLUMNS:,})".replace(",", "."),
            row=exc.args[0],
            column=f"{_letter(MAX_COLUMNS + 1)} dst.",
            expected="tabel dengan kolom-kolom yang dijelaskan di panduan; hapus isian di kolom jauh ke kanan",
        )
        return None
    except csv.Error as exc:
        reason = "isian terlalu panjang" if "field larger" in str(exc) else "format CSV rusak"
        problems.add(
            path,
            f"berkas tidak dapat dibaca ({reason})",
            expected=f".csv yang sah, setiap isian paling banyak {MAX_CELL_CHARS:,} karakter".replace(",", "."),
        )
        return None
    except UnicodeError:
        problems.add(
            path,
            "berkas tidak dapat dibaca (pengodean teks rusak)",
            expected=".csv disimpan sebagai UTF-8 (CSV UTF-8 di Excel)",
        )
        return None
    except Exception as exc:
        problems.add(path, f"berkas tidak dapat dibaca ({type(exc).__name__})", expected=".csv atau .xlsx yang sah")
        return None

    rows = [(n, r) for n, r in rows if any(clean_text(v) for v in r)]
    if not rows:
        problems.add(path, "berkas kosong", expected="baris judul kolom dan minimal satu baris data")
        return None
    header_row, header = rows[0]
    names = [normalise_header(h) for h in header]
    while names and names[-1] == "":
        names.pop()
    seen: set[str] = set()
    for name in names:
        if name and name in seen:
            problems.add(path, "judul kolom muncul dua kali", row=header_row, column=name)
        seen.add(name)
    width = len(names)
    for n, values in rows[1:]:
        extra = [(i, v) for i, v in enumerate(values[width:], start=width) if clean_text(v)]
        if extra:
            i, v = extra[0]
            problems.add(
                path,
                "ada isian di luar kolom berjudul",
                row=n,
                column=f"{_letter(i + 1)} (tanpa judul)",
                value=v,
                expected="isian hanya di bawah judul kolom, atau beri kolom itu judul di baris 1",
            )
    padded = [values if len(values) >= width else [*values, *[None] * (width - len(values))] for _, values in rows[1:]]
    cells = list(zip(*padded, strict=False))  # one tuple per column (a row may have cells beyond the last header)
    last = {name: i for i, name in enumerate(names) if name}  # a repeated header: its last column's cells
    columns: dict[str, list[object]] = {name: list(cells[i]) if cells else [] for name, i in last.items()}
    columns[ROW] = [n for n, _ in rows[1:]]
    if not padded:
        problems.add(path, "berkas tidak berisi baris data", expected="minimal satu baris data di bawah judul")
        return None
    return columns


def _letter(column: int) -> str:
    """Excel's letter for a 1-based column number: 1 → ``A``, 28 → ``AB``."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
