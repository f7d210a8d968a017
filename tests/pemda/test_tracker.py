"""The Excel tracker (tracker.py): its sheets, dropdowns, colours and outline, names kept as text,
OPD renames and --force backups, and trackers of four-level frameworks."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from conftest import TINY, fill, tracker_column
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from mcp_lib.app.cli import main
from mcp_lib.brief.request import BriefRequest
from mcp_lib.errors import InputError
from mcp_lib.framework.folder import load_framework
from mcp_lib.pemda import tracker, tracker_import
from mcp_lib.pemda.settings import load_pemda
from mcp_lib.pemda.snapshot import list_snapshots, load_period, load_snapshot
from mcp_lib.scoring import score_snapshot
from mcp_lib.statuses import STATUSES


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
    assert [lists.cell(row=r, column=2).value for r in range(2, len(pemda.opds) + 2)] == [o.name for o in pemda.opds]
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


def test_renamed_opd_keeps_old_snapshots_and_new_trackers_working(new_kab):
    """An analyst renames an OPD in pemda.toml and keeps the old name as `aka`: the snapshot
    imported before the rename still loads (under the new name) and a new tracker uses it."""
    root, pemda, path = new_kab
    fw = load_framework(2023)
    tracker_import.import_tracker(path, pemda, fw, dt.date(2023, 9, 30))
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
    tracker_import.import_tracker(new, renamed, fw, dt.date(2023, 10, 31))
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
    snap = tracker_import.import_tracker(backups[0], pemda, fw, date)
    first = snap.read_bytes()
    tracker_import.import_tracker(path, pemda, fw, date, force=True)
    kept = list(pemda.status_dir.glob("2023-10-31.csv.bak-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == first
    assert [d for d, _ in list_snapshots(pemda)] == [date]  # the backup is not a second snapshot


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
    grouped = [h for i, h in enumerate(headers, start=1) if ws.column_dimensions[get_column_letter(i)].outlineLevel]
    assert grouped == ["Area", "Sasaran", "Indikator", "Sub-indikator"]
    assert ws.column_dimensions["E"].width == 34  # grouping keeps each column's own width


@pytest.mark.slow
def test_a_framework_typed_in_a_workbook_from_import_to_brief(tmp_path, capsys, warm_kernel):
    """An Inspektorat types this year's framework in the workbook (here: the 2025 one exported,
    its label changed), imports it as 2026 (a second import without --force is refused), starts a kota on
    it and makes a brief: every step through the command line."""
    from mcp_lib.run.runner import run_brief

    root = tmp_path / "data"
    book = tmp_path / "kerangka-2026.xlsx"
    assert main(["framework", "export", "--year", "2025", "--out", str(book)]) == 0
    wb = load_workbook(book)
    meta = wb["Kerangka"]
    for row in meta.iter_rows(min_row=2):
        if row[0].value == "Label":
            row[1].value = "MCP 2026 Kota Uji"
        if row[0].value in ("Batas unggah", "Tanggal final"):  # last year's calendar is refused
            row[1].value = row[1].value.replace(year=row[1].value.year + 1)
    wb.save(book)
    assert main(["framework", "import", str(book), "--year", "2026", "--data-dir", str(root)]) == 0
    out = capsys.readouterr().out
    assert "kota: 680 dokumen" in out and "provinsi: 660 dokumen" in out
    fw = load_framework(2026, root)
    assert fw.label == "MCP 2026 Kota Uji" and len(fw.levels) == 4
    assert main(["--data-dir", str(root), "framework", "import", str(book), "--year", "2026"]) == 1  # kept
    assert (
        main(
            [
                "init",
                "--pemda",
                "kota-uji",
                "--name",
                "Kota Uji",
                "--kind",
                "kota",
                "--province",
                "Bengkulu",
                "--framework",
                "2026",
                "--data-dir",
                str(root),
            ]
        )
        == 0
    )
    pemda = load_pemda("kota-uji", root)
    docs = fw.documents[fw.applies("kota").to_numpy()]
    third = docs.iloc[::3]
    fill(
        pemda.path / "tracker-2026.xlsx",
        {
            c: {"status": "diverifikasi", "verified_points": p}
            for c, p in zip(third["doc_code"], third["points"], strict=True)
        },
    )
    assert (
        main(
            [
                "snapshot",
                "import",
                str(pemda.path / "tracker-2026.xlsx"),
                "--date",
                "2026-08-31",
                "--data-dir",
                str(root),
            ]
        )
        == 0
    )
    result = run_brief(
        BriefRequest("kota-uji", "2026-08", data_dir=root),
        out_root=tmp_path / "out",
        brief_only=True,
        session=warm_kernel,
    )
    expected = score_snapshot(fw, pemda, load_period(pemda, fw, "2026-08"))
    assert result.summary["verified"] == pytest.approx(expected.verified) and 20 < expected.verified < 45
    html = result.html.read_text(encoding="utf-8")
    assert "MCP 2026 Kota Uji" in html and "Rincian indikator" in html


def test_a_tracker_on_a_framework_with_methods_shows_them_and_reads_back_the_realisation(tmp_path):
    """On a 2026-shaped framework the tracker has 'Cara dinilai' and 'Jendela data' (grey, from the
    framework) and a yellow 'Realisasi'; what the analyst types there is the snapshot's realisasi.
    A 2023 tracker has none of the three."""
    from conftest import METHODS

    root = tmp_path / "m"
    shutil.copytree(METHODS, root)
    fw, pemda = load_framework(2026, root), load_pemda("kab-metode", root)
    snap = load_period(pemda, fw, "2026-10")
    path = tmp_path / "tracker.xlsx"
    tracker.write_tracker(pemda, fw, path, snap.documents)
    ws = load_workbook(path)[tracker.SHEET]
    headers = [c.value for c in ws[1]]
    assert headers.index("Cara dinilai") < headers.index("Jendela data") < headers.index("OPD")
    rows = {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}
    cell = lambda code, label: ws.cell(row=rows[code], column=headers.index(label) + 1)  # noqa: E731
    assert cell("B.1.D3", "Cara dinilai").value == "BOBOT_TAHUN periode=2"
    assert cell("B.1.D3", "Jendela data").value == "TA 2025"
    assert cell("B.2.D1", "Realisasi").value == 60
    wb = load_workbook(path)
    wb[tracker.SHEET].cell(row=rows["B.2.D1"], column=headers.index("Realisasi") + 1, value=72)
    wb.save(path)
    back, _table = tracker_import.read_tracker(path, pemda, fw, dt.date(2026, 11, 15))
    assert back.documents.set_index("doc_code").loc["B.2.D1", "realisasi"] == 72
    assert score_snapshot(fw, pemda, back).by_subindicator.set_index("subindicator_code").loc["B.2", "verified"] == 90
    plain = tmp_path / "plain.xlsx"
    tracker.write_tracker(load_pemda("kota-contoh", TINY), load_framework(2023, TINY), plain)
    plain_headers = [c.value for c in load_workbook(plain)[tracker.SHEET][1]]
    assert not {"Cara dinilai", "Jendela data", "Realisasi"} & set(plain_headers)
