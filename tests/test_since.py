"""What changed since the last meeting (mcp_lib.since), on the tiny fixture's three snapshots.

By hand from ``tests/fixtures/tiny/pemda/kota-contoh/status``: from 30 September to 31 October,
A.1.1.D2 (Bappeda) went from disiapkan to diunggah, A.1.2.D1 (BPKAD) from belum to perlu_perbaikan
(uploaded, then returned), A.2.1.D1 (BPKAD) from belum to diverifikasi (25 of 50); B.1.2.D2 went
from belum to disiapkan (not a movement the meeting counts). The verified score on 30 September was
11.25 (A.1.1.D1, 60 × .1875) + 3.375 (B.1.2.D1, 30 × .1125) = 14.625.
"""

import datetime as dt

import pandas as pd
import pytest

from mcp_lib.pemda.snapshot import load_history
from mcp_lib.scoring import score_snapshot
from mcp_lib.since import compare, previous_snapshot, projection_cause, waiting_since


@pytest.fixture
def snaps(tiny_fw, kota):
    return load_history(kota, tiny_fw)


def _applicable(fw, kind="kota"):
    return pd.Series(fw.applies(kind).to_numpy(bool), index=fw.documents["doc_code"])


def test_the_previous_snapshot_is_the_last_meetings_or_the_one_before_the_month(snaps):
    assert previous_snapshot(snaps, "2023-10").date == dt.date(2023, 9, 30)
    assert previous_snapshot(snaps, "2023-10", "2023-08").date == dt.date(2023, 8, 31)  # the last brief's month
    assert previous_snapshot(snaps, "2023-10", "2023-07").date == dt.date(2023, 9, 30)  # no snapshot then
    assert previous_snapshot(snaps, "2023-08") is None  # nothing earlier this year


def test_documents_that_moved_by_hand(tiny_fw, kota, snaps):
    sep, octo = snaps[1], snaps[2]
    then = score_snapshot(tiny_fw, kota, sep)
    assert then.verified == pytest.approx(14.625)
    s = compare(
        sep,
        octo,
        _applicable(tiny_fw),
        period="2023-09",
        source="snapshot",
        verified=then.verified,
        claim=then.claim,
        planned=["A.2.1.D1", "B.1.2.D2"],
    )
    moved = s.moved.set_index("doc_code")["move"].to_dict()
    assert moved == {"A.1.1.D2": "diunggah", "A.1.2.D1": "dikembalikan", "A.2.1.D1": "diverifikasi"}
    assert s.went_up == 3  # all three reached the verifier since 30 September
    by_opd = s.by_opd().set_index("opd")
    assert by_opd.loc["BPKAD", ["diverifikasi", "dikembalikan", "went_up"]].tolist() == [1, 1, 2]
    assert by_opd.loc["Bappeda", ["diunggah", "went_up"]].tolist() == [1, 1]
    assert list(by_opd.index) == ["BPKAD", "Bappeda"]  # most movement first
    assert s.plan_moved(octo.documents) == (2, 1)  # A.2.1.D1 verified, B.1.2.D2 only in preparation


def test_a_step_back_is_named(tiny_fw, kota, snaps):
    """A tracker typed blank over a month with history (issue 27): every step back is counted."""
    octo = snaps[2]
    blank = octo.documents.assign(
        status=octo.documents["status"].where(octo.documents["status"] == "tidak_berlaku", "belum")
    )
    later = type(octo)(date=dt.date(2023, 11, 15), path=octo.path, documents=blank.assign(verified_points=0.0))
    s = compare(octo, later, _applicable(tiny_fw), period="2023-10", source="snapshot", verified=34.625, claim=42.125)
    back = set(s.moved.loc[s.moved["move"] == "mundur", "doc_code"])
    # every one that was along: verified (A.1.1.D1, A.2.1.D1, B.1.2.D1), uploaded (A.1.1.D2), returned
    # with 40 points (A.1.2.D1) and in preparation (B.1.2.D2); B.1.1.D1 was belum already
    assert back == {"A.1.1.D1", "A.1.1.D2", "A.1.2.D1", "A.2.1.D1", "B.1.2.D1", "B.1.2.D2"}
    assert s.went_up == 0


def test_waiting_since_the_first_snapshot_of_its_run(tiny_fw, kota, snaps):
    w = waiting_since(snaps)
    assert w.to_dict("records") == [{"doc_code": "A.1.1.D2", "opd": "Bappeda", "since": dt.date(2023, 10, 31)}]
    octo = snaps[2]
    later = type(octo)(date=dt.date(2023, 11, 30), path=octo.path, documents=octo.documents)
    assert waiting_since([*snaps, later])["since"].tolist() == [dt.date(2023, 10, 31)]


def test_the_projections_cause_in_one_sentence():
    day = dt.date(2023, 10, 31)
    fell = projection_cause(93.1, 85.4, 17.2, 2, 0, day)
    assert (
        fell == "Proyeksi turun dari 93,1% ke 85,4%: dari 17 dokumen yang diperkirakan naik sejak 31 Oktober, baru 2."
    )
    rose = projection_cause(80.0, 84.0, 10.0, 20, 3, day)
    assert rose == (
        "Proyeksi naik dari 80,0% ke 84,0%: 20 dokumen naik sejak 31 Oktober, lebih dari 10 yang diperkirakan; "
        "3 dokumen dikembalikan verifikator."
    )
    assert projection_cause(80.0, 80.2, 10.0, 9, 0, day).startswith("Proyeksi hampir tetap (80,0% → 80,2%)")
    # fewer than three quarters of what was expected is "baru"; within a quarter either way, as expected
    assert projection_cause(85.0, 83.0, 17.0, 12, 0, day).endswith(
        "dari 17 dokumen yang diperkirakan naik sejak 31 Oktober, baru 12."
    )
    assert projection_cause(85.0, 84.0, 17.0, 13, 0, day).endswith(
        "13 dokumen naik sejak 31 Oktober (diperkirakan 17)."
    )


def test_the_last_meeting_stays_in_the_reporting_year():
    """A December snapshot is the last meeting of a February brief, not of an April one."""
    from types import SimpleNamespace

    snaps = [SimpleNamespace(date=dt.date(2022, 12, 31)), SimpleNamespace(date=dt.date(2023, 3, 31))]
    assert previous_snapshot(snaps, "2023-02").date == dt.date(2022, 12, 31)
    assert previous_snapshot(snaps, "2023-04").date == dt.date(2023, 3, 31)
    assert previous_snapshot(snaps[:1], "2023-04") is None
    assert previous_snapshot(snaps[:1], "2024-01") is None  # two years back


def test_a_returned_upload_waits_from_its_new_upload():
    """Uploaded in August, returned in September, uploaded again in October: it has waited since
    October, not August."""
    from types import SimpleNamespace

    def snap(day, status):
        docs = pd.DataFrame({"doc_code": ["X.1"], "opd": ["Bappeda"], "status": [status]})
        return SimpleNamespace(date=day, documents=docs)

    snaps = [
        snap(dt.date(2023, 8, 31), "diunggah"),
        snap(dt.date(2023, 9, 30), "perlu_perbaikan"),
        snap(dt.date(2023, 10, 15), "diunggah"),
        snap(dt.date(2023, 10, 31), "diunggah"),
    ]
    assert waiting_since(snaps)["since"].tolist() == [dt.date(2023, 10, 15)]
