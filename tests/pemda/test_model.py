"""A pemda: its folder (the one name check), and its calendar from the framework and pemda.toml."""

import pytest
from conftest import TINY

from mcp_lib.errors import InputError
from mcp_lib.pemda.model import check_name, pemda_calendar, pemda_dir
from mcp_lib.pemda.settings import load_pemda


def test_missing_pemda_lists_known_ones():
    with pytest.raises(InputError) as err:
        load_pemda("kota-tidak-ada", TINY)
    assert "kab-contoh, kota-contoh" in str(err.value)


def test_an_upload_close_after_the_frameworks_final_date_is_refused(kota_dir, tiny_fw):
    toml = kota_dir / "pemda.toml"
    toml.write_text(toml.read_text().replace("deadline =", "upload_close = 2024-02-01\ndeadline ="), encoding="utf-8")
    pemda = load_pemda(kota_dir)  # the tiny framework's final date is 15 January 2024
    with pytest.raises(InputError, match="sebelum batas unggah"):
        pemda_calendar(pemda, tiny_fw)


def test_a_folder_without_pemda_toml_is_a_name_not_a_path(tmp_path):
    (tmp_path / "kosong").mkdir()
    with pytest.raises(InputError, match="nama pemda tidak sah"):
        pemda_dir(str(tmp_path / "kosong"))


def test_strict_names_are_the_slug_form(tmp_path):
    assert check_name("Kab_Contoh") == "Kab_Contoh"  # a folder that exists may be named so
    with pytest.raises(InputError, match="huruf kecil"):
        check_name("Kab_Contoh", strict=True)


# --- the one writer of pemda.toml (byte for byte as before: test_onboard, test_kpk, test_sample) ----
