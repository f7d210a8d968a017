"""Writing the framework workbook: an empty one to fill in (:func:`write_template`) or one
holding an existing framework (:func:`export_framework`), with its headers, code columns as text,
dropdowns and data validation, and the Petunjuk sheet (how to fill it, and a worked example).
The layout: :mod:`mcp_lib.framework.workbook.layout`; reading it back: :mod:`mcp_lib.framework.workbook.reader`.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from mcp_lib.config import APPLIES_TO, BUNDLED_FRAMEWORKS_DIR
from mcp_lib.errors import InputError, Problems
from mcp_lib.framework.folder import load_framework
from mcp_lib.framework.methods import METHOD_NAMES
from mcp_lib.framework.model import BOTTOM, MAX_LEVELS, TOP, Framework, Level, published_bands
from mcp_lib.framework.rules import AREA_SHORT, DEADLINE, EVIDENCE_SCHEMA, LATE_SHARE, METHOD, WINDOW
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
from mcp_lib.io import workbook
from mcp_lib.io.workbook import TEXT_FORMAT, cell_value, keep_as_text

TEMPLATE_LEVELS = (
    Level(TOP, "Area"),
    Level("sasaran", "Sasaran"),
    Level("indicator", "Indikator"),
    Level(BOTTOM, "Sub-indikator"),
)
"""The levels of an empty workbook: those of the 2025 framework (MCSP)."""

APPLIES_CHOICES = (*APPLIES_TO, "kabupaten;kota")
"""The "Berlaku untuk" dropdown (other combinations may be typed, separated by ``;``)."""
LISTS = (("berlaku_untuk", APPLIES_CHOICES), ("metode", METHOD_NAMES))
"""The hidden Daftar sheet's columns (A, B): the choices of the "Berlaku untuk" and "Metode
penilaian" dropdowns."""

VALIDATION_ROWS = 2000
"""Data validation and text format reach this many rows below the data (room to type)."""

_LEVEL_FILLS = (workbook.HEADER_FILL, workbook.ALT_HEADER_FILL)
"""Header colours of Struktur's level column groups, alternating so each level stands out."""
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
    return _write_workbook(Path(out), levels, settings, [], [], newest.bands.rows(), force=force, reconstruction=False)


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
        for name in (METHOD, AREA_SHORT):
            row[name] = row[name] or None  # an empty cell, not an empty text
        structure.append([row[c.name] for c in cols])
    docs = framework.documents[EVIDENCE_SCHEMA.names].astype({WINDOW: object})
    docs[WINDOW] = docs[WINDOW].where(docs[WINDOW] != "", None)
    documents = docs.itertuples(index=False, name=None)
    return _write_workbook(
        Path(out),
        levels,
        settings,
        structure,
        list(documents),
        framework.bands.rows(),
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
    if out.suffix.lower() != ".xlsx":
        raise InputError.one(
            str(out),
            "buku kerja kerangka harus berkas .xlsx",
            value=out.suffix or out.name,
            expected="nama berakhiran .xlsx, mis. kerangka-2025.xlsx",
        )
    if out.exists() and not force:
        raise InputError.one(str(out), "berkas sudah ada dan tidak ditimpa", expected="nama lain, atau --force")
    wb = workbook.new_workbook()
    _write_help(wb.active, levels, out.name, reconstruction, settings.get("year"))
    _write_meta(wb.create_sheet(META_SHEET), settings)
    _write_levels(wb.create_sheet(LEVEL_SHEET), levels)
    structure_sheet = wb.create_sheet(STRUCTURE_SHEET)
    _write_structure(structure_sheet, levels, structure)
    _write_documents(wb.create_sheet(DOCUMENT_SHEET), levels, documents)
    _write_bands(wb.create_sheet(BAND_SHEET), bands)
    lists = wb.create_sheet(LIST_SHEET)
    for c, (title, choices) in enumerate(LISTS, start=1):
        for r, value in enumerate((title, *choices), start=1):
            lists.cell(row=r, column=c, value=value)
    lists.sheet_state = "hidden"
    lists.protection.sheet = True
    wb.active = 0
    return workbook.save(wb, out)  # with --force: a workbook someone typed into is kept, never lost


def _header(ws, cols: tuple[Col, ...], fills: list[str] | None = None, freeze: int = 0) -> None:
    """The house header in row 1 (``freeze`` columns kept in view) and the columns' widths."""
    workbook.header_row(ws, [col.label for col in cols], fills=fills, freeze=freeze)
    workbook.column_widths(ws, [col.width for col in cols])


def _rows(ws, rows: list, codes: set[int] = frozenset()) -> None:
    """Write ``rows`` from row 2; columns ``codes`` (1-based) as text cells."""
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=cell_value(value))
            keep_as_text(cell)  # text from data is never a formula
            if c in codes:
                cell.number_format = TEXT_FORMAT


def _percent(ws, ref: str, title: str, error: str, prompt: str = "") -> None:
    """Only numbers from 0 to 100 in the cells ``ref``."""
    workbook.validate_between(ws, ref, 0, 100, title=title, error=error, prompt=prompt)


def _write_meta(ws, settings: dict[str, object]) -> None:
    _header(ws, META_COLUMNS)
    ref = workbook.fill(workbook.REFERENCE_FILL)
    for r, (key, label, note) in enumerate(SETTINGS, start=2):
        ws.cell(row=r, column=1, value=label).fill = ref
        cell = ws.cell(row=r, column=2, value=cell_value(settings.get(key)))
        keep_as_text(cell)
        if key in ("upload_close", "final_date"):
            cell.number_format = workbook.DATE_FORMAT
            workbook.validate_date(ws, cell.coordinate, "30/11/2025")
        elif key == "year":
            workbook.validate_between(
                ws, cell.coordinate, 2000, 2100, kind="whole", title="Tahun tidak sah", error="Tahun MCP, mis. 2025."
            )
        elif key == "detail_level":
            workbook.validate(
                ws,
                "list",
                cell.coordinate,
                formula1=f"{LEVEL_SHEET}!$B$2:$B${MAX_LEVELS + 1}",
                errorStyle="warning",
                title="Tingkat tidak dikenal",
                error="Pilih salah satu Nama dari sheet Tingkat (atau kosongkan).",
            )
        else:
            cell.number_format = TEXT_FORMAT
        note_cell = ws.cell(row=r, column=3, value=note)
        note_cell.fill, note_cell.alignment = ref, workbook.wrapped()


def _write_levels(ws, levels: tuple[Level, ...]) -> None:
    _header(ws, LEVEL_COLUMNS)
    _rows(ws, [(lv.key, lv.name) for lv in levels], codes={1, 2})
    workbook.text_columns(ws, {1, 2})
    workbook.validate_between(
        ws,
        f"A2:A{MAX_LEVELS + 1}",
        1,
        20,
        kind="textLength",
        title="Kunci tingkat",
        error="Huruf kecil dan angka tanpa spasi, diawali huruf (paling panjang 20).",
        prompt="Baris pertama area, baris terakhir subindicator; di antaranya bebas, mis. sasaran, indicator",
    )


def _write_structure(ws, levels: tuple[Level, ...], rows: list[list[object]]) -> None:
    from openpyxl.utils import get_column_letter

    cols = structure_columns(levels)
    fills = [_LEVEL_FILLS[i // 3 % 2] for i in range(3 * len(levels))]
    _header(ws, cols, fills + [workbook.HEADER_FILL] * (len(cols) - len(fills)))
    codes = {i for i, c in enumerate(cols, start=1) if c.name.endswith("_code")}
    _rows(ws, rows, codes)
    texts = {i for i, c in enumerate(cols, start=1) if c.name in ("applies_to", "default_opd", METHOD, AREA_SHORT)}
    workbook.text_columns(ws, codes | texts)
    workbook.auto_filter(ws, 1, len(cols), len(rows) + 1)
    end = len(rows) + 1 + VALIDATION_ROWS
    letters = {c.name: get_column_letter(i) for i, c in enumerate(cols, start=1)}
    for level in levels:
        letter = letters[level.weight]
        _percent(
            ws,
            f"{letter}2:{letter}{end}",
            f"Bobot {level.name}",
            "Bobot dalam persen: angka antara 0 dan 100.",
            f"Persen dari induknya; bobot {level.name.lower()} dalam satu induk berjumlah 100. "
            "Kosong = dibagi rata (kosongkan semua saudaranya juga).",
        )
    letter = letters["applies_to"]
    workbook.validate(
        ws,
        "list",
        f"{letter}2:{letter}{end}",
        formula1=f"{LIST_SHEET}!$A$2:$A${len(APPLIES_CHOICES) + 1}",
        errorStyle="warning",
        title="Berlaku untuk",
        error="Jenis pemda: semua, provinsi, kabupaten atau kota; beberapa dipisah titik koma (;). Lanjutkan?",
        prompt="semua (atau kosong), provinsi, kabupaten, kota; beberapa dipisah ;",
    )
    _validate_scoring(ws, letters, len(rows), end)


def _validate_scoring(ws, letters: dict[str, str], rows: int, end: int) -> None:
    """Struktur's scoring columns: the method dropdown (a name with its parameter is allowed after
    a warning), deadlines as dates, late shares from 0 to 1."""
    method, deadline, share = letters[METHOD], letters[DEADLINE], letters[LATE_SHARE]
    workbook.validate(
        ws,
        "list",
        f"{method}2:{method}{end}",
        formula1=f"{LIST_SHEET}!$B$2:$B${len(METHOD_NAMES) + 1}",
        errorStyle="warning",
        title="Metode penilaian",
        error="Bukan nama metode dari daftar. Nama dengan parameternya boleh, mis. BOBOT_TAHUN periode=3 "
        "atau AMBANG_REALISASI target=80. Lanjutkan?",
        prompt="Kosong = bobot dokumen. Parameter sesudah nama: BOBOT_TAHUN periode=3, BOBOT_TAHAPAN tahapan=4, "
        "AMBANG_REALISASI target=80 (lihat Petunjuk)",
    )
    for r in range(2, rows + 2):
        ws[f"{deadline}{r}"].number_format = workbook.DATE_FORMAT
    ws.column_dimensions[deadline].number_format = workbook.DATE_FORMAT
    workbook.validate_date(ws, f"{deadline}2:{deadline}{end}", "31/03/2026")
    workbook.validate_between(
        ws,
        f"{share}2:{share}{end}",
        0,
        1,
        title="Bagian nilai bila terlambat",
        error="Angka 0 sampai 1: 0,5 = setengah nilai bila selesai sesudah tenggat; 0 = tidak dihitung.",
        prompt="Wajib bila ada tenggat: 0 sampai 1, mis. 0,5 (kosong bila tanpa tenggat)",
    )


def _write_documents(ws, levels: tuple[Level, ...], rows: list[tuple]) -> None:
    from openpyxl.utils import get_column_letter

    cols = document_columns(levels)
    _header(ws, cols, freeze=2)  # the codes stay in view
    _rows(ws, rows, codes={1, 2})
    workbook.text_columns(ws, {1, 2, 3, 5})
    workbook.auto_filter(ws, 1, len(cols), len(rows) + 1)
    end = len(rows) + 1 + VALIDATION_ROWS
    bottom = levels[-1]
    code = get_column_letter(3 * (len(levels) - 1) + 1)
    workbook.validate(
        ws,
        "list",
        f"A2:A{end}",
        formula1=f"{STRUCTURE_SHEET}!${code}$2:${code}${VALIDATION_ROWS + 1000}",
        errorStyle="warning",
        title=f"Kode {bottom.name}",
        error=f"Kode ini belum ada di kolom Kode {bottom.name} sheet {STRUCTURE_SHEET}. Lanjutkan?",
    )
    _percent(
        ws,
        f"D2:D{end}",
        "Bagian",
        "Bagian dokumen: angka antara 0 dan 100.",
        f"Bagian semua dokumen satu {bottom.name.lower()} berjumlah 100.",
    )
    workbook.validate(
        ws,
        "textLength",
        f"E2:E{end}",
        operator="lessThanOrEqual",
        formula1="60",
        title="Jendela data",
        error="Jendela data: teks pendek, mis. TA 2025.",
        prompt="Boleh kosong. Tahun/periode data dokumen, mis. TA 2025, TW1 2026, RKPD 2027",
    )


def _write_bands(ws, rows: list[tuple]) -> None:
    _header(ws, BAND_COLUMNS)
    _rows(ws, rows)
    workbook.text_columns(ws, {1, 3})
    for r, (_name, _lower, colour) in enumerate(rows, start=2):
        if isinstance(colour, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
            ws.cell(row=r, column=3).fill = workbook.fill(colour[1:].upper())
    _percent(ws, "B2:B50", "Batas bawah", "Nilai 0 sampai 100 tempat predikat dimulai.")


def _example(levels: tuple[Level, ...]) -> tuple[list[list[object]], list[tuple], list[tuple]]:
    """A small valid framework in the template's levels, shown on Petunjuk: two lowest-level items
    under one parent (weights 60 and 40), every other weight blank, the second scored all or
    nothing, and their documents (the first's with their data windows)."""
    structure = []
    scoring = ((None, None, None, "CTH"), ("BINER_0_100", None, None, "CTH"))
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
        structure.append([*row, applies, opd, *scoring[n]])
    first, second = (item[3 * (len(levels) - 1)] for item in structure)
    documents = [
        (first, f"{first}.D1", "Contoh dokumen pertama", 70, "TA 2025"),
        (first, f"{first}.D2", "Contoh dokumen kedua", 30, "TA 2026"),
        (second, f"{second}.D1", "Contoh dokumen", 100, None),
    ]
    return structure, documents, published_bands(2024).rows()


def _write_help(ws, levels: tuple[Level, ...], file_name: str, reconstruction: bool, year: object) -> None:
    """The Petunjuk sheet: how to fill the workbook, then a worked example of each sheet (protected)."""
    ws.title = HELP_SHEET
    r = _write_paragraphs(ws, _help_paragraphs(levels, file_name, reconstruction, year))
    _write_examples(ws, levels, r)
    ws.protection.sheet = True


def _help_paragraphs(
    levels: tuple[Level, ...], file_name: str, reconstruction: bool, year: object
) -> list[tuple[str, str]]:
    """The Petunjuk sheet's text: (font kind, paragraph); an empty kind is a blank line."""
    top, bottom = levels[0], levels[-1]
    names = " → ".join(lv.name for lv in levels)
    parent = levels[-2].name.lower() if len(levels) > 1 else "induk"
    year_text = str(year) if year else "<tahun>"
    paragraphs: list[tuple[str, str]] = [("title", "Kerangka MCP: buku kerja isian")]
    if reconstruction:
        paragraphs.append(
            (
                "warning",
                "PERHATIAN: isi buku kerja ini adalah kerangka REKONSTRUKSI (bukan data resmi KPK). "
                "Ganti isinya dengan kerangka asli dari aplikasi MCP KPK sebelum dipakai.",
            )
        )
    paragraphs += [
        (
            "body",
            "Ketik di sini kerangka MCP tahun ini persis seperti di aplikasi MCP KPK atau panduan resmi dari "
            "koordinator KPK (Korsup) wilayah Anda: tingkat, kode, nama, bobot, dokumen bukti beserta bagiannya, "
            "dan predikat. Lalu impor menjadi folder kerangka (di folder proyek):",
        ),
        ("code", f".venv/bin/mcp framework import {file_name} --year {year_text}"),
        (
            "body",
            f"Ini menulis <data>/frameworks/mcp-{year_text}/. Folder yang sudah ada tidak ditimpa; dengan --force "
            f"folder lama disimpan sebagai mcp-{year_text}.bak-<tanggal-jam>, tidak pernah hilang. "
            "Setiap kesalahan disebut dengan sheet, baris dan kolom seperti terlihat di Excel.",
        ),
        (
            "warning",
            "Rekonstruksi: kerangka yang ikut terpasang (data/frameworks/mcp-2023, mcp-2024, mcp-2025) disusun "
            "ulang dari informasi publik; nama, bobot, dokumen dan bagiannya dikarang agar masuk akal. Nilai yang "
            "dihitung dengannya bukan nilai MCP Anda. Jangan menyalinnya: ketik kerangka asli dari aplikasi KPK.",
        ),
        ("", ""),
        ("bold", "Sheet"),
        (
            "body",
            f"{META_SHEET}: tahun, label, batas unggah dan tanggal final (tanggal Excel, mis. 30/11/2025), "
            "dan tingkat yang dirinci tabel brief. Isi kolom Nilai saja.",
        ),
        (
            "body",
            f"{LEVEL_SHEET}: satu baris per tingkat, dari atas ke bawah (paling banyak {MAX_LEVELS}). Kunci: huruf "
            f"kecil dan angka tanpa spasi, diawali huruf. Baris pertama selalu berkunci {TOP}, baris terakhir "
            f"selalu {BOTTOM} (tingkat tempat dokumen bukti); di antaranya bebas, mis. sasaran, indicator. "
            f"Nama: yang tampil di brief dan tracker, dan judul kolom di {STRUCTURE_SHEET}. Buku kerja ini: {names}.",
        ),
        (
            "body",
            f"{STRUCTURE_SHEET}: satu baris per {bottom.name.lower()}. Untuk setiap tingkat ada tiga kolom: Kode, "
            f"Nama, Bobot. Ulangi kode dan nama tingkat di atasnya di setiap baris (boleh disalin ke bawah); "
            "bobotnya cukup ditulis di satu baris (baris lain boleh kosong atau sama). Kode ditulis sebagai teks "
            "(1.10 tetap 1.10) dan tidak boleh ganda di tingkatnya.",
        ),
        (
            "body",
            "Bobot: persen dari induknya (0 sampai 100). Bobot item-item dalam satu induk (saudara) berjumlah "
            f"100; bobot {top.name.lower()} dihitung di antara semua {top.name.lower()}. Bobot kosong = dibagi sama "
            "rata di antara saudaranya: dalam satu induk kosongkan semuanya atau isi semuanya; campuran ditolak.",
        ),
        (
            "body",
            "Berlaku untuk: semua (atau kosong), provinsi, kabupaten, kota; beberapa dipisah titik koma (;), mis. "
            "kabupaten;kota. OPD pengampu: OPD penanggung jawab bawaan, beberapa dipisah ; (utama pertama); "
            "boleh kosong.",
        ),
        *_scoring_paragraphs(levels),
        (
            "body",
            f"{DOCUMENT_SHEET}: satu baris per dokumen bukti. Kode {bottom.name} (pilih dari daftar: kode di sheet "
            f"{STRUCTURE_SHEET}), Kode dokumen (tidak boleh ganda), Nama dokumen, Bagian. Bagian semua dokumen satu "
            f"{bottom.name.lower()} berjumlah 100; setiap {bottom.name.lower()} minimal satu dokumen. Jendela data "
            "(window; boleh kosong): tahun atau periode data yang dicakup dokumen, mis. TA 2025, TW1 2026, "
            "RKPD 2027; tampil di tracker. Untuk metode per periode atau tahapan, dokumen satu periode diberi "
            "jendela yang sama.",
        ),
        (
            "body",
            f"{BAND_SHEET}: predikat nilai tahun itu. Batas bawah: nilai (0 sampai 100) tempat predikat dimulai; "
            "satu predikat harus mulai dari 0. Warna: kode warna #rrggbb untuk grafik (boleh kosong). Templat baru "
            "sudah berisi predikat kerangka bawaan terbaru: periksa dengan panduan tahun ini.",
        ),
        (
            "body",
            f"Mengganti nama tingkat di {LEVEL_SHEET} tidak perlu mengubah judul kolom di {STRUCTURE_SHEET}: bila "
            "judulnya tidak cocok, kelompok kolom Kode/Nama/Bobot dibaca menurut urutannya.",
        ),
        ("", ""),
        (
            "bold",
            f"Contoh (bobot kosong dibagi rata; dua {bottom.name.lower()} dalam {parent} "
            f"{'A1' + '.1' * (len(levels) - 2) if len(levels) > 1 else ''} berbobot 60 dan 40; bagian 70 + 30 = 100)",
        ),
    ]
    return paragraphs


def _scoring_paragraphs(levels: tuple[Level, ...]) -> list[tuple[str, str]]:
    """Petunjuk on Struktur's scoring columns (the English name of each, as ``framework.csv``
    writes it, in brackets), every method and the syntax of its parameter."""
    top, bottom = levels[0], levels[-1].name.lower()
    methods = [
        "BOBOT_DOKUMEN, PROPORSIONAL: jumlah bagian dokumen yang diterima (sama dengan kosong).",
        "BINER_0_100: 100 bila semua dokumen diterima, selain itu 0.",
        "BERTINGKAT_0_75_25, BERTINGKAT_0_80_100: belum ada 0, sebagian 75 (atau 80), lengkap 100.",
        "BOBOT_TAHUN, BOBOT_TAHUN_TRIWULAN periode=<n>; BOBOT_TAHAPAN tahapan=<n>: periode (tahun, triwulan) "
        "atau tahapan yang dokumennya lengkap ÷ n, mis. BOBOT_TAHUN periode=3. Tanpa n: sebanyak jendela data "
        "dokumennya.",
        "AMBANG_REALISASI, AMBANG_PROPORSIONAL target=<angka>: realisasi ÷ target, paling tinggi 100 (tanpa "
        "target: 100), mis. AMBANG_REALISASI target=80. Tidak naik dengan mengunggah dokumen.",
        "INTEROPERABILITAS_E_LHKPN, _GOL, _SICUKUP, _SPI: 100 bila dipenuhi lewat sistem KPK itu, selain itu 0.",
    ]
    return [
        (
            "body",
            f"Metode penilaian (method): cara {bottom} dinilai bila panduan menetapkannya per {bottom} (MCSP 2026). "
            "Kosong = bobot dokumen seperti 2023–2025. Pilih dari daftar; parameter ditulis sesudah nama, "
            "dipisah spasi:",
        ),
        *(("body", f"- {text}") for text in methods),
        (
            "body",
            "Tenggat (deadline) dan Bagian nilai bila terlambat (late_share): tanggal dokumen harus selesai "
            "(tanggal Excel, mis. 31/03/2026) dan bagian nilai yang tetap dihitung bila selesai sesudahnya, "
            "0 sampai 1 (0,5 = setengah, 0 = tidak dihitung). Isi keduanya atau kosongkan keduanya.",
        ),
        (
            "body",
            f"Nama singkat {top.name} (area_short): nama {top.name.lower()} seperti di dasbor KPK, mis. PBJ, OPD "
            f"(Optimalisasi Pendapatan Daerah); tulis sama di setiap baris {top.name.lower()} itu, atau kosongkan.",
        ),
    ]


def _write_paragraphs(ws, paragraphs: list[tuple[str, str]]) -> int:
    """The paragraphs from the first row, wrapped; returns the row after them."""
    r = 1
    for kind, content in paragraphs:
        lines = textwrap.wrap(content, _HELP_WIDTH) if kind in ("body", "warning") else [content]
        for line in lines:
            if kind:
                keep_as_text(ws.cell(row=r, column=1, value=line)).font = workbook.font(kind)
            r += 1
    return r


def _write_examples(ws, levels: tuple[Level, ...], r: int) -> None:
    """The worked example of the structure, document and band sheets, from row ``r`` on."""
    structure, documents, bands = _example(levels)
    widths: dict[int, float] = {}
    for title, cols, rows in (
        (STRUCTURE_SHEET, structure_columns(levels), structure),
        (DOCUMENT_SHEET, document_columns(levels), documents),
        (BAND_SHEET, BAND_COLUMNS, bands),
    ):
        r += 1
        ws.cell(row=r, column=1, value=f"Sheet {title}").font = workbook.font("bold")
        r += 1
        workbook.header_row(ws, [col.label for col in cols], r, height=None, freeze=None)
        for c, col in enumerate(cols, start=1):
            widths[c] = max(widths.get(c, 0), min(col.width, 30), len(col.label) + 2)
        for values in rows:
            r += 1
            for c, value in enumerate(values, start=1):
                keep_as_text(ws.cell(row=r, column=c, value=value))
        r += 1
    workbook.column_widths(ws, [widths[c] for c in sorted(widths)])
