"""The dashboard-counts sheet (counts.py): the template per pemda kind, read back from .xlsx and
from .csv, every check naming its cell, the stored counts/<date>.csv never replaced by another
without --force, and the sample sheet of Kabupaten Musi Rawas."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from conftest import FIXTURES, TINY
from counts_sheet import SAMPLE, area_rows, fill_counts, letter, set_cells
from openpyxl import load_workbook

from mcp_lib.errors import InputError
from mcp_lib.framework.folder import load_framework
from mcp_lib.io.rawfile import ROW
from mcp_lib.pemda import counts as cm
from mcp_lib.pemda.settings import load_pemda

DATE = dt.date(2023, 10, 31)


def _counts(rows: list[tuple], date: dt.date = DATE, total: float | None = None) -> cm.AreaCounts:
    """Counts of (code, name, score, required, uploaded, accepted, returned, awaiting, not uploaded) rows."""
    areas = pd.DataFrame(rows, columns=["area_code", "area_name", "area_score", *cm.COUNTS])
    return cm.AreaCounts(date=date, areas=areas, dashboard_total=total)


KOTA_ROWS = [
    ("A", "Area A", 80.0, 10, 8, 5, 1, 2, 2),
    ("B", "Area B", 40.0, 4, 2, 1, 0, 1, 2),
]
KAB_ROWS = [*KOTA_ROWS, ("C", "Dana Desa", 10.0, 5, 1, 1, 0, 0, 4)]


@pytest.fixture
def kota_sheet(tmp_path, tiny_fw, kota):
    """The tiny kota's sheet filled with :data:`KOTA_ROWS` (rows 2 and 3: areas A and B)."""
    path = cm.write_counts_template(tiny_fw, kota, tmp_path / "angka.xlsx")
    return fill_counts(path, _counts(KOTA_ROWS))


def _problems(path, fw, pemda) -> dict[tuple[int | None, str | None], str]:
    with pytest.raises(InputError) as info:
        cm.read_counts(path, fw, pemda)
    assert all(p.file == str(path) for p in info.value.problems)
    return {(p.row, p.column): p.message for p in info.value.problems}


# --- the template --------------------------------------------------------------------------------


def test_the_template_has_one_row_per_area_of_the_kind(tmp_path, tiny_fw, kota, kab):
    for pemda, codes in ((kota, ["A", "B"]), (kab, ["A", "B", "C"])):
        path = cm.write_counts_template(tiny_fw, pemda, tmp_path / f"{pemda.slug}.xlsx")
        wb = load_workbook(path)
        assert wb.sheetnames == [cm.SHEET, cm.HELP_SHEET, "Daftar"] and wb["Daftar"].sheet_state == "hidden"
        ws = wb[cm.SHEET]
        assert [c.value for c in ws[1]] == [c.label for c in cm.COLUMNS]
        assert list(area_rows(ws)) == codes
        assert [ws.cell(row=r, column=letter("area_name")).value for r in area_rows(ws).values()][-1] == (
            "Dana Desa" if pemda is kab else "Area B"
        )
        assert "Diterima (accepted, verified)" in ws.cell(row=1, column=letter("accepted")).comment.text


def test_the_template_colours_prompts_and_ranges(tmp_path, tiny_fw, kab):
    ws = load_workbook(cm.write_counts_template(tiny_fw, kab, tmp_path / "a.xlsx"))[cm.SHEET]

    def colour(row, name):
        return ws.cell(row=row, column=letter(name)).fill.fgColor.rgb[-6:]

    assert colour(2, "data_date") == colour(2, "accepted") == colour(4, "not_uploaded") == "FFF9E5"
    assert colour(3, "data_date") == colour(4, "dashboard_total") == colour(2, "area_code") == "E1E5EA"
    ranges = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert ranges["A2"].type == "date"
    assert (ranges["E2:E4"].type, ranges["E2:E4"].formula2) == ("decimal", "100")
    assert ranges["H2:H4"].type == "whole" and "accepted" in ranges["H2:H4"].prompt
    assert not [c for row in ws.iter_rows() for c in row if c.data_type == "f"]


def test_the_template_is_never_written_over_without_force(tmp_path, tiny_fw, kota):
    path = cm.write_counts_template(tiny_fw, kota, tmp_path / "a.xlsx")
    set_cells(path, {(2, "area_score"): 55})
    with pytest.raises(InputError, match="sudah ada"):
        cm.write_counts_template(tiny_fw, kota, path)
    cm.write_counts_template(tiny_fw, kota, path, force=True)
    kept = [p for p in tmp_path.iterdir() if ".bak-" in p.name]
    assert len(kept) == 1 and load_workbook(kept[0])[cm.SHEET]["E2"].value == 55


# --- reading -------------------------------------------------------------------------------------


def test_template_filled_and_read_back(kota_sheet, tiny_fw, kota):
    counts = cm.read_counts(kota_sheet, tiny_fw, kota)
    assert counts.date == DATE and counts.dashboard_total is None and counts.path == kota_sheet
    expected = _counts(KOTA_ROWS).areas
    pd.testing.assert_frame_equal(counts.areas.drop(columns=[ROW]), expected, check_dtype=False)
    assert list(counts.areas[ROW]) == [2, 3]
    assert counts.areas["required"].dtype.kind == "i"


def test_a_sheet_saved_as_csv_by_indonesian_excel_reads_the_same(tmp_path, kota_sheet, tiny_fw, kota):
    lines = [
        ";".join(c.label for c in cm.COLUMNS),
        "31/10/2023;65;A;Area A;80;10;8;5;1;2;2",
        ";;B;Area B;40,0;4;2;1;0;1;2",
    ]
    path = tmp_path / "angka.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))
    from_csv = cm.read_counts(path, tiny_fw, kota)
    from_xlsx = cm.read_counts(kota_sheet, tiny_fw, kota)
    assert from_csv.date == from_xlsx.date and from_csv.dashboard_total == 65.0
    pd.testing.assert_frame_equal(from_csv.areas, from_xlsx.areas)


def test_headers_with_their_english_terms_are_read_too(tmp_path, tiny_fw, kota):
    head = ";".join(f"{c.label} ({c.english.split(',')[0]})" for c in cm.COLUMNS)
    path = tmp_path / "a.csv"
    path.write_text(head + "\n2023-10-31;;A;;80;10;8;5;1;2;2\n;;B;;40;4;2;1;0;1;2\n", encoding="utf-8")
    assert list(cm.read_counts(path, tiny_fw, kota).areas["area_name"]) == ["Area A", "Area B"]


# Each check: the cells typed into the kota's good sheet, and the cell the problem must name.
BAD = {
    "not a number": ({(2, "area_score"): "delapan"}, (2, "E Nilai area"), "bukan angka"),
    "negative count": ({(3, "returned"): -1}, (3, "I Dikembalikan"), "di luar rentang"),
    "decimal count": ({(3, "awaiting"): 1.5, (3, "uploaded"): 2.5}, (3, "J Menunggu verifikasi"), "bilangan bulat"),
    "score above 100": ({(2, "area_score"): 100.5}, (2, "E Nilai area"), "di luar rentang"),
    "blank count": ({(2, "required"): None}, (2, "F Dokumen wajib"), "isian kosong"),
    "unknown area": ({(3, "area_code"): "Z", (3, "area_name"): None}, (3, "C Kode area"), "tidak dikenal"),
    "missing area": ({(3, "area_code"): "Z", (3, "area_name"): None}, (None, "C Kode area"), "B (Area B) tidak ada"),
    "repeated area": ({(3, "area_code"): "A", (3, "area_name"): None}, (3, "C Kode area"), "area ganda"),
    "area of another row's name": ({(3, "area_name"): "Area A"}, (3, "D Nama area"), "bukan milik kode B"),
    "accepted above uploaded": ({(2, "accepted"): 9}, (2, "H Diterima"), "lebih banyak dari diunggah"),
    "uploaded not the sum": ({(2, "awaiting"): 1, (2, "not_uploaded"): 3}, (2, "G Diunggah"), "5 + 1 + 1 = 7"),
    "required not the sum": ({(3, "not_uploaded"): 1}, (3, "F Dokumen wajib"), "2 + 1 = 3"),
    "score with nothing decided": (
        {(3, "accepted"): 0, (3, "awaiting"): 2},
        (3, "E Nilai area"),
        "tidak ada dokumen diterima",
    ),
    "no date": ({(2, "data_date"): None}, (2, "A Tanggal data"), "belum diisi"),
    "date of another year": ({(2, "data_date"): dt.datetime(2025, 10, 31)}, (2, "A Tanggal data"), "kerangka 2023"),
    "second date": ({(3, "data_date"): dt.datetime(2023, 11, 30)}, (3, "A Tanggal data"), "berbeda dari baris 2"),
    "total off": ({(2, "dashboard_total"): 65.2}, (2, "B Nilai total dasbor"), "tidak cocok"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_each_check_names_its_cell(case, kota_sheet, tiny_fw, kota):
    cells, where, words = BAD[case]
    found = _problems(set_cells(kota_sheet, cells), tiny_fw, kota)
    assert where in found, found
    assert words in found[where]


def test_an_area_that_does_not_apply_to_a_kota_is_refused(tmp_path, tiny_fw, kota, kab):
    path = cm.write_counts_template(tiny_fw, kab, tmp_path / "kab.xlsx")  # a kabupaten's sheet, with Dana Desa
    fill_counts(path, _counts(KAB_ROWS))
    found = _problems(path, tiny_fw, kota)
    assert "tidak berlaku untuk kota" in found[(4, "C Kode area")]
    assert "dibuat untuk pemda kab-contoh" in found[(None, "Daftar")]


def test_the_total_is_the_weighted_area_scores_within_a_tenth(kota_sheet, tiny_fw, kota):
    # Area A weighs 50, B 30 (Dana Desa, 20, does not apply): 80 × 50/80 + 40 × 30/80 = 65
    for total in (65.0, 65.1, 64.9):
        assert cm.read_counts(set_cells(kota_sheet, {(2, "dashboard_total"): total}), tiny_fw, kota).dashboard_total
    assert cm.weighted_total(tiny_fw, _counts(KOTA_ROWS).areas) == pytest.approx(65.0)


def test_a_total_after_the_years_penalty_matches_too(tmp_path):
    fw, pemda = load_framework(2025, FIXTURES / "four"), load_pemda("kota-empat", FIXTURES / "four")
    rows = [("A", "Area A", 70.0, 5, 5, 4, 1, 0, 0), ("B", "Area B", 50.0, 1, 1, 1, 0, 0, 0)]
    path = cm.write_counts_template(fw, pemda, tmp_path / "a.xlsx")
    # 70 × 0,6 + 50 × 0,4 = 62, less the 3,1 points of 2025: 58,9
    for total in (62.0, 58.9):
        fill_counts(path, _counts(rows, dt.date(2025, 10, 31)), total=total)
        assert cm.read_counts(path, fw, pemda).dashboard_total == total
    fill_counts(path, _counts(rows, dt.date(2025, 10, 31)), total=60.0)
    assert "58,90 setelah penalti 3,1 poin" in _problems(path, fw, pemda)[(2, "B Nilai total dasbor")]


def test_an_unfilled_sheet_is_one_problem(tmp_path, tiny_fw, kota):
    path = cm.write_counts_template(tiny_fw, kota, tmp_path / "a.xlsx")
    assert list(_problems(path, tiny_fw, kota).values()) == ["lembar angka dasbor belum diisi"]


def test_a_missing_column_is_named_with_its_header(tmp_path, tiny_fw, kota):
    path = tmp_path / "a.csv"
    path.write_text("Tanggal data;Kode area;Nilai area\n2023-10-31;A;80\n", encoding="utf-8")
    found = _problems(path, tiny_fw, kota)
    assert (1, "F Dokumen wajib") in found and found[(1, "F Dokumen wajib")] == "kolom wajib tidak ada"


def test_an_area_with_no_required_document_weighs_nothing(tiny_fw):
    areas = _counts([("A", "Area A", 80.0, 10, 8, 5, 1, 2, 2), ("B", "Area B", 0.0, 0, 0, 0, 0, 0, 0)]).areas
    assert list(cm.area_weights(tiny_fw, areas)) == [100.0, 0.0]
    assert cm.weighted_total(tiny_fw, areas) == 80.0


# --- storing -------------------------------------------------------------------------------------


def test_stored_counts_read_back_and_are_never_replaced_by_others(tmp_path, kota_sheet, tiny_fw):
    import shutil

    shutil.copytree(TINY, tmp_path / "data")
    pemda = load_pemda("kota-contoh", tmp_path / "data")
    counts = cm.read_counts(kota_sheet, tiny_fw, pemda)
    path, written = cm.store_counts(pemda, counts)
    assert written and path == pemda.path / "counts" / "2023-10-31.csv"
    again = cm.read_counts(path, tiny_fw, pemda)
    pd.testing.assert_frame_equal(again.areas.drop(columns=[ROW]), counts.areas.drop(columns=[ROW]))
    assert cm.store_counts(pemda, again) == (path, False)  # the same figures: left as they are
    other = cm.AreaCounts(counts.date, counts.areas.assign(area_score=[81.0, 40.0]))
    with pytest.raises(InputError, match="sudah ada dengan isi lain"):
        cm.store_counts(pemda, other)
    assert cm.store_counts(pemda, other, force=True) == (path, True)
    assert cm.read_counts(path, tiny_fw, pemda).areas["area_score"].iloc[0] == 81.0
    assert [p.name for _, p in cm.list_counts(pemda)] == ["2023-10-31.csv"]  # the backup is not listed
    assert len(list(path.parent.iterdir())) == 2


# --- the sample ----------------------------------------------------------------------------------


def test_the_sample_sheet_is_musi_rawas_latest_snapshot_counted():
    from mcp_lib.count_scores import counts_from_snapshot
    from mcp_lib.pemda.snapshot import list_snapshots, load_snapshot

    pemda = load_pemda("kab-musi-rawas")
    fw = load_framework(pemda.framework_year)
    date, snap_path = list_snapshots(pemda)[-1]
    derived = counts_from_snapshot(fw, pemda, load_snapshot(snap_path, fw, pemda, date)).areas
    sample = cm.read_counts(SAMPLE, fw, pemda)
    assert sample.date == date == dt.date(2025, 10, 31)
    assert (sample.areas[list(cm.COUNTS)].to_numpy() == derived[list(cm.COUNTS)].to_numpy()).all()
    assert (sample.areas["area_score"] - derived["area_score"]).abs().max() <= 0.005 + 1e-9
    assert sample.areas["required"].sum() == len(fw.documents)  # every 2025 document applies to a kabupaten


def test_a_sum_that_does_not_add_up_says_what_it_should_be(kota_sheet, tiny_fw, kota):
    """The sums keep their own expectation; only a cell the reader refused asks for a whole number."""
    path = set_cells(kota_sheet, {(2, "accepted"): 9, (3, "returned"): -1})
    with pytest.raises(InputError) as info:
        cm.read_counts(path, tiny_fw, kota)
    expected = {(p.row, p.column): p.expected for p in info.value.problems}
    assert expected[(2, "H Diterima")] == "diterima paling banyak sama dengan diunggah"
    assert expected[(3, "I Dikembalikan")] == cm.COUNT_EXPECTED


def test_an_area_scored_by_a_realisation_may_score_with_nothing_accepted(tmp_path):
    """2026 sample, March: Optimalisasi Pendapatan Daerah scores 15 from its tax realisation while
    no document of it is accepted yet; the sheet made from that snapshot reads back."""
    from counts_sheet import fill_counts

    from mcp_lib.count_scores import counts_from_snapshot
    from mcp_lib.framework.folder import load_framework
    from mcp_lib.pemda.settings import load_pemda
    from mcp_lib.pemda.snapshot import load_period

    pemda, fw = load_pemda("kab-musi-banyuasin"), load_framework(2026)
    sheet = cm.write_counts_template(fw, pemda, tmp_path / "maret.xlsx")
    fill_counts(sheet, counts_from_snapshot(fw, pemda, load_period(pemda, fw, "2026-03")))
    areas = cm.read_counts(sheet, fw, pemda).areas.set_index("area_code")
    assert areas.loc["A6", "area_score"] == pytest.approx(15.0) and areas.loc["A6", "accepted"] == 0
