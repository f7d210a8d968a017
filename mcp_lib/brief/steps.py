"""The brief's three steps and the files they hand to each other, in the open.

1. **Capaian** (``01_capaian``, :func:`capaian`): load and check the inputs, score the period's
   snapshot, the history and the trend → ``<run>/capaian/`` (:class:`Capaian`).
2. **Simulasi** (``02_simulasi``, :func:`simulasi`): plan the way to each target under
   verification risk and forecast the final score, from step 1's results → ``<run>/simulasi/``
   (:class:`Simulasi`); then, for that notebook only (:func:`skenario`), the plan under the
   standard scenarios → ``<run>/skenario-rencana/`` (:class:`SkenarioRencana`): the brief does not
   show them, so ``mcp brief`` plans them while the kernel runs ``03_brief``, and a national batch
   never does.
3. **Brief** (``03_brief``, :func:`brief`): both steps' results, to show; it writes no file of its own.

Each step has one door, called with the brief's request (:class:`~mcp_lib.brief.request.BriefRequest`)
and the run's folder by the notebooks and by ``mcp brief`` alike. A door reads the step's files
when they are fresh, else computes the step and writes them, and says which (a line in Bahasa
Indonesia the notebook shows). One rule decides freshness for every step (:func:`made_from`):
the request's fields the step depends on, the SHA-256 of each of its input files (step 2's is
step 1's ``capaian.json``), and the code fingerprint (:func:`code_version`) make one key; each
step's files record theirs, and they are reused iff it is the key now. So every notebook also
runs on its own, and ``mcp brief`` computes steps 1 and 2 itself while the kernel starts and the
notebooks read them. The files are JSON plus one CSV per table (:mod:`mcp_lib.io.records`).
:func:`prepare` computes all three in memory, for tests.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, replace
from pathlib import Path
from typing import ClassVar, TypeVar

import pandas as pd

from mcp_lib.brief.data import BriefData, FrameworkChange, last_final_change
from mcp_lib.brief.request import BriefRequest, step_fields
from mcp_lib.config import OUTPUTS_DIR, PACKAGE_DIR, frameworks_dirs
from mcp_lib.errors import InputError
from mcp_lib.files import claimed
from mcp_lib.forecast import Forecast, OpdPace, Outlook, forecast_pemda
from mcp_lib.framework.calendar import Calendar
from mcp_lib.framework.folder import find_framework
from mcp_lib.framework.model import Band, Framework
from mcp_lib.io import records
from mcp_lib.pemda.model import Pemda, pemda_calendar, pemda_framework
from mcp_lib.pemda.settings import load_pemda
from mcp_lib.pemda.snapshot import Snapshot, list_snapshots, load_history, load_period
from mcp_lib.plan.planner import Option, Plan, PlanOptions, Verdict, plan_path
from mcp_lib.plan.scenario import apply_assumptions, read_assumptions, scenarios
from mcp_lib.plan.targets import TargetPlans, default_targets, plan_targets
from mcp_lib.schedule import planning_horizon
from mcp_lib.scoring import Scores, score_snapshot
from mcp_lib.since import Since, compare, previous_snapshot, waiting_since
from mcp_lib.statuses import DIUNGGAH
from mcp_lib.text import slugify
from mcp_lib.trend import Trend, compute_trend, opd_history, score_history

__all__ = [
    "Capaian",
    "MadeFrom",
    "Simulasi",
    "SkenarioRencana",
    "brief",
    "capaian",
    "code_version",
    "default_run_dir",
    "made_from",
    "month_folder",
    "prepare",
    "provenance",
    "simulasi",
    "skenario",
]

CAPAIAN, SIMULASI, SKENARIO = "capaian", "simulasi", "skenario-rencana"
"""The step folders inside a run folder (and the names of their JSON files)."""
ABSENT = "(tidak ada)"
"""The checksum of an input that is not there (a framework that may be added later)."""

Say = Callable[[str], object] | None
"""Where a door says what it did: ``print`` in a notebook, ``None`` (silent) in ``mcp brief``."""


@dataclass(frozen=True, eq=False)
class MadeFrom:
    """What a step's results were made from (:func:`made_from`): they are reused only while
    :attr:`key` is the key of what the step would be made from now."""

    key: str
    """SHA-256 over the three below: the one thing compared."""
    request: dict[str, object]
    """The request's fields the step depends on (:func:`mcp_lib.brief.request.step_fields`)."""
    files: pd.DataFrame
    """Every input file (relative to the run folder when inside it, else absolute) with its SHA-256."""
    code: str
    """Fingerprint of the package that computed it (:func:`code_version`)."""


@dataclass(frozen=True, eq=False)
class Capaian:
    """What step 1 computes: the achievement of one pemda in one period."""

    request: BriefRequest
    snapshot: Snapshot
    """The period's snapshot as scored (with the scenario's assumptions, if any)."""
    scores: Scores
    history: pd.DataFrame
    trend: Trend
    target: float
    """The target the brief uses: the request's, else the pemda's own."""
    provenance: pd.DataFrame
    assumed_done: tuple[str, ...] = ()
    assumed_rejected: tuple[str, ...] = ()
    framework_change: FrameworkChange | None = None
    opd_history: pd.DataFrame | None = None
    """Documents per OPD and snapshot (:func:`mcp_lib.trend.opd_history`): the OPDs' pace."""
    previous: Snapshot | None = None
    """The snapshot of the last meeting (:func:`mcp_lib.since.previous_snapshot`)."""
    since: Since | None = None
    """What changed since then (:func:`mcp_lib.since.compare`)."""
    previous_forecast: Forecast | None = None
    """The projection the last meeting's brief showed (read from its folder), if there is one."""
    waiting: pd.DataFrame | None = None
    """Since when each document awaiting verification has waited (:func:`mcp_lib.since.waiting_since`)."""
    made_from: MadeFrom | None = None
    """What it was made from, when written by its door (``None`` in memory: :func:`prepare`)."""


@dataclass(frozen=True, eq=False)
class Simulasi:
    """What step 2 computes from a :class:`Capaian`: plans and forecast."""

    confidence: float
    plans: TargetPlans
    forecast: Forecast
    base: Verdict | None = None
    """The verdict of the target's own plan, before any nesting with a lower target's (the plans'
    last may be a nested variant): the base of the scenarios (:func:`skenario`)."""
    previous_forecast: Forecast | None = None
    """The projection at the last meeting's snapshot: the one its brief showed, else computed now."""
    made_from: MadeFrom | None = None
    """What it was made from, when written by its door (``None`` in memory: :func:`prepare`)."""

    RETIRED_FIELDS: ClassVar[tuple[str, ...]] = ("capaian", "code", "scenarios")
    """Fields of the files written before the one freshness rule (the SHA-256 of ``capaian.json``
    and the code fingerprint, now in :attr:`made_from`) and before the scenarios became a step of
    their own (:class:`SkenarioRencana`): last month's folder may hold such a file, and the brief
    still reads the plan and the projection it showed (:func:`_last_brief`)."""


@dataclass(frozen=True, eq=False)
class SkenarioRencana:
    """What the scenarios' step computes from a :class:`Simulasi`: the plan under each standard
    scenario (:func:`mcp_lib.plan.scenario.scenarios`), which only ``02_simulasi`` shows."""

    table: pd.DataFrame
    made_from: MadeFrom | None = None


records.register(
    MadeFrom,
    Capaian,
    Simulasi,
    SkenarioRencana,
    Snapshot,
    Scores,
    Band,
    Trend,
    FrameworkChange,
    TargetPlans,
    Plan,
    Verdict,
    Option,
    Calendar,
    Forecast,
    Outlook,
    OpdPace,
    Since,
)


# --- the doors ------------------------------------------------------------------------------------


def capaian(req: BriefRequest, run_dir: str | Path | None = None, *, say: Say = print) -> BriefData:
    """Step 1 (``01_capaian``): its results in ``<run_dir>/capaian/``, read when fresh, else
    computed and written; the data its sections show (no plans yet). ``run_dir`` empty: the lab
    folder (:func:`default_run_dir`).

    Raises
    ------
    InputError
        An input file is missing or wrong (named with row and column); nothing is written.
    """
    run = _run_dir(run_dir, req)
    cap, p, fw = _step_one(req, run, say)
    return _brief_data(p, fw, cap)


def simulasi(req: BriefRequest, run_dir: str | Path | None = None, *, say: Say = print) -> BriefData:
    """Step 2 (``02_simulasi``): step 1's results as :func:`capaian` gives them, then step 2's
    in ``<run_dir>/simulasi/``, read when fresh (``mcp brief`` computes them while the kernel
    starts), else computed and written; the data its sections show."""
    run = _run_dir(run_dir, req)
    cap, p, fw = _step_one(req, run, say)
    return _brief_data(p, fw, cap, _step_two(req, run, cap, p, fw, say))


def skenario(req: BriefRequest, run_dir: str | Path | None = None, *, say: Say = print) -> BriefData:
    """Step 2's scenarios (``02_simulasi`` only): both steps' results as :func:`simulasi` gives
    them, then the plan under the standard scenarios in ``<run_dir>/skenario-rencana/``, read when
    fresh, else computed and written (``mcp brief`` computes them while the kernel runs
    ``03_brief``). The brief itself never shows them."""
    run = _run_dir(run_dir, req)
    # 02_simulasi's first cell read (and said) both steps: here only what is computed is said
    cap, p, fw = _step_one(req, run, _ComputedOnly(say))
    sim = _step_two(req, run, cap, p, fw, _ComputedOnly(say))
    made = made_from(SKENARIO, req, [run / SIMULASI / f"{SIMULASI}.json"], run)
    sk = _step(run, SKENARIO, SkenarioRencana, made, lambda: _compute_skenario(req, cap, sim, p, fw), say)
    return _brief_data(p, fw, cap, sim, sk)


def brief(req: BriefRequest, run_dir: str | Path | None = None, *, say: Say = print) -> BriefData:
    """Step 3 (``03_brief``): the data the brief shows, both steps' results as :func:`simulasi`
    gives them (without the scenarios, which the brief does not show). The brief writes no step
    file of its own: ``mcp brief`` renders the notebook."""
    return simulasi(req, run_dir, say=say)


def prepare(req: BriefRequest, *, scenarios: bool = False) -> BriefData:
    """Everything for the brief of ``req`` computed in memory, no file read or written but the
    inputs (tests, benchmarks); with ``scenarios`` also the plan under the standard scenarios
    (``02_simulasi``'s last table).

    Raises
    ------
    InputError
        An input file is missing or wrong (named with row and column).
    """
    p, fw = _pemda_and_framework(req)
    cap = _compute_capaian(req, p, fw)
    sim = _compute_simulasi(req, cap, p, fw)
    return _brief_data(p, fw, cap, sim, _compute_skenario(req, cap, sim, p, fw) if scenarios else None)


# --- freshness ------------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@functools.cache
def code_version() -> str:
    """SHA-256 over this package's files (modules and templates, by relative path): step results
    are reused only when computed by the same code."""
    root = PACKAGE_DIR
    h = hashlib.sha256()
    for f in sorted(root.rglob("*")):
        if f.is_file() and "__pycache__" not in f.parts:
            h.update(f.relative_to(root).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


def made_from(step: str, req: BriefRequest, files: Sequence[Path], run: Path) -> MadeFrom:
    """The freshness key of every step: the request's fields ``step`` depends on
    (:func:`~mcp_lib.brief.request.step_fields`), the SHA-256 of each of its input ``files`` and
    the code fingerprint (:func:`code_version`). A step's files are reused iff the key they
    record is this one. Files inside the ``run`` folder are named relative to it: the folder
    moves into place after ``mcp brief``, and an executed notebook opened there reads the same."""
    request = {name: getattr(req, name) for name in step_fields(step)}
    sums = [_sha256(f) if Path(f).is_file() else ABSENT for f in files]
    table = pd.DataFrame({"file": [_key_name(f, run) for f in files], "sha256": sums})
    code = code_version()
    body = {"step": step, "request": request, "files": table.to_numpy().tolist(), "code": code}
    key = hashlib.sha256(json.dumps(body, sort_keys=True).encode("utf-8")).hexdigest()
    return MadeFrom(key=key, request=request, files=table, code=code)


def _key_name(path: Path, run: Path) -> str:
    full, root = Path(path).resolve(), Path(run).resolve()
    return full.relative_to(root).as_posix() if full.is_relative_to(root) else str(full)


def _why(old: MadeFrom, new: MadeFrom) -> str:
    """Why results made from ``old`` are not those of ``new``, in words."""
    if old.code != new.code:
        return "kode mcp_lib berubah"
    fields = [name for name in new.request if old.request.get(name) != new.request[name]]
    if fields:
        return "parameter berubah: " + ", ".join(fields)
    rows = {tuple(r) for r in old.files.to_numpy().tolist()} ^ {tuple(r) for r in new.files.to_numpy().tolist()}
    names = sorted({Path(str(r[0])).name for r in rows})
    if names:
        more = f" dan {len(names) - 3} lainnya" if len(names) > 3 else ""
        return "berkas masukan berubah: " + ", ".join(names[:3]) + more
    return "dibuat dari masukan lain"


_Result = TypeVar("_Result", Capaian, Simulasi, SkenarioRencana)


def _step(
    run: Path, name: str, kind: type[_Result], made: MadeFrom, compute: Callable[[], _Result], say: Say
) -> _Result:
    """The results (a ``kind``) of step ``name`` in ``<run>/<name>/``: read when they record the
    key ``made``, else computed, written with it, and returned; says which.

    A step is computed under a claim in the run's folder (:func:`mcp_lib.files.claimed`): a
    process that needs it while another computes it waits and reads it (``02_simulasi`` shows the
    scenarios ``mcp brief`` plans meanwhile)."""
    folder = run / name
    old, there = _read_step(folder, name)
    if _fresh(old, kind, made):
        _said_read(say, name, folder)
        return old  # type: ignore[return-value]
    # A run's folder made by this step (step 1 of a new run: nobody else can be computing in it)
    # is made only once the step is written, so bad input leaves nothing behind.
    claim = claimed(run / f".{name}.dihitung") if run.is_dir() else nullcontext(False)
    with claim as waited:
        if waited:  # another process computed it meanwhile
            old, there = _read_step(folder, name)
            if _fresh(old, kind, made):
                _said_read(say, name, folder)
                return old  # type: ignore[return-value]
        before = old.made_from if isinstance(old, kind) else None
        if not there:
            why = f"dihitung (belum ada di folder {folder})"
        elif before is not None:
            why = f"dihitung ulang: {_why(before, made)}"
        else:
            why = f"dihitung ulang: hasil di {folder} tidak terbaca (dibuat versi lain)"
        _say(say, f"Langkah {name}: {why}")
        result = replace(compute(), made_from=made)
        _write_step(result, folder, name)
        return result


def _fresh(old: object, kind: type[_Result], made: MadeFrom) -> bool:
    """Whether ``old`` (read from a step's folder) is a ``kind`` made from ``made``."""
    return isinstance(old, kind) and old.made_from is not None and old.made_from.key == made.key


def _say(say: Say, line: str) -> None:
    if say is not None:
        say(line)


class _ComputedOnly:
    """A ``say`` that passes on the steps computed, not those read."""

    def __init__(self, say: Say) -> None:
        self.say = say

    def __call__(self, line: str) -> None:
        _say(self.say, line)


def _said_read(say: Say, name: str, folder: Path) -> None:
    if not isinstance(say, _ComputedOnly):
        _say(say, f"Langkah {name}: dibaca dari folder {folder} (masukan dan kode sama)")


_WRITTEN: dict[str, tuple[Path, str, object]] = {}
"""The last results of each step this process wrote or read: its folder, the SHA-256 of its JSON
file, the result. They are taken from memory instead of parsed again while that file is unchanged
(``mcp brief`` writes step 1 and reads it for step 2 and the brief's data; its kernel reads both
steps for ``03_brief``, then for ``02_simulasi``'s first cell and again for its last). Nothing
changes a step's results once made (the sections work on copies)."""


def _write_step(result: Capaian | Simulasi | SkenarioRencana, folder: Path, name: str) -> None:
    path = records.write_record(result, folder, name)
    _WRITTEN[name] = (folder.resolve(), _sha256(path), result)


def _read_step(folder: Path, name: str) -> tuple[object | None, bool]:
    """A step's results in ``folder`` (``None`` when unreadable: made by another version), and
    whether there are any."""
    path = folder / f"{name}.json"
    if not path.is_file():
        return None, False
    kept = _WRITTEN.get(name)
    sha = _sha256(path)
    if kept is not None and kept[0] == folder.resolve() and kept[1] == sha:
        return kept[2], True
    try:
        result = records.read_record(folder, name)
    except (InputError, OSError, TypeError, ValueError, KeyError):
        return None, True
    if _sha256(path) == sha:  # not written again while it was read
        _WRITTEN[name] = (folder.resolve(), sha, result)
    return result, True


# --- step 1: capaian ------------------------------------------------------------------------------


def _pemda_and_framework(req: BriefRequest) -> tuple[Pemda, Framework]:
    data_dir = Path(req.data_dir) if req.data_dir else None
    p = load_pemda(req.pemda, data_dir)
    return p, pemda_framework(p, data_dir)


def _step_one(req: BriefRequest, run: Path, say: Say) -> tuple[Capaian, Pemda, Framework]:
    p, fw = _pemda_and_framework(req)
    made = made_from(CAPAIAN, req, _sources(p, fw, req), run)
    return _step(run, CAPAIAN, Capaian, made, lambda: _compute_capaian(req, p, fw), say), p, fw


def provenance(
    pemda: Pemda, framework: Framework, snapshots: list[Snapshot], extra: tuple[Path, ...] = ()
) -> pd.DataFrame:
    """Input files and their SHA-256 checksums (paths relative to the data root when inside it)."""
    files = [pemda.path / "pemda.toml"]
    if framework.path is not None:
        files += _framework_files(framework.path)
    files += [s.path for s in snapshots]
    files += list(extra)
    rows = []
    for f in files:
        shown = f
        for root in (pemda.data_root, framework.path.parent.parent if framework.path else None):
            if root is not None and f.resolve().is_relative_to(root.resolve()):
                shown = f.resolve().relative_to(root.resolve())
                break
        rows.append({"file": str(shown), "sha256": _sha256(f)})
    return pd.DataFrame(rows)


def _sources(p: Pemda, fw: Framework, req: BriefRequest) -> list[Path]:
    """Every file the achievement depends on: pemda.toml, the framework's files and those of the
    framework of the last final score (the brief compares the two), every status file of the
    pemda (a new snapshot changes the period's), the scenario, the last meeting's simulation."""
    files = [p.path / "pemda.toml"]
    if fw.path is not None:
        files += _framework_files(fw.path)
    files += _last_final_framework(p, fw, req)
    files += [path for _date, path in list_snapshots(p)]
    if req.assume_done:
        files.append(Path(req.assume_done))
    last = Path(req.since) / SIMULASI / f"{SIMULASI}.json"
    if req.since and last.is_file():
        files.append(last)
    return files


def _framework_files(folder: Path) -> list[Path]:
    """The files a framework is read from (tables and framework.toml; not its README)."""
    return sorted(f for f in folder.iterdir() if f.is_file() and f.suffix.lower() in (".csv", ".xlsx", ".toml"))


def _last_final_framework(p: Pemda, fw: Framework, req: BriefRequest) -> list[Path]:
    """The files of the framework of the pemda's last final score, when it is another year's
    (:func:`~mcp_lib.brief.data.last_final_change` reads it); when there is none, each folder it
    is looked for in, so that adding it later changes the key."""
    if p.last_final is None or p.last_final[0] == fw.year:
        return []
    year, data_dir = p.last_final[0], Path(req.data_dir) if req.data_dir else p.data_root
    try:
        return _framework_files(find_framework(year, data_dir))
    except InputError:
        return [base / f"mcp-{year}" for base in frameworks_dirs(data_dir)]


def _compute_capaian(req: BriefRequest, p: Pemda, fw: Framework) -> Capaian:
    """Step 1 in memory: score the inputs and compare with the last meeting (``req.since``: the
    folder of its brief; without one, the previous snapshot of the year)."""
    snap = load_period(p, fw, req.period)
    # the earlier snapshots, then the period's own (read once: it was just loaded and checked)
    snaps = [*load_history(p, fw, until=snap.date - dt.timedelta(days=1)), snap]
    done: list[str] = []
    rejected: list[str] = []
    if req.assume_done:
        done, rejected = read_assumptions(req.assume_done, set(fw.documents["doc_code"]))
        snap = apply_assumptions(fw, snap, done, rejected, source=req.assume_done)
        snaps = [*snaps[:-1], snap]
    history = score_history(fw, p, snaps)
    target = float(req.target or p.target)
    calendar = pemda_calendar(p, fw)
    horizon, closed, _notes = planning_horizon(p.deadline, calendar, snap.date)
    horizon = calendar.close if closed else horizon
    files = tuple(s.path for s in snaps)
    extra = (Path(req.assume_done),) if req.assume_done else ()
    previous = previous_snapshot(snaps[:-1], req.period, Path(req.since).name if req.since else None)
    planned, shown = _last_brief(Path(req.since)) if req.since else ((), None)
    return Capaian(
        request=req,
        snapshot=snap,
        scores=score_snapshot(fw, p, snap),
        history=history,
        trend=compute_trend(fw, p, snaps, target=target, history=history, deadline=horizon),
        target=target,
        provenance=provenance(p, fw, [], (*files, *extra)),
        assumed_done=tuple(done),
        assumed_rejected=tuple(rejected),
        framework_change=last_final_change(p, fw, Path(req.data_dir) if req.data_dir else None),
        opd_history=opd_history(fw, p.kind, snaps),
        previous=previous,
        since=None if previous is None else _since(fw, p, previous, snap, history, req, planned),
        previous_forecast=_shown(shown, previous),
        waiting=waiting_since(snaps),
    )


def _since(
    fw: Framework,
    p: Pemda,
    previous: Snapshot,
    snap: Snapshot,
    history: pd.DataFrame,
    req: BriefRequest,
    planned: tuple[str, ...],
) -> Since:
    then = history[history["date"] == previous.date].iloc[-1]
    return compare(
        previous,
        snap,
        pd.Series(fw.applies(p.kind).to_numpy(bool), index=fw.documents["doc_code"]),
        period=f"{previous.date:%Y-%m}",
        source="brief" if req.since and Path(req.since).name == f"{previous.date:%Y-%m}" else "snapshot",
        verified=float(then["verified"]),
        claim=float(then["claim"]),
        planned=planned,
    )


def _shown(forecast: Forecast | None, previous: Snapshot | None) -> Forecast | None:
    """The last brief's projection, when it was made from the snapshot compared with."""
    if forecast is None or previous is None or forecast.as_of != previous.date:
        return None
    return forecast


def _last_brief(folder: Path) -> tuple[tuple[str, ...], Forecast | None]:
    """The new work planned in the last meeting's brief (``folder``) and the projection it
    showed; nothing when its files are missing or unreadable (made by an older version)."""
    try:
        sim = records.read_record(folder / SIMULASI, SIMULASI)
    except (InputError, OSError, TypeError, ValueError, KeyError):
        return (), None
    if not isinstance(sim, Simulasi):
        return (), None
    docs = sim.plans.plans[-1].documents
    return tuple(docs.loc[docs["status"] != DIUNGGAH, "doc_code"]), sim.forecast


# --- step 2: simulasi -----------------------------------------------------------------------------


def _step_two(req: BriefRequest, run: Path, cap: Capaian, p: Pemda, fw: Framework, say: Say) -> Simulasi:
    made = made_from(SIMULASI, req, [run / CAPAIAN / f"{CAPAIAN}.json"], run)
    return _step(run, SIMULASI, Simulasi, made, lambda: _compute_simulasi(req, cap, p, fw), say)


def _compute_simulasi(req: BriefRequest, cap: Capaian, pemda: Pemda, framework: Framework) -> Simulasi:
    """Step 2 in memory: plans for last year's score and the target, and the forecast."""
    targets = sorted({cap.target, *(t for t in default_targets(pemda) if t < cap.target)})
    snap, confidence = cap.snapshot, req.confidence
    options = PlanOptions(confidence=confidence)
    previous = cap.previous_forecast
    if previous is None and cap.previous is not None:
        then = None if cap.opd_history is None else cap.opd_history[cap.opd_history["date"] <= cap.previous.date]
        previous = forecast_pemda(framework, pemda, cap.previous, opd_history=then, target=cap.target)
    # the target's own plan once: the plans per target start from it, the scenarios' base is it
    own = plan_path(framework, pemda, snap, cap.target, options, history=cap.history, opd_history=cap.opd_history)
    return Simulasi(
        confidence=confidence,
        plans=plan_targets(
            framework,
            pemda,
            snap,
            targets,
            options,
            history=cap.history,
            opd_history=cap.opd_history,
            made={cap.target: own},
        ),
        forecast=forecast_pemda(framework, pemda, snap, opd_history=cap.opd_history, target=cap.target),
        base=own.verdict,
        previous_forecast=previous,
    )


def _compute_skenario(
    req: BriefRequest, cap: Capaian, sim: Simulasi, pemda: Pemda, framework: Framework
) -> SkenarioRencana:
    """The scenarios' step in memory: the target's plan under each standard scenario, the base
    one (and a higher keyakinan than a missed one) taken from step 2 (:attr:`Simulasi.base`)."""
    options = PlanOptions(confidence=req.confidence)
    table = scenarios(framework, pemda, cap.snapshot, cap.target, options, opd_history=cap.opd_history, base=sim.base)
    return SkenarioRencana(table=table)


# --- the brief's data and the run folder -----------------------------------------------------------


def _brief_data(
    pemda: Pemda,
    framework: Framework,
    cap: Capaian,
    sim: Simulasi | None = None,
    sk: SkenarioRencana | None = None,
) -> BriefData:
    """The data the sections read: the inputs, the achievement and (when given) the simulation."""
    return BriefData(
        pemda=pemda,
        framework=framework,
        snapshot=cap.snapshot,
        period=cap.request.period,
        scores=cap.scores,
        history=cap.history,
        trend=cap.trend,
        target=cap.target,
        provenance=cap.provenance,
        assumed_done=cap.assumed_done,
        assumed_rejected=cap.assumed_rejected,
        assumptions_file=cap.request.assume_done,
        framework_change=cap.framework_change,
        opd_history=cap.opd_history,
        since=cap.since,
        waiting=cap.waiting,
        previous_forecast=sim.previous_forecast if sim is not None else None,
        confidence=sim.confidence if sim is not None else 0.0,
        plans=sim.plans if sim is not None else None,
        forecast=sim.forecast if sim is not None else None,
        scenarios=sk.table if sk is not None else None,
    )


def month_folder(period: str, assume_done: str | Path | None = None) -> str:
    """The folder name of a month's brief, ``<period>``, or of a scenario's,
    ``<period>-skenario-<file name>``: the name in plain letters (``uji asumsi`` → ``uji-asumsi``),
    with a short fingerprint of the file name when it has letters plain ASCII cannot keep (a name
    in another script was ``x`` for every such file, an accent was dropped), so two such scenario
    files never share a folder."""
    if not assume_done:
        return str(period)
    stem = Path(assume_done).stem
    slug = slugify(stem)
    if not slug or not stem.isascii():
        slug = "-".join(p for p in (slug, hashlib.sha1(stem.encode("utf-8")).hexdigest()[:6]) if p)
    return f"{period}-skenario-{slug}"


def default_run_dir(req: BriefRequest) -> Path:
    """Where a notebook opened on its own keeps its step files:
    ``outputs/lab/<pemda>/<period>[-skenario-<file>]`` (never a brief's own folder)."""
    return OUTPUTS_DIR / "lab" / (Path(req.pemda).name or "pemda") / month_folder(req.period, req.assume_done)


def _run_dir(run_dir: str | Path | None, req: BriefRequest) -> Path:
    return Path(run_dir) if run_dir else default_run_dir(req)
