"""The brief's three steps and the files they hand each other (mcp_lib.brief.steps)."""

import shutil

import pytest
from brief_sections import SECTIONS
from conftest import TINY

from mcp_lib.brief import steps

ARGS = ("kota-contoh", "2023-10", TINY)


def _said(capsys) -> str:
    return capsys.readouterr().out


def test_step_2_reads_step_1_and_step_3_reads_both_without_computing_again(tmp_path, capsys):
    steps.run_capaian(tmp_path, *ARGS)
    cap_json = (tmp_path / "capaian" / "capaian.json").read_bytes()
    sim = steps.run_simulasi(tmp_path, *ARGS)
    assert "dihitung sekarang" not in _said(capsys)
    assert (tmp_path / "capaian" / "capaian.json").read_bytes() == cap_json  # read, not rewritten
    b = steps.read_brief(tmp_path, *ARGS)
    assert "dihitung sekarang" not in _said(capsys)
    assert b.plan.verdict == sim.plan.verdict and b.scores.verified == sim.scores.verified


def test_the_steps_give_the_same_brief_as_computing_in_memory(tmp_path):
    """Every section from the files equals the section from :func:`steps.prepare`."""
    steps.run_capaian(tmp_path, *ARGS)
    steps.run_simulasi(tmp_path, *ARGS)
    from_files = steps.read_brief(tmp_path, *ARGS)
    in_memory = steps.prepare(*ARGS)
    for i, section in enumerate(SECTIONS):  # every section of the brief
        assert section(from_files) == section(in_memory), i


def test_a_step_alone_computes_what_it_needs_and_says_so(tmp_path, capsys):
    b = steps.read_brief(tmp_path, *ARGS)
    said = _said(capsys)
    assert "capaian" in said and "dihitung sekarang" in said
    assert (tmp_path / "capaian" / "capaian.json").is_file() and (tmp_path / "simulasi" / "simulasi.json").is_file()
    assert b.plan is not None


@pytest.mark.parametrize("change", ["edited status file", "new snapshot", "other target", "other period"])
def test_results_made_from_other_inputs_are_computed_again(change, tmp_path, capsys):
    root = tmp_path / "data"
    shutil.copytree(TINY, root)
    run = tmp_path / "run"
    args = {"pemda": "kota-contoh", "period": "2023-10", "data_dir": root}
    steps.run_capaian(run, **args)
    status = root / "pemda" / "kota-contoh" / "status"
    if change == "edited status file":
        f = status / "2023-10-31.csv"
        f.write_text(f.read_text(encoding="utf-8").replace("Bappeda", "BAPPEDA", 1), encoding="utf-8")
    elif change == "new snapshot":
        shutil.copy(status / "2023-10-31.csv", status / "2023-10-30.csv")
    elif change == "other target":
        args["target"] = 60
    else:
        args["period"] = "2023-09"
    _said(capsys)
    steps.run_simulasi(run, **args)
    assert "dihitung sekarang" in _said(capsys), change


def test_a_changed_confidence_plans_again(tmp_path, capsys):
    steps.run_simulasi(tmp_path, *ARGS, confidence=0.8)
    _said(capsys)
    b = steps.read_brief(tmp_path, *ARGS, confidence=0.6)
    assert "simulasi" in _said(capsys) and b.confidence == 0.6


def test_without_a_run_folder_the_lab_folder_is_used(monkeypatch, tmp_path):
    monkeypatch.setattr(steps, "OUTPUTS_DIR", tmp_path)
    assert steps.default_run_dir("kota-contoh", "2023-10") == tmp_path / "lab" / "kota-contoh" / "2023-10"
    assert steps.default_run_dir(TINY / "pemda" / "kota-contoh", "2023-10", "uji asumsi.csv").name == (
        "2023-10-skenario-uji-asumsi"
    )
    steps.run_capaian("", *ARGS)
    assert (tmp_path / "lab" / "kota-contoh" / "2023-10" / "capaian" / "capaian.json").is_file()


def test_bad_input_is_an_error_in_words_before_anything_is_written(tmp_path):
    from mcp_lib.errors import InputError

    with pytest.raises(InputError, match="tidak ada snapshot untuk periode 2019-01"):
        steps.run_capaian(tmp_path, "kota-contoh", "2019-01", TINY)
    assert not (tmp_path / "capaian").exists()


def test_step_2_reads_its_own_results_made_by_this_code_and_computes_again_otherwise(tmp_path, capsys, monkeypatch):
    """``mcp brief`` computes step 2 while its kernel boots; 02_simulasi then reads those results
    (same achievement file, confidence and code) instead of planning again. Results of other code,
    another confidence, or without the scenarios it shows are computed again."""
    calls = []
    real = steps.compute_simulasi

    def counting(*args, **kwargs):
        calls.append(kwargs.get("with_scenarios", True))
        return real(*args, **kwargs)

    monkeypatch.setattr(steps, "compute_simulasi", counting)
    cap, p, fw = steps.compute_capaian(*ARGS)
    digest = steps.write_capaian(tmp_path, cap)
    written = steps.write_simulasi(tmp_path, cap, p, fw, 0.8, capaian=digest, with_scenarios=True)
    files = steps.step_digests(tmp_path)
    assert calls == [True] and all(files)
    b = steps.run_simulasi(tmp_path, *ARGS)
    assert calls == [True] and steps.step_digests(tmp_path) == files  # read, nothing written
    assert b.scenarios is not None and b.scenarios.equals(written.scenarios)
    steps.run_simulasi(tmp_path, *ARGS, confidence=0.6)
    assert calls == [True, True]
    steps.write_simulasi(tmp_path, cap, p, fw, 0.8, capaian=digest, with_scenarios=False)
    steps.run_simulasi(tmp_path, *ARGS)  # the notebook shows the scenarios: computed
    assert calls == [True, True, False, True]
    monkeypatch.setattr(steps, "code_version", lambda: "other code")
    steps.run_simulasi(tmp_path, *ARGS)
    assert calls == [True, True, False, True, True]


def test_the_code_fingerprint_follows_the_package_files(tmp_path, monkeypatch):
    import mcp_lib

    assert steps.code_version() == steps.code_version() and len(steps.code_version()) == 64
    copy = tmp_path / "mcp_lib"
    shutil.copytree(steps.Path(mcp_lib.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(steps, "PACKAGE_DIR", copy)
    steps.code_version.cache_clear()
    try:
        same = steps.code_version()
        reserve = copy / "plan" / "reserve.py"  # a module of another wing
        reserve.write_text(reserve.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        steps.code_version.cache_clear()
        changed = steps.code_version()
    finally:
        monkeypatch.undo()
        steps.code_version.cache_clear()
    assert same == steps.code_version() and changed != same


def test_the_last_briefs_projection_counts_only_if_made_from_the_snapshot_compared_with():
    import datetime as dt
    from types import SimpleNamespace

    shown = SimpleNamespace(as_of=dt.date(2023, 9, 30))
    assert steps._shown(shown, SimpleNamespace(date=dt.date(2023, 9, 30))) is shown
    assert steps._shown(shown, SimpleNamespace(date=dt.date(2023, 8, 31))) is None  # computed anew then
    assert steps._shown(None, SimpleNamespace(date=dt.date(2023, 9, 30))) is None


def test_after_a_code_change_step_one_is_recomputed_and_the_notebook_says_so(tmp_path, monkeypatch, capsys):
    """The review's case: step 1 written, then the scoring code changed (here: 5 points less),
    then 03_brief's read: step 1 is not read stale (it was on 5a41804: 64,957 where the code gave
    59,957), it is computed again, and the notebook's output says so."""
    import dataclasses

    steps.run_capaian(tmp_path, *ARGS)
    before = steps.read_brief(tmp_path, *ARGS).scores.verified
    capsys.readouterr()
    real = steps.score_snapshot

    def five_less(*args, **kwargs):
        s = real(*args, **kwargs)
        return dataclasses.replace(s, verified=s.verified - 5)

    monkeypatch.setattr(steps, "score_snapshot", five_less)
    monkeypatch.setattr(steps, "code_version", lambda: "other code")
    after = steps.read_brief(tmp_path, *ARGS)
    said = capsys.readouterr().out
    assert "langkah capaian" in said and "dihitung sekarang" in said
    assert after.scores.verified == pytest.approx(before - 5)
    assert steps.records.read_record(tmp_path / "capaian", "capaian").code == "other code"
