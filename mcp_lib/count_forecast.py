"""The year's end from the dashboard's counts per area: the forecast of :mod:`mcp_lib.forecast`
for a coordinator who has no document list (:mod:`mcp_lib.count_scores`).

How. Each area that applies is represented by as many documents as the dashboard says it requires
(:func:`count_documents`): the accepted ones hold the area's score, the returned, awaiting and not
uploaded ones share its open points equally, all scaled to the area's weight in the total, with
sub-indicators as large as the framework's in that area (the risk model's chance that a
document falls short depends on it) and the area's own name (its risk multiplier). Every area goes
into ONE :class:`~mcp_lib.forecast.YearEnd` (one set of draws): the areas take the place of the
OPDs, so each has its own upload pace, read from the year's stored counts sheets (documents
accepted or awaiting verification per month, :func:`mcp_lib.trend.opd_pace`; with fewer than two
sheets the typical completion, as :func:`mcp_lib.forecast.forecast_totals` does); the pemda's
risk parameters, its record (documents accepted against returned) and its penalty are used as
for its documents. Nothing is known of OPDs, so no capacity bounds the pace.

Each draw's total is the sum of its areas (:func:`area_draws`): what each area holds now less its
share of the QA risk, plus what its awaiting documents and the uploads of its open ones bring.
The calibrated error of the total (:meth:`~mcp_lib.forecast.YearEnd.widened`) is shared out over
the areas in proportion to each one's rise in that draw, so the areas still add up to the total in
every draw; the total's band is taken from those totals (never a sum of the areas' bands).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from mcp_lib import text
from mcp_lib.count_scores import CountScores, score_counts
from mcp_lib.errors import InputError
from mcp_lib.forecast import DashboardTotal, Forecast, ForecastOptions, YearEnd, forecast_totals
from mcp_lib.framework.calendar import Calendar, months_between
from mcp_lib.framework.model import TOP, Framework
from mcp_lib.pemda.counts import AreaCounts
from mcp_lib.pemda.model import Pemda
from mcp_lib.risk.model import band, chance
from mcp_lib.risk.params import RiskParams, lead_label
from mcp_lib.scoring import after_penalty
from mcp_lib.statuses import BELUM, DIUNGGAH, DIVERIFIKASI, PERLU_PERBAIKAN
from mcp_lib.trend import opd_pace

BASIS_WORDS = {
    "laju": "setiap area terus mengunggah dengan lajunya di lembar angka dasbor tahun ini",
    "kurva": "tanpa laju (kurang dari dua lembar angka dasbor tahun ini): bagian dokumen yang diunggah seperti "
    "pemda pada umumnya",
}
"""How the documents not yet uploaded go up, per basis of the engine, in words."""


@dataclass(frozen=True, eq=False)
class CountForecast:
    """The year's end without a plan (*bila laju sekarang berlanjut*) from dashboard counts.

    Attributes
    ----------
    total
        The total's forecast (:class:`~mcp_lib.forecast.Forecast`: band, median, chance of the
        target, assumptions; ``basis`` ``laju``, ``kurva`` or ``final``).
    areas
        One row per area of the scores (:attr:`CountScores.areas` order): ``area_code``,
        ``area_name``, ``weight``, ``area_score`` (now), ``pace`` (documents accepted or awaiting
        per month from the sheets; NaN without), ``expected_uploads`` (documents expected to go up
        before the close) and the area score at the year's end ``p10``, ``median``, ``p90`` (0–100),
        and ``points_median`` (the median of its points of the total).
    finals
        Draws × areas: each area's points of the total at the year's end (before the penalty),
        summing per draw to the total before the penalty; ``None`` once the score is final.
    weights
        The weight of each draw.
    sheets
        The dates of the counts sheets the pace was read from (empty: no pace).
    """

    total: Forecast
    areas: pd.DataFrame
    finals: np.ndarray | None
    weights: np.ndarray | None
    sheets: tuple[dt.date, ...] = ()


# --- the documents standing for the counts ---------------------------------------------------------


def documents_per_sub(framework: Framework, kind: str) -> pd.Series:
    """Per area code, the framework's documents per sub-indicator among those that apply to a
    pemda of ``kind``."""
    docs = framework.documents.loc[framework.applies(kind).to_numpy()]
    g = docs.groupby(f"{TOP}_code")
    return g.size() / g["subindicator_code"].nunique()


def count_documents(areas: pd.DataFrame, per_sub: pd.Series, seed: int = 0) -> pd.DataFrame:
    """Documents standing for the scored areas of :func:`~mcp_lib.count_scores.score_counts`, in
    the columns of :func:`mcp_lib.scoring.score_documents` (the area's code as its OPD), for
    :class:`~mcp_lib.forecast.YearEnd`. An area without a required document or weight adds none."""
    frames = [
        _area_documents(r, float(per_sub.get(r["area_code"], 1.0)), np.random.default_rng([seed, 3, i]))
        for i, r in enumerate(areas.to_dict("records"))
        if r["required"] > 0 and r["weight"] > 0
    ]
    return pd.concat(frames, ignore_index=True)


def _area_documents(r: Mapping[Hashable, Any], per_sub: float, rng: np.random.Generator) -> pd.DataFrame:
    """One area's documents: the accepted hold its points (or, with none accepted, the returned
    ones as partial credit), the others share its open points equally."""
    counts = {s: int(r[c]) for s, c in _STATUS_OF.items()}
    status = np.repeat(list(counts), list(counts.values()))
    n = len(status)
    weight, score = float(r["weight"]), float(r["area_score"])
    earned_total = weight * score / 100.0
    accepted = status == DIVERIFIKASI
    holders = accepted if accepted.any() else status == PERLU_PERBAIKAN
    holders = holders if holders.any() else np.ones(n, bool)
    earned = np.where(holders, earned_total / holders.sum(), 0.0)
    rest = int((~accepted).sum())
    open_ = np.where(accepted, 0.0, (weight - earned_total) / rest if rest else 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        verified = np.where(accepted, 100.0, np.nan_to_num(100.0 * earned / (earned + open_)))
    code = str(r["area_code"])
    sub = rng.permutation(n) // max(1, round(per_sub))
    return pd.DataFrame(
        {
            "doc_code": [f"{code}-D{i:04d}" for i in range(n)],
            "subindicator_code": [f"{code}-S{s:04d}" for s in sub],
            "area_code": code,
            "area_name": str(r["area_name"]),
            "opd": code,
            "status": status,
            "applicable": True,
            "points": 100.0,
            "verified_points": verified,
            "open": open_,
            "earned": earned,
            "blocker": "",
        }
    )


_STATUS_OF = {DIVERIFIKASI: "accepted", PERLU_PERBAIKAN: "returned", DIUNGGAH: "awaiting", BELUM: "not_uploaded"}
"""The status of the documents each count stands for."""


# --- pace -----------------------------------------------------------------------------------------------


def area_pace(history: Sequence[AreaCounts], as_of: dt.date) -> tuple[dict[str, float] | None, tuple[dt.date, ...]]:
    """Documents accepted or awaiting verification per month in each area (as an OPD's pace in
    :func:`mcp_lib.trend.opd_pace`: the least-squares slope over the sheets of ``as_of``'s year up
    to ``as_of``), and the dates of those sheets; ``None`` and no dates with fewer than two."""
    rows = [
        (c.date, str(code), int(acc) + int(aw))
        for c in history
        if c.date.year == as_of.year and c.date <= as_of
        for code, acc, aw in c.areas[["area_code", "accepted", "awaiting"]].itertuples(index=False)
    ]
    frame = pd.DataFrame(rows, columns=["date", "opd", "uploaded"])
    pace = opd_pace(frame, as_of)
    return pace, tuple(sorted(set(frame["date"]))) if pace is not None else ()


# --- the engine and the areas per draw ------------------------------------------------------------------


def count_engine(
    framework: Framework,
    pemda: Pemda,
    scores: CountScores,
    pace: dict[str, float] | None = None,
    options: ForecastOptions = ForecastOptions(),
) -> tuple[YearEnd, pd.DataFrame]:
    """The engine of a pemda's counts (the module's docstring) and the documents standing for them."""
    options = options.for_pemda(pemda, framework)
    assert options.risk is not None and options.calendar is not None  # given or the pemda's
    docs = count_documents(scores.areas, documents_per_sub(framework, pemda.kind), options.seed)
    engine = YearEnd(
        docs,
        options.risk,
        options.calendar,
        scores.date,
        pace=pace,
        penalty=scores.penalty,
        draws=options.draws,
        seed=options.seed,
    )
    return engine, docs


def area_draws(engine: YearEnd, docs: pd.DataFrame, codes: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Per draw and area of ``codes`` (columns), the points of the total now and at the year's end
    before the calibrated error and the penalty: what the area holds now less its share of the QA
    loss (in proportion to its verified points), plus its awaiting documents as the verifier
    decides them, plus its open documents that go up at its pace (the engine's
    :meth:`~mcp_lib.forecast.YearEnd.without`, split by area)."""
    area = docs["area_code"].astype(str).to_numpy()
    col = {c: i for i, c in enumerate(codes)}
    now = np.bincount([col[a] for a in area], weights=docs["earned"].to_numpy(float), minlength=len(codes))
    qa = engine.verified_now - engine.core  # per draw
    share_now = now / engine.verified_now if engine.verified_now > 0 else np.zeros(len(codes))
    raw = now[None, :] - qa[:, None] * share_now[None, :]
    waiting = engine.draws.fractions(engine.awaiting, engine.to_close) * engine.gain[engine.awaiting]
    raw += waiting.astype(np.float64) @ _one_hot([col[a] for a in area[engine.awaiting]], len(codes))
    share = engine.shares()
    for g, cols in enumerate(engine.cols):
        if len(cols) and share[g] > 0:
            up = engine.u[:, cols] < np.float32(share[g])
            raw[:, col[engine.opd_names[g]]] += (engine.pace_contrib[:, cols] * up).sum(axis=1, dtype=np.float64)
    return now, raw


def _one_hot(columns: Sequence[int], width: int) -> np.ndarray:
    out = np.zeros((len(columns), width))
    out[np.arange(len(columns)), np.asarray(columns, int)] = 1.0
    return out


def calibrated_areas(engine: YearEnd, now: np.ndarray, raw: np.ndarray) -> np.ndarray:
    """Each area's points per draw with the calibrated error of the total shared out in proportion
    to the area's rise in the draw (a draw that does not rise keeps its areas as they are): the
    areas add up to :meth:`~mcp_lib.forecast.YearEnd.widened` of the total in every draw."""
    total = raw.sum(axis=1)
    start = engine.verified_now
    rise = total - start
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(np.abs(rise) > 1e-9, (engine.widened(total) - start) / rise, 1.0)
    out: np.ndarray = now[None, :] + (raw - now[None, :]) * ratio[:, None]
    return out


# --- the forecast -------------------------------------------------------------------------------------


def forecast_counts(
    framework: Framework,
    pemda: Pemda,
    counts: AreaCounts,
    *,
    history: Sequence[AreaCounts] = (),
    target: float | None = None,
    options: ForecastOptions = ForecastOptions(),
) -> CountForecast:
    """The year's end of a pemda from its dashboard counts (the module's docstring).

    Parameters
    ----------
    history
        Counts sheets of the year (``counts`` among them or not): with two or more up to
        ``counts.date`` each area's pace is read from them, else the typical completion is used.
    target
        Score to reach, percent (default: the pemda's).
    options
        Risk parameters, calendar and draws (capacities do not apply: no OPD is known).

    Raises
    ------
    InputError
        When no area has a required document (nothing to forecast).
    """
    scores = score_counts(framework, pemda, counts)
    target = float(pemda.target if target is None else target)
    options = options.for_pemda(pemda, framework)
    assert options.calendar is not None  # given or the pemda's
    dated = {c.date: c for c in (*history, counts)}  # the sheet given wins over a stored one of its date
    pace, sheets = area_pace(list(dated.values()), counts.date)
    areas = scores.areas[["area_code", "area_name", "weight", "area_score"]].copy()
    areas["pace"] = [np.nan if pace is None else pace.get(c, 0.0) for c in areas["area_code"]]
    if not (scores.areas["weight"] > 0).any():
        raise InputError.one(
            str(counts.path or "angka dasbor"),
            "tidak ada dokumen wajib di area mana pun: tidak ada yang dapat diproyeksikan",
            expected="jumlah dokumen wajib per area seperti di dasbor",
        )
    if options.calendar.is_final(counts.date):
        return _settled(scores, areas, options, target)
    engine, docs = count_engine(framework, pemda, scores, pace, options)
    codes = list(areas["area_code"])
    now, raw = area_draws(engine, docs, codes)
    finals = calibrated_areas(engine, now, raw)
    return CountForecast(
        total=_total(engine, scores, finals.sum(axis=1), target),
        areas=_area_table(areas, engine, finals),
        finals=finals,
        weights=engine.weights,
        sheets=sheets,
    )


def _area_table(areas: pd.DataFrame, engine: YearEnd, finals: np.ndarray) -> pd.DataFrame:
    """The areas with their expected uploads and their year's-end band as area scores."""
    expected = {p.opd: p.expected for p in engine.paces}
    areas["expected_uploads"] = [expected.get(c, 0.0) for c in areas["area_code"]]
    weight = areas["weight"].to_numpy(float)
    quantiles = np.array([band(finals[:, j], engine.weights) for j in range(len(areas))]).reshape(len(areas), 3)
    with np.errstate(divide="ignore", invalid="ignore"):
        scores = np.where(weight[:, None] > 0, 100.0 * quantiles / weight[:, None], areas[["area_score"]].to_numpy())
    areas[["p10", "median", "p90"]] = np.clip(scores, 0.0, 100.0)
    areas["points_median"] = quantiles[:, 1]
    return areas


def _total(engine: YearEnd, scores: CountScores, total: np.ndarray, target: float) -> Forecast:
    """The total's forecast from the areas' sum per draw (before the penalty)."""
    final = after_penalty(total, engine.penalty)
    p10, median, p90 = band(final, engine.weights)
    best = after_penalty(engine.verified_now + float(engine.gain.sum()), engine.penalty)
    if not engine.calendar.uploads_open(engine.as_of):
        best = after_penalty(engine.verified_now + float(engine.gain[engine.awaiting].sum()), engine.penalty)
    return Forecast(
        basis=engine.basis,
        as_of=engine.as_of,
        calendar=engine.calendar,
        current=scores.verified,
        claim=None,
        p10=p10,
        median=median,
        p90=p90,
        target=target,
        p_target=chance(final, target, engine.weights),
        path=engine.without_path(),
        open_documents=len(engine.still),
        expected_uploads=engine.expected_uploads,
        pace=engine.pace_total,
        assumptions=assumptions(engine.params, engine.calendar, engine.basis, engine.as_of),
        reachable=bool(best >= target - 1e-9),
        lead=engine.lead,
        error=engine.sigma,
        surge=engine.params.surge,
    )


def _settled(scores: CountScores, areas: pd.DataFrame, options: ForecastOptions, target: float) -> CountForecast:
    """Once the score is final: the year's end is the score now (the total as
    :func:`~mcp_lib.forecast.forecast_totals` gives a final score)."""
    total = forecast_totals(DashboardTotal(scores.verified, scores.date), target, options)
    now = areas["area_score"]
    areas = areas.assign(expected_uploads=0.0, p10=now, median=now, p90=now, points_median=areas["weight"] * now / 100)
    return CountForecast(total=total, areas=areas, finals=None, weights=None)


def assumptions(params: RiskParams, calendar: Calendar, basis: str, as_of: dt.date) -> tuple[str, ...]:
    """What a forecast from counts assumes, in Bahasa Indonesia."""
    months = months_between(as_of, calendar.close)
    return (
        "setiap area diwakili oleh dokumen sebanyak dokumen wajibnya di dasbor: yang diterima memegang nilai area, "
        "yang dikembalikan, menunggu verifikasi dan belum diunggah berbagi rata poin yang masih terbuka",
        BASIS_WORDS.get(basis, BASIS_WORDS["kurva"])
        + f" (bulan terakhir {text.number(params.surge, 1)}× lebih cepat); kapasitas OPD tidak diketahui",
        f"batas unggah {text.date(calendar.close)}, nilai final {text.date(calendar.final)} ({calendar.source})",
        "risiko verifikasi: nilai sebagian, unggah ulang sampai batas unggah, efek pemda bersama yang diperbarui "
        "dengan jumlah dokumen diterima dan dikembalikan, risiko kecil pada QA akhir; parameter diperkirakan dari "
        "data MCP 2020–21",
        f"ditambah galat proyeksi yang terukur pada tahun nyata untuk data {lead_label(months)}",
    )


__all__: Sequence[str] = (
    "BASIS_WORDS",
    "CountForecast",
    "area_draws",
    "area_pace",
    "assumptions",
    "calibrated_areas",
    "count_documents",
    "count_engine",
    "documents_per_sub",
    "forecast_counts",
)
