"""The brief as PDF (`mcp brief --pdf`): A4, the print view, charts as vectors; a clear word without a browser."""

import os
import re
import stat

import pytest

from mcp_lib import pdf, text
from mcp_lib.cli import main
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
    """`mcp brief --pdf` on the sample: every page A4, as many pages as its footer says, the pemda
    and the headline score in its text, the charts as vector paths (no picture in the file)."""
    from pypdf import PdfReader

    from mcp_lib.framework_files import load_framework
    from mcp_lib.pemda_file import load_pemda
    from mcp_lib.snapshot import load_period

    args = ["brief", "--pemda", "kota-lubuklinggau", "--period", "2023-10", "--out", str(tmp_path), "--pdf"]
    assert main(args) == 0
    out = capsys.readouterr().out
    path = tmp_path / "kota-lubuklinggau" / "2023-10" / "brief.pdf"
    assert f"Brief (PDF, A4, untuk dibagikan di WhatsApp): {path}" in out.replace("\n", "")
    reader = PdfReader(path)
    pages = [page.extract_text() for page in reader.pages]
    words = "\n".join(pages)
    assert 3 <= len(pages) <= 20
    assert re.search(r"Halaman 1 dari (\d+)", pages[0]).group(1) == str(len(pages))
    assert all(abs(float(p.mediabox.width) - 595) < 2 and abs(float(p.mediabox.height) - 842) < 2 for p in reader.pages)
    pemda = load_pemda("kota-lubuklinggau")
    framework = load_framework(2023)
    scores = score_snapshot(framework, pemda, load_period(pemda, framework, "2023-10"))
    headline = text.percent(scores.verified)  # 64.957 → "65,0%" (half-up, as the brief shows it)
    assert "Kota Lubuklinggau" in words and headline in words
    assert all(not page.images for page in reader.pages)  # charts drawn as vectors, not pictures


@pytest.mark.slow
def test_without_a_browser_the_html_is_still_written(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv(pdf.ENV, str(tmp_path / "tidak-ada-peramban"))
    args = ["brief", "--pemda", "kota-lubuklinggau", "--period", "2023-10", "--out", str(tmp_path / "o"), "--pdf"]
    assert main(args) == 0
    month = tmp_path / "o" / "kota-lubuklinggau" / "2023-10"
    assert (month / "brief.html").is_file() and not (month / "brief.pdf").exists()
    err = capsys.readouterr().err
    assert "PDF tidak dibuat" in err and "Traceback" not in err
