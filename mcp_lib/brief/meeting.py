"""What the monthly meeting decides on: the verdict, who must do what, and the decisions asked of
the leadership, from one pemda's brief data.

Everything here is computed from :class:`~mcp_lib.brief.data.BriefData` (its plan for the
pemda's target, the two chances of the year's end, the scores and what changed since the last
meeting) and returned as plain values and frames in Bahasa Indonesia; :mod:`mcp_lib.brief.summary`
lays them out as the brief's two summary pages.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from mcp_lib import text
from mcp_lib.brief.data import BriefData
from mcp_lib.candidates import beyond_uploads, select_candidates
from mcp_lib.forecast import WITH_PLAN, WITHOUT_PLAN
from mcp_lib.plan.planner import WITH_BELOW_WITHOUT
from mcp_lib.scoring import upload_gain
from mcp_lib.since import projection_cause
from mcp_lib.statuses import DIUNGGAH, DIVERIFIKASI, PERLU_PERBAIKAN, TO_DELIVER

WAITING_DAYS = 30
"""An upload waiting longer than this for verification is one to escalate."""
FULL = 0.95
"""An OPD whose plan uses this share of its capacity or more is at full capacity."""
MAX_DECISIONS = 5
BLOCKERS_LISTED = 3
"""Outside blockers named in the decision; the rest are counted (all are in the lampiran)."""


@dataclass(frozen=True)
class Verdict:
    """The verdict box: a status (its key is also the colour) and three lines to read aloud."""

    key: str
    """``aman``, ``rencana`` (safe if the plan is carried out), ``belum`` (not safe within the
    OPDs' capacity), ``sulit`` (the chance with the plan below :data:`HARD`), ``tidak`` (out of
    reach), ``final`` (the score is final)."""
    label: str
    lines: tuple[str, ...]


NOT_SAFE = "belum"
"""The verdict key of *BELUM AMAN* (also the brief's CSS class ``status-belum``): a verdict,
spelled like the document status :data:`mcp_lib.statuses.BELUM` but not one."""
STATUS_LABELS = {
    "aman": "AMAN",
    "rencana": "AMAN BILA RENCANA DIJALANKAN",
    NOT_SAFE: "BELUM AMAN",
    "sulit": "SULIT TERCAPAI",
    "tidak": "TIDAK TERCAPAI",
    "final": "NILAI FINAL",
}
HARD = 0.5
"""Below this chance with the plan the target is hard to reach (``sulit``), not merely unsafe."""


def days_to_close(b: BriefData) -> int:
    """Days from the snapshot to the upload close (negative after it; 0 on its day, when uploads
    are still open)."""
    return (b.plan.calendar.close - b.snapshot.date).days if b.plan.calendar else 0


def close_words(b: BriefData) -> str:
    """``30 hari dari tanggal data sampai batas unggah 30 November 2023`` (or that it is that day,
    or passed)."""
    days, close = days_to_close(b), text.date(b.plan.calendar.close)
    if days > 0:
        return f"{days} hari dari tanggal data sampai batas unggah {close}"
    if days == 0:
        return f"hari ini batas unggah ({close}): unggahan masih dibuka sampai akhir hari"
    return f"batas unggah {close} sudah lewat {-days} hari; yang masih bergerak hanya verifikasi"


def work_words(b: BriefData) -> str:
    """What the plan asks, by whom and by when: ``kawal verifikasi 35 unggahan di KPK dan
    selesaikan 11 dokumen (29 hari-orang) di 6 OPD sebelum 30 November 2023``."""
    docs = b.plan.documents
    waiting = int((docs["status"] == DIUNGGAH).sum())
    new = docs[docs["status"] != DIUNGGAH]
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


def chance_line(b: BriefData) -> str:
    """Both chances read aloud: ``Peluang mencapai 90%: sekitar 7 dari 10 bila rencana dijalankan;
    sekitar 7 dari 10 bila laju sekarang berlanjut (70% dan 66%).`` The percentages are added when
    the words do not tell the two apart; a chance just under the keyakinan is never rounded up to it."""
    v = b.plan.verdict
    with_words, without_words = (_spoken(o.chance, v.confidence) for o in (v.with_plan, v.without_plan))
    line = f"Peluang mencapai {text.percent(b.target, 0)}: {with_words} {WITH_PLAN}; {without_words} {WITHOUT_PLAN}"
    if with_words == without_words and text.chance(v.with_plan.chance) != text.chance(v.without_plan.chance):
        line += f" ({text.chance(v.with_plan.chance)} dan {text.chance(v.without_plan.chance)})"
    line += "."
    if v.with_below_without:
        line += " " + WITH_BELOW_WITHOUT
    return line


def _spoken(p: float | None, confidence: float) -> str:
    words = text.chance_words(p)
    if p is not None and confidence > 0 and p < confidence and words == text.chance_words(confidence):
        return f"sedikit di bawah {words.removeprefix('sekitar ')}"
    return words


def verdict(b: BriefData) -> Verdict:
    """The verdict for the pemda's target: a status and three lines (the state, what must happen,
    the two chances)."""
    v = b.plan.verdict
    target = text.percent(b.target, 0)
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
    chances = chance_line(b)
    if not v.reachable:
        head = (
            f"{STATUS_LABELS['tidak']} untuk target {target}: paling tinggi {text.percent(v.score_after)} bila semua "
            "dokumen yang dapat dikerjakan diterima."
        )
        return Verdict("tidak", STATUS_LABELS["tidak"], (head, f"Yang masih dapat dilakukan: {work}.", chances))
    spoken = _spoken(v.with_plan.chance, v.confidence)
    keyakinan = text.chance_words(v.confidence).removeprefix("sekitar ")
    if (v.without_plan.chance or 0.0) >= v.confidence:
        key = "aman"
        head = f"{STATUS_LABELS['aman']} untuk target {target} {WITHOUT_PLAN}."
    elif v.confidence_met:
        key = "rencana"
        head = f"{STATUS_LABELS['rencana']} untuk target {target}."
    elif (v.with_plan.chance or 0.0) < HARD:
        key = "sulit"
        head = (
            f"{STATUS_LABELS['sulit']} untuk target {target}: {WITH_PLAN} peluangnya {spoken}, dalam kapasitas OPD "
            "yang dicatat."
        )
    else:
        key = NOT_SAFE
        head = (
            f"{STATUS_LABELS[NOT_SAFE]} untuk target {target}: {WITH_PLAN} peluangnya {spoken}, di bawah keyakinan "
            f"yang diminta ({keyakinan}), dalam kapasitas OPD yang dicatat."
        )
    return Verdict(key, STATUS_LABELS[key], (head, f"Untuk {target}: {work}.", chances))


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
            f"Proyeksi {WITHOUT_PLAN} (nilai tengah)",
            text.percent(f.median),
            f"8 dari 10 kemungkinan: {text.band(f.p10, f.p90)}; peluang mencapai {text.percent(b.target, 0)}: "
            f"{text.chance(f.p_target, f.reachable)}",
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
    first = (
        f"Nilai terverifikasi {_move(s.verified - since.verified)} ({text.percent(since.verified)} → "
        f"{text.percent(s.verified)}); nilai klaim {_move(s.claim - since.claim)}."
    )
    m = since.moved
    verified = m["move"] == DIVERIFIKASI
    returned = m["move"] == "dikembalikan"
    moved = int(since.forward.sum())
    if moved:
        second = (
            f"{moved} dokumen bergerak: {since.went_up} naik ke verifikator, {int(verified.sum())} diverifikasi "
            f"({int((verified & m['went_up']).sum())} di antaranya baru naik), {int(returned.sum())} dikembalikan"
        )
        busiest = since.by_opd()
        busiest = busiest[busiest["moved"] > 0].head(3)
        second += " (paling banyak: " + ", ".join(f"{r.opd} {r.moved} dokumen" for r in busiest.itertuples()) + ")"
    else:
        second = "Tidak ada dokumen yang naik ke verifikator, diverifikasi atau dikembalikan"
    worse = int((m["move"] == "mundur").sum())
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
                int(returned.sum()),
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
    ``moved`` (documents that moved forward since the last meeting: went up, were verified or were
    returned, :attr:`mcp_lib.since.Since.forward`) and ``reason``.
    Most urgent first."""
    docs = b.scores.documents
    docs = docs[docs["applicable"]]
    plan = b.plan.documents
    new = plan[plan["status"] != DIUNGGAH]
    per = pd.DataFrame(index=sorted(set(docs["opd"]) | set(plan["opd"])))
    per["deliver"] = new.groupby("opd").size()
    per["late"] = docs[docs["late"]].groupby("opd").size()
    per["returned"] = docs[docs["status"] == PERLU_PERBAIKAN].groupby("opd").size()
    per["waiting"] = docs[docs["status"] == DIUNGGAH].groupby("opd").size()
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
    cand = select_candidates(b.scores.documents, None, None)
    left = cand[~cand["doc_code"].isin(set(plan["doc_code"])) & ~cand["blocked"] & (cand["status"] != DIUNGGAH)]
    per["needs"] = left.groupby("opd")["cost"].min().reindex(per.index)
    blocked = docs[docs["blocked"]].groupby("opd")["blocker"].first()
    per["blocker"] = blocked.reindex(per.index)
    moved = b.since.by_opd().set_index("opd") if b.since is not None else None
    per["moved"] = moved["moved"].reindex(per.index).fillna(0).astype(int) if moved is not None and len(moved) else 0
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
    """Why the OPD has its colour, the two most pressing facts first, in words the row's columns do
    not already say in numbers (the page has one line per OPD to spare)."""
    facts = []
    if r.full and pd.notna(r.capacity):
        facts.append("kapasitas penuh")
    elif r.short and pd.notna(r.capacity):
        facts.append(
            f"butuh {text.number(r.needs, 1)} hari-orang lagi, sisa {text.number(max(r.capacity - r.effort, 0.0), 1)}"
        )
    if r.late:
        facts.append(f"{r.late} lewat tenggat")
    if r.returned:
        facts.append(f"{r.returned} harus diperbaiki")
    if isinstance(r.blocker, str) and r.blocker:
        facts.append(r.blocker)
    if r.deliver and len(facts) < 2:
        facts.append(f"{r.deliver} harus diselesaikan")
    if not facts:
        facts.append("menunggu verifikasi KPK" if r.waiting else "tidak ada dokumen dalam rencana")
    return "; ".join(facts[:2])


def unmovable(b: BriefData) -> pd.DataFrame:
    """The items uploads do not move, with points open (:func:`mcp_lib.candidates.beyond_uploads`)."""
    return beyond_uploads(b.framework, b.scores)


DEADLINE_WARNING_DAYS = 45
"""A framework deadline this many days after the data date or fewer is a decision of the meeting
(about the time to the next monthly meeting and a half)."""


DEADLINE_COLUMNS = ("code", "name", "deadline", "late_share", "days", "opds", "documents", "open", "cost")


def deadline_items(b: BriefData) -> pd.DataFrame:
    """The lowest-level items with a framework deadline and documents still to deliver or awaiting
    verification: ``code, name, deadline, late_share, days`` (from the data date; negative: passed),
    ``opds`` (lead OPDs), ``documents`` (still to deliver), ``open`` (points of the total the item
    can still bring) and ``cost`` (points lateness has already cost), by deadline."""
    docs = b.scores.documents
    if not b.framework.has_deadlines:
        return pd.DataFrame(columns=list(DEADLINE_COLUMNS))
    bottom = b.framework.levels[-1]
    dated = docs[docs["applicable"] & docs["deadline"].notna()]
    rows = []
    for code, item in dated.groupby(bottom.code, sort=False):
        pending = item[item["status"].isin(TO_DELIVER)]
        deadline = pd.Timestamp(item["deadline"].iloc[0]).date()
        rows.append(
            (
                code,
                item[bottom.title].iloc[0],
                deadline,
                float(item["late_share"].iloc[0]),
                (deadline - b.snapshot.date).days,
                ", ".join(dict.fromkeys(pending["opd"].astype(str))),
                len(pending),
                float(item["open"].sum()),
                float(item["late_cost"].sum()),
            )
        )
    out = pd.DataFrame(rows, columns=list(DEADLINE_COLUMNS))
    return out.sort_values(["deadline", "code"], kind="stable").reset_index(drop=True)


def _deadline_decision(b: BriefData) -> str | None:
    """The items whose framework deadline comes within :data:`DEADLINE_WARNING_DAYS` and that
    still have documents to deliver."""
    items = deadline_items(b)
    soon = items[(items["days"] >= 0) & (items["days"] <= DEADLINE_WARNING_DAYS) & (items["documents"] > 0)]
    if not len(soon):
        return None
    listing = "; ".join(
        f"{r.code} {r.name} ({text.date(r.deadline)}, sesudahnya tinggal {text.percent(100 * r.late_share, 0)}; "
        f"{r.opds}, {r.documents} dokumen{_planned_late(b, r.code, r.deadline)})"
        for r in soon.itertuples()
    )
    return f"Pastikan selesai sebelum tenggat kerangka: {listing}."


def _planned_late(b: BriefData, code: str, deadline: object) -> str:
    """``, rencana baru selesai <date>`` when the plan finishes a document of item ``code`` still to
    deliver after its framework deadline (the OPD's queue is too long: more staff, or accept the
    late share); an uploaded one's finish is its expected verification, not the OPD's work."""
    level = b.framework.levels[-1]
    plan = b.plan.documents
    if level.code not in plan:
        return ""
    mine = plan[(plan[level.code] == code) & plan["status"].isin(TO_DELIVER)]  # not those awaiting KPK
    if not len(mine):
        return ""
    last = max(mine["finish"])
    return f", rencana baru selesai {text.date(last)}" if last > deadline else ""


def decisions(b: BriefData, card: pd.DataFrame | None = None) -> list[str]:
    """3–5 decisions the leadership is asked to take, made from the data, most important first:
    the target when the keyakinan cannot be met, the items uploads do not move (a realisation,
    another KPK system), outside blockers, staff for OPDs at full capacity,
    the oldest uploads waiting for verification, overdue documents. ``card``: the
    :func:`scorecard` when the caller has it (page 2 shows it: made once)."""
    out = []
    v = b.plan.verdict
    if v.reachable and not v.confidence_met and (v.without_plan.chance or 0.0) < v.confidence:
        options = []
        lower = [p.verdict for p in b.simulated.plans[:-1] if p.verdict.confidence_met]
        if lower:
            low = lower[-1]
            label = " (nilai akhir tahun lalu)" if _is_last_final(b, low.target) else ""
            options.append(
                f"tetapkan {text.percent(low.target, 0)}{label} sebagai target minimum (peluangnya {WITH_PLAN} "
                f"{text.chance(low.with_plan.chance)})"
            )
        if v.assured == v.assured and v.assured < b.target:  # not NaN
            options.append(
                f"terima bahwa rencana ini mencapai {text.percent(v.assured)} dengan keyakinan "
                f"{text.percent(100 * v.confidence, 0)}"
            )
        out.append(
            f"Tetapkan sikap atas target {text.percent(b.target, 0)}: {WITH_PLAN} peluangnya "
            f"{text.chance_words(v.with_plan.chance)} ({text.chance(v.with_plan.chance)}) dalam kapasitas OPD yang "
            "dicatat. Tambah kapasitas OPD (butir di bawah)" + "".join(f", atau {o}" for o in options) + "."
        )
    elif not v.reachable:
        out.append(
            f"Tetapkan sikap atas target {text.percent(b.target, 0)}: tidak tercapai dengan batasan saat ini "
            f"(paling tinggi {text.percent(v.score_after)}); lihat hambatan di lampiran."
        )
    warning = _deadline_decision(b)
    if warning:
        out.append(warning)
    away = unmovable(b)
    if len(away):
        named = len(away) if len(away) <= BLOCKERS_LISTED + 1 else BLOCKERS_LISTED  # never "dan 1 lainnya"
        listing = "; ".join(
            f"{r.code} {r.name} ({r.how}, {text.number(r.points_open, 2)} poin)" for r in away.head(named).itertuples()
        )
        more = f"; dan {len(away) - named} lainnya" if len(away) > named else ""
        out.append(
            f"Kejar {len(away)} indikator yang tidak naik dengan mengunggah dokumen "
            f"({text.number(away['points_open'].sum(), 2)} poin terbuka, di luar rencana): {listing}{more}."
        )
    docs = b.scores.documents
    blocked = docs[docs["applicable"] & docs["blocked"]]
    if len(blocked):
        groups = blocked.groupby("blocker").agg(opd=("opd", "first"), n=("doc_code", "size"), points=("open", "sum"))
        groups = groups.sort_values("points", ascending=False)
        named = len(groups) if len(groups) <= BLOCKERS_LISTED + 1 else BLOCKERS_LISTED  # never "dan 1 lainnya"
        listing = "; ".join(
            f"{name} ({r.opd}, " + (f"{r.n} dokumen, " if r.n > 1 else "") + f"{text.number(r.points, 2)} poin)"
            for name, r in groups.head(named).iterrows()
        )
        more = f"; dan {len(groups) - named} lainnya" if len(groups) > named else ""
        out.append(f"Surati atau temui pihak luar yang menahan {len(blocked)} dokumen: {listing}{more}.")
    card = scorecard(b) if card is None else card
    full = card[card["full"] | card["short"]]
    if len(full):
        names = _listing(list(full["opd"]))  # their person-days are in the scorecard above
        out.append(
            f"Tambah tenaga atau alihkan tugas di OPD yang kapasitasnya tidak cukup sampai "
            f"{text.date(b.plan.horizon)}: {names}."
        )
    old = long_waiting(b)
    if len(old):
        out.append(
            f"Minta KPK (koordinator wilayah) memverifikasi {len(old)} unggahan yang menunggu lebih dari "
            f"{WAITING_DAYS} hari ({text.number(old['gain'].sum(), 2)} poin; yang tertua sejak "
            f"{text.date(min(old['since']))})."
        )
    late = card[card["late"] > 0]
    if len(late):
        names = _listing([f"{r.opd} {r.late}" for r in late.sort_values("late", ascending=False).itertuples()])
        out.append(f"Minta kepala OPD menyelesaikan dokumen yang lewat tenggat: {names}.")
    return out[:MAX_DECISIONS]


def long_waiting(b: BriefData) -> pd.DataFrame:
    """The uploads waiting for verification longer than :data:`WAITING_DAYS` that would move the
    score if accepted (a realisation's report moves nothing): ``doc_code, opd, since, gain``."""
    w = b.waiting
    if w is None or not len(w):
        return pd.DataFrame(columns=["doc_code", "opd", "since", "gain"])
    docs = b.scores.documents
    gain = upload_gain(docs).set_axis(docs["doc_code"])
    old = w[[(b.snapshot.date - d).days > WAITING_DAYS for d in w["since"]]]
    old = old.assign(gain=gain.reindex(old["doc_code"]).fillna(0.0).to_numpy())
    return old[old["gain"] > 1e-12]


def _is_last_final(b: BriefData, target: float) -> bool:
    last = b.pemda.last_final
    return last is not None and abs(last[1] - target) < 1e-9


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
