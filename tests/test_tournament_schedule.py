"""Tournament schedules: pure functions of players, motions, ratings and seed."""

from __future__ import annotations

import itertools
import random
from collections import Counter

import pytest

from arena.tournament import schedule as sch

PLAYERS = [f"sim/p{i}" for i in range(6)]


def pairs_of(slots):
    return Counter(sch.pair_key(s.pro, s.con) for s in slots)


@pytest.mark.parametrize("n", [2, 3, 4, 5, 8])
@pytest.mark.parametrize("motions", [["m1"], ["m1", "m2", "m3"]])
def test_round_robin_counts_and_side_balance(n, motions):
    players = PLAYERS[:n] if n <= 6 else [f"x{i}" for i in range(n)]
    slots = sch.round_robin(players, motions, rounds=1)
    assert len(slots) == n * (n - 1) * len(motions)
    assert len({s.id for s in slots}) == len(slots)
    for motion in motions:
        ordered = Counter((s.pro, s.con) for s in slots if s.motion == motion)
        # every ordered pair exactly once per motion: each pair on both sides
        assert set(ordered) == set(itertools.permutations(players, 2))
        assert set(ordered.values()) == {1}
    pro = Counter(s.pro for s in slots)
    con = Counter(s.con for s in slots)
    assert all(pro[p] == con[p] == (n - 1) * len(motions) for p in players)


def test_round_robin_cycles_and_spread():
    slots = sch.round_robin(PLAYERS, ["m"], rounds=2)
    assert len(slots) == 2 * 30
    assert {s.round for s in slots} == {1, 2}
    # the circle method: the first n/2 debates involve every player once
    first = slots[: len(PLAYERS) // 2]
    assert sorted(p for s in first for p in (s.pro, s.con)) == sorted(PLAYERS)


@pytest.mark.parametrize("n,motions", [(4, 1), (4, 2), (5, 1), (8, 2)])
def test_round_robin_without_side_balance(n, motions):
    players = [f"x{i}" for i in range(n)]
    slots = sch.round_robin(players, [f"m{i}" for i in range(motions)], side_balance=False)
    assert len(slots) == n * (n - 1) // 2 * motions
    assert all(v == motions for v in pairs_of(slots).values())
    lean = sch.side_lean(slots)
    assert max(abs(v) for v in lean.values()) <= 1  # as even as the counts allow
    if motions % 2 == 0:
        assert set(lean.values()) == {0}


def test_random_is_reproducible_by_seed():
    a = sch.random_rounds(PLAYERS, ["m1", "m2", "m3"], rounds=4, seed=11)
    b = sch.random_rounds(PLAYERS, ["m1", "m2", "m3"], rounds=4, seed=11)
    c = sch.random_rounds(PLAYERS, ["m1", "m2", "m3"], rounds=4, seed=12)
    assert a == b
    assert a != c
    assert len(a) == 4 * 3 * 2  # 3 pairs a round, each on both sides
    for round_no in range(1, 5):
        seated = [p for s in a if s.round == round_no for p in (s.pro, s.con)]
        assert Counter(seated) == Counter({p: 2 for p in PLAYERS})  # everyone once, both sides
    assert len({s.id for s in a}) == len(a)


def test_random_odd_players_one_sits_out():
    slots = sch.random_rounds(PLAYERS[:5], ["m"], rounds=3, seed=1, side_balance=False)
    assert len(slots) == 3 * 2
    for round_no in (1, 2, 3):
        seated = [p for s in slots if s.round == round_no for p in (s.pro, s.con)]
        assert len(seated) == len(set(seated)) == 4


def test_swiss_round_one_pairs_by_rating():
    ratings = {p: 1000 + 10 * i for i, p in enumerate(PLAYERS)}
    slots = sch.swiss_round(PLAYERS, 1, "m", ratings, [], rounds_total=3)
    assert set(pairs_of(slots)) == {
        sch.pair_key("sim/p5", "sim/p4"),
        sch.pair_key("sim/p3", "sim/p2"),
        sch.pair_key("sim/p1", "sim/p0"),
    }
    assert all(v == 2 for v in pairs_of(slots).values())  # side balance


def _repeat_free_matching_exists(players, met):
    """Brute force: can the players be paired (with a rotating bye) without a repeat?"""
    players = list(players)
    if len(players) % 2:
        return any(_repeat_free_matching_exists([q for q in players if q != p], met) for p in players)
    if not players:
        return True
    first, rest = players[0], players[1:]
    return any(
        sch.pair_key(first, q) not in met and _repeat_free_matching_exists([r for r in rest if r != q], met)
        for q in rest
    )


@pytest.mark.parametrize("trial", range(40))
def test_swiss_never_repeats_while_another_pairing_is_possible(trial):
    rng = random.Random(trial)
    n = rng.choice([4, 5, 6, 7, 8, 10])
    players = [f"p{i}" for i in range(n)]
    ratings = {p: rng.uniform(900, 1100) for p in players}
    rounds = n - 1 if n % 2 == 0 else n  # as many rounds as a round-robin has
    slots: list[sch.Slot] = []
    for round_no in range(1, rounds + 1):
        met = {sch.pair_key(s.pro, s.con) for s in slots}
        new = sch.swiss_round(players, round_no, "m", ratings, slots, rounds_total=rounds)
        repeats = [s for s in new if sch.pair_key(s.pro, s.con) in met]
        if repeats:
            assert not _repeat_free_matching_exists(players, met)
        seated = Counter(p for s in new for p in (s.pro, s.con))
        assert len(seated) == n - n % 2  # everyone plays but the bye
        slots += new
        for s in new:  # results move ratings, as finished debates do
            ratings[s.pro] += rng.uniform(-40, 40)
    # with look-ahead the whole schedule is in fact a round-robin: no pair twice
    assert max(pairs_of(slots).values()) == 2


def test_swiss_bye_rotates():
    players = [f"p{i}" for i in range(5)]
    ratings = {p: 1000.0 for p in players}
    slots: list[sch.Slot] = []
    byes = Counter()
    for round_no in range(1, 6):
        new = sch.swiss_round(players, round_no, "m", ratings, slots, rounds_total=5)
        seated = {p for s in new for p in (s.pro, s.con)}
        (bye,) = set(players) - seated
        byes[bye] += 1
        slots += new
    assert set(byes.values()) == {1}


def test_slot_ids():
    slot = sch.round_robin(["sim/a?x=1", "sim/b"], ["ban-zoos"])[0]
    assert slot.id == "r1:sim/a?x=1|sim/b:ban-zoos"
    assert sch.slot_round(slot.id) == 1
    assert sch.slot_round("r12:a|b:m") == 12
    with pytest.raises(ValueError):
        sch.round_robin(["a"], ["m"])
    with pytest.raises(ValueError):
        sch.round_robin(["a", "a"], ["m"])
