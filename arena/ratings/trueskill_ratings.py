"""TrueSkill through the `trueskill` package, with its defaults, on a private environment.

(The module is not called trueskill.py: it would shadow the package.) A private
`TrueSkill()` instance keeps the arena independent of anyone touching the package's
global environment. `replay` is `update` in replay order, so the store's incremental
ratings equal a rebuild.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import trueskill

from arena.ratings.canonical import in_replay_order
from arena.ratings.types import MatchLog, Winner

ENV = trueskill.TrueSkill()  # mu 25, sigma 25/3, beta 25/6, tau 25/300, draws 10 %


@dataclass(frozen=True)
class TSRating:
    mu: float = ENV.mu
    sigma: float = ENV.sigma


def _to_env(r: TSRating) -> trueskill.Rating:
    return ENV.create_rating(mu=r.mu, sigma=r.sigma)


def _from_env(r: trueskill.Rating) -> TSRating:
    return TSRating(mu=float(r.mu), sigma=float(r.sigma))


def update(a: TSRating, b: TSRating, winner: Winner) -> tuple[TSRating, TSRating]:
    """New (A, B) after one game; a tie is rated with drawn=True."""
    if winner == "model_a":
        na, nb = trueskill.rate_1vs1(_to_env(a), _to_env(b), env=ENV)
    elif winner == "model_b":
        nb, na = trueskill.rate_1vs1(_to_env(b), _to_env(a), env=ENV)
    elif winner == "tie":
        na, nb = trueskill.rate_1vs1(_to_env(a), _to_env(b), drawn=True, env=ENV)
    else:
        raise ValueError(f"unknown winner {winner!r}")
    return _from_env(na), _from_env(nb)


def expose(r: TSRating) -> float:
    """The conservative skill estimate μ − 3σ that TrueSkill leaderboards sort by."""
    return r.mu - 3.0 * r.sigma


def win_probability(a: TSRating, b: TSRating) -> float:
    """P(A beats B) = Φ((μa − μb) / √(2β² + σa² + σb²))."""
    denom = math.sqrt(2.0 * ENV.beta**2 + a.sigma**2 + b.sigma**2)
    return 0.5 * (1.0 + math.erf((a.mu - b.mu) / (denom * math.sqrt(2.0))))


def match_quality(a: TSRating, b: TSRating) -> float:
    """TrueSkill's draw-probability-based quality of a pairing (0.447 for two newcomers)."""
    return float(trueskill.quality_1vs1(_to_env(a), _to_env(b), env=ENV))


@dataclass(frozen=True)
class TSStep:
    match_id: str
    model_a: str
    model_b: str
    winner: Winner
    a_before: TSRating
    b_before: TSRating
    a_after: TSRating
    b_after: TSRating


@dataclass
class TrueSkillResult:
    ratings: dict[str, TSRating]
    history: list[TSStep] = field(default_factory=list)


def replay(log: MatchLog) -> TrueSkillResult:
    """Replay the log in (tstamp, id) order from the defaults; a self-match is skipped."""
    ratings: dict[str, TSRating] = {}
    history: list[TSStep] = []
    for m in in_replay_order(log):
        if m.model_a == m.model_b:
            continue
        ra = ratings.setdefault(m.model_a, TSRating())
        rb = ratings.setdefault(m.model_b, TSRating())
        na, nb = update(ra, rb, m.winner)
        ratings[m.model_a], ratings[m.model_b] = na, nb
        history.append(TSStep(m.id, m.model_a, m.model_b, m.winner, ra, rb, na, nb))
    return TrueSkillResult(ratings=ratings, history=history)
