"""The monthly brief: what it is asked for (one request), its three steps and the files they hand
to each other, its data, its sections as escaped HTML, charts, the action workbook, rendering to
one HTML file and to PDF; and the one-page brief from the dashboard's counts.

The names below are this wing's face; its modules hold the rest.
"""

from typing import TYPE_CHECKING

from mcp_lib.lazy import face

_PUBLIC = {
    "BriefRequest": "request",
    "BriefData": "data",
    "write_action_workbook": "action_workbook",
    "render_html": "render",
    "write_pdf": "pdf",
    "write_counts_page": "counts_page",
}

if TYPE_CHECKING:
    from mcp_lib.brief.action_workbook import write_action_workbook
    from mcp_lib.brief.counts_page import write_counts_page
    from mcp_lib.brief.data import BriefData
    from mcp_lib.brief.pdf import write_pdf
    from mcp_lib.brief.render import render_html
    from mcp_lib.brief.request import BriefRequest

__getattr__, __dir__ = face(__name__, _PUBLIC)

__all__ = ["BriefData", "BriefRequest", "render_html", "write_action_workbook", "write_counts_page", "write_pdf"]
