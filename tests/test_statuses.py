"""The status vocabulary (mcp_lib.statuses): one owner of the words, groups that cut the
vocabulary as their docstrings say."""

import ast
from collections import Counter
from pathlib import Path

import pytest

import mcp_lib
from mcp_lib import statuses as st

PACKAGE = Path(mcp_lib.__file__).parent

ALLOWED = {
    ("brief/meeting.py", st.BELUM): "the verdict key of BELUM AMAN (the brief's CSS class status-belum), not a status",
}
"""String constants spelled like a status that mean something else, each allowed exactly once."""


def _status_literals() -> Counter[tuple[str, str]]:
    """(module path under mcp_lib, status word) → how often the word is a string constant there."""
    found: Counter[tuple[str, str]] = Counter()
    for path in sorted(PACKAGE.rglob("*.py")):
        module = path.relative_to(PACKAGE).as_posix()
        if module == "statuses.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in st.STATUSES:
                found[module, node.value] += 1
    return found


def test_no_module_but_statuses_spells_a_status():
    found = _status_literals()
    stray = sorted(f"mcp_lib/{m}: {w!r} ×{n}" for (m, w), n in found.items() if (m, w) not in ALLOWED)
    assert stray == []
    assert {key: found[key] for key in ALLOWED} == dict.fromkeys(ALLOWED, 1)


def test_the_vocabulary_has_six_distinct_words_each_with_a_label():
    assert len(set(st.STATUSES)) == len(st.STATUSES) == 6
    assert list(st.STATUS_LABELS) == list(st.STATUSES)
    assert all(label.strip() for label in st.STATUS_LABELS.values())


GROUPS = ["BEFORE_UPLOAD", "UPLOADED", "DECIDED", "TO_DELIVER", "MAY_UPLOAD"]


@pytest.mark.parametrize("name", GROUPS)
def test_each_group_is_a_tuple_of_distinct_statuses_in_the_vocabularys_order(name):
    group = getattr(st, name)
    assert isinstance(group, tuple) and group
    assert list(group) == [s for s in st.STATUSES if s in group]


def test_before_upload_waiting_decided_and_not_applicable_partition_the_vocabulary():
    parts = [st.BEFORE_UPLOAD, (st.DIUNGGAH,), st.DECIDED, (st.TIDAK_BERLAKU,)]
    assert sorted(s for part in parts for s in part) == sorted(st.STATUSES)


def test_to_deliver_and_uploaded_split_the_applicable_statuses():
    """For an OPD every applicable document is either still owed or in place, never both."""
    assert not set(st.TO_DELIVER) & set(st.UPLOADED)
    assert set(st.TO_DELIVER) | set(st.UPLOADED) == set(st.STATUSES) - {st.TIDAK_BERLAKU}


def test_to_deliver_is_the_not_yet_uploaded_and_the_returned():
    assert set(st.TO_DELIVER) == {*st.BEFORE_UPLOAD, st.PERLU_PERBAIKAN}


def test_may_upload_is_to_deliver_plus_the_partly_verified():
    """The forecast's open set differs from the OPD's by exactly the verified status."""
    assert set(st.MAY_UPLOAD) - set(st.TO_DELIVER) == {st.DIVERIFIKASI}
    assert set(st.TO_DELIVER) <= set(st.MAY_UPLOAD)
    assert st.DIUNGGAH not in st.MAY_UPLOAD and st.TIDAK_BERLAKU not in st.MAY_UPLOAD
