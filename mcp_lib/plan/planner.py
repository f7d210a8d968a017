"""The path to the target: which remaining documents lift the verified score at least effort.

A **candidate** is every applicable document not fully verified. Its **gain** is the points of
the total score it adds when verified in full, ``effective weight × (points − verified)``
(see :mod:`mcp_lib.scoring`: all three weight levels and the not-applicable renormalisation).
Its **cost** is ``effort_days`` (person-days), or :data:`~mcp_lib.candidates.DEFAULT_EFFORT` by
status when blank.

Documents already uploaded (``diunggah``) cost nothing and are always in the plan ("kawal
verifikasi": follow them up with the verifier). Two plans are made for each target:

- the **minimal plan**: the least effort if every planned document is accepted in full, an
  exact 0/1 integer program (``scipy.optimize.milp``, HiGHS)::

      minimise Σ cost·x   subject to   total + Σ gain·x ≥ target + penalty,
                                       Σ_{OPD o} cost·x ≤ capacity_o   for each OPD with a capacity,
                                       x = 0 for blocked (unless allowed) and ruled-out documents,
                                       x = 1 for must-do and uploaded documents;

  (``total``: the verified total before the year's penalty, see
  :func:`mcp_lib.scoring.total_needed`); ties broken by further solves: fewer documents, then
  earlier due dates, then document code;
- the **plan with reserve** (the recommendation): the least effort whose chance of reaching the
  target under the verification-risk model (:mod:`mcp_lib.risk.model`) is at least ``confidence``
  (default 0.8). It solves the same program with each document's *expected* gain and a raised
  target ``target + β``, estimates the chance by Monte Carlo on common random numbers, bisects
  on ``β`` and keeps the cheapest plan that passes; then drops documents the chance does not
  need and swaps costly documents for cheaper ones that keep it. The documents it adds to the
  minimal plan are the **reserve** (``cadangan``).

Documents are scheduled month by month within each OPD's capacity until the planning horizon
(the pemda's deadline or the upload close, whichever comes first); a document uploaded earlier
has more time for a re-upload before the close, so its risk is lower.

This module assembles the plan (:func:`plan_path`, :class:`Plan`, :class:`Verdict`) from its parts:
:mod:`mcp_lib.candidates` (gain and cost), :mod:`mcp_lib.plan.optimise` (the 0/1 program and its
solvers), :mod:`mcp_lib.plan.reserve` (the chance of a plan, the plan with reserve),
:mod:`mcp_lib.schedule` (horizon and OPD queues) and :mod:`mcp_lib.plan.obstacles` (what stands in the
way). Several targets: :mod:`mcp_lib.plan.targets`; what-ifs and scenario files: :mod:`mcp_lib.plan.scenario`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from mcp_lib import text
from mcp_lib.candidates import select_candidates
from mcp_lib.config import DEFAULT_CONFIDENCE
from mcp_lib.errors import InputError, Problem
from mcp_lib.forecast import ForecastOptions, Outlook, document_effort, year_end
from mcp_lib.framework.calendar import DAYS_PER_MONTH, Calendar, months_between
from mcp_lib.framework.model import DEFAULT_LEVELS, Framework, Level
from mcp_lib.ladders import Ladder, item_ladders
from mcp_lib.pemda.model import Pemda
from mcp_lib.pemda.snapshot import Snapshot
from mcp_lib.plan.obstacles import chance_limits, closed_obstacles, obstacles
from mcp_lib.plan.optimise import Problem01, StepGroup, gain_of, solve_greedy, solve_max_gain, solve_min_effort
from mcp_lib.plan.reserve import Chances, chance_plan
from mcp_lib.schedule import Schedule, alone_finish, planning_horizon
from mcp_lib.scoring import after_penalty, penalty_points, score_documents, total_needed
from mcp_lib.statuses import DIUNGGAH

REASONS = {
    "sudah diunggah": "already uploaded: follow up with the verifier",
    "wajib": "must-do (asked by the user)",
    "target": "in the minimal plan",
    "cadangan": "reserve: added so that the chance reaches the confidence",
}
"""Why a document is in the plan (the ``reason`` column)."""


@dataclass(frozen=True)
class Option:
    """A plan in two numbers: documents and person-days."""

    documents: int
    effort: float

    def as_dict(self) -> dict:
        return {"documents": self.documents, "effort": self.effort}


@dataclass(frozen=True)
class Verdict:
    """The answer for one target: can it be reached, at what effort, with what chance.

    Scores in percent; efforts in person-days; probabilities 0–1. ``documents``, ``effort`` and
    ``score_after`` describe the recommended plan (with reserve when needed).

    The two chances of the year's end, from one engine on the same draws
    (:class:`mcp_lib.forecast.YearEnd`), are the only ones: ``without_plan`` (*bila laju sekarang
    berlanjut*: the OPDs keep their pace, bounded by their capacity) and ``with_plan`` (*bila
    rencana dijalankan*: the recommended plan on schedule, the OPDs' other documents with what
    their pace leaves). ``confidence`` (*keyakinan*) is the setting that sizes the plan, never an
    estimate.

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
        The minimal plan: documents and effort if every planned document is accepted and nothing
        else goes up.
    reserve_documents, reserve_effort
        What the recommended plan adds to the minimal one (documents it no longer needs are
        subtracted from the effort; negative when the OPDs' pace makes part of it unnecessary).
    confidence_met
        Whether ``with_plan.chance`` reaches the confidence; when not, the plan is the one of the
        highest chance found within the constraints.
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
    confidence: float
    confidence_met: bool
    without_plan: Outlook
    with_plan: Outlook
    minimal: Option | None = None
    reserve_documents: int = 0
    reserve_effort: float = 0.0
    limits: tuple[str, ...] = ()
    others: float = 0.0
    """Mean points the OPDs' other documents add with the plan (what their pace leaves): the plan
    counts on the OPDs keeping it."""
    assured: float = float("nan")
    """The score the plan reaches with the keyakinan: the ``1 − confidence`` quantile of the final
    score with it (percent); what the target could be lowered to when the keyakinan is out of reach."""

    @property
    def p_target(self) -> float:
        """The chance with the plan (``with_plan.chance``)."""
        return float(self.with_plan.chance or 0.0)

    @property
    def final_band(self) -> tuple[float, float, float]:
        """10%, 50% and 90% quantiles of the final score with the plan."""
        return (self.with_plan.p10, self.with_plan.median, self.with_plan.p90)

    @property
    def recommended(self) -> Option:
        return Option(self.documents, self.effort)

    @property
    def with_below_without(self) -> bool:
        """Whether the chance with the plan is lower than without it (possible only when the plan
        uploads documents later than the pace would, or targets documents the verifier returns
        more often: shown with :data:`WITH_BELOW_WITHOUT`)."""
        return float(self.with_plan.chance or 0.0) < float(self.without_plan.chance or 0.0) - 1e-9

    def as_dict(self) -> dict:
        """The verdict machine-readably (``mcp plan --json``)."""
        return {
            "target": self.target,
            "reachable": self.reachable,
            "current": self.current,
            "without_plan": self.without_plan.as_dict(),
            "with_plan": self.with_plan.as_dict(),
            "minimal": None if self.minimal is None else self.minimal.as_dict(),
            "reserve": {
                **self.recommended.as_dict(),
                "extra_documents": self.reserve_documents if self.minimal is not None else None,
                "extra_effort": self.reserve_effort if self.minimal is not None else None,
            },
            "confidence": self.confidence,
            "confidence_met": self.confidence_met,
            "score_after": self.score_after,
            "shortfall": self.shortfall,
            "greedy_effort": self.greedy_effort,
            "others_expected": self.others,
            "assured": self.assured,
            "limits": list(self.limits),
        }


WITH_BELOW_WITHOUT = (
    "Peluang bila rencana dijalankan lebih kecil daripada bila laju sekarang berlanjut: rencana menjadwalkan "
    "sebagian dokumennya lebih lambat daripada laju unggah sekarang (lebih sedikit waktu untuk unggah ulang bila "
    "ditolak) atau memilih dokumen yang lebih sering dikembalikan verifikator; mengunggah dokumen rencana lebih "
    "awal menutup selisih ini."
)
"""The sentence shown wherever a chance with the plan below the chance without it is shown."""


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
        "doc_code",
        "doc_name",
        *items,
        "opd",
        "status",
        "action",
        "gain",
        "effort",
        "p_full",
        "expected",
        "due_date",
        "blocker",
    ]


PLAN_COLUMNS = plan_columns()
"""Columns of a plan on a three-level framework (2023, 2024)."""


@dataclass(frozen=True)
class PlanOptions(ForecastOptions):
    """What shapes a plan besides its target: the year's-end simulation it is sized on
    (:class:`~mcp_lib.forecast.ForecastOptions`: ``risk``, ``calendar``, ``capacity``,
    ``use_capacity``, ``draws``, ``seed``) and the choices below. Document codes are kept as
    tuples, in the order given."""

    confidence: float = DEFAULT_CONFIDENCE
    """Wanted chance (0–1) of reaching the target given verification risk (the *keyakinan*); 0
    keeps the minimal plan."""
    allow_blocked: bool = False
    """Let the plan use documents held up by an outside body (``blocker`` filled); they count only
    if the blocker clears by the close (:mod:`mcp_lib.risk.model`)."""
    must: Iterable[str] = ()
    """Document codes that must be in the plan (``wajib``)."""
    exclude: Iterable[str] = ()
    """Document codes the user rules out (an excluded document that is already uploaded counts as
    not accepted)."""
    default_effort: Mapping[str, float] | None = None
    """Person-days by status for documents without ``effort_days``, over
    :data:`~mcp_lib.candidates.DEFAULT_EFFORT`."""
    effort: Mapping[str, float] | None = None
    """Person-days by document code, over the file's ``effort_days``."""
    within: Iterable[str] | None = None
    """Only these documents may be planned (:func:`~mcp_lib.plan.targets.plan_targets` nests a
    lower target's plan inside a higher one's)."""
    include: Iterable[str] = ()
    """These documents are planned without being must-do (nesting the other way round)."""

    def __post_init__(self) -> None:
        for name in ("must", "exclude", "include"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        if self.within is not None:
            object.__setattr__(self, "within", tuple(self.within))


def _check_codes(docs: Iterable[str], what: str, all_codes: set[str]) -> list[Problem]:
    return [
        Problem(what, "kode dokumen tidak dikenal", value=code, expected="kode dari evidence.csv")
        for code in docs
        if code not in all_codes
    ]


def _check_options(options: PlanOptions, framework: Framework) -> None:
    """Must-do and ruled-out documents are the framework's, and none is both."""
    must, exclude = set(options.must), set(options.exclude)
    all_codes = set(framework.documents["doc_code"])
    problems = _check_codes(must, "--must", all_codes) + _check_codes(exclude, "--exclude", all_codes)
    problems += [Problem("--must", "dokumen wajib sekaligus dikecualikan", value=c) for c in sorted(must & exclude)]
    if problems:
        raise InputError(problems)


def _due_days(cand: pd.DataFrame, start: dt.date, deadline: dt.date) -> np.ndarray:
    far = (deadline - start).days + 366
    due = pd.to_datetime(cand["due_date"])
    days = (due - pd.Timestamp(start)).dt.days
    return days.fillna(far).to_numpy(float)


@dataclass(frozen=True, eq=False)
class _Setup:
    """What a plan is chosen from: the snapshot scored once, its candidates (in document code
    order), the 0/1 program over them and their schedule."""

    docs: pd.DataFrame
    cand: pd.DataFrame
    total: float
    """The verified total now before the year's penalty."""
    penalty: float
    horizon: dt.date
    closed: bool
    """Whether uploads are closed: only what awaits verification still counts."""
    notes: tuple[str, ...]
    opds: list[str]
    uploaded: np.ndarray
    """Per candidate: awaiting verification and not ruled out."""
    prob: Problem01
    sched: Schedule

    @property
    def codes(self) -> pd.Series:
        return self.cand["doc_code"]


def _setup(framework: Framework, pemda: Pemda, snapshot: Snapshot, target: float, options: PlanOptions) -> _Setup:
    assert options.calendar is not None  # resolved by plan_path
    horizon, closed, notes = planning_horizon(pemda.deadline, options.calendar, snapshot.date)
    docs = score_documents(framework, pemda.kind, snapshot)  # scored once: current score and candidates
    # The target must be reached after the year's penalty: the plan adds points to the total before
    # it (``total``) and every score it shows is after it (``after_penalty``, never below 0).
    penalty = penalty_points(framework, pemda)
    total = float(docs.loc[docs["applicable"], "earned"].sum())
    cand = select_candidates(docs, options.default_effort, options.effort)
    cand = cand.sort_values("doc_code", kind="stable").reset_index(drop=True)
    _check_options(options, framework)
    opds = sorted(cand["opd"].unique())
    group = cand["opd"].map({o: i for i, o in enumerate(opds)}).to_numpy(int)
    per_month = options.per_month(pemda, opds)
    months = max(0.0, months_between(snapshot.date, horizon))
    cap = np.where(np.isfinite(per_month), np.where(np.isfinite(per_month), per_month, 0.0) * months, np.inf)
    uploaded, force, ban = _bounds(cand, options, closed)
    need = total_needed(target, penalty) - total
    steps = step_groups(item_ladders(docs, framework.methods), cand["row"].to_numpy(int))
    stepped = np.zeros(len(cand), bool)
    for g in steps:
        stepped[np.concatenate(g.units)] = True
    gain = np.where(stepped, 0.0, cand["gain"].to_numpy(float))
    cost = cand["cost"].to_numpy(float)
    due = _due_days(cand, snapshot.date, horizon)
    prob = Problem01(gain, cost, need, group, cap, force, ban & ~force, due, steps=steps)
    sched = Schedule(cand, group, per_month, snapshot.date, horizon)
    return _Setup(docs, cand, total, penalty, horizon, closed, notes, opds, uploaded, prob, sched)


def step_groups(found: list[Ladder], rows: np.ndarray) -> tuple[StepGroup, ...]:
    """The ladders (:mod:`mcp_lib.ladders`) as step groups over the candidates whose rows in the
    scored table are ``rows``: a unit with a document that is no candidate cannot be completed by
    a plan and is left out, and so are the steps it would take."""
    where = {int(r): i for i, r in enumerate(rows)}
    out = []
    for ladder in found:
        units = tuple(
            np.array([where[int(r)] for r in unit], np.int64)
            for unit in ladder.units
            if all(int(r) in where for r in unit)
        )
        reach = ladder.met + len(units)
        ladder_steps = tuple((k, g) for k, g in ladder.steps if k <= reach)
        if units and ladder_steps:
            out.append(StepGroup(units, ladder.met, ladder_steps))
    return tuple(out)


def shown_gain(prob: Problem01, share: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Per candidate, the points of the total it brings in plan ``x`` (0 outside it): its own
    gain, or for a document of a step group, the step that ``x`` reaches shared over the group's
    documents in units ``x`` completes, in proportion to ``share`` (their shares of the item); a
    document of a unit left incomplete brings nothing. The documents of ``x`` add up to
    :func:`~mcp_lib.plan.optimise.gain_of`."""
    out = np.where(x, prob.gain, 0.0)
    for group in prob.steps:
        rows = np.concatenate([unit for unit in group.units if x[unit].all()] or [np.zeros(0, np.int64)])
        reached = group.gain_at(group.count(x))
        if len(rows) and reached > 0:
            out[rows] = reached * share[rows] / share[rows].sum()
    return out


def _bounds(cand: pd.DataFrame, options: PlanOptions, closed: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per candidate: awaiting verification (and not ruled out), forced into the plan, kept out of it."""
    codes = cand["doc_code"]
    must, exclude = set(options.must), set(options.exclude)
    # An uploaded document the user rules out counts as not accepted (e.g. the analyst knows the
    # verifier will return it): it leaves the plan like any other excluded document.
    uploaded = ((cand["status"] == DIUNGGAH) & ~codes.isin(exclude)).to_numpy()
    force = (uploaded | codes.isin(must) | codes.isin(set(options.include))).to_numpy()
    ban = (codes.isin(exclude) | (cand["blocked"] & ~options.allow_blocked & ~codes.isin(must))).to_numpy()
    if closed:  # after the upload close nothing new goes up: only what awaits verification counts
        force = uploaded.copy()
        ban = ~uploaded
    if options.within is not None:
        ban = ban | ~codes.isin(set(options.within)).to_numpy()
    return uploaded, force, ban


@dataclass(frozen=True, eq=False)
class _Choice:
    """The plans chosen (bool per candidate) and the recommended one on its schedule and draws."""

    minimal: np.ndarray | None
    """The minimal plan; ``None`` when the target is out of reach."""
    minimal_codes: tuple[str, ...]
    in_minimal: np.ndarray
    """Per candidate: in the minimal plan (every one when there is none: then there is no reserve)."""
    greedy: np.ndarray | None
    chosen: np.ndarray
    """The recommended plan (with reserve; the highest gain when the target is out of reach)."""
    chance: float
    limits: tuple[str, ...]
    finish_days: np.ndarray
    """Per candidate: days after the snapshot its work is done on the schedule of ``chosen``."""
    idx: np.ndarray
    contrib: np.ndarray
    """What each planned document adds in each draw (:meth:`Chances.columns`), ``idx`` its columns."""


def _choose(setup: _Setup, ctx: Chances, options: PlanOptions, start: dt.date) -> _Choice:
    """The minimal plan, the greedy one and the recommended one (sized on ``options.confidence``)."""
    prob = setup.prob
    minimal = solve_min_effort(prob)
    greedy = solve_greedy(prob)
    limits: tuple[str, ...] = ()
    assert options.calendar is not None  # resolved by plan_path
    if minimal is None:
        x = solve_max_gain(prob)
        if x is None:  # must-do documents alone exceed an OPD's capacity
            x = prob.force.copy()
        p_plan = ctx.chance(x)
    else:
        x, p_plan = chance_plan(prob, ctx, minimal, options.confidence, alone_finish(setup.sched))
        if p_plan < options.confidence:
            limits = chance_limits(prob, x, setup.cand, options.allow_blocked, options.calendar, start)
    if setup.closed:
        limits = (
            f"batas unggah {text.date(options.calendar.close)} sudah lewat: hanya dokumen yang sudah diunggah yang "
            "masih diverifikasi",
        )
    codes = () if minimal is None else tuple(setup.codes[minimal])
    in_minimal = (setup.codes.isin(codes) | (minimal is None)).to_numpy()
    finish_days = setup.sched.finish_days(x)
    idx, contrib = ctx.columns(x, ctx.months(x, finish_days))
    return _Choice(minimal, codes, in_minimal, greedy, x, p_plan, limits, finish_days, idx, contrib)


def plan_path(
    framework: Framework,
    pemda: Pemda,
    snapshot: Snapshot,
    target: float | None = None,
    options: PlanOptions = PlanOptions(),
    *,
    history: pd.DataFrame | None = None,
    opd_history: pd.DataFrame | None = None,
) -> Plan:
    """Minimal plan and plan with reserve to lift the verified score to ``target`` (default: the
    pemda's).

    Parameters
    ----------
    options
        Confidence, capacities, must-do and ruled-out documents, risk, calendar, draws
        (:class:`PlanOptions`; the risk parameters and calendar default to the pemda's). The plan
        may use ``capacity × months until the horizon`` of each OPD.
    history
        Scores per snapshot (:func:`mcp_lib.trend.score_history`) for the ``realisasi`` series.
    opd_history
        Documents per OPD and snapshot (:func:`mcp_lib.trend.opd_history`): the OPDs' pace for the
        documents the plan leaves (without it, the typical completion).

    Returns
    -------
    Plan
        Never raises for an unreachable target: the verdict says so and ``obstacles`` why.

    Raises
    ------
    InputError
        For must-do or ruled-out documents the framework does not have, or both at once.
    """
    target = float(pemda.target if target is None else target)
    options, setup, ctx, choice = _chosen(framework, pemda, snapshot, target, options, opd_history)
    assert options.calendar is not None
    plan_docs = _plan_documents(setup, ctx, choice, options, framework.levels, snapshot.date)
    x = choice.chosen
    return Plan(
        verdict=_verdict(setup, ctx, choice, target, options.confidence),
        documents=plan_docs,
        by_opd=_by_opd(plan_docs, setup.opds, setup.prob.capacity),
        greedy=_greedy_documents(setup, choice.greedy, framework.levels),
        obstacles=closed_obstacles(setup.cand, x, options.calendar)
        if setup.closed
        else obstacles(
            setup.cand,
            x,
            setup.prob,
            setup.opds,
            options.allow_blocked,
            set(options.exclude),
            choice.minimal is not None,
        ),
        blocked=setup.cand[setup.cand["blocked"]][
            ["doc_code", "doc_name", "opd", "area_name", "status", "gain", "blocker"]
        ].reset_index(drop=True),
        schedule=_schedule_curve(plan_docs, setup, history, ctx, choice, options.calendar.final, snapshot.date),
        minimal=choice.minimal_codes,
        calendar=options.calendar,
        horizon=setup.horizon,
        notes=setup.notes,
    )


def plan_verdict(
    framework: Framework,
    pemda: Pemda,
    snapshot: Snapshot,
    target: float | None = None,
    options: PlanOptions = PlanOptions(),
    *,
    opd_history: pd.DataFrame | None = None,
) -> Verdict:
    """The verdict of :func:`plan_path` (the same plan, the same numbers) without the plan's
    tables, schedule and obstacles: for comparisons that show only the verdict (the scenarios)."""
    target = float(pemda.target if target is None else target)
    options, setup, ctx, choice = _chosen(framework, pemda, snapshot, target, options, opd_history)
    return _verdict(setup, ctx, choice, target, options.confidence)


def _chosen(
    framework: Framework,
    pemda: Pemda,
    snapshot: Snapshot,
    target: float,
    options: PlanOptions,
    opd_history: pd.DataFrame | None,
) -> tuple[PlanOptions, _Setup, Chances, _Choice]:
    """The options resolved for the pemda, the candidates, the chances on the year's-end engine
    and the plans chosen: what :func:`plan_path` and :func:`plan_verdict` both start from."""
    options = options.for_pemda(pemda, framework)
    assert isinstance(options, PlanOptions) and options.calendar is not None
    setup = _setup(framework, pemda, snapshot, target, options)
    effort = document_effort(setup.docs, setup.cand)
    engine = year_end(framework, pemda, snapshot, opd_history, options, docs=setup.docs, effort=effort)
    ctx = Chances(engine, setup.cand, setup.sched, snapshot.date, options.calendar.close, target)
    return options, setup, ctx, _choose(setup, ctx, options, snapshot.date)


def _plan_documents(
    setup: _Setup, ctx: Chances, choice: _Choice, options: PlanOptions, levels: tuple[Level, ...], start: dt.date
) -> pd.DataFrame:
    """The recommended plan's documents in scheduled order, with why each is in it, its chance of
    full acceptance, its expected gain, when it is done and the score so far."""
    cand, codes, x, in_minimal = setup.cand, setup.codes, choice.chosen, choice.in_minimal
    reason = np.where(
        setup.uploaded,
        "sudah diunggah",
        np.where(codes.isin(set(options.must)), "wajib", np.where(in_minimal, "target", "cadangan")),
    ).astype(object)
    idx, contrib = choice.idx, choice.contrib
    share = cand["gain"].to_numpy(float)  # each document's own points (its share of a stepped item)
    p_full = np.full(len(cand), np.nan)
    p_full[idx] = ctx.weights @ (contrib >= share[idx].astype(np.float32) * (1 - 1e-6))
    expected = np.full(len(cand), np.nan)
    expected[idx] = ctx.weights @ contrib
    chosen = cand[x].assign(
        gain=shown_gain(setup.prob, share, x)[x],
        reason=reason[x],
        effort=setup.prob.cost[x],
        p_full=p_full[x],
        expected=expected[x],
        finish=[start + dt.timedelta(days=float(d)) for d in choice.finish_days[x]],
        reserve=~in_minimal[x] & ~setup.prob.force[x],
    )
    chosen["due_month"] = pd.to_datetime(chosen["finish"]).dt.to_period("M").astype(str)
    ordered = chosen.sort_values(["finish", "opd", "doc_code"])
    plan_docs = ordered.reset_index(drop=True)[[*plan_columns(levels), "reason", "reserve", "finish", "due_month"]]
    cumulative = setup.total + _running_gain(setup.prob, ordered.index.to_numpy(int), plan_docs["gain"])
    plan_docs["cumulative_score"] = after_penalty(cumulative, setup.penalty)
    return plan_docs


def _running_gain(prob: Problem01, order: np.ndarray, gains: pd.Series) -> np.ndarray:
    """The points the plan's documents have added once each of them, in ``order`` (candidate
    indices), is done: a running sum of ``gains``, but with step groups the steps their completed
    units reach (a unit half done adds nothing yet)."""
    if not prob.steps:
        return gains.cumsum().to_numpy(float)
    done = np.zeros(prob.n, bool)
    out = []
    for i in order:
        done[i] = True
        out.append(gain_of(prob, done))
    return np.array(out, float)


def _verdict(setup: _Setup, ctx: Chances, choice: _Choice, target: float, confidence: float) -> Verdict:
    """The verdict of the recommended plan: reachable, effort, and both chances from the same draws."""
    engine, x, x_min, cost, force = ctx.engine, choice.chosen, choice.minimal, setup.prob.cost, setup.prob.force
    minimal = None if x_min is None else Option(int(x_min.sum()), float(cost[x_min].sum()))
    score_after = after_penalty(setup.total + gain_of(setup.prob, x), setup.penalty)
    return Verdict(
        target=target,
        reachable=x_min is not None,
        current=after_penalty(setup.total, setup.penalty),
        score_after=score_after,
        shortfall=max(0.0, target - score_after),
        effort=float(cost[x].sum()),
        documents=int(x.sum()),
        exact_effort=None if minimal is None else minimal.effort,
        greedy_effort=None if choice.greedy is None else float(cost[choice.greedy].sum()),
        confidence=confidence,
        confidence_met=bool(choice.chance >= confidence),
        without_plan=engine.outlook(ctx.scores(setup.uploaded), target),
        with_plan=engine.outlook(ctx.scores(x), target),
        minimal=minimal,
        reserve_documents=int((x & ~choice.in_minimal & ~force).sum()),
        reserve_effort=float(cost[x].sum() - cost[x_min].sum()) if x_min is not None else 0.0,
        limits=choice.limits,
        others=float(ctx.weights @ ctx.others(x)),
        assured=engine.quantile(ctx.scores(x), 1 - confidence) if confidence > 0 else float("nan"),
    )


def _greedy_documents(setup: _Setup, greedy: np.ndarray | None, levels: tuple[Level, ...]) -> pd.DataFrame:
    cand = setup.cand
    docs = (
        cand[greedy].assign(effort=setup.prob.cost[greedy]) if greedy is not None else cand.iloc[:0].assign(effort=[])
    )
    docs = docs.assign(p_full=np.nan, expected=np.nan)
    return docs[plan_columns(levels)].reset_index(drop=True)


def _by_opd(plan_docs: pd.DataFrame, opds: list[str], cap: np.ndarray) -> pd.DataFrame:
    caps = pd.Series(cap, index=opds, name="capacity")
    g = plan_docs.groupby("opd").agg(
        documents=("doc_code", "size"),
        effort=("effort", "sum"),
        points=("gain", "sum"),
        reserve=("reserve", "sum"),
    )
    g["capacity"] = caps.reindex(g.index).replace(np.inf, np.nan)
    g["first_month"] = plan_docs.groupby("opd")["due_month"].min()
    g["last_month"] = plan_docs.groupby("opd")["due_month"].max()
    return g.sort_values(["points", "effort"], ascending=[False, True]).reset_index()


def _schedule_curve(
    plan_docs: pd.DataFrame,
    setup: _Setup,
    history: pd.DataFrame | None,
    ctx: Chances,
    choice: _Choice,
    final: dt.date,
    start: dt.date,
) -> pd.DataFrame:
    """Month-end scores: ``realisasi`` (snapshots), ``rencana`` (every planned document accepted,
    nothing else) and the band with the plan (*bila rencana dijalankan*, with the calibrated
    error) at each month end of the horizon and at the final date. Every score is after the
    year's penalty."""
    engine, horizon, total = ctx.engine, setup.horizon, setup.total
    x, idx, contrib, finish_days = choice.chosen, choice.idx, choice.contrib, choice.finish_days
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
            (d, "realisasi", float(v)) for d, v in zip(history["date"], history["verified"], strict=True) if d <= start
        ]
    # the other open documents with what the pace leaves, when each goes up (plus verification)
    planned = ctx.planned(x)
    share = engine.shares(planned)
    up = (engine.u < share[engine.opd_of][None, :].astype(np.float32)) & ~planned[None, :]
    others = engine.pace_contrib * up
    others_done = (engine.to_close - engine.up_months + engine.params.verify_lag_months) * DAYS_PER_MONTH
    done_days = finish_days[idx]
    steps = []
    for d in ends:
        done = (finish <= pd.Timestamp(d)).to_numpy()
        if setup.prob.steps:  # the steps the planned documents done by then reach
            gained = gain_of(setup.prob, x & (finish_days <= (d - start).days + 1e-9))
        else:
            gained = float(plan_docs["gain"][done].sum())
        rows.append((d, "rencana", after_penalty(total + gained, engine.penalty)))
        t = (d - start).days + 1e-9
        steps.append(
            (
                d,
                engine.verified_now
                + contrib[:, done_days <= t].sum(axis=1, dtype=np.float64)
                + others[:, others_done <= t].sum(axis=1, dtype=np.float64),
            )
        )
    path = engine.path(ctx.scores(x), steps)
    if final is None or final <= ends[-1]:
        path = path.iloc[:-1]
    for rec in path.itertuples():
        rows += [(rec.date, "rencana p10", rec.p10), (rec.date, "rencana median", rec.median)]
        rows.append((rec.date, "rencana p90", rec.p90))
    return pd.DataFrame(rows, columns=["date", "series", "score"])


def plan_table(plan: Plan) -> pd.DataFrame:
    """The plan as one flat table for CSV/XLSX export, in scheduled order, rounded for reading."""
    out = plan.documents.copy()
    out["gain"] = out["gain"].round(3)
    out["expected"] = out["expected"].round(3)
    out["p_full"] = out["p_full"].round(2)
    out["cumulative_score"] = out["cumulative_score"].round(2)
    cols = [c for c in out.columns if c not in ("finish", "due_month", "cumulative_score", "reason", "reserve")]
    return out[[*cols, "reason", "reserve", "due_month", "cumulative_score"]]
