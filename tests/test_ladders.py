"""The steps of items scored by whole units (mcp_lib.ladders), on the 2026-shaped fixture
tests/fixtures/methods (hand-computed: see tests/test_scoring.py for its scores)."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import METHODS

from mcp_lib.framework.folder import load_framework
from mcp_lib.ladders import item_ladders, step_points
from mcp_lib.pemda.settings import load_pemda
from mcp_lib.pemda.snapshot import load_period
from mcp_lib.scoring import score_documents, upload_gain


@pytest.fixture
def october():
    fw = load_framework(2026, METHODS)
    pemda = load_pemda("kab-metode", METHODS)
    docs = score_documents(fw, pemda.kind, load_period(pemda, fw, "2026-10"))
    return fw, docs


def _flat(steps):
    return [x for step in steps for x in step]


def _rows(docs, *codes):
    return [int(np.flatnonzero(docs["doc_code"] == c)[0]) for c in codes]


def test_each_stepped_item_has_its_open_units_and_the_points_above_now(october):
    """A.1 binary (weight ½·40% = 20 points): D1, D2 accepted → 2 met, D3 open, all three = +20.
    A.2 tiers 0/80/100 (30 points): D1 accepted → at 80; D2, D3 open; all three = +6 (the last 20%).
    B.1 two periods (25 points): TA 2024 met; TA 2025 = D3 and D4 together, +12.5.
    B.2 (realisation) has no ladder: uploading does not move it."""
    fw, docs = october
    found = {lad.code: lad for lad in item_ladders(docs, fw.methods)}
    assert sorted(found) == ["A.1", "A.2", "B.1"]
    a1, a2, b1 = found["A.1"], found["A.2"], found["B.1"]
    assert ([u.tolist() for u in a1.units], a1.met) == ([_rows(docs, "A.1.D3")], 2)
    assert _flat(a1.steps) == pytest.approx([3, 20.0])
    assert ([u.tolist() for u in a2.units], a2.met) == ([_rows(docs, "A.2.D2"), _rows(docs, "A.2.D3")], 1)
    assert _flat(a2.steps) == pytest.approx([3, 6.0])
    assert ([u.tolist() for u in b1.units], b1.met) == ([_rows(docs, "B.1.D3", "B.1.D4")], 1)
    assert _flat(b1.steps) == pytest.approx([2, 12.5])


def test_accepted_documents_and_realisation_items_have_no_upload_gain(october):
    _fw, docs = october
    gain = upload_gain(docs).set_axis(docs["doc_code"])
    assert gain[["A.1.D1", "A.1.D2", "B.1.D1", "B.2.D1"]].tolist() == [0.0, 0.0, 0.0, 0.0]
    assert (gain[["A.1.D3", "A.2.D2", "A.2.D3", "B.1.D3", "B.1.D4"]] > 0).all()


def test_a_step_counts_only_when_every_document_of_its_units_is_accepted(october):
    """Three draws: (1) D3 of A.1 and D3 of B.1 accepted, not D4 → A.1 +20, B.1 nothing;
    (2) both B.1 documents and A.2.D2 → B.1 +12.5, A.2 still needs D3; (3) nothing."""
    fw, docs = october
    found = item_ladders(docs, fw.methods)
    r = dict(zip(["a1d3", "a2d2", "b1d3", "b1d4"], _rows(docs, "A.1.D3", "A.2.D2", "B.1.D3", "B.1.D4"), strict=True))
    accepted = {
        r["a1d3"]: np.array([True, False, False]),
        r["a2d2"]: np.array([False, True, False]),
        r["b1d3"]: np.array([True, True, False]),
        r["b1d4"]: np.array([False, True, False]),
    }
    assert step_points(found, accepted, 3).tolist() == pytest.approx([20.0, 12.5, 0.0])


def test_tiers_reach_the_partial_step_with_one_document():
    """BERTINGKAT_0_80_100 with nothing accepted: one document lifts to 80, all to 100."""
    import pandas as pd

    from mcp_lib.framework.methods import parse_method

    docs = pd.DataFrame(
        {
            "subindicator_code": ["X"] * 3,
            "applicable": True,
            "status": ["belum", "belum", "diunggah"],
            "weight": 0.1,
            "points": [40.0, 30.0, 30.0],
        }
    )
    (ladder,) = item_ladders(docs, {"X": parse_method("BERTINGKAT_0_80_100")})
    assert ladder.met == 0
    assert _flat(ladder.steps) == pytest.approx([1, 8.0, 3, 10.0])
    one = {2: np.array([True, True]), 0: np.array([False, True]), 1: np.array([False, True])}
    assert step_points([ladder], one, 2).tolist() == pytest.approx([8.0, 10.0])
