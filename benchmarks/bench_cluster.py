"""Per-brief time of a batch on a dask LocalCluster against the built-in pool (run on demand).

    .venv/bin/python benchmarks/bench_cluster.py [--n 60] [--workers 2] [--rounds 2]

Both sides run the same ``--brief-only`` batch of the first ``--n`` generated pemda of Sumatera
Selatan and more provinces, with this checkout, as whole ``mcp batch`` processes alternating by
round: (pool) ``--workers N``, the built-in worker processes; (dask) ``--scheduler local:N``, a
dask.distributed LocalCluster of N processes started for the run. Prints min and median of
wall-clock seconds per brief and CPU-seconds of every process per brief, and dask/pool.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import baseline

from mcp_lib.sample.generate import generate_pemda_folders

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=60)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    root = Path(tempfile.mkdtemp(prefix="mcp-cluster-"))
    try:
        folders = sorted(generate_pemda_folders(None, root / "data"))
        keep = root / "data" / "pemda"
        for extra in folders[args.n :]:
            shutil.rmtree(extra)
        n = len(list(keep.iterdir()))

        def side(how: list[str]) -> dict[str, float]:
            out = root / "out"
            shutil.rmtree(out, ignore_errors=True)
            cmd = [sys.executable, "-m", "mcp_lib", "--data-dir", str(root / "data"), "batch"]
            cmd += ["--pemda-glob", str(keep / "*"), "--period", "2023-10", "--out", str(out), "--brief-only", *how]
            wall, cpu, _ = baseline.timed_run(cmd, ROOT)
            written = len(list(out.glob("*/2023-10/brief.html")))
            assert written == n, f"{written} of {n} briefs written"
            return {"whole batch: s per brief": wall / n, "CPU of every process: CPU-s per brief": cpu / n}

        w = str(args.workers)
        results = baseline.alternate(
            args.rounds,
            {"pool": lambda: side(["--workers", w]), "dask": lambda: side(["--scheduler", f"local:{w}"])},
        )
        print(f"{n} pemda, {w} worker processes each side")
        baseline.table(results)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
