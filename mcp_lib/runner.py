"""Run the monthly brief: execute the notebooks with papermill, render, write atomically.

``outputs/<pemda>/<period>/`` receives the executed notebooks (provenance), ``brief.html`` and
``rencana-aksi.xlsx``. Everything is written to a temporary folder next to it and moved into
place only when every step has succeeded, so a failed run leaves no half-written month; an
existing month is replaced only with ``force``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from mcp_lib import brief
from mcp_lib.config import OUTPUTS_DIR, REPO_ROOT
from mcp_lib.errors import InputError, Problem

KERNEL_NAME = "mcp-workbook"
NOTEBOOK_DIR = REPO_ROOT / "notebooks"
_BASE = ("pemda", "period", "data_dir", "assume_done")
NOTEBOOKS: dict[str, tuple[str, ...]] = {
    "01_capaian.ipynb": _BASE,
    "02_simulasi.ipynb": (*_BASE, "target", "confidence"),
    "03_brief.ipynb": (*_BASE, "target", "confidence"),
}
"""The notebooks run for a brief, in order, with the parameters each receives."""
BRIEF_NOTEBOOK = "03_brief.ipynb"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class BriefFailed(Exception):
    """A notebook cell failed while producing the brief; the message names notebook and cell."""


@dataclass(frozen=True)
class BriefResult:
    out_dir: Path
    html: Path
    workbook: Path
    notebooks: tuple[Path, ...]
    seconds: float


def ensure_kernel() -> str:
    """Register a Jupyter kernel for this interpreter (``.venv``) under ``sys.prefix``.

    Idempotent. The notebooks name this kernel, and the runner passes it explicitly, so a
    brief never runs in some other Python that happens to be installed globally.
    """
    folder = Path(sys.prefix) / "share" / "jupyter" / "kernels" / KERNEL_NAME
    spec = {
        # The kernel only listens on localhost; its log warning about unencrypted TCP would
        # only alarm analysts, so the kernel logs errors only (cell errors still fail the run).
        "argv": [
            sys.executable,
            "-m",
            "ipykernel_launcher",
            "--IPKernelApp.log_level=ERROR",
            "-f",
            "{connection_file}",
        ],
        "display_name": "Python (MCP Workbook)",
        "language": "python",
        "metadata": {"debugger": True, "supported_encryption": ["curve"]},
    }
    path = folder / "kernel.json"
    if not path.is_file() or json.loads(path.read_text(encoding="utf-8")) != spec:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(spec, indent=1), encoding="utf-8")
    return KERNEL_NAME


def check_parameters(notebook: Path, parameters: dict) -> None:
    """Fail when a parameter is not declared in the notebook's ``parameters`` cell
    (papermill itself only warns)."""
    import papermill as pm

    declared = set(pm.inspect_notebook(str(notebook)))
    unknown = sorted(set(parameters) - declared)
    if unknown:
        raise InputError(
            [
                Problem(
                    str(notebook),
                    f"parameter tidak dikenal: {name}",
                    expected="salah satu dari: " + ", ".join(sorted(declared)),
                )
                for name in unknown
            ]
        )


def _execute(src: Path, dest: Path, parameters: dict, cwd: Path) -> None:
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    try:
        pm.execute_notebook(
            str(src), str(dest), parameters=parameters, kernel_name=KERNEL_NAME, cwd=str(cwd),
            progress_bar=False, log_output=False, request_save_on_cell_execute=False,
        )  # fmt: skip
    except PapermillExecutionError as exc:
        detail = _ANSI.sub("", f"{exc.ename}: {exc.evalue}").strip()
        raise BriefFailed(
            f"{src.name}: sel ke-{exc.cell_index + 1} (eksekusi {exc.exec_count}) gagal: {detail}"
        ) from None


def run_brief(
    pemda: str | Path,
    period: str,
    *,
    data_dir: str | Path | None = None,
    out_root: Path = OUTPUTS_DIR,
    target: float | None = None,
    confidence: float = 0.8,
    force: bool = False,
    generated: dt.datetime | None = None,
    notebook_dir: Path = NOTEBOOK_DIR,
    assume_done: str | Path | None = None,
) -> BriefResult:
    """Produce one month's brief for one pemda.

    ``assume_done`` (a scenario file exported by the explorer) makes a scenario brief, written to
    ``<period>-skenario-<file name>`` so it never replaces the month's brief.

    Raises
    ------
    InputError
        Bad input (checked before any notebook runs), or the month exists and ``force`` is off.
    BriefFailed
        A notebook cell failed; nothing is written.
    """
    started = time.perf_counter()
    data = brief.prepare(pemda, period, data_dir, target, confidence, assume_done)
    folder = f"{period}-skenario-{Path(assume_done).stem}" if assume_done else period
    out_dir = Path(out_root) / data.pemda.slug / folder
    if out_dir.exists() and not force:
        raise InputError(
            [
                Problem(
                    str(out_dir / "brief.html"),
                    f"brief periode {period} sudah ada dan tidak ditimpa",
                    expected="jalankan lagi dengan --force (make brief FORCE=1) untuk membuat ulang",
                )
            ]
        )
    parameters = {
        "pemda": str(data.pemda.path.resolve()), "period": period,
        "data_dir": str(Path(data_dir).resolve()) if data_dir else "",
        "target": float(target or 0.0), "confidence": confidence,
        "assume_done": str(Path(assume_done).resolve()) if assume_done else "",
    }  # fmt: skip
    runs = []
    for name, names in NOTEBOOKS.items():
        src = Path(notebook_dir) / name
        own = {k: parameters[k] for k in names}
        check_parameters(src, own)
        runs.append((src, own))
    ensure_kernel()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{period}.tmp-", dir=out_dir.parent))
    try:
        for src, own in runs:
            _execute(src, tmp / src.name, own, tmp)
        month = brief.text.month(data.snapshot.date)
        brief.render_html(
            tmp / BRIEF_NOTEBOOK, tmp / "brief.html", generated, f"Brief MCP {data.pemda.name}: {month}"
        )
        brief.write_action_workbook(data, tmp / "rencana-aksi.xlsx")
        _move_into_place(tmp, out_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return BriefResult(
        out_dir=out_dir, html=out_dir / "brief.html", workbook=out_dir / "rencana-aksi.xlsx",
        notebooks=tuple(out_dir / n for n in NOTEBOOKS), seconds=time.perf_counter() - started,
    )  # fmt: skip


def _move_into_place(tmp: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` by ``tmp`` with renames only (same file system)."""
    old = None
    if out_dir.exists():
        old = out_dir.with_name(f".{out_dir.name}.old-{tmp.name[-8:]}")
        out_dir.rename(old)
    try:
        tmp.rename(out_dir)
    except OSError:
        if old is not None:
            old.rename(out_dir)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
