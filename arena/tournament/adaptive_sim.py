"""Schedules played against a simulated pool with known skills: no model, no store.

The outcome model is Bradley–Terry itself (P(a beats b) = 1/(1 + 10^((s_b − s_a)/400)),
no ties), so what is measured is the schedule alone. The measure is the one the adaptive
schedule aims at: the mean 95 % half-width, in Elo, of the differences between players
adjacent in the *true* order, from the Laplace covariance of the default BT fit on the
debates played (`ratings.bt_information`). Used by tests/test_adaptive_schedule.py and
benchmarks/adaptive_schedule_bench.py.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Callable, Mapping, Sequence

from arena.ratings import bradley_terry as bt
from arena.ratings import bt_information as info
from arena.tournament import adaptive
from arena.tournament import schedule as sch

Z95 = 1.959963984540054


def outcome(skills: Mapping[str, float], pro: str, con: str, rng: random.Random) -> str:
    p = 1.0 / (1.0 + 10.0 ** ((skills[con] - skills[pro]) / 400.0))
    return "pro" if rng.random() < p else "con"


def adjacent_half_width(skills: Mapping[str, float], slots: Sequence[sch.Slot], winners: Mapping[str, str]) -> float:
    """Mean 95 % half-width (Elo) of the true-adjacent differences after these debates."""
    players = list(skills)
    outcomes = [adaptive.Outcome(s.pro, s.con, winners.get(s.id)) for s in slots]
    theta = adaptive.current_theta(players, outcomes)
    index = {p: n for n, p in enumerate(players)}
    pairs = Counter((min(index[s.pro], index[s.con]), max(index[s.pro], index[s.con])) for s in slots)
    keys = list(pairs)
    hess = info.information(
        theta,
        [a for a, _ in keys],
        [b for _, b in keys],
        [pairs[k] for k in keys],
        bt.prior_precision(bt.DEFAULT_PRIOR),
    )
    cov = info.covariance(hess)
    order = sorted(players, key=lambda p: -skills[p])
    widths = [
        Z95 * bt.SCALE * math.sqrt(info.difference_variance(cov, index[a], index[b])) for a, b in zip(order, order[1:])
    ]
    return sum(widths) / len(widths)


Scheduler = Callable[[list[sch.Slot], dict[str, str]], list[sch.Slot]]  # (played, results) -> next slots


def play(
    skills: Mapping[str, float],
    scheduler: Scheduler,
    debates: int,
    seed: int,
    stop_below: float | None = None,
    check_every: int = 10,
) -> tuple[list[sch.Slot], dict[str, str]]:
    """Play `debates` debates of a schedule (or stop at the first check, every
    `check_every` debates, where the half-width is ≤ `stop_below`)."""
    rng = random.Random(f"outcomes:{seed}")
    slots: list[sch.Slot] = []
    winners: dict[str, str] = {}
    while len(slots) < debates:
        new = scheduler(slots, winners)
        if not new:
            break
        for slot in new[: debates - len(slots)]:
            slots.append(slot)
            winners[slot.id] = outcome(skills, slot.pro, slot.con, rng)
            if (
                stop_below is not None
                and len(slots) % check_every == 0
                and adjacent_half_width(skills, slots, winners) <= stop_below
            ):
                return slots, winners
    return slots, winners


def adaptive_scheduler(players: Sequence[str], total: int, seed: int) -> Scheduler:
    def next_(slots: list[sch.Slot], winners: dict[str, str]) -> list[sch.Slot]:
        return [s for s, _ in adaptive.next_slots(players, ["m"], slots, winners, total, 2, seed)]

    return next_


def fixed_scheduler(plan: Sequence[sch.Slot]) -> Scheduler:
    """A schedule planned up front (round robin), played in its order."""

    def next_(slots: list[sch.Slot], winners: dict[str, str]) -> list[sch.Slot]:
        return list(plan[len(slots) : len(slots) + 2])

    return next_


def random_pair_scheduler(players: Sequence[str], seed: int) -> Scheduler:
    """A uniformly random pair each time, both sides."""
    rng = random.Random(f"random-pairs:{seed}")

    def next_(slots: list[sch.Slot], winners: dict[str, str]) -> list[sch.Slot]:
        a, b = rng.sample(list(players), 2)
        number = len(slots) // 2 + 1
        return sch._sides(a, b, number, "m", True)

    return next_
