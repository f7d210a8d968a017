"""Frameworks with their own levels: a four-level fixture computed by hand (tests/fixtures/four).

Framework (area → sasaran → indikator → sub-indikator); sasaran weights blank, so equal within
their area; sasaran B.2 applies to kabupaten only.

  area A 60: sasaran A.1 (=50): indikator A.1.1 100: sub A.1.1.1 70 (D1 60 + D2 40), A.1.1.2 30 (D1 100)
             sasaran A.2 (=50): indikator A.2.1 40: sub A.2.1.1 100 (D1 50 + D2 50)
                                indikator A.2.2 60: sub A.2.2.1 100 (D1 100)
  area B 40: sasaran B.1 (=50): indikator B.1.1 100: sub B.1.1.1 100 (D1 100)
             sasaran B.2 (=50, kabupaten): indikator B.2.1 100: subs B.2.1.1 50, B.2.1.2 50

Kota Empat, 31 Oct 2025 (penalty 3.1 points in 2025):
  subs       A.1.1.1 = 60 (D2 diunggah), A.1.1.2 = 50 (partial), A.2.1.1 = 50/50 = 100 (D2 tidak
             berlaku), A.2.2.1 = 0, B.1.1.1 = 80
  indikator  A.1.1 = .7·60 + .3·50 = 57, A.2.1 = 100, A.2.2 = 0, B.1.1 = 80
  sasaran    A.1 = 57, A.2 = .4·100 + .6·0 = 40, B.1 = 80 (B.2 does not apply: B is B.1 alone)
  area       A = .5·57 + .5·40 = 48.5, B = 80
  total      .6·48.5 + .4·80 = 61.1, after the penalty 58.0
  claim      A.1.1.1 = 100 → A.1.1 = 85 → A = 62.5 → .6·62.5 + 32 = 69.5, after the penalty 66.4
  per point  A.1.1.1 .6·.5·1·.7 = .21, A.1.1.2 .09, A.2.1.1 .6·.5·.4·(100/50) = .24, A.2.2.1 .18,
             B.1.1.1 .4
  OPD        Bappeda 60·.21 = 12.6 of 21; BPKAD 50·.09 = 4.5 of 9 + 18 = 27; Inspektorat 50·.24 =
             12 of 12; UKPBJ 80·.4 = 32 of 40
Kabupaten Empat, same rows plus B.2.1.1 = 100, B.2.1.2 = 0: B.2 = 50, B = 65,
  total .6·48.5 + .4·65 = 55.1 (no penalty).
"""

import shutil

import pytest
from conftest import FIXTURES, edit_text, framework_problems

from mcp_lib.brief import sections, steps
from mcp_lib.brief.request import BriefRequest
from mcp_lib.errors import InputError
from mcp_lib.framework.folder import load_framework, write_framework
from mcp_lib.framework.model import DEFAULT_LEVELS
from mcp_lib.pemda.settings import load_pemda
from mcp_lib.pemda.snapshot import load_period
from mcp_lib.plan.planner import PlanOptions, plan_path
from mcp_lib.risk.params import CERTAIN
from mcp_lib.scoring import score_kind, score_snapshot

FOUR = FIXTURES / "four"


@pytest.fixture
def fw4():
    return load_framework(2025, FOUR)


@pytest.fixture
def kota4():
    return load_pemda("kota-empat", FOUR)


@pytest.fixture
def scores(fw4, kota4):
    return score_snapshot(fw4, kota4, load_period(kota4, fw4, "2025-10"))


def test_levels_are_read_from_framework_toml(fw4):
    assert [lv.key for lv in fw4.levels] == ["area", "sasaran", "indicator", "subindicator"]
    assert [lv.name for lv in fw4.levels] == ["Area", "Sasaran", "Indikator", "Sub-indikator"]
    assert fw4.detail.key == "indicator"
    assert fw4.summary() == "Uji empat tingkat: 2 area, 4 sasaran, 5 indikator, 7 sub-indikator, 9 dokumen"
    assert fw4.summary("kota") == "Uji empat tingkat: 2 area, 3 sasaran, 4 indikator, 5 sub-indikator, 7 dokumen"
    assert fw4.level_table("sasaran")["sasaran_weight"].tolist() == [50, 50, 50, 50]
    assert [lv.key for lv in fw4.equal_weight_levels] == ["sasaran"]
    # Points of the total one document point is worth when everything applies.
    pw = fw4.documents.set_index("doc_code")["point_weight"]
    assert pw["A.1.1.1.D1"] == pytest.approx(0.6 * 0.5 * 1 * 0.7)
    assert (fw4.documents["point_weight"] * fw4.documents["points"]).sum() == pytest.approx(100)


def test_total_after_the_penalty_and_the_claim(scores):
    assert scores.verified == pytest.approx(58.0)
    assert scores.claim == pytest.approx(66.4)
    assert scores.penalty == pytest.approx(3.1)
    assert scores.band.name == "rentan"


def test_every_level(scores):
    def values(key):
        return scores.levels[key].set_index(f"{key}_code")["verified"].to_dict()

    assert values("subindicator") == pytest.approx(
        {"A.1.1.1": 60, "A.1.1.2": 50, "A.2.1.1": 100, "A.2.2.1": 0, "B.1.1.1": 80}
    )
    assert values("indicator") == pytest.approx({"A.1.1": 57, "A.2.1": 100, "A.2.2": 0, "B.1.1": 80})
    assert values("sasaran") == pytest.approx({"A.1": 57, "A.2": 40, "B.1": 80})
    assert values("area") == pytest.approx({"A": 48.5, "B": 80})
    assert scores.by_area.set_index("area_code")["claim"].to_dict() == pytest.approx({"A": 62.5, "B": 80})
    # The areas' points of the total add up to the total before the penalty.
    assert scores.by_area["points_earned"].sum() == pytest.approx(61.1)


def test_per_opd(scores):
    opd = scores.by_opd.set_index("opd")
    assert opd["points_earned"].to_dict() == pytest.approx(
        {"Bappeda": 12.6, "BPKAD": 4.5, "Inspektorat": 12.0, "UKPBJ": 32.0}
    )
    assert opd["points_max"].to_dict() == pytest.approx({"Bappeda": 21, "BPKAD": 27, "Inspektorat": 12, "UKPBJ": 40})
    assert opd.loc["BPKAD", "verified"] == pytest.approx(100 * 4.5 / 27)


def test_a_kabupaten_has_the_whole_of_area_b(fw4):
    kab = load_pemda("kab-empat", FOUR)
    s = score_snapshot(fw4, kab, load_period(kab, fw4, "2025-10"))
    assert s.verified == pytest.approx(55.1)
    assert s.levels["sasaran"].set_index("sasaran_code")["verified"]["B.2"] == pytest.approx(50)


def test_the_planner_gains_follow_the_four_levels(fw4, kota4):
    """Open documents and what each adds to the total: A.1.1.1.D2 40·.21 = 8.4 (uploaded, 0 days),
    A.1.1.2.D1 50·.09 = 4.5 (4 days), A.2.2.1.D1 100·.18 = 18 (6 days), B.1.1.1.D1 (verified 80
    of 100) 20·.4 = 8 (3 days). From 58.0 to 70: 12 points; after the free 8.4, 3.6 more: B.1.1.1.D1
    in 3 days is the cheapest (A.1.1.2.D1 would take 4)."""
    snap = load_period(kota4, fw4, "2025-10")
    plan = plan_path(fw4, kota4, snap, 70, PlanOptions(risk=CERTAIN))
    gains = plan.documents.set_index("doc_code")["gain"].to_dict()
    assert gains == pytest.approx({"A.1.1.1.D2": 8.4, "B.1.1.1.D1": 8.0})
    assert plan.verdict.effort == 3 and plan.verdict.score_after == pytest.approx(74.4)
    for col in ("sasaran_code", "sasaran_name", "indicator_name", "area_name"):
        assert col in plan.documents


def test_brief_shows_the_detail_level_and_says_the_weights_are_equal(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FOUR, data)
    b = steps.prepare(BriefRequest("kota-empat", "2025-10", data_dir=data))
    detail, methods = sections.detail_table(b), sections.method_section(b)
    assert "Rincian indikator" in detail and "Indikator A22" in detail
    assert "Area → Sasaran → Indikator → Sub-indikator → dokumen bukti" in methods
    assert "dibagi rata" in methods and "sasaran" in methods
    head = sections.headline(b)
    assert "58,0%" in head and "sudah dikurangi penalti 3,1 poin (OTT kepala daerah)" in head


def test_a_long_detail_table_folds_by_area_on_screen_and_prints_whole(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(FOUR, data)
    b = steps.prepare(BriefRequest("kota-empat", "2025-10", data_dir=data))
    assert "fold-toggle" not in sections.detail_table(b)
    monkeypatch.setattr(sections, "COLLAPSE_ROWS", 2)
    html = sections.detail_table(b)
    # one table, one foldable group per area headed by its name (the stylesheet folds it on screen,
    # print shows every row): each indicator once, no area column repeating the heading
    assert html.count("<table") == 1 and html.count('<tbody class="fold">') == 2
    assert '<input type="checkbox" class="fold-toggle">Area A: 3 indikator' in html
    assert html.count("Indikator A22") == 1 and ">Area<" not in html and "<script" not in html


def test_written_and_read_back_the_framework_is_the_same(fw4, tmp_path):
    out = tmp_path / "mcp-2025"
    write_framework(fw4, out)
    again = load_framework(out)
    assert again.levels == fw4.levels and again.detail_level == fw4.detail_level
    assert again.blank_weights == fw4.blank_weights
    assert again.subindicators.equals(fw4.subindicators)
    assert again.documents.equals(fw4.documents)
    assert ",,A.1.1," in (out / "framework.csv").read_text()  # the blank sasaran weight stays blank


def test_three_level_frameworks_write_no_levels():
    fw = load_framework(2023)
    assert fw.levels == DEFAULT_LEVELS and fw.detail.key == "indicator"


# --- what a framework.toml / framework.csv with levels may get wrong ---------------------------


@pytest.fixture
def fw_dir(tmp_path):
    dest = tmp_path / "mcp-2025"
    shutil.copytree(FOUR / "frameworks" / "mcp-2025", dest)
    return dest


def test_some_siblings_weighted_and_some_blank_is_refused(fw_dir):
    edit_text(fw_dir / "framework.csv", "A.2,Sasaran A2,,A.2.1", "A.2,Sasaran A2,30,A.2.1")
    problems = framework_problems(fw_dir)
    assert {(p.row, p.column) for p in problems} == {(2, "sasaran_weight")}
    assert "kosong" in problems[0].message and "A.1" in problems[0].message


def test_given_weights_must_sum_to_100_at_any_level(fw_dir):
    text = (
        (fw_dir / "framework.csv")
        .read_text()
        .replace("Sasaran A1,,", "Sasaran A1,50,")
        .replace("Sasaran A2,,", "Sasaran A2,40,")
    )
    (fw_dir / "framework.csv").write_text(text)
    (p,) = framework_problems(fw_dir)
    assert (p.row, p.column) == (2, "sasaran_weight") and "= 90" in p.message and "dalam A" in p.message


def test_an_item_under_two_parents_is_refused(fw_dir):
    edit_text(fw_dir / "framework.csv", "B,Area B,40,B.1,Sasaran B1,,B.1.1", "B,Area B,40,A.1,Sasaran A1,,B.1.1")
    problems = framework_problems(fw_dir)
    moved = next(p for p in problems if p.column == "area_code")
    assert (moved.row, moved.value, moved.expected) == (6, "B", "A")


def test_a_missing_level_column_is_named(fw_dir):
    text = (fw_dir / "framework.csv").read_text()
    (fw_dir / "framework.csv").write_text(text.replace("sasaran_name", "nama_sasaran"))
    problems = framework_problems(fw_dir)
    assert any(p.column == "sasaran_name" for p in problems)


@pytest.mark.parametrize(
    ("levels", "words"),
    [
        (
            '[[level]]\nkey = "sasaran"\nname = "Sasaran"\n\n[[level]]\nkey = "subindicator"\nname = "Sub"\n',
            "tingkat pertama harus area",
        ),
        (
            '[[level]]\nkey = "area"\nname = "Area"\n\n[[level]]\nkey = "Sasaran Strategis"\nname = "S"\n\n'
            '[[level]]\nkey = "subindicator"\nname = "Sub"\n',
            "key tingkat tidak sah",
        ),
        (
            '[[level]]\nkey = "area"\nname = ""\n\n[[level]]\nkey = "subindicator"\nname = "Sub"\n',
            "nama tingkat kosong",
        ),
        (
            '[[level]]\nkey = "area"\nname = "Area"\nbobot = 3\n\n[[level]]\nkey = "subindicator"\nname = "Sub"\n',
            "tidak dikenal",
        ),
        (
            '[[level]]\nkey = "area"\nname = "Area"\n\n[[level]]\nkey = "area"\nname = "Lagi"\n\n'
            '[[level]]\nkey = "subindicator"\nname = "Sub"\n',
            "key tingkat ganda",
        ),
        (
            '[[level]]\nkey = "area"\nname = "Area"\n\n[[level]]\nkey = "program"\nname = "AREA"\n\n'
            '[[level]]\nkey = "subindicator"\nname = "Sub"\n',
            "nama tingkat ganda",
        ),
    ],
)
def test_bad_levels_are_refused_with_their_line(fw_dir, levels, words):
    toml = fw_dir / "framework.toml"
    head = toml.read_text().split("[[level]]")[0]
    toml.write_text(head + levels)
    problems = framework_problems(fw_dir)
    p = next(p for p in problems if words in p.message)
    assert p.file.endswith("framework.toml")
    if p.row is not None:
        assert toml.read_text().splitlines()[p.row - 1].startswith("[[level]]")


def test_an_unknown_detail_level_is_refused(fw_dir):
    edit_text(fw_dir / "framework.toml", 'detail_level = "indicator"', 'detail_level = "indikator"')
    (p,) = framework_problems(fw_dir)
    assert p.column == "detail_level" and "sasaran" in p.expected
    assert (fw_dir / "framework.toml").read_text().splitlines()[p.row - 1].startswith("detail_level")


def test_a_two_level_framework_scores(tmp_path):
    """Area → sub-indikator (shown as "Indikator"): documents hang under the second level."""
    import pandas as pd

    folder = tmp_path / "mcp-2030"
    folder.mkdir()
    (folder / "framework.toml").write_text(
        'year = 2030\n\n[[level]]\nkey = "area"\nname = "Area"\n\n[[level]]\nkey = "subindicator"\nname = "Indikator"\n'
    )
    (folder / "framework.csv").write_text(
        "area_code,area_name,area_weight,subindicator_code,subindicator_name,subindicator_weight\n"
        "A,Satu,,A.1,Ind A1,25\nA,Satu,,A.2,Ind A2,75\nB,Dua,,B.1,Ind B1,\n"
    )
    (folder / "evidence.csv").write_text(
        "subindicator_code,doc_code,doc_name,points\nA.1,A.1.D1,d,100\nA.2,A.2.D1,d,100\nB.1,B.1.D1,d,100\n"
    )
    shutil.copy(FOUR / "frameworks" / "mcp-2025" / "bands.csv", folder)
    fw = load_framework(folder)
    assert fw.detail.key == "subindicator" and fw.detail.name == "Indikator"
    from mcp_lib.pemda.snapshot import Snapshot

    docs = pd.DataFrame(
        {
            "doc_code": ["A.1.D1", "A.2.D1", "B.1.D1"],
            "opd": "X",
            "status": "diverifikasi",
            "verified_points": [100.0, 0.0, 50.0],
            "effort_days": None,
            "due_date": None,
            "blocker": "",
            "note": "",
        }
    )
    import datetime as dt

    s = score_kind(fw, "kota", Snapshot(date=dt.date(2030, 6, 30), path=folder, documents=docs))
    assert s.verified == pytest.approx(0.5 * 25 + 0.5 * 50)
    assert set(s.levels) == {"area", "subindicator"}


# --- the tracker and the KPK importer on four levels ----------------------------------------------


def test_the_tracker_has_a_column_per_level_and_imports(tmp_path):
    from openpyxl import load_workbook

    from mcp_lib.pemda.tracker import export_tracker
    from mcp_lib.pemda.tracker_import import import_tracker

    data = tmp_path / "data"
    shutil.copytree(FOUR, data)
    pemda = load_pemda("kota-empat", data)
    fw = load_framework(2025, data)
    path = export_tracker(pemda, fw, "2025-10", tmp_path / "tracker.xlsx")
    ws = load_workbook(path)["Status"]
    headers = [c.value for c in ws[1]]
    assert headers[:6] == ["Kode dokumen", "Area", "Sasaran", "Indikator", "Sub-indikator", "Dokumen bukti"]
    assert ws.max_row == 1 + 7  # the kota's seven documents
    assert ws.cell(row=2, column=3).value == "Sasaran A1"
    status_col = headers.index("Status") + 1
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=1).value == "A.2.2.1.D1")
    ws.cell(row=row, column=status_col, value="diunggah")
    wb = ws.parent
    wb.save(path)
    import datetime as dt

    written = import_tracker(path, pemda, fw, dt.date(2025, 11, 15))
    from mcp_lib.pemda.snapshot import load_snapshot

    s = score_snapshot(fw, pemda, load_snapshot(written, fw, pemda, dt.date(2025, 11, 15)))
    assert s.verified == pytest.approx(58.0) and s.claim == pytest.approx(66.4 + 18)


def test_a_misaligned_four_level_tracker_names_the_sasaran_column(tmp_path):
    from openpyxl import load_workbook

    from mcp_lib.pemda.tracker import export_tracker
    from mcp_lib.pemda.tracker_import import read_tracker

    data = tmp_path / "data"
    shutil.copytree(FOUR, data)
    pemda = load_pemda("kota-empat", data)
    fw = load_framework(2025, data)
    path = export_tracker(pemda, fw, "2025-10", tmp_path / "tracker.xlsx")
    wb = load_workbook(path)
    ws = wb["Status"]
    ws.cell(row=2, column=3, value="Sasaran B1")  # a grey cell of another row's item
    wb.save(path)
    import datetime as dt

    with pytest.raises(InputError) as err:
        read_tracker(path, pemda, fw, dt.date(2025, 11, 15))
    (p,) = err.value.problems
    assert (p.row, p.column) == (2, "C Sasaran")


KPK4 = (
    "instansi,area_intervensi,bobot_area_intervensi,sasaran,bobot_sasaran,indikator,bobot_indikator,"
    "sub_indikator,bobot_subindikator,nilai,nilai_verifikasi,tgl_lapor,tgl_verif,dana_desa\n"
    "Kab. Empat,Perencanaan,50,Sas P1,60,Ind P1,100,Sub P1a,100,100,80,2025-05-10,2025-10-30,0\n"
    "Kab. Empat,Perencanaan,50,Sas P2,40,Ind P2,100,Sub P2a,100,100,100,2025-05-10,2025-10-30,0\n"
    "Kab. Empat,Pengadaan,50,Sas B1,100,Ind B1,50,Sub B1a,100,60,,2025-05-10,,0\n"
    "Kab. Empat,Pengadaan,50,Sas B1,100,Ind B2,50,Sub B2a,100,100,100,2025-05-10,2025-10-30,0\n"
)


def test_a_kpk_export_with_sasaran_gives_four_levels(tmp_path):
    """Verified: .5·(.6·80 + .4·100) + .5·(.5·0 + .5·100) = .5·88 + .5·50 = 69; claim adds B1a
    (60 claimed, not verified yet) in full: .5·(.5·100 + .5·100) → 94."""
    from mcp_lib.pemda.kpk import import_kpk_export

    path = tmp_path / "kpk.csv"
    path.write_text(KPK4, encoding="utf-8")
    imp = import_kpk_export(path, 2025)
    fw = imp.framework
    assert [lv.key for lv in fw.levels] == ["area", "sasaran", "indicator", "subindicator"]
    assert fw.level_table("sasaran")["sasaran_code"].tolist() == ["A1.1", "A1.2", "A2.1"]
    assert fw.subindicators["subindicator_code"].tolist() == ["A1.1.1.1", "A1.2.1.1", "A2.1.1.1", "A2.1.2.1"]
    s = score_kind(fw, imp.kind, imp.snapshot)
    assert s.verified == pytest.approx(69) and s.claim == pytest.approx(94)
    assert s.band.name == "rentan"  # 2025 bands


def test_a_kpk_export_with_sasaran_on_some_rows_only_is_refused(tmp_path):
    from mcp_lib.pemda.kpk import import_kpk_export

    path = tmp_path / "kpk.csv"
    path.write_text(KPK4.replace("Pengadaan,50,Sas B1,100,Ind B2", "Pengadaan,50,,,Ind B2"), encoding="utf-8")
    with pytest.raises(InputError) as err:
        import_kpk_export(path, 2025)
    assert {(p.row, p.column) for p in err.value.problems} == {(5, "sasaran")}
