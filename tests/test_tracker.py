"""The Excel tracker (tracker.py): its layout, dropdowns and sorting, and its round trip to status
snapshots."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from conftest import TINY, fill, tracker_column
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from mcp_lib import tracker
from mcp_lib.cli import main
from mcp_lib.config import DATA_DIR, STATUSES
from mcp_lib.errors import InputError
from mcp_lib.framework import load_framework
from mcp_lib.onboard import init_pemda
from mcp_lib.pemda import load_pemda
from mcp_lib.scoring import score_snapshot
from mcp_lib.snapshot import list_snapshots, load_period, load_snapshot


def test_tracker_has_dropdowns_a_sortable_sheet_and_no_formulas(new_kab):
    _, pemda, path = new_kab
    wb = load_workbook(path)
    assert wb.sheetnames == [tracker.SHEET, tracker.HELP_SHEET, tracker.LIST_SHEET]
    ws = wb[tracker.SHEET]
    n = ws.max_row
    assert n - 1 == len(load_framework(2023).documents)  # a kabupaten: every document applies
    assert ws.freeze_panes == "B2" and ws.auto_filter.ref == f"A1:N{n}"
    assert [c.value for c in ws["N"]][:3] == ["Kode cek", ws["A2"].value, ws["A3"].value]
    by_range = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    status = by_range[f"H2:H{n}"]
    assert status.type == "list" and status.errorStyle == "stop"
    lists = wb[tracker.LIST_SHEET]
    assert [lists.cell(row=r, column=1).value for r in range(2, 8)] == list(STATUSES)
    assert status.formula1 == f"{tracker.LIST_SHEET}!$A$2:$A$7"
    opd = by_range[f"G2:G{n}"]
    assert opd.type == "list" and opd.formula1 == f"{tracker.LIST_SHEET}!$B$2:$B${len(pemda.opds) + 1}"
    assert [lists.cell(row=r, column=2).value for r in range(2, len(pemda.opds) + 2)] == [
        o.name for o in pemda.opds
    ]
    points = by_range[f"I2:I{n}"]
    assert (points.type, points.operator, points.formula1, points.formula2) == (
        "decimal",
        "between",
        "0",
        "$F2",
    )
    assert by_range[f"K2:K{n}"].type == "date"
    assert by_range[f"J2:J{n}"].type == "decimal"
    # not protected, so that whole rows can be sorted; reference cells grey, editable ones yellow
    assert not ws.protection.sheet
    for col in tracker.COLUMNS:
        cell = ws.cell(row=2, column=tracker_column(ws, col.name))
        assert cell.fill.fgColor.rgb.endswith("FFF9E5" if col.editable else "E1E5EA"), col.name
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            assert not [c.coordinate for c in row if c.data_type == "f"], sheet.title
    help_text = " ".join(str(c.value) for row in wb[tracker.HELP_SHEET].iter_rows() for c in row if c.value)
    for status_name in STATUSES:
        assert status_name in help_text
    assert "mcp snapshot import" in help_text


def test_names_starting_with_equals_stay_text(tmp_path):
    """A document named like a formula is written as text, not as something Excel would run."""
    root = tmp_path / "data"
    shutil.copytree(TINY, root)
    ev = root / "frameworks" / "mcp-2023" / "evidence.csv"
    ev.write_text(ev.read_text(encoding="utf-8").replace("Dok A11 satu", "=1+2 HYPERLINK"), encoding="utf-8")
    pemda = load_pemda("kota-contoh", root)
    fw = load_framework(2023, root)
    path = tracker.write_tracker(pemda, fw, tmp_path / "t.xlsx")
    ws = load_workbook(path)[tracker.SHEET]
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert cells and all(c.data_type == "s" for c in cells)


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
        tracker.import_tracker(path, pemda, fw, dt.date(2023, 10, 31))
    found = {(p.row, p.column) for p in info.value.problems}
    assert (5, "H Status") in found
    assert (6, "I Poin terverifikasi") in found
    assert (7, "I Poin terverifikasi") in found
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
    written = tracker.import_tracker(path, pemda, fw, date)
    written.write_text(written.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # the analyst's file
    before = written.read_bytes()
    with pytest.raises(InputError, match="tidak ditimpa"):
        tracker.import_tracker(path, pemda, fw, date)
    assert written.read_bytes() == before
    tracker.import_tracker(path, pemda, fw, date, force=True)
    assert written.read_bytes() != before


def test_tracker_of_another_pemda_or_year_is_refused(new_kab, tmp_path):
    root, _, path = new_kab
    other, _ = init_pemda("kota-lain", "Kota Lain", "kota", "X", 2023, root)
    fw = load_framework(2023)
    with pytest.raises(InputError, match="dibuat untuk pemda kab-baru"):
        tracker.import_tracker(path, other, fw, dt.date(2023, 10, 31))
    with pytest.raises(InputError, match="bukan milik kerangka MCP 2023"):
        tracker.import_tracker(path, load_pemda("kab-baru", root), fw, dt.date(2025, 1, 31))


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
        assert (
            main(["snapshot", "import", str(out), "--date", f"{date:%Y-%m-%d}", "--data-dir", str(root)]) == 0
        )
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


def test_renamed_opd_keeps_old_snapshots_and_new_trackers_working(new_kab):
    """An analyst renames an OPD in pemda.toml and keeps the old name as `aka`: the snapshot
    imported before the rename still loads (under the new name) and a new tracker uses it."""
    root, pemda, path = new_kab
    fw = load_framework(2023)
    tracker.import_tracker(path, pemda, fw, dt.date(2023, 9, 30))
    toml = pemda.path / "pemda.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(
        text.replace('name = "Bagian PBJ"', 'name = "Bagian Pengadaan"\naka = ["Bagian PBJ"]'),
        encoding="utf-8",
    )
    renamed = load_pemda("kab-baru", root)
    snap = load_snapshot(pemda.status_dir / "2023-09-30.csv", fw, renamed)
    assert "Bagian Pengadaan" in set(snap.documents["opd"]) and "Bagian PBJ" not in set(snap.documents["opd"])
    new = tracker.write_tracker(renamed, fw, root / "baru.xlsx")
    ws = load_workbook(new)[tracker.SHEET]
    opds = {ws.cell(row=r, column=tracker_column(ws, "opd")).value for r in range(2, ws.max_row + 1)}
    assert "Bagian Pengadaan" in opds and "Bagian PBJ" not in opds
    tracker.import_tracker(new, renamed, fw, dt.date(2023, 10, 31))
    # Without the aka line the old snapshot names an unknown OPD, and the message says what to do.
    toml.write_text(text.replace('name = "Bagian PBJ"', 'name = "Bagian Pengadaan"'), encoding="utf-8")
    with pytest.raises(InputError, match="aka"):
        load_snapshot(pemda.status_dir / "2023-09-30.csv", fw, load_pemda("kab-baru", root))


def test_force_keeps_the_filled_tracker_and_snapshot_it_replaces(new_kab):
    """`mcp tracker --force` after an OPD rename must not lose a month of entries."""
    root, pemda, path = new_kab
    fw = load_framework(2023)
    code = fw.documents["doc_code"].iloc[0]
    fill(path, {code: {"status": "diverifikasi", "verified_points": 10}})
    filled = path.read_bytes()
    assert main(["tracker", "--pemda", "kab-baru", "--force", "--data-dir", str(root)]) == 0
    backups = list(pemda.path.glob("tracker-2023.bak-*.xlsx"))
    assert len(backups) == 1 and backups[0].read_bytes() == filled
    date = dt.date(2023, 10, 31)
    snap = tracker.import_tracker(backups[0], pemda, fw, date)
    first = snap.read_bytes()
    tracker.import_tracker(path, pemda, fw, date, force=True)
    kept = list(pemda.status_dir.glob("2023-10-31.csv.bak-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == first
    assert [d for d, _ in list_snapshots(pemda)] == [date]  # the backup is not a second snapshot


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


LO_SORT = Path(__file__).parent / "fixtures" / "lo" / "sort_range.py"


def _uno_python() -> str | None:
    import subprocess

    if shutil.which("soffice") is None:
        return None
    for python in ("/usr/bin/python3", shutil.which("python3")):
        if python and subprocess.run([python, "-c", "import uno"], capture_output=True).returncode == 0:
            return python
    return None


@pytest.mark.skipif(_uno_python() is None, reason="LibreOffice with python3-uno not installed")
def test_libreoffice_sorting_a_selection_is_caught_and_a_whole_sort_accepted(tmp_path, capsys):
    """Sorted by a real spreadsheet program: LibreOffice headless sorts the selection K2:M133
    (due date, blocker, note) by due date; the import refuses it. Sorting the whole table A1:N133
    with its header row is accepted."""
    import subprocess

    root, out, status = _exported(tmp_path)
    n = load_workbook(out, read_only=True)[tracker.SHEET].max_row
    part = tmp_path / "part.xlsx"
    shutil.copy(out, part)
    subprocess.run([_uno_python(), str(LO_SORT), str(part), tracker.SHEET, f"K2:M{n}", "0", "0", "2083"],
                   check=True, capture_output=True, timeout=240)  # fmt: skip
    assert _import(root, part) == 1
    assert "terurut sendiri" in capsys.readouterr().err
    whole = tmp_path / "whole.xlsx"
    shutil.copy(out, whole)
    before = status.read_bytes()
    subprocess.run([_uno_python(), str(LO_SORT), str(whole), tracker.SHEET, f"A1:N{n}", "10", "1", "2084"],
                   check=True, capture_output=True, timeout=240)  # fmt: skip
    assert _import(root, whole) == 0, capsys.readouterr().err
    assert status.read_bytes() == before


def test_a_680_document_tracker_stays_usable(tmp_path):
    """The 2025 kabupaten tracker: every row filtered, dropdowns down to the last row, the code
    frozen, and the four level columns in one outline group that folds them away."""
    pemda = load_pemda("kab-musi-rawas")
    fw = load_framework(2025)
    path = tracker.write_tracker(pemda, fw, tmp_path / "t.xlsx")
    ws = load_workbook(path)[tracker.SHEET]
    assert ws.max_row == 681 and ws.freeze_panes == "B2"
    assert ws.auto_filter.ref.endswith("681")
    assert all(str(dv.sqref).endswith("681") for dv in ws.data_validations.dataValidation)
    headers = [c.value for c in ws[1]]
    grouped = [
        h for i, h in enumerate(headers, start=1) if ws.column_dimensions[get_column_letter(i)].outlineLevel
    ]
    assert grouped == ["Area", "Sasaran", "Indikator", "Sub-indikator"]
    assert ws.column_dimensions["E"].width == 34  # grouping keeps each column's own width


def test_a_framework_typed_in_a_workbook_from_import_to_brief(tmp_path, capsys):
    """An Inspektorat types this year's framework in the workbook (here: the 2025 one exported,
    its label changed), imports it as 2026 (a second import without --force is refused), starts a kota on
    it and makes a brief: every step through the command line."""
    from mcp_lib.runner import run_brief

    root = tmp_path / "data"
    book = tmp_path / "kerangka-2026.xlsx"
    assert main(["framework", "export", "--year", "2025", "--out", str(book)]) == 0
    wb = load_workbook(book)
    meta = wb["Kerangka"]
    for row in meta.iter_rows(min_row=2):
        if row[0].value == "Label":
            row[1].value = "MCP 2026 Kota Uji"
    wb.save(book)
    assert main(["framework", "import", str(book), "--year", "2026", "--data-dir", str(root)]) == 0
    out = capsys.readouterr().out
    assert "kota: 680 dokumen" in out and "provinsi: 660 dokumen" in out
    fw = load_framework(2026, root)
    assert fw.label == "MCP 2026 Kota Uji" and len(fw.levels) == 4
    assert main(["--data-dir", str(root), "framework", "import", str(book), "--year", "2026"]) == 1  # kept
    assert main(["init", "--pemda", "kota-uji", "--name", "Kota Uji", "--kind", "kota", "--province", "Bengkulu",
                 "--framework", "2026", "--data-dir", str(root)]) == 0  # fmt: skip
    pemda = load_pemda("kota-uji", root)
    docs = fw.documents[fw.applies("kota").to_numpy()]
    third = docs.iloc[::3]
    fill(
        pemda.path / "tracker-2026.xlsx",
        {c: {"status": "diverifikasi", "verified_points": p} for c, p in zip(third["doc_code"], third["points"], strict=True)},
    )  # fmt: skip
    assert main(["snapshot", "import", str(pemda.path / "tracker-2026.xlsx"), "--date", "2026-08-31",
                 "--data-dir", str(root)]) == 0  # fmt: skip
    result = run_brief("kota-uji", "2026-08", data_dir=root, out_root=tmp_path / "out", brief_only=True)
    expected = score_snapshot(fw, pemda, load_period(pemda, fw, "2026-08"))
    assert result.summary["verified"] == pytest.approx(expected.verified) and 20 < expected.verified < 45
    html = result.html.read_text(encoding="utf-8")
    assert "MCP 2026 Kota Uji" in html and "Rincian indikator" in html
