"""Reading and importing the framework workbook (mcp_lib.framework.workbook.reader): lossless export/import,
a filled template, every rule of framework.csv reported with sheet, row and column, lenient
reading, and the folder never lost or half written.

Struktur of the four-level fixture (tests/fixtures/four), as exported::

    A Kode Area  B Nama Area  C Bobot Area  D Kode Sasaran  E Nama Sasaran  F Bobot Sasaran (blank)
    G Kode Indikator  H Nama Indikator  I Bobot Indikator  J Kode Sub-indikator  K Nama Sub-indikator
    L Bobot Sub-indikator  M Berlaku untuk  N OPD pengampu
    row 2 A.1.1.1 (70), 3 A.1.1.2 (30), 4 A.2.1.1, 5 A.2.2.1, 6 B.1.1.1, 7 B.2.1.1, 8 B.2.1.2

Dokumen: A Kode Sub-indikator, B Kode dokumen, C Nama dokumen, D Bagian; row 2 A.1.1.1.D1 (60),
3 A.1.1.1.D2 (40), 4 A.1.1.2.D1 (100), ...
Kerangka: B2 Tahun, B3 Label, B4 Batas unggah, B5 Tanggal final, B6 Tingkat tabel rinci.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import FIXTURES, METHODS, needs_lo, uno_python
from openpyxl import load_workbook

from mcp_lib.config import BUNDLED_FRAMEWORKS_DIR
from mcp_lib.errors import InputError
from mcp_lib.framework.folder import load_framework, write_framework
from mcp_lib.framework.methods import METHOD_NAMES
from mcp_lib.framework.model import Level
from mcp_lib.framework.workbook import reader as fwi
from mcp_lib.framework.workbook.reader import import_framework_workbook, read_framework_workbook
from mcp_lib.framework.workbook.template import export_framework, write_template

FOUR = FIXTURES / "four"
FILES = ("framework.csv", "evidence.csv", "bands.csv", "framework.toml")

CASES = [
    pytest.param(2023, None, id="2023"),
    pytest.param(2024, None, id="2024"),
    pytest.param(2025, FOUR, id="four-levels"),
    pytest.param(
        2025,
        None,
        id="2025-bundled",
        marks=pytest.mark.skipif(not (BUNDLED_FRAMEWORKS_DIR / "mcp-2025").is_dir(), reason="no bundled 2025"),
    ),
    pytest.param(2026, None, id="2026-bundled-methods-windows"),
    pytest.param(2026, METHODS, id="methods-fixture"),
]


def assert_same(got, want) -> None:
    pd.testing.assert_frame_equal(got.subindicators, want.subindicators)
    pd.testing.assert_frame_equal(got.documents, want.documents)
    assert got.levels == want.levels
    assert got.detail_level == want.detail_level
    assert got.blank_weights == want.blank_weights
    assert got.bands == want.bands
    assert (got.year, got.label, got.upload_close, got.final_date) == (
        want.year,
        want.label,
        want.upload_close,
        want.final_date,
    )


def edit(path: Path, sheet: str, cells: dict[str, object]) -> Path:
    """Change cells of one sheet of a workbook, as an analyst would in Excel."""
    wb = load_workbook(path)
    ws = wb[sheet]
    for ref, value in cells.items():
        ws[ref] = value
    wb.save(path)
    return path


def problems_of(path: Path, year: int | None = None) -> str:
    with pytest.raises(InputError) as exc:
        read_framework_workbook(path, year)
    return str(exc.value)


@pytest.fixture
def book(tmp_path) -> Path:
    """The workbook of the four-level fixture framework."""
    return export_framework(load_framework(2025, FOUR), tmp_path / "kerangka.xlsx")


@pytest.fixture
def undated_book(tmp_path) -> Path:
    """The same workbook without its 2025 calendar, to import as another year (a calendar of
    another year is refused: test_the_calendar_of_another_year_is_refused)."""
    fw = dataclasses.replace(load_framework(2025, FOUR), upload_close=None, final_date=None)
    return export_framework(fw, tmp_path / "kerangka.xlsx")


# --- lossless --------------------------------------------------------------------------------------


def with_deadlines(tmp_path: Path) -> Path:
    """The methods fixture (tests/fixtures/methods) with a deadline and its late share on A.1 and
    the areas' short names, as a framework folder."""
    import shutil

    folder = Path(shutil.copytree(METHODS / "frameworks" / "mcp-2026", tmp_path / "in" / "mcp-2026"))
    table = (folder / "framework.csv").read_text(encoding="utf-8").splitlines()
    tails = (",deadline,late_share,area_short", ",2026-03-31,0.25,PRC", ",,,PRC", ",,,PAD", ",,,PAD")
    (folder / "framework.csv").write_text("\n".join(a + b for a, b in zip(table, tails, strict=True)) + "\n")
    return folder


@pytest.mark.parametrize(("year", "data_dir"), CASES)
def test_export_then_read_and_import_give_the_same_framework(tmp_path, year, data_dir):
    round_trip(tmp_path, load_framework(year, data_dir), year)


def test_methods_windows_deadlines_and_short_names_round_trip(tmp_path):
    original = load_framework(with_deadlines(tmp_path))
    assert original.subindicators["deadline"].tolist()[:2] == [dt.date(2026, 3, 31), None]
    imported = round_trip(tmp_path, original, 2026)
    columns = ["method", "deadline", "late_share", "area_short"]
    assert imported.subindicators[columns].iloc[0].tolist() == ["BINER_0_100", dt.date(2026, 3, 31), 0.25, "PRC"]
    assert imported.documents["window"].tolist()[6:] == ["TA 2024"] * 2 + ["TA 2025"] * 2 + ["TA 2026 semester 1"]
    assert imported.methods == original.methods
    header = (tmp_path / "data" / "frameworks" / "mcp-2026" / "framework.csv").read_text().splitlines()[0]
    assert header.endswith(",method,deadline,late_share,area_short")


def round_trip(tmp_path: Path, original, year: int):
    """Export ``original``, import the workbook: the same framework, and the same files as the
    framework folder writes (scoring columns only when filled). Returns the imported one."""
    path = export_framework(original, tmp_path / "kerangka.xlsx")
    folder, imported = import_framework_workbook(path, year, tmp_path / "data")
    assert_same(imported, original)  # read_framework_workbook, as the import reads it
    assert folder == tmp_path / "data" / "frameworks" / f"mcp-{year}"
    assert imported.path == folder
    write_framework(original, tmp_path / "direct")
    for name in FILES:
        assert (folder / name).read_bytes() == (tmp_path / "direct" / name).read_bytes(), name
    assert sorted(p.name for p in folder.iterdir()) == sorted([*FILES, "README.md"])
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "Diimpor dari buku kerja `kerangka.xlsx`" in readme
    # The parent holds the folder only: no temporary folder left behind.
    assert [p.name for p in folder.parent.iterdir()] == [f"mcp-{year}"]
    return imported


def test_formula_like_text_and_codes_stay_text(tmp_path):
    fw = load_framework(2025, FOUR)
    docs = fw.documents.copy()
    docs.loc[0, "doc_name"] = '=HYPERLINK("http://x","klik")'
    subs = fw.subindicators.copy()
    subs.loc[0, "default_opd"] = "-Bappeda"
    docs.loc[docs["subindicator_code"] == subs.loc[0, "subindicator_code"], "default_opd"] = "-Bappeda"
    fw = dataclasses.replace(fw, documents=docs, subindicators=subs)
    path = export_framework(fw, tmp_path / "k.xlsx")
    cell = load_workbook(path)["Dokumen"]["C2"]
    assert cell.data_type == "s"  # never a formula in Excel
    assert load_workbook(path)["Struktur"]["J2"].number_format == "@"
    assert_same(read_framework_workbook(path), fw)


# --- a filled template -----------------------------------------------------------------------------


def test_filled_template_imports(tmp_path):
    path = write_template(tmp_path / "t.xlsx", year=2026)
    wb = load_workbook(path)
    meta = wb["Kerangka"]
    meta["B3"], meta["B4"], meta["B5"] = (
        "MCP 2026 (uji)",
        dt.datetime(2026, 11, 30),
        dt.datetime(2026, 12, 15),
    )
    rows = [
        # area (blank: equal) / sasaran (given) / indikator (blank) / sub (given)
        [
            "A1",
            "Perencanaan",
            None,
            "A1.1",
            "Sasaran satu",
            70,
            "A1.1.1",
            "Ind satu",
            None,
            "1.10",
            "Sub satu",
            100,
            "semua",
            "Bappeda",
        ],
        [
            "A1",
            "Perencanaan",
            None,
            "A1.2",
            "Sasaran dua",
            30,
            "A1.2.1",
            "Ind dua",
            None,
            "1.20",
            "Sub dua",
            100,
            "Kabupaten; Kota",
            None,
        ],
        [
            "A2",
            "Pengadaan",
            None,
            "A2.1",
            "Sasaran tiga",
            None,
            "A2.1.1",
            "Ind tiga",
            None,
            "2.1",
            "Sub tiga",
            None,
            None,
            "UKPBJ",
        ],
        [
            "A2",
            "Pengadaan",
            None,
            "A2.1",
            "Sasaran tiga",
            None,
            "A2.1.1",
            "Ind tiga",
            None,
            "2.2",
            "Sub empat",
            None,
            "semua",
            "UKPBJ;BPKAD",
        ],
    ]
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            wb["Struktur"].cell(row=r, column=c, value=value)
    docs = [
        ("1.10", "D1", "Dok satu", 60),
        ("1.10", "D2", "Dok dua", 40),
        ("1.20", "D3", "Dok tiga", 100),
        ("2.1", "D4", "Dok empat", 100),
        ("2.2", "D5", "Dok lima", 100),
    ]
    for r, values in enumerate(docs, start=2):
        for c, value in enumerate(values, start=1):
            wb["Dokumen"].cell(row=r, column=c, value=value)
    wb["Predikat"].delete_rows(2, wb["Predikat"].max_row)  # this year's bands replace the suggested ones
    for r, values in enumerate([("rentan", 0, "#d7301f"), ("terjaga", 78, None)], start=2):
        for c, value in enumerate(values, start=1):
            wb["Predikat"].cell(row=r, column=c, value=value)
    wb.save(path)

    _folder, fw = import_framework_workbook(path, 2026, tmp_path / "data")
    assert fw.year == 2026 and fw.label == "MCP 2026 (uji)"
    assert (fw.upload_close, fw.final_date) == (dt.date(2026, 11, 30), dt.date(2026, 12, 15))
    assert [lv.key for lv in fw.levels] == ["area", "sasaran", "indicator", "subindicator"]
    assert fw.detail.key == "indicator" and fw.detail_level == ""
    assert fw.documents["point_weight"].mul(fw.documents["points"]).sum() == pytest.approx(100)
    assert fw.documents["doc_code"].tolist() == ["D1", "D2", "D3", "D4", "D5"]
    assert fw.subindicators["subindicator_code"].tolist()[:2] == ["1.10", "1.20"]  # text, not 1.1
    assert fw.subindicators["applies_to"].tolist() == [
        ("semua",),
        ("kabupaten", "kota"),
        ("semua",),
        ("semua",),
    ]
    assert ("area", "A1") in fw.blank_weights and ("sasaran", "A1.1") not in fw.blank_weights
    assert fw.bands.items[1].colour == "#777777"
    # A.1 = 50% area x 70% sasaran: its document points are worth .35 each.
    assert fw.documents.set_index("doc_code").loc["D3", "point_weight"] == pytest.approx(0.5 * 0.3)
    assert load_framework(2026, tmp_path / "data").summary() == fw.summary()


LO_FILL = FIXTURES / "lo" / "fill_cells.py"


def cells(rows: list[tuple]) -> dict[str, object]:
    """Rows typed from row 2 and column A on (``None``: left empty), as ``{cell: value}``."""
    return {
        f"{chr(ord('A') + c)}{r}": v for r, row in enumerate(rows, start=2) for c, v in enumerate(row) if v is not None
    }


DEADLINE = {"date": "2026-03-31"}  # typed as a date
PLANNING, PBJ = ("A1", "Perencanaan dan Penganggaran APBD", None), ("A2", "Pengadaan Barang dan Jasa", None)
TYPED_2026 = {
    # Struktur of a two-level template: A Kode Area, B Nama Area, C Bobot Area, D Kode Indikator,
    # E Nama Indikator, F Bobot Indikator, G Berlaku untuk, H OPD pengampu, I Metode penilaian,
    # J Tenggat, K Bagian nilai bila terlambat, L Nama singkat Area.
    "Struktur": cells(
        [
            (*PLANNING, "A1.1", "Pokir DPRD", None, "semua", "Bappeda", "BINER_0_100", DEADLINE, 0.5, "PPA"),
            (*PLANNING, "A1.2", "Hibah dan bansos", None, None, "BPKAD", "bobot_tahun periode=2", None, None, "PPA"),
            (*PBJ, "A2.1", "RUP", None, "kabupaten;kota", "UKPBJ", "AMBANG_REALISASI target=80", None, None, "PBJ"),
        ]
    ),
    "Dokumen": cells(
        [
            ("A1.1", "D1", "Pokir TA 2025", 100, "TA 2025"),
            ("A1.2", "D2", "Hibah TA 2024", 50, "TA 2024"),
            ("A1.2", "D3", "Hibah TA 2025", 50, "TA 2025"),
            ("A2.1", "D4", "Rencana umum pengadaan", 100),
        ]
    ),
}
"""A 2026-shaped framework as an analyst types it in LibreOffice: methods (one from the dropdown,
two with a parameter, one in lower case), a deadline with its late share, short area names and
data windows."""


@pytest.mark.slow
@needs_lo
def test_a_template_filled_in_libreoffice_imports_methods_deadlines_and_windows(tmp_path):
    """The template opens in LibreOffice, the method column's dropdown lists the methods (a name
    with its parameter is kept after a warning: LibreOffice marks it, the import reads it), and
    the typed framework imports with its methods, deadline, late share, short names and windows."""
    import json
    import subprocess

    path = write_template(tmp_path / "kerangka-2026.xlsx", (Level("area", "Area"), Level("subindicator", "Indikator")))
    edit(path, "Kerangka", {"B2": 2026})
    cells = tmp_path / "cells.json"
    cells.write_text(json.dumps(TYPED_2026), encoding="utf-8")
    done = subprocess.run(
        [uno_python(), str(LO_FILL), str(path), "2311", str(cells)], capture_output=True, text=True, timeout=240
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])["Struktur"]
    assert seen["validation"]["I"] == ["LIST", "$Daftar.$B$2:$B$15", True, "WARNING"]
    assert seen["validation"]["J"][0] == "DATE" and seen["validation"]["K"][:2] == ["DECIMAL", "0"]
    assert [r[1] for r in load_workbook(path)["Daftar"].iter_rows(min_row=2, values_only=True) if r[1]] == list(
        METHOD_NAMES
    )
    assert seen["invalid"] == ["I3", "I4"]  # names with a parameter: warned about, kept
    fw = read_framework_workbook(path)
    subs = fw.subindicators.set_index("subindicator_code")
    assert subs["method"].to_dict() == {
        "A1.1": "BINER_0_100",
        "A1.2": "BOBOT_TAHUN periode=2",
        "A2.1": "AMBANG_REALISASI target=80",
    }
    assert subs.loc["A1.1", ["deadline", "late_share"]].tolist() == [dt.date(2026, 3, 31), 0.5]
    assert subs["area_short"].tolist() == ["PPA", "PPA", "PBJ"]
    assert fw.documents["window"].tolist() == ["TA 2025", "TA 2024", "TA 2025", ""]
    assert fw.subindicators["applies_to"].tolist()[2] == ("kabupaten", "kota")


# --- problems named by sheet, row and column -------------------------------------------------------


MISTAKES: dict[str, dict[str, object]] = {
    "Struktur": {
        "L2": 60,  # A.1.1.1 70 -> 60: the sub-indicators of A.1.1 sum to 90
        "F2": 50,  # sasaran A.1 given, A.2 blank: mixed
        "C2": "enam puluh",
        "H3": "Indikator lain",  # A.1.1 named two ways
        "M7": "kabupaten;desa",
        "J8": "B.2.1.1",  # B.2.1.2 -> a second B.2.1.1
    },
    "Dokumen": {
        "D3": 50,  # A.1.1.1: 60 + 50
        "B3": "A.1.1.1.D1",
        "A4": "Z.9",  # A.1.1.2's only document moved under an unknown code
    },
    "Kerangka": {"B4": "31/02/2025", "B6": "Kecamatan", "A7": "Catatan", "B7": "x"},
    "Predikat": {"B2": 5},
}
"""Independent mistakes typed into one workbook (read once): each must be reported at its cell."""


def typed_wrong(folder: Path, mistakes: dict[str, dict[str, object]], tmp_path_factory) -> str:
    """The problems of the workbook of the 2025/2026 framework under ``folder`` with ``mistakes`` typed in."""
    year = 2025 if folder == FOUR else 2026
    path = export_framework(load_framework(year, folder), tmp_path_factory.mktemp("bad") / "kerangka.xlsx")
    for sheet, cells in mistakes.items():
        edit(path, sheet, cells)
    return problems_of(path)


@pytest.fixture(scope="module")
def many_problems(tmp_path_factory) -> str:
    return typed_wrong(FOUR, MISTAKES, tmp_path_factory)


@pytest.mark.parametrize(
    "expected",
    [
        pytest.param(
            ["sheet Struktur, baris 2, kolom 'L (Bobot Sub-indikator)': jumlah bobot sub-indikator dalam A.1.1 = 90"],
            id="weights-not-100",
        ),
        pytest.param(
            ["sheet Struktur, baris 4, kolom 'F (Bobot Sasaran)': bobot sasaran A.2 kosong"], id="weights-mixed-blank"
        ),
        pytest.param(
            ["sheet Struktur, baris 2, kolom 'C (Bobot Area)': bukan angka (isi: 'enam puluh')"],
            id="weight-not-a-number",
        ),
        pytest.param(
            ["sheet Struktur, baris 3, kolom 'H (Nama Indikator)': Nama Indikator untuk A.1.1 berbeda"],
            id="inconsistent-parent",
        ),
        pytest.param(
            ["sheet Struktur, baris 7, kolom 'M (Berlaku untuk)': jenis pemda tidak dikenal"], id="unknown-kind"
        ),
        pytest.param(
            ["sheet Struktur, baris 8, kolom 'J (Kode Sub-indikator)': kode sub-indikator ganda"],
            id="duplicate-subindicator",
        ),
        pytest.param(
            ["sheet Dokumen, baris 2, kolom 'D (Bagian)': jumlah bagian dokumen sub-indikator A.1.1.1 = 110"],
            id="points-not-100",
        ),
        pytest.param(
            ["sheet Dokumen, baris 3, kolom 'B (Kode dokumen)': kode dokumen ganda (sudah ada di baris 2)"],
            id="duplicate-document",
        ),
        pytest.param(
            [
                "sheet Dokumen, baris 4, kolom 'A (Kode Sub-indikator)': kode sub-indikator tidak ada di "
                "framework (isi: 'Z.9'); seharusnya kode dari kolom Kode Sub-indikator di kerangka.xlsx, "
                "sheet Struktur",
                "sheet Struktur, baris 3, kolom 'J (Kode Sub-indikator)': sub-indikator A.1.1.2 tidak punya "
                "dokumen bukti",
            ],
            id="orphan-document",
        ),
        pytest.param(["sheet Kerangka, baris 4, kolom 'B (Nilai)': tanggal tidak dapat dibaca"], id="bad-date"),
        pytest.param(
            ["sheet Kerangka, baris 6, kolom 'B (Nilai)': tingkat tabel rinci tidak dikenal"], id="bad-detail-level"
        ),
        pytest.param(
            ["sheet Kerangka, baris 7, kolom 'A (Pengaturan)': pengaturan tidak dikenal"], id="unknown-setting"
        ),
        pytest.param(
            ["sheet Predikat, kolom 'B (Batas bawah)': tidak ada predikat yang dimulai dari 0"], id="no-band-from-zero"
        ),
    ],
)
def test_each_problem_names_sheet_row_and_column(many_problems, expected):
    for part in expected:
        assert f"kerangka.xlsx, {part}" in many_problems


def test_problems_speak_of_headers_not_schema_names(many_problems):
    assert "Traceback" not in many_problems
    for name in ("area_weight", "subindicator_code", "doc_code", "applies_to", "lower_bound", "points"):
        assert name not in many_problems


SCORING_MISTAKES: dict[str, dict[str, object]] = {
    "Struktur": {
        "I3": "BERTINGKAT_0_90_100",  # A.2: no such method
        "J2": dt.datetime(2026, 3, 31),  # A.1: a deadline without its late share
        "K4": 0.5,  # B.1: a late share without a deadline
        "L2": "PRC",
        "L3": "PRX",  # area A named two ways
        "J5": "31 Maret",
        "K5": 0.5,  # B.2: a deadline that is not a date
    },
    "Dokumen": {"E10": "TA 2024", "E11": "TA 2024"},  # B.1, BOBOT_TAHUN periode=2: one window left
}
"""Mistakes in the scoring columns of the methods fixture's workbook (read once). Struktur: A Kode
Area .. F Bobot Indikator, G Berlaku untuk, H OPD pengampu, I Metode penilaian, J Tenggat, K Bagian
nilai bila terlambat, L Nama singkat Area; rows 2 A.1, 3 A.2, 4 B.1, 5 B.2. Dokumen: E Jendela
data; B.1's documents in rows 8 to 11."""


@pytest.fixture(scope="module")
def scoring_problems(tmp_path_factory) -> str:
    return typed_wrong(METHODS, SCORING_MISTAKES, tmp_path_factory)


@pytest.mark.parametrize(
    "expected",
    [
        pytest.param(
            "sheet Struktur, baris 3, kolom 'I (Metode penilaian)': metode penilaian 'BERTINGKAT_0_90_100' tidak "
            "dikenal (isi: 'BERTINGKAT_0_90_100'); seharusnya salah satu: BOBOT_DOKUMEN, ",
            id="unknown-method",
        ),
        pytest.param(
            "sheet Struktur, baris 2, kolom 'K (Bagian nilai bila terlambat)': tenggat tanpa bagian nilai",
            id="deadline-without-share",
        ),
        pytest.param(
            "sheet Struktur, baris 4, kolom 'J (Tenggat)': bagian nilai bila terlambat tanpa tenggat (isi: '0.5'); "
            "seharusnya tanggal tenggat di kolom Tenggat, atau kosongkan Bagian nilai bila terlambat",
            id="share-without-deadline",
        ),
        pytest.param(
            "sheet Struktur, baris 3, kolom 'L (Nama singkat Area)': Nama singkat Area untuk A berbeda dengan "
            "baris sebelumnya (isi: 'PRX'); seharusnya PRC",
            id="short-name-differs",
        ),
        pytest.param(
            "sheet Struktur, baris 5, kolom 'J (Tenggat)': tanggal tidak dapat dibaca (isi: '31 Maret')",
            id="deadline-not-a-date",
        ),
        pytest.param(
            "sheet Dokumen, baris 8, kolom 'E (Jendela data)': indikator B.1 dinilai BOBOT_TAHUN periode=2, "
            "tetapi dokumennya hanya mencakup 1 jendela data (window); seharusnya kolom Jendela data berisi 2",
            id="fewer-windows-than-periods",
        ),
    ],
)
def test_each_scoring_problem_names_sheet_row_and_column(scoring_problems, expected):
    assert f"kerangka.xlsx, {expected}" in scoring_problems


def test_scoring_problems_speak_of_headers(scoring_problems):
    for name in ("late_share", "area_short", "kolom deadline", "kolom window", "kolom method"):
        assert name not in scoring_problems


def test_a_workbook_without_the_scoring_columns_still_reads(tmp_path):
    """A workbook typed in a template from before the scoring columns: read as before (every item
    scored by document points); Jendela data alone can be added back."""
    original = load_framework(2025, FOUR)
    path = export_framework(original, tmp_path / "lama.xlsx")
    wb = load_workbook(path)
    wb["Struktur"].delete_cols(15, 4)  # O..R, after N OPD pengampu
    wb["Dokumen"].delete_cols(5)
    wb.save(path)
    assert_same(read_framework_workbook(path), original)
    edit(path, "Dokumen", {"E1": "Periode data", "E2": "TA 2025"})
    assert read_framework_workbook(path).documents["window"].tolist()[:2] == ["TA 2025", ""]


def test_level_sheet_problems_and_the_other_sheets_still_checked(book):
    edit(book, "Tingkat", {"A3": "sasaran 1", "B4": "Sasaran", "A5": "indikator"})
    edit(book, "Dokumen", {"D3": 50})
    text = problems_of(book)
    for part in (
        "sheet Tingkat, baris 3, kolom 'A (Kunci)': kunci tingkat tidak sah (isi: 'sasaran 1')",
        "sheet Tingkat, baris 4, kolom 'B (Nama)': nama tingkat ganda (sudah ada di baris 3)",
        "sheet Tingkat, baris 5, kolom 'A (Kunci)': tingkat terakhir (tempat dokumen bukti) harus berkunci "
        "subindicator",
        "sheet Dokumen, baris 2, kolom 'D (Bagian)'",
    ):
        assert f"kerangka.xlsx, {part}" in text


def test_a_missing_sheet_or_column_is_named(book):
    edit(book, "Dokumen", {"D1": "Nilai"})
    edit(book, "Struktur", {"F1": None})
    wb = load_workbook(book)
    del wb["Predikat"]
    wb.save(book)
    text = problems_of(book)
    assert "kerangka.xlsx, sheet Predikat: sheet tidak ada" in text
    assert "kerangka.xlsx, sheet Dokumen, baris 1, kolom 'Bagian': kolom wajib tidak ada" in text
    assert "kerangka.xlsx, sheet Struktur, baris 1, kolom 'Bobot Sasaran': kolom wajib tidak ada" in text


@pytest.mark.parametrize("content", [None, b"bukan excel", b"PK\x03\x04 rusak"])
def test_not_a_workbook_is_an_input_error(tmp_path, content):
    path = tmp_path / "kerangka.xlsx"
    if content is not None:
        path.write_bytes(content)
    text = problems_of(path)
    assert "kerangka.xlsx" in text
    csv = tmp_path / "kerangka.csv"
    csv.write_text("a,b\n", encoding="utf-8")
    assert "harus berkas Excel" in problems_of(csv)


def test_empty_data_sheets_and_no_year(tmp_path):
    text = problems_of(write_template(tmp_path / "t.xlsx"))
    assert "sheet Struktur: sheet tidak berisi baris data" in text
    assert "sheet Kerangka, baris 2, kolom 'B (Nilai)': tahun kerangka kosong" in text


# --- lenient reading -------------------------------------------------------------------------------


def test_year_argument_overrides_the_sheet(undated_book):
    assert read_framework_workbook(undated_book, 2030).year == 2030
    edit(undated_book, "Kerangka", {"B2": None})
    assert read_framework_workbook(undated_book, 2030).label == "Uji empat tingkat"
    assert "tahun kerangka tidak sah" in problems_of(undated_book, 1900)


def test_renamed_level_and_loose_headers_still_read(book):
    original = load_framework(2025, FOUR)
    edit(book, "Tingkat", {"B5": "Indikator kinerja"})  # Struktur still says "Sub-indikator"
    edit(book, "Struktur", {"A1": "  kode   AREA ", "C1": "Bobot Area (%)", "D1": "Kode Tujuan"})
    fw = read_framework_workbook(book)
    assert fw.levels[-1] == Level("subindicator", "Indikator kinerja")
    pd.testing.assert_frame_equal(fw.documents, original.documents)
    # Problems then name the columns as the sheet heads them.
    edit(book, "Struktur", {"C2": "x"})
    assert "kolom 'C (Bobot Area (%))'" in problems_of(book)


def test_dates_detail_and_settings_as_typed(book):
    edit(book, "Kerangka", {"B4": "30 November 2025", "B5": 46006, "B6": "sasaran"})  # 46006 = 15/12/2025
    fw = read_framework_workbook(book)
    assert (fw.upload_close, fw.final_date) == (dt.date(2025, 11, 30), dt.date(2025, 12, 15))
    assert fw.detail.key == "sasaran"
    edit(book, "Kerangka", {"B6": None, "B3": None})
    fw = read_framework_workbook(book)
    assert fw.detail.key == "indicator" and fw.label == "MCP 2025"
    edit(book, "Kerangka", {"B5": dt.datetime(2025, 1, 1)})
    assert "sheet Kerangka, baris 5, kolom 'B (Nilai)': tanggal final sebelum batas unggah" in problems_of(book)


# --- never overwrite, never half written -----------------------------------------------------------


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_import_keeps_an_existing_folder(undated_book, tmp_path, monkeypatch):
    data = tmp_path / "data"
    folder, _ = import_framework_workbook(undated_book, 2031, data)
    first = _snapshot(folder)
    with pytest.raises(InputError, match="--force") as exc:
        import_framework_workbook(undated_book, 2031, data)
    assert "sudah ada" in str(exc.value)
    assert _snapshot(folder) == first

    edit(undated_book, "Kerangka", {"B3": "Label kedua"})
    import_framework_workbook(undated_book, 2031, data, force=True)
    (bak,) = (data / "frameworks").glob("mcp-2031.bak-*")  # mcp-2031.bak-<timestamp> (files.keep_backup)
    assert _snapshot(bak) == first
    assert 'label = "Label kedua"' in (folder / "framework.toml").read_text(encoding="utf-8")
    second = _snapshot(folder)

    edit(undated_book, "Kerangka", {"B3": "Label ketiga"})
    import_framework_workbook(undated_book, 2031, data, force=True)
    assert _snapshot(bak) == first
    names = sorted(p.name for p in (data / "frameworks").iterdir())  # by name is by time
    assert len(names) == 3 and names[:2] == ["mcp-2031", bak.name]
    assert re.fullmatch(r"mcp-2031\.bak-[0-9]{8}-[0-9]{6}(-[0-9]+)?", names[2])
    assert _snapshot(data / "frameworks" / names[2]) == second
    assert load_framework(2031, data).label == "Label ketiga"

    # A backup is never taken for the year: without mcp-2031 the year is not found.
    (data / "frameworks" / "mcp-2031").rename(data / "frameworks" / "elsewhere")
    with pytest.raises(InputError, match="2031 tidak ditemukan") as exc:
        load_framework(2031, data)
    assert ".bak" not in str(exc.value)  # backups are not offered as years


def test_a_dangling_symlink_in_the_way_is_kept_with_force(undated_book, tmp_path):
    base = tmp_path / "data" / "frameworks"
    base.mkdir(parents=True)
    (base / "mcp-2031").symlink_to(tmp_path / "hilang", target_is_directory=True)
    with pytest.raises(InputError, match="sudah ada"):
        import_framework_workbook(undated_book, 2031, tmp_path / "data")
    folder, _ = import_framework_workbook(undated_book, 2031, tmp_path / "data", force=True)
    assert folder.is_dir() and not folder.is_symlink()
    (kept,) = base.glob("mcp-2031.bak-*")
    assert kept.is_symlink()


def test_a_failed_write_leaves_the_old_folder(undated_book, tmp_path, monkeypatch):
    data = tmp_path / "data"
    folder, _ = import_framework_workbook(undated_book, 2031, data)
    before = _snapshot(folder)

    def broken(framework, target):
        (target / "framework.csv").write_text("setengah", encoding="utf-8")
        raise OSError("disk penuh")

    monkeypatch.setattr(fwi, "write_framework", broken)
    with pytest.raises(OSError):
        import_framework_workbook(undated_book, 2031, data, force=True)
    assert _snapshot(folder) == before
    assert [p.name for p in (data / "frameworks").iterdir()] == ["mcp-2031"]


def test_workbook_problems_and_existing_folder_reported_together(undated_book, tmp_path):
    data = tmp_path / "data"
    import_framework_workbook(undated_book, 2031, data)
    edit(undated_book, "Dokumen", {"D3": 50})
    with pytest.raises(InputError) as exc:
        import_framework_workbook(undated_book, 2031, data)
    text = str(exc.value)
    assert "'D (Bagian)'" in text and "sudah ada" in text


def test_the_calendar_of_another_year_is_refused(book):
    """Last year's workbook imported as next year's (the README's way to type a new framework)
    keeps last year's Batas unggah and Tanggal final: refused, naming the rows, instead of every
    pemda planning to an upload close a year gone."""
    with pytest.raises(InputError) as exc:
        read_framework_workbook(book, 2026)
    said = str(exc.value)
    assert "sheet Kerangka, baris 4" in said and "masa penilaian kerangka 2026" in said and "30/11/2025" in said
