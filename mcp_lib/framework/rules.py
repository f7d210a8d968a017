"""The rules every framework meets, whichever form it was typed in (a framework folder of
CSV/XLSX files, or the framework workbook): the columns of its three tables (structure, evidence
documents, bands), weights and points that sum to 100 (a blank weight: equal among its
siblings), codes that are unique and consistent, known pemda kinds; and :func:`assemble_framework`,
which checks tables that passed their schema and builds the :class:`~mcp_lib.framework.model.Framework`.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from mcp_lib.config import APPLIES_TO
from mcp_lib.errors import Problems
from mcp_lib.framework.methods import MethodError, Rule, parse_method
from mcp_lib.framework.model import (
    DEFAULT_LEVELS,
    Bands,
    Framework,
    Level,
    default_detail,
    point_weights,
)
from mcp_lib.io.rawfile import ROW
from mcp_lib.io.readers import Column, Schema, duplicated_rows

METHOD = "method"
"""The optional column of ``framework.csv`` holding each lowest-level item's scoring method
(:mod:`mcp_lib.framework.methods`; blank: document points, today's rule)."""
WINDOW = "window"
"""The optional column of ``evidence.csv`` naming the data window a document covers (``TA 2024``,
``TW1 2026``, ``RKPD 2027``): shown in the tracker, and the period or stage the document belongs
to when its item is scored by periods or stages."""

DEADLINE = "deadline"
"""The optional column of ``framework.csv`` holding the date by which an item's evidence must be
done (e.g. a strategic procurement decree by 31 March), per lowest-level item."""
LATE_SHARE = "late_share"
"""With :data:`DEADLINE`: the share (0–1) of the item's score kept when its evidence is done after
the deadline (0: nothing counts after it); required wherever a deadline is given."""
AREA_SHORT = "area_short"
"""The optional column of ``framework.csv`` holding an area's short name as the dashboard writes
it (``PBJ``, ``OPD`` for Optimalisasi Pendapatan Daerah), the same on every row of the area."""

SCORING_COLUMNS = (METHOD, WINDOW, DEADLINE, LATE_SHARE, AREA_SHORT)
"""The columns a framework needs only when items score by a method of their own: written only when
some row fills them, so a framework without them is written as before they existed."""


def plain_names(schema: Schema) -> list[str]:
    """A framework table's columns without :data:`SCORING_COLUMNS`."""
    return [n for n in schema.names if n not in SCORING_COLUMNS]


WEIGHT_TOLERANCE = 0.01
"""Weights and points must sum to 100 within this tolerance."""


def framework_schema(levels: tuple[Level, ...] = DEFAULT_LEVELS) -> Schema:
    """Columns of ``framework.csv`` for these levels (weights may be blank: equal among siblings)."""
    cols = []
    for level in levels:
        cols += [
            Column(level.code, "code"),
            Column(level.title, "text"),
            Column(level.weight, "number", blank_ok=True, minimum=0, maximum=100),
        ]
    cols += [
        Column("applies_to", "text", required=False, blank_ok=True),
        Column("default_opd", "text", required=False, blank_ok=True),
        Column(METHOD, "text", required=False, blank_ok=True),
        Column(DEADLINE, "date", required=False, blank_ok=True),
        Column(LATE_SHARE, "number", required=False, blank_ok=True, minimum=0, maximum=1),
        Column(AREA_SHORT, "text", required=False, blank_ok=True),
    ]
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
        Column(WINDOW, "text", required=False, blank_ok=True),
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
            weight=(level.weight, "first"),
            row=(ROW, "first"),
            parent=(parent.code if parent else level.code, "first"),
        )
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
                        path,
                        f"bobot {level.name.lower()} {code} kosong, padahal {level.name.lower()} lain{scope} berbobot",
                        row=int(item["row"]),
                        column=level.weight,
                        expected=f"isi bobot semua {level.name.lower()}{scope} (berjumlah 100), atau kosongkan "
                        "semuanya agar dibagi rata",
                    )
            else:
                total = group["weight"].sum()
                if abs(total - 100) > WEIGHT_TOLERANCE:
                    problems.add(
                        path,
                        f"jumlah bobot {level.name.lower()}{'' if parent is None else f' dalam {key}'} = {total:g}",
                        row=int(group["row"].min()),
                        column=level.weight,
                        expected="berjumlah 100",
                    )
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
                    path,
                    f"{col} untuk {rec[key]} berbeda dengan baris sebelumnya",
                    row=rec[ROW],
                    column=col,
                    value=rec[col],
                    expected=str(first[rec[key]]),
                )


def _parse_applies_to(frame: pd.DataFrame, path: Path, problems: Problems) -> pd.Series:
    out = []
    for value, row in zip(frame["applies_to"], frame[ROW], strict=True):
        kinds = tuple(k.strip().lower() for k in re.split(r"[;,]", value or "semua") if k.strip())
        bad = [k for k in kinds if k not in APPLIES_TO]
        if bad:
            problems.add(
                path,
                "jenis pemda tidak dikenal",
                row=row,
                column="applies_to",
                value=value,
                expected="semua, kabupaten, kota atau provinsi (pisahkan dengan ;)",
            )
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
    levels = meta.levels
    fw_path, ev_path, bands_path = paths
    blank: frozenset[tuple[str, str]] = frozenset()
    if fw is not None:
        blank = _check_structure(fw, levels, fw_path, problems, unreadable)
    if ev is not None:
        _check_evidence(ev, fw, levels[-1], (ev_path, fw_path), problems)
        ev[WINDOW] = ev[WINDOW].fillna("")
    if ev is not None and fw is not None:
        _check_parts(ev, fw, levels[-1], ev_path, problems)
    bands = None if bands_frame is None else _bands(bands_frame, bands_path, problems)
    problems.raise_if_any()
    subs = fw.drop(columns=[ROW]).reset_index(drop=True)
    docs = ev.drop(columns=[ROW]).merge(subs, on="subindicator_code", how="left", validate="many_to_one")
    docs["point_weight"] = point_weights(docs, levels)
    return Framework(
        year=meta.year,
        label=meta.label or f"MCP {meta.year}",
        path=folder,
        subindicators=subs,
        documents=docs,
        bands=bands,
        upload_close=meta.upload_close,
        final_date=meta.final_date,
        levels=levels,
        detail_level=meta.detail_level if meta.detail_level != default_detail(levels) else "",
        blank_weights=blank,
    )


def _check_structure(
    fw: pd.DataFrame,
    levels: tuple[Level, ...],
    fw_path: str | Path,
    problems: Problems,
    unreadable: set[tuple[int, str]],
) -> frozenset[tuple[str, str]]:
    """The structure table: each lowest-level code once, each item's name, weight and parent the
    same on every row, weights resolved (:func:`_resolve_weights`, whose blank items it returns),
    ``applies_to`` parsed and ``default_opd`` filled, in place."""
    bottom = levels[-1]
    for dup in duplicated_rows(fw, [bottom.code]).itertuples():
        problems.add(
            fw_path,
            f"kode {bottom.name.lower()} ganda",
            row=dup._asdict()[ROW],
            column=bottom.code,
            value=dup._asdict()[bottom.code],
        )
    for above, level in zip((None, *levels[:-2]), levels[:-1], strict=True):
        _check_consistent(
            fw,
            fw_path,
            problems,
            level.code,
            [level.title, level.weight, *([above.code] if above else []), *([AREA_SHORT] if not above else [])],
        )
    blank = _resolve_weights(fw, levels, fw_path, problems, unreadable)
    fw["applies_to"] = _parse_applies_to(fw, fw_path, problems)
    fw["default_opd"] = fw["default_opd"].fillna("")
    fw[METHOD] = _parse_methods(fw, fw_path, problems)
    _check_deadlines(fw, fw_path, problems, unreadable)
    short = fw.dropna(subset=[AREA_SHORT]).drop_duplicates(levels[0].code).set_index(levels[0].code)[AREA_SHORT]
    fw[AREA_SHORT] = fw[levels[0].code].map(short).astype(object).fillna("")  # typed once per area is enough
    return blank


def _check_deadlines(
    frame: pd.DataFrame, path: str | Path, problems: Problems, unreadable: set[tuple[int, str]]
) -> None:
    """A deadline needs the share kept after it, and a share means nothing without a deadline
    (``unreadable``: cells already reported, e.g. a deadline that is not a date)."""
    for deadline, share, row in zip(frame[DEADLINE], frame[LATE_SHARE], frame[ROW], strict=True):
        if (deadline is None or pd.isna(deadline)) == (share is None or pd.isna(share)):
            continue
        if {(row, DEADLINE), (row, LATE_SHARE)} & unreadable:
            continue
        if share is None or pd.isna(share):
            problems.add(
                path,
                "tenggat tanpa bagian nilai yang tersisa bila terlambat",
                row=row,
                column=LATE_SHARE,
                expected="angka 0–1, mis. 0,5 (setengah nilai bila selesai sesudah tenggat; 0: tidak dihitung)",
            )
        else:
            problems.add(
                path,
                "bagian nilai bila terlambat tanpa tenggat",
                row=row,
                column=DEADLINE,
                value=share,
                expected="tanggal tenggat di kolom deadline, atau kosongkan late_share",
            )


def _parse_methods(frame: pd.DataFrame, path: str | Path, problems: Problems) -> pd.Series:
    """Each row's scoring method as its canonical cell text (:attr:`Method.text`; blank for
    document points), a cell that is not a method being a problem on its row."""
    out = []
    for value, row in zip(frame[METHOD], frame[ROW], strict=True):
        try:
            method = parse_method(value)
        except MethodError as exc:
            problems.add(path, exc.message, row=row, column=METHOD, value=exc.value, expected=exc.expected)
            out.append("")
            continue
        out.append("" if method.default and not (value or "").strip() else method.text)
    return pd.Series(out, index=frame.index, dtype="object")


def _check_evidence(
    ev: pd.DataFrame,
    fw: pd.DataFrame | None,
    bottom: Level,
    paths: tuple[str | Path, str | Path],
    problems: Problems,
) -> None:
    """The documents: each code once, each of a lowest-level item of the structure (``fw``, when
    it could be read), each item with documents, and the points of each item's documents summing
    to 100. ``paths``: the documents' and the structure's."""
    ev_path, fw_path = paths
    for dup in duplicated_rows(ev, ["doc_code"]).itertuples():
        first = ev.loc[ev["doc_code"] == dup.doc_code, ROW].iloc[0]
        problems.add(
            ev_path,
            f"kode dokumen ganda (sudah ada di baris {first})",
            row=dup._asdict()[ROW],
            column="doc_code",
            value=dup.doc_code,
        )
    if fw is not None:
        known = set(fw["subindicator_code"].dropna())
        for rec in ev[~ev["subindicator_code"].isin(known) & ev["subindicator_code"].notna()].itertuples():
            problems.add(
                ev_path,
                f"kode {bottom.name.lower()} tidak ada di framework",
                row=rec._asdict()[ROW],
                column="subindicator_code",
                value=rec.subindicator_code,
                expected="kode dari kolom subindicator_code di " + fw_path.name,
            )
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
                ev_path,
                f"jumlah bagian dokumen {bottom.name.lower()} {code} = {total:g}",
                row=int(group[ROW].iloc[0]),
                column="points",
                expected="berjumlah 100",
            )


def _check_parts(ev: pd.DataFrame, fw: pd.DataFrame, bottom: Level, ev_path: str | Path, problems: Problems) -> None:
    """An item scored by periods or stages counts at most the periods its documents' windows
    cover: ``periode=3`` over documents of two windows could never reach 100."""
    for code, text in zip(fw["subindicator_code"], fw[METHOD], strict=True):
        method = parse_method(text) if text else None
        if method is None or method.rule is not Rule.PARTS or method.periods is None:
            continue
        docs = ev[ev["subindicator_code"] == code]
        for row in docs.loc[docs[WINDOW] == "", ROW]:
            problems.add(
                ev_path,
                f"dokumen {bottom.name.lower()} {code} ({method.text}) tanpa jendela data",
                row=int(row),
                column=WINDOW,
                expected="periode atau tahapan yang dicakup dokumen, mis. TA 2025 (dokumen tanpanya akan dihitung "
                "sebagai periode tersendiri)",
            )
        windows = docs[WINDOW].where(docs[WINDOW] != "", docs["doc_code"])
        if windows.nunique() < method.periods:
            problems.add(
                ev_path,
                f"{bottom.name.lower()} {code} dinilai {method.text}, tetapi dokumennya hanya mencakup "
                f"{windows.nunique()} jendela data (window)",
                row=int(docs[ROW].iloc[0]) if len(docs) else None,
                column=WINDOW,
                expected=f"kolom window berisi {method.periods} periode/tahapan yang berbeda, "
                "atau ubah parameternya di framework",
            )


def _bands(bands_frame: pd.DataFrame, bands_path: str | Path, problems: Problems) -> Bands:
    """The predikat, lowest first: one from 0, the bounds in an order and each once."""
    ordered = bands_frame.dropna(subset=["lower_bound"]).sort_values("lower_bound")
    bands = Bands.from_rows((r.band, float(r.lower_bound), r.colour) for r in ordered.itertuples())
    if not bands.items or bands.items[0].lower != 0:
        problems.add(
            bands_path,
            "tidak ada predikat yang dimulai dari 0",
            column="lower_bound",
            expected="satu baris dengan lower_bound 0",
        )
    _check_band_order(bands_frame.dropna(subset=["lower_bound"]), bands_path, problems)
    for dup in duplicated_rows(bands_frame, ["lower_bound"]).itertuples():
        problems.add(
            bands_path,
            "batas bawah ganda",
            row=dup._asdict()[ROW],
            column="lower_bound",
            value=dup.lower_bound,
        )
    return bands


def _check_band_order(listed: pd.DataFrame, bands_path: str | Path, problems: Problems) -> None:
    """Rows in an order (lowest first, or highest first) but for one bound: a typo that, sorted
    silently, would give one predikat the range of another."""
    bounds = [float(b) for b in listed["lower_bound"]]
    rising = all(a < b for a, b in itertools.pairwise(bounds))
    falling = all(a > b for a, b in itertools.pairwise(bounds))
    if len(set(bounds)) != len(bounds) or rising or falling:
        return
    for i in range(1, len(bounds) - 1):
        a, b, c = bounds[i - 1], bounds[i], bounds[i + 1]
        if not (a < b < c or a > b > c):
            r = listed.iloc[i]
            problems.add(
                bands_path,
                f"batas bawah predikat {r.band} ({b:g}) tidak berurutan dengan baris sebelum dan "
                f"sesudahnya ({a:g}, {c:g})",
                row=int(r[ROW]),
                column="lower_bound",
                value=r.lower_bound,
                expected="predikat berurutan dari batas bawah terkecil ke terbesar (atau sebaliknya)",
            )
            return
