"""The year-end forecast against real years (backtest.py): the pairs file read, the straight line
it replaced, and the forecast calibrated on the real provisional → final pairs."""

import datetime as dt

import pandas as pd
import pytest

from mcp_lib.backtest import backtest, pair_date, straight_line
from mcp_lib.config import REFERENCE_DIR


def test_pair_dates_as_the_pairs_file_gives_them():
    assert pair_date("2021-08-10") == dt.date(2021, 8, 10)
    assert pair_date("~2020-07") == dt.date(2020, 7, 15)  # a month only: the 15th
    with pytest.raises(ValueError, match="no date"):
        pair_date("akhir tahun")


def test_straight_line_is_what_it_was():
    assert straight_line(50, dt.date(2023, 7, 1), dt.date(2023, 12, 31)) == 100
    assert straight_line(30, dt.date(2023, 7, 2), dt.date(2023, 12, 31)) == pytest.approx(30 + 30 / 6 * 6, abs=0.3)


def test_backtest_on_real_pairs_is_calibrated_and_beats_the_straight_line():
    """The aim of the issue: about 80% of real finals inside the 80% band, and a median error well
    below the straight line's (12 pairs from public reports; see benchmarks/backtest_forecast.py)."""
    out = backtest(pd.read_csv(REFERENCE_DIR / "provisional-final-pairs.csv"), draws=4000)
    assert len(out) == 12
    assert 0.7 <= out["inside"].mean() <= 0.95
    assert out["error"].median() < 0.6 * out["line_error"].median()
