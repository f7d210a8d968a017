"""Read CSV and XLSX tables the way Indonesian Excel writes them, validated against a schema.

Every table is read through :func:`read_table` with a declarative :class:`Schema`. The reader
accepts what Excel produces in Indonesia (``;`` separators, decimal commas, ``%`` signs, UTF-8
with BOM or Windows-1252, stray spaces, header case) and records every other problem with the
file, the row as Excel shows it (header = row 1), the column, the value and what was expected.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd

from mcp_lib.errors import InputError, Problems

ROW = "excel_row"
"""Column holding each record's row number as Excel shows it (header = row 1)."""

Kind = Literal["text", "code", "choice", "number", "date"]

_MONTHS = {
    "jan": 1, "januari": 1, "january": 1,
    "feb": 2, "februari": 2, "pebruari": 2, "february": 2,
    "mar": 3, "maret": 3, "march": 3,
    "apr": 4, "april": 4,
    "mei": 5, "may": 5,
    "jun": 6, "juni": 6, "june": 6,
    "jul": 7, "juli": 7, "july": 7,
    "agu": 8, "agt": 8, "ags": 8, "agustus": 8, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9,
    "okt": 10, "oktober": 10, "oct": 10, "october": 10,
    "nov": 11, "nopember": 11, "november": 11,
    "des": 12, "desember": 12, "dec": 12, "december": 12,
}  # fmt: skip


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


def normalise_header(name: object) -> str:
    """``' Area Weight '`` → ``'area_weight'``."""
    text = clean_text(name).lower()
    return re.sub(r"[\s\-]+", "_", text)


def clean_text(value: object) -> str:
    """Cell value as text without stray or non-breaking spaces; blank for empty cells."""
    if (
        type(value) is str and value.isprintable() and "  " not in value
        and value[:1] not in (" ", "'") and value[-1:] != " "
    ):  # fmt: skip
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


# --- raw reading -------------------------------------------------------------------------------


def _decode(raw: bytes) -> str:
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


_TOML_MESSAGES: tuple[tuple[str, str], ...] = (
    (r"Expected newline or end of document after a statement", "ada isian lain sesudah nilai di baris yang sama (angka desimal dengan koma? teks tanpa tanda kutip?)"),
    (r"Invalid value", "nilai tidak sah (teks harus dalam tanda kutip, angka desimal dengan titik, tanggal YYYY-MM-DD)"),
    (r"Invalid statement", "baris tidak dapat dibaca"),
    (r"Cannot declare (.*) twice", r"bagian \1 ditulis dua kali"),
    (r"Cannot overwrite a value", "kunci yang sama ditulis dua kali"),
    (r"Cannot mutate immutable namespace (.*)", r"\1 sudah ditulis sebagai nilai, tidak bisa menjadi bagian"),
    (r"Cannot redefine namespace (.*)", r"bagian \1 ditulis dua kali"),
    (r"Duplicate inline table key (.*)", r"kunci \1 ditulis dua kali"),
    (r"Expected '=' after a key in a key/value pair", "tanda = tidak ada sesudah nama pengaturan"),
    (r"Expected '\]' at the end of a table declaration", "tanda ] penutup bagian tidak ada"),
    (r"Expected '\]\]' at the end of an array declaration", "tanda ]] penutup tidak ada"),
    (r"Invalid initial character for a key part", "nama pengaturan diawali karakter yang tidak boleh"),
    (r"Unclosed array", "daftar [ ... ] tidak ditutup"),
    (r"Unclosed inline table", "tabel { ... } tidak ditutup"),
    (r"Unterminated string", "teks tanpa tanda kutip penutup"),
    (r"Illegal character '\\n'", "teks tanpa tanda kutip penutup (baris berakhir di dalam teks)"),
    (r"Illegal character (.*)", r"karakter yang tidak boleh: \1"),
    (r"Found invalid character (.*)", r"karakter yang tidak boleh: \1"),
    (r"Invalid date or datetime", "tanggal tidak sah (YYYY-MM-DD, mis. 2023-11-30)"),
    (r"Unescaped '\\\\' in a string", "garis miring terbalik \\ dalam teks: pakai tanda kutip tunggal '...' untuk path"),
)  # fmt: skip
"""tomllib's messages in Bahasa Indonesia (the line and column are kept)."""


def toml_problem(exc: Exception) -> tuple[str, int | None]:
    """A TOML syntax error in words an analyst understands, and its line."""
    text = str(exc)
    where = re.search(r"\(at line (\d+), column (\d+)\)", text)
    core = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", text).strip()
    for pattern, words in _TOML_MESSAGES:
        if re.fullmatch(pattern, core):
            core = re.sub(pattern, words, core)
            break
    if where:
        return f"format TOML tidak sah: {core} (baris {where.group(1)}, kolom {where.group(2)})", int(
            where.group(1)
        )
    if "end of document" in text:
        return f"format TOML tidak sah: {core} (di akhir berkas)", None
    return f"format TOML tidak sah: {core}", None


def read_toml(path: Path) -> tuple[str, dict]:
    """The text and the settings of a TOML file (``pemda.toml``, ``framework.toml``), read as the
    table readers read text: UTF-8 with or without BOM, UTF-16, or Windows-1252 (Notepad on
    Windows). Raises :class:`InputError` naming the file and line, in Bahasa Indonesia."""
    import tomllib

    text = _decode(Path(path).read_bytes())
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message, _line = toml_problem(exc)  # the line and column are in the message
        raise InputError.one(
            str(path),
            message,
            expected="angka desimal dengan titik (0.7, bukan 0,7), teks dalam tanda kutip, tanggal "
            "YYYY-MM-DD; simpan sebagai UTF-8",
        ) from None
    except RecursionError:
        raise InputError.one(
            str(path), "format TOML tidak sah: daftar atau tabel bersarang terlalu dalam"
        ) from None


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
    text = _decode(path.read_bytes())
    csv.field_size_limit(max(MAX_CELL_CHARS * 4, 131072))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    rows = []
    for i, r in enumerate(reader, start=1):
        if i > max_rows + 1:
            raise _TooMany
        if len(r) > MAX_COLUMNS:
            raise _TooWide(i)
        rows.append((i, list(r)))
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


def read_raw(
    path: Path, problems: Problems, sheet: str | None = None, max_rows: int = 50_000
) -> pd.DataFrame | None:
    """Read a CSV or XLSX file into text-or-native cells with normalised headers.

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
            path, f"berkas terlalu besar ({size / 2**20:,.0f} MB; batas {MAX_FILE_MB} MB)",
            expected="berkas data MCP biasa (beberapa MB paling besar); periksa apakah ini berkas yang benar",
        )  # fmt: skip
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
            path, f"terlalu banyak baris (lebih dari {max_rows:,})".replace(",", "."),
            expected="berkas jenis ini berisi paling banyak " + f"{max_rows:,}".replace(",", ".") + " baris data",
        )  # fmt: skip
        return None
    except _TooWide as exc:
        problems.add(
            path, f"terlalu banyak kolom (lebih dari {MAX_COLUMNS:,})".replace(",", "."), row=exc.args[0],
            column=f"{_letter(MAX_COLUMNS + 1)} dst.",
            expected="tabel dengan kolom-kolom yang dijelaskan di panduan; hapus isian di kolom jauh ke kanan",
        )  # fmt: skip
        return None
    except csv.Error as exc:
        reason = "isian terlalu panjang" if "field larger" in str(exc) else "format CSV rusak"
        problems.add(
            path, f"berkas tidak dapat dibaca ({reason})",
            expected=f".csv yang sah, setiap isian paling banyak {MAX_CELL_CHARS:,} karakter".replace(",", "."),
        )  # fmt: skip
        return None
    except UnicodeError:
        problems.add(
            path, "berkas tidak dapat dibaca (pengodean teks rusak)",
            expected=".csv disimpan sebagai UTF-8 (CSV UTF-8 di Excel)",
        )  # fmt: skip
        return None
    except Exception as exc:
        problems.add(
            path, f"berkas tidak dapat dibaca ({type(exc).__name__})", expected=".csv atau .xlsx yang sah"
        )
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
    records = []
    for n, values in rows[1:]:
        values = list(values) + [None] * (len(names) - len(values))
        extra = [(i, v) for i, v in enumerate(values[len(names) :], start=len(names)) if clean_text(v)]
        if extra:
            i, v = extra[0]
            problems.add(
                path, "ada isian di luar kolom berjudul", row=n, column=f"{_letter(i + 1)} (tanpa judul)",
                value=v, expected="isian hanya di bawah judul kolom, atau beri kolom itu judul di baris 1",
            )  # fmt: skip
        rec = {name: values[i] for i, name in enumerate(names) if name}
        rec[ROW] = n
        records.append(rec)
    frame = pd.DataFrame.from_records(records, columns=[*dict.fromkeys(n for n in names if n), ROW])
    if frame.empty:
        problems.add(
            path, "berkas tidak berisi baris data", expected="minimal satu baris data di bawah judul"
        )
        return None
    return frame


def _letter(column: int) -> str:
    """Excel's letter for a 1-based column number: 1 → ``A``, 28 → ``AB``."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


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


def _parse_column(frame: pd.DataFrame, col: Column, path: Path, problems: Problems) -> pd.Series:
    out = []
    for raw, row in zip(frame[col.name], frame[ROW], strict=True):
        text = clean_text(raw)
        if text == "":
            if not col.blank_ok:
                problems.add(path, "isian kosong", row=row, column=col.name, expected=_expected(col))
            out.append(None)
            continue
        if len(text) > MAX_CELL_CHARS:
            problems.add(
                path, f"isian terlalu panjang ({len(text):,} karakter)".replace(",", "."), row=row,
                column=col.name, value=text[:40] + "…",
                expected=f"paling banyak {MAX_CELL_CHARS:,} karakter".replace(",", "."),
            )  # fmt: skip
            out.append(None)
            continue
        if col.kind == "text":
            out.append(text)
        elif col.kind == "code":
            out.append(text.replace(" ", "").upper())
        elif col.kind == "choice":
            choice = normalise_choice(raw)
            if choice not in col.choices:
                problems.add(
                    path,
                    "pilihan tidak dikenal",
                    row=row,
                    column=col.name,
                    value=text,
                    expected=_expected(col),
                )
                choice = None
            out.append(choice)
        elif col.kind == "number":
            try:
                number = parse_number(raw)
            except ValueError:
                problems.add(
                    path, "bukan angka", row=row, column=col.name, value=text, expected=_expected(col)
                )
                number = None
            if number is not None and (
                (col.minimum is not None and number < col.minimum)
                or (col.maximum is not None and number > col.maximum)
            ):
                problems.add(
                    path,
                    "angka di luar rentang",
                    row=row,
                    column=col.name,
                    value=text,
                    expected=_expected(col),
                )
                number = None
            out.append(number)
        elif col.kind == "date":
            try:
                out.append(parse_date(raw))
            except ValueError:
                problems.add(
                    path,
                    "tanggal tidak dapat dibaca",
                    row=row,
                    column=col.name,
                    value=text,
                    expected=_expected(col),
                )
                out.append(None)
    dtype = "float64" if col.kind == "number" else "object"
    return pd.Series(out, index=frame.index, dtype=dtype, name=col.name)


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
    path = Path(path)
    sheets: list[str] = []
    if path.suffix.lower() in (".xlsx", ".xlsm") and path.is_file():
        sheet, sheets = _matching_sheet(path, schema, aliases, sheet)
    frame = read_raw(path, problems, sheet=sheet, max_rows=schema.max_rows)
    if frame is None:
        return None
    if aliases:
        frame = frame.rename(columns={normalise_header(k): v for k, v in aliases.items()})
    missing = [c.name for c in schema.columns if c.required and c.name not in frame.columns]
    if missing:
        present = ", ".join(c for c in frame.columns if c != ROW)
        where = ""
        if len(sheets) > 1:
            where = f"; sheet yang dibaca: {sheet or sheets[0]!r}, sheet yang ada: " + ", ".join(
                repr(n) for n in sheets
            )
        for name in missing:
            problems.add(
                path, "kolom wajib tidak ada", row=1, column=name,
                expected=f"judul kolom '{name}' di baris 1 (yang ada: {present}){where}",
            )  # fmt: skip
        return None
    parsed = {ROW: frame[ROW].astype("int64")}
    for col in schema.columns:
        if col.name not in frame.columns:
            frame[col.name] = None
        parsed[col.name] = _parse_column(frame, col, path, problems)
    return pd.DataFrame(parsed)[[*schema.names, ROW]].reset_index(drop=True)


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
    try:
        names = list(wb.sheetnames)
        if wanted in names or len(names) < 2:
            return (wanted if wanted in names else None), names
        for ws in wb.worksheets:
            for cells in ws.iter_rows(min_row=1, max_row=20, values_only=True):
                if any(clean_text(v) for v in cells):
                    headers = {
                        renames.get(normalise_header(v), normalise_header(v)) for v in cells if v is not None
                    }
                    if required <= headers:
                        return ws.title, names
                    break
        return None, names
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
        raise InputError.one(
            str(path), "format keluaran tidak dikenal", value=suffix, expected=".csv atau .xlsx"
        )
    if path.exists() and not force:
        raise InputError.one(
            str(path), "berkas sudah ada dan tidak ditimpa", expected="nama lain, atau --force"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.tmp{suffix}")
    if suffix == ".csv":
        csv_safe_frame(frame).to_csv(
            tmp, index=False, sep=";", decimal=",", encoding="utf-8-sig", lineterminator="\r\n"
        )
    else:
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = sheet[:31]
        ws.append([str(c) for c in frame.columns])
        for row in frame.itertuples(index=False):
            ws.append([None if v is None or (isinstance(v, float) and pd.isna(v)) else v for v in row])
        for row in ws.iter_rows():
            for cell in row:
                keep_as_text(cell)  # text from data is never a formula
        wb.save(tmp)
    tmp.replace(path)
    return path


def keep_as_text(cell: object) -> object:
    """Mark an openpyxl cell holding text that starts with ``=`` as text: data is never a
    formula. Returns the cell."""
    if isinstance(cell.value, str) and cell.value.startswith("="):
        cell.data_type = "s"
    return cell
