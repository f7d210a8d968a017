"""National runs on a dask.distributed cluster: ``mcp batch --scheduler tcp://HOST:8786`` or ``local:N``.

The optional ``[distributed]`` extra. Each dask worker thread keeps its own warm kernel (as a
worker process of the built-in pool does: :func:`mcp_lib.run.batch.run_job`); the machines share the
data and output folders, and every brief is still written to a temporary folder and moved into
place, so a worker lost midway leaves no half-written month. The address is checked before dask
is asked (:func:`parse_scheduler`); ``--wait-for-workers N`` waits until the N workers started on
the machines have registered (they come one by one) before the first brief.

Ctrl-C: dask cannot stop a task that is running, and its ``concurrent.futures`` wrapper reports
every task as not yet started, so cancelling would also drop the briefs being written. Instead the
batch sets a named :class:`distributed.Event`: a job that has not started when it is set returns at
once without writing anything (:func:`mcp_lib.run.batch.run_job`), and the briefs being written finish, as with the
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

__all__ = ["MAX_WORKERS", "WAIT_SECONDS", "DaskBatch", "dask_executor", "parse_scheduler"]

INSTALL = "pip install 'mcp-workbook[distributed]' (atau: python -m mcp_lib setup, yang memasangnya)"
MAX_WORKERS = 64
"""The most worker processes one machine runs for a batch (``--workers N``, ``--scheduler local:N``)."""
WAIT_SECONDS = 120.0
"""How long ``--wait-for-workers N`` waits for the N workers to register with the scheduler."""
CONNECT_TIMEOUT = "15s"
"""How long ``--scheduler tcp://...`` tries to reach a running scheduler before it says it cannot
(dask's own retries: a network across an office can be slow to answer)."""

_LOCAL = re.compile(r"local(?::(\d+))?")
_ADDRESS = re.compile(r"(?:tcp|tls|ws|wss)://(?P<rest>\S*)")
_HOST = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")
_SCHEDULER_EXAMPLE = "tcp://HOST:8786 (penjadwal yang sudah berjalan) atau local:N (N proses di mesin ini)"


def parse_scheduler(text: str) -> tuple[str, int | str]:
    """``"local:N"`` → ``("local", N)`` (a LocalCluster of N worker processes on this machine);
    ``"tcp://HOST:PORT"`` (or ``tls``, ``ws``, ``wss``; an IPv6 host in brackets, ``[::1]``) →
    ``("address", text)``; anything else: :class:`InputError` in words, before dask is asked."""
    text = text.strip()
    m = _LOCAL.fullmatch(text)
    if m:
        n = int(m.group(1) or 2)
        if not 1 <= n <= MAX_WORKERS:
            raise InputError.one(
                "--scheduler", f"jumlah proses kerja lokal {n} di luar 1–{MAX_WORKERS}", expected="local:2"
            )
        return "local", n
    m = _ADDRESS.fullmatch(text)
    if not m:
        raise InputError.one(
            "--scheduler", f"alamat penjadwal dask (scheduler) '{text}' tidak dikenali", expected=_SCHEDULER_EXAMPLE
        )
    problem = _host_port_problem(m.group("rest"))
    if problem:
        raise InputError.one(
            "--scheduler", f"alamat penjadwal dask (scheduler) '{text}': {problem}", expected="tcp://HOST:8786"
        )
    return "address", text


def _host_port_problem(rest: str) -> str | None:
    """What is wrong with the ``HOST:PORT`` of a scheduler address, in words; ``None`` when valid."""
    import ipaddress

    if rest.startswith("["):  # IPv6: [::1]:8786
        host, close, port = rest[1:].partition("]")
        if not close:
            return "kurung siku alamat IPv6 tidak ditutup (mis. tcp://[::1]:8786)"
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            return f"alamat IPv6 '[{host}]' tidak sah (mis. tcp://[::1]:8786)"
        if not port.startswith(":"):
            return "port tidak ada (tulis :PORT sesudah kurung siku, mis. tcp://[::1]:8786)"
        port = port[1:]
    else:
        host, colon, port = rest.rpartition(":")
        if not colon:
            host, port = rest, ""
        if not _HOST.fullmatch(host):
            ipv6 = " (alamat IPv6 ditulis dalam kurung siku, mis. tcp://[::1]:8786)" if ":" in host else ""
            return f"nama mesin (host) '{host}' tidak sah{ipv6}"
        if not colon:
            return "port tidak ada (mis. :8786)"
    if not port.isascii() or not port.isdigit() or not 1 <= int(port) <= 65535:
        return f"port '{port}' bukan bilangan 1–65535"
    return None


@dataclass(frozen=True)
class DaskBatch:
    """What :func:`mcp_lib.run.batch.run_batch` needs from a cluster: the executor, the name of the
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
            from mcp_lib.run.batch import close_sessions

            close_sessions()

    return KernelCare()


@contextlib.contextmanager
def dask_executor(
    scheduler: str, wait_for: int | None = None, wait_seconds: float = WAIT_SECONDS
) -> Iterator[DaskBatch]:
    """Connect to the scheduler at ``scheduler`` (or start a LocalCluster for ``local:N``) for one
    batch; closes the client, and the local cluster, afterwards.

    ``wait_for`` (``--wait-for-workers``): wait until that many workers are running before the
    batch starts, at most ``wait_seconds`` (else :class:`InputError` saying how many came): the
    workers started on the machines a moment before register one by one, and a batch started
    without them runs on the first alone until the others take work over.
    """
    kind, value = parse_scheduler(scheduler)
    if wait_for is not None and kind == "local" and wait_for > int(value):
        raise InputError.one(
            "--wait-for-workers",
            f"menunggu {wait_for} pekerja, tetapi local:{value} hanya menjalankan {value}",
            expected=f"paling banyak {value}, atau tanpa --wait-for-workers (local:N menunggu pekerjanya sendiri)",
        )
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
                client = Client(str(value), timeout=CONNECT_TIMEOUT)
            except (OSError, TimeoutError) as exc:
                raise InputError.one(
                    str(value),
                    f"tidak dapat terhubung ke penjadwal dask (scheduler): {exc}",
                    expected="jalankan dulu: dask scheduler, lalu dask worker <alamat> di tiap mesin",
                ) from None
        try:
            if wait_for:
                _wait_for_workers(client, str(value), wait_for, wait_seconds)
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


def _wait_for_workers(client: Any, address: str, n: int, seconds: float) -> None:
    """``client.wait_for_workers(n)`` for at most ``seconds``; else :class:`InputError` in words."""
    try:
        client.wait_for_workers(n, timeout=seconds)
    except TimeoutError as exc:
        came = getattr(exc, "available_workers", None)
        if came is None:
            came = len(client.scheduler_info(n_workers=-1).get("workers", {}))
        raise InputError.one(
            address,
            f"baru {came} dari {n} pekerja dask (worker) yang terhubung setelah {seconds:g} detik menunggu "
            "(--wait-for-workers)",
            expected=f"jalankan dask worker {address} di tiap mesin, atau kurangi --wait-for-workers",
        ) from None
