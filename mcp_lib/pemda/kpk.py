"""Importer for KPK's own MCP export layout (one sheet → a framework and a snapshot).

Columns as in KPK's released MCP data: ``instansi, area_intervensi, bobot_area_intervensi,
indikator, bobot_indikator, sub_indikator, bobot_subindikator, nilai, nilai_verifikasi,
tgl_lapor, tgl_verif, dana_desa``; an export of the 2025 framework (IPKD-MCP) may also carry
``sasaran, bobot_sasaran`` between the area and the indicator, and the framework then has four
levels. One row is one sub-indicator of one pemda; ``nilai`` is the value claimed (0–100) and
``nilai_verifikasi`` the verified value. Each sub-indicator becomes one evidence document worth
100 points, so the total equals KPK's ``Σ Π (w_level/100)·nilai_verifikasi``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from mcp_lib.config import DEFAULT_TARGET
from mcp_lib.errors import InputError, Problems
from mcp_lib.framework.model import Framework, Level, framework_from_frames, published_bands
from mcp_lib.io.rawfile import ROW
from mcp_lib.io.readers import Column, Schema, normalise_choice, read_table
from mcp_lib.pemda.snapshot import Snapshot
from mcp_lib.statuses import BELUM, DIUNGGAH, DIVERIFIKASI, PERLU_PERBAIKAN

KPK_SCHEMA = Schema(
    "kpk",
    (
        Column("instansi", "text"),
        Column("area_intervensi", "text"),
        Column("bobot_area_intervensi", "number", minimum=0, maximum=100),
        Column("sasaran", "text", required=False, blank_ok=True),
        Column("bobot_sasaran", "number", required=False, blank_ok=True, minimum=0, maximum=100),
        Column("indikator", "text"),
        Column("bobot_indikator", "number", minimum=0, maximum=100),
        Column("sub_indikator", "text"),
        Column("bobot_subindikator", "number", minimum=0, maximum=100),
        Column("nilai", "number", blank_ok=True, minimum=0, maximum=100),
        Column("nilai_verifikasi", "number", blank_ok=True, minimum=0, maximum=100),
        Column("tgl_lapor", "date", required=False, blank_ok=True),
        Column("tgl_verif", "date", required=False, blank_ok=True),
        Column("dana_desa", "text", required=False, blank_ok=True),
    ),
    max_rows=200_000,  # a national export: ~63 sub-indicators × 542 pemda per year
)
KPK_LEVELS = (
    (Level("area", "Area"), "area_intervensi", "bobot_area_intervensi"),
    (Level("sasaran", "Sasaran"), "sasaran", "bobot_sasaran"),
    (Level("indicator", "Indikator"), "indikator", "bobot_indikator"),
    (Level("subindicator", "Sub-indikator"), "sub_indikator", "bobot_subindikator"),
)
"""The levels of an export, with their name and weight columns; ``sasaran`` only when the sheet
has it (2025)."""
_TRUE = {"1", "ya", "y", "true", "benar", "ada"}


@dataclass(frozen=True, eq=False)
class KpkImport:
    """What one KPK export sheet holds: the pemda's name and kind, a framework, a snapshot."""

    instansi: str
    kind: str
    framework: Framework
    snapshot: Snapshot


def _kind(instansi: str) -> str:
    low = instansi.lower()
    if low.startswith("kota"):
        return "kota"
    if low.startswith(("kab", "kabupaten")):
        return "kabupaten"
    return "provinsi"


def import_kpk_export(
    path: str | Path, year: int, instansi: str | None = None, date: dt.date | None = None
) -> KpkImport:
    """Read a KPK export sheet (CSV or XLSX).

    Parameters
    ----------
    year
        Framework year the export belongs to.
    instansi
        Which pemda to take when the sheet holds several (error otherwise, listing them).
    date
        Snapshot date; default the latest ``tgl_verif``/``tgl_lapor`` in the sheet.

    Returns
    -------
    KpkImport
        Codes are assigned in order of appearance: areas ``A1..``, indicators ``A1.1..``,
        sub-indicators ``A1.1.1..`` and one document ``A1.1.1.D1`` worth 100 points each.
        Status: ``diverifikasi`` when verified at the claimed value, ``perlu_perbaikan``
        when verified lower, ``diunggah`` when claimed but not yet verified, else ``belum``.
        Rows with a truthy ``dana_desa`` apply to kabupaten only.
    """
    path = Path(path)
    problems = Problems()
    frame = read_table(path, KPK_SCHEMA, problems)
    problems.raise_if_any()
    instansi, frame = _one_instansi(frame, instansi, path)
    spec = _levels(frame, path)
    subs = _subindicators(frame, spec, path)
    _check_weights(subs, spec, path)
    evidence = pd.DataFrame(
        {
            "subindicator_code": subs["subindicator_code"],
            "doc_code": subs["subindicator_code"] + ".D1",
            "doc_name": subs["subindicator_name"],
            "points": 100.0,
        }
    )
    fw_cols = [c for c in subs.columns if c not in ("nilai", "nilai_verifikasi", ROW, "tgl_lapor", "tgl_verif")]
    levels = tuple(level for level, _name, _weight in spec)
    framework = framework_from_frames(
        year, f"MCP {year} (impor KPK)", subs[fw_cols], evidence, published_bands(year), levels
    )
    if date is None:
        dates = [d for d in pd.concat([subs["tgl_verif"], subs["tgl_lapor"]]) if d is not None and pd.notna(d)]
        date = max(dates) if dates else dt.date(year, 12, 31)
    snapshot = Snapshot(date=date, path=path, documents=_documents(subs, evidence["doc_code"]))
    return KpkImport(instansi, _kind(instansi), framework, snapshot)


_Spec = list[tuple[Level, str, str]]
"""The export's levels: each with its name and weight columns (a row of :data:`KPK_LEVELS`)."""


def _one_instansi(frame: pd.DataFrame, instansi: str | None, path: Path) -> tuple[str, pd.DataFrame]:
    """The pemda to import (``instansi``, or the sheet's only one) and its rows."""
    names = sorted(frame["instansi"].dropna().unique())
    if instansi is None and len(names) > 1:
        raise InputError.one(
            str(path),
            "berkas berisi lebih dari satu instansi",
            column="instansi",
            expected="pilih satu dengan --instansi: " + ", ".join(names),
        )
    instansi = instansi or names[0]
    frame = frame[frame["instansi"] == instansi].reset_index(drop=True)
    if frame.empty:
        raise InputError.one(
            str(path),
            "instansi tidak ada di berkas",
            column="instansi",
            value=instansi,
            expected="salah satu: " + ", ".join(names),
        )
    return instansi, frame


def _levels(frame: pd.DataFrame, path: Path) -> _Spec:
    """The levels of the export: with ``sasaran`` when a row has one (then every row must)."""
    with_sasaran = "sasaran" in frame and frame["sasaran"].notna().any()
    if with_sasaran:
        problems = Problems()
        for rec in frame[frame["sasaran"].isna() | frame["bobot_sasaran"].isna()].itertuples(index=False):
            column = "sasaran" if pd.isna(rec.sasaran) else "bobot_sasaran"
            problems.add(
                path,
                "sasaran atau bobotnya kosong, padahal baris lain bersasaran",
                row=rec.excel_row,
                column=column,
                expected="isi sasaran dan bobot_sasaran di setiap baris",
            )
        problems.raise_if_any()
    return [item for item in KPK_LEVELS if with_sasaran or item[0].key != "sasaran"]


def _subindicators(frame: pd.DataFrame, spec: _Spec, path: Path) -> pd.DataFrame:
    """One row per sub-indicator: the code, name and weight of each level (codes in order of
    appearance), where it applies, and its values and dates; a sub-indicator twice is a problem."""
    problems = Problems()
    codes: dict[tuple[object, ...], str] = {}
    children: dict[tuple[object, ...], int] = {}
    subs = []
    for rec in frame.itertuples(index=False):
        row = _coded(rec._asdict(), spec, codes, children)
        if row is None:
            name_col = spec[-1][1]
            problems.add(path, "sub-indikator ganda", row=rec.excel_row, column=name_col, value=getattr(rec, name_col))
            continue
        dana_desa = normalise_choice(rec.dana_desa) in _TRUE
        subs.append(
            row
            | {
                "applies_to": ("kabupaten",) if dana_desa else ("semua",),
                "default_opd": "",
                "nilai": rec.nilai,
                "nilai_verifikasi": rec.nilai_verifikasi,
                ROW: rec.excel_row,
                "tgl_lapor": rec.tgl_lapor,
                "tgl_verif": rec.tgl_verif,
            }
        )
    problems.raise_if_any()
    return pd.DataFrame(subs)


def _coded(
    rec: dict[str, object], spec: _Spec, codes: dict[tuple[object, ...], str], children: dict[tuple[object, ...], int]
) -> dict[str, object] | None:
    """The code, name and weight of each level of one row (a new item gets the next code under
    its parent: ``A1``, ``A1.2``, ...); ``None`` when its sub-indicator was seen before."""
    path_names: tuple[object, ...] = ()
    row: dict[str, object] = {}
    for depth, (level, name_col, weight_col) in enumerate(spec):
        parent = path_names
        path_names = (*path_names, rec[name_col])
        if path_names in codes and depth == len(spec) - 1:
            return None
        if path_names not in codes:
            n = children.get(parent, 0) + 1
            children[parent] = n
            codes[path_names] = f"A{n}" if depth == 0 else f"{codes[parent]}.{n}"
        row |= {level.code: codes[path_names], level.title: rec[name_col], level.weight: rec[weight_col]}
    return row


def _check_weights(subs: pd.DataFrame, spec: _Spec, path: Path) -> None:
    """The weights of the items under each parent (and the areas) add up to 100."""
    problems = Problems()
    levels = [level for level, _name, _weight in spec]
    weight_column = {level.weight: weight_col for level, _name, weight_col in spec}
    for parent, level in zip((None, *levels[:-1]), levels, strict=True):
        groups = [(None, subs)] if parent is None else subs.groupby(parent.code, sort=False)
        for key, group in groups:
            total = group.drop_duplicates(level.code)[level.weight].sum()
            if abs(total - 100) > 0.01:
                scope = "" if key is None else f" dalam {key}"
                problems.add(
                    path,
                    f"jumlah bobot{scope} = {total:g}",
                    row=int(group[ROW].iloc[0]),
                    column=weight_column[level.weight],
                    expected="berjumlah 100",
                )
    problems.raise_if_any()


def _documents(subs: pd.DataFrame, doc_codes: pd.Series) -> pd.DataFrame:
    """The snapshot's documents, one per sub-indicator: the status from the claimed and the
    verified value (see :func:`import_kpk_export`)."""
    claim, verif = subs["nilai"], subs["nilai_verifikasi"]
    status = [
        DIVERIFIKASI
        if pd.notna(v) and (pd.isna(c) or v >= c)
        else PERLU_PERBAIKAN
        if pd.notna(v)
        else DIUNGGAH
        if pd.notna(c) and c > 0
        else BELUM
        for c, v in zip(claim, verif, strict=True)
    ]
    return pd.DataFrame(
        {
            "doc_code": doc_codes,
            "opd": "",
            "opds": "",
            "status": status,
            "verified_points": verif.fillna(0.0).astype(float),
            "effort_days": float("nan"),
            "due_date": None,
            "blocker": "",
            "note": [f"klaim {c:g}" if pd.notna(c) else "" for c in claim],
        }
    )


def write_kpk_import(imp: KpkImport, data_dir: Path, slug: str, *, force: bool = False) -> list[Path]:
    """Write an import as ``<data_dir>/frameworks/mcp-<year>/`` and ``<data_dir>/pemda/<slug>/``.

    An existing framework folder or snapshot is not overwritten without ``force``; an existing
    ``pemda.toml`` is kept as it is (the analyst may have edited it).
    """
    from mcp_lib.framework.folder import write_framework
    from mcp_lib.pemda.model import new_pemda_dir
    from mcp_lib.pemda.settings import pemda_toml
    from mcp_lib.pemda.snapshot import write_snapshot

    data_dir = Path(data_dir)
    pemda_dir = new_pemda_dir(slug, data_dir)
    fw_dir = data_dir / "frameworks" / f"mcp-{imp.framework.year}"
    if fw_dir.exists() and any(fw_dir.iterdir()) and not force:
        raise InputError.one(
            str(fw_dir),
            "folder kerangka sudah ada dan tidak ditimpa",
            expected="pilih --data-dir lain, atau jalankan lagi dengan --force",
        )
    snap_path = pemda_dir / "status" / f"{imp.snapshot.date:%Y-%m-%d}.csv"
    if snap_path.exists() and not force:
        raise InputError.one(
            str(snap_path), "snapshot sudah ada dan tidak ditimpa", expected="jalankan lagi dengan --force"
        )
    write_framework(imp.framework, fw_dir)
    written = [fw_dir]
    toml_path = pemda_dir / "pemda.toml"
    if not toml_path.exists():
        pemda_dir.mkdir(parents=True, exist_ok=True)
        toml_path.write_text(
            pemda_toml(
                imp.instansi,
                imp.kind,
                "",
                imp.framework.year,
                DEFAULT_TARGET,
                dt.date(imp.framework.year, 12, 31),
            ),
            encoding="utf-8",
        )
        written.append(toml_path)
    written.append(write_snapshot(imp.snapshot.documents, snap_path, force=force))
    return written
