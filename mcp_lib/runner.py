"""Run the monthly brief: execute the notebooks with papermill, render, write atomically.

``outputs/<pemda>/<period>/`` receives the executed notebooks (provenance), ``brief.html`` and
``rencana-aksi.xlsx``. Everything is written to a temporary folder next to it and moved into
place only when every step has succeeded, so a failed run leaves no half-written month; an
existing month is replaced only with ``force``.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import json
import logging
import multiprocessing
import os
import re
import shutil
import signal
import sys
import tempfile
import time
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from queue import Empty

from mcp_lib import brief
from mcp_lib.config import OUTPUTS_DIR, REPO_ROOT, inside
from mcp_lib.errors import InputError, Problem
from mcp_lib.files import keep_backup, shared_mode
from mcp_lib.pemda import check_name
from mcp_lib.snapshot import parse_period

KERNEL_NAME = "mcp-workbook"
NOTEBOOK_DIR = REPO_ROOT / "notebooks"
_PARAMETERS = ("pemda", "period", "data_dir", "assume_done", "target", "confidence", "prepared")
NOTEBOOKS: dict[str, tuple[str, ...]] = {
    "01_capaian.ipynb": _PARAMETERS,
    "02_simulasi.ipynb": _PARAMETERS,
    "03_brief.ipynb": _PARAMETERS,
}
"""The notebooks run for a brief, in order, with the parameters each receives: every option that
changes the brief reaches every notebook (the executed notebooks are its provenance)."""
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
    summary: dict


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


class KernelSession:
    """One warm kernel reused across briefs in this process (a batch worker).

    The kernel keeps its imported modules (pandas, altair, ...) between notebooks, which is where
    most of a notebook's start-up time goes; the user namespace is reset before every notebook.
    The kernel is restarted every ``restart_every`` briefs and after any failure.
    """

    # ``%reset -f`` empties the user namespace (and collects garbage); ``gc.freeze`` then moves
    # what survives (imported modules) out of the collector's sight, so the next reset's
    # collection no longer walks pandas' and Altair's objects (~0.3 s a notebook otherwise).
    RESET = "get_ipython().run_line_magic('reset', '-f'); __import__('gc').freeze()"

    def __init__(self, restart_every: int = 50) -> None:
        self.restart_every = restart_every
        self.briefs = 0
        self.km = None

    def _start(self) -> None:
        from jupyter_client.manager import KernelManager

        ensure_kernel()
        self.km = KernelManager(kernel_name=KERNEL_NAME)
        self.km.start_kernel(cwd=str(REPO_ROOT))
        client = self.km.client()
        client.start_channels(hb=False)
        try:
            client.wait_for_ready(timeout=60)
        finally:
            client.stop_channels()

    def prepare(self) -> object:
        """The kernel manager for the next notebook: started, with a clean user namespace."""
        if self.km is None or not self.km.is_alive():
            self.restart()
            self._start()
        self.run_silent(self.RESET, "kernel tidak dapat direset")
        return self.km

    def run_silent(self, code: str, failure: str) -> None:
        """Run ``code`` in the kernel outside any notebook; raise :class:`BriefFailed` if it fails.

        A fresh client each time (one made for an earlier notebook is bound to papermill's
        finished event loop). The kernel is known to be up, so no ``wait_for_ready``: the reply
        comes on the shell channel and nothing is awaited on IOPub, saving its 0.2 s handshake.
        """
        client = self.km.client()
        client.start_channels(iopub=False, stdin=False, hb=False, control=False)
        try:
            msg_id = client.execute(code, silent=True, store_history=False)
            deadline = time.monotonic() + 60
            while True:
                try:
                    reply = client.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
                except Empty:
                    raise BriefFailed(f"{failure}: kernel tidak menjawab") from None
                if reply["parent_header"].get("msg_id") == msg_id:
                    break
        finally:
            client.stop_channels()
        if reply["content"]["status"] != "ok":
            c = reply["content"]
            raise BriefFailed(f"{failure}: {c.get('ename', '')}: {c.get('evalue', '')}")

    def brief_done(self, ok: bool) -> None:
        """Count a finished brief; restart the kernel after a failure or every N briefs."""
        self.briefs += 1
        if not ok or self.briefs % self.restart_every == 0:
            self.restart()

    def restart(self) -> None:
        if self.km is not None:
            self.km.shutdown_kernel(now=True)
            self.km = None

    close = restart


_WARM_ENGINE = "mcp-warm-kernel"


def _register_engine() -> None:
    """Register a papermill engine for a kernel this module keeps warm.

    papermill's own engine leaves the client it makes for a kernel it did not start with its
    channels open (nbclient closes them only when it owns the kernel): ten file descriptors per
    notebook, so a worker would run out of them after ~100 briefs. This engine is the stock one
    plus closing that client.
    """
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.utils import merge_kwargs, remove_args

    if _WARM_ENGINE in papermill_engines._engines:
        return

    class WarmKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                     stderr_file=None, start_timeout=60, execution_timeout=None, **kwargs):  # fmt: skip
            kwargs = remove_args(["input_path"], **kwargs)
            safe = remove_args(["timeout", "startup_timeout"], **kwargs)
            final = merge_kwargs(
                safe, timeout=execution_timeout or kwargs.get("timeout"), startup_timeout=start_timeout,
                kernel_name=kernel_name, log=logging.getLogger("papermill"), log_output=log_output,
                stdout_file=stdout_file, stderr_file=stderr_file,
            )  # fmt: skip
            client = PapermillNotebookClient(nb_man, **final)
            try:
                return client.execute()
            finally:
                if getattr(client, "kc", None) is not None:
                    client.kc.stop_channels()
                    client.kc = None

    papermill_engines.register(_WARM_ENGINE, WarmKernelEngine)


def _execute(src: Path, dest: Path, parameters: dict, cwd: Path, km: object = None) -> None:
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    extra = {}
    if km is not None:
        _register_engine()
        extra = {"km": km, "engine_name": _WARM_ENGINE}
    try:
        pm.execute_notebook(
            str(src), str(dest), parameters=parameters, kernel_name=KERNEL_NAME, cwd=str(cwd),
            progress_bar=False, log_output=False, request_save_on_cell_execute=False, **extra,
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
    session: KernelSession | None = None,
    brief_only: bool = False,
) -> BriefResult:
    """Produce one month's brief for one pemda.

    ``assume_done`` (a scenario file exported by the explorer) makes a scenario brief, written to
    ``<period>-skenario-<file name>`` so it never replaces the month's brief. With a
    :class:`KernelSession` the notebooks run in its warm kernel; without one, a kernel is started
    for this brief and shared by its notebooks (the user namespace is reset between them).
    ``brief_only`` runs just the brief notebook (batches at national scale).

    Raises
    ------
    InputError
        Bad input (checked before any notebook runs), or the month exists and ``force`` is off.
    BriefFailed
        A notebook cell failed; nothing is written.
    """
    started = time.perf_counter()
    year, month = parse_period(period)
    period = f"{year:04d}-{month:02d}"  # the folder name: exactly YYYY-MM, nothing else
    data = brief.prepare(pemda, period, data_dir, target, confidence, assume_done)
    check_name(data.pemda.slug, str(data.pemda.path))
    folder = (
        f"{period}-skenario-{brief.text.slugify(Path(assume_done).stem) or 'x'}" if assume_done else period
    )
    out_root = Path(out_root)
    out_dir = out_root / data.pemda.slug / folder
    if not inside(out_dir.parent, out_root):
        raise InputError.one(
            str(out_dir), "folder keluaran di luar folder keluaran yang dipilih", expected=str(out_root)
        )
    if out_dir.exists() and not force:
        raise InputError.one(
            str(out_dir / "brief.html"),
            f"brief periode {period} sudah ada dan tidak ditimpa",
            expected="jalankan lagi dengan --force (make brief FORCE=1) untuk membuat ulang",
        )
    parameters = {
        "pemda": str(data.pemda.path.resolve()), "period": period,
        "data_dir": str(Path(data_dir).resolve()) if data_dir else "",
        "target": float(target or 0.0), "confidence": confidence,
        "assume_done": str(Path(assume_done).resolve()) if assume_done else "", "prepared": "",
    }  # fmt: skip
    runs = []
    for name, names in NOTEBOOKS.items():
        if brief_only and name != BRIEF_NOTEBOOK:
            continue
        src = Path(notebook_dir) / name
        own = {k: parameters[k] for k in names}
        check_parameters(src, own)
        runs.append((src, own))
    ensure_kernel()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale(out_dir)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder}.tmp-{os.getpid()}-", dir=out_dir.parent))
    shared_mode(tmp)
    own_session = session is None
    session = session or KernelSession()
    # The data computed above (validation included) is handed to the kernel, so a notebook's
    # ``brief.prepare`` with the same parameters does not compute it a second time.
    fd, handed = tempfile.mkstemp(prefix="mcp-brief-", suffix=".pickle")
    os.close(fd)
    handed = Path(handed)
    key = brief.prepare_key(**{k: parameters[k] for k in NOTEBOOKS[BRIEF_NOTEBOOK] if k != "prepared"})
    try:
        brief.hand_over(data, key, handed)
        for src, own in runs:
            km = session.prepare()
            _execute(src, tmp / src.name, {**own, "prepared": str(handed)}, tmp, km)
        month = brief.text.month(data.snapshot.date)
        brief.render_html(
            tmp / BRIEF_NOTEBOOK, tmp / "brief.html", generated, f"Brief MCP {data.pemda.name}: {month}"
        )
        brief.write_action_workbook(data, tmp / "rencana-aksi.xlsx")
        _move_into_place(tmp, out_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        handed.unlink(missing_ok=True)
        if own_session:
            session.close()
    return BriefResult(
        out_dir=out_dir, html=out_dir / "brief.html", workbook=out_dir / "rencana-aksi.xlsx",
        notebooks=tuple(out_dir / src.name for src, _ in runs), seconds=time.perf_counter() - started,
        summary=brief.overview_row(data),
    )  # fmt: skip


def _remove_stale(out_dir: Path) -> None:
    """Remove temporary folders of this month left by runs that were killed (``kill -9``, power
    cut): their names carry the process id, and only those of dead processes are removed."""
    for stale in out_dir.parent.glob(f".{out_dir.name}.tmp-*"):
        pid = stale.name.removeprefix(f".{out_dir.name}.tmp-").split("-")[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _move_into_place(tmp: Path, out_dir: Path) -> None:
    """Put the complete new month ``tmp`` in place of ``out_dir`` with renames only (same file
    system, so each step is atomic).

    A month being replaced (``--force``) is first renamed ``<period>.bak-<timestamp>`` and
    removed only once the new one is in place: at every moment either the old or the new month
    is on disk, complete, under a name the analyst recognises.
    """
    old = keep_backup(out_dir)
    try:
        tmp.rename(out_dir)
    except OSError:
        if old is not None:
            old.rename(out_dir)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


# --- many pemda ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchJob:
    """One pemda's brief in a batch (plain values, so any executor can ship it)."""

    pemda: str
    period: str
    data_dir: str | None
    out_root: str
    target: float | None = None
    confidence: float = 0.8
    force: bool = False
    restart_every: int = 50
    brief_only: bool = False


@dataclass(frozen=True)
class BatchOutcome:
    """What happened to one job: the brief's summary row, or the error in words."""

    pemda: str
    ok: bool
    seconds: float
    out_dir: str | None = None
    summary: dict | None = None
    error: str | None = None


def _ignore_interrupt() -> None:
    """Worker initializer: Ctrl-C is for the parent, which stops handing out work; a worker
    finishes the brief it is writing, so no month is left half-done."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


_SESSION: KernelSession | None = None
"""This worker process's warm kernel, created on its first job (works in any executor)."""


def run_job(job: BatchJob) -> BatchOutcome:
    """Run one batch job in this process's warm kernel; never raises for a pemda's own problem."""
    global _SESSION
    if _SESSION is None:
        _SESSION = KernelSession(job.restart_every)
        atexit.register(_SESSION.close)
    started = time.perf_counter()
    try:
        r = run_brief(
            job.pemda, job.period, data_dir=job.data_dir, out_root=Path(job.out_root), target=job.target,
            confidence=job.confidence, force=job.force, session=_SESSION, brief_only=job.brief_only,
        )  # fmt: skip
    except (InputError, BriefFailed) as exc:
        _SESSION.brief_done(ok=False)
        return BatchOutcome(job.pemda, False, time.perf_counter() - started, error=str(exc))
    except Exception as exc:
        _SESSION.brief_done(ok=False)
        return BatchOutcome(
            job.pemda, False, time.perf_counter() - started, error=f"{type(exc).__name__}: {exc}"
        )
    _SESSION.brief_done(ok=True)
    return BatchOutcome(job.pemda, True, r.seconds, out_dir=str(r.out_dir), summary=r.summary)


@dataclass(frozen=True)
class BatchReport:
    outcomes: tuple[BatchOutcome, ...]
    seconds: float
    interrupted: bool = False

    @property
    def failed(self) -> list[BatchOutcome]:
        return [o for o in self.outcomes if not o.ok]

    @property
    def succeeded(self) -> list[BatchOutcome]:
        return [o for o in self.outcomes if o.ok]


def run_batch(
    jobs: list[BatchJob],
    *,
    workers: int = 2,
    executor: Executor | None = None,
    progress: bool = True,
) -> BatchReport:
    """Produce every job's brief in parallel, keeping going past failures.

    Parameters
    ----------
    workers
        Worker processes when no ``executor`` is given; each keeps one warm kernel.
    executor
        Any :class:`concurrent.futures.Executor`, e.g. ``distributed.Client(...).get_executor()``
        to spread the briefs over several machines that share the data and output folders.

    Ctrl-C cancels the jobs not started and waits for the briefs being written to finish (each is
    written to a temporary folder and moved into place, so no month is ever half-written).
    """
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    started = time.perf_counter()
    own = executor is None
    if own:
        executor = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_ignore_interrupt,
        )
    outcomes: list[BatchOutcome] = []
    interrupted = False
    columns = (
        TextColumn("[bold]Brief[/bold]"), BarColumn(), MofNCompleteColumn(),
        TextColumn("gagal {task.fields[failed]}, sisa {task.fields[left]}"), TimeElapsedColumn(),
        TextColumn("perkiraan sisa"), TimeRemainingColumn(),
    )  # fmt: skip
    with Progress(*columns, disable=not progress, transient=False) as bar:
        task = bar.add_task("batch", total=len(jobs), failed=0, left=len(jobs))
        futures = {executor.submit(run_job, job): job for job in jobs}
        seen: set = set()
        try:
            for future in as_completed(futures):
                try:
                    outcome = future.result()
                except Exception as exc:
                    outcome = BatchOutcome(
                        futures[future].pemda, False, 0.0, error=f"{type(exc).__name__}: {exc}"
                    )
                outcomes.append(outcome)
                seen.add(future)
                failed = sum(not o.ok for o in outcomes)
                bar.update(task, advance=1, failed=failed, left=len(jobs) - len(outcomes))
        except KeyboardInterrupt:
            interrupted = True
            for future in futures:
                future.cancel()
            bar.console.print("Dihentikan: menunggu brief yang sedang ditulis selesai ...")
            for future in futures:
                if future not in seen and not future.cancelled():
                    with contextlib.suppress(Exception):
                        outcomes.append(future.result())
        finally:
            if own:
                executor.shutdown(wait=True, cancel_futures=True)
    order = {job.pemda: i for i, job in enumerate(jobs)}
    outcomes.sort(key=lambda o: order.get(o.pemda, 0))
    return BatchReport(tuple(outcomes), time.perf_counter() - started, interrupted)
