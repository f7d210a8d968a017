"""The framework model (mcp_lib.framework.model): levels, bands, the items and documents of a
framework and the weight of a document point. Expected values computed by hand on the tiny
fixture (tests/fixtures/tiny): area A 50 → indicator A.1 60 → sub-indicator A.1.1 50, its
documents D1 (60 points) and D2 (40); area C (Dana Desa) applies to kabupaten only."""

import pandas as pd
import pytest

from mcp_lib.framework.folder import load_framework
from mcp_lib.framework.model import (
    BAND_COLOUR,
    DEFAULT_LEVELS,
    Band,
    Bands,
    Level,
    default_detail,
    framework_from_frames,
    point_weights,
    published_bands,
)


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (0, "Merah"),
        (24.99, "Merah"),
        (25, "Kuning"),
        (49.9, "Kuning"),
        (50, "Biru"),
        (74.99, "Biru"),
        (75, "Hijau"),
        (100, "Hijau"),
    ],
)
def test_bands_2023(score, band):
    assert load_framework(2023).bands.classify(score).name == band


def test_a_lower_bound_belongs_to_its_band():
    bands = Bands((Band("rendah", 0), Band("tinggi", 60, "#1a9850")))
    assert bands.classify(59.99).name == "rendah"
    assert bands.classify(60).name == "tinggi"
    assert bands.classify(60).colour == "#1a9850" and bands.classify(0).colour == "#777777"


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (-0.5, "rentan"),  # below the first band: the first
        (0, "rentan"),
        (72.99, "rentan"),
        (73 - 1e-12, "waspada"),  # a lower bound missed by rounding only still belongs to its band
        (73, "waspada"),  # exactly on a lower bound
        (77.9, "waspada"),
        (78, "terjaga"),
        (100, "terjaga"),
        (100.5, "terjaga"),  # above 100: the last
    ],
)
def test_band_edges(score, band):
    assert published_bands(2024).classify(score).name == band


def test_bands_as_rows_and_back():
    bands = published_bands(2024)
    assert bands.rows() == [("rentan", 0, "#d7301f"), ("waspada", 73, "#fdae61"), ("terjaga", 78, "#1a9850")]
    assert Bands.from_rows(bands.rows()) == bands
    assert Bands.from_rows([("rendah", 0, None), ("tinggi", 60, "")]).items[1].colour == BAND_COLOUR


def test_the_published_bands_by_year():
    assert published_bands(2022) == published_bands(2023) != published_bands(2024) == published_bands(2025)
    assert [b.name for b in published_bands(2023).items] == ["Merah", "Kuning", "Biru", "Hijau"]
    assert load_framework(2023).bands == published_bands(2023) and load_framework(2024).bands == published_bands(2024)


def test_level_columns_and_lookup(tiny_fw):
    assert Level("sasaran", "Sasaran").columns == ["sasaran_code", "sasaran_name", "sasaran_weight"]
    assert tiny_fw.level("indicator") == Level("indicator", "Indikator")
    with pytest.raises(KeyError):
        tiny_fw.level("sasaran")
    assert tiny_fw.group_columns("indicator") == [
        "area_code",
        "indicator_code",
        "indicator_name",
        "indicator_weight",
    ]
    assert list(tiny_fw.level_table("indicator")["indicator_code"]) == ["A.1", "A.2", "B.1", "C.1"]
    assert list(tiny_fw.areas["area_weight"]) == [50, 30, 20]


def test_the_detail_level_defaults_to_the_one_above_the_lowest(tiny_fw):
    assert default_detail(DEFAULT_LEVELS) == "indicator"
    assert default_detail(DEFAULT_LEVELS[::2]) == "subindicator"
    assert tiny_fw.detail.key == "indicator"


def test_a_document_point_is_worth_the_product_of_the_weights(tiny_fw):
    worth = tiny_fw.documents.set_index("doc_code")["point_weight"]
    assert worth["A.1.1.D1"] == pytest.approx(0.50 * 0.60 * 0.50)
    assert worth["B.1.2.D2"] == pytest.approx(0.30 * 1.00 * 0.30)
    docs = pd.DataFrame({"area_weight": [50.0], "subindicator_weight": [40.0]})
    assert point_weights(docs, DEFAULT_LEVELS[::2]).tolist() == pytest.approx([0.2])


def test_what_applies_to_a_kind(tiny_fw):
    assert not tiny_fw.applies("kota")[tiny_fw.documents["area_code"] == "C"].any()
    assert tiny_fw.applies("kabupaten").all()
    assert tiny_fw.default_opds("kota") == ["Bappeda", "BPKAD", "Inspektorat"]
    assert tiny_fw.default_opds("kabupaten") == ["Bappeda", "BPKAD", "Inspektorat", "DPMD"]
    assert tiny_fw.summary() == "MCP 2023: 3 area, 4 indikator, 6 sub-indikator, 9 dokumen"
    assert tiny_fw.summary("kota") == "MCP 2023: 2 area, 3 indikator, 5 sub-indikator, 8 dokumen"


def test_a_framework_from_frames_applies_everywhere_by_default():
    subs = pd.DataFrame(
        {
            "area_code": ["A"],
            "area_name": ["Area"],
            "area_weight": [100.0],
            "subindicator_code": ["A.1"],
            "subindicator_name": ["Sub"],
            "subindicator_weight": [100.0],
        }
    )
    docs = pd.DataFrame({"subindicator_code": ["A.1"] * 2, "doc_code": ["D1", "D2"], "points": [30.0, 70.0]})
    fw = framework_from_frames(2030, "Uji", subs, docs, Bands((Band("satu", 0),)), DEFAULT_LEVELS[::2])
    assert fw.path is None and fw.detail.key == "subindicator"
    assert list(fw.documents["applies_to"]) == [("semua",), ("semua",)]
    assert list(fw.documents["default_opd"]) == ["", ""]
    assert fw.documents["point_weight"].tolist() == pytest.approx([1.0, 1.0])  # 100% × 100%


def test_applies_to_is_one_rule_for_documents_and_subindicators():
    """A sub-indicator applies to a kind exactly when its documents do (framework.applies_to, the
    one rule the scores, the brief's area list and the tracker use): Dana Desa (A8) is for
    kabupaten only in the bundled 2023 framework."""
    fw = load_framework(2023)
    for kind in ("kabupaten", "kota", "provinsi"):
        subs = fw.subindicators.loc[fw.applies_sub(kind).to_numpy(), "subindicator_code"]
        docs = fw.documents.loc[fw.applies(kind).to_numpy(), "subindicator_code"]
        assert set(subs) == set(docs)
    assert not fw.subindicators.loc[fw.applies_sub("kota").to_numpy(), "area_code"].eq("A8").any()
    assert fw.subindicators.loc[fw.applies_sub("kabupaten").to_numpy(), "area_code"].eq("A8").any()
