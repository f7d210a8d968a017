"""What stands in the way of a plan (mcp_lib.plan.obstacles): the obstacles table and the limits of
the chance.

Tiny fixture (Kota Contoh, 2023-10-31): the candidates' gains and costs by hand are in
test_planner.py's docstring.
"""

import datetime as dt

import numpy as np
import pandas as pd
from plan_helpers import plan_codes

from mcp_lib.framework.calendar import Calendar
from mcp_lib.plan.obstacles import closed_obstacles, obstacles
from mcp_lib.plan.optimise import Problem01
from mcp_lib.plan.planner import PlanOptions, plan_path


def test_confidence_out_of_reach_reports_the_highest_chance_and_what_limits_it(tiny_fw, kota, snap):
    plan = plan_path(tiny_fw, kota, snap, 60, PlanOptions(confidence=0.8))
    v = plan.verdict
    assert v.reachable and not v.confidence_met
    assert 0.05 < v.with_plan.chance < 0.8  # the highest chance found is the one shown
    # everything that fits is planned; the blocked document and the time left are named
    assert plan_codes(plan) == {"A.1.1.D2", "A.1.2.D1", "A.2.1.D1", "B.1.2.D2"}
    text = " ".join(v.limits)
    assert "menunggu pihak luar" in text
    assert "unggah ulang" not in text  # two months to the close: time is not what limits it
    near = plan_path(
        tiny_fw, kota, snap, 60, PlanOptions(calendar=Calendar(dt.date(2023, 11, 20), dt.date(2024, 1, 15), "uji"))
    )
    assert any("sedikit kesempatan unggah ulang" in limit for limit in near.verdict.limits)


def test_limits_name_the_opd_whose_capacity_is_full(tiny_fw, kota, snap):
    plan = plan_path(tiny_fw, kota, snap, 70, PlanOptions(capacity={"BPKAD": 1}, allow_blocked=False, confidence=0.8))
    text = " ".join(plan.verdict.limits)
    if "kapasitas OPD habis" in text:
        assert "BPKAD" in text and "Inspektorat" not in text.split("kapasitas OPD habis")[1].split(";")[0]


def test_obstacles_name_blocked_and_ruled_out_documents_and_a_full_opd():
    # OPD A (capacity 5 person-days) does D1 (4 days): D2 (2 days) no longer fits. In B (no
    # capacity) D3 waits for an outside body and the user rules D4 out.
    cand = pd.DataFrame(
        {
            "doc_code": ["D1", "D2", "D3", "D4"],
            "opd": ["A", "A", "B", "B"],
            "gain": [5.0, 3.0, 2.0, 1.0],
            "blocked": [False, False, True, False],
            "blocker": ["", "", "menunggu BPN", ""],
        }
    )
    ban = np.array([False, False, True, True])
    prob = Problem01(
        cand["gain"].to_numpy(),
        np.array([4.0, 2.0, 1.0, 1.0]),
        9.0,
        np.array([0, 0, 1, 1]),
        np.array([5.0, np.inf]),
        np.zeros(4, bool),
        ban,
    )
    x = np.array([True, False, False, False])
    out = obstacles(cand, x, prob, ["A", "B"], False, {"D4"}, True)
    assert out[["kind", "opd", "points"]].to_numpy().tolist() == [
        ["terblokir", "B", 2.0],
        ["dikecualikan", "B", 1.0],
        ["kapasitas", "A", 3.0],
    ]
    assert out["doc_code"].tolist()[:2] == ["D3", "D4"] and pd.isna(out["doc_code"].iloc[2])  # an OPD's row
    assert out["detail"].tolist() == [
        "diblokir pihak luar: menunggu BPN",
        "dikecualikan oleh pengguna",
        "kapasitas 5 hari-orang sampai tenggat, terpakai 4; dokumen yang tersisa perlu paling sedikit 2 hari-orang",
    ]
    allowed = obstacles(cand, x, prob, ["A", "B"], True, {"D4"}, True)
    assert "terblokir" not in set(allowed["kind"])


def test_after_the_close_one_line_says_what_can_no_longer_go_up():
    cand = pd.DataFrame({"doc_code": ["D1", "D2", "D3"], "gain": [1.0, 2.0, 3.0]})
    calendar = Calendar(dt.date(2023, 10, 20), dt.date(2024, 1, 15), "uji")
    out = closed_obstacles(cand, np.array([True, False, False]), calendar)
    assert out[["kind", "opd", "points", "detail"]].to_numpy().tolist() == [
        [
            "batas unggah",
            "semua OPD",
            5.0,
            "batas unggah 20 Oktober 2023 sudah lewat: 2 dokumen tidak dapat diunggah lagi",
        ]
    ]
    assert out["doc_code"].isna().all()
    assert closed_obstacles(cand, np.ones(3, bool), calendar).empty
