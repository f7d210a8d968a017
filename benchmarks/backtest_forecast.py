"""Backtest of the year-end forecast on real provisional → final pairs (run on demand).

    .venv/bin/python benchmarks/backtest_forecast.py [--draws 10000] [--csv PATH]

For each pair of ``data/reference/provisional-final-pairs.csv`` (a score reported during the year
and the final score of the same pemda and year, from public reports) it runs the totals-only
forecast (``mcp forecast``: score and date only, no claim) and prints the forecast median, the 80%
band, whether the real final lies inside it, and the absolute error of the median; then the same
for the straight-line projection the forecast replaced (the score rising from 0 on 1 January at
the same pace until 31 December). Dates given as ``~YYYY-MM`` are read as the 15th of the month.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from pathlib import Path

import numpy as np
import pandas as pd

from mcp_lib.config import REFERENCE_DIR
from mcp_lib.forecast import forecast_totals, straight_line
from mcp_lib.risk import RiskParams, default_calendar

KINDS = {"kota": "kota", "kab": "kabupaten", "prov": "provinsi", "nasional": "kabupaten"}


def parse_date(text: str) -> dt.date:
    m = re.search(r"(\d{4})-(\d{2})(?:-(\d{2}))?", str(text))
    if not m:
        raise ValueError(f"no date in {text!r}")
    return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 15))


def backtest(pairs: pd.DataFrame, params: RiskParams | None = None, draws: int = 10_000) -> pd.DataFrame:
    rows = []
    for r in pairs.itertuples():
        as_of = parse_date(r.prov_date)
        cal = default_calendar(int(r.year))
        f = forecast_totals(
            float(r.prov_score), as_of, kind=KINDS.get(r.level, "kabupaten"), year=int(r.year),
            calendar=cal, params=params, draws=draws,
        )  # fmt: skip
        line = straight_line(float(r.prov_score), as_of, dt.date(int(r.year), 12, 31))
        rows.append(
            {
                "id": r.id, "pemda": r.pemda, "year": r.year, "date": as_of, "lead": r.lead_group,
                "provisional": r.prov_score, "final": r.final_score, "p10": f.p10, "median": f.median,
                "p90": f.p90, "inside": f.p10 <= r.final_score <= f.p90, "error": abs(f.median - r.final_score),
                "line": line, "line_error": abs(line - r.final_score),
            }
        )  # fmt: skip
    return pd.DataFrame(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--csv", type=Path, default=REFERENCE_DIR / "provisional-final-pairs.csv")
    ap.add_argument("--draws", type=int, default=10_000)
    args = ap.parse_args()
    out = backtest(pd.read_csv(args.csv), draws=args.draws)
    pd.set_option("display.width", 160)
    shown = out.assign(
        band=lambda d: d["p10"].map("{:.1f}".format) + "–" + d["p90"].map("{:.1f}".format),
        median=lambda d: d["median"].round(1), error=lambda d: d["error"].round(1),
        line=lambda d: d["line"].round(1), line_error=lambda d: d["line_error"].round(1),
    )[["pemda", "year", "date", "lead", "provisional", "final", "median", "band", "inside", "error", "line", "line_error"]]  # fmt: skip
    print(shown.to_string(index=False))
    print()
    print(f"pairs: {len(out)}")
    print(
        f"finals inside the 80% band: {int(out['inside'].sum())}/{len(out)} ({100 * out['inside'].mean():.0f}%)"
    )
    print(
        f"median absolute error: forecast {out['error'].median():.1f} points, straight line {out['line_error'].median():.1f} points"
    )
    print(
        f"mean absolute error:   forecast {out['error'].mean():.1f} points, straight line {out['line_error'].mean():.1f} points"
    )
    for lead, g in out.groupby("lead", sort=False):
        print(
            f"  {lead:>5}: {len(g)} pairs, inside {int(g['inside'].sum())}, median error forecast "
            f"{g['error'].median():.1f}, straight line {g['line_error'].median():.1f}"
        )
    _ = np


if __name__ == "__main__":
    main()
