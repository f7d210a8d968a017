"""Run the monthly brief: execute the notebooks with papermill, render, write atomically.

``outputs/<pemda>/<period>/`` receives the executed notebooks (provenance), ``brief.html`` and
``rencana-aksi.xlsx``. Everything is written to a temporary folder next to it and moved into
place only when every step has succeeded, so a failed run leaves no half-written month (a failed
notebook is kept, with its error, in ``<period>.gagal/`` beside it); an existing month is
replaced only with ``force``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import re
import secrets
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mcp_lib import text
from mcp_lib.brief import steps
from mcp_lib.brief.action_workbook import write_action_workbook
from mcp_lib.brief.data import BriefData, overview_row
from mcp_lib.brief.pdf import PdfUnavailable, write_pdf
from mcp_lib.brief.render import render_html
from mcp_lib.brief.render import warm_up as render_warm_up
from mcp_lib.brief.request import BriefRequest, step_fields
from mcp_lib.config import OUTPUTS_DIR, REPO_ROOT, inside
from mcp_lib.errors import InputError
from mcp_lib.files import keep_backup, process_alive, write_failed
from mcp_lib.pemda.model import check_name
from mcp_lib.pemda.snapshot import parse_period
from mcp_lib.run.kernel import BriefFailed, KernelSession, check_parameters, execute_notebook
from mcp_lib.since import same_meeting_year

__all__ = ["BRIEF_NOTEBOOK", "NOTEBOOKS", "NOTEBOOK_DIR", "BriefResult", "notebook_parameters", "run_brief"]

NOTEBOOK_DIR = REPO_ROOT / "notebooks"
NOTEBOOKS: dict[str, str] = {
    "01_capaian.ipynb": "capaian",
    "02_simulasi.ipynb": "simulasi",
    "03_brief.ipynb": "brief",
}
"""The notebooks run for a brief, in order, with the step each one is (:mod:`mcp_lib.brief.steps`).
Each receives the request's fields its step uses and ``run_dir`` (:func:`notebook_parameters`),
and its parameters cell declares exactly those. Each writes its results into ``run_dir`` (the
run's folder) and the next one reads them there; ``03_brief`` needs only the first two steps, so
``mcp brief`` runs it before ``02_simulasi`` finishes step 2 with the scenarios it alone shows."""
CAPAIAN_NOTEBOOK, SIMULASI_NOTEBOOK, BRIEF_NOTEBOOK = NOTEBOOKS
FAILED = ".gagal"
"""The suffix of the folder a failed run is kept in, beside its month: ``<period>.gagal/``."""


@dataclass(frozen=True)
class BriefResult:
    out_dir: Path
    html: Path
    workbook: Path
    notebooks: tuple[Path, ...]
    seconds: float
    summary: dict
    pdf: Path | None = None  # brief-<pemda>-<period>.pdf when asked for and a browser could print it
    notice: str | None = None  # why the PDF asked for was not made (the HTML is written anyway)
    summary_pdf: Path | None = None  # ringkasan-<pemda>-<period>.pdf: the two summary pages


def notebook_parameters(name: str, req: BriefRequest) -> dict[str, object]:
    """The parameters of notebook ``name`` for ``req``: the request's fields its step uses
    (:func:`mcp_lib.brief.request.step_fields`), and ``run_dir = "."``: the notebooks run in the
    run's folder, the folder they end up in, so an executed notebook opened there later reads
    the same files."""
    return {field: getattr(req, field) for field in step_fields(NOTEBOOKS[name])} | {"run_dir": "."}


def run_brief(
    request: BriefRequest,
    *,
    out_root: Path = OUTPUTS_DIR,
    force: bool = False,
    generated: dt.datetime | None = None,
    notebook_dir: Path = NOTEBOOK_DIR,
    session: KernelSession | None = None,
    brief_only: bool = False,
    pdf: bool = False,
) -> BriefResult:
    """Produce one month's brief for one pemda, as ``request`` asks.

    A request without ``since`` is compared with the pemda's last meeting in ``out_root``
    (:func:`last_meeting`). A scenario (``assume_done``, a file exported by the explorer) is
    written to ``<period>-skenario-<file name>`` so it never replaces the month's brief. With a
    :class:`KernelSession` the notebooks run in its warm kernel; without one, a kernel is started
    for this brief and shared by its notebooks (the user namespace is reset between them).
    ``brief_only`` runs just the brief notebook (batches at national scale), so the scenarios,
    which only ``02_simulasi`` shows, are not computed. ``pdf`` also prints the brief and its two
    summary pages to PDF (:func:`pdf_names`, :mod:`mcp_lib.brief.pdf`); when no browser can, the
    brief is written without it and :attr:`BriefResult.notice` says why.

    Raises
    ------
    InputError
        Bad input (checked before any notebook runs), or the month exists and ``force`` is off.
    BriefFailed
        A notebook cell failed; the month is not written, the run's folder is kept as
        ``<period>.gagal`` beside it and the message names the failed notebook there.
    """
    started = time.perf_counter()
    req, folder, out_dir = _month(request, Path(out_root))
    runs = [(Path(notebook_dir) / name, notebook_parameters(name, req)) for name in _notebooks(brief_only)]
    own_session = session is None
    session = session or KernelSession()
    notebook = {src.name: (src, own) for src, own in runs}
    step_two = threading.Event()  # step 2 written, or the run failed
    stopped = threading.Event()  # the run failed: start no further notebook
    executed = threading.Event()  # 03_brief ran, or the chain failed before it did
    brief_ran = threading.Event()  # 03_brief ran: its notebook is there to render

    def kernel_side() -> None:
        """Each notebook's parameters checked (before any runs; here, since it imports papermill,
        while step 2 is computed), then 01_capaian, (once step 2 is written) 03_brief and
        02_simulasi, in the kernel."""
        try:
            for src, own in runs:
                check_parameters(src, own, exact=True)
            if CAPAIAN_NOTEBOOK in notebook and not stopped.is_set():
                _run_notebook(session, *notebook[CAPAIAN_NOTEBOOK], tmp)
            step_two.wait()
            if not stopped.is_set():
                _run_notebook(session, *notebook[BRIEF_NOTEBOOK], tmp)
                brief_ran.set()
            executed.set()
            if SIMULASI_NOTEBOOK in notebook and not stopped.is_set():
                _run_notebook(session, *notebook[SIMULASI_NOTEBOOK], tmp)
        finally:
            executed.set()

    # The run's folder first: an outputs folder that cannot be written is said before a kernel
    # starts (a batch into a read-only folder started one per pemda for nothing).
    tmp, made = _run_folder(out_dir)
    if force or not out_dir.exists():  # else step 1 refuses the month: no kernel for nothing
        # The kernel boots on the other core while the inputs are checked and step 1 is computed
        # here (it runs no notebook until they are: bad input stops it unused).
        session.launch()
    try:
        _first_step(req, out_dir, tmp, made, force)
    except BaseException:
        if own_session:
            session.close()
        raise
    chain: _Background | None = None
    try:
        # Step 1 is written. A thread, which only waits for the kernel's messages, runs
        # 01_capaian in the kernel (it reads step 1) while step 2 is computed here, then 03_brief
        # (it reads both) and 02_simulasi while the scenarios, which only 02_simulasi's last
        # table shows, are planned here (that cell waits for them: a step is computed under a
        # claim, :func:`mcp_lib.files.claimed`) and the action workbook is written; the brief is
        # rendered once 03_brief ran. A national batch runs only 03_brief, plans no scenarios and
        # writes the workbook while it runs.
        chain = _Background(kernel_side)
        try:
            steps.simulasi(req, tmp, say=None)
        except BaseException:
            stopped.set()  # before 03_brief is let go: it must not run without step 2
            raise
        finally:
            step_two.set()
        if not chain.running():  # 01_capaian (or a notebook's parameters) failed: say so now
            chain.result()
        # The export's start-up (nbconvert, its templates) is done in a thread meanwhile.
        warm = None if brief_only else _Background(render_warm_up, quiet=True)
        if not brief_only:
            steps.skenario(req, tmp, say=None)
        data = _write_workbook(req, tmp)
        executed.wait()
        if not brief_ran.is_set():  # a notebook failed: say so (the thread is ending)
            chain.wait()
            chain.result()
        if warm is not None:
            warm.result()
        printed, notice = _write_brief(tmp, folder, generated, data, pdf=pdf)
        chain.result()
        _move_into_place(tmp, out_dir)
    except BaseException as exc:
        stopped.set()
        if chain is not None and chain.running():  # stop its notebook before its folder goes
            session.close()
            chain.wait()
        if isinstance(exc, OSError):  # e.g. the disk filled up: the month is named, not the run's folder
            write_failed(exc, out_dir, temporary=tmp)
        if isinstance(exc, BriefFailed):
            raise _keep_failed(exc, tmp, out_dir) from None
        raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if own_session:
            session.close()
    shutil.rmtree(_failed_folder(out_dir), ignore_errors=True)  # a failure since made good
    return BriefResult(
        out_dir=out_dir,
        html=out_dir / "brief.html",
        workbook=out_dir / WORKBOOK,
        notebooks=tuple(out_dir / src.name for src, _ in runs),
        seconds=time.perf_counter() - started,
        summary=overview_row(data),
        pdf=out_dir / printed[0] if printed else None,
        summary_pdf=out_dir / printed[1] if printed else None,
        notice=notice,
    )


def _month(request: BriefRequest, out_root: Path) -> tuple[BriefRequest, str, Path]:
    """The request as this run makes it (compared with the last meeting in ``out_root`` when it
    names none), the month's folder name and the month's folder, which must be inside ``out_root``."""
    slug = check_name(Path(request.pemda).name, request.pemda)
    req = dataclasses.replace(
        request,
        since=request.since or str(last_meeting(out_root / slug, request.period) or ""),
    )
    folder = steps.month_folder(req.period, req.assume_done)
    out_dir = out_root / slug / folder
    if not inside(out_dir.parent, out_root):
        raise InputError.one(
            str(out_dir), "folder keluaran di luar folder keluaran yang dipilih", expected=str(out_root)
        )
    return req, folder, out_dir


WORKBOOK = "rencana-aksi.xlsx"
"""The action workbook beside the brief (:mod:`mcp_lib.brief.action_workbook`)."""


def _write_workbook(req: BriefRequest, tmp: Path) -> BriefData:
    """``rencana-aksi.xlsx`` in ``tmp`` from the steps' files, as ``03_brief`` reads them (it needs
    no notebook: it is written while the kernel runs ``03_brief``); the brief's data (read from
    memory: this process wrote both steps)."""
    data = steps.brief(req, tmp, say=None)
    write_action_workbook(data, tmp / WORKBOOK)
    return data


def _write_brief(
    tmp: Path, folder: str, generated: dt.datetime | None, data: BriefData, *, pdf: bool
) -> tuple[tuple[str, ...], str | None]:
    """The run's brief once its notebooks ran in ``tmp``: ``brief.html`` rendered from
    ``03_brief`` and the PDFs when asked for (their names, or why not)."""
    month = text.month(data.snapshot.date)
    title = f"Brief MCP {data.pemda.name}: {month}"
    footer = f"{data.pemda.name} · data per {text.date(data.snapshot.date)}"
    render_html(tmp / BRIEF_NOTEBOOK, tmp / "brief.html", generated, title, footer=footer)
    if not pdf:
        return (), None
    return _print_pdfs(tmp, data.pemda.slug, folder, generated, title, footer)


def _notebooks(brief_only: bool) -> list[str]:
    return [BRIEF_NOTEBOOK] if brief_only else list(NOTEBOOKS)


def _run_folder(out_dir: Path) -> tuple[Path, list[Path]]:
    """A new temporary folder for this run beside ``out_dir``, made now (with the folders above
    it that were missing, returned innermost first, to be removed again if step 1 fails): an
    outputs folder that cannot be written is an error in words naming the month."""
    _remove_stale(out_dir)
    tmp = out_dir.with_name(f".{out_dir.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}")
    made = [folder for folder in tmp.parents if not folder.exists()]
    try:
        tmp.mkdir(parents=True)
    except OSError as exc:
        _remove_made(made)
        write_failed(exc, out_dir)  # a read-only outputs folder: said in words, naming the month
        raise
    return tmp, made


def _remove_made(made: list[Path]) -> None:
    """Remove the folders a failed run made (innermost first), each only while it is empty."""
    for folder in made:
        try:
            folder.rmdir()
        except OSError:
            return


def _first_step(req: BriefRequest, out_dir: Path, tmp: Path, made: list[Path], force: bool) -> None:
    """Step 1 computed here, into the run's folder ``tmp`` beside ``out_dir``: every input is read
    and checked before any notebook runs (bad input: an error in words, nothing left behind, not
    even the folders ``made`` for the run); then a month that exists is refused without ``force``."""
    try:
        steps.capaian(req, tmp, say=None)
        if out_dir.exists() and not force:
            scenario = f" dengan skenario {Path(req.assume_done).name}" if req.assume_done else ""
            raise InputError.one(
                str(out_dir / "brief.html"),
                f"brief periode {req.period}{scenario} sudah ada dan tidak ditimpa",
                expected="jalankan lagi dengan --force (make brief FORCE=1) untuk membuat ulang",
            )
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        _remove_made(made)
        if isinstance(exc, OSError):  # a full outputs folder: said in words, naming the month
            write_failed(exc, out_dir)
        raise


def _failed_folder(out_dir: Path) -> Path:
    return out_dir.with_name(out_dir.name + FAILED)


def _keep_failed(exc: BriefFailed, tmp: Path, out_dir: Path) -> BriefFailed:
    """Keep the failed run's folder as ``<period>.gagal`` beside the month (replacing an earlier
    failure's, never a brief): the failed notebook there shows its error. The error returned
    names that notebook; ``exc`` itself when there is none or the folder cannot be kept."""
    if exc.notebook is None:
        return exc
    kept = _failed_folder(out_dir)
    try:
        shutil.rmtree(kept, ignore_errors=True)
        tmp.rename(kept)
    except OSError:
        return exc
    notebook = kept / exc.notebook.name
    return BriefFailed(f"{exc}\nNotebook yang gagal, dengan galatnya, disimpan di {notebook}", notebook)


_PERIOD_FOLDER = re.compile(r"\d{4}-\d{2}")


def last_meeting(pemda_outputs: Path, period: str) -> Path | None:
    """The folder of the latest brief of the same year before ``period`` in ``pemda_outputs``
    (``outputs/<pemda>/``): the last meeting, which the new brief reports changes since. ``None``
    when there is none (the brief then compares with the previous snapshot)."""
    year, month = parse_period(period)
    found = []
    if pemda_outputs.is_dir():
        for d in pemda_outputs.iterdir():
            if not (_PERIOD_FOLDER.fullmatch(d.name) and (d / "brief.html").is_file()):
                continue
            y, m = parse_period(d.name)
            if (y, m) < (year, month) and same_meeting_year(y, month, year):
                found.append(((y, m), d))
    return max(found)[1] if found else None


def pdf_names(slug: str, folder: str) -> tuple[str, str]:
    """The PDFs' file names, with pemda and period (they travel alone, in WhatsApp groups):
    ``brief-kab-musi-rawas-2025-10.pdf`` and ``ringkasan-kab-musi-rawas-2025-10.pdf``."""
    return f"brief-{slug}-{folder}.pdf", f"ringkasan-{slug}-{folder}.pdf"


def _print_pdfs(
    tmp: Path, slug: str, folder: str, generated: dt.datetime | None, title: str, footer: str
) -> tuple[tuple[str, ...], str | None]:
    """Print the whole brief and its two summary pages (rendered on their own) to PDF; the names
    printed, or why not."""
    full, summary = pdf_names(slug, folder)
    try:
        write_pdf(tmp / "brief.html", tmp / full)
        short = tmp / ".ringkasan.html"
        render_html(tmp / BRIEF_NOTEBOOK, short, generated, title, footer=footer, until_appendix=True)
        try:
            write_pdf(short, tmp / summary)
        finally:
            short.unlink(missing_ok=True)
    except PdfUnavailable as exc:
        (tmp / full).unlink(missing_ok=True)
        return (), str(exc)
    return (full, summary), None


def _run_notebook(session: KernelSession, src: Path, own: dict, run: Path) -> None:
    km = session.prepare(cwd=run, relaunch=False)
    execute_notebook(src, run / src.name, own, run, km)


class _Background:
    """``work`` in a daemon thread; :meth:`result` waits for it and raises its failure (unless
    ``quiet``: warm-up work whose failure the real call meets again in the foreground)."""

    def __init__(self, work: Callable[[], None], *, quiet: bool = False) -> None:
        self.failure: BaseException | None = None
        self.quiet = quiet

        def run() -> None:
            try:
                work()
            except BaseException as exc:  # handed to the caller by result()
                self.failure = exc
            finally:
                _close_thread_loop()

        self.thread = threading.Thread(target=run, name="mcp-brief-background", daemon=True)
        self.thread.start()

    def running(self) -> bool:
        return self.thread.is_alive()

    def wait(self) -> None:
        self.thread.join()

    def result(self) -> None:
        self.thread.join()
        if self.failure is not None and not self.quiet:
            raise self.failure


def _close_thread_loop() -> None:
    """Close the event loop the kernel's client made for this thread (jupyter_core makes one per
    thread and never closes it): three file descriptors a thread, which a batch worker, starting
    threads for every brief, would otherwise leak until it hit the open-files limit."""
    import asyncio

    with contextlib.suppress(RuntimeError):
        loop = asyncio.get_event_loop_policy().get_event_loop()
        if not loop.is_running():
            loop.close()
        asyncio.set_event_loop(None)


def _remove_stale(out_dir: Path) -> None:
    """Remove temporary folders of this month left by runs that were killed (``kill -9``, power
    cut): their names carry the process id, and only those of dead processes are removed."""
    for stale in out_dir.parent.glob(f".{out_dir.name}.tmp-*"):
        pid = stale.name.removeprefix(f".{out_dir.name}.tmp-").split("-")[0]
        if pid.isdigit() and not process_alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)


def _move_into_place(tmp: Path, out_dir: Path) -> None:
    """Put the complete new month ``tmp`` in place of ``out_dir`` with renames only (same file
    system, so each step is atomic).

    A month being replaced (``--force``) is first renamed ``<period>.bak-<timestamp>`` and
    removed only once the new one is in place: at every moment either the old or the new month
    is on disk, complete, under a name the analyst recognises.
    """
    old = keep_backup(out_dir)
    try:
        tmp.rename(out_dir)
    except OSError:
        if old is not None:
            old.rename(out_dir)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
