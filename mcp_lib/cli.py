"""The ``mcp`` command.

Analysts read its output, so messages are in Bahasa Indonesia; bad input prints the list of
problems (file, row, column) and exits with status 1, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pandas as pd
from rich.console import Console
from rich.table import Table

from mcp_lib import text
from mcp_lib.config import DATA_DIR, DEFAULT_TARGET, OUTPUTS_DIR, PEMDA_KINDS, inside
from mcp_lib.errors import InputError, Problem, Problems
from mcp_lib.framework import load_framework
from mcp_lib.kpk import import_kpk_export, write_kpk_import
from mcp_lib.planner import Plan, plan_table, plan_targets
from mcp_lib.readers import write_table
from mcp_lib.scoring import score_snapshot
from mcp_lib.status import (
    list_snapshots,
    load_history,
    load_pemda,
    load_period,
    load_snapshot,
    pemda_framework,
)
from mcp_lib.trend import compute_trend, score_history

if TYPE_CHECKING:
    from mcp_lib.forecast import Forecast


def validate_path(path: Path, data_dir: Path | None = None) -> str:
    """Validate a pemda folder, one snapshot file or a framework folder.

    Returns a one-line summary in Bahasa Indonesia; raises :class:`InputError` with every problem.
    """
    path = Path(path)
    if path.is_dir() and any((path / f"framework{s}").is_file() for s in (".csv", ".xlsx")):
        fw = load_framework(path)
        return f"OK {path}: kerangka {fw.summary()}"
    if path.is_dir() and (path / "pemda.toml").is_file():
        pemda = load_pemda(path)
        fw = pemda_framework(pemda, data_dir)
        snaps = load_history(pemda, fw)
        span = f"{snaps[0].date:%Y-%m-%d} s.d. {snaps[-1].date:%Y-%m-%d}" if snaps else "belum ada"
        return f"OK {path}: {pemda.name}, {len(snaps)} snapshot ({span}), kerangka {fw.label}"
    if path.is_file() and path.suffix.lower() in (".csv", ".xlsx") and path.parent.name == "status":
        pemda = load_pemda(path.parent.parent)
        fw = pemda_framework(pemda, data_dir)
        snap = load_snapshot(path, fw, pemda)
        n = int((snap.documents["status"] != "tidak_berlaku").sum())
        return f"OK {path}: snapshot {pemda.name} tanggal {text.date(snap.date)}, {n} dokumen berlaku"
    problems = Problems()
    problems.add(
        path, "tidak dikenali sebagai folder pemda, berkas snapshot, atau folder kerangka",
        expected="folder berisi pemda.toml, berkas status/YYYY-MM-DD.csv, atau folder berisi framework.csv",
    )  # fmt: skip
    problems.raise_if_any()
    raise AssertionError("unreachable")


def _cmd_validate(args: argparse.Namespace, out: Console) -> int:
    problems = Problems()
    for path in args.paths:
        try:
            out.print(validate_path(Path(path), args.data_dir), highlight=False, soft_wrap=True)
        except InputError as exc:
            problems.extend(exc.problems)
    problems.raise_if_any()
    return 0


def _markup(value: object) -> str:
    """Data in a line printed with Rich markup: brackets are escaped for Rich (HTML escaping
    would show ``&amp;`` in the terminal)."""
    from rich.markup import escape

    return escape(str(value))


def _table(title: str, columns: Sequence[str]) -> Table:
    table = Table(title=title, title_justify="left", show_edge=False, pad_edge=False)
    for i, col in enumerate(columns):
        table.add_column(col, justify="left" if i == 0 else "right", overflow="fold")
    return table


def _cmd_score(args: argparse.Namespace, out: Console) -> int:
    pemda = load_pemda(args.pemda, args.data_dir)
    fw = pemda_framework(pemda, args.data_dir)
    snap = load_period(pemda, fw, args.period)
    history = load_history(pemda, fw, until=snap.date)
    from mcp_lib.forecast import forecast_pemda

    scores = score_snapshot(fw, pemda, snap)
    from mcp_lib.planner import planning_horizon
    from mcp_lib.status import pemda_calendar

    calendar = pemda_calendar(pemda, fw)
    horizon, closed, notes = planning_horizon(pemda.deadline, calendar, snap.date)
    trend = compute_trend(
        fw, pemda, history, target=args.target, deadline=calendar.close if closed else horizon
    )
    forecast = forecast_pemda(fw, pemda, snap, score_history(fw, pemda, history), trend.target)

    out.print(
        f"[bold]{_markup(pemda.name)}[/bold] — periode {args.period}, snapshot {text.date(snap.date)}",
        highlight=False,
    )
    out.print(f"Kerangka: {fw.label}", highlight=False)
    last = pemda.last_final
    lines = [
        f"Nilai terverifikasi (verified): [bold]{text.percent(scores.verified)}[/bold] — predikat {scores.band.name}"
        + (f"; {_markup(text.penalty(scores.penalty, scores.penalty_reason))}" if scores.penalty else ""),
        f"Nilai klaim (jika semua unggahan diterima): {text.percent(scores.claim)}",
        f"Kemajuan bukti (evidence progress): {text.percent(scores.progress)} dokumen diunggah/diverifikasi",
        f"Target: {text.percent(trend.target)}; selisih {text.number(max(trend.target - scores.verified, 0))} poin",
    ]
    if last:
        lines.append(f"Nilai akhir {last[0]}: {text.percent(last[1])}")
    pace = "–" if trend.velocity is None else text.signed(trend.velocity)
    need = "–" if trend.required_velocity is None else text.number(trend.required_velocity)
    if trend.required_velocity is None:
        lines.append(f"Laju: {pace} poin/bulan; tenggat {text.date(trend.deadline)} sudah lewat")
    else:
        lines.append(f"Laju: {pace} poin/bulan; perlu {need} poin/bulan sampai {text.date(trend.deadline)}")
    lines += list(notes)
    lines += forecast_lines(forecast)
    for line in lines:
        out.print(line, highlight=False)

    areas = _table("Nilai per area", ["Area", "Bobot", "Terverifikasi", "Klaim", "Kemajuan"])
    for r in scores.by_area.itertuples():
        areas.add_row(
            r.area_name,
            text.number(r.area_weight),
            text.percent(r.verified),
            text.percent(r.claim),
            text.percent(r.progress, 0),
        )
    out.print()
    out.print(areas)

    opd = _table(
        "OPD (diurutkan menurut poin yang masih terbuka)",
        ["OPD", "Nilai", "Poin terbuka", "Dok.", "Terlambat", "Perlu perbaikan", "Terblokir"],
    )
    for r in scores.by_opd.itertuples():
        opd.add_row(
            r.opd, text.percent(r.verified), text.number(r.points_open, 2), str(r.documents),
            str(r.late), str(r.rejected), str(r.blocked),
        )  # fmt: skip
    out.print()
    out.print(opd)
    return 0


def _chance(p: float | None, possible: bool = True) -> str:
    return text.chance(p, possible)


def forecast_lines(f: Forecast) -> list[str]:
    """The year-end forecast in words: median, 80% band, chance of the target, what it assumes."""
    basis = {
        "laju": "laju unggah snapshot tahun ini",
        "kurva": "pola pemda pada umumnya",
        "total": "dari nilai total",
        "final": "nilai final",
    }
    out = [
        f"Proyeksi nilai final ({text.date(f.calendar.final)}): median {text.percent(f.median)}, "
        f"80% antara {text.percent(f.p10)} dan {text.percent(f.p90)}"
        + (
            f"; peluang mencapai {text.percent(f.target, 0)}: {_chance(f.p_target, f.reachable)}"
            if f.target is not None
            else ""
        )
        + f" ({basis[f.basis]}, dengan risiko verifikasi)"
    ]
    out += [f"  anggapan: {a}" for a in f.assumptions]
    return out


def _print_verdict(plan: Plan, out: Console, label: str = "") -> None:
    v = plan.verdict
    head = f"Target {text.percent(v.target)}{label}: "
    if v.reachable:
        head += (
            f"[bold]tercapai[/bold] dengan {v.documents} dokumen, {text.number(v.effort, 0)} hari-orang "
            f"(nilai setelah rencana {text.percent(v.score_after)})"
        )
    else:
        head += (
            f"[bold]tidak tercapai[/bold] dengan batasan saat ini: paling tinggi {text.percent(v.score_after)}, "
            f"kurang {text.number(v.shortfall)} poin"
        )
    out.print(head)
    if v.minimal is not None:
        greedy = (
            "tidak mencapai target"
            if v.greedy_effort is None
            else f"{text.number(v.greedy_effort, 0)} hari-orang"
        )
        out.print(
            f"  Rencana minimal (semua diterima): {v.minimal.documents} dokumen, usaha minimal (eksak) "
            f"{text.number(v.minimal.effort, 0)} hari-orang, peluang dengan risiko verifikasi {_chance(v.minimal.chance)}; "
            f"cara rakus (greedy): {greedy}"
        )
        if v.confidence_met and (v.reserve_documents or v.effort > v.minimal.effort + 1e-9):
            out.print(
                f"  Untuk peluang {_chance(v.confidence)}: {v.reserve_documents} dokumen tambahan "
                f"({text.number(v.reserve_effort, 0)} hari-orang); rencana dengan cadangan {v.documents} dokumen, "
                f"{text.number(v.effort, 0)} hari-orang, peluang {_chance(v.p_target)}"
            )
            if plan.dropped:
                out.print(
                    f"  ({len(plan.dropped)} dokumen rencana minimal diganti dengan yang lebih pasti: {', '.join(plan.dropped)})"
                )
        elif v.confidence_met and v.confidence > 0:
            out.print(
                f"  Rencana minimal sudah mencapai peluang {_chance(v.confidence)}: tidak perlu cadangan"
            )
    if not v.confidence_met:
        out.print(
            f"  Peluang {_chance(v.confidence)} tidak terjangkau: peluang tertinggi {_chance(v.p_max, v.reachable)} dengan "
            f"{v.documents} dokumen ({text.number(v.effort, 0)} hari-orang)"
        )
        for limit in v.limits:
            out.print(f"    - {limit}", markup=False)
    out.print(
        f"  Nilai akhir dengan rencana (rentang 80%): {text.percent(v.final_band[0])}–{text.percent(v.final_band[2])}, "
        f"median {text.percent(v.final_band[1])}; hanya dari yang sudah diunggah: "
        + (f"peluang {_chance(v.p_uploaded)}" if v.uploaded_reach else "tidak cukup walau semua diterima")
    )
    for rec in plan.obstacles.itertuples():
        code = "" if rec.doc_code is None or pd.isna(rec.doc_code) else f" {rec.doc_code}"
        out.print(
            f"  Hambatan ({rec.kind}): {rec.opd}{code} {text.number(rec.points, 2)} poin: {rec.detail}",
            markup=False,
        )


def _cmd_plan(args: argparse.Namespace, out: Console) -> int:
    pemda = load_pemda(args.pemda, args.data_dir)
    fw = pemda_framework(pemda, args.data_dir)
    snap = load_period(pemda, fw, args.period)
    history = score_history(fw, pemda, load_history(pemda, fw, until=snap.date))
    options = {
        "allow_blocked": args.allow_blocked, "use_capacity": not args.no_capacity, "must": args.must,
        "exclude": args.exclude, "confidence": args.confidence, "seed": args.seed, "history": history,
    }  # fmt: skip
    plans = plan_targets(fw, pemda, snap, args.target or None, **options)
    if args.json:
        import json

        payload = {"pemda": pemda.slug, "period": args.period, "current": plans.plans[0].verdict.current,
                   "confidence": args.confidence, **plans.as_dict()}  # fmt: skip
        out.print(
            json.dumps(payload, ensure_ascii=False, indent=2, default=_json_default),
            markup=False,
            soft_wrap=True,
        )
        for path in (args.csv, args.xlsx):
            if path is not None:
                write_table(plan_table(plans.plans[-1]), path, force=args.force, sheet="rencana")
        return 0
    out.print(
        f"[bold]{_markup(pemda.name)}[/bold] — periode {args.period}, nilai terverifikasi {text.percent(plans.plans[0].verdict.current)}"
    )
    for note in plans.plans[-1].notes:
        out.print(f"  {note}", markup=False, highlight=False)
    last = pemda.last_final
    for i, plan in enumerate(plans.plans):
        labels = []
        if last is not None and abs(plan.verdict.target - last[1]) < 1e-9:
            labels.append(f"nilai akhir {last[0]}")
        if abs(plan.verdict.target - pemda.target) < 1e-9:
            labels.append("target pemda")
        _print_verdict(plan, out, f" ({', '.join(labels)})" if labels else "")
        if i < len(plans.nested) and plans.plans[i + 1].verdict.reachable:
            if plans.nested[i]:
                out.print(
                    "  Rencana ini adalah langkah pertama menuju target berikutnya, tanpa usaha tambahan."
                )
            else:
                out.print(
                    f"  Bertahap ke target berikutnya menambah {text.number(plans.nesting_cost[i], 0)} hari-orang; rencana dibuat terpisah."
                )
    plan = plans.plans[-1]
    out.print()
    out.print(f"[bold]Daftar tindakan per OPD untuk target {text.percent(plan.verdict.target)}[/bold]")
    for opd in plan.by_opd["opd"]:
        group = plan.documents[plan.documents["opd"] == opd]
        out.print(
            f"\n[bold]{_markup(opd)}[/bold] — {len(group)} dokumen, "
            f"{text.number(group['effort'].sum(), 0)} hari-orang, +{text.number(group['gain'].sum(), 2)} poin"
        )
        table = _table("", ["Dokumen", "Tindakan", "Selesai", "Poin", "Hari", "Peluang penuh", "Cadangan"])
        for rec in group.itertuples():
            table.add_row(
                f"{rec.doc_code} {rec.doc_name}", rec.action, text.date(rec.finish, "MMM y"),
                text.number(rec.gain, 2), text.number(rec.effort, 0), _chance(rec.p_full),
                "cadangan" if rec.reserve else "",
            )  # fmt: skip
        out.print(table)
    for path in (args.csv, args.xlsx):
        if path is not None:
            write_table(plan_table(plan), path, force=args.force, sheet="rencana")
            out.print(f"Rencana ditulis ke {path}")
    return 0


FORECAST_YEARS = (2019, 2100)
"""Years ``mcp forecast`` accepts without a framework folder (real pairs go back to 2019)."""


def _json_default(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(type(value).__name__)


def _cmd_forecast(args: argparse.Namespace, out: Console) -> int:
    from mcp_lib.forecast import forecast_totals
    from mcp_lib.framework import find_framework
    from mcp_lib.mcp_calendar import default_calendar, resolve_calendar
    from mcp_lib.risk_params import RiskParams

    problems = Problems()
    if not 0 <= args.score <= 100:
        problems.add(
            "--score", "nilai di luar 0–100", value=args.score, expected="nilai total dasbor 0–100, mis. 65,2"
        )
    if args.claim is not None and not args.score <= args.claim <= 100:
        problems.add("--claim", "nilai klaim di luar rentang", value=args.claim,
                     expected=f"antara nilai terverifikasi ({text.number(args.score)}) dan 100")  # fmt: skip
    if args.target is not None and not 0 <= args.target <= 100:
        problems.add("--target", "target di luar 0–100", value=args.target, expected="nilai 0–100, mis. 90")
    year = args.framework or args.date.year
    framework, note = None, ""
    try:
        framework = load_framework(find_framework(year, args.data_dir))
    except InputError as exc:
        if args.framework is not None and not FORECAST_YEARS[0] <= year <= FORECAST_YEARS[1]:
            problems.extend(exc.problems)
        elif not FORECAST_YEARS[0] <= year <= FORECAST_YEARS[1]:
            problems.add("--date", "tahun di luar jangkauan proyeksi", value=args.date.isoformat(),
                         expected=f"tahun MCP {FORECAST_YEARS[0]}–{FORECAST_YEARS[1]}")  # fmt: skip
        else:
            note = f"kerangka {year} tidak ada di data: jumlah dokumen bawaan; kalender: {default_calendar(year).source}"
    if problems:
        problems.raise_if_any()
    cal = resolve_calendar(
        year, (framework.upload_close, framework.final_date) if framework is not None else (None, None)
    )
    if args.close is not None or args.final is not None:
        close = args.close or cal.close
        final = args.final or max(cal.final, close)
        if final < close:
            problems.add("--final", "tanggal nilai final sebelum batas unggah", value=final.isoformat(),
                         expected=f"sama dengan atau sesudah {close.isoformat()}")  # fmt: skip
        given = " dan ".join(
            n for n, v in (("--close", args.close), ("--final", args.final)) if v is not None
        )
        cal = type(cal)(
            close,
            final,
            given + ("" if args.final else "; nilai final tidak diberikan: paling cepat batas unggah"),
        )
    first, last = dt.date(year, 1, 1), cal.final
    if not first <= args.date <= last:
        problems.add("--date", "tanggal di luar tahun kerangka", value=args.date.isoformat(),
                     expected=f"antara {first.isoformat()} dan nilai final {last.isoformat()} (kerangka {year})")  # fmt: skip
    problems.raise_if_any()
    params = RiskParams()
    f = forecast_totals(
        args.score, args.date, claim=args.claim, kind=args.kind, year=year, calendar=cal, target=args.target,
        framework=framework, params=params, draws=args.draws, seed=args.seed,
    )  # fmt: skip
    if args.json:
        import json

        out.print(json.dumps(f.as_dict(), ensure_ascii=False, indent=2), markup=False, soft_wrap=True)
        return 0
    out.print(
        f"Nilai {text.percent(args.score)} pada {text.date(args.date)} ({args.kind}, kerangka {year})"
        + (f", klaim {text.percent(args.claim)}" if args.claim is not None else ", klaim tidak diketahui"),
        highlight=False,
    )
    for line in forecast_lines(f):
        out.print(line, highlight=False, markup=False)
    if note:
        out.print(f"  catatan: {note}", markup=False)
    out.print(
        f"  dokumen: {f.open_documents} belum diunggah (perkiraan), {text.number(f.expected_uploads, 0)} di antaranya "
        "diperkirakan naik sebelum batas unggah; dokumen yang tidak diketahui dianggap seperti rata-rata dokumen",
        markup=False,
    )
    return 0


def _cmd_brief(args: argparse.Namespace, out: Console) -> int:
    from mcp_lib.kernel import BriefFailed
    from mcp_lib.runner import run_brief

    out.print(f"Membuat brief {args.pemda} periode {args.period} ...", highlight=False)
    try:
        result = run_brief(
            args.pemda, args.period, data_dir=args.data_dir, out_root=args.out, target=args.target,
            confidence=args.confidence, force=args.force, assume_done=args.assume_done,
        )  # fmt: skip
    except BriefFailed as exc:
        Console(stderr=True, highlight=False).print(
            f"Brief gagal dibuat, tidak ada berkas yang ditulis.\n{exc}", markup=False, soft_wrap=True
        )
        return 1
    out.print(f"Selesai dalam {text.number(result.seconds, 0)} detik.", highlight=False)
    out.print(f"Brief (HTML, bisa dibuka tanpa internet): {result.html}", highlight=False, soft_wrap=True)
    out.print(f"Rencana aksi per OPD (Excel): {result.workbook}", highlight=False, soft_wrap=True)
    return 0


def _cmd_lab(args: argparse.Namespace, out: Console) -> int:
    import subprocess

    from mcp_lib.kernel import ensure_kernel
    from mcp_lib.runner import NOTEBOOK_DIR

    kernel = ensure_kernel()
    out.print(
        f"JupyterLab dibuka di {NOTEBOOK_DIR} dengan kernel '{kernel}'. Hentikan dengan Ctrl-C.",
        highlight=False,
    )
    command = [sys.executable, "-m", "jupyterlab", f"--notebook-dir={NOTEBOOK_DIR}", *args.lab_args]
    return subprocess.call(command)


def _cmd_sample(args: argparse.Namespace, out: Console) -> int:
    from mcp_lib.sample import GENERATED_DIR, generate_pemda_folders, write_bundled

    if args.bundled:
        for path in write_bundled():
            out.print(f"ditulis: {path}", highlight=False)
        return 0
    target = args.out or GENERATED_DIR
    folders = generate_pemda_folders(
        None if args.national else args.province, target, seed=args.seed, framework_year=args.framework
    )
    out.print(
        f"{len(folders)} folder pemda contoh (ilustratif, bukan data KPK) ditulis ke {target / 'pemda'}",
        highlight=False,
    )
    out.print(
        f"Brief semuanya: mcp --data-dir {target} batch --pemda-glob '{target / 'pemda' / '*'}' "
        f"--period {args.framework}-10",
        highlight=False,
        soft_wrap=True,
    )
    return 0


def _levels_arg(text: str) -> tuple:
    """``--levels "Area,Sasaran,Indikator,Sub-indikator"`` (names as analysts read them; a name may
    be given as ``key=Nama``): the first level's key is ``area``, the last's ``subindicator``."""
    import re

    from mcp_lib.framework import BOTTOM, MAX_LEVELS, TOP, Level

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


def _cmd_framework_template(args: argparse.Namespace, out: Console) -> int:
    from mcp_lib.framework_workbook import write_template

    path = write_template(args.out, args.levels, year=args.year, force=args.force)
    out.print(f"Templat kerangka ditulis: {_markup(path)}", highlight=False, soft_wrap=True)
    out.print(
        "Isi sheet Struktur dan Dokumen dari aplikasi/panduan KPK (lihat sheet Petunjuk), lalu: "
        f"mcp framework import {_markup(path)} --year <tahun>",
        highlight=False,
        soft_wrap=True,
    )
    return 0


def _cmd_framework_import(args: argparse.Namespace, out: Console) -> int:
    from mcp_lib.framework_workbook import import_framework_workbook

    folder, fw = import_framework_workbook(args.file, args.year, args.data_dir or DATA_DIR, force=args.force)
    out.print(f"Kerangka ditulis: {_markup(folder)}", highlight=False, soft_wrap=True)
    out.print(_markup(fw.summary()), highlight=False, soft_wrap=True)
    for kind in PEMDA_KINDS:
        out.print(f"  {kind}: {int(fw.applies(kind).sum())} dokumen", highlight=False)
    if fw.equal_weight_levels:
        names = ", ".join(level.name.lower() for level in fw.equal_weight_levels)
        out.print(f"Bobot kosong (dibagi rata di antara item setingkat): {_markup(names)}", highlight=False)
    return 0


def _cmd_framework_export(args: argparse.Namespace, out: Console) -> int:
    from mcp_lib.framework import find_framework
    from mcp_lib.framework_workbook import export_framework

    fw = load_framework(find_framework(args.year, args.data_dir))
    path = export_framework(fw, args.out or Path(f"kerangka-{args.year}.xlsx"), force=args.force)
    out.print(f"Kerangka {_markup(fw.label)} ditulis ke {_markup(path)}", highlight=False, soft_wrap=True)
    return 0


def _batch_folders(args: argparse.Namespace) -> tuple[list[Path], str]:
    import glob
    import tomllib

    if args.pemda_glob:
        folders = sorted(Path(p) for p in glob.glob(args.pemda_glob) if (Path(p) / "pemda.toml").is_file())
        provinces = set()
        for f in folders:
            try:
                provinces.add(
                    tomllib.loads((f / "pemda.toml").read_text(encoding="utf-8-sig")).get("province", "")
                )
            except (tomllib.TOMLDecodeError, UnicodeDecodeError):
                continue  # reported with the rest when its brief runs
        name = provinces.pop() if len(provinces) == 1 else "Gabungan"
        return folders, name or "Gabungan"
    root = (args.data_dir or DATA_DIR) / "pemda"
    folders = []
    found = sorted(root.glob("*/pemda.toml"))
    outside = [f.parent for f in found if not inside(f, root)]
    if outside:
        raise InputError(
            Problem(str(f), "folder pemda adalah tautan (symlink) ke luar folder data; tidak diikuti",
                    expected=f"folder pemda yang sebenarnya di dalam {root}")
            for f in outside
        )  # fmt: skip
    for f in found:
        try:
            if (
                tomllib.loads(f.read_text(encoding="utf-8-sig")).get("province", "").lower()
                == args.province.lower()
            ):
                folders.append(f.parent)
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            folders.append(f.parent)  # cannot tell: let the run report the file's problem
    return folders, args.province


def _cmd_batch(args: argparse.Namespace, out: Console) -> int:
    from mcp_lib.batch import BatchJob, run_batch
    from mcp_lib.overview import render_overview
    from mcp_lib.status import parse_period

    parse_period(args.period)
    folders, province = _batch_folders(args)
    if not folders:
        where = args.pemda_glob or f"{(args.data_dir or DATA_DIR) / 'pemda'} (provinsi {args.province})"
        raise InputError.one(
            where,
            "tidak ada folder pemda (berisi pemda.toml) yang cocok",
            expected="periksa --pemda-glob/--province dan --data-dir",
        )
    jobs = [
        BatchJob(str(f.resolve()), args.period, str(args.data_dir) if args.data_dir else None, str(args.out.resolve()),
                 args.target, args.confidence, args.force, args.restart_every, args.brief_only)
        for f in folders
    ]  # fmt: skip
    out.print(f"{len(jobs)} pemda, {args.workers} proses kerja ...", highlight=False)
    report = run_batch(jobs, workers=args.workers, progress=sys.stderr.isatty())
    if report.succeeded:
        path = render_overview(list(report.outcomes), province, args.period, args.out)
        out.print(f"Ringkasan provinsi: {path}", highlight=False, soft_wrap=True)
    out.print(
        f"Selesai: {len(report.succeeded)} brief dibuat, {len(report.failed)} gagal, {text.number(report.seconds, 0)} detik.",
        highlight=False,
    )
    if report.failed:
        err = Console(stderr=True, highlight=False)
        err.print("Gagal:", markup=False)
        for o in report.failed:
            err.print(f"- {Path(o.pemda).name}: {o.error}", markup=False, soft_wrap=True)
    if report.interrupted:
        out.print("Dihentikan (Ctrl-C): brief yang belum selesai tidak ditulis.", highlight=False)
        return 130
    return 1 if report.failed else 0


def _cmd_snapshots(args: argparse.Namespace, out: Console) -> int:
    pemda = load_pemda(args.pemda, args.data_dir)
    for date, path in list_snapshots(pemda):
        out.print(f"{date:%Y-%m}  {date:%Y-%m-%d}  {path}", highlight=False)
    return 0


def _mcp_command() -> str:
    """How to type ``mcp`` from here: ``.venv/bin/mcp`` from the project folder (it is not on PATH)."""
    exe = Path(sys.executable).parent / "mcp"
    if not exe.exists():
        return "mcp"
    try:
        return str(exe.relative_to(Path.cwd()))
    except ValueError:
        return str(exe)


def _cmd_init(args: argparse.Namespace, out: Console) -> int:
    from mcp_lib.onboard import init_pemda

    pemda, tracker = init_pemda(
        args.pemda, args.name, args.kind, args.province, args.framework, args.data_dir,
        target=args.target, deadline=args.deadline, last_final=args.last_final,
    )  # fmt: skip
    out.print(f"dibuat: {pemda.path / 'pemda.toml'}", highlight=False)
    out.print(f"dibuat: {tracker}", highlight=False)
    import shlex

    dd = f" --data-dir {shlex.quote(str(args.data_dir))}" if args.data_dir else ""
    mcp = shlex.quote(_mcp_command())
    out.print(
        f"Langkah berikut: periksa daftar OPD di pemda.toml, isi tracker di Excel, lalu\n"
        f"  {mcp} snapshot import {shlex.quote(str(tracker))} --date YYYY-MM-DD{dd}\n"
        f"  {mcp} brief --pemda {pemda.slug} --period YYYY-MM{dd}",
        highlight=False, markup=False, soft_wrap=True,
    )  # fmt: skip
    return 0


def _cmd_tracker(args: argparse.Namespace, out: Console) -> int:
    from mcp_lib.tracker import write_tracker

    pemda = load_pemda(args.pemda, args.data_dir)
    fw = pemda_framework(pemda, args.data_dir)
    path = write_tracker(pemda, fw, args.out or pemda.path / f"tracker-{fw.year}.xlsx", force=args.force)
    out.print(f"ditulis: {path}", highlight=False)
    return 0


def _tracker_pemda(args: argparse.Namespace):
    """The pemda a tracker belongs to: ``--pemda``, else the pemda folder the file sits in, else
    the pemda recorded in the tracker itself."""
    from mcp_lib.tracker import tracker_meta

    if args.pemda:
        return load_pemda(args.pemda, args.data_dir)
    folder = Path(args.file).resolve().parent
    if (folder / "pemda.toml").is_file():
        return load_pemda(folder)
    slug = tracker_meta(args.file).get("pemda") if Path(args.file).is_file() else None
    if slug:
        return load_pemda(str(slug), args.data_dir)
    raise InputError.one(
        str(args.file), "pemda tracker ini tidak diketahui", expected="sebutkan --pemda NAMA-FOLDER"
    )


def _cmd_snapshot_import(args: argparse.Namespace, out: Console) -> int:
    from mcp_lib.tracker import import_tracker

    pemda = _tracker_pemda(args)
    fw = pemda_framework(pemda, args.data_dir)
    path = import_tracker(args.file, pemda, fw, args.date, force=args.force)
    snap = load_snapshot(path, fw, pemda, args.date)
    s = score_snapshot(fw, pemda, snap)
    out.print(f"ditulis: {path}", highlight=False)
    out.print(
        f"{pemda.name} per {text.date(args.date)}: nilai terverifikasi {text.percent(s.verified)}, "
        f"klaim {text.percent(s.claim)}",
        highlight=False,
    )
    return 0


def _cmd_snapshot_export(args: argparse.Namespace, out: Console) -> int:
    from mcp_lib.tracker import export_tracker

    pemda = load_pemda(args.pemda, args.data_dir)
    fw = pemda_framework(pemda, args.data_dir)
    path = export_tracker(
        pemda, fw, args.period, args.out or pemda.path / f"tracker-{args.period}.xlsx", force=args.force
    )
    out.print(f"ditulis: {path}", highlight=False)
    return 0


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
    if not 0 <= number <= 100:
        raise argparse.ArgumentTypeError(f"nilai di luar 0–100: {value!r} (mis. 90)")
    return number


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


def _seed(value: str) -> int:
    """A random seed: a whole number 0 or more."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"benih acak harus bilangan bulat ≥ 0: {value!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"benih acak harus bilangan bulat ≥ 0: {value!r}")
    return number


def _iso_date(value: str) -> dt.date:
    """A date as analysts write it in the files: 2023-10-31, 31/10/2023, 31-10-2023 or
    31 Oktober 2023 (the readers' forms)."""
    from mcp_lib.readers import parse_date

    try:
        day = parse_date(value)
        if day is None:
            raise ValueError(value)
        return day
    except (ValueError, TypeError):
        raise argparse.ArgumentTypeError(
            f"tanggal tidak sah: {value!r} (mis. 2023-10-31 atau 31/10/2023)"
        ) from None


def _cmd_import_kpk(args: argparse.Namespace, out: Console) -> int:
    imp = import_kpk_export(args.file, year=args.year, instansi=args.instansi)
    scores = score_snapshot(imp.framework, imp.kind, imp.snapshot)
    for path in write_kpk_import(imp, args.data_dir or DATA_DIR, args.pemda, force=args.force):
        out.print(f"ditulis: {path}", highlight=False)
    out.print(
        f"{imp.instansi}: {len(imp.framework.subindicators)} sub-indikator, nilai terverifikasi "
        f"{text.percent(scores.verified)} per {text.date(imp.snapshot.date)}",
        highlight=False,
    )
    return 0


_ARGPARSE_ID = [
    (re.compile(r"the following arguments are required: (.*)"), r"argumen wajib belum diisi: \1"),
    (re.compile(r"unrecognized arguments: (.*)"), r"argumen tidak dikenal: \1"),
    (re.compile(r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)"), r"\1: pilihan tidak sah \2 (pilih salah satu: \3)"),
    (re.compile(r"argument (\S+): expected one argument"), r"\1: perlu satu nilai"),
    (re.compile(r"argument (\S+): invalid (float|int) value: (.*)"), r"\1: bukan angka: \3"),
    (re.compile(r"argument (\S+): not allowed with argument (.*)"), r"\1 tidak boleh dipakai bersama \2"),
    (re.compile(r"one of the arguments (.*) is required"), r"salah satu argumen wajib diisi: \1"),
    (re.compile(r"argument (\S+): (.*)"), r"\1: \2"),
]  # fmt: skip


class _Parser(argparse.ArgumentParser):
    """argparse with its usage errors in Bahasa Indonesia (exit status 2, as argparse)."""

    def error(self, message: str) -> NoReturn:
        for pattern, repl in _ARGPARSE_ID:
            if pattern.match(message):
                message = pattern.sub(repl, message, count=1)
                break
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: kesalahan penggunaan: {message}\n(lihat {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="mcp", description="MCP Workbook: nilai MCP KPK per pemda.")
    parser.add_argument(
        "--data-dir", type=Path, default=None,
        help="folder data (berisi pemda/ dan frameworks/); bawaan: data contoh bawaan",
    )  # fmt: skip
    parser.add_argument(
        "--debug",
        action="store_true",
        help="tampilkan traceback lengkap bila terjadi kesalahan (untuk laporan bug)",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="periksa folder pemda, berkas snapshot atau folder kerangka")
    p.add_argument(
        "paths", nargs="+", help="folder pemda, berkas status/YYYY-MM-DD.csv, atau folder kerangka"
    )
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("score", help="cetak nilai per area dan per OPD untuk satu periode")
    p.add_argument("--pemda", required=True, help="nama folder pemda (mis. kota-lubuklinggau) atau path")
    p.add_argument("--period", required=True, help="periode YYYY-MM (snapshot terakhir di bulan itu)")
    p.add_argument("--target", type=_score, default=None, help="target nilai (bawaan: dari pemda.toml)")
    p.set_defaults(func=_cmd_score)

    p = sub.add_parser("import-kpk", help="impor satu sheet ekspor KPK menjadi kerangka dan snapshot")
    p.add_argument("file", type=Path, help="berkas ekspor KPK (.csv atau .xlsx)")
    p.add_argument("--year", type=int, required=True, help="tahun kerangka MCP data ini")
    p.add_argument("--pemda", required=True, help="nama folder pemda yang dibuat/diisi, mis. kab-contoh")
    p.add_argument("--instansi", help="nama instansi jika berkas berisi lebih dari satu")
    p.add_argument("--force", action="store_true", help="timpa kerangka/snapshot yang sudah ada")
    p.set_defaults(func=_cmd_import_kpk)

    p = sub.add_parser("plan", help="rencana usaha minimal menuju target, per OPD")
    p.add_argument("--pemda", required=True, help="nama folder pemda atau path")
    p.add_argument("--period", required=True, help="periode YYYY-MM")
    p.add_argument(
        "--target",
        type=_score,
        action="append",
        help="target (boleh diulang); bawaan: nilai akhir tahun lalu dan target pemda.toml",
    )
    p.add_argument(
        "--confidence", type=_probability, default=0.8, help="peluang yang diinginkan (0–1), bawaan 0,8"
    )
    p.add_argument(
        "--allow-blocked", action="store_true", help="boleh memakai dokumen yang diblokir pihak luar"
    )
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
    p.set_defaults(func=_cmd_plan)

    p = sub.add_parser(
        "forecast", help="proyeksi nilai final dari nilai total dasbor saja (mis. untuk koordinator provinsi)"
    )
    p.add_argument(
        "--score", type=_number, required=True, help="nilai total terverifikasi di dasbor, mis. 65,2"
    )
    p.add_argument("--date", type=_iso_date, required=True, help="tanggal nilai itu, YYYY-MM-DD")
    p.add_argument("--claim", type=_number, help="nilai klaim (bila semua unggahan diterima), bila diketahui")
    p.add_argument(
        "--kind",
        type=str.lower,
        choices=PEMDA_KINDS,
        default="kabupaten",
        help="jenis pemda (bawaan kabupaten)",
    )
    p.add_argument("--framework", type=int, help="tahun kerangka MCP (bawaan: tahun dari --date)")
    p.add_argument("--close", type=_iso_date, help="batas unggah YYYY-MM-DD (bawaan: dari kerangka/kalender)")
    p.add_argument(
        "--final", type=_iso_date, help="tanggal nilai final YYYY-MM-DD (bawaan: dari kerangka/kalender)"
    )
    p.add_argument("--target", type=_score, help="target, untuk peluang mencapainya")
    p.add_argument("--draws", type=int, default=10_000, help=argparse.SUPPRESS)
    p.add_argument("--seed", type=_seed, default=0, help="benih acak simulasi")
    p.add_argument(
        "--json", action="store_true", help="cetak hasil sebagai JSON (median, p10, p90, p_target)"
    )
    p.set_defaults(func=_cmd_forecast)

    p = sub.add_parser(
        "brief", help="buat brief HTML bulanan dan rencana-aksi.xlsx di outputs/<pemda>/<periode>/"
    )
    p.add_argument("--pemda", required=True, help="nama folder pemda atau path")
    p.add_argument("--period", required=True, help="periode YYYY-MM")
    p.add_argument("--target", type=_score, default=None, help="target (bawaan: dari pemda.toml)")
    p.add_argument(
        "--confidence", type=_probability, default=0.8, help="peluang yang diinginkan (0–1), bawaan 0,8"
    )
    p.add_argument("--out", type=Path, default=OUTPUTS_DIR, help="folder keluaran (bawaan: outputs/)")
    p.add_argument(
        "--assume-done", type=Path, metavar="BERKAS",
        help="berkas skenario dari explorer (doc_code, asumsi: selesai/ditolak); brief ditulis ke <periode>-skenario-<nama>",
    )  # fmt: skip
    p.add_argument("--force", action="store_true", help="buat ulang bulan yang sudah ada")
    p.set_defaults(func=_cmd_brief)

    p = sub.add_parser("lab", help="buka JupyterLab pada folder notebooks/ dengan kernel proyek")
    p.set_defaults(func=_cmd_lab, lab_args=[])

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
    p.set_defaults(func=_cmd_sample)

    p = sub.add_parser("batch", help="brief untuk banyak pemda sekaligus, paralel, dan ringkasan provinsi")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--pemda-glob", help="pola folder pemda, mis. 'data/generated/pemda/*'")
    which.add_argument("--province", help="semua pemda di <data-dir>/pemda dengan provinsi ini")
    p.add_argument("--period", required=True, help="periode YYYY-MM")
    p.add_argument("--workers", type=int, default=2, help="jumlah proses kerja (bawaan 2)")
    p.add_argument("--restart-every", type=int, default=50, help="mulai ulang kernel tiap N brief")
    p.add_argument(
        "--brief-only",
        action="store_true",
        help="jalankan hanya notebook brief (lebih cepat untuk ratusan pemda)",
    )
    p.add_argument(
        "--target", type=_score, default=None, help="target (bawaan: dari pemda.toml masing-masing)"
    )
    p.add_argument("--confidence", type=_probability, default=0.8, help="peluang yang diinginkan (0–1)")
    p.add_argument("--out", type=Path, default=OUTPUTS_DIR, help="folder keluaran (bawaan: outputs/)")
    p.add_argument("--force", action="store_true", help="buat ulang bulan yang sudah ada")
    p.set_defaults(func=_cmd_batch)

    p = sub.add_parser("snapshots", help="daftar snapshot sebuah pemda (sama dengan: snapshot list)")
    p.add_argument("--pemda", required=True, help="nama folder pemda atau path")
    p.set_defaults(func=_cmd_snapshots)

    p = sub.add_parser("init", help="mulai pemda baru: pemda.toml, folder status/ dan tracker Excel")
    p.add_argument("--pemda", required=True, help="nama folder baru, mis. kab-muara-enim")
    p.add_argument("--name", required=True, help='nama resmi, mis. "Kabupaten Muara Enim"')
    p.add_argument(
        "--kind", required=True, type=str.lower, choices=PEMDA_KINDS, help="kota, kabupaten atau provinsi"
    )
    p.add_argument("--province", required=True, help='provinsi, mis. "Sumatera Selatan"')
    p.add_argument("--framework", type=int, required=True, help="tahun kerangka MCP, mis. 2023")
    p.add_argument("--target", type=_score, default=DEFAULT_TARGET, help="nilai target (bawaan 90)")
    p.add_argument(
        "--deadline", type=_iso_date, help="tenggat YYYY-MM-DD (bawaan: batas unggah tahun kerangka)"
    )
    p.add_argument("--last-final", type=_score, help="nilai akhir MCP tahun lalu, mis. 87")
    p.set_defaults(func=_cmd_init)

    p = sub.add_parser("tracker", help="tulis tracker Excel kosong untuk pemda (dari kerangkanya)")
    p.add_argument("--pemda", required=True, help="nama folder pemda atau path")
    p.add_argument("--out", type=Path, help="berkas .xlsx (bawaan: tracker-<tahun>.xlsx di folder pemda)")
    p.add_argument("--force", action="store_true", help="timpa berkas yang sudah ada")
    p.set_defaults(func=_cmd_tracker)

    p = sub.add_parser("framework", help="kerangka MCP dalam workbook Excel: templat, impor, ekspor")
    fwp = p.add_subparsers(dest="framework_command", required=True)
    q = fwp.add_parser("template", help="tulis workbook kosong untuk mengetik kerangka dari aplikasi KPK")
    q.add_argument("--out", type=Path, required=True, help="berkas .xlsx baru, mis. kerangka-2026.xlsx")
    q.add_argument(
        "--levels", type=_levels_arg, default=None,
        help='nama tingkat dari atas, dipisah koma (bawaan: "Area,Sasaran,Indikator,Sub-indikator")',
    )  # fmt: skip
    q.add_argument("--year", type=int, help="tahun kerangka yang diisikan ke workbook")
    q.add_argument("--force", action="store_true", help="timpa berkas yang sudah ada")
    q.set_defaults(func=_cmd_framework_template)
    q = fwp.add_parser("import", help="periksa workbook kerangka dan tulis frameworks/mcp-<tahun>/")
    q.add_argument("file", type=Path, help="workbook kerangka .xlsx yang sudah diisi")
    q.add_argument("--year", type=int, required=True, help="tahun kerangka, mis. 2026")
    q.add_argument(
        "--force", action="store_true", help="ganti kerangka tahun itu (yang lama disimpan sebagai .bak)"
    )
    q.set_defaults(func=_cmd_framework_import)
    q = fwp.add_parser("export", help="tulis workbook dari kerangka yang sudah ada (untuk diperiksa/diubah)")
    q.add_argument("--year", type=int, required=True, help="tahun kerangka, mis. 2025")
    q.add_argument("--out", type=Path, help="berkas .xlsx (bawaan: kerangka-<tahun>.xlsx)")
    q.add_argument("--force", action="store_true", help="timpa berkas yang sudah ada")
    q.set_defaults(func=_cmd_framework_export)

    p = sub.add_parser("snapshot", help="impor tracker Excel menjadi snapshot, ekspor snapshot ke tracker")
    snap = p.add_subparsers(dest="snapshot_command", required=True)
    q = snap.add_parser("import", help="periksa tracker yang sudah diisi dan tulis status/<tanggal>.csv")
    q.add_argument("file", type=Path, help="tracker .xlsx yang sudah diisi")
    q.add_argument("--date", type=_iso_date, required=True, help="tanggal keadaan data, YYYY-MM-DD")
    q.add_argument("--pemda", help="nama folder pemda (bawaan: dari tracker atau foldernya)")
    q.add_argument("--force", action="store_true", help="timpa snapshot tanggal itu bila sudah ada")
    q.set_defaults(func=_cmd_snapshot_import)
    q = snap.add_parser("export", help="tulis tracker Excel berisi snapshot suatu periode")
    q.add_argument("--pemda", required=True, help="nama folder pemda atau path")
    q.add_argument("--period", required=True, help="periode YYYY-MM")
    q.add_argument("--out", type=Path, help="berkas .xlsx (bawaan: tracker-<periode>.xlsx di folder pemda)")
    q.add_argument("--force", action="store_true", help="timpa berkas yang sudah ada")
    q.set_defaults(func=_cmd_snapshot_export)
    q = snap.add_parser("list", help="daftar snapshot sebuah pemda")
    q.add_argument("--pemda", required=True, help="nama folder pemda atau path")
    q.set_defaults(func=_cmd_snapshots)

    # --data-dir and --debug are accepted after the command too (`mcp brief ... --data-dir D`).
    for parser_ in [*sub.choices.values(), *snap.choices.values(), *fwp.choices.values()]:
        parser_.add_argument(
            "--data-dir", type=Path, default=argparse.SUPPRESS,
            help="folder data (berisi pemda/ dan frameworks/); bawaan: data contoh bawaan",
        )  # fmt: skip
        parser_.add_argument(
            "--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS
        )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``mcp`` command; returns the exit status.

    0 success; 1 a problem with the input, the files or the run, explained in words (no
    traceback unless ``--debug``); 2 a usage error (argparse); 130 stopped with Ctrl-C.
    """
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "lab":
        parser.error("unrecognized arguments: " + " ".join(extra))
    args.lab_args = extra  # `mcp lab --no-browser --port=8899` passes its extras on to jupyter lab
    out = Console(highlight=False, width=None if sys.stdout.isatty() else 120)
    err = Console(stderr=True, highlight=False)
    try:
        return args.func(args, out)
    except InputError as exc:
        if args.debug:
            raise
        err.print(exc.render(), markup=False, soft_wrap=True)
        return 1
    except KeyboardInterrupt:
        if args.debug:
            raise
        err.print(
            "Dihentikan (Ctrl-C). Berkas yang sudah selesai tetap ada; yang setengah jadi tidak ditulis."
        )
        return 130
    except OSError as exc:
        if args.debug:
            raise
        where = f"{exc.filename}: " if exc.filename else ""
        err.print(
            f"Berkas atau folder tidak dapat dibaca/ditulis: {where}{exc.strerror or exc}\n"
            "Periksa izin akses (permission), ruang disk, dan apakah berkas sedang dibuka di Excel.",
            markup=False, soft_wrap=True,
        )  # fmt: skip
        return 1
    except Exception as exc:
        if args.debug:
            raise
        err.print(
            f"Terjadi kesalahan tak terduga (kemungkinan bug di MCP Workbook): {type(exc).__name__}: {exc}\n"
            "Jalankan lagi perintah yang sama dengan --debug untuk melihat rinciannya, lalu laporkan.",
            markup=False, soft_wrap=True,
        )  # fmt: skip
        return 1
