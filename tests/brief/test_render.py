"""Rendering an executed notebook to the brief's HTML (mcp_lib.brief.render), without a kernel; the
last test makes the two sample briefs end to end, for their size."""

import datetime as dt

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from mcp_lib.brief.render import render_html


def _executed(tmp_path):
    nb = new_notebook()
    params = new_code_cell('pemda = "x"')
    params.metadata["tags"] = ["parameters"]
    injected = new_code_cell('pemda = "kota-contoh"')
    injected.metadata["tags"] = ["injected-parameters"]
    shown = new_code_cell("brief.title(b)")
    shown.outputs = [new_output("display_data", data={"text/html": "<h1>Kota Contoh</h1>"})]
    nb.cells = [params, injected, new_markdown_cell("## Tren"), shown]
    path = tmp_path / "03_brief.ipynb"
    nbformat.write(nb, path)
    return path


def test_the_html_has_the_outputs_no_code_no_parameters_and_one_stamp(tmp_path):
    out = render_html(
        _executed(tmp_path), tmp_path / "a.html", dt.datetime(2026, 11, 2, 8, 0, tzinfo=dt.UTC), "Brief X"
    )
    html = out.read_text(encoding="utf-8")
    assert "<h1>Kota Contoh</h1>" in html and "Tren" in html and "<title>Brief X</title>" in html
    assert "brief.title" not in html and "pemda =" not in html and "<script" not in html
    assert "Dibuat 2 November 2026 pukul 08.00 UTC" in html


def test_same_notebook_same_html_but_the_stamp(tmp_path):
    nb = _executed(tmp_path)
    a = render_html(nb, tmp_path / "a.html", dt.datetime(2026, 11, 2, 8, 0, tzinfo=dt.UTC)).read_text(encoding="utf-8")
    b = render_html(nb, tmp_path / "b.html", dt.datetime(2026, 11, 3, 9, 0, tzinfo=dt.UTC)).read_text(encoding="utf-8")
    diff = [(x, y) for x, y in zip(a.splitlines(), b.splitlines(), strict=True) if x != y]
    assert len(diff) == 1 and "Dibuat" in diff[0][0]


def test_each_cell_is_one_plain_wrapper_with_the_styled_class_names(tmp_path):
    """JupyterLab's nested output wrappers (collapsers, output areas, prompts: ~8 KB of the sample
    brief) are not written; each cell is one div with the class names brief.css styles (print page
    breaks after a heading cell, pre in outputs)."""
    import re

    html = render_html(_executed(tmp_path), tmp_path / "a.html", dt.datetime(2026, 11, 2, 8, 0, tzinfo=dt.UTC))
    html = html.read_text(encoding="utf-8")
    body = html[html.index("<main>") : html.index("</main>")]
    assert re.findall(r'<div class="([^"]*)"', body) == ["cell md", "cell", "out"]
    assert '<h2 id="Tren">Tren</h2>' in body and "<h1>Kota Contoh</h1>" in body  # no hidden anchor link


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def _dom(html: str) -> list[tuple]:
    """The page as a browser's parser reads it: elements with their attributes (names in lower
    case, in any order), and the text, whitespace collapsed."""
    from html.parser import HTMLParser

    events: list[tuple] = []

    class Reader(HTMLParser):
        def handle_starttag(self, tag, attrs):
            events.append(("start", tag, tuple(sorted(attrs))))

        def handle_startendtag(self, tag, attrs):
            self.handle_starttag(tag, attrs)
            self.handle_endtag(tag)

        def handle_endtag(self, tag):
            if tag not in VOID:
                events.append(("end", tag))

        def handle_data(self, data):
            if data.strip():
                events.append(("text", " ".join(data.split())))

        def handle_decl(self, decl):
            events.append(("decl", decl.lower()))

    Reader().feed(html)
    return events


def test_the_page_is_what_nbconvert_itself_exports_minus_its_rewriting(lubuklinggau_2023_10, tmp_path):
    """The brief's exporter skips nbconvert's final BeautifulSoup pass. On the sample brief's
    sections (inline SVG charts, tables, escaped names) the page has the same elements, attributes
    and text as nbconvert's own export of the same notebook, and is smaller."""
    from brief_sections import SECTIONS
    from nbconvert import HTMLExporter

    from mcp_lib.brief import render

    nb = new_notebook()
    for i, section in enumerate(SECTIONS):
        cell = new_code_cell(f"section_{i}(b)")
        cell.outputs = [new_output("display_data", data={"text/html": str(section(lubuklinggau_2023_10))})]
        nb.cells += [new_markdown_cell(f"## Bagian {i} & co")]
        nb.cells.append(cell)
    path = tmp_path / "03_brief.ipynb"
    nbformat.write(nb, path)
    stamp = dt.datetime(2026, 11, 2, 8, 0, tzinfo=dt.UTC)
    ours = render_html(path, tmp_path / "ours.html", stamp, "Brief X").read_text(encoding="utf-8")
    stock = HTMLExporter(
        template_name=render.TEMPLATE_NAME,
        extra_template_basedirs=[str(render.TEMPLATE_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        anchor_link_text="",
    )
    assert type(render._exporter()) is not HTMLExporter
    theirs = render_html(path, tmp_path / "theirs.html", stamp, "Brief X", exporter=stock).read_text(encoding="utf-8")
    assert ours.count("<svg") == 4 and "anchor-link" not in ours and "anchor-link" not in theirs
    assert _dom(ours) == _dom(theirs)
    assert len(ours) < len(theirs)


def test_the_footer_text_cannot_leave_its_css_string():
    """The page footer (pemda name and date) is a CSS string in a <style> element: no quote, angle
    bracket, ampersand or line break from the data survives as itself."""
    from mcp_lib.brief.render import css_string

    hostile = "Kota \"A\" & 'B'</style><script>alert(1)</script>\n\\"
    out = css_string(hostile)
    assert not any(ch in out for ch in "\"'<>&\n")
    assert out.startswith("Kota \\22 A\\22  \\26  \\27 B\\27 ")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("pemda", "period", "most"),
    [("kab-musi-rawas", "2025-10", 150_000), ("kota-lubuklinggau", "2023-10", 100_000)],
)
def test_the_sample_briefs_stay_small(tmp_path, pemda, period, most, warm_kernel):
    """Issue 30: the 2025 sample (680 documents, summary and lampiran) at most 150 KB, it was
    270 KB (a data-label on every cell, every long list twice: folded and printed, the returned
    documents in two sections, 127 uploads listed one by one); the 2023 sample at most 100 KB."""
    from mcp_lib.brief.request import BriefRequest
    from mcp_lib.run.runner import run_brief

    html = run_brief(BriefRequest(pemda, period), out_root=tmp_path / "out", brief_only=True, session=warm_kernel).html
    page = html.read_text(encoding="utf-8")
    assert len(page.encode()) <= most, len(page.encode())
    assert "data-label" not in page and "Lampiran" in page and "Metode dan data" in page
