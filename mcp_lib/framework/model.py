"""An MCP framework year as the rest of the package sees it: its levels (area → … →
sub-indicator), its items and evidence documents with their weights, and its score bands.

Levels are declared in ``framework.toml`` as ``[[level]]`` tables (``key`` and the ``name`` shown to
analysts), top to bottom; without them a framework has the three levels of MCP 2023 and 2024
(area → indikator → sub-indikator). The first level's key is always ``area`` and the last's
``subindicator`` (evidence documents hang under it; it may be shown as "Indikator" or anything
else); the ones in between are free (the 2025 framework has ``sasaran`` and ``indicator``).
A document's :func:`point_weights` is the product of its items' weights down the levels.

Reading, checking and writing a framework's files: :mod:`mcp_lib.framework.folder` and
:mod:`mcp_lib.framework.rules`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from mcp_lib.framework.methods import Method, parse_method

TOP, BOTTOM = "area", "subindicator"
"""Keys of the first and the last level of every framework (the roles the code relies on: the
area is what the brief charts and the risk model's multipliers name; documents hang under the
last level)."""
MAX_LEVELS = 6
LEVEL_KEY = re.compile(r"[a-z][a-z0-9]{0,19}")
"""What a level key may be: a lowercase letter, then up to 19 lowercase letters or digits."""


@dataclass(frozen=True)
class Level:
    """One level of a framework: ``key`` names its columns (``<key>_code``, ``<key>_name``,
    ``<key>_weight``), ``name`` is what analysts read ("Sasaran", "Sub-indikator")."""

    key: str
    name: str

    @property
    def code(self) -> str:
        return f"{self.key}_code"

    @property
    def title(self) -> str:
        """The column of the item's name (``area_name``)."""
        return f"{self.key}_name"

    @property
    def weight(self) -> str:
        return f"{self.key}_weight"

    @property
    def columns(self) -> list[str]:
        return [self.code, self.title, self.weight]


DEFAULT_LEVELS = (
    Level("area", "Area"),
    Level("indicator", "Indikator"),
    Level("subindicator", "Sub-indikator"),
)
"""The levels of MCP 2023 and 2024, and of any framework that does not declare its own."""


def default_detail(levels: tuple[Level, ...]) -> str:
    """The level of the brief's detail table when the framework does not say: the one above the
    lowest, or the lowest of a two-level framework."""
    return levels[-2].key if len(levels) >= 3 else levels[-1].key


BAND_COLOUR = "#777777"
"""The colour of a band whose framework gives none."""


@dataclass(frozen=True)
class Band:
    """A score band, e.g. ``Hijau`` from 75; ``lower`` in percent."""

    name: str
    lower: float
    colour: str = BAND_COLOUR


@dataclass(frozen=True)
class Bands:
    """The bands of a framework year, ordered by lower bound: the one owner of which band
    (*predikat*) a score is in (:meth:`classify`)."""

    items: tuple[Band, ...]

    def classify(self, score: float) -> Band:
        """The band a score (percent) falls in: the last whose lower bound it reaches (a lower
        bound belongs to its band, up to rounding of 1e-9); below every bound, the first band;
        above 100, the last."""
        found = self.items[0]
        for band in self.items:
            if score >= band.lower - 1e-9:
                found = band
        return found

    def rows(self) -> list[tuple[str, float, str]]:
        """``(name, lower, colour)`` per band, as ``bands.csv`` and the framework workbook hold them."""
        return [(b.name, b.lower, b.colour) for b in self.items]

    @classmethod
    def from_rows(cls, rows: Iterable[Sequence[Any]]) -> Bands:
        """The bands of ``(name, lower, colour)`` rows ordered by lower bound (a blank colour:
        :data:`BAND_COLOUR`), e.g. those a brief's summary carries."""
        return cls(tuple(Band(name, lower, colour or BAND_COLOUR) for name, lower, colour in rows))


PUBLISHED_BANDS = {
    2023: Bands.from_rows(
        [("Merah", 0, "#d7301f"), ("Kuning", 25, "#fdae61"), ("Biru", 50, "#4575b4"), ("Hijau", 75, "#1a9850")]
    ),
    2024: Bands.from_rows([("rentan", 0, "#d7301f"), ("waspada", 73, "#fdae61"), ("terjaga", 78, "#1a9850")]),
}
"""The bands KPK published, by the first year they hold: Merah/Kuning/Biru/Hijau until 2023,
rentan < 73, waspada 73–77.9, terjaga ≥ 78 from 2024. A framework folder's ``bands.csv`` is the
truth for its year; these are for frameworks made without one (a KPK export) and the samples."""


def published_bands(year: int) -> Bands:
    """The bands KPK published for ``year`` (:data:`PUBLISHED_BANDS`; before 2023: 2023's)."""
    return PUBLISHED_BANDS[max([y for y in PUBLISHED_BANDS if y <= year], default=min(PUBLISHED_BANDS))]


def applies_to(table: pd.DataFrame, kind: str) -> pd.Series:
    """Boolean per row of a framework table with an ``applies_to`` column (tuples of pemda kinds,
    or ``semua``): the one rule of which items count for a pemda of ``kind``."""
    return table["applies_to"].map(lambda kinds: "semua" in kinds or kind in kinds)


@dataclass(frozen=True, eq=False)
class Framework:
    """One framework year.

    Attributes
    ----------
    subindicators
        One row per lowest-level item: code, name and weight (percent of the parent, blanks
        already made equal) of every level, ``applies_to`` (tuple of pemda kinds or ``semua``)
        and ``default_opd`` (lead first).
    documents
        One row per evidence document: ``doc_code, doc_name, points`` plus its lowest-level
        item's columns, and ``point_weight``: total-score points one document point is worth
        when everything applies (the product of the level weights / 100 per level).
    levels
        The levels, top (``area``) to bottom (``subindicator``).
    detail_level
        Key of the level the brief's detail table shows.
    blank_weights
        ``(level key, code)`` of items whose weight was blank in ``framework.csv`` (equal among
        their siblings): the methods section says so and a written framework keeps them blank.
    """

    year: int
    label: str
    path: Path | None
    subindicators: pd.DataFrame
    documents: pd.DataFrame
    bands: Bands
    upload_close: dt.date | None = None
    """Last day of uploads of the year (``upload_close`` in ``framework.toml``), if given."""
    final_date: dt.date | None = None
    """Last day of verification and QA (``final_date`` in ``framework.toml``), if given."""
    levels: tuple[Level, ...] = DEFAULT_LEVELS
    detail_level: str = ""
    """Key of the level of the brief's detail table; blank for the default (:func:`default_detail`)."""
    blank_weights: frozenset[tuple[str, str]] = frozenset()

    def level(self, key: str) -> Level:
        """The level with this key (``InputError``-free: a wrong key is a programming error)."""
        for level in self.levels:
            if level.key == key:
                return level
        raise KeyError(f"{self.label} has no level {key!r}: {[lv.key for lv in self.levels]}")

    @property
    def detail(self) -> Level:
        """The level of the brief's detail table."""
        return self.level(self.detail_level or default_detail(self.levels))

    def group_columns(self, key: str) -> list[str]:
        """Columns that identify an item of level ``key`` in a document or item table: the codes
        of the levels above it, then its own code, name and weight."""
        out: list[str] = []
        for level in self.levels:
            if level.key == key:
                return [*out, *level.columns]
            out.append(level.code)
        raise KeyError(key)

    def level_table(self, key: str) -> pd.DataFrame:
        """One row per item of level ``key``, in framework order: the codes of the levels above,
        its code, name and weight."""
        level = self.level(key)
        cols = self.group_columns(key)
        return self.subindicators[cols].drop_duplicates(level.code).reset_index(drop=True)

    @property
    def areas(self) -> pd.DataFrame:
        return self.level_table(TOP)

    @property
    def equal_weight_levels(self) -> list[Level]:
        """Levels where some items have blank weights (equal among their siblings)."""
        keys = {key for key, _code in self.blank_weights}
        return [level for level in self.levels if level.key in keys]

    @cached_property
    def methods(self) -> dict[str, Method]:
        """The lowest-level items scored by a rule of their own (binary, tiers, periods,
        realisation, an outside system), by code; every other item scores by document points.
        Empty for a framework without a ``method`` column (every framework before 2026)."""
        if "method" not in self.subindicators:
            return {}
        out = {}
        for code, text in zip(self.subindicators[f"{BOTTOM}_code"], self.subindicators["method"], strict=True):
            method = parse_method(text) if isinstance(text, str) and text else None
            if method is not None and not method.default:
                out[str(code)] = method
        return out

    @property
    def has_deadlines(self) -> bool:
        """Whether some item has a deadline (``deadline`` in ``framework.csv``): lateness then
        depends on each snapshot's date and the documents' ``done_date``."""
        return "deadline" in self.documents and bool(self.documents["deadline"].notna().any())

    def applies(self, kind: str) -> pd.Series:
        """Boolean per document: does its sub-indicator apply to a pemda of this kind?"""
        return applies_to(self.documents, kind)

    def applies_sub(self, kind: str) -> pd.Series:
        """Boolean per lowest-level item (:attr:`subindicators`): does it apply to this kind?"""
        return applies_to(self.subindicators, kind)

    def default_opds(self, kind: str) -> list[str]:
        """The OPDs the framework names for the documents that apply to ``kind``, in framework order."""
        names: dict[str, None] = {}
        for cell in self.documents.loc[self.applies(kind).to_numpy(), "default_opd"]:
            for name in str(cell).split(";"):
                if name.strip():
                    names.setdefault(name.strip(), None)
        return list(names)

    def summary(self, kind: str | None = None) -> str:
        """``MCP 2023: 8 area, 30 indikator, 63 sub-indikator, 143 dokumen`` (the documents and
        items that apply to ``kind`` when given)."""
        subs, docs = self.subindicators, self.documents
        if kind is not None:
            docs = docs[self.applies(kind).to_numpy()]
            subs = subs[subs[f"{BOTTOM}_code"].isin(set(docs[f"{BOTTOM}_code"]))]
        counts = [f"{subs[level.code].nunique()} {level.name.lower()}" for level in self.levels]
        return f"{self.label}: {', '.join(counts)}, {len(docs)} dokumen"


def point_weights(docs: pd.DataFrame, levels: tuple[Level, ...]) -> pd.Series:
    """Total-score points one document point is worth when everything applies: the product of
    the level weights, each as a share of 100."""
    product = docs[levels[0].weight]
    for level in levels[1:]:
        product = product * docs[level.weight]
    return product / 100 ** len(levels)


def framework_from_frames(
    year: int,
    label: str,
    subindicators: pd.DataFrame,
    evidence: pd.DataFrame,
    bands: Bands,
    levels: tuple[Level, ...] = DEFAULT_LEVELS,
) -> Framework:
    """Build a framework from in-memory frames (used by the KPK importer); no validation."""
    subs = subindicators.copy()
    if "applies_to" not in subs:
        subs["applies_to"] = [("semua",)] * len(subs)
    if "default_opd" not in subs:
        subs["default_opd"] = ""
    if "method" not in subs:
        subs["method"] = ""
    evidence = evidence if "window" in evidence else evidence.assign(window="")
    docs = evidence.merge(subs, on="subindicator_code", how="left", validate="many_to_one")
    docs["point_weight"] = point_weights(docs, levels)
    return Framework(
        year=year,
        label=label,
        path=None,
        subindicators=subs,
        documents=docs,
        bands=bands,
        levels=levels,
        detail_level=default_detail(levels),
    )
