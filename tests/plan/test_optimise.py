"""The 0/1 problem and its solvers (mcp_lib.plan.optimise): hand cases, brute force, HiGHS's troubles.

Tiny fixture (Kota Contoh, 2023-10-31): the candidates' gains and costs by hand are in
test_planner.py's docstring.
"""

import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from plan_helpers import certain_plan

from mcp_lib.errors import InputError
from mcp_lib.pemda.snapshot import load_period
from mcp_lib.plan.optimise import TOL, Problem01, solve_greedy, solve_max_gain, solve_min_effort


def test_greedy_is_worse_than_exact_on_a_hand_case():
    # need 10: greedy takes X (ratio 1.5) then Y → cost 10; exact takes Y + Z → cost 8
    gain, cost = np.array([9.0, 5.0, 5.0]), np.array([6.0, 4.0, 4.0])
    p = Problem01(gain, cost, 10.0, np.zeros(3, int), np.array([np.inf]), np.zeros(3, bool), np.zeros(3, bool))
    assert cost[solve_greedy(p)].sum() == 10
    assert solve_min_effort(p).tolist() == [False, True, True]


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


@st.composite
def instances(draw):
    n = draw(st.integers(1, 15))
    gain = np.array(draw(st.lists(st.integers(1, 60), min_size=n, max_size=n)), float) / 10
    cost = np.array(draw(st.lists(st.integers(0, 12), min_size=n, max_size=n)), float)
    groups = draw(st.integers(1, 3))
    group = np.array(draw(st.lists(st.integers(0, groups - 1), min_size=n, max_size=n)))
    capacity = np.array(
        draw(st.lists(st.one_of(st.just(np.inf), st.integers(3, 40).map(float)), min_size=groups, max_size=groups))
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


def _larger(rng, n):
    """A problem shaped like a pemda's open documents (as benchmarks/bench_planner.py draws them)."""
    gain = rng.uniform(0.05, 0.6, n).round(3)
    cost = rng.integers(1, 21, n).astype(float)
    group = rng.integers(0, 10, n)
    capacity = np.where(np.arange(10) < 6, rng.uniform(10, 60, 10).round(), np.inf)
    ban = rng.random(n) < 0.05
    return Problem01(gain, cost, 0.5 * gain[~ban].sum(), group, capacity, np.zeros(n, bool), ban)


def test_presolve_off_gives_the_same_plans(monkeypatch):
    """HiGHS's presolve is off for speed (optimise.HIGHS_OPTIONS); every stage's optimum and the
    final tie-broken selection are the same as with it on."""
    from mcp_lib.plan import optimise

    assert optimise.HIGHS_OPTIONS["presolve"] is False
    rng = np.random.default_rng(15)
    problems = [_larger(rng, n) for n in (20, 60, 150) for _ in range(5)]
    for p in problems:
        monkeypatch.setattr(optimise, "HIGHS_OPTIONS", {"mip_rel_gap": 0.0, "presolve": False})
        off = (solve_min_effort(p), solve_max_gain(p))
        monkeypatch.setattr(optimise, "HIGHS_OPTIONS", {"mip_rel_gap": 0.0})
        on = (solve_min_effort(p), solve_max_gain(p))
        for a, b in zip(off, on, strict=True):
            assert (a is None) == (b is None)
            assert a is None or np.array_equal(a, b)
    assert sum(solve_min_effort(p) is not None for p in problems) >= 10  # mostly reachable: a real check


def test_heuristics_off_gives_the_same_plans(monkeypatch):
    """Feasibility jump and RENS are off for speed (optimise.HIGHS_OPTIONS); the plans are the
    same as with HiGHS's default heuristics, with and without due dates and preferred documents."""
    from dataclasses import replace

    from mcp_lib.plan import optimise

    ours = dict(optimise.HIGHS_OPTIONS)
    assert ours["mip_heuristic_run_feasibility_jump"] is False and ours["mip_heuristic_run_rens"] is False
    defaults = {k: v for k, v in ours.items() if not k.startswith("mip_heuristic_run_")}
    rng = np.random.default_rng(17)
    problems = [_larger(rng, n) for n in (20, 60, 150, 400) for _ in range(3)]
    problems += [replace(p, due=rng.integers(0, 90, p.n).astype(float)) for p in problems[::2]]
    for p in problems:
        prefer = rng.random(p.n) < 0.3
        monkeypatch.setattr(optimise, "HIGHS_OPTIONS", ours)
        off = (solve_min_effort(p), solve_min_effort(p, prefer=prefer), solve_max_gain(p))
        monkeypatch.setattr(optimise, "HIGHS_OPTIONS", defaults)
        on = (solve_min_effort(p), solve_min_effort(p, prefer=prefer), solve_max_gain(p))
        for a, b in zip(off, on, strict=True):
            assert (a is None) == (b is None)
            assert a is None or np.array_equal(a, b)
    assert sum(solve_min_effort(p) is not None for p in problems) >= 10


def _bench_shaped(rng, n):
    """A problem as benchmarks/bench_planner.py draws them (gains of a 35-point area): its own
    generator, so the problems are the benchmark's."""
    import importlib.util

    path = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_planner.py"
    spec = importlib.util.spec_from_file_location("bench_planner", path)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    return bench.instance(n, rng)


def test_a_plan_reaches_the_need_by_the_planners_tolerance_not_the_solvers():
    """HiGHS accepts a MIP solution within its own tolerance (1e-6): on these two problems of
    2,000 documents it returned selections 4e-8 and 7.5e-7 points short of ``need``. The planner's
    tolerance is TOL (1e-9), and HiGHS is told so (optimise.HIGHS_OPTIONS)."""
    rng = np.random.default_rng(2001)
    problems = [_bench_shaped(rng, 2000) for _ in range(5)]
    for p in (problems[1], problems[4]):
        x = solve_min_effort(p)
        assert x is not None
        assert p.gain @ x >= p.need - TOL
        for g, cap in enumerate(p.capacity):
            assert p.cost[x & (p.group == g)].sum() <= cap + 1e-7


def test_a_solver_that_does_not_finish_is_reported_not_taken_as_unreachable(tiny_fw, kota, snap, monkeypatch):
    import mcp_lib.plan.optimise as optimise

    class Stopped:
        status, x, message = 1, None, "Time limit reached"

    monkeypatch.setattr(optimise, "milp", lambda *a, **k: Stopped())
    with pytest.raises(optimise.SolverTrouble) as exc:
        certain_plan(tiny_fw, kota, snap, 60)
    assert "status 1" in str(exc.value) and isinstance(exc.value, InputError)


def test_a_solver_answer_without_a_selection_is_trouble(tiny_fw, kota, snap, monkeypatch):
    import mcp_lib.plan.optimise as optimise

    class Odd:
        status, x, message = 0, None, "optimal, but no solution vector"

    monkeypatch.setattr(optimise, "milp", lambda *a, **k: Odd())
    with pytest.raises(optimise.SolverTrouble):
        certain_plan(tiny_fw, kota, snap, 60)


def test_native_output_of_the_solver_is_hidden(capfd):
    """HiGHS prints a stray debug line to the C stdout on some problems (ERGO-Code/HiGHS#2783);
    the planner hides descriptor 1 during a solve and nothing leaks out later."""
    import ctypes
    import ctypes.util
    import os

    from mcp_lib.plan.optimise import _native_stdout_hidden

    libc = ctypes.CDLL(ctypes.util.find_library("c"))
    with _native_stdout_hidden():
        os.write(1, b"raw write\n")
        libc.printf(b"HighsMipSolverData::transformNewIntegerFeasibleSolution tmpSolver.run();\n")
    libc.fflush(None)
    print("after")
    out = capfd.readouterr().out
    assert out == "after\n"


@pytest.mark.slow
def test_a_2025_plan_prints_nothing_from_highs(tmp_path, capfd):
    """A generated 2025 kota whose plan made HiGHS print its debug line before it was hidden."""
    from mcp_lib.framework.folder import load_framework
    from mcp_lib.pemda.settings import load_pemda
    from mcp_lib.plan.targets import plan_targets
    from mcp_lib.sample.generate import generate_pemda_folders

    generate_pemda_folders("Bengkulu", tmp_path, framework_year=2025)
    pemda = load_pemda("kota-bengkulu", tmp_path)
    fw = load_framework(2025)
    plans = plan_targets(fw, pemda, load_period(pemda, fw, "2025-10"), [90.0])
    assert plans and "HighsMip" not in capfd.readouterr().out


def test_settling_documents_by_the_bound_gives_the_same_plans(monkeypatch):
    """After each stage the linear relaxation's bound settles the documents every optimal
    selection holds or leaves out; the plans are the same as solving every stage over all of
    them, with and without due dates and preferred documents."""
    from dataclasses import replace

    from mcp_lib.plan import optimise

    rng = np.random.default_rng(16)
    problems = [_larger(rng, n) for n in (20, 60, 150) for _ in range(3)]
    problems += [replace(p, due=rng.integers(0, 90, p.n).astype(float)) for p in problems[::2]]
    settled_any = False
    real_settle = optimise._Model.settle
    monkeypatch.setattr(optimise, "SETTLE_FROM", 2)  # settle on small problems too (real ones: from 100)

    def counting(self, c, best, x):
        nonlocal settled_any
        out = real_settle(self, c, best, x)
        settled_any |= bool((out.lb < out.ub).sum() < (self.lb < self.ub).sum())
        return out

    for p in problems:
        prefer = rng.random(p.n) < 0.3
        monkeypatch.setattr(optimise._Model, "settle", counting)
        fast = (solve_min_effort(p), solve_min_effort(p, prefer=prefer), solve_max_gain(p))
        monkeypatch.setattr(optimise._Model, "settle", lambda self, c, best, x: self)
        plain = (solve_min_effort(p), solve_min_effort(p, prefer=prefer), solve_max_gain(p))
        for a, b in zip(fast, plain, strict=True):
            assert (a is None) == (b is None)
            assert a is None or np.array_equal(a, b)
    assert settled_any  # the bound does settle documents: a real check
    assert sum(solve_min_effort(p) is not None for p in problems) >= 10
