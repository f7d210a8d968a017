"""The sections of the monthly brief on achievement, trend and method, as escaped HTML.

Each function takes the :class:`~mcp_lib.brief_data.BriefData` of one pemda and period and
returns HTML that Jupyter displays and nbconvert copies into the brief; the plan's sections are in
:mod:`mcp_lib.brief_plan`. Every data-derived string passes through ``esc``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from mcp_lib import __version__, charts, text
from mcp_lib.brief_data import BriefData, framework_change_text
from mcp_lib.config import STATUS_LABELS
from mcp_lib.html_blocks import Html, band_class, card, esc, html_table, opd_table, range_text
from mcp_lib.planner import Verdict
from mcp_lib.risk_params import changed_parameters
from mcp_lib.scoring import Scores


def chance_assumptions(b: BriefData) -> str:
    """What every chance and forecast in the brief assumes, in one sentence."""
    cal = b.plan.calendar
    close = text.date(cal.close) if cal is not None else "batas unggah"
    return (
        "Peluang dan proyeksi dihitung dengan model risiko verifikasi: dokumen dapat diterima sebagian "
        f"(nilai sebagian), dokumen yang kurang dapat diunggah ulang sampai batas unggah {close}, dan semua "
        "dokumen satu pemda berbagi satu efek pemda yang diperbarui dengan catatan verifikasi pemda ini. "
        "Parameternya perkiraan dari data MCP 2020–21 dan dasbor 2025 (dapat diubah di pemda.toml, bagian [risiko])."
    )


def _chance_note(b: BriefData, v: Verdict) -> str:
    if not v.reachable:
        return "target di luar jangkauan dengan batasan saat ini"
    band = range_text(v.final_band[0], v.final_band[2])
    if v.confidence_met:
        what = (
            "rencana minimal"
            if v.reserve_documents == 0 and v.documents == (v.minimal.documents if v.minimal else 0)
            else "rencana dengan cadangan"
        )
        return f"{what}; rentang 80% nilai akhir: {band}"
    return f"tertinggi yang dapat dicapai dalam kapasitas; rentang 80% nilai akhir: {band}"


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


def _verified_note(s: Scores) -> str:
    """The band, and the year's penalty (already deducted) when there is one."""
    if not s.penalty:
        return f"predikat {s.band.name}"
    return f"predikat {s.band.name}; {text.penalty(s.penalty, s.penalty_reason)}"


def headline(b: BriefData) -> Html:
    """Headline numbers: verified score and band, target, last year's final, gap, claim,
    projection, and the chance the plan reaches the target."""
    s = b.scores
    gap = max(b.target - s.verified, 0.0)
    cards = [
        card("Nilai terverifikasi", text.percent(s.verified), _verified_note(s), band_class(s.band.name)),
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
    f, v = b.forecast, b.plan.verdict
    cards += [
        card(
            "Proyeksi akhir tahun",
            text.percent(f.median),
            f"80%: {range_text(f.p10, f.p90)}; "
            f"{'laju unggah saat ini' if f.basis == 'laju' else 'pola pemda pada umumnya'}, "
            "dengan risiko verifikasi",
        ),
        card("Peluang capai target", text.chance(v.p_target, v.reachable), _chance_note(b, v)),
    ]
    return Html(
        f'<section class="headline"><div class="cards">{"".join(cards)}</div>{fw_note}'
        f'<p class="verdict">{esc(verdict_sentence(b))}</p>'
        + "".join(f'<p class="notice">{esc(n)}</p>' for n in b.plan.notes)
        + f'<p class="assumption">{esc(chance_assumptions(b))}</p></section>'
    )


def verdict_sentence(b: BriefData) -> str:
    """One plain sentence the Sekda can read out (two when a reserve is needed)."""
    v = b.plan.verdict
    if not v.reachable:
        return (
            f"Target {text.percent(b.target, 0)} tidak dapat dicapai dengan batasan saat ini: paling tinggi "
            f"{text.percent(v.score_after)} bila semua diterima (kurang {text.number(v.shortfall)} poin). "
            "Lihat hambatan di bawah."
        )
    m = v.minimal
    until = text.date(b.plan.horizon or b.pemda.deadline)
    out = (
        f"Target {text.percent(b.target, 0)} tercapai dengan paling sedikit {m.documents} dokumen "
        f"({text.number(m.effort, 0)} hari-orang) sampai {until} bila semua diterima verifikator; "
        f"dengan risiko verifikasi peluang rencana minimal itu {text.chance(m.chance)}."
    )
    if v.confidence_met and (v.reserve_documents or v.effort > m.effort + 1e-9):
        out += (
            f" Untuk peluang {text.chance(v.confidence)}: {v.documents} dokumen ({text.number(v.effort, 0)} "
            "hari-orang), "
            f"yaitu {v.reserve_documents} dokumen cadangan dan {text.number(v.reserve_effort, 0)} hari-orang tambahan; "
            f"peluangnya {text.chance(v.p_target)}."
        )
    elif not v.confidence_met:
        out += (
            f" Peluang {text.chance(v.confidence)} tidak terjangkau dalam kapasitas OPD: peluang tertinggi "
            f"{text.chance(v.p_max, v.reachable)} bila {v.documents} dokumen ({text.number(v.effort, 0)} hari-orang) "
            "dikerjakan" + (f" ({'; '.join(v.limits)})" if v.limits else "") + "."
        )
    return out


def trend_section(b: BriefData) -> Html:
    """Trend chart and the table of snapshots."""
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
            charts.trend_chart(b.history, b.target, b.pemda.last_final),
            "Nilai terverifikasi dan klaim per snapshot",
        )
        return Html(f"<p>{esc(lead)}</p>{chart}{_snapshot_table(h)}")
    outlook = (
        f"Proyeksi nilai final ({text.date(f.calendar.final)}): median {text.percent(f.median)}, 80% kemungkinan "
        f"antara {text.percent(f.p10)} dan {text.percent(f.p90)}; peluang mencapai {text.percent(b.target, 0)} "
        f"bila laju ini berlanjut (tanpa rencana): {text.chance(f.p_target or 0.0, f.reachable)}. Anggapan: "
        + "; ".join(f.assumptions)
        + "."
    )
    if f.basis == "laju":
        outlook += (
            f" Dari {f.open_documents} dokumen yang belum diunggah atau perlu diunggah ulang, diperkirakan "
            f"{text.number(f.expected_uploads, 0)} naik sebelum batas unggah "
            f"(laju {text.number(f.pace or 0, 1)} dokumen per bulan)."
        )
    chart = charts.figure(
        charts.trend_chart(b.history, b.target, b.pemda.last_final, forecast=f.path, close=f.calendar.close),
        "Nilai terverifikasi dan klaim per snapshot; pita biru: proyeksi 80% sampai nilai final",
    )
    return Html(f"<p>{esc(lead)}</p><p>{esc(outlook)}</p>{chart}{_snapshot_table(h)}")


def _snapshot_table(h: pd.DataFrame) -> str:
    columns = {
        "tanggal": "Tanggal",
        "ver": "Terverifikasi",
        "kla": "Klaim",
        "band": "Predikat",
        "laju": "Poin/bulan",
    }
    return html_table(h, columns, {"ver", "kla", "laju"})


def areas_section(b: BriefData) -> Html:
    """Score per area against the target: chart and table."""
    a = b.scores.by_area.copy()
    a["w"] = a["area_weight"].map(text.number)
    a["ver"] = a["verified"].map(text.percent)
    a["kla"] = a["claim"].map(text.percent)
    a["prog"] = a["progress"].map(lambda x: text.percent(x, 0))
    a["gap"] = (b.target - a["verified"]).clip(lower=0).map(text.number)
    chart = charts.figure(
        charts.area_chart(b.scores.by_area, b.target),
        "Nilai terverifikasi per area (batang), klaim (garis kuning), target (garis putus)",
    )
    table = html_table(
        a,
        {
            "area_name": "Area",
            "w": "Bobot",
            "ver": "Terverifikasi",
            "kla": "Klaim",
            "prog": "Bukti lengkap",
            "gap": "Selisih ke target",
        },
        {"w", "ver", "kla", "prog", "gap"},
    )
    return Html(chart + table)


COLLAPSE_ROWS = 40
"""A detail table longer than this (the 2025 framework's 111 indicators) is shown on screen as one
folded block per area (``<details>``, no script); print shows it in full."""


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
    columns |= {
        level.code: "Kode",
        level.title: level.name,
        "ver": "Terverifikasi",
        "kla": "Klaim",
        "open": "Poin terbuka",
    }
    numeric = {"ver", "kla", "open"}
    heading = f"<h3>Rincian {esc(level.name.lower())}</h3>"
    if len(d) <= COLLAPSE_ROWS or level.key == "area":
        return Html(heading + html_table(d, columns, numeric))
    hint = (
        f'<p class="screen-only">{len(d)} {esc(level.name.lower())} dalam {d["area_code"].nunique()} area; ketuk '
        "nama area untuk membuka rinciannya. Versi cetak memuat semuanya.</p>"
    )
    return Html(
        heading
        + hint
        + _folded(
            d,
            ["area_code", "area_name"],
            columns,
            numeric,
            lambda key, g: (
                f"{key[1]}: {len(g)} {level.name.lower()}, {text.number(g['points_open'].sum(), 2)} poin terbuka"
            ),
        )
    )


def _folded(
    frame: pd.DataFrame,
    by: list[str],
    columns: dict[str, str],
    numeric: set[str],
    summary: Callable[[tuple, pd.DataFrame], str],
) -> str:
    """A long table as one folded block per group on screen (``<details>``, no script; the
    group's columns left out of its table) and whole in print, in the frame's order."""
    inner = {k: v for k, v in columns.items() if k not in by}
    blocks = [
        f"<details><summary>{esc(summary(key, group))}</summary>{html_table(group, inner, numeric)}</details>"
        for key, group in frame.groupby(by, sort=False)
    ]
    return (
        f'<div class="screen-only">{"".join(blocks)}</div>'
        f'<div class="print-only">{html_table(frame, columns, numeric)}</div>'
    )


def opd_section(b: BriefData) -> Html:
    """OPD ranking by points of the total still open: chart and table."""
    chart = charts.figure(charts.opd_chart(b.scores.by_opd), "Poin nilai total yang masih terbuka per OPD")
    table = opd_table(b.scores.by_opd)
    return Html(chart + table)


def followup_tables(b: BriefData) -> Html:
    """Documents needing revision (with the verifier's note) and documents awaiting verification.
    A list longer than :data:`COLLAPSE_ROWS` folds by OPD on screen (OPDs with most points first,
    each OPD's documents by points), whole in print."""
    d = b.scores.documents
    d = d[d["applicable"]].copy()
    d["dok"] = d["doc_code"] + " " + d["doc_name"]
    d["poin"] = d["open"].map(lambda x: text.number(x, 2))
    d["note"] = d["note"].fillna("")
    out = ""
    for status, heading, columns in (
        (
            "perlu_perbaikan",
            "Perlu perbaikan",
            {"dok": "Dokumen", "opd": "OPD", "note": "Catatan verifikator", "poin": "Poin"},
        ),
        ("diunggah", "Menunggu verifikasi", {"dok": "Dokumen", "opd": "OPD", "poin": "Poin"}),
    ):
        rows = d[d["status"] == status].sort_values(["opd", "doc_code"])
        out += f"<h3>{heading} ({len(rows)} dokumen)</h3>"
        if not len(rows):
            out += "<p>Tidak ada.</p>"
        elif len(rows) <= COLLAPSE_ROWS:
            out += html_table(rows, columns, {"poin"})
        else:
            total = rows.groupby("opd")["open"].transform("sum")
            rows = rows.assign(_total=total).sort_values(
                ["_total", "opd", "open", "doc_code"], ascending=[False, True, False, True]
            )
            out += (
                f'<p class="screen-only">{len(rows)} dokumen dari {rows["opd"].nunique()} OPD; ketuk nama OPD untuk '
                "membuka daftarnya. Versi cetak memuat semuanya.</p>"
            ) + _folded(
                rows,
                ["opd"],
                columns,
                {"poin"},
                lambda key, g: f"{key[0]}: {len(g)} dokumen, {text.number(g['open'].sum(), 2)} poin",
            )
    return Html(out)


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
        "dokumen yang diblokir pihak luar tidak dipakai.",
        "Risiko verifikasi: model berlapis yang dikalibrasi pada data MCP 2020–21 (506 kabupaten/kota): efek pemda "
        "bersama (diperbarui dengan dokumen yang sudah diputuskan verifikator), sub-indikator yang jatuh ke 0, "
        "kekurangan per dokumen menurut jumlah dokumen sub-indikatornya dan area, nilai sebagian, unggah ulang "
        f"sampai batas unggah, risiko kecil pada QA akhir, hambatan pihak luar{own}. Simulasi Monte Carlo 10.000 "
        "kali, benih tetap; rencana dengan cadangan = usaha paling kecil dengan peluang minimal "
        f"{text.chance(b.confidence)}.",
        *(
            [
                f"Kalender: batas unggah {text.date(cal.close)}, nilai final {text.date(cal.final)} ({cal.source}); "
                f"rencana dijadwalkan sampai {text.date(b.plan.horizon)}."
            ]
            if cal is not None
            else []
        ),
        "Proyeksi akhir tahun: dokumen yang belum diunggah naik dengan laju snapshot tahun ini (bulan terakhir "
        "lebih cepat), lalu melalui model risiko yang sama; diuji pada pasangan nilai sementara–final yang nyata "
        "(benchmarks/backtest_forecast.py).",
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


def status_legend() -> Html:
    """The statuses in words."""
    return Html(
        "<ul>" + "".join(f"<li><code>{esc(k)}</code>: {esc(v)}</li>" for k, v in STATUS_LABELS.items()) + "</ul>"
    )
