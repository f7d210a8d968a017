"""The package's shape (docs/architecture.md): a flat core and wings, in an order; no cycles; no
private names across modules; each wing has a face; tests mirror the package."""

import ast
import importlib
import json
import re
from pathlib import Path

import pytest

import mcp_lib

PACKAGE = Path(mcp_lib.__file__).parent
REPO = PACKAGE.parent

# The units of docs/architecture.md, lowest first: a flat module of the core by its name, a wing
# (subpackage) by its name and a slash. A unit imports only units of its own rank or lower.
UNIT_TABLE = """
0 the core's foundations: settings, errors, words, the status vocabulary, safe writing, the faces' loader
    config errors text files lazy install statuses
1 io/: reading and writing the files analysts make
    io/
2 risk/: the verification risk and its parameters
    risk/
3 framework/: a framework year, its calendar, rules, folder and workbook
    framework/
4 pemda/: a pemda's settings, snapshots, tracker, KPK export, onboarding
    pemda/
5 the core's models: scores, what changed, trend, candidates, schedule, forecast, backtest
    scoring ladders since trend candidates schedule forecast backtest import_changes count_scores count_forecast
6 plan/: the least-effort way to the target
    plan/
7 brief/: the brief's steps, data, sections, rendering
    brief/
8 run/: running the notebooks, one brief and many
    run/
9 sample/: the bundled sample data
    sample/
10 app/: the command line, its console and the explorer
    app/ __main__ __init__
"""
RANK: dict[str, int] = {}
_rank = -1
for _line in UNIT_TABLE.strip().splitlines():
    if _line.startswith(" "):
        RANK |= dict.fromkeys(_line.split(), _rank)
    else:
        _rank += 1
WINGS = sorted(u[:-1] for u in RANK if u.endswith("/"))


def _module_name(path: Path) -> str:
    """mcp_lib/plan/planner.py → plan.planner; mcp_lib/plan/__init__.py → plan"""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


def _unit(module: str) -> str:
    """The unit of a module: its wing (``plan/``) or, in the core, its own name."""
    first = module.split(".")[0]
    unit = f"{first}/" if first in WINGS else module
    assert unit in RANK, f"mcp_lib/{module.replace('.', '/')}.py is in no unit of tests/test_architecture.py"
    return unit


def _existing_module(dotted: str) -> str | None:
    """The package module a dotted name (after ``mcp_lib.``) refers to, or None for a name in it."""
    path = PACKAGE / dotted.replace(".", "/")
    if path.with_suffix(".py").exists() or (path / "__init__.py").exists():
        return dotted
    return None


def _imports() -> dict[str, list[tuple[str, list[str]]]]:
    """module → [(imported package module, names imported from it)], function-level imports too."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        found = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "mcp_lib":
                base = node.module.removeprefix("mcp_lib").removeprefix(".")
                for alias in node.names:
                    sub = _existing_module(f"{base}.{alias.name}" if base else alias.name)
                    if sub is not None:
                        found.append((sub, []))
                    else:
                        found.append((base or "__init__", [alias.name]))
            elif isinstance(node, ast.Import):
                found += [(a.name.removeprefix("mcp_lib."), []) for a in node.names if a.name.startswith("mcp_lib.")]
        out[_module_name(path)] = found
    return out


@pytest.fixture(scope="module")
def imports() -> dict[str, list[tuple[str, list[str]]]]:
    """:func:`_imports`, parsed once by the worker that runs these tests (not at collection: ~1.5 s
    of CPU in every test process)."""
    return _imports()


def test_every_module_is_in_a_unit_and_imports_only_its_own_or_lower_ones(imports):
    wrong = []
    for module, found in imports.items():
        for target, _names in found:
            if target == "__init__" or target == module:
                continue  # __version__ and the top-level public names
            if RANK[_unit(target)] > RANK[_unit(module)]:
                wrong.append(f"{module} ({_unit(module)}) imports {target} ({_unit(target)})")
    assert wrong == []


def test_the_table_names_only_units_that_exist():
    flat = {p.stem for p in PACKAGE.glob("*.py")}
    wings = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    assert {u for u in RANK if not u.endswith("/")} == flat
    assert set(WINGS) == wings


def test_no_import_cycles(imports):
    graph = {
        m: {t for t, _ in imps if t not in ("__init__", m) and not m.startswith(f"{t}.")} for m, imps in imports.items()
    }
    seen: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        seen[node] = 1
        for nxt in graph.get(node, ()):
            assert seen.get(nxt) != 1, "cycle: " + " → ".join([*path, node, nxt])
            if nxt not in seen:
                visit(nxt, [*path, node])
        seen[node] = 2

    for module in graph:
        if module not in seen:
            visit(module, [])


def test_no_private_name_is_imported_across_modules(imports):
    private = [
        f"{module} imports {name} from {target}"
        for module, found in imports.items()
        for target, names in found
        for name in names
        if name.startswith("_") and name != "__version__"
    ]
    assert private == []


def test_the_core_does_not_use_the_faces(imports):
    """Inside the package a module imports the module that defines a name, never a wing's face:
    the face is for users (the README, the guide, the notebooks), and importing through it would
    hide which module a dependency is on."""
    through_face = [
        f"{module} imports {names} from the face of {target}/"
        for module, found in imports.items()
        for target, names in found
        if names and target in WINGS and module != target
    ]
    assert through_face == []


@pytest.mark.parametrize("wing", WINGS)
def test_each_wing_has_a_face_whose_names_load_from_their_modules(wing):
    face = importlib.import_module(f"mcp_lib.{wing}")
    assert face.__doc__ and set(face.__all__) == set(face._PUBLIC), wing
    for name, module in face._PUBLIC.items():
        defining = importlib.import_module(f"mcp_lib.{wing}.{module}")
        assert getattr(face, name) is getattr(defining, name), f"mcp_lib.{wing}.{name}"
        assert name in dir(face)


def _documented_names() -> set[str]:
    texts = [REPO / "README.md", REPO / "docs" / "panduan.md", REPO / "docs" / "architecture.md"]
    words = "\n".join(p.read_text(encoding="utf-8") for p in texts)
    for nb in sorted((REPO / "notebooks").glob("*.ipynb")):
        words += "\n".join("".join(c["source"]) for c in json.loads(nb.read_text(encoding="utf-8"))["cells"])
    return set(re.findall(r"\bmcp_lib(?:\.\w+)+", words))


@pytest.mark.parametrize("dotted", sorted(_documented_names()))
def test_every_name_the_docs_and_notebooks_use_exists(dotted):
    """``mcp_lib.risk.chance`` in the README, ``mcp_lib.app.explore`` in a notebook: each resolves."""
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            value = importlib.import_module(".".join(parts[:i]))
        except ModuleNotFoundError:
            continue
        for attr in parts[i:]:
            value = getattr(value, attr)
        return
    raise AssertionError(dotted)


def test_every_module_has_its_test_file_in_the_mirror():
    """mcp_lib/plan/planner.py → tests/plan/test_planner.py; mcp_lib/scoring.py → tests/test_scoring.py."""
    tests = REPO / "tests"
    missing = []
    for path in PACKAGE.rglob("*.py"):
        if path.name.startswith("__"):
            continue
        parts = path.relative_to(PACKAGE).parts
        mirror = tests / parts[0] / f"test_{path.stem}.py" if len(parts) > 1 else tests / f"test_{path.stem}.py"
        if not mirror.exists():
            missing.append(f"{path.relative_to(REPO)} → {mirror.relative_to(REPO)}")
    assert missing == []
