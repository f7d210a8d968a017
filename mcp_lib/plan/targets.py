"""Plans for several targets at once, nested where it costs nothing.

By default the targets are last year's final score (keep it) and the pemda's target (reach it);
each lower plan is, where possible, a first step (a subset) of the next one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from mcp_lib.framework.model import Framework
from mcp_lib.pemda.model import Pemda
from mcp_lib.pemda.snapshot import Snapshot
from mcp_lib.plan.planner import Plan, PlanOptions, Verdict, plan_path


@dataclass(frozen=True, eq=False)
class TargetPlans:
    """Plans for several targets, lowest first. ``nested`` says whether each lower plan is a
    first step (a subset) of the next one; ``nesting_cost`` is the extra person-days that
    nesting would cost where it is not free (0 where it is; infinite where it would lower the
    chance of a plan that cannot meet the keyakinan). Each verdict's minimal plan is the target's
    own least effort, whatever the nesting."""

    plans: tuple[Plan, ...]
    nested: tuple[bool, ...]
    nesting_cost: tuple[float, ...]

    def summary(self) -> pd.DataFrame:
        """One row per target: target, reachable, recommended effort and documents, score
        after, the chances without and with the plan, minimal effort, greedy effort."""
        rows = [
            {
                "target": p.verdict.target,
                "reachable": p.verdict.reachable,
                "effort": p.verdict.effort,
                "documents": p.verdict.documents,
                "score_after": p.verdict.score_after,
                "p_without": p.verdict.without_plan.chance,
                "p_with": p.verdict.with_plan.chance,
                "exact_effort": p.verdict.exact_effort,
                "greedy_effort": p.verdict.greedy_effort,
            }
            for p in self.plans
        ]
        return pd.DataFrame(rows)

    def as_dict(self) -> dict:
        """``{"targets": [verdict, ...]}`` with the nesting of each lower plan (``mcp plan --json``)."""
        targets = []
        for i, p in enumerate(self.plans):
            d = p.verdict.as_dict()
            if i < len(self.nested):
                d["first_step_of_next"] = self.nested[i]
                cost = self.nesting_cost[i]
                d["nesting_extra_effort"] = cost if np.isfinite(cost) else None
            d["reserve_codes"] = p.reserve["doc_code"].tolist()
            d["notes"] = list(p.notes)
            d["obstacles"] = [
                {
                    "kind": o.kind,
                    "opd": o.opd,
                    "doc_code": None if pd.isna(o.doc_code) else o.doc_code,
                    "points": o.points,
                    "detail": o.detail,
                }
                for o in p.obstacles.itertuples()
            ]
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
        plan.verdict,
        exact_effort=own.verdict.exact_effort,
        minimal=own.verdict.minimal,
        reserve_documents=int(
            (
                ~plan.documents["doc_code"].isin(own.minimal)
                & ~plan.documents["reason"].isin(["sudah diunggah", "wajib"])
            ).sum()
        ),
        reserve_effort=plan.verdict.effort
        - (plan.verdict.effort if own.verdict.exact_effort is None else own.verdict.exact_effort),
    )
    docs = plan.documents.assign(
        reserve=~plan.documents["doc_code"].isin(own.minimal)
        & ~plan.documents["reason"].isin(["sudah diunggah", "wajib"])
    )
    docs["reason"] = np.where(
        docs["reserve"], "cadangan", np.where(docs["reason"] == "cadangan", "target", docs["reason"])
    )
    return replace(plan, verdict=v, documents=docs, minimal=own.minimal)


def _serves_as_well(nested: Verdict, own: Verdict) -> bool:
    """Whether a nested variant of a target's plan can stand in for the target's own plan.

    It must reach the target. When either plan meets the keyakinan, the variant must meet it too
    and cost no more effort (nesting where it costs nothing). When neither does, each is the plan
    of the highest chance found and the better one is kept: the higher chance, and at an equal
    chance the less effort (nesting must never lower the chance a target was planned with)."""
    if not nested.reachable:
        return False
    if nested.confidence_met or own.confidence_met:
        return nested.confidence_met >= own.confidence_met and nested.effort <= own.effort + 1e-6
    if abs(nested.p_target - own.p_target) > 1e-12:
        return nested.p_target > own.p_target
    return nested.effort <= own.effort + 1e-6


def _nesting_cost(nested: Verdict, own: Verdict) -> float:
    """The person-days a nested variant adds to the target's own plan; infinite when it does not
    reach the target, or when neither meets the keyakinan and it has the lower chance (nesting
    would then cost chance, not person-days)."""
    if not nested.reachable:
        return float(np.inf)
    if not (nested.confidence_met or own.confidence_met) and nested.p_target < own.p_target - 1e-12:
        return float(np.inf)
    return nested.effort - own.effort


def plan_targets(
    framework: Framework,
    pemda: Pemda,
    snapshot: Snapshot,
    targets: Sequence[float] | None = None,
    options: PlanOptions = PlanOptions(),
    *,
    history: pd.DataFrame | None = None,
    opd_history: pd.DataFrame | None = None,
    made: Mapping[float, Plan] | None = None,
) -> TargetPlans:
    """Plan for each target (default :func:`default_targets`), nesting where it costs nothing.

    Every target is first planned on its own: its minimal plan (least effort) is always that
    single-target optimum. The highest target's plan with reserve comes first; each lower plan
    is then looked for inside it. If that costs more than the lower target's own plan, the
    lower plan is tried as a forced first step of the higher one instead; if both cost extra,
    the plans stay independent and the cheapest extra cost of nesting is reported. When a plan
    cannot meet the keyakinan, a nested variant replaces it only with a chance at least as high
    (:func:`_serves_as_well`). ``options``, ``history`` and ``opd_history`` are :func:`plan_path`'s;
    ``made`` holds plans the caller already made with them, by target (not made again).
    """

    def plan(target: float, **nesting: Any) -> Plan:
        mine = replace(options, **nesting)
        return plan_path(framework, pemda, snapshot, target, mine, history=history, opd_history=opd_history)

    targets = sorted({float(t) for t in (targets or default_targets(pemda))})
    made = made or {}
    own = {t: made[t] if t in made else plan(t) for t in targets}
    plans = [own[targets[-1]]]
    nested, extra = [], []
    for t in reversed(targets[:-1]):
        upper, mine = plans[0], own[t]
        if set(mine.documents["doc_code"]) <= set(upper.documents["doc_code"]):
            plans.insert(0, mine)
            nested.insert(0, True)
            extra.insert(0, 0.0)
            continue
        inside = plan(t, within=upper.documents["doc_code"])
        if _serves_as_well(inside.verdict, mine.verdict):
            plans.insert(0, _same_minimal(inside, mine))
            nested.insert(0, True)
            extra.insert(0, 0.0)
            continue
        around = plan(upper.verdict.target, include=mine.documents["doc_code"])
        if _serves_as_well(around.verdict, upper.verdict):
            plans[0] = _same_minimal(around, own[upper.verdict.target])
            plans.insert(0, mine)
            nested.insert(0, True)
            extra.insert(0, 0.0)
            continue
        costs = [_nesting_cost(inside.verdict, mine.verdict), _nesting_cost(around.verdict, upper.verdict)]
        plans.insert(0, mine)
        nested.insert(0, False)
        extra.insert(0, float(min(costs)))
    return TargetPlans(tuple(plans), tuple(nested), tuple(extra))
