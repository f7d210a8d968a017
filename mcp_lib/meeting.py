"""What the monthly meeting decides on: the verdict, who must do what, and the decisions asked of
the leadership, from one pemda's brief data.

Everything here is computed from :class:`~mcp_lib.brief_data.BriefData` (its plan for the
pemda's target, the two chances of the year's end, the scores and what changed since the last
meeting) and returned as plain values and frames in Bahasa Indonesia; :mod:`mcp_lib.brief_summary`
lays them out as the brief's two summary pages.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from mcp_lib import text
from mcp_lib.brief_data import BriefData
from mcp_lib.forecast import WITHOUT_PLAN
from mcp_lib.planner import WITH_BELOW_WITHOUT
from mcp_lib.since import projection_cause

WAITING_DAYS = 30
"""An upload waiting longer than this for verification is one to escalate."""
FULL = 0.95
"""An OPD whose plan uses this share of its capacity or more is at full capacity."""
MAX_DECISIONS = 5


@dataclass(frozen=True)
class Verdict:
    """The verdict box: a status (its key is also the colour) and three lines to read aloud."""

    key: str
    """``aman``, ``rencana`` (safe if the plan is carried out), ``belum`` (not safe within the
    OPDs' capacity), ``tidak`` (out of reach), ``final`` (the score is final)."""
    label: str
    lines: tuple[str, ...]


STATUS_LABELS = {
    "aman": "AMAN",
    "rencana": "AMAN BILA RENCANA DIJALANKAN",
    "belum": "BELUM AMAN",
    "tidak": "TIDAK TERCAPAI",
    "final": "NILAI FINAL",
}


def days_to_close(b: BriefData) -> int:
    """Days from the snapshot to the upload close (negative after it; 0 on its day, when uploads
    are still open)."""
    return (b.plan.calendar.close - b.snapshot.date).days if b.plan.calendar else 0


def close_words(b: BriefData) -> str:
    """``30 hari lagi sampai batas unggah 30 November 2023`` (or that it is today, or passed)."""
    days, close = days_to_close(b), text.date(b.plan.calendar.close)
    if days > 0:
        return f"{days} hari lagi sampai batas unggah {close}"
    if days == 0:
        return f"hari ini batas unggah ({close}): unggahan masih dibuka sampai akhir hari"
    return f"batas unggah {close} sudah lewat {-days} hari; yang masih bergerak hanya verifikasi"


def work_words(b: BriefData) -> str:
    """What the plan asks, by whom and by when: ``kawal verifikasi 35 unggahan di KPK dan
    selesaikan 11 dokumen (29 hari-orang) di 6 OPD sebelum 30 November 2023``."""
    docs = b.plan.documents
    waiting = int((docs["status"] == "diunggah").sum())
    new = docs[docs["status"] != "diunggah"]
    until = text.date(b.plan.horizon or b.plan.calendar.close)
    parts = []
    if waiting:
        parts.append(f"kawal verifikasi {waiting} unggahan di KPK")
    if len(new):
        parts.append(
            f"selesaikan {len(new)} dokumen ({text.number(new['effort'].sum(), 0)} hari-orang) di "
            f"{new['opd'].nunique()} OPD sebelum {until}"
        )
        if b.plan.verdict.others > 0.05:  # the chance counts on the pace for the rest
            parts.append("pertahankan laju unggah dokumen lainnya")
    elif days_to_close(b) >= 0:
        parts.append(f"pertahankan laju unggah OPD sampai {until}")
    if not parts:
        return "tidak ada yang dapat dikerjakan lagi"
    return ", ".join(parts[:-1]) + (" dan " if len(parts) > 1 else "") + parts[-1]


def verdict(b: BriefData) -> Verdict:
    """The verdict for the pemda's target: a status and three lines (the state, what must happen,
    the two chances)."""
    v = b.plan.verdict
    target = text.percent(b.target, 0)
    chances = f"Bila dijalankan: {text.chance_words(v.with_plan.chance)}; bila laju sekarang saja: " + (
        f"{text.chance_words(v.without_plan.chance)}."
    )
    if v.with_below_without:
        chances += " " + WITH_BELOW_WITHOUT
    if b.forecast is not None and b.forecast.basis == "final":
        return Verdict(
            "final",
            STATUS_LABELS["final"],
            (
                f"Nilai {text.percent(b.scores.verified)} sudah final.",
                f"Target {target} {'tercapai' if b.scores.verified >= b.target - 1e-9 else 'tidak tercapai'}.",
                "",
            ),
        )
    work = work_words(b)
    if not v.reachable:
        head = (
            f"{STATUS_LABELS['tidak']} untuk target {target}: paling tinggi {text.percent(v.score_after)} bila semua "
            "dokumen yang dapat dikerjakan diterima."
        )
        return Verdict("tidak", STATUS_LABELS["tidak"], (head, f"Yang masih dapat dilakukan: {work}.", chances))
    if (v.without_plan.chance or 0.0) >= v.confidence:
        key = "aman"
        head = f"{STATUS_LABELS['aman']} untuk target {target} {WITHOUT_PLAN}."
    elif v.confidence_met:
        key = "rencana"
        head = f"{STATUS_LABELS['rencana']} untuk target {target}."
    else:
        key = "belum"
        head = (
            f"{STATUS_LABELS['belum']} untuk target {target}: keyakinan {text.percent(100 * v.confidence, 0)} "
            "tidak tercapai dalam kapasitas OPD."
        )
    return Verdict(key, STATUS_LABELS[key], (head, f"Untuk {text.number(b.target, 0)}: {work}.", chances))


@dataclass(frozen=True)
class Figure:
    """One of the four headline figures, with its change since the last meeting."""

    label: str
    value: str
    note: str
    change: str


def figures(b: BriefData) -> list[Figure]:
    """Verified, claim, the projection without a plan (with its band) and the target, each with
    its change since the last meeting (``–`` when there is none)."""
    s, f, since, prev = b.scores, b.outlook, b.since, b.previous_forecast
    when = "" if since is None else f" sejak {text.date(since.previous_date, 'd MMM')}"

    def delta(now: float, then: float | None) -> str:
        return "–" if then is None else f"{text.signed(now - then)} poin{when}"

    note = f"predikat {s.band.name}" + (f"; {text.penalty(s.penalty, s.penalty_reason)}" if s.penalty else "")
    last = b.pemda.last_final
    out = [
        Figure("Nilai terverifikasi", text.percent(s.verified), note, delta(s.verified, since and since.verified)),
        Figure(
            "Nilai klaim", text.percent(s.claim), "bila semua unggahan diterima", delta(s.claim, since and since.claim)
        ),
        Figure(
            f"Proyeksi {WITHOUT_PLAN}",
            text.percent(f.median),
            f"rentang 80%: {text.band(f.p10, f.p90)}",
            delta(f.median, prev.median if prev is not None else None),
        ),
        Figure(
            "Target",
            text.percent(b.target, 0),
            f"nilai akhir {last[0]}: {text.percent(last[1])}" if last else "",
            f"selisih {text.number(max(b.target - s.verified, 0.0))} poin dari nilai terverifikasi",
        ),
    ]
    return out


def since_lines(b: BriefData) -> list[str]:
    """``Sejak rapat lalu`` in three sentences: the scores, the documents that moved (and the last
    brief's plan), why the projection moved."""
    since = b.since
    if since is None:
        return ["Belum ada snapshot sebelumnya tahun ini: perubahan tampil mulai rapat berikutnya."]
    s = b.scores
    moved = since.by_opd()
    totals = {k: int(moved[k].sum()) if len(moved) else 0 for k in ("diunggah", "diverifikasi", "dikembalikan")}
    first = (
        f"Nilai terverifikasi {_move(s.verified - since.verified)} ({text.percent(since.verified)} → "
        f"{text.percent(s.verified)}); nilai klaim {_move(s.claim - since.claim)}."
    )
    busiest = moved.assign(n=moved[["diunggah", "diverifikasi", "dikembalikan"]].sum(axis=1)).head(3)
    busiest = busiest[busiest["n"] > 0]
    second = (
        f"{since.went_up} dokumen naik ke verifikator, {totals['diverifikasi']} diverifikasi, "
        f"{totals['dikembalikan']} dikembalikan"
        if since.went_up or any(totals.values())
        else "Tidak ada dokumen yang naik ke verifikator, diverifikasi atau dikembalikan"
    )
    if len(busiest):
        second += " (paling banyak: " + ", ".join(f"{r.opd} {r.n}" for r in busiest.itertuples()) + ")"
    worse = int(moved["mundur"].sum()) if len(moved) else 0
    if worse:
        second += f"; {worse} dokumen mundur statusnya"
    planned, done = since.plan_moved(b.snapshot.documents)
    if planned:
        second += f". Dari {planned} dokumen rencana rapat lalu, {done} sudah diunggah atau diverifikasi"
    second += "."
    lines = [first, second]
    prev = b.previous_forecast
    if prev is not None and prev.basis != "final":
        lines.append(
            projection_cause(
                prev.median,
                b.outlook.median,
                prev.expected_by(b.snapshot.date),
                since.went_up,
                totals["dikembalikan"],
                since.previous_date,
            )
        )
    return lines


def _move(change: float) -> str:
    if round(change, 1) == 0:
        return "tetap"
    return f"{'naik' if change > 0 else 'turun'} {text.number(abs(change))} poin"


SCORECARD_COLOURS = {"merah": "perlu tindakan", "kuning": "ada pekerjaan", "hijau": "aman"}
"""The scorecard's colours and what each means (the colour's name is printed too: colour is never the
only signal)."""


def scorecard(b: BriefData) -> pd.DataFrame:
    """One row per OPD with something to do or to follow: ``opd, colour`` (``merah``, ``kuning``,
    ``hijau``), ``deliver`` (new documents of the plan) and ``late`` (open documents past their due
    date), ``returned`` (perlu perbaikan), ``waiting`` (uploads awaiting verification),
    ``effort``/``capacity`` (the plan's person-days against the capacity until the deadline),
    ``moved`` (documents that went up or were verified since the last meeting) and ``reason``.
    Most urgent first."""
    docs = b.scores.documents
    docs = docs[docs["applicable"]]
    plan = b.plan.documents
    new = plan[plan["status"] != "diunggah"]
    per = pd.DataFrame(index=sorted(set(docs["opd"]) | set(plan["opd"])))
    per["deliver"] = new.groupby("opd").size()
    per["late"] = docs[docs["late"]].groupby("opd").size()
    per["returned"] = docs[docs["status"] == "perlu_perbaikan"].groupby("opd").size()
    per["waiting"] = docs[docs["status"] == "diunggah"].groupby("opd").size()
    per["open_points"] = docs.groupby("opd")["open"].sum()
    per["effort"] = new.groupby("opd")["effort"].sum()
    caps = b.plan.by_opd.set_index("opd")["capacity"]
    per["capacity"] = caps.reindex(per.index)
    per = per.fillna({"deliver": 0, "late": 0, "returned": 0, "waiting": 0, "open_points": 0.0, "effort": 0.0})
    per = per.astype({"deliver": int, "late": int, "returned": int, "waiting": int})
    short = set(b.plan.obstacles.loc[b.plan.obstacles["kind"] == "kapasitas", "opd"])
    per["full"] = [
        bool(pd.notna(c) and c > 0 and e >= FULL * c) for e, c in zip(per["effort"], per["capacity"], strict=True)
    ]
    per["short"] = [o in short for o in per.index]
    blocked = docs[docs["blocked"]].groupby("opd")["blocker"].first()
    per["blocker"] = blocked.reindex(per.index)
    moved = b.since.by_opd().set_index("opd") if b.since is not None else None
    per["moved"] = (
        (moved["went_up"] + moved["diverifikasi"]).reindex(per.index).fillna(0).astype(int)
        if moved is not None and len(moved)
        else 0
    )
    per = per[(per[["deliver", "late", "returned", "waiting"]].sum(axis=1) > 0) | (per["open_points"] > 0.005)]
    per["colour"] = np.select(
        [
            (per["late"] > 0) | per["full"] | per["short"],
            (per["deliver"] > 0) | (per["returned"] > 0) | per["blocker"].notna(),
        ],
        ["merah", "kuning"],
        default="hijau",
    )
    per["reason"] = [_reason(r) for r in per.itertuples()]
    rank = per["colour"].map({"merah": 0, "kuning": 1, "hijau": 2})
    per = per.assign(_rank=rank).sort_values(["_rank", "open_points"], ascending=[True, False]).drop(columns="_rank")
    return per.reset_index(names="opd")[
        [
            "opd",
            "colour",
            "deliver",
            "late",
            "returned",
            "waiting",
            "effort",
            "capacity",
            "moved",
            "reason",
            "full",
            "short",
        ]
    ]


def _reason(r: object) -> str:
    """The one phrase that says why the OPD has its colour (the most pressing first)."""
    if r.full and pd.notna(r.capacity):
        return f"kapasitas penuh ({text.number(r.effort, 0)}/{text.number(r.capacity, 0)} hari-orang)"
    if r.short:
        return "dokumen tersisa tidak muat dalam kapasitas sampai tenggat"
    if r.late:
        return f"{r.late} dokumen lewat tenggat"
    if isinstance(r.blocker, str) and r.blocker:
        return r.blocker
    if r.returned:
        return f"{r.returned} dokumen harus diperbaiki"
    if r.deliver:
        return f"{r.deliver} dokumen harus diselesaikan"
    if r.waiting:
        return "menunggu verifikasi KPK"
    return "tidak ada dokumen dalam rencana"


def decisions(b: BriefData) -> list[str]:
    """3–5 decisions the leadership is asked to take, made from the data, most important first:
    the target when the keyakinan cannot be met, outside blockers, staff for OPDs at full capacity,
    the oldest uploads waiting for verification, overdue documents."""
    out = []
    v = b.plan.verdict
    if v.reachable and not v.confidence_met and (v.without_plan.chance or 0.0) < v.confidence:
        lower = [p.verdict for p in b.simulated.plans[:-1] if p.verdict.confidence_met]
        alt = f" atau tetapkan {text.percent(lower[-1].target, 0)} sebagai target minimum" if lower else ""
        out.append(
            f"Tetapkan sikap atas target {text.percent(b.target, 0)}: dalam kapasitas OPD yang dicatat peluangnya "
            f"{text.chance_words(v.with_plan.chance)}; tambah tenaga di OPD yang kapasitasnya penuh{alt}."
        )
    elif not v.reachable:
        out.append(
            f"Tetapkan sikap atas target {text.percent(b.target, 0)}: tidak tercapai dengan batasan saat ini "
            f"(paling tinggi {text.percent(v.score_after)}); lihat hambatan di lampiran."
        )
    docs = b.scores.documents
    blocked = docs[docs["applicable"] & docs["blocked"]]
    if len(blocked):
        groups = blocked.groupby("blocker").agg(opd=("opd", "first"), n=("doc_code", "size"), points=("open", "sum"))
        groups = groups.sort_values("points", ascending=False)
        listing = "; ".join(
            f"{name} ({r.opd}, {r.n} dokumen, {text.number(r.points, 2)} poin)" for name, r in groups.head(4).iterrows()
        )
        more = f"; dan {len(groups) - 4} lainnya" if len(groups) > 4 else ""
        out.append(f"Surati atau temui pihak luar yang menahan {len(blocked)} dokumen: {listing}{more}.")
    card = scorecard(b)
    full = card[card["full"] | card["short"]]
    if len(full):
        names = _listing(
            [
                f"{r.opd} ({text.number(r.effort, 0)}/{text.number(r.capacity, 0)} hari-orang)"
                if pd.notna(r.capacity) and r.full
                else r.opd
                for r in full.itertuples()
            ]
        )
        out.append(
            f"Tambah tenaga atau alihkan tugas di OPD yang kapasitasnya tidak cukup sampai "
            f"{text.date(b.plan.horizon)}: {names}."
        )
    w = b.waiting
    if w is not None and len(w):
        old = w[[(b.snapshot.date - d).days >= WAITING_DAYS for d in w["since"]]]
        if len(old):
            oldest = min(old["since"])
            points = docs.set_index("doc_code").reindex(old["doc_code"])["open"].sum()
            out.append(
                f"Minta KPK (koordinator wilayah) memverifikasi {len(old)} unggahan yang menunggu lebih dari "
                f"{WAITING_DAYS} hari ({text.number(points, 2)} poin; yang tertua sejak {text.date(oldest)})."
            )
    late = card[card["late"] > 0]
    if len(late):
        names = _listing([f"{r.opd} {r.late}" for r in late.sort_values("late", ascending=False).itertuples()])
        out.append(f"Minta kepala OPD menyelesaikan dokumen yang lewat tenggat: {names}.")
    return out[:MAX_DECISIONS]


def _listing(items: list[str], most: int = 5) -> str:
    """``a, b, c, d, e dan 3 lainnya``."""
    head = ", ".join(items[:most])
    return head + (f" dan {len(items) - most} lainnya" if len(items) > most else "")


__all__ = [
    "Figure",
    "Verdict",
    "close_words",
    "days_to_close",
    "decisions",
    "figures",
    "scorecard",
    "since_lines",
    "verdict",
    "work_words",
]
