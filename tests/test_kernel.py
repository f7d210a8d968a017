"""The Jupyter kernel and running a notebook in it (mcp_lib.kernel)."""

import pytest
from conftest import TINY

from mcp_lib.errors import InputError
from mcp_lib.kernel import check_parameters
from mcp_lib.runner import NOTEBOOK_DIR, run_brief


def test_unknown_parameter_is_an_error_not_a_warning():
    with pytest.raises(InputError, match="parameter tidak dikenal: periode"):
        check_parameters(NOTEBOOK_DIR / "03_brief.ipynb", {"pemda": "x", "periode": "2023-10"})


@pytest.mark.skipif(not __import__("os").path.isdir("/proc/self/fd"), reason="needs /proc (Linux)")
def test_a_warm_kernel_does_not_leak_file_descriptors(tmp_path):
    """papermill leaves the client of a kernel it did not start open (10 descriptors a notebook):
    a batch worker would hit the open-files limit after ~100 briefs. Ours are closed."""
    import os

    from mcp_lib.kernel import KernelSession

    session = KernelSession()
    counts = []
    try:
        for _ in range(4):
            run_brief(
                "kota-contoh",
                "2023-10",
                data_dir=TINY,
                out_root=tmp_path,
                brief_only=True,
                force=True,
                session=session,
            )
            counts.append(len(os.listdir("/proc/self/fd")))
    finally:
        session.close()
    assert counts[-1] == counts[1], counts


def test_ready_means_the_kernel_answered_and_iopub_carries_the_next_request():
    """The session's clients end wait_for_ready on the kernel's own answer (its kernel_info reply and
    the idle status for it), without jupyter_client's fixed 0.2 s IOPub flush. Nothing is lost:
    the next request's output arrives on IOPub with that request as its parent."""
    from queue import Empty

    from mcp_lib.kernel import KernelSession, ready_by_reply_client

    session = KernelSession()
    try:
        km = session.prepare()
        for _ in range(3):  # as papermill does: a new client for each notebook
            client = km.client()
            assert isinstance(client, ready_by_reply_client())
            client.start_channels()
            try:
                client.wait_for_ready(timeout=30)
                assert client.kernel_info_reply["content"]["status"] == "ok"
                msg_id = client.execute("6 * 7")
                results = []
                while True:
                    try:
                        msg = client.get_iopub_msg(timeout=30)
                    except Empty:
                        break
                    if msg["parent_header"].get("msg_id") != msg_id:
                        continue
                    if msg["msg_type"] == "execute_result":
                        results.append(msg["content"]["data"]["text/plain"])
                    if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                        break
                assert results == ["42"]
            finally:
                client.stop_channels()
    finally:
        session.close()


def test_stopping_the_kernel_sends_no_interrupt_and_ends_it(monkeypatch):
    """KernelManager.shutdown_kernel sends SIGINT before it kills, and a kernel caught between two
    messages then prints 'KeyboardInterrupt caught in kernel' on the batch's terminal. The session
    asks the kernel to shut down instead: no SIGINT, and the kernel process has ended."""
    import signal

    from mcp_lib.kernel import KernelSession

    session = KernelSession()
    km = session.prepare()
    provisioner = km.provisioner
    sent = []
    real = provisioner.send_signal

    async def recording(signum):
        sent.append(signum)
        await real(signum)

    monkeypatch.setattr(provisioner, "send_signal", recording)
    process = provisioner.process
    session.close()
    assert signal.SIGINT not in sent
    assert process.poll() is not None and session.km is None


def test_a_warmed_up_kernel_has_the_notebooks_imports_before_the_first_notebook():
    """``mcp brief`` starts the kernel and its imports in the background while it reads the inputs;
    the first notebook then finds them imported."""
    from mcp_lib.kernel import WARM_IMPORTS, KernelSession

    assert "mcp_lib" in WARM_IMPORTS
    session = KernelSession()
    try:
        session.warm_up()
        session.prepare()
        session.run_silent("import sys; assert 'mcp_lib.brief_plan' in sys.modules", "not warm")
    finally:
        session.close()
    assert session.km is None


def test_a_warm_up_that_fails_means_a_cold_start_and_a_stop_before_any_notebook_ends_it():
    import os

    from mcp_lib.kernel import KernelSession

    session = KernelSession()
    try:
        session.warm_up("raise RuntimeError('no')")
        km = session.prepare()  # the failed warm-up is discarded: a fresh kernel
        session.run_silent("x = 1", "cold start")
        assert km.is_alive()
    finally:
        session.close()
    stopped = KernelSession()
    stopped.warm_up()
    stopped.close()  # as after bad input: waits for the start, then stops the kernel
    assert stopped.km is None
    assert not _kernels_of(os.getpid())


def _kernels_of(pid: int) -> list[str]:
    """The ipykernel processes whose parent is ``pid`` (Linux; empty elsewhere)."""
    import os

    found = []
    for child in (p for p in os.listdir("/proc") if p.isdigit()) if os.path.isdir("/proc") else []:
        try:
            with open(f"/proc/{child}/stat", "rb") as f:
                ppid = f.read().rsplit(b")", 1)[1].split()[1]
            with open(f"/proc/{child}/cmdline", "rb") as f:
                cmdline = f.read()
        except (OSError, IndexError):
            continue
        if ppid == str(pid).encode() and b"ipykernel" in cmdline:
            found.append(child)
    return found
