"""The provincial overview page (mcp_lib.run.overview), from summary rows, without a kernel."""

import datetime as dt

from conftest import TINY

from mcp_lib.brief import data, steps
from mcp_lib.brief.request import BriefRequest
from mcp_lib.run.batch import BatchOutcome
from mcp_lib.run.overview import at_risk, render_overview


def test_the_overview_ranks_links_and_flags_the_pemda_at_risk(tmp_path):
    row = data.overview_row(steps.prepare(BriefRequest("kota-contoh", "2023-10", data_dir=TINY)))
    other = row | {"slug": "kab-lain", "name": "Kabupaten <Lain>", "verified": row["verified"] + 10}
    brief_dir = tmp_path / "kota-contoh" / "2023-10"
    outcomes = [
        BatchOutcome("kota-contoh", True, 1.0, out_dir=str(brief_dir), summary=row),
        BatchOutcome("kab-lain", True, 1.0, out_dir=str(tmp_path / "kab-lain" / "2023-10"), summary=other),
        BatchOutcome("kab-rusak", False, 0.5, error="status.csv, baris 3: <kosong>"),
    ]
    page = render_overview(outcomes, "Provinsi Uji", "2023-10", tmp_path, dt.datetime(2026, 11, 2, tzinfo=dt.UTC))
    html = page.read_text(encoding="utf-8")
    assert html.index("Kabupaten &lt;Lain&gt;") < html.index("Kota Contoh")  # higher score first
    assert "../../../kota-contoh/2023-10/brief.html" in html  # relative: survives zipping outputs/
    assert "kab-rusak" in html and "&lt;kosong&gt;" in html
    assert at_risk(row) == ((not row["reachable"]) or row["p_target"] < 0.5)
    assert "<script" not in html


def test_a_row_whose_chance_with_the_plan_is_lower_is_explained(tmp_path):
    from mcp_lib.plan.planner import WITH_BELOW_WITHOUT
    from mcp_lib.text import escape

    row = data.overview_row(steps.prepare(BriefRequest("kota-contoh", "2023-10", data_dir=TINY)))
    fine = row | {"p_target": 0.6, "p_without": 0.4}
    outcomes = [BatchOutcome("kota-contoh", True, 1.0, out_dir=str(tmp_path / "a"), summary=fine)]
    html = render_overview(outcomes, "P", "2023-10", tmp_path).read_text(encoding="utf-8")
    assert escape(WITH_BELOW_WITHOUT) not in html
    lower = row | {"p_target": 0.4, "p_without": 0.6}
    outcomes = [BatchOutcome("kota-contoh", True, 1.0, out_dir=str(tmp_path / "a"), summary=lower)]
    html = render_overview(outcomes, "P", "2023-10", tmp_path).read_text(encoding="utf-8")
    assert "40%*</td>" in html and f"* {escape(WITH_BELOW_WITHOUT)}" in html


def test_the_colours_and_their_meaning_come_from_each_framework_s_bands(tmp_path):
    """Two pemda on frameworks with different bands (one with names no code knows, markup in one,
    a colour that is not #rrggbb): each heat cell takes its own framework's colour, a legend says
    each framework's bands in words, names escaped, a bad colour grey and never written out."""
    row = data.overview_row(steps.prepare(BriefRequest("kota-contoh", "2023-10", data_dir=TINY)))
    made_up = [("Dasar <i>", 0.0, "#123456"), ("Atas & Co", 40.0, "url(//evil.example/x.png)")]
    other = row | {
        "slug": "kab-lain",
        "name": "Kab Lain",
        "band": "Atas & Co",
        "band_colour": "url(//evil.example/x.png)",
        "bands": made_up,
        "areas": {"Area A": 50.0, "Area B": 9.0},
    }
    outcomes = [
        BatchOutcome("kota-contoh", True, 1.0, out_dir=str(tmp_path / "a"), summary=row),
        BatchOutcome("kab-lain", True, 1.0, out_dir=str(tmp_path / "b"), summary=other),
    ]
    html = render_overview(outcomes, "P", "2023-10", tmp_path).read_text(encoding="utf-8")
    assert row["areas"] == {"Area A": 50.0, "Area B": 9.0}  # test_explore: Biru and Merah in 2023's bands
    heat = html[html.index('class="heatmap"') :]
    assert 'style="background:#4575b4" title="Biru"' in heat and 'style="background:#d7301f" title="Merah"' in heat
    assert 'style="background:#777777" title="Atas &amp; Co"' in heat  # 50 on the made-up bands
    assert 'style="background:#123456" title="Dasar &lt;i&gt;"' in heat  # 9
    assert "Predikat: " in html and "Merah &lt; 25" in html and "Hijau ≥ 75" in html
    assert "Dasar &lt;i&gt; &lt; 40" in html and "Atas &amp; Co ≥ 40" in html
    assert "evil.example" not in html and "<i>" not in html
