"""The planning horizon and each OPD's queue (mcp_lib.schedule), as the plan shows them.

Tiny fixture (Kota Contoh, 2023-10-31): the candidates' gains and costs by hand are in
test_planner.py's docstring.
"""

import datetime as dt

import pandas as pd
import pytest
from plan_helpers import certain_plan, plan_codes

from mcp_lib.framework.calendar import Calendar
from mcp_lib.pemda.snapshot import load_period
from mcp_lib.plan.planner import PlanOptions, plan_path
from mcp_lib.risk.params import CERTAIN


def test_schedule_within_capacity(tiny_fw, kota, snap):
    plan = certain_plan(tiny_fw, kota, snap, 60, must=["B.1.2.D2"])
    docs = plan.documents.set_index("doc_code")
    # Inspektorat (5 days/month): 6 days finish 1.2 months after 31 Oct → December.
    assert docs.loc["B.1.2.D2", "due_month"] == "2023-12"
    assert docs.loc["A.1.1.D2", "due_month"] == "2023-11"  # uploaded: next verification
    curve = plan.schedule.pivot_table(index="date", columns="series", values="score")
    assert curve["rencana"].iloc[0] == pytest.approx(34.625)
    assert curve["rencana"].dropna().iloc[-1] == pytest.approx(plan.verdict.score_after)
    assert curve["rencana median"].iloc[-1] == pytest.approx(plan.verdict.final_band[1])  # at the final date
    assert (curve["rencana"].dropna().diff().dropna() >= 0).all()
    by_opd = plan.by_opd.set_index("opd")
    assert by_opd.loc["Inspektorat", "effort"] == 6
    assert by_opd.loc["Inspektorat", "capacity"] == pytest.approx(5 * 61 / 30.4375)


def test_each_opd_works_through_its_own_queue(tiny_fw, kota, snap):
    """BPKAD (4 days a month) and Inspektorat (5 a month) each start on 31 October."""
    plan = certain_plan(
        tiny_fw, kota, snap, 50, must=["A.1.2.D1", "B.1.2.D2"], capacity={"BPKAD": 4}, use_capacity=True
    )
    finish = plan.documents.set_index("doc_code")["finish"]
    start = dt.date(2023, 10, 31)
    assert finish["A.1.2.D1"] == start + dt.timedelta(days=int(4 / 4 * 30.4375))  # one month of BPKAD
    assert finish["B.1.2.D2"] == start + dt.timedelta(days=int(6 / 5 * 30.4375))  # 1.2 months of Inspektorat
    curve = plan.schedule[plan.schedule["series"] == "rencana"]
    assert [d.isoformat() for d in curve["date"]] == ["2023-10-31", "2023-11-30", "2023-12-31"]


def test_without_capacity_a_document_due_on_the_horizon_finishes_then(tiny_fw, kota, snap):
    plan = certain_plan(tiny_fw, kota, snap, 50, must=["B.1.2.D2"], capacity={"Inspektorat": None}, use_capacity=False)
    # B.1.2.D2 is due 30 November, inside the horizon: it finishes on its due date
    assert plan.documents.set_index("doc_code").loc["B.1.2.D2", "finish"] == dt.date(2023, 11, 30)


def test_half_a_month_of_capacity_is_half_a_month(tiny_fw, kota, snap):
    cal = Calendar(dt.date(2023, 11, 15), dt.date(2024, 1, 15), "uji")  # 15 days to the close
    plan = plan_path(tiny_fw, kota, snap, 60, PlanOptions(calendar=cal, capacity={"BPKAD": 8}, risk=CERTAIN))
    cap = plan.by_opd.set_index("opd").loc["BPKAD", "capacity"]
    assert cap == pytest.approx(8 * 15 / 30.4375)  # not a whole month's 8


def _with_settings(tiny_copy, extra: str = "", deadline: str | None = "2023-12-31"):
    from mcp_lib.framework.folder import load_framework
    from mcp_lib.pemda.settings import load_pemda

    toml = tiny_copy / "pemda" / "kota-contoh" / "pemda.toml"
    text = toml.read_text(encoding="utf-8")
    text = text.replace("deadline = 2023-12-31\n", f"deadline = {deadline}\n" if deadline else "")
    toml.write_text(text.replace("[final_scores]", f"{extra}\n[final_scores]", 1), encoding="utf-8")
    return load_framework(2023, tiny_copy), load_pemda("kota-contoh", tiny_copy)


def test_a_deadline_already_passed_gives_way_to_the_upload_close(tiny_copy):
    fw, pemda = _with_settings(tiny_copy, deadline="2023-10-15")
    plan = plan_path(fw, pemda, load_period(pemda, fw, "2023-10"), 60, PlanOptions(risk=CERTAIN, confidence=0))
    assert plan.horizon == dt.date(2023, 12, 31)  # the tiny framework's upload close
    assert any("Tenggat pemda 15 Oktober 2023 sudah lewat" in n for n in plan.notes)
    assert plan.verdict.reachable and plan.verdict.effort == 6  # as with a deadline in December
    assert not (plan.obstacles["kind"] == "kapasitas").any()
    assert (pd.to_datetime(plan.documents["finish"]) > pd.Timestamp("2023-10-31")).all()


def test_after_the_upload_close_only_verification_remains(tiny_copy):
    fw, pemda = _with_settings(tiny_copy, extra="upload_close = 2023-10-20\nfinal_date = 2024-01-15")
    snap = load_period(pemda, fw, "2023-10")
    plan = plan_path(fw, pemda, snap, 60)
    assert plan_codes(plan) == {"A.1.1.D2"}  # only what awaits verification
    assert not plan.verdict.reachable and plan.verdict.score_after == pytest.approx(42.125)
    assert list(plan.obstacles["kind"]) == ["batas unggah"]  # no "kapasitas 0 hari-orang" per OPD
    assert any("Batas unggah 20 Oktober 2023 sudah lewat" in n for n in plan.notes)
    assert "sudah lewat" in plan.verdict.limits[0] or not plan.verdict.limits
    low = plan_path(fw, pemda, snap, 40)
    assert low.verdict.reachable and low.verdict.effort == 0
    assert 0 < low.verdict.p_target < 1  # the uploaded document may still be returned


def test_a_snapshot_in_january_inside_the_assessment_window(tiny_copy):
    """Default deadline (31 December) passed, upload close in January: the plan runs to the close."""
    import shutil

    fw, pemda = _with_settings(tiny_copy, extra="upload_close = 2024-01-20\nfinal_date = 2024-02-15", deadline=None)
    status = tiny_copy / "pemda" / "kota-contoh" / "status"
    shutil.copy(status / "2023-10-31.csv", status / "2024-01-05.csv")
    snap = load_period(pemda, fw, "2024-01")
    plan = plan_path(fw, pemda, snap, 50, PlanOptions(risk=CERTAIN))
    assert plan.horizon == dt.date(2024, 1, 20)
    assert any("Tenggat pemda 31 Desember 2023 sudah lewat" in n for n in plan.notes)
    assert (plan.documents["due_month"] == "2024-01").all()  # no work in months already over


def test_mcp_plan_and_score_say_the_dates_have_passed(tiny_copy, capsys):
    from mcp_lib.app.cli import main

    _with_settings(tiny_copy, extra="upload_close = 2023-10-20", deadline="2023-10-15")
    args = ["--data-dir", str(tiny_copy), "plan", "--pemda", "kota-contoh", "--period", "2023-10"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Batas unggah 20 Oktober 2023 sudah lewat" in out and "kapasitas 0" not in out
    assert main(["--data-dir", str(tiny_copy), "score", "--pemda", "kota-contoh", "--period", "2023-10"]) == 0
    out = capsys.readouterr().out
    assert "tenggat 20 Oktober 2023 sudah lewat" in out and "Batas unggah 20 Oktober 2023 sudah lewat" in out


def test_alone_finish_is_each_candidate_scheduled_on_its_own():
    """The finish of each candidate first in its OPD's queue, computed for all at once, is what
    the schedule gives it chosen alone: capacity or none, zero capacity, uploaded, no effort,
    due dates before, on and after the horizon, work longer than the horizon."""
    import numpy as np

    from mcp_lib.schedule import Schedule, alone_finish
    from mcp_lib.statuses import DIUNGGAH

    start, horizon = dt.date(2025, 10, 31), dt.date(2025, 12, 31)
    rng = np.random.default_rng(3)
    n = 60
    cand = pd.DataFrame(
        {
            "cost": rng.choice([0.0, 0.5, 2.0, 7.0, 90.0], n),
            "status": rng.choice([DIUNGGAH, "belum", "perlu_perbaikan"], n),
            "due_date": [
                None if k == 0 else start + dt.timedelta(days=int(k)) for k in rng.choice([0, -5, 10, 61, 200], n)
            ],
        }
    )
    group = rng.integers(0, 4, n)
    per_month = np.array([10.0, np.inf, 0.0, 3.0])
    sched = Schedule(cand, group, per_month, start, horizon)
    expected = []
    for i in range(n):
        x = np.zeros(n, bool)
        x[i] = True
        expected.append(sched.finish_days(x)[i])
    assert alone_finish(sched).tolist() == expected
    assert len(set(expected)) > 5  # the cases differ
