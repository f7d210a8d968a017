"""Planner tests. Tiny fixture (Kota Contoh, 2023-10-31, verified 34.625) candidates, by hand
(points of the total per document point from test_scoring):

  A.1.1.D2  diunggah         40·.1875 = 7.5     cost 0 (always in the plan)
  A.1.2.D1  perlu_perbaikan  60·.1875 = 11.25   4 days  BPKAD
  A.2.1.D1  verified 25/50   25·.5    = 12.5    2 days  BPKAD
  B.1.1.D1  belum, blocked   100·.2625 = 26.25  5 days  Inspektorat
  B.1.2.D2  disiapkan        70·.1125 = 7.875   6 days  Inspektorat (5 days/month)

With the uploaded document the score is 42.125 before any work.
"""

import dataclasses
from dataclasses import replace

import pytest
from plan_helpers import certain_plan, plan_codes

from mcp_lib.errors import InputError
from mcp_lib.plan.planner import PlanOptions, plan_path
from mcp_lib.risk.params import CERTAIN


def test_least_effort_plan(tiny_fw, kota, snap):
    # need 60 − 42.125 = 17.875: A.1.2 + A.2.1 (23.75, 6 days) beats A.2.1 + B.1.2 (20.375, 8 days)
    plan = certain_plan(tiny_fw, kota, snap, 60)
    assert plan_codes(plan) == {"A.1.1.D2", "A.1.2.D1", "A.2.1.D1"}
    v = plan.verdict
    assert (v.reachable, v.effort, v.exact_effort, v.documents) == (True, 6, 6, 3)
    assert v.score_after == pytest.approx(34.625 + 7.5 + 11.25 + 12.5)
    assert v.with_plan.chance == 1.0  # no verification risk (nor error): nothing to reserve
    assert v.reserve_documents == 0 and not plan.documents["reserve"].any()
    assert plan.documents["cumulative_score"].iloc[-1] == pytest.approx(v.score_after)
    assert set(plan.documents["reason"]) == {"sudah diunggah", "target"}


def test_infeasible_because_of_blocked_documents(tiny_fw, kota, snap):
    # 75 needs 32.875 but without the blocked B.1.1.D1 at most 31.625 is left
    plan = certain_plan(tiny_fw, kota, snap, 75)
    v = plan.verdict
    assert not v.reachable
    assert v.score_after == pytest.approx(73.75)
    assert v.shortfall == pytest.approx(1.25)
    assert v.exact_effort is None and v.greedy_effort is None
    blocked = plan.obstacles[plan.obstacles["kind"] == "terblokir"]
    assert blocked["doc_code"].tolist() == ["B.1.1.D1"]
    assert blocked["points"].iloc[0] == pytest.approx(26.25)
    # Allowing blocked documents: B.1.1 + A.2.1 (38.75, 7 days) is cheapest.
    freed = certain_plan(tiny_fw, kota, snap, 75, allow_blocked=True)
    assert freed.verdict.reachable and freed.verdict.effort == 7
    assert plan_codes(freed) == {"A.1.1.D2", "B.1.1.D1", "A.2.1.D1"}


def test_capacity_binds(tiny_fw, kota, snap):
    # BPKAD at 1 day/month has 2.004 days until 31 Dec: A.1.2 (4 days) no longer fits.
    plan = certain_plan(tiny_fw, kota, snap, 60, capacity={"BPKAD": 1})
    assert plan_codes(plan) == {"A.1.1.D2", "A.2.1.D1", "B.1.2.D2"}
    assert plan.verdict.effort == 8
    tight = certain_plan(tiny_fw, kota, snap, 70, capacity={"BPKAD": 1})
    assert not tight.verdict.reachable
    assert tight.verdict.score_after == pytest.approx(42.125 + 12.5 + 7.875)
    assert "BPKAD" in set(tight.obstacles.loc[tight.obstacles["kind"] == "kapasitas", "opd"])
    # Without capacities the plan is the unconstrained one.
    assert certain_plan(tiny_fw, kota, snap, 60, capacity={"BPKAD": 1}, use_capacity=False).verdict.effort == 6


def test_must_do_and_ruled_out_documents_change_the_plan(tiny_fw, kota, snap):
    must = certain_plan(tiny_fw, kota, snap, 60, must=["B.1.2.D2"])
    assert plan_codes(must) == {"A.1.1.D2", "B.1.2.D2", "A.2.1.D1"}
    assert must.verdict.effort == 8
    assert must.documents.set_index("doc_code").loc["B.1.2.D2", "reason"] == "wajib"
    ruled_out = certain_plan(tiny_fw, kota, snap, 60, exclude=["A.2.1.D1"])
    assert plan_codes(ruled_out) == {"A.1.1.D2", "A.1.2.D1", "B.1.2.D2"}
    assert ruled_out.verdict.effort == 10
    with pytest.raises(InputError, match=r"Z\.9"):
        certain_plan(tiny_fw, kota, snap, 60, must=["Z.9"])


def test_already_at_target_needs_only_what_is_uploaded(tiny_fw, kota, snap):
    plan = certain_plan(tiny_fw, kota, snap, 30)
    assert plan_codes(plan) == {"A.1.1.D2"}
    assert plan.verdict.effort == 0


def test_plan_is_reproducible(tiny_fw, kota, snap):
    a, b = plan_path(tiny_fw, kota, snap, 50), plan_path(tiny_fw, kota, snap, 50)
    assert a.verdict == b.verdict
    assert a.documents.equals(b.documents)


def test_excluding_an_uploaded_document_counts_it_as_not_accepted(tiny_fw, kota, snap):
    # A.1.1.D2 (7.5 points) is uploaded: excluded, it leaves the plan and its points do not count.
    plan = certain_plan(tiny_fw, kota, snap, 50, exclude=["A.1.1.D2"])
    assert "A.1.1.D2" not in plan_codes(plan)
    assert plan.verdict.score_after == pytest.approx(34.625 + plan.documents["gain"].sum())
    assert "A.1.1.D2" in set(plan.obstacles.loc[plan.obstacles["kind"] == "dikecualikan", "doc_code"])
    kept = certain_plan(tiny_fw, kota, snap, 50)
    assert "A.1.1.D2" in plan_codes(kept)
    # nor in the chance without a plan: with every document accepted and no other upload (no pace),
    # 34.625 stays below 40 without it and reaches 42.125 with it
    still = replace(CERTAIN, completion_max=0.0)
    assert (
        plan_path(tiny_fw, kota, snap, 40, PlanOptions(exclude=["A.1.1.D2"], risk=still)).verdict.without_plan.chance
        == 0
    )
    assert plan_path(tiny_fw, kota, snap, 40, PlanOptions(risk=still)).verdict.without_plan.chance == 1


# --- PlanOptions --------------------------------------------------------------------------------


def test_plan_options_defaults():
    """What a plan is made with when nothing is said: the keyakinan 0.8, 10,000 draws from seed 0,
    the pemda's risk, calendar and capacities, no must-do, ruled-out or blocked documents."""
    o = PlanOptions()
    assert (o.confidence, o.allow_blocked, o.must, o.exclude, o.include, o.within) == (0.8, False, (), (), (), None)
    assert (o.risk, o.calendar, o.capacity, o.use_capacity, o.draws, o.seed) == (None, None, None, True, 10_000, 0)
    assert (o.default_effort, o.effort) == (None, None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        o.confidence = 0.5  # type: ignore[misc]


def test_plan_options_keep_document_codes_in_order_as_tuples():
    o = PlanOptions(must=iter(["B", "A"]), exclude=["C"], include={"D": 1}, within=(c for c in "EF"))
    assert (o.must, o.exclude, o.include, o.within) == (("B", "A"), ("C",), ("D",), ("E", "F"))
    assert replace(o, confidence=0).must == ("B", "A")


def test_default_options_are_the_pemdas_risk_and_calendar(tiny_fw, kota, snap):
    from mcp_lib.pemda.model import pemda_calendar

    resolved = PlanOptions().for_pemda(kota, tiny_fw)
    assert isinstance(resolved, PlanOptions)
    assert (resolved.risk, resolved.calendar) == (kota.risk, pemda_calendar(kota, tiny_fw))
    given = PlanOptions(risk=CERTAIN, confidence=0.5).for_pemda(kota, tiny_fw)
    assert (given.risk, given.confidence) == (CERTAIN, 0.5)
    a = plan_path(tiny_fw, kota, snap, 50, PlanOptions(draws=1000))
    b = plan_path(tiny_fw, kota, snap, 50, PlanOptions(draws=1000, risk=kota.risk, calendar=a.calendar))
    assert a.verdict == b.verdict and a.documents.equals(b.documents)
