"""The sections of the monthly brief on the way to the target: plans, schedule, actions, scenarios.

Like :mod:`mcp_lib.brief.sections`, each function takes a :class:`~mcp_lib.brief.data.BriefData` (with its
simulation) and returns escaped HTML.
"""

from __future__ import annotations

import math

import pandas as pd

from mcp_lib import text
from mcp_lib.brief import charts, sections
from mcp_lib.brief.blocks import Html, esc, html_table, range_text
from mcp_lib.brief.data import BriefData
from mcp_lib.forecast import WITH_PLAN, WITHOUT_PLAN
from mcp_lib.plan.planner import WITH_BELOW_WITHOUT
from mcp_lib.statuses import DIUNGGAH, PERLU_PERBAIKAN

RESERVE_LISTED = 8
"""Reserve documents named one by one in the plan's paragraph; more are counted per OPD."""


def targets_table(b: BriefData) -> Html:
    """One row per target: the two chances (without and with the plan) and their bands, the plan
    (documents, person-days) and the minimal plan (if every document is accepted and nothing else
    goes up); what the plan adds or drops; and whether the lower plan is a first step of the
    higher one."""
    rows = []
    for p in b.simulated.plans:
        v = p.verdict
        m = v.minimal
        waiting = int((p.documents["status"] == DIUNGGAH).sum())
        rows.append(
            {
                "t": text.percent(v.target, 0),
                "ok": "ya" if v.reachable else "tidak",
                "without": f"{text.chance(v.without_plan.chance, v.reachable)} "
                f"({range_text(v.without_plan.p10, v.without_plan.p90)})",
                "with": f"{text.chance(v.with_plan.chance, v.reachable)} "
                f"({range_text(v.with_plan.p10, v.with_plan.p90)})",
                "plan": f"{v.documents - waiting} dok. baru, {text.number(v.effort, 0)} hari-orang; "
                f"kawal {waiting} unggahan",
                "min": "–" if m is None else f"{m.documents} dok., {text.number(m.effort, 0)} hari-orang",
            }
        )
    table = html_table(
        pd.DataFrame(rows),
        {
            "t": "Target",
            "ok": "Dapat dicapai?",
            "without": f"Peluang {WITHOUT_PLAN} (nilai akhir, 8 dari 10 kemungkinan)",
            "with": f"Peluang {WITH_PLAN} (nilai akhir, 8 dari 10 kemungkinan)",
            "plan": "Rencana",
            "min": "Rencana minimal (semua diterima)",
        },
        {"without", "with"},
        caption=f"Rencana = usaha paling kecil yang peluangnya {WITH_PLAN} paling sedikit sebesar keyakinan "
        f"{text.percent(100 * b.confidence, 0)} (setelan); rencana minimal = usaha paling kecil bila semua dokumen "
        "diterima dan tidak ada dokumen lain yang naik (eksak)",
    )
    notes = []
    for p in b.simulated.plans:
        v = p.verdict
        if v.with_below_without:
            notes.append(f"Target {text.percent(v.target, 0)}: {WITH_BELOW_WITHOUT}")
        if not v.reachable or v.minimal is None:
            continue
        if not v.confidence_met:
            notes.append(
                f"Target {text.percent(v.target, 0)}: keyakinan {text.percent(100 * b.confidence, 0)} tidak "
                f"tercapai dalam kapasitas; rencana ini yang peluangnya tertinggi. Yang membatasi: "
                + "; ".join(v.limits)
                + "."
            )
        spare = p.reserve
        if len(spare):
            line = (
                f"Target {text.percent(v.target, 0)}: {len(spare)} dokumen di luar rencana minimal ditambahkan "
                "(cadangan) agar peluangnya setinggi itu walau sebagian dokumen ditolak atau hanya diterima sebagian"
            )
            if len(spare) <= RESERVE_LISTED:
                line += ": " + ", ".join(f"{c} ({o})" for c, o in zip(spare["doc_code"], spare["opd"], strict=True))
            else:
                counts = spare["opd"].value_counts()
                line += "; per OPD (ditandai di daftar tindakan): " + ", ".join(f"{o} {n}" for o, n in counts.items())
            if p.dropped:
                line += f"; {len(p.dropped)} dokumen rencana minimal diganti dengan dokumen yang lebih pasti"
            notes.append(line + ".")
    for i, nested in enumerate(b.simulated.nested):
        low, high = b.simulated.plans[i].verdict.target, b.simulated.plans[i + 1].verdict.target
        if not b.simulated.plans[i + 1].verdict.reachable:
            notes.append(
                f"Target {text.percent(high, 0)} tidak dapat dicapai dengan batasan saat ini (lihat hambatan)."
            )
        elif nested:
            notes.append(
                f"Rencana {text.percent(low, 0)} adalah langkah pertama menuju {text.percent(high, 0)} tanpa usaha "
                "tambahan."
            )
        elif not math.isfinite(b.simulated.nesting_cost[i]):
            notes.append(
                f"Menjadikan rencana {text.percent(low, 0)} langkah pertama menuju {text.percent(high, 0)} menurunkan "
                "peluangnya; kedua rencana disusun terpisah."
            )
        else:
            notes.append(
                f"Menjadikan rencana {text.percent(low, 0)} langkah pertama menuju {text.percent(high, 0)} menambah "
                f"{text.number(b.simulated.nesting_cost[i], 0)} hari-orang; kedua rencana disusun terpisah."
            )
    notes.append(sections.chance_assumptions(b))
    return Html(table + "".join(f"<p>{esc(n)}</p>" for n in notes))


def path_charts(b: BriefData, cumulative: bool = True) -> Html:
    """The month-by-month path with the plan and (``cumulative``; the brief's lampiran leaves it
    out, its action list says the same) the cumulative score along the plan, first step marked."""
    first = b.first_step.documents if b.first_step is not None else None
    cum = (
        charts.figure(
            charts.cumulative_chart(
                b.plan.documents,
                b.scores.verified,
                b.target,
                first,
                total=float(b.scores.documents.loc[b.scores.documents["applicable"], "earned"].sum()),
                penalty=b.scores.penalty,
            ),
            "Nilai kumulatif bila dokumen rencana selesai dan diterima"
            + (" (◆ = langkah pertama)" if first is not None and len(first) else ""),
        )
        if cumulative
        else ""  # not drawn at all: each chart is a vl-convert render
    )
    path = charts.figure(
        charts.path_chart(b.plan.schedule, b.target, b.pemda.last_final),
        f"Nilai per akhir bulan menurut jadwal rencana: garis hijau bila semua dokumen rencana diterima, pita biru "
        f"{WITH_PLAN}, 8 dari 10 kemungkinan (risiko verifikasi, sisa laju OPD, galat proyeksi yang terukur)",
    )
    return Html(cum + path)


def action_list(b: BriefData) -> Html:
    """The plan as an action list per OPD (largest contribution first), with finish months."""
    parts = []
    docs = b.plan.documents
    first = set(b.first_step.documents["doc_code"]) if b.first_step is not None else set()
    listed = "di bagian Menunggu verifikasi" if sections.waiting_listed(b) else "di rencana-aksi.xlsx, lembar OPD ini"
    notes = _returned_notes(b)
    uploads = docs[docs["status"] == DIUNGGAH].groupby("opd")["gain"]
    waiting = dict(zip(uploads.size().index, zip(uploads.size(), uploads.sum(), strict=True), strict=True))
    work = docs[docs["status"] != DIUNGGAH]
    months = {d: text.date(d, "MMMM y") for d in work["finish"].drop_duplicates()}
    work = work.assign(  # formatted once, split by OPD below (each OPD's rows in the plan's order)
        dok=work["doc_code"] + " " + work["doc_name"],
        sel=[months[d] for d in work["finish"]],
        poin=[text.number(x, 2) for x in work["gain"]],
        hari=[text.number(x, 0) for x in work["effort"]],
        tahap=[("1" if c in first else "2") if first else "" for c in work["doc_code"]],
        cad=["cadangan" if r else "" for r in work["reserve"]],
        note=[notes.get(c, "") for c in work["doc_code"]],
    )
    per_opd = dict(tuple(work.groupby("opd", sort=False)))
    for rec in b.plan.by_opd.itertuples():
        g = per_opd.get(rec.opd, work.iloc[:0])
        count, gain = waiting.get(rec.opd, (0, 0.0))
        follow = (
            f"<p>Kawal verifikasi: {count} dokumen sudah diunggah (+{esc(text.number(gain, 2))} "
            f"poin bila diterima penuh; daftarnya {listed}).</p>"
            if count
            else ""
        )
        cols = {
            "dok": "Dokumen",
            "action": "Tindakan",
            "sel": "Selesai",
            "poin": "Poin",
            "hari": "Hari-orang",
        }
        if docs["reserve"].any():  # the same columns in every OPD's table
            cols["cad"] = "Cadangan"
        if first:
            cols["tahap"] = "Tahap"
        if notes:
            cols["note"] = "Catatan verifikator"
        cap = "" if pd.isna(rec.capacity) else f", kapasitas {text.number(rec.capacity, 0)} hari-orang sampai tenggat"
        spare = f", {rec.reserve} cadangan" if rec.reserve else ""
        parts.append(
            f"<h3>{esc(rec.opd)}</h3><p>{rec.documents} dokumen{esc(spare)}, {esc(text.number(rec.effort, 0))} "
            f"hari-orang{esc(cap)}, "
            f"+{esc(text.number(rec.points, 2))} poin</p>"
            + (html_table(g, cols, {"poin", "hari"}, short={"action", "sel", "cad", "tahap"}) if len(g) else "")
            + follow
        )
    legend = (
        "<p>Tahap 1 = cukup untuk mempertahankan nilai tahun lalu; tahap 2 = tambahan untuk mencapai target.</p>"
        if first
        else ""
    )
    if b.plan.documents["reserve"].any():
        legend += (
            f"<p>Cadangan = dokumen di luar rencana minimal target {text.percent(b.target, 0)}, ditambahkan agar "
            f"keyakinan {text.percent(100 * b.confidence, 0)} tetap terpenuhi (atau peluangnya setinggi mungkin) walau "
            "sebagian dokumen ditolak atau hanya diterima sebagian.</p>"
        )
    return Html(legend + "".join(parts))


def _returned_notes(b: BriefData) -> dict[str, str]:
    """The verifier's note of each returned document of the plan that has one (the action list is
    where such a document is listed: the followup section names only the others)."""
    plan = b.plan.documents
    returned = set(plan.loc[plan["status"] == PERLU_PERBAIKAN, "doc_code"])
    docs = b.scores.documents
    docs = docs[docs["doc_code"].isin(returned) & docs["note"].notna()].drop_duplicates("doc_code")
    return {c: str(n) for c, n in zip(docs["doc_code"], docs["note"], strict=True) if str(n).strip()}


def blocked_table(b: BriefData) -> Html:
    """Documents held up by outside bodies, with what the plan loses without them."""
    bl = b.plan.blocked.copy()
    if bl.empty:
        return Html("<p>Tidak ada dokumen yang diblokir pihak luar.</p>")
    bl["poin"] = bl["gain"].map(lambda x: text.number(x, 2))
    bl["dok"] = bl["doc_code"] + " " + bl["doc_name"]
    total = text.number(bl["gain"].sum(), 2)
    return Html(
        f"<p>{len(bl)} dokumen ({esc(total)} poin) menunggu pihak luar dan tidak dihitung dalam rencana.</p>"
        + html_table(bl, {"dok": "Dokumen", "opd": "OPD", "blocker": "Hambatan", "poin": "Poin"}, {"poin"})
    )


def obstacles_table(b: BriefData) -> Html:
    """What stands in the way of the target (only when it is out of reach)."""
    ob = b.plan.obstacles
    if b.plan.verdict.reachable or ob.empty:
        return Html("")
    ob = ob.assign(poin=ob["points"].map(lambda x: text.number(x, 2)), doc=ob["doc_code"].fillna("–"))
    return Html(
        "<h3>Hambatan</h3>"
        + html_table(
            ob,
            {"kind": "Jenis", "opd": "OPD", "doc": "Dokumen", "poin": "Poin", "detail": "Keterangan"},
            {"poin"},
        )
    )


def scenarios_table(b: BriefData) -> Html:
    """The plan under the standard scenarios, side by side (computed for 02_simulasi only)."""
    if b.scenarios is None:
        return Html("<p>Skenario tidak dihitung di sini (hanya 02_simulasi yang menghitungnya).</p>")
    sc = b.scenarios.copy()
    sc["ok"] = sc["reachable"].map({True: "ya", False: "tidak"})
    sc["e"] = sc["effort"].map(lambda x: text.number(x, 0))
    sc["after"] = sc["score_after"].map(text.percent)
    sc["p"] = sc["p_target"].map(text.chance)
    return Html(
        html_table(
            sc,
            {
                "scenario": "Skenario",
                "ok": "Dapat dicapai?",
                "documents": "Dokumen",
                "e": "Hari-orang",
                "after": "Nilai bila semua diterima",
                "p": f"Peluang {WITH_PLAN}",
            },
            {"documents", "e", "after", "p"},
        )
    )
