"""Scoring at national scale (run on demand, not a test).

    .venv/bin/python benchmarks/bench_scale.py [--pemda 542] [--months 12] [--keep DIR]

Generates 542 illustrative pemda (the 506 kabupaten/kota of the reference file, then repeats with
other seeds) with 12 monthly snapshots each, then times each stage: load + validate every
pemda's files, and score all snapshots (one vectorised pass, ``mcp_lib.scoring.score_many``),
and reports peak memory (max RSS).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path

from mcp_lib.framework_files import load_framework
from mcp_lib.pemda_file import load_pemda
from mcp_lib.sample import generate_pemda_folders
from mcp_lib.scoring import score_many
from mcp_lib.snapshot import load_history


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pemda", type=int, default=542)
    ap.add_argument("--months", type=int, default=12)
    ap.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    args = ap.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="mcp-scale-"))
    t = time.perf_counter()
    folders = generate_pemda_folders(None, root, first_month=1, last_month=args.months)
    copy = 0
    while len(folders) < args.pemda:  # the reference has 506 kab/kota: repeat some under new names
        source = folders[copy % 506]
        target = source.with_name(f"{source.name}-salinan-{copy // 506 + 1}")
        shutil.copytree(source, target, dirs_exist_ok=True)
        folders.append(target)
        copy += 1
    folders = folders[: args.pemda]
    t_gen = time.perf_counter() - t

    t = time.perf_counter()
    framework = load_framework(2023)
    items = []
    for folder in folders:
        pemda = load_pemda(folder)
        items += [(pemda.kind, s) for s in load_history(pemda, framework)]
    t_load = time.perf_counter() - t

    t = time.perf_counter()
    scores = score_many(framework, items)
    t_score = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    n = len(items)
    print(
        f"{len(folders)} pemda x {args.months} snapshots = {n} snapshot files ({len(items[0][1].documents)}+ "
        "documents each)"
    )
    print(f"generate:         {t_gen:7.1f} s")
    print(f"load + validate:  {t_load:7.1f} s  ({1000 * t_load / n:.1f} ms per snapshot)")
    print(
        f"score (all):      {t_score:7.1f} s  ({1e6 * t_score / n:.0f} us per snapshot); mean verified "
        f"{scores['verified'].mean():.1f}"
    )
    print(f"peak memory:      {peak:7.0f} MiB")
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
