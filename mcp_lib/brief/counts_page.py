"""The brief from the dashboard's counts: one offline HTML page for a pemda that has only the
jaga.id dashboard's figures per area (``mcp snapshot counts --file F --brief``).

It says at the top that it works from the dashboard's counts, not from documents (no document
list, no plan per document or OPD); then the total with its band, the way to the next band and the
year's end (:mod:`mcp_lib.count_forecast`), per area its score, weight, points open, progress,
accepted share and year's end, what to ask per area, the assumptions with the model's measured
error on real years, and where the numbers come from. The brief's style sheet is used as it is
(``templates/mcp_brief/brief.css``); everything from the data passes through ``esc``; the page
loads nothing from anywhere and is the same for the same inputs but for its generation stamp.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from mcp_lib import __version__, text
from mcp_lib.backtest import measured_error, measured_errors
from mcp_lib.brief.blocks import band_class, band_note, band_style, card, esc, html_table
from mcp_lib.brief.meeting import HARD, NOT_SAFE, STATUS_LABELS
from mcp_lib.brief.render import css_string, generation_stamp, page_head
from mcp_lib.config import DEFAULT_CONFIDENCE
from mcp_lib.count_forecast import CountForecast
from mcp_lib.count_scores import CountScores
from mcp_lib.files import write_via_temp
from mcp_lib.forecast import WITHOUT_PLAN
from mcp_lib.framework.calendar import Calendar, months_between
from mcp_lib.framework.model import Framework
from mcp_lib.pemda.model import Pemda

BASIS_NOTICE = (
    "Brief ini dihitung dari angka dasbor per area (jaga.id), bukan dari dokumen: tidak ada daftar dokumen dan "
    "tidak ada rencana per dokumen atau per OPD. Untuk itu isi tracker (mcp snapshot import) dan buat brief "
    "lengkap (mcp brief)."
)
"""The first thing the page says."""
OPEN_LEFT = 0.05
"""Points of the total below which an area has nothing left to ask for."""


@dataclass(frozen=True)
class CountsPage:
    """What the page is made of: the pemda, its framework, the scores and forecast of one counts
    sheet, and the sheet's file (``None`` for counts made from a snapshot)."""

    pemda: Pemda
    framework: Framework
    scores: CountScores
    forecast: CountForecast
    source: Path | None = None

    @property
    def calendar(self) -> Calendar:
        return self.forecast.total.calendar


def page_name(date: dt.date) -> str:
    """The page's file name: ``angka-dasbor-2025-10-31.html``."""
    return f"angka-dasbor-{date:%Y-%m-%d}.html"


def write_counts_page(page: CountsPage, folder: Path, generated: dt.datetime | None = None) -> Path:
    """Write the page into ``folder`` (:func:`page_name`) through a temporary file; returns its path."""
    html = counts_page(page, generated)
    path = Path(folder) / page_name(page.scores.date)
    return write_via_temp(path, lambda tmp: tmp.write_text(html, encoding="utf-8"), backup=False)


def counts_page(page: CountsPage, generated: dt.datetime | None = None) -> str:
    """The whole page as one HTML string."""
    p, s = page.pemda, page.scores
    body = "".join(
        [
            _header(page),
            '<h2 class="summary-h">Di mana kita</h2>',
            _verdict(page),
            _cards(page),
            "<h2>Per area</h2>",
            _area_table(page),
            "<h2>Yang perlu ditanyakan per area</h2>",
            _asks(page),
            "<h2>Proyeksi dan anggapannya</h2>",
            _method(page),
            "<h2>Sumber angka</h2>",
            _sources(page),
        ]
    )
    footer = css_string(f"{p.name} · angka dasbor per {text.date(s.date)}")
    title = esc(f"Angka dasbor MCP {p.name}: {text.month(s.date)}")
    return _document(title, footer, body, generation_stamp(generated))


def _document(title: str, footer: str, body: str, stamp: str) -> str:
    css = f""".notice.basis {{ font-size: 1em; font-weight: 600; }}
ul.asks li {{ margin: .3em 0; }}
@media print {{ .brief-footer {{ display: block; }}
  @page {{ @bottom-left {{ content: "{footer}";
    font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 8pt; color: #555; }} }} }}
"""
    meta = f'<meta name="generator" content="MCP Workbook {esc(__version__)}">\n'
    return (
        page_head(title, css, meta)
        + f"""<body>
<main>
{body}
<footer class="brief-footer">Dibuat {esc(stamp)} dengan MCP Workbook {esc(__version__)}.</footer>
</main>
</body>
</html>
"""
    )


# --- the top -----------------------------------------------------------------------------------------------


def _close_words(calendar: Calendar, day: dt.date) -> str:
    """``batas unggah 30 November 2025: 30 hari lagi`` (or that it is today, or passed)."""
    days = (calendar.close - day).days
    when = f"{days} hari lagi" if days > 0 else "hari ini" if days == 0 else f"sudah lewat {-days} hari"
    return f"batas unggah {text.date(calendar.close)}: {when}"


def _header(page: CountsPage) -> str:
    p, s, fw = page.pemda, page.scores, page.framework
    labels = [p.note] if p.note else []
    if "rekonstruksi" in fw.label.lower():
        labels.append(f"Kerangka: {fw.label}")
    notes = f'<p class="notice">{esc(" · ".join(labels))}.</p>' if labels else ""
    return (
        '<header class="brief-title"><p class="kicker">Brief dari angka dasbor MCP KPK</p>'
        f"<h1>{esc(p.name)}: {esc(text.month(s.date))}</h1>"
        f"<p>Angka dasbor per {esc(text.date(s.date))} · {esc(_close_words(page.calendar, s.date))} · "
        f"Kerangka MCP {fw.year} · {esc(p.province)}</p>"
        f'<p class="notice basis" role="note">{esc(BASIS_NOTICE)}</p>{notes}</header>'
    )


def verdict_key(page: CountsPage) -> str:
    """The verdict's key (the brief's colours, :data:`mcp_lib.brief.meeting.STATUS_LABELS`): the
    score final; the target out of reach; its chance without a plan at least the brief's default
    confidence (``aman``), at least :data:`~mcp_lib.brief.meeting.HARD` (``belum``), or below
    (``sulit``). There is no plan, so never ``rencana``."""
    f = page.forecast.total
    if f.basis == "final":
        return "final"
    if not f.reachable:
        return "tidak"
    chance = f.p_target or 0.0
    return "aman" if chance >= DEFAULT_CONFIDENCE else NOT_SAFE if chance >= HARD else "sulit"


def _verdict(page: CountsPage) -> str:
    f, key = page.forecast.total, verdict_key(page)
    target = text.percent(f.target, 0)
    if key == "final":
        lines = [f"Nilai {text.percent(f.current)} sudah final."]
    else:
        lines = [
            f"{STATUS_LABELS[key]} untuk target {target} {WITHOUT_PLAN}.",
            f"Proyeksi nilai final ({text.date(f.calendar.final)}) {WITHOUT_PLAN}: {f.outlook.words(f.reachable)}.",
        ]
        if not f.reachable:
            lines.append(f"Target {target} tidak tercapai walaupun semua dokumen yang masih terbuka diterima.")
    head, *rest = lines
    more = "".join(f"<p>{esc(line)}</p>" for line in rest)
    return (
        f'<div class="verdict-box status-{esc(key)}" role="status"><p class="verdict-status">{esc(head)}</p>'
        f"{more}</div>"
    )


def _cards(page: CountsPage) -> str:
    s, f, bands = page.scores, page.forecast.total, page.framework.bands
    note = band_note(bands, s.verified) + (f"; {text.penalty(s.penalty, s.penalty_reason)}" if s.penalty else "")
    gap = (f.target or 0.0) - s.verified
    cards = [
        card("Nilai sekarang", text.percent(s.verified), note, band_class(s.band.name), band_style(s.band)),
        card("Target", text.percent(f.target, 0), f"{text.number(max(gap, 0.0))} poin lagi" if gap > 0 else "tercapai"),
        card("Proyeksi nilai final", text.percent(f.median), f"8 dari 10 kemungkinan {text.band(f.p10, f.p90)}"),
        card("Peluang target", text.chance(f.p_target, f.reachable), WITHOUT_PLAN),
    ]
    n = s.areas[["required", "uploaded", "accepted"]].sum()
    docs = (
        f"Dokumen: {int(n['required'])} wajib, {int(n['uploaded'])} diunggah ({text.percent(s.progress)}), "
        f"{int(n['accepted'])} diterima ({text.percent(s.accepted_share)})."
    )
    return f'<div class="cards figures">{"".join(cards)}</div><p>{esc(docs)}</p>'


# --- per area ----------------------------------------------------------------------------------------------


def _area_table(page: CountsPage) -> str:
    a = page.scores.areas.merge(page.forecast.areas[["area_code", "pace", "p10", "median", "p90"]], on="area_code")
    rows = a.assign(
        area=a["area_code"] + " " + a["area_name"],
        w=a["weight"].map(lambda x: text.number(x, 1)),
        score=a["area_score"].map(lambda x: text.number(x, 2)),
        open=a["points_open"].map(lambda x: text.number(x, 2)),
        up=a["progress"].map(text.percent),
        ok=a["accepted_share"].map(text.percent),
        end=a["median"].map(text.number),
        band80=[text.band(lo, hi) for lo, hi in zip(a["p10"], a["p90"], strict=True)],
    )
    columns = {
        "area": "Area",
        "w": "Bobot (%)",
        "score": "Nilai area",
        "open": "Poin terbuka",
        "up": "Diunggah",
        "ok": "Diterima",
        "awaiting": "Menunggu verifikasi",
        "returned": "Dikembalikan",
        "not_uploaded": "Belum diunggah",
        "end": "Proyeksi akhir",
        "band80": "Rentang 80%",
    }
    if a["pace"].notna().any():
        rows["laju"] = a["pace"].map(lambda x: text.number(max(x, 0.0), 1))
        columns["laju"] = "Laju (dok/bulan)"
    table = html_table(rows, columns, set(columns) - {"area"})
    legend = (
        "Bobot: bagian area dalam nilai total (bobot kerangka, dinormalkan atas area yang berlaku); poin terbuka: "
        "poin nilai total yang belum diperoleh area; diunggah dan diterima: bagian dokumen wajib (dokumen "
        f"dikembalikan terhitung diunggah, seperti di dasbor); proyeksi akhir: nilai area tengah {WITHOUT_PLAN}, "
        "rentang 80%: 8 dari 10 kemungkinan (dibulatkan ke luar). Jumlah proyeksi area per kemungkinan sama dengan "
        "proyeksi nilai total sebelum penalti."
    )
    return f'{table}<p class="legend">{esc(legend)}</p>'


def area_asks(page: CountsPage) -> list[tuple[str, str]]:
    """Per area, most points open first: the area and what to ask, in words. The points at stake of
    each kind of document are its count times the area's open points per document not accepted (the
    forecast's equal split, hence ``±``)."""
    open_ = page.calendar.uploads_open(page.scores.date)
    close = text.date(page.calendar.close)
    out = []
    for r in page.scores.areas.sort_values("points_open", ascending=False, kind="stable").to_dict("records"):
        out.append((f"{r['area_code']} {r['area_name']}", _ask(r, open_, close)))
    return out


def _ask(r: Mapping[Hashable, Any], open_: bool, close: str) -> str:
    left, required, accepted = float(r["points_open"]), int(r["required"]), int(r["accepted"])
    if left < OPEN_LEFT or required == 0:
        return "tidak ada poin terbuka: jaga dokumen yang sudah diterima sampai QA akhir"
    if accepted >= required:
        return (
            f"semua dokumen diterima, tetapi {text.number(left, 2)} poin belum diperoleh: tanyakan ke koordinator KPK "
            "(nilai sebagian atau bobot dokumen); mengunggah tidak menaikkannya"
        )
    each = left / (required - accepted)
    late = "" if open_ else " (batas unggah sudah lewat: tidak bisa lagi)"
    parts = [
        (int(r["awaiting"]), "menunggu verifikasi: minta KPK memverifikasinya"),
        (int(r["returned"]), f"dikembalikan: OPD memperbaiki dan mengunggah ulang sebelum {close}{late}"),
        (int(r["not_uploaded"]), f"belum diunggah: pekerjaan OPD, tanyakan siapa mengunggah apa dan kapan{late}"),
    ]
    said = [f"{n} dokumen {what} (±{text.number(n * each, 1)} poin nilai total)" for n, what in parts if n]
    return f"{text.number(left, 2)} poin terbuka. " + "; ".join(said)


def _asks(page: CountsPage) -> str:
    items = "".join(f"<li><b>{esc(area)}</b>: {esc(ask)}</li>" for area, ask in area_asks(page))
    return (
        '<p class="legend">Urut dari poin terbuka terbanyak. Banyak dokumen menunggu verifikasi: tanyakan ke KPK; '
        "banyak yang belum diunggah atau dikembalikan: pekerjaan OPD. Poin per jenis dokumen adalah perkiraan (poin "
        "terbuka dibagi rata), karena dasbor tidak menyebut dokumen mana.</p>"
        f'<ul class="asks">{items}</ul>'
    )


# --- how and from what ------------------------------------------------------------------------------------


def _method(page: CountsPage) -> str:
    f = page.forecast
    t = f.total
    if t.basis == "final":
        return f"<p>{esc(t.assumptions[0])}.</p>"
    lead = (
        f"Satu model dengan satu set undian untuk semua area: nilai total setiap kemungkinan adalah jumlah nilai "
        f"areanya. {WITHOUT_PLAN.capitalize()}: dari {t.open_documents} dokumen yang belum diunggah atau "
        f"dikembalikan, diperkirakan {text.number(t.expected_uploads, 0)} naik sebelum batas unggah."
    )
    if f.sheets:
        lead += (
            f" Laju per area dari {len(f.sheets)} lembar angka dasbor tahun ini ({text.date(f.sheets[0])} s.d. "
            f"{text.date(f.sheets[-1])}): semua area {text.number(t.pace or 0.0, 1)} dokumen per bulan."
        )
    items = "".join(f"<li>{esc(a)}</li>" for a in t.assumptions)
    return f"<p>{esc(lead)}</p><p>Anggapan:</p><ul>{items}</ul><p>{esc(_measured(t.as_of, page.calendar))}</p>"


def _measured(as_of: dt.date, calendar: Calendar) -> str:
    """The model's error measured on real years for the data's lead time, and over all of them."""
    own = measured_error(months_between(as_of, calendar.close))
    everything = measured_errors().get("all")
    out = f"Galat model pada tahun nyata (leave-one-out): {own.words()}."
    if everything is not None and everything.pairs:
        out += (
            f" Semua {everything.pairs} pasangan nilai sementara–final: {everything.inside} nilai final di dalam "
            f"rentang 80%, meleset rata-rata {text.number(everything.mean_abs_error, 1)} poin."
        )
    return out + " Dari angka dasbor, bukan dokumen, ketidakpastiannya tidak lebih kecil dari itu."


def _sources(page: CountsPage) -> str:
    s, fw = page.scores, page.framework
    rows = [
        ("Berkas angka dasbor", page.source.name if page.source is not None else "dihitung dari snapshot"),
        ("SHA-256 (16 karakter awal)", _sha(page.source)),
        ("Tanggal data", text.date(s.date)),
        ("Nilai total dasbor", _total_words(s)),
        ("Bobot area", f"kerangka {fw.label} (bobot area, dinormalkan atas area yang berlaku)"),
        ("Dasar nilai", s.basis),
    ]
    if page.forecast.sheets:
        dates = ", ".join(text.date(d) for d in page.forecast.sheets)
        rows.append(("Laju dari", f"lembar angka dasbor tersimpan (counts/): {dates}"))
    table = pd.DataFrame(rows, columns=["what", "value"])
    return html_table(table, {"what": "Apa", "value": "Isi"})


def _total_words(s: CountScores) -> str:
    if s.dashboard_total is None:
        return f"tidak diisi; nilai total dihitung {text.percent(s.weighted, 2)} sebelum penalti"
    return f"{text.percent(s.dashboard_total, 2)}: cocok dengan nilai area berbobot ({text.percent(s.weighted, 2)})"


def _sha(path: Path | None) -> str:
    if path is None or not path.is_file():
        return "–"
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


__all__ = ["BASIS_NOTICE", "CountsPage", "area_asks", "counts_page", "page_name", "verdict_key", "write_counts_page"]
