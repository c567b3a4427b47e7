"""The adaptive schedule: each next pairing where one more debate shrinks the intervals
that decide the ranking. Pure: results in, pairings (and their probabilities) out.

The uncertainty that matters is that of the *adjacent-rank differences*: with the
players ordered by their current Bradley–Terry rating (the default prior of
`ratings.bradley_terry`, fitted on the tournament's ended debates), the contrasts
d_k = θ_(k) − θ_(k+1). Their variances V_k are read from the Laplace covariance
C = H⁻¹ (`ratings.bt_information`), where H counts every debate already planned: the
ended ones, and those still scheduled or running at their expected information, so that
picks made while debates run (`--concurrency`) spread instead of piling onto one pair.

One more debate between a and b (u = e_a − e_b, w = p(1 − p)) lowers V_k by
δ_k = w (v_kᵀ C u)² / (1 + w uᵀ C u) (Sherman–Morrison). A pair's score is the
shrinkage of the adjacent intervals' *widths* it buys,

    score(a, b) = Σ_k √V_k − √(V_k − δ_k),

the analogue for rating differences of the Chatbot Arena paper's rule (eq. 9: sample
pair a with probability ∝ √(Σ_aa/n_a) − √(Σ_aa/(n_a + 1))). The pair is drawn, not
taken greedily: P(a, b) = (1 − ε)·score^γ/Σscore^γ + ε/#pairs with γ = `SHARPNESS` and
ε = `EXPLORE`, so every pair keeps a positive probability. γ = 1 is eq. 9 as written;
on the simulated pool of benchmarks/adaptive_schedule_bench.py (10 debaters 80 Elo
apart) it saved about 14 % of a round robin's debates, γ = 4 with ε = 2 % saves 31 %
and greedy choice about 33 % (greedy on the *true* skills, the bound: 40 %), so the draws
lean hard on the best pairs; a larger ε (5 %) cost about 4 points. That probability is stored with each debate: a fit
may weight the debates by its inverse (inverse-probability weighting), which keeps the
estimate consistent for the average over pairs even where BT is the wrong model.

The draw is seeded by (tournament seed, pick number), so a resumed tournament makes the
same picks from the same results.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from arena.ratings import bradley_terry as bt
from arena.ratings import bt_information as info
from arena.ratings.types import Match, Winner
from arena.tournament import schedule as sch

WINNER: dict[str, Winner] = {"pro": "model_a", "con": "model_b", "tie": "tie"}  # a debate's result as a match's
SHARPNESS = 4.0  # the draw is ∝ score^γ (γ = 1: eq. 9 as written)
EXPLORE = 0.02  # share of each draw spread evenly over all pairs (positivity for weighting)


@dataclass(frozen=True)
class Outcome:
    """One debate of the plan: who argued which side, and how it ended (None: not yet)."""

    pro: str
    con: str
    winner: str | None = None  # pro | con | tie; None while scheduled or running, or void


@dataclass(frozen=True)
class Pick:
    a: str
    b: str
    probability: float  # the chance this pair was drawn, given everything before it


def current_theta(players: Sequence[str], outcomes: Sequence[Outcome], prior: float = bt.DEFAULT_PRIOR) -> np.ndarray:
    """Each player's θ (natural scale, mean 0) from the ended debates; 0 without any."""
    log = [
        Match(o.pro, o.con, WINNER[o.winner], float(n))
        for n, o in enumerate(outcomes)
        if o.winner is not None and o.winner in WINNER
    ]
    theta = np.zeros(len(players))
    if not log:
        return theta
    result = bt.fit(log, prior=prior)
    where = {p: i for i, p in enumerate(result.participants)}
    for n, p in enumerate(players):
        if p in where:
            theta[n] = result.theta[where[p]]
    out: np.ndarray = theta - theta.mean()
    return out


def adjacent_contrasts(theta: np.ndarray, tie_order: Sequence[int]) -> np.ndarray:
    """Rows v_k = e_(k) − e_(k+1) for the players ranked by θ (ties in `tie_order`)."""
    k = len(theta)
    rank = sorted(range(k), key=lambda p: (-theta[p], tie_order[p]))
    rows = np.zeros((max(k - 1, 0), k))
    for n in range(k - 1):
        rows[n, rank[n]] = 1.0
        rows[n, rank[n + 1]] = -1.0
    return rows


def pair_scores(
    theta: np.ndarray, planned: Sequence[tuple[int, int]], tie_order: Sequence[int], ridge: float
) -> tuple[list[tuple[int, int]], np.ndarray]:
    """Every pair (i < j) and its score: the summed shrinkage of the adjacent-difference
    sds that one more debate between them buys, given the `planned` debates' information."""
    k = len(theta)
    counts = Counter((min(a, b), max(a, b)) for a, b in planned)
    keys = list(counts)
    hess = info.information(theta, [a for a, _ in keys], [b for _, b in keys], [counts[p] for p in keys], ridge)
    cov = info.covariance(hess)
    rank = np.array(sorted(range(k), key=lambda p: (-theta[p], tie_order[p])), dtype=np.int64)
    top, below = rank[:-1], rank[1:]  # the adjacent contrasts e_top − e_below, as indices
    var = cov[top, top] + cov[below, below] - 2.0 * cov[top, below]
    sd = np.sqrt(np.maximum(var, 0.0))
    pairs = [(i, j) for i in range(k) for j in range(i + 1, k)]
    if not pairs:
        return pairs, np.zeros(0)
    a = np.array([i for i, _ in pairs])
    b = np.array([j for _, j in pairs])
    w = info.win_weight(theta[a], theta[b])
    cu = cov[:, a] - cov[:, b]  # C u for every pair (columns)
    q = cu[a, np.arange(len(pairs))] - cu[b, np.arange(len(pairs))]  # uᵀ C u
    drop = w * (cu[top] - cu[below]) ** 2 / (1.0 + w * q)  # contrast × pair (`info.variance_drop`, all at once)
    scores: np.ndarray = np.sum(sd[:, None] - np.sqrt(np.maximum(var[:, None] - drop, 0.0)), axis=0)
    return pairs, scores


def draw_probabilities(scores: np.ndarray, explore: float = EXPLORE, sharpness: float = SHARPNESS) -> np.ndarray:
    """(1 − ε)·score^γ/Σscore^γ + ε/#pairs (even when every score is 0)."""
    n = len(scores)
    top = float(scores.max()) if n else 0.0
    lifted = (scores / top) ** sharpness if top > 0 else np.zeros(n)
    total = float(lifted.sum())
    base = lifted / total if total > 0 else np.full(n, 1.0 / n)
    probs: np.ndarray = (1.0 - explore) * base + explore / n
    return probs


def next_picks(
    players: Sequence[str],
    outcomes: Sequence[Outcome],
    count: int,
    seed: int,
    first_pick: int,
    prior: float = bt.DEFAULT_PRIOR,
    explore: float = EXPLORE,
) -> list[Pick]:
    """The next `count` pairings, numbered from `first_pick`. `outcomes` holds every
    debate planned so far (ended or not); those not ended count at their expected
    information, and so does each pick made here before the next one is drawn."""
    sch._check_players(players)
    index = {p: n for n, p in enumerate(players)}
    theta = current_theta(players, outcomes, prior)
    ridge = bt.prior_precision(prior)
    planned = [(index[o.pro], index[o.con]) for o in outcomes if o.pro in index and o.con in index]
    picks: list[Pick] = []
    for number in range(first_pick, first_pick + count):
        rng = random.Random(f"adaptive:{seed}:{number}")
        tie_order = list(range(len(players)))
        rng.shuffle(tie_order)  # an unrated field has no order: do not let names make one
        pairs, scores = pair_scores(theta, planned, tie_order, ridge)
        probs = draw_probabilities(scores, explore)
        n = _draw(probs, rng.random())
        i, j = pairs[n]
        planned.append((i, j))
        picks.append(Pick(players[i], players[j], float(probs[n])))
    return picks


def _draw(probs: np.ndarray, u: float) -> int:
    cumulative = np.cumsum(probs)
    return int(min(np.searchsorted(cumulative, u * cumulative[-1], side="right"), len(probs) - 1))


def pick_slots(
    picks: Sequence[Pick],
    first_pick: int,
    motions: Sequence[str],
    earlier: Sequence[sch.Slot],
    side_balance: bool,
    room: int,
) -> list[tuple[sch.Slot, float]]:
    """The slots of the picks (pick number = the slot's round), at most `room` of them,
    each with its pair's probability. The motion: the one this pair has debated least,
    then the least used overall, then the list's order. Sides: both with side balance
    (the last pick takes one side if only one debate is left), else the Proposition for
    whoever has had it less."""
    if not motions:
        raise ValueError("an adaptive schedule needs at least one motion")
    slots = list(earlier)
    out: list[tuple[sch.Slot, float]] = []
    for number, pick in enumerate(picks, start=first_pick):
        if room - len(out) <= 0:
            break
        motion = _least_used_motion(pick.a, pick.b, motions, slots)
        both = side_balance and room - len(out) >= 2
        new = sch._sides(pick.a, pick.b, number, motion, both, sch.side_lean(slots))
        slots.extend(new)
        out.extend((s, pick.probability) for s in new)
    return out


def _least_used_motion(a: str, b: str, motions: Sequence[str], slots: Sequence[sch.Slot]) -> str:
    pair = sch.pair_key(a, b)
    by_pair = Counter(s.motion for s in slots if sch.pair_key(s.pro, s.con) == pair)
    overall = Counter(s.motion for s in slots)
    return min(motions, key=lambda m: (by_pair[m], overall[m], motions.index(m)))


def next_slots(
    players: Sequence[str],
    motions: Sequence[str],
    earlier: Sequence[sch.Slot],
    winners: Mapping[str, str | None],
    total: int,
    want: int,
    seed: int,
    side_balance: bool = True,
) -> list[tuple[sch.Slot, float]]:
    """`want` more debates, rounded up to whole pairings (never past `total` planned), after the `earlier` slots
    whose results are `winners` (slot id -> pro | con | tie, None or missing: not ended)."""
    per_pick = 2 if side_balance else 1
    room = min(per_pick * math.ceil(want / per_pick), total - len(earlier))  # whole pairings
    if room <= 0:
        return []
    outcomes = [sch_outcome(s, winners.get(s.id)) for s in earlier]
    first = max((s.round for s in earlier), default=0) + 1
    picks = next_picks(players, outcomes, math.ceil(room / per_pick), seed, first)
    return pick_slots(picks, first, motions, earlier, side_balance, room)


def sch_outcome(slot: sch.Slot, winner: str | None) -> Outcome:
    return Outcome(slot.pro, slot.con, winner if winner in ("pro", "con", "tie") else None)


def simulate_plan(
    players: Sequence[str], motions: Sequence[str], total: int, seed: int, side_balance: bool = True
) -> list[sch.Slot]:
    """The plan as it would be drawn if no debate had a result yet (every player equal):
    what the dry run prices and plans with."""
    slots: list[sch.Slot] = []
    while len(slots) < total:
        slots += [s for s, _ in next_slots(players, motions, slots, {}, total, total - len(slots), seed, side_balance)]
    return slots
