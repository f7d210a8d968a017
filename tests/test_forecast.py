"""The year-end forecast: from a pemda's snapshots and from totals alone (against real years:
test_backtest.py)."""

import datetime as dt
import json

import pytest

from mcp_lib.cli import main
from mcp_lib.forecast import (
    effective_months,
    forecast_pemda,
    forecast_totals,
    upload_months,
)
from mcp_lib.mcp_calendar import Calendar, default_calendar
from mcp_lib.pemda import pemda_framework
from mcp_lib.pemda_file import load_pemda
from mcp_lib.risk_params import RiskParams
from mcp_lib.snapshot import load_history, load_period
from mcp_lib.trend import opd_history


@pytest.fixture(scope="module")
def lubuklinggau():
    pemda = load_pemda("kota-lubuklinggau")
    fw = pemda_framework(pemda)
    return pemda, fw


def _forecast(pemda, fw, period, **kw):
    snap = load_period(pemda, fw, period)
    history = opd_history(fw, pemda, load_history(pemda, fw, until=snap.date))
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
    f = forecast_pemda(fw, pemda, snap, calendar=closed)
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
    unknown = forecast_totals(72, dt.date(2025, 11, 13), kind="provinsi", calendar=cal, target=90)
    known = forecast_totals(72, dt.date(2025, 11, 13), claim=88, kind="provinsi", calendar=cal, target=90)
    assert known.median > unknown.median  # 16 points awaiting verification instead of ~5
    assert unknown.claim is None and known.claim == 88
    assert 0 <= unknown.p_target < known.p_target


def test_totals_forecast_after_the_close_and_at_100():
    cal = default_calendar(2025)
    late = forecast_totals(87.7, dt.date(2025, 12, 4), calendar=cal)
    assert late.expected_uploads == 0 and late.p10 >= 87.7 - 1.0
    full = forecast_totals(100, dt.date(2025, 12, 4), calendar=cal)
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
        (["--score", "60", "--date", "2023-10-31", "--framework", "1990"], 1, "tidak ditemukan"),
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
