"""Score over time: per snapshot, points gained per month, and the pace needed.

Months are measured as days / 30.4375 (the mean month), so snapshots taken on any day of the
month compare fairly. Where the year will end is not a straight line through these points
(real years end with a surge and lose part of the claim at verification): see
:mod:`mcp_lib.forecast`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mcp_lib.framework.calendar import DAYS_PER_MONTH, months_between
from mcp_lib.framework.model import Framework
from mcp_lib.pemda.model import Pemda
from mcp_lib.pemda.snapshot import Snapshot
from mcp_lib.scoring import after_penalty, check_kind, penalty_points, score_many
from mcp_lib.statuses import TIDAK_BERLAKU, UPLOADED

__all__ = [
    "DAYS_PER_MONTH",
    "Trend",
    "compute_trend",
    "months_between",
    "opd_history",
    "opd_pace",
    "score_history",
    "velocity",
]


@dataclass(frozen=True, eq=False)
class Trend:
    """The trend up to one snapshot.

    Attributes
    ----------
    history
        One row per snapshot: ``date, verified, claim, progress, band`` and ``gain_per_month``
        (verified points gained per month since the previous snapshot; missing for the first).
    velocity
        Verified points gained per month: least-squares slope over the snapshots of the year
        up to ``as_of``; ``None`` with fewer than two snapshots.
    required_velocity
        Points per month still needed to reach ``target`` by ``deadline`` (0 when reached;
        ``None`` when the deadline has passed and the target is not reached).
    """

    history: pd.DataFrame
    as_of: dt.date
    current: float
    target: float
    deadline: dt.date
    months_left: float
    velocity: float | None
    required_velocity: float | None


def score_history(framework: Framework, pemda: Pemda, snapshots: Sequence[Snapshot]) -> pd.DataFrame:
    """Scores per snapshot, oldest first, with ``gain_per_month`` between snapshots."""
    snaps = sorted(snapshots, key=lambda s: s.date)
    hist = score_many(framework, [(pemda.kind, s) for s in snaps])
    pen = penalty_points(framework, pemda)
    if pen:
        hist["verified"] = after_penalty(hist["verified"].to_numpy(float), pen)
        hist["claim"] = after_penalty(hist["claim"].to_numpy(float), pen)
    hist.insert(0, "date", [s.date for s in snaps])
    hist["band"] = [framework.bands.classify(v).name for v in hist["verified"]]
    if hist.empty:
        hist["gain_per_month"] = pd.Series(dtype="float64")
        return hist
    months = pd.Series([months_between(hist["date"].iloc[0], d) for d in hist["date"]])
    hist["gain_per_month"] = hist["verified"].diff() / months.diff()
    return hist


def opd_history(framework: Framework, kind: str, snapshots: Sequence[Snapshot]) -> pd.DataFrame:
    """Documents per OPD and snapshot of a pemda of ``kind`` (:func:`~mcp_lib.scoring.check_kind`;
    a pemda's ``pemda.kind``): ``date, opd, documents, uploaded`` (applicable documents the OPD
    leads, and how many of them are uploaded or verified), oldest snapshot first. The OPD is the
    one each snapshot names; an OPD missing from a snapshot has no row there."""
    applies = pd.Series(framework.applies(check_kind(kind)).to_numpy(bool), index=framework.documents["doc_code"])
    frames = []
    for s in sorted(snapshots, key=lambda s: s.date):
        d = s.documents
        app = d["doc_code"].map(applies).fillna(False).to_numpy(bool) & (d["status"] != TIDAK_BERLAKU).to_numpy()
        rows = pd.DataFrame(
            {"opd": d.loc[app, "opd"].fillna("").astype(str), "uploaded": d.loc[app, "status"].isin(UPLOADED)}
        )
        g = rows.groupby("opd", sort=True)["uploaded"].agg(["size", "sum"]).reset_index()
        frames.append(pd.DataFrame({"date": s.date, "opd": g["opd"], "documents": g["size"], "uploaded": g["sum"]}))
    if not frames:
        return pd.DataFrame(columns=["date", "opd", "documents", "uploaded"])
    return pd.concat(frames, ignore_index=True).astype({"documents": "int64", "uploaded": "int64"})


def opd_pace(history: pd.DataFrame, as_of: dt.date) -> dict[str, float] | None:
    """Documents uploaded or verified per month by each OPD: the least-squares slope of its count
    over the snapshots of ``as_of``'s year up to ``as_of`` (an OPD absent from a snapshot counts
    0 there); ``None`` with fewer than two snapshots. The slopes add up to the pemda's pace."""
    if history is None or history.empty:
        return None
    h = history[(pd.to_datetime(history["date"]).dt.year == as_of.year) & (history["date"] <= as_of)]
    dates = sorted(set(h["date"]))
    if len(dates) < 2:
        return None
    x = np.array([months_between(dates[0], d) for d in dates])
    if np.ptp(x) <= 0:
        return None
    counts = h.pivot_table(index="date", columns="opd", values="uploaded", aggfunc="sum").reindex(dates).fillna(0.0)
    slopes = np.polyfit(x, counts.to_numpy(float), 1)[0]
    return {str(o): float(v) for o, v in zip(counts.columns, np.atleast_1d(slopes), strict=True)}


def velocity(history: pd.DataFrame) -> float | None:
    """Least-squares slope of the verified score, in points per month."""
    if len(history) < 2:
        return None
    x = np.array([months_between(history["date"].iloc[0], d) for d in history["date"]])
    y = history["verified"].to_numpy(dtype=float)
    return float(np.polyfit(x, y, 1)[0])


def compute_trend(
    framework: Framework,
    pemda: Pemda,
    snapshots: Sequence[Snapshot],
    as_of: dt.date | None = None,
    target: float | None = None,
    history: pd.DataFrame | None = None,
    deadline: dt.date | None = None,
) -> Trend:
    """Trend of the verified score up to ``as_of`` (default: the latest snapshot).

    Parameters
    ----------
    deadline
        The date the required pace is measured to (default the pemda's deadline; the brief and
        ``mcp score`` pass the plan's horizon, :func:`mcp_lib.schedule.planning_horizon`, so that
        one brief never names two deadlines).
    target
        Score to reach, percent; default the pemda's target.
    history
        :func:`score_history` of the same snapshots, when the caller has it already.
    """
    snaps = [s for s in snapshots if as_of is None or s.date <= as_of]
    if not snaps:
        raise ValueError("compute_trend needs at least one snapshot up to as_of")
    if history is None:
        history = score_history(framework, pemda, snaps)
    else:
        history = history[history["date"] <= max(s.date for s in snaps)].reset_index(drop=True)
    target = pemda.target if target is None else float(target)
    last = history.iloc[-1]
    current = float(last["verified"])
    as_of = last["date"]
    deadline = deadline or pemda.deadline
    months_left = max(0.0, months_between(as_of, deadline))
    pace = velocity(history)
    if current >= target:
        required = 0.0
    elif months_left > 0:
        required = (target - current) / months_left
    else:
        required = None
    return Trend(
        history=history,
        as_of=as_of,
        current=current,
        target=target,
        deadline=deadline,
        months_left=months_left,
        velocity=pace,
        required_velocity=required,
    )
