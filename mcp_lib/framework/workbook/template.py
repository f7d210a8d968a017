"""Writing the framework workbook: an empty one to fill in (:func:`write_template`) or one
holding an existing framework (:func:`export_framework`), with its headers, code columns as text,
dropdowns and data validation, and the Petunjuk sheet (how to fill it, and a worked example).
The layout: :mod:`mcp_lib.framework.workbook.layout`; reading it back: :mod:`mcp_lib.framework.workbook.reader`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import textwrap
from pathlib import Path

import pandas as pd

from mcp_lib.config import APPLIES_TO, BUNDLED_FRAMEWORKS_DIR
from mcp_lib.errors import InputError, Problems
from mcp_lib.files import write_via_temp
from mcp_lib.framework.folder import load_framework
from mcp_lib.framework.model import BOTTOM, MAX_LEVELS, TOP, Framework, Level
from mcp_lib.framework.rules import EVIDENCE_SCHEMA
from mcp_lib.framework.workbook.layout import (
    BAND_COLUMNS,
    BAND_SHEET,
    DOCUMENT_SHEET,
    HELP_SHEET,
    LEVEL_COLUMNS,
    LEVEL_SHEET,
    LIST_SHEET,
    META_COLUMNS,
    META_SHEET,
    SETTINGS,
    STRUCTURE_SHEET,
    Col,
    check_levels,
    document_columns,
    structure_columns,
)
from mcp_lib.io.readers import keep_as_text

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
    check_levels([(None, lv.key, lv.name) for lv in levels], str(out), problems, columns=("key", "name"))
    problems.raise_if_any()
    settings = {"year": year, "label": None, "upload_close": None, "final_date": None, "detail_level": None}
    # The bands of the newest bundled framework as a start: they change less often than the rest.
    newest = load_framework(max(int(p.name[4:]) for p in BUNDLED_FRAMEWORKS_DIR.glob("mcp-[0-9][0-9][0-9][0-9]")))
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
        Path(out),
        levels,
        settings,
        structure,
        list(documents),
        bands,
        force=force,
        reconstruction="rekonstruksi" in framework.label.lower(),
    )


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
        raise InputError.one(str(out), "berkas sudah ada dan tidak ditimpa", expected="nama lain, atau --force")
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
    return write_via_temp(out, wb.save)  # with --force: a workbook someone typed into is kept, never lost


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


def _header(ws, cols: tuple[Col, ...], fills: list[str] | None = None) -> None:
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
        type=kind,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=title,
        error=error,
        showInputMessage=bool(prompt),
        promptTitle=title if prompt else None,
        prompt=prompt or None,
        **kwargs,
    )
    dv.add(ref)
    ws.add_data_validation(dv)


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
                ws,
                "date",
                cell.coordinate,
                operator="between",
                formula1="DATE(2000,1,1)",
                formula2="DATE(2100,12,31)",
                errorStyle="stop",
                title="Tanggal tidak sah",
                error="Isi tanggal, mis. 30/11/2025.",
            )
        elif key == "year":
            _validation(
                ws,
                "whole",
                cell.coordinate,
                operator="between",
                formula1="2000",
                formula2="2100",
                errorStyle="stop",
                title="Tahun tidak sah",
                error="Tahun MCP, mis. 2025.",
            )
        elif key == "detail_level":
            _validation(
                ws,
                "list",
                cell.coordinate,
                formula1=f"{LEVEL_SHEET}!$B$2:$B${MAX_LEVELS + 1}",
                errorStyle="warning",
                title="Tingkat tidak dikenal",
                error="Pilih salah satu Nama dari sheet Tingkat (atau kosongkan).",
            )
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
        ws,
        "textLength",
        f"A2:A{last}",
        operator="between",
        formula1="1",
        formula2="20",
        errorStyle="stop",
        title="Kunci tingkat",
        error="Huruf kecil dan angka tanpa spasi, diawali huruf (paling panjang 20).",
        prompt="Baris pertama area, baris terakhir subindicator; di antaranya bebas, mis. sasaran, indicator",
    )


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
            ws,
            "decimal",
            f"{letter}2:{letter}{end}",
            operator="between",
            formula1="0",
            formula2="100",
            errorStyle="stop",
            title=f"Bobot {level.name}",
            error="Bobot dalam persen: angka antara 0 dan 100.",
            prompt=f"Persen dari induknya; bobot {level.name.lower()} dalam satu induk berjumlah 100. "
            "Kosong = dibagi rata (kosongkan semua saudaranya juga).",
        )
    letter = letters["applies_to"]
    _validation(
        ws,
        "list",
        f"{letter}2:{letter}{end}",
        formula1=f"{LIST_SHEET}!$A$2:$A${len(APPLIES_CHOICES) + 1}",
        errorStyle="warning",
        title="Berlaku untuk",
        error="Jenis pemda: semua, provinsi, kabupaten atau kota; beberapa dipisah titik koma (;). Lanjutkan?",
        prompt="semua (atau kosong), provinsi, kabupaten, kota; beberapa dipisah ;",
    )


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
        ws,
        "list",
        f"A2:A{end}",
        formula1=f"{STRUCTURE_SHEET}!${code}$2:${code}${VALIDATION_ROWS + 1000}",
        errorStyle="warning",
        title=f"Kode {bottom.name}",
        error=f"Kode ini belum ada di kolom Kode {bottom.name} sheet {STRUCTURE_SHEET}. Lanjutkan?",
    )
    _validation(
        ws,
        "decimal",
        f"D2:D{end}",
        operator="between",
        formula1="0",
        formula2="100",
        errorStyle="stop",
        title="Bagian",
        error="Bagian dokumen: angka antara 0 dan 100.",
        prompt=f"Bagian semua dokumen satu {bottom.name.lower()} berjumlah 100.",
    )


def _write_bands(ws, rows: list[tuple]) -> None:
    from openpyxl.styles import PatternFill

    _header(ws, BAND_COLUMNS)
    _rows(ws, rows)
    _text_columns(ws, {1, 3})
    for r, (_name, _lower, colour) in enumerate(rows, start=2):
        if isinstance(colour, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
            ws.cell(row=r, column=3).fill = PatternFill("solid", fgColor=colour[1:].upper())
    _validation(
        ws,
        "decimal",
        "B2:B50",
        operator="between",
        formula1="0",
        formula2="100",
        errorStyle="stop",
        title="Batas bawah",
        error="Nilai 0 sampai 100 tempat predikat dimulai.",
    )


def _example(levels: tuple[Level, ...]) -> tuple[list[list[object]], list[tuple], list[tuple]]:
    """A small valid framework in the template's levels, shown on Petunjuk: two lowest-level items
    under one parent (weights 60 and 40), every other weight blank, and their documents."""
    structure = []
    for n, (weight, applies, opd) in enumerate(((60, "semua", "Bappeda"), (40, "kabupaten;kota", "Bappeda;BPKAD"))):
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
        paragraphs.append(
            (
                "warn",
                "PERHATIAN: isi buku kerja ini adalah kerangka REKONSTRUKSI (bukan data resmi KPK). "
                "Ganti isinya dengan kerangka asli dari aplikasi MCP KPK sebelum dipakai.",
            )
        )
    paragraphs += [
        (
            "text",
            "Ketik di sini kerangka MCP tahun ini persis seperti di aplikasi MCP KPK atau panduan resmi dari "
            "koordinator KPK (Korsup) wilayah Anda: tingkat, kode, nama, bobot, dokumen bukti beserta bagiannya, "
            "dan predikat. Lalu impor menjadi folder kerangka (di folder proyek):",
        ),
        ("code", f".venv/bin/mcp framework import {file_name} --year {year_text}"),
        (
            "text",
            f"Ini menulis <data>/frameworks/mcp-{year_text}/. Folder yang sudah ada tidak ditimpa; dengan --force "
            f"folder lama disimpan sebagai mcp-{year_text}.bak-<tanggal-jam>, tidak pernah hilang. "
            "Setiap kesalahan disebut dengan sheet, baris dan kolom seperti terlihat di Excel.",
        ),
        (
            "warn",
            "Rekonstruksi: kerangka yang ikut terpasang (data/frameworks/mcp-2023, mcp-2024, mcp-2025) disusun "
            "ulang dari informasi publik; nama, bobot, dokumen dan bagiannya dikarang agar masuk akal. Nilai yang "
            "dihitung dengannya bukan nilai MCP Anda. Jangan menyalinnya: ketik kerangka asli dari aplikasi KPK.",
        ),
        ("", ""),
        ("head", "Sheet"),
        (
            "text",
            f"{META_SHEET}: tahun, label, batas unggah dan tanggal final (tanggal Excel, mis. 30/11/2025), "
            "dan tingkat yang dirinci tabel brief. Isi kolom Nilai saja.",
        ),
        (
            "text",
            f"{LEVEL_SHEET}: satu baris per tingkat, dari atas ke bawah (paling banyak {MAX_LEVELS}). Kunci: huruf "
            f"kecil dan angka tanpa spasi, diawali huruf. Baris pertama selalu berkunci {TOP}, baris terakhir "
            f"selalu {BOTTOM} (tingkat tempat dokumen bukti); di antaranya bebas, mis. sasaran, indicator. "
            f"Nama: yang tampil di brief dan tracker, dan judul kolom di {STRUCTURE_SHEET}. Buku kerja ini: {names}.",
        ),
        (
            "text",
            f"{STRUCTURE_SHEET}: satu baris per {bottom.name.lower()}. Untuk setiap tingkat ada tiga kolom: Kode, "
            f"Nama, Bobot. Ulangi kode dan nama tingkat di atasnya di setiap baris (boleh disalin ke bawah); "
            "bobotnya cukup ditulis di satu baris (baris lain boleh kosong atau sama). Kode ditulis sebagai teks "
            "(1.10 tetap 1.10) dan tidak boleh ganda di tingkatnya.",
        ),
        (
            "text",
            "Bobot: persen dari induknya (0 sampai 100). Bobot item-item dalam satu induk (saudara) berjumlah "
            f"100; bobot {top.name.lower()} dihitung di antara semua {top.name.lower()}. Bobot kosong = dibagi sama "
            "rata di antara saudaranya: dalam satu induk kosongkan semuanya atau isi semuanya; campuran ditolak.",
        ),
        (
            "text",
            "Berlaku untuk: semua (atau kosong), provinsi, kabupaten, kota; beberapa dipisah titik koma (;), mis. "
            "kabupaten;kota. OPD pengampu: OPD penanggung jawab bawaan, beberapa dipisah ; (utama pertama); "
            "boleh kosong.",
        ),
        (
            "text",
            f"{DOCUMENT_SHEET}: satu baris per dokumen bukti. Kode {bottom.name} (pilih dari daftar: kode di sheet "
            f"{STRUCTURE_SHEET}), Kode dokumen (tidak boleh ganda), Nama dokumen, Bagian. Bagian semua dokumen satu "
            f"{bottom.name.lower()} berjumlah 100; setiap {bottom.name.lower()} minimal satu dokumen.",
        ),
        (
            "text",
            f"{BAND_SHEET}: predikat nilai tahun itu. Batas bawah: nilai (0 sampai 100) tempat predikat dimulai; "
            "satu predikat harus mulai dari 0. Warna: kode warna #rrggbb untuk grafik (boleh kosong). Templat baru "
            "sudah berisi predikat kerangka bawaan terbaru: periksa dengan panduan tahun ini.",
        ),
        (
            "text",
            f"Mengganti nama tingkat di {LEVEL_SHEET} tidak perlu mengubah judul kolom di {STRUCTURE_SHEET}: bila "
            "judulnya tidak cocok, kelompok kolom Kode/Nama/Bobot dibaca menurut urutannya.",
        ),
        ("", ""),
        (
            "head",
            f"Contoh (bobot kosong dibagi rata; dua {bottom.name.lower()} dalam {parent} "
            f"{'A1' + '.1' * (len(levels) - 2) if len(levels) > 1 else ''} berbobot 60 dan 40; bagian 70 + 30 = 100)",
        ),
    ]
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
