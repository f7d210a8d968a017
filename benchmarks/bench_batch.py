"""The national run's figure, seconds per brief in a batch, at both sizes side by side with a
baseline commit (run on demand, not a test).

    .venv/bin/python benchmarks/bench_batch.py [--province "Sumatera Selatan" | --national] [--n N]
                                               [--rounds 2] [--workers 2] [--baseline 29efaf4 | none]

The pemda of ``--province`` (17 kabupaten/kota by default; ``--national``: all 506 of the reference
file, ``--n`` the first N) are generated as ``mcp sample --province ... --framework YYYY`` does, once
on the 2023 framework (143 documents a pemda) and once on the 2025 one (680), into a temporary
folder. Each round then runs, for each size, a batch of them with ``--brief-only`` (what a national
run does) and ``--workers`` warm kernels, as a fresh process with ``mcp_lib`` from the baseline
commit's worktree and then from this checkout. Figures per brief, min and median of the rounds:

- the batch's wall time / pemda (``run_batch``, its workers' and kernels' start included);
- the steady state: the median brief's own time / workers (what a long national run tends to:
  each worker's kernel start amortised over ~270 briefs instead of ~8);
- the whole process's wall time and CPU-seconds of every process (workers, kernels) / pemda;
- ``brief.html``, median over the pemda.

Goals of issue 30: ≤ 0.55 s per brief at 2025 size (542 in 5 minutes on a quiet machine) and
2025 / 2023 ≤ 1.3× in the same run. The default run (17 pemda, 2 rounds, 2 sides) takes a few
minutes; ``--national --n 200`` amortises the kernels' start as the issue-16 figure did.

``--methods`` instead compares three ways to produce many briefs (issue 3), on the 2023 framework:

    .venv/bin/python benchmarks/bench_batch.py --methods [--n 40] [--naive-n 10] [--workers 2]

(a) a naive loop calling the ``papermill`` and ``jupyter nbconvert`` command lines per pemda,
(b) papermill's API with a fresh kernel per brief, serial (``mcp_lib.run.runner.run_brief``),
(c) the batch runner with one warm kernel per worker (``mcp_lib.run.runner.run_batch``).
Every method runs the brief notebook and exports it to HTML, for the first pemda of the
generated national sample; (a) is slow, so it runs on the first ``--naive-n`` of them and its
per-brief time is compared. Prints the ratios a/c and b/c and the time extrapolated to 542 pemda.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import baseline

from mcp_lib.run.batch import BatchJob, run_batch
from mcp_lib.run.kernel import KERNEL_NAME, ensure_kernel
from mcp_lib.run.runner import BRIEF_NOTEBOOK, NOTEBOOK_DIR, run_brief
from mcp_lib.sample.generate import generate_pemda_folders

BIN = Path(sys.executable).parent


def naive(folder: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    executed = out / BRIEF_NOTEBOOK
    subprocess.run(
        [
            str(BIN / "papermill"),
            str(NOTEBOOK_DIR / BRIEF_NOTEBOOK),
            str(executed),
            "-k",
            KERNEL_NAME,
            "-p",
            "pemda",
            str(folder),
            "-p",
            "period",
            "2023-10",
            "--no-progress-bar",
        ],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed), "--output-dir", str(out)],
        check=True,
        capture_output=True,
    )


def _jobs(folders: list[Path], out: Path, period: str = "2023-10") -> list[BatchJob]:
    """The jobs of (c), as this checkout's batch takes them, or a baseline's from before the
    request object (``--measure`` runs this script with the baseline's ``mcp_lib``)."""
    try:
        from mcp_lib.brief.request import BriefRequest
    except ImportError:
        return [BatchJob(str(f), period, None, str(out), brief_only=True) for f in folders]
    return [BatchJob(BriefRequest(str(f), period), str(out), brief_only=True) for f in folders]


def measure(data: Path, period: str, n: int | None, workers: int) -> dict[str, float]:
    """(c) alone with whatever ``mcp_lib`` this process imports, on the first ``n`` pemda of ``data``."""
    ensure_kernel()
    folders = sorted(p for p in (data / "pemda").iterdir() if p.is_dir())[:n]
    out = Path(tempfile.mkdtemp(prefix="mcp-batch-out-"))
    try:
        jobs = _jobs(folders, out, period)
        t = time.perf_counter()
        report = run_batch(jobs, workers=workers, progress=False)
        wall = time.perf_counter() - t
        assert not report.failed, report.failed
        sizes = sorted(p.stat().st_size for p in out.glob(f"*/{period}/brief.html"))
        assert len(sizes) == len(folders), (len(sizes), len(folders))
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return {
        "batch: s per brief": wall / len(folders),
        # each worker's first brief (the first jobs, taken while the others wait) starts its kernel
        "steady state: s per brief": statistics.median(o.seconds for o in report.outcomes[workers:]) / workers,
        "brief.html median, KB": sizes[len(sizes) // 2] / 1000,
    }


SIZES = {"2023": 2023, "2025": 2025}
"""The two sizes: the framework year of the generated pemda (143 and 680 documents a kab/kota)."""
GOALS = {"batch: s per brief": "≤ 0.55 (2025)", "steady state: s per brief": "≤ 0.55 (2025)"}
RATIO_GOAL = "≤ 1.3x"
"""Issue 30: 2025 / 2023 per brief in the same run."""


def compare(args: argparse.Namespace) -> None:
    """The batch at both sizes with the baseline commit and with this checkout, alternating."""
    root = Path(tempfile.mkdtemp(prefix="mcp-batch-"))
    try:
        count = {}
        for size, year in SIZES.items():
            t = time.perf_counter()
            folders = generate_pemda_folders(None if args.national else args.province, root / size, framework_year=year)
            count[size] = len(folders[: args.n])
            print(f"{size}: {len(folders)} pemda generated in {time.perf_counter() - t:.1f} s", file=sys.stderr)
        script = Path(__file__).resolve()

        def side(size: str, code: Path) -> dict[str, float]:
            forwarded = ["--workers", str(args.workers), "--data", str(root / size), "--period", f"{SIZES[size]}-10"]
            if args.n:
                forwarded += ["--n", str(args.n)]
            wall, cpu, out = baseline.timed_run([sys.executable, str(script), *forwarded, "--measure"], code)
            figures = dict(json.loads(out.strip().splitlines()[-1]))
            figures["whole process: s per brief"] = wall / count[size]
            figures["whole process: CPU-s per brief"] = cpu / count[size]
            return figures

        with baseline.code_roots(args.baseline) as roots:
            sides: dict[str, Callable[[], dict[str, float]]] = {}
            for size in SIZES:
                for label, code in roots.items():
                    sides[f"{size}|{label}"] = lambda s=size, c=code: side(s, c)
            results = baseline.alternate(args.rounds, sides)
        labels = list(roots)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    where = "all kab/kota" if args.national else args.province
    print(
        f"batch --brief-only, {args.workers} workers, {args.rounds} alternating rounds; {where}: "
        + ", ".join(f"{count[size]} pemda on the {size} framework" for size in SIZES)
    )
    columns = [f"{size} {label}" for size in SIZES for label in labels]
    columns += [f"2025/2023 {label}" for label in labels]
    if len(labels) == 2:
        columns += [f"now/base {size}" for size in SIZES]
    rows: list[tuple[str, list[str], str]] = []
    for figure, per_side in results.items():
        stats = (("min", min), ("median", statistics.median)) if "per brief" in figure else (("", statistics.median),)
        for stat, fn in stats:
            value = {(size, label): fn(per_side[f"{size}|{label}"]) for size in SIZES for label in labels}
            cells = [f"{value[size, label]:.3f}" for size in SIZES for label in labels]
            cells += [baseline.ratio(value["2025", label], value["2023", label]) for label in labels]
            if len(labels) == 2:
                cells += [baseline.ratio(value[size, labels[1]], value[size, labels[0]]) for size in SIZES]
            goal = GOALS.get(figure, "") if stat == "median" else ""
            if stat == "median" and figure.endswith("per brief"):
                goal = "; ".join(g for g in (goal, f"2025/2023 {RATIO_GOAL}") if g)
            rows.append((f"{figure}: {stat}" if stat else figure, cells, goal))
    baseline.cells_table(columns, rows, label_width=38)
    per = statistics.median(results["steady state: s per brief"][f"2025|{labels[-1]}"])
    print(f"542 pemda at the 2025 steady state ({labels[-1]}): {542 * per / 60:.1f} min (goal ≤ 5 min)")


def main() -> None:
    ap = argparse.ArgumentParser()
    which = ap.add_mutually_exclusive_group()
    which.add_argument("--province", default="Sumatera Selatan", help="the generated pemda (default: %(default)s)")
    which.add_argument("--national", action="store_true", help="all kab/kota of the reference file (use --n)")
    ap.add_argument("--n", type=int, help="the first N pemda only (--methods: default 40)")
    ap.add_argument("--rounds", type=int, default=2, help="alternating rounds (default %(default)s)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--methods", action="store_true", help="compare a naive loop, papermill's API and the batch")
    ap.add_argument("--naive-n", type=int, default=10, help="--methods: pemda of the naive loop")
    ap.add_argument("--only-batch", action="store_true", help=argparse.SUPPRESS)  # the default since issue 30
    ap.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--period", default="2023-10", help=argparse.SUPPRESS)
    ap.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    baseline.add_argument(ap)
    args = ap.parse_args()
    if args.measure:
        print(json.dumps(measure(args.data, args.period, args.n, args.workers)))
        return
    if not args.methods:
        if args.n is not None and args.n <= args.workers:
            ap.error("--n must be more than --workers (each worker's first brief starts its kernel)")
        compare(args)
        return
    n = args.n or 40
    ensure_kernel()
    root = Path(tempfile.mkdtemp(prefix="mcp-batch-"))
    try:
        folders = sorted(generate_pemda_folders(None, root / "data"))[:n]
        t = time.perf_counter()
        for i, folder in enumerate(folders[: args.naive_n]):
            naive(folder, root / "a" / str(i))
        per_a = (time.perf_counter() - t) / min(args.naive_n, len(folders))

        t = time.perf_counter()
        for job in _jobs(folders, root / "b"):
            run_brief(job.request, out_root=root / "b", brief_only=True)
        per_b = (time.perf_counter() - t) / len(folders)

        jobs = _jobs(folders, root / "c")
        t = time.perf_counter()
        report = run_batch(jobs, workers=args.workers, progress=False)
        per_c = (time.perf_counter() - t) / len(folders)
        assert not report.failed, report.failed
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(
        f"per brief: (a) naive CLI loop {per_a:.2f} s [{min(args.naive_n, len(folders))} pemda], "
        f"(b) API, fresh kernel, serial {per_b:.2f} s, (c) batch, warm kernels x{args.workers} {per_c:.2f} s "
        f"[{len(folders)} pemda]"
    )
    print(f"ratios: a/c = {per_a / per_c:.1f}x, b/c = {per_b / per_c:.1f}x")
    print(
        f"542 pemda extrapolated: (a) {542 * per_a / 60:.0f} min, (b) {542 * per_b / 60:.0f} min, (c) "
        f"{542 * per_c / 60:.1f} min"
    )


if __name__ == "__main__":
    main()
