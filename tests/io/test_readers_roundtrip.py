"""Property: whatever numbers and text an analyst keeps, Indonesian CSV and XLSX read back the same."""

import datetime as dt

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcp_lib.errors import Problems
from mcp_lib.io.readers import Column, Schema, read_table

SCHEMA = Schema("t", (Column("name", "text"), Column("value", "number", blank_ok=True), Column("day", "date")))
texts = st.text(alphabet=st.sampled_from("abcdeABCDE ÀéĀ-–/'\";,."), min_size=1, max_size=12).filter(
    lambda s: s.strip()
)
rows = st.lists(
    st.tuples(
        texts,
        st.one_of(st.none(), st.decimals(0, 1000, places=2)),
        st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31)),
    ),
    min_size=1,
    max_size=8,
)


def _text(name: str) -> str:
    """As the readers give text back: spaces collapsed, and an apostrophe that only guards a
    formula-starting character (``'-x``, as csv_safe writes it) dropped."""
    text = " ".join(name.split())
    return text[1:] if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@") else text


def _expected(data):
    return [(_text(n), None if v is None else float(v), d) for n, v, d in data]


def _actual(path):
    problems = Problems()
    frame = read_table(path, SCHEMA, problems)
    assert not problems, list(problems.items)
    return [
        (n, None if pd.isna(v) else v, d) for n, v, d in zip(frame["name"], frame["value"], frame["day"], strict=True)
    ]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=rows, encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
def test_indonesian_csv_round_trip(tmp_path, data, encoding):
    path = tmp_path / "t.csv"
    lines = ["Name;Value;Day"]
    for name, value, day in data:
        number = "" if value is None else f"{value:.2f}".replace(".", ",")
        lines.append(f'"{name.replace(chr(34), chr(34) * 2)}";{number};{day:%d/%m/%Y}')
    try:
        path.write_bytes("\r\n".join(lines).encode(encoding))
    except UnicodeEncodeError:
        return  # cp1252 cannot hold every character; Excel would not have written it either
    assert _actual(path) == _expected(data)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=rows)
def test_xlsx_round_trip(tmp_path, data):
    frame = pd.DataFrame(
        {
            "name": [n for n, _, _ in data],
            "value": [None if v is None else float(v) for _, v, _ in data],
            "day": [pd.Timestamp(d) for _, _, d in data],
        }
    )
    frame.to_excel(tmp_path / "t.xlsx", index=False)
    assert _actual(tmp_path / "t.xlsx") == _expected(data)
