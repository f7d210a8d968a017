"""An independent simulation of the year's-end model, for tests.

It follows ``data/reference/verification-risk.md`` step by step with separate random numbers for
each step (falling short, zero or partial, structural zero, blocker, QA), a continuous pemda effect
and importance weights for the pemda's record, where :class:`mcp_lib.risk.model.Draws` folds steps into
one 16-bit uniform per document and samples the pemda effect in strata. :class:`Year` adds what
:class:`mcp_lib.forecast.YearEnd` documents on top of it, written again from its docstrings: the
OPDs' pace bounded by capacity for the documents the plan leaves (an upload time drawn per draw
from the surge profile, where the engine fixes one order), and the calibrated error on the logit
scale of the gap share. Agreement is evidence that the fast engine implements the model.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from scipy.special import expit, logit

from mcp_lib.risk.params import RiskParams

MONTH = 30.4375


def _logit(p):
    return logit(np.clip(np.asarray(p, float), 1e-6, 1 - 1e-6))


class Oracle:
    """Draws for the documents of one scored snapshot (``score_documents``)."""

    def __init__(self, docs: pd.DataFrame, params: RiskParams, draws: int = 100_000, seed: int = 12345):
        self.docs = docs.reset_index(drop=True)
        self.p = params
        self.n = draws
        rng = np.random.default_rng(seed)
        self.rng = rng
        d = self.docs
        app = d["applicable"].to_numpy(bool)
        k = d[app].groupby("subindicator_code")["doc_code"].size()
        self.k = d["subindicator_code"].map(k).fillna(1).to_numpy(float)
        self.mult = np.array([params.multiplier(c, n) for c, n in zip(d["area_code"], d["area_name"], strict=True)])
        self.q0 = (1 - params.sub_survive ** (1 / self.k)) * self.mult
        self.psi0 = params.structural_zero * self.mult
        self.b = rng.normal(0, params.pemda_sd, draws)
        # the pemda's record: decided documents, first-pass likelihood
        status = d["status"].to_numpy()
        decided = app & np.isin(status, ("diverifikasi", "perlu_perbaikan"))
        whole = d["verified_points"].fillna(0).to_numpy(float) >= d["points"].to_numpy(float) - 1e-9
        full = decided & (status == "diverifikasi") & whole
        short = decided & ~full
        loglik = np.zeros(draws)
        for i in np.flatnonzero(full | short):
            q = expit(_logit(self.q0[i]) + self.b)
            psi = expit(_logit(self.psi0[i]) + self.b)
            nf = 1 - (1 - q) * (1 - psi)
            loglik += np.log(nf) if short[i] else np.log1p(-nf)
        w = np.exp(loglik - loglik.max())
        self.w = w / w.sum()
        subs = d["subindicator_code"].astype(str).to_numpy()
        self.sub_index = {s: j for j, s in enumerate(sorted(set(subs)))}
        self.v = rng.random((draws, len(self.sub_index)))
        self.u_short = rng.random((draws, len(d)))
        self.u_zero = rng.random((draws, len(d)))
        blockers = (
            d["blocker"].fillna("").astype(str).str.strip().to_numpy() if "blocker" in d else np.array([""] * len(d))
        )
        names = sorted({b for b, a in zip(blockers, app, strict=True) if b and a})
        self.blocker_of = {i: names.index(blockers[i]) for i in range(len(d)) if blockers[i] and app[i]}
        self.clear = rng.random((draws, len(names))) < np.array([params.clear_chance(n) for n in names])
        # QA on verified points
        earned = np.where(app, d["earned"].to_numpy(float), 0.0)
        hit = rng.random((draws, len(d))) < params.qa_risk
        share = params.qa_loss_min + (params.qa_loss_max - params.qa_loss_min) * rng.random((draws, len(d)))
        self.qa = (hit * share) @ earned
        self.current = float(earned.sum())

    def fraction(self, i: int, months: float) -> np.ndarray:
        """Share of document ``i``'s open points obtained in each draw, uploaded ``months``
        before the close."""
        p, d = self.p, self.docs
        status = d.loc[i, "status"]
        m = max(months, 0.0)
        if status in ("perlu_perbaikan", "diverifikasi"):
            full = p.fixable_returned * (1 - np.exp(-m / p.fix_months))
            fail = expit(_logit(1 - full) + self.b)
            out = np.where(self.u_short[:, i] < fail, 0.0, 1.0)
        else:
            keep = 1 - p.fixable * (1 - np.exp(-m / p.fix_months))
            q = expit(_logit(self.q0[i]) + self.b) * keep
            psi = expit(_logit(self.psi0[i]) + self.b) * keep
            short = self.u_short[:, i] < q
            zero = self.u_zero[:, i] < p.zero_share
            out = np.where(short, np.where(zero, 0.0, p.partial_credit), 1.0)
            sub = self.sub_index[str(d.loc[i, "subindicator_code"])]
            out = np.where(self.v[:, sub] < psi, 0.0, out)
        if i in self.blocker_of:
            out = out * self.clear[:, self.blocker_of[i]]
        return out

    def scores(self, plan: dict[str, float]) -> np.ndarray:
        """Final score in each draw for a plan ``{doc_code: months before the close}``."""
        index = {c: i for i, c in enumerate(self.docs["doc_code"])}
        total = self.current - self.qa
        for code, months in plan.items():
            i = index[code]
            total = total + self.docs.loc[i, "open"] * self.fraction(i, months)
        return total

    def chance(self, plan: dict[str, float], target: float) -> float:
        return float(np.dot(self.w, self.scores(plan) >= target - 1e-9))


def plan_months(plan_documents: pd.DataFrame, as_of: dt.date, close: dt.date) -> dict[str, float]:
    """Months before the close each planned document goes to the verifier, as the model reads
    the plan: uploaded and returned documents from the snapshot date, new ones from their
    scheduled finish."""
    out = {}
    for r in plan_documents.itertuples():
        start = as_of if r.status in ("diunggah", "perlu_perbaikan", "diverifikasi") else r.finish
        out[r.doc_code] = max((close - start).days, 0) / MONTH
    return out


class Year:
    """The whole year's end of one scored snapshot: a plan's documents on their schedule, the
    OPDs' other open documents with what their pace leaves, the calibrated error.

    ``pace`` (documents per month per OPD, ``None``: the typical completion), ``capacity``
    (person-days per month, missing: no bound) and ``effort`` (person-days per document code) as
    the engine takes them; ``months`` to the close; ``sigma`` the error.
    """

    def __init__(
        self,
        docs: pd.DataFrame,
        params: RiskParams,
        months: float,
        *,
        pace: dict[str, float] | None,
        capacity: dict[str, float],
        effort: dict[str, float],
        sigma: float,
        draws: int = 60_000,
        seed: int = 99,
    ):
        self.risk = Oracle(docs, params, draws, seed)
        self.p, self.months, self.sigma = params, max(months, 0.0), sigma
        d = self.risk.docs
        app = d["applicable"].to_numpy(bool)
        live = app & (d["open"].to_numpy(float) > 1e-12)
        status = d["status"].to_numpy()
        self.open = list(np.flatnonzero(live & np.isin(status, OPEN)))
        self.awaiting = list(np.flatnonzero(live & (status == "diunggah")))
        self.opd = {i: str(d.loc[i, "opd"]) for i in self.open}
        self.effort = {i: max(float(effort.get(d.loc[i, "doc_code"], 1.0) or 0.0), 0.5) for i in self.open}
        self.pace, self.capacity = pace, capacity
        rng = np.random.default_rng(seed + 1)
        self.u_up = rng.random((draws, len(self.open)))
        self.u_when = rng.random((draws, len(self.open)))
        self.z = rng.standard_normal(draws)

    def _throughput(self, opd: str) -> tuple[float, float]:
        """Person-days the OPD's pace spends before the close, and the person-days of its open
        documents."""
        mine = [i for i in self.open if self.opd[i] == opd]
        n, work = len(mine), sum(self.effort[i] for i in mine)
        p, m = self.p, self.months
        if self.pace is None:
            docs = p.completion_max * (1 - np.exp(-m / p.completion_months)) * n
        else:
            busy = m + (p.surge - 1) * min(1.0, m)  # the last month counts surge times
            docs = min(max(self.pace.get(opd, 0.0), 0.0) * busy, p.completion_max * n)
        cap = self.capacity.get(opd)
        if cap is not None and np.isfinite(cap) and n:
            docs = min(docs, cap * m / (work / n))
        return docs * (work / n if n else 0.0), work

    def _when(self, u: np.ndarray) -> np.ndarray:
        """Months before the close of an upload at the pace: the last month ``surge`` times as
        likely as each earlier one."""
        m = self.months
        last = min(1.0, m)
        mass = self.p.surge * last / (max(m - 1.0, 0.0) + self.p.surge * last) if m > 0 else 1.0
        return np.where(u < mass, u / max(mass, 1e-12) * last, last + (u - mass) / max(1 - mass, 1e-12) * (m - last))

    def raw(self, plan: dict[str, float]) -> np.ndarray:
        """Final score per draw before the error: the awaiting documents, the plan ``{doc_code:
        months before the close}`` and the other open documents at what the pace leaves."""
        d = self.risk.docs
        total = self.risk.scores(plan)
        planned = set(plan)
        for i in self.awaiting:
            if d.loc[i, "doc_code"] not in planned:
                total = total + d.loc[i, "open"] * self.risk.fraction(i, self.months)
        for opd in sorted(set(self.opd.values())):
            spent = sum(self.effort[i] for i in self.open if self.opd[i] == opd and d.loc[i, "doc_code"] in planned)
            through, work = self._throughput(opd)
            rest = work - spent
            share = min(max(through - spent, 0.0) / rest, 1.0) if rest > 1e-12 else 0.0
            for k, i in enumerate(self.open):
                if self.opd[i] != opd or d.loc[i, "doc_code"] in planned:
                    continue
                returned = d.loc[i, "status"] in ("perlu_perbaikan", "diverifikasi")
                up = self.u_up[:, k] < share
                when = np.full(len(up), self.months) if returned else self._when(self.u_when[:, k])
                frac = self._fractions(i, when)
                total = total + d.loc[i, "open"] * frac * up
        return total

    def _fractions(self, i: int, when: np.ndarray) -> np.ndarray:
        """``Oracle.fraction`` with a different upload time in each draw (same random numbers)."""
        p, r = self.p, self.risk
        keep = 1 - p.fixable * (1 - np.exp(-when / p.fix_months))
        status = r.docs.loc[i, "status"]
        if status in ("perlu_perbaikan", "diverifikasi"):
            return r.fraction(i, self.months)
        q = expit(_logit(r.q0[i]) + r.b) * keep
        psi = expit(_logit(r.psi0[i]) + r.b) * keep
        short = r.u_short[:, i] < q
        zero = r.u_zero[:, i] < p.zero_share
        out = np.where(short, np.where(zero, 0.0, p.partial_credit), 1.0)
        sub = r.sub_index[str(r.docs.loc[i, "subindicator_code"])]
        out = np.where(r.v[:, sub] < psi, 0.0, out)
        if i in r.blocker_of:
            out = out * r.clear[:, r.blocker_of[i]]
        return out

    def calibrated(self, raw: np.ndarray) -> np.ndarray:
        """Scores with the error: ``logit`` of the share of the gap closed, moved by ``σ·z``."""
        c = max(self.risk.current, 0.0)
        gap = 100.0 - c
        if gap <= 1e-9 or self.sigma <= 0:
            return raw
        f = (raw - c) / gap
        moved = c + gap * expit(_logit(np.clip(f, 1e-6, 1 - 1e-6)) + self.sigma * self.z)
        return np.where(f > 1e-6, moved, raw)

    def chance(self, plan: dict[str, float], target: float) -> float:
        return float(np.dot(self.risk.w, self.calibrated(self.raw(plan)) >= target - 1e-9))


OPEN = ("belum", "disiapkan", "perlu_perbaikan", "diverifikasi")


def year_of(framework, pemda, snapshot, *, opd_history=None, draws: int = 60_000, seed: int = 99) -> Year:
    """The independent model for what ``plan_path`` plans from: the same documents, parameters,
    calendar, OPD pace, capacity and effort (read the documented way, not through the engine)."""
    from mcp_lib.candidates import select_candidates
    from mcp_lib.pemda.model import pemda_calendar
    from mcp_lib.scoring import score_documents
    from mcp_lib.trend import opd_pace

    docs = score_documents(framework, pemda.kind, snapshot)
    cand = select_candidates(docs, None, None)
    cal = pemda_calendar(pemda, framework)
    months = max((cal.close - snapshot.date).days / MONTH, 0.0)
    capacity = {o.name: o.capacity_days for o in pemda.opds if o.capacity_days is not None}
    pace = None if opd_history is None else opd_pace(opd_history, snapshot.date)
    if pace is not None and sum(max(v, 0.0) for v in pace.values()) <= 0:
        pace = None
    params = pemda.risk
    sigma = 0.0 if params.certain else params.error((cal.close - snapshot.date).days / MONTH)
    effort = dict(zip(cand["doc_code"], cand["cost"], strict=True))
    return Year(docs, params, months, pace=pace, capacity=capacity, effort=effort, sigma=sigma, draws=draws, seed=seed)
