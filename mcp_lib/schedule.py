"""When planned work gets done: the planning horizon and each OPD's queue of documents.

The horizon is the last day work can be planned (the pemda's deadline or the upload close,
whichever comes first); within it, each OPD works through its planned documents one after the
other at its monthly capacity (person-days per month, from ``pemda.toml`` or given).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from mcp_lib import text
from mcp_lib.framework.calendar import DAYS_PER_MONTH, Calendar
from mcp_lib.pemda.model import Pemda
from mcp_lib.statuses import DIUNGGAH


def capacity_per_month(pemda: Pemda | None, opds: Sequence[str], capacity: Mapping[str, float] | None) -> np.ndarray:
    """Person-days per month of each of ``opds``: ``capacity`` over ``pemda.toml``'s, ``inf`` where unknown."""
    per_month = {o.name: o.capacity_days for o in pemda.opds} if pemda is not None else {}
    per_month.update(capacity or {})
    return np.array([per_month[o] if per_month.get(o) is not None else np.inf for o in opds], float)


class Schedule:
    """Finish dates of a set of candidates, in days after the snapshot.

    Per OPD, earliest due first (then code), one after the other at the OPD's monthly capacity;
    without a capacity, by its due date (or within a month when it has none or it has passed).
    Uploaded documents and those without effort are expected at the next verification, a month
    on. Nothing finishes after the horizon.
    """

    def __init__(self, cand: pd.DataFrame, group: np.ndarray, per_month: np.ndarray, start: dt.date, horizon: dt.date):
        self.group, self.per_month = group, per_month
        self.cost = cand["cost"].to_numpy(float)
        self.quick = (cand["status"] == DIUNGGAH).to_numpy() | (self.cost <= 0)
        self.horizon_days = float(max((horizon - start).days, 0))
        due = (pd.to_datetime(cand["due_date"]) - pd.Timestamp(start)).dt.days.to_numpy(float)
        self.due_sort = np.where(np.isnan(due), self.horizon_days, due)
        self.by_due = (due > 0) & (due <= self.horizon_days)
        self.due = np.where(self.by_due, due, DAYS_PER_MONTH)
        self.order = np.lexsort((np.arange(len(cand)), self.due_sort, group))

    def finish_days(self, x: np.ndarray) -> np.ndarray:
        """Days after the snapshot each document of ``x`` (bool) finishes (NaN elsewhere)."""
        out = np.full(len(x), np.nan)
        chosen = self.order[x[self.order]]
        step = self._months_of_work(chosen)
        # running months of work per OPD, in queue order
        months = np.zeros(len(chosen))
        g = self.group[chosen]
        if len(chosen):
            csum = np.cumsum(step)
            starts = np.r_[0, np.flatnonzero(np.diff(g)) + 1]
            offset = np.repeat(csum[starts] - step[starts], np.diff(np.r_[starts, len(chosen)]))
            months = csum - offset
        out[chosen] = self._finish(chosen, step, months)
        return out

    def _months_of_work(self, idx: np.ndarray) -> np.ndarray:
        """Months of its OPD's capacity each document of ``idx`` takes (0: uploaded, no effort,
        or an OPD without a capacity)."""
        per = self.per_month[self.group[idx]]
        work = np.where(self.quick[idx] | ~(np.isfinite(per) & (per > 0)), 0.0, self.cost[idx])
        with np.errstate(divide="ignore", invalid="ignore"):
            out: np.ndarray = np.where(work > 0, work / per, 0.0)
        return out

    def _finish(self, idx: np.ndarray, step: np.ndarray, months: np.ndarray) -> np.ndarray:
        """Days to the finish of each document of ``idx`` done after ``months`` of its OPD's
        queue (its own ``step`` included): a month on when uploaded or without effort, by its
        due date without a capacity, never after the horizon."""
        days = np.where(
            self.quick[idx],
            DAYS_PER_MONTH,
            np.where(step > 0, months * DAYS_PER_MONTH, self.due[idx]),
        )
        out: np.ndarray = np.minimum(days, self.horizon_days)
        return out


def alone_finish(sched: Schedule) -> np.ndarray:
    """Finish of each candidate if it were the first in its OPD's queue (an optimistic guess
    used to weigh candidates before the plan is known): :meth:`Schedule.finish_days` of each
    one chosen alone, for all at once."""
    every = np.arange(len(sched.cost))
    step = sched._months_of_work(every)
    return sched._finish(every, step, step)


def planning_horizon(deadline: dt.date, calendar: Calendar, as_of: dt.date) -> tuple[dt.date, bool, tuple[str, ...]]:
    """The last day work can be planned, whether uploads are closed, and what to tell the reader.

    Uploads count until the upload close, so the plan runs until the pemda's deadline or the close,
    whichever comes first. A deadline already passed (a snapshot after it, e.g. in January inside
    the assessment window) gives way to the close; after the close no document can go up any more
    and only what awaits verification can still change the score, until the final date.
    """
    notes: list[str] = []
    if as_of > calendar.final:
        notes.append(
            f"Tanggal nilai final {text.date(calendar.final)} sudah lewat: nilai tahun ini seharusnya sudah final; "
            "rencana dan peluang di bawah hanya untuk perbandingan."
        )
    if not calendar.uploads_open(as_of):
        notes.append(
            f"Batas unggah {text.date(calendar.close)} sudah lewat: dokumen baru atau perbaikan tidak dapat diunggah "
            "lagi; "
            "yang masih dapat mengubah nilai hanya verifikasi dokumen yang sudah diunggah (sampai "
            f"{text.date(calendar.final)})."
        )
        return as_of, True, tuple(notes)
    if deadline < as_of:
        notes.append(
            f"Tenggat pemda {text.date(deadline)} sudah lewat; rencana memakai batas unggah "
            f"{text.date(calendar.close)}."
        )
        return calendar.close, False, tuple(notes)
    if deadline > calendar.close:
        notes.append(
            f"Tenggat pemda {text.date(deadline)} sesudah batas unggah {text.date(calendar.close)}: rencana "
            "dijadwalkan "
            "sampai batas unggah."
        )
    return min(deadline, calendar.close), False, tuple(notes)
