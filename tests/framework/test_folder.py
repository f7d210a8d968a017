"""A framework's files (mcp_lib.framework.folder): finding a year's folder, reading CSV or XLSX
tables and framework.toml, the per-process cache."""

import shutil

import pytest
from conftest import Y2024

from mcp_lib.errors import InputError
from mcp_lib.framework.folder import load_framework


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


def test_xlsx_framework_is_read_like_csv(tiny_fw_dir):
    import pandas as pd

    for name in ("framework", "evidence"):
        pd.read_csv(tiny_fw_dir / f"{name}.csv", dtype=str).to_excel(tiny_fw_dir / f"{name}.xlsx", index=False)
        (tiny_fw_dir / f"{name}.csv").unlink()
    fw = load_framework(tiny_fw_dir)
    assert len(fw.documents) == 9


def test_framework_is_read_once_per_process_and_reread_when_changed(tmp_path):
    """A batch reads the same framework for every pemda: cached, but never stale, never shared."""
    from mcp_lib.framework import folder as fwmod

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


def test_methods_and_windows_round_trip_and_a_framework_without_them_writes_neither(tmp_path):
    import shutil

    from conftest import METHODS, TINY

    from mcp_lib.framework.folder import load_framework, write_framework

    shutil.copytree(METHODS / "frameworks" / "mcp-2026", tmp_path / "in")
    table = (tmp_path / "in" / "framework.csv").read_text(encoding="utf-8").splitlines()
    table[0] += ",deadline,late_share,area_short"
    table[1:] = [
        row + tail for row, tail in zip(table[1:], (",2026-03-31,0.5,PRC", ",,,PRC", ",,,PAD", ",,,PAD"), strict=True)
    ]
    (tmp_path / "in" / "framework.csv").write_text("\n".join(table) + "\n", encoding="utf-8")
    fw = load_framework(tmp_path / "in")
    write_framework(fw, tmp_path / "mcp-2026")
    back = load_framework(tmp_path / "mcp-2026")
    columns = ["deadline", "late_share", "area_short"]
    assert back.subindicators[columns].equals(fw.subindicators[columns])
    assert fw.subindicators["deadline"].iloc[0] == __import__("datetime").date(2026, 3, 31)
    assert back.subindicators["method"].tolist() == fw.subindicators["method"].tolist()
    assert back.documents["window"].tolist() == fw.documents["window"].tolist()
    assert back.methods == fw.methods
    plain = load_framework(2023, TINY)
    write_framework(plain, tmp_path / "mcp-2023")
    header = (tmp_path / "mcp-2023" / "framework.csv").read_text().splitlines()[0]
    assert not {"method", "deadline", "late_share", "area_short"} & set(header.split(","))
    assert "window" not in (tmp_path / "mcp-2023" / "evidence.csv").read_text().splitlines()[0]
