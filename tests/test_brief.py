"""The brief's data and sections (no kernel needed)."""

import re

import pytest
from conftest import TINY
from openpyxl import load_workbook

from mcp_lib import brief

SECTIONS = [
    brief.title, brief.headline, brief.trend_section, brief.areas_section, brief.indicator_table,
    brief.opd_section, brief.targets_table, brief.path_charts, brief.action_list, brief.blocked_table,
    brief.obstacles_table, brief.followup_tables, brief.method_section,
]  # fmt: skip


@pytest.fixture(scope="module")
def sample():
    return brief.prepare("kota-lubuklinggau", "2023-10")


def test_golden_key_figures_of_the_sample(sample):
    """Checked by hand once (2023-10 sample, default settings); review whenever they change."""
    v87, v90 = (p.verdict for p in sample.plans.plans)
    assert round(sample.scores.verified, 2) == 64.92
    assert round(sample.scores.claim, 2) == 78.41
    assert round(sample.trend.projection, 1) == 83.9
    assert (v87.target, v87.documents, v87.effort, v87.reachable) == (87, 34, 32, True)
    assert (v90.target, v90.documents, v90.effort, v90.reachable) == (90, 39, 63, True)
    assert sample.plans.nested == (True,)
    assert v90.p_target < 0.05  # with the 2020–21 priors the uploaded documents alone are a gamble
    head = brief.headline(sample)
    for figure in ("64,9%", "78,4%", "87,0%", "83,9%", "predikat Biru"):
        assert figure in head


def test_sections_render_and_name_what_matters(sample):
    html = "".join(f(sample) for f in SECTIONS)
    assert "Kota Lubuklinggau" in html and "Oktober 2023" in html
    assert "menunggu sertifikasi tanah oleh BPN" in html
    assert "Perlu perbaikan (11 dokumen)" in html and "Menunggu verifikasi (19 dokumen)" in html
    assert "langkah pertama" in html
    assert html.count("<svg") == 5
    assert "rekonstruksi" in html  # the framework is labelled wherever it is shown
    assert "ilustratif" in html  # and so is the sample data
    for row in sample.provenance.itertuples():
        assert row.sha256[:16] in html


def test_sections_are_deterministic(sample):
    again = brief.prepare("kota-lubuklinggau", "2023-10")
    for f in SECTIONS:
        assert f(sample) == f(again), f.__name__


def test_everything_from_the_data_is_escaped(hostile):
    b = brief.prepare("kota-contoh", "2023-10", hostile)
    html = "".join(f(b) for f in SECTIONS)
    for raw in ("<script", "<img", "<iframe", "<b>Contoh"):
        assert raw not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Aset" in html  # the OPD
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; lampiran" in html  # the document
    assert "&lt;img src=x" in html and "&lt;iframe" in html


def test_infeasible_target_brief_explains(tiny_fw):
    b = brief.prepare("kota-contoh", "2023-10", TINY)  # target 90; at most 73,75 without the blocked document
    text = brief.verdict_sentence(b)
    assert "tidak dapat dicapai" in text and "73,8%" in text
    assert "B.1.1.D1" in brief.obstacles_table(b)


def test_action_workbook(sample, tmp_path):
    path = brief.write_action_workbook(sample, tmp_path / "rencana-aksi.xlsx")
    wb = load_workbook(path)
    opds = list(sample.plan.by_opd["opd"])
    assert wb.sheetnames == ["Ringkasan", *opds]
    insp = wb["Inspektorat"]
    assert insp.freeze_panes == "A4"
    assert insp["A3"].value == "Kode" and insp["A3"].font.bold
    n_docs = int(sample.plan.by_opd.set_index("opd").loc["Inspektorat", "documents"])
    assert insp.max_row == 3 + n_docs
    assert insp.page_setup.orientation == "landscape"
    formulas = [c.coordinate for ws in wb for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []


def test_sheet_names_are_valid_and_unique():
    used = set()
    names = [brief._sheet_name(n, used) for n in ["Dinas A/B: [x]", "Dinas A/B: [x]", "x" * 40]]
    assert names[0] == "Dinas A-B- -x-" and names[1] == "Dinas A-B- -x- (2)"
    assert all(len(n) <= 31 and not re.search(r"[\[\]:*?/\\]", n) for n in names)


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
    projection = re.search(r"proyeksi ([\d,]+%)", score_out).group(1)
    head = brief.headline(sample)
    for value in (verified, claim, projection):
        assert f'<span class="value">{value}</span>' in head
    areas_cli = dict(re.findall(r"^(\S[^│\n]*?)\s+│\s+[\d,]+ │\s+([\d,]+%)", score_out, re.MULTILINE))
    areas_brief = {r[0]: r[2] for r in _cells(brief.areas_section(sample))}
    assert areas_cli and all(areas_brief[a] == v for a, v in areas_cli.items() if a in areas_brief)

    main(["plan", "--pemda", "kota-lubuklinggau", "--period", "2023-10"])
    plan_out = capsys.readouterr().out
    cli = re.findall(r"Target ([\d,]+)%: tercapai dengan (\d+) dokumen, (\d+) hari-orang", plan_out)
    table = [(r[0].rstrip("%"), r[2], r[3]) for r in _cells(brief.targets_table(sample))]
    assert [(t.split(",")[0], n, e) for t, n, e in cli] == table


def test_handed_over_data_is_used_only_for_the_same_parameters(sample, tmp_path, monkeypatch):
    """The runner hands its computed data to the kernel; ``prepare`` returns it for exactly the
    parameters it was computed with and computes afresh for any other call."""
    monkeypatch.setattr(brief, "_HANDED", None)
    key = brief.prepare_key("kota-lubuklinggau", "2023-10")
    brief.hand_over(sample, key, tmp_path / "h.pickle")
    brief.receive(str(tmp_path / "h.pickle"))
    handed = brief.prepare("kota-lubuklinggau", "2023-10")
    assert handed is brief._HANDED[1]
    assert handed.scores.verified == sample.scores.verified
    other = brief.prepare("kota-lubuklinggau", "2023-10", target=95)
    assert other is not handed and other.target == 95
    assert brief.prepare("kota-lubuklinggau", "2023-09") is not handed


def test_a_near_zero_chance_says_what_it_means(sample):
    """The minimal plan of the sample needs every document to pass (chance ≈ 0): the card says
    so instead of a bare 0 %."""
    html = brief.headline(sample)
    assert sample.plan.verdict.p_target < 0.05
    assert "siapkan dokumen cadangan" in html
