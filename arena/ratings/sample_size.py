"""Sample-size planning for Bradley–Terry ratings: how many debates resolve a gap.

Notation: a gap of G Elo is Δ = G·ln 10/400 logits; p = σ(Δ) is the stronger side's
chance; one decisive debate between the two carries the information w = p(1 − p) about
their difference (`ratings.bt_information`). With n decisive debates between them
(nothing else connecting them), the estimate of Δ has variance 1/(n·w), so a two-sided
test at level α has power 1 − β when

    n = (z_{1−α/2} + z_{1−β})² / (w·Δ²)            (separate the gap with power 1 − β)
    n₀ = z_{1−α/2}² / (w·Δ²)                         (the expected interval just excludes 0)

At α = 5 % and 80 % power a 50-Elo gap needs n ≈ 387 decisive debates per pair (n₀ ≈
190). Ties are counted as carrying no information (conservative: the fit scores a tie
as half a win, which does tell a little), so at a tie rate t a pair needs n/(1 − t)
debates: ×1.54 at t = 35 %.

For a whole planned schedule the same reasoning runs on the full information matrix,
H = (1 − t)·Σ_planned w_ab u uᵀ + λI (λ: the fit's prior precision), with w at the
participants' stored ratings where both have one, and otherwise its mean over a prior
spread of skills: E[σ'(Δ)] with Δ ~ N(0, 2s²), s = `PRIOR_SPREAD_ELO`, by Gauss–Hermite
quadrature. From C = H⁻¹: a participant's expected 95 % half-width is z·SE of its rating
against the pool mean, c = e_i − 1/k; the smallest gap it resolves with 80 % power
against a rival j is (z_{1−α/2} + z_{1−β})·SE(θi − θj), its rival being the nearest by
stored rating (without one: the participant it meets most often in the plan).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.stats import norm

from arena.ratings import bradley_terry as bt
from arena.ratings import bt_information as info

LEVEL = 0.95
POWER = 0.80
PRIOR_SPREAD_ELO = 100.0  # sd of skills assumed where nothing is stored


def z_level(level: float = LEVEL) -> float:
    return float(norm.ppf(0.5 + level / 2.0))


def z_power(power: float = POWER) -> float:
    return float(norm.ppf(power))


def gap_weight(gap_elo: float) -> float:
    """p(1 − p) for a gap of `gap_elo` Elo."""
    return float(info.win_weight(gap_elo / bt.SCALE, 0.0))


def decisive_per_pair(gap_elo: float, power: float = POWER, level: float = LEVEL) -> float:
    """Decisive debates between two participants `gap_elo` apart to separate them with
    `power` at two-sided `level` (power = 0.5: the expected interval just excludes 0)."""
    if gap_elo <= 0:
        raise ValueError("the gap must be positive")
    delta = gap_elo / bt.SCALE
    z = z_level(level) + z_power(power)
    return z * z / (gap_weight(gap_elo) * delta * delta)


def tie_factor(tie_rate: float) -> float:
    """How many debates per decisive one at this tie rate: 1/(1 − t)."""
    if not 0.0 <= tie_rate < 1.0:
        raise ValueError("the tie rate must be in [0, 1)")
    return 1.0 / (1.0 - tie_rate)


def resolvable_gap(se_elo: float, power: float = POWER, level: float = LEVEL) -> float:
    """The smallest gap a difference measured with standard error `se_elo` resolves."""
    return (z_level(level) + z_power(power)) * se_elo


def mean_weight(spread_elo: float = PRIOR_SPREAD_ELO, nodes: int = 40) -> float:
    """E[p(1 − p)] for two participants drawn from N(0, spread²): Δ ~ N(0, 2·spread²)."""
    x, w = np.polynomial.hermite_e.hermegauss(nodes)
    delta = x * math.sqrt(2.0) * spread_elo / bt.SCALE
    return float(np.sum(w * info.win_weight(delta, 0.0)) / np.sum(w))


@dataclass(frozen=True)
class ParticipantPlan:
    name: str
    debates: int  # planned debates it takes part in
    half_width: float  # expected 95 % half-width of its rating (Elo)
    rival: str | None  # whom the resolvable gap is measured against
    resolvable_gap: float  # smallest gap to the rival resolved with 80 % power (Elo)


def plan_precision(
    players: Sequence[str],
    pairs: Sequence[tuple[str, str]],
    ratings: Mapping[str, float],
    tie_rate: float = 0.0,
    prior: float = bt.DEFAULT_PRIOR,
    spread_elo: float = PRIOR_SPREAD_ELO,
    times: float = 1.0,
) -> list[ParticipantPlan]:
    """Each participant's expected half-width and resolvable gap after the planned
    debates `pairs` (played `times` times over), at the stored Elo-scale `ratings`
    (where there are any)."""
    k = len(players)
    index = {p: n for n, p in enumerate(players)}
    w_prior = mean_weight(spread_elo)
    hess = np.eye(k) * bt.prior_precision(prior)
    met = np.zeros((k, k))
    for a, b in pairs:
        i, j = index[a], index[b]
        if a in ratings and b in ratings:
            w = float(info.win_weight((ratings[a] - ratings[b]) / bt.SCALE, 0.0))
        else:
            w = w_prior
        w *= (1.0 - tie_rate) * times
        hess[i, i] += w
        hess[j, j] += w
        hess[i, j] -= w
        hess[j, i] -= w
        met[i, j] += 1
        met[j, i] += 1
    cov = info.covariance(hess)
    z = z_level()
    out = []
    for i, name in enumerate(players):
        c = -np.full(k, 1.0 / k)
        c[i] += 1.0
        half = z * bt.SCALE * math.sqrt(max(float(c @ cov @ c), 0.0))
        rival = _rival(i, players, ratings, met)
        gap = (
            resolvable_gap(bt.SCALE * math.sqrt(max(info.difference_variance(cov, i, index[rival]), 0.0)))
            if rival is not None
            else math.inf
        )
        out.append(ParticipantPlan(name, round(times * met[i].sum()), half, rival, gap))
    return out


def _rival(i: int, players: Sequence[str], ratings: Mapping[str, float], met: np.ndarray) -> str | None:
    others = [j for j in range(len(players)) if j != i]
    if not others:
        return None
    me = players[i]
    rated = [j for j in others if players[j] in ratings]
    if me in ratings and rated:
        return players[min(rated, key=lambda j: (abs(ratings[players[j]] - ratings[me]), j))]
    return players[max(others, key=lambda j: (met[i, j], -j))]


def scale_for(
    players: Sequence[str],
    pairs: Sequence[tuple[str, str]],
    ratings: Mapping[str, float],
    target_elo: float,
    kind: str = "gap",
    tie_rate: float = 0.0,
) -> float:
    """How many times over the planned debates must be played for every participant to
    resolve a gap of `target_elo` (kind "gap") or reach a half-width of it ("half-width").
    The data's information grows with the multiple, the prior's does not, so this is
    solved by bisection (on a log scale), not by the 1/√n rule. inf: beyond 10⁷×."""

    def worst(times: float) -> float:
        plans = plan_precision(players, pairs, ratings, tie_rate, times=times)
        return max((p.resolvable_gap if kind == "gap" else p.half_width) for p in plans)

    if not pairs or not math.isfinite(worst(1e7)) or worst(1e7) > target_elo:
        return math.inf
    lo, hi = 1e-4, 1e7
    for _ in range(80):
        mid = math.sqrt(lo * hi)
        lo, hi = (lo, mid) if worst(mid) <= target_elo else (mid, hi)
    return hi
