"""The bundled frameworks (mcp_lib.sample.frameworks): labelled reconstructions with the shape of
MCP 2023 (8 areas, 30 indicators, 63 sub-indicators), of 2024 (Perencanaan and Penganggaran split,
Pelayanan Publik, no Dana Desa) and of 2025 (four levels, the sourced sizes). The committed files
match the generator: test_sample.py."""

import pytest

from mcp_lib.config import DATA_DIR
from mcp_lib.framework.folder import load_framework

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
