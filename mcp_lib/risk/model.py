"""Verification risk: how much of what a pemda uploads the verifier accepts by the final date.

The layered model of ``data/reference/verification-risk.md`` (calibrated on the 2021 KPK MCP
data of 506 kabupaten/kota; see :func:`simulate_2021`). Per simulation draw:

1. **Pemda effect** ``b ~ Normal(0, pemda_sd²)`` on the logit scale, shared by every document
   of the pemda (a pemda whose evidence is weak is weak everywhere).
2. **Structural zero** per sub-indicator with probability ``structural_zero × area multiplier``
   (shifted by ``b``): the sub-indicator's uncertain documents all count 0 (no early tender took
   place, no authority for an RDTR: no revision can fix it).
3. Otherwise each document **falls short** with probability ``q × area multiplier`` (shifted by
   ``b``), ``q = 1 − sub_survive^(1/k)`` with ``k`` the applicable documents of its
   sub-indicator: the year-end share of sub-indicators with no document short is
   ``sub_survive`` whatever the number of documents.
4. A short document is worth 0 with probability ``zero_share``, else ``partial_credit`` of its
   points.
5. **Re-upload**: a short document is fixed and accepted in full with probability
   ``r(m) = fixable × (1 − exp(−m / fix_months))``, ``m`` the months from its upload to the
   upload close. Steps 2–4 are year-end (late upload) shares, so for an upload ``m`` months
   before the close both probabilities are multiplied by ``1 − r(m)``.
6. By status: awaiting verification (``diunggah``) and newly planned documents follow 1–5;
   a returned document (``perlu_perbaikan``, or verified below its maximum) has a known problem:
   it is accepted in full with probability ``fixable_returned × (1 − exp(−m / fix_months))``
   (failure shifted by ``b``), else keeps what it has; verified points carry a small QA risk
   (``qa_risk`` chance of losing between ``qa_loss_min`` and ``qa_loss_max`` of their value).
7. **Blockers**: one draw per blocker (the text of the ``blocker`` column), shared by every
   document it holds up, clearing by the close with the probability of
   :data:`~mcp_lib.risk.params.BLOCKER_CLEAR` (or the pemda's own figure); a document whose
   blocker does not clear gains nothing.

Every parameter is a field of :class:`~mcp_lib.risk.params.RiskParams`, documented with its
source in :data:`~mcp_lib.risk.params.PARAMETERS`, and can be overridden in the pemda's
``pemda.toml`` (table ``[risiko]``).
The draws are vectorised (numpy) and reproducible (fixed seed); the pemda effect is sampled in
equal-probability strata so that 10,000 draws of a 700-document framework take tens of
milliseconds.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from mcp_lib.risk.params import RiskParams
from mcp_lib.statuses import DECIDED


def _from_scipy_special(name: str) -> Callable[[Any], Any]:
    """``scipy.special.<name>``, imported on first use: a process that only reads the steps'
    files (the brief's kernel) never imports scipy (with scipy.optimize, ~1.7 s of CPU in every
    kernel that starts)."""

    def call(x: Any) -> Any:
        from scipy import special

        return getattr(special, name)(x)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = f"scipy.special.{name}, imported on first use."
    return call


expit, logit, ndtri = (_from_scipy_special(name) for name in ("expit", "logit", "ndtri"))


# --- documents as risk inputs ----------------------------------------------------------------

AWAIT, RETURNED = 0, 1
"""Kinds of uncertain document: one that goes to the verifier new (awaiting, or planned),
and one the verifier returned with a known problem."""


@dataclass(frozen=True, eq=False)
class RiskInputs:
    """Per document, what the risk model needs (arrays aligned with ``codes``).

    ``gain`` is the total-score points at stake if accepted in full (the open part);
    ``kind`` :data:`AWAIT` or :data:`RETURNED`; ``short_logit`` and ``zero_logit`` the year-end
    logits of falling short and of a structural zero (area multiplier included); ``sub`` the
    sub-indicator index (one structural-zero draw per sub-indicator); ``blocker`` an index into
    ``blocker_clear`` or −1; ``qa_points`` the verified total-score points at QA risk.
    """

    codes: np.ndarray
    gain: np.ndarray
    kind: np.ndarray
    short_logit: np.ndarray
    zero_logit: np.ndarray
    sub: np.ndarray
    blocker: np.ndarray
    blocker_clear: np.ndarray
    blocker_names: tuple[str, ...]
    qa_points: np.ndarray

    @property
    def n(self) -> int:
        return len(self.codes)


def _clip_logit(p: np.ndarray) -> np.ndarray:
    out: np.ndarray = logit(np.clip(np.asarray(p, float), 1e-6, 1 - 1e-6))
    return out


def risk_inputs(docs: pd.DataFrame, params: RiskParams) -> RiskInputs:
    """Risk inputs of every applicable document of a scored snapshot
    (:func:`mcp_lib.scoring.score_documents`), in the frame's order.

    Needs ``doc_code, subindicator_code, area_code, area_name, status, applicable, open,
    earned`` and ``blocker``, and may have ``plannable`` (false: the document's item is met by a
    realisation or an outside system, which uploads do not move). Documents that are not
    applicable or not plannable get zero gain.
    """
    app = docs["applicable"].to_numpy(bool)
    movable = app & docs["plannable"].to_numpy(bool) if "plannable" in docs else app
    k = docs.loc[docs["applicable"]].groupby("subindicator_code")["doc_code"].size()
    k_doc = docs["subindicator_code"].map(k).fillna(1).to_numpy(float)
    mult = np.array([params.multiplier(c, n) for c, n in zip(docs["area_code"], docs["area_name"], strict=True)], float)
    q = params.short_probability(k_doc) * mult
    psi = params.structural_zero * mult
    _subs, sub = np.unique(docs["subindicator_code"].astype(str).to_numpy(), return_inverse=True)
    status = docs["status"].astype(str).to_numpy()
    returned = np.isin(status, DECIDED)
    blocker_text = docs["blocker"].fillna("").astype(str).str.strip() if "blocker" in docs else None
    names: list[str] = []
    index = np.full(len(docs), -1)
    if blocker_text is not None:
        for i, t in enumerate(blocker_text):
            if t and app[i]:
                if t not in names:
                    names.append(t)
                index[i] = names.index(t)
    return RiskInputs(
        codes=docs["doc_code"].astype(str).to_numpy(),
        gain=np.where(movable, docs["open"].to_numpy(float), 0.0),
        kind=np.where(returned, RETURNED, AWAIT),
        short_logit=_clip_logit(q),
        zero_logit=_clip_logit(psi),
        sub=sub.astype(np.int64),
        blocker=index,
        blocker_clear=np.array([params.clear_chance(t) for t in names], float),
        blocker_names=tuple(names),
        qa_points=np.where(app, docs["earned"].to_numpy(float), 0.0),
    )


# --- the draws -------------------------------------------------------------------------------

STRATA = 100
"""The pemda effect is drawn at the midpoints of this many equal-probability strata (fewer when
there are fewer draws), each used by the same number of draws."""


def round_draws(draws: int) -> int:
    """The number of draws actually made: ``draws`` rounded up to a multiple of the strata."""
    strata = min(STRATA, max(1, int(draws)))
    return strata * math.ceil(max(1, int(draws)) / strata)


_TURN_BLOCK = 256
"""Draws turned at a time from draws × columns to columns × draws (:meth:`Draws._uniform16`):
about four times faster than turning the whole matrix at once at 10,000 draws × 680 documents."""


class Draws:
    """Common random numbers for one set of documents: the same draws whichever plan is
    evaluated, so that two plans differ only by their documents, never by their luck.

    Uniform numbers are kept as 16-bit integers (resolution 1/65,536: probabilities are rounded
    down to that grid), which halves the memory traffic of the comparisons.

    Parameters
    ----------
    inputs
        The documents (:func:`risk_inputs`).
    params
        The model's parameters.
    draws
        Number of draws (rounded up by :func:`round_draws`).
    seed
        Seed of the generator: the same seed gives the same numbers.
    """

    def __init__(self, inputs: RiskInputs, params: RiskParams, draws: int = 10_000, seed: int = 0):
        self.inputs, self.params = inputs, params
        n = round_draws(draws)
        strata = min(STRATA, n)
        self.strata, self.per, self.n = strata, n // strata, n
        self._rng = np.random.default_rng(seed)
        mid = (np.arange(strata) + 0.5) / strata
        self.b = ndtri(mid) * params.pemda_sd
        self.u = self._uniform16(n, inputs.n)
        """Per document, its uniform number in each draw (documents × draws)."""
        n_sub = int(inputs.sub.max()) + 1 if inputs.n else 0
        self.v = self._uniform16(n, n_sub)
        """Per sub-indicator, its uniform number in each draw (the structural zero, shared)."""
        self.w = self._rng.random((n, len(inputs.blocker_names)))
        self._cleared = np.ascontiguousarray((self.w < inputs.blocker_clear[None, :]).T)
        """Per blocker, whether it is cleared in each draw (blockers × draws)."""
        self._qa: np.ndarray | None = None
        self.weights = np.full(n, 1.0 / n)
        """Weight of each draw (sums to 1): equal, or updated by :meth:`condition`."""
        self.stratum_weights = np.full(strata, 1.0 / strata)

    def condition(self, full: np.ndarray, short: np.ndarray) -> None:
        """Update the pemda effect on the pemda's own record: documents the verifier already
        decided, accepted in ``full`` or found ``short`` (returned, or verified below their
        points), are evidence of how strict verification is with this pemda. Each stratum of
        the pemda effect is weighted by the likelihood of that record at first decision
        (Bayes' rule on the strata; the prior is the calibrated ``Normal(0, pemda_sd²)``)."""
        full, short = np.asarray(full, int), np.asarray(short, int)
        if len(full) + len(short) == 0 or self.params.certain:
            return
        inp, b = self.inputs, self.b[:, None]

        def not_full(idx: np.ndarray) -> np.ndarray:
            q = expit(inp.short_logit[idx][None, :] + b)
            psi = expit(inp.zero_logit[idx][None, :] + b)
            out: np.ndarray = np.clip(1.0 - (1.0 - q) * (1.0 - psi), 1e-12, 1 - 1e-12)
            return out

        loglik = np.log(not_full(short)).sum(axis=1) + np.log1p(-not_full(full)).sum(axis=1)
        w = np.exp(loglik - loglik.max())
        self.stratum_weights = w / w.sum()
        self.weights = np.repeat(self.stratum_weights / self.per, self.per)

    @property
    def effective(self) -> float:
        """Effective number of draws (Kish) after :meth:`condition`."""
        return float(1.0 / np.sum(self.weights**2))

    def effect_quantiles(self, levels: Sequence[float] = (0.1, 0.5, 0.9)) -> tuple[float, ...]:
        """Quantiles of the pemda effect (logit scale) under the current weights."""
        return weighted_quantiles(self.b, self.stratum_weights, levels)

    def _uniform16(self, draws: int, cols: int) -> np.ndarray:
        """16-bit uniform numbers for ``cols`` columns in each of ``draws`` draws, drawn draws ×
        columns (the generator's order fixes the numbers: the 16-bit halves of its 32-bit integers,
        which are the bytes ``Generator.bytes`` gives) and returned columns × draws, each column's
        draws side by side: taking some columns (:meth:`fractions`, thousands of times in a plan
        search) then copies whole rows. Turned in blocks of draws, which stay in the cache."""
        size = draws * cols
        # as many 32-bit integers as Generator.bytes draws for 2·size bytes (one for none at all)
        words = self._rng.integers(0, 2**32, size=(2 * size + 3) // 4 if size else 1, dtype=np.uint32)
        drawn = words.astype("<u4", copy=False).view(np.uint16)[:size].reshape(draws, cols)
        out = np.empty((cols, draws), np.uint16)
        for start in range(0, draws, _TURN_BLOCK):
            out[:, start : start + _TURN_BLOCK] = drawn[start : start + _TURN_BLOCK].T
        return out

    @staticmethod
    def _threshold(p: np.ndarray) -> np.ndarray:
        out: np.ndarray = np.floor(np.clip(p, 0.0, 65535 / 65536) * 65536).astype(np.uint16)
        return out

    def fractions(self, idx: np.ndarray, months: np.ndarray | float) -> np.ndarray:
        """Share of its open points each document of ``idx`` obtains in each draw
        (draws × len(idx), float32), uploaded ``months`` before the close (per document)."""
        idx = np.asarray(idx, int)
        months = np.broadcast_to(np.asarray(months, float), idx.shape)
        p, inp = self.params, self.inputs
        if len(idx) == 0:
            return np.empty((self.n, 0), np.float32)
        if p.certain:
            return np.ones((self.n, len(idx)), np.float32)
        new = inp.kind[idx] == AWAIT
        k, b = len(idx), self.b[None, :]
        # Year-end probabilities per document and stratum (docs × strata), scaled by the
        # re-upload chance, as thresholds on the 16-bit grid; per draw the share is 0 below
        # ``zero_cut``, the partial credit below ``short`` and 1 from there (``short`` raised to
        # ``zero_cut`` where it is below it: 0 wins, as it always has).
        keep = (1.0 - p.reupload(months))[:, None]
        p_short = expit(inp.short_logit[idx][:, None] + b) * keep
        p_fail = expit(_clip_logit(1.0 - p.reupload(months, returned=True))[:, None] + b)
        zero_cut = self._threshold(np.where(new[:, None], p_short * p.zero_share, p_fail))
        short = np.maximum(self._threshold(np.where(new[:, None], p_short, p_fail)), zero_cut)
        whole = k == self.inputs.n and bool((idx == np.arange(k)).all())
        u = (self.u if whole else self.u[idx]).reshape(k, self.strata, self.per)
        level = (u >= zero_cut[:, :, None]).view(np.uint8)  # 0: nothing, 1: partial, 2: in full
        level += u >= short[:, :, None]
        frac = np.array([0.0, p.partial_credit, 1.0], np.float32)[level]
        if new.any() and p.structural_zero > 0:
            p_zero = np.where(new[:, None], expit(inp.zero_logit[idx][:, None] + b) * keep, 0.0)
            v = self.v[inp.sub[idx]].reshape(k, self.strata, self.per)
            np.copyto(frac, np.float32(0.0), where=v < self._threshold(p_zero)[:, :, None])
        out = frac.reshape(k, self.n)
        blk = inp.blocker[idx]
        if (blk >= 0).any():
            has = np.flatnonzero(blk >= 0)
            out[has] *= self._cleared[blk[has]]
        return np.ascontiguousarray(out.T)

    def qa_loss(self) -> np.ndarray:
        """Total-score points lost at the final QA in each draw (every verified point of the
        pemda). Hits are rare (``qa_risk``), so they are drawn sparsely: the gaps between hits
        in the draws × documents grid are geometric."""
        if self._qa is None:
            self._qa = self._draw_qa()
        return self._qa

    def _draw_qa(self) -> np.ndarray:
        p, pts = self.params, self.inputs.qa_points
        docs = np.flatnonzero(pts > 0)
        loss = np.zeros(self.n)
        if len(docs) == 0 or p.qa_risk <= 0 or p.certain:
            return loss
        rng = np.random.default_rng(self._rng.integers(2**63))
        cells = self.n * len(docs)
        positions = []
        at = -1
        while True:
            expect = int((cells - at) * p.qa_risk * 1.2) + 64
            gaps = rng.geometric(p.qa_risk, expect)
            pos = at + np.cumsum(gaps)
            positions.append(pos[pos < cells])
            if pos[-1] >= cells:
                break
            at = int(pos[-1])
        hit = np.concatenate(positions)
        share = p.qa_loss_min + (p.qa_loss_max - p.qa_loss_min) * rng.random(len(hit))
        np.add.at(loss, hit // len(docs), share * pts[docs[hit % len(docs)]])
        return loss


def chance(scores: np.ndarray, target: float, weights: np.ndarray | None = None) -> float:
    """Share of draws (weighted, when ``weights`` are given) whose score reaches ``target``
    (to within 1e-9 points)."""
    if len(scores) == 0:
        return float("nan")
    hit = scores >= target - 1e-9
    if weights is None:
        return float(np.mean(hit))
    weights = np.asarray(weights, float)
    yes, no = float(weights[hit].sum()), float(weights[~hit].sum())
    return yes / (yes + no) if yes + no > 0 else float("nan")


def weighted_quantiles(values: np.ndarray, weights: np.ndarray | None, levels: Sequence[float]) -> tuple[float, ...]:
    """Quantiles of ``values`` under ``weights`` (the inverse of the weighted distribution)."""
    values = np.asarray(values, float)
    if weights is None:
        return tuple(float(x) for x in np.quantile(values, levels))
    order = np.argsort(values, kind="stable")
    cum = np.cumsum(np.asarray(weights, float)[order])
    cum /= cum[-1]
    at = np.searchsorted(cum, np.asarray(levels, float) - 1e-12)
    return tuple(float(values[order][min(i, len(values) - 1)]) for i in at)


def band(
    scores: np.ndarray, weights: np.ndarray | None = None, levels: Sequence[float] = (0.1, 0.5, 0.9)
) -> tuple[float, ...]:
    """Quantiles of simulated scores (default: 10%, median, 90%), weighted when ``weights`` are given."""
    return weighted_quantiles(scores, weights, levels)


# --- calibration against 2021 ----------------------------------------------------------------

AREA_RECORDS_2021: tuple[tuple[str, int], ...] = (
    ("Pajak daerah", 4513),
    ("Aset / BMD", 5212),
    ("APIP", 5610),
    ("Perizinan / PTSP", 9512),
    ("PBJ", 10169),
    ("Manajemen ASN", 6557),
    ("Dana Desa", 4604),
    ("Perencanaan & Penganggaran", 9772),
)
"""Sub-indicator records per area in the 2021 KPK MCP data (``verification-risk.md``)."""

OBSERVED_2021: Mapping[str, float] = {
    "lowered": 0.354,
    "zero": 0.07,
    "kappa": 0.52,
}
"""2021 figures (``verification-risk.md``): share of sub-indicator records lowered at
verification, share pushed to 0 (≈ 11% verified at 0 vs ≈ 4% claimed at 0), and the mean
share of its claim a lowered record kept. The per-district verified/claimed quantiles are
computed from ``data/reference/kabkota-claim-vs-verified-2020-21.csv``."""


def simulate_2021(
    params: RiskParams | None = None, districts: int = 4000, records: int = 110, k: int = 2, seed: int = 2021
) -> dict[str, float]:
    """Simulate the 2021 data with the model: ``districts`` pemda, ``records`` sub-indicators
    each (areas mixed as in :data:`AREA_RECORDS_2021`), ``k`` documents per sub-indicator, every
    document claimed in full and uploaded at the close (the 2021 values are year-end values,
    after any re-upload).

    Returns the share of records lowered, the share pushed to 0, κ (the mean share of the claim a
    lowered record kept) and the 5/25/50/75/95% quantiles of verified/claimed per district
    (``q05`` ... ``q95``). This draws every step separately (a second implementation beside
    :class:`Draws`).
    """
    p = params or RiskParams()
    rng = np.random.default_rng(seed)
    counts = np.array([c for _n, c in AREA_RECORDS_2021], float)
    per_area = np.floor(records * counts / counts.sum()).astype(int)
    per_area[np.argsort(-(records * counts / counts.sum() - per_area))[: records - per_area.sum()]] += 1
    mult = np.repeat([p.multiplier("", name) for name, _c in AREA_RECORDS_2021], per_area)
    b = rng.normal(0.0, p.pemda_sd, (districts, 1))
    q = expit(_clip_logit(p.short_probability(k) * mult)[None, :] + b)
    psi = expit(_clip_logit(p.structural_zero * mult)[None, :] + b)
    value = np.zeros((districts, records))
    for _ in range(k):
        short = rng.random((districts, records)) < q
        zero = rng.random((districts, records)) < p.zero_share
        value += np.where(short, np.where(zero, 0.0, p.partial_credit), 1.0) / k
    value = np.where(rng.random((districts, records)) < psi, 0.0, value)
    lowered = value < 1 - 1e-9
    ratio = value.mean(axis=1)
    q05, q25, q50, q75, q95 = np.quantile(ratio, [0.05, 0.25, 0.5, 0.75, 0.95])
    return {
        "lowered": float(lowered.mean()),
        "zero": float((value <= 1e-12).mean()),
        "kappa": float(value[lowered].mean()),
        "q05": float(q05),
        "q25": float(q25),
        "q50": float(q50),
        "q75": float(q75),
        "q95": float(q95),
    }


def observed_2021_ratios(path: str | None = None) -> dict[str, float]:
    """5/25/50/75/95% quantiles of mean verified / mean claimed per district in the real 2021
    figures (``data/reference/kabkota-claim-vs-verified-2020-21.csv``, 506 kabupaten/kota)."""
    from mcp_lib.config import REFERENCE_DIR

    frame = pd.read_csv(path or REFERENCE_DIR / "kabkota-claim-vs-verified-2020-21.csv")
    ratio = frame["mean_verified"] / frame["mean_claim"]
    qs = np.quantile(ratio, [0.05, 0.25, 0.5, 0.75, 0.95])
    return dict(zip(("q05", "q25", "q50", "q75", "q95"), (float(x) for x in qs), strict=True))


__all__ = [
    "AWAIT",
    "RETURNED",
    "Draws",
    "RiskInputs",
    "band",
    "chance",
    "risk_inputs",
    "simulate_2021",
]
