"""What stands in the way of a plan, in Bahasa Indonesia.

The obstacles table (blocked and ruled-out documents, OPDs whose capacity binds, the upload
close) and, when the plan with reserve cannot reach the confidence, what limits its chance.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from mcp_lib import text
from mcp_lib.framework.calendar import DAYS_PER_MONTH, Calendar
from mcp_lib.plan.optimise import Problem01


def chance_limits(
    prob: Problem01,
    x: np.ndarray,
    cand: pd.DataFrame,
    allow_blocked: bool,
    calendar: Calendar,
    start: dt.date,
) -> tuple[str, ...]:
    """What keeps the chance below the confidence, in Bahasa Indonesia: full OPDs, blockers,
    time left."""
    out = []
    gain = cand["gain"].to_numpy(float)  # a document's own points (its share of an item scored by steps)
    left = ~x & ~prob.ban
    used = np.zeros(len(prob.capacity))
    np.add.at(used, prob.group[x], prob.cost[x])
    opds = sorted(cand["opd"].unique())
    full = [
        (opds[g], float(gain[left & (prob.group == g)].sum()))
        for g in range(len(opds))
        if np.isfinite(prob.capacity[g]) and (left & (prob.group == g)).any()
    ]
    full = [f for f in full if f[1] > 0.005]
    if full:
        full.sort(key=lambda f: -f[1])
        listing = ", ".join(f"{name} ({text.number(points, 2)} poin)" for name, points in full[:5])
        out.append(f"kapasitas OPD habis sebelum batas unggah; dokumen yang tidak muat: {listing}")
    blocked = cand["blocked"].to_numpy() & ~x
    if blocked.any() and not allow_blocked:
        out.append(
            f"{int(blocked.sum())} dokumen ({text.number(float(gain[blocked].sum()), 2)} poin) menunggu pihak luar"
        )
    rest = float(gain[left].sum())
    if not full and rest <= 0.005:
        out.append("tidak ada lagi dokumen yang dapat ditambahkan")
    to_close = max((calendar.close - start).days / DAYS_PER_MONTH, 0.0)
    if to_close < 1.0:  # a re-upload needs time: within a month of the close there is little of it
        out.append(
            f"waktu tersisa {text.number(to_close, 1)} bulan sampai batas unggah {text.date(calendar.close)}: "
            "sedikit kesempatan unggah ulang bila ada yang ditolak"
        )
    if not out:
        out.append("risiko verifikasi dokumen yang dapat dikerjakan dalam kapasitas terlalu besar untuk keyakinan ini")
    return tuple(out)


def obstacles(
    cand: pd.DataFrame,
    x: np.ndarray,
    prob: Problem01,
    opds: list[str],
    allow_blocked: bool,
    exclude: set[str],
    reachable: bool,
) -> pd.DataFrame:
    """What stands in the way, one row each (``kind, opd, doc_code, points, detail``): blocked and
    ruled-out documents left out of ``x``, and OPDs whose capacity binds."""
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
                (
                    "kapasitas",
                    opd,
                    None,
                    float(cand["gain"].to_numpy(float)[waiting].sum()),
                    f"kapasitas {prob.capacity[g]:.0f} hari-orang sampai tenggat, terpakai {used[g]:.0f}; "
                    f"dokumen yang tersisa perlu paling sedikit {prob.cost[waiting].min():.0f} hari-orang",
                )
            )
    return pd.DataFrame(rows, columns=["kind", "opd", "doc_code", "points", "detail"])


def closed_obstacles(cand: pd.DataFrame, x: np.ndarray, calendar: Calendar) -> pd.DataFrame:
    """The obstacles after the upload close: one row for all the documents that can no longer go up."""
    left = cand[~x]
    rows = []
    if len(left):
        rows.append(
            (
                "batas unggah",
                "semua OPD",
                None,
                float(left["gain"].sum()),
                f"batas unggah {text.date(calendar.close)} sudah lewat: {len(left)} dokumen tidak dapat diunggah lagi",
            )
        )
    return pd.DataFrame(rows, columns=["kind", "opd", "doc_code", "points", "detail"])
