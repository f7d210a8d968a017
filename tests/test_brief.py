"""The brief's data and sections (no kernel needed)."""

import re

import pytest
from conftest import TINY

from mcp_lib import brief, brief_plan, pipeline, text

SECTIONS = [
    brief.title,
    brief.headline,
    brief.trend_section,
    brief.areas_section,
    brief.detail_table,
    brief.opd_section,
    brief_plan.targets_table,
    brief_plan.path_charts,
    brief_plan.action_list,
    brief_plan.blocked_table,
    brief_plan.obstacles_table,
    brief.followup_tables,
    brief.method_section,
]


@pytest.fixture
def sample(lubuklinggau_2023_10):
    return lubuklinggau_2023_10


def test_golden_key_figures_of_the_sample(sample):
    """Checked by hand once (2023-10 sample, default settings); review whenever they change."""
    v87, v90 = (p.verdict for p in sample.plans.plans)
    assert round(sample.scores.verified, 2) == 64.96
    assert round(sample.scores.claim, 2) == 88.06  # most evidence is uploaded, awaiting verification
    # 87: the 35 uploaded documents suffice if all are accepted (0 person-days), a 31% chance;
    # 4 more documents (6 person-days) make it 81%.
    assert (v87.minimal.documents, v87.minimal.effort, round(v87.minimal.chance, 2)) == (35, 0, 0.31)
    assert (v87.documents, v87.effort, round(v87.p_target, 2), v87.reachable) == (39, 6, 0.81, True)
    # 90: 39 documents (6 person-days) if all are accepted, a 2% chance; with 9 reserve
    # documents (40 person-days more) 82%.
    assert (v90.minimal.documents, v90.minimal.effort, round(v90.minimal.chance, 2)) == (39, 6, 0.02)
    assert (v90.documents, v90.effort, round(v90.p_target, 2), v90.reserve_documents) == (48, 46, 0.82, 9)
    assert sample.plans.nested == (True,)
    f = sample.forecast
    assert f.basis == "laju" and (round(f.p10), round(f.median), round(f.p90)) == (90, 93, 96)
    head = brief.headline(sample)
    for figure in ("65,0%", "88,1%", "87,0%", "93,1%", "82%", "predikat Biru"):
        assert figure in head


def test_sections_render_and_name_what_matters(sample):
    html = "".join(f(sample) for f in SECTIONS)
    assert "Kota Lubuklinggau" in html and "Oktober 2023" in html
    assert "menunggu sertifikasi tanah oleh BPN" in html
    assert "Perlu perbaikan (4 dokumen)" in html and "Menunggu verifikasi (35 dokumen)" in html
    assert "cadangan" in html and "nilai sebagian" in html and "2020–21" in html  # what the chance assumes
    assert "langkah pertama" in html
    assert html.count("<svg") == 5
    assert "rekonstruksi" in html  # the framework is labelled wherever it is shown
    assert "ilustratif" in html  # and so is the sample data
    for row in sample.provenance.itertuples():
        assert row.sha256[:16] in html


def test_sections_are_deterministic(sample):
    again = pipeline.prepare("kota-lubuklinggau", "2023-10")
    for f in SECTIONS:
        assert f(sample) == f(again), f.__name__


def test_everything_from_the_data_is_escaped(hostile):
    b = pipeline.prepare("kota-contoh", "2023-10", hostile)
    html = "".join(f(b) for f in SECTIONS)
    for raw in ("<script", "<img", "<iframe", "<b>Contoh"):
        assert raw not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Aset" in html  # the OPD
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; lampiran" in html  # the document
    assert "&lt;img src=x" in html and "&lt;iframe" in html


def test_infeasible_target_brief_explains(tiny_fw):
    b = pipeline.prepare("kota-contoh", "2023-10", TINY)  # target 90; at most 73,75 without the blocked document
    text = brief.verdict_sentence(b)
    assert "tidak dapat dicapai" in text and "73,8%" in text
    assert "B.1.1.D1" in brief_plan.obstacles_table(b)


def _cells(html: str) -> list[list[str]]:
    import html as h

    rows = re.findall(r"<tr>(.*?)</tr>", html)
    cells = [[h.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", r)] for r in rows]
    return [c for c in cells if c]


def test_brief_numbers_equal_mcp_score_and_mcp_plan(sample, capsys):
    from mcp_lib.cli import main

    main(["score", "--pemda", "kota-lubuklinggau", "--period", "2023-10"])
    score_out = capsys.readouterr().out
    verified = re.search(r"Nilai terverifikasi \(verified\): ([\d,]+%)", score_out).group(1)
    claim = re.search(r"Nilai klaim .*?: ([\d,]+%)", score_out).group(1)
    projection = re.search(r"Proyeksi nilai final .*?: median ([\d,]+%)", score_out).group(1)
    head = brief.headline(sample)
    for value in (verified, claim, projection):
        assert f'<span class="value">{value}</span>' in head
    areas_cli = dict(re.findall(r"^(\S[^│\n]*?)\s+│\s+[\d,]+ │\s+([\d,]+%)", score_out, re.MULTILINE))
    areas_brief = {r[0]: r[2] for r in _cells(brief.areas_section(sample))}
    assert areas_cli and all(areas_brief[a] == v for a, v in areas_cli.items() if a in areas_brief)

    main(["plan", "--pemda", "kota-lubuklinggau", "--period", "2023-10"])
    plan_out = capsys.readouterr().out
    cli = re.findall(r"Target ([\d,]+)%(?: \([^)]*\))?: tercapai dengan (\d+) dokumen, (\d+) hari-orang", plan_out)
    table = [
        (r[0].rstrip("%"), *re.match(r"(\d+) dok\., (\d+) hari-orang", r[3]).groups())
        for r in _cells(brief_plan.targets_table(sample))
    ]
    assert [(t.split(",")[0], n, e) for t, n, e in cli] == table


def test_the_headline_chance_says_what_it_assumes_and_never_a_bare_zero(sample, tiny_copy):
    """The chance card and the verdict give the minimal plan and the plan with reserve, and say
    what the chance assumes; a chance below 0.5% reads "di bawah 1%", not 0%."""
    html = brief.headline(sample)
    assert "rencana dengan cadangan" in html and "9 dokumen cadangan" in html
    assert "nilai sebagian" in html and "unggah ulang" in html and "2020–21" in html
    assert text.chance(0.003) == "di bawah 1%" and text.chance(0.0) == "di bawah 1%"  # none in the draws
    assert text.chance(0.0, possible=False) == "0%"  # out of reach even if all is accepted
    assert text.chance(0.9971) == "di atas 99%" and text.chance(0.816) == "82%"
