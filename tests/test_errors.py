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
        str(p)
        == "status/2023-10-31.csv, baris 7, kolom 'verified_points': bukan angka (isi: 'lima'); seharusnya angka"
    )


def test_input_error_lists_every_problem():
    err = InputError([Problem("a.csv", "satu", row=2), Problem("b.csv", "dua", row=3)])
    text = str(err)
    assert "Ditemukan 2 masalah" in text
    assert "a.csv, baris 2: satu" in text
    assert "b.csv, baris 3: dua" in text
    assert err.files() == {"a.csv", "b.csv"}
