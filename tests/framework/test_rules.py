"""The rules of a framework (mcp_lib.framework.rules), as framework.csv and evidence.csv break
them: every problem with its file, row, column and value."""

from conftest import edit_text, framework_problems


def test_subindicator_weights_not_summing_to_100(tiny_fw_dir):
    edit_text(tiny_fw_dir / "framework.csv", "B.1.2,Sub B12,30", "B.1.2,Sub B12,35")
    (p,) = framework_problems(tiny_fw_dir)
    assert (p.file.endswith("framework.csv"), p.row, p.column) == (True, 5, "subindicator_weight")
    assert "B.1" in p.message and "105" in p.message


def test_area_weights_not_summing_to_100_and_inconsistent_repeats(tiny_fw_dir):
    edit_text(tiny_fw_dir / "framework.csv", "C,Dana Desa,20", "C,Dana Desa,25")
    edit_text(tiny_fw_dir / "framework.csv", "A,Area A,50,A.2", "A,Area A,55,A.2")
    problems = framework_problems(tiny_fw_dir)
    assert any(p.column == "area_weight" and "105" in p.message for p in problems)
    assert any(p.column == "area_weight" and p.row == 4 and p.value == 55 for p in problems)


def test_unknown_subindicator_in_evidence_and_duplicate_document(tiny_fw_dir):
    with open(tiny_fw_dir / "evidence.csv", "a", encoding="utf-8") as f:
        f.write("Z.9.9,Z.9.9.D1,Hantu,100\nC.1.1,C.1.1.D1,Dok C11 lagi,0\n")
    problems = framework_problems(tiny_fw_dir)
    unknown = next(p for p in problems if p.value == "Z.9.9")
    assert (unknown.row, unknown.column) == (11, "subindicator_code")
    dup = next(p for p in problems if "ganda" in p.message)
    assert (dup.row, dup.column, dup.value) == (12, "doc_code", "C.1.1.D1")
    assert "baris 10" in dup.message


def test_document_points_not_summing_to_100(tiny_fw_dir):
    edit_text(tiny_fw_dir / "evidence.csv", "A.1.1.D2,Dok A11 dua,40", "A.1.1.D2,Dok A11 dua,45")
    (p,) = framework_problems(tiny_fw_dir)
    assert (p.row, p.column) == (2, "points")
    assert "A.1.1" in p.message and "105" in p.message


def test_missing_file_and_bad_applies_to(tiny_fw_dir):
    (tiny_fw_dir / "bands.csv").unlink()
    edit_text(tiny_fw_dir / "framework.csv", "kabupaten,DPMD", "desa,DPMD")
    problems = framework_problems(tiny_fw_dir)
    assert any(p.file.endswith("bands.csv") and "tidak ditemukan" in p.message for p in problems)
    assert any(p.column == "applies_to" and p.row == 7 and p.value == "desa" for p in problems)


def test_indicator_listed_under_two_areas(tiny_fw_dir):
    edit_text(
        tiny_fw_dir / "framework.csv",
        "B,Area B,30,B.1,Indikator B1,100,B.1.2",
        "B,Area B,30,A.2,Indikator A2,40,B.1.2",
    )
    problems = framework_problems(tiny_fw_dir)
    moved = next(p for p in problems if p.column == "area_code")
    assert (moved.row, moved.value, moved.expected) == (6, "B", "A")


# ---------------------------------------------------------------- scoring methods per item


def _methods_copy(tmp_path):
    import shutil

    from conftest import METHODS

    folder = tmp_path / "mcp-2026"
    shutil.copytree(METHODS / "frameworks" / "mcp-2026", folder)
    return folder


def test_an_unknown_method_is_refused_on_its_row_and_column(tmp_path):
    folder = _methods_copy(tmp_path)
    edit_text(folder / "framework.csv", "BINER_0_100", "BINNER")
    edit_text(folder / "framework.csv", "target=80", "target=delapan")
    unknown, bad_target = framework_problems(folder)
    assert (unknown.row, unknown.column, unknown.value) == (2, "method", "BINNER")
    assert "tidak dikenal" in unknown.message and "BINER_0_100" in unknown.expected
    assert (bad_target.row, bad_target.column) == (5, "method")
    assert "bukan angka" in bad_target.message and bad_target.expected == "target=<angka > 0>"


def test_periods_beyond_the_documents_windows_are_refused(tmp_path):
    """BOBOT_TAHUN periode=3 over documents of two windows could never reach 100."""
    folder = _methods_copy(tmp_path)
    edit_text(folder / "framework.csv", "BOBOT_TAHUN periode=2", "BOBOT_TAHUN periode=3")
    (p,) = framework_problems(folder)
    assert (p.file.endswith("evidence.csv"), p.row, p.column) == (True, 8, "window")
    assert "2 jendela data" in p.message and "B.1" in p.message


def test_methods_are_kept_canonical_and_a_blank_cell_is_document_points(tmp_path):
    from mcp_lib.framework.folder import load_framework

    folder = _methods_copy(tmp_path)
    edit_text(folder / "framework.csv", "BOBOT_TAHUN periode=2", "bobot_tahun   PERIODE=2")
    edit_text(folder / "framework.csv", "BINER_0_100", "")
    fw = load_framework(folder)
    assert fw.subindicators.set_index("subindicator_code")["method"].to_dict() == {
        "A.1": "",
        "A.2": "BERTINGKAT_0_80_100",
        "B.1": "BOBOT_TAHUN periode=2",
        "B.2": "AMBANG_REALISASI target=80",
    }
    assert sorted(fw.methods) == ["A.2", "B.1", "B.2"]


def test_a_deadline_needs_its_late_share_and_the_other_way_round(tmp_path):
    folder = _methods_copy(tmp_path)
    text = (folder / "framework.csv").read_text(encoding="utf-8").splitlines()
    text[0] += ",deadline,late_share,area_short"
    text[1] += ",2026-03-31,,PRC"
    text[2] += ",2026-03-31,0.5,PRC"
    text[3] += ",,0.5,PAD"
    text[4] += ",,,PEND"
    (folder / "framework.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    found = {(p.row, p.column) for p in framework_problems(folder)}
    assert found == {(2, "late_share"), (4, "deadline"), (5, "area_short")}


def test_a_deadline_that_is_not_a_date_is_told_once(tmp_path):
    """'31 Maret' in the deadline cell: the date is refused, and the share beside it is not also
    called a share without a deadline."""
    folder = _methods_copy(tmp_path)
    text = (folder / "framework.csv").read_text(encoding="utf-8").splitlines()
    text[0] += ",deadline,late_share"
    text[1] += ",31 Maretan,0.5"
    text[2:] = [r + ",," for r in text[2:]]
    (folder / "framework.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    (p,) = framework_problems(folder)
    assert (p.row, p.column) == (2, "deadline")


def test_a_document_of_a_periods_item_without_a_window_is_refused(tmp_path):
    """A document of B.1 (BOBOT_TAHUN periode=2) without its window would be a period of its own."""
    folder = _methods_copy(tmp_path)
    edit_text(folder / "evidence.csv", "Laporan rekonsiliasi TA 2025,25,TA 2025", "Laporan rekonsiliasi TA 2025,25,")
    (p,) = framework_problems(folder)
    assert (p.file.endswith("evidence.csv"), p.row, p.column) == (True, 11, "window")
    assert "tanpa jendela data" in p.message
