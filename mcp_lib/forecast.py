"""Year-end forecast: the distribution of the final score from the current state.

The final score is what is verified now (less the small QA risk), plus what the verifier accepts
of the documents awaiting verification, plus what it accepts of the documents the pemda still
uploads before the close. Each part goes through the verification-risk model of
:mod:`mcp_lib.risk` (partial credit, re-uploads until the close, a pemda effect shared by all
documents and updated on the pemda's own record, QA at the end). Which documents still go up:

- **at the pemda's pace** (:func:`forecast_pemda`, basis ``laju``): the snapshots of the year
  give the documents uploaded per month (least-squares slope); the pemda keeps that pace until
  the close, with the last month at ``surge`` times the pace (real years end with a surge);
  which documents go up is unknown, so each open document goes up with the same chance;
- **like a typical pemda** (basis ``kurva``, and :func:`forecast_totals`, basis ``total``):
  when there is no pace (fewer than two snapshots in the year), a share
  ``completion_max × (1 − exp(−m / completion_months))`` of the open documents goes up with
  ``m`` months left, drawn per simulation from a Beta distribution (pemda differ); calibrated
  on real provisional → final pairs (:mod:`mcp_lib.backtest`) and the 2021 year-end
  claims.

:func:`forecast_totals` works from a dashboard total alone (a provincial coordinator's case, and
how the model is checked against real years): the pemda is represented by equal-weight
documents (as many as its framework has), split into verified, awaiting, returned and not
uploaded by the given claim or, without one, by the shares seen on 2025 dashboards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mcp_lib.framework import Framework
from mcp_lib.mcp_calendar import Calendar, months_between
from mcp_lib.pemda import Pemda, pemda_calendar
from mcp_lib.risk import RETURNED, Draws, band, chance, risk_inputs
from mcp_lib.risk_params import BLOCKER_CLEAR, RiskParams
from mcp_lib.scoring import penalty_points, score_documents
from mcp_lib.snapshot import Snapshot

OPEN = ("belum", "disiapkan", "perlu_perbaikan", "diverifikasi")
"""Statuses of documents the pemda may still (re-)upload (``diverifikasi``: when only partly
verified)."""

DEFAULT_DOCUMENTS: dict[str, int] = {"provinsi": 660, "kabupaten": 680, "kota": 680}
"""Documents of a pemda on the 2025 (MCSP) framework, by kind (``verification-risk.md``), used
by :func:`forecast_totals` for 2025 and later when no framework is given."""
DOCUMENTS_BEFORE_2025 = 143
"""Documents of a pemda before 2025 when no framework is given (the bundled 2023 reconstruction
has 143 evidence documents in 63 sub-indicators; no official count was published)."""
DOCS_PER_SUB = {2025: 680 / 122, 0: 143 / 63}
"""Documents per sub-indicator when no framework is given: 2025 on (680 in 122), before."""


@dataclass(frozen=True, eq=False)
class Forecast:
    """The forecast of the final score (percent).

    Attributes
    ----------
    basis
        ``laju`` (the pemda's own pace), ``kurva`` (a typical pemda's completion, no pace
        known), ``total`` (from totals alone, :func:`forecast_totals`).
    p10, median, p90
        Quantiles of the final score: 80% of simulated years end between ``p10`` and ``p90``.
    p_target
        Chance the final score reaches ``target`` (``None`` without a target).
    path
        ``date, p10, median, p90`` at each month end from the snapshot to the final date.
    open_documents, expected_uploads
        Documents not yet uploaded (or to be re-uploaded), and how many of them the forecast
        expects to go up before the close.
    pace
        Documents uploaded per month in the year's snapshots (``None`` when not known).
    assumptions
        What the forecast assumes, in Bahasa Indonesia (shown next to it).
    """

    basis: str
    as_of: dt.date
    calendar: Calendar
    current: float
    claim: float | None
    p10: float
    median: float
    p90: float
    target: float | None
    p_target: float | None
    path: pd.DataFrame
    open_documents: int
    expected_uploads: float
    pace: float | None
    assumptions: tuple[str, ...]
    reachable: bool = True
    """Whether the target can be reached at all if every open document goes up and is accepted
    (a chance of 0 in the draws then means small, not impossible)."""

    def as_dict(self) -> dict:
        """The forecast machine-readably (``mcp forecast --json``)."""
        return {
            "basis": self.basis,
            "as_of": self.as_of.isoformat(),
            "close": self.calendar.close.isoformat(),
            "final": self.calendar.final.isoformat(),
            "calendar_source": self.calendar.source,
            "current": self.current,
            "claim": self.claim,
            "median": self.median,
            "p10": self.p10,
            "p90": self.p90,
            "target": self.target,
            "p_target": self.p_target,
            "open_documents": self.open_documents,
            "expected_uploads": self.expected_uploads,
            "pace": self.pace,
            "reachable": self.reachable,
            "assumptions": list(self.assumptions),
        }


def upload_months(positions: np.ndarray, months_left: float, surge: float) -> np.ndarray:
    """Months before the close at which documents go up, for ``positions`` in [0, 1) of the
    upload order: evenly over the time left, the last month ``surge`` times as busy."""
    m = max(months_left, 0.0)
    if m <= 0:
        return np.zeros(len(positions))
    last = min(1.0, m)
    early = m - last
    mass_early = early / (early + surge * last) if early + surge * last > 0 else 0.0
    pos = np.asarray(positions, float)
    t = np.where(
        pos < mass_early,
        pos / max(mass_early, 1e-12) * early,
        early + (pos - mass_early) / max(1 - mass_early, 1e-12) * last,
    )
    return m - t


def effective_months(months_left: float, surge: float) -> float:
    """Months of work at the average pace the time left amounts to, the last month counting
    ``surge`` times."""
    m = max(months_left, 0.0)
    return m + (surge - 1.0) * min(1.0, m)


def _simulate(
    docs: pd.DataFrame,
    params: RiskParams,
    as_of: dt.date,
    calendar: Calendar,
    share: float,
    concentration: float | None,
    *,
    condition: bool,
    draws: int,
    seed: int,
    roles: tuple[float, float, float] | None = None,
    penalty: float = 0.0,
) -> tuple[np.ndarray, np.ndarray, pd.DataFrame, float]:
    """Final scores per draw, draw weights, the month-end path and the expected number of open
    documents.

    Without ``roles`` each document's status says what it is (awaiting verification, open, or
    verified). With ``roles = (awaiting, returned, concentration)`` (totals only) each not-verified
    document appears three times in ``docs`` (``slot`` column; statuses ``diunggah``,
    ``perlu_perbaikan``, ``belum``) and each draw picks one: awaiting with a Beta-distributed
    share of mean ``awaiting``, returned with ``returned`` of the rest, else open.
    """
    inputs = risk_inputs(docs, params)
    d = Draws(inputs, params, draws, seed)
    app = docs["applicable"].to_numpy(bool)
    status = docs["status"].astype(str).to_numpy()
    gain = docs["open"].to_numpy(float)
    if condition:
        decided = app & np.isin(status, ("diverifikasi", "perlu_perbaikan"))
        whole = docs["verified_points"].fillna(0).to_numpy(float) >= docs["points"].to_numpy(float) - 1e-9
        d.condition(
            np.flatnonzero(decided & (status == "diverifikasi") & whole),
            np.flatnonzero(decided & ~((status == "diverifikasi") & whole)),
        )
    current = float(docs.loc[app, "earned"].sum()) - penalty
    to_close = max(months_between(as_of, calendar.close), 0.0)
    rng = np.random.default_rng([seed, 1])
    live = app & (gain > 1e-12)
    if roles is None:
        awaiting = np.flatnonzero(live & (status == "diunggah"))
        still = np.flatnonzero(live & np.isin(status, OPEN))
        returned_rows = np.zeros(0, int)
    else:
        awaiting = np.flatnonzero(live & (status == "diunggah"))
        returned_rows = np.flatnonzero(live & (status == "perlu_perbaikan"))
        still = np.flatnonzero(live & (status == "belum"))
    positions = (rng.permutation(len(still)) + 0.5) / max(len(still), 1)
    m_up = upload_months(positions, to_close, params.surge)
    m_risk = np.where(inputs.kind[still] == RETURNED, to_close, m_up)
    if to_close <= 0 or share <= 0:
        w = np.zeros(d.n)
    elif concentration is None or share >= 1:
        w = np.full(d.n, min(share, 1.0))
    else:
        w = rng.beta(max(share * concentration, 1e-6), max((1 - share) * concentration, 1e-6), d.n)
    up = rng.random((d.n, len(still)), dtype=np.float32) < w[:, None].astype(np.float32)
    contrib_a = d.fractions(awaiting, to_close) * gain[awaiting].astype(np.float32)
    contrib_o = d.fractions(still, m_risk) * up * gain[still].astype(np.float32)
    contrib_r = np.zeros((d.n, 0), np.float32)
    open_expected = float(len(still))
    if roles is not None:
        a0, r0, kappa = roles
        a = rng.beta(max(a0 * kappa, 1e-6), max((1 - a0) * kappa, 1e-6), d.n)
        r = r0 * (1 - a) / max(1 - a0, 1e-9)
        u = rng.random((d.n, len(still)))
        is_a, is_r = u < a[:, None], (u >= a[:, None]) & (u < (a + r)[:, None])
        contrib_a = contrib_a * is_a
        contrib_r = d.fractions(returned_rows, to_close) * gain[returned_rows].astype(np.float32) * is_r
        contrib_o = contrib_o * ~(is_a | is_r)
        open_expected = float(np.mean(~(is_a | is_r)) * len(still)) if len(still) else 0.0
    final = (
        current
        - d.qa_loss()
        + contrib_a.sum(axis=1, dtype=np.float64)
        + contrib_r.sum(axis=1, dtype=np.float64)
        + contrib_o.sum(axis=1, dtype=np.float64)
    )
    # month-end path: a document counts once verified (its upload plus the verification lag)
    lag = params.verify_lag_months
    done_o = (to_close - m_up) + lag
    ends = pd.date_range(pd.Timestamp(as_of), pd.Timestamp(calendar.final), freq="ME")
    dates = sorted({as_of, *(e.date() for e in ends if e.date() > as_of), max(calendar.final, as_of)})
    rows = []
    for day in dates:
        t = months_between(as_of, day)
        if day >= calendar.final:
            s = final
        else:
            s = np.full(d.n, current)
            if lag <= t:
                s = s + contrib_a.sum(axis=1, dtype=np.float64) + contrib_r.sum(axis=1, dtype=np.float64)
            s = s + contrib_o[:, done_o <= t].sum(axis=1, dtype=np.float64)
        p10, p50, p90 = band(s, d.weights)
        rows.append((day, p10, p50, p90))
    path = pd.DataFrame(rows, columns=["date", "p10", "median", "p90"])
    return final, d.weights, path, open_expected


def _pace(history: pd.DataFrame | None, as_of: dt.date, n_documents: int) -> float | None:
    """Documents uploaded or verified per month: least-squares slope of the evidence progress
    over the snapshots of the year up to ``as_of``; ``None`` with fewer than two."""
    if history is None:
        return None
    h = history[(pd.to_datetime(history["date"]).dt.year == as_of.year) & (history["date"] <= as_of)]
    if len(h) < 2:
        return None
    x = np.array([months_between(h["date"].iloc[0], day) for day in h["date"]])
    if np.ptp(x) <= 0:
        return None
    y = h["progress"].to_numpy(float) / 100 * n_documents
    return float(np.polyfit(x, y, 1)[0])


def _assumptions(params: RiskParams, calendar: Calendar, basis: str, conditioned: bool) -> tuple[str, ...]:
    from mcp_lib import text

    upload = {
        "laju": "dokumen yang belum diunggah naik dengan laju unggah snapshot tahun ini, bulan terakhir "
        f"{text.number(params.surge, 1)}× lebih cepat (lonjakan akhir tahun)",
        "kurva": "tanpa laju (kurang dari dua snapshot tahun ini): bagian dokumen yang diunggah seperti pemda pada "
        "umumnya (dikalibrasi pada pasangan nilai sementara–final yang nyata)",
        "total": "dokumen yang belum diunggah naik seperti pemda pada umumnya (dikalibrasi pada pasangan nilai "
        "sementara–final yang nyata); komposisi dokumen dari jumlah dokumen kerangka",
    }[basis]
    blockers = ", ".join(
        f"{key.upper() if len(key) <= 3 else key.capitalize()} {text.percent(100 * v, 0)}"
        for key, _p, v in BLOCKER_CLEAR
    )
    out = [
        upload,
        "tidak dibatasi kapasitas OPD (rencana memakai kapasitas; proyeksi memakai laju yang teramati)"
        if basis == "laju"
        else "tidak dibatasi kapasitas OPD",
        "dokumen yang terblokir pihak luar ikut dihitung dengan peluang hambatannya teratasi sebelum batas unggah "
        f"({blockers}, lainnya {text.percent(100 * params.blocker_default, 0)}); rencana tidak mengandalkannya",
        f"batas unggah {text.date(calendar.close)}, nilai final {text.date(calendar.final)} ({calendar.source})",
        "risiko verifikasi: nilai sebagian, unggah ulang sampai batas unggah, efek pemda bersama, risiko kecil pada "
        "QA akhir untuk nilai yang sudah diverifikasi; parameter diperkirakan dari data MCP 2020–21",
    ]
    if basis == "total":
        out.pop(2)  # nothing is known of blockers from a total
    if conditioned:
        out.append("efek pemda diperbarui dengan catatan verifikasi pemda ini (dokumen yang sudah diputuskan)")
    return tuple(out)


def forecast_pemda(
    framework: Framework,
    pemda: Pemda,
    snapshot: Snapshot,
    history: pd.DataFrame | None = None,
    target: float | None = None,
    *,
    params: RiskParams | None = None,
    calendar: Calendar | None = None,
    draws: int = 10_000,
    seed: int = 0,
) -> Forecast:
    """The final score of a pemda from its snapshot, at its own pace (basis ``laju``), or like
    a typical pemda when its pace is unknown (basis ``kurva``).

    Parameters
    ----------
    history
        Scores per snapshot (:func:`mcp_lib.trend.score_history`): the pace is read from the
        evidence progress of the year's snapshots up to ``snapshot``.
    target
        Score to reach, percent (default: the pemda's).
    params, calendar
        Default: the pemda's ``[risiko]`` and :func:`mcp_lib.pemda.pemda_calendar`.
    """
    params = pemda.risk if params is None else params
    calendar = calendar or pemda_calendar(pemda, framework)
    target = float(pemda.target if target is None else target)
    docs = score_documents(framework, pemda, snapshot)
    app = docs["applicable"].to_numpy(bool)
    n_app = int(app.sum())
    status = docs["status"].to_numpy()
    n_open = int((app & np.isin(status, OPEN) & (docs["open"].to_numpy(float) > 1e-12)).sum())
    to_close = max(months_between(snapshot.date, calendar.close), 0.0)
    penalty = penalty_points(framework, pemda)
    current = float(docs.loc[app, "earned"].sum()) - penalty
    claim = float(docs.loc[app, "claim_earned"].sum()) - penalty
    if snapshot.date >= calendar.final:
        return _settled(max(current, 0.0), max(claim, 0.0), snapshot.date, calendar, target)
    pace = _pace(history, snapshot.date, n_app)
    if pace is not None and pace > 0:
        basis = "laju"
        at_pace = pace * effective_months(to_close, params.surge) / n_open if n_open else 0.0
        share = min(at_pace, params.completion_max)
        expected = share * n_open
        concentration = params.completion_concentration
    else:
        basis = "kurva"
        share = float(params.completion(to_close))
        expected = share * n_open
        concentration = params.completion_concentration
    final, weights, path, _ = _simulate(
        docs,
        params,
        snapshot.date,
        calendar,
        share,
        concentration,
        condition=True,
        draws=draws,
        seed=seed,
        penalty=penalty,
    )
    p10, p50, p90 = band(final, weights)
    return Forecast(
        basis=basis,
        as_of=snapshot.date,
        calendar=calendar,
        current=max(current, 0.0),
        claim=max(claim, 0.0),
        p10=p10,
        median=p50,
        p90=p90,
        target=target,
        p_target=chance(final, target, weights),
        path=path,
        open_documents=n_open,
        expected_uploads=expected,
        pace=pace,
        assumptions=_assumptions(params, calendar, basis, conditioned=True),
        reachable=bool(
            current + float(docs.loc[app & ((status == "diunggah") | (to_close > 0)), "open"].sum()) >= target - 1e-9
        ),
    )


def _settled(current: float, claim: float | None, as_of: dt.date, calendar: Calendar, target: float | None) -> Forecast:
    """The forecast on or after the final date: the score is final, nothing is uncertain."""
    from mcp_lib import text

    path = pd.DataFrame({"date": [as_of], "p10": [current], "median": [current], "p90": [current]})
    return Forecast(
        basis="final",
        as_of=as_of,
        calendar=calendar,
        current=current,
        claim=claim,
        p10=current,
        median=current,
        p90=current,
        target=target,
        p_target=None if target is None else float(current >= target - 1e-9),
        path=path,
        open_documents=0,
        expected_uploads=0.0,
        pace=None,
        assumptions=(f"tanggal nilai final {text.date(calendar.final)} sudah lewat: nilai ini nilai final",),
        reachable=target is None or current >= target - 1e-9,
    )


def totals_documents(score: float, n_documents: int, per_sub: float, seed: int = 0) -> pd.DataFrame:
    """Equal-weight documents standing for a pemda known by its total ``score``: verified
    ones (the score) and, for each one not verified, three rows (``slot``) with the statuses it
    may have (awaiting verification, returned, not uploaded), for :func:`_simulate` to choose
    from. Columns as :func:`mcp_lib.scoring.score_documents` gives them."""
    unit = 100.0 / n_documents
    n_ver = round(score / unit) if score > 1e-9 else 0
    n_ver = min(max(n_ver, 1 if score > 1e-9 else 0), n_documents - (1 if score < 100 - 1e-9 else 0))
    n_rest = n_documents - n_ver
    each_ver = score / n_ver if n_ver else 0.0
    each_rest = (100.0 - score) / n_rest if n_rest else 0.0
    rng = np.random.default_rng([seed, 2])
    sub = rng.permutation(n_documents) // max(1, round(per_sub))
    rows = [("diverifikasi", i, each_ver) for i in range(n_ver)]
    for status in ("diunggah", "perlu_perbaikan", "belum"):
        rows += [(status, n_ver + j, each_rest) for j in range(n_rest)]
    frame = pd.DataFrame(rows, columns=["status", "slot", "value"])
    verified = (frame["status"] == "diverifikasi").to_numpy()
    return pd.DataFrame(
        {
            "doc_code": [f"D{i:04d}" for i in range(len(frame))],
            "slot": frame["slot"],
            "subindicator_code": [f"S{sub[k]:04d}" for k in frame["slot"]],
            "area_code": "",
            "area_name": "",
            "status": frame["status"],
            "applicable": True,
            "points": 100.0,
            "verified_points": np.where(verified, 100.0, 0.0),
            "open": np.where(verified, 0.0, frame["value"]),
            "earned": np.where(verified, frame["value"], 0.0),
            "blocker": "",
        }
    )


def forecast_totals(
    score: float,
    as_of: dt.date,
    *,
    claim: float | None = None,
    kind: str = "kabupaten",
    year: int | None = None,
    calendar: Calendar,
    target: float | None = None,
    framework: Framework | None = None,
    params: RiskParams | None = None,
    draws: int = 10_000,
    seed: int = 0,
) -> Forecast:
    """The final score of a pemda known only by its dashboard total ``score`` on ``as_of``
    (and its ``claim``, if known): basis ``total``.

    The pemda is represented by as many equal-weight documents as its framework has
    (``framework`` if given, else :data:`DEFAULT_DOCUMENTS` for 2025 on, else
    :data:`DOCUMENTS_BEFORE_2025`); the unknown documents are assumed to behave like the
    average document (area multiplier 1), and the pemda effect is not updated (no record).
    """
    params = params or RiskParams()
    year = year or as_of.year
    if framework is not None:
        applies = framework.applies(kind)
        n_documents = int(applies.sum())
        per_sub = n_documents / max(1, framework.documents.loc[applies.to_numpy(), "subindicator_code"].nunique())
    elif year >= 2025:
        n_documents, per_sub = DEFAULT_DOCUMENTS.get(kind, 680), DOCS_PER_SUB[2025]
    else:
        n_documents, per_sub = DOCUMENTS_BEFORE_2025, DOCS_PER_SUB[0]
    if as_of >= calendar.final:
        return _settled(float(score), claim, as_of, calendar, target)
    docs = totals_documents(score, n_documents, per_sub, seed)
    to_close = max(months_between(as_of, calendar.close), 0.0)
    share = float(params.completion(to_close))
    rest = 100.0 - score
    if claim is not None:  # the awaiting share is known: no spread
        awaiting, kappa = (max(0.0, claim - score) / rest if rest > 1e-9 else 0.0), 1e6
    else:
        awaiting, kappa = params.awaiting_share, params.composition_concentration
    final, weights, path, n_open = _simulate(
        docs,
        params,
        as_of,
        calendar,
        share,
        params.completion_concentration,
        condition=False,
        draws=draws,
        seed=seed,
        roles=(min(max(awaiting, 1e-6), 1 - 1e-6), params.returned_share, kappa),
    )
    p10, p50, p90 = band(final, weights)
    return Forecast(
        basis="total",
        as_of=as_of,
        calendar=calendar,
        current=float(score),
        claim=claim,
        p10=p10,
        median=p50,
        p90=p90,
        target=target,
        p_target=None if target is None else chance(final, target, weights),
        path=path,
        open_documents=round(n_open),
        expected_uploads=share * n_open,
        pace=None,
        assumptions=_assumptions(params, calendar, "total", conditioned=False),
    )


__all__: Sequence[str] = (
    "Forecast",
    "forecast_pemda",
    "forecast_totals",
    "upload_months",
)
