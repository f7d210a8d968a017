"""Planner tests. Tiny fixture (Kota Contoh, 2023-10-31, verified 34.625) candidates, by hand
(points of the total per document point from test_scoring):

  A.1.1.D2  diunggah         40·.1875 = 7.5     cost 0 (always in the plan)
  A.1.2.D1  perlu_perbaikan  60·.1875 = 11.25   4 days  BPKAD
  A.2.1.D1  verified 25/50   25·.5    = 12.5    2 days  BPKAD
  B.1.1.D1  belum, blocked   100·.2625 = 26.25  5 days  Inspektorat
  B.1.2.D2  disiapkan        70·.1125 = 7.875   6 days  Inspektorat (5 days/month)

With the uploaded document the score is 42.125 before any work.
"""

import itertools

import numpy as np
import pytest

from mcp_lib.errors import InputError
from mcp_lib.planner import (
    Problem01,
    candidates,
    draw_passes,
    plan_path,
    plan_targets,
    solve_greedy,
    solve_max_gain,
    solve_min_effort,
    success_probability,
    what_if,
)
from mcp_lib.status import load_period

SURE = {"A": 1.0, "B": 1.0, "C": 1.0}  # every document passes verification


@pytest.fixture
def snap(tiny_fw, kota):
    return load_period(kota, tiny_fw, "2023-10")


def _plan(tiny_fw, kota, snap, target, **kw):
    kw.setdefault("pass_rates", SURE)
    return plan_path(tiny_fw, kota, snap, target, **kw)


def _codes(plan):
    return set(plan.documents["doc_code"])


def test_candidates_gain_cost_and_pass_rates(tiny_fw, kota, snap):
    c = candidates(tiny_fw, kota, snap, pass_rates={"A": 0.5, "B.1.1.D1": 0.1}).set_index("doc_code")
    assert c["gain"].to_dict() == pytest.approx(
        {"A.1.1.D2": 7.5, "A.1.2.D1": 11.25, "A.2.1.D1": 12.5, "B.1.1.D1": 26.25, "B.1.2.D2": 7.875}
    )
    assert c["cost"].to_dict() == {"A.1.1.D2": 0, "A.1.2.D1": 4, "A.2.1.D1": 2, "B.1.1.D1": 5, "B.1.2.D2": 6}
    assert c.loc["A.1.2.D1", "p_pass"] == 0.5 and c.loc["B.1.1.D1", "p_pass"] == 0.1
    assert c.loc["B.1.2.D2", "p_pass"] == pytest.approx(0.6)  # "Area B" matches no prior: 1 − 0.40
    assert c["blocked"].sum() == 1


def test_blank_effort_uses_status_defaults_overridable(tiny_fw, kota, snap):
    docs = snap.documents.copy()
    docs["effort_days"] = np.nan
    blank = type(snap)(date=snap.date, path=snap.path, documents=docs)
    c = candidates(tiny_fw, kota, blank).set_index("doc_code")["cost"]
    assert (c["B.1.1.D1"], c["A.1.2.D1"], c["B.1.2.D2"], c["A.1.1.D2"]) == (10, 5, 4, 0)
    c = candidates(tiny_fw, kota, blank, default_effort={"belum": 20}, effort={"A.1.2.D1": 1}).set_index(
        "doc_code"
    )["cost"]
    assert (c["B.1.1.D1"], c["A.1.2.D1"]) == (20, 1)


def test_least_effort_plan(tiny_fw, kota, snap):
    # need 60 − 42.125 = 17.875: A.1.2 + A.2.1 (23.75, 6 days) beats A.2.1 + B.1.2 (20.375, 8 days)
    plan = _plan(tiny_fw, kota, snap, 60)
    assert _codes(plan) == {"A.1.1.D2", "A.1.2.D1", "A.2.1.D1"}
    v = plan.verdict
    assert (v.reachable, v.effort, v.exact_effort, v.documents) == (True, 6, 6, 3)
    assert v.score_after == pytest.approx(34.625 + 7.5 + 11.25 + 12.5)
    assert v.p_target == 1.0
    assert plan.documents["cumulative_score"].iloc[-1] == pytest.approx(v.score_after)
    assert set(plan.documents["reason"]) == {"sudah diunggah", "target"}


def test_infeasible_because_of_blocked_documents(tiny_fw, kota, snap):
    # 75 needs 32.875 but without the blocked B.1.1.D1 at most 31.625 is left
    plan = _plan(tiny_fw, kota, snap, 75)
    v = plan.verdict
    assert not v.reachable
    assert v.score_after == pytest.approx(73.75)
    assert v.shortfall == pytest.approx(1.25)
    assert v.exact_effort is None and v.greedy_effort is None
    blocked = plan.obstacles[plan.obstacles["kind"] == "terblokir"]
    assert blocked["doc_code"].tolist() == ["B.1.1.D1"]
    assert blocked["points"].iloc[0] == pytest.approx(26.25)
    # Allowing blocked documents: B.1.1 + A.2.1 (38.75, 7 days) is cheapest.
    freed = _plan(tiny_fw, kota, snap, 75, allow_blocked=True)
    assert freed.verdict.reachable and freed.verdict.effort == 7
    assert _codes(freed) == {"A.1.1.D2", "B.1.1.D1", "A.2.1.D1"}


def test_capacity_binds(tiny_fw, kota, snap):
    # BPKAD at 1 day/month has 2.004 days until 31 Dec: A.1.2 (4 days) no longer fits.
    plan = _plan(tiny_fw, kota, snap, 60, capacity={"BPKAD": 1})
    assert _codes(plan) == {"A.1.1.D2", "A.2.1.D1", "B.1.2.D2"}
    assert plan.verdict.effort == 8
    tight = _plan(tiny_fw, kota, snap, 70, capacity={"BPKAD": 1})
    assert not tight.verdict.reachable
    assert tight.verdict.score_after == pytest.approx(42.125 + 12.5 + 7.875)
    assert "BPKAD" in set(tight.obstacles.loc[tight.obstacles["kind"] == "kapasitas", "opd"])
    # Without capacities the plan is the unconstrained one.
    assert _plan(tiny_fw, kota, snap, 60, capacity={"BPKAD": 1}, use_capacity=False).verdict.effort == 6


def test_must_do_and_ruled_out_documents_change_the_plan(tiny_fw, kota, snap):
    must = _plan(tiny_fw, kota, snap, 60, must=["B.1.2.D2"])
    assert _codes(must) == {"A.1.1.D2", "B.1.2.D2", "A.2.1.D1"}
    assert must.verdict.effort == 8
    assert must.documents.set_index("doc_code").loc["B.1.2.D2", "reason"] == "wajib"
    ruled_out = _plan(tiny_fw, kota, snap, 60, exclude=["A.2.1.D1"])
    assert _codes(ruled_out) == {"A.1.1.D2", "A.1.2.D1", "B.1.2.D2"}
    assert ruled_out.verdict.effort == 10
    with pytest.raises(InputError, match=r"Z\.9"):
        _plan(tiny_fw, kota, snap, 60, must=["Z.9"])


def test_greedy_is_worse_than_exact_on_a_hand_case():
    # need 10: greedy takes X (ratio 1.5) then Y → cost 10; exact takes Y + Z → cost 8
    gain, cost = np.array([9.0, 5.0, 5.0]), np.array([6.0, 4.0, 4.0])
    p = Problem01(
        gain, cost, 10.0, np.zeros(3, int), np.array([np.inf]), np.zeros(3, bool), np.zeros(3, bool)
    )
    assert cost[solve_greedy(p)].sum() == 10
    assert solve_min_effort(p).tolist() == [False, True, True]


def test_already_at_target_needs_only_what_is_uploaded(tiny_fw, kota, snap):
    plan = _plan(tiny_fw, kota, snap, 30)
    assert _codes(plan) == {"A.1.1.D2"}
    assert plan.verdict.effort == 0


# --- property tests against brute force -------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@st.composite
def instances(draw):
    n = draw(st.integers(1, 15))
    gain = np.array(draw(st.lists(st.integers(1, 60), min_size=n, max_size=n)), float) / 10
    cost = np.array(draw(st.lists(st.integers(0, 12), min_size=n, max_size=n)), float)
    groups = draw(st.integers(1, 3))
    group = np.array(draw(st.lists(st.integers(0, groups - 1), min_size=n, max_size=n)))
    capacity = np.array(
        draw(
            st.lists(
                st.one_of(st.just(np.inf), st.integers(3, 40).map(float)), min_size=groups, max_size=groups
            )
        )
    )
    force = np.array(draw(st.lists(st.booleans().filter(lambda b: True), min_size=n, max_size=n))) & (
        np.array(draw(st.lists(st.integers(0, 9), min_size=n, max_size=n))) == 0
    )
    ban = np.array(draw(st.lists(st.integers(0, 7), min_size=n, max_size=n))) == 0
    ban &= ~force
    # Targets half-way between tenths, so no subset lands on the boundary.
    need = draw(st.integers(0, int(gain.sum() * 10) + 5)) / 10 + 0.05
    return Problem01(gain, cost, need, group, capacity, force, ban)


def _brute(p):
    n = p.n
    subsets = np.array(list(itertools.product([False, True], repeat=n)), bool)
    ok = ((subsets | ~p.force).all(axis=1)) & ~(subsets & p.ban).any(axis=1)
    for g, cap in enumerate(p.capacity):
        ok &= (subsets[:, p.group == g] @ p.cost[p.group == g]) <= cap + 1e-9
    gains = subsets @ p.gain
    costs = subsets @ p.cost
    return subsets, ok, gains, costs


@settings(max_examples=60, deadline=None)
@given(instances())
def test_exact_plan_matches_brute_force_and_beats_greedy(p):
    subsets, ok, gains, costs = _brute(p)
    reach = ok & (gains >= p.need)
    x = solve_min_effort(p)
    if not reach.any():
        assert x is None
    else:
        assert x is not None
        assert p.gain[x].sum() >= p.need
        assert not (x & p.ban).any() and (x | ~p.force).all()
        for g, cap in enumerate(p.capacity):
            assert p.cost[x & (p.group == g)].sum() <= cap + 1e-9
        assert p.cost[x].sum() == pytest.approx(costs[reach].min())
        fewest = subsets[reach & np.isclose(costs, costs[reach].min())].sum(axis=1).min()
        assert x.sum() == fewest
        gx = solve_greedy(p)
        if gx is not None:
            assert p.cost[x].sum() <= p.cost[gx].sum() + 1e-9
    if ok.any():
        best = solve_max_gain(p)
        assert p.gain[best].sum() == pytest.approx(gains[ok].max())


# --- Monte Carlo -----------------------------------------------------------------------------


def test_certain_verification_gives_the_deterministic_answer():
    passes = draw_passes(np.ones(3), draws=2000, seed=1)
    gains = np.array([1.0, 2.0, 3.0])
    assert success_probability(80, gains, passes, 86) == 1.0
    assert success_probability(80, gains, passes, 86.5) == 0.0


def test_two_document_case_matches_exact_probability():
    passes = draw_passes(np.array([0.7, 0.6]), draws=40_000, seed=7)
    gains = np.array([6.0, 5.0])
    assert success_probability(80, gains, passes, 90) == pytest.approx(0.7 * 0.6, abs=0.01)
    assert success_probability(80, gains, passes, 85) == pytest.approx(1 - 0.3 * 0.4, abs=0.01)
    assert success_probability(80, gains, passes, 81) == pytest.approx(1 - 0.3 * 0.4, abs=0.01)
    same = draw_passes(np.array([0.7, 0.6]), draws=40_000, seed=7)
    assert (same == passes).all()  # seeded


def test_confidence_extends_the_plan(tiny_fw, kota, snap):
    rates = {"A": 0.9, "B": 0.9}
    # Least effort (A.1.1.D2 + A.1.2 + A.2.1, 6 days) reaches 60 only if all three pass: .9³ = .729.
    loose = plan_path(tiny_fw, kota, snap, 60, pass_rates=rates, confidence=0.7, draws=40_000)
    assert loose.verdict.effort == 6
    assert loose.verdict.p_target == pytest.approx(0.729, abs=0.01)
    # At 0.8 B.1.2.D2 is added: any one of the four may fail, two may not:
    # .9⁴ + 4·.9³·.1 = .9477.
    plan = plan_path(tiny_fw, kota, snap, 60, pass_rates=rates, confidence=0.8, draws=40_000)
    v = plan.verdict
    assert (v.exact_effort, v.effort, v.documents) == (6, 12, 4)
    assert v.confidence_met
    assert v.p_target == pytest.approx(0.9477, abs=0.01)
    assert plan.documents.set_index("doc_code").loc["B.1.2.D2", "reason"] == "keyakinan"


def test_unreachable_confidence_keeps_least_effort_and_reports_best_chance(tiny_fw, kota, snap):
    # With B.1.1.D1 blocked, .9477 is the best chance there is: 0.95 cannot be had.
    plan = plan_path(tiny_fw, kota, snap, 60, pass_rates={"A": 0.9, "B": 0.9}, confidence=0.95, draws=40_000)
    v = plan.verdict
    assert not v.confidence_met
    assert v.effort == v.exact_effort == 6
    assert v.p_target == pytest.approx(0.729, abs=0.01)
    assert v.p_max == pytest.approx(0.9477, abs=0.01)


def test_uploaded_only_probability(tiny_fw, kota, snap):
    # Only A.1.1.D2 (7.5) is uploaded: 34.625 + 7.5 = 42.125 ≥ 40 with P = pass rate of area A.
    plan = plan_path(tiny_fw, kota, snap, 40, pass_rates={"A": 0.7, "B": 1.0}, draws=40_000)
    assert plan.verdict.p_uploaded == pytest.approx(0.7, abs=0.01)


# --- what-if, schedule, several targets ------------------------------------------------------


def test_what_if_scores_without_touching_files(tiny_fw, kota, snap):
    before = snap.path.read_bytes()
    done = what_if(tiny_fw, kota, snap, done=["B.1.1.D1"])
    # B.1.1 = 100 → B.1 = .7·100 + .3·30 = 79 → (50·50 + 30·79)/80
    assert done.verified == pytest.approx(60.875)
    assert done.by_area.set_index("area_code").loc["B", "verified"] == pytest.approx(79)
    rejected = what_if(tiny_fw, kota, snap, rejected=["A.1.1.D1"])
    # A.1.1 = 0 → A.1 = 20 → A = .6·20 + .4·50 = 32 → (50·32 + 270)/80
    assert rejected.verified == pytest.approx(23.375)
    assert snap.path.read_bytes() == before
    assert snap.documents.set_index("doc_code").loc["B.1.1.D1", "status"] == "belum"
    with pytest.raises(InputError):
        what_if(tiny_fw, kota, snap, done=["A.1.1.D1"], rejected=["A.1.1.D1"])


def test_schedule_within_capacity(tiny_fw, kota, snap):
    plan = _plan(tiny_fw, kota, snap, 60, must=["B.1.2.D2"])
    docs = plan.documents.set_index("doc_code")
    # Inspektorat (5 days/month): 6 days finish 1.2 months after 31 Oct → December.
    assert docs.loc["B.1.2.D2", "due_month"] == "2023-12"
    assert docs.loc["A.1.1.D2", "due_month"] == "2023-11"  # uploaded: next verification
    curve = plan.schedule.pivot_table(index="date", columns="series", values="score")
    assert curve["rencana"].iloc[0] == pytest.approx(34.625)
    assert curve["rencana"].iloc[-1] == pytest.approx(plan.verdict.score_after)
    assert (curve["rencana"].diff().dropna() >= 0).all()
    by_opd = plan.by_opd.set_index("opd")
    assert by_opd.loc["Inspektorat", "effort"] == 6
    assert by_opd.loc["Inspektorat", "capacity"] == pytest.approx(5 * 61 / 30.4375)


def test_two_targets_nest_when_free(tiny_fw, kota, snap):
    plans = plan_targets(tiny_fw, kota, snap, [70, 60], pass_rates=SURE)
    low, high = plans.plans
    assert (low.verdict.target, high.verdict.target) == (60, 70)
    assert plans.nested == (True,) and plans.nesting_cost == (0.0,)
    assert _codes(low) <= _codes(high)
    assert (low.verdict.effort, high.verdict.effort) == (6, 12)
    assert plans.summary()["target"].tolist() == [60, 70]


def test_two_targets_say_when_nesting_costs_extra(tiny_fw, kota, snap):
    # Lower (need 10.875): A.1.2 or A.2.1 at 3 days. Upper (need 25.875): B.1.1 alone at 5.
    # Nesting costs 2 more days either way (B.1.1 for the lower, or A.x + B.1.1 for the upper).
    effort = {"A.1.2.D1": 3, "A.2.1.D1": 3, "B.1.1.D1": 5, "B.1.2.D2": 10}
    plans = plan_targets(tiny_fw, kota, snap, [53, 68], pass_rates=SURE, allow_blocked=True, effort=effort)
    assert plans.nested == (False,)
    assert plans.nesting_cost == (2.0,)
    assert [p.verdict.effort for p in plans.plans] == [3, 5]


def test_default_targets_are_last_year_and_the_target(tiny_fw, kota, snap):
    plans = plan_targets(tiny_fw, kota, snap, pass_rates=SURE)
    assert [p.verdict.target for p in plans.plans] == [80, 90]


def test_ties_fewer_documents_then_earlier_due_then_code():
    none = np.zeros(4, bool)
    one_group = (np.zeros(4, int), np.array([np.inf]))
    # Same cost 4: {0} alone or {1, 2}: fewer documents wins.
    p = Problem01(np.array([5.0, 3.0, 3.0, 1.0]), np.array([4.0, 2.0, 2.0, 9.0]), 5.0, *one_group, none, none)
    assert solve_min_effort(p).tolist() == [True, False, False, False]
    # Two equal documents: the earlier due date wins, then the earlier code (row order).
    gain, cost = np.array([5.0, 5.0, 5.0, 1.0]), np.array([2.0, 2.0, 2.0, 9.0])
    due = np.array([30.0, 10.0, 10.0, 0.0])
    p = Problem01(gain, cost, 5.0, *one_group, none, none, due)
    assert solve_min_effort(p).tolist() == [False, True, False, False]
