"""Fuzzing the input readers: random and mutated CSV/XLSX/TOML must give a valid model or an
:class:`InputError` whose every problem names the file (and, for a cell, the row and column).

Any other exception, an ``InputError`` problem without a file, a model that is not sane (a
non-finite number, a document missing) or a case taking too long is a failure. The examples are
derandomised (the same cases on every run, CI included); every input that once failed is kept
under ``tests/fixtures/fuzz/<target>/`` and replayed by :func:`test_corpus_case`.

When a fuzz case fails, its bytes are written to ``<tmp>/mcp-fuzz-found/<target>/`` (the path is
in the failure message): copy the file into the corpus with a telling name, then fix the reader
(see ``tests/fixtures/fuzz/README.md``). ``FUZZ_EXAMPLES=10`` multiplies the example counts and
``FUZZ_RANDOM=1`` draws new cases, for a longer hunt on a workstation.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import io
import math
import os
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest
from conftest import FIXTURES, TINY
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from mcp_lib.config import PEMDA_KINDS
from mcp_lib.errors import InputError, Problems
from mcp_lib.framework.folder import load_framework
from mcp_lib.io.rawfile import MAX_CELL_CHARS, ROW
from mcp_lib.io.readers import Column, Schema, read_table
from mcp_lib.pemda import tracker, tracker_import
from mcp_lib.pemda.kpk import import_kpk_export
from mcp_lib.pemda.settings import load_pemda
from mcp_lib.pemda.snapshot import load_snapshot
from mcp_lib.plan.scenario import read_assumptions
from mcp_lib.statuses import STATUSES

CORPUS = FIXTURES / "fuzz"
FW_DIR = TINY / "frameworks" / "mcp-2023"
SNAPSHOT = TINY / "pemda" / "kota-contoh" / "status" / "2023-10-31.csv"
KPK_EXPORT = FIXTURES / "kpk" / "export.csv"
DATE = dt.date(2023, 10, 31)
CASE_SECONDS = 10
"""A single case (one reader call) taking longer than this is a hang."""

_SCALE = float(os.environ.get("FUZZ_EXAMPLES", "1"))
FUZZ = settings(
    deadline=2000,  # ms per example
    derandomize=os.environ.get("FUZZ_RANDOM") != "1",
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


def examples(n: int) -> settings:
    return settings(FUZZ, max_examples=max(1, int(n * _SCALE)))


# --- the oracle -----------------------------------------------------------------------------------


class Hang(BaseException):
    """A reader call ran longer than :data:`CASE_SECONDS` (a BaseException: the readers' own
    ``except Exception`` must not turn it into a "cannot read" answer)."""


@contextlib.contextmanager
def bounded(seconds: float = CASE_SECONDS) -> Iterator[None]:
    def stop(*_):
        raise Hang(f"longer than {seconds} s")

    old = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def check_problems(problems) -> None:
    """Every problem names its file; a problem on a row names its column too."""
    assert problems, "InputError without problems"
    for p in problems:
        assert isinstance(p.file, str) and p.file.strip(), f"problem without a file: {p!r}"
        assert isinstance(p.message, str) and p.message.strip(), f"problem without a message: {p!r}"
        if p.row is not None:
            assert type(p.row) is int and p.row >= 1, f"row not an Excel row number: {p!r}"
            assert isinstance(p.column, str) and p.column.strip(), f"row without a column: {p!r}"
        if p.column is not None:
            assert isinstance(p.column, str) and p.column.strip(), f"empty column: {p!r}"
        str(p)  # renders


def finite(x: object) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def missing(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NaT


def run_case(target: str, data: bytes, name: str, call: Callable[[Path], None]) -> None:
    """Write ``data`` as ``name`` in a fresh folder, call the reader; InputError is an answer."""
    with tempfile.TemporaryDirectory(prefix="mcp-fuzz-") as tmp:
        try:
            with bounded():
                call(Path(tmp), name, data)
        except InputError as exc:
            check_problems(exc.problems)
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt):
                raise
            found = Path(tempfile.gettempdir()) / "mcp-fuzz-found" / target
            found.mkdir(parents=True, exist_ok=True)
            keep = found / f"{hashlib.sha1(data).hexdigest()[:12]}-{name}"
            keep.write_bytes(data)
            raise AssertionError(f"{target}: {type(exc).__name__}: {exc} (input kept as {keep})") from exc


# --- targets --------------------------------------------------------------------------------------

TABLE_SCHEMA = Schema(
    "fuzz",
    (
        Column("kode", "code"),
        Column("nama", "text", blank_ok=True),
        Column("status", "choice", choices=("belum", "perlu_perbaikan", "diverifikasi")),
        Column("nilai", "number", blank_ok=True, minimum=0, maximum=100),
        Column("bebas", "number", required=False, blank_ok=True),
        Column("tanggal", "date", required=False, blank_ok=True),
    ),
    max_rows=500,
)


def target_read_table(tmp: Path, name: str, data: bytes) -> None:
    path = tmp / name
    path.write_bytes(data)
    problems = Problems()
    frame = read_table(path, TABLE_SCHEMA, problems)
    if problems:
        check_problems(problems.items)
    if frame is None:
        assert problems, "read_table gave no table and no problem"
        return
    assert list(frame.columns) == [*TABLE_SCHEMA.names, ROW]
    for rec in frame.to_dict("records"):
        assert type(rec[ROW]) is int and rec[ROW] >= 2
        for col in ("nilai", "bebas"):
            assert missing(rec[col]) or finite(rec[col]), f"{col} = {rec[col]!r}"
        assert missing(rec["nilai"]) or 0 <= rec["nilai"] <= 100
        assert missing(rec["tanggal"]) or isinstance(rec["tanggal"], dt.date)
        assert rec["status"] is None or rec["status"] in TABLE_SCHEMA.columns[2].choices
        for col in ("kode", "nama"):
            v = rec[col]
            assert v is None or (isinstance(v, str) and 0 < len(v) <= MAX_CELL_CHARS)
        assert rec["kode"] is None or (rec["kode"] == rec["kode"].upper() and " " not in rec["kode"])


_FW = None
_PEMDA: dict = {}


def tiny_framework():
    global _FW
    if _FW is None:
        _FW = load_framework(2023, TINY)
    return _FW


def tiny_pemda(slug: str = "kota-contoh"):
    if slug not in _PEMDA:
        _PEMDA[slug] = load_pemda(slug, TINY)
    return _PEMDA[slug]


def check_snapshot(snap, fw) -> None:
    docs = snap.documents
    points = dict(zip(fw.documents["doc_code"], fw.documents["points"], strict=True))
    assert sorted(docs["doc_code"]) == sorted(points), "documents differ from the framework's"
    for rec in docs.to_dict("records"):
        vp = rec["verified_points"]
        assert finite(vp) and 0 <= vp <= points[rec["doc_code"]] + 1e-9, f"verified_points {vp!r}"
        assert rec["status"] in STATUSES
        assert missing(rec["effort_days"]) or (finite(rec["effort_days"]) and rec["effort_days"] >= 0)
        assert missing(rec["due_date"]) or isinstance(rec["due_date"], dt.date)
        assert isinstance(rec["opd"], str) and isinstance(rec["opds"], str)


def target_snapshot(tmp: Path, name: str, data: bytes) -> None:
    fw = tiny_framework()
    path = tmp / ("2023-10-31" + Path(name).suffix)
    path.write_bytes(data)
    check_snapshot(load_snapshot(path, fw, tiny_pemda()), fw)


def target_pemda(tmp: Path, name: str, data: bytes) -> None:
    folder = tmp / "pemda" / "kota-fuzz"
    folder.mkdir(parents=True)
    (folder / "pemda.toml").write_bytes(data)
    pemda = load_pemda(folder)
    assert isinstance(pemda.name, str) and pemda.name.strip()
    assert pemda.kind in PEMDA_KINDS
    assert type(pemda.framework_year) is int and 1 <= pemda.framework_year <= 9998
    assert finite(pemda.target) and 0 <= pemda.target <= 100
    assert isinstance(pemda.deadline, dt.date) and not isinstance(pemda.deadline, dt.datetime)
    assert isinstance(pemda.province, str) and isinstance(pemda.note, str)
    for year, score in pemda.final_scores.items():
        assert type(year) is int and finite(score) and 0 <= score <= 100
    for opd in pemda.opds:
        assert isinstance(opd.name, str) and opd.name.strip()
        assert opd.capacity_days is None or (finite(opd.capacity_days) and opd.capacity_days >= 0)
        assert all(isinstance(a, str) and a for a in opd.aka)


def target_framework(tmp: Path, name: str, data: bytes) -> None:
    """``name`` is ``<table>.<csv|xlsx>`` or ``<case>.<table>.<csv|xlsx>``: that table replaced."""
    table, suffix = name.split(".")[-2:]
    folder = tmp / "mcp-2023"
    shutil.copytree(FW_DIR, folder)
    (folder / f"{table}.csv").unlink()
    (folder / f"{table}.{suffix}").write_bytes(data)
    fw = load_framework(folder)
    subs, docs = fw.subindicators, fw.documents
    for col in ("area_weight", "indicator_weight", "subindicator_weight"):
        assert all(finite(w) and 0 <= w <= 100 for w in subs[col]), col
    assert subs["subindicator_code"].is_unique and docs["doc_code"].is_unique
    assert all(finite(p) and 0 <= p <= 100 for p in docs["points"])
    assert all(finite(w) for w in docs["point_weight"])
    assert docs["area_code"].notna().all()  # every document's sub-indicator is in framework.csv
    lowers = [b.lower for b in fw.bands.items]
    assert lowers and lowers[0] == 0 and lowers == sorted(lowers) and all(map(finite, lowers))


def target_assumptions(tmp: Path, name: str, data: bytes) -> None:
    path = tmp / name
    path.write_bytes(data)
    known = set(tiny_framework().documents["doc_code"])
    done, rejected = read_assumptions(path, known)
    assert set(done) <= known and set(rejected) <= known
    assert not set(done) & set(rejected)
    assert len(done) == len(set(done)) and len(rejected) == len(set(rejected))


def target_kpk(tmp: Path, name: str, data: bytes) -> None:
    path = tmp / name
    path.write_bytes(data)
    imp = import_kpk_export(path, year=2021)
    subs = imp.framework.subindicators
    for col in ("area_weight", "indicator_weight", "subindicator_weight"):
        assert all(finite(w) and 0 <= w <= 100 for w in subs[col]), col
    assert subs["subindicator_code"].is_unique
    assert imp.kind in PEMDA_KINDS and isinstance(imp.instansi, str) and imp.instansi
    docs = imp.snapshot.documents
    assert all(finite(v) and 0 <= v <= 100 for v in docs["verified_points"])
    assert set(docs["status"]) <= set(STATUSES)
    assert isinstance(imp.snapshot.date, dt.date)


def target_tracker(tmp: Path, name: str, data: bytes) -> None:
    path = tmp / name
    path.write_bytes(data)
    fw, pemda = tiny_framework(), tiny_pemda()
    snap, table = tracker_import.read_tracker(path, pemda, fw, DATE)
    check_snapshot(snap, fw)
    assert list(table.columns) == list(tracker.SNAPSHOT_SCHEMA.names)


TARGETS: dict[str, Callable[[Path, str, bytes], None]] = {
    "read_table": target_read_table,
    "snapshot": target_snapshot,
    "pemda": target_pemda,
    "framework": target_framework,
    "assumptions": target_assumptions,
    "kpk": target_kpk,
    "tracker": target_tracker,
}


# --- hostile values and mutations -----------------------------------------------------------------

HOSTILE_TEXT = [
    "",
    " ",
    "\xa0",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "Infinity",
    "1e999",
    "-1e999",
    "1e-999",
    "1e308",
    "9" * 400,
    "1" * 5000 + "x",
    "1" * 9999 + "x",
    "0" * 9000 + ".5",
    "x" * 10_001,
    "x" * 20_000,
    "=cmd|' /C calc'!A0",
    "=1+1",
    "+1",
    "-1",
    "@SUM(A1)",
    "'=1+1",
    "'",
    '"',
    '""',
    ";",
    ",",
    "\t",
    "\r\n",
    "\n",
    "\x00",
    "\ufeff",
    "\u200b",
    "\u200f",
    "\u202eRTL\u202c",
    "\u200bA.1.1.D1",
    "A.1.1.D1\u200b",
    "A.1.1.D1\u202e",
    "\u0627\u0644\u0639\u0631\u0628\u064a\u0629",
    "٣٤",
    "١٢٫٥",
    "²",
    "１２",
    "Ⅻ",
    "-0",
    "0x10",
    "1_000",
    "%",
    "-",
    ".",
    "e5",
    "1e5",
    "87,5%",
    "1.234,5",
    "1,234.5",
    "1.2.3",
    "31/02/2023",
    "2023-13-01",
    "0000-00-00",
    "99999-01-01",
    "31 Okt 2023",
    "2023-10-31T25:61",
    "NaT",
    "None",
    "null",
    "TRUE",
    "#N/A",
    "#DIV/0!",
    "diverifikasi",
    "DIVERIFIKASI",
    "tidak berlaku",
    "perlu-perbaikan",
    "A.1.1.D1",
    "a.1.1.d1",
    "C.1.1.D1",
    "A.1.1",
    "Bappeda",
    "BPKAD; Inspektorat",
    "bapenda",
    "Kota",
    "Kab. Lain",
    "100",
    "60",
    "0",
    "101",
    "-5",
    "2023-11-15",
    "15/11/2023",
]
HOSTILE_NATIVE: list[object] = [
    None,
    0,
    -1,
    10**15,
    2**63,
    10**30,
    10**400,
    1.5,
    -0.0,
    1e308,
    -1e308,
    float("inf"),
    float("-inf"),
    float("nan"),
    5e-324,
    True,
    False,
    dt.datetime(2023, 10, 31),
    dt.datetime(1900, 1, 1),
    dt.datetime(9999, 12, 31),
    dt.date(2023, 11, 15),
    dt.time(12, 30),
    dt.timedelta(days=3),
    "=1/0",
    "=A1",
    "=SUM(A1:Z99)",
    '=HYPERLINK("http://x","y")',
]

text_value = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.text(max_size=24),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=8).map(lambda s: s * 300),
)
native_value = st.one_of(
    st.sampled_from(HOSTILE_NATIVE),
    st.floats(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 1, 1)),
)
index = st.integers(min_value=0, max_value=10**6)


def mutations(value: st.SearchStrategy) -> st.SearchStrategy:
    """A list of table edits: cells set, moved, dropped, duplicated; rows and columns too."""
    op = st.one_of(
        st.tuples(st.just("set"), index, index, value),
        st.tuples(st.just("set"), index, index, value),  # twice as likely
        st.tuples(st.just("header"), index, value),
        st.tuples(st.just("del_cell"), index, index),
        st.tuples(st.just("dup_cell"), index, index),
        st.tuples(st.just("del_row"), index),
        st.tuples(st.just("dup_row"), index),
        st.tuples(st.just("del_col"), index),
        st.tuples(st.just("dup_col"), index),
        st.tuples(st.just("fill_col"), index, value),
        st.tuples(st.just("fill_all"), value),
        st.tuples(st.just("blank_all")),
        st.tuples(st.just("add_row"), st.lists(value, max_size=14)),
    )
    return st.lists(op, max_size=6)


def apply(rows: list[list[object]], ops) -> list[list[object]]:
    rows = [list(r) for r in rows]
    for op in ops:
        kind, args = op[0], op[1:]
        if not rows:
            rows = [[]]
        if kind == "set":
            r = rows[args[0] % len(rows)]
            if r:
                r[args[1] % len(r)] = args[2]
            else:
                r.append(args[2])
        elif kind == "header":
            if rows[0]:
                rows[0][args[0] % len(rows[0])] = args[1]
        elif kind in ("del_cell", "dup_cell"):
            r = rows[args[0] % len(rows)]
            if r:
                i = args[1] % len(r)
                r.insert(i, r[i]) if kind == "dup_cell" else r.pop(i)
        elif kind == "del_row":
            rows.pop(args[0] % len(rows))
        elif kind == "dup_row":
            i = args[0] % len(rows)
            rows.insert(i, list(rows[i]))
        elif kind in ("del_col", "dup_col"):
            width = max(len(r) for r in rows) or 1
            c = args[0] % width
            for r in rows:
                if c < len(r):
                    r.insert(c, r[c]) if kind == "dup_col" else r.pop(c)
        elif kind == "fill_col":
            for r in rows[1:]:
                if r:
                    r[args[0] % len(r)] = args[1]
        elif kind == "fill_all":
            rows = [rows[0]] + [[args[0]] * len(r) for r in rows[1:]]
        elif kind == "blank_all":
            rows = [rows[0]] + [[""] * len(r) for r in rows[1:]]
        elif kind == "add_row":
            rows.append(list(args[0]))
    return rows


ENCODINGS = ["utf-8", "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252", "latin-1"]


def to_csv(rows, delimiter: str, encoding: str, quote_all: bool) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    for r in rows:
        writer.writerow(["" if v is None else str(v) for v in r])
    return out.getvalue().encode(encoding, errors="replace")


def writable(v: object) -> object:
    """``v`` as openpyxl can store it: no control characters, no integer beyond a float
    (hand-made corpus files carry those, in the sheet's XML)."""
    if isinstance(v, str):
        return ILLEGAL_CHARACTERS_RE.sub("", v)[:32_000]
    if isinstance(v, int) and not isinstance(v, bool) and abs(v) > 10**300:
        return str(v)
    return v


def to_xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    for r, values in enumerate(rows, start=1):
        for c, v in enumerate(values, start=1):
            v = writable(v)
            try:
                ws.cell(row=r, column=c, value=v)
            except (ValueError, TypeError):
                ws.cell(row=r, column=c, value=str(v))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


byte_op = st.one_of(
    st.tuples(st.just("truncate"), st.floats(0, 1)),
    st.tuples(st.just("flip"), index, st.integers(0, 255)),
    st.tuples(st.just("insert"), index, st.binary(min_size=1, max_size=16)),
    st.tuples(st.just("delete"), index, st.integers(1, 64)),
)


def mangle(data: bytes, ops) -> bytes:
    buf = bytearray(data)
    for op in ops:
        if op[0] == "truncate":
            del buf[int(len(buf) * op[1]) :]
        elif not buf:
            continue
        elif op[0] == "flip":
            buf[op[1] % len(buf)] = op[2]
        elif op[0] == "insert":
            i = op[1] % len(buf)
            buf[i:i] = op[2]
        elif op[0] == "delete":
            i = op[1] % len(buf)
            del buf[i : i + op[2]]
    return bytes(buf)


@st.composite
def table_file(draw, base: list[list[object]], csv_weight: int = 3) -> tuple[bytes, str]:
    """``(bytes, suffix)``: ``base`` mutated, written as CSV or XLSX, maybe mangled; or random bytes."""
    kind = draw(st.sampled_from(["csv"] * csv_weight + ["xlsx", "random"]))
    if kind == "random":
        suffix = draw(st.sampled_from([".csv", ".xlsx"]))
        return draw(st.binary(max_size=2048)), suffix
    if kind == "csv":
        rows = apply(base, draw(mutations(text_value)))
        data = to_csv(
            rows,
            draw(st.sampled_from([",", ";", "\t"])),
            draw(st.sampled_from(ENCODINGS)),
            draw(st.booleans()),
        )
        suffix = ".csv"
    else:
        rows = apply(base, draw(mutations(st.one_of(text_value, native_value))))
        data = to_xlsx(rows)
        suffix = ".xlsx"
    if draw(st.integers(0, 4)) == 0:
        data = mangle(data, draw(st.lists(byte_op, min_size=1, max_size=3)))
    return data, suffix


def csv_rows(path: Path) -> list[list[object]]:
    with path.open(encoding="utf-8", newline="") as f:
        return [list(r) for r in csv.reader(f)]


TABLE_BASE = [
    ["kode", "nama", "status", "nilai", "bebas", "tanggal"],
    ["A.1", "Satu", "belum", "87,5", "1.234,5", "31/10/2023"],
    ["A.2", "Dua", "diverifikasi", "100", "-3", "2023-10-31"],
    ["B.1", "", "Perlu Perbaikan", "0", "", ""],
]


# --- the fuzz tests -------------------------------------------------------------------------------


@pytest.mark.slow
@examples(300)
@given(table_file(TABLE_BASE))
def test_fuzz_read_table(case):
    data, suffix = case
    run_case("read_table", data, "tabel" + suffix, target_read_table)


@pytest.mark.slow
@examples(250)
@given(table_file(csv_rows(SNAPSHOT)))
def test_fuzz_load_snapshot(case):
    data, suffix = case
    run_case("snapshot", data, "status" + suffix, target_snapshot)


@pytest.mark.slow
@examples(120)
@given(
    st.sampled_from(["framework", "evidence", "bands"]),
    st.data(),
)
def test_fuzz_load_framework(table, data):
    rows = csv_rows(FW_DIR / f"{table}.csv")
    numeric = st.sampled_from(
        ["NaN", "inf", "-inf", "1e999", "-1", "-0", "101", "1e308", "x", "", "50", "100", "0", "33,3"]
    )
    content, suffix = data.draw(table_file(rows))
    if data.draw(st.booleans()):  # weights and codes specifically
        rows = apply(rows, data.draw(st.lists(st.tuples(st.just("set"), index, index, numeric), max_size=4)))
        content, suffix = to_csv(rows, ",", "utf-8", False), ".csv"
    run_case("framework", content, f"{table}{suffix}", target_framework)


TOML_BASE = (TINY / "pemda" / "kab-contoh" / "pemda.toml").read_text(encoding="utf-8")


def toml_value(v: object) -> str:
    """``v`` as TOML (a tiny writer: strings, numbers incl. nan/inf, dates, arrays, inline tables)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf") if math.isinf(v) else repr(v)
    if isinstance(v, int | dt.date | dt.time):
        return v.isoformat() if not isinstance(v, int) else str(v)
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f'"{k}" = {toml_value(x)}' for k, x in v.items()) + "}"
    return '"' + "".join(c if c.isprintable() and c not in '"\\' else f"\\u{ord(c):04x}" for c in str(v)) + '"'


scalar = st.one_of(
    st.sampled_from([*HOSTILE_TEXT[:40], "kota", "kabupaten", "provinsi", "Kota X", "", " "]),
    st.text(max_size=12),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.sampled_from([0, -1, 2023, 10**6, 2**63 - 1, -(2**63), 101, 100, 9999, 10000]),
    st.floats(),
    st.sampled_from([float("nan"), float("inf"), -float("inf"), 1e308, -0.0, 90.5]),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
)
toml_any = st.recursive(
    scalar,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["name", "capacity_days", "aka", "2022", "x"]), inner, max_size=3)
    ),
    max_leaves=6,
)
KEYS = ["name", "kind", "province", "framework", "target", "deadline", "note"]


@st.composite
def pemda_toml(draw) -> bytes:
    kind = draw(st.sampled_from(["fields", "fields", "fields", "text", "random"]))
    if kind == "random":
        return draw(st.binary(max_size=512))
    if kind == "text":
        return mangle(TOML_BASE.encode(), draw(st.lists(byte_op, min_size=1, max_size=4)))
    meta: dict[str, object] = {
        "name": "Kab Fuzz",
        "kind": "kabupaten",
        "province": "P",
        "framework": 2023,
        "target": 90,
        "deadline": dt.date(2023, 12, 31),
    }
    for key in draw(st.lists(st.sampled_from(KEYS), max_size=3)):
        if draw(st.booleans()):
            meta[key] = draw(toml_any)
        else:
            meta.pop(key, None)
    lines = [f"{k} = {toml_value(v)}" for k, v in meta.items()]
    finals = draw(
        st.dictionaries(
            st.sampled_from(["2022", "2021", "x", "²", "٢٠٢٢", "-1", "99999"]),
            toml_any | st.floats(),
            max_size=2,
        )
    )
    if finals:
        lines.append("[final_scores]")
        lines += [f'"{k}" = {toml_value(v)}' for k, v in finals.items()]
    opd_kind = draw(st.sampled_from(["tables", "tables", "value", "none"]))
    if opd_kind == "value":
        lines.insert(0, f"opd = {toml_value(draw(toml_any))}")
    elif opd_kind == "tables":
        for _ in range(draw(st.integers(0, 3))):
            opd = draw(
                st.fixed_dictionaries(
                    {"name": st.sampled_from(["Bappeda", "", " ", "\u200b"]) | toml_any},
                    optional={"capacity_days": toml_any | st.floats(), "aka": toml_any},
                )
            )
            lines.append("[[opd]]")
            lines += [f"{k} = {toml_value(v)}" for k, v in opd.items()]
    text = "\n".join(lines) + "\n"
    return text.encode(draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16"])), errors="replace")


@pytest.mark.slow
@examples(400)
@given(pemda_toml())
def test_fuzz_load_pemda(data):
    run_case("pemda", data, "pemda.toml", target_pemda)


ASSUMPTIONS_BASE = [["doc_code", "asumsi"], ["A.1.1.D2", "selesai"], ["B.1.1.D1", "ditolak"]]


@pytest.mark.slow
@examples(150)
@given(table_file(ASSUMPTIONS_BASE))
def test_fuzz_read_assumptions(case):
    data, suffix = case
    run_case("assumptions", data, "asumsi" + suffix, target_assumptions)


@pytest.mark.slow
@examples(200)
@given(table_file(csv_rows(KPK_EXPORT)))
def test_fuzz_import_kpk_export(case):
    data, suffix = case
    run_case("kpk", data, "export" + suffix, target_kpk)


_TRACKER: bytes | None = None


def tracker_template() -> bytes:
    """A valid tracker of kota-contoh filled from its October snapshot."""
    global _TRACKER
    if _TRACKER is None:
        fw, pemda = tiny_framework(), tiny_pemda()
        problems = Problems()
        values = read_table(SNAPSHOT, tracker.SNAPSHOT_SCHEMA, problems)
        with tempfile.TemporaryDirectory() as tmp:
            path = tracker.write_tracker(pemda, fw, Path(tmp) / "tracker.xlsx", values)
            _TRACKER = path.read_bytes()
    return _TRACKER


tracker_value = st.one_of(
    st.sampled_from(HOSTILE_NATIVE),
    st.sampled_from(HOSTILE_TEXT),
    st.text(max_size=16),
    st.floats(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from(["31/10/2023", "2023-10-31", "31 Oktober 2023", "kemarin", "=TODAY()", "=1e999"]),
)


@pytest.mark.slow
@examples(60)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Status", "Status", "Status", "Daftar"]),
            st.integers(1, 12),
            st.integers(1, 15),
            tracker_value,
        ),
        min_size=1,
        max_size=6,
    ),
    st.one_of(st.just([]), st.just([]), st.just([]), st.lists(byte_op, min_size=1, max_size=2)),
)
def test_fuzz_read_tracker(edits, byte_ops):
    wb = load_workbook(io.BytesIO(tracker_template()))
    for sheet, row, col, value in edits:
        value = writable(value)
        try:
            wb[sheet].cell(row=row, column=col, value=value)
        except (ValueError, TypeError):
            wb[sheet].cell(row=row, column=col, value=str(value))
    out = io.BytesIO()
    wb.save(out)
    data = mangle(out.getvalue(), byte_ops)
    run_case("tracker", data, "tracker.xlsx", target_tracker)


# --- the corpus -----------------------------------------------------------------------------------


def corpus_cases() -> list:
    cases = []
    for folder in sorted(p for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.is_dir() else []:
        assert folder.name in TARGETS, f"corpus folder {folder.name} is no target: {sorted(TARGETS)}"
        for path in sorted(folder.iterdir()):
            if path.is_file() and not path.name.startswith("."):
                cases.append(pytest.param(folder.name, path, id=f"{folder.name}/{path.name}"))
    return cases


@pytest.mark.parametrize(("target", "path"), corpus_cases())
def test_corpus_case(target, path):
    """Every input that once made a reader fail, replayed with the same oracle."""
    run_case(target, path.read_bytes(), path.name, TARGETS[target])


def test_xlsx_size_stated_in_the_file_is_not_trusted():
    """An .xlsx whose <dimension> says fewer rows than it has is read in full (the oracle cannot
    see rows silently dropped); one claiming 16.384 columns × 10.001 rows reads in a moment."""
    problems = Problems()
    frame = read_table(CORPUS / "read_table" / "wrong-dimension.xlsx", TABLE_SCHEMA, problems)
    assert frame is not None and len(frame) == 3 and not problems
    fw = tiny_framework()
    snap = load_snapshot(CORPUS / "snapshot" / "dimension-too-small.xlsx", fw, tiny_pemda(), DATE)
    assert snap.documents.loc[snap.documents["doc_code"] == "B.1.2.D2", "status"].item() == "disiapkan"
    with bounded(5), pytest.raises(InputError):
        load_snapshot(CORPUS / "snapshot" / "dimension-xfd-rows.xlsx", fw, tiny_pemda(), DATE)


def test_invisible_characters_and_utf16_without_bom_read_as_meant():
    """Zero-width and direction marks pasted with a code are dropped; UTF-16 without its BOM is
    decoded as UTF-16 (not as UTF-8 with a NUL between every letter)."""
    fw = tiny_framework()
    snap = load_snapshot(CORPUS / "snapshot" / "zero-width-codes.csv", fw, tiny_pemda(), DATE)
    docs = snap.documents.set_index("doc_code")
    assert docs.loc["A.1.1.D1", "status"] == "diverifikasi" and docs.loc["A.1.2.D1", "opd"] == "BPKAD"
    problems = Problems()
    frame = read_table(CORPUS / "read_table" / "utf16-no-bom.csv", TABLE_SCHEMA, problems)
    assert not problems and frame["kode"].tolist() == ["A.1", "A.2", "B.1"]


def test_corpus_is_not_empty():
    assert len(corpus_cases()) >= 20
