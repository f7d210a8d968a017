"""Planner tests. Tiny fixture (Kota Contoh, 2023-10-31, verified 34.625) candidates, by hand
(points of the total per document point from test_scoring):

  A.1.1.D2  diunggah         40·.1875 = 7.5     cost 0 (always in the plan)
  A.1.2.D1  perlu_perbaikan  60·.1875 = 11.25   4 days  BPKAD
  A.2.1.D1  verified 25/50   25·.5    = 12.5    2 days  BPKAD
  B.1.1.D1  belum, blocked   100·.2625 = 26.25  5 days  Inspektorat
  B.1.2.D2  disiapkan        70·.1125 = 7.875   6 days  Inspektorat (5 days/month)

With the uploaded document the score is 42.125 before any work.
"""

import datetime as dt
import itertools

import numpy as np
import pandas as pd
import pytest

from mcp_lib.errors import InputError
from mcp_lib.mcp_calendar import Calendar
from mcp_lib.planner import (
    Problem01,
    candidates,
    plan_path,
    plan_targets,
    solve_greedy,
    solve_max_gain,
    solve_min_effort,
    what_if,
)
from mcp_lib.risk_params import CERTAIN
from mcp_lib.status import load_period


@pytest.fixture
def snap(tiny_fw, kota):
    return load_period(kota, tiny_fw, "2023-10")


def _plan(tiny_fw, kota, snap, target, **kw):
    kw.setdefault("risk", CERTAIN)
    return plan_path(tiny_fw, kota, snap, target, **kw)


def _codes(plan):
    return set(plan.documents["doc_code"])


def test_candidates_gain_and_cost(tiny_fw, kota, snap):
    c = candidates(tiny_fw, kota, snap).set_index("doc_code")
    assert c["gain"].to_dict() == pytest.approx(
        {"A.1.1.D2": 7.5, "A.1.2.D1": 11.25, "A.2.1.D1": 12.5, "B.1.1.D1": 26.25, "B.1.2.D2": 7.875}
    )
    assert c["cost"].to_dict() == {"A.1.1.D2": 0, "A.1.2.D1": 4, "A.2.1.D1": 2, "B.1.1.D1": 5, "B.1.2.D2": 6}
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
    assert v.p_target == 1.0 and v.minimal.chance == 1.0  # no verification risk: nothing to reserve
    assert v.reserve_documents == 0 and not plan.documents["reserve"].any()
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
    assert curve["rencana"].dropna().iloc[-1] == pytest.approx(plan.verdict.score_after)
    assert curve["rencana median"].iloc[-1] == pytest.approx(plan.verdict.final_band[1])  # at the final date
    assert (curve["rencana"].dropna().diff().dropna() >= 0).all()
    by_opd = plan.by_opd.set_index("opd")
    assert by_opd.loc["Inspektorat", "effort"] == 6
    assert by_opd.loc["Inspektorat", "capacity"] == pytest.approx(5 * 61 / 30.4375)


def test_two_targets_nest_when_free(tiny_fw, kota, snap):
    plans = plan_targets(tiny_fw, kota, snap, [70, 60], risk=CERTAIN)
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
    plans = plan_targets(tiny_fw, kota, snap, [53, 68], risk=CERTAIN, allow_blocked=True, effort=effort)
    assert plans.nested == (False,)
    assert plans.nesting_cost == (2.0,)
    assert [p.verdict.effort for p in plans.plans] == [3, 5]


def test_default_targets_are_last_year_and_the_target(tiny_fw, kota, snap):
    plans = plan_targets(tiny_fw, kota, snap, risk=CERTAIN)
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


# --- verification risk: minimal plan, plan with reserve -----------------------------------------

from risk_oracle import Oracle, plan_months  # noqa: E402

from mcp_lib.scoring import score_documents  # noqa: E402


def test_reserve_lifts_the_chance_to_the_confidence(tiny_fw, kota, snap):
    # Target 50 needs 7.875 points over the 42.125 with the uploaded document: A.2.1.D1 (2 days)
    # alone, if accepted. Under verification risk that minimal plan has a chance near 0.5; 80%
    # takes a reserve.
    plan = plan_path(tiny_fw, kota, snap, 50)
    v = plan.verdict
    assert v.minimal.documents == 2 and v.minimal.effort == 2
    assert 0.3 < v.minimal.chance < 0.7
    assert v.confidence_met and v.p_target >= 0.8
    assert v.effort > v.minimal.effort and v.reserve_documents >= 1
    assert v.reserve_effort == pytest.approx(v.effort - v.minimal.effort)
    reserve = plan.documents.loc[plan.documents["reserve"], "doc_code"].tolist()
    assert len(reserve) == v.reserve_documents and set(reserve).isdisjoint(plan.minimal)
    assert (plan.documents.loc[plan.documents["reserve"], "reason"] == "cadangan").all()
    assert v.final_band[0] <= v.final_band[1] <= v.final_band[2]
    # the independent simulation agrees on both chances
    oracle = Oracle(score_documents(tiny_fw, kota, snap), kota.risk, 40_000)
    months = plan_months(plan.documents, snap.date, plan.calendar.close)
    assert oracle.chance(months, 50) == pytest.approx(v.p_target, abs=0.015)
    minimal = plan_path(tiny_fw, kota, snap, 50, confidence=0)
    assert oracle.chance(plan_months(minimal.documents, snap.date, plan.calendar.close), 50) == pytest.approx(
        v.minimal.chance, abs=0.015
    )


def test_confidence_out_of_reach_reports_the_highest_chance_and_what_limits_it(tiny_fw, kota, snap):
    plan = plan_path(tiny_fw, kota, snap, 60, confidence=0.8)
    v = plan.verdict
    assert v.reachable and not v.confidence_met
    assert 0.05 < v.p_max < 0.8 and v.p_target == pytest.approx(v.p_max)
    # everything that fits is planned; the blocked document and the time left are named
    assert _codes(plan) == {"A.1.1.D2", "A.1.2.D1", "A.2.1.D1", "B.1.2.D2"}
    text = " ".join(v.limits)
    assert "menunggu pihak luar" in text
    assert "unggah ulang" not in text  # two months to the close: time is not what limits it
    near = plan_path(
        tiny_fw, kota, snap, 60, calendar=Calendar(dt.date(2023, 11, 20), dt.date(2024, 1, 15), "uji")
    )
    assert any("sedikit kesempatan unggah ulang" in limit for limit in near.verdict.limits)


def test_confidence_zero_is_the_minimal_plan(tiny_fw, kota, snap):
    plan = plan_path(tiny_fw, kota, snap, 50, confidence=0)
    assert plan.verdict.recommended == plan.verdict.minimal
    assert not plan.documents["reserve"].any()


def test_plan_is_reproducible(tiny_fw, kota, snap):
    a, b = plan_path(tiny_fw, kota, snap, 50), plan_path(tiny_fw, kota, snap, 50)
    assert a.verdict == b.verdict
    assert a.documents.equals(b.documents)


def test_earlier_upload_is_less_risky(tiny_fw, kota, snap):
    # The same plan, scheduled a month earlier (an OPD with more capacity), has a higher chance.
    slow = plan_path(tiny_fw, kota, snap, 50, must=["B.1.2.D2"], capacity={"Inspektorat": 3}, confidence=0)
    fast = plan_path(tiny_fw, kota, snap, 50, must=["B.1.2.D2"], capacity={"Inspektorat": 30}, confidence=0)
    assert _codes(slow) == _codes(fast)
    d_slow, d_fast = (p.documents.set_index("doc_code").loc["B.1.2.D2"] for p in (slow, fast))
    assert d_fast["finish"] < d_slow["finish"]
    assert d_fast["p_full"] > d_slow["p_full"]


def test_sample_90_plan_with_reserve_holds_on_an_independent_100k_simulation():
    """Acceptance: Kota Lubuklinggau 2023-10, target 90."""
    from mcp_lib.status import load_pemda, pemda_framework

    pemda = load_pemda("kota-lubuklinggau")
    fw = pemda_framework(pemda)
    s = load_period(pemda, fw, "2023-10")
    plan = plan_path(fw, pemda, s, 90)
    v = plan.verdict
    assert v.confidence_met and v.p_target >= 0.8
    assert v.effort > v.minimal.effort
    assert 0.005 <= v.minimal.chance < 0.8  # reported, and not a bare 0%
    oracle = Oracle(score_documents(fw, pemda, s), pemda.risk, 100_000, seed=2026)
    assert oracle.chance(plan_months(plan.documents, s.date, plan.calendar.close), 90) >= 0.8


# --- property test: the plan with reserve against brute force ----------------------------------

AREAS = ("Pajak Daerah", "Perencanaan dan Penganggaran", "Manajemen Aset", "Pengadaan Barang dan Jasa")
PROPERTY_TOLERANCE = 0.03
"""Monte Carlo tolerance of the property test: the planner's chance (10,000 draws, common random
numbers, kept ≥ confidence + 2 standard errors) and the independent simulation's (20,000 draws) may
differ by sampling error; a cheaper subset counts as a counter-example only if the independent
simulation puts it at least this far above the confidence."""


def _small_world(seed: int, root):
    """A random small pemda in ``root``: 2–8 documents in 2–4 sub-indicators, random statuses,
    efforts and OPD capacities, and a target between the current score and all that is open."""
    import pandas as pd

    from mcp_lib.framework import load_framework
    from mcp_lib.status import load_pemda

    rng = np.random.default_rng(seed)
    n_sub = int(rng.integers(2, 5))
    fw_rows, ev_rows, codes = [], [], []
    for s in range(n_sub):
        area = AREAS[s % len(AREAS)]
        fw_rows.append(
            (f"A{s}", area, 100 / n_sub, f"A{s}.1", "Ind", 100, f"A{s}.1.1", "Sub", 100, "semua", "X")
        )
        k = int(rng.integers(1, 3))
        split = [100 // k + (1 if j < 100 % k else 0) for j in range(k)]
        for j in range(k):
            code = f"A{s}.1.1.D{j + 1}"
            codes.append(code)
            ev_rows.append((f"A{s}.1.1", code, f"Dok {code}", split[j]))
    fw_dir = root / "frameworks" / "mcp-2023"
    fw_dir.mkdir(parents=True)
    pd.DataFrame(fw_rows, columns=["area_code", "area_name", "area_weight", "indicator_code", "indicator_name",
                                   "indicator_weight", "subindicator_code", "subindicator_name", "subindicator_weight",
                                   "applies_to", "default_opd"]).to_csv(fw_dir / "framework.csv", index=False)  # fmt: skip
    pd.DataFrame(ev_rows, columns=["subindicator_code", "doc_code", "doc_name", "points"]).to_csv(
        fw_dir / "evidence.csv", index=False
    )
    (fw_dir / "bands.csv").write_text("band,lower_bound,colour\nRendah,0,#d7301f\nTinggi,50,#1a9850\n")
    (fw_dir / "framework.toml").write_text(
        "year = 2023\nupload_close = 2023-11-30\nfinal_date = 2024-01-15\n"
    )
    folder = root / "pemda" / "kota-uji"
    (folder / "status").mkdir(parents=True)
    caps = [None if rng.random() < 0.5 else int(rng.integers(2, 12)) for _ in range(2)]
    opds = "".join(
        f'\n[[opd]]\nname = "OPD{j}"\n' + (f"capacity_days = {c}\n" if c is not None else "")
        for j, c in enumerate(caps)
    )
    (folder / "pemda.toml").write_text(
        'name = "Kota Uji"\nkind = "kota"\nprovince = "Uji"\nframework = 2023\ntarget = 90\n' + opds
    )
    points = dict(zip([r[1] for r in ev_rows], [r[3] for r in ev_rows], strict=True))
    rows = []
    for code in codes:
        status = rng.choice(
            ["belum", "disiapkan", "diunggah", "perlu_perbaikan", "diverifikasi", "diverifikasi"]
        )
        verified = ""
        if status == "diverifikasi":
            verified = points[code] if rng.random() < 0.6 else int(points[code] * rng.uniform(0.3, 0.8))
        due = "" if rng.random() < 0.4 else f"2023-11-{int(rng.integers(1, 30)):02d}"
        rows.append((code, f"OPD{int(rng.integers(0, 2))}", status, verified, int(rng.integers(0, 8)), due,
                     "menunggu BPN" if rng.random() < 0.15 else "", ""))  # fmt: skip
    pd.DataFrame(rows, columns=["doc_code", "opd", "status", "verified_points", "effort_days", "due_date",
                                "blocker", "note"]).to_csv(folder / "status" / "2023-10-15.csv", index=False)  # fmt: skip
    fw = load_framework(fw_dir)
    pemda = load_pemda(folder)
    snap = load_period(pemda, fw, "2023-10")
    docs = score_documents(fw, pemda, snap)
    current = float(docs.loc[docs["applicable"], "earned"].sum())
    open_pts = float(docs.loc[docs["applicable"], "open"].sum())
    target = current + open_pts * float(rng.uniform(0.1, 0.9))
    return fw, pemda, snap, docs, round(target, 3)


@settings(max_examples=25, deadline=None, derandomize=True)
@given(st.integers(0, 10**6), st.sampled_from([0.5, 0.8]))
def test_plan_with_reserve_meets_the_confidence_and_nothing_cheaper_does(seed, confidence):
    import datetime as dt
    import tempfile
    from pathlib import Path

    from mcp_lib.planner import _capacity_per_month, _Schedule, _select_candidates

    with tempfile.TemporaryDirectory() as tmp:
        fw, pemda, snap, docs, target = _small_world(seed, Path(tmp))
        plan = plan_path(fw, pemda, snap, target, confidence=confidence)
        v = plan.verdict
        oracle = Oracle(docs, pemda.risk, 20_000, seed=seed + 1)
        close = plan.calendar.close
        # every subset of the candidates that respects the rules, scheduled as the planner does
        cand = (
            _select_candidates(docs, None, None).sort_values("doc_code", kind="stable").reset_index(drop=True)
        )
        if cand.empty:
            return
        opds = sorted(cand["opd"].unique())
        group = cand["opd"].map({o: i for i, o in enumerate(opds)}).to_numpy(int)
        per_month = _capacity_per_month(pemda, opds, None)
        months = max(0.0, (plan.horizon - snap.date).days / 30.4375)
        sched = _Schedule(cand, group, per_month, snap.date, plan.horizon)
        cost = cand["cost"].to_numpy(float)
        force = (cand["status"] == "diunggah").to_numpy()
        ban = cand["blocked"].to_numpy() & ~force
        best_cheaper = 0.0
        best_any = 0.0
        plan_cost = v.effort
        for bits in itertools.product([False, True], repeat=len(cand)):
            x = np.array(bits)
            if (force & ~x).any() or (ban & x).any():
                continue
            if any(cost[x & (group == g)].sum() > per_month[g] * months + 1e-7 for g in range(len(opds))):
                continue
            finish = sched.finish_days(x)
            sub_plan = {}
            for i in np.flatnonzero(x):
                now = cand.loc[i, "status"] in ("diunggah", "perlu_perbaikan", "diverifikasi")
                start = snap.date if now else snap.date + dt.timedelta(days=float(finish[i]))
                sub_plan[cand.loc[i, "doc_code"]] = max((close - start).days, 0) / 30.4375
            p = oracle.chance(sub_plan, target)
            best_any = max(best_any, p)
            if cost[x].sum() < plan_cost - 1e-9:
                best_cheaper = max(best_cheaper, p)
        if v.confidence_met:
            mine = oracle.chance(plan_months(plan.documents, snap.date, close), target)
            assert mine >= confidence - PROPERTY_TOLERANCE
            assert best_cheaper < confidence + PROPERTY_TOLERANCE
        else:
            assert best_any < confidence + PROPERTY_TOLERANCE
            assert v.p_max >= best_any - 2 * PROPERTY_TOLERANCE


# --- issue 13: edge cases of the planner ---------------------------------------------------------


@settings(max_examples=20, deadline=None, derandomize=True)
@given(st.integers(0, 10**6))
def test_every_targets_minimal_effort_is_its_single_target_minimum(seed):
    """With two targets, nesting may add a 'first step' line but never changes a target's minimal
    effort (it once printed 7 person-days where 0 sufficed)."""
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        fw, pemda, snap, docs, high = _small_world(seed, Path(tmp))
        current = float(docs.loc[docs["applicable"], "earned"].sum())
        low = round(current + (high - current) * 0.5, 3)
        plans = plan_targets(fw, pemda, snap, [low, high])
        for p in plans.plans:
            alone = plan_path(fw, pemda, snap, p.verdict.target, confidence=0)
            assert p.verdict.exact_effort == alone.verdict.exact_effort
            assert p.verdict.reachable == alone.verdict.reachable
            if alone.verdict.minimal is not None:
                assert p.verdict.minimal.effort == alone.verdict.minimal.effort
                assert p.verdict.minimal.documents == alone.verdict.minimal.documents


def test_excluding_an_uploaded_document_counts_it_as_not_accepted(tiny_fw, kota, snap):
    # A.1.1.D2 (7.5 points) is uploaded: excluded, it leaves the plan and its points do not count.
    plan = _plan(tiny_fw, kota, snap, 50, exclude=["A.1.1.D2"])
    assert "A.1.1.D2" not in _codes(plan)
    assert plan.verdict.score_after == pytest.approx(34.625 + plan.documents["gain"].sum())
    assert "A.1.1.D2" in set(plan.obstacles.loc[plan.obstacles["kind"] == "dikecualikan", "doc_code"])
    kept = _plan(tiny_fw, kota, snap, 50)
    assert "A.1.1.D2" in _codes(kept)
    # with risk: the uploaded-only chance no longer counts it either
    assert plan_path(tiny_fw, kota, snap, 40, exclude=["A.1.1.D2"]).verdict.p_uploaded == 0


def test_a_solver_that_does_not_finish_is_reported_not_taken_as_unreachable(tiny_fw, kota, snap, monkeypatch):
    import mcp_lib.planner as planner

    class Stopped:
        status, x, message = 1, None, "Time limit reached"

    monkeypatch.setattr(planner, "milp", lambda *a, **k: Stopped())
    with pytest.raises(planner.SolverTrouble) as exc:
        _plan(tiny_fw, kota, snap, 60)
    assert "status 1" in str(exc.value) and isinstance(exc.value, InputError)


def _with_settings(tiny_copy, extra: str = "", deadline: str | None = "2023-12-31"):
    from mcp_lib.framework import load_framework
    from mcp_lib.status import load_pemda

    toml = tiny_copy / "pemda" / "kota-contoh" / "pemda.toml"
    text = toml.read_text(encoding="utf-8")
    text = text.replace("deadline = 2023-12-31\n", f"deadline = {deadline}\n" if deadline else "")
    toml.write_text(text.replace("[final_scores]", f"{extra}\n[final_scores]", 1), encoding="utf-8")
    return load_framework(2023, tiny_copy), load_pemda("kota-contoh", tiny_copy)


def test_a_deadline_already_passed_gives_way_to_the_upload_close(tiny_copy):
    fw, pemda = _with_settings(tiny_copy, deadline="2023-10-15")
    plan = plan_path(fw, pemda, load_period(pemda, fw, "2023-10"), 60, risk=CERTAIN)
    assert plan.horizon == dt.date(2023, 12, 31)  # the tiny framework's upload close
    assert any("Tenggat pemda 15 Oktober 2023 sudah lewat" in n for n in plan.notes)
    assert plan.verdict.reachable and plan.verdict.effort == 6  # as with a deadline in December
    assert not (plan.obstacles["kind"] == "kapasitas").any()
    assert (pd.to_datetime(plan.documents["finish"]) > pd.Timestamp("2023-10-31")).all()


def test_after_the_upload_close_only_verification_remains(tiny_copy):
    fw, pemda = _with_settings(tiny_copy, extra="upload_close = 2023-10-20\nfinal_date = 2024-01-15")
    snap = load_period(pemda, fw, "2023-10")
    plan = plan_path(fw, pemda, snap, 60)
    assert _codes(plan) == {"A.1.1.D2"}  # only what awaits verification
    assert not plan.verdict.reachable and plan.verdict.score_after == pytest.approx(42.125)
    assert list(plan.obstacles["kind"]) == ["batas unggah"]  # no "kapasitas 0 hari-orang" per OPD
    assert any("Batas unggah 20 Oktober 2023 sudah lewat" in n for n in plan.notes)
    assert "sudah lewat" in plan.verdict.limits[0] or not plan.verdict.limits
    low = plan_path(fw, pemda, snap, 40)
    assert low.verdict.reachable and low.verdict.effort == 0
    assert 0 < low.verdict.p_target < 1  # the uploaded document may still be returned


def test_a_snapshot_in_january_inside_the_assessment_window(tiny_copy):
    """Default deadline (31 December) passed, upload close in January: the plan runs to the close."""
    import shutil

    fw, pemda = _with_settings(
        tiny_copy, extra="upload_close = 2024-01-20\nfinal_date = 2024-02-15", deadline=None
    )
    status = tiny_copy / "pemda" / "kota-contoh" / "status"
    shutil.copy(status / "2023-10-31.csv", status / "2024-01-05.csv")
    snap = load_period(pemda, fw, "2024-01")
    plan = plan_path(fw, pemda, snap, 50, risk=CERTAIN)
    assert plan.horizon == dt.date(2024, 1, 20)
    assert any("Tenggat pemda 31 Desember 2023 sudah lewat" in n for n in plan.notes)
    assert (plan.documents["due_month"] == "2024-01").all()  # no work in months already over


def test_mcp_plan_and_score_say_the_dates_have_passed(tiny_copy, capsys):
    from mcp_lib.cli import main

    _with_settings(tiny_copy, extra="upload_close = 2023-10-20", deadline="2023-10-15")
    args = ["--data-dir", str(tiny_copy), "plan", "--pemda", "kota-contoh", "--period", "2023-10"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Batas unggah 20 Oktober 2023 sudah lewat" in out and "kapasitas 0" not in out
    assert main(["--data-dir", str(tiny_copy), "score", "--pemda", "kota-contoh", "--period", "2023-10"]) == 0
    out = capsys.readouterr().out
    assert "tenggat 20 Oktober 2023 sudah lewat" in out and "Batas unggah 20 Oktober 2023 sudah lewat" in out


def test_blocked_means_the_same_in_the_plan_and_in_the_scores(tiny_copy):
    """An uploaded document with a blocker text is counted blocked nowhere (it was planned around
    by the planner but not counted by mcp score)."""
    from mcp_lib.framework import load_framework
    from mcp_lib.scoring import score_snapshot
    from mcp_lib.status import load_pemda

    status = tiny_copy / "pemda" / "kota-contoh" / "status" / "2023-10-31.csv"
    status.write_text(
        status.read_text().replace(
            "A.1.1.D2,Bappeda,diunggah,,3,,,", "A.1.1.D2,Bappeda,diunggah,,3,,menunggu BPN,"
        )
    )
    fw, pemda = load_framework(2023, tiny_copy), load_pemda("kota-contoh", tiny_copy)
    snap = load_period(pemda, fw, "2023-10")
    plan = plan_path(fw, pemda, snap, 60, risk=CERTAIN)
    scores = score_snapshot(fw, pemda, snap)
    blocked_scores = set(scores.documents.loc[scores.documents["blocked"], "doc_code"])
    assert set(plan.blocked["doc_code"]) == blocked_scores == {"B.1.1.D1"}
    assert "A.1.1.D2" in _codes(plan)  # uploaded: followed up, not held back


# --- from the mutation pass on planner.py ---------------------------------------------------------


def test_greedy_reaches_exactly_and_respects_capacity():
    none = np.zeros(3, bool)
    p = Problem01(
        np.array([5.0, 5.0, 1.0]),
        np.array([1.0, 1.0, 10.0]),
        10.0,
        np.zeros(3, int),
        np.array([np.inf]),
        none,
        none,
    )
    assert solve_greedy(p).tolist() == [True, True, False]  # 5 + 5 reaches 10 exactly: no more
    capped = Problem01(
        np.array([5.0, 5.0, 4.0]),
        np.array([2.0, 2.0, 1.0]),
        12.0,
        np.array([0, 0, 1]),
        np.array([2.0, np.inf]),
        none,
        none,
    )
    assert solve_greedy(capped) is None  # group 0 holds one of its two documents: 9 < 12


def test_each_opd_works_through_its_own_queue(tiny_fw, kota, snap):
    """BPKAD (4 days a month) and Inspektorat (5 a month) each start on 31 October."""
    plan = _plan(
        tiny_fw, kota, snap, 50, must=["A.1.2.D1", "B.1.2.D2"], capacity={"BPKAD": 4}, use_capacity=True
    )
    finish = plan.documents.set_index("doc_code")["finish"]
    start = dt.date(2023, 10, 31)
    assert finish["A.1.2.D1"] == start + dt.timedelta(days=int(4 / 4 * 30.4375))  # one month of BPKAD
    assert finish["B.1.2.D2"] == start + dt.timedelta(days=int(6 / 5 * 30.4375))  # 1.2 months of Inspektorat
    curve = plan.schedule[plan.schedule["series"] == "rencana"]
    assert [d.isoformat() for d in curve["date"]] == ["2023-10-31", "2023-11-30", "2023-12-31"]


def test_without_capacity_a_document_due_on_the_horizon_finishes_then(tiny_fw, kota, snap):
    plan = _plan(
        tiny_fw, kota, snap, 50, must=["B.1.2.D2"], capacity={"Inspektorat": None}, use_capacity=False
    )
    # B.1.2.D2 is due 30 November, inside the horizon: it finishes on its due date
    assert plan.documents.set_index("doc_code").loc["B.1.2.D2", "finish"] == dt.date(2023, 11, 30)


def test_half_a_month_of_capacity_is_half_a_month(tiny_fw, kota, snap):
    cal = Calendar(dt.date(2023, 11, 15), dt.date(2024, 1, 15), "uji")  # 15 days to the close
    plan = plan_path(tiny_fw, kota, snap, 60, calendar=cal, capacity={"BPKAD": 8}, risk=CERTAIN)
    cap = plan.by_opd.set_index("opd").loc["BPKAD", "capacity"]
    assert cap == pytest.approx(8 * 15 / 30.4375)  # not a whole month's 8


def test_a_swap_replaces_a_costly_document_by_a_cheaper_equal_one():
    from mcp_lib.planner import _swap

    gain, cost = np.array([5.0, 5.0]), np.array([10.0, 2.0])
    prob = Problem01(
        gain, cost, 5.0, np.zeros(2, int), np.array([np.inf]), np.zeros(2, bool), np.zeros(2, bool)
    )

    class Sure:  # every document accepted in every draw (4 draws)
        base, target, weights = np.zeros(4), 5.0, np.full(4, 0.25)

        class schedule:
            @staticmethod
            def finish_days(x):
                return np.zeros(len(x))

        def months(self, x, finish=None):
            return np.zeros(len(x))

        def columns(self, x, months=None):
            idx = np.flatnonzero(x)
            return idx, np.tile(gain[idx].astype(np.float32), (4, 1))

        def chance(self, x):
            return float(np.mean(self.base + gain[x].sum() >= self.target))

    x = _swap(prob, Sure(), np.array([True, False]), 1.0, np.zeros(2))
    assert x.tolist() == [False, True]


def test_a_nested_plans_reserve_is_relative_to_its_own_minimal_plan(tiny_fw, kota, snap):
    from mcp_lib.planner import _same_minimal

    plan = plan_path(tiny_fw, kota, snap, 50)
    own = plan_path(tiny_fw, kota, snap, 50, confidence=0.5)
    fixed = _same_minimal(plan, own)
    docs = fixed.documents
    assert ((docs["reason"] == "cadangan") == docs["reserve"]).all()
    assert set(docs.loc[docs["reserve"], "doc_code"]).isdisjoint(own.minimal)
    assert fixed.verdict.reserve_effort == pytest.approx(fixed.verdict.effort - own.verdict.exact_effort)


def test_limits_name_the_opd_whose_capacity_is_full(tiny_fw, kota, snap):
    plan = plan_path(tiny_fw, kota, snap, 70, capacity={"BPKAD": 1}, allow_blocked=False, confidence=0.8)
    text = " ".join(plan.verdict.limits)
    if "kapasitas OPD habis" in text:
        assert "BPKAD" in text and "Inspektorat" not in text.split("kapasitas OPD habis")[1].split(";")[0]


def test_a_solver_answer_without_a_selection_is_trouble(tiny_fw, kota, snap, monkeypatch):
    import mcp_lib.planner as planner

    class Odd:
        status, x, message = 0, None, "optimal, but no solution vector"

    monkeypatch.setattr(planner, "milp", lambda *a, **k: Odd())
    with pytest.raises(planner.SolverTrouble):
        _plan(tiny_fw, kota, snap, 60)


def test_native_output_of_the_solver_is_hidden(capfd):
    """HiGHS prints a stray debug line to the C stdout on some problems (ERGO-Code/HiGHS#2783);
    the planner hides descriptor 1 during a solve and nothing leaks out later."""
    import ctypes
    import ctypes.util
    import os

    from mcp_lib.planner import _native_stdout_hidden

    libc = ctypes.CDLL(ctypes.util.find_library("c"))
    with _native_stdout_hidden():
        os.write(1, b"raw write\n")
        libc.printf(b"HighsMipSolverData::transformNewIntegerFeasibleSolution tmpSolver.run();\n")
    libc.fflush(None)
    print("after")
    out = capfd.readouterr().out
    assert out == "after\n"


def test_a_2025_plan_prints_nothing_from_highs(tmp_path, capfd):
    """A generated 2025 kota whose plan made HiGHS print its debug line before it was hidden."""
    from mcp_lib.framework import load_framework
    from mcp_lib.planner import plan_targets
    from mcp_lib.sample import generate_pemda_folders
    from mcp_lib.status import load_pemda

    generate_pemda_folders("Bengkulu", tmp_path, framework_year=2025)
    pemda = load_pemda("kota-bengkulu", tmp_path)
    fw = load_framework(2025)
    plans = plan_targets(fw, pemda, load_period(pemda, fw, "2025-10"), [90.0])
    assert plans and "HighsMip" not in capfd.readouterr().out
