"""Chart specs are valid Vega-Lite (checked here with Altair's schema validation switched on,
since rendering skips it for speed) and render to SVG offline."""

import altair as alt
import jsonschema
import pytest

from mcp_lib import charts


@pytest.fixture
def sample(lubuklinggau_2023_10):
    return lubuklinggau_2023_10


@pytest.fixture
def validating(monkeypatch):
    monkeypatch.setattr(charts, "VALIDATE", True)


def _all_charts(b):
    first = b.first_step.documents if b.first_step is not None else None
    return {
        "trend": charts.trend_chart(b.history, b.target, b.pemda.last_final, mark=b.snapshot.date),
        "area": charts.area_chart(b.scores.by_area, b.target),
        "opd": charts.opd_chart(b.scores.by_opd),
        "path": charts.path_chart(b.plan.schedule, b.target, b.pemda.last_final),
        "cumulative": charts.cumulative_chart(b.plan.documents, b.scores.verified, b.target, first),
    }


def test_every_chart_is_a_valid_vega_lite_spec(sample, validating):
    for name, chart in _all_charts(sample).items():
        with alt.theme.enable("mcp"):
            chart.to_dict(validate=True)  # raises on a schema violation
        svg = charts.to_svg(chart)
        assert svg.startswith("<svg") and "</svg>" in svg, name


def test_validation_switch_catches_a_wrong_spec(monkeypatch):
    """The switch really validates: with it on, building a chart whose mark property has the
    wrong type fails; with it off, the same chart builds (rendering then skips the check)."""

    def build():
        return alt.Chart().mark_bar(height="tinggi")

    monkeypatch.setattr(charts, "VALIDATE", False)
    charts._spec_builder(build)()  # no validation: builds
    monkeypatch.setattr(charts, "VALIDATE", True)
    with pytest.raises(jsonschema.ValidationError):
        charts._spec_builder(build)()


def test_rendering_does_not_validate_by_default(sample):
    """Rendering skips the schema check (speed); the same charts as above, same SVG either way."""
    assert charts.VALIDATE is False
    fast = charts.to_svg(_all_charts(sample)["area"])
    charts.VALIDATE = True
    try:
        checked = charts.to_svg(_all_charts(sample)["area"])
    finally:
        charts.VALIDATE = False
    assert fast == checked


def test_a_figure_says_once_what_vega_repeats_on_every_element(sample):
    """figure() gives the font once on the <svg> (inherited by every text), drops what is the SVG
    default or the per-mark ARIA tree, and keeps the chart one image named by its caption. The
    picture is the same (pixel-checked in Chromium when this was made: issue 16); here: the same
    texts, paths, transforms and fills, in order, and the bytes saved."""
    import re

    for name, chart in _all_charts(sample).items():
        raw = charts.to_svg(chart)
        fig = charts.figure(chart, f"Grafik {name} <uji>")
        svg = fig[fig.index("<svg") : fig.index("</svg>") + 6]
        assert svg.startswith(f'<svg role="img" aria-label="Grafik {name} &lt;uji&gt;" font-family="{charts.FONT}" ')
        assert svg.count("font-family=") == 1 and svg.count("aria-") == 1 and svg.count("role=") == 1, name
        assert not re.search(r'opacity="1"|pointer-events=|aria-hidden=|graphics-', svg), name
        for pattern in (r"<text[^>]*>([^<]*)</text>", r' d="[^"]*"', r' transform="([^"]*)"', r' fill="[^"]*"'):
            before = [m for m in re.findall(pattern, raw) if m != "translate(0,0)"]  # the identity: dropped
            assert re.findall(pattern, svg) == before, (name, pattern)
        widths = set(re.findall(r'stroke-width="([^"]*)"', svg))
        assert "1" not in widths and widths <= set(re.findall(r'stroke-width="([^"]*)"', raw)), name
        assert len(svg) < 0.85 * len(raw), (name, len(svg), len(raw))
        assert charts.compact_svg(charts.compact_svg(raw)) == charts.compact_svg(raw)


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
