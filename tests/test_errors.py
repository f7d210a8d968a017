from pathlib import Path

from mcp_lib.errors import InputError, Problem


def test_message_names_file_row_column_value_and_expectation():
    p = Problem(
        "status/2023-10-31.csv",
        "bukan angka",
        row=7,
        column="verified_points",
        value="lima",
        expected="angka",
    )
    assert (
        str(p) == "status/2023-10-31.csv, baris 7, kolom 'verified_points': bukan angka (isi: 'lima'); seharusnya angka"
    )


def test_input_error_lists_every_problem():
    err = InputError([Problem("a.csv", "satu", row=2), Problem("b.csv", "dua", row=3)])
    text = str(err)
    assert "Ditemukan 2 masalah" in text
    assert "a.csv, baris 2: satu" in text
    assert "b.csv, baris 3: dua" in text
    assert err.files() == {"a.csv", "b.csv"}


def test_one_problem_error_is_the_same_as_a_list_of_one():
    from mcp_lib.errors import InputError, Problem

    one = InputError.one("data/x.csv", "kolom tidak ada", 3, "status", "??", "status yang dikenal")
    listed = InputError([Problem("data/x.csv", "kolom tidak ada", 3, "status", "??", "status yang dikenal")])
    assert one.problems == listed.problems and str(one) == str(listed)
    assert InputError.one(Path("a.csv"), "pesan").problems[0].file == "a.csv"
