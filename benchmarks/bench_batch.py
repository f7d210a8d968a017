"""Per-brief wall time of three ways to produce many briefs (run on demand, not a test).

    .venv/bin/python benchmarks/bench_batch.py [--n 40] [--naive-n 10] [--workers 2]

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
import subprocess
import sys
import tempfile
import time
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


def _jobs(folders: list[Path], out: Path) -> list[BatchJob]:
    """The jobs of (c), as this checkout's batch takes them, or a baseline's from before the
    request object (``--only-batch`` runs this script with the baseline's ``mcp_lib``)."""
    try:
        from mcp_lib.brief.request import BriefRequest
    except ImportError:
        return [BatchJob(str(f), "2023-10", None, str(out), brief_only=True) for f in folders]
    return [BatchJob(BriefRequest(str(f), "2023-10"), str(out), brief_only=True) for f in folders]


def measure(data: Path, n: int, workers: int) -> dict[str, float]:
    """(c) alone with whatever ``mcp_lib`` this process imports, on the first ``n`` pemda of ``data``."""
    ensure_kernel()
    folders = sorted(p for p in (data / "pemda").iterdir() if p.is_dir())[:n]
    out = Path(tempfile.mkdtemp(prefix="mcp-batch-out-"))
    try:
        jobs = _jobs(folders, out)
        t = time.perf_counter()
        report = run_batch(jobs, workers=workers, progress=False)
        wall = time.perf_counter() - t
        assert not report.failed, report.failed
        sizes = [p.stat().st_size for p in out.glob("*/*/brief.html")]
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return {
        f"(c) batch, warm kernels x{workers}: s per brief": wall / len(folders),
        f"542 pemda extrapolated, min (x{workers})": 542 * wall / len(folders) / 60,
        "brief.html median, KB": sorted(sizes)[len(sizes) // 2] / 1000,
    }


def compare(args: argparse.Namespace) -> None:
    """(c) with the baseline commit and with this checkout, alternating, on the same pemda."""
    root = Path(tempfile.mkdtemp(prefix="mcp-batch-"))
    try:
        generate_pemda_folders(None, root / "data")
        script = Path(__file__).resolve()
        forwarded = ["--n", str(args.n), "--workers", str(args.workers), "--data", str(root / "data")]

        def side(code: Path) -> dict[str, float]:
            wall, cpu, out = baseline.timed_run([sys.executable, str(script), *forwarded, "--measure"], code)
            figures = dict(json.loads(out.strip().splitlines()[-1]))
            figures["whole process (start, kernels, batch): s per brief"] = wall / args.n
            figures["CPU of every process: CPU-s per brief"] = cpu / args.n
            return figures

        with baseline.code_roots(args.baseline) as roots:
            results = baseline.alternate(
                args.rounds, {label: (lambda c=code: side(c)) for label, code in roots.items()}
            )
        baseline.table(results, goals={f"(c) batch, warm kernels x{args.workers}: s per brief": "≤ 0.55"})
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--naive-n", type=int, default=10)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument(
        "--only-batch",
        action="store_true",
        help="measure (c) alone, side by side with --baseline (e.g. with --n 200 for the 542 extrapolation)",
    )
    ap.add_argument("--rounds", type=int, default=2, help="alternating rounds of baseline and now (--only-batch)")
    ap.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    baseline.add_argument(ap)
    args = ap.parse_args()
    if args.measure:
        print(json.dumps(measure(args.data, args.n, args.workers)))
        return
    if args.only_batch:
        compare(args)
        return
    ensure_kernel()
    root = Path(tempfile.mkdtemp(prefix="mcp-batch-"))
    try:
        folders = sorted(generate_pemda_folders(None, root / "data"))[: args.n]
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
