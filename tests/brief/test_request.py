"""One brief's request (mcp_lib.brief.request): normalised and checked once, given by name."""

import dataclasses
import os

import pytest
from conftest import TINY

from mcp_lib.brief.request import STEPS, BriefRequest, step_fields
from mcp_lib.errors import InputError
from mcp_lib.io import records


def test_a_request_is_normalised_on_construction(tmp_path, monkeypatch):
    monkeypatch.chdir(TINY.parent)
    req = BriefRequest("kota-contoh", "2023-10", data_dir="tiny", target=None, assume_done=None, since="")
    assert req.pemda == str((TINY / "pemda" / "kota-contoh").resolve())
    assert req.data_dir == str(TINY.resolve()) and os.path.isabs(req.data_dir)
    assert (req.target, req.assume_done, req.since, req.confidence) == (0.0, "", "", 0.8)
    assert isinstance(req.target, float)
    by_path = BriefRequest("tiny/pemda/kota-contoh", " 2023-10 ", data_dir=TINY, since="outputs/x/2023-09")
    assert by_path.pemda == req.pemda and by_path.period == "2023-10"
    assert by_path.since == str((TINY.parent / "outputs" / "x" / "2023-09").resolve())
    sample = BriefRequest("kota-lubuklinggau", "2023-10")
    assert sample.data_dir == "" and sample.pemda.endswith(os.path.join("data", "pemda", "kota-lubuklinggau"))


def test_normalising_again_changes_nothing():
    req = BriefRequest("kota-contoh", "2023-10", data_dir=TINY, target=55, confidence=0.6)
    assert dataclasses.replace(req) == req
    assert dataclasses.replace(req, target=60).target == 60.0


def test_every_field_after_the_period_is_given_by_name():
    """The notebooks once passed target and assume_done by position in an order their parameters
    cell did not have: a plausible brief of the wrong request. Now that cannot be written."""
    with pytest.raises(TypeError):
        BriefRequest("kota-contoh", "2023-10", TINY)


@pytest.mark.parametrize("confidence", [0, 1])
def test_a_confidence_of_zero_or_one_is_taken_as_the_command_line_takes_it(confidence):
    assert BriefRequest("kota-contoh", "2023-10", data_dir=TINY, confidence=confidence).confidence == confidence


@pytest.mark.parametrize("confidence", [1.5, -0.2])
def test_a_confidence_outside_zero_to_one_is_refused_in_words(confidence):
    with pytest.raises(InputError, match="keyakinan harus antara 0 dan 1") as err:
        BriefRequest("kota-contoh", "2023-10", data_dir=TINY, confidence=confidence)
    assert err.value.problems[0].file == "confidence"


@pytest.mark.parametrize(("target", "words"), [(150, "di luar 0–100"), (0.85, "pecahan")])
def test_a_target_that_cannot_be_is_refused_in_words(target, words):
    with pytest.raises(InputError, match=words):
        BriefRequest("kota-contoh", "2023-10", data_dir=TINY, target=target)


def test_a_bad_period_or_pemda_name_is_refused_in_words():
    with pytest.raises(InputError, match="periode tidak sah"):
        BriefRequest("kota-contoh", "2023-13", data_dir=TINY)
    with pytest.raises(InputError):
        BriefRequest("../kota-contoh", "2023-10", data_dir=TINY)


def test_a_request_reads_back_from_a_record(tmp_path):
    req = BriefRequest("kota-contoh", "2023-10", data_dir=TINY, target=55, confidence=0.6)
    records.write_record(req, tmp_path, "request")
    assert records.read_record(tmp_path, "request") == req


def test_a_request_recorded_with_the_retired_choice_of_scenarios_reads_back(tmp_path):
    """Step files of last month (before the scenarios became a step of their own) record
    ``with_scenarios``: the brief still reads them (the plan and projection its meeting saw)."""
    import json

    req = BriefRequest("kota-contoh", "2023-10", data_dir=TINY, confidence=0.6)
    path = records.write_record(req, tmp_path, "request")
    body = json.loads(path.read_text(encoding="utf-8"))
    body["record"]["fields"]["with_scenarios"] = False
    path.write_text(json.dumps(body), encoding="utf-8")
    assert records.read_record(tmp_path, "request") == req
    # and the notebooks of those months, which pass it, run again as they are
    assert BriefRequest("kota-contoh", "2023-10", data_dir=TINY, confidence=0.6, with_scenarios=False) == req


def test_each_step_depends_on_its_fields_and_those_of_the_steps_before():
    assert step_fields("capaian") == ("pemda", "period", "data_dir", "target", "assume_done", "since")
    assert step_fields("simulasi") == (*step_fields("capaian"), "confidence")
    assert step_fields("skenario-rencana") == step_fields("brief") == step_fields("simulasi")
    assert set(step_fields(STEPS[-1])) == {f.name for f in dataclasses.fields(BriefRequest)}


def test_a_linked_pemda_is_the_same_request_by_name_or_by_path(tmp_path):
    """data/pemda/kota-x a link (symlink) to an archived folder inside the data: by name or by
    path the request names the link (the brief's output folder is the pemda's name, and the last
    meeting is looked up there), with ``..`` taken out."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(TINY / "pemda" / "kota-contoh", data / "pemda" / "_arsip" / "kota-contoh-v2")
    shutil.copytree(TINY / "frameworks", data / "frameworks")
    (data / "pemda" / "kota-contoh").symlink_to(data / "pemda" / "_arsip" / "kota-contoh-v2", target_is_directory=True)
    by_name = BriefRequest("kota-contoh", "2023-10", data_dir=data)
    by_path = BriefRequest(str(data / "pemda" / ".." / "pemda" / "kota-contoh"), "2023-10", data_dir=data)
    assert by_name.pemda == by_path.pemda == str(data / "pemda" / "kota-contoh")
