"""The framework workbook's layout, shared by its writer and its reader: an MCP framework
typed in Excel from the KPK application or guide.

Layout of ``kerangka-<year>.xlsx`` (sheet names and headers in Bahasa Indonesia)::

    Petunjuk   how to fill the workbook, and an example of each data sheet
    Kerangka   the settings: Tahun, Label, Batas unggah, Tanggal final, Tingkat tabel rinci
               (Pengaturan | Nilai | Keterangan; dates as Excel dates)
    Tingkat    one row per level, top to bottom: Kunci (``area`` … ``subindicator``), Nama
    Struktur   one row per lowest-level item: "Kode <level>", "Nama <level>", "Bobot <level>"
               for every level, then "Berlaku untuk" and "OPD pengampu", then the scoring columns
               (may be blank): "Metode penilaian", "Tenggat", "Bagian nilai bila terlambat",
               "Nama singkat <top level>" (``method``, ``deadline``, ``late_share``, ``area_short``)
    Dokumen    one row per evidence document: "Kode <lowest level>", Kode dokumen, Nama dokumen,
               Bagian, Jendela data (``window``, may be blank)
    Predikat   the score bands: Predikat, Batas bawah, Warna
    Daftar     (hidden) the choices of the "Berlaku untuk" and "Metode penilaian" dropdowns

:mod:`mcp_lib.framework.workbook.template` writes it (an empty one, or an existing framework's);
:mod:`mcp_lib.framework.workbook.reader` reads, checks and imports it. Export then import gives back the
same framework files, byte for byte.

Struktur's columns are found by their headers ("Kode Sasaran" for the level named Sasaran in
Tingkat); when a level was renamed in Tingkat but not in Struktur (or the other way round), the
"Kode …" column groups are taken in order, one per level. A workbook without the scoring columns
(made before they existed) reads as a framework scored by document points.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mcp_lib.errors import Problems
from mcp_lib.framework.model import BOTTOM, LEVEL_KEY, MAX_LEVELS, TOP, Level
from mcp_lib.framework.rules import AREA_SHORT, DEADLINE, LATE_SHARE, METHOD, WINDOW
from mcp_lib.io.rawfile import normalise_header

HELP_SHEET = "Petunjuk"
META_SHEET = "Kerangka"
LEVEL_SHEET = "Tingkat"
STRUCTURE_SHEET = "Struktur"
DOCUMENT_SHEET = "Dokumen"
BAND_SHEET = "Predikat"
LIST_SHEET = "Daftar"
DATA_SHEETS = (META_SHEET, LEVEL_SHEET, STRUCTURE_SHEET, DOCUMENT_SHEET, BAND_SHEET)
"""The sheets the reader needs (Petunjuk and Daftar are for the analyst and Excel only)."""


# --- headers ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Col:
    """A workbook column: the schema column it feeds, its header, width and other accepted headers."""

    name: str
    label: str
    width: float
    also: tuple[str, ...] = ()

    def accepts(self) -> set[str]:
        return {normalise_header(h) for h in (self.label, self.name, *self.also)}


def scoring_columns(levels: tuple[Level, ...]) -> tuple[Col, ...]:
    """Struktur's last columns, blank for an item scored by document points: its scoring method,
    its deadline and the share of its score kept after it, and the top level's short name."""
    top = levels[0]
    return (
        Col(METHOD, "Metode penilaian", 26, ("Metode", "Cara dinilai")),
        Col(DEADLINE, "Tenggat", 12, ("Batas waktu", "Tanggal tenggat")),
        Col(LATE_SHARE, "Bagian nilai bila terlambat", 14, ("Sisa nilai bila terlambat", "Nilai bila terlambat")),
        Col(AREA_SHORT, f"Nama singkat {top.name}", 14, (f"Nama singkat {top.key}", f"Singkatan {top.name}")),
    )


def optional_structure(levels: tuple[Level, ...]) -> set[str]:
    """Struktur's columns a workbook may leave out: Berlaku untuk, OPD pengampu and the scoring ones."""
    return {"applies_to", "default_opd", *(c.name for c in scoring_columns(levels))}


def structure_columns(levels: tuple[Level, ...]) -> tuple[Col, ...]:
    """Struktur's columns: code, name and weight of every level, then Berlaku untuk, OPD pengampu
    and :func:`scoring_columns`."""
    cols: list[Col] = []
    for i, level in enumerate(levels):
        name_width = 40 if i == len(levels) - 1 else 28
        cols += [
            Col(level.code, f"Kode {level.name}", 14, (f"Kode {level.key}",)),
            Col(level.title, f"Nama {level.name}", name_width, (f"Nama {level.key}",)),
            Col(level.weight, f"Bobot {level.name}", 12, (f"Bobot {level.name} (%)", f"Bobot {level.key}")),
        ]
    return (
        *cols,
        Col("applies_to", "Berlaku untuk", 16, ("Berlaku",)),
        Col("default_opd", "OPD pengampu", 26, ("OPD", "OPD penanggung jawab")),
        *scoring_columns(levels),
    )


def document_columns(levels: tuple[Level, ...]) -> tuple[Col, ...]:
    """Dokumen's columns (the first names the lowest level as Tingkat calls it)."""
    return (
        Col("subindicator_code", f"Kode {levels[-1].name}", 16, ("Kode sub-indikator", "Kode subindikator")),
        Col("doc_code", "Kode dokumen", 18),
        Col("doc_name", "Nama dokumen", 70, ("Dokumen", "Dokumen bukti")),
        Col("points", "Bagian", 8, ("Poin", "Poin maks", "Bagian maks")),
        Col(WINDOW, "Jendela data", 18, ("Periode data", "Tahun data")),
    )


BAND_COLUMNS = (
    Col("band", "Predikat", 16),
    Col("lower_bound", "Batas bawah", 12, ("Batas bawah (%)",)),
    Col("colour", "Warna", 12, ("Color",)),
)
LEVEL_COLUMNS = (Col("key", "Kunci", 16), Col("name", "Nama", 28))
META_COLUMNS = (Col("setting", "Pengaturan", 22), Col("value", "Nilai", 30), Col("note", "Keterangan", 90))

SETTINGS: tuple[tuple[str, str, str], ...] = (
    ("year", "Tahun", "tahun MCP kerangka ini, mis. 2025 (wajib; --year saat impor menggantinya)"),
    ("label", "Label", "nama kerangka di brief, mis. MCP 2025; kosong = MCP <tahun>"),
    ("upload_close", "Batas unggah", "hari terakhir unggah dokumen di aplikasi MCP, mis. 30/11/2025 (boleh kosong)"),
    (
        "final_date",
        "Tanggal final",
        "hari terakhir verifikasi dan QA, sama dengan atau sesudah batas unggah (boleh kosong)",
    ),
    (
        "detail_level",
        "Tingkat tabel rinci",
        "tingkat yang dirinci tabel brief: salah satu Nama di sheet Tingkat; "
        "kosong = tingkat tepat di atas yang terbawah",
    ),
)
"""Kerangka's rows: the ``framework.toml`` key, the label shown, the note beside it."""


# --- found in a workbook -------------------------------------------------------------------------


@dataclass
class Sheet:
    """One sheet of the workbook as found: its name in the file, how problems name it, its header
    texts (index = column) and which column feeds which schema column."""

    name: str
    actual: str | None
    label: str
    headers: list[str] = field(default_factory=list)
    columns: dict[str, int] = field(default_factory=dict)

    def where(self, name: str) -> str:
        """``"C (Bobot Area)"``: the column's letter and its header in the sheet."""
        from openpyxl.utils import get_column_letter

        i = self.columns[name]
        return f"{get_column_letter(i + 1)} ({self.headers[i]})"

    @property
    def aliases(self) -> dict[str, str]:
        return {self.headers[i]: name for name, i in self.columns.items()}

    def match(self, cols: tuple[Col, ...]) -> None:
        """Find each column by its header (first match not yet taken)."""
        norm = [normalise_header(h) for h in self.headers]
        taken = set(self.columns.values())
        for col in cols:
            accepted = col.accepts()
            for i, n in enumerate(norm):
                if n and n in accepted and i not in taken:
                    self.columns[col.name] = i
                    taken.add(i)
                    break


def match_structure(sheet: Sheet, levels: tuple[Level, ...]) -> None:
    """Find Struktur's columns: by header ("Kode <Nama>") when every level is found in order;
    else the "Kode …" column groups in order, one per level (a level renamed in one sheet only)."""
    cols = structure_columns(levels)
    sheet.match(cols)
    level_names = {name for lv in levels for name in (lv.code, lv.title, lv.weight)}
    codes = [sheet.columns.get(lv.code) for lv in levels]
    by_name = all(c is not None for c in codes) and codes == sorted(codes)
    by_name = by_name and all(lv.title in sheet.columns and lv.weight in sheet.columns for lv in levels)
    if by_name:
        return
    norm = [normalise_header(h) for h in sheet.headers]
    starts = [i for i, n in enumerate(norm) if n == "kode" or n.startswith("kode_")]
    if len(starts) != len(levels):
        return  # not one group per level: the missing columns are reported by their headers
    # The other columns found by their headers (Berlaku untuk, Nama singkat Area...) are no level's.
    others = {i for name, i in sheet.columns.items() if name not in level_names}
    for level, start, end in zip(levels, starts, [*starts[1:], len(norm)], strict=True):
        group = [i for i in range(start + 1, end) if i not in others]
        sheet.columns[level.code] = start
        for name, prefix in ((level.title, "nama"), (level.weight, "bobot")):
            found = [i for i in group if norm[i] == prefix or norm[i].startswith(prefix + "_")]
            if found:
                sheet.columns[name] = found[0]
            else:
                sheet.columns.pop(name, None)


def match_documents(sheet: Sheet, levels: tuple[Level, ...] | None, bottom_name: str) -> tuple[Col, ...]:
    """Find Dokumen's columns (its lowest-level code column by its other name when renamed); its columns."""
    cols = document_columns((*(levels or ())[:-1], Level(BOTTOM, bottom_name)))
    sheet.match(cols)
    if "subindicator_code" not in sheet.columns:
        # The lowest level renamed in Tingkat only: the one other "Kode …" column.
        norm = [normalise_header(h) for h in sheet.headers]
        taken = set(sheet.columns.values())
        others = [i for i, n in enumerate(norm) if n.startswith("kode") and i not in taken]
        if len(others) == 1:
            sheet.columns["subindicator_code"] = others[0]
    return cols


def check_levels(
    items: list[tuple[int | None, str, str]], file: str, problems: Problems, columns: tuple[str, str]
) -> bool:
    """The rules of ``[[level]]`` in ``framework.toml`` for ``(row, key, name)`` items, plus
    distinct names (they become Struktur's headers). Whether they hold."""
    key_col, name_col = columns
    before = len(problems)
    seen_keys: dict[str, int | None] = {}
    seen_names: dict[str, int | None] = {}
    for row, key, name in items:
        if not LEVEL_KEY.fullmatch(key):
            problems.add(
                file,
                "kunci tingkat tidak sah",
                row=row,
                column=key_col,
                value=key,
                expected="huruf kecil dan angka tanpa spasi, diawali huruf, paling panjang 20, mis. sasaran",
            )
        elif key in seen_keys:
            at = f" (sudah ada di baris {seen_keys[key]})" if seen_keys[key] else ""
            problems.add(
                file, f"kunci tingkat ganda{at}", row=row, column=key_col, value=key, expected="setiap kunci sekali"
            )
        seen_keys.setdefault(key, row)
        folded = normalise_header(name)
        if folded in seen_names:
            at = f" (sudah ada di baris {seen_names[folded]})" if seen_names[folded] else ""
            problems.add(
                file,
                f"nama tingkat ganda{at}",
                row=row,
                column=name_col,
                value=name,
                expected=f"nama lain untuk setiap tingkat (nama menjadi judul kolom di sheet {STRUCTURE_SHEET})",
            )
        seen_names.setdefault(folded, row)
    if len(items) < 2:
        problems.add(
            file,
            f"terlalu sedikit tingkat ({len(items)})",
            column=key_col,
            expected=f"minimal dua tingkat: {TOP} di baris pertama dan {BOTTOM} di baris terakhir",
        )
    elif len(items) > MAX_LEVELS:
        problems.add(
            file,
            f"terlalu banyak tingkat ({len(items)})",
            row=items[MAX_LEVELS][0],
            column=key_col,
            expected=f"paling banyak {MAX_LEVELS}",
        )
    if items and items[0][1] != TOP:
        problems.add(
            file,
            f"tingkat pertama (teratas) harus berkunci {TOP}",
            row=items[0][0],
            column=key_col,
            value=items[0][1],
            expected=f"kunci {TOP} (namanya boleh apa saja)",
        )
    if len(items) >= 2 and items[-1][1] != BOTTOM:
        problems.add(
            file,
            f"tingkat terakhir (tempat dokumen bukti) harus berkunci {BOTTOM}",
            row=items[-1][0],
            column=key_col,
            value=items[-1][1],
            expected=f"kunci {BOTTOM} (namanya boleh apa saja, mis. Indikator)",
        )
    return len(problems) == before
