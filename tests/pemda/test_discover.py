"""Finding a batch's pemda folders: by pattern or by province, each real folder once, never two
of one name, the province read as the pemda is read."""

import shutil

import pytest

from mcp_lib.config import DATA_DIR
from mcp_lib.errors import InputError
from mcp_lib.pemda.discover import MIXED, in_province, matching

SLUG = "kota-lubuklinggau"


def _pemda(root, slug=SLUG, province=None, encoding="utf-8"):
    shutil.copytree(DATA_DIR / "pemda" / SLUG, root / "pemda" / slug)
    toml = root / "pemda" / slug / "pemda.toml"
    text = toml.read_text(encoding="utf-8")
    if province is not None:
        text = text.replace('province = "Sumatera Selatan"', f'province = "{province}"')
    toml.write_bytes(text.replace("# ", "# café ", 1).encode(encoding))
    return root / "pemda" / slug


def test_a_pemda_linked_twice_is_found_once_with_the_link_named(tmp_path):
    """A symlink inside pemda/ to another pemda of the same data folder (and a pattern matching
    both): the real folder once, the link named with what it points to."""
    real = _pemda(tmp_path)
    link = tmp_path / "pemda" / "lubuklinggau-lagi"
    link.symlink_to(real, target_is_directory=True)
    by_province = in_province(tmp_path / "pemda", "Sumatera Selatan")
    assert by_province.folders == [real] and by_province.links == [(link, real)]
    by_pattern = matching(str(tmp_path / "pemda" / "*"))
    assert by_pattern.folders == [real] and by_pattern.name == "Sumatera Selatan"


def test_two_real_folders_of_one_name_are_refused(tmp_path):
    """Two data folders matched by one pattern, each with kota-lubuklinggau: their briefs would
    be written to the same outputs/kota-lubuklinggau/<period>/, the second over the first."""
    for data in ("data1", "data2"):
        _pemda(tmp_path / data)
    with pytest.raises(InputError, match=r"dua folder pemda bernama sama \(kota-lubuklinggau\)"):
        matching(str(tmp_path / "data*" / "pemda" / "*"))


def test_the_province_is_read_as_the_pemda_is_read(tmp_path):
    """pemda.toml saved by Notepad (Windows-1252, an 'é' in a comment) is in its own province's
    batch only, and a pattern over pemda of two provinces makes a mixed batch."""
    _pemda(tmp_path, "kota-a", "Sumatera Selatan", "cp1252")
    _pemda(tmp_path, "kota-b", "Jambi", "cp1252")
    assert [f.name for f in in_province(tmp_path / "pemda", "sumatera selatan").folders] == ["kota-a"]
    assert matching(str(tmp_path / "pemda" / "kota-b")).name == "Jambi"
    assert matching(str(tmp_path / "pemda" / "*")).name == MIXED


def test_a_pemda_folder_linked_from_outside_the_data_folder_is_refused(tmp_path):
    elsewhere = _pemda(tmp_path / "elsewhere")
    (tmp_path / "data" / "pemda").mkdir(parents=True)
    (tmp_path / "data" / "pemda" / SLUG).symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(InputError, match="tautan"):
        in_province(tmp_path / "data" / "pemda", "Sumatera Selatan")
