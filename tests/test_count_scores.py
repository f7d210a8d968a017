"""Scores from the dashboard's counts (count_scores.py): hand-computed totals for a kota (Dana Desa
left out) and a kabupaten, the year's penalty, and counts made from a snapshot scoring as the
snapshot's documents do, also after the sample sheet's rounding."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from conftest import FIXTURES
from counts_sheet import SAMPLE

from mcp_lib.count_scores import BASIS, counts_from_snapshot, score_counts
from mcp_lib.framework.folder import load_framework
from mcp_lib.pemda.counts import COUNTS, AreaCounts, read_counts
from mcp_lib.pemda.settings import load_pemda
from mcp_lib.pemda.snapshot import load_period
from mcp_lib.scoring import score_snapshot


def _counts(rows: list[tuple], date: dt.date = dt.date(2023, 10, 31)) -> AreaCounts:
    areas = pd.DataFrame(rows, columns=["area_code", "area_name", "area_score", *COUNTS])
    return AreaCounts(date=date, areas=areas)


def test_a_kota_is_scored_over_its_areas_only(tiny_fw, kota):
    # Area A weighs 50, B 30; Dana Desa (20) does not apply to a kota: A 62,5%, B 37,5%
    counts = _counts([("A", "Area A", 80.0, 10, 8, 5, 1, 2, 2), ("B", "Area B", 40.0, 4, 2, 1, 0, 1, 2)])
    scores = score_counts(tiny_fw, kota, counts)
    assert scores.verified == pytest.approx(65.0)  # 80 × 0,625 + 40 × 0,375 = 50 + 15
    assert scores.weighted == scores.verified and scores.penalty == 0
    assert scores.band.name == "Biru"  # 50 ≤ 65 < 75
    assert scores.progress == pytest.approx(100 * 10 / 14) and scores.accepted_share == pytest.approx(100 * 6 / 14)
    areas = scores.areas.set_index("area_code")
    assert list(areas["weight"]) == [62.5, 37.5] and list(areas["area_weight"]) == [50.0, 30.0]
    assert list(areas["points"]) == [50.0, 15.0] and list(areas["points_open"]) == [12.5, 22.5]
    assert list(areas["progress"]) == [80.0, 50.0] and list(areas["accepted_share"]) == [50.0, 25.0]
    assert list(areas["band"]) == ["Hijau", "Kuning"]
    assert scores.basis == BASIS and "bukan dari dokumen" in BASIS


def test_a_kabupaten_counts_dana_desa(tiny_fw, kab):
    counts = _counts(
        [
            ("A", "Area A", 80.0, 10, 8, 5, 1, 2, 2),
            ("B", "Area B", 40.0, 4, 2, 1, 0, 1, 2),
            ("C", "Dana Desa", 10.0, 5, 1, 1, 0, 0, 4),
        ]
    )
    scores = score_counts(tiny_fw, kab, counts)
    assert scores.verified == pytest.approx(54.0)  # 80 × 0,5 + 40 × 0,3 + 10 × 0,2 = 40 + 12 + 2
    assert list(scores.areas["weight"]) == [50.0, 30.0, 20.0]
    assert scores.band.name == "Biru"


def test_the_years_penalty_comes_off_the_total():
    fw, pemda = load_framework(2025, FIXTURES / "four"), load_pemda("kota-empat", FIXTURES / "four")
    counts = _counts(
        [("A", "Area A", 70.0, 5, 5, 4, 1, 0, 0), ("B", "Area B", 50.0, 1, 1, 1, 0, 0, 0)], dt.date(2025, 10, 31)
    )
    scores = score_counts(fw, pemda, counts)
    assert scores.weighted == pytest.approx(62.0)  # 70 × 0,6 + 50 × 0,4
    assert scores.verified == pytest.approx(58.9) and scores.penalty == pytest.approx(3.1)
    assert scores.penalty_reason == "OTT kepala daerah" and scores.band.name == "rentan"
    assert list(scores.areas["points"]) == pytest.approx([42.0, 20.0])  # areas are not affected


@pytest.mark.parametrize(("name", "period"), [("kota-lubuklinggau", "2023-10"), ("kab-musi-rawas", "2025-10")])
def test_counts_of_a_snapshot_score_as_its_documents(name, period):
    pemda = load_pemda(name)
    fw = load_framework(pemda.framework_year)
    snap = load_period(pemda, fw, period)
    by_documents = score_snapshot(fw, pemda, snap)
    counts = counts_from_snapshot(fw, pemda, snap)
    by_counts = score_counts(fw, pemda, counts)
    assert by_counts.verified == pytest.approx(by_documents.verified, abs=1e-9)
    assert list(by_counts.areas["area_code"]) == list(by_documents.by_area["area_code"])
    assert list(by_counts.areas["area_score"]) == pytest.approx(list(by_documents.by_area["verified"]))
    assert by_counts.band == by_documents.band
    docs = by_documents.by_area
    assert list(counts.areas["required"]) == list(docs["documents"])
    assert list(counts.areas["awaiting"]) == list(docs["awaiting"])
    assert list(counts.areas["returned"]) == list(docs["rejected"])
    # the dashboard counts a returned document as uploaded; the document score's progress does not
    assert list(counts.areas["uploaded"]) == list(docs["uploaded"] + docs["rejected"])
    areas = counts.areas
    assert (areas["uploaded"] + areas["not_uploaded"] == areas["required"]).all()


def test_a_kota_snapshot_has_no_dana_desa_in_its_counts():
    pemda = load_pemda("kota-lubuklinggau")
    fw = load_framework(pemda.framework_year)
    counts = counts_from_snapshot(fw, pemda, load_period(pemda, fw, "2023-10"))
    assert "Dana Desa" not in " ".join(fw.areas["area_name"][fw.areas["area_code"].isin(counts.areas["area_code"])])
    assert len(counts.areas) == len(fw.areas) - 1


def test_the_sample_sheet_scores_as_the_snapshot_within_rounding():
    pemda = load_pemda("kab-musi-rawas")
    fw = load_framework(pemda.framework_year)
    by_documents = score_snapshot(fw, pemda, load_period(pemda, fw, "2025-10"))
    by_counts = score_counts(fw, pemda, read_counts(SAMPLE, fw, pemda))
    per_area = by_counts.areas["area_score"].to_numpy() - by_documents.by_area["verified"].to_numpy()
    assert abs(per_area).max() <= 0.005 + 1e-9  # the sheet holds two decimals
    assert by_counts.verified == pytest.approx(by_documents.verified, abs=0.005)
    assert by_counts.path == SAMPLE
