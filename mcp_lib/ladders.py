"""The steps of the items that score by whole units: what a plan and the year's-end draws count
for an item scored all or nothing, by tiers, or by periods or stages (``BINER_0_100``,
``BERTINGKAT_…``, ``BOBOT_TAHUN…``, ``BOBOT_TAHAPAN``; :mod:`mcp_lib.framework.methods`).

Such an item gains nothing document by document: its score rises only when enough *units* are
met, a unit being one document (binary, tiers) or all the documents of one period or stage (its
``window``), a document counting once it is ``diverifikasi``. A :class:`Ladder` is one item of a
scored snapshot (:func:`mcp_lib.scoring.score_documents`): the rows of its documents still to be
accepted, unit by unit, the units met now, and the steps above the score now as points of the
total. The planner turns ladders into integer constraints (:class:`mcp_lib.plan.optimise.StepGroup`),
the year's-end engine counts per draw which units are complete (:func:`step_points`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from mcp_lib.framework.methods import STEPPED, Method, Rule, tiers, without_parts
from mcp_lib.statuses import DIVERIFIKASI


@dataclass(frozen=True)
class Ladder:
    """One item scored by whole units, in the rows of a scored document table.

    ``units``: per unit not met now, the rows (positions in the table) of its documents not yet
    accepted; ``met``: the units met now; ``steps``: ``(units needed in total, points of the total
    above now)`` for each step above the score now, ascending."""

    code: str
    units: tuple[np.ndarray, ...]
    met: int
    steps: tuple[tuple[int, float], ...]

    @property
    def rows(self) -> np.ndarray:
        """Every row of the item still to be accepted."""
        return np.concatenate(self.units) if self.units else np.zeros(0, np.int64)

    def points(self, count: int) -> float:
        """Points of the total above now when ``count`` units are met in all."""
        return max((gain for needed, gain in self.steps if count >= needed), default=0.0)


def item_ladders(docs: pd.DataFrame, methods: dict[str, Method]) -> list[Ladder]:
    """The ladders of the items of ``methods`` scored by whole units, from a scored document table
    (needs ``subindicator_code``, ``applicable``, ``status``, ``weight``, ``points``, ``earned``
    and may have ``window`` and ``late_factor``: a step is then worth what is left once a deadline
    has passed), in the table's order of items. An item with no applicable document has none."""
    stepped = {code for code, m in methods.items() if m.rule in STEPPED}
    if not stepped:
        return []
    code = docs["subindicator_code"].astype(str).to_numpy()
    live = docs["applicable"].to_numpy(bool) & np.isin(code, list(stepped))
    window = docs["window"].fillna("").astype(str).to_numpy() if "window" in docs else np.full(len(docs), "")
    valid = (docs["status"] == DIVERIFIKASI).to_numpy()
    factor = docs["late_factor"].to_numpy(float) if "late_factor" in docs else np.ones(len(docs))
    worth = (docs["weight"] * docs["points"]).to_numpy(float) * factor  # a deadline passed: what is left
    out = []
    for item in dict.fromkeys(code[live]):
        rows = np.flatnonzero(live & (code == item))
        by_window = methods[item].rule is Rule.PARTS
        parts = _units(rows, window, by_window)
        every = _units(np.flatnonzero(code == item), window, by_window)
        method = without_parts(methods[item], len(every) - len(parts))  # parts that do not apply drop out
        open_parts = [p[~valid[p]] for p in parts if not valid[p].all()]
        met = len(parts) - len(open_parts)
        steps = tiers(method, len(parts))
        now = max(score for needed, score in steps if met >= needed)
        total = float(worth[rows].sum())
        if (factor[rows] != 1.0).any():  # what the item holds now, some of it done late
            held = float(docs["earned"].to_numpy(float)[rows].sum())
            above = tuple(
                (k, total * s / 100.0 - held) for k, s in steps if k > met and total * s / 100.0 > held + 1e-12
            )
        else:
            above = tuple((k, total * (s - now) / 100.0) for k, s in steps if k > met and s > now)
        out.append(Ladder(item, tuple(open_parts), met, above))
    return out


def _units(rows: np.ndarray, window: np.ndarray, by_window: bool) -> list[np.ndarray]:
    """The units of an item's rows: one per document, or (``by_window``) one per window, a
    document without a window being a unit of its own."""
    if not by_window:
        return [rows[i : i + 1] for i in range(len(rows))]
    named: dict[str, list[int]] = {}
    alone = []
    for r in rows:
        if window[r]:
            named.setdefault(str(window[r]), []).append(int(r))
        else:
            alone.append(np.array([r]))
    return [np.array(v) for v in named.values()] + alone


def step_points(found: list[Ladder], accepted: dict[int, np.ndarray], n: int) -> np.ndarray:
    """Per draw, the points of the total the ladders add above now, when ``accepted[row]`` (bool
    per draw) says whether each row's document is accepted by the year's end; a row missing from
    ``accepted`` is not accepted. ``n``: the number of draws."""
    total = np.zeros(n)
    never = np.zeros(n, bool)
    for ladder in found:
        if not ladder.steps:
            continue
        count = np.full(n, ladder.met)
        for unit in ladder.units:
            done = np.ones(n, bool)
            for r in unit:
                done &= accepted.get(int(r), never)
            count += done
        for k, (needed, gain) in enumerate(ladder.steps):
            below = ladder.steps[k - 1][1] if k else 0.0
            total += (count >= needed) * (gain - below)
    return total
