"""Never overwrite without a copy (mcp_lib.files)."""

import os

from mcp_lib.files import keep_backup, shared_mode


def test_a_file_is_kept_with_its_suffix_and_a_snapshot_never_looks_like_one(tmp_path):
    tracker = tmp_path / "tracker-2023.xlsx"
    tracker.write_text("a")
    kept = keep_backup(tracker)
    assert kept.name.startswith("tracker-2023.bak-") and kept.suffix == ".xlsx" and kept.read_text() == "a"
    status = tmp_path / "status"
    status.mkdir()
    snap = status / "2023-10-31.csv"
    snap.write_text("b")
    kept = keep_backup(snap)
    assert kept.name.startswith("2023-10-31.csv.bak-") and not kept.name.endswith(".csv")
    assert keep_backup(tmp_path / "none.csv") is None


def test_two_backups_in_the_same_second_both_survive(tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("1")
    first = keep_backup(f)
    f.write_text("2")
    second = keep_backup(f)
    assert first != second and first.read_text() == "1" and second.read_text() == "2"


def test_shared_mode_follows_the_umask(tmp_path):
    folder = tmp_path / "d"
    folder.mkdir(mode=0o700)
    old = os.umask(0o022)
    try:
        shared_mode(folder)
    finally:
        os.umask(old)
    assert folder.stat().st_mode & 0o777 == 0o755
