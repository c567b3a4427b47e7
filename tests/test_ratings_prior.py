"""The Bradley–Terry prior, honest intervals and components, with known values.

The scenario of issue 10: a seasoned participant with a 12–5 record in a small pool,
1–0 and 0–1 newcomers from one-off debates (their own components), rated by default
(the prior) and by plain maximum likelihood (--prior 0, FastChat's fit).
"""

import json
import math
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import brentq, minimize

from arena.ratings import bootstrap
from arena.ratings import bradley_terry as bt
from arena.ratings.leaderboard import LeaderboardSettings, build_leaderboard
from arena.ratings.types import Match
from arena.render import leaderboard_data, leaderboard_html, leaderboard_md

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from ratings_bench import synthetic_log  # noqa: E402


def scenario() -> list[Match]:
    """sim/a 12–5 over 17 debates against four regulars, who also play each other;
    two one-off debates between newcomers (two more components)."""
    log, t = [], 0
    regulars = ["sim/b", "sim/c", "sim/d", "sim/e"]
    for i in range(17):
        log.append(Match("sim/a", regulars[i % 4], "model_a" if i < 12 else "model_b", float(t), id=f"a{t}"))
        t += 1
    for i in range(12):
        x, y = regulars[i % 4], regulars[(i + 1) % 4]
        log.append(Match(x, y, "model_a" if i % 3 else "model_b", float(t), id=f"r{t}"))
        t += 1
    log.append(Match("model:new1", "model:new2", "model_a", float(t), id="n1"))
    log.append(Match("model:openai/smollm2", "human:kim", "model_b", float(t + 1), id="n2"))
    return log


def independent_ml(log: list[Match]) -> dict[str, float]:
    """Maximum likelihood by a different road: per-match log-likelihood, BFGS, θ0 pinned."""
    names = sorted({m.model_a for m in log} | {m.model_b for m in log})
    idx = {p: i for i, p in enumerate(names)}
    a = np.array([idx[m.model_a] for m in log])
    b = np.array([idx[m.model_b] for m in log])
    y = np.array([{"model_a": 1.0, "tie": 0.5, "model_b": 0.0}[m.winner] for m in log])

    def nll(free: np.ndarray) -> float:
        theta = np.concatenate([[0.0], free])
        d = theta[a] - theta[b]
        return float(np.sum(y * np.logaddexp(0, -d) + (1 - y) * np.logaddexp(0, d)))

    res = minimize(nll, np.zeros(len(names) - 1), method="BFGS", options={"gtol": 1e-8})
    elo = 400 / math.log(10) * np.concatenate([[0.0], res.x])
    elo += 1000 - elo.mean()
    return dict(zip(names, elo.tolist()))


def test_prior_zero_is_the_maximum_likelihood_fit():
    log, _ = synthetic_log(3000, 8, seed=5)
    ml = bt.fit(log, prior=0).ratings
    ref = independent_ml(log)
    assert max(abs(ml[p] - ref[p]) for p in ref) < 2.0


def test_one_debate_sits_at_the_known_map_value():
    # λ·t = σ(−2t) with λ = S/4 = 1: t = 0.3373…, i.e. 1000 ± 58.59 Elo
    res = bt.fit([Match("A", "B", "model_a", 0.0)])
    t = brentq(lambda t: t - 1 / (1 + math.exp(2 * t)), 0, 2)
    assert res.ratings["A"] == pytest.approx(1000 + bt.SCALE * t, abs=1e-3)
    assert res.ratings["B"] == pytest.approx(1000 - bt.SCALE * t, abs=1e-3)
    assert abs(res.ratings["A"] - 1000) < 100
    strong = bt.fit([Match("A", "B", "model_a", 0.0)], prior=16)  # λ = 4: 4t = σ(−2t)
    t16 = brentq(lambda t: 4 * t - 1 / (1 + math.exp(2 * t)), 0, 2)
    assert strong.ratings["A"] == pytest.approx(1000 + bt.SCALE * t16, abs=1e-3)
    assert bt.fit([Match("A", "B", "model_a", 0.0)], prior=0).ratings["A"] > 1600  # the ML "1681"


def test_prior_is_virtual_games_against_the_mean():
    assert bt.prior_precision(4.0) == 1.0
    assert bt.prior_precision(0.0) == bt.ML_RIDGE
    with pytest.raises(ValueError):
        bt.prior_precision(-1.0)


def test_newcomer_with_one_win_never_outranks_a_seasoned_record():
    log = scenario()
    default = bt.fit(log).ratings
    ml = bt.fit(log, prior=0).ratings
    assert ml["model:new1"] > ml["sim/a"]  # the bug: 1681 above 12–5
    assert default["model:new1"] < default["sim/a"]
    for p in ("model:new1", "model:new2", "human:kim", "model:openai/smollm2"):
        assert abs(default[p] - 1000) < 100


def test_a_well_sampled_pool_moves_by_less_than_one_point():
    log, _ = synthetic_log(100_000, 50, seed=42)
    prior, ml = bt.fit(log).ratings, bt.fit(log, prior=0).ratings
    assert max(abs(prior[p] - ml[p]) for p in ml) < 1.0


def test_intervals_never_have_a_zero_wide_side_and_say_when_laplace():
    board = build_leaderboard(scenario(), LeaderboardSettings(rounds=300))
    for r in board.rows:
        assert r.ci_hi - r.rating > 1.0 and r.rating - r.ci_lo > 1.0, r
    new1 = next(r for r in board.rows if r.participant == "model:new1")
    assert new1.ci_method == "curvature" and "won all 1" in new1.ci_note
    seasoned = next(r for r in board.rows if r.participant == "sim/a")
    assert seasoned.ci_method == "bootstrap"
    assert any("posterior curvature (Laplace)" in w for w in board.warnings)
    # the curvature sd of a lone 1–0 debate: H = [[w+λ, −w], [−w, w+λ]], w = p(1−p)
    res = bt.fit([Match("A", "B", "model_a", 0.0)])
    d = res.theta[0] - res.theta[1]
    w = 1 / (1 + math.exp(-d)) / (1 + math.exp(d))
    # var(θA − mean) = ¼·var(θA − θB) = ¼ · 2/(2w + λ)
    assert bt.curvature_sd(res)[0] == pytest.approx(bt.SCALE * math.sqrt(0.5 / (2 * w + 1.0)), rel=1e-6)


def test_elo_intervals_have_no_zero_wide_side_either():
    board = build_leaderboard(scenario(), LeaderboardSettings(system="elo", rounds=100))
    for r in board.rows:
        assert r.ci_hi - r.rating > 0.5 or r.rating - r.ci_lo > 0.5
    # after one or two debates the bootstrap gives sides like "+1/−28" (arena demo):
    # a side under a quarter of the curvature's half-width is replaced, so none is that thin
    demo = [
        Match("firebrand", "logician", "model_b", 1.0),
        Match("firebrand", "diplomat", "model_a", 2.0),
        Match("smollm2", "team", "model_a", 3.0),
    ]
    board = build_leaderboard(demo, LeaderboardSettings(system="elo", rounds=300))
    for r in board.rows:
        assert min(r.ci_hi - r.rating, r.rating - r.ci_lo) > 20, r


def test_components_are_ranked_each_on_its_own_in_every_format():
    board = build_leaderboard(scenario(), LeaderboardSettings(rounds=100))
    assert board.components == 3
    by = {r.participant: r for r in board.rows}
    assert by["sim/a"].component == 0 and by["sim/a"].position == 1
    assert by["model:new1"].component == by["model:new2"].component != 0
    assert [r.component for r in board.rows] == sorted(r.component for r in board.rows)
    for c in range(3):
        rows = [r for r in board.rows if r.component == c]
        assert [r.position for r in rows] == list(range(1, len(rows) + 1))
        assert min(r.rank_ub for r in rows) == 1
    doc = json.loads(leaderboard_data.to_json(board, "1"))
    assert doc["components"] == 3 and {row["component"] for row in doc["rows"]} == {0, 1, 2}
    md = leaderboard_md.to_markdown(board)
    assert "## Component 2 of 3 (2 participants)" in md and "## Warnings" in md
    assert "disconnected components" in md
    page = leaderboard_html.to_html(board, "1")
    assert "Component 3 of 3" in page and "disconnected components" in page
    assert leaderboard_data.to_csv(board).splitlines()[0].startswith("component,position,rank_ub")


def test_rank_column_is_monotone_in_every_system():
    for system in ("bt", "elo", "trueskill"):
        board = build_leaderboard(scenario(), LeaderboardSettings(system=system, rounds=60))
        for c in range(board.components):
            rows = [r for r in board.rows if r.component == c]
            assert [r.position for r in rows] == list(range(1, len(rows) + 1)), system


def test_bootstrap_fallback_is_deterministic():
    a = bootstrap.bootstrap_bt(scenario(), rounds=50, seed=1)
    b = bootstrap.bootstrap_bt(scenario(), rounds=50, seed=1)
    assert (a.ci_lo, a.ci_hi, a.fallback) == (b.ci_lo, b.ci_hi, b.fallback)
