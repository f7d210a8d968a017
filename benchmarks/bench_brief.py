"""How far one `mcp brief` is from the floor of the machinery it uses, at both sizes, side by
side with a baseline commit (run on demand, not a test).

    .venv/bin/python benchmarks/bench_brief.py [--rounds 5] [--baseline 29efaf4 | none]
                                               [--pemda kab-musi-rawas --period 2025-10]

By default both sizes in one run: the 2023 sample (``kota-lubuklinggau`` 2023-10, 143 documents)
and the 2025 sample (``kab-musi-rawas`` 2025-10, 680 documents); ``--pemda``/``--period`` measure
that one pemda instead. Everything is measured as a whole fresh process, wall and CPU seconds (the
process and every process it waited for: the kernel), in alternating rounds (the floor, then for
each size the baseline's brief and the brief now):

- the floor: what papermill and nbconvert cost with nothing to compute, as the brief uses them:
  three executions of a one-cell notebook in the project's kernel (``mcp-workbook``; the brief
  runs three notebooks) and one export with the brief's template (``mcp_lib.brief.render``), in one
  process that imports them as ``mcp brief`` does;
- ``python -m mcp_lib brief --pemda ... --period ... --force`` with ``mcp_lib`` from the baseline
  commit's worktree, then from this checkout.

One table, the sizes side by side: min and median of each, now/baseline, the ratios to the floor
(goal of issue 30: wall median ≤ 1.2× the floor), also each brief over its own round's floor (the
median of those ratios, which the machine's drift between rounds does not move) and the size of
``brief.html`` (goals: ≤ 100 KB at 143 documents, ≤ 150 KB at 680).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import baseline

SAMPLES = {"2023": ("kota-lubuklinggau", "2023-10"), "2025": ("kab-musi-rawas", "2025-10")}
"""The two sizes measured by default: the 2023 sample (143 documents), the 2025 one (680)."""
HTML_GOAL = {2023: 100_000, 2025: 150_000}
"""Issue 30's goals for ``brief.html`` in bytes, by framework year (a later one: the 2025 goal)."""


def floor(folder: Path) -> None:
    """Three executions of an empty notebook in the project kernel and one export (a child)."""
    import nbformat
    import papermill as pm
    from nbformat.v4 import new_code_cell, new_notebook

    from mcp_lib.brief import render
    from mcp_lib.run.kernel import KERNEL_NAME, ensure_kernel

    ensure_kernel()
    cell = new_code_cell('pemda: str = "x"  # placeholder')
    cell.metadata["tags"] = ["parameters"]
    empty = new_notebook(
        cells=[cell], metadata={"kernelspec": {"name": KERNEL_NAME, "display_name": "x", "language": "python"}}
    )
    nbformat.write(empty, folder / "empty.ipynb")
    for i in range(3):
        pm.execute_notebook(
            str(folder / "empty.ipynb"),
            str(folder / f"out{i}.ipynb"),
            kernel_name=KERNEL_NAME,
            progress_bar=False,
            cwd=str(folder),
        )
    render.render_html(folder / "out2.ipynb", folder / "empty.html")


def describe(pemda: str, period: str) -> tuple[str, int]:
    """``pemda period: N documents (framework YYYY)`` and the ``brief.html`` goal in bytes."""
    from mcp_lib.pemda.model import pemda_framework
    from mcp_lib.pemda.settings import load_pemda
    from mcp_lib.pemda.snapshot import load_period

    p = load_pemda(pemda)
    fw = pemda_framework(p)
    documents = len(load_period(p, fw, period).documents)
    goal = HTML_GOAL[2025 if fw.year >= 2025 else 2023]
    return f"{pemda} {period}: {documents} documents (framework {fw.year})", goal


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pemda", help="measure this pemda only (with --period); default: both samples")
    ap.add_argument("--period", help="its reporting month, YYYY-MM")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--floor", type=Path, help=argparse.SUPPRESS)  # a child: run the floor in this folder
    baseline.add_argument(ap)
    args = ap.parse_args()
    if args.floor:
        floor(args.floor)
        return
    if bool(args.pemda) != bool(args.period):
        ap.error("--pemda and --period go together")
    samples = {f"{args.pemda} {args.period}": (args.pemda, args.period)} if args.pemda else SAMPLES
    described = {size: describe(*which) for size, which in samples.items()}
    script = Path(__file__).resolve()
    with tempfile.TemporaryDirectory() as tmp, baseline.code_roots(args.baseline) as roots:
        out = Path(tmp)
        sizes: dict[tuple[str, str], int] = {}

        def run_floor() -> dict[str, float]:
            folder = Path(tempfile.mkdtemp(dir=out))
            wall, cpu, _ = baseline.timed_run([sys.executable, str(script), "--floor", str(folder)], baseline.ROOT)
            return {"wall": wall, "CPU": cpu}

        def run_brief(size: str, label: str, code: Path) -> dict[str, float]:
            pemda, period = samples[size]
            target = out / size.replace(" ", "_") / label
            cmd = [sys.executable, "-m", "mcp_lib", "brief", "--pemda", pemda, "--period", period]
            wall, cpu, _ = baseline.timed_run([*cmd, "--out", str(target), "--force"], code)
            html = next(target.glob(f"*/{period}/brief.html"))
            sizes[size, label] = html.stat().st_size
            return {"wall": wall, "CPU": cpu}

        sides: dict[str, Callable[[], dict[str, float]]] = {"floor": run_floor}
        for size in samples:
            for label, code in roots.items():
                sides[f"{size}|{label}"] = lambda s=size, label=label, code=code: run_brief(s, label, code)
        results = baseline.alternate(args.rounds, sides)
    labels = list(roots)
    floor_ = {figure: per_side["floor"] for figure, per_side in results.items()}
    print(f"whole processes, {args.rounds} alternating rounds (the floor, then each size: {', '.join(labels)})")
    for size, (text, _) in described.items():
        print(f"  {size}: {text}")
    print(
        "  floor (3 executions of an empty notebook + 1 export): "
        + ", ".join(f"{figure} min {min(v):.2f} s, median {statistics.median(v):.2f} s" for figure, v in floor_.items())
    )
    columns = [f"{size} {label}" for size in samples for label in labels]
    if len(labels) == 2:
        columns = [c for size in samples for c in (f"{size} {labels[0]}", f"{size} {labels[1]}", f"{size} now/base")]
    rows: list[tuple[str, list[str], str]] = []

    def row(name: str, value: Callable[[str, str], float], fmt: str, goal: str = "") -> None:
        cells = []
        for size in samples:
            values = [value(size, label) for label in labels]
            cells += [fmt.format(v) for v in values]
            if len(labels) == 2:
                cells.append(baseline.ratio(values[1], values[0]))
        rows.append((name, cells, goal))

    for figure in floor_:
        per_side = results[figure]
        for stat, fn in (("min", min), ("median", statistics.median)):
            row(f"{figure}, s: {stat}", lambda s, label, f=fn, p=per_side: f(p[f"{s}|{label}"]), "{:.2f}")
        for stat, fn in (("min", min), ("median", statistics.median)):
            goal = "≤ 1.2x" if figure == "wall" and stat == "median" else ""  # issue 30's goal: wall, median of 5
            row(
                f"{figure} / floor: {stat}",
                lambda s, label, f=fn, p=per_side, fl=floor_[figure]: f(p[f"{s}|{label}"]) / f(fl),
                "{:.2f}x",
                goal,
            )
        # Each brief over the floor of its own round, then the median: the machine's speed drifts
        # (by a third within an hour on the development machine), which moves a ratio of medians
        # taken from different rounds but not the ratio of two runs made a few seconds apart.
        row(
            f"{figure} / its round's floor: median",
            lambda s, label, p=per_side, fl=floor_[figure]: statistics.median(
                b / f for b, f in zip(p[f"{s}|{label}"], fl, strict=True)
            ),
            "{:.2f}x",
            "≤ 1.2x" if figure == "wall" else "",
        )
    goals = " / ".join(f"≤ {goal:,} ({size})" for size, (_, goal) in described.items())
    row("brief.html, bytes (last round)", lambda s, label: sizes[s, label], "{:,.0f}", goals)
    baseline.cells_table(columns, rows)


if __name__ == "__main__":
    main()
