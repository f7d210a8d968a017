"""The bundled frameworks, rebuilt deterministically: labelled reconstructions, not KPK's files.

- :func:`build_framework_2023` turns ``data/reference/mcp-2023-framework-reconstruction.csv``
  (a labelled reconstruction, see its README) into ``data/frameworks/mcp-2023/`` with three
  weight levels and 1–3 evidence documents per sub-indicator.
- :func:`build_framework_2024` derives a 2024-shaped framework (``data/frameworks/mcp-2024/``,
  also a labelled reconstruction) from it: Perencanaan and Penganggaran split, Pelayanan Publik
  instead of Perizinan/PTSP, no Dana Desa, the 2024 bands.
- :func:`build_framework_2025` derives the four-level 2025 (MCSP) one from the 2024 one, at the
  sourced sizes (:data:`AREAS_2025`, :func:`framework_toml_2025`).

Each year is built from the one before, so the three change together; the README texts of their
folders are here too. :mod:`mcp_lib.sample.generate` writes them (``python -m mcp_lib.sample``).
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from mcp_lib.config import REFERENCE_DIR
from mcp_lib.framework.calendar import KNOWN_CALENDARS
from mcp_lib.framework.model import published_bands
from mcp_lib.framework.rules import BANDS_SCHEMA, EVIDENCE_SCHEMA, FRAMEWORK_SCHEMA

RECONSTRUCTION_CSV = REFERENCE_DIR / "mcp-2023-framework-reconstruction.csv"

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


def _framework_tables(ref: pd.DataFrame, applies_to: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Framework and evidence tables from a reconstruction table (``max_points`` per sub-indicator).

    Indicator weight = 100 × its sub-indicators' points / its area's points (when an area's points
    sum to 100, as in the 2023 reconstruction, that is the points themselves); sub-indicator
    weight = 100 × ``max_points`` / the indicator's points. Weights are rounded to 4 decimals and
    the rest goes to the last child, so every level sums to 100. Each sub-indicator gets 1–3
    evidence documents (chosen from a stable hash of its code) whose points sum to 100.
    """
    ref = ref.reset_index(drop=True)
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
    # Rounding to 4 decimals may leave a level summing to 99.9999: give the rest to its last child.
    first_of_ind = ~fw["indicator_code"].duplicated()
    ind_sum = fw[first_of_ind].groupby("area_code")["indicator_weight"].sum()
    last_ind = fw.loc[first_of_ind].drop_duplicates("area_code", keep="last")["indicator_code"]
    for area_code, ind_code in zip(fw.loc[last_ind.index, "area_code"], last_ind, strict=True):
        rows = fw["indicator_code"] == ind_code
        fw.loc[rows, "indicator_weight"] = (fw.loc[rows, "indicator_weight"] + 100 - ind_sum[area_code]).round(4)
    fix = 100 - fw.groupby("indicator_code")["subindicator_weight"].transform("sum")
    last = ~fw["indicator_code"].duplicated(keep="last")
    fw.loc[last, "subindicator_weight"] = (fw.loc[last, "subindicator_weight"] + fix[last]).round(4)

    rows = []
    for sub in fw.itertuples(index=False):
        h = stable(sub.subindicator_code)
        n = (1, 2, 2, 3, 3, 3, 2, 3)[h % 8]
        split = _SPLITS[n][(h // 8) % len(_SPLITS[n])]
        names = next(
            (t for pat, t in _DOC_TEMPLATES if re.search(pat, sub.subindicator_name, re.IGNORECASE)),
            _DEFAULT_DOCS,
        )
        for i, pts in enumerate(split, start=1):
            rows.append(
                (
                    sub.subindicator_code,
                    f"{sub.subindicator_code}.D{i}",
                    f"{names[i - 1]}: {sub.subindicator_name}",
                    pts,
                )
            )
    ev = pd.DataFrame(rows, columns=EVIDENCE_SCHEMA.names)
    return fw[FRAMEWORK_SCHEMA.names], ev


def _bands_table(year: int) -> pd.DataFrame:
    """``bands.csv`` of a sample framework: the bands KPK published for ``year``."""
    return pd.DataFrame(published_bands(year).rows(), columns=BANDS_SCHEMA.names)


def _read_reconstruction(source: Path) -> pd.DataFrame:
    ref = pd.read_csv(source, dtype=str)
    ref["max_points"] = ref["max_points"].astype(float)
    return ref


def build_framework_2023(
    source: Path = RECONSTRUCTION_CSV,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Framework, evidence and bands tables for MCP 2023 from the reconstruction (weights and
    evidence documents as in :func:`_framework_tables`; Tata Kelola Dana Desa, ``A8``, applies to
    kabupaten only)."""
    ref = _read_reconstruction(source)
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
_NEW_2024 = (
    # indicator_code, indicator_name, subindicator_code, subindicator_name, max_points, responsible_opd
    (
        "A1.3",
        "Pengendalian dan evaluasi perencanaan",
        "A1.3.1",
        "Renja perangkat daerah selaras dengan RKPD dan diinput di SIPD",
        8,
        "Bappeda",
    ),
    (
        "A1.3",
        "Pengendalian dan evaluasi perencanaan",
        "A1.3.2",
        "Evaluasi pelaksanaan RKPD dilaporkan dan ditindaklanjuti",
        8,
        "Bappeda;Inspektorat",
    ),
    (
        "A4.1",
        "Standar pelayanan publik",
        "A4.1.1",
        "Standar pelayanan SOP dan maklumat ditetapkan di setiap unit layanan",
        15,
        "Bagian Organisasi;DPMPTSP",
    ),
    (
        "A4.1",
        "Standar pelayanan publik",
        "A4.1.2",
        "Persyaratan biaya dan waktu layanan dipublikasikan di laman resmi",
        10,
        "DPMPTSP;Diskominfo",
    ),
    (
        "A4.2",
        "Pelayanan perizinan terpadu",
        "A4.2.1",
        "Perkada pendelegasian kewenangan perizinan ke DPMPTSP",
        10,
        "DPMPTSP;Bagian Hukum",
    ),
    (
        "A4.2",
        "Pelayanan perizinan terpadu",
        "A4.2.2",
        "OSS berbasis risiko diterapkan dan terintegrasi dengan sistem daerah",
        15,
        "DPMPTSP;Diskominfo",
    ),
    (
        "A4.2",
        "Pelayanan perizinan terpadu",
        "A4.2.3",
        "Mal pelayanan publik atau layanan terpadu beroperasi",
        10,
        "DPMPTSP",
    ),
    (
        "A4.3",
        "Pengaduan dan kepuasan masyarakat",
        "A4.3.1",
        "Pengaduan melalui SP4N-LAPOR dikelola dan ditindaklanjuti",
        15,
        "Diskominfo;Bagian Organisasi",
    ),
    (
        "A4.3",
        "Pengaduan dan kepuasan masyarakat",
        "A4.3.2",
        "Survei kepuasan masyarakat dilaksanakan dan hasilnya dipublikasikan",
        10,
        "Bagian Organisasi",
    ),
    (
        "A4.4",
        "Evaluasi penyelenggaraan pelayanan publik",
        "A4.4.1",
        "Hasil penilaian kepatuhan standar pelayanan publik ditindaklanjuti",
        15,
        "Bagian Organisasi;Inspektorat",
    ),
)


def _code_key(code: str) -> tuple[int, ...]:
    """``A1.10.2`` → ``(1, 10, 2)``: codes in their natural order."""
    return tuple(int(x) for x in re.findall(r"\d+", code))


def build_framework_2024(
    source: Path = RECONSTRUCTION_CSV,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Framework, evidence and bands tables for a 2024-shaped MCP framework, derived from the
    2023 reconstruction: its ``Perencanaan dan Penganggaran APBD`` area split into Perencanaan
    (plus a reconstructed indicator on planning control) and Penganggaran; Perizinan/PTSP replaced
    by Pelayanan Publik (its licensing indicators kept as one indicator among service standards,
    complaints and compliance); Tata Kelola Dana Desa dropped; the other areas kept as they are;
    eight areas at 12.5 each; the 2024 bands (rentan < 73, waspada 73–77.9, terjaga ≥ 78).
    """
    ref = _read_reconstruction(source)
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
    new = [
        {
            "indicator_code": ind,
            "indicator_name": ind_name,
            "subindicator_code": sub,
            "subindicator_name": name,
            "max_points": float(pts),
            "responsible_opd": opd,
            "area_code": ind.split(".")[0],
        }
        for ind, ind_name, sub, name, pts, opd in _NEW_2024
    ]
    ref24 = pd.DataFrame(kept + new)
    old_names = {
        _AREA_2023_TO_2024[c]: n
        for c, n in zip(ref["area_code"], ref["area_name"], strict=True)
        if c in _AREA_2023_TO_2024
    }
    names = {code: name or old_names[code] for code, name in AREAS_2024}
    ref24["area_name"] = ref24["area_code"].map(names)
    ref24["area_weight"] = 100 / len(AREAS_2024)
    ref24 = ref24.iloc[sorted(range(len(ref24)), key=lambda i: _code_key(ref24["subindicator_code"].iloc[i]))]
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

Generated by `python -m mcp_lib.sample` from `data/reference/mcp-2023-framework-reconstruction.csv`.
Replace the whole folder with the real file from your KPK coordinator (same columns, CSV or XLSX);
`mcp validate data/frameworks/mcp-2024` checks it.
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
KABKOTA = "kabupaten;kota"
_I = str | tuple[str, str]  # a 2024 sub-indicator code, or (name, default OPD) of a new indicator
AREAS_2025: tuple[tuple[str, str, tuple[tuple[str, tuple[_I, ...]], ...]], ...] = (
    (
        "Perencanaan",
        "Bappeda",
        (
            (
                "Perencanaan pembangunan yang terintegrasi dan partisipatif",
                (
                    "A1.1.1",
                    "A1.1.2",
                    "A1.2.1",
                    "A1.2.2",
                    ("RPJMD dan Renstra perangkat daerah selaras dengan RPJPD 2025–2045", "Bappeda"),
                    ("Kamus usulan musrenbang ditetapkan dan dipakai", "Bappeda"),
                    ("Data pembangunan daerah terintegrasi dalam Satu Data", "Bappeda;Diskominfo"),
                    ("RTRW ditetapkan dan menjadi acuan perencanaan", "Bappeda;Dinas PUPR"),
                ),
            ),
            (
                "Pengendalian dan evaluasi perencanaan",
                (
                    "A1.3.1",
                    "A1.3.2",
                    ("Indikator kinerja daerah dan cascading kinerja ditetapkan", "Bappeda"),
                    ("Pengendalian pelaksanaan RKPD triwulanan melalui aplikasi", "Bappeda"),
                    ("Evaluasi RPJMD dilaksanakan dan hasilnya dipublikasikan", "Bappeda;Diskominfo"),
                    ("Rekomendasi evaluasi perencanaan ditindaklanjuti perangkat daerah", "Bappeda;Inspektorat"),
                ),
            ),
        ),
    ),
    (
        "Penganggaran",
        "BPKAD",
        (
            (
                "Penganggaran berbasis kinerja dan standar harga",
                (
                    "A2.1.1",
                    "A2.1.2",
                    "A2.2.1",
                    "A2.2.2",
                    ("KUA-PPAS disepakati tepat waktu", "BPKAD;Bappeda"),
                    ("RKA perangkat daerah diverifikasi TAPD di SIPD", "BPKAD"),
                    ("Belanja wajib dianggarkan sesuai ketentuan", "BPKAD;Bappeda"),
                    ("Pergeseran anggaran ditetapkan dengan Perkada dan tercatat di SIPD", "BPKAD;Bagian Hukum"),
                ),
            ),
            (
                "Hibah, bantuan sosial dan pelaksanaan anggaran",
                (
                    "A2.3.1",
                    "A2.3.2",
                    "A2.3.3",
                    ("Realisasi anggaran dipantau dan dilaporkan setiap bulan", "BPKAD"),
                    ("Transaksi belanja daerah secara nontunai", "BPKAD"),
                    ("LKPD disusun tepat waktu dan rekomendasi BPK ditindaklanjuti", "BPKAD;Inspektorat"),
                ),
            ),
        ),
    ),
    (
        "Pengadaan Barang dan Jasa",
        "Bagian PBJ",
        (
            (
                "Kelembagaan dan perencanaan pengadaan",
                (
                    "A3.1.1",
                    "A3.1.2",
                    "A3.1.3",
                    "A3.2.1",
                    "A3.2.2",
                    ("Konsolidasi pengadaan direncanakan dan dilaksanakan", "Bagian PBJ"),
                    ("Pengadaan dimulai lebih awal (tender dini)", "Bagian PBJ"),
                ),
            ),
            (
                "Pemilihan penyedia dan pengendalian kontrak",
                (
                    "A3.3.1",
                    "A3.3.2",
                    "A3.4.1",
                    "A3.4.2",
                    ("Katalog elektronik lokal dan toko daring dimanfaatkan", "Bagian PBJ;BPKAD"),
                    ("Sanggah, daftar hitam dan penilaian kinerja penyedia dikelola", "Bagian PBJ"),
                    ("Swakelola dan pengadaan yang dikecualikan tercatat", "Bagian PBJ"),
                ),
            ),
        ),
    ),
    (
        "Pelayanan Publik",
        "DPMPTSP",
        (
            (
                "Standar pelayanan dan perizinan",
                (
                    "A4.1.1",
                    "A4.1.2",
                    "A4.2.1",
                    "A4.2.2",
                    "A4.2.3",
                    ("Inovasi pelayanan publik dilaporkan dan direplikasi", "Bagian Organisasi"),
                    ("Waktu penyelesaian perizinan dipantau", "DPMPTSP"),
                    ("Retribusi perizinan dipungut secara nontunai", "DPMPTSP;Bapenda"),
                ),
            ),
            (
                "Pengaduan, kepuasan dan evaluasi layanan",
                (
                    "A4.3.1",
                    "A4.3.2",
                    "A4.4.1",
                    ("Pengelola pengaduan ditetapkan di setiap perangkat daerah", "Bagian Organisasi"),
                    ("Hasil survei kepuasan ditindaklanjuti dengan rencana perbaikan", "Bagian Organisasi"),
                    ("Layanan bagi kelompok rentan tersedia", "Bagian Organisasi"),
                ),
            ),
        ),
    ),
    (
        "Penguatan APIP",
        "Inspektorat",
        (
            (
                "Kapabilitas dan sumber daya APIP",
                (
                    "A5.1.1",
                    "A5.1.2",
                    "A5.2.1",
                    "A5.2.2",
                    ("Maturitas SPIP dinilai dan ditingkatkan", "Inspektorat"),
                    ("Manajemen risiko pemerintah daerah diterapkan", "Inspektorat;Bappeda"),
                    ("Kompetensi auditor dikembangkan", "Inspektorat;BKPSDM"),
                ),
            ),
            (
                "Pengawasan berbasis risiko dan tindak lanjut",
                (
                    "A5.3.1",
                    "A5.3.2",
                    "A5.4.1",
                    "A5.4.2",
                    ("Pengawasan atas pengadaan strategis", "Inspektorat;Bagian PBJ"),
                    ("Benturan kepentingan dikelola", "Inspektorat"),
                    ("Koordinasi APIP dan aparat penegak hukum tercatat", "Inspektorat"),
                ),
            ),
        ),
    ),
    (
        "Manajemen ASN",
        "BKPSDM",
        (
            (
                "Manajemen ASN berbasis merit",
                (
                    "A6.1.1",
                    "A6.1.2",
                    "A6.2.1",
                    "A6.2.2",
                    ("Hasil penilaian sistem merit ditindaklanjuti", "BKPSDM"),
                    ("Mutasi dan rotasi berdasarkan pola karier", "BKPSDM"),
                    ("Pengadaan ASN dan PPPK sesuai kebutuhan formasi", "BKPSDM"),
                ),
            ),
            (
                "Penghasilan, disiplin dan integritas ASN",
                (
                    "A6.3.1",
                    "A6.3.2",
                    "A6.4.1",
                    "A6.4.2",
                    ("Penegakan disiplin ASN tercatat dan dilaporkan", "BKPSDM;Inspektorat"),
                    ("Kode etik dan kode perilaku ASN ditetapkan", "BKPSDM;Bagian Hukum"),
                    ("Zona integritas dibangun di unit layanan", "Bagian Organisasi;Inspektorat"),
                ),
            ),
        ),
    ),
    (
        "Optimalisasi Pajak Daerah",
        "Bapenda",
        (
            (
                "Regulasi dan basis data pajak",
                (
                    "A7.1.1",
                    "A7.2.1",
                    "A7.2.2",
                    ("Opsen pajak daerah dihitung dan dibagihasilkan", "Bapenda;BPKAD"),
                    ("Potensi pajak daerah dikaji dan ditetapkan", "Bapenda"),
                ),
            ),
            (
                "Pemungutan, penagihan dan pengawasan pajak",
                (
                    "A7.3.1",
                    "A7.3.2",
                    "A7.4.1",
                    "A7.4.2",
                    "A7.4.3",
                    ("Retribusi daerah dipungut secara elektronik", "Bapenda;BPKAD"),
                    ("Insentif dan keringanan pajak ditetapkan sesuai ketentuan", "Bapenda;Bagian Hukum"),
                    ("Kepatuhan wajib pajak hotel, restoran dan hiburan diawasi", "Bapenda"),
                    ("Kerja sama optimalisasi pajak dengan instansi vertikal", "Bapenda"),
                ),
            ),
        ),
    ),
    (
        "Manajemen Barang Milik Daerah",
        "BPKAD",
        (
            (
                "Penatausahaan BMD",
                (
                    "A8.1.1",
                    "A8.1.2",
                    "A8.1.3",
                    ("Inventarisasi BMD lima tahunan dilaksanakan", "BPKAD"),
                    ("Penilaian BMD untuk neraca", "BPKAD"),
                    ("Aplikasi penatausahaan BMD terintegrasi", "BPKAD;Diskominfo"),
                ),
            ),
            (
                "Pengamanan dan pemanfaatan BMD",
                (
                    "A8.2.1",
                    "A8.2.2",
                    "A8.3.1",
                    "A8.3.2",
                    ("Pemindahtanganan dan penghapusan BMD sesuai ketentuan", "BPKAD;Bagian Hukum"),
                    ("BMD diasuransikan", "BPKAD"),
                    ("Kendaraan dinas tercatat dan digunakan sesuai peruntukan", "BPKAD"),
                ),
            ),
        ),
    ),
)
"""Areas (the eight of 2024), their two sasaran each and their indicators: a 2024 sub-indicator
(reconstructed) becomes a 2025 indicator, and the rest are reconstructed themes."""
SECOND_SUBS_2025: dict[str, tuple[str, str, str]] = {
    # indicator (by 2024 code or name) → second sub-indicator: name, default OPD, applies to
    "RTRW ditetapkan dan menjadi acuan perencanaan": (
        "RDTR ditetapkan dan terintegrasi dengan OSS",
        "Bappeda;Dinas PUPR",
        KABKOTA,
    ),
    "A4.2.2": ("Persetujuan Bangunan Gedung (PBG) diterbitkan melalui SIMBG", "Dinas PUPR;DPMPTSP", KABKOTA),
    "A7.2.1": ("Basis data PBB-P2 dan zona nilai tanah dimutakhirkan", "Bapenda", KABKOTA),
    "A7.3.2": ("BPHTB divalidasi secara elektronik bersama BPN", "Bapenda", KABKOTA),
    "A1.1.1": ("RKPD dipublikasikan di laman resmi", "Bappeda;Diskominfo", "semua"),
    "A2.2.2": ("Laporan realisasi semesteran dipublikasikan", "BPKAD;Diskominfo", "semua"),
    "A3.3.1": ("Belanja melalui katalog elektronik terpantau", "Bagian PBJ", "semua"),
    "A4.3.1": ("Waktu tindak lanjut pengaduan dipantau", "Bagian Organisasi", "semua"),
    "A5.4.1": ("Rekomendasi hasil pengawasan APIP ditindaklanjuti", "Inspektorat", "semua"),
    "A6.2.1": ("Data jabatan dan kompetensi ASN terintegrasi", "BKPSDM", "semua"),
    "A8.2.1": ("Bidang tanah yang belum bersertifikat didaftarkan ke BPN", "BPKAD", "semua"),
}
"""The indicators with two sub-indicators (111 indicators, 122 sub-indicators); the four marked
kabupaten/kota (spatial detail plans, building approvals, PBB-P2, BPHTB: powers of kabupaten and
kota, not of provinces) hold the 20 documents a province does not have."""
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


def build_framework_2025(
    source: Path = RECONSTRUCTION_CSV,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Framework, evidence and bands tables for a 2025-shaped (IPKD-MCP, "MCSP") framework.

    Sourced sizes: 8 areas, 16 sasaran, 111 indicators, 122 sub-indicators; 660 documents for a
    province and 680 for a kabupaten/kota. Everything else is a reconstruction: the area names
    (those of 2024), two sasaran per area, indicators from the reconstructed 2024 sub-indicators
    plus reconstructed themes (:data:`AREAS_2025`), the second sub-indicators
    (:data:`SECOND_SUBS_2025`), 3–8 documents per sub-indicator (from a stable hash of its code,
    adjusted to the sourced totals) with near-equal whole points, and **blank weights at every
    level** (equal among siblings: published totals are consistent with equal area weights, and
    nothing is known of the others). Bands: those of 2024.
    """
    fw24, _, _ = build_framework_2024(source)
    subs24 = fw24.set_index("subindicator_code")
    rows = []
    for a, (area_name, _lead, sasaran) in enumerate(AREAS_2025, start=1):
        for s, (sasaran_name, indicators) in enumerate(sasaran, start=1):
            for i, item in enumerate(indicators, start=1):
                name, opd = (
                    tuple(subs24.loc[item, ["subindicator_name", "default_opd"]]) if isinstance(item, str) else item
                )
                ind = f"A{a}.{s}.{i}"
                base = {
                    "area_code": f"A{a}",
                    "area_name": area_name,
                    "sasaran_code": f"A{a}.{s}",
                    "sasaran_name": sasaran_name,
                    "indicator_code": ind,
                    "indicator_name": name,
                }
                rows.append(
                    {
                        **base,
                        "subindicator_code": f"{ind}.1",
                        "subindicator_name": name,
                        "applies_to": "semua",
                        "default_opd": opd,
                    }
                )
                second = SECOND_SUBS_2025.get(item if isinstance(item, str) else name)
                if second:
                    rows.append(
                        {
                            **base,
                            "subindicator_code": f"{ind}.2",
                            "subindicator_name": second[0],
                            "applies_to": second[2],
                            "default_opd": second[1],
                        }
                    )
    fw = pd.DataFrame(rows)
    for key, _name in LEVELS_2025:
        fw[f"{key}_weight"] = np.nan
    columns = [f"{key}_{part}" for key, _ in LEVELS_2025 for part in ("code", "name", "weight")]
    fw = fw[[*columns, "applies_to", "default_opd"]]

    everywhere = fw["applies_to"] == "semua"
    counts = {}
    for code, name in zip(fw["subindicator_code"], fw["subindicator_name"], strict=True):
        counts[code] = 2 if name == FIFTY_FIFTY_2025 else 3 + stable(code) % 6
    for code in fw.loc[~everywhere, "subindicator_code"]:
        counts[code] = KABKOTA_DOCS_2025
    # Adjust to the sourced total, one document at a time, cycling through the sub-indicators.
    cycle = [
        c
        for c, n in zip(fw["subindicator_code"], fw["subindicator_name"], strict=True)
        if n != FIFTY_FIFTY_2025 and c in set(fw.loc[everywhere, "subindicator_code"])
    ]
    target = DOCS_2025["provinsi"]
    step = 0
    while (total := sum(counts[c] for c in cycle) + 2) != target:
        code = cycle[step % len(cycle)]
        counts[code] += 1 if total < target else -1 if counts[code] > 3 else 0
        step += 1
    docs = []
    for sub in fw.itertuples(index=False):
        k = counts[sub.subindicator_code]
        template = next((t for pat, t in _DOC_TEMPLATES if re.search(pat, sub.subindicator_name, re.IGNORECASE)), ())
        kinds = list(dict.fromkeys((*template, *_DOC_KINDS_2025)))[:k]
        for j, (kind, pts) in enumerate(zip(kinds, _split_points(k), strict=True), start=1):
            docs.append(
                (
                    sub.subindicator_code,
                    f"{sub.subindicator_code}.D{j}",
                    f"{kind}: {sub.subindicator_name}",
                    pts,
                )
            )
    ev = pd.DataFrame(docs, columns=EVIDENCE_SCHEMA.names)
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
- equal area weights: published 2023–2024 totals are consistent with them (not a 2025 source);
- one BMD indicator split 50/50 between two documents (a 2025 fragment; here the sub-indicator
  "Rekonsiliasi dan laporan BMD semesteran dan tahunan").

Reconstructed (not published by KPK), by `build_framework_2025()` in `mcp_lib/sample/frameworks.py`:
- the area names (those of 2024: the 2025 names were not found), the sasaran (two per area) and
  their names;
- the indicators: the 61 reconstructed 2024 sub-indicators become indicators, 50 more are
  reconstructed themes (RPJMD alignment with the RPJPD 2025–2045, KUA-PPAS, consolidated
  procurement, service innovation, SPIP maturity, merit system, opsen taxes, BMD inventory, ...);
- which 11 indicators have two sub-indicators, and that four of those (RDTR, PBG through SIMBG,
  PBB-P2 data, BPHTB validation: powers of kabupaten and kota) apply to kabupaten/kota only,
  5 documents each: the 20 documents a province does not have;
- every weight: **blank at every level** (equal among siblings, as the brief's methods section
  says); 3 to 8 documents per sub-indicator from a stable hash of its code, adjusted to the sourced
  totals, with near-equal whole points (e.g. 34/33/33); document names from templates;
- codes (A1 to A8, `A1.1` sasaran, `A1.1.1` indicator, `A1.1.1.1` sub-indicator), the default
  responsible OPD, and the bands (those of 2024: rentan below 73, waspada 73 to 77.9, terjaga
  from 78).

Files:
- `framework.csv`: one row per sub-indicator with the code, name and (blank) weight of each of
  the four levels, `applies_to` and `default_opd`;
- `evidence.csv`: evidence documents and their points;
- `bands.csv`: score bands; `framework.toml`: year, label, calendar, the four levels and the
  level of the brief's detail table (indicator).

Generated by `python -m mcp_lib.sample`. Replace the whole folder with the real framework
(`mcp framework import kerangka.xlsx --year 2025 --force` keeps this one as `mcp-2025.bak-<timestamp>`);
`mcp validate data/frameworks/mcp-2025` checks it.
"""
