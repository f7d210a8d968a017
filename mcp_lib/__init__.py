"""MCP Workbook: steer a pemda's KPK MCP score from monthly status snapshots.

The public API, by module: :mod:`~mcp_lib.framework_files` (load a framework year),
:mod:`~mcp_lib.framework` (what a framework holds), :mod:`~mcp_lib.pemda` (a pemda and its
settings), :mod:`~mcp_lib.snapshot` (its dated snapshots), :mod:`~mcp_lib.scoring` (scores at
every level), :mod:`~mcp_lib.trend` (score over time), :mod:`~mcp_lib.kpk` (KPK export importer).
"""

import sys
from importlib.metadata import PackageNotFoundError, version

# jsonschema (under nbformat and papermill) checks the "iri" string formats with the
# rfc3987_syntax package when it is installed (jupyterlab brings it), and that package builds a Lark
# grammar when imported: 1.1-1.4 CPU-seconds in every process that imports this package (the CLI,
# each notebook's kernel, each batch worker). Nothing here validates an "iri" format; without the
# package jsonschema simply leaves that one format unchecked. ``None`` in sys.modules is Python's
# documented way to make an import fail (ModuleNotFoundError), which jsonschema expects and skips.
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[assignment]

from typing import TYPE_CHECKING

# The public names are imported when first used (PEP 562), not with the package: importing any
# module of the package stays as cheap as that module, and ``python -m mcp_lib setup`` runs on a
# bare Python that has none of the dependencies yet (it installs them).
_PUBLIC = {
    "InputError": "errors",
    "Problem": "errors",
    "Framework": "framework",
    "load_framework": "framework_files",
    "import_kpk_export": "kpk",
    "Pemda": "pemda",
    "load_pemda": "pemda_file",
    "Scores": "scoring",
    "score_snapshot": "scoring",
    "Snapshot": "snapshot",
    "load_history": "snapshot",
    "load_period": "snapshot",
    "load_snapshot": "snapshot",
    "Trend": "trend",
    "compute_trend": "trend",
}

if TYPE_CHECKING:
    from mcp_lib.errors import InputError, Problem
    from mcp_lib.framework import Framework
    from mcp_lib.framework_files import load_framework
    from mcp_lib.kpk import import_kpk_export
    from mcp_lib.pemda import Pemda
    from mcp_lib.pemda_file import load_pemda
    from mcp_lib.scoring import Scores, score_snapshot
    from mcp_lib.snapshot import Snapshot, load_history, load_period, load_snapshot
    from mcp_lib.trend import Trend, compute_trend


def __getattr__(name: str) -> object:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'mcp_lib' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"mcp_lib.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_PUBLIC})


try:
    __version__ = version("mcp-workbook")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

__all__ = [
    "Framework",
    "InputError",
    "Pemda",
    "Problem",
    "Scores",
    "Snapshot",
    "Trend",
    "__version__",
    "compute_trend",
    "import_kpk_export",
    "load_framework",
    "load_history",
    "load_pemda",
    "load_period",
    "load_snapshot",
    "score_snapshot",
]
