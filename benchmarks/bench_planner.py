"""Planner benchmark (run on demand, not a test): exact vs greedy, and Monte Carlo time.

    .venv/bin/python benchmarks/bench_planner.py [--sizes 150 500 2000] [--seed 1]

Random instances shaped like a pemda's remaining documents: gains of a few tenths of a point
(summing to ~35 points as on the sample), efforts of 1–20 person-days, ten OPDs of which six have
a capacity, a few blocked, and a target that needs ~70% of the open points.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from mcp_lib.planner import Problem01, draw_passes, solve_greedy, solve_min_effort, success_probability


def instance(n: int, rng: np.random.Generator) -> Problem01:
    gain = rng.gamma(2.0, 1.0, n)
    gain *= 35.0 / gain.sum()
    cost = np.clip(np.round(rng.gamma(2.2, 2.5, n)), 1, 20)
    group = rng.integers(0, 10, n)
    capacity = np.array([cost[group == g].sum() * 0.8 if g < 6 else np.inf for g in range(10)])
    ban = rng.random(n) < 0.03
    return Problem01(
        gain,
        cost,
        0.7 * gain.sum(),
        group,
        capacity,
        np.zeros(n, bool),
        ban,
        rng.integers(0, 90, n).astype(float),
    )


def timed(fn, *args, repeat: int = 3):
    best, out = np.inf, None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn(*args)
        best = min(best, time.perf_counter() - t)
    return best, out


def monte_carlo(gain: np.ndarray, probs: np.ndarray) -> float:
    passes = draw_passes(probs, 10_000, seed=0)
    return success_probability(65.0, gain, passes, 90.0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[150, 500, 2000])
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    print(f"{'docs':>6} {'exact s':>9} {'greedy s':>9} {'exact/greedy effort':>20} {'MC 10k s':>9}")
    for n in args.sizes:
        p = instance(n, rng)
        t_exact, x = timed(solve_min_effort, p)
        t_greedy, g = timed(solve_greedy, p)
        ratio = p.cost[x].sum() / p.cost[g].sum() if x is not None and g is not None else float("nan")
        probs = rng.uniform(0.46, 0.74, n)

        t_mc, _ = timed(monte_carlo, p.gain[x], probs[x])
        print(f"{n:>6} {t_exact:>9.3f} {t_greedy:>9.4f} {ratio:>20.3f} {t_mc:>9.3f}")


if __name__ == "__main__":
    main()
