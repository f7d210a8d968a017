"""The work of each command: what it loads, checks, writes and prints on success."""

import argparse
import re
import shutil

import pytest
from conftest import TINY

from mcp_lib.app.cli import main
from mcp_lib.app.commands import _batch_folders, validate_path
from mcp_lib.config import DATA_DIR, REPO_ROOT
from mcp_lib.errors import InputError


def _verified(text):
    m = re.search(r"Nilai terverifikasi \(verified\): (\d+),(\d)%", text)
    assert m, text
    return float(f"{m.group(1)}.{m.group(2)}")


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
    assert "Target 87,0% (nilai akhir 2022)\n" in out and "Target 90,0% (target pemda)\n" in out
    assert out.count("Bila laju sekarang berlanjut: peluang") == out.count("Bila rencana dijalankan: peluang") == 2
    assert "langkah pertama" in out  # the 87 plan nests in the 90 plan
    assert "menunggu sertifikasi tanah oleh BPN" in out
    assert "Daftar tindakan per OPD" in out and "Inspektorat" in out
    table = pd.read_csv(csv, sep=";", decimal=",", encoding="utf-8-sig")
    assert table["cumulative_score"].iloc[-1] >= 90
    assert table["cumulative_score"].is_monotonic_increasing
    assert len(pd.read_excel(xlsx)) == len(table)
    assert main(args) == 1  # never overwrites without --force
    assert "tidak ditimpa" in capsys.readouterr().err


def test_plan_json(capsys):
    import json

    assert main(["plan", "--pemda", "kota-lubuklinggau", "--period", "2023-10", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [t["target"] for t in data["targets"]] == [87, 90]
    low, top = data["targets"]
    for t in (low, top):  # the two chances of the year's end, each with its band
        for scenario in ("without_plan", "with_plan"):
            o = t[scenario]
            assert set(o) == {"chance", "p10", "median", "p90"} and 0 <= o["chance"] <= 1
            assert o["p10"] <= o["median"] <= o["p90"]
        assert t["with_plan"]["chance"] >= t["without_plan"]["chance"]
        assert set(t["minimal"]) == {"documents", "effort"}  # no third chance
    # 87 meets the keyakinan of 80% with 6 more documents; 90 cannot within capacity (test_brief)
    assert low["confidence_met"] is True and low["with_plan"]["chance"] >= 0.8 > low["without_plan"]["chance"]
    assert top["reachable"] is True and top["confidence_met"] is False and top["limits"]
    assert top["reserve"]["effort"] > top["minimal"]["effort"]
    assert len(top["reserve_codes"]) == top["reserve"]["extra_documents"]
    assert low["first_step_of_next"] is True


def test_init_prints_its_next_steps_unwrapped_and_quoted(tmp_path, capsys):
    import shlex

    data = tmp_path / "data dengan spasi"
    assert (
        main(
            [
                "--data-dir",
                str(data),
                "init",
                "--pemda",
                "kab-uji",
                "--name",
                "Kabupaten Uji",
                "--kind",
                "Kabupaten",
                "--province",
                "P",
                "--framework",
                "2023",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    step = next(line for line in out.splitlines() if "snapshot import" in line)
    words = shlex.split(step)
    assert words[words.index("--data-dir") + 1] == str(data)
    assert words[3].endswith("tracker-2023.xlsx") and " " in words[3]  # the path with its space, one word


def test_validate_path_names_what_it_checked(tiny_copy):
    pemda = tiny_copy / "pemda" / "kota-contoh"
    assert validate_path(pemda).startswith(f"OK {pemda}: Kota Contoh, ")
    assert validate_path(tiny_copy / "frameworks" / "mcp-2023").startswith("OK ")
    snapshot = pemda / "status" / "2023-10-31.csv"
    assert re.fullmatch(
        rf"OK {re.escape(str(snapshot))}: snapshot Kota Contoh tanggal 31 Oktober 2023, \d+ dokumen berlaku",
        validate_path(snapshot),
    )
    with pytest.raises(InputError, match="tidak dikenali"):
        validate_path(REPO_ROOT / "README.md")


def test_mcp_batch_says_which_linked_pemda_it_counts_once(tmp_path, capsys):
    """A symlink inside pemda/ to another pemda of the same data folder (and a glob matching
    both): each real folder once, the real name kept, the link said."""
    from rich.console import Console

    slug = "kota-lubuklinggau"
    root = tmp_path / "data"
    shutil.copytree(DATA_DIR / "pemda" / slug, root / "pemda" / slug)
    (root / "pemda" / "lubuklinggau-lagi").symlink_to(root / "pemda" / slug, target_is_directory=True)
    out = Console(stderr=True, highlight=False)
    args = argparse.Namespace(pemda_glob=None, data_dir=root, province="Sumatera Selatan")
    folders, _ = _batch_folders(args, out)
    assert [f.name for f in folders] == [slug]
    assert "lubuklinggau-lagi adalah tautan (symlink)" in capsys.readouterr().err
    args = argparse.Namespace(pemda_glob=str(root / "pemda" / "*"), data_dir=root, province=None)
    folders, _ = _batch_folders(args, out)
    assert [f.name for f in folders] == [slug]


def _counts_cli(root, *args):
    return main(["--data-dir", str(root), "snapshot", "counts", "--pemda", "kab-musi-rawas", *args])


def test_snapshot_counts_writes_the_template_then_scores_and_stores_the_filled_sheet(tmp_path, capsys):
    from counts_sheet import SAMPLE

    root = tmp_path / "data"
    shutil.copytree(DATA_DIR / "pemda" / "kab-musi-rawas", root / "pemda" / "kab-musi-rawas")
    assert _counts_cli(root, "--template") == 0
    blank = root / "pemda" / "kab-musi-rawas" / "angka-dasbor-2025.xlsx"
    assert blank.is_file() and f"ditulis: {blank}" in capsys.readouterr().out
    assert _counts_cli(root, "--template") == 1  # never over the analyst's sheet
    assert "sudah ada dan tidak ditimpa" in capsys.readouterr().err
    assert _counts_cli(root, "--file", str(SAMPLE)) == 0
    out = capsys.readouterr().out
    stored = root / "pemda" / "kab-musi-rawas" / "counts" / "2025-10-31.csv"
    assert f"ditulis: {stored}" in out and stored.is_file()
    assert "Kabupaten Musi Rawas per 31 Oktober 2025: nilai 57,8%, predikat rentan" in out
    assert "bukan dari dokumen" in out and "680 wajib" in out
    assert re.search(r"A7 Optimalisasi\s.*78,71", out)
    assert _counts_cli(root, "--file", str(SAMPLE)) == 0  # the same figures again: left as they are
    assert "sudah ada, isinya sama" in capsys.readouterr().out


def test_snapshot_counts_on_a_bad_sheet_names_the_cell_and_writes_nothing(tmp_path, capsys):
    from counts_sheet import SAMPLE, set_cells

    root = tmp_path / "data"
    shutil.copytree(DATA_DIR / "pemda" / "kab-musi-rawas", root / "pemda" / "kab-musi-rawas")
    bad = set_cells(shutil.copy(SAMPLE, tmp_path / "angka.xlsx"), {(3, "accepted"): 60})  # A2 uploaded 53
    assert _counts_cli(root, "--file", str(bad)) == 1
    err = capsys.readouterr().err
    assert "baris 3, kolom 'H Diterima': diterima (60) lebih banyak dari diunggah (53)" in err
    assert "Traceback" not in err
    assert not (root / "pemda" / "kab-musi-rawas" / "counts").exists()


def test_snapshot_counts_keeps_a_dates_other_figures_without_force(tmp_path, capsys):
    from counts_sheet import SAMPLE, set_cells

    root = tmp_path / "data"
    shutil.copytree(DATA_DIR / "pemda" / "kab-musi-rawas", root / "pemda" / "kab-musi-rawas")
    assert _counts_cli(root, "--file", str(SAMPLE)) == 0
    other = set_cells(shutil.copy(SAMPLE, tmp_path / "angka.xlsx"), {(2, "area_score"): 43.0})
    assert _counts_cli(root, "--file", str(other)) == 1
    assert "sudah ada dengan isi lain" in capsys.readouterr().err
    assert _counts_cli(root, "--file", str(other), "--force") == 0
    assert len(list((root / "pemda" / "kab-musi-rawas" / "counts").iterdir())) == 2  # the old one kept


def _september_sheet(root, tmp_path):
    """The sample's counts of 30 September 2025 in a filled sheet (its snapshot, as the dashboard shows it)."""
    from counts_sheet import fill_counts

    from mcp_lib.count_scores import counts_from_snapshot
    from mcp_lib.framework.folder import load_framework
    from mcp_lib.pemda.counts import write_counts_template
    from mcp_lib.pemda.settings import load_pemda
    from mcp_lib.pemda.snapshot import load_period

    pemda = load_pemda("kab-musi-rawas", root)
    fw = load_framework(pemda.framework_year)
    sheet = write_counts_template(fw, pemda, tmp_path / "angka-september.xlsx")
    return fill_counts(sheet, counts_from_snapshot(fw, pemda, load_period(pemda, fw, "2025-09")))


def test_snapshot_counts_brief_writes_the_page_with_the_forecast_and_each_areas_pace(tmp_path, capsys):
    from counts_sheet import SAMPLE

    root = tmp_path / "data"
    shutil.copytree(DATA_DIR / "pemda" / "kab-musi-rawas", root / "pemda" / "kab-musi-rawas")
    assert _counts_cli(root, "--file", str(_september_sheet(root, tmp_path))) == 0
    capsys.readouterr()
    out_dir = tmp_path / "keluaran"
    assert _counts_cli(root, "--file", str(SAMPLE), "--brief", "--out", str(out_dir)) == 0
    out = capsys.readouterr().out
    page = out_dir / "angka-dasbor-2025-10-31.html"
    assert page.is_file() and f"Brief dari angka dasbor (HTML, tanpa internet): {page}" in out
    assert re.search(
        r"Proyeksi nilai final bila laju sekarang berlanjut \(dari angka dasbor, bukan dokumen\): peluang", out
    )
    html = page.read_text(encoding="utf-8")
    assert "bukan dari dokumen" in html and "Laju per area dari 2 lembar angka dasbor tahun ini" in html
    assert (root / "pemda" / "kab-musi-rawas" / "counts" / "2025-10-31.csv").is_file()


def test_snapshot_counts_brief_on_a_bad_sheet_names_the_cell_and_writes_nothing(tmp_path, capsys):
    from counts_sheet import SAMPLE, set_cells

    root = tmp_path / "data"
    shutil.copytree(DATA_DIR / "pemda" / "kab-musi-rawas", root / "pemda" / "kab-musi-rawas")
    # A2: 84 required, 55 uploaded, 29 not uploaded; 30 makes them not add up
    bad = set_cells(shutil.copy(SAMPLE, tmp_path / "angka.xlsx"), {(3, "not_uploaded"): 30})
    assert _counts_cli(root, "--file", str(bad), "--brief", "--out", str(tmp_path / "keluaran")) == 1
    err = capsys.readouterr().err
    assert "baris 3, kolom 'F Dokumen wajib': dokumen wajib (84) tidak sama dengan diunggah + belum diunggah" in err
    assert "Traceback" not in err
    assert not (root / "pemda" / "kab-musi-rawas" / "counts").exists() and not (tmp_path / "keluaran").exists()


def test_snapshot_counts_brief_reads_every_stored_sheet_before_writing_anything(tmp_path, capsys):
    """A stored sheet of the year spoilt by hand (its pace is read for the forecast) is named, and
    neither the new sheet nor the page is written."""
    from counts_sheet import SAMPLE

    root = tmp_path / "data"
    shutil.copytree(DATA_DIR / "pemda" / "kab-musi-rawas", root / "pemda" / "kab-musi-rawas")
    assert _counts_cli(root, "--file", str(_september_sheet(root, tmp_path))) == 0
    stored = root / "pemda" / "kab-musi-rawas" / "counts" / "2025-09-30.csv"
    stored.write_text(stored.read_text(encoding="utf-8").replace(",84,", ",85,", 1), encoding="utf-8")
    capsys.readouterr()
    assert _counts_cli(root, "--file", str(SAMPLE), "--brief", "--out", str(tmp_path / "keluaran")) == 1
    err = capsys.readouterr().err
    assert "2025-09-30.csv" in err and "dokumen wajib (85) tidak sama" in err
    assert not (stored.parent / "2025-10-31.csv").exists() and not (tmp_path / "keluaran").exists()


def test_snapshot_counts_brief_goes_with_file_only(capsys):
    with pytest.raises(SystemExit) as info:
        main(["snapshot", "counts", "--pemda", "kab-musi-rawas", "--template", "--brief"])
    assert info.value.code == 2 and "--brief hanya berlaku bersama --file" in capsys.readouterr().err


def test_snapshot_counts_out_goes_with_template_only(capsys):
    with pytest.raises(SystemExit) as info:
        main(["snapshot", "counts", "--pemda", "kab-musi-rawas", "--file", "a.xlsx", "--out", "b.xlsx"])
    assert info.value.code == 2 and "--out hanya berlaku bersama --template" in capsys.readouterr().err


def test_mcp_plan_names_the_items_no_plan_can_move(capsys):
    """On the methods fixture, B.2 is met by its realisation: `mcp plan` says it is outside the plan,
    with its open points; a framework without such items prints no such line."""
    from conftest import METHODS

    assert main(["--data-dir", str(METHODS), "plan", "--pemda", "kab-metode", "--period", "2026-10"]) == 0
    said = " ".join(capsys.readouterr().out.split())
    assert (
        "Di luar rencana, tidak naik dengan mengunggah dokumen: B.2 Realisasi penerimaan pajak daerah "
        "(perlu capaian realisasi, 6,25 poin)" in said
    )
    assert main(["--data-dir", str(TINY), "plan", "--pemda", "kota-contoh", "--period", "2023-10"]) == 0
    assert "Di luar rencana" not in capsys.readouterr().out
