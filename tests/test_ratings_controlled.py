"""Controlled Bradley–Terry (arena/ratings/controlled.py, style.py) and rank ranges.

- On simulated debaters of known skill, judged by the simulator's judge with a planted
  length and side preference (`sim/j?length_bias=…&side_logit=…`, debaters padding with
  `verbosity`), the controlled fit recovers both planted coefficients within their 95 %
  intervals and orders the debaters by skill, while the plain fit does not.
- On a battle log with Chatbot Arena's style columns, the fit equals an independent
  scipy fit written here (within 1 Elo).
- The sandwich and the bootstrap (both clustered by debate) agree.
"""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from scipy.optimize import minimize
from scipy.stats import spearmanr

from arena.llm.sim_judge import JudgeBiases, judge_view, sharpness
from arena.llm.simulator import parse_sim_model, speech_strength, speech_words, write_speech
from arena.prompt_markers import quote_speech
from arena.ratings import bradley_terry as bt
from arena.ratings import controlled, rank_ranges
from arena.ratings.style import Style, build_design, parse_controls
from arena.ratings.types import Match

SKILLS = [0.05 + 0.9 * i / 9 for i in range(10)]  # 10 debaters, true order = index
TOPIC, WORDS = "school uniforms", ("uniforms", "schools", "pupils")


def _debate_prompt(pro: list[str], con: list[str], nonce: str) -> str:
    quoted = []
    for r, (p, c) in enumerate(zip(pro, con), start=1):
        quoted.append(quote_speech(nonce, "Proposition", "speech", r, p))
        quoted.append(quote_speech(nonce, "Opposition", "speech", r, c))
    return "Motion: This house would ban school uniforms\nJudge the debate.\n" + "\n".join(quoted)


def simulated_log(debates: int, seed: int = 7) -> tuple[list[Match], dict[str, Style], JudgeBiases, float]:
    """Debates between sim debaters: the weak ones pad (verbosity) and draw the
    Proposition more often, and the judge likes length and the Proposition."""
    judge = parse_sim_model("sim/j?skill=0.25&length_bias=3&side_logit=0.6")
    verbosity = [2.0 - 1.5 * i / 9 for i in range(10)]  # weakest 2.0× the limit, strongest 0.5×
    rng = random.Random(seed)
    log: list[Match] = []
    style: dict[str, Style] = {}
    for n in range(debates):
        a, b = rng.sample(range(10), 2)
        # the weaker of the two argues the Proposition 80 % of the time
        weak, strong = (a, b) if a < b else (b, a)
        pro, con = (weak, strong) if rng.random() < 0.8 else (strong, weak)
        # a debater's verbosity varies from debate to debate around its own (as a model's length does)
        v_pro, v_con = verbosity[pro] * rng.uniform(0.5, 1.5), verbosity[con] * rng.uniform(0.5, 1.5)
        pro_speeches = [write_speech(rng, TOPIC, WORDS, speech_words(200, v_pro), SKILLS[pro]) for _ in range(3)]
        con_speeches = [write_speech(rng, TOPIC, WORDS, speech_words(200, v_con), SKILLS[con]) for _ in range(3)]
        view = judge_view(
            _debate_prompt(pro_speeches, con_speeches, f"{n:016x}"),
            ("j", 0, n),
            judge.skill,
            judge.biases,
            speech_strength,
        )
        winner = "model_a" if view.winner == "pro" else "model_b"
        m = Match(f"d{pro}", f"d{con}", winner, float(n), id=f"deb{n}")
        log.append(m)
        words = (sum(len(s.split()) for s in pro_speeches), sum(len(s.split()) for s in con_speeches))
        style[m.id] = Style(words=words, a_side=1)
    return log, style, judge.biases, sharpness(judge.skill)


def test_controlled_fit_recovers_planted_length_and_side_preferences_and_the_true_order() -> None:
    log, style, biases, _ = simulated_log(3000)
    design = build_design(log, style, parse_controls("length,side"))
    est = controlled.sandwich(design, controlled.fit_design(design))
    length, side = design.covariates
    # the judge adds length_bias·x + side_logit, x the raw ratio; z = (x − mean)/sd
    true_length = biases.length_bias * length.sd
    true_side = biases.side_logit + biases.length_bias * length.mean  # A is always the Proposition: an intercept
    sd = est.gamma_sd()
    for value, truth, s in zip(est.gamma, (true_length, true_side), sd):
        assert abs(value - truth) <= 1.96 * s, (value, truth, s)
        assert s < 0.1  # and the intervals are informative
    true_rank = [f"d{i}" for i in range(10)]
    ratings = est.ratings()
    rho_controlled = spearmanr([ratings[p] for p in true_rank], range(10)).statistic
    plain = bt.fit(log)
    rho_plain = spearmanr([plain.ratings[p] for p in true_rank], range(10)).statistic
    assert rho_controlled >= 0.95
    assert rho_plain < 0.5  # padding and the Proposition bought the weak debaters rating
    assert plain.ratings["d0"] - plain.ratings["d9"] > ratings["d0"] - ratings["d9"] + 200


def _conv_log(n: int, seed: int = 3) -> tuple[list[Match], dict[str, Style], np.ndarray]:
    """A battle log with Chatbot Arena-like style counts and known strengths."""
    rng = np.random.default_rng(seed)
    k = 8
    theta = np.linspace(-1.0, 1.0, k)
    log: list[Match] = []
    style: dict[str, Style] = {}
    raw = np.zeros((n, 4, 2))
    for r in range(n):
        a, b = rng.choice(k, 2, replace=False)
        counts = np.stack([rng.integers(50, 900, 2), rng.poisson(2, 2), rng.poisson(5, 2), rng.poisson(3, 2)])
        raw[r] = counts
        x = (counts[:, 0] - counts[:, 1]) / (counts.sum(axis=1) + 1)
        eta = theta[a] - theta[b] + x @ np.array([1.5, 0.3, 0.2, 0.4])
        u = rng.random()
        p = 1 / (1 + math.exp(-eta))
        winner = "model_a" if u < p * 0.9 else ("tie" if u < p * 0.9 + 0.1 else "model_b")
        m = Match(f"m{a}", f"m{b}", winner, float(r), id=f"{r:06d}")  # type: ignore[arg-type]
        log.append(m)
        c = counts.astype(float)
        style[m.id] = Style(words=tuple(c[0]), header=tuple(c[1]), list=tuple(c[2]), bold=tuple(c[3]))  # type: ignore[arg-type]
    return log, style, raw


def test_controlled_fit_equals_an_independent_scipy_fit_with_chatbot_arena_normalisation() -> None:
    log, style, raw = _conv_log(4000)
    design = build_design(log, style, parse_controls("length,markdown"))
    assert design.names == ("length", "header", "list", "bold")
    ours = controlled.fit_design(design, prior=0.0).ratings()

    # independent: FastChat's normalisation written out, plain maximum likelihood by BFGS
    diff = raw[:, :, 0] - raw[:, :, 1]
    ratio = diff / (raw.sum(axis=2) + 1)
    feats = (ratio - ratio.mean(axis=0)) / ratio.std(axis=0)
    models = sorted({m.model_a for m in log} | {m.model_b for m in log})
    idx = {p: i for i, p in enumerate(models)}
    a = np.array([idx[m.model_a] for m in log])
    b = np.array([idx[m.model_b] for m in log])
    y = np.array([{"model_a": 1.0, "tie": 0.5, "model_b": 0.0}[m.winner] for m in log])
    k = len(models)

    def nll(params: np.ndarray) -> float:
        # θ_0 fixed at 0 (the gauge): params = θ_1.., γ
        theta = np.concatenate([[0.0], params[: k - 1]])
        eta = theta[a] - theta[b] + feats @ params[k - 1 :]
        return float(np.sum(np.logaddexp(0, eta) - y * eta))

    res = minimize(nll, np.zeros(k - 1 + 4), method="BFGS", options={"gtol": 1e-8})
    theta = np.concatenate([[0.0], res.x[: k - 1]])
    elo = 400 / math.log(10) * (theta - theta.mean()) + 1000
    for p in models:
        assert ours[p] == pytest.approx(elo[idx[p]], abs=1.0)


def test_sandwich_and_bootstrap_intervals_agree_when_resampling_debates() -> None:
    log, style, _ = _conv_log(3000, seed=5)
    design = build_design(log, style, parse_controls("length,markdown"))
    est = controlled.sandwich(design, controlled.fit_design(design))
    draws = controlled.bootstrap(design, est, rounds=400, seed=1)
    boot_sd = bt.to_elo_scale(draws.theta, design.participants).std(axis=0)
    sand_sd = np.sqrt(np.diag(est.rating_cov()))
    # stated tolerance: the two standard errors within 15 % of each other (400 rounds
    # estimate an sd to about ±3.5 %), for every rating and every coefficient
    assert np.all(np.abs(boot_sd / sand_sd - 1) < 0.15), boot_sd / sand_sd
    assert np.all(np.abs(draws.gamma.std(axis=0) / est.gamma_sd() - 1) < 0.15)


def test_debates_are_the_resampled_unit_and_a_duplicated_debate_widens_the_sandwich() -> None:
    log, style, _ = _conv_log(1500, seed=9)
    # every debate judged twice with the same verdict: twice the rows, no more information
    doubled = log + [Match(m.model_a, m.model_b, m.winner, m.tstamp, id=m.id + "b") for m in log]
    style2 = {**style, **{m.id + "b": style[m.id] for m in log}}
    clusters = {m.id + "b": m.id for m in log}
    naive = build_design(doubled, style2, ("length",))
    clustered = build_design(doubled, style2, ("length",), clusters=clusters)
    assert clustered.clusters == 1500 and naive.clusters == 3000
    sd_naive = controlled.sandwich(naive, controlled.fit_design(naive)).gamma_sd()
    sd_clustered = controlled.sandwich(clustered, controlled.fit_design(clustered)).gamma_sd()
    assert sd_clustered[0] == pytest.approx(sd_naive[0] * math.sqrt(2), rel=0.02)


def test_a_covariate_that_cannot_be_told_apart_is_dropped_with_a_warning() -> None:
    log = [Match("a", "b", "model_a", float(n), id=str(n)) for n in range(5)]
    log += [Match("b", "a", "model_a", 9.0 + n, id=f"x{n}") for n in range(5)]
    style = {m.id: Style(words=(100, 100), a_side=1, a_first=1) for m in log}
    design = build_design(log, style, parse_controls("length,side,order"))
    assert design.names == ("side",)
    assert any("length" in w and "same in every match" in w for w in design.warnings)
    assert any("order" in w and "determined by side" in w for w in design.warnings)
    with pytest.raises(ValueError, match="unknown control 'colour'"):
        parse_controls("length,colour")


def test_rank_ranges_come_from_differences_not_overlapping_marginals() -> None:
    # two ratings 40 apart, each ±39 (marginal intervals overlap), strongly correlated
    # (a common opponent): the difference has sd 10, so they are told apart
    est = np.array([1040.0, 1000.0, 800.0])
    cov = np.array([[400.0, 350.0, 0.0], [350.0, 400.0, 0.0], [0.0, 0.0, 100.0]])
    lo, hi = rank_ranges.rank_ranges(est, cov=cov)
    assert lo.tolist() == [1, 2, 3] and hi.tolist() == [1, 2, 3]
    independent = np.diag([400.0, 400.0, 100.0])
    lo, hi = rank_ranges.rank_ranges(est, cov=independent)
    assert (lo.tolist(), hi.tolist()) == ([1, 1, 3], [2, 2, 3])
    assert rank_ranges.bracket(1, 2) == "1–2" and rank_ranges.bracket(3, 3) == "3"
    # the bootstrap of the same differences gives the same brackets
    rng = np.random.default_rng(0)
    samples = rng.multivariate_normal(est, independent, size=4000)
    lo_s, hi_s = rank_ranges.rank_ranges(est, samples=samples)
    assert (lo_s.tolist(), hi_s.tolist()) == ([1, 1, 3], [2, 2, 3])


def test_sim_knobs_parse_name_the_participant_and_shape_the_speeches() -> None:
    from arena.llm.simulator import _verbosity, rated_identity

    spec = parse_sim_model("sim/pad?verbosity=2&length_spread=0.5")
    assert rated_identity("sim/pad?verbosity=2&length_spread=0.5") == "sim/pad?verbosity=2&length_spread=0.5"
    lengths = {speech_words(100, _verbosity(spec, random.Random(s))) for s in range(50)}
    assert min(lengths) >= 100 and max(lengths) <= 300 and len(lengths) > 20  # 2 × (1 ± 0.5) × 100
    assert speech_words(100, _verbosity(parse_sim_model("sim/plain"), random.Random(0))) == 100
    judge = parse_sim_model("sim/j?length_bias=3&side_logit=-0.5").biases
    assert (judge.length_bias, judge.side_logit) == (3.0, -0.5)
    with pytest.raises(ValueError, match="length_spread"):
        parse_sim_model("sim/pad?length_spread=2")


@pytest.mark.parametrize("ci", ["bootstrap", "sandwich"])
def test_a_participant_who_won_everything_gets_the_curvature_interval_on_a_controlled_board(ci: str) -> None:
    from arena.ratings.leaderboard import LeaderboardSettings, build_leaderboard

    log = [Match("a", "b", "model_a", float(i), id=str(i)) for i in range(6)]
    log += [Match("b", "c", "model_a" if i % 2 else "model_b", 10.0 + i, id=f"x{i}") for i in range(10)]
    style = {m.id: Style(words=(100 + i * 7 % 50, 120), a_side=1) for i, m in enumerate(log)}
    board = build_leaderboard(log, LeaderboardSettings(controls=("length",), ci=ci, rounds=200), style=style)
    rows = {r.participant: r for r in board.rows}
    a = rows["a"]
    assert a.ci_method == "curvature" and a.ci_note == "won all 6 games"
    assert a.ci_hi - a.rating == pytest.approx(a.rating - a.ci_lo) and a.ci_hi - a.rating > 100
    assert rows["b"].ci_method == ci and any("cannot show the spread of a" in w for w in board.warnings)


def test_the_plain_estimate_is_the_boards_bradley_terry_fit_with_a_covariance() -> None:
    log, _, _ = _conv_log(1200, seed=11)
    est = controlled.plain_estimate(log)
    ratings, reference = est.ratings(), bt.fit(log).ratings
    assert max(abs(ratings[p] - reference[p]) for p in reference) < 0.01
    cov = est.rating_cov()
    assert cov.shape == (8, 8) and np.allclose(cov, cov.T) and np.all(np.linalg.eigvalsh(cov) > -1e-9)
    # the sandwich sd is close to the Laplace one when the model holds (one row per debate)
    laplace = bt.curvature_sd(bt.fit(log))
    assert np.all(np.abs(np.sqrt(np.diag(cov)) / laplace - 1) < 0.15)
