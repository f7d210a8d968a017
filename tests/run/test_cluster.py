"""National runs on dask.distributed: `mcp batch --scheduler tcp://HOST:PORT | local:N`."""

import re
import shlex
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import TINY, interrupt_after_first_brief

from mcp_lib.app.cli import main
from mcp_lib.brief.request import BriefRequest
from mcp_lib.config import REPO_ROOT
from mcp_lib.errors import InputError
from mcp_lib.run.batch import BatchJob, run_batch
from mcp_lib.run.cluster import dask_executor, parse_scheduler

_STAMP = re.compile(r"\d{1,2} \w+ \d{4} pukul \d{2}\.\d{2}(?: [A-Z+0-9:-]+)?")
"""The generation stamp (render.generation_stamp), in the footer and in the print footer's CSS:
two runs a minute apart differ only there."""


def test_scheduler_addresses():
    assert parse_scheduler("local:3") == ("local", 3)
    assert parse_scheduler("local") == ("local", 2)
    assert parse_scheduler(" tcp://10.0.0.5:8786 ") == ("address", "tcp://10.0.0.5:8786")
    for bad in ("10.0.0.5:8786", "local:0", "lokal:2", "tcp://"):
        with pytest.raises(InputError) as err:
            parse_scheduler(bad)
        assert "--scheduler" in str(err.value)


def test_without_dask_the_message_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if the extra were not installed
    with pytest.raises(InputError) as err, dask_executor("local:1"):
        pass
    assert "dask.distributed belum terpasang" in str(err.value) and "mcp-workbook[distributed]" in str(err.value)


def _pemda(tmp_path: Path, copies: int) -> Path:
    """The tiny fixture's two pemda and ``copies`` more (kota-contoh under other folder names)."""
    data = tmp_path / "data"
    shutil.copytree(TINY, data)
    for i in range(copies):
        shutil.copytree(data / "pemda" / "kota-contoh", data / "pemda" / f"kota-salinan-{i}")
    return data


def _jobs(data: Path, out: Path) -> list[BatchJob]:
    folders = sorted((data / "pemda").iterdir())
    return [BatchJob(BriefRequest(str(f), "2023-10", data_dir=data), str(out), brief_only=True) for f in folders]


def _same_briefs(a: Path, b: Path) -> int:
    """Every month written under ``a`` is under ``b`` with the same brief (apart from the generation
    stamp) and the same steps' results; returns how many."""
    months = sorted(p.relative_to(a) for p in a.glob("*/2023-10"))
    assert months == sorted(p.relative_to(b) for p in b.glob("*/2023-10"))
    for month in months:
        pages = [_STAMP.sub("", (root / month / "brief.html").read_text(encoding="utf-8")) for root in (a, b)]
        assert pages[0] == pages[1], month
        for step in ("capaian/capaian.json", "simulasi/simulasi.json"):
            texts = [(root / month / step).read_text(encoding="utf-8") for root in (a, b)]
            assert texts[0].replace(str(a), "") == texts[1].replace(str(b), ""), (month, step)
    return len(months)


@pytest.mark.slow
def test_a_local_cluster_writes_the_same_briefs_as_the_built_in_pool(tmp_path, warm_kernel):
    """Four pemda on a LocalCluster(processes=True, n_workers=2), as `--scheduler local:2` makes it,
    against the same jobs run here on a warm kernel, as a worker of the built-in pool runs them
    (test_batch: a warm kernel's brief is byte for byte a fresh one's): the same briefs."""
    from mcp_lib.run.runner import run_brief

    data = _pemda(tmp_path, 2)
    reference = [
        run_brief(j.request, out_root=Path(j.out_root), brief_only=True, session=warm_kernel).summary
        for j in _jobs(data, tmp_path / "pool")
    ]
    with dask_executor("local:2") as cluster:
        assert cluster.workers == 2
        jobs = [j.__class__(**{**j.__dict__, "stop_event": cluster.stop_event}) for j in _jobs(data, tmp_path / "dask")]
        on_dask = run_batch(jobs, executor=cluster.executor, stop=cluster.stop, progress=False)
    assert not on_dask.failed
    assert [o.summary for o in on_dask.outcomes] == reference
    assert _same_briefs(tmp_path / "pool", tmp_path / "dask") == 4


def _readme_cluster_commands() -> list[str]:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    block = readme[readme.index("### A national run on several machines (dask)") :]
    block = block[block.index("```bash") + 7 : block.index("```", block.index("```bash") + 7)]
    return [line.split("  #")[0].strip() for line in block.strip().splitlines()]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_the_readme_cluster_commands_run_a_batch_and_ctrl_c_keeps_months_whole(tmp_path):
    """The README's three commands, on localhost (a free port, this checkout's .venv, a copy of the
    tiny data): a scheduler, two worker processes, `mcp batch --scheduler tcp://...`. Then Ctrl-C
    in the middle of a second batch: exit 130, the briefs being written are finished, nothing else."""
    from distributed import Client

    scheduler_cmd, worker_cmd, batch_cmd = _readme_cluster_commands()
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    data = _pemda(tmp_path, 2)  # four pemda (two a worker) for the first batch, eight for Ctrl-C
    bin_dir = Path(sys.executable).parent

    def adapt(cmd: str) -> list[str]:
        cmd = cmd.replace("--host 0.0.0.0", "--host 127.0.0.1").replace("--port 8786", f"--port {port}")
        cmd = cmd.replace("tcp://SCHEDULER:8786", address).replace("/shared/data", str(data))
        cmd = cmd.replace("/shared/outputs", str(tmp_path / "out"))
        words = shlex.split(cmd)
        words[0] = str(bin_dir / Path(words[0]).name)
        return words

    batch = adapt(batch_cmd)
    i = batch.index("--province")
    batch[i : i + 2] = ["--province", "Provinsi Uji"]
    # The tiny fixture's province; the copies of kota-contoh are in it too.
    started = []
    try:
        started.append(subprocess.Popen(adapt(scheduler_cmd), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        started.append(
            subprocess.Popen(adapt(worker_cmd), cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        )
        # Both workers registered before the batch (on a busy machine the second one can come seconds
        # later); the README's command waits for them too (--wait-for-workers).
        with Client(address, timeout="120s") as client:
            client.wait_for_workers(2, timeout=120)
        done = subprocess.run(batch, cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "4 brief dibuat, 0 gagal" in done.stdout and "(2 pekerja)" in done.stdout
        assert len(list((tmp_path / "out").glob("*/2023-10/brief.html"))) == 4

        # Ctrl-C during a second batch of eight, into a new folder: four more copies, so that most
        # are not started when the first brief is in.
        for i in range(2, 6):
            shutil.copytree(data / "pemda" / "kota-contoh", data / "pemda" / f"kota-salinan-{i}")
        out2 = tmp_path / "out2"
        batch2 = [w if w != str(tmp_path / "out") else str(out2) for w in batch]
        returncode, output = interrupt_after_first_brief(batch2, out2, cwd=tmp_path)
        assert returncode == 130, output
        assert "Dihentikan" in output and "Traceback" not in output
        months = list(out2.glob("*/2023-10"))
        assert 1 <= len(months) < 8, output
        for month in months:
            assert (month / "brief.html").is_file() and (month / "rencana-aksi.xlsx").is_file()
        assert not [p for p in out2.rglob(".*") if "tmp" in p.name]
    finally:
        for proc in reversed(started):
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.mark.slow
def test_an_unreachable_scheduler_is_told_in_words(tmp_path, capsys, monkeypatch):
    from mcp_lib.run import cluster

    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", "2s")  # the product waits 15 s for a slow network
    args = ["--data-dir", str(TINY), "batch", "--pemda-glob", str(TINY / "pemda" / "*"), "--period", "2023-10"]
    assert main([*args, "--out", str(tmp_path), "--scheduler", f"tcp://127.0.0.1:{_free_port()}"]) != 0
    err = capsys.readouterr().err
    assert "tidak dapat terhubung ke penjadwal dask" in err and "Traceback" not in err
    assert not list(tmp_path.iterdir())
