"""Confidence statistics checked against numbers worked out by hand.

The fixture: four debates, three stages each (opening=0, rebuttal=1, closing=2).

    D1 cross-model  A (pro) vs B (con)   verdict pro
        A pro: 60 70 80   won      B con: 70 75 75   lost   <- a 75 exactly on one side
    D2 cross-model  B (pro) vs A (con)   verdict con
        B pro: 50 60 80   lost     A con: 65 --  90  won    <- rebuttal bet missing
    D3 self         C (pro) vs C (con)   no verdict
        C pro: 55 65 76            C con: 60 70 --          <- closing bet missing
    D4 cross-model  A (pro) vs C (con)   tie (no winner)
        A pro: 50 45 40            C con: 52 40 30
"""

from __future__ import annotations

import json
import math

import pytest
from scipy import stats

from arena.ratings.confidence import (
    BetRow,
    brier_by_participant,
    confidence_report,
    escalation,
    mutual_overestimation,
    opening_vs_50,
    summarize,
)

STAGES = ("opening", "rebuttal", "closing")


def side_rows(debate, participant, side, amounts, condition, won, is_human=False):
    return [
        BetRow(debate, participant, side, STAGES[i], i, amount, condition, won, is_human)
        for i, amount in enumerate(amounts)
    ]


def fixture_rows() -> list[BetRow]:
    return [
        *side_rows("D1", "model:A", "pro", [60, 70, 80], "cross-model", True),
        *side_rows("D1", "model:B", "con", [70, 75, 75], "cross-model", False),
        *side_rows("D2", "model:B", "pro", [50, 60, 80], "cross-model", False),
        *side_rows("D2", "model:A", "con", [65, None, 90], "cross-model", True),
        *side_rows("D3", "model:C", "pro", [55, 65, 76], "self", None),
        *side_rows("D3", "model:C", "con", [60, 70, None], "self", None),
        *side_rows("D4", "model:A", "pro", [50, 45, 40], "cross-model", None),
        *side_rows("D4", "model:C", "con", [52, 40, 30], "cross-model", None),
    ]


def test_counts_and_mean_bet_by_stage():
    s = summarize(fixture_rows())
    assert s.debates == 4
    assert s.bets == 22 and s.missing_bets == 2
    # opening: 60+70+50+65+55+60+50+52 = 462 over 8
    # rebuttal: 70+75+60+65+70+45+40 = 425 over 7 (A's D2 rebuttal missing)
    # closing: 80+75+80+90+76+40+30 = 471 over 7 (C's D3 con closing missing)
    assert list(s.mean_bet_by_stage) == ["opening", "rebuttal", "closing"]
    assert s.mean_bet_by_stage["opening"] == pytest.approx(462 / 8)
    assert s.mean_bet_by_stage["rebuttal"] == pytest.approx(425 / 7)
    assert s.mean_bet_by_stage["closing"] == pytest.approx(471 / 7)


def test_escalation_pairs_only_sides_with_both_bets():
    e = escalation(fixture_rows())
    # closing - opening: D1 A 20, D1 B 5, D2 B 30, D2 A 25, D3 C-pro 21, D4 A -10,
    # D4 C -22; D3 C-con has no closing bet and drops out.  Sum 69 over 7.
    assert e.n == 7
    assert e.mean == pytest.approx(69 / 7)
    # sample variance of the differences: (sum of squares - n*mean^2) / (n-1)
    # sum of squares = 400+25+900+625+441+100+484 = 2975
    var = (2975 - 69**2 / 7) / 6
    t = (69 / 7) / math.sqrt(var / 7)
    assert e.t == pytest.approx(t)  # ~1.3335
    assert e.p == pytest.approx(stats.t.sf(t, df=6))  # one-sided: later > earlier
    # the 95% interval of the mean rise: mean ± t(0.975, 6) · sd / √7 ≈ 9.86 ± 18.09
    half = stats.t.ppf(0.975, 6) * math.sqrt(var / 7)
    assert (e.ci_lo, e.ci_hi) == (pytest.approx(69 / 7 - half), pytest.approx(69 / 7 + half))
    assert e.ci_lo < 0 < e.ci_hi  # p ≈ 0.12 one-sided: the interval holds 0


def test_escalation_with_too_few_pairs_or_no_spread_has_no_test():
    one = side_rows("X", "model:A", "pro", [50, 60, 70], "self", None)
    e = escalation(one)
    assert (e.n, e.mean, e.t, e.p) == (1, 20.0, None, None)
    same = one + side_rows("Y", "model:A", "pro", [40, 50, 60], "self", None)
    e = escalation(same)  # both rise by exactly 20: no spread, t would be infinite
    assert (e.n, e.mean, e.t, e.p) == (2, 20.0, None, None)
    assert (e.ci_lo, e.ci_hi) == (None, None)
    assert escalation([]).n == 0 and escalation([]).mean is None


def test_opening_bets_against_50():
    o = opening_vs_50(fixture_rows())
    # first bets: 60 70 50 65 55 60 50 52 -> mean 57.75, differences from 50:
    # 10 20 0 15 5 10 0 2, deviations from 7.75 squared sum to 373.5
    assert o.n == 8
    assert o.mean == pytest.approx(57.75)
    t = 7.75 / math.sqrt(373.5 / 7 / 8)
    assert o.t == pytest.approx(t)  # ~3.0009
    assert o.p_t == pytest.approx(stats.t.sf(t, df=7))
    # Wilcoxon: the two zero differences drop out; the six left are all positive, so
    # W+ is the largest possible and the exact one-sided p is 1 / 2**6.
    assert o.wilcoxon_p == pytest.approx(1 / 64)


def test_opening_test_degenerate_inputs_do_not_crash():
    all_fifty = side_rows("X", "model:A", "pro", [50], "self", None) + side_rows(
        "Y", "model:A", "pro", [50], "self", None
    )
    o = opening_vs_50(all_fifty)
    assert o.n == 2 and o.mean == 50.0
    assert o.t is None and o.p_t is None and o.wilcoxon_p is None
    single = opening_vs_50(side_rows("X", "model:A", "pro", [80], "self", None))
    assert single.n == 1 and single.t is None and single.wilcoxon_p is None
    missing = opening_vs_50(side_rows("X", "model:A", "pro", [None, 70], "self", None))
    assert missing.n == 0 and missing.mean is None  # a missing first bet is not replaced


def test_mutual_overestimation_gt_vs_ge_75():
    m = mutual_overestimation(fixture_rows())
    # final bets: D1 80/75 (not both >75, both >=75, sum 155), D2 80/90 (both, 170),
    # D3 excluded (con closing missing), D4 40/30 (neither, 70)
    assert m.n == 3
    assert m.gt75 == pytest.approx(1 / 3)
    assert m.ge75 == pytest.approx(2 / 3)
    assert m.sum_over_100 == pytest.approx(2 / 3)


def test_calibration_against_the_verdict():
    s = summarize(fixture_rows())
    # Only D1 and D2 have a winner. (bet/100 - won)^2:
    # opening: A .6->.16, B .7->.49, B .5->.25, A .65->.1225     = 1.0225 / 4
    # rebuttal: A .7->.09, B .75->.5625, B .6->.36 (A missing)    = 1.0125 / 3
    # closing: A .8->.04, B .75->.5625, B .8->.64, A .9->.01      = 1.2525 / 4
    assert s.brier_by_stage == pytest.approx({"opening": 1.0225 / 4, "rebuttal": 1.0125 / 3, "closing": 1.2525 / 4})
    assert s.brier == pytest.approx((1.0225 + 1.0125 + 1.2525) / 11)
    # winners bet 60 70 80 65 90 (365/5); losers 70 75 75 50 60 80 (410/6)
    assert s.mean_bet_winners == pytest.approx(73.0)
    assert s.mean_bet_losers == pytest.approx(410 / 6)
    # mean bet 775/11 = 70.45, win rate 5/11: index (775 - 500) / 1100 = 0.25
    assert s.win_rate == pytest.approx(5 / 11)
    assert s.overconfidence_index == pytest.approx(0.25)


def test_reliability_table():
    bins = summarize(fixture_rows()).reliability
    assert [(b.lo, b.hi) for b in bins] == [(i * 10, i * 10 + 10) for i in range(10)]
    filled = {b.lo: (b.count, b.mean_bet, b.win_rate) for b in bins if b.count}
    assert filled == {
        50: (1, 50.0, 0.0),  # B 50 lost
        60: (3, pytest.approx(185 / 3), pytest.approx(2 / 3)),  # A 60 won, A 65 won, B 60 lost
        70: (4, 72.5, 0.25),  # A 70 won, B 70 75 75 lost
        80: (2, 80.0, 0.5),  # A 80 won, B 80 lost
        90: (1, 90.0, 1.0),  # A 90 won
    }
    assert all(b.mean_bet is None and b.win_rate is None for b in bins if not b.count)


def test_a_bet_of_100_lands_in_the_last_bin():
    bins = summarize(side_rows("X", "model:A", "pro", [100, 10], "self", True)).reliability
    assert bins[9].count == 1 and bins[1].count == 1


def test_no_verdict_means_null_calibration():
    report = confidence_report(fixture_rows())
    self_only = report.by_condition["self"]
    assert self_only.debates == 1
    assert self_only.brier_by_stage == {"opening": None, "rebuttal": None, "closing": None}
    assert self_only.brier is None and self_only.overconfidence_index is None
    assert self_only.mean_bet_winners is None and self_only.mean_bet_losers is None
    assert self_only.mutual.n == 0 and self_only.mutual.gt75 is None
    # D3 C-pro is the only pair: 76 - 55
    assert self_only.escalation.n == 1 and self_only.escalation.mean == 21.0


def test_report_splits_and_json():
    report = confidence_report(fixture_rows())
    assert set(report.by_condition) == {"cross-model", "self"}
    assert set(report.by_participant) == {"model:A", "model:B", "model:C"}
    assert report.human_vs_model is None  # nobody human has bet
    a = report.by_participant["model:A"]
    # A's first bets: 60 (D1), 65 (D2), 50 (D4)
    assert a.opening.n == 3 and a.opening.mean == pytest.approx(175 / 3)

    data = json.loads(json.dumps(report.to_dict(), allow_nan=False))
    for summary in [data["overall"], *data["by_condition"].values(), *data["by_participant"].values()]:
        for key in (
            "debates",
            "mean_bet_by_stage",
            "escalation",
            "escalation_p",
            "opening_vs_50",
            "mutual_gt75",
            "mutual_ge75",
            "sum_over_100",
            "brier_by_stage",
            "brier",
            "mean_bet_winners",
            "mean_bet_losers",
            "overconfidence_index",
            "reliability",
            "missing_bets",
        ):
            assert key in summary
        assert set(summary["opening_vs_50"]) >= {"t", "p_t", "wilcoxon_p"}
    overall = data["overall"]
    assert overall["mutual_gt75"] == pytest.approx(1 / 3)
    assert overall["mutual_ge75"] == pytest.approx(2 / 3)
    assert data["by_condition"]["self"]["brier_by_stage"]["closing"] is None
    assert data["by_condition"]["self"]["escalation_p"] is None


def test_brier_by_participant():
    # A (judged bets only): 60 70 80 in D1 (won), 65 90 in D2 (won)
    #   .16 + .09 + .04 + .1225 + .01 = .4225 over 5
    # B: 70 75 75 (lost) and 50 60 80 (lost)
    #   .49 + .5625 + .5625 + .25 + .36 + .64 = 2.865 over 6
    # C: never in a debate with a winner
    assert brier_by_participant(fixture_rows()) == {
        "model:A": pytest.approx(0.4225 / 5),
        "model:B": pytest.approx(2.865 / 6),
        "model:C": None,
    }


def test_human_vs_model_once_a_person_has_bet():
    rows = fixture_rows() + [
        *side_rows("H1", "human:ana", "pro", [40, 50, 60], "private", True, is_human=True),
        *side_rows("H1", "model:A", "con", [70, 80, 90], "private", False),
    ]
    report = confidence_report(rows)
    assert set(report.human_vs_model) == {"human", "model"}
    human = report.human_vs_model["human"]
    assert human.debates == 1 and human.bets == 3
    assert human.mean_bet_by_stage == {"opening": 40.0, "rebuttal": 50.0, "closing": 60.0}
    # (.4-1)^2 + (.5-1)^2 + (.6-1)^2 = .36 + .25 + .16 = .77 over 3
    assert human.brier == pytest.approx(0.77 / 3)
    assert report.human_vs_model["model"].debates == 5
    assert "human" in report.to_dict()["human_vs_model"]


def test_empty_input():
    s = summarize([])
    assert s.debates == 0 and s.bets == 0 and s.mean_bet_by_stage == {}
    assert s.brier is None and s.escalation.n == 0 and s.opening.n == 0
    json.dumps(confidence_report([]).to_dict(), allow_nan=False)
