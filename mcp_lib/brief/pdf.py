"""The brief as a PDF (A4, the print view) for WhatsApp groups: ``mcp brief --pdf``, ``mcp batch --pdf``.

Engine: a Chromium-family browser the machine already has, run headless with ``--print-to-pdf``
(Microsoft Edge is on every Windows laptop; Chrome or Chromium elsewhere). It lays the page out
exactly as the brief's print view does in the browser an analyst prints from (the same ``@media
print`` rules, ``@page`` A4 with its margins and "Halaman X dari Y" footer, page breaks kept),
with the charts as vectors (inline SVG) and the text selectable. WeasyPrint was not chosen: on
Windows it needs the GTK/Pango runtime installed by hand, and as a second layout engine it could
break pages differently from the print view the browser tests check.

``MCP_BROWSER`` names the browser to use when it is not found by itself. Without one the HTML is
still written and :class:`PdfUnavailable` says, in Bahasa Indonesia, how to get one.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from mcp_lib.files import write_via_temp

__all__ = ["PdfUnavailable", "find_browser", "write_pdf"]

ENV = "MCP_BROWSER"
NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "microsoft-edge", "msedge", "chrome")
INSTALL = (
    "pasang salah satu peramban (browser) berikut lalu ulangi: Microsoft Edge atau Google Chrome (Windows, "
    "macOS), atau 'sudo apt-get install chromium' (Debian/Ubuntu); atau sebutkan lokasinya di variabel "
    f"lingkungan {ENV}"
)


class PdfUnavailable(Exception):
    """No PDF could be made; the message says why and what to install, in Bahasa Indonesia."""


def _windows_candidates() -> Iterable[Path]:
    for var in ("PROGRAMFILES(X86)", "PROGRAMFILES", "LOCALAPPDATA"):
        base = os.environ.get(var)
        if base:
            yield Path(base) / "Microsoft" / "Edge" / "Application" / "msedge.exe"
            yield Path(base) / "Google" / "Chrome" / "Application" / "chrome.exe"


_MAC = (
    Path("/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"),
    Path("/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge"),
    Path("/Applications/Chromium.app/Contents/MacOS/Chromium"),
)


def find_browser(platform: str | None = None) -> str | None:
    """The browser to print with: ``MCP_BROWSER`` when set, else the first Chromium-family
    browser on ``PATH``, else the usual install places of Edge and Chrome (``platform``
    ``"windows"`` or ``"darwin"``; default: this machine's)."""
    platform = platform or ("windows" if os.name == "nt" else sys.platform)
    chosen = os.environ.get(ENV, "").strip()
    if chosen:
        return chosen
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    places: Iterable[Path] = _windows_candidates() if platform == "windows" else _MAC if platform == "darwin" else ()
    return next((str(p) for p in places if p.is_file()), None)


def _command(browser: str, html: Path, pdf: Path, profile: Path) -> list[str]:
    flags = [
        "--headless",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",  # its own profile: never the analyst's open browser
        "--no-pdf-header-footer",  # no date/URL header and footer (the brief has its own footer)
        "--print-to-pdf-no-header",  # the same, for browsers before 2023
        f"--print-to-pdf={pdf}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        flags.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox (containers, CI)
    return [browser, *flags, html.resolve().as_uri()]


def _cannot_start(browser: str, exc: OSError) -> str:
    """Why ``browser`` did not start, in words: ``MCP_BROWSER`` may name anything (a folder, a
    document, a script without its ``#!`` line), and every such case is the analyst's to mend."""
    path = Path(browser)
    named = f"'{browser}'" + (f" (variabel lingkungan {ENV})" if os.environ.get(ENV, "").strip() == browser else "")
    if path.is_dir():
        return f"{named} adalah folder, bukan program"
    if isinstance(exc, FileNotFoundError):
        if path.is_file():  # the program a script's #! line names is missing
            return f"{named} tidak dapat dijalankan: program pada baris #! di awalnya tidak ditemukan"
        return f"{named} tidak ditemukan"
    if isinstance(exc, PermissionError):
        return f"{named} tidak dapat dijalankan: berkas itu tidak diberi izin menjalankan (execute)"
    if exc.errno == errno.ENOEXEC:  # also Windows' "not a valid Win32 application"
        return f"{named} tidak dapat dijalankan: bukan program, atau skrip tanpa baris #! di awalnya ({exc.strerror})"
    return f"{named} tidak dapat dijalankan ({exc.strerror or exc})"


def write_pdf(html: Path, pdf: Path, browser: str | None = None, timeout: float = 120) -> Path:
    """Print ``html`` (a self-contained brief) to ``pdf`` with ``browser`` (default
    :func:`find_browser`); raises :class:`PdfUnavailable` when there is no browser or it fails."""
    browser = browser or find_browser()
    if not browser:
        raise PdfUnavailable(f"PDF tidak dibuat: tidak ada peramban untuk mencetak PDF di komputer ini; {INSTALL}.")

    def print_to(out: Path) -> None:
        with tempfile.TemporaryDirectory(prefix="mcp-pdf-") as profile:
            try:
                done = subprocess.run(
                    _command(browser, Path(html), out.resolve(), Path(profile)),
                    capture_output=True,
                    text=True,
                    timeout=timeout,
                    stdin=subprocess.DEVNULL,
                )
            except OSError as exc:
                raise PdfUnavailable(f"PDF tidak dibuat: peramban {_cannot_start(browser, exc)}; {INSTALL}.") from None
            except subprocess.TimeoutExpired:
                raise PdfUnavailable(
                    f"PDF tidak dibuat: peramban '{browser}' tidak selesai dalam {timeout:.0f} detik."
                ) from None
        if not out.is_file() or out.read_bytes()[:5] != b"%PDF-":
            detail = (done.stderr or "").strip().splitlines()[-1:] or [f"kode keluar {done.returncode}"]
            raise PdfUnavailable(f"PDF tidak dibuat: peramban '{browser}' gagal mencetak ({detail[0]}).")

    return write_via_temp(pdf, print_to, backup=False)  # a failed print leaves nothing
