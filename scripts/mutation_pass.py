"""A small mutation pass (run on demand): change one operator or constant at a time in a module,
run that module's tests, and list the mutants the tests did not notice.

    .venv/bin/python scripts/mutation_pass.py mcp_lib/scoring.py tests/test_scoring.py [more tests]
        [--max 80] [--seed 1] [--only FUNCTION ...]

Mutations (one per run, in functions only): a comparison flipped (``<`` ↔ ``<=``, ``>`` ↔
``>=``, ``==`` ↔ ``!=``), ``and`` ↔ ``or``, ``+`` ↔ ``-``, ``*`` → ``/``, a number constant
``n`` → ``n + 1`` (0 → 1, 1 → 2, 0.5 → 1.5), ``True`` ↔ ``False``. The module file is rewritten
for each run and restored afterwards (also on Ctrl-C). A mutant "survives" when the tests still
pass; some survivors are equivalent mutants (no behaviour changes), which the list leaves for a
person to judge.
"""

from __future__ import annotations

import argparse
import ast
import random
import subprocess
import sys
import time
from pathlib import Path

SWAP_CMP = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
}
SWAP_BIN = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div}


def sites(tree: ast.AST, only: set[str] | None) -> list[tuple[int, str]]:
    """(node index in ast.walk order, description) of every mutable node inside a function."""
    found = []
    funcs = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
    inside = set()
    for f in funcs:
        if only and f.name not in only:
            continue
        for n in ast.walk(f):
            inside.add(id(n))
    for i, node in enumerate(ast.walk(tree)):
        if id(node) not in inside:
            continue
        if isinstance(node, ast.Compare) and type(node.ops[0]) in SWAP_CMP:
            found.append(
                (
                    i,
                    f"line {node.lineno}: {type(node.ops[0]).__name__} → {SWAP_CMP[type(node.ops[0])].__name__}",
                )
            )
        elif isinstance(node, ast.BoolOp):
            found.append(
                (
                    i,
                    f"line {node.lineno}: {type(node.op).__name__} → {'Or' if isinstance(node.op, ast.And) else 'And'}",
                )
            )
        elif isinstance(node, ast.BinOp) and type(node.op) in SWAP_BIN:
            found.append((i, f"line {node.lineno}: {type(node.op).__name__} → {SWAP_BIN[type(node.op)].__name__}"))
        elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
            found.append((i, f"line {node.lineno}: {node.value} → {not node.value}"))
        elif (
            isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool)
        ):
            found.append((i, f"line {node.lineno}: {node.value!r} → {node.value + 1!r}"))
    return found


def mutate(source: str, index: int) -> str:
    tree = ast.parse(source)
    for i, node in enumerate(ast.walk(tree)):
        if i != index:
            continue
        if isinstance(node, ast.Compare):
            node.ops[0] = SWAP_CMP[type(node.ops[0])]()
        elif isinstance(node, ast.BoolOp):
            node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        elif isinstance(node, ast.BinOp):
            node.op = SWAP_BIN[type(node.op)]()
        elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
            node.value = not node.value
        elif isinstance(node, ast.Constant):
            node.value = node.value + 1
        break
    return ast.unparse(tree)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("module", type=Path)
    ap.add_argument("tests", nargs="+")
    ap.add_argument("--max", type=int, default=80, help="at most this many mutants (a seeded sample)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", nargs="*", help="mutate only these functions")
    args = ap.parse_args()
    original = args.module.read_text(encoding="utf-8")
    all_sites = sites(ast.parse(original), set(args.only) if args.only else None)
    chosen = sorted(random.Random(args.seed).sample(all_sites, min(args.max, len(all_sites))))
    survived, killed, started = [], 0, time.perf_counter()
    try:
        for n, (index, what) in enumerate(chosen, start=1):
            args.module.write_text(mutate(original, index), encoding="utf-8")
            run = subprocess.run(
                [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *args.tests],
                capture_output=True,
                text=True,
            )
            if run.returncode == 0:
                survived.append(what)
                print(f"[{n}/{len(chosen)}] SURVIVED {what}", flush=True)
            else:
                killed += 1
                print(f"[{n}/{len(chosen)}] killed   {what}", flush=True)
    finally:
        args.module.write_text(original, encoding="utf-8")
    print(
        f"\n{args.module}: {len(chosen)} mutants of {len(all_sites)} sites, {killed} killed, {len(survived)} survived "
        f"({time.perf_counter() - started:.0f} s)"
    )
    for what in survived:
        print(f"  survived: {what}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
