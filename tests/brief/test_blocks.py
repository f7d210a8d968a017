"""The escaped HTML building blocks (mcp_lib.brief.blocks)."""

import pandas as pd

from mcp_lib.brief.blocks import Html, band_class, card, html_table, opd_table, range_text


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
    assert range_text(58.0, 71.25) == "58–72%"  # rounded outward, never narrower than it is
    assert range_text(84.57, 87.0) == "84–87%"
    assert Html("<p>x</p>")._repr_html_() == "<p>x</p>"


def test_the_opd_table_of_the_brief_and_of_the_explorer():
    """One OPD table for both: scores as Indonesian numbers, every count right-aligned, the OPD's
    name escaped; the brief's has the documents awaiting verification, the explorer's does not."""
    by_opd = pd.DataFrame(
        {
            "opd": ["<BPKAD> & Aset", "Bapenda"],
            "verified": [87.5, 40.0],
            "points_open": [1.234, 0.5],
            "documents": [10, 4],
            "late": [1, 0],
            "rejected": [2, 0],
            "blocked": [0, 1],
            "awaiting": [3, 0],
        }
    )
    brief = opd_table(by_opd)
    assert "&lt;BPKAD&gt; &amp; Aset" in brief and "<BPKAD>" not in brief
    assert ">87,5%<" in brief and ">1,23<" in brief
    assert brief.index("&lt;BPKAD&gt;") < brief.index("Bapenda")  # the frame's order
    assert 'scope="col">Menunggu verifikasi<' in brief.replace(' class="num"', "")
    assert brief.count('<td class="num"') == 2 * 7  # all but the OPD's name
    explorer = opd_table(by_opd, awaiting=False)
    assert "Menunggu verifikasi" not in explorer and explorer.count('<td class="num"') == 2 * 6


def test_a_band_of_any_name_has_its_own_colour_and_a_bad_colour_is_grey():
    """2025's bands (rentan/waspada/terjaga) or a future year's names: the card takes the colour
    bands.csv gives, not a stylesheet rule per known name; a cell that is not #rrggbb (a typo,
    or markup) never reaches the page."""
    from mcp_lib.brief.blocks import band_style
    from mcp_lib.framework.model import BAND_COLOUR, Band

    assert band_style(Band("Zona Hijau 2026", 78, "#1A9850")) == ' style="border-top-color: #1A9850"'
    for bad in ("red", '#fff" onload="x', "#12345", ""):
        assert band_style(Band("x", 0, bad)) == f' style="border-top-color: {BAND_COLOUR}"'
    assert ' style="border-top-color: #d7301f"><span class="label">Nilai' in card(
        "Nilai", "60,0%", style=band_style(Band("rentan", 0, "#d7301f"))
    )
