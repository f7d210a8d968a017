"""An MCP framework year: its levels (area → … → sub-indicator), evidence documents, bands.

A framework is data, never code: one folder ``mcp-<year>/`` holding ``framework.csv``,
``evidence.csv`` and ``bands.csv`` (each may be ``.xlsx`` instead) and an optional
``framework.toml`` with ``year``, ``label``, the calendar and the **levels**.

Levels are declared in ``framework.toml`` as ``[[level]]`` tables (``key`` and the ``name`` shown to
analysts), top to bottom; without them a framework has the three levels of MCP 2023 and 2024
(area → indikator → sub-indikator). The first level's key is always ``area`` and the last's
``subindicator`` (evidence documents hang under it; it may be shown as "Indikator" or anything
else); the ones in between are free (the 2025 framework has ``sasaran`` and ``indicator``).
``framework.csv`` has ``<key>_code``, ``<key>_name`` and ``<key>_weight`` for every level, one row
per lowest-level item. A blank weight means "equal among its siblings": all siblings blank, or all
given and summing to 100.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from mcp_lib.config import APPLIES_TO, frameworks_dirs, inside
from mcp_lib.errors import InputError, Problems
from mcp_lib.rawfile import ROW
from mcp_lib.readers import Column, Schema, csv_safe_frame, duplicated_rows, read_table
from mcp_lib.tomlfile import read_toml

WEIGHT_TOLERANCE = 0.01
"""Weights and points must sum to 100 within this tolerance."""

TOP, BOTTOM = "area", "subindicator"
"""Keys of the first and the last level of every framework (the roles the code relies on: the
area is what the brief charts and the risk model's multipliers name; documents hang under the
last level)."""
MAX_LEVELS = 6
LEVEL_KEY = re.compile(r"[a-z][a-z0-9]{0,19}")
"""What a level key may be: a lowercase letter, then up to 19 lowercase letters or digits."""


@dataclass(frozen=True)
class Level:
    """One level of a framework: ``key`` names its columns (``<key>_code``, ``<key>_name``,
    ``<key>_weight``), ``name`` is what analysts read ("Sasaran", "Sub-indikator")."""

    key: str
    name: str

    @property
    def code(self) -> str:
        return f"{self.key}_code"

    @property
    def title(self) -> str:
        """The column of the item's name (``area_name``)."""
        return f"{self.key}_name"

    @property
    def weight(self) -> str:
        return f"{self.key}_weight"

    @property
    def columns(self) -> list[str]:
        return [self.code, self.title, self.weight]


DEFAULT_LEVELS = (
    Level("area", "Area"),
    Level("indicator", "Indikator"),
    Level("subindicator", "Sub-indikator"),
)
"""The levels of MCP 2023 and 2024, and of any framework that does not declare its own."""


def default_detail(levels: tuple[Level, ...]) -> str:
    """The level of the brief's detail table when the framework does not say: the one above the
    lowest, or the lowest of a two-level framework."""
    return levels[-2].key if len(levels) >= 3 else levels[-1].key


def framework_schema(levels: tuple[Level, ...] = DEFAULT_LEVELS) -> Schema:
    """Columns of ``framework.csv`` for these levels (weights may be blank: equal among siblings)."""
    cols = []
    for level in levels:
        cols += [
            Column(level.code, "code"),
            Column(level.title, "text"),
            Column(level.weight, "number", blank_ok=True, minimum=0, maximum=100),
        ]
    cols += [Column("applies_to", "text", required=False, blank_ok=True),
             Column("default_opd", "text", required=False, blank_ok=True)]  # fmt: skip
    return Schema("framework", tuple(cols))


FRAMEWORK_SCHEMA = framework_schema()
"""``framework.csv`` of a three-level framework (2023, 2024)."""
EVIDENCE_SCHEMA = Schema(
    "evidence",
    (
        Column("subindicator_code", "code"),
        Column("doc_code", "code"),
        Column("doc_name", "text"),
        Column("points", "number", minimum=0, maximum=100),
    ),
)
BANDS_SCHEMA = Schema(
    "bands",
    (
        Column("band", "text"),
        Column("lower_bound", "number", minimum=0, maximum=100),
        Column("colour", "text", required=False, blank_ok=True),
    ),
)


@dataclass(frozen=True)
class Band:
    """A score band, e.g. ``Hijau`` from 75; ``lower`` in percent."""

    name: str
    lower: float
    colour: str = "#777777"


@dataclass(frozen=True)
class Bands:
    """The bands of a framework year, ordered by lower bound."""

    items: tuple[Band, ...]

    def classify(self, score: float) -> Band:
        """The band a score (percent, 0–100) falls in; a lower bound belongs to its band."""
        found = self.items[0]
        for band in self.items:
            if score >= band.lower - 1e-9:
                found = band
        return found


@dataclass(frozen=True, eq=False)
class Framework:
    """One framework year.

    Attributes
    ----------
    subindicators
        One row per lowest-level item: code, name and weight (percent of the parent, blanks
        already made equal) of every level, ``applies_to`` (tuple of pemda kinds or ``semua``)
        and ``default_opd`` (lead first).
    documents
        One row per evidence document: ``doc_code, doc_name, points`` plus its lowest-level
        item's columns, and ``point_weight``: total-score points one document point is worth
        when everything applies (the product of the level weights / 100 per level).
    levels
        The levels, top (``area``) to bottom (``subindicator``).
    detail_level
        Key of the level the brief's detail table shows.
    blank_weights
        ``(level key, code)`` of items whose weight was blank in ``framework.csv`` (equal among
        their siblings): the methods section says so and a written framework keeps them blank.
    """

    year: int
    label: str
    path: Path | None
    subindicators: pd.DataFrame
    documents: pd.DataFrame
    bands: Bands
    upload_close: dt.date | None = None
    """Last day of uploads of the year (``upload_close`` in ``framework.toml``), if given."""
    final_date: dt.date | None = None
    """Last day of verification and QA (``final_date`` in ``framework.toml``), if given."""
    levels: tuple[Level, ...] = DEFAULT_LEVELS
    detail_level: str = ""
    """Key of the level of the brief's detail table; blank for the default (:func:`default_detail`)."""
    blank_weights: frozenset[tuple[str, str]] = frozenset()

    def level(self, key: str) -> Level:
        """The level with this key (``InputError``-free: a wrong key is a programming error)."""
        for level in self.levels:
            if level.key == key:
                return level
        raise KeyError(f"{self.label} has no level {key!r}: {[lv.key for lv in self.levels]}")

    @property
    def detail(self) -> Level:
        """The level of the brief's detail table."""
        return self.level(self.detail_level or default_detail(self.levels))

    def group_columns(self, key: str) -> list[str]:
        """Columns that identify an item of level ``key`` in a document or item table: the codes
        of the levels above it, then its own code, name and weight."""
        out: list[str] = []
        for level in self.levels:
            if level.key == key:
                return [*out, *level.columns]
            out.append(level.code)
        raise KeyError(key)

    def level_table(self, key: str) -> pd.DataFrame:
        """One row per item of level ``key``, in framework order: the codes of the levels above,
        its code, name and weight."""
        level = self.level(key)
        cols = self.group_columns(key)
        return self.subindicators[cols].drop_duplicates(level.code).reset_index(drop=True)

    @property
    def areas(self) -> pd.DataFrame:
        return self.level_table(TOP)

    @property
    def equal_weight_levels(self) -> list[Level]:
        """Levels where some items have blank weights (equal among their siblings)."""
        keys = {key for key, _code in self.blank_weights}
        return [level for level in self.levels if level.key in keys]

    def applies(self, kind: str) -> pd.Series:
        """Boolean per document: does its sub-indicator apply to a pemda of this kind?"""
        return self.documents["applies_to"].map(lambda kinds: "semua" in kinds or kind in kinds)

    def default_opds(self, kind: str) -> list[str]:
        """The OPDs the framework names for the documents that apply to ``kind``, in framework order."""
        names: dict[str, None] = {}
        for cell in self.documents.loc[self.applies(kind).to_numpy(), "default_opd"]:
            for name in str(cell).split(";"):
                if name.strip():
                    names.setdefault(name.strip(), None)
        return list(names)

    def summary(self, kind: str | None = None) -> str:
        """``MCP 2023: 8 area, 30 indikator, 63 sub-indikator, 143 dokumen`` (the documents and
        items that apply to ``kind`` when given)."""
        subs, docs = self.subindicators, self.documents
        if kind is not None:
            docs = docs[self.applies(kind).to_numpy()]
            subs = subs[subs[f"{BOTTOM}_code"].isin(set(docs[f"{BOTTOM}_code"]))]
        counts = [f"{subs[level.code].nunique()} {level.name.lower()}" for level in self.levels]
        return f"{self.label}: {', '.join(counts)}, {len(docs)} dokumen"


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


def _resolve_weights(
    frame: pd.DataFrame,
    levels: tuple[Level, ...],
    path: Path,
    problems: Problems,
    unreadable: set[tuple[int, str]],
) -> frozenset[tuple[str, str]]:
    """Check each level's weights among siblings and fill blanks: all siblings blank share 100
    equally; all given must sum to 100; some blank and some given is refused on the blank rows.
    ``unreadable`` are ``(row, column)`` cells the reader already reported (not blanks).
    Returns the ``(level key, code)`` items whose weight was blank."""
    blank: set[tuple[str, str]] = set()
    parent: Level | None = None
    for level in levels:
        if frame[level.code].isna().all():
            parent = level
            continue
        rows = frame.dropna(subset=[level.code])
        if parent is not None:
            rows = rows.dropna(subset=[parent.code])
        # One weight per item: the first given in its rows (repeats were checked for consistency).
        items = rows.groupby(level.code, sort=False).agg(
            weight=(level.weight, "first"), row=(ROW, "first"), parent=(parent.code if parent else level.code, "first"),
        )  # fmt: skip
        bad_rows = {r for r, c in unreadable if c == level.weight}
        bad_items = set(rows.loc[rows[ROW].isin(bad_rows), level.code])
        groups = [(None, items)] if parent is None else items.groupby("parent", sort=False)
        fill: dict[str, float] = {}
        for key, group in groups:
            if set(group.index) & bad_items:
                continue  # a cell that is not a number: already reported
            missing = group["weight"].isna()
            scope = "" if parent is None else f" dalam {parent.name.lower()} {key}"
            if missing.all():
                share = 100.0 / len(group)
                fill |= dict.fromkeys(group.index, share)
                blank |= {(level.key, code) for code in group.index}
            elif missing.any():
                for code, item in group[missing].iterrows():
                    problems.add(
                        path, f"bobot {level.name.lower()} {code} kosong, padahal {level.name.lower()} lain{scope} berbobot",
                        row=int(item["row"]), column=level.weight,
                        expected=f"isi bobot semua {level.name.lower()}{scope} (berjumlah 100), atau kosongkan "
                        "semuanya agar dibagi rata",
                    )  # fmt: skip
            else:
                total = group["weight"].sum()
                if abs(total - 100) > WEIGHT_TOLERANCE:
                    problems.add(
                        path, f"jumlah bobot {level.name.lower()}{'' if parent is None else f' dalam {key}'} = {total:g}",
                        row=int(group["row"].min()), column=level.weight, expected="berjumlah 100",
                    )  # fmt: skip
        # Every row of an item carries its weight (a repeat may leave it blank).
        weights = items["weight"].where(items["weight"].notna(), pd.Series(fill, dtype="float64"))
        frame[level.weight] = frame[level.code].map(weights).astype("float64")
        parent = level
    return frozenset(blank)


def _check_consistent(frame: pd.DataFrame, path: Path, problems: Problems, key: str, cols: list[str]) -> None:
    for col in cols:
        first = frame.dropna(subset=[key, col]).drop_duplicates(key).set_index(key)[col]
        for rec in frame.dropna(subset=[key, col]).itertuples(index=False):
            rec = rec._asdict()
            if rec[col] != first[rec[key]]:
                problems.add(
                    path, f"{col} untuk {rec[key]} berbeda dengan baris sebelumnya", row=rec[ROW],
                    column=col, value=rec[col], expected=str(first[rec[key]]),
                )  # fmt: skip


def _parse_applies_to(frame: pd.DataFrame, path: Path, problems: Problems) -> pd.Series:
    out = []
    for value, row in zip(frame["applies_to"], frame[ROW], strict=True):
        kinds = tuple(k.strip().lower() for k in re.split(r"[;,]", value or "semua") if k.strip())
        bad = [k for k in kinds if k not in APPLIES_TO]
        if bad:
            problems.add(
                path, "jenis pemda tidak dikenal", row=row, column="applies_to", value=value,
                expected="semua, kabupaten, kota atau provinsi (pisahkan dengan ;)",
            )  # fmt: skip
        out.append(kinds or ("semua",))
    return pd.Series(out, index=frame.index, dtype="object")


@dataclass(frozen=True)
class FrameworkMeta:
    """What ``framework.toml`` holds (or a framework workbook's Petunjuk and Tingkat sheets)."""

    year: int | None
    label: str | None
    upload_close: dt.date | None
    final_date: dt.date | None
    levels: tuple[Level, ...]
    detail_level: str


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
    if type(year) is not int or not 2000 <= year <= 2100:
        problems.add(
            meta_path, "tahun kerangka tidak diketahui", column="year", value=year,
            expected="year = 2023 di framework.toml, atau nama folder mcp-<tahun>",
        )  # fmt: skip
        year = None
    label = meta.get("label")
    if label is not None and not isinstance(label, str):
        problems.add(
            meta_path, "label kerangka tidak sah", column="label", value=label,
            expected='teks, mis. label = "MCP 2023"',
        )  # fmt: skip
        label = None
    dates = []
    for key in ("upload_close", "final_date"):
        value = meta.get(key)
        if value is not None and (not isinstance(value, dt.date) or isinstance(value, dt.datetime)):
            problems.add(
                meta_path, "tanggal tidak sah", column=key, value=value,
                expected="tanggal TOML tanpa tanda kutip, mis. upload_close = 2023-11-30",
            )  # fmt: skip
            value = None
        dates.append(value)
    if dates[0] and dates[1] and dates[1] < dates[0]:
        problems.add(
            meta_path, "tanggal final sebelum batas unggah", column="final_date", value=dates[1],
            expected=f"sama dengan atau sesudah upload_close ({dates[0]})",
        )  # fmt: skip
    levels = parse_levels(meta.get("level"), meta_path, text, problems)
    detail = meta.get("detail_level", default_detail(levels))
    if detail not in {level.key for level in levels}:
        problems.add(
            meta_path, "tingkat tabel rinci tidak dikenal", row=_key_line(text, "detail_level"), column="detail_level",
            value=detail, expected="salah satu key [[level]]: " + ", ".join(level.key for level in levels),
        )  # fmt: skip
        detail = default_detail(levels)
    return FrameworkMeta(year, label, dates[0], dates[1], levels, detail)


def parse_levels(table: object, path: Path, text: str, problems: Problems) -> tuple[Level, ...]:
    """The ``[[level]]`` tables of ``framework.toml`` (none: the three levels of 2023/2024)."""
    if table is None:
        return DEFAULT_LEVELS
    example = '[[level]] dengan key = "sasaran" dan name = "Sasaran", dari area sampai subindicator'
    if not isinstance(table, list) or not table:
        problems.add(path, "daftar tingkat (level) tidak sah", row=_key_line(text, "level"), column="level",
                     expected=example)  # fmt: skip
        return DEFAULT_LEVELS
    heads = [
        i for i, line in enumerate(text.splitlines(), start=1) if re.match(r"^\s*\[\[\s*level\s*\]\]", line)
    ]
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
            problems.add(path, "pengaturan tingkat tidak dikenal", row=line, column=where, value=", ".join(unknown),
                         expected="key dan name")  # fmt: skip
            ok = False
        if not isinstance(key, str) or not LEVEL_KEY.fullmatch(key):
            problems.add(path, "key tingkat tidak sah", row=line, column=f"{where}.key", value=key,
                         expected="huruf kecil dan angka tanpa spasi, diawali huruf, mis. sasaran")  # fmt: skip
            ok = False
            continue
        if not isinstance(name, str) or not name.strip():
            problems.add(path, "nama tingkat kosong", row=line, column=f"{where}.name", value=name,
                         expected='nama yang dibaca analis, mis. name = "Sasaran"')  # fmt: skip
            ok = False
            continue
        levels.append(Level(key, " ".join(name.split())))
    if not ok:
        return DEFAULT_LEVELS
    keys = [level.key for level in levels]
    if len(keys) < 2 or keys[0] != TOP or keys[-1] != BOTTOM:
        problems.add(
            path, "tingkat pertama harus area dan tingkat terakhir subindicator", row=heads[0] if heads else None,
            column="level", value=" → ".join(keys),
            expected='key = "area" untuk tingkat teratas dan key = "subindicator" untuk tingkat tempat dokumen bukti '
            '(namanya boleh apa saja, mis. name = "Indikator")',
        )  # fmt: skip
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
        problems.add(
            path, "key tingkat ganda", column="level", value=", ".join(dups), expected="setiap key sekali"
        )
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
        raise InputError.one(
            str(folder), "folder kerangka tidak ditemukan", expected="folder berisi framework.csv"
        )
    key = (str(folder.resolve()), _fingerprint(folder))
    cached = _CACHE.get(key)
    if cached is None:
        cached = _load_framework(folder)
        if len(_CACHE) >= 8:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = cached
    # Copies (cheap under copy-on-write), so a caller changing its frames leaves the cache as read.
    return dataclasses.replace(
        cached, subindicators=cached.subindicators.copy(), documents=cached.documents.copy()
    )


_CACHE: dict[tuple, Framework] = {}
"""Frameworks already read by this process, keyed by folder and its files' size and mtime: a batch
worker (and its kernel) reads the same framework for every pemda."""


def _fingerprint(folder: Path) -> tuple:
    return tuple(
        (f.name, st.st_size, st.st_mtime_ns)
        for f in sorted(folder.iterdir())
        if f.is_file() and (st := f.stat())
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


def assemble_framework(
    meta: FrameworkMeta,
    fw: pd.DataFrame | None,
    ev: pd.DataFrame | None,
    bands_frame: pd.DataFrame | None,
    problems: Problems,
    *,
    paths: tuple[str | Path, str | Path, str | Path],
    folder: Path | None = None,
    unreadable: set[tuple[int, str]] = frozenset(),
) -> Framework:
    """Check the three tables of a framework as :func:`read_table` returned them (with
    :data:`ROW`) and build it, or raise :class:`InputError` with every problem.

    The framework folder's reader and the framework workbook's importer both use it, so a
    framework typed in a workbook meets exactly the rules of ``framework.csv``. ``paths`` name
    the structure, documents and bands in problems (a file, or a workbook and its sheet);
    ``unreadable`` are ``(row, column)`` cells the reader already reported.
    """
    year, label, levels = meta.year, meta.label, meta.levels
    fw_path, ev_path, bands_path = paths
    bottom = levels[-1]
    blank: frozenset[tuple[str, str]] = frozenset()

    if fw is not None:
        for dup in duplicated_rows(fw, [bottom.code]).itertuples():
            problems.add(
                fw_path, f"kode {bottom.name.lower()} ganda", row=dup._asdict()[ROW], column=bottom.code,
                value=dup._asdict()[bottom.code],
            )  # fmt: skip
        for above, level in zip((None, *levels[:-2]), levels[:-1], strict=True):
            _check_consistent(
                fw,
                fw_path,
                problems,
                level.code,
                [level.title, level.weight, *([above.code] if above else [])],
            )
        blank = _resolve_weights(fw, levels, fw_path, problems, unreadable)
        fw["applies_to"] = _parse_applies_to(fw, fw_path, problems)
        fw["default_opd"] = fw["default_opd"].fillna("")

    if ev is not None:
        for dup in duplicated_rows(ev, ["doc_code"]).itertuples():
            first = ev.loc[ev["doc_code"] == dup.doc_code, ROW].iloc[0]
            problems.add(
                ev_path, f"kode dokumen ganda (sudah ada di baris {first})", row=dup._asdict()[ROW],
                column="doc_code", value=dup.doc_code,
            )  # fmt: skip
        if fw is not None:
            known = set(fw["subindicator_code"].dropna())
            for rec in ev[
                ~ev["subindicator_code"].isin(known) & ev["subindicator_code"].notna()
            ].itertuples():
                problems.add(
                    ev_path, f"kode {bottom.name.lower()} tidak ada di framework", row=rec._asdict()[ROW],
                    column="subindicator_code", value=rec.subindicator_code, expected="kode dari kolom subindicator_code di " + fw_path.name,
                )  # fmt: skip
            without = sorted(known - set(ev["subindicator_code"].dropna()))
            for code in without:
                problems.add(
                    ev_path,
                    f"{bottom.name.lower()} {code} tidak punya dokumen bukti",
                    column="subindicator_code",
                    expected=f"minimal satu dokumen per {bottom.name.lower()}",
                )
        for code, group in ev.dropna(subset=["points"]).groupby("subindicator_code", sort=False):
            total = group["points"].sum()
            if abs(total - 100) > WEIGHT_TOLERANCE:
                problems.add(
                    ev_path, f"jumlah poin dokumen {bottom.name.lower()} {code} = {total:g}", row=int(group[ROW].iloc[0]),
                    column="points", expected="berjumlah 100",
                )  # fmt: skip

    bands: Bands | None = None
    if bands_frame is not None:
        items = tuple(
            Band(r.band, float(r.lower_bound), r.colour or "#777777")
            for r in bands_frame.dropna(subset=["lower_bound"]).sort_values("lower_bound").itertuples()
        )
        if not items or items[0].lower != 0:
            problems.add(
                bands_path,
                "tidak ada predikat yang dimulai dari 0",
                column="lower_bound",
                expected="satu baris dengan lower_bound 0",
            )
        for dup in duplicated_rows(bands_frame, ["lower_bound"]).itertuples():
            problems.add(
                bands_path,
                "batas bawah ganda",
                row=dup._asdict()[ROW],
                column="lower_bound",
                value=dup.lower_bound,
            )
        bands = Bands(items)

    problems.raise_if_any()
    subs = fw.drop(columns=[ROW]).reset_index(drop=True)
    docs = ev.drop(columns=[ROW]).merge(subs, on="subindicator_code", how="left", validate="many_to_one")
    docs["point_weight"] = point_weights(docs, levels)
    label = label or f"MCP {year}"
    return Framework(
        year=year, label=label, path=folder, subindicators=subs, documents=docs, bands=bands,
        upload_close=meta.upload_close, final_date=meta.final_date, levels=levels,
        detail_level=meta.detail_level if meta.detail_level != default_detail(levels) else "",
        blank_weights=blank,
    )  # fmt: skip


def point_weights(docs: pd.DataFrame, levels: tuple[Level, ...]) -> pd.Series:
    """Total-score points one document point is worth when everything applies: the product of
    the level weights, each as a share of 100."""
    product = docs[levels[0].weight]
    for level in levels[1:]:
        product = product * docs[level.weight]
    return product / 100 ** len(levels)


def framework_from_frames(
    year: int,
    label: str,
    subindicators: pd.DataFrame,
    evidence: pd.DataFrame,
    bands: Bands,
    levels: tuple[Level, ...] = DEFAULT_LEVELS,
) -> Framework:
    """Build a framework from in-memory frames (used by the KPK importer); no validation."""
    subs = subindicators.copy()
    if "applies_to" not in subs:
        subs["applies_to"] = [("semua",)] * len(subs)
    if "default_opd" not in subs:
        subs["default_opd"] = ""
    docs = evidence.merge(subs, on="subindicator_code", how="left", validate="many_to_one")
    docs["point_weight"] = point_weights(docs, levels)
    return Framework(
        year=year, label=label, path=None, subindicators=subs, documents=docs, bands=bands, levels=levels,
        detail_level=default_detail(levels),
    )  # fmt: skip


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
    csv_safe_frame(subs[framework_schema(framework.levels).names]).to_csv(
        folder / "framework.csv", index=False, lineterminator="\n"
    )
    csv_safe_frame(framework.documents[EVIDENCE_SCHEMA.names]).to_csv(
        folder / "evidence.csv", index=False, lineterminator="\n"
    )
    pd.DataFrame(
        [(b.name, b.lower, b.colour) for b in framework.bands.items], columns=BANDS_SCHEMA.names
    ).to_csv(folder / "bands.csv", index=False, lineterminator="\n")
    (folder / "framework.toml").write_text(framework_toml(framework), encoding="utf-8")


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
