"""Scores of every bundled and test snapshot are byte-for-byte what they were before frameworks
could declare their own levels (``golden_scores.py`` holds how the fingerprints are made)."""

import json

import pytest
from golden_scores import GOLDEN, compute, fingerprint

from mcp_lib.scoring import score_snapshot


@pytest.fixture(scope="module")
def now():
    return compute()


def test_every_snapshot_scores_exactly_as_before(now):
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert set(now) == set(golden)
    changed = {case: [k for k in golden[case] if golden[case][k] != now[case][k]] for case in golden}
    assert {case: keys for case, keys in changed.items() if keys} == {}


def test_the_fingerprint_sees_the_last_bit_of_a_weight(tiny_fw, kota):
    from mcp_lib.pemda.snapshot import load_period

    scores = score_snapshot(tiny_fw, kota, load_period(kota, tiny_fw, "2023-10"))
    before = fingerprint(scores)
    docs = scores.documents
    docs.loc[0, "weight"] = float(docs.loc[0, "weight"]) * (1 + 2**-52)
    assert fingerprint(scores)["documents"] != before["documents"]
    assert fingerprint(scores)["verified"] == before["verified"]
