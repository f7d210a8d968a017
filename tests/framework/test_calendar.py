"""The calendar of an MCP year: published and default dates, framework and pemda overrides."""

import datetime as dt

import pytest

from mcp_lib.errors import InputError
from mcp_lib.framework.calendar import default_calendar, months_between, resolve_calendar
from mcp_lib.pemda.model import pemda_calendar
from mcp_lib.pemda.settings import load_pemda


def test_a_pemda_can_override_the_risk_and_the_calendar(tiny_copy, tiny_fw):
    toml = tiny_copy / "pemda" / "kota-contoh" / "pemda.toml"
    text = toml.read_text(encoding="utf-8").replace(
        "[final_scores]",
        "upload_close = 2023-12-15\nfinal_date = 2024-02-01\n\n[risiko]\nqa_risk = 0\n\n[final_scores]",
    )
    toml.write_text(text, encoding="utf-8")
    pemda = load_pemda("kota-contoh", tiny_copy)
    assert pemda.risk.qa_risk == 0
    cal = pemda_calendar(pemda, tiny_fw)
    assert (cal.close, cal.final, cal.source) == (dt.date(2023, 12, 15), dt.date(2024, 2, 1), "pemda.toml")
    bad = text.replace("final_date = 2024-02-01", "final_date = 2023-12-01")
    toml.write_text(bad, encoding="utf-8")
    with pytest.raises(InputError, match="tanggal final sebelum batas unggah"):
        load_pemda("kota-contoh", tiny_copy)


def test_calendar_by_year():
    assert default_calendar(2023).close == dt.date(2023, 11, 30)
    assert default_calendar(2024).close == dt.date(2025, 1, 5)  # the published input window
    assert (default_calendar(2025).close, default_calendar(2025).final) == (
        dt.date(2025, 11, 30),
        dt.date(2025, 12, 17),
    )
    assert default_calendar(2019).close == dt.date(2019, 12, 31)
    assert default_calendar(2027).close == dt.date(2027, 11, 30)
    fw = resolve_calendar(2023, (dt.date(2023, 12, 10), None))
    assert (fw.close, fw.source) == (dt.date(2023, 12, 10), "framework.toml")
    both = resolve_calendar(2023, (dt.date(2023, 12, 10), None), (dt.date(2023, 12, 20), None))
    assert both.close == dt.date(2023, 12, 20)


def test_bundled_frameworks_carry_their_calendar():
    from mcp_lib.framework.folder import load_framework

    assert load_framework(2023).upload_close == dt.date(2023, 11, 30)
    assert load_framework(2024).upload_close == dt.date(2025, 1, 5)


def test_months_are_mean_months():
    # a month is 30.4375 days (365.25 / 12): 2023 (365 days) is just under 12, October just over 1
    assert months_between(dt.date(2023, 1, 1), dt.date(2024, 1, 1)) == pytest.approx(365 / 30.4375)
    assert months_between(dt.date(2023, 10, 1), dt.date(2023, 11, 1)) == pytest.approx(31 / 30.4375)
    assert months_between(dt.date(2023, 11, 1), dt.date(2023, 10, 1)) == pytest.approx(-31 / 30.4375)
