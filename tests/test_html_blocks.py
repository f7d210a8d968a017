"""The escaped HTML building blocks (mcp_lib.html_blocks)."""

import pandas as pd

from mcp_lib.html_blocks import Html, band_class, card, html_table, range_text


def test_a_table_escapes_every_cell_but_the_raw_columns():
    df = pd.DataFrame({"name": ["<b>Dinas</b> & co"], "bar": ['<span class="bar"></span>'], "n": ["1,5"]})
    html = html_table(df, {"name": "Nama <OPD>", "bar": "", "n": "Poin"}, numeric={"n"}, raw={"bar"})
    assert "&lt;b&gt;Dinas&lt;/b&gt; &amp; co" in html and "<b>" not in html
    assert '<span class="bar"></span>' in html  # markup the code built, passed as it is
    assert "Nama &lt;OPD&gt;" in html and 'data-label="Poin"' in html and '<td class="num"' in html


def test_a_table_shows_only_the_columns_asked_for_in_their_order():
    df = pd.DataFrame({"b": ["2"], "a": ["1"], "secret": ["x"]})
    html = html_table(df, {"a": "A", "b": "B"}, caption="Judul")
    assert html.index(">A<") < html.index(">B<") and "secret" not in html and "x" not in html
    assert "<caption>Judul</caption>" in html


def test_cards_bands_and_ranges():
    c = card("Nilai <x>", "65,0%", note="catatan & lain", cls="band-hijau")
    assert 'class="card band-hijau"' in c and "Nilai &lt;x&gt;" in c and "catatan &amp; lain" in c
    assert band_class("Hijau Tua!") == "band-hijau-tua-"
    assert range_text(58.0, 71.25) == "58–71%"
    assert Html("<p>x</p>")._repr_html_() == "<p>x</p>"
