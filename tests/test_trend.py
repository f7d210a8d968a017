"""Trend on the tiny fixture (Kota Contoh), by hand.

Totals: 31 Aug 3.375 (only B.1.2.D1: 30·.1125), 30 Sep 14.625 (+ A.1.1.D1: 60·.1875),
31 Oct 34.625 (see test_scoring). Months are days / 30.4375.
"""

import datetime as dt

import pytest

from mcp_lib.pemda.snapshot import load_history
from mcp_lib.trend import compute_trend


@pytest.fixture
def trend(tiny_fw, kota):
    return compute_trend(tiny_fw, kota, load_history(kota, tiny_fw))


def test_history(trend):
    h = trend.history
    assert h["date"].tolist() == [dt.date(2023, 8, 31), dt.date(2023, 9, 30), dt.date(2023, 10, 31)]
    assert h["verified"].tolist() == pytest.approx([3.375, 14.625, 34.625])
    assert h["band"].tolist() == ["Merah", "Merah", "Kuning"]
    assert h["gain_per_month"].iloc[1] == pytest.approx(11.25 / (30 / 30.4375))
    assert h["gain_per_month"].iloc[2] == pytest.approx(20 / (31 / 30.4375))


def test_velocity_and_required_pace(trend):
    # least squares over x = (0, 30, 61) days / 30.4375: slope = Σ(x-x̄)(y-ȳ)/Σ(x-x̄)²
    x = [0, 30 / 30.4375, 61 / 30.4375]
    y = [3.375, 14.625, 34.625]
    mx, my = sum(x) / 3, sum(y) / 3
    slope = sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True)) / sum((a - mx) ** 2 for a in x)
    months_left = 61 / 30.4375  # 31 Oct → 31 Dec
    assert trend.velocity == pytest.approx(slope)
    assert trend.months_left == pytest.approx(months_left)
    assert trend.required_velocity == pytest.approx((90 - 34.625) / months_left)
    assert not hasattr(trend, "projection")  # the straight line is gone: mcp_lib.forecast


def test_as_of_an_earlier_snapshot(tiny_fw, kota):
    t = compute_trend(tiny_fw, kota, load_history(kota, tiny_fw), as_of=dt.date(2023, 9, 30), target=20)
    assert t.current == pytest.approx(14.625)
    assert len(t.history) == 2
    assert t.velocity == pytest.approx(11.25 / (30 / 30.4375))
    assert t.required_velocity == pytest.approx((20 - 14.625) / (92 / 30.4375))  # 30 Sep → 31 Dec


def test_single_snapshot_has_no_pace(tiny_fw, kota):
    t = compute_trend(tiny_fw, kota, load_history(kota, tiny_fw, until=dt.date(2023, 8, 31)))
    assert t.velocity is None


def test_target_reached_needs_no_pace(tiny_fw, kota):
    t = compute_trend(tiny_fw, kota, load_history(kota, tiny_fw), target=30)
    assert t.required_velocity == 0
