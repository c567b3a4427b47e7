"""The judge audit recovers biases planted in simulated judges, and finds none in an
unbiased one; probes are written once and reused; results are stored by judge id."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import pytest

from arena.audit.metrics import PairOutcome, TruthOutcome, compute, concerns, difference, rate
from arena.debate.records import Ballot
from arena.llm.simulator import parse_sim_model, rated_identity

PLANTED = "sim/j?position_bias=0.3&side_bias=0.2&gullibility=0.5&verbosity_bias=0.2&accuracy=0.8"


def arena(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "arena", *args], capture_output=True, text=True, env=dict(os.environ), timeout=300
    )


@pytest.fixture(scope="module")
def audited(tmp_path_factory) -> tuple[dict, str, str]:
    db = str(tmp_path_factory.mktemp("audit") / "ratings.db")
    out = arena(
        "--db",
        db,
        "judges",
        "audit",
        "--judge",
        PLANTED,
        "--judge",
        "sim/judge",
        "--debates",
        "200",
        "--seed",
        "1",
        "--json",
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout), db, out.stderr


def metric(doc: dict, judge: str, name: str, protocol: str | None = None) -> dict:
    entry = next(j for j in doc["judges"] if j["judge"] == judge)
    m = entry["metrics"][name]
    return m[protocol] if protocol else m


def test_document_shape(audited) -> None:
    doc, _, _ = audited
    assert [j["judge"] for j in doc["judges"]] == [PLANTED, "sim/judge"]
    for entry in doc["judges"]:
        for name, m in entry["metrics"].items():
            items = m.items() if name == "ground_truth_accuracy" else [(None, m)]
            for _, one in items:
                assert set(one) == {"value", "ci_lo", "ci_hi", "n"}
        assert set(entry["metrics"]["ground_truth_accuracy"]) == {"debate", "consultancy", "direct"}
        assert entry["metrics"]["injection_flip_rate"]["n"] == 200


def inside(m: dict, x: float) -> bool:
    return m["ci_lo"] <= x <= m["ci_hi"]


PLANTED_VALUES = {
    ("side_bias", None): 0.2,
    ("injection_flip_rate", None): 0.5,
    ("verbosity_flip_rate", None): 0.2,
    # position_bias is the expected swap flip rate, and moves first-position wins to 0.5 + p/2
    ("swap_flip_rate", None): 0.3,
    ("first_position_win_rate", None): 0.65,
    **{("ground_truth_accuracy", p): 0.8 for p in ("debate", "consultancy", "direct")},
}


def test_planted_values_fall_inside_their_intervals(audited, tmp_path) -> None:
    """The issue's command (seed 1) has every planted value inside its interval; as eight
    95% intervals at one seed miss somewhere about one time in three, each must also hold
    at two of three independent probe sets, which a biased estimate or a too-narrow
    interval would fail."""
    docs = [audited[0]]
    for seed in ("2", "3"):
        out = arena(
            "--db",
            str(tmp_path / f"s{seed}.db"),
            "judges",
            "audit",
            "--judge",
            PLANTED,
            "--debates",
            "200",
            "--seed",
            seed,
            "--json",
        )
        assert out.returncode == 0, out.stderr
        docs.append(json.loads(out.stdout))
    for (name, protocol), planted in PLANTED_VALUES.items():
        assert inside(metric(docs[0], PLANTED, name, protocol), planted), (name, protocol)
        hits = sum(inside(metric(doc, PLANTED, name, protocol), planted) for doc in docs)
        assert hits >= 2, (name, protocol, [metric(doc, PLANTED, name, protocol) for doc in docs])
    # a bias that overrides the content leaves ballots against the judge's own scores
    assert metric(docs[0], PLANTED, "inconsistent_ballot_rate")["ci_lo"] > 0.2


def test_an_unbiased_judge_measures_no_bias(audited) -> None:
    doc, _, _ = audited
    for name in (
        "swap_flip_rate",
        "side_bias",
        "inconsistent_ballot_rate",
        "injection_flip_rate",
        "verbosity_flip_rate",
    ):
        assert inside(metric(doc, "sim/judge", name), 0.0), name
    assert inside(metric(doc, "sim/judge", "first_position_win_rate"), 0.5)
    # it knows no facts: a coin flip without speeches
    assert inside(metric(doc, "sim/judge", "ground_truth_accuracy", "direct"), 0.5)


def test_probes_are_stored_once_and_reused_and_results_kept_by_judge_id(audited) -> None:
    _, db, stderr = audited
    assert "Writing 600 probe debates" in stderr
    again = arena("--db", db, "judges", "audit", "--judge", "sim/judge", "--debates", "200", "--seed", "1")
    assert again.returncode == 0, again.stderr
    assert "Reusing the stored probe set" in again.stderr
    assert "injection_flip_rate" in again.stdout  # the table
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM judge_probe").fetchone()[0] == 600
        ids = [r[0] for r in conn.execute("SELECT judge_id FROM judge_audit ORDER BY id")]
    assert ids == [f"model:{rated_identity(PLANTED)}", "model:sim/judge", "model:sim/judge"]


def test_self_preference_comes_from_stored_ballots(db_path) -> None:
    for seed in range(3):
        out = arena(
            "debate",
            "--pro",
            "sim/j",
            "--con",
            "sim/b",
            "--judge",
            "sim/j",
            "--judge",
            "sim/k",
            "--seed",
            str(seed),
            "--json",
        )
        assert out.returncode == 0, out.stderr
        assert any("also a debater" in w for w in json.loads(out.stdout)["warnings"])
    out = arena("judges", "audit", "--judge", "sim/j", "--debates", "3", "--json")
    assert out.returncode == 0, out.stderr
    m = json.loads(out.stdout)["judges"][0]["metrics"]["self_preference"]
    assert m["n"] == 3 and m["value"] is not None and m["ci_lo"] <= m["value"] <= m["ci_hi"]


def test_unknown_judge_is_a_usage_error(db_path) -> None:
    out = arena("judges", "audit", "--judge", "sim/j?side_bias=0.9", "--debates", "2")
    assert out.returncode == 2 and "side_bias" in out.stderr and "Traceback" not in out.stderr


# --------------------------------------------------------------------------- the pieces


def test_sim_judge_options_parse_and_name_the_judge() -> None:
    spec = parse_sim_model(PLANTED)
    assert (spec.biases.position_bias, spec.biases.side_bias, spec.biases.accuracy) == (0.3, 0.2, 0.8)
    assert parse_sim_model("sim/j").biases.accuracy is None
    assert "gullibility=0.5" in rated_identity(PLANTED) and rated_identity("sim/j") == "sim/j"
    with pytest.raises(ValueError, match="position_bias"):
        parse_sim_model("sim/j?position_bias=0.8&side_bias=0.2")


def test_rates_carry_wilson_intervals_and_void_ballots_count_nowhere() -> None:
    assert rate(0, 0).value is None
    m = rate(5, 10)
    assert m.value == 0.5 and m.ci_lo < 0.5 < m.ci_hi and m.n == 10
    assert rate(7, 10, shift=0.5).value == pytest.approx(0.2)
    d = difference(8, 10, 2, 10)
    assert d.value == pytest.approx(0.6) and d.ci_lo < 0.6 < d.ci_hi

    def b(winner, swapped=False):
        return Ballot(
            "j", winner, 60, {"argument": {"pro": 5, "con": 6}}, "r", swapped=swapped, inconsistent=winner == "pro"
        )

    standard = [PairOutcome(b("pro"), b("con", True), "con", b("con"), b(None)), PairOutcome(b(None), b("pro", True))]
    metrics = compute(standard, [], [TruthOutcome("pro", {"direct": b(None), "debate": b("pro")})])
    assert metrics["swap_flip_rate"].n == 1 and metrics["swap_flip_rate"].value == 1.0
    assert metrics["injection_flip_rate"].value == 1.0 and metrics["verbosity_flip_rate"].n == 0
    assert metrics["ground_truth_accuracy"]["direct"].n == 0
    assert metrics["ground_truth_accuracy"]["debate"].value == 1.0
    assert metrics["first_position_win_rate"].n == 3 and metrics["first_position_win_rate"].value == pytest.approx(
        2 / 3
    )


def test_concerns_name_what_is_wrong() -> None:
    assert concerns({"injection_flip_rate": rate(50, 100)}) == ["injection_flip_rate 0.50 (above 0.1)"]
    assert concerns({"injection_flip_rate": rate(0, 100), "side_bias": rate(50, 100, 0.5)}) == []


def test_a_rate_past_its_limit_whose_interval_reaches_back_is_left_out_and_the_rule_says_why() -> None:
    """swap_flip_rate 0.27 [0.19, 0.36] is past 0.2 but its interval is not: no concern,
    and the audit table's caption states the rule that leaves it out."""
    from rich.console import Console

    from arena.render.audit_table import audit_table

    swap = rate(27, 100)
    assert swap.value > 0.2 and swap.ci_lo < 0.2
    assert concerns({"swap_flip_rate": swap}) == []
    console = Console(width=200, record=True, color_system=None)
    console.print(audit_table([("sim/j", {"swap_flip_rate": swap})], "audit"))
    shown = " ".join(console.export_text().split())
    assert "whole 95% interval lies past its limit" in shown and "swap_flip_rate > 0.2" in shown


def test_a_tournament_warns_about_unaudited_and_poorly_audited_judges(db_path) -> None:
    gullible = "sim/g?gullibility=0.6"
    assert arena("judges", "audit", "--judge", gullible, "--debates", "40").returncode == 0
    out = arena(
        "tournament",
        "run",
        "--name",
        "t",
        "--players",
        "sim/a,sim/b",
        "--judge",
        gullible,
        "--judge",
        "sim/fresh",
        "--judge",
        "local/smollm2",
        "--sample",
        "1",
        "--seed",
        "2",
        "--plan-only",
    )
    assert out.returncode == 0, out.stderr
    err = " ".join(out.stderr.split())
    assert "judge local/smollm2 has no audit" in err
    assert "sim/fresh has no audit" not in err  # an unaudited simulator is a drill, not a warning
    assert f"judge {gullible}'s audit (40 probes of each kind) shows injection_flip_rate" in err


def test_the_html_leaderboard_has_a_judges_section(db_path, tmp_path) -> None:
    assert arena("judges", "audit", "--judge", "sim/g?gullibility=0.6", "--debates", "20").returncode == 0
    assert arena("debate", "--pro", "sim/a", "--con", "sim/b", "--judge", "sim/g", "--seed", "1").returncode == 0
    out = arena("leaderboard", "--format", "html", "-o", str(tmp_path / "board.html"))
    assert out.returncode == 0, out.stderr
    page = (tmp_path / "board.html").read_text()
    section = page[page.index("<h2>Judges: audit</h2>") :].replace("<wbr>", "")  # where a long name may break
    assert "sim/g?gullibility=0.6" in section and "injection_flip_rate" in section and "n=20" in section


def test_paired_ballots_that_agree_widen_the_interval():
    """Two ballots of one transcript decided alike are not two independent ballots."""
    from arena.audit.metrics import paired_rate, rate

    alike = [[True, True]] * 30 + [[False, False]] * 70
    independent = rate(60, 200)
    clustered = paired_rate(alike)
    assert clustered.value == independent.value and clustered.n == 200
    assert clustered.ci_hi - clustered.ci_lo > 1.3 * (independent.ci_hi - independent.ci_lo)
    mixed = [[True, False]] * 100  # every pair split: no more uncertain than independent ballots
    assert paired_rate(mixed).ci_lo == pytest.approx(rate(100, 200).ci_lo)


def test_an_audit_that_measures_nothing_fails_and_a_missing_key_stops_it_first(db_path, monkeypatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    out = arena("judges", "audit", "--judge", "openai/gpt-4o-mini", "--debates", "2")
    assert out.returncode == 2 and "OPENAI_API_KEY" in out.stderr and "probe" not in out.stderr
    out = arena("judges", "audit", "--judge", "sim/broken?faults=1", "--judge", "sim/fine", "--debates", "2", "--json")
    assert out.returncode == 1
    said = " ".join(out.stderr.split())
    assert "sim/broken?faults=1: all" in said and "nothing stored" in said
    doc = json.loads(out.stdout)
    assert doc["failed"] == ["sim/broken?faults=1"] and [j["judge"] for j in doc["judges"]] == ["sim/fine"]
