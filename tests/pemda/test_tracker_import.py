"""Reading a filled tracker back (tracker_import.py): cells validated and named as Excel shows them,
never overwriting, another pemda's or year's tracker refused, export then import lossless, and the
sort trap (a tracker sorted in part refused, sorted whole accepted)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from conftest import fill, needs_lo, uno_python
from openpyxl import load_workbook

from mcp_lib.app.cli import main
from mcp_lib.config import DATA_DIR
from mcp_lib.errors import InputError
from mcp_lib.framework.folder import load_framework
from mcp_lib.pemda import tracker, tracker_import
from mcp_lib.pemda.onboard import init_pemda
from mcp_lib.pemda.settings import load_pemda
from mcp_lib.pemda.snapshot import list_snapshots, load_snapshot


def test_filled_tracker_imports_and_scores(new_kab):
    root, pemda, path = new_kab
    fw = load_framework(2023)
    codes = list(fw.documents["doc_code"])
    points = dict(zip(fw.documents["doc_code"], fw.documents["points"], strict=True))
    fill(
        path,
        {
            codes[0]: {"status": "diverifikasi", "verified_points": points[codes[0]]},
            codes[1]: {"status": "diunggah", "effort_days": 2, "due_date": dt.datetime(2023, 11, 15)},
            codes[2]: {"status": "perlu_perbaikan", "verified_points": 0, "blocker": "menunggu BPN"},
        },
    )
    assert main(["--data-dir", str(root), "snapshot", "import", str(path), "--date", "2023-10-31"]) == 0
    snap_path = pemda.status_dir / "2023-10-31.csv"
    snap = load_snapshot(snap_path, fw, load_pemda(pemda.path))
    docs = snap.documents.set_index("doc_code")
    assert docs.loc[codes[0], "status"] == "diverifikasi"
    assert docs.loc[codes[1], "due_date"] == dt.date(2023, 11, 15)
    assert docs.loc[codes[2], "blocker"] == "menunggu BPN"
    assert (docs["status"] == "belum").sum() == len(codes) - 3


def test_import_errors_name_the_excel_row_and_column(new_kab, capsys):
    root, pemda, path = new_kab
    fw = load_framework(2023)
    codes = list(fw.documents["doc_code"])
    fill(
        path,
        {
            codes[3]: {"status": "selesai"},  # row 5 in Excel
            codes[4]: {"status": "diverifikasi"},  # no points
            codes[5]: {"status": "diverifikasi", "verified_points": 1000},
            codes[6]: {"due_date": "besok"},
        },
    )
    with pytest.raises(InputError) as info:
        tracker_import.import_tracker(path, pemda, fw, dt.date(2023, 10, 31))
    found = {(p.row, p.column) for p in info.value.problems}
    assert (5, "H Status") in found
    assert (6, "I Bagian terverifikasi") in found
    assert (7, "I Bagian terverifikasi") in found
    assert (8, "K Tenggat") in found
    assert all(p.file == str(path) for p in info.value.problems)
    assert not any(pemda.status_dir.iterdir())  # nothing written
    assert main(["--data-dir", str(root), "snapshot", "import", str(path), "--date", "2023-10-31"]) == 1
    err = capsys.readouterr().err
    assert "baris 5, kolom 'H Status'" in err and "Traceback" not in err


def test_import_never_overwrites_a_snapshot_without_force(new_kab):
    _, pemda, path = new_kab
    fw = load_framework(2023)
    date = dt.date(2023, 10, 31)
    written = tracker_import.import_tracker(path, pemda, fw, date)
    written.write_text(written.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # the analyst's file
    before = written.read_bytes()
    with pytest.raises(InputError, match="tidak ditimpa"):
        tracker_import.import_tracker(path, pemda, fw, date)
    assert written.read_bytes() == before
    tracker_import.import_tracker(path, pemda, fw, date, force=True)
    assert written.read_bytes() != before


def test_tracker_of_another_pemda_or_year_is_refused(new_kab, tmp_path):
    root, _, path = new_kab
    other, _ = init_pemda("kota-lain", "Kota Lain", "kota", "X", 2023, root)
    fw = load_framework(2023)
    with pytest.raises(InputError, match="dibuat untuk pemda kab-baru"):
        tracker_import.import_tracker(path, other, fw, dt.date(2023, 10, 31))
    with pytest.raises(InputError, match="bukan milik kerangka MCP 2023"):
        tracker_import.import_tracker(path, load_pemda("kab-baru", root), fw, dt.date(2025, 1, 31))


@pytest.mark.slow
def test_export_then_import_is_lossless_on_the_sample(tmp_path, capsys):
    """Every Lubuklinggau snapshot → tracker → snapshot gives back the same file, byte for byte."""
    root = tmp_path / "data"
    shutil.copytree(DATA_DIR / "pemda" / "kota-lubuklinggau", root / "pemda" / "kota-lubuklinggau")
    pemda = load_pemda("kota-lubuklinggau", root)
    snaps = list_snapshots(pemda)
    assert len(snaps) == 8
    for date, path in snaps:
        original = path.read_bytes()
        out = tmp_path / f"tracker-{date:%Y-%m}.xlsx"
        args = ["--data-dir", str(root), "snapshot", "export", "--pemda", "kota-lubuklinggau"]
        assert main([*args, "--period", f"{date:%Y-%m}", "--out", str(out)]) == 0
        path.unlink()
        assert main(["snapshot", "import", str(out), "--date", f"{date:%Y-%m-%d}", "--data-dir", str(root)]) == 0
        assert path.read_bytes() == original, date
    assert "nilai terverifikasi 65,0%" in capsys.readouterr().out  # 2023-10, as `mcp score` says


def test_tracker_command_and_pemda_from_the_tracker_itself(new_kab, tmp_path):
    root, pemda, _ = new_kab
    out = tmp_path / "lain.xlsx"
    assert main(["tracker", "--pemda", "kab-baru", "--out", str(out), "--data-dir", str(root)]) == 0
    assert main(["tracker", "--pemda", "kab-baru", "--out", str(out), "--data-dir", str(root)]) == 1
    # Outside the pemda folder: the tracker names its pemda.
    assert main(["--data-dir", str(root), "snapshot", "import", str(out), "--date", "2023-09-30"]) == 0
    assert (pemda.status_dir / "2023-09-30.csv").is_file()
    assert main(["--data-dir", str(root), "snapshot", "list", "--pemda", "kab-baru"]) == 0


def test_a_tracker_whose_status_sheet_was_renamed_and_moved_still_imports(tmp_path):
    root, out, status = _exported(tmp_path)
    wb = load_workbook(out)
    wb["Status"].title = "Oktober 2023"
    wb.move_sheet("Oktober 2023", offset=1)  # a note sheet now comes first
    wb.save(out)
    original = status.read_bytes()
    status.unlink()
    assert main(["snapshot", "import", str(out), "--date", "2023-10-31", "--data-dir", str(root)]) == 0
    assert status.read_bytes() == original


# --- the sort trap: a tracker sorted in part is refused, sorted whole is accepted -----------------


def _exported(tmp_path):
    root = tmp_path / "data"
    shutil.copytree(DATA_DIR / "pemda" / "kota-lubuklinggau", root / "pemda" / "kota-lubuklinggau")
    out = tmp_path / "tracker.xlsx"
    args = [
        "--data-dir",
        str(root),
        "snapshot",
        "export",
        "--pemda",
        "kota-lubuklinggau",
        "--period",
        "2023-10",
    ]
    assert main([*args, "--out", str(out)]) == 0
    status = root / "pemda" / "kota-lubuklinggau" / "status" / "2023-10-31.csv"
    return root, out, status


def _sort_columns(path, first: str, last: str, key: str, reverse: bool = False) -> None:
    """Sort rows 2.. of the Status sheet on columns first..last only, by column ``key`` (as a user
    who selected just those columns would)."""
    from openpyxl.utils import column_index_from_string

    wb = load_workbook(path)
    ws = wb[tracker.SHEET]
    a, b = column_index_from_string(first), column_index_from_string(last)
    k = column_index_from_string(key) - a
    rows = [[ws.cell(row=r, column=c).value for c in range(a, b + 1)] for r in range(2, ws.max_row + 1)]
    rows.sort(key=lambda r: (r[k] is None, str(r[k]) if r[k] is not None else ""), reverse=reverse)
    for i, r in enumerate(rows, start=2):
        for j, v in enumerate(r, start=a):
            ws.cell(row=i, column=j).value = v  # (value=None in cell() would keep the old value)
    wb.save(path)


def _import(root, out):
    return main(["snapshot", "import", str(out), "--date", "2023-10-31", "--data-dir", str(root), "--force"])


@pytest.mark.parametrize(
    ("first", "last", "key", "sign"),
    [
        ("K", "M", "K", "terurut sendiri"),  # due date, blocker, note sorted alone (was 143 wrong values)
        ("G", "N", "H", "Kode cek"),  # the whole yellow block sorted by status
        ("B", "F", "B", "bukan milik dokumen"),  # the grey reference block sorted by area
        ("L", "M", "M", "terurut sendiri"),  # blocker and note sorted by note
    ],
)
def test_a_tracker_sorted_in_part_is_refused_naming_the_rows(tmp_path, capsys, first, last, key, sign):
    root, out, status = _exported(tmp_path)
    before = status.read_bytes()
    _sort_columns(out, first, last, key)
    assert _import(root, out) == 1
    err = capsys.readouterr().err
    assert sign in err and "baris" in err and "urutkan seluruh tabel" in err
    assert status.read_bytes() == before  # nothing written


def test_a_tracker_sorted_whole_imports_the_same_snapshot(tmp_path):
    root, out, status = _exported(tmp_path)
    before = status.read_bytes()
    _sort_columns(out, "A", "N", "K", reverse=True)  # whole rows, by due date
    assert _import(root, out) == 0
    assert status.read_bytes() == before  # the snapshot is written in code order again


LO_SORT = Path(__file__).parents[1] / "fixtures" / "lo" / "sort_range.py"


@pytest.mark.slow
@needs_lo
def test_libreoffice_sorting_a_selection_is_caught_and_a_whole_sort_accepted(tmp_path, capsys):
    """Sorted by a real spreadsheet program: LibreOffice headless sorts the selection K2:M133
    (due date, blocker, note) by due date; the import refuses it. Sorting the whole table A1:N133
    with its header row is accepted."""
    import subprocess

    root, out, status = _exported(tmp_path)
    n = load_workbook(out, read_only=True)[tracker.SHEET].max_row
    part = tmp_path / "part.xlsx"
    shutil.copy(out, part)
    subprocess.run(
        [uno_python(), str(LO_SORT), str(part), tracker.SHEET, f"K2:M{n}", "0", "0", "2083"],
        check=True,
        capture_output=True,
        timeout=240,
    )
    assert _import(root, part) == 1
    assert "terurut sendiri" in capsys.readouterr().err
    whole = tmp_path / "whole.xlsx"
    shutil.copy(out, whole)
    before = status.read_bytes()
    subprocess.run(
        [uno_python(), str(LO_SORT), str(whole), tracker.SHEET, f"A1:N{n}", "10", "1", "2084"],
        check=True,
        capture_output=True,
        timeout=240,
    )
    assert _import(root, whole) == 0, capsys.readouterr().err
    assert status.read_bytes() == before


def test_a_tracker_with_last_years_headers_still_imports(new_kab):
    """Headers of earlier versions ("Poin maks", "Poin terverifikasi": before the sub-indicator
    share got a word of its own, *bagian*, so that *poin* means only points of the total score)
    are still read: a tracker filled last year keeps working."""
    from openpyxl import load_workbook

    _root, pemda, path = new_kab
    fw = load_framework(pemda.framework_year)
    code = fw.documents["doc_code"].iloc[0]
    fill(path, {code: {"status": "diverifikasi", "verified_points": 40}})
    wb = load_workbook(path)
    ws = wb[tracker.SHEET]
    for cell in ws[1]:
        cell.value = {"Bagian maks": "Poin maks", "Bagian terverifikasi": "Poin terverifikasi"}.get(
            cell.value, cell.value
        )
    wb.save(path)
    written = tracker_import.import_tracker(path, pemda, fw, dt.date(2023, 10, 31))
    snap = load_snapshot(written, fw, pemda)
    row = snap.documents.set_index("doc_code").loc[code]
    assert (row["status"], row["verified_points"]) == ("diverifikasi", 40.0)


def test_a_renamed_header_is_named_as_the_tracker_shows_its_headers(new_kab):
    """'Status' renamed 'Status dokumen': the message asks for 'Status' and lists the headers as
    the analyst sees them (Kode dokumen, OPD, ...), not the snapshot's internal names."""
    from openpyxl import load_workbook

    _root, pemda, path = new_kab
    wb = load_workbook(path)
    for cell in wb[tracker.SHEET][1]:
        if cell.value == "Status":
            cell.value = "Status dokumen"
    wb.save(path)
    with pytest.raises(InputError) as info:
        tracker_import.import_tracker(path, pemda, load_framework(pemda.framework_year), dt.date(2023, 10, 31))
    said = str(info.value)
    assert "judul kolom 'Status' di baris 1" in said and "Kode dokumen, " in said and "doc_code" not in said
