"""``pemda.toml``: read and checked (every problem with its line) and its one writer."""

import datetime as dt

import pytest

from mcp_lib.errors import InputError
from mcp_lib.framework.calendar import Calendar
from mcp_lib.pemda.model import Opd
from mcp_lib.pemda.settings import SETTINGS as TABLE
from mcp_lib.pemda.settings import load_pemda, pemda_toml


def test_bad_pemda_toml(tmp_path):
    folder = tmp_path / "x"
    folder.mkdir()
    (folder / "pemda.toml").write_text('name = "X"\nkind = "desa"\ntarget = 120\n', encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_pemda(folder)
    columns = {p.column for p in err.value.problems}
    assert {"kind", "framework", "target"} <= columns


def test_an_implausible_capacity_is_refused(kota_dir):
    toml = kota_dir / "pemda.toml"
    toml.write_text(toml.read_text().replace("capacity_days = 10", "capacity_days = 199201011990031001"))
    with pytest.raises(InputError) as err:
        load_pemda(kota_dir)
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
def test_a_duplicate_opd_is_refused_naming_both(kota_dir, extra, column, both):
    toml = kota_dir / "pemda.toml"
    toml.write_text(toml.read_text() + f"\n[[opd]]\n{extra}\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_pemda(kota_dir)
    (p,) = err.value.problems
    assert p.column == column and all(name in p.message for name in both)
    assert toml.read_text().splitlines()[p.row - 1].startswith("name = ")
    assert p.row > 20  # the second entry's line, not the first's


def test_pemda_toml_saved_by_windows_notepad_is_read(kota_dir):
    toml = kota_dir / "pemda.toml"
    text = toml.read_text(encoding="utf-8").replace('province = "Provinsi Uji"', 'province = "Provinsi Ujì – Timur"')
    toml.write_bytes(text.encode("cp1252"))
    assert load_pemda(kota_dir).province == "Provinsi Ujì – Timur"


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
def test_toml_syntax_errors_are_in_bahasa_indonesia_with_line_and_column(kota_dir, line, words):
    toml = kota_dir / "pemda.toml"
    lines = toml.read_text(encoding="utf-8").splitlines()
    key = line.split("=")[0].strip()
    at = next(i for i, x in enumerate(lines) if x.startswith(key + " ="))
    lines[at] = line
    toml.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_pemda(kota_dir)
    (p,) = err.value.problems
    assert words in p.message and f"(baris {at + 1}, kolom" in p.message
    assert "Expected" not in p.message and "Invalid" not in p.message
    assert "0.7, bukan 0,7" in p.expected


def test_a_misspelt_setting_is_refused_with_a_suggestion(kota_dir):
    toml = kota_dir / "pemda.toml"
    toml.write_text(toml.read_text().replace("deadline =", "uplod_close = 2023-11-30\ndeadline ="), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_pemda(kota_dir)
    (p,) = err.value.problems
    assert p.column == "uplod_close" and "maksud Anda upload_close?" in p.message
    assert toml.read_text().splitlines()[p.row - 1].startswith("uplod_close")


def test_a_setting_appended_after_the_last_opd_is_explained(kota_dir):
    """In TOML a line after [[opd]] belongs to that OPD: appending at the end is natural, and was
    silently ignored."""
    toml = kota_dir / "pemda.toml"
    toml.write_text(toml.read_text() + "upload_close = 2023-11-20\nrisiko = {pemda_sd = 0.5}\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_pemda(kota_dir)
    columns = {p.column for p in err.value.problems}
    assert columns == {"opd.upload_close", "opd.risiko"}
    assert all("sebelum [[opd]] pertama" in p.message for p in err.value.problems)


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("final_date = 2022-01-01", "di luar masa penilaian"),
        ("upload_close = 2025-01-01", "di luar masa penilaian"),
    ],
)
def test_calendar_dates_must_lie_in_the_assessment_window(kota_dir, line, problem):
    toml = kota_dir / "pemda.toml"
    toml.write_text(toml.read_text().replace("deadline =", f"{line}\ndeadline ="), encoding="utf-8")
    with pytest.raises(InputError, match=problem):
        load_pemda(kota_dir)


def test_risk_values_in_dotted_or_inline_form_name_their_line(kota_dir):
    toml = kota_dir / "pemda.toml"
    text = toml.read_text()
    for form in ('risiko.pemda_sd = "0.5"', "risiko = {pemda_sd = 9}"):
        toml.write_text(text.replace("deadline =", f"{form}\ndeadline ="), encoding="utf-8")
        with pytest.raises(InputError) as err:
            load_pemda(kota_dir)
        (p,) = err.value.problems
        assert p.row is not None and toml.read_text().splitlines()[p.row - 1] == form
    assert "tanpa tanda kutip" in str(err.value) or True


# --- from the mutation pass on status.py (now pemda.py): settings at their boundaries ----------


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


# --- the table of settings (settings.SETTINGS): each problem names the file and the key ---------------------

INVALID = {
    "name": "pengaturan tidak sah",
    "kind": "pengaturan tidak sah",
    "framework": "pengaturan tidak sah",
    "target": "pengaturan tidak sah",
    "deadline": "tenggat tidak sah",
    "upload_close": "tanggal tidak sah",
    "final_date": "tanggal tidak sah",
    "province": "pengaturan tidak sah",
    "note": "pengaturan tidak sah",
}
"""What a value of the wrong type is told, by setting (the words of the reader before the table)."""
WRONG_TYPE = {"text": "5", "integer": '"2023"', "number": "true", "date": '"2023-12-31"'}
REQUIRED = ("name", "kind", "framework", "target")


def _only_problem(folder):
    with pytest.raises(InputError) as err:
        load_pemda(folder)
    (p,) = err.value.problems
    assert p.file == str(folder / "pemda.toml") and "pemda.toml, " in str(p)
    return p


def test_the_table_holds_every_single_valued_setting_once():
    assert [s.key for s in TABLE] == list(INVALID)


@pytest.mark.parametrize("setting", TABLE, ids=lambda s: s.key)
def test_a_setting_of_the_wrong_type_names_the_file_and_the_key(tmp_path, setting):
    lines = [line for line in BASE_TOML.splitlines() if not line.startswith(f"{setting.key} =")]
    folder = _toml(tmp_path, "\n".join([*lines, f"{setting.key} = {WRONG_TYPE[setting.type]}"]) + "\n")
    p = _only_problem(folder)
    assert (p.column, p.message) == (setting.key, INVALID[setting.key]) and f"kolom '{setting.key}'" in str(p)
    assert (p.row is not None) == (setting.key in ("upload_close", "final_date"))  # the dates name their line
    assert p.expected.startswith(setting.expected)
    quoted_number = setting.type in ("integer", "number") and WRONG_TYPE[setting.type].startswith('"')
    assert ("tanpa tanda kutip, desimal" in p.expected) == quoted_number


@pytest.mark.parametrize("setting", TABLE, ids=lambda s: s.key)
def test_a_required_setting_left_out_names_the_file_and_the_key(tmp_path, setting):
    text = BASE_TOML + 'province = "P"\nnote = "n"\ndeadline = 2023-12-01\nupload_close = 2023-11-30\n'
    folder = _toml(tmp_path, "".join(line for line in text.splitlines(True) if not line.startswith(setting.key)))
    if setting.key not in REQUIRED:
        load_pemda(folder)  # optional: left out, it takes its default
        return
    p = _only_problem(folder)
    assert (p.column, p.message, p.value) == (setting.key, "pengaturan wajib tidak ada", None)
    assert f"kolom '{setting.key}'" in str(p) and p.expected == setting.expected


def test_an_unknown_setting_names_the_file_the_key_and_its_line(tmp_path):
    p = _only_problem(_toml(tmp_path, BASE_TOML + "warna = 1\n"))
    assert (p.column, p.row, p.message) == ("warna", 5, "pengaturan tidak dikenal")
    assert str(p).startswith(f"{tmp_path / 'kota-x' / 'pemda.toml'}, baris 5, kolom 'warna'")


@pytest.mark.parametrize(
    ("line", "column", "message"),
    [
        ('name = " "', "name", "nama pemda kosong"),
        ('kind = "desa"', "kind", "jenis pemda tidak dikenal"),
        ("framework = 1999", "framework", "tahun kerangka MCP tidak sah"),
        ("target = 0.85", "target", "target tampak seperti pecahan (0.85 untuk 85%?)"),
    ],
)
def test_a_value_of_the_right_type_is_still_checked(tmp_path, line, column, message):
    key = line.split(" =")[0]
    text = "".join(x for x in BASE_TOML.splitlines(True) if not x.startswith(key)) + line + "\n"
    p = _only_problem(_toml(tmp_path, text))
    assert (p.column, p.message) == (column, message)
    assert (p.value is None) == (column == "name")  # an empty name is not shown


def test_the_kind_is_kept_in_lower_case_and_the_target_as_a_number(tmp_path):
    pemda = load_pemda(_toml(tmp_path, BASE_TOML.replace('"kota"', '"KOTA"')))
    assert (pemda.kind, pemda.target, type(pemda.target)) == ("kota", 90.0, float)
    assert (pemda.province, pemda.note, pemda.upload_close) == ("", "", None)


SETTINGS = {
    "name": 'Kab. "Ujì" \\ Timur',
    "kind": "kabupaten",
    "province": "Sumatera Selatan",
    "framework": 2023,
    "target": 87.5,
    "deadline": dt.date(2023, 11, 30),
    "note": "catatan; bukan data KPK",
    "final_scores": {2021: 76, 2022: 87.5},
    "opds": [Opd("Bappeda", 12), Opd("Bagian Pengadaan", None, ("Bagian PBJ", "ULP")), Opd("DPMD", 0)],
}


def test_pemda_toml_writes_what_load_pemda_reads(tmp_path):
    folder = tmp_path / "kab-x"
    folder.mkdir()
    text = pemda_toml(**SETTINGS, header=["Kabupaten X", "dua baris"])
    (folder / "pemda.toml").write_text(text, encoding="utf-8")
    pemda = load_pemda(folder)
    assert text.startswith("# Kabupaten X\n# dua baris\nname = ")
    assert (pemda.name, pemda.kind, pemda.province, pemda.framework_year, pemda.target, pemda.deadline) == (
        'Kab. "Ujì" \\ Timur',
        "kabupaten",
        "Sumatera Selatan",
        2023,
        87.5,
        dt.date(2023, 11, 30),
    )
    assert pemda.note == "catatan; bukan data KPK" and pemda.final_scores == {2021: 76, 2022: 87.5}
    assert pemda.opds == (
        Opd("Bappeda", 12),
        Opd("Bagian Pengadaan", None, ("Bagian PBJ", "ULP")),
        Opd("DPMD", 0),
    )


def test_the_guide_of_mcp_init_adds_comments_only():
    """The commented template sets nothing the plain file does not: the year's calendar is shown
    as commented-out settings, OPDs without a capacity get a commented one."""
    import tomllib

    plain = pemda_toml(**SETTINGS)
    guided = pemda_toml(**SETTINGS, guide=Calendar(dt.date(2023, 11, 30), dt.date(2024, 1, 15), "framework.toml"))
    assert tomllib.loads(guided) == tomllib.loads(plain)
    assert "# upload_close = 2023-11-30\n# final_date = 2024-01-15\n" in guided
    assert 'name = "Bagian Pengadaan"\n# capacity_days = 10\naka = ' in guided
    assert "capacity_days = 0\n" in plain and "# capacity_days" not in plain  # 0 is a capacity
    assert "[final_scores]" not in pemda_toml(**{**SETTINGS, "final_scores": None})
    assert "[final_scores]" in pemda_toml(
        **{**SETTINGS, "final_scores": None}, guide=Calendar(dt.date(2023, 11, 30), dt.date(2024, 1, 15), "x")
    )
