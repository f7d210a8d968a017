"""The escaped HTML building blocks (mcp_lib.brief.blocks)."""

import pandas as pd
from conftest import TINY

from mcp_lib.brief.blocks import (
    Html,
    area_labels,
    area_short_note,
    area_shorts,
    band_class,
    card,
    html_table,
    opd_table,
    range_text,
    weight_text,
)
from mcp_lib.framework.folder import load_framework


def test_a_table_escapes_every_cell_but_the_raw_columns():
    df = pd.DataFrame({"name": ["<b>Dinas</b> & co"], "bar": ['<span class="bar"></span>'], "n": ["1,5"]})
    html = html_table(df, {"name": "Nama <OPD>", "bar": "", "n": "Poin"}, numeric={"n"}, raw={"bar"})
    assert "&lt;b&gt;Dinas&lt;/b&gt; &amp; co" in html and "<b>" not in html
    assert '<span class="bar"></span>' in html  # markup the code built, passed as it is
    assert "Nama &lt;OPD&gt;" in html and '<td class="num"' in html
    assert html.startswith(
        '<div class="table-wrap"><table class="stack" style="--l1:\'Nama \\3c OPD\\3e \';--l3:\'Poin\'">'
    )


def test_a_phone_names_each_cell_from_one_list_of_names_per_table():
    """The column names are given once per table (custom properties --l1, --l2, ... that the
    stylesheet's one rule per column position shows before each cell on a phone), never on every
    cell; a name cannot end its CSS string, the attribute or the element; a table wider than the
    stylesheet's rules keeps its scroller instead (no names)."""
    from mcp_lib.brief.blocks import LABELLED_COLUMNS
    from mcp_lib.brief.render import TEMPLATE_DIR, TEMPLATE_NAME

    df = pd.DataFrame({"a": ["1", "2"], "b": ["x", "y"]})
    html = html_table(df, {"a": "Poin", "b": "Catatan\"'; } </style> & <b>"})
    assert "data-label" not in html and html.count("<td") == 4
    style = html[html.index('style="') + 7 :]
    style = style[: style.index('"')]
    assert style.startswith("--l1:'Poin';--l2:'Catatan")
    for bad in ('"', "<", ">", "&"):
        assert bad not in style
    assert style.count("'") == 4  # two strings, each quote of the name escaped
    css = (TEMPLATE_DIR / TEMPLATE_NAME / "brief.css").read_text(encoding="utf-8")
    for i in range(1, LABELLED_COLUMNS + 1):
        assert f"table.stack td:nth-child({i})::before {{ content: var(--l{i}) " in css
    assert f"nth-child({LABELLED_COLUMNS + 1})" not in css
    wide = {f"c{i}": f"K{i}" for i in range(LABELLED_COLUMNS + 1)}
    assert html_table(pd.DataFrame({c: ["1"] for c in wide}), wide).startswith('<div class="table-wrap"><table>')


def test_a_grouped_table_has_one_heading_row_per_group_and_each_row_once():
    from mcp_lib.brief.blocks import grouped_table

    df = pd.DataFrame(
        {"opd": ["B <x>", "A", "B <x>"], "doc": ["d1", "d2", "d3 & co"], "poin": ["1,00", "2,00", "3,00"]}
    )
    html = grouped_table(
        df, "opd", {"opd": "OPD", "doc": "Dokumen", "poin": "Poin"}, {"poin"}, lambda k, g: f"{k}: {len(g)} dokumen"
    )
    assert html.count("<table") == 1 and html.count('<tbody class="fold">') == 2
    assert html.count('<input type="checkbox" class="fold-toggle">') == 2 and "<script" not in html
    # the frame's order of groups, the heading escaped, the grouping column not repeated per row
    assert html.index("B &lt;x&gt;: 2 dokumen") < html.index("A: 1 dokumen") and "<x>" not in html
    assert '<th colspan="2" scope="rowgroup"><label>' in html and ">OPD<" not in html
    assert html.count("<tr>") == 1 + 3 and "d3 &amp; co" in html and html.count(">d1<") == 1
    assert "--l1:'Dokumen';--l2:'Poin'" in html
    plain = grouped_table(df, "opd", {"doc": "Dokumen", "poin": "Poin"}, fold=False)
    assert "fold" not in plain and '<tbody><tr class="group"><th colspan="2" scope="rowgroup">A</th>' in plain


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


# --- the bands in words (issue 29): from the framework's bands.csv, no band name in the code -----

Y2023 = [("Merah", 0, "#d7301f"), ("Kuning", 25, "#fdae61"), ("Biru", 50, "#4575b4"), ("Hijau", 75, "#1a9850")]
Y2025 = [("rentan", 0, "#d7301f"), ("waspada", 73, "#fdae61"), ("terjaga", 78, "#1a9850")]
MADE_UP = [("Dasar <i>", 0, "#123456"), ("Madya & Co", 42.5, "#abcdef"), ("Utama", 87.25, "#0a0b0c")]


def _bands(rows):
    from mcp_lib.framework.model import Bands

    return Bands.from_rows(rows)


def test_a_year_s_bands_in_one_line_as_kpk_states_them():
    from mcp_lib.brief.blocks import bands_words

    assert bands_words(_bands(Y2025)) == "rentan < 73, waspada 73–77,9, terjaga ≥ 78"
    assert bands_words(_bands(Y2023)) == "Merah < 25, Kuning 25–49,9, Biru 50–74,9, Hijau ≥ 75"
    # names the code has never seen, bounds with decimals: each top a tenth below the next bound
    assert bands_words(_bands(MADE_UP)) == "Dasar <i> < 42,5, Madya & Co 42,5–87,15, Utama ≥ 87,25"
    assert bands_words(_bands([("Satu", 0, "")])) == "Satu (semua nilai)"


def test_the_way_to_the_next_band_is_rounded_up_and_never_zero():
    """Hand-computed: 73 − 57,9 = 15,1; a bound belongs to its band (exactly 78 is terjaga, the
    top: nothing further); 77,95 is waspada, 0,05 below 78: said as 0,1 (rounded up, so what is
    said is enough: 0,0 would read as already there, and 10,04 said as 10,0 would fall short)."""
    from mcp_lib.brief.blocks import band_distance, band_note

    y2025, y2023 = _bands(Y2025), _bands(Y2023)
    assert band_note(y2025, 57.9) == "predikat rentan; 15,1 poin lagi ke waspada (73)"
    assert band_note(y2025, 73) == "predikat waspada; 5,0 poin lagi ke terjaga (78)"
    assert band_note(y2025, 78) == "predikat terjaga"
    assert band_note(y2025, 77.95) == "predikat waspada; 0,1 poin lagi ke terjaga (78)"
    assert band_note(y2025, 72.9999) == "predikat rentan; 0,1 poin lagi ke waspada (73)"
    assert band_note(y2025, 72.99999995) == "predikat rentan; 0,1 poin lagi ke waspada (73)"  # not 0,0
    assert band_note(y2025, 62.3) == "predikat rentan; 10,7 poin lagi ke waspada (73)"  # 10,700…03: not 10,8
    assert band_note(y2023, 49.9) == "predikat Kuning; 0,1 poin lagi ke Biru (50)"  # 0,100…01: not 0,2
    assert band_note(y2023, 64.96) == "predikat Biru; 10,1 poin lagi ke Hijau (75)"  # 10,04 needed
    assert band_note(y2023, 0) == "predikat Merah; 25,0 poin lagi ke Kuning (25)"
    assert band_note(_bands(MADE_UP), 80) == "predikat Madya & Co; 7,3 poin lagi ke Utama (87,25)"
    for score in (24.99999, 49.95, 74.9001, 74.96, 74.99999999):
        assert "0,0 poin" not in band_distance(y2023, score) and "0,1 poin" in band_distance(y2023, score)


def test_the_verified_score_s_note_has_the_band_the_way_up_and_the_penalty():
    from types import SimpleNamespace

    from mcp_lib.brief.blocks import score_note

    s = SimpleNamespace(verified=70.0, penalty=0.0, penalty_reason="")
    assert score_note(s, _bands(Y2025)) == "predikat rentan; 3,0 poin lagi ke waspada (73)"
    s = SimpleNamespace(verified=70.0, penalty=2.0, penalty_reason="LHKPN")
    assert score_note(s, _bands(Y2025)) == (
        "predikat rentan; 3,0 poin lagi ke waspada (73); sudah dikurangi penalti 2,0 poin (LHKPN)"
    )


def test_a_band_s_colour_is_checked_once_for_every_use():
    from mcp_lib.brief.blocks import band_colour, band_label
    from mcp_lib.framework.model import BAND_COLOUR, Band

    assert band_colour(Band("terjaga", 78, "#1a9850")) == "#1a9850"
    assert band_colour(Band("x", 78, "url(//evil.example)")) == BAND_COLOUR
    assert band_label(Band("terjaga", 78, "")) == "terjaga ≥ 78"


def test_an_area_is_labelled_by_its_short_name_else_its_full_name(tiny_fw):
    areas = tiny_fw.areas  # A "Area A", B "Area B", C "Dana Desa"
    assert area_shorts(tiny_fw) == {}  # a framework without short names
    shorts = {"A": "AA", "C": "OPD"}
    assert list(area_labels(areas, shorts)) == ["AA", "Area B", "OPD"]
    assert list(area_labels(areas, {})) == ["Area A", "Area B", "Dana Desa"]
    # A short name that would merge two areas' bars: the full names.
    assert list(area_labels(areas, {"A": "Area B"})) == ["Area A", "Area B", "Dana Desa"]


def test_the_dashboard_s_opd_is_said_in_words(tiny_fw):
    areas = tiny_fw.areas
    note = area_short_note(areas, {"A": "AA", "C": "opd"})
    assert note == "area OPD (singkatan dasbor KPK) adalah Dana Desa, bukan Organisasi Perangkat Daerah"
    assert area_short_note(areas, {"A": "AA"}) == ""


def test_the_short_names_come_from_the_framework_s_column(tiny_copy):
    path = tiny_copy / "frameworks" / "mcp-2023" / "framework.csv"
    fw = pd.read_csv(path, dtype=str, keep_default_na=False)
    fw["area_short"] = fw["area_code"].map({"A": " P<b>BJ ", "B": ""}).fillna("")
    fw.to_csv(path, index=False)
    assert area_shorts(load_framework(2023, tiny_copy)) == {"A": "P<b>BJ"}  # blank: none
    assert area_shorts(load_framework(2023, TINY)) == {}


def test_a_weight_is_shown_with_the_decimals_it_was_given():
    """10,857 (seven of them and 24 make 99,999) is not rounded to 10,9 (which would make 100,3);
    a weight made equal among siblings (100/7) and the others keep one decimal, as before."""
    assert [weight_text(w) for w in (12.5, 24.0, 10.857, 100 / 7, 33.25)] == ["12,5", "24,0", "10,857", "14,3", "33,25"]
