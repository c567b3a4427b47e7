"""Issue 21, item 3: agreement between judges. Cohen's κ and Krippendorff's α against hand
computations, a planted agreement recovered within its interval, re-judged copies counted
as their original, and the command end to end."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

from arena.config import Config
from arena.debate.participants import judge_specs
from arena.debate.rejudge import rejudge
from arena.llm.gateway import Gateway
from arena.ratings.agreement import Vote, agreement, cohen_kappa, krippendorff_alpha
from arena.ratings.stats import wilson_interval
from arena.store.agreement_query import agreement_votes, rejudged_into
from arena.store.queries import load_debate
from tests.test_call_log import played

ROOT = Path(__file__).resolve().parents[1]

# Three judges on five debates (- : no decision):
#   debate  1    2    3    4    5
#   A       pro  pro  con  con  pro
#   B       pro  con  con  pro  pro
#   C       pro  -    con  pro  -
FIXTURE = {
    "1": {"A": "pro", "B": "pro", "C": "pro"},
    "2": {"A": "pro", "B": "con"},
    "3": {"A": "con", "B": "con", "C": "con"},
    "4": {"A": "con", "B": "pro", "C": "pro"},
    "5": {"A": "pro", "B": "pro"},
}


def fixture_votes() -> list[Vote]:
    return [Vote(item, judge, "arena", side) for item, by in FIXTURE.items() for judge, side in by.items()]


def test_kappa_and_alpha_equal_their_hand_computed_values() -> None:
    # κ(A, B) on debates 1-5: they agree on 1, 3, 5: p_o = 3/5. A names pro 3/5, con 2/5;
    # so does B: p_e = (3/5)² + (2/5)² = 0.52. κ = (0.6 − 0.52) / (1 − 0.52) = 0.08 / 0.48 = 1/6.
    assert abs(cohen_kappa(["pro", "pro", "con", "con", "pro"], ["pro", "con", "con", "pro", "pro"]) - 1 / 6) < 1e-12
    # κ(A, C) on debates 1, 3, 4: agree on 1, 3: p_o = 2/3; A pro 1/3, C pro 2/3:
    # p_e = 1/3·2/3 + 2/3·1/3 = 4/9; κ = (2/3 − 4/9) / (5/9) = 2/5.
    # α: the values of each debate, n_u(pro), n_u(con), m_u:
    #   1: 3, 0, 3   2: 1, 1, 2   3: 0, 3, 3   4: 2, 1, 3   5: 2, 0, 2
    # n = 13 values, n_pro = 8, n_con = 5. Disagreeing pairs per debate, Σ_c≠k n_uc·n_uk / (m_u − 1):
    #   2: 2·1·1/1 = 2, 4: 2·2·1/2 = 2, the others 0: 4 in all.
    # Expected: n² − n_pro² − n_con² = 169 − 64 − 25 = 80.
    # α = 1 − (n − 1)·4/80 = 1 − 12·4/80 = 0.4.
    units = [list(by.values()) for by in FIXTURE.values()]
    assert abs(krippendorff_alpha(units) - 0.4) < 1e-12
    report = agreement(fixture_votes(), reference="A")
    pairs = {(p.a, p.b): p for p in report.pairs}
    assert set(pairs) == {("A", "B"), ("A", "C"), ("B", "C")}
    ab, ac, bc = pairs[("A", "B")], pairs[("A", "C")], pairs[("B", "C")]
    assert (ab.items, ab.agree, ab.share.value) == (5, 3, 0.6)
    assert (ab.share.ci_lo, ab.share.ci_hi) == wilson_interval(3, 5)
    assert abs(ab.kappa.value - 1 / 6) < 1e-12 and ab.kappa.n == 5
    assert abs(ac.kappa.value - 0.4) < 1e-12 and (ac.items, ac.agree) == (3, 2)
    # B and C on 1, 3, 4: all agree, and both vary: κ = 1
    assert (bc.items, bc.agree) == (3, 3) and bc.kappa.value == 1.0
    assert abs(report.alpha.value - 0.4) < 1e-12
    assert (report.alpha.n, report.alpha_decisions, report.items) == (5, 13, 5)
    for estimate in (ab.kappa, ac.kappa, report.alpha):
        assert estimate.ci_lo <= estimate.value <= estimate.ci_hi
    assert [(p.a, p.b) for p in report.against_reference()] == [("A", "B"), ("A", "C")]
    assert agreement(fixture_votes()).alpha == report.alpha  # a fixed seed: the same figures


def test_constant_judges_have_no_kappa_and_no_alpha() -> None:
    votes = [Vote(str(i), j, "arena", "pro") for i in range(4) for j in ("A", "B")]
    report = agreement(votes)
    assert report.pairs[0].share.value == 1.0 and report.pairs[0].items == 4
    assert report.pairs[0].kappa.value is None and report.alpha.value is None


def test_decisions_voids_splits_and_a_judge_asked_twice() -> None:
    votes = [
        # debate 1: A decided pro in both orders; B split (pro, then con when swapped)
        Vote("1", "A", "arena", "pro"),
        Vote("1", "A", "arena", "pro"),
        Vote("1", "B", "arena", "pro"),
        Vote("1", "B", "arena", "con"),
        # debate 2: B's majority of three repeats is con; one of A's ballots void
        Vote("2", "A", "arena", "con"),
        Vote("2", "A", "arena", None),
        Vote("2", "B", "arena", "con"),
        Vote("2", "B", "arena", "con"),
        Vote("2", "B", "arena", "pro"),
    ]
    report = agreement(votes)
    counts = {j.judge: j for j in report.judges}
    assert (counts["A"].ballots, counts["A"].void, counts["A"].items, counts["A"].split) == (4, 1, 2, 0)
    assert (counts["B"].ballots, counts["B"].void, counts["B"].items, counts["B"].split) == (5, 0, 1, 1)
    (pair,) = report.pairs
    assert (pair.items, pair.agree) == (1, 1)
    assert (report.void, report.split) == (1, 1)
    # the same judge re-judging in another collection is a rater of its own
    again = agreement([Vote("1", "A", "arena", "pro"), Vote("1", "A", "r2", "con")])
    assert [(p.a, p.b, p.agree) for p in again.pairs] == [("A (arena)", "A (r2)", 0)]
    # ...but not a judge that judged other debates elsewhere
    apart = agreement([Vote("1", "A", "arena", "pro"), Vote("1", "B", "r2", "pro"), Vote("2", "A", "r3", "con")])
    assert [(p.a, p.b) for p in apart.pairs] == [("A", "B")]


def test_re_judged_copies_count_as_their_original(store) -> None:
    """A copy of a copy too (rejudge --collection r2 --into r3), on SQLite and PostgreSQL."""
    original, _, _ = played(store, "sim/a?skill=0.8", "sim/b?skill=0.3", ("sim/j1",), seed=3, swap=True)
    other, _, _ = played(store, "sim/c", "sim/b", ("sim/j1",), seed=5)
    gateway = Gateway()
    first = asyncio.run(
        rejudge(
            load_debate(store, original.id), judge_specs(["sim/j2"], Config()), gateway, debate_id="c1", collection="r2"
        )
    )
    store.save_debate(first)
    second = asyncio.run(
        rejudge(load_debate(store, "c1"), judge_specs(["sim/j3"], Config()), gateway, debate_id="c2", collection="r3")
    )
    store.save_debate(second)
    votes = agreement_votes(store, collections=["r3"])  # the copy's originals come with it
    assert {(v.item, v.judge, v.collection) for v in votes} == {
        (original.id, "sim/j1", "arena"),
        (original.id, "sim/j2", "r2"),
        (original.id, "sim/j3", "r3"),
    }
    assert len(votes) == 6  # both orders of the swap, for each judge
    everything = agreement_votes(store)
    assert {v.item for v in everything} == {original.id, other.id}
    assert rejudged_into(store, collections=["r2"]) == ["r3"]
    assert rejudged_into(store, collections=["arena"]) == ["r2"]
    assert rejudged_into(store, collections=["r3"]) == []


def arena_cli(*args: str, db: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "arena", "--db", db, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "100"},
        timeout=300,
        stdin=subprocess.DEVNULL,
    )


def test_planted_agreement_recovered_end_to_end_through_rejudge(tmp_path) -> None:
    """A tournament judged by a judge of consensus p = 0.9, re-judged by one of q = 0.8
    (arena/llm/sim_judge.py): planted κ = (2p − 1)(2q − 1) = 0.8 · 0.6 = 0.48 exactly, and
    share agreeing pq + (1 − p)(1 − q) = 0.72 + 0.02 = 0.74. With two judges and even
    marginals α has the same value. The 95% intervals must hold them."""
    db = str(tmp_path / "a.db")
    first, second = "sim/j1?consensus=0.9", "sim/j2?consensus=0.8"
    players = "sim/a,sim/b,sim/c,sim/d"
    out = arena_cli("tournament", "run", "--name", "t", "--players", players, "--judge", first, "--rounds", "8", db=db)
    assert out.returncode == 0, out.stderr
    alone = arena_cli("judges", "agreement", "--tournament", "t", db=db)
    assert alone.returncode == 2 and alone.stderr.count("\n") == 1
    assert "nothing to compare" in alone.stderr and "arena rejudge --judge J --tournament t" in alone.stderr
    html = arena_cli("leaderboard", "--tournament", "t", "--format", "html", db=db).stdout
    assert "<h2>Ratings</h2>" in html and "Judges: agreement" not in html  # no agreement data: no section
    out = arena_cli("rejudge", "--tournament", "t", "--judge", second, "--into", "r2", db=db)
    assert out.returncode == 0, out.stderr
    hint = arena_cli("judges", "agreement", "--tournament", "t", db=db)
    assert hint.returncode == 2 and "add --collection r2" in hint.stderr
    doc = json.loads(
        arena_cli("judges", "agreement", "--collection", "r2", "--reference", first, "--json", db=db).stdout
    )
    (pair,) = doc["pairs"]
    assert pair["judges"] == [first, second] and pair["items"] == 96 == doc["items"]
    assert pair["kappa"]["ci_lo"] <= 0.48 <= pair["kappa"]["ci_hi"]
    assert pair["share"]["ci_lo"] <= 0.74 <= pair["share"]["ci_hi"]
    assert pair["agree"] == round(pair["share"]["value"] * 96)
    assert doc["alpha"]["ci_lo"] <= 0.48 <= doc["alpha"]["ci_hi"] and doc["alpha"]["decisions"] == 192
    assert doc["against_reference"] == [pair] and doc["void_ballots"] == 0
    table = arena_cli("judges", "agreement", "--tournament", "t", "--collection", "r2", db=db)
    assert table.returncode == 0, table.stderr
    text = table.stdout
    assert "Agreement between judges · tournament t and collection r2" in text
    assert f"{pair['share']['value']:.2f} [{pair['share']['ci_lo']:.2f}, {pair['share']['ci_hi']:.2f}]" in text
    assert f"{pair['kappa']['value']:+.2f} [{pair['kappa']['ci_lo']:+.2f}, {pair['kappa']['ci_hi']:+.2f}]" in text
    assert "Krippendorff's α (nominal) over 96 debates" in text and "192 decisions" in text
    html = arena_cli("leaderboard", "--tournament", "t", "--format", "html", db=db).stdout
    assert "<h2>Judges: agreement</h2>" in html and "on tournament t and collection r2" in html
    assert f"<td>96</td><td>{pair['agree']}</td><td>{pair['share']['value']:.2f} <small>" in html
    assert "Krippendorff&#x27;s α (nominal) over 96 debates" in html
    unknown = arena_cli("judges", "agreement", "--collection", "r3", db=db)
    assert unknown.returncode == 2 and "no such collection" in unknown.stderr
    wrong = arena_cli("judges", "agreement", "--collection", "r2", "--reference", "sim/j9", db=db)
    assert wrong.returncode == 2 and "expected one of sim/j1?consensus=0.9, sim/j2?consensus=0.8" in wrong.stderr
    out = arena_cli("rejudge", "--tournament", "t", "--judge", "sim/j3", "--into", "r4", db=db)
    hint = arena_cli("judges", "agreement", "--tournament", "t", db=db)  # every re-judging named, not the first
    assert hint.returncode == 2 and "add --collection r2 (its re-judging; its other re-judgings: r4)" in hint.stderr


def test_long_judge_names_are_fitted_not_folded_mid_word_at_80_columns(db_path) -> None:
    """At 80 columns a simulated judge's options did not fit and Rich folded the name
    mid-word (`sim/j2?positi|on_bias=0.3`): now each name is whole or shortened by the one
    display rule (model_names.fitted_names), on one line, and a shortened name is given in
    full once under the tables. At 120 columns nothing is shortened."""
    from click.testing import CliRunner

    from arena.cli import cli

    def run(*args: str, width: int = 80):
        result = CliRunner().invoke(
            cli, list(args), terminal_width=width, env={"COLUMNS": str(width)}, catch_exceptions=False
        )
        assert result.exit_code == 0, result.output
        return result.stdout

    players = "sim/a?skill=0.9,sim/b?skill=0.5,sim/c?skill=0.2"
    run("tournament", "run", "--name", "spring", "--players", players, "--judge", "sim/j1", "--rounds", "4")
    run("rejudge", "--judge", "sim/j2?position_bias=0.3", "--tournament", "spring", "--into", "spring-j2")
    text = run("judges", "agreement", "--collection", "spring-j2", "--reference", "sim/j1")
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80
    rows = [line for line in lines if line.startswith("│")]
    assert len(rows) == 2  # one row a pair, none folded onto a second line
    assert rows[0].split("│")[1].strip() == "sim/j1"
    shown = rows[0].split("│")[2].strip()
    assert shown != "sim/j2?position_bias=0.3" and shown.endswith("…") and shown.startswith("j2?position")
    assert f"Judges in full: {shown} = sim/j2?position_bias=0.3." in " ".join(text.split())
    wide = run("judges", "agreement", "--collection", "spring-j2", "--reference", "sim/j1", width=120)
    assert "│ sim/j1 │ sim/j2?position_bias=0.3 │ 24 │" in wide and "in full" not in wide
