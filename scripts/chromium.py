"""How this project starts headless Chromium for its browser checks (scripts/check_lab.py,
scripts/screenshots.py and tests/test_browser.py): Debian's ``chromium``, offline and quiet."""

from __future__ import annotations

import shutil

FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
"""Run as root in a container, without a GPU, and make no request of its own (updates, sync,
QUIC probes): the pages checked must work offline."""


def find() -> str | None:
    """The Chromium executable on ``PATH`` (Debian names it ``chromium``, Ubuntu ``chromium-browser``)."""
    return shutil.which("chromium") or shutil.which("chromium-browser")
