"""Altair charts from tidy, pre-aggregated frames, and their offline rendering to inline SVG.

One registered theme (``mcp``) holds the palette and fonts as data. Colour is never the only
signal: series also differ in dash pattern and carry direct labels. :func:`to_svg` renders with
vl-convert (no browser, no network) using Indonesian number and date formats, so the brief needs
no JavaScript at view time.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Callable
from typing import TypeVar

import altair as alt
import pandas as pd
import vl_convert as vlc

from mcp_lib import text

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
VALIDATE = False
"""Validate chart specs against the Vega-Lite schema while building and rendering them.

Off at render time: Altair's jsonschema validation costs more than rendering the SVG (about
0.5 s of a brief's 1 s of charts), and the specs are fixed by this module. The test suite builds
every chart with validation on (``tests/test_charts.py``), so a wrong spec still fails there.
"""

_F = TypeVar("_F", bound=Callable)


def _spec_builder(fn: _F) -> _F:
    """Build the chart with Altair's per-object validation as :data:`VALIDATE` says."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with alt.utils.schemapi.debug_mode(VALIDATE):
            return fn(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


FONT = "Segoe UI, Roboto, Helvetica, Arial, sans-serif"
WIDTH = 560


@alt.theme.register("mcp", enable=False)
def mcp_theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": FONT,
            "background": "white",
            "aria": False,
            "view": {"stroke": None},
            "axis": {
                "labelFontSize": 11,
                "titleFontSize": 11,
                "titleFontWeight": "normal",
                "gridColor": "#EEEEEE",
            },
            "legend": {"labelFontSize": 11, "titleFontSize": 11, "orient": "bottom"},
            "title": {"fontSize": 13, "anchor": "start", "fontWeight": "bold"},
            "range": {"category": list(PALETTE.values())},
        }
    }


# Channels are given as objects, never as shorthand strings: Altair turns a string into a channel
# through a schema lookup that costs ~5 ms each (a third of a brief's chart time).
_CHANNEL = {"x": alt.X, "y": alt.Y}


def _rules(target: float, last_final: tuple[int, float] | None, channel: str = "y") -> alt.LayerChart:
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
        base = alt.Chart(pd.DataFrame({"value": [value], "label": [label]}))
        layers.append(base.mark_rule(color=colour, strokeDash=[6, 3]).encode(**{channel: _CHANNEL[channel]("value:Q")}))
        if channel == "y":
            layers.append(
                base.mark_text(align="left", dx=4, dy=dy, fontSize=10, color=colour).encode(
                    y=alt.Y("value:Q"), x=alt.XValue(0), text=alt.Text("label:N")
                )
            )
    return alt.layer(*layers)


def _date_axis(dates: pd.Series) -> alt.X:
    values = sorted({pd.Timestamp(d) for d in dates})
    return alt.X(
        "date:T",
        title=None,
        axis=alt.Axis(
            format="%d %b", values=[alt.DateTime(year=d.year, month=d.month, date=d.day) for d in values], labelAngle=0
        ),
    )


@_spec_builder
def trend_chart(
    history: pd.DataFrame,
    target: float,
    last_final: tuple[int, float] | None = None,
    mark: dt.date | None = None,
    forecast: pd.DataFrame | None = None,
    close: dt.date | None = None,
) -> alt.LayerChart:
    """Verified and claim score per snapshot, with the target and last year's final as rules.

    ``history`` as from :func:`mcp_lib.trend.score_history` (``date, verified, claim``); ``mark``
    draws a vertical line at a selected snapshot date; ``forecast`` (``date, p10, median, p90``,
    :attr:`mcp_lib.forecast.Forecast.path`) adds the year-end forecast as a shaded 80% band
    with its median dotted; ``close`` marks the upload close with a thin rule.
    """
    data = history.melt(id_vars="date", value_vars=["verified", "claim"], var_name="series", value_name="score")
    data["series"] = data["series"].map({"verified": "Terverifikasi", "claim": "Klaim"})
    data["date"] = pd.to_datetime(data["date"])
    data["label"] = data["score"].map(lambda v: text.number(v))
    axis_dates = data["date"] if forecast is None else pd.concat([data["date"], _ends(forecast["date"])])
    if close is not None and forecast is not None:
        axis_dates = pd.concat([axis_dates, pd.Series([pd.Timestamp(close)])])
    enc = {
        "x": _date_axis(axis_dates),
        "y": alt.Y("score:Q", title="Nilai (%)", scale=alt.Scale(domain=[0, 100])),
        "color": alt.Color(
            "series:N",
            title=None,
            scale=alt.Scale(domain=["Terverifikasi", "Klaim"], range=[PALETTE["verified"], PALETTE["claim"]]),
        ),
        "strokeDash": alt.StrokeDash(
            "series:N", scale=alt.Scale(domain=["Terverifikasi", "Klaim"], range=[[1, 0], [5, 3]])
        ),
    }
    lines = alt.Chart(data).mark_line(point=True).encode(**enc)
    last = data[data["date"] == data["date"].max()]
    labels = (
        alt.Chart(last)
        .mark_text(align="left", dx=6, fontSize=11)
        .encode(x=alt.X("date:T"), y=alt.Y("score:Q"), text=alt.Text("label:N"), color=enc["color"])
    )
    layers = [lines, labels, _rules(target, last_final)]
    if forecast is not None and len(forecast) > 1:
        layers = [*_band_layers(forecast, "Proyeksi"), *layers]
        if close is not None:
            at = pd.DataFrame({"date": [pd.Timestamp(close)], "label": ["batas unggah"]})
            layers.append(alt.Chart(at).mark_rule(color="#777777", strokeDash=[2, 2]).encode(x=alt.X("date:T")))
            layers.append(
                alt.Chart(at)
                .mark_text(align="right", dx=-3, y=250, fontSize=9, color="#555555")
                .encode(x=alt.X("date:T"), text=alt.Text("label:N"))
            )
    if mark is not None:
        at = pd.DataFrame({"date": [pd.Timestamp(mark)], "label": [text.date(mark, "d MMM y")]})
        layers.append(alt.Chart(at).mark_rule(color="#333333", strokeWidth=2).encode(x=alt.X("date:T")))
        layers.append(
            alt.Chart(at)
            .mark_text(align="left", dx=4, y=8, fontSize=10)
            .encode(x=alt.X("date:T"), text=alt.Text("label:N"))
        )
    return alt.layer(*layers).properties(width=WIDTH, height=260)


def _ends(dates: pd.Series) -> pd.Series:
    """The first and last of ``dates`` (axis ticks for a forecast: where it starts and ends)."""
    d = pd.to_datetime(pd.Series(list(dates)))
    return pd.Series([d.min(), d.max()])


def _band_layers(path: pd.DataFrame, name: str, colour: str = PALETTE["expected"]) -> list[alt.Chart]:
    """A shaded 80% band (``p10``–``p90``) with a dotted median and a direct label at the end."""
    data = path.assign(date=pd.to_datetime(path["date"]))
    band = (
        alt.Chart(data)
        .mark_area(opacity=0.25, color=colour)
        .encode(x=alt.X("date:T"), y=alt.Y("p10:Q"), y2=alt.Y2("p90:Q"))
    )
    median = (
        alt.Chart(data)
        .mark_line(color=colour, strokeDash=[2, 2], strokeWidth=2)
        .encode(x=alt.X("date:T"), y=alt.Y("median:Q"))
    )
    end = data.iloc[[-1]].assign(
        label=f"{name} {text.percent(float(data['median'].iloc[-1]), 0)} "
        f"(80%: {text.number(float(data['p10'].iloc[-1]), 0)}–{text.percent(float(data['p90'].iloc[-1]), 0)})"
    )
    label = (
        alt.Chart(end)
        .mark_text(align="right", dx=0, dy=-8, fontSize=10, color="#1F4E79")
        .encode(x=alt.X("date:T"), y=alt.Y("p90:Q"), text=alt.Text("label:N"))
    )
    return [band, median, label]


@_spec_builder
def area_chart(by_area: pd.DataFrame, target: float) -> alt.LayerChart:
    """Verified score per area as bars, the claim as a tick, the target as a rule."""
    data = by_area.assign(
        verified_label=by_area["verified"].map(text.number),
    )[["area_name", "verified", "claim", "verified_label"]]
    y = alt.Y("area_name:N", title=None, sort=None, axis=alt.Axis(labelLimit=260))
    bars = (
        alt.Chart(data)
        .mark_bar(color=PALETTE["verified"], height=14)
        .encode(y=y, x=alt.X("verified:Q", title="Nilai terverifikasi (%)", scale=alt.Scale(domain=[0, 100])))
    )
    ticks = alt.Chart(data).mark_tick(color=PALETTE["claim"], thickness=3, size=18).encode(y=y, x=alt.X("claim:Q"))
    labels = (
        alt.Chart(data)
        .mark_text(align="left", dx=4, fontSize=10)
        .encode(y=y, x=alt.X("verified:Q"), text=alt.Text("verified_label:N"))
    )
    return alt.layer(bars, ticks, labels, _rules(target, None, channel="x")).properties(
        width=WIDTH - 200, height=alt.Step(24)
    )


@_spec_builder
def opd_chart(by_opd: pd.DataFrame) -> alt.LayerChart:
    """Points of the total still open per OPD, largest first."""
    data = by_opd[by_opd["points_open"] > 0.005].assign(
        label=lambda d: d["points_open"].map(lambda v: text.number(v, 2))
    )
    y = alt.Y("opd:N", title=None, sort="-x", axis=alt.Axis(labelLimit=200))
    bars = (
        alt.Chart(data)
        .mark_bar(color=PALETTE["open"], height=14)
        .encode(y=y, x=alt.X("points_open:Q", title="Poin nilai total yang masih terbuka"))
    )
    labels = (
        alt.Chart(data)
        .mark_text(align="left", dx=4, fontSize=10)
        .encode(y=y, x=alt.X("points_open:Q"), text=alt.Text("label:N"))
    )
    return (bars + labels).properties(width=WIDTH - 200, height=alt.Step(24))


@_spec_builder
def path_chart(schedule: pd.DataFrame, target: float, last_final: tuple[int, float] | None = None) -> alt.LayerChart:
    """Month-end score: realised, planned (all accepted), and the plan under verification risk
    as an 80% band with its median.

    ``schedule`` as :attr:`mcp_lib.planner.Plan.schedule` (``date, series, score``).
    """
    names = {"realisasi": "Realisasi", "rencana": "Rencana (semua diterima)"}
    lines_data = schedule[schedule["series"].isin(list(names))]
    data = lines_data.assign(series=lines_data["series"].map(names), date=pd.to_datetime(lines_data["date"]))
    domain = list(names.values())
    colour = alt.Color(
        "series:N", title=None, scale=alt.Scale(domain=domain, range=[PALETTE["verified"], PALETTE["plan"]])
    )
    dash = alt.StrokeDash("series:N", scale=alt.Scale(domain=domain, range=[[1, 0], [1, 0]]))
    lines = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=_date_axis(data["date"]),
            y=alt.Y("score:Q", title="Nilai (%)", scale=alt.Scale(domain=[0, 100])),
            color=colour,
            strokeDash=dash,
        )
    )
    risky = schedule[schedule["series"].str.startswith("rencana ")]
    layers = [lines, _rules(target, last_final)]
    if not risky.empty:
        wide = risky.pivot_table(index="date", columns="series", values="score").reset_index()
        wide = wide.rename(columns={"rencana p10": "p10", "rencana median": "median", "rencana p90": "p90"})
        layers = [*_band_layers(wide, "Dengan risiko verifikasi:"), *layers]
    return alt.layer(*layers).properties(width=WIDTH, height=260)


@_spec_builder
def cumulative_chart(
    plan_docs: pd.DataFrame, current: float, target: float, first_step: pd.DataFrame | None = None
) -> alt.LayerChart:
    """Cumulative verified score as the plan's documents are done (all accepted).

    When ``first_step`` (a smaller plan nested in this one, e.g. to keep last year's score) is
    given, its documents come first and the point where it is complete is marked.
    """
    gains = plan_docs.set_index("doc_code")["gain"]
    order = list(plan_docs["doc_code"])
    if first_step is not None:
        first = [c for c in first_step["doc_code"] if c in gains.index]
        order = first + [c for c in order if c not in set(first)]
    scores = [current, *(current + gains.loc[order].cumsum()).tolist()]
    data = pd.DataFrame({"n": range(len(scores)), "score": scores})
    line = (
        alt.Chart(data)
        .mark_line(interpolate="step-after", color=PALETTE["plan"])
        .encode(
            x=alt.X("n:Q", title="Jumlah dokumen rencana yang selesai"),
            y=alt.Y("score:Q", title="Nilai (%)", scale=alt.Scale(domain=[max(0, min(current, target) - 5), 100])),
        )
    )
    layers = [line, _rules(target, None)]
    if first_step is not None and len(first_step):
        n = len(first)
        marker = pd.DataFrame(
            {"n": [n], "score": [scores[n]], "label": [f"Langkah pertama: {text.percent(scores[n])}"]}
        )
        point = alt.Chart(marker).mark_point(shape="diamond", size=120, filled=True, color=PALETTE["last_year"])
        layers.append(point.encode(x=alt.X("n:Q"), y=alt.Y("score:Q")))
        layers.append(
            alt.Chart(marker)
            .mark_text(align="right", dx=-8, dy=-8, fontSize=10)
            .encode(x=alt.X("n:Q"), y=alt.Y("score:Q"), text=alt.Text("label:N"))
        )
    return alt.layer(*layers).properties(width=WIDTH, height=220)


def warm_up() -> None:
    """Start vl-convert's engine with a one-point chart: the first conversion in a process takes
    ~1 s (a new kernel does it while it boots, :attr:`mcp_lib.kernel.KernelSession.PRELOAD`)."""
    to_svg(alt.Chart(pd.DataFrame({"x": [0.0]})).mark_point().encode(x="x:Q"))


_RENDERED: dict[str, str] = {}
"""SVG of the charts rendered in this process, by their full specification (data included): the
brief's notebooks show some of the same charts (the trend in all three, the path in 02 and 03),
and each is drawn once per kernel. Bounded: emptied at :data:`_RENDERED_MAX` entries."""
_RENDERED_MAX = 64


def to_svg(chart: alt.TopLevelMixin) -> str:
    """Render a chart to a standalone SVG string offline, Indonesian formats, ``mcp`` theme."""
    with alt.theme.enable("mcp"), alt.utils.schemapi.debug_mode(VALIDATE):
        spec = chart.to_dict(validate=VALIDATE)
    key = json.dumps(spec, sort_keys=True, ensure_ascii=False, default=str)
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


def compact_svg(svg: str) -> str:
    """The same picture in fewer bytes: the font given once on the ``<svg>`` element (inherited by
    every text) instead of on each text, the attributes of :data:`_REDUNDANT` dropped, and
    ``stroke-width="1"`` (the default) dropped where no group sets another width to inherit."""
    font = f' font-family="{text.escape(FONT)}"'
    if font in svg:
        svg = svg.replace(font, "").replace("<svg ", f"<svg{font} ", 1)
    if not _GROUP_STROKE.search(svg):
        svg = svg.replace(' stroke-width="1"', "")
    return _REDUNDANT.sub("", svg)


def figure(chart: alt.TopLevelMixin, caption: str) -> str:
    """An HTML ``<figure>`` with the chart's inline SVG and an escaped caption (also the SVG's
    accessible name: the chart is one image to a screen reader, described by its caption)."""
    svg = compact_svg(to_svg(chart))
    label = text.escape(caption)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
    return f'<figure class="chart">{svg}<figcaption>{label}</figcaption></figure>'
