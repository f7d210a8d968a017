"""Candidates of a plan (mcp_lib.candidates): gain, cost by status, blocked.

Tiny fixture (Kota Contoh, 2023-10-31): the candidates' gains and costs by hand are in
test_planner.py's docstring.
"""

import numpy as np
import pytest
from plan_helpers import plan_codes

from mcp_lib.candidates import candidates
from mcp_lib.pemda.snapshot import load_period
from mcp_lib.plan.planner import PlanOptions, plan_path
from mcp_lib.risk.params import CERTAIN


def test_candidates_gain_and_cost(tiny_fw, kota, snap):
    c = candidates(tiny_fw, kota.kind, snap).set_index("doc_code")
    assert c["gain"].to_dict() == pytest.approx(
        {"A.1.1.D2": 7.5, "A.1.2.D1": 11.25, "A.2.1.D1": 12.5, "B.1.1.D1": 26.25, "B.1.2.D2": 7.875}
    )
    assert c["cost"].to_dict() == {"A.1.1.D2": 0, "A.1.2.D1": 4, "A.2.1.D1": 2, "B.1.1.D1": 5, "B.1.2.D2": 6}
    assert c["blocked"].sum() == 1


def test_blank_effort_uses_status_defaults_overridable(tiny_fw, kota, snap):
    docs = snap.documents.copy()
    docs["effort_days"] = np.nan
    blank = type(snap)(date=snap.date, path=snap.path, documents=docs)
    c = candidates(tiny_fw, kota.kind, blank).set_index("doc_code")["cost"]
    assert (c["B.1.1.D1"], c["A.1.2.D1"], c["B.1.2.D2"], c["A.1.1.D2"]) == (10, 5, 4, 0)
    c = candidates(tiny_fw, kota.kind, blank, default_effort={"belum": 20}, effort={"A.1.2.D1": 1}).set_index(
        "doc_code"
    )["cost"]
    assert (c["B.1.1.D1"], c["A.1.2.D1"]) == (20, 1)


def test_blocked_means_the_same_in_the_plan_and_in_the_scores(tiny_copy):
    """An uploaded document with a blocker text is counted blocked nowhere (it was planned around
    by the planner but not counted by mcp score)."""
    from mcp_lib.framework.folder import load_framework
    from mcp_lib.pemda.settings import load_pemda
    from mcp_lib.scoring import score_snapshot

    status = tiny_copy / "pemda" / "kota-contoh" / "status" / "2023-10-31.csv"
    status.write_text(
        status.read_text().replace("A.1.1.D2,Bappeda,diunggah,,3,,,", "A.1.1.D2,Bappeda,diunggah,,3,,menunggu BPN,")
    )
    fw, pemda = load_framework(2023, tiny_copy), load_pemda("kota-contoh", tiny_copy)
    snap = load_period(pemda, fw, "2023-10")
    plan = plan_path(fw, pemda, snap, 60, PlanOptions(risk=CERTAIN))
    scores = score_snapshot(fw, pemda, snap)
    blocked_scores = set(scores.documents.loc[scores.documents["blocked"], "doc_code"])
    assert set(plan.blocked["doc_code"]) == blocked_scores == {"B.1.1.D1"}
    assert "A.1.1.D2" in plan_codes(plan)  # uploaded: followed up, not held back


def test_items_uploads_do_not_move_are_listed_apart():
    """beyond_uploads: the methods fixture's realisation item B.2 (75%, 6.25 points open), and none
    of its items scored by documents, tiers or periods."""
    from conftest import METHODS

    from mcp_lib.candidates import beyond_uploads
    from mcp_lib.framework.folder import load_framework
    from mcp_lib.pemda.settings import load_pemda
    from mcp_lib.pemda.snapshot import load_period
    from mcp_lib.scoring import score_snapshot

    fw, pemda = load_framework(2026, METHODS), load_pemda("kab-metode", METHODS)
    away = beyond_uploads(fw, score_snapshot(fw, pemda, load_period(pemda, fw, "2026-10")))
    assert away[["code", "how"]].values.tolist() == [["B.2", "perlu capaian realisasi"]]
    assert away[["verified", "points_open"]].values.tolist() == [[pytest.approx(75.0), pytest.approx(6.25)]]
