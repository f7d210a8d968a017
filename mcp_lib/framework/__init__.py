"""An MCP framework year: what it holds (levels, weights, bands), its assessment calendar, the
rules that check it, its folder of files, the framework workbook (template, reader), and the
scoring methods an indicator may name (MCSP 2026).

The names below are this wing's face; its modules hold the rest.
"""

from typing import TYPE_CHECKING

from mcp_lib.lazy import face

_PUBLIC = {
    "Band": "model",
    "Bands": "model",
    "Framework": "model",
    "Level": "model",
    "framework_from_frames": "model",
    "Calendar": "calendar",
    "default_calendar": "calendar",
    "resolve_calendar": "calendar",
    "Method": "methods",
    "MethodError": "methods",
    "parse_method": "methods",
    "assemble_framework": "rules",
    "find_framework": "folder",
    "load_framework": "folder",
    "write_framework": "folder",
    "import_framework_workbook": "workbook.reader",
    "export_framework": "workbook.template",
    "write_template": "workbook.template",
}

if TYPE_CHECKING:
    from mcp_lib.framework.calendar import Calendar, default_calendar, resolve_calendar
    from mcp_lib.framework.folder import find_framework, load_framework, write_framework
    from mcp_lib.framework.methods import Method, MethodError, parse_method
    from mcp_lib.framework.model import Band, Bands, Framework, Level, framework_from_frames
    from mcp_lib.framework.rules import assemble_framework
    from mcp_lib.framework.workbook.reader import import_framework_workbook
    from mcp_lib.framework.workbook.template import export_framework, write_template

__getattr__, __dir__ = face(__name__, _PUBLIC)

__all__ = [
    "Band",
    "Bands",
    "Calendar",
    "Framework",
    "Level",
    "Method",
    "MethodError",
    "assemble_framework",
    "default_calendar",
    "export_framework",
    "find_framework",
    "framework_from_frames",
    "import_framework_workbook",
    "load_framework",
    "parse_method",
    "resolve_calendar",
    "write_framework",
    "write_template",
]
