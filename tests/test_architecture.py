"""The package's shape (docs/architecture.md): layers, no cycles, no private names across modules."""

import ast
from pathlib import Path

import mcp_lib

PACKAGE = Path(mcp_lib.__file__).parent

# The layers of docs/architecture.md, lowest first; a module name per word, a layer per block.
LAYER_TABLE = """
0 foundations (no mcp_lib imports but each other)
    config errors text files records rawfile tomlfile mcp_calendar
1 reading and checking input files
    readers framework framework_rules framework_files framework_workbook framework_template framework_import
    pemda pemda_file snapshot risk_params
2 the models: scores, trend, verification risk, forecast, plans
    scoring trend risk forecast backtest optimise schedule candidates reserve obstacles planner targets
    scenario kpk tracker tracker_import since import_changes
3 the brief's data and how it is shown
    brief_data pipeline html_blocks charts meeting brief brief_summary brief_plan action_workbook render pdf explore
4 running notebooks: one brief, many
    kernel runner batch cluster overview
5 entry points and the sample data
    cli console commands onboard sample sample_frameworks install __main__ __init__
"""
LAYERS: list[set[str]] = []
for _line in LAYER_TABLE.strip().splitlines():
    if _line.startswith(" "):
        LAYERS[-1] |= set(_line.split())
    else:
        LAYERS.append(set())


def _layer(name: str) -> int:
    for i, layer in enumerate(LAYERS):
        if name in layer:
            return i
    raise AssertionError(f"mcp_lib/{name}.py is in no layer of tests/test_architecture.py (and docs/architecture.md)")


def _imports() -> dict[str, list[tuple[str, list[str]]]]:
    """module → [(imported mcp_lib module, names imported from it)], function-level imports too."""
    out = {}
    for path in sorted(PACKAGE.glob("*.py")):
        found = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("mcp_lib"):
                if node.module == "mcp_lib":
                    found += [(a.name, []) for a in node.names if (PACKAGE / f"{a.name}.py").exists()]
                    found.append(("__init__", [a.name for a in node.names if not (PACKAGE / f"{a.name}.py").exists()]))
                else:
                    found.append((node.module.split(".")[1], [a.name for a in node.names]))
            elif isinstance(node, ast.Import):
                found += [(a.name.split(".")[1], []) for a in node.names if a.name.startswith("mcp_lib.")]
        out[path.stem] = found
    return out


def test_every_module_is_in_a_layer_and_imports_only_its_own_or_lower_ones():
    wrong = []
    for module, imports in _imports().items():
        for target, _names in imports:
            if target == "__init__":
                continue  # __version__ and the public names
            if _layer(target) > _layer(module):
                wrong.append(f"{module} (layer {_layer(module)}) imports {target} (layer {_layer(target)})")
    assert wrong == []


def test_no_import_cycles():
    graph = {m: {t for t, _ in imps if t != "__init__" and t != m} for m, imps in _imports().items()}
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


def test_no_private_name_is_imported_across_modules():
    private = [
        f"{module} imports {name} from {target}"
        for module, imports in _imports().items()
        for target, names in imports
        for name in names
        if name.startswith("_") and name != "__version__"
    ]
    assert private == []


def test_every_module_has_its_test_file():
    tests = PACKAGE.parent / "tests"
    missing = [
        p.name
        for p in PACKAGE.glob("*.py")
        if not p.name.startswith("__") and not (tests / f"test_{p.stem}.py").exists()
    ]
    assert missing == []
