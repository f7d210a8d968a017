"""Reading a filled Excel tracker back: validated with the same rules as a snapshot file (rows and
columns named as Excel shows them) and written as ``status/<date>.csv`` (:func:`import_tracker`).

A tracker sorted only in part is refused, naming the rows: a reference cell that does not belong
to its row's code, a "Kode cek" that differs from the row's code (the yellow block sorted alone),
or a yellow column sorted on its own while the codes kept their order. A tracker made for another
pemda or framework year is refused too. The layout is :mod:`mcp_lib.tracker`'s.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pandas as pd

from mcp_lib.errors import InputError, Problem, Problems
from mcp_lib.framework import Framework
from mcp_lib.pemda import Pemda
from mcp_lib.rawfile import read_raw
from mcp_lib.readers import read_table
from mcp_lib.snapshot import SNAPSHOT_SCHEMA, Snapshot, load_snapshot, write_snapshot
from mcp_lib.tracker import ALIASES, CHECK, LIST_SHEET, SHEET, column_letters, tracker_columns


def _labelled(exc: InputError, framework: Framework) -> InputError:
    """The problems with tracker column labels and letters instead of snapshot column names."""
    columns = tracker_columns(framework.levels)
    letters = column_letters(columns)
    by_name = {c.name: c for c in columns}
    out = []
    for p in exc.problems:
        col = by_name.get(p.column or "")
        if col is not None:
            p = dataclasses.replace(p, column=f"{letters[col.name]} {col.label}")
        out.append(p)
    return InputError(out)


def tracker_meta(path: str | Path) -> dict[str, object]:
    """The pemda slug and framework year a tracker was made for (empty when not a tracker)."""
    problems = Problems()
    raw = read_raw(Path(path), problems, sheet=LIST_SHEET)
    if raw is None or "kunci" not in raw or "nilai" not in raw:
        return {}
    return {k: v for k, v in zip(raw["kunci"], raw["nilai"], strict=True) if isinstance(k, str) and k}


def read_tracker(path: str | Path, pemda: Pemda, framework: Framework, date: dt.date) -> tuple[Snapshot, pd.DataFrame]:
    """Validate a filled tracker as the snapshot of ``date``.

    Returns the validated snapshot and the table to write (the cells as the analyst filled
    them, in the snapshot's columns).

    Raises
    ------
    InputError
        Every problem, naming the tracker file, the Excel row and the column (letter and header);
        also when the tracker was made for another pemda or framework year.
    """
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise InputError.one(str(path), "tracker harus berkas Excel", value=path.suffix, expected="berkas .xlsx")
    meta = tracker_meta(path) if path.is_file() else {}
    problems = Problems()
    if meta.get("pemda") not in (None, "", pemda.slug):
        problems.add(
            path,
            f"tracker ini dibuat untuk pemda {meta['pemda']}",
            column="Daftar",
            expected=f"tracker milik {pemda.slug}, atau --pemda {meta['pemda']}",
        )
    year = meta.get("kerangka")
    if year not in (None, "") and str(year).split(".")[0] != str(framework.year):
        problems.add(
            path,
            f"tracker ini untuk kerangka MCP {year}, pemda memakai kerangka {framework.year}",
            expected=f"tracker baru: mcp tracker --pemda {pemda.slug}",
        )
    problems.raise_if_any()
    misaligned = alignment_problems(path, pemda, framework)
    if misaligned:
        raise InputError(misaligned)
    try:
        snap = load_snapshot(path, framework, pemda, date, sheet=SHEET, aliases=ALIASES)
    except InputError as exc:
        raise _labelled(exc, framework) from None
    table = read_table(path, SNAPSHOT_SCHEMA, problems, sheet=SHEET, aliases=ALIASES)
    assert table is not None  # validated above
    # Rows in the framework's order, however the analyst sorted the tracker (whole rows).
    order = {code: i for i, code in enumerate(framework.documents["doc_code"])}
    table = table.sort_values("doc_code", key=lambda c: c.map(order).fillna(len(order)), kind="stable")
    return snap, table[SNAPSHOT_SCHEMA.names].reset_index(drop=True)


SORT_HINT = (
    "urutkan seluruh tabel sekaligus (tombol filter di baris judul, atau pilih semua kolom), atau ambil "
    "tracker bulan lalu (mcp snapshot export) dan isi lagi"
)
MONOTONE_MIN_DISTINCT = 3
"""A yellow column counts as sorted on its own when its filled cells (at least this many
different values) are all in order and all above its blank ones (a sort puts blanks last), while
the codes kept the tracker's order."""


def _norm(value: object) -> str:
    return " ".join(str(value).split()).casefold() if value is not None else ""


def alignment_problems(path: str | Path, pemda: Pemda, framework: Framework) -> list[Problem]:
    """Rows of a filled tracker that no longer line up, as when only some columns were sorted.

    Three signs, each reported with its Excel row and column: a reference cell (area, indicator,
    sub-indicator, document, points) that is not the one of its row's code; a "Kode cek" that is
    not its row's code (the yellow block sorted alone); a yellow column whose values are in
    sorted order on their own while the codes kept the tracker's order (a few columns sorted).
    """
    from openpyxl import load_workbook

    path = Path(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception:
        return []  # unreadable: the snapshot reader says why
    try:
        if SHEET not in wb.sheetnames:
            return []
        rows = [list(r) for r in wb[SHEET].iter_rows(values_only=True)]
    finally:
        wb.close()
    if not rows:
        return []
    columns = tracker_columns(framework.levels)
    by_label = {_norm(label): c for c in columns for label in (c.label, *c.old_labels)}
    by_label |= {_norm(c.name): c for c in columns}
    index = {by_label[_norm(h)].name: i for i, h in enumerate(rows[0]) if _norm(h) in by_label}
    if "doc_code" not in index:
        return []
    ref = framework.documents.set_index("doc_code")
    problems: list[Problem] = []

    def where(name: str) -> str:
        from openpyxl.utils import get_column_letter

        col = next(c for c in columns if c.name == name)
        letter = get_column_letter(index[name] + 1)
        return f"{letter} {col.label}"

    codes: list[tuple[int, str]] = []
    for n, row in enumerate(rows[1:], start=2):
        cell = row[index["doc_code"]] if index["doc_code"] < len(row) else None
        code = str(cell).strip().upper() if cell is not None else ""
        if not code:
            continue
        codes.append((n, code))
        if CHECK in index and index[CHECK] < len(row):
            check = row[index[CHECK]]
            if check not in (None, "") and str(check).strip().upper() != code:
                problems.append(
                    Problem(
                        str(path),
                        f"baris tidak sejajar: Kode cek {check!r} bukan kode baris ini ({code}); "
                        "kolom kuning tampaknya diurutkan tanpa kolom kode",
                        row=n,
                        column=where(CHECK),
                        value=check,
                        expected=SORT_HINT,
                    )
                )
        if code not in ref.index:
            continue
        for name in (*(level.title for level in framework.levels), "doc_name", "points"):
            if name not in index or index[name] >= len(row) or row[index[name]] in (None, ""):
                continue
            got, want = row[index[name]], ref.loc[code, name]
            same = _number_equal(got, want) if name == "points" else _norm(got) == _norm(want)
            if not same:
                problems.append(
                    Problem(
                        str(path),
                        f"baris tidak sejajar: isi kolom ini bukan milik dokumen {code}",
                        row=n,
                        column=where(name),
                        value=got,
                        expected=f"{want} (dari kerangka MCP); {SORT_HINT}",
                    )
                )
                break
    order = [c for _n, c in codes]
    expected = [c for c in framework.documents["doc_code"] if c in set(order)]
    if order == expected:  # codes in the tracker's own order: a sorted yellow column is suspect
        for name in ("due_date", "blocker", "note", "effort_days", "opd", "verified_points"):
            if name not in index:
                continue
            values = [rows[n - 1][index[name]] if index[name] < len(rows[n - 1]) else None for n, _c in codes]
            filled = [v for v in values if v not in (None, "")]
            if len({str(v) for v in filled}) < MONOTONE_MIN_DISTINCT:
                continue
            blanks_last = all(v in (None, "") for v in values[len(filled) :])
            keys = [_sort_key(v) for v in filled]
            if blanks_last and (keys == sorted(keys) or keys == sorted(keys, reverse=True)):
                problems.append(
                    Problem(
                        str(path),
                        "kolom ini terurut sendiri sementara kode dokumen tetap: tampaknya hanya "
                        "sebagian kolom yang diurutkan, sehingga isinya tidak lagi sejajar dengan kodenya",
                        row=codes[0][0],
                        column=where(name),
                        expected=SORT_HINT,
                    )
                )
    return problems


def _number_equal(a: object, b: object) -> bool:
    try:
        return abs(float(str(a).replace(",", ".")) - float(b)) < 1e-6
    except (TypeError, ValueError, OverflowError):
        return False


def _sort_key(value: object) -> tuple:
    if isinstance(value, dt.datetime | dt.date):
        return (0, value.isoformat())
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return (1, float(value))
        except OverflowError:  # a 400-digit number: refused later by the snapshot rules
            return (2, _norm(value))
    return (2, _norm(value))


def import_tracker(path: str | Path, pemda: Pemda, framework: Framework, date: dt.date, *, force: bool = False) -> Path:
    """Validate a filled tracker and write it as ``status/<date>.csv`` of the pemda.

    Raises
    ------
    InputError
        Bad cells (file, Excel row, column), or the snapshot exists and ``force`` is off.
    """
    _, table = read_tracker(path, pemda, framework, date)
    return write_snapshot(table, pemda.status_dir / f"{date:%Y-%m-%d}.csv", force=force)
