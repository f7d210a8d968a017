"""The monthly brief: its data, its sections as escaped HTML, the HTML file and the action workbook.

Notebooks call :func:`prepare` once and display the sections; every number they show comes from
here (and from the modules below it), where tests reach it. Every data-derived string passes
through :func:`mcp_lib.text.escape` before it reaches HTML.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from mcp_lib import __version__, charts, text
from mcp_lib.config import PACKAGE_DIR, STATUS_LABELS
from mcp_lib.errors import InputError
from mcp_lib.forecast import Forecast, forecast_pemda
from mcp_lib.framework import Framework, load_framework
from mcp_lib.pemda import Pemda, load_pemda, pemda_calendar, pemda_framework
from mcp_lib.planner import (
    Plan,
    TargetPlans,
    Verdict,
    apply_assumptions,
    default_targets,
    plan_targets,
    planning_horizon,
    scenarios,
)
from mcp_lib.readers import keep_as_text, read_assumptions
from mcp_lib.risk import changed_parameters
from mcp_lib.scoring import Scores, score_snapshot
from mcp_lib.snapshot import Snapshot, load_history, load_period
from mcp_lib.trend import Trend, compute_trend, score_history

TEMPLATE_DIR = PACKAGE_DIR / "templates"
TEMPLATE_NAME = "mcp_brief"
esc = text.escape


class Html(str):
    """HTML that Jupyter displays as HTML (and nbconvert copies into the brief as it is)."""

    def _repr_html_(self) -> str:
        return str(self)


@dataclass(frozen=True)
class FrameworkChange:
    """How the framework of last year's final score differs from this year's.

    Attributes
    ----------
    old_year, new_year
        Framework years of last year's final score and of this year's score.
    available
        Whether the framework of ``old_year`` was found (when not, ``added`` and ``removed`` are
        empty: nothing is known about its areas).
    added, removed
        Area names only in this year's framework / only in last year's, in framework order
        (compared on the name, ignoring case and spacing; only areas that apply to the pemda).
    """

    old_year: int
    new_year: int
    available: bool
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    @property
    def areas_differ(self) -> bool:
        return bool(self.added or self.removed)


def _area_names(fw: Framework, kind: str | None) -> list[str]:
    """Area names in framework order (those with a sub-indicator applying to ``kind``)."""
    subs = fw.subindicators
    if kind is not None:
        subs = subs[subs["applies_to"].map(lambda kinds: "semua" in kinds or kind in kinds)]
    return list(dict.fromkeys(subs["area_name"]))


def framework_change(
    old: Framework | None, new: Framework, *, old_year: int | None = None, kind: str | None = None
) -> FrameworkChange | None:
    """Compare the framework of last year's final score (``old``) with this year's (``new``).

    ``None`` when both are the same framework year (nothing to say). With ``old`` missing (its
    framework is not in the data), a change marked unavailable for ``old_year``, or ``None``
    without ``old_year``. ``kind`` limits both frameworks to the areas that apply to such a pemda
    (Tata Kelola Dana Desa never counted for a kota, so a kota is not told it disappeared).
    """
    if old is None:
        if old_year is None or old_year == new.year:
            return None
        return FrameworkChange(old_year=old_year, new_year=new.year, available=False)
    if old.year == new.year:
        return None

    def key(name: str) -> str:
        return " ".join(str(name).casefold().split())

    old_names, new_names = _area_names(old, kind), _area_names(new, kind)
    old_keys, new_keys = {key(n) for n in old_names}, {key(n) for n in new_names}
    return FrameworkChange(
        old_year=old.year,
        new_year=new.year,
        available=True,
        added=tuple(n for n in new_names if key(n) not in old_keys),
        removed=tuple(n for n in old_names if key(n) not in new_keys),
    )


def last_final_change(
    pemda: Pemda, framework: Framework, data_dir: Path | None = None
) -> FrameworkChange | None:
    """:func:`framework_change` between the framework of the pemda's last final score (looked up
    like this year's, under ``data_dir`` then the bundled frameworks) and ``framework``. A
    framework of that year that is missing, or that does not load, counts as unavailable: this
    year's brief does not depend on it."""
    if pemda.last_final is None:
        return None
    year = pemda.last_final[0]
    old = None
    if year != framework.year:
        try:
            old = load_framework(year, data_dir or pemda.data_root)
        except InputError:
            old = None
    return framework_change(old, framework, old_year=year, kind=pemda.kind)


def framework_change_text(c: FrameworkChange) -> str:
    """The change in plain Indonesian (escape it before it reaches HTML)."""
    head = (
        f"Nilai akhir {c.old_year} dihitung dengan kerangka MCP {c.old_year}, nilai tahun ini dengan "
        f"kerangka MCP {c.new_year}"
    )
    if not c.available:
        return (
            f"{head}. Kerangka MCP {c.old_year} tidak tersedia di data, sehingga perubahan area tidak dapat "
            f"ditampilkan; nilai akhir {c.old_year} dibandingkan sebagai nilai total saja."
        )
    if not c.areas_differ:
        return (
            f"{head}. Areanya sama, tetapi bobot dan sub-indikator dapat berbeda; yang dibandingkan hanya "
            "nilai total."
        )
    parts = []
    if c.added:
        parts.append("Area baru: " + ", ".join(c.added))
    if c.removed:
        parts.append("area yang tidak ada lagi: " + ", ".join(c.removed))
    listing = "; ".join(parts)
    return (
        f"{head}; susunan areanya berbeda, sehingga yang dibandingkan hanya nilai total, bukan nilai per area. "
        f"{listing[0].upper()}{listing[1:]}."
    )


@dataclass(frozen=True, eq=False)
class BriefData:
    """Everything the brief shows for one pemda and period, computed once."""

    pemda: Pemda
    framework: Framework
    snapshot: Snapshot
    period: str
    scores: Scores
    history: pd.DataFrame
    trend: Trend
    plans: TargetPlans
    forecast: Forecast
    """The year-end forecast at the pemda's pace (:func:`mcp_lib.forecast.forecast_pemda`)."""
    target: float
    confidence: float
    provenance: pd.DataFrame
    assumed_done: tuple[str, ...] = ()
    assumed_rejected: tuple[str, ...] = ()
    assumptions_file: str = ""
    framework_change: FrameworkChange | None = None
    """The framework of last year's final score against this year's (see :func:`framework_change`)."""

    @property
    def is_scenario(self) -> bool:
        """Whether documents were assumed done or rejected (a what-if, not the files as they are)."""
        return bool(self.assumed_done or self.assumed_rejected)

    @property
    def plan(self) -> Plan:
        """The plan for the (highest) target."""
        return self.plans.plans[-1]

    @property
    def first_step(self) -> Plan | None:
        """The plan for the lower target (last year's score) when it nests in the main plan."""
        if len(self.plans.plans) > 1 and self.plans.nested[-1]:
            return self.plans.plans[-2]
        return None


def _sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


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


def prepare_key(*args: object, **kwargs: object) -> tuple:
    """The arguments of :func:`prepare` (bound to its signature, defaults applied) in one
    comparable form: blank and ``None`` alike, numbers as floats, paths as text; ``prepared``
    is not part of it."""
    import inspect

    bound = inspect.signature(prepare).bind(*args, **kwargs)
    bound.apply_defaults()
    a = bound.arguments
    return (
        str(a["pemda"]), str(a["period"]), str(a["data_dir"] or ""), float(a["target"] or 0.0),
        float(a["confidence"]), str(a["assume_done"] or ""),
    )  # fmt: skip


def hand_over(data: BriefData, key: tuple, path: Path) -> None:
    """Write ``data`` (computed for the :func:`prepare_key` ``key``) to ``path``, for the
    notebooks' ``prepared`` parameter: the runner computes the brief's data once and every
    notebook of the run receives it, in the open, as a parameter."""
    import pickle

    path.write_bytes(pickle.dumps((key, data), protocol=pickle.HIGHEST_PROTOCOL))


def _prepared(path: str | Path | None, key: tuple) -> BriefData | None:
    """The data in a :func:`hand_over` file, if the file exists and was made for ``key``."""
    import pickle

    if not path or not Path(path).is_file():
        return None
    try:
        saved_key, data = pickle.loads(Path(path).read_bytes())
    except (pickle.UnpicklingError, EOFError, ValueError, AttributeError, ImportError, TypeError):
        return None
    return data if saved_key == key and isinstance(data, BriefData) else None


def prepare(
    pemda: str | Path,
    period: str,
    data_dir: str | Path | None = None,
    target: float | None = None,
    confidence: float = 0.8,
    assume_done: str | Path | None = None,
    prepared: str | Path | None = None,
) -> BriefData:
    """Load, validate and compute everything for the brief of ``pemda`` in ``period``.

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
    prepared
        A file the runner wrote with this data (:func:`hand_over`): used when it exists and was
        made for exactly these arguments, else everything is computed here (an executed notebook
        opened later, whose temporary file is gone, computes the same figures again).
    """
    handed = _prepared(prepared, prepare_key(pemda, period, data_dir, target, confidence, assume_done))
    if handed is not None:
        return handed
    data_dir = Path(data_dir) if data_dir else None
    p = load_pemda(pemda, data_dir)
    fw = pemda_framework(p, data_dir)
    snap = load_period(p, fw, period)
    snaps = load_history(p, fw, until=snap.date)
    files = tuple(s.path for s in snaps)
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
    targets = sorted({target, *(t for t in default_targets(p) if t < target)})
    return BriefData(
        pemda=p, framework=fw, snapshot=snap, period=period, scores=score_snapshot(fw, p, snap),
        history=history,
        trend=compute_trend(fw, p, snaps, target=target, history=history, deadline=horizon),
        plans=plan_targets(fw, p, snap, targets, confidence=confidence, history=history),
        forecast=forecast_pemda(fw, p, snap, history, target),
        target=target, confidence=confidence,
        provenance=provenance(p, fw, [], (*files, *((Path(assume_done),) if assume_done else ()))),
        assumed_done=tuple(done), assumed_rejected=tuple(rejected), assumptions_file=str(assume_done or ""),
        framework_change=last_final_change(p, fw, data_dir),
    )  # fmt: skip


# --- HTML helpers ----------------------------------------------------------------------------


NUM = ' class="num"'
"""The attribute of a numeric table cell (right-aligned by the template's CSS)."""


def _table(
    frame: pd.DataFrame,
    columns: dict[str, str],
    numeric: set[str] = frozenset(),
    caption: str = "",
    raw: set[str] = frozenset(),
    short: set[str] = frozenset(),
) -> str:
    """An HTML table of pre-formatted values. ``columns`` maps frame column → Indonesian header.
    Every cell is escaped except ``raw`` columns, which hold markup the code built from numbers
    (never text from the data). ``short`` columns (a word or a month) share a line with the
    numbers when a phone stacks the row."""
    head = "".join(f'<th scope="col"{NUM if c in numeric else ""}>{esc(h)}</th>' for c, h in columns.items())
    body = []
    labels = {c: esc(h) for c, h in columns.items()}
    attrs = {c: NUM if c in numeric else ' class="short"' if c in short else "" for c in columns}
    for rec in frame[list(columns)].itertuples(index=False):
        # data-label: on a phone the rows stack and each cell shows its column's name
        cells = "".join(
            f'<td{attrs[c]} data-label="{labels[c]}">{v if c in raw else esc(v)}</td>'
            for c, v in zip(columns, rec, strict=True)
        )
        body.append(f"<tr>{cells}</tr>")
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return f'<div class="table-wrap"><table>{cap}<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'


def _card(label: str, value: str, note: str = "", cls: str = "") -> str:
    note_html = f'<span class="note">{esc(note)}</span>' if note else ""
    classes = f"card {cls}".strip()
    return f'<div class="{classes}"><span class="label">{esc(label)}</span><span class="value">{esc(value)}</span>{note_html}</div>'


def _band_class(name: str) -> str:
    return "band-" + re.sub(r"[^a-z0-9]+", "-", name.lower())


def _pct(v: float | None, digits: int = 1) -> str:
    return text.percent(v, digits)


def _chance(p: float, possible: bool = True) -> str:
    return text.chance(p, possible)


def _range(low: float, high: float) -> str:
    return f"{text.number(low, 0)}–{text.percent(high, 0)}"


def chance_assumptions(b: BriefData) -> str:
    """What every chance and forecast in the brief assumes, in one sentence."""
    cal = b.plan.calendar
    close = text.date(cal.close) if cal is not None else "batas unggah"
    return (
        "Peluang dan proyeksi dihitung dengan model risiko verifikasi: dokumen dapat diterima sebagian "
        f"(nilai sebagian), dokumen yang kurang dapat diunggah ulang sampai batas unggah {close}, dan semua "
        "dokumen satu pemda berbagi satu efek pemda yang diperbarui dengan catatan verifikasi pemda ini. "
        "Parameternya perkiraan dari data MCP 2020–21 dan dasbor 2025 (dapat diubah di pemda.toml, bagian [risiko])."
    )


def _chance_note(b: BriefData, v: Verdict) -> str:
    if not v.reachable:
        return "target di luar jangkauan dengan batasan saat ini"
    band = _range(v.final_band[0], v.final_band[2])
    if v.confidence_met:
        what = (
            "rencana minimal"
            if v.reserve_documents == 0 and v.documents == (v.minimal.documents if v.minimal else 0)
            else "rencana dengan cadangan"
        )
        return f"{what}; rentang 80% nilai akhir: {band}"
    return f"tertinggi yang dapat dicapai dalam kapasitas; rentang 80% nilai akhir: {band}"


# --- sections -------------------------------------------------------------------------------


def title(b: BriefData) -> Html:
    """Title block: pemda, period, snapshot date, sample-data notice when the pemda has one."""
    month = text.month(b.snapshot.date)
    notice = f'<p class="notice">{esc(b.pemda.note)}</p>' if b.pemda.note else ""
    fw_note = ""
    if "rekonstruksi" in b.framework.label.lower():
        fw_note = f'<p class="notice">Kerangka: {esc(b.framework.label)}.</p>'
    if b.is_scenario:
        notice = (
            f'<p class="notice scenario">SKENARIO, bukan keadaan berkas: {len(b.assumed_done)} dokumen dianggap '
            f"selesai diverifikasi dan {len(b.assumed_rejected)} dianggap ditolak "
            f"(berkas asumsi {esc(Path(b.assumptions_file).name)}).<br>"
            f"Selesai: {esc(', '.join(b.assumed_done) or '–')}. Ditolak: {esc(', '.join(b.assumed_rejected) or '–')}.</p>"
            + notice
        )
    return Html(
        f'<header class="brief-title"><p class="kicker">Brief rapat monitoring dan evaluasi MCP KPK</p>'
        f"<h1>{esc(b.pemda.name)}: {esc(month)}</h1>"
        f"<p>Data per {esc(text.date(b.snapshot.date))} · Kerangka MCP {b.framework.year} · "
        f"{esc(b.pemda.province)}</p>{notice}{fw_note}</header>"
    )


def _versus_now(diff: float) -> str:
    """Where the score now stands against an earlier one, in words (no ambiguous sign)."""
    if round(diff, 1) == 0:
        return "sama dengan nilai sekarang"
    where = "di atasnya" if diff > 0 else "di bawahnya"
    return f"nilai sekarang {text.number(abs(diff))} poin {where}"


def _verified_note(s: Scores) -> str:
    """The band, and the year's penalty (already deducted) when there is one."""
    if not s.penalty:
        return f"predikat {s.band.name}"
    return f"predikat {s.band.name}; {text.penalty(s.penalty, s.penalty_reason)}"


def headline(b: BriefData) -> Html:
    """Headline numbers: verified score and band, target, last year's final, gap, claim,
    projection, and the chance the plan reaches the target."""
    s, v = b.scores, b.plan.verdict
    gap = max(b.target - s.verified, 0.0)
    cards = [
        _card("Nilai terverifikasi", _pct(s.verified), _verified_note(s), _band_class(s.band.name)),
        _card("Target", _pct(b.target, 0), f"selisih {text.number(gap)} poin"),
    ]
    if b.pemda.last_final is not None:
        year, score = b.pemda.last_final
        cards.append(
            _card(
                f"Nilai akhir {year}",
                _pct(score),
                _versus_now(s.verified - score),
            )
        )
    f = b.forecast
    cards += [
        _card("Nilai klaim", _pct(s.claim), "jika semua unggahan diterima"),
        _card(
            "Proyeksi akhir tahun",
            _pct(f.median),
            f"80%: {_range(f.p10, f.p90)}; {'laju unggah saat ini' if f.basis == 'laju' else 'pola pemda pada umumnya'}, "
            "dengan risiko verifikasi",
        ),
        _card("Peluang capai target", _chance(v.p_target, v.reachable), _chance_note(b, v)),
    ]
    change = b.framework_change
    fw_note = ""
    if change is not None and change.available and change.areas_differ:
        fw_note = f'<p class="notice framework-change">{esc(framework_change_text(change))}</p>'
    return Html(
        f'<section class="headline"><div class="cards">{"".join(cards)}</div>{fw_note}'
        f'<p class="verdict">{esc(verdict_sentence(b))}</p>'
        + "".join(f'<p class="notice">{esc(n)}</p>' for n in b.plan.notes)
        + f'<p class="assumption">{esc(chance_assumptions(b))}</p></section>'
    )


def verdict_sentence(b: BriefData) -> str:
    """One plain sentence the Sekda can read out (two when a reserve is needed)."""
    v = b.plan.verdict
    if not v.reachable:
        return (
            f"Target {text.percent(b.target, 0)} tidak dapat dicapai dengan batasan saat ini: paling tinggi "
            f"{text.percent(v.score_after)} bila semua diterima (kurang {text.number(v.shortfall)} poin). "
            "Lihat hambatan di bawah."
        )
    m = v.minimal
    until = text.date(b.plan.horizon or b.pemda.deadline)
    out = (
        f"Target {text.percent(b.target, 0)} tercapai dengan paling sedikit {m.documents} dokumen "
        f"({text.number(m.effort, 0)} hari-orang) sampai {until} bila semua diterima verifikator; "
        f"dengan risiko verifikasi peluang rencana minimal itu {_chance(m.chance)}."
    )
    if v.confidence_met and (v.reserve_documents or v.effort > m.effort + 1e-9):
        out += (
            f" Untuk peluang {_chance(v.confidence)}: {v.documents} dokumen ({text.number(v.effort, 0)} hari-orang), "
            f"yaitu {v.reserve_documents} dokumen cadangan dan {text.number(v.reserve_effort, 0)} hari-orang tambahan; "
            f"peluangnya {_chance(v.p_target)}."
        )
    elif not v.confidence_met:
        out += (
            f" Peluang {_chance(v.confidence)} tidak terjangkau dalam kapasitas OPD: peluang tertinggi "
            f"{_chance(v.p_max, v.reachable)} bila {v.documents} dokumen ({text.number(v.effort, 0)} hari-orang) dikerjakan"
            + (f" ({'; '.join(v.limits)})" if v.limits else "")
            + "."
        )
    return out


def trend_section(b: BriefData) -> Html:
    """Trend chart and the table of snapshots."""
    h = b.history.copy()
    h["tanggal"] = h["date"].map(text.date)
    h["ver"] = h["verified"].map(_pct)
    h["kla"] = h["claim"].map(_pct)
    h["laju"] = h["gain_per_month"].map(lambda x: text.signed(x) if pd.notna(x) else "–")
    t = b.trend
    pace = "–" if t.velocity is None else text.signed(t.velocity)
    need = "–" if t.required_velocity is None else text.number(t.required_velocity)
    f = b.forecast
    if t.required_velocity is None:
        lead = f"Laju rata-rata {pace} poin per bulan; tenggat {text.date(t.deadline)} sudah lewat."
    else:
        lead = (
            f"Laju rata-rata {pace} poin per bulan; untuk mencapai {text.percent(b.target, 0)} pada "
            f"{text.date(t.deadline)} dibutuhkan {need} poin per bulan."
        )
    outlook = (
        f"Proyeksi nilai final ({text.date(f.calendar.final)}): median {text.percent(f.median)}, 80% kemungkinan "
        f"antara {text.percent(f.p10)} dan {text.percent(f.p90)}; peluang mencapai {text.percent(b.target, 0)} "
        f"bila laju ini berlanjut (tanpa rencana): {_chance(f.p_target or 0.0, f.reachable)}. Anggapan: "
        + "; ".join(f.assumptions)
        + "."
    )
    if f.basis == "laju":
        outlook += (
            f" Dari {f.open_documents} dokumen yang belum diunggah atau perlu diunggah ulang, diperkirakan "
            f"{text.number(f.expected_uploads, 0)} naik sebelum batas unggah "
            f"(laju {text.number(f.pace or 0, 1)} dokumen per bulan)."
        )
    chart = charts.figure(
        charts.trend_chart(b.history, b.target, b.pemda.last_final, forecast=f.path, close=f.calendar.close),
        "Nilai terverifikasi dan klaim per snapshot; pita biru: proyeksi 80% sampai nilai final",
    )
    table = _table(
        h,
        {
            "tanggal": "Tanggal",
            "ver": "Terverifikasi",
            "kla": "Klaim",
            "band": "Predikat",
            "laju": "Poin/bulan",
        },
        {"ver", "kla", "laju"},
    )
    return Html(f"<p>{esc(lead)}</p><p>{esc(outlook)}</p>{chart}{table}")


def areas_section(b: BriefData) -> Html:
    """Score per area against the target: chart and table."""
    a = b.scores.by_area.copy()
    a["w"] = a["area_weight"].map(text.number)
    a["ver"] = a["verified"].map(_pct)
    a["kla"] = a["claim"].map(_pct)
    a["prog"] = a["progress"].map(lambda x: _pct(x, 0))
    a["gap"] = (b.target - a["verified"]).clip(lower=0).map(text.number)
    chart = charts.figure(
        charts.area_chart(b.scores.by_area, b.target),
        "Nilai terverifikasi per area (batang), klaim (garis kuning), target (garis putus)",
    )
    table = _table(
        a, {"area_name": "Area", "w": "Bobot", "ver": "Terverifikasi", "kla": "Klaim", "prog": "Bukti lengkap", "gap": "Selisih ke target"},
        {"w", "ver", "kla", "prog", "gap"},
    )  # fmt: skip
    return Html(chart + table)


COLLAPSE_ROWS = 40
"""A detail table longer than this (the 2025 framework's 111 indicators) is shown on screen as one
folded block per area (``<details>``, no script); print shows it in full."""


def detail_table(b: BriefData) -> Html:
    """The level the framework marks for detail (indikator for 2023–2025), per area: code, name,
    verified, claim and points still open. Long tables fold by area on screen."""
    fw = b.framework
    level = fw.detail
    d = b.scores.levels[level.key].copy()
    if level.key != "area":
        d = d.merge(fw.areas[["area_code", "area_name"]], on="area_code")
    d["ver"] = d["verified"].map(_pct)
    d["kla"] = d["claim"].map(_pct)
    d["open"] = d["points_open"].map(lambda x: text.number(x, 2))
    columns = {"area_name": "Area"} if level.key != "area" else {}
    columns |= {
        level.code: "Kode",
        level.title: level.name,
        "ver": "Terverifikasi",
        "kla": "Klaim",
        "open": "Poin terbuka",
    }
    numeric = {"ver", "kla", "open"}
    heading = f"<h3>Rincian {esc(level.name.lower())}</h3>"
    if len(d) <= COLLAPSE_ROWS or level.key == "area":
        return Html(heading + _table(d, columns, numeric))
    hint = (
        f'<p class="screen-only">{len(d)} {esc(level.name.lower())} dalam {d["area_code"].nunique()} area; ketuk '
        "nama area untuk membuka rinciannya. Versi cetak memuat semuanya.</p>"
    )
    return Html(
        heading + hint + _folded(
            d, ["area_code", "area_name"], columns, numeric,
            lambda key, g: f"{key[1]}: {len(g)} {level.name.lower()}, {text.number(g['points_open'].sum(), 2)} poin terbuka",
        )
    )  # fmt: skip


def _folded(
    frame: pd.DataFrame,
    by: list[str],
    columns: dict[str, str],
    numeric: set[str],
    summary: Callable[[tuple, pd.DataFrame], str],
) -> str:
    """A long table as one folded block per group on screen (``<details>``, no script; the
    group's columns left out of its table) and whole in print, in the frame's order."""
    inner = {k: v for k, v in columns.items() if k not in by}
    blocks = [
        f"<details><summary>{esc(summary(key, group))}</summary>{_table(group, inner, numeric)}</details>"
        for key, group in frame.groupby(by, sort=False)
    ]
    return (
        f'<div class="screen-only">{"".join(blocks)}</div>'
        f'<div class="print-only">{_table(frame, columns, numeric)}</div>'
    )


def opd_section(b: BriefData) -> Html:
    """OPD ranking by points of the total still open: chart and table."""
    o = b.scores.by_opd.copy()
    o["nilai"] = o["verified"].map(_pct)
    o["open"] = o["points_open"].map(lambda x: text.number(x, 2))
    chart = charts.figure(charts.opd_chart(b.scores.by_opd), "Poin nilai total yang masih terbuka per OPD")
    table = _table(
        o, {"opd": "OPD", "nilai": "Nilai", "open": "Poin terbuka", "documents": "Dokumen", "late": "Terlambat",
            "rejected": "Perlu perbaikan", "blocked": "Terblokir", "awaiting": "Menunggu verifikasi"},
        {"nilai", "open", "documents", "late", "rejected", "blocked", "awaiting"},
    )  # fmt: skip
    return Html(chart + table)


RESERVE_LISTED = 8
"""Reserve documents named one by one in the plan's paragraph; more are counted per OPD."""


def targets_table(b: BriefData) -> Html:
    """One row per target: the minimal plan (if every document is accepted) and the plan with
    reserve (documents, person-days, chance), the band of the final score and the greedy effort;
    the reserve in words; and whether the lower plan is a free first step of the higher one."""
    rows = []
    for p in b.plans.plans:
        v = p.verdict
        m = v.minimal
        best = "dengan cadangan" if v.confidence_met else "peluang tertinggi"
        rows.append(
            {
                "t": _pct(v.target, 0), "ok": "ya" if v.reachable else "tidak",
                "min": "–" if m is None else f"{m.documents} dok., {text.number(m.effort, 0)} hari-orang; peluang {_chance(m.chance)}",
                "rec": f"{v.documents} dok., {text.number(v.effort, 0)} hari-orang; peluang {_chance(v.p_target, v.reachable)}"
                + ("" if v.confidence_met else f" ({best})"),
                "band": _range(v.final_band[0], v.final_band[2]),
                "g": "–" if v.greedy_effort is None else text.number(v.greedy_effort, 0),
            }
        )  # fmt: skip
    table = _table(
        pd.DataFrame(rows),
        {"t": "Target", "ok": "Tercapai?", "min": "Rencana minimal", "rec": "Dengan cadangan",
         "band": "Nilai akhir (rentang 80%)", "g": "Cara rakus (greedy): hari-orang"},
        {"band", "g"},
        caption="Rencana minimal = usaha paling kecil bila semua dokumen diterima (eksak); dengan cadangan = "
        f"usaha paling kecil dengan peluang minimal {_chance(b.confidence)} menurut model risiko verifikasi",
    )  # fmt: skip
    reserve = []
    for p in b.plans.plans:
        v = p.verdict
        if not v.reachable or v.minimal is None:
            continue
        if v.confidence_met and (v.reserve_documents or v.effort > v.minimal.effort + 1e-9):
            line = (
                f"Target {text.percent(v.target, 0)}: untuk peluang {_chance(b.confidence)} diperlukan "
                f"{v.reserve_documents} dokumen tambahan ({text.number(v.reserve_effort, 0)} hari-orang)"
            )
            if p.dropped:
                line += f"; {len(p.dropped)} dokumen rencana minimal diganti dengan dokumen yang lebih pasti"
            spare = p.reserve
            if 0 < len(spare) <= RESERVE_LISTED:
                listing = ", ".join(
                    f"{c} ({o})" for c, o in zip(spare["doc_code"], spare["opd"], strict=True)
                )
                line += f". Dokumen cadangan: {listing}"
            elif len(spare):
                counts = spare["opd"].value_counts()
                line += ". Dokumen cadangan per OPD (ditandai di daftar tindakan): " + ", ".join(
                    f"{o} {n}" for o, n in counts.items()
                )
            reserve.append(line + ".")
        if not v.confidence_met:
            reserve.append(
                f"Target {text.percent(v.target, 0)}: peluang {_chance(b.confidence)} tidak terjangkau; peluang "
                f"tertinggi {_chance(v.p_max, v.reachable)} dengan {v.documents} dokumen "
                f"({text.number(v.effort, 0)} hari-orang). Yang membatasi: " + "; ".join(v.limits) + "."
            )
    notes = []
    for i, nested in enumerate(b.plans.nested):
        low, high = b.plans.plans[i].verdict.target, b.plans.plans[i + 1].verdict.target
        if not b.plans.plans[i + 1].verdict.reachable:
            notes.append(
                f"Target {text.percent(high, 0)} tidak dapat dicapai dengan batasan saat ini (lihat hambatan)."
            )
        elif nested:
            notes.append(
                f"Rencana {text.percent(low, 0)} adalah langkah pertama menuju {text.percent(high, 0)} tanpa usaha tambahan."
            )
        else:
            notes.append(
                f"Menjadikan rencana {text.percent(low, 0)} langkah pertama menuju {text.percent(high, 0)} menambah "
                f"{text.number(b.plans.nesting_cost[i], 0)} hari-orang; kedua rencana disusun terpisah."
            )
    notes = [*reserve, *notes, chance_assumptions(b)]
    return Html(table + "".join(f"<p>{esc(n)}</p>" for n in notes))


def path_charts(b: BriefData) -> Html:
    """Cumulative score along the plan (first step marked) and the month-by-month projection."""
    first = b.first_step.documents if b.first_step is not None else None
    cum = charts.figure(
        charts.cumulative_chart(b.plan.documents, b.scores.verified, b.target, first),
        "Nilai kumulatif bila dokumen rencana selesai dan diterima"
        + (" (◆ = langkah pertama)" if first is not None and len(first) else ""),
    )
    path = charts.figure(
        charts.path_chart(b.plan.schedule, b.target, b.pemda.last_final),
        "Nilai per akhir bulan menurut jadwal rencana: garis hijau bila semua diterima, pita biru 80% dengan "
        "risiko verifikasi",
    )
    return Html(cum + path)


def action_list(b: BriefData) -> Html:
    """The plan as an action list per OPD (largest contribution first), with finish months."""
    parts = []
    docs = b.plan.documents
    first = set(b.first_step.documents["doc_code"]) if b.first_step is not None else set()
    for rec in b.plan.by_opd.itertuples():
        g = docs[docs["opd"] == rec.opd].copy()
        waiting = g[g["status"] == "diunggah"]
        g = g[g["status"] != "diunggah"]
        follow = (
            f"<p>Kawal verifikasi: {len(waiting)} dokumen sudah diunggah (+{esc(text.number(waiting['gain'].sum(), 2))} "
            "poin bila diterima penuh; daftarnya di bagian Menunggu verifikasi).</p>"
            if len(waiting)
            else ""
        )
        g["dok"] = g["doc_code"] + " " + g["doc_name"]
        g["sel"] = g["finish"].map(lambda d: text.date(d, "MMMM y"))
        g["poin"] = g["gain"].map(lambda x: text.number(x, 2))
        g["hari"] = g["effort"].map(lambda x: text.number(x, 0))
        g["tahap"] = g["doc_code"].map(lambda c: "1" if c in first else "2") if first else ""
        g["cad"] = g["reserve"].map({True: "cadangan", False: ""})
        g["pf"] = g["p_full"].map(_chance)
        cols = {
            "dok": "Dokumen",
            "action": "Tindakan",
            "sel": "Selesai",
            "poin": "Poin",
            "hari": "Hari-orang",
            "pf": "Peluang diterima penuh",
        }
        if docs["reserve"].any():  # the same columns in every OPD's table
            cols["cad"] = "Cadangan"
        if first:
            cols["tahap"] = "Tahap"
        cap = (
            ""
            if pd.isna(rec.capacity)
            else f", kapasitas {text.number(rec.capacity, 0)} hari-orang sampai tenggat"
        )
        spare = f", {rec.reserve} cadangan" if rec.reserve else ""
        parts.append(
            f"<h3>{esc(rec.opd)}</h3><p>{rec.documents} dokumen{esc(spare)}, {esc(text.number(rec.effort, 0))} hari-orang{esc(cap)}, "
            f"+{esc(text.number(rec.points, 2))} poin</p>"
            + (
                _table(g, cols, {"poin", "hari", "pf"}, short={"action", "sel", "cad", "tahap"})
                if len(g)
                else ""
            )
            + follow
        )
    legend = (
        "<p>Tahap 1 = cukup untuk mempertahankan nilai tahun lalu; tahap 2 = tambahan untuk mencapai target.</p>"
        if first
        else ""
    )
    if b.plan.documents["reserve"].any():
        legend += (
            f"<p>Cadangan = dokumen di luar rencana minimal target {text.percent(b.target, 0)}, ditambahkan agar "
            f"peluang mencapai target itu tetap {_chance(b.confidence)} walau sebagian dokumen ditolak atau hanya "
            "diterima sebagian.</p>"
        )
    return Html(legend + "".join(parts))


def blocked_table(b: BriefData) -> Html:
    """Documents held up by outside bodies, with what the plan loses without them."""
    bl = b.plan.blocked.copy()
    if bl.empty:
        return Html("<p>Tidak ada dokumen yang diblokir pihak luar.</p>")
    bl["poin"] = bl["gain"].map(lambda x: text.number(x, 2))
    bl["dok"] = bl["doc_code"] + " " + bl["doc_name"]
    total = text.number(bl["gain"].sum(), 2)
    return Html(
        f"<p>{len(bl)} dokumen ({esc(total)} poin) menunggu pihak luar dan tidak dihitung dalam rencana.</p>"
        + _table(bl, {"dok": "Dokumen", "opd": "OPD", "blocker": "Hambatan", "poin": "Poin"}, {"poin"})
    )


def obstacles_table(b: BriefData) -> Html:
    """What stands in the way of the target (only when it is out of reach)."""
    ob = b.plan.obstacles
    if b.plan.verdict.reachable or ob.empty:
        return Html("")
    ob = ob.assign(poin=ob["points"].map(lambda x: text.number(x, 2)), doc=ob["doc_code"].fillna("–"))
    return Html(
        "<h3>Hambatan</h3>"
        + _table(
            ob,
            {"kind": "Jenis", "opd": "OPD", "doc": "Dokumen", "poin": "Poin", "detail": "Keterangan"},
            {"poin"},
        )
    )


def followup_tables(b: BriefData) -> Html:
    """Documents needing revision (with the verifier's note) and documents awaiting verification.
    A list longer than :data:`COLLAPSE_ROWS` folds by OPD on screen (OPDs with most points first,
    each OPD's documents by points), whole in print."""
    d = b.scores.documents
    d = d[d["applicable"]].copy()
    d["dok"] = d["doc_code"] + " " + d["doc_name"]
    d["poin"] = d["open"].map(lambda x: text.number(x, 2))
    d["note"] = d["note"].fillna("")
    out = ""
    for status, heading, columns in (
        ("perlu_perbaikan", "Perlu perbaikan", {"dok": "Dokumen", "opd": "OPD", "note": "Catatan verifikator", "poin": "Poin"}),
        ("diunggah", "Menunggu verifikasi", {"dok": "Dokumen", "opd": "OPD", "poin": "Poin"}),
    ):  # fmt: skip
        rows = d[d["status"] == status].sort_values(["opd", "doc_code"])
        out += f"<h3>{heading} ({len(rows)} dokumen)</h3>"
        if not len(rows):
            out += "<p>Tidak ada.</p>"
        elif len(rows) <= COLLAPSE_ROWS:
            out += _table(rows, columns, {"poin"})
        else:
            total = rows.groupby("opd")["open"].transform("sum")
            rows = rows.assign(_total=total).sort_values(
                ["_total", "opd", "open", "doc_code"], ascending=[False, True, False, True]
            )
            out += (
                f'<p class="screen-only">{len(rows)} dokumen dari {rows["opd"].nunique()} OPD; ketuk nama OPD untuk '
                "membuka daftarnya. Versi cetak memuat semuanya.</p>"
            ) + _folded(
                rows, ["opd"], columns, {"poin"},
                lambda key, g: f"{key[0]}: {len(g)} dokumen, {text.number(g['open'].sum(), 2)} poin",
            )  # fmt: skip
    return Html(out)


def scenarios_table(b: BriefData) -> Html:
    """The plan under the standard scenarios, side by side."""
    sc = scenarios(b.framework, b.pemda, b.snapshot, b.target, confidence=b.confidence)
    sc["ok"] = sc["reachable"].map({True: "ya", False: "tidak"})
    sc["e"] = sc["effort"].map(lambda x: text.number(x, 0))
    sc["after"] = sc["score_after"].map(_pct)
    sc["p"] = sc["p_target"].map(_chance)
    sc["pmax"] = sc["p_max"].map(_chance)
    return Html(
        _table(
            sc,
            {
                "scenario": "Skenario",
                "ok": "Tercapai?",
                "documents": "Dokumen",
                "e": "Hari-orang",
                "after": "Nilai setelah",
                "p": "Peluang",
                "pmax": "Peluang tertinggi",
            },
            {"documents", "e", "after", "p", "pmax"},
        )
    )


def method_section(b: BriefData) -> Html:
    """Method and data provenance: framework, snapshot, checksums, tool version, definitions."""
    cal = b.plan.calendar
    risk = b.pemda.risk
    changed = [
        f"{n} {text.number(v, 3)} (bawaan {text.number(d, 3)})" for n, d, v in changed_parameters(risk)
    ]
    changed += [f"pengali area {k} {text.number(v, 2)}" for k, v in risk.area_multiplier]
    changed += [f"hambatan '{k}' teratasi {text.percent(100 * v, 0)}" for k, v in risk.blocker_clear]
    own = "; diubah di pemda.toml: " + ", ".join(changed) if changed else "; semua parameter bawaan"
    items = [
        f"Kerangka: {b.framework.label} (tahun {b.framework.year}); {b.framework.summary().split(': ', 1)[-1]}.",
        f"Snapshot: {text.date(b.snapshot.date)} ({b.snapshot.path.name}); periode {b.period}; {len(b.history)} snapshot dalam tren.",
        *([framework_change_text(b.framework_change)] if b.framework_change is not None else []),
        "Tingkat kerangka: "
        + " → ".join(lv.name for lv in b.framework.levels)
        + " → dokumen bukti"
        + (
            "; bobot yang kosong di kerangka dibagi rata di antara item setingkat dalam induk yang sama (equal weights): "
            + ", ".join(lv.name.lower() for lv in b.framework.equal_weight_levels)
            + "."
            if b.framework.equal_weight_levels
            else "."
        ),
        "Nilai terverifikasi = poin yang diterima verifikator; nilai klaim = ditambah semua dokumen yang menunggu verifikasi seolah diterima penuh; "
        "setiap tingkat adalah rata-rata berbobot dari bagian yang berlaku (area yang tidak berlaku dikeluarkan dan bobot dinormalkan ulang).",
        *(
            [
                f"Penalti {b.framework.year}: {text.number(b.scores.penalty)} poin dikurangkan dari nilai total "
                f"setelah pembobotan ({b.scores.penalty_reason or 'alasan tidak dicatat'}); nilai per area, "
                "indikator dan OPD tidak dikurangi; rencana dan peluang menghitung target setelah penalti."
            ]
            if b.scores.penalty
            else []
        ),
        "Rencana: program bilangan bulat 0/1 (usaha minimal dalam hari-orang) dengan kapasitas OPD sampai tenggat; dokumen yang diblokir pihak luar tidak dipakai.",
        "Risiko verifikasi: model berlapis yang dikalibrasi pada data MCP 2020–21 (506 kabupaten/kota): efek pemda "
        "bersama (diperbarui dengan dokumen yang sudah diputuskan verifikator), sub-indikator yang jatuh ke 0, "
        "kekurangan per dokumen menurut jumlah dokumen sub-indikatornya dan area, nilai sebagian, unggah ulang "
        f"sampai batas unggah, risiko kecil pada QA akhir, hambatan pihak luar{own}. Simulasi Monte Carlo 10.000 "
        f"kali, benih tetap; rencana dengan cadangan = usaha paling kecil dengan peluang minimal {_chance(b.confidence)}.",
        *(
            [
                f"Kalender: batas unggah {text.date(cal.close)}, nilai final {text.date(cal.final)} ({cal.source}); "
                f"rencana dijadwalkan sampai {text.date(b.plan.horizon)}."
            ]
            if cal is not None
            else []
        ),
        "Proyeksi akhir tahun: dokumen yang belum diunggah naik dengan laju snapshot tahun ini (bulan terakhir "
        "lebih cepat), lalu melalui model risiko yang sama; diuji pada pasangan nilai sementara–final yang nyata "
        "(benchmarks/backtest_forecast.py).",
        f"Dibuat dengan MCP Workbook versi {__version__}.",
    ]
    prov = b.provenance.assign(sha=b.provenance["sha256"].str[:16])
    return Html(
        "<ul>"
        + "".join(f"<li>{esc(i)}</li>" for i in items)
        + "</ul>"
        + _table(
            prov,
            {"file": "Berkas masukan", "sha": "SHA-256 (16 karakter awal)"},
            caption="Checksum berkas masukan",
        )
    )


def status_legend() -> Html:
    """The statuses in words."""
    return Html(
        "<ul>"
        + "".join(f"<li><code>{esc(k)}</code>: {esc(v)}</li>" for k, v in STATUS_LABELS.items())
        + "</ul>"
    )


# --- rendering -------------------------------------------------------------------------------


@functools.cache
def _exporter() -> object:
    """One HTML exporter per process: its Jinja environment keeps the compiled templates, which
    otherwise cost ~0.2 s per brief (a batch renders hundreds)."""
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name=TEMPLATE_NAME, extra_template_basedirs=[str(TEMPLATE_DIR)], exclude_input=True,
        exclude_input_prompt=True, exclude_output_prompt=True, anchor_link_text="",
    )  # fmt: skip


def render_html(
    executed: Path | str, out: Path | str, generated: dt.datetime | None = None, title_text: str = ""
) -> Path:
    """Render an executed brief notebook to one self-contained HTML file.

    Code is hidden; the template (``mcp_lib/templates/mcp_brief``, extending ``lab``) loads no
    script, font, style sheet or image from anywhere: charts are inline SVG. The generation
    stamp in the footer is the only part that changes between runs on the same inputs.
    """
    import nbformat

    nb = nbformat.read(str(executed), as_version=4)
    nb.metadata["title"] = title_text or "Brief MCP"
    # Parameter cells show nothing, and papermill gives its injected cell a random id.
    skip = {"parameters", "injected-parameters"}
    nb.cells = [c for c in nb.cells if not skip & set(c.metadata.get("tags", []))]
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i:03d}"
    exporter = _exporter()
    stamp = (generated or dt.datetime.now().astimezone()).strftime("%Y-%m-%d %H:%M %Z").strip()
    body, _ = exporter.from_notebook_node(nb, resources={"mcp": {"generated": stamp, "version": __version__}})
    out = Path(out)
    out.write_text(body, encoding="utf-8")
    return out


_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(name: str, used: set[str]) -> str:
    base = _SHEET_BAD.sub("-", name).strip("'")[:31] or "OPD"
    out, i = base, 2
    while out.lower() in used:
        suffix = f" ({i})"
        out, i = base[: 31 - len(suffix)] + suffix, i + 1
    used.add(out.lower())
    return out


def write_action_workbook(b: BriefData, path: Path | str) -> Path:
    """``rencana-aksi.xlsx``: a summary sheet and one sheet per OPD with its documents, finish
    months and points, formatted for printing (widths, frozen header, filters, A4 landscape,
    fit to width, header row repeated). Data cells are values, never formulas."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    header_font, header_fill = Font(bold=True), PatternFill("solid", fgColor="DDE5EE")
    wrap = Alignment(wrap_text=True, vertical="top")

    def sheet(
        ws, rows: list[list], widths: list[int], title_rows: list[str], formats: dict[int, str] | None = None
    ) -> None:
        for i, line in enumerate(title_rows, start=1):
            keep_as_text(ws.cell(row=i, column=1, value=line))
        start = len(title_rows) + 2  # a blank row between the titles and the table
        for i, r in enumerate(rows):
            for j, value in enumerate(r, start=1):
                cell = keep_as_text(ws.cell(row=start + i, column=j, value=_cell(value)))
                if i and formats and j in formats and isinstance(cell.value, int | float):
                    cell.number_format = formats[j]
        for cell in ws[start]:
            cell.font, cell.fill = header_font, header_fill
        for i, row in enumerate(ws.iter_rows(min_row=start), start=start):
            for cell in row:
                cell.alignment = wrap
            # Spreadsheets do not grow a row for wrapped text written by a program: set the height
            # from the longest wrapped cell (characters per line ≈ column width).
            lines = max(
                (
                    -(-len(str(c.value)) // max(int(widths[c.column - 1] * 1.1), 1))
                    for c in row
                    if c.value is not None
                ),
                default=1,
            )
            ws.row_dimensions[i].height = 15 * max(lines, 1)
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = w
        ws.freeze_panes = ws.cell(row=start + 1, column=1)
        ws.auto_filter.ref = f"A{start}:{get_column_letter(len(widths))}{ws.max_row}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = f"{start}:{start}"
        ws["A1"].font = Font(bold=True, size=13)

    wb = Workbook()
    ws = wb.active
    ws.title = "Ringkasan"
    v = b.plan.verdict
    head = [
        f"Rencana aksi MCP {b.pemda.name}: {text.month(b.snapshot.date)}",
        f"Nilai terverifikasi {text.percent(v.current)}; target {text.percent(b.target, 0)}; "
        f"rencana {v.documents} dokumen ({v.reserve_documents} cadangan), {text.number(v.effort, 0)} hari-orang, "
        f"nilai setelah rencana {text.percent(v.score_after)} bila semua diterima; peluang mencapai target "
        f"{_chance(v.p_target)} (nilai akhir 80%: {_range(v.final_band[0], v.final_band[2])})",
    ]
    rows = [
        ["OPD", "Dokumen", "Hari-orang", "Kapasitas sampai tenggat (hari-orang)", "Poin", "Mulai", "Selesai"]
    ]
    for r in b.plan.by_opd.itertuples():
        rows.append(
            [
                r.opd,
                r.documents,
                r.effort,
                "tidak dibatasi" if pd.isna(r.capacity) else round(r.capacity),
                round(r.points, 3),
                r.first_month,
                r.last_month,
            ]
        )
    sheet(ws, rows, [28, 10, 12, 22, 10, 10, 10], head, {3: "0", 5: "0.00"})
    used = {"ringkasan"}
    for opd in b.plan.by_opd["opd"]:
        g = b.plan.documents[b.plan.documents["opd"] == opd]
        rows = [
            [
                "Kode",
                "Dokumen",
                "Sub-indikator",
                "Area",
                "Status",
                "Tindakan",
                "Selesai (bulan)",
                "Poin",
                "Hari-orang",
                "Tenggat",
                "Hambatan",
                "Cadangan",
                "Peluang diterima penuh",
            ]
        ]
        for d in g.itertuples():
            rows.append(
                [
                    d.doc_code,
                    d.doc_name,
                    d.subindicator_name,
                    d.area_name,
                    d.status,
                    d.action,
                    d.due_month,
                    round(d.gain, 3),
                    d.effort,
                    d.due_date,
                    d.blocker,
                    "cadangan" if d.reserve else "",
                    round(float(d.p_full), 4),
                ]
            )
        sheet(
            wb.create_sheet(_sheet_name(opd, used)),
            rows,
            [12, 48, 40, 26, 14, 22, 12, 8, 10, 12, 30, 11, 12],
            [f"{opd}: {len(g)} dokumen"],
            {8: "0.00", 9: "0", 13: "0%"},
        )
    stamp = dt.datetime.combine(b.snapshot.date, dt.time())
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.creator = "MCP Workbook"
    path = Path(path)
    wb.save(path)
    return path


def _cell(value: object) -> object:
    """A workbook cell value (missing values as empty cells)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return value


def overview_row(b: BriefData) -> dict:
    """What the provincial overview shows of one pemda (plain values, picklable)."""
    h = b.history
    month_start = pd.Timestamp(b.snapshot.date).to_period("M").start_time.date()
    earlier = h[h["date"] < month_start]
    previous = float(earlier["verified"].iloc[-1]) if len(earlier) else None
    v = b.plan.verdict
    return {
        "slug": b.pemda.slug, "name": b.pemda.name, "kind": b.pemda.kind, "province": b.pemda.province,
        "period": b.period, "date": b.snapshot.date.isoformat(), "verified": b.scores.verified,
        "claim": b.scores.claim, "band": b.scores.band.name, "band_colour": b.scores.band.colour,
        "previous": previous, "target": b.target, "gap": max(b.target - b.scores.verified, 0.0),
        "reachable": v.reachable, "p_target": v.p_target, "score_after": v.score_after,
        "confidence_met": v.confidence_met, "forecast_median": b.forecast.median,
        "forecast_p10": b.forecast.p10, "forecast_p90": b.forecast.p90,
        "areas": dict(zip(b.scores.by_area["area_name"], b.scores.by_area["verified"], strict=True)),
        "bands": [(band.name, band.lower, band.colour) for band in b.framework.bands.items],
    }  # fmt: skip
