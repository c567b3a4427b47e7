"""Bradley–Terry: recovery, invariances, ties, degenerate logs; and its bootstrap."""

import math
import random

import numpy as np
import pytest
from scipy.stats import spearmanr

from arena.ratings import bootstrap
from arena.ratings import bradley_terry as bt
from arena.ratings.types import Match


def synthetic_log(n_players=10, n_matches=3000, seed=7, tie_rate=0.1):
    rng = random.Random(seed)
    # evenly spaced true strengths (0.3 apart), assigned to names in a shuffled order
    levels = [0.3 * i for i in range(n_players)]
    rng.shuffle(levels)
    strengths = {f"p{i:02d}": levels[i] for i in range(n_players)}
    names = sorted(strengths)
    log = []
    for t in range(n_matches):
        a, b = rng.sample(names, 2)
        if rng.random() < tie_rate:
            w = "tie"
        else:
            p = 1 / (1 + math.exp(strengths[b] - strengths[a]))
            w = "model_a" if rng.random() < p else "model_b"
        log.append(Match(a, b, w, float(t), id=f"m{t}"))
    return log, strengths


def test_recovers_known_strengths():
    log, strengths = synthetic_log()
    res = bt.fit(log)
    names = sorted(strengths)
    rho = spearmanr([res.ratings[n] for n in names], [strengths[n] for n in names]).statistic
    assert rho > 0.95
    assert res.warnings == []
    assert np.mean(list(res.ratings.values())) == pytest.approx(1000.0)


def test_scale_matches_elo_formula():
    # 3 wins of 4 for A against B: MLE p = 0.75, so Ra − Rb = 400·log10(3)
    log = [Match("A", "B", "model_a", t) for t in range(3)] + [Match("A", "B", "model_b", 3)]
    r = bt.fit(log, prior=0).ratings
    assert r["A"] - r["B"] == pytest.approx(400 * math.log10(3), abs=0.05)
    assert bt.win_probability(r["A"], r["B"]) == pytest.approx(0.75, abs=1e-4)


def test_invariant_to_match_order_and_side():
    log, _ = synthetic_log(n_matches=500)
    shuffled = log[:]
    random.Random(1).shuffle(shuffled)
    assert bt.fit(shuffled).ratings == bt.fit(log).ratings  # exactly: same counts, same floats
    swapped = [
        Match(m.model_b, m.model_a, {"model_a": "model_b", "model_b": "model_a", "tie": "tie"}[m.winner], m.tstamp)
        for m in log
    ]
    assert bt.fit(swapped).ratings == bt.fit(log).ratings


def test_only_ties_give_equal_ratings():
    log = [Match("A", "B", "tie", 0), Match("B", "C", "tie", 1), Match("C", "A", "tie", 2)]
    res = bt.fit(log)
    assert all(v == pytest.approx(1000.0, abs=1e-6) for v in res.ratings.values())
    assert res.warnings == []


def test_a_tie_counts_half_a_win_each_way():
    # win + tie = 1.5 points of 2 ≡ 3 wins of 4 (p = 0.75), and a tie is no third outcome
    win_tie = [Match("A", "B", "model_a", 0), Match("A", "B", "tie", 1)]
    three_of_four = [Match("A", "B", "model_a", t) for t in range(3)] + [Match("A", "B", "model_b", 3)]
    r1, r2 = bt.fit(win_tie, prior=0).ratings, bt.fit(three_of_four, prior=0).ratings
    assert r1["A"] - r1["B"] == pytest.approx(400 * math.log10(3), abs=0.5)
    assert r1["A"] - r1["B"] == pytest.approx(r2["A"] - r2["B"], abs=0.5)
    # while win-only is a perfect record: far larger gap, with a warning
    win_only = bt.fit([Match("A", "B", "model_a", 0), Match("A", "B", "model_a", 1)], prior=0)
    assert win_only.ratings["A"] - win_only.ratings["B"] > 1000
    assert any("A won all 2" in w for w in win_only.warnings)


def test_perfect_winner_is_finite_and_warned():
    log, _ = synthetic_log(n_players=5, n_matches=300)
    log += [Match("champ", p, "model_a", 1000 + i) for i, p in enumerate(["p00", "p01", "p02", "p03"])]
    log += [Match("p04", "doormat", "model_a", 2000.0)]
    res = bt.fit(log, prior=0)
    assert all(math.isfinite(v) for v in res.ratings.values())
    assert res.ratings["champ"] == max(res.ratings.values())
    assert any("champ won all 4" in w and "doormat lost all 1" in w for w in res.warnings)


def test_disconnected_graph_is_warned_and_each_part_centred():
    log = [Match("A", "B", "model_a", 0), Match("B", "A", "model_a", 1), Match("A", "B", "model_a", 2)]
    log += [Match("C", "D", "model_a", 3), Match("D", "C", "model_a", 4), Match("C", "D", "tie", 5)]
    res = bt.fit(log)
    assert any("2 disconnected components: [A, B]; [C, D]" in w for w in res.warnings)
    assert res.ratings["A"] + res.ratings["B"] == pytest.approx(2000, abs=1e-3)


def test_groups_without_upsets_are_named():
    # A and B trade wins, C and D trade wins, but A/B always beat C/D
    log = []
    for t, (x, y) in enumerate([("A", "B"), ("B", "A"), ("C", "D"), ("D", "C"), ("A", "C"), ("B", "D")]):
        log.append(Match(x, y, "model_a", t))
    res = bt.fit(log)
    assert any("[A, B] > [C, D]" in w for w in res.warnings)


def test_anchor_pins_a_participant():
    log, _ = synthetic_log(n_players=4, n_matches=200)
    free = bt.fit(log)
    pinned = bt.fit(log, anchor="p02", anchor_value=1200.0)
    assert pinned.ratings["p02"] == pytest.approx(1200.0)
    shift = pinned.ratings["p02"] - free.ratings["p02"]
    assert all(pinned.ratings[p] - free.ratings[p] == pytest.approx(shift) for p in free.ratings)
    missing = bt.fit(log, anchor="nobody")
    assert any("anchor nobody" in w for w in missing.warnings)


def test_warm_start_reaches_the_same_fit():
    log, _ = synthetic_log(n_players=6, n_matches=600)
    cold = bt.fit(log)
    warm = bt.fit(log, init={p: v + 50 for p, v in cold.ratings.items()})
    for p in cold.ratings:
        assert warm.ratings[p] == pytest.approx(cold.ratings[p], abs=1e-3)


@pytest.mark.parametrize("chord_steps", [0, bt.CHORD_STEPS])
def test_batched_newton_agrees_with_lbfgs(monkeypatch, chord_steps):
    monkeypatch.setattr(bt, "CHORD_STEPS", chord_steps)  # 0: full Newton only
    log, _ = synthetic_log(n_players=6, n_matches=600)
    res = bt.fit(log)
    counts = res.counts
    rng = np.random.default_rng(0)
    weights = rng.multinomial(int(counts.total), counts.count / counts.total, size=3).astype(float)
    many, fallback = bt.fit_theta_many(counts, weights, res.theta)
    assert fallback == 0
    for r in range(3):
        one, _ = bt.fit_theta(counts, weights[r], init=res.theta)
        assert np.abs(one - many[r]).max() < 1e-5


def test_empty_log():
    res = bt.fit([])
    assert res.ratings == {} and res.warnings == []


# --- bootstrap ------------------------------------------------------------------


def test_bootstrap_same_seed_identical_other_seed_differs():
    log, _ = synthetic_log(n_players=6, n_matches=400)
    a = bootstrap.bootstrap_bt(log, rounds=200, seed=3)
    b = bootstrap.bootstrap_bt(log, rounds=200, seed=3)
    c = bootstrap.bootstrap_bt(log, rounds=200, seed=4)
    assert (a.ci_lo, a.ci_hi) == (b.ci_lo, b.ci_hi)
    assert a.ci_lo != c.ci_lo


def test_bootstrap_intervals_contain_estimate_and_shrink_with_more_games():
    log, _ = synthetic_log(n_players=6, n_matches=2400)
    small = bootstrap.bootstrap_bt(log[:300], rounds=300)
    large = bootstrap.bootstrap_bt(log, rounds=300)
    for p in large.participants:
        assert large.ci_lo[p] <= large.estimate[p] <= large.ci_hi[p]
        assert (small.ci_hi[p] - small.ci_lo[p]) > (large.ci_hi[p] - large.ci_lo[p])


def test_bootstrap_with_anchor_pins_the_anchor_interval():
    log, _ = synthetic_log(n_players=4, n_matches=300)
    res = bootstrap.bootstrap_bt(log, rounds=100, anchor="p01", anchor_value=1100.0)
    assert res.ci_lo["p01"] == pytest.approx(1100.0) and res.ci_hi["p01"] == pytest.approx(1100.0)


def test_rank_upper_bound():
    lo = {"a": 1100, "b": 1050, "c": 900}
    hi = {"a": 1200, "b": 1150, "c": 1000}
    assert bootstrap.rank_upper_bounds(lo, hi) == {"a": 1, "b": 1, "c": 3}


def test_elo_bootstrap_is_seeded():
    log, _ = synthetic_log(n_players=4, n_matches=200)
    a = bootstrap.bootstrap_elo(log, rounds=50, seed=1)
    b = bootstrap.bootstrap_elo(log, rounds=50, seed=1)
    assert (a.ci_lo, a.ci_hi) == (b.ci_lo, b.ci_hi)
    assert all(a.ci_lo[p] < a.ci_hi[p] for p in a.participants)


def test_many_perfect_records_are_one_warning_not_one_each():
    """A small store: three of three participants won or lost everything; one line says so."""
    log = [Match("a", "b", "model_a", 1.0), Match("c", "b", "model_a", 2.0)]
    warnings = [w for w in bt.fit(log, prior=4).warnings if "every game" in w or " all " in w]
    assert len(warnings) == 1
    assert warnings[0].startswith("3 participants won or lost every game")
    assert all(part in warnings[0] for part in ("a won all 1", "b lost all 2", "c won all 1"))
