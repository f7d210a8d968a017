"""The explorer driven without a browser: set widget values, check the recomputed state against
mcp_lib.scoring and mcp_lib.plan.planner called directly."""

import json
import threading
import time

import pandas as pd
import pytest
import traitlets
from conftest import TINY

from mcp_lib import text
from mcp_lib.app.explore import Explorer
from mcp_lib.brief.request import BriefRequest
from mcp_lib.brief.steps import prepare
from mcp_lib.pemda.snapshot import load_history, load_period
from mcp_lib.plan.planner import PlanOptions, plan_path
from mcp_lib.plan.scenario import apply_assumptions, read_assumptions
from mcp_lib.scoring import score_snapshot
from mcp_lib.trend import opd_history


@pytest.fixture
def ex():
    explorer = Explorer("kota-contoh", "2023-10", TINY, confidence=0.8)
    yield explorer
    explorer.close()


def _expected_plan(ex):
    snap = apply_assumptions(ex.framework, ex.snapshot, ex.assumed_done, ex.assumed_rejected)
    history = opd_history(ex.framework, ex.pemda.kind, load_history(ex.pemda, ex.framework, until=ex.snapshot.date))
    options = PlanOptions(allow_blocked=ex.w_blocked.value, confidence=ex.w_confidence.value)
    return plan_path(ex.framework, ex.pemda, snap, ex.w_target.value, options, opd_history=history)


def test_starts_on_the_period_with_the_files_as_they_are(ex, tiny_fw, kota):
    assert ex.snapshot.date.isoformat() == "2023-10-31"
    direct = score_snapshot(tiny_fw, kota, load_period(kota, tiny_fw, "2023-10"))
    assert ex.scores.verified == pytest.approx(direct.verified) == pytest.approx(34.625)
    assert ex.delta == 0 and ex.delta_label == ""
    assert ex.headline["Nilai terverifikasi"] == "34,6%"
    assert ex.w_target.value == 90
    assert "34,6%" in ex.out_headline.value


def test_assume_done_and_rejected(ex):
    ex.w_done.value = ("B.1.1.D1",)  # +26.25 (test_planner)
    assert ex.scores.verified == pytest.approx(60.875)
    assert ex.delta == pytest.approx(26.25)
    assert ex.delta_label == "+26,3 poin jika 1 dokumen dianggap selesai"
    assert "+26,3 poin" in ex.out_delta.value
    ex.w_rejected.value = ("A.1.1.D1",)  # loses 60·.1875 = 11.25
    assert ex.scores.verified == pytest.approx(60.875 - 11.25)
    assert ex.delta_label == "+15,0 poin jika 1 dokumen dianggap selesai dan 1 dokumen dianggap ditolak"
    assert ex.plan.verdict.effort == _expected_plan(ex).verdict.effort
    assert ex.base.verified == pytest.approx(34.625)  # the file is untouched


def test_target_confidence_and_blocked_toggle_replan(ex):
    ex.w_target.value = 60
    expected = _expected_plan(ex)
    assert ex.plan.verdict == expected.verdict
    assert set(ex.plan.documents["doc_code"]) == set(expected.documents["doc_code"])
    v = expected.verdict
    waiting = int((expected.documents["status"] == "diunggah").sum())
    assert ex.headline["Rencana"] == (
        f"{v.documents - waiting} dokumen baru, {v.effort:.0f} hari-orang; kawal {waiting} unggahan"
    )
    assert ex.headline["Peluang bila rencana dijalankan"].startswith(text.chance(v.with_plan.chance))
    assert ex.headline["Peluang bila laju sekarang berlanjut"].startswith(text.chance(v.without_plan.chance))
    ex.w_target.value = 75
    assert not ex.plan.verdict.reachable and "tidak tercapai" in ex.headline["Rencana"]
    ex.w_blocked.value = True
    assert ex.plan.verdict.reachable and ex.plan.verdict.exact_effort == 7  # test_planner: B.1.1 + A.2.1
    ex.w_confidence.value = 0.95
    assert ex.plan.verdict == _expected_plan(ex).verdict


def test_confidence_slider_recomputes_the_plan_with_reserve(ex):
    ex.w_target.value = 50
    ex.w_confidence.value = 0.0  # the minimal plan (test_planner): A.2.1.D1 and the uploaded A.1.1.D2
    assert not ex.plan.documents["reserve"].any()
    assert ex.headline["Rencana"].startswith("1 dokumen baru, 2 hari-orang")
    ex.w_confidence.value = 0.7
    assert ex.plan.verdict == _expected_plan(ex).verdict
    assert ex.plan.documents["reserve"].any() and "cadangan" in ex.out_plan.value
    assert "keyakinan 70% (setelan): terpenuhi" in ex.assumes
    ex.w_confidence.value = 0.99  # out of reach: the highest chance and what limits it
    assert "tidak terpenuhi dalam kapasitas" in ex.assumes


def test_forecast_band_in_the_headline_and_the_trend(ex):
    f, v = ex.forecast, ex.plan.verdict
    assert f.p10 <= f.median <= f.p90
    assert f.outlook == v.without_plan  # the trend's band is the chance without a plan's
    assert ex.headline["Peluang bila laju sekarang berlanjut"].endswith(f"(nilai akhir {text.band(f.p10, f.p90)})")
    assert "pita biru" in ex.out_trend.value and ex.out_trend.value.count("<svg") == 1


def test_the_trend_charts_kept_are_bounded(ex, monkeypatch):
    """Each forecast shown draws its trend chart once; going through many keeps at most
    ``PLAN_CACHE`` of them (the explorer is left open for a whole session)."""
    import dataclasses

    from mcp_lib.app import explore

    f = ex.forecast  # computed and shown: nothing is drawn behind the test's back
    drawn = []
    monkeypatch.setattr(
        explore.charts, "figure", lambda chart, caption: drawn.append(caption) or f"<svg>{len(drawn)}</svg>"
    )
    first = ex._trend(dataclasses.replace(f, median=f.median + 0.5))
    assert ex._trend(dataclasses.replace(f, median=f.median + 0.5)) == first and len(drawn) == 1
    for k in range(explore.PLAN_CACHE + 5):
        ex._trend(dataclasses.replace(f, median=f.median + k / 1000))
    assert len(ex._chart_cache) == explore.PLAN_CACHE


def test_filters(ex):
    ex.w_area.value = ("Area A",)
    assert list(ex.areas["area_name"]) == ["Area A"]
    assert set(ex.documents["area_code"]) == {"A"}
    assert set(ex.plan_documents["doc_code"]) <= set(ex.documents["doc_code"])
    ex.w_area.value = ()
    ex.w_opd.value = ("Inspektorat",)
    assert list(ex.opds["opd"]) == ["Inspektorat"]
    assert ex.opds["points_open"].iloc[0] == pytest.approx(34.125)  # test_scoring
    ex.w_opd.value = ()
    ex.w_status.value = ("perlu_perbaikan",)
    assert list(ex.documents["doc_code"]) == ["A.1.2.D1"]
    ex.w_status.value = ()
    ex.w_band.value = ("Merah",)  # area B at 9 is Merah, A at 50 is Biru
    assert list(ex.areas["area_code"]) == ["B"]
    assert "Area B" in ex.out_areas.value and "Area A" not in ex.out_areas.value


def test_snapshot_picker_moves_through_time_and_marks_the_trend(ex):
    ex.w_snapshot.value = 0
    assert ex.snapshot.date.isoformat() == "2023-08-31"
    assert ex.scores.verified == pytest.approx(3.375)
    ex.wait()  # the trend shows the forecast, computed with the plan
    assert "31 Agu 2023" in ex.out_trend.value  # the marked date on the chart
    ex.w_snapshot.value = 1
    assert ex.scores.verified == pytest.approx(14.625)
    assert ex.headline["Tanggal"] == "30 September 2023"


@pytest.mark.slow
def test_export_writes_what_mcp_brief_accepts(ex, tmp_path):
    ex.w_done.value = ("B.1.1.D1",)
    ex.w_rejected.value = ("A.1.1.D1",)
    ex.w_target.value = 80
    paths = ex.export(tmp_path, "rabu")
    assert read_assumptions(paths["asumsi"]) == (["B.1.1.D1"], ["A.1.1.D1"])
    settings = json.loads(paths["json"].read_text())
    assert settings["target"] == 80 and "--assume-done" in settings["command"]
    assert settings["verified"] == pytest.approx(49.625)
    sheets = pd.read_excel(paths["xlsx"], sheet_name=None)
    assert list(sheets) == ["Asumsi", "Ringkasan", "Area", "OPD", "Rencana"]
    again = ex.export(tmp_path, "rabu")  # never overwrites
    assert again["asumsi"].name == "rabu-2-asumsi.csv"
    for kind in ("asumsi", "xlsx"):  # the same scenario, the same bytes (no time of writing)
        assert again[kind].read_bytes() == paths[kind].read_bytes(), kind
    assert again["json"].read_text().replace("rabu-2-", "rabu-") == paths["json"].read_text()
    assert not [p.name for p in tmp_path.rglob(".*.tmp")]
    # The brief built from the exported file shows the same scores, and says it is a scenario.
    b = prepare(BriefRequest("kota-contoh", "2023-10", data_dir=TINY, target=80, assume_done=paths["asumsi"]))
    assert b.scores.verified == pytest.approx(ex.scores.verified)
    assert b.is_scenario and b.assumed_done == ("B.1.1.D1",)


def test_export_button(ex, tmp_path, monkeypatch):
    import mcp_lib.app.explore as explore

    monkeypatch.setattr(explore, "OUTPUTS_DIR", tmp_path)
    ex.w_export.click()
    assert (tmp_path / "kota-contoh" / "skenario" / "skenario-asumsi.csv").is_file()
    assert "mcp brief" in ex.out_export.value


def test_each_change_recomputes_on_the_sample_and_its_time_is_printed():
    """Speed is for the benchmarks (benchmarks/bench_explore.py); here: every change really
    recomputes (the headline follows). The times printed are the handlers' (the plan follows in
    the background)."""
    ex = Explorer("kota-lubuklinggau", "2023-10")
    before = ex.plan.verdict
    started = time.perf_counter()
    ex.w_target.value = 85
    first = time.perf_counter() - started
    assert ex.headline["Target"] == "85,0%" and ex.plan.verdict.target == 85 and ex.plan.verdict != before
    started = time.perf_counter()
    ex.w_done.value = ("A5.1.1.D1",)
    second = time.perf_counter() - started
    assert ex.delta > 0 and "A5.1.1.D1" not in set(ex.plan.documents["doc_code"])
    print(f"\nexplorer recompute on the sample: target {first:.2f} s, what-if {second:.2f} s")


@pytest.mark.slow
def test_explore_notebook_runs_headless(tmp_path):
    import papermill as pm

    from mcp_lib.run.kernel import KERNEL_NAME, check_parameters, ensure_kernel
    from mcp_lib.run.runner import NOTEBOOK_DIR

    params = {
        "pemda": str((TINY / "pemda" / "kota-contoh").resolve()),
        "period": "2023-09",
        "data_dir": str(TINY.resolve()),
    }
    check_parameters(NOTEBOOK_DIR / "90_explore.ipynb", params)
    ensure_kernel()
    out = pm.execute_notebook(
        str(NOTEBOOK_DIR / "90_explore.ipynb"),
        str(tmp_path / "out.ipynb"),
        parameters=params,
        kernel_name=KERNEL_NAME,
        cwd=str(tmp_path),
        progress_bar=False,
    )
    shown = [o for o in out.cells[-1].outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert len(shown) == 1


@pytest.mark.slow
def test_the_explorer_on_a_680_document_four_level_framework():
    """The 2025 kabupaten: the explorer's filters, what-if and plan follow the declared levels."""
    ex = Explorer("kab-musi-rawas", "2025-10")
    assert len(ex.w_area.options) == 8 and ex.framework.levels[1].key == "sasaran"
    expected = score_snapshot(ex.framework, ex.pemda, ex.snapshot)
    assert ex.scores.verified == pytest.approx(expected.verified)
    ex.w_area.value = ("Optimalisasi Pajak Daerah",)
    assert list(ex.areas["area_name"]) == ["Optimalisasi Pajak Daerah"]
    waiting = ex.snapshot.documents.query("status == 'diunggah'")["doc_code"].iloc[0]
    ex.w_done.value = (waiting,)
    assert ex.delta > 0 and waiting not in set(ex.plan.documents["doc_code"])


def test_a_month_without_a_snapshot_is_refused_as_the_brief_refuses_it():
    """Opened on 2023-01 the explorer showed October without a word; the brief refuses that month.
    Now both say the same, naming the months that exist."""
    from mcp_lib.errors import InputError

    with pytest.raises(InputError) as exc:
        Explorer("kota-contoh", "2023-01", TINY)
    said = str(exc.value)
    assert "tidak ada snapshot untuk periode 2023-01" in said and "2023-10" in said


def test_the_bands_are_the_framework_s_own(tiny_copy):
    """The band filter, each area's band and the trend's band lines come from the framework's
    bands.csv: names no code knows (one with markup, escaped on the chart) work as 2023's do."""
    (tiny_copy / "frameworks" / "mcp-2023" / "bands.csv").write_text(
        "band,lower_bound,colour\nBawah <i>,0,#123456\nTengah & Co,30,#abcdef\nAtas,60,#0a0b0c\n", encoding="utf-8"
    )
    ex = Explorer("kota-contoh", "2023-10", tiny_copy, confidence=0.8)
    assert ex.w_band.options == ("Bawah <i>", "Tengah & Co", "Atas")
    assert dict(zip(ex.areas["area_code"], ex.areas["band"], strict=True)) == {"A": "Tengah & Co", "B": "Bawah <i>"}
    assert "Bawah &lt;i&gt;" in ex.out_areas.value and "<i>" not in ex.out_areas.value
    ex.w_band.value = ("Tengah & Co",)  # area A at 50
    assert list(ex.areas["area_code"]) == ["A"] and "Bawah" not in ex.out_areas.value
    ex.wait()
    trend = ex.out_trend.value
    assert ">Tengah &amp; Co ≥ 30</text>" in trend and ">Atas ≥ 60</text>" in trend and "Bawah" not in trend
    assert 'stroke="#abcdef"' in trend and "<i>" not in trend


# --- issue 30: each control recomputes only what it changes --------------------------------------


class _Counting:
    """Wraps a function of mcp_lib.app.explore, counting calls; with ``gate``, each call says it
    has started (``entered``) and waits until the gate is set (a plan as long as the test wants)."""

    def __init__(self, fn, gate=None):
        self.fn, self.gate, self.calls = fn, gate, []
        self.entered = threading.Event()

    def __call__(self, *args, **kwargs):
        self.calls.append(args)
        self.entered.set()
        if self.gate is not None:
            assert self.gate.wait(30), "the test never opened the gate"
        return self.fn(*args, **kwargs)


@pytest.fixture
def counted(monkeypatch):
    """``(planner, scorer, forecaster)``: call counters on the explorer's plan_path,
    score_snapshot and forecast_pemda."""
    import mcp_lib.app.explore as explore

    planner, scorer = _Counting(explore.plan_path), _Counting(explore.score_snapshot)
    forecaster = _Counting(explore.forecast_pemda)
    monkeypatch.setattr(explore, "plan_path", planner)
    monkeypatch.setattr(explore, "score_snapshot", scorer)
    monkeypatch.setattr(explore, "forecast_pemda", forecaster)
    return planner, scorer, forecaster


def test_a_filter_neither_plans_nor_scores(counted):
    planner, scorer, _forecaster = counted
    ex = Explorer("kota-contoh", "2023-10", TINY, confidence=0.8)
    ex.wait()
    assert len(planner.calls) == 1
    planner.calls.clear(), scorer.calls.clear()
    ex.w_area.value = ("Area A",)
    ex.w_opd.value = ("BPKAD",)
    ex.w_status.value = ("diverifikasi",)
    ex.w_band.value = ("Biru",)
    ex.wait()
    assert list(ex.documents["doc_code"]) == ["A.2.1.D1"] and list(ex.areas["area_code"]) == ["A"]
    assert "Area B" not in ex.out_areas.value
    assert planner.calls == [] and scorer.calls == []
    ex.close()


def test_plans_are_kept_per_setting_and_a_what_if_is_scored_once(counted):
    planner, scorer, forecaster = counted
    ex = Explorer("kota-contoh", "2023-10", TINY, confidence=0.8)
    ex.wait()
    first = ex.headline["Rencana"]
    ex.w_target.value = 50
    ex.wait()
    assert len(planner.calls) == 2
    ex.w_target.value = 90  # back: the plan kept, shown at once
    assert len(planner.calls) == 2 and ex.headline["Rencana"] == first and first in ex.out_headline.value
    assert len(forecaster.calls) == 2
    ex.w_confidence.value = 0.5
    ex.wait()
    ex.w_blocked.value = True
    ex.wait()
    assert len(planner.calls) == 4
    assert len(forecaster.calls) == 2  # the forecast reads neither setting: kept
    scored = len(scorer.calls)
    ex.w_done.value = ("B.1.1.D1",)
    assert len(scorer.calls) == scored + 1  # the what-if scenario; the file's scores are kept
    ex.w_done.value = ()
    ex.w_done.value = ("B.1.1.D1",)
    ex.wait()
    assert len(scorer.calls) == scored + 1 and ex.delta == pytest.approx(26.25)
    ex.close()


def test_a_what_if_shows_its_score_at_once_and_the_plan_after(monkeypatch):
    import mcp_lib.app.explore as explore

    ex = Explorer("kota-contoh", "2023-10", TINY, confidence=0.8)
    ex.wait()
    gate = threading.Event()
    planner = _Counting(explore.plan_path, gate)
    monkeypatch.setattr(explore, "plan_path", planner)
    ex.w_done.value = ("B.1.1.D1",)  # the handler returns while the plan waits at the gate
    assert ex.scores.verified == pytest.approx(60.875) and "+26,3 poin" in ex.out_delta.value
    shown = ex.out_headline.value
    assert "60,9%" in shown and "Rencana</small><br><b style='font-size:1.3em'>menghitung…</b>" in shown
    assert "sedang dihitung" in ex.out_plan.value and "sedang dihitung" in ex.out_trend.value
    assert planner.entered.wait(30)  # the what-if's plan is being computed
    ex.w_target.value = 60  # settings asked for while a plan computes: only the last is computed
    ex.w_target.value = 50
    gate.set()
    ex.wait()
    assert [call[3] for call in planner.calls] == [90.0, 50.0]
    assert ex.headline["Rencana"] in ex.out_headline.value and "menghitung" not in ex.out_headline.value
    assert ex.headline["Target"] == "50,0%" and ex.plan.verdict.target == 50
    ex.close()


def test_without_background_the_handler_computes_the_plan():
    ex = Explorer("kota-contoh", "2023-10", TINY, confidence=0.8, background=False)
    ex.w_target.value = 50
    assert "menghitung" not in ex.out_headline.value and "cadangan" in ex.out_plan.value


def test_the_what_if_picker_searches_code_name_opd_and_area(ex):
    picker = ex.w_done
    assert len(picker.matches.options) == 8 and "C.1.1.D1" not in picker.matching("")  # a kota: no Dana Desa
    picker.search.value = "a.1.1"
    assert picker.matches.options == (
        ("A.1.1.D1 Dok A11 satu · Bappeda", "A.1.1.D1"),
        ("A.1.1.D2 Dok A11 dua · Bappeda", "A.1.1.D2"),
    )
    assert "2 dari 8 dokumen cocok" in picker.found.value
    assert picker.matching("INSPEKTORAT") == ["B.1.1.D1", "B.1.2.D1", "B.1.2.D2"]  # OPD, any case
    assert picker.matching("inspektorat  DUA") == ["B.1.2.D2"]  # every word: OPD and name
    assert picker.matching("b12 satu") == ["B.1.2.D1"]
    assert picker.matching("dok a21") == ["A.2.1.D1", "A.2.1.D2"]
    assert picker.matching("tidak ada") == []


def test_the_what_if_picker_shows_and_removes_what_is_chosen(ex):
    picker = ex.w_done
    assert "Belum ada dokumen" in picker.count.value and picker.clear.disabled
    picker.search.value = "inspektorat"
    picker.matches.value = ("B.1.1.D1", "B.1.2.D2")
    picker.add.click()
    assert picker.value == ("B.1.1.D1", "B.1.2.D2")
    assert "2 dokumen dipilih" in picker.count.value
    rows = [row.children[1].value for row in picker.chosen.children]
    assert rows == [
        "<b>B.1.1.D1</b> Dok B11 <small>· Inspektorat · Area B</small>",
        "<b>B.1.2.D2</b> Dok B12 dua <small>· Inspektorat · Area B</small>",
    ]
    assert picker.matching("inspektorat") == ["B.1.2.D1"]  # the chosen ones leave the list
    assert ex.delta == pytest.approx(26.25 + 7.875)  # B.1.2.D2: 0.3 × 0.3 × 70 points, renormalised / 0.8
    picker.chosen.children[0].children[0].click()  # its remove button
    assert picker.value == ("B.1.2.D2",) and "1 dokumen dipilih" in picker.count.value
    assert ex.assumed_done == ["B.1.2.D2"]
    picker.clear.click()
    assert picker.value == () and ex.delta == 0 and ex.delta_label == ""
    with pytest.raises(traitlets.TraitError, match=r"C\.1\.1\.D1"):  # Dana Desa: not a kota's document
        picker.value = ("C.1.1.D1",)


def test_the_picker_escapes_what_it_shows(tiny_copy):
    evidence = tiny_copy / "frameworks" / "mcp-2023" / "evidence.csv"
    evidence.write_text(evidence.read_text().replace("Dok B11", "Dok <b>B11</b> & co"), encoding="utf-8")
    ex = Explorer("kota-contoh", "2023-10", tiny_copy, background=False)
    ex.w_rejected.value = ("B.1.1.D1",)
    row = ex.w_rejected.chosen.children[0].children[1].value
    assert "Dok &lt;b&gt;B11&lt;/b&gt; &amp; co" in row and "<b>B11" not in row
    assert ex.w_rejected.matching("<b>b11") == []  # chosen already
    assert ex.w_done.matching("<b>B11</b> &") == ["B.1.1.D1"]  # searched as written


def test_numbers_read_the_indonesian_way_and_labels_are_not_cut(ex):
    assert not ex.w_target.readout and not ex.w_confidence.readout  # d3 would show "90.0"
    assert ex.w_target_text.value == "<b>90,0%</b>" and ex.w_confidence_text.value == "<b>80%</b>"
    ex.w_target.value = 62.5
    ex.w_confidence.value = 0.95
    assert ex.w_target_text.value == "<b>62,5%</b>" and ex.w_confidence_text.value == "<b>95%</b>"
    described = [ex.w_snapshot, ex.w_target, ex.w_confidence, ex.w_done.search, ex.w_rejected.search, ex.w_name]
    assert {c.style.description_width for c in described} == {"initial"}
    assert ex.w_blocked.layout.width == "auto"


def test_filters_offer_only_what_applies_to_the_kind_of_pemda():
    kota = Explorer("kota-contoh", "2023-10", TINY, background=False)
    assert kota.w_area.options == ("Area A", "Area B")  # Dana Desa applies to kabupaten only
    kab = Explorer("kab-contoh", "2023-10", TINY, background=False)
    assert kab.w_area.options == ("Area A", "Area B", "Dana Desa")
    assert kab.w_done.matching("dana desa") == ["C.1.1.D1"]  # by its area's name only


def test_a_plan_that_fails_in_the_background_says_so(monkeypatch):
    import mcp_lib.app.explore as explore

    ex = Explorer("kota-contoh", "2023-10", TINY, confidence=0.8)
    ex.wait()

    def failing(*args, **kwargs):
        raise RuntimeError("HiGHS <berhenti>")

    monkeypatch.setattr(explore, "plan_path", failing)
    ex.w_target.value = 55
    with pytest.raises(RuntimeError, match="berhenti"):
        ex.wait()
    deadline = time.monotonic() + 30
    while "gagal dihitung" not in ex.out_headline.value and time.monotonic() < deadline:
        time.sleep(0.02)  # the background thread's callback renders it
    assert "Rencana</small><br><b style='font-size:1.3em'>gagal dihitung</b>" in ex.out_headline.value
    assert "Rencana tidak dapat dihitung: HiGHS &lt;berhenti&gt;" in ex.out_plan.value
    ex.close()
    ex.w_target.value = 90  # kept from the start: shown, with no thread
    assert "menghitung" not in ex.out_headline.value and ex.headline["Target"] == "90,0%"


def test_a_plan_that_cannot_be_shown_says_so_instead_of_waiting_for_ever(monkeypatch):
    """Showing a finished plan runs in the background thread's callback, whose exceptions the
    executor only logs: a failure there is said in place of the plan, never a 'menghitung…' left."""
    ex = Explorer("kota-contoh", "2023-10", TINY, confidence=0.8)
    ex.wait()

    pending = ex._render_plan

    def failing(result):
        if result is None:  # 'menghitung…', in the handler
            return pending(result)
        raise ValueError("grafik <rusak>")

    monkeypatch.setattr(ex, "_render_plan", failing)
    ex.w_target.value = 55
    deadline = time.monotonic() + 30
    while "gagal dihitung" not in ex.out_headline.value and time.monotonic() < deadline:
        time.sleep(0.02)
    assert "Rencana tidak dapat dihitung: grafik &lt;rusak&gt;" in ex.out_plan.value
    ex.close()
