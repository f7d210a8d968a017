from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from mcp_lib.brief.request import BriefRequest
from mcp_lib.framework.folder import load_framework
from mcp_lib.pemda import tracker
from mcp_lib.pemda.onboard import init_pemda
from mcp_lib.pemda.settings import load_pemda
from mcp_lib.pemda.snapshot import load_period

FIXTURES = Path(__file__).parent / "fixtures"
TINY = FIXTURES / "tiny"
Y2024 = FIXTURES / "y2024"
METHODS = FIXTURES / "methods"
"""A 2026-shaped framework of four indicators, each scored by its own method (binary, tiers,
periods, realisation against a target), and a kabupaten on it with two snapshots."""


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
def snap(tiny_fw, kota):
    """Kota Contoh's snapshot of October 2023 (2023-10-31)."""
    return load_period(kota, tiny_fw, "2023-10")


@pytest.fixture(scope="session")
def lubuklinggau_2023_10():
    """The bundled sample's October 2023 brief data, computed once per test session (read only)."""
    from mcp_lib.brief import steps

    return steps.prepare(BriefRequest("kota-lubuklinggau", "2023-10"))


@pytest.fixture(scope="session")
def warm_kernel():
    """One Jupyter kernel per test process, kept warm between briefs as a batch worker keeps one
    (:class:`mcp_lib.run.kernel.KernelSession`, restarted after any failure), for the tests that
    make a brief to check what is in it rather than how a kernel starts: starting one costs ~2 s
    of CPU. test_batch checks that a warm kernel's brief is byte for byte a fresh one's; the
    runner's own tests (test_runner, test_kernel) start theirs."""
    from mcp_lib.run.kernel import KernelSession

    session = KernelSession()
    yield session
    session.close()


@pytest.fixture
def tiny_copy(tmp_path) -> Path:
    """A writable copy of the tiny data root."""
    dest = tmp_path / "data"
    shutil.copytree(TINY, dest)
    return dest


@pytest.fixture
def kota_dir(tiny_copy) -> Path:
    """The tiny kota's folder (``pemda.toml`` and ``status/``) in a writable copy."""
    return tiny_copy / "pemda" / "kota-contoh"


HOSTILE_OPD = "=BPKAD+1 <script>alert(1)</script> & Aset"  # also a formula for Excel
HOSTILE_DOC = "Dok A12 <script>alert(1)</script> & lampiran"
HOSTILE_TEMPLATE = "Dok A11 dua {{ 7*7 }} {% if true %}jinja{% endif %} ${7*7}"
HOSTILE_BLOCKER = '=HYPERLINK("http://evil.example","klik") "><img src=x onerror=alert(2)>'
HOSTILE_LINK = '[klik](javascript:alert(3)) <a href="javascript:alert(4)">tautan</a>'
HOSTILE_AREA = 'Area A </text><script>alert(6)</script><text onload="alert(7)">'


@pytest.fixture
def tiny_fw_dir(tmp_path) -> Path:
    """A copy of the tiny 2023 framework folder, to spoil."""
    dest = tmp_path / "mcp-2023"
    shutil.copytree(TINY / "frameworks" / "mcp-2023", dest)
    return dest


def edit_text(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in a text file (which must hold it) with ``new``."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def framework_problems(folder: Path) -> tuple:
    """The problems loading a framework folder raises (it must raise)."""
    from mcp_lib.errors import InputError

    with pytest.raises(InputError) as err:
        load_framework(folder)
    return err.value.problems


def make_hostile(root: Path) -> Path:
    """Turn a copy of the tiny data root into one whose names and notes carry HTML, as an analyst
    might paste from anywhere: an OPD and a document named with a script tag and an ampersand, a
    blocker with an image tag, a note with an iframe, a pemda name with markup."""
    import pandas as pd

    pemda = root / "pemda" / "kota-contoh"
    toml = pemda / "pemda.toml"
    text = toml.read_text(encoding="utf-8").replace('name = "BPKAD"', f"name = '{HOSTILE_OPD}'")
    toml.write_text(text.replace('name = "Kota Contoh"', 'name = "Kota <b>Contoh</b>"'), encoding="utf-8")
    evidence = root / "frameworks" / "mcp-2023" / "evidence.csv"
    ev = pd.read_csv(evidence, dtype=str)
    ev.loc[ev["doc_code"] == "A.1.2.D1", "doc_name"] = HOSTILE_DOC
    ev.loc[ev["doc_code"] == "A.1.1.D2", "doc_name"] = HOSTILE_TEMPLATE
    ev.to_csv(evidence, index=False)
    framework = root / "frameworks" / "mcp-2023" / "framework.csv"
    fw = pd.read_csv(framework, dtype=str, keep_default_na=False)
    fw["area_name"] = fw["area_name"].where(fw["area_code"] != fw["area_code"].iloc[0], HOSTILE_AREA)
    fw.to_csv(framework, index=False)
    for path in (pemda / "status").glob("*.csv"):
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        table["opd"] = table["opd"].replace("BPKAD", HOSTILE_OPD)
        table["blocker"] = table["blocker"].replace("menunggu BPN", HOSTILE_BLOCKER)
        table["note"] = table["note"].replace(
            "dokumen belum ditandatangani", f"<iframe src=//evil.example> {HOSTILE_LINK}"
        )
        table.to_csv(path, index=False)
    return root


@pytest.fixture
def hostile(tiny_copy):
    return make_hostile(tiny_copy)


# --- a new pemda and its Excel tracker -----------------------------------------------------------


def tracker_column(ws, name: str) -> int:
    """1-based column of a tracker column, found by its header as a user sees it."""
    headers = [c.value for c in ws[1]]
    return headers.index(next(c.label for c in tracker.COLUMNS if c.name == name)) + 1


def fill(path, values: dict[str, dict[str, object]]) -> None:
    """Fill a tracker as an analyst does in Excel: type into the cells of some rows, save."""
    wb = load_workbook(path)
    ws = wb[tracker.SHEET]
    codes = {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}
    for code, cells in values.items():
        for name, value in cells.items():
            ws.cell(row=codes[code], column=tracker_column(ws, name), value=value)
    wb.save(path)


@pytest.fixture
def new_kab(tmp_path):
    """A kabupaten started with ``mcp init`` on the bundled 2023 framework: (data root, pemda,
    tracker path)."""
    root = tmp_path / "data"
    pemda, path = init_pemda("kab-baru", "Kabupaten Baru", "kabupaten", "Sumatera Selatan", 2023, root, last_final=80)
    return root, pemda, path


# --- LibreOffice ---------------------------------------------------------------------------------


@functools.cache
def uno_python() -> str | None:
    """The system python3 that can ``import uno`` (Debian: python3-uno), which the scripts in
    tests/fixtures/lo/ run with to drive LibreOffice headless; ``None`` without LibreOffice."""
    if shutil.which("soffice") is None:
        return None
    for python in ("/usr/bin/python3", shutil.which("python3")):
        if python and subprocess.run([python, "-c", "import uno"], capture_output=True).returncode == 0:
            return python
    return None


needs_lo = pytest.mark.skipif(uno_python() is None, reason="LibreOffice with python3-uno not installed")
"""Skip a test that drives LibreOffice where it is not installed, saying why."""


# --- test tiers ---------------------------------------------------------------------------------
# ``make test`` runs the fast tier (``-m "not slow"``, about a minute); ``make check`` runs all.
# A test is slow by its own marker (``@pytest.mark.slow``, or ``pytestmark`` for a module whose
# every test is: test_batch, test_browser, test_runner): whatever starts a Jupyter kernel (a
# brief, a batch, a notebook), a browser or LibreOffice, the fuzzers, and the tests over a second
# each (measured with ``pytest --durations=0``). test_project checks no test is marked by name.


def interrupt_after_first_brief(cmd: list[str], out: Path, cwd: Path | None = None) -> tuple[int, str]:
    """Run an ``mcp batch`` command line in its own process group, press Ctrl-C (SIGINT to the
    group, as a terminal does) once its first brief is in ``out``; its exit status and output."""
    import os
    import signal
    import subprocess
    import time

    proc = subprocess.Popen(
        cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
    )
    deadline = time.monotonic() + 180
    while not list(out.glob("*/2023-10/brief.html")) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGINT)
    output, _ = proc.communicate(timeout=180)
    return proc.returncode, output
