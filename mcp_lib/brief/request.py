"""What one brief is asked for, as one object: :class:`BriefRequest`.

It is built once (by ``mcp brief`` and ``mcp batch`` from their options, by each notebook from its
parameters cell, by a test) and handed whole to the three steps of :mod:`mcp_lib.brief.steps` and
to the runner, which passes its fields to the notebooks as their parameters. Each field names the
first step whose results depend on it (:func:`step_fields`): those fields are what a step's
results are reused for, and exactly what that step's notebook declares in its parameters cell.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import KW_ONLY, InitVar, dataclass, field
from pathlib import Path
from typing import ClassVar

from mcp_lib.config import DEFAULT_CONFIDENCE
from mcp_lib.errors import InputError
from mcp_lib.io import records
from mcp_lib.pemda.model import pemda_dir, percent_problem
from mcp_lib.pemda.snapshot import parse_period

__all__ = ["STEPS", "BriefRequest", "step_fields"]

STEPS = ("capaian", "simulasi", "skenario-rencana", "brief")
"""The brief's steps, in order: ``01_capaian``, ``02_simulasi`` (the plans and the forecast, then the
plan under the standard scenarios, which only this notebook shows), ``03_brief``."""


def _used_from(step: str) -> dict[str, str]:
    return {"step": step}


@dataclass(frozen=True)
class BriefRequest:
    """One brief's request, normalised on construction: paths absolute, ``""`` for none, the
    period as ``YYYY-MM``; a target or confidence that cannot be is an :class:`InputError` in words.

    Everything after ``period`` is given by name (``target`` and ``assume_done`` can never be
    swapped by position). :func:`dataclasses.replace` normalises again, so a derived request
    (the runner adds ``since``) is as checked as the first.
    """

    pemda: str = field(metadata=_used_from("capaian"))
    """The pemda folder, absolute (given as a name under ``<data_dir>/pemda`` or as a path)."""
    period: str = field(metadata=_used_from("capaian"))
    """The reporting month, ``YYYY-MM`` (the latest snapshot in that month)."""
    _: KW_ONLY
    data_dir: str = field(default="", metadata=_used_from("capaian"))
    """The data root holding ``pemda/`` and ``frameworks/``, absolute; ``""`` for the bundled sample data."""
    target: float = field(default=0.0, metadata=_used_from("capaian"))
    """The score to reach in percent as asked; ``0.0`` asks for the pemda's own (``pemda.toml``).
    The target a brief then uses is :attr:`mcp_lib.brief.steps.Capaian.target`."""
    assume_done: str = field(default="", metadata=_used_from("capaian"))
    """A scenario file from the explorer (``doc_code, asumsi``), absolute; ``""`` for the files as they are."""
    since: str = field(default="", metadata=_used_from("capaian"))
    """The folder of the last meeting's brief (``outputs/<pemda>/<YYYY-MM>``), absolute; ``""``:
    compare with the previous snapshot of the year. ``mcp brief`` fills it in."""
    confidence: float = field(default=DEFAULT_CONFIDENCE, metadata=_used_from("simulasi"))
    """Keyakinan: the chance (between 0 and 1) the plans are sized for; a setting, never an estimate."""
    with_scenarios: InitVar[bool | None] = None
    """Accepted and ignored: the notebooks of month folders made before the scenarios became a step
    of their own (``skenario-rencana``) pass it, and run again as they are."""
    RETIRED_FIELDS: ClassVar[tuple[str, ...]] = ("with_scenarios",)
    """Fields of requests recorded before the scenarios became a step of their own (a batch asked
    for a step 2 without them): last month's folder may hold such a file."""

    def __post_init__(self, with_scenarios: bool | None) -> None:
        data_dir = _absolute(self.data_dir)
        folder = Path(self.pemda)
        if not folder.is_absolute():  # a name, or a path relative to the working folder
            folder = pemda_dir(self.pemda, Path(data_dir) if data_dir else None)
        # absolute, ``..`` taken out, a link kept by its own name (never resolved): the name is the
        # pemda's output folder, whether it was given by name or by path
        folder = Path(os.path.abspath(folder))
        year, month = parse_period(self.period)
        target = float(self.target or 0.0)
        not_percent = percent_problem(target)
        if not_percent:
            raise InputError.one("target", f"target {not_percent}", value=self.target, expected="nilai 0–100, mis. 90")
        confidence = float(self.confidence)
        if not 0 <= confidence <= 1:
            raise InputError.one(
                "confidence",
                "keyakinan harus antara 0 dan 1",
                value=self.confidence,
                expected="peluang antara 0 dan 1, mis. 0.8",
            )
        values = {
            "pemda": str(folder),
            "period": f"{year:04d}-{month:02d}",
            "data_dir": data_dir,
            "target": target,
            "assume_done": _absolute(self.assume_done),
            "since": _absolute(self.since),
            "confidence": confidence,
        }
        for name, value in values.items():
            object.__setattr__(self, name, value)


def _absolute(path: str | Path | None) -> str:
    return str(Path(path).resolve()) if path else ""


def step_fields(step: str) -> tuple[str, ...]:
    """The request's fields the results of ``step`` depend on: those first used by it or by a
    step before it (``capaian``: pemda, period, data_dir, target, assume_done, since; ``simulasi``
    and the later ones: those and confidence)."""
    upto = STEPS.index(step)
    return tuple(f.name for f in dataclasses.fields(BriefRequest) if STEPS.index(f.metadata["step"]) <= upto)


records.register(BriefRequest)  # step files record the request they were made from
