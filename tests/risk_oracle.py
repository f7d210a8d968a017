"""An independent simulation of the verification-risk model, for tests.

It follows ``data/reference/verification-risk.md`` step by step with separate random numbers for
each step (falling short, zero or partial, structural zero, blocker, QA), a continuous pemda effect
and importance weights for the pemda's record, where :class:`mcp_lib.risk.Draws` folds steps into
one 16-bit uniform per document and samples the pemda effect in strata. Agreement between the two
is evidence that the fast one implements the model.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from scipy.special import expit, logit

from mcp_lib.risk_params import RiskParams

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
