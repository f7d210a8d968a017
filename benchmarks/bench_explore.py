"""How fast each control of the JupyterLab explorer answers, on the 2025 sample (680 documents)
and the 2023 sample (143 documents) side by side, with a baseline commit (run on demand, not a test).

    .venv/bin/python benchmarks/bench_explore.py [--rounds 3] [--baseline 29efaf4 | none]

Each measurement is a fresh child process (``benchmarks/baseline.py``: ``mcp_lib`` from a worktree
of the baseline commit or from this checkout, rounds alternated) that opens
``Explorer(pemda, period)`` with no browser and changes its controls one after the other, as an
analyst would: the target (a new value, then back to the previous one), the keyakinan, the blocked
toggle, each filter, a what-if of each kind, the snapshot, typing in the what-if search box, and a
filter changed while a plan is still being computed. Per control:

- **answer**: seconds until the control's handler returns (the kernel is free and the figures that
  do not need a plan are on screen); the goal is ≤ 0.3 s;
- **plan shown**: seconds until the plan for the new setting is on screen too (the explorer
  computes plans in a background thread since issue 30; before, both figures are the same).

Between controls the child waits for the pending plan, so one control's work never spills into the
next measurement. The table gives the median over the rounds, both samples and both commits side by
side. Each child prints its figures as one JSON line (``--measure``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import baseline

BASELINE = "29efaf4"
"""Issue 30's starting commit."""
SAMPLES = {"2023": ("kota-lubuklinggau", "2023-10"), "2025": ("kab-musi-rawas", "2025-10")}
GOAL = 0.3
SEARCH = "pajak"


def measure(pemda: str, period: str) -> dict[str, float]:
    """``{"<control>: answer" | "<control>: plan shown": seconds}`` for the ``mcp_lib`` this
    process imports (either commit: features the baseline lacks are skipped)."""
    from mcp_lib.app.explore import Explorer

    started = time.perf_counter()
    ex = Explorer(pemda, period)
    wait = getattr(ex, "wait", lambda: None)  # the baseline computes everything in the handler
    wait()
    out = {"open the explorer (not a control): plan shown": time.perf_counter() - started}

    def timed(name: str, widget: object, value: object) -> None:
        t = time.perf_counter()
        widget.value = value  # type: ignore[attr-defined]
        out[f"{name}: answer"] = time.perf_counter() - t
        wait()
        out[f"{name}: plan shown"] = time.perf_counter() - t

    def untimed(widget: object, value: object) -> None:
        widget.value = value  # type: ignore[attr-defined]
        wait()

    docs = ex.snapshot.documents
    target = ex.w_target.value
    timed("Target (new value)", ex.w_target, target - 5)
    timed("Target (back to the previous value)", ex.w_target, target)
    timed("Keyakinan", ex.w_confidence, 0.7)
    timed("Pakai dokumen terblokir", ex.w_blocked, True)
    filters = {
        "Filter Area": (ex.w_area, (ex.w_area.options[0],)),
        "Filter OPD": (ex.w_opd, (ex.w_opd.options[0],)),
        "Filter Status": (ex.w_status, ("belum",)),
        "Filter Predikat": (ex.w_band, (ex.w_band.options[0],)),
    }
    for name, (widget, value) in filters.items():
        timed(name, widget, value)
        untimed(widget, ())
    open_code = docs.loc[docs["status"] == "belum", "doc_code"].iloc[0]
    verified_code = docs.loc[docs["status"] == "diverifikasi", "doc_code"].iloc[0]
    timed("Anggap selesai (one document)", ex.w_done, (open_code,))
    timed("Anggap ditolak (one document)", ex.w_rejected, (verified_code,))
    timed("Snapshot (the one before)", ex.w_snapshot, ex.w_snapshot.value - 1)
    search = getattr(ex.w_done, "search", None)
    if search is not None:
        timed(f"What-if search (typing '{SEARCH}')", search, SEARCH)
    t = time.perf_counter()
    ex.w_target.value = target - 7  # a plan starts computing
    ex.w_area.value = (ex.w_area.options[1],)
    out["Filter Area while a plan computes: answer"] = time.perf_counter() - t
    wait()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=3, help="alternating rounds of baseline and now")
    ap.add_argument("--samples", nargs="+", default=list(SAMPLES), choices=list(SAMPLES))
    ap.add_argument("--measure", nargs=2, metavar=("PEMDA", "PERIOD"), help=argparse.SUPPRESS)
    ap.add_argument("--baseline", default=BASELINE, help=f"commit to compare with (default {BASELINE}); 'none' to skip")
    args = ap.parse_args()
    if args.measure:
        print(json.dumps(measure(*args.measure)))
        return
    script = Path(__file__).resolve()
    with baseline.code_roots(args.baseline) as roots:
        sides = {
            f"{year} {label}": (
                lambda code=code, sample=SAMPLES[year]: baseline.measure(script, code, ["--measure", *sample])
            )
            for year in args.samples
            for label, code in roots.items()
        }
        results = baseline.alternate(args.rounds, sides)
    print_table(results, list(sides), args.rounds)


def print_table(results: dict[str, dict[str, list[float]]], sides: list[str], rounds: int) -> None:
    """One row per control and figure; one column per sample and commit (median of the rounds)."""
    print(f"seconds, median of {rounds} rounds; " + ", ".join(f"{y}: {p} {m}" for y, (p, m) in SAMPLES.items()))
    width = max(len(figure) for figure in results) + 2
    print(f"{'control: figure':<{width}}" + "".join(f"{s:>16}" for s in sides) + "   goal")
    for figure, per_side in results.items():
        medians = [statistics.median(per_side[s]) if per_side.get(s) else None for s in sides]
        cells = "".join(f"{m:>16.3f}" if m is not None else f"{'-':>16}" for m in medians)
        goal = ""
        if figure.endswith(": answer"):
            ok = [m <= GOAL for m, s in zip(medians, sides, strict=True) if m is not None and s.endswith(baseline.NOW)]
            goal = f"≤ {GOAL} " + ("ok" if all(ok) else "MISSED")
        print(f"{figure:<{width}}{cells}   {goal}")


if __name__ == "__main__":
    main()
