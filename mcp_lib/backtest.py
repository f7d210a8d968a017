"""The year-end forecast checked against real years: the totals-only forecast
(:func:`mcp_lib.forecast.forecast_totals`) and the straight-line projection it replaced, on real
provisional → final pairs (``data/reference/provisional-final-pairs.csv``, run by
``benchmarks/backtest_forecast.py`` and its test). Not used by the workbook itself.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from mcp_lib.forecast import forecast_totals
from mcp_lib.mcp_calendar import default_calendar, months_between
from mcp_lib.risk_params import RiskParams


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


def backtest(pairs: pd.DataFrame, params: RiskParams | None = None, draws: int = 10_000) -> pd.DataFrame:
    """The totals-only forecast and the straight line on real provisional → final pairs
    (``data/reference/provisional-final-pairs.csv``): per pair the forecast median, 80% band,
    whether the final lies inside it and the absolute errors of both."""
    rows = []
    for r in pairs.itertuples():
        as_of = pair_date(r.prov_date)
        f = forecast_totals(
            float(r.prov_score),
            as_of,
            kind=PAIR_KINDS.get(r.level, "kabupaten"),
            year=int(r.year),
            calendar=default_calendar(int(r.year)),
            params=params,
            draws=draws,
        )
        line = straight_line(float(r.prov_score), as_of, dt.date(int(r.year), 12, 31))
        rows.append(
            {
                "id": r.id,
                "pemda": r.pemda,
                "year": r.year,
                "date": as_of,
                "lead": r.lead_group,
                "provisional": r.prov_score,
                "final": r.final_score,
                "p10": f.p10,
                "median": f.median,
                "p90": f.p90,
                "inside": f.p10 <= r.final_score <= f.p90,
                "error": abs(f.median - r.final_score),
                "line": line,
                "line_error": abs(line - r.final_score),
            }
        )
    return pd.DataFrame(rows)
