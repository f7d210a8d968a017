"""The data of one brief (mcp_lib.brief.data): achievement with or without its simulation."""

import pytest
from conftest import TINY

from mcp_lib.brief import data, steps
from mcp_lib.brief.request import BriefRequest


def test_the_achievement_alone_has_no_plan_and_says_which_step_makes_it(tmp_path):
    b = steps.capaian(BriefRequest("kota-contoh", "2023-10", data_dir=TINY), tmp_path, say=None)
    assert b.plans is None and b.forecast is None and b.scores.verified == pytest.approx(34.625)
    with pytest.raises(ValueError, match="02_simulasi"):
        _ = b.plan
    with pytest.raises(ValueError, match="02_simulasi"):
        _ = b.first_step


def test_the_overview_row_is_plain_values():
    b = steps.prepare(BriefRequest("kota-contoh", "2023-10", data_dir=TINY))
    row = data.overview_row(b)
    assert row["slug"] == "kota-contoh" and row["verified"] == b.scores.verified
    assert row["reachable"] == b.plan.verdict.reachable and row["forecast_median"] == b.forecast.median
    assert set(row["areas"]) == set(b.scores.by_area["area_name"])
    assert all(isinstance(v, (str, int, float, bool, dict, list, type(None))) for v in row.values())


def test_a_scenario_is_a_scenario():
    b = steps.prepare(BriefRequest("kota-contoh", "2023-10", data_dir=TINY))
    assert not b.is_scenario
