"""Do debaters know when they are losing? Statistics of their private bets.

The measures of "When Two LLMs Debate, Both Think They'll Win" (2025), computed on any
list of `BetRow`s, so arena debates, imported study files and human games share them:

- mean bet per stage, and escalation: the mean rise from a side's first bet to its last,
  with a one-sided paired t-test (the study asks whether confidence *rises*);
- first bets against 50, the rational prior against an equal opponent: a one-sided
  one-sample t-test and a Wilcoxon signed-rank test;
- mutual overestimation: both sides of one debate ending above 75, or summing over 100
  (two win probabilities of one zero-sum debate cannot add to more than 100);
- calibration against the panel's verdict: Brier scores, winners' against losers' bets,
  a reliability table and an overconfidence index.

Pure functions: numbers in, numbers out. A test that cannot be run (too few samples, no
spread) yields None rather than a warning or a crash, since small collections are normal
here (one participant, one condition, a first human game).
"""

from __future__ import annotations

import math
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

import numpy as np
from scipy import stats

from arena.ratings.confidence_types import (
    BetRow,
    ConfidenceReport,
    ConfidenceSummary,
    Escalation,
    Mutual,
    OpeningTest,
    ReliabilityBin,
)

__all__ = [
    "BetRow",
    "ConfidenceReport",
    "ConfidenceSummary",
    "brier_by_participant",
    "brier_by_stage",
    "brier_score",
    "confidence_report",
    "escalation",
    "mean_bet_by_stage",
    "mutual_overestimation",
    "opening_vs_50",
    "overconfidence_index",
    "reliability_table",
    "summarize",
    "winner_loser_means",
]

# A t-test needs two values to estimate a spread; a signed-rank test on one value says
# nothing either. Below this, tests report None.
MIN_TEST_SAMPLES = 2
RELIABILITY_BIN_WIDTH = 10
HIGH_CONFIDENCE = 75  # the study's "both sides above 75" line


# --- grouping -------------------------------------------------------------------------


def _stated(rows: Iterable[BetRow]) -> list[BetRow]:
    return [r for r in rows if r.amount is not None]


def _judged(rows: Iterable[BetRow]) -> list[BetRow]:
    """Stated bets whose side has a verdict to be scored against."""
    return [r for r in rows if r.amount is not None and r.won is not None]


def _amount(r: BetRow) -> int:
    """The stated bet of a row that `_stated` or `_judged` kept."""
    assert r.amount is not None
    return r.amount


def _won(r: BetRow) -> float:
    """1 or 0: the verdict of a row that `_judged` kept."""
    assert r.won is not None
    return float(r.won)


def _stage_order(rows: Sequence[BetRow]) -> list[str]:
    """Stage names by their earliest position, so tables read opening → closing."""
    first: dict[str, int] = {}
    for r in rows:
        first[r.stage] = min(first.get(r.stage, r.stage_index), r.stage_index)
    return sorted(first, key=lambda stage: (first[stage], stage))


def _sides(rows: Iterable[BetRow]) -> dict[tuple[str, str], list[BetRow]]:
    """Each (debate, side)'s rows in stage order: one debater's bets through a debate."""
    grouped: dict[tuple[str, str], list[BetRow]] = defaultdict(list)
    for r in rows:
        grouped[(r.debate_id, r.side)].append(r)
    for seq in grouped.values():
        seq.sort(key=lambda r: r.stage_index)
    return grouped


def _mean(values: Sequence[float]) -> float | None:
    """Exactly rounded (math.fsum), so the same values in any order give the same mean: the
    rows' order follows a set of debate ids, which differs between processes."""
    return math.fsum(values) / len(values) if len(values) else None


def _quiet(test: Callable[[], tuple[float, float]]) -> tuple[float | None, float | None]:
    """Run a scipy test without its small-sample warnings; NaN results become None."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            statistic, p = test()
        except ValueError:
            return None, None
    statistic, p = float(statistic), float(p)
    return (
        statistic if np.isfinite(statistic) else None,
        p if np.isfinite(p) else None,
    )


def _has_spread(values: np.ndarray) -> bool:
    # Identical values give t = ±inf or NaN: no test, rather than a fake p of 0.
    return len(values) >= MIN_TEST_SAMPLES and float(np.ptp(values)) > 0


# --- the study's measures -------------------------------------------------------------


def mean_bet_by_stage(rows: Sequence[BetRow]) -> dict[str, float | None]:
    """Mean stated bet of each stage, in stage order; None for a stage nobody bet at."""
    amounts: dict[str, list[int]] = defaultdict(list)
    for r in _stated(rows):
        amounts[r.stage].append(_amount(r))
    return {stage: _mean(amounts.get(stage, [])) for stage in _stage_order(rows)}


def escalation(rows: Sequence[BetRow]) -> Escalation:
    """Mean of (last bet − first bet) over (debate, side) pairs that stated both.

    "First" and "last" are the side's first and last stages; when either bet is missing
    the pair is left out rather than shifted to a neighbouring stage, as in the study.
    """
    diffs = []
    for seq in _sides(rows).values():
        first, last = seq[0], seq[-1]
        if first is last or first.amount is None or last.amount is None:
            continue
        diffs.append((first.amount, last.amount))
    if not diffs:
        return Escalation(mean=None, t=None, p=None, n=0)
    opening = np.array([d[0] for d in diffs], dtype=float)
    closing = np.array([d[1] for d in diffs], dtype=float)
    t = p = lo = hi = None
    rise = closing - opening
    if _has_spread(rise):
        t, p = _quiet(lambda: stats.ttest_rel(closing, opening, alternative="greater"))
        half = float(stats.t.ppf(0.975, len(rise) - 1) * np.std(rise, ddof=1) / np.sqrt(len(rise)))
        lo, hi = float(np.mean(rise)) - half, float(np.mean(rise)) + half
    return Escalation(mean=float(np.mean(rise)), t=t, p=p, n=len(diffs), ci_lo=lo, ci_hi=hi)


def opening_vs_50(rows: Sequence[BetRow]) -> OpeningTest:
    """Tests whether first bets exceed 50 (one-sided t-test and Wilcoxon signed-rank)."""
    firsts = [seq[0].amount for seq in _sides(rows).values() if seq[0].amount is not None]
    if not firsts:
        return OpeningTest(n=0, mean=None, t=None, p_t=None, wilcoxon_p=None)
    values = np.array(firsts, dtype=float)
    t = p_t = None
    if _has_spread(values):
        t, p_t = _quiet(lambda: stats.ttest_1samp(values, 50.0, alternative="greater"))
    # Bets of exactly 50 carry no sign; drop them (Wilcoxon's own convention) before
    # deciding whether enough is left to test.
    nonzero = values[values != 50.0] - 50.0
    wilcoxon_p = None
    if len(nonzero) >= MIN_TEST_SAMPLES:
        # scipy's "auto" runs a slow randomised permutation test when differences tie
        # (bets cluster on round numbers). Exact null without ties; with ties, a full
        # enumeration while it is small (2**12 sign patterns), else the normal approximation.
        diffs = np.asarray(nonzero, dtype=float)
        if len(np.unique(np.abs(diffs))) == len(diffs) and len(diffs) <= 50:
            method: object = "exact"
        elif len(diffs) <= 12:
            method = stats.PermutationMethod(n_resamples=2 ** len(diffs))
        else:
            method = "approx"
        _, wilcoxon_p = _quiet(lambda: stats.wilcoxon(diffs, alternative="greater", method=method))
    return OpeningTest(n=len(values), mean=float(np.mean(values)), t=t, p_t=p_t, wilcoxon_p=wilcoxon_p)


def mutual_overestimation(rows: Sequence[BetRow]) -> Mutual:
    """Shares of debates whose two final bets are both > 75, both ≥ 75, or sum over 100.

    Only debates where both sides stated a bet at their (shared) last stage count: a
    missing closing bet is not replaced by an earlier one.
    """
    finals: dict[str, dict[str, BetRow]] = defaultdict(dict)
    for (debate_id, side), seq in _sides(rows).items():
        finals[debate_id][side] = seq[-1]
    pairs = []
    for by_side in finals.values():
        pro, con = by_side.get("pro"), by_side.get("con")
        if pro is None or con is None or pro.amount is None or con.amount is None:
            continue
        if pro.stage_index != con.stage_index:
            continue  # one side never reached the last stage: no final bet to compare
        pairs.append((pro.amount, con.amount))
    if not pairs:
        return Mutual(n=0, gt75=None, ge75=None, sum_over_100=None)
    n = len(pairs)
    return Mutual(
        n=n,
        gt75=sum(a > HIGH_CONFIDENCE and b > HIGH_CONFIDENCE for a, b in pairs) / n,
        ge75=sum(a >= HIGH_CONFIDENCE and b >= HIGH_CONFIDENCE for a, b in pairs) / n,
        sum_over_100=sum(a + b > 100 for a, b in pairs) / n,
    )


# --- calibration against the verdict -------------------------------------------------


def _squared_errors(rows: Iterable[BetRow]) -> list[float]:
    return [(_amount(r) / 100 - _won(r)) ** 2 for r in _judged(rows)]


def brier_score(rows: Sequence[BetRow]) -> float | None:
    """Mean of (bet/100 − won)² over stated bets with a verdict; None without one."""
    return _mean(_squared_errors(rows))


def brier_by_stage(rows: Sequence[BetRow]) -> dict[str, float | None]:
    """Brier score of each stage, in stage order; None for stages without a verdict."""
    return {stage: brier_score([r for r in rows if r.stage == stage]) for stage in _stage_order(rows)}


def winner_loser_means(rows: Sequence[BetRow]) -> tuple[float | None, float | None]:
    """Mean bet of sides that went on to win, and of sides that went on to lose."""
    judged = _judged(rows)
    winners = [_amount(r) for r in judged if r.won]
    losers = [_amount(r) for r in judged if not r.won]
    return _mean(winners), _mean(losers)


def overconfidence_index(rows: Sequence[BetRow]) -> tuple[float | None, float | None]:
    """(mean bet / 100 − actual win rate, actual win rate) over bets with a verdict.

    Positive: debaters expect to win more often than they do. A perfectly calibrated
    population of equal debaters would score 0 with a win rate of one half.
    """
    judged = _judged(rows)
    if not judged:
        return None, None
    win_rate = float(np.mean([_won(r) for r in judged]))
    mean_bet = float(np.mean([_amount(r) for r in judged])) / 100
    return mean_bet - win_rate, win_rate


def reliability_table(rows: Sequence[BetRow]) -> list[ReliabilityBin]:
    """Bets with a verdict in bins 0–10, 10–20, …, 90–100: count, mean bet, win rate.

    Every bin is listed, empty ones too, so tables and charts keep a fixed shape. A bet of
    100 falls in the last bin.
    """
    bins: list[list[BetRow]] = [[] for _ in range(100 // RELIABILITY_BIN_WIDTH)]
    for r in _judged(rows):
        bins[min(_amount(r) // RELIABILITY_BIN_WIDTH, len(bins) - 1)].append(r)
    return [
        ReliabilityBin(
            lo=i * RELIABILITY_BIN_WIDTH,
            hi=(i + 1) * RELIABILITY_BIN_WIDTH,
            count=len(members),
            mean_bet=_mean([_amount(r) for r in members]),
            win_rate=_mean([_won(r) for r in members]),
        )
        for i, members in enumerate(bins)
    ]


def brier_by_participant(rows: Sequence[BetRow]) -> dict[str, float | None]:
    """Each participant's Brier score over all its bets with a verdict (lower is better).

    For a leaderboard's calibration column; None for participants never judged.
    """
    grouped: dict[str, list[BetRow]] = defaultdict(list)
    for r in rows:
        grouped[r.participant].append(r)
    return {participant: brier_score(grouped[participant]) for participant in sorted(grouped)}


# --- summaries ------------------------------------------------------------------------


def summarize(rows: Sequence[BetRow]) -> ConfidenceSummary:
    rows = list(rows)
    winners, losers = winner_loser_means(rows)
    index, win_rate = overconfidence_index(rows)
    stated = _stated(rows)
    return ConfidenceSummary(
        debates=len({r.debate_id for r in rows}),
        bets=len(stated),
        missing_bets=len(rows) - len(stated),
        mean_bet_by_stage=mean_bet_by_stage(rows),
        escalation=escalation(rows),
        opening=opening_vs_50(rows),
        mutual=mutual_overestimation(rows),
        brier_by_stage=brier_by_stage(rows),
        brier=brier_score(rows),
        mean_bet_winners=winners,
        mean_bet_losers=losers,
        win_rate=win_rate,
        overconfidence_index=index,
        reliability=reliability_table(rows),
    )


def _split(rows: Sequence[BetRow], key: Callable[[BetRow], str]) -> dict[str, ConfidenceSummary]:
    grouped: dict[str, list[BetRow]] = defaultdict(list)
    for r in rows:
        grouped[key(r)].append(r)
    return {name: summarize(grouped[name]) for name in sorted(grouped)}


def confidence_report(rows: Sequence[BetRow]) -> ConfidenceReport:
    """The summary overall, per condition, per participant, and people against models."""
    rows = list(rows)
    humans_bet = any(r.is_human and r.amount is not None for r in rows)
    return ConfidenceReport(
        overall=summarize(rows),
        by_condition=_split(rows, lambda r: r.condition),
        by_participant=_split(rows, lambda r: r.participant),
        human_vs_model=(_split(rows, lambda r: "human" if r.is_human else "model") if humans_bet else None),
    )
