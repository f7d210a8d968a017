"""The framework workbook: an MCP framework typed in Excel from the KPK application or guide,
checked with the rules of a framework folder and imported as one.

Layout of ``kerangka-<year>.xlsx`` (sheet names and headers in Bahasa Indonesia)::

    Petunjuk   how to fill the workbook, and an example of each data sheet
    Kerangka   the settings: Tahun, Label, Batas unggah, Tanggal final, Tingkat tabel rinci
               (Pengaturan | Nilai | Keterangan; dates as Excel dates)
    Tingkat    one row per level, top to bottom: Kunci (``area`` … ``subindicator``), Nama
    Struktur   one row per lowest-level item: "Kode <level>", "Nama <level>", "Bobot <level>"
               for every level, then "Berlaku untuk" and "OPD pengampu"
    Dokumen    one row per evidence document: "Kode <lowest level>", Kode dokumen, Nama dokumen,
               Poin
    Predikat   the score bands: Predikat, Batas bawah, Warna
    Daftar     (hidden) the choices of the "Berlaku untuk" dropdown

:func:`read_framework_workbook` reads the sheets with :func:`~mcp_lib.readers.read_table` and
checks them with :func:`~mcp_lib.framework.assemble_framework`, the checker of framework folders,
so a typed framework meets exactly the rules of ``framework.csv``; every problem names the
workbook, the sheet, the Excel row and the column (letter and header).
:func:`import_framework_workbook` writes the framework folder ``<data>/frameworks/mcp-<year>/``
(an existing one is kept as ``mcp-<year>.bak``). :func:`export_framework` writes the workbook of
an existing framework: export then import gives back the same framework files, byte for byte.

Struktur's columns are found by their headers ("Kode Sasaran" for the level named Sasaran in
Tingkat); when a level was renamed in Tingkat but not in Struktur (or the other way round), the
"Kode …" column groups are taken in order, one per level.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
import shutil
import tempfile
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from mcp_lib.config import APPLIES_TO, BUNDLED_FRAMEWORKS_DIR
from mcp_lib.errors import InputError, Problem, Problems
from mcp_lib.files import keep_backup, shared_mode
from mcp_lib.framework import (
    BANDS_SCHEMA,
    BOTTOM,
    DEFAULT_LEVELS,
    EVIDENCE_SCHEMA,
    LEVEL_KEY,
    MAX_LEVELS,
    TOP,
    Framework,
    FrameworkMeta,
    Level,
    assemble_framework,
    default_detail,
    framework_schema,
    load_framework,
    write_framework,
)
from mcp_lib.rawfile import ROW, check_xlsx, clean_text, normalise_header, read_raw
from mcp_lib.readers import Column, Schema, keep_as_text, parse_date, parse_number, read_table

HELP_SHEET = "Petunjuk"
META_SHEET = "Kerangka"
LEVEL_SHEET = "Tingkat"
STRUCTURE_SHEET = "Struktur"
DOCUMENT_SHEET = "Dokumen"
BAND_SHEET = "Predikat"
LIST_SHEET = "Daftar"
DATA_SHEETS = (META_SHEET, LEVEL_SHEET, STRUCTURE_SHEET, DOCUMENT_SHEET, BAND_SHEET)
"""The sheets the reader needs (Petunjuk and Daftar are for the analyst and Excel only)."""

TEMPLATE_LEVELS = (
    Level(TOP, "Area"),
    Level("sasaran", "Sasaran"),
    Level("indicator", "Indikator"),
    Level(BOTTOM, "Sub-indikator"),
)
"""The levels of an empty workbook: those of the 2025 framework (MCSP)."""

APPLIES_CHOICES = (*APPLIES_TO, "kabupaten;kota")
"""The "Berlaku untuk" dropdown (other combinations may be typed, separated by ``;``)."""

VALIDATION_ROWS = 2000
"""Data validation and text format reach this many rows below the data (room to type)."""

_HEADER_FILL = "DDE7F0"
_LEVEL_FILLS = ("DDE7F0", "E6EFD8")
"""Header colours of Struktur's level column groups, alternating so each level stands out."""
_REF_FILL = "E1E5EA"
_DATE_FORMAT = "DD/MM/YYYY"
_HELP_WIDTH = 105
"""Petunjuk's text lines are at most this long: each is one cell that overflows to the right."""


# --- headers ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Col:
    """A workbook column: the schema column it feeds, its header, width and other accepted headers."""

    name: str
    label: str
    width: float
    also: tuple[str, ...] = ()

    def accepts(self) -> set[str]:
        return {normalise_header(h) for h in (self.label, self.name, *self.also)}


def structure_columns(levels: tuple[Level, ...]) -> tuple[_Col, ...]:
    """Struktur's columns: code, name and weight of every level, then Berlaku untuk, OPD pengampu."""
    cols: list[_Col] = []
    for i, level in enumerate(levels):
        name_width = 40 if i == len(levels) - 1 else 28
        cols += [
            _Col(level.code, f"Kode {level.name}", 14, (f"Kode {level.key}",)),
            _Col(level.title, f"Nama {level.name}", name_width, (f"Nama {level.key}",)),
            _Col(level.weight, f"Bobot {level.name}", 12, (f"Bobot {level.name} (%)", f"Bobot {level.key}")),
        ]
    return (
        *cols,
        _Col("applies_to", "Berlaku untuk", 16, ("Berlaku",)),
        _Col("default_opd", "OPD pengampu", 26, ("OPD", "OPD penanggung jawab")),
    )


def document_columns(levels: tuple[Level, ...]) -> tuple[_Col, ...]:
    """Dokumen's columns (the first names the lowest level as Tingkat calls it)."""
    return (
        _Col("subindicator_code", f"Kode {levels[-1].name}", 16, ("Kode sub-indikator", "Kode subindikator")),
        _Col("doc_code", "Kode dokumen", 18),
        _Col("doc_name", "Nama dokumen", 70, ("Dokumen", "Dokumen bukti")),
        _Col("points", "Poin", 8, ("Poin maks",)),
    )


BAND_COLUMNS = (
    _Col("band", "Predikat", 16),
    _Col("lower_bound", "Batas bawah", 12, ("Batas bawah (%)",)),
    _Col("colour", "Warna", 12, ("Color",)),
)
LEVEL_COLUMNS = (_Col("key", "Kunci", 16), _Col("name", "Nama", 28))
META_COLUMNS = (_Col("setting", "Pengaturan", 22), _Col("value", "Nilai", 30), _Col("note", "Keterangan", 90))
LEVEL_SCHEMA = Schema("tingkat", (Column("key", "text"), Column("name", "text")), max_rows=100)

SETTINGS: tuple[tuple[str, str, str], ...] = (
    ("year", "Tahun", "tahun MCP kerangka ini, mis. 2025 (wajib; --year saat impor menggantinya)"),
    ("label", "Label", "nama kerangka di brief, mis. MCP 2025; kosong = MCP <tahun>"),
    ("upload_close", "Batas unggah", "hari terakhir unggah dokumen di aplikasi MCP, mis. 30/11/2025 (boleh kosong)"),
    ("final_date", "Tanggal final", "hari terakhir verifikasi dan QA, sama dengan atau sesudah batas unggah (boleh kosong)"),
    ("detail_level", "Tingkat tabel rinci", "tingkat yang dirinci tabel brief: salah satu Nama di sheet Tingkat; "
                                            "kosong = tingkat tepat di atas yang terbawah"),
)  # fmt: skip
"""Kerangka's rows: the ``framework.toml`` key, the label shown, the note beside it."""
_SETTING_KEYS = {normalise_header(label): key for key, label, _ in SETTINGS} | {
    key: key for key, _, _ in SETTINGS
}


# --- writing -------------------------------------------------------------------------------------


def write_template(
    out: Path, levels: tuple[Level, ...] | None = None, *, year: int | None = None, force: bool = False
) -> Path:
    """Write an empty framework workbook to fill in: the levels in Tingkat, the headers of the data
    sheets, the year in Kerangka when given, the bands of the newest bundled framework in Predikat
    (to check against this year's guide), and an example on Petunjuk.

    Parameters
    ----------
    out
        The ``.xlsx`` to write.
    levels
        The framework's levels, top to bottom (default: the four of 2025, :data:`TEMPLATE_LEVELS`).
    year
        The framework year written in Kerangka (blank when not given).
    force
        Replace an existing ``out`` (kept as ``<name>.bak-<timestamp>.xlsx``).

    Raises
    ------
    InputError
        When ``out`` exists and ``force`` is not set, is not an ``.xlsx``, or ``levels`` breaks the
        rules of levels.
    """
    levels = tuple(levels) if levels is not None else TEMPLATE_LEVELS
    problems = Problems()
    _check_levels([(None, lv.key, lv.name) for lv in levels], str(out), problems, columns=("key", "name"))
    problems.raise_if_any()
    settings = {"year": year, "label": None, "upload_close": None, "final_date": None, "detail_level": None}
    # The bands of the newest bundled framework as a start: they change less often than the rest.
    newest = load_framework(
        max(int(p.name[4:]) for p in BUNDLED_FRAMEWORKS_DIR.glob("mcp-[0-9][0-9][0-9][0-9]"))
    )
    bands = [(b.name, b.lower, b.colour) for b in newest.bands.items]
    return _write_workbook(Path(out), levels, settings, [], [], bands, force=force, reconstruction=False)


def export_framework(framework: Framework, out: Path, *, force: bool = False) -> Path:
    """Write the workbook of an existing framework: every level, weight (blank ones stay blank),
    Berlaku untuk, OPD pengampu, document, band and setting. Reading it back gives the same
    framework.

    Raises
    ------
    InputError
        When ``out`` exists and ``force`` is not set (with ``force`` the old file is kept as
        ``<name>.bak-<timestamp>.xlsx``), or ``out`` is not an ``.xlsx``.
    """
    levels = framework.levels
    settings = {
        "year": framework.year,
        "label": framework.label,
        "upload_close": framework.upload_close,
        "final_date": framework.final_date,
        "detail_level": framework.detail.name if framework.detail_level else None,
    }
    cols = structure_columns(levels)
    blank = framework.blank_weights
    keys = {lv.weight: lv for lv in levels}
    subs = framework.subindicators
    structure = []
    for rec in subs[[c.name for c in cols]].itertuples(index=False, name=None):
        row = dict(zip((c.name for c in cols), rec, strict=True))
        for name, level in keys.items():
            if (level.key, row[level.code]) in blank:
                row[name] = None
        row["applies_to"] = ";".join(row["applies_to"])
        structure.append([row[c.name] for c in cols])
    documents = framework.documents[EVIDENCE_SCHEMA.names].itertuples(index=False, name=None)
    bands = [(b.name, b.lower, b.colour) for b in framework.bands.items]
    return _write_workbook(
        Path(out), levels, settings, structure, list(documents), bands, force=force,
        reconstruction="rekonstruksi" in framework.label.lower(),
    )  # fmt: skip


def _write_workbook(
    out: Path,
    levels: tuple[Level, ...],
    settings: dict[str, object],
    structure: list[list[object]],
    documents: list[tuple],
    bands: list[tuple],
    *,
    force: bool,
    reconstruction: bool,
) -> Path:
    from openpyxl import Workbook

    if out.suffix.lower() != ".xlsx":
        raise InputError.one(
            str(out),
            "buku kerja kerangka harus berkas .xlsx",
            value=out.suffix or out.name,
            expected="nama berakhiran .xlsx, mis. kerangka-2025.xlsx",
        )
    if out.exists() and not force:
        raise InputError.one(
            str(out), "berkas sudah ada dan tidak ditimpa", expected="nama lain, atau --force"
        )
    wb = Workbook()
    _write_help(wb.active, levels, out.name, reconstruction, settings.get("year"))
    _write_meta(wb.create_sheet(META_SHEET), settings)
    _write_levels(wb.create_sheet(LEVEL_SHEET), levels)
    structure_sheet = wb.create_sheet(STRUCTURE_SHEET)
    _write_structure(structure_sheet, levels, structure)
    _write_documents(wb.create_sheet(DOCUMENT_SHEET), levels, documents)
    _write_bands(wb.create_sheet(BAND_SHEET), bands)
    lists = wb.create_sheet(LIST_SHEET)
    lists.append(["berlaku_untuk"])
    for choice in APPLIES_CHOICES:
        lists.append([choice])
    lists.sheet_state = "hidden"
    lists.protection.sheet = True
    wb.active = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.stem}.tmp{out.suffix}")
    try:
        wb.save(tmp)
        keep_backup(out)  # with --force: a workbook someone typed into is kept, never lost
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    return out


def _cell_value(value: object) -> object:
    """A value as openpyxl writes it: blanks as empty cells, numbers as floats, dates as Excel
    dates, text without the control characters Excel refuses."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if hasattr(value, "item"):  # numpy scalars
        return _cell_value(value.item())
    return value


def _header(ws, cols: tuple[_Col, ...], fills: list[str] | None = None) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    for i, col in enumerate(cols, start=1):
        cell = ws.cell(row=1, column=i, value=col.label)
        keep_as_text(cell)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=fills[i - 1] if fills else _HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(i)].width = col.width
    ws.row_dimensions[1].height = 30
    ws.freeze_panes = "A2"


def _rows(ws, rows: list, codes: set[int] = frozenset()) -> None:
    """Write ``rows`` from row 2; columns ``codes`` (1-based) as text cells."""
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=_cell_value(value))
            keep_as_text(cell)  # text from data is never a formula
            if c in codes:
                cell.number_format = "@"


def _text_columns(ws, columns: set[int]) -> None:
    """Format whole columns as text, so a code typed later as 1.10 stays "1.10" (not 1.1)."""
    from openpyxl.utils import get_column_letter

    for c in columns:
        ws.column_dimensions[get_column_letter(c)].number_format = "@"


def _validation(ws, kind: str, ref: str, *, title: str, error: str, prompt: str = "", **kwargs) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(
        type=kind, allow_blank=True, showErrorMessage=True, errorTitle=title, error=error,
        showInputMessage=bool(prompt), promptTitle=title if prompt else None, prompt=prompt or None, **kwargs,
    )  # fmt: skip
    dv.add(ref)
    ws.add_data_validation(dv)


def _percent(ws, letter: str, last: int, what: str) -> None:
    _validation(
        ws, "decimal", f"{letter}2:{letter}{last}", operator="between", formula1="0", formula2="100",
        errorStyle="stop", title=f"{what} tidak sah", error=f"{what}: angka antara 0 dan 100.",
    )  # fmt: skip


def _write_meta(ws, settings: dict[str, object]) -> None:
    from openpyxl.styles import Alignment, PatternFill

    _header(ws, META_COLUMNS)
    ref = PatternFill("solid", fgColor=_REF_FILL)
    for r, (key, label, note) in enumerate(SETTINGS, start=2):
        ws.cell(row=r, column=1, value=label).fill = ref
        cell = ws.cell(row=r, column=2, value=_cell_value(settings.get(key)))
        keep_as_text(cell)
        if key in ("upload_close", "final_date"):
            cell.number_format = _DATE_FORMAT
            _validation(
                ws, "date", cell.coordinate, operator="between", formula1="DATE(2000,1,1)",
                formula2="DATE(2100,12,31)", errorStyle="stop", title="Tanggal tidak sah",
                error="Isi tanggal, mis. 30/11/2025.",
            )  # fmt: skip
        elif key == "year":
            _validation(
                ws, "whole", cell.coordinate, operator="between", formula1="2000", formula2="2100",
                errorStyle="stop", title="Tahun tidak sah", error="Tahun MCP, mis. 2025.",
            )  # fmt: skip
        elif key == "detail_level":
            _validation(
                ws, "list", cell.coordinate, formula1=f"{LEVEL_SHEET}!$B$2:$B${MAX_LEVELS + 1}",
                errorStyle="warning", title="Tingkat tidak dikenal",
                error="Pilih salah satu Nama dari sheet Tingkat (atau kosongkan).",
            )  # fmt: skip
        else:
            cell.number_format = "@"
        note_cell = ws.cell(row=r, column=3, value=note)
        note_cell.fill = ref
        note_cell.alignment = Alignment(wrap_text=True, vertical="top")


def _write_levels(ws, levels: tuple[Level, ...]) -> None:
    _header(ws, LEVEL_COLUMNS)
    _rows(ws, [(lv.key, lv.name) for lv in levels], codes={1, 2})
    _text_columns(ws, {1, 2})
    last = MAX_LEVELS + 1
    _validation(
        ws, "textLength", f"A2:A{last}", operator="between", formula1="1", formula2="20", errorStyle="stop",
        title="Kunci tingkat", error="Huruf kecil dan angka tanpa spasi, diawali huruf (paling panjang 20).",
        prompt="Baris pertama area, baris terakhir subindicator; di antaranya bebas, mis. sasaran, indicator",
    )  # fmt: skip


def _write_structure(ws, levels: tuple[Level, ...], rows: list[list[object]]) -> None:
    from openpyxl.utils import get_column_letter

    cols = structure_columns(levels)
    fills = [_LEVEL_FILLS[i // 3 % 2] for i in range(3 * len(levels))] + [_HEADER_FILL] * 2
    _header(ws, cols, fills)
    codes = {i for i, c in enumerate(cols, start=1) if c.name.endswith("_code")}
    _rows(ws, rows, codes)
    _text_columns(ws, codes | {len(cols) - 1, len(cols)})
    last_col = get_column_letter(len(cols))
    ws.auto_filter.ref = f"A1:{last_col}{max(len(rows) + 1, 2)}"
    end = len(rows) + 1 + VALIDATION_ROWS
    letters = {c.name: get_column_letter(i) for i, c in enumerate(cols, start=1)}
    for level in levels:
        letter = letters[level.weight]
        _validation(
            ws, "decimal", f"{letter}2:{letter}{end}", operator="between", formula1="0", formula2="100",
            errorStyle="stop", title=f"Bobot {level.name}", error="Bobot dalam persen: angka antara 0 dan 100.",
            prompt=f"Persen dari induknya; bobot {level.name.lower()} dalam satu induk berjumlah 100. "
            "Kosong = dibagi rata (kosongkan semua saudaranya juga).",
        )  # fmt: skip
    letter = letters["applies_to"]
    _validation(
        ws, "list", f"{letter}2:{letter}{end}", formula1=f"{LIST_SHEET}!$A$2:$A${len(APPLIES_CHOICES) + 1}",
        errorStyle="warning", title="Berlaku untuk",
        error="Jenis pemda: semua, provinsi, kabupaten atau kota; beberapa dipisah titik koma (;). Lanjutkan?",
        prompt="semua (atau kosong), provinsi, kabupaten, kota; beberapa dipisah ;",
    )  # fmt: skip


def _write_documents(ws, levels: tuple[Level, ...], rows: list[tuple]) -> None:
    from openpyxl.utils import get_column_letter

    cols = document_columns(levels)
    _header(ws, cols)
    _rows(ws, rows, codes={1, 2})
    _text_columns(ws, {1, 2, 3})
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:D{max(len(rows) + 1, 2)}"
    end = len(rows) + 1 + VALIDATION_ROWS
    bottom = levels[-1]
    code = get_column_letter(3 * (len(levels) - 1) + 1)
    _validation(
        ws, "list", f"A2:A{end}", formula1=f"{STRUCTURE_SHEET}!${code}$2:${code}${VALIDATION_ROWS + 1000}",
        errorStyle="warning", title=f"Kode {bottom.name}",
        error=f"Kode ini belum ada di kolom Kode {bottom.name} sheet {STRUCTURE_SHEET}. Lanjutkan?",
    )  # fmt: skip
    _validation(
        ws, "decimal", f"D2:D{end}", operator="between", formula1="0", formula2="100", errorStyle="stop",
        title="Poin", error="Poin dokumen: angka antara 0 dan 100.",
        prompt=f"Poin semua dokumen satu {bottom.name.lower()} berjumlah 100.",
    )  # fmt: skip


def _write_bands(ws, rows: list[tuple]) -> None:
    from openpyxl.styles import PatternFill

    _header(ws, BAND_COLUMNS)
    _rows(ws, rows)
    _text_columns(ws, {1, 3})
    for r, (_name, _lower, colour) in enumerate(rows, start=2):
        if isinstance(colour, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
            ws.cell(row=r, column=3).fill = PatternFill("solid", fgColor=colour[1:].upper())
    _validation(
        ws, "decimal", "B2:B50", operator="between", formula1="0", formula2="100", errorStyle="stop",
        title="Batas bawah", error="Nilai 0 sampai 100 tempat predikat dimulai.",
    )  # fmt: skip


def _example(levels: tuple[Level, ...]) -> tuple[list[list[object]], list[tuple], list[tuple]]:
    """A small valid framework in the template's levels, shown on Petunjuk: two lowest-level items
    under one parent (weights 60 and 40), every other weight blank, and their documents."""
    structure = []
    for n, (weight, applies, opd) in enumerate(
        ((60, "semua", "Bappeda"), (40, "kabupaten;kota", "Bappeda;BPKAD"))
    ):
        row: list[object] = []
        for i, level in enumerate(levels):
            code = "A1" + ".1" * i
            name = f"Contoh {level.name.lower()}"
            if i == len(levels) - 1:
                code = code[:-1] + str(n + 1) if i else f"A{n + 1}"
                name += (" pertama", " kedua")[n]
                row += [code, name, weight if i else None]
            else:
                row += [code, name, None]
        structure.append([*row, applies, opd])
    first, second = structure[0][-5], structure[1][-5]
    documents = [
        (first, f"{first}.D1", "Contoh dokumen pertama", 70),
        (first, f"{first}.D2", "Contoh dokumen kedua", 30),
        (second, f"{second}.D1", "Contoh dokumen", 100),
    ]
    bands = [("rentan", 0, "#d7301f"), ("waspada", 73, "#fdae61"), ("terjaga", 78, "#1a9850")]
    return structure, documents, bands


def _write_help(ws, levels: tuple[Level, ...], file_name: str, reconstruction: bool, year: object) -> None:
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws.title = HELP_SHEET
    top, bottom = levels[0], levels[-1]
    names = " → ".join(lv.name for lv in levels)
    parent = levels[-2].name.lower() if len(levels) > 1 else "induk"
    year_text = str(year) if year else "<tahun>"
    paragraphs: list[tuple[str, str]] = [("title", "Kerangka MCP: buku kerja isian")]
    if reconstruction:
        paragraphs.append(("warn", "PERHATIAN: isi buku kerja ini adalah kerangka REKONSTRUKSI (bukan data resmi KPK). "
                                   "Ganti isinya dengan kerangka asli dari aplikasi MCP KPK sebelum dipakai."))  # fmt: skip
    paragraphs += [
        ("text", "Ketik di sini kerangka MCP tahun ini persis seperti di aplikasi MCP KPK atau panduan resmi dari "
                 "koordinator KPK (Korsup) wilayah Anda: tingkat, kode, nama, bobot, dokumen bukti beserta poinnya, "
                 "dan predikat. Lalu impor menjadi folder kerangka (di folder proyek):"),
        ("code", f".venv/bin/mcp framework import {file_name} --year {year_text}"),
        ("text", f"Ini menulis <data>/frameworks/mcp-{year_text}/. Folder yang sudah ada tidak ditimpa; dengan --force "
                 f"folder lama disimpan sebagai mcp-{year_text}.bak (lalu .bak-2, .bak-3, ...), tidak pernah hilang. "
                 "Setiap kesalahan disebut dengan sheet, baris dan kolom seperti terlihat di Excel."),
        ("warn", "Rekonstruksi: kerangka yang ikut terpasang (data/frameworks/mcp-2023, mcp-2024, mcp-2025) disusun "
                 "ulang dari informasi publik; nama, bobot, dokumen dan poinnya dikarang agar masuk akal. Nilai yang "
                 "dihitung dengannya bukan nilai MCP Anda. Jangan menyalinnya: ketik kerangka asli dari aplikasi KPK."),
        ("", ""),
        ("head", "Sheet"),
        ("text", f"{META_SHEET}: tahun, label, batas unggah dan tanggal final (tanggal Excel, mis. 30/11/2025), "
                 "dan tingkat yang dirinci tabel brief. Isi kolom Nilai saja."),
        ("text", f"{LEVEL_SHEET}: satu baris per tingkat, dari atas ke bawah (paling banyak {MAX_LEVELS}). Kunci: huruf "
                 f"kecil dan angka tanpa spasi, diawali huruf. Baris pertama selalu berkunci {TOP}, baris terakhir "
                 f"selalu {BOTTOM} (tingkat tempat dokumen bukti); di antaranya bebas, mis. sasaran, indicator. "
                 f"Nama: yang tampil di brief dan tracker, dan judul kolom di {STRUCTURE_SHEET}. Buku kerja ini: {names}."),
        ("text", f"{STRUCTURE_SHEET}: satu baris per {bottom.name.lower()}. Untuk setiap tingkat ada tiga kolom: Kode, "
                 f"Nama, Bobot. Ulangi kode dan nama tingkat di atasnya di setiap baris (boleh disalin ke bawah); "
                 "bobotnya cukup ditulis di satu baris (baris lain boleh kosong atau sama). Kode ditulis sebagai teks "
                 "(1.10 tetap 1.10) dan tidak boleh ganda di tingkatnya."),
        ("text", "Bobot: persen dari induknya (0 sampai 100). Bobot item-item dalam satu induk (saudara) berjumlah "
                 f"100; bobot {top.name.lower()} dihitung di antara semua {top.name.lower()}. Bobot kosong = dibagi sama "
                 "rata di antara saudaranya: dalam satu induk kosongkan semuanya atau isi semuanya; campuran ditolak."),
        ("text", "Berlaku untuk: semua (atau kosong), provinsi, kabupaten, kota; beberapa dipisah titik koma (;), mis. "
                 "kabupaten;kota. OPD pengampu: OPD penanggung jawab bawaan, beberapa dipisah ; (utama pertama); "
                 "boleh kosong."),
        ("text", f"{DOCUMENT_SHEET}: satu baris per dokumen bukti. Kode {bottom.name} (pilih dari daftar: kode di sheet "
                 f"{STRUCTURE_SHEET}), Kode dokumen (tidak boleh ganda), Nama dokumen, Poin. Poin semua dokumen satu "
                 f"{bottom.name.lower()} berjumlah 100; setiap {bottom.name.lower()} minimal satu dokumen."),
        ("text", f"{BAND_SHEET}: predikat nilai tahun itu. Batas bawah: nilai (0 sampai 100) tempat predikat dimulai; "
                 "satu predikat harus mulai dari 0. Warna: kode warna #rrggbb untuk grafik (boleh kosong). Templat baru "
                 "sudah berisi predikat kerangka bawaan terbaru: periksa dengan panduan tahun ini."),
        ("text", f"Mengganti nama tingkat di {LEVEL_SHEET} tidak perlu mengubah judul kolom di {STRUCTURE_SHEET}: bila "
                 "judulnya tidak cocok, kelompok kolom Kode/Nama/Bobot dibaca menurut urutannya."),
        ("", ""),
        ("head", f"Contoh (bobot kosong dibagi rata; dua {bottom.name.lower()} dalam {parent} "
                 f"{'A1' + '.1' * (len(levels) - 2) if len(levels) > 1 else ''} berbobot 60 dan 40; poin 70 + 30 = 100)"),
    ]  # fmt: skip
    r = 1
    fonts = {
        "title": Font(bold=True, size=14),
        "head": Font(bold=True),
        "warn": Font(bold=True, color="9C0006"),
        "code": Font(name="Consolas"),
        "text": Font(),
    }
    for kind, content in paragraphs:
        lines = textwrap.wrap(content, _HELP_WIDTH) if kind in ("text", "warn") else [content]
        for line in lines:
            if kind:
                cell = ws.cell(row=r, column=1, value=line)
                keep_as_text(cell)
                cell.font = fonts[kind]
            r += 1
    structure, documents, bands = _example(levels)
    example_fill = PatternFill("solid", fgColor=_HEADER_FILL)
    widths: dict[int, float] = {}
    for title, cols, rows in (
        (STRUCTURE_SHEET, structure_columns(levels), structure),
        (DOCUMENT_SHEET, document_columns(levels), documents),
        (BAND_SHEET, BAND_COLUMNS, bands),
    ):
        r += 1
        ws.cell(row=r, column=1, value=f"Sheet {title}").font = Font(bold=True)
        r += 1
        for c, col in enumerate(cols, start=1):
            cell = ws.cell(row=r, column=c, value=col.label)
            cell.font, cell.fill = Font(bold=True), example_fill
            widths[c] = max(widths.get(c, 0), min(col.width, 30), len(col.label) + 2)
        for values in rows:
            r += 1
            for c, value in enumerate(values, start=1):
                keep_as_text(ws.cell(row=r, column=c, value=value))
        r += 1
    for c, width in widths.items():
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.protection.sheet = True


# --- reading -------------------------------------------------------------------------------------


@dataclass
class _Sheet:
    """One sheet of the workbook as found: its name in the file, how problems name it, its header
    texts (index = column) and which column feeds which schema column."""

    name: str
    actual: str | None
    label: str
    headers: list[str] = field(default_factory=list)
    columns: dict[str, int] = field(default_factory=dict)

    def where(self, name: str) -> str:
        """``"C (Bobot Area)"``: the column's letter and its header in the sheet."""
        from openpyxl.utils import get_column_letter

        i = self.columns[name]
        return f"{get_column_letter(i + 1)} ({self.headers[i]})"

    @property
    def aliases(self) -> dict[str, str]:
        return {self.headers[i]: name for name, i in self.columns.items()}

    def match(self, cols: tuple[_Col, ...]) -> None:
        """Find each column by its header (first match not yet taken)."""
        norm = [normalise_header(h) for h in self.headers]
        taken = set(self.columns.values())
        for col in cols:
            accepted = col.accepts()
            for i, n in enumerate(norm):
                if n and n in accepted and i not in taken:
                    self.columns[col.name] = i
                    taken.add(i)
                    break


def _scan(path: Path, problems: Problems) -> dict[str, _Sheet] | None:
    """The data sheets of the workbook with their header rows (the first non-blank row, as
    :func:`~mcp_lib.readers.read_table` takes it), or ``None`` with the problem recorded when the
    workbook cannot be opened. Missing sheets are recorded too."""
    from openpyxl import load_workbook

    if not path.is_file():
        problems.add(path, "buku kerja kerangka tidak ditemukan",
                     expected="berkas .xlsx yang ada (buat dengan: mcp framework template)")  # fmt: skip
        return None
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        problems.add(path, "buku kerja kerangka harus berkas Excel .xlsx", value=path.suffix or path.name,
                     expected="berkas .xlsx (buat dengan: mcp framework template)")  # fmt: skip
        return None
    reason = check_xlsx(path)
    if reason:
        problems.add(path, reason, expected="berkas .xlsx dari Excel atau LibreOffice")
        return None
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        problems.add(path, f"buku kerja tidak dapat dibaca ({type(exc).__name__})",
                     expected="berkas .xlsx yang sah dari Excel atau LibreOffice")  # fmt: skip
        return None
    try:
        present = {normalise_header(n): n for n in wb.sheetnames}
        sheets: dict[str, _Sheet] = {}
        for name in DATA_SHEETS:
            label = str(Path(f"{path}, sheet {name}"))
            actual = present.get(normalise_header(name))
            sheet = _Sheet(name, actual, label)
            sheets[name] = sheet
            if actual is None:
                problems.add(
                    label, "sheet tidak ada",
                    expected=f"sheet bernama {name} (sheet yang ada: {', '.join(wb.sheetnames)}); buat buku kerja "
                    "baru dengan mcp framework template atau mcp framework export",
                )  # fmt: skip
                continue
            ws = wb[actual]
            ws.reset_dimensions()
            for cells in ws.iter_rows(min_row=1, max_row=50, values_only=True):
                if any(clean_text(v) for v in cells):
                    sheet.headers = [clean_text(v) for v in cells]
                    break
        return sheets
    except Exception as exc:
        problems.add(path, f"buku kerja tidak dapat dibaca ({type(exc).__name__})",
                     expected="berkas .xlsx yang sah dari Excel atau LibreOffice")  # fmt: skip
        return None
    finally:
        wb.close()


def _require(
    sheet: _Sheet, cols: tuple[_Col, ...], problems: Problems, optional: set[str] = frozenset()
) -> bool:
    """Record each required column the sheet lacks; whether it has them all."""
    ok = True
    present = ", ".join(h for h in sheet.headers if h) or "(tidak ada)"
    for col in cols:
        if col.name not in sheet.columns and col.name not in optional:
            problems.add(
                sheet.label, "kolom wajib tidak ada", row=1, column=col.label,
                expected=f"judul kolom '{col.label}' di baris 1 (judul yang ada: {present})",
            )  # fmt: skip
            ok = False
    return ok


_SHEET_MESSAGES = {
    "berkas kosong": "sheet kosong",
    "berkas tidak berisi baris data": "sheet tidak berisi baris data",
}
"""Messages of the table reader that say "file" where the workbook's sheet is meant."""


def _read(path: Path, sheet: _Sheet, schema: Schema, problems: Problems) -> pd.DataFrame | None:
    """:func:`read_table` on one sheet, its problems naming the sheet."""
    local = Problems()
    frame = read_table(path, schema, local, sheet=sheet.actual, aliases=sheet.aliases)
    problems.extend(dataclasses.replace(p, file=sheet.label) for p in local.items)
    return frame


def _check_levels(
    items: list[tuple[int | None, str, str]], file: str, problems: Problems, columns: tuple[str, str]
) -> bool:
    """The rules of ``[[level]]`` in ``framework.toml`` for ``(row, key, name)`` items, plus
    distinct names (they become Struktur's headers). Whether they hold."""
    key_col, name_col = columns
    before = len(problems)
    seen_keys: dict[str, int | None] = {}
    seen_names: dict[str, int | None] = {}
    for row, key, name in items:
        if not LEVEL_KEY.fullmatch(key):
            problems.add(
                file, "kunci tingkat tidak sah", row=row, column=key_col, value=key,
                expected="huruf kecil dan angka tanpa spasi, diawali huruf, paling panjang 20, mis. sasaran",
            )  # fmt: skip
        elif key in seen_keys:
            at = f" (sudah ada di baris {seen_keys[key]})" if seen_keys[key] else ""
            problems.add(file, f"kunci tingkat ganda{at}", row=row, column=key_col, value=key,
                         expected="setiap kunci sekali")  # fmt: skip
        seen_keys.setdefault(key, row)
        folded = normalise_header(name)
        if folded in seen_names:
            at = f" (sudah ada di baris {seen_names[folded]})" if seen_names[folded] else ""
            problems.add(
                file, f"nama tingkat ganda{at}", row=row, column=name_col, value=name,
                expected=f"nama lain untuk setiap tingkat (nama menjadi judul kolom di sheet {STRUCTURE_SHEET})",
            )  # fmt: skip
        seen_names.setdefault(folded, row)
    if len(items) < 2:
        problems.add(file, f"terlalu sedikit tingkat ({len(items)})", column=key_col,
                     expected=f"minimal dua tingkat: {TOP} di baris pertama dan {BOTTOM} di baris terakhir")  # fmt: skip
    elif len(items) > MAX_LEVELS:
        problems.add(file, f"terlalu banyak tingkat ({len(items)})", row=items[MAX_LEVELS][0], column=key_col,
                     expected=f"paling banyak {MAX_LEVELS}")  # fmt: skip
    if items and items[0][1] != TOP:
        problems.add(
            file, f"tingkat pertama (teratas) harus berkunci {TOP}", row=items[0][0], column=key_col,
            value=items[0][1], expected=f"kunci {TOP} (namanya boleh apa saja)",
        )  # fmt: skip
    if len(items) >= 2 and items[-1][1] != BOTTOM:
        problems.add(
            file, f"tingkat terakhir (tempat dokumen bukti) harus berkunci {BOTTOM}", row=items[-1][0],
            column=key_col, value=items[-1][1], expected=f"kunci {BOTTOM} (namanya boleh apa saja, mis. Indikator)",
        )  # fmt: skip
    return len(problems) == before


def _read_levels(path: Path, sheet: _Sheet, problems: Problems) -> tuple[Level, ...] | None:
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
    if not _check_levels(items, sheet.label, problems, columns=("key", "name")):
        return None
    return tuple(Level(key, name) for _row, key, name in items)


def _excel_date(value: object) -> dt.date | None:
    """A date cell: an Excel date, a date serial number (a date in a cell formatted as a number),
    or text as :func:`~mcp_lib.readers.parse_date` reads it. ``ValueError`` otherwise."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 36526 <= value <= 73415:  # 2000-01-01 .. 2100-12-31
            return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
        raise ValueError(value)
    return parse_date(value)


def _read_meta(
    path: Path, sheet: _Sheet, problems: Problems, levels: tuple[Level, ...] | None, year: int | None
) -> FrameworkMeta:
    """Kerangka's settings (``year`` given overrides Tahun)."""
    sheet.match(META_COLUMNS)
    found: dict[str, tuple[int, object]] = {}
    if sheet.actual is not None and _require(sheet, META_COLUMNS, problems, optional={"note"}):
        local = Problems()
        frame = read_raw(path, local, sheet=sheet.actual, max_rows=100)
        problems.extend(
            dataclasses.replace(p, file=sheet.label, message=_SHEET_MESSAGES.get(p.message, p.message))
            for p in local.items
        )
        if frame is not None:
            key_col = normalise_header(sheet.headers[sheet.columns["setting"]])
            value_col = normalise_header(sheet.headers[sheet.columns["value"]])
            for label, value, row in zip(frame[key_col], frame[value_col], frame[ROW], strict=True):
                text = clean_text(label)
                key = _SETTING_KEYS.get(normalise_header(text))
                if not text:
                    if clean_text(value):
                        problems.add(sheet.label, "nilai tanpa nama pengaturan", row=row, column="setting",
                                     value=value, expected="nama pengaturan di kolom Pengaturan")  # fmt: skip
                elif key is None:
                    problems.add(
                        sheet.label, "pengaturan tidak dikenal", row=row, column="setting", value=text,
                        expected="salah satu dari: " + ", ".join(label for _k, label, _n in SETTINGS),
                    )  # fmt: skip
                elif key in found:
                    problems.add(sheet.label, f"pengaturan ditulis dua kali (sudah ada di baris {found[key][0]})",
                                 row=row, column="setting", value=text, expected="setiap pengaturan sekali")  # fmt: skip
                else:
                    found[key] = (int(row), value)

    def where(key: str) -> int | None:
        return found[key][0] if key in found else None

    def value(key: str) -> object:
        return found[key][1] if key in found else None

    if year is not None:
        if type(year) is not int or not 2000 <= year <= 2100:
            problems.add(path, "tahun kerangka tidak sah", value=year, expected="tahun 2000–2100, mis. 2025")
            year = None
    else:
        raw = value("year")
        try:
            number = parse_number(raw)
        except ValueError:
            number = math.nan
        if number is not None and not math.isnan(number) and number.is_integer() and 2000 <= number <= 2100:
            year = int(number)
        elif sheet.actual is not None:
            problems.add(
                sheet.label, "tahun kerangka kosong" if raw is None or clean_text(raw) == "" else "tahun kerangka tidak sah",
                row=where("year"), column="value", value=raw,
                expected="tahun di baris Tahun, mis. 2025 (atau --year saat impor)",
            )  # fmt: skip
    label = clean_text(value("label")) or None
    dates: list[dt.date | None] = []
    for key in ("upload_close", "final_date"):
        raw = value(key)
        try:
            dates.append(_excel_date(raw) if clean_text(raw) else None)
        except (ValueError, OverflowError):
            problems.add(sheet.label, "tanggal tidak dapat dibaca", row=where(key), column="value", value=raw,
                         expected="tanggal, mis. 30/11/2025 atau 2025-11-30")  # fmt: skip
            dates.append(None)
    if dates[0] and dates[1] and dates[1] < dates[0]:
        problems.add(
            sheet.label, "tanggal final sebelum batas unggah", row=where("final_date"), column="value",
            value=dates[1].strftime("%d/%m/%Y"), expected=f"sama dengan atau sesudah batas unggah ({dates[0]:%d/%m/%Y})",
        )  # fmt: skip
    shown = levels or DEFAULT_LEVELS
    detail = default_detail(shown)
    wanted = clean_text(value("detail_level"))
    if wanted and levels is not None:
        match = [lv.key for lv in levels if normalise_header(wanted) in (normalise_header(lv.name), lv.key)]
        if match:
            detail = match[0]
        else:
            problems.add(
                sheet.label, "tingkat tabel rinci tidak dikenal", row=where("detail_level"), column="value",
                value=wanted, expected="salah satu Nama di sheet Tingkat: " + ", ".join(lv.name for lv in levels)
                + " (atau kosong)",
            )  # fmt: skip
    return FrameworkMeta(year, label, dates[0], dates[1], shown, detail)


def _match_structure(sheet: _Sheet, levels: tuple[Level, ...]) -> None:
    """Find Struktur's columns: by header ("Kode <Nama>") when every level is found in order;
    else the "Kode …" column groups in order, one per level (a level renamed in one sheet only)."""
    cols = structure_columns(levels)
    sheet.match(cols)
    codes = [sheet.columns.get(lv.code) for lv in levels]
    by_name = all(c is not None for c in codes) and codes == sorted(codes)
    by_name = by_name and all(lv.title in sheet.columns and lv.weight in sheet.columns for lv in levels)
    if by_name:
        return
    norm = [normalise_header(h) for h in sheet.headers]
    starts = [i for i, n in enumerate(norm) if n == "kode" or n.startswith("kode_")]
    if len(starts) != len(levels):
        return  # not one group per level: the missing columns are reported by their headers
    for level, start, end in zip(levels, starts, [*starts[1:], len(norm)], strict=True):
        group = range(start + 1, end)
        sheet.columns[level.code] = start
        for name, prefix in ((level.title, "nama"), (level.weight, "bobot")):
            found = [i for i in group if norm[i] == prefix or norm[i].startswith(prefix + "_")]
            if found:
                sheet.columns[name] = found[0]
            else:
                sheet.columns.pop(name, None)
    # Berlaku untuk / OPD pengampu must not be columns a level took.
    taken = {sheet.columns[c.name] for c in cols[:-2] if c.name in sheet.columns}
    for name in ("applies_to", "default_opd"):
        if sheet.columns.get(name) in taken:
            del sheet.columns[name]


def _match_documents(sheet: _Sheet, levels: tuple[Level, ...] | None, bottom_name: str) -> tuple[_Col, ...]:
    cols = document_columns((*(levels or ())[:-1], Level(BOTTOM, bottom_name)))
    sheet.match(cols)
    if "subindicator_code" not in sheet.columns:
        # The lowest level renamed in Tingkat only: the one other "Kode …" column.
        norm = [normalise_header(h) for h in sheet.headers]
        taken = set(sheet.columns.values())
        others = [i for i, n in enumerate(norm) if n.startswith("kode") and i not in taken]
        if len(others) == 1:
            sheet.columns["subindicator_code"] = others[0]
    return cols


_SCHEMA_WORD = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")


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
        _match_structure(structure_sheet, levels)
        if _require(
            structure_sheet, structure_columns(levels), problems, optional={"applies_to", "default_opd"}
        ):
            before = len(problems)
            fw = _read(path, structure_sheet, framework_schema(levels), problems)
            unreadable = {(p.row, p.column) for p in problems.items[before:] if p.row is not None}

    bottom_name = levels[-1].name if levels else "Sub-indikator"
    ev = None
    if document_sheet.actual:
        cols = _match_documents(document_sheet, levels, bottom_name)
        if _require(document_sheet, cols, problems):
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
    problems: tuple[Problem, ...], sheets: dict[str, _Sheet], bottom_name: str, first_rows: dict[str, int]
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
                p, file=structure.label, row=first_rows[m.group(1)],
                expected=f"{p.expected} (tambahkan di sheet {DOCUMENT_SHEET})" if p.expected else None,
            )  # fmt: skip
        column = where.get(p.file, {}).get(p.column, p.column) if p.column else p.column
        message = _SHEET_MESSAGES.get(p.message, p.message)
        out.append(dataclasses.replace(p, column=column, message=text(message), expected=text(p.expected)))
    return out


# --- importing -----------------------------------------------------------------------------------


def import_framework_workbook(
    path: Path, year: int, data_dir: Path, *, force: bool = False
) -> tuple[Path, Framework]:
    """Check a framework workbook and write it as ``<data_dir>/frameworks/mcp-<year>/``
    (``framework.csv``, ``evidence.csv``, ``bands.csv``, ``framework.toml`` and a README.md).

    The folder is written next to its place under a temporary name and renamed when complete. An
    existing folder is replaced only with ``force``, and then kept as ``mcp-<year>.bak`` (or
    ``.bak-2``, ``.bak-3``, ...): nothing is lost.

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
            Problem(str(folder), "folder kerangka sudah ada dan tidak ditimpa",
                    expected=f"jalankan lagi dengan --force (folder lama disimpan sebagai mcp-{year}.bak)")
        )  # fmt: skip
    if problems:
        raise InputError(problems)
    assert framework is not None
    base.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".mcp-{year}.tmp-", dir=base))
    try:
        write_framework(framework, tmp)
        (tmp / "README.md").write_text(_readme(framework, path.name), encoding="utf-8")
        shared_mode(tmp)
        backup = None
        if folder.exists() or folder.is_symlink():
            backup = _backup_name(folder)
            folder.rename(backup)
        try:
            tmp.rename(folder)
        except OSError:
            if backup is not None:
                backup.rename(folder)
            raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return folder, dataclasses.replace(framework, path=folder)


def _backup_name(folder: Path) -> Path:
    """``mcp-<year>.bak``, or the first free ``mcp-<year>.bak-<n>`` from 2."""
    backup, n = folder.with_name(f"{folder.name}.bak"), 2
    while backup.exists() or backup.is_symlink():
        backup, n = folder.with_name(f"{folder.name}.bak-{n}"), n + 1
    return backup


def _readme(framework: Framework, workbook: str) -> str:
    """The README of an imported framework folder (no date: importing twice gives the same file)."""
    return (
        f"# Kerangka MCP {framework.year}\n\n"
        f"Diimpor dari buku kerja `{workbook}` dengan `mcp framework import`.\n\n"
        f"{framework.summary()}.\n\n"
        "Untuk mengubahnya, ubah buku kerja itu lalu impor lagi dengan `--force` (folder ini disimpan sebagai\n"
        f"`mcp-{framework.year}.bak`); buku kerja kerangka ini dibuat lagi dengan `mcp framework export --year {framework.year}`.\n"
        f"Periksa folder ini dengan `mcp validate` (folder `frameworks/mcp-{framework.year}`).\n"
    )
