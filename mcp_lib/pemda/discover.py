"""Finding pemda folders for a batch: every folder holding a ``pemda.toml`` that a pattern matches,
or every pemda of a province under a data root; each real folder once, never two of one name.

The province is read from each ``pemda.toml`` by :func:`~mcp_lib.pemda.settings.province_of`,
as :func:`~mcp_lib.pemda.settings.load_pemda` reads the file.
"""

from __future__ import annotations

import glob
from dataclasses import dataclass
from pathlib import Path

from mcp_lib.config import inside
from mcp_lib.errors import InputError, Problem
from mcp_lib.pemda.settings import province_of

__all__ = ["Found", "in_province", "matching"]

MIXED = "Gabungan"
"""The name of a batch whose pemda are of several provinces (or of none that can be read)."""


@dataclass(frozen=True)
class Found:
    """The pemda folders of a batch and its name (the province, or :data:`MIXED`)."""

    folders: list[Path]
    name: str
    links: list[tuple[Path, Path]]
    """Links (symlinks) left out, each with the folder it points to, already in ``folders``."""


def matching(pattern: str) -> Found:
    """The pemda folders ``pattern`` (a shell pattern, ``data/generated/pemda/*``) matches.

    Raises
    ------
    InputError
        Two real folders of the same name (their briefs would go to the same month folder).
    """
    folders = sorted(Path(p) for p in glob.glob(pattern) if (Path(p) / "pemda.toml").is_file())
    kept, links = _once_each(folders)
    provinces = {province_of(f) for f in kept} - {None}  # an unreadable file is reported when its brief runs
    name = provinces.pop() if len(provinces) == 1 else MIXED
    return Found(kept, name or MIXED, links)


def in_province(root: Path, province: str) -> Found:
    """The pemda folders under ``root`` (``<data>/pemda``) whose ``pemda.toml`` names ``province``
    (any case), and those whose province cannot be read (their run reports the file's problem).

    Raises
    ------
    InputError
        A pemda folder that is a link to outside ``root``, or two real folders of one name.
    """
    found = sorted(root.glob("*/pemda.toml"))
    outside = [f.parent for f in found if not inside(f, root)]
    if outside:
        raise InputError(
            Problem(
                str(f),
                "folder pemda adalah tautan (symlink) ke luar folder data; tidak diikuti",
                expected=f"folder pemda yang sebenarnya di dalam {root}",
            )
            for f in outside
        )
    folders = []
    for f in found:
        of = province_of(f.parent)
        if of is None or of.casefold() == province.casefold():
            folders.append(f.parent)
    kept, links = _once_each(folders)
    return Found(kept, province, links)


def _once_each(folders: list[Path]) -> tuple[list[Path], list[tuple[Path, Path]]]:
    """Each real pemda folder once (the real folder kept over a link to it, so no pemda is counted
    and ranked twice and no two jobs write the same month), and the links left out."""
    by_real: dict[Path, Path] = {}
    for f in sorted(folders, key=lambda f: (f.is_symlink(), str(f))):
        by_real.setdefault(f.resolve(), f)
    kept = set(by_real.values())
    links = [(f, by_real[f.resolve()]) for f in folders if f not in kept]
    kept_folders = [f for f in folders if f in kept]
    _refuse_same_names(kept_folders)
    return kept_folders, links


def _refuse_same_names(folders: list[Path]) -> None:
    """Two real folders of one name (``--pemda-glob 'data*/pemda/*'``): their briefs would be
    written to the same ``outputs/<name>/<period>/``."""
    names: dict[str, list[Path]] = {}
    for f in folders:
        names.setdefault(f.name, []).append(f)
    same = {name: fs for name, fs in names.items() if len(fs) > 1}
    if same:
        raise InputError(
            Problem(
                str(fs[1]),
                f"dua folder pemda bernama sama ({name}): brief keduanya akan ditulis ke folder keluaran yang sama",
                value=str(fs[0]),
                expected="satu folder per pemda; jalankan batch terpisah (--out berbeda) untuk data yang berbeda",
            )
            for name, fs in same.items()
        )
