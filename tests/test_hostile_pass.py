"""A hostile pass over the files an analyst edits (issue 27), on the 2025 sample (Kabupaten Musi
Rawas, 680 documents) and in LibreOffice with an Indonesian locale.

Fixed here: a target or a final score written as a fraction (``0.85`` for 85%, what Excel keeps
behind a percentage cell) was taken as 0,85% without a word; ``--pemda kab-musi-rawas/`` as a
shell completes it was refused; a scenario file with accented letters lost them from its folder
name, and a framework workbook exported from one year and imported with ``--year`` of the next
is refused while it keeps last year's calendar. The other cases were already
handled and stay so (regression cases): each refusal names the file, the row and the column,
and a number that is kept is the number typed."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import edit_text
from openpyxl import load_workbook

from mcp_lib import text
from mcp_lib.app.cli import main
from mcp_lib.config import DATA_DIR
from mcp_lib.errors import InputError
from mcp_lib.framework.folder import load_framework
from mcp_lib.framework.workbook.reader import read_framework_workbook
from mcp_lib.framework.workbook.template import export_framework
from mcp_lib.pemda.model import pemda_dir
from mcp_lib.pemda.settings import load_pemda

SLUG = "kab-musi-rawas"
LAST = "2025-10-31"


@pytest.fixture
def musi(tmp_path: Path) -> Path:
    """A data folder with a copy of the 2025 sample pemda (frameworks: the bundled ones)."""
    shutil.copytree(DATA_DIR / "pemda" / SLUG, tmp_path / "pemda" / SLUG)
    return tmp_path


def _problems(exc: pytest.ExceptionInfo[InputError]) -> str:
    return " | ".join(str(p) for p in exc.value.problems)


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """``mcp argv``: its exit code and everything it printed, on one line."""
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out = capsys.readouterr()
    said = " ".join((out.out + out.err).split())
    assert "Traceback" not in said and "tak terduga" not in said
    return int(code or 0), said


# --- fixed: a percentage written as a fraction ------------------------------------------------


def test_a_target_written_as_a_fraction_is_refused_naming_the_setting(musi):
    edit_text(musi / "pemda" / SLUG / "pemda.toml", "target = 85", "target = 0.85")
    with pytest.raises(InputError) as exc:
        load_pemda(SLUG, musi)
    said = _problems(exc)
    assert "pemda.toml" in said and "'target'" in said and "pecahan" in said and "0.85" in said


def test_a_final_score_written_as_a_fraction_is_refused_naming_the_year(musi):
    edit_text(musi / "pemda" / SLUG / "pemda.toml", "note =", "final_scores = {2024 = 0.8}\nnote =")
    with pytest.raises(InputError) as exc:
        load_pemda(SLUG, musi)
    said = _problems(exc)
    assert "final_scores.2024" in said and "pecahan" in said


def test_a_final_score_out_of_range_says_the_range_not_only_an_example(musi):
    edit_text(musi / "pemda" / SLUG / "pemda.toml", "note =", "final_scores = {2024 = 180}\nnote =")
    with pytest.raises(InputError) as exc:
        load_pemda(SLUG, musi)
    said = _problems(exc)
    assert "final_scores.2024" in said and "di luar 0–100" in said and "0–100" in said.split("seharusnya")[1]


def test_a_target_of_zero_or_a_plain_percentage_stays_accepted(musi):
    edit_text(musi / "pemda" / SLUG / "pemda.toml", "target = 85", "target = 1.5")
    assert load_pemda(SLUG, musi).target == 1.5


@pytest.mark.parametrize("argv", [["--target", "0,9"], ["--target", "1"], ["--last-final", "0.87"]])
def test_a_fraction_on_the_command_line_is_a_usage_error(argv, capsys):
    full = ["forecast", "--score", "72", "--date", "2025-11-13", "--kind", "provinsi", *argv]
    if argv[0] == "--last-final":
        full = [
            "init",
            "--pemda",
            "kab-x",
            "--name",
            "X",
            "--kind",
            "kota",
            "--province",
            "P",
            "--framework",
            "2025",
            *argv,
        ]
    code, said = _run(full, capsys)
    assert code == 2 and "pecahan" in said and argv[0] in said


# --- found, not fixed: last year's framework workbook imported as next year's -------------------
# The README's way to type next year's framework is `mcp framework export --year 2025`, edit,
# `mcp framework import --year 2026`: the calendar (Batas unggah, Tanggal final) stayed 2025's
# and every pemda on the 2026 framework planned to an upload close a year gone. Now the one rule
# (mcp_calendar.assessment_problem) is applied to framework.toml and the workbook too.


@pytest.fixture(scope="module")
def workbook_2025(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export_framework(load_framework(2025), tmp_path_factory.mktemp("fw") / "kerangka-2025.xlsx")


def test_last_years_workbook_imported_as_next_year_names_its_calendar_rows(workbook_2025):
    with pytest.raises(InputError) as exc:
        read_framework_workbook(workbook_2025, 2026)
    said = _problems(exc)
    assert "sheet Kerangka" in said and "baris 4" in said and "baris 5" in said
    assert "masa penilaian kerangka 2026" in said and "30/11/2025" in said


def test_the_workbook_with_next_years_dates_imports(workbook_2025, tmp_path):
    path = shutil.copy(workbook_2025, tmp_path / "kerangka-2026.xlsx")
    wb = load_workbook(path)
    ws = wb["Kerangka"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value in ("Batas unggah", "Tanggal final"):
            row[1].value = row[1].value.replace(year=2026)
    wb.save(path)
    fw = read_framework_workbook(Path(path), 2026)
    assert fw.year == 2026 and fw.upload_close is not None and fw.upload_close.year == 2026


def test_a_framework_toml_with_another_years_calendar_is_refused(tmp_path):
    folder = tmp_path / "frameworks" / "mcp-2026"
    shutil.copytree(DATA_DIR / "frameworks" / "mcp-2025", folder)
    edit_text(folder / "framework.toml", "year = 2025", "year = 2026")
    with pytest.raises(InputError) as exc:
        load_framework(folder)
    said = _problems(exc)
    assert "framework.toml" in said and "'upload_close'" in said and "masa penilaian kerangka 2026" in said


# --- fixed: names as a user types them -------------------------------------------------------------


def test_a_pemda_name_with_a_trailing_slash_is_the_folder(musi, capsys):
    assert pemda_dir(f"{SLUG}/", musi) == musi / "pemda" / SLUG
    code, said = _run(["--data-dir", str(musi), "snapshot", "list", "--pemda", f"{SLUG}/"], capsys)
    assert code == 0 and "2025-10-31" in said


def test_a_scenario_with_accents_keeps_its_letters_in_the_folder_name():
    assert text.slugify("Skenario Ünïcode") == "skenario-unicode"
    assert text.slugify("Kab. Ogan Komering Ulu") == "kab-ogan-komering-ulu"


# --- handled (regression): the tracker as an analyst edits it --------------------------------------


@pytest.fixture(scope="module")
def tracker_2025(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The October 2025 tracker of Musi Rawas (``mcp snapshot export``)."""
    out = tmp_path_factory.mktemp("tracker") / "tracker-2025-10.xlsx"
    assert main(["snapshot", "export", "--pemda", SLUG, "--period", "2025-10", "--out", str(out)]) == 0
    return out


def _import(musi: Path, path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, dict[str, list[str]]]:
    """Import ``path`` as the snapshot of 5 November 2025: exit code, output, rows by doc code."""
    code, said = _run(
        ["--data-dir", str(musi), "snapshot", "import", str(path), "--date", "2025-11-05", "--pemda", SLUG], capsys
    )
    written = musi / "pemda" / SLUG / "status" / "2025-11-05.csv"
    rows = {}
    if written.exists():
        with written.open(encoding="utf-8") as fh:
            rows = {r[0]: r for r in csv.reader(fh)}
    return code, said, rows


@pytest.mark.slow
@pytest.mark.parametrize(
    ("cell", "typed", "field", "kept"),
    [
        ("J7", "12,5", 3, "12.5"),  # a decimal comma, as text
        ("K2", "1,5", 4, "1.5"),
        ("L2", "31/10/2025", 5, "2025-10-31"),  # a date typed as text, day first
        ("I2", "  DIUNGGAH ", 2, "diunggah"),  # a status in capitals, with spaces
        ("I2", "perlu perbaikan", 2, "perlu_perbaikan"),
    ],
)
def test_typed_values_are_read_as_typed(musi, tracker_2025, tmp_path, capsys, cell, typed, field, kept):
    wb = load_workbook(tracker_2025)
    ws = wb["Status"]
    ws[cell] = typed
    code_cell = f"A{cell[1:]}"
    doc = ws[code_cell].value
    wb.save(tmp_path / "t.xlsx")
    code, said, rows = _import(musi, tmp_path / "t.xlsx", capsys)
    assert code == 0, said
    assert rows[doc][field] == kept


@pytest.mark.slow
@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (lambda ws: ws.__setitem__("J7", "50%"), ["baris 7", "J Bagian terverifikasi", "antara 0 dan 16"]),
        (lambda ws: ws.__setitem__("L2", "10/31/2025"), ["baris 2", "L Tenggat", "tanggal"]),
        (lambda ws: ws.__setitem__("I2", "selesai"), ["baris 2", "I Status", "belum, disiapkan"]),
        (lambda ws: ws.__setitem__("H2", "Dinas Entah"), ["baris 2", "H OPD", "aka"]),
        (lambda ws: ws.__setitem__("K2", "2 hari"), ["baris 2", "K Usaha", "angka"]),
        (lambda ws: ws.__setitem__("I1", "Status dokumen"), ["baris 1", "I Status", "kolom wajib"]),
        (lambda ws: ws.__setitem__("J3", 5), ["baris 3", "status 'belum'"]),
    ],
)
def test_a_wrong_cell_is_refused_naming_row_and_column(musi, tracker_2025, tmp_path, capsys, edit, words):
    wb = load_workbook(tracker_2025)
    edit(wb["Status"])
    wb.save(tmp_path / "t.xlsx")
    code, said, rows = _import(musi, tmp_path / "t.xlsx", capsys)
    assert code == 1 and not rows
    for word in words:
        assert word in said, said


@pytest.mark.slow
def test_a_duplicated_row_is_refused_and_a_hidden_one_read(musi, tracker_2025, tmp_path, capsys):
    wb = load_workbook(tracker_2025)
    ws = wb["Status"]
    last = ws.max_row + 1
    for col in range(1, ws.max_column + 1):
        ws.cell(last, col).value = ws.cell(2, col).value
    wb.save(tmp_path / "dup.xlsx")
    code, said, _ = _import(musi, tmp_path / "dup.xlsx", capsys)
    assert code == 1 and f"baris {last}" in said and "ganda" in said and "baris 2" in said

    wb = load_workbook(tracker_2025)
    wb["Status"].row_dimensions[7].hidden = True
    wb["Status"].title = "Status Okt"
    wb.create_sheet("Catatan saya", 0)["A1"] = "catatan"
    del wb["Daftar"]
    wb.save(tmp_path / "t.xlsx")
    code, said, _ = _import(musi, tmp_path / "t.xlsx", capsys)
    assert code == 0, said
    last_csv = (musi / "pemda" / SLUG / "status" / f"{LAST}.csv").read_text(encoding="utf-8")
    assert (musi / "pemda" / SLUG / "status" / "2025-11-05.csv").read_text(encoding="utf-8") == last_csv


# --- handled (regression): LibreOffice with an Indonesian locale --------------------------------------


def _soffice(tmp_path: Path, *args: str) -> None:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) not installed")
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation={profile}", *args],
        check=True,
        capture_output=True,
        timeout=180,
    )


@pytest.mark.slow
def test_a_status_csv_saved_by_libreoffice_in_indonesian_is_refused_where_it_grew(musi, tmp_path, capsys):
    """LibreOffice with the Indonesian locale reads ``0.125`` as 125 (a dot groups thousands) and
    saves it so: the reader refuses it as above the document's maximum, naming row and column,
    never keeps it. ``12.5`` (not a grouped number) stays text and reads back as 12.5."""
    status = musi / "pemda" / SLUG / "status"
    with (status / f"{LAST}.csv").open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    rows[6][3], rows[9][3] = "12.5", "0.125"  # A1.1.1.1.D6 (max 16), A1.1.1.2.D3 (max 33)
    src = tmp_path / "2025-11-05.csv"
    with src.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    _soffice(
        tmp_path,
        "--infilter=CSV:44,34,76,1,,1057,false,true",
        "--convert-to",
        "csv:Text - txt - csv (StarCalc):59,34,76,1,,1057",
        "--outdir",
        str(tmp_path / "out"),
        str(src),
    )
    saved = (tmp_path / "out" / "2025-11-05.csv").read_text(encoding="utf-8")
    assert ";125;" in saved and ";12.5;" in saved  # what LibreOffice did
    shutil.copy(tmp_path / "out" / "2025-11-05.csv", status / "2025-11-05.csv")
    code, said = _run(["--data-dir", str(musi), "validate", str(status / "2025-11-05.csv")], capsys)
    assert code == 1 and "baris 10" in said and "'verified_points'" in said and "'125'" in said
    assert "baris 7" not in said


@pytest.mark.slow
def test_the_tracker_saved_again_by_libreoffice_imports_unchanged(musi, tracker_2025, tmp_path, capsys):
    src = shutil.copy(tracker_2025, tmp_path / "tracker.xlsx")
    _soffice(tmp_path, "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(tmp_path / "out"), str(src))
    code, said, _ = _import(musi, tmp_path / "out" / "tracker.xlsx", capsys)
    assert code == 0, said
    status = musi / "pemda" / SLUG / "status"
    assert (status / "2025-11-05.csv").read_bytes() == (status / f"{LAST}.csv").read_bytes()
    assert "Tidak ada dokumen yang berubah status" in said


def test_predikat_bounds_out_of_order_are_refused_not_sorted(tmp_path):
    """A typo in bands.csv (waspada 80 above terjaga 78) was sorted silently, giving terjaga the
    range 78-80 and waspada everything above. Refused naming the row; the same bands written
    highest first are read."""
    folder = tmp_path / "frameworks" / "mcp-2025"
    shutil.copytree(DATA_DIR / "frameworks" / "mcp-2025", folder)
    bands = folder / "bands.csv"
    bands.write_text("band,lower_bound,colour\nrentan,0,#d7301f\nwaspada,80,#fdae61\nterjaga,78,#1a9850\n")
    with pytest.raises(InputError) as exc:
        load_framework(folder)
    said = str(exc.value)
    assert "baris 3" in said and "predikat waspada (80) tidak berurutan" in said
    bands.write_text("band,lower_bound,colour\nterjaga,78,#1a9850\nwaspada,73,#fdae61\nrentan,0,#d7301f\n")
    assert [b.name for b in load_framework(folder).bands.items] == ["rentan", "waspada", "terjaga"]


def test_two_scenario_files_never_share_a_brief_folder():
    """Two names in another script (both were 'x'), or two that differ by an accent, went to one
    folder: the second brief was refused as 'sudah ada'. A plain name keeps its folder."""
    from mcp_lib.brief.steps import month_folder

    assert month_folder("2023-10") == "2023-10"
    assert month_folder("2023-10", "outputs/x/rabu-asumsi.csv") == "2023-10-skenario-rabu-asumsi"
    names = ["rabu.csv", "rabü.csv", "سيناريو.csv", "场景.csv", "skenario ünïcode.csv"]
    folders = [month_folder("2023-10", n) for n in names]
    assert len(set(folders)) == len(folders)
    assert all(re.fullmatch(r"2023-10-skenario-[a-z0-9-]+", f) for f in folders), folders
    assert folders[0] == "2023-10-skenario-rabu" and folders[1].startswith("2023-10-skenario-rabu-")
    assert folders[4].startswith("2023-10-skenario-skenario-unicode-")
