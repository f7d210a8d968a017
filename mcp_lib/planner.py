"""The path to the target: which remaining documents lift the verified score at least effort.

A **candidate** is every applicable document not fully verified. Its **gain** is the points of
the total score it adds when verified in full, ``effective weight × (points − verified)``
(see :mod:`mcp_lib.scoring`: all three weight levels and the not-applicable renormalisation).
Its **cost** is ``effort_days`` (person-days), or :data:`DEFAULT_EFFORT` by status when blank.

Documents already uploaded (``diunggah``) cost nothing and are always in the plan ("kawal
verifikasi": follow them up with the verifier); every other candidate is chosen by an exact 0/1
integer program (``scipy.optimize.milp``, HiGHS):

    minimise Σ cost·x   subject to   current + Σ gain·x ≥ target,
                                     Σ_{OPD o} cost·x ≤ capacity_o   for each OPD with a capacity,
                                     x = 0 for blocked (unless allowed) and ruled-out documents,
                                     x = 1 for must-do and uploaded documents.

Ties are broken lexicographically by further solves: fewer documents, then earlier due dates,
then document code. The deterministic plan counts every planned document as accepted in full;
the verification risk is measured separately by Monte Carlo, and :func:`plan_path` adds
documents until the chance of reaching the target is at least ``confidence``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp

from mcp_lib.errors import InputError, Problem
from mcp_lib.framework import Framework
from mcp_lib.scoring import Scores, score_documents, score_snapshot
from mcp_lib.status import Pemda, Snapshot
from mcp_lib.trend import DAYS_PER_MONTH, months_between, velocity

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

LOWERED_SHARE: tuple[tuple[str, float], ...] = (
    (r"pajak", 0.54),
    (r"apip|pengawasan", 0.48),
    (r"perizinan|ptsp|pelayanan publik", 0.45),
    (r"dana desa", 0.45),
    (r"aset|bmd|barang milik", 0.42),
    (r"pengadaan|pbj", 0.34),
    (r"asn|kepegawaian", 0.34),
    (r"perencanaan|penganggaran", 0.26),
)
"""Share of sub-indicator records lowered at verification per area (real 2020–21 MCP data),
matched on the area name; a document passes verification with probability 1 − share."""
DEFAULT_LOWERED_SHARE = 0.40
"""For an area whose name matches none of :data:`LOWERED_SHARE`."""

ACTIONS = {
    "belum": "siapkan dan unggah",
    "disiapkan": "selesaikan dan unggah",
    "perlu_perbaikan": "perbaiki dan unggah ulang",
    "diverifikasi": "lengkapi dan unggah ulang",
    "diunggah": "kawal verifikasi",
}
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


def _solve(c: np.ndarray, p: Problem01, rows: list, lbs: list, ubs: list) -> np.ndarray | None:
    lb = p.force.astype(float)
    ub = np.where(p.ban & ~p.force, 0.0, 1.0)
    cons = [LinearConstraint(np.vstack(rows), np.array(lbs), np.array(ubs))] if rows else []
    res = milp(
        c, integrality=np.ones(p.n), bounds=Bounds(lb, ub), constraints=cons, options={"mip_rel_gap": 0.0}
    )
    if res.status != 0 or res.x is None:
        return None
    return res.x > 0.5


def solve_min_effort(p: Problem01) -> np.ndarray | None:
    """Exact least-cost selection with ``Σ gain ≥ need``; ``None`` when infeasible.

    Lexicographic: least cost, then fewest documents, then smallest total ``due``, then the
    earliest documents in the caller's row order (e.g. sorted by code); each stage is a solve
    with the previous optimum as a constraint.
    """
    if p.n == 0:
        return np.zeros(0, bool) if p.need <= _TOL else None
    cap_rows, cap_ubs = _capacity_rows(p)
    rows = [p.gain, *cap_rows]
    lbs = [p.need - _TOL, *([-np.inf] * len(cap_rows))]
    ubs = [np.inf, *cap_ubs]
    objectives = [p.cost.astype(float), np.ones(p.n)]
    if p.due is not None:
        objectives.append(np.asarray(p.due, float))
    objectives.append(np.arange(p.n, dtype=float))
    x = None
    for k, objective in enumerate(objectives):
        if x is not None:
            prev = objectives[k - 1]
            best = float(prev @ x)
            rows, lbs, ubs = [*rows, prev], [*lbs, -np.inf], [*ubs, best + 1e-7 * max(1.0, abs(best))]
        y = _solve(objective, p, rows, lbs, ubs)
        if y is None:
            if x is None:
                return None
            break  # a tie-break stage in numerical trouble: keep the previous optimum
        x = y
    return x


def solve_max_gain(p: Problem01) -> np.ndarray | None:
    """The selection of largest total gain within the capacities (least cost among those)."""
    if p.n == 0:
        return np.zeros(0, bool)
    cap_rows, cap_ubs = _capacity_rows(p)
    rows = cap_rows
    x = _solve(-p.gain.astype(float), p, rows, [-np.inf] * len(rows), cap_ubs)
    if x is None:
        return None
    best = float(p.gain @ x)
    cheaper = solve_min_effort(replace(p, need=best - 1e-6 * max(1.0, best)))
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


def success_probability(base: float, gains: np.ndarray, passes: np.ndarray, target: float) -> float:
    """P(base + Σ gain·pass ≥ target) over Monte Carlo draws.

    ``passes`` is a boolean matrix (draws × documents) of verification outcomes.
    """
    if passes.shape[0] == 0:
        return float("nan")
    scores = base + passes @ np.asarray(gains, float) if len(gains) else np.full(passes.shape[0], base)
    return float(np.mean(scores >= target - _TOL))


def draw_passes(p_pass: np.ndarray, draws: int = 10_000, seed: int = 0) -> np.ndarray:
    """Boolean verification outcomes (draws × documents), seeded and vectorised."""
    rng = np.random.default_rng(seed)
    return rng.random((draws, len(p_pass)), dtype=np.float32) < np.asarray(p_pass, np.float32)


# --- candidates ---------------------------------------------------------------------------


def pass_probability(area_names: pd.Series) -> pd.Series:
    """Default chance each document passes verification, from its area's name (1 − share lowered)."""

    def one(name: str) -> float:
        low = str(name).lower()
        share = next((s for pat, s in LOWERED_SHARE if re.search(pat, low)), DEFAULT_LOWERED_SHARE)
        return 1.0 - share

    return area_names.map(one).astype(float)


def candidates(
    framework: Framework,
    pemda: Pemda | str,
    snapshot: Snapshot,
    *,
    default_effort: Mapping[str, float] | None = None,
    effort: Mapping[str, float] | None = None,
    pass_rates: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Every applicable document not fully verified, with ``gain``, ``cost`` and ``p_pass``.

    Parameters
    ----------
    default_effort
        Person-days by status where ``effort_days`` is blank (merged over :data:`DEFAULT_EFFORT`).
    effort
        Person-days per document code, overriding the file.
    pass_rates
        Probability of passing verification, keyed by area code or document code (a document
        code wins over its area).
    """
    docs = score_documents(framework, pemda, snapshot)
    return _select_candidates(docs, default_effort, effort, pass_rates)


def _select_candidates(
    docs: pd.DataFrame,
    default_effort: Mapping[str, float] | None,
    effort: Mapping[str, float] | None,
    pass_rates: Mapping[str, float] | None,
) -> pd.DataFrame:
    """:func:`candidates` from already scored documents (:func:`score_documents`)."""
    cand = docs[docs["applicable"] & (docs["open"] > 1e-12)].copy()
    defaults = {**DEFAULT_EFFORT, **(default_effort or {})}
    cost = cand["effort_days"].astype(float)
    cost = cost.where(cost.notna(), cand["status"].map(defaults).astype(float))
    cost = cost.where(cand["status"] != "diunggah", 0.0)
    if effort:
        cost = cand["doc_code"].map(effort).astype(float).fillna(cost)
    cand["cost"] = cost
    cand["gain"] = cand["open"]
    p = pass_probability(cand["area_name"])
    if pass_rates:
        p = cand["area_code"].map(pass_rates).astype(float).fillna(p)
        p = cand["doc_code"].map(pass_rates).astype(float).fillna(p)
    cand["p_pass"] = p.clip(0, 1)
    cand["blocked"] = cand["blocker"].fillna("").astype(str).str.strip() != ""
    cand["action"] = cand["status"].map(ACTIONS)
    return cand.reset_index(drop=True)


# --- plans ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """The answer in one line: can the target be reached, at what effort, with what chance.

    Scores in percent; efforts in person-days; probabilities 0–1.

    Attributes
    ----------
    reachable
        Whether the target can be reached under the constraints if every planned document is
        accepted. When not, ``score_after`` is the best reachable score and ``shortfall`` the gap.
    effort, documents
        Of the whole plan, including documents added for confidence.
    exact_effort, greedy_effort
        Least effort that reaches the target (exact) and the greedy baseline's effort; ``None``
        when the target is out of reach (for greedy: when greedy does not get there).
    p_target
        Chance the plan reaches the target given verification risk.
    p_max
        Highest chance found: of the largest-gain plan within capacity, or of the extended plan;
        when it stays below ``confidence`` the plan is kept at least effort and this is reported.
    p_uploaded
        Chance of reaching the target with only what is uploaded so far.
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


@dataclass(frozen=True, eq=False)
class Plan:
    """A plan for one target.

    Attributes
    ----------
    documents
        The plan, in scheduled order: document, sub-indicator, indicator, area, OPD, status,
        action, ``gain`` (points of the total), ``effort`` (person-days), ``p_pass``,
        ``due_date`` (from the file), ``finish`` and ``due_month`` (scheduled), ``reason``
        (``sudah diunggah``, ``target``, ``wajib``, ``keyakinan``) and ``cumulative_score``.
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
        ``rencana`` (all planned documents accepted), ``rencana (harapan)`` (expected, each
        weighted by its chance of passing) and ``tren`` (the snapshots' pace continued).
    """

    verdict: Verdict
    documents: pd.DataFrame
    by_opd: pd.DataFrame
    greedy: pd.DataFrame
    obstacles: pd.DataFrame
    blocked: pd.DataFrame
    schedule: pd.DataFrame
    notes: tuple[str, ...] = field(default=())


PLAN_COLUMNS = [
    "doc_code", "doc_name", "subindicator_code", "subindicator_name", "indicator_code", "indicator_name",
    "area_code", "area_name", "opd", "status", "action", "gain", "effort", "p_pass", "due_date", "blocker",
]  # fmt: skip


def _capacity_until_deadline(
    pemda: Pemda | None, opds: Sequence[str], capacity: Mapping[str, float] | None, months: float
) -> np.ndarray:
    per_month = {o.name: o.capacity_days for o in pemda.opds} if pemda is not None else {}
    per_month.update(capacity or {})
    return np.array([per_month[o] * months if per_month.get(o) is not None else np.inf for o in opds])


def _check_codes(cand: pd.DataFrame, docs: Iterable[str], what: str, all_codes: set[str]) -> list[Problem]:
    problems = []
    for code in docs:
        if code not in all_codes:
            problems.append(
                Problem(what, "kode dokumen tidak dikenal", value=code, expected="kode dari evidence.csv")
            )
    return problems


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
    pass_rates: Mapping[str, float] | None = None,
    confidence: float = 0.8,
    draws: int = 10_000,
    seed: int = 0,
    history: pd.DataFrame | None = None,
    within: Iterable[str] | None = None,
    include: Iterable[str] = (),
) -> Plan:
    """Least-effort plan to lift the verified score to ``target`` (default: the pemda's).

    Parameters
    ----------
    capacity
        Person-days per month per OPD, overriding ``pemda.toml``; the plan may use
        ``capacity × months until the deadline``. ``use_capacity=False`` ignores capacities.
    allow_blocked
        Let the plan use documents held up by an outside body (``blocker`` filled).
    must, exclude
        Document codes that must be in the plan / that the user rules out.
    confidence
        Wanted chance (0–1) of reaching the target given verification risk; documents are added
        (best chance gained per person-day first) until it is reached or nothing is left.
    history
        Scores per snapshot (:func:`mcp_lib.trend.score_history`) for the ``realisasi`` and
        ``tren`` series of the schedule.
    within, include
        Used by :func:`plan_targets` to nest plans: restrict to / force these documents.

    Returns
    -------
    Plan
        Never raises for an unreachable target: the verdict says so and ``obstacles`` why.
    """
    target = float(pemda.target if target is None else target)
    docs = score_documents(framework, pemda, snapshot)  # scored once: current score and candidates
    current = float(docs.loc[docs["applicable"], "earned"].sum())
    cand = _select_candidates(docs, default_effort, effort, pass_rates)
    cand = cand.sort_values("doc_code", kind="stable").reset_index(drop=True)
    must, exclude, include = set(must), set(exclude), set(include)
    all_codes = set(framework.documents["doc_code"])
    problems = _check_codes(cand, must, "--must", all_codes) + _check_codes(
        cand, exclude, "--exclude", all_codes
    )
    problems += [
        Problem("--must", "dokumen wajib sekaligus dikecualikan", value=c) for c in sorted(must & exclude)
    ]
    if problems:
        raise InputError(problems)

    months = max(0.0, months_between(snapshot.date, pemda.deadline))
    opds = sorted(cand["opd"].unique())
    group = cand["opd"].map({o: i for i, o in enumerate(opds)}).to_numpy(int)
    cap = (
        _capacity_until_deadline(pemda, opds, capacity, months)
        if use_capacity
        else np.full(len(opds), np.inf)
    )
    codes = cand["doc_code"]
    force = ((cand["status"] == "diunggah") | codes.isin(must) | codes.isin(include)).to_numpy()
    ban = (codes.isin(exclude) | (cand["blocked"] & ~allow_blocked & ~codes.isin(must))).to_numpy()
    if within is not None:
        ban = ban | ~codes.isin(set(within)).to_numpy()
    gain, cost = cand["gain"].to_numpy(float), cand["cost"].to_numpy(float)
    due = _due_days(cand, snapshot.date, pemda.deadline)
    prob = Problem01(gain, cost, target - current, group, cap, force, ban & ~force, due)

    x = solve_min_effort(prob)
    reachable = x is not None
    if x is None:
        x = solve_max_gain(prob)
        if x is None:  # must-do documents alone exceed an OPD's capacity
            x = force.copy()
    gx = solve_greedy(prob)
    greedy_effort = None if gx is None else float(cost[gx].sum())

    passes = draw_passes(cand["p_pass"].to_numpy(), draws, seed)
    uploaded = (cand["status"] == "diunggah").to_numpy()
    p_uploaded = success_probability(current, gain[uploaded], passes[:, uploaded], target)
    reason = np.where(uploaded, "sudah diunggah", np.where(codes.isin(must), "wajib", "target")).astype(
        object
    )
    x = x.copy()
    exact_effort = float(cost[x].sum()) if reachable else None
    p_plan = p_max = success_probability(current, gain[x], passes[:, x], target)
    if reachable and p_plan < confidence:
        # The largest-gain plan within capacity bounds what extending can reach: when even it falls
        # short, keep the least-effort plan and report that chance instead of growing the plan.
        most = solve_max_gain(prob)
        if most is not None:
            p_max = max(p_plan, success_probability(current, gain[most], passes[:, most], target))
        if p_max >= confidence:
            extended, why = x.copy(), reason.copy()
            extended, p_ext = _extend_for_confidence(extended, prob, passes, current, target, confidence, why)
            if p_ext >= confidence:
                x, reason, p_plan, p_max = extended, why, p_ext, max(p_max, p_ext)

    chosen = cand[x].assign(reason=reason[x], effort=cost[x])
    plan_docs = _schedule_documents(chosen, pemda, snapshot.date, cap, opds, months)
    plan_docs["cumulative_score"] = current + plan_docs["gain"].cumsum()
    score_after = current + float(gain[x].sum())
    verdict = Verdict(
        target=target, reachable=reachable, current=current, score_after=score_after,
        shortfall=max(0.0, target - score_after), effort=float(cost[x].sum()), documents=int(x.sum()),
        exact_effort=exact_effort, greedy_effort=greedy_effort, p_target=p_plan, p_max=p_max,
        p_uploaded=p_uploaded, confidence=confidence, confidence_met=bool(p_plan >= confidence),
    )  # fmt: skip
    greedy_docs = cand[gx].assign(effort=cost[gx]) if gx is not None else cand.iloc[:0].assign(effort=[])
    return Plan(
        verdict=verdict,
        documents=plan_docs,
        by_opd=_by_opd(plan_docs, opds, cap),
        greedy=greedy_docs[[*PLAN_COLUMNS]].reset_index(drop=True),
        obstacles=_obstacles(cand, x, prob, opds, allow_blocked, exclude, reachable),
        blocked=cand[cand["blocked"]][
            ["doc_code", "doc_name", "opd", "area_name", "status", "gain", "blocker"]
        ].reset_index(drop=True),
        schedule=_schedule_curve(plan_docs, snapshot.date, pemda.deadline, current, history),
    )


def _extend_for_confidence(
    x: np.ndarray,
    prob: Problem01,
    passes: np.ndarray,
    base: float,
    target: float,
    confidence: float,
    reason: np.ndarray,
) -> tuple[np.ndarray, float]:
    x = x.copy()
    used = np.zeros(len(prob.capacity))
    np.add.at(used, prob.group[x], prob.cost[x])
    scores = base + passes[:, x] @ prob.gain[x]
    p_now = float(np.mean(scores >= target - _TOL))
    while p_now < confidence:
        room = prob.capacity[prob.group] - used[prob.group] + 1e-7
        pool = np.flatnonzero(~x & ~prob.ban & (prob.cost <= room))
        if len(pool) == 0:
            break
        trial = scores[:, None] + passes[:, pool] * prob.gain[pool]
        p_new = np.mean(trial >= target - _TOL, axis=0)
        delta = p_new - p_now
        value = np.where(delta > 1e-12, delta, 0.0)
        if value.max() <= 0:  # no single document moves the chance yet: take expected gain instead
            value = prob.gain[pool] * passes[:, pool].mean(axis=0)
        per_cost = np.where(
            prob.cost[pool] > 0, value / np.maximum(prob.cost[pool], 1e-9), np.where(value > 0, np.inf, 0.0)
        )
        best = pool[int(np.lexsort((pool, -value, -per_cost))[0])]
        x[best] = True
        reason[best] = "keyakinan"
        used[prob.group[best]] += prob.cost[best]
        scores = scores + passes[:, best] * prob.gain[best]
        p_now = float(np.mean(scores >= target - _TOL))
    return x, p_now


def _schedule_documents(
    chosen: pd.DataFrame, pemda: Pemda, start: dt.date, cap: np.ndarray, opds: list[str], months: float
) -> pd.DataFrame:
    """Finish date per planned document: per OPD, earliest due first, one after the other at the
    OPD's monthly capacity; without a capacity, by its due date (or within a month when it has
    none or it has passed). Uploaded documents are expected at the next verification, a month on."""
    deadline = pemda.deadline
    finish = {}
    month_cap = dict(zip(opds, cap / months if months > 0 else cap, strict=True))
    order = chosen.assign(due_sort=pd.to_datetime(chosen["due_date"]).fillna(pd.Timestamp(deadline)))
    order = order.sort_values(["opd", "due_sort", "doc_code"])
    one_month = start + dt.timedelta(days=DAYS_PER_MONTH)
    elapsed: dict[str, float] = {}  # months of work done per OPD so far
    columns = ("opd", "doc_code", "status", "effort", "due_sort")
    for opd, code, status, effort, due_sort in zip(*(order[c] for c in columns), strict=True):
        per_month = month_cap.get(opd, np.inf)
        if status == "diunggah" or effort <= 0:
            when = one_month
        elif np.isfinite(per_month) and per_month > 0:
            elapsed[opd] = elapsed.get(opd, 0.0) + effort / per_month
            when = start + dt.timedelta(days=elapsed[opd] * DAYS_PER_MONTH)
        else:
            due = due_sort.date()
            when = due if start < due <= deadline else one_month
        finish[code] = min(when, deadline)
    out = chosen.assign(finish=chosen["doc_code"].map(finish))
    out["due_month"] = pd.to_datetime(out["finish"]).dt.to_period("M").astype(str)
    out = out.sort_values(["finish", "opd", "doc_code"]).reset_index(drop=True)
    return out[[*PLAN_COLUMNS, "reason", "finish", "due_month"]]


def _by_opd(plan_docs: pd.DataFrame, opds: list[str], cap: np.ndarray) -> pd.DataFrame:
    caps = pd.Series(cap, index=opds, name="capacity")
    g = plan_docs.groupby("opd").agg(
        documents=("doc_code", "size"), effort=("effort", "sum"), points=("gain", "sum")
    )
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
                 f"kapasitas {prob.capacity[g]:.0f} hari-orang sampai tenggat terpakai {used[g]:.0f}")
            )  # fmt: skip
    return pd.DataFrame(rows, columns=["kind", "opd", "doc_code", "points", "detail"])


def _schedule_curve(
    plan_docs: pd.DataFrame, start: dt.date, deadline: dt.date, current: float, history: pd.DataFrame | None
) -> pd.DataFrame:
    ends = pd.date_range(
        pd.Timestamp(start) + pd.offsets.MonthEnd(0),
        pd.Timestamp(deadline) + pd.offsets.MonthEnd(0),
        freq="ME",
    )
    ends = [min(d.date(), deadline) if d.date() >= start else start for d in ends]
    ends = sorted({start, *ends})
    finish = pd.to_datetime(plan_docs["finish"])
    rows = []
    if history is not None:
        rows += [
            (d, "realisasi", float(v))
            for d, v in zip(history["date"], history["verified"], strict=True)
            if d <= start
        ]
    for d in ends:
        done = (finish <= pd.Timestamp(d)).to_numpy()
        rows.append((d, "rencana", current + float(plan_docs["gain"][done].sum())))
        rows.append(
            (d, "rencana (harapan)", current + float((plan_docs["gain"] * plan_docs["p_pass"])[done].sum()))
        )
    if history is not None and len(history) >= 2:
        pace = max(velocity(history[history["date"] <= start]) or 0.0, 0.0)
        rows += [(d, "tren", min(100.0, current + pace * months_between(start, d))) for d in ends]
    return pd.DataFrame(rows, columns=["date", "series", "score"])


def plan_table(plan: Plan) -> pd.DataFrame:
    """The plan as one flat table for CSV/XLSX export, in scheduled order, rounded for reading."""
    out = plan.documents.copy()
    out["gain"] = out["gain"].round(3)
    out["p_pass"] = out["p_pass"].round(2)
    out["cumulative_score"] = out["cumulative_score"].round(2)
    return out[[*PLAN_COLUMNS, "reason", "due_month", "cumulative_score"]]


# --- several targets ------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class TargetPlans:
    """Plans for several targets, lowest first. ``nested`` says whether each lower plan is a
    first step (a subset) of the next one; ``nesting_cost`` is the extra person-days that
    nesting would cost where it is not free (0 where it is)."""

    plans: tuple[Plan, ...]
    nested: tuple[bool, ...]
    nesting_cost: tuple[float, ...]

    def summary(self) -> pd.DataFrame:
        """One row per target: target, reachable, effort, documents, score after, P(target), greedy effort."""
        rows = [
            {
                "target": p.verdict.target, "reachable": p.verdict.reachable, "effort": p.verdict.effort,
                "documents": p.verdict.documents, "score_after": p.verdict.score_after,
                "p_target": p.verdict.p_target, "exact_effort": p.verdict.exact_effort,
                "greedy_effort": p.verdict.greedy_effort,
            }
            for p in self.plans
        ]  # fmt: skip
        return pd.DataFrame(rows)


def default_targets(pemda: Pemda) -> list[float]:
    """Last year's final score (keep it) and the pemda's target (reach it), lowest first."""
    targets = {float(pemda.target)}
    if pemda.last_final is not None:
        targets.add(float(pemda.last_final[1]))
    return sorted(targets)


def plan_targets(
    framework: Framework, pemda: Pemda, snapshot: Snapshot, targets: Sequence[float] | None = None, **options
) -> TargetPlans:
    """Plan for each target (default :func:`default_targets`), nesting where it costs nothing.

    The highest target is planned first; each lower plan is then looked for inside it. If that
    costs more than the lower target's own optimum, the lower optimum is tried as a forced first
    step of the higher plan instead; if both cost extra, the plans stay independent and the
    cheapest extra cost of nesting is reported.
    """
    targets = sorted({float(t) for t in (targets or default_targets(pemda))})
    plans = [plan_path(framework, pemda, snapshot, targets[-1], **options)]
    nested, extra = [], []
    for t in reversed(targets[:-1]):
        upper = plans[0]
        own = plan_path(framework, pemda, snapshot, t, **options)
        inside = plan_path(framework, pemda, snapshot, t, within=upper.documents["doc_code"], **options)
        if inside.verdict.reachable and inside.verdict.effort <= own.verdict.effort + 1e-6:
            plans.insert(0, inside)
            nested.insert(0, True)
            extra.insert(0, 0.0)
            continue
        around = plan_path(
            framework, pemda, snapshot, plans[0].verdict.target, include=own.documents["doc_code"], **options
        )
        if around.verdict.reachable and around.verdict.effort <= upper.verdict.effort + 1e-6:
            plans[0] = around
            plans.insert(0, own)
            nested.insert(0, True)
            extra.insert(0, 0.0)
            continue
        costs = [inside.verdict.effort - own.verdict.effort if inside.verdict.reachable else np.inf,
                 around.verdict.effort - upper.verdict.effort if around.verdict.reachable else np.inf]  # fmt: skip
        plans.insert(0, own)
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
