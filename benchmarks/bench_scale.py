"""Reading and scoring at national scale, side by side with a baseline commit (run on demand).

    .venv/bin/python benchmarks/bench_scale.py [--pemda 542] [--months 12] [--rounds 2]
                                               [--baseline 37b15ab | none] [--keep DIR]

Generates 542 illustrative pemda (the 506 kabupaten/kota of the reference file, then repeats with
other seeds) with 12 monthly snapshots each (6,504 files), once, with this checkout. Then, in
fresh processes alternating between the baseline and this checkout, times each stage: load +
validate every pemda's files (``pemda.toml``, then ``load_history``), and score all snapshots
in one vectorised pass (``scoring.score_many``), with the process's peak memory.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import baseline


def measure(data: Path) -> dict[str, float]:
    """The stages with whatever ``mcp_lib`` this process imports."""
    from mcp_lib.framework.folder import load_framework
    from mcp_lib.pemda.settings import load_pemda
    from mcp_lib.pemda.snapshot import load_history
    from mcp_lib.scoring import score_many

    folders = sorted(p for p in (data / "pemda").iterdir() if p.is_dir())
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
    return {
        "files": float(len(items)),
        "load + validate, s": t_load,
        "load + validate, ms per file": 1000 * t_load / len(items),
        "score all, s": t_score,
        "mean verified score (same on both sides)": float(scores["verified"].mean()),
        "peak memory, MiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def generate(root: Path, n: int, months: int) -> Path:
    from mcp_lib.sample.generate import generate_pemda_folders

    folders = generate_pemda_folders(None, root, first_month=1, last_month=months)
    copy = 0
    while len(folders) < n:  # the reference has 506 kab/kota: repeat some under new names
        source = folders[copy % 506]
        target = source.with_name(f"{source.name}-salinan-{copy // 506 + 1}")
        shutil.copytree(source, target, dirs_exist_ok=True)
        folders.append(target)
        copy += 1
    for extra in folders[n:]:
        shutil.rmtree(extra)
    return root


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pemda", type=int, default=542)
    ap.add_argument("--months", type=int, default=12)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--keep", type=Path, help="generate into this folder (or reuse it) and keep it")
    ap.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # a child: measure this data folder
    baseline.add_argument(ap)
    args = ap.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
    root = args.keep or Path(tempfile.mkdtemp(prefix="mcp-scale-"))
    try:
        t = time.perf_counter()
        if not (root / "pemda").is_dir():
            generate(root, args.pemda, args.months)
        print(f"generated {args.pemda} pemda x {args.months} months in {time.perf_counter() - t:.1f} s: {root}")
        script = Path(__file__).resolve()
        with baseline.code_roots(args.baseline) as roots:
            results = baseline.alternate(
                args.rounds,
                {
                    label: (lambda code=code: baseline.measure(script, code, ["--measure", str(root)]))
                    for label, code in roots.items()
                },
            )
        baseline.table(
            results,
            goals={"load + validate, s": "≤ 8 s at 6,504", "score all, s": "≤ 2 s"},
        )
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
