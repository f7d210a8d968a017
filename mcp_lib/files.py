"""Writing files an analyst may have made or edited: never overwrite without keeping a copy."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path


def keep_backup(path: str | Path) -> Path | None:
    """Rename an existing file or folder ``path`` to ``<name>.bak-<timestamp><suffix>`` next to it
    (a filled tracker, a snapshot edited by hand, a month of outputs) before it is replaced;
    ``None`` when there was none.

    The backup's suffix is not the original's (``tracker-2023.bak-20231031-0915.xlsx`` keeps
    ``.xlsx`` so Excel opens it; a snapshot ``2023-10-31.csv`` becomes
    ``2023-10-31.csv.bak-...`` so it is never read as a second snapshot of that date).
    """
    path = Path(path)
    if not path.exists() and not path.is_symlink():  # a dangling symlink is kept too
        return None
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    # A snapshot's backup must not look like a snapshot: its suffix goes after the stamp.
    stem, suffix = (path.name, "") if path.parent.name == "status" else (path.stem, path.suffix)
    backup, n = path.with_name(f"{stem}.bak-{stamp}{suffix}"), 2
    while backup.exists() or backup.is_symlink():
        backup, n = path.with_name(f"{stem}.bak-{stamp}-{n}{suffix}"), n + 1
    path.rename(backup)
    return backup


def shared_mode(folder: Path) -> None:
    """Give a folder made by :func:`tempfile.mkdtemp` (owner-only, 0700) the permissions the
    user's umask gives any new folder, so colleagues on a shared drive can open it."""
    umask = os.umask(0)
    os.umask(umask)
    folder.chmod(0o777 & ~umask)


def write_via_temp(path: str | Path, write: Callable[[Path], object], *, backup: bool = True) -> Path:
    """Write ``path`` whole or not at all: ``write`` fills a temporary file beside it
    (``.<name>.tmp``), which then replaces ``path``; with ``backup`` an existing file is first
    kept as :func:`keep_backup` names it.

    If a step fails (on Windows: the file open in Excel, which locks it), the temporary file is
    removed and a backup made by this call is renamed back, so the user's file is where it was.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    kept = None
    try:
        write(tmp)
        if backup:
            kept = keep_backup(path)
        tmp.replace(path)
    except BaseException:
        if kept is not None and not path.exists():
            kept.rename(path)
        raise
    finally:
        tmp.unlink(missing_ok=True)
    return path
