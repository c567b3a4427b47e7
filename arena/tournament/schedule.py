"""Who debates whom, on which motion, on which side: pure functions, no store, no clock.

A `Slot` is one planned debate. Its id, `r<round>:<pro>|<con>:<motion>`, names the
pairing; a tournament stores one debate per slot and never finishes a slot twice.

- Round-robin: every pair on every chosen motion, once on each side, `rounds` times.
  Pairs are ordered by the circle method, so the debates that run at the same time
  spread over all players (a per-model limit then throttles no one first).
- Swiss: one round at a time. Players of similar current rating meet, pairs that have
  already met are avoided while any other pairing exists (looking ahead, so an early
  round does not paint a later one into a corner), and with an odd count the bye
  rotates.
- Random: each round a seeded random matching of the players, a motion per pair.
- Adaptive: one pairing at a time, where one more debate shrinks the adjacent-rank
  intervals most (`tournament/adaptive.py`); its slot's round is the pick's number.

Side balance is the default everywhere: each pairing debates twice, once per side.
Without it, one debate per pairing and the player with fewer Proposition speeches
takes the Proposition.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

SCHEDULES = ("round-robin", "swiss", "random", "adaptive")
BYE = "\x00bye"  # a phantom player: whoever is paired with it sits the round out


@dataclass(frozen=True)
class Slot:
    id: str
    round: int
    pro: str
    con: str
    motion: str


def slot_id(round_no: int, pro: str, con: str, motion: str) -> str:
    return f"r{round_no}:{pro}|{con}:{motion}"


def slot_round(slot: str) -> int:
    """The round a slot id belongs to (`r3:...` -> 3)."""
    head = slot.split(":", 1)[0]
    return int(head[1:]) if head.startswith("r") and head[1:].isdigit() else 0


def pair_key(a: str, b: str) -> frozenset[str]:
    return frozenset((a, b))


def _check_players(players: Sequence[str]) -> None:
    if len(players) < 2:
        raise ValueError("a tournament needs at least two players")
    if len(set(players)) != len(players):
        raise ValueError("a player is listed twice")


def _sides(
    a: str, b: str, round_no: int, motion: str, side_balance: bool, lean: Mapping[str, int] | None = None
) -> list[Slot]:
    """Both sides, or one debate with the Proposition for whoever has had it less
    (`lean`: Proposition minus Opposition debates so far)."""
    if side_balance:
        return [
            Slot(slot_id(round_no, a, b, motion), round_no, a, b, motion),
            Slot(slot_id(round_no, b, a, motion), round_no, b, a, motion),
        ]
    lean = lean or {}
    if lean.get(b, 0) < lean.get(a, 0):
        a, b = b, a
    return [Slot(slot_id(round_no, a, b, motion), round_no, a, b, motion)]


def side_slots(
    a: str, b: str, round_no: int, motion: str, side_balance: bool, lean: Mapping[str, int] | None = None
) -> list[Slot]:
    """The slots of one pairing: both sides, or one with the Proposition for whoever has had it less."""
    return _sides(a, b, round_no, motion, side_balance, lean)


def side_lean(slots: Iterable[Slot]) -> Counter[str]:
    lean: Counter[str] = Counter()
    for s in slots:
        lean[s.pro] += 1
        lean[s.con] -= 1
    return lean


# --------------------------------------------------------------------------- round-robin


def circle_rounds(players: Sequence[str]) -> list[list[tuple[str, str]]]:
    """The circle method: n-1 rounds (n even) in which everyone plays once per round."""
    ring = list(players) + ([BYE] if len(players) % 2 else [])
    n = len(ring)
    rounds = []
    for r in range(n - 1):
        pairs = []
        for i in range(n // 2):
            a, b = ring[i], ring[n - 1 - i]
            if BYE not in (a, b):
                # alternate who is listed first, so first-listed is not always the same player
                pairs.append((a, b) if (r + i) % 2 == 0 else (b, a))
        rounds.append(pairs)
        ring = [ring[0], ring[-1], *ring[1:-1]]
    return rounds


def round_robin(
    players: Sequence[str], motions: Sequence[str], rounds: int = 1, side_balance: bool = True
) -> list[Slot]:
    """Every pair on every motion, once per side (with side balance), `rounds` times over."""
    _check_players(players)
    if not motions:
        raise ValueError("a round-robin needs at least one motion")
    slots: list[Slot] = []
    circle = circle_rounds(players)
    if not side_balance:
        # One side per pair: sides as even as the greedy gets them on the first motion,
        # then mirrored on every other motion, so two motions balance exactly.
        lean: Counter[str] = Counter()
        oriented: list[tuple[str, str]] = []
        for pairs in circle:
            for a, b in pairs:
                slot = _sides(a, b, 0, "", False, lean)[0]
                lean.update(side_lean([slot]))
                oriented.append((slot.pro, slot.con))
    n = 0
    for cycle in range(1, rounds + 1):
        for motion in motions:
            if side_balance:
                # first every pair with one side, then the mirror, so mirrors do not run together
                for pairs in circle:
                    slots.extend(Slot(slot_id(cycle, a, b, motion), cycle, a, b, motion) for a, b in pairs)
                for pairs in circle:
                    slots.extend(Slot(slot_id(cycle, b, a, motion), cycle, b, a, motion) for a, b in pairs)
            else:
                for a, b in oriented:
                    pro, con = (a, b) if n % 2 == 0 else (b, a)
                    slots.append(Slot(slot_id(cycle, pro, con, motion), cycle, pro, con, motion))
            n += 1
    return slots


# --------------------------------------------------------------------------- random


def random_rounds(
    players: Sequence[str], motions: Sequence[str], rounds: int, seed: int, side_balance: bool = True
) -> list[Slot]:
    """Each round a random matching (the odd one out sits); a random motion per pair."""
    _check_players(players)
    if not motions:
        raise ValueError("a random schedule needs at least one motion")
    rng = random.Random(f"random-schedule:{seed}")
    slots: list[Slot] = []
    for round_no in range(1, rounds + 1):
        order = list(players)
        rng.shuffle(order)
        for i in range(0, len(order) - 1, 2):
            a, b = order[i], order[i + 1]
            motion = rng.choice(list(motions))
            if side_balance:
                slots.extend(_sides(a, b, round_no, motion, True))
            else:
                pro, con = (a, b) if rng.random() < 0.5 else (b, a)
                slots.append(Slot(slot_id(round_no, pro, con, motion), round_no, pro, con, motion))
    return slots


# --------------------------------------------------------------------------- swiss


@dataclass
class _Search:
    budget: int

    def spend(self) -> bool:
        self.budget -= 1
        return self.budget > 0


def _matchings(order: list[str], allowed: Mapping[str, list[str]], search: _Search) -> Iterable[list[tuple[str, str]]]:
    """Perfect matchings using only `allowed` pairs, best first: the highest-ranked free
    player takes the closest-ranked free partner it may meet."""
    free = set(order)
    chosen: list[tuple[str, str]] = []

    def walk() -> Iterable[list[tuple[str, str]]]:
        if not free:
            yield list(chosen)
            return
        first = next(p for p in order if p in free)
        free.discard(first)
        for partner in allowed[first]:
            if partner in free and search.spend():
                free.discard(partner)
                chosen.append((first, partner))
                yield from walk()
                chosen.pop()
                free.add(partner)
        free.add(first)

    return walk()


def _has_factors(order: list[str], unmet: dict[str, set[str]], k: int, search: _Search) -> bool:
    """Can the not-yet-met pairs still make `k` more rounds without a repeat?"""
    if k <= 0:
        return True
    allowed = {p: [q for q in order if q in unmet[p]] for p in order}
    for matching in _matchings(order, allowed, search):
        for a, b in matching:
            unmet[a].discard(b)
            unmet[b].discard(a)
        ok = _has_factors(order, unmet, k - 1, search)
        for a, b in matching:
            unmet[a].add(b)
            unmet[b].add(a)
        if ok:
            return True
        if search.budget <= 0:
            break
    return False


def swiss_pairs(
    players: Sequence[str],
    ratings: Mapping[str, float],
    met: Iterable[frozenset[str]],
    byes: Mapping[str, int] | None = None,
    rounds_left: int = 0,
    budget: int = 20000,
) -> tuple[list[tuple[str, str]], str | None]:
    """Pairs for one Swiss round and the player with the bye (None with an even count).

    Players are ranked by rating (ties by name); each pair is as close in rank as the
    rules allow. A pair that already met is used only when no matching without a
    repeat exists. Among matchings without repeats, the first (closest) one that still
    leaves `rounds_left` further repeat-free rounds possible is taken, within a search
    budget; otherwise the one that leaves the most."""
    _check_players(players)
    byes = byes or {}
    met_pairs = {frozenset(p) for p in met}
    ranked = sorted(players, key=lambda p: (-ratings.get(p, 0.0), p))
    if len(ranked) % 2:
        # The bye is a phantom ranked last: whoever meets it sits out. "Meeting" it twice
        # is a repeat, so the bye rotates; the lowest-ranked without one gets it first.
        least = min(byes.get(p, 0) for p in ranked)
        for p in ranked:
            if byes.get(p, 0) > least:
                met_pairs.add(pair_key(p, BYE))
        ranked.append(BYE)
    rank = {p: i for i, p in enumerate(ranked)}

    def closeness(p: str) -> list[str]:
        others = [q for q in ranked if q != p]
        if p == BYE:
            return sorted(others, key=lambda q: -rank[q])
        return sorted(others, key=lambda q: (abs(rank[q] - rank[p]), rank[q]))

    fresh = {p: [q for q in closeness(p) if pair_key(p, q) not in met_pairs] for p in ranked}
    best: list[tuple[str, str]] | None = None
    best_depth = -1
    search = _Search(budget)
    # The look-ahead over all candidate matchings and depths shares one budget (4x the
    # matchings'), so a round's work is bounded whatever the field and the rounds left.
    lookahead = _Search(4 * budget)
    for matching in _matchings(ranked, fresh, search):
        if rounds_left <= 0:
            best = matching
            break
        unmet = {p: set(fresh[p]) for p in ranked}
        for a, b in matching:
            unmet[a].discard(b)
            unmet[b].discard(a)
        depth = 0
        for k in range(rounds_left, 0, -1):
            if lookahead.budget <= 0:
                break
            check = _Search(min(max(200, search.budget // 4), lookahead.budget))
            start = check.budget
            found = _has_factors(ranked, unmet, k, check)
            lookahead.budget -= start - max(check.budget, 0)
            if found:
                depth = k
                break
        if depth > best_depth:
            best, best_depth = matching, depth
        if depth == rounds_left or search.budget <= 0 or lookahead.budget <= 0:
            break
    if best is None:
        best = _least_repeats(ranked, closeness, met_pairs)
    pairs = []
    bye = None
    for a, b in best:
        if BYE in (a, b):
            bye = b if a == BYE else a
        else:
            pairs.append((a, b))
    return pairs, bye


def _least_repeats(ranked: list[str], closeness, met_pairs: set[frozenset[str]]) -> list[tuple[str, str]]:
    """No matching avoids every earlier pairing: take the one with the fewest repeats
    (exact for small fields, greedy for large ones)."""
    order = {p: closeness(p) for p in ranked}
    best: list[tuple[str, str]] = []
    best_cost = [len(ranked) + 1]
    search = _Search(50000)
    free = set(ranked)
    chosen: list[tuple[str, str]] = []

    def walk(cost: int) -> None:
        if cost >= best_cost[0] or search.budget <= 0:
            return
        if not free:
            best_cost[0] = cost
            best[:] = chosen
            return
        first = next(p for p in ranked if p in free)
        free.discard(first)
        for partner in order[first]:
            if partner in free and search.spend():
                free.discard(partner)
                chosen.append((first, partner))
                walk(cost + (pair_key(first, partner) in met_pairs))
                chosen.pop()
                free.add(partner)
        free.add(first)

    walk(0)
    if not best:  # budget spent before any complete matching: plain greedy
        waiting = list(ranked)
        while waiting:
            first = waiting.pop(0)
            partner = min(waiting, key=lambda q: (pair_key(first, q) in met_pairs, order[first].index(q)))
            waiting.remove(partner)
            best.append((first, partner))
    return best


def swiss_round(
    players: Sequence[str],
    round_no: int,
    motion: str,
    ratings: Mapping[str, float],
    earlier: Sequence[Slot],
    rounds_total: int | None = None,
    side_balance: bool = True,
) -> list[Slot]:
    """The slots of Swiss round `round_no`, given the slots of the earlier rounds."""
    met = {pair_key(s.pro, s.con) for s in earlier}
    played_rounds: dict[int, set[str]] = {}
    for s in earlier:
        played_rounds.setdefault(s.round, set()).update((s.pro, s.con))
    byes = Counter(p for r, seated in played_rounds.items() for p in players if p not in seated)
    lean = side_lean(earlier)
    rounds_left = max(0, (rounds_total or round_no) - round_no)
    pairs, _bye = swiss_pairs(players, ratings, met, byes, rounds_left)
    slots: list[Slot] = []
    for a, b in pairs:
        slots.extend(_sides(a, b, round_no, motion, side_balance, lean))
    return slots


def round_motion(motions: Sequence[str], round_no: int) -> str:
    """Swiss rounds take the chosen motions in turn, one motion per round."""
    return motions[(round_no - 1) % len(motions)]
