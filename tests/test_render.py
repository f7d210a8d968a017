"""Rendering an executed notebook to the brief's HTML (mcp_lib.render), without a kernel."""

import datetime as dt

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from mcp_lib.render import render_html


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
    assert "Dibuat 2026-11-02 08:00 UTC" in html


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
