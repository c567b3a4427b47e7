"""What the confidence statistics read and what they return.

A `BetRow` is one stated (or missing) bet, flattened out of a debate record, so the same
statistics run on arena debates, imported studies and human games alike. The result
types carry `to_dict()` that yields strict JSON: NaN and infinities become null, because
`json.dumps` would otherwise write the invalid tokens `NaN`/`Infinity`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(frozen=True)
class BetRow:
    debate_id: str
    participant: str
    side: Literal["pro", "con"]
    stage: str  # "opening" | "rebuttal" | "closing", or a format's stage name
    stage_index: int  # order of the stage within the debate; both sides share it
    amount: int | None  # 0-100; None: the debater owed a bet and gave none
    condition: str  # private | public | self | informed | cross-model | red-team ...
    won: bool | None  # the panel verdict for this side; None: no verdict, or a tie
    is_human: bool = False


def json_number(value: float | int | None) -> float | None:
    """A float that `json.dumps` writes as valid JSON, or None."""
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


@dataclass(frozen=True)
class Escalation:
    """Mean rise from a side's first bet to its last, with a one-sided paired t-test and
    the two-sided 95% t interval of the mean rise."""

    mean: float | None
    t: float | None
    p: float | None  # H1: the last bet is higher than the first
    n: int  # (debate, side) pairs with both bets
    ci_lo: float | None = None  # None under two pairs or without spread
    ci_hi: float | None = None


@dataclass(frozen=True)
class OpeningTest:
    """Are first bets above the 50 a debater facing an equal should state?"""

    n: int
    mean: float | None
    t: float | None
    p_t: float | None  # one-sample t-test, H1: mean > 50
    wilcoxon_p: float | None  # signed-rank on (bet - 50), zeros dropped, H1: > 0


@dataclass(frozen=True)
class Mutual:
    """Final bets of both sides of one debate read together: they cannot both be right."""

    n: int  # debates with both final bets present
    gt75: float | None  # share where both final bets are > 75
    ge75: float | None  # share where both final bets are >= 75
    sum_over_100: float | None  # share whose two final bets add up to more than 100


@dataclass(frozen=True)
class ReliabilityBin:
    lo: int
    hi: int  # the bin holds lo <= bet < hi; the last bin also holds 100
    count: int
    mean_bet: float | None
    win_rate: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "lo": self.lo,
            "hi": self.hi,
            "count": self.count,
            "mean_bet": json_number(self.mean_bet),
            "win_rate": json_number(self.win_rate),
        }


@dataclass(frozen=True)
class ConfidenceSummary:
    debates: int
    bets: int  # bets actually stated
    missing_bets: int  # bets owed but not stated
    mean_bet_by_stage: dict[str, float | None]  # in stage order
    escalation: Escalation
    opening: OpeningTest
    mutual: Mutual
    brier_by_stage: dict[str, float | None]  # None where no bet of the stage has a verdict
    brier: float | None
    mean_bet_winners: float | None
    mean_bet_losers: float | None
    win_rate: float | None  # share of verdict-bearing bets made by the eventual winner
    overconfidence_index: float | None  # mean bet / 100 minus win_rate
    reliability: list[ReliabilityBin] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "debates": self.debates,
            "bets": self.bets,
            "missing_bets": self.missing_bets,
            "mean_bet_by_stage": {k: json_number(v) for k, v in self.mean_bet_by_stage.items()},
            "escalation": json_number(self.escalation.mean),
            "escalation_t": json_number(self.escalation.t),
            "escalation_p": json_number(self.escalation.p),
            "escalation_n": self.escalation.n,
            "escalation_ci_lo": json_number(self.escalation.ci_lo),
            "escalation_ci_hi": json_number(self.escalation.ci_hi),
            "opening_vs_50": {
                "n": self.opening.n,
                "mean": json_number(self.opening.mean),
                "t": json_number(self.opening.t),
                "p_t": json_number(self.opening.p_t),
                "wilcoxon_p": json_number(self.opening.wilcoxon_p),
            },
            "mutual_n": self.mutual.n,
            "mutual_gt75": json_number(self.mutual.gt75),
            "mutual_ge75": json_number(self.mutual.ge75),
            "sum_over_100": json_number(self.mutual.sum_over_100),
            "brier_by_stage": {k: json_number(v) for k, v in self.brier_by_stage.items()},
            "brier": json_number(self.brier),
            "mean_bet_winners": json_number(self.mean_bet_winners),
            "mean_bet_losers": json_number(self.mean_bet_losers),
            "win_rate": json_number(self.win_rate),
            "overconfidence_index": json_number(self.overconfidence_index),
            "reliability": [b.to_dict() for b in self.reliability],
        }


@dataclass(frozen=True)
class ConfidenceReport:
    overall: ConfidenceSummary
    by_condition: dict[str, ConfidenceSummary]
    by_participant: dict[str, ConfidenceSummary]
    # {"human": ..., "model": ...} once a person has stated a bet; None before that
    human_vs_model: dict[str, ConfidenceSummary] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "overall": self.overall.to_dict(),
            "by_condition": {k: s.to_dict() for k, s in self.by_condition.items()},
            "by_participant": {k: s.to_dict() for k, s in self.by_participant.items()},
            "human_vs_model": (
                None if self.human_vs_model is None else {k: s.to_dict() for k, s in self.human_vs_model.items()}
            ),
        }
