"""An MCP framework year: areas, indicators, sub-indicators, evidence documents, bands.

A framework is data, never code: one folder ``mcp-<year>/`` holding ``framework.csv``,
``evidence.csv`` and ``bands.csv`` (each may be ``.xlsx`` instead) and an optional
``framework.toml`` with ``year`` and ``label``.
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
from mcp_lib.errors import InputError, Problem, Problems
from mcp_lib.readers import ROW, Column, Schema, csv_safe_frame, duplicated_rows, read_table, read_toml

WEIGHT_TOLERANCE = 0.01
"""Weights and points must sum to 100 within this tolerance."""

FRAMEWORK_SCHEMA = Schema(
    "framework",
    (
        Column("area_code", "code"),
        Column("area_name", "text"),
        Column("area_weight", "number", minimum=0, maximum=100),
        Column("indicator_code", "code"),
        Column("indicator_name", "text"),
        Column("indicator_weight", "number", minimum=0, maximum=100),
        Column("subindicator_code", "code"),
        Column("subindicator_name", "text"),
        Column("subindicator_weight", "number", minimum=0, maximum=100),
        Column("applies_to", "text", required=False, blank_ok=True),
        Column("default_opd", "text", required=False, blank_ok=True),
    ),
)
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
        One row per sub-indicator: codes, names, the three weights (percent of the parent),
        ``applies_to`` (tuple of pemda kinds or ``semua``) and ``default_opd`` (lead first).
    documents
        One row per evidence document: ``doc_code, doc_name, points`` plus the sub-indicator's
        columns, and ``point_weight``: total-score points one document point is worth when every
        area applies (``w_area·w_indicator·w_sub / 100³``).
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

    @property
    def areas(self) -> pd.DataFrame:
        cols = ["area_code", "area_name", "area_weight"]
        return self.subindicators[cols].drop_duplicates("area_code").reset_index(drop=True)

    @property
    def indicators(self) -> pd.DataFrame:
        cols = ["area_code", "indicator_code", "indicator_name", "indicator_weight"]
        return self.subindicators[cols].drop_duplicates("indicator_code").reset_index(drop=True)

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

    def summary(self) -> str:
        return (
            f"{self.label}: {len(self.areas)} area, {len(self.indicators)} indikator, "
            f"{len(self.subindicators)} sub-indikator, {len(self.documents)} dokumen"
        )


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
        }
    )
    raise InputError(
        [
            Problem(
                searched[0], f"kerangka MCP tahun {year} tidak ditemukan",
                expected="tahun yang tersedia: " + (", ".join(available) or "(belum ada)")
                + "; atau taruh berkas kerangka tahun itu di folder mcp-<tahun> di salah satu: " + ", ".join(searched),
            )
        ]
    )  # fmt: skip


def _check_sums(
    frame: pd.DataFrame,
    path: Path,
    problems: Problems,
    parent: str | None,
    child: str,
    weight: str,
    what: str,
) -> None:
    if frame.empty:
        return  # every weight missing or wrong: already reported cell by cell
    groups = [((None,), frame)] if parent is None else frame.groupby(parent, sort=False)
    for key, group in groups:
        total = group.drop_duplicates(child)[weight].sum()
        if abs(total - 100) > WEIGHT_TOLERANCE:
            scope = "" if parent is None else f" dalam {key[0] if isinstance(key, tuple) else key}"
            problems.add(
                path, f"jumlah {what}{scope} = {total:g}", row=int(group[ROW].iloc[0]), column=weight,
                expected="berjumlah 100",
            )  # fmt: skip


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


def _load_meta(
    folder: Path, problems: Problems
) -> tuple[int | None, str | None, dt.date | None, dt.date | None]:
    meta_path = folder / "framework.toml"
    meta: dict = {}
    if meta_path.is_file():
        try:
            _text, meta = read_toml(meta_path)
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
    return year, label, dates[0], dates[1]


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
        raise InputError(
            [Problem(str(folder), "folder kerangka tidak ditemukan", expected="folder berisi framework.csv")]
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
    year, label, upload_close, final_date = _load_meta(folder, problems)
    fw_path = _find_table(folder, "framework")
    ev_path = _find_table(folder, "evidence")
    bands_path = _find_table(folder, "bands")
    escaping = [t for t in (fw_path, ev_path, bands_path) if t.exists() and not inside(t, folder)]
    for table in escaping:
        problems.add(table, "berkas kerangka adalah tautan (symlink) ke luar foldernya; tidak diikuti")
    if escaping:
        problems.raise_if_any()
    fw = read_table(fw_path, FRAMEWORK_SCHEMA, problems)
    ev = read_table(ev_path, EVIDENCE_SCHEMA, problems)
    bands_frame = read_table(bands_path, BANDS_SCHEMA, problems)

    if fw is not None:
        for dup in duplicated_rows(fw, ["subindicator_code"]).itertuples():
            problems.add(
                fw_path,
                "kode sub-indikator ganda",
                row=dup._asdict()[ROW],
                column="subindicator_code",
                value=dup.subindicator_code,
            )
        _check_consistent(fw, fw_path, problems, "area_code", ["area_name", "area_weight"])
        _check_consistent(
            fw, fw_path, problems, "indicator_code", ["indicator_name", "indicator_weight", "area_code"]
        )
        ok = fw.dropna(subset=["area_weight", "indicator_weight", "subindicator_weight"])
        _check_sums(ok, fw_path, problems, None, "area_code", "area_weight", "bobot area")
        _check_sums(
            ok, fw_path, problems, "area_code", "indicator_code", "indicator_weight", "bobot indikator"
        )
        _check_sums(
            ok,
            fw_path,
            problems,
            "indicator_code",
            "subindicator_code",
            "subindicator_weight",
            "bobot sub-indikator",
        )
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
                    ev_path, "kode sub-indikator tidak ada di framework", row=rec._asdict()[ROW],
                    column="subindicator_code", value=rec.subindicator_code, expected="kode dari kolom subindicator_code di " + fw_path.name,
                )  # fmt: skip
            without = sorted(known - set(ev["subindicator_code"].dropna()))
            for code in without:
                problems.add(
                    ev_path,
                    f"sub-indikator {code} tidak punya dokumen bukti",
                    column="subindicator_code",
                    expected="minimal satu dokumen per sub-indikator",
                )
        for code, group in ev.dropna(subset=["points"]).groupby("subindicator_code", sort=False):
            total = group["points"].sum()
            if abs(total - 100) > WEIGHT_TOLERANCE:
                problems.add(
                    ev_path, f"jumlah poin dokumen sub-indikator {code} = {total:g}", row=int(group[ROW].iloc[0]),
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
    docs["point_weight"] = docs["area_weight"] * docs["indicator_weight"] * docs["subindicator_weight"] / 1e6
    label = label or f"MCP {year}"
    return Framework(
        year=year, label=label, path=folder, subindicators=subs, documents=docs, bands=bands,
        upload_close=upload_close, final_date=final_date,
    )  # fmt: skip


def framework_from_frames(
    year: int, label: str, subindicators: pd.DataFrame, evidence: pd.DataFrame, bands: Bands
) -> Framework:
    """Build a framework from in-memory frames (used by the KPK importer); no validation."""
    subs = subindicators.copy()
    if "applies_to" not in subs:
        subs["applies_to"] = [("semua",)] * len(subs)
    if "default_opd" not in subs:
        subs["default_opd"] = ""
    docs = evidence.merge(subs, on="subindicator_code", how="left", validate="many_to_one")
    docs["point_weight"] = docs["area_weight"] * docs["indicator_weight"] * docs["subindicator_weight"] / 1e6
    return Framework(year=year, label=label, path=None, subindicators=subs, documents=docs, bands=bands)


def write_framework(framework: Framework, folder: Path) -> None:
    """Write a framework folder (``framework.csv``, ``evidence.csv``, ``bands.csv``, ``framework.toml``)."""
    folder.mkdir(parents=True, exist_ok=True)
    subs = framework.subindicators.copy()
    subs["applies_to"] = subs["applies_to"].map(";".join)
    csv_safe_frame(subs[FRAMEWORK_SCHEMA.names]).to_csv(
        folder / "framework.csv", index=False, lineterminator="\n"
    )
    csv_safe_frame(framework.documents[EVIDENCE_SCHEMA.names]).to_csv(
        folder / "evidence.csv", index=False, lineterminator="\n"
    )
    pd.DataFrame(
        [(b.name, b.lower, b.colour) for b in framework.bands.items], columns=BANDS_SCHEMA.names
    ).to_csv(folder / "bands.csv", index=False, lineterminator="\n")
    dates = "".join(
        f"{key} = {value.isoformat()}\n"
        for key, value in (("upload_close", framework.upload_close), ("final_date", framework.final_date))
        if value is not None
    )
    (folder / "framework.toml").write_text(
        f"year = {framework.year}\nlabel = {json.dumps(framework.label, ensure_ascii=False)}\n{dates}",
        encoding="utf-8",
    )
