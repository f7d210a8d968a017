"""The 0/1 plan problem in arrays and its solvers: exact and greedy.

:class:`Problem01` holds gains, costs, the points needed, each document's OPD and each OPD's
capacity as numpy arrays; :func:`solve_min_effort` and :func:`solve_max_gain` solve it exactly as
0/1 integer programs (HiGHS through ``scipy.optimize.milp``), :func:`solve_greedy` by gain per
cost. Nothing here knows a framework, a pemda or a snapshot: :mod:`mcp_lib.plan.planner` builds the
arrays and reads the answers.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import sys
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from mcp_lib.errors import InputError, Problem

TOL = 1e-9
"""Tolerance in points of the total: a selection whose gain comes this close to ``need`` reaches it."""


@dataclass(frozen=True)
class Problem01:
    """A plan problem in arrays. ``group[i]`` is the OPD index of document i; ``capacity[g]``
    is that OPD's person-days until the deadline (``inf`` when unknown)."""

    gain: np.ndarray
    cost: np.ndarray
    need: float
    group: np.ndarray
    capacity: np.ndarray
    force: np.ndarray  # bool: must be in the plan
    ban: np.ndarray  # bool: may not be in the plan
    due: np.ndarray | None = None  # tie-break: days until due (smaller first)

    @property
    def n(self) -> int:
        return len(self.gain)


def _capacity_rows(p: Problem01) -> tuple[list[np.ndarray], list[float]]:
    rows, ubs = [], []
    for g, cap in enumerate(p.capacity):
        if np.isfinite(cap):
            rows.append(np.where(p.group == g, p.cost, 0.0))
            ubs.append(float(cap) + 1e-7)
    return rows, ubs


class SolverTrouble(InputError):
    """HiGHS ended without an optimal answer and without proving there is none (a time or
    iteration limit, numerical trouble): the plan is not silently called unreachable."""

    def __init__(self, status: int, message: str):
        self.status = status
        super().__init__(
            [
                Problem(
                    "perencana (HiGHS)",
                    f"program bilangan bulat tidak terselesaikan (status {status}: {message})",
                    expected="angka usaha (hari-orang) dan kapasitas OPD yang wajar; laporkan bila berulang",
                )
            ]
        )


HIGHS_OPTIONS: dict[str, float | bool] = {
    "mip_rel_gap": 0.0,
    "presolve": False,
    "mip_feasibility_tolerance": TOL,
    "primal_feasibility_tolerance": TOL,
    "mip_heuristic_run_feasibility_jump": False,
    "mip_heuristic_run_rens": False,
}
"""Options of every HiGHS solve (``scipy.optimize.milp`` passes the last four to HiGHS verbatim).

- ``mip_rel_gap`` 0: proven optimal, not within a gap.
- Presolve off: these 0/1 problems are small and dense (one knapsack row, a row per OPD with a
  capacity), and HiGHS's presolve was most of each solve's time while every stage still ends at
  the root; with it off the exact plan at 500 documents took 0.11 s instead of 0.30 s.
- Feasibility tolerances :data:`TOL`: HiGHS's own (1e-6 for a MIP solution) accepted selections
  whose gain fell short of ``need`` by up to 7.5e-7 points (2 of 24 random problems of 2,000
  documents), so a plan said to reach the target did not, by the planner's own :data:`TOL`.
- Two root heuristics off, feasibility jump and RENS: every stage ends at the root node, where
  they took a sixth to a third of the time without finding better selections.

With both changes the exact plan took, median of 12 random problems per size
(``benchmarks/bench_planner.py --baseline 0e65d03``, 2026-12-01), 52 → 43 ms at 500 documents,
59 → 48 ms at 680 and 130 → 134 ms at 2,000 (the tighter tolerance costs ~10% there). The
heuristics' setting gives the same plans as HiGHS's defaults on random problems
(tests/test_optimise.py); the tolerance changed the plans of 2 of 24 problems of 2,000 documents,
exactly the two that HiGHS's own tolerance had left short of ``need``."""

_INFEASIBLE = 2
"""``scipy.optimize.milp`` status when the problem is proven infeasible."""


def _c_fflush() -> Callable[[object], int] | None:
    """The C library's ``fflush`` (``None`` where there is no C library to load, e.g. Windows
    without a named one)."""
    try:
        fflush: Callable[[object], int] = ctypes.CDLL(ctypes.util.find_library("c")).fflush
        return fflush
    except (OSError, AttributeError, TypeError):
        return None


_FFLUSH = _c_fflush()


@contextlib.contextmanager
def _native_stdout_hidden() -> Iterator[None]:
    """Hide what native code writes to standard output (file descriptor 1) while the block runs.

    HiGHS 1.12 (bundled with scipy 1.17) prints a stray debug line,
    ``HighsMipSolverData::transformNewIntegerFeasibleSolution tmpSolver.run();``, straight to the C
    stdout on some problems, even with output off (ERGO-Code/HiGHS#2783). It reached the
    analyst's console in a batch and the executed notebooks. The C buffer is flushed before
    descriptor 1 is restored, so nothing written inside comes out later.
    """
    if _FFLUSH is None:
        yield
        return
    try:
        sys.stdout.flush()
        saved = os.dup(1)
    except (OSError, ValueError, AttributeError):
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        yield
    finally:
        _FFLUSH(None)
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def solve_min_effort(p: Problem01, prefer: np.ndarray | None = None, stages: int = 5) -> np.ndarray | None:
    """Exact least-cost selection with ``Σ gain ≥ need``; ``None`` when infeasible.

    Lexicographic: least cost, then fewest documents, then most ``prefer`` documents (when
    given), then smallest total ``due``, then the earliest documents in the caller's row order
    (e.g. sorted by code); each stage is a solve with the previous optimum as a constraint.
    ``stages`` limits how many of these are solved (1: least cost only).
    """
    if p.n == 0:
        return np.zeros(0, bool) if p.need <= TOL else None
    objectives = [p.cost.astype(float), np.ones(p.n)]
    if prefer is not None and prefer.any():
        objectives.append(-np.asarray(prefer, float))
    if p.due is not None:
        objectives.append(np.asarray(p.due, float))
    objectives.append(np.arange(p.n, dtype=float))
    return _lexicographic(p, objectives[: max(1, stages)])


def _lexicographic(p: Problem01, objectives: list[np.ndarray]) -> np.ndarray | None:
    """Each objective's optimum in turn, the previous ones kept at their optimum.

    After each stage but the last, the documents that every selection at that optimum must
    hold, or must leave out, are settled by the linear relaxation's bound (:meth:`_Model.settle`)
    and the next stages solve over the others only: the same answer over far fewer documents
    (at 2,000 documents the tie-break stages take ~0.15 s instead of ~1.2 s).
    """
    cap_rows, cap_ubs = _capacity_rows(p)
    model = _Model(
        rows=[p.gain, *cap_rows],
        lbs=[p.need - TOL, *([-np.inf] * len(cap_rows))],
        ubs=[np.inf, *cap_ubs],
        lb=p.force.astype(float),
        ub=np.where(p.ban & ~p.force, 0.0, 1.0),
    )
    x = None
    for k, objective in enumerate(objectives):
        try:
            y = model.solve(objective, whole=k == 0)
        except SolverTrouble:
            if x is None:
                raise
            y = None
        if y is None:
            if x is None:
                return None
            break  # a tie-break stage in numerical trouble: keep the previous optimum
        x = y
        if k + 1 < len(objectives):
            best = float(objective @ x)
            model = model.with_row(objective, best + 1e-7 * max(1.0, abs(best))).settle(objective, best, x)
    return x


SETTLE_FROM = 100
"""Documents are settled by the bound only when at least this many are open: on smaller problems
(a real pemda has 36–122 candidates) HiGHS solves each stage faster than the linear solve that
would settle them (measured on the sample's scenarios: 1.55–1.80 s without settling, 1.83–1.99 s
with it at any size)."""


@dataclass(frozen=True)
class _Model:
    """A 0/1 program over all documents: rows ``lbs ≤ row·x ≤ ubs`` and each document's bounds
    ``lb ≤ x ≤ ub`` (equal once settled: forced, banned, or settled by a bound)."""

    rows: list[np.ndarray]
    lbs: list[float]
    ubs: list[float]
    lb: np.ndarray
    ub: np.ndarray

    def with_row(self, row: np.ndarray, upper: float) -> _Model:
        return replace(self, rows=[*self.rows, row], lbs=[*self.lbs, -np.inf], ubs=[*self.ubs, upper])

    def _reduced(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The open documents, and the rows over them with the settled documents' share moved
        into the rows' bounds: ``(open, matrix, lower, upper)``."""
        free = self.lb < self.ub
        matrix = np.vstack(self.rows) if self.rows else np.zeros((0, len(self.lb)))
        fixed = matrix[:, ~free] @ self.lb[~free]
        return free, matrix[:, free], np.asarray(self.lbs, float) - fixed, np.asarray(self.ubs, float) - fixed

    def solve(self, c: np.ndarray, whole: bool = False) -> np.ndarray | None:
        """One HiGHS solve: the selection, ``None`` when proven infeasible; raises
        :class:`SolverTrouble` for any other outcome that is not optimal. ``whole``: give HiGHS
        every document with its bounds rather than the open ones only (for the first stage:
        over 16 problems of 500 documents and 6 of 2,000 it found the first optimum sooner so,
        median 96 against 110 ms and 223 against 292 ms for the whole plan)."""
        if whole:
            free = np.ones(len(self.lb), bool)
            matrix = np.vstack(self.rows) if self.rows else np.zeros((0, len(self.lb)))
            lower, upper, low, high = np.asarray(self.lbs, float), np.asarray(self.ubs, float), self.lb, self.ub
        else:
            free, matrix, lower, upper = self._reduced()
            low, high = np.zeros(int(free.sum())), np.ones(int(free.sum()))
        x = self.lb > 0.5
        if not free.any():
            ok = bool(np.all(lower <= 1e-9) and np.all(upper >= -1e-9))  # the rows at the settled documents
            return x if ok else None
        with _native_stdout_hidden(), warnings.catch_warnings():
            # scipy warns that it passes the options it does not name to HiGHS verbatim: wanted.
            # (Should two threads race here, what may outlive them is this one narrow filter.)
            warnings.filterwarnings("ignore", "Unrecognized options detected", RuntimeWarning)
            res = milp(
                c[free],
                integrality=np.ones(int(free.sum())),
                bounds=Bounds(low, high),
                constraints=[LinearConstraint(matrix, lower, upper)] if len(matrix) else [],
                options=HIGHS_OPTIONS,
            )
        if res.status == _INFEASIBLE:
            return None
        if res.status != 0 or res.x is None:
            raise SolverTrouble(int(res.status), str(res.message))
        x[free] = res.x > 0.5
        return x

    def settle(self, c: np.ndarray, best: float, x: np.ndarray) -> _Model:
        """This model with the documents settled that every selection of ``c·x ≤ best`` holds
        (or leaves out): those whose leaving out (or taking) alone lifts a lower bound on
        ``c·x`` above ``best``. The bound is the Lagrangian of the linear relaxation's
        multipliers (weak duality: valid for any multipliers of the right sign, so a poor linear
        solve only settles fewer documents). ``x``, an optimum, must agree with what is settled;
        if rounding ever made it disagree, nothing is settled."""
        from scipy.optimize import linprog

        free, matrix, lower, upper = self._reduced()
        if free.sum() < SETTLE_FROM:
            return self
        up, low = np.isfinite(upper), np.isfinite(lower)
        a_ub = np.vstack([matrix[up], -matrix[low]])  # every row as ≤
        b_ub = np.concatenate([upper[up], -lower[low]])
        cost = c[free]
        with _native_stdout_hidden():
            res = linprog(cost, A_ub=a_ub, b_ub=b_ub, bounds=(0.0, 1.0), method="highs")
        if res.status != 0:
            return self
        lam = np.maximum(0.0, -np.asarray(res.ineqlin.marginals, float))
        reduced = cost + lam @ a_ub
        bound = float(-lam @ b_ub + np.minimum(0.0, reduced).sum() + c[~free] @ self.lb[~free])
        margin = 1e-6 * max(1.0, abs(best))  # above the stages' own tolerance on the optimum (1e-7)
        must_out = bound + np.maximum(0.0, reduced) > best + margin
        must_in = bound + np.maximum(0.0, -reduced) > best + margin
        if (must_out & x[free]).any() or (must_in & ~x[free]).any() or (must_in & must_out).any():
            return self
        lb, ub = self.lb.copy(), self.ub.copy()
        index = np.flatnonzero(free)
        lb[index[must_in]] = 1.0
        ub[index[must_out]] = 0.0
        return replace(self, lb=lb, ub=ub)


def solve_max_gain(p: Problem01, stages: int = 5) -> np.ndarray | None:
    """The selection of largest total gain within the capacities (least cost among those, with
    the tie-breaks of :func:`solve_min_effort` up to ``stages``)."""
    if p.n == 0:
        return np.zeros(0, bool)
    cap_rows, cap_ubs = _capacity_rows(p)
    model = _Model(
        cap_rows, [-np.inf] * len(cap_rows), cap_ubs, p.force.astype(float), np.where(p.ban & ~p.force, 0.0, 1.0)
    )
    x = model.solve(-p.gain.astype(float))
    if x is None:
        return None
    best = float(p.gain @ x)
    cheaper = solve_min_effort(replace(p, need=best - 1e-6 * max(1.0, best)), stages=stages)
    # HiGHS may return the first solve at the edge of its feasibility tolerance, so that the
    # refining solve finds nothing: the first solution is then the answer.
    return x if cheaper is None else cheaper


def solve_greedy(p: Problem01) -> np.ndarray | None:
    """Greedy baseline: forced first, then by gain per cost (cost 0 first) within capacity until
    ``Σ gain ≥ need``; ``None`` when it never gets there."""
    x = p.force.copy()
    used = np.zeros(len(p.capacity))
    np.add.at(used, p.group[x], p.cost[x])
    total = float(p.gain[x].sum())
    with np.errstate(divide="ignore"):
        ratio = np.where(p.cost > 0, p.gain / np.where(p.cost > 0, p.cost, 1), np.inf)
    order = sorted(np.flatnonzero(~x & ~p.ban), key=lambda i: (-ratio[i], -p.gain[i], i))
    for i in order:
        if total >= p.need - TOL:
            break
        g = p.group[i]
        if used[g] + p.cost[i] > p.capacity[g] + 1e-7:
            continue
        x[i] = True
        used[g] += p.cost[i]
        total += p.gain[i]
    return x if total >= p.need - TOL else None
