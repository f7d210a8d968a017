"""The brief's three steps and the files they hand to each other, in the open.

1. **Capaian** (``01_capaian``): load and check the inputs, score the period's snapshot, the
   history and the trend → ``<run>/capaian/`` (:class:`Capaian`).
2. **Simulasi** (``02_simulasi``): read the achievement, plan the way to each target under
   verification risk, forecast the final score, and (optionally) the standard scenarios →
   ``<run>/simulasi/`` (:class:`Simulasi`).
3. **Brief** (``03_brief``): read both and render (:func:`read_brief`).

The files are JSON plus one CSV per table (:mod:`mcp_lib.io.records`). Each step reads what the
step before wrote when it was made from the same inputs (same parameters and the same bytes in
every input file); otherwise it computes that step itself first and writes it, so every notebook
also runs on its own. Step 2 also reads its own results when they are already there, made by the
same code (:func:`code_version`) from that achievement file: ``mcp brief`` computes step 1, then
step 2 while the kernel starts and runs ``01_capaian``. :func:`prepare` does all three in memory,
for tests and the explorer.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from mcp_lib.brief.data import BriefData, FrameworkChange, last_final_change
from mcp_lib.config import OUTPUTS_DIR, PACKAGE_DIR
from mcp_lib.errors import InputError
from mcp_lib.forecast import Forecast, OpdPace, Outlook, forecast_pemda
from mcp_lib.framework.calendar import Calendar
from mcp_lib.framework.model import Band, Framework
from mcp_lib.io import records
from mcp_lib.pemda.model import Pemda, pemda_calendar, pemda_framework
from mcp_lib.pemda.settings import load_pemda
from mcp_lib.pemda.snapshot import Snapshot, list_snapshots, load_history, load_period
from mcp_lib.plan.planner import Option, Plan, PlanOptions, Verdict
from mcp_lib.plan.scenario import apply_assumptions, read_assumptions, scenarios
from mcp_lib.plan.targets import TargetPlans, default_targets, plan_targets
from mcp_lib.schedule import planning_horizon
from mcp_lib.scoring import Scores, score_snapshot
from mcp_lib.since import Since, compare, previous_snapshot, waiting_since
from mcp_lib.text import slugify
from mcp_lib.trend import Trend, compute_trend, opd_history, score_history

__all__ = [
    "Capaian",
    "Inputs",
    "Simulasi",
    "compute_capaian",
    "compute_simulasi",
    "default_run_dir",
    "prepare",
    "provenance",
    "read_brief",
    "run_capaian",
    "run_simulasi",
]

CAPAIAN, SIMULASI = "capaian", "simulasi"
"""The step folders inside a run folder (and the names of their JSON files)."""


@dataclass(frozen=True)
class Inputs:
    """What a run is made from: the notebooks' input parameters, normalised (absolute paths,
    ``""`` for none, ``0.0`` for the pemda's own target)."""

    pemda: str
    period: str
    data_dir: str = ""
    target: float = 0.0
    assume_done: str = ""
    since: str = ""
    """Folder of the last meeting's brief (``outputs/<pemda>/<YYYY-MM>``); ``""``: compare with
    the previous snapshot of the year."""

    @classmethod
    def of(
        cls,
        pemda: str | Path,
        period: str,
        data_dir: str | Path | None = None,
        target: float | None = None,
        assume_done: str | Path | None = None,
        since: str | Path | None = None,
    ) -> Inputs:
        return cls(
            pemda=str(pemda),
            period=str(period),
            data_dir=str(Path(data_dir).resolve()) if data_dir else "",
            target=float(target or 0.0),
            assume_done=str(Path(assume_done).resolve()) if assume_done else "",
            since=str(Path(since).resolve()) if since else "",
        )


@dataclass(frozen=True, eq=False)
class Capaian:
    """What step 1 computes: the achievement of one pemda in one period."""

    inputs: Inputs
    sources: pd.DataFrame
    """Every input file (absolute path) with its SHA-256: the step's results are reused only
    while these are unchanged."""
    snapshot: Snapshot
    """The period's snapshot as scored (with the scenario's assumptions, if any)."""
    scores: Scores
    history: pd.DataFrame
    trend: Trend
    target: float
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
    code: str = ""
    """Fingerprint of the package that computed it (:func:`code_version`): results of other code
    are computed again, not reused."""


@dataclass(frozen=True, eq=False)
class Simulasi:
    """What step 2 computes from a :class:`Capaian`: plans, forecast and scenarios."""

    capaian: str
    """SHA-256 of the achievement file it was computed from."""
    confidence: float
    plans: TargetPlans
    forecast: Forecast
    scenarios: pd.DataFrame | None = None
    """The plan under the standard scenarios (``None`` when not computed: national batches)."""
    previous_forecast: Forecast | None = None
    """The projection at the last meeting's snapshot: the one its brief showed, else computed now."""
    code: str = ""
    """Fingerprint of the package that computed it (:func:`code_version`): results of other code
    are computed again, not reused."""


records.register(
    Inputs,
    Capaian,
    Simulasi,
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


# --- inputs ---------------------------------------------------------------------------------------


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


def provenance(
    pemda: Pemda, framework: Framework, snapshots: list[Snapshot], extra: tuple[Path, ...] = ()
) -> pd.DataFrame:
    """Input files and their SHA-256 checksums (paths relative to the data root when inside it)."""
    files = [pemda.path / "pemda.toml"]
    if framework.path is not None:
        files += sorted(p for p in framework.path.iterdir() if p.suffix.lower() in (".csv", ".xlsx", ".toml"))
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


def _sources(p: Pemda, fw: Framework, assume_done: str, since: str = "") -> pd.DataFrame:
    """Every file the achievement depends on, with its checksum: pemda.toml, the framework's
    files, every status file of the pemda (a new snapshot changes the period's), the scenario,
    the last meeting's simulation."""
    files = [p.path / "pemda.toml"]
    if fw.path is not None:
        files += sorted(f for f in fw.path.iterdir() if f.is_file())
    files += [path for _date, path in list_snapshots(p)]
    if assume_done:
        files.append(Path(assume_done))
    if since and (Path(since) / SIMULASI / f"{SIMULASI}.json").is_file():
        files.append(Path(since) / SIMULASI / f"{SIMULASI}.json")
    return pd.DataFrame({"file": [str(f.resolve()) for f in files], "sha256": [_sha256(f) for f in files]})


def compute_capaian(
    pemda: str | Path,
    period: str,
    data_dir: str | Path | None = None,
    target: float | None = None,
    assume_done: str | Path | None = None,
    *,
    since: str | Path | None = None,
) -> tuple[Capaian, Pemda, Framework]:
    """Step 1 in memory: load and check the inputs and score them (with the pemda and framework),
    and compare with the last meeting (``since``: the folder of its brief; without one, the
    previous snapshot of the year).

    Raises
    ------
    InputError
        Any input file is missing or wrong (named with row and column).
    """
    data_dir = Path(data_dir) if data_dir else None
    p = load_pemda(pemda, data_dir)
    fw = pemda_framework(p, data_dir)
    inputs = Inputs.of(p.path.resolve(), period, data_dir, target, assume_done, since)
    snap = load_period(p, fw, period)
    # the earlier snapshots, then the period's own (read once: it was just loaded and checked)
    snaps = [*load_history(p, fw, until=snap.date - dt.timedelta(days=1)), snap]
    done: list[str] = []
    rejected: list[str] = []
    if assume_done:
        done, rejected = read_assumptions(assume_done, set(fw.documents["doc_code"]))
        snap = apply_assumptions(fw, snap, done, rejected, source=str(assume_done))
        snaps = [*snaps[:-1], snap]
    history = score_history(fw, p, snaps)
    target = float(target or p.target)
    calendar = pemda_calendar(p, fw)
    horizon, closed, _notes = planning_horizon(p.deadline, calendar, snap.date)
    horizon = calendar.close if closed else horizon
    files = tuple(s.path for s in snaps)
    extra = (Path(assume_done),) if assume_done else ()
    previous = previous_snapshot(snaps[:-1], period, Path(inputs.since).name if inputs.since else None)
    planned, shown = _last_brief(Path(inputs.since)) if inputs.since else ((), None)
    cap = Capaian(
        inputs=inputs,
        sources=_sources(p, fw, inputs.assume_done, inputs.since),
        snapshot=snap,
        scores=score_snapshot(fw, p, snap),
        history=history,
        trend=compute_trend(fw, p, snaps, target=target, history=history, deadline=horizon),
        target=target,
        provenance=provenance(p, fw, [], (*files, *extra)),
        assumed_done=tuple(done),
        assumed_rejected=tuple(rejected),
        framework_change=last_final_change(p, fw, data_dir),
        opd_history=opd_history(fw, p.kind, snaps),
        previous=previous,
        since=None if previous is None else _since(fw, p, previous, snap, history, inputs, planned),
        previous_forecast=_shown(shown, previous),
        waiting=waiting_since(snaps),
        code=code_version(),
    )
    return cap, p, fw


def _since(
    fw: Framework,
    p: Pemda,
    previous: Snapshot,
    snap: Snapshot,
    history: pd.DataFrame,
    inputs: Inputs,
    planned: tuple[str, ...],
) -> Since:
    then = history[history["date"] == previous.date].iloc[-1]
    return compare(
        previous,
        snap,
        pd.Series(fw.applies(p.kind).to_numpy(bool), index=fw.documents["doc_code"]),
        period=f"{previous.date:%Y-%m}",
        source="brief" if inputs.since and Path(inputs.since).name == f"{previous.date:%Y-%m}" else "snapshot",
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
    return tuple(docs.loc[docs["status"] != "diunggah", "doc_code"]), sim.forecast


def compute_simulasi(
    cap: Capaian, pemda: Pemda, framework: Framework, confidence: float = 0.8, *, with_scenarios: bool = True
) -> Simulasi:
    """Step 2 in memory: plans for last year's score and the target, the forecast and (unless
    ``with_scenarios`` is off) the plan under the standard scenarios."""
    targets = sorted({cap.target, *(t for t in default_targets(pemda) if t < cap.target)})
    snap = cap.snapshot
    options = PlanOptions(confidence=confidence)
    previous = cap.previous_forecast
    if previous is None and cap.previous is not None:
        then = None if cap.opd_history is None else cap.opd_history[cap.opd_history["date"] <= cap.previous.date]
        previous = forecast_pemda(framework, pemda, cap.previous, opd_history=then, target=cap.target)
    return Simulasi(
        capaian="",
        confidence=float(confidence),
        plans=plan_targets(framework, pemda, snap, targets, options, history=cap.history, opd_history=cap.opd_history),
        forecast=forecast_pemda(framework, pemda, snap, opd_history=cap.opd_history, target=cap.target),
        scenarios=(
            scenarios(framework, pemda, snap, cap.target, options, opd_history=cap.opd_history)
            if with_scenarios
            else None
        ),
        previous_forecast=previous,
    )


def brief_data(pemda: Pemda, framework: Framework, cap: Capaian, sim: Simulasi | None = None) -> BriefData:
    """The data the sections read: the inputs, the achievement and (when given) the simulation."""
    return BriefData(
        pemda=pemda,
        framework=framework,
        snapshot=cap.snapshot,
        period=cap.inputs.period,
        scores=cap.scores,
        history=cap.history,
        trend=cap.trend,
        target=cap.target,
        provenance=cap.provenance,
        assumed_done=cap.assumed_done,
        assumed_rejected=cap.assumed_rejected,
        assumptions_file=cap.inputs.assume_done,
        framework_change=cap.framework_change,
        opd_history=cap.opd_history,
        since=cap.since,
        waiting=cap.waiting,
        previous_forecast=sim.previous_forecast if sim is not None else None,
        confidence=sim.confidence if sim is not None else 0.0,
        plans=sim.plans if sim is not None else None,
        forecast=sim.forecast if sim is not None else None,
        scenarios=sim.scenarios if sim is not None else None,
    )


def prepare(
    pemda: str | Path,
    period: str,
    data_dir: str | Path | None = None,
    target: float | None = None,
    confidence: float = 0.8,
    assume_done: str | Path | None = None,
    *,
    with_scenarios: bool = True,
    since: str | Path | None = None,
) -> BriefData:
    """Load, validate and compute everything for the brief of ``pemda`` in ``period``, in memory.

    Parameters
    ----------
    pemda
        Folder name under ``<data_dir>/pemda`` or a path.
    data_dir
        Data root; empty or ``None`` for the bundled sample data.
    target
        Score to reach (percent); ``None`` or 0 for the pemda's own target.
    assume_done
        A scenario file (``doc_code, asumsi`` with ``selesai``/``ditolak``, as the explorer
        exports it): those documents are taken as verified in full or rejected, in memory only.
        The brief then says, at the top, that it shows a scenario.
    since
        The folder of the last meeting's brief (default: compare with the previous snapshot).
    """
    cap, p, fw = compute_capaian(pemda, period, data_dir, target, assume_done, since=since)
    return brief_data(p, fw, cap, compute_simulasi(cap, p, fw, confidence, with_scenarios=with_scenarios))


# --- the run folder -------------------------------------------------------------------------------


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


def default_run_dir(pemda: str | Path, period: str, assume_done: str | Path | None = None) -> Path:
    """Where a notebook opened on its own keeps its step files:
    ``outputs/lab/<pemda>/<period>[-skenario-<file>]`` (never a brief's own folder)."""
    name = Path(str(pemda)).name or "pemda"
    return OUTPUTS_DIR / "lab" / name / month_folder(period, assume_done)


def _run_dir(run_dir: str | Path | None, pemda: str | Path, period: str, assume_done: str | Path | None) -> Path:
    return Path(run_dir) if run_dir else default_run_dir(pemda, period, assume_done or None)


def _fresh_capaian(folder: Path, inputs: Inputs) -> Capaian | None:
    """The achievement in ``folder`` if it was made from these parameters (the caller checks
    that the input files are unchanged)."""
    cap = _read_step(folder, CAPAIAN)
    return cap if isinstance(cap, Capaian) and cap.inputs == inputs and cap.code == code_version() else None


def _read_step(folder: Path, name: str) -> object | None:
    """A step's results in ``folder``, or ``None`` when missing or unreadable (then computed again)."""
    if not (folder / f"{name}.json").is_file():
        return None
    try:
        return records.read_record(folder, name)
    except InputError:
        return None


def _capaian_for(
    run: Path,
    pemda: str | Path,
    period: str,
    data_dir: str | Path | None,
    target: float | None,
    assume_done: str | Path | None,
    *,
    say: bool,
    since: str | Path | None = None,
) -> tuple[Capaian, Pemda, Framework]:
    p0 = load_pemda(pemda, Path(data_dir) if data_dir else None)
    inputs = Inputs.of(p0.path.resolve(), period, data_dir, target, assume_done, since)
    cap = _fresh_capaian(run / CAPAIAN, inputs)
    if cap is not None:
        fw = pemda_framework(p0, Path(data_dir) if data_dir else None)
        now = _sources(p0, fw, inputs.assume_done, inputs.since)
        if list(now.itertuples(index=False)) == list(cap.sources.itertuples(index=False)):
            return cap, p0, fw
    if say:
        print(
            f"Hasil langkah capaian di {run / CAPAIAN} belum ada atau dibuat dari masukan lain: "
            "dihitung sekarang (seperti 01_capaian)."
        )
    cap, p, fw = compute_capaian(pemda, period, data_dir, target, assume_done, since=since)
    records.write_record(cap, run / CAPAIAN, CAPAIAN)
    return cap, p, fw


def run_capaian(
    run_dir: str | Path | None,
    pemda: str | Path,
    period: str,
    data_dir: str | Path | None = None,
    target: float | None = None,
    assume_done: str | Path | None = None,
    *,
    since: str | Path | None = None,
) -> BriefData:
    """Step 1 as ``01_capaian`` runs it: compute, write ``<run_dir>/capaian/``, and return the
    data its sections show (without plans)."""
    run = _run_dir(run_dir, pemda, period, assume_done)
    cap, p, fw = compute_capaian(pemda, period, data_dir, target, assume_done, since=since)
    records.write_record(cap, run / CAPAIAN, CAPAIAN)
    return brief_data(p, fw, cap)


def _digest(folder: Path) -> str:
    return _sha256(folder / f"{CAPAIAN}.json")


def run_simulasi(
    run_dir: str | Path | None,
    pemda: str | Path,
    period: str,
    data_dir: str | Path | None = None,
    target: float | None = None,
    assume_done: str | Path | None = None,
    confidence: float = 0.8,
    *,
    with_scenarios: bool = True,
    since: str | Path | None = None,
) -> BriefData:
    """Step 2 as ``02_simulasi`` runs it: read ``<run_dir>/capaian/`` (computing it first when it
    is missing or was made from other inputs); read ``<run_dir>/simulasi/`` when this code already
    made it from that achievement file (``mcp brief`` computes it while the kernel starts), else
    simulate and write it."""
    run = _run_dir(run_dir, pemda, period, assume_done)
    cap, p, fw = _capaian_for(run, pemda, period, data_dir, target, assume_done, say=True, since=since)
    sim = _fresh_simulasi(run, confidence, with_scenarios=with_scenarios)
    if sim is not None:
        return brief_data(p, fw, cap, sim)
    return _simulate(run, cap, p, fw, confidence, with_scenarios=with_scenarios)


def _fresh_simulasi(run: Path, confidence: float, *, with_scenarios: bool) -> Simulasi | None:
    """Step 2's results in ``run`` if made by this code from the achievement file there, with
    this confidence (and with the scenarios, when they are wanted); else ``None``."""
    sim = _read_step(run / SIMULASI, SIMULASI)
    if (
        isinstance(sim, Simulasi)
        and sim.code == code_version()
        and sim.capaian == _digest(run / CAPAIAN)
        and sim.confidence == float(confidence)
        and (sim.scenarios is not None or not with_scenarios)
    ):
        return sim
    return None


def _simulate(
    run: Path,
    cap: Capaian,
    p: Pemda,
    fw: Framework,
    confidence: float,
    *,
    with_scenarios: bool,
    capaian: str | None = None,
) -> BriefData:
    """Step 2 on step 1's results (already written in ``run``, with the SHA-256 ``capaian`` when
    known): compute, write ``simulasi/`` (recording which ``capaian.json`` it was made from), and
    return the brief's data."""
    sim = compute_simulasi(cap, p, fw, confidence, with_scenarios=with_scenarios)
    sim = replace(sim, capaian=capaian or _digest(run / CAPAIAN), code=code_version())
    records.write_record(sim, run / SIMULASI, SIMULASI)
    return brief_data(p, fw, cap, sim)


def read_brief(
    run_dir: str | Path | None,
    pemda: str | Path,
    period: str,
    data_dir: str | Path | None = None,
    target: float | None = None,
    assume_done: str | Path | None = None,
    confidence: float = 0.8,
    *,
    since: str | Path | None = None,
) -> BriefData:
    """Step 3's data as ``03_brief`` reads it: both steps' files from ``run_dir`` (each computed
    first when missing or made from other inputs)."""
    run = _run_dir(run_dir, pemda, period, assume_done)
    cap, p, fw = _capaian_for(run, pemda, period, data_dir, target, assume_done, say=True, since=since)
    sim = _fresh_simulasi(run, confidence, with_scenarios=False)
    if sim is None:
        print(
            f"Hasil langkah simulasi di {run / SIMULASI} belum ada atau dibuat dari masukan lain: "
            "dihitung sekarang (seperti 02_simulasi)."
        )
        return _simulate(run, cap, p, fw, confidence, with_scenarios=False)
    return brief_data(p, fw, cap, sim)


def step_digests(run_dir: Path) -> tuple[str, str]:
    """SHA-256 of both steps' files in ``run_dir`` (empty for a missing one)."""
    files = (run_dir / CAPAIAN / f"{CAPAIAN}.json", run_dir / SIMULASI / f"{SIMULASI}.json")
    return tuple(_sha256(f) if f.is_file() else "" for f in files)  # type: ignore[return-value]


def write_capaian(run_dir: Path, cap: Capaian) -> str:
    """Step 1's results computed in this process, written to ``run_dir`` as ``01_capaian`` would;
    returns the SHA-256 of ``capaian.json`` (what step 2 records it was made from)."""
    return _sha256(records.write_record(cap, run_dir / CAPAIAN, CAPAIAN))


def write_simulasi(
    run_dir: Path,
    cap: Capaian,
    pemda: Pemda,
    framework: Framework,
    confidence: float,
    *,
    capaian: str,
    with_scenarios: bool,
) -> BriefData:
    """Step 2 computed in this process from ``cap`` (written by :func:`write_capaian`, SHA-256
    ``capaian``; ``01_capaian`` may be writing the same file again meanwhile), written to
    ``run_dir`` as ``02_simulasi`` would; returns the brief's data. ``mcp brief`` and national
    batches (which then run only ``03_brief``) compute both steps this way."""
    return _simulate(run_dir, cap, pemda, framework, confidence, with_scenarios=with_scenarios, capaian=capaian)
