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
from pathlib import Path

import pandas as pd

from mcp_lib.backtest import backtest
from mcp_lib.config import REFERENCE_DIR


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--csv", type=Path, default=REFERENCE_DIR / "provisional-final-pairs.csv")
    ap.add_argument("--draws", type=int, default=10_000)
    args = ap.parse_args()
    out = backtest(pd.read_csv(args.csv), draws=args.draws)
    pd.set_option("display.width", 160)
    shown = out.assign(
        band=lambda d: d["p10"].map("{:.1f}".format) + "–" + d["p90"].map("{:.1f}".format),
        median=lambda d: d["median"].round(1),
        error=lambda d: d["error"].round(1),
        line=lambda d: d["line"].round(1),
        line_error=lambda d: d["line_error"].round(1),
    )[
        [
            "pemda",
            "year",
            "date",
            "lead",
            "provisional",
            "final",
            "median",
            "band",
            "inside",
            "error",
            "line",
            "line_error",
        ]
    ]
    print(shown.to_string(index=False))
    print()
    print(f"pairs: {len(out)}")
    print(f"finals inside the 80% band: {int(out['inside'].sum())}/{len(out)} ({100 * out['inside'].mean():.0f}%)")
    print(
        f"median absolute error: forecast {out['error'].median():.1f} points, straight line "
        f"{out['line_error'].median():.1f} points"
    )
    print(
        f"mean absolute error:   forecast {out['error'].mean():.1f} points, straight line "
        f"{out['line_error'].mean():.1f} points"
    )
    for lead, g in out.groupby("lead", sort=False):
        print(
            f"  {lead:>5}: {len(g)} pairs, inside {int(g['inside'].sum())}, median error forecast "
            f"{g['error'].median():.1f}, straight line {g['line_error'].median():.1f}"
        )


if __name__ == "__main__":
    main()
