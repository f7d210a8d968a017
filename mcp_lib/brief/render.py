"""Rendering an executed brief notebook to one self-contained HTML file (nbconvert, our template)."""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path

from mcp_lib import __version__

__all__ = ["TEMPLATE_DIR", "TEMPLATE_NAME", "css_string", "generation_stamp", "render_html", "warm_up"]

TEMPLATE_DIR = Path(__file__).parent / "templates"
TEMPLATE_NAME = "mcp_brief"
_ANCHOR_LINK = re.compile(r'<a class="anchor-link" href="#[^"<>]*"(?:></a>| ?/>)')
"""nbconvert's link after each heading, hidden in the brief (a heading keeps its id: brief.html#Tren)."""


@functools.cache
def _exporter() -> object:
    """One HTML exporter per process: its Jinja environment keeps the compiled templates, which
    otherwise cost ~0.2 s per brief (a batch renders hundreds)."""
    from nbconvert import HTMLExporter
    from nbconvert.exporters.html import Highlight2HTML, WidgetsDataTypeFilter
    from nbconvert.exporters.templateexporter import TemplateExporter

    class BriefExporter(HTMLExporter):  # type: ignore[misc]
        """nbconvert's HTML exporter without its last step, a BeautifulSoup pass over the whole
        page (half of an export's time: 0.15-0.25 s per brief) that gives images without a text
        alternative one and makes JupyterLab's input and output wrappers focusable. The brief's
        template writes neither wrappers nor images (charts are inline SVG with their own label),
        so the pass changed only how the markup is written out (sorted attributes, ``viewbox``
        lower-cased, ``<path/>`` as ``<path></path>``); the page is smaller without it and shows
        the same (test_render compares the visible text with nbconvert's own export)."""

        def from_notebook_node(self, nb, resources=None, **kw):  # type: ignore[no-untyped-def]
            # As HTMLExporter.from_notebook_node (nbconvert 7), up to the BeautifulSoup pass.
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            highlight_code = self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
            resources = self._init_resources(resources)
            filter_data_type = WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources
            )
            self.register_filter("highlight_code", highlight_code)
            self.register_filter("filter_data_type", filter_data_type)
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return BriefExporter(
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
    _exporter().from_notebook_node(nb, resources={"mcp": {"generated": "", "version": __version__, "footer": ""}})


def page_head(title: str, css: str = "", meta: str = "") -> str:
    """The start of a self-contained page on the brief's style sheet, up to ``<body>``: ``title``
    already escaped, ``css`` the page's own rules after the brief's, ``meta`` extra head lines
    (the province overview and the page from dashboard counts use it)."""
    sheet = (TEMPLATE_DIR / TEMPLATE_NAME / "brief.css").read_text(encoding="utf-8")
    return f"""<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1.0">
{meta}<title>{title}</title>
<style>
{sheet}
{css}</style>
</head>
"""


def generation_stamp(when: dt.datetime | None = None) -> str:
    """The generation date in Indonesian: ``6 Desember 2026 pukul 16.40 UTC`` (the time zone of the
    machine, as it names it)."""
    from mcp_lib import text

    when = when or dt.datetime.now().astimezone()
    zone = when.strftime("%Z").strip()
    return f"{text.date(when.date())} pukul {when:%H.%M}" + (f" {zone}" if zone else "")


def css_string(value: str) -> str:
    """Text as the inside of a CSS string in a ``<style>`` element: backslash, quotes, line breaks
    and ``<`` escaped (nothing from the data can end the string or the element)."""
    out = []
    for ch in str(value):
        if ch in "\\\"'<>&" or ord(ch) < 32:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return "".join(out)


def render_html(
    executed: Path | str,
    out: Path | str,
    generated: dt.datetime | None = None,
    title_text: str = "",
    *,
    exporter: object | None = None,
    footer: str = "",
    until_appendix: bool = False,
) -> Path:
    """Render an executed brief notebook to one self-contained HTML file.

    Code is hidden; the template (``mcp_lib/templates/mcp_brief``, extending ``lab``) loads no
    script, font, style sheet or image from anywhere: charts are inline SVG. The generation
    stamp in the footer is the only part that changes between runs on the same inputs.
    ``exporter`` replaces the brief's own (tests compare with nbconvert's stock exporter).
    ``footer`` (the pemda and the data date) is printed at the foot of every page with the
    generation date; ``until_appendix`` keeps only the cells before the lampiran (the two-page
    summary, for its own PDF).
    """
    import nbformat

    nb = nbformat.read(str(executed), as_version=4)
    nb.metadata["title"] = title_text or "Brief MCP"
    # Parameter cells show nothing, and papermill gives its injected cell a random id; the cell
    # tagged "steps" says which step results were read or computed: the executed notebook's
    # provenance, not the meeting's.
    skip = {"parameters", "injected-parameters", "steps"}
    nb.cells = [c for c in nb.cells if not skip & set(c.metadata.get("tags", []))]
    if until_appendix:
        end = next((i for i, c in enumerate(nb.cells) if "appendix_start" in c.source), len(nb.cells))
        nb.cells = nb.cells[:end]
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i:03d}"
    exporter = exporter or _exporter()
    stamp = generation_stamp(generated)
    foot = css_string(f"{footer} · dibuat {stamp}") if footer else ""
    body, _ = exporter.from_notebook_node(
        nb, resources={"mcp": {"generated": stamp, "version": __version__, "footer": foot}}
    )
    body = _ANCHOR_LINK.sub("", body)
    out = Path(out)
    out.write_text(body, encoding="utf-8")
    return out
