"""Rendering an executed brief notebook to one self-contained HTML file (nbconvert, our template)."""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path

from mcp_lib import __version__
from mcp_lib.config import PACKAGE_DIR

__all__ = ["TEMPLATE_DIR", "TEMPLATE_NAME", "render_html", "warm_up"]

TEMPLATE_DIR = PACKAGE_DIR / "templates"
TEMPLATE_NAME = "mcp_brief"
_ANCHOR_LINK = re.compile(r'<a class="anchor-link" href="#[^"<>]*"></a>')
"""nbconvert's link after each heading, hidden in the brief (a heading keeps its id: brief.html#Tren)."""


@functools.cache
def _exporter() -> object:
    """One HTML exporter per process: its Jinja environment keeps the compiled templates, which
    otherwise cost ~0.2 s per brief (a batch renders hundreds)."""
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATE_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        anchor_link_text="",
    )


def warm_up() -> None:
    """Import nbconvert and compile the brief's templates (~0.8 s, the first time in a process) by
    rendering an empty notebook: ``mcp brief`` does it in a thread while the kernel runs the
    notebooks, when this process only waits for the kernel's messages."""
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("")])
    _exporter().from_notebook_node(nb, resources={"mcp": {"generated": "", "version": __version__}})


def render_html(
    executed: Path | str, out: Path | str, generated: dt.datetime | None = None, title_text: str = ""
) -> Path:
    """Render an executed brief notebook to one self-contained HTML file.

    Code is hidden; the template (``mcp_lib/templates/mcp_brief``, extending ``lab``) loads no
    script, font, style sheet or image from anywhere: charts are inline SVG. The generation
    stamp in the footer is the only part that changes between runs on the same inputs.
    """
    import nbformat

    nb = nbformat.read(str(executed), as_version=4)
    nb.metadata["title"] = title_text or "Brief MCP"
    # Parameter cells show nothing, and papermill gives its injected cell a random id.
    skip = {"parameters", "injected-parameters"}
    nb.cells = [c for c in nb.cells if not skip & set(c.metadata.get("tags", []))]
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i:03d}"
    exporter = _exporter()
    stamp = (generated or dt.datetime.now().astimezone()).strftime("%Y-%m-%d %H:%M %Z").strip()
    body, _ = exporter.from_notebook_node(nb, resources={"mcp": {"generated": stamp, "version": __version__}})
    body = _ANCHOR_LINK.sub("", body)
    out = Path(out)
    out.write_text(body, encoding="utf-8")
    return out
