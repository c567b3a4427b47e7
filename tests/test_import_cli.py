"""`arena import overconfidence DIR`, end to end through the CLI.

The fixture folder is written here in the study's schema (pradyuprasad/llms_overconfidence:
motion.topic_description, debate_type, proposition_output.speeches, judge_results,
debator_bets). Three debates and one broken file:

    cross/a_vs_b_20250316_160017.json       private_bet  A vs B  judges pro, pro, con -> pro
        pro 60 70 80                        con 70 75 75
    self/c_vs_self_20250503_142712.json     private_same_debator  C vs C  judge con -> con
        pro 55 65 76                        con 60 70 78
    informed/c_vs_self_20250503_165553.json private_same_debator_informed  C vs C  no judges
        pro 50 55 50                        con 50 50 50
    broken.json                             not JSON: reported, skipped

`tests/test_confidence_cli.py` computes the statistics of the same folder by hand.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from arena.cli import cli

TOPIC = "This House would require national broadcasters to give equal prime-time coverage"
STAGES = ("opening", "rebuttal", "closing")
A, B, C = "openai/gpt-4o-mini", "qwen/qwen-max", "google/gemma-3-27b-it"


def study_debate(debate_type: str, pro: str, con: str, pro_bets, con_bets, judges=()) -> dict:
    """One debate as the study writes it; `judges` are (model, winner side, confidence)."""
    bets = []
    for stage, p, c in zip(STAGES, pro_bets, con_bets):
        bets.append({"side": "proposition", "speech_type": stage, "amount": p, "thoughts": "I am ahead."})
        bets.append({"side": "opposition", "speech_type": stage, "amount": c, "thoughts": "I am ahead."})
    return {
        "motion": {"topic_description": TOPIC},
        "debate_type": debate_type,
        "path_to_store": "experiments/x.json",
        "proposition_model": pro,
        "opposition_model": con,
        "proposition_output": {"side": "proposition", "speeches": {s: f"Pro {s} speech." for s in STAGES}},
        "opposition_output": {"side": "opposition", "speeches": {s: f"Con {s} speech." for s in STAGES}},
        "judge_models": [j[0] for j in judges],
        "judge_results": [
            {"model": model, "winner": winner, "confidence": conf, "logic": "..."} for model, winner, conf in judges
        ],
        "debator_bets": bets,
    }


STUDY = {
    "cross/a_vs_b_20250316_160017.json": study_debate(
        "private_bet",
        A,
        B,
        [60, 70, 80],
        [70, 75, 75],
        judges=[("j/one", "proposition", 70), ("j/two", "proposition", 60), ("j/three", "opposition", 90)],
    ),
    "self/c_vs_self_20250503_142712.json": study_debate(
        "private_same_debator",
        C,
        C,
        [55, 65, 76],
        [60, 70, 78],
        judges=[("j/one", "opposition", 80)],
    ),
    "informed/c_vs_self_20250503_165553.json": study_debate(
        "private_same_debator_informed",
        C,
        C,
        [50, 55, 50],
        [50, 50, 50],
    ),
}


def write_study_folder(root: Path, broken: bool = True) -> Path:
    for rel, data in STUDY.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    if broken:
        (root / "broken.json").write_text("{not json", encoding="utf-8")
    return root


def run(db: str, *args: str):
    result = CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)
    return result


@pytest.fixture
def db(tmp_path: Path, monkeypatch) -> str:
    monkeypatch.chdir(tmp_path)  # no stray arena.toml from the checkout
    monkeypatch.delenv("ARENA_DB", raising=False)
    return str(tmp_path / "ratings.db")


@pytest.fixture
def study(tmp_path: Path) -> Path:
    return write_study_folder(tmp_path / "experiments")


def test_import_reports_the_broken_file_and_imports_the_rest(db, study):
    result = run(db, "import", "overconfidence", str(study))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""  # progress and problems go to stderr
    assert "4 files: 3 imported into 'overconfidence', 0 skipped (already imported), 1 problems" in result.stderr
    assert f"problem: {study / 'broken.json'}: not valid JSON" in result.stderr
    assert "cross-model 1, informed 1, self 1" in result.stderr


def test_reimport_skips_what_is_stored(db, study):
    first = run(db, "import", "overconfidence", str(study), "--json")
    assert first.exit_code == 0
    doc = json.loads(first.stdout)
    assert (doc["files"], doc["imported"], doc["skipped"]) == (4, 3, 0)
    assert [p["path"] for p in doc["problems"]] == [str(study / "broken.json")]

    again = run(db, "import", "overconfidence", str(study), "--json")
    assert again.exit_code == 0
    doc = json.loads(again.stdout)
    assert (doc["files"], doc["imported"], doc["skipped"], len(doc["problems"])) == (4, 0, 3, 1)

    import sqlite3

    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM debate WHERE collection = 'overconfidence'").fetchone() == (3,)
        assert conn.execute("SELECT count(*) FROM bet").fetchone() == (18,)
        assert conn.execute("SELECT count(*) FROM ballot").fetchone() == (4,)

    # one new file: only it is imported
    extra = study / "extra_20250601_120000.json"
    extra.write_text(json.dumps(study_debate("private_bet", A, C, [70, 70, 70], [60, 60, 60])), encoding="utf-8")
    third = run(db, "import", "overconfidence", str(study))
    assert third.exit_code == 0
    assert "5 files: 1 imported into 'overconfidence', 3 skipped (already imported), 1 problems" in third.stderr


def test_the_same_files_may_fill_a_second_collection(db, study):
    assert run(db, "import", "overconfidence", str(study)).exit_code == 0
    other = run(db, "import", "overconfidence", str(study / "self"), "--collection", "self-only")
    assert other.exit_code == 0
    assert "1 files: 1 imported into 'self-only', 0 skipped" in other.stderr
    assert (
        "0 imported into 'self-only', 1 skipped"
        in run(db, "import", "overconfidence", str(study / "self"), "--collection", "self-only").stderr
    )

    import sqlite3

    with sqlite3.connect(db) as conn:
        rows = dict(conn.execute("SELECT collection, count(*) FROM debate GROUP BY collection").fetchall())
    assert rows == {"overconfidence": 3, "self-only": 1}


def test_import_never_touches_the_arenas_ratings(db, study):
    from arena.store.store import Store

    played = run(db, "debate", "--pro", "sim/a", "--con", "sim/b", "--judge", "sim/j", "--seed", "3", "--json")
    assert played.exit_code == 0, played.output
    store = Store(db)
    before = {p: (r.elo, r.ts_mu, r.ts_sigma, r.debates) for p, r in store.rating_states().items()}
    log_before = store.match_log()
    assert set(before) == {"model:sim/a", "model:sim/b"}

    assert run(db, "import", "overconfidence", str(study)).exit_code == 0

    after = {p: (r.elo, r.ts_mu, r.ts_sigma, r.debates) for p, r in store.rating_states().items()}
    assert after == before
    assert store.match_log() == log_before
    from arena.store.queries import participants

    # the imported debaters are known participants, but have no arena rating
    assert {f"model:{m}" for m in (A, B, C)} <= {p.id for p in participants(store)}
    with store.session() as session:
        from sqlmodel import func, select

        from arena.store import tables as t

        assert session.exec(select(func.count()).select_from(t.RatingChange)).one() == 2
    # the imported collection rates on its own; C debating itself says nothing of its strength
    assert [m.model_a for m in store.match_log(collection="overconfidence")] == [f"model:{A}"]


def test_condition_override(db, study):
    result = run(db, "import", "overconfidence", str(study), "--condition", "public", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["conditions"] == {"public": 3}


def test_exit_codes(db, tmp_path):
    missing = run(db, "import", "overconfidence", str(tmp_path / "nowhere"))
    assert missing.exit_code == 2
    assert "no such file or directory" in missing.stderr

    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "one.json").write_text("[1, 2]", encoding="utf-8")
    (bad / "two.json").write_text("{", encoding="utf-8")
    failed = run(db, "import", "overconfidence", str(bad))
    assert failed.exit_code == 1
    assert "2 files: 0 imported" in failed.stderr and failed.stderr.count("problem: ") == 2

    empty = tmp_path / "empty"
    empty.mkdir()
    nothing = run(db, "import", "overconfidence", str(empty))
    assert nothing.exit_code == 0
    assert "no *.json files" in nothing.stderr

    into_arena = run(db, "import", "overconfidence", str(bad), "--collection", "arena")
    assert into_arena.exit_code == 2
    assert "arena" in into_arena.stderr


def test_a_single_file_imports(db, study):
    result = run(db, "import", "overconfidence", str(study / "cross" / "a_vs_b_20250316_160017.json"), "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["imported"] == 1
