"""KPK export importer on a hand-computed fixture (tests/fixtures/kpk/export.csv).

total = Σ (w_area/100)(w_ind/100)(w_sub/100)·nilai_verifikasi
      = .4·1·.6·80 + .4·1·.4·50 + .35·.5·1·100 + .35·.5·1·0 + .25·1·1·40
      = 19.2 + 8 + 17.5 + 0 + 10 = 54.7
claim: B2a (70 claimed, not yet verified) counts in full: + .35·.5·100 = 17.5 → 72.2
"""

import datetime as dt

import pytest
from conftest import FIXTURES

from mcp_lib.errors import InputError
from mcp_lib.pemda.kpk import import_kpk_export, write_kpk_import
from mcp_lib.pemda.settings import load_pemda
from mcp_lib.scoring import score_kind

EXPORT = FIXTURES / "kpk" / "export.csv"


def test_total_equals_kpk_formula():
    imp = import_kpk_export(EXPORT, year=2021)
    assert imp.instansi == "Kab. Contoh"
    assert imp.kind == "kabupaten"
    s = score_kind(imp.framework, imp.kind, imp.snapshot)
    assert s.verified == pytest.approx(54.7)
    assert s.claim == pytest.approx(72.2)
    assert s.band.name == "Biru"


def test_structure_and_statuses():
    imp = import_kpk_export(EXPORT, year=2021)
    fw = imp.framework
    assert fw.areas["area_code"].tolist() == ["A1", "A2", "A3"]
    assert fw.level_table("indicator")["indicator_code"].tolist() == ["A1.1", "A2.1", "A2.2", "A3.1"]
    assert fw.subindicators["subindicator_code"].tolist() == [
        "A1.1.1",
        "A1.1.2",
        "A2.1.1",
        "A2.2.1",
        "A3.1.1",
    ]
    assert fw.subindicators.set_index("subindicator_code").loc["A3.1.1", "applies_to"] == ("kabupaten",)
    status = imp.snapshot.documents.set_index("doc_code")["status"].to_dict()
    assert status == {
        "A1.1.1.D1": "perlu_perbaikan",  # claimed 100, verified 80
        "A1.1.2.D1": "diverifikasi",
        "A2.1.1.D1": "diverifikasi",
        "A2.2.1.D1": "diunggah",
        "A3.1.1.D1": "perlu_perbaikan",
    }
    assert imp.snapshot.date == dt.date(2021, 12, 20)


def test_as_a_kota_dana_desa_drops_out():
    imp = import_kpk_export(EXPORT, year=2021)
    s = score_kind(imp.framework, "kota", imp.snapshot)
    assert s.verified == pytest.approx((19.2 + 8 + 17.5) / 0.75)


def test_several_instansi_need_a_choice(tmp_path):
    text = EXPORT.read_text(encoding="utf-8")
    lines = text.splitlines()
    other = [line.replace("Kab. Contoh", "Kota Lain") for line in lines[1:]]
    path = tmp_path / "export.csv"
    path.write_text("\n".join([*lines, *other]) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"Kab\. Contoh, Kota Lain"):
        import_kpk_export(path, year=2021)
    imp = import_kpk_export(path, year=2021, instansi="Kota Lain")
    assert imp.kind == "kota"


def test_weights_not_summing_to_100(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(EXPORT.read_text(encoding="utf-8").replace(",Sub P1b,40,", ",Sub P1b,45,"), encoding="utf-8")
    with pytest.raises(InputError) as err:
        import_kpk_export(path, year=2021)
    (p,) = err.value.problems
    assert (p.row, p.column) == (2, "bobot_subindikator")


def test_import_command_writes_a_pemda_that_scores_the_same(tmp_path, capsys):
    from mcp_lib.app.cli import main

    args = ["--data-dir", str(tmp_path), "import-kpk", str(EXPORT), "--year", "2021", "--pemda", "kab-contoh"]
    assert main(args) == 0
    assert "54,7%" in capsys.readouterr().out
    assert (tmp_path / "pemda" / "kab-contoh" / "status" / "2021-12-20.csv").is_file()
    assert main(["--data-dir", str(tmp_path), "score", "--pemda", "kab-contoh", "--period", "2021-12"]) == 0
    assert "54,7%" in capsys.readouterr().out
    # A second import does not overwrite what is there.
    assert main(args) == 1
    assert "tidak ditimpa" in capsys.readouterr().err
    assert main([*args, "--force"]) == 0


KPK_TOML = """\
name = "Kab. Contoh"
kind = "kabupaten"
province = ""
framework = 2021
target = 90
deadline = 2021-12-31
"""
"""The ``pemda.toml`` ``mcp import-kpk`` starts a pemda with, byte for byte as before it was
written by :func:`mcp_lib.pemda.settings.pemda_toml`."""


def test_an_import_starts_a_pemda_toml_and_keeps_the_analysts_own(tmp_path):
    imp = import_kpk_export(EXPORT, year=2021)
    toml = tmp_path / "pemda" / "kab-contoh" / "pemda.toml"
    assert toml in write_kpk_import(imp, tmp_path, "kab-contoh")
    assert toml.read_bytes() == KPK_TOML.encode("utf-8")
    pemda = load_pemda(toml.parent)
    assert (pemda.name, pemda.kind, pemda.framework_year, pemda.opds) == (
        "Kab. Contoh",
        "kabupaten",
        2021,
        (),
    )
    toml.write_text(KPK_TOML.replace("target = 90", "target = 80"), encoding="utf-8")
    assert toml not in write_kpk_import(imp, tmp_path, "kab-contoh", force=True)
    assert load_pemda(toml.parent).target == 80
