"""The brief's two summary pages (mcp_lib.brief.summary), and the one rule every output keeps:
exactly two chances per target, one definition each (issue 26)."""

import html as h
import io
import re

import pytest
from brief_sections import SECTIONS
from conftest import TINY
from rich.console import Console

from mcp_lib import text
from mcp_lib.brief import meeting, steps, summary
from mcp_lib.brief.request import BriefRequest
from mcp_lib.forecast import WITH_PLAN, WITHOUT_PLAN
from mcp_lib.plan.planner import WITH_BELOW_WITHOUT


def test_page_one_says_where_we_stand(lubuklinggau_2023_10):
    b = lubuklinggau_2023_10
    page = summary.page_one(b)
    v = meeting.verdict(b)
    assert f'class="verdict-box status-{v.key}"' in page and h.escape(v.lines[0]) in page
    assert "30 hari dari tanggal data sampai batas unggah 30 November 2023" in page
    for f in meeting.figures(b):
        assert h.escape(f.value) in page and h.escape(f.change) in page
    assert "Sejak rapat lalu (30 September 2023)" in page and page.count("<li>") == 3
    assert page.count("<svg") == 2  # the trend with both scenarios, the areas against the target
    assert "ilustratif" in page and "rekonstruksi" in page
    # the band's width in words: what the projection missed on real years at this point of the year
    assert "memuat galat pada tahun nyata: untuk data 0,5–3 bulan sebelum batas unggah" in page


def test_page_two_says_who_must_do_what(lubuklinggau_2023_10):
    b = lubuklinggau_2023_10
    page = summary.page_two(b)
    card = meeting.scorecard(b)
    rows = re.findall(r"<tr>(.*?)</tr>", page)
    assert len(rows) == len(card) + 1  # the header and one row per OPD
    assert "Keputusan yang diminta dari pimpinan" in page
    assert page.count("<li>") == len(meeting.decisions(b))
    assert "Merah = perlu tindakan" in page  # colour is never the only signal


def test_a_long_scorecard_keeps_page_two_on_one_page(lubuklinggau_2023_10, monkeypatch):
    monkeypatch.setattr(summary, "SCORECARD_ROWS", 3)
    page = summary.page_two(lubuklinggau_2023_10)
    rest = meeting.scorecard(lubuklinggau_2023_10)["opd"].iloc[3:]
    assert len(re.findall(r"<tr>", page)) == 4
    assert f"Dan {len(rest)} OPD lain" in page and h.escape(rest.iloc[-1]) in page


def test_the_summary_escapes_everything_from_the_data(hostile):
    b = steps.prepare(BriefRequest("kota-contoh", "2023-10", data_dir=hostile))
    html = summary.page_one(b) + summary.page_two(b)
    for raw in ("<script", "<img", "<iframe", "<b>Contoh"):
        assert raw not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Aset" in html  # the OPD, in the scorecard


def test_the_summary_is_deterministic(lubuklinggau_2023_10):
    again = steps.prepare(BriefRequest("kota-lubuklinggau", "2023-10"))
    for page in (summary.page_one, summary.page_two):
        assert page(lubuklinggau_2023_10) == page(again)


# --- one definition per word: the chances printed anywhere ----------------------------------------

CHANCE = r"(di bawah 1%|di atas 99%|\d+%)"
WORDS = r"(kurang dari 1 dari 20|lebih dari 19 dari 20|sekitar \d+ dari 10)"


def _plain(markup: str) -> str:
    return " ".join(h.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def _column_chances(markup: str) -> list[str]:
    """The values in every table column whose header names a chance."""
    out = []
    for table in re.findall(r"<table.*?</table>", markup, flags=re.S):
        heads = [_plain(c) for c in re.findall(r"<th[^>]*>(.*?)</th>", table, flags=re.S)]
        cols = [i for i, head in enumerate(heads) if head.lower().startswith("peluang")]
        for row in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S):
            cells = [_plain(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)]
            out += [re.match(CHANCE, cells[i]).group(1) for i in cols if i < len(cells) and cells[i] != "–"]
    return out


def chances_printed(markup_or_text: str) -> tuple[set[str], set[str]]:
    """Every chance a reader sees: ``peluang … N%`` in the text, the values of chance columns,
    and ``sekitar N dari 10`` (read aloud)."""
    plain = re.sub(r"mencapai \d+%", "mencapai target", _plain(markup_or_text))  # the target, not a chance
    # the fewest words between "peluang" and the value first: "di bawah 1%" is one chance, not "1%"
    found = set(re.findall(r"[Pp]eluang(?: [a-z ]{0,40}?)??:? " + CHANCE, plain))
    found |= set(_column_chances(markup_or_text))
    return found, set(re.findall(WORDS, plain))


def allowed(b) -> tuple[set[str], set[str]]:
    """The two chances of every target, as printed and as read aloud."""
    values, words = set(), set()
    for p in b.simulated.plans:
        v = p.verdict
        for o in (v.with_plan, v.without_plan):
            values.add(text.chance(o.chance, v.reachable))
            words.add(text.chance_words(o.chance))
    return values, words


def check_chances(b, markup: str) -> None:
    found, spoken = chances_printed(markup)
    values, words = allowed(b)
    assert found and found <= values, (found, values)
    assert spoken <= words
    plain = _plain(markup)
    assert not re.search(r"untuk peluang|peluang (minimal|paling sedikit)", plain)  # the setting is keyakinan
    for p in b.simulated.plans:
        if p.verdict.with_below_without:
            assert WITH_BELOW_WITHOUT in plain


def _console_text(b) -> str:
    from mcp_lib.app.console import forecast_lines, print_plan

    buffer = io.StringIO()
    out = Console(file=buffer, width=400, highlight=False, color_system=None)
    print_plan(b.pemda, b.period, b.simulated, out)
    return buffer.getvalue() + "\n".join(forecast_lines(b.forecast))


def _generated(tmp_path_factory):
    from mcp_lib.sample.generate import generate_pemda_folders

    out = []
    # The first 7 of Sumatera Selatan's 2023 pemda hold what its first 14 held (checked: targets
    # reachable and out of reach, each chance a percentage); 6 of Gorontalo's at 2025.
    for year, province, count in ((2023, "Sumatera Selatan", 7), (2025, "Gorontalo", 6)):
        root = tmp_path_factory.mktemp(f"gen{year}")
        folders = generate_pemda_folders(province, root, framework_year=year)[:count]
        out += [(f.name, f"{year}-10", root) for f in folders]
    return out


@pytest.fixture(scope="module")
def musi_rawas_2025_10():
    """The bundled 2025 sample's October brief data, computed once for this module (read only)."""
    return steps.prepare(BriefRequest("kab-musi-rawas", "2025-10"))


@pytest.mark.slow
def test_exactly_the_two_chances_appear_everywhere(
    tmp_path_factory, monkeypatch, lubuklinggau_2023_10, musi_rawas_2025_10
):
    """The samples and 13 generated pemda (7 on the 2023 framework, 6 on 2025): every chance in the
    brief, ``mcp plan``, ``mcp score`` and the provincial overview is one of the two defined ones
    (without the plan, with it) of a target; with ≥ without or the sentence that explains it; the
    keyakinan is never called a chance."""
    from mcp_lib.brief import charts
    from mcp_lib.brief.data import overview_row
    from mcp_lib.run.batch import BatchOutcome
    from mcp_lib.run.overview import render_overview

    monkeypatch.setattr(charts, "to_svg", lambda spec: "<svg></svg>")  # no chance is drawn: skip the drawing
    runs = [("kota-lubuklinggau", "2023-10", None), ("kab-musi-rawas", "2025-10", None)]
    runs += _generated(tmp_path_factory)
    assert len(runs) == 15
    outcomes, every = [], set()
    out_root = tmp_path_factory.mktemp("outputs")
    made = {"kota-lubuklinggau": lubuklinggau_2023_10, "kab-musi-rawas": musi_rawas_2025_10}  # the samples'
    for name, period, root in runs:
        b = made[name] if root is None else steps.prepare(BriefRequest(name, period, data_dir=root))
        check_chances(b, "".join(section(b) for section in SECTIONS))
        check_chances(b, _console_text(b))
        summary = overview_row(b)
        out_dir = str(out_root / b.pemda.slug / period)
        outcomes.append(BatchOutcome(pemda=name, ok=True, seconds=1.0, summary=summary, out_dir=out_dir))
        values, _words = allowed(b)
        every |= values
        for key in ("p_target", "p_without"):
            assert text.chance(summary[key], summary["reachable"]) in values
    page = render_overview(outcomes, "Campuran", "2023-10", out_root).read_text(encoding="utf-8")
    found, _spoken = chances_printed(page)
    assert found and found <= every
    assert not re.search(r"untuk peluang|rencana dengan cadangan", _plain(page))
    assert f"Peluang {WITHOUT_PLAN}" in page and f"Peluang {WITH_PLAN}" in page
    if any(o.summary["p_target"] < (o.summary["p_without"] or 0.0) - 1e-9 for o in outcomes):
        assert WITH_BELOW_WITHOUT in _plain(page)


def test_the_chances_of_the_tiny_brief(tmp_path):
    b = steps.prepare(BriefRequest("kota-contoh", "2023-10", data_dir=TINY, target=50, confidence=0.7))
    check_chances(b, "".join(section(b) for section in SECTIONS))
    check_chances(b, _console_text(b))


def test_every_verdict_has_its_colour():
    """The verdict box's colour comes from the stylesheet: a status without a rule would print grey."""
    from mcp_lib.brief.render import TEMPLATE_DIR, TEMPLATE_NAME

    css = (TEMPLATE_DIR / TEMPLATE_NAME / "brief.css").read_text(encoding="utf-8")
    for key in meeting.STATUS_LABELS:
        assert re.search(rf"\.status-{key}\b[^{{]*{{[^}}]*border-left-color", css), key


# --- the bands where a score is judged (issue 29) -------------------------------------------------


def _band_names(page: str) -> list[str]:
    """The band lines' names on the page's charts, in order."""
    return [h.unescape(t) for t in re.findall(r"<text[^>]*>([^<]* ≥ [^<]*)</text>", page)]


def test_page_one_says_the_way_to_the_next_band_and_draws_the_bands(lubuklinggau_2023_10):
    """2023: 64,96 verified is Biru, 75 − 64,96 = 10,04, said as 10,1 (rounded up); both small
    charts draw the three bounds above 0 with their names."""
    page = summary.page_one(lubuklinggau_2023_10)
    assert '<span class="note">predikat Biru; 10,1 poin lagi ke Hijau (75)</span>' in page
    assert _band_names(page) == ["Kuning ≥ 25", "Biru ≥ 50", "Hijau ≥ 75"] * 2  # trend, areas


@pytest.mark.slow
def test_the_2025_brief_shows_the_78_line_and_its_band_names(musi_rawas_2025_10):
    from mcp_lib.brief import sections

    b = musi_rawas_2025_10
    page = summary.page_one(b)
    assert round(b.scores.verified, 2) == 57.79  # 73 − 57,79 = 15,21: 15,3 to get there
    assert '<span class="note">predikat rentan; 15,3 poin lagi ke waspada (73)</span>' in page
    assert _band_names(page) == ["waspada ≥ 73", "terjaga ≥ 78"] * 2 and "Hijau" not in page
    method = sections.method_section(b)
    assert "Predikat kerangka MCP 2025: rentan &lt; 73, waspada 73–77,9, terjaga ≥ 78." in method
    # The areas as the dashboard writes them, and its OPD said in words once.
    for label in ("PBJ", "APIP", "ASN", "OPD", "BMD"):
        assert f">{label}</text>" in page
    note = "area OPD (singkatan dasbor KPK) adalah Optimalisasi Pajak Daerah, bukan Organisasi Perangkat Daerah"
    assert page.count(note) == 2  # the figure's caption and its accessible name
    table = sections.areas_section(b, chart=False)
    assert '<td>Pengadaan Barang dan Jasa</td><td class="short">PBJ</td><td class="num">24,0</td>' in table
    assert table.count('<td class="num">10,857</td>') == 7 and "--l2:'Singkatan';--l3:'Bobot'" in table


def test_a_framework_s_own_bands_reach_the_brief_escaped(tiny_copy):
    """A framework whose bands.csv has names no code knows, one with markup: the card, the charts
    and the method section say them, escaped; kota-contoh's 34,625 is in the middle band."""
    from mcp_lib.brief import sections

    (tiny_copy / "frameworks" / "mcp-2023" / "bands.csv").write_text(
        "band,lower_bound,colour\nDasar <b>x</b>,0,#123456\nMadya & Co,30,#abcdef\nPuncak,60,merah\n",
        encoding="utf-8",
    )
    b = steps.prepare(BriefRequest("kota-contoh", "2023-10", data_dir=tiny_copy))
    page, method = summary.page_one(b), sections.method_section(b)
    assert "predikat Madya &amp; Co; 25,4 poin lagi ke Puncak (60)" in page  # 60 − 34,625 = 25,375
    assert _band_names(page) == ["Madya & Co ≥ 30", "Puncak ≥ 60"] * 2
    assert 'stroke="#abcdef"' in page and 'stroke="#777777"' in page and "merah" not in page  # not #rrggbb: grey
    assert (
        "Predikat kerangka MCP 2023: Dasar &lt;b&gt;x&lt;/b&gt; &lt; 30, Madya &amp; Co 30–59,9, Puncak ≥ 60." in method
    )
    assert "<b>x" not in page + method
