"""Controlled Bradley–Terry: ratings with a judge's taste for style and side taken out.

    logit P(A beats B) = θ_A − θ_B + Σ_k γ_k z_k     (θ natural; Elo = 400·θ/ln 10 + c)

with the covariates z of `style.build_design` (their meanings and scaling are there).
A tie is half a win each way, as in `bradley_terry`.

Penalties. θ has the board's prior (`bradley_terry.prior_precision`: λ = S/4 for S
virtual games against the pool mean, S = 4 by default), so a controlled rating and the
plain one are shrunk alike and comparable. γ gets only a numerical ridge
(`GAMMA_RIDGE` = 1e-4, against a data curvature of about n/4 per standardised
covariate): a γ exists to soak up a judge's preference, and a strong ridge (FastChat
uses reg = 0.5 on everything, in its summed loss) pulls γ towards zero and hands the
unremoved part of the preference back to the ratings, which is the bias the control
is for. With few matches an unpenalised γ is noisy, and its interval says so.

Solver. Newton's method on the penalised negative log-likelihood (convex; the Hessian
is a weighted graph Laplacian for θ, bordered by the covariates), with step halving.

Uncertainty, two ways, both on *debates* (clusters), never on rows:
- `bootstrap`: each round draws the debates with replacement (multinomial counts) and
  refits, starting from the full fit with the full-data Hessian (chord steps, Newton
  where they stall): percentile intervals.
- `sandwich`: the robust covariance H⁻¹ G H⁻¹, H the Hessian of the penalised loss at
  the estimate, G = Σ_debates g_c g_cᵀ with g_c the summed score of debate c's rows.
  It holds when the model is wrong too (a judge whose preferences are not logistic),
  costs one Hessian, and gives the full covariance of (θ, γ): intervals on rating
  differences, rank ranges and, for an adaptive schedule, where one more debate helps.

`fit_design` + `sandwich` are the pure core (also for a plain BT fit: a design with no
covariates, `plain_estimate(log, prior)`); `Estimate` carries θ, γ and the covariance.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import csr_matrix

from arena.ratings import bradley_terry as bt
from arena.ratings.style import Design, build_design
from arena.ratings.types import MatchLog

GAMMA_RIDGE = 1e-4
TOL = 1e-10  # max |gradient| per row at convergence
BOOT_TOL = 1e-8  # the same for a bootstrap round: ~1e-6 logits at 100k rows, far below its spread


@dataclass(frozen=True)
class Estimate:
    """A fit of (θ, γ) with its covariance.

    `cov` is the (k + K)² covariance of the parameters (θ first, natural scale):
    the clustered sandwich after `sandwich`, None straight after `fit_design`.
    `hessian` is the penalised Hessian at the estimate (its inverse is the model-based
    covariance).
    """

    participants: tuple[str, ...]
    covariates: tuple[str, ...]
    theta: np.ndarray
    gamma: np.ndarray
    hessian: np.ndarray
    ridge: float
    converged: bool
    iterations: int
    cov: np.ndarray | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def params(self) -> np.ndarray:
        return np.concatenate([self.theta, self.gamma])

    def ratings(self, anchor: str | None = None, anchor_value: float = bt.BASE) -> dict[str, float]:
        """Elo-scale ratings centred on the mean (or pinned at the anchor)."""
        elo = bt.to_elo_scale(self.theta, self.participants, anchor, anchor_value)
        return {p: float(r) for p, r in zip(self.participants, elo)}

    def rating_cov(self, anchor: str | None = None) -> np.ndarray:
        """Covariance of the Elo-scale ratings as `ratings` centres them (k × k)."""
        if self.cov is None:
            raise ValueError("no covariance: call sandwich() first")
        k = len(self.participants)
        centre = np.eye(k) - (1.0 / max(k, 1))
        if anchor is not None and anchor in self.participants:
            centre = np.eye(k)
            centre[:, self.participants.index(anchor)] -= 1.0
        c = bt.SCALE * centre
        out: np.ndarray = c @ self.cov[:k, :k] @ c.T
        return out

    def gamma_sd(self) -> np.ndarray:
        """Standard errors of γ (natural scale, per standardised unit)."""
        if self.cov is None:
            raise ValueError("no covariance: call sandwich() first")
        k = len(self.participants)
        sd: np.ndarray = np.sqrt(np.maximum(np.diag(self.cov)[k:], 0.0))
        return sd


def _eta(design: Design, params: np.ndarray, k: int) -> np.ndarray:
    eta: np.ndarray = params[design.a] - params[design.b] + design.z @ params[k:]
    return eta


def _penalty(k: int, n_cov: int, ridge: float) -> np.ndarray:
    return np.concatenate([np.full(k, ridge), np.full(n_cov, GAMMA_RIDGE)])


def _loss(design: Design, params: np.ndarray, w: np.ndarray, pen: np.ndarray) -> float:
    eta = _eta(design, params, len(design.participants))
    softplus = np.maximum(eta, 0.0) + np.log1p(np.exp(-np.abs(eta)))  # log(1 + e^η), stable
    return float(np.dot(w, softplus - design.score * eta) + 0.5 * np.dot(pen * params, params))


def _gradient(design: Design, params: np.ndarray, w: np.ndarray, pen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(gradient of the penalised loss, σ(η) per row)."""
    k = len(design.participants)
    p = 1.0 / (1.0 + np.exp(-_eta(design, params, k)))
    r = w * (p - design.score)
    g = np.empty(len(params))
    g[:k] = np.bincount(design.a, weights=r, minlength=k) - np.bincount(design.b, weights=r, minlength=k)
    g[k:] = design.z.T @ r
    return g + pen * params, p


def hessian(design: Design, params: np.ndarray, w: np.ndarray, pen: np.ndarray) -> np.ndarray:
    """Σ w·p(1−p)·x xᵀ + diag(pen), with x = (e_A − e_B, z) the row's regressors."""
    k = len(design.participants)
    eta = _eta(design, params, k)
    p = 1.0 / (1.0 + np.exp(-eta))
    h = _outer_sum(design, w * p * (1.0 - p))
    h[np.diag_indices_from(h)] += pen
    return h


def _outer_sum(design: Design, v: np.ndarray) -> np.ndarray:
    """Σ_rows v·x xᵀ, x = (e_A − e_B, z): a weighted graph Laplacian bordered by the covariates."""
    k, n_cov = len(design.participants), design.z.shape[1]
    h = np.zeros((k + n_cov, k + n_cov))
    pair = np.bincount(design.a * k + design.b, weights=v, minlength=k * k).reshape(k, k)
    pair = pair + pair.T
    h[:k, :k] = np.diag(pair.sum(axis=1)) - pair
    if n_cov:
        vz = np.asfortranarray(v[:, None] * design.z)
        cross = np.column_stack(
            [
                np.bincount(design.a, weights=vz[:, j], minlength=k)
                - np.bincount(design.b, weights=vz[:, j], minlength=k)
                for j in range(n_cov)
            ]
        )
        h[:k, k:] = cross
        h[k:, :k] = cross.T
        h[k:, k:] = design.z.T @ vz
    return h


def _newton(
    design: Design, params: np.ndarray, w: np.ndarray, pen: np.ndarray, max_iter: int = 100
) -> tuple[np.ndarray, bool, int]:
    total = max(float(w.sum()), 1.0)
    if len(params) == 0 or len(design.a) == 0:
        return params, True, 0
    loss = _loss(design, params, w, pen)
    for it in range(max_iter):
        g, _ = _gradient(design, params, w, pen)
        if np.abs(g).max() / total <= TOL:
            return params, True, it
        step = np.linalg.solve(hessian(design, params, w, pen), g)
        scale = 1.0
        for _ in range(50):
            cand = params - scale * step
            new = _loss(design, cand, w, pen)
            if new <= loss + 1e-12 * abs(loss):
                break
            scale *= 0.5
        params, loss = cand, new
    g, _ = _gradient(design, params, w, pen)
    return params, bool(np.abs(g).max() / total <= TOL * 100), max_iter


def fit_design(
    design: Design,
    prior: float = bt.DEFAULT_PRIOR,
    weights: np.ndarray | None = None,
    init: np.ndarray | None = None,
) -> Estimate:
    """The penalised maximum-likelihood (θ, γ) for `design` (rows weighted by `weights`)."""
    k, n_cov = len(design.participants), design.z.shape[1]
    ridge = bt.prior_precision(prior)
    pen = _penalty(k, n_cov, ridge)
    w = np.ones(len(design.a)) if weights is None else np.asarray(weights, dtype=np.float64)
    start = np.zeros(k + n_cov) if init is None else np.array(init, dtype=np.float64)
    params, converged, iterations = _newton(design, start, w, pen)
    warnings = [] if converged else ["controlled Bradley–Terry fit did not converge"]
    return Estimate(
        participants=design.participants,
        covariates=design.names,
        theta=params[:k],
        gamma=params[k:],
        hessian=hessian(design, params, w, pen),
        ridge=ridge,
        converged=converged,
        iterations=iterations,
        warnings=warnings,
    )


def sandwich(design: Design, est: Estimate) -> Estimate:
    """`est` with its clustered robust covariance H⁻¹ G H⁻¹ (clusters = debates).

    G sums, over debates, the outer product of each debate's score (the gradient of its
    rows' log-likelihood, without the prior). With one row per debate and a correct
    model, G ≈ H and this is the usual H⁻¹; it widens where a debate's rows move
    together or where the judges are not logistic in θ.
    """
    k = len(design.participants)
    p = 1.0 / (1.0 + np.exp(-_eta(design, est.params, k)))
    r = p - design.score
    n_cov = design.z.shape[1]
    if design.clusters == len(r):
        # one row per debate: Σ r²·x xᵀ has the Hessian's structure, with r² for p(1 − p)
        meat = _outer_sum(design, r * r)
    else:
        rows = len(r)
        cols = np.concatenate([design.a, design.b] + [np.full(rows, k + j) for j in range(n_cov)])
        vals = np.concatenate([r, -r] + [r * design.z[:, j] for j in range(n_cov)])
        scores = csr_matrix((vals, (np.tile(design.cluster, 2 + n_cov), cols)), shape=(design.clusters, k + n_cov))
        meat = (scores.T @ scores).toarray()
    h_inv = np.linalg.inv(est.hessian)
    cov = h_inv @ meat @ h_inv
    return Estimate(**{**est.__dict__, "cov": 0.5 * (cov + cov.T)})


def plain_estimate(
    log: MatchLog, prior: float = bt.DEFAULT_PRIOR, clusters: Mapping[str, str] | None = None
) -> Estimate:
    """Plain Bradley–Terry (no covariates) under the board's prior, with its clustered
    sandwich covariance: θ as `bradley_terry.fit` gives it, and the full covariance of
    the ratings (`Estimate.rating_cov`) for rating differences, rank ranges or choosing
    the next pairing. `clusters` maps a match id to its debate (default: its own)."""
    design = build_design(log, {}, (), clusters)
    return sandwich(design, fit_design(design, prior=prior))


@dataclass(frozen=True)
class BootstrapDraws:
    """Per round: θ (rounds × k) and γ (rounds × K) refitted on debates drawn with replacement."""

    theta: np.ndarray
    gamma: np.ndarray
    seed: int
    newton_rounds: int  # rounds the chord steps did not finish


CHORD_STEPS = 30


def bootstrap(design: Design, est: Estimate, rounds: int, seed: int, prior: float = bt.DEFAULT_PRIOR) -> BootstrapDraws:
    """Refit on `rounds` resamples of the debates (each debate's rows move together).

    Every round starts at the full fit and takes chord steps with the full-data
    Hessian (a resample has the same size, so it is within noise of its own); a round
    whose gradient stops shrinking finishes with Newton.
    """
    k, n_cov = len(design.participants), design.z.shape[1]
    pen = _penalty(k, n_cov, bt.prior_precision(prior))
    rng = np.random.default_rng(seed)
    m = design.clusters
    theta = np.zeros((max(rounds, 0), k))
    gamma = np.zeros((max(rounds, 0), n_cov))
    if m == 0 or rounds <= 0:
        return BootstrapDraws(theta, gamma, seed, 0)
    h0_inv = np.linalg.inv(est.hessian)
    total = float(len(design.a))
    newton = 0
    for r in range(rounds):
        # m debates drawn with replacement: a multinomial count per debate
        w = np.bincount(rng.integers(0, m, m), minlength=m)[design.cluster].astype(np.float64)
        params = est.params.copy()
        last = math.inf
        done = False
        for _ in range(CHORD_STEPS):
            g, _ = _gradient(design, params, w, pen)
            size = float(np.abs(g).max()) / total
            if size <= BOOT_TOL:
                done = True
                break
            if size >= last:
                break
            last = size
            params = params - h0_inv @ g
        if not done:
            newton += 1
            params, _, _ = _newton(design, params, w, pen)
        theta[r], gamma[r] = params[:k], params[k:]
    return BootstrapDraws(theta, gamma, seed, newton)
