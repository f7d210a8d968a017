"""Scores on the tiny fixture, every expected value computed by hand.

Kota Contoh, 2023-10-31 (Dana Desa area C does not apply to a kota):
  sub values   A.1.1 = 60/100 = 60, A.1.2 = 40, A.2.1 = 25/50 = 50 (D2 tidak_berlaku),
               B.1.1 = 0, B.1.2 = 30/100 = 30
  indicators   A.1 = .5·60 + .5·40 = 50, A.2 = 50, B.1 = .7·0 + .3·30 = 9
  areas        A = .6·50 + .4·50 = 50, B = 9
  total        (50·50 + 30·9) / (50 + 30) = 2770 / 80 = 34.625
  claim        A.1.1 = 100 (D2 diunggah counts in full) → A.1 = 70, A = 62 → (50·62 + 270)/80 = 42.125
  progress     4 of 7 applicable documents uploaded or verified = 57.142857...
"""

import datetime as dt

import pytest
from conftest import Y2024

from mcp_lib.framework.folder import load_framework
from mcp_lib.pemda.settings import load_pemda
from mcp_lib.pemda.snapshot import Snapshot, load_period
from mcp_lib.scoring import score_snapshot


@pytest.fixture
def scores(tiny_fw, kota):
    return score_snapshot(tiny_fw, kota, load_period(kota, tiny_fw, "2023-10"))


def test_total_verified_claim_progress_and_band(scores):
    assert scores.verified == pytest.approx(34.625)
    assert scores.claim == pytest.approx(42.125)
    assert scores.progress == pytest.approx(400 / 7)
    assert scores.band.name == "Kuning"


def test_subindicator_level(scores):
    subs = scores.by_subindicator.set_index("subindicator_code")
    assert subs["verified"].to_dict() == pytest.approx({"A.1.1": 60, "A.1.2": 40, "A.2.1": 50, "B.1.1": 0, "B.1.2": 30})
    assert subs.loc["A.1.1", "claim"] == pytest.approx(100)
    assert subs.loc["A.2.1", "documents"] == 1  # D2 is not applicable
    assert "C.1.1" not in subs.index


def test_indicator_level(scores):
    ind = scores.levels["indicator"].set_index("indicator_code")["verified"]
    assert ind.to_dict() == pytest.approx({"A.1": 50, "A.2": 50, "B.1": 9})


def test_area_level_renormalises_without_dana_desa(scores):
    areas = scores.by_area.set_index("area_code")
    assert areas["verified"].to_dict() == pytest.approx({"A": 50, "B": 9})
    assert areas["claim"].to_dict() == pytest.approx({"A": 62, "B": 9})
    # Points of the total: area A holds 50/80 of it.
    assert areas.loc["A", "points_max"] == pytest.approx(62.5)
    assert areas.loc["A", "points_earned"] == pytest.approx(31.25)


def test_opd_level(scores):
    """Per document point: A.1.1 and A.1.2 are worth 50/80·.6·.5 = .1875, A.2.1.D1 50/80·.4·(100/50) = .5,
    B.1.1 30/80·.7 = .2625, B.1.2 30/80·.3 = .1125 points of the total."""
    opd = scores.by_opd.set_index("opd")
    assert list(opd.index) == ["Inspektorat", "BPKAD", "Bappeda"]  # ranked by points still open
    assert opd.loc["Bappeda", "points_earned"] == pytest.approx(60 * 0.1875)
    assert opd.loc["Bappeda", "points_open"] == pytest.approx(40 * 0.1875)
    assert opd.loc["Bappeda", "verified"] == pytest.approx(60)
    assert opd.loc["BPKAD", "points_earned"] == pytest.approx(40 * 0.1875 + 25 * 0.5)
    assert opd.loc["BPKAD", "points_open"] == pytest.approx(60 * 0.1875 + 25 * 0.5)
    assert opd.loc["Inspektorat", "points_open"] == pytest.approx(100 * 0.2625 + 70 * 0.1125)
    assert opd.loc["Inspektorat", "late"] == 1  # B.1.1.D1 due 30 Sept, still belum on 31 Oct
    assert opd.loc["Inspektorat", "blocked"] == 1
    assert opd.loc["BPKAD", "rejected"] == 1
    assert opd.loc["Bappeda", "awaiting"] == 1
    assert opd["points_earned"].sum() == pytest.approx(34.625)


def test_kabupaten_counts_dana_desa(tiny_fw, kab):
    s = score_snapshot(tiny_fw, kab, load_period(kab, tiny_fw, "2023-10"))
    # (50·50 + 30·9 + 20·50) / 100 and the claim (50·62 + 30·9 + 20·50) / 100
    assert s.verified == pytest.approx(37.7)
    assert s.claim == pytest.approx(43.7)


def test_lead_opd_counts_when_several_are_listed(tiny_fw, kota, tiny_copy):
    path = tiny_copy / "pemda" / "kota-contoh" / "status" / "2023-10-31.csv"
    path.write_text(path.read_text().replace("A.1.1.D2,Bappeda", 'A.1.1.D2,"BPKAD; Bappeda"'), encoding="utf-8")
    pemda = load_pemda(tiny_copy / "pemda" / "kota-contoh")
    s = score_snapshot(tiny_fw, pemda, load_period(pemda, tiny_fw, "2023-10"))
    opd = s.by_opd.set_index("opd")
    assert opd.loc["BPKAD", "documents"] == 3
    assert opd.loc["Bappeda", "documents"] == 1


def test_everything_verified_scores_100(tiny_fw, kota):
    snap = load_period(kota, tiny_fw, "2023-10")
    docs = snap.documents.copy()
    applicable = docs["status"] != "tidak_berlaku"
    points = tiny_fw.documents.set_index("doc_code")["points"]
    docs.loc[applicable, "status"] = "diverifikasi"
    docs.loc[applicable, "verified_points"] = docs.loc[applicable, "doc_code"].map(points)
    full = score_snapshot(tiny_fw, kota, type(snap)(date=snap.date, path=snap.path, documents=docs))
    assert full.verified == pytest.approx(100)
    assert full.band.name == "Hijau"


def test_2024_framework_scores_with_its_own_bands():
    fw = load_framework(2024, Y2024)
    pemda = load_pemda("kab-baru", Y2024)
    s = score_snapshot(fw, pemda, load_period(pemda, fw, "2024-09"))
    # eight areas of 12.5: (50 + 100 + 100 + 80 + 100 + 100 + 0 + 100) / 8 and the claim adds P7's 100
    assert s.verified == pytest.approx(78.75)
    assert s.claim == pytest.approx(91.25)
    assert s.band.name == "terjaga"


def test_score_many_equals_scoring_one_by_one(tiny_fw, kota, kab):
    from mcp_lib.pemda.snapshot import load_history
    from mcp_lib.scoring import score_many, total_scores

    items = [(kota, s) for s in load_history(kota, tiny_fw)] + [(kab, s) for s in load_history(kab, tiny_fw)]
    many = score_many(tiny_fw, [(pemda.kind, s) for pemda, s in items])
    for (pemda, snap), row in zip(items, many.itertuples(), strict=True):
        assert (row.verified, row.claim, row.progress) == pytest.approx(total_scores(tiny_fw, pemda, snap))
    assert many["verified"].iloc[-1] == pytest.approx(37.7)  # the kabupaten with Dana Desa


def test_counts_per_opd_in_full(scores):
    """Every count for every OPD (a count that only matched in one OPD let mutants through):
    Bappeda A.1.1.D1 verified, A.1.1.D2 uploaded; BPKAD A.1.2.D1 returned (due 15 Nov), A.2.1.D1
    verified in part; Inspektorat B.1.1.D1 not started, blocked, due 30 Sep; B.1.2.D1 verified;
    B.1.2.D2 in preparation, due 30 Nov."""
    cols = ["documents", "uploaded", "awaiting", "late", "rejected", "blocked"]
    got = scores.by_opd.set_index("opd")[cols].to_dict("index")
    assert got == {
        "Bappeda": dict(zip(cols, (2, 2, 1, 0, 0, 0), strict=True)),
        "BPKAD": dict(zip(cols, (2, 1, 0, 0, 1, 0), strict=True)),
        "Inspektorat": dict(zip(cols, (3, 1, 0, 1, 0, 1), strict=True)),
    }


def test_progress_per_area_and_area_order(scores, tiny_fw):
    a = scores.by_area
    assert list(a["area_code"]) == ["A", "B"]  # framework order, not sorted by anything else
    assert a.set_index("area_code")["progress"].to_dict() == pytest.approx({"A": 75.0, "B": 100 / 3})
    assert list(scores.by_opd.columns[:2]) == ["opd", "points_max"] and "index" not in scores.by_opd


def test_due_on_the_snapshot_date_is_not_late(tiny_fw, kota, tiny_copy):
    status = tiny_copy / "pemda" / "kota-contoh" / "status" / "2023-10-31.csv"
    status.write_text(status.read_text().replace("disiapkan,,6,2023-11-30", "disiapkan,,6,2023-10-31"))
    kota2 = load_pemda("kota-contoh", tiny_copy)
    s = score_snapshot(tiny_fw, kota2, load_period(kota2, tiny_fw, "2023-10"))
    assert s.by_opd.set_index("opd").loc["Inspektorat", "late"] == 1  # B.1.1.D1 only


def test_score_many_gives_exactly_its_three_columns(tiny_fw, kota):
    from mcp_lib.pemda.snapshot import load_history
    from mcp_lib.scoring import score_many

    many = score_many(tiny_fw, [("kota", s) for s in load_history(kota, tiny_fw)])
    assert list(many.columns) == ["verified", "claim", "progress"] and list(many.index) == [0, 1, 2]


def test_a_kind_is_checked_where_it_enters(tiny_fw, kota, snap):
    """A pemda kind that is none of provinsi, kabupaten, kota would score only the documents that
    apply to every kind, without a word: refused."""
    from mcp_lib.candidates import candidates
    from mcp_lib.scoring import check_kind, score_documents, score_kind
    from mcp_lib.trend import opd_history

    assert [check_kind(k) for k in ("provinsi", "kabupaten", "kota")] == ["provinsi", "kabupaten", "kota"]
    for call in (
        lambda k: score_documents(tiny_fw, k, snap),
        lambda k: score_kind(tiny_fw, k, snap),
        lambda k: candidates(tiny_fw, k, snap),
        lambda k: opd_history(tiny_fw, k, [snap]),
    ):
        for wrong in ("Kota", "desa", ""):
            with pytest.raises(ValueError, match="is none of provinsi, kabupaten, kota"):
                call(wrong)


def test_a_kind_alone_scores_as_its_pemda_without_a_penalty(tiny_fw, kota, snap):
    from mcp_lib.scoring import score_kind

    alone, pemda = score_kind(tiny_fw, "kota", snap), score_snapshot(tiny_fw, kota, snap)
    assert (alone.verified, alone.claim, alone.progress, alone.penalty) == (
        pemda.verified,
        pemda.claim,
        pemda.progress,
        0.0,
    )
    assert alone.by_opd.equals(pemda.by_opd)


# ---------------------------------------------------------------- items scored by their own method


@pytest.fixture
def methods_case():
    from conftest import METHODS

    fw = load_framework(2026, METHODS)
    pemda = load_pemda("kab-metode", METHODS)
    return fw, pemda


def _scored(methods_case, period):
    fw, pemda = methods_case
    return score_snapshot(fw, pemda, load_period(pemda, fw, period))


def test_each_indicator_scores_by_its_method_september(methods_case):
    """Hand-computed (fixture tests/fixtures/methods, 30 September 2026):
    A.1 binary, 1 of 3 valid → 0 (claim: D2 awaiting, still 2 of 3 → 0);
    A.2 tiers 0/80/100, 1 of 3 valid → 80;
    B.1 periods (2): TA 2024 has D1 valid and D2 awaiting → no period met → 0 (claim: TA 2024 met → 50);
    B.2 realisation 40 against target 80 → 50.
    Total = ½(0.4·0 + 0.6·80) + ½(½·0 + ½·50) = 24 + 12.5 = 36.5; claim = 24 + ½(½·50 + ½·50) = 49."""
    s = _scored(methods_case, "2026-09")
    subs = s.by_subindicator.set_index("subindicator_code")
    assert subs["verified"].to_dict() == pytest.approx({"A.1": 0.0, "A.2": 80.0, "B.1": 0.0, "B.2": 50.0})
    assert subs["claim"].to_dict() == pytest.approx({"A.1": 0.0, "A.2": 80.0, "B.1": 50.0, "B.2": 50.0})
    assert s.verified == pytest.approx(36.5)
    assert s.claim == pytest.approx(49.0)


def test_each_indicator_scores_by_its_method_october(methods_case):
    """31 October 2026: A.1 2 of 3 valid → still 0, claim 100 (D3 awaiting); A.2 D2 returned with
    10 points → tiers ignore partial points: 80; B.1 TA 2024 met → 50; B.2 60/80 → 75.
    Total = ½·48 + ½(25 + 37.5) = 55.25; claim = ½(40 + 48) + 31.25 = 75.25."""
    s = _scored(methods_case, "2026-10")
    subs = s.by_subindicator.set_index("subindicator_code")
    assert subs["verified"].to_dict() == pytest.approx({"A.1": 0.0, "A.2": 80.0, "B.1": 50.0, "B.2": 75.0})
    assert subs["claim"].to_dict() == pytest.approx({"A.1": 100.0, "A.2": 80.0, "B.1": 50.0, "B.2": 75.0})
    assert (s.verified, s.claim) == pytest.approx((55.25, 75.25))
    areas = s.by_area.set_index("area_code")["verified"]
    assert areas.to_dict() == pytest.approx({"A": 48.0, "B": 62.5})


def test_an_item_by_method_shares_its_score_over_its_documents_by_points(methods_case):
    """Every level above and every OPD sums documents: A.2 at 80 shows 0.8 × points on each of its
    documents, so Diskominfo (A.2's documents) earns 0.8 of its points, whichever is valid."""
    s = _scored(methods_case, "2026-10")
    docs = s.documents.set_index("doc_code")
    assert docs.loc[["A.2.D1", "A.2.D2", "A.2.D3"], "verified_value"].tolist() == pytest.approx([27.2, 26.4, 26.4])
    assert docs["earned"].sum() == pytest.approx(s.verified)
    assert (docs["open"] >= -1e-12).all()
    opd = s.by_opd.set_index("opd")
    assert opd.loc["Diskominfo", "verified"] == pytest.approx(80.0)


def test_score_many_scores_items_by_their_method_too(methods_case):
    from mcp_lib.pemda.snapshot import load_history
    from mcp_lib.scoring import score_many

    fw, pemda = methods_case
    history = load_history(pemda, fw)
    many = score_many(fw, [(pemda.kind, s) for s in history])
    assert many["verified"].tolist() == pytest.approx([36.5, 55.25])
    assert many["claim"].tolist() == pytest.approx([49.0, 75.25])


def _deadline_case(tmp_path):
    """The methods fixture with a deadline on B.1 (31 August 2026, half the value after it) and
    B.1.D2 done on 10 September."""
    import shutil

    from conftest import METHODS, edit_text

    shutil.copytree(METHODS, tmp_path / "m")
    fw_csv = tmp_path / "m" / "frameworks" / "mcp-2026" / "framework.csv"
    rows = fw_csv.read_text(encoding="utf-8").splitlines()
    rows[0] += ",deadline,late_share"
    rows[1:] = [r + (",2026-08-31,0.5" if r.startswith("B,Pendapatan,50,B.1,") else ",,") for r in rows[1:]]
    fw_csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    status = tmp_path / "m" / "pemda" / "kab-metode" / "status" / "2026-10-31.csv"
    edit_text(status, "effort_days,due_date,", "effort_days,done_date,due_date,")
    text = status.read_text(encoding="utf-8").splitlines()
    done = {"B.1.D1": "2026-07-15", "B.1.D2": "2026-09-10"}
    text[1:] = [",".join([*r.split(",")[:6], done.get(r.split(",")[0], ""), *r.split(",")[6:]]) for r in text[1:]]
    status.write_text("\n".join(text) + "\n", encoding="utf-8")
    fw = load_framework(2026, tmp_path / "m")
    pemda = load_pemda("kab-metode", tmp_path / "m")
    return fw, pemda, load_period(pemda, fw, "2026-10")


def test_a_document_done_after_its_deadline_keeps_the_late_share(tmp_path):
    """B.1 (25 points of the total, two periods, TA 2024 met: 50%, 12.5 points) is scored by its
    own method, so it is late as a whole: B.1.D2 was done on 10 September, after the 31 August
    deadline, and B.1 keeps half: lateness cost 6.25 points (total 55.25 → 49.0). B.1.D4, still
    to do after the deadline, is due by it: late. Items without a deadline are as before."""
    fw, pemda, snap = _deadline_case(tmp_path)
    s = score_snapshot(fw, pemda, snap)
    docs = s.documents.set_index("doc_code")
    assert s.verified == pytest.approx(49.0)
    assert docs["late_cost"].sum() == pytest.approx(6.25)
    assert s.by_subindicator.set_index("subindicator_code")["verified"].to_dict() == pytest.approx(
        {"A.1": 0.0, "A.2": 80.0, "B.1": 25.0, "B.2": 75.0}
    )
    assert docs.loc["B.1.D4", "late"] and not docs.loc["A.1.D3", "late"]


def test_a_step_after_the_deadline_is_worth_what_is_left(tmp_path):
    """Completing TA 2025 (D3 and D4) lifts B.1 to 100% of its half: 12.5 against 6.25 held now,
    so the step adds 6.25."""
    from mcp_lib.ladders import item_ladders

    fw, pemda, snap = _deadline_case(tmp_path)
    docs = score_snapshot(fw, pemda, snap).documents
    (b1,) = [lad for lad in item_ladders(docs, fw.methods) if lad.code == "B.1"]
    assert b1.steps[0][0] == 2 and b1.steps[0][1] == pytest.approx(6.25)


def test_a_document_scored_by_points_is_late_on_its_own(tmp_path):
    """Without a method, lateness is each document's: the tiny 2023 fixture with a deadline on
    A.1.1 (half after it) and A.1.1.D1 done after it: that document keeps half of its points."""
    import shutil

    from conftest import TINY

    shutil.copytree(TINY, tmp_path / "t")
    fw_csv = tmp_path / "t" / "frameworks" / "mcp-2023" / "framework.csv"
    rows = fw_csv.read_text(encoding="utf-8").splitlines()
    rows[0] += ",deadline,late_share"
    rows[1:] = [r + (",2023-06-30,0.5" if ",A.1.1," in r else ",,") for r in rows[1:]]
    fw_csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    fw, kota = load_framework(2023, tmp_path / "t"), load_pemda("kota-contoh", tmp_path / "t")
    snap = load_period(kota, fw, "2023-10")
    before = score_snapshot(load_framework(2023, TINY), kota, snap).documents.set_index("doc_code")
    docs = snap.documents.copy()
    docs["done_date"] = [dt.date(2023, 7, 10) if c == "A.1.1.D1" else None for c in docs["doc_code"]]
    after = score_snapshot(fw, kota, Snapshot(snap.date, snap.path, docs)).documents.set_index("doc_code")
    assert after.loc["A.1.1.D1", "earned"] == pytest.approx(before.loc["A.1.1.D1", "earned"] / 2)
    assert after.loc["A.1.1.D1", "late_cost"] == pytest.approx(before.loc["A.1.1.D1", "earned"] / 2)
    others = after.index != "A.1.1.D1"
    assert after.loc[others, "earned"].tolist() == pytest.approx(before.loc[others, "earned"].tolist())


def test_score_many_counts_lateness_as_scoring_one_by_one(tmp_path):
    """The trend's vectorised scores (score_many) give the late item's share too: 49.0, not 55.25."""
    from mcp_lib.pemda.snapshot import load_history
    from mcp_lib.scoring import score_many

    fw, pemda, _snap = _deadline_case(tmp_path)
    history = load_history(pemda, fw)
    many = score_many(fw, [(pemda.kind, s) for s in history])
    one = [score_snapshot(fw, pemda, s) for s in history]
    assert many["verified"].tolist() == pytest.approx([s.verified for s in one])
    assert many["claim"].tolist() == pytest.approx([s.claim for s in one])
    assert many["verified"].iloc[-1] == pytest.approx(49.0)


def test_a_period_whose_documents_all_do_not_apply_drops_out(methods_case):
    """B.1 counts two periods; with both TA 2025 documents not applicable, TA 2024 (met) is the
    only period left: 100%, not 50% forever, and its ladder has no step left."""
    from mcp_lib.ladders import item_ladders

    fw, pemda = methods_case
    snap = load_period(pemda, fw, "2026-10")
    docs = snap.documents.copy()
    docs.loc[docs["doc_code"].isin(["B.1.D3", "B.1.D4"]), ["status", "verified_points"]] = ["tidak_berlaku", 0.0]
    s = score_snapshot(fw, pemda, Snapshot(snap.date, snap.path, docs))
    assert s.by_subindicator.set_index("subindicator_code").loc["B.1", "verified"] == pytest.approx(100.0)
    assert "B.1" not in {lad.code for lad in item_ladders(s.documents, fw.methods) if lad.steps}
