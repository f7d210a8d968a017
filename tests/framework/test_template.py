"""Writing the framework workbook (mcp_lib.framework.workbook.template): the empty template and its levels,
the Petunjuk sheet and its example, an export never overwriting without --force, the command."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES
from openpyxl import load_workbook

from mcp_lib.errors import InputError
from mcp_lib.framework.folder import load_framework
from mcp_lib.framework.model import DEFAULT_LEVELS, Level
from mcp_lib.framework.workbook import template as fwt
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
    assert [c.value for c in wb["Struktur"][1]][-2:] == ["Berlaku untuk", "OPD pengampu"]
    assert [c.value for c in wb["Dokumen"][1]] == [
        "Kode Sub-indikator",
        "Kode dokumen",
        "Nama dokumen",
        "Bagian",
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
