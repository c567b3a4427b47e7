"""TrueSkill: known values from the package's defaults (cf. sublee/trueskill tests)."""

import pytest
import trueskill

from arena.ratings import trueskill_ratings as ts
from arena.ratings.types import Match


def test_win_from_defaults():
    a, b = ts.update(ts.TSRating(), ts.TSRating(), "model_a")
    assert (a.mu, a.sigma) == pytest.approx((29.396, 7.171), abs=1e-3)
    assert (b.mu, b.sigma) == pytest.approx((20.604, 7.171), abs=1e-3)


def test_con_win_mirrors_pro_win():
    a, b = ts.update(ts.TSRating(), ts.TSRating(), "model_b")
    assert (a.mu, b.mu) == pytest.approx((20.604, 29.396), abs=1e-3)


def test_draw_from_defaults():
    a, b = ts.update(ts.TSRating(), ts.TSRating(), "tie")
    for r in (a, b):
        assert (r.mu, r.sigma) == pytest.approx((25.000, 6.458), abs=1e-3)


def test_match_quality_of_two_newcomers():
    assert ts.match_quality(ts.TSRating(), ts.TSRating()) == pytest.approx(0.447, abs=1e-3)


def test_expose_and_win_probability():
    r = ts.TSRating(30.0, 2.0)
    assert ts.expose(r) == 24.0
    assert ts.win_probability(r, r) == pytest.approx(0.5)
    strong, weak = ts.TSRating(30, 1), ts.TSRating(20, 1)
    assert ts.win_probability(strong, weak) == pytest.approx(1 - ts.win_probability(weak, strong))
    assert ts.win_probability(strong, weak) > 0.9


def test_private_environment_ignores_the_global_one():
    saved = trueskill.global_env()
    try:
        trueskill.setup(mu=0.0, sigma=1.0)
        a, _ = ts.update(ts.TSRating(), ts.TSRating(), "model_a")
        assert a.mu == pytest.approx(29.396, abs=1e-3)
    finally:
        trueskill.setup(env=saved)


def test_replay_is_incremental_update_in_time_order():
    log = [Match("A", "B", "model_b", 2.0, "2"), Match("A", "B", "model_a", 1.0, "1")]
    a, b = ts.update(ts.TSRating(), ts.TSRating(), "model_a")
    a, b = ts.update(a, b, "model_b")
    assert ts.replay(log).ratings == {"A": a, "B": b}
