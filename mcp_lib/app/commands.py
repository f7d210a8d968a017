"""The work behind each ``mcp`` command: one function per command, ``cmd_<command>(args, out)``.

Each loads the inputs named on the command line, calls the library, writes files, and prints the
result: reports through :mod:`mcp_lib.app.console`, one-line confirmations (``ditulis: ...``) itself.
Returns the exit status. :mod:`mcp_lib.app.cli` parses the command line and dispatches here; bad
input raises :class:`~mcp_lib.errors.InputError`, which the command line prints.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import sys
from pathlib import Path

from rich.console import Console

from mcp_lib import text
from mcp_lib.app.console import markup, print_forecast, print_plan, print_score
from mcp_lib.brief.request import BriefRequest
from mcp_lib.candidates import beyond_uploads
from mcp_lib.config import DATA_DIR, PEMDA_KINDS
from mcp_lib.errors import InputError, Problems
from mcp_lib.framework.folder import load_framework
from mcp_lib.io.readers import write_table
from mcp_lib.pemda.kpk import import_kpk_export, write_kpk_import
from mcp_lib.pemda.model import pemda_framework
from mcp_lib.pemda.settings import load_pemda
from mcp_lib.pemda.snapshot import list_snapshots, load_history, load_period, load_snapshot
from mcp_lib.plan.planner import PlanOptions, plan_table
from mcp_lib.plan.targets import plan_targets
from mcp_lib.scoring import score_kind, score_snapshot
from mcp_lib.statuses import DIVERIFIKASI, TIDAK_BERLAKU
from mcp_lib.trend import compute_trend, opd_history, score_history


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
        n = int((snap.documents["status"] != TIDAK_BERLAKU).sum())
        return f"OK {path}: snapshot {pemda.name} tanggal {text.date(snap.date)}, {n} dokumen berlaku"
    problems = Problems()
    problems.add(
        path,
        "tidak dikenali sebagai folder pemda, berkas snapshot, atau folder kerangka",
        expected="folder berisi pemda.toml, berkas status/YYYY-MM-DD.csv, atau folder berisi framework.csv",
    )
    problems.raise_if_any()
    raise AssertionError("unreachable")


def cmd_validate(args: argparse.Namespace, out: Console) -> int:
    """``mcp validate PATH...``: one line per valid path; every problem of every path raised together."""
    problems = Problems()
    for path in args.paths:
        try:
            out.print(validate_path(Path(path), args.data_dir), highlight=False, soft_wrap=True)
        except InputError as exc:
            problems.extend(exc.problems)
    problems.raise_if_any()
    return 0


def cmd_score(args: argparse.Namespace, out: Console) -> int:
    """``mcp score``: the scores of one period, the pace against the target and the year-end forecast."""
    pemda = load_pemda(args.pemda, args.data_dir)
    fw = pemda_framework(pemda, args.data_dir)
    snap = load_period(pemda, fw, args.period)
    history = load_history(pemda, fw, until=snap.date)
    from mcp_lib.forecast import forecast_pemda

    scores = score_snapshot(fw, pemda, snap)
    from mcp_lib.pemda.model import pemda_calendar
    from mcp_lib.schedule import planning_horizon

    calendar = pemda_calendar(pemda, fw)
    horizon, closed, notes = planning_horizon(pemda.deadline, calendar, snap.date)
    trend = compute_trend(fw, pemda, history, target=args.target, deadline=calendar.close if closed else horizon)
    forecast = forecast_pemda(fw, pemda, snap, opd_history=opd_history(fw, pemda.kind, history), target=trend.target)
    print_score(pemda, fw, args.period, snap, scores, trend, forecast, notes, out)
    return 0


def cmd_plan(args: argparse.Namespace, out: Console) -> int:
    """``mcp plan``: the least-effort plans to the targets, printed or as JSON; also to CSV/XLSX."""
    pemda = load_pemda(args.pemda, args.data_dir)
    fw = pemda_framework(pemda, args.data_dir)
    snap = load_period(pemda, fw, args.period)
    snaps = load_history(pemda, fw, until=snap.date)
    history = score_history(fw, pemda, snaps)
    options = PlanOptions(
        allow_blocked=args.allow_blocked,
        use_capacity=not args.no_capacity,
        must=args.must,
        exclude=args.exclude,
        confidence=args.confidence,
        seed=args.seed,
    )
    paced = opd_history(fw, pemda.kind, snaps)
    plans = plan_targets(fw, pemda, snap, args.target or None, options, history=history, opd_history=paced)
    if args.json:
        import json

        payload = {
            "pemda": pemda.slug,
            "period": args.period,
            "current": plans.plans[0].verdict.current,
            "confidence": args.confidence,
            **plans.as_dict(),
        }
        out.print(
            json.dumps(payload, ensure_ascii=False, indent=2, default=_json_default),
            markup=False,
            soft_wrap=True,
        )
        for path in (args.csv, args.xlsx):
            if path is not None:
                write_table(plan_table(plans.plans[-1]), path, force=args.force, sheet="rencana")
        return 0
    print_plan(pemda, args.period, plans, out)
    away = beyond_uploads(fw, score_snapshot(fw, pemda, snap))
    if len(away):
        listing = "; ".join(
            f"{r.code} {r.name} ({r.how}, {text.number(r.points_open, 2)} poin)" for r in away.itertuples()
        )
        out.print(f"Di luar rencana, tidak naik dengan mengunggah dokumen: {markup(listing)}", highlight=False)
    plan = plans.plans[-1]
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


def cmd_forecast(args: argparse.Namespace, out: Console) -> int:
    """``mcp forecast``: the final score forecast from a dashboard total alone (no pemda folder)."""
    from mcp_lib.forecast import DashboardTotal, ForecastOptions, forecast_totals
    from mcp_lib.framework.calendar import default_calendar, resolve_calendar
    from mcp_lib.framework.folder import find_framework

    problems = Problems()
    if not 0 <= args.score <= 100:
        problems.add("--score", "nilai di luar 0–100", value=args.score, expected="nilai total dasbor 0–100, mis. 65,2")
    if args.claim is not None and not args.score <= args.claim <= 100:
        problems.add(
            "--claim",
            "nilai klaim di luar rentang",
            value=args.claim,
            expected=f"antara nilai terverifikasi ({text.number(args.score)}) dan 100",
        )
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
            problems.add(
                "--date",
                "tahun di luar jangkauan proyeksi",
                value=args.date.isoformat(),
                expected=f"tahun MCP {FORECAST_YEARS[0]}–{FORECAST_YEARS[1]}",
            )
        else:
            note = (
                f"kerangka {year} tidak ada di data: jumlah dokumen bawaan; kalender: {default_calendar(year).source}"
            )
    if problems:
        problems.raise_if_any()
    cal = resolve_calendar(
        year, (framework.upload_close, framework.final_date) if framework is not None else (None, None)
    )
    if args.close is not None or args.final is not None:
        close = args.close or cal.close
        final = args.final or max(cal.final, close)
        if final < close:
            problems.add(
                "--final",
                "tanggal nilai final sebelum batas unggah",
                value=final.isoformat(),
                expected=f"sama dengan atau sesudah {close.isoformat()}",
            )
        given = " dan ".join(n for n, v in (("--close", args.close), ("--final", args.final)) if v is not None)
        cal = type(cal)(
            close,
            final,
            given + ("" if args.final else "; nilai final tidak diberikan: paling cepat batas unggah"),
        )
    first, last = dt.date(year, 1, 1), cal.final
    if not first <= args.date <= last:
        problems.add(
            "--date",
            "tanggal di luar tahun kerangka",
            value=args.date.isoformat(),
            expected=f"antara {first.isoformat()} dan nilai final {last.isoformat()} (kerangka {year})",
        )
    problems.raise_if_any()
    f = forecast_totals(
        DashboardTotal(args.score, args.date, claim=args.claim, kind=args.kind, year=year, framework=framework),
        args.target,
        ForecastOptions(calendar=cal, draws=args.draws, seed=args.seed),
    )
    if args.json:
        import json

        out.print(json.dumps(f.as_dict(), ensure_ascii=False, indent=2), markup=False, soft_wrap=True)
        return 0
    print_forecast(f, args.score, args.date, args.kind, year, args.claim, note, out)
    return 0


def cmd_brief(args: argparse.Namespace, out: Console) -> int:
    """``mcp brief``: run the notebooks for one pemda and month (:func:`mcp_lib.run.runner.run_brief`)."""
    from mcp_lib.run.kernel import BriefFailed, KernelSession

    out.print(f"Membuat brief {args.pemda} periode {args.period} ...", highlight=False)
    request = _brief_request(args, args.pemda, assume_done=args.assume_done)
    # The kernel boots on the other core while this process imports the runner and computes.
    session = KernelSession()
    session.launch()
    try:
        from mcp_lib.run.runner import run_brief

        result = run_brief(request, out_root=args.out, force=args.force, session=session, pdf=args.pdf)
    except BriefFailed as exc:
        Console(stderr=True, highlight=False).print(
            f"Brief gagal dibuat; brief bulan itu yang sudah ada tidak diubah.\n{exc}", markup=False, soft_wrap=True
        )
        return 1
    finally:
        session.close()
    out.print(f"Selesai dalam {text.number(result.seconds, 0)} detik.", highlight=False)
    out.print(f"Brief (HTML, bisa dibuka tanpa internet): {result.html}", highlight=False, soft_wrap=True)
    out.print(f"Rencana aksi per OPD (Excel): {result.workbook}", highlight=False, soft_wrap=True)
    if result.pdf is not None:
        out.print(f"Brief (PDF, A4, untuk dibagikan di WhatsApp): {result.pdf}", highlight=False, soft_wrap=True)
    if result.summary_pdf is not None:
        out.print(f"Ringkasan dua halaman (PDF): {result.summary_pdf}", highlight=False, soft_wrap=True)
    if result.notice:
        Console(stderr=True, highlight=False).print(result.notice, markup=False, soft_wrap=True)
    return 0


def _brief_request(args: argparse.Namespace, pemda: str | Path, assume_done: Path | None = None) -> BriefRequest:
    """The request of ``mcp brief`` or of one pemda of ``mcp batch``, from their options."""
    return BriefRequest(
        str(pemda),
        args.period,
        data_dir=str(args.data_dir or ""),
        target=args.target or 0.0,
        confidence=args.confidence,
        assume_done=str(assume_done or ""),
    )


def cmd_lab(args: argparse.Namespace, out: Console) -> int:
    """``mcp lab``: open JupyterLab on ``notebooks/`` with the project's kernel."""
    import subprocess

    from mcp_lib.run.kernel import ensure_kernel
    from mcp_lib.run.runner import NOTEBOOK_DIR

    kernel = ensure_kernel()
    out.print(
        f"JupyterLab dibuka di {NOTEBOOK_DIR} dengan kernel '{kernel}'. Hentikan dengan Ctrl-C.",
        highlight=False,
    )
    command = [sys.executable, "-m", "jupyterlab", f"--notebook-dir={NOTEBOOK_DIR}", *args.lab_args]
    return subprocess.call(command)


def cmd_sample(args: argparse.Namespace, out: Console) -> int:
    """``mcp sample``: write the illustrative sample data (one province, all, or the bundled files)."""
    from mcp_lib.sample.generate import GENERATED_DIR, generate_pemda_folders, write_bundled

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


def cmd_framework_template(args: argparse.Namespace, out: Console) -> int:
    """``mcp framework template``: write an empty framework workbook to type a framework into."""
    from mcp_lib.framework.workbook.template import write_template

    path = write_template(args.out, args.levels, year=args.year, force=args.force)
    out.print(f"Templat kerangka ditulis: {markup(path)}", highlight=False, soft_wrap=True)
    out.print(
        "Isi sheet Struktur dan Dokumen dari aplikasi/panduan KPK (lihat sheet Petunjuk), lalu: "
        f"mcp framework import {markup(path)} --year <tahun>",
        highlight=False,
        soft_wrap=True,
    )
    return 0


def cmd_framework_import(args: argparse.Namespace, out: Console) -> int:
    """``mcp framework import``: check a filled framework workbook and write ``frameworks/mcp-<year>/``."""
    from mcp_lib.framework.workbook.reader import import_framework_workbook

    folder, fw = import_framework_workbook(args.file, args.year, args.data_dir or DATA_DIR, force=args.force)
    out.print(f"Kerangka ditulis: {markup(folder)}", highlight=False, soft_wrap=True)
    out.print(markup(fw.summary()), highlight=False, soft_wrap=True)
    for kind in PEMDA_KINDS:
        out.print(f"  {kind}: {int(fw.applies(kind).sum())} dokumen", highlight=False)
    if fw.equal_weight_levels:
        names = ", ".join(level.name.lower() for level in fw.equal_weight_levels)
        out.print(f"Bobot kosong (dibagi rata di antara item setingkat): {markup(names)}", highlight=False)
    return 0


def cmd_framework_export(args: argparse.Namespace, out: Console) -> int:
    """``mcp framework export``: write an existing framework as a workbook."""
    from mcp_lib.framework.folder import find_framework
    from mcp_lib.framework.workbook.template import export_framework

    fw = load_framework(find_framework(args.year, args.data_dir))
    path = export_framework(fw, args.out or Path(f"kerangka-{args.year}.xlsx"), force=args.force)
    out.print(f"Kerangka {markup(fw.label)} ditulis ke {markup(path)}", highlight=False, soft_wrap=True)
    return 0


def _batch_folders(args: argparse.Namespace, out: Console | None = None) -> tuple[list[Path], str]:
    """The batch's pemda folders and its name (:mod:`mcp_lib.pemda.discover`); the links left
    out are said on ``out``."""
    from mcp_lib.pemda.discover import in_province, matching

    if args.pemda_glob:
        found = matching(args.pemda_glob)
    else:
        found = in_province((args.data_dir or DATA_DIR) / "pemda", args.province)
    if out is not None:
        for link, real in found.links:
            out.print(
                f"{link} adalah tautan (symlink) ke {real}: pemda itu dihitung sekali", highlight=False, soft_wrap=True
            )
    return found.folders, found.name


def cmd_batch(args: argparse.Namespace, out: Console) -> int:
    """``mcp batch``: briefs for many pemda in parallel and the provincial overview."""
    from mcp_lib.pemda.snapshot import parse_period
    from mcp_lib.run.batch import BatchJob, run_batch
    from mcp_lib.run.overview import render_overview

    parse_period(args.period)
    folders, province = _batch_folders(args, Console(stderr=True, highlight=False))
    if not folders:
        where = args.pemda_glob or f"{(args.data_dir or DATA_DIR) / 'pemda'} (provinsi {args.province})"
        raise InputError.one(
            where,
            "tidak ada folder pemda (berisi pemda.toml) yang cocok",
            expected="periksa --pemda-glob/--province dan --data-dir",
        )
    jobs = [
        BatchJob(
            _brief_request(args, f.resolve()),  # absolute paths: workers elsewhere (dask)
            str(args.out.resolve()),
            force=args.force,
            restart_every=args.restart_every,
            brief_only=args.brief_only,
            pdf=args.pdf,
        )
        for f in folders
    ]
    if args.scheduler:
        from mcp_lib.run.cluster import dask_executor

        with dask_executor(args.scheduler, wait_for=args.wait_for_workers) as cluster:
            jobs = [dataclasses.replace(job, stop_event=cluster.stop_event) for job in jobs]
            out.print(
                f"{len(jobs)} pemda, klaster dask {args.scheduler} ({cluster.workers} pekerja) ...", highlight=False
            )
            report = run_batch(jobs, executor=cluster.executor, stop=cluster.stop, progress=sys.stderr.isatty())
    else:
        out.print(f"{len(jobs)} pemda, {args.workers} proses kerja ...", highlight=False)
        report = run_batch(jobs, workers=args.workers, progress=sys.stderr.isatty())
    if report.succeeded:
        path = render_overview(list(report.outcomes), province, args.period, args.out)
        out.print(f"Ringkasan provinsi: {path}", highlight=False, soft_wrap=True)
    out.print(
        f"Selesai: {len(report.succeeded)} brief dibuat, {len(report.failed)} gagal, "
        f"{text.number(report.seconds, 0)} detik.",
        highlight=False,
    )
    err = Console(stderr=True, highlight=False)
    for notice in sorted({o.notice for o in report.succeeded if o.notice}):  # e.g. no browser: said once
        err.print(notice, markup=False, soft_wrap=True)
    if report.failed:
        err.print("Gagal:", markup=False)
        for o in report.failed:
            err.print(f"- {Path(o.pemda).name}: {o.error}", markup=False, soft_wrap=True)
    if report.interrupted:
        out.print("Dihentikan (Ctrl-C): brief yang belum selesai tidak ditulis.", highlight=False)
        return 130
    return 1 if report.failed else 0


def cmd_snapshots(args: argparse.Namespace, out: Console) -> int:
    """``mcp snapshots`` / ``mcp snapshot list``: the pemda's snapshots, one line each."""
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


def cmd_init(args: argparse.Namespace, out: Console) -> int:
    """``mcp init``: a new pemda folder with ``pemda.toml``, ``status/`` and its Excel tracker."""
    from mcp_lib.pemda.onboard import init_pemda

    pemda, tracker = init_pemda(
        args.pemda,
        args.name,
        args.kind,
        args.province,
        args.framework,
        args.data_dir,
        target=args.target,
        deadline=args.deadline,
        last_final=args.last_final,
    )
    out.print(f"dibuat: {pemda.path / 'pemda.toml'}", highlight=False)
    out.print(f"dibuat: {tracker}", highlight=False)
    import shlex

    dd = f" --data-dir {shlex.quote(str(args.data_dir))}" if args.data_dir else ""
    mcp = shlex.quote(_mcp_command())
    out.print(
        f"Langkah berikut: periksa daftar OPD di pemda.toml, isi tracker di Excel, lalu\n"
        f"  {mcp} snapshot import {shlex.quote(str(tracker))} --date YYYY-MM-DD{dd}\n"
        f"  {mcp} brief --pemda {pemda.slug} --period YYYY-MM{dd}",
        highlight=False,
        markup=False,
        soft_wrap=True,
    )
    return 0


def cmd_tracker(args: argparse.Namespace, out: Console) -> int:
    """``mcp tracker``: write an empty Excel tracker for the pemda from its framework."""
    from mcp_lib.pemda.tracker import write_tracker

    pemda = load_pemda(args.pemda, args.data_dir)
    fw = pemda_framework(pemda, args.data_dir)
    path = write_tracker(pemda, fw, args.out or pemda.path / f"tracker-{fw.year}.xlsx", force=args.force)
    out.print(f"ditulis: {path}", highlight=False)
    return 0


def _tracker_pemda(args: argparse.Namespace):
    """The pemda a tracker belongs to: ``--pemda``, else the pemda folder the file sits in, else
    the pemda recorded in the tracker itself."""
    from mcp_lib.pemda.tracker_import import tracker_meta

    if args.pemda:
        return load_pemda(args.pemda, args.data_dir)
    folder = Path(args.file).resolve().parent
    if (folder / "pemda.toml").is_file():
        return load_pemda(folder)
    slug = tracker_meta(args.file).get("pemda") if Path(args.file).is_file() else None
    if slug:
        return load_pemda(str(slug), args.data_dir)
    raise InputError.one(str(args.file), "pemda tracker ini tidak diketahui", expected="sebutkan --pemda NAMA-FOLDER")


def cmd_snapshot_import(args: argparse.Namespace, out: Console) -> int:
    """``mcp snapshot import``: check a filled tracker and write it as the snapshot of a date."""
    from mcp_lib.import_changes import backward_problems, change_lines, import_changes
    from mcp_lib.pemda.snapshot import write_snapshot
    from mcp_lib.pemda.tracker_import import read_tracker

    pemda = _tracker_pemda(args)
    fw = pemda_framework(pemda, args.data_dir)
    target = pemda.status_dir / f"{args.date:%Y-%m-%d}.csv"
    snap, table = read_tracker(args.file, pemda, fw, args.date)
    changes = import_changes(snap, pemda, fw)
    back = backward_problems(changes, args.file, fw.levels)
    if back and not args.accept_backward:
        raise InputError(back)
    path = write_snapshot(table, target, force=args.force)
    out.print(f"ditulis: {path}", highlight=False)
    out.print(
        f"{pemda.name} per {text.date(args.date)}: nilai terverifikasi {text.percent(changes.verified)}, "
        f"klaim {text.percent(changes.claim)}",
        highlight=False,
    )
    for line in change_lines(changes, args.date):
        out.print(line, highlight=False, markup=False, soft_wrap=True)
    if back:
        out.print(
            f"Diterima dengan --terima-mundur: {len(changes.reverted)} dokumen kembali dari '{DIVERIFIKASI}'.",
            highlight=False,
        )
    return 0


def cmd_snapshot_export(args: argparse.Namespace, out: Console) -> int:
    """``mcp snapshot export``: write a period's snapshot as an Excel tracker."""
    from mcp_lib.pemda.tracker import export_tracker

    pemda = load_pemda(args.pemda, args.data_dir)
    fw = pemda_framework(pemda, args.data_dir)
    path = export_tracker(
        pemda, fw, args.period, args.out or pemda.path / f"tracker-{args.period}.xlsx", force=args.force
    )
    out.print(f"ditulis: {path}", highlight=False)
    return 0


def cmd_snapshot_counts(args: argparse.Namespace, out: Console) -> int:
    """``mcp snapshot counts``: write a pemda's blank dashboard-counts sheet (``--template``), or
    check a filled one (``--file``), print its scores and store it as ``counts/<date>.csv``; with
    ``--brief`` also its forecast and the brief from counts (:mod:`mcp_lib.brief.counts_page`)."""
    from mcp_lib.count_scores import score_counts
    from mcp_lib.pemda.counts import read_counts, store_counts

    if args.template and args.brief:
        args.usage_error("--brief hanya berlaku bersama --file")
    if args.file is not None and args.out is not None and not args.brief:
        args.usage_error("--out hanya berlaku bersama --template atau --brief")
    pemda = load_pemda(args.pemda, args.data_dir)
    fw = pemda_framework(pemda, args.data_dir)
    if args.template:
        return _counts_template(args, out, pemda, fw)
    counts = read_counts(args.file, fw, pemda)
    scores = score_counts(fw, pemda, counts)
    forecast = _counts_forecast(pemda, fw, counts) if args.brief else None  # every file read before any written
    path, written = store_counts(pemda, counts, force=args.force)
    out.print(
        f"{'ditulis' if written else 'sudah ada, isinya sama'}: {path}", highlight=False, markup=False, soft_wrap=True
    )
    for line in cmd_snapshot_counts_lines(pemda, scores):
        out.print(line, highlight=False, markup=False, soft_wrap=True)
    out.print(cmd_snapshot_counts_table(scores))
    if forecast is not None:
        from mcp_lib.brief.counts_page import CountsPage, write_counts_page
        from mcp_lib.config import OUTPUTS_DIR

        page = write_counts_page(
            CountsPage(pemda, fw, scores, forecast, Path(args.file)), args.out or OUTPUTS_DIR / pemda.slug
        )
        for line in (cmd_snapshot_counts_outlook(forecast), f"Brief dari angka dasbor (HTML, tanpa internet): {page}"):
            out.print(line, highlight=False, markup=False, soft_wrap=True)
    return 0


def _counts_template(args: argparse.Namespace, out: Console, pemda, fw) -> int:
    """``mcp snapshot counts --template``."""
    import shlex

    from mcp_lib.pemda.counts import template_path, write_counts_template

    path = write_counts_template(fw, pemda, args.out or template_path(pemda, fw), force=args.force)
    out.print(f"ditulis: {path}", highlight=False, markup=False, soft_wrap=True)
    dd = f" --data-dir {shlex.quote(str(args.data_dir))}" if args.data_dir else ""
    again = f"{shlex.quote(_mcp_command())} snapshot counts --pemda {pemda.slug} --file {shlex.quote(str(path))}"
    out.print(
        f"Isi angka dasbor jaga.id di sel kuning, lalu: {again}{dd}", highlight=False, markup=False, soft_wrap=True
    )
    return 0


def _counts_forecast(pemda, fw, counts):
    """The year's end from ``counts``, each area's pace from the pemda's stored counts sheets of
    the year (:func:`mcp_lib.count_forecast.forecast_counts`; the sheet given wins over a stored
    one of its date)."""
    from mcp_lib.count_forecast import forecast_counts
    from mcp_lib.pemda.counts import list_counts, read_counts

    stored = [
        read_counts(path, fw, pemda)
        for day, path in list_counts(pemda)
        if day.year == counts.date.year and day < counts.date
    ]
    return forecast_counts(fw, pemda, counts, history=stored)


def cmd_snapshot_counts_outlook(forecast) -> str:
    """The forecast from counts in one line."""
    from mcp_lib.forecast import WITHOUT_PLAN

    f = forecast.total
    return f"Proyeksi nilai final {WITHOUT_PLAN} (dari angka dasbor, bukan dokumen): {f.outlook.words(f.reachable)}"


def cmd_snapshot_counts_lines(pemda, scores) -> list[str]:
    """What ``mcp snapshot counts --file`` says above its table: the total, the dashboard's own
    total, the documents."""
    from mcp_lib.pemda.counts import COUNTS

    penalty = f"; {text.penalty(scores.penalty, scores.penalty_reason)}" if scores.penalty else ""
    lines = [
        f"{pemda.name} per {text.date(scores.date)}: nilai {text.percent(scores.verified)}, "
        f"predikat {scores.band.name}{penalty}",
        f"({scores.basis})",
    ]
    if scores.dashboard_total is not None:
        lines.append(f"Nilai total dasbor {text.percent(scores.dashboard_total, 2)}: cocok dengan nilai area berbobot")
    n = scores.areas[list(COUNTS)].sum()
    lines.append(
        f"Dokumen: {n['required']} wajib, {n['uploaded']} diunggah ({text.percent(scores.progress)}), "
        f"{n['accepted']} diterima ({text.percent(scores.accepted_share)}), {n['returned']} dikembalikan, "
        f"{n['awaiting']} menunggu verifikasi, {n['not_uploaded']} belum diunggah"
    )
    return lines


def cmd_snapshot_counts_table(scores):
    """The areas of ``mcp snapshot counts --file`` as a table."""
    from rich.table import Table

    from mcp_lib.pemda.counts import COUNTS

    columns = [
        "Area",
        "Bobot",
        "Nilai area",
        "Poin",
        "Wajib",
        "Diunggah",
        "Diterima",
        "Dikembalikan",
        "Menunggu",
        "Belum",
    ]
    table = Table(title="Nilai per area (dari angka dasbor)", title_justify="left", show_edge=False, pad_edge=False)
    for i, name in enumerate([*columns, "Predikat"]):
        table.add_column(name, justify="left" if i in (0, len(columns)) else "right", overflow="fold")
    for r in scores.areas.itertuples(index=False):
        table.add_row(
            markup(f"{r.area_code} {r.area_name}"),
            text.number(r.weight),
            text.number(r.area_score, 2),
            text.number(r.points, 2),
            *(str(getattr(r, name)) for name in COUNTS),
            markup(r.band),
        )
    return table


def cmd_import_kpk(args: argparse.Namespace, out: Console) -> int:
    """``mcp import-kpk``: import one sheet of a KPK export as a framework and a snapshot."""
    imp = import_kpk_export(args.file, year=args.year, instansi=args.instansi)
    scores = score_kind(imp.framework, imp.kind, imp.snapshot)
    for path in write_kpk_import(imp, args.data_dir or DATA_DIR, args.pemda, force=args.force):
        out.print(f"ditulis: {path}", highlight=False)
    out.print(
        f"{imp.instansi}: {len(imp.framework.subindicators)} sub-indikator, nilai terverifikasi "
        f"{text.percent(scores.verified)} per {text.date(imp.snapshot.date)}",
        highlight=False,
    )
    return 0
