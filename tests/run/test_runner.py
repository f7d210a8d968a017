"""The brief end to end: papermill runs the notebooks on the tiny fixture into tmp_path."""

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import TINY

from mcp_lib.app.cli import main
from mcp_lib.brief.request import BriefRequest
from mcp_lib.errors import InputError
from mcp_lib.run.runner import NOTEBOOK_DIR, NOTEBOOKS, run_brief

# Every test here starts a Jupyter kernel, a batch or a browser: the complete check's tier.
pytestmark = pytest.mark.slow

STAMP_1 = dt.datetime(2026, 11, 2, 8, 0, tzinfo=dt.UTC)
STAMP_2 = dt.datetime(2026, 11, 3, 9, 30, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def produced(tmp_path_factory):
    out = tmp_path_factory.mktemp("outputs")
    failed = out / "kota-contoh" / "2023-10.gagal"  # an earlier run's failure, made good by this one
    failed.mkdir(parents=True)
    (failed / "01_capaian.ipynb").write_text("{}", encoding="utf-8")
    result = run_brief(BriefRequest("kota-contoh", "2023-10", data_dir=TINY), out_root=out, generated=STAMP_1)
    return out, result


def test_brief_folder_holds_html_workbook_and_executed_notebooks(produced):
    out, r = produced
    assert r.out_dir == out / "kota-contoh" / "2023-10"
    assert sorted(p.name for p in r.out_dir.iterdir()) == sorted(
        [*NOTEBOOKS, "brief.html", "rencana-aksi.xlsx", "capaian", "simulasi", "skenario-rencana"]
    )
    assert (r.out_dir / "capaian" / "capaian.json").is_file() and (r.out_dir / "simulasi" / "simulasi.json").is_file()
    assert [p.name for p in out.joinpath("kota-contoh").iterdir()] == ["2023-10"]  # no temporary folder left
    nb = json.loads((r.out_dir / "03_brief.ipynb").read_text())
    assert any("injected-parameters" in c["metadata"].get("tags", []) for c in nb["cells"])


def test_brief_html_is_offline_code_free_and_in_indonesian(produced):
    _, r = produced
    html = r.html.read_text(encoding="utf-8")
    assert '<html lang="id">' in html
    assert "<script" not in html and "<link" not in html and "@import" not in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert set(re.findall(r"https?://[^\s\"'<>)]+", html)) <= {
        "http://www.w3.org/2000/svg",
        "http://www.w3.org/1999/xlink",
    }
    assert "steps.prepare" not in html and "import " not in html  # code is hidden
    assert "Kota Contoh: Oktober 2023" in html
    assert "@media print" in html and "size: A4" in html and "max-width: 480px" in html
    assert "Dibuat 2 November 2026 pukul 08.00 UTC" in html
    assert len(html) < 400_000


def test_same_inputs_give_the_same_brief_but_the_stamp(produced, tmp_path, warm_kernel):
    _, first = produced  # made on a kernel of its own; again on a warm one: the same but the stamp
    request = BriefRequest("kota-contoh", "2023-10", data_dir=TINY)
    again = run_brief(request, out_root=tmp_path, generated=STAMP_2, session=warm_kernel)
    a = first.html.read_text(encoding="utf-8").splitlines()
    b = again.html.read_text(encoding="utf-8").splitlines()
    diff = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    # the stamp, and only it: in the footer and in every printed page's footer (the same text)
    assert [(x.count("2 November 2026 pukul"), y.count("3 November 2026 pukul")) for x, y in diff] == [(1, 1), (1, 1)]
    assert [x.replace("2 November 2026 pukul 08.00", "") for x, _ in diff] == [
        y.replace("3 November 2026 pukul 09.30", "") for _, y in diff
    ]


def test_existing_month_is_kept_without_force(produced, capsys):
    out, r = produced
    before = r.html.read_bytes()
    args = [
        "--data-dir",
        str(TINY),
        "brief",
        "--pemda",
        "kota-contoh",
        "--period",
        "2023-10",
        "--out",
        str(out),
    ]
    assert main(args) == 1
    assert "--force" in capsys.readouterr().err
    assert r.html.read_bytes() == before


def test_an_existing_month_is_refused_without_starting_a_kernel(produced, monkeypatch):
    """Without --force a month that exists is refused by step 1: no kernel is started for it (a
    national re-run skips every month already made at no cost)."""
    from mcp_lib.run.kernel import KernelSession

    out, _r = produced
    launched = []
    monkeypatch.setattr(KernelSession, "launch", lambda self: launched.append(self))
    with pytest.raises(InputError, match="sudah ada"):
        run_brief(BriefRequest("kota-contoh", "2023-10", data_dir=TINY), out_root=out)
    assert launched == []


def test_a_failing_cell_keeps_the_failed_notebook_beside_the_month_and_never_the_month(tmp_path, monkeypatch, capsys):
    """``mcp brief`` fails in words naming the notebook and cell, and where the executed notebook
    is kept with its error (``<period>.gagal/``); the month's earlier brief stays as it was."""
    from functools import partial

    from mcp_lib.run import runner

    notebooks = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOK_DIR, notebooks)
    path = notebooks / "01_capaian.ipynb"
    nb = json.loads(path.read_text())
    nb["cells"].insert(
        4,
        {
            "cell_type": "code",
            "id": "boom",
            "metadata": {},
            "execution_count": None,
            "outputs": [],
            "source": "1 / 0",
        },
    )
    path.write_text(json.dumps(nb))
    out = tmp_path / "out"
    month = out / "kota-contoh" / "2023-10"
    month.mkdir(parents=True)
    (month / "brief.html").write_text("brief yang baik", encoding="utf-8")
    monkeypatch.setattr(runner, "run_brief", partial(runner.run_brief, notebook_dir=notebooks))
    args = ["--data-dir", str(TINY), "brief", "--pemda", "kota-contoh", "--period", "2023-10", "--out", str(out)]
    assert main([*args, "--force"]) == 1
    said = capsys.readouterr().err
    kept = out / "kota-contoh" / "2023-10.gagal" / "01_capaian.ipynb"
    assert re.search(r"01_capaian\.ipynb: sel ke-\d+ .*ZeroDivisionError", said), said
    assert f"disimpan di {kept}" in " ".join(said.split()), said
    errors = [
        o for c in json.loads(kept.read_text())["cells"] for o in c.get("outputs", []) if o["output_type"] == "error"
    ]
    assert [e["ename"] for e in errors] == ["ZeroDivisionError"]
    assert [p.name for p in month.iterdir()] == ["brief.html"] and (
        month / "brief.html"
    ).read_text() == "brief yang baik"
    assert sorted(p.name for p in (out / "kota-contoh").iterdir()) == [
        "2023-10",
        "2023-10.gagal",
    ]  # no temporary folder


def test_bad_input_fails_before_any_notebook_runs(tmp_path):
    with pytest.raises(InputError, match="2023-11"):
        run_brief(BriefRequest("kota-contoh", "2023-11", data_dir=TINY), out_root=tmp_path)
    assert not any(tmp_path.iterdir())
    # Into an outputs folder that does not exist yet: the folders made for the run go again.
    with pytest.raises(InputError, match="2023-11"):
        run_brief(BriefRequest("kota-contoh", "2023-11", data_dir=TINY), out_root=tmp_path / "baru" / "keluaran")
    assert not any(tmp_path.iterdir())


def test_an_outputs_folder_that_cannot_be_written_is_said_before_a_kernel_starts(tmp_path, monkeypatch):
    """The run's folder is made before the kernel is launched: a batch into a read-only folder
    started a kernel per pemda only to fail at step 1 (here a file stands where the folder goes)."""
    from mcp_lib.run.kernel import KernelSession

    def launch(self):
        raise AssertionError("kernel dijalankan")

    monkeypatch.setattr(KernelSession, "launch", launch)
    (tmp_path / "keluaran").write_text("bukan folder", encoding="utf-8")
    with pytest.raises(OSError) as err:
        run_brief(BriefRequest("kota-contoh", "2023-10", data_dir=TINY), out_root=tmp_path / "keluaran")
    assert err.value.filename == str(tmp_path / "keluaran" / "kota-contoh" / "2023-10")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keluaran"]


def test_scenario_brief_from_an_assumptions_file(tmp_path, warm_kernel):
    scenario = tmp_path / "rabu-asumsi.csv"
    scenario.write_text("doc_code;asumsi\nB.1.1.D1;selesai\nA.1.1.D1;Ditolak\n", encoding="utf-8")
    r = run_brief(
        BriefRequest("kota-contoh", "2023-10", data_dir=TINY, assume_done=scenario),
        out_root=tmp_path / "out",
        session=warm_kernel,
    )
    assert r.out_dir.name == "2023-10-skenario-rabu-asumsi"  # never the month's own brief
    html = r.html.read_text(encoding="utf-8")
    assert "SKENARIO, bukan keadaan berkas: 1 dokumen dianggap selesai diverifikasi dan 1 dianggap ditolak" in html
    assert "49,6%" in html  # 34,625 + 26,25 − 11,25 (see test_explore)
    bad = tmp_path / "bad.csv"
    bad.write_text("doc_code,asumsi\nZ.9,selesai\nB.1.1.D1,mungkin\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        run_brief(BriefRequest("kota-contoh", "2023-10", data_dir=TINY, assume_done=bad), out_root=tmp_path / "out")
    assert {(p.row, p.column) for p in err.value.problems} == {(2, "doc_code"), (3, "asumsi")}


def _outputs_by_source(path: Path) -> dict[str, str]:
    """Each code cell's source → the HTML (or text) it displayed."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    out = {}
    for c in nb.cells:
        if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", []):
            shown = "".join(o.get("data", {}).get("text/html", "") for o in c.get("outputs", []))
            out[c.source.strip()] = shown
    return out


def _shown(markup: str) -> str:
    """What a reader sees: the words between the tags (nbconvert re-serialises markup)."""
    import html as html_lib

    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


STEPS_READ = ("capaian", "capaian", "simulasi", "skenario-rencana", "capaian", "simulasi")
"""The steps' files 01, 02 and 03 read, in order."""

OPTIONS = {
    "sample, no options": {"pemda": "kota-lubuklinggau", "period": "2023-10"},
    "every option": {
        "pemda": "kota-contoh",
        "period": "2023-10",
        "data_dir": TINY,
        "target": 55,
        "confidence": 0.6,
        "assume_done": "uji-asumsi.csv",
    },
    "2025 framework": {"pemda": "kab-musi-rawas", "period": "2025-10", "target": 80},
}


@pytest.mark.slow
@pytest.mark.parametrize("case", OPTIONS)
def test_the_executed_notebooks_show_the_same_figures_as_the_brief(case, tmp_path, warm_kernel):
    """The executed notebooks next to brief.html are its provenance: whatever the options (target,
    confidence, scenario file, data folder), each notebook received them, 02 read what 01 wrote and
    03 what both wrote, and every section a notebook shows is, figure for figure, the one in the
    brief (01 shows the achievement before any plan: its headline cards are the brief's first ones)."""
    kw = {**OPTIONS[case]}
    if "assume_done" in kw:
        scenario = tmp_path / kw["assume_done"]
        scenario.write_text("doc_code,asumsi\nB.1.2.D2,selesai\n", encoding="utf-8")
        kw["assume_done"] = scenario
    request = BriefRequest(kw.pop("pemda"), kw.pop("period"), **kw)
    result = run_brief(request, out_root=tmp_path / "out", session=warm_kernel)
    page = _shown(result.html.read_text(encoding="utf-8"))
    cap = _outputs_by_source(result.out_dir / "01_capaian.ipynb")
    sim = _outputs_by_source(result.out_dir / "02_simulasi.ipynb")
    brief = _outputs_by_source(result.out_dir / "03_brief.ipynb")
    for nb_path in result.notebooks:
        import nbformat

        nb = nbformat.read(nb_path, as_version=4)
        injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
        assert 'run_dir = "."' in injected.source, nb_path.name
        wanted = [f"target = {float(kw.get('target', 0.0))}"]
        if nb_path.name != "01_capaian.ipynb":
            wanted.append(f"confidence = {kw.get('confidence', 0.8)}")
        if "assume_done" in kw:
            wanted += ["uji-asumsi.csv", str(TINY.resolve())]
        for value in wanted:
            assert value in injected.source, (nb_path.name, value)
    compared = set()
    for source, shown in brief.items():
        if not shown:
            continue
        assert _shown(shown) in page, source  # the brief page is notebook 03, rendered
        for other, name in ((sim, "02"), (cap, "01")):
            if source in other and not (
                name == "01"
                and source in ("sections.headline(b)", "sections.trend_section(b)", "sections.followup_tables(b)")
            ):
                assert _shown(other[source]) == _shown(shown), (name, source)
                compared.add(source)
    # 01 has no plan: its followup lists every returned and waiting document, where the brief
    # lists a returned document of the plan in the action list and may count the waiting ones
    # per OPD (the rest in the action workbook); what the brief lists, 01 lists too
    listed = [set(re.findall(r"<td>([A-Z][\w.]*\.D\d+) ", nb["sections.followup_tables(b)"])) for nb in (brief, cap)]
    assert listed[0] and listed[0] <= listed[1], listed
    compared.add("sections.followup_tables(b)")
    # the lampiran sections 01 and 02 show as they are (the trend and the path are drawn there with
    # the charts the brief's first page already carries, so they are not compared figure for figure)
    shared = {
        "sections.detail_table(b)",
        "sections.opd_section(b)",
        "sections.followup_tables(b)",
        "plan_sections.targets_table(b)",
        "plan_sections.obstacles_table(b)",
        "plan_sections.action_list(b)",
        "plan_sections.blocked_table(b)",
    }
    assert all(s in brief and (s in cap or s in sim) for s in shared)
    assert {s for s in shared if brief[s]} <= compared, compared  # every one that shows something
    # 01's headline: the achievement cards, whose figures the brief's first page shows
    values = re.findall(r'<span class="value">(.*?)</span>', cap["sections.headline(b)"])
    page_one = _shown(brief["summary.page_one(b)"])
    assert len(values) >= 3 and all(_shown(v) in page_one for v in values)
    # the lampiran's trend and areas are 01's and 02's without the chart (the first page draws them)
    for shown, source in ((sim, "trend_section"), (cap, "areas_section")):
        without_chart = re.sub(r'<figure class="chart">.*?</figure>', "", shown[f"sections.{source}(b)"], flags=re.S)
        assert without_chart == brief[f"sections.{source}(b, chart=False)"], source
    # each notebook read the steps' files the runner wrote (01 step 1, 02 and 03 both): nothing
    # was computed twice, and each said so
    said = [
        line
        for p in result.notebooks
        for c in nbformat.read(p, as_version=4).cells
        for o in c.get("outputs", [])
        if o.get("output_type") == "stream"
        for line in o.get("text", "").splitlines()
    ]
    assert said == [f"Langkah {s}: dibaca dari folder {s} (masukan dan kode sama)" for s in STEPS_READ], said


@pytest.mark.slow
@pytest.mark.parametrize("name", list(NOTEBOOKS))
def test_each_notebook_runs_on_its_own_defaults(name, tmp_path):
    """Opened alone (as notebooker runs a report) on its defaults, each notebook runs: 02 and 03
    compute the steps they need when the run folder does not have them, and say so."""
    import nbformat
    import papermill as pm

    from mcp_lib.run.kernel import KERNEL_NAME, ensure_kernel

    ensure_kernel()
    out = tmp_path / name
    pm.execute_notebook(
        str(NOTEBOOK_DIR / name),
        str(out),
        parameters={"run_dir": str(tmp_path / "run")},
        kernel_name=KERNEL_NAME,
        progress_bar=False,
    )
    nb = nbformat.read(out, as_version=4)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    html = "".join(o.get("data", {}).get("text/html", "") for c in nb.cells for o in c.get("outputs", []))
    assert "Kota Lubuklinggau" in html
    assert (tmp_path / "run" / "capaian" / "capaian.json").is_file()
    assert (tmp_path / "run" / "simulasi" / "simulasi.json").is_file() == (name != "01_capaian.ipynb")
    said = "".join(
        o.get("text", "") for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "stream"
    )
    assert "Langkah capaian: dihitung (belum ada di folder" in said
    assert ("Langkah simulasi: dihitung (belum ada di folder" in said) == (name != "01_capaian.ipynb")


@pytest.mark.parametrize("failure", [KeyboardInterrupt, RuntimeError])
def test_a_stop_while_step_2_is_computed_stops_01_too_and_writes_nothing(failure, tmp_path, monkeypatch):
    """``mcp brief`` computes step 2 while 01_capaian runs in the kernel (driven from a thread).
    Ctrl-C or a failure during step 2 stops that notebook as well: the error comes through, the
    thread has ended, no month and no temporary folder is left, the kernel the thread was waiting
    for is stopped and not started again by the thread."""
    import threading
    import time

    from mcp_lib.brief import steps
    from mcp_lib.run.kernel import KernelSession

    def stopped(*args, **kwargs):
        time.sleep(0.5)  # the kernel boots (importing the notebooks' modules) for 2-4 s meanwhile
        raise failure("berhenti")

    monkeypatch.setattr(steps, "_compute_simulasi", stopped)
    session = KernelSession()
    launches = []
    launch = session.launch
    monkeypatch.setattr(session, "launch", lambda: (launches.append(1), launch()))
    out = tmp_path / "out"
    with pytest.raises(failure, match="berhenti"):
        run_brief(BriefRequest("kota-contoh", "2023-10", data_dir=TINY), out_root=out, session=session)
    assert not any(t.name == "mcp-brief-background" for t in threading.enumerate())
    assert list((out / "kota-contoh").iterdir()) == []
    assert session.km is None and launches == [1]  # the thread did not start a kernel again


def test_a_failure_while_the_scenarios_are_planned_comes_through_and_writes_nothing(tmp_path, monkeypatch):
    """``mcp brief`` plans the scenarios while the kernel runs 03_brief and 02_simulasi: their
    failure comes through, the notebook's thread has ended (the kernel stopped mid-cell: the
    thread waited for ever before the kernel clients' channels watched for it), and no month and
    no temporary folder is left."""
    import threading
    import time

    from mcp_lib.brief import steps

    def failing(*args, **kwargs):
        # Under the step's claim: meanwhile 03_brief runs and 02_simulasi's last cell waits for
        # the scenarios (the tiny brief's 03 and 02 take ~1-2 s), so the kernel is stopped mid-cell.
        time.sleep(5)
        raise RuntimeError("skenario gagal")

    monkeypatch.setattr(steps, "_compute_skenario", failing)
    out = tmp_path / "out"
    with pytest.raises(RuntimeError, match="skenario gagal"):
        run_brief(BriefRequest("kota-contoh", "2023-10", data_dir=TINY), out_root=out)
    assert not any(t.name == "mcp-brief-background" for t in threading.enumerate())
    assert list((out / "kota-contoh").iterdir()) == []


def test_stale_run_folders_of_dead_processes_go_and_live_ones_stay(tmp_path):
    """A killed run's temporary folder is removed, a running one's is not; liveness is asked of the
    process table (psutil), never with ``os.kill(pid, 0)``, which on Windows sends Ctrl-C."""
    import os
    import subprocess
    import sys

    from mcp_lib.run import runner

    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(done.stdout)
    (tmp_path / f".2023-10.tmp-{dead}-abc").mkdir()
    (tmp_path / f".2023-10.tmp-{os.getpid()}-def").mkdir()
    runner._remove_stale(tmp_path / "2023-10")
    assert [p.name for p in tmp_path.iterdir()] == [f".2023-10.tmp-{os.getpid()}-def"]


def test_no_posix_only_call_on_the_analysts_path():
    """What runs on a Windows laptop uses no POSIX-only module or call (fcntl, fork, os.kill with
    signal 0, process groups); the few POSIX facts used are guarded where they are used."""
    import re

    from mcp_lib.config import REPO_ROOT

    posix_only = re.compile(
        r"\bfcntl\b|\bos\.fork\b|\bos\.kill\(|\bkillpg\b|\bgetpgid\b|\bsetsid\b|signal\.SIG(?:KILL|HUP|USR)"
    )
    found = [
        f"{path.name}:{n}: {line.strip()}"
        for path in sorted((REPO_ROOT / "mcp_lib").rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if posix_only.search(line) and not line.strip().startswith("#") and "Not ``os.kill" not in line
    ]
    assert found == []
    pdf = (REPO_ROOT / "mcp_lib" / "brief" / "pdf.py").read_text(encoding="utf-8")
    assert 'hasattr(os, "geteuid") and os.geteuid() == 0' in pdf


def test_the_last_meeting_is_the_latest_brief_of_the_year_before_the_month(tmp_path):
    """``mcp brief`` reports changes since the folder this returns: a month with a brief.html,
    before the reporting month, of the same year (or last year's for January to March)."""
    from mcp_lib.run.runner import last_meeting

    for name in ("2022-12", "2023-08", "2023-09", "2023-09-skenario-x", "2023-11"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "brief.html").write_text("x", encoding="utf-8")
    (tmp_path / "2023-10").mkdir()  # a month whose brief was not made is no meeting
    assert last_meeting(tmp_path, "2023-10") == tmp_path / "2023-09"
    assert last_meeting(tmp_path, "2023-12") == tmp_path / "2023-11"
    assert last_meeting(tmp_path, "2023-02") == tmp_path / "2022-12"  # the year's first briefs
    assert last_meeting(tmp_path, "2023-04") is None  # last year's meetings are over by April
    assert last_meeting(tmp_path / "tidak-ada", "2023-10") is None
