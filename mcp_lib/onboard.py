"""Starting a pemda: ``mcp init`` writes a filled ``pemda.toml``, an empty ``status/`` folder and
the Excel tracker, so a new Inspektorat never edits CSV by hand."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
import tempfile
from pathlib import Path

from mcp_lib.config import DATA_DIR, DEFAULT_TARGET, PEMDA_KINDS
from mcp_lib.errors import Problems
from mcp_lib.files import shared_mode
from mcp_lib.framework import Framework, load_framework
from mcp_lib.status import Pemda, load_pemda, new_pemda_dir
from mcp_lib.tracker import write_tracker


def _toml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def pemda_toml(
    name: str,
    kind: str,
    province: str,
    framework: Framework,
    opds: list[str],
    target: float = DEFAULT_TARGET,
    deadline: dt.date | None = None,
    last_final: float | None = None,
) -> str:
    """The text of a new ``pemda.toml``, commented in Bahasa Indonesia. The deadline defaults to
    the upload close of the framework year (no upload counts after it)."""
    from mcp_lib.mcp_calendar import resolve_calendar

    calendar = resolve_calendar(framework.year, (framework.upload_close, framework.final_date))
    deadline = deadline or min(dt.date(framework.year, 12, 31), calendar.close)
    lines = [
        "# Pengaturan pemda untuk MCP Workbook. Ubah sesuai keadaan, lalu simpan (UTF-8).",
        f"name = {_toml_str(name)}",
        f"kind = {_toml_str(kind)}  # kota, kabupaten atau provinsi",
        f"province = {_toml_str(province)}",
        f"framework = {framework.year}  # tahun kerangka MCP (folder frameworks/mcp-{framework.year})",
        f"target = {target:g}  # nilai yang dituju (0-100)",
        f"deadline = {deadline:%Y-%m-%d}  # tenggat rencana (paling lambat batas unggah KPK)",
        f"# batas unggah dan nilai final tahun ini: {calendar.close:%Y-%m-%d} dan {calendar.final:%Y-%m-%d}"
        f" ({calendar.source}); bila berbeda untuk pemda ini:",
        f"# upload_close = {calendar.close:%Y-%m-%d}",
        f"# final_date = {calendar.final:%Y-%m-%d}",
        "",
        "# Nilai akhir tahun-tahun sebelumnya (dari KPK), mis. 2022 = 87",
        "[final_scores]",
    ]
    if last_final is not None:
        lines.append(f"{framework.year - 1} = {last_final:g}")
    lines += [
        "",
        "# OPD penanggung jawab (dari kerangka MCP). Sesuaikan nama dengan nama OPD di daerah Anda;",
        "# capacity_days = hari-orang per bulan yang dapat dipakai OPD untuk MCP (boleh dihapus bila",
        "# tidak diketahui: rencana lalu tidak dibatasi kapasitas). Bila nama OPD diganti, tulis nama",
        '# lama di aka, mis. aka = ["Bagian PBJ"]: snapshot dan tracker lama tetap terbaca.',
    ]
    for opd in opds:
        lines += ["", "[[opd]]", f"name = {_toml_str(opd)}", "# capacity_days = 10"]
    lines += [
        "",
        "# Risiko verifikasi (pilihan): parameter model peluang dan proyeksi, bawaan dari data MCP 2020-21",
        "# (daftar lengkap dan sumbernya: docs/panduan.md, bagian 'Peluang dan proyeksi'). Contoh:",
        "# [risiko]",
        "# pemda_sd = 0.7          # sebaran efek pemda",
        "# [risiko.hambatan]",
        '# "BPN" = 0.3             # peluang hambatan yang teksnya memuat BPN teratasi sebelum batas unggah',
    ]
    return "\n".join(lines) + "\n"


def init_pemda(
    slug: str,
    name: str,
    kind: str,
    province: str,
    framework_year: int,
    data_dir: str | Path | None = None,
    *,
    target: float = DEFAULT_TARGET,
    deadline: dt.date | None = None,
    last_final: float | None = None,
) -> tuple[Pemda, Path]:
    """Create ``<data_dir>/pemda/<slug>/`` with ``pemda.toml``, ``status/`` and
    ``tracker-<year>.xlsx``; returns the pemda and the tracker's path.

    Raises
    ------
    InputError
        Bad slug, kind, name, target or framework year, or the pemda folder exists already
        (nothing is overwritten).
    """
    folder = new_pemda_dir(slug, data_dir, strict=True)
    problems = Problems()
    if kind not in PEMDA_KINDS:
        problems.add("--kind", "jenis pemda tidak dikenal", value=kind, expected=", ".join(PEMDA_KINDS))
    if not name.strip():
        problems.add("--name", "nama pemda kosong", expected='mis. "Kabupaten Muara Enim"')
    if not 0 < target <= 100:
        problems.add("--target", "target di luar 0–100", value=target, expected="mis. 90")
    if last_final is not None and not 0 <= last_final <= 100:
        problems.add("--last-final", "nilai akhir tahun lalu di luar 0–100", value=last_final)
    root = Path(data_dir) if data_dir else DATA_DIR
    if folder.exists():
        problems.add(
            folder, "folder pemda sudah ada dan tidak ditimpa",
            expected="nama lain, atau pakai folder yang ada (mcp tracker membuat tracker baru)",
        )  # fmt: skip
    problems.raise_if_any()
    framework = load_framework(framework_year, root)
    text = pemda_toml(
        name.strip(), kind, province.strip(), framework, framework.default_opds(kind), target, deadline,
        last_final,
    )  # fmt: skip
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{slug}.tmp-", dir=folder.parent))
    shared_mode(tmp)
    try:
        (tmp / "pemda.toml").write_text(text, encoding="utf-8")
        (tmp / "status").mkdir()
        pemda = dataclasses.replace(load_pemda(tmp), slug=slug, path=folder)  # reads back
        write_tracker(pemda, framework, tmp / f"tracker-{framework.year}.xlsx")
        tmp.rename(folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return load_pemda(folder), folder / f"tracker-{framework.year}.xlsx"
