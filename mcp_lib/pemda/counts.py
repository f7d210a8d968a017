"""The jaga.id dashboard's figures per area as an input, for a coordinator who has no document
list: the small sheet an analyst fills in each week (:func:`write_counts_template`), read back and
checked (:func:`read_counts`), and kept as ``<pemda folder>/counts/<YYYY-MM-DD>.csv``
(:func:`store_counts`). Scoring them: :mod:`mcp_lib.count_scores`.

Layout of ``angka-dasbor-<year>.xlsx`` (one table, its header in row 1, so that the same sheet
saved as CSV reads the same)::

    Angka dasbor   A Tanggal data, B Nilai total dasbor: once, in row 2 (yellow; grey below);
                   C Kode area, D Nama area: one row per area that applies to the pemda's kind,
                   pre-filled (grey); E Nilai area, F Dokumen wajib, G Diunggah, H Diterima,
                   I Dikembalikan, J Menunggu verifikasi, K Belum diunggah (yellow). Each header
                   carries a note with the English term; each yellow cell a prompt and a range.
    Petunjuk       what each column means, the identities below, the command that reads it
    Daftar         (hidden) the pemda and framework year the sheet is for

**What the dashboard guarantees**, per area, and the reader therefore checks:

- ``diunggah + belum diunggah = dokumen wajib``: a document is uploaded or not;
- ``diterima + dikembalikan + menunggu verifikasi = diunggah``: an uploaded document is accepted,
  returned for revision or waiting for the verifier (a returned document counts as uploaded: it
  went up and came back), so ``diterima ≤ diunggah ≤ dokumen wajib`` (``diterima > diunggah``
  is named as such);
- ``nilai area`` (0–100) is the verified score of the area; it is above 0 only when some
  document was accepted or returned (a returned one may carry part of its points).

The dashboard's total, when given, is the area scores weighted by the framework's area weights,
renormalised over the areas that apply (:func:`area_weights`), within :data:`TOTAL_TOLERANCE`
(the dashboard rounds), before or after the year's deduction of ``pemda.toml``. An area with no
required document drops out of that weighting, as an area whose documents are all
``tidak_berlaku`` drops out of the document score.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from mcp_lib import text
from mcp_lib.errors import InputError, Problem, Problems
from mcp_lib.files import write_via_temp
from mcp_lib.framework.calendar import assessment_problem
from mcp_lib.framework.model import TOP, Framework
from mcp_lib.io import workbook
from mcp_lib.io.rawfile import ROW
from mcp_lib.io.readers import Column, Schema, csv_safe_frame, read_table
from mcp_lib.io.workbook import keep_as_text
from mcp_lib.pemda.model import Pemda, Penalty
from mcp_lib.pemda.tracker import LIST_SHEET
from mcp_lib.pemda.tracker_import import tracker_meta

SHEET = "Angka dasbor"
HELP_SHEET = "Petunjuk"
FOLDER = "counts"
"""The folder of a pemda's stored dashboard counts: ``<pemda folder>/counts/<date>.csv``."""
TOTAL_TOLERANCE = 0.1
"""Points by which the dashboard's total may differ from the weighted area scores (it rounds)."""
COUNTS = ("required", "uploaded", "accepted", "returned", "awaiting", "not_uploaded")
"""The document counts per area, in the sheet's order."""
MAX_COUNT = 100_000


@dataclass(frozen=True)
class CountColumn:
    """One column of the sheet: ``column`` as read, ``label`` the Bahasa header, ``english`` the
    term in its note, ``editable`` (yellow) or pre-filled (grey)."""

    column: Column
    label: str
    english: str
    width: float
    editable: bool = True

    @property
    def name(self) -> str:
        return self.column.name


def _count(name: str, label: str, english: str) -> CountColumn:
    return CountColumn(Column(name, "number", minimum=0), label, english, 13)


COLUMNS: tuple[CountColumn, ...] = (
    CountColumn(Column("data_date", "date", blank_ok=True), "Tanggal data", "date of the dashboard's data", 13),
    CountColumn(
        Column("dashboard_total", "number", required=False, blank_ok=True, minimum=0, maximum=100),
        "Nilai total dasbor",
        "dashboard total score, optional",
        12,
    ),
    CountColumn(Column("area_code", "code"), "Kode area", "area code", 9, editable=False),
    CountColumn(Column("area_name", "text", required=False, blank_ok=True), "Nama area", "area name", 32, False),
    CountColumn(Column("area_score", "number", minimum=0, maximum=100), "Nilai area", "area score, 0–100", 10),
    _count("required", "Dokumen wajib", "documents required"),
    _count("uploaded", "Diunggah", "uploaded"),
    _count("accepted", "Diterima", "accepted, verified"),
    _count("returned", "Dikembalikan", "returned for revision"),
    _count("awaiting", "Menunggu verifikasi", "awaiting verification"),
    _count("not_uploaded", "Belum diunggah", "not uploaded"),
)
COUNTS_SCHEMA = Schema("angka dasbor", tuple(c.column for c in COLUMNS), max_rows=100)
ALIASES: dict[str, str] = {
    header: c.name for c in COLUMNS for header in (c.label, f"{c.label} ({c.english.split(',')[0]})")
}
"""The sheet's headers (also with the English term in brackets) → the column names; the names
themselves, as the stored CSV has them, are read too."""
_BY_NAME = {c.name: c for c in COLUMNS}
_HELP = {
    "data_date": "tanggal keadaan angka di dasbor jaga.id; sekali saja, di baris 2",
    "dashboard_total": "nilai total yang tampil di dasbor (boleh kosong); diperiksa terhadap nilai area berbobot",
    "area_code": "kode area dari kerangka MCP (jangan diubah)",
    "area_name": "nama area dari kerangka MCP (jangan diubah)",
    "area_score": "nilai area seperti tampil di dasbor, 0–100",
    "required": "jumlah dokumen wajib area ini",
    "uploaded": "dokumen yang sudah diunggah (termasuk yang diterima, dikembalikan dan menunggu verifikasi)",
    "accepted": "dokumen yang diterima/terverifikasi",
    "returned": "dokumen yang dikembalikan (perlu perbaikan)",
    "awaiting": "dokumen yang menunggu verifikasi",
    "not_uploaded": "dokumen yang belum diunggah",
}


def column_label(name: str) -> str:
    """A column as a problem names it: its letter in the sheet and its header (``H Diterima``)."""
    from openpyxl.utils import get_column_letter

    at = [c.name for c in COLUMNS].index(name) + 1
    return f"{get_column_letter(at)} {_BY_NAME[name].label}"


@dataclass(frozen=True, eq=False)
class AreaCounts:
    """The dashboard's figures of one date, checked.

    Attributes
    ----------
    date
        The date of the dashboard's data (``Tanggal data``).
    areas
        One row per area that applies to the pemda, in framework order: ``area_code``,
        ``area_name`` (the framework's), ``area_score`` (0–100, as the dashboard shows it), the
        counts of :data:`COUNTS` (whole numbers) and :data:`~mcp_lib.io.rawfile.ROW` (the row in
        the file; ``NaN`` for counts not read from a file).
    dashboard_total
        The dashboard's total when given, else ``None``.
    path
        The file read (``None`` for counts made from a snapshot).
    """

    date: dt.date
    areas: pd.DataFrame
    dashboard_total: float | None = None
    path: Path | None = None


# --- areas and weights ------------------------------------------------------------------------------


def applicable_areas(framework: Framework, kind: str) -> pd.DataFrame:
    """The framework's areas (``area_code``, ``area_name``, ``area_weight``) with a document that
    applies to a pemda of ``kind``, in framework order (a kota has no Dana Desa)."""
    live = set(framework.documents.loc[framework.applies(kind).to_numpy(), f"{TOP}_code"])
    areas = framework.areas
    return areas[areas["area_code"].isin(live)].reset_index(drop=True)


def area_weights(framework: Framework, areas: pd.DataFrame) -> pd.Series:
    """Each row's share of the total in percent (summing to 100): the framework's area weight
    renormalised over the rows with a required document (``areas`` has ``area_code`` and
    ``required``; a row with none weighs 0)."""
    weight = areas["area_code"].map(framework.areas.set_index("area_code")["area_weight"]).astype(float)
    weight = weight.where(areas["required"] > 0, 0.0)
    total = float(weight.sum())
    return weight * (100.0 / total) if total > 0 else weight * 0.0


def weighted_total(framework: Framework, areas: pd.DataFrame) -> float:
    """The area scores weighted by :func:`area_weights` (before any deduction)."""
    return float((area_weights(framework, areas) * areas["area_score"]).sum() / 100.0)


# --- the sheet ----------------------------------------------------------------------------------------


def template_path(pemda: Pemda, framework: Framework) -> Path:
    """Where ``mcp snapshot counts --template`` writes by default."""
    return pemda.path / f"angka-dasbor-{framework.year}.xlsx"


def write_counts_template(framework: Framework, pemda: Pemda, path: str | Path, *, force: bool = False) -> Path:
    """Write the blank counts sheet for ``pemda``: one row per area that applies to its kind.

    Raises
    ------
    InputError
        When ``path`` exists and ``force`` is not set (with ``force`` it is kept as
        ``<name>.bak-<timestamp>.xlsx``).
    """
    path = Path(path)
    if path.exists() and not force:
        raise InputError.one(str(path), "berkas sudah ada dan tidak ditimpa", expected="nama lain, atau --force")
    areas = applicable_areas(framework, pemda.kind)
    wb = workbook.new_workbook()
    ws = wb.active
    ws.title = SHEET
    workbook.header_row(ws, [c.label for c in COLUMNS], freeze=4)  # date, total, code and name stay in view
    _notes(ws)
    last = len(areas) + 1
    for r, (code, name) in enumerate(zip(areas["area_code"], areas["area_name"], strict=True), start=2):
        for i, col in enumerate(COLUMNS, start=1):
            value = {"area_code": code, "area_name": name}.get(col.name)
            cell = keep_as_text(ws.cell(row=r, column=i, value=value))
            once = col.name in ("data_date", "dashboard_total")
            yellow = col.editable and (r == 2 or not once)
            cell.fill = workbook.fill(workbook.INPUT_FILL if yellow else workbook.REFERENCE_FILL)
            if col.name == "data_date":
                cell.number_format = workbook.DATE_FORMAT
    workbook.column_widths(ws, [c.width for c in COLUMNS])
    workbook.print_setup(ws, 1, len(COLUMNS), f"Angka dasbor MCP {pemda.name}, {framework.label}")
    _validations(ws, last, framework.year)
    _write_meta(wb.create_sheet(LIST_SHEET), pemda, framework)
    _write_help(wb.create_sheet(HELP_SHEET, 1), pemda, framework, path.name)
    wb.active = 0
    return workbook.save(wb, path)


def _notes(ws: Any) -> None:
    """Each header's note: the English term and what to type."""
    from openpyxl.comments import Comment

    for i, col in enumerate(COLUMNS, start=1):
        note = Comment(f"{col.label} ({col.english}): {_HELP[col.name]}", "MCP Workbook", width=260, height=90)
        ws.cell(row=1, column=i).comment = note


def _validations(ws: Any, last: int, year: int) -> None:
    """The ranges of the yellow cells, each with a prompt naming the English term."""
    from openpyxl.utils import get_column_letter

    letter = {c.name: get_column_letter(i) for i, c in enumerate(COLUMNS, start=1)}
    workbook.validate_date(ws, f"{letter['data_date']}2", f"31/10/{year}")
    for name, high, kind in [("dashboard_total", 100, "decimal"), ("area_score", 100, "decimal")] + [
        (name, MAX_COUNT, "whole") for name in COUNTS
    ]:
        col = _BY_NAME[name]
        rows = "2" if name == "dashboard_total" else f"2:{letter[name]}{last}"
        workbook.validate(
            ws,
            kind,
            f"{letter[name]}{rows}",
            operator="between",
            formula1="0",
            formula2=str(high),
            errorStyle="stop",
            title=f"{col.label} tidak sah",
            error=f"{col.label}: " + ("angka 0–100." if high == 100 else "bilangan bulat 0 atau lebih."),
            prompt=f"{col.label} ({col.english}): {_HELP[name]}",
        )


def _write_meta(ws: Any, pemda: Pemda, framework: Framework) -> None:
    """The hidden sheet of the pemda and framework year the sheet is for (read by
    :func:`mcp_lib.pemda.tracker_import.tracker_meta`)."""
    ws.append(["kunci", "nilai"])
    for key, value in (("pemda", pemda.slug), ("nama", pemda.name), ("kerangka", framework.year)):
        ws.append([key, value])
    for row in ws.iter_rows():
        for cell in row:
            keep_as_text(cell)
    ws.sheet_state = "hidden"
    ws.protection.sheet = True


def _write_help(ws: Any, pemda: Pemda, framework: Framework, file_name: str) -> None:
    lines: list[tuple[str, str, str]] = [
        ("title", f"Angka dasbor MCP {pemda.name}: {framework.label}", ""),
        ("body", "Salin angka dasbor jaga.id ke sheet 'Angka dasbor': satu baris per area, sel kuning saja.", ""),
        ("body", "Tanggal data dan nilai total dasbor diisi sekali, di baris 2 (nilai total boleh kosong).", ""),
        ("body", "Setiap baris harus cocok seperti di dasbor:", ""),
        ("body", "  dokumen wajib = diunggah + belum diunggah", ""),
        ("body", "  diunggah = diterima + dikembalikan + menunggu verifikasi", ""),
        ("body", f"Lalu (di folder proyek): .venv/bin/mcp snapshot counts --pemda {pemda.slug} --file {file_name}", ""),
        ("body", "Nilai yang dihitung dari angka ini berasal dari angka dasbor per area, bukan dari dokumen.", ""),
        ("", "", ""),
        ("bold", "Kolom", ""),
        *[("pair", f"{c.label} ({c.english})", _HELP[c.name]) for c in COLUMNS],
    ]
    workbook.column_widths(ws, [44, 90])
    for r, (kind, first, second) in enumerate(lines, start=1):
        if kind:
            ws.cell(row=r, column=1, value=first).font = workbook.font("bold" if kind == "pair" else kind)
        if second:
            ws.cell(row=r, column=2, value=second).alignment = workbook.wrapped()
    workbook.print_setup(ws, 1, 2, f"Petunjuk angka dasbor MCP {pemda.name}")
    ws.protection.sheet = True


# --- reading ----------------------------------------------------------------------------------------


def read_counts(path: str | Path, framework: Framework, pemda: Pemda) -> AreaCounts:
    """Read and check a filled counts sheet (``.xlsx``, or ``.csv`` as Excel saves it, or a
    stored ``counts/<date>.csv``) for ``pemda`` on ``framework``.

    Raises
    ------
    InputError
        Every problem, naming the file, the row as Excel shows it and the column (letter and
        header): not a number, a negative or decimal count, an area score outside 0–100, an
        unknown, missing, repeated or non-applying area, the identities of the module's
        docstring, no date or a date outside the framework's assessment, a total that does not
        match the weighted area scores; also a sheet made for another pemda or framework year.
    """
    path = Path(path)
    problems = Problems()
    _check_meta(path, pemda, framework, problems)
    first = len(problems.items)
    table = read_table(path, COUNTS_SCHEMA, problems, sheet=SHEET, aliases=ALIASES)
    read = range(first, len(problems.items))  # the reader's own problems
    if table is None:
        raise InputError(_labelled(problems.items, read))
    blank = _blank(path, table)
    if blank is not None:
        raise InputError([blank])
    check = _Check(path, problems, framework, pemda.kind)
    date = check.once(table, "data_date")
    total = check.once(table, "dashboard_total")
    check.date(date)
    areas = check.areas(table)
    for row in table.to_dict("records"):
        check.counts(row)
    if not problems:
        check.total(total, areas, pemda.penalty(framework.year))
    if problems:
        raise InputError(_labelled(problems.items, read))
    assert date is not None and isinstance(date[0], dt.date)  # a missing date is a problem
    areas[list(COUNTS)] = areas[list(COUNTS)].astype(int)
    given = None if total is None else float(total[0])  # type: ignore[arg-type]  # a number column
    return AreaCounts(date=date[0], areas=areas, dashboard_total=given, path=path)


COUNT_EXPECTED = "bilangan bulat 0 atau lebih, mis. 12"


def _labelled(problems: tuple[Problem, ...], read: range) -> list[Problem]:
    """The problems with the sheet's column letters and headers instead of column names (and a
    count's cell the reader refused, ``read``, asked for as a whole number, not the reader's
    decimal example; the sums that do not add up keep their own words)."""
    out = []
    for i, p in enumerate(problems):
        if p.column in COUNTS and p.row is not None and i in read:
            p = dataclasses.replace(p, expected=COUNT_EXPECTED)
        out.append(dataclasses.replace(p, column=column_label(p.column)) if p.column in _BY_NAME else p)
    return out


def _blank(path: Path, table: pd.DataFrame) -> Problem | None:
    """One problem for a sheet with no figure typed in (rather than one per empty cell)."""
    filled = table[["data_date", "dashboard_total", "area_score", *COUNTS]].notna().to_numpy().any()
    if filled:
        return None
    return Problem(
        str(path),
        "lembar angka dasbor belum diisi",
        expected="tanggal data di baris 2 dan, per area, nilai area dan jumlah dokumen dari dasbor jaga.id",
    )


def _check_meta(path: Path, pemda: Pemda, framework: Framework, problems: Problems) -> None:
    """A sheet written for another pemda or framework year (its hidden ``Daftar`` sheet) is refused."""
    meta = tracker_meta(path) if path.suffix.lower() in (".xlsx", ".xlsm") and path.is_file() else {}
    made_for = {"pemda": pemda.slug, "kerangka": str(framework.year)}
    for key, want in made_for.items():
        got = str(meta.get(key) or "").split(".")[0]
        if got and got != want:
            problems.add(
                path,
                f"lembar angka dasbor ini dibuat untuk {key} {got}",
                column=LIST_SHEET,
                expected=f"lembar untuk {key} {want}: mcp snapshot counts --pemda {pemda.slug} --template",
            )


@dataclass(frozen=True)
class _Check:
    """The checks of a counts table, each adding its problems."""

    path: Path
    problems: Problems
    framework: Framework
    kind: str

    @property
    def unmoved_areas(self) -> set[str]:
        """Areas with an item scored without documents (a realisation, another KPK system): they
        may score with no document accepted."""
        fw = self.framework
        codes = {code for code, method in fw.methods.items() if not method.plannable}
        subs = fw.subindicators
        return set(subs.loc[subs[f"{fw.levels[-1].key}_code"].isin(codes), "area_code"])

    def once(self, table: pd.DataFrame, name: str) -> tuple[object, int] | None:
        """The value of a column filled once (the date, the total) and its row; another value in a
        later row is a problem (the same value repeated is not)."""
        filled = table[[name, ROW]].dropna(subset=[name])
        if filled.empty:
            return None
        first, row = filled.iloc[0]
        for value, other in filled.iloc[1:].itertuples(index=False):
            if value != first:
                shown = text.date(first) if isinstance(first, dt.date) else text.number(first, 2)
                label = _BY_NAME[name].label.lower()
                self.add((other, name), f"{label} berbeda dari baris {row} ({shown})", value, f"{label} diisi sekali")
        return first, int(row)

    def date(self, date: tuple[object, int] | None) -> None:
        """A date is given, within the framework's assessment."""
        if date is None:
            example = f"tanggal keadaan angka dasbor di baris 2, mis. 31/10/{self.framework.year}"
            self.add((2, "data_date"), "tanggal data dasbor belum diisi", None, example)
            return
        day, row = date
        assert isinstance(day, dt.date)
        problem = assessment_problem(self.framework.year, day)
        if problem:
            self.add((row, "data_date"), problem[0], day, problem[1])

    def areas(self, table: pd.DataFrame) -> pd.DataFrame:
        """Each area that applies once, none other; returns the rows of those areas in framework
        order with the framework's names."""
        every = self.framework.areas.set_index("area_code")["area_name"]
        live = applicable_areas(self.framework, self.kind).set_index("area_code")["area_name"]
        first: dict[str, int] = {}
        for code, name, row in table[["area_code", "area_name", ROW]].itertuples(index=False):
            if code is None:
                continue
            if code in first:
                self._area(row, "area ganda (sudah ada di baris " + str(first[code]) + ")", code, None)
            elif code not in every.index:
                self._area(row, "kode area tidak dikenal", code, "kode area kerangka " + ", ".join(live.index))
            elif code not in live.index:
                self._area(row, f"area {code} ({every[code]}) tidak berlaku untuk {self.kind}", code, "hapus barisnya")
            else:
                first[code] = row
                self._name(row, code, name, str(every[code]))
        for code, name in live.items():
            if code not in first:
                expected = "satu baris per area yang berlaku (buat lembar baru: mcp snapshot counts --template)"
                self.add((None, "area_code"), f"area {code} ({name}) tidak ada", None, expected)
        rows = table[table[ROW].isin(first.values())].set_index("area_code")
        rows = rows.reindex([c for c in live.index if c in first]).reset_index()
        rows["area_name"] = rows["area_code"].map(live)
        return rows[["area_code", "area_name", "area_score", *COUNTS, ROW]]

    def add(self, at: tuple[int | None, str], message: str, value: object, expected: str | None) -> None:
        """A problem in the cell ``at`` (row as Excel shows it, column name)."""
        self.problems.add(self.path, message, row=at[0], column=at[1], value=value, expected=expected)

    def _area(self, row: int, message: str, code: str, expected: str | None) -> None:
        self.add((row, "area_code"), message, code, expected)

    def _name(self, row: int, code: str, name: object, want: str) -> None:
        """A name given that is not the area's is a row moved or typed over."""
        if name is not None and " ".join(str(name).split()).casefold() != " ".join(want.split()).casefold():
            message = f"nama area bukan milik kode {code} di kerangka {self.framework.year}"
            expected = f"{want} (baris tidak sejajar? buat lembar baru: mcp snapshot counts --template)"
            self.add((row, "area_name"), message, name, expected)

    def counts(self, row: dict[Any, Any]) -> None:
        """Whole counts, adding up as the dashboard's do; an area score only with decided documents."""
        values = {name: row[name] for name in COUNTS}
        if any(v is None or v != v for v in values.values()):
            return  # blank or refused: reported by the reader
        broken = [n for n, v in values.items() if not float(v).is_integer()]
        for name in broken:
            self._cell(row, name, "jumlah dokumen bukan bilangan bulat", COUNT_EXPECTED)
        if broken:
            return
        n = {k: int(v) for k, v in values.items()}
        decided = n["accepted"] + n["returned"]
        if n["accepted"] > n["uploaded"]:
            self._cell(
                row,
                "accepted",
                f"diterima ({n['accepted']}) lebih banyak dari diunggah ({n['uploaded']})",
                "diterima paling banyak sama dengan diunggah",
            )
        elif decided + n["awaiting"] != n["uploaded"]:
            self._cell(
                row,
                "uploaded",
                f"diunggah ({n['uploaded']}) tidak sama dengan diterima + dikembalikan + menunggu verifikasi "
                f"({n['accepted']} + {n['returned']} + {n['awaiting']} = {decided + n['awaiting']})",
                "diunggah = diterima + dikembalikan + menunggu verifikasi, seperti di dasbor",
            )
        if n["uploaded"] + n["not_uploaded"] != n["required"]:
            self._cell(
                row,
                "required",
                f"dokumen wajib ({n['required']}) tidak sama dengan diunggah + belum diunggah "
                f"({n['uploaded']} + {n['not_uploaded']} = {n['uploaded'] + n['not_uploaded']})",
                "dokumen wajib = diunggah + belum diunggah, seperti di dasbor",
            )
        score = row["area_score"]
        moved_otherwise = row["area_code"] in self.unmoved_areas  # a realisation or another KPK system
        if isinstance(score, float) and score > 0 and decided == 0 and not moved_otherwise:
            self._cell(
                row,
                "area_score",
                "nilai area lebih dari 0 padahal tidak ada dokumen diterima atau dikembalikan",
                "0, atau periksa angka diterima dan dikembalikan",
            )

    def _cell(self, row: dict[Any, Any], name: str, message: str, expected: str) -> None:
        value = row[name]
        shown = f"{value:g}" if isinstance(value, float) else value
        self.add((row[ROW], name), message, shown, expected)

    def total(self, total: tuple[object, int] | None, areas: pd.DataFrame, penalty: Penalty | None) -> None:
        """The dashboard's total, when given, is the weighted area scores (before the year's
        deduction, or after it), within :data:`TOTAL_TOLERANCE`."""
        if total is None:
            return
        value, row = total
        assert isinstance(value, float)
        weighted = weighted_total(self.framework, areas)
        points = penalty.points if penalty is not None else 0.0
        candidates = [weighted] + ([max(weighted - points, 0.0)] if points else [])
        if any(abs(value - c) <= TOTAL_TOLERANCE + 1e-9 for c in candidates):
            return
        deduction = (
            f", atau {text.number(candidates[1], 2)} setelah penalti {text.number(points)} poin" if points else ""
        )
        message = f"nilai total dasbor tidak cocok dengan nilai area berbobot ({text.number(weighted, 2)}{deduction})"
        expected = f"selisih paling banyak {text.number(TOTAL_TOLERANCE)} poin: periksa nilai area, atau kosongkan"
        self.add((row, "dashboard_total"), message, value, expected)


# --- storing ------------------------------------------------------------------------------------------


_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})\.csv")


def counts_path(pemda: Pemda, date: dt.date) -> Path:
    """``<pemda folder>/counts/<date>.csv``."""
    return pemda.path / FOLDER / f"{date:%Y-%m-%d}.csv"


def list_counts(pemda: Pemda) -> list[tuple[dt.date, Path]]:
    """The stored counts of a pemda, oldest first (other files there, a backup
    ``<date>.bak-<timestamp>.csv`` among them, are passed over)."""
    folder = pemda.path / FOLDER
    found = []
    for path in sorted(folder.glob("*.csv")) if folder.is_dir() else []:
        m = _NAME.fullmatch(path.name)
        try:
            day = dt.date.fromisoformat(m.group(1)) if m else None
        except ValueError:  # 2025-02-30.csv
            day = None
        if day is not None:
            found.append((day, path))
    return found


def counts_table(counts: AreaCounts) -> pd.DataFrame:
    """The canonical table of ``counts`` (the sheet's columns by name; the date and the total in
    the first row), as :func:`store_counts` writes it and :func:`read_counts` reads it."""
    out = counts.areas[["area_code", "area_name", "area_score", *COUNTS]].copy()
    out[list(COUNTS)] = out[list(COUNTS)].astype(int)
    out.insert(0, "dashboard_total", [counts.dashboard_total] + [None] * (len(out) - 1))
    out.insert(0, "data_date", [counts.date.isoformat()] + [None] * (len(out) - 1))
    return out


def _csv_bytes(counts: AreaCounts) -> bytes:
    table = csv_safe_frame(counts_table(counts))
    return table.to_csv(index=False, lineterminator="\n", float_format="%.10g").encode("utf-8")


def store_counts(pemda: Pemda, counts: AreaCounts, *, force: bool = False) -> tuple[Path, bool]:
    """Write ``counts`` as ``counts/<date>.csv`` of the pemda; returns the path and whether it was
    written (a file of that date with the same content is left as it is).

    Raises
    ------
    InputError
        When a different file of that date exists and ``force`` is not set (with ``force`` it is
        kept as ``<date>.bak-<timestamp>.csv``).
    """
    path = counts_path(pemda, counts.date)
    data = _csv_bytes(counts)
    if path.is_file() and path.read_bytes() == data:
        return path, False
    if path.exists() and not force:
        raise InputError.one(
            str(path),
            f"angka dasbor tanggal {counts.date:%Y-%m-%d} sudah ada dengan isi lain dan tidak ditimpa",
            expected="periksa tanggal data, atau jalankan lagi dengan --force",
        )
    return write_via_temp(path, lambda tmp: tmp.write_bytes(data)), True
