"""The candidates of a plan: what each remaining document would add and what it costs.

A **candidate** is every applicable document not fully verified (but those of an item met by a
realisation or an outside system: uploading does not move them, :func:`~mcp_lib.scoring.upload_gain`).
Its **gain** is the points of the total score it adds when verified in full (see
:mod:`mcp_lib.scoring`); its **cost** is ``effort_days`` (person-days), or :data:`DEFAULT_EFFORT`
by status when blank; its **action** is what the OPD has to do (:data:`ACTIONS`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from mcp_lib.framework.model import Framework
from mcp_lib.pemda.snapshot import Snapshot
from mcp_lib.scoring import Scores, score_documents, upload_gain
from mcp_lib.statuses import BELUM, DISIAPKAN, DIUNGGAH, DIVERIFIKASI, PERLU_PERBAIKAN

DEFAULT_EFFORT: dict[str, float] = {
    BELUM: 10.0,
    PERLU_PERBAIKAN: 5.0,
    DIVERIFIKASI: 5.0,  # verified in part: a revision, like perlu_perbaikan
    DISIAPKAN: 4.0,
    DIUNGGAH: 0.0,
}
"""Person-days assumed when ``effort_days`` is blank, by status: starting from nothing costs
most, revising a rejected document less, finishing one in preparation least; an uploaded
document needs no more work from the OPD."""

ACTIONS = {
    BELUM: "siapkan dan unggah",
    DISIAPKAN: "selesaikan dan unggah",
    PERLU_PERBAIKAN: "perbaiki dan unggah ulang",
    DIVERIFIKASI: "lengkapi dan unggah ulang",
    DIUNGGAH: "kawal verifikasi",
}


def candidates(
    framework: Framework,
    kind: str,
    snapshot: Snapshot,
    *,
    default_effort: Mapping[str, float] | None = None,
    effort: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Every document that applies to a pemda of ``kind`` (a pemda's ``pemda.kind``) and is not
    fully verified, with ``gain`` and ``cost``.

    Parameters
    ----------
    default_effort
        Person-days by status where ``effort_days`` is blank (merged over :data:`DEFAULT_EFFORT`).
    effort
        Person-days per document code, overriding the file.
    """
    docs = score_documents(framework, kind, snapshot)
    return select_candidates(docs, default_effort, effort)


def select_candidates(
    docs: pd.DataFrame,
    default_effort: Mapping[str, float] | None,
    effort: Mapping[str, float] | None,
) -> pd.DataFrame:
    """:func:`candidates` from already scored documents (:func:`score_documents`); ``row`` is
    the document's row in ``docs``."""
    live = upload_gain(docs) > 1e-12
    cand = docs[live].copy()
    cand["row"] = np.flatnonzero(live.to_numpy())
    defaults = {**DEFAULT_EFFORT, **(default_effort or {})}
    cost = cand["effort_days"].astype(float)
    cost = cost.where(cost.notna(), cand["status"].map(defaults).astype(float))
    cost = cost.where(cand["status"] != DIUNGGAH, 0.0)
    if effort:
        cost = cand["doc_code"].map(effort).astype(float).fillna(cost)
    cand["cost"] = cost
    cand["gain"] = cand["open"]
    # "Blocked" means one thing everywhere: a document still to be delivered (not started, in
    # preparation, returned) that waits for an outside body (mcp_lib.scoring's ``blocked``). An
    # uploaded document with a blocker text is not held back; its risk still counts the blocker.
    cand["blocked"] = cand["blocked"].astype(bool)
    cand["action"] = cand["status"].map(ACTIONS)
    return cand.reset_index(drop=True)


def beyond_uploads(framework: Framework, scores: Scores) -> pd.DataFrame:
    """The lowest-level items that uploading documents does not move (met by a realisation against
    a target or through another KPK system) with points of the total still open, most open first:
    ``code, name, how`` (:attr:`~mcp_lib.framework.methods.Method.how_met`), ``verified`` and
    ``points_open``. No plan holds them; empty for a framework without such items."""
    codes = {code for code, method in framework.methods.items() if not method.plannable}
    bottom = framework.levels[-1]
    items = scores.levels[bottom.key]
    items = items[items[bottom.code].isin(codes) & (items["points_open"] > 0.005)]
    return pd.DataFrame(
        {
            "code": items[bottom.code],
            "name": items[bottom.title],
            "how": [framework.methods[c].how_met for c in items[bottom.code]],
            "verified": items["verified"],
            "points_open": items["points_open"],
        }
    ).sort_values(["points_open", "code"], ascending=[False, True], kind="stable")
