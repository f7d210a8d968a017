"""The MCSP 2026 scoring methods (mcp_lib/framework/methods.py): each with a hand-computed case."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mcp_lib.framework.methods import (
    DEFAULT,
    METHOD_NAMES,
    Document,
    Evidence,
    MethodError,
    Rule,
    parse_method,
    score,
    tiers,
)
from mcp_lib.framework.model import Level
from mcp_lib.scoring import effective_weights
from mcp_lib.statuses import (
    BELUM,
    DIUNGGAH,
    DIVERIFIKASI,
    PERLU_PERBAIKAN,
    STATUSES,
    TIDAK_BERLAKU,
)


def docs(*statuses: str, points: float = 10.0) -> Evidence:
    """Documents of equal points, fully verified when DIVERIFIKASI."""
    return Evidence(tuple(Document(s, points, points if s == DIVERIFIKASI else 0.0) for s in statuses))


def score_of(text: str, evidence: Evidence) -> float | None:
    return score(parse_method(text), evidence)


# ---------------------------------------------------------------- documents (today's rule)


def test_document_points_partial_credit() -> None:
    # points 10, 20, 30, 40 (tidak berlaku, drops out); verified 10 (diverifikasi), 5 (returned
    # with 5 accepted), 0 (diunggah: not verified yet): 100 · (10 + 5) / (10 + 20 + 30) = 25.
    ev = Evidence(
        (
            Document(DIVERIFIKASI, 10, 10),
            Document(PERLU_PERBAIKAN, 20, 5),
            Document(DIUNGGAH, 30, 0),
            Document(TIDAK_BERLAKU, 40, 0),
        )
    )
    assert score(DEFAULT, ev) == pytest.approx(25.0)
    assert score_of("PROPORSIONAL", ev) == pytest.approx(25.0)
    assert score_of("", ev) == pytest.approx(25.0)


def test_document_points_nothing_applicable() -> None:
    assert score(DEFAULT, docs(TIDAK_BERLAKU)) is None
    assert score(DEFAULT, Evidence()) is None


_doc = st.builds(
    Document,
    status=st.sampled_from(STATUSES),
    points=st.sampled_from([0.0, 1.0, 2.5, 10.0, 100.0]),
    verified_points=st.floats(0, 100),
)


@given(st.lists(_doc, max_size=8))
def test_default_is_todays_per_document_formula(documents: list[Document]) -> None:
    # Today's formula (mcp_lib.scoring): a lone sub-indicator of weight 100 scores
    # Σ effective weight × verified value, verified value counting decided documents only.
    ev = Evidence(tuple(documents))
    got = score(DEFAULT, ev)
    frame = pd.DataFrame(
        {
            "points": [d.points for d in documents],
            "status": [d.status for d in documents],
            "verified_points": [d.verified_points for d in documents],
            "sub_code": "S1",
            "sub_weight": 100.0,
        }
    )
    frame["applicable"] = frame["status"] != TIDAK_BERLAKU
    counts = frame["status"].isin([DIVERIFIKASI, PERLU_PERBAIKAN]) & frame["applicable"]
    weight = effective_weights(frame, levels=(Level("sub", "Sub-indikator"),))
    today = float((weight * frame["verified_points"].where(counts, 0.0)).sum())
    if got is None:
        assert sum(d.points for d in documents if d.applicable) == 0 and today == 0
    else:
        assert got == pytest.approx(today)


# ---------------------------------------------------------------- binary and tiers


def test_binary_all_or_nothing() -> None:
    # 3 required: 2 verified → 0; 3 verified → 100; the tidak berlaku one drops out.
    assert score_of("BINER_0_100", docs(DIVERIFIKASI, DIVERIFIKASI, BELUM)) == 0.0
    assert score_of("BINER_0_100", docs(DIVERIFIKASI, DIVERIFIKASI, DIVERIFIKASI, TIDAK_BERLAKU)) == 100.0


def test_binary_returned_document_is_not_met() -> None:
    # A returned document (perlu perbaikan) with points accepted is still not met: 0.
    ev = Evidence((Document(DIVERIFIKASI, 10, 10), Document(PERLU_PERBAIKAN, 10, 8)))
    assert score_of("BINER_0_100", ev) == 0.0


@pytest.mark.parametrize(("name", "partial"), [("BERTINGKAT_0_75_25", 75.0), ("BERTINGKAT_0_80_100", 80.0)])
def test_tiers_none_some_all(name: str, partial: float) -> None:
    # 4 required: 0 verified → 0; 1 or 3 verified → the partial tier; 4 → 100.
    assert score_of(name, docs(BELUM, DIUNGGAH, BELUM, BELUM)) == 0.0
    assert score_of(name, docs(DIVERIFIKASI, BELUM, BELUM, BELUM)) == partial
    assert score_of(name, docs(DIVERIFIKASI, DIVERIFIKASI, DIVERIFIKASI, BELUM)) == partial
    assert score_of(name, docs(*[DIVERIFIKASI] * 4)) == 100.0


def test_counted_methods_nothing_required() -> None:
    for name in ("BINER_0_100", "BERTINGKAT_0_75_25", "BOBOT_TAHUN", "BOBOT_TAHAPAN"):
        assert score_of(name, docs(TIDAK_BERLAKU)) is None
        assert tiers(parse_method(name), 0) == []


# ---------------------------------------------------------------- periods and stages


def test_years_each_document_a_period() -> None:
    # 3 years, one document each, 2 verified: 100 · 2 / 3 = 66.67.
    assert score_of("BOBOT_TAHUN", docs(DIVERIFIKASI, BELUM, DIVERIFIKASI)) == pytest.approx(200 / 3)


def test_quarters_with_declared_count() -> None:
    # periode=4 declared, the pemda's list holds 2 quarters, 1 verified: 100 · 1 / 4 = 25.
    assert score_of("BOBOT_TAHUN_TRIWULAN periode=4", docs(DIVERIFIKASI, BELUM)) == 25.0


def test_stage_met_only_when_all_its_documents_are_valid() -> None:
    # Stages A (2 documents, both verified), B (2 documents, one verified), C (1, verified):
    # met A and C out of 3 → 66.67; with tahapan=4 → 100 · 2 / 4 = 50.
    ev = Evidence(
        (
            Document(DIVERIFIKASI, 10, 10, "A"),
            Document(DIVERIFIKASI, 10, 10, "A"),
            Document(DIVERIFIKASI, 10, 10, "B"),
            Document(BELUM, 10, 0, "B"),
            Document(DIVERIFIKASI, 10, 10, "C"),
        )
    )
    assert score_of("BOBOT_TAHAPAN", ev) == pytest.approx(200 / 3)
    assert score_of("BOBOT_TAHAPAN tahapan=4", ev) == 50.0


def test_periods_all_done_capped_at_declared_count() -> None:
    # 3 periods met but periode=2: 100, not 150.
    assert score_of("BOBOT_TAHUN periode=2", docs(*[DIVERIFIKASI] * 3)) == 100.0


# ---------------------------------------------------------------- realisation and outside systems


@pytest.mark.parametrize("name", ["AMBANG_REALISASI", "AMBANG_PROPORSIONAL"])
def test_realisation_against_target(name: str) -> None:
    # target 80: realisation 60 → 100 · 60 / 80 = 75; 96 → 120, capped at 100; none → 0.
    method = parse_method(f"{name} target=80")
    assert score(method, Evidence(realisation=60)) == 75.0
    assert score(method, Evidence(realisation=96)) == 100.0
    assert score(method, Evidence()) == 0.0
    # Without target the guideline's 100: realisation 42.5 → 42.5; a negative one → 0.
    assert score_of(name, Evidence(realisation=42.5)) == 42.5
    assert score_of(name, Evidence(realisation=-3)) == 0.0


@pytest.mark.parametrize(
    ("name", "system"),
    [
        ("INTEROPERABILITAS_E_LHKPN", "e-LHKPN"),
        ("INTEROPERABILITAS_GOL", "GOL"),
        ("INTEROPERABILITAS_SICUKUP", "SICUKUP"),
        ("INTEROPERABILITAS_SPI", "SPI"),
    ],
)
def test_outside_system(name: str, system: str) -> None:
    # Documents do not matter: met through the system → 100, else (or unknown) 0.
    method = parse_method(name)
    assert score(method, Evidence(docs(BELUM).documents, met_outside=True)) == 100.0
    assert score(method, Evidence(docs(DIVERIFIKASI).documents, met_outside=False)) == 0.0
    assert score(method, Evidence()) == 0.0
    assert not method.plannable
    assert method.how_met == f"dipenuhi lewat {system}"


# ---------------------------------------------------------------- plannable and tiers


def test_plannable_and_phrases() -> None:
    plannable = {n for n in METHOD_NAMES if parse_method(n).plannable}
    assert plannable == set(METHOD_NAMES) - {
        "AMBANG_REALISASI",
        "AMBANG_PROPORSIONAL",
        *(n for n in METHOD_NAMES if n.startswith("INTEROPERABILITAS_")),
    }
    assert parse_method("AMBANG_REALISASI").how_met == "perlu capaian realisasi"
    assert DEFAULT.how_met == "dipenuhi dengan mengunggah dokumen"


def test_tier_steps() -> None:
    assert tiers(parse_method("BINER_0_100"), 3) == [(0, 0.0), (3, 100.0)]
    assert tiers(parse_method("BERTINGKAT_0_75_25"), 3) == [(0, 0.0), (1, 75.0), (3, 100.0)]
    assert tiers(parse_method("BERTINGKAT_0_80_100"), 1) == [(0, 0.0), (1, 100.0)]
    assert tiers(parse_method("BOBOT_TAHUN periode=4"), 2) == [(0, 0.0), (1, 25.0), (2, 50.0)]
    assert tiers(DEFAULT, 2) == [(0, 0.0), (1, 50.0), (2, 100.0)]
    assert tiers(parse_method("AMBANG_REALISASI"), 5) == [(0, 0.0)]


@given(st.sampled_from(["BINER_0_100", "BERTINGKAT_0_75_25", "BERTINGKAT_0_80_100", "BOBOT_TAHUN"]), st.data())
def test_counted_score_is_its_tier(name: str, data: st.DataObject) -> None:
    # The score of k valid documents out of n is the highest step with needed ≤ k.
    n = data.draw(st.integers(1, 6))
    k = data.draw(st.integers(0, n))
    method = parse_method(name)
    steps = tiers(method, n)
    assert steps[0] == (0, 0.0) and [s[0] for s in steps] == sorted({s[0] for s in steps})
    expected = max(v for needed, v in steps if needed <= k)
    assert score(method, docs(*[DIVERIFIKASI] * k, *[BELUM] * (n - k))) == expected


# ---------------------------------------------------------------- the cell's syntax


def test_parse_names_case_and_parameters() -> None:
    assert parse_method(None) == DEFAULT
    assert parse_method("  ") == DEFAULT
    assert parse_method("bertingkat_0_75_25").partial == 75.0
    assert parse_method("BOBOT_TAHUN PERIODE=3").periods == 3
    assert parse_method("AMBANG_REALISASI target=92,5").target == 92.5
    assert parse_method("INTEROPERABILITAS_SPI").rule is Rule.OUTSIDE


@pytest.mark.parametrize(
    ("text", "message", "expected"),
    [
        ("BOBOT_SEMAUNYA", "metode penilaian 'BOBOT_SEMAUNYA' tidak dikenal", "salah satu: BOBOT_DOKUMEN, "),
        ("BINER_0_100 periode=2", "parameter 'periode=2' tidak berlaku untuk BINER_0_100", "BINER_0_100 tanpa"),
        ("BOBOT_TAHUN tahapan=2", "parameter 'tahapan=2' tidak berlaku untuk BOBOT_TAHUN", "periode=..."),
        ("BOBOT_TAHUN periode", "parameter 'periode' tidak berlaku", "periode=..."),
        ("BOBOT_TAHUN periode=2.5", "nilai periode '2.5' tidak sah", "periode=<bilangan bulat ≥ 1>"),
        ("BOBOT_TAHAPAN tahapan=0", "nilai tahapan '0' tidak sah", "tahapan=<bilangan bulat ≥ 1>"),
        ("AMBANG_REALISASI target=banyak", "nilai target 'banyak' bukan angka", "target=<angka > 0>"),
        ("AMBANG_REALISASI target=-5", "nilai target '-5' tidak sah", "target=<angka > 0>"),
    ],
)
def test_bad_cells_name_the_value_and_what_is_expected(text: str, message: str, expected: str) -> None:
    with pytest.raises(MethodError) as caught:
        parse_method(text)
    assert str(caught.value).startswith(message)
    assert caught.value.value == text
    assert caught.value.expected.startswith(expected)
    assert f"(isi: {text!r}); seharusnya " in str(caught.value)


@pytest.mark.parametrize(
    ("cell", "short"),
    [
        ("", "bobot dokumen"),
        ("BINER_0_100", "semua dokumen atau 0"),
        ("BERTINGKAT_0_75_25", "bertingkat 0/75/100"),
        ("BOBOT_TAHUN periode=3", "per periode (3)"),
        ("BOBOT_TAHAPAN tahapan=4", "per tahapan (4)"),
        ("AMBANG_REALISASI target=80", "realisasi ÷ target 80"),
        ("INTEROPERABILITAS_E_LHKPN", "lewat e-LHKPN"),
    ],
)
def test_each_method_says_in_a_few_words_how_it_scores_and_reads_back_from_its_text(cell, short):
    method = parse_method(cell)
    assert method.short == short
    assert parse_method(method.text) == method
