"""The Excel tracker: the workbook an Inspektorat analyst fills every month, its layout and how
it is written (blank for a new pemda, or filled from a snapshot).

Layout of ``tracker-<year>.xlsx``::

    Status      one row per evidence document that applies to the pemda: reference columns
                (code, area, indicator, sub-indicator, document, points, grey); editable
                columns (OPD, status, verified points, effort, due date, blocker, note, yellow)
                with Excel data validation (dropdown lists, number ranges, dates); last, a copy
                of the code ("Kode cek") inside the yellow block
    Petunjuk    instructions in Bahasa Indonesia: each status, each column, the monthly routine
    Daftar      (hidden) the dropdown lists and the pemda and framework year the tracker is for

:func:`write_tracker` writes it; :func:`export_tracker` writes one filled from an existing
snapshot. Reading a filled tracker back into ``status/<date>.csv`` is
:mod:`mcp_lib.pemda.tracker_import`; export then import gives back the same snapshot file, byte for byte.

**Sorting.** The sheet is not protected, so Excel and LibreOffice sort whole rows (a protected
sheet made Excel refuse and LibreOffice do nothing, and analysts then sorted only the yellow
block, misaligning the rows). The "Kode cek" column lets the import refuse a tracker sorted only
in part.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from mcp_lib.config import MAX_EFFORT_DAYS
from mcp_lib.errors import InputError, Problems
from mcp_lib.framework.methods import Rule
from mcp_lib.framework.model import DEFAULT_LEVELS, Framework, Level
from mcp_lib.io import workbook
from mcp_lib.io.readers import read_table
from mcp_lib.io.workbook import cell_value, keep_as_text
from mcp_lib.pemda.model import Pemda, opd_names
from mcp_lib.pemda.snapshot import SNAPSHOT_SCHEMA, load_snapshot, snapshot_path_for_period
from mcp_lib.statuses import BELUM, DISIAPKAN, DIUNGGAH, DIVERIFIKASI, PERLU_PERBAIKAN, STATUSES, TIDAK_BERLAKU

SHEET = "Status"
HELP_SHEET = "Petunjuk"
LIST_SHEET = "Daftar"


@dataclass(frozen=True)
class TrackerColumn:
    name: str
    """Snapshot column (editable) or framework column (reference)."""
    label: str
    """Header shown in Excel; also accepted on import."""
    width: float
    editable: bool
    help: str
    old_labels: tuple[str, ...] = ()
    """Headers of earlier versions, still read on import (a tracker filled last year keeps working)."""


_HEAD = (TrackerColumn("doc_code", "Kode dokumen", 13, False, "kode dokumen bukti dari kerangka MCP (jangan diubah)"),)
_TAIL: tuple[TrackerColumn, ...] = (
    TrackerColumn("doc_name", "Dokumen bukti", 40, False, "dokumen kelengkapan (evidence) yang diunggah"),
    TrackerColumn(
        "points",
        "Bagian maks",
        9,
        False,
        "bagian dokumen ini dari nilai 100 item terbawahnya (bukan poin nilai total)",
        ("Poin maks",),
    ),
    TrackerColumn(
        "opd", "OPD", 18, True, "OPD penanggung jawab; beberapa OPD dipisah titik koma (;), OPD utama pertama"
    ),
    TrackerColumn("status", "Status", 16, True, "status dokumen (lihat daftar status di bawah)"),
    TrackerColumn(
        "verified_points",
        "Bagian terverifikasi",
        12,
        True,
        "bagian yang diterima verifikator KPK (0 sampai Bagian maks); wajib untuk status diverifikasi",
        ("Poin terverifikasi",),
    ),
    TrackerColumn(
        "effort_days",
        "Usaha (hari-orang)",
        11,
        True,
        "perkiraan usaha yang masih diperlukan, hari-orang (boleh kosong)",
    ),
    TrackerColumn("due_date", "Tenggat", 12, True, "tanggal target selesai (boleh kosong)"),
    TrackerColumn(
        "blocker", "Hambatan", 28, True, "hambatan dari pihak luar, mis. 'menunggu evaluasi Kemendagri' (boleh kosong)"
    ),
    TrackerColumn("note", "Catatan", 32, True, "catatan bebas (boleh kosong)"),
    TrackerColumn(
        "doc_check", "Kode cek", 13, True, "salinan kode dokumen untuk memeriksa urutan baris (jangan diubah)"
    ),
)


_SCORING: tuple[tuple[str, TrackerColumn], ...] = (
    (
        "points",
        TrackerColumn(
            "method",
            "Cara dinilai",
            22,
            False,
            "metode penilaian indikator dari kerangka (kosong: bobot dokumen; BINER_0_100: semua dokumen atau "
            "nol; BERTINGKAT_…: bertingkat; BOBOT_TAHUN/TAHAPAN: per periode atau tahapan; AMBANG_…: realisasi "
            "terhadap target; INTEROPERABILITAS_…: dipenuhi lewat sistem lain)",
        ),
    ),
    (
        "method",
        TrackerColumn(
            "window", "Jendela data", 14, False, "tahun anggaran atau periode yang dicakup dokumen (mis. TA 2025)"
        ),
    ),
    (
        "due_date",
        TrackerColumn(
            "done_date",
            "Tanggal selesai",
            12,
            True,
            "tanggal dokumen selesai (ditetapkan, disahkan); untuk indikator bertenggat di kerangka, dokumen yang "
            "selesai sesudah tenggat hanya bernilai sebagian (boleh kosong: dianggap tepat waktu)",
        ),
    ),
    (
        "verified_points",
        TrackerColumn(
            "realisasi",
            "Realisasi",
            11,
            True,
            "realisasi yang dicapai dalam satuan target indikator (mis. persen target pajak); hanya untuk "
            "indikator bermetode AMBANG_REALISASI/AMBANG_PROPORSIONAL, kosong untuk lainnya",
        ),
    ),
)
"""The columns a tracker has only on a framework that needs them (:func:`scoring_columns`), each
after the column named first."""


def scoring_columns(framework: Framework) -> tuple[str, ...]:
    """The :data:`_SCORING` columns a tracker of ``framework`` has: ``method`` when some item
    scores by a method of its own, ``window`` when some document names its data window,
    ``realisasi`` when some item scores by a realisation against its target, ``done_date`` when
    some item has a deadline."""
    docs = framework.documents
    wanted = {
        "method": bool(framework.methods),
        "window": "window" in docs and bool(docs["window"].fillna("").astype(bool).any()),
        "realisasi": any(m.rule is Rule.REALISATION for m in framework.methods.values()),
        "done_date": framework.has_deadlines,
    }
    return tuple(name for name, on in wanted.items() if on)


def framework_columns(framework: Framework) -> tuple[TrackerColumn, ...]:
    """The tracker's columns for ``framework``: :func:`tracker_columns` of its levels and its
    :func:`scoring_columns`."""
    return tracker_columns(framework.levels, scoring_columns(framework))


def tracker_columns(
    levels: tuple[Level, ...] = DEFAULT_LEVELS, scoring: tuple[str, ...] = ()
) -> tuple[TrackerColumn, ...]:
    """The tracker's columns for a framework's levels: the code, one grey column per level (its
    name as the framework calls it), the document and its points, then the yellow columns; with
    ``scoring``, those :data:`_SCORING` columns too."""
    cols = []
    for i, level in enumerate(levels):
        if i == 0:
            width, help_ = (
                22,
                f"{level.name.lower()} intervensi MCP" if level.key == "area" else level.name.lower(),
            )
        elif i == len(levels) - 1:
            width, help_ = 34, level.name.lower()
        else:
            width, help_ = 26, level.name.lower()
        cols.append(TrackerColumn(level.title, level.name, width, False, help_))
    tail = tuple(
        dataclasses.replace(
            c, help=f"bagian dokumen ini dari nilai 100 {levels[-1].name.lower()}-nya (bukan poin nilai total)"
        )
        if c.name == "points"
        else c
        for c in _TAIL
    )
    for after, column in _SCORING:
        if column.name in scoring:
            at = [c.name for c in tail].index(after) + 1
            tail = (*tail[:at], column, *tail[at:])
    return (*_HEAD, *cols, *tail)


COLUMNS = tracker_columns()
"""The columns of a tracker on a three-level framework (2023, 2024)."""
CHECK = "doc_check"
"""A copy of the code at the end of the yellow block: sorted with the block, it shows on import
that the block moved without the codes."""
ALIASES: dict[str, str] = {
    label: c.name for c in (*_HEAD, *_TAIL, *(c for _, c in _SCORING)) for label in (c.label, *c.old_labels)
}
"""Tracker headers of the snapshot's columns → their names (the names are accepted too)."""

STATUS_HELP: dict[str, str] = {
    BELUM: "Belum ada apa-apa: dokumen belum disiapkan.",
    DISIAPKAN: "OPD sedang menyiapkan dokumen; belum diunggah ke aplikasi MCP.",
    DIUNGGAH: "Sudah diunggah (uploaded), menunggu verifikasi KPK. Dihitung dalam nilai klaim, "
    "belum dalam nilai terverifikasi.",
    DIVERIFIKASI: "Sudah diverifikasi (verified). Isi 'Bagian terverifikasi' dengan bagian yang diterima "
    "verifikator (boleh kurang dari Bagian maks).",
    PERLU_PERBAIKAN: "Ditolak atau 'belum optimal' (rejected): harus diperbaiki dan diunggah ulang. Jika "
    "verifikator memberi sebagian nilai, isi 'Bagian terverifikasi'.",
    TIDAK_BERLAKU: "Tidak berlaku (not applicable) untuk pemda ini; tidak dihitung dalam nilai.",
}
assert tuple(STATUS_HELP) == STATUSES


def column_letters(columns: tuple[TrackerColumn, ...]) -> dict[str, str]:
    """The Excel column letter of each tracker column, by name, as :func:`write_tracker` lays them out."""
    from openpyxl.utils import get_column_letter

    return {c.name: get_column_letter(i) for i, c in enumerate(columns, start=1)}


def _opd_choices(pemda: Pemda, framework: Framework) -> list[str]:
    """The pemda's OPDs from ``pemda.toml``; without a list there, the framework's defaults."""
    return [o.name for o in pemda.opds] if pemda.opds else framework.default_opds(pemda.kind)


def tracker_rows(pemda: Pemda, framework: Framework, values: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per document that applies to the pemda, with the reference columns and the
    editable ones (from ``values``, a snapshot table, when given; else status ``belum`` and the
    framework's default OPD)."""
    columns = framework_columns(framework)
    docs = framework.documents[framework.applies(pemda.kind).to_numpy()].reset_index(drop=True)
    rows = docs[[c.name for c in columns if not c.editable]].copy()
    editable = [c.name for c in columns if c.editable and c.name != CHECK]
    if values is None:
        names = opd_names(pemda)
        rows["opd"] = (
            docs["default_opd"]
            .fillna("")
            .map(lambda cell: "; ".join(names.get(n.strip().lower(), n.strip()) for n in cell.split(";") if n.strip()))
        )
        rows["status"] = BELUM
        for name in editable[2:]:
            rows[name] = None
    else:
        own = values.drop_duplicates("doc_code").set_index("doc_code")
        for name in editable:
            rows[name] = rows["doc_code"].map(own[name]) if name in own else None
    rows[CHECK] = rows["doc_code"]
    return rows


def write_tracker(
    pemda: Pemda,
    framework: Framework,
    path: str | Path,
    values: pd.DataFrame | None = None,
    *,
    force: bool = False,
) -> Path:
    """Write the tracker workbook for ``pemda`` (blank, or filled from a snapshot table).

    Raises
    ------
    InputError
        When ``path`` exists and ``force`` is not set: an analyst's tracker is never overwritten
        (with ``force`` it is kept as ``<name>.bak-<timestamp>.xlsx``).
    """
    path = Path(path)
    if path.exists() and not force:
        raise InputError.one(str(path), "tracker sudah ada dan tidak ditimpa", expected="nama lain, atau --force")
    rows = tracker_rows(pemda, framework, values)
    columns = framework_columns(framework)
    letters = column_letters(columns)
    opds = _opd_choices(pemda, framework)
    wb = workbook.new_workbook()
    ws = wb.active
    ws.title = SHEET
    workbook.header_row(ws, [c.label for c in columns], freeze=1)  # the code stays in view
    last = _write_rows(ws, rows, columns)
    workbook.column_widths(ws, [c.width for c in columns])
    # The level columns form one outline group: a click on [-] above them hides them and brings
    # the yellow columns next to the code (a 680-document framework has four level columns).
    for level in framework.levels:
        ws.column_dimensions[letters[level.title]].outlineLevel = 1
    workbook.auto_filter(ws, 1, len(columns), last)
    # Not protected: a protected sheet cannot be sorted as a whole (Excel refuses, LibreOffice
    # does nothing), and sorting the yellow block alone misaligns the rows. Grey reference cells
    # and the import's checks (tracker_import.read_tracker) guard the reference columns instead.
    _validations(ws, letters, last, opds)
    _write_lists(wb.create_sheet(LIST_SHEET), pemda, framework, opds)
    _write_help(wb.create_sheet(HELP_SHEET, 1), pemda, framework, path.name)
    wb.active = 0
    return workbook.save(wb, path)  # with --force: the filled tracker it replaces is kept, never lost


def _write_rows(ws, rows: pd.DataFrame, columns: tuple[TrackerColumn, ...]) -> int:
    """The documents below the header: editable cells yellow, reference cells grey, due dates
    as dates. Returns the last row."""
    fills = [workbook.fill(workbook.INPUT_FILL if c.editable else workbook.REFERENCE_FILL) for c in columns]
    names = [c.name for c in columns]
    for r, rec in enumerate(rows[names].itertuples(index=False, name=None), start=2):
        for i, (value, name) in enumerate(zip(rec, names, strict=True), start=1):
            cell = keep_as_text(ws.cell(row=r, column=i, value=cell_value(value)))  # text, never a formula
            cell.fill = fills[i - 1]
            if name in ("due_date", "done_date"):
                cell.number_format = workbook.DATE_FORMAT
    return len(rows) + 1


def _write_lists(ws, pemda: Pemda, framework: Framework, opds: list[str]) -> None:
    """The hidden sheet of the dropdowns' choices, and the pemda and framework year the tracker is for."""
    ws.append(["status", "opd", "", "kunci", "nilai"])
    for i in range(max(len(STATUSES), len(opds))):
        ws.append([STATUSES[i] if i < len(STATUSES) else None, opds[i] if i < len(opds) else None])
    meta = {"pemda": pemda.slug, "nama": pemda.name, "kerangka": framework.year}
    for r, (k, v) in enumerate(meta.items(), start=2):
        ws.cell(row=r, column=4, value=k)
        ws.cell(row=r, column=5, value=v)
        keep_as_text(ws.cell(row=r, column=5))
    for (cell,) in ws.iter_rows(min_row=2, min_col=2, max_col=2):
        keep_as_text(cell)
    ws.sheet_state = "hidden"
    ws.protection.sheet = True


def _validations(ws, letters: dict[str, str], last: int, opds: list[str]) -> None:
    """Dropdowns of the status and the OPD, and the ranges of the numbers and the due date, on
    rows 2 to ``last``."""

    def rng(name: str) -> str:
        return f"{letters[name]}2:{letters[name]}{last}"

    workbook.validate(
        ws,
        "list",
        rng("status"),
        formula1=f"{LIST_SHEET}!$A$2:$A${len(STATUSES) + 1}",
        allow_blank=False,
        errorStyle="stop",
        title="Status tidak dikenal",
        error="Pilih salah satu status dari daftar: " + ", ".join(STATUSES),
        prompt_title="Status",
        prompt="Pilih dari daftar (lihat sheet Petunjuk)",
    )
    workbook.validate(
        ws,
        "list",
        rng("opd"),
        formula1=f"{LIST_SHEET}!$B$2:$B${max(len(opds), 1) + 1}",
        errorStyle="warning",
        title="OPD di luar daftar",
        error="OPD ini tidak ada di pemda.toml. Beberapa OPD boleh dipisah titik koma (;). Lanjutkan?",
        prompt_title="OPD",
        prompt="OPD penanggung jawab (utama pertama)",
    )
    workbook.validate_between(
        ws,
        rng("verified_points"),
        0,
        f"${letters['points']}2",
        title="Bagian di luar rentang",
        error="Bagian terverifikasi antara 0 dan Bagian maks dokumen ini.",
    )
    workbook.validate_between(
        ws,
        rng("effort_days"),
        0,
        f"{MAX_EFFORT_DAYS:g}",
        title="Usaha tidak sah",
        error=f"Usaha dalam hari-orang: angka antara 0 dan {MAX_EFFORT_DAYS:g}.",
    )
    workbook.validate_date(ws, rng("due_date"), "31/12/2023")
    if "done_date" in letters:
        workbook.validate_date(ws, rng("done_date"), "31/12/2023")


def _write_help(ws, pemda: Pemda, framework: Framework, file_name: str) -> None:
    lines: list[tuple[str, str]] = [
        ("title", f"Tracker MCP {pemda.name}: {framework.label}"),
        ("", ""),
        ("bold", "Cara mengisi"),
        (
            "body",
            "1. Isi kolom berlatar kuning di sheet 'Status', satu baris per dokumen bukti. Kolom "
            "abu-abu (kode, " + ", ".join(lv.name.lower() for lv in framework.levels) + ", dokumen, bagian maks) "
            "berasal dari kerangka MCP: jangan diubah.",
        ),
        (
            "body",
            "Mengurutkan: pakai tombol filter di baris judul, atau pilih seluruh tabel (semua kolom) lalu "
            "urutkan. Jangan mengurutkan sebagian kolom saja: baris menjadi tidak sejajar dan impor menolaknya. "
            "Kolom 'Kode cek' (salinan kode) dipakai untuk memeriksanya.",
        ),
        (
            "body",
            "Kolom "
            + framework.levels[0].name.lower()
            + " sampai "
            + framework.levels[-1].name.lower()
            + " dapat diciutkan dengan tombol [-] di atas kolomnya (dan dibuka lagi dengan [+]), agar kolom "
            "kuning terlihat di samping kode dokumen.",
        ),
        ("body", "2. Perbarui setiap bulan sebelum rapat monev, lalu simpan berkas ini."),
        (
            "body",
            f"3. Impor (di folder proyek): .venv/bin/mcp snapshot import {file_name} --date YYYY-MM-DD (tanggal "
            "keadaan data, "
            "mis. akhir bulan). Ini menulis status/YYYY-MM-DD.csv; yang sudah ada tidak ditimpa.",
        ),
        ("body", "4. Buat brief: .venv/bin/mcp brief --pemda " + pemda.slug + " --period YYYY-MM"),
        ("body", "Jika ada kesalahan, pesan menyebut baris dan kolom seperti terlihat di Excel."),
        ("", ""),
        ("bold", "Status"),
        *[("pair", f"{k}\t{v}") for k, v in STATUS_HELP.items()],
        ("", ""),
        ("bold", "Kolom"),
        *[("pair", f"{c.label}\t{c.help}") for c in framework_columns(framework)],
        ("", ""),
        (
            "body",
            f"Pemda: {pemda.name} ({pemda.slug}), kerangka MCP {framework.year}. Sheet tersembunyi "
            "'Daftar' berisi pilihan dropdown; ubah daftar OPD di pemda.toml lalu buat tracker baru.",
        ),
    ]
    workbook.column_widths(ws, [22, 100])
    for r, (kind, content) in enumerate(lines, start=1):
        if kind == "pair":
            a, b = content.split("\t", 1)
            ws.cell(row=r, column=1, value=a).font = workbook.font("bold")
            ws.cell(row=r, column=2, value=b).alignment = workbook.wrapped()
        elif kind:
            ws.cell(row=r, column=1, value=content).font = workbook.font(kind)
        for cell in ws[r]:
            keep_as_text(cell)
    ws.protection.sheet = True


def export_tracker(pemda: Pemda, framework: Framework, period: str, path: str | Path, *, force: bool = False) -> Path:
    """Write a tracker filled from the pemda's snapshot of ``period`` (validated first)."""
    date, snap_path = snapshot_path_for_period(pemda, period)
    load_snapshot(snap_path, framework, pemda, date)
    problems = Problems()
    table = read_table(snap_path, SNAPSHOT_SCHEMA, problems)
    problems.raise_if_any()
    return write_tracker(pemda, framework, path, table, force=force)
