import datetime as dt

import pytest
from conftest import TINY

from mcp_lib.errors import InputError
from mcp_lib.status import list_snapshots, load_history, load_pemda, load_period

GOOD = (TINY / "pemda" / "kota-contoh" / "status" / "2023-10-31.csv").read_text(encoding="utf-8")


@pytest.fixture
def pemda_dir(tiny_copy):
    return tiny_copy / "pemda" / "kota-contoh"


def _problems(pemda_dir, content, name="2023-10-31.csv", period="2023-10"):
    (pemda_dir / "status" / "2023-10-31.csv").unlink()
    (pemda_dir / "status" / name).write_text(content, encoding="utf-8")
    pemda = load_pemda(pemda_dir)
    from mcp_lib.framework_files import load_framework

    fw = load_framework(2023, pemda_dir.parent.parent)
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


def test_unknown_document_code(pemda_dir):
    missing, unknown = _problems(pemda_dir, GOOD.replace("A.2.1.D1,", "A.2.1.D9,"))  # whole file first
    assert (unknown.row, unknown.column, unknown.value) == (5, "doc_code", "A.2.1.D9")
    # A.2.1.D1 is now missing too: that is reported as well, for the whole file.
    assert (missing.row, missing.column) == (None, "doc_code")
    assert "A.2.1.D1" in missing.message


def test_subindicator_code_instead_of_document_code_gets_a_hint(pemda_dir):
    problems = _problems(pemda_dir, GOOD.replace("A.2.1.D1,", "A.2.1,"))
    assert any(p.row == 5 and "kode sub-indikator" in p.expected for p in problems)


def test_duplicate_document_rows(pemda_dir):
    (p,) = _problems(pemda_dir, GOOD + "A.1.1.D1,Bappeda,diverifikasi,60,2,,,\n")
    assert (p.row, p.column, p.value) == (10, "doc_code", "A.1.1.D1")
    assert "baris 2" in p.message


def test_points_above_maximum_and_negative(pemda_dir):
    content = GOOD.replace("A.1.1.D1,Bappeda,diverifikasi,60", "A.1.1.D1,Bappeda,diverifikasi,61")
    content = content.replace("A.2.1.D1,BPKAD,diverifikasi,25", "A.2.1.D1,BPKAD,diverifikasi,-5")
    problems = _problems(pemda_dir, content)
    rows = {p.row: p for p in problems}
    assert rows[2].column == "verified_points" and "60" in rows[2].message
    assert rows[5].column == "verified_points" and "negatif" in rows[5].message


def test_points_on_a_status_without_points(pemda_dir):
    (p,) = _problems(pemda_dir, GOOD.replace("A.1.1.D2,Bappeda,diunggah,", "A.1.1.D2,Bappeda,diunggah,40"))
    assert (p.row, p.column) == (3, "verified_points")


def test_verified_without_points(pemda_dir):
    (p,) = _problems(
        pemda_dir, GOOD.replace("A.1.1.D1,Bappeda,diverifikasi,60", "A.1.1.D1,Bappeda,diverifikasi,")
    )
    assert (p.row, p.column) == (2, "verified_points")


def test_unknown_status(pemda_dir):
    (p,) = _problems(pemda_dir, GOOD.replace("B.1.1.D1,Inspektorat,belum", "B.1.1.D1,Inspektorat,selesai"))
    assert (p.row, p.column, p.value) == (7, "status", "selesai")
    assert "perlu_perbaikan" in p.expected


def test_unparseable_date(pemda_dir):
    (p,) = _problems(pemda_dir, GOOD.replace("2023-11-15", "15 Novembr 2023"))
    assert (p.row, p.column, p.value) == (4, "due_date", "15 Novembr 2023")


def test_missing_column(pemda_dir):
    content = "\n".join(",".join(line.split(",")[:2] + line.split(",")[3:]) for line in GOOD.splitlines())
    (p,) = _problems(pemda_dir, content)
    assert (p.row, p.column) == (1, "status")


def test_empty_file(pemda_dir):
    (p,) = _problems(pemda_dir, "")
    assert "kosong" in p.message and p.file.endswith("2023-10-31.csv")


def test_missing_document_row(pemda_dir):
    content = "".join(line for line in GOOD.splitlines(keepends=True) if not line.startswith("B.1.1.D1"))
    (p,) = _problems(pemda_dir, content)
    assert p.column == "doc_code" and "B.1.1.D1" in p.message


def test_not_applicable_area_with_a_status(pemda_dir):
    (p,) = _problems(pemda_dir, GOOD + "C.1.1.D1,Bappeda,diverifikasi,50,,,,\n")
    assert (p.row, p.column) == (10, "status")
    assert "Dana Desa" in p.message and "kota" in p.message


def test_unknown_opd(pemda_dir):
    (p,) = _problems(pemda_dir, GOOD.replace("A.1.1.D2,Bappeda", "A.1.1.D2,Bapeda"))
    assert (p.row, p.column, p.value) == (3, "opd", "Bapeda")
    assert "Bappeda" in p.expected


def test_snapshot_of_another_framework_year(pemda_dir):
    problems = _problems(pemda_dir, GOOD, name="2024-06-30.csv", period="2024-06")
    assert any("bukan milik kerangka MCP 2023" in p.message for p in problems)


def test_period_with_no_snapshot_lists_existing_periods(tiny_fw, kota):
    with pytest.raises(InputError) as err:
        load_period(kota, tiny_fw, "2023-11")
    assert "2023-08, 2023-09, 2023-10" in str(err.value)


@pytest.mark.parametrize("period", ["2023-13", "Oktober", "2023/10"])
def test_invalid_period(tiny_fw, kota, period):
    with pytest.raises(InputError, match="YYYY-MM"):
        load_period(kota, tiny_fw, period)


def test_period_takes_latest_snapshot_of_the_month(pemda_dir, tiny_fw):
    earlier = (
        (pemda_dir / "status" / "2023-10-31.csv")
        .read_text()
        .replace("A.1.1.D2,Bappeda,diunggah", "A.1.1.D2,Bappeda,belum")
    )
    (pemda_dir / "status" / "2023-10-15.csv").write_text(earlier, encoding="utf-8")
    (pemda_dir / "status" / "~$2023-10-31.xlsx").write_bytes(b"excel lock file")
    pemda = load_pemda(pemda_dir)
    assert [d.day for d, _ in list_snapshots(pemda)] == [31, 30, 15, 31]  # the lock file is skipped
    snap = load_period(pemda, tiny_fw, "2023-10")
    assert snap.date == dt.date(2023, 10, 31) and snap.path.name == "2023-10-31.csv"
    assert snap.documents.set_index("doc_code").loc["A.1.1.D2", "status"] == "diunggah"


def test_badly_named_snapshot_file(pemda_dir):
    (pemda_dir / "status" / "oktober.csv").write_text(GOOD, encoding="utf-8")
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        list_snapshots(load_pemda(pemda_dir))


def test_missing_pemda_lists_known_ones():
    with pytest.raises(InputError) as err:
        load_pemda("kota-tidak-ada", TINY)
    assert "kab-contoh, kota-contoh" in str(err.value)


def test_bad_pemda_toml(tmp_path):
    folder = tmp_path / "x"
    folder.mkdir()
    (folder / "pemda.toml").write_text('name = "X"\nkind = "desa"\ntarget = 120\n', encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_pemda(folder)
    columns = {p.column for p in err.value.problems}
    assert {"kind", "framework", "target"} <= columns


def test_history_reports_problems_of_every_file(pemda_dir, tiny_fw):
    for name in ("2023-08-31.csv", "2023-09-30.csv"):
        path = pemda_dir / "status" / name
        path.write_text(path.read_text().replace("belum", "entah", 1), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_history(load_pemda(pemda_dir), tiny_fw)
    assert {p.file.rsplit("/", 1)[-1] for p in err.value.problems} == {"2023-08-31.csv", "2023-09-30.csv"}


def test_opd_names_may_hold_slashes_and_commas(pemda_dir, tiny_fw):
    toml = pemda_dir / "pemda.toml"
    toml.write_text(toml.read_text() + '\n[[opd]]\nname = "Bagian Barang/Jasa, Setda"\n', encoding="utf-8")
    (pemda_dir / "status" / "2023-10-31.csv").write_text(
        GOOD.replace("A.1.2.D1,BPKAD", 'A.1.2.D1,"Bagian Barang/Jasa, Setda; Bappeda"'), encoding="utf-8"
    )
    snap = load_period(load_pemda(pemda_dir), tiny_fw, "2023-10")
    row = snap.documents.set_index("doc_code").loc["A.1.2.D1"]
    assert row["opd"] == "Bagian Barang/Jasa, Setda"
    assert row["opds"] == "Bagian Barang/Jasa, Setda; Bappeda"


def test_an_implausible_effort_is_refused_with_row_and_column(pemda_dir):
    """An employee number pasted into the effort column once made a reachable target unreachable."""
    for value in ("199201011990031001", "366", "1e9"):
        content = GOOD.replace(
            "B.1.2.D2,Inspektorat,disiapkan,,6,", f"B.1.2.D2,Inspektorat,disiapkan,,{value},"
        )
        p = _one(_problems(pemda_dir, content), "effort_days")
        assert p.row == 9 and p.message == "angka di luar rentang" and "365" in p.expected


def test_an_implausible_capacity_is_refused(pemda_dir):
    toml = pemda_dir / "pemda.toml"
    toml.write_text(toml.read_text().replace("capacity_days = 10", "capacity_days = 199201011990031001"))
    with pytest.raises(InputError) as err:
        load_pemda(pemda_dir)
    (p,) = err.value.problems
    assert p.column == "opd.capacity_days" and "5000" in p.expected


@pytest.mark.parametrize(
    ("extra", "column", "both"),
    [
        ('name = "bpkad "\ncapacity_days = 3', "opd.name", ("'bpkad'", "'BPKAD'")),  # case and space
        ('name = "Bappeda"\ncapacity_days = 99', "opd.name", ("'Bappeda'",)),
        ('name = "Dinas X"\naka = ["inspektorat"]', "opd.aka", ("'Dinas X'", "'Inspektorat'")),
    ],
)
def test_a_duplicate_opd_is_refused_naming_both(pemda_dir, extra, column, both):
    toml = pemda_dir / "pemda.toml"
    toml.write_text(toml.read_text() + f"\n[[opd]]\n{extra}\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_pemda(pemda_dir)
    (p,) = err.value.problems
    assert p.column == column and all(name in p.message for name in both)
    assert toml.read_text().splitlines()[p.row - 1].startswith("name = ")
    assert p.row > 20  # the second entry's line, not the first's


def test_pemda_toml_saved_by_windows_notepad_is_read(pemda_dir):
    toml = pemda_dir / "pemda.toml"
    text = toml.read_text(encoding="utf-8").replace(
        'province = "Provinsi Uji"', 'province = "Provinsi Ujì – Timur"'
    )
    toml.write_bytes(text.encode("cp1252"))
    assert load_pemda(pemda_dir).province == "Provinsi Ujì – Timur"


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("target = 87,5", "ada isian lain sesudah nilai"),
        ("province = Sumatera Selatan", "nilai tidak sah"),
        ('name = "Kota Contoh', "teks tanpa tanda kutip penutup"),
        ("deadline = 2023-13-45", "ada isian lain sesudah nilai"),
        ("deadline = 2023-02-30", "tanggal tidak sah"),
    ],
)
def test_toml_syntax_errors_are_in_bahasa_indonesia_with_line_and_column(pemda_dir, line, words):
    toml = pemda_dir / "pemda.toml"
    lines = toml.read_text(encoding="utf-8").splitlines()
    key = line.split("=")[0].strip()
    at = next(i for i, x in enumerate(lines) if x.startswith(key + " ="))
    lines[at] = line
    toml.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_pemda(pemda_dir)
    (p,) = err.value.problems
    assert words in p.message and f"(baris {at + 1}, kolom" in p.message
    assert "Expected" not in p.message and "Invalid" not in p.message
    assert "0.7, bukan 0,7" in p.expected


def test_a_misspelt_setting_is_refused_with_a_suggestion(pemda_dir):
    toml = pemda_dir / "pemda.toml"
    toml.write_text(
        toml.read_text().replace("deadline =", "uplod_close = 2023-11-30\ndeadline ="), encoding="utf-8"
    )
    with pytest.raises(InputError) as err:
        load_pemda(pemda_dir)
    (p,) = err.value.problems
    assert p.column == "uplod_close" and "maksud Anda upload_close?" in p.message
    assert toml.read_text().splitlines()[p.row - 1].startswith("uplod_close")


def test_a_setting_appended_after_the_last_opd_is_explained(pemda_dir):
    """In TOML a line after [[opd]] belongs to that OPD: appending at the end is natural, and was
    silently ignored."""
    toml = pemda_dir / "pemda.toml"
    toml.write_text(
        toml.read_text() + "upload_close = 2023-11-20\nrisiko = {pemda_sd = 0.5}\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as err:
        load_pemda(pemda_dir)
    columns = {p.column for p in err.value.problems}
    assert columns == {"opd.upload_close", "opd.risiko"}
    assert all("sebelum [[opd]] pertama" in p.message for p in err.value.problems)


@pytest.mark.parametrize(("line", "problem"), [
    ("final_date = 2022-01-01", "di luar masa penilaian"),
    ("upload_close = 2025-01-01", "di luar masa penilaian"),
])  # fmt: skip
def test_calendar_dates_must_lie_in_the_assessment_window(pemda_dir, line, problem):
    toml = pemda_dir / "pemda.toml"
    toml.write_text(toml.read_text().replace("deadline =", f"{line}\ndeadline ="), encoding="utf-8")
    with pytest.raises(InputError, match=problem):
        load_pemda(pemda_dir)


def test_an_upload_close_after_the_frameworks_final_date_is_refused(pemda_dir, tiny_fw):
    from mcp_lib.status import pemda_calendar

    toml = pemda_dir / "pemda.toml"
    toml.write_text(
        toml.read_text().replace("deadline =", "upload_close = 2024-02-01\ndeadline ="), encoding="utf-8"
    )
    pemda = load_pemda(pemda_dir)  # the tiny framework's final date is 15 January 2024
    with pytest.raises(InputError, match="sebelum batas unggah"):
        pemda_calendar(pemda, tiny_fw)


def test_risk_values_in_dotted_or_inline_form_name_their_line(pemda_dir):
    toml = pemda_dir / "pemda.toml"
    text = toml.read_text()
    for form in ('risiko.pemda_sd = "0.5"', "risiko = {pemda_sd = 9}"):
        toml.write_text(text.replace("deadline =", f"{form}\ndeadline ="), encoding="utf-8")
        with pytest.raises(InputError) as err:
            load_pemda(pemda_dir)
        (p,) = err.value.problems
        assert p.row is not None and toml.read_text().splitlines()[p.row - 1] == form
    assert "tanpa tanda kutip" in str(err.value) or True


# --- from the mutation pass on status.py: settings at their boundaries ---------------------------

BASE_TOML = 'name = "Kota X"\nkind = "kota"\nframework = 2023\ntarget = 90\n'


def _toml(tmp_path, text):
    folder = tmp_path / "kota-x"
    folder.mkdir(exist_ok=True)
    (folder / "pemda.toml").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("extra", "column"),
    [
        ("target = true", "target"),  # a boolean is not a number
        ('deadline = "2023-12-31"', "deadline"),  # text, not a TOML date
        ("deadline = 2023-12-31T00:00:00", "deadline"),  # a date-time
        ("[[opd]]\ncapacity_days = 5", "opd.name"),  # an OPD without a name
        ('[[opd]]\nname = "A"\naka = 5', "opd.aka"),
        ('[[opd]]\nname = "A"\ncapacity_days = 5000.5', "opd.capacity_days"),
        ("[final_scores]\n2022 = 100.5", "final_scores.2022"),
    ],
)
def test_settings_outside_their_range_are_named(tmp_path, extra, column):
    text = BASE_TOML.replace("target = 90\n", "") if extra.startswith("target") else BASE_TOML
    folder = _toml(tmp_path, text + extra + "\n")
    with pytest.raises(InputError) as err:
        load_pemda(folder)
    assert column in {p.column for p in err.value.problems}, err.value


def test_settings_at_their_boundaries_are_accepted(tmp_path):
    text = BASE_TOML.replace("target = 90", "target = 100") + (
        "upload_close = 2024-03-31\nfinal_date = 2024-03-31\n"
        '[final_scores]\n2022 = 100\n2023 = 95\n[[opd]]\nname = "A"\ncapacity_days = 0\n'
        '[[opd]]\nname = "B"\ncapacity_days = 5000\n'
    )
    pemda = load_pemda(_toml(tmp_path, text))
    assert pemda.target == 100 and pemda.deadline == dt.date(2023, 12, 31)  # the default deadline
    assert pemda.last_final == (2022, 100)  # the framework year's own final is not "last year's"
    assert [o.capacity_days for o in pemda.opds] == [0, 5000]


def test_opds_without_a_name_are_numbered_from_one(tmp_path):
    with pytest.raises(InputError) as err:
        load_pemda(_toml(tmp_path, BASE_TOML + '[[opd]]\nname = "A"\n[[opd]]\ncapacity_days = 1\n'))
    assert "OPD ke-2 tanpa nama" in str(err.value)


def test_a_pemda_without_final_scores_loads(tmp_path):
    pemda = load_pemda(_toml(tmp_path, BASE_TOML))
    assert pemda.final_scores == {} and pemda.last_final is None


def test_a_folder_without_pemda_toml_is_a_name_not_a_path(tmp_path):
    from mcp_lib.status import pemda_dir

    (tmp_path / "kosong").mkdir()
    with pytest.raises(InputError, match="nama pemda tidak sah"):
        pemda_dir(str(tmp_path / "kosong"))


def test_strict_names_are_the_slug_form(tmp_path):
    from mcp_lib.status import check_name

    assert check_name("Kab_Contoh") == "Kab_Contoh"  # a folder that exists may be named so
    with pytest.raises(InputError, match="huruf kecil"):
        check_name("Kab_Contoh", strict=True)


@pytest.mark.parametrize(("status", "value", "ok"), [("diverifikasi", "0.5", True), ("belum", "0.5", False)])
def test_small_verified_points(pemda_dir, status, value, ok):
    content = GOOD.replace("A.1.1.D1,Bappeda,diverifikasi,60", f"A.1.1.D1,Bappeda,{status},{value}")
    if ok:
        (pemda_dir / "status" / "2023-10-31.csv").write_text(content, encoding="utf-8")
        from mcp_lib.framework_files import load_framework

        snap = load_period(load_pemda(pemda_dir), load_framework(2023, pemda_dir.parent.parent), "2023-10")
        assert snap.documents.set_index("doc_code").loc["A.1.1.D1", "verified_points"] == 0.5
    else:
        assert _one(_problems(pemda_dir, content), "verified_points").row == 2


def test_snapshot_dates_at_the_ends_of_the_assessment_window(pemda_dir, tiny_fw):
    from mcp_lib.status import load_snapshot

    pemda = load_pemda(pemda_dir)
    for name, ok in (
        ("2023-01-01", True),
        ("2024-03-31", True),
        ("2024-04-01", False),
        ("2022-12-31", False),
    ):
        path = pemda_dir / "status" / f"{name}.csv"
        path.write_text(GOOD, encoding="utf-8")
        if ok:
            assert load_snapshot(path, tiny_fw, pemda).date.isoformat() == name
            assert list(load_snapshot(path, tiny_fw, pemda).documents.columns[:2]) == ["doc_code", "opd"]
        else:
            with pytest.raises(InputError, match="bukan milik kerangka"):
                load_snapshot(path, tiny_fw, pemda)
        path.unlink()
