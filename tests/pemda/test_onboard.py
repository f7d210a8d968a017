"""Starting a pemda (onboard.py, ``mcp init``): ``pemda.toml``, an empty ``status/`` and the Excel
tracker, written at once or not at all, and a new pemda's first afternoon from init to brief."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import fill
from openpyxl import load_workbook

from mcp_lib.app.cli import main
from mcp_lib.brief.request import BriefRequest
from mcp_lib.errors import InputError
from mcp_lib.framework.folder import load_framework
from mcp_lib.pemda import tracker
from mcp_lib.pemda.onboard import init_pemda
from mcp_lib.pemda.settings import load_pemda
from mcp_lib.pemda.snapshot import load_period
from mcp_lib.scoring import score_snapshot


def test_init_writes_settings_status_folder_and_tracker(new_kab):
    root, pemda, path = new_kab
    assert pemda.path == root / "pemda" / "kab-baru"
    assert (pemda.path / "status").is_dir() and not any((pemda.path / "status").iterdir())
    assert path == pemda.path / "tracker-2023.xlsx" and path.is_file()
    assert (pemda.name, pemda.kind, pemda.framework_year, pemda.target) == (
        "Kabupaten Baru",
        "kabupaten",
        2023,
        90,
    )
    assert pemda.deadline == dt.date(2023, 11, 30) and pemda.last_final == (2022, 80)  # the upload close
    fw = load_framework(2023)
    default = {n.strip() for cell in fw.documents["default_opd"] for n in cell.split(";") if n.strip()}
    assert {o.name for o in pemda.opds} == default  # a kabupaten: Dana Desa's OPD included
    assert [p.name for p in (root / "pemda").iterdir()] == ["kab-baru"]  # no temporary folder left


def test_init_never_overwrites_and_rejects_unsafe_names(new_kab):
    root, pemda, _ = new_kab
    before = (pemda.path / "pemda.toml").read_bytes()
    with pytest.raises(InputError, match="sudah ada"):
        init_pemda("kab-baru", "Lain", "kabupaten", "X", 2023, root)
    assert (pemda.path / "pemda.toml").read_bytes() == before
    for bad in ("../luar", "/etc", "Kab Baru", "kab_baru", ""):
        with pytest.raises(InputError, match="nama folder pemda tidak sah"):
            init_pemda(bad, "X", "kota", "X", 2023, root)
    with pytest.raises(InputError, match="kerangka MCP tahun 2031"):
        init_pemda("kota-lain", "Kota Lain", "kota", "X", 2031, root)
    assert not (root / "pemda" / "kota-lain").exists()


INIT_TOML = """\
# Pengaturan pemda untuk MCP Workbook. Ubah sesuai keadaan, lalu simpan (UTF-8).
name = "Kota Baru"
kind = "kota"  # kota, kabupaten atau provinsi
province = "Sumatera Selatan"
framework = 2023  # tahun kerangka MCP (folder frameworks/mcp-2023)
target = 87.5  # nilai yang dituju (0-100)
deadline = 2023-12-31  # tenggat rencana (paling lambat batas unggah KPK)
# batas unggah dan nilai final tahun ini: 2023-12-31 dan 2024-01-15 (framework.toml); bila berbeda untuk pemda ini:
# upload_close = 2023-12-31
# final_date = 2024-01-15

# Nilai akhir tahun-tahun sebelumnya (dari KPK), mis. 2022 = 87
[final_scores]
2022 = 80

# OPD penanggung jawab (dari kerangka MCP). Sesuaikan nama dengan nama OPD di daerah Anda;
# capacity_days = hari-orang per bulan yang dapat dipakai OPD untuk MCP (boleh dihapus bila
# tidak diketahui: rencana lalu tidak dibatasi kapasitas). Bila nama OPD diganti, tulis nama
# lama di aka, mis. aka = ["Bagian PBJ"]: snapshot dan tracker lama tetap terbaca.

[[opd]]
name = "Bappeda"
# capacity_days = 10

[[opd]]
name = "BPKAD"
# capacity_days = 10

[[opd]]
name = "Inspektorat"
# capacity_days = 10

# Risiko verifikasi (pilihan): parameter model peluang dan proyeksi, bawaan dari data MCP 2020-21
# (daftar lengkap dan sumbernya: docs/panduan.md, bagian 'Peluang dan proyeksi'). Contoh:
# [risiko]
# pemda_sd = 0.7          # sebaran efek pemda
# [risiko.hambatan]
# "BPN" = 0.3             # peluang hambatan yang teksnya memuat BPN teratasi sebelum batas unggah
"""
"""What ``mcp init`` writes for a kota on the tiny framework (three default OPDs, upload close and
final date from its framework.toml): byte for byte the template it wrote before ``pemda.toml`` had
one writer (:func:`mcp_lib.pemda.settings.pemda_toml`)."""


def test_init_writes_the_commented_template(tiny_copy):
    pemda, _ = init_pemda(
        "kota-baru", "Kota Baru", "kota", "Sumatera Selatan", 2023, tiny_copy, target=87.5, last_final=80
    )
    assert (pemda.path / "pemda.toml").read_bytes() == INIT_TOML.encode("utf-8")
    assert (pemda.target, pemda.deadline, pemda.final_scores) == (87.5, dt.date(2023, 12, 31), {2022: 80})
    assert [(o.name, o.capacity_days) for o in pemda.opds] == [
        ("Bappeda", None),
        ("BPKAD", None),
        ("Inspektorat", None),
    ]
    assert (pemda.upload_close, pemda.final_date) == (None, None)  # given as comments only


def test_init_lists_every_bad_setting_at_once_and_writes_nothing(tmp_path):
    root = tmp_path / "data"
    with pytest.raises(InputError) as err:
        init_pemda("kota-x", "  ", "desa", "Sumatera Selatan", 2023, root, target=0, last_final=101)
    assert {p.file for p in err.value.problems} == {"--kind", "--name", "--target", "--last-final"}
    assert not (root / "pemda").exists()


def test_new_folders_follow_the_umask_not_owner_only(tmp_path):
    """mkdtemp makes 0700 folders; a pemda folder on a shared drive must open for colleagues."""
    import os

    old = os.umask(0o022)
    try:
        pemda, _ = init_pemda("kab-bersama", "Kab Bersama", "kabupaten", "X", 2023, tmp_path / "data")
    finally:
        os.umask(old)
    assert pemda.path.stat().st_mode & 0o777 == 0o755


DOCUMENTS = {(2023, "kabupaten"): 143, (2024, "kota"): 140, (2025, "kabupaten"): 680, (2025, "provinsi"): 660}
"""Documents that apply, by framework and kind (2025: ``verification-risk.md``, sourced sizes)."""


@pytest.mark.slow
@pytest.mark.parametrize(("year", "kind"), list(DOCUMENTS))
def test_new_pemda_from_init_to_brief(tmp_path, year, kind, warm_kernel):
    """What a new Inspektorat does in its first afternoon: init, fill the tracker in Excel,
    import it, make the brief."""
    from mcp_lib.run.runner import run_brief

    root = tmp_path / "data"
    assert (
        main(
            [
                "init",
                "--pemda",
                "pemda-baru",
                "--name",
                "Pemda <Baru>",
                "--kind",
                kind,
                "--province",
                "Sumatera Selatan",
                "--framework",
                str(year),
                "--last-final",
                "70",
                "--data-dir",
                str(root),
            ]
        )
        == 0
    )
    pemda = load_pemda("pemda-baru", root)
    fw = load_framework(year)
    docs = fw.documents[fw.applies(kind).to_numpy()]
    ws = load_workbook(pemda.path / f"tracker-{year}.xlsx", read_only=True)[tracker.SHEET]
    codes = [row[0] for row in ws.iter_rows(min_row=2, max_col=1, values_only=True) if row[0]]
    assert len(codes) == len(docs) == DOCUMENTS[year, kind]
    half = docs.iloc[: len(docs) // 2]
    fill(
        pemda.path / f"tracker-{year}.xlsx",
        {
            **{
                c: {"status": "diverifikasi", "verified_points": p}
                for c, p in zip(half["doc_code"], half["points"], strict=True)
            },
            docs["doc_code"].iloc[-1]: {"status": "diunggah"},
        },
    )
    tracker_path = pemda.path / f"tracker-{year}.xlsx"
    assert main(["snapshot", "import", str(tracker_path), "--date", f"{year}-09-30", "--data-dir", str(root)]) == 0
    result = run_brief(
        BriefRequest("pemda-baru", f"{year}-09", data_dir=root),
        out_root=tmp_path / "out",
        brief_only=True,
        session=warm_kernel,
    )
    html = result.html.read_text(encoding="utf-8")
    assert "Pemda &lt;Baru&gt;" in html and "Pemda <Baru>" not in html
    snapshot = load_period(pemda, fw, f"{year}-09")
    expected = score_snapshot(fw, pemda, snapshot)
    assert (snapshot.documents["status"] != "tidak_berlaku").sum() == len(docs) and expected.verified > 0
    assert result.summary["verified"] == pytest.approx(expected.verified)
