"""Seeded bootstrap intervals and the rank upper bound they imply.

Bradley–Terry: resampling the matches with replacement is a multinomial draw over the
collapsed (pair, outcome) counts, so a round costs O(pairs), not O(matches); all rounds
are then fitted together, each warm-started from the full-data fit
(`bradley_terry.fit_theta_many`). Elo: each round replays a resample of the matches in
the random order in which they were drawn, as FastChat does, so the interval covers
both sampling noise and Elo's dependence on order.

Intervals are percentile intervals (2.5–97.5 % by default) of the bootstrap ratings,
reported next to the full-data estimate. A participant absent from a resample has no
rating in that round; such rounds are left out of its percentiles. The same log, seed
and settings give identical intervals.

Honest intervals: a percentile interval is only as good as the variety of the
resamples. With a handful of debates, or for a participant who won (or lost) every
game, the resamples cannot move it past its own record, and one side of the interval
collapses to (nearly) zero width. For such a participant the Bradley–Terry interval
falls back to the Laplace interval estimate ± z·sd from the curvature of the posterior
(`bradley_terry.curvature_sd`), and `fallback` records why; the warnings name them.
No side of a reported interval is ever zero wide. `rank_ub` keeps Chatbot Arena's
meaning, 1 + #{j : lo_j > hi_i}, counted within the participant's component.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from arena.ratings import bradley_terry as bt
from arena.ratings import elo
from arena.ratings.canonical import in_replay_order
from arena.ratings.types import MatchLog

DEFAULT_ROUNDS = 1000
DEFAULT_SEED = 42
MIN_BOOTSTRAP_GAMES = 5  # below this many games a participant's bootstrap is not trusted
MIN_SIDE_SHARE = 0.25  # a side narrower than this share of the curvature's half-width is degenerate
ELO_CHUNK = 4096  # positions drawn per RNG call in the Elo bootstrap (part of the seed contract)


@dataclass
class Intervals:
    estimate: dict[str, float]
    ci_lo: dict[str, float]
    ci_hi: dict[str, float]
    rank_ub: dict[str, int]
    participants: tuple[str, ...] = ()
    samples: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))  # rounds × participants, NaN = absent
    rounds: int = DEFAULT_ROUNDS
    seed: int = DEFAULT_SEED
    method: str = ""
    warnings: list[str] = field(default_factory=list)
    fallback: dict[str, str] = field(default_factory=dict)  # participant → why its interval is Laplace


def rank_upper_bounds_by_group(
    ci_lo: Mapping[str, float], ci_hi: Mapping[str, float], group: Mapping[str, int]
) -> dict[str, int]:
    """`rank_upper_bounds` within each group (component): nobody outranks across groups."""
    out: dict[str, int] = {}
    for g in sorted(set(group.values())):
        names = [p for p in ci_lo if group[p] == g]
        out.update(rank_upper_bounds({p: ci_lo[p] for p in names}, {p: ci_hi[p] for p in names}))
    return out


def degenerate_reasons(
    names: tuple[str, ...],
    estimate: Mapping[str, float],
    ci_lo: Mapping[str, float],
    ci_hi: Mapping[str, float],
    sd: Mapping[str, float],
    games: Mapping[str, float],
    points: Mapping[str, float],
    level: float = 0.95,
) -> dict[str, str]:
    """Who gets a curvature interval instead of its bootstrap one, and why."""
    z = _z(level)
    reasons: dict[str, str] = {}
    for p in names:
        n, pts = games.get(p, 0.0), points.get(p, 0.0)
        half = z * sd[p]
        if n > 0 and pts >= n:
            reasons[p] = f"won all {n:g} games"
        elif n > 0 and pts <= 0:
            reasons[p] = f"lost all {n:g} games"
        elif n < MIN_BOOTSTRAP_GAMES:
            reasons[p] = f"{n:g} games"
        elif max(ci_hi[p] - estimate[p], estimate[p] - ci_lo[p]) <= 1e-9:
            reasons[p] = "no bootstrap spread"
        elif min(ci_hi[p] - estimate[p], estimate[p] - ci_lo[p]) < MIN_SIDE_SHARE * half:
            reasons[p] = "a one-sided bootstrap"
    return reasons


def _z(level: float) -> float:
    from scipy.stats import norm

    return float(norm.ppf(0.5 + level / 2.0))


def apply_fallback(
    iv: Intervals,
    sd: Mapping[str, float],
    reasons: Mapping[str, str],
    level: float = 0.95,
    source: str = "posterior curvature",
) -> Intervals:
    """Replace the named participants' intervals by estimate ± z·sd and say so."""
    if not reasons:
        return iv
    z = _z(level)
    for p in reasons:
        half = max(z * sd[p], 1e-6)
        iv.ci_lo[p] = iv.estimate[p] - half
        iv.ci_hi[p] = iv.estimate[p] + half
    iv.fallback.update(reasons)
    iv.rank_ub = rank_upper_bounds(iv.ci_lo, iv.ci_hi)
    # the "estimate outside its interval" note no longer applies to the replaced ones
    outside = [p for p in iv.participants if not iv.ci_lo[p] <= iv.estimate[p] <= iv.ci_hi[p]]
    iv.warnings = [w for w in iv.warnings if not w.startswith(f"{iv.method}: the estimate lies outside")]
    if outside:
        iv.warnings.append(f"{iv.method}: the estimate lies outside its bootstrap interval for {', '.join(outside)}")
    listed = ", ".join(f"{p} ({why})" for p, why in sorted(reasons.items()))
    iv.warnings.append(
        f"{iv.method}: the bootstrap cannot show the spread of {listed}; their intervals are "
        f"±{z:.2f} sd from the {source} (Laplace), marked †"
    )
    return iv


def rank_upper_bounds(ci_lo: Mapping[str, float], ci_hi: Mapping[str, float]) -> dict[str, int]:
    """rank_ub(i) = 1 + #{j : lo_j > hi_i}: i's best rank that the intervals allow to be beaten."""
    names = list(ci_lo)
    lo = np.array([ci_lo[p] for p in names])
    hi = np.array([ci_hi[p] for p in names])
    above = (lo[None, :] > hi[:, None]).sum(axis=1)
    return {p: int(1 + a) for p, a in zip(names, above)}


def _percentiles(samples: np.ndarray, estimate: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray, list[int]]:
    tail = (1.0 - level) / 2.0 * 100.0
    lo, hi = estimate.copy(), estimate.copy()
    never: list[int] = []
    for c in range(samples.shape[1]):
        col = samples[:, c]
        col = col[~np.isnan(col)]
        if len(col) == 0:
            never.append(c)
            continue
        lo[c], hi[c] = np.percentile(col, [tail, 100.0 - tail])
    return lo, hi, never


def _finish(
    participants: tuple[str, ...],
    estimate: np.ndarray,
    samples: np.ndarray,
    level: float,
    rounds: int,
    seed: int,
    method: str,
    warnings: list[str],
) -> Intervals:
    lo, hi, never = _percentiles(samples, estimate, level)
    warnings = list(warnings)
    if never and rounds > 0:
        names = ", ".join(participants[c] for c in never)
        warnings.append(f"no bootstrap round contained {names}")
    outside = [participants[c] for c in range(len(participants)) if not lo[c] <= estimate[c] <= hi[c]]
    if outside:
        warnings.append(f"{method}: the estimate lies outside its bootstrap interval for {', '.join(outside)}")
    ci_lo = {p: float(v) for p, v in zip(participants, lo)}
    ci_hi = {p: float(v) for p, v in zip(participants, hi)}
    return Intervals(
        estimate={p: float(v) for p, v in zip(participants, estimate)},
        ci_lo=ci_lo,
        ci_hi=ci_hi,
        rank_ub=rank_upper_bounds(ci_lo, ci_hi),
        participants=participants,
        samples=samples,
        rounds=rounds,
        seed=seed,
        method=method,
        warnings=warnings,
    )


def bootstrap_bt(
    log: MatchLog,
    rounds: int = DEFAULT_ROUNDS,
    seed: int = DEFAULT_SEED,
    anchor: str | None = None,
    anchor_value: float = bt.BASE,
    prior: float = bt.DEFAULT_PRIOR,
    level: float = 0.95,
    full: bt.BTResult | None = None,
) -> Intervals:
    """Percentile intervals of BT ratings over `rounds` multinomial resamples of the matches,
    each fitted with the same prior as the full fit; degenerate ones fall back to curvature."""
    if full is None:
        full = bt.fit(log, anchor=anchor, anchor_value=anchor_value, prior=prior)
    ridge = full.ridge
    counts = full.counts if full.counts is not None else bt.collapse(log)
    participants = counts.participants
    estimate = np.array([full.ratings[p] for p in participants])
    rng = np.random.default_rng(seed)
    total = int(round(counts.total))
    if total == 0 or rounds <= 0:
        samples = np.full((max(rounds, 0), len(participants)), np.nan)
        return with_curvature_fallback(
            _finish(participants, estimate, samples, level, rounds, seed, "bt", []), full, level
        )
    weights = rng.multinomial(total, counts.count / counts.total, size=rounds).astype(np.float64)
    theta, fallback = bt.fit_theta_many(counts, weights, full.theta, ridge=ridge)
    games, points = counts.participant_totals(weights)
    reference = bt.centre_reference(games, points) if full.prior <= 0 else None
    samples = bt.to_elo_scale(theta, participants, full.anchor, full.anchor_value, reference)
    samples[games == 0] = np.nan
    warnings = []
    if fallback:
        warnings.append(f"{fallback} bootstrap rounds needed the L-BFGS fallback")
    iv = _finish(participants, estimate, samples, level, rounds, seed, "bt", warnings)
    return with_curvature_fallback(iv, full, level)


def with_curvature_fallback(iv: Intervals, full: bt.BTResult, level: float = 0.95) -> Intervals:
    """Curvature intervals for the participants whose bootstrap is degenerate (`degenerate_reasons`)."""
    if full.counts is None or not full.participants:
        return iv
    sd = dict(zip(full.participants, bt.curvature_sd(full).tolist()))
    games_arr, points_arr = full.counts.participant_totals()
    games = dict(zip(full.participants, games_arr.tolist()))
    points = dict(zip(full.participants, points_arr.tolist()))
    reasons = degenerate_reasons(full.participants, iv.estimate, iv.ci_lo, iv.ci_hi, sd, games, points, level)
    reasons.pop(full.anchor or "", None)  # the anchor is pinned by definition: its interval is the point
    return apply_fallback(iv, sd, reasons, level)


def bootstrap_elo(
    log: MatchLog,
    rounds: int = DEFAULT_ROUNDS,
    seed: int = DEFAULT_SEED,
    k: float = elo.DEFAULT_K,
    start: float = elo.DEFAULT_START,
    level: float = 0.95,
    full: elo.EloResult | None = None,
) -> Intervals:
    """Percentile intervals of Elo over resamples replayed in their (random) drawn order.

    All rounds advance together, one match position at a time, with the same formula as
    `elo.update` (vectorised across rounds).
    """
    ordered = [m for m in in_replay_order(log) if m.model_a != m.model_b]
    if full is None:
        full = elo.replay(ordered, k=k, start=start)
    participants = tuple(sorted(full.ratings))
    estimate = np.array([full.ratings[p] for p in participants])
    index = {p: i for i, p in enumerate(participants)}
    n = len(ordered)
    rng = np.random.default_rng(seed)
    ratings = np.full((rounds, len(participants)), float(start))
    seen = np.zeros((rounds, len(participants)), dtype=bool)
    if n and rounds > 0:
        a = np.array([index[m.model_a] for m in ordered])
        b = np.array([index[m.model_b] for m in ordered])
        score = np.array([elo.score_of(m) for m in ordered])
        rows = np.arange(rounds)
        for first in range(0, n, ELO_CHUNK):
            block = rng.integers(0, n, size=(min(ELO_CHUNK, n - first), rounds))
            for picks in block:
                ia, ib = a[picks], b[picks]
                ra, rb = ratings[rows, ia], ratings[rows, ib]
                delta = k * (score[picks] - 1.0 / (1.0 + 10.0 ** ((rb - ra) / 400.0)))
                ratings[rows, ia] = ra + delta
                ratings[rows, ib] = rb - delta
                seen[rows, ia] = True
                seen[rows, ib] = True
    samples = np.where(seen, ratings, np.nan)
    return _finish(participants, estimate, samples, level, rounds, seed, "elo", [])
