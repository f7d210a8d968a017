"""Repository hygiene: dependencies in step, no committed outputs, thin notebooks, honest README."""

import json
import re
import subprocess

import pytest
import yaml

from mcp_lib.app.cli import build_parser
from mcp_lib.config import REPO_ROOT

NOTEBOOKS = sorted((REPO_ROOT / "notebooks").glob("*.ipynb"))


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ ]", spec, maxsplit=1)[0].lower()


def test_environment_yml_installs_the_lock():
    """The conda route installs the very versions ``make`` does: Python 3.11, then the lock with
    its hashes (the project itself follows with ``python -m mcp_lib setup --here``)."""
    env = yaml.safe_load((REPO_ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    assert conda == ["python=3.11", "pip"]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert pip == ["--require-hashes", "-r requirements.lock"]
    assert "python -m mcp_lib setup --here" in (REPO_ROOT / "environment.yml").read_text()


def test_no_outputs_committed():
    try:
        tracked = subprocess.run(
            ["git", "ls-files", "outputs"], cwd=REPO_ROOT, capture_output=True, text=True, check=True
        ).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    assert set(tracked) <= {"outputs/README.md"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebooks_are_thin_and_stripped(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)
    tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1 and code and code[0] is tagged[0]
    for cell in code:
        src = "".join(cell["source"])
        assert not re.search(r"^\s*(def|class|async def) ", src, re.MULTILINE), f"{path.name} defines a function"


def test_readme_names_only_commands_that_exist():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    makefile = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z-]+):", makefile, re.MULTILINE))
    for target in re.findall(r"\bmake ([a-z-]+)", readme):
        assert target in targets, f"README mentions `make {target}`"
    commands = set(build_parser()._subparsers._group_actions[0].choices)
    for command in re.findall(r"\bmcp (?:--[a-z-]+ \S+ )*([a-z][a-z-]*)", readme):
        assert command in commands, f"README mentions `mcp {command}`"


def test_make_installs_through_the_setup_command():
    """`make` and `python -m mcp_lib setup` are one install path: the Makefile's environment is
    made by the setup command, from both lock files."""
    makefile = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    rule = makefile[makefile.index("$(STAMP):") :].split("\n\n")[0]
    assert "requirements.lock requirements-dev.lock" in rule.splitlines()[0]
    assert "-m mcp_lib setup --dev --venv $(VENV)" in rule
    assert "pip install" not in rule


def test_every_public_name_loads_from_its_module():
    """The package's public names are imported when first used (mcp_lib/__init__.py's table):
    each one in ``__all__`` loads and is the object of the module the table names."""
    import importlib

    import mcp_lib

    for name in mcp_lib.__all__:
        value = getattr(mcp_lib, name)
        if name != "__version__":
            module = importlib.import_module(f"mcp_lib.{mcp_lib._PUBLIC[name]}")
            assert getattr(module, name) is value, name
    assert set(mcp_lib.__all__) - {"__version__"} == set(mcp_lib._PUBLIC)


def test_the_slow_tier_is_a_property_of_the_tests_not_a_list_of_names():
    """A test is slow by its own marker (``@pytest.mark.slow`` or a module's ``pytestmark``), so
    a renamed test keeps its tier: conftest.py marks nothing by name, and every module that starts
    LibreOffice, a browser or a kernel for all its tests says so at its top."""
    import ast

    tests = REPO_ROOT / "tests"
    conftest = ast.parse((tests / "conftest.py").read_text(encoding="utf-8"))
    hooks = [n.name for n in conftest.body if isinstance(n, ast.FunctionDef) and n.name.startswith("pytest_")]
    assert "pytest_collection_modifyitems" not in hooks
    assert not [n for n in ast.walk(conftest) if isinstance(n, ast.Name) and n.id.startswith("SLOW_")]
    for name in ("run/test_batch", "test_browser", "run/test_runner"):
        text = (tests / f"{name}.py").read_text(encoding="utf-8")
        assert re.search(r"^pytestmark = (\[\s*)?pytest\.mark\.slow", text, re.M), name
