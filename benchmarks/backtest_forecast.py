"""Backtest of the year's-end projection on real provisional → final pairs, leave-one-out (run on
demand; its test checks the calibration file against it).

    .venv/bin/python benchmarks/backtest_forecast.py [--draws 10000] [--csv PATH] [--write]

For each pair of ``data/reference/provisional-final-pairs.csv`` (a score reported during the year
and the final score of the same pemda and year, from public reports) it fits the projection's
centre (``completion_months``) and each lead group's error σ on the *other* pairs, projects the
pair from its score and date alone (what ``mcp forecast`` does, no claim) and prints the median,
the 80% band, whether the real final lies inside it and the absolute error of the median; then
the straight-line projection the forecast replaced (the score rising from 0 on 1 January at the
same pace until 31 December). Then, per lead group and overall, the leave-one-out coverage of the
80% band and the errors, and the fit on all pairs (the defaults of ``RiskParams``).

``--write`` writes that summary to ``data/reference/forecast-calibration.csv``, which the brief
reads to say how far the projection has missed on real years at the snapshot's point of the year.
Dates given as ``~YYYY-MM`` are read as the 15th of the month.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from mcp_lib.backtest import CALIBRATION_FILE, DRAWS, backtest
from mcp_lib.config import REFERENCE_DIR
from mcp_lib.risk.params import RiskParams


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--csv", type=Path, default=REFERENCE_DIR / "provisional-final-pairs.csv")
    ap.add_argument("--draws", type=int, default=DRAWS)
    ap.add_argument("--write", action="store_true", help=f"write data/reference/{CALIBRATION_FILE}")
    args = ap.parse_args()
    pairs = pd.read_csv(args.csv)
    result = backtest(pairs, draws=args.draws)
    out, full = result.loo, result.full
    pd.set_option("display.width", 200)
    shown = out.assign(
        band=lambda d: d["p10"].map("{:.1f}".format) + "–" + d["p90"].map("{:.1f}".format),
        months=lambda d: d["months"].round(2),
        median=lambda d: d["median"].round(1),
        abs_error=lambda d: d["abs_error"].round(1),
        line=lambda d: d["line"].round(1),
        line_error=lambda d: d["line_error"].round(1),
    )[
        [
            "id",
            "pemda",
            "year",
            "date",
            "months",
            "lead",
            "provisional",
            "final",
            "completion_months",
            "error",
            "median",
            "band",
            "inside",
            "abs_error",
            "line",
            "line_error",
        ]
    ]
    print("Leave-one-out: each pair projected with the centre and sigma fitted on the other pairs")
    print(shown.to_string(index=False))
    print()
    table = result.summary
    for r in table.itertuples():
        print(
            f"{r.lead:>5} ({r.label}): {r.pairs} pairs, inside the 80% band {r.inside}/{r.pairs}"
            + (f" ({100 * r.inside / r.pairs:.0f}%)" if r.pairs else "")
            + f"; absolute error mean {r.mean_abs_error:.1f}, median {r.median_abs_error:.1f}, "
            f"max {r.max_abs_error:.1f} points"
        )
    print(
        f"straight line: median absolute error {out['line_error'].median():.1f} points "
        f"(forecast {out['abs_error'].median():.1f})"
    )
    base = RiskParams()
    print()
    print(
        f"fit on all {len(pairs)} pairs: completion_months {full.completion_months:g}",
        f"(default {base.completion_months:g})",
    )
    for key, sigma in full.errors.items():
        print(f"  error_{key} {sigma:g} (default {getattr(base, f'error_{key}'):g})")
    if args.write:
        path = REFERENCE_DIR / CALIBRATION_FILE
        table.to_csv(path, index=False, lineterminator="\n")
        print(f"written: {path}")


if __name__ == "__main__":
    main()
