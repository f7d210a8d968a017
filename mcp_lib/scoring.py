"""Scores of one snapshot: verified, claim and evidence progress at every level.

Definitions (all scores in percent, 0–100):

- **verified**: what the verifier accepted, ``verified_points`` of documents with status
  ``diverifikasi`` or ``perlu_perbaikan``. This is the official score.
- **claim**: the score if every document awaiting verification (``diunggah``) were accepted in
  full, on top of what is verified.
- **progress**: share of applicable documents uploaded or verified (a count, not weighted).

At every level the score is the weighted mean of its applicable children,
``Σ_applicable w·score / Σ_applicable w``: a document with status ``tidak_berlaku`` drops out of
its sub-indicator, a sub-indicator with no applicable document out of its indicator, and so on
up to areas (Dana Desa for a kota). Each document therefore has one *effective weight*: the
total-score points one of its points is worth, and the total is ``Σ effective weight × points``.

An item with a scoring method of its own (``method`` in ``framework.csv``: all or nothing, tiers,
periods, a realisation against its target, an outside system; :mod:`mcp_lib.framework.methods`)
scores by that rule, and its score is shared over its applicable documents in proportion to
their points: each shows ``score/100 × points`` as its verified value, so every level above and
every OPD sums the same way. Its claim applies the rule as if every document awaiting
verification were accepted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import overload

import numpy as np
import pandas as pd

from mcp_lib.config import PEMDA_KINDS
from mcp_lib.framework.methods import STEPPED, Document, Evidence, Method, Rule, score
from mcp_lib.framework.model import DEFAULT_LEVELS, Band, Framework, Level
from mcp_lib.pemda.model import Pemda, Penalty
from mcp_lib.pemda.snapshot import Snapshot
from mcp_lib.statuses import DECIDED, DIUNGGAH, DIVERIFIKASI, PERLU_PERBAIKAN, TIDAK_BERLAKU, TO_DELIVER, UPLOADED

NO_OPD = "(OPD belum ditentukan)"
"""Shown for documents whose snapshot row and framework name no OPD."""


@dataclass(frozen=True, eq=False)
class Scores:
    """Scores of one snapshot.

    ``documents`` is the scored document table; the ``by_*`` frames carry ``verified``,
    ``claim`` and ``progress`` (percent) plus ``points_earned`` and ``points_open`` (points of
    the total score) per group.
    """

    date: object
    verified: float
    claim: float
    progress: float
    band: Band
    documents: pd.DataFrame
    levels: dict[str, pd.DataFrame]
    """One frame per level of the framework, by level key (``area``, …, ``subindicator``): the
    codes of the levels above, the item's code, name and weight, and the scores."""
    by_opd: pd.DataFrame
    penalty: float = 0.0
    """Points deducted from the total for the year (``[penalty.<year>]`` of ``pemda.toml``):
    ``verified`` and ``claim`` are after it; areas, indicators and OPDs are not affected."""
    penalty_reason: str = ""

    @property
    def by_area(self) -> pd.DataFrame:
        return self.levels["area"]

    @property
    def by_subindicator(self) -> pd.DataFrame:
        """The lowest level (the items documents hang under)."""
        return self.levels["subindicator"]


def effective_weights(
    docs: pd.DataFrame, key: str | None = None, levels: tuple[Level, ...] = DEFAULT_LEVELS
) -> pd.Series:
    """Total-score points per document point, after renormalising over applicable items.

    ``docs`` needs ``applicable`` (bool), ``points`` and every level's code and weight. With
    ``key`` (e.g. a snapshot id column) each key's documents are weighed on their own, so many
    snapshots are scored in one vectorised pass. The weight of a document is
    ``w_1/Σ_1 · w_2/Σ_2 · … · w_n/Σ_n · 100/Σ points``, where ``Σ_l`` sums the weights of the
    applicable siblings at level ``l`` (the items under the same parent).
    """
    keys = [docs[key]] if key else []

    def by(col: str) -> list[pd.Series]:
        return [*keys, docs[col]]

    def first(col: str) -> pd.Series:
        return ~docs.duplicated([key, col] if key else [col])

    app = docs["applicable"].astype(bool)
    bottom = levels[-1]
    sub_pts = docs["points"].where(app, 0.0).groupby(by(bottom.code)).transform("sum")
    # Bottom-up: an item applies when some child applies; weights count once per item (on the
    # item's first row), and each row's item of the level above applies when the sum is > 0.
    item_live = sub_pts > 0
    live = item_live
    dens: list[pd.Series] = []
    for child, parent in zip(levels[::-1], (*levels[-2::-1], None), strict=True):
        w = docs[child.weight].where(item_live & first(child.code), 0.0)
        if parent is None:
            den = w.groupby(keys).transform("sum") if key else pd.Series(w.sum(), index=docs.index)
        else:
            den = w.groupby(by(parent.code)).transform("sum")
        dens.append(den)
        item_live = den > 0
        live = live & item_live
    dens.reverse()  # dens[l]: sum of the applicable sibling weights of level l
    with np.errstate(divide="ignore", invalid="ignore"):
        eff = docs[levels[0].weight] / dens[0]
        for level, den in zip(levels[1:], dens[1:], strict=True):
            eff = eff * docs[level.weight] / den
        eff = eff * 100.0 / sub_pts
    return eff.where(app & live, 0.0).fillna(0.0)


def score_many(framework: Framework, items: list[tuple[str, Snapshot]]) -> pd.DataFrame:
    """Total verified, claim and progress (percent) of many snapshots in one vectorised pass.

    ``items`` are ``(pemda kind, snapshot)`` pairs; returns one row per item, in order, with
    ``verified``, ``claim`` and ``progress``. Equals :func:`total_scores` item by item.
    """
    if not items:
        return pd.DataFrame(columns=["verified", "claim", "progress"], dtype="float64")
    if framework.has_deadlines:  # lateness depends on each snapshot's date: one at a time
        return pd.DataFrame([_totals(score_documents(framework, kind, snap)) for kind, snap in items])
    frames = [s.documents for _, s in items]
    codes = np.concatenate([f["doc_code"].to_numpy(dtype=object) for f in frames])
    fw_docs = framework.documents
    at = pd.Index(fw_docs["doc_code"]).get_indexer(codes)  # each row's document in the framework
    known = at >= 0  # a code the framework lacks (never in a validated snapshot) scores nothing
    at = at[known]
    kinds = np.repeat(np.array([k for k, _ in items], dtype=object), [len(f) for f in frames])[known]
    columns: dict[str, object] = {
        "status": np.concatenate([f["status"].to_numpy(dtype=object) for f in frames])[known],
        "verified_points": np.concatenate([f["verified_points"].to_numpy(dtype=float) for f in frames])[known],
        "item": np.repeat(np.arange(len(items)), [len(f) for f in frames])[known],
        "points": fw_docs["points"].to_numpy(dtype=float)[at],
    }
    for level in framework.levels:  # codes as integers: the weights only need which rows share one
        columns[level.code] = pd.factorize(fw_docs[level.code])[0][at]
        columns[level.weight] = fw_docs[level.weight].to_numpy(dtype=float)[at]
    docs = pd.DataFrame(columns)
    applicable = np.zeros(len(docs), bool)
    for k in dict.fromkeys(k for k, _ in items):
        mask = kinds == k
        applicable[mask] = framework.applies(k).to_numpy(dtype=bool)[at[mask]]
    docs["applicable"] = applicable & (docs["status"] != TIDAK_BERLAKU)
    docs["weight"] = effective_weights(docs, key="item", levels=framework.levels)
    counts = docs["status"].isin(DECIDED) & docs["applicable"]
    verified = docs["verified_points"].where(counts, 0.0)
    claim = np.where(docs["status"] == DIUNGGAH, docs["points"], verified)
    docs["earned"] = docs["weight"] * verified
    docs["claim_earned"] = docs["weight"] * np.where(docs["applicable"], claim, 0.0)
    if framework.methods:
        docs["subindicator_code"] = fw_docs["subindicator_code"].to_numpy(dtype=object)[at]
        docs["window"] = fw_docs["window"].to_numpy(dtype=object)[at]
        if any("realisasi" in f for f in frames):
            docs["realisasi"] = np.concatenate([_column(f, "realisasi") for f in frames])[known]
        by_rule, claim_by_rule = method_values(docs, framework.methods, by="item")
        docs.loc[by_rule.index, "earned"] = docs.loc[by_rule.index, "weight"] * by_rule
        docs.loc[by_rule.index, "claim_earned"] = docs.loc[by_rule.index, "weight"] * claim_by_rule
    docs["uploaded"] = (docs["applicable"] & docs["status"].isin(UPLOADED)).astype(float)
    app = docs[docs["applicable"]]
    g = app.groupby("item")
    out = pd.DataFrame(
        {
            "verified": g["earned"].sum(),
            "claim": g["claim_earned"].sum(),
            "progress": 100 * g["uploaded"].mean(),
        }
    ).reindex(range(len(items)), fill_value=0.0)
    return out.reset_index(drop=True)


def _column(frame: pd.DataFrame, name: str) -> np.ndarray:
    """A snapshot's column as floats (NaN throughout when the snapshot lacks it)."""
    return frame[name].to_numpy(dtype=float) if name in frame else np.full(len(frame), np.nan)


def _totals(docs: pd.DataFrame) -> dict[str, float]:
    """Verified, claim and progress (percent, before any penalty) of scored documents."""
    app = docs[docs["applicable"]]
    progress = float(100 * app["uploaded"].mean()) if len(app) else 0.0
    return {"verified": float(app["earned"].sum()), "claim": float(app["claim_earned"].sum()), "progress": progress}


def overdue(status: pd.Series, due: pd.Series, on: dt.date) -> pd.Series:
    """Documents past their due date on ``on`` (the data date) and still to be (re-)uploaded
    (:data:`mcp_lib.statuses.TO_DELIVER`): the brief's *lewat tenggat* and the action workbook's
    overdue rows."""
    return status.isin(TO_DELIVER) & (pd.to_datetime(due) < pd.Timestamp(on))


def check_kind(kind: str) -> str:
    """``kind`` when it is a pemda kind (``provinsi``, ``kabupaten``, ``kota``: what decides which
    documents apply); else :class:`ValueError` (another word would silently score only the
    documents that apply to every kind)."""
    if kind not in PEMDA_KINDS:
        raise ValueError(f"pemda kind {kind!r} is none of {', '.join(PEMDA_KINDS)}")
    return kind


def score_documents(framework: Framework, kind: str, snapshot: Snapshot) -> pd.DataFrame:
    """The framework's documents joined with a snapshot's status and scored for a pemda of
    ``kind`` (:func:`check_kind`; a pemda's ``pemda.kind``).

    Adds ``applicable``, ``weight`` (effective weight, total points per document point),
    ``verified_value`` and ``claim_value`` (document points), ``earned`` and ``claim_earned``
    and ``open`` (total-score points), ``uploaded``, ``late``, ``rejected``, ``blocked``, and
    ``plannable`` (false for the documents of an item met by a realisation or an outside system:
    :func:`upload_gain`).
    """
    status = snapshot.documents.drop(columns=[c for c in ("excel_row",) if c in snapshot.documents])
    docs = framework.documents.merge(status, on="doc_code", how="left", validate="one_to_one")
    docs["opd"] = docs["opd"].fillna("").replace("", NO_OPD)
    applies = framework.applies(check_kind(kind)).to_numpy()
    docs["applicable"] = applies & (docs["status"] != TIDAK_BERLAKU)
    docs["weight"] = effective_weights(docs, levels=framework.levels)
    counts = docs["status"].isin(DECIDED)
    docs["verified_value"] = docs["verified_points"].where(counts & docs["applicable"], 0.0)
    docs["claim_value"] = np.where(docs["status"] == DIUNGGAH, docs["points"], docs["verified_value"])
    docs["claim_value"] = docs["claim_value"].where(docs["applicable"], 0.0)
    docs["earned"] = docs["weight"] * docs["verified_value"]
    docs["claim_earned"] = docs["weight"] * docs["claim_value"]
    docs["open"] = docs["weight"] * (docs["points"] - docs["verified_value"])
    docs["uploaded"] = docs["applicable"] & docs["status"].isin(UPLOADED)
    is_open = docs["applicable"] & docs["status"].isin(TO_DELIVER)
    due = pd.to_datetime(docs["due_date"]) if "due_date" in docs else pd.Series(pd.NaT, index=docs.index)
    docs["late"] = docs["applicable"] & overdue(docs["status"], due, snapshot.date)
    docs["rejected"] = docs["applicable"] & (docs["status"] == PERLU_PERBAIKAN)
    blocker = docs["blocker"].fillna("").astype(str).str.strip() if "blocker" in docs else ""
    docs["blocked"] = is_open & (blocker != "")
    docs["plannable"] = True
    if framework.methods:
        _apply_methods(docs, framework.methods)
    docs["late_factor"], docs["late_cost"] = 1.0, 0.0
    if framework.has_deadlines:
        _apply_deadlines(docs, snapshot.date, framework.methods)
    return docs


def _apply_deadlines(docs: pd.DataFrame, on: dt.date, methods: dict[str, Method]) -> None:
    """In place, the framework's deadlines (``deadline`` and ``late_share`` per item).

    A document done after its item's deadline (``done_date``) keeps ``late_share`` of its value;
    one still to deliver once the deadline has passed can only bring that share (its ``open``
    points, what a plan gains). An item scored by a method of its own is late as a whole: one of
    its documents done late, and all of them keep the share (its score is shared over them).
    ``late_cost`` holds the points of the total lateness has cost; ``late_factor`` the share each
    document is worth from now on. The deadline is the document's due date when it comes first."""
    deadline = pd.to_datetime(docs["deadline"])
    share = docs["late_share"].astype(float).fillna(1.0)
    done = pd.to_datetime(docs["done_date"]) if "done_date" in docs else pd.Series(pd.NaT, index=docs.index)
    dated = docs["applicable"] & deadline.notna()
    done_late = dated & done.notna() & (done > deadline)
    in_time = done.notna() & (done <= deadline)  # done in time, not yet accepted: no lateness
    to_come = dated & docs["status"].isin(TO_DELIVER) & (deadline < pd.Timestamp(on)) & ~in_time
    own = docs["subindicator_code"].astype(str).isin(set(methods))
    by_item = docs["subindicator_code"].astype(str)
    done_late |= own & done_late.groupby(by_item).transform("any")  # the whole item is late
    to_come |= own & dated & to_come.groupby(by_item).transform("any")
    factor = share.where(done_late | to_come, 1.0)
    docs["late_cost"] = docs["earned"].where(done_late, 0.0) * (1.0 - share)
    for column in ("verified_value", "claim_value", "earned", "claim_earned"):
        docs[column] = docs[column].where(~done_late, docs[column] * share)
    docs["open"] = (docs["weight"] * (docs["points"] * factor - docs["verified_value"])).clip(lower=0.0)
    docs["late_factor"] = factor
    due = pd.to_datetime(docs["due_date"]) if "due_date" in docs else pd.Series(pd.NaT, index=docs.index)
    earlier = deadline.notna() & (due.isna() | (deadline < due))
    docs["due_date"] = [
        d.date() if e else o for d, e, o in zip(deadline, earlier, docs.get("due_date", due), strict=True)
    ]
    docs["late"] = docs["applicable"] & overdue(docs["status"], pd.to_datetime(docs["due_date"]), on)


def upload_gain(docs: pd.DataFrame) -> pd.Series:
    """Per document of :func:`score_documents`, the points of the total that uploading it can
    still add: its ``open`` points, but 0 for a document that does not apply, for one of an item
    met by a realisation or an outside system (uploading does not move those), and for an accepted
    one of an item scored by whole units. For the other documents of such an item the points are
    its share of the item (what the item's steps add: :mod:`mcp_lib.ladders`). A table without
    ``plannable`` (:func:`mcp_lib.forecast.totals_documents`) has every applicable one movable."""
    movable = docs["applicable"] & docs["plannable"] if "plannable" in docs else docs["applicable"]
    return docs["open"].where(movable, 0.0)


def _apply_methods(docs: pd.DataFrame, methods: dict[str, Method]) -> None:
    """Overwrite, in place, the verified and claim values (and what follows from them) of the
    documents of items scored by a method of their own (:func:`method_values`)."""
    verified, claim = method_values(docs, methods)
    rows = verified.index
    # Uploading moves neither an item met by a realisation or an outside system, nor a document
    # of an item scored by whole units that is already accepted (it counts as it is).
    docs.loc[rows, "plannable"] = [
        methods[c].plannable and not (methods[c].rule in STEPPED and st == DIVERIFIKASI)
        for c, st in zip(docs.loc[rows, "subindicator_code"], docs.loc[rows, "status"], strict=True)
    ]
    docs.loc[rows, "verified_value"] = verified
    docs.loc[rows, "claim_value"] = claim
    w = docs.loc[rows, "weight"]
    docs.loc[rows, "earned"] = w * verified
    docs.loc[rows, "claim_earned"] = w * claim
    docs.loc[rows, "open"] = w * (docs.loc[rows, "points"] - verified)


def method_values(docs: pd.DataFrame, methods: dict[str, Method], by: str | None = None) -> tuple[pd.Series, pd.Series]:
    """Verified and claim values (document points) of the documents of the items in
    ``methods``: the item's score by its rule, as a share of each applicable document's points
    (0 for a document that does not apply).

    ``docs`` needs ``subindicator_code``, ``status``, ``verified_points``, ``points``,
    ``applicable``, and may have ``window`` (a document's period or stage) and ``realisasi``
    (the realisation reached, on the item's rows); ``by`` names a column whose values score
    apart (one per snapshot in :func:`score_many`). Indexed as the item rows of ``docs``."""
    code = docs["subindicator_code"].astype(str)
    mine = code.isin(set(methods))
    keys = [docs.loc[mine, by], code[mine]] if by else code[mine]
    verified = pd.Series(0.0, index=docs.index[mine])
    claim = verified.copy()
    for key, rows in docs[mine].groupby(keys, sort=False).groups.items():
        item = docs.loc[rows]
        method = methods[str(key[-1] if isinstance(key, tuple) else key)]
        live = item["applicable"].to_numpy(bool)
        share = item["points"].to_numpy(float) * live / 100.0
        now, then = _item_scores(method, item, live)
        verified.loc[rows] = share * (now or 0.0)
        claim.loc[rows] = share * (then or 0.0)
    return verified, claim


def _item_scores(method: Method, item: pd.DataFrame, live: np.ndarray) -> tuple[float | None, float | None]:
    """The verified and the claim score (percent) of one item; ``live``: which of its documents
    apply (the others count as ``tidak_berlaku``, whatever their status)."""
    parts = item["window"].fillna("").astype(str) if "window" in item else [""] * len(item)
    reached = item["realisasi"][live].dropna() if "realisasi" in item else pd.Series(dtype=float)
    realisation = float(reached.iloc[0]) if len(reached) else None
    status = np.where(live, item["status"].astype(str), TIDAK_BERLAKU)
    docs = [
        Document(str(st), float(pts), float(vp), str(part))
        for st, pts, vp, part in zip(status, item["points"], item["verified_points"], parts, strict=True)
    ]
    claimed = [Document(DIVERIFIKASI, d.points, d.points, d.part) if d.status == DIUNGGAH else d for d in docs]
    outside = method.rule is Rule.OUTSIDE
    now = score(method, Evidence(tuple(docs), realisation, outside and any(d.valid for d in docs)))
    then = score(method, Evidence(tuple(claimed), realisation, outside and any(d.valid for d in claimed)))
    return now, then


def aggregate(docs: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Scores of the applicable documents of ``docs`` (from :func:`score_documents`, possibly
    filtered) grouped by ``by``: verified, claim, progress (percent), points of the total earned,
    open and at most, and counts (documents, uploaded, awaiting, late, rejected, blocked)."""
    app = docs[docs["applicable"]]
    sums = pd.DataFrame(
        {
            "points_max": app["weight"] * app["points"],
            "points_earned": app["earned"],
            "claim_earned": app["claim_earned"],
            "points_open": app["open"],
            "documents": 1,
            "uploaded": app["uploaded"].astype(int),
            "awaiting": (app["status"] == DIUNGGAH).astype(int),
            "late": app["late"].astype(int),
            "rejected": app["rejected"].astype(int),
            "blocked": app["blocked"].astype(int),
        },
        index=app.index,
    )
    # one grouped sum of every column (the same sums as a named aggregation per column, at a
    # fraction of its cost: the brief aggregates every level and every OPD)
    out = sums.groupby([app[c] for c in by], sort=False).sum().reset_index()
    with np.errstate(divide="ignore", invalid="ignore"):
        out["verified"] = (100 * out["points_earned"] / out["points_max"]).fillna(0.0)
        out["claim"] = (100 * out["claim_earned"] / out["points_max"]).fillna(0.0)
        out["progress"] = 100 * out["uploaded"] / out["documents"]
    return out


def penalty_points(framework: Framework, pemda: Pemda) -> float:
    """Points the pemda loses on its total in the framework's year (0 without a penalty)."""
    found = pemda.penalty(framework.year)
    return found.points if found is not None else 0.0


SCORE_MIN, SCORE_MAX = 0.0, 100.0
"""Every total score shown or simulated lies in this range (percent)."""


@overload
def after_penalty(total: float, penalty: float = 0.0) -> float: ...


@overload
def after_penalty(total: np.ndarray, penalty: float = 0.0) -> np.ndarray: ...


def after_penalty(total: float | np.ndarray, penalty: float = 0.0) -> float | np.ndarray:
    """A total score as shown: ``total`` (the weighted sum, before the year's deduction) less
    ``penalty``, never below 0 nor above 100.

    The one rule every total passes through: the scores of a snapshot, the planner's current score
    and its score after a plan, each draw of the year's-end simulation (hence each band percentile
    and each chance) and the month-end paths. A float for a number, an array for an array (one
    value per draw)."""
    out = np.clip(np.asarray(total, dtype=float) - float(penalty), SCORE_MIN, SCORE_MAX)
    return float(out) if out.ndim == 0 else out


def total_needed(target: float, penalty: float = 0.0) -> float:
    """The total before the year's deduction at which :func:`after_penalty` reaches ``target``:
    ``target + penalty``; any total reaches a target of 0 or below (a score is never below 0).
    What the planner's points needed and the chance of a target are measured against."""
    target = float(target)
    return target + float(penalty) if target > SCORE_MIN else target


def total_scores(framework: Framework, pemda: Pemda, snapshot: Snapshot) -> tuple[float, float, float]:
    """Total verified, claim and progress (percent) without the per-level tables (after the
    pemda's penalty of the year, if any)."""
    docs = score_documents(framework, pemda.kind, snapshot)
    app = docs[docs["applicable"]]
    progress = float(100 * app["uploaded"].mean()) if len(app) else 0.0
    pen = penalty_points(framework, pemda)
    return after_penalty(app["earned"].sum(), pen), after_penalty(app["claim_earned"].sum(), pen), progress


def score_snapshot(framework: Framework, pemda: Pemda, snapshot: Snapshot) -> Scores:
    """Score a pemda's snapshot at every level, after its penalty of the framework's year.

    Returns
    -------
    Scores
        Total verified, claim and progress (percent) with the band of the verified score, and
        frames per level of the framework and per OPD. Groups with no applicable document
        are left out (e.g. Dana Desa for a kota). ``by_opd`` counts each document for its lead
        OPD and is ranked by ``points_open``, largest first.
    """
    return _scores(framework, pemda.kind, snapshot, pemda.penalty(framework.year))


def score_kind(framework: Framework, kind: str, snapshot: Snapshot) -> Scores:
    """:func:`score_snapshot` for a pemda known only by its ``kind`` (a KPK export read without a
    pemda folder): no penalty."""
    return _scores(framework, kind, snapshot, None)


def _scores(framework: Framework, kind: str, snapshot: Snapshot, penalty: Penalty | None) -> Scores:
    docs = score_documents(framework, kind, snapshot)
    levels = {level.key: aggregate(docs, framework.group_columns(level.key)) for level in framework.levels}
    opd = aggregate(docs, ["opd"]).sort_values(["points_open", "opd"], ascending=[False, True])
    app = docs[docs["applicable"]]
    pen = penalty.points if penalty is not None else 0.0
    verified = after_penalty(app["earned"].sum(), pen)
    claim = after_penalty(app["claim_earned"].sum(), pen)
    progress = float(100 * app["uploaded"].mean()) if len(app) else 0.0
    reason = penalty.reason if pen and penalty is not None else ""
    return Scores(
        date=snapshot.date,
        verified=verified,
        claim=claim,
        progress=progress,
        band=framework.bands.classify(verified),
        documents=docs,
        levels=levels,
        by_opd=opd.reset_index(drop=True),
        penalty=pen,
        penalty_reason=reason,
    )
