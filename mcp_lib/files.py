"""Writing files an analyst may have made or edited: never overwrite without keeping a copy."""

from __future__ import annotations

import datetime as dt
import os
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
