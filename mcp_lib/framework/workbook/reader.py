"""Reading the framework workbook and importing it as a framework folder.

:func:`read_framework_workbook` reads the sheets with :func:`~mcp_lib.io.readers.read_table` and
checks them with :func:`~mcp_lib.framework.rules.assemble_framework`, the checker of framework
folders, so a typed framework meets exactly the rules of ``framework.csv``; every problem names the
workbook, the sheet, the Excel row and the column (letter and header).
:func:`import_framework_workbook` writes the framework folder ``<data>/frameworks/mcp-<year>/``
(an existing one is kept as ``mcp-<year>.bak-<timestamp>``). The layout: :mod:`mcp_lib.framework.workbook.layout`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from mcp_lib.config import FRAMEWORK_YEARS
from mcp_lib.errors import InputError, Problem, Problems
from mcp_lib.files import keep_backup, shared_mode
from mcp_lib.framework.calendar import assessment_problem
from mcp_lib.framework.folder import write_framework
from mcp_lib.framework.model import DEFAULT_LEVELS, Framework, Level, default_detail
from mcp_lib.framework.rules import (
    BANDS_SCHEMA,
    EVIDENCE_SCHEMA,
    SCORING_COLUMNS,
    WINDOW,
    FrameworkMeta,
    assemble_framework,
    framework_schema,
)
from mcp_lib.framework.workbook.layout import (
    BAND_COLUMNS,
    BAND_SHEET,
    DATA_SHEETS,
    DOCUMENT_SHEET,
    LEVEL_COLUMNS,
    LEVEL_SHEET,
    META_COLUMNS,
    META_SHEET,
    SETTINGS,
    STRUCTURE_SHEET,
    Col,
    Sheet,
    check_levels,
    match_documents,
    match_structure,
    optional_structure,
    structure_columns,
)
from mcp_lib.io.rawfile import (
    ROW,
    UNCACHED_EXPECTED,
    UNCACHED_MESSAGE,
    Uncached,
    check_xlsx,
    clean_text,
    normalise_header,
    read_raw,
    sheet_rows,
)
from mcp_lib.io.readers import Column, Schema, parse_date, parse_number, read_table

LEVEL_SCHEMA = Schema("tingkat", (Column("key", "text"), Column("name", "text")), max_rows=100)
_SETTING_KEYS = {normalise_header(label): key for key, label, _ in SETTINGS} | {key: key for key, _, _ in SETTINGS}


# --- reading -------------------------------------------------------------------------------------


def _unreadable(path: Path, exc: Exception, problems: Problems) -> None:
    """A workbook openpyxl cannot open or read through (the error's kind named, never its trace)."""
    problems.add(
        path,
        f"buku kerja tidak dapat dibaca ({type(exc).__name__})",
        expected="berkas .xlsx yang sah dari Excel atau LibreOffice",
    )


def _scan(path: Path, problems: Problems) -> dict[str, Sheet] | None:
    """The data sheets of the workbook with their header rows (the first non-blank row, as
    :func:`~mcp_lib.io.readers.read_table` takes it), or ``None`` with the problem recorded when the
    workbook cannot be opened. Missing sheets are recorded too."""
    from openpyxl import load_workbook

    if not path.is_file():
        problems.add(
            path,
            "buku kerja kerangka tidak ditemukan",
            expected="berkas .xlsx yang ada (buat dengan: mcp framework template)",
        )
        return None
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        problems.add(
            path,
            "buku kerja kerangka harus berkas Excel .xlsx",
            value=path.suffix or path.name,
            expected="berkas .xlsx (buat dengan: mcp framework template)",
        )
        return None
    reason = check_xlsx(path)
    if reason:
        problems.add(path, reason, expected="berkas .xlsx dari Excel atau LibreOffice")
        return None
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        _unreadable(path, exc, problems)
        return None
    try:
        present = {normalise_header(n): n for n in wb.sheetnames}
        sheets: dict[str, Sheet] = {}
        for name in DATA_SHEETS:
            label = str(Path(f"{path}, sheet {name}"))
            actual = present.get(normalise_header(name))
            sheet = Sheet(name, actual, label)
            sheets[name] = sheet
            if actual is None:
                problems.add(
                    label,
                    "sheet tidak ada",
                    expected=f"sheet bernama {name} (sheet yang ada: {', '.join(wb.sheetnames)}); buat buku kerja "
                    "baru dengan mcp framework template atau mcp framework export",
                )
                continue
            for _row, cells in sheet_rows(wb, actual, first=1):
                sheet.headers = [clean_text(v) for v in cells]
        return sheets
    except Exception as exc:
        _unreadable(path, exc, problems)
        return None
    finally:
        wb.close()


def _require(sheet: Sheet, cols: tuple[Col, ...], problems: Problems, optional: set[str] = frozenset()) -> bool:
    """Record each required column the sheet lacks; whether it has them all."""
    ok = True
    present = ", ".join(h for h in sheet.headers if h) or "(tidak ada)"
    for col in cols:
        if col.name not in sheet.columns and col.name not in optional:
            problems.add(
                sheet.label,
                "kolom wajib tidak ada",
                row=1,
                column=col.label,
                expected=f"judul kolom '{col.label}' di baris 1 (judul yang ada: {present})",
            )
            ok = False
    return ok


_SHEET_MESSAGES = {
    "berkas kosong": "sheet kosong",
    "berkas tidak berisi baris data": "sheet tidak berisi baris data",
}
"""Messages of the table reader that say "file" where the workbook's sheet is meant."""


def _read(path: Path, sheet: Sheet, schema: Schema, problems: Problems) -> pd.DataFrame | None:
    """:func:`read_table` on one sheet, its problems naming the sheet."""
    local = Problems()
    frame = read_table(path, schema, local, sheet=sheet.actual, aliases=sheet.aliases)
    problems.extend(dataclasses.replace(p, file=sheet.label) for p in local.items)
    return frame


def _read_levels(path: Path, sheet: Sheet, problems: Problems) -> tuple[Level, ...] | None:
    """The levels typed in Tingkat, or ``None`` (with the problems recorded)."""
    sheet.match(LEVEL_COLUMNS)
    if not _require(sheet, LEVEL_COLUMNS, problems):
        return None
    before = len(problems)
    frame = _read(path, sheet, LEVEL_SCHEMA, problems)
    if frame is None or len(problems) > before:
        return None
    items = [
        (int(row), key.lower(), " ".join(name.split()))
        for key, name, row in zip(frame["key"], frame["name"], frame[ROW], strict=True)
    ]
    if not check_levels(items, sheet.label, problems, columns=("key", "name")):
        return None
    return tuple(Level(key, name) for _row, key, name in items)


def _excel_date(value: object) -> dt.date | None:
    """A date cell: an Excel date, a date serial number (a date in a cell formatted as a number),
    or text as :func:`~mcp_lib.io.readers.parse_date` reads it. ``ValueError`` otherwise."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 36526 <= value <= 73415:  # 2000-01-01 .. 2100-12-31
            return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
        raise ValueError(value)
    return parse_date(value)


def _read_meta(
    path: Path, sheet: Sheet, problems: Problems, levels: tuple[Level, ...] | None, year: int | None
) -> FrameworkMeta:
    """Kerangka's settings (``year`` given overrides Tahun)."""
    settings = _meta_settings(path, sheet, problems)
    year = _meta_year(path, sheet, settings, year, problems)
    close, final = _meta_dates(sheet, settings, year, problems)
    shown = levels or DEFAULT_LEVELS
    detail = _meta_detail(sheet, settings, levels, problems) or default_detail(shown)
    return FrameworkMeta(year, clean_text(settings.value("label")) or None, close, final, shown, detail)


@dataclasses.dataclass
class _Settings:
    """The settings typed in Kerangka: each key's row and value."""

    found: dict[str, tuple[int, object]] = dataclasses.field(default_factory=dict)
    reported: set[str] = dataclasses.field(default_factory=set)
    """Settings whose value is a formula without a stored value (told already)."""

    def where(self, key: str) -> int | None:
        return self.found[key][0] if key in self.found else None

    def value(self, key: str) -> object:
        return self.found[key][1] if key in self.found else None


def _meta_settings(path: Path, sheet: Sheet, problems: Problems) -> _Settings:
    """Kerangka's rows: a known setting once each, with its value."""
    sheet.match(META_COLUMNS)
    settings = _Settings()
    if sheet.actual is None or not _require(sheet, META_COLUMNS, problems, optional={"note"}):
        return settings
    local = Problems()
    frame = read_raw(path, local, sheet=sheet.actual, max_rows=100)
    problems.extend(
        dataclasses.replace(p, file=sheet.label, message=_SHEET_MESSAGES.get(p.message, p.message)) for p in local.items
    )
    if frame is None:
        return settings
    key_col = normalise_header(sheet.headers[sheet.columns["setting"]])
    value_col = normalise_header(sheet.headers[sheet.columns["value"]])
    for label, value, row in zip(frame[key_col], frame[value_col], frame[ROW], strict=True):
        _meta_row(sheet, settings, clean_text(label), value, row, problems)
    return settings


def _meta_row(sheet: Sheet, settings: _Settings, text: str, value: object, row: int, problems: Problems) -> None:
    """One row of Kerangka (``text``: its setting as typed)."""
    key = _SETTING_KEYS.get(normalise_header(text))
    if not text:
        if clean_text(value):
            problems.add(
                sheet.label,
                "nilai tanpa nama pengaturan",
                row=row,
                column="setting",
                value=value,
                expected="nama pengaturan di kolom Pengaturan",
            )
    elif key is None:
        problems.add(
            sheet.label,
            "pengaturan tidak dikenal",
            row=row,
            column="setting",
            value=text,
            expected="salah satu dari: " + ", ".join(label for _k, label, _n in SETTINGS),
        )
    elif key in settings.found:
        problems.add(
            sheet.label,
            f"pengaturan ditulis dua kali (sudah ada di baris {settings.found[key][0]})",
            row=row,
            column="setting",
            value=text,
            expected="setiap pengaturan sekali",
        )
    elif isinstance(value, Uncached):
        problems.add(
            sheet.label, UNCACHED_MESSAGE, row=row, column="value", value=str(value), expected=UNCACHED_EXPECTED
        )
        settings.found[key] = (int(row), None)
        settings.reported.add(key)
    else:
        settings.found[key] = (int(row), value)


def _meta_year(path: Path, sheet: Sheet, settings: _Settings, year: int | None, problems: Problems) -> int | None:
    """``year`` when given (checked), else Tahun's; ``None`` with the problem recorded."""
    if year is not None:
        if type(year) is not int or not FRAMEWORK_YEARS[0] <= year <= FRAMEWORK_YEARS[1]:
            problems.add(
                path,
                "tahun kerangka tidak sah",
                value=year,
                expected=f"tahun {FRAMEWORK_YEARS[0]}–{FRAMEWORK_YEARS[1]}, mis. 2025",
            )
            return None
        return year
    raw = settings.value("year")
    try:
        number = parse_number(raw)
    except ValueError:
        number = math.nan
    if (
        number is not None
        and not math.isnan(number)
        and number.is_integer()
        and FRAMEWORK_YEARS[0] <= number <= FRAMEWORK_YEARS[1]
    ):
        return int(number)
    if sheet.actual is not None and "year" not in settings.reported:
        problems.add(
            sheet.label,
            "tahun kerangka kosong" if raw is None or clean_text(raw) == "" else "tahun kerangka tidak sah",
            row=settings.where("year"),
            column="value",
            value=raw,
            expected="tahun di baris Tahun, mis. 2025 (atau --year saat impor)",
        )
    return None


def _meta_dates(
    sheet: Sheet, settings: _Settings, year: int | None, problems: Problems
) -> tuple[dt.date | None, dt.date | None]:
    """The upload close and the final date: dates within framework ``year``'s assessment, the final
    not before the close."""
    dates: list[dt.date | None] = []
    for key in ("upload_close", "final_date"):
        raw = settings.value(key)
        try:
            dates.append(_excel_date(raw) if clean_text(raw) else None)
        except (ValueError, OverflowError):
            problems.add(
                sheet.label,
                "tanggal tidak dapat dibaca",
                row=settings.where(key),
                column="value",
                value=raw,
                expected="tanggal, mis. 30/11/2025 atau 2025-11-30",
            )
            dates.append(None)
            continue
        outside = assessment_problem(year, dates[-1]) if dates[-1] is not None and year is not None else None
        if outside:
            problems.add(
                sheet.label,
                outside[0],
                row=settings.where(key),
                column="value",
                value=f"{dates[-1]:%d/%m/%Y}",
                expected=f"{outside[1]}; kerangka tahun lalu yang disalin: ganti tanggalnya",
            )
            dates[-1] = None
    if dates[0] and dates[1] and dates[1] < dates[0]:
        problems.add(
            sheet.label,
            "tanggal final sebelum batas unggah",
            row=settings.where("final_date"),
            column="value",
            value=dates[1].strftime("%d/%m/%Y"),
            expected=f"sama dengan atau sesudah batas unggah ({dates[0]:%d/%m/%Y})",
        )
    return dates[0], dates[1]


def _meta_detail(sheet: Sheet, settings: _Settings, levels: tuple[Level, ...] | None, problems: Problems) -> str | None:
    """The level of the detailed table named in Kerangka (a key of ``levels``), if any."""
    wanted = clean_text(settings.value("detail_level"))
    if not wanted or levels is None:
        return None
    match = [lv.key for lv in levels if normalise_header(wanted) in (normalise_header(lv.name), lv.key)]
    if match:
        return match[0]
    problems.add(
        sheet.label,
        "tingkat tabel rinci tidak dikenal",
        row=settings.where("detail_level"),
        column="value",
        value=wanted,
        expected="salah satu Nama di sheet Tingkat: " + ", ".join(lv.name for lv in levels) + " (atau kosong)",
    )
    return None


_SCHEMA_WORD = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b|(?<=kolom )(?:" + "|".join(SCORING_COLUMNS) + r")\b")
"""A schema column's name in a problem's text: a name with ``_``, or a one-word scoring column
after "kolom" (``kolom deadline``; elsewhere ``window`` is the English term in brackets)."""


def read_framework_workbook(path: Path, year: int | None = None) -> Framework:
    """Read and check a framework workbook with the rules of a framework folder.

    Parameters
    ----------
    path
        The workbook (``.xlsx``) made by :func:`write_template` or :func:`export_framework`.
    year
        The framework year; overrides Tahun in sheet Kerangka.

    Raises
    ------
    InputError
        Listing every problem, each naming the workbook, the sheet, the Excel row and the column
        (letter and header, e.g. ``kolom 'C (Bobot Area)'``); also when the file is missing, not a
        workbook, or lacks a sheet or a column.
    """
    path = Path(path)
    problems = Problems()
    sheets = _scan(path, problems)
    if sheets is None:
        problems.raise_if_any()
    assert sheets is not None
    level_sheet, structure_sheet = sheets[LEVEL_SHEET], sheets[STRUCTURE_SHEET]
    document_sheet, band_sheet = sheets[DOCUMENT_SHEET], sheets[BAND_SHEET]

    levels = _read_levels(path, level_sheet, problems) if level_sheet.actual else None
    meta = _read_meta(path, sheets[META_SHEET], problems, levels, year)

    fw = None
    unreadable: set[tuple[int, str]] = set()
    if levels is not None and structure_sheet.actual:
        match_structure(structure_sheet, levels)
        if _require(structure_sheet, structure_columns(levels), problems, optional=optional_structure(levels)):
            before = len(problems)
            fw = _read(path, structure_sheet, framework_schema(levels), problems)
            unreadable = {(p.row, p.column) for p in problems.items[before:] if p.row is not None}

    bottom_name = levels[-1].name if levels else "Sub-indikator"
    ev = None
    if document_sheet.actual:
        cols = match_documents(document_sheet, levels, bottom_name)
        if _require(document_sheet, cols, problems, optional={WINDOW}):
            ev = _read(path, document_sheet, EVIDENCE_SCHEMA, problems)
    bands = None
    if band_sheet.actual:
        band_sheet.match(BAND_COLUMNS)
        if _require(band_sheet, BAND_COLUMNS, problems, optional={"colour"}):
            bands = _read(path, band_sheet, BANDS_SCHEMA, problems)

    first_rows: dict[str, int] = {}
    if fw is not None:
        for code, row in zip(fw["subindicator_code"], fw[ROW], strict=True):
            if code is not None:
                first_rows.setdefault(code, int(row))
    paths = (Path(structure_sheet.label), Path(document_sheet.label), Path(band_sheet.label))
    try:
        framework = assemble_framework(meta, fw, ev, bands, problems, paths=paths, unreadable=unreadable)
    except InputError as exc:
        raise InputError(_relabel(exc.problems, sheets, bottom_name, first_rows)) from None
    return framework


def _relabel(
    problems: tuple[Problem, ...], sheets: dict[str, Sheet], bottom_name: str, first_rows: dict[str, int]
) -> list[Problem]:
    """The problems as an analyst finds them in the workbook: columns as letter and header,
    schema column names in messages as headers, a lowest-level item without documents at its
    Struktur row."""
    where = {s.label: {name: s.where(name) for name in s.columns} for s in sheets.values()}
    words: dict[str, str] = {}
    for s in (sheets[BAND_SHEET], sheets[DOCUMENT_SHEET], sheets[STRUCTURE_SHEET]):
        words |= {name: s.headers[i] for name, i in s.columns.items()}
    structure, documents = sheets[STRUCTURE_SHEET], sheets[DOCUMENT_SHEET]
    without = re.compile(re.escape(bottom_name.lower()) + r" (\S+) tidak punya dokumen bukti")

    def text(value: str | None) -> str | None:
        return _SCHEMA_WORD.sub(lambda m: words.get(m.group(0), m.group(0)), value) if value else value

    out = []
    for p in problems:
        m = without.fullmatch(p.message)
        if p.file == documents.label and p.row is None and m and m.group(1) in first_rows:
            p = dataclasses.replace(
                p,
                file=structure.label,
                row=first_rows[m.group(1)],
                expected=f"{p.expected} (tambahkan di sheet {DOCUMENT_SHEET})" if p.expected else None,
            )
        column = where.get(p.file, {}).get(p.column, p.column) if p.column else p.column
        message = _SHEET_MESSAGES.get(p.message, p.message)
        out.append(dataclasses.replace(p, column=column, message=text(message), expected=text(p.expected)))
    return out


# --- importing -----------------------------------------------------------------------------------


def import_framework_workbook(path: Path, year: int, data_dir: Path, *, force: bool = False) -> tuple[Path, Framework]:
    """Check a framework workbook and write it as ``<data_dir>/frameworks/mcp-<year>/``
    (``framework.csv``, ``evidence.csv``, ``bands.csv``, ``framework.toml`` and a README.md).

    The folder is written next to its place under a temporary name and renamed when complete. An
    existing folder is replaced only with ``force``, and then kept as ``mcp-<year>.bak-<timestamp>``
    (:func:`~mcp_lib.files.keep_backup`): nothing is lost.

    Returns
    -------
    The folder written and the framework.

    Raises
    ------
    InputError
        The workbook's problems (sheet, row, column), and an existing folder without ``force``.
    """
    path, data_dir = Path(path), Path(data_dir)
    problems: list[Problem] = []
    framework = None
    try:
        framework = read_framework_workbook(path, year)
    except InputError as exc:
        problems += exc.problems
    base = data_dir / "frameworks"
    folder = base / f"mcp-{year}"
    if (folder.exists() or folder.is_symlink()) and not force:
        problems.append(
            Problem(
                str(folder),
                "folder kerangka sudah ada dan tidak ditimpa",
                expected=f"jalankan lagi dengan --force (folder lama disimpan sebagai mcp-{year}.bak-<tanggal-jam>)",
            )
        )
    if problems:
        raise InputError(problems)
    assert framework is not None
    base.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".mcp-{year}.tmp-", dir=base))
    try:
        write_framework(framework, tmp)
        (tmp / "README.md").write_text(_readme(framework, path.name), encoding="utf-8")
        shared_mode(tmp)
        backup = keep_backup(folder)
        try:
            tmp.rename(folder)
        except OSError:
            if backup is not None:
                backup.rename(folder)
            raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return folder, dataclasses.replace(framework, path=folder)


def _readme(framework: Framework, workbook: str) -> str:
    """The README of an imported framework folder (no date: importing twice gives the same file)."""
    return (
        f"# Kerangka MCP {framework.year}\n\n"
        f"Diimpor dari buku kerja `{workbook}` dengan `mcp framework import`.\n\n"
        f"{framework.summary()}.\n\n"
        "Untuk mengubahnya, ubah buku kerja itu lalu impor lagi dengan `--force` (folder ini disimpan sebagai\n"
        f"`mcp-{framework.year}.bak-<tanggal-jam>`); buku kerja kerangka ini dibuat lagi dengan `mcp framework "
        f"export --year {framework.year}`.\n"
        f"Periksa folder ini dengan `mcp validate` (folder `frameworks/mcp-{framework.year}`).\n"
    )
