"""The match log: the one input every rating is a pure function of.

One row per finished debate (or imported battle). The first four fields are FastChat's
battle fields, so arena debates and external battle files share one code path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Winner = Literal["model_a", "model_b", "tie"]


@dataclass(frozen=True)
class Match:
    model_a: str  # pro (proposition) for arena debates
    model_b: str  # con (opposition)
    winner: Winner
    tstamp: float  # seconds since the epoch; replay order is (tstamp, id)
    id: str = ""
    motion: str = ""
    category: str = ""
    format: str = ""
    judges: tuple[str, ...] = ()
    # The Bradley–Terry fit's weight for this match: 1, or under `--weight-by-selection`
    # the inverse of the chance the adaptive schedule drew its pairing (mean 1 over a log).
    weight: float = 1.0


MatchLog = list[Match]


@dataclass(frozen=True)
class JudgeVote:
    """One judge's final ballot on one debate, for agreement statistics."""

    debate_id: str
    judge: str  # judge model (plus repeat index when a judge votes more than once)
    winner: Literal["pro", "con"]
    swapped: bool = False
    panel_winner: Literal["pro", "con", "tie"] | None = None
