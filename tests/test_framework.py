import shutil

import pytest
from conftest import TINY, Y2024

from mcp_lib.errors import InputError
from mcp_lib.framework import load_framework


def test_bundled_2023_framework_shape():
    fw = load_framework(2023)
    assert (len(fw.areas), len(fw.level_table("indicator")), len(fw.subindicators)) == (8, 30, 63)
    assert 130 <= len(fw.documents) <= 160
    assert fw.documents.groupby("subindicator_code").size().between(1, 3).all()
    assert abs(fw.areas["area_weight"].sum() - 100) < 0.01
    assert (
        fw.level_table("indicator").groupby("area_code")["indicator_weight"].sum().sub(100).abs() < 0.01
    ).all()
    assert (
        fw.subindicators.groupby("indicator_code")["subindicator_weight"].sum().sub(100).abs() < 0.01
    ).all()
    assert (fw.documents.groupby("subindicator_code")["points"].sum() == 100).all()
    dana_desa = fw.subindicators[fw.subindicators["area_name"] == "Tata Kelola Dana Desa"]
    assert len(dana_desa) == 5
    assert all(kinds == ("kabupaten",) for kinds in dana_desa["applies_to"])
    assert "rekonstruksi" in fw.label
    assert [b.name for b in fw.bands.items] == ["Merah", "Kuning", "Biru", "Hijau"]
    # Every document's full points, through all three weight levels, add up to 100.
    assert abs((fw.documents["point_weight"] * fw.documents["points"]).sum() - 100) < 0.01


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


@pytest.mark.parametrize(
    ("score", "band"),
    [(0, "rentan"), (72.99, "rentan"), (73, "waspada"), (77.9, "waspada"), (78, "terjaga"), (100, "terjaga")],
)
def test_bands_2024_come_from_the_framework_files(score, band):
    assert load_framework(2024, Y2024).bands.classify(score).name == band


def test_2024_shaped_framework_loads():
    fw = load_framework(2024, Y2024)
    names = set(fw.areas["area_name"])
    assert {"Perencanaan", "Penganggaran", "Pelayanan Publik"} <= names
    assert not any("Dana Desa" in n for n in names)
    assert fw.year == 2024


def test_framework_year_not_found_names_where_it_looked(tmp_path):
    with pytest.raises(InputError) as err:
        load_framework(1999, tmp_path)
    assert "1999" in str(err.value)
    assert str(tmp_path / "frameworks" / "mcp-1999") in str(err.value)


@pytest.fixture
def fw_dir(tmp_path):
    dest = tmp_path / "mcp-2023"
    shutil.copytree(TINY / "frameworks" / "mcp-2023", dest)
    return dest


def _problems(folder):
    with pytest.raises(InputError) as err:
        load_framework(folder)
    return err.value.problems


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_subindicator_weights_not_summing_to_100(fw_dir):
    _edit(fw_dir / "framework.csv", "B.1.2,Sub B12,30", "B.1.2,Sub B12,35")
    (p,) = _problems(fw_dir)
    assert (p.file.endswith("framework.csv"), p.row, p.column) == (True, 5, "subindicator_weight")
    assert "B.1" in p.message and "105" in p.message


def test_area_weights_not_summing_to_100_and_inconsistent_repeats(fw_dir):
    _edit(fw_dir / "framework.csv", "C,Dana Desa,20", "C,Dana Desa,25")
    _edit(fw_dir / "framework.csv", "A,Area A,50,A.2", "A,Area A,55,A.2")
    problems = _problems(fw_dir)
    assert any(p.column == "area_weight" and "105" in p.message for p in problems)
    assert any(p.column == "area_weight" and p.row == 4 and p.value == 55 for p in problems)


def test_unknown_subindicator_in_evidence_and_duplicate_document(fw_dir):
    with open(fw_dir / "evidence.csv", "a", encoding="utf-8") as f:
        f.write("Z.9.9,Z.9.9.D1,Hantu,100\nC.1.1,C.1.1.D1,Dok C11 lagi,0\n")
    problems = _problems(fw_dir)
    unknown = next(p for p in problems if p.value == "Z.9.9")
    assert (unknown.row, unknown.column) == (11, "subindicator_code")
    dup = next(p for p in problems if "ganda" in p.message)
    assert (dup.row, dup.column, dup.value) == (12, "doc_code", "C.1.1.D1")
    assert "baris 10" in dup.message


def test_document_points_not_summing_to_100(fw_dir):
    _edit(fw_dir / "evidence.csv", "A.1.1.D2,Dok A11 dua,40", "A.1.1.D2,Dok A11 dua,45")
    (p,) = _problems(fw_dir)
    assert (p.row, p.column) == (2, "points")
    assert "A.1.1" in p.message and "105" in p.message


def test_missing_file_and_bad_applies_to(fw_dir):
    (fw_dir / "bands.csv").unlink()
    _edit(fw_dir / "framework.csv", "kabupaten,DPMD", "desa,DPMD")
    problems = _problems(fw_dir)
    assert any(p.file.endswith("bands.csv") and "tidak ditemukan" in p.message for p in problems)
    assert any(p.column == "applies_to" and p.row == 7 and p.value == "desa" for p in problems)


def test_xlsx_framework_is_read_like_csv(fw_dir):
    import pandas as pd

    for name in ("framework", "evidence"):
        pd.read_csv(fw_dir / f"{name}.csv", dtype=str).to_excel(fw_dir / f"{name}.xlsx", index=False)
        (fw_dir / f"{name}.csv").unlink()
    fw = load_framework(fw_dir)
    assert len(fw.documents) == 9


def test_indicator_listed_under_two_areas(fw_dir):
    _edit(
        fw_dir / "framework.csv",
        "B,Area B,30,B.1,Indikator B1,100,B.1.2",
        "B,Area B,30,A.2,Indikator A2,40,B.1.2",
    )
    problems = _problems(fw_dir)
    moved = next(p for p in problems if p.column == "area_code")
    assert (moved.row, moved.value, moved.expected) == (6, "B", "A")


def test_framework_is_read_once_per_process_and_reread_when_changed(tmp_path):
    """A batch reads the same framework for every pemda: cached, but never stale, never shared."""
    from mcp_lib import framework as fwmod

    folder = tmp_path / "mcp-2023"
    shutil.copytree(fwmod.find_framework(2023), folder)
    first = load_framework(folder)
    first.documents.loc[0, "points"] = 999  # a caller changing its copy
    again = load_framework(folder)
    assert again.documents.loc[0, "points"] != 999
    broken = folder / "framework.csv"
    broken.write_text(broken.read_text(encoding="utf-8") + "X.9;Bogus;abc\n", encoding="utf-8")
    with pytest.raises(InputError):
        load_framework(folder)
