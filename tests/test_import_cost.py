"""What importing the package costs: nothing builds a parser it does not use (issue 16)."""

import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version

import pytest

CHECK = """
import sys
import mcp_lib.brief.sections, mcp_lib.run.runner, papermill, nbconvert, nbformat, jsonschema
print(repr(sys.modules.get("rfc3987_syntax", "absent")))
checker = jsonschema.FormatChecker()
print(checker.conforms("2023-10-31", "date"), checker.conforms("31/10/2023", "date"))
"""


def _installed() -> None:
    try:
        version("rfc3987-syntax")
    except PackageNotFoundError:
        pytest.skip("rfc3987-syntax is not installed: nothing to keep out")


def test_importing_the_brief_does_not_build_the_iri_grammar():
    """rfc3987_syntax (installed with jupyterlab) builds a Lark grammar on import, 1.1-1.4 CPU-s in
    every process; the package keeps it out, and jsonschema's other format checks still work."""
    _installed()
    out = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, check=True).stdout
    blocked, formats = out.splitlines()
    assert blocked == "None"
    assert formats == "True False"


def test_a_process_that_imported_jsonschema_first_is_left_alone():
    """Only an import that has not happened yet is kept out: a process (a user's kernel) that loaded
    jsonschema with the package before importing mcp_lib keeps what it has."""
    _installed()
    code = "import jsonschema, sys, mcp_lib; print(type(sys.modules.get('rfc3987_syntax')).__name__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "module"


def test_the_briefs_kernel_does_not_import_scipy():
    """The kernel imports what the notebooks use (KernelSession.PRELOAD) and reads the steps'
    files: scipy (the planner's solver, the risk model's ufuncs) is imported only where a plan or
    a forecast is computed (~1.7 CPU-s of every kernel's start)."""
    from mcp_lib.run.kernel import KernelSession

    imports = KernelSession.PRELOAD.split(";")[0]
    assert imports.startswith("import mcp_lib.brief.")
    code = f"{imports}\nimport sys\nprint(sorted(m for m in sys.modules if m == 'scipy' or m.startswith('scipy.')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
