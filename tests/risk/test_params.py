"""The verification-risk parameters: defaults and their sources, the ``[risiko]`` table of
``pemda.toml`` (overrides, bad values refused with the line), the completion curve."""

import pandas as pd
import pytest

from mcp_lib.config import REFERENCE_DIR
from mcp_lib.errors import InputError
from mcp_lib.pemda.settings import load_pemda
from mcp_lib.risk.params import PARAMETERS, RiskParams, params_from_toml

# --- parameters in pemda.toml ------------------------------------------------------------------

TOML = """name = "X"
[risiko]
pemda_sd = 0.5
fix_months = 1.0

[risiko.area]
A6 = 1.8
pajak = 1.2

[risiko.hambatan]
"BPN" = 0.1
"""


def test_parameters_from_toml():
    import tomllib

    p = params_from_toml(tomllib.loads(TOML)["risiko"], "pemda.toml", TOML)
    assert (p.pemda_sd, p.fix_months, p.structural_zero) == (0.5, 1.0, RiskParams.structural_zero)
    assert p.multiplier("A6", "Optimalisasi Pajak Daerah") == 1.8  # the code wins
    assert p.multiplier("A9", "Pajak Daerah") == 1.2  # then the key
    assert p.multiplier("A1", "Perencanaan") == 0.74  # then the built-in table
    assert p.multiplier("A8", "Pelayanan Publik") == 1.0  # not in the 2021 data
    assert p.clear_chance("menunggu sertifikat BPN") == 0.1
    assert p.clear_chance("menunggu Kemendagri") == 0.75
    assert p.clear_chance("menunggu bank daerah") == 0.5


def test_every_parameter_is_documented_with_a_source():
    fields = {f for f in RiskParams.__dataclass_fields__ if f not in ("area_multiplier", "blocker_clear", "certain")}
    assert {p.name for p in PARAMETERS} == fields
    for p in PARAMETERS:
        assert p.meaning and p.source and p.low <= getattr(RiskParams(), p.name) <= p.high, p.name


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("pemda_sd = -1", "nilai parameter risiko tidak sah"),
        ('pemda_sd = "tinggi"', "nilai parameter risiko tidak sah"),
        ("lumpat = 2", "parameter risiko tidak dikenal"),
        ("fixable = 1.5", "nilai parameter risiko tidak sah"),
        ("qa_risk = nan", "nilai parameter risiko tidak sah"),
    ],
)
def test_bad_risk_values_are_refused_with_the_line(tiny_copy, line, problem):
    toml = tiny_copy / "pemda" / "kota-contoh" / "pemda.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace("[final_scores]", f"[risiko]\nfix_months = 1\n{line}\n\n[final_scores]", 1))
    with pytest.raises(InputError) as exc:
        load_pemda("kota-contoh", tiny_copy)
    p = exc.value.problems[0]
    assert problem in p.message and p.file.endswith("pemda.toml")
    lines = toml.read_text(encoding="utf-8").splitlines()
    assert lines[p.row - 1].strip() == line
    assert "baris" in str(p) and "risiko." in str(p)


def test_a_misspelt_parameter_gets_a_suggestion(tiny_copy):
    toml = tiny_copy / "pemda" / "kota-contoh" / "pemda.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n[risiko]\nfixabel = 0.4\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"maksud Anda fixable\?"):
        load_pemda("kota-contoh", tiny_copy)


def test_a_decimal_comma_in_pemda_toml_is_explained(tiny_copy):
    toml = tiny_copy / "pemda" / "kota-contoh" / "pemda.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n[risiko]\npemda_sd = 0,7\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"0\.7, bukan 0,7"):
        load_pemda("kota-contoh", tiny_copy)


def test_area_and_blocker_tables_are_checked(tiny_copy):
    toml = tiny_copy / "pemda" / "kota-contoh" / "pemda.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text + '\n[risiko.area]\nA = "besar"\n\n[risiko.hambatan]\n"BPN" = 2\n', encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_pemda("kota-contoh", tiny_copy)
    msgs = {(p.column, p.row) for p in exc.value.problems}
    lines = toml.read_text(encoding="utf-8").splitlines()
    assert {c for c, _r in msgs} == {"risiko.area.A", "risiko.hambatan.BPN"}
    assert all(lines[r - 1].split("=")[0].strip().strip('"') in c for c, r in msgs)


def test_an_unknown_area_in_the_risk_table_is_named(tiny_copy):
    from mcp_lib.pemda.model import pemda_framework

    toml = tiny_copy / "pemda" / "kota-contoh" / "pemda.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n[risiko.area]\nB = 1.2\nZ9 = 1.5\n", encoding="utf-8")
    pemda = load_pemda("kota-contoh", tiny_copy)
    with pytest.raises(InputError) as exc:
        pemda_framework(pemda)
    (p,) = exc.value.problems
    assert p.column == "risiko.area.Z9" and "A, B, C" in p.expected
    assert toml.read_text(encoding="utf-8").splitlines()[p.row - 1] == "Z9 = 1.5"


def test_completion_matches_the_2021_year_end_claims():
    """The share of open documents a typical pemda uploads (``completion``) gives, from an empty
    start in March to a 31 December close, the mean 2021 year-end claim per district (the spread
    between districts is part of the calibrated error of the projection, test_backtest.py)."""
    params = RiskParams()
    claims = pd.read_csv(REFERENCE_DIR / "kabkota-claim-vs-verified-2020-21.csv")["mean_claim"] / 100
    assert params.completion(10.0) == pytest.approx(claims.mean(), abs=0.02)


def test_retired_parameters_are_refused_with_what_replaced_them():
    with pytest.raises(InputError) as err:
        params_from_toml({"completion_concentration": 12.0}, "pemda.toml", "[risiko]\ncompletion_concentration = 12\n")
    problem = err.value.problems[0]
    assert problem.column == "risiko.completion_concentration" and problem.row == 2
    assert "tidak dipakai lagi" in problem.message and "error_mid" in problem.expected


def test_the_lead_groups_pick_the_error_by_months_to_the_close():
    p = RiskParams()
    assert (p.error(5.0), p.error(3.0), p.error(2.9), p.error(0.5), p.error(0.49), p.error(-1.0)) == (
        p.error_early,
        p.error_early,
        p.error_mid,
        p.error_mid,
        p.error_late,
        p.error_late,
    )
