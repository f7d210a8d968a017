"""MCP Workbook: steer a pemda's KPK MCP score from monthly status snapshots.

The public API, by module: :mod:`~mcp_lib.framework.folder` (load a framework year),
:mod:`~mcp_lib.framework.model` (what a framework holds), :mod:`~mcp_lib.pemda.model` (a pemda and its
settings), :mod:`~mcp_lib.pemda.snapshot` (its dated snapshots), :mod:`~mcp_lib.scoring` (scores at
every level), :mod:`~mcp_lib.trend` (score over time), :mod:`~mcp_lib.pemda.kpk` (KPK export importer).
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

from mcp_lib.lazy import face

# The public names are imported when first used (PEP 562), not with the package: importing any
# module of the package stays as cheap as that module, and ``python -m mcp_lib setup`` runs on a
# bare Python that has none of the dependencies yet (it installs them).
_PUBLIC = {
    "InputError": "errors",
    "Problem": "errors",
    "Framework": "framework.model",
    "load_framework": "framework.folder",
    "import_kpk_export": "pemda.kpk",
    "Pemda": "pemda.model",
    "load_pemda": "pemda.settings",
    "Scores": "scoring",
    "score_snapshot": "scoring",
    "Snapshot": "pemda.snapshot",
    "load_history": "pemda.snapshot",
    "load_period": "pemda.snapshot",
    "load_snapshot": "pemda.snapshot",
    "Trend": "trend",
    "compute_trend": "trend",
}

if TYPE_CHECKING:
    from mcp_lib.errors import InputError, Problem
    from mcp_lib.framework.folder import load_framework
    from mcp_lib.framework.model import Framework
    from mcp_lib.pemda.kpk import import_kpk_export
    from mcp_lib.pemda.model import Pemda
    from mcp_lib.pemda.settings import load_pemda
    from mcp_lib.pemda.snapshot import Snapshot, load_history, load_period, load_snapshot
    from mcp_lib.scoring import Scores, score_snapshot
    from mcp_lib.trend import Trend, compute_trend


__getattr__, __dir__ = face(__name__, _PUBLIC)


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
