"""Results as open files: a result (a dataclass of tables, numbers and other results) written as
one JSON file plus one CSV file per table, and read back exactly.

This is how the notebooks hand their results to each other (``01_capaian`` → ``02_simulasi`` →
``03_brief``): files an analyst can open (the tables in Excel or LibreOffice, the JSON in any
editor), not a pickle. Reading back gives an equal object: every float exactly (CSV keeps
Python's shortest round-trip form), every column's type (kept in the JSON beside the table).
Only the result classes registered with :func:`register` are rebuilt, so reading a folder runs
no code from it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from mcp_lib.errors import InputError

__all__ = ["read_record", "register", "registered", "write_record"]

FORMAT = 1
"""Version of the layout; a folder of another version is refused, not misread."""

_CLASSES: dict[str, type] = {}


def register(*classes: type) -> None:
    """Allow these dataclasses in a record (by class name, which must be unique). A class may name
    the fields older files have and it no longer takes in a ``RETIRED_FIELDS`` class attribute:
    they are skipped when such a file is read."""
    for cls in classes:
        if not dataclasses.is_dataclass(cls):
            raise TypeError(f"{cls!r} is not a dataclass")
        known = _CLASSES.get(cls.__name__)
        if known is not None and known is not cls:
            raise TypeError(f"two result classes named {cls.__name__}")
        _CLASSES[cls.__name__] = cls


def registered() -> dict[str, type]:
    """The result classes a record may hold, by name."""
    return dict(_CLASSES)


# --- writing ------------------------------------------------------------------------------------


def _file_part(key: object) -> str:
    """A piece of a table's file name: letters, digits, ``-`` and ``_`` only."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", str(key)).strip("-") or "x"


class _Writer:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.tables: dict[str, bytes] = {}

    def value(self, v: Any, where: str) -> Any:
        if v is None or isinstance(v, (bool, str)):
            return v
        if isinstance(v, (int, np.integer)) and not isinstance(v, np.bool_):
            return int(v)
        if isinstance(v, np.bool_):
            return bool(v)
        if isinstance(v, (float, np.floating)):
            f = float(v)
            return f if math.isfinite(f) else {"$float": repr(f)}
        if isinstance(v, pd.Timestamp):
            return {"$timestamp": v.isoformat()}
        if isinstance(v, dt.datetime):
            return {"$datetime": v.isoformat()}
        if isinstance(v, dt.date):
            return {"$date": v.isoformat()}
        if isinstance(v, Path):
            return {"$path": str(v)}
        if isinstance(v, tuple):
            return {"$tuple": [self.value(x, f"{where}.{i}") for i, x in enumerate(v)]}
        if isinstance(v, list):
            return [self.value(x, f"{where}.{i}") for i, x in enumerate(v)]
        if isinstance(v, dict):
            return {"$dict": [[self.value(k, where), self.value(x, f"{where}.{_file_part(k)}")] for k, x in v.items()]}
        if isinstance(v, pd.DataFrame):
            return self.frame(v, where)
        if dataclasses.is_dataclass(v) and not isinstance(v, type):
            name = type(v).__name__
            if _CLASSES.get(name) is not type(v):
                raise TypeError(f"{where}: {name} is not a registered result class")
            fields = {
                f.name: self.value(getattr(v, f.name), f"{where}.{f.name}") for f in dataclasses.fields(v) if f.init
            }
            return {"$record": name, "fields": fields}
        raise TypeError(f"{where}: cannot write a {type(v).__name__} into a record")

    def frame(self, df: pd.DataFrame, where: str) -> dict[str, Any]:
        if not all(isinstance(c, str) for c in df.columns):
            raise TypeError(f"{where}: table columns must be text")
        if df.columns.duplicated().any():
            raise TypeError(f"{where}: duplicated column names")
        index: list[str] = []
        if not (isinstance(df.index, pd.RangeIndex) and df.index.start == 0 and df.index.step == 1):
            names = [str(n) if n is not None else f"__index_{i}" for i, n in enumerate(df.index.names)]
            if any(n in df.columns for n in names):
                raise TypeError(f"{where}: an index name is also a column name")
            df = df.rename_axis(names).reset_index()
            index = names
        cells_of: dict[str, pd.Series] = {}
        columns = []
        for name in df.columns:
            kind, cells, extra = _column(df[name], f"{where}[{name}]", self)
            cells_of[name] = cells
            columns.append({"name": name, "kind": kind, **extra})
        out = pd.DataFrame(cells_of, index=df.index)  # one frame of typed columns: no re-inference
        buf = io.StringIO()
        out.to_csv(buf, index=False, lineterminator="\n")
        file = f"{where}.csv"
        self.tables[file] = buf.getvalue().encode("utf-8")
        meta: dict[str, Any] = {"$frame": file, "columns": columns, "rows": len(df)}
        if index:
            meta["index"] = index
        if df.attrs:
            meta["attrs"] = self.value(dict(df.attrs), f"{where}.attrs")
        return meta


def _null_kind(s: pd.Series) -> str | None:
    """How a column's gaps are written: ``"none"``, ``"nan"``, ``"mixed"``, or ``None`` without gaps."""
    gaps = s[s.isna()]
    if gaps.empty:
        return None
    kinds = {("none" if v is None else "nan") for v in gaps}
    return kinds.pop() if len(kinds) == 1 else "mixed"


def _column(s: pd.Series, where: str, w: _Writer) -> tuple[str, pd.Series, dict[str, Any]]:
    """How a column is written: its kind (for reading it back), its CSV cells, extra schema."""
    dtype = s.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        cats = list(dtype.categories)
        return (
            "category",
            s.astype(object),
            {"categories": w.value(cats, where), "ordered": bool(dtype.ordered)},
        )
    if dtype.kind == "O":
        # object columns, and text columns (pandas 3's ``str``), whose type is restored after
        keep = {} if dtype == np.dtype(object) else {"dtype": str(dtype)}
        values = s.dropna()
        nulls = _null_kind(s)
        if nulls != "mixed":
            if isinstance(dtype, pd.StringDtype) or values.map(lambda x: type(x) is str).all():
                # An empty text and a gap are both an empty CSV field: text with both goes as JSON.
                if nulls is None or not (values == "").any():
                    return "text", s, {"nulls": nulls, **keep}
            elif values.map(lambda x: type(x) is dt.date).all():
                cells = s.map(lambda x: x.isoformat() if isinstance(x, dt.date) else x)
                return "date", cells, {"nulls": nulls, **keep}
        cells = s.astype(object).map(lambda x: json.dumps(w.value(x, where), allow_nan=False, ensure_ascii=False))
        return "json", cells, keep
    if dtype.kind == "M":
        return "datetime", s, {"dtype": str(dtype)}
    if dtype.kind in "biuf" or str(dtype) in ("Int64", "Float64", "boolean", "string"):
        return "plain", s, {"dtype": str(dtype)}
    raise TypeError(f"{where}: cannot write a column of type {dtype} into a record")


def write_record(obj: object, folder: str | Path, name: str) -> Path:
    """Write ``obj`` (a registered result) as ``<folder>/<name>.json`` plus its tables,
    ``<folder>/<name>.<field>….csv``; returns the JSON file. The JSON is written last, so a
    folder with the JSON has all its tables."""
    folder = Path(folder)
    w = _Writer(folder)
    body = {"format": FORMAT, "record": w.value(obj, _file_part(name))}
    folder.mkdir(parents=True, exist_ok=True)
    for file, data in w.tables.items():
        (folder / file).write_bytes(data)
    path = folder / f"{_file_part(name)}.json"
    path.write_text(json.dumps(body, indent=1, ensure_ascii=False, allow_nan=False) + "\n", encoding="utf-8")
    return path


# --- reading ------------------------------------------------------------------------------------

_EXACT = {} if int(pd.__version__.split(".")[0]) >= 3 else {"float_precision": "round_trip"}
"""pandas 3 reads floats exactly by default (and deprecates the option); pandas 2 needs it."""


class _Reader:
    def __init__(self, folder: Path, source: Path) -> None:
        self.folder = folder
        self.source = source

    def bad(self, what: str) -> InputError:
        return InputError.one(
            str(self.source),
            f"berkas hasil tidak dapat dibaca: {what}",
            expected="buat ulang dengan menjalankan lagi",
        )

    def value(self, v: Any) -> Any:
        if isinstance(v, list):
            return [self.value(x) for x in v]
        if not isinstance(v, dict):
            return v
        tags: dict[str, Callable[[Any], Any]] = {
            "$float": float,
            "$timestamp": pd.Timestamp,
            "$datetime": dt.datetime.fromisoformat,
            "$date": dt.date.fromisoformat,
            "$path": Path,
            "$tuple": lambda x: tuple(self.value(i) for i in x),
            "$dict": lambda x: {self.value(k): self.value(i) for k, i in x},
        }
        for tag, make in tags.items():
            if tag in v:
                return make(v[tag])
        if "$frame" in v:
            return self.frame(v)
        if "$record" in v:
            cls = _CLASSES.get(v["$record"])
            if cls is None:
                raise self.bad(f"jenis hasil tidak dikenal: {v['$record']}")
            retired = getattr(cls, "RETIRED_FIELDS", ())
            return cls(**{k: self.value(x) for k, x in v["fields"].items() if k not in retired})
        raise self.bad("isi JSON tidak dikenal")

    def frame(self, meta: dict[str, Any]) -> pd.DataFrame:
        path = self.folder / meta["$frame"]
        if path.parent != self.folder or not path.is_file():
            raise self.bad(f"tabel {meta['$frame']} tidak ada")
        cols = meta["columns"]
        dtypes = {c["name"]: (c["dtype"] if c["kind"] == "plain" else object) for c in cols if c["kind"] != "datetime"}
        df: pd.DataFrame = pd.read_csv(  # type: ignore[call-overload]
            path,
            dtype=dtypes,
            keep_default_na=False,
            na_values={c["name"]: [""] for c in cols},
            encoding="utf-8",
            **_EXACT,
        )
        if list(df.columns) != [c["name"] for c in cols] or len(df) != meta["rows"]:
            raise self.bad(f"tabel {meta['$frame']} tidak sesuai dengan {self.source.name}")
        for c in cols:
            name, kind = c["name"], c["kind"]
            s = df[name]
            if kind == "datetime":
                df[name] = pd.to_datetime(s, format="ISO8601").astype(c["dtype"])
            elif kind in ("text", "date"):
                # No gaps written: an empty cell is an empty text. Else it is the gap written.
                gap = {None: "", "none": None}.get(c.get("nulls"), np.nan)
                parse = dt.date.fromisoformat if kind == "date" else str
                df[name] = pd.Series([gap if pd.isna(x) else parse(x) for x in s], index=df.index, dtype=object)
            elif kind == "json":
                df[name] = pd.Series([self.value(json.loads(x)) for x in s], index=df.index, dtype=object)
            elif kind == "category":
                cats = self.value(c["categories"])
                df[name] = pd.Categorical(
                    [None if pd.isna(x) else _like(x, cats) for x in s], categories=cats, ordered=c["ordered"]
                )
            if "dtype" in c and kind in ("text", "date", "json"):
                df[name] = df[name].astype(c["dtype"])
        if "index" in meta:
            df = df.set_index(meta["index"])
            df.index.names = [None if n.startswith("__index_") else n for n in meta["index"]]
        if "attrs" in meta:
            df.attrs = self.value(meta["attrs"])
        return df


def _like(cell: str, categories: list[object]) -> object:
    """The category a CSV cell stands for (categories need not be text)."""
    for c in categories:
        if str(c) == cell:
            return c
    return cell


def read_record(folder: str | Path, name: str) -> object:
    """The result :func:`write_record` wrote as ``<folder>/<name>.json``.

    Raises
    ------
    InputError
        The file is missing, of another format, or its tables do not match it.
    """
    folder = Path(folder)
    path = folder / f"{_file_part(name)}.json"
    reader = _Reader(folder, path)
    if not path.is_file():
        raise InputError.one(str(path), "berkas hasil tidak ada", expected="jalankan dulu langkah yang membuatnya")
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise reader.bad("bukan JSON") from None
    if not isinstance(body, dict) or body.get("format") != FORMAT:
        raise reader.bad(f"format {body.get('format') if isinstance(body, dict) else '?'}, diharapkan {FORMAT}")
    try:
        return reader.value(body["record"])
    except InputError:
        raise
    except (KeyError, TypeError, ValueError) as exc:
        raise reader.bad(str(exc)) from None
