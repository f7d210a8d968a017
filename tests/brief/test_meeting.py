"""What the meeting decides on (mcp_lib.brief.meeting): the verdict, the four figures, what changed, the
OPD scorecard and the decisions, on the tiny fixture (hand-checked) and the bundled sample."""

import shutil

import pytest
from conftest import TINY

from mcp_lib import text
from mcp_lib.brief import meeting, steps
from mcp_lib.brief.request import BriefRequest


def _tiny(target: float, confidence: float = 0.8, root=TINY, period: str = "2023-10"):
    return steps.prepare(BriefRequest("kota-contoh", period, data_dir=root, target=target, confidence=confidence))


@pytest.fixture(scope="module")
def tiny90():
    return _tiny(90)


def test_a_target_out_of_reach_says_so_and_what_can_still_be_done(tiny90):
    v = meeting.verdict(tiny90)
    assert v.key == "tidak" and v.label == "TIDAK TERCAPAI"
    # 73,75 without the blocked B.1.1.D1 (test_planner), every other open document done and accepted
    assert (
        v.lines[0]
        == "TIDAK TERCAPAI untuk target 90%: paling tinggi 73,8% bila semua dokumen yang dapat dikerjakan diterima."
    )
    assert v.lines[1].startswith("Yang masih dapat dilakukan: kawal verifikasi 1 unggahan di KPK")
    assert v.lines[2].startswith("Peluang mencapai 90%: kurang dari 1 dari 20 bila rencana dijalankan; ")


@pytest.mark.parametrize(
    ("target", "confidence", "key"),
    [(45, 0.6, "aman"), (50, 0.7, "rencana"), (50, 0.8, "belum"), (65, 0.8, "sulit")],
)
def test_the_verdict_follows_the_two_chances_and_the_keyakinan(target, confidence, key):
    """Aman: the pace alone reaches the keyakinan; rencana: the plan does; belum: neither, within
    capacity (test_reserve: 50 at 0.8 is out of reach, 0.7 is met with a reserve)."""
    b = _tiny(target, confidence)
    v, chances = meeting.verdict(b), b.plan.verdict
    assert v.key == key and v.lines[0].startswith(meeting.STATUS_LABELS[key])
    assert v.lines[2].startswith(
        f"Peluang mencapai {target}%: {text.chance_words(chances.with_plan.chance)} bila rencana dijalankan; "
        f"{text.chance_words(chances.without_plan.chance)} bila laju sekarang berlanjut"
    )
    if key == "aman":
        assert chances.without_plan.chance >= confidence
        assert "pertahankan laju unggah OPD sampai 31 Desember 2023" in v.lines[1]
    else:
        assert chances.without_plan.chance < confidence
        assert (chances.with_plan.chance >= confidence) == (key == "rencana")
        assert (chances.with_plan.chance < meeting.HARD) == (key == "sulit")


def test_what_must_happen_by_whom_by_when_is_counted_from_the_plan(lubuklinggau_2023_10):
    b = lubuklinggau_2023_10
    docs = b.plan.documents
    new = docs[docs["status"] != "diunggah"]
    line = meeting.verdict(b).lines[1]
    assert line == (
        f"Untuk 90%: kawal verifikasi {(docs['status'] == 'diunggah').sum()} unggahan di KPK, selesaikan {len(new)} "
        f"dokumen ({text.number(new['effort'].sum(), 0)} hari-orang) di {new['opd'].nunique()} OPD sebelum "
        "30 November 2023 dan pertahankan laju unggah dokumen lainnya."
    )
    assert "Kawal" not in line  # uploads waiting for KPK apart from new work, in plain words
    assert meeting.close_words(b) == "30 hari dari tanggal data sampai batas unggah 30 November 2023"


def test_four_figures_with_their_change_since_the_last_meeting(tiny90):
    verified, _claim, projection, target = meeting.figures(tiny90)
    # 30 September: 14,625 verified (test_since); 31 October 34,625
    assert (verified.value, verified.change) == ("34,6%", "+20,0 poin sejak 30 Sep")
    f, prev = tiny90.forecast, tiny90.previous_forecast
    assert projection.value == text.percent(f.median)
    assert projection.note == (
        f"8 dari 10 kemungkinan: {text.band(f.p10, f.p90)}; peluang mencapai 90%: {text.chance(f.p_target)}"
    )
    assert projection.change == f"{text.signed(f.median - prev.median)} poin sejak 30 Sep"
    assert prev.as_of.isoformat() == "2023-09-30"
    assert (target.value, target.note) == ("90%", "nilai akhir 2022: 80,0%")


def test_when_the_projection_falls_the_brief_names_the_cause(tmp_path):
    """The sample with a snapshot of 15 November identical to 31 October: the projection made on 31
    October expected documents to go up at the OPDs' pace (14.7 a month, the last month twice as
    busy) by 15 November; none did, and the brief says so."""
    from mcp_lib.config import DATA_DIR

    root = tmp_path / "data"
    shutil.copytree(DATA_DIR, root)
    status = root / "pemda" / "kota-lubuklinggau" / "status"
    shutil.copy(status / "2023-10-31.csv", status / "2023-11-15.csv")
    b = steps.prepare(BriefRequest("kota-lubuklinggau", "2023-11", data_dir=root))
    assert b.since.previous_date.isoformat() == "2023-10-31" and b.since.went_up == 0
    prev, now = b.previous_forecast, b.forecast
    assert now.median < prev.median  # two weeks gone, nothing done
    expected = round(prev.expected_by(b.snapshot.date))
    assert expected >= 1
    cause = meeting.since_lines(b)[2]
    assert cause == (
        f"Proyeksi turun dari {text.percent(prev.median)} ke {text.percent(now.median)}: dari {expected} dokumen "
        "yang diperkirakan naik sejak 31 Oktober, baru 0."
    )


def test_the_scorecard_by_hand(tiny90):
    """Inspektorat: B.1.1.D1 (belum, due 30 September, held by BPN) is late; BPKAD: A.1.2.D1
    returned; Bappeda: A.1.1.D2 waits for KPK. Most urgent first."""
    card = meeting.scorecard(tiny90).set_index("opd")
    assert list(card.index) == ["Inspektorat", "BPKAD", "Bappeda"]
    assert card.loc["Inspektorat", ["colour", "late", "reason"]].tolist() == [
        "merah",
        1,
        "1 lewat tenggat; menunggu BPN",  # the two most pressing facts
    ]
    assert card.loc["BPKAD", ["colour", "returned", "waiting"]].tolist() == ["kuning", 1, 0]
    assert card.loc["Bappeda", ["colour", "waiting", "deliver", "reason"]].tolist() == [
        "hijau",
        1,
        0,
        "menunggu verifikasi KPK",
    ]
    # moved since 30 September (test_since): BPKAD 2 (one verified, one returned), Bappeda 1
    assert card.loc["BPKAD", "moved"] == 2 and card.loc["Bappeda", "moved"] == 1  # distinct documents
    assert card.loc["Inspektorat", "capacity"] == pytest.approx(5 * 61 / 30.4375)  # 5 a month to 31 December


def test_decisions_are_made_from_the_data(tiny90, lubuklinggau_2023_10):
    tiny = meeting.decisions(tiny90)
    assert tiny[0].startswith("Tetapkan sikap atas target 90%: tidak tercapai")
    assert "menunggu BPN (Inspektorat, 26,25 poin)" in tiny[1]  # one document: its count goes without saying
    assert tiny[-1] == "Minta kepala OPD menyelesaikan dokumen yang lewat tenggat: Inspektorat 1."
    sample = meeting.decisions(lubuklinggau_2023_10)
    assert 3 <= len(sample) <= meeting.MAX_DECISIONS
    assert sample[0].startswith("Tetapkan sikap atas target 90%: bila rencana dijalankan peluangnya sekitar 7 dari 10")
    # the ways out, each with what it brings: last year's score as the minimum, what the plan assures
    assert "atau tetapkan 87% (nilai akhir tahun lalu) sebagai target minimum (peluangnya" in sample[0]
    v = lubuklinggau_2023_10.plan.verdict
    assert f"atau terima bahwa rencana ini mencapai {text.percent(v.assured)} dengan keyakinan 80%" in sample[0]
    assert any(d.startswith("Minta KPK (koordinator wilayah) memverifikasi") for d in sample)
    assert any("Kemendagri" in d and "BPN" in d for d in sample)  # the four outside blockers, in one letter


def test_a_chance_just_under_the_keyakinan_is_not_read_as_it():
    """76% reads "sekitar 8 dari 10", the keyakinan's own words: under a keyakinan of 80% it is said
    to be just below it, never rounded up to it."""
    assert meeting._spoken(0.76, 0.8) == "sedikit di bawah 8 dari 10"
    assert meeting._spoken(0.76, 0.7) == "sekitar 8 dari 10"
    assert meeting._spoken(0.66, 0.8) == "sekitar 7 dari 10"


def test_uploads_waiting_more_than_30_days_are_escalated_to_kpk(tiny90):
    """Bappeda's A.1.1.D2 (7,5 points) awaits verification: escalated when it has waited more than
    WAITING_DAYS (31 days before 31 October), not at exactly 30."""
    import dataclasses
    import datetime as dt

    def asked(since: dt.date) -> list[str]:
        waiting = tiny90.waiting.assign(since=[since])
        return [d for d in meeting.decisions(dataclasses.replace(tiny90, waiting=waiting)) if "Minta KPK" in d]

    assert asked(dt.date(2023, 10, 1)) == []  # 30 days
    assert asked(dt.date(2023, 9, 30)) == [
        "Minta KPK (koordinator wilayah) memverifikasi 1 unggahan yang menunggu lebih dari 30 hari (7,50 poin; "
        "yang tertua sejak 30 September 2023)."
    ]


def test_both_chances_get_their_percentages_when_the_words_agree(lubuklinggau_2023_10):
    """70% and 66% both read "sekitar 7 dari 10": the line adds the percentages to tell them apart."""
    assert meeting.chance_line(lubuklinggau_2023_10) == (
        "Peluang mencapai 90%: sekitar 7 dari 10 bila rencana dijalankan; sekitar 7 dari 10 bila laju sekarang "
        "berlanjut (70% dan 66%)."
    )


def test_the_upload_close_is_open_on_its_own_day():
    import datetime as dt
    from types import SimpleNamespace

    def words(day: dt.date) -> str:
        close = dt.date(2023, 11, 30)
        b = SimpleNamespace(
            plan=SimpleNamespace(calendar=SimpleNamespace(close=close)), snapshot=SimpleNamespace(date=day)
        )
        return meeting.close_words(b)

    assert words(dt.date(2023, 11, 29)) == "1 hari dari tanggal data sampai batas unggah 30 November 2023"
    assert words(dt.date(2023, 11, 30)) == (
        "hari ini batas unggah (30 November 2023): unggahan masih dibuka sampai akhir hari"
    )
    assert words(dt.date(2023, 12, 2)).startswith("batas unggah 30 November 2023 sudah lewat 2 hari")


@pytest.fixture(scope="module")
def methods_brief():
    from conftest import METHODS

    return steps.prepare(BriefRequest("kab-metode", "2026-10", data_dir=METHODS))


def test_items_uploads_do_not_move_are_a_decision_of_their_own(methods_brief):
    """Fixture tests/fixtures/methods, October: B.2 is met by its realisation (60 against a target
    of 80: 75%, 6,25 points of the total open): uploading cannot lift it, so the leadership is
    asked to pursue it apart from the plan; a framework without such items asks nothing of it."""
    away = meeting.unmovable(methods_brief)
    assert away[["code", "how"]].values.tolist() == [["B.2", "perlu capaian realisasi"]]
    assert away["points_open"].tolist() == pytest.approx([6.25])
    said = [d for d in meeting.decisions(methods_brief) if d.startswith("Kejar")]
    assert said == [
        "Kejar 1 indikator yang tidak naik dengan mengunggah dokumen (6,25 poin terbuka, di luar rencana): "
        "B.2 Realisasi penerimaan pajak daerah (perlu capaian realisasi, 6,25 poin)."
    ]
    assert meeting.unmovable(_tiny(90)).empty


def test_the_detail_table_says_how_each_item_is_scored(methods_brief):
    from mcp_lib.brief.sections import detail_table

    html = str(detail_table(methods_brief))
    for phrase in ("Cara dinilai", "semua dokumen atau 0", "bertingkat 0/80/100", "per periode (2)"):
        assert phrase in html
    assert "realisasi ÷ target 80" in html and "Tidak naik dengan mengunggah dokumen" in html
    assert "Cara dinilai" not in str(detail_table(_tiny(90)))


def test_framework_deadlines_are_warned_before_and_costed_after(tmp_path):
    """The methods fixture with two deadlines: B.1 on 31 August (half after it; B.1.D2 done on 10
    September: the whole item keeps half, 6.25 points lost; B.1.D4 still to do) and A.2 on 10
    November, 10 days after the data (half after it; A.2.D2 and A.2.D3, 2 person-days each, still
    to do at Diskominfo, 10 person-days a month: the plan's queue, due first, ends 4/10 of a month
    on, 12 November): the meeting is asked to finish A.2 in time, told the plan is late, and the
    lampiran says what lateness cost."""
    from conftest import METHODS

    from mcp_lib.brief.sections import detail_table

    shutil.copytree(METHODS, tmp_path / "m")
    fw_csv = tmp_path / "m" / "frameworks" / "mcp-2026" / "framework.csv"
    rows = fw_csv.read_text(encoding="utf-8").splitlines()
    tails = {"A,Perencanaan,50,A.2,": ",2026-11-10,0.5", "B,Pendapatan,50,B.1,": ",2026-08-31,0.5"}
    rows = [rows[0] + ",deadline,late_share"] + [
        r + next((t for head, t in tails.items() if r.startswith(head)), ",,") for r in rows[1:]
    ]
    fw_csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    status = tmp_path / "m" / "pemda" / "kab-metode" / "status" / "2026-10-31.csv"
    lines = status.read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + ",done_date"] + [r + (",2026-09-10" if r.startswith("B.1.D2,") else ",") for r in lines[1:]]
    status.write_text("\n".join(lines) + "\n", encoding="utf-8")
    b = steps.prepare(BriefRequest("kab-metode", "2026-10", data_dir=tmp_path / "m"))
    assert b.scores.verified == pytest.approx(49.0)
    said = [d for d in meeting.decisions(b) if d.startswith("Pastikan")]
    assert said == [
        "Pastikan selesai sebelum tenggat kerangka: A.2 Dokumen perencanaan dipublikasikan (10 November 2026, "
        "sesudahnya tinggal 50%; Diskominfo, 2 dokumen, rencana baru selesai 12 November 2026)."
    ]
    note = str(detail_table(b))
    assert "Keterlambatan sudah mengurangi 6,25 poin: B.1 (tenggat 31 Agustus 2026, 6,25 poin)." in note
    assert "B.1 (tenggat 31 Agustus 2026, 1 dokumen, paling banyak 6,25 poin)" in note
    assert meeting.deadline_items(_tiny(90)).empty
