"""Fingerprints of every score the bundled and test data produce, to prove that a change to the
framework model or the scoring code leaves them byte-for-byte as they were.

``python tests/golden_scores.py`` rewrites ``tests/fixtures/golden-scores.json``. It was written
once, before frameworks could declare their own levels (issue 14); rewrite it only for a change
that is meant to move scores, and say so in the commit.

A fingerprint holds the totals as exact floats and SHA-256 digests of the per-document weights
and points and of every level's and OPD's table, so the smallest difference in any float shows.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from mcp_lib.config import DATA_DIR  # noqa: E402
from mcp_lib.framework.folder import load_framework  # noqa: E402
from mcp_lib.pemda.settings import load_pemda  # noqa: E402
from mcp_lib.pemda.snapshot import load_history  # noqa: E402
from mcp_lib.scoring import Scores, score_kind, score_snapshot  # noqa: E402

GOLDEN = HERE / "fixtures" / "golden-scores.json"
FIXTURES = HERE / "fixtures"
LEVEL_KEYS = ("area", "indicator", "subindicator")
"""The levels of the 2023 and 2024 frameworks; a framework that declares others (2025, added after
the fingerprints were first taken) has each of its own levels' tables fingerprinted."""


def _digest(frame: pd.DataFrame, columns: list[str]) -> str:
    h = hashlib.sha256()
    for col in columns:
        values = frame[col].to_numpy()
        if values.dtype.kind == "f":
            h.update(np.ascontiguousarray(values, dtype="<f8").tobytes())
        else:
            h.update("\x1f".join(map(str, values)).encode())
        h.update(b"\x1e")
    return h.hexdigest()[:32]


def level_table(scores: Scores, key: str) -> pd.DataFrame:
    """The per-level table of a score, however the ``Scores`` object files it."""
    levels = getattr(scores, "levels", None)
    if levels is not None:
        return levels[key]
    return {"area": scores.by_area, "indicator": scores.by_indicator, "subindicator": scores.by_subindicator}[key]


NUMBERS = ["verified", "claim", "progress", "points_max", "points_earned", "claim_earned", "points_open"]
COUNTS = ["documents", "uploaded", "awaiting", "late", "rejected", "blocked"]


def fingerprint(scores: Scores) -> dict:
    docs = scores.documents
    out = {
        "verified": scores.verified,
        "claim": scores.claim,
        "progress": scores.progress,
        "band": scores.band.name,
        "documents": _digest(docs, ["doc_code", "applicable", "weight", "earned", "claim_earned", "open", "opd"]),
        "opd": _digest(scores.by_opd, ["opd", *NUMBERS, *COUNTS]),
    }
    for key in getattr(scores, "levels", None) or LEVEL_KEYS:
        table = level_table(scores, key)
        out[key] = _digest(table, [f"{key}_code", *NUMBERS, *COUNTS])
    return out


def _pemda_cases(data_dir: Path, label: str) -> dict[str, dict]:
    cases: dict[str, dict] = {}
    for folder in sorted((data_dir / "pemda").iterdir()):
        if not (folder / "pemda.toml").is_file():
            continue
        pemda = load_pemda(folder.name, data_dir)
        fw = load_framework(pemda.framework_year, data_dir)
        for snap in load_history(pemda, fw):
            cases[f"{label}/{folder.name}/{snap.date}"] = fingerprint(score_snapshot(fw, pemda, snap))
    return cases


def compute() -> dict[str, dict]:
    """Fingerprints of every snapshot of the bundled data, the test fixtures, a KPK export and a
    generated province (kabupaten with Dana Desa, kota without)."""
    from mcp_lib.pemda.kpk import import_kpk_export
    from mcp_lib.sample.generate import generate_pemda_folders

    cases: dict[str, dict] = {}
    cases |= _pemda_cases(DATA_DIR, "data")
    cases |= _pemda_cases(FIXTURES / "tiny", "tiny")
    cases |= _pemda_cases(FIXTURES / "y2024", "y2024")
    imp = import_kpk_export(FIXTURES / "kpk" / "export.csv", 2023)
    cases["kpk/export.csv"] = fingerprint(score_kind(imp.framework, imp.kind, imp.snapshot))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "data"
        generate_pemda_folders("Bengkulu", out)
        shutil.copytree(DATA_DIR / "frameworks", out / "frameworks")
        cases |= _pemda_cases(out, "generated")
    return cases


if __name__ == "__main__":
    GOLDEN.write_text(json.dumps(compute(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"written: {GOLDEN}")
