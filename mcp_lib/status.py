"""A pemda folder: ``pemda.toml`` and dated status snapshots, loaded and validated.

Layout of ``data/pemda/<slug>/``::

    pemda.toml               name, kind, province, framework year, target, earlier finals, OPDs
    status/2023-10-31.csv    one row per evidence document at that date (or .xlsx)

A reporting period ``YYYY-MM`` picks the latest snapshot dated inside that month.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from mcp_lib.config import DATA_DIR, MAX_CAPACITY_DAYS, MAX_EFFORT_DAYS, PEMDA_KINDS, STATUSES, inside
from mcp_lib.errors import InputError, Problem, Problems
from mcp_lib.files import keep_backup
from mcp_lib.framework import Framework
from mcp_lib.mcp_calendar import Calendar, resolve_calendar
from mcp_lib.rawfile import ROW, clean_text
from mcp_lib.readers import Column, Schema, csv_safe_frame, duplicated_rows, read_table
from mcp_lib.risk_params import AREA_MULTIPLIERS, RiskParams, params_from_toml
from mcp_lib.tomlfile import read_toml, toml_line

SNAPSHOT_SCHEMA = Schema(
    "status",
    (
        Column("doc_code", "code"),
        Column("opd", "text", required=False, blank_ok=True),
        Column("status", "choice", choices=STATUSES),
        Column("verified_points", "number", blank_ok=True),
        Column("effort_days", "number", required=False, blank_ok=True, minimum=0, maximum=MAX_EFFORT_DAYS),
        Column("due_date", "date", required=False, blank_ok=True),
        Column("blocker", "text", required=False, blank_ok=True),
        Column("note", "text", required=False, blank_ok=True),
    ),
    max_rows=10_000,  # one row per evidence document: a few hundred
)
POINT_STATUSES = ("diverifikasi", "perlu_perbaikan")
"""Statuses whose ``verified_points`` count: verified in full or in part by the verifier."""
_SNAPSHOT_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})\.(csv|xlsx)$", re.IGNORECASE)
_PERIOD = re.compile(r"(\d{4})-(\d{2})$")


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


@dataclass(frozen=True, eq=False)
class Snapshot:
    """One validated status file.

    ``documents`` has one row per evidence document of the framework (documents of areas that
    do not apply to the pemda are added as ``tidak_berlaku`` when the file omits them), with
    ``opd`` the lead agency and ``opds`` all agencies as written.
    """

    date: dt.date
    path: Path
    documents: pd.DataFrame

    @property
    def period(self) -> str:
        return f"{self.date:%Y-%m}"


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
    else the published or default calendar (:func:`mcp_lib.mcp_calendar.resolve_calendar`).

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
        key, where = ("final_date", pemda.path / "pemda.toml") if pemda.final_date else (
            "upload_close", pemda.path / "pemda.toml") if pemda.upload_close else (
            "final_date", framework.path / "framework.toml" if framework.path else "framework.toml")  # fmt: skip
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
    from mcp_lib.framework import load_framework

    fw = load_framework(pemda.framework_year, Path(data_dir) if data_dir else pemda.data_root)
    known = set(fw.areas["area_code"]) | {key for key, _p, _v in AREA_MULTIPLIERS}
    unknown = [key for key, _v in pemda.risk.area_multiplier if key not in known]
    if unknown:
        path = pemda.path / "pemda.toml"
        text = path.read_text(encoding="utf-8-sig") if path.is_file() else ""
        raise InputError(
            [
                Problem(
                    str(path), "area tidak dikenal di [risiko.area]", row=toml_line(text, "risiko.area", key),
                    column=f"risiko.area.{key}", value=key,
                    expected="kode area kerangka " + str(fw.year) + " (" + ", ".join(fw.areas["area_code"])
                    + ") atau salah satu: " + ", ".join(k for k, _p, _v in AREA_MULTIPLIERS),
                )
                for key in unknown
            ]
        )  # fmt: skip
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
    folder = root / check_name(str(ref))
    if folder.exists() and not inside(folder, root):
        raise InputError.one(
            str(folder),
            "folder pemda adalah tautan (symlink) ke luar folder data; tidak diikuti",
            expected=f"folder pemda yang sebenarnya di dalam {root}",
        )
    return folder


def _need(meta: dict, key: str, types: type | tuple, path: Path, problems: Problems, expected: str):
    value = meta.get(key)
    if value is None:
        problems.add(path, "pengaturan wajib tidak ada", column=key, expected=expected)
    elif not isinstance(value, types) or isinstance(value, bool):
        problems.add(path, "pengaturan tidak sah", column=key, value=value, expected=expected)
        return None
    return value


def load_pemda(ref: str | Path, data_dir: Path | None = None) -> Pemda:
    """Load ``pemda.toml`` of a pemda folder (slug or path).

    Raises
    ------
    InputError
        When the folder or file is missing or a setting is missing or invalid.
    """
    folder = pemda_dir(ref, data_dir)
    path = folder / "pemda.toml"
    problems = Problems()
    if not path.is_file():
        base = folder.parent
        known = (
            sorted(p.name for p in base.iterdir() if (p / "pemda.toml").is_file()) if base.is_dir() else []
        )
        problems.add(
            path,
            "berkas pengaturan pemda tidak ditemukan",
            expected="salah satu pemda: " + (", ".join(known) or "(tidak ada)"),
        )
        problems.raise_if_any()
    text, meta = read_toml(path)

    name = _need(meta, "name", str, path, problems, 'nama pemda, mis. "Kota Lubuklinggau"')
    if isinstance(name, str) and not clean_text(name):
        problems.add(
            path, "nama pemda kosong", column="name", expected='nama pemda, mis. "Kota Lubuklinggau"'
        )
    kind = _need(meta, "kind", str, path, problems, "kota, kabupaten atau provinsi")
    if isinstance(kind, str) and kind.lower() not in PEMDA_KINDS:
        problems.add(
            path,
            "jenis pemda tidak dikenal",
            column="kind",
            value=kind,
            expected="kota, kabupaten atau provinsi",
        )
    year = _need(meta, "framework", int, path, problems, "tahun kerangka MCP, mis. 2023")
    if isinstance(year, int) and not 2000 <= year <= 2100:
        problems.add(
            path, "tahun kerangka MCP tidak sah", column="framework", value=year,
            expected="tahun kerangka MCP, mis. 2023",
        )  # fmt: skip
        year = None
    target = _need(meta, "target", (int, float), path, problems, "nilai target 0–100, mis. 90")
    if isinstance(target, int | float) and not 0 <= target <= 100:
        problems.add(
            path, "target di luar 0–100", column="target", value=target, expected="nilai target 0–100"
        )
    deadline = meta.get("deadline")
    if deadline is None and isinstance(year, int):
        deadline = dt.date(year, 12, 31)
    if (deadline is not None or year is not None) and (
        not isinstance(deadline, dt.date) or isinstance(deadline, dt.datetime)
    ):
        problems.add(
            path,
            "tenggat tidak sah",
            column="deadline",
            value=deadline,
            expected="tanggal TOML, mis. 2023-12-31",
        )
    dates: dict[str, dt.date | None] = {}
    for key in ("upload_close", "final_date"):
        value = meta.get(key)
        if value is not None and (not isinstance(value, dt.date) or isinstance(value, dt.datetime)):
            problems.add(
                path, "tanggal tidak sah", row=_line_of(text, key), column=key, value=value,
                expected="tanggal TOML tanpa tanda kutip, mis. 2023-11-30",
            )  # fmt: skip
            value = None
        dates[key] = value
    if isinstance(year, int):
        first, last = assessment_window(year)
        for key, value in dates.items():
            if value is not None and not first <= value <= last:
                problems.add(
                    path, f"tanggal di luar masa penilaian kerangka {year}", row=_line_of(text, key), column=key,
                    value=value, expected=f"antara {first} dan {last}",
                )  # fmt: skip
    if dates["upload_close"] and dates["final_date"] and dates["final_date"] < dates["upload_close"]:
        problems.add(
            path, "tanggal final sebelum batas unggah", row=_line_of(text, "final_date"), column="final_date",
            value=dates["final_date"], expected=f"sama dengan atau sesudah upload_close ({dates['upload_close']})",
        )  # fmt: skip
    risk = RiskParams()
    if "risiko" in meta:
        try:
            risk = params_from_toml(meta["risiko"], str(path), text)
        except InputError as exc:
            problems.extend(exc.problems)
    _check_keys(meta, path, text, problems)
    penalties = _penalties(meta.get("penalty"), path, text, problems)
    for key in ("province", "note"):
        if key in meta and not isinstance(meta[key], str):
            problems.add(
                path, "pengaturan tidak sah", column=key, value=meta[key], expected="teks dalam tanda kutip"
            )
    finals: dict[int, float] = {}
    final_scores = meta.get("final_scores") or {}
    if not isinstance(final_scores, dict):
        problems.add(
            path, "nilai akhir tahun lalu tidak sah", column="final_scores", value=final_scores,
            expected="tabel [final_scores] berisi baris seperti 2022 = 87",
        )  # fmt: skip
        final_scores = {}
    for key, value in final_scores.items():
        if (
            not re.fullmatch(r"[0-9]{4}", str(key)) or not isinstance(value, int | float)
            or isinstance(value, bool) or not 0 <= value <= 100
        ):  # fmt: skip
            problems.add(
                path,
                "nilai akhir tahun lalu tidak sah",
                column=f"final_scores.{key}",
                value=value,
                expected="2022 = 87",
            )
        else:
            finals[int(key)] = float(value)
    opds = []
    opd_items = meta.get("opd") or []
    if not isinstance(opd_items, list):
        problems.add(
            path, "daftar OPD tidak sah", column="opd", value=opd_items,
            expected='satu bagian [[opd]] per OPD, mis. [[opd]] name = "Bapenda"',
        )  # fmt: skip
        opd_items = []
    for i, item in enumerate(opd_items, start=1):
        cap = item.get("capacity_days") if isinstance(item, dict) else None
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("name"), str)
            or not clean_text(item["name"])
        ):
            problems.add(
                path, f"OPD ke-{i} tanpa nama", column="opd.name", expected='[[opd]] name = "Bapenda"'
            )
        elif cap is not None and (
            not isinstance(cap, int | float) or isinstance(cap, bool) or not 0 <= cap <= MAX_CAPACITY_DAYS
        ):
            problems.add(
                path,
                f"kapasitas OPD {item['name']} tidak sah",
                column="opd.capacity_days",
                value=cap,
                expected=f"angka hari-orang per bulan antara 0 dan {MAX_CAPACITY_DAYS:g}",
            )
        else:
            aka = item.get("aka", [])
            if isinstance(aka, str):
                aka = [aka]
            if not isinstance(aka, list) or not all(isinstance(a, str) for a in aka):
                problems.add(
                    path, f"nama lain OPD {item['name']} tidak sah", column="opd.aka", value=aka,
                    expected='daftar nama, mis. aka = ["Bagian PBJ"]',
                )  # fmt: skip
                aka = []
            opds.append(
                Opd(
                    clean_text(item["name"]), None if cap is None else float(cap),
                    tuple(clean_text(a) for a in aka if clean_text(a)),
                )
            )  # fmt: skip
    _check_opd_names(opds, path, text, problems)
    problems.raise_if_any()
    return Pemda(
        slug=folder.name, name=name, kind=kind.lower(), province=str(meta.get("province", "")),
        framework_year=year, target=float(target), deadline=deadline, path=folder,
        final_scores=finals, opds=tuple(opds), note=str(meta.get("note", "")), risk=risk,
        upload_close=dates["upload_close"], final_date=dates["final_date"], penalties=penalties,
    )  # fmt: skip


PEMDA_KEYS = (
    "name", "kind", "province", "framework", "target", "deadline", "note", "upload_close", "final_date",
    "final_scores", "opd", "risiko", "penalty",
)  # fmt: skip
"""The settings of ``pemda.toml`` (anything else is a typo or a line in the wrong place)."""
OPD_KEYS = ("name", "capacity_days", "aka")


def _check_keys(meta: dict, path: Path, text: str, problems: Problems) -> None:
    """Unknown settings are refused (with a suggestion): a misspelt ``uplod_close`` would
    otherwise be ignored. A setting written after the last ``[[opd]]`` belongs to that OPD in
    TOML; the message says to move it up."""
    import difflib

    for key in meta:
        if key not in PEMDA_KEYS:
            near = difflib.get_close_matches(str(key), PEMDA_KEYS, n=1)
            problems.add(
                path, "pengaturan tidak dikenal" + (f" (maksud Anda {near[0]}?)" if near else ""),
                row=_line_of(text, str(key)), column=str(key),
                expected="salah satu dari: " + ", ".join(PEMDA_KEYS),
            )  # fmt: skip
    items = meta.get("opd") if isinstance(meta.get("opd"), list) else []
    for item in items:
        if not isinstance(item, dict):
            continue
        for key in item:
            if key in OPD_KEYS:
                continue
            where = "" if key not in PEMDA_KEYS else (
                f"; {key} adalah pengaturan pemda: tulis di bagian atas berkas, sebelum [[opd]] pertama "
                "(baris sesudah [[opd]] menjadi milik OPD itu)"
            )  # fmt: skip
            problems.add(
                path, f"pengaturan OPD tidak dikenal di [[opd]] {item.get('name', '')!r}{where}",
                row=_key_line(text, str(key)), column=f"opd.{key}",
                expected="name, capacity_days atau aka",
            )  # fmt: skip


def _key_line(text: str, key: str) -> int | None:
    """The last line setting ``key`` anywhere in a TOML text (dotted and quoted keys too)."""
    found = None
    pattern = re.compile(r'^\s*"?' + re.escape(key) + r'"?\s*[.=]')
    for i, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            found = i
    return found


def _penalties(table: object, path: Path, text: str, problems: Problems) -> dict[int, Penalty]:
    """``[penalty.2025]`` tables: ``points`` (0–100) and ``reason``, each year once."""
    from mcp_lib.tomlfile import toml_line

    if table is None:
        return {}
    example = '[penalty.2025] dengan points = 5 dan reason = "..."'
    if not isinstance(table, dict):
        problems.add(path, "penalti tidak sah", row=_line_of(text, "penalty"), column="penalty", value=table,
                     expected=example)  # fmt: skip
        return {}
    out: dict[int, Penalty] = {}
    for year, item in table.items():
        line = toml_line(text, f"penalty.{year}", "points") or _table_line(text, f"penalty.{year}")
        if not re.fullmatch(r"[0-9]{4}", str(year)) or not isinstance(item, dict):
            problems.add(
                path, "penalti tidak sah", row=line, column=f"penalty.{year}", value=item, expected=example
            )
            continue
        points, reason = item.get("points"), item.get("reason", "")
        if isinstance(points, bool) or not isinstance(points, int | float) or not 0 <= points <= 100:
            problems.add(path, "poin penalti di luar 0–100", row=line, column=f"penalty.{year}.points", value=points,
                         expected="poin nilai total yang dikurangkan, 0–100, mis. points = 5")  # fmt: skip
            continue
        if not isinstance(reason, str):
            problems.add(path, "alasan penalti tidak sah", row=toml_line(text, f"penalty.{year}", "reason") or line,
                         column=f"penalty.{year}.reason", value=reason, expected="teks dalam tanda kutip")  # fmt: skip
            continue
        unknown = set(item) - {"points", "reason"}
        if unknown:
            problems.add(path, "pengaturan penalti tidak dikenal", row=line, column=f"penalty.{year}",
                         value=", ".join(sorted(unknown)), expected="points dan reason")  # fmt: skip
            continue
        out[int(year)] = Penalty(float(points), clean_text(reason))
    return out


def _table_line(text: str, table: str) -> int | None:
    for i, line in enumerate(text.splitlines(), start=1):
        head = re.match(r"^\s*\[+\s*([^\]]+?)\s*\]+", line)
        if head and head.group(1).replace('"', "").replace(" ", "") == table:
            return i
    return None


def _opd_key(name: str) -> str:
    return " ".join(str(name).casefold().split())


def _check_opd_names(opds: list[Opd], path: Path, text: str, problems: Problems) -> None:
    """Every name an OPD goes by (its name and its ``aka``) must be its own: two ``[[opd]]``
    entries with the same name in another case or spacing, or an alias that is another OPD's
    name or alias, would let one capacity silently win."""
    seen: dict[str, int] = {}  # name or alias key -> index of the OPD that has it
    nth: dict[str, int] = {}  # name key -> how many entries so far carry that name
    for i, opd in enumerate(opds):
        nth[_opd_key(opd.name)] = nth.get(_opd_key(opd.name), 0) + 1
        row = _opd_line(text, opd.name, nth[_opd_key(opd.name)])
        for alias in dict.fromkeys([opd.name, *opd.aka]):
            key = _opd_key(alias)
            if key in seen and seen[key] != i:
                other = opds[seen[key]].name
                own = alias == opd.name
                message = (
                    f"OPD {opd.name!r} ditulis dua kali"
                    + ("" if other == opd.name else f" (juga sebagai {other!r})")
                    if own and _opd_key(other) == key
                    else f"OPD ganda: {'nama' if own else f'nama lain (aka) {alias!r}'} dari OPD {opd.name!r} "
                    f"sama dengan OPD {other!r}"
                )
                problems.add(
                    path, message, row=row, column="opd.name" if own else "opd.aka", value=alias,
                    expected="satu bagian [[opd]] per OPD; nama lama cukup ditulis di aka OPD yang sama",
                )  # fmt: skip
            else:
                seen.setdefault(key, i)


def _opd_line(text: str, name: str, nth: int = 1) -> int | None:
    """The line of the ``nth`` ``name = "<name>"`` (any case and spacing) in a TOML text."""
    count = 0
    for i, line in enumerate(text.splitlines(), start=1):
        m = re.match(r"\s*name\s*=\s*[\"'](.*)[\"']", line)
        if m and _opd_key(m.group(1)) == _opd_key(name):
            count += 1
            if count == nth:
                return i
    return None


def _line_of(text: str, key: str) -> int | None:
    """The line (1-based) of a top-level ``key = ...`` in a TOML text, if found."""
    for i, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("["):
            return None
        if re.match(r"\s*" + re.escape(key) + r"\s*=", line):
            return i
    return None


def list_snapshots(pemda: Pemda) -> list[tuple[dt.date, Path]]:
    """Dated snapshot files of a pemda, oldest first.

    Raises
    ------
    InputError
        When the ``status`` folder is missing or a file there is not named ``YYYY-MM-DD``.
    """
    problems = Problems()
    found: dict[dt.date, Path] = {}
    if not pemda.status_dir.is_dir():
        problems.add(
            pemda.status_dir,
            "folder status tidak ditemukan",
            expected="folder status/ berisi berkas YYYY-MM-DD.csv",
        )
        problems.raise_if_any()
    for path in sorted(pemda.status_dir.iterdir()):
        if path.name.startswith(("~$", ".")) or path.suffix.lower() not in (".csv", ".xlsx"):
            continue  # Excel lock files, hidden files, notes
        if not inside(path, pemda.path):
            problems.add(
                path, "berkas snapshot adalah tautan (symlink) ke luar folder pemda; tidak diikuti",
                expected="salin berkasnya ke folder status/ (bukan tautan)",
            )  # fmt: skip
            continue
        m = _SNAPSHOT_NAME.fullmatch(path.name)
        date = None
        if m:
            try:
                date = dt.date.fromisoformat(m.group(1))
            except ValueError:
                date = None
        if date is None:
            problems.add(
                path,
                "nama berkas snapshot bukan tanggal",
                value=path.name,
                expected="nama YYYY-MM-DD.csv, mis. 2023-10-31.csv",
            )
        elif date in found:
            problems.add(
                path,
                f"dua berkas untuk tanggal yang sama ({found[date].name})",
                expected="satu berkas per tanggal",
            )
        else:
            found[date] = path
    problems.raise_if_any()
    return sorted(found.items())


def parse_period(period: str) -> tuple[int, int]:
    """``'2023-10'`` → ``(2023, 10)``; raises :class:`InputError` for anything else."""
    m = _PERIOD.fullmatch(str(period).strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise InputError.one("--period", "periode tidak sah", value=period, expected="YYYY-MM, mis. 2023-10")
    return int(m.group(1)), int(m.group(2))


def snapshot_path_for_period(pemda: Pemda, period: str) -> tuple[dt.date, Path]:
    """The latest snapshot dated inside ``period``; an error names the periods that exist."""
    year, month = parse_period(period)
    snaps = list_snapshots(pemda)
    inside = [(d, p) for d, p in snaps if (d.year, d.month) == (year, month)]
    if not inside:
        periods = sorted({f"{d:%Y-%m}" for d, _ in snaps})
        raise InputError.one(
            str(pemda.status_dir),
            f"tidak ada snapshot untuk periode {period}",
            expected="salah satu periode yang ada: " + (", ".join(periods) or "(belum ada snapshot)"),
        )
    return inside[-1]


def assessment_window(year: int) -> tuple[dt.date, dt.date]:
    """Dates a snapshot of framework ``year`` may carry: uploads and verification run from
    January of the year to the end of March of the next (final scores settle in Q1)."""
    return dt.date(year, 1, 1), dt.date(year + 1, 3, 31)


def _lead(opds: str) -> str:
    return opds.split(";")[0].strip() if opds else ""


def load_snapshot(
    path: str | Path,
    framework: Framework,
    pemda: Pemda,
    date: dt.date | None = None,
    *,
    sheet: str | None = None,
    aliases: dict[str, str] | None = None,
) -> Snapshot:
    """Load and validate one snapshot file against the framework and the pemda.

    ``sheet`` and ``aliases`` (see :func:`mcp_lib.readers.read_table`) read the same table from
    a workbook laid out differently, such as the Excel tracker.

    Raises
    ------
    InputError
        Listing every problem: unknown or duplicate documents, documents missing, unknown
        status, points above the document's maximum or negative, points on a status that
        carries none, unparseable dates, unknown OPD, a snapshot dated outside the
        framework year.
    """
    path = Path(path)
    problems = Problems()
    if date is None:
        m = _SNAPSHOT_NAME.fullmatch(path.name)
        date = dt.date.fromisoformat(m.group(1)) if m else None
    start, end = assessment_window(framework.year)
    if date is not None and not start <= date <= end:
        problems.add(
            path, f"snapshot bertanggal {date:%Y-%m-%d} bukan milik kerangka MCP {framework.year}",
            expected=f"tanggal antara {start:%Y-%m-%d} dan {end:%Y-%m-%d}, atau ubah 'framework' di pemda.toml",
        )  # fmt: skip
    frame = read_table(path, SNAPSHOT_SCHEMA, problems, sheet=sheet, aliases=aliases)
    if frame is None:
        problems.raise_if_any()
    docs = framework.documents.set_index("doc_code")
    applies = dict(zip(docs.index, framework.applies(pemda.kind), strict=True))
    doc_info = docs[
        ["points", "area_code", "area_name", "subindicator_code", "subindicator_name", "default_opd"]
    ].to_dict("index")
    live_areas = set(docs.loc[[applies[c] for c in docs.index], "area_code"])
    bottom = framework.levels[-1].name.lower()
    known_opds = opd_names(pemda)

    for dup in duplicated_rows(frame, ["doc_code"]).itertuples(index=False):
        rec = dup._asdict()
        first = frame.loc[frame["doc_code"] == rec["doc_code"], ROW].iloc[0]
        problems.add(
            path,
            f"dokumen ganda (sudah ada di baris {first})",
            row=rec[ROW],
            column="doc_code",
            value=rec["doc_code"],
        )
    unknown = frame["doc_code"].notna() & ~frame["doc_code"].isin(docs.index)
    for rec in frame[unknown].itertuples(index=False):
        rec = rec._asdict()
        hint = "kode dokumen dari evidence.csv kerangka MCP " + str(framework.year)
        if rec["doc_code"] in set(framework.subindicators["subindicator_code"]):
            hint += " (ini kode sub-indikator, bukan kode dokumen)"
        problems.add(
            path,
            "kode dokumen tidak dikenal",
            row=rec[ROW],
            column="doc_code",
            value=rec["doc_code"],
            expected=hint,
        )
    if unknown.sum() > len(frame) / 2:
        problems.add(
            path,
            f"sebagian besar kode dokumen tidak ada di kerangka MCP {framework.year}",
            expected="snapshot untuk kerangka tahun yang sama dengan pemda.toml",
        )

    opd_out, lead_out = [], []
    for rec in frame.to_dict("records"):
        code, row = rec["doc_code"], rec[ROW]
        doc = doc_info.get(code)
        vp, status = rec["verified_points"], rec["status"]
        if doc is not None and vp is not None and not pd.isna(vp):
            if vp < 0:
                problems.add(
                    path,
                    "poin terverifikasi negatif",
                    row=row,
                    column="verified_points",
                    value=vp,
                    expected=f"antara 0 dan {doc['points']:g}",
                )
            elif vp > doc["points"] + 1e-9:
                problems.add(
                    path,
                    f"poin terverifikasi melebihi poin maksimal dokumen ({doc['points']:g})",
                    row=row,
                    column="verified_points",
                    value=vp,
                    expected=f"antara 0 dan {doc['points']:g}",
                )
            elif vp > 0 and status is not None and status not in POINT_STATUSES:
                problems.add(
                    path,
                    f"status '{status}' tidak boleh punya poin terverifikasi",
                    row=row,
                    column="verified_points",
                    value=vp,
                    expected="kosong atau 0, atau ubah status ke diverifikasi/perlu_perbaikan",
                )
        if status == "diverifikasi" and (vp is None or pd.isna(vp)):
            problems.add(
                path,
                "dokumen diverifikasi tanpa poin terverifikasi",
                row=row,
                column="verified_points",
                expected=f"poin yang diterima verifikator (0–{doc['points']:g})"
                if doc is not None
                else "poin yang diterima verifikator",
            )
        if doc is not None and not applies[code] and status not in (None, "tidak_berlaku", "belum"):
            problems.add(
                path,
                f"area {doc['area_name']} tidak berlaku untuk {pemda.kind}"
                if doc["area_code"] not in live_areas
                else f"{bottom} {doc['subindicator_code']} ({doc['subindicator_name']}) tidak berlaku untuk {pemda.kind}",
                row=row,
                column="status",
                value=status,
                expected="tidak_berlaku, atau hapus barisnya",
            )
        opds = rec["opd"] or (doc["default_opd"] if doc is not None else "")
        names = [n.strip() for n in opds.split(";") if n.strip()]
        if known_opds:
            for n in names:
                if n.lower() not in known_opds:
                    problems.add(
                        path,
                        "OPD tidak terdaftar di pemda.toml",
                        row=row,
                        column="opd",
                        value=n,
                        expected="salah satu: "
                        + ", ".join(o.name for o in pemda.opds)
                        + " (nama lama/lain: tambahkan aka = [...] pada OPD itu di pemda.toml)",
                    )
            names = [known_opds.get(n.lower(), n) for n in names]
        opd_out.append("; ".join(names))
        lead_out.append(names[0] if names else "")

    present = set(frame["doc_code"].dropna())
    for code in (c for c, ok in applies.items() if ok):
        if code not in present:
            problems.add(
                path,
                f"dokumen {code} tidak ada di snapshot",
                column="doc_code",
                expected="satu baris per dokumen bukti (status 'belum' jika belum ada apa-apa)",
            )
    problems.raise_if_any()

    frame = frame.assign(opds=opd_out, opd=lead_out)
    missing = [c for c in docs.index if c not in present]
    if missing:
        filler = pd.DataFrame(
            {
                "doc_code": missing, "status": "tidak_berlaku", "verified_points": 0.0,
                "opds": [docs.loc[c, "default_opd"] for c in missing],
                "opd": [_lead(docs.loc[c, "default_opd"]) for c in missing],
            }
        )  # fmt: skip
        frame = pd.concat([frame, filler], ignore_index=True)
    frame["verified_points"] = frame["verified_points"].fillna(0.0)
    order = {c: i for i, c in enumerate(docs.index)}
    frame = frame.sort_values("doc_code", key=lambda s: s.map(order)).reset_index(drop=True)
    return Snapshot(date=date, path=path, documents=frame)


def load_period(pemda: Pemda, framework: Framework, period: str) -> Snapshot:
    """The validated snapshot for reporting month ``period`` (``YYYY-MM``)."""
    date, path = snapshot_path_for_period(pemda, period)
    return load_snapshot(path, framework, pemda, date)


def load_history(pemda: Pemda, framework: Framework, until: dt.date | None = None) -> list[Snapshot]:
    """Every snapshot of the pemda (up to ``until`` inclusive), oldest first, all validated.

    Raises
    ------
    InputError
        Listing the problems of every snapshot file at once.
    """
    problems = Problems()
    out = []
    for date, path in list_snapshots(pemda):
        if until is not None and date > until:
            continue
        try:
            out.append(load_snapshot(path, framework, pemda, date))
        except InputError as exc:
            problems.extend(exc.problems)
    problems.raise_if_any()
    return out


def write_snapshot(documents: pd.DataFrame, path: Path, *, force: bool = False) -> Path:
    """Write a snapshot table (the :data:`SNAPSHOT_SCHEMA` columns) as UTF-8 CSV.

    Raises
    ------
    InputError
        When ``path`` exists and ``force`` is not set: nothing the analyst made is overwritten.
    """
    path = Path(path)
    if path.exists() and not force:
        raise InputError.one(
            str(path),
            "snapshot sudah ada dan tidak ditimpa",
            expected="hapus dulu, atau jalankan lagi dengan --force",
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    out = documents.reindex(columns=SNAPSHOT_SCHEMA.names)
    out = out.assign(opd=documents["opds"]) if "opds" in documents else out
    tmp = path.with_name(f".{path.name}.tmp")
    csv_safe_frame(out).to_csv(tmp, index=False, lineterminator="\n", float_format="%g")
    keep_backup(path)  # with --force the replaced file stays as <name>.bak-<timestamp>
    tmp.replace(path)
    return path
