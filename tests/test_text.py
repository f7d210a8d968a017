import datetime as dt

import pytest

from mcp_lib import text


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (64.9228, 1, "64,9"),
        (26.25, 1, "26,3"),
        (1234.5, 1, "1.234,5"),
        (87, 0, "87"),
        (0.005, 2, "0,01"),
        (None, 1, "–"),
        (float("nan"), 1, "–"),
    ],
)
def test_number_is_indonesian_and_rounds_half_up(value, digits, expected):
    assert text.number(value, digits) == expected


def test_number_is_babels_indonesian_decimal_format():
    """``number`` writes what babel's ``#,##0.0`` pattern in ``id_ID`` writes (what it was built on),
    for numbers of every size and sign, around the rounding edges and at 0 to 3 decimals."""
    import random
    from decimal import ROUND_HALF_UP, Decimal

    from babel.numbers import format_decimal

    rng = random.Random(30)
    values = [0.0, -0.0, -0.04, -0.05, 0.05, 26.25, 999.95, 999_999.95, -1234.56, 5e-7, 1e15 + 0.3, 12, 100]
    values += [rng.uniform(-1e7, 1e7) for _ in range(500)] + [rng.uniform(-2, 2) for _ in range(500)]
    values += [round(rng.uniform(0, 100), 2) for _ in range(500)]
    for value in values:
        for digits in (0, 1, 2, 3):
            pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
            rounded = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
            babel = format_decimal(rounded + 0, format=pattern, locale=text.LOCALE, decimal_quantization=False)
            assert text.number(value, digits) == babel, (value, digits)


def test_percent_signed_dates():
    assert text.percent(65.04) == "65,0%"
    assert text.signed(4.24) == "+4,2" and text.signed(-1.0) == "−1,0" and text.signed(-0.04) == "+0,0"
    assert text.date(dt.date(2023, 11, 12)) == "12 November 2023"
    assert text.month(dt.date(2023, 10, 31)) == "Oktober 2023"
    assert text.d3_time_locale()["shortMonths"][4] == "Mei"


def test_escape():
    assert text.escape('<script>alert("x") & </script>') == "&lt;script&gt;alert(&quot;x&quot;) &amp; &lt;/script&gt;"
    assert text.escape(None) == ""


def test_bands_round_outward_and_chances_read_aloud():
    assert text.band(84.57, 97.2) == "84–98%"  # never narrower than it is
    assert text.band(84.0, 97.0) == "84–97%" and text.band(-0.2, 100.4) == "0–100%"
    assert text.chance_words(0.049) == "kurang dari 1 dari 20" and text.chance_words(0.05) == "sekitar 1 dari 10"
    assert text.chance_words(0.951) == "lebih dari 19 dari 20" and text.chance_words(0.95) == "sekitar 10 dari 10"
    assert text.chance_words(0.75) == "sekitar 8 dari 10" and text.chance_words(0.749) == "sekitar 7 dari 10"
    assert text.chance_words(None) == "–"
