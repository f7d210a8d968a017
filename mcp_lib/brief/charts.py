"""Vega-Lite chart specifications from tidy, pre-aggregated frames, and their offline rendering to
inline SVG.

Each chart is a plain Vega-Lite specification (a dict, the JSON Vega-Lite reads), written here
directly: building the same specifications through Altair's object layer cost about as much CPU
as rendering them (issue 16), and nothing here needs Altair's interactivity. The theme
(:data:`CONFIG`) holds the palette and fonts as data. Colour is never the only signal: series also
differ in dash pattern and carry direct labels. :func:`to_svg` renders with vl-convert (no
browser, no network) using Indonesian number and date formats, so the brief needs no JavaScript at
view time. The test suite validates every specification against Vega-Lite's schema
(``tests/test_charts.py``).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from collections.abc import Mapping
from typing import Any

import pandas as pd
import vl_convert as vlc

from mcp_lib import text
from mcp_lib.brief.blocks import area_labels, band_colour, band_label
from mcp_lib.framework.model import Bands
from mcp_lib.scoring import after_penalty

# Okabe–Ito, distinguishable with the common colour-vision deficiencies.
PALETTE = {
    "verified": "#0072B2",
    "claim": "#E69F00",
    "plan": "#009E73",
    "expected": "#56B4E9",
    "trend": "#999999",
    "target": "#D55E00",
    "last_year": "#CC79A7",
    "open": "#D55E00",
    "grey": "#BBBBBB",
}

Spec = dict[str, Any]
"""A Vega-Lite specification, or a part of one (a layer, an encoding channel)."""

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.4.1.json"
"""The Vega-Lite version the specifications are written for (vl-convert's, and Altair's schema
that the tests validate them with)."""

FONT = "Segoe UI, Roboto, Helvetica, Arial, sans-serif"
WIDTH = 560

CONFIG: Spec = {
    "font": FONT,
    "background": "white",
    "aria": False,
    "view": {"stroke": None},
    "axis": {"labelFontSize": 11, "titleFontSize": 11, "titleFontWeight": "normal", "gridColor": "#EEEEEE"},
    "legend": {"labelFontSize": 11, "titleFontSize": 11, "orient": "bottom"},
    "title": {"fontSize": 13, "anchor": "start", "fontWeight": "bold"},
    "range": {"category": list(PALETTE.values())},
}
"""The ``mcp`` theme: every chart's ``config``."""


def _values(frame: pd.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
    """The rows of ``frame``'s ``columns`` as Vega-Lite inline data: dates as ISO text without a
    zone (read as local dates, as Altair writes them), numbers as JSON numbers, missing as null."""
    lists = []
    for col in columns:
        series = frame[col]
        missing = series.isna().tolist()
        if pd.api.types.is_datetime64_any_dtype(series):
            items = [None if m else _iso(v) for v, m in zip(series, missing, strict=True)]
        else:
            items = [None if m else v for v, m in zip(series.tolist(), missing, strict=True)]
        lists.append(items)
    return [dict(zip(columns, row, strict=True)) for row in zip(*lists, strict=True)]


def _iso(date: object) -> str:
    """A date or time as Vega-Lite inline data reads it: ISO text without a zone (a local date)."""
    return pd.Timestamp(date).isoformat()


def _field(name: str, kind: str, **extra: Any) -> Spec:
    return {"field": name, "type": kind, **extra}


def _q(name: str, **extra: Any) -> Spec:
    return _field(name, "quantitative", **extra)


def _n(name: str, **extra: Any) -> Spec:
    return _field(name, "nominal", **extra)


def _t(name: str, **extra: Any) -> Spec:
    return _field(name, "temporal", **extra)


def _layer(data: list[dict[str, Any]], mark: Spec, **encoding: Spec) -> Spec:
    return {"data": {"values": data}, "mark": mark, "encoding": encoding}


def _chart(layers: list[Spec], width: int, height: int | Spec) -> Spec:
    # the theme copied: a spec changed by its caller never changes the next chart's
    return {"$schema": SCHEMA, "config": copy.deepcopy(CONFIG), "layer": layers, "width": width, "height": height}


def _rules(target: float, last_final: tuple[int, float] | None, channel: str = "y") -> Spec:
    """Dashed rules for the target and last year's final, each with a direct label (the target's
    above its line, last year's below, so close values stay readable)."""
    rows = [(f"Target {text.percent(target, 0)}", target, PALETTE["target"], -6)]
    if last_final is not None:
        rows.append(
            (
                f"Nilai akhir {last_final[0]}: {text.percent(last_final[1], 0)}",
                last_final[1],
                PALETTE["last_year"],
                12,
            )
        )
    layers = []
    for label, value, colour, dy in rows:
        data = [{"value": float(value), "label": label}]
        layers.append(_layer(data, {"type": "rule", "color": colour, "strokeDash": [6, 3]}, **{channel: _q("value")}))
        if channel == "y":
            text_mark = {"type": "text", "align": "left", "color": colour, "dx": 4, "dy": dy, "fontSize": 10}
            layers.append(_layer(data, text_mark, text=_n("label"), x={"value": 0}, y=_q("value")))
    return {"layer": layers}


def _band_lines(bands: Bands | None, channel: str = "y", height: int = 0) -> list[Spec]:
    """A thin rule in its band's colour at each band's lower bound above 0 (every bound a 0–100
    axis shows), labelled ``terjaga ≥ 78`` where no data is drawn: just right of the plot's right
    end (``y``; a chart ``height`` pixels high, labels kept 10 pixels apart so that 73 and 78 do
    not overlap), or above the plot (``x``: in two rows, for the same reason)."""
    shown = [b for b in (bands.items if bands is not None else ()) if 0 < b.lower <= 100]
    spots = _spread([height * (1 - b.lower / 100) for b in shown], 10)
    layers = []
    for i, band in enumerate(shown):
        data = [{"value": float(band.lower), "label": band_label(band)}]
        colour = band_colour(band)
        layers.append(_layer(data, {"type": "rule", "color": colour}, **{channel: _q("value")}))
        mark = {"type": "text", "color": _ink(colour), "fontSize": 9}
        if channel == "y":
            at = {"x": {"value": "width"}, "y": {"value": spots[i]}}
            mark |= {"align": "left", "baseline": "middle", "dx": 3}
        else:
            at = {"x": _q("value"), "y": {"value": -3 - 10 * (i % 2)}}
            mark["baseline"] = "bottom"
        layers.append(_layer(data, mark, text=_n("label"), **at))
    return layers


def _spread(spots: list[float], gap: float) -> list[float]:
    """Label positions (pixels from the top, one per rising bound, so falling) moved up just
    enough that each is ``gap`` above the one before: ``[40, 31]`` → ``[40, 30]``."""
    out: list[float] = []
    for spot in spots:
        out.append(round(min(spot, out[-1] - gap) if out else spot, 2))
    return out


def _ink(colour: str) -> str:
    """A band's colour darkened for its label (light colours such as 2023's Kuning ``#fdae61``
    are too pale for small text on white, in print above all)."""
    r, g, b = (round(int(colour[i : i + 2], 16) * 0.55) for i in (1, 3, 5))
    return f"#{r:02x}{g:02x}{b:02x}"


def _date_axis(dates: pd.Series) -> Spec:
    values = sorted({pd.Timestamp(d) for d in dates})
    axis = {
        "format": "%d %b",
        "labelAngle": 0,
        "values": [{"date": d.day, "month": d.month, "year": d.year} for d in values],
    }
    return _t("date", axis=axis, title=None)


def trend_chart(
    history: pd.DataFrame,
    target: float,
    last_final: tuple[int, float] | None = None,
    mark: dt.date | None = None,
    forecast: pd.DataFrame | None = None,
    close: dt.date | None = None,
    *,
    with_plan: pd.DataFrame | None = None,
    bands: Bands | None = None,
    width: int = WIDTH,
    height: int = 260,
    compact: bool = False,
) -> Spec:
    """Verified and claim score per snapshot, with the target and last year's final as rules
    (and ``bands``: each band's bound, :func:`_band_lines`).

    ``history`` as from :func:`mcp_lib.trend.score_history` (``date, verified, claim``); ``mark``
    draws a vertical line at a selected snapshot date; ``forecast`` (``date, p10, median, p90``,
    :attr:`mcp_lib.forecast.Forecast.path`) adds the year-end projection without a plan as a
    shaded 80% band with its median dotted; ``with_plan`` (``date, median``) adds the median with
    the plan as a dashed green line; ``close`` marks the upload close with a thin rule. ``compact``
    (the summary's small chart) drops the end values of the lines and puts the scenarios' labels at
    the top right, where they cannot cover a line.
    """
    data = history.melt(id_vars="date", value_vars=["verified", "claim"], var_name="series", value_name="score")
    data["series"] = data["series"].map({"verified": "Terverifikasi", "claim": "Klaim"})
    data["date"] = pd.to_datetime(data["date"])
    data["label"] = data["score"].map(lambda v: text.number(v))
    axis_dates = data["date"] if forecast is None else pd.concat([data["date"], _ends(forecast["date"])])
    if close is not None and forecast is not None:
        axis_dates = pd.concat([axis_dates, pd.Series([pd.Timestamp(close)])])
    series = ["Terverifikasi", "Klaim"]
    colour = _n("series", scale={"domain": series, "range": [PALETTE["verified"], PALETTE["claim"]]}, title=None)
    columns = ["date", "series", "score", "label"]
    lines = _layer(
        _values(data, columns),
        {"type": "line", "point": True},
        color=colour,
        strokeDash=_n("series", scale={"domain": series, "range": [[1, 0], [5, 3]]}),
        x=_date_axis(axis_dates),
        y=_q("score", scale={"domain": [0, 100]}, title="Nilai (%)"),
    )
    last = data[data["date"] == data["date"].max()]
    labels = _layer(
        _values(last, columns),
        {"type": "text", "align": "left", "dx": 6, "fontSize": 11},
        color=colour,
        text=_n("label"),
        x=_t("date"),
        y=_q("score"),
    )
    layers = [*_band_lines(bands, height=height), lines, _rules(target, last_final)]
    if not compact:
        layers.insert(-1, labels)
    if forecast is not None and len(forecast) > 1:
        name = "Bila laju sekarang berlanjut:" if with_plan is not None else "Proyeksi"
        layers = [*_band_layers(forecast, name, top=4 if compact else None), *layers]
        if with_plan is not None and len(with_plan) > 1:
            planned = with_plan.assign(date=pd.to_datetime(with_plan["date"]))
            values = _values(planned, ["date", "median"])
            line = {"type": "line", "color": PALETTE["plan"], "strokeDash": [6, 3], "strokeWidth": 2}
            label = f"Bila rencana dijalankan: {text.percent(float(planned['median'].iloc[-1]), 0)}"
            end = [{**values[-1], "label": label}]
            tip: Spec = {"type": "text", "align": "right", "color": "#006B4F", "fontSize": 10}
            at = {"y": {"value": 18}} if compact else {"y": _q("median")}
            if not compact:
                tip["dy"] = 12
            layers += [
                _layer(values, line, x=_t("date"), y=_q("median")),
                _layer(end, tip, text=_n("label"), x=_t("date"), **at),
            ]
        if close is not None:
            at = [{"date": _iso(close), "label": "batas unggah"}]
            layers.append(_layer(at, {"type": "rule", "color": "#777777", "strokeDash": [2, 2]}, x=_t("date")))
            text_mark = {"type": "text", "align": "right", "color": "#555555", "dx": -3, "fontSize": 9}
            text_mark["y"] = height - 10
            layers.append(_layer(at, text_mark, text=_n("label"), x=_t("date")))
    if mark is not None:
        at = [{"date": _iso(mark), "label": text.date(mark, "d MMM y")}]
        layers.append(_layer(at, {"type": "rule", "color": "#333333", "strokeWidth": 2}, x=_t("date")))
        layers.append(
            _layer(
                at, {"type": "text", "align": "left", "dx": 4, "fontSize": 10, "y": 8}, text=_n("label"), x=_t("date")
            )
        )
    return _chart(layers, width, height)


def _ends(dates: pd.Series) -> pd.Series:
    """The first and last of ``dates`` (axis ticks for a forecast: where it starts and ends)."""
    d = pd.to_datetime(pd.Series(list(dates)))
    return pd.Series([d.min(), d.max()])


def _band_layers(
    path: pd.DataFrame, name: str, colour: str = PALETTE["expected"], top: int | None = None
) -> list[Spec]:
    """A shaded 80% band (``p10``–``p90``) with a dotted median and a direct label at the end (or
    ``top`` pixels from the top of the chart)."""
    data = path.assign(date=pd.to_datetime(path["date"]))
    values = _values(data, ["date", "p10", "median", "p90"])
    band = _layer(
        values, {"type": "area", "color": colour, "opacity": 0.25}, x=_t("date"), y=_q("p10"), y2={"field": "p90"}
    )
    median = _layer(
        values, {"type": "line", "color": colour, "strokeDash": [2, 2], "strokeWidth": 2}, x=_t("date"), y=_q("median")
    )
    label = (
        f"{name} {text.percent(float(data['median'].iloc[-1]), 0)} "
        f"(8 dari 10: {text.band(float(data['p10'].iloc[-1]), float(data['p90'].iloc[-1]))})"
    )
    end = [{**values[-1], "label": label}]
    text_mark: Spec = {"type": "text", "align": "right", "color": "#1F4E79", "dx": 0, "fontSize": 10}
    if top is None:
        text_mark["dy"] = -8
        return [band, median, _layer(end, text_mark, text=_n("label"), x=_t("date"), y=_q("p90"))]
    return [band, median, _layer(end, text_mark, text=_n("label"), x=_t("date"), y={"value": top})]


def area_chart(
    by_area: pd.DataFrame,
    target: float,
    *,
    width: int = WIDTH - 200,
    step: int = 24,
    label_limit: int = 260,
    compact: bool = False,
    bands: Bands | None = None,
    shorts: Mapping[str, str] | None = None,
) -> Spec:
    """Verified score per area as bars, the claim as a tick, the target as a rule, ``bands``'
    bounds as thin lines named above the plot (``compact``: no value labels, which would sit on
    the ticks in a small chart). Each area is labelled with its short name in ``shorts`` (area
    code → the dashboard's name, :func:`~mcp_lib.brief.blocks.area_labels`), else its full name."""
    data = by_area.assign(
        area_name=area_labels(by_area, shorts or {}), verified_label=by_area["verified"].map(text.number)
    )
    values = _values(data, ["area_name", "verified", "claim", "verified_label"])
    y = _n("area_name", axis={"labelLimit": label_limit}, sort=None, title=None)
    bars = _layer(
        values,
        {"type": "bar", "color": PALETTE["verified"], "height": 14},
        x=_q("verified", scale={"domain": [0, 100]}, title="Nilai terverifikasi (%)"),
        y=y,
    )
    ticks = _layer(values, {"type": "tick", "color": PALETTE["claim"], "size": 18, "thickness": 3}, x=_q("claim"), y=y)
    labels = _layer(
        values,
        {"type": "text", "align": "left", "dx": 4, "fontSize": 10},
        text=_n("verified_label"),
        x=_q("verified"),
        y=y,
    )
    layers = [bars, ticks] if compact else [bars, ticks, labels]
    return _chart([*layers, *_band_lines(bands, "x"), _rules(target, None, channel="x")], width, {"step": step})


def opd_chart(by_opd: pd.DataFrame) -> Spec:
    """Points of the total still open per OPD, largest first."""
    data = by_opd[by_opd["points_open"] > 0.005].assign(
        label=lambda d: d["points_open"].map(lambda v: text.number(v, 2))
    )
    values = _values(data, ["opd", "points_open", "label"])
    y = _n("opd", axis={"labelLimit": 200}, sort="-x", title=None)
    bars = _layer(
        values,
        {"type": "bar", "color": PALETTE["open"], "height": 14},
        x=_q("points_open", title="Poin nilai total yang masih terbuka"),
        y=y,
    )
    labels = _layer(
        values, {"type": "text", "align": "left", "dx": 4, "fontSize": 10}, text=_n("label"), x=_q("points_open"), y=y
    )
    return _chart([bars, labels], WIDTH - 200, {"step": 24})


def path_chart(schedule: pd.DataFrame, target: float, last_final: tuple[int, float] | None = None) -> Spec:
    """Month-end score: realised, planned (all accepted), and the plan under verification risk
    as an 80% band with its median.

    ``schedule`` as :attr:`mcp_lib.plan.planner.Plan.schedule` (``date, series, score``).
    """
    names = {"realisasi": "Realisasi", "rencana": "Rencana (semua diterima)"}
    lines_data = schedule[schedule["series"].isin(list(names))]
    data = lines_data.assign(series=lines_data["series"].map(names), date=pd.to_datetime(lines_data["date"]))
    domain = list(names.values())
    lines = _layer(
        _values(data, ["date", "series", "score"]),
        {"type": "line", "point": True},
        color=_n("series", scale={"domain": domain, "range": [PALETTE["verified"], PALETTE["plan"]]}, title=None),
        strokeDash=_n("series", scale={"domain": domain, "range": [[1, 0], [1, 0]]}),
        x=_date_axis(data["date"]),
        y=_q("score", scale={"domain": [0, 100]}, title="Nilai (%)"),
    )
    risky = schedule[schedule["series"].str.startswith("rencana ")]
    layers = [lines, _rules(target, last_final)]
    if not risky.empty:
        wide = risky.pivot_table(index="date", columns="series", values="score").reset_index()
        wide = wide.rename(columns={"rencana p10": "p10", "rencana median": "median", "rencana p90": "p90"})
        layers = [*_band_layers(wide, "Dengan risiko verifikasi:"), *layers]
    return _chart(layers, WIDTH, 260)


def cumulative_chart(
    plan_docs: pd.DataFrame,
    current: float,
    target: float,
    first_step: pd.DataFrame | None = None,
    *,
    total: float | None = None,
    penalty: float = 0.0,
) -> Spec:
    """Cumulative verified score as the plan's documents are done (all accepted).

    ``current`` is the score shown now; with a year's ``penalty``, ``total`` is the score before
    it, and each step is shown as :func:`mcp_lib.scoring.after_penalty` makes it (a penalty larger
    than the score keeps the first steps at 0 instead of counting them from 0). When
    ``first_step`` (a smaller plan nested in this one, e.g. to keep last year's score) is given,
    its documents come first and the point where it is complete is marked.
    """

    gains = plan_docs.set_index("doc_code")["gain"]
    order = list(plan_docs["doc_code"])
    if first_step is not None:
        first = [c for c in first_step["doc_code"] if c in gains.index]
        order = first + [c for c in order if c not in set(first)]
    base = float(current) if total is None else float(total)
    steps = after_penalty((base + gains.loc[order].cumsum()).to_numpy(float), penalty if total is not None else 0.0)
    scores = [float(current), *steps.tolist()]
    line = _layer(
        [{"n": n, "score": score} for n, score in enumerate(scores)],
        {"type": "line", "color": PALETTE["plan"], "interpolate": "step-after"},
        x=_q("n", title="Jumlah dokumen rencana yang selesai"),
        y=_q("score", scale={"domain": [max(0, min(current, target) - 5), 100]}, title="Nilai (%)"),
    )
    layers = [line, _rules(target, None)]
    if first_step is not None and len(first_step):
        n = len(first)
        marker = [{"n": n, "score": scores[n], "label": f"Langkah pertama: {text.percent(scores[n])}"}]
        point = {"type": "point", "color": PALETTE["last_year"], "filled": True, "shape": "diamond", "size": 120}
        layers.append(_layer(marker, point, x=_q("n"), y=_q("score")))
        text_mark = {"type": "text", "align": "right", "dx": -8, "dy": -8, "fontSize": 10}
        layers.append(_layer(marker, text_mark, text=_n("label"), x=_q("n"), y=_q("score")))
    return _chart(layers, WIDTH, 220)


def warm_up() -> None:
    """Start vl-convert's engine with a one-point chart: the first conversion in a process takes
    ~1 s (a new kernel does it while it boots, :attr:`mcp_lib.run.kernel.KernelSession.PRELOAD`)."""
    to_svg(_chart([_layer([{"x": 0.0}], {"type": "point"}, x=_q("x"))], 10, 10))


_RENDERED: dict[str, str] = {}
"""SVG of the charts rendered in this process, by their full specification (data included): the
brief's notebooks show some of the same charts (the trend in all three, the path in 02 and 03),
and each is drawn once per kernel. Bounded: emptied at :data:`_RENDERED_MAX` entries."""
_RENDERED_MAX = 64


def to_svg(spec: Spec) -> str:
    """Render a chart to a standalone SVG string offline, Indonesian formats, ``mcp`` theme."""
    key = json.dumps(spec, sort_keys=True, ensure_ascii=False)
    svg = _RENDERED.get(key)
    if svg is None:
        svg = vlc.vegalite_to_svg(spec, format_locale=text.D3_NUMBER_LOCALE, time_format_locale=text.d3_time_locale())
        if len(_RENDERED) >= _RENDERED_MAX:
            _RENDERED.clear()
        _RENDERED[key] = svg
    return svg


# What Vega's SVG renderer repeats on every element and the brief can say once (issue 16: these were
# a third of the charts' bytes): values that are the SVG default, and the per-mark ARIA tree, which
# a chart shown as one image (role="img" with its caption as the name) hides from readers anyway.
# Vega's class names (mark-rule role-axis-grid, background, ...) are hooks for style sheets; the
# brief has none for them.
_REDUNDANT = re.compile(
    r' (?:opacity="1"|pointer-events="none"|aria-hidden="true"|role="graphics-(?:object|symbol)"'
    r'|aria-roledescription="[^"]*"|transform="translate\(0,0\)"'
    r'|class="(?:mark-|role-|background|foreground)[^"]*")'
)
_GROUP_STROKE = re.compile(r"<g [^>]*stroke-width=")
# Paths that draw nothing: hidden ones, and bare ones (a group's background, an empty legend
# symbol) when no group gives them a fill or a stroke to inherit (Vega's outer group says
# fill="none").
_HIDDEN = re.compile(r'<path d="[^"]*" display="none"/>')
_BARE = re.compile(r'<path d="[^"]*"/>')
_GROUP_PAINT = re.compile(r'<g [^>]*(?:fill="(?!none")|stroke=")')
# Vega writes positions with up to 16 decimals; four are below what any screen or printer shows
# (checked in Chromium: the same pixels, but for a few a step of brightness apart; two decimals
# visibly moved the edges of text and of the points' circles).
_GEOMETRY = re.compile(r' (d|transform)="([^"]*)"')
_LONG_NUMBER = re.compile(r"-?\d+\.\d{5,}")
_TEXT_SIZE = re.compile(r'<text [^>]*font-size="([^"]*)"')


def _four_decimals(number: re.Match[str]) -> str:
    short = f"{float(number.group()):.4f}".rstrip("0").rstrip(".")
    return "0" if short == "-0" else short


def _font_size_once(svg: str) -> str:
    """The most common font size given once on the ``<svg>`` element, when every text has its
    own (so none that had the default inherits it)."""
    sizes = _TEXT_SIZE.findall(svg)
    if not sizes or len(sizes) != len(re.findall("<text[ >]", svg)) or "font-size" in svg[: svg.index(">")]:
        return svg
    common = max(sorted(set(sizes)), key=sizes.count)
    return svg.replace(f' font-size="{common}"', "").replace("<svg ", f'<svg font-size="{common}" ', 1)


def compact_svg(svg: str) -> str:
    """The same picture in fewer bytes: the font given once on the ``<svg>`` element (inherited by
    every text) instead of on each text, the attributes of :data:`_REDUNDANT` dropped,
    ``stroke-width="1"`` (the default) dropped where no group sets another width to inherit,
    paths that draw nothing dropped, and positions rounded to four decimals."""
    svg = _font_size_once(svg)
    font = f' font-family="{text.escape(FONT)}"'
    if font in svg:
        svg = svg.replace(font, "").replace("<svg ", f"<svg{font} ", 1)
    if not _GROUP_STROKE.search(svg):
        svg = svg.replace(' stroke-width="1"', "")
    svg = _HIDDEN.sub("", _REDUNDANT.sub("", svg))
    if not _GROUP_PAINT.search(svg):
        svg = _BARE.sub("", svg)
    return _GEOMETRY.sub(lambda m: f' {m.group(1)}="{_LONG_NUMBER.sub(_four_decimals, m.group(2))}"', svg)


def figure(chart: Spec, caption: str) -> str:
    """An HTML ``<figure>`` with the chart's inline SVG and an escaped caption (also the SVG's
    accessible name: the chart is one image to a screen reader, described by its caption)."""
    svg = compact_svg(to_svg(chart))
    label = text.escape(caption)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
    return f'<figure class="chart">{svg}<figcaption>{label}</figcaption></figure>'
