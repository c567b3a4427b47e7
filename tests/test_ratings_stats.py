"""Descriptive statistics: records, LOS, Wilson, bias, Fleiss' κ, judges."""

import pytest

from arena.ratings import stats
from arena.ratings.types import JudgeVote, Match

LOG = [
    Match("A", "B", "model_a", 1),
    Match("A", "B", "tie", 2),
    Match("B", "A", "model_a", 3),
    Match("A", "C", "model_b", 4),
    Match("C", "C", "model_a", 5),  # a self-match is ignored
]


def test_participant_records_and_average_opponent():
    s = stats.participant_stats(LOG, ratings={"A": 1000, "B": 1100, "C": 900})
    a = s["A"]
    assert (a.debates, a.wins, a.ties, a.losses) == (4, 1, 1, 2)
    assert a.score == pytest.approx(1.5 / 4)
    assert a.avg_opponent == pytest.approx((1100 * 3 + 900) / 4)
    assert list(s) == ["A", "B", "C"]
    assert stats.participant_stats(LOG)["C"].avg_opponent is None


def test_head_to_head_both_directions():
    h = stats.head_to_head(LOG)
    assert h.record("A", "B") == stats.Record(1, 1, 1)
    assert h.record("C", "A") == stats.Record(1, 0, 0)
    assert h.record("B", "C") == stats.Record()


def test_los_known_value():
    assert stats.los(5975, 6077) == pytest.approx(0.17641, abs=1e-5)
    assert stats.los(10, 10) == 0.5
    assert stats.los(0, 0) is None


def test_wilson_known_value():
    lo, hi = stats.wilson_interval(8, 10)
    assert (lo, hi) == pytest.approx((0.4902, 0.9433), abs=1e-4)
    assert stats.wilson_interval(0, 0) == (0.0, 1.0)


def test_side_bias_excludes_ties_and_counts_them():
    b = stats.side_bias(LOG)
    assert (b.proposition.successes, b.proposition.decisive, b.proposition.ties) == (2, 3, 1)
    assert b.proposition.rate == pytest.approx(2 / 3)
    assert b.first_speaker == b.proposition
    con_first = stats.side_bias(LOG, first_speaker=lambda m: "model_b")
    assert con_first.first_speaker.successes == 1


def test_pair_calibration():
    cal = stats.pair_calibration(LOG, {"A": 1000, "B": 1000, "C": 1000})
    ab = next(c for c in cal if (c.a, c.b) == ("A", "B"))
    assert (ab.games, ab.observed, ab.predicted) == (3, pytest.approx(0.5), pytest.approx(0.5))


def test_fleiss_kappa_hand_computed():
    # 4 debates × 3 judges: P̄ = (1 + 1/3 + 1 + 1/3)/4 = 2/3, p = (½, ½), Pe = ½ → κ = 1/3
    assert stats.fleiss_kappa([[3, 0], [2, 1], [0, 3], [1, 2]]) == pytest.approx(1 / 3)
    assert stats.fleiss_kappa([[3, 0], [3, 0]]) is None  # no variation: κ undefined


def test_judge_stats():
    votes = []
    picks = {"d1": "ppp", "d2": "ppc", "d3": "ccc", "d4": "pcc"}
    for d, ws in picks.items():
        panel = "pro" if ws.count("p") >= 2 else "con"
        for j, w in zip(["j1", "j2", "j3"], ws):
            votes.append(JudgeVote(d, j, "pro" if w == "p" else "con", panel_winner=panel))
    votes.append(JudgeVote("d5", "j1", "pro", panel_winner="tie"))  # only j1: no κ, no agreement
    votes.append(JudgeVote("d1", "j1", "pro", swapped=True))  # consistent with its unswapped ballot
    votes.append(JudgeVote("d3", "j2", "pro", swapped=True))  # inconsistent
    js = stats.judge_stats(votes)
    assert js.fleiss_kappa == pytest.approx(1 / 3)
    assert js.kappa_debates == 4
    j1, j2, j3 = js.judges
    # panels: pro, pro, con, con; j1 dissents on d4, j3 on d2, j2 never
    assert (j1.agreement, j1.agreement_n) == (0.75, 4)
    assert j2.agreement == 1.0 and j3.agreement == 0.75
    assert (j1.swap_consistency, j1.swap_n) == (1.0, 1)
    assert (j2.swap_consistency, j2.swap_n) == (0.0, 1)
    assert j3.swap_consistency is None
