"""The path to the target: which remaining documents lift the verified score at least effort.

A **candidate** is every applicable document not fully verified. Its **gain** is the points of
the total score it adds when verified in full, ``effective weight × (points − verified)``
(see :mod:`mcp_lib.scoring`: all three weight levels and the not-applicable renormalisation).
Its **cost** is ``effort_days`` (person-days), or :data:`DEFAULT_EFFORT` by status when blank.

Documents already uploaded (``diunggah``) cost nothing and are always in the plan ("kawal
verifikasi": follow them up with the verifier). Two plans are made for each target:

- the **minimal plan**: the least effort if every planned document is accepted in full, an
  exact 0/1 integer program (``scipy.optimize.milp``, HiGHS)::

      minimise Σ cost·x   subject to   current + Σ gain·x ≥ target,
                                       Σ_{OPD o} cost·x ≤ capacity_o   for each OPD with a capacity,
                                       x = 0 for blocked (unless allowed) and ruled-out documents,
                                       x = 1 for must-do and uploaded documents;

  ties broken by further solves: fewer documents, then earlier due dates, then document code;
- the **plan with reserve** (the recommendation): the least effort whose chance of reaching the
  target under the verification-risk model (:mod:`mcp_lib.risk`) is at least ``confidence``
  (default 0.8). It solves the same program with each document's *expected* gain and a raised
  target ``target + β``, estimates the chance by Monte Carlo on common random numbers, bisects
  on ``β`` and keeps the cheapest plan that passes; then drops documents the chance does not
  need and swaps costly documents for cheaper ones that keep it. The documents it adds to the
  minimal plan are the **reserve** (``cadangan``).

Documents are scheduled month by month within each OPD's capacity until the planning horizon
(the pemda's deadline or the upload close, whichever comes first); a document uploaded earlier
has more time for a re-upload before the close, so its risk is lower.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import datetime as dt
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp

from mcp_lib.errors import InputError, Problem
from mcp_lib.framework import DEFAULT_LEVELS, Framework, Level
from mcp_lib.mcp_calendar import Calendar
from mcp_lib.risk import RETURNED, Draws, band, chance, risk_inputs
from mcp_lib.risk_params import RiskParams
from mcp_lib.scoring import Scores, penalty_points, score_documents, score_snapshot
from mcp_lib.status import Pemda, Snapshot, pemda_calendar
from mcp_lib.trend import DAYS_PER_MONTH, months_between

DEFAULT_EFFORT: dict[str, float] = {
    "belum": 10.0,
    "perlu_perbaikan": 5.0,
    "diverifikasi": 5.0,  # verified in part: a revision, like perlu_perbaikan
    "disiapkan": 4.0,
    "diunggah": 0.0,
}
"""Person-days assumed when ``effort_days`` is blank, by status: starting from nothing costs
most, revising a rejected document less, finishing one in preparation least; an uploaded
document needs no more work from the OPD."""

ACTIONS = {
    "belum": "siapkan dan unggah",
    "disiapkan": "selesaikan dan unggah",
    "perlu_perbaikan": "perbaiki dan unggah ulang",
    "diverifikasi": "lengkapi dan unggah ulang",
    "diunggah": "kawal verifikasi",
}
REASONS = {
    "sudah diunggah": "already uploaded: follow up with the verifier",
    "wajib": "must-do (asked by the user)",
    "target": "in the minimal plan",
    "cadangan": "reserve: added so that the chance reaches the confidence",
}
"""Why a document is in the plan (the ``reason`` column)."""
_TOL = 1e-9


# --- array-level solvers (unit- and property-tested directly) --------------------------------


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
                    "perencana (HiGHS)", f"program bilangan bulat tidak terselesaikan (status {status}: {message})",
                    expected="angka usaha (hari-orang) dan kapasitas OPD yang wajar; laporkan bila berulang",
                )
            ]
        )  # fmt: skip


_INFEASIBLE = 2
"""``scipy.optimize.milp`` status when the problem is proven infeasible."""


def _c_fflush() -> object | None:
    """The C library's ``fflush`` (``None`` where there is no C library to load, e.g. Windows
    without a named one)."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c")).fflush
    except (OSError, AttributeError, TypeError):
        return None


_FFLUSH = _c_fflush()


@contextlib.contextmanager
def _native_stdout_hidden():
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


def _solve(c: np.ndarray, p: Problem01, rows: list, lbs: list, ubs: list) -> np.ndarray | None:
    """One HiGHS solve: the selection, ``None`` when proven infeasible; raises
    :class:`SolverTrouble` for any other outcome that is not optimal."""
    lb = p.force.astype(float)
    ub = np.where(p.ban & ~p.force, 0.0, 1.0)
    cons = [LinearConstraint(np.vstack(rows), np.array(lbs), np.array(ubs))] if rows else []
    with _native_stdout_hidden():
        res = milp(
            c, integrality=np.ones(p.n), bounds=Bounds(lb, ub), constraints=cons, options={"mip_rel_gap": 0.0}
        )
    if res.status == _INFEASIBLE:
        return None
    if res.status != 0 or res.x is None:
        raise SolverTrouble(int(res.status), str(res.message))
    return res.x > 0.5


def solve_min_effort(p: Problem01, prefer: np.ndarray | None = None, stages: int = 5) -> np.ndarray | None:
    """Exact least-cost selection with ``Σ gain ≥ need``; ``None`` when infeasible.

    Lexicographic: least cost, then fewest documents, then most ``prefer`` documents (when
    given), then smallest total ``due``, then the earliest documents in the caller's row order
    (e.g. sorted by code); each stage is a solve with the previous optimum as a constraint.
    ``stages`` limits how many of these are solved (1: least cost only).
    """
    if p.n == 0:
        return np.zeros(0, bool) if p.need <= _TOL else None
    cap_rows, cap_ubs = _capacity_rows(p)
    rows = [p.gain, *cap_rows]
    lbs = [p.need - _TOL, *([-np.inf] * len(cap_rows))]
    ubs = [np.inf, *cap_ubs]
    objectives = [p.cost.astype(float), np.ones(p.n)]
    if prefer is not None and prefer.any():
        objectives.append(-np.asarray(prefer, float))
    if p.due is not None:
        objectives.append(np.asarray(p.due, float))
    objectives.append(np.arange(p.n, dtype=float))
    objectives = objectives[: max(1, stages)]
    x = None
    for k, objective in enumerate(objectives):
        if x is not None:
            prev = objectives[k - 1]
            best = float(prev @ x)
            rows, lbs, ubs = [*rows, prev], [*lbs, -np.inf], [*ubs, best + 1e-7 * max(1.0, abs(best))]
        try:
            y = _solve(objective, p, rows, lbs, ubs)
        except SolverTrouble:
            if x is None:
                raise
            y = None
        if y is None:
            if x is None:
                return None
            break  # a tie-break stage in numerical trouble: keep the previous optimum
        x = y
    return x


def solve_max_gain(p: Problem01, stages: int = 5) -> np.ndarray | None:
    """The selection of largest total gain within the capacities (least cost among those, with
    the tie-breaks of :func:`solve_min_effort` up to ``stages``)."""
    if p.n == 0:
        return np.zeros(0, bool)
    cap_rows, cap_ubs = _capacity_rows(p)
    rows = cap_rows
    x = _solve(-p.gain.astype(float), p, rows, [-np.inf] * len(rows), cap_ubs)
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
        if total >= p.need - _TOL:
            break
        g = p.group[i]
        if used[g] + p.cost[i] > p.capacity[g] + 1e-7:
            continue
        x[i] = True
        used[g] += p.cost[i]
        total += p.gain[i]
    return x if total >= p.need - _TOL else None


# --- candidates ---------------------------------------------------------------------------


def candidates(
    framework: Framework,
    pemda: Pemda | str,
    snapshot: Snapshot,
    *,
    default_effort: Mapping[str, float] | None = None,
    effort: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Every applicable document not fully verified, with ``gain`` and ``cost``.

    Parameters
    ----------
    default_effort
        Person-days by status where ``effort_days`` is blank (merged over :data:`DEFAULT_EFFORT`).
    effort
        Person-days per document code, overriding the file.
    """
    docs = score_documents(framework, pemda, snapshot)
    return _select_candidates(docs, default_effort, effort)


def _select_candidates(
    docs: pd.DataFrame,
    default_effort: Mapping[str, float] | None,
    effort: Mapping[str, float] | None,
) -> pd.DataFrame:
    """:func:`candidates` from already scored documents (:func:`score_documents`); ``row`` is
    the document's row in ``docs``."""
    cand = docs[docs["applicable"] & (docs["open"] > 1e-12)].copy()
    cand["row"] = np.flatnonzero((docs["applicable"] & (docs["open"] > 1e-12)).to_numpy())
    defaults = {**DEFAULT_EFFORT, **(default_effort or {})}
    cost = cand["effort_days"].astype(float)
    cost = cost.where(cost.notna(), cand["status"].map(defaults).astype(float))
    cost = cost.where(cand["status"] != "diunggah", 0.0)
    if effort:
        cost = cand["doc_code"].map(effort).astype(float).fillna(cost)
    cand["cost"] = cost
    cand["gain"] = cand["open"]
    # "Blocked" means one thing everywhere: a document still to be delivered (not started, in
    # preparation, returned) that waits for an outside body (mcp_lib.scoring's ``blocked``). An
    # uploaded document with a blocker text is not held back; its risk still counts the blocker.
    cand["blocked"] = cand["blocked"].astype(bool)
    cand["action"] = cand["status"].map(ACTIONS)
    return cand.reset_index(drop=True)


# --- plans ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    """A plan in three numbers: documents, person-days and chance (0–1) of reaching the target."""

    documents: int
    effort: float
    chance: float

    def as_dict(self) -> dict:
        return {"documents": self.documents, "effort": self.effort, "chance": self.chance}


@dataclass(frozen=True)
class Verdict:
    """The answer for one target: can it be reached, at what effort, with what chance.

    Scores in percent; efforts in person-days; probabilities 0–1. ``documents``, ``effort``,
    ``score_after`` and ``p_target`` describe the recommended plan (with reserve when needed).

    Attributes
    ----------
    reachable
        Whether the target can be reached within the constraints if every planned document is
        accepted. When not, ``score_after`` is the best reachable score and ``shortfall`` the gap.
    exact_effort, greedy_effort
        Least effort that reaches the target if every document is accepted (the minimal plan)
        and the greedy baseline's effort; ``None`` when the target is out of reach (greedy: when
        greedy does not get there).
    minimal
        The minimal plan: documents, effort and its chance under verification risk.
    reserve_documents, reserve_effort
        What the recommended plan adds to the minimal one (documents it no longer needs are
        subtracted from the effort).
    p_target
        Chance the recommended plan reaches the target.
    p_max
        Highest chance found within the constraints (all that capacity allows); equals
        ``p_target`` when the confidence is met.
    p_uploaded
        Chance of reaching the target with only what is uploaded so far.
    final_band
        10%, 50% and 90% quantiles of the final score with the recommended plan.
    limits
        When the confidence cannot be met: what limits the chance, in Bahasa Indonesia.
    """

    target: float
    reachable: bool
    current: float
    score_after: float
    shortfall: float
    effort: float
    documents: int
    exact_effort: float | None
    greedy_effort: float | None
    p_target: float
    p_max: float
    p_uploaded: float
    confidence: float
    confidence_met: bool
    minimal: Option | None = None
    reserve_documents: int = 0
    reserve_effort: float = 0.0
    final_band: tuple[float, float, float] = (float("nan"),) * 3
    limits: tuple[str, ...] = ()
    uploaded_reach: bool = False
    """Whether what is uploaded so far reaches the target if all of it is accepted."""

    @property
    def recommended(self) -> Option:
        return Option(self.documents, self.effort, self.p_target)

    def as_dict(self) -> dict:
        """The verdict machine-readably (``mcp plan --json``)."""
        return {
            "target": self.target, "reachable": self.reachable, "current": self.current,
            "minimal": None if self.minimal is None else self.minimal.as_dict(),
            "reserve": {**self.recommended.as_dict(),
                        "extra_documents": self.reserve_documents if self.minimal is not None else None,
                        "extra_effort": self.reserve_effort if self.minimal is not None else None},
            "confidence": self.confidence, "confidence_met": self.confidence_met,
            "score_after": self.score_after, "shortfall": self.shortfall, "p_max": self.p_max,
            "p_uploaded": self.p_uploaded, "uploaded_reach": self.uploaded_reach, "greedy_effort": self.greedy_effort,
            "final_band": {"p10": self.final_band[0], "median": self.final_band[1], "p90": self.final_band[2]},
            "limits": list(self.limits),
        }  # fmt: skip


@dataclass(frozen=True, eq=False)
class Plan:
    """A plan for one target.

    Attributes
    ----------
    documents
        The recommended plan, in scheduled order: document, sub-indicator, indicator, area, OPD,
        status, action, ``gain`` (points of the total), ``effort`` (person-days), ``p_full``
        (chance it is accepted in full) and ``expected`` (its expected gain), ``due_date`` (from
        the file), ``finish`` and ``due_month`` (scheduled), ``reason`` (see :data:`REASONS`),
        ``reserve`` (not in the minimal plan) and ``cumulative_score``.
    minimal
        The codes of the minimal plan's documents.
    by_opd
        Per OPD: documents, effort, capacity until the deadline, points.
    greedy
        The greedy plan (same columns, unscheduled), empty when greedy cannot reach the target.
    obstacles
        What stands in the way: blocked or ruled-out documents and OPDs whose capacity binds.
    blocked
        Blocked candidates (an outside body holds them up), with their gain.
    schedule
        Month-end score curve: ``date, series, score`` with series ``realisasi`` (snapshots),
        ``rencana`` (all planned documents accepted), and the plan under verification risk:
        ``rencana p10``, ``rencana median``, ``rencana p90`` (at each month end of the horizon,
        and at the final date, after QA: the verdict's ``final_band``).
    calendar
        The upload close and final date used.
    horizon
        Last day work can be planned: the pemda's deadline or the upload close, the earlier.
    """

    verdict: Verdict
    documents: pd.DataFrame
    by_opd: pd.DataFrame
    greedy: pd.DataFrame
    obstacles: pd.DataFrame
    blocked: pd.DataFrame
    schedule: pd.DataFrame
    minimal: tuple[str, ...] = ()
    calendar: Calendar | None = None
    horizon: dt.date | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def reserve(self) -> pd.DataFrame:
        """The reserve documents: in the recommended plan, not in the minimal one."""
        return self.documents[self.documents["reserve"]]

    @property
    def dropped(self) -> tuple[str, ...]:
        """Minimal-plan documents the recommended plan does without (replaced by surer ones)."""
        have = set(self.documents["doc_code"])
        return tuple(c for c in self.minimal if c not in have)


def plan_columns(levels: tuple[Level, ...] = DEFAULT_LEVELS) -> list[str]:
    """Columns of a plan: the document, its items from the lowest level up (code and name), then
    who, what and how much."""
    items = [col for level in reversed(levels) for col in (level.code, level.title)]
    return [
        "doc_code", "doc_name", *items, "opd", "status", "action", "gain", "effort", "p_full", "expected",
        "due_date", "blocker",
    ]  # fmt: skip


PLAN_COLUMNS = plan_columns()
"""Columns of a plan on a three-level framework (2023, 2024)."""


def _capacity_per_month(
    pemda: Pemda | None, opds: Sequence[str], capacity: Mapping[str, float] | None
) -> np.ndarray:
    per_month = {o.name: o.capacity_days for o in pemda.opds} if pemda is not None else {}
    per_month.update(capacity or {})
    return np.array([per_month[o] if per_month.get(o) is not None else np.inf for o in opds], float)


def _check_codes(docs: Iterable[str], what: str, all_codes: set[str]) -> list[Problem]:
    return [
        Problem(what, "kode dokumen tidak dikenal", value=code, expected="kode dari evidence.csv")
        for code in docs
        if code not in all_codes
    ]


def _due_days(cand: pd.DataFrame, start: dt.date, deadline: dt.date) -> np.ndarray:
    far = (deadline - start).days + 366
    due = pd.to_datetime(cand["due_date"])
    days = (due - pd.Timestamp(start)).dt.days
    return days.fillna(far).to_numpy(float)


class _Schedule:
    """Finish dates of a set of candidates, in days after the snapshot.

    Per OPD, earliest due first (then code), one after the other at the OPD's monthly capacity;
    without a capacity, by its due date (or within a month when it has none or it has passed).
    Uploaded documents and those without effort are expected at the next verification, a month
    on. Nothing finishes after the horizon.
    """

    def __init__(
        self, cand: pd.DataFrame, group: np.ndarray, per_month: np.ndarray, start: dt.date, horizon: dt.date
    ):
        self.group, self.per_month = group, per_month
        self.cost = cand["cost"].to_numpy(float)
        self.quick = (cand["status"] == "diunggah").to_numpy() | (self.cost <= 0)
        self.horizon_days = float(max((horizon - start).days, 0))
        due = (pd.to_datetime(cand["due_date"]) - pd.Timestamp(start)).dt.days.to_numpy(float)
        self.due_sort = np.where(np.isnan(due), self.horizon_days, due)
        self.by_due = (due > 0) & (due <= self.horizon_days)
        self.due = np.where(self.by_due, due, DAYS_PER_MONTH)
        self.order = np.lexsort((np.arange(len(cand)), self.due_sort, group))

    def finish_days(self, x: np.ndarray) -> np.ndarray:
        """Days after the snapshot each document of ``x`` (bool) finishes (NaN elsewhere)."""
        out = np.full(len(x), np.nan)
        chosen = self.order[x[self.order]]
        per = self.per_month[self.group[chosen]]
        work = np.where(self.quick[chosen] | ~(np.isfinite(per) & (per > 0)), 0.0, self.cost[chosen])
        # running months of work per OPD, in queue order
        months = np.zeros(len(chosen))
        with np.errstate(divide="ignore", invalid="ignore"):
            step = np.where(work > 0, work / per, 0.0)
        g = self.group[chosen]
        if len(chosen):
            csum = np.cumsum(step)
            starts = np.r_[0, np.flatnonzero(np.diff(g)) + 1]
            offset = np.repeat(csum[starts] - step[starts], np.diff(np.r_[starts, len(chosen)]))
            months = csum - offset
        days = np.where(
            self.quick[chosen], DAYS_PER_MONTH,
            np.where(work > 0, months * DAYS_PER_MONTH, self.due[chosen]),
        )  # fmt: skip
        out[chosen] = np.minimum(days, self.horizon_days)
        return out


class _Chances:
    """The chance of any plan, on one set of common random numbers (:class:`mcp_lib.risk.Draws`).

    ``scores(x)`` is the final score in every draw if the plan ``x`` (bool per candidate) is
    carried out on schedule: what is verified (less the QA risk) plus each planned document's
    share of its gain. New documents uploaded earlier have more time for a re-upload; uploaded
    and returned documents count from the snapshot date.
    """

    def __init__(
        self, docs: pd.DataFrame, cand: pd.DataFrame, params: RiskParams, schedule: _Schedule,
        start: dt.date, close: dt.date, current: float, target: float, draws: int, seed: int,
    ):  # fmt: skip
        self.inputs = risk_inputs(docs, params)
        self.draws = Draws(self.inputs, params, draws, seed)
        self.row = cand["row"].to_numpy(int)
        self.gain = cand["gain"].to_numpy(float)
        self.schedule = schedule
        self.to_close = (close - start).days
        self.new = self.inputs.kind[self.row] != RETURNED
        self.new &= (cand["status"] != "diunggah").to_numpy()
        status = docs["status"].to_numpy()
        decided = docs["applicable"].to_numpy() & np.isin(status, ("diverifikasi", "perlu_perbaikan"))
        whole = docs["verified_points"].fillna(0).to_numpy(float) >= docs["points"].to_numpy(float) - 1e-9
        self.draws.condition(
            np.flatnonzero(decided & (status == "diverifikasi") & whole),
            np.flatnonzero(decided & ~((status == "diverifikasi") & whole)),
        )
        self.weights = self.draws.weights
        self.base = current - self.draws.qa_loss()
        self.target = target
        self._cache: dict[bytes, np.ndarray] = {}
        self._columns: dict[tuple[int, int], np.ndarray] = {}
        self.n_draws = self.draws.n

    @property
    def n(self) -> float:
        """Effective number of draws."""
        return self.draws.effective

    def months(self, x: np.ndarray, finish: np.ndarray | None = None) -> np.ndarray:
        """Months before the close at which each document of ``x`` goes to the verifier (on the
        day its scheduled finish falls on)."""
        if finish is None:
            finish = self.schedule.finish_days(x)
        upload = np.where(self.new, np.floor(finish), 0.0)
        return np.maximum(self.to_close - upload, 0.0) / DAYS_PER_MONTH

    def columns(self, x: np.ndarray, months: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The candidates of ``x`` and their contributions in each draw (draws × len).

        Columns are kept per document and upload day (a plan search asks for the same ones again
        and again; only a document whose schedule moved is drawn anew)."""
        idx = np.flatnonzero(x)
        m = self.months(x) if months is None else months
        keys = [(int(i), round(float(m[i]) * DAYS_PER_MONTH)) for i in idx]
        missing = [k for k in dict.fromkeys(keys) if k not in self._columns]
        if missing:
            rows = np.array([k[0] for k in missing], int)
            fresh = self.draws.fractions(
                self.row[rows], np.array([k[1] for k in missing], float) / DAYS_PER_MONTH
            )
            fresh *= self.gain[rows].astype(np.float32)
            if len(self._columns) + len(missing) > 4096:
                self._columns.clear()
            for j, k in enumerate(missing):
                self._columns[k] = fresh[:, j]
        if not keys:
            return idx, np.empty((self.n_draws, 0), np.float32)
        return idx, np.column_stack([self._columns[k] for k in keys])

    def scores(self, x: np.ndarray) -> np.ndarray:
        key = np.packbits(x).tobytes()
        hit = self._cache.get(key)
        if hit is None:
            _idx, contrib = self.columns(x)
            hit = self.base + contrib.sum(axis=1, dtype=np.float64)
            if len(self._cache) > 256:
                self._cache.clear()
            self._cache[key] = hit
        return hit

    def chance(self, x: np.ndarray, target: float | None = None) -> float:
        return chance(self.scores(x), self.target if target is None else target, self.weights)

    def expected_fraction(self, finish: np.ndarray) -> np.ndarray:
        """Mean share of its gain each candidate obtains when it finishes at ``finish`` (days)."""
        m = np.maximum(self.to_close - np.where(self.new, finish, 0.0), 0.0) / DAYS_PER_MONTH
        return (self.weights @ self.draws.fractions(self.row, m)).astype(float)


def _alone_finish(sched: _Schedule) -> np.ndarray:
    """Finish of each candidate if it were the first in its OPD's queue (an optimistic guess
    used to weigh candidates before the plan is known)."""
    out = np.empty(len(sched.cost))
    for i in range(len(out)):
        x = np.zeros(len(out), bool)
        x[i] = True
        out[i] = sched.finish_days(x)[i]
    return out


def plan_path(
    framework: Framework,
    pemda: Pemda,
    snapshot: Snapshot,
    target: float | None = None,
    *,
    capacity: Mapping[str, float] | None = None,
    use_capacity: bool = True,
    allow_blocked: bool = False,
    must: Iterable[str] = (),
    exclude: Iterable[str] = (),
    default_effort: Mapping[str, float] | None = None,
    effort: Mapping[str, float] | None = None,
    risk: RiskParams | None = None,
    calendar: Calendar | None = None,
    confidence: float = 0.8,
    draws: int = 10_000,
    seed: int = 0,
    history: pd.DataFrame | None = None,
    within: Iterable[str] | None = None,
    include: Iterable[str] = (),
) -> Plan:
    """Minimal plan and plan with reserve to lift the verified score to ``target`` (default: the
    pemda's).

    Parameters
    ----------
    capacity
        Person-days per month per OPD, overriding ``pemda.toml``; the plan may use
        ``capacity × months until the horizon``. ``use_capacity=False`` ignores capacities.
    allow_blocked
        Let the plan use documents held up by an outside body (``blocker`` filled); they count
        only if the blocker clears by the close (:mod:`mcp_lib.risk`).
    must, exclude
        Document codes that must be in the plan / that the user rules out (an excluded document
        that is already uploaded counts as not accepted).
    risk
        Verification-risk parameters (default: the pemda's, ``[risiko]`` of ``pemda.toml``).
    calendar
        Upload close and final date (default: :func:`mcp_lib.status.pemda_calendar`).
    confidence
        Wanted chance (0–1) of reaching the target given verification risk; 0 keeps the minimal
        plan.
    draws, seed
        Monte Carlo draws (rounded up to a multiple of 100) and seed: the same inputs give the
        same plan.
    history
        Scores per snapshot (:func:`mcp_lib.trend.score_history`) for the ``realisasi`` series.
    within, include
        Used by :func:`plan_targets` to nest plans: restrict to / force these documents.

    Returns
    -------
    Plan
        Never raises for an unreachable target: the verdict says so and ``obstacles`` why.
    """
    target = float(pemda.target if target is None else target)
    params = pemda.risk if risk is None else risk
    calendar = calendar or pemda_calendar(pemda, framework)
    horizon, closed, notes = planning_horizon(pemda.deadline, calendar, snapshot.date)
    docs = score_documents(framework, pemda, snapshot)  # scored once: current score and candidates
    # After the year's penalty: the target must be reached after the deduction.
    current = float(docs.loc[docs["applicable"], "earned"].sum()) - penalty_points(framework, pemda)
    cand = _select_candidates(docs, default_effort, effort)
    cand = cand.sort_values("doc_code", kind="stable").reset_index(drop=True)
    must, exclude, include = set(must), set(exclude), set(include)
    all_codes = set(framework.documents["doc_code"])
    problems = _check_codes(must, "--must", all_codes) + _check_codes(exclude, "--exclude", all_codes)
    problems += [
        Problem("--must", "dokumen wajib sekaligus dikecualikan", value=c) for c in sorted(must & exclude)
    ]
    if problems:
        raise InputError(problems)

    months = max(0.0, months_between(snapshot.date, horizon))
    opds = sorted(cand["opd"].unique())
    group = cand["opd"].map({o: i for i, o in enumerate(opds)}).to_numpy(int)
    per_month = _capacity_per_month(pemda, opds, capacity) if use_capacity else np.full(len(opds), np.inf)
    cap = np.where(np.isfinite(per_month), np.where(np.isfinite(per_month), per_month, 0.0) * months, np.inf)
    codes = cand["doc_code"]
    # An uploaded document the user rules out counts as not accepted (e.g. the analyst knows the
    # verifier will return it): it leaves the plan like any other excluded document.
    uploaded = ((cand["status"] == "diunggah") & ~codes.isin(exclude)).to_numpy()
    force = (uploaded | codes.isin(must) | codes.isin(include)).to_numpy()
    ban = (codes.isin(exclude) | (cand["blocked"] & ~allow_blocked & ~codes.isin(must))).to_numpy()
    if closed:  # after the upload close nothing new goes up: only what awaits verification counts
        force = uploaded.copy()
        ban = ~uploaded
    if within is not None:
        ban = ban | ~codes.isin(set(within)).to_numpy()
    gain, cost = cand["gain"].to_numpy(float), cand["cost"].to_numpy(float)
    due = _due_days(cand, snapshot.date, horizon)
    prob = Problem01(gain, cost, target - current, group, cap, force, ban & ~force, due)
    sched = _Schedule(cand, group, per_month, snapshot.date, horizon)
    ctx = _Chances(docs, cand, params, sched, snapshot.date, calendar.close, current, target, draws, seed)

    x_min = solve_min_effort(prob)
    reachable = x_min is not None
    gx = solve_greedy(prob)
    greedy_effort = None if gx is None else float(cost[gx].sum())
    p_uploaded = ctx.chance(uploaded)
    limits: tuple[str, ...] = ()
    if x_min is None:
        x = solve_max_gain(prob)
        if x is None:  # must-do documents alone exceed an OPD's capacity
            x = force.copy()
        x_min_codes: tuple[str, ...] = ()
        minimal = None
        p_plan = p_max = ctx.chance(x)
    else:
        x_min_codes = tuple(codes[x_min])
        minimal = Option(int(x_min.sum()), float(cost[x_min].sum()), ctx.chance(x_min))
        x, p_plan, p_max = _chance_plan(prob, ctx, x_min, confidence, _alone_finish(sched))
        if p_plan < confidence:
            limits = _limits(prob, ctx, x, cand, months, allow_blocked, calendar, snapshot.date, confidence)
    if closed:
        limits = (
            f"batas unggah {_date(calendar.close)} sudah lewat: hanya dokumen yang sudah diunggah yang masih diverifikasi",
        )

    in_minimal = (codes.isin(x_min_codes) | (x_min is None)).to_numpy()  # no minimal plan: no reserve
    reason = np.where(
        uploaded, "sudah diunggah",
        np.where(codes.isin(must), "wajib", np.where(in_minimal, "target", "cadangan")),
    ).astype(object)  # fmt: skip
    finish_days = sched.finish_days(x)
    m = ctx.months(x, finish_days)
    idx, contrib = ctx.columns(x, m)
    scores = ctx.base + contrib.sum(axis=1, dtype=np.float64)
    p_full = np.full(len(cand), np.nan)
    p_full[idx] = ctx.weights @ (contrib >= gain[idx].astype(np.float32) * (1 - 1e-6))
    expected = np.full(len(cand), np.nan)
    expected[idx] = ctx.weights @ contrib
    chosen = cand[x].assign(
        reason=reason[x], effort=cost[x], p_full=p_full[x], expected=expected[x],
        finish=[snapshot.date + dt.timedelta(days=float(d)) for d in finish_days[x]],
        reserve=~in_minimal[x] & ~force[x],
    )  # fmt: skip
    chosen["due_month"] = pd.to_datetime(chosen["finish"]).dt.to_period("M").astype(str)
    plan_docs = chosen.sort_values(["finish", "opd", "doc_code"]).reset_index(drop=True)
    plan_docs = plan_docs[[*plan_columns(framework.levels), "reason", "reserve", "finish", "due_month"]]
    plan_docs["cumulative_score"] = current + plan_docs["gain"].cumsum()
    score_after = current + float(gain[x].sum())
    in_min = in_minimal
    verdict = Verdict(
        target=target, reachable=reachable, current=current, score_after=score_after,
        shortfall=max(0.0, target - score_after), effort=float(cost[x].sum()), documents=int(x.sum()),
        exact_effort=None if minimal is None else minimal.effort, greedy_effort=greedy_effort,
        p_target=p_plan, p_max=max(p_max, p_plan), p_uploaded=p_uploaded, confidence=confidence,
        confidence_met=bool(p_plan >= confidence), minimal=minimal,
        reserve_documents=int((x & ~in_min & ~force).sum()),
        reserve_effort=float(cost[x].sum() - cost[x_min].sum()) if x_min is not None else 0.0,
        final_band=band(scores, ctx.weights), limits=limits,
        uploaded_reach=bool(current + gain[uploaded].sum() >= target - _TOL),
    )  # fmt: skip
    greedy_docs = cand[gx].assign(effort=cost[gx]) if gx is not None else cand.iloc[:0].assign(effort=[])
    greedy_docs = greedy_docs.assign(p_full=np.nan, expected=np.nan)
    return Plan(
        verdict=verdict,
        documents=plan_docs,
        by_opd=_by_opd(plan_docs, opds, cap),
        greedy=greedy_docs[plan_columns(framework.levels)].reset_index(drop=True),
        obstacles=_closed_obstacles(cand, x, calendar) if closed else _obstacles(
            cand, x, prob, opds, allow_blocked, exclude, reachable
        ),
        blocked=cand[cand["blocked"]][
            ["doc_code", "doc_name", "opd", "area_name", "status", "gain", "blocker"]
        ].reset_index(drop=True),
        schedule=_schedule_curve(
            plan_docs, snapshot.date, horizon, current, history, ctx, idx, contrib, finish_days, calendar.final
        ),
        minimal=x_min_codes, calendar=calendar, horizon=horizon, notes=notes,
    )  # fmt: skip


def _date(day: dt.date) -> str:
    from mcp_lib import text

    return text.date(day)


def planning_horizon(
    deadline: dt.date, calendar: Calendar, as_of: dt.date
) -> tuple[dt.date, bool, tuple[str, ...]]:
    """The last day work can be planned, whether uploads are closed, and what to tell the reader.

    Uploads count until the upload close, so the plan runs until the pemda's deadline or the close,
    whichever comes first. A deadline already passed (a snapshot after it, e.g. in January inside
    the assessment window) gives way to the close; after the close no document can go up any more
    and only what awaits verification can still change the score, until the final date.
    """
    notes: list[str] = []
    if as_of > calendar.final:
        notes.append(
            f"Tanggal nilai final {_date(calendar.final)} sudah lewat: nilai tahun ini seharusnya sudah final; "
            "rencana dan peluang di bawah hanya untuk perbandingan."
        )
    if as_of >= calendar.close:
        notes.append(
            f"Batas unggah {_date(calendar.close)} sudah lewat: dokumen baru atau perbaikan tidak dapat diunggah lagi; "
            f"yang masih dapat mengubah nilai hanya verifikasi dokumen yang sudah diunggah (sampai {_date(calendar.final)})."
        )
        return as_of, True, tuple(notes)
    if deadline < as_of:
        notes.append(
            f"Tenggat pemda {_date(deadline)} sudah lewat; rencana memakai batas unggah {_date(calendar.close)}."
        )
        return calendar.close, False, tuple(notes)
    if deadline > calendar.close:
        notes.append(
            f"Tenggat pemda {_date(deadline)} sesudah batas unggah {_date(calendar.close)}: rencana dijadwalkan "
            "sampai batas unggah."
        )
    return min(deadline, calendar.close), False, tuple(notes)


def _closed_obstacles(cand: pd.DataFrame, x: np.ndarray, calendar: Calendar) -> pd.DataFrame:
    left = cand[~x]
    rows = []
    if len(left):
        rows.append(
            ("batas unggah", "semua OPD", None, float(left["gain"].sum()),
             f"batas unggah {_date(calendar.close)} sudah lewat: {len(left)} dokumen tidak dapat diunggah lagi")
        )  # fmt: skip
    return pd.DataFrame(rows, columns=["kind", "opd", "doc_code", "points", "detail"])


MARGIN_SE = 2.0
"""A plan passes only if its chance on the planner's draws is at least the confidence plus this
many standard errors of the Monte Carlo estimate, so that it still holds on other draws (the
search picks the cheapest plan that passes, which favours plans the draws flatter)."""


BISECTIONS = 12
"""At most this many bisection steps on the buffer β (each one HiGHS solve and one Monte Carlo
estimate); the steps stop earlier once β is known to 0.02 points (trimming and swapping refine
the plan after)."""


def _chance_plan(
    prob: Problem01, ctx: _Chances, x_min: np.ndarray, confidence: float, alone: np.ndarray
) -> tuple[np.ndarray, float, float]:
    """The least-effort plan whose chance is at least ``confidence``: ``(x, chance, highest
    chance found)``. When none within the constraints gets there, the plan of highest chance
    found (the cheaper of equals)."""
    p_min = ctx.chance(x_min)
    if confidence <= 0:
        return x_min, p_min, p_min
    need_p = min(1.0, confidence + MARGIN_SE * np.sqrt(confidence * (1 - confidence) / ctx.n))
    if p_min >= need_p:
        return x_min, p_min, p_min
    expected = prob.gain * ctx.expected_fraction(alone)
    need_e = ctx.target - float(ctx.base.mean())
    passing: tuple[np.ndarray, float] | None = None
    top: tuple[np.ndarray, float] = (x_min, p_min)

    def consider(x: np.ndarray) -> float:
        nonlocal passing, top
        p = ctx.chance(x)
        cost = float(prob.cost[x].sum())
        if p > top[1] + 1e-12 or (abs(p - top[1]) <= 1e-12 and cost < prob.cost[top[0]].sum() - 1e-9):
            top = (x, p)
        if p >= need_p and (
            passing is None
            or cost < prob.cost[passing[0]].sum() - 1e-9
            or (abs(cost - prob.cost[passing[0]].sum()) <= 1e-9 and p > passing[1])
        ):
            passing = (x, p)
        return p

    x_hi = solve_max_gain(replace(prob, gain=expected), stages=1)
    hi = 0.0
    if x_hi is not None:
        consider(x_hi)
        hi = max(float(expected[x_hi].sum()) - need_e, 0.0)
    lo = 0.0
    for _ in range(BISECTIONS):
        if hi - lo < 0.02:
            break
        beta = (lo + hi) / 2
        x = solve_min_effort(replace(prob, gain=expected, need=need_e + beta), stages=1)
        if x is None:
            hi = beta
            continue
        if consider(x) >= need_p:
            hi = beta
        else:
            lo = beta
    if passing is None:  # out of reach: grow the best plans found while the chance rises
        for start in {id(top[0]): top[0], id(x_min): x_min}.values():
            consider(_improve_chance(prob, ctx, start, ctx.chance(start)))
        if passing is None:
            return top[0], top[1], top[1]
    x = passing[0]
    # Same cost, fewer documents and as many of the minimal plan's as possible (tie-breaks).
    tied = solve_min_effort(replace(prob, gain=expected, need=need_e + hi), prefer=x_min, stages=3)
    if tied is not None and prob.cost[tied].sum() <= prob.cost[x].sum() + 1e-9:
        consider(tied)
    x = _trim(prob, ctx, passing[0], need_p)
    x = _swap(prob, ctx, x, need_p, alone)
    x = _trim(prob, ctx, x, need_p)
    p = ctx.chance(x)
    return x, p, max(top[1], p)


def _fits(prob: Problem01, x: np.ndarray) -> bool:
    used = np.zeros(len(prob.capacity))
    np.add.at(used, prob.group[x], prob.cost[x])
    return bool((used <= prob.capacity + 1e-7).all()) and not (x & prob.ban).any()


def _trim(prob: Problem01, ctx: _Chances, x: np.ndarray, need_p: float) -> np.ndarray:
    """Drop planned documents the chance does not need, costliest first (re-scheduling only
    moves the others earlier, which can only help)."""
    x = x.copy()
    while True:
        idx, contrib = ctx.columns(x)
        free = ~prob.force[idx]
        if not free.any():
            return x
        scores = ctx.base + contrib.sum(axis=1, dtype=np.float64)
        without = (scores[:, None] - contrib[:, free]) >= ctx.target - 1e-9
        ok = ctx.weights @ without >= need_p
        if not ok.any():
            return x
        options = idx[free][ok]
        drop = options[np.lexsort((options, -prob.gain[options], -prob.cost[options]))[0]]
        y = x.copy()
        y[drop] = False
        if ctx.chance(y) < need_p:  # the schedule moved against it: keep the plan as it is
            return x
        x = y


def _swap(
    prob: Problem01, ctx: _Chances, x: np.ndarray, need_p: float, alone: np.ndarray, rounds: int = 20
) -> np.ndarray:
    """Replace a planned document by a cheaper one left out while the chance holds (largest
    saving first), within capacity."""
    for _ in range(rounds):
        idx, contrib = ctx.columns(x)
        free = np.flatnonzero(~prob.force[idx])
        out = np.flatnonzero(~x & ~prob.ban)
        if len(free) == 0 or len(out) == 0:
            return x
        # The cheaper candidates, scheduled as if last in their OPD's queue (conservative).
        finish = ctx.schedule.finish_days(x | _mask(len(x), out))
        _oidx, ocontrib = ctx.columns(_mask(len(x), out), ctx.months(_mask(len(x), out), finish))
        if len(free) * len(out) > 6000:
            free = free[np.argsort(-prob.cost[idx[free]])[:40]]
            keep = np.argsort(-(prob.gain[out] / np.maximum(prob.cost[out], 0.5)))[:150]
            out, ocontrib = out[keep], ocontrib[:, keep]
        scores = ctx.base + contrib.sum(axis=1, dtype=np.float64)
        used = np.zeros(len(prob.capacity))
        np.add.at(used, prob.group[x], prob.cost[x])
        best = None
        for k in free:
            i = idx[k]
            saving = prob.cost[i] - prob.cost[out]
            room = (
                prob.capacity[prob.group[out]]
                - used[prob.group[out]]
                + np.where(prob.group[out] == prob.group[i], prob.cost[i], 0.0)
            )
            cheaper = (saving > 1e-9) & (prob.cost[out] <= room + 1e-7)
            if not cheaper.any() or (best is not None and saving[cheaper].max() <= best[0]):
                continue
            rest = (scores - contrib[:, k])[:, None] + ocontrib[:, cheaper]
            ok = ctx.weights @ (rest >= ctx.target - 1e-9) >= need_p
            if ok.any():
                j = np.flatnonzero(cheaper)[ok]
                j = j[np.argmax(saving[j])]
                if best is None or saving[j] > best[0]:
                    best = (saving[j], i, out[j])
        if best is None:
            return x
        y = x.copy()
        y[best[1]], y[best[2]] = False, True
        if ctx.chance(y) < need_p:
            return x
        x = y
    return x


def _mask(n: int, idx: np.ndarray) -> np.ndarray:
    m = np.zeros(n, bool)
    m[idx] = True
    return m


def _improve_chance(prob: Problem01, ctx: _Chances, x: np.ndarray, p: float) -> np.ndarray:
    """When the confidence is out of reach: add any document that still fits and raises the
    chance (largest gain first)."""
    x = x.copy()
    for i in np.argsort(-prob.gain):
        if x[i] or prob.ban[i]:
            continue
        y = x.copy()
        y[i] = True
        if _fits(prob, y):
            q = ctx.chance(y)
            if q > p:
                x, p = y, q
    return x


def _limits(
    prob: Problem01, ctx: _Chances, x: np.ndarray, cand: pd.DataFrame, months: float, allow_blocked: bool,
    calendar: Calendar, start: dt.date, confidence: float,
) -> tuple[str, ...]:  # fmt: skip
    """What keeps the chance below the confidence, in Bahasa Indonesia: full OPDs, blockers,
    time left."""
    from mcp_lib import text

    out = []
    left = ~x & ~prob.ban
    used = np.zeros(len(prob.capacity))
    np.add.at(used, prob.group[x], prob.cost[x])
    opds = sorted(cand["opd"].unique())
    full = [
        (opds[g], float(prob.gain[left & (prob.group == g)].sum()))
        for g in range(len(opds))
        if np.isfinite(prob.capacity[g]) and (left & (prob.group == g)).any()
    ]
    full = [f for f in full if f[1] > 0.005]
    if full:
        full.sort(key=lambda f: -f[1])
        listing = ", ".join(f"{name} ({text.number(points, 2)} poin)" for name, points in full[:5])
        out.append(f"kapasitas OPD habis sebelum batas unggah; dokumen yang tidak muat: {listing}")
    blocked = cand["blocked"].to_numpy() & ~x
    if blocked.any() and not allow_blocked:
        out.append(
            f"{int(blocked.sum())} dokumen ({text.number(float(prob.gain[blocked].sum()), 2)} poin) menunggu pihak luar"
        )
    rest = float(prob.gain[left].sum())
    if not full and rest <= 0.005:
        out.append("tidak ada lagi dokumen yang dapat ditambahkan")
    to_close = max((calendar.close - start).days / DAYS_PER_MONTH, 0.0)
    if to_close < 1.0:  # a re-upload needs time: within a month of the close there is little of it
        out.append(
            f"waktu tersisa {text.number(to_close, 1)} bulan sampai batas unggah {text.date(calendar.close)}: "
            "sedikit kesempatan unggah ulang bila ada yang ditolak"
        )
    if not out:
        out.append(
            "risiko verifikasi dokumen yang dapat dikerjakan dalam kapasitas terlalu besar untuk keyakinan ini"
        )
    return tuple(out)


def _by_opd(plan_docs: pd.DataFrame, opds: list[str], cap: np.ndarray) -> pd.DataFrame:
    caps = pd.Series(cap, index=opds, name="capacity")
    g = plan_docs.groupby("opd").agg(
        documents=("doc_code", "size"), effort=("effort", "sum"), points=("gain", "sum"),
        reserve=("reserve", "sum"),
    )  # fmt: skip
    g["capacity"] = caps.reindex(g.index).replace(np.inf, np.nan)
    g["first_month"] = plan_docs.groupby("opd")["due_month"].min()
    g["last_month"] = plan_docs.groupby("opd")["due_month"].max()
    return g.sort_values(["points", "effort"], ascending=[False, True]).reset_index()


def _obstacles(
    cand: pd.DataFrame,
    x: np.ndarray,
    prob: Problem01,
    opds: list[str],
    allow_blocked: bool,
    exclude: set[str],
    reachable: bool,
) -> pd.DataFrame:
    rows = []
    left = ~x
    if not allow_blocked:
        for rec in cand[cand["blocked"].to_numpy() & left].itertuples():
            rows.append(("terblokir", rec.opd, rec.doc_code, rec.gain, f"diblokir pihak luar: {rec.blocker}"))
    for rec in cand[cand["doc_code"].isin(exclude).to_numpy() & left].itertuples():
        rows.append(("dikecualikan", rec.opd, rec.doc_code, rec.gain, "dikecualikan oleh pengguna"))
    used = np.zeros(len(opds))
    np.add.at(used, prob.group[x], prob.cost[x])
    for g, opd in enumerate(opds):
        if not np.isfinite(prob.capacity[g]):
            continue
        waiting = left & ~prob.ban & (prob.group == g)
        if waiting.any() and (used[g] + prob.cost[waiting].min() > prob.capacity[g] + 1e-7 or not reachable):
            rows.append(
                ("kapasitas", opd, None, float(prob.gain[waiting].sum()),
                 f"kapasitas {prob.capacity[g]:.0f} hari-orang sampai tenggat, terpakai {used[g]:.0f}; "
                 f"dokumen yang tersisa perlu paling sedikit {prob.cost[waiting].min():.0f} hari-orang")
            )  # fmt: skip
    return pd.DataFrame(rows, columns=["kind", "opd", "doc_code", "points", "detail"])


def _schedule_curve(
    plan_docs: pd.DataFrame, start: dt.date, horizon: dt.date, current: float, history: pd.DataFrame | None,
    ctx: _Chances, idx: np.ndarray, contrib: np.ndarray, finish_days: np.ndarray, final: dt.date | None = None,
) -> pd.DataFrame:  # fmt: skip
    ends = pd.date_range(
        pd.Timestamp(start) + pd.offsets.MonthEnd(0),
        pd.Timestamp(horizon) + pd.offsets.MonthEnd(0),
        freq="ME",
    )
    ends = [min(d.date(), horizon) if d.date() >= start else start for d in ends]
    ends = sorted({start, *ends})
    finish = pd.to_datetime(plan_docs["finish"])
    rows = []
    if history is not None:
        rows += [
            (d, "realisasi", float(v))
            for d, v in zip(history["date"], history["verified"], strict=True)
            if d <= start
        ]
    done_days = finish_days[idx]
    for d in ends:
        done = (finish <= pd.Timestamp(d)).to_numpy()
        rows.append((d, "rencana", current + float(plan_docs["gain"][done].sum())))
        by_then = done_days <= (d - start).days + 1e-9
        scores = current + contrib[:, by_then].sum(axis=1, dtype=np.float64)
        p10, p50, p90 = band(scores, ctx.weights)
        rows += [(d, "rencana p10", p10), (d, "rencana median", p50), (d, "rencana p90", p90)]
    if final is not None and final > ends[-1]:  # verification and QA go on until the final date
        p10, p50, p90 = band(ctx.base + contrib.sum(axis=1, dtype=np.float64), ctx.weights)
        rows += [(final, "rencana p10", p10), (final, "rencana median", p50), (final, "rencana p90", p90)]
    return pd.DataFrame(rows, columns=["date", "series", "score"])


def plan_table(plan: Plan) -> pd.DataFrame:
    """The plan as one flat table for CSV/XLSX export, in scheduled order, rounded for reading."""
    out = plan.documents.copy()
    out["gain"] = out["gain"].round(3)
    out["expected"] = out["expected"].round(3)
    out["p_full"] = out["p_full"].round(2)
    out["cumulative_score"] = out["cumulative_score"].round(2)
    cols = [
        c for c in out.columns if c not in ("finish", "due_month", "cumulative_score", "reason", "reserve")
    ]
    return out[[*cols, "reason", "reserve", "due_month", "cumulative_score"]]


# --- several targets ------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class TargetPlans:
    """Plans for several targets, lowest first. ``nested`` says whether each lower plan is a
    first step (a subset) of the next one; ``nesting_cost`` is the extra person-days that
    nesting would cost where it is not free (0 where it is). Each verdict's minimal plan is the
    target's own least effort, whatever the nesting."""

    plans: tuple[Plan, ...]
    nested: tuple[bool, ...]
    nesting_cost: tuple[float, ...]

    def summary(self) -> pd.DataFrame:
        """One row per target: target, reachable, recommended effort and documents, score
        after, chance, minimal effort and its chance, greedy effort."""
        rows = [
            {
                "target": p.verdict.target, "reachable": p.verdict.reachable, "effort": p.verdict.effort,
                "documents": p.verdict.documents, "score_after": p.verdict.score_after,
                "p_target": p.verdict.p_target, "exact_effort": p.verdict.exact_effort,
                "p_minimal": None if p.verdict.minimal is None else p.verdict.minimal.chance,
                "greedy_effort": p.verdict.greedy_effort,
            }
            for p in self.plans
        ]  # fmt: skip
        return pd.DataFrame(rows)

    def as_dict(self) -> dict:
        """``{"targets": [verdict, ...]}`` with the nesting of each lower plan (``mcp plan --json``)."""
        targets = []
        for i, p in enumerate(self.plans):
            d = p.verdict.as_dict()
            if i < len(self.nested):
                d["first_step_of_next"] = self.nested[i]
                d["nesting_extra_effort"] = self.nesting_cost[i]
            d["reserve_codes"] = p.reserve["doc_code"].tolist()
            d["notes"] = list(p.notes)
            d["obstacles"] = [
                {"kind": o.kind, "opd": o.opd, "doc_code": None if pd.isna(o.doc_code) else o.doc_code,
                 "points": o.points, "detail": o.detail}
                for o in p.obstacles.itertuples()
            ]  # fmt: skip
            d["minimal_codes"] = list(p.minimal)
            targets.append(d)
        return {"targets": targets}


def default_targets(pemda: Pemda) -> list[float]:
    """Last year's final score (keep it) and the pemda's target (reach it), lowest first."""
    targets = {float(pemda.target)}
    if pemda.last_final is not None:
        targets.add(float(pemda.last_final[1]))
    return sorted(targets)


def _same_minimal(plan: Plan, own: Plan) -> Plan:
    """``plan`` (a nested variant) with the minimal plan of the target's own, unnested plan."""
    v = replace(
        plan.verdict, exact_effort=own.verdict.exact_effort, minimal=own.verdict.minimal,
        reserve_documents=int((~plan.documents["doc_code"].isin(own.minimal) & ~plan.documents["reason"].isin(
            ["sudah diunggah", "wajib"])).sum()),
        reserve_effort=plan.verdict.effort - (own.verdict.exact_effort or plan.verdict.effort),
    )  # fmt: skip
    docs = plan.documents.assign(
        reserve=~plan.documents["doc_code"].isin(own.minimal) & ~plan.documents["reason"].isin(["sudah diunggah", "wajib"])
    )  # fmt: skip
    docs["reason"] = np.where(
        docs["reserve"], "cadangan", np.where(docs["reason"] == "cadangan", "target", docs["reason"])
    )
    return replace(plan, verdict=v, documents=docs, minimal=own.minimal)


def plan_targets(
    framework: Framework, pemda: Pemda, snapshot: Snapshot, targets: Sequence[float] | None = None, **options
) -> TargetPlans:
    """Plan for each target (default :func:`default_targets`), nesting where it costs nothing.

    Every target is first planned on its own: its minimal plan (least effort) is always that
    single-target optimum. The highest target's plan with reserve comes first; each lower plan
    is then looked for inside it. If that costs more than the lower target's own plan, the
    lower plan is tried as a forced first step of the higher one instead; if both cost extra,
    the plans stay independent and the cheapest extra cost of nesting is reported.
    """
    targets = sorted({float(t) for t in (targets or default_targets(pemda))})
    own = {t: plan_path(framework, pemda, snapshot, t, **options) for t in targets}
    plans = [own[targets[-1]]]
    nested, extra = [], []
    for t in reversed(targets[:-1]):
        upper, mine = plans[0], own[t]
        if set(mine.documents["doc_code"]) <= set(upper.documents["doc_code"]):
            plans.insert(0, mine)
            nested.insert(0, True)
            extra.insert(0, 0.0)
            continue
        inside = plan_path(framework, pemda, snapshot, t, within=upper.documents["doc_code"], **options)
        if (
            inside.verdict.reachable
            and inside.verdict.effort <= mine.verdict.effort + 1e-6
            and inside.verdict.confidence_met >= mine.verdict.confidence_met
        ):
            plans.insert(0, _same_minimal(inside, mine))
            nested.insert(0, True)
            extra.insert(0, 0.0)
            continue
        around = plan_path(
            framework, pemda, snapshot, upper.verdict.target, include=mine.documents["doc_code"], **options
        )
        if (
            around.verdict.reachable
            and around.verdict.effort <= upper.verdict.effort + 1e-6
            and around.verdict.confidence_met >= upper.verdict.confidence_met
        ):
            plans[0] = _same_minimal(around, own[upper.verdict.target])
            plans.insert(0, mine)
            nested.insert(0, True)
            extra.insert(0, 0.0)
            continue
        costs = [inside.verdict.effort - mine.verdict.effort if inside.verdict.reachable else np.inf,
                 around.verdict.effort - upper.verdict.effort if around.verdict.reachable else np.inf]  # fmt: skip
        plans.insert(0, mine)
        nested.insert(0, False)
        extra.insert(0, float(min(costs)))
    return TargetPlans(tuple(plans), tuple(nested), tuple(extra))


# --- what-if ------------------------------------------------------------------------------


def apply_assumptions(
    framework: Framework,
    snapshot: Snapshot,
    done: Iterable[str] = (),
    rejected: Iterable[str] = (),
    source: str = "what-if",
) -> Snapshot:
    """A copy of ``snapshot`` in which ``done`` documents are verified in full and ``rejected``
    ones rejected (``perlu_perbaikan`` with no points). Nothing is written anywhere.

    Raises
    ------
    InputError
        For document codes not in the framework, or in both lists (``source`` names where
        they came from in the message).
    """
    done, rejected = list(done), list(rejected)
    codes = set(framework.documents["doc_code"])
    problems = [
        Problem(
            source,
            "kode dokumen tidak dikenal",
            column="doc_code",
            value=c,
            expected="kode dari evidence.csv",
        )
        for c in [*done, *rejected]
        if c not in codes
    ]
    problems += [
        Problem(source, "dokumen ditandai selesai sekaligus ditolak", column="doc_code", value=c)
        for c in sorted(set(done) & set(rejected))
    ]
    if problems:
        raise InputError(problems)
    docs = snapshot.documents.copy()
    points = framework.documents.set_index("doc_code")["points"]
    applicable = docs["status"] != "tidak_berlaku"
    is_done = docs["doc_code"].isin(done) & applicable
    is_rej = docs["doc_code"].isin(rejected) & applicable
    docs.loc[is_done, "status"] = "diverifikasi"
    docs.loc[is_done, "verified_points"] = docs.loc[is_done, "doc_code"].map(points)
    docs.loc[is_rej, "status"] = "perlu_perbaikan"
    docs.loc[is_rej, "verified_points"] = 0.0
    return Snapshot(date=snapshot.date, path=snapshot.path, documents=docs)


def what_if(
    framework: Framework,
    pemda: Pemda | str,
    snapshot: Snapshot,
    done: Iterable[str] = (),
    rejected: Iterable[str] = (),
) -> Scores:
    """Scores at every level if ``done`` documents were verified in full and ``rejected`` ones
    rejected. The files are not touched (see :func:`apply_assumptions`)."""
    return score_snapshot(framework, pemda, apply_assumptions(framework, snapshot, done, rejected))


SCENARIOS: tuple[tuple[str, dict], ...] = (
    ("Rencana dasar", {}),
    ("Hambatan pihak luar teratasi", {"allow_blocked": True}),
    ("Tanpa batas kapasitas OPD", {"use_capacity": False}),
    ("Keyakinan 90%", {"confidence": 0.9}),
)
"""Scenarios compared side by side: name and the options that differ from the base plan."""


def scenarios(
    framework: Framework, pemda: Pemda, snapshot: Snapshot, target: float | None = None, **options
) -> pd.DataFrame:
    """The plan under each of :data:`SCENARIOS`: one row each with the verdict's numbers."""
    rows = []
    for name, change in SCENARIOS:
        v = plan_path(framework, pemda, snapshot, target, **{**options, **change}).verdict
        rows.append(
            {
                "scenario": name, "reachable": v.reachable, "documents": v.documents, "effort": v.effort,
                "score_after": v.score_after, "p_target": v.p_target, "p_max": v.p_max,
            }
        )  # fmt: skip
    return pd.DataFrame(rows)
