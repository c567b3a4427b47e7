"""Sample-size planning (ratings/sample_size.py, the dry run's block): the formulas against
a Monte Carlo, and the command line."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
from click.testing import CliRunner

from arena.ratings import bradley_terry as bt
from arena.ratings import sample_size as ss
from arena.ratings.types import Match


def test_known_values_of_the_issue():
    assert round(ss.decisive_per_pair(50)) == 387
    assert 189 <= ss.decisive_per_pair(50, power=0.5) <= 190
    assert abs(ss.tie_factor(0.35) - 1.538) < 1e-3
    assert ss.decisive_per_pair(100) < ss.decisive_per_pair(50) / 3.5  # ~1/gap²
    assert 0.2 < ss.mean_weight(100) < 0.25 == ss.mean_weight(0)


def _power(n: int, gap: float, rng: np.random.Generator, reps: int = 6000, tie_rate: float = 0.0) -> float:
    """Share of replicates in which a Wald test on n debates (ties dropped) rejects 0."""
    p = 1.0 / (1.0 + 10.0 ** (-gap / 400.0))
    decisive = rng.binomial(n, 1.0 - tie_rate, size=reps) if tie_rate else np.full(reps, n)
    wins = rng.binomial(decisive, p)
    share = np.clip(wins / decisive, 0.5 / decisive, 1 - 0.5 / decisive)
    estimate = np.log(share / (1 - share))
    se = 1.0 / np.sqrt(decisive * share * (1 - share))
    return float(np.mean(np.abs(estimate / se) > ss.z_level()))


def test_per_pair_counts_match_a_monte_carlo():
    rng = np.random.default_rng(20)
    n = round(ss.decisive_per_pair(50))
    assert abs(_power(n, 50, rng) - 0.80) < 0.025  # MC sd 0.005
    n0 = round(ss.decisive_per_pair(50, power=0.5))
    assert abs(_power(n0, 50, rng) - 0.50) < 0.03
    n_ties = math.ceil(n * ss.tie_factor(0.35))  # 35 % ties: ×1.54 debates keep the power
    assert abs(_power(n_ties, 50, rng, tie_rate=0.35) - 0.80) < 0.03
    assert _power(n, 50, rng, tie_rate=0.35) < 0.70  # and without the factor it is lost


def test_plan_half_widths_match_the_spread_of_simulated_fits():
    """Four players with stored ratings, a round robin played 40 times over; the spread of
    the fitted ratings over 300 simulated tournaments is what the plan predicted."""
    rng = np.random.default_rng(7)
    ratings = {"a": 1150.0, "b": 1050.0, "c": 980.0, "d": 820.0}
    players = list(ratings)
    pairs = [(x, y) for i, x in enumerate(players) for y in players[i + 1 :]] * 40
    plans = {p.name: p for p in ss.plan_precision(players, pairs, ratings)}
    fitted = []
    for _ in range(300):
        log = []
        for n, (x, y) in enumerate(pairs):
            won = rng.random() < bt.win_probability(ratings[x], ratings[y])
            log.append(Match(x, y, "model_a" if won else "model_b", float(n)))
        fit = bt.fit(log)
        fitted.append([fit.ratings[p] for p in players])
    spread = np.array(fitted)
    for n, p in enumerate(players):
        predicted_sd = plans[p].half_width / ss.z_level()
        assert 0.85 < spread[:, n].std() / predicted_sd < 1.15, (p, spread[:, n].std(), predicted_sd)
    # the resolvable gap's standard error: that of the difference to the rival
    rival = plans["b"].rival
    assert rival == "c"  # nearest stored rating
    diff_sd = (spread[:, 1] - spread[:, 2]).std()
    predicted = plans["b"].resolvable_gap / (ss.z_level() + ss.z_power())
    assert 0.85 < diff_sd / predicted < 1.15


def test_scale_for_a_target_reaches_it():
    players = ["a", "b", "c"]
    pairs = [("a", "b"), ("b", "c"), ("a", "c")] * 2
    times = ss.scale_for(players, pairs, {}, 80.0)
    reached = ss.plan_precision(players, pairs, {}, times=times)
    assert max(p.resolvable_gap for p in reached) <= 80.0 + 1e-6
    short = ss.plan_precision(players, pairs, {}, times=times * 0.95)
    assert max(p.resolvable_gap for p in short) > 80.0


def cli(*args: str):
    from arena.cli import cli as arena

    return CliRunner().invoke(arena, list(args))


def test_dry_run_prints_the_planning_and_stores_nothing(db_path):
    args = ["tournament", "run", "--players", "sim/a,sim/b,sim/c", "--judge", "sim/j", "--dry-run", "--seed", "2"]
    doc = json.loads(cli(*args, "--target", "50", "--json").stdout)["planning"]
    assert [p["name"] for p in doc["players"]] == ["sim/a", "sim/b", "sim/c"]
    assert all(p["half_width"] > 0 and p["resolvable_gap"] > p["half_width"] for p in doc["players"])
    assert round(doc["decisive_per_pair"]) == 387 and doc["scale"] > 1
    text = cli(*args, "--target", "30hw").output
    assert "Separating a 50-Elo gap needs ≈ 387 decisive debates per pair" in text
    assert "Target a ±30 half-width" in text
    assert not Path(db_path).exists()
    assert cli("tournament", "run", "--players", "sim/a,sim/b", "--target", "50").exit_code == 2
    bad = cli(*args, "--target", "wide")
    assert bad.exit_code == 2 and "--target 'wide'" in bad.output
