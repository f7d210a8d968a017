"""Writing outputs where writing fails: a full disk, a read-only outputs folder, a browser that is no program.

The analyst sees one message in words (never "Exception ignored ... Traceback" under it), the file
or month that was there stays whole, and nothing half-written or temporary is left beside it.
"""

from __future__ import annotations

import builtins
import errno
import gc
import io
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import TINY

from mcp_lib.brief import pdf
from mcp_lib.brief.request import BriefRequest
from mcp_lib.framework.workbook.template import export_framework
from mcp_lib.io.readers import write_table
from mcp_lib.pemda.tracker import write_tracker

POSIX = pytest.mark.skipif(os.name == "nt", reason="POSIX only (resource limits, scripts as programs)")
PYTHON = Path(sys.executable)
NOISE = ("Exception ignored", "Traceback")


class _FullDisk:
    """A file opened for writing on a full disk: every write (and so the flush on closing) fails."""

    def __init__(self, raw: io.IOBase) -> None:
        self._raw = raw

    def write(self, data: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def close(self) -> None:
        self._raw.close()

    def __enter__(self) -> _FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __getattr__(self, name: str) -> object:
        return getattr(self._raw, name)


def _fill_up(monkeypatch: pytest.MonkeyPatch, folder: Path) -> list:
    """Make ``folder``'s disk full (writes fail with ENOSPC there only); the OSErrors raised by
    finalisers (Python's "Exception ignored") are collected in the list returned."""
    real_open = io.open

    def open_(file, mode="r", *args, **kwargs):
        f = real_open(file, mode, *args, **kwargs)
        inside = isinstance(file, (str, os.PathLike)) and Path(file).resolve().is_relative_to(folder.resolve())
        return _FullDisk(f) if inside and any(c in mode for c in "wax+") else f

    monkeypatch.setattr(io, "open", open_)
    monkeypatch.setattr(builtins, "open", open_)
    ignored: list = []
    monkeypatch.setattr(sys, "unraisablehook", ignored.append)
    return ignored


WRITERS = {
    "tracker": lambda kota, fw, path: write_tracker(kota, fw, path, force=True),
    "framework export": lambda kota, fw, path: export_framework(fw, path, force=True),
    "plan --xlsx": lambda kota, fw, path: write_table(pd.DataFrame({"doc_code": ["A.1"]}), path, force=True),
}


@pytest.mark.parametrize("writer", WRITERS)
def test_a_full_disk_names_the_file_keeps_it_and_leaves_no_noise(writer, kota, tiny_fw, tmp_path, monkeypatch):
    """ENOSPC while a workbook is being written: the error names the analyst's file and says the
    disk is full, the file written before is unchanged, no temporary file is left, and no
    half-written zip or sheet stream is left for the garbage collector to close noisily."""
    path = tmp_path / "out" / "berkas.xlsx"
    write = WRITERS[writer]
    write(kota, tiny_fw, path)
    before = path.read_bytes()
    ignored = _fill_up(monkeypatch, tmp_path / "out")
    with pytest.raises(OSError) as err:
        write(kota, tiny_fw, path)
    said = (err.value.errno, err.value.filename, str(err.value))
    del err  # the failure's frames go: whatever they held open is closed now, or by gc below
    gc.collect()
    monkeypatch.undo()
    assert said[:2] == (errno.ENOSPC, str(path))
    assert "ruang disk tidak cukup" in said[2] and "tidak diubah" in said[2]
    assert [str(u.exc_value) for u in ignored] == []
    assert sorted(p.name for p in path.parent.iterdir()) == ["berkas.xlsx"] and path.read_bytes() == before


def _limited(limit: int):
    """A child process that cannot write a file past ``limit`` bytes (RLIMIT_FSIZE, SIGXFSZ
    ignored: a write fails with EFBIG, as a full disk makes it fail with ENOSPC)."""

    def preexec() -> None:
        import resource
        import signal

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return preexec


def _mcp(*args: str, preexec=None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(PYTHON), "-m", "mcp_lib", *args],
        capture_output=True,
        text=True,
        preexec_fn=preexec,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **(env or {})},
        timeout=600,
    )


@POSIX
@pytest.mark.slow
def test_the_commands_on_a_disk_that_fills_up_print_only_their_message(tmp_path):
    """``mcp tracker``, ``mcp plan --xlsx``, ``mcp snapshot export`` and ``mcp framework export``
    with ``--force`` over a file made before, on a disk that fills up early (in the zip) and late
    (in a sheet): exit 1, the message in words naming the file, no "Exception ignored"/traceback
    after it, the earlier file unchanged, nothing else in the folder."""
    data = tmp_path / "data"
    shutil.copytree(TINY, data)
    out = tmp_path / "keluaran"
    commands = {
        "tracker.xlsx": ["tracker", "--pemda", "kota-contoh", "--out"],
        "rencana.xlsx": ["plan", "--pemda", "kota-contoh", "--period", "2023-10", "--xlsx"],
        "snapshot.xlsx": ["snapshot", "export", "--pemda", "kota-contoh", "--period", "2023-10", "--out"],
        "kerangka.xlsx": ["framework", "export", "--year", "2023", "--out"],
    }
    from mcp_lib.app.cli import main

    for name, command in commands.items():  # the files made before: in this process
        assert main(["--data-dir", str(data), *command, str(out / name)]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    # Each writer goes through the one guard: two fail early (in the zip), two late (in a sheet).
    limits = dict(zip(commands, (1_000, 5_000, 1_000, 5_000), strict=True))
    for name, command in commands.items():
        limit = limits[name]
        done = _mcp("--data-dir", str(data), *command, str(out / name), "--force", preexec=_limited(limit))
        assert done.returncode == 1, (name, limit, done.stdout, done.stderr)
        assert str(out / name) in done.stderr and "ruang disk tidak cukup" in done.stderr, (name, limit)
        assert not [n for n in NOISE if n in done.stderr], (name, limit, done.stderr)
        assert {p.name: p.read_bytes() for p in out.iterdir()} == before, (name, limit)


@pytest.mark.slow
def test_a_full_disk_while_the_brief_is_written_names_the_month_and_keeps_it(tmp_path, monkeypatch):
    """The brief's own writes (its action workbook) fail on a full disk: the error names the month
    folder (not the run's temporary folder, which is gone) and the month made before is kept."""
    from mcp_lib.run.runner import run_brief

    out = tmp_path / "outputs"
    month = out / "kota-contoh" / "2023-10"
    run_brief(BriefRequest("kota-contoh", "2023-10", data_dir=TINY), out_root=out, brief_only=True)
    before = {p.relative_to(month): p.read_bytes() for p in month.rglob("*") if p.is_file()}
    real_open = io.open

    def open_(file, mode="r", *args, **kwargs):
        f = real_open(file, mode, *args, **kwargs)
        return _FullDisk(f) if "rencana-aksi.xlsx" in str(file) and "w" in mode else f

    monkeypatch.setattr(io, "open", open_)
    with pytest.raises(OSError) as err:
        run_brief(BriefRequest("kota-contoh", "2023-10", data_dir=TINY), out_root=out, brief_only=True, force=True)
    monkeypatch.undo()
    assert err.value.errno == errno.ENOSPC and err.value.filename == str(month)
    assert "ruang disk tidak cukup" in err.value.strerror
    assert sorted(p.name for p in out.rglob("*") if p.parent == month.parent) == ["2023-10"]
    assert {p.relative_to(month): p.read_bytes() for p in month.rglob("*") if p.is_file()} == before


SITECUSTOMIZE = """
import errno, os
from pathlib import Path

_ROOT = os.environ.get("MCP_TEST_UNWRITABLE")
_ERRNO = int(os.environ.get("MCP_TEST_ERRNO", errno.EROFS))


def _refuse(name, real):
    def call(path, *args, **kwargs):
        if isinstance(path, (str, os.PathLike)):
            p = os.path.abspath(os.fspath(path))
            if (p + os.sep).startswith(_ROOT + os.sep) and not (name == "mkdir" and os.path.isdir(p)):
                raise OSError(_ERRNO, os.strerror(_ERRNO), os.fspath(path))
        return real(path, *args, **kwargs)
    return call


if _ROOT:
    os.mkdir = _refuse("mkdir", os.mkdir)
    os.rename = _refuse("rename", os.rename)
    os.replace = _refuse("replace", os.replace)
"""


def _unwritable(tmp_path: Path, out: Path, code: int) -> dict:
    """Environment for a child ``mcp`` (and its workers, which load ``sitecustomize`` too) in
    which nothing can be made inside ``out``: what a read-only mount (EROFS) or a folder without
    write permission (EACCES) does, whoever runs the tests (root ignores ``chmod``)."""
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    path = os.pathsep.join(p for p in (str(site), os.environ.get("PYTHONPATH", "")) if p)
    return {"PYTHONPATH": path, "MCP_TEST_UNWRITABLE": str(out.resolve()), "MCP_TEST_ERRNO": str(code)}


def _failures(stderr: str) -> str:
    return stderr.split("Gagal:", 1)[1] if "Gagal:" in stderr else ""


@POSIX
@pytest.mark.slow
def test_a_batch_into_a_read_only_folder_says_so_as_the_brief_does(tmp_path):
    """``mcp batch --out`` a read-only folder: each pemda's failure is told in the words ``mcp
    brief`` uses for the same folder, never a raw ``OSError: [Errno 30]``; nothing is written.
    The same for a folder without write permission (EACCES: chmod when not root)."""
    out = tmp_path / "outputs"
    out.mkdir()
    common = ["--data-dir", str(TINY)]
    batch = [*common, "batch", "--pemda-glob", str(TINY / "pemda" / "kota-*"), "--period", "2023-10"]
    batch += ["--out", str(out), "--brief-only", "--workers", "1"]
    brief = [*common, "brief", "--pemda", "kota-contoh", "--period", "2023-10", "--out", str(out)]
    env = _unwritable(tmp_path, out, errno.EROFS)
    done, said = _mcp(*batch, env=env), _mcp(*brief, env=env)
    assert done.returncode == 1 and "Errno" not in done.stderr and "OSError" not in done.stderr, done.stderr
    assert said.returncode == 1 and "hanya-baca" in said.stderr, said.stderr
    assert f"- kota-contoh: {said.stderr.strip()}" in _failures(done.stderr), done.stderr
    assert list(out.iterdir()) == []
    if os.geteuid() != 0:  # a real folder without write permission
        out.chmod(stat.S_IRUSR | stat.S_IXUSR)
        env = {}
    else:
        env = _unwritable(tmp_path, out, errno.EACCES)
    try:
        said, done = _mcp(*brief, env=env), _mcp(*batch, env=env)
    finally:
        out.chmod(0o755)
    assert said.returncode == 1 and "tidak boleh ditulis" in said.stderr, said.stderr
    assert done.returncode == 1 and f"- kota-contoh: {said.stderr.strip()}" in _failures(done.stderr), done.stderr
    assert "Errno" not in done.stderr and "PermissionError" not in done.stderr
    assert list(out.iterdir()) == []


def _not_programs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """What ``MCP_BROWSER`` might wrongly name, with the reason the notice must give."""
    script = tmp_path / "tanpa-shebang"
    script.write_text("chromium --headless $@\n", encoding="utf-8")
    script.chmod(0o755)
    plain = tmp_path / "bukan-eksekusi"
    plain.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    plain.chmod(0o644)
    folder = tmp_path / "folder-peramban"
    folder.mkdir()
    return {
        "no #! line": (script, "tanpa baris #!"),
        "not executable": (plain, "izin menjalankan"),
        "a folder": (folder, "adalah folder"),
    }


@POSIX
@pytest.mark.parametrize("case", ["no #! line", "not executable", "a folder"])
def test_a_browser_that_is_no_program_is_told_why(case, tmp_path, monkeypatch):
    """``MCP_BROWSER`` names a script without its ``#!`` line, a file without execute permission or
    a folder: no PDF, and the notice says which (the brief is written without it)."""
    (tmp_path / "b").mkdir()
    browser, why = _not_programs(tmp_path / "b")[case]
    monkeypatch.setenv(pdf.ENV, str(browser))
    html = tmp_path / "brief.html"
    html.write_text("<p>x</p>", encoding="utf-8")
    with pytest.raises(pdf.PdfUnavailable) as err:
        pdf.write_pdf(html, tmp_path / "brief.pdf")
    message = str(err.value)
    assert message.startswith("PDF tidak dibuat: ") and str(browser) in message and pdf.ENV in message
    assert why in message, message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b", "brief.html"]


@POSIX
@pytest.mark.slow
def test_a_brief_with_a_browser_that_is_no_program_still_writes_the_html(tmp_path):
    """``MCP_BROWSER`` names a script without its ``#!`` line: ``mcp brief --pdf`` writes the brief
    anyway and says why there is no PDF (it used to exit 1 with a message about Excel)."""
    browser, why = _not_programs(tmp_path)["no #! line"]
    out = tmp_path / "outputs"
    args = ["--data-dir", str(TINY), "brief", "--pemda", "kota-contoh", "--period", "2023-10", "--out", str(out)]
    done = _mcp(*args, "--pdf", env={pdf.ENV: str(browser)})
    assert done.returncode == 0, done.stderr
    month = out / "kota-contoh" / "2023-10"
    assert (month / "brief.html").is_file() and (month / "rencana-aksi.xlsx").is_file()
    assert not list(month.glob("*.pdf"))
    assert "PDF tidak dibuat" in done.stderr and why in done.stderr and "Excel" not in done.stderr
    assert not [n for n in NOISE if n in done.stderr]
