"""The reports the commands print: score, plan verdicts and action list, forecast."""

import datetime as dt
import io
import re

import pandas as pd
import pytest
from conftest import TINY
from rich.console import Console

from mcp_lib.app.cli import main
from mcp_lib.app.console import forecast_lines, markup, print_plan, print_score
from mcp_lib.forecast import Forecast
from mcp_lib.framework.calendar import Calendar
from mcp_lib.plan.planner import PlanOptions


def _verified(text):
    m = re.search(r"Nilai terverifikasi \(verified\): (\d+),(\d)%", text)
    assert m, text
    return float(f"{m.group(1)}.{m.group(2)}")


def test_score_prints_total_band_areas_and_opds(capsys):
    assert main(["score", "--pemda", "kota-lubuklinggau", "--period", "2023-10"]) == 0
    out = capsys.readouterr().out
    assert 64.5 <= _verified(out) <= 65.5
    assert "predikat Biru" in out
    assert "Nilai per area" in out and "Optimalisasi Pajak Daerah" in out
    assert "OPD" in out and "Inspektorat" in out
    assert "Nilai akhir 2022: 87,0%" in out


def test_earlier_month_prints_a_lower_score(capsys):
    main(["score", "--pemda", "kota-lubuklinggau", "--period", "2023-10"])
    october = _verified(capsys.readouterr().out)
    main(["score", "--pemda", "kota-lubuklinggau", "--period", "2023-07"])
    assert _verified(capsys.readouterr().out) < october


def test_plan_infeasible_target_is_explained_not_raised(capsys):
    assert main(["plan", "--pemda", "kota-lubuklinggau", "--period", "2023-10", "--target", "99.5"]) == 0
    out = capsys.readouterr().out
    assert "Tidak tercapai" in out and "kurang" in out and "terblokir" in out
    assert not re.search(r"\bnan\b", out)  # an obstacle without a document prints no document code


def test_plan_shows_both_chances_the_keyakinan_and_the_minimal_plan(capsys):
    assert main(["plan", "--pemda", "kota-lubuklinggau", "--period", "2023-10", "--target", "90"]) == 0
    out = " ".join(capsys.readouterr().out.split())  # as one line: the terminal wraps
    assert "Bila laju sekarang berlanjut: peluang 66%" in out and "Bila rencana dijalankan: peluang 70%" in out
    assert "Disusun dengan keyakinan 80% (setelan): tidak terpenuhi dalam kapasitas OPD" in out
    assert "Rencana minimal (bila semua diterima dan tidak ada dokumen lain yang naik): 39 dokumen" in out
    assert "kawal verifikasi 35 dokumen" in out and not re.search(r"peluang 0%", out)
    assert "greedy" not in out and "rakus" not in out


def _console() -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, width=200, highlight=False, color_system=None), buffer


def test_markup_keeps_brackets_in_data_as_text():
    out, buffer = _console()
    out.print(f"[bold]{markup('Dinas [PUPR]')}[/bold] {markup('[/bold]')}")
    assert buffer.getvalue() == "Dinas [PUPR] [/bold]\n"


def _forecast(**kw) -> Forecast:
    fields = {
        "basis": "total",
        "as_of": dt.date(2023, 10, 31),
        "calendar": Calendar(dt.date(2023, 11, 30), dt.date(2024, 1, 15), "uji"),
        "current": 60.0,
        "claim": 75.0,
        "p10": 76.04,
        "median": 81.06,
        "p90": 86.12,
        "target": 80.0,
        "p_target": 0.61,
        "path": pd.DataFrame(),
        "open_documents": 100,
        "expected_uploads": 42.0,
        "pace": None,
        "assumptions": ("dokumen naik seperti pemda pada umumnya",),
    }
    return Forecast(**{**fields, **kw})


def test_forecast_lines_say_the_median_band_chance_and_assumptions():
    # the band rounded outward: 76,04 down to 76, 86,12 up to 87
    assert forecast_lines(_forecast()) == [
        "Proyeksi nilai final (15 Januari 2024) dari nilai total, pola pemda pada umumnya: median 81,1%, 80% "
        "antara 76–87%; peluang mencapai 80%: 61%",
        "  anggapan: dokumen naik seperti pemda pada umumnya",
    ]
    no_target = forecast_lines(_forecast(target=None, p_target=None, basis="laju", assumptions=()))
    assert no_target == [
        "Proyeksi nilai final (15 Januari 2024) bila laju sekarang berlanjut: median 81,1%, 80% antara 76–87%"
    ]
    unreachable = forecast_lines(_forecast(p_target=0.0, reachable=False))[0]
    assert "peluang mencapai 80%: 0%" in unreachable  # 0% only when it cannot happen


def test_print_score_reports_computed_results(tiny_fw):
    from mcp_lib.forecast import forecast_pemda
    from mcp_lib.pemda.settings import load_pemda
    from mcp_lib.pemda.snapshot import load_history, load_period
    from mcp_lib.scoring import score_snapshot
    from mcp_lib.trend import compute_trend, opd_history

    pemda = load_pemda("kota-contoh", TINY)
    snap = load_period(pemda, tiny_fw, "2023-10")
    history = load_history(pemda, tiny_fw, until=snap.date)
    scores = score_snapshot(tiny_fw, pemda, snap)
    trend = compute_trend(tiny_fw, pemda, history, target=80.0, deadline=dt.date(2023, 12, 31))
    forecast = forecast_pemda(tiny_fw, pemda, snap, opd_history=opd_history(tiny_fw, pemda.kind, history), target=80.0)
    out, buffer = _console()
    print_score(pemda, tiny_fw, "2023-10", snap, scores, trend, forecast, ["catatan uji"], out)
    text = buffer.getvalue()
    lines = text.splitlines()
    assert lines[0] == "Kota Contoh — periode 2023-10, snapshot 31 Oktober 2023"
    assert _verified(text) == pytest.approx(34.6)
    assert "Target: 80,0%; selisih 45,4 poin" in text  # 80 − 34,6
    assert "sampai 31 Desember 2023" in text and "catatan uji" in lines
    assert any(line.startswith("Proyeksi nilai final") for line in lines)
    assert "Nilai per area" in text and "Poin terbuka" in text


def test_print_plan_reports_the_verdict_and_the_action_list(tiny_fw):
    from mcp_lib.pemda.settings import load_pemda
    from mcp_lib.pemda.snapshot import load_period
    from mcp_lib.plan.targets import plan_targets
    from mcp_lib.risk.params import CERTAIN

    pemda = load_pemda("kota-contoh", TINY)
    snap = load_period(pemda, tiny_fw, "2023-10")
    plans = plan_targets(tiny_fw, pemda, snap, [60], PlanOptions(risk=CERTAIN, confidence=0))
    out, buffer = _console()
    print_plan(pemda, "2023-10", plans, out)
    text = buffer.getvalue()
    assert text.startswith("Kota Contoh — periode 2023-10, nilai terverifikasi 34,6%\n")
    assert re.search(r"^Target 60,0%$", text, re.MULTILINE)
    # the exact plan (test_planner): A.1.2.D1 and A.2.1.D1, 6 person-days, and the uploaded A.1.1.D2
    assert "Rencana: kawal verifikasi 1 dokumen yang sudah diunggah; selesaikan 2 dokumen (6 hari-orang)" in text
    assert "Daftar tindakan per OPD untuk target 60,0%" in text
    assert not re.search(r"\bnan\b", text)
