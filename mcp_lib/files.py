"""Writing files an analyst may have made or edited: never overwrite without keeping a copy."""

from __future__ import annotations

import datetime as dt
import errno
import gc
import os
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from mcp_lib.errors import locked_message


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

    If a step fails (on Windows: the file open in Excel, which locks it; a full disk; a read-only
    folder), the temporary file is removed and a backup made by this call is renamed back, so the
    user's file is where it was, unchanged; the error raised is :func:`write_failed`'s, naming
    ``path``.
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
    except BaseException as exc:
        if isinstance(exc, OSError):
            write_failed(exc, path)  # first: it closes what the write left open, so tmp can go
        if kept is not None and not path.exists():
            kept.rename(path)
        raise
    finally:
        tmp.unlink(missing_ok=True)
    return path


_IN_WORDS = {
    errno.ENOSPC: "ruang disk tidak cukup",
    errno.EFBIG: "berkas melebihi ukuran yang diizinkan atau ruang disk tidak cukup",
    errno.EROFS: "folder hanya-baca, tidak boleh ditulis",
}
"""Write failures an analyst can act on, in words (the system's own words follow in brackets)."""
if hasattr(errno, "EDQUOT"):  # not on Windows
    _IN_WORDS[errno.EDQUOT] = "jatah ruang disk (kuota) habis"
_SETTLED = "_mcp_settled"


def write_failed(exc: OSError, path: str | Path, *, temporary: Path | None = None) -> OSError:
    """Make ``exc``, which stopped ``path`` (a file, or a month's folder) from being written,
    fit to show an analyst; returns it, to be raised again.

    It names ``path`` rather than a temporary file of ours (with ``temporary``: only when it named
    nothing or something inside that temporary folder), and says a full disk or a read-only
    folder in words. What the failed write left open (openpyxl's sheet streams, the zip being
    written) is closed now, with its own errors on closing (the same full disk) dropped: else
    the garbage collector closed it at exit and Python printed "Exception ignored ... Traceback"
    under the message. Every writer goes through here (:func:`write_via_temp`, the brief's
    folder), so a write that fails says the same thing whichever command made it.
    """
    if not getattr(exc, _SETTLED, False):  # once, by the innermost writer
        setattr(exc, _SETTLED, True)
        _close_what_failed(exc)
        words = _IN_WORDS.get(exc.errno) if exc.errno is not None else None
        if words and exc.strerror:
            exc.strerror = f"{words} ({exc.strerror}); berkas yang sudah ada tidak diubah"
    named = exc.filename
    if named is None or temporary is None or Path(str(named)).is_relative_to(temporary):
        exc.filename, exc.filename2 = str(path), None
    return exc


def _close_what_failed(exc: BaseException) -> None:
    """Let go of the objects the failed write's frames hold and collect them now, dropping the
    :class:`OSError` their finalisers raise (closing a stream onto the same full disk)."""
    hook = sys.unraisablehook

    def quiet(unraisable: object) -> None:
        if not isinstance(getattr(unraisable, "exc_value", None), OSError):
            hook(unraisable)  # type: ignore[arg-type]

    sys.unraisablehook = quiet  # before the frames go: a zip is closed as soon as it is let go
    try:
        seen: set[int] = set()
        link: BaseException | None = exc
        while link is not None and id(link) not in seen:
            seen.add(id(link))
            traceback.clear_frames(link.__traceback__)  # the frames still running are left alone
            link = link.__cause__ or link.__context__
        gc.collect()  # a sheet stream and its writer refer to each other: only the collector frees them
    finally:
        sys.unraisablehook = hook


def unwritable_message(exc: OSError) -> str:
    """What to tell an analyst when ``exc`` stopped a file or folder from being read or written:
    the words of ``mcp``'s own message (:func:`mcp_lib.app.cli.main`), for places that report an
    error without stopping, such as one pemda of a batch."""
    if isinstance(exc, PermissionError):
        return locked_message(exc)
    where = f"{exc.filename}: " if exc.filename else ""
    return (
        f"Berkas atau folder tidak dapat dibaca/ditulis: {where}{exc.strerror or exc}\n"
        "Periksa izin akses (permission), ruang disk, dan apakah berkas sedang dibuka di Excel."
    )


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` runs. Not ``os.kill(pid, 0)``: on Windows signal 0 is
    ``CTRL_C_EVENT``, which would interrupt that process's console group instead of asking."""
    import psutil  # a dependency of ipykernel

    return bool(psutil.pid_exists(pid))


CLAIM_PATIENCE = 600.0
"""Seconds a claim (:func:`claimed`) is waited for at most: one older is taken as left by a
process that ended without removing it (a process id used again since). The longest step takes
a few seconds."""
CLAIM_POLL = 0.02
"""Seconds between two looks at a claim being waited for."""


@contextmanager
def claimed(path: Path) -> Iterator[bool]:
    """Hold the claim ``path`` (a file with this process's id, made only if none exists) while the
    block runs: two processes that would compute the same result into one folder (``mcp brief``
    plans the scenarios while its kernel runs ``02_simulasi``, which shows them) take turns, and
    the second reads what the first wrote. A claim whose process has ended, or older than
    :data:`CLAIM_PATIENCE`, is removed and taken. Yields whether another process held it first
    (then what it made is there to read)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    waited = False
    while True:
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            _wait_for_claim(path)
            waited = True
            continue
        with os.fdopen(fd, "w") as f:
            f.write(str(os.getpid()))
        break
    try:
        yield waited
    finally:
        path.unlink(missing_ok=True)


def _wait_for_claim(path: Path) -> None:
    """Until the claim ``path`` is gone; removes it when its process has ended or it is too old."""
    while True:
        try:
            owner = path.read_text().strip()
            age = time.time() - path.stat().st_mtime
        except FileNotFoundError:
            return
        stale = age > CLAIM_PATIENCE or (owner.isdigit() and not process_alive(int(owner)))
        if stale or (not owner and age > 1.0):  # an owner that never wrote its id
            path.unlink(missing_ok=True)
            return
        time.sleep(CLAIM_POLL)
