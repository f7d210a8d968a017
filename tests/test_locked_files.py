"""A file open in Excel on Windows is locked: every writing command says so in words and changes nothing.

Windows refuses to open such a file for writing, to replace, rename or delete it, and to rename a
folder holding it (``PermissionError``, WinError 32/5). :func:`excel_has_open` gives one file
those semantics here, on any system, so each writing command is checked against it.
"""

import builtins
import io
import os
import shutil
from pathlib import Path

import pytest
from conftest import TINY

from mcp_lib.app.cli import main
from mcp_lib.errors import locked_message

WINDOWS_TEXT = "The process cannot access the file because it is being used by another process"


def excel_has_open(monkeypatch, locked: Path) -> None:
    """From now on ``locked`` behaves as a workbook open in Excel on Windows."""
    locked = locked.resolve()

    def holds(path) -> bool:
        p = Path(os.fspath(path)).resolve()
        return p == locked or p in locked.parents

    def refuse(name) -> None:
        raise PermissionError(13, WINDOWS_TEXT, os.fspath(name))

    real_rename, real_replace, real_unlink, real_open = os.rename, os.replace, os.unlink, builtins.open

    def rename(src, dst, *a, **k):
        if holds(src) or Path(os.fspath(dst)).resolve() == locked:
            raise PermissionError(13, WINDOWS_TEXT, os.fspath(src), None, os.fspath(dst))
        return real_rename(src, dst, *a, **k)

    def replace(src, dst, *a, **k):
        if holds(src) or Path(os.fspath(dst)).resolve() == locked:
            raise PermissionError(13, WINDOWS_TEXT, os.fspath(src), None, os.fspath(dst))
        return real_replace(src, dst, *a, **k)

    def unlink(path, *a, **k):
        if Path(os.fspath(path)).resolve() == locked:
            refuse(path)
        return real_unlink(path, *a, **k)

    def open_(file, mode="r", *a, **k):
        if isinstance(file, (str, os.PathLike)) and any(c in mode for c in "wax+") and Path(file).resolve() == locked:
            refuse(file)
        return real_open(file, mode, *a, **k)

    monkeypatch.setattr(os, "rename", rename)
    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(os, "unlink", unlink)
    monkeypatch.setattr(os, "remove", unlink)
    monkeypatch.setattr(builtins, "open", open_)
    monkeypatch.setattr(io, "open", open_)


def _data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(TINY, data)
    return data


def _locked_run(monkeypatch, capsys, locked: Path, args: list[str]) -> str:
    """Run ``args`` with ``locked`` open in Excel; the command fails in words, the file is as it was
    and nothing of ours (temporary or backup files) is left beside it."""
    before = locked.read_bytes()
    siblings = sorted(p.name for p in locked.parent.iterdir())
    capsys.readouterr()
    with monkeypatch.context() as m:
        excel_has_open(m, locked)
        assert main(args) == 1
    err = capsys.readouterr().err
    assert "tutup berkas di Excel lalu ulangi" in err and "Traceback" not in err
    assert locked.read_bytes() == before
    assert sorted(p.name for p in locked.parent.iterdir()) == siblings
    return err.replace("\n", "")


@pytest.mark.parametrize(
    ("first", "locked"),
    [
        (["tracker", "--pemda", "kota-contoh"], "{data}/pemda/kota-contoh/tracker-2023.xlsx"),
        (
            ["snapshot", "export", "--pemda", "kota-contoh", "--period", "2023-10"],
            "{data}/pemda/kota-contoh/tracker-2023-10.xlsx",
        ),
        (
            ["plan", "--pemda", "kota-contoh", "--period", "2023-10", "--xlsx", "{tmp}/rencana.xlsx"],
            "{tmp}/rencana.xlsx",
        ),
    ],
    ids=["tracker", "snapshot export", "plan --xlsx"],
)
def test_a_workbook_open_in_excel(tmp_path, monkeypatch, capsys, first, locked):
    data = _data(tmp_path)
    first = [a.replace("{tmp}", str(tmp_path)) for a in first]
    locked = Path(locked.replace("{data}", str(data)).replace("{tmp}", str(tmp_path)))
    assert main(["--data-dir", str(data), *first]) == 0 and locked.is_file()
    err = _locked_run(monkeypatch, capsys, locked, ["--data-dir", str(data), *first, "--force"])
    assert locked.name in err


def test_a_snapshot_open_in_excel_is_not_replaced_by_an_import(tmp_path, monkeypatch, capsys):
    from mcp_lib.config import DATA_DIR

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)  # the sample (the tiny fixture's few rows look column-sorted to the import)
    tracker = tmp_path / "terisi.xlsx"
    base = ["--data-dir", str(data)]
    export = ["snapshot", "export", "--pemda", "kota-lubuklinggau", "--period", "2023-10", "--out", str(tracker)]
    assert main([*base, *export]) == 0
    locked = data / "pemda" / "kota-lubuklinggau" / "status" / "2023-10-31.csv"
    args = [*base, "snapshot", "import", str(tracker), "--date", "2023-10-31", "--pemda", "kota-lubuklinggau"]
    err = _locked_run(monkeypatch, capsys, locked, [*args, "--force"])
    assert "2023-10-31.csv" in err


@pytest.mark.slow
def test_a_brief_whose_workbook_is_open_in_excel(tmp_path, monkeypatch, capsys):
    """`mcp brief --force` while last run's rencana-aksi.xlsx is open: the month's folder cannot be
    replaced; the old month stays whole and the new one is not left half-way."""
    out = tmp_path / "outputs"
    args = ["--data-dir", str(TINY), "brief", "--pemda", "kota-contoh", "--period", "2023-10", "--out", str(out)]
    assert main(args) == 0
    locked = out / "kota-contoh" / "2023-10" / "rencana-aksi.xlsx"
    month = sorted(p.name for p in locked.parent.iterdir())
    err = _locked_run(monkeypatch, capsys, locked, [*args, "--force"])
    assert "2023-10" in err
    assert sorted(p.name for p in locked.parent.iterdir()) == month
    assert sorted(p.name for p in (out / "kota-contoh").iterdir()) == ["2023-10"]


def test_the_message_names_the_users_file_not_ours():
    exc = PermissionError(13, WINDOWS_TEXT, "C:/data/.tracker-2023.tmp.xlsx", None, "C:/data/tracker-2023.xlsx")
    assert "tracker-2023.xlsx" in locked_message(exc) and ".tmp" not in locked_message(exc)
    exc = PermissionError(13, WINDOWS_TEXT, "C:/data/status/2023-10-31.csv", None, "C:/data/2023-10-31.csv.bak-1")
    assert "2023-10-31.csv sedang dipakai" in locked_message(
        exc
    ) and "tutup berkas di Excel lalu ulangi" in locked_message(exc)
