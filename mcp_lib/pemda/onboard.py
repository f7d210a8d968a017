"""Starting a pemda: ``mcp init`` writes a filled ``pemda.toml``, an empty ``status/`` folder and
the Excel tracker, so a new Inspektorat never edits CSV by hand."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import tempfile
from pathlib import Path

from mcp_lib.config import DATA_DIR, DEFAULT_TARGET, PEMDA_KINDS
from mcp_lib.errors import Problems
from mcp_lib.files import shared_mode
from mcp_lib.framework.calendar import resolve_calendar
from mcp_lib.framework.folder import load_framework
from mcp_lib.pemda.model import Opd, Pemda, new_pemda_dir
from mcp_lib.pemda.settings import load_pemda, pemda_toml
from mcp_lib.pemda.tracker import write_tracker


def init_pemda(
    slug: str,
    name: str,
    kind: str,
    province: str,
    framework_year: int,
    data_dir: str | Path | None = None,
    *,
    target: float = DEFAULT_TARGET,
    deadline: dt.date | None = None,
    last_final: float | None = None,
) -> tuple[Pemda, Path]:
    """Create ``<data_dir>/pemda/<slug>/`` with ``pemda.toml`` (the commented template of
    :func:`mcp_lib.pemda.settings.pemda_toml`, the framework's default OPDs), ``status/`` and
    ``tracker-<year>.xlsx``; returns the pemda and the tracker's path. The deadline defaults to
    the upload close of the framework year (no upload counts after it).

    Raises
    ------
    InputError
        Bad slug, kind, name, target or framework year, or the pemda folder exists already
        (nothing is overwritten).
    """
    folder = new_pemda_dir(slug, data_dir, strict=True)
    problems = Problems()
    if kind not in PEMDA_KINDS:
        problems.add("--kind", "jenis pemda tidak dikenal", value=kind, expected=", ".join(PEMDA_KINDS))
    if not name.strip():
        problems.add("--name", "nama pemda kosong", expected='mis. "Kabupaten Muara Enim"')
    if not 0 < target <= 100:
        problems.add("--target", "target di luar 0–100", value=target, expected="mis. 90")
    if last_final is not None and not 0 <= last_final <= 100:
        problems.add("--last-final", "nilai akhir tahun lalu di luar 0–100", value=last_final)
    root = Path(data_dir) if data_dir else DATA_DIR
    if folder.exists():
        problems.add(
            folder,
            "folder pemda sudah ada dan tidak ditimpa",
            expected="nama lain, atau pakai folder yang ada (mcp tracker membuat tracker baru)",
        )
    problems.raise_if_any()
    framework = load_framework(framework_year, root)
    calendar = resolve_calendar(framework.year, (framework.upload_close, framework.final_date))
    text = pemda_toml(
        name.strip(),
        kind,
        province.strip(),
        framework.year,
        target,
        deadline or min(dt.date(framework.year, 12, 31), calendar.close),
        final_scores=None if last_final is None else {framework.year - 1: last_final},
        opds=[Opd(o) for o in framework.default_opds(kind)],
        header=["Pengaturan pemda untuk MCP Workbook. Ubah sesuai keadaan, lalu simpan (UTF-8)."],
        guide=calendar,
    )
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{slug}.tmp-", dir=folder.parent))
    shared_mode(tmp)
    try:
        (tmp / "pemda.toml").write_text(text, encoding="utf-8")
        (tmp / "status").mkdir()
        pemda = dataclasses.replace(load_pemda(tmp), slug=slug, path=folder)  # reads back
        write_tracker(pemda, framework, tmp / f"tracker-{framework.year}.xlsx")
        tmp.rename(folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return load_pemda(folder), folder / f"tracker-{framework.year}.xlsx"
