"""A pemda on the bundled 2024-shaped framework: its scores, and how the brief names a framework
change between last year's final score and this year's. The framework's own shape:
test_sample_frameworks.py."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

from mcp_lib.brief import data, sections, steps
from mcp_lib.brief.request import BriefRequest
from mcp_lib.framework.folder import load_framework
from mcp_lib.pemda.settings import load_pemda
from mcp_lib.pemda.snapshot import load_period
from mcp_lib.scoring import score_snapshot

ADDED = ("Perencanaan", "Penganggaran", "Pelayanan Publik")
REMOVED_KAB = ("Perencanaan dan Penganggaran APBD", "Perizinan dan PTSP", "Tata Kelola Dana Desa")
CHANGE_KAB = (
    "Area baru: Perencanaan, Penganggaran, Pelayanan Publik; area yang tidak ada lagi: "
    "Perencanaan dan Penganggaran APBD, Perizinan dan PTSP, Tata Kelola Dana Desa."
)


@pytest.fixture(scope="module")
def fw24():
    return load_framework(2024)


@pytest.fixture(scope="module")
def fw23():
    return load_framework(2023)


def make_pemda_2024(
    root: Path, slug: str, kind: str, verified_areas: set[str], finals: dict[int, float] | None = None
) -> Path:
    """A 2024 pemda folder at ``<root>/pemda/<slug>``: ``pemda.toml`` and ``status/2024-09-30.csv``
    with one row per applicable document; the documents of ``verified_areas`` (area codes) are
    verified in full, the rest not started."""
    fw = load_framework(2024)
    folder = root / "pemda" / slug
    (folder / "status").mkdir(parents=True)
    finals_toml = "".join(f"{y} = {s}\n" for y, s in (finals or {}).items())
    (folder / "pemda.toml").write_text(
        f'name = "Uji {slug}"\nkind = "{kind}"\nprovince = "Provinsi Uji"\nframework = 2024\ntarget = 90\n'
        f"deadline = 2024-12-31\n" + (f"\n[final_scores]\n{finals_toml}" if finals else ""),
        encoding="utf-8",
    )
    docs = fw.documents[fw.applies(kind).to_numpy()]
    done = docs["area_code"].isin(verified_areas)
    pd.DataFrame(
        {
            "doc_code": docs["doc_code"],
            "opd": docs["default_opd"].str.split(";").str[0],
            "status": done.map({True: "diverifikasi", False: "belum"}),
            "verified_points": docs["points"].where(done),
            "effort_days": 3,
            "due_date": "2024-11-30",
            "blocker": "",
            "note": "",
        }
    ).to_csv(folder / "status" / "2024-09-30.csv", index=False, float_format="%g")
    return folder


# --- a 2024 pemda --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "areas", "verified", "band"),
    [
        ("kota", {"A1", "A2", "A3", "A5", "A6", "A7"}, 75.0, "waspada"),
        ("kabupaten", {"A1", "A2", "A3", "A4", "A5", "A6", "A8"}, 87.5, "terjaga"),
    ],
)
def test_a_kota_and_a_kabupaten_score(tmp_path, kind, areas, verified, band):
    make_pemda_2024(tmp_path, f"uji-{kind}", kind, areas)
    pemda = load_pemda(f"uji-{kind}", tmp_path)
    fw = load_framework(pemda.framework_year, pemda.data_root)
    s = score_snapshot(fw, pemda, load_period(pemda, fw, "2024-09"))
    assert s.verified == pytest.approx(verified)
    assert s.band.name == band
    assert len(s.by_area) == 8


# --- framework change --------------------------------------------------------------------------


def test_framework_change_2023_to_2024_names_the_areas(fw23, fw24):
    change = data.framework_change(fw23, fw24)
    assert (change.old_year, change.new_year, change.available) == (2023, 2024, True)
    assert change.added == ADDED
    assert change.removed == REMOVED_KAB
    assert data.framework_change(fw23, fw24, kind="kabupaten") == change
    # Dana Desa never counted for a kota: a kota is not told it disappeared.
    kota = data.framework_change(fw23, fw24, kind="kota")
    assert kota.removed == REMOVED_KAB[:2] and kota.added == ADDED
    text = data.framework_change_text(change)
    assert "kerangka MCP 2023" in text and "kerangka MCP 2024" in text and "hanya nilai total" in text
    assert text.endswith(CHANGE_KAB)


def test_framework_change_same_year_unavailable_and_same_areas(fw23, fw24):
    assert data.framework_change(fw24, fw24) is None
    assert data.framework_change(None, fw24) is None
    assert data.framework_change(None, fw24, old_year=2024) is None
    missing = data.framework_change(None, fw23, old_year=2022)
    assert (missing.old_year, missing.available, missing.added, missing.removed) == (2022, False, (), ())
    assert not missing.areas_differ
    assert "Kerangka MCP 2022 tidak tersedia" in data.framework_change_text(missing)
    same = data.framework_change(dataclasses.replace(fw23, year=2022), fw23)
    assert same.available and not same.areas_differ
    assert "Area baru" not in data.framework_change_text(same)


def test_area_names_compare_ignoring_case_and_spacing(fw23):
    subs = fw23.subindicators.copy()
    subs["area_name"] = subs["area_name"].str.upper().str.replace(" ", "  ")
    old = dataclasses.replace(fw23, year=2022, subindicators=subs)
    assert not data.framework_change(old, fw23).areas_differ


@pytest.fixture(scope="module")
def brief_2024(tmp_path_factory):
    root = tmp_path_factory.mktemp("data")
    make_pemda_2024(root, "kab-uji", "kabupaten", {"A1", "A2", "A3", "A5", "A6"}, {2022: 80, 2023: 87})
    return steps.prepare(BriefRequest("kab-uji", "2024-09", data_dir=root))


def test_brief_of_a_2024_pemda_names_the_framework_change(brief_2024):
    b = brief_2024
    assert b.pemda.last_final == (2023, 87)
    assert b.framework_change == data.FrameworkChange(2023, 2024, True, ADDED, REMOVED_KAB)
    head = sections.headline(b)
    assert "Nilai akhir 2023" in head and "87,0%" in head
    assert 'class="notice framework-change"' in head
    assert "Nilai akhir 2023 dihitung dengan kerangka MCP 2023, nilai tahun ini dengan kerangka MCP 2024" in head
    assert CHANGE_KAB in head
    assert CHANGE_KAB in sections.method_section(b)
    assert b.scores.band.name == "rentan"  # 5 of 8 areas verified: 62,5


def test_framework_change_text_is_escaped(brief_2024):
    hostile = data.FrameworkChange(2023, 2024, True, ("<script>alert(1)</script> & Area",), ("<b>Lama</b>",))
    b = dataclasses.replace(brief_2024, framework_change=hostile)
    html = sections.headline(b) + sections.method_section(b)
    assert "<script" not in html and "<b>Lama" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Area" in html and "&lt;b&gt;Lama&lt;/b&gt;" in html


def test_2023_sample_brief_says_nothing_about_areas():
    """Lubuklinggau's last final is 2022, whose framework is not bundled: the headline compares
    totals as before and names no areas; the method section says the 2022 framework is missing."""
    b = steps.prepare(BriefRequest("kota-lubuklinggau", "2023-10"))
    assert b.framework_change == data.FrameworkChange(2022, 2023, False)
    head = sections.headline(b)
    assert "Nilai akhir 2022" in head
    assert "framework-change" not in head and "kerangka MCP" not in head
    html = "".join(f(b) for f in (sections.title, sections.headline, sections.trend_section, sections.method_section))
    assert "Area baru" not in html and "tidak ada lagi" not in html
    assert "Kerangka MCP 2022 tidak tersedia di data" in sections.method_section(b)


def test_a_pemda_without_earlier_finals_gets_no_change(tmp_path):
    make_pemda_2024(tmp_path, "kota-uji", "kota", {"A1"})
    pemda = load_pemda("kota-uji", tmp_path)
    fw = load_framework(2024, tmp_path)
    assert pemda.last_final is None
    assert data.last_final_change(pemda, fw) is None


def test_last_final_framework_found_under_the_data_root_first(tmp_path, fw23):
    """A 2023 framework in the pemda's own data root is the one compared (here: one whose areas
    match 2024's, so no area changes)."""
    from mcp_lib.framework.folder import write_framework

    make_pemda_2024(tmp_path, "kota-uji", "kota", {"A1"}, {2023: 70})
    fw24 = load_framework(2024, tmp_path)
    local = dataclasses.replace(fw24, year=2023, label="MCP 2023 lokal", upload_close=None, final_date=None)
    write_framework(local, tmp_path / "frameworks" / "mcp-2023")
    change = data.last_final_change(load_pemda("kota-uji", tmp_path), fw24)
    assert change.available and not change.areas_differ
