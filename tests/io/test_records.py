"""Results written as JSON + CSV and read back exactly (mcp_lib.io.records)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from pathlib import Path
from typing import ClassVar

import numpy as np
import pandas as pd
import pytest
from conftest import FIXTURES, TINY

from mcp_lib.brief import steps
from mcp_lib.brief.request import BriefRequest
from mcp_lib.errors import InputError
from mcp_lib.io import records


def same(a: object, b: object, where: str = "") -> None:
    """Equal, exactly: same types, same dtypes per column, same cells (types included), bit-equal
    floats. Stricter than ``assert_frame_equal``."""
    if isinstance(a, pd.DataFrame):
        assert isinstance(b, pd.DataFrame), where
        assert list(a.columns) == list(b.columns), where
        assert a.index.equals(b.index) and list(a.index.names) == list(b.index.names), where
        assert a.attrs == b.attrs, where
        for c in a.columns:
            assert a[c].dtype == b[c].dtype, (where, c, a[c].dtype, b[c].dtype)
            for x, y in zip(a[c], b[c], strict=True):
                same(x, y, f"{where}[{c}]")
        return
    if dataclasses.is_dataclass(a) and not isinstance(a, type):
        assert type(a) is type(b), where
        for f in dataclasses.fields(a):
            same(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
        return
    if isinstance(a, (tuple, list)):
        assert type(a) is type(b) and len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            same(x, y, f"{where}.{i}")
        return
    if isinstance(a, dict):
        assert isinstance(b, dict) and list(a) == list(b), where
        for k in a:
            same(a[k], b[k], f"{where}.{k}")
        return
    if isinstance(a, (float, np.floating)) and math.isnan(a):
        assert type(a) is type(b) and math.isnan(b), where
        return
    if a is None or a is pd.NA or a is pd.NaT:
        assert b is a, (where, a, b)
        return
    assert type(a) is type(b) and a == b, (where, a, b)


CASES = {
    "2023 sample": {"pemda": "kota-lubuklinggau", "period": "2023-10"},
    "2025 sample": {"pemda": "kab-musi-rawas", "period": "2025-10"},
    "tiny kabupaten": {"pemda": "kab-contoh", "period": "2023-10", "data_dir": TINY},
    "four levels": {"pemda": "kota-empat", "period": "2025-10", "data_dir": FIXTURES / "four"},
}


TINY_REQUEST = BriefRequest("kota-contoh", "2023-10", data_dir=TINY)


def _capaian(req):
    """Step 1's results of ``req``, in memory."""
    return steps._compute_capaian(req, *steps._pemda_and_framework(req))


def _computed(req):
    """Steps 1 and 2's results of ``req``, in memory."""
    p, fw = steps._pemda_and_framework(req)
    cap = steps._compute_capaian(req, p, fw)
    return cap, steps._compute_simulasi(req, cap, p, fw)


@pytest.mark.parametrize("case", CASES)
def test_the_steps_results_read_back_exactly(case, tmp_path):
    """Every table, number, date and nested result of steps 1 and 2 comes back identical."""
    kw = CASES[case]
    cap, sim = _computed(BriefRequest(kw["pemda"], kw["period"], data_dir=kw.get("data_dir", "")))
    for name, obj in (("capaian", cap), ("simulasi", sim)):
        records.write_record(obj, tmp_path / name, name)
        same(obj, records.read_record(tmp_path / name, name), name)


def test_a_scenario_and_its_assumptions_read_back(tmp_path):
    scenario = tmp_path / "asumsi.csv"
    scenario.write_text("doc_code,asumsi\nA.1.1.D1,selesai\nA.1.2.D1,ditolak\n", encoding="utf-8")
    cap = _capaian(BriefRequest("kota-contoh", "2023-10", data_dir=TINY, assume_done=scenario))
    assert cap.assumed_done and cap.assumed_rejected
    records.write_record(cap, tmp_path / "c", "capaian")
    same(cap, records.read_record(tmp_path / "c", "capaian"))


@dataclasses.dataclass(frozen=True, eq=False)
class _Odd:
    table: pd.DataFrame
    when: dt.date
    stamp: pd.Timestamp
    where: Path
    floats: tuple[float, ...]
    by_year: dict[int, float]
    nothing: object = None


records.register(_Odd)


def test_awkward_tables_and_values_read_back(tmp_path):
    """Gaps of both kinds, empty texts, dates, datetimes, categories, nullable integers, tuples in
    cells, a named index and non-finite floats."""
    df = pd.DataFrame(
        {
            "text": ["a", "", "c"],
            "gaps": ["a", None, "c"],
            "nan_gaps": ["a", np.nan, "c"],
            "empty_and_gap": ["", None, "x"],
            "dates": [dt.date(2023, 10, 31), None, dt.date(2024, 1, 1)],
            "stamps": pd.to_datetime(["2023-10-31 00:00", "2023-11-30 12:00", None]),
            "cat": pd.Categorical(["Hijau", "Merah", "Hijau"], categories=["Merah", "Hijau"], ordered=True),
            "ints": pd.array([1, None, 3], dtype="Int64"),
            "flags": [True, False, True],
            "floats": [0.1 + 0.2, float("inf"), float("nan")],
            "tuples": [("Bapenda",), ("Bapenda", "BPKAD"), ()],
            "mixed": [1, "dua", 3.5],
        },
        index=pd.Index(["x", "y", "z"], name="kode"),
    )
    df.attrs["source"] = "uji"
    obj = _Odd(
        df,
        dt.date(2023, 10, 31),
        pd.Timestamp("2023-10-31 08:00"),
        Path("/data/x.csv"),
        (1.5, float("-inf")),
        {2022: 87.0, 2023: 65.25},
    )
    records.write_record(obj, tmp_path, "odd")
    same(obj, records.read_record(tmp_path, "odd"))
    json.loads((tmp_path / "odd.json").read_text(encoding="utf-8"))  # strict JSON: no NaN literals
    assert "NaN" not in (tmp_path / "odd.json").read_text(encoding="utf-8")


def test_the_tables_are_plain_csv_an_analyst_can_open(tmp_path):
    cap = _capaian(TINY_REQUEST)
    records.write_record(cap, tmp_path, "capaian")
    by_opd = pd.read_csv(tmp_path / "capaian.scores.by_opd.csv")
    assert "opd" in by_opd.columns and by_opd["verified"].between(0, 100).all()


def test_only_registered_results_are_written_or_read(tmp_path):
    @dataclasses.dataclass
    class Stranger:
        x: int

    with pytest.raises(TypeError, match="not a registered result class"):
        records.write_record(Stranger(1), tmp_path, "s")
    (tmp_path / "s.json").write_text(json.dumps({"format": 1, "record": {"$record": "Stranger", "fields": {}}}))
    with pytest.raises(InputError, match="jenis hasil tidak dikenal"):
        records.read_record(tmp_path, "s")


def test_a_damaged_folder_is_refused_in_words(tmp_path):
    cap = _capaian(TINY_REQUEST)
    records.write_record(cap, tmp_path, "capaian")
    table = tmp_path / "capaian.scores.by_opd.csv"
    lines = table.read_text(encoding="utf-8").splitlines()
    table.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")  # a row lost
    with pytest.raises(InputError, match="tidak sesuai") as err:
        records.read_record(tmp_path, "capaian")
    assert "capaian.json" in str(err.value)
    table.unlink()
    with pytest.raises(InputError, match="tidak ada"):
        records.read_record(tmp_path, "capaian")
    (tmp_path / "capaian.json").write_text('{"format": 99}', encoding="utf-8")
    with pytest.raises(InputError, match="format 99"):
        records.read_record(tmp_path, "capaian")
    with pytest.raises(InputError, match="berkas hasil tidak ada"):
        records.read_record(tmp_path, "simulasi")


def test_a_table_name_cannot_leave_its_folder(tmp_path):
    (tmp_path / "x.json").write_text(
        json.dumps({"format": 1, "record": {"$frame": "../evil.csv", "columns": [], "rows": 0}}),
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="tidak ada"):
        records.read_record(tmp_path, "x")


def test_a_retired_field_of_an_older_file_is_skipped_and_any_other_unknown_field_refused(tmp_path):
    """Last month's brief folder may hold step files of the version before (their ``Simulasi``
    had ``capaian`` and ``code``): the fields a class names as retired are skipped when read."""

    @dataclasses.dataclass(frozen=True)
    class Kept:
        value: float
        RETIRED_FIELDS: ClassVar[tuple[str, ...]] = ("old",)

    assert [f.name for f in dataclasses.fields(Kept)] == ["value"]
    records.register(Kept)
    path = records.write_record(Kept(1.5), tmp_path, "kept")
    body = json.loads(path.read_text(encoding="utf-8"))
    body["record"]["fields"]["old"] = "sha256 of a file"
    path.write_text(json.dumps(body), encoding="utf-8")
    assert records.read_record(tmp_path, "kept") == Kept(1.5)
    body["record"]["fields"]["other"] = 1
    path.write_text(json.dumps(body), encoding="utf-8")
    with pytest.raises(InputError):
        records.read_record(tmp_path, "kept")
