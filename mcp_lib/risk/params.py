"""The parameters of the verification-risk model: their values, meaning, source and valid range.

:class:`RiskParams` holds every parameter of the model of :mod:`mcp_lib.risk.model` (defaults from
``data/reference/verification-risk.md``), :data:`PARAMETERS` documents each one, and
:func:`params_from_toml` reads a pemda's overrides from the ``[risiko]`` table of its
``pemda.toml``, refusing bad values with the line named.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mcp_lib.errors import InputError, Problem
from mcp_lib.io.tomlfile import toml_line, toml_table_line, unquote_hint

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


LEAD_GROUPS: tuple[tuple[str, float, str], ...] = (
    ("early", 3.0, "3 bulan atau lebih sebelum batas unggah"),
    ("mid", 0.5, "0,5–3 bulan sebelum batas unggah"),
    ("late", -math.inf, "kurang dari 0,5 bulan sebelum batas unggah atau sesudahnya"),
)
"""``(key, months before the upload close from which the group starts, label)``: the lead groups
in which the projection's error is measured and calibrated (:mod:`mcp_lib.backtest`). The real
provisional → final pairs fall 5 / 10 / 9 into them."""


def lead_group(months_to_close: float) -> str:
    """The key of the lead group (:data:`LEAD_GROUPS`) of a snapshot ``months_to_close`` months
    before the upload close."""
    for key, start, _label in LEAD_GROUPS:
        if months_to_close >= start:
            return key
    return LEAD_GROUPS[-1][0]


def lead_label(months_to_close: float) -> str:
    """The lead group in words (Bahasa Indonesia)."""
    return {key: label for key, _s, label in LEAD_GROUPS}[lead_group(months_to_close)]


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
    completion_months: float = 2.25
    surge: float = 2.0
    awaiting_share: float = 0.19
    returned_share: float = 0.18
    verify_lag_months: float = 0.35
    error_early: float = 0.35
    error_mid: float = 0.95
    error_late: float = 0.65
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

    def error(self, months_to_close: float) -> float:
        """The calibrated error of the projection (:data:`LEAD_GROUPS`) for a snapshot
        ``months_to_close`` months before the upload close (negative: after it)."""
        return float(getattr(self, f"error_{lead_group(months_to_close)}"))

    def completion(self, months: np.ndarray | float) -> np.ndarray:
        """Expected share of the documents not yet uploaded that a typical pemda uploads with
        ``months`` left before the close (the forecast when the pemda's own pace is unknown)."""
        m = np.maximum(np.asarray(months, float), 0.0)
        share: np.ndarray = self.completion_max * (1.0 - np.exp(-m / self.completion_months))
        return share

    def reupload(self, months: np.ndarray | float, returned: bool = False) -> np.ndarray:
        """Chance a shortfall is fixed and accepted in full with ``months`` left before the close."""
        share = self.fixable_returned if returned else self.fixable
        m = np.maximum(np.asarray(months, float), 0.0)
        chance: np.ndarray = share * (1.0 - np.exp(-m / self.fix_months))
        return chance


@dataclass(frozen=True)
class Parameter:
    """Documentation of one parameter: what it means (Bahasa Indonesia), source, valid range."""

    name: str
    meaning: str
    source: str
    low: float
    high: float


PARAMETERS: tuple[Parameter, ...] = (
    Parameter(
        "pemda_sd",
        "sebaran efek pemda (skala logit), sama untuk semua dokumen satu pemda",
        "2021: tanpa efek ini sebaran rasio terverifikasi/klaim antar-pemda 5× terlalu sempit",
        0,
        3,
    ),
    Parameter(
        "structural_zero",
        "peluang satu sub-indikator bernilai 0 seluruhnya (tidak bisa diperbaiki)",
        "2021: nilai 0 terverifikasi ≈ 11% vs klaim ≈ 4%; sub-indikator jatuh ke 0 bersama",
        0,
        0.5,
    ),
    Parameter(
        "sub_survive",
        "bagian sub-indikator tanpa satu pun dokumen kurang di akhir tahun",
        "2021: 35,4% catatan sub-indikator diturunkan verifikator",
        0.05,
        1,
    ),
    Parameter(
        "zero_share",
        "peluang dokumen yang kurang bernilai 0 (selebihnya nilai sebagian)",
        "2021: histogram nilai; catatan diturunkan menyimpan ≈ 52% klaimnya",
        0,
        1,
    ),
    Parameter(
        "partial_credit",
        "bagian poin yang diberikan untuk dokumen yang kurang (nilai sebagian)",
        "2021: κ ≈ 0,52; catatan 2024: klaim 30, diverifikasi 50",
        0,
        1,
    ),
    Parameter(
        "fixable",
        "bagian kekurangan yang dapat diperbaiki dengan unggah ulang",
        "laporan 2022–2025: unggah ulang rutin sampai batas unggah; perkiraan",
        0,
        1,
    ),
    Parameter(
        "fix_months",
        "waktu khas (bulan) satu putaran perbaikan dan verifikasi ulang",
        "verifikasi 1–21 hari (catatan 2024); perkiraan",
        0.05,
        12,
    ),
    Parameter(
        "fixable_returned",
        "bagian dokumen 'perlu perbaikan' yang dapat diperbaiki",
        "catatan verifikator menyebut masalahnya; perkiraan",
        0,
        1,
    ),
    Parameter(
        "qa_risk",
        "peluang dokumen yang sudah diverifikasi turun nilainya di QA akhir",
        "Kendari 2021: tiga area turun 0,2–0,5 poin di QA akhir",
        0,
        0.2,
    ),
    Parameter("qa_loss_min", "kehilangan terkecil bila QA menurunkan nilai (bagian nilai)", "perkiraan", 0, 1),
    Parameter("qa_loss_max", "kehilangan terbesar bila QA menurunkan nilai (bagian nilai)", "perkiraan", 0, 1),
    Parameter(
        "default_multiplier",
        "pengali risiko untuk area yang tidak ada di data 2021 (mis. Pelayanan Publik)",
        "rata-rata semua area",
        0,
        3,
    ),
    Parameter(
        "blocker_default",
        "peluang hambatan pihak luar yang tidak dikenal teratasi sebelum batas unggah",
        "tidak ada informasi: 0,5",
        0,
        1,
    ),
    Parameter(
        "completion_max",
        "bagian terbesar dokumen terbuka yang diunggah sampai batas unggah (juga batas atas proyeksi menurut laju)",
        "klaim akhir tahun 2021: rata-rata 82,1 dari unggahan Maret–Desember = 0,85 × (1 − e^(−10/3))",
        0,
        1,
    ),
    Parameter(
        "completion_months",
        "konstanta waktu (bulan) penyelesaian unggahan: sisa waktu m bulan memberi completion_max × (1 − "
        "e^(−m/konstanta))",
        "24 pasangan nilai sementara–final (data/reference/provisional-final-pairs.csv): galat median terkecil "
        "(benchmarks/backtest_forecast.py, diuji leave-one-out)",
        0.1,
        24,
    ),
    Parameter(
        "surge",
        "laju unggah pada bulan terakhir sebelum batas unggah, dibanding laju rata-rata snapshot",
        "dasbor 2025: Kalteng 446 dari 660 dokumen pada 24 Oktober (≈ 65/bulan), akhir tahun 89; perkiraan",
        0.5,
        10,
    ),
    Parameter(
        "awaiting_share",
        "rata-rata bagian poin yang belum terverifikasi yang menunggu verifikasi, bila klaim tidak diketahui",
        "dasbor 2025: Kalteng 24 Oktober 98 dari 359 dokumen belum diterima (27%), PALI 9 Desember 11 dari 103 (11%)",
        0.001,
        0.999,
    ),
    Parameter(
        "returned_share",
        "bagian poin yang belum terverifikasi yang dikembalikan verifikator",
        "dasbor 2025: Kalteng 49 dari 359 (14%), PALI 24 dari 103 (23%)",
        0,
        0.999,
    ),
    Parameter(
        "verify_lag_months",
        "waktu verifikasi sesudah unggah (bulan), untuk jalur per bulan",
        "catatan 2024: verifikasi 1–21 hari",
        0,
        3,
    ),
    *(
        Parameter(
            f"error_{key}",
            f"galat proyeksi untuk data {label} (sebaran pada skala logit bagian celah yang tertutup)",
            "24 pasangan nilai sementara–final: terkecil yang rentang 80%-nya memuat nilai final ⌈0,8·(n+1)⌉ dari "
            "n pasangan kelompok ini (benchmarks/backtest_forecast.py, diuji leave-one-out)",
            0,
            5,
        )
        for key, _months, label in LEAD_GROUPS
    ),
)
"""One entry per scalar field of :class:`RiskParams`, in the order of ``verification-risk.md``."""
_PARAM = {p.name: p for p in PARAMETERS}

RETIRED: dict[str, str] = {
    "completion_concentration": "sebaran jumlah dokumen yang naik kini termasuk galat proyeksi terkalibrasi "
    "(error_early, error_mid, error_late)",
    "composition_concentration": "sebaran komposisi dokumen kini termasuk galat proyeksi terkalibrasi "
    "(error_early, error_mid, error_late)",
}
"""Parameters of earlier versions, refused with what replaced them (so a ``pemda.toml`` that sets
one is not silently read differently)."""


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
    if not isinstance(table, dict):
        raise InputError.one(
            path,
            "bagian [risiko] tidak sah",
            row=toml_table_line(text, "risiko"),
            column="risiko",
            value=table,
            expected="tabel [risiko] berisi baris seperti pemda_sd = 0.7",
        )
    problems: list[Problem] = []
    values: dict[str, Any] = {}  # floats, passed as keywords to RiskParams
    named: dict[str, list[tuple[str, float]]] = {"area": [], "hambatan": []}
    for key, value in table.items():
        line = toml_line(text, "risiko", key)
        if key in named:
            named[key] += _named_values(key, value, path, text, line, problems)
            continue
        number = _scalar(key, value, path, line, problems)
        if number is not None:
            values[key] = number
    lo = values.get("qa_loss_min", RiskParams.qa_loss_min)
    hi = values.get("qa_loss_max", RiskParams.qa_loss_max)
    if lo > hi:
        problems.append(
            Problem(
                path,
                "qa_loss_min lebih besar dari qa_loss_max",
                row=toml_line(text, "risiko", "qa_loss_min"),
                column="risiko.qa_loss_min",
                value=lo,
                expected=f"paling besar {hi:g}",
            )
        )
    if problems:
        raise InputError(problems)
    return RiskParams(**values, area_multiplier=tuple(named["area"]), blocker_clear=tuple(named["hambatan"]))


def _named_values(
    key: str, value: Any, path: str, text: str, line: int | None, problems: list[Problem]
) -> list[tuple[str, float]]:
    """``[risiko.area]`` (area → multiplier, 0–5) or ``[risiko.hambatan]`` (blocker text → chance it
    clears, 0–1): the entries that are right (each wrong one adds its problem)."""
    sub = f"risiko.{key}"
    if not isinstance(value, dict):
        problems.append(
            Problem(
                path,
                f"bagian [{sub}] tidak sah",
                row=toml_table_line(text, sub) or line,
                column=sub,
                value=value,
                expected=f"tabel [{sub}] berisi baris seperti "
                + ("A6 = 1.5 (kode area = pengali)" if key == "area" else '"BPN" = 0.3'),
            )
        )
        return []
    out = []
    high = 5.0 if key == "area" else 1.0
    for name, v in value.items():
        sub_line = toml_line(text, sub, name)
        if not _number(v) or not 0 <= v <= high:
            problems.append(
                Problem(
                    path,
                    "nilai risiko tidak sah",
                    row=sub_line,
                    column=f"{sub}.{name}",
                    value=v,
                    expected=f"angka {0}–{high:g}"
                    + (" (pengali risiko area)" if key == "area" else " (peluang hambatan teratasi)")
                    + unquote_hint(v),
                )
            )
        elif not str(name).strip():
            problems.append(Problem(path, "kunci kosong", row=sub_line, column=sub))
        else:
            out.append((str(name).strip(), float(v)))
    return out


def _scalar(key: str, value: Any, path: str, line: int | None, problems: list[Problem]) -> float | None:
    """A scalar parameter's value: known (not retired) and within its range; else ``None`` after
    adding the problem."""
    spec = _PARAM.get(key)
    if key in RETIRED:
        problems.append(
            Problem(
                path,
                "parameter risiko tidak dipakai lagi",
                row=line,
                column=f"risiko.{key}",
                value=value,
                expected=f"hapus baris ini: {RETIRED[key]}",
            )
        )
        return None
    if spec is None:
        import difflib

        near = difflib.get_close_matches(str(key), list(_PARAM), n=1)
        problems.append(
            Problem(
                path,
                "parameter risiko tidak dikenal" + (f" (maksud Anda {near[0]}?)" if near else ""),
                row=line,
                column=f"risiko.{key}",
                expected="salah satu dari: "
                + ", ".join(p.name for p in PARAMETERS)
                + ", [risiko.area], [risiko.hambatan]",
            )
        )
        return None
    if not _number(value) or not spec.low <= value <= spec.high:
        problems.append(
            Problem(
                path,
                "nilai parameter risiko tidak sah",
                row=line,
                column=f"risiko.{key}",
                value=value,
                expected=f"angka {spec.low:g}–{spec.high:g} ({spec.meaning})" + unquote_hint(value),
            )
        )
        return None
    return float(value)


def changed_parameters(params: RiskParams) -> list[tuple[str, float, float]]:
    """``(name, default, value)`` of every scalar parameter that differs from the default."""
    base = RiskParams()
    return [
        (p.name, getattr(base, p.name), getattr(params, p.name))
        for p in PARAMETERS
        if getattr(params, p.name) != getattr(base, p.name)
    ]


CERTAIN = RiskParams(certain=True)
"""No verification risk: every document accepted in full (the plan "if every document is accepted")."""

__all__ = [
    "AREA_MULTIPLIERS",
    "BLOCKER_CLEAR",
    "CERTAIN",
    "LEAD_GROUPS",
    "PARAMETERS",
    "Parameter",
    "RiskParams",
    "changed_parameters",
    "lead_group",
    "lead_label",
    "params_from_toml",
]
