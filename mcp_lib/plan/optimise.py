"""The 0/1 plan problem in arrays and its solvers: exact and greedy.

:class:`Problem01` holds gains, costs, the points needed, each document's OPD and each OPD's
capacity as numpy arrays; :func:`solve_min_effort` and :func:`solve_max_gain` solve it exactly as
0/1 integer programs (HiGHS through ``scipy.optimize.milp``), :func:`solve_greedy` by gain per
cost. Nothing here knows a framework, a pemda or a snapshot: :mod:`mcp_lib.plan.planner` builds the
arrays and reads the answers.

**Step groups** (issue 29). An indicator scored by a binary, tiered or period/stage rule
(:func:`mcp_lib.framework.methods.tiers`) gains nothing document by document: its score jumps
when enough *units* are met, a unit being a set of documents that must all be in (one document
for binary and tiered rules, all the documents of a period or stage for the others). Such an
indicator is a :class:`StepGroup` in :attr:`Problem01.steps`; its documents have gain 0 in
``Problem01.gain``. The exact solvers add auxiliary 0/1 variables after the n documents x:

- a unit variable ``z_u`` per unit, with ``z_u ≤ x_i`` for each document i of the unit (the unit
  counts only when all its documents are in);
- a step variable ``y_j`` per step of a group's ladder, with ``needed_j · y_j ≤ met + Σ_u z_u``
  over the group's units and ``y_j ≤ y_{j-1}`` (a step only above the one below: implied at any
  optimum, since a step's units reach every step below it, but it keeps ``y`` the steps reached);
- the gain row becomes ``Σ gain_i · x_i + Σ_j (gain_j − gain_{j−1}) · y_j ≥ need`` with
  ``gain_0 = 0`` (gains relative to the score now); :func:`solve_max_gain` maximises that sum.

Costs and every tie-break objective (fewest documents, preferred, due, row order) are over x only
(an auxiliary variable costs 0), and so are the capacity rows: a document that completes no unit
only adds cost, so the least-cost, fewest-documents optimum never holds one. The settling by the
Lagrangian bound (:meth:`_Model.settle`) treats the auxiliary variables like documents (the bound
holds for any 0/1 variable) and :data:`SETTLE_FROM` counts them among the open variables; on
pemda-shaped problems with step groups (160-2,000 documents, a third to a half in groups) the
plans were the same with and without settling, and the times within the machine's noise.
Without step groups the program is exactly the one before them, to the byte of what HiGHS gets.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import re
import sys
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from mcp_lib.errors import InputError, Problem


def milp(*args: Any, **kwargs: Any) -> Any:
    """scipy.optimize.milp, imported on first use: a process that only reads the plans (the
    brief's kernel) never imports scipy (~1.7 s of CPU in every kernel that starts, with
    scipy.special: :func:`mcp_lib.risk.model.expit`)."""
    from scipy.optimize import milp as solve

    hide_verbatim_options_warning()
    return solve(*args, **kwargs)


TOL = 1e-9
"""Tolerance in points of the total: a selection whose gain comes this close to ``need`` reaches it."""


@dataclass(frozen=True)
class StepGroup:
    """One indicator whose score rises by steps (binary, tiered, periods or stages), in the
    arrays of a :class:`Problem01`.

    ``units``: each an int array of document indices (into the problem's arrays) that must all be
    selected for the unit to count; a document is in at most one unit of the whole problem, and
    its ``gain`` in the problem is 0 (the group's steps carry its points). Documents already
    valid are not listed: a unit already met is counted in ``met``, not listed.

    ``met``: how many of the group's units are met now.

    ``ladder``: the steps above the current one, ascending, as ``(units needed in total, gain)``,
    the gain in points of the total relative to now: ``needed > met`` and increasing, gains
    above 0 and increasing, the last step within ``met + len(units)``. E.g. a tiered 0/75/100
    indicator worth 2 points with 3 required documents, one valid: ``met=1``,
    ``ladder=((3, 0.5),)`` (75% of 2 points are already earned; 100% adds 0.5).

    A ladder that breaks these rules is a programming error (``ValueError``).
    """

    units: tuple[np.ndarray, ...]
    met: int
    ladder: tuple[tuple[int, float], ...]

    def __post_init__(self) -> None:
        if int(self.met) != self.met or self.met < 0:
            raise ValueError(f"StepGroup.met must be a whole number ≥ 0, not {self.met!r}")
        for unit in self.units:
            if unit.ndim != 1 or not len(unit) or unit.dtype.kind not in "iu" or len(np.unique(unit)) < len(unit):
                raise ValueError(f"a StepGroup unit must be a non-empty array of distinct integers, not {unit!r}")
        needed = [int(k) for k, _ in self.ladder]
        gains = [float(v) for _, v in self.ladder]
        if any(int(k) != k for k, _ in self.ladder) or needed != sorted(set(needed)):
            raise ValueError(f"StepGroup.ladder needs strictly increasing whole numbers of units: {self.ladder!r}")
        if needed and (needed[0] <= self.met or needed[-1] > self.met + len(self.units)):
            raise ValueError(
                f"StepGroup.ladder steps must lie above met={self.met} and within {self.met + len(self.units)} units"
            )
        if not all(np.isfinite(gains)) or any(b <= a for a, b in zip([0.0, *gains], gains, strict=False)):
            raise ValueError(f"StepGroup.ladder gains must be finite, above 0 and increasing: {self.ladder!r}")

    def count(self, x: np.ndarray) -> int:
        """Units met with selection ``x`` (bool over the problem's documents): ``met`` and the
        listed units whose documents are all selected."""
        return self.met + sum(bool(x[unit].all()) for unit in self.units)

    def gain_at(self, count: int) -> float:
        """The gain of the highest step that ``count`` units reach (0 below the first)."""
        return max((gain for needed, gain in self.ladder if count >= needed), default=0.0)


@dataclass(frozen=True)
class Problem01:
    """A plan problem in arrays. ``group[i]`` is the OPD index of document i; ``capacity[g]``
    is that OPD's person-days until the deadline (``inf`` when unknown). ``steps``: the
    indicators scored by steps (:class:`StepGroup`); none by default, and then the problem is
    the additive one of before (each document's ``gain`` adds up)."""

    gain: np.ndarray
    cost: np.ndarray
    need: float
    group: np.ndarray
    capacity: np.ndarray
    force: np.ndarray  # bool: must be in the plan
    ban: np.ndarray  # bool: may not be in the plan
    due: np.ndarray | None = None  # tie-break: days until due (smaller first)
    steps: tuple[StepGroup, ...] = ()

    def __post_init__(self) -> None:
        if self.steps:
            _check_steps(self)

    @property
    def n(self) -> int:
        return len(self.gain)


def _check_steps(p: Problem01) -> None:
    """``ValueError`` unless the step groups' documents are in range, each in one unit, gain 0."""
    units = [unit for g in p.steps for unit in g.units]
    listed = np.concatenate(units) if units else np.zeros(0, int)
    if listed.size and (listed.min() < 0 or listed.max() >= p.n):
        raise ValueError(f"a StepGroup unit lists a document outside 0..{p.n - 1}")
    if len(np.unique(listed)) < len(listed):
        raise ValueError("a document is listed in more than one StepGroup unit")
    if np.any(p.gain[listed] != 0):
        raise ValueError("the documents of a StepGroup must have gain 0 (the group's ladder carries their points)")


def gain_of(p: Problem01, x: np.ndarray) -> float:
    """The total gain of selection ``x`` (bool over the documents): the documents' own gains and
    the steps that their units reach."""
    total = float(p.gain[x].sum())  # as the planner always summed a selection's gains
    for g in p.steps:
        total += g.gain_at(g.count(x))
    return total


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

_SCIPY_NAMES = {"disp", "presolve", "time_limit", "node_limit", "mip_rel_gap"}
"""The options ``scipy.optimize.milp`` names itself; it passes the others on to HiGHS verbatim."""
_VERBATIM = sorted(set(HIGHS_OPTIONS) - _SCIPY_NAMES)
_VERBATIM_WARNING = re.compile(
    r"Unrecognized options detected: \{(?:'(?:" + "|".join(map(re.escape, _VERBATIM)) + r")'(?:, )?)+\}", re.I
)


def hide_verbatim_options_warning() -> None:
    """Hide scipy's warning, given on every solve, that it passes the HiGHS options it does not
    name (the last four of :data:`HIGHS_OPTIONS`, and only those) to HiGHS verbatim: what they
    are there for. One filter for the process, set when this module is imported and again at a
    solve if something took it away; never one set around each solve: the explorer plans in a
    background thread while the kernel's main thread saves and restores the process's filters
    (pandas does, with ``catch_warnings``), and such a restore in the middle of a solve took a
    filter set around it away (the warning showed in the explorer's test)."""
    if not any(f[1] == _VERBATIM_WARNING and f[0] == "ignore" for f in warnings.filters):
        warnings.filterwarnings("ignore", _VERBATIM_WARNING.pattern, RuntimeWarning)


hide_verbatim_options_warning()

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
    model, aux_gain = _model(p, with_need=True)
    zeros = np.zeros(len(aux_gain))
    x = None
    for k, document_objective in enumerate(objectives):
        objective = _widen(document_objective, zeros)  # auxiliary variables cost 0 in every stage
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
    return None if x is None else x[: p.n]


def _model(p: Problem01, with_need: bool) -> tuple[_Model, np.ndarray]:
    """The 0/1 program of ``p`` over its documents and (with step groups) the auxiliary variables
    after them: the gain row ``≥ need`` (when ``with_need``), the capacity rows, the rows linking
    units and steps to documents (:func:`_links`). Also the auxiliary variables' gains."""
    aux_gain, links, link_ubs = _links(p) if p.steps else (np.zeros(0), [], [])
    cap_rows, cap_ubs = _capacity_rows(p)
    zeros, ones = np.zeros(len(aux_gain)), np.ones(len(aux_gain))
    rows = [*(_widen(row, zeros) for row in cap_rows), *links]
    lbs, ubs = [-np.inf] * len(rows), [*cap_ubs, *link_ubs]
    if with_need:
        rows, lbs, ubs = [_widen(p.gain, aux_gain), *rows], [p.need - TOL, *lbs], [np.inf, *ubs]
    lb = _widen(p.force.astype(float), zeros)
    ub = _widen(np.where(p.ban & ~p.force, 0.0, 1.0), ones)
    return _Model(rows=rows, lbs=lbs, ubs=ubs, lb=lb, ub=ub), aux_gain


def _widen(v: np.ndarray, tail: np.ndarray) -> np.ndarray:
    """``v`` over the documents followed by ``tail`` over the auxiliary variables (``v`` itself
    when there are none: a problem without step groups is the same program as before them)."""
    return np.concatenate([v, tail]) if len(tail) else v


def _links(p: Problem01) -> tuple[np.ndarray, list[np.ndarray], list[float]]:
    """The auxiliary variables of ``p``'s step groups: every unit's ``z``, then every group's
    steps' ``y``. Returns their gains in the gain row (0 for a unit; a step's rise over the step
    below for a step) and the rows linking them, each ``row · v ≤ upper``: ``z_u − x_i ≤ 0``,
    ``y_j − y_{j−1} ≤ 0`` and ``needed_j · y_j − Σ_u z_u ≤ met``."""
    n_units = sum(len(g.units) for g in p.steps)
    width = p.n + n_units + sum(len(g.ladder) for g in p.steps)
    gains, rows, uppers = np.zeros(width - p.n), [], []
    z, y = p.n, p.n + n_units
    for g in p.steps:
        zs = np.arange(z, z + len(g.units))
        for u, unit in zip(zs, g.units, strict=True):
            for i in unit:
                rows.append(_sparse(width, {int(u): 1.0, int(i): -1.0}))
                uppers.append(0.0)
        below = 0.0
        for j, (needed, gain) in enumerate(g.ladder):
            gains[y - p.n], below = gain - below, gain
            rows.append(_sparse(width, {y: float(needed), **dict.fromkeys(zs.tolist(), -1.0)}))
            uppers.append(float(g.met))
            if j:
                rows.append(_sparse(width, {y: 1.0, y - 1: -1.0}))
                uppers.append(0.0)
            y += 1
        z += len(g.units)
    return gains, rows, uppers


def _sparse(width: int, entries: dict[int, float]) -> np.ndarray:
    """A dense row of ``width`` zeros but at ``entries``."""
    row = np.zeros(width)
    row[list(entries)] = list(entries.values())
    return row


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
        from scipy.optimize import Bounds, LinearConstraint

        with _native_stdout_hidden():
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
    model, aux_gain = _model(p, with_need=False)
    x = model.solve(-_widen(p.gain.astype(float), aux_gain))
    if x is None:
        return None
    x = x[: p.n]
    best = gain_of(p, x)
    cheaper = solve_min_effort(replace(p, need=best - 1e-6 * max(1.0, best)), stages=stages)
    # HiGHS may return the first solve at the edge of its feasibility tolerance, so that the
    # refining solve finds nothing: the first solution is then the answer.
    return x if cheaper is None else cheaper


def solve_greedy(p: Problem01) -> np.ndarray | None:
    """Greedy baseline: forced first, then the move of best gain per cost (cost 0 first) within
    capacity until the total gain reaches ``need``; ``None`` when it never gets there.

    A move is a single document outside the step groups, or for a step group the cheapest units
    that lift it to its next step (:func:`_bundle`): a group's documents are only ever taken whole
    units at a time, so the selection holds every step it counts and no part of a unit beyond
    what was forced. Without step groups this is the document order of gain per cost, as before.
    """
    x = p.force.copy()
    used = np.zeros(len(p.capacity))
    np.add.at(used, p.group[x], p.cost[x])
    total = float(p.gain[x].sum()) + sum(g.gain_at(g.count(x)) for g in p.steps)
    with np.errstate(divide="ignore"):
        ratio = np.where(p.cost > 0, p.gain / np.where(p.cost > 0, p.cost, 1), np.inf)
    singles = ~x & ~p.ban
    for g in p.steps:
        for unit in g.units:
            singles[unit] = False
    order = sorted(map(int, np.flatnonzero(singles)), key=lambda i: (-ratio[i], -p.gain[i], i))
    head = 0
    while total < p.need - TOL:
        while head < len(order) and used[p.group[order[head]]] + p.cost[order[head]] > _room(p, order[head]):
            head += 1  # it does not fit now, nor later: capacity only fills up
        moves = [_bundle(p, g, x, used) for g in p.steps]
        if head < len(order):
            i = order[head]
            moves.append(((-float(ratio[i]), -float(p.gain[i]), i), float(p.gain[i]), np.array([i])))
        move = min((m for m in moves if m is not None), key=lambda m: m[0], default=None)
        if move is None:
            break
        _, gain, docs = move
        x[docs] = True
        np.add.at(used, p.group[docs], p.cost[docs])
        total += gain
        if head < len(order) and x[order[head]]:
            head += 1
    return x if total >= p.need - TOL else None


_Move = tuple[tuple[float, float, int], float, np.ndarray]
"""A greedy move: its sort key (−gain per cost, −gain, first document), its gain, its documents."""


def _room(p: Problem01, i: int) -> float:
    """The most that document ``i``'s OPD may use (its capacity and the tolerance)."""
    return float(p.capacity[p.group[i]]) + 1e-7


def _fits_more(p: Problem01, used: np.ndarray, docs: np.ndarray) -> bool:
    """Whether ``docs`` fit in their OPDs' capacities on top of ``used``."""
    more = used.copy()
    np.add.at(more, p.group[docs], p.cost[docs])
    return all(more[p.group[i]] <= _room(p, i) for i in docs)


def _bundle(p: Problem01, g: StepGroup, x: np.ndarray, used: np.ndarray) -> _Move | None:
    """The greedy move that lifts ``g`` from selection ``x`` to its next step: the cheapest open
    units (by their unselected documents' cost), each taken if it still fits the capacities;
    ``None`` when the step is out of reach (no step left, too few units without a banned
    document, or the capacities hold too few)."""
    count = g.count(x)
    step = next(((needed, gain) for needed, gain in g.ladder if needed > count), None)
    if step is None:
        return None
    missing = [unit[~x[unit]] for unit in g.units if not x[unit].all()]
    missing = sorted((d for d in missing if not p.ban[d].any()), key=lambda d: (float(p.cost[d].sum()), int(d.min())))
    chosen: list[np.ndarray] = []
    for docs in missing:
        if len(chosen) == step[0] - count:
            break
        if _fits_more(p, used, np.concatenate([*chosen, docs])):
            chosen.append(docs)
    if len(chosen) < step[0] - count:
        return None
    docs = np.concatenate(chosen)
    cost, gain = float(p.cost[docs].sum()), step[1] - g.gain_at(count)
    return (-gain / cost if cost > 0 else -np.inf, -gain, int(docs.min())), gain, docs
