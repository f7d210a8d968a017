"""The Jupyter kernel and running a notebook in it (mcp_lib.run.kernel)."""

import pytest
from conftest import TINY

from mcp_lib.brief.request import BriefRequest
from mcp_lib.errors import InputError
from mcp_lib.run.kernel import check_parameters
from mcp_lib.run.runner import NOTEBOOK_DIR, NOTEBOOKS, notebook_parameters, run_brief

REQ = BriefRequest("kota-contoh", "2023-10", data_dir=TINY)


def test_unknown_parameter_is_an_error_not_a_warning():
    with pytest.raises(InputError, match="parameter tidak dikenal: periode"):
        check_parameters(NOTEBOOK_DIR / "03_brief.ipynb", {"pemda": "x", "periode": "2023-10"})


def test_each_notebook_declares_exactly_the_request_fields_its_step_uses():
    """The runner gives each notebook the request's fields its step uses (step 1 has no
    confidence) and run_dir; a notebook that declares one more, or one fewer, is refused."""
    for name in NOTEBOOKS:
        check_parameters(NOTEBOOK_DIR / name, notebook_parameters(name, REQ), exact=True)
    assert "confidence" not in notebook_parameters("01_capaian.ipynb", REQ)
    assert set(notebook_parameters("03_brief.ipynb", REQ)) == set(notebook_parameters("02_simulasi.ipynb", REQ))
    with pytest.raises(InputError, match="parameter tidak diisi: confidence"):
        check_parameters(NOTEBOOK_DIR / "02_simulasi.ipynb", notebook_parameters("01_capaian.ipynb", REQ), exact=True)


@pytest.mark.slow
@pytest.mark.skipif(not __import__("os").path.isdir("/proc/self/fd"), reason="needs /proc (Linux)")
def test_a_warm_kernel_leaks_no_file_descriptors_and_keeps_no_history(tmp_path, monkeypatch):
    """papermill leaves the client of a kernel it did not start open (10 descriptors a notebook),
    and jupyter_core leaves the event loop of each thread that drives a kernel (3 a thread; the
    runner drives the kernel from a thread per brief): a batch worker would hit the open-files
    limit after ~100 briefs. Ours are closed, in a batch's briefs and in full ones. Nor do the
    briefs' cells go into the user's IPython history (``IPYTHONDIR``)."""
    import os

    from mcp_lib.run.kernel import KernelSession

    ipython_dir = tmp_path / "ipython"
    monkeypatch.setenv("IPYTHONDIR", str(ipython_dir))
    session = KernelSession()
    counts = []
    try:
        for i in range(6):
            run_brief(
                REQ,
                out_root=tmp_path,
                brief_only=i < 4,
                force=True,
                session=session,
            )
            counts.append(len(os.listdir("/proc/self/fd")))
    finally:
        session.close()
    assert counts[-1] == counts[3] == counts[1], counts
    assert not list(ipython_dir.rglob("history.sqlite"))


@pytest.mark.slow
def test_ready_means_the_kernel_answered_and_iopub_carries_the_next_request():
    """The session's clients end wait_for_ready on the kernel's own answer (its kernel_info reply and
    the idle status for it), without jupyter_client's fixed 0.2 s IOPub flush. Nothing is lost:
    the next request's output arrives on IOPub with that request as its parent."""
    from queue import Empty

    from mcp_lib.run.kernel import KernelSession, ready_by_reply_client

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


@pytest.mark.slow
def test_stopping_the_kernel_sends_no_interrupt_and_ends_it(monkeypatch):
    """KernelManager.shutdown_kernel sends SIGINT before it kills, and a kernel caught between two
    messages then prints 'KeyboardInterrupt caught in kernel' on the batch's terminal. The session
    asks the kernel to shut down instead: no SIGINT, and the kernel process has ended."""
    import signal

    from mcp_lib.run.kernel import KernelSession

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


def test_a_launched_kernel_boots_with_the_notebooks_imports_and_a_booting_one_stops_quickly():
    """``launch`` returns before the kernel is up (``mcp brief`` computes meanwhile); the kernel
    imports the notebooks' modules as it boots (:attr:`KernelSession.PRELOAD`), so the first
    notebook does not. A kernel stopped while booting (bad input found meanwhile) ends within a second or two,
    not after the 2 s grace period of each shutdown stage."""
    import time

    from mcp_lib.run.kernel import KernelSession

    session = KernelSession()
    started = time.monotonic()
    session.launch()
    try:
        assert time.monotonic() - started < 5 and session.km.is_alive()
        session.prepare()
        # Asked on the shell channel (the answer is in the reply): output on IOPub can be
        # published before a new client's subscription is connected and be lost under load.
        client = session.km.client()
        client.start_channels(iopub=False, stdin=False, hb=False, control=False)
        try:
            msg_id = client.execute(
                "import sys", silent=True, user_expressions={"x": "'mcp_lib.brief.plan_sections' in sys.modules"}
            )
            reply = client.get_shell_msg(timeout=30)
            assert reply["parent_header"]["msg_id"] == msg_id and reply["content"]["status"] == "ok"
            assert reply["content"]["user_expressions"]["x"]["data"]["text/plain"] == "True"
        finally:
            client.stop_channels()
    finally:
        session.close()
    session.launch()
    process = session.km.provisioner.process
    started = time.monotonic()
    session.close()
    assert process.poll() is not None and time.monotonic() - started < 2.0


def test_a_notebook_of_a_run_never_starts_a_stopped_kernel_again():
    """The runner launches its kernel once; a notebook's turn on a kernel closed meanwhile (the run
    failed) is a BriefFailed, not a new kernel left running."""
    from mcp_lib.run.kernel import BriefFailed, KernelSession

    session = KernelSession()
    with pytest.raises(BriefFailed, match="kernel tidak berjalan"):
        session.prepare(relaunch=False)
    assert session.km is None
