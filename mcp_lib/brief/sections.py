"""The sections of the monthly brief on achievement, trend and method, as escaped HTML.

Each function takes the :class:`~mcp_lib.brief.data.BriefData` of one pemda and period and
returns HTML that Jupyter displays and nbconvert copies into the brief; the plan's sections are in
:mod:`mcp_lib.brief.plan_sections`. Every data-derived string passes through ``esc``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from mcp_lib import __version__, text
from mcp_lib.backtest import measured_error, measured_errors
from mcp_lib.brief import charts, meeting
from mcp_lib.brief.blocks import (
    Html,
    area_shorts,
    band_class,
    band_style,
    bands_words,
    card,
    esc,
    grouped_table,
    html_table,
    opd_table,
    range_text,
    score_note,
    weight_text,
)
from mcp_lib.brief.data import BriefData, framework_change_text
from mcp_lib.candidates import ACTIONS
from mcp_lib.forecast import WITH_PLAN, WITHOUT_PLAN
from mcp_lib.framework.calendar import months_between
from mcp_lib.risk.params import changed_parameters
from mcp_lib.statuses import DIUNGGAH, PERLU_PERBAIKAN, STATUS_LABELS


def chance_assumptions(b: BriefData) -> str:
    """What the two chances of the brief mean and assume, in one paragraph."""
    cal = b.plan.calendar
    close = text.date(cal.close) if cal is not None else "batas unggah"
    f = b.outlook
    return (
        f"Dua peluang untuk satu kejadian (nilai final mencapai target), dari satu model dengan undian yang sama: "
        f"{WITHOUT_PLAN} (setiap OPD terus mengunggah dengan lajunya sendiri, paling banyak sebanyak kapasitas "
        f"yang dicatat) dan {WITH_PLAN} (dokumen rencana naik sesuai jadwalnya; sisa laju OPD untuk dokumen "
        "lain). Keduanya memakai model risiko verifikasi (nilai sebagian, unggah ulang sampai batas unggah "
        f"{close}, efek pemda bersama yang diperbarui dengan catatan verifikasi pemda ini) dan galat proyeksi yang "
        f"terukur pada tahun nyata: {measured_error(months_between(f.as_of, f.calendar.close)).words()}. Rencana "
        f"disusun dengan keyakinan {text.percent(100 * b.confidence, 0)} (setelan, bukan perkiraan)."
    )


def title(b: BriefData) -> Html:
    """Title block: pemda, period, snapshot date, sample-data notice when the pemda has one."""
    month = text.month(b.snapshot.date)
    notice = f'<p class="notice">{esc(b.pemda.note)}</p>' if b.pemda.note else ""
    fw_note = ""
    if "rekonstruksi" in b.framework.label.lower():
        fw_note = f'<p class="notice">Kerangka: {esc(b.framework.label)}.</p>'
    if b.is_scenario:
        notice = (
            f'<p class="notice scenario">SKENARIO, bukan keadaan berkas: {len(b.assumed_done)} dokumen dianggap '
            f"selesai diverifikasi dan {len(b.assumed_rejected)} dianggap ditolak "
            f"(berkas asumsi {esc(Path(b.assumptions_file).name)}).<br>"
            f"Selesai: {esc(', '.join(b.assumed_done) or '–')}. Ditolak: "
            f"{esc(', '.join(b.assumed_rejected) or '–')}.</p>" + notice
        )
    return Html(
        f'<header class="brief-title"><p class="kicker">Brief rapat monitoring dan evaluasi MCP KPK</p>'
        f"<h1>{esc(b.pemda.name)}: {esc(month)}</h1>"
        f"<p>Data per {esc(text.date(b.snapshot.date))} · Kerangka MCP {b.framework.year} · "
        f"{esc(b.pemda.province)}</p>{notice}{fw_note}</header>"
    )


def _versus_now(diff: float) -> str:
    """Where the score now stands against an earlier one, in words (no ambiguous sign)."""
    if round(diff, 1) == 0:
        return "sama dengan nilai sekarang"
    where = "di atasnya" if diff > 0 else "di bawahnya"
    return f"nilai sekarang {text.number(abs(diff))} poin {where}"


def headline(b: BriefData) -> Html:
    """Headline numbers: verified score and band, target, last year's final, gap, claim; with the
    simulation, the two chances (without and with the plan) and the verdict."""
    s = b.scores
    gap = max(b.target - s.verified, 0.0)
    cards = [
        card(
            "Nilai terverifikasi",
            text.percent(s.verified),
            score_note(s, b.framework.bands),
            band_class(s.band.name),
            band_style(s.band),
        ),
        card("Target", text.percent(b.target, 0), f"selisih {text.number(gap)} poin"),
    ]
    if b.pemda.last_final is not None:
        year, score = b.pemda.last_final
        cards.append(
            card(
                f"Nilai akhir {year}",
                text.percent(score),
                _versus_now(s.verified - score),
            )
        )
    cards.append(card("Nilai klaim", text.percent(s.claim), "jika semua unggahan diterima"))
    change = b.framework_change
    fw_note = ""
    if change is not None and change.available and change.areas_differ:
        fw_note = f'<p class="notice framework-change">{esc(framework_change_text(change))}</p>'
    if b.plans is None or b.forecast is None:  # the achievement alone (01_capaian)
        return Html(f'<section class="headline"><div class="cards">{"".join(cards)}</div>{fw_note}</section>')
    v = b.plan.verdict
    for name, o in ((WITHOUT_PLAN, v.without_plan), (WITH_PLAN, v.with_plan)):
        cards.append(
            card(f"Peluang {name}", text.chance(o.chance, v.reachable), f"nilai akhir {range_text(o.p10, o.p90)}")
        )
    lines = [line for line in meeting.verdict(b).lines if line]
    return Html(
        f'<section class="headline"><div class="cards">{"".join(cards)}</div>{fw_note}'
        + "".join(f'<p class="verdict">{esc(line)}</p>' for line in lines)
        + "".join(f'<p class="notice">{esc(n)}</p>' for n in b.plan.notes)
        + f'<p class="assumption">{esc(chance_assumptions(b))}</p></section>'
    )


def trend_section(b: BriefData, chart: bool = True) -> Html:
    """The pace, the projection in words, the trend chart (``chart``: the brief's lampiran leaves it
    out, its first page has it with both scenarios) and the table of snapshots."""
    h = b.history.copy()
    h["tanggal"] = h["date"].map(text.date)
    h["ver"] = h["verified"].map(text.percent)
    h["kla"] = h["claim"].map(text.percent)
    h["laju"] = h["gain_per_month"].map(lambda x: text.signed(x) if pd.notna(x) else "–")
    t = b.trend
    pace = "–" if t.velocity is None else text.signed(t.velocity)
    need = "–" if t.required_velocity is None else text.number(t.required_velocity)
    f = b.forecast
    if t.required_velocity is None:
        lead = f"Laju rata-rata {pace} poin per bulan; tenggat {text.date(t.deadline)} sudah lewat."
    else:
        lead = (
            f"Laju rata-rata {pace} poin per bulan; untuk mencapai {text.percent(b.target, 0)} pada "
            f"{text.date(t.deadline)} dibutuhkan {need} poin per bulan."
        )
    if f is None:  # the achievement alone (01_capaian): no projection yet
        chart = charts.figure(
            charts.trend_chart(b.history, b.target, b.pemda.last_final, bands=b.framework.bands),
            "Nilai terverifikasi dan klaim per snapshot",
        )
        return Html(f"<p>{esc(lead)}</p>{chart}{_snapshot_table(h)}")
    v = b.plan.verdict
    outlook = (
        f"Proyeksi nilai final ({text.date(f.calendar.final)}) untuk target {text.percent(b.target, 0)}: "
        f"{WITHOUT_PLAN}, {v.without_plan.words(v.reachable)}; {WITH_PLAN}, {v.with_plan.words(v.reachable)}. "
        "Anggapan: " + "; ".join(f.assumptions) + "."
    )
    if f.basis == "laju":
        outlook += (
            f" Dari {f.open_documents} dokumen yang belum diunggah atau perlu diunggah ulang, diperkirakan "
            f"{text.number(f.expected_uploads, 0)} naik sebelum batas unggah bila laju sekarang berlanjut "
            f"(semua OPD {text.number(f.pace or 0, 1)} dokumen per bulan)."
        )
    notes = "".join(f"<li>{esc(n)}</li>" for n in f.pace_notes())
    notes = f'<ul class="pace-notes">{notes}</ul>' if notes else ""
    error = _capital(measured_error(months_between(f.as_of, f.calendar.close)).words())
    figure = (
        charts.figure(
            charts.trend_chart(
                b.history,
                b.target,
                b.pemda.last_final,
                forecast=f.path,
                close=f.calendar.close,
                bands=b.framework.bands,
            ),
            f"Nilai terverifikasi dan klaim per snapshot; pita biru: proyeksi {WITHOUT_PLAN} sampai nilai final, 8 "
            "dari 10 kemungkinan",
        )
        if chart
        else ""
    )
    return Html(f"<p>{esc(lead)}</p><p>{esc(outlook)}</p>{notes}<p>{esc(error)}.</p>{figure}{_snapshot_table(h)}")


def _snapshot_table(h: pd.DataFrame) -> str:
    columns = {
        "tanggal": "Tanggal",
        "ver": "Terverifikasi",
        "kla": "Klaim",
        "band": "Predikat",
        "laju": "Poin/bulan",
    }
    return html_table(h, columns, {"ver", "kla", "laju"})


def areas_section(b: BriefData, chart: bool = True) -> Html:
    """Score per area against the target: chart (``chart``: the brief's lampiran leaves it out, its
    first page draws the same one) and table."""
    a = b.scores.by_area.copy()
    a["w"] = a["area_weight"].map(weight_text)
    a["ver"] = a["verified"].map(text.percent)
    a["kla"] = a["claim"].map(text.percent)
    a["prog"] = a["progress"].map(lambda x: text.percent(x, 0))
    a["gap"] = (b.target - a["verified"]).clip(lower=0).map(text.number)
    shorts = area_shorts(b.framework)
    figure = (
        charts.figure(
            charts.area_chart(b.scores.by_area, b.target, bands=b.framework.bands, shorts=shorts),
            "Nilai terverifikasi per area (batang), klaim (garis kuning), target (garis putus)",
        )
        if chart
        else ""
    )
    columns = {"area_name": "Area"}
    if shorts:  # the name the dashboard writes, next to the full one
        a["short"] = a["area_code"].map(shorts).fillna("")
        columns["short"] = "Singkatan"
    columns |= {
        "w": "Bobot",
        "ver": "Terverifikasi",
        "kla": "Klaim",
        "prog": "Bukti lengkap",
        "gap": "Selisih ke target",
    }
    return Html(figure + html_table(a, columns, {"w", "ver", "kla", "prog", "gap"}, short={"short"}))


COLLAPSE_ROWS = 40
"""A detail table longer than this (the 2025 framework's 111 indicators) is shown on screen as one
table with a folded group per area (a checkbox in each group's heading, no script:
:func:`~mcp_lib.brief.blocks.grouped_table`); print shows it in full. A browser's find-in-page does
not open a folded group."""


def detail_table(b: BriefData) -> Html:
    """The level the framework marks for detail (indikator for 2023–2025), per area: code, name,
    verified, claim and points still open. Long tables fold by area on screen."""
    fw = b.framework
    level = fw.detail
    d = b.scores.levels[level.key].copy()
    if level.key != "area":
        d = d.merge(fw.areas[["area_code", "area_name"]], on="area_code")
    d["ver"] = d["verified"].map(text.percent)
    d["kla"] = d["claim"].map(text.percent)
    d["open"] = d["points_open"].map(lambda x: text.number(x, 2))
    columns = {"area_name": "Area"} if level.key != "area" else {}
    columns |= {level.code: "Kode", level.title: level.name}
    if fw.methods and level.key == fw.levels[-1].key:  # each item's own rule, where the framework sets it
        d["how"] = d[level.code].map(lambda code: fw.methods[code].short if code in fw.methods else "bobot dokumen")
        columns["how"] = "Cara dinilai"
    columns |= {
        "ver": "Terverifikasi",
        "kla": "Klaim",
        "open": "Poin terbuka",
    }
    numeric = {"ver", "kla", "open"}
    heading = f"<h3>Rincian {esc(level.name.lower())}</h3>" + _unmovable_note(b) + _lateness_note(b)
    if len(d) <= COLLAPSE_ROWS or level.key == "area":
        return Html(heading + html_table(d, columns, numeric))
    hint = (
        f'<p class="screen-only">{len(d)} {esc(level.name.lower())} dalam {d["area_code"].nunique()} area; ketuk '
        "nama area untuk membuka rinciannya. Versi cetak memuat semuanya.</p>"
    )
    del columns["area_name"]  # each area's name heads its rows
    return Html(
        heading
        + hint
        + grouped_table(
            d,
            "area_code",
            columns,
            numeric,
            lambda _, g: (
                f"{g['area_name'].iloc[0]}: {len(g)} {level.name.lower()}, "
                f"{text.number(g['points_open'].sum(), 2)} poin terbuka"
            ),
        )
    )


def _methods_text(b: BriefData) -> str:
    """The methods section's sentence on items scored by a rule of their own (kolom ``method``)."""
    fw = b.framework
    level = fw.levels[-1].name.lower()
    rules = sorted({m.short for m in fw.methods.values()})
    return (
        f"{len(fw.methods)} {level} dinilai dengan aturannya sendiri (kolom method kerangka: {', '.join(rules)}); "
        f"dokumen dihitung bila diverifikasi, nilai {level} dibagi ke dokumennya menurut bagiannya. Rencana "
        "menghitung tingkat, periode atau tahapan hanya bila semua dokumennya masuk (program bilangan bulat), dan "
        "simulasi menghitung per undian apakah semuanya diterima penuh; realisasi dan sistem lain tidak naik dengan "
        "unggahan dan dianggap tetap sampai nilai final."
    )


def _lateness_note(b: BriefData) -> str:
    """A paragraph on the framework's deadlines (empty without them): what lateness has cost, and
    the items past their deadline that can now bring only their late share."""
    items = meeting.deadline_items(b)
    if not len(items):
        return ""
    cost = items[items["cost"] > 0.005]
    passed = items[(items["days"] < 0) & (items["documents"] > 0)]
    parts = []
    if len(cost):
        listing = "; ".join(
            f"{esc(r.code)} (tenggat {text.date(r.deadline)}, {text.number(r.cost, 2)} poin)" for r in cost.itertuples()
        )
        parts.append(f"Keterlambatan sudah mengurangi {text.number(cost['cost'].sum(), 2)} poin: {listing}.")
    if len(passed):
        listing = "; ".join(
            f"{esc(r.code)} (tenggat {text.date(r.deadline)}, {r.documents} dokumen, paling banyak "
            f"{text.number(r.open, 2)} poin)"
            for r in passed.itertuples()
        )
        parts.append(f"Lewat tenggat kerangka, kini hanya bernilai sebagian bila diselesaikan: {listing}.")
    upcoming = items[items["days"] >= 0]
    if len(upcoming):
        parts.append(
            "Tenggat kerangka berikutnya: "
            + "; ".join(f"{esc(r.code)} {text.date(r.deadline)}" for r in upcoming.head(5).itertuples())
            + ". Rencana dan proyeksi menghitung dokumen itu bernilai penuh (selesai sebelum tenggatnya); "
            "bila rencana baru selesai sesudahnya (lihat keputusan), nilainya hanya sebagian."
        )
    return "<p>" + " ".join(parts) + "</p>"


def _unmovable_note(b: BriefData) -> str:
    """A paragraph on the items uploads do not move (empty without them): the plan and its
    highest reachable score leave their open points out."""
    away = meeting.unmovable(b)
    if not len(away):
        return ""
    items = "; ".join(
        f"{esc(r.code)} ({esc(r.how)}, {text.percent(r.verified)}, {text.number(r.points_open, 2)} poin terbuka)"
        for r in away.itertuples()
    )
    return (
        f"<p>Tidak naik dengan mengunggah dokumen, sehingga di luar rencana dan di luar nilai tertinggi yang dapat "
        f"dicapai rencana: {items}.</p>"
    )


def opd_section(b: BriefData) -> Html:
    """OPD ranking by points of the total still open: chart and table."""
    chart = charts.figure(charts.opd_chart(b.scores.by_opd), "Poin nilai total yang masih terbuka per OPD")
    table = opd_table(b.scores.by_opd)
    return Html(chart + table)


WAITING_LISTED = 10
"""Documents awaiting verification named one by one when the list is longer than
:data:`COLLAPSE_ROWS` (those with the most points); every one is in the action workbook."""


def waiting_listed(b: BriefData) -> bool:
    """Whether the brief lists every document awaiting verification (else it counts them per OPD,
    names the :data:`WAITING_LISTED` with the most points and sends the reader to the workbook):
    always without a plan (``01_capaian``), which has no workbook."""
    d = b.scores.documents
    return b.plans is None or int((d["applicable"] & (d["status"] == DIUNGGAH)).sum()) <= COLLAPSE_ROWS


def followup_tables(b: BriefData) -> Html:
    """Documents returned by the verifier and documents awaiting verification, each document in
    one place. A returned document in the plan is in the action list (with the verifier's note):
    here only the others, in full (folded by OPD beyond :data:`COLLAPSE_ROWS`). Awaiting
    verification: in full up to :data:`COLLAPSE_ROWS` (or without a plan); a longer list is
    counted per OPD (most points first) with the :data:`WAITING_LISTED` documents with the most
    points, the whole list being in the action workbook (the plan keeps every upload that can
    move the score; one it does not hold is listed here)."""
    d = b.scores.documents
    d = d[d["applicable"]]
    return Html(_returned(b, d[d["status"] == PERLU_PERBAIKAN]) + _waiting(b, d[d["status"] == DIUNGGAH]))


def _doc_rows(rows: pd.DataFrame) -> pd.DataFrame:
    return rows.assign(
        dok=rows["doc_code"] + " " + rows["doc_name"],
        poin=[text.number(x, 2) for x in rows["open"]],
        note=rows["note"].fillna(""),
    )


def _returned(b: BriefData, rows: pd.DataFrame) -> str:
    out = f"<h3>Perlu perbaikan ({len(rows)} dokumen)</h3>"
    if not len(rows):
        return out + "<p>Tidak ada.</p>"
    plan = b.plan.documents if b.plans is not None else rows.iloc[:0]
    acted = rows["doc_code"].isin(set(plan.loc[plan["status"] != DIUNGGAH, "doc_code"]))
    rest = rows[~acted]
    if acted.any():
        where = "ada di daftar tindakan per OPD di atas, dengan catatan verifikatornya"
        out += f"<p>{'Semuanya' if not len(rest) else f'{int(acted.sum())} di antaranya'} {where}" + (
            f"; {len(rest)} lainnya di luar rencana:</p>" if len(rest) else ".</p>"
        )
    if not len(rest):
        return out
    rest = _doc_rows(rest.sort_values(["opd", "doc_code"]))
    columns = {"dok": "Dokumen", "opd": "OPD", "note": "Catatan verifikator", "poin": "Poin"}
    if len(rest) <= COLLAPSE_ROWS:
        return out + html_table(rest, columns, {"poin"})
    return out + _per_opd(rest, columns)


def _per_opd(rows: pd.DataFrame, columns: dict[str, str]) -> str:
    """A long list of documents folded by OPD on screen (OPDs with most points first, each OPD's
    documents by points), whole in print."""
    total = rows.groupby("opd")["open"].transform("sum")
    rows = rows.assign(_total=total).sort_values(
        ["_total", "opd", "open", "doc_code"], ascending=[False, True, False, True]
    )
    return (
        f'<p class="screen-only">{len(rows)} dokumen dari {rows["opd"].nunique()} OPD; ketuk nama OPD untuk '
        "membuka daftarnya. Versi cetak memuat semuanya.</p>"
    ) + grouped_table(
        rows,
        "opd",
        columns,
        {"poin"},
        lambda key, g: f"{key}: {len(g)} dokumen, {text.number(g['open'].sum(), 2)} poin",
    )


def _waiting(b: BriefData, rows: pd.DataFrame) -> str:
    out = f"<h3>Menunggu verifikasi ({len(rows)} dokumen)</h3>"
    if not len(rows):
        return out + "<p>Tidak ada.</p>"
    columns = {"dok": "Dokumen", "opd": "OPD", "poin": "Poin"}
    if waiting_listed(b):
        if len(rows) <= COLLAPSE_ROWS:
            return out + html_table(_doc_rows(rows.sort_values(["opd", "doc_code"])), columns, {"poin"})
        return out + _per_opd(_doc_rows(rows), columns)
    since = b.waiting.set_index("doc_code")["since"] if b.waiting is not None and len(b.waiting) else None
    rows = rows.assign(since=rows["doc_code"].map(since) if since is not None else None)
    old = meeting.long_waiting(b)["doc_code"]
    per = (
        rows.assign(old=rows["doc_code"].isin(set(old)))
        .groupby("opd", sort=False)
        .agg(n=("doc_code", "size"), points=("open", "sum"), old=("old", "sum"), first=("since", "min"))
        .reset_index()
        .sort_values(["points", "opd"], ascending=[False, True])
    )
    per["poin"] = [text.number(x, 2) for x in per["points"]]
    per["first"] = [text.date(x) if isinstance(x, dt.date) else "–" for x in per["first"]]
    top = _doc_rows(rows.sort_values(["open", "doc_code"], ascending=[False, True]).head(WAITING_LISTED))
    top["sejak"] = [text.date(x) if isinstance(x, dt.date) else "–" for x in top["since"]]
    out += (
        f"<p>{len(rows)} dokumen dari {rows['opd'].nunique()} OPD, {text.number(rows['open'].sum(), 2)} poin bila "
        f"diterima penuh; {len(old)} di antaranya menunggu lebih dari {meeting.WAITING_DAYS} hari. Daftar lengkapnya "
        f"per OPD ada di rencana-aksi.xlsx (lembar tiap OPD, tindakan {esc(ACTIONS[DIUNGGAH])}); di bawah: jumlahnya "
        f"per OPD dan {len(top)} dokumen dengan poin terbesar.</p>"
    )
    out += html_table(
        per,
        {
            "opd": "OPD",
            "n": "Dokumen",
            "poin": "Poin",
            "old": f"Menunggu > {meeting.WAITING_DAYS} hari",
            "first": "Terlama sejak",
        },
        {"n", "poin", "old"},
        short={"first"},
    )
    out += html_table(
        top,
        {"dok": "Dokumen", "opd": "OPD", "poin": "Poin", "sejak": "Menunggu sejak"},
        {"poin"},
        caption=f"{len(top)} dokumen dengan poin terbesar",
        short={"sejak"},
    )
    outside = rows[~rows["doc_code"].isin(set(b.plan.documents["doc_code"]))]
    if len(outside):
        out += html_table(
            _doc_rows(outside.sort_values(["opd", "doc_code"])),
            columns,
            {"poin"},
            caption="Di luar rencana, sehingga tidak ada di rencana-aksi.xlsx",
        )
    return out


def method_section(b: BriefData) -> Html:
    """Method and data provenance: framework, snapshot, checksums, tool version, definitions."""
    cal = b.plan.calendar
    risk = b.pemda.risk
    changed = [f"{n} {text.number(v, 3)} (bawaan {text.number(d, 3)})" for n, d, v in changed_parameters(risk)]
    changed += [f"pengali area {k} {text.number(v, 2)}" for k, v in risk.area_multiplier]
    changed += [f"hambatan '{k}' teratasi {text.percent(100 * v, 0)}" for k, v in risk.blocker_clear]
    own = "; diubah di pemda.toml: " + ", ".join(changed) if changed else "; semua parameter bawaan"
    items = [
        f"Kerangka: {b.framework.label} (tahun {b.framework.year}); {b.framework.summary().split(': ', 1)[-1]}.",
        f"Predikat kerangka MCP {b.framework.year}: {bands_words(b.framework.bands)}.",
        f"Snapshot: {text.date(b.snapshot.date)} ({b.snapshot.path.name}); periode {b.period}; {len(b.history)} "
        "snapshot dalam tren.",
        *([framework_change_text(b.framework_change)] if b.framework_change is not None else []),
        "Tingkat kerangka: "
        + " → ".join(lv.name for lv in b.framework.levels)
        + " → dokumen bukti"
        + (
            "; bobot yang kosong di kerangka dibagi rata di antara item setingkat dalam induk yang sama (equal "
            "weights): " + ", ".join(lv.name.lower() for lv in b.framework.equal_weight_levels) + "."
            if b.framework.equal_weight_levels
            else "."
        ),
        "Nilai terverifikasi = poin yang diterima verifikator; nilai klaim = ditambah semua dokumen yang menunggu "
        "verifikasi seolah diterima penuh; "
        "setiap tingkat adalah rata-rata berbobot dari bagian yang berlaku (area yang tidak berlaku dikeluarkan dan "
        "bobot dinormalkan ulang).",
        *([_methods_text(b)] if b.framework.methods else []),
        *(
            [
                f"Penalti {b.framework.year}: {text.number(b.scores.penalty)} poin dikurangkan dari nilai total "
                f"setelah pembobotan ({b.scores.penalty_reason or 'alasan tidak dicatat'}); nilai per area, "
                "indikator dan OPD tidak dikurangi; rencana dan peluang menghitung target setelah penalti."
            ]
            if b.scores.penalty
            else []
        ),
        "Rencana: program bilangan bulat 0/1 (usaha minimal dalam hari-orang) dengan kapasitas OPD sampai tenggat; "
        "dokumen yang diblokir pihak luar tidak dipakai. Rencana yang disarankan = usaha paling kecil yang peluangnya "
        f"{WITH_PLAN} paling sedikit sebesar keyakinan {text.percent(100 * b.confidence, 0)} (setelan); bila "
        "keyakinan itu tidak tercapai dalam kapasitas, rencana dengan peluang tertinggi yang ditemukan.",
        "Risiko verifikasi: model berlapis yang dikalibrasi pada data MCP 2020–21 (506 kabupaten/kota): efek pemda "
        "bersama (diperbarui dengan dokumen yang sudah diputuskan verifikator), sub-indikator yang jatuh ke 0, "
        "kekurangan per dokumen menurut jumlah dokumen sub-indikatornya dan area, nilai sebagian, unggah ulang "
        f"sampai batas unggah, risiko kecil pada QA akhir, hambatan pihak luar{own}. Simulasi Monte Carlo 10.000 "
        "kali, benih tetap.",
        *(
            [
                f"Kalender: batas unggah {text.date(cal.close)}, nilai final {text.date(cal.final)} ({cal.source}); "
                f"rencana dijadwalkan sampai {text.date(b.plan.horizon)}."
            ]
            if cal is not None
            else []
        ),
        f"Proyeksi akhir tahun {WITHOUT_PLAN}: setiap OPD terus mengunggah dengan lajunya sendiri di snapshot "
        "tahun ini (bulan terakhir lebih cepat), paling banyak sebanyak kapasitasnya yang dicatat, lalu melalui "
        f"model risiko yang sama; {WITH_PLAN}: dokumen rencana naik sesuai jadwalnya, sisa laju OPD untuk dokumen "
        "lain. Lalu galat proyeksi yang terukur pada tahun nyata ditambahkan (pada skala logit bagian celah yang "
        "tertutup, menurut jarak ke batas unggah).",
        f"Galat yang terukur: {_measured(b)} Yang diukur adalah proyeksi dari nilai total saja (mcp forecast): "
        "nilai dokumen per dokumen pada tahun nyata tidak tersedia, sehingga proyeksi tingkat dokumen di brief ini "
        "belum dapat diuji sendiri; galat yang sama ditambahkan padanya, sehingga rentangnya tidak lebih sempit dari "
        "galat yang terukur. Rentang dibulatkan ke luar.",
        f"Dibuat dengan MCP Workbook versi {__version__}.",
    ]
    prov = b.provenance.assign(sha=b.provenance["sha256"].str[:16])
    return Html(
        "<ul>"
        + "".join(f"<li>{esc(i)}</li>" for i in items)
        + "</ul>"
        + html_table(
            prov,
            {"file": "Berkas masukan", "sha": "SHA-256 (16 karakter awal)"},
            caption="Checksum berkas masukan",
        )
    )


def _capital(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def _measured(b: BriefData) -> str:
    """The leave-one-out errors of every lead group, the snapshot's first."""
    f = b.outlook
    own = measured_error(months_between(f.as_of, f.calendar.close))
    rest = [e for e in measured_errors().values() if e.lead not in (own.lead, "all")]
    everything = measured_errors().get("all")
    out = _capital(own.words()) + "; " + "; ".join(e.words() for e in rest) + "."
    if everything is not None:
        out += (
            f" Semua {everything.pairs} pasangan nilai sementara–final (leave-one-out: setiap pasangan diproyeksikan "
            f"dengan parameter yang diperkirakan dari pasangan lain): {everything.inside} nilai final di dalam rentang "
            f"80%, meleset rata-rata {text.number(everything.mean_abs_error, 1)} poin."
        )
    return out


def status_legend() -> Html:
    """The statuses in words."""
    return Html(
        "<ul>" + "".join(f"<li><code>{esc(k)}</code>: {esc(v)}</li>" for k, v in STATUS_LABELS.items()) + "</ul>"
    )
