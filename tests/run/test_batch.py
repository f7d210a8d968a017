"""Many pemda in one run: warm kernels, failures isolated, the provincial overview."""

import datetime as dt
import filecmp
import html
import re
import shutil
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import TINY, interrupt_after_first_brief

from mcp_lib.app.cli import main
from mcp_lib.brief.request import BriefRequest
from mcp_lib.run.batch import BatchJob, run_batch
from mcp_lib.run.kernel import KernelSession
from mcp_lib.run.runner import run_brief
from mcp_lib.sample.generate import generate_pemda_folders

# Every test here starts a Jupyter kernel, a batch or a browser: the complete check's tier.
pytestmark = pytest.mark.slow

STAMP = dt.datetime(2026, 11, 2, 8, 0, tzinfo=dt.UTC)


def _headline(path):
    return html.unescape(re.search(r'<span class="value">([^<]+)</span>', path.read_text(encoding="utf-8")).group(1))


def test_warm_kernel_brief_is_byte_identical_to_a_fresh_one(tmp_path):
    """A warm kernel's brief (after another pemda's) is byte for byte a fresh kernel's, and so are
    the brief and the action workbook of a brief-only run (what a national batch makes, and what
    the browser tests open)."""
    fresh = run_brief(
        BriefRequest("kota-contoh", "2023-10", data_dir=TINY), out_root=tmp_path / "fresh", generated=STAMP
    )
    session = KernelSession()
    try:
        run_brief(
            BriefRequest("kab-contoh", "2023-10", data_dir=TINY),
            out_root=tmp_path / "warm",
            generated=STAMP,
            session=session,
        )
        warm = run_brief(
            BriefRequest("kota-contoh", "2023-10", data_dir=TINY),
            out_root=tmp_path / "warm",
            generated=STAMP,
            session=session,
        )
        alone = run_brief(  # as a national batch makes it: 03_brief only
            BriefRequest("kota-contoh", "2023-10", data_dir=TINY),
            out_root=tmp_path / "brief-only",
            generated=STAMP,
            session=session,
            brief_only=True,
        )
    finally:
        session.close()
    assert filecmp.cmp(fresh.html, warm.html, shallow=False)
    assert filecmp.cmp(fresh.html, alone.html, shallow=False)
    assert filecmp.cmp(fresh.workbook, alone.workbook, shallow=False)


def test_province_batch_writes_every_brief_and_an_overview_that_agrees(tmp_path, capsys):
    data = tmp_path / "generated"
    folders = generate_pemda_folders("Sumatera Selatan", data)
    # Six of the province's 17 (four kabupaten, two kota; three briefs a worker, so the warm kernels
    # are reused): what is checked (every brief written, the ranking, the relative links, each
    # headline) does not depend on the count, and each brief costs ~3 s of CPU.
    keep = [f for f in folders if f.name.startswith("kab-")][:4] + [f for f in folders if f.name.startswith("kota-")][
        :2
    ]
    for folder in set(folders) - set(keep):
        shutil.rmtree(folder)
    out = tmp_path / "outputs"
    args = [
        "--data-dir",
        str(data),
        "batch",
        "--province",
        "Sumatera Selatan",
        "--period",
        "2023-10",
        "--out",
        str(out),
        "--brief-only",
    ]
    assert main(args) == 0
    briefs = sorted(out.glob("*/2023-10/brief.html"))
    assert len(briefs) == 6
    overview = out / "_provinsi" / "sumatera-selatan" / "2023-10" / "ringkasan.html"
    page = overview.read_text(encoding="utf-8")
    rows = re.findall(r'<a href="([^"]+)">([^<]+)</a></td><td>[^<]*</td><td class=num>([^<]+)</td>', page)
    assert len(rows) == 6
    scores = [float(v.rstrip("%").replace(",", ".")) for _, _, v in rows]
    assert scores == sorted(scores, reverse=True)  # ranked
    for link, name, value in rows:
        brief = (overview.parent / html.unescape(link)).resolve()
        assert brief.is_file(), link  # relative links that survive zipping outputs/
        assert _headline(brief) == html.unescape(value), name
    assert "Tata Kelola Dana Desa" in page and "<script" not in page
    assert "6 brief dibuat, 0 gagal" in capsys.readouterr().out


def _batch_args(data, out, *extra: str) -> list[str]:
    """``mcp batch`` over every pemda of ``data`` for 2023-10 into ``out``."""
    glob = str(data / "pemda" / "*")
    return ["--data-dir", str(data), "batch", "--pemda-glob", glob, "--period", "2023-10", "--out", str(out), *extra]


def test_a_corrupt_pemda_fails_alone(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(TINY, data)
    bad = data / "pemda" / "kab-contoh" / "status" / "2023-10-31.csv"
    bad.write_text(bad.read_text().replace("A.1.1.D2,Bappeda,diunggah", "A.1.1.D2,Bappeda,beres", 1), encoding="utf-8")
    out = tmp_path / "outputs"
    # One worker: kab-contoh fails on it, then kota-contoh's brief is made by the same worker and
    # kernel (a second worker process and kernel would cost ~5 s of CPU and isolate less).
    assert main(_batch_args(data, out, "--workers", "1")) == 1
    err = capsys.readouterr().err
    assert "kab-contoh: " in err and "2023-10-31.csv, baris 3, kolom 'status'" in err and "beres" in err
    assert (out / "kota-contoh" / "2023-10" / "brief.html").is_file()
    assert not (out / "kab-contoh" / "2023-10").exists()
    page = (out / "_provinsi" / "provinsi-uji" / "2023-10" / "ringkasan.html").read_text(encoding="utf-8")
    assert "Kota Contoh" in page and "kab-contoh" in page and "baris 3" in page


BRIEF_ONLY_MONTH = ["03_brief.ipynb", "brief.html", "capaian", "rencana-aksi.xlsx", "simulasi"]
"""What a month of a brief-only batch holds: the brief notebook, its page and workbook, the steps'
results it read."""


def test_any_executor_will_do(tmp_path):
    job = BatchJob(BriefRequest("kota-contoh", "2023-10", data_dir=TINY), str(tmp_path), brief_only=True)
    with ThreadPoolExecutor(max_workers=1) as pool:
        report = run_batch([job], executor=pool, progress=False)
    (outcome,) = report.outcomes
    assert outcome.ok and outcome.summary["verified"] == pytest.approx(34.625)
    month = tmp_path / "kota-contoh" / "2023-10"
    # only 03_brief ran: the scenarios, which only 02_simulasi shows, were never planned
    assert sorted(p.name for p in month.iterdir()) == BRIEF_ONLY_MONTH


def test_ctrl_c_stops_cleanly_without_half_written_months(tmp_path):
    import sys

    data = tmp_path / "data"
    shutil.copytree(TINY, data)
    for i in range(4):
        shutil.copytree(data / "pemda" / "kota-contoh", data / "pemda" / f"kota-salinan-{i}")
    out = tmp_path / "outputs"
    cmd = [sys.executable, "-m", "mcp_lib", *_batch_args(data, out, "--workers", "1", "--brief-only")]
    returncode, output = interrupt_after_first_brief(cmd, out)
    assert returncode == 130, output
    assert "Dihentikan" in output and "Traceback" not in output
    months = list(out.glob("*/2023-10"))
    assert 1 <= len(months) < 6
    for month in months:  # complete: the brief notebook, its page and workbook, the steps' results it read
        assert sorted(p.name for p in month.iterdir()) == BRIEF_ONLY_MONTH
        assert (month / "capaian" / "capaian.json").is_file() and (month / "simulasi" / "simulasi.json").is_file()
    assert not [p for p in out.rglob(".*") if "tmp" in p.name]


@pytest.mark.skipif(not __import__("os").path.isdir("/proc/self"), reason="reads /proc (Linux)")
def test_nothing_of_the_batch_outlives_the_command(tmp_path):
    """When mcp batch exits, its workers, their kernels and multiprocessing's resource tracker are
    gone: nothing is left in its process group or session (the tracker used to linger ~1 s)."""
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-m", "mcp_lib", *_batch_args(TINY, tmp_path / "out", "--workers", "2", "--brief-only")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    assert proc.wait(timeout=300) == 0

    def left() -> list[str]:
        found = []
        for stat in __import__("pathlib").Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if proc.pid in (int(fields[2]), int(fields[3])):  # process group, session
                found.append(stat.parent.name)
        return found

    assert left() == []


def test_a_batch_gives_its_workers_one_blas_thread_and_puts_the_environment_back(monkeypatch):
    """The worker processes (and their kernels) inherit one thread per linear-algebra library,
    unless the user set a count; the command's own environment is as before afterwards."""
    import os

    from mcp_lib.run import batch

    seen: dict = {}

    class Recording(ThreadPoolExecutor):
        def __init__(self, max_workers, mp_context=None, initializer=None):
            super().__init__(max_workers=max_workers)

        def submit(self, fn, *args, **kwargs):
            seen.update({name: os.environ.get(name) for name in batch.BLAS_THREADS})
            return super().submit(lambda: batch.BatchOutcome("kota-contoh", True, 0.0))

    monkeypatch.setattr(batch, "ProcessPoolExecutor", Recording)
    for name in batch.BLAS_THREADS:
        monkeypatch.delenv(name, raising=False)
    job = BatchJob(BriefRequest("kota-contoh", "2023-10", data_dir=TINY), "unused")
    assert run_batch([job], progress=False).outcomes[0].ok
    assert seen == dict.fromkeys(batch.BLAS_THREADS, "1")
    assert not any(name in os.environ for name in batch.BLAS_THREADS)
    # a count the user set (any of them) leaves all three as they are
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    run_batch([job], progress=False)
    assert seen == {"OPENBLAS_NUM_THREADS": None, "OMP_NUM_THREADS": "3", "MKL_NUM_THREADS": None}
    assert os.environ["OMP_NUM_THREADS"] == "3" and "OPENBLAS_NUM_THREADS" not in os.environ
