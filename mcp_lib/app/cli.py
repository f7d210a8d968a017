"""The ``mcp`` command line: its arguments and how a run ends.

:func:`build_parser` declares every command and option (argparse, usage errors in Bahasa
Indonesia, argument types that read numbers, probabilities and dates as analysts type them);
:func:`main` runs the chosen command (:mod:`mcp_lib.app.commands`) and turns what goes wrong into
an exit status. Analysts read its output, so messages are in Bahasa Indonesia; bad input prints
the list of problems (file, row, column) and exits with status 1, never a traceback. Every
count, year, period, date and address is checked by its argument type before any work (one
``_whole`` for every whole number), options wrong only together by :func:`main`; both are usage
errors (exit 2). Ctrl-C exits 130 without a traceback at any moment, also while the commands and
pandas load (:func:`main` imports them after it has taken Ctrl-C over).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from mcp_lib.config import DEFAULT_CONFIDENCE, DEFAULT_TARGET, FRAMEWORK_YEARS, OUTPUTS_DIR, PEMDA_KINDS
from mcp_lib.errors import InputError
from mcp_lib.files import unwritable_message

# The commands (pandas and the rest, about a second) and rich are imported by main() once it has
# taken Ctrl-C over: this module itself loads in milliseconds.


def _levels_arg(text: str) -> tuple:
    """``--levels "Area,Sasaran,Indikator,Sub-indikator"`` (names as analysts read them; a name may
    be given as ``key=Nama``): the first level's key is ``area``, the last's ``subindicator``."""
    import re

    from mcp_lib.framework.model import BOTTOM, MAX_LEVELS, TOP, Level

    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not 2 <= len(parts) <= MAX_LEVELS:
        raise argparse.ArgumentTypeError(
            f"{len(parts)} tingkat; seharusnya 2 sampai {MAX_LEVELS} nama dipisah koma, "
            'mis. "Area,Sasaran,Indikator,Sub-indikator"'
        )
    levels = []
    for i, part in enumerate(parts):
        key, _, name = part.rpartition("=")
        name = name.strip()
        if i == 0:
            key = TOP
        elif i == len(parts) - 1:
            key = BOTTOM
        else:
            key = key.strip().lower() or {"indikator": "indicator"}.get(
                name.lower(), re.sub(r"[^a-z0-9]", "", name.lower())
            )
        if not re.fullmatch(r"[a-z][a-z0-9]{0,19}", key) or key in {lv.key for lv in levels}:
            raise argparse.ArgumentTypeError(
                f"kunci tingkat {key!r} dari {part!r} tidak sah atau ganda; tulis kunci=Nama"
            )
        levels.append(Level(key, name or key))
    return tuple(levels)


def _number(value: str) -> float:
    """A number as an analyst types it: ``65,2`` or ``65.2`` (a ``%`` sign is allowed)."""
    text_ = value.strip().rstrip("%").strip().replace(",", ".")
    try:
        number = float(text_)
    except ValueError:
        raise argparse.ArgumentTypeError(f"bukan angka: {value!r} (mis. 65,2)") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise argparse.ArgumentTypeError(f"bukan angka: {value!r} (mis. 65,2)")
    return number


def _score(value: str) -> float:
    """A score or target in percent, 0–100 (``90``, ``87,5``, ``90%``)."""
    try:
        number = _number(value)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(f"bukan nilai: {value!r} (nilai 0–100, mis. 90 atau 87,5)") from None
    from mcp_lib.pemda.model import percent_problem

    problem = percent_problem(number)
    if problem:
        raise argparse.ArgumentTypeError(f"nilai {problem}: {value!r} (mis. 90)")
    return number


def _decimal(value: float) -> str:
    """A number as the help text writes it, with a decimal comma (0,8)."""
    return str(value).replace(".", ",")


def _probability(value: str) -> float:
    """A confidence: ``0,8`` or ``80%`` (both 0.8). A bare number above 1 is refused rather than
    guessed at (``1,5`` could be 1.5% or a typo)."""
    percent = value.strip().endswith("%")
    try:
        number = _number(value)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(f"bukan peluang: {value!r} (mis. 0,8 atau 80%)") from None
    number = number / 100 if percent else number
    if not 0 <= number <= 1:
        raise argparse.ArgumentTypeError(f"peluang di luar 0–1: {value!r} (mis. 0,8 atau 80%)")
    return number


def _whole(what: str, low: int, high: int | None = None, example: int | None = None) -> Callable[[str], int]:
    """The argument type of a whole-number option: ``what`` (in words) from ``low`` to ``high``
    (no upper bound when ``None``). Every count, year and seed of the command line is one."""
    bound = f"{low}–{high}" if high is not None else f"≥ {low}"
    hint = f" (mis. {example})" if example is not None else ""

    def whole(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what} harus bilangan bulat {bound}: {value!r}{hint}") from None
        if number < low or (high is not None and number > high):
            raise argparse.ArgumentTypeError(f"{what} harus bilangan bulat {bound}: {value!r}{hint}")
        return number

    return whole


_seed = _whole("benih acak", 0)


def _period(value: str) -> str:
    """A reporting period ``YYYY-MM`` (the rule of :func:`mcp_lib.pemda.snapshot.parse_period`)."""
    from mcp_lib.pemda.snapshot import parse_period

    try:
        year, month = parse_period(value)
    except InputError:
        raise argparse.ArgumentTypeError(f"periode tidak sah: {value!r} (YYYY-MM, mis. 2023-10)") from None
    return f"{year:04d}-{month:02d}"


def _scheduler(value: str) -> str:
    """A dask scheduler address, checked before any work (:func:`mcp_lib.run.cluster.parse_scheduler`)."""
    from mcp_lib.run.cluster import parse_scheduler

    try:
        parse_scheduler(value)
    except InputError as exc:
        problem = exc.problems[0]
        raise argparse.ArgumentTypeError(f"{problem.message} (seharusnya {problem.expected})") from None
    return value.strip()


def _iso_date(value: str) -> dt.date:
    """A date as analysts write it in the files: 2023-10-31, 31/10/2023, 31-10-2023 or
    31 Oktober 2023 (the readers' forms)."""
    from mcp_lib.io.readers import parse_date

    try:
        day = parse_date(value)
        if day is None:
            raise ValueError(value)
        return day
    except (ValueError, TypeError):
        raise argparse.ArgumentTypeError(f"tanggal tidak sah: {value!r} (mis. 2023-10-31 atau 31/10/2023)") from None


_ARGPARSE_ID = [
    (re.compile(r"the following arguments are required: (.*)"), r"argumen wajib belum diisi: \1"),
    (re.compile(r"unrecognized arguments: (.*)"), r"argumen tidak dikenal: \1"),
    (
        re.compile(r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)"),
        r"\1: pilihan tidak sah \2 (pilih salah satu: \3)",
    ),
    (re.compile(r"argument (\S+): expected one argument"), r"\1: perlu satu nilai"),
    (re.compile(r"argument (\S+): invalid (float|int) value: (.*)"), r"\1: bukan angka: \3"),
    (re.compile(r"argument (\S+): not allowed with argument (.*)"), r"\1 tidak boleh dipakai bersama \2"),
    (re.compile(r"one of the arguments (.*) is required"), r"salah satu argumen wajib diisi: \1"),
    (re.compile(r"argument (\S+): (.*)"), r"\1: \2"),
]


class _Parser(argparse.ArgumentParser):
    """argparse with its usage errors in Bahasa Indonesia (exit status 2, as argparse)."""

    def error(self, message: str) -> NoReturn:
        for pattern, repl in _ARGPARSE_ID:
            if pattern.match(message):
                message = pattern.sub(repl, message, count=1)
                break
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: kesalahan penggunaan: {message}\n(lihat {self.prog} --help)\n")


def _pdf_arg(p: argparse.ArgumentParser) -> None:
    """``--pdf`` of ``mcp brief`` and ``mcp batch``."""
    p.add_argument(
        "--pdf",
        action="store_true",
        help="juga PDF A4 (untuk WhatsApp): brief lengkap dan ringkasan dua halaman, brief-<pemda>-<periode>.pdf dan "
        "ringkasan-<pemda>-<periode>.pdf, dicetak dengan Edge/Chrome/Chromium yang terpasang",
    )


def build_parser() -> argparse.ArgumentParser:
    """The ``mcp`` command line: its global options and one subcommand per ``_add_<command>``."""
    year = _whole("tahun kerangka MCP", *FRAMEWORK_YEARS, example=2025)
    parser = _Parser(prog="mcp", description="MCP Workbook: nilai MCP KPK per pemda.")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="folder data (berisi pemda/ dan frameworks/); bawaan: data contoh bawaan",
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        help="tampilkan traceback lengkap bila terjadi kesalahan (untuk laporan bug)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    commands = [
        *_add_validate(sub),
        *_add_score(sub),
        *_add_import_kpk(sub, year),
        *_add_plan(sub),
        *_add_forecast(sub, year),
        *_add_brief(sub),
        *_add_lab(sub),
        *_add_sample(sub),
        *_add_batch(sub),
        *_add_snapshots(sub),
        *_add_init(sub, year),
        *_add_tracker(sub),
        *_add_framework(sub, year),
        *_add_snapshot(sub),
    ]
    # --data-dir and --debug are accepted after the command too (`mcp brief ... --data-dir D`).
    for parser_ in commands:
        parser_.add_argument(
            "--data-dir",
            type=Path,
            default=argparse.SUPPRESS,
            help="folder data (berisi pemda/ dan frameworks/); bawaan: data contoh bawaan",
        )
        parser_.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        parser_.set_defaults(usage_error=parser_.error)  # options wrong together (main): the command's usage
    return parser


def _add_validate(sub: Any) -> list[argparse.ArgumentParser]:
    """``mcp validate``."""
    from mcp_lib.app import commands

    p = sub.add_parser("validate", help="periksa folder pemda, berkas snapshot atau folder kerangka")
    p.add_argument("paths", nargs="+", help="folder pemda, berkas status/YYYY-MM-DD.csv, atau folder kerangka")
    p.set_defaults(func=commands.cmd_validate)
    return [p]


def _add_score(sub: Any) -> list[argparse.ArgumentParser]:
    """``mcp score``."""
    from mcp_lib.app import commands

    p = sub.add_parser("score", help="cetak nilai per area dan per OPD untuk satu periode")
    p.add_argument("--pemda", required=True, help="nama folder pemda (mis. kota-lubuklinggau) atau path")
    p.add_argument("--period", type=_period, required=True, help="periode YYYY-MM (snapshot terakhir di bulan itu)")
    p.add_argument("--target", type=_score, default=None, help="target nilai (bawaan: dari pemda.toml)")
    p.set_defaults(func=commands.cmd_score)
    return [p]


def _add_import_kpk(sub: Any, year: Callable[[str], int]) -> list[argparse.ArgumentParser]:
    """``mcp import-kpk``."""
    from mcp_lib.app import commands

    p = sub.add_parser("import-kpk", help="impor satu sheet ekspor KPK menjadi kerangka dan snapshot")
    p.add_argument("file", type=Path, help="berkas ekspor KPK (.csv atau .xlsx)")
    p.add_argument("--year", type=year, required=True, help="tahun kerangka MCP data ini")
    p.add_argument("--pemda", required=True, help="nama folder pemda yang dibuat/diisi, mis. kab-contoh")
    p.add_argument("--instansi", help="nama instansi jika berkas berisi lebih dari satu")
    p.add_argument("--force", action="store_true", help="timpa kerangka/snapshot yang sudah ada")
    p.set_defaults(func=commands.cmd_import_kpk)
    return [p]


def _add_plan(sub: Any) -> list[argparse.ArgumentParser]:
    """``mcp plan``."""
    from mcp_lib.app import commands

    p = sub.add_parser("plan", help="rencana usaha minimal menuju target, per OPD")
    p.add_argument("--pemda", required=True, help="nama folder pemda atau path")
    p.add_argument("--period", type=_period, required=True, help="periode YYYY-MM")
    p.add_argument(
        "--target",
        type=_score,
        action="append",
        help="target (boleh diulang); bawaan: nilai akhir tahun lalu dan target pemda.toml",
    )
    p.add_argument(
        "--confidence",
        type=_probability,
        default=DEFAULT_CONFIDENCE,
        help=f"peluang yang diinginkan (0–1), bawaan {_decimal(DEFAULT_CONFIDENCE)}",
    )
    p.add_argument("--allow-blocked", action="store_true", help="boleh memakai dokumen yang diblokir pihak luar")
    p.add_argument("--no-capacity", action="store_true", help="abaikan kapasitas OPD")
    p.add_argument(
        "--must",
        action="append",
        default=[],
        metavar="KODE",
        help="dokumen yang wajib masuk rencana (boleh diulang)",
    )
    p.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="KODE",
        help="dokumen yang tidak boleh dipakai (boleh diulang)",
    )
    p.add_argument("--seed", type=_seed, default=0, help="benih acak simulasi Monte Carlo")
    p.add_argument("--json", action="store_true", help="cetak hasil sebagai JSON (untuk program lain)")
    p.add_argument("--csv", type=Path, help="tulis rencana ke berkas CSV (untuk Excel)")
    p.add_argument("--xlsx", type=Path, help="tulis rencana ke berkas XLSX")
    p.add_argument("--force", action="store_true", help="timpa berkas keluaran yang sudah ada")
    p.set_defaults(func=commands.cmd_plan)
    return [p]


def _add_forecast(sub: Any, year: Callable[[str], int]) -> list[argparse.ArgumentParser]:
    """``mcp forecast``."""
    from mcp_lib.app import commands

    p = sub.add_parser(
        "forecast", help="proyeksi nilai final dari nilai total dasbor saja (mis. untuk koordinator provinsi)"
    )
    p.add_argument("--score", type=_number, required=True, help="nilai total terverifikasi di dasbor, mis. 65,2")
    p.add_argument("--date", type=_iso_date, required=True, help="tanggal nilai itu, YYYY-MM-DD")
    p.add_argument("--claim", type=_number, help="nilai klaim (bila semua unggahan diterima), bila diketahui")
    p.add_argument(
        "--kind",
        type=str.lower,
        choices=PEMDA_KINDS,
        default="kabupaten",
        help="jenis pemda (bawaan kabupaten)",
    )
    p.add_argument("--framework", type=year, help="tahun kerangka MCP (bawaan: tahun dari --date)")
    p.add_argument("--close", type=_iso_date, help="batas unggah YYYY-MM-DD (bawaan: dari kerangka/kalender)")
    p.add_argument("--final", type=_iso_date, help="tanggal nilai final YYYY-MM-DD (bawaan: dari kerangka/kalender)")
    p.add_argument("--target", type=_score, help="target, untuk peluang mencapainya")
    p.add_argument("--draws", type=_whole("jumlah simulasi", 1, 1_000_000), default=10_000, help=argparse.SUPPRESS)
    p.add_argument("--seed", type=_seed, default=0, help="benih acak simulasi")
    p.add_argument("--json", action="store_true", help="cetak hasil sebagai JSON (median, p10, p90, p_target)")
    p.set_defaults(func=commands.cmd_forecast)
    return [p]


def _add_brief(sub: Any) -> list[argparse.ArgumentParser]:
    """``mcp brief``."""
    from mcp_lib.app import commands

    p = sub.add_parser("brief", help="buat brief HTML bulanan dan rencana-aksi.xlsx di outputs/<pemda>/<periode>/")
    p.add_argument("--pemda", required=True, help="nama folder pemda atau path")
    p.add_argument("--period", type=_period, required=True, help="periode YYYY-MM")
    p.add_argument("--target", type=_score, default=None, help="target (bawaan: dari pemda.toml)")
    p.add_argument(
        "--confidence",
        type=_probability,
        default=DEFAULT_CONFIDENCE,
        help=f"peluang yang diinginkan (0–1), bawaan {_decimal(DEFAULT_CONFIDENCE)}",
    )
    p.add_argument("--out", type=Path, default=OUTPUTS_DIR, help="folder keluaran (bawaan: outputs/)")
    p.add_argument(
        "--assume-done",
        type=Path,
        metavar="BERKAS",
        help="berkas skenario dari explorer (doc_code, asumsi: selesai/ditolak); brief ditulis ke "
        "<periode>-skenario-<nama>",
    )
    _pdf_arg(p)
    p.add_argument("--force", action="store_true", help="buat ulang bulan yang sudah ada")
    p.set_defaults(func=commands.cmd_brief)
    return [p]


def _add_lab(sub: Any) -> list[argparse.ArgumentParser]:
    """``mcp lab``."""
    from mcp_lib.app import commands

    p = sub.add_parser("lab", help="buka JupyterLab pada folder notebooks/ dengan kernel proyek")
    p.set_defaults(func=commands.cmd_lab, lab_args=[])
    return [p]


def _add_sample(sub: Any) -> list[argparse.ArgumentParser]:
    """``mcp sample``."""
    from mcp_lib.app import commands

    p = sub.add_parser("sample", help="buat data contoh (ilustratif) untuk satu provinsi atau semua kab/kota")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--province", help='nama provinsi, mis. "Sumatera Selatan"')
    which.add_argument("--national", action="store_true", help="semua kabupaten/kota dalam data rujukan")
    which.add_argument(
        "--bundled",
        action="store_true",
        help="buat ulang kerangka bawaan (2023, 2024, 2025) dan contoh Lubuklinggau dan Musi Rawas",
    )
    p.add_argument("--out", type=Path, help="folder data keluaran (bawaan: data/generated)")
    p.add_argument("--seed", type=_seed, default=2023, help="benih acak (hasil sama untuk benih sama)")
    p.add_argument(
        "--framework",
        type=int,
        choices=(2023, 2024, 2025),
        default=2023,
        help="kerangka bawaan yang dipakai (2025: 4 tingkat, 680 dokumen kab/kota); bawaan 2023",
    )
    p.set_defaults(func=commands.cmd_sample)
    return [p]


def _add_batch(sub: Any) -> list[argparse.ArgumentParser]:
    """``mcp batch``."""
    from mcp_lib.app import commands
    from mcp_lib.run.cluster import MAX_WORKERS, WAIT_SECONDS

    p = sub.add_parser("batch", help="brief untuk banyak pemda sekaligus, paralel, dan ringkasan provinsi")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--pemda-glob", help="pola folder pemda, mis. 'data/generated/pemda/*'")
    which.add_argument("--province", help="semua pemda di <data-dir>/pemda dengan provinsi ini")
    p.add_argument("--period", type=_period, required=True, help="periode YYYY-MM")
    p.add_argument(
        "--workers",
        type=_whole("jumlah proses kerja", 1, MAX_WORKERS, example=2),
        default=2,
        help="jumlah proses kerja (bawaan 2)",
    )
    p.add_argument(
        "--scheduler",
        type=_scheduler,
        help="kirim ke klaster dask: tcp://HOST:8786 (penjadwal yang berjalan) atau local:N (N proses di mesin ini)",
    )
    p.add_argument(
        "--wait-for-workers",
        type=_whole("jumlah pekerja", 1, example=4),
        metavar="N",
        help=f"dengan --scheduler: tunggu sampai N pekerja dask (worker) terhubung sebelum mulai (paling lama "
        f"{WAIT_SECONDS:g} detik)",
    )
    p.add_argument(
        "--restart-every",
        type=_whole("jumlah brief per kernel", 1, example=50),
        default=50,
        help="mulai ulang kernel tiap N brief",
    )
    p.add_argument(
        "--brief-only",
        action="store_true",
        help="jalankan hanya notebook brief (lebih cepat untuk ratusan pemda)",
    )
    p.add_argument("--target", type=_score, default=None, help="target (bawaan: dari pemda.toml masing-masing)")
    p.add_argument("--confidence", type=_probability, default=DEFAULT_CONFIDENCE, help="peluang yang diinginkan (0–1)")
    p.add_argument("--out", type=Path, default=OUTPUTS_DIR, help="folder keluaran (bawaan: outputs/)")
    _pdf_arg(p)
    p.add_argument("--force", action="store_true", help="buat ulang bulan yang sudah ada")
    p.set_defaults(func=commands.cmd_batch)
    return [p]


def _add_snapshots(sub: Any) -> list[argparse.ArgumentParser]:
    """``mcp snapshots``."""
    from mcp_lib.app import commands

    p = sub.add_parser("snapshots", help="daftar snapshot sebuah pemda (sama dengan: snapshot list)")
    p.add_argument("--pemda", required=True, help="nama folder pemda atau path")
    p.set_defaults(func=commands.cmd_snapshots)
    return [p]


def _add_init(sub: Any, year: Callable[[str], int]) -> list[argparse.ArgumentParser]:
    """``mcp init``."""
    from mcp_lib.app import commands

    p = sub.add_parser("init", help="mulai pemda baru: pemda.toml, folder status/ dan tracker Excel")
    p.add_argument("--pemda", required=True, help="nama folder baru, mis. kab-muara-enim")
    p.add_argument("--name", required=True, help='nama resmi, mis. "Kabupaten Muara Enim"')
    p.add_argument("--kind", required=True, type=str.lower, choices=PEMDA_KINDS, help="kota, kabupaten atau provinsi")
    p.add_argument("--province", required=True, help='provinsi, mis. "Sumatera Selatan"')
    p.add_argument("--framework", type=year, required=True, help="tahun kerangka MCP, mis. 2023")
    p.add_argument("--target", type=_score, default=DEFAULT_TARGET, help="nilai target (bawaan 90)")
    p.add_argument("--deadline", type=_iso_date, help="tenggat YYYY-MM-DD (bawaan: batas unggah tahun kerangka)")
    p.add_argument("--last-final", type=_score, help="nilai akhir MCP tahun lalu, mis. 87")
    p.set_defaults(func=commands.cmd_init)
    return [p]


def _add_tracker(sub: Any) -> list[argparse.ArgumentParser]:
    """``mcp tracker``."""
    from mcp_lib.app import commands

    p = sub.add_parser("tracker", help="tulis tracker Excel kosong untuk pemda (dari kerangkanya)")
    p.add_argument("--pemda", required=True, help="nama folder pemda atau path")
    p.add_argument("--out", type=Path, help="berkas .xlsx (bawaan: tracker-<tahun>.xlsx di folder pemda)")
    p.add_argument("--force", action="store_true", help="timpa berkas yang sudah ada")
    p.set_defaults(func=commands.cmd_tracker)
    return [p]


def _add_framework(sub: Any, year: Callable[[str], int]) -> list[argparse.ArgumentParser]:
    """``mcp framework``."""
    from mcp_lib.app import commands

    p = sub.add_parser("framework", help="kerangka MCP dalam workbook Excel: templat, impor, ekspor")
    fwp = p.add_subparsers(dest="framework_command", required=True)
    q = fwp.add_parser("template", help="tulis workbook kosong untuk mengetik kerangka dari aplikasi KPK")
    q.add_argument("--out", type=Path, required=True, help="berkas .xlsx baru, mis. kerangka-2026.xlsx")
    q.add_argument(
        "--levels",
        type=_levels_arg,
        default=None,
        help='nama tingkat dari atas, dipisah koma (bawaan: "Area,Sasaran,Indikator,Sub-indikator")',
    )
    q.add_argument("--year", type=year, help="tahun kerangka yang diisikan ke workbook")
    q.add_argument("--force", action="store_true", help="timpa berkas yang sudah ada")
    q.set_defaults(func=commands.cmd_framework_template)
    q = fwp.add_parser("import", help="periksa workbook kerangka dan tulis frameworks/mcp-<tahun>/")
    q.add_argument("file", type=Path, help="workbook kerangka .xlsx yang sudah diisi")
    q.add_argument("--year", type=year, required=True, help="tahun kerangka, mis. 2026")
    q.add_argument(
        "--force",
        action="store_true",
        help="ganti kerangka tahun itu (yang lama disimpan sebagai mcp-<tahun>.bak-<tanggal-jam>)",
    )
    q.set_defaults(func=commands.cmd_framework_import)
    q = fwp.add_parser("export", help="tulis workbook dari kerangka yang sudah ada (untuk diperiksa/diubah)")
    q.add_argument("--year", type=year, required=True, help="tahun kerangka, mis. 2025")
    q.add_argument("--out", type=Path, help="berkas .xlsx (bawaan: kerangka-<tahun>.xlsx)")
    q.add_argument("--force", action="store_true", help="timpa berkas yang sudah ada")
    q.set_defaults(func=commands.cmd_framework_export)
    return [p, *fwp.choices.values()]


def _add_snapshot(sub: Any) -> list[argparse.ArgumentParser]:
    """``mcp snapshot``."""
    from mcp_lib.app import commands

    p = sub.add_parser("snapshot", help="impor tracker Excel menjadi snapshot, ekspor snapshot ke tracker")
    snap = p.add_subparsers(dest="snapshot_command", required=True)
    q = snap.add_parser("import", help="periksa tracker yang sudah diisi dan tulis status/<tanggal>.csv")
    q.add_argument("file", type=Path, help="tracker .xlsx yang sudah diisi")
    q.add_argument("--date", type=_iso_date, required=True, help="tanggal keadaan data, YYYY-MM-DD")
    q.add_argument("--pemda", help="nama folder pemda (bawaan: dari tracker atau foldernya)")
    q.add_argument("--force", action="store_true", help="timpa snapshot tanggal itu bila sudah ada")
    q.add_argument(
        "--terima-mundur",
        action="store_true",
        dest="accept_backward",
        help="terima juga bila dokumen yang sudah diverifikasi kembali menjadi belum/disiapkan "
        "atau nilai terverifikasi turun lebih dari beberapa poin (koreksi yang disengaja)",
    )
    q.set_defaults(func=commands.cmd_snapshot_import)
    q = snap.add_parser("export", help="tulis tracker Excel berisi snapshot suatu periode")
    q.add_argument("--pemda", required=True, help="nama folder pemda atau path")
    q.add_argument("--period", type=_period, required=True, help="periode YYYY-MM")
    q.add_argument("--out", type=Path, help="berkas .xlsx (bawaan: tracker-<periode>.xlsx di folder pemda)")
    q.add_argument("--force", action="store_true", help="timpa berkas yang sudah ada")
    q.set_defaults(func=commands.cmd_snapshot_export)
    q = snap.add_parser("list", help="daftar snapshot sebuah pemda")
    q.add_argument("--pemda", required=True, help="nama folder pemda atau path")
    q.set_defaults(func=commands.cmd_snapshots)
    _add_snapshot_counts(snap)
    return [p, *snap.choices.values()]


def _add_snapshot_counts(snap: Any) -> None:
    """``mcp snapshot counts``."""
    from mcp_lib.app import commands

    q = snap.add_parser(
        "counts",
        help="angka dasbor jaga.id per area: tulis lembar kosong, atau periksa lembar terisi dan hitung nilainya",
    )
    q.add_argument("--pemda", required=True, help="nama folder pemda atau path")
    what = q.add_mutually_exclusive_group(required=True)
    what.add_argument("--template", action="store_true", help="tulis lembar kosong (satu baris per area)")
    what.add_argument(
        "--file", type=Path, help="lembar terisi .xlsx atau .csv: diperiksa, dinilai, disimpan di counts/<tanggal>.csv"
    )
    q.add_argument(
        "--brief",
        action="store_true",
        help="dengan --file: tulis juga brief HTML dari angka dasbor (nilai, proyeksi per area, yang perlu ditanyakan)",
    )
    q.add_argument(
        "--out",
        type=Path,
        help="dengan --template: berkas .xlsx (bawaan: angka-dasbor-<tahun>.xlsx); dengan --brief: folder brief "
        "(bawaan: outputs/<pemda>/)",
    )
    q.add_argument("--force", action="store_true", help="timpa berkas yang sudah ada (yang lama disimpan sebagai .bak)")
    q.set_defaults(func=commands.cmd_snapshot_counts)


def _check_together(args: argparse.Namespace) -> str | None:
    """What is wrong with options that are only wrong together (a usage error), else ``None``."""
    if args.command == "batch" and args.wait_for_workers is not None and not args.scheduler:
        return "--wait-for-workers hanya berlaku bersama --scheduler (pekerja klaster dask)"
    if args.command == "forecast":
        from mcp_lib.framework.calendar import assessment_problem

        year = args.framework if args.framework is not None else args.date.year
        for option, day in (("--close", args.close), ("--final", args.final)):
            problem = assessment_problem(year, day) if day is not None else None
            if problem:
                source = "--framework" if args.framework is not None else "tahun dari --date"
                return f"{option}: {problem[0]} ({source}): '{day.isoformat()}' (seharusnya {problem[1]})"
    return None


STOPPED = "Dihentikan (Ctrl-C)."


def _stop_at_once(signum: int, frame: object) -> None:
    """Ctrl-C before the command runs, while Python loads pandas and the rest (about a second):
    exit 130 at once, with nothing written yet. A KeyboardInterrupt raised in the middle of an
    import would surface as a traceback (or be swallowed by a finaliser that ignores it)."""
    os.write(2, f"{STOPPED}\n".encode())
    os._exit(130)


def _on_ctrl_c(handler: Any) -> Any:
    """Set the SIGINT handler, in the main thread (the only one that may); the one it replaces."""
    if handler is None or threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGINT, handler)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``mcp`` command; returns the exit status.

    0 success; 1 a problem with the input, the files or the run, explained in words (no
    traceback unless ``--debug``); 2 a usage error (argparse); 130 stopped with Ctrl-C, at any
    moment (while the modules load too).
    """
    previous = _on_ctrl_c(_stop_at_once)
    try:
        return _run(argv)
    finally:
        _on_ctrl_c(previous)


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "lab":
        parser.error("unrecognized arguments: " + " ".join(extra))
    problem = _check_together(args)
    if problem:
        args.usage_error(problem)
    args.lab_args = extra  # `mcp lab --no-browser --port=8899` passes its extras on to jupyter lab
    from rich.console import Console

    out = Console(highlight=False, width=None if sys.stdout.isatty() else 120)
    err = Console(stderr=True, highlight=False)
    try:
        # The command: Ctrl-C is a KeyboardInterrupt, answered below (a batch finishes the briefs
        # being written first).
        _on_ctrl_c(signal.default_int_handler)
        return args.func(args, out)
    except InputError as exc:
        if args.debug:
            raise
        err.print(exc.render(), markup=False, soft_wrap=True)
        return 1
    except KeyboardInterrupt:
        if args.debug:
            raise
        err.print(f"{STOPPED} Berkas yang sudah selesai tetap ada; yang setengah jadi tidak ditulis.")
        return 130
    except OSError as exc:  # PermissionError on Windows: a workbook open in Excel is locked
        if args.debug:
            raise
        err.print(unwritable_message(exc), markup=False, soft_wrap=True)
        return 1
    except Exception as exc:
        if args.debug:
            raise
        err.print(
            f"Terjadi kesalahan tak terduga (kemungkinan bug di MCP Workbook): {type(exc).__name__}: {exc}\n"
            "Jalankan lagi perintah yang sama dengan --debug untuk melihat rinciannya, lalu laporkan.",
            markup=False,
            soft_wrap=True,
        )
        return 1
