"""What changed since the last meeting: scores, documents that moved, and why the projection moved.

The last meeting is the period of the previous brief when there is one (its folder, given as
``since``), else the latest snapshot of the year before the reporting month. :func:`compare`
sets two snapshots side by side document by document; :func:`projection_cause` says in words
why the year-end projection moved, from what last meeting's projection expected to go up and
what went up. :func:`waiting_since` dates how long each document has waited for verification.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from mcp_lib import text
from mcp_lib.pemda.snapshot import Snapshot
from mcp_lib.statuses import (
    BEFORE_UPLOAD,
    BELUM,
    DISIAPKAN,
    DIUNGGAH,
    DIVERIFIKASI,
    PERLU_PERBAIKAN,
    TIDAK_BERLAKU,
    TO_DELIVER,
    UPLOADED,
)

_RANK = {BELUM: 0, DISIAPKAN: 1, PERLU_PERBAIKAN: 1, DIUNGGAH: 2, DIVERIFIKASI: 3}
"""How far a document is along (a move to a lower rank, other than a return, is a step back)."""

MOVES = (DIUNGGAH, DIVERIFIKASI, "dikembalikan", "mundur")
"""Kinds of movement between two snapshots (a move up to the verifier or to verified is named
after the status it reached)."""


def same_meeting_year(year: int, month: int, reporting_year: int) -> bool:
    """Whether a meeting of ``year`` still counts as the last one for a brief of
    ``reporting_year``-``month``: the same year, or the previous one for a brief of January to
    March (the year's first snapshots come after the previous year's last meeting)."""
    return year == reporting_year or (year == reporting_year - 1 and month <= 3)


@dataclass(frozen=True, eq=False)
class Since:
    """Two snapshots side by side.

    Attributes
    ----------
    previous_date, previous_period
        The snapshot of the last meeting and its reporting month.
    source
        ``brief`` (the period of the previous brief) or ``snapshot`` (the previous snapshot of
        the year: no brief was found).
    verified, claim
        The verified and claim scores then (percent, after the year's penalty).
    moved
        One row per document whose status or verified points changed: ``doc_code, opd, before,
        after, move`` (a key of :data:`MOVES`) and ``went_up`` (it was not with the verifier and
        now is, or was returned in between).
    planned
        Codes of the new work in the last brief's plan (empty without a previous brief).
    """

    previous_date: dt.date
    previous_period: str
    source: str
    verified: float
    claim: float
    moved: pd.DataFrame
    planned: tuple[str, ...] = field(default=())

    @property
    def went_up(self) -> int:
        """Documents that went up to the verifier since (uploaded, whatever it decided)."""
        return int(self.moved["went_up"].sum())

    @property
    def forward(self) -> pd.Series:
        """Per moved document, whether it moved forward: up to the verifier, verified, or returned
        (the verifier decided); a step back is not."""
        m = self.moved
        return m["went_up"] | m["move"].isin((DIUNGGAH, DIVERIFIKASI, "dikembalikan"))

    def by_opd(self) -> pd.DataFrame:
        """Per OPD: documents ``diunggah``, ``diverifikasi``, ``dikembalikan``, ``mundur`` since,
        ``went_up``, and ``moved`` (distinct documents that moved forward: a document that went up
        and was verified since counts once); OPDs with most movement first."""
        m = self.moved
        if m.empty:
            return pd.DataFrame(columns=["opd", *MOVES, "went_up", "moved"])
        table = pd.crosstab(m["opd"], m["move"]).reindex(columns=list(MOVES), fill_value=0)
        table["went_up"] = m.groupby("opd")["went_up"].sum().reindex(table.index).fillna(0).astype(int)
        table["moved"] = self.forward.groupby(m["opd"]).sum().reindex(table.index).fillna(0).astype(int)
        table = table.reset_index()
        return table.sort_values(["moved", "opd"], ascending=[False, True])

    def plan_moved(self, now: pd.DataFrame) -> tuple[int, int]:
        """Of the last brief's planned new work: how many documents, and how many of them are now
        with the verifier or accepted (``now``: the current snapshot's documents)."""
        if not self.planned:
            return 0, 0
        status = now.set_index("doc_code")["status"]
        return len(self.planned), int(status.reindex(list(self.planned)).isin(UPLOADED).sum())


def compare(
    previous: Snapshot,
    current: Snapshot,
    applicable: pd.Series,
    *,
    period: str,
    source: str,
    verified: float,
    claim: float,
    planned: Sequence[str] = (),
) -> Since:
    """Document by document, what moved between ``previous`` and ``current``.

    ``applicable`` is a boolean per document code (the framework's documents for the pemda's
    kind); ``verified`` and ``claim`` are the scores at ``previous``."""
    cols = ["doc_code", "opd", "status", "verified_points"]
    before = previous.documents[cols].rename(columns={c: f"{c}_before" for c in cols[1:]})
    both = current.documents[cols].merge(before, on="doc_code", how="left").set_index("doc_code")
    app = both.index.map(applicable).fillna(False).to_numpy(bool) & (both["status"] != TIDAK_BERLAKU).to_numpy()
    b, a = both["status_before"].fillna(BELUM).astype(str), both["status"].astype(str)
    pts_b, pts_a = both["verified_points_before"].fillna(0.0), both["verified_points"].fillna(0.0)
    rank_b, rank_a = b.map(_RANK).fillna(0), a.map(_RANK).fillna(0)
    move = np.select(
        [
            (a == DIVERIFIKASI) & ((b != DIVERIFIKASI) | (pts_a > pts_b + 1e-9)),
            (a == PERLU_PERBAIKAN) & (b != PERLU_PERBAIKAN),
            (a == DIUNGGAH) & (b != DIUNGGAH),
            (rank_a < rank_b) | ((a == b) & (pts_a < pts_b - 1e-9)),
        ],
        [DIVERIFIKASI, "dikembalikan", DIUNGGAH, "mundur"],
        default="",
    )
    went_up = ((a == DIUNGGAH) & (b != DIUNGGAH)) | (b.isin(TO_DELIVER) & (a == DIVERIFIKASI))
    went_up |= b.isin(BEFORE_UPLOAD) & (a == PERLU_PERBAIKAN)
    moved = pd.DataFrame(
        {
            "doc_code": both.index,
            "opd": both["opd"].fillna("").astype(str).to_numpy(),
            "before": b.to_numpy(),
            "after": a.to_numpy(),
            "move": move,
            "went_up": went_up.to_numpy(bool),
        }
    )
    moved = moved[app & (moved["move"] != "")].reset_index(drop=True)
    return Since(
        previous_date=previous.date,
        previous_period=period,
        source=source,
        verified=float(verified),
        claim=float(claim),
        moved=moved,
        planned=tuple(planned),
    )


def previous_snapshot(snapshots: Sequence[Snapshot], period: str, since_period: str | None = None) -> Snapshot | None:
    """The snapshot of the last meeting: the latest one dated in ``since_period`` when given (the
    previous brief's month), else the latest one before ``period``'s month in the same year."""
    year, month = (int(x) for x in period.split("-"))
    start = dt.date(year, month, 1)
    earlier = [s for s in snapshots if s.date < start]
    if since_period:
        y, m = (int(x) for x in since_period.split("-"))
        inside = [s for s in earlier if (s.date.year, s.date.month) == (y, m)]
        if inside:
            return max(inside, key=lambda s: s.date)
    same_year = [s for s in earlier if same_meeting_year(s.date.year, month, year)]
    return max(same_year, key=lambda s: s.date) if same_year else None


def waiting_since(snapshots: Sequence[Snapshot]) -> pd.DataFrame:
    """For each document awaiting verification in the latest snapshot, the date of the earliest
    snapshot of its current run of ``diunggah`` (how long it has waited, as far as the snapshots
    tell): ``doc_code, opd, since``."""
    snaps = sorted(snapshots, key=lambda s: s.date)
    if not snaps:
        return pd.DataFrame(columns=["doc_code", "opd", "since"])
    last = snaps[-1].documents.set_index("doc_code")
    waiting = last.index[last["status"] == DIUNGGAH]
    since = pd.Series(snaps[-1].date, index=waiting, dtype=object)
    open_run = pd.Series(True, index=waiting)
    for s in reversed(snaps[:-1]):
        status = s.documents.set_index("doc_code")["status"].reindex(waiting)
        still = open_run & (status == DIUNGGAH).to_numpy()
        since[still.to_numpy()] = s.date
        open_run = still
        if not open_run.any():
            break
    return pd.DataFrame(
        {
            "doc_code": list(waiting),
            "opd": last.loc[waiting, "opd"].fillna("").astype(str).to_list(),
            "since": since.to_list(),
        }
    )


def projection_cause(
    before: float, after: float, expected: float, went_up: int, returned: int, previous_date: dt.date
) -> str:
    """Why the projection without a plan moved, in one sentence: from ``before`` to ``after``
    (percent), when last meeting's projection expected ``expected`` documents to go up by now and
    ``went_up`` did (``returned``: documents the verifier returned meanwhile)."""
    change = after - before
    since = text.date(previous_date, "d MMMM")
    if abs(change) < 0.5:
        head = f"Proyeksi hampir tetap ({text.percent(before)} → {text.percent(after)})"
    else:
        head = f"Proyeksi {'naik' if change > 0 else 'turun'} dari {text.percent(before)} ke {text.percent(after)}"
    exp = round(expected)
    if exp > 0 and went_up < 0.75 * expected:
        why = f"dari {exp} dokumen yang diperkirakan naik sejak {since}, baru {went_up}"
    elif exp > 0 and went_up > 1.25 * expected:
        why = f"{went_up} dokumen naik sejak {since}, lebih dari {exp} yang diperkirakan"
    else:
        why = f"{went_up} dokumen naik sejak {since} (diperkirakan {exp})"
    if returned:
        why += f"; {returned} dokumen dikembalikan verifikator"
    return f"{head}: {why}."


__all__ = [
    "MOVES",
    "Since",
    "compare",
    "previous_snapshot",
    "projection_cause",
    "same_meeting_year",
    "waiting_since",
]
