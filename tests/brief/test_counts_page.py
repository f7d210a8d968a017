"""The brief from dashboard counts (brief/counts_page.py): it says it works from counts, not
documents; escapes what comes from the data; is the same for the same inputs but for its stamp;
says what to ask per area; stays small; and, in headless Chromium, loads nothing, runs nothing and
fits a phone."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import HOSTILE_AREA
from counts_sheet import SAMPLE, fill_counts

from mcp_lib.brief.counts_page import (
    CountsPage,
    area_asks,
    counts_page,
    page_name,
    verdict_key,
    write_counts_page,
)
from mcp_lib.count_forecast import forecast_counts
from mcp_lib.count_scores import counts_from_snapshot, score_counts
from mcp_lib.forecast import ForecastOptions
from mcp_lib.framework.folder import load_framework
from mcp_lib.pemda.counts import COUNTS, AreaCounts, read_counts, write_counts_template
from mcp_lib.pemda.settings import load_pemda
from mcp_lib.pemda.snapshot import load_period

WHEN = dt.datetime(2025, 11, 3, 9, 30)
FAST = ForecastOptions(draws=2000)


def _page(fw, pemda, counts, source=None, options=FAST) -> CountsPage:
    return CountsPage(
        pemda, fw, score_counts(fw, pemda, counts), forecast_counts(fw, pemda, counts, options=options), source
    )


@pytest.fixture(scope="module")
def sample_page() -> CountsPage:
    pemda = load_pemda("kab-musi-rawas")
    fw = load_framework(pemda.framework_year)
    return _page(fw, pemda, read_counts(SAMPLE, fw, pemda), SAMPLE)


@pytest.fixture
def hostile_page(hostile, tmp_path) -> CountsPage:
    """Kota Contoh with markup in its name and its first area's (the framework's) name, read from a
    sheet whose file name carries an image tag."""
    fw, pemda = load_framework(2023, hostile), load_pemda("kota-contoh", hostile)
    sheet = write_counts_template(fw, pemda, tmp_path / "angka <img src=x onerror=alert(9)>.xlsx")
    fill_counts(sheet, counts_from_snapshot(fw, pemda, load_period(pemda, fw, "2023-10")))
    return _page(fw, pemda, read_counts(sheet, fw, pemda), sheet)


def test_the_page_says_it_works_from_the_dashboards_counts_not_documents(sample_page):
    html = counts_page(sample_page, WHEN)
    body = _text(html)
    assert "angka dasbor" in body and "bukan dari dokumen" in body
    assert html.index("bukan dari dokumen") < html.index("Di mana kita")  # at the top
    assert "tidak ada daftar dokumen" in body and "A1-D0000" not in html  # no document stands in it
    assert "Kabupaten Musi Rawas: Oktober 2025" in body and "kab-musi-rawas-2025-10-31.xlsx" in body
    assert "57,8%" in body and "predikat rentan; 15,3 poin lagi ke waspada (73)" in body
    assert "Peluang target" in body and "bila laju sekarang berlanjut" in body
    assert "Galat model pada tahun nyata" in body and "meleset rata-rata 6,1 poin" in body
    assert "A8 Manajemen Barang Milik Daerah" in body
    assert len(html.encode()) < 60_000


def test_everything_from_the_data_is_escaped(hostile_page):
    html = counts_page(hostile_page, WHEN)
    assert "<script" not in html and "<b>Contoh" not in html and 'onload="' not in html
    assert "Kota &lt;b&gt;Contoh&lt;/b&gt;" in html
    assert "&lt;/text&gt;&lt;script&gt;alert(6)&lt;/script&gt;" in html  # the area's name, as text
    assert "angka &lt;img src=x onerror=alert(9)&gt;.xlsx" in html and "<img" not in html  # the file's name
    assert _text(html).count(HOSTILE_AREA) >= 2  # in the table and in what to ask


def test_the_page_is_the_same_for_the_same_inputs_but_for_its_stamp(sample_page, tmp_path):
    first = counts_page(sample_page, WHEN)
    assert counts_page(sample_page, WHEN) == first
    later = counts_page(sample_page, WHEN + dt.timedelta(days=2, minutes=7))
    changed = [(a, b) for a, b in zip(first.splitlines(), later.splitlines(), strict=True) if a != b]
    assert len(changed) == 1 and "brief-footer" in changed[0][0] and "pukul 09.30" in changed[0][0]
    path = write_counts_page(sample_page, tmp_path / "out", WHEN)
    assert (
        path == tmp_path / "out" / page_name(dt.date(2025, 10, 31)) == tmp_path / "out" / "angka-dasbor-2025-10-31.html"
    )
    assert path.read_text(encoding="utf-8") == first
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no temporary file left


def _kota_page(tiny_fw, kota, rows, day=dt.date(2023, 10, 31)) -> CountsPage:
    areas = pd.DataFrame(rows, columns=["area_code", "area_name", "area_score", *COUNTS])
    return _page(tiny_fw, kota, AreaCounts(day, areas))


def test_what_to_ask_follows_the_counts(tiny_fw, kota):
    # A: everything accepted at 100; B: 6 awaiting verification, 1 not uploaded, 1 returned
    page = _kota_page(
        tiny_fw, kota, [("A", "Area A", 100.0, 10, 10, 10, 0, 0, 0), ("B", "Area B", 20.0, 10, 9, 2, 1, 6, 1)]
    )
    asks = dict(area_asks(page))
    assert list(asks) == ["B Area B", "A Area A"]  # most points open first
    assert asks["A Area A"].startswith("tidak ada poin terbuka")
    b = asks["B Area B"]
    # B weighs 37,5 of a kota's total, 30 points open over 8 documents not accepted: 3,75 each
    assert b.startswith("30,00 poin terbuka. 6 dokumen menunggu verifikasi: minta KPK memverifikasinya (±22,5 poin")
    assert "1 dokumen dikembalikan: OPD memperbaiki dan mengunggah ulang sebelum 31 Desember 2023 (±3,8" in b
    assert "1 dokumen belum diunggah: pekerjaan OPD" in b and "tidak bisa lagi" not in b
    late = _kota_page(
        tiny_fw,
        kota,
        [("A", "Area A", 100.0, 10, 10, 10, 0, 0, 0), ("B", "Area B", 20.0, 10, 9, 2, 1, 6, 1)],
        dt.date(2024, 1, 5),
    )
    assert (
        "belum diunggah: pekerjaan OPD, tanyakan siapa mengunggah apa dan kapan (batas unggah sudah lewat"
        in dict(area_asks(late))["B Area B"]
    )
    partial = _kota_page(
        tiny_fw, kota, [("A", "Area A", 90.0, 10, 10, 10, 0, 0, 0), ("B", "Area B", 20.0, 10, 9, 2, 1, 6, 1)]
    )
    assert "semua dokumen diterima, tetapi 6,25 poin belum diperoleh" in dict(area_asks(partial))["A Area A"]


def test_the_verdict_follows_the_chance_of_the_target(tiny_fw, kota):
    rows = [("A", "Area A", 100.0, 10, 10, 10, 0, 0, 0), ("B", "Area B", 20.0, 10, 9, 2, 1, 6, 1)]
    page = _kota_page(tiny_fw, kota, rows)
    f = page.forecast.total
    for target, key in ((50.0, "aman"), (100.0, "sulit")):
        moved = dataclasses.replace(
            page,
            forecast=dataclasses.replace(
                page.forecast, total=dataclasses.replace(f, target=target, p_target=1.0 if target == 50 else 0.1)
            ),
        )
        assert verdict_key(moved) == key
    gone = dataclasses.replace(
        page, forecast=dataclasses.replace(page.forecast, total=dataclasses.replace(f, reachable=False))
    )
    assert verdict_key(gone) == "tidak" and "TIDAK TERCAPAI" in counts_page(gone, WHEN)
    final = _kota_page(tiny_fw, kota, rows, dt.date(2024, 1, 20))
    assert verdict_key(final) == "final" and "sudah final" in _text(counts_page(final, WHEN))


def _text(html: str) -> str:
    """The page's visible text, roughly: tags out, entities in."""
    import html as h

    body = html[html.index("<body>") :]
    return h.unescape(re.sub(r"<[^>]+>", " ", body)).replace("  ", " ")


# --- in a browser ------------------------------------------------------------------------------------------

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import chromium  # noqa: E402

CHROMIUM = chromium.find()


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
@pytest.mark.parametrize("width", [1000, 390])
def test_in_chromium_it_loads_nothing_runs_nothing_and_fits_a_phone(hostile_page, tmp_path, width):
    sync_api = pytest.importorskip("playwright.sync_api")
    path = write_counts_page(hostile_page, tmp_path, WHEN)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=chromium.FLAGS)
        context = browser.new_context(offline=True, viewport={"width": width, "height": 900})
        page = context.new_page()
        seen: list[str] = []
        page.on("request", lambda r: seen.append(r.url))
        page.on("dialog", lambda d: (seen.append(d.message), d.dismiss()))
        page.goto(path.as_uri(), wait_until="load")
        assert seen == [path.as_uri()]  # the file itself and nothing else, no dialog
        assert page.eval_on_selector_all("script, iframe, img, object, embed", "els => els.length") == 0
        body = page.inner_text("body")
        assert HOSTILE_AREA in body and "Kota <b>Contoh</b>" in body
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1  # no sideways scrolling
        pages = len(re.findall(rb"/Type\s*/Page[^s]", page.pdf(format="A4")))
        assert 1 <= pages <= 3, pages  # printable: two areas fit on a few A4 pages
        browser.close()
