"""Set a machine up without ``make``: ``python -m mcp_lib setup`` (Windows, Anaconda, any Python 3.11+).

What ``make brief`` does before its first brief, in Python's standard library only (it runs before
anything is installed): a virtual environment ``.venv`` in the project folder, every dependency at
the version pinned in the lock file (``requirements.lock``, or ``requirements-dev.lock`` with
``--dev``: the tests' tools too), checked against the lock's hashes, then the project itself
(editable, without dependencies). ``--here`` installs into the running Python instead (a conda
environment made from ``environment.yml``). The Makefile calls this too, so both routes install
the same way.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = "requirements.lock"
DEV_LOCK = "requirements-dev.lock"
STAMP = ".installed"
MIN_PYTHON = (3, 11)


def venv_python(venv: Path, windows: bool | None = None) -> Path:
    """The interpreter of a virtual environment: ``Scripts\\python.exe`` on Windows, ``bin/python`` elsewhere."""
    return venv_command(venv, "python", windows)


def venv_command(venv: Path, name: str, windows: bool | None = None) -> Path:
    """A console command installed in a virtual environment (``mcp``, ``jupyter``)."""
    windows = os.name == "nt" if windows is None else windows
    return venv / "Scripts" / f"{name}.exe" if windows else venv / "bin" / name


@dataclass(frozen=True)
class Plan:
    """What :func:`setup` runs: ``(words shown to the analyst, command)`` in order, and the stamp file."""

    steps: tuple[tuple[str, tuple[str, ...]], ...]
    stamp: Path
    digest: str


def lock_digest(root: Path, lock: str) -> str:
    """SHA-256 over the lock file and ``pyproject.toml``: what the installed environment was made from."""
    h = hashlib.sha256()
    for name in (lock, "pyproject.toml"):
        h.update(name.encode() + b"\0" + (root / name).read_bytes() + b"\0")
    return h.hexdigest()


def plan(
    root: Path = ROOT,
    *,
    venv: Path | None = None,
    dev: bool = False,
    here: bool = False,
    python: str | None = None,
    windows: bool | None = None,
) -> Plan:
    """The commands that install the project: into ``venv`` (default ``<root>/.venv``, created
    with ``python`` when missing) or, with ``here``, into ``python``'s own environment."""
    python = python or sys.executable
    lock = DEV_LOCK if dev else LOCK
    steps: list[tuple[str, tuple[str, ...]]] = []
    if here:
        target = python
        stamp = Path(sys.prefix) / f"mcp-workbook{STAMP}"
    else:
        venv = venv or root / ".venv"
        target = str(venv_python(venv, windows))
        stamp = venv / STAMP
        if not Path(target).exists():
            steps.append(("membuat lingkungan Python .venv (virtual environment)", (python, "-m", "venv", str(venv))))
    pip = (target, "-m", "pip")
    steps += [
        ("memperbarui pip", (*pip, "install", "--quiet", "--upgrade", "pip")),
        (
            f"memasang pustaka pada versi terkunci ({lock})",
            (*pip, "install", "--quiet", "--require-hashes", "-r", str(root / lock)),
        ),
        ("memasang MCP Workbook", (*pip, "install", "--quiet", "--no-deps", "-e", str(root))),
    ]
    return Plan(tuple(steps), stamp, lock_digest(root, lock))


def _fail(message: str) -> int:
    print(f"Gagal: {message}", file=sys.stderr)
    return 1


def setup(argv: Sequence[str] | None = None) -> int:
    """``python -m mcp_lib setup [--dev] [--here] [--venv DIR] [--force]``; returns the exit status."""
    ap = argparse.ArgumentParser(
        prog="python -m mcp_lib setup",
        description="Memasang MCP Workbook tanpa make: .venv, pustaka pada versi terkunci, lalu proyek ini.",
    )
    ap.add_argument("--dev", action="store_true", help=f"juga alat pengujian ({DEV_LOCK})")
    ap.add_argument("--here", action="store_true", help="pasang ke Python yang sedang berjalan (lingkungan conda)")
    ap.add_argument("--venv", type=Path, help="folder lingkungan (bawaan: .venv di folder proyek)")
    ap.add_argument("--force", action="store_true", help="pasang ulang walaupun sudah terpasang")
    args = ap.parse_args(argv)
    if sys.version_info < MIN_PYTHON:
        found = ".".join(map(str, sys.version_info[:3]))
        return _fail(f"MCP Workbook memerlukan Python 3.11 atau lebih baru; yang menjalankan perintah ini {found}.")
    lock = DEV_LOCK if args.dev else LOCK
    if not (ROOT / lock).is_file():
        return _fail(f"berkas kunci {ROOT / lock} tidak ada: jalankan perintah ini dari salinan lengkap proyek.")
    p = plan(ROOT, venv=args.venv, dev=args.dev, here=args.here)
    if not args.force and p.stamp.is_file() and p.stamp.read_text(encoding="utf-8").strip() == p.digest:
        print(f"Sudah terpasang sesuai {lock} ({p.stamp.parent}).")
        return 0
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    for words, cmd in p.steps:
        print(f"- {words} ...", flush=True)
        try:
            done = subprocess.run(cmd, env=env, check=False)
        except OSError as exc:
            return _fail(f"{words}: {exc}")
        if done.returncode != 0:
            shown = " ".join(cmd)
            return _fail(f"{words} (perintah: {shown}, kode keluar {done.returncode}). Pesan pip ada di atas.")
    try:
        p.stamp.parent.mkdir(parents=True, exist_ok=True)
        p.stamp.write_text(p.digest + "\n", encoding="utf-8")
    except PermissionError:
        return _fail(f"tidak dapat menulis {p.stamp}: tutup program yang memakainya lalu ulangi.")
    mcp = "mcp" if args.here else str(venv_command(args.venv or Path(".venv"), "mcp"))
    print(f"Siap. Brief contoh: {mcp} brief --pemda kota-lubuklinggau --period 2023-10")
    return 0
