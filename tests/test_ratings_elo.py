"""Elo: the formula, the zero-sum update, and replay in time order."""

import pytest

from arena.ratings import elo
from arena.ratings.types import Match


def test_expected_is_half_between_equals_and_symmetric():
    assert elo.expected(1000, 1000) == 0.5
    assert elo.expected(1400, 1000) == pytest.approx(1 / (1 + 10**-1))
    assert elo.expected(1234, 987) + elo.expected(987, 1234) == pytest.approx(1.0)


def test_k32_win_between_equals_is_plus_minus_16():
    assert elo.update(1000, 1000, 1.0) == (1016.0, 984.0)
    assert elo.update(1000, 1000, 0.0) == (984.0, 1016.0)
    assert elo.update(1000, 1000, 0.5) == (1000.0, 1000.0)


def test_update_is_zero_sum():
    ra, rb = elo.update(1100.0, 950.0, 0.0, k=24)
    assert ra + rb == pytest.approx(2050.0)


def test_replay_orders_by_time_then_id_not_by_list_order():
    a_wins = Match("A", "B", "model_a", tstamp=1.0, id="x")
    b_wins = Match("A", "B", "model_b", tstamp=2.0, id="y")
    forward = elo.replay([a_wins, b_wins])
    backward = elo.replay([b_wins, a_wins])
    assert forward.ratings == backward.ratings
    assert [s.match_id for s in forward.history] == ["x", "y"]
    # and order matters: the reverse chronology gives different ratings
    flipped = elo.replay([Match("A", "B", "model_b", 1.0, "x"), Match("A", "B", "model_a", 2.0, "y")])
    assert flipped.ratings != forward.ratings
    assert forward.ratings["A"] < 1000 < forward.ratings["B"]  # B won last, and as the underdog


def test_same_tstamp_is_broken_by_id():
    m1 = Match("A", "B", "model_a", tstamp=5.0, id="b")
    m2 = Match("A", "C", "model_b", tstamp=5.0, id="a")
    assert [s.match_id for s in elo.replay([m1, m2]).history] == ["a", "b"]


def test_replay_equals_incremental_updates_exactly():
    log = [
        Match("A", "B", "model_a", 1.0, "1"),
        Match("B", "C", "tie", 2.0, "2"),
        Match("C", "A", "model_a", 3.0, "3"),
        Match("A", "B", "model_b", 4.0, "4"),
    ]
    ratings: dict[str, float] = {}
    for m in log:
        ra, rb = ratings.get(m.model_a, 1000.0), ratings.get(m.model_b, 1000.0)
        ratings[m.model_a], ratings[m.model_b] = elo.update(ra, rb, elo.SCORE_A[m.winner])
    assert elo.replay(log).ratings == ratings  # exact, not approx


def test_history_records_before_and_after():
    step = elo.replay([Match("A", "B", "model_a", 1.0, "1")], k=10, start=1500).history[0]
    assert (step.a_before, step.b_before, step.a_after, step.b_after) == (1500, 1500, 1505, 1495)
