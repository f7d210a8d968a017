"""Reading a filled Excel tracker back: validated with the same rules as a snapshot file (rows and
columns named as Excel shows them) and written as ``status/<date>.csv`` (:func:`import_tracker`).

A tracker sorted only in part is refused, naming the rows: a reference cell that does not belong
to its row's code; a block of rows whose "Kode cek" differs from their code (the yellow block
sorted alone), with the column it was sorted by; a block of rows sorted in a few yellow columns
only (a selection that left the Kode cek out), with its first and last row and the column. Such a
block is found among the runs of rows in order in a yellow column (blanks gathered at the run's
end): against the pemda's previous snapshot, its rows hold the values a sort of the block gives,
not their own (in the column and in the columns sorted with it); without a snapshot that can
tell, the run is far too long and orderly to be chance. A tracker sorted whole (the codes moved
with their rows), filtered, or with rows moved is read as it is. A tracker made for another pemda
or framework year is refused too. The layout is :mod:`mcp_lib.pemda.tracker`'s.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import itertools
import math
from pathlib import Path

import pandas as pd

from mcp_lib.errors import InputError, Problem, Problems
from mcp_lib.framework.model import Framework
from mcp_lib.io.rawfile import read_raw, sheet_rows
from mcp_lib.io.readers import read_table
from mcp_lib.pemda.model import Pemda
from mcp_lib.pemda.snapshot import SNAPSHOT_SCHEMA, Snapshot, list_snapshots, load_snapshot, write_snapshot
from mcp_lib.pemda.tracker import ALIASES, CHECK, LIST_SHEET, SHEET, TrackerColumn, column_letters, framework_columns


def _labelled(exc: InputError, framework: Framework) -> InputError:
    """The problems with tracker column labels and letters instead of snapshot column names."""
    columns = framework_columns(framework)
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
    misaligned = alignment_problems(path, pemda, framework, date)
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
YELLOW = ("opd", "status", "verified_points", "effort_days", "due_date", "blocker", "note")
"""The yellow columns a selection can sort, in the tracker's order (the "Kode cek" follows)."""
MIN_RUN = 6
"""Rows a run in order must span to be weighed: shorter ones are everyday chance."""
MOVED_MIN = 6
"""Rows of a run that the previous snapshot shows holding another document's values, as a sort
of the run would have put them (net of rows it shows in place), for a sorted block."""
MOVED_SHARE = 0.6
"""Of the rows such a sort changes, the share that must hold exactly the sorted values: a column
typed afresh in order (new due dates, planned per area) is no permutation of the old values."""
CHANCE_LOG10 = -12.0
"""Where the previous snapshot cannot tell: a run in order at most this likely (log10) by chance,
given how often the column's value changes from one row to the next."""
CHANCE_LOG10_CHANGED = -6.0
"""The same, for a run whose rows also changed since the previous snapshot far more than the rest."""
PERMUTED_SHARE = 0.9
"""Share of a run's values that must be the previous values of the same rows, in some order, for
a run that changed in its own column only to count as moved rather than typed afresh."""
SPAN_GAP = 20
"""Rows whose Kode cek is wrong, at most this many rows apart, are one misaligned block."""


@dataclasses.dataclass(frozen=True)
class _Block:
    first: int
    """Index (among the rows with a code) of the block's first row, and of its last."""
    last: int
    column: str
    descending: bool
    weight: float
    """Evidence, to keep the strongest of overlapping findings."""
    moved: int = 0
    """Rows the previous snapshot shows holding another document's values (0: judged by chance)."""


def _norm(value: object) -> str:
    return " ".join(str(value).split()).casefold() if value is not None else ""


def _cell_key(value: object) -> object:
    """What a cell says, to compare two cells of one column (``None`` when blank): dates by day,
    numbers by value, text by its words (a list split on ';' however spaced)."""
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return float(value)
        except OverflowError:  # a 400-digit number: refused later by the snapshot rules
            return str(value)
    text = ";".join(part.strip() for part in _norm(value).split(";"))
    return text or None


def _order_keys(value: object) -> tuple[tuple[int, float, str], ...]:
    """How spreadsheets may order a filled cell: dates and numbers before text, text by character
    or (as some collations do) by its letters and digits only."""
    if isinstance(value, dt.date):
        return ((0, float(value.toordinal()), ""),)
    if isinstance(value, float):
        return ((0, value, ""),)
    text = str(value)
    return ((1, 0.0, text), (1, 0.0, "".join(ch for ch in text if ch.isalnum())))


def _in_order(a: object, b: object, descending: bool) -> bool:
    """Whether a sort may put ``b`` right after ``a`` (blanks last whichever way round)."""
    if b is None:
        return True
    if a is None:
        return False
    return any((ka >= kb) if descending else (ka <= kb) for ka in _order_keys(a) for kb in _order_keys(b))


def _runs(cells: list[object], descending: bool) -> list[tuple[int, int]]:
    """Maximal runs of rows (first and last index) in order, blanks gathered at the run's end."""
    runs, start = [], 0
    for i in range(1, len(cells) + 1):
        if i == len(cells) or not _in_order(cells[i - 1], cells[i], descending):
            if i - start >= MIN_RUN:
                runs.append((start, i - 1))
            start = i
    return runs


def _sorted_rows(values: list[object], descending: bool) -> list[int]:
    """The positions of ``values`` in the order a spreadsheet's stable sort puts them, blanks last."""
    filled = sorted(  # stable either way round: equal values keep their order
        (i for i, v in enumerate(values) if v is not None),
        key=lambda i: _order_keys(values[i])[0],
        reverse=descending,
    )
    return filled + [i for i, v in enumerate(values) if v is None]


def _log10_chance(run: list[object], change_rate: float, blank_rate: float) -> float:
    """log10 of the chance that a run's filled cells fall in order as they do: as few changes of
    value from row to row as it has (each row changing with the column's own rate), no blank
    among them (a filled cell followed by a blank one at the column's own rate), and its
    different values in order (one order of their k! either way round)."""
    filled = [v for v in run if v is not None]
    lengths = [len(list(group)) for _v, group in itertools.groupby(filled)]
    k = len(lengths)
    if k < 3:
        return 0.0
    # The longest stretch of one value counts as one row: a user may well give thirty documents
    # the same due date by hand; a sort shows in many long stretches, not one.
    n, q = len(filled) - max(lengths), min(max(change_rate, 0.01), 0.99)
    gaps = n * math.log(1 - min(blank_rate, 0.99))
    terms = [
        math.lgamma(n + 1) - math.lgamma(x + 1) - math.lgamma(n - x + 1) + x * math.log(q) + (n - x) * math.log(1 - q)
        for x in range(k)
    ]
    top = max(terms)
    log_cdf = top + math.log(sum(math.exp(t - top) for t in terms))
    return min(0.0, (log_cdf + gaps - math.lgamma(k + 1) + math.log(2)) / math.log(10))


def _change_rates(cells: list[object]) -> tuple[float, float]:
    """How often a filled cell differs from the filled cell right below it, and how often the
    cell below a filled one is blank."""
    after = [b for a, b in itertools.pairwise(cells) if a is not None]
    pairs = [(a, b) for a, b in itertools.pairwise(cells) if a is not None and b is not None]
    changes = sum(a != b for a, b in pairs) / len(pairs) if pairs else 1.0
    return changes, (sum(b is None for b in after) / len(after) if after else 0.0)


def _sorted_blocks(
    cells: dict[str, list[object]], previous: dict[str, list[object]] | None, codes_in_order: bool
) -> list[_Block]:
    """Runs of rows that a sort of a few columns put in order, strongest first.

    With the previous snapshot (``previous``: each row's document's values there): a run whose
    rows hold the values a stable sort of the run's previous values gives, rather than their
    own, in the run's column and in the columns sorted with it. Where the previous snapshot
    cannot tell (no snapshot, or nothing in it that a sort would move), a run far too long and
    too orderly to be chance, given the column's own rate of change; with a snapshot, only when
    another column shows its rows changed too.
    """
    found: list[_Block] = []
    mismatch = {
        name: [a != b for a, b in zip(cells[name], previous[name], strict=True)] if previous else [] for name in cells
    }
    for name, column in cells.items():
        rates = _change_rates(column)
        for descending in (False, True):
            for first, last in _runs(column, descending):
                block = _moved_block(cells, previous, name, descending, first, last) if previous else None
                if block is None and codes_in_order:
                    block = _unlikely_block(cells, previous, mismatch, name, descending, first, last, rates)
                if block is not None:
                    found.append(block)
    return sorted(found, key=lambda b: (-b.weight, b.first, b.column))


def _moved_block(
    cells: dict[str, list[object]],
    previous: dict[str, list[object]],
    name: str,
    descending: bool,
    first: int,
    last: int,
) -> _Block | None:
    """The run first..last of column ``name`` as a sorted block if its rows hold the values a
    stable sort of the run's previous values would put there, in that column and in the columns
    sorted with it (each row's value counted where it matches the sorted previous value and not
    its own, against the rows where it matches its own and not the sorted one)."""
    old = {c: previous[c][first : last + 1] for c in cells}
    order = _sorted_rows(old[name], descending)
    changed = sum(old[name][s] != old[name][r] for r, s in enumerate(order))
    if not changed:
        return None
    nets = {}
    for c in cells:
        now = cells[c][first : last + 1]
        moved = sum(now[r] == old[c][s] != old[c][r] for r, s in enumerate(order))
        stayed = sum(now[r] == old[c][r] != old[c][s] for r, s in enumerate(order))
        nets[c] = (moved, stayed)
    moved, stayed = nets[name]
    others = sum(max(0, m - s) for c, (m, s) in nets.items() if c != name)
    if moved < MOVED_SHARE * changed or moved - stayed < 1 or moved - stayed + min(others, MOVED_MIN) < MOVED_MIN:
        return None
    if others < MOVED_MIN and not _permuted(cells[name][first : last + 1], old[name]):
        return None  # this column alone, typed afresh in order (efforts 1, 1, 2, 2, 3...): not moved
    span = [r for r, s in enumerate(order) if s != r]
    total = moved - stayed + others
    return _Block(first + span[0], first + span[-1], name, descending, 1e6 + total, total)


def _unlikely_block(
    cells: dict[str, list[object]],
    previous: dict[str, list[object]] | None,
    mismatch: dict[str, list[bool]],
    name: str,
    descending: bool,
    first: int,
    last: int,
    rates: tuple[float, float],
) -> _Block | None:
    """The run first..last of column ``name`` as a sorted block if it is far too long and orderly
    to be chance; with a previous snapshot, only if its rows changed since far more than the
    rest: in another column (moved with it), or in this one with the same values as before
    (moved among the rows, not typed afresh)."""
    column = cells[name]
    chance = _log10_chance(column[first : last + 1], *rates)
    if chance > (CHANCE_LOG10 if previous is None else CHANCE_LOG10_CHANGED):
        return None
    if previous is not None:
        others = any(_unusually_changed(mismatch[c], first, last) for c in cells if c != name)
        permuted = _permuted(column[first : last + 1], previous[name][first : last + 1])
        if not others and not (permuted and _unusually_changed(mismatch[name], first, last)):
            return None
    end = max(r for r in range(first, last + 1) if column[r] is not None)
    return _Block(first, end, name, descending, -chance)


def _permuted(now: list[object], before: list[object]) -> bool:
    """Whether the filled cells ``now`` are, but for a few, the cells ``before`` in another order."""
    counts = collections.Counter(v for v in now if v is not None)
    same = collections.Counter(v for v in before if v is not None) & counts
    return same.total() >= PERMUTED_SHARE * max(counts.total(), 1)


def _unusually_changed(mismatch: list[bool], first: int, last: int) -> bool:
    """Whether most rows first..last differ from the previous snapshot, far more than the rest."""
    inside = sum(mismatch[first : last + 1])
    rows = last - first + 1
    outside = (sum(mismatch) - inside) / max(len(mismatch) - rows, 1)
    return inside >= MOVED_MIN and inside >= rows / 2 and inside / rows >= 3 * outside


def _previous_values(
    pemda: Pemda, framework: Framework, date: dt.date | None, codes: list[str]
) -> tuple[dt.date, dict[str, list[object]]] | None:
    """The yellow values of each code in the pemda's latest snapshot up to ``date`` (else its
    first one), with that snapshot's date; ``None`` without a valid snapshot."""
    try:
        snapshots = list_snapshots(pemda)
    except InputError:
        return None
    before = [s for s in snapshots if date is None or s[0] <= date]
    pick = before[-1] if before else snapshots[0] if snapshots else None
    if pick is None:
        return None
    problems = Problems()
    try:
        load_snapshot(pick[1], framework, pemda, pick[0])
    except InputError:
        return None
    table = read_table(pick[1], SNAPSHOT_SCHEMA, problems)  # the cells as written, as an export shows them
    if table is None:
        return None
    docs = table.drop_duplicates("doc_code").set_index("doc_code")
    values = {}
    for name in YELLOW:
        column = docs[name].to_dict() if name in docs else {}
        values[name] = [_cell_key(column.get(code)) for code in codes]
    return pick[0], values


def alignment_problems(
    path: str | Path, pemda: Pemda, framework: Framework, date: dt.date | None = None
) -> list[Problem]:
    """Rows of a filled tracker that no longer line up, as when only some columns were sorted.

    Three signs, each naming the Excel rows and the column: a reference cell (area, indicator,
    sub-indicator, document, points) that is not the one of its row's code; a block of rows whose
    "Kode cek" is not their code (the yellow block sorted alone), with the column it was sorted
    by; a block of rows sorted in a few yellow columns only (the Kode cek left out), found by
    :func:`_sorted_blocks` against the pemda's snapshot up to ``date``.
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
        found = sheet_rows(wb, SHEET)  # the rows it really holds, merged cells filled in
    except Exception:
        return []  # unreadable or too large: the snapshot reader says why
    finally:
        wb.close()
    if not found:
        return []
    rows: list[list[object]] = [[] for _ in range(found[-1][0])]  # by Excel row, blank rows empty
    for n, values in found:
        rows[n - 1] = values
    return sheet_problems(path, rows, pemda, framework, date)


def sheet_problems(
    path: Path, rows: list[list[object]], pemda: Pemda, framework: Framework, date: dt.date | None
) -> list[Problem]:
    """:func:`alignment_problems` of the Status sheet's cells (``rows``: the header row first)."""
    sheet = _StatusSheet.of(path, rows, framework)
    if sheet is None:
        return []
    codes, wrong_check, problems = _misplaced_cells(sheet, framework)
    cells = {
        name: [_cell_key(sheet.cell(rows[n - 1], name)) for n, _c in codes] for name in YELLOW if name in sheet.index
    }
    if not cells:
        return problems
    taken: list[tuple[int, int]] = []  # spans of rows (positions in ``codes``) already reported
    problems += _wrong_check_problems(sheet, codes, wrong_check, cells, taken)
    problems += _sorted_block_problems(sheet, codes, cells, taken, (pemda, framework, date))
    return problems


@dataclasses.dataclass(frozen=True)
class _StatusSheet:
    """The Status sheet's cells and where each known column is."""

    path: Path
    rows: list[list[object]]
    columns: tuple[TrackerColumn, ...]
    index: dict[str, int]
    """Column name → position in a row."""

    @classmethod
    def of(cls, path: Path, rows: list[list[object]], framework: Framework) -> _StatusSheet | None:
        """The sheet, or ``None`` when its header has no document code column."""
        columns = framework_columns(framework)
        by_label = {_norm(label): c for c in columns for label in (c.label, *c.old_labels)}
        by_label |= {_norm(c.name): c for c in columns}
        index = {by_label[_norm(h)].name: i for i, h in enumerate(rows[0]) if _norm(h) in by_label}
        return cls(path, rows, columns, index) if "doc_code" in index else None

    def where(self, name: str) -> str:
        """The column as Excel shows it: letter and header."""
        from openpyxl.utils import get_column_letter

        col = next(c for c in self.columns if c.name == name)
        return f"{get_column_letter(self.index[name] + 1)} {col.label}"

    def cell(self, row: list[object], name: str) -> object:
        return row[self.index[name]] if name in self.index and self.index[name] < len(row) else None


def _misplaced_cells(
    sheet: _StatusSheet, framework: Framework
) -> tuple[list[tuple[int, str]], list[tuple[int, object]], list[Problem]]:
    """Per row with a document code: the code (with its Excel row), a Kode cek that is not it
    (position in the codes, the Kode cek), and a grey cell that is not the framework's for it."""
    grey = (*(level.title for level in framework.levels), "doc_name", "points")
    # a dict of the framework's cells (codes are unique): a DataFrame lookup per cell took ~60%
    # of the check of a 680-row tracker
    ref = framework.documents.set_index("doc_code")[list(grey)].to_dict("index")
    codes: list[tuple[int, str]] = []
    wrong_check: list[tuple[int, object]] = []
    problems: list[Problem] = []
    for n, row in enumerate(sheet.rows[1:], start=2):
        value = sheet.cell(row, "doc_code")
        code = str(value).strip().upper() if value is not None else ""
        if not code:
            continue
        codes.append((n, code))
        check = sheet.cell(row, CHECK)
        if check not in (None, "") and str(check).strip().upper() != code:
            wrong_check.append((len(codes) - 1, check))
        if code not in ref:
            continue
        for name in grey:
            got = sheet.cell(row, name)
            if got in (None, ""):
                continue
            want = ref[code][name]
            if not (_number_equal(got, want) if name == "points" else _norm(got) == _norm(want)):
                problems.append(
                    Problem(
                        str(sheet.path),
                        f"baris tidak sejajar: isi kolom ini bukan milik dokumen {code}",
                        row=n,
                        column=sheet.where(name),
                        value=got,
                        expected=f"{want} (dari kerangka MCP); {SORT_HINT}",
                    )
                )
                break
    return codes, wrong_check, problems


def _rows_text(codes: list[tuple[int, str]], first: int, last: int) -> str:
    a, b = codes[first][0], codes[last][0]
    return f"baris {a}" if a == b else f"baris {a} sampai {b}"


def _wrong_check_problems(
    sheet: _StatusSheet,
    codes: list[tuple[int, str]],
    wrong_check: list[tuple[int, object]],
    cells: dict[str, list[object]],
    taken: list[tuple[int, int]],
) -> list[Problem]:
    """One problem per span of rows whose Kode cek is not their code (the yellow columns sorted
    without the code column), naming the column they seem sorted by; the spans go to ``taken``."""
    spans: list[list[tuple[int, object]]] = []
    for item in wrong_check:
        if spans and item[0] - spans[-1][-1][0] <= SPAN_GAP:
            spans[-1].append(item)
        else:
            spans.append([item])
    problems = []
    for span in spans:
        first, last = span[0][0], span[-1][0]
        key = _sort_column(cells, first, last)
        by = f", diurutkan menurut kolom {sheet.where(key[0])} ({'menurun' if key[1] else 'menaik'})" if key else ""
        problems.append(
            Problem(
                str(sheet.path),
                f"{_rows_text(codes, first, last)} tidak sejajar: Kode cek bukan kode barisnya (baris "
                f"{codes[first][0]}: kodenya {codes[first][1]}); kolom kuning tampaknya diurutkan tanpa kolom kode{by}",
                row=codes[first][0],
                column=sheet.where(key[0]) if key else sheet.where(CHECK),
                value=span[0][1],
                expected=SORT_HINT,
            )
        )
        taken.append((first, last))
    return problems


def _sorted_block_problems(
    sheet: _StatusSheet,
    codes: list[tuple[int, str]],
    cells: dict[str, list[object]],
    taken: list[tuple[int, int]],
    context: tuple[Pemda, Framework, dt.date | None],
) -> list[Problem]:
    """One problem per block of rows where a yellow column is sorted on its own while the codes
    stay (compared with the previous snapshot where there is one), outside the ``taken`` spans."""
    pemda, framework, date = context
    order = [c for _n, c in codes]
    expected = [c for c in framework.documents["doc_code"] if c in set(order)]
    previous = _previous_values(pemda, framework, date, order)
    problems = []
    for block in _sorted_blocks(cells, previous[1] if previous else None, order == expected):
        if any(block.first <= b and a <= block.last for a, b in taken):
            continue
        taken.append((block.first, block.last))
        since = (
            f"; dibandingkan dengan snapshot {previous[0]:%Y-%m-%d}, {block.moved} baris berisi nilai dokumen lain"
            if block.moved and previous
            else ""
        )
        problems.append(
            Problem(
                str(sheet.path),
                f"{_rows_text(codes, block.first, block.last)} tidak sejajar: kolom ini terurut sendiri "
                f"({'menurun' if block.descending else 'menaik'}) di baris itu sementara kode dokumen tetap; "
                f"tampaknya hanya sebagian kolom yang diurutkan, sehingga isinya milik dokumen lain{since}",
                row=codes[block.first][0],
                column=sheet.where(block.column),
                expected=SORT_HINT,
            )
        )
    return problems


def _sort_column(cells: dict[str, list[object]], first: int, last: int) -> tuple[str, bool] | None:
    """The yellow column (and direction) in order over most of rows first..last, if any."""
    best: tuple[int, str, bool] | None = None
    for name, column in cells.items():
        for descending in (False, True):
            for a, b in _runs(column, descending):
                cover = min(b, last) - max(a, first) + 1
                distinct = len({v for v in column[max(a, first) : min(b, last) + 1] if v is not None})
                if distinct >= 2 and cover >= 0.9 * (last - first + 1) and (best is None or cover > best[0]):
                    best = (cover, name, descending)
    return (best[1], best[2]) if best else None


def _number_equal(a: object, b: object) -> bool:
    try:
        return abs(float(str(a).replace(",", ".")) - float(b)) < 1e-6
    except (TypeError, ValueError, OverflowError):
        return False


def import_tracker(path: str | Path, pemda: Pemda, framework: Framework, date: dt.date, *, force: bool = False) -> Path:
    """Validate a filled tracker and write it as ``status/<date>.csv`` of the pemda.

    Raises
    ------
    InputError
        Bad cells (file, Excel row, column), or the snapshot exists and ``force`` is off.
    """
    _, table = read_tracker(path, pemda, framework, date)
    return write_snapshot(table, pemda.status_dir / f"{date:%Y-%m-%d}.csv", force=force)
