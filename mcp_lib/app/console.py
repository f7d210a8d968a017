"""What the ``mcp`` commands print in the terminal: the score report, the plan's verdicts and
action list per OPD, and the year-end forecast.

Each report takes computed results (scores, plans, a forecast) and prints them to a Rich
:class:`~rich.console.Console` in Bahasa Indonesia; nothing here reads files or computes a
figure. Data in a line printed with Rich markup goes through :func:`markup`. A command's
one-line confirmations ("ditulis: ...") stay with the command (:mod:`mcp_lib.app.commands`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd
from rich.console import Console
from rich.table import Table

from mcp_lib import text
from mcp_lib.statuses import DIUNGGAH

if TYPE_CHECKING:
    from mcp_lib.forecast import Forecast
    from mcp_lib.framework.model import Framework
    from mcp_lib.pemda.model import Pemda
    from mcp_lib.pemda.snapshot import Snapshot
    from mcp_lib.plan.planner import Plan
    from mcp_lib.plan.targets import TargetPlans
    from mcp_lib.scoring import Scores
    from mcp_lib.trend import Trend


def markup(value: object) -> str:
    """Data in a line printed with Rich markup: brackets are escaped for Rich (HTML escaping
    would show ``&amp;`` in the terminal)."""
    from rich.markup import escape

    return escape(str(value))


def _table(title: str, columns: Sequence[str]) -> Table:
    table = Table(title=title, title_justify="left", show_edge=False, pad_edge=False)
    for i, col in enumerate(columns):
        table.add_column(col, justify="left" if i == 0 else "right", overflow="fold")
    return table


def print_score(
    pemda: Pemda,
    fw: Framework,
    period: str,
    snap: Snapshot,
    scores: Scores,
    trend: Trend,
    forecast: Forecast,
    notes: Sequence[str],
    out: Console,
) -> None:
    """The ``mcp score`` report: total verified, claim and evidence progress, target and pace,
    the year-end forecast, then the tables per area and per OPD."""
    out.print(
        f"[bold]{markup(pemda.name)}[/bold] — periode {period}, snapshot {text.date(snap.date)}",
        highlight=False,
    )
    out.print(f"Kerangka: {fw.label}", highlight=False)
    last = pemda.last_final
    lines = [
        f"Nilai terverifikasi (verified): [bold]{text.percent(scores.verified)}[/bold] — predikat {scores.band.name}"
        + (f"; {markup(text.penalty(scores.penalty, scores.penalty_reason))}" if scores.penalty else ""),
        f"Nilai klaim (jika semua unggahan diterima): {text.percent(scores.claim)}",
        f"Kemajuan bukti (evidence progress): {text.percent(scores.progress)} dokumen diunggah/diverifikasi",
        f"Target: {text.percent(trend.target)}; selisih {text.number(max(trend.target - scores.verified, 0))} poin",
    ]
    if last:
        lines.append(f"Nilai akhir {last[0]}: {text.percent(last[1])}")
    pace = "–" if trend.velocity is None else text.signed(trend.velocity)
    need = "–" if trend.required_velocity is None else text.number(trend.required_velocity)
    if trend.required_velocity is None:
        lines.append(f"Laju: {pace} poin/bulan; tenggat {text.date(trend.deadline)} sudah lewat")
    else:
        lines.append(f"Laju: {pace} poin/bulan; perlu {need} poin/bulan sampai {text.date(trend.deadline)}")
    lines += list(notes)
    lines += forecast_lines(forecast)
    for line in lines:
        out.print(line, highlight=False)

    areas = _table("Nilai per area", ["Area", "Bobot", "Terverifikasi", "Klaim", "Kemajuan"])
    for r in scores.by_area.itertuples():
        areas.add_row(
            r.area_name,
            text.number(r.area_weight),
            text.percent(r.verified),
            text.percent(r.claim),
            text.percent(r.progress, 0),
        )
    out.print()
    out.print(areas)

    opd = _table(
        "OPD (diurutkan menurut poin yang masih terbuka)",
        ["OPD", "Nilai", "Poin terbuka", "Dok.", "Terlambat", "Perlu perbaikan", "Terblokir"],
    )
    for r in scores.by_opd.itertuples():
        opd.add_row(
            r.opd,
            text.percent(r.verified),
            text.number(r.points_open, 2),
            str(r.documents),
            str(r.late),
            str(r.rejected),
            str(r.blocked),
        )
    out.print()
    out.print(opd)


def _chance(p: float | None, possible: bool = True) -> str:
    return text.chance(p, possible)


def forecast_lines(f: Forecast) -> list[str]:
    """The year's end without a plan in words: median, 80% band (rounded outward), the chance of
    the target, what it assumes, and the OPDs whose pace is more than their recorded capacity
    allows."""
    from mcp_lib.forecast import WITHOUT_PLAN

    basis = {
        "laju": WITHOUT_PLAN,
        "kurva": f"{WITHOUT_PLAN} (pola pemda pada umumnya)",
        "total": "dari nilai total, pola pemda pada umumnya",
        "final": "nilai final",
    }
    out = [
        f"Proyeksi nilai final ({text.date(f.calendar.final)}) {basis[f.basis]}: median {text.percent(f.median)}, "
        f"80% antara {text.band(f.p10, f.p90)}"
        + (
            f"; peluang mencapai {text.percent(f.target, 0)}: {_chance(f.p_target, f.reachable)}"
            if f.target is not None
            else ""
        )
    ]
    out += [f"  anggapan: {a}" for a in f.assumptions]
    out += [f"  {line}" for line in f.pace_notes()]
    return out


def print_verdict(plan: Plan, out: Console, label: str = "") -> None:
    """One target's verdict: the two chances (without and with the plan), the plan, the
    confidence it was sized with, the minimal plan, and what stands in the way."""
    from mcp_lib.forecast import WITH_PLAN, WITHOUT_PLAN
    from mcp_lib.plan.planner import WITH_BELOW_WITHOUT

    v = plan.verdict
    out.print(f"[bold]Target {text.percent(v.target)}{markup(label)}[/bold]")
    out.print(f"  {WITHOUT_PLAN.capitalize()}: {v.without_plan.words(v.reachable)}", markup=False)
    out.print(f"  {WITH_PLAN.capitalize()}: {v.with_plan.words(v.reachable)}", markup=False)
    if v.with_below_without:
        out.print(f"  {WITH_BELOW_WITHOUT}", markup=False)
    waiting = int((plan.documents["status"] == DIUNGGAH).sum())
    new = len(plan.documents) - waiting
    if v.reachable:
        head = f"  Rencana: kawal verifikasi {waiting} dokumen yang sudah diunggah"
        head += (
            f"; selesaikan {new} dokumen ({text.number(v.effort, 0)} hari-orang)"
            if new
            else "; tidak perlu dokumen baru selain laju sekarang"
        )
        out.print(head + f" (nilai bila semua diterima {text.percent(v.score_after)})", markup=False)
    else:
        out.print(
            f"  Tidak tercapai dengan batasan saat ini: paling tinggi {text.percent(v.score_after)} bila semua "
            f"diterima, kurang {text.number(v.shortfall)} poin",
            markup=False,
        )
    if v.confidence > 0:
        sized = f"  Disusun dengan keyakinan {text.percent(100 * v.confidence, 0)} (setelan)"
        if not v.confidence_met and v.reachable:
            sized += ": tidak terpenuhi dalam kapasitas OPD; ini rencana dengan peluang tertinggi yang ditemukan"
        out.print(sized, markup=False)
    for limit in v.limits if not v.confidence_met else ():
        out.print(f"    - {limit}", markup=False)
    if v.minimal is not None:
        out.print(
            f"  Rencana minimal (bila semua diterima dan tidak ada dokumen lain yang naik): {v.minimal.documents} "
            f"dokumen, {text.number(v.minimal.effort, 0)} hari-orang",
            markup=False,
        )
    for rec in plan.obstacles.itertuples():
        code = "" if rec.doc_code is None or pd.isna(rec.doc_code) else f" {rec.doc_code}"
        out.print(
            f"  Hambatan ({rec.kind}): {rec.opd}{code} {text.number(rec.points, 2)} poin: {rec.detail}",
            markup=False,
        )


def print_plan(pemda: Pemda, period: str, plans: TargetPlans, out: Console) -> None:
    """The ``mcp plan`` report: the verdict of every target (minimal plan, reserve, chance, final
    band, obstacles), whether one plan is the first step of the next, and the action list per OPD
    for the last target."""
    out.print(
        f"[bold]{markup(pemda.name)}[/bold] — periode {period}, nilai terverifikasi "
        f"{text.percent(plans.plans[0].verdict.current)}"
    )
    for note in plans.plans[-1].notes:
        out.print(f"  {note}", markup=False, highlight=False)
    last = pemda.last_final
    for i, plan in enumerate(plans.plans):
        labels = []
        if last is not None and abs(plan.verdict.target - last[1]) < 1e-9:
            labels.append(f"nilai akhir {last[0]}")
        if abs(plan.verdict.target - pemda.target) < 1e-9:
            labels.append("target pemda")
        print_verdict(plan, out, f" ({', '.join(labels)})" if labels else "")
        if i < len(plans.nested) and plans.plans[i + 1].verdict.reachable:
            if plans.nested[i]:
                out.print("  Rencana ini adalah langkah pertama menuju target berikutnya, tanpa usaha tambahan.")
            elif not math.isfinite(plans.nesting_cost[i]):
                out.print(
                    "  Menjadikan rencana ini langkah pertama menuju target berikutnya menurunkan peluangnya; "
                    "rencana dibuat terpisah."
                )
            else:
                out.print(
                    f"  Bertahap ke target berikutnya menambah {text.number(plans.nesting_cost[i], 0)} hari-orang; "
                    "rencana dibuat terpisah."
                )
    plan = plans.plans[-1]
    out.print()
    out.print(f"[bold]Daftar tindakan per OPD untuk target {text.percent(plan.verdict.target)}[/bold]")
    for opd in plan.by_opd["opd"]:
        group = plan.documents[plan.documents["opd"] == opd]
        out.print(
            f"\n[bold]{markup(opd)}[/bold] — {len(group)} dokumen, "
            f"{text.number(group['effort'].sum(), 0)} hari-orang, +{text.number(group['gain'].sum(), 2)} poin"
        )
        table = _table("", ["Dokumen", "Tindakan", "Selesai", "Poin", "Hari", "Cadangan"])
        for rec in group.itertuples():
            table.add_row(
                f"{rec.doc_code} {rec.doc_name}",
                rec.action,
                text.date(rec.finish, "MMM y"),
                text.number(rec.gain, 2),
                text.number(rec.effort, 0),
                "cadangan" if rec.reserve else "",
            )
        out.print(table)


def print_forecast(
    f: Forecast,
    score: float,
    date: dt.date,
    kind: str,
    year: int,
    claim: float | None,
    note: str,
    out: Console,
) -> None:
    """The ``mcp forecast`` report: the total it starts from, the forecast in words and what it
    assumes about the documents still open."""
    out.print(
        f"Nilai {text.percent(score)} pada {text.date(date)} ({kind}, kerangka {year})"
        + (f", klaim {text.percent(claim)}" if claim is not None else ", klaim tidak diketahui"),
        highlight=False,
    )
    for line in forecast_lines(f):
        out.print(line, highlight=False, markup=False)
    if note:
        out.print(f"  catatan: {note}", markup=False)
    out.print(
        f"  dokumen: {f.open_documents} belum diunggah (perkiraan), {text.number(f.expected_uploads, 0)} di antaranya "
        "diperkirakan naik sebelum batas unggah; dokumen yang tidak diketahui dianggap seperti rata-rata dokumen",
        markup=False,
    )
