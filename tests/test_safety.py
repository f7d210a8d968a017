"""Hardening: spreadsheet (formula) injection, path safety, nothing lost, large inputs, exit codes.

Every test here fails when its protection is removed (see each docstring for which one)."""

from __future__ import annotations

import contextlib
import csv
import io
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from conftest import TINY
from openpyxl import load_workbook

from mcp_lib.brief.request import BriefRequest
from mcp_lib.errors import InputError, Problems
from mcp_lib.io.rawfile import FORMULA_TRIGGERS
from mcp_lib.io.readers import csv_safe, read_table, write_table
from mcp_lib.pemda.snapshot import SNAPSHOT_SCHEMA, write_snapshot

FORMULAS = [
    '=HYPERLINK("http://evil.example","klik")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
]


def _no_formula_cells(path) -> list[str]:
    wb = load_workbook(path)
    return [
        f"{ws.title}!{c.coordinate}"
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    ]


def _raw_csv_cells(path, sep=",") -> list[str]:
    text = path.read_bytes().decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text, newline=""), delimiter=sep) for cell in row]


def test_csv_cells_that_start_a_formula_are_written_as_text_and_read_back_unchanged(tmp_path):
    """csv_safe: without it the raw cells start with = + - @ and Excel would evaluate them."""
    table = pd.DataFrame({"doc_code": ["A.1.1.D1"] * len(FORMULAS), "note": FORMULAS, "n": range(len(FORMULAS))})
    path = write_table(table, tmp_path / "x.csv")
    cells = _raw_csv_cells(path, ";")
    assert not [c for c in cells if c.startswith(FORMULA_TRIGGERS)], cells
    problems = Problems()
    schema = SNAPSHOT_SCHEMA.__class__("t", (SNAPSHOT_SCHEMA.columns[0], SNAPSHOT_SCHEMA.columns[-1]))
    back = read_table(path, schema, problems)
    assert not problems.items
    assert list(back["note"]) == [" ".join(f.split()) for f in FORMULAS]  # same text (spaces collapsed)


def test_negative_numbers_stay_numbers():
    assert csv_safe(-2.5) == -2.5 and csv_safe("-x") == "'-x" and csv_safe("x=1") == "x=1"


def test_snapshot_csv_is_safe_and_lossless(tmp_path, kota, tiny_fw):
    """write_snapshot (status files written by `mcp snapshot import`) guards notes and blockers."""
    from mcp_lib.pemda.snapshot import load_snapshot

    src = TINY / "pemda" / "kota-contoh" / "status" / "2023-10-31.csv"
    problems = Problems()
    table = read_table(src, SNAPSHOT_SCHEMA, problems)[SNAPSHOT_SCHEMA.names]
    table.loc[0, "note"] = FORMULAS[0]
    table.loc[1, "blocker"] = FORMULAS[3]
    path = write_snapshot(table, tmp_path / "status" / "2023-10-31.csv")
    assert not [c for c in _raw_csv_cells(path) if c.startswith(FORMULA_TRIGGERS)]
    snap = load_snapshot(path, tiny_fw, kota)
    assert snap.documents.loc[snap.documents["doc_code"] == table.loc[0, "doc_code"], "note"].item() == FORMULAS[0]


def test_xlsx_written_from_data_has_no_formula_cells(tmp_path):
    """write_table's xlsx (plans, `mcp plan --xlsx`): pandas' to_excel would write '=...' as formulas."""
    table = pd.DataFrame({"doc_code": ["A"] * len(FORMULAS), "note": FORMULAS})
    path = write_table(table, tmp_path / "x.xlsx")
    assert _no_formula_cells(path) == []
    values = [" ".join(c.value.split()) for c in load_workbook(path).active["B"][1:]]
    assert values == [" ".join(f.split()) for f in FORMULAS]


@pytest.fixture
def formula_data(tmp_path):
    """The tiny data root with formulas where an analyst types text: OPD, document and pemda
    names, blockers and notes."""
    root = tmp_path / "data"
    shutil.copytree(TINY, root)
    pemda = root / "pemda" / "kota-contoh"
    toml = pemda / "pemda.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('name = "BPKAD"', "name = '=BPKAD+1'"), encoding="utf-8")
    ev = root / "frameworks" / "mcp-2023" / "evidence.csv"
    frame = pd.read_csv(ev, dtype=str)
    frame.loc[frame.index[1], "doc_name"] = FORMULAS[0]
    frame.to_csv(ev, index=False)
    for path in (pemda / "status").glob("*.csv"):
        t = pd.read_csv(path, dtype=str, keep_default_na=False)
        t["opd"] = t["opd"].replace("BPKAD", "=BPKAD+1")
        t.loc[t.index[2], "note"] = FORMULAS[6]
        t.loc[t.index[3], "blocker"] = FORMULAS[3]
        t.to_csv(path, index=False)
    return root


def test_action_workbook_and_tracker_from_formula_data_have_no_formulas(formula_data, tmp_path):
    from mcp_lib.brief import action_workbook, steps
    from mcp_lib.framework.folder import load_framework
    from mcp_lib.pemda import tracker
    from mcp_lib.pemda.settings import load_pemda

    b = steps.prepare(BriefRequest("kota-contoh", "2023-10", data_dir=formula_data))
    plan = action_workbook.write_action_workbook(b, tmp_path / "rencana-aksi.xlsx")
    pemda = load_pemda("kota-contoh", formula_data)
    fw = load_framework(2023, formula_data)
    t = tracker.export_tracker(pemda, fw, "2023-10", tmp_path / "tracker.xlsx")
    for path in (plan, t):
        assert _no_formula_cells(path) == [], path
    texts = [c.value for ws in load_workbook(t).worksheets for row in ws.iter_rows() for c in row]
    assert FORMULAS[0] in texts and "=BPKAD+1" in texts  # shown as text, not lost


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_shows_the_text_not_a_result(formula_data, tmp_path):
    """Opened headless in LibreOffice, the cells read as the text typed, never a computed value."""
    from mcp_lib.brief import action_workbook, steps

    b = steps.prepare(BriefRequest("kota-contoh", "2023-10", data_dir=formula_data))
    plan = action_workbook.write_action_workbook(b, tmp_path / "rencana-aksi.xlsx")
    table = pd.DataFrame({"note": FORMULAS[:4]})
    csv_path = write_table(table, tmp_path / "x.csv")
    for src in (plan, csv_path):
        out = tmp_path / f"lo-{src.stem}"
        subprocess.run(
            [
                "soffice",
                "--headless",
                "--convert-to",
                "csv:Text - txt - csv (StarCalc):44,34,76",
                "--outdir",
                str(out),
                str(src),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        text = next(out.glob("*.csv")).read_text(encoding="utf-8", errors="replace")
        assert "#NAME" not in text and "Err:" not in text
        lines = text.splitlines()
        if src == csv_path:  # shown as typed (behind the guarding apostrophe), never computed
            assert "'+1+1" in lines and "'-2+3" in lines and "2" not in lines and "1" not in lines
            assert any("=HYPERLINK" in line for line in lines)  # unguarded, LibreOffice shows "klik"
        else:
            assert "=BPKAD+1" in text


def test_read_back_xlsx_with_formula_text_is_an_input_not_a_formula(tmp_path, kota, tiny_fw):
    """A status .xlsx whose cell holds a real formula is read as its cached value only
    (data_only): a formula never runs and its text never becomes a code or status."""
    from openpyxl import Workbook

    from mcp_lib.pemda.snapshot import load_snapshot

    src = TINY / "pemda" / "kota-contoh" / "status" / "2023-10-31.csv"
    frame = pd.read_csv(src, dtype=str, keep_default_na=False)
    wb = Workbook()
    ws = wb.active
    ws.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        ws.append(list(row))
    ws["C2"] = '=IF(1,"diverifikasi")'  # a formula in the status column, no cached value
    path = tmp_path / "2023-10-31.xlsx"
    wb.save(path)
    with pytest.raises(InputError) as info:
        load_snapshot(path, tiny_fw, kota)
    assert any(p.row == 2 and p.column == "status" for p in info.value.problems)


# --- large inputs ------------------------------------------------------------------------------


def test_openpyxl_reads_through_defusedxml():
    """XML entity bombs inside an .xlsx are refused by defusedxml, which openpyxl uses when installed."""
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True


def test_a_100000_row_status_file_is_refused_quickly(tmp_path, kota, tiny_fw):
    """Schema.max_rows: without it the 100,000 rows are parsed and each reported (minutes, and
    a message nobody can read)."""
    import time

    from mcp_lib.pemda.snapshot import load_snapshot

    path = tmp_path / "2023-10-31.csv"
    lines = ["doc_code,opd,status,verified_points"] + [f"X.{i},BPKAD,belum," for i in range(100_000)]
    path.write_text("\n".join(lines), encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(InputError, match="terlalu banyak baris") as info:
        load_snapshot(path, tiny_fw, kota)
    assert time.perf_counter() - started < 10  # generous: ~0.2 s here; a bound, not a benchmark
    assert len(info.value.problems) <= 2


def _zip_bomb(path, unpacked_mb: int) -> None:
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w") as f:
            block = b"0" * 2**20
            for _ in range(unpacked_mb):
                f.write(block)


def test_an_xlsx_decompression_bomb_is_refused_before_opening(tmp_path, kota, tiny_fw):
    """check_xlsx: without it openpyxl would unpack 300 MB (from a few hundred KB) into memory."""
    from mcp_lib.pemda.snapshot import load_snapshot

    path = tmp_path / "2023-10-31.xlsx"
    _zip_bomb(path, 300)
    assert path.stat().st_size < 2 * 2**20
    with pytest.raises(InputError, match="terlalu besar bila dibuka"):
        load_snapshot(path, tiny_fw, kota)


def test_oversized_files_and_cells_are_refused(tmp_path, kota, tiny_fw, monkeypatch):
    from mcp_lib.io import rawfile
    from mcp_lib.pemda.snapshot import load_snapshot

    src = TINY / "pemda" / "kota-contoh" / "status" / "2023-10-31.csv"
    path = tmp_path / "2023-10-31.csv"
    shutil.copy(src, path)
    monkeypatch.setattr(rawfile, "MAX_FILE_MB", 0)  # the real limit is 50 MB; no need to write that
    with pytest.raises(InputError, match="berkas terlalu besar"):
        load_snapshot(path, tiny_fw, kota)
    monkeypatch.undo()
    frame = pd.read_csv(src, dtype=str, keep_default_na=False)
    frame.loc[0, "note"] = "x" * 20_000
    frame.to_csv(path, index=False)
    with pytest.raises(InputError, match="isian terlalu panjang") as info:
        load_snapshot(path, tiny_fw, kota)
    assert len(str(info.value)) < 1000  # the value is shown shortened


# --- path safety -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["../kota-contoh", "/etc", "kota contoh", "kota-contoh/..", "..", "kota.contoh", "kota\\contoh", "kötä"],
)
def test_odd_pemda_names_are_refused_with_a_message(name, capsys):
    """check_name: without it '../x' or '/etc' would be looked up (and written) outside data/."""
    from mcp_lib.app.cli import main

    assert main(["--data-dir", str(TINY), "score", "--pemda", name, "--period", "2023-10"]) == 1
    err = capsys.readouterr().err
    assert "nama pemda tidak sah" in err and "Traceback" not in err


def test_a_pemda_that_does_not_exist_is_said_so_naming_those_that_do(tmp_path, capsys):
    """A valid name without its folder: every command says the pemda is not there and which are
    (``mcp brief`` used to call the absolute path its request made of the name an invalid name),
    and nothing is written."""
    from mcp_lib.app.cli import main

    for command in (["score"], ["brief", "--out", str(tmp_path / "keluaran")]):
        args = ["--data-dir", str(TINY), *command, "--pemda", "kota-tidak-ada", "--period", "2023-10"]
        assert main(args) == 1, command
        err = capsys.readouterr().err
        assert "berkas pengaturan pemda tidak ditemukan" in err and "kota-contoh" in err, err
        assert "tidak sah" not in err and "Traceback" not in err, err
    assert not any(tmp_path.iterdir())


HOSTILE_NAMES = ["../../x", "../x", "..", "/tmp/mcp-escape-x", "a/b", "x\\y", "nama spasi", "ünï"]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_no_subcommand_writes_outside_the_data_folder_with_a_hostile_pemda_name(tmp_path, name, capsys):
    """Every subcommand that writes something for a --pemda name goes through the one name check:
    nothing lands outside <data-dir> (mcp import-kpk once wrote ../../x/pemda.toml)."""
    import shutil

    from mcp_lib.app.cli import main

    work = tmp_path / "w" / "deep"
    data = work / "data"
    shutil.copytree(TINY, data)
    tracker = tmp_path / "tracker.xlsx"
    assert main(["--data-dir", str(data), "tracker", "--pemda", "kota-contoh", "--out", str(tracker)]) == 0
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    kpk = Path(__file__).parent / "fixtures" / "kpk" / "export.csv"
    commands = [
        ["import-kpk", str(kpk), "--year", "2021", "--pemda", name],
        ["init", "--pemda", name, "--name", "X", "--kind", "kota", "--province", "P", "--framework", "2023"],
        ["snapshot", "import", str(tracker), "--date", "2023-11-30", "--pemda", name],
        ["snapshot", "export", "--pemda", name, "--period", "2023-10"],
        ["tracker", "--pemda", name],
        ["brief", "--pemda", name, "--period", "2023-10", "--out", str(work / "out")],
        ["plan", "--pemda", name, "--period", "2023-10", "--csv", str(work / "plan.csv")],
    ]
    for command in commands:
        with contextlib.suppress(SystemExit):
            assert main(["--data-dir", str(data), *command]) in (1, 2), command
    err = capsys.readouterr().err
    assert "Traceback" not in err
    after = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    assert after == before  # nothing written anywhere, inside or out
    assert not Path("/tmp/mcp-escape-x").exists()


@pytest.mark.slow
@pytest.mark.parametrize("period", ["2023-10/../../x", "../2023-10", "2023-1", "2023-10\n"])
def test_odd_periods_never_become_folder_names(period, tmp_path, warm_kernel):
    from mcp_lib.run.runner import run_brief

    try:
        result = run_brief(
            BriefRequest("kota-contoh", period, data_dir=TINY),
            out_root=tmp_path / "out",
            brief_only=True,
            session=warm_kernel,
        )
    except InputError as exc:
        assert "periode tidak sah" in str(exc)
        assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.html"))
    else:  # surrounding spaces are forgiven, but the folder is exactly YYYY-MM
        assert result.out_dir.name == "2023-10" and result.out_dir.parent.parent == tmp_path / "out"


def test_symlinks_out_of_the_data_folder_are_not_followed(tmp_path, capsys):
    """inside(): a snapshot, a pemda folder or a framework linked to outside is refused, never read."""
    from mcp_lib.app.cli import main
    from mcp_lib.framework.folder import load_framework
    from mcp_lib.pemda.settings import load_pemda
    from mcp_lib.pemda.snapshot import list_snapshots

    root = tmp_path / "data"
    shutil.copytree(TINY, root)
    outside = tmp_path / "rahasia"
    shutil.copytree(TINY / "pemda" / "kota-contoh", outside)
    secret = tmp_path / "secret.csv"
    secret.write_text("doc_code,status\nX,belum\n", encoding="utf-8")
    status = root / "pemda" / "kota-contoh" / "status"
    (status / "2023-11-30.csv").symlink_to(secret)
    with pytest.raises(InputError, match="symlink"):
        list_snapshots(load_pemda("kota-contoh", root))
    (root / "pemda" / "kota-luar").symlink_to(outside, target_is_directory=True)
    with pytest.raises(InputError, match="symlink"):
        load_pemda("kota-luar", root)
    (status / "2023-11-30.csv").unlink()
    assert (
        main(
            [
                "--data-dir",
                str(root),
                "batch",
                "--province",
                "Sumatera Selatan",
                "--period",
                "2023-10",
                "--out",
                str(tmp_path / "out"),
            ]
        )
        == 1
    )
    assert "symlink" in capsys.readouterr().err and not (tmp_path / "out").exists()
    fw_outside = tmp_path / "fw-luar"
    shutil.copytree(root / "frameworks" / "mcp-2023", fw_outside)
    (root / "frameworks" / "mcp-2023" / "evidence.csv").unlink()
    (root / "frameworks" / "mcp-2023" / "evidence.csv").symlink_to(fw_outside / "evidence.csv")
    with pytest.raises(InputError, match="symlink"):
        load_framework(2023, root)


# --- nothing lost ------------------------------------------------------------------------------


def _tree(folder) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_a_run_never_changes_its_inputs(tmp_path):
    """Every file under the data folder is byte-identical (and keeps its mtime) after a brief,
    a plan export, a tracker export and a batch."""
    from mcp_lib.app.cli import main

    root = tmp_path / "data"
    shutil.copytree(TINY, root)
    before = _tree(root)
    mtimes = {p: p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}
    args = ["--data-dir", str(root)]
    assert main([*args, "brief", "--pemda", "kota-contoh", "--period", "2023-10", "--out", str(tmp_path / "o")]) == 0
    assert main([*args, "plan", "--pemda", "kota-contoh", "--period", "2023-10", "--csv", str(tmp_path / "p.csv")]) == 0
    assert (
        main(
            [
                *args,
                "snapshot",
                "export",
                "--pemda",
                "kota-contoh",
                "--period",
                "2023-10",
                "--out",
                str(tmp_path / "t.xlsx"),
            ]
        )
        == 0
    )
    assert _tree(root) == before
    assert {p: p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()} == mtimes


@pytest.mark.slow
def test_force_keeps_the_old_month_as_bak_until_the_new_one_is_in_place(tmp_path, monkeypatch):
    """_move_into_place: the old month is renamed <period>.bak-<timestamp> (never deleted first);
    if putting the new one in place fails, the old month is back under its own name."""
    from pathlib import Path

    from mcp_lib.run import kernel, runner

    out = tmp_path / "out"
    session = kernel.KernelSession()
    first = runner.run_brief(
        BriefRequest("kota-contoh", "2023-10", data_dir=TINY), out_root=out, brief_only=True, session=session
    )
    old = _tree(first.out_dir)
    renames: list[tuple[str, str]] = []
    real_rename = Path.rename

    def failing_rename(self, target):
        renames.append((Path(self).name, Path(target).name))
        if Path(self).name.startswith(".2023-10.tmp-"):
            raise OSError("disk penuh (simulasi)")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", failing_rename)
    with pytest.raises(OSError):
        runner.run_brief(
            BriefRequest("kota-contoh", "2023-10", data_dir=TINY),
            out_root=out,
            brief_only=True,
            force=True,
            session=session,
        )
    monkeypatch.undo()
    assert renames[0][0] == "2023-10" and renames[0][1].startswith("2023-10.bak-")
    assert _tree(first.out_dir) == old  # restored, unchanged
    assert sorted(p.name for p in first.out_dir.parent.iterdir()) == ["2023-10"]  # no bak, no temp left
    runner.run_brief(
        BriefRequest("kota-contoh", "2023-10", data_dir=TINY),
        out_root=out,
        brief_only=True,
        force=True,
        session=session,
    )
    session.close()
    assert sorted(p.name for p in first.out_dir.parent.iterdir()) == ["2023-10"]


@pytest.mark.slow
def test_kill_9_in_the_middle_leaves_the_previous_month_intact(tmp_path, warm_kernel):
    """A run killed with SIGKILL while writing: the month already there is untouched and no
    visible partial folder exists; the next run clears the dead run's temporary folder."""
    import os
    import signal
    import sys
    import time

    from mcp_lib.run.runner import run_brief

    out = tmp_path / "out"
    base = [
        sys.executable,
        "-m",
        "mcp_lib",
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
    request = BriefRequest("kota-contoh", "2023-10", data_dir=TINY)
    run_brief(request, out_root=out, brief_only=True, session=warm_kernel)  # the month made before
    month = out / "kota-contoh" / "2023-10"
    before = _tree(month)
    proc = subprocess.Popen([*base, "--force"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # wait until it is writing its temporary month
        tmp = [p for p in month.parent.glob(".2023-10.tmp-*") if any(p.iterdir())]
        if tmp:
            break
        time.sleep(0.05)
    assert tmp, "the run never started writing"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert _tree(month) == before
    assert [p.name for p in month.parent.iterdir() if not p.name.startswith(".")] == ["2023-10"]
    run_brief(request, out_root=out, brief_only=True, force=True, session=warm_kernel)
    assert sorted(p.name for p in month.parent.iterdir()) == ["2023-10"]  # dead run's temp removed


# --- error experience --------------------------------------------------------------------------


def test_exit_codes_and_debug(tmp_path, capsys):
    import sys

    from mcp_lib.app.cli import main

    assert main(["--data-dir", str(TINY), "score", "--pemda", "kota-contoh", "--period", "2023-10"]) == 0
    assert main(["--data-dir", str(TINY), "score", "--pemda", "kota-contoh", "--period", "2030-01"]) == 1
    err = capsys.readouterr().err
    assert "tidak ada snapshot untuk periode 2030-01" in err and "Traceback" not in err
    with pytest.raises(SystemExit) as usage:
        main(["score", "--pemda", "kota-contoh"])
    assert usage.value.code == 2
    assert "argumen wajib belum diisi: --period" in capsys.readouterr().err
    with pytest.raises(InputError):  # --debug: the exception itself, traceback and all
        main(["--data-dir", str(TINY), "score", "--pemda", "kota-contoh", "--period", "2030-01", "--debug"])
    run = subprocess.run(
        [sys.executable, "-m", "mcp_lib", "score", "--pemda", "kota-contoh", "--period", "2030-01", "--debug"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1 and "Traceback" in run.stderr


def test_an_unexpected_error_is_explained_not_dumped(monkeypatch, capsys):
    from mcp_lib.app import cli, commands

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(commands, "score_snapshot", broken)
    assert cli.main(["--data-dir", str(TINY), "score", "--pemda", "kota-contoh", "--period", "2023-10"]) == 1
    err = capsys.readouterr().err
    assert "kesalahan tak terduga" in err and "--debug" in err and "Traceback" not in err
