"""The plan with reserve: the chance of any plan, and the least-effort plan whose chance is enough.

:class:`Chances` estimates a plan's chance of reaching the target on the year's-end engine
(:class:`mcp_lib.forecast.YearEnd`: the verification-risk model, the OPDs' pace for what the plan
leaves, the calibrated error), by Monte Carlo on one set of common random numbers, with each
planned document's upload date from its schedule (:mod:`mcp_lib.schedule`). :func:`chance_plan`
searches the cheapest plan whose chance reaches the confidence (*keyakinan*, a setting): it solves
the 0/1 program (:mod:`mcp_lib.plan.optimise`) with each document's *expected* gain and a target
``target + β``, bisects on ``β``, then drops documents the chance does not need and swaps costly
ones for cheaper ones that keep it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
import pandas as pd

from mcp_lib.forecast import YearEnd
from mcp_lib.framework.calendar import DAYS_PER_MONTH
from mcp_lib.plan.optimise import Problem01, StepGroup, gain_of, solve_max_gain, solve_min_effort
from mcp_lib.risk.model import RETURNED
from mcp_lib.schedule import Schedule
from mcp_lib.scoring import total_needed
from mcp_lib.statuses import DIUNGGAH


class Chances:
    """The chance of any plan, on the draws of the year's-end engine
    (:class:`mcp_lib.forecast.YearEnd`).

    ``scores(x)`` is the final score in every draw (before the calibrated error) if the plan
    ``x`` (bool per candidate) is carried out on schedule and the OPDs upload their other
    documents with what their pace leaves (*bila rencana dijalankan*); with ``x`` only the
    uploaded documents it is the year's end without a plan. A draw reaches the target when its
    score is at least :attr:`threshold` there (the calibrated error folded into a per-draw
    threshold). New documents uploaded earlier have more time for a re-upload; uploaded and
    returned documents count from the snapshot date.
    """

    def __init__(
        self,
        engine: YearEnd,
        cand: pd.DataFrame,
        schedule: Schedule,
        start: dt.date,
        close: dt.date,
        target: float,
    ):
        self.engine = engine
        self.inputs = engine.inputs
        self.draws = engine.draws
        self.row = cand["row"].to_numpy(int)
        self.gain = cand["gain"].to_numpy(float)
        self.schedule = schedule
        self.to_close = (close - start).days
        self.new = self.inputs.kind[self.row] != RETURNED
        self.new &= (cand["status"] != DIUNGGAH).to_numpy()
        where = {int(r): i for i, r in enumerate(engine.still)}
        self.open_index = np.array([where.get(int(r), -1) for r in self.row], dtype=np.int64)
        """Each candidate's column among the engine's open documents (−1: awaiting verification)."""
        self.stepped = np.isin(self.row, np.concatenate([lad.rows for lad in engine.ladders] or [np.zeros(0, int)]))
        """Per candidate: a document of an item scored by whole units (:mod:`mcp_lib.ladders`): its
        column says whether it is accepted in full; what it adds is the engine's step term."""
        self.weights = self.draws.weights
        self.base = engine.core
        self.target = target
        self.needed = total_needed(target, engine.penalty)
        """The total before the year's penalty that reaches ``target`` (the scores per draw are
        before it)."""
        self.threshold = engine.threshold(target)
        self._cache: dict[bytes, np.ndarray] = {}
        self._columns: dict[tuple[int, int], np.ndarray] = {}
        self._last: tuple[set[tuple[int, int]], np.ndarray] | None = None
        """The keys of the last sum of columns and that sum (:meth:`_sum`)."""
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
        """The candidates of ``x`` and their contributions in each draw (draws × len)."""
        idx, cols = self._column_list(x, months)
        if not cols:
            return idx, np.empty((self.n_draws, 0), np.float32)
        return idx, np.column_stack(cols)

    def _column_list(self, x: np.ndarray, months: np.ndarray | None = None) -> tuple[np.ndarray, list[np.ndarray]]:
        """The candidates of ``x`` and each one's contribution per draw."""
        idx, keys = self._keys(x, months)
        return idx, [self._columns[k] for k in keys]

    def _keys(self, x: np.ndarray, months: np.ndarray | None = None) -> tuple[np.ndarray, list[tuple[int, int]]]:
        """The candidates of ``x`` and the key of each one's column: the candidate and its upload
        day, the column drawn when missing.

        Columns are kept per document and upload day (a plan search asks for the same ones again
        and again; only a document whose schedule moved is drawn anew)."""
        idx = np.flatnonzero(x)
        m = self.months(x) if months is None else months
        days = np.rint(m[idx] * DAYS_PER_MONTH).astype(np.int64)  # rounded half to even, as round()
        keys = list(zip(idx.tolist(), days.tolist(), strict=True))
        missing = [k for k in dict.fromkeys(keys) if k not in self._columns]
        if missing and len(self._columns) + len(missing) > 4096:  # kept within bounds: drawn anew
            self._columns.clear()
            self._last = None
            missing = list(dict.fromkeys(keys))
        if missing:
            # A column depends only on the document, its upload day and its gain: the engine keeps
            # them for every search on it (the other targets' plans, the scenarios that keep
            # the year's end), and only those no search drew yet are drawn.
            kept = self.engine.columns
            shared = [(int(self.row[i]), day, float(self.gain[i])) for i, day in missing]
            draw = [j for j, c in enumerate(shared) if c not in kept]
            if draw:
                if len(kept) + len(draw) > 8192:  # kept within bounds: drawn anew
                    kept.clear()
                    draw = list(range(len(missing)))
                rows = np.array([missing[j][0] for j in draw], int)
                days = np.array([missing[j][1] for j in draw], float)
                fresh = self.draws.fractions(self.row[rows], days / DAYS_PER_MONTH)
                fresh *= self.gain[rows].astype(np.float32)
                for col, j in enumerate(draw):
                    kept[shared[j]] = fresh[:, col]
            for k, c in zip(missing, shared, strict=True):
                self._columns[k] = kept[c]
        return idx, keys

    def planned(self, x: np.ndarray) -> np.ndarray:
        """The engine's open documents that ``x`` plans (bool per open document)."""
        out = np.zeros(len(self.engine.still), bool)
        cols = self.open_index[x]
        out[cols[cols >= 0]] = True
        return out

    def others(self, x: np.ndarray) -> np.ndarray:
        """Per draw, what the open documents outside ``x`` add with what the OPDs' pace leaves."""
        return self.engine.others(self.planned(x))

    def scores(self, x: np.ndarray) -> np.ndarray:
        """The final score in every draw (before the calibrated error) if ``x`` is carried out on
        schedule and the OPDs upload their other documents with what their pace leaves.

        The contributions (float32) are added one document at a time in float64: every such sum is
        exact while the smallest contribution is above 2⁻²³ of the largest total (1e-7 points of a
        100-point score), so the order of adding, and hence the result, does not depend on how the
        columns are laid out (test_reserve checks it against the stacked sum). The documents of an
        item scored by whole units add only through the steps their item reaches in each draw
        (:meth:`mcp_lib.forecast.YearEnd.step_term`), never their share."""
        key = np.packbits(x).tobytes()
        hit = self._cache.get(key)
        if hit is None:
            idx, keys = self._keys(x)
            accepted = {}
            plain = []
            for i, k, stepped in zip(idx.tolist(), keys, self.stepped[idx].tolist(), strict=True):
                if stepped:
                    c = self._columns[k]
                    accepted[int(self.row[i])] = c >= np.float32(self.gain[i]) * np.float32(1 - 1e-6)
                else:
                    plain.append(k)
            hit = self.base + self._sum(plain) + self.others(x)
            if self.engine.ladders:
                hit = hit + self.engine.step_term(self.planned(x), accepted)
            if len(self._cache) > 256:
                self._cache.clear()
            self._cache[key] = hit
        return hit

    def _sum(self, keys: list[tuple[int, int]]) -> np.ndarray:
        """The sum per draw (float64) of the columns of ``keys``.

        A plan search asks about plans that differ from the one before in a few documents (one
        added, one dropped, one swapped, a queue moved): the sum is then the last one's with the
        columns that differ added and taken away. Every sum of these columns is exact (see
        :meth:`scores`), so this gives the same bits as adding them all."""
        now = set(keys)
        last = self._last
        if last is not None:
            before, total = last
            added, gone = sorted(now - before), sorted(before - now)
            if len(added) + len(gone) < len(now) and all(k in self._columns for k in gone):
                total = total.copy()
                for k in added:
                    total += self._columns[k]
                for k in gone:
                    total -= self._columns[k]
                self._last = (now, total)
                return total
        total = np.zeros(self.n_draws)
        for k in keys:
            total += self._columns[k]
        self._last = (now, total)
        return total

    def chance(self, x: np.ndarray, target: float | None = None) -> float:
        threshold = self.threshold if target is None else self.engine.threshold(target)
        hit = self.scores(x) >= threshold - 1e-9
        return float(self.weights[hit].sum() / self.weights.sum())

    def expected_fraction(self, finish: np.ndarray) -> np.ndarray:
        """Mean share of its gain each candidate obtains when it finishes at ``finish`` (days)."""
        m = np.maximum(self.to_close - np.where(self.new, finish, 0.0), 0.0) / DAYS_PER_MONTH
        return (self.weights @ self.draws.fractions(self.row, m)).astype(float)

    def expected_others(self) -> float:
        """Mean points the open documents add without a plan (at the OPDs' full pace)."""
        return float(self.weights @ self.engine.others())


MARGIN_SE = 2.0
"""A plan passes only if its chance on the planner's draws is at least the confidence plus this
many standard errors of the Monte Carlo estimate, so that it still holds on other draws (the
search picks the cheapest plan that passes, which favours plans the draws flatter)."""


BISECTIONS = 12
"""At most this many bisection steps on the buffer β (each one HiGHS solve and one Monte Carlo
estimate); the steps stop earlier once β is known to 0.02 points (trimming and swapping refine
the plan after)."""


def chance_plan(
    prob: Problem01, ctx: Chances, x_min: np.ndarray, confidence: float, alone: np.ndarray
) -> tuple[np.ndarray, float]:
    """The least-effort plan whose chance (*bila rencana dijalankan*: the plan on schedule and the
    OPDs' other documents with what their pace leaves) is at least ``confidence``: ``(x, chance)``.
    When none within the constraints gets there, the plan of highest chance found (the cheaper of
    equals). With ``confidence`` 0, the minimal plan.

    The search starts from the documents the plan must hold (those uploaded, must-do): when they
    and the pace already give the chance, no more is planned. Otherwise it bisects on a buffer
    ``β`` over the expected points needed, which may be negative (the pace adds points of its own).
    """
    p_min = ctx.chance(x_min)
    if confidence <= 0:
        return x_min, p_min
    need_p = min(1.0, confidence + MARGIN_SE * np.sqrt(confidence * (1 - confidence) / ctx.n))
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

    consider(x_min)
    x0 = prob.force.copy()
    p0 = consider(x0)
    if p0 >= need_p:
        return x0, p0
    fraction = ctx.expected_fraction(alone)
    expected = prob.gain * fraction
    weighed = replace(prob, gain=expected, steps=expected_steps(prob, fraction))
    need_e = ctx.needed - float(ctx.weights @ ctx.base)
    x_hi = solve_max_gain(weighed, stages=1)
    hi = 0.0
    if x_hi is not None:
        consider(x_hi)
        hi = max(gain_of(weighed, x_hi) - need_e, 0.0)
    lo = -ctx.expected_others()
    for _ in range(BISECTIONS):
        if hi - lo < 0.02:
            break
        beta = (lo + hi) / 2
        x = solve_min_effort(replace(weighed, need=need_e + beta), stages=1)
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
            return top
    x = passing[0]
    # Same cost, fewer documents and as many of the minimal plan's as possible (tie-breaks).
    tied = solve_min_effort(replace(weighed, need=need_e + hi), prefer=x_min, stages=3)
    if tied is not None and prob.cost[tied].sum() <= prob.cost[x].sum() + 1e-9:
        consider(tied)
    x = _trim(prob, ctx, passing[0], need_p)
    x = _swap(prob, ctx, x, need_p, alone)
    x = _trim(prob, ctx, x, need_p)
    return x, ctx.chance(x)


def expected_steps(prob: Problem01, fraction: np.ndarray) -> tuple[StepGroup, ...]:
    """The step groups with each step's points weighed by the chance its units are accepted in
    full, taken as the mean expected fraction of the group's documents to the power of the units
    the step adds; a step then worth no more than the one below is dropped. The sizing's guide
    only: the chance of a plan is always counted draw by draw (:meth:`Chances.scores`)."""
    out = []
    for group in prob.steps:
        rows = np.concatenate(group.units)
        mean = float(np.clip(fraction[rows].mean(), 0.0, 1.0))
        ladder: list[tuple[int, float]] = []
        for k, gain in group.ladder:
            weighed = gain * mean ** (k - group.met)
            if weighed > (ladder[-1][1] if ladder else 0.0):  # a step worth less than the one below is no aim
                ladder.append((k, weighed))
        if ladder:
            out.append(replace(group, ladder=tuple(ladder)))
    return tuple(out)


def _fits(prob: Problem01, x: np.ndarray) -> bool:
    used = np.zeros(len(prob.capacity))
    np.add.at(used, prob.group[x], prob.cost[x])
    return bool((used <= prob.capacity + 1e-7).all()) and not (x & prob.ban).any()


def _trim(prob: Problem01, ctx: Chances, x: np.ndarray, need_p: float) -> np.ndarray:
    """Drop planned documents the chance does not need, costliest first (re-scheduling only
    moves the others earlier, which can only help)."""
    x = x.copy()
    while True:
        idx, contrib = ctx.columns(x)
        free = ~prob.force[idx]
        if not free.any():
            return x
        # Screened as if dropping a document changed nothing else (the pace then has more
        # person-days for the rest, which can only help); the chance is checked in full below.
        scores = ctx.scores(x)
        without = (scores[:, None] - contrib[:, free]) >= ctx.threshold[:, None] - 1e-9
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
    prob: Problem01, ctx: Chances, x: np.ndarray, need_p: float, alone: np.ndarray, rounds: int = 20
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
        scores = ctx.scores(x)
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
            ok = ctx.weights @ (rest >= ctx.threshold[:, None] - 1e-9) >= need_p
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


def _improve_chance(prob: Problem01, ctx: Chances, x: np.ndarray, p: float) -> np.ndarray:
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
