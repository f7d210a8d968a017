"""What a tracker import changes, before it is written: the movements against the pemda's previous
snapshot, per OPD, and the guard against importing a tracker that undoes verified work.

A blank tracker (``mcp tracker``: every status ``belum``) filled in for a few documents and
imported over a pemda with real history would turn last month's verified documents back into
``belum``: the score falls from 65% to 2% without a word. :func:`import_changes` compares the
tracker with the latest snapshot dated before it (with :func:`mcp_lib.since.compare`, the same
comparison the brief's "sejak rapat lalu" uses); :func:`backward_problems` lists the documents
that went back and the fall of the verified score, which the import refuses unless the analyst
says the correction is meant (``mcp snapshot import --terima-mundur``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from mcp_lib import text
from mcp_lib.errors import Problem
from mcp_lib.framework.model import Framework, Level
from mcp_lib.io.rawfile import ROW
from mcp_lib.pemda.model import Pemda
from mcp_lib.pemda.snapshot import Snapshot, list_snapshots, load_snapshot
from mcp_lib.pemda.tracker import column_letters, tracker_columns
from mcp_lib.scoring import score_snapshot
from mcp_lib.since import MOVES, Since, compare
from mcp_lib.statuses import BEFORE_UPLOAD, DIUNGGAH, DIVERIFIKASI

FALL_POINTS = 3.0
"""A fall of the verified score larger than this (points of the total score, 0–100) since the
previous snapshot is refused without ``--terima-mundur``: KPK lowering a verified share is rare
and small, while a wrong file (a blank tracker, last year's tracker) costs tens of points. Three
points is above one sub-indicator's typical weight in a document (2023: 100 points over 143
documents, 0,7 each; 2025: 0,15 each) and below the falls a wrong file makes."""

MOVE_WORDS = {
    DIUNGGAH: DIUNGGAH,
    DIVERIFIKASI: DIVERIFIKASI,
    "dikembalikan": "dikembalikan (perlu perbaikan)",
    "mundur": "mundur",
}
"""Column words of the per-OPD movement table printed by the import."""


@dataclass(frozen=True, eq=False)
class ImportChanges:
    """A tracker set beside the previous snapshot.

    Attributes
    ----------
    previous
        The latest snapshot dated before the tracker's date (``None``: the pemda's first).
    since
        The documents that moved (:class:`mcp_lib.since.Since`), ``None`` without a previous one.
    verified, claim
        The tracker's verified and claim scores (percent, after the year's penalty).
    reverted
        Documents verified then and ``belum``/``disiapkan`` now: ``doc_code, opd, before, after,
        row`` (the tracker's Excel row).
    """

    previous: Snapshot | None
    since: Since | None
    verified: float
    claim: float
    reverted: pd.DataFrame
    later: Snapshot | None = None
    """The earliest snapshot dated after the tracker's date, when there is one (a month filled in
    afterwards, or a wrong ``--date``)."""
    ahead: tuple[str, ...] = ()
    """Documents verified in the tracker and ``belum``/``disiapkan`` in :attr:`later`: the tracker
    looks newer than a snapshot dated after it (the October tracker imported as September)."""

    @property
    def fall(self) -> float:
        """Points the verified score fell since the previous snapshot (0 when it rose)."""
        return max(0.0, self.since.verified - self.verified) if self.since is not None else 0.0


def import_changes(snapshot: Snapshot, pemda: Pemda, framework: Framework) -> ImportChanges:
    """Compare a validated tracker (as the snapshot of its date) with the pemda's previous snapshot.

    Raises
    ------
    InputError
        When the previous snapshot itself cannot be read (its file and rows named).
    """
    scores = score_snapshot(framework, pemda, snapshot)
    dated = list_snapshots(pemda)
    earlier = [(d, p) for d, p in dated if d < snapshot.date]
    after = [(d, p) for d, p in dated if d > snapshot.date]
    later, ahead = None, ()
    if after:
        later = load_snapshot(after[0][1], framework, pemda, after[0][0])
        status = later.documents.set_index("doc_code")["status"]
        mine = snapshot.documents
        verified = mine.loc[mine["status"] == DIVERIFIKASI, "doc_code"]
        ahead = tuple(c for c in verified if status.get(c) in BEFORE_UPLOAD)
    empty = pd.DataFrame(columns=["doc_code", "opd", "before", "after", "row"])
    if not earlier:
        return ImportChanges(None, None, scores.verified, scores.claim, empty, later, ahead)
    date, path = earlier[-1]
    previous = load_snapshot(path, framework, pemda, date)
    before = score_snapshot(framework, pemda, previous)
    applicable = pd.Series(framework.applies(pemda.kind).to_numpy(), index=framework.documents["doc_code"])
    since = compare(
        previous,
        snapshot,
        applicable,
        period=f"{date:%Y-%m}",
        source="snapshot",
        verified=before.verified,
        claim=before.claim,
    )
    m = since.moved
    back = m[(m["before"] == DIVERIFIKASI) & m["after"].isin(BEFORE_UPLOAD)]
    rows = snapshot.documents.set_index("doc_code")[ROW] if ROW in snapshot.documents else None
    reverted = back[["doc_code", "opd", "before", "after"]].assign(
        row=[_row(rows, c) for c in back["doc_code"]] if len(back) else []
    )
    return ImportChanges(previous, since, scores.verified, scores.claim, reverted.reset_index(drop=True), later, ahead)


def _row(rows: pd.Series | None, code: str) -> int | None:
    if rows is None or code not in rows.index or pd.isna(rows[code]):
        return None
    return int(rows[code])


def backward_problems(changes: ImportChanges, path: str | Path, levels: tuple[Level, ...]) -> list[Problem]:
    """Why the import is refused without ``--terima-mundur``: what went back in one line (the
    documents that left ``diverifikasi`` for ``belum``/``disiapkan``, the fall of the verified
    score when larger than :data:`FALL_POINTS`) with the way out, then each of those documents
    (its row, the status column as the tracker of the framework's ``levels`` shows it). Empty
    when nothing went back."""
    problems = []
    if changes.later is not None and changes.ahead:
        then = text.date(changes.later.date)
        problems.append(
            Problem(
                str(path),
                f"tracker ini tampak lebih baru dari snapshot {then} yang bertanggal sesudahnya: "
                f"{len(changes.ahead)} dokumen diverifikasi di tracker ini masih belum/disiapkan per {then} "
                f"(mis. {', '.join(changes.ahead[:3])})",
                expected=f"--date sesudah {changes.later.date:%Y-%m-%d} (tanggal data tracker ini); bila memang "
                "disengaja: --terima-mundur",
            )
        )
    if changes.previous is None or changes.since is None:
        return problems
    n = len(changes.reverted)
    if not n and changes.fall <= FALL_POINTS:
        return problems
    when = text.date(changes.previous.date)
    what = [f"{n} dokumen yang sudah diverifikasi per {when} kembali menjadi belum/disiapkan"] if n else []
    if changes.fall > FALL_POINTS:
        what.append(
            f"nilai terverifikasi turun {text.number(changes.fall, 1)} poin "
            f"({text.percent(changes.since.verified)} → {text.percent(changes.verified)})"
        )
    problems += [
        Problem(
            str(path),
            "tracker ini mundur dari snapshot " + when + ": " + "; ".join(what),
            expected=(
                "tracker yang diisi dari snapshot terakhir (mcp snapshot export --period "
                f"{changes.previous.date:%Y-%m}); bila koreksi ini memang disengaja: --terima-mundur"
            ),
        )
    ]
    columns = tracker_columns(levels)
    status_column = f"{column_letters(columns)['status']} " + next(c.label for c in columns if c.name == "status")
    problems += [
        Problem(
            str(path),
            f"dokumen {r.doc_code} ({r.opd}) sudah diverifikasi per {when}, di tracker ini '{r.after}'",
            row=r.row,
            column=status_column,
            expected=DIVERIFIKASI,
        )
        for r in changes.reverted.itertuples(index=False)
    ]
    return problems


def change_lines(changes: ImportChanges, date: dt.date) -> list[str]:
    """What the import changed, in Indonesian, for the console: the scores before and after, then
    one line per OPD with movement (uploaded, verified, returned, went back)."""
    later = (
        [
            f"Catatan: sudah ada snapshot yang lebih baru ({text.date(changes.later.date)}); "
            "snapshot ini ada di antaranya."
        ]
        if changes.later is not None
        else []
    )
    if changes.previous is None or changes.since is None:
        first = (
            "Snapshot pertama pemda ini" if changes.later is None else f"Tidak ada snapshot sebelum {text.date(date)}"
        )
        return [
            f"{first}: nilai terverifikasi {text.percent(changes.verified)}, klaim {text.percent(changes.claim)}.",
            *later,
        ]
    s = changes.since
    sign = changes.verified - s.verified
    lines = [
        f"Dibanding snapshot {text.date(changes.previous.date)}: nilai terverifikasi "
        f"{text.percent(s.verified)} → {text.percent(changes.verified)} ({text.signed(sign)} poin), "
        f"klaim {text.percent(s.claim)} → {text.percent(changes.claim)} ({text.signed(changes.claim - s.claim)} poin)."
    ]
    lines += later
    table = s.by_opd()
    if table.empty:
        lines.append("Tidak ada dokumen yang berubah status.")
        return lines
    lines.append("Perubahan per OPD (jumlah dokumen):")
    for r in table.itertuples(index=False):
        parts = [f"{getattr(r, m)} {MOVE_WORDS[m]}" for m in MOVES if getattr(r, m)]
        lines.append(f"  {r.opd}: " + ", ".join(parts))
    return lines
