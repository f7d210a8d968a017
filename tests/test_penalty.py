"""A year's penalty (``[penalty.<year>]`` in ``pemda.toml``): subtracted from the total after
weighting, shown where the total is shown, used by the planner and the forecast.

Kota Contoh on 2023-10-31 scores 34.625 verified and 42.125 claimed without a penalty
(test_scoring.py); with ``points = 4.625`` it scores 30.0 and 37.5. Areas, indicators and OPDs keep
their values: the deduction is on the total only.
"""

import pytest
from conftest import TINY

from mcp_lib import text
from mcp_lib.app.cli import main
from mcp_lib.brief import sections, steps
from mcp_lib.brief.request import BriefRequest
from mcp_lib.errors import InputError
from mcp_lib.forecast import forecast_pemda
from mcp_lib.pemda.settings import load_pemda
from mcp_lib.pemda.snapshot import load_history, load_period
from mcp_lib.plan.planner import PlanOptions, plan_path
from mcp_lib.risk.params import CERTAIN
from mcp_lib.scoring import score_kind, score_snapshot, total_scores
from mcp_lib.trend import opd_history, score_history

PENALTY = '\n[penalty.2023]\npoints = 4.625\nreason = "OTT kepala daerah <b>Mei</b>"\n'


def _with(root, block=PENALTY):
    toml = root / "pemda" / "kota-contoh" / "pemda.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + block, encoding="utf-8")
    return load_pemda("kota-contoh", root)


@pytest.fixture
def penalised(tiny_copy):
    return _with(tiny_copy)


def test_the_total_is_after_the_deduction_and_levels_below_are_not(penalised, tiny_fw, kota):
    snap = load_period(penalised, tiny_fw, "2023-10")
    s, plain = score_snapshot(tiny_fw, penalised, snap), score_snapshot(tiny_fw, kota, snap)
    assert (s.verified, s.claim) == pytest.approx((30.0, 37.5))
    assert s.penalty == 4.625 and s.penalty_reason == "OTT kepala daerah <b>Mei</b>"
    assert s.band.name == plain.band.name == "Kuning"
    assert s.by_area.equals(plain.by_area) and s.by_opd.equals(plain.by_opd)
    assert total_scores(tiny_fw, penalised, snap)[:2] == pytest.approx((30.0, 37.5))
    # Only the kind of pemda is known: no penalty (the batch's ranking passes the Pemda).
    assert score_kind(tiny_fw, "kota", snap).verified == pytest.approx(34.625)


def test_a_penalty_of_another_year_does_not_apply(tiny_copy, tiny_fw):
    pemda = _with(tiny_copy, "\n[penalty.2024]\npoints = 10\n")
    snap = load_period(pemda, tiny_fw, "2023-10")
    assert score_snapshot(tiny_fw, pemda, snap).verified == pytest.approx(34.625)
    assert pemda.penalty(2024).points == 10 and pemda.penalty(2023) is None


def test_the_total_never_drops_below_zero(tiny_copy, tiny_fw):
    pemda = _with(tiny_copy, "\n[penalty.2023]\npoints = 100\n")
    snap = load_period(pemda, tiny_fw, "2023-10")
    s = score_snapshot(tiny_fw, pemda, snap)
    assert (s.verified, s.claim) == (0.0, 0.0)


def test_the_trend_is_after_the_deduction(penalised, tiny_fw, kota):
    hist = load_history(penalised, tiny_fw)
    with_pen, plain = score_history(tiny_fw, penalised, hist), score_history(tiny_fw, kota, hist)
    # August scored 3.375: the deduction takes it to 0, not below.
    assert plain["verified"].iloc[0] == pytest.approx(3.375) and with_pen["verified"].iloc[0] == 0
    assert (plain["verified"] - with_pen["verified"]).to_numpy()[1:] == pytest.approx([4.625] * (len(hist) - 1))
    assert with_pen["verified"].iloc[-1] == pytest.approx(30.0)


def test_the_plan_reaches_the_target_after_the_deduction(penalised, tiny_fw, kota):
    """Gains (test_planner.py): A.1.1.D2 7.5 (0 days), A.1.2.D1 11.25 (4), A.2.1.D1 12.5 (2),
    B.1.1.D1 26.25 (5, blocked), B.1.2.D2 7.875 (6). From 30.0 to 50: 20 points are needed;
    A.1.1.D2 + A.2.1.D1 give 20.0 in 2 days. Without the penalty (34.625) the same 2 days reach
    54.625, and a target of 54.625 + ε needs more."""
    snap = load_period(penalised, tiny_fw, "2023-10")
    p = plan_path(tiny_fw, penalised, snap, 50, PlanOptions(risk=CERTAIN, confidence=0))
    assert p.verdict.current == pytest.approx(30.0)
    assert set(p.documents["doc_code"]) == {"A.1.1.D2", "A.2.1.D1"} and p.verdict.effort == 2
    assert p.verdict.score_after == pytest.approx(50.0)
    # The same plan as the unpenalised pemda aiming 4.625 points higher.
    for target in (40, 50, 55, 60, 65, 70):  # 70 is out of reach (max 69.125)
        a = plan_path(tiny_fw, penalised, snap, target, PlanOptions(risk=CERTAIN, confidence=0))
        b = plan_path(tiny_fw, kota, snap, target + 4.625, PlanOptions(risk=CERTAIN, confidence=0))
        assert set(a.documents["doc_code"]) == set(b.documents["doc_code"])
        assert (a.verdict.effort, a.verdict.reachable) == (b.verdict.effort, b.verdict.reachable)
        assert a.verdict.score_after == pytest.approx(b.verdict.score_after - 4.625)


def test_the_chance_and_forecast_count_the_deduction(penalised, tiny_fw, kota):
    snap = load_period(penalised, tiny_fw, "2023-10")
    a = plan_path(tiny_fw, penalised, snap, 55, PlanOptions(draws=2000))
    b = plan_path(tiny_fw, kota, snap, 55 + 4.625, PlanOptions(draws=2000))
    for scenario in ("with_plan", "without_plan"):
        assert getattr(a.verdict, scenario).chance == pytest.approx(getattr(b.verdict, scenario).chance)
    hist = load_history(penalised, tiny_fw)
    fa = forecast_pemda(tiny_fw, penalised, snap, opd_history=opd_history(tiny_fw, penalised.kind, hist), target=55)
    fb = forecast_pemda(tiny_fw, kota, snap, opd_history=opd_history(tiny_fw, kota.kind, hist), target=59.625)
    assert fa.current == pytest.approx(30.0) and fa.claim == pytest.approx(37.5)
    assert fa.median == pytest.approx(fb.median - 4.625)
    assert fa.p_target == pytest.approx(fb.p_target)


def test_brief_shows_the_penalty_in_the_headline_and_methods_escaped(penalised, tiny_copy):
    b = steps.prepare(BriefRequest("kota-contoh", "2023-10", data_dir=tiny_copy))
    head, methods = sections.headline(b), sections.method_section(b)
    assert "30,0%" in head and "sudah dikurangi penalti 4,6 poin" in head
    assert "Penalti 2023: 4,6 poin dikurangkan" in methods
    for html in (head, methods):
        assert "&lt;b&gt;Mei&lt;/b&gt;" in html and "<b>Mei" not in html


def test_brief_without_a_penalty_says_nothing_about_one():
    b = steps.prepare(BriefRequest("kota-contoh", "2023-10", data_dir=TINY))
    assert "penalti" not in sections.headline(b).lower() and "Penalti" not in sections.method_section(b)


def test_mcp_score_prints_the_penalty(penalised, tiny_copy, capsys):
    assert main(["--data-dir", str(tiny_copy), "score", "--pemda", "kota-contoh", "--period", "2023-10"]) == 0
    out = capsys.readouterr().out
    assert "30,0%" in out and text.penalty(4.625, "OTT kepala daerah <b>Mei</b>") in " ".join(out.split())


@pytest.mark.parametrize(
    ("block", "column", "words"),
    [
        ("[penalty.2023]\npoints = 150\n", "penalty.2023.points", "di luar 0–100"),
        ("[penalty.2023]\npoints = -1\n", "penalty.2023.points", "di luar 0–100"),
        ('[penalty.2023]\npoints = "5"\n', "penalty.2023.points", "di luar 0–100"),
        ("[penalty.2023]\npoints = 5\nreason = 7\n", "penalty.2023.reason", "alasan penalti"),
        ("[penalty.2023]\npoints = 5\npoin = 3\n", "penalty.2023", "tidak dikenal"),
        ("[penalty.tahunini]\npoints = 5\n", "penalty.tahunini", "penalti tidak sah"),
        ("penalty = 5\n", "penalty", "penalti tidak sah"),
    ],
)
def test_a_bad_penalty_is_refused_with_its_line(tiny_copy, block, column, words):
    toml = tiny_copy / "pemda" / "kota-contoh" / "pemda.toml"
    body = toml.read_text(encoding="utf-8")
    if block.startswith("["):
        body += "\n" + block
    else:  # a plain key belongs before the first [table]
        body = body.replace("deadline =", block + "deadline =")
    toml.write_text(body, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_pemda("kota-contoh", tiny_copy)
    (p,) = err.value.problems
    assert p.column == column and words in p.message
    assert p.row is not None
    line = toml.read_text(encoding="utf-8").splitlines()[p.row - 1]
    assert "penalty" in line or "points" in line or "reason" in line or "poin" in line
