"""How far `mcp brief` is from the floor of the machinery it uses (run on demand, not a test).

    .venv/bin/python benchmarks/bench_brief.py [--pemda kota-lubuklinggau] [--period 2023-10] [--repeat 2]

The floor is what papermill and nbconvert cost with nothing to compute: an empty notebook
executed with the same kernel, then exported with the brief's template. The brief runs three
notebooks and exports one, so the fair floor is 3 executions + 1 export; both are printed, and the
ratio of the brief to it.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import nbformat
import papermill as pm
from nbformat.v4 import new_code_cell, new_notebook

from mcp_lib import render
from mcp_lib.kernel import KERNEL_NAME, ensure_kernel
from mcp_lib.runner import NOTEBOOKS, run_brief


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pemda", default="kota-lubuklinggau")
    ap.add_argument("--period", default="2023-10")
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    ensure_kernel()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        cell = new_code_cell('pemda: str = "x"  # placeholder')
        cell.metadata["tags"] = ["parameters"]
        empty = new_notebook(
            cells=[cell],
            metadata={"kernelspec": {"name": KERNEL_NAME, "display_name": "x", "language": "python"}},
        )
        nbformat.write(empty, tmp / "empty.ipynb")

        def execute() -> None:
            pm.execute_notebook(
                str(tmp / "empty.ipynb"),
                str(tmp / "out.ipynb"),
                kernel_name=KERNEL_NAME,
                progress_bar=False,
                cwd=str(tmp),
            )

        def export() -> None:
            render.render_html(tmp / "out.ipynb", tmp / "empty.html")

        execute()
        t_exec = best_of(args.repeat, execute)
        t_export = best_of(args.repeat, export)
        floor = len(NOTEBOOKS) * t_exec + t_export
        result = None

        def run() -> None:
            nonlocal result
            result = run_brief(args.pemda, args.period, out_root=tmp / "outputs", force=True)

        t_brief = best_of(args.repeat, run)
        size = result.html.stat().st_size
    print(f"empty notebook: execute {t_exec:.2f} s, export {t_export:.2f} s")
    print(f"floor ({len(NOTEBOOKS)} executions + 1 export): {floor:.2f} s")
    print(f"mcp brief {args.pemda} {args.period}: {t_brief:.2f} s  (ratio brief/floor = {t_brief / floor:.1f}x)")
    print(f"brief.html: {size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
