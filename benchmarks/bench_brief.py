"""How far one `mcp brief` is from the floor of the machinery it uses, side by side with a
baseline commit (run on demand, not a test).

    .venv/bin/python benchmarks/bench_brief.py [--pemda kota-lubuklinggau] [--period 2023-10]
                                               [--rounds 5] [--baseline 37b15ab | none]

Everything is measured as a whole fresh process, wall and CPU seconds (the process and every
process it waited for: the kernel), in alternating rounds (floor, baseline brief, brief now):

- the floor: what papermill and nbconvert cost with nothing to compute, as the brief uses them:
  three executions of a one-cell notebook in the project's kernel (``mcp-workbook``; the brief
  runs three notebooks) and one export with the brief's template (``mcp_lib.brief.render``), in one
  process that imports them as ``mcp brief`` does;
- ``python -m mcp_lib brief --pemda ... --period ... --force`` with ``mcp_lib`` from the baseline
  commit's worktree, then from this checkout.

The table gives min and median of each and the ratios to the floor; the size of ``brief.html``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import baseline


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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pemda", default="kota-lubuklinggau")
    ap.add_argument("--period", default="2023-10")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--floor", type=Path, help=argparse.SUPPRESS)  # a child: run the floor in this folder
    baseline.add_argument(ap)
    args = ap.parse_args()
    if args.floor:
        floor(args.floor)
        return
    script = Path(__file__).resolve()
    with tempfile.TemporaryDirectory() as tmp, baseline.code_roots(args.baseline) as roots:
        out = Path(tmp)
        sizes: dict[str, int] = {}

        def run_floor() -> dict[str, float]:
            folder = Path(tempfile.mkdtemp(dir=out))
            wall, cpu, _ = baseline.timed_run([sys.executable, str(script), "--floor", str(folder)], baseline.ROOT)
            return {"wall, s": wall, "CPU, s": cpu}

        def run_brief(label: str, code: Path) -> dict[str, float]:
            target = out / label
            cmd = [sys.executable, "-m", "mcp_lib", "brief", "--pemda", args.pemda, "--period", args.period]
            wall, cpu, _ = baseline.timed_run([*cmd, "--out", str(target), "--force"], code)
            html = next(target.glob(f"*/{args.period}/brief.html"))
            sizes[label] = html.stat().st_size
            return {"wall, s": wall, "CPU, s": cpu}

        sides = {"floor": run_floor} | {
            label: (lambda label=label, code=code: run_brief(label, code)) for label, code in roots.items()
        }
        results = baseline.alternate(args.rounds, sides)
    labels = list(sides)
    print(f"whole processes, {args.rounds} alternating rounds; brief: {args.pemda} {args.period}")
    print(f"{'':<22}" + "".join(f"{label + ' min':>16}{label + ' median':>18}" for label in labels))
    for figure, per_side in results.items():
        line = f"{figure:<22}"
        for label in labels:
            values = per_side[label]
            line += f"{min(values):>16.2f}{statistics.median(values):>18.2f}"
        print(line)
    for label in labels[1:]:
        for figure, per_side in results.items():
            ratio_min = min(per_side[label]) / min(per_side["floor"])
            ratio_med = statistics.median(per_side[label]) / statistics.median(per_side["floor"])
            goal = "  (goal ≤ 1.2x)" if figure.startswith("wall") else ""  # issue 16's goal is wall time
            print(f"{label} / floor, {figure}: min {ratio_min:.2f}x, median {ratio_med:.2f}x{goal}")
    for label, size in sizes.items():
        print(f"brief.html ({label}): {size:,} bytes  (goal ≤ 100,000)")


if __name__ == "__main__":
    main()
