"""`arena confidence` and the leaderboard's calibration column, end to end through the CLI.

The imported folder is the one `tests/test_import_cli.py` writes (three study debates and
a broken file). Its numbers, by hand (verdicts: cross -> pro, self -> con, informed none):

    stage      cross A|B   self C|C   informed C|C   mean of six
    opening     60 | 70    55 | 60     50 | 50       345/6 = 57.5
    rebuttal    70 | 75    65 | 70     55 | 50       385/6 = 64.17
    closing     80 | 75    76 | 78     50 | 50       409/6 = 68.17

    escalation (closing - opening): 20, 5, 21, 18, 0, 0 -> 64/6 = 10.67
    final pairs (80,75) (76,78) (50,50): both > 75: 1/3; both >= 75: 2/3; sum > 100: 2/3
    Brier, judged bets only (cross and self):
      opening  (.6-1)² .16 + (.7-0)² .49 + (.55-0)² .3025 + (.6-1)² .16  -> 1.1125/4 = .278125
      rebuttal .09 + .5625 + .4225 + .09                                 -> 1.165/4  = .29125
      closing  .04 + .5625 + .5776 + .0484                               -> 1.2285/4 = .307125
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from pytest import approx
from test_import_cli import A, B, C, run, write_study_folder


@pytest.fixture
def db(tmp_path: Path, monkeypatch) -> str:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ARENA_DB", raising=False)
    return str(tmp_path / "ratings.db")


@pytest.fixture
def imported(db: str, tmp_path: Path) -> str:
    folder = write_study_folder(tmp_path / "experiments")
    result = run(db, "import", "overconfidence", str(folder), "--collection", "study")
    assert result.exit_code == 0, result.output
    return db


def confidence_json(db: str, *args: str) -> dict:
    result = run(db, "confidence", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # stdout holds the JSON and nothing else


def test_overall_numbers_equal_the_hand_computation(imported):
    doc = confidence_json(imported, "--collection", "study")
    s = doc["overall"]
    assert s["debates"] == 3 and s["bets"] == 18 and s["missing_bets"] == 0
    assert list(s["mean_bet_by_stage"]) == ["opening", "rebuttal", "closing"]
    assert s["mean_bet_by_stage"] == approx({"opening": 57.5, "rebuttal": 385 / 6, "closing": 409 / 6})
    assert s["escalation"] == approx(64 / 6)
    assert s["escalation_n"] == 6
    assert s["mutual_n"] == 3
    assert s["mutual_gt75"] == approx(1 / 3)
    assert s["mutual_ge75"] == approx(2 / 3)
    assert s["sum_over_100"] == approx(2 / 3)
    assert s["brier_by_stage"] == approx({"opening": 0.278125, "rebuttal": 0.29125, "closing": 0.307125})
    assert s["mean_bet_winners"] == approx(418 / 6)  # cross pro 60 70 80, self con 60 70 78
    assert s["mean_bet_losers"] == approx(416 / 6)  # cross con 70 75 75, self pro 55 65 76
    assert s["win_rate"] == approx(0.5)
    assert s["overconfidence_index"] == approx(834 / 12 / 100 - 0.5)
    assert doc["filters"] == {"collection": "study", "participant": None, "condition": None, "tournament": None}


def test_by_condition_and_by_participant(imported):
    doc = confidence_json(imported, "--collection", "study")
    cond = doc["by_condition"]
    assert set(cond) == {"cross-model", "self", "informed"}
    assert cond["cross-model"]["mean_bet_by_stage"] == approx({"opening": 65, "rebuttal": 72.5, "closing": 77.5})
    assert cond["cross-model"]["escalation"] == approx(12.5)
    assert (cond["cross-model"]["mutual_gt75"], cond["cross-model"]["mutual_ge75"]) == (0.0, 1.0)
    assert cond["cross-model"]["brier_by_stage"] == approx({"opening": 0.325, "rebuttal": 0.32625, "closing": 0.30125})
    assert cond["self"]["mean_bet_by_stage"] == approx({"opening": 57.5, "rebuttal": 67.5, "closing": 77})
    assert cond["self"]["escalation"] == approx(19.5)
    assert cond["self"]["mutual_gt75"] == 1.0
    assert cond["self"]["brier_by_stage"] == approx({"opening": 0.23125, "rebuttal": 0.25625, "closing": 0.313})
    informed = cond["informed"]
    assert informed["mean_bet_by_stage"] == approx({"opening": 50, "rebuttal": 52.5, "closing": 50})
    assert informed["escalation"] == 0.0
    assert (informed["mutual_gt75"], informed["mutual_ge75"], informed["sum_over_100"]) == (0.0, 0.0, 0.0)
    # no verdict: null Brier scores, never a guess
    assert informed["brier_by_stage"] == {"opening": None, "rebuttal": None, "closing": None}

    part = doc["by_participant"]
    assert set(part) == {f"model:{A}", f"model:{B}", f"model:{C}"}
    assert part[f"model:{A}"]["brier"] == approx((0.16 + 0.09 + 0.04) / 3)
    assert part[f"model:{B}"]["brier"] == approx((0.49 + 0.5625 + 0.5625) / 3)
    assert part[f"model:{C}"]["brier"] == approx((0.3025 + 0.4225 + 0.5776 + 0.16 + 0.09 + 0.0484) / 6)
    assert part[f"model:{C}"]["mean_bet_by_stage"] == approx({"opening": 53.75, "rebuttal": 60, "closing": 63.5})
    assert part[f"model:{C}"]["mutual_gt75"] == 0.5  # both sides are C in the self and informed debates


def test_filters(imported):
    informed = confidence_json(imported, "--collection", "study", "--condition", "informed")
    assert informed["overall"]["debates"] == 1 and set(informed["by_condition"]) == {"informed"}

    only_a = confidence_json(imported, "--collection", "study", "--participant", A)  # "model:" may be left off
    assert set(only_a["by_participant"]) == {f"model:{A}"}
    assert only_a["overall"]["bets"] == 3
    assert only_a["overall"]["mean_bet_by_stage"] == {"opening": 60.0, "rebuttal": 70.0, "closing": 80.0}

    with sqlite3.connect(imported) as conn:
        conn.execute("UPDATE debate SET tournament = 'spring' WHERE condition = 'self'")
    spring = confidence_json(imported, "--collection", "study", "--tournament", "spring")
    assert spring["overall"]["debates"] == 1 and set(spring["by_condition"]) == {"self"}


def test_table_output(imported):
    result = run(imported, "confidence", "--collection", "study")
    assert result.exit_code == 0, result.output
    out = result.stdout
    for text in (
        "Confidence · collection study",
        "mean bet · opening",
        "57.5",
        "escalation",
        "+10.7",
        "both final bets > 75",
        "33.3%",
        "Brier · closing",
        "0.307",
        "By condition",
        "cross-model",
        "informed",
        "By participant",
        C,
        "Reliability",
    ):
        assert text in out, text


def test_an_empty_store_is_a_friendly_message_and_an_unknown_collection_a_usage_error(db):
    result = run(db, "confidence")
    assert result.exit_code == 0
    assert "No bets found for collection arena" in result.stdout
    doc = confidence_json(db)
    assert doc["overall"]["debates"] == 0 and doc["by_condition"] == {}
    # like `arena leaderboard --collection`: a name the store does not hold is a mistake
    result = run(db, "confidence", "--collection", "nothing")
    assert result.exit_code == 2
    assert "no such collection" in result.stderr and "arena" in result.stderr


def sim_debate(db: str, condition: str, seed: int) -> dict:
    result = run(
        db,
        "debate",
        "--pro",
        "sim/a",
        "--con",
        "sim/b",
        "--judge",
        "sim/j",
        "--condition",
        condition,
        "--seed",
        str(seed),
        "--json",
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_simulator_debates_by_condition_and_the_leaderboards_brier(imported):
    db = imported
    docs = [sim_debate(db, "informed", 1), sim_debate(db, "informed", 2), sim_debate(db, "private", 3)]
    doc = confidence_json(db)  # the arena's own collection by default
    assert set(doc["by_condition"]) == {"informed", "private"}
    assert doc["by_condition"]["informed"]["debates"] == 2
    assert doc["overall"]["debates"] == 3  # the imported study stays in its collection
    stages = list(dict.fromkeys(s["stage"] for s in docs[0]["speeches"]))  # the format's stage names
    assert list(doc["by_condition"]["informed"]["mean_bet_by_stage"]) == stages
    stated = [b["amount"] for d in docs[:2] for b in d["bets"] if b["amount"] is not None]
    assert doc["by_condition"]["informed"]["bets"] == len(stated)

    board = run(db, "leaderboard", "--format", "json", "--rounds", "20")
    assert board.exit_code == 0, board.output
    rows = {r["participant"]: r for r in json.loads(board.stdout)["rows"]}
    assert set(rows) == {"model:sim/a", "model:sim/b"}
    for participant, row in rows.items():
        assert row["brier"] == round(doc["by_participant"][participant]["brier"], 4)

    csv = run(db, "leaderboard", "--format", "csv", "--rounds", "20").stdout
    assert csv.splitlines()[0].endswith(",brier")
    table = run(db, "leaderboard", "--rounds", "20").stdout
    assert "Brier" in table

    # an imported collection's leaderboard is calibrated from its own bets
    study = run(db, "leaderboard", "--collection", "study", "--format", "json", "--rounds", "20")
    rows = {r["participant"]: r for r in json.loads(study.stdout)["rows"]}
    assert rows[f"model:{A}"]["brier"] == round((0.16 + 0.09 + 0.04) / 3, 4)
    assert rows[f"model:{B}"]["brier"] == round((0.49 + 0.5625 + 0.5625) / 3, 4)


def test_a_pipe_keeps_the_width_the_user_set_in_columns(imported, monkeypatch):
    """Piped, the report is 120 columns wide unless COLUMNS says otherwise."""
    widths = {}
    for columns in (None, "70"):
        if columns is None:
            monkeypatch.delenv("COLUMNS", raising=False)
        else:
            monkeypatch.setenv("COLUMNS", columns)
        result = run(imported, "confidence", "--collection", "study")
        assert result.exit_code == 0, result.output
        widths[columns] = max(len(line) for line in result.stdout.splitlines())
    assert 70 < widths[None] <= 120 and widths["70"] <= 70


def test_participants_are_shown_by_the_leaderboards_rule(db, tmp_path):
    """`diplomat` in arena.toml is `diplomat` here as on the leaderboard, never its
    `model:sim/x~diplomat-…` id; a plain model loses its implied `model:`."""
    (tmp_path / "arena.toml").write_text('[participant.diplomat]\nmodel = "sim/x"\npersona = "calm and polite"\n')
    played = run(db, "debate", "--pro", "diplomat", "--con", "sim/y", "--judge", "sim/j")
    assert played.exit_code == 0, played.output
    out = " ".join(run(db, "confidence").stdout.split())
    assert "diplomat" in out and "~diplomat-" not in out and "model:sim/y" not in out and "sim/y" in out
