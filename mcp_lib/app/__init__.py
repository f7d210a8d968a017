"""The entry points: the ``mcp`` command line (parsing and commands), its console output and the
JupyterLab explorer.

The names below are this wing's face; its modules hold the rest.
"""

from typing import TYPE_CHECKING

from mcp_lib.lazy import face

_PUBLIC = {
    "main": "cli",
    "Explorer": "explore",
}

if TYPE_CHECKING:
    from mcp_lib.app.cli import main
    from mcp_lib.app.explore import Explorer

__getattr__, __dir__ = face(__name__, _PUBLIC)

__all__ = ["Explorer", "main"]
