"""The bundled frameworks (mcp_lib.sample.frameworks): labelled reconstructions with the shape of
MCP 2023 (8 areas, 30 indicators, 63 sub-indicators), of 2024 (Perencanaan and Penganggaran split,
Pelayanan Publik, no Dana Desa) and of 2025 (four levels, the sourced sizes), built from the tables
of data/reference/ (a broken one is refused by file, row and column). The committed files match the
generator: test_generate.py."""

import csv
import shutil

import pytest

from mcp_lib.config import DATA_DIR, REFERENCE_DIR
from mcp_lib.errors import InputError
from mcp_lib.framework.folder import load_framework
from mcp_lib.sample.frameworks import (
    build_framework_2023,
    build_framework_2024,
    build_framework_2025,
    reconstruction_csv,
)

AREAS_2024 = [
    "Perencanaan",
    "Penganggaran",
    "Pengadaan Barang dan Jasa",
    "Pelayanan Publik",
    "Penguatan APIP",
    "Manajemen ASN",
    "Optimalisasi Pajak Daerah",
    "Manajemen Aset Daerah",
]
ADDED = ("Perencanaan", "Penganggaran", "Pelayanan Publik")


@pytest.fixture(scope="module")
def fw24():
    return load_framework(2024)


@pytest.fixture(scope="module")
def fw23():
    return load_framework(2023)


# --- MCP 2023 ------------------------------------------------------------------------------


def test_bundled_2023_framework_shape():
    fw = load_framework(2023)
    assert (len(fw.areas), len(fw.level_table("indicator")), len(fw.subindicators)) == (8, 30, 63)
    assert 130 <= len(fw.documents) <= 160
    assert fw.documents.groupby("subindicator_code").size().between(1, 3).all()
    assert abs(fw.areas["area_weight"].sum() - 100) < 0.01
    assert (fw.level_table("indicator").groupby("area_code")["indicator_weight"].sum().sub(100).abs() < 0.01).all()
    assert (fw.subindicators.groupby("indicator_code")["subindicator_weight"].sum().sub(100).abs() < 0.01).all()
    assert (fw.documents.groupby("subindicator_code")["points"].sum() == 100).all()
    dana_desa = fw.subindicators[fw.subindicators["area_name"] == "Tata Kelola Dana Desa"]
    assert len(dana_desa) == 5
    assert all(kinds == ("kabupaten",) for kinds in dana_desa["applies_to"])
    assert "rekonstruksi" in fw.label
    assert [b.name for b in fw.bands.items] == ["Merah", "Kuning", "Biru", "Hijau"]
    # Every document's full points, through all three weight levels, add up to 100.
    assert abs((fw.documents["point_weight"] * fw.documents["points"]).sum() - 100) < 0.01


# --- MCP 2024 ------------------------------------------------------------------------------


def test_2024_framework_loads_and_is_labelled_a_reconstruction(fw24):
    assert fw24.year == 2024
    assert "rekonstruksi" in fw24.label
    assert fw24.path == DATA_DIR / "frameworks" / "mcp-2024"
    assert list(fw24.areas["area_name"]) == AREAS_2024
    assert fw24.areas["area_weight"].sum() == pytest.approx(100, abs=0.01)
    for _, group in fw24.level_table("indicator").groupby("area_code"):
        assert group["indicator_weight"].sum() == pytest.approx(100, abs=0.01)
    for _, group in fw24.subindicators.groupby("indicator_code"):
        assert group["subindicator_weight"].sum() == pytest.approx(100, abs=0.01)
    for _, group in fw24.documents.groupby("subindicator_code"):
        assert group["points"].sum() == pytest.approx(100, abs=0.01)
    assert fw24.documents["point_weight"].mul(fw24.documents["points"]).sum() == pytest.approx(100)
    assert (fw24.subindicators["default_opd"].str.len() > 0).all()
    readme = (fw24.path / "README.md").read_text(encoding="utf-8")
    assert "RECONSTRUCTION" in readme and "Reconstructed" in readme


def test_2024_framework_validates_with_the_command(capsys):
    from mcp_lib.app.cli import main

    assert main(["validate", str(DATA_DIR / "frameworks" / "mcp-2024")]) == 0
    assert "mcp-2024" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("score", "band"),
    [(0, "rentan"), (72.9, "rentan"), (73, "waspada"), (77.9, "waspada"), (78, "terjaga"), (100, "terjaga")],
)
def test_2024_bands(fw24, score, band):
    assert fw24.bands.classify(score).name == band


def test_no_dana_desa_and_everything_applies_to_every_kind(fw24):
    names = " ".join(fw24.areas["area_name"]).lower()
    assert "dana desa" not in names and "perizinan" not in names
    assert not fw24.documents["doc_name"].str.contains("desa", case=False).any()
    for kind in ("kota", "kabupaten", "provinsi"):
        assert fw24.applies(kind).all()


def test_kept_areas_keep_their_2023_names(fw23, fw24):
    kept = set(fw23.areas["area_name"]) & set(fw24.areas["area_name"])
    assert kept == set(AREAS_2024) - set(ADDED)


# --- MCP 2025 ------------------------------------------------------------------------------


def test_the_2025_framework_has_the_sourced_shape():
    import datetime as dt

    fw = load_framework(2025)
    assert [lv.key for lv in fw.levels] == ["area", "sasaran", "indicator", "subindicator"]
    assert [lv.name for lv in fw.levels] == ["Area", "Sasaran", "Indikator", "Sub-indikator"]
    subs = fw.subindicators
    sizes = [subs[lv.code].nunique() for lv in fw.levels]
    assert sizes == [8, 16, 111, 122]  # verification-risk.md, "Framework sizes by year"
    assert int(fw.applies("provinsi").sum()) == 660
    assert int(fw.applies("kabupaten").sum()) == int(fw.applies("kota").sum()) == 680
    assert fw.summary("provinsi").endswith("660 dokumen") and fw.summary("kota").endswith("680 dokumen")
    # Blank weights everywhere: equal among siblings, stated, and each level sums to 100 per parent.
    assert {key for key, _ in fw.blank_weights} == {"area", "sasaran", "indicator", "subindicator"}
    assert set(fw.areas["area_weight"]) == {12.5}
    assert (fw.documents["point_weight"] * fw.documents["points"]).sum() == pytest.approx(100)
    assert fw.documents.groupby("subindicator_code")["points"].sum().eq(100).all()
    assert (fw.upload_close, fw.final_date) == (dt.date(2025, 11, 30), dt.date(2025, 12, 17))
    assert fw.detail.key == "indicator"
    assert "rekonstruksi" in fw.label
    # The one sourced split: a BMD indicator with two documents at 50/50.
    bmd = fw.documents[fw.documents["subindicator_name"] == "Rekonsiliasi dan laporan BMD semesteran dan tahunan"]
    assert list(bmd["points"]) == [50, 50] and set(bmd["area_name"]) == {"Manajemen Barang Milik Daerah"}
    kabkota = fw.documents[~fw.applies("provinsi").to_numpy()]
    assert len(kabkota) == 20 and kabkota["subindicator_code"].nunique() == 4


# --- The reference tables ------------------------------------------------------------------


@pytest.fixture
def reference(tmp_path):
    """A copy of the three reference tables the frameworks are built from."""
    for year in (2023, 2024, 2025):
        shutil.copy(reconstruction_csv(year), reconstruction_csv(year, tmp_path))
    return tmp_path


def _rows(path):
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def _write(path, rows):
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def _set(path, row, column, value):
    """Cell ``column`` of Excel row ``row`` (the header is row 1) set to ``value``."""
    rows = _rows(path)
    rows[row - 1][rows[0].index(column)] = value
    _write(path, rows)


def _drop(path, column):
    rows = _rows(path)
    i = rows[0].index(column)
    _write(path, [r[:i] + r[i + 1 :] for r in rows])


def _cell(frame, code, column, key="subindicator_code"):
    return frame.loc[frame[key] == code, column].iloc[0]


def test_the_reference_tables_are_the_labelled_reconstructions():
    readme = (REFERENCE_DIR / "README.md").read_text(encoding="utf-8")
    for year in (2023, 2024, 2025):
        assert reconstruction_csv(year).is_file()
        assert f"`{reconstruction_csv(year).name}`" in readme
    assert readme.count("**reconstructed, not published by KPK**") == 2


def test_a_weight_in_the_2023_table_builds_the_2023_framework(reference):
    path = reconstruction_csv(2023, reference)
    rows = _rows(path)
    a1 = [n for n, r in enumerate(rows, start=1) if r[0] == "A1"]
    assert len(a1) == 11 and {rows[n - 1][2] for n in a1} == {"12.5"}
    for n in a1:  # the area weight is repeated on each of its rows
        _set(path, n, "area_weight", "20")
    fw, _, _ = build_framework_2023(reference)
    assert list(fw.loc[fw["area_code"] == "A1", "area_weight"].unique()) == [20.0]


def test_the_points_in_the_2024_table_build_the_2024_weights(reference):
    path = reconstruction_csv(2024, reference)
    before, _, _ = build_framework_2024(reference)
    assert _rows(path)[1][2] == "A1.3.1" and _cell(before, "A1.3.1", "subindicator_weight") == 50
    _set(path, 2, "max_points", "24")  # A1.3.1: 24 of 24 + 8 points
    fw, _, _ = build_framework_2024(reference)
    assert _cell(fw, "A1.3.1", "subindicator_weight") == 75
    assert _cell(fw, "A1.3.2", "subindicator_weight") == 25
    assert _cell(fw, "A1.3.1", "indicator_weight") > _cell(before, "A1.3.1", "indicator_weight")
    _set(path, 2, "subindicator_name", "Nama baru dari tabel rujukan")
    fw, ev, _ = build_framework_2024(reference)
    assert _cell(fw, "A1.3.1", "subindicator_name") == "Nama baru dari tabel rujukan"
    assert ev.loc[ev["subindicator_code"] == "A1.3.1", "doc_name"].str.endswith(": Nama baru dari tabel rujukan").all()


def test_the_2025_table_builds_the_2025_indicators(reference):
    path = reconstruction_csv(2025, reference)
    rows = _rows(path)
    assert rows[1][2] == "A1.1.1" and rows[1][5] == "RKPD dipublikasikan di laman resmi"
    for column in ("second_subindicator_name", "second_responsible_opd", "second_applies_to"):
        _set(path, 2, column, "")  # A1.1.1 loses its second sub-indicator
    _set(path, 3, "from_2024", "")  # A1.1.2 becomes a new indicator
    _set(path, 3, "indicator_name", "Indikator baru dari tabel rujukan")
    _set(path, 3, "responsible_opd", "Diskominfo")
    fw, ev, _ = build_framework_2025(reference)
    assert len(fw) == 121 and "A1.1.1.2" not in set(fw["subindicator_code"])
    assert _cell(fw, "A1.1.2.1", "indicator_name") == "Indikator baru dari tabel rujukan"
    assert _cell(fw, "A1.1.2.1", "default_opd") == "Diskominfo"
    fw24, _, _ = build_framework_2024(reference)  # a from_2024 indicator takes the 2024 name
    assert _cell(fw, "A1.1.1.1", "indicator_name") == _cell(fw24, "A1.1.1", "subindicator_name")
    everywhere = set(fw.loc[fw["applies_to"] == "semua", "subindicator_code"])
    assert ev["subindicator_code"].isin(everywhere).sum() == 660  # still the sourced total
    assert ev.groupby("subindicator_code")["points"].sum().eq(100).all()


BUILD = {2023: build_framework_2023, 2024: build_framework_2024, 2025: build_framework_2025}
BROKEN = [
    # id, year, Excel row (the header is row 1) and column of the problem, the cells changed in that
    # row (None: the column removed), the message
    ("missing-column", 2023, 1, "max_points", None, "kolom wajib tidak ada"),
    ("bad-weight", 2023, 4, "area_weight", {"area_weight": "12,5%x"}, "bukan angka"),
    ("bad-points", 2024, 3, "max_points", {"max_points": "delapan"}, "bukan angka"),
    ("negative", 2024, 5, "max_points", {"max_points": "-1"}, "angka di luar rentang"),
    ("blank", 2024, 2, "responsible_opd", {"responsible_opd": ""}, "isian kosong"),
    (
        "area",
        2024,
        2,
        "indicator_code",
        {"indicator_code": "A9.3", "subindicator_code": "A9.3.1"},
        "area tidak dikenal",
    ),
    ("sub-code", 2024, 2, "subindicator_code", {"subindicator_code": "A4.1.9"}, "kode sub-indikator tidak di bawah"),
    ("unknown-2024-code", 2025, 5, "from_2024", {"from_2024": "A1.9.9"}, "kode sub-indikator 2024 tidak dikenal"),
    ("both-sources", 2025, 2, "from_2024", {"indicator_name": "N", "responsible_opd": "O"}, "indikator diisi dua kali"),
    ("no-source", 2025, 3, "from_2024", {"from_2024": ""}, "indikator tanpa nama"),
    ("new-no-opd", 2025, 6, "responsible_opd", {"responsible_opd": ""}, "isian kosong"),
    ("second-half", 2025, 2, "second_applies_to", {"second_applies_to": ""}, "isian kosong"),
]


@pytest.mark.parametrize(
    ("year", "row", "column", "cells", "message"), [c[1:] for c in BROKEN], ids=[c[0] for c in BROKEN]
)
def test_a_broken_reference_table_is_refused_by_file_row_and_column(reference, year, row, column, cells, message):
    path = reconstruction_csv(year, reference)
    if cells is None:
        _drop(path, column)
    for name, value in (cells or {}).items():
        _set(path, row, name, value)
    with pytest.raises(InputError) as err:
        {2023: build_framework_2023, 2024: build_framework_2024, 2025: build_framework_2025}[year](reference)
    [problem] = err.value.problems
    assert (problem.file, problem.row, problem.column) == (str(path), row, column)
    assert problem.message.startswith(message) and problem.expected  # says what was expected
    assert f"{path.name}, baris {row}, kolom '{column}': {message}" in str(err.value)


def test_the_later_years_refuse_a_broken_2023_table_too(reference):
    _set(reconstruction_csv(2023, reference), 7, "max_points", "sepuluh")
    for build in (build_framework_2024, build_framework_2025):
        with pytest.raises(InputError, match=r"mcp-2023-framework-reconstruction\.csv, baris 7, kolom 'max_points'"):
            build(reference)


def test_a_2025_table_too_large_for_the_sourced_documents_is_refused(reference):
    path = reconstruction_csv(2025, reference)
    rows = _rows(path)
    _write(path, rows + rows[1:])  # every indicator twice: 234 sub-indicators for every pemda, at 3 documents or more
    with pytest.raises(InputError, match="234 sub-indikator untuk semua pemda tidak muat dalam 660 dokumen provinsi"):
        build_framework_2025(reference)
