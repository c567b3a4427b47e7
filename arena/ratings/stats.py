"""Descriptive statistics of a match log and of judges' ballots.

Records per participant, head-to-head tables, likelihood of superiority, observed
versus predicted win rates, side and speaking-order bias, and judge reliability
(agreement with the panel, Fleiss' κ, position-swap consistency). Self-matches are
ignored throughout.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from arena.ratings.types import JudgeVote, Match, MatchLog

Slot = Literal["model_a", "model_b"]


def _played(log: MatchLog) -> list[Match]:
    return [m for m in log if m.model_a != m.model_b]


# --- records ------------------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    wins: int = 0
    ties: int = 0
    losses: int = 0

    @property
    def games(self) -> int:
        return self.wins + self.ties + self.losses

    @property
    def score(self) -> float | None:
        """(W + T/2) / n, or None without games."""
        return (self.wins + 0.5 * self.ties) / self.games if self.games else None


@dataclass(frozen=True)
class ParticipantStats:
    participant: str
    debates: int
    wins: int
    ties: int
    losses: int
    score: float  # (W + T/2) / n
    avg_opponent: float | None  # mean rating of the opponents faced, per debate


def _result_for_a(m: Match) -> tuple[int, int, int]:
    return {"model_a": (1, 0, 0), "tie": (0, 1, 0), "model_b": (0, 0, 1)}[m.winner]


def participant_stats(log: MatchLog, ratings: Mapping[str, float] | None = None) -> dict[str, ParticipantStats]:
    """W/T/L, score and (given ratings) the average opponent rating, sorted by name."""
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    opponents: dict[str, list[str]] = defaultdict(list)
    for m in _played(log):
        w, t, lost = _result_for_a(m)
        a, b = tally[m.model_a], tally[m.model_b]
        a[0] += w
        a[1] += t
        a[2] += lost  # noqa: E702
        b[0] += lost
        b[1] += t
        b[2] += w  # noqa: E702
        opponents[m.model_a].append(m.model_b)
        opponents[m.model_b].append(m.model_a)
    out: dict[str, ParticipantStats] = {}
    for p in sorted(tally):
        w, t, lost = tally[p]
        n = w + t + lost
        avg = None
        if ratings is not None:
            rated = [ratings[o] for o in opponents[p] if o in ratings]
            avg = math.fsum(rated) / len(rated) if rated else None
        out[p] = ParticipantStats(p, n, w, t, lost, (w + 0.5 * t) / n, avg)
    return out


@dataclass
class HeadToHead:
    """records[(a, b)] is a's record against b (both orders are present)."""

    participants: list[str]
    records: dict[tuple[str, str], Record] = field(default_factory=dict)

    def record(self, a: str, b: str) -> Record:
        return self.records.get((a, b), Record())


def head_to_head(log: MatchLog) -> HeadToHead:
    tally: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    names: set[str] = set()
    for m in _played(log):
        w, t, lost = _result_for_a(m)
        ab, ba = tally[(m.model_a, m.model_b)], tally[(m.model_b, m.model_a)]
        ab[0] += w
        ab[1] += t
        ab[2] += lost  # noqa: E702
        ba[0] += lost
        ba[1] += t
        ba[2] += w  # noqa: E702
        names.update((m.model_a, m.model_b))
    records = {key: Record(*tally[key]) for key in sorted(tally)}
    return HeadToHead(participants=sorted(names), records=records)


def los(wins: int, losses: int) -> float | None:
    """Likelihood of superiority ½(1 + erf((W − L)/√(2(W + L)))); draws are ignored."""
    if wins + losses == 0:
        return None
    return 0.5 * (1.0 + math.erf((wins - losses) / math.sqrt(2.0 * (wins + losses))))


# --- calibration of the ratings against the pairs ------------------------------------


@dataclass(frozen=True)
class PairCalibration:
    a: str  # the name that sorts first
    b: str
    games: int
    observed: float  # a's score (W + T/2) / n
    predicted: float  # P(a beats b) from the ratings (Elo-scale logistic)


def expected_score(ra: float, rb: float) -> float:
    return 1.0 / (1.0 + float(10.0 ** ((rb - ra) / 400.0)))


def pair_calibration(log: MatchLog, ratings: Mapping[str, float]) -> list[PairCalibration]:
    """Observed against predicted score for every pair that met, pairs in name order."""
    h2h = head_to_head(log)
    out = []
    for (a, b), r in h2h.records.items():
        if a < b and r.games and a in ratings and b in ratings:
            out.append(PairCalibration(a, b, r.games, r.score or 0.0, expected_score(ratings[a], ratings[b])))
    return out


# --- bias ----------------------------------------------------------------------------


def wilson_interval(successes: float, n: float, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion (95 % by default); (0, 1) when n = 0."""
    if n <= 0:
        return (0.0, 1.0)
    p = successes / n
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class Rate:
    """A share of decisive debates, with its Wilson interval; ties are counted apart."""

    successes: int
    decisive: int
    ties: int
    rate: float | None
    lo: float
    hi: float


def _rate(successes: int, decisive: int, ties: int) -> Rate:
    lo, hi = wilson_interval(successes, decisive)
    return Rate(successes, decisive, ties, successes / decisive if decisive else None, lo, hi)


@dataclass(frozen=True)
class SideBias:
    proposition: Rate  # model_a (pro) wins among decisive debates
    first_speaker: Rate  # the first speaker wins among decisive debates


def side_bias(log: MatchLog, first_speaker: Callable[[Match], Slot] | None = None) -> SideBias:
    """Proposition and first-speaker win rates. Unless told otherwise, pro speaks first
    (true of every built-in format), which makes the two rates equal."""
    speaks_first = first_speaker or (lambda m: "model_a")
    played = _played(log)
    ties = sum(m.winner == "tie" for m in played)
    decisive = len(played) - ties
    pro = sum(m.winner == "model_a" for m in played)
    first = sum(m.winner == speaks_first(m) for m in played if m.winner != "tie")
    return SideBias(proposition=_rate(pro, decisive, ties), first_speaker=_rate(first, decisive, ties))


# --- judges --------------------------------------------------------------------------


@dataclass(frozen=True)
class JudgeRecord:
    judge: str
    ballots: int
    agreement: float | None  # share of ballots matching a decided panel (pro/con)
    agreement_n: int  # ballots compared with the panel (panel ties and unknowns excluded)
    swap_consistency: float | None  # share of swap-tested debates where both orders agreed
    swap_n: int  # debates with both a swapped and an unswapped ballot from this judge


@dataclass(frozen=True)
class JudgeStats:
    judges: list[JudgeRecord]
    fleiss_kappa: float | None  # None when fewer than 2 judges, no common debates, or no variation
    kappa_debates: int  # debates on which every judge voted
    kappa_judges: list[str]


def fleiss_kappa(table: Sequence[Sequence[int]]) -> float | None:
    """Fleiss' κ of a subjects × categories table of rating counts (same raters per subject)."""
    rows = [list(r) for r in table if sum(r) > 0]
    if not rows:
        return None
    n = sum(rows[0])
    if n < 2 or any(sum(r) != n for r in rows):
        return None
    subjects = len(rows)
    p_bar = math.fsum((sum(c * c for c in r) - n) / (n * (n - 1)) for r in rows) / subjects
    cats = len(rows[0])
    p_j = [math.fsum(r[j] for r in rows) / (subjects * n) for j in range(cats)]
    p_e = math.fsum(p * p for p in p_j)
    if p_e >= 1.0:
        return None
    return (p_bar - p_e) / (1.0 - p_e)


def judge_stats(votes: Sequence[JudgeVote], judges: Sequence[str] | None = None) -> JudgeStats:
    """Agreement with the panel, swap consistency, and Fleiss' κ over pro/con.

    κ counts one ballot per judge and debate (the unswapped one when there are both)
    and only debates where every judge in `judges` (default: every judge seen) voted.
    """
    by_judge: dict[str, list[JudgeVote]] = defaultdict(list)
    for v in votes:
        by_judge[v.judge].append(v)
    records = []
    for judge in sorted(by_judge):
        mine = by_judge[judge]
        compared = [v for v in mine if v.panel_winner in ("pro", "con")]
        agree = sum(v.winner == v.panel_winner for v in compared)
        per_debate: dict[str, dict[bool, set[str]]] = defaultdict(lambda: {False: set(), True: set()})
        for v in mine:
            per_debate[v.debate_id][v.swapped].add(v.winner)
        tested = [d for d in per_debate.values() if d[False] and d[True]]
        consistent = sum(len(d[False] | d[True]) == 1 for d in tested)
        records.append(
            JudgeRecord(
                judge=judge,
                ballots=len(mine),
                agreement=agree / len(compared) if compared else None,
                agreement_n=len(compared),
                swap_consistency=consistent / len(tested) if tested else None,
                swap_n=len(tested),
            )
        )
    raters = sorted(judges) if judges is not None else sorted(by_judge)
    ballot: dict[tuple[str, str], str] = {}
    for v in sorted(votes, key=lambda v: (v.debate_id, v.judge, v.swapped)):
        ballot.setdefault((v.debate_id, v.judge), v.winner)  # unswapped first, when present
    debates = sorted({v.debate_id for v in votes})
    table = []
    for d in debates:
        picks = [ballot.get((d, j)) for j in raters]
        if all(p is not None for p in picks):
            table.append([picks.count("pro"), picks.count("con")])
    kappa = fleiss_kappa(table) if len(raters) >= 2 else None
    return JudgeStats(judges=records, fleiss_kappa=kappa, kappa_debates=len(table), kappa_judges=raters)
