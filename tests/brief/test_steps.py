"""The brief's three steps, their doors and the files they hand each other (mcp_lib.brief.steps)."""

import dataclasses
import shutil

import pytest
from brief_sections import SECTIONS
from conftest import TINY

from mcp_lib.brief import steps
from mcp_lib.brief.request import BriefRequest
from mcp_lib.errors import InputError
from mcp_lib.plan.planner import PlanOptions

REQ = BriefRequest("kota-contoh", "2023-10", data_dir=TINY)


def _door(door, req, run):
    """The door's data and the lines it said."""
    said = []
    return door(req, run, say=said.append), said


def test_each_door_reads_the_steps_before_it_and_says_so(tmp_path):
    _, said = _door(steps.capaian, REQ, tmp_path)
    assert said == [f"Langkah capaian: dihitung (belum ada di folder {tmp_path / 'capaian'})"]
    cap_json = (tmp_path / "capaian" / "capaian.json").read_bytes()
    sim, said = _door(steps.simulasi, REQ, tmp_path)
    assert said == [
        f"Langkah capaian: dibaca dari folder {tmp_path / 'capaian'} (masukan dan kode sama)",
        f"Langkah simulasi: dihitung (belum ada di folder {tmp_path / 'simulasi'})",
    ]
    assert (tmp_path / "capaian" / "capaian.json").read_bytes() == cap_json  # read, not rewritten
    steps._WRITTEN.clear()  # read from the files, as another process does
    b, said = _door(steps.brief, REQ, tmp_path)
    assert said == [
        f"Langkah {step}: dibaca dari folder {tmp_path / step} (masukan dan kode sama)"
        for step in ("capaian", "simulasi")
    ]
    assert b.plan.verdict == sim.plan.verdict and b.scores.verified == sim.scores.verified


def test_the_steps_give_the_same_brief_as_computing_in_memory(tmp_path):
    """Every section from the files equals the section from :func:`steps.prepare`."""
    steps.simulasi(REQ, tmp_path, say=None)
    steps._WRITTEN.clear()
    from_files = steps.brief(REQ, tmp_path, say=None)
    in_memory = steps.prepare(REQ)
    for i, section in enumerate(SECTIONS):  # every section of the brief
        assert section(from_files) == section(in_memory), i


def test_a_step_alone_computes_what_it_needs_and_says_so(tmp_path, capsys):
    b = steps.brief(REQ, tmp_path)  # as the notebook calls it: said with print
    said = capsys.readouterr().out
    assert "Langkah capaian: dihitung" in said and "Langkah simulasi: dihitung" in said
    assert (tmp_path / "capaian" / "capaian.json").is_file() and (tmp_path / "simulasi" / "simulasi.json").is_file()
    assert b.plan is not None


CHANGES = {
    "edited status file": "berkas masukan berubah: 2023-10-31.csv",
    "new snapshot": "berkas masukan berubah: 2023-10-30.csv",
    "other target": "parameter berubah: target",
    "other period": "parameter berubah: period",
    "a scenario": "parameter berubah: assume_done",
}


@pytest.mark.parametrize("change", CHANGES)
def test_results_made_from_other_inputs_are_computed_again_and_the_door_says_why(change, tmp_path):
    root = tmp_path / "data"
    shutil.copytree(TINY, root)
    run = tmp_path / "run"
    req = BriefRequest("kota-contoh", "2023-10", data_dir=root)
    steps.simulasi(req, run, say=None)
    status = root / "pemda" / "kota-contoh" / "status"
    if change == "edited status file":
        f = status / "2023-10-31.csv"
        f.write_text(f.read_text(encoding="utf-8").replace("Bappeda", "BAPPEDA", 1), encoding="utf-8")
    elif change == "new snapshot":
        shutil.copy(status / "2023-10-31.csv", status / "2023-10-30.csv")
    elif change == "other target":
        req = dataclasses.replace(req, target=60)
    elif change == "other period":
        req = dataclasses.replace(req, period="2023-09")
    else:
        (tmp_path / "asumsi.csv").write_text("doc_code,asumsi\nA.1.1.D1,selesai\n", encoding="utf-8")
        req = dataclasses.replace(req, assume_done=tmp_path / "asumsi.csv")
    _, said = _door(steps.simulasi, req, run)
    assert said[0] == f"Langkah capaian: dihitung ulang: {CHANGES[change]}"
    # step 2 depends on step 1's fields too; its only input file is step 1's
    file = "berkas masukan berubah: capaian.json"
    assert said[1] == "Langkah simulasi: dihitung ulang: " + (
        CHANGES[change] if "parameter" in CHANGES[change] else file
    )


def test_a_changed_setting_of_step_2_plans_again_and_keeps_step_1(tmp_path):
    steps.simulasi(REQ, tmp_path, say=None)
    b, said = _door(steps.brief, dataclasses.replace(REQ, confidence=0.6), tmp_path)
    assert said[0].startswith("Langkah capaian: dibaca")
    assert said[1] == "Langkah simulasi: dihitung ulang: parameter berubah: confidence"
    assert b.confidence == 0.6 and b.scenarios is None


def _counting(monkeypatch, name: str) -> list[float]:
    """The confidence of each request the step's compute function ``steps.<name>`` is called with."""
    calls: list[float] = []
    real = getattr(steps, name)

    def counting(req, *args):
        calls.append(req.confidence)
        return real(req, *args)

    monkeypatch.setattr(steps, name, counting)
    return calls


def test_the_scenarios_are_a_step_of_their_own_that_only_02_simulasi_asks_for(tmp_path, monkeypatch):
    """The brief (03_brief) never plans the scenarios; 02_simulasi's door computes them once from
    step 2's file, reads them while that file is unchanged and plans them again when it changed.
    Their base plan is step 2's (the target's own plan): equal to planning it again."""
    from mcp_lib.plan.scenario import scenarios

    calls = _counting(monkeypatch, "_compute_skenario")
    b = steps.brief(REQ, tmp_path, say=None)
    assert b.scenarios is None and calls == [] and not (tmp_path / "skenario-rencana").exists()
    b, said = _door(steps.skenario, REQ, tmp_path)
    assert said[-1].startswith("Langkah skenario-rencana: dihitung") and calls == [0.8]
    assert b.scenarios is not None and len(b.scenarios) >= 3
    fresh = scenarios(
        b.framework, b.pemda, b.snapshot, b.target, PlanOptions(confidence=0.8), opd_history=b.opd_history
    )
    assert b.scenarios.equals(fresh)
    steps._WRITTEN.clear()
    again, said = _door(steps.skenario, REQ, tmp_path)
    assert said[-1].startswith("Langkah skenario-rencana: dibaca") and calls == [0.8]
    assert again.scenarios.equals(b.scenarios)
    _, said = _door(steps.skenario, dataclasses.replace(REQ, confidence=0.6), tmp_path)
    assert said[-1] == "Langkah skenario-rencana: dihitung ulang: parameter berubah: confidence" and calls == [0.8, 0.6]


def test_a_step_another_process_computes_is_waited_for_and_read(tmp_path, monkeypatch):
    """``mcp brief`` plans the scenarios while its kernel runs 02_simulasi, whose last cell shows
    them: the door that finds the step claimed waits for it and reads it (planned once), and
    says only that it read it, as 02's scenario cell does after its first cell read both steps."""
    import threading

    steps.simulasi(REQ, tmp_path, say=None)
    started, go = threading.Event(), threading.Event()
    calls: list[float] = []
    real = steps._compute_skenario

    def slow(req, *args):
        calls.append(req.confidence)
        started.set()
        assert go.wait(60)
        return real(req, *args)

    monkeypatch.setattr(steps, "_compute_skenario", slow)
    first = threading.Thread(target=steps.skenario, args=(REQ, tmp_path), kwargs={"say": None})
    first.start()
    assert started.wait(60)  # the first holds the claim
    assert (tmp_path / ".skenario-rencana.dihitung").exists()
    said: list[str] = []
    second = threading.Thread(target=lambda: said.append(steps.skenario(REQ, tmp_path, say=said.append)))
    second.start()
    go.set()
    first.join(60)
    second.join(60)
    assert calls == [0.8]
    assert said[:-1] == [
        "Langkah skenario-rencana: dibaca dari folder "
        + str(tmp_path / "skenario-rencana")
        + " (masukan dan kode sama)"
    ]
    assert said[-1].scenarios is not None
    assert not (tmp_path / ".skenario-rencana.dihitung").exists()


def test_step_2_reads_its_own_results_and_plans_only_when_they_are_not_fresh(tmp_path, monkeypatch):
    """``mcp brief`` computes step 2 while its kernel boots; 02_simulasi then reads those results
    instead of planning again. Another confidence or other code: planned again."""
    calls = _counting(monkeypatch, "_compute_simulasi")
    written = steps.simulasi(REQ, tmp_path, say=None)
    files = {p: p.read_bytes() for p in tmp_path.rglob("*.*")}
    steps._WRITTEN.clear()
    b = steps.simulasi(REQ, tmp_path, say=None)
    assert calls == [0.8] and {p: p.read_bytes() for p in tmp_path.rglob("*.*")} == files  # read only
    assert b.plans is not None and b.plans.summary().equals(written.plans.summary())
    steps.simulasi(dataclasses.replace(REQ, confidence=0.6), tmp_path, say=None)
    steps.simulasi(dataclasses.replace(REQ), tmp_path, say=None)
    assert calls == [0.8, 0.6, 0.8]
    monkeypatch.setattr(steps, "code_version", lambda: "other code")
    _, said = _door(steps.simulasi, REQ, tmp_path)
    assert len(calls) == 4
    assert said == [f"Langkah {step}: dihitung ulang: kode mcp_lib berubah" for step in ("capaian", "simulasi")]


def test_results_written_here_are_read_from_memory_only_while_their_file_is_unchanged(tmp_path, monkeypatch):
    """``mcp brief`` writes each step once and reads it again twice; a file changed since (a
    notebook that computed the step anew) is read from the folder, and then kept in turn."""
    steps.capaian(REQ, tmp_path, say=None)
    read = []
    monkeypatch.setattr(steps.records, "read_record", lambda *a: read.append(a))
    steps.capaian(REQ, tmp_path, say=None)
    assert read == []
    monkeypatch.undo()
    cap_json = tmp_path / "capaian" / "capaian.json"
    cap_json.write_text(cap_json.read_text(encoding="utf-8") + " ", encoding="utf-8")  # same record, other bytes
    real, read = steps.records.read_record, []
    monkeypatch.setattr(steps.records, "read_record", lambda *a: read.append(a) or real(*a))
    _, said = _door(steps.capaian, REQ, tmp_path)
    assert read == [(tmp_path / "capaian", "capaian")] and said[0].startswith("Langkah capaian: dibaca")
    # what was read is kept too (the kernel reads both steps for 03_brief, then for 02_simulasi)
    steps.capaian(REQ, tmp_path, say=None)
    assert len(read) == 1


def test_results_of_another_version_are_computed_again(tmp_path):
    steps.capaian(REQ, tmp_path, say=None)
    (tmp_path / "capaian" / "capaian.json").write_text('{"format": 1, "record": {"$record": "Inputs"}}')
    _, said = _door(steps.capaian, REQ, tmp_path)
    assert said == [
        f"Langkah capaian: dihitung ulang: hasil di {tmp_path / 'capaian'} tidak terbaca (dibuat versi lain)"
    ]


def test_the_key_is_the_requests_fields_the_files_and_the_code(tmp_path):
    """One key for every step: equal for the same request, files and code; a field the step
    does not use leaves it alone; a file inside the run folder is named relative to it."""
    (tmp_path / "a").write_text("x")
    key = steps.made_from("capaian", REQ, [tmp_path / "a"], tmp_path)
    assert key.files["file"].tolist() == ["a"] and key.code == steps.code_version()
    assert steps.made_from("capaian", REQ, [tmp_path / "a"], tmp_path).key == key.key
    assert (
        steps.made_from("capaian", dataclasses.replace(REQ, confidence=0.5), [tmp_path / "a"], tmp_path).key == key.key
    )
    assert steps.made_from("simulasi", dataclasses.replace(REQ, confidence=0.5), [tmp_path / "a"], tmp_path).key != (
        steps.made_from("simulasi", REQ, [tmp_path / "a"], tmp_path).key
    )
    assert steps.made_from("capaian", dataclasses.replace(REQ, target=50), [tmp_path / "a"], tmp_path).key != key.key
    (tmp_path / "a").write_text("y")
    assert steps.made_from("capaian", REQ, [tmp_path / "a"], tmp_path).key != key.key


def test_without_a_run_folder_the_lab_folder_is_used(monkeypatch, tmp_path):
    monkeypatch.setattr(steps, "OUTPUTS_DIR", tmp_path)
    assert steps.default_run_dir(REQ) == tmp_path / "lab" / "kota-contoh" / "2023-10"
    scenario = dataclasses.replace(REQ, assume_done="uji asumsi.csv")
    assert steps.default_run_dir(scenario).name == "2023-10-skenario-uji-asumsi"
    steps.capaian(REQ, "", say=None)
    assert (tmp_path / "lab" / "kota-contoh" / "2023-10" / "capaian" / "capaian.json").is_file()


def test_bad_input_is_an_error_in_words_before_anything_is_written(tmp_path):
    with pytest.raises(InputError, match="tidak ada snapshot untuk periode 2019-01"):
        steps.capaian(BriefRequest("kota-contoh", "2019-01", data_dir=TINY), tmp_path, say=None)
    assert not (tmp_path / "capaian").exists()


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
    steps.capaian(REQ, tmp_path)
    before = steps.brief(REQ, tmp_path).scores.verified
    capsys.readouterr()
    real = steps.score_snapshot

    def five_less(*args, **kwargs):
        s = real(*args, **kwargs)
        return dataclasses.replace(s, verified=s.verified - 5)

    monkeypatch.setattr(steps, "score_snapshot", five_less)
    monkeypatch.setattr(steps, "code_version", lambda: "other code")
    after = steps.brief(REQ, tmp_path)
    said = capsys.readouterr().out
    assert "Langkah capaian: dihitung ulang: kode mcp_lib berubah" in said
    assert after.scores.verified == pytest.approx(before - 5)
    assert steps.records.read_record(tmp_path / "capaian", "capaian").made_from.code == "other code"


def _sample_data(tmp_path):
    """The bundled Lubuklinggau and frameworks, copied: its last final score is of 2022."""
    from mcp_lib.config import DATA_DIR

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR / "pemda" / "kota-lubuklinggau", data / "pemda" / "kota-lubuklinggau")
    shutil.copytree(DATA_DIR / "frameworks", data / "frameworks")
    return data


@pytest.mark.slow
def test_adding_last_years_framework_makes_step_one_fresh_again(tmp_path):
    """The brief compares this year's framework with that of the last final score (2022 for the
    sample). Added later, it is an input like any other: step 1 is computed again and the brief
    no longer says it is missing; a README beside a framework's tables is not an input."""
    data = _sample_data(tmp_path)
    req = BriefRequest("kota-lubuklinggau", "2023-10", data_dir=data)
    run = tmp_path / "run"
    first, _ = _door(steps.capaian, req, run)
    assert first.framework_change is not None and not first.framework_change.available
    (data / "frameworks" / "mcp-2023" / "README.md").write_text("catatan\n", encoding="utf-8")
    _, said = _door(steps.capaian, req, run)
    assert said == [f"Langkah capaian: dibaca dari folder {run / 'capaian'} (masukan dan kode sama)"]
    shutil.copytree(data / "frameworks" / "mcp-2023", data / "frameworks" / "mcp-2022")
    toml = data / "frameworks" / "mcp-2022" / "framework.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8")
        .replace("year = 2023", "year = 2022")
        .replace("2023-11-30", "2022-11-30")
        .replace("2024-01-15", "2023-01-15"),
        encoding="utf-8",
    )
    again, said = _door(steps.capaian, req, run)
    assert said[0].startswith("Langkah capaian: dihitung ulang: berkas masukan berubah")
    assert again.framework_change.available
