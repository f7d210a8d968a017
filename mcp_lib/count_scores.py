"""Scores from the dashboard's counts per area (:class:`mcp_lib.pemda.counts.AreaCounts`), for a
coordinator with no document list: the total, each area's share of it, its progress and band.

What a score from counts is: the total is the dashboard's area scores weighted by the
framework's area weights, renormalised over the areas that apply to the pemda
(:func:`mcp_lib.pemda.counts.area_weights`), less the year's deduction of ``pemda.toml``
(:func:`mcp_lib.scoring.after_penalty`), the same rule as the document score at its top level: on
counts made from a snapshot (:func:`counts_from_snapshot`) both give the same total and the
same area scores. What it is not: nothing is known of single documents, indicators or OPDs, so
everything said from it says that it works from counts (:data:`BASIS`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from mcp_lib.framework.model import TOP, Band, Framework
from mcp_lib.io.rawfile import ROW
from mcp_lib.pemda.counts import COUNTS, AreaCounts, applicable_areas, area_weights, weighted_total
from mcp_lib.pemda.model import Pemda
from mcp_lib.pemda.snapshot import Snapshot
from mcp_lib.scoring import after_penalty, penalty_points, score_snapshot
from mcp_lib.statuses import BEFORE_UPLOAD, DIUNGGAH, DIVERIFIKASI, PERLU_PERBAIKAN

BASIS = "dihitung dari angka dasbor per area (jaga.id), bukan dari dokumen"
"""What every score from counts says it is based on."""


@dataclass(frozen=True, eq=False)
class CountScores:
    """The scores of one date's dashboard counts.

    Attributes
    ----------
    verified
        The total in percent, after the year's deduction (as :attr:`mcp_lib.scoring.Scores.verified`).
    weighted
        The total before the deduction: the area scores weighted.
    progress
        Documents uploaded ÷ required, percent, over every area (a returned document counts as
        uploaded, as on the dashboard; :mod:`mcp_lib.scoring`'s progress leaves it out).
    accepted_share
        Documents accepted ÷ required, percent.
    band
        The band of :attr:`verified` (``framework.bands.classify``).
    areas
        One row per area that applies, in framework order: ``area_code``, ``area_name``,
        ``area_weight`` (the framework's), ``weight`` (its share of the total in percent,
        renormalised; 0 for an area with no required document), ``area_score``, ``points``
        (points of the total it gives: ``weight × area_score / 100``), ``points_open``
        (``weight − points``), the counts (``required``, ``uploaded``, ``accepted``,
        ``returned``, ``awaiting``, ``not_uploaded``), ``progress`` and ``accepted_share``
        (percent of required; 0 without required documents) and ``band`` (the band's name of
        the area score).
    dashboard_total
        The total the dashboard showed, when given (checked by the reader).
    """

    date: dt.date
    verified: float
    weighted: float
    progress: float
    accepted_share: float
    band: Band
    areas: pd.DataFrame
    penalty: float = 0.0
    penalty_reason: str = ""
    dashboard_total: float | None = None
    path: Path | None = None
    basis: str = BASIS


def _share(part: pd.Series, whole: pd.Series) -> pd.Series:
    """``100 × part / whole`` per row, 0 where ``whole`` is 0."""
    return (100.0 * part / whole.where(whole > 0)).fillna(0.0)


def score_counts(framework: Framework, pemda: Pemda, counts: AreaCounts) -> CountScores:
    """Score a pemda's dashboard counts: the total after its deduction of the framework's year,
    and per area its weight, points, progress, accepted share and band."""
    areas = counts.areas.drop(columns=[ROW], errors="ignore").copy()
    weights = framework.areas.set_index("area_code")["area_weight"]
    areas.insert(2, "area_weight", areas["area_code"].map(weights).astype(float))
    areas.insert(3, "weight", area_weights(framework, areas))
    areas["points"] = areas["weight"] * areas["area_score"] / 100.0
    areas["points_open"] = areas["weight"] - areas["points"]
    areas["progress"] = _share(areas["uploaded"], areas["required"])
    areas["accepted_share"] = _share(areas["accepted"], areas["required"])
    areas["band"] = [framework.bands.classify(s).name for s in areas["area_score"]]
    weighted = weighted_total(framework, counts.areas)
    penalty = penalty_points(framework, pemda)
    verified = after_penalty(weighted, penalty)
    found = pemda.penalty(framework.year)
    required = float(areas["required"].sum())
    return CountScores(
        date=counts.date,
        verified=verified,
        weighted=weighted,
        progress=100.0 * float(areas["uploaded"].sum()) / required if required else 0.0,
        accepted_share=100.0 * float(areas["accepted"].sum()) / required if required else 0.0,
        band=framework.bands.classify(verified),
        areas=areas.reset_index(drop=True),
        penalty=penalty,
        penalty_reason=found.reason if penalty and found is not None else "",
        dashboard_total=counts.dashboard_total,
        path=counts.path,
    )


def counts_from_snapshot(framework: Framework, pemda: Pemda, snapshot: Snapshot) -> AreaCounts:
    """What the dashboard would show for ``snapshot``: per area that applies, its verified score
    (:func:`mcp_lib.scoring.score_snapshot`) and its documents counted by status (accepted:
    ``diverifikasi``; returned: ``perlu_perbaikan``; awaiting: ``diunggah``; not uploaded:
    ``belum``/``disiapkan``; a ``tidak_berlaku`` document is not required). The total is the
    weighted area scores before the deduction; nothing is rounded."""
    scores = score_snapshot(framework, pemda, snapshot)
    docs = scores.documents[scores.documents["applicable"]]
    status = docs["status"]
    table = pd.DataFrame(
        {
            "area_code": docs[f"{TOP}_code"],
            "required": 1,
            "accepted": (status == DIVERIFIKASI).astype(int),
            "returned": (status == PERLU_PERBAIKAN).astype(int),
            "awaiting": (status == DIUNGGAH).astype(int),
            "not_uploaded": status.isin(BEFORE_UPLOAD).astype(int),
        }
    )
    sums = table.groupby("area_code").sum()
    sums["uploaded"] = sums["accepted"] + sums["returned"] + sums["awaiting"]
    areas = applicable_areas(framework, pemda.kind)[["area_code", "area_name"]]
    verified = scores.by_area.set_index("area_code")["verified"]
    areas["area_score"] = areas["area_code"].map(verified).fillna(0.0).astype(float)
    counted = sums.reindex(areas["area_code"], fill_value=0)[list(COUNTS)].reset_index(drop=True)
    areas = pd.concat([areas.reset_index(drop=True), counted.astype(int)], axis=1)
    return AreaCounts(date=snapshot.date, areas=areas, dashboard_total=weighted_total(framework, areas))
