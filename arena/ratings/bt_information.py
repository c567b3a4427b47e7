"""The Fisher information of a Bradley–Terry fit, and its inverse: the Laplace covariance.

On the natural scale (θ in logits, P(i beats j) = σ(θi − θj)) one debate between i and j
carries the information w·u uᵀ, where u = e_i − e_j and w = p(1 − p), p = σ(θi − θj). A
tie is half a win each way and carries the same w (the BT log-likelihood of a ½ outcome
has the same curvature). With the prior's precision λ (bradley_terry.prior_precision),

    H = Σ_debates w_ij u uᵀ + λ I,      Cov(θ̂) ≈ H⁻¹

which is exactly the Hessian that `bradley_terry.curvature_sd` inverts. This module gives
the whole matrix, for any list of (i, j, count) including debates not played yet (then H is
the *expected* information of a plan at assumed ratings): the adaptive scheduler and the
sample-size planner read variances of rating differences, uᵀ H⁻¹ u, from it.

Adding one debate (i, j) to H changes the covariance by Sherman–Morrison:

    C' = C − w C u uᵀ C / (1 + w uᵀ C u)

so the variance of any contrast v drops by w (vᵀ C u)² / (1 + w uᵀ C u) (`variance_drop`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def win_weight(theta_i: np.ndarray | float, theta_j: np.ndarray | float) -> np.ndarray:
    """p(1 − p) at p = σ(θi − θj): the information of one debate between i and j."""
    p = 1.0 / (1.0 + np.exp(-(np.asarray(theta_i, dtype=np.float64) - np.asarray(theta_j, dtype=np.float64))))
    out: np.ndarray = p * (1.0 - p)
    return out


def information(
    theta: np.ndarray, pairs_i: Sequence[int], pairs_j: Sequence[int], counts: Sequence[float], ridge: float
) -> np.ndarray:
    """H = Σ count·p(1 − p)·(e_i − e_j)(e_i − e_j)ᵀ + λI at ratings θ (natural scale)."""
    k = len(theta)
    i = np.asarray(pairs_i, dtype=np.int64)
    j = np.asarray(pairs_j, dtype=np.int64)
    w = np.asarray(counts, dtype=np.float64) * win_weight(theta[i], theta[j])
    hess = np.zeros((k, k))
    np.add.at(hess, (i, j), -w)
    np.add.at(hess, (j, i), -w)
    hess[np.arange(k), np.arange(k)] = -hess.sum(axis=1) + ridge
    return hess


def covariance(hess: np.ndarray) -> np.ndarray:
    """H⁻¹ (H is positive definite as soon as λ > 0)."""
    cov: np.ndarray = np.linalg.inv(hess)
    return cov


def difference_variance(cov: np.ndarray, i: int, j: int) -> float:
    """Var(θi − θj) = C_ii + C_jj − 2 C_ij."""
    return float(cov[i, i] + cov[j, j] - 2.0 * cov[i, j])


def variance_drop(cov: np.ndarray, contrasts: np.ndarray, i: int, j: int, w: float) -> np.ndarray:
    """How much each contrast's variance (rows of `contrasts`) falls if one more debate
    (i, j) of weight w = p(1 − p) is added: w (vᵀ C u)² / (1 + w uᵀ C u)."""
    cu = cov[:, i] - cov[:, j]
    q = float(cu[i] - cu[j])
    proj = contrasts @ cu
    drop: np.ndarray = w * proj**2 / (1.0 + w * q)
    return drop
