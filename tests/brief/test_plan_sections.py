"""The brief's sections on the way to the target (mcp_lib.brief.plan_sections)."""

import pytest
from conftest import TINY

from mcp_lib import text
from mcp_lib.brief import plan_sections, steps
from mcp_lib.brief.request import BriefRequest


@pytest.fixture
def sample(lubuklinggau_2023_10):
    return lubuklinggau_2023_10


def test_action_list_summarises_uploaded_documents_per_opd(sample):
    """Uploaded documents are one line per OPD (count and points), not rows of its table."""
    import re

    html = str(plan_sections.action_list(sample))
    docs = sample.plan.documents
    waiting = docs[docs["status"] == "diunggah"]
    assert len(waiting)
    for opd, group in waiting.groupby("opd"):
        points = text.number(group["gain"].sum(), 2)
        section = html.split(f"<h3>{opd}</h3>", 1)[1].split("<h3>", 1)[0]
        assert f"Kawal verifikasi: {len(group)} dokumen sudah diunggah (+{points} poin" in section
        assert not any(code in section for code in group["doc_code"])
    work = docs[docs["status"] != "diunggah"]
    assert all(code in html for code in work["doc_code"])
    assert len(re.findall("Kawal verifikasi:", html)) == waiting["opd"].nunique()


def test_the_scenarios_table_shows_what_step_2_computed(sample):
    """The table is built from the scenarios' step (computed once, for 02_simulasi), not planned
    again while rendering; without them (the brief's data) the section says nothing was computed."""
    with_them = steps.prepare(BriefRequest("kota-lubuklinggau", "2023-10"), scenarios=True)
    html = str(plan_sections.scenarios_table(with_them))
    for name in with_them.scenarios["scenario"]:
        assert text.escape(name) in html
    assert len(with_them.scenarios) >= 3
    assert sample.scenarios is None and "tidak dihitung" in plan_sections.scenarios_table(sample)


def test_plan_sections_need_the_simulation(tmp_path):
    """The achievement alone (01_capaian's data) has no plan: asking for one says so."""
    b = steps.capaian(BriefRequest("kota-contoh", "2023-10", data_dir=TINY), tmp_path, say=None)
    with pytest.raises(ValueError, match="02_simulasi"):
        plan_sections.targets_table(b)
