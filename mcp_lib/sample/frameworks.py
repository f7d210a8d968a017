"""The bundled frameworks, rebuilt deterministically: labelled reconstructions, not KPK's files.

The tables are data, under ``data/reference/`` (see its README); this module holds the rules that
turn them into frameworks:

- :func:`build_framework_2023` turns ``mcp-2023-framework-reconstruction.csv`` (one row per
  sub-indicator) into ``data/frameworks/mcp-2023/`` with three weight levels and 1–3 evidence
  documents per sub-indicator.
- :func:`build_framework_2024` derives a 2024-shaped framework (``data/frameworks/mcp-2024/``)
  from it: Perencanaan and Penganggaran split, Perizinan/PTSP and Tata Kelola Dana Desa gone, the
  sub-indicators 2024 adds (``mcp-2024-framework-reconstruction.csv``: Pelayanan Publik and
  planning control), the 2024 bands.
- :func:`build_framework_2025` derives the four-level 2025 (MCSP) one from the 2024 one
  (``mcp-2025-framework-reconstruction.csv``: one row per indicator), at the sourced sizes
  (:data:`DOCS_2025`, :func:`framework_toml_2025`).

Each year is built from the one before, so the three change together; the README texts of their
folders are here too. :mod:`mcp_lib.sample.generate` writes them (``python -m mcp_lib.sample``).
A reference table with a problem (a missing column, a bad number, an unknown code) stops the build
with an :class:`~mcp_lib.errors.InputError` naming its file, row and column.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from mcp_lib import text
from mcp_lib.config import REFERENCE_DIR
from mcp_lib.errors import InputError, Problems
from mcp_lib.framework.calendar import KNOWN_CALENDARS
from mcp_lib.framework.methods import Method, MethodError, Rule, parse_method
from mcp_lib.framework.model import Level, published_bands
from mcp_lib.framework.rules import (
    AREA_SHORT,
    BANDS_SCHEMA,
    EVIDENCE_SCHEMA,
    FRAMEWORK_SCHEMA,
    SCORING_COLUMNS,
    WEIGHT_TOLERANCE,
    framework_schema,
    plain_names,
)
from mcp_lib.io.rawfile import ROW
from mcp_lib.io.readers import Column, Schema, read_table


def reconstruction_csv(year: int, reference_dir: Path = REFERENCE_DIR) -> Path:
    """The reference table the bundled framework of ``year`` is built from."""
    return reference_dir / f"mcp-{year}-framework-reconstruction.csv"


_SUBINDICATOR_COLUMNS = (
    Column("indicator_code", "code"),
    Column("indicator_name"),
    Column("subindicator_code", "code"),
    Column("subindicator_name"),
    Column("max_points", "number", minimum=0),
    Column("responsible_opd"),
)
RECONSTRUCTION_SCHEMA_2023 = Schema(
    "rekonstruksi kerangka MCP 2023",
    (
        Column("area_code", "code"),
        Column("area_name"),
        Column("area_weight", "number", minimum=0, maximum=100),
        *_SUBINDICATOR_COLUMNS,
    ),
)
"""``mcp-2023-framework-reconstruction.csv``: one row per sub-indicator."""
RECONSTRUCTION_SCHEMA_2024 = Schema("rekonstruksi kerangka MCP 2024", _SUBINDICATOR_COLUMNS)
"""``mcp-2024-framework-reconstruction.csv``: one row per sub-indicator 2024 adds to those kept
from 2023 (its area is the indicator code's first part)."""
RECONSTRUCTION_SCHEMA_2025 = Schema(
    "rekonstruksi kerangka MCP 2025",
    (
        Column("area_name"),
        Column("sasaran_name"),
        Column("from_2024", "code", blank_ok=True),
        Column("indicator_name", blank_ok=True),
        Column("responsible_opd", blank_ok=True),
        Column("second_subindicator_name", blank_ok=True),
        Column("second_responsible_opd", blank_ok=True),
        Column("second_applies_to", blank_ok=True),
    ),
)
"""``mcp-2025-framework-reconstruction.csv``: one row per indicator, in code order. An indicator
is a 2024 sub-indicator (``from_2024``, its code: name and OPD come from it) or a new one
(``indicator_name`` and ``responsible_opd``); the ``second_*`` columns give the indicator's second
sub-indicator, if any."""

RowCheck = Callable[[pd.DataFrame, Path, Problems], None]
"""Adds the problems of a reference table's rules (the table, its path, the collector)."""
Documents = Callable[[Any], Iterable[tuple[str, int]]]
"""A sub-indicator's evidence documents (a row of the framework table → name and points of each)."""


def _read_reference(path: Path, schema: Schema, check: RowCheck | None = None) -> pd.DataFrame:
    """A reference table read with the project's reader (:func:`~mcp_lib.io.readers.read_table`);
    once every cell parses, ``check`` adds the problems of the rows' rules.

    Raises
    ------
    InputError
        Naming the file, row and column of every problem: a missing column, a blank cell, a bad
        number, or a rule of ``check``.
    """
    problems = Problems()
    frame = read_table(path, schema, problems)
    if frame is not None and not problems and check is not None:
        check(frame, path, problems)
    problems.raise_if_any()
    return frame.drop(columns=ROW)


def _bands_table(year: int) -> pd.DataFrame:
    """``bands.csv`` of a sample framework: the bands KPK published for ``year``."""
    return pd.DataFrame(published_bands(year).rows(), columns=BANDS_SCHEMA.names)


# Evidence templates by what a sub-indicator asks for; the first match wins.
_DOC_TEMPLATES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        r"sertifikat|sertifikasi|tanah",
        (
            "Daftar aset tanah bersertifikat",
            "Bukti pengajuan sertifikasi ke BPN",
            "Berita acara penyerahan sertifikat",
        ),
    ),
    (
        r"pajak|pbb|bphtb|piutang|wajib pajak",
        (
            "Laporan realisasi dan rekonsiliasi pajak",
            "Data pemutakhiran wajib pajak",
            "Bukti pemantauan transaksi secara elektronik",
        ),
    ),
    (
        r"reviu|audit|apip|pengawasan|evaluasi|pemeriksaan",
        (
            "Laporan hasil reviu/pengawasan",
            "Surat tugas dan kertas kerja pemeriksaan",
            "Bukti tindak lanjut rekomendasi",
        ),
    ),
    (
        r"publikasi|dipublikasikan|laman|website|diumumkan",
        (
            "Tautan dan tangkapan layar laman resmi",
            "Dokumen yang dipublikasikan",
            "Bukti pemutakhiran berkala",
        ),
    ),
    (
        r"sipd|spse|sirup|aplikasi|elektronik|sistem|daring|online|e-",
        ("Tangkapan layar aplikasi", "Rekapitulasi data dari aplikasi", "Berita acara implementasi sistem"),
    ),
    (
        r"perkada|perda|ditetapkan|penetapan|keputusan|\bsk\b|regulasi|kebijakan",
        ("Salinan Perkada/SK penetapan", "Bukti sosialisasi kepada perangkat daerah", "Laporan penerapan"),
    ),
)
_DEFAULT_DOCS = ("Dokumen pendukung utama", "Laporan pelaksanaan kegiatan", "Dokumentasi dan daftar hadir")
_SPLITS = {1: ((100,),), 2: ((50, 50), (60, 40), (70, 30)), 3: ((40, 30, 30), (50, 25, 25), (34, 33, 33))}


def stable(text: str) -> int:
    """A stable integer from text (Python's ``hash`` changes between runs)."""
    return zlib.crc32(text.encode("utf-8"))


def _template(name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    """The evidence names of the first template whose pattern the sub-indicator ``name`` matches."""
    return next((t for pat, t in _DOC_TEMPLATES if re.search(pat, name, re.IGNORECASE)), default)


def _framework_tables(ref: pd.DataFrame, applies_to: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Framework and evidence tables from a reconstruction table (``max_points`` per sub-indicator):
    the weights of :func:`_weights`, the documents of :func:`_documents_2023`."""
    fw = _weights(ref.reset_index(drop=True), applies_to)
    return fw[plain_names(FRAMEWORK_SCHEMA)], _evidence(fw, _documents_2023)


def _weights(ref: pd.DataFrame, applies_to: pd.Series) -> pd.DataFrame:
    """Indicator weight = 100 × its sub-indicators' points / its area's points (when an area's
    points sum to 100, as in the 2023 reconstruction, that is the points themselves); sub-indicator
    weight = 100 × ``max_points`` / the indicator's points. Weights are rounded to 4 decimals and
    the rest goes to the last child (:func:`_give_rest_to_last`), so every level sums to 100."""
    points = ref["max_points"].astype(float)
    ind_raw = points.groupby(ref["indicator_code"]).transform("sum")
    area_raw = points.groupby(ref["area_code"]).transform("sum")
    fw = pd.DataFrame(
        {
            "area_code": ref["area_code"],
            "area_name": ref["area_name"],
            "area_weight": ref["area_weight"].astype(float),
            "indicator_code": ref["indicator_code"],
            "indicator_name": ref["indicator_name"],
            "indicator_weight": (100 * ind_raw / area_raw).round(4),
            "subindicator_code": ref["subindicator_code"],
            "subindicator_name": ref["subindicator_name"],
            "subindicator_weight": (100 * points / ind_raw).round(4),
            "applies_to": applies_to.to_numpy(),
            "default_opd": ref["responsible_opd"],
        }
    )
    _give_rest_to_last(fw)
    return fw


def _give_rest_to_last(fw: pd.DataFrame) -> None:
    """Rounding to 4 decimals may leave a level summing to 99.9999: give the rest to its last
    child (the last indicator of each area, the last sub-indicator of each indicator), in place."""
    first_of_ind = ~fw["indicator_code"].duplicated()
    ind_sum = fw[first_of_ind].groupby("area_code")["indicator_weight"].sum()
    last_ind = fw.loc[first_of_ind].drop_duplicates("area_code", keep="last")["indicator_code"]
    for area_code, ind_code in zip(fw.loc[last_ind.index, "area_code"], last_ind, strict=True):
        rows = fw["indicator_code"] == ind_code
        fw.loc[rows, "indicator_weight"] = (fw.loc[rows, "indicator_weight"] + 100 - ind_sum[area_code]).round(4)
    fix = 100 - fw.groupby("indicator_code")["subindicator_weight"].transform("sum")
    last = ~fw["indicator_code"].duplicated(keep="last")
    fw.loc[last, "subindicator_weight"] = (fw.loc[last, "subindicator_weight"] + fix[last]).round(4)


def _evidence(fw: pd.DataFrame, documents: Documents) -> pd.DataFrame:
    """The evidence table: for each sub-indicator, the documents ``documents`` gives it (a name
    and its points), coded ``<sub-indicator>.D1``, ``.D2``, ... and named after the sub-indicator."""
    rows = [
        (sub.subindicator_code, f"{sub.subindicator_code}.D{i}", f"{kind}: {sub.subindicator_name}", pts)
        for sub in fw.itertuples(index=False)
        for i, (kind, pts) in enumerate(documents(sub), start=1)
    ]
    return pd.DataFrame(rows, columns=plain_names(EVIDENCE_SCHEMA))


def _documents_2023(sub: Any) -> Iterable[tuple[str, int]]:
    """1–3 documents (how many and their split chosen from a stable hash of the sub-indicator's
    code), named from :data:`_DOC_TEMPLATES`, points summing to 100."""
    h = stable(sub.subindicator_code)
    n = (1, 2, 2, 3, 3, 3, 2, 3)[h % 8]
    split = _SPLITS[n][(h // 8) % len(_SPLITS[n])]
    return zip(_template(sub.subindicator_name, _DEFAULT_DOCS)[:n], split, strict=True)


def build_framework_2023(reference_dir: Path = REFERENCE_DIR) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Framework, evidence and bands tables for MCP 2023 from its reconstruction in
    ``reference_dir`` (weights and evidence documents as in :func:`_framework_tables`; Tata Kelola
    Dana Desa, ``A8``, applies to kabupaten only)."""
    ref = _read_reference(reconstruction_csv(2023, reference_dir), RECONSTRUCTION_SCHEMA_2023)
    fw, ev = _framework_tables(ref, pd.Series(np.where(ref["area_code"] == "A8", "kabupaten", "semua")))
    return fw, ev, _bands_table(2023)


# --- MCP 2024 (reconstruction derived from the 2023 one) ----------------------------------------

AREAS_2024 = (
    ("A1", "Perencanaan"),
    ("A2", "Penganggaran"),
    ("A3", None),  # names of kept areas come from the 2023 reconstruction
    ("A4", "Pelayanan Publik"),
    ("A5", None),
    ("A6", None),
    ("A7", None),
    ("A8", None),
)
_AREA_2023_TO_2024 = {"A2": "A3", "A4": "A5", "A5": "A6", "A6": "A7", "A7": "A8"}
"""Areas kept from 2023, renumbered (Perizinan/PTSP, ``A3``, and Tata Kelola Dana Desa, ``A8``, go)."""
_SPLIT_2023_A1 = {"A1.1": "A1.1", "A1.2": "A1.2", "A1.3": "A2.1", "A1.4": "A2.2", "A1.5": "A2.3"}
"""2023 ``Perencanaan dan Penganggaran APBD`` indicators → 2024 Perencanaan (A1) / Penganggaran (A2)."""


def _code_key(code: str) -> tuple[int, ...]:
    """``A1.10.2`` → ``(1, 10, 2)``: codes in their natural order."""
    return tuple(int(x) for x in re.findall(r"\d+", code))


def _kept_from_2023(ref: pd.DataFrame) -> list[dict[str, object]]:
    """The rows of the 2023 reconstruction that 2024 keeps, with their 2024 codes: the
    ``Perencanaan dan Penganggaran APBD`` indicators split (:data:`_SPLIT_2023_A1`), the other kept
    areas renumbered (:data:`_AREA_2023_TO_2024`)."""
    kept = []
    for rec in ref.to_dict("records"):
        old_area, old_ind = rec["area_code"], rec["indicator_code"]
        if old_area == "A1":
            new_ind = _SPLIT_2023_A1[old_ind]
        elif old_area in _AREA_2023_TO_2024:
            new_ind = _AREA_2023_TO_2024[old_area] + old_ind[len(old_area) :]
        else:
            continue
        rec["indicator_code"] = new_ind
        rec["subindicator_code"] = new_ind + rec["subindicator_code"][len(old_ind) :]
        rec["area_code"] = new_ind.split(".")[0]
        kept.append(rec)
    return kept


def _refuse(problems: Problems, path: Path, rec: Any, column: str, message: str, expected: str) -> None:
    """A problem with cell ``column`` of reference row ``rec``."""
    problems.add(path, message, row=getattr(rec, ROW), column=column, value=getattr(rec, column), expected=expected)


def _check_2024(added: pd.DataFrame, path: Path, problems: Problems) -> None:
    """Each sub-indicator 2024 adds lies in a 2024 area and under its indicator's code."""
    areas = [code for code, _ in AREAS_2024]
    for rec in added.itertuples():
        if rec.indicator_code.split(".")[0] not in areas:
            where = "kode indikator di salah satu area 2024 (" + ", ".join(areas) + "), mis. A4.1"
            _refuse(problems, path, rec, "indicator_code", "area tidak dikenal", where)
        if not rec.subindicator_code.startswith(rec.indicator_code + "."):
            message = "kode sub-indikator tidak di bawah indikatornya"
            _refuse(problems, path, rec, "subindicator_code", message, f"kode yang diawali {rec.indicator_code}.")


def _reconstruction_2024(reference_dir: Path) -> pd.DataFrame:
    """The 2024 reconstruction table, in code order: the 2023 rows kept (:func:`_kept_from_2023`)
    and those of ``mcp-2024-framework-reconstruction.csv``, with the names of
    :data:`AREAS_2024` (a kept area keeps its 2023 name) and eight areas at 12.5 each."""
    ref = _read_reference(reconstruction_csv(2023, reference_dir), RECONSTRUCTION_SCHEMA_2023)
    added = _read_reference(reconstruction_csv(2024, reference_dir), RECONSTRUCTION_SCHEMA_2024, _check_2024)
    added["area_code"] = added["indicator_code"].str.split(".").str[0]
    ref24 = pd.concat([pd.DataFrame(_kept_from_2023(ref)), added], ignore_index=True)
    old_names = {
        _AREA_2023_TO_2024[c]: n
        for c, n in zip(ref["area_code"], ref["area_name"], strict=True)
        if c in _AREA_2023_TO_2024
    }
    names = {code: name or old_names[code] for code, name in AREAS_2024}
    ref24["area_name"] = ref24["area_code"].map(names)
    ref24["area_weight"] = 100 / len(AREAS_2024)
    keys = ref24["subindicator_code"].map(_code_key)
    return ref24.iloc[sorted(range(len(ref24)), key=keys.iloc.__getitem__)]


def build_framework_2024(reference_dir: Path = REFERENCE_DIR) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Framework, evidence and bands tables for a 2024-shaped MCP framework, derived from the
    2023 reconstruction: its ``Perencanaan dan Penganggaran APBD`` area split into Perencanaan
    (plus a reconstructed indicator on planning control) and Penganggaran; Perizinan/PTSP replaced
    by Pelayanan Publik (its licensing indicators kept as one indicator among service standards,
    complaints and compliance); Tata Kelola Dana Desa dropped; the other areas kept as they are;
    eight areas at 12.5 each (:func:`_reconstruction_2024`); the 2024 bands (rentan < 73, waspada
    73–77.9, terjaga ≥ 78). Weights and documents as in :func:`_framework_tables`.
    """
    ref24 = _reconstruction_2024(reference_dir)
    fw, ev = _framework_tables(ref24, pd.Series(["semua"] * len(ref24)))
    return fw, ev, _bands_table(2024)


FRAMEWORK_README = """\
# MCP 2023 framework (RECONSTRUCTION, not KPK's official file)

This folder is the framework the bundled sample uses. **It is a labelled reconstruction.**

Sourced (public): the 8 areas and the totals of 30 indicators and 63 sub-indicators announced by
KPK for MCP 2023; the 2023 bands (Merah 0–25, Kuning 25–50, Biru 50–75, Hijau 75–100).

Reconstructed (not published by KPK): every indicator and sub-indicator name, the points per
sub-indicator, the default responsible OPD, the area weights (equal 12.5 as a placeholder) and
every evidence document (`evidence.csv`: 1–3 documents per sub-indicator, names from templates,
points summing to 100).

Files:
- `framework.csv`: one row per sub-indicator with the three weight levels (each sums to 100
  within its parent) and `applies_to` (Tata Kelola Dana Desa applies to kabupaten only);
- `evidence.csv`: evidence documents and their points;
- `bands.csv`: score bands; `framework.toml`: year, label, upload close and final date.

Generated by `python -m mcp_lib.sample` from `data/reference/mcp-2023-framework-reconstruction.csv`.
Replace the whole folder with the real file from your KPK coordinator (same columns, CSV or XLSX);
`mcp validate data/frameworks/mcp-2023` checks it.
"""

FRAMEWORK_README_2024 = """\
# MCP 2024 framework (RECONSTRUCTION, not KPK's official file)

A 2024-shaped framework so that the workbook can be tried on a 2024 pemda. **It is a labelled
reconstruction, derived from the bundled (also reconstructed) 2023 framework.** No KPK 2024
framework file was used.

Taken from the project's design notes on how MCP changed in 2024 (the public shape of the
change, not checked here against a KPK document):
- Perencanaan and Penganggaran are two separate areas (in 2023 one area, Perencanaan dan
  Penganggaran APBD);
- Pelayanan Publik replaces Perizinan dan PTSP;
- there is no Tata Kelola Dana Desa area;
- the other 2023 areas stay: Pengadaan Barang dan Jasa, Penguatan APIP, Manajemen ASN,
  Optimalisasi Pajak Daerah, Manajemen Aset Daerah (BMD), with their 2023 (reconstructed) names;
- the 2024 bands: rentan below 73, waspada 73 to 77.9, terjaga from 78 (`bands.csv`).

Reconstructed (not published by KPK), by `build_framework_2024()` in `mcp_lib/sample/frameworks.py`:
- which 2023 indicators go to Perencanaan (RKPD in SIPD, pokok-pokok pikiran DPRD) and which to
  Penganggaran (standard prices, APBD adoption and publication, grants and social aid), and one
  new Perencanaan indicator (Renja alignment, RKPD evaluation);
- every Pelayanan Publik indicator and sub-indicator (service standards, integrated licensing
  taken over from the 2023 Perizinan area, complaints and satisfaction survey, compliance
  follow-up);
- all weights: areas at 12.5 each (a placeholder, as in 2023); indicator and sub-indicator
  weights from the reconstructed points, rescaled so each level sums to 100;
- codes (areas renumbered A1 to A8 in the order above; a code does not mean the same thing as
  in 2023), the default responsible OPD and every evidence document (`evidence.csv`: 1 to 3
  documents per sub-indicator, names from templates, points summing to 100).

Every area applies to kabupaten, kota and provinsi alike.

Files:
- `framework.csv`: one row per sub-indicator with the three weight levels (each sums to 100
  within its parent) and `applies_to`;
- `evidence.csv`: evidence documents and their points;
- `bands.csv`: score bands; `framework.toml`: year, label, upload close and final date.

Generated by `python -m mcp_lib.sample` from `data/reference/mcp-2023-framework-reconstruction.csv`
and `data/reference/mcp-2024-framework-reconstruction.csv`. Replace the whole folder with the real
file from your KPK coordinator (same columns, CSV or XLSX); `mcp validate data/frameworks/mcp-2024`
checks it.
"""


# --- MCP 2025 / MCSP (four levels, reconstruction) ----------------------------------------------

LEVELS_2025 = (
    ("area", "Area"),
    ("sasaran", "Sasaran"),
    ("indicator", "Indikator"),
    ("subindicator", "Sub-indikator"),
)
"""The levels of the 2025 framework (IPKD-MCP, "MCSP"), top to bottom."""
DOCS_2025 = {"provinsi": 660, "kabupaten": 680, "kota": 680}
"""Documents per kind of pemda in 2025 (``verification-risk.md``, "Framework sizes by year")."""
KABKOTA_DOCS_2025 = 5
"""Documents in each kabupaten/kota-only sub-indicator (4 × 5 = 20 = 680 − 660)."""
FIFTY_FIFTY_2025 = "Rekonsiliasi dan laporan BMD semesteran dan tahunan"
"""The one sourced document split (a 2025 BMD fragment: one indicator, two documents at 50/50)."""
_DOC_KINDS_2025 = (
    "Dokumen penetapan (Perkada/SK)",
    "Laporan pelaksanaan",
    "Tangkapan layar aplikasi",
    "Rekapitulasi data pendukung",
    "Berita acara",
    "Bukti publikasi di laman resmi",
    "Notulen dan daftar hadir rapat",
    "Laporan pemantauan dan evaluasi",
    "Bukti tindak lanjut",
)


def _split_points(k: int) -> list[int]:
    """100 points over ``k`` documents as equal as whole points allow (the first get the rest)."""
    base, rest = divmod(100, k)
    return [base + (i < rest) for i in range(k)]


_NEW_INDICATOR = ("indicator_name", "responsible_opd")
_SECOND_SUB = ("second_subindicator_name", "second_responsible_opd", "second_applies_to")
_NEW_EXPECTED = "isi keduanya (nama dan OPD indikator baru) atau kosongkan keduanya (indikator dari from_2024)"
_SOURCE_EXPECTED = (
    "kode sub-indikator kerangka MCP 2024 di from_2024 (mis. A1.1.1; nama dan OPD diambil darinya), "
    "atau nama dan OPD indikator baru: salah satu saja"
)
_SECOND_EXPECTED = "isi ketiganya (nama, OPD dan jenis pemda sub-indikator kedua) atau kosongkan ketiganya"


def _all_or_none(rec: Any, columns: tuple[str, ...], path: Path, problems: Problems, expected: str) -> bool:
    """Whether row ``rec`` fills every one of ``columns``; when it fills only some, a problem for
    each blank one (a group of cells that go together)."""
    blank = [c for c in columns if getattr(rec, c) is None]
    if 0 < len(blank) < len(columns):
        for column in blank:
            problems.add(path, "isian kosong", row=getattr(rec, ROW), column=column, expected=expected)
    return not blank


def _check_2025(known: set[str]) -> RowCheck:
    """The rules of the rows of ``mcp-2025-framework-reconstruction.csv``: each indicator's
    source (:func:`_check_indicator_source`), and a second sub-indicator with a name, an OPD and the
    kinds of pemda it applies to, or none."""

    def check(ref: pd.DataFrame, path: Path, problems: Problems) -> None:
        for rec in ref.itertuples():
            _check_indicator_source(rec, known, path, problems)
            _all_or_none(rec, _SECOND_SUB, path, problems, _SECOND_EXPECTED)

    return check


def _check_indicator_source(rec: Any, known: set[str], path: Path, problems: Problems) -> None:
    """An indicator is either a 2024 sub-indicator (a code of ``known`` in ``from_2024``) or a
    new one (name and OPD): one of the two."""
    own = _all_or_none(rec, _NEW_INDICATOR, path, problems, _NEW_EXPECTED)
    message = None
    if rec.from_2024 is None:
        if all(getattr(rec, c) is None for c in _NEW_INDICATOR):
            message = "indikator tanpa nama"
    elif own:
        message = "indikator diisi dua kali"
    elif rec.from_2024 not in known:
        message = "kode sub-indikator 2024 tidak dikenal"
    if message:
        _refuse(problems, path, rec, "from_2024", message, _SOURCE_EXPECTED)


def _indicators_2025(ref: pd.DataFrame, fw24: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator with its codes, in code order: areas numbered in the order they first
    appear, sasaran in that order within their area, indicators in the order of the rows within
    their sasaran; an indicator taken from 2024 has that sub-indicator's name and default OPD."""
    subs24 = fw24.set_index("subindicator_code")
    taken = ref["from_2024"].notna()
    ref.loc[taken, "indicator_name"] = ref.loc[taken, "from_2024"].map(subs24["subindicator_name"])
    ref.loc[taken, "responsible_opd"] = ref.loc[taken, "from_2024"].map(subs24["default_opd"])
    area = pd.Series(pd.factorize(ref["area_name"])[0] + 1, index=ref.index)
    sasaran = ref.groupby("area_name", sort=False)["sasaran_name"].transform(lambda s: pd.factorize(s)[0] + 1)
    number = ref.groupby(["area_name", "sasaran_name"], sort=False).cumcount() + 1
    ref["area_code"] = "A" + area.astype(str)
    ref["sasaran_code"] = ref["area_code"] + "." + sasaran.astype(str)
    ref["indicator_code"] = ref["sasaran_code"] + "." + number.astype(str)
    return ref.assign(_a=area, _s=sasaran, _i=number).sort_values(["_a", "_s", "_i"], kind="stable")


def _subindicators_2025(indicators: pd.DataFrame) -> pd.DataFrame:
    """The framework table: each indicator's first sub-indicator (its own name, for every kind of
    pemda) and its second one if any, with blank weights at every level (the areas' come after:
    :func:`_with_areas_2025`)."""
    rows = []
    for ind in indicators.itertuples(index=False):
        base = {
            "area_code": ind.area_code,
            "area_name": ind.area_name,
            "sasaran_code": ind.sasaran_code,
            "sasaran_name": ind.sasaran_name,
            "indicator_code": ind.indicator_code,
            "indicator_name": ind.indicator_name,
        }
        subs = [(ind.indicator_name, "semua", ind.responsible_opd)]
        if ind.second_subindicator_name is not None:
            subs.append((ind.second_subindicator_name, ind.second_applies_to, ind.second_responsible_opd))
        for k, (name, applies_to, opd) in enumerate(subs, start=1):
            rows.append(
                {
                    **base,
                    "subindicator_code": f"{ind.indicator_code}.{k}",
                    "subindicator_name": name,
                    "applies_to": applies_to,
                    "default_opd": opd,
                }
            )
    fw = pd.DataFrame(rows)
    for key, _name in LEVELS_2025:
        fw[f"{key}_weight"] = np.nan
    columns = [f"{key}_{part}" for key, _ in LEVELS_2025 for part in ("code", "name", "weight")]
    return fw[[*columns, "applies_to", "default_opd"]]


def _document_counts_2025(fw: pd.DataFrame, source: Path) -> dict[str, int]:
    """Documents per sub-indicator: 2 for :data:`FIFTY_FIFTY_2025`, :data:`KABKOTA_DOCS_2025` for
    one that applies to kabupaten/kota only, 3–8 for the others (from a stable hash of the code),
    adjusted one document at a time, cycling through those others, until a province has
    ``DOCS_2025["provinsi"]`` documents.

    Raises
    ------
    InputError
        When ``source`` has too many sub-indicators for that total (3 documents each at the least).
    """
    everywhere = fw.loc[fw["applies_to"] == "semua", ["subindicator_code", "subindicator_name"]]
    counts = {}
    for code, name in zip(fw["subindicator_code"], fw["subindicator_name"], strict=True):
        counts[code] = 2 if name == FIFTY_FIFTY_2025 else 3 + stable(code) % 6
    for code in fw.loc[fw["applies_to"] != "semua", "subindicator_code"]:
        counts[code] = KABKOTA_DOCS_2025
    cycle = list(everywhere.loc[everywhere["subindicator_name"] != FIFTY_FIFTY_2025, "subindicator_code"])
    fixed = sum(counts[c] for c in everywhere["subindicator_code"]) - sum(counts[c] for c in cycle)
    target = DOCS_2025["provinsi"]
    if fixed + 3 * len(cycle) > target:  # the adjustment below would never end
        raise InputError.one(
            source,
            f"{len(cycle)} sub-indikator untuk semua pemda tidak muat dalam {target} dokumen provinsi",
            expected=f"paling banyak {(target - fixed) // 3} sub-indikator untuk semua pemda "
            "(paling sedikit 3 dokumen masing-masing)",
        )
    step = 0
    while (total := sum(counts[c] for c in cycle) + fixed) != target:
        code = cycle[step % len(cycle)]
        counts[code] += 1 if total < target else -1 if counts[code] > 3 else 0
        step += 1
    return counts


def _documents_2025(counts: dict[str, int]) -> Documents:
    """A sub-indicator's documents: ``counts`` of them, kinds from its template then
    :data:`_DOC_KINDS_2025`, near-equal whole points (:func:`_split_points`)."""

    def documents(sub: Any) -> Iterable[tuple[str, int]]:
        k = counts[sub.subindicator_code]
        kinds = list(dict.fromkeys((*_template(sub.subindicator_name, ()), *_DOC_KINDS_2025)))[:k]
        return zip(kinds, _split_points(k), strict=True)

    return documents


def areas_csv_2025(reference_dir: Path = REFERENCE_DIR) -> Path:
    """The weights and dashboard short names of the 2025 areas (one row per area)."""
    return reference_dir / "mcp-2025" / "areas.csv"


AREAS_SCHEMA_2025 = Schema(
    "bobot dan singkatan area MCP 2025",
    (
        Column("area_name"),
        Column(AREA_SHORT, blank_ok=True),
        Column("area_weight", "number", minimum=0, maximum=100),
    ),
)
"""``mcp-2025/areas.csv``: each area of the 2025 reconstruction once, by its name, with its weight
(PBJ 24, sourced; the seven others share the rest) and the short name the dashboard writes
(blank: the brief shows the full name). Its README gives the sources."""


def _check_areas_2025(names: list[str]) -> RowCheck:
    """Each area of the reconstruction (``names``, in their order) once, and weights summing to
    100 (:data:`~mcp_lib.framework.rules.WEIGHT_TOLERANCE`, the framework's own rule)."""
    expected = "satu baris per area rekonstruksi 2025: " + ", ".join(names)

    def check(areas: pd.DataFrame, path: Path, problems: Problems) -> None:
        seen: set[str] = set()
        for rec in areas.itertuples():
            if rec.area_name in seen or rec.area_name not in names:
                message = "area ganda" if rec.area_name in seen else "area tidak ada di rekonstruksi 2025"
                _refuse(problems, path, rec, "area_name", message, expected)
            seen.add(rec.area_name)
        if missing := [name for name in names if name not in seen]:
            problems.add(path, "area tanpa baris: " + ", ".join(missing), column="area_name", expected=expected)
        total = float(areas["area_weight"].sum())
        if abs(total - 100) > WEIGHT_TOLERANCE:
            message = f"jumlah bobot area = {text.number(total, 3)}"
            expected_sum = "berjumlah 100 (selisih paling banyak 0,01, mis. 24 dan tujuh kali 10.857)"
            problems.add(path, message, row=int(areas[ROW].min()), column="area_weight", expected=expected_sum)

    return check


def _with_areas_2025(fw: pd.DataFrame, reference_dir: Path) -> pd.DataFrame:
    """``fw`` with each area's weight and short name from :func:`areas_csv_2025`, in place and
    returned (the short name as the last column, where the framework writer puts it)."""
    names = list(dict.fromkeys(fw["area_name"]))
    areas = _read_reference(areas_csv_2025(reference_dir), AREAS_SCHEMA_2025, _check_areas_2025(names))
    by_name = areas.set_index("area_name")
    fw["area_weight"] = fw["area_name"].map(by_name["area_weight"]).astype(float)
    fw[AREA_SHORT] = fw["area_name"].map(by_name[AREA_SHORT])
    return fw


def build_framework_2025(reference_dir: Path = REFERENCE_DIR) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Framework, evidence and bands tables for a 2025-shaped (IPKD-MCP, "MCSP") framework.

    Sourced sizes: 8 areas, 16 sasaran, 111 indicators, 122 sub-indicators; 660 documents for a
    province and 680 for a kabupaten/kota; PBJ weighs 24 of the 100 (a public statement). Everything
    else is a reconstruction: the area names (those of 2024), two sasaran per area, indicators from
    the reconstructed 2024 sub-indicators plus reconstructed themes and the second sub-indicators
    (``mcp-2025-framework-reconstruction.csv`` in ``reference_dir``, :func:`_indicators_2025`),
    3–8 documents per sub-indicator (:func:`_document_counts_2025`) with near-equal whole points,
    the other seven areas at 10.857 each (the 76 left shared equally) and the dashboard's short
    names (``mcp-2025/areas.csv``, :func:`_with_areas_2025`), and **blank weights below the areas**
    (equal among siblings: nothing is known of them). Bands: those of 2024.
    """
    fw24, _, _ = build_framework_2024(reference_dir)
    source = reconstruction_csv(2025, reference_dir)
    ref = _read_reference(source, RECONSTRUCTION_SCHEMA_2025, _check_2025(set(fw24["subindicator_code"])))
    fw = _with_areas_2025(_subindicators_2025(_indicators_2025(ref, fw24)), reference_dir)
    ev = _evidence(fw, _documents_2025(_document_counts_2025(fw, source)))
    return fw, ev, _bands_table(2024)


def framework_toml_2025() -> str:
    close, final, why = KNOWN_CALENDARS[2025]
    levels = "".join(f'\n[[level]]\nkey = "{key}"\nname = "{name}"\n' for key, name in LEVELS_2025)
    return (
        'year = 2025\nlabel = "MCP 2025 / MCSP (rekonstruksi, bukan data resmi KPK)"\n'
        f"# {why}; aplikasi ditutup 5 Desember 2025\n"
        f"upload_close = {close.isoformat()}\nfinal_date = {final.isoformat()}\n"
        f'detail_level = "indicator"\n{levels}'
    )


FRAMEWORK_README_2025 = """\
# MCP 2025 / MCSP framework (RECONSTRUCTION, not KPK's official file)

A framework in the shape of the one KPK introduced in 2025 (IPKD-MCP, "MCSP"), so that the
workbook can be tried on a framework of four levels and 680 documents. **It is a labelled
reconstruction.** No KPK 2025 framework file, weight table or document list was used: type the real
one from the KPK application with `mcp framework template` / `mcp framework import`
(see `docs/panduan.md`, "Mengetik kerangka tahun ini").

Sourced (public, `verification-risk.md` "Framework sizes by year" and "How verification works"):
- the sizes: 8 areas, 16 sasaran, 111 indicators, 122 sub-indicators; **660 documents for a
  province, 680 for a kabupaten/kota** (2025 dashboards of Prov. Kalimantan Tengah and Kab. PALI);
- the calendar: documents due 30 November 2025, the application switched off 5 December 2025,
  final data 17 December 2025 (`final_date`, when verification ends);
- **PBJ weighs 24 of 100**, the most of the 8 areas: the Inspektur of Provinsi Lampung (Bayana),
  on 30 December 2025, as reported by Harian Momentum ("Penilaian MCSP KPK, Pemprov Tempati
  Peringkat 8 Nasional", https://harianmomentum.com/read/60832/penilaian-mcsp-kpk-pemprov-tempati-peringkat-8-nasional):
  pengadaan barang dan jasa (PBJ) "merupakan penyumbang nilai tertinggi dengan 24 persen.
  Dibandingkan dengan tujuh area intervensi lainnya" (said of a province; taken here for every
  kind of pemda);
- one BMD indicator split 50/50 between two documents (a 2025 fragment; here the sub-indicator
  "Rekonsiliasi dan laporan BMD semesteran dan tahunan").

Reconstructed (not published by KPK), by `build_framework_2025()` in `mcp_lib/sample/frameworks.py`:
- the area names (those of 2024: the 2025 names were not found), the sasaran (two per area) and
  their names;
- the other seven area weights: the 76 left after PBJ shared equally, written **10.857** each
  (76/7 = 10.857142…, to three decimals; the eight add to 99.999, within the 0.01 the framework
  rules allow, and the score divides by that sum, so nothing is lost); weights and short names are
  in `data/reference/mcp-2025/areas.csv`, whose README gives the same sources;
- the area short names (`area_short`), as the brief writes them on its area chart and table:
  Perencanaan, Penganggaran, PBJ, Pelayanan Publik, APIP, ASN, OPD, BMD. No copy of the jaga.id
  dashboard's labels was found; they are the abbreviations the area names carry (Pengadaan Barang
  dan Jasa, Aparat Pengawasan Intern Pemerintah, Aparatur Sipil Negara, Barang Milik Daerah), the
  short names kept whole, and **OPD for the tax area** because dashboards label it so, meaning
  Optimalisasi Pendapatan Daerah (here named Optimalisasi Pajak Daerah), not Organisasi Perangkat
  Daerah: the brief says so in words under its area chart;
- the indicators: the 61 reconstructed 2024 sub-indicators become indicators, 50 more are
  reconstructed themes (RPJMD alignment with the RPJPD 2025–2045, KUA-PPAS, consolidated
  procurement, service innovation, SPIP maturity, merit system, opsen taxes, BMD inventory, ...);
- which 11 indicators have two sub-indicators, and that four of those (RDTR, PBG through SIMBG,
  PBB-P2 data, BPHTB validation: powers of kabupaten and kota) apply to kabupaten/kota only,
  5 documents each: the 20 documents a province does not have;
- the weights below the areas: **blank** at the sasaran, indicator and sub-indicator levels (equal
  among siblings, as the brief's methods section says); 3 to 8 documents per sub-indicator from a
  stable hash of its code, adjusted to the sourced totals, with near-equal whole points (e.g.
  34/33/33); document names from templates;
- codes (A1 to A8, `A1.1` sasaran, `A1.1.1` indicator, `A1.1.1.1` sub-indicator), the default
  responsible OPD, and the bands (those of 2024: rentan below 73, waspada 73 to 77.9, terjaga
  from 78).

Files:
- `framework.csv`: one row per sub-indicator with the code, name and weight (blank below the
  areas) of each of the four levels, `applies_to`, `default_opd` and `area_short`;
- `evidence.csv`: evidence documents and their points;
- `bands.csv`: score bands; `framework.toml`: year, label, calendar, the four levels and the
  level of the brief's detail table (indicator).

Generated by `python -m mcp_lib.sample` from `data/reference/mcp-2025-framework-reconstruction.csv`,
`data/reference/mcp-2025/areas.csv` (and the 2024 and 2023 tables it takes sub-indicators from).
Replace the whole folder with the real framework (`mcp framework import kerangka.xlsx --year 2025
--force` keeps this one as `mcp-2025.bak-<timestamp>`); `mcp validate data/frameworks/mcp-2025`
checks it.
"""


# --- MCSP 2026 (two levels, public transcription) -----------------------------------------------

LEVELS_2026 = (("area", "Area"), ("subindicator", "Indikator"))
"""The levels of the 2026 framework as the transcription has them: 7 areas, 33 indicators."""
LABEL_2026 = "MCSP 2026 (transkripsi publik, sementara; bukan data resmi KPK)"
STATED_DOCS_2026 = 162
"""The total the transcription states (its seven area targets, ``targetDocs``); its 33 indicators'
own document counts add to 125 (:func:`build_framework_2026`)."""
METHOD_ALIASES_2026 = {"BOBOT_DOKUMEN_PROPORSIONAL": "BOBOT_DOKUMEN"}
"""Method names the transcription uses for one indicator (A7.3) that the method vocabulary lacks:
its ``scoring.ts`` scores them as valid documents ÷ required documents, as ``BOBOT_DOKUMEN``."""
AREA_SHORT_2026 = {
    "1": "Perencanaan dan Penganggaran",
    "2": "PBJ",
    "3": "Pelayanan Publik",
    "4": "ASN",
    "5": "BMD",
    "6": "OPD",
    "7": "APIP",
}
"""Each 2026 area's short name as dashboards write it, by the transcription's ``area_no``
(reconstructed: the framework's README says from what); an area not here has none (the brief
shows its full name)."""
NOT_AN_AGENCY_2026 = ("kepala daerah", "ppk", "tpk")
"""Entries of the transcription's ``responsible`` column that name a person or a team, not an
agency (also left out: ``OPD ...`` and ``... terkait`` catch-alls): not a default OPD."""


def transcription_csv(reference_dir: Path = REFERENCE_DIR) -> Path:
    """The indicators of the public transcription of the MCSP 2026 guideline (33 rows)."""
    return reference_dir / "mcp-2026" / "2026-framework-transcription.csv"


def documents_csv(reference_dir: Path = REFERENCE_DIR) -> Path:
    """The documents of the 2026 framework that have a name (a data format of the transcription)
    or a window: one row per such document."""
    return reference_dir / "mcp-2026" / "2026-documents.csv"


TRANSCRIPTION_SCHEMA_2026 = Schema(
    "transkripsi kerangka MCSP 2026",
    (
        Column("area_no", "code"),
        Column("area_name"),
        Column("area_target_docs", "number", minimum=0),
        Column("indicator_no", "code"),
        Column("objective"),
        Column("indicator_name"),
        Column("responsible"),
        Column("document_count", "number", minimum=0),
        Column("scoring_method"),
    ),
)
"""``2026-framework-transcription.csv``: one row per indicator, verbatim from the transcription's
``prisma/seed.ts`` (``AREAS``, ``INDICATORS``; ``indicator_no`` numbered within the area as it does)."""
DOCUMENTS_SCHEMA_2026 = Schema(
    "dokumen kerangka MCSP 2026",
    (
        Column("area_no", "code"),
        Column("indicator_no", "code"),
        Column("doc_no", "number", minimum=1),
        Column("data_format", blank_ok=True),
        Column("window", blank_ok=True),
    ),
)
"""``2026-documents.csv``: the document ``doc_no`` of an indicator, named after the transcription's
data format (``src/lib/mcsp-workpapers.ts``) and placed in a data window (reconstructed)."""


def _method_2026(text: str) -> Method:
    """The method a transcription cell names (its name read through :data:`METHOD_ALIASES_2026`)."""
    name, _, rest = text.strip().partition(" ")
    return parse_method(f"{METHOD_ALIASES_2026.get(name.upper(), name)} {rest}")


def _whole(rec: Any, column: str, path: Path, problems: Problems) -> bool:
    """Whether cell ``column`` of ``rec`` is a whole number (a problem when it is not)."""
    value = getattr(rec, column)
    if float(value).is_integer():
        return True
    _refuse(problems, path, rec, column, "bukan bilangan bulat", "bilangan bulat, mis. 3")
    return False


def _check_transcription(ref: pd.DataFrame, path: Path, problems: Problems) -> None:
    """Each indicator once, with whole counts and a method the vocabulary reads; an indicator
    without documents only when it is met through an outside system."""
    seen: set[tuple[str, str]] = set()
    for rec in ref.itertuples():
        key = (rec.area_no, rec.indicator_no)
        if key in seen:
            _refuse(problems, path, rec, "indicator_no", "indikator ganda", "satu baris per area_no dan indicator_no")
        seen.add(key)
        _whole(rec, "area_target_docs", path, problems)
        try:
            method = _method_2026(rec.scoring_method)
        except MethodError as err:
            _refuse(problems, path, rec, "scoring_method", err.message, err.expected)
            continue
        if _whole(rec, "document_count", path, problems) and rec.document_count == 0 and method.plannable:
            message = f"indikator bermetode {method.name} tanpa dokumen"
            _refuse(problems, path, rec, "document_count", message, "paling sedikit 1 dokumen")


def _check_documents(counts: dict[tuple[str, str], int]) -> RowCheck:
    """The rules of ``2026-documents.csv``: each row a document of a known indicator (its number
    within the indicator's count), each document once."""

    def check(docs: pd.DataFrame, path: Path, problems: Problems) -> None:
        seen: set[tuple[str, str, float]] = set()
        for rec in docs.itertuples():
            key = (rec.area_no, rec.indicator_no)
            if key not in counts:
                expected = "area_no dan indicator_no dari " + transcription_csv().name
                _refuse(problems, path, rec, "indicator_no", "indikator tidak ada di transkripsi", expected)
            elif _whole(rec, "doc_no", path, problems) and rec.doc_no > max(counts[key], 1):
                message = f"indikator {key[0]}.{key[1]} hanya punya {counts[key]} dokumen"
                _refuse(problems, path, rec, "doc_no", message, f"antara 1 dan {max(counts[key], 1)}")
            elif (*key, rec.doc_no) in seen:
                _refuse(problems, path, rec, "doc_no", "dokumen ganda", "satu baris per dokumen")
            seen.add((*key, rec.doc_no))

    return check


COORDINATOR_2026 = "Sekda"
"""The first agency named for 21 of the 33 indicators: the regional secretary coordinates; the agency named
next does the work, so it leads (:func:`_responsible_opds`)."""


def _responsible_opds(text: str) -> str:
    """``default_opd`` from the transcription's ``responsible`` cell: its entries in order, the
    first leading, without those that name no agency (:data:`NOT_AN_AGENCY_2026`), ``Inspektur``
    as its agency, Inspektorat, and :data:`COORDINATOR_2026` last when another agency is named."""
    names = []
    for entry in (e.strip() for e in text.split(",")):
        low = entry.lower()
        if low in NOT_AN_AGENCY_2026 or low.startswith("opd ") or "terkait" in low:
            continue
        names.append("Inspektorat" if entry == "Inspektur" else entry)
    names.sort(key=lambda name: name == COORDINATOR_2026)  # stable: the others keep their order
    return ";".join(dict.fromkeys(names))


def _parts_text(method: Method, windows: list[str], codes: list[str]) -> str:
    """The method cell: a method scored by periods or stages counts the parts its documents'
    windows make (a blank window: a part of its own), the rule the framework reader checks."""
    if method.rule is not Rule.PARTS or not any(windows):
        return method.text
    parts = {w or c for w, c in zip(windows, codes, strict=True)}
    return replace(method, periods=len(parts)).text


def _indicator_documents(ind: Any, named: dict[tuple[str, str, int], Any]) -> list[tuple[str, str, str, int, str]]:
    """Rows of ``evidence.csv`` for one indicator: its ``document_count`` documents (one status
    row for an outside-system indicator without any), named after their data format (with the
    window when one format names several documents) or numbered, near-equal whole points
    (:func:`_split_points`), windows from ``named``."""
    code = f"A{ind.area_no}.{ind.indicator_no}"
    method = _method_2026(ind.scoring_method)
    n = max(int(ind.document_count), 1)
    mine = [named.get((ind.area_no, ind.indicator_no, k)) for k in range(1, n + 1)]
    formats = [d.data_format for d in mine if d is not None]
    rows = []
    for k, (points, doc) in enumerate(zip(_split_points(n), mine, strict=True), start=1):
        if doc is not None and doc.data_format is not None:
            repeated = formats.count(doc.data_format) > 1 and doc.window is not None
            name = f"{doc.data_format} ({doc.window})" if repeated else doc.data_format
        elif not method.plannable and ind.document_count == 0:
            name = f"Status di {method.system} (interoperabilitas): {ind.indicator_name}"
        else:
            name = f"Bukti dukung {k} dari {n}: {ind.indicator_name}"
        window = doc.window if doc is not None and doc.window is not None else ""
        rows.append((code, f"{code}.D{k}", name, points, window))
    return rows


def build_framework_2026(reference_dir: Path = REFERENCE_DIR) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Framework, evidence and bands tables for MCSP 2026 from the public transcription of its
    guideline (``2026-framework-transcription.csv`` and ``2026-documents.csv`` in
    ``reference_dir/mcp-2026``).

    Two levels, area → indicator (``A1`` … ``A7``, ``A1.1`` …, the transcription's numbers); each
    indicator's method as transcribed (:data:`METHOD_ALIASES_2026`), with the number of periods or
    stages its documents' windows make (:func:`_parts_text`); its documents as counted (125 in
    all), plus one status row for each of the four outside-system indicators counted with none;
    blank weights at both levels (equal among siblings: the transcription states none); the
    default OPD from its responsible parties (:func:`_responsible_opds`); each area's short name
    (:data:`AREA_SHORT_2026`); the 2025 bands. Of the optional columns only those filled are
    kept (``method``, ``area_short``), as :func:`~mcp_lib.framework.folder.write_framework` does.
    """
    source = transcription_csv(reference_dir)
    ref = _read_reference(source, TRANSCRIPTION_SCHEMA_2026, _check_transcription)
    counts = {(r.area_no, r.indicator_no): int(r.document_count) for r in ref.itertuples()}
    named_docs = _read_reference(documents_csv(reference_dir), DOCUMENTS_SCHEMA_2026, _check_documents(counts))
    named = {(d.area_no, d.indicator_no, int(d.doc_no)): d for d in named_docs.itertuples()}
    fw_rows, ev_rows = [], []
    for ind in ref.itertuples():
        docs = _indicator_documents(ind, named)
        code = f"A{ind.area_no}.{ind.indicator_no}"
        fw_rows.append(
            {
                "area_code": f"A{ind.area_no}",
                "area_name": ind.area_name,
                AREA_SHORT: AREA_SHORT_2026.get(ind.area_no),
                "subindicator_code": code,
                "subindicator_name": ind.indicator_name,
                "applies_to": "semua",
                "default_opd": _responsible_opds(ind.responsible),
                "method": _parts_text(_method_2026(ind.scoring_method), [d[4] for d in docs], [d[1] for d in docs]),
            }
        )
        ev_rows += docs
    schema = framework_schema(tuple(Level(*lv) for lv in LEVELS_2026))
    columns = [c for c in schema.names if c in plain_names(schema) or c in fw_rows[0]]  # the scoring ones given
    fw = pd.DataFrame(fw_rows).reindex(columns=columns)  # the weights blank
    fw = fw[[c for c in columns if c not in SCORING_COLUMNS or fw[c].notna().any()]]  # as the writer does
    ev = pd.DataFrame(ev_rows, columns=EVIDENCE_SCHEMA.names)
    return fw, ev, _bands_table(2025)


def framework_toml_2026() -> str:
    """``framework.toml`` of the 2026 framework: no calendar (the transcription states none, so
    the default of :func:`~mcp_lib.framework.calendar.default_calendar` holds) and two levels."""
    levels = "".join(f'\n[[level]]\nkey = "{key}"\nname = "{name}"\n' for key, name in LEVELS_2026)
    return (
        f'year = 2026\nlabel = "{LABEL_2026}"\n'
        "# Transkripsi publik pedoman MCSP-RBS 2026 tidak menyebut kalender: batas unggah dan tanggal\n"
        "# final memakai bawaan (30 November 2026; 15 Januari 2027). Isi upload_close dan final_date\n"
        "# bila KPK mengumumkannya.\n"
        f"{levels}"
    )


FRAMEWORK_README_2026 = """\
# MCSP 2026 framework (PUBLIC TRANSCRIPTION, provisional; not KPK's official file)

A framework in the shape of the 2026 guideline (*Pedoman MCSP-RBS 2026*): 7 areas, 33 indicators,
**each indicator scored by its own method**. **It is provisional and partly reconstructed.** It is
built from the one public transcription of the guideline found, an Inspektorat's own tracker
(Kabupaten Konawe), GitHub repository `sipitung66/MCSP-KPK-RBS-KK-2026`. No KPK file was used:
type the real framework from the KPK application with `mcp framework template` /
`mcp framework import` when you have it.

Taken verbatim from the transcription (`data/reference/mcp-2026/2026-framework-transcription.csv`):
- from `prisma/seed.ts` (`AREAS`, `INDICATORS`): the 7 areas and their names (Perencanaan dan
  Penganggaran APBD; Pengadaan Barang dan Jasa (PBJ); Pelayanan Publik; Manajemen ASN;
  Pengelolaan Barang Milik Daerah (BMD); Optimalisasi Pendapatan Daerah; Penguatan APIP), the 33
  indicators in order (numbered within their area as the seed numbers them: codes `A1` to `A7`,
  `A1.1` to `A7.6`), each indicator's objective, name, responsible parties, document count and
  scoring method;
- from `src/lib/scoring.ts`: what each method means (the rules of `mcp_lib/framework/methods.py`);
- from `src/lib/mcsp-workpapers.ts` (and the `Format Data MCSP` spreadsheets of the repository):
  the data formats listed per indicator, whose names (with their years: TA 2024, TA 2025,
  TA 2026 s.d. Semester 1, RKPD TA 2027) name 53 of the documents
  (`data/reference/mcp-2026/2026-documents.csv`, column `data_format`).

**The document count.** The transcription states 162 documents: the sum of its seven area targets
(`targetDocs` 25 + 13 + 30 + 20 + 35 + 16 + 23; the seed prints "pedoman MCSP-RBS 2026: 162").
Its 33 indicators' own document counts add to **125** (25 + 13 + 18 + 11 + 25 + 17 + 16 by area):
only the first two areas agree with their targets, three areas have more target than documents,
Optimalisasi Pendapatan Daerah has fewer (16 against 17); the seed's first version, without
indicators, had targets adding to 138, and the version that added the 33 indicators raised PBJ to
13 (its indicators' sum) and APIP to 23 (its indicators count 16). **This framework has the
125 documents the indicators count**, because each of them belongs to an indicator we can name
(53 by their data format), where the other 37 would be invented rows under no indicator. Four
indicators count no document (LHKPN, gratifikasi, SDM and anggaran APIP, SPI): KPK reads them from
its own systems (e-LHKPN, GOL, SICUKUP, SPI); each gets one status row, `Status di <system>
(interoperabilitas)`, whose status `diverifikasi` means the system reports the indicator met. So
`evidence.csv` and a new tracker have **129 rows**: 125 documents and 4 status rows.

Reconstructed (not in the transcription), by `build_framework_2026()` in `mcp_lib/sample/frameworks.py`:
- **weights**: the transcription states none (every indicator has `maxScore` 100): blank at both
  levels, so equal among siblings (each area 1/7, each indicator an equal share of its area);
  documents share their indicator's 100 points near-equally in whole points (e.g. 34/33/33);
- the names of the 72 documents the transcription only counts: `Bukti dukung k dari n: <indicator>`;
  that a data format is one document, the format's place in its indicator (in the order listed),
  and one document per data set where a province and a kab/kota format hold the same data
  (A3.1 RTRW, A6.1, A6.2);
- the data windows (`window` column) read from the format names (TA 2024, TA 2025, TA 2026,
  TA 2026 semester 1, RKPD 2027) and those of the items scored by periods or stages below;
- method `BOBOT_DOKUMEN_PROPORSIONAL` (A7.3 Pengawasan dalam Rangka Pencegahan Korupsi) is written
  `BOBOT_DOKUMEN`: the method vocabulary has no such name, and the transcription's `scoring.ts`
  scores both the same way (valid documents ÷ required documents);
- the method parameters, each the number of distinct windows of the indicator's documents (the
  rule `mcp validate` checks):
  - A2.3 Pengendalian Risiko Pemecahan Paket pada Pengadaan Langsung, `BOBOT_TAHUN periode=3`:
    its three documents are the direct-procurement lists of 2024, 2025 and 2026 (stated formats);
  - A5.2 Peningkatan Legalitas dan Capaian Penertiban Aset, `BOBOT_TAHUN_TRIWULAN periode=5`:
    five documents, no period stated; read as a year and quarters: the asset-legality achievement
    of TA 2025 and of the quarters TW1, TW2 and TW3 2026 (the last quarters that close before the
    upload close), and the land-certification roadmap commitment (TA 2026);
  - A7.2 Probity Audit pada Pengadaan Strategis Daerah, `BOBOT_TAHAPAN tahapan=5`: five documents,
    no stage named; one per stage of a procurement (planning, preparation, selection, contract,
    hand-over: the stages of Perpres 16/2018);
  - A6.2 Capaian Realisasi dan Pengawasan Pajak Daerah (`AMBANG_REALISASI`) and A6.3 Capaian
    Realisasi Penagihan Piutang Pajak Daerah (`AMBANG_PROPORSIONAL`): **no `target=`**, so 100:
    the transcription's formula is realisation ÷ target × 100, capped at 100, with no threshold,
    so the snapshot's `realisasi` is the percent of the pemda's own target reached;
- the default OPD (`default_opd`): the transcription's responsible parties in their order (the
  first leads), without those that name a person or team rather than an agency (Kepala Daerah,
  PPK, TPK) and the catch-alls (`OPD terkait`, `OPD layanan`, `OPD Pengguna Aset`, `... terkait`),
  `Inspektur` as Inspektorat, and Sekda moved last (the first agency named for 21 indicators, as the
  coordinator: the agency named next leads); every indicator applies to every kind of pemda;
- the area short names (`area_short`, on the brief's area chart and table): PBJ and BMD as the
  area names write them in brackets; "Perencanaan dan Penganggaran" as the transcription's
  data-format folder names that area (`1. Format Data MCSP Area Perencanaan dan Penganggaran`);
  ASN and APIP, the abbreviations in their names; Pelayanan Publik whole; and **OPD** for
  Optimalisasi Pendapatan Daerah, as dashboards label it (not Organisasi Perangkat Daerah; the
  transcription's folder writes "Optimalisasi PAD"). No copy of the 2026 dashboard's labels was
  found;
- the bands: the transcription states none; those of 2025 (rentan below 73, waspada 73 to 77.9,
  terjaga from 78);
- the calendar: the transcription states none, so `framework.toml` has no dates and the default
  holds (upload close 30 November 2026, final 15 January 2027).

Not modelled: the guideline's deadline for A2.4 ("Paket PBJ Strategis ditetapkan sebelum 31 Maret",
its objective) is in the indicator's name only.

Files:
- `framework.csv`: one row per indicator: area and indicator code, name and (blank) weight,
  `applies_to`, `default_opd`, `method` and `area_short`;
- `evidence.csv`: documents and status rows with their points and `window`;
- `bands.csv`: score bands; `framework.toml`: year, label, the two levels (Area, Indikator).

Generated by `python -m mcp_lib.sample` from `data/reference/mcp-2026/`. Replace the whole folder
with the real framework (`mcp framework import kerangka.xlsx --year 2026 --force` keeps this one
as `mcp-2026.bak-<timestamp>`); `mcp validate data/frameworks/mcp-2026` checks it.
"""
