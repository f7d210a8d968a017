"""The brief as PDF (`mcp brief --pdf`): A4, the print view, charts as vectors; a clear word without a browser."""

import os
import re
import stat

import pytest

from mcp_lib import text
from mcp_lib.app.cli import main
from mcp_lib.brief import pdf
from mcp_lib.brief.request import BriefRequest
from mcp_lib.scoring import score_snapshot

POSIX = pytest.mark.skipif(os.name == "nt", reason="uses a shell script as a stand-in browser")


def test_the_browser_named_in_the_environment_wins(monkeypatch, tmp_path):
    monkeypatch.setenv(pdf.ENV, str(tmp_path / "edge.exe"))
    assert pdf.find_browser() == str(tmp_path / "edge.exe")


def test_no_browser_anywhere(monkeypatch, tmp_path):
    monkeypatch.delenv(pdf.ENV, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert pdf.find_browser(platform="linux") is None
    with pytest.raises(pdf.PdfUnavailable) as err:
        pdf.write_pdf(tmp_path / "brief.html", tmp_path / "brief.pdf")
    message = str(err.value)
    assert message.startswith("PDF tidak dibuat: tidak ada peramban")
    assert "Microsoft Edge" in message and "apt-get install chromium" in message and pdf.ENV in message
    assert not (tmp_path / "brief.pdf").exists()


def test_edge_and_chrome_are_found_where_windows_installs_them(monkeypatch, tmp_path):
    edge = tmp_path / "x86" / "Microsoft" / "Edge" / "Application" / "msedge.exe"
    edge.parent.mkdir(parents=True)
    edge.write_bytes(b"")
    monkeypatch.delenv(pdf.ENV, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "kosong"))
    monkeypatch.setenv("PROGRAMFILES(X86)", str(tmp_path / "x86"))
    assert pdf.find_browser(platform="windows") == str(edge)
    assert pdf.find_browser(platform="linux") is None


@POSIX
def test_a_browser_that_fails_is_told_and_leaves_nothing(tmp_path):
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\necho 'kaput: no display' >&2\nexit 3\n", encoding="utf-8")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    html = tmp_path / "brief.html"
    html.write_text("<p>x</p>", encoding="utf-8")
    with pytest.raises(pdf.PdfUnavailable, match=r"gagal mencetak \(kaput: no display\)"):
        pdf.write_pdf(html, tmp_path / "brief.pdf", browser=str(fake))
    with pytest.raises(pdf.PdfUnavailable, match="tidak ditemukan"):
        pdf.write_pdf(html, tmp_path / "brief.pdf", browser=str(tmp_path / "tidak-ada"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.html", "chromium"]


CHROMIUM = pdf.find_browser()


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium/Chrome/Edge (apt-get install chromium): cannot print")
def test_brief_pdf_of_the_sample(tmp_path, capsys):
    """`mcp brief --pdf` on the sample: two PDFs named with pemda and period (the whole brief and
    its two summary pages), every page A4 with the pemda, the data date and the generation date in
    its footer and as many pages as it says, the headline score in the text, the charts as vector
    paths (no picture in the file)."""
    from pypdf import PdfReader

    from mcp_lib.framework.folder import load_framework
    from mcp_lib.pemda.settings import load_pemda
    from mcp_lib.pemda.snapshot import load_period

    args = ["brief", "--pemda", "kota-lubuklinggau", "--period", "2023-10", "--out", str(tmp_path), "--pdf"]
    assert main(args) == 0
    out = capsys.readouterr().out.replace("\n", "")
    month = tmp_path / "kota-lubuklinggau" / "2023-10"
    full, summary = month / "brief-kota-lubuklinggau-2023-10.pdf", month / "ringkasan-kota-lubuklinggau-2023-10.pdf"
    assert f"Brief (PDF, A4, untuk dibagikan di WhatsApp): {full}" in out
    assert f"Ringkasan dua halaman (PDF): {summary}" in out
    assert sorted(p.name for p in month.glob("*.pdf")) == [full.name, summary.name]
    reader = PdfReader(full)
    pages = [page.extract_text() for page in reader.pages]
    words = "\n".join(pages)
    assert 5 <= len(pages) <= 25
    for i, page in enumerate(pages, start=1):
        assert f"Halaman {i} dari {len(pages)}" in page
        assert re.search(r"Kota Lubuklinggau · data per 31 Oktober 2023 · dibuat \d+ \w+ 20\d\d pukul", page)
    assert all(abs(float(p.mediabox.width) - 595) < 2 and abs(float(p.mediabox.height) - 842) < 2 for p in reader.pages)
    pemda = load_pemda("kota-lubuklinggau")
    framework = load_framework(2023)
    scores = score_snapshot(framework, pemda, load_period(pemda, framework, "2023-10"))
    headline = text.percent(scores.verified)  # 64.957 → "65,0%" (half-up, as the brief shows it)
    assert "Kota Lubuklinggau" in words and headline in words
    assert all(not page.images for page in reader.pages)  # charts drawn as vectors, not pictures
    _two_summary_pages(pages, summary)


def _two_summary_pages(pages: list[str], summary) -> None:
    """Issue 26: page 1 "Di mana kita", page 2 "Siapa melakukan apa" with the decisions, the
    lampiran from page 3; the summary's own PDF has exactly those two pages."""
    from pypdf import PdfReader

    assert "Di mana kita" in pages[0] and "Sejak rapat lalu" in pages[0]
    assert "Siapa melakukan apa" in pages[1] and "Keputusan yang diminta dari pimpinan" in pages[1]
    assert not re.search(r"^Lampiran$", pages[0] + pages[1], re.M)
    assert re.search(r"^Lampiran$", pages[2], re.M)  # its heading starts the third page
    own = [p.extract_text() for p in PdfReader(summary).pages]
    assert len(own) == 2 and "Keputusan yang diminta" in own[1] and "Lampiran" not in "".join(own)


SUMMARIES = [  # the 2023 sample's: test_brief_pdf_of_the_sample
    ("kab-musi-rawas", "2025-10", None),
    ("kab-bulungan", "2025-10", "Kalimantan Utara"),
]


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium/Chrome/Edge (apt-get install chromium): cannot print")
@pytest.mark.parametrize(("pemda", "period", "province"), SUMMARIES)
def test_the_summary_prints_on_exactly_two_pages(tmp_path, pemda, period, province, warm_kernel):
    """Issue 26 at 680 documents (the 2023 sample's in test_brief_pdf_of_the_sample): the 2025
    sample and a generated 2025 kabupaten print their two summary pages before the lampiran."""
    from pypdf import PdfReader

    from mcp_lib.run.runner import pdf_names, run_brief

    data = None
    if province:
        from mcp_lib.sample.generate import generate_pemda_folders

        data = tmp_path / "data"
        generate_pemda_folders(province, data, framework_year=2025)
    request = BriefRequest(pemda, period, data_dir=data)
    result = run_brief(request, out_root=tmp_path / "out", brief_only=True, pdf=True, session=warm_kernel)
    full_name, summary_name = pdf_names(pemda, period)
    assert (result.pdf.name, result.summary_pdf.name) == (full_name, summary_name)
    _two_summary_pages([p.extract_text() for p in PdfReader(result.pdf).pages], result.summary_pdf)


@pytest.mark.slow
def test_without_a_browser_the_html_is_still_written(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv(pdf.ENV, str(tmp_path / "tidak-ada-peramban"))
    args = ["brief", "--pemda", "kota-lubuklinggau", "--period", "2023-10", "--out", str(tmp_path / "o"), "--pdf"]
    assert main(args) == 0
    month = tmp_path / "o" / "kota-lubuklinggau" / "2023-10"
    assert (month / "brief.html").is_file() and not list(month.glob("*.pdf"))
    err = capsys.readouterr().err
    assert "PDF tidak dibuat" in err and "Traceback" not in err
