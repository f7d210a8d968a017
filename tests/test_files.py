"""Never losing what an analyst made (mcp_lib.files): the backup kept before a file or folder is
replaced, and the permissions of a folder made by mkdtemp."""

import datetime as dt
import os
import stat
import tempfile
from types import SimpleNamespace

import pytest

from mcp_lib import files
from mcp_lib.files import keep_backup, shared_mode


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    """The clock stands at 31 October 2023, 09:15:00."""

    class Clock(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return cls(2023, 10, 31, 9, 15, 0)

    monkeypatch.setattr(files, "dt", SimpleNamespace(datetime=Clock))


def test_nothing_to_keep(tmp_path):
    assert keep_backup(tmp_path / "tracker-2023.xlsx") is None
    assert list(tmp_path.iterdir()) == []


def test_a_workbook_keeps_its_suffix_and_a_second_backup_its_own_name(tmp_path):
    path = tmp_path / "tracker-2023.xlsx"
    path.write_bytes(b"pertama")
    first = keep_backup(path)
    assert first == tmp_path / "tracker-2023.bak-20231031-091500.xlsx"
    assert first.read_bytes() == b"pertama" and not path.exists()
    path.write_bytes(b"kedua")
    second = keep_backup(path)
    assert second == tmp_path / "tracker-2023.bak-20231031-091500-2.xlsx"
    assert (first.read_bytes(), second.read_bytes()) == (b"pertama", b"kedua")


def test_a_snapshot_backup_is_not_read_as_a_snapshot(tmp_path):
    status = tmp_path / "status"
    status.mkdir()
    (status / "2023-10-31.csv").write_text("doc_code\n", encoding="utf-8")
    assert keep_backup(status / "2023-10-31.csv") == status / "2023-10-31.csv.bak-20231031-091500"
    assert list(status.glob("*.csv")) == []


def test_a_folder_and_a_dangling_symlink_are_kept(tmp_path):
    folder = tmp_path / "mcp-2031"
    folder.mkdir()
    (folder / "framework.csv").write_text("x\n", encoding="utf-8")
    kept = keep_backup(folder)
    assert kept == tmp_path / "mcp-2031.bak-20231031-091500"
    assert (kept / "framework.csv").read_text(encoding="utf-8") == "x\n"
    link = tmp_path / "mcp-2032"
    link.symlink_to(tmp_path / "hilang", target_is_directory=True)
    kept = keep_backup(link)
    assert kept == tmp_path / "mcp-2032.bak-20231031-091500" and kept.is_symlink() and not link.is_symlink()


def test_shared_mode_gives_the_umask_permissions(tmp_path):
    folder = tempfile.mkdtemp(dir=tmp_path)
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    umask = os.umask(0o022)
    try:
        shared_mode(tmp_path / folder)
    finally:
        os.umask(umask)
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o755


def test_write_via_temp_keeps_a_backup_and_puts_the_file_back_when_the_last_step_fails(tmp_path, monkeypatch):
    """Written whole or not at all: on success the old file is kept as its backup; when the final
    replace fails (on Windows: the file open in Excel), the old file is back under its own name,
    unchanged, and neither the temporary file nor a backup is left."""
    from pathlib import Path

    from mcp_lib.files import write_via_temp

    path = tmp_path / "tracker-2023.xlsx"
    path.write_bytes(b"isi analis")
    write_via_temp(path, lambda tmp: tmp.write_bytes(b"baru"))
    assert path.read_bytes() == b"baru"
    (backup,) = [p for p in tmp_path.iterdir() if p != path]
    assert backup.read_bytes() == b"isi analis" and ".bak-" in backup.name
    backup.unlink()

    def refuse(self, target):
        raise PermissionError(13, "dipakai proses lain", str(self), None, str(target))

    monkeypatch.setattr(Path, "replace", refuse)
    with pytest.raises(PermissionError):
        write_via_temp(path, lambda tmp: tmp.write_bytes(b"lebih baru"))
    assert [p.name for p in tmp_path.iterdir()] == ["tracker-2023.xlsx"]
    assert path.read_bytes() == b"baru"


def test_a_claim_is_waited_for_while_its_process_runs_and_taken_when_it_ended(tmp_path):
    """``claimed``: a claim held by a running process (here another one, holding it until told)
    is waited for, and the waiter says it waited; one whose process has ended is taken at once."""
    import subprocess
    import sys
    import threading

    claim, release = tmp_path / ".step.dihitung", tmp_path / "release"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time, pathlib; from mcp_lib.files import claimed\n"
            "with claimed(pathlib.Path(sys.argv[1])):\n"
            "    print('held', flush=True)\n"
            "    while not pathlib.Path(sys.argv[2]).exists(): time.sleep(0.01)\n",
            str(claim),
            str(release),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        got: list[bool] = []

        def take() -> None:
            with files.claimed(claim) as waited:
                got.append(waited)

        waiter = threading.Thread(target=take)
        waiter.start()
        waiter.join(0.3)
        assert got == []  # still held
        release.touch()
        waiter.join(60)
        assert got == [True] and not claim.exists()
    finally:
        release.touch()
        holder.wait(60)
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    claim.write_text(ended.stdout.strip())  # left by a process that has ended
    with files.claimed(claim) as waited:
        assert waited and claim.read_text() == str(os.getpid())
    assert not claim.exists()
