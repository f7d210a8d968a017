"""Scenarios: what the scores and the plan would be if things went otherwise.

A scenario file (``doc_code, asumsi``, CSV or XLSX) lists documents assumed done (``selesai``) or
rejected (``ditolak``): the explorer writes it (:func:`write_assumptions`), ``mcp brief
--assume-done`` reads it (:func:`read_assumptions`), and :func:`apply_assumptions` applies it to a
snapshot without touching any file. :func:`scenarios` compares the plan under the standard
variations of its options (:data:`SCENARIOS`) side by side.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

import pandas as pd

from mcp_lib.errors import InputError, Problem, Problems
from mcp_lib.files import write_via_temp
from mcp_lib.framework.model import Framework
from mcp_lib.io.readers import Column, Schema, csv_safe_frame, duplicated_rows, read_table
from mcp_lib.pemda.model import Pemda
from mcp_lib.pemda.snapshot import Snapshot
from mcp_lib.plan.planner import PlanOptions, Verdict, plan_verdict
from mcp_lib.scoring import Scores, score_snapshot
from mcp_lib.statuses import DIVERIFIKASI, PERLU_PERBAIKAN, TIDAK_BERLAKU

ASSUMPTION_SCHEMA = Schema(
    "asumsi",
    (Column("doc_code", "code"), Column("asumsi", "choice", choices=("selesai", "ditolak"))),
)
"""A scenario's assumptions: one row per document assumed done (``selesai``) or rejected (``ditolak``)."""


def read_assumptions(path: str | Path, known: set[str] | None = None) -> tuple[list[str], list[str]]:
    """Document codes assumed done and rejected, from a scenario file (CSV or XLSX); with
    ``known`` (the framework's document codes) unknown codes are reported with their rows.

    Raises
    ------
    InputError
        With every problem (file, row, column), including a document listed twice.
    """
    problems = Problems()
    frame = read_table(path, ASSUMPTION_SCHEMA, problems)
    if frame is not None:
        for dup in duplicated_rows(frame, ["doc_code"]).itertuples():
            problems.add(path, "dokumen muncul dua kali", row=dup.excel_row, column="doc_code", value=dup.doc_code)
        for rec in frame.itertuples():
            if known is not None and rec.doc_code is not None and rec.doc_code not in known:
                problems.add(
                    path,
                    "kode dokumen tidak dikenal",
                    row=rec.excel_row,
                    column="doc_code",
                    value=rec.doc_code,
                    expected="kode dari evidence.csv",
                )
    problems.raise_if_any()
    done = frame.loc[frame["asumsi"] == "selesai", "doc_code"].tolist()
    rejected = frame.loc[frame["asumsi"] == "ditolak", "doc_code"].tolist()
    return done, rejected


def write_assumptions(path: str | Path, done: Sequence[str], rejected: Sequence[str]) -> pd.DataFrame:
    """Write a scenario file (CSV, what :func:`read_assumptions` reads): ``done`` documents as
    ``selesai``, then ``rejected`` ones as ``ditolak``. Returns the rows written."""
    assumptions = pd.DataFrame(
        {"doc_code": [*done, *rejected], "asumsi": ["selesai"] * len(done) + ["ditolak"] * len(rejected)}
    )
    table = csv_safe_frame(assumptions)
    write_via_temp(path, lambda tmp: table.to_csv(tmp, index=False, lineterminator="\n"), backup=False)
    return assumptions


def apply_assumptions(
    framework: Framework,
    snapshot: Snapshot,
    done: Iterable[str] = (),
    rejected: Iterable[str] = (),
    source: str = "what-if",
) -> Snapshot:
    """A copy of ``snapshot`` in which ``done`` documents are verified in full and ``rejected``
    ones rejected (``perlu_perbaikan`` with no points). Nothing is written anywhere.

    Raises
    ------
    InputError
        For document codes not in the framework, or in both lists (``source`` names where
        they came from in the message).
    """
    done, rejected = list(done), list(rejected)
    codes = set(framework.documents["doc_code"])
    problems = [
        Problem(
            source,
            "kode dokumen tidak dikenal",
            column="doc_code",
            value=c,
            expected="kode dari evidence.csv",
        )
        for c in [*done, *rejected]
        if c not in codes
    ]
    problems += [
        Problem(source, "dokumen ditandai selesai sekaligus ditolak", column="doc_code", value=c)
        for c in sorted(set(done) & set(rejected))
    ]
    if problems:
        raise InputError(problems)
    docs = snapshot.documents.copy()
    points = framework.documents.set_index("doc_code")["points"]
    applicable = docs["status"] != TIDAK_BERLAKU
    is_done = docs["doc_code"].isin(done) & applicable
    is_rej = docs["doc_code"].isin(rejected) & applicable
    docs.loc[is_done, "status"] = DIVERIFIKASI
    docs.loc[is_done, "verified_points"] = docs.loc[is_done, "doc_code"].map(points)
    docs.loc[is_rej, "status"] = PERLU_PERBAIKAN
    docs.loc[is_rej, "verified_points"] = 0.0
    return Snapshot(date=snapshot.date, path=snapshot.path, documents=docs)


def what_if(
    framework: Framework,
    pemda: Pemda,
    snapshot: Snapshot,
    done: Iterable[str] = (),
    rejected: Iterable[str] = (),
) -> Scores:
    """Scores at every level if ``done`` documents were verified in full and ``rejected`` ones
    rejected. The files are not touched (see :func:`apply_assumptions`)."""
    return score_snapshot(framework, pemda, apply_assumptions(framework, snapshot, done, rejected))


SCENARIOS: tuple[tuple[str, dict], ...] = (
    ("Rencana dasar", {}),
    ("Hambatan pihak luar teratasi", {"allow_blocked": True}),
    ("Tanpa batas kapasitas OPD", {"use_capacity": False}),
    ("Keyakinan 90%", {"confidence": 0.9}),
)
"""Scenarios compared side by side: name and the :class:`~mcp_lib.plan.planner.PlanOptions` that
differ from the base plan."""


def scenarios(
    framework: Framework,
    pemda: Pemda,
    snapshot: Snapshot,
    target: float | None = None,
    options: PlanOptions = PlanOptions(),
    *,
    opd_history: pd.DataFrame | None = None,
    base: Verdict | None = None,
) -> pd.DataFrame:
    """The plan under each of :data:`SCENARIOS` (``options`` with the scenario's changes): one row
    each with the verdict's numbers.

    ``base`` is the verdict of the plan of ``options`` at ``target`` when the caller has it
    already (the brief plans its target before): the first scenario is that plan, and a scenario that only asks for
    more keyakinan is that plan too when it missed its own keyakinan (the plan search then found
    no plan that meets it and returned the plan of highest chance, which a higher keyakinan
    cannot change)."""
    rows = []
    for name, change in SCENARIOS:
        mine = replace(options, **change)
        if base is not None and _same_plan(base, options, mine):
            v = base
        else:
            v = plan_verdict(framework, pemda, snapshot, target, mine, opd_history=opd_history)
        rows.append(
            {
                "scenario": name,
                "reachable": v.reachable,
                "documents": v.documents,
                "effort": v.effort,
                "score_after": v.score_after,
                "p_target": v.p_target,
            }
        )
    return pd.DataFrame(rows)


def _same_plan(base: Verdict, options: PlanOptions, mine: PlanOptions) -> bool:
    """Whether ``base`` (the plan of ``options``) is the plan of ``mine`` too: the same options,
    or only a higher keyakinan than ``base`` missed."""
    if mine == options:
        return True
    return replace(mine, confidence=options.confidence) == options and (
        mine.confidence >= options.confidence and not base.confidence_met
    )
