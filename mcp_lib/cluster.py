"""National runs on a dask.distributed cluster: ``mcp batch --scheduler tcp://HOST:8786`` or ``local:N``.

The optional ``[distributed]`` extra. Each dask worker thread keeps its own warm kernel (as a
worker process of the built-in pool does: :func:`mcp_lib.batch.run_job`); the machines share the
data and output folders, and every brief is still written to a temporary folder and moved into
place, so a worker lost midway leaves no half-written month.

Ctrl-C: dask cannot stop a task that is running, and its ``concurrent.futures`` wrapper reports
every task as not yet started, so cancelling would also drop the briefs being written. Instead the
batch sets a named :class:`distributed.Event`: a job that has not started when it is set returns at
once without writing anything (:func:`mcp_lib.batch.run_job`), and the briefs being written finish, as with the
built-in pool.
"""

from __future__ import annotations

import contextlib
import logging
import re
import signal
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

from mcp_lib.errors import InputError

__all__ = ["DaskBatch", "dask_executor", "parse_scheduler"]

INSTALL = "pip install 'mcp-workbook[distributed]' (atau: python -m mcp_lib setup, yang memasangnya)"
_LOCAL = re.compile(r"local(?::(\d+))?")
_ADDRESS = re.compile(r"(tcp|tls|ws|wss|inproc)://\S+")


def parse_scheduler(text: str) -> tuple[str, int | str]:
    """``"local:N"`` → ``("local", N)`` (a LocalCluster of N worker processes on this machine);
    ``"tcp://HOST:PORT"`` → ``("address", text)``; anything else: :class:`InputError` in words."""
    text = text.strip()
    m = _LOCAL.fullmatch(text)
    if m:
        n = int(m.group(1) or 2)
        if not 1 <= n <= 64:
            raise InputError.one("--scheduler", f"jumlah proses kerja lokal {n} di luar 1–64", expected="local:2")
        return "local", n
    if _ADDRESS.fullmatch(text):
        return "address", text
    raise InputError.one(
        "--scheduler",
        f"alamat penjadwal dask (scheduler) '{text}' tidak dikenali",
        expected="tcp://HOST:8786 (penjadwal yang sudah berjalan) atau local:N (N proses di mesin ini)",
    )


@dataclass(frozen=True)
class DaskBatch:
    """What :func:`mcp_lib.batch.run_batch` needs from a cluster: the executor, the name of the
    stop event the jobs check, a way to set it, and how many workers there are (for the message)."""

    executor: Executor
    stop_event: str
    stop: Callable[[], None]
    workers: int


def _worker_plugin() -> Any:
    """A WorkerPlugin (built here: ``distributed`` is imported only when a cluster is used) that
    makes a worker process ignore Ctrl-C from the terminal it shares with ``mcp batch`` (a local
    cluster: the batch finishes the briefs being written) and stops the worker's kernels when it
    closes."""
    from distributed.diagnostics.plugin import WorkerPlugin

    class KernelCare(WorkerPlugin):  # type: ignore[misc]
        name = "mcp-workbook-kernels"

        def setup(self, worker: Any) -> None:
            if threading.current_thread() is threading.main_thread() and hasattr(signal, "SIGINT"):
                signal.signal(signal.SIGINT, signal.SIG_IGN)

        def teardown(self, worker: Any) -> None:
            from mcp_lib.batch import close_sessions

            close_sessions()

    return KernelCare()


@contextlib.contextmanager
def dask_executor(scheduler: str) -> Iterator[DaskBatch]:
    """Connect to the scheduler at ``scheduler`` (or start a LocalCluster for ``local:N``) for one
    batch; closes the client, and the local cluster, afterwards."""
    kind, value = parse_scheduler(scheduler)
    try:
        from distributed import Client, Event, LocalCluster
    except ImportError:
        raise InputError.one(
            "--scheduler", "dask.distributed belum terpasang di lingkungan Python ini", expected=INSTALL
        ) from None
    cluster = None
    try:
        if kind == "local":
            cluster = LocalCluster(
                n_workers=int(value),
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            client = Client(cluster)
        else:
            try:
                client = Client(str(value), timeout="15s")
            except (OSError, TimeoutError) as exc:
                raise InputError.one(
                    str(value),
                    f"tidak dapat terhubung ke penjadwal dask (scheduler): {exc}",
                    expected="jalankan dulu: dask scheduler, lalu dask worker <alamat> di tiap mesin",
                ) from None
        try:
            client.register_plugin(_worker_plugin())
            name = f"mcp-batch-stop-{uuid.uuid4().hex}"
            event = Event(name, client=client)
            workers = len(client.scheduler_info(n_workers=-1).get("workers", {}))
            yield DaskBatch(client.get_executor(pure=False), name, event.set, workers)
        finally:
            client.close()
    finally:
        if cluster is not None:
            cluster.close()
