"""Writing the framework workbook (mcp_lib.framework.workbook.template): the empty template and its levels,
the Petunjuk sheet and its example, an export never overwriting without --force, the command."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from conftest import FIXTURES
from openpyxl import load_workbook

from mcp_lib.errors import InputError
from mcp_lib.framework.folder import load_framework
from mcp_lib.framework.methods import METHOD_NAMES
from mcp_lib.framework.model import DEFAULT_LEVELS, Level
from mcp_lib.framework.workbook import template as fwt
from mcp_lib.framework.workbook.layout import structure_columns
from mcp_lib.framework.workbook.reader import read_framework_workbook
from mcp_lib.framework.workbook.template import export_framework, write_template

FOUR = FIXTURES / "four"


@pytest.fixture
def book(tmp_path) -> Path:
    """The workbook of the four-level fixture framework."""
    return export_framework(load_framework(2025, FOUR), tmp_path / "kerangka.xlsx")


def test_export_of_a_reconstruction_warns_on_petunjuk(tmp_path):
    path = export_framework(load_framework(2023), tmp_path / "k.xlsx")
    text = " ".join(str(c.value) for c in load_workbook(path)["Petunjuk"]["A"] if c.value)
    assert "REKONSTRUKSI" in text
    path = export_framework(load_framework(2025, FOUR), tmp_path / "k4.xlsx")
    text = " ".join(str(c.value) for c in load_workbook(path)["Petunjuk"]["A"] if c.value)
    assert "REKONSTRUKSI" not in text and "rekonstruksi" in text.lower()  # the general caution stays


# --- the template ----------------------------------------------------------------------------------


def test_template_has_headers_only_and_the_levels(tmp_path):
    path = write_template(tmp_path / "t.xlsx", year=2026)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Petunjuk", "Kerangka", "Tingkat", "Struktur", "Dokumen", "Predikat", "Daftar"]
    assert wb["Daftar"].sheet_state == "hidden"
    assert [c.value for c in wb["Struktur"][1]][:4] == [
        "Kode Area",
        "Nama Area",
        "Bobot Area",
        "Kode Sasaran",
    ]
    # Then Berlaku untuk, OPD pengampu and the scoring columns (test_layout.py).
    assert [c.value for c in wb["Struktur"][1]] == [c.label for c in structure_columns(fwt.TEMPLATE_LEVELS)]
    assert [c.value for c in wb["Dokumen"][1]] == [
        "Kode Sub-indikator",
        "Kode dokumen",
        "Nama dokumen",
        "Bagian",
        "Jendela data",
    ]
    for name in ("Struktur", "Dokumen"):
        assert wb[name].max_row == 1, name
    # Predikat starts from the newest bundled framework's bands (2024's, also in the 2025 one).
    assert [r[:2] for r in wb["Predikat"].iter_rows(min_row=2, values_only=True)] == [
        ("rentan", 0),
        ("waspada", 73),
        ("terjaga", 78),
    ]
    assert [(r[0].value, r[1].value) for r in wb["Tingkat"].iter_rows(min_row=2)] == [
        ("area", "Area"),
        ("sasaran", "Sasaran"),
        ("indicator", "Indikator"),
        ("subindicator", "Sub-indikator"),
    ]
    assert wb["Kerangka"]["B2"].value == 2026
    assert wb["Struktur"].freeze_panes == "A2"
    assert any("Struktur!$J$2" in dv.formula1 for dv in wb["Dokumen"].data_validations.dataValidation)
    three = load_workbook(write_template(tmp_path / "t3.xlsx", DEFAULT_LEVELS))
    assert [c.value for c in three["Struktur"][1]][6] == "Kode Sub-indikator"
    assert three["Tingkat"].max_row == 4


def _validation(ws, column: str):
    """The data validation of a column's cells from row 2."""
    (found,) = [dv for dv in ws.data_validations.dataValidation if str(dv.sqref).startswith(f"{column}2:")]
    return found


def test_template_scoring_columns_have_a_method_dropdown_dates_and_shares(tmp_path):
    """Struktur of a four-level template: M Berlaku untuk, N OPD pengampu, O Metode penilaian,
    P Tenggat, Q Bagian nilai bila terlambat, R Nama singkat Area; Dokumen E Jendela data."""
    wb = load_workbook(write_template(tmp_path / "t.xlsx", year=2026))
    ws = wb["Struktur"]
    assert [ws[f"{c}1"].value for c in "OPQR"] == [
        "Metode penilaian",
        "Tenggat",
        "Bagian nilai bila terlambat",
        "Nama singkat Area",
    ]
    method = _validation(ws, "O")
    assert (method.type, method.formula1, method.errorStyle) == (
        "list",
        f"Daftar!$B$2:$B${len(METHOD_NAMES) + 1}",
        "warning",
    )
    assert "periode=3" in method.error and "target=80" in method.prompt  # a name with its parameter is allowed
    assert [c.value for c in wb["Daftar"]["B"]] == ["metode", *METHOD_NAMES]
    assert [c.value for c in wb["Daftar"]["A"] if c.value][1:] == list(fwt.APPLIES_CHOICES)
    assert _validation(ws, "P").type == "date" and ws.column_dimensions["P"].number_format == "DD/MM/YYYY"
    share = _validation(ws, "Q")
    assert (share.type, share.formula1, share.formula2) == ("decimal", "0", "1")
    assert {ws.column_dimensions[c].number_format for c in "ORM"} == {"@"}
    assert wb["Dokumen"].column_dimensions["E"].number_format == "@"
    text = " ".join(str(c.value) for c in wb["Petunjuk"]["A"] if c.value)
    for said in (
        *METHOD_NAMES[:-3],  # the last three are written _GOL, _SICUKUP, _SPI
        "BOBOT_TAHUN periode=3",
        "AMBANG_REALISASI target=80",
        "tahapan=<n>",
        "(method)",
        "Tenggat (deadline)",
        "(late_share)",
        "Nama singkat Area (area_short)",
        "Jendela data (window",
    ):
        assert said in text, said


def test_export_fills_the_scoring_columns_and_leaves_them_empty_without_them(tmp_path):
    fw = load_framework(2026, FIXTURES / "methods")
    subs = fw.subindicators.copy()
    subs.loc[0, ["deadline", "late_share"]] = [dt.date(2026, 3, 31), 0.5]
    subs["area_short"] = subs["area_code"].map({"A": "PRC", "B": "PAD"})
    ws = load_workbook(export_framework(dataclasses.replace(fw, subindicators=subs), tmp_path / "k.xlsx"))["Struktur"]
    # A Kode Area .. F Bobot Indikator, G Berlaku untuk, H OPD pengampu, I..L the scoring columns.
    assert [[c.value for c in row] for row in ws["I2:L5"]] == [
        ["BINER_0_100", dt.datetime(2026, 3, 31), 0.5, "PRC"],
        ["BERTINGKAT_0_80_100", None, None, "PRC"],
        ["BOBOT_TAHUN periode=2", None, None, "PAD"],
        ["AMBANG_REALISASI target=80", None, None, "PAD"],
    ]
    assert ws["J2"].number_format == "DD/MM/YYYY"
    docs = load_workbook(tmp_path / "k.xlsx")["Dokumen"]
    assert [docs[f"E{r}"].value for r in (2, 8, 12)] == [None, "TA 2024", "TA 2026 semester 1"]
    plain = load_workbook(export_framework(load_framework(2023), tmp_path / "k23.xlsx"))
    ws = plain["Struktur"]
    assert [c.value for c in ws[1]][-4:] == [
        "Metode penilaian",
        "Tenggat",
        "Bagian nilai bila terlambat",
        "Nama singkat Area",
    ]
    assert {c.value for col in ws.iter_cols(min_col=ws.max_column - 3, min_row=2) for c in col} == {None}
    assert {c.value for c in plain["Dokumen"]["E"][1:]} == {None}


def test_template_refuses_levels_without_area_and_subindicator(tmp_path):
    with pytest.raises(InputError, match="area"):
        write_template(tmp_path / "t.xlsx", (Level("atas", "Atas"), Level("subindicator", "Sub")))
    assert not (tmp_path / "t.xlsx").exists()


@pytest.mark.parametrize("levels", [fwt.TEMPLATE_LEVELS, DEFAULT_LEVELS[::2]], ids=["four", "two"])
def test_the_petunjuk_example_is_a_valid_framework(tmp_path, levels):
    path = write_template(tmp_path / "t.xlsx", levels, year=2026)
    structure, documents, bands = fwt._example(levels)
    wb = load_workbook(path)
    for sheet, rows in (("Struktur", structure), ("Dokumen", documents), ("Predikat", bands)):
        for r, values in enumerate(rows, start=2):
            for c, value in enumerate(values, start=1):
                wb[sheet].cell(row=r, column=c, value=value)
    wb.save(path)
    fw = read_framework_workbook(path)
    assert fw.levels == levels
    assert len(fw.documents) == 3
    assert fw.documents["point_weight"].mul(fw.documents["points"]).sum() == pytest.approx(100)


# --- never overwrite, the command ----------------------------------------------------------------


def test_export_does_not_overwrite_without_force(book, tmp_path):
    before = book.read_bytes()
    with pytest.raises(InputError, match="sudah ada"):
        export_framework(load_framework(2023), book)
    with pytest.raises(InputError, match="sudah ada"):
        write_template(book)
    assert book.read_bytes() == before
    export_framework(load_framework(2023), book, force=True)
    backups = list(tmp_path.glob("kerangka.bak-*.xlsx"))
    assert len(backups) == 1 and backups[0].read_bytes() == before
    assert read_framework_workbook(book).year == 2023
    with pytest.raises(InputError, match=r"\.xlsx"):
        write_template(tmp_path / "kerangka.csv")


def test_template_command_levels(tmp_path, capsys):
    from mcp_lib.app.cli import main

    out = tmp_path / "tiga.xlsx"
    assert main(["framework", "template", "--out", str(out), "--levels", "Area,Indikator,Sub-indikator"]) == 0
    rows = list(load_workbook(out)["Tingkat"].iter_rows(min_row=2, values_only=True))
    assert [r[:2] for r in rows if r[0]] == [
        ("area", "Area"),
        ("indicator", "Indikator"),
        ("subindicator", "Sub-indikator"),
    ]
    assert main(["framework", "template", "--out", str(out)]) == 1  # never overwritten
    assert "sudah ada" in capsys.readouterr().err
    keyed = tmp_path / "kunci.xlsx"
    assert main(["framework", "template", "--out", str(keyed), "--levels", "Area,program=Program,Kegiatan"]) == 0
    rows = list(load_workbook(keyed)["Tingkat"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows if r[0]] == ["area", "program", "subindicator"]
    with pytest.raises(SystemExit) as exc:
        main(["framework", "template", "--out", str(tmp_path / "x.xlsx"), "--levels", "Area"])
    assert exc.value.code == 2
    assert "seharusnya 2 sampai" in capsys.readouterr().err
