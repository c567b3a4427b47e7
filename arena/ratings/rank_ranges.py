"""Rank ranges from intervals on rating *differences*.

j is surely above i when the 95 % interval of r_j − r_i lies above 0; then

    rank_lo(i) = 1 + #{j surely above i},   rank_hi(i) = k − #{j surely below i}.

The interval of a difference comes from the full covariance (r_j − r_i ± z·sd, with
Var = Σ_ii + Σ_jj − 2Σ_ij) or from the bootstrap rounds (percentiles of the rounds'
differences). Overlapping marginal intervals are the wrong test: two ratings whose
intervals overlap can still differ significantly (their difference has a smaller sd
than the sum of theirs, and positively correlated estimates, as a shared opponent
makes them, shrink it further), so that test needs about twice the data to separate
two participants. Participants that cannot be told apart share a bracket: the rows
with the same (rank_lo, rank_hi) print the same range, e.g. ``2–4``. Chatbot Arena's
`rank_ub` (from marginal intervals) is kept beside it for parity.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import norm


def surely_above(
    estimate: np.ndarray,
    cov: np.ndarray | None = None,
    samples: np.ndarray | None = None,
    level: float = 0.95,
) -> np.ndarray:
    """above[i, j] = True when j is rated above i with `level` confidence."""
    est = np.asarray(estimate, dtype=np.float64)
    k = len(est)
    if samples is not None and len(samples):
        s = np.asarray(samples, dtype=np.float64)
        tail = (1.0 - level) / 2.0 * 100.0
        quantile = np.nanpercentile if np.isnan(s).any() else np.percentile
        above = np.zeros((k, k), dtype=bool)
        for i in range(k):  # one row at a time: rounds × k in memory, not rounds × k × k
            diff = s - s[:, [i]]  # r_j − r_i per round
            with np.errstate(all="ignore"):
                lo = quantile(diff, tail, axis=0)
            above[i] = np.nan_to_num(lo, nan=-1.0) > 0
    elif cov is not None:
        c = np.asarray(cov, dtype=np.float64)
        var = np.diag(c)[:, None] + np.diag(c)[None, :] - 2.0 * c
        half = norm.ppf(0.5 + level / 2.0) * np.sqrt(np.maximum(var, 0.0))
        above = (est[None, :] - est[:, None]) - half > 0
    else:
        above = np.zeros((k, k), dtype=bool)
    np.fill_diagonal(above, False)
    return above


def rank_ranges(
    estimate: np.ndarray,
    cov: np.ndarray | None = None,
    samples: np.ndarray | None = None,
    level: float = 0.95,
    marginal: np.ndarray | None = None,
    ci_lo: np.ndarray | None = None,
    ci_hi: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(rank_lo, rank_hi) per participant (1 = best), from `cov` or the bootstrap `samples`.

    `marginal` (a mask) names participants whose bootstrap cannot show their spread (their
    interval is the curvature's, see `bootstrap`): their draws would make them look
    certain, so any pair with one of them is separated only when the marginal intervals
    `ci_lo`/`ci_hi` do not overlap (the conservative test).
    """
    above = surely_above(estimate, cov, samples, level)
    if marginal is not None and ci_lo is not None and ci_hi is not None and np.any(marginal):
        m = np.asarray(marginal, dtype=bool)
        pairs = m[:, None] | m[None, :]
        loose = np.asarray(ci_lo)[None, :] > np.asarray(ci_hi)[:, None]  # lo_j > hi_i
        above = np.where(pairs, loose, above)
        np.fill_diagonal(above, False)
    k = len(np.asarray(estimate))
    lo: np.ndarray = 1 + above.sum(axis=1)
    hi: np.ndarray = k - above.sum(axis=0)
    return lo.astype(np.int64), hi.astype(np.int64)


def bracket(lo: int, hi: int) -> str:
    """`3` or `2–4`."""
    return str(lo) if lo == hi else f"{lo}–{hi}"
