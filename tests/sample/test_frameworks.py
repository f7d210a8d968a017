"""The bundled frameworks (mcp_lib.sample.frameworks): labelled reconstructions with the shape of
MCP 2023 (8 areas, 30 indicators, 63 sub-indicators), of 2024 (Perencanaan and Penganggaran split,
Pelayanan Publik, no Dana Desa) and of 2025 (four levels, the sourced sizes), and the provisional
2026 one from a public transcription (7 areas, 33 indicators each with its method), built from the
tables of data/reference/ (a broken one is refused by file, row and column). The committed files match the
generator: test_generate.py."""

import csv
import shutil

import pytest

from mcp_lib.config import DATA_DIR, REFERENCE_DIR
from mcp_lib.errors import InputError
from mcp_lib.framework.folder import load_framework
from mcp_lib.framework.methods import parse_method
from mcp_lib.pemda.settings import load_pemda
from mcp_lib.pemda.snapshot import load_period
from mcp_lib.sample.frameworks import (
    STATED_DOCS_2026,
    areas_csv_2025,
    build_framework_2023,
    build_framework_2024,
    build_framework_2025,
    build_framework_2026,
    documents_csv,
    reconstruction_csv,
    transcription_csv,
)
from mcp_lib.scoring import score_snapshot

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
    # Blank weights below the areas: equal among siblings, stated, and each level sums to 100 per parent.
    assert {key for key, _ in fw.blank_weights} == {"sasaran", "indicator", "subindicator"}
    assert (fw.documents["point_weight"] * fw.documents["points"]).sum() == pytest.approx(100, abs=0.01)
    assert fw.documents.groupby("subindicator_code")["points"].sum().eq(100).all()
    assert (fw.upload_close, fw.final_date) == (dt.date(2025, 11, 30), dt.date(2025, 12, 17))
    assert fw.detail.key == "indicator"
    assert "rekonstruksi" in fw.label
    # The one sourced split: a BMD indicator with two documents at 50/50.
    bmd = fw.documents[fw.documents["subindicator_name"] == "Rekonsiliasi dan laporan BMD semesteran dan tahunan"]
    assert list(bmd["points"]) == [50, 50] and set(bmd["area_name"]) == {"Manajemen Barang Milik Daerah"}
    kabkota = fw.documents[~fw.applies("provinsi").to_numpy()]
    assert len(kabkota) == 20 and kabkota["subindicator_code"].nunique() == 4


SHORT_2025 = ["Perencanaan", "Penganggaran", "PBJ", "Pelayanan Publik", "APIP", "ASN", "OPD", "BMD"]


def test_the_2025_area_weights_are_pbj_24_and_the_rest_shared_equally():
    """Inspektur Lampung, Dec 2025: PBJ 24, "the highest of the 8 areas"; the other seven share the
    76 left (10.857 each: the eight add to 99.999, within the framework's 0.01), and a pemda with
    every document verified still scores 100."""
    fw = load_framework(2025)
    weights = dict(zip(fw.areas["area_name"], fw.areas["area_weight"], strict=True))
    assert weights.pop("Pengadaan Barang dan Jasa") == 24
    assert len(weights) == 7 and set(weights.values()) == {10.857}
    assert sum(weights.values()) + 24 == pytest.approx(100, abs=0.01)
    full = (fw.documents["point_weight"] * fw.documents["points"]).sum()
    assert full == pytest.approx(99.999)  # the product of the weights / 100 per level …
    pemda = load_pemda("kab-musi-rawas")
    by_area = score_snapshot(fw, pemda, load_period(pemda, fw, "2025-10")).by_area.set_index("area_name")
    assert by_area["points_max"].sum() == pytest.approx(100)  # … but the score divides by their sum
    assert by_area.loc["Pengadaan Barang dan Jasa", "points_max"] == pytest.approx(24 / 0.99999)


def test_the_2025_and_2026_areas_have_the_dashboards_short_names(fw26):
    fw25 = load_framework(2025)
    for fw, expected in ((fw25, SHORT_2025), (fw26, SHORT_2026)):
        areas = fw.subindicators.drop_duplicates("area_code")
        assert list(areas["area_short"]) == expected
        # the same on every row of an area
        assert (fw.subindicators.groupby("area_code")["area_short"].nunique() == 1).all()
    assert "OPD" in (DATA_DIR / "frameworks" / "mcp-2025" / "README.md").read_text(encoding="utf-8")
    assert set(load_framework(2023).subindicators["area_short"]) == {""}  # 2023: none found


# --- The reference tables ------------------------------------------------------------------


@pytest.fixture
def reference(tmp_path):
    """A copy of the reference tables the frameworks are built from (the three reconstructions and
    the 2025 areas)."""
    for year in (2023, 2024, 2025):
        shutil.copy(reconstruction_csv(year), reconstruction_csv(year, tmp_path))
    areas_csv_2025(tmp_path).parent.mkdir()
    shutil.copy(areas_csv_2025(), areas_csv_2025(tmp_path))
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


def test_the_2025_areas_table_sets_the_weights_and_the_short_names(reference):
    path = areas_csv_2025(reference)
    assert _rows(path)[3] == ["Pengadaan Barang dan Jasa", "PBJ", "24"]
    _set(path, 4, "area_weight", "30")
    _set(path, 2, "area_weight", "4.857")  # Perencanaan gives PBJ 6 points
    _set(path, 4, "area_short", "P<b>BJ")
    fw, _, _ = build_framework_2025(reference)
    pbj = fw[fw["area_name"] == "Pengadaan Barang dan Jasa"]
    assert set(pbj["area_weight"]) == {30.0} and set(pbj["area_short"]) == {"P<b>BJ"}
    assert set(fw.loc[fw["area_name"] == "Perencanaan", "area_weight"]) == {4.857}
    _set(path, 4, "area_short", "")  # blank: the area has no short name
    fw, _, _ = build_framework_2025(reference)
    assert fw.loc[fw["area_name"] == "Pengadaan Barang dan Jasa", "area_short"].isna().all()


BROKEN_AREAS = [
    # id, Excel row of the problem (None: the file), its column, the cells changed in row 4 (PBJ), the message
    ("unknown", 4, "area_name", {"area_name": "PBJ"}, "area tidak ada di rekonstruksi 2025"),
    ("twice", 4, "area_name", {"area_name": "Perencanaan"}, "area ganda"),
    ("not-100", 2, "area_weight", {"area_weight": "25"}, "jumlah bobot area = 100,999"),
    ("not-a-number", 4, "area_weight", {"area_weight": "24%x"}, "bukan angka"),
    ("blank-weight", 4, "area_weight", {"area_weight": ""}, "isian kosong"),
]


@pytest.mark.parametrize(
    ("row", "column", "cells", "message"), [c[1:] for c in BROKEN_AREAS], ids=[c[0] for c in BROKEN_AREAS]
)
def test_a_broken_2025_areas_table_is_refused_by_file_row_and_column(reference, row, column, cells, message):
    path = areas_csv_2025(reference)
    for name, value in cells.items():
        _set(path, 4, name, value)
    with pytest.raises(InputError) as err:
        build_framework_2025(reference)
    [problem] = [p for p in err.value.problems if p.row is not None]
    assert (problem.file, problem.row, problem.column) == (str(path), row, column)
    assert problem.message.startswith(message) and problem.expected
    if column == "area_name":  # the area the row no longer names is missing
        assert "area tanpa baris: Pengadaan Barang dan Jasa" in str(err.value)


def test_a_2025_area_without_a_row_is_refused(reference):
    path = areas_csv_2025(reference)
    _write(path, [r for r in _rows(path) if r[0] != "Manajemen ASN"])
    with pytest.raises(InputError, match=r"areas\.csv, kolom 'area_name': area tanpa baris: Manajemen ASN"):
        build_framework_2025(reference)


# --- MCSP 2026 (public transcription) ------------------------------------------------------

AREAS_2026 = [
    "Perencanaan dan Penganggaran APBD",
    "Pengadaan Barang dan Jasa (PBJ)",
    "Pelayanan Publik",
    "Manajemen ASN",
    "Pengelolaan Barang Milik Daerah (BMD)",
    "Optimalisasi Pendapatan Daerah",
    "Penguatan APIP",
]
SHORT_2026 = ["Perencanaan dan Penganggaran", "PBJ", "Pelayanan Publik", "ASN", "BMD", "OPD", "APIP"]
DOCS_2026 = [25, 13, 18, 11, 25, 17, 16]
"""Documents per area as the transcription's indicators count them (125)."""
OUTSIDE_2026 = {"A4.3": "e-LHKPN", "A4.4": "GOL", "A7.5": "SICUKUP", "A7.6": "SPI"}


@pytest.fixture(scope="module")
def fw26():
    return load_framework(2026)


def test_the_2026_framework_has_the_transcription_shape(fw26):
    assert [(lv.key, lv.name) for lv in fw26.levels] == [("area", "Area"), ("subindicator", "Indikator")]
    assert list(fw26.areas["area_name"]) == AREAS_2026
    assert len(fw26.subindicators) == 33 and fw26.subindicators["subindicator_code"].is_unique
    assert fw26.year == 2026 and "transkripsi publik" in fw26.label and "bukan data resmi KPK" in fw26.label
    assert fw26.upload_close is None and fw26.final_date is None  # no calendar in the transcription
    assert {key for key, _ in fw26.blank_weights} == {"area", "subindicator"}  # no weight either
    assert [b.name for b in fw26.bands.items] == ["rentan", "waspada", "terjaga"]
    assert (fw26.documents["point_weight"] * fw26.documents["points"]).sum() == pytest.approx(100)
    assert fw26.documents.groupby("subindicator_code")["points"].sum().eq(100).all()
    for kind in ("provinsi", "kabupaten", "kota"):
        assert fw26.applies(kind).all()


def test_the_2026_documents_are_the_125_the_indicators_count_plus_four_status_rows(fw26):
    _, docs, _ = build_framework_2026()
    assert fw26.documents["doc_code"].tolist() == docs["doc_code"].tolist()
    status = docs["subindicator_code"].isin(OUTSIDE_2026)
    assert len(docs) == 129 and status.sum() == 4
    area = docs["subindicator_code"].str.split(".").str[0]
    assert list(docs[~status].groupby(area[~status], sort=False).size()) == DOCS_2026
    for code, system in OUTSIDE_2026.items():
        [name] = docs.loc[docs["subindicator_code"] == code, "doc_name"]
        assert name.startswith(f"Status di {system} (interoperabilitas)")
    readme = (fw26.path / "README.md").read_text(encoding="utf-8")
    for said in ("162", "**125**", "**129 rows**", "sipitung66/MCSP-KPK-RBS-KK-2026", "prisma/seed.ts"):
        assert said in readme
    with transcription_csv().open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    targets = {r["area_no"]: int(r["area_target_docs"]) for r in rows}
    assert sum(targets.values()) == STATED_DOCS_2026 == 162  # what the transcription states
    assert sum(int(r["document_count"]) for r in rows) == 125  # what its indicators count


def test_every_2026_method_parses_with_the_parameters_the_readme_gives(fw26):
    methods = dict(zip(fw26.subindicators["subindicator_code"], fw26.subindicators["method"], strict=True))
    assert all(parse_method(text).text == text for text in methods.values())
    assert methods["A2.3"] == "BOBOT_TAHUN periode=3"
    assert methods["A5.2"] == "BOBOT_TAHUN_TRIWULAN periode=5"
    assert methods["A7.2"] == "BOBOT_TAHAPAN tahapan=5"
    assert methods["A7.3"] == "BOBOT_DOKUMEN"  # the transcription's BOBOT_DOKUMEN_PROPORSIONAL
    assert (methods["A6.2"], methods["A6.3"]) == ("AMBANG_REALISASI", "AMBANG_PROPORSIONAL")  # target 100
    assert {fw26.methods[c].system for c in OUTSIDE_2026} == set(OUTSIDE_2026.values())
    readme = (fw26.path / "README.md").read_text(encoding="utf-8")
    for text in set(methods.values()):
        if "=" in text:
            assert f"`{text}`" in readme  # every parameter chosen is explained
    windows = fw26.documents.loc[fw26.documents["subindicator_code"] == "A2.3", "window"]
    assert list(windows) == ["TA 2024", "TA 2025", "TA 2026"]


def test_the_2026_default_opds_follow_the_responsible_parties():
    fw, _, _ = build_framework_2026()
    opd = dict(zip(fw["subindicator_code"], fw["default_opd"], strict=True))
    assert opd["A2.1"] == "BPKD;UKPBJ;Sekda"  # "Sekda, BPKD, UKPBJ": the coordinator last
    assert opd["A2.6"] == "Inspektorat"  # "PPK, Inspektorat": a person, not an agency
    assert opd["A6.2"] == "Inspektorat;BPKAD;Bapenda;Sekda"  # "Sekda, Inspektur, BPKAD, Bapenda"
    assert opd["A7.6"] == "Inspektorat;Sekda"  # "..., seluruh perangkat daerah terkait"


@pytest.fixture
def reference_2026(tmp_path):
    """A copy of the two 2026 transcription tables."""
    shutil.copytree(transcription_csv().parent, transcription_csv(tmp_path).parent)
    return tmp_path


def test_the_2026_tables_build_the_2026_framework(reference_2026):
    docs = documents_csv(reference_2026)
    _set(docs, _row_of(docs, 2, 3, 3), "window", "TA 2025")  # two windows left: two periods
    _set(docs, _row_of(docs, 2, 3, 1), "data_format", "Nama baru dari tabel rujukan")
    fw, ev, _ = build_framework_2026(reference_2026)
    assert _cell(fw, "A2.3", "method") == "BOBOT_TAHUN periode=2"
    assert _cell(ev, "A2.3.D1", "doc_name", key="doc_code") == "Nama baru dari tabel rujukan"
    path = transcription_csv(reference_2026)
    _set(path, _row_of(path, 7, 1), "document_count", "3")
    _set(path, _row_of(path, 7, 1), "indicator_name", "Indikator baru")
    fw, ev, _ = build_framework_2026(reference_2026)
    assert list(ev.loc[ev["subindicator_code"] == "A7.1", "doc_name"]) == [
        f"Bukti dukung {k} dari 3: Indikator baru" for k in (1, 2, 3)
    ]
    assert len(ev) == 131


def _row_of(path, *key):
    """The Excel row (the header is row 1) of an indicator (area and indicator number), or of one
    of its documents (and the document's number)."""
    header, *rows = _rows(path)
    at = [header.index(c) for c in ("area_no", "indicator_no", "doc_no")[: len(key)]]
    return next(n for n, r in enumerate(rows, start=2) if [r[i] for i in at] == [str(k) for k in key])


BROKEN_2026 = [
    # id, which table, (area, indicator[, doc]) of the row, column, the cells changed, the message
    ("method", "t", (2, 1), "scoring_method", {"scoring_method": "BOBOT_BULAN"}, "metode penilaian"),
    ("parameter", "t", (2, 3), "scoring_method", {"scoring_method": "BOBOT_TAHUN tahun=3"}, "parameter"),
    ("no-documents", "t", (2, 1), "document_count", {"document_count": "0"}, "indikator bermetode BINER_0_100"),
    ("half-document", "t", (2, 1), "document_count", {"document_count": "1,5"}, "bukan bilangan bulat"),
    ("twice", "t", (2, 2), "indicator_no", {"indicator_no": "1"}, "indikator ganda"),
    ("unknown", "d", (7, 4, 1), "indicator_no", {"indicator_no": "9"}, "indikator tidak ada"),
    ("beyond", "d", (2, 1, 1), "doc_no", {"doc_no": "2"}, "indikator 2.1 hanya punya 1 dokumen"),
    ("same-doc", "d", (2, 3, 2), "doc_no", {"doc_no": "1"}, "dokumen ganda"),
]


@pytest.mark.parametrize(
    ("table", "where", "column", "cells", "message"), [c[1:] for c in BROKEN_2026], ids=[c[0] for c in BROKEN_2026]
)
def test_a_broken_2026_table_is_refused_by_file_row_and_column(reference_2026, table, where, column, cells, message):
    path = {"t": transcription_csv, "d": documents_csv}[table](reference_2026)
    row = _row_of(path, *where)
    for name, value in cells.items():
        _set(path, row, name, value)
    with pytest.raises(InputError) as err:
        build_framework_2026(reference_2026)
    [problem] = err.value.problems
    assert (problem.file, problem.row, problem.column) == (str(path), row, column)
    assert problem.message.startswith(message) and problem.expected
