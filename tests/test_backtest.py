"""The year's-end projection against real years (mcp_lib.backtest): the pairs file read, the
straight line it replaced, the calibration rules, and the leave-one-out check on the real
provisional → final pairs (data/reference/provisional-final-pairs.csv)."""

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit, logit

from mcp_lib.backtest import (
    CALIBRATION_FILE,
    SIGMAS,
    PairDraws,
    backtest,
    fit,
    measured_error,
    measured_errors,
    pair_date,
    straight_line,
)
from mcp_lib.config import REFERENCE_DIR
from mcp_lib.risk.params import LEAD_GROUPS, RiskParams


def test_pair_dates_as_the_pairs_file_gives_them():
    assert pair_date("2021-08-10") == dt.date(2021, 8, 10)
    assert pair_date("~2020-07") == dt.date(2020, 7, 15)  # a month only: the 15th
    with pytest.raises(ValueError, match="no date"):
        pair_date("akhir tahun")


def test_straight_line_is_what_it_was():
    assert straight_line(50, dt.date(2023, 7, 1), dt.date(2023, 12, 31)) == 100
    assert straight_line(30, dt.date(2023, 7, 2), dt.date(2023, 12, 31)) == pytest.approx(30 + 30 / 6 * 6, abs=0.3)


def _certain(current: float, share: float, finals: float) -> PairDraws:
    """A projection with no spread of its own: every draw closes ``share`` of the gap."""
    n = 20_000
    raw = np.full(n, current + (100 - current) * share)
    return PairDraws(raw, np.full(n, 1 / n), np.random.default_rng(1).standard_normal(n), current)


def test_the_error_is_the_smallest_that_holds_enough_finals():
    """Three pairs whose projections have no spread of their own, missing their finals by 0.5, 1.0
    and 1.5 on the logit scale of the gap share: the 80% band of ``σ·z`` holds a final when
    ``|miss| ≤ 1.2816·σ``. With three pairs all three must be held (⌈0.8·4⌉ = 4, at most 3), so σ
    is the first grid value ≥ 1.5 / 1.2816 = 1.1704: 1.2."""
    misses = {1: 0.5, 2: 1.0, 3: -1.5}
    table = pd.DataFrame({"id": [1, 2, 3], "lead": "mid", "final": 0.0})
    draws = {}
    for i, miss in misses.items():
        d = _certain(40.0, 0.5, 0.0)
        final = 40 + 60 * float(expit(logit(0.5) + miss))
        table.loc[table["id"] == i, "final"] = final
        draws[(i, 2.0)] = d
    got = fit(table, draws, RiskParams(), grid=(2.0,))
    assert got.errors["mid"] == 1.2 and got.completion_months == 2.0
    assert got.errors["early"] == RiskParams().error_early  # no pair of that group: the default
    assert min(s for s in SIGMAS if s * 1.2816 >= 1.5) == 1.2


def test_the_centre_is_the_one_that_misses_the_finals_least():
    """Two grid values, one whose medians hit the finals: it is chosen."""
    table = pd.DataFrame({"id": [1, 2], "lead": "late", "final": [70.0, 55.0]})
    draws = {
        (1, 1.0): _certain(40, 0.5, 0), (2, 1.0): _certain(40, 0.25, 0),  # 70 and 55: exact
        (1, 2.0): _certain(40, 0.4, 0), (2, 2.0): _certain(40, 0.2, 0),  # 64 and 52
    }  # fmt: skip
    assert fit(table, draws, RiskParams(), grid=(1.0, 2.0)).completion_months == 1.0


def test_the_brief_reads_the_measured_errors_in_words():
    errors = measured_errors()
    assert set(errors) == {*(k for k, _m, _l in LEAD_GROUPS), "all"}
    mid = measured_error(1.0)  # a month before the close
    assert mid.lead == "mid" and mid.pairs == 10
    words = mid.words()
    assert words.startswith("untuk data 0,5–3 bulan sebelum batas unggah, proyeksi nilai total meleset rata-rata ")
    assert f"jatuh di dalam rentang 80% pada {mid.inside} dari 10 pemda-tahun itu" in words
    assert errors["all"].pairs == 24


@pytest.mark.slow
def test_leave_one_out_on_the_24_real_pairs():
    """The aim of issue 26: about 80% of real finals inside the 80% band when each pair is
    projected with the centre and errors fitted on the other 23, in each lead group as far as 5, 10
    and 9 pairs allow; the median error well below the straight line's; the defaults are the fit on
    all pairs; the calibration file the brief reads is this run's summary."""
    pairs = pd.read_csv(REFERENCE_DIR / "provisional-final-pairs.csv")
    result = backtest(pairs)
    loo = result.loo
    assert len(loo) == 24 and set(loo["id"]) == set(range(1, 25))
    assert 0.75 <= loo["inside"].mean() <= 0.92
    for key, g in loo.groupby("lead"):
        assert g["inside"].mean() >= 0.6, key
    assert loo["abs_error"].median() < 0.6 * loo["line_error"].median()
    base = RiskParams()
    assert result.full.completion_months == base.completion_months
    assert result.full.errors == {k: getattr(base, f"error_{k}") for k, _m, _l in LEAD_GROUPS}
    stored = pd.read_csv(REFERENCE_DIR / CALIBRATION_FILE)
    pd.testing.assert_frame_equal(result.summary.reset_index(drop=True), stored, check_dtype=False)
    assert not math.isnan(stored.loc[stored["lead"] == "all", "mean_abs_error"].iloc[0])
