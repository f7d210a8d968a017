"""Deterministic generators for the bundled, illustrative sample data.

- :func:`build_lubuklinggau` writes ``data/pemda/kota-lubuklinggau/``: monthly snapshots from
  March to October 2023 telling a believable, **invented** story (verified score about 65 at the
  end of October). It is not KPK data. :func:`build_musi_rawas` does the same for a kabupaten on
  the 2025 framework.
- :func:`generate_snapshots` draws the monthly snapshots of any pemda; :func:`generate_pemda_folders`
  writes illustrative pemda folders for the kabupaten/kota of a province (``mcp sample``).
- :func:`write_bundled` writes everything bundled: the frameworks built by
  :mod:`mcp_lib.sample.frameworks` and the two sample pemda.

Run ``python -m mcp_lib.sample`` to regenerate them all; a test checks the committed files match.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from mcp_lib import text
from mcp_lib.config import DATA_DIR, REFERENCE_DIR
from mcp_lib.framework.calendar import KNOWN_CALENDARS
from mcp_lib.framework.folder import load_framework
from mcp_lib.framework.model import Framework
from mcp_lib.pemda.model import Opd
from mcp_lib.pemda.settings import pemda_toml
from mcp_lib.sample.frameworks import (
    FRAMEWORK_README,
    FRAMEWORK_README_2024,
    FRAMEWORK_README_2025,
    FRAMEWORK_README_2026,
    build_framework_2023,
    build_framework_2024,
    build_framework_2025,
    build_framework_2026,
    framework_toml_2025,
    framework_toml_2026,
    stable,
)
from mcp_lib.scoring import effective_weights
from mcp_lib.statuses import BELUM, DECIDED, DISIAPKAN, DIUNGGAH, DIVERIFIKASI, PERLU_PERBAIKAN

CLAIMS_CSV = REFERENCE_DIR / "kabkota-claim-vs-verified-2020-21.csv"
GENERATED_DIR = DATA_DIR / "generated"
GENERATED_MARKER = ".generated"
"""A file in every generated pemda folder: only folders that carry it are regenerated in place."""


# --- Kota Lubuklinggau --------------------------------------------------------------------------

SAMPLE_HEADER = (
    "ILLUSTRATIVE SAMPLE DATA - invented for the MCP Workbook, not KPK data.",
    "Data contoh ilustratif: bukan data resmi KPK.",
)
"""The comment opening the ``pemda.toml`` of each bundled sample pemda."""
# name, person-days per month the OPD can put into MCP evidence
LUBUKLINGGAU_OPDS = (
    ("Inspektorat", 30),
    ("Bapenda", 18),
    ("DPMPTSP", 15),
    ("BKPSDM", 12),
    ("BPKAD", 22),
    ("Bappeda", 15),
    ("Bagian PBJ", 15),
    ("Bagian Hukum", 9),
    ("Bagian Organisasi", 8),
    ("Sekretariat DPRD", 6),
    ("Diskominfo", 9),
)
OCTOBER_TARGET = 65.0
OCTOBER_CLAIM = 88.0
"""The sample's claim in October: most evidence is uploaded and waits for verification (the
2023 upload close is 30 November), as in the months before the close of a pemda that scored 87
the year before."""
CAPACITY_DOCUMENTS = 143
"""Documents the sample OPD capacities are sized for (MCP 2023); a generated pemda on a framework
with more documents gets proportionally more person-days per month."""
SAMPLE_REJECT_SHARE, SAMPLE_PARTIAL_SHARE = 0.03, 0.05
"""The sample's verifier record: about 3% of its documents returned and 5% of those verified
accepted only in part (a good record: 2025 dashboards show 4–14% returned among decided)."""
_BLOCKERS = (
    (r"Aset|BMD|Barang Milik", "menunggu sertifikasi tanah oleh BPN"),
    (r"Penganggaran", "menunggu hasil evaluasi APBD oleh Kemendagri"),
    (r"Pajak", "menunggu integrasi data transaksi dari bank daerah"),
    (r"\bASN\b", "menunggu validasi data ASN oleh BKN"),
)
"""Blockers outside the pemda, by the area (name) they hold up: one document each."""
_REJECT_NOTES = (
    "dokumen belum ditandatangani kepala daerah",
    "tautan publikasi tidak dapat diakses verifikator",
    "data tidak mencakup periode 2023",
    "bukti dukung tidak sesuai sub-indikator",
    "belum ada bukti tindak lanjut",
)
_PRIORS = (
    (r"Dana Desa", 0.45),
    (r"Perizinan|Pelayanan", 0.45),
    (r"Pengadaan", 0.34),
    (r"APIP", 0.48),
    (r"\bASN\b", 0.34),
    (r"Pajak", 0.54),
    (r"Aset|BMD|Barang Milik", 0.42),
    (r"Perencanaan|Penganggaran", 0.26),
)
"""Share of sub-indicators lowered at verification by area (name), 2021 data (``verification-risk.md``):
harder areas are likelier to be returned or late in the sample."""


def _by_area_name(framework, table: tuple[tuple[str, object], ...], *, every: bool = False) -> dict[str, object]:
    """``{area code: value}`` from patterns on the area names, in the order of ``table``: the
    first area matching each pattern, or with ``every`` each area matching (first pattern wins)."""
    areas = framework.areas
    out: dict[str, object] = {}
    for pattern, value in table:
        for code, name in zip(areas["area_code"], areas["area_name"], strict=True):
            if code not in out and re.search(pattern, name, re.IGNORECASE):
                out[code] = value
                if not every:
                    break
    return out


def _month_end(month: int, year: int = 2023) -> dt.date:
    return (pd.Timestamp(year, month, 1) + pd.offsets.MonthEnd(0)).date()


def build_lubuklinggau(framework_dir: Path, seed: int = 20231031) -> tuple[str, dict[dt.date, pd.DataFrame]]:
    """``pemda.toml`` text and one status table per month-end, March to October 2023, with the
    verified score at about :data:`OCTOBER_TARGET` in October (see :func:`generate_snapshots`)."""
    tables = generate_snapshots(
        framework_dir,
        "kota",
        OCTOBER_TARGET,
        OCTOBER_CLAIM,
        seed=seed,
        reject_share=SAMPLE_REJECT_SHARE,
        partial_share=SAMPLE_PARTIAL_SHARE,
    )
    toml = pemda_toml(
        "Kota Lubuklinggau",
        "kota",
        "Sumatera Selatan",
        2023,
        90,
        dt.date(2023, 11, 30),
        note="Data contoh ilustratif, bukan data resmi KPK",
        final_scores={2021: 76, 2022: 87},
        opds=[Opd(name, cap) for name, cap in LUBUKLINGGAU_OPDS],
        header=SAMPLE_HEADER,
    )
    return toml, tables


# --- Kabupaten Musi Rawas (on the 2025 framework) -----------------------------------------------

SAMPLE_2025 = "kab-musi-rawas"
MUSI_RAWAS_OPDS = (
    ("Inspektorat", 60),
    ("Bapenda", 45),
    ("DPMPTSP", 35),
    ("BKPSDM", 35),
    ("BPKAD", 60),
    ("Bappeda", 45),
    ("Bagian PBJ", 35),
    ("Bagian Hukum", 20),
    ("Bagian Organisasi", 25),
    ("Sekretariat DPRD", 10),
    ("Diskominfo", 20),
    ("Dinas PUPR", 15),
)
"""Person-days per month: a kabupaten with 680 documents puts more people on MCP than a kota on 143."""
MUSI_RAWAS_OCTOBER = (58.0, 79.0)
"""Verified and claim score at the end of October 2025: about half the documents accepted and most
of the rest uploaded (2025 October dashboards: Prov. Kalteng 301 of 660 accepted, 98 pending)."""
MUSI_RAWAS_REJECT_SHARE, MUSI_RAWAS_PARTIAL_SHARE = 0.07, 0.08
"""About 7% of documents returned by October (Prov. Kalteng, 24 October 2025: 49 of 660)."""


def build_musi_rawas(framework_dir: Path, seed: int = 20251031) -> tuple[str, dict[dt.date, pd.DataFrame]]:
    """``pemda.toml`` text and monthly snapshots, March to October 2025, of an illustrative
    kabupaten on the 2025 framework (680 documents)."""
    tables = _kabupaten_snapshots(framework_dir, MUSI_RAWAS_OCTOBER, seed, 2025)
    toml = pemda_toml(
        "Kabupaten Musi Rawas",
        "kabupaten",
        "Sumatera Selatan",
        2025,
        85,
        dt.date(2025, 11, 30),
        note="Data contoh ilustratif pada kerangka MCP 2025 hasil rekonstruksi, bukan data resmi KPK",
        opds=[Opd(name, cap) for name, cap in MUSI_RAWAS_OPDS],
        header=SAMPLE_HEADER,
    )
    return toml, tables


def _kabupaten_snapshots(
    framework_dir: Path,
    october: tuple[float, float],
    seed: int,
    year: int,
    reject_notes: tuple[str, ...] = _REJECT_NOTES,
) -> dict[dt.date, pd.DataFrame]:
    """The monthly snapshots of a bundled sample kabupaten (:func:`generate_snapshots`): verified
    and claim score in October as ``october``, the verifier record of 2025 dashboards
    (:data:`MUSI_RAWAS_REJECT_SHARE`, :data:`MUSI_RAWAS_PARTIAL_SHARE`)."""
    verified, claim = october
    return generate_snapshots(
        framework_dir,
        "kabupaten",
        verified,
        claim,
        seed=seed,
        year=year,
        reject_share=MUSI_RAWAS_REJECT_SHARE,
        partial_share=MUSI_RAWAS_PARTIAL_SHARE,
        reject_notes=reject_notes,
    )


# --- Kabupaten Musi Banyuasin (on the 2026 transcription) ----------------------------------------

SAMPLE_2026 = "kab-musi-banyuasin"
MUSI_BANYUASIN_CAPACITY = {
    "Inspektorat": 30,
    "Sekda": 12,
    "Tim Anggaran/KLOP": 10,
    "Sekretariat Dewan": 6,
    "BPKD": 15,
    "BPKAD": 15,
    "UKPBJ": 12,
    "DPMPTSP": 10,
    "BKD/BPSDM": 10,
    "BKPSDM": 10,
    "Bapenda": 15,
}
"""Person-days per month of the OPDs the 2026 framework names (others: :data:`MUSI_BANYUASIN_OTHER`):
129 rows, about the 143 documents Kota Lubuklinggau's capacities are sized for."""
MUSI_BANYUASIN_OTHER = 6
MUSI_BANYUASIN_OCTOBER = (60.0, 80.0)
"""Verified and claim score at the end of October 2026 *as document points* (the calibration of
:func:`generate_snapshots`); the score by each indicator's method differs (tests/sample)."""
REALISATION_2026 = {"AMBANG_REALISASI": (30.0, 75.0), "AMBANG_PROPORSIONAL": (15.0, 50.0)}
"""The realisation (percent of the pemda's own target) reached at the end of March and of October
2026, rising evenly between: local tax collected, tax arrears collected."""
_REJECT_NOTES_2026 = (
    "dokumen belum ditandatangani kepala daerah",
    "tautan publikasi tidak dapat diakses verifikator",
    "data tidak mencakup TA 2026 s.d. semester 1",
    "bukti dukung tidak sesuai indikator",
    "belum ada bukti tindak lanjut",
)


def build_musi_banyuasin(framework_dir: Path, seed: int = 20261031) -> tuple[str, dict[dt.date, pd.DataFrame]]:
    """``pemda.toml`` text and monthly snapshots, March to October 2026, of an illustrative
    kabupaten on the 2026 framework (the public transcription): statuses as for the other samples
    (the status rows of outside-system indicators too) and a rising ``realisasi`` on the rows of
    the items scored by their realisation (:data:`REALISATION_2026`)."""
    tables = _kabupaten_snapshots(framework_dir, MUSI_BANYUASIN_OCTOBER, seed, 2026, _REJECT_NOTES_2026)
    fw = load_framework(framework_dir)
    tables = {date: _with_realisation(table, fw, date.month) for date, table in tables.items()}
    opds = [Opd(name, MUSI_BANYUASIN_CAPACITY.get(name, MUSI_BANYUASIN_OTHER)) for name in fw.default_opds("kabupaten")]
    toml = pemda_toml(
        "Kabupaten Musi Banyuasin",
        "kabupaten",
        "Sumatera Selatan",
        2026,
        85,
        dt.date(2026, 11, 30),
        note="Data contoh ilustratif pada kerangka MCSP 2026 dari transkripsi publik, bukan data resmi KPK",
        opds=opds,
        header=SAMPLE_HEADER,
    )
    return toml, tables


def _with_realisation(table: pd.DataFrame, fw: Framework, month: int, first: int = 3, last: int = 10) -> pd.DataFrame:
    """``table`` with a ``realisasi`` column after ``verified_points``: on the rows of an item
    scored by its realisation, the value :data:`REALISATION_2026` gives its method at ``month``
    (rising evenly from ``first`` to ``last``, one decimal); blank elsewhere."""
    item = table["doc_code"].map(dict(zip(fw.documents["doc_code"], fw.documents["subindicator_code"], strict=True)))
    method = item.map({code: m.name for code, m in fw.methods.items()})
    reached = np.full(len(table), np.nan)
    for name, (start, end) in REALISATION_2026.items():
        reached[(method == name).to_numpy()] = round(start + (end - start) * (month - first) / (last - first), 1)
    out = table.copy()
    out.insert(out.columns.get_loc("verified_points") + 1, "realisasi", reached)
    return out


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
    reject_share: float = 0.083,
    partial_share: float = 0.15,
    reject_notes: tuple[str, ...] = _REJECT_NOTES,
) -> dict[dt.date, pd.DataFrame]:
    """One status table per month-end of ``year``, ``first_month`` to ``last_month``.

    The last month's state is drawn first (rejected, awaiting verification, in preparation, not
    started, blocked: :func:`_reject_and_block`) and the verified documents are added in a random
    order until the verified score reaches ``verified_target`` (:func:`_verify`); the last one is
    partly verified to land within ±0.5. With ``claim_target``, documents awaiting verification
    are added until the claim score reaches it (otherwise about two thirds of the rest are
    awaiting: :func:`_leave_the_rest`). Each document then gets a timeline (prepared → uploaded →
    verified in a verification window) consistent with its final state (:func:`_timeline`), from
    which the earlier months are read off (:func:`_month_table`); a returned document's note is
    one of ``reject_notes``.
    """
    rng = np.random.default_rng(seed)
    fw = load_framework(framework_dir)
    docs = fw.documents.copy()
    docs["applicable"] = fw.applies(kind).to_numpy()
    docs["weight"] = effective_weights(docs, levels=fw.levels)
    app = docs[docs["applicable"]].reset_index(drop=True)
    blockers = _by_area_name(fw, _BLOCKERS)
    story = _reject_and_block(app, rng, _by_area_name(fw, _PRIORS, every=True), blockers, reject_share)
    score = _verify(story, app, rng, verified_target, partial_share)
    _leave_the_rest(story, app, score, claim_target)
    timeline = _timeline(story, rng, first_month, last_month, reject_notes)
    return {
        _month_end(m, year): _month_table(app, story, timeline, blockers, m, first_month, year)
        for m in range(first_month, last_month + 1)
    }


@dataclass
class _Story:
    """How the year ends for each applicable document (by its position in the table)."""

    state: np.ndarray
    """The last month's status."""
    verified: np.ndarray
    """Verified points in the last month (also those of a rejected document accepted in part)."""
    rejected: list[int]
    blocked: list[int]
    """One document of each area with a blocker outside the pemda (:data:`_BLOCKERS`)."""
    remaining: list[int]
    """The others, in the order they are verified, then uploaded, prepared or not started."""


class _Timeline(NamedTuple):
    """Each document's months (99: never) and the rest of its row."""

    prepared: np.ndarray
    uploaded: np.ndarray
    decided: np.ndarray
    effort: np.ndarray
    due: np.ndarray
    note: list[str]


def _reject_and_block(
    app: pd.DataFrame,
    rng: np.random.Generator,
    priors: dict[str, object],
    blockers: dict[str, object],
    reject_share: float,
) -> _Story:
    """Every document verified to start with; ``reject_share`` of them rejected, harder areas
    (higher share lowered at verification, ``priors``) likelier, half of those accepted in part;
    one document blocked in each area of ``blockers``."""
    n = len(app)
    points = app["points"].to_numpy(dtype=float)
    area = app["area_code"].to_numpy()
    state = np.array([DIVERIFIKASI] * n, dtype=object)
    verified = np.zeros(n)
    order = rng.permutation(n)
    risk = app["area_code"].map(priors).fillna(0.4).to_numpy()
    by_risk = sorted(order, key=lambda i: -(risk[i] + rng.uniform(0, 0.5)))
    n_rejected = round(reject_share * n)
    rejected, rest = by_risk[:n_rejected], by_risk[n_rejected:]
    for i in rejected:
        state[i] = PERLU_PERBAIKAN
        if rng.uniform() < 0.5:
            verified[i] = float(np.floor(points[i] * rng.uniform(0.2, 0.5)))
    blocked = [next(i for i in rest if area[i] == blocked_area) for blocked_area in blockers]
    remaining = [i for i in rest if i not in blocked]
    return _Story(state, verified, rejected, blocked, remaining)


def _verify(story: _Story, app: pd.DataFrame, rng: np.random.Generator, target: float, partial_share: float) -> float:
    """Verify the remaining documents in order (``partial_share`` of them in part) until the
    verified score is within 0.25 of ``target``, the last one cut to land there; the documents
    left stay in ``story.remaining``. Returns the verified score."""
    points = app["points"].to_numpy(dtype=float)
    weight = app["weight"].to_numpy(dtype=float)
    score = float((story.verified * app["weight"]).sum())
    done = []
    for i in story.remaining:
        if score >= target - 0.25:
            break
        full = points[i]
        pts = full if rng.uniform() > partial_share else float(np.floor(full * rng.uniform(0.5, 0.8)))
        gain = pts * weight[i]
        if score + gain > target + 0.25:
            pts = float(np.clip(np.round((target - score) / weight[i]), 1, full))
            gain = pts * weight[i]
        story.verified[i] = pts
        score += gain
        done.append(i)
    story.remaining = [i for i in story.remaining if i not in done]
    return score


def _leave_the_rest(story: _Story, app: pd.DataFrame, score: float, claim_target: float | None) -> None:
    """The documents not verified: uploaded (awaiting verification) until the claim score reaches
    ``claim_target`` (or about two thirds of them without one), then in preparation or not
    started; the blocked ones in preparation or not started by turns."""
    state, others, k = story.state, story.remaining, len(story.remaining)
    if claim_target is None:
        for j, i in enumerate(others):
            state[i] = DIUNGGAH if j < k * 0.65 else (DISIAPKAN if j < k * 0.85 else BELUM)
    else:
        gains = app["points"].to_numpy(dtype=float) * app["weight"].to_numpy(dtype=float)
        claim = score
        waiting = 0
        for i in others:
            if claim >= claim_target - 0.25:
                break
            state[i] = DIUNGGAH
            claim += gains[i]
            waiting += 1
        for j, i in enumerate(others[waiting:]):
            state[i] = DISIAPKAN if j < (k - waiting) * 0.57 else BELUM
    for j, i in enumerate(story.blocked):
        state[i] = DISIAPKAN if j % 2 else BELUM


def _timeline(
    story: _Story, rng: np.random.Generator, first: int, last: int, notes: tuple[str, ...] = _REJECT_NOTES
) -> _Timeline:
    """Months consistent with each document's final state: prepared, uploaded, verified or
    rejected (verification windows are the last six months, uploads awaiting verification the
    last four); the effort, the due month and a rejected document's note."""
    state = story.state
    n = len(state)
    verify_months = tuple(range(max(first, last - 5), last + 1))
    verify_p = np.array((0.1, 0.15, 0.15, 0.2, 0.2, 0.2)[-len(verify_months) :])
    s_m = np.full(n, 99)
    u_m = np.full(n, 99)
    v_m = np.full(n, 99)
    for i in range(n):
        if state[i] in DECIDED:
            v_m[i] = rng.choice(verify_months, p=verify_p / verify_p.sum())
            u_m[i] = rng.integers(first, v_m[i] + 1)
        elif state[i] == DIUNGGAH:
            u_m[i] = rng.integers(max(first, last - 3), last + 1)
        if state[i] != BELUM:
            s_m[i] = max(first, min(u_m[i], last) - int(rng.integers(0, 3)))
    effort = np.clip(np.round(rng.gamma(2.2, 2.2, n)), 1, 20)
    due_m = np.where(u_m < 99, u_m, rng.choice((last - 2, last - 1, last, last + 1, last + 1, last + 2, last + 2), n))
    note = [""] * n
    for i in story.rejected:
        note[i] = notes[int(rng.integers(len(notes)))]
        due_m[i] = rng.choice((last - 1, last, last + 1, last + 1, last + 2))
    return _Timeline(s_m, u_m, v_m, effort, due_m, note)


def _month_table(
    app: pd.DataFrame,
    story: _Story,
    timeline: _Timeline,
    blockers: dict[str, object],
    month: int,
    first: int,
    year: int,
) -> pd.DataFrame:
    """The status table at the end of ``month``, read off the timelines (a blocked document shows
    its blocker from the fourth month)."""
    n = len(app)
    s_m, u_m, v_m = timeline.prepared, timeline.uploaded, timeline.decided
    st = np.where(month >= v_m, story.state, np.where(month >= u_m, DIUNGGAH, np.where(month >= s_m, DISIAPKAN, BELUM)))
    vp = np.where((month >= v_m) & np.isin(st, DECIDED), story.verified, np.nan)
    area = app["area_code"].to_numpy()
    blocker = ["" for _ in range(n)]
    for i in story.blocked:
        if month >= first + 3:
            blocker[i] = blockers[area[i]]
    table = pd.DataFrame(
        {
            "doc_code": app["doc_code"],
            "opd": app["default_opd"],
            "status": st,
            "verified_points": vp,
            "effort_days": timeline.effort,
            "due_date": [_month_end(int(min(dm, 12)), year) for dm in timeline.due],
            "blocker": blocker,
            "note": [timeline.note[i] if st[i] == PERLU_PERBAIKAN else "" for i in range(n)],
        }
    )
    return table


def pemda_list(province: str | None = None) -> pd.DataFrame:
    """Kabupaten/kota of the reference file (all, or one province's), with ``slug``, ``name``
    (``Kabupaten X`` / ``Kota X``), ``kind``, ``province``, ``mean_claim`` and ``mean_verified``.

    Raises
    ------
    InputError
        For a province that is not in the file (the message lists those that are).
    """
    from mcp_lib.errors import InputError

    ref = pd.read_csv(CLAIMS_CSV, dtype={"province_code": str, "pemda_code": str})
    if province is not None:
        known = sorted(ref["province"].unique())
        match = [p for p in known if p.lower() == province.strip().lower()]
        if not match:
            raise InputError.one(
                "--province",
                "provinsi tidak ada di data rujukan",
                value=province,
                expected="salah satu: " + ", ".join(known),
            )
        ref = ref[ref["province"] == match[0]]
    kind = np.where(ref["pemda"].str.startswith("Kota"), "kota", "kabupaten")
    name = ref["pemda"].str.replace(r"^Kab\.\s*", "Kabupaten ", regex=True)
    return pd.DataFrame(
        {
            "slug": ref["pemda"].map(text.slugify),
            "name": name,
            "kind": kind,
            "province": ref["province"],
            "code": ref["province_code"] + ref["pemda_code"],
            "mean_claim": ref["mean_claim"],
            "mean_verified": ref["mean_verified"],
        }
    ).reset_index(drop=True)


def generate_pemda_folders(
    province: str | None,
    out: Path = GENERATED_DIR,
    *,
    seed: int = 2023,
    first_month: int = 3,
    last_month: int = 10,
    framework_dir: Path | None = None,
    framework_year: int = 2023,
) -> list[Path]:
    """Write an illustrative pemda folder under ``<out>/pemda/`` for each kabupaten/kota of
    ``province`` (all of them when ``None``), deterministically from ``seed``.

    The last month's verified and claim scores are calibrated on the pemda's real mean verified
    and mean claimed sub-indicator values of 2020–21, on the bundled framework of
    ``framework_year`` (snapshots in that year; each kind of pemda gets the documents that apply to
    it, e.g. the Dana Desa area of 2023 for kabupaten only). A folder that exists without the
    :data:`GENERATED_MARKER` file (made by someone) is never touched: that is an error.
    """
    from mcp_lib.errors import InputError, Problem

    framework_dir = framework_dir or DATA_DIR / "frameworks" / f"mcp-{framework_year}"
    fw = load_framework(framework_dir)
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
        pemda_seed = seed * 1_000_003 + stable(r.code)
        rng = np.random.default_rng(pemda_seed)
        opds = [(name, int(rng.integers(4, 21))) for name, _ in LUBUKLINGGAU_OPDS]
        known = {name for name, _ in opds}
        opds += [(name, int(rng.integers(4, 21))) for name in fw.default_opds(r.kind) if name not in known]
        scale = len(fw.documents) / CAPACITY_DOCUMENTS  # more people on MCP for more documents
        opds = [(name, max(cap, round(cap * scale))) for name, cap in opds]
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
            year=fw.year,
        )
        folder = out / "pemda" / r.slug
        (folder / "status").mkdir(parents=True, exist_ok=True)
        for old in (folder / "status").glob("*.csv"):
            old.unlink()
        toml = pemda_toml(
            r.name,
            r.kind,
            r.province,
            fw.year,
            90,
            fw.upload_close or dt.date(fw.year, 12, 31),
            note=f"Data contoh hasil generator, bukan data resmi KPK (kalibrasi: klaim {r.mean_claim:.1f}, "
            f"terverifikasi {r.mean_verified:.1f} dari data MCP 2020-21)",
            opds=[Opd(name, cap) for name, cap in opds],
            header=["ILLUSTRATIVE GENERATED DATA - not KPK data (mcp sample)."],
        )
        (folder / "pemda.toml").write_text(toml, encoding="utf-8")
        (folder / GENERATED_MARKER).write_text(f"seed = {seed}\n", encoding="utf-8")
        for date, table in tables.items():
            _write_csv(table, folder / "status" / f"{date:%Y-%m-%d}.csv")
        written.append(folder)
    return written


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, lineterminator="\n", float_format="%g")


def _framework_toml(year: int) -> str:
    """``framework.toml`` of the bundled 2023 and 2024 frameworks: year, label, published calendar."""
    close, final, why = KNOWN_CALENDARS[year]
    return (
        f'year = {year}\nlabel = "MCP {year} (rekonstruksi, bukan data resmi KPK)"\n'
        f"# {why}\nupload_close = {close.isoformat()}\nfinal_date = {final.isoformat()}\n"
    )


BUNDLED_FRAMEWORKS: tuple[tuple[int, Callable[[], tuple[pd.DataFrame, ...]], str, Callable[[], str]], ...] = (
    (2023, build_framework_2023, FRAMEWORK_README, lambda: _framework_toml(2023)),
    (2024, build_framework_2024, FRAMEWORK_README_2024, lambda: _framework_toml(2024)),
    (2025, build_framework_2025, FRAMEWORK_README_2025, framework_toml_2025),
    (2026, build_framework_2026, FRAMEWORK_README_2026, framework_toml_2026),
)
"""Each bundled framework: its year, builder, README and ``framework.toml``."""
BUNDLED_SAMPLES = (
    (
        "kota-lubuklinggau",
        build_lubuklinggau,
        2023,
        "# Kota Lubuklinggau (ILLUSTRATIVE SAMPLE DATA)\n\n"
        "Invented monthly snapshots (March to October 2023) for trying the MCP Workbook. The names of\n"
        "the city and its agencies are real; every status, score, date and note is made up and is\n"
        "**not KPK data**. Generated by `python -m mcp_lib.sample`.\n",
    ),
    (
        SAMPLE_2025,
        build_musi_rawas,
        2025,
        "# Kabupaten Musi Rawas (ILLUSTRATIVE SAMPLE DATA)\n\n"
        "Invented monthly snapshots (March to October 2025) on the bundled MCP 2025 framework, which is\n"
        "itself a reconstruction (680 documents for a kabupaten). The names of the kabupaten and its\n"
        "agencies are real; every status, score, date and note is made up and is **not KPK data**.\n"
        "Generated by `python -m mcp_lib.sample`.\n",
    ),
    (
        SAMPLE_2026,
        build_musi_banyuasin,
        2026,
        "# Kabupaten Musi Banyuasin (ILLUSTRATIVE SAMPLE DATA)\n\n"
        "Invented monthly snapshots (March to October 2026) on the bundled MCSP 2026 framework, which is\n"
        "built from a public transcription of the 2026 guideline and is provisional (125 documents and\n"
        "4 status rows; each indicator scored by its own method). The `realisasi` column holds the\n"
        "invented realisation of the two items scored by it (tax collected, 30% of the target in March\n"
        "to 75% in October; tax arrears collected, 15% to 50%). The names of the kabupaten and of the\n"
        "agencies are real or taken from the transcription; every status, score, date and note is made\n"
        "up and is **not KPK data**. Generated by `python -m mcp_lib.sample`.\n",
    ),
)
"""Each bundled sample pemda: its folder, builder, framework year and README."""


def write_bundled(data_dir: Path = DATA_DIR) -> list[Path]:
    """Regenerate the bundled frameworks (:data:`BUNDLED_FRAMEWORKS`: 2023 to 2026) and the sample
    pemda (:data:`BUNDLED_SAMPLES`: Kota Lubuklinggau on 2023, Kabupaten Musi Rawas on 2025,
    Kabupaten Musi Banyuasin on 2026) under ``data_dir``."""
    written = []
    for year, build, readme, toml in BUNDLED_FRAMEWORKS:
        folder = data_dir / "frameworks" / f"mcp-{year}"
        folder.mkdir(parents=True, exist_ok=True)
        fw, ev, bands = build()
        for name, frame in (("framework.csv", fw), ("evidence.csv", ev), ("bands.csv", bands)):
            _write_csv(frame, folder / name)
            written.append(folder / name)
        (folder / "framework.toml").write_text(toml(), encoding="utf-8")
        (folder / "README.md").write_text(readme, encoding="utf-8")
        written += [folder / "framework.toml", folder / "README.md"]
    for slug, build_pemda, year, readme in BUNDLED_SAMPLES:
        pemda_dir = data_dir / "pemda" / slug
        (pemda_dir / "status").mkdir(parents=True, exist_ok=True)
        toml_text, tables = build_pemda(data_dir / "frameworks" / f"mcp-{year}")
        (pemda_dir / "pemda.toml").write_text(toml_text, encoding="utf-8")
        (pemda_dir / "README.md").write_text(readme, encoding="utf-8")
        written += [pemda_dir / "pemda.toml", pemda_dir / "README.md"]
        for date, table in tables.items():
            path = pemda_dir / "status" / f"{date:%Y-%m-%d}.csv"
            _write_csv(table, path)
            written.append(path)
    return written
