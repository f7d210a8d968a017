"""The year-end forecast: from a pemda's snapshots and from totals alone (against real years:
test_backtest.py)."""

import datetime as dt
import json

import numpy as np
import pytest

from mcp_lib.app.cli import main
from mcp_lib.forecast import (
    DashboardTotal,
    ForecastOptions,
    effective_months,
    forecast_pemda,
    forecast_totals,
    upload_months,
    year_end,
)
from mcp_lib.framework.calendar import Calendar, default_calendar
from mcp_lib.pemda.model import pemda_framework
from mcp_lib.pemda.settings import load_pemda
from mcp_lib.pemda.snapshot import load_history, load_period
from mcp_lib.risk.params import RiskParams
from mcp_lib.trend import opd_history


@pytest.fixture(scope="module")
def lubuklinggau():
    pemda = load_pemda("kota-lubuklinggau")
    fw = pemda_framework(pemda)
    return pemda, fw


def _forecast(pemda, fw, period, **kw):
    snap = load_period(pemda, fw, period)
    history = opd_history(fw, pemda.kind, load_history(pemda, fw, until=snap.date))
    return forecast_pemda(fw, pemda, snap, opd_history=history, **kw)


def test_sample_forecast_at_its_pace(lubuklinggau):
    f = _forecast(*lubuklinggau, "2023-10")
    assert f.basis == "laju" and f.pace > 0
    assert f.p10 < f.median < f.p90 <= 100
    assert f.current < f.p10  # most evidence is uploaded and waiting: the score will rise
    assert 0 < f.p_target < 1
    assert f.open_documents > 0 and 0 < f.expected_uploads <= f.open_documents * RiskParams().completion_max + 1e-9
    # 14.7 documents a month from March to October, all OPDs together; each OPD with open
    # documents at its own pace
    assert f.pace == pytest.approx(14.7, abs=0.05)
    assert all(o.pace is not None and o.open_documents > 0 for o in f.opds)
    assert f.lead == "mid" and f.error == RiskParams().error_mid  # a month before the close
    path = f.path
    assert path["date"].iloc[0] == f.as_of and path["date"].iloc[-1] == f.calendar.final
    assert path["median"].iloc[0] == pytest.approx(f.current)
    assert path["median"].iloc[-1] == pytest.approx(f.median)
    assert (path["p10"] <= path["median"]).all() and (path["median"] <= path["p90"]).all()
    assert any("laju" in a for a in f.assumptions) and any("2020–21" in a for a in f.assumptions)


def test_earlier_in_the_year_the_band_is_wider(lubuklinggau):
    june, october = (_forecast(*lubuklinggau, p) for p in ("2023-06", "2023-10"))
    assert june.p90 - june.p10 > october.p90 - october.p10


def test_without_a_pace_the_typical_completion_is_used(lubuklinggau):
    pemda, fw = lubuklinggau
    snap = load_period(pemda, fw, "2023-10")
    f = forecast_pemda(fw, pemda, snap)
    assert f.basis == "kurva" and f.pace is None
    assert any("pemda pada umumnya" in a for a in f.assumptions)


def test_after_the_close_nothing_more_is_uploaded(lubuklinggau):
    pemda, fw = lubuklinggau
    snap = load_period(pemda, fw, "2023-10")
    closed = Calendar(dt.date(2023, 10, 15), dt.date(2024, 1, 15), "uji")
    f = forecast_pemda(fw, pemda, snap, options=ForecastOptions(calendar=closed))
    assert f.expected_uploads == 0
    # only the documents awaiting verification can still count (at the risk of a late upload)
    assert f.median <= f.claim + 1e-9


def test_forecast_is_reproducible(lubuklinggau):
    a, b = (_forecast(*lubuklinggau, "2023-08") for _ in range(2))
    assert (a.p10, a.median, a.p90, a.p_target) == (b.p10, b.median, b.p90, b.p_target)


def test_upload_times_surge_before_the_close():
    import numpy as np

    positions = (np.arange(1000) + 0.5) / 1000
    m = upload_months(positions, 3.0, surge=2.0)
    # two months at the pace, the last at twice the pace: half of the uploads in the last month
    assert (m <= 1).mean() == pytest.approx(0.5, abs=0.01)
    assert m.max() <= 3 and m.min() >= 0
    assert effective_months(3.0, 2.0) == 4.0 and effective_months(0.5, 2.0) == 1.0
    assert (upload_months(positions, 0.0, 2.0) == 0).all()


def test_totals_forecast_knows_more_with_a_claim():
    cal = default_calendar(2025)
    on_cal = ForecastOptions(calendar=cal)
    unknown = forecast_totals(DashboardTotal(72, dt.date(2025, 11, 13), kind="provinsi"), 90, on_cal)
    known = forecast_totals(DashboardTotal(72, dt.date(2025, 11, 13), claim=88, kind="provinsi"), 90, on_cal)
    assert known.median > unknown.median  # 16 points awaiting verification instead of ~5
    assert unknown.claim is None and known.claim == 88
    assert 0 <= unknown.p_target < known.p_target


def test_totals_forecast_after_the_close_and_at_100():
    cal = default_calendar(2025)
    late = forecast_totals(DashboardTotal(87.7, dt.date(2025, 12, 4)), options=ForecastOptions(calendar=cal))
    assert late.expected_uploads == 0 and late.p10 >= 87.7 - 1.0
    full = forecast_totals(DashboardTotal(100, dt.date(2025, 12, 4)), options=ForecastOptions(calendar=cal))
    assert full.median == pytest.approx(100, abs=0.5)


# --- mcp forecast ----------------------------------------------------------------------------


def test_mcp_forecast_json(capsys):
    assert (
        main(
            [
                "forecast",
                "--score",
                "72",
                "--date",
                "2025-11-13",
                "--kind",
                "provinsi",
                "--target",
                "90",
                "--json",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert {"median", "p10", "p90", "p_target", "close", "final", "assumptions"} <= set(data)
    assert data["p10"] <= data["median"] <= data["p90"] and 0 <= data["p_target"] <= 1
    assert data["close"] == "2025-11-30"


def test_mcp_forecast_in_words_with_an_indonesian_number(capsys):
    assert main(["forecast", "--score", "65,2", "--date", "2023-10-31", "--kind", "kota", "--claim", "80%"]) == 0
    out = capsys.readouterr().out
    assert "Proyeksi nilai final" in out and "median" in out and "anggapan" in out
    assert "klaim 80,0%" in out


def test_mcp_forecast_uses_the_close_given(capsys):
    main(["forecast", "--score", "60", "--date", "2023-10-31", "--close", "2023-12-31", "--json"])
    late = json.loads(capsys.readouterr().out)
    main(["forecast", "--score", "60", "--date", "2023-10-31", "--json"])
    early = json.loads(capsys.readouterr().out)
    assert late["close"] == "2023-12-31" and early["close"] == "2023-11-30"
    assert late["median"] > early["median"]  # two months to upload instead of one


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--score", "120", "--date", "2023-10-31"], 1, "di luar 0–100"),
        (["--score", "60", "--date", "2023-10-31", "--framework", "2021"], 1, "di luar tahun kerangka"),
        (["--score", "60", "--date", "2023-10-31", "--framework", "1990"], 2, "2000–2100"),
        (["--score", "60", "--date", "2023-10-31", "--claim", "40"], 1, "klaim"),
        (["--score", "enam puluh", "--date", "2023-10-31"], 2, "bukan angka"),
        (["--score", "60", "--date", "31/13/2023"], 2, "tanggal tidak sah"),
    ],
)
def test_mcp_forecast_refuses_bad_input(capsys, args, code, message):
    if code == 2:
        with pytest.raises(SystemExit) as exc:
            main(["forecast", *args])
        assert exc.value.code == 2
    else:
        assert main(["forecast", *args]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_mcp_forecast_final_date_and_a_date_on_it(capsys):
    assert main(["forecast", "--score", "60", "--date", "2023-10-31", "--final", "2024-02-01", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["final"] == "2024-02-01"
    assert main(["forecast", "--score", "60", "--date", "2023-10-31", "--final", "2023-11-01"]) == 1
    assert "sebelum batas unggah" in capsys.readouterr().err
    # on the final date itself the score is final: no band
    assert main(["forecast", "--score", "82,5", "--date", "2024-01-15", "--framework", "2023", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["p10"] == data["median"] == data["p90"] == 82.5 and data["basis"] == "final"


def test_the_assured_score_is_reached_with_the_keyakinan(lubuklinggau):
    """The score a plan reaches with the keyakinan is the (1 − keyakinan) quantile of its calibrated
    final scores: the chance of reaching it is the keyakinan."""
    from mcp_lib.forecast import year_end
    from mcp_lib.risk.model import chance

    pemda, fw = lubuklinggau
    snap = load_period(pemda, fw, "2023-10")
    engine = year_end(fw, pemda, snap, opd_history(fw, pemda.kind, load_history(pemda, fw, until=snap.date)))
    raw = engine.without()
    for level in (0.2, 0.5):
        q = engine.quantile(raw, level)
        assert chance(engine.calibrate(raw), q, engine.weights) == pytest.approx(1 - level, abs=0.01)


def test_an_engine_is_kept_by_its_inputs_and_made_anew_when_one_differs(lubuklinggau):
    """``year_end`` keeps the engines it made by a fingerprint of every input: asked again with the
    same inputs (another scoring of the same snapshot, as step 2's forecast after its plan) it
    gives the one it made, whose numbers are those of an engine made anew; another capacity
    option, another status in the snapshot or other draws give another engine."""
    import dataclasses

    from mcp_lib import forecast
    from mcp_lib.forecast import year_end
    from mcp_lib.scoring import score_documents
    from mcp_lib.statuses import BELUM, DIUNGGAH

    pemda, fw = lubuklinggau
    snap = load_period(pemda, fw, "2023-10")
    paced = opd_history(fw, pemda.kind, load_history(pemda, fw, until=snap.date))
    forecast._ENGINES.clear()
    first = year_end(fw, pemda, snap, paced)
    raw = first.without().copy()
    first.others(np.ones(len(first.still), bool))  # what a plan search leaves behind: caches only
    again = year_end(fw, pemda, snap, paced, docs=score_documents(fw, pemda.kind, snap))
    assert again is first
    forecast._ENGINES.clear()
    made = year_end(fw, pemda, snap, paced)
    assert made is not first
    np.testing.assert_array_equal(made.without(), raw)
    free = year_end(fw, pemda, snap, paced, ForecastOptions(use_capacity=False))
    assert free is not made
    assert year_end(fw, pemda, snap, paced, ForecastOptions(draws=2000)) not in (made, free)
    assert year_end(fw, pemda, snap, paced) is made  # now the most recently asked for
    docs = snap.documents.copy()
    row = docs.index[docs["status"] == BELUM][0]
    docs.loc[row, "status"] = DIUNGGAH
    other = year_end(fw, pemda, dataclasses.replace(snap, documents=docs), paced)
    assert other is not made
    assert year_end(fw, pemda, snap, paced) is made
    assert year_end(fw, pemda, snap, paced, ForecastOptions(use_capacity=False)) is not free  # the oldest went
    assert len(forecast._ENGINES) == forecast.ENGINES_KEPT


def test_an_opds_pace_is_bounded_by_its_recorded_capacity():
    """Ten open documents of 2 person-days, an observed pace of 5 a month, 2 months to the close
    with the last twice as busy (3 months of work): the pace wants min(15, 0.85 × 10) = 8.5
    documents; 4 person-days a month allow 4 × 2 / 2 = 4. The smaller counts, and the brief says so."""
    import numpy as np

    from mcp_lib.forecast import opd_paces

    (p,) = opd_paces(np.array(["BPKAD"] * 10), np.full(10, 2.0), {"BPKAD": 5.0}, {"BPKAD": 4.0}, 2.0, RiskParams())
    assert (p.expected, p.person_days, p.bounded) == (4.0, 8.0, True)
    assert p.capacity_documents == 2.0 and p.pace_exceeds_capacity
    (free,) = opd_paces(np.array(["BPKAD"] * 10), np.full(10, 2.0), {"BPKAD": 5.0}, {}, 2.0, RiskParams())
    assert (free.expected, free.bounded, free.pace_exceeds_capacity) == (8.5, False, False)


def _engine(**kw):
    """Five verified and five open documents of 10 points each (one OPD), a month before the close."""
    from mcp_lib.forecast import YearEnd, totals_documents

    docs = totals_documents(50.0, 10, 2.0, awaiting=kw.pop("awaiting", 0.0), returned=0.0)
    cal = Calendar(dt.date(2023, 11, 30), dt.date(2024, 1, 15), "uji")
    return YearEnd(docs, kw.pop("params", RiskParams()), cal, dt.date(2023, 10, 31), condition=False, **kw)


def test_the_plan_redirects_the_paces_person_days():
    """Pace 1.5 documents a month, m = 30 / 30.4375 months left (31 October to 30 November), the last
    month twice as busy: 1.5 × 2m ≈ 2.96 of the 5 open documents (2 person-days each) go up, T ≈ 5.91
    of their 10 person-days (share T / 10). A plan of one document (2 days) leaves (T − 2) / (10 − 2)
    for each of the other four; a plan of three (6 days) leaves none."""
    engine = _engine(effort=np.full(10, 2.0), pace={"": 1.5})
    m = 30 / 30.4375
    through = 1.5 * 2 * m * 2.0  # documents × 2 person-days
    assert engine.shares()[0] == pytest.approx(through / 10)
    one = np.zeros(len(engine.still), bool)
    one[0] = True
    assert engine.shares(one)[0] == pytest.approx((through - 2) / 8)
    three = np.zeros(len(engine.still), bool)
    three[:3] = True
    assert engine.shares(three)[0] == 0.0
    assert engine.expected_uploads == pytest.approx(1.5 * 2 * m)


def test_the_calibrated_error_by_hand():
    """No risk of any kind (every document accepted, no pemda effect, no QA), nothing else goes up:
    two of the five open documents await verification, so every draw ends at 70, 0.4 of the gap from
    50. With the error σ = 0.95 a month before the close, P(final ≥ 80) = Φ((logit 0.4 − logit 0.6) /
    0.95) = Φ(−0.854) = 0.197."""
    from scipy.special import logit
    from scipy.stats import norm

    sure = RiskParams(pemda_sd=0.0, structural_zero=0.0, sub_survive=1.0, qa_risk=0.0, completion_max=0.0)
    engine = _engine(awaiting=1.0, params=sure)
    raw = engine.without()
    assert raw.min() == raw.max() == pytest.approx(100.0)  # all five accepted: 50 + 50
    engine = _engine(awaiting=0.4, params=sure)
    raw = engine.without()
    assert raw.min() == raw.max() == pytest.approx(70.0)
    out = engine.outlook(raw, 80.0)
    expected = norm.cdf((logit(0.4) - logit(0.6)) / sure.error_mid)
    assert expected == pytest.approx(0.197, abs=0.001)
    assert out.chance == pytest.approx(expected, abs=0.012)
    assert out.median == pytest.approx(70.0, abs=0.4)
    # the band is the error's: logit 0.4 ± 1.2816 σ, back on the scale of the gap from 50
    lo, hi = (50 + 50 / (1 + np.exp(-(logit(0.4) + x))) for x in (-1.2816 * sure.error_mid, 1.2816 * sure.error_mid))
    assert (out.p10, out.p90) == (pytest.approx(lo, abs=0.4), pytest.approx(hi, abs=0.4))


def test_the_totals_forecast_agrees_with_the_brief_on_a_pemda_known_by_its_totals(tmp_path):
    """A pemda whose framework has 100 equal documents (50 sub-indicators of two) and whose one
    snapshot is what its totals say: 40 verified (score 40), 30 awaiting verification (claim 70),
    returned and not uploaded the rest as ``mcp forecast`` splits it, no pace, no capacity, no pemda
    effect: the brief's engine and ``mcp forecast --score 40 --claim 70`` give the same year's end."""
    import pandas as pd

    from mcp_lib.framework.folder import load_framework
    from mcp_lib.pemda.settings import load_pemda

    fw_dir = tmp_path / "frameworks" / "mcp-2023"
    fw_dir.mkdir(parents=True)
    subs = [f"A.1.{i}" for i in range(50)]
    pd.DataFrame(
        {
            "area_code": "A",
            "area_name": "Area A",
            "area_weight": 100,
            "indicator_code": "A.1",
            "indicator_name": "Indikator",
            "indicator_weight": 100,
            "subindicator_code": subs,
            "subindicator_name": "Sub",
            "subindicator_weight": 2,
            "applies_to": "semua",
            "default_opd": "OPD",
        }
    ).to_csv(fw_dir / "framework.csv", index=False)
    codes = [f"{s}.D{j}" for s in subs for j in (1, 2)]
    pd.DataFrame(
        {"subindicator_code": [c.rsplit(".", 1)[0] for c in codes], "doc_code": codes, "doc_name": "Dok", "points": 50}
    ).to_csv(fw_dir / "evidence.csv", index=False)
    (fw_dir / "bands.csv").write_text("band,lower_bound,colour\nRendah,0,#d7301f\nTinggi,50,#1a9850\n")
    (fw_dir / "framework.toml").write_text("year = 2023\nupload_close = 2023-11-30\nfinal_date = 2024-01-15\n")
    folder = tmp_path / "pemda" / "kota-total"
    (folder / "status").mkdir(parents=True)
    (folder / "pemda.toml").write_text(
        'name = "Kota Total"\nkind = "kota"\nprovince = "Uji"\nframework = 2023\ntarget = 80\n'
        "\n[risiko]\npemda_sd = 0\n"
    )
    p = RiskParams()
    awaiting = 30 / 60
    returned = round(p.returned_share * (1 - awaiting) / (1 - p.awaiting_share) * 60)
    status = ["diverifikasi"] * 40 + ["diunggah"] * 30 + ["perlu_perbaikan"] * returned
    status += ["belum"] * (100 - len(status))
    rng = np.random.default_rng(3)
    order = rng.permutation(100)  # which documents: any, they weigh the same
    pd.DataFrame(
        {
            "doc_code": [codes[i] for i in order],
            "opd": "OPD",
            "status": status,
            "verified_points": [50 if s == "diverifikasi" else "" for s in status],
            "effort_days": "",
            "due_date": "",
            "blocker": "",
            "note": "",
        }
    ).to_csv(folder / "status" / "2023-10-31.csv", index=False)
    fw, pemda = load_framework(fw_dir), load_pemda(folder)
    snap = load_period(pemda, fw, "2023-10")
    brief = forecast_pemda(fw, pemda, snap, target=80)  # no history: the typical completion
    assert brief.basis == "kurva" and brief.current == pytest.approx(40) and brief.claim == pytest.approx(70)
    total = DashboardTotal(40, snap.date, claim=70, kind="kota", framework=fw)
    totals = forecast_totals(total, 80, ForecastOptions(calendar=brief.calendar))
    for q in ("p10", "median", "p90"):
        assert getattr(brief, q) == pytest.approx(getattr(totals, q), abs=1.0), q
    assert brief.p_target == pytest.approx(totals.p_target, abs=0.03)


def test_a_chance_is_the_same_read_on_either_side_of_the_error():
    """The planner compares raw scores with a per-draw threshold, the brief calibrates the scores:
    in every draw, reaching the target one way is reaching it the other way."""
    engine = _engine(awaiting=0.4, pace={"": 1.0})
    raw = engine.without()
    for target in (60.0, 70.0, 80.0, 95.0):
        assert ((engine.calibrate(raw) >= target - 1e-9) == (raw >= engine.threshold(target) - 1e-9)).mean() > 0.999


def test_the_uploads_expected_by_a_date(lubuklinggau):
    """Two months to the close, the last one twice as busy (3 months' work at the average pace):
    a third of the uploads in the first month, the rest in the second. What the last meeting's
    projection expected by today is that share of its expected uploads."""
    from mcp_lib.forecast import uploaded_share_by

    assert uploaded_share_by(0.0, 2.0, 2.0) == 0.0
    assert uploaded_share_by(1.0, 2.0, 2.0) == pytest.approx(1 / 3)
    assert uploaded_share_by(1.5, 2.0, 2.0) == pytest.approx(2 / 3)
    assert uploaded_share_by(3.0, 2.0, 2.0) == 1.0
    f = _forecast(*lubuklinggau, "2023-09")
    assert f.expected_uploads > 1
    assert f.expected_by(f.as_of) == 0.0
    assert f.expected_by(f.calendar.close) == pytest.approx(f.expected_uploads)
    halfway = f.as_of + (f.calendar.close - f.as_of) / 2
    assert 0 < f.expected_by(halfway) < f.expected_uploads / 2  # the busy month is the last


def test_a_dashboard_total_is_of_a_known_kind_and_takes_its_years_calendar():
    with pytest.raises(ValueError, match="is none of provinsi, kabupaten, kota"):
        DashboardTotal(70, dt.date(2025, 10, 1), kind="Kota")
    total = DashboardTotal(70, dt.date(2025, 10, 1), kind="kota")
    assert total.framework_year == 2025 and total.documents() == (680, 680 / 122)
    assert DashboardTotal(70, dt.date(2025, 10, 1), year=2023).documents() == (143, 143 / 63)
    assert total.calendar(ForecastOptions()) == default_calendar(2025)
    given = Calendar(dt.date(2025, 11, 1), dt.date(2026, 1, 1), "uji")
    assert total.calendar(ForecastOptions(calendar=given)) is given
    # without a calendar: the year's, as mcp forecast takes it without --close/--final
    alone = forecast_totals(total, 90, ForecastOptions(draws=1000))
    assert (
        alone.as_dict()
        == forecast_totals(total, 90, ForecastOptions(draws=1000, calendar=default_calendar(2025))).as_dict()
    )


def test_the_engine_counts_an_item_scored_by_whole_units_only_at_its_steps():
    """On the 2026-shaped fixture, with certain verification: the year's end adds only whole steps
    of the stepped items (A.1 +20, A.2 +6, B.1 +12.5: sums of these), never a document's share, and
    with every awaiting document accepted A.1's last document completes it (+20 in every draw)."""
    from conftest import METHODS

    from mcp_lib.framework.folder import load_framework
    from mcp_lib.risk.params import CERTAIN

    fw = load_framework(2026, METHODS)
    pemda = load_pemda("kab-metode", METHODS)
    snap = load_period(pemda, fw, "2026-10")
    engine = year_end(fw, pemda, snap, options=ForecastOptions(risk=CERTAIN, draws=2000))
    steps = engine.step_term()
    sums = {round(a + b + c, 6) for a in (0, 20) for b in (0, 6) for c in (0, 12.5)}
    assert set(np.round(steps, 6)) <= sums
    assert (steps >= 20 - 1e-9).all()
    risky = year_end(fw, pemda, snap, options=ForecastOptions(draws=2000))
    assert set(np.round(risky.step_term(), 6)) <= sums
    assert 0 < (risky.step_term() >= 20).mean() < 1
