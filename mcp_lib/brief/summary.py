"""The brief's two summary pages, as escaped HTML: what the meeting uses.

Page 1, *Di mana kita*: the pemda, the data date and the days to the upload close; the verdict
box (a colour and three lines to read aloud); four figures with their change since the last
meeting; *Sejak rapat lalu*; the trend with both scenarios and the areas against the target.
Page 2, *Siapa melakukan apa*: the OPD scorecard and the decisions asked of the leadership.
Each page prints on one A4 page (``page-one``, ``page-two`` in the template's CSS); everything
else follows as the *lampiran* (:func:`appendix_start`). The content comes from
:mod:`mcp_lib.brief.meeting`; every data-derived string passes through ``esc``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd

from mcp_lib import text
from mcp_lib.backtest import measured_error
from mcp_lib.brief import charts, meeting
from mcp_lib.brief.blocks import (
    Html,
    area_short_note,
    area_shorts,
    band_class,
    band_style,
    esc,
    html_table,
    score_note,
)
from mcp_lib.brief.data import BriefData
from mcp_lib.forecast import WITH_PLAN, WITHOUT_PLAN
from mcp_lib.framework.calendar import months_between

__all__ = ["appendix_start", "page_one", "page_two"]

SUMMARY_AREA_LABEL = 190
"""Pixels an area name may take in the summary's small area chart (longer names are cut)."""
TREND_WIDTH = 300
"""Pixels of the summary's small trend chart's plot: with the bands' names right of it, the chart
is about as wide as it was without them (a 330-pixel plot), so its text is not drawn smaller."""


def _notices(b: BriefData) -> str:
    """The scenario notice, and the sample-data and reconstruction labels in one line."""
    out = ""
    if b.is_scenario:
        out += (
            '<p class="notice scenario">'
            + esc(
                f"SKENARIO, bukan keadaan berkas: {len(b.assumed_done)} dokumen dianggap selesai diverifikasi dan "
                f"{len(b.assumed_rejected)} dianggap ditolak (berkas asumsi {Path(b.assumptions_file).name})."
            )
            + "</p>"
        )
    labels = [b.pemda.note] if b.pemda.note else []
    if "rekonstruksi" in b.framework.label.lower():
        labels.append(f"Kerangka: {b.framework.label}")
    if labels:
        out += f'<p class="notice">{esc(" · ".join(labels))}.</p>'
    return out


def _figure(f: meeting.Figure, cls: str = "", style: str = "") -> str:
    classes = f"card {cls}".strip()
    return (
        f'<div class="{classes}"{style}><span class="label">{esc(f.label)}</span>'
        f'<span class="value">{esc(f.value)}</span>'
        f'<span class="note">{esc(f.note)}</span><span class="change">{esc(f.change)}</span></div>'
    )


def page_one(b: BriefData) -> Html:
    """*Di mana kita*: header, verdict, four figures, what changed since the last meeting, two
    small charts."""
    v = meeting.verdict(b)
    head = (
        f'<header class="brief-title"><p class="kicker">Brief rapat monitoring dan evaluasi MCP KPK</p>'
        f"<h1>{esc(b.pemda.name)}: {esc(text.month(b.snapshot.date))}</h1>"
        f"<p>Data per {esc(text.date(b.snapshot.date))} · {esc(meeting.close_words(b))} · "
        f"Kerangka MCP {b.framework.year} · {esc(b.pemda.province)}</p>{_notices(b)}</header>"
    )
    lines = "".join(f"<p>{esc(line)}</p>" for line in v.lines[1:] if line)
    box = (
        f'<div class="verdict-box status-{esc(v.key)}" role="status"><p class="verdict-status">'
        f"{esc(v.lines[0])}</p>{lines}</div>"
    )
    figs = meeting.figures(b)
    figs[0] = replace(figs[0], note=score_note(b.scores, b.framework.bands))  # with the way to the next band
    score = (band_class(b.scores.band.name), band_style(b.scores.band))
    cards = "".join(_figure(f, *score) if i == 0 else _figure(f) for i, f in enumerate(figs))
    since = b.since
    when = f" ({text.date(since.previous_date)})" if since is not None else ""
    bullets = "".join(f"<li>{esc(line)}</li>" for line in meeting.since_lines(b))
    return Html(
        f'<section class="summary page-one">{head}<h2 class="summary-h">Di mana kita</h2>{box}'
        f'<div class="cards figures">{cards}</div>'
        f'<h3>Sejak rapat lalu{esc(when)}</h3><ul class="since">{bullets}</ul>'
        f'<div class="pair">{_trend(b)}{_areas(b)}</div></section>'
    )


def _trend(b: BriefData) -> str:
    plan = b.plan.schedule
    wide = plan[plan["series"] == "rencana median"][["date", "score"]].rename(columns={"score": "median"})
    spec = charts.trend_chart(
        b.history,
        b.target,
        b.pemda.last_final,
        forecast=b.outlook.path,
        close=b.outlook.calendar.close,
        with_plan=wide if len(wide) > 1 else None,
        bands=b.framework.bands,
        width=TREND_WIDTH,
        height=180,
        compact=True,
    )
    error = measured_error(months_between(b.outlook.as_of, b.outlook.calendar.close))
    width = (
        f" (memuat galat pada tahun nyata: untuk data {error.label}, proyeksi meleset rata-rata "
        f"{text.number(error.mean_abs_error, 1)} poin)"
        if error.pairs
        else ""
    )
    return charts.figure(
        spec,
        f"Nilai terverifikasi (garis biru) dan klaim (garis kuning putus) per snapshot; pita biru: {WITHOUT_PLAN}, "
        f"8 dari 10 kemungkinan{width}; garis hijau putus: {WITH_PLAN} (nilai tengah)",
    )


def _areas(b: BriefData) -> str:
    """The area chart of page one, each area by the short name the dashboard writes (if any); the
    caption says what a short name that reads as something else stands for."""
    by_area = b.scores.by_area
    step = 16 if len(by_area) <= 9 else 12
    shorts = area_shorts(b.framework)
    spec = charts.area_chart(
        by_area,
        b.target,
        width=150,
        step=step,
        label_limit=SUMMARY_AREA_LABEL,
        compact=True,
        bands=b.framework.bands,
        shorts=shorts,
    )
    note = area_short_note(by_area, shorts)
    caption = "Nilai terverifikasi per area (batang), klaim (garis kuning), target (garis putus)"
    return charts.figure(spec, f"{caption}; {note}" if note else caption)


SCORECARD_ROWS = 13
"""OPDs shown one per row on page 2 (most urgent first); the others are named in one line, so that
the page stays one A4 page whatever the number of OPDs."""


def page_two(b: BriefData) -> Html:
    """*Siapa melakukan apa*: the OPD scorecard and the decisions asked of the leadership."""
    full = meeting.scorecard(b)
    card, rest = full.head(SCORECARD_ROWS), full.iloc[SCORECARD_ROWS:]
    rows = card.assign(
        status=[f'<span class="dot dot-{c}" aria-hidden="true"></span>{esc(c.capitalize())}' for c in card["colour"]],
        days=[
            f"{text.number(e, 0)}/{text.number(c, 0)}" if pd.notna(c) else f"{text.number(e, 0)}/–"
            for e, c in zip(card["effort"], card["capacity"], strict=True)
        ],
        moved=card["moved"].map(lambda n: f"+{n}" if n else "–"),
        **{c: card[c].map(lambda n: str(n) if n else "–") for c in ("deliver", "late", "returned", "waiting")},
    )
    since = b.since
    moved_head = f"Bergerak sejak {text.date(since.previous_date, 'd MMM')}" if since is not None else "Bergerak"
    table = html_table(
        rows,
        {
            "opd": "OPD",
            "status": "Status",
            "deliver": "Dikerjakan",
            "late": "Lewat tenggat",
            "returned": "Dikembalikan",
            "waiting": "Menunggu KPK",
            "days": "Hari-orang / kapasitas",
            "moved": moved_head,
            "reason": "Alasan",
        },
        {"deliver", "late", "returned", "waiting", "days", "moved"},
        raw={"status"},
        short={"status"},
    )
    more = ""
    if len(rest):
        counts = ", ".join(f"{n} {c}" for c, n in rest["colour"].value_counts().items())
        more = (
            f'<p class="legend">Dan {len(rest)} OPD lain ({esc(counts)}): {esc(", ".join(rest["opd"]))}; '
            "rinciannya di lampiran.</p>"
        )
    colours = "; ".join(f"{c.capitalize()} = {m}" for c, m in meeting.SCORECARD_COLOURS.items())
    legend = (
        f'<p class="legend">{esc(colours)}. Dikerjakan = dokumen rencana yang harus diselesaikan dan diunggah OPD; '
        "Lewat tenggat = dokumen OPD yang belum diunggah dan tenggatnya di berkas status sudah lewat; Dikembalikan = "
        "perlu perbaikan; Menunggu KPK = sudah diunggah, belum diverifikasi; hari-orang rencana terhadap kapasitas "
        "OPD sampai tenggat; Bergerak = dokumen yang naik ke verifikator, diverifikasi atau dikembalikan sejak "
        "rapat lalu.</p>"
    )
    decisions = meeting.decisions(b, full)
    asked = (
        "<ol class='decisions'>" + "".join(f"<li>{esc(d)}</li>" for d in decisions) + "</ol>"
        if decisions
        else "<p>Tidak ada keputusan yang perlu diminta bulan ini.</p>"
    )
    return Html(
        f'<section class="summary page-two"><h2 class="summary-h">Siapa melakukan apa</h2>{table}{more}{legend}'
        f"<h2>Keputusan yang diminta dari pimpinan</h2>{asked}</section>"
    )


def appendix_start() -> Html:
    """The start of the lampiran (a new page in print)."""
    return Html(
        '<h2 class="lampiran">Lampiran</h2><p class="legend">Rincian di balik ringkasan dua halaman di atas: tren, '
        "area dan indikator, OPD, jalan menuju target, dokumen yang perlu perbaikan atau menunggu verifikasi, "
        "metode dan data.</p>"
    )
