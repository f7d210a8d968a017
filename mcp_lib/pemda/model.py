"""A pemda: its folder, its settings as a model (:class:`Pemda`, :class:`Opd`, :class:`Penalty`), the
one check of its folder name, and what follows from it (its framework, its calendar).

Layout of ``data/pemda/<slug>/``::

    pemda.toml               name, kind, province, framework year, target, earlier finals, OPDs
                             (read, checked and written by :mod:`mcp_lib.pemda.settings`)
    status/2023-10-31.csv    one row per evidence document at that date (or .xlsx), see
                             :mod:`mcp_lib.pemda.snapshot`
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from mcp_lib.config import DATA_DIR, inside
from mcp_lib.errors import InputError, Problem
from mcp_lib.framework.calendar import Calendar, resolve_calendar
from mcp_lib.framework.model import Framework
from mcp_lib.io.tomlfile import toml_line
from mcp_lib.risk.params import AREA_MULTIPLIERS, RiskParams


@dataclass(frozen=True)
class Opd:
    """An agency (perangkat daerah); ``capacity_days`` is person-days per month, if known.

    ``aka`` lists other names it goes by in framework files, trackers or older snapshots (the
    framework's default name, a name before a rename): they are read as ``name``.
    """

    name: str
    capacity_days: float | None = None
    aka: tuple[str, ...] = ()


@dataclass(frozen=True)
class Penalty:
    """A deduction KPK applies to one pemda in one year (e.g. after an arrest of the regional
    head): ``points`` of the total score, subtracted after weighting."""

    points: float
    reason: str = ""


@dataclass(frozen=True, eq=False)
class Pemda:
    """A local government and its settings from ``pemda.toml``."""

    slug: str
    name: str
    kind: str
    province: str
    framework_year: int
    target: float
    deadline: dt.date
    path: Path
    final_scores: dict[int, float] = field(default_factory=dict)
    opds: tuple[Opd, ...] = ()
    note: str = ""
    risk: RiskParams = field(default_factory=RiskParams)
    """The verification-risk parameters: the defaults, with the ``[risiko]`` table of ``pemda.toml``."""
    upload_close: dt.date | None = None
    """The pemda's own upload close (``upload_close`` in ``pemda.toml``), else the framework's."""
    final_date: dt.date | None = None
    """The pemda's own final date (``final_date`` in ``pemda.toml``), else the framework's."""
    penalties: dict[int, Penalty] = field(default_factory=dict)
    """Deductions by year (``[penalty.<year>]`` in ``pemda.toml``)."""

    def penalty(self, year: int) -> Penalty | None:
        """The deduction of ``year``, if any."""
        return self.penalties.get(int(year))

    @property
    def data_root(self) -> Path:
        """The data root the pemda folder sits in (``<root>/pemda/<slug>``); frameworks are
        looked up in ``<root>/frameworks`` before the bundled ones."""
        return self.path.parent.parent

    @property
    def status_dir(self) -> Path:
        return self.path / "status"

    @property
    def last_final(self) -> tuple[int, float] | None:
        """The latest final score of a year before the framework year, as ``(year, score)``."""
        earlier = {y: s for y, s in self.final_scores.items() if y < self.framework_year}
        if not earlier:
            return None
        year = max(earlier)
        return year, earlier[year]


def opd_names(pemda: Pemda) -> dict[str, str]:
    """Every name an OPD of the pemda goes by (lower case, its ``aka`` too) → its name."""
    names = {a.lower(): o.name for o in pemda.opds for a in o.aka}
    names.update({o.name.lower(): o.name for o in pemda.opds})
    return names


NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
"""A pemda folder name that is safe as an output folder name (no separators, dots or spaces)."""


SLUG = re.compile(r"(?=.{1,64}$)[a-z0-9]+(?:-[a-z0-9]+)*")
"""A new pemda folder name (``mcp init``): lower-case letters, digits and single hyphens."""


def check_name(name: str, where: str = "--pemda", *, strict: bool = False) -> str:
    """``name`` if it is a safe pemda folder name (``strict``: the :data:`SLUG` form ``mcp init``
    gives new folders), else an :class:`InputError` saying what is allowed."""
    if strict and not SLUG.fullmatch(str(name)):
        raise InputError.one(
            where,
            "nama folder pemda tidak sah",
            value=name,
            expected="huruf kecil, angka dan tanda hubung saja, mis. kab-muara-enim (maks. 64 karakter)",
        )
    if not NAME.fullmatch(str(name)):
        raise InputError.one(
            where,
            "nama pemda tidak sah",
            value=name,
            expected="nama folder di <data>/pemda: huruf, angka, - dan _ saja (mis. kota-lubuklinggau), "
            "atau path ke folder yang berisi pemda.toml",
        )
    return str(name)


def pemda_calendar(pemda: Pemda, framework: Framework) -> Calendar:
    """Upload close and final date for the pemda's year: ``pemda.toml``, else ``framework.toml``,
    else the published or default calendar (:func:`mcp_lib.framework.calendar.resolve_calendar`).

    Raises
    ------
    InputError
        When the dates put together end before they start (a final date before the upload close),
        naming the file that set the one given.
    """
    calendar = resolve_calendar(
        framework.year, (framework.upload_close, framework.final_date), (pemda.upload_close, pemda.final_date)
    )
    close = pemda.upload_close or framework.upload_close
    final = pemda.final_date or framework.final_date
    if close is not None and final is not None and final < close:
        key, where = (
            ("final_date", pemda.path / "pemda.toml")
            if pemda.final_date
            else ("upload_close", pemda.path / "pemda.toml")
            if pemda.upload_close
            else ("final_date", framework.path / "framework.toml" if framework.path else "framework.toml")
        )
        raise InputError.one(
            str(where),
            f"tanggal nilai final {final} sebelum batas unggah {close}",
            column=key,
            expected="nilai final sama dengan atau sesudah batas unggah",
        )
    return calendar


def pemda_framework(pemda: Pemda, data_dir: Path | str | None = None) -> Framework:
    """The framework of the pemda's year: from ``data_dir``'s frameworks, else the pemda's own data
    root's, else the bundled ones.

    Raises
    ------
    InputError
        Also when ``[risiko.area]`` of ``pemda.toml`` names an area that is neither a code of
        this framework nor a key of the built-in table (a typo would silently change nothing).
    """
    from mcp_lib.framework.folder import load_framework

    fw = load_framework(pemda.framework_year, Path(data_dir) if data_dir else pemda.data_root)
    known = set(fw.areas["area_code"]) | {key for key, _p, _v in AREA_MULTIPLIERS}
    unknown = [key for key, _v in pemda.risk.area_multiplier if key not in known]
    if unknown:
        path = pemda.path / "pemda.toml"
        text = path.read_text(encoding="utf-8-sig") if path.is_file() else ""
        raise InputError(
            [
                Problem(
                    str(path),
                    "area tidak dikenal di [risiko.area]",
                    row=toml_line(text, "risiko.area", key),
                    column=f"risiko.area.{key}",
                    value=key,
                    expected="kode area kerangka "
                    + str(fw.year)
                    + " ("
                    + ", ".join(fw.areas["area_code"])
                    + ") atau salah satu: "
                    + ", ".join(k for k, _p, _v in AREA_MULTIPLIERS),
                )
                for key in unknown
            ]
        )
    return fw


def new_pemda_dir(name: str, data_dir: Path | str | None = None, *, strict: bool = False) -> Path:
    """The one door through which a user-given name becomes a pemda folder to write
    (``mcp init``, ``mcp import-kpk``): ``<data_dir>/pemda/<name>`` after :func:`check_name`
    (``strict``: the :data:`SLUG` form), and never a symlink leading out of the data folder.

    Raises
    ------
    InputError
        A name with separators, ``..``, spaces or odd characters, or a folder that escapes.
    """
    root = Path(data_dir or DATA_DIR) / "pemda"
    folder = root / check_name(str(name), strict=strict)
    if not inside(folder.parent, root.parent) or (folder.exists() and not inside(folder, root)):
        raise InputError.one(
            str(folder), "folder pemda di luar folder data; tidak ditulis", expected=f"folder di dalam {root}"
        )
    return folder


def pemda_dir(ref: str | Path, data_dir: Path | None = None) -> Path:
    """A pemda folder from a name (under ``<data_dir>/pemda``) or a path.

    Raises
    ------
    InputError
        A name with separators, ``..`` or odd characters; a folder under ``pemda/`` that is a
        symlink leading out of the data folder (never followed).
    """
    path = Path(ref)
    if path.is_dir() and (path / "pemda.toml").exists():
        return path
    root = Path(data_dir or DATA_DIR) / "pemda"
    if path.is_absolute() and path.parent == Path(os.path.abspath(root)) and NAME.fullmatch(path.name):
        # <data>/pemda/<name> is that name, whether its folder exists or not (a brief's request
        # holds the name as this path): a missing one is said missing by the reader, naming those
        # that exist, not called an invalid name.
        return path
    # ``kab-musi-rawas/`` as a shell's completion writes it is the name without its slash
    folder = root / check_name(str(ref).rstrip("/\\") or str(ref))
    if folder.exists() and not inside(folder, root):
        raise InputError.one(
            str(folder),
            "folder pemda adalah tautan (symlink) ke luar folder data; tidak diikuti",
            expected=f"folder pemda yang sebenarnya di dalam {root}",
        )
    return folder


def percent_problem(value: float) -> str | None:
    """Why ``value`` cannot be a target or a final score in percent, else ``None``: outside
    0–100, or a fraction above 0 up to 1 (``0.85`` for 85%, the value Excel keeps behind a cell
    shown as 85%), which would otherwise be taken as a target of 0,85% without a word."""
    if not 0 <= value <= 100:
        return "di luar 0–100"
    if 0 < value <= 1:
        return "tampak seperti pecahan (0.85 untuk 85%?)"
    return None
