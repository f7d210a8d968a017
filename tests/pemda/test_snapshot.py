"""Dated status snapshots: listed, picked for a period, validated against the framework and the
pemda (every problem with its row and column), and the history across them."""

import datetime as dt
import shutil

import pytest
from conftest import METHODS, TINY, edit_text

from mcp_lib.errors import InputError
from mcp_lib.framework.folder import load_framework
from mcp_lib.pemda.settings import load_pemda
from mcp_lib.pemda.snapshot import list_snapshots, load_history, load_period, load_snapshot

GOOD = (TINY / "pemda" / "kota-contoh" / "status" / "2023-10-31.csv").read_text(encoding="utf-8")


def _problems(kota_dir, content, name="2023-10-31.csv", period="2023-10"):
    (kota_dir / "status" / "2023-10-31.csv").unlink()
    (kota_dir / "status" / name).write_text(content, encoding="utf-8")
    pemda = load_pemda(kota_dir)
    from mcp_lib.framework.folder import load_framework

    fw = load_framework(2023, kota_dir.parent.parent)
    with pytest.raises(InputError) as err:
        load_period(pemda, fw, period)
    return err.value.problems


def _one(problems, column):
    found = [p for p in problems if p.column == column]
    assert len(found) == 1, problems
    assert found[0].file.endswith(".csv")
    return found[0]


def test_good_snapshot_loads_with_not_applicable_area_filled_in(tiny_fw, kota):
    snap = load_period(kota, tiny_fw, "2023-10")
    assert snap.date == dt.date(2023, 10, 31)
    docs = snap.documents.set_index("doc_code")
    assert docs.loc["C.1.1.D1", "status"] == "tidak_berlaku"  # Dana Desa for a kota
    assert docs.loc["A.1.1.D2", "verified_points"] == 0
    assert docs.loc["A.1.2.D1", "note"] == "dokumen belum ditandatangani"


def test_unknown_document_code(kota_dir):
    missing, unknown = _problems(kota_dir, GOOD.replace("A.2.1.D1,", "A.2.1.D9,"))  # whole file first
    assert (unknown.row, unknown.column, unknown.value) == (5, "doc_code", "A.2.1.D9")
    # A.2.1.D1 is now missing too: that is reported as well, for the whole file.
    assert (missing.row, missing.column) == (None, "doc_code")
    assert "A.2.1.D1" in missing.message


def test_subindicator_code_instead_of_document_code_gets_a_hint(kota_dir):
    problems = _problems(kota_dir, GOOD.replace("A.2.1.D1,", "A.2.1,"))
    assert any(p.row == 5 and "kode sub-indikator" in p.expected for p in problems)


def test_duplicate_document_rows(kota_dir):
    (p,) = _problems(kota_dir, GOOD + "A.1.1.D1,Bappeda,diverifikasi,60,2,,,\n")
    assert (p.row, p.column, p.value) == (10, "doc_code", "A.1.1.D1")
    assert "baris 2" in p.message


def test_points_above_maximum_and_negative(kota_dir):
    content = GOOD.replace("A.1.1.D1,Bappeda,diverifikasi,60", "A.1.1.D1,Bappeda,diverifikasi,61")
    content = content.replace("A.2.1.D1,BPKAD,diverifikasi,25", "A.2.1.D1,BPKAD,diverifikasi,-5")
    problems = _problems(kota_dir, content)
    rows = {p.row: p for p in problems}
    assert rows[2].column == "verified_points" and "60" in rows[2].message
    assert rows[5].column == "verified_points" and "negatif" in rows[5].message


def test_points_on_a_status_without_points(kota_dir):
    (p,) = _problems(kota_dir, GOOD.replace("A.1.1.D2,Bappeda,diunggah,", "A.1.1.D2,Bappeda,diunggah,40"))
    assert (p.row, p.column) == (3, "verified_points")


def test_verified_without_points(kota_dir):
    (p,) = _problems(kota_dir, GOOD.replace("A.1.1.D1,Bappeda,diverifikasi,60", "A.1.1.D1,Bappeda,diverifikasi,"))
    assert (p.row, p.column) == (2, "verified_points")


def test_unknown_status(kota_dir):
    (p,) = _problems(kota_dir, GOOD.replace("B.1.1.D1,Inspektorat,belum", "B.1.1.D1,Inspektorat,selesai"))
    assert (p.row, p.column, p.value) == (7, "status", "selesai")
    assert "perlu_perbaikan" in p.expected


def test_unparseable_date(kota_dir):
    (p,) = _problems(kota_dir, GOOD.replace("2023-11-15", "15 Novembr 2023"))
    assert (p.row, p.column, p.value) == (4, "due_date", "15 Novembr 2023")


def test_missing_column(kota_dir):
    content = "\n".join(",".join(line.split(",")[:2] + line.split(",")[3:]) for line in GOOD.splitlines())
    (p,) = _problems(kota_dir, content)
    assert (p.row, p.column) == (1, "status")


def test_empty_file(kota_dir):
    (p,) = _problems(kota_dir, "")
    assert "kosong" in p.message and p.file.endswith("2023-10-31.csv")


def test_missing_document_row(kota_dir):
    content = "".join(line for line in GOOD.splitlines(keepends=True) if not line.startswith("B.1.1.D1"))
    (p,) = _problems(kota_dir, content)
    assert p.column == "doc_code" and "B.1.1.D1" in p.message


def test_not_applicable_area_with_a_status(kota_dir):
    (p,) = _problems(kota_dir, GOOD + "C.1.1.D1,Bappeda,diverifikasi,50,,,,\n")
    assert (p.row, p.column) == (10, "status")
    assert "Dana Desa" in p.message and "kota" in p.message


def test_unknown_opd(kota_dir):
    (p,) = _problems(kota_dir, GOOD.replace("A.1.1.D2,Bappeda", "A.1.1.D2,Bapeda"))
    assert (p.row, p.column, p.value) == (3, "opd", "Bapeda")
    assert "Bappeda" in p.expected


def test_snapshot_of_another_framework_year(kota_dir):
    problems = _problems(kota_dir, GOOD, name="2024-06-30.csv", period="2024-06")
    assert any("bukan milik kerangka MCP 2023" in p.message for p in problems)


def test_period_with_no_snapshot_lists_existing_periods(tiny_fw, kota):
    with pytest.raises(InputError) as err:
        load_period(kota, tiny_fw, "2023-11")
    assert "2023-08, 2023-09, 2023-10" in str(err.value)


@pytest.mark.parametrize("period", ["2023-13", "Oktober", "2023/10"])
def test_invalid_period(tiny_fw, kota, period):
    with pytest.raises(InputError, match="YYYY-MM"):
        load_period(kota, tiny_fw, period)


def test_period_takes_latest_snapshot_of_the_month(kota_dir, tiny_fw):
    earlier = (
        (kota_dir / "status" / "2023-10-31.csv")
        .read_text()
        .replace("A.1.1.D2,Bappeda,diunggah", "A.1.1.D2,Bappeda,belum")
    )
    (kota_dir / "status" / "2023-10-15.csv").write_text(earlier, encoding="utf-8")
    (kota_dir / "status" / "~$2023-10-31.xlsx").write_bytes(b"excel lock file")
    pemda = load_pemda(kota_dir)
    assert [d.day for d, _ in list_snapshots(pemda)] == [31, 30, 15, 31]  # the lock file is skipped
    snap = load_period(pemda, tiny_fw, "2023-10")
    assert snap.date == dt.date(2023, 10, 31) and snap.path.name == "2023-10-31.csv"
    assert snap.documents.set_index("doc_code").loc["A.1.1.D2", "status"] == "diunggah"


def test_badly_named_snapshot_file(kota_dir):
    (kota_dir / "status" / "oktober.csv").write_text(GOOD, encoding="utf-8")
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        list_snapshots(load_pemda(kota_dir))


def test_history_reports_problems_of_every_file(kota_dir, tiny_fw):
    for name in ("2023-08-31.csv", "2023-09-30.csv"):
        path = kota_dir / "status" / name
        path.write_text(path.read_text().replace("belum", "entah", 1), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_history(load_pemda(kota_dir), tiny_fw)
    assert {p.file.rsplit("/", 1)[-1] for p in err.value.problems} == {"2023-08-31.csv", "2023-09-30.csv"}


def test_opd_names_may_hold_slashes_and_commas(kota_dir, tiny_fw):
    toml = kota_dir / "pemda.toml"
    toml.write_text(toml.read_text() + '\n[[opd]]\nname = "Bagian Barang/Jasa, Setda"\n', encoding="utf-8")
    (kota_dir / "status" / "2023-10-31.csv").write_text(
        GOOD.replace("A.1.2.D1,BPKAD", 'A.1.2.D1,"Bagian Barang/Jasa, Setda; Bappeda"'), encoding="utf-8"
    )
    snap = load_period(load_pemda(kota_dir), tiny_fw, "2023-10")
    row = snap.documents.set_index("doc_code").loc["A.1.2.D1"]
    assert row["opd"] == "Bagian Barang/Jasa, Setda"
    assert row["opds"] == "Bagian Barang/Jasa, Setda; Bappeda"


def test_an_implausible_effort_is_refused_with_row_and_column(kota_dir):
    """An employee number pasted into the effort column once made a reachable target unreachable."""
    for value in ("199201011990031001", "366", "1e9"):
        content = GOOD.replace("B.1.2.D2,Inspektorat,disiapkan,,6,", f"B.1.2.D2,Inspektorat,disiapkan,,{value},")
        p = _one(_problems(kota_dir, content), "effort_days")
        assert p.row == 9 and p.message == "angka di luar rentang" and "365" in p.expected


@pytest.mark.parametrize(("status", "value", "ok"), [("diverifikasi", "0.5", True), ("belum", "0.5", False)])
def test_small_verified_points(kota_dir, status, value, ok):
    content = GOOD.replace("A.1.1.D1,Bappeda,diverifikasi,60", f"A.1.1.D1,Bappeda,{status},{value}")
    if ok:
        (kota_dir / "status" / "2023-10-31.csv").write_text(content, encoding="utf-8")
        from mcp_lib.framework.folder import load_framework

        snap = load_period(load_pemda(kota_dir), load_framework(2023, kota_dir.parent.parent), "2023-10")
        assert snap.documents.set_index("doc_code").loc["A.1.1.D1", "verified_points"] == 0.5
    else:
        assert _one(_problems(kota_dir, content), "verified_points").row == 2


def test_snapshot_dates_at_the_ends_of_the_assessment_window(kota_dir, tiny_fw):
    pemda = load_pemda(kota_dir)
    for name, ok in (
        ("2023-01-01", True),
        ("2024-03-31", True),
        ("2024-04-01", False),
        ("2022-12-31", False),
    ):
        path = kota_dir / "status" / f"{name}.csv"
        path.write_text(GOOD, encoding="utf-8")
        if ok:
            assert load_snapshot(path, tiny_fw, pemda).date.isoformat() == name
            assert list(load_snapshot(path, tiny_fw, pemda).documents.columns[:2]) == ["doc_code", "opd"]
        else:
            with pytest.raises(InputError, match="bukan milik kerangka"):
                load_snapshot(path, tiny_fw, pemda)
        path.unlink()


def test_rows_in_any_order_give_the_same_table_in_framework_order(kota_dir, tiny_fw, kota):
    ordered = load_period(kota, tiny_fw, "2023-10").documents
    header, *rows = GOOD.strip().splitlines()
    (kota_dir / "status" / "2023-10-31.csv").write_text("\n".join([header, *reversed(rows)]) + "\n", encoding="utf-8")
    shuffled = load_period(load_pemda(kota_dir), tiny_fw, "2023-10").documents
    assert shuffled["doc_code"].tolist() == ordered["doc_code"].tolist()
    assert shuffled.drop(columns="excel_row").equals(ordered.drop(columns="excel_row"))
    assert shuffled["excel_row"].tolist() != ordered["excel_row"].tolist()  # rows as the file has them


def test_one_framework_checks_each_kind_of_pemda_by_its_own_rules(kota_dir, tiny_fw, kab):
    """The framework's lookups are built once per kind: a kabupaten read after a kota against the
    same framework object is held to the kabupaten's documents, and the kota again to its own."""
    kota = load_pemda(kota_dir)
    first = load_period(kota, tiny_fw, "2023-10").documents.set_index("doc_code")
    assert first.loc["C.1.1.D1", "status"] == "tidak_berlaku"  # Dana Desa: not for a kota
    kab_docs = load_period(kab, tiny_fw, "2023-10").documents.set_index("doc_code")
    assert kab_docs.loc["C.1.1.D1", "status"] == "diverifikasi"
    assert load_period(kota, tiny_fw, "2023-10").documents.set_index("doc_code").equals(first)
    (kota_dir / "status" / "2023-10-31.csv").write_text(GOOD + "C.1.1.D1,DPMD,diunggah,,,,,\n", encoding="utf-8")
    with pytest.raises(InputError) as err:  # a status on a kabupaten-only document, for a kota
        load_period(kota, tiny_fw, "2023-10")
    assert [p.message for p in err.value.problems if p.column == "status"] == [
        "area Dana Desa tidak berlaku untuk kota"
    ]


def test_realisation_only_on_an_item_scored_by_its_realisation(tmp_path):
    """``realisasi`` on a document of a binary item would be read as nothing: refused on its cell;
    a negative realisation too."""
    shutil.copytree(METHODS, tmp_path / "m")
    path = tmp_path / "m" / "pemda" / "kab-metode" / "status" / "2026-10-31.csv"
    edit_text(path, "A.1.D1,Bappeda,diverifikasi,34,,", "A.1.D1,Bappeda,diverifikasi,34,55,")
    edit_text(path, "B.2.D1,Bapenda,diverifikasi,100,60,", "B.2.D1,Bapenda,diverifikasi,100,-5,")
    fw = load_framework(2026, tmp_path / "m")
    with pytest.raises(InputError) as err:
        load_snapshot(path, fw, load_pemda("kab-metode", tmp_path / "m"))
    found = {(p.row, p.column, p.value) for p in err.value.problems}
    assert (2, "realisasi", 55.0) in found
    assert any(row == 12 and col == "realisasi" for row, col, _ in found)
