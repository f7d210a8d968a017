"""Plans for several targets, nested where it costs nothing (mcp_lib.plan.targets).

Tiny fixture (Kota Contoh, 2023-10-31): the candidates' gains and costs by hand are in
test_planner.py's docstring.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from plan_helpers import plan_codes, small_world

from mcp_lib.plan.planner import PlanOptions, plan_path
from mcp_lib.plan.targets import plan_targets
from mcp_lib.risk.params import CERTAIN


def test_two_targets_nest_when_free(tiny_fw, kota, snap):
    plans = plan_targets(tiny_fw, kota, snap, [70, 60], PlanOptions(risk=CERTAIN, confidence=0))
    low, high = plans.plans
    assert (low.verdict.target, high.verdict.target) == (60, 70)
    assert plans.nested == (True,) and plans.nesting_cost == (0.0,)
    assert plan_codes(low) <= plan_codes(high)
    assert (low.verdict.effort, high.verdict.effort) == (6, 12)
    assert plans.summary()["target"].tolist() == [60, 70]


def test_two_targets_say_when_nesting_costs_extra(tiny_fw, kota, snap):
    # Lower (need 10.875): A.1.2 or A.2.1 at 3 days. Upper (need 25.875): B.1.1 alone at 5.
    # Nesting costs 2 more days either way (B.1.1 for the lower, or A.x + B.1.1 for the upper).
    effort = {"A.1.2.D1": 3, "A.2.1.D1": 3, "B.1.1.D1": 5, "B.1.2.D2": 10}
    plans = plan_targets(
        tiny_fw, kota, snap, [53, 68], PlanOptions(risk=CERTAIN, allow_blocked=True, effort=effort, confidence=0)
    )
    assert plans.nested == (False,)
    assert plans.nesting_cost == (2.0,)
    assert [p.verdict.effort for p in plans.plans] == [3, 5]


def test_default_targets_are_last_year_and_the_target(tiny_fw, kota, snap):
    plans = plan_targets(tiny_fw, kota, snap, None, PlanOptions(risk=CERTAIN))
    assert [p.verdict.target for p in plans.plans] == [80, 90]


@pytest.mark.slow
@settings(max_examples=20, deadline=None, derandomize=True)
@given(st.integers(0, 10**6))
def test_every_targets_minimal_effort_is_its_single_target_minimum(seed):
    """With two targets, nesting may add a 'first step' line but never changes a target's minimal
    effort (it once printed 7 person-days where 0 sufficed)."""
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        fw, pemda, snap, docs, high = small_world(seed, Path(tmp))
        current = float(docs.loc[docs["applicable"], "earned"].sum())
        low = round(current + (high - current) * 0.5, 3)
        plans = plan_targets(fw, pemda, snap, [low, high])
        for p in plans.plans:
            alone = plan_path(fw, pemda, snap, p.verdict.target, PlanOptions(confidence=0))
            assert p.verdict.exact_effort == alone.verdict.exact_effort
            assert p.verdict.reachable == alone.verdict.reachable
            if alone.verdict.minimal is not None:
                assert p.verdict.minimal.effort == alone.verdict.minimal.effort
                assert p.verdict.minimal.documents == alone.verdict.minimal.documents


def test_a_nested_plans_reserve_is_relative_to_its_own_minimal_plan(tiny_fw, kota, snap):
    from mcp_lib.plan.targets import _same_minimal

    plan = plan_path(tiny_fw, kota, snap, 50)
    own = plan_path(tiny_fw, kota, snap, 50, PlanOptions(confidence=0.5))
    fixed = _same_minimal(plan, own)
    docs = fixed.documents
    assert ((docs["reason"] == "cadangan") == docs["reserve"]).all()
    assert set(docs.loc[docs["reserve"], "doc_code"]).isdisjoint(own.minimal)
    assert fixed.verdict.reserve_effort == pytest.approx(fixed.verdict.effort - own.verdict.exact_effort)


def test_a_plan_the_caller_has_is_taken_as_it_is(tiny_fw, kota, snap, monkeypatch):
    """``made``: the brief plans its target once, for the plans per target and the scenarios."""
    from mcp_lib.plan import targets as targets_module

    options = PlanOptions(risk=CERTAIN)
    own = plan_path(tiny_fw, kota, snap, 70, options)
    expected = plan_targets(tiny_fw, kota, snap, [60, 70], options)
    asked = []

    def counting(*args, **kwargs):
        asked.append(args[3])
        return plan_path(*args, **kwargs)

    monkeypatch.setattr(targets_module, "plan_path", counting)
    got = plan_targets(tiny_fw, kota, snap, [60, 70], options, made={70.0: own})
    assert 70.0 not in asked and 60.0 in asked
    assert got.plans[-1] is own
    assert [p.verdict for p in got.plans] == [p.verdict for p in expected.plans]
