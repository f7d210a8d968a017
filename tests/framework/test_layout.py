"""The framework workbook's layout (mcp_lib.framework.workbook.layout): the columns of each sheet for a
framework's levels, headers found as an analyst may type them, the rules of the Tingkat sheet.
Writing the workbook: test_framework_template.py; reading and importing it: test_framework_import.py."""

from mcp_lib.errors import Problems
from mcp_lib.framework.model import DEFAULT_LEVELS, Level
from mcp_lib.framework.workbook.layout import (
    Col,
    Sheet,
    check_levels,
    document_columns,
    match_documents,
    match_structure,
    optional_structure,
    structure_columns,
)

LEVELS = (Level("area", "Area"), Level("sasaran", "Sasaran"), Level("subindicator", "Sub-indikator"))


def test_struktur_has_code_name_and_weight_per_level_then_applies_to_opd_and_scoring():
    labels = [c.label for c in structure_columns(DEFAULT_LEVELS)]
    assert labels == [
        "Kode Area",
        "Nama Area",
        "Bobot Area",
        "Kode Indikator",
        "Nama Indikator",
        "Bobot Indikator",
        "Kode Sub-indikator",
        "Nama Sub-indikator",
        "Bobot Sub-indikator",
        "Berlaku untuk",
        "OPD pengampu",
        "Metode penilaian",
        "Tenggat",
        "Bagian nilai bila terlambat",
        "Nama singkat Area",
    ]
    assert [c.name for c in structure_columns(DEFAULT_LEVELS)][-4:] == [
        "method",
        "deadline",
        "late_share",
        "area_short",
    ]
    # Only the codes, names and weights are required: a workbook from before the scoring columns reads.
    assert optional_structure(DEFAULT_LEVELS) == {
        "applies_to",
        "default_opd",
        "method",
        "deadline",
        "late_share",
        "area_short",
    }
    assert [c.name for c in structure_columns(DEFAULT_LEVELS)][:3] == [
        "area_code",
        "area_name",
        "area_weight",
    ]
    # Dokumen's first column names the lowest level as Tingkat calls it.
    two = (Level("area", "Area"), Level("subindicator", "Indikator"))
    assert [c.label for c in document_columns(two)] == [
        "Kode Indikator",
        "Kode dokumen",
        "Nama dokumen",
        "Bagian",
        "Jendela data",
    ]


def test_a_header_is_accepted_as_typed_or_by_its_column_name():
    col = Col("area_weight", "Bobot Area", 12, ("Bobot Area (%)",))
    assert col.accepts() == {"bobot_area", "area_weight", "bobot_area_(%)"}
    sheet = Sheet("Predikat", "Predikat", "k.xlsx, sheet Predikat", headers=["  BOBOT   area ", "x"])
    sheet.match((col,))
    assert sheet.columns == {"area_weight": 0}
    assert sheet.where("area_weight") == "A (  BOBOT   area )"


def test_struktur_columns_by_header_or_by_group_when_a_level_was_renamed():
    headers = [c.label for c in structure_columns(LEVELS)]
    by_name = Sheet("Struktur", "Struktur", "k.xlsx, sheet Struktur", headers=headers)
    match_structure(by_name, LEVELS)
    assert by_name.columns["sasaran_weight"] == 5 and by_name.columns["default_opd"] == 10
    # Sasaran renamed Tujuan in Struktur only: the second "Kode …" group is the sasaran's.
    renamed = [h.replace("Sasaran", "Tujuan") for h in headers]
    sheet = Sheet("Struktur", "Struktur", "k.xlsx, sheet Struktur", headers=renamed)
    match_structure(sheet, LEVELS)
    assert [sheet.columns[f"sasaran_{part}"] for part in ("code", "name", "weight")] == [3, 4, 5]
    assert sheet.where("sasaran_weight") == "F (Bobot Tujuan)"
    assert sheet.columns["area_short"] == 14


def test_a_missing_level_header_is_never_taken_from_the_scoring_columns():
    """Read by groups (a level renamed in Struktur only) with "Nama Sub-indikator" missing: the
    lowest level's name is missing (reported), not read from "Nama singkat Area" in its group."""
    headers = [c.label for c in structure_columns(LEVELS)]
    headers = [h.replace("Sasaran", "Tujuan") for h in headers]
    headers[headers.index("Nama Sub-indikator")] = ""
    sheet = Sheet("Struktur", "Struktur", "k.xlsx, sheet Struktur", headers=headers)
    match_structure(sheet, LEVELS)
    assert "subindicator_name" not in sheet.columns
    assert sheet.columns["area_short"] == headers.index("Nama singkat Area")
    assert sheet.columns["subindicator_weight"] == headers.index("Bobot Sub-indikator")


def test_dokumen_code_column_found_when_the_lowest_level_was_renamed():
    sheet = Sheet(
        "Dokumen",
        "Dokumen",
        "k.xlsx, sheet Dokumen",
        headers=["Kode Kegiatan", "Kode dokumen", "Nama dokumen", "Poin", "window"],
    )
    cols = match_documents(sheet, LEVELS, "Sub-indikator")
    assert cols[0].label == "Kode Sub-indikator"
    assert sheet.columns == {"subindicator_code": 0, "doc_code": 1, "doc_name": 2, "points": 3, "window": 4}


def test_the_rules_of_the_tingkat_sheet():
    ok = Problems()
    assert check_levels([(2, "area", "Area"), (3, "subindicator", "Indikator")], "f", ok, columns=("key", "name"))
    assert not ok.items
    bad = Problems()
    assert not check_levels([(2, "area", "Area"), (3, "Sub", "area")], "f", bad, columns=("key", "name"))
    assert [(p.row, p.column, p.message) for p in bad.items] == [
        (3, "key", "kunci tingkat tidak sah"),
        (3, "name", "nama tingkat ganda (sudah ada di baris 2)"),
        (3, "key", "tingkat terakhir (tempat dokumen bukti) harus berkunci subindicator"),
    ]
