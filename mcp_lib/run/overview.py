"""The provincial overview: one offline HTML page comparing the pemda of a batch.

``outputs/_provinsi/<province>/<period>/ringkasan.html``: ranking by verified score with band,
change since last month and gap to target; a heat map of areas × pemda; the pemda at risk of
missing the target; relative links to each pemda's brief (they keep working when the whole
``outputs/`` folder is zipped and shared). Like the brief it loads nothing from anywhere.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from mcp_lib import __version__, text
from mcp_lib.brief.blocks import band_colour, band_ranges
from mcp_lib.brief.render import generation_stamp, page_head
from mcp_lib.files import write_via_temp
from mcp_lib.forecast import WITH_PLAN, WITHOUT_PLAN
from mcp_lib.framework.model import Band, Bands
from mcp_lib.plan.planner import WITH_BELOW_WITHOUT
from mcp_lib.run.batch import BatchOutcome
from mcp_lib.text import slugify

esc = text.escape
RISK_CHANCE = 0.5
"""A pemda is at risk when its plan cannot reach the target or its chance with the plan (*bila
rencana dijalankan*) is below this."""


def overview_dir(out_root: Path, province: str, period: str) -> Path:
    return Path(out_root) / "_provinsi" / (slugify(province) or "provinsi") / period


def _with_below_without(row: dict) -> bool:
    """The row's chance with the plan is lower than without it (marked, and explained under the table)."""
    without = row.get("p_without")
    return without is not None and float(row["p_target"] or 0.0) < float(without) - 1e-9


def at_risk(row: dict) -> bool:
    return (not row["reachable"]) or row["p_target"] < RISK_CHANCE


def _chance(p: float | None) -> str:
    return text.chance(None if p is None else float(p))


def _outlook(r: dict) -> str:
    """The year-end projection without a plan of a summary row, ``93,1% (90–96%)`` (band rounded
    outward); ``–`` for rows without one."""
    if r.get("forecast_median") is None:
        return "–"
    return f"{text.percent(r['forecast_median'])} ({text.band(r['forecast_p10'], r['forecast_p90'])})"


def _band_cell(value: float | None, bands: list) -> str:
    """A heat map cell: the score on its band's colour (``bands``: a summary's ``(name, lower,
    colour)`` rows, the framework's ``bands.csv``; a colour that is not ``#rrggbb`` is grey)."""
    if value is None:
        return '<td class="num">–</td>'
    band = Bands.from_rows(bands).classify(value)
    style = f"background:{band_colour(band)}"
    return f'<td class="num heat" style="{style}" title="{esc(band.name)}">{esc(text.number(value))}</td>'


def _swatch(band: Band) -> str:
    return f'<span class=swatch style="background:{band_colour(band)}"></span>'


def _bands_legend(rows: list[dict]) -> str:
    """What the heat map's colours mean: each framework's bands (one line per distinct set, in the
    order first seen), a swatch before each band's range."""
    sets: list[Bands] = []
    for r in rows:
        bands = Bands.from_rows(r["bands"])
        if bands not in sets:
            sets.append(bands)
    return "".join(
        '<p class="legend">Predikat: '
        + ", ".join(_swatch(b) + esc(words) for b, words in zip(s.items, band_ranges(s), strict=True))
        + "</p>"
        for s in sets
    )


def render_overview(
    outcomes: list[BatchOutcome],
    province: str,
    period: str,
    out_root: Path,
    generated: dt.datetime | None = None,
) -> Path:
    """Write ``ringkasan.html`` for a batch and return its path (atomically, replacing an older one)."""
    folder = overview_dir(out_root, province, period)
    folder.mkdir(parents=True, exist_ok=True)
    rows = sorted(
        (o.summary | {"out_dir": o.out_dir} for o in outcomes if o.ok),
        key=lambda r: (-r["verified"], r["name"]),
    )
    failed = [o for o in outcomes if not o.ok]
    risky = [r for r in rows if at_risk(r)]
    month = text.month(dt.date.fromisoformat(rows[0]["date"])) if rows else period
    body = _page(
        {
            "title": esc(f"Ringkasan MCP {province}: {month}"),
            "heading": f"{esc(province)}: {esc(month)}",
            "counts": f"{len(rows)} pemda · rata-rata nilai terverifikasi {esc(text.percent(_mean(rows)))} · "
            f"{len(risky)} berisiko tidak mencapai\ntarget · {len(failed)} gagal diproses",
            "ranking": _ranking_html(rows, folder),
            "heat": _heat_html(rows),
            "risk": _risk_items(risky),
            "failed": "".join(f"<li><b>{esc(Path(o.pemda).name)}</b>: <pre>{esc(o.error)}</pre></li>" for o in failed),
        },
        generation_stamp(generated),
    )
    return write_via_temp(folder / "ringkasan.html", lambda tmp: tmp.write_text(body, encoding="utf-8"), backup=False)


def _mean(rows: list[dict]) -> float | None:
    return sum(r["verified"] for r in rows) / len(rows) if rows else None


_RANKING_HEAD = (
    "#",
    "Pemda",
    "Jenis",
    "Terverifikasi",
    "Predikat",
    "Perubahan sebulan",
    "Target",
    "Selisih",
    f"Proyeksi akhir {WITHOUT_PLAN} (80%)",
    f"Peluang {WITHOUT_PLAN}",
    "Target dapat dicapai?",
    f"Peluang {WITH_PLAN}",
)


def _ranking_html(rows: list[dict], folder: Path) -> str:
    """The ranking table (each pemda linked to its brief, relative to ``folder``), and the
    explanation of a chance with the plan below the one without it when a row has one."""
    ranking = []
    for i, r in enumerate(rows, start=1):
        link = os.path.relpath(Path(r["out_dir"]) / "brief.html", folder)
        change = "–" if r["previous"] is None else text.signed(r["verified"] - r["previous"])
        ranking.append(
            f'<tr><td class=num>{i}</td><td><a href="{esc(Path(link).as_posix())}">{esc(r["name"])}</a></td>'
            f"<td>{esc(r['kind'])}</td><td class=num>{esc(text.percent(r['verified']))}</td>"
            f"<td>{_swatch(Band(r['band'], 0.0, r['band_colour']))}{esc(r['band'])}</td>"
            f"<td class=num>{esc(change)}</td><td class=num>{esc(text.percent(r['target'], 0))}</td>"
            f"<td class=num>{esc(text.number(r['gap']))}</td>"
            f"<td class=num>{esc(_outlook(r))}</td><td class=num>{esc(_chance(r.get('p_without')))}</td>"
            f"<td>{'ya' if r['reachable'] else 'tidak'}</td><td class=num>{esc(_chance(r['p_target']))}"
            f"{'*' if _with_below_without(r) else ''}</td></tr>"
        )
    below = f'<p class="legend">* {esc(WITH_BELOW_WITHOUT)}</p>' if any(_with_below_without(r) for r in rows) else ""
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in _RANKING_HEAD)
    table = (
        f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead><tbody>{"".join(ranking)}</tbody></table></div>'
    )
    return f"{table}\n{below}"


def _heat_html(rows: list[dict]) -> str:
    """The heat map: one row per pemda, one column per area (in the order first seen)."""
    areas: list[str] = []
    for r in rows:
        areas += [a for a in r["areas"] if a not in areas]
    heat_head = "".join(f'<th scope="col" class="rot">{esc(a)}</th>' for a in areas)
    heat_rows = "".join(
        f'<tr><th scope="row">{esc(r["name"])}</th>'
        + "".join(_band_cell(r["areas"].get(a), r["bands"]) for a in areas)
        + "</tr>"
        for r in rows
    )
    return (
        '<div class="table-wrap"><table '
        f'class="heatmap"><thead><tr><th></th>{heat_head}</tr></thead><tbody>{heat_rows}</tbody></table></div>'
        + _bands_legend(rows)
    )


def _risk_items(risky: list[dict]) -> str:
    """One item per pemda at risk: why."""
    return "".join(
        f"<li>{esc(r['name'])}: "
        + (
            f"target tidak tercapai dengan batasan saat ini (paling tinggi {esc(text.percent(r['score_after']))})"
            if not r["reachable"]
            else f"peluang {WITH_PLAN} {esc(_chance(r['p_target']))} (dalam kapasitas OPD), {WITHOUT_PLAN} "
            f"{esc(_chance(r.get('p_without')))}"
        )
        + "</li>"
        for r in risky
    )


def _page(parts: dict[str, str], stamp: str) -> str:
    """The page around its parts, each HTML already escaped: ``title``, ``heading``, ``counts``,
    ``ranking``, ``heat``, and the ``risk`` and ``failed`` list items; with the brief's style sheet."""
    css = """.swatch { display: inline-block; width: .8em; height: .8em; margin-right: .3em; border: 1px solid #999;
  vertical-align: middle; }
.heatmap td.heat { color: #111; }
.heatmap th.rot { font-size: .75em; max-width: 7em; }
pre { white-space: pre-wrap; font-size: .85em; margin: .2em 0; }
@media print { .brief-footer { display: block; } }
"""
    return (
        page_head(parts["title"], css)
        + f"""<body>
<main>
<header class="brief-title"><p class="kicker">Ringkasan provinsi MCP KPK</p>
<h1>{parts["heading"]}</h1>
<p>{parts["counts"]}</p></header>
<h2>Peringkat nilai terverifikasi</h2>
<p>Klik nama pemda untuk membuka brief-nya (tautan relatif: tetap berfungsi bila folder outputs/ dikirim sebagai zip).
Dua peluang untuk satu kejadian (nilai final mencapai target), dari satu model dengan undian yang sama:
{WITHOUT_PLAN} (setiap OPD terus dengan lajunya, dibatasi kapasitasnya) dan {WITH_PLAN} (dokumen rencana sesuai
jadwal, sisa laju OPD untuk dokumen lain); proyeksi akhir: median dan rentang 80% nilai final {WITHOUT_PLAN}.
Keduanya memakai model risiko verifikasi (nilai sebagian, unggah ulang sampai batas unggah, efek pemda bersama) dan
galat proyeksi yang terukur pada tahun nyata; rentang dibulatkan ke luar.</p>
{parts["ranking"]}
<h2>Peta panas: area × pemda</h2>
<p>Nilai terverifikasi per area; warna menurut predikat (angka tetap tertulis).</p>
{parts["heat"]}
<h2>Berisiko tidak mencapai target</h2>
<p>Target tidak dapat dicapai dengan batasan saat ini, atau peluangnya {WITH_PLAN} di bawah
{esc(text.percent(100 * RISK_CHANCE, 0))}.</p>
<ul>{parts["risk"] or "<li>Tidak ada.</li>"}</ul>
<h2>Gagal diproses</h2>
<ul>{parts["failed"] or "<li>Tidak ada.</li>"}</ul>
<footer class="brief-footer">Dibuat {esc(stamp)} dengan MCP Workbook {esc(__version__)}.</footer>
</main>
</body>
</html>
"""
    )
