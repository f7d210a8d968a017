"""The Excel tracker: the workbook an Inspektorat analyst fills every month, and its round trip
to dated status snapshots.

Layout of ``tracker-<year>.xlsx``::

    Status      one row per evidence document that applies to the pemda: reference columns
                (code, area, indicator, sub-indicator, document, points, grey); editable
                columns (OPD, status, verified points, effort, due date, blocker, note, yellow)
                with Excel data validation (dropdown lists, number ranges, dates); last, a copy
                of the code ("Kode cek") inside the yellow block
    Petunjuk    instructions in Bahasa Indonesia: each status, each column, the monthly routine
    Daftar      (hidden) the dropdown lists and the pemda and framework year the tracker is for

:func:`import_tracker` validates a filled tracker with the same rules as a snapshot file (rows
and columns named as Excel shows them) and writes ``status/<date>.csv``;
:func:`export_tracker` writes a tracker filled from an existing snapshot. Export then import
gives back the same snapshot file, byte for byte.

**Sorting.** The sheet is not protected, so Excel and LibreOffice sort whole rows (a protected
sheet made Excel refuse and LibreOffice do nothing, and analysts then sorted only the yellow
block, misaligning the rows). A tracker sorted only in part is refused on import, naming the
rows: a reference cell that does not belong to its row's code, a "Kode cek" that differs from
the row's code (the yellow block sorted alone), or a yellow column sorted on its own while the
codes kept their order.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from mcp_lib.config import MAX_EFFORT_DAYS, STATUSES
from mcp_lib.errors import InputError, Problem, Problems
from mcp_lib.files import keep_backup
from mcp_lib.framework import DEFAULT_LEVELS, Framework, Level
from mcp_lib.rawfile import read_raw
from mcp_lib.readers import keep_as_text, read_table
from mcp_lib.status import (
    SNAPSHOT_SCHEMA,
    Pemda,
    Snapshot,
    load_snapshot,
    opd_names,
    snapshot_path_for_period,
    write_snapshot,
)

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


_HEAD = (
    TrackerColumn(
        "doc_code", "Kode dokumen", 13, False, "kode dokumen bukti dari kerangka MCP (jangan diubah)"
    ),
)
_TAIL: tuple[TrackerColumn, ...] = (
    TrackerColumn("doc_name", "Dokumen bukti", 40, False, "dokumen kelengkapan (evidence) yang diunggah"),
    TrackerColumn("points", "Poin maks", 9, False, "poin dokumen ini dari 100 poin item terbawahnya"),
    TrackerColumn("opd", "OPD", 18, True, "OPD penanggung jawab; beberapa OPD dipisah titik koma (;), OPD utama pertama"),
    TrackerColumn("status", "Status", 16, True, "status dokumen (lihat daftar status di bawah)"),
    TrackerColumn("verified_points", "Poin terverifikasi", 12, True, "poin yang diterima verifikator KPK (0 sampai Poin maks); wajib untuk status diverifikasi"),
    TrackerColumn("effort_days", "Usaha (hari-orang)", 11, True, "perkiraan usaha yang masih diperlukan, hari-orang (boleh kosong)"),
    TrackerColumn("due_date", "Tenggat", 12, True, "tanggal target selesai (boleh kosong)"),
    TrackerColumn("blocker", "Hambatan", 28, True, "hambatan dari pihak luar, mis. 'menunggu evaluasi Kemendagri' (boleh kosong)"),
    TrackerColumn("note", "Catatan", 32, True, "catatan bebas (boleh kosong)"),
    TrackerColumn("doc_check", "Kode cek", 13, True, "salinan kode dokumen untuk memeriksa urutan baris (jangan diubah)"),
)  # fmt: skip


def tracker_columns(levels: tuple[Level, ...] = DEFAULT_LEVELS) -> tuple[TrackerColumn, ...]:
    """The tracker's columns for a framework's levels: the code, one grey column per level (its
    name as the framework calls it), the document and its points, then the yellow columns."""
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
        dataclasses.replace(c, help=f"poin dokumen ini dari 100 poin {levels[-1].name.lower()}-nya")
        if c.name == "points" else c
        for c in _TAIL
    )  # fmt: skip
    return (*_HEAD, *cols, *tail)


COLUMNS = tracker_columns()
"""The columns of a tracker on a three-level framework (2023, 2024)."""
CHECK = "doc_check"
"""A copy of the code at the end of the yellow block: sorted with the block, it shows on import
that the block moved without the codes."""
ALIASES: dict[str, str] = {c.label: c.name for c in (*_HEAD, *_TAIL)}
"""Tracker headers of the snapshot's columns → their names (the names are accepted too)."""

STATUS_HELP: dict[str, str] = {
    "belum": "Belum ada apa-apa: dokumen belum disiapkan.",
    "disiapkan": "OPD sedang menyiapkan dokumen; belum diunggah ke aplikasi MCP.",
    "diunggah": "Sudah diunggah (uploaded), menunggu verifikasi KPK. Dihitung dalam nilai klaim, "
    "belum dalam nilai terverifikasi.",
    "diverifikasi": "Sudah diverifikasi (verified). Isi 'Poin terverifikasi' dengan poin yang diterima "
    "verifikator (boleh kurang dari Poin maks).",
    "perlu_perbaikan": "Ditolak atau 'belum optimal' (rejected): harus diperbaiki dan diunggah ulang. Jika "
    "verifikator memberi sebagian poin, isi 'Poin terverifikasi'.",
    "tidak_berlaku": "Tidak berlaku (not applicable) untuk pemda ini; tidak dihitung dalam nilai.",
}
assert tuple(STATUS_HELP) == STATUSES


def _letters(columns: tuple[TrackerColumn, ...]) -> dict[str, str]:
    from openpyxl.utils import get_column_letter

    return {c.name: get_column_letter(i) for i, c in enumerate(columns, start=1)}


_DATE_FORMAT = "DD/MM/YYYY"


def _opd_choices(pemda: Pemda, framework: Framework) -> list[str]:
    """The pemda's OPDs from ``pemda.toml``; without a list there, the framework's defaults."""
    return [o.name for o in pemda.opds] if pemda.opds else framework.default_opds(pemda.kind)


def tracker_rows(pemda: Pemda, framework: Framework, values: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per document that applies to the pemda, with the reference columns and the
    editable ones (from ``values``, a snapshot table, when given; else status ``belum`` and the
    framework's default OPD)."""
    columns = tracker_columns(framework.levels)
    docs = framework.documents[framework.applies(pemda.kind).to_numpy()].reset_index(drop=True)
    rows = docs[[c.name for c in columns if not c.editable]].copy()
    editable = [c.name for c in columns if c.editable and c.name != CHECK]
    if values is None:
        names = opd_names(pemda)
        rows["opd"] = (
            docs["default_opd"]
            .fillna("")
            .map(
                lambda cell: "; ".join(
                    names.get(n.strip().lower(), n.strip()) for n in cell.split(";") if n.strip()
                )
            )
        )
        rows["status"] = "belum"
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
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    path = Path(path)
    if path.exists() and not force:
        raise InputError.one(
            str(path), "tracker sudah ada dan tidak ditimpa", expected="nama lain, atau --force"
        )
    rows = tracker_rows(pemda, framework, values)
    columns = tracker_columns(framework.levels)
    letters = _letters(columns)
    opds = _opd_choices(pemda, framework)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    header_fill = PatternFill("solid", fgColor="DDE7F0")
    edit_fill = PatternFill("solid", fgColor="FFF9E5")
    ws.append([c.label for c in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for rec in rows.itertuples(index=False):
        out = []
        for c in columns:
            v = getattr(rec, c.name)
            if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NaT:
                v = None
            elif c.name == "due_date" and isinstance(v, dt.date):
                v = dt.datetime(v.year, v.month, v.day)
            out.append(v)
        ws.append(out)
    last = ws.max_row
    for i, c in enumerate(columns, start=1):
        letter = letters[c.name]
        ws.column_dimensions[letter].width = c.width
        for (cell,) in ws.iter_rows(min_row=2, max_row=last, min_col=i, max_col=i):
            keep_as_text(cell)  # a name starting with '=' stays text, never a formula
            if c.editable:
                cell.fill = edit_fill
            if c.name == "due_date":
                cell.number_format = _DATE_FORMAT
    # The level columns form one outline group: a click on [-] above them hides them and brings
    # the yellow columns next to the code (a 680-document framework has four level columns).
    for level in framework.levels:
        ws.column_dimensions[letters[level.title]].outlineLevel = 1
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{letters[columns[-1].name]}{last}"
    ws.row_dimensions[1].height = 30
    # Not protected: a protected sheet cannot be sorted as a whole (Excel refuses, LibreOffice
    # does nothing), and sorting the yellow block alone misaligns the rows. Grey reference cells
    # and the import's checks (read_tracker) guard the reference columns instead.
    ref_fill = PatternFill("solid", fgColor="E1E5EA")
    for i, c in enumerate(columns, start=1):
        if not c.editable:
            for (cell,) in ws.iter_rows(min_row=2, max_row=last, min_col=i, max_col=i):
                cell.fill = ref_fill

    lists = wb.create_sheet(LIST_SHEET)
    lists.append(["status", "opd", "", "kunci", "nilai"])
    for i in range(max(len(STATUSES), len(opds))):
        lists.append([STATUSES[i] if i < len(STATUSES) else None, opds[i] if i < len(opds) else None])
    meta = {"pemda": pemda.slug, "nama": pemda.name, "kerangka": framework.year}
    for r, (k, v) in enumerate(meta.items(), start=2):
        lists.cell(row=r, column=4, value=k)
        lists.cell(row=r, column=5, value=v)
        keep_as_text(lists.cell(row=r, column=5))
    for (cell,) in lists.iter_rows(min_row=2, min_col=2, max_col=2):
        keep_as_text(cell)
    lists.sheet_state = "hidden"
    lists.protection.sheet = True

    def rng(name: str) -> str:
        return f"{letters[name]}2:{letters[name]}{last}"

    status_dv = DataValidation(
        type="list", formula1=f"{LIST_SHEET}!$A$2:$A${len(STATUSES) + 1}", allow_blank=False,
        showErrorMessage=True, errorStyle="stop", errorTitle="Status tidak dikenal",
        error="Pilih salah satu status dari daftar: " + ", ".join(STATUSES),
        showInputMessage=True, promptTitle="Status", prompt="Pilih dari daftar (lihat sheet Petunjuk)",
    )  # fmt: skip
    opd_dv = DataValidation(
        type="list", formula1=f"{LIST_SHEET}!$B$2:$B${max(len(opds), 1) + 1}", allow_blank=True,
        showErrorMessage=True, errorStyle="warning", errorTitle="OPD di luar daftar",
        error="OPD ini tidak ada di pemda.toml. Beberapa OPD boleh dipisah titik koma (;). Lanjutkan?",
        showInputMessage=True, promptTitle="OPD", prompt="OPD penanggung jawab (utama pertama)",
    )  # fmt: skip
    first = f"${letters['points']}2"
    points_dv = DataValidation(
        type="decimal", operator="between", formula1="0", formula2=first, allow_blank=True,
        showErrorMessage=True, errorStyle="stop", errorTitle="Poin di luar rentang",
        error="Poin terverifikasi antara 0 dan Poin maks dokumen ini.",
    )  # fmt: skip
    effort_dv = DataValidation(
        type="decimal", operator="between", formula1="0", formula2=f"{MAX_EFFORT_DAYS:g}", allow_blank=True,
        showErrorMessage=True, errorStyle="stop", errorTitle="Usaha tidak sah",
        error=f"Usaha dalam hari-orang: angka antara 0 dan {MAX_EFFORT_DAYS:g}.",
    )  # fmt: skip
    date_dv = DataValidation(
        type="date", operator="between", formula1="DATE(2000,1,1)", formula2="DATE(2100,12,31)",
        allow_blank=True, showErrorMessage=True, errorStyle="stop", errorTitle="Tanggal tidak sah",
        error="Isi tanggal, mis. 31/12/2023.",
    )  # fmt: skip
    for dv, name in (
        (status_dv, "status"), (opd_dv, "opd"), (points_dv, "verified_points"),
        (effort_dv, "effort_days"), (date_dv, "due_date"),
    ):  # fmt: skip
        dv.add(rng(name))
        ws.add_data_validation(dv)

    _write_help(wb.create_sheet(HELP_SHEET, 1), pemda, framework, path.name)
    wb.active = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.tmp{path.suffix}")
    wb.save(tmp)
    keep_backup(path)  # with --force: the filled tracker it replaces is kept, never lost
    tmp.replace(path)
    return path


def _write_help(ws, pemda: Pemda, framework: Framework, file_name: str) -> None:
    from openpyxl.styles import Alignment, Font

    lines: list[tuple[str, str]] = [
        ("title", f"Tracker MCP {pemda.name}: {framework.label}"),
        ("", ""),
        ("head", "Cara mengisi"),
        ("text", "1. Isi kolom berlatar kuning di sheet 'Status', satu baris per dokumen bukti. Kolom "
                 "abu-abu (kode, " + ", ".join(lv.name.lower() for lv in framework.levels) + ", dokumen, poin maks) "
                 "berasal dari kerangka MCP: jangan diubah."),
        ("text", "Mengurutkan: pakai tombol filter di baris judul, atau pilih seluruh tabel (semua kolom) lalu "
                 "urutkan. Jangan mengurutkan sebagian kolom saja: baris menjadi tidak sejajar dan impor menolaknya. "
                 "Kolom 'Kode cek' (salinan kode) dipakai untuk memeriksanya."),
        ("text", "Kolom " + framework.levels[0].name.lower() + " sampai " + framework.levels[-1].name.lower()
                 + " dapat diciutkan dengan tombol [-] di atas kolomnya (dan dibuka lagi dengan [+]), agar kolom "
                 "kuning terlihat di samping kode dokumen."),
        ("text", "2. Perbarui setiap bulan sebelum rapat monev, lalu simpan berkas ini."),
        ("text", f"3. Impor (di folder proyek): .venv/bin/mcp snapshot import {file_name} --date YYYY-MM-DD (tanggal keadaan data, "
                 "mis. akhir bulan). Ini menulis status/YYYY-MM-DD.csv; yang sudah ada tidak ditimpa."),
        ("text", "4. Buat brief: .venv/bin/mcp brief --pemda " + pemda.slug + " --period YYYY-MM"),
        ("text", "Jika ada kesalahan, pesan menyebut baris dan kolom seperti terlihat di Excel."),
        ("", ""),
        ("head", "Status"),
        *[("pair", f"{k}\t{v}") for k, v in STATUS_HELP.items()],
        ("", ""),
        ("head", "Kolom"),
        *[("pair", f"{c.label}\t{c.help}") for c in tracker_columns(framework.levels)],
        ("", ""),
        ("text", f"Pemda: {pemda.name} ({pemda.slug}), kerangka MCP {framework.year}. Sheet tersembunyi "
                 "'Daftar' berisi pilihan dropdown; ubah daftar OPD di pemda.toml lalu buat tracker baru."),
    ]  # fmt: skip
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 100
    for r, (kind, content) in enumerate(lines, start=1):
        if kind == "pair":
            a, b = content.split("\t", 1)
            ws.cell(row=r, column=1, value=a).font = Font(bold=True)
            ws.cell(row=r, column=2, value=b).alignment = Alignment(wrap_text=True, vertical="top")
        elif kind:
            cell = ws.cell(row=r, column=1, value=content)
            cell.font = Font(bold=kind in ("title", "head"), size=14 if kind == "title" else 11)
        for cell in ws[r]:
            keep_as_text(cell)
    ws.protection.sheet = True


# --- reading a filled tracker -------------------------------------------------------------------


def _labelled(exc: InputError, framework: Framework) -> InputError:
    """The problems with tracker column labels and letters instead of snapshot column names."""
    columns = tracker_columns(framework.levels)
    letters = _letters(columns)
    by_name = {c.name: c for c in columns}
    out = []
    for p in exc.problems:
        col = by_name.get(p.column or "")
        if col is not None:
            p = dataclasses.replace(p, column=f"{letters[col.name]} {col.label}")
        out.append(p)
    return InputError(out)


def tracker_meta(path: str | Path) -> dict[str, object]:
    """The pemda slug and framework year a tracker was made for (empty when not a tracker)."""
    problems = Problems()
    raw = read_raw(Path(path), problems, sheet=LIST_SHEET)
    if raw is None or "kunci" not in raw or "nilai" not in raw:
        return {}
    return {k: v for k, v in zip(raw["kunci"], raw["nilai"], strict=True) if isinstance(k, str) and k}


def read_tracker(
    path: str | Path, pemda: Pemda, framework: Framework, date: dt.date
) -> tuple[Snapshot, pd.DataFrame]:
    """Validate a filled tracker as the snapshot of ``date``.

    Returns the validated snapshot and the table to write (the cells as the analyst filled
    them, in the snapshot's columns).

    Raises
    ------
    InputError
        Every problem, naming the tracker file, the Excel row and the column (letter and header);
        also when the tracker was made for another pemda or framework year.
    """
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise InputError.one(
            str(path), "tracker harus berkas Excel", value=path.suffix, expected="berkas .xlsx"
        )
    meta = tracker_meta(path) if path.is_file() else {}
    problems = Problems()
    if meta.get("pemda") not in (None, "", pemda.slug):
        problems.add(
            path, f"tracker ini dibuat untuk pemda {meta['pemda']}", column="Daftar",
            expected=f"tracker milik {pemda.slug}, atau --pemda {meta['pemda']}",
        )  # fmt: skip
    year = meta.get("kerangka")
    if year not in (None, "") and str(year).split(".")[0] != str(framework.year):
        problems.add(
            path, f"tracker ini untuk kerangka MCP {year}, pemda memakai kerangka {framework.year}",
            expected=f"tracker baru: mcp tracker --pemda {pemda.slug}",
        )  # fmt: skip
    problems.raise_if_any()
    misaligned = alignment_problems(path, pemda, framework)
    if misaligned:
        raise InputError(misaligned)
    try:
        snap = load_snapshot(path, framework, pemda, date, sheet=SHEET, aliases=ALIASES)
    except InputError as exc:
        raise _labelled(exc, framework) from None
    table = read_table(path, SNAPSHOT_SCHEMA, problems, sheet=SHEET, aliases=ALIASES)
    assert table is not None  # validated above
    # Rows in the framework's order, however the analyst sorted the tracker (whole rows).
    order = {code: i for i, code in enumerate(framework.documents["doc_code"])}
    table = table.sort_values("doc_code", key=lambda c: c.map(order).fillna(len(order)), kind="stable")
    return snap, table[SNAPSHOT_SCHEMA.names].reset_index(drop=True)


SORT_HINT = (
    "urutkan seluruh tabel sekaligus (tombol filter di baris judul, atau pilih semua kolom), atau ambil "
    "tracker bulan lalu (mcp snapshot export) dan isi lagi"
)
MONOTONE_MIN_DISTINCT = 3
"""A yellow column counts as sorted on its own when its filled cells (at least this many
different values) are all in order and all above its blank ones (a sort puts blanks last), while
the codes kept the tracker's order."""


def _norm(value: object) -> str:
    return " ".join(str(value).split()).casefold() if value is not None else ""


def alignment_problems(path: str | Path, pemda: Pemda, framework: Framework) -> list[Problem]:
    """Rows of a filled tracker that no longer line up, as when only some columns were sorted.

    Three signs, each reported with its Excel row and column: a reference cell (area, indicator,
    sub-indicator, document, points) that is not the one of its row's code; a "Kode cek" that is
    not its row's code (the yellow block sorted alone); a yellow column whose values are in
    sorted order on their own while the codes kept the tracker's order (a few columns sorted).
    """
    from openpyxl import load_workbook

    path = Path(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception:
        return []  # unreadable: the snapshot reader says why
    try:
        if SHEET not in wb.sheetnames:
            return []
        rows = [list(r) for r in wb[SHEET].iter_rows(values_only=True)]
    finally:
        wb.close()
    if not rows:
        return []
    columns = tracker_columns(framework.levels)
    by_label = {_norm(c.label): c for c in columns} | {_norm(c.name): c for c in columns}
    index = {by_label[_norm(h)].name: i for i, h in enumerate(rows[0]) if _norm(h) in by_label}
    if "doc_code" not in index:
        return []
    ref = framework.documents.set_index("doc_code")
    problems: list[Problem] = []

    def where(name: str) -> str:
        from openpyxl.utils import get_column_letter

        col = next(c for c in columns if c.name == name)
        letter = get_column_letter(index[name] + 1)
        return f"{letter} {col.label}"

    codes: list[tuple[int, str]] = []
    for n, row in enumerate(rows[1:], start=2):
        cell = row[index["doc_code"]] if index["doc_code"] < len(row) else None
        code = str(cell).strip().upper() if cell is not None else ""
        if not code:
            continue
        codes.append((n, code))
        if CHECK in index and index[CHECK] < len(row):
            check = row[index[CHECK]]
            if check not in (None, "") and str(check).strip().upper() != code:
                problems.append(
                    Problem(str(path), f"baris tidak sejajar: Kode cek {check!r} bukan kode baris ini ({code}); "
                            "kolom kuning tampaknya diurutkan tanpa kolom kode", row=n, column=where(CHECK),
                            value=check, expected=SORT_HINT)
                )  # fmt: skip
        if code not in ref.index:
            continue
        for name in (*(level.title for level in framework.levels), "doc_name", "points"):
            if name not in index or index[name] >= len(row) or row[index[name]] in (None, ""):
                continue
            got, want = row[index[name]], ref.loc[code, name]
            same = _number_equal(got, want) if name == "points" else _norm(got) == _norm(want)
            if not same:
                problems.append(
                    Problem(str(path), f"baris tidak sejajar: isi kolom ini bukan milik dokumen {code}",
                            row=n, column=where(name), value=got,
                            expected=f"{want} (dari kerangka MCP); {SORT_HINT}")
                )  # fmt: skip
                break
    order = [c for _n, c in codes]
    expected = [c for c in framework.documents["doc_code"] if c in set(order)]
    if order == expected:  # codes in the tracker's own order: a sorted yellow column is suspect
        for name in ("due_date", "blocker", "note", "effort_days", "opd", "verified_points"):
            if name not in index:
                continue
            values = [rows[n - 1][index[name]] if index[name] < len(rows[n - 1]) else None for n, _c in codes]
            filled = [v for v in values if v not in (None, "")]
            if len({str(v) for v in filled}) < MONOTONE_MIN_DISTINCT:
                continue
            blanks_last = all(v in (None, "") for v in values[len(filled) :])
            keys = [_sort_key(v) for v in filled]
            if blanks_last and (keys == sorted(keys) or keys == sorted(keys, reverse=True)):
                problems.append(
                    Problem(str(path), "kolom ini terurut sendiri sementara kode dokumen tetap: tampaknya hanya "
                            "sebagian kolom yang diurutkan, sehingga isinya tidak lagi sejajar dengan kodenya",
                            row=codes[0][0], column=where(name), expected=SORT_HINT)
                )  # fmt: skip
    return problems


def _number_equal(a: object, b: object) -> bool:
    try:
        return abs(float(str(a).replace(",", ".")) - float(b)) < 1e-6
    except (TypeError, ValueError, OverflowError):
        return False


def _sort_key(value: object) -> tuple:
    if isinstance(value, dt.datetime | dt.date):
        return (0, value.isoformat())
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return (1, float(value))
        except OverflowError:  # a 400-digit number: refused later by the snapshot rules
            return (2, _norm(value))
    return (2, _norm(value))


def import_tracker(
    path: str | Path, pemda: Pemda, framework: Framework, date: dt.date, *, force: bool = False
) -> Path:
    """Validate a filled tracker and write it as ``status/<date>.csv`` of the pemda.

    Raises
    ------
    InputError
        Bad cells (file, Excel row, column), or the snapshot exists and ``force`` is off.
    """
    _, table = read_tracker(path, pemda, framework, date)
    return write_snapshot(table, pemda.status_dir / f"{date:%Y-%m-%d}.csv", force=force)


def export_tracker(
    pemda: Pemda, framework: Framework, period: str, path: str | Path, *, force: bool = False
) -> Path:
    """Write a tracker filled from the pemda's snapshot of ``period`` (validated first)."""
    date, snap_path = snapshot_path_for_period(pemda, period)
    load_snapshot(snap_path, framework, pemda, date)
    problems = Problems()
    table = read_table(snap_path, SNAPSHOT_SCHEMA, problems)
    problems.raise_if_any()
    return write_tracker(pemda, framework, path, table, force=force)
