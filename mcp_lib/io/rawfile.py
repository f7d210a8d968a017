"""Raw rows of the CSV and XLSX files analysts give us, before any schema.

Opens a file only for reading and returns its cells as text or native values with normalised
headers and each record's Excel row number (a worksheet's cells through :func:`sheet_rows`, the one
reader of a sheet's real rows): decoding (UTF-8 with or without BOM, UTF-16,
Windows-1252), delimiter sniffing (``;``, ``,``, tab), .xlsx checks (not a zip, a decompression
bomb) and the size limits. Also the clean-up of one cell's text that every reader shares.
:func:`mcp_lib.io.readers.read_table` builds the typed, validated table on top of this.
"""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path
from typing import Any

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
        name = sheet if sheet and sheet in wb.sheetnames else wb.sheetnames[0]
        return sheet_rows(wb, name, max_rows=max_rows)
    finally:
        wb.close()


# --- the cells of a worksheet --------------------------------------------------------------------


class Uncached:
    """A formula cell the workbook holds no value for: written by a program (openpyxl writing
    ``=30*2``), never opened and saved in Excel or LibreOffice, which store each formula's value.
    Not a blank: the readers report it (:data:`UNCACHED_MESSAGE`). Its text is the formula
    (``=A2*2``)."""

    __slots__ = ("formula",)

    def __init__(self, formula: str) -> None:
        self.formula = formula

    def __str__(self) -> str:
        return "=" + self.formula

    def __repr__(self) -> str:
        return f"Uncached({self.formula!r})"


UNCACHED_MESSAGE = "rumus tanpa nilai tersimpan"
UNCACHED_EXPECTED = (
    "angka atau teks biasa; atau buka berkas di Excel/LibreOffice lalu simpan (Save) agar nilai "
    "rumusnya dihitung dan ikut tersimpan"
)


def constant_formula(formula: str) -> float | str | None:
    """The value of a formula made of constants only (``60``, ``30*2``, ``(100-40)/2``, ``"teks"``),
    computed without running anything; ``None`` for any other formula (references, functions,
    a division by zero)."""
    text = formula.strip()
    if len(text) > 200:
        return None
    if re.fullmatch(r'"(?:[^"]|"")*"', text):
        return text[1:-1].replace('""', '"')
    if not re.fullmatch(r"[0-9.\s+\-*/()]+", text):
        return None
    import ast
    import operator

    ops = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}

    def value(node: ast.expr) -> float:
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool):
            return float(node.value)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.UAdd | ast.USub):
            number = value(node.operand)
            return -number if isinstance(node.op, ast.USub) else number
        if isinstance(node, ast.BinOp) and type(node.op) in ops:
            return float(ops[type(node.op)](value(node.left), value(node.right)))
        raise ValueError(node)

    try:
        number = value(ast.parse(text, mode="eval").body)
    except (SyntaxError, ValueError, ArithmeticError, RecursionError):
        return None
    return number if math.isfinite(number) else None


_CONTENT_TAGS: frozenset[str] = frozenset()
"""The tags that give a cell content (``v``, ``f``, ``is``), set when openpyxl is loaded."""


def _parser_class() -> type:
    """openpyxl's worksheet parser reading rows with no cell content as row numbers only (a sheet
    padded to 1.048.576 styled rows reads in seconds) and a formula cell without a stored value
    as its constant value or :class:`Uncached` instead of a blank."""
    global _PARSER, _CONTENT_TAGS
    if _PARSER is not None:
        return _PARSER
    from openpyxl.worksheet._reader import FORMULA_TAG, INLINE_STRING, VALUE_TAG, WorkSheetParser

    _CONTENT_TAGS = frozenset((FORMULA_TAG, INLINE_STRING, VALUE_TAG))

    class Parser(WorkSheetParser):  # type: ignore[misc]  # openpyxl is untyped
        row_counter: int

        def parse_row(self, row: Any) -> tuple[int, list[dict[str, object]]]:
            tags = _CONTENT_TAGS
            if any(el.tag in tags for el in row.iter()):
                return super().parse_row(row)  # type: ignore[no-any-return]
            r = row.get("r")
            self.row_counter = int(float(r)) if r else self.row_counter + 1
            return self.row_counter, []

        def parse_cell(self, element: Any) -> dict[str, object]:
            cell: dict[str, object] = super().parse_cell(element)
            formula = element.find(FORMULA_TAG) if cell["value"] is None else None
            if formula is not None:
                text = formula.text or ""
                if formula.get("t") == "shared":  # the first cell holds the text of the others
                    texts = self.__dict__.setdefault("shared_texts", {})
                    text = texts.setdefault(formula.get("si"), text) if text else texts.get(formula.get("si"), "")
                value = constant_formula(text) if text else None
                cell["value"] = Uncached(text or "?") if value is None else value
            return cell

    _PARSER = Parser
    return Parser


_PARSER: type | None = None


def sheet_rows(
    wb: Any, name: str, *, max_rows: int | None = None, first: int | None = None
) -> list[tuple[int, list[object]]]:
    """The non-blank rows of worksheet ``name``, each with its Excel row number and its cells up to
    the last one with content: the rows the sheet really holds, however far its stated size or its
    empty styled rows reach (LibreOffice keeps 1.048.576 rows after rows were deleted). The one
    reader of a worksheet's cells for every workbook reader of the package.

    ``wb`` is a workbook opened with ``load_workbook(path, read_only=True, data_only=True)``.
    Cells come as openpyxl reads them (text, numbers, dates), with three differences: a number
    formatted as a percentage is in percent (``0,875`` shown as ``87,5%`` is 87.5); every cell of
    a merged range holds the value of its top-left cell, as the sheet shows it (a row blank but
    for a merged range stays blank); a formula without a stored value is its value when it is
    made of constants only (``=30*2`` is 60), else an :class:`Uncached`, never a blank.

    ``max_rows``: raise :class:`_TooMany` beyond a header and this many non-blank rows;
    ``first``: stop after this many non-blank rows (the header row: ``first=1``).
    :class:`_TooWide` for a cell with content beyond column :data:`MAX_COLUMNS`.
    """
    from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE

    def fmt(style: Any) -> str:
        i = style.numFmtId
        return str(
            BUILTIN_FORMATS.get(i, "")
            if i < BUILTIN_FORMATS_MAX_SIZE
            else wb._number_formats[i - BUILTIN_FORMATS_MAX_SIZE]
        )

    percent = {i for i, style in enumerate(wb._cell_styles) if "%" in fmt(style)}
    ws = wb[name]
    with ws._get_source() as src:
        last, merges = _extent(src)
    limit = None if max_rows is None else max_rows + 1
    rows: list[tuple[int, list[object]]] = []
    if last == 0:
        return rows
    with ws._get_source() as src:
        parser = _parser_class()(
            src,
            ws._shared_strings,
            data_only=True,
            epoch=wb.epoch,
            date_formats=wb._date_formats,
            timedelta_formats=wb._timedelta_formats,
        )
        for n, cells in parser.parse():
            if last is not None and n > last:
                break  # only empty rows below: not read
            filled = [
                c for c in cells if c["value"] is not None and (type(c["value"]) is not str or clean_text(c["value"]))
            ]
            if not filled:
                continue
            width = max(int(c["column"]) for c in filled)
            if width > MAX_COLUMNS:
                raise _TooWide(n)
            values: list[object] = [None] * width
            for c in filled:
                v = c["value"]
                if isinstance(v, int | float) and not isinstance(v, bool):
                    if c["style_id"] in percent:
                        v = round(v * 100, 10) if math.isfinite(v) else v
                    if isinstance(v, float) and not math.isfinite(v):
                        v = str(v)  # 1e999 in the XML: read as its text, refused where a number goes
                values[int(c["column"]) - 1] = v
            rows.append((n, values))
            if limit is not None and len(rows) > limit:
                raise _TooMany
            if first is not None and len(rows) >= first:
                break
    _fill_merged(rows, merges)
    return rows


_CONTENT = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?(?:v|f|is)[\s>/]")
"""The start of an element giving a cell content: a value, a formula, an inline string."""
_DATA_END = re.compile(rb"</(?:[A-Za-z_][\w.\-]*:)?sheetData\s*>")
_ROW_NUMBER = re.compile(rb"""<(?:[A-Za-z_][\w.\-]*:)?row\s[^>]*?\br\s*=\s*["']?(\d+)""")
_ROW_START = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?row[\s>/]")
_MERGE = re.compile(rb"""<(?:[A-Za-z_][\w.\-]*:)?mergeCell\s[^>]*?\bref\s*=\s*["']([A-Za-z0-9$:]+)["']""")


def _extent(src: Any) -> tuple[int | None, list[str]]:
    """The last row of a worksheet's XML (a binary stream) with a cell that has content (0 when
    none; ``None`` when its rows carry no number, then every row is to be parsed) and its merged
    ranges (``B2:B40``), found by scanning the bytes: a sheet padded with a million empty styled
    rows in about a second, where parsing them takes ten times as long."""
    last: int | None = 0
    row = 0  # the number of the last row started in the bytes scanned so far
    merges: set[bytes] = set()
    tail = b""
    in_data = True
    while chunk := src.read(1 << 22):
        buf = tail + chunk  # the tail again: a tag cut off at the end of the last chunk
        start = 0
        if in_data:
            end = _DATA_END.search(buf)
            stop = end.start() if end else len(buf)
            found = None
            for m in _CONTENT.finditer(buf, 0, stop):
                found = m
            if found is not None and last is not None:
                before = _last_row(buf, found.start())
                last = None if before is None else max(last, before or row)
            at_end = _last_row(buf, stop)
            if at_end is None:
                last = None
            row = at_end or row
            if end:
                in_data, start = False, end.end()
        if not in_data:
            merges.update(_MERGE.findall(buf, start))
        tail = buf[-1024:]
    return last, sorted(m.decode("ascii") for m in merges)


def _last_row(buf: bytes, pos: int) -> int | None:
    """The number of the last row whose start tag is complete in ``buf`` before ``pos``: 0 when
    there is none, ``None`` when it has no number (``r``, optional in the format)."""
    i = pos
    while (i := buf.rfind(b"row", 0, i)) > 0:
        lt = buf.rfind(b"<", 0, i)
        tag = _ROW_START.match(buf, lt) if lt >= 0 else None
        if tag is None or tag.end() - 4 != i or buf.find(b">", i, pos) < 0:
            continue
        number = _ROW_NUMBER.match(buf, lt)
        return int(number.group(1)) if number else None
    return 0


def _fill_merged(rows: list[tuple[int, list[object]]], refs: list[str]) -> None:
    """Give every cell of each merged range (``B2:B40``) its top-left cell's value, in the rows
    that have other content (``rows`` as :func:`sheet_rows` gives them, changed in place)."""
    from bisect import bisect_left, bisect_right

    from openpyxl.utils.cell import range_boundaries

    numbers = [n for n, _ in rows]  # ascending, as in the file
    for ref in refs:
        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref)
        except (TypeError, ValueError):
            continue
        start, end = bisect_left(numbers, min_row), bisect_right(numbers, max_row)
        width = min(max_col, MAX_COLUMNS)
        if start == end or numbers[start] != min_row or width < min_col:
            continue  # the top-left cell's row is blank: nothing to spread
        top = rows[start][1]
        value = top[min_col - 1] if min_col <= len(top) else None
        if value is None:
            continue
        for _n, cells in rows[start:end]:
            if len(cells) < width:
                cells += [None] * (width - len(cells))
            cells[min_col - 1 : width] = [value] * (width - min_col + 1)


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
    rows = _raw_rows(path, problems, sheet, max_rows)
    return None if rows is None else _raw_table(path, rows, problems)


def _raw_rows(
    path: Path, problems: Problems, sheet: str | None, max_rows: int
) -> list[tuple[int, list[object]]] | None:
    """The file's rows with their Excel row numbers, or ``None`` with the problem recorded (see
    :func:`raw_columns`)."""
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
    return rows


def _raw_table(path: Path, rows: list[tuple[int, list[object]]], problems: Problems) -> dict[str, list[object]] | None:
    """The rows as columns under the first non-blank row's headers: a header twice and a cell
    beyond the last header are problems; ``None`` (with the problem recorded) without data rows."""
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
