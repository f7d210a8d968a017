"""The command line against hostile options and an impatient Ctrl-C (issue 27): every count, year,
period, date and address is refused before any work, naming the option, as a usage error (exit 2);
Ctrl-C while Python loads exits 130 without a traceback; pemda.toml says to unquote a quoted
number; `mcp batch --scheduler` can wait for the workers it was promised."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import TINY

import mcp_lib
from mcp_lib.app.cli import main
from mcp_lib.errors import InputError
from mcp_lib.pemda.settings import load_pemda

ROOT = Path(mcp_lib.__file__).resolve().parent.parent  # the checkout whose mcp_lib is under test


def _usage_error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """Run ``mcp argv``: it must stop with a usage error (exit 2); its message, on one line."""
    with pytest.raises(SystemExit) as exc:
        main(argv)
    err = capsys.readouterr().err
    assert exc.value.code == 2, err
    assert "kesalahan penggunaan" in err and "Traceback" not in err and "tak terduga" not in err
    return " ".join(err.split())


# --- item 9: one validator for every numeric, date and address option ------------------------------

BATCH = ["--data-dir", str(TINY), "batch", "--pemda-glob", str(TINY / "pemda" / "*"), "--period", "2023-10"]


@pytest.mark.parametrize(
    ("extra", "option"),
    [
        (["--scheduler", "tcp://127.0.0.1:notaport"], "--scheduler"),
        (["--scheduler", "tcp://[::1"], "--scheduler"),
        (["--scheduler", "tcp://::1:8786"], "--scheduler"),
        (["--scheduler", "tcp://127.0.0.1"], "--scheduler"),
        (["--scheduler", "tcp://127.0.0.1:0"], "--scheduler"),
        (["--scheduler", "tcp://127.0.0.1:70000"], "--scheduler"),
        (["--workers", "0"], "--workers"),
        (["--workers", "-1"], "--workers"),
        (["--workers", "1000"], "--workers"),
        (["--restart-every", "0"], "--restart-every"),
        (["--scheduler", "local:1", "--wait-for-workers", "0"], "--wait-for-workers"),
    ],
)
def test_batch_options_are_refused_before_any_work(extra, option, capsys, tmp_path):
    message = _usage_error([*BATCH, "--out", str(tmp_path / "out"), *extra], capsys)
    assert f"{option}:" in message
    assert not (tmp_path / "out").exists()


def test_waiting_for_workers_needs_a_scheduler(capsys):
    message = _usage_error([*BATCH, "--wait-for-workers", "2"], capsys)
    assert "--wait-for-workers hanya berlaku bersama --scheduler" in message


@pytest.mark.parametrize(
    ("argv", "option"),
    [
        (["score", "--pemda", "kota-contoh", "--period", "2023-13"], "--period"),
        (["plan", "--pemda", "kota-contoh", "--period", "Oktober"], "--period"),
        (["brief", "--pemda", "kota-contoh", "--period", "2023-1"], "--period"),
        (["batch", "--pemda-glob", "x", "--period", "23-10"], "--period"),
        (["snapshot", "export", "--pemda", "kota-contoh", "--period", "2023-00"], "--period"),
        (["forecast", "--score", "60", "--date", "2025-10-31", "--framework", "0"], "--framework"),
        (["forecast", "--score", "60", "--date", "2025-10-31", "--draws", "0"], "--draws"),
        (
            ["init", "--pemda", "p", "--name", "P", "--kind", "kota", "--province", "X", "--framework", "-1"],
            "--framework",
        ),
        (["import-kpk", "x.csv", "--year", "21", "--pemda", "p"], "--year"),
        (["framework", "template", "--out", "x.xlsx", "--year", "99999"], "--year"),
        (["framework", "import", "x.xlsx", "--year", "3000"], "--year"),
        (["framework", "export", "--year", "1"], "--year"),
    ],
)
def test_every_period_year_and_count_is_checked_by_the_parser(argv, option, capsys):
    message = _usage_error(["--data-dir", str(TINY), *argv], capsys)
    assert f"{option}:" in message


def test_scheduler_addresses_are_read_as_dask_would_connect():
    from mcp_lib.run.cluster import parse_scheduler

    for good in ("tcp://[::1]:8786", "tls://sched-1.example.org:8786", "tcp://10.0.0.5:8786", "ws://host:80"):
        assert parse_scheduler(good) == ("address", good)
    for bad, words in [
        ("tcp://127.0.0.1:notaport", "port 'notaport'"),
        ("tcp://[::1", "kurung siku"),
        ("tcp://[::zz]:8786", "IPv6"),
        ("tcp://::1:8786", "kurung siku"),
        ("tcp://127.0.0.1", "port tidak ada"),
        ("tcp://h:65536", "1–65535"),
        ("tcp://bad host:8786", "tidak dikenali"),
        ("inproc://x", "tidak dikenali"),
    ]:
        with pytest.raises(InputError) as err:
            parse_scheduler(bad)
        assert words in str(err.value) and "--scheduler" in str(err.value), bad


# --- item 14: --close and --final within the framework year, the rule of pemda.toml -----------------


@pytest.mark.parametrize(
    ("extra", "option", "year"),
    [
        (["--date", "2025-10-31", "--close", "2030-01-01"], "--close", 2025),
        (["--date", "2025-10-31", "--final", "2027-01-01"], "--final", 2025),
        (["--date", "2025-10-31", "--framework", "2025", "--close", "2024-12-31"], "--close", 2025),
        (["--date", "2023-10-31", "--close", "2024-04-01"], "--close", 2023),
    ],
)
def test_forecast_dates_outside_the_framework_year_are_refused(extra, option, year, capsys):
    message = _usage_error(["forecast", "--score", "60", *extra], capsys)
    assert f"{option}: tanggal di luar masa penilaian kerangka {year}" in message
    assert f"antara {year}-01-01 dan {year + 1}-03-31" in message


def test_forecast_and_pemda_toml_refuse_the_same_close_in_the_same_words(kota_dir, capsys):
    toml = kota_dir / "pemda.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("deadline =", "upload_close = 2024-04-01\ndeadline ="))
    with pytest.raises(InputError) as err:
        load_pemda(kota_dir)
    (problem,) = err.value.problems
    message = _usage_error(["forecast", "--score", "60", "--date", "2023-10-31", "--close", "2024-04-01"], capsys)
    assert problem.message in message and f"seharusnya {problem.expected}" in message
    # the last day of the assessment is still inside
    assert main(["forecast", "--score", "60", "--date", "2023-10-31", "--close", "2024-03-31", "--json"]) == 0
    assert '"close": "2024-03-31"' in capsys.readouterr().out


# --- item 13: Ctrl-C while the modules load ------------------------------------------------------


def _interrupt_when_imported(launcher: list[str], module: str) -> tuple[int | None, str]:
    """Start ``launcher + mcp score ...`` under ``-X importtime`` (a line on stderr as each module
    finishes importing), press Ctrl-C (SIGINT) once ``module`` is imported; exit status and stderr
    without the import-time lines."""
    argv = ["--data-dir", str(TINY), "score", "--pemda", "kota-contoh", "--period", "2023-10"]
    proc = subprocess.Popen(
        [sys.executable, "-X", "importtime", *launcher, *argv],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    seen = False
    for line in proc.stderr:
        if line.startswith("import time:") and line.rsplit("|", 1)[-1].strip() == module:
            seen = True
            break
    assert seen, f"{module} was never imported"
    os.kill(proc.pid, signal.SIGINT)
    _, rest = proc.communicate(timeout=120)
    said = "".join(line for line in rest.splitlines(keepends=True) if not line.startswith("import time:"))
    return proc.returncode, said


@pytest.mark.slow
@pytest.mark.parametrize("module", ["mcp_lib.config", "pandas", "mcp_lib.app.commands"])
def test_ctrl_c_while_python_mcp_lib_loads_exits_130_without_a_traceback(module):
    returncode, said = _interrupt_when_imported(["-m", "mcp_lib"], module)
    assert returncode == 130, said
    assert "Traceback" not in said and "KeyboardInterrupt" not in said, said
    assert "Dihentikan (Ctrl-C)" in said


@pytest.mark.slow
@pytest.mark.parametrize("module", ["pandas", "mcp_lib.app.commands"])
def test_ctrl_c_while_the_mcp_command_loads_exits_130_without_a_traceback(module):
    """The ``mcp`` console script (``mcp_lib.app.cli:main``, as pip writes it): main answers Ctrl-C from
    its first line, pandas included."""
    script = "import sys; from mcp_lib.app.cli import main; sys.exit(main())"
    returncode, said = _interrupt_when_imported(["-c", script], module)
    assert returncode == 130, said
    assert "Traceback" not in said and "KeyboardInterrupt" not in said, said


# --- item 15: a quoted number in pemda.toml ------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "column"),
    [
        ("target = 90", 'target = "90"', "target"),
        ("framework = 2023", 'framework = "2023"', "framework"),
        ("2022 = 80", '2022 = "80"', "final_scores.2022"),
        ("capacity_days = 10", 'capacity_days = "10"', "opd.capacity_days"),
        ("capacity_days = 10", 'capacity_days = "7,5"', "opd.capacity_days"),
        ("deadline = 2023-12-31", 'deadline = "2023-12-31"', "deadline"),
        ("[final_scores]", '[penalty.2023]\npoints = "5"\nreason = "OTT"\n\n[final_scores]', "penalty.2023.points"),
        ("[final_scores]", '[risiko]\npemda_sd = "0.5"\n\n[final_scores]', "risiko.pemda_sd"),
        ("[final_scores]", '[risiko.area]\nA = "1,5"\n\n[final_scores]', "risiko.area.A"),
        ("[final_scores]", '[risiko.hambatan]\n"BPN" = "0.3"\n\n[final_scores]', "risiko.hambatan.BPN"),
    ],
)
def test_a_quoted_number_in_pemda_toml_is_told_to_lose_its_quotes(kota_dir, old, new, column):
    toml = kota_dir / "pemda.toml"
    text = toml.read_text(encoding="utf-8")
    assert old in text
    toml.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_pemda(kota_dir)
    problems = [p for p in err.value.problems if p.column == column]
    assert problems, err.value.render()
    assert "tanpa tanda kutip" in str(problems[0])


# --- item 17: wait for the workers ----------------------------------------------------------------


def test_waiting_for_more_workers_than_local_n_starts_is_refused_at_once():
    from mcp_lib.run.cluster import dask_executor

    with pytest.raises(InputError) as err, dask_executor("local:1", wait_for=2):
        pass
    assert "--wait-for-workers" in str(err.value) and "local:1" in str(err.value)


@pytest.mark.slow
def test_the_batch_waits_for_the_workers_it_was_promised():
    """A scheduler with no worker yet; two are asked for and start while the batch waits: it
    starts with both (never with the first alone, as on a busy machine)."""
    from distributed import LocalCluster

    from mcp_lib.run.cluster import dask_executor

    with LocalCluster(n_workers=0, processes=False, protocol="tcp", dashboard_address=None) as cluster:
        cluster.scale(2)
        with dask_executor(cluster.scheduler_address, wait_for=2) as batch:
            assert batch.workers == 2


@pytest.mark.slow
def test_workers_that_do_not_come_are_told_in_words():
    from distributed import LocalCluster

    from mcp_lib.run.cluster import dask_executor

    with (
        LocalCluster(n_workers=1, processes=False, protocol="tcp", dashboard_address=None) as cluster,
        pytest.raises(InputError) as err,
        dask_executor(cluster.scheduler_address, wait_for=2, wait_seconds=1),
    ):
        pass
    message = str(err.value)
    assert "baru 1 dari 2 pekerja dask" in message and "--wait-for-workers" in message
