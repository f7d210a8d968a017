"""The data of one brief: the inputs it was made from, the achievement and the simulation.

:class:`BriefData` is what every section of the brief reads; :mod:`mcp_lib.brief.steps` builds it
(from the files the notebooks write, or in memory). :class:`FrameworkChange` says how the
framework of last year's final score differs from this year's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from mcp_lib.config import DEFAULT_CONFIDENCE
from mcp_lib.errors import InputError
from mcp_lib.forecast import Forecast
from mcp_lib.framework.folder import load_framework
from mcp_lib.framework.model import Framework
from mcp_lib.pemda.model import Pemda
from mcp_lib.pemda.snapshot import Snapshot
from mcp_lib.plan.planner import Plan
from mcp_lib.plan.targets import TargetPlans
from mcp_lib.scoring import Scores
from mcp_lib.since import Since
from mcp_lib.trend import Trend


@dataclass(frozen=True)
class FrameworkChange:
    """How the framework of last year's final score differs from this year's.

    Attributes
    ----------
    old_year, new_year
        Framework years of last year's final score and of this year's score.
    available
        Whether the framework of ``old_year`` was found (when not, ``added`` and ``removed`` are
        empty: nothing is known about its areas).
    added, removed
        Area names only in this year's framework / only in last year's, in framework order
        (compared on the name, ignoring case and spacing; only areas that apply to the pemda).
    """

    old_year: int
    new_year: int
    available: bool
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    @property
    def areas_differ(self) -> bool:
        return bool(self.added or self.removed)


def area_names(fw: Framework, kind: str | None) -> list[str]:
    """Area names in framework order (those with a sub-indicator applying to ``kind``)."""
    subs = fw.subindicators
    if kind is not None:
        subs = subs[fw.applies_sub(kind).to_numpy()]
    return list(dict.fromkeys(subs["area_name"]))


def framework_change(
    old: Framework | None, new: Framework, *, old_year: int | None = None, kind: str | None = None
) -> FrameworkChange | None:
    """Compare the framework of last year's final score (``old``) with this year's (``new``).

    ``None`` when both are the same framework year (nothing to say). With ``old`` missing (its
    framework is not in the data), a change marked unavailable for ``old_year``, or ``None``
    without ``old_year``. ``kind`` limits both frameworks to the areas that apply to such a pemda
    (Tata Kelola Dana Desa never counted for a kota, so a kota is not told it disappeared).
    """
    if old is None:
        if old_year is None or old_year == new.year:
            return None
        return FrameworkChange(old_year=old_year, new_year=new.year, available=False)
    if old.year == new.year:
        return None

    def key(name: str) -> str:
        return " ".join(str(name).casefold().split())

    old_names, new_names = area_names(old, kind), area_names(new, kind)
    old_keys, new_keys = {key(n) for n in old_names}, {key(n) for n in new_names}
    return FrameworkChange(
        old_year=old.year,
        new_year=new.year,
        available=True,
        added=tuple(n for n in new_names if key(n) not in old_keys),
        removed=tuple(n for n in old_names if key(n) not in new_keys),
    )


def last_final_change(pemda: Pemda, framework: Framework, data_dir: Path | None = None) -> FrameworkChange | None:
    """:func:`framework_change` between the framework of the pemda's last final score (looked up
    like this year's, under ``data_dir`` then the bundled frameworks) and ``framework``. A
    framework of that year that is missing, or that does not load, counts as unavailable: this
    year's brief does not depend on it."""
    if pemda.last_final is None:
        return None
    year = pemda.last_final[0]
    old = None
    if year != framework.year:
        try:
            old = load_framework(year, data_dir or pemda.data_root)
        except InputError:
            old = None
    return framework_change(old, framework, old_year=year, kind=pemda.kind)


def framework_change_text(c: FrameworkChange) -> str:
    """The change in plain Indonesian (escape it before it reaches HTML)."""
    head = (
        f"Nilai akhir {c.old_year} dihitung dengan kerangka MCP {c.old_year}, nilai tahun ini dengan "
        f"kerangka MCP {c.new_year}"
    )
    if not c.available:
        return (
            f"{head}. Kerangka MCP {c.old_year} tidak tersedia di data, sehingga perubahan area tidak dapat "
            f"ditampilkan; nilai akhir {c.old_year} dibandingkan sebagai nilai total saja."
        )
    if not c.areas_differ:
        return (
            f"{head}. Areanya sama, tetapi bobot dan sub-indikator dapat berbeda; yang dibandingkan hanya nilai total."
        )
    parts = []
    if c.added:
        parts.append("Area baru: " + ", ".join(c.added))
    if c.removed:
        parts.append("area yang tidak ada lagi: " + ", ".join(c.removed))
    listing = "; ".join(parts)
    return (
        f"{head}; susunan areanya berbeda, sehingga yang dibandingkan hanya nilai total, bukan nilai per area. "
        f"{listing[0].upper()}{listing[1:]}."
    )


@dataclass(frozen=True, eq=False, kw_only=True)
class BriefData:
    """Everything the brief shows for one pemda and period.

    The achievement (``snapshot`` … ``framework_change``) comes from step 1 of the pipeline;
    ``plans``, ``forecast`` and ``scenarios`` from step 2 and are ``None`` before it (the
    sections of ``01_capaian`` need none of them).
    """

    pemda: Pemda
    framework: Framework
    snapshot: Snapshot
    period: str
    scores: Scores
    history: pd.DataFrame
    trend: Trend
    target: float
    provenance: pd.DataFrame
    plans: TargetPlans | None = None
    forecast: Forecast | None = None
    """The year-end forecast at the pemda's pace (:func:`mcp_lib.forecast.forecast_pemda`)."""
    scenarios: pd.DataFrame | None = None
    """The plan under the standard scenarios (:func:`mcp_lib.plan.scenario.scenarios`), if computed."""
    confidence: float = DEFAULT_CONFIDENCE
    assumed_done: tuple[str, ...] = ()
    assumed_rejected: tuple[str, ...] = ()
    assumptions_file: str = ""
    framework_change: FrameworkChange | None = None
    """The framework of last year's final score against this year's (see :func:`framework_change`)."""
    opd_history: pd.DataFrame | None = None
    """Documents per OPD and snapshot (:func:`mcp_lib.trend.opd_history`)."""
    since: Since | None = None
    """What changed since the last meeting (``None``: no earlier snapshot this year)."""
    waiting: pd.DataFrame | None = None
    """Since when each document awaiting verification has waited."""
    previous_forecast: Forecast | None = None
    """The projection at the last meeting's snapshot."""

    def _simulated(self, what: str) -> None:
        if self.plans is None or self.forecast is None:
            raise ValueError(f"{what} needs the simulation (step 2, 02_simulasi): this data has only the achievement")

    @property
    def is_scenario(self) -> bool:
        """Whether documents were assumed done or rejected (a what-if, not the files as they are)."""
        return bool(self.assumed_done or self.assumed_rejected)

    @property
    def simulated(self) -> TargetPlans:
        """The plans of every target (step 2); a clear error when this data has none."""
        self._simulated("the plans")
        assert self.plans is not None
        return self.plans

    @property
    def outlook(self) -> Forecast:
        """The year-end forecast (step 2); a clear error when this data has none."""
        self._simulated("the forecast")
        assert self.forecast is not None
        return self.forecast

    @property
    def plan(self) -> Plan:
        """The plan for the (highest) target."""
        self._simulated("the plan")
        return self.plans.plans[-1]

    @property
    def first_step(self) -> Plan | None:
        """The plan for the lower target (last year's score) when it nests in the main plan."""
        self._simulated("the first step")
        if len(self.plans.plans) > 1 and self.plans.nested[-1]:
            return self.plans.plans[-2]
        return None


def overview_row(b: BriefData) -> dict:
    """What the provincial overview shows of one pemda (plain values, picklable)."""
    h = b.history
    month_start = pd.Timestamp(b.snapshot.date).to_period("M").start_time.date()
    earlier = h[h["date"] < month_start]
    previous = float(earlier["verified"].iloc[-1]) if len(earlier) else None
    v = b.plan.verdict
    return {
        "slug": b.pemda.slug,
        "name": b.pemda.name,
        "kind": b.pemda.kind,
        "province": b.pemda.province,
        "period": b.period,
        "date": b.snapshot.date.isoformat(),
        "verified": b.scores.verified,
        "claim": b.scores.claim,
        "band": b.scores.band.name,
        "band_colour": b.scores.band.colour,
        "previous": previous,
        "target": b.target,
        "gap": max(b.target - b.scores.verified, 0.0),
        "reachable": v.reachable,
        "p_target": v.p_target,
        "p_without": v.without_plan.chance,
        "score_after": v.score_after,
        "confidence_met": v.confidence_met,
        "forecast_median": v.without_plan.median,
        "forecast_p10": v.without_plan.p10,
        "forecast_p90": v.without_plan.p90,
        "areas": dict(zip(b.scores.by_area["area_name"], b.scores.by_area["verified"], strict=True)),
        "bands": b.framework.bands.rows(),
    }
