"""The year's end: one model of the final score, two scenarios, one set of draws.

:class:`YearEnd` is the engine. The final score is what is verified now (less the small QA
risk), plus what the verifier accepts of the documents awaiting verification, plus what it accepts
of the documents still to be (re-)uploaded before the close. Each part goes through the
verification-risk model of :mod:`mcp_lib.risk.model` (partial credit, re-uploads until the close, a
pemda effect shared by all documents and updated on the pemda's own record, QA at the end).
Which open documents go up depends on the scenario:

- **bila laju sekarang berlanjut** (without the plan, :meth:`YearEnd.without`): each OPD keeps
  its observed upload pace (documents per month in the year's snapshots, the last month before the
  close ``surge`` times as busy), **bounded by what its recorded capacity allows** (person-days per
  month in ``pemda.toml`` over the mean effort of its open documents); which documents go up is
  not known, so each open document of the OPD goes up with the same chance. Without a pace (fewer
  than two snapshots in the year) a typical pemda's share ``completion_max × (1 − exp(−m /
  completion_months))`` is used instead, bounded the same way;
- **bila rencana dijalankan** (with a plan, :meth:`YearEnd.scores`): the plan's documents go up
  on their schedule; each OPD spends the person-days its pace would have spent on its plan first,
  and what is left of them goes to its other open documents as without the plan (so an OPD never
  works beyond both its pace and its plan: the plan redirects its work).

Both are then widened by the **calibrated error** of the projection (:meth:`YearEnd.calibrate`):
on the scale of the remaining gap, ``logit(share of the gap closed) + σ·z``, with ``σ`` by lead
time (:data:`~mcp_lib.risk.params.LEAD_GROUPS`) fitted on real provisional → final pairs and
checked leave-one-out (:mod:`mcp_lib.backtest`). The same ``z`` serves both scenarios, so a plan
can only move the chance by what it changes.

:func:`forecast_pemda` is the scenario without a plan for a pemda's snapshot, with its month-end
path. :func:`forecast_totals` is the same engine reduced to a dashboard total (a provincial
coordinator's case, and how the engine is checked against real years): the pemda is represented by
equal-weight documents (as many as its framework has), split into verified, awaiting, returned and
not uploaded by the given claim or, without one, by the shares seen on 2025 dashboards; its OPDs,
pace and record are unknown, so it uses the typical completion and no pemda effect (between-pemda
differences are part of the calibrated error, which was measured on exactly this reduction).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from mcp_lib.framework.calendar import Calendar, months_between, resolve_calendar
from mcp_lib.framework.model import Framework
from mcp_lib.ladders import Ladder, item_ladders, step_points
from mcp_lib.pemda.model import Pemda, pemda_calendar
from mcp_lib.pemda.snapshot import Snapshot
from mcp_lib.risk.model import RETURNED, Draws, band, chance, expit, logit, risk_inputs, weighted_quantiles
from mcp_lib.risk.params import BLOCKER_CLEAR, RiskParams, lead_group, lead_label
from mcp_lib.scoring import after_penalty, check_kind, penalty_points, score_documents, total_needed, upload_gain
from mcp_lib.statuses import BELUM, DECIDED, DIUNGGAH, DIVERIFIKASI, MAY_UPLOAD, PERLU_PERBAIKAN

DEFAULT_DOCUMENTS: dict[str, int] = {"provinsi": 660, "kabupaten": 680, "kota": 680}
"""Documents of a pemda on the 2025 (MCSP) framework, by kind (``verification-risk.md``), used
by :func:`forecast_totals` for 2025 and later when no framework is given."""
DOCUMENTS_BEFORE_2025 = 143
"""Documents of a pemda before 2025 when no framework is given (the bundled 2023 reconstruction
has 143 evidence documents in 63 sub-indicators; no official count was published)."""
DOCS_PER_SUB = {2025: 680 / 122, 0: 143 / 63}
"""Documents per sub-indicator when no framework is given: 2025 on (680 in 122), before."""

MIN_EFFORT = 0.5
"""Person-days a document counts for at least when an OPD's pace is turned into person-days (a
document recorded with 0 days still takes someone's time to upload)."""

_EPS = 1e-6
"""Shares of the gap closer to 0 than this are not widened (nothing left to move)."""


WITHOUT_PLAN = "bila laju sekarang berlanjut"
"""The scenario without a plan, as every output names it."""
WITH_PLAN = "bila rencana dijalankan"
"""The scenario with the plan, as every output names it."""


@dataclass(frozen=True)
class ForecastOptions:
    """How the year's end is simulated (:func:`year_end`, :func:`forecast_pemda`,
    :func:`forecast_totals`); the planner's :class:`~mcp_lib.plan.planner.PlanOptions` adds what
    shapes a plan. The same options give the same draws: a forecast and a plan made with them
    agree on the scenario without a plan."""

    risk: RiskParams | None = None
    """Verification-risk parameters (``None``: the pemda's, ``[risiko]`` of ``pemda.toml``; for a
    dashboard total the defaults)."""
    calendar: Calendar | None = None
    """Upload close and final date (``None``: :func:`mcp_lib.pemda.model.pemda_calendar`; for a
    dashboard total the framework's, else the year's published or default calendar)."""
    capacity: Mapping[str, float] | None = None
    """Person-days per month per OPD, overriding ``pemda.toml``."""
    use_capacity: bool = True
    """``False`` ignores the OPDs' capacities (``pemda.toml`` and ``capacity``)."""
    draws: int = 10_000
    """Monte Carlo draws (rounded up to a multiple of 100)."""
    seed: int = 0
    """Seed of the draws: the same inputs give the same numbers."""

    def per_month(self, pemda: Pemda, opds: Sequence[str]) -> np.ndarray:
        """Person-days per month of each of ``opds`` (``inf``: unknown, or capacities ignored)."""
        from mcp_lib.schedule import capacity_per_month

        return capacity_per_month(pemda, opds, self.capacity) if self.use_capacity else np.full(len(opds), np.inf)

    def for_pemda(self, pemda: Pemda, framework: Framework) -> ForecastOptions:
        """These options with the pemda's risk parameters and calendar where none is given."""
        return replace(
            self,
            risk=pemda.risk if self.risk is None else self.risk,
            calendar=self.calendar or pemda_calendar(pemda, framework),
        )


@dataclass(frozen=True)
class Outlook:
    """The year's end in one scenario: the chance of the target and the band of the final score.

    ``chance`` (0–1) is ``None`` without a target; ``p10``, ``median``, ``p90`` in percent
    (80% of simulated years end between ``p10`` and ``p90``)."""

    chance: float | None
    p10: float
    median: float
    p90: float

    def as_dict(self) -> dict:
        return {"chance": self.chance, "p10": self.p10, "median": self.median, "p90": self.p90}

    def words(self, possible: bool = True) -> str:
        """``peluang 68%; nilai akhir 84–98% dalam 8 dari 10 kemungkinan (nilai tengah 92,6%)`` (band
        rounded outward)."""
        from mcp_lib import text

        head = "" if self.chance is None else f"peluang {text.chance(self.chance, possible)}; "
        return (
            f"{head}nilai akhir {text.band(self.p10, self.p90)} dalam 8 dari 10 kemungkinan (nilai tengah "
            f"{text.percent(self.median)})"
        )


@dataclass(frozen=True)
class OpdPace:
    """One OPD in the scenario without a plan.

    Attributes
    ----------
    open_documents, open_effort
        Its documents still to be (re-)uploaded and their person-days.
    pace
        Documents it uploaded per month in the year's snapshots (``None``: not known; then the
        typical completion is used).
    capacity
        Person-days per month recorded for it (``None``: not recorded, no bound).
    capacity_documents
        Documents per month that capacity allows at the mean effort of its open documents.
    expected
        Documents expected to go up before the close (pace bounded by capacity).
    person_days
        What those take (the person-days a plan can redirect).
    bounded
        Whether the recorded capacity, not the pace, sets ``expected``.
    """

    opd: str
    open_documents: int
    open_effort: float
    pace: float | None
    capacity: float | None
    capacity_documents: float | None
    expected: float
    person_days: float
    bounded: bool

    @property
    def pace_exceeds_capacity(self) -> bool:
        """Whether the observed pace is more than the recorded capacity allows."""
        return (
            self.pace is not None
            and self.capacity_documents is not None
            and self.open_documents > 0
            and self.pace > self.capacity_documents + 1e-9
        )


def widen(raw: np.ndarray, start: float, sigma: float, z: np.ndarray) -> np.ndarray:
    """Scores per draw moved by the calibrated error: the share of the gap (from ``start`` to 100)
    each closes, on the logit scale, plus ``sigma · z``. A draw that closes nothing (share at most
    ``_EPS``) stays where it is. The one transformation of :meth:`YearEnd.calibrate` and of the
    backtest that fits ``sigma`` (:mod:`mcp_lib.backtest`)."""
    raw = np.asarray(raw, float)
    gap = 100.0 - start
    if gap <= 1e-9 or sigma <= 0:
        return raw
    f = (raw - start) / gap
    moved = start + gap * expit(logit(np.clip(f, _EPS, 1 - _EPS)) + sigma * z)
    return np.where(f > _EPS, moved, raw)


def upload_months(positions: np.ndarray, months_left: float, surge: float) -> np.ndarray:
    """Months before the close at which documents go up, for ``positions`` in [0, 1) of the
    upload order: evenly over the time left, the last month ``surge`` times as busy."""
    m = max(months_left, 0.0)
    if m <= 0:
        return np.zeros(len(positions))
    last = min(1.0, m)
    early = m - last
    mass_early = early / (early + surge * last) if early + surge * last > 0 else 0.0
    pos = np.asarray(positions, float)
    t = np.where(
        pos < mass_early,
        pos / max(mass_early, 1e-12) * early,
        early + (pos - mass_early) / max(1 - mass_early, 1e-12) * last,
    )
    return m - t


def effective_months(months_left: float, surge: float) -> float:
    """Months of work at the average pace the time left amounts to, the last month counting
    ``surge`` times."""
    m = max(months_left, 0.0)
    return m + (surge - 1.0) * min(1.0, m)


def uploaded_share_by(months_elapsed: float, months_left: float, surge: float) -> float:
    """Share of the uploads expected before the close that are done ``months_elapsed`` months
    after the snapshot (the same timing as :func:`upload_months`)."""
    m = max(months_left, 0.0)
    if m <= 0:
        return 1.0
    t = min(max(months_elapsed, 0.0), m)
    return (t + (surge - 1.0) * max(0.0, t - (m - min(1.0, m)))) / effective_months(m, surge)


def opd_paces(
    opds: np.ndarray,
    effort: np.ndarray,
    pace: Mapping[str, float] | None,
    capacity: Mapping[str, float | None],
    months_to_close: float,
    params: RiskParams,
) -> tuple[OpdPace, ...]:
    """Each OPD's documents expected to go up before the close without a plan: its pace
    (``pace``, documents per month; ``None`` for the typical completion) over the time left,
    at most ``completion_max`` of its open documents and at most what ``capacity`` (person-days
    per month) allows. ``opds`` and ``effort`` are per open document."""
    out = []
    m = max(months_to_close, 0.0)
    for o in sorted(set(opds.tolist())):
        mine = opds == o
        n = int(mine.sum())
        work = float(effort[mine].sum())
        own = None if pace is None else max(float(pace.get(o, 0.0)), 0.0)
        if own is None:
            wanted = float(params.completion(m)) * n
        else:
            wanted = min(own * effective_months(m, params.surge), params.completion_max * n)
        cap = capacity.get(o)
        cap = None if cap is None or not np.isfinite(cap) else float(cap)
        mean_effort = work / n if n else 0.0
        cap_docs = None if cap is None or mean_effort <= 0 else cap / mean_effort
        allowed = np.inf if cap is None or mean_effort <= 0 else cap * m / mean_effort
        expected = min(wanted, allowed)
        out.append(
            OpdPace(
                opd=o,
                open_documents=n,
                open_effort=work,
                pace=own,
                capacity=cap,
                capacity_documents=cap_docs,
                expected=float(expected),
                person_days=float(expected * mean_effort),
                bounded=bool(allowed < wanted - 1e-9),
            )
        )
    return tuple(out)


class YearEnd:
    """The final score in every draw, without a plan and with any plan, on common random numbers.

    Parameters
    ----------
    docs
        Scored documents (:func:`mcp_lib.scoring.score_documents`, or :func:`totals_documents`),
        with an ``opd`` column.
    params, calendar, as_of
        Risk parameters, the year's dates and the snapshot date.
    effort
        Person-days per document (aligned with ``docs``; used for the open documents); ``None``:
        one each.
    pace
        Documents per month per OPD (:func:`mcp_lib.trend.opd_pace`); ``None``: the typical
        completion.
    capacity
        Person-days per month per OPD (missing or ``inf``: no bound).
    condition
        Update the pemda effect on the pemda's own record (documents already decided).
    penalty
        Points deducted from the total this year.
    draws, seed
        Monte Carlo draws and seed (the same inputs give the same draws).
    """

    def __init__(
        self,
        docs: pd.DataFrame,
        params: RiskParams,
        calendar: Calendar,
        as_of: dt.date,
        *,
        effort: np.ndarray | None = None,
        pace: Mapping[str, float] | None = None,
        capacity: Mapping[str, float | None] | None = None,
        condition: bool = True,
        penalty: float = 0.0,
        draws: int = 10_000,
        seed: int = 0,
        ladders: Sequence[Ladder] = (),
    ):
        self.params, self.calendar, self.as_of = params, calendar, as_of
        self.inputs = risk_inputs(docs, params)
        d = self.draws = Draws(self.inputs, params, draws, seed)
        app = docs["applicable"].to_numpy(bool)
        status = docs["status"].astype(str).to_numpy()
        self.gain = upload_gain(docs).to_numpy(float, copy=True)
        if condition:
            decided = app & np.isin(status, DECIDED)
            whole = docs["verified_points"].fillna(0).to_numpy(float) >= docs["points"].to_numpy(float) - 1e-9
            d.condition(
                np.flatnonzero(decided & (status == DIVERIFIKASI) & whole),
                np.flatnonzero(decided & ~((status == DIVERIFIKASI) & whole)),
            )
        self.weights = d.weights
        self.n = d.n
        self.verified_now = float(docs.loc[app, "earned"].sum())
        """The verified score now before the year's penalty: where the gap starts. Scores per draw
        are before the penalty too; it is deducted after the calibrated error (a fixed deduction,
        not part of what is uncertain)."""
        self.penalty = float(penalty)
        self.current = after_penalty(self.verified_now, self.penalty)
        """The verified score now as shown (after the penalty, never below 0)."""
        self.core = self.verified_now - d.qa_loss()
        """Per draw: what is verified now, less the QA risk (before any upload and the penalty)."""
        self.to_close = max(months_between(as_of, calendar.close), 0.0)
        live = app & (self.gain > 1e-12)
        self.awaiting = np.flatnonzero(live & (status == DIUNGGAH))
        self.still = np.flatnonzero(live & np.isin(status, MAY_UPLOAD))
        """Rows of the open documents (still to be uploaded or re-uploaded)."""
        self.ladders = tuple(ladder for ladder in ladders if ladder.steps)
        """The items scored by whole units (:mod:`mcp_lib.ladders`): their documents add nothing
        one by one (gain 0 below); :meth:`step_term` counts per draw the steps they reach."""
        stepped = np.concatenate([ladder.rows for ladder in self.ladders]) if self.ladders else np.zeros(0, int)
        self.gain[stepped] = 0.0
        self.blocker = self.inputs.blocker
        rng = np.random.default_rng([seed, 1])
        positions = (rng.permutation(len(self.still)) + 0.5) / max(len(self.still), 1)
        self.up_months = upload_months(positions, self.to_close, params.surge)
        """Months before the close at which each open document goes up at the pace."""
        risk_months = np.where(self.inputs.kind[self.still] == RETURNED, self.to_close, self.up_months)
        self.pace_contrib = d.fractions(self.still, risk_months) * self.gain[self.still].astype(np.float32)
        """Draws × open documents: what each is worth if it goes up at the pace."""
        self.awaiting_sum = (
            d.fractions(self.awaiting, self.to_close) * self.gain[self.awaiting].astype(np.float32)
        ).sum(axis=1, dtype=np.float64)
        self.u = np.random.default_rng([seed, 4]).random((self.n, len(self.still)), dtype=np.float32)
        """Draws × open documents: whether it goes up (below the OPD's share)."""
        opds = (
            docs["opd"].fillna("").astype(str).to_numpy()[self.still] if "opd" in docs else np.full(len(self.still), "")
        )
        e = np.ones(len(self.still)) if effort is None else np.nan_to_num(np.asarray(effort, float)[self.still])
        self.effort = np.maximum(e, MIN_EFFORT)
        self.opd_names = sorted(set(opds.tolist()))
        self.opd_of = np.array([self.opd_names.index(o) for o in opds], dtype=np.int64)
        self.cols = [np.flatnonzero(self.opd_of == g) for g in range(len(self.opd_names))]
        self.basis = "kurva" if pace is None or sum(max(v, 0.0) for v in pace.values()) <= 0 else "laju"
        self.pace_total = None if self.basis == "kurva" or pace is None else float(sum(pace.values()))
        """Documents uploaded per month by all OPDs in the year's snapshots (``None``: not known)."""
        self.paces = opd_paces(
            opds, self.effort, pace if self.basis == "laju" else None, capacity or {}, self.to_close, params
        )
        by_name = {p.opd: p for p in self.paces}
        self.throughput = np.array([by_name[o].person_days for o in self.opd_names])
        """Person-days each OPD spends on uploads before the close at its pace (bounded)."""
        self.work = np.array([self.effort[c].sum() for c in self.cols])
        self.sigma = 0.0 if params.certain else params.error(months_between(as_of, calendar.close))
        self.z = np.random.default_rng([seed, 5]).standard_normal(self.n)
        self._opd_cache: dict[tuple[int, float, bytes], np.ndarray] = {}
        self.columns: dict[tuple[int, int, float], np.ndarray] = {}
        """What a document (row) sent to the verifier a number of days before the close adds in
        each draw, by ``(row, days, gain)``: kept here for every plan search on this engine
        (:meth:`mcp_lib.plan.reserve.Chances.columns`; bounded there)."""
        self._blocks: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._step_setup(stepped, risk_months)

    def _step_setup(self, stepped: np.ndarray, risk_months: np.ndarray) -> None:
        """Per draw, whether each document of a ladder is accepted in full by the year's end: the
        awaiting ones as they are, the open ones if they go up at the pace."""
        full = np.float32(1.0 - 1e-6)
        waiting = self.awaiting[np.isin(self.awaiting, stepped)]
        self.step_awaiting = dict(
            zip(waiting.tolist(), (self.draws.fractions(waiting, self.to_close) >= full).T, strict=True)
        )
        self.step_cols = np.flatnonzero(np.isin(self.still, stepped))
        """Columns among the open documents that belong to a ladder."""
        self.step_full = self.draws.fractions(self.still[self.step_cols], risk_months[self.step_cols]) >= full

    def step_term(
        self, planned: np.ndarray | None = None, accepted: Mapping[int, np.ndarray] | None = None
    ) -> np.ndarray:
        """Per draw, the points the ladders' steps add above now: the awaiting documents as they
        are decided, the open ones outside ``planned`` (bool per open document) if they go up with
        what the OPDs' pace leaves (:meth:`shares`), and the planned ones as ``accepted`` says
        (row → bool per draw; a planned row missing from it is not accepted)."""
        if not self.ladders:
            return np.zeros(self.n)
        if planned is None:
            planned = np.zeros(len(self.still), bool)
        share = self.shares(planned)
        found = dict(self.step_awaiting)
        for j, col in enumerate(self.step_cols):
            if not planned[col]:
                up = self.u[:, col] < np.float32(share[self.opd_of[col]])
                found[int(self.still[col])] = up & self.step_full[:, j]
        found.update(accepted or {})
        return step_points(list(self.ladders), found, self.n)

    # --- the scenarios ------------------------------------------------------------------------

    @property
    def lead(self) -> str:
        """The lead group of the snapshot (:data:`~mcp_lib.risk.params.LEAD_GROUPS`)."""
        return lead_group(months_between(self.as_of, self.calendar.close))

    @property
    def expected_uploads(self) -> float:
        """Open documents expected to go up before the close without a plan."""
        return float(sum(p.expected for p in self.paces))

    def shares(self, planned: np.ndarray | None = None) -> np.ndarray:
        """Per OPD, the chance that each of its open documents outside ``planned`` (bool per
        open document) goes up: what is left of its pace's person-days after the plan's, over the
        person-days of those documents."""
        if planned is None:
            planned = np.zeros(len(self.still), bool)
        spent = np.bincount(self.opd_of[planned], weights=self.effort[planned], minlength=len(self.opd_names))
        rest = self.work - spent
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(rest > 1e-12, np.maximum(self.throughput - spent, 0.0) / rest, 0.0)
        return np.clip(share, 0.0, 1.0)

    def others(self, planned: np.ndarray | None = None) -> np.ndarray:
        """Per draw, what the open documents outside ``planned`` add when each OPD uploads them
        with what its pace leaves (:meth:`shares`). Cached per OPD."""
        if planned is None:
            planned = np.zeros(len(self.still), bool)
        share = self.shares(planned)
        total = np.zeros(self.n)
        for g, cols in enumerate(self.cols):
            if share[g] <= 0 or len(cols) == 0:
                continue
            mask = planned[cols]
            key = (g, round(float(share[g]), 12), np.packbits(mask).tobytes())
            part = self._opd_cache.get(key)
            if part is None:
                u, contrib = self._block(g)
                up = u < np.float32(share[g])
                if mask.any():
                    up[mask] = False
                # Float32 contributions added in float64: exact while the smallest is above 2⁻²³
                # of the total, so the result does not depend on the order of adding.
                part = (contrib * up).sum(axis=0, dtype=np.float64)
                if len(self._opd_cache) > 2048:
                    self._opd_cache.clear()
                self._opd_cache[key] = part
            total += part
        return total

    def _block(self, g: int) -> tuple[np.ndarray, np.ndarray]:
        """OPD ``g``'s columns of :attr:`u` and :attr:`pace_contrib` as rows (documents × draws),
        each document's draws side by side in memory (a plan search asks :meth:`others` again
        each time an OPD's share moves: taking its columns out of the whole matrices was most of
        that time, and adding whole rows is faster than adding along each draw's row). Kept for
        the engine's life."""
        block = self._blocks.get(g)
        if block is None:
            cols = self.cols[g]
            block = self._blocks[g] = (
                np.ascontiguousarray(self.u[:, cols].T),
                np.ascontiguousarray(self.pace_contrib[:, cols].T),
            )
        return block

    def without(self) -> np.ndarray:
        """Final score per draw without a plan (before the calibrated error)."""
        return self.core + self.awaiting_sum + self.others() + self.step_term()

    # --- the calibrated error -------------------------------------------------------------------

    def widened(self, raw: np.ndarray) -> np.ndarray:
        """Scores per draw with the calibrated error, still before the penalty: the share of the gap
        (from the score now to 100) closed, on the logit scale, moved by ``σ·z``."""
        return widen(raw, self.verified_now, self.sigma, self.z)

    def calibrate(self, raw: np.ndarray) -> np.ndarray:
        """Final scores per draw from raw ones (before the calibrated error and the penalty): each
        draw :meth:`widened`, then :func:`~mcp_lib.scoring.after_penalty` (never below 0 or above
        100, so a draw the deduction takes below 0 counts as 0)."""
        return after_penalty(self.widened(raw), self.penalty)

    def threshold(self, target: float) -> np.ndarray:
        """Per draw, the raw score (before the calibrated error and the penalty) that reaches
        ``target`` after both (so a chance is a comparison of raw scores, as the plan search
        needs). Any draw reaches a target of 0 or below (:func:`~mcp_lib.scoring.total_needed`)."""
        wanted = total_needed(target, self.penalty)
        start = self.verified_now
        gap = 100.0 - start
        if gap <= 1e-9 or self.sigma <= 0 or wanted >= 100 - 1e-9:
            return np.full(self.n, wanted)
        f_t = (wanted - start) / gap
        if f_t <= _EPS:
            return np.full(self.n, wanted)
        f = expit(logit(min(f_t, 1 - _EPS)) - self.sigma * self.z)
        return start + gap * np.maximum(f, _EPS * (1 + 1e-9))

    def outlook(self, raw: np.ndarray, target: float | None) -> Outlook:
        """Chance of ``target`` and the band of the final score, from raw scores per draw."""
        cal = self.calibrate(raw)
        p10, p50, p90 = band(cal, self.weights)
        reach = None if target is None else chance(cal, target, self.weights)
        return Outlook(chance=reach, p10=p10, median=p50, p90=p90)

    def quantile(self, raw: np.ndarray, level: float) -> float:
        """The ``level`` quantile of the final score with the calibrated error (percent)."""
        return float(weighted_quantiles(self.calibrate(raw), self.weights, [level])[0])

    def path(self, raw_final: np.ndarray, steps: list[tuple[dt.date, np.ndarray]]) -> pd.DataFrame:
        """``date, p10, median, p90`` from raw scores per draw at each date (``steps``) and at
        the final date (``raw_final``): each draw's rise is scaled by what the calibrated error
        does to its final score, so the path ends on the calibrated band."""
        start = self.verified_now
        widened = self.widened(raw_final)  # before the penalty, like the steps
        rise = raw_final - start
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(np.abs(rise) > 1e-9, (widened - start) / rise, 1.0)
        rows = []
        for day, raw in steps:
            scaled = after_penalty(start + (raw - start) * ratio, self.penalty)
            rows.append((day, *band(scaled, self.weights)))
        rows.append((max(self.calendar.final, self.as_of), *band(self.calibrate(raw_final), self.weights)))
        return pd.DataFrame(rows, columns=["date", "p10", "median", "p90"])

    def without_path(self) -> pd.DataFrame:
        """The month-end path without a plan: a document counts once verified (its upload plus
        the verification lag); QA at the final date."""
        lag = self.params.verify_lag_months
        share = self.shares()
        up = self.u < share[self.opd_of][None, :].astype(np.float32)
        contrib = self.pace_contrib * up
        done = (self.to_close - self.up_months) + lag
        base = self.verified_now  # QA only at the final date
        steps = []
        for day in self._month_ends():
            t = months_between(self.as_of, day)
            s = base + (self.awaiting_sum if lag <= t else 0.0) + self._steps_by(t, up, done)
            steps.append((day, s + contrib[:, done <= t].sum(axis=1, dtype=np.float64)))
        return self.path(self.without(), steps)

    def _steps_by(self, t: float, up: np.ndarray, done: np.ndarray) -> np.ndarray | float:
        """What the ladders' steps add per draw ``t`` months after the snapshot, without a plan:
        a document counts once verified (``up``: draws × open documents going up; ``done``: months
        after the snapshot each open one is verified)."""
        if not self.ladders:
            return 0.0
        lag = self.params.verify_lag_months
        found = {row: acc & (lag <= t) for row, acc in self.step_awaiting.items()}
        for j, col in enumerate(self.step_cols):
            found[int(self.still[col])] = up[:, col] & self.step_full[:, j] & (done[col] <= t)
        return step_points(list(self.ladders), found, self.n)

    def _month_ends(self) -> list[dt.date]:
        ends = pd.date_range(pd.Timestamp(self.as_of), pd.Timestamp(self.calendar.final), freq="ME")
        return sorted({self.as_of, *(e.date() for e in ends if self.as_of < e.date() < self.calendar.final)})


@dataclass(frozen=True, eq=False)
class Forecast:
    """The year's end without a plan (*bila laju sekarang berlanjut*), percent.

    Attributes
    ----------
    basis
        ``laju`` (the OPDs' own pace), ``kurva`` (a typical pemda's completion, no pace known),
        ``total`` (from totals alone, :func:`forecast_totals`), ``final`` (the score is final).
    p10, median, p90
        Quantiles of the final score with the calibrated error: 80% of simulated years end between
        ``p10`` and ``p90``.
    p_target
        Chance the final score reaches ``target`` (``None`` without a target).
    path
        ``date, p10, median, p90`` at each month end from the snapshot to the final date.
    open_documents, expected_uploads
        Documents not yet uploaded (or to be re-uploaded), and how many of them are expected to
        go up before the close.
    pace
        Documents uploaded per month in the year's snapshots, all OPDs (``None`` when not known).
    opds
        Each OPD's pace against its capacity (:class:`OpdPace`).
    lead, error
        The lead group (:data:`~mcp_lib.risk.params.LEAD_GROUPS`) and the calibrated error σ used.
    assumptions
        What the forecast assumes, in Bahasa Indonesia (shown next to it).
    """

    basis: str
    as_of: dt.date
    calendar: Calendar
    current: float
    claim: float | None
    p10: float
    median: float
    p90: float
    target: float | None
    p_target: float | None
    path: pd.DataFrame
    open_documents: int
    expected_uploads: float
    pace: float | None
    assumptions: tuple[str, ...]
    reachable: bool = True
    """Whether the target can be reached at all if every open document goes up and is accepted
    (a chance of 0 in the draws then means small, not impossible)."""
    opds: tuple[OpdPace, ...] = field(default=())
    lead: str = ""
    error: float = 0.0
    surge: float = 2.0

    @property
    def outlook(self) -> Outlook:
        return Outlook(self.p_target, self.p10, self.median, self.p90)

    def pace_notes(self) -> list[str]:
        """One sentence per OPD whose observed pace is more than its recorded capacity allows."""
        from mcp_lib import text

        return [
            f"{p.opd} mengunggah {text.number(p.pace, 1)} dokumen/bulan; kapasitas yang dicatat cukup untuk "
            f"{text.number(p.capacity_documents, 1)} (proyeksi memakai yang lebih kecil)"
            for p in self.opds
            if p.pace_exceeds_capacity
        ]

    def expected_by(self, day: dt.date) -> float:
        """Documents expected to have gone up between the snapshot and ``day``."""
        share = uploaded_share_by(
            months_between(self.as_of, day), months_between(self.as_of, self.calendar.close), self.surge
        )
        return self.expected_uploads * share

    def as_dict(self) -> dict:
        """The forecast machine-readably (``mcp forecast --json``)."""
        return {
            "basis": self.basis,
            "as_of": self.as_of.isoformat(),
            "close": self.calendar.close.isoformat(),
            "final": self.calendar.final.isoformat(),
            "calendar_source": self.calendar.source,
            "current": self.current,
            "claim": self.claim,
            "median": self.median,
            "p10": self.p10,
            "p90": self.p90,
            "target": self.target,
            "p_target": self.p_target,
            "open_documents": self.open_documents,
            "expected_uploads": self.expected_uploads,
            "pace": self.pace,
            "reachable": self.reachable,
            "lead": self.lead,
            "error": self.error,
            "assumptions": list(self.assumptions),
        }


def _assumptions(
    params: RiskParams, calendar: Calendar, basis: str, conditioned: bool, months: float
) -> tuple[str, ...]:
    from mcp_lib import text

    upload = {
        "laju": "setiap OPD terus mengunggah dengan lajunya sendiri di snapshot tahun ini (bulan terakhir "
        f"{text.number(params.surge, 1)}× lebih cepat), paling banyak sebanyak kapasitas OPD yang dicatat; dokumen "
        "mana yang naik tidak diketahui",
        "kurva": "tanpa laju (kurang dari dua snapshot tahun ini): bagian dokumen yang diunggah seperti pemda pada "
        "umumnya, paling banyak sebanyak kapasitas OPD yang dicatat",
        "total": "dokumen yang belum diunggah naik seperti pemda pada umumnya; komposisi dokumen dari jumlah "
        "dokumen kerangka",
    }[basis]
    blockers = ", ".join(
        f"{key.upper() if len(key) <= 3 else key.capitalize()} {text.percent(100 * v, 0)}"
        for key, _p, v in BLOCKER_CLEAR
    )
    out = [
        upload,
        "dokumen yang terblokir pihak luar ikut dihitung dengan peluang hambatannya teratasi sebelum batas unggah "
        f"({blockers}, lainnya {text.percent(100 * params.blocker_default, 0)})",
        f"batas unggah {text.date(calendar.close)}, nilai final {text.date(calendar.final)} ({calendar.source})",
        "risiko verifikasi: nilai sebagian, unggah ulang sampai batas unggah, efek pemda bersama, risiko kecil pada "
        "QA akhir untuk nilai yang sudah diverifikasi; parameter diperkirakan dari data MCP 2020–21",
        f"ditambah galat proyeksi yang terukur pada tahun nyata untuk data {lead_label(months)} (lihat Metode)",
    ]
    if basis == "total":
        out.pop(1)  # nothing is known of blockers from a total
    if conditioned:
        out.append("efek pemda diperbarui dengan catatan verifikasi pemda ini (dokumen yang sudah diputuskan)")
    return tuple(out)


def document_effort(docs: pd.DataFrame, cand: pd.DataFrame) -> np.ndarray:
    """Person-days per row of ``docs`` from the candidates' costs (``row``, ``cost``); NaN for
    documents that are not candidates."""
    out = np.full(len(docs), np.nan)
    out[cand["row"].to_numpy(int)] = cand["cost"].to_numpy(float)
    return out


def year_end(
    framework: Framework,
    pemda: Pemda,
    snapshot: Snapshot,
    opd_history: pd.DataFrame | None = None,
    options: ForecastOptions = ForecastOptions(),
    *,
    docs: pd.DataFrame | None = None,
    effort: np.ndarray | None = None,
) -> YearEnd:
    """The engine for a pemda's snapshot: its documents, its OPDs' pace (from ``opd_history``,
    :func:`mcp_lib.trend.opd_history`) and capacity (``pemda.toml``, overridden by
    ``options.capacity``; none with ``use_capacity=False``), its record and its penalty. The
    planner passes the scored ``docs`` and the candidates' ``effort`` it already has."""
    from mcp_lib.candidates import select_candidates
    from mcp_lib.trend import opd_pace

    options = options.for_pemda(pemda, framework)
    assert options.risk is not None and options.calendar is not None  # given or the pemda's
    docs = score_documents(framework, pemda.kind, snapshot) if docs is None else docs
    if effort is None:
        effort = document_effort(docs, select_candidates(docs, None, None))
    opds = sorted(docs["opd"].fillna("").astype(str).unique())
    per_month = options.per_month(pemda, opds)
    inputs: dict[str, Any] = {
        "effort": np.asarray(effort, float),
        "pace": None if opd_history is None else opd_pace(opd_history, snapshot.date),
        "capacity": dict(zip(opds, per_month, strict=True)),
        "penalty": penalty_points(framework, pemda),
        "draws": options.draws,
        "seed": options.seed,
        "ladders": item_ladders(docs, framework.methods),
    }
    key = _engine_key(docs, options.risk, options.calendar, snapshot.date, inputs)
    with _ENGINES_LOCK:
        engine = _ENGINES.pop(key, None) if key is not None else None
    if engine is None:
        engine = YearEnd(docs, options.risk, options.calendar, snapshot.date, **inputs)
    if key is not None:
        with _ENGINES_LOCK:
            _ENGINES[key] = engine  # the most recently asked for last
            while len(_ENGINES) > ENGINES_KEPT:
                _ENGINES.pop(next(iter(_ENGINES)))
    return engine


ENGINES_KEPT = 3
"""Year's-end engines :func:`year_end` keeps in a process, the most recently asked for, by their
inputs (:func:`_engine_key`). A brief asks for the same engine up to four times (step 2's plan
and forecast, then the scenarios that keep the OPDs' capacities: allowing blocked documents or
another keyakinan changes the plan, not the year's end); each one made is ~0.1 s at 680
documents and some 50 MB of draws. An engine is made from its inputs alone (fixed seeds) and
nothing changes it once made but its caches, so the one kept is the one that would be made."""
_ENGINES: dict[str, YearEnd] = {}
_ENGINES_LOCK = threading.Lock()


def _engine_key(
    docs: pd.DataFrame, params: RiskParams, calendar: Calendar, as_of: dt.date, inputs: dict[str, Any]
) -> str | None:
    """A fingerprint of everything :class:`YearEnd` is made from: the whole scored table (every
    column, so a column the engine comes to read is never left out), the parameters, dates and
    the rest of ``inputs``; ``None`` when a cell cannot be fingerprinted (the engine is then made
    and not kept)."""
    try:
        table = pd.util.hash_pandas_object(docs, index=True).to_numpy()
    except TypeError:
        return None
    h = hashlib.sha256(table.tobytes())
    h.update(repr((list(docs.columns), [str(t) for t in docs.dtypes], params, calendar, as_of)).encode())
    for name in ("pace", "capacity", "penalty", "draws", "seed"):
        h.update(repr((name, inputs[name])).encode())
    h.update(inputs["effort"].tobytes())
    for ladder in inputs["ladders"]:
        h.update(repr((ladder.code, ladder.met, ladder.steps)).encode())
        for unit in ladder.units:
            h.update(np.asarray(unit, np.int64).tobytes() + b"|")
    return h.hexdigest()


def forecast_pemda(
    framework: Framework,
    pemda: Pemda,
    snapshot: Snapshot,
    *,
    opd_history: pd.DataFrame | None = None,
    target: float | None = None,
    options: ForecastOptions = ForecastOptions(),
) -> Forecast:
    """The year's end of a pemda without a plan (*bila laju sekarang berlanjut*): at its OPDs'
    own pace bounded by their capacity (basis ``laju``), or like a typical pemda when the pace is
    unknown (basis ``kurva``).

    Parameters
    ----------
    opd_history
        Documents per OPD and snapshot (:func:`mcp_lib.trend.opd_history`): each OPD's pace is
        read from the year's snapshots up to ``snapshot``.
    target
        Score to reach, percent (default: the pemda's).
    options
        Risk parameters, calendar, capacities and draws (:class:`ForecastOptions`; the planner's
        defaults: the same draws give the same numbers as the plan's scenario without a plan).
    """
    options = options.for_pemda(pemda, framework)
    assert options.calendar is not None  # given or the pemda's
    target = float(pemda.target if target is None else target)
    docs = score_documents(framework, pemda.kind, snapshot)
    app = docs["applicable"].to_numpy(bool)
    penalty = penalty_points(framework, pemda)
    current = after_penalty(float(docs.loc[app, "earned"].sum()), penalty)
    claim = after_penalty(float(docs.loc[app, "claim_earned"].sum()), penalty)
    if options.calendar.is_final(snapshot.date):
        return _settled(current, claim, snapshot.date, options.calendar, target)
    engine = year_end(framework, pemda, snapshot, opd_history, options, docs=docs)
    return _forecast(engine, target, claim, docs, conditioned=True)


def _forecast(
    engine: YearEnd,
    target: float | None,
    claim: float | None,
    docs: pd.DataFrame,
    *,
    conditioned: bool,
    basis: str | None = None,
) -> Forecast:
    out = engine.outlook(engine.without(), target)
    status = docs["status"].to_numpy()
    app = docs["applicable"].to_numpy(bool)
    # Every document awaiting verification, and while uploads are open every other one, accepted.
    can_rise = (status == DIUNGGAH) | engine.calendar.uploads_open(engine.as_of)
    best = after_penalty(engine.verified_now + float(docs.loc[app & can_rise, "open"].sum()), engine.penalty)
    reachable = target is None or bool(best >= target - 1e-9)
    basis = basis or engine.basis
    return Forecast(
        basis=basis,
        as_of=engine.as_of,
        calendar=engine.calendar,
        current=engine.current,
        claim=claim,
        p10=out.p10,
        median=out.median,
        p90=out.p90,
        target=target,
        p_target=out.chance,
        path=engine.without_path(),
        open_documents=len(engine.still),
        expected_uploads=engine.expected_uploads,
        pace=engine.pace_total,
        assumptions=_assumptions(
            engine.params, engine.calendar, basis, conditioned, months_between(engine.as_of, engine.calendar.close)
        ),
        reachable=reachable,
        opds=engine.paces,
        lead=engine.lead,
        error=engine.sigma,
        surge=engine.params.surge,
    )


def _settled(current: float, claim: float | None, as_of: dt.date, calendar: Calendar, target: float | None) -> Forecast:
    """The forecast once the score is final (:meth:`~mcp_lib.framework.calendar.Calendar.is_final`):
    nothing is uncertain. ``current`` is the total as shown (after any penalty)."""
    from mcp_lib import text

    current = after_penalty(current)
    path = pd.DataFrame({"date": [as_of], "p10": [current], "median": [current], "p90": [current]})
    return Forecast(
        basis="final",
        as_of=as_of,
        calendar=calendar,
        current=current,
        claim=claim,
        p10=current,
        median=current,
        p90=current,
        target=target,
        p_target=None if target is None else float(current >= target - 1e-9),
        path=path,
        open_documents=0,
        expected_uploads=0.0,
        pace=None,
        assumptions=(f"tanggal nilai final {text.date(calendar.final)} sudah lewat: nilai ini nilai final",),
        reachable=target is None or current >= target - 1e-9,
    )


def totals_documents(
    score: float, n_documents: int, per_sub: float, awaiting: float, returned: float, seed: int = 0
) -> pd.DataFrame:
    """Equal-weight documents standing for a pemda known by its total ``score``: verified ones
    (the score) and the rest split into awaiting verification (share ``awaiting`` of the points not
    verified), returned (``returned``) and not uploaded. Columns as
    :func:`mcp_lib.scoring.score_documents` gives them (one OPD)."""
    unit = 100.0 / n_documents
    n_ver = round(score / unit) if score > 1e-9 else 0
    n_ver = min(max(n_ver, 1 if score > 1e-9 else 0), n_documents - (1 if score < 100 - 1e-9 else 0))
    n_rest = n_documents - n_ver
    each_ver = score / n_ver if n_ver else 0.0
    each_rest = (100.0 - score) / n_rest if n_rest else 0.0
    n_await = min(round(awaiting * n_rest), n_rest)
    n_ret = min(round(returned * n_rest), n_rest - n_await)
    status = [DIVERIFIKASI] * n_ver + [DIUNGGAH] * n_await + [PERLU_PERBAIKAN] * n_ret
    status += [BELUM] * (n_documents - len(status))
    rng = np.random.default_rng([seed, 2])
    sub = rng.permutation(n_documents) // max(1, round(per_sub))
    verified = np.arange(n_documents) < n_ver
    return pd.DataFrame(
        {
            "doc_code": [f"D{i:04d}" for i in range(n_documents)],
            "subindicator_code": [f"S{s:04d}" for s in sub],
            "area_code": "",
            "area_name": "",
            "opd": "",
            "status": status,
            "applicable": True,
            "points": 100.0,
            "verified_points": np.where(verified, 100.0, 0.0),
            "open": np.where(verified, 0.0, each_rest),
            "earned": np.where(verified, each_ver, 0.0),
            "blocker": "",
        }
    )


@dataclass(frozen=True)
class DashboardTotal:
    """A pemda known only by its dashboard total: a provincial coordinator's case, and the real
    provisional scores the engine is checked on (:mod:`mcp_lib.backtest`)."""

    score: float
    """The verified total on the dashboard, percent."""
    as_of: dt.date
    """The day the dashboard showed it."""
    claim: float | None = None
    """The claimed total (verified and awaiting verification), when known."""
    kind: str = "kabupaten"
    """``provinsi``, ``kabupaten`` or ``kota`` (how many documents its framework has)."""
    year: int | None = None
    """The framework year (``None``: the year of ``as_of``)."""
    framework: Framework | None = None
    """The framework, when there is one (else the documents of :data:`DEFAULT_DOCUMENTS`)."""

    def __post_init__(self) -> None:
        check_kind(self.kind)

    @property
    def framework_year(self) -> int:
        return self.year or self.as_of.year

    def documents(self) -> tuple[int, float]:
        """How many documents stand for the pemda, and how many per sub-indicator."""
        if self.framework is not None:
            applies = self.framework.applies(self.kind)
            n_documents = int(applies.sum())
            subs = self.framework.documents.loc[applies.to_numpy(), "subindicator_code"].nunique()
            return n_documents, n_documents / max(1, subs)
        if self.framework_year >= 2025:
            return DEFAULT_DOCUMENTS.get(self.kind, 680), DOCS_PER_SUB[2025]
        return DOCUMENTS_BEFORE_2025, DOCS_PER_SUB[0]

    def calendar(self, options: ForecastOptions) -> Calendar:
        """The calendar of ``options``, else the framework's, else the year's default."""
        if options.calendar is not None:
            return options.calendar
        dates = (None, None) if self.framework is None else (self.framework.upload_close, self.framework.final_date)
        return resolve_calendar(self.framework_year, dates)


def totals_engine(total: DashboardTotal, options: ForecastOptions = ForecastOptions()) -> tuple[YearEnd, pd.DataFrame]:
    """The engine of a pemda known only by its dashboard total (and claim): see
    :func:`forecast_totals`. Returns the engine and the documents standing for the pemda."""
    params = options.risk or RiskParams()
    n_documents, per_sub = total.documents()
    rest = 100.0 - total.score
    awaiting = params.awaiting_share  # unless the claim says it
    if total.claim is not None:
        awaiting = max(0.0, total.claim - total.score) / rest if rest > 1e-9 else 0.0
    returned = params.returned_share * (1 - awaiting) / max(1 - params.awaiting_share, 1e-9)
    docs = totals_documents(total.score, n_documents, per_sub, awaiting, returned, options.seed)
    engine = YearEnd(
        docs,
        replace(params, pemda_sd=0.0),
        total.calendar(options),
        total.as_of,
        condition=False,
        draws=options.draws,
        seed=options.seed,
    )
    return engine, docs


def forecast_totals(
    total: DashboardTotal, target: float | None = None, options: ForecastOptions = ForecastOptions()
) -> Forecast:
    """The final score of a pemda known only by its dashboard total (and its claim, if known):
    the engine of :func:`forecast_pemda` reduced to totals (basis ``total``).

    The pemda is represented by as many equal-weight documents as its framework has
    (``framework`` if given, else :data:`DEFAULT_DOCUMENTS` for 2025 on, else
    :data:`DOCUMENTS_BEFORE_2025`); the unknown documents are assumed to behave like the average
    document (area multiplier 1); the typical completion, no OPD capacity, and no pemda effect
    (its spread between pemda is part of the calibrated error, measured on this reduction).
    """
    calendar = total.calendar(options)
    if calendar.is_final(total.as_of):
        return _settled(float(total.score), total.claim, total.as_of, calendar, target)
    engine, docs = totals_engine(total, options)
    return _forecast(engine, target, total.claim, docs, conditioned=False, basis="total")


__all__: Sequence[str] = (
    "WITHOUT_PLAN",
    "WITH_PLAN",
    "DashboardTotal",
    "Forecast",
    "ForecastOptions",
    "OpdPace",
    "Outlook",
    "YearEnd",
    "forecast_pemda",
    "forecast_totals",
    "totals_engine",
    "upload_months",
    "widen",
    "year_end",
)
