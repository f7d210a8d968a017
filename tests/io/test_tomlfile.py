"""TOML settings files: read in any encoding, syntax errors in Bahasa Indonesia, the line of a key."""

import pytest

from mcp_lib.errors import InputError
from mcp_lib.io.tomlfile import read_toml, toml_line, toml_table_line

TEXT = """name = "Kota Contoh"
risiko.pemda_sd = 0.5

[risiko]
fix_months = 1.0

[risiko.area]
A6 = 1.8
"""


def test_the_line_of_a_key_in_a_table_a_dotted_key_or_an_inline_table():
    assert toml_line(TEXT, "risiko", "fix_months") == 5
    assert toml_line(TEXT, "risiko", "pemda_sd") == 2  # dotted, before the [risiko] header
    assert toml_line(TEXT, "risiko.area", "A6") == 8
    assert toml_line('name = "X"\nrisiko = {pemda_sd = 0.5}\n', "risiko", "pemda_sd") == 2  # inline table
    assert toml_line(TEXT, "risiko", "qa_risk") is None
    assert toml_line(TEXT, "risiko.area", "fix_months") is None  # set, but in another table


def test_the_line_of_a_table_header():
    assert toml_table_line(TEXT, "risiko") == 4
    assert toml_table_line(TEXT, "risiko.area") == 7
    assert toml_table_line(TEXT, "risiko.hambatan") is None


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_read_toml_reads_what_notepad_saves(tmp_path, encoding):
    path = tmp_path / "pemda.toml"
    path.write_bytes('name = "Kabupaten Muara Enim – uji"\ntarget = 90\n'.encode(encoding))
    text, settings = read_toml(path)
    assert settings == {"name": "Kabupaten Muara Enim – uji", "target": 90}
    assert text.startswith("name")


def test_a_toml_syntax_error_is_explained_with_its_line(tmp_path):
    path = tmp_path / "pemda.toml"
    path.write_text('name = "X"\npemda_sd = 0,7\n', encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_toml(path)
    (p,) = exc.value.problems
    assert p.file == str(path)
    assert p.message.startswith("format TOML tidak sah: ada isian lain sesudah nilai di baris yang sama")
    assert "(baris 2, kolom" in p.message
    assert "0.7, bukan 0,7" in p.expected
