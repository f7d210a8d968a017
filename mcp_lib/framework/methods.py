"""Scoring methods per indicator, as the MCSP 2026 guideline sets them: the vocabulary, the parser
of the short text an analyst types in a framework cell, the score of one indicator, whether it is
plannable by uploading documents, and the steps a planner can aim at.

Source: the one public transcription of the *Pedoman MCSP-RBS 2026*, an Inspektorat's tracker,
``sipitung66/MCSP-KPK-RBS-KK-2026``, ``src/lib/scoring.ts`` (method names and formulas; its
``prisma/seed.ts`` and ``src/lib/mcsp-rbs.ts`` hold areas and documents, no method parameter).
The rules below are implemented from that description, not from its code.

Scores are in percent (0–100), like :mod:`mcp_lib.scoring`: the default method is today's rule,
``100 · Σ verified points / Σ points`` over the applicable documents (documents whose status is
``tidak_berlaku`` drop out), so a framework without a method column scores as before.

What belongs where:

- **framework** (fixed for a framework year, typed once in its method cell): the method and its
  parameters, the number of periods (``periode=3``) or stages (``tahapan=4``), the realisation
  target the guideline sets (``target=80``, in the unit the realisation is reported in; 100 when
  left out), the outside system (in the method's name).
- **snapshot** (pemda data, changing week by week): the documents' statuses and verified points,
  which period or stage a document belongs to (``Document.part``), the realisation reached and
  whether the outside system reports the indicator as met.

Syntax of the cell: the method's name, then ``key=value`` pairs separated by spaces, e.g.
``BERTINGKAT_0_75_25``, ``BOBOT_TAHUN periode=3``, ``AMBANG_REALISASI target=80``; case is
ignored and an empty cell is the default :data:`DEFAULT`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum

from mcp_lib.statuses import DECIDED, DIVERIFIKASI, TIDAK_BERLAKU


class Rule(Enum):
    """The families of methods: each family scores by one rule."""

    DOCUMENTS = "dokumen"
    BINARY = "biner"
    TIERED = "bertingkat"
    PARTS = "bagian"
    REALISATION = "realisasi"
    OUTSIDE = "sistem_luar"


STEPPED = (Rule.BINARY, Rule.TIERED, Rule.PARTS)
"""The families that score by whole units (a document, or a period or stage): a plan counts
their steps, never a share of a document (:mod:`mcp_lib.ladders`)."""


class MethodError(ValueError):
    """A method cell that cannot be read: ``value`` is what was typed, ``expected`` what would do
    (the framework reader turns both into a :class:`~mcp_lib.errors.Problem` with its row)."""

    def __init__(self, message: str, value: str, expected: str):
        self.message = message
        self.value = value
        self.expected = expected
        super().__init__(f"{message} (isi: {value!r}); seharusnya {expected}")


@dataclass(frozen=True)
class Method:
    """One indicator's scoring method: ``name`` as the guideline writes it, its ``rule`` and
    the parameters that rule reads (``None`` when it reads none)."""

    name: str
    rule: Rule
    partial: float | None = None
    """TIERED: the score when some but not all required documents are in."""
    periods: int | None = None
    """PARTS: how many periods or stages the guideline counts (``None``: as many as the
    indicator's applicable parts)."""
    target: float | None = None
    """REALISATION: the realisation that earns 100."""
    system: str | None = None
    """OUTSIDE: the system through which KPK reads the indicator (e-LHKPN, GOL, ...)."""

    @property
    def text(self) -> str:
        """The cell text that reads back as this method (:func:`parse_method`): its name and the
        parameter it was given, e.g. ``BOBOT_TAHUN periode=3``."""
        key = _KEYS.get(self.name)
        if key == "target" and self.target not in (None, 100.0):
            return f"{self.name} target={self.target:g}"
        if key in ("periode", "tahapan") and self.periods is not None:
            return f"{self.name} {key}={self.periods}"
        return self.name

    @property
    def default(self) -> bool:
        """Scored as documents with points (today's rule): nothing to do differently."""
        return self.rule is Rule.DOCUMENTS

    @property
    def plannable(self) -> bool:
        """Whether uploading documents can raise the score."""
        return self.rule not in (Rule.REALISATION, Rule.OUTSIDE)

    @property
    def short(self) -> str:
        """In Bahasa Indonesia, in a few words, how the item is scored (the brief's detail table)."""
        if self.rule is Rule.BINARY:
            return "semua dokumen atau 0"
        if self.rule is Rule.TIERED:
            return f"bertingkat 0/{self.partial:g}/100"
        if self.rule is Rule.PARTS:
            return f"per {_KEYS[self.name]}" + (f" ({self.periods})" if self.periods else "")
        if self.rule is Rule.REALISATION:
            return f"realisasi ÷ target {self.target or 100.0:g}"
        if self.rule is Rule.OUTSIDE:
            return f"lewat {self.system}"
        return "bobot dokumen"

    @property
    def how_met(self) -> str:
        """In Bahasa Indonesia, how the indicator is met (what the tracker and the brief show)."""
        if self.rule is Rule.REALISATION:
            return "perlu capaian realisasi"
        if self.rule is Rule.OUTSIDE:
            return f"dipenuhi lewat {self.system}"
        return "dipenuhi dengan mengunggah dokumen"


@dataclass(frozen=True)
class Document:
    """What the pemda has for one document of the indicator: its status, its points and the
    points KPK accepted; ``part`` names its period or stage (PARTS methods; empty: the document
    is a part of its own)."""

    status: str
    points: float
    verified_points: float = 0.0
    part: str = ""

    @property
    def applicable(self) -> bool:
        return self.status != TIDAK_BERLAKU

    @property
    def valid(self) -> bool:
        """Accepted by KPK: counts towards count-based methods (binary, tiers, parts)."""
        return self.status == DIVERIFIKASI


@dataclass(frozen=True)
class Evidence:
    """What the pemda has for one indicator: its documents (only those that apply to the
    pemda's kind), the realisation reached and whether the outside system reports it met."""

    documents: tuple[Document, ...] = ()
    realisation: float | None = None
    met_outside: bool | None = None

    @property
    def required(self) -> tuple[Document, ...]:
        return tuple(d for d in self.documents if d.applicable)


# ---------------------------------------------------------------- vocabulary and parser

_FIXED: dict[str, Method] = {
    "BOBOT_DOKUMEN": Method("BOBOT_DOKUMEN", Rule.DOCUMENTS),
    "PROPORSIONAL": Method("PROPORSIONAL", Rule.DOCUMENTS),
    "BINER_0_100": Method("BINER_0_100", Rule.BINARY),
    "BERTINGKAT_0_75_25": Method("BERTINGKAT_0_75_25", Rule.TIERED, partial=75.0),
    "BERTINGKAT_0_80_100": Method("BERTINGKAT_0_80_100", Rule.TIERED, partial=80.0),
    "BOBOT_TAHUN": Method("BOBOT_TAHUN", Rule.PARTS),
    "BOBOT_TAHUN_TRIWULAN": Method("BOBOT_TAHUN_TRIWULAN", Rule.PARTS),
    "BOBOT_TAHAPAN": Method("BOBOT_TAHAPAN", Rule.PARTS),
    "AMBANG_REALISASI": Method("AMBANG_REALISASI", Rule.REALISATION, target=100.0),
    "AMBANG_PROPORSIONAL": Method("AMBANG_PROPORSIONAL", Rule.REALISATION, target=100.0),
    "INTEROPERABILITAS_E_LHKPN": Method("INTEROPERABILITAS_E_LHKPN", Rule.OUTSIDE, system="e-LHKPN"),
    "INTEROPERABILITAS_GOL": Method("INTEROPERABILITAS_GOL", Rule.OUTSIDE, system="GOL"),
    "INTEROPERABILITAS_SICUKUP": Method("INTEROPERABILITAS_SICUKUP", Rule.OUTSIDE, system="SICUKUP"),
    "INTEROPERABILITAS_SPI": Method("INTEROPERABILITAS_SPI", Rule.OUTSIDE, system="SPI"),
}

METHOD_NAMES: tuple[str, ...] = tuple(_FIXED)
"""Every method name the parser accepts, in the guideline's order."""

DEFAULT = _FIXED["BOBOT_DOKUMEN"]
"""Today's rule: document points, partial credit as KPK gives it."""

_KEYS: dict[str, str] = {
    "BOBOT_TAHUN": "periode",
    "BOBOT_TAHUN_TRIWULAN": "periode",
    "BOBOT_TAHAPAN": "tahapan",
    "AMBANG_REALISASI": "target",
    "AMBANG_PROPORSIONAL": "target",
}
"""The one parameter each method takes (the rest take none)."""


def parse_method(text: str | None) -> Method:
    """The method a framework cell names (:data:`DEFAULT` when empty), or :class:`MethodError`."""
    words = (text or "").split()
    if not words:
        return DEFAULT
    name = words[0].upper()
    if name not in _FIXED:
        raise MethodError(
            f"metode penilaian {words[0]!r} tidak dikenal", str(text), "salah satu: " + ", ".join(METHOD_NAMES)
        )
    method = _FIXED[name]
    for word in words[1:]:
        method = _with_parameter(method, word, str(text))
    return method


def _with_parameter(method: Method, word: str, text: str) -> Method:
    key, sep, raw = word.partition("=")
    key = key.lower()
    allowed = _KEYS.get(method.name)
    if not sep or key != allowed:
        expected = f"{allowed}=..." if allowed else f"{method.name} tanpa parameter"
        raise MethodError(f"parameter {word!r} tidak berlaku untuk {method.name}", text, expected)
    if key == "target":
        return Method(method.name, method.rule, target=_positive(raw, key, text, whole=False))
    return Method(method.name, method.rule, periods=int(_positive(raw, key, text, whole=True)))


def _positive(raw: str, key: str, text: str, *, whole: bool) -> float:
    """``raw`` as a number above 0 (a whole number when ``whole``), or :class:`MethodError`."""
    expected = f"{key}=<bilangan bulat ≥ 1>" if whole else f"{key}=<angka > 0>"
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        raise MethodError(f"nilai {key} {raw!r} bukan angka", text, expected) from None
    if not value > 0 or value == float("inf") or (whole and not value.is_integer()):
        raise MethodError(f"nilai {key} {raw!r} tidak sah", text, expected)
    return value


# ---------------------------------------------------------------- scores


def score(method: Method, evidence: Evidence) -> float | None:
    """The indicator's verified score in percent (0–100), or ``None`` when it does not apply
    (a document-based method with no applicable document drops out of its parent, as today)."""
    return _SCORERS[method.rule](method, evidence)


def _documents(method: Method, evidence: Evidence) -> float | None:
    """100 · Σ verified points of decided documents / Σ points (today's rule)."""
    docs = evidence.required
    total = sum(d.points for d in docs)
    if total <= 0:
        return None
    earned = sum(d.verified_points for d in docs if d.status in DECIDED)
    return 100.0 * earned / total


def _counted(method: Method, evidence: Evidence) -> float | None:
    """Binary and tiered: the step of :func:`tiers` reached by the valid documents."""
    docs = evidence.required
    if not docs:
        return None
    return _step(tiers(method, len(docs)), sum(d.valid for d in docs))


def _parts(method: Method, evidence: Evidence) -> float | None:
    """Periods or stages met ÷ periods or stages; a part is met when all its documents are valid.
    A part whose documents all do not apply drops out of the count (:func:`without_parts`)."""
    groups = _groups(evidence.required)
    if not groups:
        return None
    met = sum(all(d.valid for d in group) for group in groups)
    dropped = sum(not any(d.applicable for d in group) for group in _groups(evidence.documents))
    return _step(tiers(without_parts(method, dropped), len(groups)), met)


def without_parts(method: Method, dropped: int) -> Method:
    """A periods or stages method counting ``dropped`` fewer parts (those whose documents all do
    not apply to the pemda: like a document that does not apply, they drop out), at least one."""
    if method.periods is None or dropped <= 0:
        return method
    return Method(method.name, method.rule, periods=max(1, method.periods - dropped))


def _realisation(method: Method, evidence: Evidence) -> float | None:
    """100 · realisation ÷ target, between 0 and 100; nothing reported scores 0."""
    target = method.target or 100.0
    reached = evidence.realisation or 0.0
    return min(100.0, max(0.0, 100.0 * reached / target))


def _outside(method: Method, evidence: Evidence) -> float | None:
    """100 when the outside system reports the indicator met, else 0."""
    return 100.0 if evidence.met_outside else 0.0


_SCORERS: dict[Rule, Callable[[Method, Evidence], float | None]] = {
    Rule.DOCUMENTS: _documents,
    Rule.BINARY: _counted,
    Rule.TIERED: _counted,
    Rule.PARTS: _parts,
    Rule.REALISATION: _realisation,
    Rule.OUTSIDE: _outside,
}


def _groups(docs: Sequence[Document]) -> list[list[Document]]:
    """The parts of an indicator: documents sharing a ``part``, each unlabelled one alone."""
    named: dict[str, list[Document]] = {}
    alone: list[list[Document]] = []
    for d in docs:
        if d.part:
            named.setdefault(d.part, []).append(d)
        else:
            alone.append([d])
    return [*named.values(), *alone]


def _step(steps: list[tuple[int, float]], met: int) -> float:
    """The score of the highest step whose count ``met`` reaches (steps ascend from (0, 0))."""
    return max(value for needed, value in steps if met >= needed)


# ---------------------------------------------------------------- planner structure


def tiers(method: Method, required: int) -> list[tuple[int, float]]:
    """The steps a planner can aim at: ``(units needed, score)``, ascending from ``(0, 0.0)``,
    where a unit is a valid document (binary, tiered, document methods with equal points) or a
    met period or stage (``required`` is then the number of parts). Between two steps the score
    stays at the lower one, so a MILP needs one binary variable per step. Methods not plannable
    by uploading have no step but ``(0, 0.0)``; with nothing required the list is empty."""
    if required <= 0:
        return []
    if not method.plannable:
        return [(0, 0.0)]
    if method.rule is Rule.BINARY:
        return [(0, 0.0), (required, 100.0)]
    if method.rule is Rule.TIERED:
        partial = [(1, method.partial or 0.0)] if required > 1 else []
        return [(0, 0.0), *partial, (required, 100.0)]
    periods = method.periods or required
    return [(k, 100.0 * k / periods) for k in range(min(required, periods) + 1)]
