"""Numbers that must hold whatever the data says (issue 27): a penalty larger than the score, a
snapshot dated on the upload close, two targets whose plans cannot meet the keyakinan.

Tiny fixture (Kota Contoh, 2023-10-31): 34.625 verified, 42.125 claimed; upload close 31 December
2023 (test_penalty.py, test_planner.py).
"""

import datetime as dt
import json
import math
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import TINY, edit_text
from plan_helpers import AREAS, write_small_framework

from mcp_lib import text
from mcp_lib.brief import data, steps
from mcp_lib.brief.request import BriefRequest
from mcp_lib.forecast import ForecastOptions, forecast_pemda
from mcp_lib.framework.folder import load_framework
from mcp_lib.pemda.settings import load_pemda
from mcp_lib.pemda.snapshot import load_period
from mcp_lib.plan.planner import PlanOptions, plan_path
from mcp_lib.plan.targets import _same_minimal, plan_targets
from mcp_lib.risk.params import CERTAIN
from mcp_lib.scoring import score_snapshot

DATA = Path(__file__).resolve().parents[1] / "data"
NEGATIVE = re.compile(r"(?<![\w\d])[-−]\d")
"""A negative number as the outputs write it (``-45,5%``, ``−11,7``); dates (``2025-09``) do not match."""


def _penalise(root: Path, slug: str, year: int, points: float) -> None:
    toml = root / "pemda" / slug / "pemda.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8") + f'\n[penalty.{year}]\npoints = {points}\nreason = "uji"\n', encoding="utf-8"
    )


def _in_range(*values: float | None) -> bool:
    return all(v is None or 0.0 <= v <= 100.0 for v in values)


# --- 3. a penalty larger than the verified score ---------------------------------------------------


def _mcp(*args: str) -> str:
    run = subprocess.run(
        [sys.executable, "-m", "mcp_lib", *args], capture_output=True, text=True, encoding="utf-8", timeout=300
    )
    assert run.returncode == 0, run.stderr
    return run.stdout


@pytest.mark.slow
def test_a_penalty_above_the_score_gives_zero_in_every_command(tmp_path):
    """Kabupaten Musi Rawas (bundled sample, September 2025) verifies about 44.5 points; with a
    penalty of 90 every command shows 0,0% now, and nothing below 0 anywhere."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    _penalise(data, "kab-musi-rawas", 2025, 90)
    where = ["--data-dir", str(data)]
    score = _mcp(*where, "score", "--pemda", "kab-musi-rawas", "--period", "2025-09")
    plan = json.loads(_mcp(*where, "plan", "--pemda", "kab-musi-rawas", "--period", "2025-09", "--json"))
    totals = json.loads(
        _mcp(*where, "forecast", "--score", "0", "--claim", "0", "--date", "2025-09-30", "--target", "85", "--json")
    )
    assert "Nilai terverifikasi (verified): 0,0%" in score
    assert not NEGATIVE.search(score), score
    assert plan["current"] == 0.0
    for t in plan["targets"]:
        assert t["current"] == 0.0 and _in_range(t["score_after"], t["assured"])
        for o in (t["without_plan"], t["with_plan"]):
            assert _in_range(o["p10"], o["median"], o["p90"]) and 0.0 <= o["chance"] <= 1.0
        assert t["shortfall"] == pytest.approx(max(0.0, t["target"] - t["score_after"]))
    # The score's projection is the plan's scenario without a plan (one engine, the same draws).
    top = plan["targets"][-1]["without_plan"]
    assert f"median {text.percent(top['median'])}, 80% antara {text.band(top['p10'], top['p90'])}" in " ".join(
        score.split()
    )
    assert _in_range(totals["current"], totals["claim"], totals["p10"], totals["median"], totals["p90"])


@pytest.fixture
def penalised_60(tmp_path):
    """The tiny data with a penalty of 60 on Kota Contoh's 2023 (34.625 verified: 0 after it; at
    most 40 if every open document is accepted)."""
    root = tmp_path / "data"
    shutil.copytree(TINY, root)
    _penalise(root, "kota-contoh", 2023, 60)
    return root


def test_the_brief_data_agrees_with_the_score_and_nothing_is_negative(penalised_60):
    b = steps.prepare(BriefRequest("kota-contoh", "2023-10", data_dir=penalised_60))
    v = b.plan.verdict
    assert b.scores.verified == 0.0 == v.current == b.forecast.current
    assert b.forecast.claim == 0.0
    row = data.overview_row(b)
    assert row["verified"] == 0.0 and row["gap"] == b.target
    assert _in_range(row["score_after"], row["forecast_median"], row["forecast_p10"], row["forecast_p90"])
    for p in b.plans.plans:
        w = p.verdict
        assert w.current == 0.0 and _in_range(w.score_after, w.assured, *w.final_band)
        assert _in_range(w.without_plan.p10, w.without_plan.median, w.without_plan.p90)
        assert (p.documents["cumulative_score"] >= 0).all() and (p.schedule["score"] >= 0).all()
        assert p.documents["cumulative_score"].iloc[-1] == pytest.approx(w.score_after)
    assert (b.forecast.path[["p10", "median", "p90"]].to_numpy() >= 0).all()
    from mcp_lib.brief import meeting

    for figure in meeting.figures(b):
        assert not NEGATIVE.search(figure.value + " " + figure.note), figure


def test_the_plan_counts_the_points_before_the_penalty(penalised_60, tiny_fw):
    """From 34.625 before the penalty, 60 + 5 = 65 is needed to show 5: 30.375 points, at least
    A.1.1.D2 (7.5, 0 days), A.1.2.D1 (11.25, 4) and A.2.1.D1 (12.5, 2) = 31.25 in 6 days; the plan
    then shows 34.625 + 31.25 − 60 = 5.875."""
    pemda = load_pemda("kota-contoh", penalised_60)
    snap = load_period(pemda, tiny_fw, "2023-10")
    p = plan_path(tiny_fw, pemda, snap, 5, PlanOptions(risk=CERTAIN, confidence=0))
    assert set(p.documents["doc_code"]) == {"A.1.1.D2", "A.1.2.D1", "A.2.1.D1"} and p.verdict.effort == 6
    assert p.verdict.current == 0.0 and p.verdict.score_after == pytest.approx(5.875)
    assert p.documents["cumulative_score"].tolist() == pytest.approx(sorted(p.documents["cumulative_score"]))
    assert p.documents["cumulative_score"].min() >= 0.0


def test_a_draw_the_penalty_takes_below_zero_counts_as_zero(penalised_60, tiny_fw):
    """Every draw reaches a target of 0 (a score is never below 0), with or without the plan; the
    chance the plan search uses and the one shown are the same."""
    pemda = load_pemda("kota-contoh", penalised_60)
    snap = load_period(pemda, tiny_fw, "2023-10")
    f = forecast_pemda(tiny_fw, pemda, snap, target=0, options=ForecastOptions(draws=2000))
    assert f.p_target == 1.0 and f.current == 0.0 and _in_range(f.p10, f.median, f.p90)
    v = plan_path(tiny_fw, pemda, snap, 0, PlanOptions(draws=2000)).verdict
    assert v.reachable and v.confidence_met and v.effort == 0
    assert v.with_plan.chance == v.without_plan.chance == 1.0
    assert score_snapshot(tiny_fw, pemda, snap).verified == 0.0


# --- 8. a snapshot dated on the upload close -------------------------------------------------------


@pytest.fixture
def on_the_close(tmp_path):
    """The tiny data with a snapshot dated on the upload close (31 December 2023) in which
    B.1.2.D2 (7.875 points) takes 0 person-days."""
    root = tmp_path / "data"
    shutil.copytree(TINY, root)
    status = root / "pemda" / "kota-contoh" / "status"
    october = (status / "2023-10-31.csv").read_text(encoding="utf-8")
    zero = october.replace("B.1.2.D2,Inspektorat,disiapkan,,6,", "B.1.2.D2,Inspektorat,disiapkan,,0,")
    assert zero != october
    (status / "2023-12-31.csv").write_text(zero, encoding="utf-8")
    return root


def test_uploads_are_open_on_the_close_day(on_the_close):
    """34.625 + A.1.1.D2 (uploaded, 7.5) = 42.125 < 45: B.1.2.D2 (0 days) still goes up that day."""
    fw = load_framework(2023, on_the_close)
    pemda = load_pemda("kota-contoh", on_the_close)
    snap = load_period(pemda, fw, "2023-12")
    assert snap.date == dt.date(2023, 12, 31) == fw.upload_close
    p = plan_path(fw, pemda, snap, 45, PlanOptions(risk=CERTAIN, confidence=0))
    assert set(p.documents["doc_code"]) == {"A.1.1.D2", "B.1.2.D2"} and p.verdict.reachable
    assert p.verdict.score_after == pytest.approx(50.0) and p.horizon == snap.date
    assert not any("sudah lewat" in n for n in (*p.notes, *p.verdict.limits))
    f = forecast_pemda(fw, pemda, snap, target=45, options=ForecastOptions(risk=CERTAIN))
    assert f.reachable and f.basis != "final"
    # The day after, it is closed: only what awaits verification still counts.
    status = on_the_close / "pemda" / "kota-contoh" / "status"
    shutil.copy(status / "2023-12-31.csv", status / "2024-01-01.csv")
    after = load_period(pemda, fw, "2024-01")
    p = plan_path(fw, pemda, after, 45, PlanOptions(risk=CERTAIN, confidence=0))
    assert set(p.documents["doc_code"]) == {"A.1.1.D2"} and not p.verdict.reachable
    assert any("sudah lewat" in n for n in p.notes)
    assert not forecast_pemda(fw, pemda, after, target=45, options=ForecastOptions(risk=CERTAIN)).reachable


def test_a_final_date_on_the_close_is_not_final_before_its_end(on_the_close):
    """A calendar whose final date is its close (``final_date = upload_close``): on that day the
    uploads are open, so the score is not final yet and the brief says the close is today."""
    edit_text(on_the_close / "frameworks" / "mcp-2023" / "framework.toml", "2024-01-15", "2023-12-31")
    b = steps.prepare(BriefRequest("kota-contoh", "2023-12", data_dir=on_the_close, target=45))
    assert b.forecast.basis != "final" and b.forecast.reachable
    assert "B.1.2.D2" in set(b.plan.documents["doc_code"])
    from mcp_lib.brief import meeting

    assert meeting.verdict(b).key != "final"
    assert meeting.close_words(b).startswith("hari ini batas unggah")


# --- 16. two targets: nesting never lowers the chance; an effort of 0 is a value -------------------


def two_way_world(seed: int, root: Path):
    """A small kota in which a low target can be reached two ways at one OPD with room for only
    one: a cheaper document held up by an outside body, or a dearer one that is not. The high
    target is out of reach, so its plan keeps the most points at the least effort (the cheaper
    way). Returns the framework, the pemda, its snapshot and the points one document is worth."""
    rng = np.random.default_rng(seed)
    n_sub = int(rng.integers(3, 5))
    fw_dir = write_small_framework(
        root,
        [
            (f"A{s}", AREAS[s], 100 / n_sub, f"A{s}.1", "Ind", 100, f"A{s}.1.1", "Sub", 100, "semua", "X")
            for s in range(n_sub)
        ],
        [(f"A{s}.1.1", f"A{s}.1.1.D1", f"Dok {s}", 100) for s in range(n_sub)],
    )
    cheap = int(rng.integers(2, 6))
    dear = cheap + int(rng.integers(1, 3))
    per_month = round((dear + 0.5) / (46 / 30.4375), 2)  # 15 October to 30 November: one of the two
    folder = root / "pemda" / "kota-uji"
    (folder / "status").mkdir(parents=True)
    (folder / "pemda.toml").write_text(
        'name = "Kota Uji"\nkind = "kota"\nprovince = "Uji"\nframework = 2023\ntarget = 90\ndeadline = 2023-11-30\n'
        f'\n[[opd]]\nname = "OPD0"\ncapacity_days = {per_month}\n\n[[opd]]\nname = "OPD1"\ncapacity_days = 1\n'
    )
    blocker = str(rng.choice(["menunggu BPN", "menunggu Kemendagri", "menunggu BKN"]))
    rows = [
        ("A0.1.1.D1", "OPD0", "belum", "", cheap, "", blocker, ""),
        ("A1.1.1.D1", "OPD0", "belum", "", dear, "", "", ""),
        *((f"A{s}.1.1.D1", "OPD1", "belum", "", 20, "", "", "") for s in range(2, n_sub)),
    ]
    pd.DataFrame(
        rows, columns=["doc_code", "opd", "status", "verified_points", "effort_days", "due_date", "blocker", "note"]
    ).to_csv(folder / "status" / "2023-10-15.csv", index=False)
    fw = load_framework(fw_dir)
    pemda = load_pemda(folder)
    return fw, pemda, load_period(pemda, fw, "2023-10"), 100 / n_sub


@pytest.mark.slow
def test_nesting_never_lowers_the_chance_of_the_lower_target():
    """The first seed (from 0) whose plan for the lower target, looked for inside the higher
    target's plan, reaches it at no more effort but with a lower chance, neither meeting the
    keyakinan: the lower target keeps its own plan's chance (the nested one was kept before)."""
    options = PlanOptions(draws=2000, allow_blocked=True, confidence=0.95)
    for seed in range(20):
        with tempfile.TemporaryDirectory() as tmp:
            fw, pemda, snap, each = two_way_world(seed, Path(tmp))
            low, high = round(0.8 * each, 3), 90.0
            upper = plan_path(fw, pemda, snap, high, options)
            alone = plan_path(fw, pemda, snap, low, options).verdict
            inside = plan_path(fw, pemda, snap, low, replace(options, within=upper.documents["doc_code"])).verdict
            if not (
                inside.reachable
                and not inside.confidence_met
                and not alone.confidence_met
                and inside.effort <= alone.effort
                and inside.p_target < alone.p_target - 0.05
            ):
                continue
            plans = plan_targets(fw, pemda, snap, [low, high], options)
            first = plans.plans[0].verdict
            assert first.p_target >= alone.p_target - 1e-12, (seed, first.p_target, alone.p_target)
            assert plans.nested == (False,) and plans.nesting_cost == (math.inf,)
            assert plans.as_dict()["targets"][0]["nesting_extra_effort"] is None
            return
    pytest.fail("no seed in 0–19 gives a nested plan with a lower chance")


def test_an_exact_effort_of_zero_is_a_value(tiny_fw, kota, snap):
    """Target 40: A.1.1.D2 (uploaded, 0 days) reaches it if accepted, so the minimal effort is 0;
    a nested variant of 6 person-days then has 6 of reserve, not 0."""
    own = plan_path(tiny_fw, kota, snap, 40, PlanOptions(draws=2000))
    assert own.verdict.exact_effort == 0.0 and own.verdict.minimal is not None
    variant = plan_path(tiny_fw, kota, snap, 40, PlanOptions(must=["A.1.2.D1", "A.2.1.D1"], draws=2000))
    assert variant.verdict.effort == 6.0
    merged = _same_minimal(variant, own)
    assert merged.verdict.exact_effort == 0.0 and merged.verdict.reserve_effort == 6.0
    reserve = merged.verdict.as_dict()["reserve"]
    assert (reserve["effort"], reserve["extra_effort"]) == (6.0, 6.0)


def test_the_cumulative_chart_counts_the_plan_from_the_score_before_the_penalty():
    """A penalty of 20 on a total of 10: the shown score is 0, and the plan's first steps (+5 each)
    keep it at 0 until the total passes 20 (it used to count up from the shown 0)."""
    import pandas as pd

    from mcp_lib.brief import charts

    docs = pd.DataFrame({"doc_code": ["A", "B", "C"], "gain": [5.0, 5.0, 5.0]})
    spec = charts.cumulative_chart(docs, 0.0, 50.0, total=10.0, penalty=20.0)
    line = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "line")
    assert [row["score"] for row in line["data"]["values"]] == [0.0, 0.0, 0.0, 5.0]
