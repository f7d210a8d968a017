"""Verification risk: how much of what a pemda uploads the verifier accepts by the final date.

The layered model of ``data/reference/verification-risk.md`` (calibrated on the 2021 KPK MCP
data of 506 kabupaten/kota; see :func:`simulate_2021`). Per simulation draw:

1. **Pemda effect** ``b ~ Normal(0, pemda_sd²)`` on the logit scale, shared by every document
   of the pemda (a pemda whose evidence is weak is weak everywhere).
2. **Structural zero** per sub-indicator with probability ``structural_zero × area multiplier``
   (shifted by ``b``): the sub-indicator's uncertain documents all count 0 (no early tender took
   place, no authority for an RDTR: no revision can fix it).
3. Otherwise each document **falls short** with probability ``q × area multiplier`` (shifted by
   ``b``), ``q = 1 − sub_survive^(1/k)`` with ``k`` the applicable documents of its
   sub-indicator: the year-end share of sub-indicators with no document short is
   ``sub_survive`` whatever the number of documents.
4. A short document is worth 0 with probability ``zero_share``, else ``partial_credit`` of its
   points.
5. **Re-upload**: a short document is fixed and accepted in full with probability
   ``r(m) = fixable × (1 − exp(−m / fix_months))``, ``m`` the months from its upload to the
   upload close. Steps 2–4 are year-end (late upload) shares, so for an upload ``m`` months
   before the close both probabilities are multiplied by ``1 − r(m)``.
6. By status: awaiting verification (``diunggah``) and newly planned documents follow 1–5;
   a returned document (``perlu_perbaikan``, or verified below its maximum) has a known problem:
   it is accepted in full with probability ``fixable_returned × (1 − exp(−m / fix_months))``
   (failure shifted by ``b``), else keeps what it has; verified points carry a small QA risk
   (``qa_risk`` chance of losing between ``qa_loss_min`` and ``qa_loss_max`` of their value).
7. **Blockers**: one draw per blocker (the text of the ``blocker`` column), shared by every
   document it holds up, clearing by the close with the probability of :data:`BLOCKER_CLEAR`
   (or the pemda's own figure); a document whose blocker does not clear gains nothing.

Every parameter is a field of :class:`RiskParams`, documented with its source in
:data:`PARAMETERS`, and can be overridden in the pemda's ``pemda.toml`` (table ``[risiko]``).
The draws are vectorised (numpy) and reproducible (fixed seed); the pemda effect is sampled in
equal-probability strata so that 10,000 draws of a 700-document framework take tens of
milliseconds.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.special import expit, logit, ndtri

from mcp_lib.errors import InputError, Problem

DAYS_PER_MONTH = 30.4375
"""The mean month, in days (months are measured as days / 30.4375 everywhere)."""


def months_between(start: dt.date, end: dt.date) -> float:
    """Months from ``start`` to ``end`` (negative when ``end`` is earlier)."""
    return (end - start).days / DAYS_PER_MONTH


# --- parameters -------------------------------------------------------------------------------

AREA_MULTIPLIERS: tuple[tuple[str, str, float], ...] = (
    ("pajak", r"pajak", 1.53),
    ("aset", r"aset|bmd|barang milik", 1.19),
    ("apip", r"apip|pengawasan", 1.10),
    ("perizinan", r"perizinan|ptsp", 0.97),
    ("pbj", r"pengadaan|pbj", 0.97),
    ("asn", r"\basn\b|kepegawaian", 0.95),
    ("dana desa", r"dana desa", 0.89),
    ("perencanaan", r"perencanaan|penganggaran", 0.74),
)
"""``(key, pattern on the area name, multiplier)``: the share of sub-indicator records lowered
at verification in the area over the pooled share 0.354 (2021 KPK MCP data, 55,949 records;
Pajak 0.541, Aset 0.423, APIP 0.390, Perizinan 0.345, PBJ 0.343, ASN 0.336, Dana Desa 0.316,
Perencanaan & Penganggaran 0.261). An area matching none (e.g. Pelayanan Publik, new in 2024)
gets :attr:`RiskParams.default_multiplier`."""

BLOCKER_CLEAR: tuple[tuple[str, str, float], ...] = (
    ("bpn", r"\bbpn\b|sertifika|pertanahan|tanah", 0.3),
    ("kemendagri", r"kemendagri|evaluasi apbd|registrasi|\bnoreg\b", 0.75),
)
"""``(key, pattern on the blocker text, chance it clears by the close)``: midpoints of the
ranges in ``verification-risk.md`` (land certificates from BPN 0.2–0.4, still open on
9 December in one reported case; Kemendagri APBD evaluation or registration number 0.6–0.9).
Other blockers get :attr:`RiskParams.blocker_default`."""


@dataclass(frozen=True)
class RiskParams:
    """The parameters of the verification-risk model (defaults: ``verification-risk.md``).

    Probabilities are 0–1, months are mean months (30.4375 days). See :data:`PARAMETERS` for
    what each one means and where its default comes from.
    """

    pemda_sd: float = 0.7
    structural_zero: float = 0.06
    sub_survive: float = 0.70
    zero_share: float = 0.3
    partial_credit: float = 0.5
    fixable: float = 0.5
    fix_months: float = 0.75
    fixable_returned: float = 0.7
    qa_risk: float = 0.015
    qa_loss_min: float = 0.1
    qa_loss_max: float = 0.5
    default_multiplier: float = 1.0
    blocker_default: float = 0.5
    completion_max: float = 0.85
    completion_months: float = 3.0
    completion_concentration: float = 12.0
    surge: float = 2.0
    awaiting_share: float = 0.19
    returned_share: float = 0.18
    composition_concentration: float = 3.0
    verify_lag_months: float = 0.35
    certain: bool = False
    """No verification risk at all: every document accepted in full, every blocker cleared (the
    plan "if every document is accepted"; not a ``pemda.toml`` setting)."""
    area_multiplier: tuple[tuple[str, float], ...] = field(default=())
    """Overrides by area code or by a key of :data:`AREA_MULTIPLIERS` (``pajak``, ``aset``, ...)."""
    blocker_clear: tuple[tuple[str, float], ...] = field(default=())
    """Overrides: ``(text, chance)``, for blockers whose text contains ``text`` (any case)."""

    def multiplier(self, area_code: str, area_name: str) -> float:
        """The area's multiplier: an override for its code or key, else the built-in table."""
        own = dict(self.area_multiplier)
        if area_code in own:
            return own[area_code]
        low = str(area_name).lower()
        for key, pattern, value in AREA_MULTIPLIERS:
            if re.search(pattern, low):
                return own.get(key, value)
        return self.default_multiplier

    def clear_chance(self, blocker: str) -> float:
        """Chance a blocker (its text) clears by the upload close."""
        low = str(blocker).lower()
        for text, value in self.blocker_clear:
            if text.lower() in low:
                return value
        for _key, pattern, value in BLOCKER_CLEAR:
            if re.search(pattern, low):
                return value
        return self.blocker_default

    def short_probability(self, k: np.ndarray | float) -> np.ndarray:
        """Year-end chance a document falls short, before area multiplier and pemda effect:
        ``1 − sub_survive^(1/k)`` for ``k`` applicable documents in its sub-indicator."""
        k = np.maximum(np.asarray(k, float), 1.0)
        return 1.0 - self.sub_survive ** (1.0 / k)

    def completion(self, months: np.ndarray | float) -> np.ndarray:
        """Expected share of the documents not yet uploaded that a typical pemda uploads with
        ``months`` left before the close (the forecast when the pemda's own pace is unknown)."""
        m = np.maximum(np.asarray(months, float), 0.0)
        return self.completion_max * (1.0 - np.exp(-m / self.completion_months))

    def reupload(self, months: np.ndarray | float, returned: bool = False) -> np.ndarray:
        """Chance a shortfall is fixed and accepted in full with ``months`` left before the close."""
        share = self.fixable_returned if returned else self.fixable
        m = np.maximum(np.asarray(months, float), 0.0)
        return share * (1.0 - np.exp(-m / self.fix_months))


@dataclass(frozen=True)
class Parameter:
    """Documentation of one parameter: what it means (Bahasa Indonesia), source, valid range."""

    name: str
    meaning: str
    source: str
    low: float
    high: float


PARAMETERS: tuple[Parameter, ...] = (
    Parameter("pemda_sd", "sebaran efek pemda (skala logit), sama untuk semua dokumen satu pemda",
              "2021: tanpa efek ini sebaran rasio terverifikasi/klaim antar-pemda 5× terlalu sempit", 0, 3),
    Parameter("structural_zero", "peluang satu sub-indikator bernilai 0 seluruhnya (tidak bisa diperbaiki)",
              "2021: nilai 0 terverifikasi ≈ 11% vs klaim ≈ 4%; sub-indikator jatuh ke 0 bersama", 0, 0.5),
    Parameter("sub_survive", "bagian sub-indikator tanpa satu pun dokumen kurang di akhir tahun",
              "2021: 35,4% catatan sub-indikator diturunkan verifikator", 0.05, 1),
    Parameter("zero_share", "peluang dokumen yang kurang bernilai 0 (selebihnya nilai sebagian)",
              "2021: histogram nilai; catatan diturunkan menyimpan ≈ 52% klaimnya", 0, 1),
    Parameter("partial_credit", "bagian poin yang diberikan untuk dokumen yang kurang (nilai sebagian)",
              "2021: κ ≈ 0,52; catatan 2024: klaim 30, diverifikasi 50", 0, 1),
    Parameter("fixable", "bagian kekurangan yang dapat diperbaiki dengan unggah ulang",
              "laporan 2022–2025: unggah ulang rutin sampai batas unggah; perkiraan", 0, 1),
    Parameter("fix_months", "waktu khas (bulan) satu putaran perbaikan dan verifikasi ulang",
              "verifikasi 1–21 hari (catatan 2024); perkiraan", 0.05, 12),
    Parameter("fixable_returned", "bagian dokumen 'perlu perbaikan' yang dapat diperbaiki",
              "catatan verifikator menyebut masalahnya; perkiraan", 0, 1),
    Parameter("qa_risk", "peluang dokumen yang sudah diverifikasi turun nilainya di QA akhir",
              "Kendari 2021: tiga area turun 0,2–0,5 poin di QA akhir", 0, 0.2),
    Parameter("qa_loss_min", "kehilangan terkecil bila QA menurunkan nilai (bagian nilai)", "perkiraan", 0, 1),
    Parameter("qa_loss_max", "kehilangan terbesar bila QA menurunkan nilai (bagian nilai)", "perkiraan", 0, 1),
    Parameter("default_multiplier", "pengali risiko untuk area yang tidak ada di data 2021 (mis. Pelayanan Publik)",
              "rata-rata semua area", 0, 3),
    Parameter("blocker_default", "peluang hambatan pihak luar yang tidak dikenal teratasi sebelum batas unggah",
              "tidak ada informasi: 0,5", 0, 1),
    Parameter("completion_max", "bagian terbesar dokumen terbuka yang diunggah sampai batas unggah (juga batas atas proyeksi menurut laju)",
              "klaim akhir tahun 2021: rata-rata 82,1 dari unggahan Maret–Desember = 0,85 × (1 − e^(−10/3))", 0, 1),
    Parameter("completion_months", "konstanta waktu (bulan) penyelesaian unggahan: sisa waktu m bulan memberi completion_max × (1 − e^(−m/konstanta))",
              "pasangan nilai sementara–final (data/reference/provisional-final-pairs.csv): 77% celah tertutup ≥ 4 bulan sebelum batas", 0.1, 24),
    Parameter("completion_concentration", "konsentrasi sebaran Beta bagian yang diunggah (kecil = pemda lebih beragam)",
              "sebaran klaim akhir 2021 antar-pemda: kuantil 5/25/50/75/95% = 55/78/86/90/96", 0.5, 500),
    Parameter("surge", "laju unggah pada bulan terakhir sebelum batas unggah, dibanding laju rata-rata snapshot",
              "dasbor 2025: Kalteng 446 dari 660 dokumen pada 24 Oktober (≈ 65/bulan), akhir tahun 89; perkiraan", 0.5, 10),
    Parameter("awaiting_share", "rata-rata bagian poin yang belum terverifikasi yang menunggu verifikasi, bila klaim tidak diketahui",
              "dasbor 2025: Kalteng 24 Oktober 98 dari 359 dokumen belum diterima (27%), PALI 9 Desember 11 dari 103 (11%)", 0.001, 0.999),
    Parameter("returned_share", "bagian poin yang belum terverifikasi yang dikembalikan verifikator",
              "dasbor 2025: Kalteng 49 dari 359 (14%), PALI 24 dari 103 (23%)", 0, 0.999),
    Parameter("composition_concentration", "konsentrasi sebaran Beta bagian yang menunggu verifikasi bila klaim tidak diketahui (kecil = sangat tidak pasti)",
              "dua dasbor 2025 (27% dan 11% dari yang belum diterima); dikalibrasi pada pasangan nilai sementara–final", 0.5, 500),
    Parameter("verify_lag_months", "waktu verifikasi sesudah unggah (bulan), untuk jalur per bulan",
              "catatan 2024: verifikasi 1–21 hari", 0, 3),
)  # fmt: skip
"""One entry per scalar field of :class:`RiskParams`, in the order of ``verification-risk.md``."""
_PARAM = {p.name: p for p in PARAMETERS}


def toml_line(text: str, table: str, key: str) -> int | None:
    """Line (1-based) where ``key`` is set inside ``[table]`` of a TOML text, if found; also as a
    dotted key (``risiko.pemda_sd = ...``) or in an inline table (``risiko = {pemda_sd = ...}``)."""
    current = None
    pattern = re.compile(r'^\s*"?' + re.escape(key) + r'"?\s*=')
    parts = [re.escape(p) for p in table.split(".")]
    dotted = re.compile(r"^\s*" + r"\s*\.\s*".join([*parts, '"?' + re.escape(key) + '"?']) + r"\s*=")
    inline = re.compile(r"^\s*" + r"\s*\.\s*".join(parts) + r"\s*=\s*\{.*\b" + re.escape(key) + r"\b")
    for i, line in enumerate(text.splitlines(), start=1):
        head = re.match(r"^\s*\[+\s*([^\]]+?)\s*\]+", line)
        if head:
            current = head.group(1).replace('"', "").strip()
            continue
        if (current == table and pattern.match(line)) or dotted.match(line) or inline.match(line):
            return i
    return None


def _toml_table_line(text: str, table: str) -> int | None:
    for i, line in enumerate(text.splitlines(), start=1):
        head = re.match(r"^\s*\[+\s*([^\]]+?)\s*\]+", line)
        if head and head.group(1).replace('"', "").strip() == table:
            return i
    return None


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def params_from_toml(table: object, path: str, text: str = "") -> RiskParams:
    """:class:`RiskParams` from the ``[risiko]`` table of a ``pemda.toml`` (``text`` is the
    file's text, to name the line of a bad value).

    Keys: the scalar parameters of :data:`PARAMETERS`; ``[risiko.area]`` (area code or area key
    → multiplier); ``[risiko.hambatan]`` (text in the blocker column → chance it clears).

    Raises
    ------
    InputError
        For unknown keys, values that are not numbers or lie outside the parameter's range, and
        ``qa_loss_min`` above ``qa_loss_max``; each names the file, line and key.
    """
    problems: list[Problem] = []
    if not isinstance(table, dict):
        raise InputError.one(
            path,
            "bagian [risiko] tidak sah",
            row=_toml_table_line(text, "risiko"),
            column="risiko",
            value=table,
            expected="tabel [risiko] berisi baris seperti pemda_sd = 0.7",
        )
    values: dict[str, object] = {}
    areas: list[tuple[str, float]] = []
    blockers: list[tuple[str, float]] = []
    for key, value in table.items():
        line = toml_line(text, "risiko", key)
        if key in ("area", "hambatan"):
            sub = f"risiko.{key}"
            if not isinstance(value, dict):
                problems.append(
                    Problem(path, f"bagian [{sub}] tidak sah", row=_toml_table_line(text, sub) or line, column=sub,
                            value=value, expected=f"tabel [{sub}] berisi baris seperti "
                            + ('A6 = 1.5 (kode area = pengali)' if key == 'area' else '"BPN" = 0.3'))
                )  # fmt: skip
                continue
            for name, v in value.items():
                sub_line = toml_line(text, sub, name)
                high = 5.0 if key == "area" else 1.0
                if not _number(v) or not 0 <= v <= high:
                    problems.append(
                        Problem(path, "nilai risiko tidak sah", row=sub_line, column=f"{sub}.{name}", value=v,
                                expected=f"angka {0}–{high:g}"
                                + (" (pengali risiko area)" if key == "area" else " (peluang hambatan teratasi)"))
                    )  # fmt: skip
                elif not str(name).strip():
                    problems.append(Problem(path, "kunci kosong", row=sub_line, column=sub))
                else:
                    (areas if key == "area" else blockers).append((str(name).strip(), float(v)))
            continue
        spec = _PARAM.get(key)
        if spec is None:
            import difflib

            near = difflib.get_close_matches(str(key), list(_PARAM), n=1)
            problems.append(
                Problem(path, "parameter risiko tidak dikenal" + (f" (maksud Anda {near[0]}?)" if near else ""),
                        row=line, column=f"risiko.{key}",
                        expected="salah satu dari: " + ", ".join(p.name for p in PARAMETERS) + ", [risiko.area], [risiko.hambatan]")
            )  # fmt: skip
            continue
        if not _number(value) or not spec.low <= value <= spec.high:
            quoted = isinstance(value, str) and re.fullmatch(r"\s*-?\d+([.,]\d+)?\s*", value)
            problems.append(
                Problem(path, "nilai parameter risiko tidak sah", row=line, column=f"risiko.{key}", value=value,
                        expected=f"angka {spec.low:g}–{spec.high:g} ({spec.meaning})"
                        + ("; tulis angkanya tanpa tanda kutip, desimal dengan titik" if quoted else ""))
            )  # fmt: skip
            continue
        values[key] = float(value)
    lo = values.get("qa_loss_min", RiskParams.qa_loss_min)
    hi = values.get("qa_loss_max", RiskParams.qa_loss_max)
    if lo > hi:
        problems.append(
            Problem(path, "qa_loss_min lebih besar dari qa_loss_max", row=toml_line(text, "risiko", "qa_loss_min"),
                    column="risiko.qa_loss_min", value=lo, expected=f"paling besar {hi:g}")
        )  # fmt: skip
    if problems:
        raise InputError(problems)
    return RiskParams(**values, area_multiplier=tuple(areas), blocker_clear=tuple(blockers))


def changed_parameters(params: RiskParams) -> list[tuple[str, float, float]]:
    """``(name, default, value)`` of every scalar parameter that differs from the default."""
    base = RiskParams()
    return [
        (p.name, getattr(base, p.name), getattr(params, p.name))
        for p in PARAMETERS
        if getattr(params, p.name) != getattr(base, p.name)
    ]


# --- the calendar ----------------------------------------------------------------------------

KNOWN_CALENDARS: dict[int, tuple[dt.date, dt.date, str]] = {
    2023: (dt.date(2023, 11, 30), dt.date(2024, 1, 15), "unggah sampai 30 November 2023; QA sampai pertengahan Januari"),
    2024: (dt.date(2025, 1, 5), dt.date(2025, 1, 31), "jendela input 1 April 2024 – 5 Januari 2025"),
    2025: (dt.date(2025, 11, 30), dt.date(2025, 12, 17), "dokumen paling lambat 30 November 2025; data final 17 Desember 2025"),
}  # fmt: skip
"""Upload close and final date of the years whose calendar was published (``verification-risk.md``).
The final date is when verification and QA end (figures published)."""


@dataclass(frozen=True)
class Calendar:
    """The dates of a framework year that the risk model needs.

    Attributes
    ----------
    close
        Last day documents can be uploaded (re-uploads included).
    final
        Last day of verification and QA: the final score is known.
    source
        Where the dates come from (``pemda.toml``, ``framework.toml``, published calendar, default).
    """

    close: dt.date
    final: dt.date
    source: str


def default_calendar(year: int) -> Calendar:
    """The calendar of ``year`` when no file gives it: the published one for 2023–2025; for
    2019–2022 uploads ran into late December (close 31 December, final 31 January); for other
    years the recent pattern (close 30 November, final 15 January)."""
    if year in KNOWN_CALENDARS:
        close, final, why = KNOWN_CALENDARS[year]
        return Calendar(close, final, f"kalender MCP {year} yang dipublikasikan: {why}")
    if year <= 2022:
        return Calendar(
            dt.date(year, 12, 31), dt.date(year + 1, 1, 31),
            f"bawaan untuk {year}: unggah sampai akhir Desember, final akhir Januari",
        )  # fmt: skip
    return Calendar(
        dt.date(year, 11, 30), dt.date(year + 1, 1, 15),
        f"bawaan untuk {year}: unggah sampai 30 November, final pertengahan Januari",
    )  # fmt: skip


def resolve_calendar(
    year: int,
    framework_dates: tuple[dt.date | None, dt.date | None] = (None, None),
    pemda_dates: tuple[dt.date | None, dt.date | None] = (None, None),
) -> Calendar:
    """The upload close and final date: the pemda's own, else the framework's, else
    :func:`default_calendar`; each date separately."""
    base = default_calendar(year)
    close, final, source = base.close, base.final, base.source
    for dates, where in ((framework_dates, "framework.toml"), (pemda_dates, "pemda.toml")):
        if dates[0] is not None:
            close, source = dates[0], where
        if dates[1] is not None:
            final = dates[1]
            source = where if dates[0] is not None or source == where else f"{source}; final: {where}"
    if final < close:
        final = close
    return Calendar(close, final, source)


# --- documents as risk inputs ----------------------------------------------------------------

AWAIT, RETURNED = 0, 1
"""Kinds of uncertain document: one that goes to the verifier new (awaiting, or planned),
and one the verifier returned with a known problem."""


@dataclass(frozen=True, eq=False)
class RiskInputs:
    """Per document, what the risk model needs (arrays aligned with ``codes``).

    ``gain`` is the total-score points at stake if accepted in full (the open part);
    ``kind`` :data:`AWAIT` or :data:`RETURNED`; ``short_logit`` and ``zero_logit`` the year-end
    logits of falling short and of a structural zero (area multiplier included); ``sub`` the
    sub-indicator index (one structural-zero draw per sub-indicator); ``blocker`` an index into
    ``blocker_clear`` or −1; ``qa_points`` the verified total-score points at QA risk.
    """

    codes: np.ndarray
    gain: np.ndarray
    kind: np.ndarray
    short_logit: np.ndarray
    zero_logit: np.ndarray
    sub: np.ndarray
    blocker: np.ndarray
    blocker_clear: np.ndarray
    blocker_names: tuple[str, ...]
    qa_points: np.ndarray

    @property
    def n(self) -> int:
        return len(self.codes)


def _clip_logit(p: np.ndarray) -> np.ndarray:
    return logit(np.clip(np.asarray(p, float), 1e-6, 1 - 1e-6))


def risk_inputs(docs: pd.DataFrame, params: RiskParams) -> RiskInputs:
    """Risk inputs of every applicable document of a scored snapshot
    (:func:`mcp_lib.scoring.score_documents`), in the frame's order.

    Needs ``doc_code, subindicator_code, area_code, area_name, status, applicable, open,
    earned`` and ``blocker``. Documents that are not applicable get zero gain.
    """
    app = docs["applicable"].to_numpy(bool)
    k = docs.loc[docs["applicable"]].groupby("subindicator_code")["doc_code"].size()
    k_doc = docs["subindicator_code"].map(k).fillna(1).to_numpy(float)
    mult = np.array(
        [params.multiplier(c, n) for c, n in zip(docs["area_code"], docs["area_name"], strict=True)], float
    )
    q = params.short_probability(k_doc) * mult
    psi = params.structural_zero * mult
    _subs, sub = np.unique(docs["subindicator_code"].astype(str).to_numpy(), return_inverse=True)
    status = docs["status"].astype(str).to_numpy()
    returned = np.isin(status, ("perlu_perbaikan", "diverifikasi"))
    blocker_text = docs["blocker"].fillna("").astype(str).str.strip() if "blocker" in docs else None
    names: list[str] = []
    index = np.full(len(docs), -1)
    if blocker_text is not None:
        for i, t in enumerate(blocker_text):
            if t and app[i]:
                if t not in names:
                    names.append(t)
                index[i] = names.index(t)
    return RiskInputs(
        codes=docs["doc_code"].astype(str).to_numpy(),
        gain=np.where(app, docs["open"].to_numpy(float), 0.0),
        kind=np.where(returned, RETURNED, AWAIT),
        short_logit=_clip_logit(q),
        zero_logit=_clip_logit(psi),
        sub=sub.astype(np.int64),
        blocker=index,
        blocker_clear=np.array([params.clear_chance(t) for t in names], float),
        blocker_names=tuple(names),
        qa_points=np.where(app, docs["earned"].to_numpy(float), 0.0),
    )


# --- the draws -------------------------------------------------------------------------------

STRATA = 100
"""The pemda effect is drawn at the midpoints of this many equal-probability strata (fewer when
there are fewer draws), each used by the same number of draws."""


def round_draws(draws: int) -> int:
    """The number of draws actually made: ``draws`` rounded up to a multiple of the strata."""
    strata = min(STRATA, max(1, int(draws)))
    return strata * math.ceil(max(1, int(draws)) / strata)


class Draws:
    """Common random numbers for one set of documents: the same draws whichever plan is
    evaluated, so that two plans differ only by their documents, never by their luck.

    Uniform numbers are kept as 16-bit integers (resolution 1/65,536: probabilities are rounded
    down to that grid), which halves the memory traffic of the comparisons.

    Parameters
    ----------
    inputs
        The documents (:func:`risk_inputs`).
    params
        The model's parameters.
    draws
        Number of draws (rounded up by :func:`round_draws`).
    seed
        Seed of the generator: the same seed gives the same numbers.
    """

    def __init__(self, inputs: RiskInputs, params: RiskParams, draws: int = 10_000, seed: int = 0):
        self.inputs, self.params = inputs, params
        n = round_draws(draws)
        strata = min(STRATA, n)
        self.strata, self.per, self.n = strata, n // strata, n
        self._rng = np.random.default_rng(seed)
        mid = (np.arange(strata) + 0.5) / strata
        self.b = ndtri(mid) * params.pemda_sd
        self.u = self._uniform16(n, inputs.n)
        n_sub = int(inputs.sub.max()) + 1 if inputs.n else 0
        self.v = self._uniform16(n, n_sub)
        self.w = self._rng.random((n, len(inputs.blocker_names)))
        self._cleared = self.w < inputs.blocker_clear[None, :]
        self._qa: np.ndarray | None = None
        self.weights = np.full(n, 1.0 / n)
        """Weight of each draw (sums to 1): equal, or updated by :meth:`condition`."""
        self.stratum_weights = np.full(strata, 1.0 / strata)

    def condition(self, full: np.ndarray, short: np.ndarray) -> None:
        """Update the pemda effect on the pemda's own record: documents the verifier already
        decided, accepted in ``full`` or found ``short`` (returned, or verified below their
        points), are evidence of how strict verification is with this pemda. Each stratum of
        the pemda effect is weighted by the likelihood of that record at first decision
        (Bayes' rule on the strata; the prior is the calibrated ``Normal(0, pemda_sd²)``)."""
        full, short = np.asarray(full, int), np.asarray(short, int)
        if len(full) + len(short) == 0 or self.params.certain:
            return
        inp, b = self.inputs, self.b[:, None]

        def not_full(idx: np.ndarray) -> np.ndarray:
            q = expit(inp.short_logit[idx][None, :] + b)
            psi = expit(inp.zero_logit[idx][None, :] + b)
            return np.clip(1.0 - (1.0 - q) * (1.0 - psi), 1e-12, 1 - 1e-12)

        loglik = np.log(not_full(short)).sum(axis=1) + np.log1p(-not_full(full)).sum(axis=1)
        w = np.exp(loglik - loglik.max())
        self.stratum_weights = w / w.sum()
        self.weights = np.repeat(self.stratum_weights / self.per, self.per)

    @property
    def effective(self) -> float:
        """Effective number of draws (Kish) after :meth:`condition`."""
        return float(1.0 / np.sum(self.weights**2))

    def effect_quantiles(self, levels: Sequence[float] = (0.1, 0.5, 0.9)) -> tuple[float, ...]:
        """Quantiles of the pemda effect (logit scale) under the current weights."""
        return weighted_quantiles(self.b, self.stratum_weights, levels)

    def _uniform16(self, rows: int, cols: int) -> np.ndarray:
        return np.frombuffer(self._rng.bytes(2 * rows * cols), dtype=np.uint16).reshape(rows, cols)

    @staticmethod
    def _threshold(p: np.ndarray) -> np.ndarray:
        return np.floor(np.clip(p, 0.0, 65535 / 65536) * 65536).astype(np.uint16)

    def fractions(self, idx: np.ndarray, months: np.ndarray | float) -> np.ndarray:
        """Share of its open points each document of ``idx`` obtains in each draw
        (draws × len(idx), float32), uploaded ``months`` before the close (per document)."""
        idx = np.asarray(idx, int)
        months = np.broadcast_to(np.asarray(months, float), idx.shape)
        p, inp = self.params, self.inputs
        if len(idx) == 0:
            return np.empty((self.n, 0), np.float32)
        if p.certain:
            return np.ones((self.n, len(idx)), np.float32)
        new = inp.kind[idx] == AWAIT
        b = self.b[:, None]
        # Year-end probabilities per stratum (strata × docs), scaled by the re-upload chance.
        keep = 1.0 - p.reupload(months)
        p_short = expit(inp.short_logit[idx][None, :] + b) * keep
        p_fail = expit(_clip_logit(1.0 - p.reupload(months, returned=True))[None, :] + b)
        short = self._threshold(np.where(new, p_short, p_fail))[:, None, :]
        zero_cut = self._threshold(np.where(new, p_short * p.zero_share, p_fail))[:, None, :]
        whole = len(idx) == self.inputs.n and bool((idx == np.arange(len(idx))).all())
        u = (self.u if whole else self.u[:, idx]).reshape(self.strata, self.per, len(idx))
        frac = np.where(u < short, np.float32(p.partial_credit), np.float32(1.0))
        np.copyto(frac, np.float32(0.0), where=u < zero_cut)
        if new.any() and p.structural_zero > 0:
            p_zero = np.where(new, expit(inp.zero_logit[idx][None, :] + b) * keep, 0.0)
            v = self.v[:, inp.sub[idx]].reshape(self.strata, self.per, len(idx))
            np.copyto(frac, np.float32(0.0), where=v < self._threshold(p_zero)[:, None, :])
        out = frac.reshape(self.n, len(idx))
        blk = inp.blocker[idx]
        if (blk >= 0).any():
            has = np.flatnonzero(blk >= 0)
            out[:, has] *= self._cleared[:, blk[has]]
        return out

    def qa_loss(self) -> np.ndarray:
        """Total-score points lost at the final QA in each draw (every verified point of the
        pemda). Hits are rare (``qa_risk``), so they are drawn sparsely: the gaps between hits
        in the draws × documents grid are geometric."""
        if self._qa is None:
            self._qa = self._draw_qa()
        return self._qa

    def _draw_qa(self) -> np.ndarray:
        p, pts = self.params, self.inputs.qa_points
        docs = np.flatnonzero(pts > 0)
        loss = np.zeros(self.n)
        if len(docs) == 0 or p.qa_risk <= 0 or p.certain:
            return loss
        rng = np.random.default_rng(self._rng.integers(2**63))
        cells = self.n * len(docs)
        positions = []
        at = -1
        while True:
            expect = int((cells - at) * p.qa_risk * 1.2) + 64
            gaps = rng.geometric(p.qa_risk, expect)
            pos = at + np.cumsum(gaps)
            positions.append(pos[pos < cells])
            if pos[-1] >= cells:
                break
            at = int(pos[-1])
        hit = np.concatenate(positions)
        share = p.qa_loss_min + (p.qa_loss_max - p.qa_loss_min) * rng.random(len(hit))
        np.add.at(loss, hit // len(docs), share * pts[docs[hit % len(docs)]])
        return loss


def chance(scores: np.ndarray, target: float, weights: np.ndarray | None = None) -> float:
    """Share of draws (weighted, when ``weights`` are given) whose score reaches ``target``
    (to within 1e-9 points)."""
    if len(scores) == 0:
        return float("nan")
    hit = scores >= target - 1e-9
    if weights is None:
        return float(np.mean(hit))
    weights = np.asarray(weights, float)
    yes, no = float(weights[hit].sum()), float(weights[~hit].sum())
    return yes / (yes + no) if yes + no > 0 else float("nan")


def weighted_quantiles(
    values: np.ndarray, weights: np.ndarray | None, levels: Sequence[float]
) -> tuple[float, ...]:
    """Quantiles of ``values`` under ``weights`` (the inverse of the weighted distribution)."""
    values = np.asarray(values, float)
    if weights is None:
        return tuple(float(x) for x in np.quantile(values, levels))
    order = np.argsort(values, kind="stable")
    cum = np.cumsum(np.asarray(weights, float)[order])
    cum /= cum[-1]
    at = np.searchsorted(cum, np.asarray(levels, float) - 1e-12)
    return tuple(float(values[order][min(i, len(values) - 1)]) for i in at)


def band(
    scores: np.ndarray, weights: np.ndarray | None = None, levels: Sequence[float] = (0.1, 0.5, 0.9)
) -> tuple[float, ...]:
    """Quantiles of simulated scores (default: 10%, median, 90%), weighted when ``weights`` are given."""
    return weighted_quantiles(scores, weights, levels)


# --- calibration against 2021 ----------------------------------------------------------------

AREA_RECORDS_2021: tuple[tuple[str, int], ...] = (
    ("Pajak daerah", 4513),
    ("Aset / BMD", 5212),
    ("APIP", 5610),
    ("Perizinan / PTSP", 9512),
    ("PBJ", 10169),
    ("Manajemen ASN", 6557),
    ("Dana Desa", 4604),
    ("Perencanaan & Penganggaran", 9772),
)
"""Sub-indicator records per area in the 2021 KPK MCP data (``verification-risk.md``)."""

OBSERVED_2021: Mapping[str, float] = {
    "lowered": 0.354,
    "zero": 0.07,
    "kappa": 0.52,
}
"""2021 figures (``verification-risk.md``): share of sub-indicator records lowered at
verification, share pushed to 0 (≈ 11% verified at 0 vs ≈ 4% claimed at 0), and the mean
share of its claim a lowered record kept. The per-district verified/claimed quantiles are
computed from ``data/reference/kabkota-claim-vs-verified-2020-21.csv``."""


def simulate_2021(
    params: RiskParams | None = None, districts: int = 4000, records: int = 110, k: int = 2, seed: int = 2021
) -> dict[str, float]:
    """Simulate the 2021 data with the model: ``districts`` pemda, ``records`` sub-indicators
    each (areas mixed as in :data:`AREA_RECORDS_2021`), ``k`` documents per sub-indicator, every
    document claimed in full and uploaded at the close (the 2021 values are year-end values,
    after any re-upload).

    Returns the share of records lowered, the share pushed to 0, κ (the mean share of the claim a
    lowered record kept) and the 5/25/50/75/95% quantiles of verified/claimed per district
    (``q05`` ... ``q95``). This draws every step separately (a second implementation beside
    :class:`Draws`).
    """
    p = params or RiskParams()
    rng = np.random.default_rng(seed)
    counts = np.array([c for _n, c in AREA_RECORDS_2021], float)
    per_area = np.floor(records * counts / counts.sum()).astype(int)
    per_area[np.argsort(-(records * counts / counts.sum() - per_area))[: records - per_area.sum()]] += 1
    mult = np.repeat([p.multiplier("", name) for name, _c in AREA_RECORDS_2021], per_area)
    b = rng.normal(0.0, p.pemda_sd, (districts, 1))
    q = expit(_clip_logit(p.short_probability(k) * mult)[None, :] + b)
    psi = expit(_clip_logit(p.structural_zero * mult)[None, :] + b)
    value = np.zeros((districts, records))
    for _ in range(k):
        short = rng.random((districts, records)) < q
        zero = rng.random((districts, records)) < p.zero_share
        value += np.where(short, np.where(zero, 0.0, p.partial_credit), 1.0) / k
    value = np.where(rng.random((districts, records)) < psi, 0.0, value)
    lowered = value < 1 - 1e-9
    ratio = value.mean(axis=1)
    q05, q25, q50, q75, q95 = np.quantile(ratio, [0.05, 0.25, 0.5, 0.75, 0.95])
    return {
        "lowered": float(lowered.mean()), "zero": float((value <= 1e-12).mean()),
        "kappa": float(value[lowered].mean()), "q05": float(q05), "q25": float(q25), "q50": float(q50),
        "q75": float(q75), "q95": float(q95),
    }  # fmt: skip


def observed_2021_ratios(path: str | None = None) -> dict[str, float]:
    """5/25/50/75/95% quantiles of mean verified / mean claimed per district in the real 2021
    figures (``data/reference/kabkota-claim-vs-verified-2020-21.csv``, 506 kabupaten/kota)."""
    from mcp_lib.config import REFERENCE_DIR

    frame = pd.read_csv(path or REFERENCE_DIR / "kabkota-claim-vs-verified-2020-21.csv")
    ratio = frame["mean_verified"] / frame["mean_claim"]
    qs = np.quantile(ratio, [0.05, 0.25, 0.5, 0.75, 0.95])
    return dict(zip(("q05", "q25", "q50", "q75", "q95"), (float(x) for x in qs), strict=True))


__all__ = [
    "AREA_MULTIPLIERS", "AWAIT", "BLOCKER_CLEAR", "PARAMETERS", "RETURNED", "Calendar", "Draws",
    "RiskInputs", "RiskParams", "band", "chance", "changed_parameters", "default_calendar",
    "params_from_toml", "resolve_calendar", "risk_inputs", "simulate_2021",
]  # fmt: skip

CERTAIN = RiskParams(certain=True)
"""No verification risk: every document accepted in full (the plan "if every document is accepted")."""
