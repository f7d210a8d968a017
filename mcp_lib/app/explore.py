"""Interactive exploration in JupyterLab: an ipywidgets explorer over scores, plans and what-ifs.

``Explorer(pemda, period)`` holds the state; every control change calls :meth:`Explorer.recompute`,
which recomputes the frames (``areas``, ``opds``, ``documents``, ``plan_documents``) and the
labels from :mod:`mcp_lib.scoring` and :mod:`mcp_lib.plan.planner`, then refreshes the HTML outputs.
Tests drive the controls by setting widget values, with no browser.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import ipywidgets as w
import pandas as pd

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
_STYLE = (
    "<style>.mcp-x table{border-collapse:collapse;font-size:13px}.mcp-x th,.mcp-x td{padding:3px 10px;"
    "border-bottom:1px solid #ddd;text-align:left}.mcp-x td.num,.mcp-x th.num{text-align:right}</style>"
)


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

    Attributes
    ----------
    scores, base
        Scores with the assumptions applied, and of the file as it is.
    plan
        The plan for the current settings: the minimal plan and the plan with reserve for the
        confidence slider (:func:`mcp_lib.plan.planner.plan_path`).
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
        self._chart_cache: dict[tuple, str] = {}
        self._build_widgets(start, float(target or self.pemda.target), confidence)
        self.recompute()

    # --- widgets ------------------------------------------------------------------------------

    def _build_widgets(self, start: int, target: float, confidence: float) -> None:
        fw = self.framework
        applicable = fw.documents[fw.applies(self.pemda.kind).to_numpy()]
        opds = sorted({o.name for o in self.pemda.opds} | set(self.snapshots[start].documents["opd"].dropna()) - {""})
        self.w_snapshot = w.SelectionSlider(
            options=[(text.date(s.date, "d MMM y"), i) for i, s in enumerate(self.snapshots)],
            value=start,
            description="Snapshot",
            continuous_update=False,
            layout=_WIDE,
        )
        self.w_area = w.SelectMultiple(options=list(fw.areas["area_name"]), description="Area", rows=5)
        self.w_opd = w.SelectMultiple(options=opds, description="OPD", rows=5)
        self.w_status = w.SelectMultiple(
            options=[(STATUS_LABELS[s], s) for s in STATUSES], description="Status", rows=5
        )
        self.w_band = w.SelectMultiple(options=[b.name for b in fw.bands.items], description="Predikat", rows=4)
        self.w_target = w.FloatSlider(
            value=target,
            min=0,
            max=100,
            step=0.5,
            description="Target",
            continuous_update=False,
            readout_format=".1f",
        )
        self.w_confidence = w.FloatSlider(
            value=confidence,
            min=0.0,
            max=0.99,
            step=0.01,
            description="Keyakinan",
            continuous_update=False,
            readout_format=".2f",
        )
        self.w_blocked = w.Checkbox(value=False, description="Pakai dokumen terblokir", indent=False)
        doc_options = [(f"{r.doc_code} {r.doc_name}", r.doc_code) for r in applicable.itertuples()]
        self.w_done = w.SelectMultiple(options=doc_options, description="Anggap selesai", rows=8, layout=_WIDE)
        self.w_rejected = w.SelectMultiple(options=doc_options, description="Anggap ditolak", rows=8, layout=_WIDE)
        self.w_name = w.Text(value="skenario", description="Nama")
        self.w_export = w.Button(description="Ekspor skenario", icon="download")
        self.w_export.on_click(lambda _: self.export())
        self.controls = [
            self.w_snapshot,
            self.w_area,
            self.w_opd,
            self.w_status,
            self.w_band,
            self.w_target,
            self.w_confidence,
            self.w_blocked,
            self.w_done,
            self.w_rejected,
        ]
        for control in self.controls:
            control.observe(self._changed, names="value")
        self.out_headline, self.out_delta, self.out_trend = w.HTML(), w.HTML(), w.HTML()
        self.out_assumes = w.HTML()
        self.out_areas, self.out_opds, self.out_plan, self.out_export = w.HTML(), w.HTML(), w.HTML(), w.HTML()

    def _changed(self, _change: dict) -> None:
        self.recompute()

    @property
    def widget(self) -> w.Widget:
        """The whole explorer as one widget (what the notebook displays)."""
        filters = w.HBox([self.w_area, self.w_opd, self.w_status, self.w_band])
        settings = w.HBox([self.w_target, self.w_confidence, self.w_blocked])
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

    def recompute(self) -> None:
        """Recompute every frame and label from the current control values, then the outputs."""
        fw, pemda = self.framework, self.pemda
        self.base: Scores = score_snapshot(fw, pemda, self.snapshot)
        self.scenario = apply_assumptions(
            fw, self.snapshot, self.assumed_done, self.assumed_rejected, source="explorer"
        )
        self.scores: Scores = score_snapshot(fw, pemda, self.scenario)
        until = self.history[self.history["date"] <= self.snapshot.date]
        paced = self.opd_history[self.opd_history["date"] <= self.snapshot.date]
        options = PlanOptions(allow_blocked=self.w_blocked.value, confidence=self.w_confidence.value, seed=self.seed)
        self.plan: Plan = plan_path(
            fw, pemda, self.scenario, self.w_target.value, options, history=until, opd_history=paced
        )
        self.forecast: Forecast = forecast_pemda(
            fw, pemda, self.scenario, opd_history=paced, target=self.w_target.value, options=options
        )
        self.delta = self.scores.verified - self.base.verified
        self._filter()
        self._render()

    def _filter(self) -> None:
        areas, opds, statuses, bands = (set(x.value) for x in (self.w_area, self.w_opd, self.w_status, self.w_band))
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
        plan = self.plan.documents
        keep = plan["doc_code"].isin(set(self.documents["doc_code"]))
        self.plan_documents = plan[keep].reset_index(drop=True)

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
        v = self.plan.verdict
        out = {
            "Tanggal": text.date(self.snapshot.date),
            "Nilai terverifikasi": text.percent(self.scores.verified),
            "Predikat": self.scores.band.name,
            "Nilai klaim": text.percent(self.scores.claim),
            "Target": text.percent(self.w_target.value),
            f"Peluang {WITHOUT_PLAN}": f"{text.chance(v.without_plan.chance, v.reachable)} "
            f"(nilai akhir {text.band(v.without_plan.p10, v.without_plan.p90)})",
            f"Peluang {WITH_PLAN}": f"{text.chance(v.with_plan.chance, v.reachable)} "
            f"(nilai akhir {text.band(v.with_plan.p10, v.with_plan.p90)})",
        }
        waiting = int((self.plan.documents["status"] == DIUNGGAH).sum())
        out["Rencana"] = (
            f"{v.documents - waiting} dokumen baru, {text.number(v.effort, 0)} hari-orang; kawal {waiting} unggahan"
            if v.reachable
            else f"tidak tercapai, paling tinggi {text.percent(v.score_after)}"
        )
        return out

    @property
    def assumes(self) -> str:
        """What the chances assume, in one paragraph (shown under the headline)."""
        v = self.plan.verdict
        out = (
            f"Dua peluang dari satu model dengan undian yang sama: {WITHOUT_PLAN} (setiap OPD terus dengan lajunya, "
            f"dibatasi kapasitasnya) dan {WITH_PLAN} (dokumen rencana sesuai jadwal, sisa laju OPD untuk dokumen "
            "lain); risiko verifikasi (nilai sebagian, unggah ulang sampai batas unggah "
            f"{text.date(self.plan.calendar.close)}, efek pemda bersama) dan galat proyeksi yang terukur pada tahun "
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

    def _render(self) -> None:
        self.out_headline.value = (
            "<div style='display:flex;flex-wrap:wrap;gap:14px'>"
            + "".join(
                f"<div><small>{esc(k)}</small><br><b style='font-size:1.3em'>{esc(v)}</b></div>"
                for k, v in self.headline.items()
            )
            + "</div>"
        )
        self.out_assumes.value = f"<p><small>{esc(self.assumes)}</small></p>"
        self.out_delta.value = f"<p><b>{esc(self.delta_label)}</b></p>" if self.delta_label else ""
        f = self.forecast
        key = (
            self.w_snapshot.value,
            self.w_target.value,
            round(f.median, 6),
            round(f.p10, 6),
            round(f.p90, 6),
        )
        if key not in self._chart_cache:
            chart = charts.trend_chart(
                self.history,
                self.w_target.value,
                self.pemda.last_final,
                mark=self.snapshot.date,
                forecast=f.path,
                bands=self.framework.bands,
            )
            self._chart_cache[key] = charts.figure(
                chart,
                f"Nilai per snapshot; garis hitam: snapshot yang dipilih; pita biru: proyeksi {WITHOUT_PLAN} (80%) "
                "dari snapshot itu",
            )
        self.out_trend.value = self._chart_cache[key]
        a = self.areas.assign(
            ver=self.areas["verified"].map(text.percent),
            kla=self.areas["claim"].map(text.percent),
            bar=self.areas["verified"].map(_bar),
        )
        self.out_areas.value = html_table(
            a,
            {"area_name": "Area", "bar": "", "ver": "Terverifikasi", "kla": "Klaim", "band": "Predikat"},
            {"ver", "kla"},
            raw={"bar"},
        )
        self.out_opds.value = opd_table(self.opds, awaiting=False)
        p = self.plan_documents.assign(
            dok=self.plan_documents["doc_code"] + " " + self.plan_documents["doc_name"],
            poin=self.plan_documents["gain"].map(lambda x: text.number(x, 2)),
            hari=self.plan_documents["effort"].map(lambda x: text.number(x, 0)),
            cad=self.plan_documents["reserve"].map({True: "cadangan", False: ""}),
        )
        self.out_plan.value = html_table(
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
        for out in (self.out_areas, self.out_opds, self.out_plan):
            out.value = f'{_STYLE}<div class="mcp-x">{out.value}</div>'

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


def _bar(score: float) -> str:
    width = max(0.0, min(100.0, score))
    colour = charts.PALETTE["verified"]
    return f'<span class="bar" style="display:inline-block;height:10px;width:{width:.0f}px;background:{colour}"></span>'
