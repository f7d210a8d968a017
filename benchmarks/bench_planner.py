"""Planner benchmark (run on demand, not a test): exact vs greedy, the risk model's Monte Carlo,
the plan with reserve, and a whole ``mcp plan`` on the sample.

    .venv/bin/python benchmarks/bench_planner.py [--sizes 150 500 2000] [--seed 1] [--repeat 5]

Random instances shaped like a pemda's remaining documents: gains of a few tenths of a point
(summing to ~35 points as on the sample), efforts of 1–20 person-days, ten OPDs of which six have
a capacity, a few blocked, and a target that needs ~70% of the open points.

Monte Carlo: 10,000 draws of the verification-risk model (:class:`mcp_lib.risk.model.Draws`) for a
framework of N documents (a 2025-sized pemda has 680): generating the draws, the outcome of every
not-yet-verified document, the QA risk of the verified ones, and the score distribution. The
target is ≤ 100 ms at 700 documents.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import baseline

from mcp_lib.plan.optimise import Problem01, solve_greedy, solve_min_effort
from mcp_lib.risk.model import Draws, band, chance, risk_inputs
from mcp_lib.risk.params import RiskParams

ROOT = Path(__file__).resolve().parent.parent
AREAS = (
    "Pajak Daerah",
    "Manajemen Aset",
    "Penguatan APIP",
    "Perizinan",
    "Pengadaan",
    "Manajemen ASN",
    "Perencanaan",
    "Pelayanan Publik",
)


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


def documents(n: int, rng: np.random.Generator) -> pd.DataFrame:
    """A scored snapshot of ``n`` documents (~5.5 per sub-indicator, as in 2025): 45% verified,
    the rest awaiting, returned or not uploaded."""
    status = rng.choice(["diverifikasi", "diunggah", "perlu_perbaikan", "belum"], n, p=[0.45, 0.2, 0.1, 0.25])
    value = rng.uniform(0.05, 0.25, n)
    value *= 100 / value.sum()
    verified = status == "diverifikasi"
    return pd.DataFrame(
        {
            "doc_code": [f"D{i:04d}" for i in range(n)],
            "subindicator_code": [f"S{i * 2 // 11:03d}" for i in range(n)],
            "area_code": [f"A{i % 8}" for i in range(n)],
            "area_name": [AREAS[i % 8] for i in range(n)],
            "status": status,
            "applicable": True,
            "points": 100.0,
            "verified_points": np.where(verified, 100.0, 0.0),
            "open": np.where(verified, 0.0, value),
            "earned": np.where(verified, value, 0.0),
            "blocker": np.where(rng.random(n) < 0.02, "menunggu BPN", ""),
        }
    )


def monte_carlo(docs: pd.DataFrame, months: np.ndarray) -> tuple[float, tuple]:
    params = RiskParams()
    inputs = risk_inputs(docs, params)
    draws = Draws(inputs, params, 10_000, seed=0)
    idx = np.flatnonzero(inputs.gain > 0)
    scores = (
        docs["earned"].sum() - draws.qa_loss() + draws.fractions(idx, months[idx]) @ inputs.gain[idx].astype(np.float32)
    )
    return chance(scores, 90.0), band(scores)


def timed(fn, *args, repeat: int = 3):
    best, out = np.inf, None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn(*args)
        best = min(best, time.perf_counter() - t)
    return best, out


def measure(args: argparse.Namespace) -> dict[str, float]:
    """The figures with whatever ``mcp_lib`` this process imports (seeded: both sides solve the
    very same problems)."""
    out: dict[str, float] = {}
    for n in args.sizes:
        rng = np.random.default_rng(args.seed + n)
        times, ratios = [], []
        for _ in range(args.problems):
            p = instance(n, rng)
            t_exact, x = timed(solve_min_effort, p, repeat=2)
            g = solve_greedy(p)
            times.append(t_exact)
            if x is not None and g is not None:
                ratios.append(p.cost[x].sum() / p.cost[g].sum())
        out[f"exact plan {n} docs, median of {args.problems}, s"] = float(np.median(times))
        out[f"exact plan {n} docs, slowest of {args.problems}, s"] = float(np.max(times))
        out[f"effort exact/greedy {n} docs"] = float(np.mean(ratios)) if ratios else float("nan")
    rng = np.random.default_rng(args.seed)
    for n in args.mc_sizes:
        docs = documents(n, rng)
        months = rng.uniform(0, 3, n)
        out[f"Monte Carlo 10,000 draws, {n} docs, s"], _ = timed(monte_carlo, docs, months, repeat=args.repeat)
    cmd = [sys.executable, "-m", "mcp_lib", "plan", "--pemda", "kota-lubuklinggau", "--period", "2023-10"]
    runs = []
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
        runs.append(time.perf_counter() - t)
    out["mcp plan on the sample (whole process), s"] = min(runs)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[150, 500, 680, 2000])
    ap.add_argument("--problems", type=int, default=8, help="random problems per size (each solved twice, best kept)")
    ap.add_argument("--mc-sizes", type=int, nargs="+", default=[143, 700, 2000])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=1, help="alternating rounds of baseline and now")
    ap.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    baseline.add_argument(ap)
    args = ap.parse_args()
    if args.measure:
        print(json.dumps(measure(args)))
        return
    forwarded = ["--sizes", *map(str, args.sizes), "--problems", str(args.problems), "--mc-sizes"]
    forwarded += [*map(str, args.mc_sizes), "--seed", str(args.seed), "--repeat", str(args.repeat)]
    script = Path(__file__).resolve()
    with baseline.code_roots(args.baseline) as roots:
        results = baseline.alternate(
            args.rounds,
            {
                label: (lambda code=code: baseline.measure(script, code, [*forwarded, "--measure"]))
                for label, code in roots.items()
            },
        )
    baseline.table(
        results,
        goals={
            f"exact plan 500 docs, median of {args.problems}, s": "≤ 0.075",
            f"exact plan 680 docs, median of {args.problems}, s": "≤ 0.100",
            f"exact plan 2000 docs, median of {args.problems}, s": "≤ 0.2",
            "Monte Carlo 10,000 draws, 700 docs, s": "≤ 0.100",
            "mcp plan on the sample (whole process), s": "< 2",
        },
    )


if __name__ == "__main__":
    main()
