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
from mcp_lib.errors import InputError, Problem
from mcp_lib.forecast import Outlook, document_effort, year_end
from mcp_lib.framework.calendar import DAYS_PER_MONTH, Calendar, months_between
from mcp_lib.framework.model import DEFAULT_LEVELS, Framework, Level
from mcp_lib.pemda.model import Pemda, pemda_calendar
from mcp_lib.pemda.snapshot import Snapshot
from mcp_lib.plan.obstacles import chance_limits, closed_obstacles, obstacles
from mcp_lib.plan.optimise import Problem01, solve_greedy, solve_max_gain, solve_min_effort
from mcp_lib.plan.reserve import Chances, chance_plan
from mcp_lib.risk.params import RiskParams
from mcp_lib.schedule import Schedule, alone_finish, capacity_per_month, planning_horizon
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
    opd_history: pd.DataFrame | None = None,
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
        only if the blocker clears by the close (:mod:`mcp_lib.risk.model`).
    must, exclude
        Document codes that must be in the plan / that the user rules out (an excluded document
        that is already uploaded counts as not accepted).
    risk
        Verification-risk parameters (default: the pemda's, ``[risiko]`` of ``pemda.toml``).
    calendar
        Upload close and final date (default: :func:`mcp_lib.pemda.model.pemda_calendar`).
    confidence
        Wanted chance (0–1) of reaching the target given verification risk; 0 keeps the minimal
        plan.
    draws, seed
        Monte Carlo draws (rounded up to a multiple of 100) and seed: the same inputs give the
        same plan.
    history
        Scores per snapshot (:func:`mcp_lib.trend.score_history`) for the ``realisasi`` series.
    opd_history
        Documents per OPD and snapshot (:func:`mcp_lib.trend.opd_history`): the OPDs' pace for the
        documents the plan leaves (without it, the typical completion).
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
    # The target must be reached after the year's penalty: the plan adds points to the total before
    # it (``total``) and every score it shows is after it (``after_penalty``, never below 0).
    penalty = penalty_points(framework, pemda)
    total = float(docs.loc[docs["applicable"], "earned"].sum())
    current = after_penalty(total, penalty)
    cand = select_candidates(docs, default_effort, effort)
    cand = cand.sort_values("doc_code", kind="stable").reset_index(drop=True)
    must, exclude, include = set(must), set(exclude), set(include)
    all_codes = set(framework.documents["doc_code"])
    problems = _check_codes(must, "--must", all_codes) + _check_codes(exclude, "--exclude", all_codes)
    problems += [Problem("--must", "dokumen wajib sekaligus dikecualikan", value=c) for c in sorted(must & exclude)]
    if problems:
        raise InputError(problems)

    months = max(0.0, months_between(snapshot.date, horizon))
    opds = sorted(cand["opd"].unique())
    group = cand["opd"].map({o: i for i, o in enumerate(opds)}).to_numpy(int)
    per_month = capacity_per_month(pemda, opds, capacity) if use_capacity else np.full(len(opds), np.inf)
    cap = np.where(np.isfinite(per_month), np.where(np.isfinite(per_month), per_month, 0.0) * months, np.inf)
    codes = cand["doc_code"]
    # An uploaded document the user rules out counts as not accepted (e.g. the analyst knows the
    # verifier will return it): it leaves the plan like any other excluded document.
    uploaded = ((cand["status"] == DIUNGGAH) & ~codes.isin(exclude)).to_numpy()
    force = (uploaded | codes.isin(must) | codes.isin(include)).to_numpy()
    ban = (codes.isin(exclude) | (cand["blocked"] & ~allow_blocked & ~codes.isin(must))).to_numpy()
    if closed:  # after the upload close nothing new goes up: only what awaits verification counts
        force = uploaded.copy()
        ban = ~uploaded
    if within is not None:
        ban = ban | ~codes.isin(set(within)).to_numpy()
    gain, cost = cand["gain"].to_numpy(float), cand["cost"].to_numpy(float)
    due = _due_days(cand, snapshot.date, horizon)
    prob = Problem01(gain, cost, total_needed(target, penalty) - total, group, cap, force, ban & ~force, due)
    sched = Schedule(cand, group, per_month, snapshot.date, horizon)
    engine = year_end(
        framework,
        pemda,
        snapshot,
        opd_history,
        docs=docs,
        effort=document_effort(docs, cand),
        params=params,
        calendar=calendar,
        capacity=capacity,
        use_capacity=use_capacity,
        draws=draws,
        seed=seed,
    )
    ctx = Chances(engine, cand, sched, snapshot.date, calendar.close, target)

    x_min = solve_min_effort(prob)
    reachable = x_min is not None
    gx = solve_greedy(prob)
    greedy_effort = None if gx is None else float(cost[gx].sum())
    limits: tuple[str, ...] = ()
    if x_min is None:
        x = solve_max_gain(prob)
        if x is None:  # must-do documents alone exceed an OPD's capacity
            x = force.copy()
        x_min_codes: tuple[str, ...] = ()
        minimal = None
        p_plan = ctx.chance(x)
    else:
        x_min_codes = tuple(codes[x_min])
        minimal = Option(int(x_min.sum()), float(cost[x_min].sum()))
        x, p_plan = chance_plan(prob, ctx, x_min, confidence, alone_finish(sched))
        if p_plan < confidence:
            limits = chance_limits(prob, x, cand, allow_blocked, calendar, snapshot.date)
    if closed:
        limits = (
            f"batas unggah {text.date(calendar.close)} sudah lewat: hanya dokumen yang sudah diunggah yang masih "
            "diverifikasi",
        )

    in_minimal = (codes.isin(x_min_codes) | (x_min is None)).to_numpy()  # no minimal plan: no reserve
    reason = np.where(
        uploaded,
        "sudah diunggah",
        np.where(codes.isin(must), "wajib", np.where(in_minimal, "target", "cadangan")),
    ).astype(object)
    finish_days = sched.finish_days(x)
    m = ctx.months(x, finish_days)
    idx, contrib = ctx.columns(x, m)
    p_full = np.full(len(cand), np.nan)
    p_full[idx] = ctx.weights @ (contrib >= gain[idx].astype(np.float32) * (1 - 1e-6))
    expected = np.full(len(cand), np.nan)
    expected[idx] = ctx.weights @ contrib
    chosen = cand[x].assign(
        reason=reason[x],
        effort=cost[x],
        p_full=p_full[x],
        expected=expected[x],
        finish=[snapshot.date + dt.timedelta(days=float(d)) for d in finish_days[x]],
        reserve=~in_minimal[x] & ~force[x],
    )
    chosen["due_month"] = pd.to_datetime(chosen["finish"]).dt.to_period("M").astype(str)
    plan_docs = chosen.sort_values(["finish", "opd", "doc_code"]).reset_index(drop=True)
    plan_docs = plan_docs[[*plan_columns(framework.levels), "reason", "reserve", "finish", "due_month"]]
    plan_docs["cumulative_score"] = after_penalty(total + plan_docs["gain"].cumsum().to_numpy(float), penalty)
    score_after = after_penalty(total + float(gain[x].sum()), penalty)
    in_min = in_minimal
    verdict = Verdict(
        target=target,
        reachable=reachable,
        current=current,
        score_after=score_after,
        shortfall=max(0.0, target - score_after),
        effort=float(cost[x].sum()),
        documents=int(x.sum()),
        exact_effort=None if minimal is None else minimal.effort,
        greedy_effort=greedy_effort,
        confidence=confidence,
        confidence_met=bool(p_plan >= confidence),
        without_plan=engine.outlook(ctx.scores(uploaded), target),
        with_plan=engine.outlook(ctx.scores(x), target),
        minimal=minimal,
        reserve_documents=int((x & ~in_min & ~force).sum()),
        reserve_effort=float(cost[x].sum() - cost[x_min].sum()) if x_min is not None else 0.0,
        limits=limits,
        others=float(ctx.weights @ ctx.others(x)),
        assured=engine.quantile(ctx.scores(x), 1 - confidence) if confidence > 0 else float("nan"),
    )
    greedy_docs = cand[gx].assign(effort=cost[gx]) if gx is not None else cand.iloc[:0].assign(effort=[])
    greedy_docs = greedy_docs.assign(p_full=np.nan, expected=np.nan)
    return Plan(
        verdict=verdict,
        documents=plan_docs,
        by_opd=_by_opd(plan_docs, opds, cap),
        greedy=greedy_docs[plan_columns(framework.levels)].reset_index(drop=True),
        obstacles=closed_obstacles(cand, x, calendar)
        if closed
        else obstacles(cand, x, prob, opds, allow_blocked, exclude, reachable),
        blocked=cand[cand["blocked"]][
            ["doc_code", "doc_name", "opd", "area_name", "status", "gain", "blocker"]
        ].reset_index(drop=True),
        schedule=_schedule_curve(
            plan_docs, snapshot.date, horizon, total, history, ctx, x, idx, contrib, finish_days, calendar.final
        ),
        minimal=x_min_codes,
        calendar=calendar,
        horizon=horizon,
        notes=notes,
    )


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
    start: dt.date,
    horizon: dt.date,
    total: float,
    history: pd.DataFrame | None,
    ctx: Chances,
    x: np.ndarray,
    idx: np.ndarray,
    contrib: np.ndarray,
    finish_days: np.ndarray,
    final: dt.date | None = None,
) -> pd.DataFrame:
    """Month-end scores: ``realisasi`` (snapshots), ``rencana`` (every planned document accepted,
    nothing else) and the band with the plan (*bila rencana dijalankan*, with the calibrated
    error) at each month end of the horizon and at the final date. ``total`` is the verified
    total now before the year's penalty; every score is after it."""
    engine = ctx.engine
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
        rows.append((d, "rencana", after_penalty(total + float(plan_docs["gain"][done].sum()), engine.penalty)))
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
