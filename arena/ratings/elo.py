"""Online Elo: expected score, one zero-sum update, and a replay of the whole log.

The store calls `update` once per finished debate and `replay` on a rebuild; `replay`
is nothing but `update` applied in replay order, so both give the same floats.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from arena.ratings.canonical import in_replay_order
from arena.ratings.types import Match, MatchLog

DEFAULT_K = 32.0
DEFAULT_START = 1000.0

SCORE_A: dict[str, float] = {"model_a": 1.0, "model_b": 0.0, "tie": 0.5}


def expected(ra: float, rb: float) -> float:
    """Expected score of A against B: 1 / (1 + 10^((Rb − Ra)/400))."""
    return 1.0 / (1.0 + float(10.0 ** ((rb - ra) / 400.0)))


def update(ra: float, rb: float, score_a: float, k: float = DEFAULT_K) -> tuple[float, float]:
    """New (Ra, Rb) after one game; score_a is 1 (A won), 0.5 (tie) or 0 (B won)."""
    delta = k * (score_a - expected(ra, rb))
    return ra + delta, rb - delta


@dataclass(frozen=True)
class EloStep:
    match_id: str
    model_a: str
    model_b: str
    score_a: float
    a_before: float
    b_before: float
    a_after: float
    b_after: float


@dataclass
class EloResult:
    ratings: dict[str, float]
    history: list[EloStep] = field(default_factory=list)
    k: float = DEFAULT_K
    start: float = DEFAULT_START


def score_of(match: Match) -> float:
    return SCORE_A[match.winner]


def replay(log: MatchLog, k: float = DEFAULT_K, start: float = DEFAULT_START) -> EloResult:
    """Replay the log in (tstamp, id) order from `start`; a self-match is skipped."""
    ratings: dict[str, float] = {}
    history: list[EloStep] = []
    for m in in_replay_order(log):
        if m.model_a == m.model_b:
            continue
        ra = ratings.setdefault(m.model_a, start)
        rb = ratings.setdefault(m.model_b, start)
        s = score_of(m)
        na, nb = update(ra, rb, s, k)
        ratings[m.model_a], ratings[m.model_b] = na, nb
        history.append(EloStep(m.id, m.model_a, m.model_b, s, ra, rb, na, nb))
    return EloResult(ratings=ratings, history=history, k=k, start=start)
