"""Measure the same figures with a baseline commit and with this checkout, in one run.

Every benchmark runs its measurements in child processes: ``PYTHONPATH`` points either to a
temporary git worktree of the baseline commit or to this checkout, so both sides use the same
Python, packages, data and minutes of this (shared, noisy) machine. Runs alternate (baseline,
now, baseline, now, ...) and the table gives min and median of each side and their ratio.

    --baseline 29efaf4   the commit to compare with (default: where issue 30 started; issue 16
                         started at 37b15ab)
    --baseline none      this checkout only
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "29efaf4"
"""Issue 30's starting point (main before any of its changes; issue 16's was ``37b15ab``)."""
NOW = "now"


def add_argument(ap: argparse.ArgumentParser) -> None:
    ap.add_argument(
        "--baseline",
        default=BASELINE,
        help=f"commit to measure side by side with this checkout (default {BASELINE}); 'none' to skip",
    )


@contextmanager
def code_roots(baseline: str) -> Iterator[dict[str, Path]]:
    """``{label: folder holding mcp_lib}``: the baseline's worktree (removed afterwards), then this
    checkout under :data:`NOW`."""
    if baseline.lower() == "none":
        yield {NOW: ROOT}
        return
    tmp = Path(tempfile.mkdtemp(prefix="mcp-baseline-"))
    where = tmp / "wt"
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(where), baseline],
        check=True,
        capture_output=True,
    )
    try:
        yield {baseline: where, NOW: ROOT}
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(where)], capture_output=True)
        subprocess.run(["git", "-C", str(ROOT), "worktree", "prune"], capture_output=True)


def env_for(code: Path) -> dict[str, str]:
    """The environment of a child that imports ``mcp_lib`` from ``code`` (PYTHONPATH wins over the
    editable install; a kernel it starts inherits it)."""
    return {**os.environ, "PYTHONPATH": str(code), "PYTHONHASHSEED": "0"}


def timed_run(cmd: list[str], code: Path, cwd: Path | None = None) -> tuple[float, float, str]:
    """Run ``cmd`` to its end: wall seconds, CPU seconds (its own and every process it waited
    for: kernels, workers) and its standard output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    done = subprocess.run(cmd, env=env_for(code), cwd=cwd or code, capture_output=True, text=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        sys.exit(f"failed ({done.returncode}): {' '.join(cmd)}\n{done.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def measure(script: Path, code: Path, argv: list[str]) -> dict[str, float]:
    """Run ``script ARGV`` (its measuring mode: ``--measure`` among ``argv``) with ``mcp_lib`` from
    ``code``; its last output line is a JSON object of figures."""
    _, _, out = timed_run([sys.executable, str(script), *argv], code, cwd=ROOT)
    return dict(json.loads(out.strip().splitlines()[-1]))


def alternate(rounds: int, sides: dict[str, Callable[[], dict[str, float]]]) -> dict[str, dict[str, list[float]]]:
    """Call each side once per round, in turn; ``{figure: {side: [value per round]}}``."""
    out: dict[str, dict[str, list[float]]] = {}
    for r in range(rounds):
        for label, fn in sides.items():
            for figure, value in fn().items():
                out.setdefault(figure, {}).setdefault(label, []).append(value)
        print(f"  round {r + 1}/{rounds} done", file=sys.stderr, flush=True)
    return out


def table(results: dict[str, dict[str, list[float]]], fmt: str = "{:.3f}", goals: dict[str, str] | None = None) -> None:
    """Print min and median per side, and now/baseline of the medians."""
    sides = list(next(iter(results.values())).keys())
    header = f"{'figure':<44}" + "".join(f"{s + ' min':>13}{s + ' median':>15}" for s in sides)
    if len(sides) == 2:
        header += f"{'now/base':>10}"
    if goals:
        header += f"  {'goal':<12}"
    print(header)
    for figure, per_side in results.items():
        line = f"{figure:<44}"
        medians = []
        for s in sides:
            values = per_side.get(s, [])
            med = statistics.median(values) if values else float("nan")
            medians.append(med)
            line += f"{fmt.format(min(values)) if values else '-':>13}{fmt.format(med):>15}"
        if len(sides) == 2:
            line += f"{medians[1] / medians[0]:>10.2f}" if medians[0] else f"{'-':>10}"
        if goals:
            line += f"  {goals.get(figure, ''):<12}"
        print(line)


def cells_table(columns: list[str], rows: list[tuple[str, list[str], str]], label_width: int = 34) -> None:
    """Print rows of formatted cells (``(label, cells, goal)``) under ``columns``, right-aligned,
    the goal (if any) last."""
    widths = [max(len(c), *(len(r[1][i]) for r in rows)) + 2 for i, c in enumerate(columns)]
    print(f"{'':<{label_width}}" + "".join(f"{c:>{w}}" for c, w in zip(columns, widths, strict=True)) + "  goal")
    for label, cells, goal in rows:
        line = f"{label:<{label_width}}" + "".join(f"{c:>{w}}" for c, w in zip(cells, widths, strict=True))
        print(f"{line}  {goal}".rstrip())


def ratio(a: float, b: float) -> str:
    """``a / b`` as ``1.23x``; ``-`` when ``b`` is 0."""
    return f"{a / b:.2f}x" if b else "-"
