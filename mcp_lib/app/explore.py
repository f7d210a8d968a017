"""Interactive exploration in JupyterLab: an ipywidgets explorer over scores, plans and what-ifs.

``Explorer(pemda, period)`` holds the state. Each control recomputes only what it changes, so
that it answers within a blink at 680 documents (issue 30):

- a filter (area, OPD, status, predikat) filters the frames already computed: no scoring, no plan;
- a what-if (*Anggap selesai*, *Anggap ditolak*) or the snapshot scores again (scores cached per
  snapshot and assumptions); the plan follows as below;
- the target, the keyakinan and the blocked toggle change only the plan.

A plan, with its year-end forecast, is computed once per (snapshot, assumptions, target,
keyakinan, blocked) and kept. When it is not kept yet, the control answers at once with what needs
no plan (the scores, the target, the tables) and the plan's figures read *menghitung…*; the plan is
computed in one background thread and shown as soon as it is ready (only if the settings still ask
for it: a newer setting cancels the older plans still waiting). Reading :attr:`Explorer.plan`,
:attr:`Explorer.forecast` or :attr:`Explorer.headline` waits for the current plan, as do
:meth:`Explorer.wait` and the export. ``background=False`` computes the plan inside the control's
handler instead (as before issue 30).

The what-if pickers are :class:`DocumentPicker`: a search box over code, name, OPD and area, the
matching documents, and the chosen ones listed with a count, each removable. Numbers read the
Indonesian way (``90,0%``), from :mod:`mcp_lib.text`. Tests drive the controls by setting widget
values, with no browser.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, NamedTuple

import ipywidgets as w
import pandas as pd
import traitlets

from mcp_lib import text
from mcp_lib.brief import charts
from mcp_lib.brief.blocks import html_table, opd_table
from mcp_lib.config import DEFAULT_CONFIDENCE, OUTPUTS_DIR
from mcp_lib.files import write_via_temp
from mcp_lib.forecast import WITH_PLAN, WITHOUT_PLAN, Forecast, forecast_pemda
from mcp_lib.io import workbook
from mcp_lib.pemda.model import pemda_framework
from mcp_lib.pemda.settings import load_pemda
from mcp_lib.pemda.snapshot import Snapshot, load_history, snapshot_path_for_period
from mcp_lib.plan.planner import WITH_BELOW_WITHOUT, Plan, PlanOptions, plan_path
from mcp_lib.plan.scenario import apply_assumptions, write_assumptions
from mcp_lib.scoring import Scores, aggregate, score_snapshot
from mcp_lib.statuses import DIUNGGAH, STATUS_LABELS, STATUSES
from mcp_lib.trend import opd_history, score_history

esc = text.escape
_WIDE = w.Layout(width="98%")
_FIT = w.Layout(width="max-content", min_width="110px")
"""A filter list as wide as its longest option (the filters wrap to a new row rather than cut one)."""
_LABEL = {"description_width": "initial"}
"""Widget descriptions as wide as their words ("Anggap selesai" is not cut at the default 80 px)."""
_STYLE = (
    "<style>.mcp-x table{border-collapse:collapse;font-size:13px}.mcp-x th,.mcp-x td{padding:3px 10px;"
    "border-bottom:1px solid #ddd;text-align:left}.mcp-x td.num,.mcp-x th.num{text-align:right}</style>"
)
PENDING = "menghitung…"
"""What a figure that needs the plan reads while the plan is being computed."""
PLAN_CACHE = 48
"""Plans kept (each with its forecast): enough to go back and forth between a few settings."""
SCORE_CACHE = 24
"""Scored what-if scenarios kept."""


class PlanKey(NamedTuple):
    """Everything a plan depends on besides the files: the snapshot (index), the assumptions
    (sorted codes), target, keyakinan and whether blocked documents may be used."""

    snapshot: int
    done: tuple[str, ...]
    rejected: tuple[str, ...]
    target: float
    confidence: float
    allow_blocked: bool


class _Lru(OrderedDict[Hashable, Any]):
    """A small least-recently-used cache (guarded by the explorer's cache lock)."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def put(self, key: Hashable, value: Any) -> None:
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.size:
            self.popitem(last=False)


def _given(value: object) -> str:
    """A cell as text; blank for a missing one (``None``, NaN)."""
    return "" if value is None or (isinstance(value, float) and value != value) else str(value).strip()


def _fold(value: object) -> str:
    """Text as searched: case folded, spaces collapsed."""
    return " ".join(_given(value).casefold().split())


class DocumentPicker(w.VBox):
    """A what-if picker of documents that is searched rather than scrolled.

    A search box (code, name, OPD or area; every word typed must appear, in any case), the list of
    matching documents not chosen yet, *Tambahkan* to add the ones marked in the list, and the
    chosen documents with their count, each with a button that removes it (*Kosongkan* removes
    all). ``value`` is the chosen codes in the order chosen, like ``SelectMultiple.value``; setting
    it from code is the same as choosing in the browser, and observers of ``value`` are told.

    Parameters
    ----------
    documents
        One row per document that can be chosen, in the order to list them: ``doc_code``,
        ``doc_name``, ``opd``, ``area_name``.
    description
        The picker's name (e.g. *Anggap selesai*).
    """

    value = traitlets.Tuple(help="codes of the chosen documents, in the order chosen")

    def __init__(self, documents: pd.DataFrame, description: str, rows: int = 6) -> None:
        self.description = description
        self.search = w.Text(
            description=description,
            placeholder="cari kode, nama dokumen, OPD atau area",
            continuous_update=True,
            style=_LABEL,
            layout=w.Layout(width="60%"),
        )
        self.found = w.HTML()
        self.matches = w.SelectMultiple(rows=rows, layout=_WIDE)
        self.add = w.Button(description="Tambahkan", icon="plus", tooltip="Tambahkan dokumen yang ditandai di daftar")
        self.clear = w.Button(description="Kosongkan", icon="times", tooltip="Hapus semua dokumen yang dipilih")
        self.count = w.HTML()
        self.chosen = w.VBox(layout=_WIDE)
        self._labels: dict[str, str] = {}
        self._names: dict[str, str] = {}
        self._haystack: dict[str, str] = {}
        self._rows: dict[str, w.HBox] = {}
        super().__init__(
            children=[
                w.HBox([self.search, self.found]),
                self.matches,
                w.HBox([self.add, self.clear]),
                self.count,
                self.chosen,
            ],
            layout=_WIDE,
        )
        self.set_documents(documents)
        self.search.observe(lambda _change: self._show_matches(), names="value")
        self.add.on_click(lambda _button: self.choose(self.matches.value))
        self.clear.on_click(lambda _button: setattr(self, "value", ()))
        self.observe(lambda _change: self._show_chosen(), names="value")

    @traitlets.validate("value")
    def _valid(self, proposal: dict[str, Any]) -> tuple[str, ...]:
        codes = tuple(dict.fromkeys(str(c) for c in proposal["value"]))
        unknown = [c for c in codes if c not in self._labels]
        if unknown:
            raise traitlets.TraitError(f"{self.description}: dokumen tidak ada di daftar: {', '.join(unknown)}")
        return codes

    def set_documents(self, documents: pd.DataFrame) -> None:
        """Replace the documents that can be chosen (e.g. their OPDs in another snapshot); chosen
        codes no longer listed are dropped."""
        self._labels, self._names, self._haystack = {}, {}, {}
        for code, name, opd, area in zip(
            documents["doc_code"], documents["doc_name"], documents["opd"], documents["area_name"], strict=True
        ):
            where = " · ".join(x for x in (_given(opd), _given(area)) if x)
            # The list's lines do not wrap: the area (searchable, and shown once chosen) is left out.
            self._labels[code] = f"{code} {name}" + (f" · {_given(opd)}" if _given(opd) else "")
            self._names[code] = f"<b>{esc(code)}</b> {esc(name)}" + (f" <small>· {esc(where)}</small>" if where else "")
            self._haystack[code] = " ".join(_fold(x) for x in (code, name, opd, area))
        self._rows = {}
        kept = tuple(c for c in self.value if c in self._labels)
        if kept != self.value:
            self.value = kept  # observers (and _show_chosen) follow
        else:
            self._show_chosen()

    def matching(self, query: str) -> list[str]:
        """Codes of the documents not chosen yet whose code, name, OPD or area hold every word of
        ``query`` (case ignored), in list order; all of them for an empty query."""
        words = _fold(query).split()
        chosen = set(self.value)
        return [c for c, hay in self._haystack.items() if c not in chosen and all(word in hay for word in words)]

    def choose(self, codes: Iterable[str]) -> None:
        """Add ``codes`` to the chosen documents (after those already chosen)."""
        self.value = (*self.value, *codes)

    def remove(self, code: str) -> None:
        """Take ``code`` out of the chosen documents."""
        self.value = tuple(c for c in self.value if c != code)

    def _show_matches(self) -> None:
        codes = self.matching(self.search.value)
        self.matches.options = [(self._labels[c], c) for c in codes]
        available = len(self._labels) - len(self.value)
        self.found.value = (
            f"<small>{len(codes)} dari {available} dokumen cocok</small>"
            if self.search.value.strip()
            else f"<small>{available} dokumen</small>"
        )

    def _show_chosen(self) -> None:
        n = len(self.value)
        self.count.value = f"<b>{n} dokumen dipilih</b>" if n else "<small>Belum ada dokumen yang dipilih.</small>"
        self.chosen.children = tuple(self._row(code) for code in self.value)
        self.clear.disabled = not n
        self._show_matches()

    def _row(self, code: str) -> w.HBox:
        if code not in self._rows:
            remove = w.Button(icon="times", tooltip=f"Hapus {code}", layout=w.Layout(width="34px"))
            remove.add_class("mcp-remove")
            remove.on_click(lambda _button: self.remove(code))
            self._rows[code] = w.HBox([remove, w.HTML(self._names[code])])
        return self._rows[code]


class Explorer:
    """What-if explorer for one pemda.

    Parameters
    ----------
    pemda
        Folder name under ``<data_dir>/pemda`` or a path.
    period
        Month (``YYYY-MM``) whose latest snapshot is shown first; default the latest snapshot.
    target, confidence
        Starting values of the sliders; default the pemda's target and 0.8.
    background
        Compute plans in a background thread (the handlers answer at once; the default), or in
        the handler itself.

    Attributes
    ----------
    scores, base
        Scores with the assumptions applied, and of the file as it is.
    plan
        The plan for the current settings: the minimal plan and the plan with reserve for the
        confidence slider (:func:`mcp_lib.plan.planner.plan_path`); waits for it when it is
        being computed.
    forecast
        The year-end forecast from the selected snapshot (with the assumptions applied).
    areas, opds, documents, plan_documents
        The frames shown, after the filters.
    delta
        Verified points gained by the assumptions.
    """

    def __init__(
        self,
        pemda: str | Path,
        period: str | None = None,
        data_dir: str | Path | None = None,
        target: float | None = None,
        confidence: float = DEFAULT_CONFIDENCE,
        seed: int = 0,
        background: bool = True,
    ) -> None:
        data_dir = Path(data_dir) if data_dir else None
        self.pemda = load_pemda(pemda, data_dir)
        self.framework = pemda_framework(self.pemda, data_dir)
        self.snapshots: list[Snapshot] = load_history(self.pemda, self.framework)
        self.history = score_history(self.framework, self.pemda, self.snapshots)
        self.opd_history = opd_history(self.framework, self.pemda.kind, self.snapshots)
        self.seed = seed
        start = len(self.snapshots) - 1
        if period:  # the month's snapshot as the brief takes it; a month without one is refused alike
            date, _path = snapshot_path_for_period(self.pemda, period)
            start = next(i for i, s in enumerate(self.snapshots) if s.date == date)
        self._chart_cache = _Lru(PLAN_CACHE)  # trend charts, one per forecast shown
        self._bases: dict[int, Scores] = {}
        self._scored = _Lru(SCORE_CACHE)
        self._results = _Lru(PLAN_CACHE)
        self._forecasts = _Lru(PLAN_CACHE)  # by (snapshot, done, rejected, target): no keyakinan, no blocked
        self._jobs: dict[PlanKey, Future[tuple[Plan, Forecast]]] = {}
        self._cache_lock = threading.Lock()  # the caches and jobs; never held while waiting
        self._render_lock = threading.RLock()  # the outputs: the handlers and the plan thread
        self._shown: PlanKey | None = None
        self._scored_for: tuple[int, tuple[str, ...], tuple[str, ...]] | None = None
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="mcp-explorer") if background else None
        self._build_widgets(start, float(target or self.pemda.target), confidence)
        self.recompute()

    # --- widgets ------------------------------------------------------------------------------

    def _applicable_documents(self) -> pd.DataFrame:
        """The framework's documents that apply to the pemda's kind, in framework order."""
        fw = self.framework
        return fw.documents[fw.applies(self.pemda.kind).to_numpy()]

    def _build_widgets(self, start: int, target: float, confidence: float) -> None:
        fw = self.framework
        applicable = self._applicable_documents()
        opds = sorted({o.name for o in self.pemda.opds} | set(self.snapshots[start].documents["opd"].dropna()) - {""})
        self.w_snapshot = w.SelectionSlider(
            options=[(text.date(s.date, "d MMM y"), i) for i, s in enumerate(self.snapshots)],
            value=start,
            description="Snapshot",
            continuous_update=False,
            style=_LABEL,
            layout=_WIDE,
        )
        # Only what applies to this kind of pemda: a kota has no Dana Desa area.
        areas = fw.areas[fw.areas["area_code"].isin(set(applicable["area_code"]))]
        self.w_area = w.SelectMultiple(options=list(areas["area_name"]), rows=5, layout=_FIT)
        self.w_opd = w.SelectMultiple(options=opds, rows=5, layout=_FIT)
        self.w_status = w.SelectMultiple(options=[(STATUS_LABELS[s], s) for s in STATUSES], rows=5, layout=_FIT)
        self.w_band = w.SelectMultiple(options=[b.name for b in fw.bands.items], rows=5, layout=_FIT)
        # Slider readouts are d3-formatted ("90.0"): each slider shows its value in a label instead.
        self.w_target = w.FloatSlider(
            value=target,
            min=0,
            max=100,
            step=0.5,
            description="Target",
            continuous_update=False,
            readout=False,
            style=_LABEL,
        )
        self.w_confidence = w.FloatSlider(
            value=confidence,
            min=0.0,
            max=0.99,
            step=0.01,
            description="Keyakinan",
            continuous_update=False,
            readout=False,
            style=_LABEL,
        )
        self.w_target_text, self.w_confidence_text = w.HTML(), w.HTML()
        self.w_blocked = w.Checkbox(
            value=False, description="Pakai dokumen terblokir", indent=False, layout=w.Layout(width="auto")
        )
        self.w_done = DocumentPicker(self._picker_documents(start), "Anggap selesai")
        self.w_rejected = DocumentPicker(self._picker_documents(start), "Anggap ditolak")
        self.w_name = w.Text(value="skenario", description="Nama", style=_LABEL)
        self.w_export = w.Button(description="Ekspor skenario", icon="download", layout=w.Layout(width="auto"))
        self.w_export.on_click(lambda _: self.export())
        self.filters = [self.w_area, self.w_opd, self.w_status, self.w_band]
        self.settings = [self.w_target, self.w_confidence, self.w_blocked]
        self.assumptions = [self.w_done, self.w_rejected]
        self.controls = [self.w_snapshot, *self.filters, *self.settings, *self.assumptions]
        handlers: list[tuple[list[Any], Callable[[dict[str, Any]], None]]] = [
            ([self.w_snapshot], self._on_snapshot),
            (self.filters, self._on_filter),
            (self.settings, self._on_setting),
            (self.assumptions, self._on_assumption),
        ]
        for controls, handler in handlers:
            for control in controls:
                control.observe(handler, names="value")
        self.out_headline, self.out_delta, self.out_trend = w.HTML(), w.HTML(), w.HTML()
        self.out_assumes = w.HTML()
        self.out_areas, self.out_opds, self.out_plan, self.out_export = w.HTML(), w.HTML(), w.HTML(), w.HTML()
        self._label_settings()

    def _picker_documents(self, snapshot: int) -> pd.DataFrame:
        """The what-if pickers' documents: those that apply, with their OPD in the snapshot."""
        docs = self._applicable_documents()[["doc_code", "doc_name", "area_name"]]
        opd = self.snapshots[snapshot].documents.drop_duplicates("doc_code").set_index("doc_code")["opd"]
        return docs.assign(opd=docs["doc_code"].map(opd))

    def _label_settings(self) -> None:
        self.w_target_text.value = f"<b>{text.percent(self.w_target.value)}</b>"
        self.w_confidence_text.value = f"<b>{text.percent(100 * self.w_confidence.value, 0)}</b>"

    @property
    def widget(self) -> w.Widget:
        """The whole explorer as one widget (what the notebook displays)."""
        filters = w.HBox(
            [
                w.VBox([w.HTML(f"<b>{esc(name)}</b>"), control])
                for name, control in zip(("Area", "OPD", "Status", "Predikat"), self.filters, strict=True)
            ],
            layout=w.Layout(flex_flow="row wrap", grid_gap="4px 14px", width="98%"),
        )
        settings = w.HBox(
            [
                w.HBox([self.w_target, self.w_target_text]),
                w.HBox([self.w_confidence, self.w_confidence_text]),
                self.w_blocked,
            ],
            layout=w.Layout(flex_flow="row wrap", align_items="center", grid_gap="16px"),
        )
        assume = w.Accordion(children=[w.VBox([self.w_done, self.w_rejected])], titles=("Anggapan (what-if)",))
        export = w.HBox([self.w_name, self.w_export])
        tabs = w.Tab(
            children=[self.out_areas, self.out_opds, self.out_plan, self.out_trend],
            titles=("Area", "OPD", "Rencana", "Tren"),
        )
        return w.VBox(
            [
                self.w_snapshot,
                settings,
                filters,
                assume,
                self.out_headline,
                self.out_assumes,
                self.out_delta,
                tabs,
                export,
                self.out_export,
            ]
        )

    def _ipython_display_(self) -> None:  # pragma: no cover - needs a front end
        from IPython.display import display

        display(self.widget)

    # --- what each control recomputes ---------------------------------------------------------

    def _on_filter(self, _change: dict[str, Any]) -> None:
        with self._render_lock:
            self._filter()
            self._render_tables()

    def _on_setting(self, _change: dict[str, Any]) -> None:
        self._label_settings()
        self._replan()

    def _on_assumption(self, _change: dict[str, Any]) -> None:
        self._rescore()
        self._replan()

    def _on_snapshot(self, _change: dict[str, Any]) -> None:
        for picker in self.assumptions:
            picker.set_documents(self._picker_documents(self.w_snapshot.value))
        self._rescore()
        self._replan()

    def recompute(self) -> None:
        """Recompute every frame and label from the current control values, then the outputs
        (the plan as every control does: at once when kept, else in the background)."""
        self._label_settings()
        self._rescore()
        self._replan()

    def _rescore(self) -> None:
        key = self._plan_key()
        scored = self._scenario(key.snapshot, key.done, key.rejected)
        with self._render_lock:
            self.base, self.scenario, self.scores = scored
            self.delta = self.scores.verified - self.base.verified
            self._scored_for, self._shown = key[:3], None
            self._filter()
            self._render_tables()
            self.out_delta.value = f"<p><b>{esc(self.delta_label)}</b></p>" if self.delta_label else ""

    def _replan(self) -> None:
        """Show the plan for the current settings when kept; otherwise show what needs no plan,
        and compute the plan (in the background, or here without one)."""
        key = self._plan_key()
        if self._executor is None:
            self._show(key, self._kept(key) or self._store(key, self._compute(key)))
            return
        with self._render_lock:  # a plan is kept before it is shown: checked under the lock of showing
            kept = self._kept(key)
            if kept is None:
                self._shown = None
                self._render_plan(None)
        if kept is not None:
            self._show(key, kept)
        else:
            self._submit(key)

    # --- state --------------------------------------------------------------------------------

    @property
    def snapshot(self) -> Snapshot:
        """The selected snapshot, as in the file."""
        return self.snapshots[self.w_snapshot.value]

    @property
    def assumed_done(self) -> list[str]:
        return [c for c in self.w_done.value if c not in self.w_rejected.value]

    @property
    def assumed_rejected(self) -> list[str]:
        return list(self.w_rejected.value)

    def _plan_key(self) -> PlanKey:
        return PlanKey(
            self.w_snapshot.value,
            tuple(sorted(self.assumed_done)),
            tuple(sorted(self.assumed_rejected)),
            float(self.w_target.value),
            float(self.w_confidence.value),
            bool(self.w_blocked.value),
        )

    def _base(self, snapshot: int) -> Scores:
        if snapshot not in self._bases:
            self._bases[snapshot] = score_snapshot(self.framework, self.pemda, self.snapshots[snapshot])
        return self._bases[snapshot]

    def _scenario(
        self, snapshot: int, done: tuple[str, ...], rejected: tuple[str, ...]
    ) -> tuple[Scores, Snapshot, Scores]:
        """Scores of the file, the what-if snapshot and its scores (kept per snapshot and assumptions)."""
        with self._cache_lock:
            kept = self._scored.get((snapshot, done, rejected))
        if kept is not None:
            return kept
        base = self._base(snapshot)
        scenario = apply_assumptions(self.framework, self.snapshots[snapshot], done, rejected, source="explorer")
        scores = score_snapshot(self.framework, self.pemda, scenario) if done or rejected else base
        with self._cache_lock:
            self._scored.put((snapshot, done, rejected), (base, scenario, scores))
        return base, scenario, scores

    def _compute(self, key: PlanKey) -> tuple[Plan, Forecast]:
        """The plan and the year-end forecast for ``key`` (any thread: reads no widget)."""
        fw, pemda = self.framework, self.pemda
        _base, scenario, _scores = self._scenario(key.snapshot, key.done, key.rejected)
        date = self.snapshots[key.snapshot].date
        until = self.history[self.history["date"] <= date]
        paced = self.opd_history[self.opd_history["date"] <= date]
        options = PlanOptions(allow_blocked=key.allow_blocked, confidence=key.confidence, seed=self.seed)
        plan = plan_path(fw, pemda, scenario, key.target, options, history=until, opd_history=paced)
        with self._cache_lock:
            forecast = self._forecasts.get(key[:4])
        if forecast is None:  # the forecast reads neither the keyakinan nor the blocked toggle
            forecast = forecast_pemda(fw, pemda, scenario, opd_history=paced, target=key.target, options=options)
            with self._cache_lock:
                self._forecasts.put(key[:4], forecast)
        return plan, forecast

    def _kept(self, key: PlanKey) -> tuple[Plan, Forecast] | None:
        with self._cache_lock:
            kept: tuple[Plan, Forecast] | None = self._results.get(key)
        return kept

    def _store(self, key: PlanKey, result: tuple[Plan, Forecast]) -> tuple[Plan, Forecast]:
        with self._cache_lock:
            self._results.put(key, result)
        return result

    def _submit(self, key: PlanKey) -> None:
        """Compute ``key``'s plan in the background thread, cancelling the plans still waiting for
        settings no longer asked for (a plan already being computed finishes and is kept)."""
        assert self._executor is not None
        with self._cache_lock:
            stale = [job for other, job in self._jobs.items() if other != key]
        for job in stale:  # outside the lock: a cancelled job's callback (_finished) takes it
            job.cancel()
        with self._cache_lock:
            # Either the plan is kept or its job is listed: a job keeps its plan before it leaves the list.
            kept = self._results.get(key)
            if kept is None and key in self._jobs:
                return
            if kept is None:
                job = self._executor.submit(lambda: self._store(key, self._compute(key)))
                self._jobs[key] = job
        if kept is not None:  # computed meanwhile
            self._show(key, kept)
        else:
            job.add_done_callback(lambda done: self._finished(key, done))

    def _finished(self, key: PlanKey, job: Future[tuple[Plan, Forecast]]) -> None:
        with self._cache_lock:
            if self._jobs.get(key) is job:
                del self._jobs[key]
        if job.cancelled():
            return
        error = job.exception()
        if error is None:
            try:
                self._show(key, job.result())
                return
            except Exception as exc:  # a callback's exception would only be logged: said in place of the plan
                error = exc
        # shown in place of the plan; reading .plan computes it again and raises
        with self._render_lock:
            if key == self._plan_key():
                self._render_failure(error)

    def _result(self) -> tuple[Plan, Forecast]:
        """The plan and forecast of the current settings, shown; waits for them or computes them."""
        key = self._plan_key()
        with self._cache_lock:
            kept = self._results.get(key)
            job = self._jobs.get(key)
        if kept is None:  # a failed job raises here
            kept = job.result() if job is not None else self._store(key, self._compute(key))
        self._show(key, kept)
        return kept

    def wait(self) -> None:
        """Wait until the plan of the current settings is computed and shown."""
        self._result()

    def close(self) -> None:
        """Stop the background thread (plans still waiting are dropped); from then on each
        control computes its plan in its handler."""
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)

    @property
    def plan(self) -> Plan:
        return self._result()[0]

    @property
    def forecast(self) -> Forecast:
        return self._result()[1]

    @property
    def plan_documents(self) -> pd.DataFrame:
        """The plan's documents that pass the filters."""
        return self._plan_documents(self.plan)

    def _plan_documents(self, plan: Plan) -> pd.DataFrame:
        keep = plan.documents["doc_code"].isin(set(self.documents["doc_code"]))
        return plan.documents[keep].reset_index(drop=True)

    def _filter(self) -> None:
        areas, opds, statuses, bands = (set(x.value) for x in self.filters)
        docs = self.scores.documents[self.scores.documents["applicable"]]
        if areas:
            docs = docs[docs["area_name"].isin(areas)]
        if opds:
            docs = docs[docs["opd"].isin(opds)]
        if statuses:
            docs = docs[docs["status"].isin(statuses)]
        self.documents = docs.reset_index(drop=True)
        by_area = self.scores.by_area
        by_area = by_area.assign(band=by_area["verified"].map(lambda v: self.framework.bands.classify(v).name))
        if areas:
            by_area = by_area[by_area["area_name"].isin(areas)]
        if bands:
            by_area = by_area[by_area["band"].isin(bands)]
        self.areas = by_area.reset_index(drop=True)
        self.opds = (
            aggregate(docs, ["opd"]).sort_values(["points_open", "opd"], ascending=[False, True]).reset_index(drop=True)
            if len(docs)
            else self.scores.by_opd.iloc[:0]
        )

    # --- labels and rendering -----------------------------------------------------------------

    @property
    def delta_label(self) -> str:
        """E.g. ``+4,2 poin jika 3 dokumen dianggap selesai dan 1 ditolak`` (empty without assumptions)."""
        done, rejected = len(self.assumed_done), len(self.assumed_rejected)
        if not done and not rejected:
            return ""
        parts = []
        if done:
            parts.append(f"{done} dokumen dianggap selesai")
        if rejected:
            parts.append(f"{rejected} dokumen dianggap ditolak")
        return f"{text.signed(self.delta)} poin jika " + " dan ".join(parts)

    @property
    def headline(self) -> dict[str, str]:
        """The headline figures as shown (Indonesian formats): the scores, the two chances of the
        year's end (without and with the plan) with their bands, and the plan."""
        return self._headline(self.plan)

    def _headline(self, plan: Plan | None) -> dict[str, str]:
        out = {
            "Tanggal": text.date(self.snapshot.date),
            "Nilai terverifikasi": text.percent(self.scores.verified),
            "Predikat": self.scores.band.name,
            "Nilai klaim": text.percent(self.scores.claim),
            "Target": text.percent(self.w_target.value),
            f"Peluang {WITHOUT_PLAN}": PENDING,
            f"Peluang {WITH_PLAN}": PENDING,
            "Rencana": PENDING,
        }
        if plan is None:
            return out
        v = plan.verdict
        for label, outlook in ((WITHOUT_PLAN, v.without_plan), (WITH_PLAN, v.with_plan)):
            chance = text.chance(outlook.chance, v.reachable)
            out[f"Peluang {label}"] = f"{chance} (nilai akhir {text.band(outlook.p10, outlook.p90)})"
        waiting = int((plan.documents["status"] == DIUNGGAH).sum())
        out["Rencana"] = (
            f"{v.documents - waiting} dokumen baru, {text.number(v.effort, 0)} hari-orang; kawal {waiting} unggahan"
            if v.reachable
            else f"tidak tercapai, paling tinggi {text.percent(v.score_after)}"
        )
        return out

    @property
    def assumes(self) -> str:
        """What the chances assume, in one paragraph (shown under the headline)."""
        return self._assumes(self.plan)

    def _assumes(self, plan: Plan) -> str:
        v = plan.verdict
        out = (
            f"Dua peluang dari satu model dengan undian yang sama: {WITHOUT_PLAN} (setiap OPD terus dengan lajunya, "
            f"dibatasi kapasitasnya) dan {WITH_PLAN} (dokumen rencana sesuai jadwal, sisa laju OPD untuk dokumen "
            "lain); risiko verifikasi (nilai sebagian, unggah ulang sampai batas unggah "
            f"{text.date(plan.calendar.close)}, efek pemda bersama) dan galat proyeksi yang terukur pada tahun "
            f"nyata. Rencana disusun dengan keyakinan {text.percent(100 * self.w_confidence.value, 0)} (setelan): "
        )
        if not v.reachable:
            out += "target di luar jangkauan dengan batasan saat ini."
        elif v.confidence_met:
            out += "terpenuhi."
        else:
            out += "tidak terpenuhi dalam kapasitas; " + "; ".join(v.limits) + "."
        if v.with_below_without:
            out += " " + WITH_BELOW_WITHOUT
        return out

    def _show(self, key: PlanKey, result: tuple[Plan, Forecast]) -> None:
        """Render the plan of ``key`` if the settings still ask for it and it is not shown yet."""
        with self._render_lock:
            if key != self._plan_key() or key[:3] != self._scored_for or self._shown == key:
                return  # settings changed since, the scores are not yet the plan's, or shown already
            self._render_plan(result)
            self._shown = key

    def _render_plan(self, result: tuple[Plan, Forecast] | None) -> None:
        """The outputs that need the plan: the headline, what it assumes, the plan table, the
        trend with the forecast; with ``None``, the headline without the plan's figures."""
        plan = result[0] if result is not None else None
        self.out_headline.value = (
            "<div style='display:flex;flex-wrap:wrap;gap:14px'>"
            + "".join(
                f"<div><small>{esc(k)}</small><br><b style='font-size:1.3em'>{esc(v)}</b></div>"
                for k, v in self._headline(plan).items()
            )
            + "</div>"
        )
        if result is None:
            self.out_assumes.value = f"<p><small>Rencana dan peluang sedang dihitung ({PENDING})</small></p>"
            self.out_plan.value = f"<p><i>Rencana sedang dihitung ({PENDING})</i></p>"
            self.out_trend.value = f"<p><i>Proyeksi sedang dihitung ({PENDING})</i></p>"
            return
        self.out_assumes.value = f"<p><small>{esc(self._assumes(result[0]))}</small></p>"
        self.out_plan.value = self._plan_table(result[0])
        self.out_trend.value = self._trend(result[1])

    def _render_failure(self, error: BaseException) -> None:
        said = f"Rencana tidak dapat dihitung: {error}"
        self.out_headline.value = self.out_headline.value.replace(esc(PENDING), "gagal dihitung")
        self.out_assumes.value = f"<p><small>{esc(said)}</small></p>"
        self.out_plan.value = self.out_trend.value = f"<p><b>{esc(said)}</b></p>"

    def _render_tables(self) -> None:
        """The outputs of the filters: areas, OPDs, and the plan's documents when it is shown."""
        a = self.areas.assign(
            ver=self.areas["verified"].map(text.percent),
            kla=self.areas["claim"].map(text.percent),
            bar=self.areas["verified"].map(_bar),
        )
        self.out_areas.value = _framed(
            html_table(
                a,
                {"area_name": "Area", "bar": "", "ver": "Terverifikasi", "kla": "Klaim", "band": "Predikat"},
                {"ver", "kla"},
                raw={"bar"},
            )
        )
        self.out_opds.value = _framed(opd_table(self.opds, awaiting=False))
        kept = self._kept(self._shown) if self._shown is not None and self._shown == self._plan_key() else None
        if kept is not None:
            self.out_plan.value = self._plan_table(kept[0])

    def _plan_table(self, plan: Plan) -> str:
        shown = self._plan_documents(plan)
        p = shown.assign(
            dok=shown["doc_code"] + " " + shown["doc_name"],
            poin=shown["gain"].map(lambda x: text.number(x, 2)),
            hari=shown["effort"].map(lambda x: text.number(x, 0)),
            cad=shown["reserve"].map({True: "cadangan", False: ""}),
        )
        return _framed(
            html_table(
                p,
                {
                    "dok": "Dokumen",
                    "opd": "OPD",
                    "action": "Tindakan",
                    "due_month": "Selesai",
                    "poin": "Poin",
                    "hari": "Hari-orang",
                    "cad": "Cadangan",
                },
                {"poin", "hari"},
            )
        )

    def _trend(self, f: Forecast) -> str:
        key = (self.w_snapshot.value, self.w_target.value, round(f.median, 6), round(f.p10, 6), round(f.p90, 6))
        svg = self._chart_cache.get(key)
        if svg is None:
            chart = charts.trend_chart(
                self.history,
                self.w_target.value,
                self.pemda.last_final,
                mark=self.snapshot.date,
                forecast=f.path,
                bands=self.framework.bands,
            )
            svg = charts.figure(
                chart,
                f"Nilai per snapshot; garis hitam: snapshot yang dipilih; pita biru: proyeksi {WITHOUT_PLAN} (80%) "
                "dari snapshot itu",
            )
            self._chart_cache.put(key, svg)
        return str(svg)

    # --- export -------------------------------------------------------------------------------

    def export(self, folder: str | Path | None = None, name: str | None = None) -> dict[str, Path]:
        """Write the current scenario: ``<name>-asumsi.csv`` (the file ``mcp brief --assume-done``
        takes), ``<name>.xlsx`` (assumptions, scores per area and OPD, the plan) and
        ``<name>.json`` (the settings and the ``mcp brief`` command). Never overwrites: an
        existing name gets ``-2``, ``-3``, ...

        Returns the written paths by kind (``asumsi``, ``xlsx``, ``json``).
        """
        folder = Path(folder) if folder else OUTPUTS_DIR / self.pemda.slug / "skenario"
        folder.mkdir(parents=True, exist_ok=True)
        base = (
            "".join(
                ch if ch.isalnum() or ch in "-_" else "-" for ch in (name or self.w_name.value or "skenario")
            ).strip("-")
            or "skenario"
        )
        stem, i = base, 2
        while any((folder / f"{stem}{s}").exists() for s in ("-asumsi.csv", ".xlsx", ".json")):
            stem, i = f"{base}-{i}", i + 1
        paths = {
            "asumsi": folder / f"{stem}-asumsi.csv",
            "xlsx": folder / f"{stem}.xlsx",
            "json": folder / f"{stem}.json",
        }
        assumptions = write_assumptions(paths["asumsi"], self.assumed_done, self.assumed_rejected)
        self._write_workbook(paths["xlsx"], assumptions)
        period = f"{self.snapshot.date:%Y-%m}"
        command = (
            f"mcp brief --pemda {self.pemda.slug} --period {period} --target {self.w_target.value:g} "
            f"--confidence {self.w_confidence.value:g} --assume-done {paths['asumsi']}"
        )
        settings = {
            "pemda": self.pemda.slug,
            "period": period,
            "snapshot": self.snapshot.date.isoformat(),
            "target": self.w_target.value,
            "confidence": self.w_confidence.value,
            "allow_blocked": self.w_blocked.value,
            "assume_done": str(paths["asumsi"]),
            "verified": round(self.scores.verified, 4),
            "verified_without_assumptions": round(self.base.verified, 4),
            "command": command,
        }
        body = json.dumps(settings, indent=1, ensure_ascii=False) + "\n"
        write_via_temp(paths["json"], lambda tmp: tmp.write_text(body, encoding="utf-8"), backup=False)
        self.out_export.value = (
            f"<p>Skenario ditulis ke {esc(folder)}. Brief dari skenario ini:<br><code>{esc(command)}</code></p>"
        )
        return paths

    def _write_workbook(self, path: Path, assumptions: pd.DataFrame) -> None:
        wb = workbook.new_workbook()
        sheets = {
            "Asumsi": assumptions,
            "Ringkasan": pd.DataFrame([self.headline]).T.reset_index().set_axis(["Ukuran", "Nilai"], axis=1),
            "Area": self.scores.by_area[["area_name", "verified", "claim", "progress"]].round(3),
            "OPD": self.scores.by_opd[
                ["opd", "verified", "points_open", "documents", "late", "rejected", "blocked"]
            ].round(3),
            "Rencana": self.plan.documents[
                [
                    "doc_code",
                    "doc_name",
                    "opd",
                    "status",
                    "action",
                    "due_month",
                    "gain",
                    "effort",
                    "reserve",
                    "cumulative_score",
                ]
            ].round(3),
        }
        wb.remove(wb.active)
        for title, frame in sheets.items():
            workbook.frame_sheet(wb.create_sheet(title), frame)
        stamp = dt.datetime.combine(self.snapshot.date, dt.time())  # the same scenario, the same bytes
        workbook.save(wb, path, stamp=stamp, backup=False)


def _framed(table: str) -> str:
    return f'{_STYLE}<div class="mcp-x">{table}</div>'


def _bar(score: float) -> str:
    width = max(0.0, min(100.0, score))
    colour = charts.PALETTE["verified"]
    return f'<span class="bar" style="display:inline-block;height:10px;width:{width:.0f}px;background:{colour}"></span>'
