"""A framework's files: finding the folder of a year, reading and checking it, writing it.

A framework is data, never code: one folder ``mcp-<year>/`` holding ``framework.csv``,
``evidence.csv`` and ``bands.csv`` (each may be ``.xlsx`` instead) and an optional
``framework.toml`` with ``year``, ``label``, the calendar and the **levels** (``[[level]]`` tables,
see :mod:`mcp_lib.framework.model`). ``framework.csv`` has ``<key>_code``, ``<key>_name`` and
``<key>_weight`` for every level, one row per lowest-level item. A blank weight means "equal among
its siblings": all siblings blank, or all given and summing to 100 (the rules:
:mod:`mcp_lib.framework.rules`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path

import pandas as pd

from mcp_lib.config import FRAMEWORK_YEARS, frameworks_dirs, inside
from mcp_lib.errors import InputError, Problems
from mcp_lib.framework.calendar import assessment_problem
from mcp_lib.framework.model import (
    BOTTOM,
    DEFAULT_LEVELS,
    LEVEL_KEY,
    MAX_LEVELS,
    TOP,
    Framework,
    Level,
    default_detail,
)
from mcp_lib.framework.rules import (
    BANDS_SCHEMA,
    EVIDENCE_SCHEMA,
    SCORING_COLUMNS,
    FrameworkMeta,
    assemble_framework,
    framework_schema,
)
from mcp_lib.io.readers import csv_safe_frame, read_table
from mcp_lib.io.tomlfile import read_toml


def _find_table(folder: Path, stem: str) -> Path:
    for suffix in (".csv", ".xlsx"):
        candidate = folder / f"{stem}{suffix}"
        if candidate.is_file():
            return candidate
    return folder / f"{stem}.csv"


def find_framework(year: int, data_dir: Path | None = None) -> Path:
    """Folder of framework ``year``: ``<data_dir>/frameworks/mcp-<year>``, then the bundled one."""
    searched = []
    for base in frameworks_dirs(data_dir):
        candidate = base / f"mcp-{year}"
        searched.append(str(candidate))
        if candidate.is_dir() and inside(candidate, base):  # a symlink out of the folder is not followed
            return candidate
    available = sorted(
        {
            p.name.removeprefix("mcp-")
            for base in frameworks_dirs(data_dir)
            if base.is_dir()
            for p in base.glob("mcp-*")
            if re.fullmatch(r"mcp-[0-9]{4}", p.name)  # not the .bak an import with --force keeps
        }
    )
    raise InputError.one(
        searched[0],
        f"kerangka MCP tahun {year} tidak ditemukan",
        expected="tahun yang tersedia: "
        + (", ".join(available) or "(belum ada)")
        + "; atau taruh berkas kerangka tahun itu di folder mcp-<tahun> di salah satu: "
        + ", ".join(searched),
    )


def _load_meta(folder: Path, problems: Problems) -> FrameworkMeta:
    meta_path = folder / "framework.toml"
    meta: dict = {}
    text = ""
    if meta_path.is_file():
        try:
            text, meta = read_toml(meta_path)
        except InputError as exc:
            problems.extend(exc.problems)
    year = meta.get("year")
    if year is None:
        m = re.search(r"([0-9]{4})$", folder.name)
        year = int(m.group(1)) if m else None
    if type(year) is not int or not FRAMEWORK_YEARS[0] <= year <= FRAMEWORK_YEARS[1]:
        problems.add(
            meta_path,
            "tahun kerangka tidak diketahui",
            column="year",
            value=year,
            expected="year = 2023 di framework.toml, atau nama folder mcp-<tahun>",
        )
        year = None
    label = meta.get("label")
    if label is not None and not isinstance(label, str):
        problems.add(
            meta_path,
            "label kerangka tidak sah",
            column="label",
            value=label,
            expected='teks, mis. label = "MCP 2023"',
        )
        label = None
    dates = []
    for key in ("upload_close", "final_date"):
        value = meta.get(key)
        if value is not None and (not isinstance(value, dt.date) or isinstance(value, dt.datetime)):
            problems.add(
                meta_path,
                "tanggal tidak sah",
                column=key,
                value=value,
                expected="tanggal TOML tanpa tanda kutip, mis. upload_close = 2023-11-30",
            )
            value = None
        outside = assessment_problem(year, value) if value is not None and year is not None else None
        if outside:
            problems.add(meta_path, outside[0], column=key, value=value, expected=outside[1])
            value = None
        dates.append(value)
    if dates[0] and dates[1] and dates[1] < dates[0]:
        problems.add(
            meta_path,
            "tanggal final sebelum batas unggah",
            column="final_date",
            value=dates[1],
            expected=f"sama dengan atau sesudah upload_close ({dates[0]})",
        )
    levels = parse_levels(meta.get("level"), meta_path, text, problems)
    detail = meta.get("detail_level", default_detail(levels))
    if detail not in {level.key for level in levels}:
        problems.add(
            meta_path,
            "tingkat tabel rinci tidak dikenal",
            row=_key_line(text, "detail_level"),
            column="detail_level",
            value=detail,
            expected="salah satu key [[level]]: " + ", ".join(level.key for level in levels),
        )
        detail = default_detail(levels)
    return FrameworkMeta(year, label, dates[0], dates[1], levels, detail)


def parse_levels(table: object, path: Path, text: str, problems: Problems) -> tuple[Level, ...]:
    """The ``[[level]]`` tables of ``framework.toml`` (none: the three levels of 2023/2024)."""
    if table is None:
        return DEFAULT_LEVELS
    example = '[[level]] dengan key = "sasaran" dan name = "Sasaran", dari area sampai subindicator'
    if not isinstance(table, list) or not table:
        problems.add(
            path, "daftar tingkat (level) tidak sah", row=_key_line(text, "level"), column="level", expected=example
        )
        return DEFAULT_LEVELS
    heads = [i for i, line in enumerate(text.splitlines(), start=1) if re.match(r"^\s*\[\[\s*level\s*\]\]", line)]
    levels: list[Level] = []
    ok = True
    for n, item in enumerate(table):
        line = heads[n] if n < len(heads) else None
        where = f"level {n + 1}"
        if not isinstance(item, dict):
            problems.add(path, "tingkat tidak sah", row=line, column=where, value=item, expected=example)
            ok = False
            continue
        key, name = item.get("key"), item.get("name")
        unknown = sorted(set(item) - {"key", "name"})
        if unknown:
            problems.add(
                path,
                "pengaturan tingkat tidak dikenal",
                row=line,
                column=where,
                value=", ".join(unknown),
                expected="key dan name",
            )
            ok = False
        if not isinstance(key, str) or not LEVEL_KEY.fullmatch(key):
            problems.add(
                path,
                "key tingkat tidak sah",
                row=line,
                column=f"{where}.key",
                value=key,
                expected="huruf kecil dan angka tanpa spasi, diawali huruf, mis. sasaran",
            )
            ok = False
            continue
        if not isinstance(name, str) or not name.strip():
            problems.add(
                path,
                "nama tingkat kosong",
                row=line,
                column=f"{where}.name",
                value=name,
                expected='nama yang dibaca analis, mis. name = "Sasaran"',
            )
            ok = False
            continue
        levels.append(Level(key, " ".join(name.split())))
    if not ok:
        return DEFAULT_LEVELS
    keys = [level.key for level in levels]
    if len(keys) < 2 or keys[0] != TOP or keys[-1] != BOTTOM:
        problems.add(
            path,
            "tingkat pertama harus area dan tingkat terakhir subindicator",
            row=heads[0] if heads else None,
            column="level",
            value=" → ".join(keys),
            expected='key = "area" untuk tingkat teratas dan key = "subindicator" untuk tingkat tempat dokumen bukti '
            '(namanya boleh apa saja, mis. name = "Indikator")',
        )
        return DEFAULT_LEVELS
    if len(keys) > MAX_LEVELS:
        problems.add(
            path,
            f"terlalu banyak tingkat ({len(keys)})",
            column="level",
            expected=f"paling banyak {MAX_LEVELS}",
        )
        return DEFAULT_LEVELS
    dups = sorted({k for k in keys if keys.count(k) > 1})
    if dups:
        problems.add(path, "key tingkat ganda", column="level", value=", ".join(dups), expected="setiap key sekali")
        return DEFAULT_LEVELS
    names = [level.name.lower() for level in levels]
    same = sorted({level.name for level in levels if names.count(level.name.lower()) > 1})
    if same:
        # Two levels called alike would be two identical columns in the brief and the tracker.
        problems.add(
            path,
            "nama tingkat ganda",
            column="level",
            value=", ".join(same),
            expected="setiap tingkat bernama lain",
        )
        return DEFAULT_LEVELS
    return tuple(levels)


def _key_line(text: str, key: str) -> int | None:
    for i, line in enumerate(text.splitlines(), start=1):
        if re.match(r"^\s*" + re.escape(key) + r"\s*=", line):
            return i
    return None


def load_framework(ref: int | str | Path, data_dir: Path | None = None) -> Framework:
    """Load and validate a framework.

    Parameters
    ----------
    ref
        A year (looked up with :func:`find_framework`) or a framework folder.
    data_dir
        Data root whose ``frameworks/`` is searched before the bundled one.

    Raises
    ------
    InputError
        Listing every problem in the framework's files.
    """
    folder = find_framework(ref, data_dir) if isinstance(ref, int) else Path(ref)
    if not folder.is_dir():
        raise InputError.one(str(folder), "folder kerangka tidak ditemukan", expected="folder berisi framework.csv")
    key = (str(folder.resolve()), _fingerprint(folder))
    cached = _CACHE.get(key)
    if cached is None:
        cached = _load_framework(folder)
        if len(_CACHE) >= 8:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = cached
    # Copies (cheap under copy-on-write), so a caller changing its frames leaves the cache as read.
    return dataclasses.replace(cached, subindicators=cached.subindicators.copy(), documents=cached.documents.copy())


_CACHE: dict[tuple, Framework] = {}
"""Frameworks already read by this process, keyed by folder and its files' size and mtime: a batch
worker (and its kernel) reads the same framework for every pemda."""


def _fingerprint(folder: Path) -> tuple:
    return tuple(
        (f.name, st.st_size, st.st_mtime_ns) for f in sorted(folder.iterdir()) if f.is_file() and (st := f.stat())
    )


def _load_framework(folder: Path) -> Framework:
    problems = Problems()
    meta = _load_meta(folder, problems)
    levels = meta.levels
    fw_path = _find_table(folder, "framework")
    ev_path = _find_table(folder, "evidence")
    bands_path = _find_table(folder, "bands")
    escaping = [t for t in (fw_path, ev_path, bands_path) if t.exists() and not inside(t, folder)]
    for table in escaping:
        problems.add(table, "berkas kerangka adalah tautan (symlink) ke luar foldernya; tidak diikuti")
    if escaping:
        problems.raise_if_any()
    before = len(problems)
    fw = read_table(fw_path, framework_schema(levels), problems)
    unreadable = {(p.row, p.column) for p in problems.items[before:] if p.row is not None}
    ev = read_table(ev_path, EVIDENCE_SCHEMA, problems)
    bands_frame = read_table(bands_path, BANDS_SCHEMA, problems)
    return assemble_framework(
        meta,
        fw,
        ev,
        bands_frame,
        problems,
        paths=(fw_path, ev_path, bands_path),
        folder=folder,
        unreadable=unreadable,
    )


def write_framework(framework: Framework, folder: Path) -> None:
    """Write a framework folder (``framework.csv``, ``evidence.csv``, ``bands.csv``, ``framework.toml``).

    Weights that were blank (equal among siblings) are written blank again, and the levels are
    declared in ``framework.toml`` unless they are the default three: reading the folder back
    gives the same framework."""
    folder.mkdir(parents=True, exist_ok=True)
    subs = framework.subindicators.copy()
    subs["applies_to"] = subs["applies_to"].map(";".join)
    for level in framework.levels:
        blank = {code for key, code in framework.blank_weights if key == level.key}
        if blank:
            subs[level.weight] = subs[level.weight].astype(object).where(~subs[level.code].isin(blank), None)
    csv_safe_frame(subs[_written(subs, framework_schema(framework.levels).names)]).to_csv(
        folder / "framework.csv", index=False, lineterminator="\n"
    )
    docs = framework.documents
    csv_safe_frame(docs[_written(docs, EVIDENCE_SCHEMA.names)]).to_csv(
        folder / "evidence.csv", index=False, lineterminator="\n"
    )
    pd.DataFrame(framework.bands.rows(), columns=BANDS_SCHEMA.names).to_csv(
        folder / "bands.csv", index=False, lineterminator="\n"
    )
    (folder / "framework.toml").write_text(framework_toml(framework), encoding="utf-8")


def _written(table: pd.DataFrame, names: list[str]) -> list[str]:
    """The columns of a table to write: :data:`SCORING_COLUMNS` only when some row fills them."""
    return [n for n in names if n not in SCORING_COLUMNS or (n in table and _filled(table[n]).any())]


def _filled(column: pd.Series) -> pd.Series:
    """Per cell: holds something (a number, a date, text that is not empty)."""
    return column.notna() & (column.astype(str).str.strip() != "")


def framework_toml(framework: Framework) -> str:
    """``framework.toml`` of a framework: year, label, calendar, and the levels when they are not
    the default three."""
    dates = "".join(
        f"{key} = {value.isoformat()}\n"
        for key, value in (("upload_close", framework.upload_close), ("final_date", framework.final_date))
        if value is not None
    )
    text = f"year = {framework.year}\nlabel = {json.dumps(framework.label, ensure_ascii=False)}\n{dates}"
    if framework.detail.key != default_detail(framework.levels):
        text += f"detail_level = {json.dumps(framework.detail.key)}\n"
    if framework.levels != DEFAULT_LEVELS:
        for level in framework.levels:
            text += f"\n[[level]]\nkey = {json.dumps(level.key)}\nname = {json.dumps(level.name, ensure_ascii=False)}\n"
    return text
