from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mcp_lib.framework import load_framework
from mcp_lib.status import load_pemda

FIXTURES = Path(__file__).parent / "fixtures"
TINY = FIXTURES / "tiny"
Y2024 = FIXTURES / "y2024"


@pytest.fixture
def tiny_fw():
    return load_framework(2023, TINY)


@pytest.fixture
def kota():
    return load_pemda("kota-contoh", TINY)


@pytest.fixture
def kab():
    return load_pemda("kab-contoh", TINY)


@pytest.fixture
def tiny_copy(tmp_path) -> Path:
    """A writable copy of the tiny data root."""
    dest = tmp_path / "data"
    shutil.copytree(TINY, dest)
    return dest
