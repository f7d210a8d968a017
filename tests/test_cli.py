import re
import subprocess
import sys

import pytest
from conftest import TINY

from mcp_lib.cli import main


def _verified(text):
    m = re.search(r"Nilai terverifikasi \(verified\): (\d+),(\d)%", text)
    assert m, text
    return float(f"{m.group(1)}.{m.group(2)}")


def test_score_prints_total_band_areas_and_opds(capsys):
    assert main(["score", "--pemda", "kota-lubuklinggau", "--period", "2023-10"]) == 0
    out = capsys.readouterr().out
    assert 64.5 <= _verified(out) <= 65.5
    assert "predikat Biru" in out
    assert "Nilai per area" in out and "Optimalisasi Pajak Daerah" in out
    assert "OPD" in out and "Inspektorat" in out
    assert "Nilai akhir 2022: 87,0%" in out


def test_earlier_month_prints_a_lower_score(capsys):
    main(["score", "--pemda", "kota-lubuklinggau", "--period", "2023-10"])
    october = _verified(capsys.readouterr().out)
    main(["score", "--pemda", "kota-lubuklinggau", "--period", "2023-07"])
    assert _verified(capsys.readouterr().out) < october


def test_score_on_another_data_dir(capsys):
    assert main(["--data-dir", str(TINY), "score", "--pemda", "kota-contoh", "--period", "2023-10"]) == 0
    assert _verified(capsys.readouterr().out) == pytest.approx(34.6)


def test_validate_ok_prints_one_line_per_path(capsys):
    paths = [
        "data/pemda/kota-lubuklinggau",
        "data/frameworks/mcp-2023",
        "data/pemda/kota-lubuklinggau/status/2023-10-31.csv",
    ]
    from mcp_lib.config import REPO_ROOT

    assert main(["validate", *(str(REPO_ROOT / p) for p in paths)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 3 and all(line.startswith("OK ") for line in lines)


def test_validate_bad_input_exits_1_with_every_problem_and_no_traceback(tiny_copy):
    status = tiny_copy / "pemda" / "kota-contoh" / "status"
    text = (status / "2023-10-31.csv").read_text()
    (status / "2023-10-31.csv").write_text(
        text.replace("belum", "selesai").replace(",60,", ",600,"), encoding="utf-8"
    )
    run = subprocess.run(
        [sys.executable, "-m", "mcp_lib", "--data-dir", str(tiny_copy), "validate", str(tiny_copy / "pemda" / "kota-contoh")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert "2023-10-31.csv, baris 7, kolom 'status': pilihan tidak dikenal (isi: 'selesai')" in run.stderr
    assert "baris 2, kolom 'verified_points'" in run.stderr


def test_unknown_pemda_and_period_are_clear(capsys):
    assert main(["score", "--pemda", "kota-palembang", "--period", "2023-10"]) == 1
    assert "kota-lubuklinggau" in capsys.readouterr().err
    assert main(["score", "--pemda", "kota-lubuklinggau", "--period", "2023-12"]) == 1
    assert "2023-03, 2023-04" in capsys.readouterr().err


def test_pemda_folder_elsewhere_finds_its_own_frameworks(tiny_copy, capsys):
    # No --data-dir: the framework is looked up next to the pemda folder (tiny's mcp-2023), not the bundled one.
    assert main(["score", "--pemda", str(tiny_copy / "pemda" / "kota-contoh"), "--period", "2023-10"]) == 0
    assert _verified(capsys.readouterr().out) == pytest.approx(34.6)
    assert main(["validate", str(tiny_copy / "pemda" / "kota-contoh" / "status" / "2023-10-31.csv")]) == 0


def test_plan_prints_verdicts_and_actions_and_writes_csv_and_xlsx(tmp_path, capsys):
    import pandas as pd

    csv, xlsx = tmp_path / "rencana.csv", tmp_path / "rencana.xlsx"
    args = [
        "plan",
        "--pemda",
        "kota-lubuklinggau",
        "--period",
        "2023-10",
        "--csv",
        str(csv),
        "--xlsx",
        str(xlsx),
    ]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert (
        "Target 87,0% (nilai akhir 2022): tercapai" in out and "Target 90,0% (target pemda): tercapai" in out
    )
    assert "langkah pertama" in out  # the 87 plan nests in the 90 plan
    assert "menunggu sertifikasi tanah oleh BPN" in out
    assert "Daftar tindakan per OPD" in out and "Inspektorat" in out
    table = pd.read_csv(csv, sep=";", decimal=",", encoding="utf-8-sig")
    assert table["cumulative_score"].iloc[-1] >= 90
    assert table["cumulative_score"].is_monotonic_increasing
    assert len(pd.read_excel(xlsx)) == len(table)
    assert main(args) == 1  # never overwrites without --force
    assert "tidak ditimpa" in capsys.readouterr().err


def test_plan_infeasible_target_is_explained_not_raised(capsys):
    assert main(["plan", "--pemda", "kota-lubuklinggau", "--period", "2023-10", "--target", "99.5"]) == 0
    out = capsys.readouterr().out
    assert "tidak tercapai" in out and "kurang" in out and "terblokir" in out
    assert not re.search(r"\bnan\b", out)  # an obstacle without a document prints no document code


def test_plan_shows_the_minimal_plan_and_the_reserve(capsys):
    assert main(["plan", "--pemda", "kota-lubuklinggau", "--period", "2023-10", "--target", "90"]) == 0
    out = capsys.readouterr().out
    assert "Rencana minimal (semua diterima): 39 dokumen" in out
    assert "Untuk peluang 80%: 9 dokumen tambahan (40 hari-orang)" in out
    assert "cadangan" in out and not re.search(r"peluang 0%", out)


def test_plan_json(capsys):
    import json

    assert main(["plan", "--pemda", "kota-lubuklinggau", "--period", "2023-10", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [t["target"] for t in data["targets"]] == [87, 90]
    top = data["targets"][-1]
    for part in ("minimal", "reserve"):
        assert set(top[part]) >= {"documents", "effort", "chance"}
    assert top["reachable"] is True and top["confidence_met"] is True
    assert top["reserve"]["chance"] >= 0.8 > top["minimal"]["chance"]
    assert top["reserve"]["effort"] > top["minimal"]["effort"]
    assert len(top["reserve_codes"]) == top["reserve"]["extra_documents"] == 9
    assert data["targets"][0]["first_step_of_next"] is True


def test_plan_confidence_is_a_probability(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["plan", "--pemda", "kota-lubuklinggau", "--period", "2023-10", "--confidence", "1.5x"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit):
        main(["plan", "--pemda", "kota-lubuklinggau", "--period", "2023-10", "--confidence", "-0.2"])
    assert "peluang di luar 0–1" in capsys.readouterr().err
    # 0,9 and 90% both mean 0.9
    assert (
        main(["plan", "--pemda", "kota-lubuklinggau", "--period", "2023-10", "--json", "--confidence", "90%"])
        == 0
    )
    assert '"confidence": 0.9' in capsys.readouterr().out


@pytest.mark.parametrize("command", ["plan", "score", "brief"])
@pytest.mark.parametrize("target", ["150", "-5", "100,5", "sembilan puluh"])
def test_targets_outside_0_100_are_usage_errors(capsys, command, target):
    with pytest.raises(SystemExit) as exc:
        main([command, "--pemda", "kota-lubuklinggau", "--period", "2023-10", "--target", target])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "kesalahan penggunaan" in err and "Traceback" not in err


def test_a_target_with_a_decimal_comma_is_read(capsys):
    assert (
        main(["plan", "--pemda", "kota-lubuklinggau", "--period", "2023-10", "--target", "87,5", "--json"])
        == 0
    )
    assert '"target": 87.5' in capsys.readouterr().out


@pytest.mark.parametrize(
    ("value", "message"), [("1,5", "peluang di luar 0–1"), ("abc", "bukan peluang"), ("150%", "di luar")]
)
def test_a_confidence_above_one_is_refused_not_guessed(capsys, value, message):
    with pytest.raises(SystemExit) as exc:
        main(["plan", "--pemda", "kota-lubuklinggau", "--period", "2023-10", "--confidence", value])
    assert exc.value.code == 2 and message in capsys.readouterr().err


@pytest.mark.parametrize("command", [["plan", "--pemda", "kota-lubuklinggau", "--period", "2023-10"],
                                     ["forecast", "--score", "60", "--date", "2023-10-31"]])  # fmt: skip
def test_a_negative_seed_is_a_usage_error(capsys, command):
    with pytest.raises(SystemExit) as exc:
        main([*command, "--seed", "-1"])
    assert exc.value.code == 2 and "benih acak" in capsys.readouterr().err


def test_dates_and_kinds_as_analysts_write_them(tmp_path, capsys):
    """--date takes the forms the guide tells analysts to write (31/10/2023, 31 Oktober 2023);
    --kind any case, as pemda.toml."""
    for date in ("31/10/2023", "31 Oktober 2023", "2023-10-31"):
        assert main(["forecast", "--score", "60", "--date", date, "--kind", "Kabupaten", "--json"]) == 0
        assert '"as_of": "2023-10-31"' in capsys.readouterr().out


def test_init_prints_its_next_steps_unwrapped_and_quoted(tmp_path, capsys):
    import shlex

    data = tmp_path / "data dengan spasi"
    assert main(["--data-dir", str(data), "init", "--pemda", "kab-uji", "--name", "Kabupaten Uji",
                 "--kind", "Kabupaten", "--province", "P", "--framework", "2023"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    step = next(line for line in out.splitlines() if "snapshot import" in line)
    words = shlex.split(step)
    assert words[words.index("--data-dir") + 1] == str(data)
    assert words[3].endswith("tracker-2023.xlsx") and " " in words[3]  # the path with its space, one word
