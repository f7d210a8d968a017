"""The command line: argument types as analysts type them, usage errors, exit statuses."""

import subprocess
import sys

import pytest

from mcp_lib.app.cli import main


def test_validate_bad_input_exits_1_with_every_problem_and_no_traceback(tiny_copy):
    status = tiny_copy / "pemda" / "kota-contoh" / "status"
    text = (status / "2023-10-31.csv").read_text()
    (status / "2023-10-31.csv").write_text(text.replace("belum", "selesai").replace(",60,", ",600,"), encoding="utf-8")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "mcp_lib",
            "--data-dir",
            str(tiny_copy),
            "validate",
            str(tiny_copy / "pemda" / "kota-contoh"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert "2023-10-31.csv, baris 7, kolom 'status': pilihan tidak dikenal (isi: 'selesai')" in run.stderr
    assert "baris 2, kolom 'verified_points'" in run.stderr


def test_unknown_pemda_and_period_are_clear(capsys):
    assert main(["score", "--pemda", "kota-palembang", "--period", "2023-10"]) == 1
    assert "kota-lubuklinggau" in capsys.readouterr().err
    assert main(["score", "--pemda", "kota-lubuklinggau", "--period", "2023-12"]) == 1
    assert "2023-03, 2023-04" in capsys.readouterr().err


def test_plan_confidence_is_a_probability(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["plan", "--pemda", "kota-lubuklinggau", "--period", "2023-10", "--confidence", "1.5x"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit):
        main(["plan", "--pemda", "kota-lubuklinggau", "--period", "2023-10", "--confidence", "-0.2"])
    assert "peluang di luar 0–1" in capsys.readouterr().err
    # 0,9 and 90% both mean 0.9
    assert main(["plan", "--pemda", "kota-lubuklinggau", "--period", "2023-10", "--json", "--confidence", "90%"]) == 0
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
    assert main(["plan", "--pemda", "kota-lubuklinggau", "--period", "2023-10", "--target", "87,5", "--json"]) == 0
    assert '"target": 87.5' in capsys.readouterr().out


@pytest.mark.parametrize(
    ("value", "message"), [("1,5", "peluang di luar 0–1"), ("abc", "bukan peluang"), ("150%", "di luar")]
)
def test_a_confidence_above_one_is_refused_not_guessed(capsys, value, message):
    with pytest.raises(SystemExit) as exc:
        main(["plan", "--pemda", "kota-lubuklinggau", "--period", "2023-10", "--confidence", value])
    assert exc.value.code == 2 and message in capsys.readouterr().err


@pytest.mark.parametrize(
    "command",
    [
        ["plan", "--pemda", "kota-lubuklinggau", "--period", "2023-10"],
        ["forecast", "--score", "60", "--date", "2023-10-31"],
    ],
)
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
