"""The Jupyter kernel the notebooks run in, and running one notebook in it with papermill.

:func:`ensure_kernel` registers this interpreter's kernel; :class:`KernelSession` keeps one
kernel warm across notebooks and briefs (a batch worker); :func:`execute_notebook` runs one
notebook with its parameters and turns a failing cell into :class:`BriefFailed`, in words.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from queue import Empty
from typing import Any

from mcp_lib.config import REPO_ROOT
from mcp_lib.errors import InputError, Problem

__all__ = [
    "KERNEL_NAME",
    "BriefFailed",
    "KernelSession",
    "check_parameters",
    "ensure_kernel",
    "execute_notebook",
    "ready_by_reply_client",
]

KERNEL_NAME = "mcp-workbook"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class BriefFailed(Exception):
    """A notebook cell failed while producing the brief; the message names notebook and cell.
    ``notebook`` is the executed notebook with the error in its outputs, when papermill wrote it."""

    def __init__(self, message: str, notebook: Path | None = None) -> None:
        super().__init__(message)
        self.notebook = notebook


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


def check_parameters(notebook: Path, parameters: Iterable[str], *, exact: bool = False) -> None:
    """Fail when a parameter is not declared in the notebook's ``parameters`` cell (papermill
    itself only warns); ``exact``: also when the cell declares one that is not given (a notebook
    of the brief takes exactly the request's fields its step uses)."""
    import papermill as pm

    declared = set(pm.inspect_notebook(str(notebook)))
    given = set(parameters)
    problems = [
        Problem(
            str(notebook),
            f"parameter tidak dikenal: {name}",
            expected="salah satu dari: " + ", ".join(sorted(declared)),
        )
        for name in sorted(given - declared)
    ]
    if exact:
        problems += [
            Problem(str(notebook), f"parameter tidak diisi: {name}", expected="hanya: " + ", ".join(sorted(given)))
            for name in sorted(declared - given)
        ]
    if problems:
        raise InputError(problems)


@functools.cache
def ready_by_reply_client() -> type:
    """A blocking kernel client whose ``wait_for_ready`` ends when the kernel has answered.

    jupyter_client's ``wait_for_ready`` (8.x) sends ``kernel_info``, takes the reply, checks that
    IOPub is connected, and then always listens to IOPub until it has been silent for 0.2 s: a
    fixed 0.2 s per notebook, even on a warm kernel (papermill makes a client per notebook). Here
    readiness is confirmed by the kernel's own answer instead: the ``kernel_info`` reply on the
    shell channel, then the kernel's ``idle`` status *for that request* on IOPub (which also shows
    IOPub is connected; if it does not come, the request is sent again, as upstream does). Any
    IOPub message still queued belongs to an earlier request, and nbclient ignores messages whose
    parent is not the cell it runs.
    """
    from jupyter_client.blocking import BlockingKernelClient
    from jupyter_client.channels import ZMQSocketChannel
    from jupyter_core.utils import ensure_async, run_sync
    from traitlets import Type

    class WatchedChannel(ZMQSocketChannel):
        """A channel whose wait without a timeout ends when the kernel has: nbclient waits for
        a cell's reply and output with ``get_msg(timeout=None)``, which on this blocking client
        blocks its event loop, so its own check that the kernel lives never ran, and a kernel
        stopped mid-cell (the run failed meanwhile: :meth:`KernelSession.close`) left the
        notebook's thread waiting for ever."""

        alive: Any = None  # the client's is_alive, set when the client makes the channel

        def get_msg(self, timeout: float | None = None) -> dict[str, Any]:
            if timeout is not None or self.alive is None:
                return super().get_msg(timeout)
            while True:
                try:
                    return super().get_msg(1.0)
                except Empty:
                    if not self.alive():
                        from nbclient.exceptions import DeadKernelError

                        raise DeadKernelError("kernel berhenti saat notebook berjalan") from None

    class ReadyByReplyClient(BlockingKernelClient):
        kernel_info_reply: dict | None = None  # the reply that confirmed readiness
        shell_channel_class = Type(WatchedChannel)
        iopub_channel_class = Type(WatchedChannel)

        @property
        def shell_channel(self) -> Any:
            channel = BlockingKernelClient.shell_channel.fget(self)
            channel.alive = self.is_alive
            return channel

        @property
        def iopub_channel(self) -> Any:
            channel = BlockingKernelClient.iopub_channel.fget(self)
            channel.alive = self.is_alive
            return channel

        async def _async_wait_for_ready(self, timeout: float | None = None) -> None:
            deadline = time.monotonic() + (60.0 if timeout is None else timeout)
            sent: set[str] = set()
            while True:
                sent.add(self.kernel_info())
                now = time.monotonic()
                reply = await _first(self.shell_channel, sent, min(deadline, now + 1.0), "kernel_info_reply")
                idle = reply and await _first(self.iopub_channel, sent, min(deadline, now + 1.5), "status", "idle")
                if reply is not None and idle:
                    self._handle_kernel_info_reply(reply)
                    self.kernel_info_reply = reply
                    return
                if not await ensure_async(self.is_alive()):
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")

        wait_for_ready = run_sync(_async_wait_for_ready)

    return ReadyByReplyClient


async def _first(channel: object, sent: set[str], until: float, msg_type: str, state: str = "") -> dict | None:
    """The first message of ``msg_type`` (a ``status`` with ``execution_state`` ``state``)
    answering one of ``sent`` on ``channel`` before the monotonic time ``until``; else ``None``."""
    from jupyter_core.utils import ensure_async

    while (left := until - time.monotonic()) > 0:
        try:
            msg = await ensure_async(channel.get_msg(timeout=left))  # type: ignore[attr-defined]
        except Empty:
            return None
        if (
            msg["msg_type"] == msg_type
            and msg["parent_header"].get("msg_id") in sent
            and (not state or msg["content"].get("execution_state") == state)
        ):
            return dict(msg)
    return None


class KernelSession:
    """One warm kernel reused across briefs in this process (a batch worker).

    The kernel keeps its imported modules (pandas, scipy, ...) between notebooks, which is where
    most of a notebook's start-up time goes; the user namespace is reset before every notebook.
    The kernel is restarted every ``restart_every`` briefs and after any failure.
    """

    # ``%reset -f`` empties the user namespace (and collects garbage); ``gc.freeze`` then moves
    # what survives (imported modules) out of the collector's sight, so the next reset's
    # collection no longer walks pandas' and the package's objects (~0.3 s a notebook otherwise).
    RESET = "get_ipython().run_line_magic('reset', '-f'); __import__('gc').freeze()"

    PRELOAD = (
        "import mcp_lib.brief.sections, mcp_lib.brief.plan_sections, mcp_lib.brief.charts, mcp_lib.brief.steps; "
        "mcp_lib.brief.charts.warm_up()"
    )
    """Run by a new kernel as it starts (IPython's ``exec_lines``), before it answers: the
    notebooks' imports (pandas, scipy, the package; ~0.7 s of CPU) and vl-convert's engine start
    (~1 s) are done while the kernel boots on the other core, not in the first notebook."""

    NO_HISTORY = ("--HistoryManager.enabled=False",)
    """The brief's kernels keep no IPython history: every cell of every brief went into the
    user's ``~/.ipython`` history database (a national batch: some 11,000 entries, written by
    both workers' kernels to the same SQLite file). The kernel an analyst opens in JupyterLab
    keeps its history."""

    def __init__(self, restart_every: int = 50) -> None:
        self.restart_every = restart_every
        self.briefs = 0
        self.km = None
        self._booting = False

    def launch(self) -> None:
        """Start a kernel process unless one is running, without waiting for it: it boots (and
        imports :attr:`PRELOAD`) while this process goes on; :meth:`prepare` waits for it."""
        from jupyter_client.manager import KernelManager

        if self.km is not None and self.km.is_alive():
            return
        self.restart()
        ensure_kernel()
        km = KernelManager(kernel_name=KERNEL_NAME)
        km.client_factory = ready_by_reply_client()  # every client of it: papermill's too
        km.start_kernel(
            cwd=str(REPO_ROOT), extra_arguments=[f"--IPKernelApp.exec_lines={self.PRELOAD}", *self.NO_HISTORY]
        )
        self.km, self._booting = km, True

    def _wait_until_ready(self) -> None:
        client = self.km.client()
        client.start_channels(hb=False)
        try:
            client.wait_for_ready(timeout=60)
        finally:
            client.stop_channels()
        self._booting = False

    def prepare(self, cwd: Path | None = None, *, relaunch: bool = True) -> object:
        """The kernel manager for the next notebook: started (or, when :meth:`launch` started
        it, booted), with a clean user namespace, and working in ``cwd`` (the run's folder, so a
        notebook's relative paths mean the same there as beside the executed notebook later).
        ``relaunch`` off: a kernel that is not running (closed while a run failed, or dead) is a
        :class:`BriefFailed`, not started again (the brief's runner launched it at its start)."""
        if self.km is None or not self.km.is_alive():
            if not relaunch:
                raise BriefFailed("kernel tidak berjalan (dihentikan atau mati)")
            self.launch()
        if self._booting:
            self._wait_until_ready()
        # The folder first: the kernel may still sit in a run's folder that is gone (a failed
        # run's temporary folder, a month replaced since), where even the reset would fail.
        code = self.RESET if cwd is None else f"__import__('os').chdir({str(cwd)!r}); {self.RESET}"
        self.run_silent(code, "kernel tidak dapat direset")
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
        """Stop the kernel (the next :meth:`prepare` starts a new one): a shutdown request on the
        control channel, then SIGTERM and SIGKILL if it has not exited within 2 s.

        Not ``KernelManager.shutdown_kernel``: it interrupts the kernel first (SIGINT), and a kernel
        interrupted between two messages logs "KeyboardInterrupt caught in kernel" to the
        terminal of the batch (the intermittent message seen at the end of batch runs).
        """
        booting, self._booting = self._booting, False
        if self.km is not None:
            km, self.km = self.km, None
            try:
                km.request_shutdown()
                # A kernel still booting (bad input found meanwhile) answers only once booted:
                # terminated after 0.1 s instead of waiting for it.
                km.finish_shutdown(waittime=0.2 if booting else 2.0)
            finally:
                km.cleanup_resources()

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
        def execute_managed_notebook(
            cls,
            nb_man,
            kernel_name,
            log_output=False,
            stdout_file=None,
            stderr_file=None,
            start_timeout=60,
            execution_timeout=None,
            **kwargs,
        ):
            kwargs = remove_args(["input_path"], **kwargs)
            safe = remove_args(["timeout", "startup_timeout"], **kwargs)
            final = merge_kwargs(
                safe,
                timeout=execution_timeout or kwargs.get("timeout"),
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=logging.getLogger("papermill"),
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            client = PapermillNotebookClient(nb_man, **final)
            try:
                return client.execute()
            finally:
                if getattr(client, "kc", None) is not None:
                    client.kc.stop_channels()
                    client.kc = None

    papermill_engines.register(_WARM_ENGINE, WarmKernelEngine)


def execute_notebook(src: Path, dest: Path, parameters: dict, cwd: Path, km: object = None) -> None:
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    extra = {}
    if km is not None:
        _register_engine()
        extra = {"km": km, "engine_name": _WARM_ENGINE}
    try:
        pm.execute_notebook(
            str(src),
            str(dest),
            parameters=parameters,
            kernel_name=KERNEL_NAME,
            cwd=str(cwd),
            progress_bar=False,
            log_output=False,
            request_save_on_cell_execute=False,
            **extra,
        )
    except PapermillExecutionError as exc:
        detail = _ANSI.sub("", f"{exc.ename}: {exc.evalue}").strip()
        raise BriefFailed(
            f"{src.name}: sel ke-{exc.cell_index + 1} (eksekusi {exc.exec_count}) gagal: {detail}",
            dest if dest.is_file() else None,
        ) from None
