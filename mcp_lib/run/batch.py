"""Many pemda in one batch: one warm kernel per worker process, any executor, keep going past failures."""

from __future__ import annotations

import atexit
import contextlib
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from mcp_lib.brief.request import BriefRequest
from mcp_lib.errors import InputError
from mcp_lib.files import unwritable_message
from mcp_lib.run.kernel import BriefFailed, KernelSession
from mcp_lib.run.runner import run_brief

__all__ = ["BatchJob", "BatchOutcome", "BatchReport", "close_sessions", "run_batch", "run_job"]


@dataclass(frozen=True)
class BatchJob:
    """One pemda's brief in a batch (plain values, so any executor can ship it)."""

    request: BriefRequest
    out_root: str
    force: bool = False
    restart_every: int = 50
    brief_only: bool = False
    pdf: bool = False
    stop_event: str | None = None  # a dask cluster's stop event (mcp_lib.run.cluster): not started once set


@dataclass(frozen=True)
class BatchOutcome:
    """What happened to one job: the brief's summary row, or the error in words."""

    pemda: str
    ok: bool
    seconds: float
    out_dir: str | None = None
    summary: dict | None = None
    error: str | None = None
    notice: str | None = None  # e.g. why the PDF asked for was not made
    started: bool = True  # False: the batch was stopped before this job began (nothing written)


def _ignore_interrupt() -> None:
    """Worker initializer: Ctrl-C is for the parent, which stops handing out work; a worker
    finishes the brief it is writing, so no month is left half-done."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


_LOCAL = threading.local()
_SESSIONS: list[KernelSession] = []
_SESSIONS_LOCK = threading.Lock()


def _session(restart_every: int) -> KernelSession:
    """This thread's warm kernel, created on its first job: one per worker process of the built-in
    pool, one per worker thread of a dask worker (threads never share a kernel)."""
    session: KernelSession | None = getattr(_LOCAL, "session", None)
    if session is None:
        session = _LOCAL.session = KernelSession(restart_every)
        with _SESSIONS_LOCK:
            if not _SESSIONS:
                atexit.register(close_sessions)
            _SESSIONS.append(session)
    return session


def close_sessions() -> None:
    """Stop every warm kernel of this process (at exit, or when a dask worker closes)."""
    with _SESSIONS_LOCK:
        sessions = list(_SESSIONS)
    for session in sessions:
        with contextlib.suppress(Exception):
            session.close()


def run_job(job: BatchJob) -> BatchOutcome:
    """Run one batch job in this thread's warm kernel; never raises for a pemda's own problem."""
    if job.stop_event is not None:
        from distributed import Event  # only a dask cluster's jobs carry an event

        if Event(job.stop_event).is_set():
            return BatchOutcome(job.request.pemda, False, 0.0, error="dihentikan sebelum mulai", started=False)
    session = _session(job.restart_every)
    started = time.perf_counter()
    try:
        r = run_brief(
            job.request,
            out_root=Path(job.out_root),
            force=job.force,
            session=session,
            brief_only=job.brief_only,
            pdf=job.pdf,
        )
    except InputError as exc:  # refused before any notebook ran: the kernel needs no restart
        session.brief_done(ok=True)
        return BatchOutcome(job.request.pemda, False, time.perf_counter() - started, error=str(exc))
    except BriefFailed as exc:
        session.brief_done(ok=False)
        return BatchOutcome(job.request.pemda, False, time.perf_counter() - started, error=str(exc))
    except OSError as exc:  # a read-only or full outputs folder, a file open in Excel: as mcp brief says it
        session.brief_done(ok=False)
        return BatchOutcome(job.request.pemda, False, time.perf_counter() - started, error=unwritable_message(exc))
    except Exception as exc:
        session.brief_done(ok=False)
        return BatchOutcome(
            job.request.pemda, False, time.perf_counter() - started, error=f"{type(exc).__name__}: {exc}"
        )
    session.brief_done(ok=True)
    return BatchOutcome(job.request.pemda, True, r.seconds, out_dir=str(r.out_dir), summary=r.summary, notice=r.notice)


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


def _stop_resource_tracker() -> None:
    """Stop multiprocessing's resource tracker, which the spawned workers started, and wait for it.

    Left alone it exits only after this process has (its pipe closes then) and lingers for up to
    ~1 s as a zombie in the command's process group, so a script waiting on ``mcp batch``'s group
    waits longer than the batch. The stdlib's own stop (private, Python 3.8+) is used when it is
    there; the tracker starts again by itself if anything needs it later.
    """
    from multiprocessing import resource_tracker

    stop = getattr(getattr(resource_tracker, "_resource_tracker", None), "_stop", None)
    if callable(stop):
        with contextlib.suppress(Exception):
            stop()


BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
"""Thread counts of the linear-algebra libraries, one per batch worker (and its kernel): the
workers already fill the cores, and OpenBLAS's own threads only contend with them (17 briefs of
the 2025 sample with 2 workers on 2 cores: 9% less CPU and wall time). When the user set any of
them, all are left as they are."""


def _one_blas_thread() -> dict[str, str | None]:
    """Set :data:`BLAS_THREADS` to 1 for the worker processes about to be spawned (they read them
    as they load numpy), unless the user set any of them (OpenBLAS reads its own before
    ``OMP_NUM_THREADS``: setting only the others would override the user's); returns what to restore."""
    before = {name: os.environ.get(name) for name in BLAS_THREADS}
    if all(value is None for value in before.values()):
        for name in BLAS_THREADS:
            os.environ[name] = "1"
    return before


def _restore_environment(before: dict[str, str | None]) -> None:
    for name, value in before.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def run_batch(
    jobs: list[BatchJob],
    *,
    workers: int = 2,
    executor: Executor | None = None,
    progress: bool = True,
    stop: Callable[[], None] | None = None,
) -> BatchReport:
    """Produce every job's brief in parallel, keeping going past failures.

    Parameters
    ----------
    workers
        Worker processes when no ``executor`` is given; each keeps one warm kernel.
    executor
        Any :class:`concurrent.futures.Executor`, e.g. ``distributed.Client(...).get_executor()``
        to spread the briefs over several machines that share the data and output folders
        (``mcp batch --scheduler``: :func:`mcp_lib.run.cluster.dask_executor`).
    stop
        Called on Ctrl-C instead of cancelling the futures, for executors that cannot tell a
        running job from a waiting one (dask): the jobs check it themselves before starting
        (:attr:`BatchJob.stop_event`) and every future is waited for.

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
    restore = _one_blas_thread() if own else {}
    if own:
        try:
            executor = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_ignore_interrupt,
            )
        except BaseException:
            _restore_environment(restore)
            raise
    outcomes: list[BatchOutcome] = []
    interrupted = False
    columns = (
        TextColumn("[bold]Brief[/bold]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("gagal {task.fields[failed]}, sisa {task.fields[left]}"),
        TimeElapsedColumn(),
        TextColumn("perkiraan sisa"),
        TimeRemainingColumn(),
    )
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
                        futures[future].request.pemda, False, 0.0, error=f"{type(exc).__name__}: {exc}"
                    )
                outcomes.append(outcome)
                seen.add(future)
                failed = sum(not o.ok for o in outcomes)
                bar.update(task, advance=1, failed=failed, left=len(jobs) - len(outcomes))
        except KeyboardInterrupt:
            interrupted = True
            if stop is not None:
                stop()
            else:
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
                _stop_resource_tracker()
                _restore_environment(restore)
    outcomes = [o for o in outcomes if o.started]
    order = {job.request.pemda: i for i, job in enumerate(jobs)}
    outcomes.sort(key=lambda o: order.get(o.pemda, 0))
    return BatchReport(tuple(outcomes), time.perf_counter() - started, interrupted)
