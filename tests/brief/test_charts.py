"""Chart specs are valid Vega-Lite (checked here against the Vega-Lite schema that Altair bundles,
since the package writes the specs directly and rendering does not validate them) and render to
SVG offline."""

import json
import re
import subprocess
import sys

import jsonschema
import pytest
from altair.vegalite.v6 import schema as vega_lite

from mcp_lib.brief import charts


@pytest.fixture
def sample(lubuklinggau_2023_10):
    return lubuklinggau_2023_10


@pytest.fixture(scope="module")
def validator():
    schema = vega_lite.core.load_schema()
    return jsonschema.Draft7Validator(schema)


def _all_charts(b):
    first = b.first_step.documents if b.first_step is not None else None
    f = b.forecast
    bands = b.framework.bands
    return {
        "trend": charts.trend_chart(b.history, b.target, b.pemda.last_final, mark=b.snapshot.date),
        "trend forecast": charts.trend_chart(
            b.history, b.target, None, forecast=f.path, close=f.calendar.close, bands=bands
        ),
        "area": charts.area_chart(b.scores.by_area, b.target, bands=bands),
        "opd": charts.opd_chart(b.scores.by_opd),
        "path": charts.path_chart(b.plan.schedule, b.target, b.pemda.last_final),
        "cumulative": charts.cumulative_chart(b.plan.documents, b.scores.verified, b.target, first),
    }


def test_every_chart_is_a_valid_vega_lite_spec(sample, validator):
    assert sample.first_step is not None and len(sample.forecast.path) > 1  # every optional layer drawn
    for name, spec in _all_charts(sample).items():
        errors = [e.message for e in validator.iter_errors(spec)]
        assert not errors, (name, errors[:3])
        assert spec["$schema"] == vega_lite.SCHEMA_URL  # written for the schema it is checked with
        json.dumps(spec, allow_nan=False)  # plain JSON: no numpy numbers, no NaN
        svg = charts.to_svg(spec)
        assert svg.startswith("<svg") and "</svg>" in svg, name


def test_the_schema_check_catches_a_wrong_spec(sample, validator):
    """The check is real: a mark property of the wrong type, or an unknown encoding channel, fails."""
    spec = charts.area_chart(sample.scores.by_area, sample.target)
    spec["layer"][0]["mark"]["height"] = "tinggi"
    assert not validator.is_valid(spec)
    spec = charts.opd_chart(sample.scores.by_opd)
    spec["layer"][0]["encoding"]["warna"] = {"field": "opd", "type": "nominal"}
    assert not validator.is_valid(spec)


def test_chart_data_is_what_the_frames_hold(sample):
    """Inline data as Vega-Lite reads it: dates as local ISO text, missing values as null, and
    exactly the fields the chart uses."""
    import pandas as pd

    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2023-03-31", None]),
            "score": [64.957, float("nan")],
            "n": [3, 4],
            "unused": ["x", "y"],
        }
    )
    values = charts._values(frame, ["date", "score", "n"])
    assert values == [{"date": "2023-03-31T00:00:00", "score": 64.957, "n": 3}, {"date": None, "score": None, "n": 4}]
    assert type(values[0]["n"]) is int and type(values[0]["score"]) is float
    spec = charts.opd_chart(sample.scores.by_opd)
    rows = spec["layer"][0]["data"]["values"]
    assert set(rows[0]) == {"opd", "points_open", "label"}
    open_ = sample.scores.by_opd[sample.scores.by_opd["points_open"] > 0.005]
    assert [r["opd"] for r in rows] == list(open_["opd"])


def test_the_brief_does_not_import_altair():
    """The kernel imports what the brief's notebooks use as it boots; the charts are plain
    Vega-Lite specs, so Altair (and its object layer's import time) is not among them."""
    code = (
        "import sys, mcp_lib.brief.sections, mcp_lib.brief.plan_sections, mcp_lib.brief.charts, mcp_lib.brief.steps, "
        "mcp_lib.run.runner; "
        "print('altair' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def _numbers(values: list[str]) -> list[float]:
    return [float(x) for v in values for x in re.findall(r"-?\d+(?:\.\d+)?", v)]


def _shape(values: list[str]) -> list[str]:
    return [re.sub(r"-?\d+(?:\.\d+)?", "#", v) for v in values]


def test_a_figure_says_once_what_vega_repeats_on_every_element(sample):
    """figure() gives the font once on the <svg> (inherited by every text), drops what is the SVG
    default or the per-mark ARIA tree, and paths that draw nothing, rounds positions to four
    decimals, and keeps the chart one image named by its caption. The picture is the same
    (pixel-checked in Chromium: issue 16; issue 29, the rounding and the dropped paths: the same
    pixels but for a few one step of brightness apart); here: the same texts, the paths that draw
    and their transforms and fills, in order, and the bytes saved."""
    for name, chart in _all_charts(sample).items():
        raw = charts.to_svg(chart)
        fig = charts.figure(chart, f"Grafik {name} <uji>")
        svg = fig[fig.index("<svg") : fig.index("</svg>") + 6]
        size = re.search(r'font-size="([^"]*)"', svg).group(1)  # the commonest, given once
        assert svg.startswith(
            f'<svg role="img" aria-label="Grafik {name} &lt;uji&gt;" font-family="{charts.FONT}" font-size="{size}" '
        )
        assert svg.count("font-family=") == 1 and svg.count("aria-") == 1 and svg.count("role=") == 1, name
        assert not re.search(r'opacity="1"|pointer-events=|aria-hidden=|graphics-|display="none"', svg), name
        assert re.findall(r"<text[^>]*>([^<]*)</text>", svg) == re.findall(r"<text[^>]*>([^<]*)</text>", raw), name
        sizes = [m or size for m in re.findall(r'<text (?:[^>]*font-size="([^"]*)")?', svg)]
        assert sizes == re.findall(r'<text [^>]*font-size="([^"]*)"', raw), name
        paths = re.findall(r"<path [^>]*>", charts._REDUNDANT.sub("", raw))
        drawn = "".join(p for p in paths if re.search(r' (?!d=)[\w-]+="', p) and 'display="none"' not in p)
        assert "<path " in drawn and len(re.findall(r"<path ", svg)) == len(re.findall(r"<path ", drawn)), name
        for pattern in (r' d="([^"]*)"', r' transform="([^"]*)"'):
            before = [m for m in re.findall(pattern, drawn if "d=" in pattern else raw) if m != "translate(0,0)"]
            after = re.findall(pattern, svg)
            assert _shape(after) == _shape(before), (name, pattern)
            assert _numbers(after) == pytest.approx(_numbers(before), abs=5e-5), (name, pattern)
        assert re.findall(r' fill="[^"]*"', svg) == re.findall(r' fill="[^"]*"', raw), name
        widths = set(re.findall(r'stroke-width="([^"]*)"', svg))
        assert "1" not in widths and widths <= set(re.findall(r'stroke-width="([^"]*)"', raw)), name
        assert len(svg) < 0.8 * len(raw), (name, len(svg), len(raw))
        assert charts.compact_svg(charts.compact_svg(raw)) == charts.compact_svg(raw)


def test_a_path_that_might_draw_is_kept():
    """Bare paths go only while no group gives them a fill or a stroke to inherit, and the font
    size moves to the <svg> only when every text has its own."""
    bare = '<svg width="9"><g fill="none"><path d="M0,0h9v9h-9Z"/><text font-size="11px">a</text></g></svg>'
    assert charts.compact_svg(bare) == '<svg font-size="11px" width="9"><g fill="none"><text>a</text></g></svg>'
    for group in ('<g fill="#000">', '<g fill="none" stroke="#888">'):
        kept = bare.replace('<g fill="none">', group)
        assert '<path d="M0,0h9v9h-9Z"/>' in charts.compact_svg(kept)
    default = bare.replace("</text>", "</text><text>b</text>")  # b has the default size: nothing moves
    assert charts.compact_svg(default).count('font-size="11px"') == 1 and "<svg width" in charts.compact_svg(default)


# --- the bands' lines (issue 29): any framework year's bands.csv, names the code has never seen --

BANDS = {
    2023: [("Merah", 0, "#d7301f"), ("Kuning", 25, "#fdae61"), ("Biru", 50, "#4575b4"), ("Hijau", 75, "#1a9850")],
    2025: [("rentan", 0, "#d7301f"), ("waspada", 73, "#fdae61"), ("terjaga", 78, "#1a9850")],
    "made up": [("Dasar <i>x</i>", 0, "#123456"), ("Madya & Co", 42.5, "#abcdef"), ("Puncak</text>", 87.25, "red")],
}
LINES = {
    2023: [("Kuning ≥ 25", 25, "#fdae61"), ("Biru ≥ 50", 50, "#4575b4"), ("Hijau ≥ 75", 75, "#1a9850")],
    2025: [("waspada ≥ 73", 73, "#fdae61"), ("terjaga ≥ 78", 78, "#1a9850")],
    "made up": [("Madya & Co ≥ 42,5", 42.5, "#abcdef"), ("Puncak</text> ≥ 87,25", 87.25, "#777777")],
}


def _flat(layers: list) -> list:
    return [x for layer in layers for x in (_flat(layer["layer"]) if "layer" in layer else [layer])]


def _band_lines(spec: dict, channel: str) -> list[tuple[str, float, str]]:
    """(label, bound, colour) of each band line: a rule in a band's colour with a text layer on
    the same bound."""
    layers = _flat(spec["layer"])
    rules = {(L["data"]["values"][0]["label"], L["mark"]["color"]): L for L in layers if L["mark"]["type"] == "rule"}
    texts = {L["data"]["values"][0].get("label") for L in layers if L["mark"]["type"] == "text"}
    out = []
    for (label, colour), rule in rules.items():
        if label in texts and channel in rule["encoding"] and "≥" in label:
            out.append((label, rule["data"]["values"][0]["value"], colour))
    return out


@pytest.mark.parametrize("year", list(BANDS))
def test_each_band_bound_is_a_line_in_its_colour_named_at_its_end(year, sample, validator):
    """A rule at every lower bound above 0 (not at 0: the axis), in the band's colour (grey when
    bands.csv's is not #rrggbb), named with the band and its bound, in both charts where a score is
    judged: the trend (lines across, names right of the plot) and the areas (lines down, names
    above); every name escaped in the page."""
    from mcp_lib.framework.model import Bands

    bands = Bands.from_rows(BANDS[year])
    b = sample
    specs = {
        "y": [
            charts.trend_chart(b.history, b.target, b.pemda.last_final, bands=bands),
            charts.trend_chart(
                b.history, b.target, None, forecast=b.forecast.path, bands=bands, width=300, height=180, compact=True
            ),
        ],
        "x": [charts.area_chart(b.scores.by_area, b.target, bands=bands, compact=True)],
    }
    for channel, made in specs.items():
        for spec in made:
            assert _band_lines(spec, channel) == LINES[year]
            assert validator.is_valid(spec)
            svg = charts.figure(spec, "uji")
            for label, _bound, colour in LINES[year]:
                assert f">{charts.text.escape(label)}</text>" in svg and f'stroke="{colour}"' in svg
            assert "<i>" not in svg and "Puncak</text>" not in svg and "Dasar" not in svg  # 0: no line
    plain = charts.trend_chart(b.history, b.target, b.pemda.last_final)
    assert _band_lines(plain, "y") == []  # without bands, the chart as it was


def test_names_of_close_bounds_do_not_overlap():
    """73 and 78 on a 180-pixel chart are 9 pixels apart: their names are set 10 apart (the
    lower one where it belongs, the upper one moved up), and names far apart stay where they are."""
    assert charts._spread([180 * 0.27, 180 * 0.22], 10) == [48.6, 38.6]
    assert charts._spread([135.0, 90.0, 45.0], 10) == [135.0, 90.0, 45.0]


def test_a_chart_drawn_again_in_the_same_process_is_not_rendered_again(sample, monkeypatch):
    """The notebooks of a brief show some charts more than once (the trend in all three): the
    second one comes from the process's rendered charts, the same SVG as a fresh render, and a
    chart that differs in anything (here its target line) is rendered anew."""
    calls = []
    real = charts.vlc.vegalite_to_svg

    def counting(spec, **kwargs):
        calls.append(1)
        return real(spec, **kwargs)

    monkeypatch.setattr(charts.vlc, "vegalite_to_svg", counting)
    monkeypatch.setattr(charts, "_RENDERED", {})
    b = sample
    first = charts.to_svg(charts.trend_chart(b.history, b.target, b.pemda.last_final, mark=b.snapshot.date))
    again = charts.to_svg(charts.trend_chart(b.history, b.target, b.pemda.last_final, mark=b.snapshot.date))
    assert first == again and len(calls) == 1
    other = charts.to_svg(charts.trend_chart(b.history, b.target - 5, b.pemda.last_final, mark=b.snapshot.date))
    assert other != first and len(calls) == 2
    charts._RENDERED.clear()
    assert charts.to_svg(charts.trend_chart(b.history, b.target, b.pemda.last_final, mark=b.snapshot.date)) == first
    assert len(calls) == 3


def test_the_area_chart_labels_an_area_by_its_short_name_escaped(sample, validator):
    by_area = sample.scores.by_area
    spec = charts.area_chart(by_area, sample.target, shorts={by_area["area_code"].iloc[2]: "PBJ & <i>"})
    assert validator.is_valid(spec)
    names = [v["area_name"] for v in spec["layer"][0]["data"]["values"]]
    assert names[2] == "PBJ & <i>" and names[:2] + names[3:] == list(by_area["area_name"].drop(by_area.index[2]))
    svg = charts.figure(spec, "uji")
    assert ">PBJ &amp; &lt;i&gt;</text>" in svg and "<i>" not in svg
    # without short names, the chart it was
    assert charts.area_chart(by_area, sample.target, shorts={}) == charts.area_chart(by_area, sample.target)
