"""A 2025-sized (MCSP) pemda against the 2023 sample, side by side in one run (run on demand, not a test).

    .venv/bin/python benchmarks/bench_mcsp.py [--repeat 7] [--brief-runs 3] [--targets 80 85 90]
        [--province Bengkulu] [--workers 2] [--batch-modes full brief-only] [--skip-inprocess] [--skip-brief]
        [--skip-batch] [--profile]

Bundled pemda: ``kab-musi-rawas`` 2025-10 (2025 framework, 680 documents) against
``kota-lubuklinggau`` 2023-10 (2023 framework, 143 documents).

1. **Exact plan**: the least-effort plan for one target, the 0/1 program that
   :func:`mcp_lib.plan.planner.plan_path` builds (captured from a ``plan_path`` call, so it is the
   very same problem) solved by :func:`mcp_lib.plan.optimise.solve_min_effort` (least effort and the
   tie-breaks, up to five HiGHS solves); median and max over ``--repeat`` per target. Also the
   whole ``plan_path(confidence=0)`` (minimal plan only: scoring, candidates, the Monte Carlo
   set-up, greedy). Acceptance: exact plan ≤ 0.5 s at 680 documents (judged on the max).
2. **Monte Carlo** with the default number of draws: one chance of reaching the target under the
   verification-risk model (:class:`mcp_lib.risk.model.Draws` of every document, every open document
   uploaded now, QA risk, :func:`mcp_lib.risk.model.chance`); the plan with reserve
   (``plan_path`` at the default confidence: bisection on the buffer, a Monte Carlo estimate per
   candidate plan, trim and swap), with its HiGHS solves and ``Draws.fractions`` calls counted; the
   year-end forecast (:func:`mcp_lib.forecast.forecast_pemda`). Milliseconds per call and the
   ratio 680 / 143 documents.
3. **One brief** as a fresh process (``python -m mcp_lib brief ... --force --out <tmp>``), the
   two pemda alternated A B A B over ``--brief-runs`` after one warm-up each; median wall time,
   and the ratio 680-document / 2023 brief. Acceptance: ratio ≤ 1.5. Also the in-process
   compute of each brief (``steps.prepare`` and every section function of the notebooks), which
   is where the two differ.
4. **Batch per brief**: ``generate_pemda_folders`` (what ``mcp sample`` runs) for ``--province`` on
   the 2025 framework and on the 2023 one into a temporary folder, then
   ``mcp --data-dir <tmp> batch --pemda-glob '<tmp>/pemda/*' --period <year>-10 --out <tmp>/out`` for each
   (a fresh process each; nothing is written to the repository's ``outputs/``); seconds per brief, wall time
   of the whole command divided by the pemda, 2025 and 2023 alternated over ``--batch-runs``; as is (three
   notebooks per pemda) and with ``--brief-only`` (national runs).

``--profile`` adds a cProfile of the 680-document brief's compute (``steps.prepare`` and the
section functions), top functions by cumulative and by own time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from mcp_lib.brief import sections, steps
from mcp_lib.brief.request import BriefRequest
from mcp_lib.forecast import ForecastOptions, forecast_pemda
from mcp_lib.framework.calendar import months_between
from mcp_lib.pemda.model import pemda_calendar, pemda_framework
from mcp_lib.pemda.settings import load_pemda
from mcp_lib.pemda.snapshot import load_history, load_period
from mcp_lib.plan import optimise, planner
from mcp_lib.risk.model import Draws, chance, risk_inputs
from mcp_lib.sample.generate import generate_pemda_folders
from mcp_lib.scoring import penalty_points, score_documents
from mcp_lib.trend import opd_history

ROOT = Path(__file__).resolve().parent.parent
NEW = ("kab-musi-rawas", "2025-10")  # 2025 framework, 680 documents
OLD = ("kota-lubuklinggau", "2023-10")  # 2023 framework, 143 documents
PLAN_LIMIT = 0.5  # s, exact plan at 680 documents
MINIMAL = planner.PlanOptions(confidence=0)  # the minimal plan only
BRIEF_RATIO_LIMIT = 1.5  # 680-document brief / 2023 brief
SECTIONS = (
    "title",
    "headline",
    "trend_section",
    "areas_section",
    "detail_table",
    "opd_section",
    "targets_table",
    "path_charts",
    "obstacles_table",
    "scenarios_table",
    "action_list",
    "blocked_table",
    "followup_tables",
    "method_section",
)
"""The section functions the three brief notebooks call (each once here)."""


def load(name: str, period: str):
    p = load_pemda(name)
    fw = pemda_framework(p)
    snap = load_period(p, fw, period)
    paced = opd_history(fw, p.kind, load_history(p, fw, until=snap.date))  # each OPD's pace, as the brief's forecast
    return p, fw, snap, paced


def repeat_times(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return times


def captured_problem(fw, p, snap, target: float) -> optimise.Problem01:
    """The 0/1 program ``plan_path`` solves for the minimal plan of ``target`` (its first
    ``solve_min_effort`` call), captured rather than rebuilt so that it stays the library's."""
    seen: list[optimise.Problem01] = []
    original = planner.solve_min_effort

    def spy(prob, *args, **kwargs):
        if not seen:
            seen.append(prob)
        return original(prob, *args, **kwargs)

    planner.solve_min_effort = spy
    try:
        planner.plan_path(fw, p, snap, target, planner.PlanOptions(confidence=0, draws=100))
    finally:
        planner.solve_min_effort = original
    return seen[0]


class Counted:
    """Counts (and times) calls of functions while a block runs, each given as ``(owner, name)``
    (a module or a class): e.g. the plan with reserve's HiGHS solves (``optimise._solve``) and
    Monte Carlo columns (``Draws.fractions``)."""

    def __init__(self, *targets: tuple[object, str]):
        self.targets = [(owner, name) for owner, name in targets if hasattr(owner, name)]
        self.calls = {name: 0 for _owner, name in self.targets}
        self.seconds = {name: 0.0 for _owner, name in self.targets}

    def __enter__(self):
        self.saved = [(owner, name, owner.__dict__[name]) for owner, name in self.targets]
        for owner, name, fn in self.saved:
            setattr(owner, name, self._wrap(name, fn))
        return self

    def _wrap(self, name, fn):
        def wrapped(*args, **kwargs):
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.calls[name] += 1
                self.seconds[name] += time.perf_counter() - t

        return wrapped

    def __exit__(self, *exc):
        for owner, name, fn in self.saved:
            setattr(owner, name, fn)


def risk_chance(fw, p, snap, target: float, draws: int) -> float:
    """One chance of reaching ``target`` under the risk model: draws of every document, every
    open document uploaded now (months left to the close), QA risk of the verified points."""
    params = p.risk
    docs = score_documents(fw, p.kind, snap)
    inputs = risk_inputs(docs, params)
    d = Draws(inputs, params, draws, seed=0)
    status = docs["status"].to_numpy()
    decided = docs["applicable"].to_numpy() & np.isin(status, ("diverifikasi", "perlu_perbaikan"))
    whole = docs["verified_points"].fillna(0).to_numpy(float) >= docs["points"].to_numpy(float) - 1e-9
    full = decided & (status == "diverifikasi") & whole
    d.condition(np.flatnonzero(full), np.flatnonzero(decided & ~full))
    idx = np.flatnonzero(inputs.gain > 1e-12)
    months = max(months_between(snap.date, pemda_calendar(p, fw).close), 0.0)
    current = float(docs.loc[docs["applicable"], "earned"].sum()) - penalty_points(fw, p)
    scores = current - d.qa_loss() + d.fractions(idx, months) @ inputs.gain[idx].astype(np.float32)
    return chance(scores, target, d.weights)


def ms(seconds: float) -> str:
    return f"{1000 * seconds:.1f}"


# --- 1 and 2: in-process --------------------------------------------------------------------


def bench_plans(args, loaded: dict) -> None:
    print(f"== 1. exact plan (solve_min_effort on plan_path's own problem), {args.repeat} repeats")
    print(
        f"{'pemda':<18} {'docs':>5} {'target':>6} {'cand':>5} {'reach':>5} {'exact med ms':>12} "
        f"{'exact max ms':>12} {'1 solve ms':>10} {'plan_path(conf=0) ms':>20}"
    )
    worst_new = 0.0
    for key, (p, fw, snap, _hist) in loaded.items():
        for target in args.targets:
            prob = captured_problem(fw, p, snap, target)
            x = optimise.solve_min_effort(prob)
            exact = repeat_times(lambda prob=prob: optimise.solve_min_effort(prob), args.repeat)
            one = repeat_times(lambda prob=prob: optimise.solve_min_effort(prob, stages=1), args.repeat)
            whole = repeat_times(
                lambda t=target, p=p, fw=fw, snap=snap: planner.plan_path(fw, p, snap, t, MINIMAL),
                max(3, args.repeat // 2),
            )
            if key == NEW:
                worst_new = max(worst_new, max(exact))
            print(
                f"{key[0]:<18} {len(snap.documents):>5} {target:>6g} {prob.n:>5} {'yes' if x is not None else 'no':>5} "
                f"{ms(statistics.median(exact)):>12} {ms(max(exact)):>12} {ms(statistics.median(one)):>10} "
                f"{ms(statistics.median(whole)):>20}"
            )
    verdict = "PASS" if worst_new <= PLAN_LIMIT else "FAIL"
    print(
        f"exact plan at 680 documents, worst of all targets and repeats: {worst_new:.3f} s "
        f"(limit {PLAN_LIMIT} s): {verdict}"
    )
    print()


def bench_monte_carlo(args, loaded: dict) -> None:
    draws = planner.PlanOptions().draws
    f_draws = ForecastOptions().draws
    rep = max(3, args.repeat // 2)
    print(
        f"== 2. Monte Carlo, default draws (plan {draws:,}, forecast {f_draws:,}), median of {rep} (1 chance and "
        f"forecast: of {args.repeat})"
    )
    rows: dict[tuple, dict] = {}
    for key, (p, fw, snap, hist) in loaded.items():
        for target in args.targets:
            r = rows.setdefault((key, target), {})
            r["chance"] = statistics.median(
                repeat_times(lambda t=target, p=p, fw=fw, snap=snap: risk_chance(fw, p, snap, t, draws), args.repeat)
            )
            r["minimal"] = statistics.median(
                repeat_times(lambda t=target, p=p, fw=fw, snap=snap: planner.plan_path(fw, p, snap, t, MINIMAL), rep)
            )
            r["reserve"] = statistics.median(
                repeat_times(lambda t=target, p=p, fw=fw, snap=snap: planner.plan_path(fw, p, snap, t), rep)
            )
            with Counted((optimise, "_solve"), (Draws, "fractions"), (planner, "Chances")) as c:
                plan = planner.plan_path(fw, p, snap, target)
            r["solves"], r["solve_s"] = c.calls.get("_solve", 0), c.seconds.get("_solve", 0.0)
            r["fractions"], r["fractions_s"] = c.calls.get("fractions", 0), c.seconds.get("fractions", 0.0)
            r["setup_s"] = c.seconds.get("Chances", float("nan"))
            r["p_plan"], r["met"] = plan.verdict.p_target, plan.verdict.confidence_met
        r_f = statistics.median(
            repeat_times(lambda p=p, fw=fw, snap=snap, h=hist: forecast_pemda(fw, p, snap, opd_history=h), args.repeat)
        )
        rows[(key, "forecast")] = {"forecast": r_f}
    print("(plan_path with reserve, one call counted: HiGHS solves and their ms; Draws.fractions calls and their ms;")
    print(" the Monte Carlo set-up of the plan, Chances: the draws of every document and the conditioning)")
    print(
        f"{'pemda':<18} {'target':>6} {'1 chance ms':>11} {'minimal plan ms':>15} {'with reserve ms':>15} "
        f"{'reserve part ms':>15} {'HiGHS solves':>14} {'fractions':>14} {'MC set-up ms':>12} {'P(plan)':>8}"
    )
    for key in loaded:
        for target in args.targets:
            r = rows[(key, target)]
            print(
                f"{key[0]:<18} {target:>6g} {ms(r['chance']):>11} {ms(r['minimal']):>15} {ms(r['reserve']):>15} "
                f"{ms(r['reserve'] - r['minimal']):>15} {r['solves']:>4} ({ms(r['solve_s']):>6}) "
                f"{r['fractions']:>4} ({ms(r['fractions_s']):>6}) {ms(r['setup_s']):>12} {r['p_plan']:>8.2f}"
            )
    for key in loaded:
        print(f"{key[0]:<18} forecast_pemda: {ms(rows[(key, 'forecast')]['forecast'])} ms")
    print("ratios 680 / 143 documents:")
    for target in args.targets:
        a, b = rows[(NEW, target)], rows[(OLD, target)]
        print(
            f"  target {target:g}: 1 chance {a['chance'] / b['chance']:.1f}x, plan with reserve "
            f"{a['reserve'] / b['reserve']:.1f}x, minimal plan_path {a['minimal'] / b['minimal']:.1f}x"
        )
    print(f"  forecast: {rows[(NEW, 'forecast')]['forecast'] / rows[(OLD, 'forecast')]['forecast']:.1f}x")
    print()


def brief_compute(name: str, period: str) -> dict[str, float]:
    """Seconds of ``steps.prepare`` and of each section function, in this process."""
    out = {}
    t = time.perf_counter()
    b = steps.prepare(BriefRequest(name, period))
    out["prepare"] = time.perf_counter() - t
    for s in SECTIONS:
        fn = getattr(sections, s, None)
        if fn is None:
            continue
        t = time.perf_counter()
        fn(b)
        out[s] = time.perf_counter() - t
    return out


def bench_compute(args) -> None:
    print("== brief compute in this process (steps.prepare + section functions, once each, after a warm-up)")
    brief_compute(*NEW), brief_compute(*OLD)  # warm-up: imports, framework cache, chart machinery
    new, old = brief_compute(*NEW), brief_compute(*OLD)
    print(f"{'step':<18} {'680 docs s':>10} {'143 docs s':>10} {'ratio':>7}")
    for k in new:
        if new[k] >= 0.01 or old.get(k, 0) >= 0.01:
            print(f"{k:<18} {new[k]:>10.3f} {old.get(k, float('nan')):>10.3f} {new[k] / old[k]:>6.1f}x")
    tn, to = sum(new.values()), sum(old.values())
    print(f"{'total':<18} {tn:>10.3f} {to:>10.3f} {tn / to:>6.1f}x")
    print()


def profile_prepare(top: int) -> None:
    print(f"== cProfile: brief compute of {NEW[0]} {NEW[1]} (top {top} by cumulative time, mcp_lib only)")
    pr = cProfile.Profile()
    pr.enable()
    brief_compute(*NEW)
    pr.disable()
    buf = io.StringIO()
    pstats.Stats(pr, stream=buf).sort_stats("cumulative").print_stats("mcp_lib", top)
    lines = buf.getvalue().splitlines()
    start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls")), 0)
    print("\n".join(line.replace(str(ROOT) + "/", "") for line in lines[start:] if line.strip()))
    print(f"-- top {top} by own time, all functions")
    buf = io.StringIO()
    pstats.Stats(pr, stream=buf).sort_stats("tottime").print_stats(top)
    lines = buf.getvalue().splitlines()
    start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls")), 0)
    print("\n".join(shorten(line) for line in lines[start:] if line.strip()))
    print()


def shorten(line: str) -> str:
    """A profile line with the repository and site-packages prefixes cut."""
    line = line.replace(str(ROOT) + "/", "")
    cut = line.find("site-packages/")
    return line if cut < 0 else line[: line.rfind(" ", 0, cut) + 1] + line[cut + len("site-packages/") :]


# --- 3 and 4: whole processes ---------------------------------------------------------------


def run_wall(cmd: list[str]) -> float:
    t = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(cmd)}\n{done.stdout}\n{done.stderr}")
    return wall


def bench_brief(args, tmp: Path) -> None:
    out = tmp / "briefs"

    def cmd(key):
        return [
            sys.executable,
            "-m",
            "mcp_lib",
            "brief",
            "--pemda",
            key[0],
            "--period",
            key[1],
            "--force",
            "--out",
            str(out),
        ]

    print(f"== 3. one brief, fresh process each, A/B alternated, {args.brief_runs} pairs after 1 warm-up each")
    run_wall(cmd(NEW)), run_wall(cmd(OLD))
    a, b = [], []
    for _ in range(args.brief_runs):
        a.append(run_wall(cmd(NEW)))
        b.append(run_wall(cmd(OLD)))
    pairs = [x / y for x, y in zip(a, b, strict=True)]
    ratio = statistics.median(a) / statistics.median(b)
    print(f"{NEW[0]} {NEW[1]}: median {statistics.median(a):.2f} s  (runs {', '.join(f'{x:.2f}' for x in a)})")
    print(f"{OLD[0]} {OLD[1]}: median {statistics.median(b):.2f} s  (runs {', '.join(f'{x:.2f}' for x in b)})")
    verdict = "PASS" if ratio <= BRIEF_RATIO_LIMIT else "FAIL"
    print(
        f"ratio 680-doc / 2023 brief: {ratio:.2f}x (pairwise median {statistics.median(pairs):.2f}x, "
        f"range {min(pairs):.2f}–{max(pairs):.2f}; limit {BRIEF_RATIO_LIMIT}x): {verdict}"
    )
    for key in (NEW, OLD):
        html = out / key[0] / key[1] / "brief.html"
        nb = sum(f.stat().st_size for f in html.parent.glob("*.ipynb"))
        print(f"brief.html {key[0]}: {html.stat().st_size / 1024:.0f} KiB (executed notebooks {nb / 1024:.0f} KiB)")
    print()


def bench_batch(args, tmp: Path) -> None:
    print(
        f"== 4. batch: {args.province}, 2025 vs 2023 framework, --workers {args.workers}, "
        f"wall time of the whole command / pemda, median of {args.batch_runs}"
    )
    count = {}
    for year in (2025, 2023):
        t = time.perf_counter()
        count[year] = len(generate_pemda_folders(args.province, tmp / f"sample-{year}", framework_year=year))
        print(f"{year}: {count[year]} pemda generated in {time.perf_counter() - t:.1f} s")
    for mode in args.batch_modes:
        walls: dict[int, list[float]] = {2025: [], 2023: []}
        html: dict[int, list[int]] = {}
        for _ in range(args.batch_runs):
            for year in (2025, 2023):
                data, out = tmp / f"sample-{year}", tmp / f"batch-{mode}-{year}"
                cmd = [
                    sys.executable,
                    "-m",
                    "mcp_lib",
                    "--data-dir",
                    str(data),
                    "batch",
                    "--pemda-glob",
                    str(data / "pemda" / "*"),
                    "--period",
                    f"{year}-10",
                    "--out",
                    str(out),
                    "--force",
                    "--workers",
                    str(args.workers),
                ]
                if mode == "brief-only":
                    cmd.append("--brief-only")
                walls[year].append(run_wall(cmd))
                htmls = sorted(out.glob(f"*/{year}-10/brief.html"))
                assert len(htmls) == count[year], (mode, year, len(htmls), count[year])
                html[year] = [h.stat().st_size for h in htmls]
        per = {year: statistics.median(walls[year]) / count[year] for year in walls}
        for year in (2025, 2023):
            runs = ", ".join(f"{w:.1f}" for w in walls[year])
            print(
                f"{mode:<10} {year}: batch {statistics.median(walls[year]):6.1f} s (runs {runs}) -> "
                f"{per[year]:.2f} s per brief; brief.html median {statistics.median(html[year]) / 1024:.0f} KiB"
            )
        print(f"{mode:<10} per brief 2025 / 2023: {per[2025] / per[2023]:.2f}x")
    print(f"(each worker's kernel start, ~8 s, is amortised over only {count[2025]} / {args.workers} briefs here)")
    print()


def code_state() -> str:
    """The commit measured, and which files of the library differ from it (others may be editing)."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "mcp_lib", "notebooks"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
    except OSError:
        return "unknown (no git)"
    changed = [line[3:] for line in dirty.stdout.splitlines()]
    return f"{head.stdout.strip() or 'unknown'}" + (f" + uncommitted {', '.join(changed)}" if changed else "")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=7, help="repeats of the in-process timings")
    ap.add_argument("--targets", type=float, nargs="+", default=[80.0, 85.0, 90.0])
    ap.add_argument("--brief-runs", type=int, default=3, help="A/B pairs of whole `mcp brief` processes")
    ap.add_argument("--province", default="Bengkulu")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--batch-runs", type=int, default=2, help="A/B pairs of each batch")
    ap.add_argument(
        "--batch-modes",
        nargs="+",
        choices=["full", "brief-only"],
        default=["full", "brief-only"],
        help="batch as is (three notebooks per pemda) and/or with --brief-only",
    )
    ap.add_argument("--skip-inprocess", action="store_true", help="skip 1, 2 and the in-process brief compute")
    ap.add_argument("--skip-brief", action="store_true")
    ap.add_argument("--skip-batch", action="store_true")
    ap.add_argument("--profile", action="store_true", help="cProfile the 680-document brief's compute")
    ap.add_argument("--profile-top", type=int, default=25)
    args = ap.parse_args()
    print(
        f"machine: {os.cpu_count()} cores, load average at start {os.getloadavg()[0]:.2f} "
        f"{os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}"
    )
    print(f"code: {code_state()}")
    loaded = {key: load(*key) for key in (NEW, OLD)}
    for key, (p, fw, snap, _h) in loaded.items():
        print(f"{key[0]} {key[1]}: framework {fw.year}, {len(snap.documents)} documents, pemda target {p.target:g}")
    print()
    if not args.skip_inprocess:
        bench_plans(args, loaded)
        bench_monte_carlo(args, loaded)
        bench_compute(args)
    if args.profile:
        profile_prepare(args.profile_top)
    tmp = Path(tempfile.mkdtemp(prefix="mcp-mcsp-"))
    try:
        if not args.skip_brief:
            bench_brief(args, tmp)
        if not args.skip_batch:
            bench_batch(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"load average at end {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")


if __name__ == "__main__":
    main()
