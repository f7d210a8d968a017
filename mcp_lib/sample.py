"""Deterministic generators for the bundled, illustrative data.

- :func:`build_framework_2023` turns ``data/reference/mcp-2023-framework-reconstruction.csv``
  (a labelled reconstruction, see its README) into ``data/frameworks/mcp-2023/`` with three
  weight levels and 1–3 evidence documents per sub-indicator.
- :func:`build_lubuklinggau` writes ``data/pemda/kota-lubuklinggau/``: monthly snapshots from
  March to October 2023 telling a believable, **invented** story (verified score about 65 at the
  end of October). It is not KPK data.

Run ``python -m mcp_lib.sample`` to regenerate both; a test checks the committed files match.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from mcp_lib import text
from mcp_lib.config import DATA_DIR, REFERENCE_DIR
from mcp_lib.framework import EVIDENCE_SCHEMA, FRAMEWORK_SCHEMA, load_framework
from mcp_lib.scoring import effective_weights
from mcp_lib.status import SNAPSHOT_SCHEMA

RECONSTRUCTION_CSV = REFERENCE_DIR / "mcp-2023-framework-reconstruction.csv"
CLAIMS_CSV = REFERENCE_DIR / "kabkota-claim-vs-verified-2020-21.csv"
GENERATED_DIR = DATA_DIR / "generated"
GENERATED_MARKER = ".generated"
"""A file in every generated pemda folder: only folders that carry it are regenerated in place."""
BANDS_2023 = (
    ("Merah", 0, "#d7301f"),
    ("Kuning", 25, "#fdae61"),
    ("Biru", 50, "#4575b4"),
    ("Hijau", 75, "#1a9850"),
)

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


def _stable(text: str) -> int:
    """A stable integer from text (Python's ``hash`` changes between runs)."""
    return zlib.crc32(text.encode("utf-8"))


def build_framework_2023(
    source: Path = RECONSTRUCTION_CSV,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Framework, evidence and bands tables for MCP 2023 from the reconstruction.

    Indicator weight = sum of its sub-indicators' ``max_points`` (each area sums to 100);
    sub-indicator weight = 100 × ``max_points`` / indicator weight. Each sub-indicator gets 1–3
    evidence documents (chosen from a stable hash of its code) whose points sum to 100.
    """
    ref = pd.read_csv(source, dtype=str)
    ref["max_points"] = ref["max_points"].astype(float)
    ind_w = ref.groupby("indicator_code")["max_points"].transform("sum")
    fw = pd.DataFrame(
        {
            "area_code": ref["area_code"], "area_name": ref["area_name"],
            "area_weight": ref["area_weight"].astype(float),
            "indicator_code": ref["indicator_code"], "indicator_name": ref["indicator_name"],
            "indicator_weight": ind_w,
            "subindicator_code": ref["subindicator_code"], "subindicator_name": ref["subindicator_name"],
            "subindicator_weight": (100 * ref["max_points"] / ind_w).round(4),
            "applies_to": np.where(ref["area_code"] == "A8", "kabupaten", "semua"),
            "default_opd": ref["responsible_opd"],
        }
    )  # fmt: skip
    # Rounding to 4 decimals may leave an indicator summing to 99.9999: give the rest to its last child.
    fix = 100 - fw.groupby("indicator_code")["subindicator_weight"].transform("sum")
    last = ~fw["indicator_code"].duplicated(keep="last")
    fw.loc[last, "subindicator_weight"] = (fw.loc[last, "subindicator_weight"] + fix[last]).round(4)

    rows = []
    for sub in fw.itertuples(index=False):
        h = _stable(sub.subindicator_code)
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
    bands = pd.DataFrame(BANDS_2023, columns=["band", "lower_bound", "colour"])
    return fw[FRAMEWORK_SCHEMA.names], ev, bands


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
- `bands.csv`: score bands; `framework.toml`: year and label.

Generated by `python -m mcp_lib.sample` from `data/reference/mcp-2023-framework-reconstruction.csv`.
Replace the whole folder with the real file from your KPK coordinator (same columns, CSV or XLSX);
`mcp validate data/frameworks/mcp-2023` checks it.
"""

# --- Kota Lubuklinggau --------------------------------------------------------------------------

LUBUKLINGGAU_TOML = """\
# ILLUSTRATIVE SAMPLE DATA - invented for the MCP Workbook, not KPK data.
# Data contoh ilustratif: bukan data resmi KPK.
name = "Kota Lubuklinggau"
kind = "kota"
province = "Sumatera Selatan"
framework = 2023
target = 90
deadline = 2023-12-31
note = "Data contoh ilustratif, bukan data resmi KPK"

[final_scores]
2021 = 76
2022 = 87
"""
# name, person-days per month the OPD can put into MCP evidence
LUBUKLINGGAU_OPDS = (
    ("Inspektorat", 20), ("Bapenda", 12), ("DPMPTSP", 10), ("BKPSDM", 8), ("BPKAD", 15),
    ("Bappeda", 10), ("Bagian PBJ", 10), ("Bagian Hukum", 6), ("Bagian Organisasi", 5),
    ("Sekretariat DPRD", 4), ("Diskominfo", 6),
)  # fmt: skip
OCTOBER_TARGET = 65.0
_BLOCKERS = {
    "A7": "menunggu sertifikasi tanah oleh BPN",
    "A1": "menunggu hasil evaluasi APBD oleh Kemendagri",
    "A6": "menunggu integrasi data transaksi dari bank daerah",
    "A5": "menunggu validasi data ASN oleh BKN",
}
_REJECT_NOTES = (
    "dokumen belum ditandatangani kepala daerah",
    "tautan publikasi tidak dapat diakses verifikator",
    "data tidak mencakup periode 2023",
    "bukti dukung tidak sesuai sub-indikator",
    "belum ada bukti tindak lanjut",
)
_PRIORS = {"A1": 0.26, "A2": 0.34, "A3": 0.45, "A4": 0.48, "A5": 0.34, "A6": 0.54, "A7": 0.42, "A8": 0.45}


def _month_end(month: int, year: int = 2023) -> dt.date:
    return (pd.Timestamp(year, month, 1) + pd.offsets.MonthEnd(0)).date()


def build_lubuklinggau(framework_dir: Path, seed: int = 20231031) -> tuple[str, dict[dt.date, pd.DataFrame]]:
    """``pemda.toml`` text and one status table per month-end, March to October 2023, with the
    verified score at about :data:`OCTOBER_TARGET` in October (see :func:`generate_snapshots`)."""
    tables = generate_snapshots(framework_dir, "kota", OCTOBER_TARGET, seed=seed)
    lines = [LUBUKLINGGAU_TOML]
    for name, cap in LUBUKLINGGAU_OPDS:
        lines.append(f'\n[[opd]]\nname = "{name}"\ncapacity_days = {cap}\n')
    return "".join(lines), tables


def generate_snapshots(
    framework_dir: Path,
    kind: str,
    verified_target: float,
    claim_target: float | None = None,
    *,
    seed: int,
    first_month: int = 3,
    last_month: int = 10,
    year: int = 2023,
) -> dict[dt.date, pd.DataFrame]:
    """One status table per month-end of ``year``, ``first_month`` to ``last_month``.

    The last month's state is drawn first (rejected, awaiting verification, in preparation, not
    started, blocked) and the verified documents are added in a random order until the verified
    score reaches ``verified_target``; the last one is partly verified to land within ±0.5.
    With ``claim_target``, documents awaiting verification are added until the claim score
    reaches it (otherwise about two thirds of the rest are awaiting). Each document then gets a
    timeline (prepared → uploaded → verified in a verification window) consistent with its final
    state, from which the earlier months are read off.
    """
    rng = np.random.default_rng(seed)
    fw = load_framework(framework_dir)
    docs = fw.documents.copy()
    docs["applicable"] = fw.applies(kind).to_numpy()
    docs["weight"] = effective_weights(docs)
    app = docs[docs["applicable"]].reset_index(drop=True)
    n = len(app)
    points = app["points"].to_numpy(dtype=float)
    weight = app["weight"].to_numpy(dtype=float)
    area = app["area_code"].to_numpy()
    state = np.array(["diverifikasi"] * n, dtype=object)
    verified = np.zeros(n)
    order = rng.permutation(n)
    # Harder areas (higher share lowered at verification) are likelier to be rejected or late.
    risk = app["area_code"].map(_PRIORS).to_numpy()
    by_risk = sorted(order, key=lambda i: -(risk[i] + rng.uniform(0, 0.5)))
    n_rejected = round(0.083 * n)
    rejected, rest = by_risk[:n_rejected], by_risk[n_rejected:]
    for i in rejected:
        state[i] = "perlu_perbaikan"
        if rng.uniform() < 0.5:
            verified[i] = float(np.floor(points[i] * rng.uniform(0.2, 0.5)))
    blocked = []
    for blocked_area in _BLOCKERS:
        cands = [i for i in rest if area[i] == blocked_area]
        blocked.append(cands[0])
    remaining = [i for i in rest if i not in blocked]
    score = float((verified * app["weight"]).sum())
    verified_set = []
    for i in remaining:
        if score >= verified_target - 0.25:
            break
        full = points[i]
        pts = full if rng.uniform() > 0.15 else float(np.floor(full * rng.uniform(0.5, 0.8)))
        gain = pts * weight[i]
        if score + gain > verified_target + 0.25:
            pts = float(np.clip(np.round((verified_target - score) / weight[i]), 1, full))
            gain = pts * weight[i]
        verified[i] = pts
        score += gain
        verified_set.append(i)
    others = [i for i in remaining if i not in verified_set]
    k = len(others)
    if claim_target is None:
        for j, i in enumerate(others):
            state[i] = "diunggah" if j < k * 0.65 else ("disiapkan" if j < k * 0.85 else "belum")
    else:
        claim = score
        waiting = 0
        for i in others:
            if claim >= claim_target - 0.25:
                break
            state[i] = "diunggah"
            claim += points[i] * weight[i]
            waiting += 1
        for j, i in enumerate(others[waiting:]):
            state[i] = "disiapkan" if j < (k - waiting) * 0.57 else "belum"
    for j, i in enumerate(blocked):
        state[i] = "disiapkan" if j % 2 else "belum"

    # Timelines: prepared from `s`, uploaded at `u`, verified/rejected at `v` (month numbers);
    # verification windows are the last six months, uploads awaiting verification the last four.
    first, last = first_month, last_month
    months = list(range(first, last + 1))
    verify_months = tuple(range(max(first, last - 5), last + 1))
    verify_p = np.array((0.1, 0.15, 0.15, 0.2, 0.2, 0.2)[-len(verify_months) :])
    s_m = np.full(n, 99)
    u_m = np.full(n, 99)
    v_m = np.full(n, 99)
    for i in range(n):
        if state[i] in ("diverifikasi", "perlu_perbaikan"):
            v_m[i] = rng.choice(verify_months, p=verify_p / verify_p.sum())
            u_m[i] = rng.integers(first, v_m[i] + 1)
        elif state[i] == "diunggah":
            u_m[i] = rng.integers(max(first, last - 3), last + 1)
        if state[i] != "belum":
            s_m[i] = max(first, min(u_m[i], last) - int(rng.integers(0, 3)))
    effort = np.clip(np.round(rng.gamma(2.2, 2.2, n)), 1, 20)
    due_m = np.where(
        u_m < 99, u_m, rng.choice((last - 2, last - 1, last, last + 1, last + 1, last + 2, last + 2), n)
    )
    note = [""] * n
    for i in rejected:
        note[i] = _REJECT_NOTES[int(rng.integers(len(_REJECT_NOTES)))]
        due_m[i] = rng.choice((last - 1, last, last + 1, last + 1, last + 2))

    tables: dict[dt.date, pd.DataFrame] = {}
    for m in months:
        st = np.where(
            m >= v_m, state, np.where(m >= u_m, "diunggah", np.where(m >= s_m, "disiapkan", "belum"))
        )
        vp = np.where((m >= v_m) & np.isin(st, ("diverifikasi", "perlu_perbaikan")), verified, np.nan)
        blocker = ["" for _ in range(n)]
        for i in blocked:
            if m >= first + 3:
                blocker[i] = _BLOCKERS[area[i]]
        notes = [note[i] if st[i] == "perlu_perbaikan" else "" for i in range(n)]
        table = pd.DataFrame(
            {
                "doc_code": app["doc_code"],
                "opd": app["default_opd"],
                "status": st,
                "verified_points": vp,
                "effort_days": effort,
                "due_date": [_month_end(int(min(dm, 12)), year) for dm in due_m],
                "blocker": blocker,
                "note": notes,
            }
        )
        tables[_month_end(m, year)] = table[SNAPSHOT_SCHEMA.names]
    return tables


def pemda_list(province: str | None = None) -> pd.DataFrame:
    """Kabupaten/kota of the reference file (all, or one province's), with ``slug``, ``name``
    (``Kabupaten X`` / ``Kota X``), ``kind``, ``province``, ``mean_claim`` and ``mean_verified``.

    Raises
    ------
    InputError
        For a province that is not in the file (the message lists those that are).
    """
    from mcp_lib.errors import InputError, Problem

    ref = pd.read_csv(CLAIMS_CSV, dtype={"province_code": str, "pemda_code": str})
    if province is not None:
        known = sorted(ref["province"].unique())
        match = [p for p in known if p.lower() == province.strip().lower()]
        if not match:
            raise InputError(
                [
                    Problem(
                        "--province",
                        "provinsi tidak ada di data rujukan",
                        value=province,
                        expected="salah satu: " + ", ".join(known),
                    )
                ]
            )
        ref = ref[ref["province"] == match[0]]
    kind = np.where(ref["pemda"].str.startswith("Kota"), "kota", "kabupaten")
    name = ref["pemda"].str.replace(r"^Kab\.\s*", "Kabupaten ", regex=True)
    return pd.DataFrame(
        {
            "slug": ref["pemda"].map(text.slugify), "name": name, "kind": kind, "province": ref["province"],
            "code": ref["province_code"] + ref["pemda_code"], "mean_claim": ref["mean_claim"],
            "mean_verified": ref["mean_verified"],
        }
    ).reset_index(drop=True)  # fmt: skip


def generate_pemda_folders(
    province: str | None,
    out: Path = GENERATED_DIR,
    *,
    seed: int = 2023,
    first_month: int = 3,
    last_month: int = 10,
    framework_dir: Path | None = None,
) -> list[Path]:
    """Write an illustrative pemda folder under ``<out>/pemda/`` for each kabupaten/kota of
    ``province`` (all of them when ``None``), deterministically from ``seed``.

    The last month's verified and claim scores are calibrated on the pemda's real mean verified
    and mean claimed sub-indicator values of 2020–21; kabupaten have the Dana Desa area, kota do
    not. A folder that exists without the :data:`GENERATED_MARKER` file (made by someone) is
    never touched: that is an error.
    """
    from mcp_lib.errors import InputError, Problem

    framework_dir = framework_dir or DATA_DIR / "frameworks" / "mcp-2023"
    rows = pemda_list(province)
    clashes = [
        Problem(
            str(out / "pemda" / r.slug),
            "folder pemda sudah ada dan bukan hasil generator",
            expected="--out ke folder lain",
        )
        for r in rows.itertuples()
        if (out / "pemda" / r.slug).exists() and not (out / "pemda" / r.slug / GENERATED_MARKER).exists()
    ]
    if clashes:
        raise InputError(clashes)
    written = []
    for r in rows.itertuples():
        pemda_seed = seed * 1_000_003 + _stable(r.code)
        rng = np.random.default_rng(pemda_seed)
        opds = [(name, int(rng.integers(4, 21))) for name, _ in LUBUKLINGGAU_OPDS]
        if r.kind == "kabupaten":
            opds.append(("DPMD", int(rng.integers(4, 21))))
        verified = float(min(r.mean_verified, 95.0))
        claim = float(min(max(r.mean_claim, verified), 99.0))
        tables = generate_snapshots(
            framework_dir,
            r.kind,
            verified,
            claim,
            seed=pemda_seed,
            first_month=first_month,
            last_month=last_month,
        )
        folder = out / "pemda" / r.slug
        (folder / "status").mkdir(parents=True, exist_ok=True)
        for old in (folder / "status").glob("*.csv"):
            old.unlink()
        toml = [
            "# ILLUSTRATIVE GENERATED DATA - not KPK data (mcp sample).",
            f"name = {json.dumps(r.name)}",
            f'kind = "{r.kind}"',
            f"province = {json.dumps(r.province)}",
            "framework = 2023",
            "target = 90",
            "deadline = 2023-12-31",
            f'note = "Data contoh hasil generator, bukan data resmi KPK (kalibrasi: klaim {r.mean_claim:.1f}, '
            f'terverifikasi {r.mean_verified:.1f} dari data MCP 2020-21)"',
        ]
        toml += [f'\n[[opd]]\nname = "{name}"\ncapacity_days = {cap}' for name, cap in opds]
        (folder / "pemda.toml").write_text("\n".join(toml) + "\n", encoding="utf-8")
        (folder / GENERATED_MARKER).write_text(f"seed = {seed}\n", encoding="utf-8")
        for date, table in tables.items():
            _write_csv(table, folder / "status" / f"{date:%Y-%m-%d}.csv")
        written.append(folder)
    return written


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, lineterminator="\n", float_format="%g")


def write_bundled(data_dir: Path = DATA_DIR) -> list[Path]:
    """Regenerate the bundled framework and the Lubuklinggau sample under ``data_dir``."""
    written = []
    fw_dir = data_dir / "frameworks" / "mcp-2023"
    fw_dir.mkdir(parents=True, exist_ok=True)
    fw, ev, bands = build_framework_2023()
    for name, frame in (("framework.csv", fw), ("evidence.csv", ev), ("bands.csv", bands)):
        _write_csv(frame, fw_dir / name)
        written.append(fw_dir / name)
    (fw_dir / "framework.toml").write_text(
        'year = 2023\nlabel = "MCP 2023 (rekonstruksi, bukan data resmi KPK)"\n', encoding="utf-8"
    )
    (fw_dir / "README.md").write_text(FRAMEWORK_README, encoding="utf-8")
    written += [fw_dir / "framework.toml", fw_dir / "README.md"]

    pemda_dir = data_dir / "pemda" / "kota-lubuklinggau"
    (pemda_dir / "status").mkdir(parents=True, exist_ok=True)
    toml, tables = build_lubuklinggau(fw_dir)
    (pemda_dir / "pemda.toml").write_text(toml, encoding="utf-8")
    (pemda_dir / "README.md").write_text(
        "# Kota Lubuklinggau (ILLUSTRATIVE SAMPLE DATA)\n\n"
        "Invented monthly snapshots (March to October 2023) for trying the MCP Workbook. The names of\n"
        "the city and its agencies are real; every status, score, date and note is made up and is\n"
        "**not KPK data**. Generated by `python -m mcp_lib.sample`.\n",
        encoding="utf-8",
    )
    written += [pemda_dir / "pemda.toml", pemda_dir / "README.md"]
    for date, table in tables.items():
        path = pemda_dir / "status" / f"{date:%Y-%m-%d}.csv"
        _write_csv(table, path)
        written.append(path)
    return written


if __name__ == "__main__":
    for p in write_bundled():
        print(p)
