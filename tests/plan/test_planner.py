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


# ---------------------------------------------------------------- items scored by their own method


def _methods_plan(target, **options):
    from conftest import METHODS

    from mcp_lib.framework.folder import load_framework
    from mcp_lib.pemda.settings import load_pemda
    from mcp_lib.pemda.snapshot import load_period

    fw, pemda = load_framework(2026, METHODS), load_pemda("kab-metode", METHODS)
    return certain_plan(fw, pemda, load_period(pemda, fw, "2026-10"), target, **options)


def test_a_binary_item_is_planned_whole_and_counts_only_when_complete():
    """Fixture tests/fixtures/methods, 31 October 2026, verified 55.25. Target 60 (+4.75): A.1.D3
    (awaiting) completes the binary A.1, +20; B.1.D3 (awaiting, forced) completes nothing without
    B.1.D4 and brings 0. Target 90 (+34.75): A.1 +20, B.1 whole (D3 and D4, +12.5), A.2 whole
    (D2 and D3, +6): 93.75. No plan holds half a unit."""
    low = _methods_plan(60)
    assert plan_codes(low) == {"A.1.D3", "B.1.D3"}
    gains = low.documents.set_index("doc_code")["gain"]
    assert gains.to_dict() == pytest.approx({"A.1.D3": 20.0, "B.1.D3": 0.0})
    assert low.verdict.score_after == pytest.approx(75.25)
    high = _methods_plan(90)
    assert plan_codes(high) == {"A.1.D3", "B.1.D3", "B.1.D4", "A.2.D2", "A.2.D3"}
    assert high.verdict.score_after == pytest.approx(93.75)
    assert high.documents["gain"].sum() == pytest.approx(93.75 - 55.25)
    # In scheduled order the score rises only when a unit is complete: B.1.D4 (3 November) waits
    # for B.1.D3's verification (30 November); A.2 counts once both its documents are in.
    running = dict(zip(high.documents["doc_code"], high.documents["cumulative_score"], strict=True))
    assert running == pytest.approx(
        {"B.1.D4": 55.25, "A.2.D2": 55.25, "A.2.D3": 61.25, "B.1.D3": 73.75, "A.1.D3": 93.75}
    )
    line = high.schedule[high.schedule["series"] == "rencana"]["score"].tolist()
    assert line == pytest.approx([55.25, 93.75])


def test_a_realisation_item_is_never_planned():
    """B.2 (realisation against its target) is at 75: uploading does not move it, so even a
    target of 100 plans none of its documents and says the target is out of reach."""
    plan = _methods_plan(100)
    assert not plan.verdict.reachable
    assert not any(code.startswith("B.2") for code in plan_codes(plan))


def _method_world(seed, root):
    """A random small pemda on a 2026-shaped framework: 2–4 items, each scored by document points,
    all or nothing, tiers or two periods; 1–4 documents each; random statuses and efforts."""
    import numpy as np
    import pandas as pd

    from mcp_lib.framework.folder import load_framework
    from mcp_lib.pemda.settings import load_pemda
    from mcp_lib.pemda.snapshot import load_period

    rng = np.random.default_rng(seed)
    fw_dir = root / "frameworks" / "mcp-2026"
    fw_dir.mkdir(parents=True)
    methods = ["", "BINER_0_100", "BERTINGKAT_0_75_25", "BERTINGKAT_0_80_100", "BOBOT_TAHUN periode=2"]
    fw_rows, ev_rows = [], []
    n_items = int(rng.integers(2, 5))
    for s in range(n_items):
        method = methods[int(rng.integers(len(methods)))]
        k = int(rng.integers(2, 5)) if method.startswith("BOBOT_TAHUN") else int(rng.integers(1, 5))
        fw_rows.append(("A", "Area", 100, f"I{s}", f"Indikator {s}", None, "semua", "OPD0", method))
        split = [100 // k + (1 if j < 100 % k else 0) for j in range(k)]
        for j in range(k):
            window = f"TA {2024 + j % 2}" if method.startswith("BOBOT_TAHUN") else ""
            ev_rows.append((f"I{s}", f"I{s}.D{j + 1}", f"Dok {s}.{j + 1}", split[j], window))
    columns = ["area_code", "area_name", "area_weight", "subindicator_code", "subindicator_name"]
    columns += ["subindicator_weight", "applies_to", "default_opd", "method"]
    pd.DataFrame(fw_rows, columns=columns).to_csv(fw_dir / "framework.csv", index=False)
    ev_columns = ["subindicator_code", "doc_code", "doc_name", "points", "window"]
    pd.DataFrame(ev_rows, columns=ev_columns).to_csv(fw_dir / "evidence.csv", index=False)
    (fw_dir / "bands.csv").write_text("band,lower_bound,colour\nrentan,0,#d7301f\nterjaga,78,#1a9850\n")
    levels = '[[level]]\nkey = "area"\nname = "Area"\n\n[[level]]\nkey = "subindicator"\nname = "Indikator"\n'
    (fw_dir / "framework.toml").write_text(f"year = 2026\nupload_close = 2026-11-30\nfinal_date = 2026-12-15\n{levels}")
    folder = root / "pemda" / "kab-uji"
    (folder / "status").mkdir(parents=True)
    (folder / "pemda.toml").write_text(
        'name = "Kabupaten Uji"\nkind = "kabupaten"\nprovince = "Uji"\nframework = 2026\ntarget = 90\n\n'
        '[[opd]]\nname = "OPD0"\n'
    )
    rows = []
    for _sub, code, _name, points, _window in ev_rows:
        status = rng.choice(["belum", "diunggah", "perlu_perbaikan", "diverifikasi", "diverifikasi"])
        vp = {"diverifikasi": points * rng.choice([0.5, 1.0]), "perlu_perbaikan": 0.0}.get(status, "")
        rows.append((code, "OPD0", status, vp, int(rng.integers(1, 6))))
    pd.DataFrame(rows, columns=["doc_code", "opd", "status", "verified_points", "effort_days"]).to_csv(
        folder / "status" / "2026-10-31.csv", index=False
    )
    fw, pemda = load_framework(fw_dir), load_pemda(folder)
    return fw, pemda, load_period(pemda, fw, "2026-10")


def _brute_force_sets(fw, pemda, snap, cand) -> list[tuple[float, float]]:
    """(effort, score) of every set of candidates that holds the awaiting ones, each set scored
    by the scorer (every document in it accepted in full); the same sets for any target."""
    import itertools

    from mcp_lib.pemda.snapshot import Snapshot
    from mcp_lib.scoring import score_many

    forced = [c for c, st in zip(cand["doc_code"], cand["status"], strict=True) if st == "diunggah"]
    free = [c for c in cand["doc_code"] if c not in forced]
    cost = dict(zip(cand["doc_code"], cand["cost"], strict=True))
    points = fw.documents.set_index("doc_code")["points"]
    sets, snaps = [], []
    for k in range(len(free) + 1):
        for extra in itertools.combinations(free, k):
            chosen = [*forced, *extra]
            docs = snap.documents.copy()
            mine = docs["doc_code"].isin(chosen)
            docs.loc[mine, "status"] = "diverifikasi"
            docs.loc[mine, "verified_points"] = docs.loc[mine, "doc_code"].map(points)
            sets.append(chosen)
            snaps.append((pemda.kind, Snapshot(snap.date, snap.path, docs)))
    scores = score_many(fw, snaps)["verified"]
    return [(sum(cost[c] for c in chosen), v) for chosen, v in zip(sets, scores, strict=True)]


def _least_effort(sets: list[tuple[float, float]], target: float) -> float | None:
    """The least effort of the sets that reach ``target``: ``None`` when none does."""
    return min((effort for effort, v in sets if v >= target - 1e-9), default=None)


@pytest.mark.slow
def test_the_least_effort_plan_agrees_with_brute_force_over_mixed_methods(tmp_path):
    """On 20 random small pemda whose items score by document points, all or nothing, tiers or
    periods, the exact plan's effort equals the least effort over every set of candidates, each
    scored by the scorer itself (the planner's steps never credit half a unit)."""
    from mcp_lib.candidates import candidates
    from mcp_lib.scoring import score_snapshot

    checked = 0
    for seed in range(20):
        root = tmp_path / str(seed)
        fw, pemda, snap = _method_world(seed, root)
        cand = candidates(fw, pemda.kind, snap)
        now = score_snapshot(fw, pemda, snap).verified
        sets = _brute_force_sets(fw, pemda, snap, cand)  # scored once for both targets
        for target in (now + 0.5 * (100 - now), 99.0):
            plan = certain_plan(fw, pemda, snap, target, draws=200)
            expected = _least_effort(sets, target)
            assert plan.verdict.reachable == (expected is not None), (seed, target)
            if expected is not None:
                assert plan.verdict.exact_effort == pytest.approx(expected), (seed, target)
                checked += 1
    assert checked >= 16


@pytest.mark.parametrize("options", [PlanOptions(confidence=0.8), PlanOptions(confidence=0.8, allow_blocked=True)])
def test_the_verdict_alone_is_the_plans_verdict(tiny_fw, kota, snap, options):
    """plan_verdict (the scenarios' comparison) is plan_path's verdict, without the plan's tables."""
    from mcp_lib.plan.planner import plan_verdict

    for target in (40, 60, 75):
        assert (
            plan_verdict(tiny_fw, kota, snap, target, options)
            == plan_path(tiny_fw, kota, snap, target, options).verdict
        )
