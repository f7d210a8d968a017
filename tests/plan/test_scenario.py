"""Scenarios (mcp_lib.plan.scenario): the scenario file, applying it, what-if scores, the standard
scenarios of the plan.

Tiny fixture (Kota Contoh, 2023-10-31): the candidates' gains and costs by hand are in
test_planner.py's docstring.
"""

import pytest

from mcp_lib.errors import InputError
from mcp_lib.plan.planner import PlanOptions
from mcp_lib.plan.scenario import (
    SCENARIOS,
    apply_assumptions,
    read_assumptions,
    scenarios,
    what_if,
    write_assumptions,
)
from mcp_lib.risk.params import CERTAIN


def test_what_if_scores_without_touching_files(tiny_fw, kota, snap):
    before = snap.path.read_bytes()
    done = what_if(tiny_fw, kota, snap, done=["B.1.1.D1"])
    # B.1.1 = 100 → B.1 = .7·100 + .3·30 = 79 → (50·50 + 30·79)/80
    assert done.verified == pytest.approx(60.875)
    assert done.by_area.set_index("area_code").loc["B", "verified"] == pytest.approx(79)
    rejected = what_if(tiny_fw, kota, snap, rejected=["A.1.1.D1"])
    # A.1.1 = 0 → A.1 = 20 → A = .6·20 + .4·50 = 32 → (50·32 + 270)/80
    assert rejected.verified == pytest.approx(23.375)
    assert snap.path.read_bytes() == before
    assert snap.documents.set_index("doc_code").loc["B.1.1.D1", "status"] == "belum"
    with pytest.raises(InputError):
        what_if(tiny_fw, kota, snap, done=["A.1.1.D1"], rejected=["A.1.1.D1"])


def test_a_written_scenario_file_reads_back(tmp_path):
    path = tmp_path / "rabu-asumsi.csv"
    rows = write_assumptions(path, ["B.1.1.D1"], ["A.1.1.D1", "A.1.2.D1"])
    assert path.read_text(encoding="utf-8") == (
        "doc_code,asumsi\nB.1.1.D1,selesai\nA.1.1.D1,ditolak\nA.1.2.D1,ditolak\n"
    )
    assert rows["asumsi"].tolist() == ["selesai", "ditolak", "ditolak"]
    assert read_assumptions(path) == (["B.1.1.D1"], ["A.1.1.D1", "A.1.2.D1"])


def test_a_scenario_file_names_every_problem_with_its_row(tmp_path, tiny_fw):
    path = tmp_path / "salah-asumsi.csv"
    path.write_text(
        "doc_code;asumsi\nB.1.1.D1;selesai\nB.1.1.D1;ditolak\nZ.9;selesai\nA.1.1.D1;mungkin\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        read_assumptions(path, set(tiny_fw.documents["doc_code"]))
    # row 3 repeats B.1.1.D1, row 4 is no document of the framework, row 5 is neither selesai nor ditolak
    assert {(p.row, p.column) for p in err.value.problems} == {
        (3, "doc_code"),
        (4, "doc_code"),
        (5, "asumsi"),
    }


def test_applied_assumptions_change_a_copy_only(tiny_fw, snap):
    assumed = apply_assumptions(tiny_fw, snap, done=["B.1.1.D1"], rejected=["A.1.1.D1"])
    docs = assumed.documents.set_index("doc_code")
    assert (docs.loc["B.1.1.D1", "status"], docs.loc["B.1.1.D1", "verified_points"]) == ("diverifikasi", 100)
    assert (docs.loc["A.1.1.D1", "status"], docs.loc["A.1.1.D1", "verified_points"]) == ("perlu_perbaikan", 0)
    assert assumed.date == snap.date
    assert snap.documents.set_index("doc_code").loc["B.1.1.D1", "status"] == "belum"
    with pytest.raises(InputError) as err:
        apply_assumptions(tiny_fw, snap, done=["Z.9"], source="uji-asumsi.csv")
    assert [(p.file, p.value) for p in err.value.problems] == [("uji-asumsi.csv", "Z.9")]


def test_the_standard_scenarios_side_by_side(tiny_fw, kota, snap):
    # Target 75 (test_planner): out of reach without the blocked B.1.1.D1 (at most 73.75), with it
    # 7 person-days (B.1.1 + A.2.1); capacities do not bind and without risk 90% changes nothing.
    sc = scenarios(tiny_fw, kota, snap, 75, PlanOptions(risk=CERTAIN))
    assert sc["scenario"].tolist() == [name for name, _change in SCENARIOS]
    assert sc["reachable"].tolist() == [False, True, False, False]
    freed = sc.set_index("scenario").loc["Hambatan pihak luar teratasi"]
    assert (freed["effort"], freed["p_target"]) == (7, 1.0)
    assert sc["score_after"].iloc[0] == pytest.approx(73.75)


@pytest.mark.parametrize("target, planned", [(75, 2), (40, 3)])
def test_a_plan_the_caller_has_is_not_made_again(tiny_fw, kota, snap, monkeypatch, target, planned):
    """The brief plans its target before the scenarios: the base scenario is that plan, and so is
    the higher keyakinan when the plan missed its own (no plan met it: the search returned the
    plan of highest chance, which a higher keyakinan cannot change). Target 75 is out of reach
    without the blocked document (test above), 40 is met at 80% (one document): there the 90%
    scenario is planned."""
    from mcp_lib.plan import scenario
    from mcp_lib.plan.planner import plan_path, plan_verdict

    options = PlanOptions(confidence=0.8)
    base = plan_path(tiny_fw, kota, snap, target, options)
    assert base.verdict.confidence_met is (target == 40)
    made = []

    def counting(*args, **kwargs):
        made.append(args[4])
        return plan_verdict(*args, **kwargs)

    expected = scenarios(tiny_fw, kota, snap, target, options)
    monkeypatch.setattr(scenario, "plan_verdict", counting)
    got = scenarios(tiny_fw, kota, snap, target, options, base=base.verdict)
    assert got.equals(expected)
    assert len(made) == planned and options not in made
