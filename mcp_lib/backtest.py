"""The year's-end projection checked against real years, and its calibrated error.

The only real outcomes there are: provisional → final pairs (``data/reference/
provisional-final-pairs.csv``: a score reported during the year, the final score of the same
pemda and year, from public reports). Each pair is projected with the engine reduced to totals
(:func:`mcp_lib.forecast.totals_engine`, what ``mcp forecast`` runs). Two things are fitted on
pairs, and only ever checked on pairs they were not fitted on (leave-one-out):

- the centre: ``completion_months`` of the typical completion, the value (on :data:`GRID`) whose
  medians miss the finals least (sum of absolute errors in points, the unit the brief reports;
  the median is the projection that minimises it);
- the spread: the error σ of each lead group (:data:`~mcp_lib.risk.params.LEAD_GROUPS`), the
  smallest (on :data:`SIGMAS`) whose 80% band, the engine's draws widened by ``σ·z``, holds the
  finals of ``⌈0.8·(n + 1)⌉`` of the group's ``n`` pairs (all of them when fewer): the rule of
  split conformal prediction, so that a pair not fitted on falls inside with a chance of at
  least 80%.

:func:`calibrate` fits both on all pairs (the defaults of :class:`~mcp_lib.risk.params.RiskParams`
are that fit, rounded); :func:`leave_one_out` projects each pair with both fitted on the other
pairs and says whether its final fell inside the 80% band; :func:`measured_errors` is what the
brief says of it, read from ``data/reference/forecast-calibration.csv`` (written by
``benchmarks/backtest_forecast.py --write``; a test keeps it in step with the pairs and the code).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from mcp_lib.forecast import DashboardTotal, ForecastOptions, totals_engine, widen
from mcp_lib.framework.calendar import default_calendar, months_between
from mcp_lib.risk.model import weighted_quantiles
from mcp_lib.risk.params import LEAD_GROUPS, RiskParams, lead_group

GRID = tuple(np.round(np.arange(1.0, 3.51, 0.25), 2))
"""Values of ``completion_months`` tried for the centre."""
SIGMAS = tuple(np.round(np.arange(0.0, 3.001, 0.05), 2))
"""Values of each lead group's error σ tried."""
COVERAGE = 0.8
"""The band's coverage (10% to 90%)."""
CALIBRATION_FILE = "forecast-calibration.csv"


def straight_line(score: float, as_of: dt.date, deadline: dt.date, start: dt.date | None = None) -> float:
    """The projection the forecast replaced: the score rising from 0 at ``start`` (default
    1 January) at the same pace until ``deadline``, within [score, 100]; percent. The baseline
    the forecast is compared with."""
    start = start or dt.date(as_of.year, 1, 1)
    elapsed = months_between(start, as_of)
    if elapsed <= 0:
        return float(score)
    pace = score / elapsed
    return float(min(100.0, max(score, score + pace * max(months_between(as_of, deadline), 0.0))))


PAIR_KINDS = {"kota": "kota", "kab": "kabupaten", "prov": "provinsi", "nasional": "kabupaten"}


def pair_date(value: str) -> dt.date:
    """A date as the pairs file gives it: ``2021-08-10``, or ``~2020-07`` read as the 15th."""
    m = re.search(r"(\d{4})-(\d{2})(?:-(\d{2}))?", str(value))
    if not m:
        raise ValueError(f"no date in {value!r}")
    return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 15))


@dataclass(frozen=True, eq=False)
class PairDraws:
    """One pair projected with one ``completion_months``: the engine's draws before the error."""

    raw: np.ndarray
    weights: np.ndarray
    z: np.ndarray
    current: float
    _kept: dict = field(default_factory=dict, repr=False)  # bands by σ, and the median

    def scores(self, sigma: float) -> np.ndarray:
        """Final scores per draw widened by ``σ·z`` (:func:`mcp_lib.forecast.widen`, as the
        engine does)."""
        return widen(self.raw, self.current, sigma, self.z)

    def median(self) -> float:
        """The median final score without widening (kept: each leave-one-out fit asks for it at
        every grid value, ~6,300 times over the 24 pairs' 264 sets of draws)."""
        got = self._kept.get("median")
        if got is None:
            got = self._kept["median"] = weighted_quantiles(self.raw, self.weights, [0.5])[0]
        return got

    def band(self, sigma: float) -> tuple[float, float, float]:
        """10%, 50% and 90% quantiles of the final score widened by ``σ``."""
        got = self._kept.get(sigma)
        if got is None:
            got = self._kept[sigma] = tuple(weighted_quantiles(self.scores(sigma), self.weights, [0.1, 0.5, 0.9]))
        return got

    def inside(self, final: float, sigma: float) -> bool:
        """Whether ``final`` lies in the 80% band widened by ``σ``."""
        p10, _p50, p90 = self.band(sigma)
        return bool(p10 <= final <= p90)


def pairs_table(pairs: pd.DataFrame) -> pd.DataFrame:
    """The pairs with what the engine needs: date, calendar, kind, months to the close, lead group."""
    rows = []
    for r in pairs.itertuples():
        as_of = pair_date(r.prov_date)
        cal = default_calendar(int(r.year))
        months = months_between(as_of, cal.close)
        rows.append(
            {
                "id": r.id,
                "pemda": r.pemda,
                "year": int(r.year),
                "date": as_of,
                "kind": PAIR_KINDS.get(r.level, "kabupaten"),
                "provisional": float(r.prov_score),
                "final": float(r.final_score),
                "months": months,
                "lead": lead_group(months),
                "calendar": cal,
            }
        )
    return pd.DataFrame(rows)


def pair_draws(table: pd.DataFrame, params: RiskParams, draws: int, grid: tuple[float, ...] = GRID) -> dict:
    """``{(pair id, completion_months): PairDraws}`` for every pair and grid value."""
    out = {}
    for r in table.itertuples():
        for months in grid:
            engine, _docs = totals_engine(
                DashboardTotal(r.provisional, r.date, kind=r.kind, year=r.year),
                ForecastOptions(
                    risk=replace(params, completion_months=float(months)), calendar=r.calendar, draws=draws
                ),
            )
            out[(r.id, months)] = PairDraws(engine.without(), engine.weights, engine.z, engine.current)
    return out


@dataclass(frozen=True)
class Fit:
    """What is fitted on a set of pairs: the centre and the error σ of each lead group (a group
    with no pair keeps ``params``' value)."""

    completion_months: float
    errors: dict[str, float]

    def params(self, base: RiskParams) -> RiskParams:
        return replace(
            base, completion_months=self.completion_months, **{f"error_{k}": v for k, v in self.errors.items()}
        )


def fit(table: pd.DataFrame, draws: dict, base: RiskParams, grid: tuple[float, ...] = GRID) -> Fit:
    """The centre and each lead group's σ fitted on the pairs of ``table``."""

    def miss(months: float) -> float:
        return sum(abs(draws[(r.id, months)].median() - r.final) for r in table.itertuples())

    centre = min(grid, key=lambda m: (miss(m), m))
    errors = {}
    for key, _start, _label in LEAD_GROUPS:
        group = table[table["lead"] == key]
        if group.empty:
            errors[key] = float(getattr(base, f"error_{key}"))
            continue
        need = min(len(group), math.ceil(COVERAGE * (len(group) + 1) - 1e-9))
        errors[key] = next(
            (s for s in SIGMAS if sum(draws[(r.id, centre)].inside(r.final, s) for r in group.itertuples()) >= need),
            SIGMAS[-1],
        )
    return Fit(float(centre), {k: float(v) for k, v in errors.items()})


DRAWS = 10_000
"""Draws per pair and grid value in the backtest (24 pairs × 11 grid values)."""


@dataclass(frozen=True, eq=False)
class Backtest:
    """Leave-one-out projections, the fit on all pairs, and the summary per lead group."""

    loo: pd.DataFrame
    full: Fit
    summary: pd.DataFrame


def backtest(pairs: pd.DataFrame, params: RiskParams | None = None, draws: int = DRAWS) -> Backtest:
    """:func:`leave_one_out`, :func:`calibrate` and :func:`summary` on one set of draws."""
    base = params or RiskParams()
    table = pairs_table(pairs)
    d = pair_draws(table, base, draws)
    loo = _leave_one_out(table, d, base)
    full = fit(table, d, base)
    return Backtest(loo, full, summary(loo, full))


def leave_one_out(pairs: pd.DataFrame, params: RiskParams | None = None, draws: int = DRAWS) -> pd.DataFrame:
    """Each pair projected with the centre and σ fitted on all the other pairs: the median, the
    80% band, whether the final lies inside it, the absolute error of the median (points), and the
    straight line's for comparison."""
    base = params or RiskParams()
    table = pairs_table(pairs)
    return _leave_one_out(table, pair_draws(table, base, draws), base)


def _leave_one_out(table: pd.DataFrame, d: dict, base: RiskParams) -> pd.DataFrame:
    rows = []
    for i, r in enumerate(table.itertuples()):
        f = fit(table.drop(index=table.index[i]), d, base)
        p10, p50, p90 = d[(r.id, f.completion_months)].band(f.errors[r.lead])
        line = straight_line(r.provisional, r.date, dt.date(r.year, 12, 31))
        rows.append(
            {
                "id": r.id,
                "pemda": r.pemda,
                "year": r.year,
                "date": r.date,
                "months": r.months,
                "lead": r.lead,
                "provisional": r.provisional,
                "final": r.final,
                "completion_months": f.completion_months,
                "error": f.errors[r.lead],
                "p10": p10,
                "median": p50,
                "p90": p90,
                "inside": bool(p10 <= r.final <= p90),
                "abs_error": abs(p50 - r.final),
                "line": line,
                "line_error": abs(line - r.final),
            }
        )
    return pd.DataFrame(rows)


def calibrate(pairs: pd.DataFrame, params: RiskParams | None = None, draws: int = DRAWS) -> Fit:
    """The centre and each lead group's σ fitted on all the pairs (the defaults' source)."""
    base = params or RiskParams()
    table = pairs_table(pairs)
    return fit(table, pair_draws(table, base, draws), base)


def summary(loo: pd.DataFrame, full: Fit) -> pd.DataFrame:
    """Per lead group and overall: pairs, finals inside the 80% band (leave-one-out), mean,
    median and largest absolute error (points), the months to the close it covers, and the σ and
    centre fitted on all pairs."""
    rows = []
    for key, _start, label in LEAD_GROUPS:
        g = loo[loo["lead"] == key]
        rows.append(_row(key, label, g, full.errors.get(key, math.nan), full.completion_months))
    rows.append(_row("all", "semua", loo, math.nan, full.completion_months))
    return pd.DataFrame(rows)


def _row(key: str, label: str, g: pd.DataFrame, sigma: float, centre: float) -> dict:
    return {
        "lead": key,
        "label": label,
        "pairs": len(g),
        "inside": int(g["inside"].sum()),
        "mean_abs_error": round(float(g["abs_error"].mean()), 2) if len(g) else math.nan,
        "median_abs_error": round(float(g["abs_error"].median()), 2) if len(g) else math.nan,
        "max_abs_error": round(float(g["abs_error"].max()), 2) if len(g) else math.nan,
        "months_min": round(float(g["months"].min()), 2) if len(g) else math.nan,
        "months_max": round(float(g["months"].max()), 2) if len(g) else math.nan,
        "error": sigma,
        "completion_months": centre,
    }


@dataclass(frozen=True)
class MeasuredError:
    """What was measured of the projection on real years for one lead group (leave-one-out)."""

    lead: str
    label: str
    pairs: int
    inside: int
    mean_abs_error: float
    max_abs_error: float

    def words(self) -> str:
        """In Bahasa Indonesia, for the brief."""
        from mcp_lib import text

        if not self.pairs:
            return f"untuk data {self.label} belum ada tahun nyata untuk mengukur galat proyeksi"
        return (
            f"untuk data {self.label}, proyeksi nilai total meleset rata-rata {text.number(self.mean_abs_error, 1)} "
            f"poin (paling jauh {text.number(self.max_abs_error, 1)}) pada {self.pairs} pemda-tahun nyata, "
            f"dan nilai finalnya jatuh di dalam rentang 80% pada {self.inside} dari {self.pairs} pemda-tahun itu"
        )


@cache
def measured_errors(path: str | None = None) -> dict[str, MeasuredError]:
    """The leave-one-out errors per lead group from ``data/reference/forecast-calibration.csv``."""
    from mcp_lib.config import REFERENCE_DIR

    frame = pd.read_csv(Path(path) if path else REFERENCE_DIR / CALIBRATION_FILE)
    return {
        r.lead: MeasuredError(
            r.lead, r.label, int(r.pairs), int(r.inside), float(r.mean_abs_error), float(r.max_abs_error)
        )
        for r in frame.itertuples()
    }


def measured_error(months_to_close: float) -> MeasuredError:
    """The measured error for a snapshot ``months_to_close`` months before the upload close."""
    return measured_errors()[lead_group(months_to_close)]


__all__ = [
    "Backtest",
    "Fit",
    "MeasuredError",
    "backtest",
    "calibrate",
    "leave_one_out",
    "measured_error",
    "measured_errors",
    "pair_date",
    "straight_line",
    "summary",
]
