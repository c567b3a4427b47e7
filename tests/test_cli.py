"""The CLI contract: exit codes, JSON on stdout only, no tracebacks for user mistakes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def arena(*args: str, env: dict | None = None, cwd: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "arena", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        timeout=120,
    )


def test_help_does_not_import_litellm_or_textual():
    code = (
        "import sys, runpy\n"
        "sys.argv = ['arena', '--help']\n"
        "try:\n    runpy.run_module('arena', run_name='__main__')\n"
        "except SystemExit as e:\n    assert e.code in (0, None)\n"
        "assert 'litellm' not in sys.modules, 'litellm imported'\n"
        "assert 'textual' not in sys.modules, 'textual imported'\n"
        "assert 'scipy' not in sys.modules and 'numpy' not in sys.modules, 'numpy/scipy imported'\n"
        "print('clean')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "clean" in out.stdout and "Debate Arena" in out.stdout


def test_help_lists_first_steps_first_on_complete_lines():
    from click.testing import CliRunner

    from arena.cli import cli

    out = CliRunner().invoke(cli, ["--help"], terminal_width=80)
    assert out.exit_code == 0
    listed = out.output.split("Commands:", 1)[1].splitlines()
    names = [line.split()[0] for line in listed if line.strip()]
    assert names[:4] == ["demo", "debate", "tournament", "leaderboard"]
    assert len(names) == 16 and "import" in names and "calls" in names and "rejudge" in names and "group" in names
    assert not any(line.endswith("...") for line in listed)  # no summary cut off at 80 columns
    assert all(len(line) <= 80 for line in out.output.splitlines())


def test_debate_json_document(db_path):
    out = arena("debate", "--pro", "sim/a", "--con", "sim/b", "--judge", "sim/j", "--seed", "11", "--json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    for key in (
        "id",
        "motion",
        "format",
        "pro",
        "con",
        "speeches",
        "bets",
        "round_scores",
        "ballots",
        "verdict",
        "rating_changes",
        "usage",
    ):
        assert key in doc
    assert set(doc["motion"]) >= {"id", "text", "category"}
    speech = doc["speeches"][0]
    assert set(speech) >= {
        "index",
        "side",
        "stage",
        "text",
        "words",
        "tokens_in",
        "tokens_out",
        "cost",
        "latency_s",
        "model",
    }
    assert set(doc["bets"][0]) >= {"after_speech", "side", "amount"}
    assert set(doc["round_scores"][0]) >= {"judge", "round", "pro", "con"}
    assert set(doc["ballots"][0]) >= {"judge", "winner", "confidence", "scores", "swapped"}
    assert doc["verdict"]["winner"] in ("pro", "con", "tie")
    assert set(doc["rating_changes"]) == {"model:sim/a", "model:sim/b"}
    # what was printed is what was stored
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        winner, status = conn.execute("SELECT winner, status FROM debate WHERE id = ?", (doc["id"],)).fetchone()
        texts = [
            r[0] for r in conn.execute('SELECT text FROM speech WHERE debate_id = ? ORDER BY "index"', (doc["id"],))
        ]
    assert (winner, status) == (doc["verdict"]["winner"], "finished")
    assert texts == [s["text"] for s in doc["speeches"]]


def test_same_seed_same_debate(db_path):
    a = json.loads(
        arena("debate", "--pro", "sim/a", "--con", "sim/b", "--judge", "sim/j", "--seed", "3", "--json").stdout
    )
    b = json.loads(
        arena("debate", "--pro", "sim/a", "--con", "sim/b", "--judge", "sim/j", "--seed", "3", "--json").stdout
    )
    assert [s["text"] for s in a["speeches"]] == [s["text"] for s in b["speeches"]]
    assert a["motion"] == b["motion"]


def test_fake_api_key_never_leaks(db_path, tmp_path):
    secret = "sk-test-NEVER-STORE-ME-1234567890"
    out = arena(
        "debate",
        "--pro",
        "sim/a",
        "--con",
        "sim/b",
        "--judge",
        "sim/j",
        "--json",
        env={"OPENAI_API_KEY": secret, "ANTHROPIC_API_KEY": secret},
    )
    assert out.returncode == 0
    models = arena("models", "--json", env={"OPENAI_API_KEY": secret})
    for text in (out.stdout, out.stderr, models.stdout, models.stderr):
        assert secret not in text
    for path in Path(db_path).parent.glob("ratings.db*"):
        assert secret.encode() not in path.read_bytes()


def test_unknown_motion_is_a_usage_error_without_traceback(db_path):
    out = arena("debate", "--motion", "no-such-motion", "--pro", "sim/a", "--con", "sim/b")
    assert out.returncode == 2
    assert "Traceback" not in out.stderr and "no-such-motion" in out.stderr


def test_bad_sim_option_is_a_usage_error(db_path):
    out = arena("debate", "--pro", "sim/a?skil=0.5", "--con", "sim/b")
    assert out.returncode == 2 and "Traceback" not in out.stderr and "skil" in out.stderr


def test_bad_config_names_file_and_line(db_path, tmp_path):
    (tmp_path / "arena.toml").write_text('[participant.x]\nmodel = "sim/x"\ntemprature = 0.3\n')
    out = arena("models", cwd=str(tmp_path))
    assert out.returncode == 2
    assert "arena.toml:3" in out.stderr and "temprature" in out.stderr and "Traceback" not in out.stderr


def test_config_refuses_keys(db_path, tmp_path):
    (tmp_path / "arena.toml").write_text('[participant.x]\nmodel = "openai/gpt-4o"\napi_key = "sk-x"\n')
    out = arena("models", cwd=str(tmp_path))
    assert out.returncode == 2 and "environment" in out.stderr


def test_config_participant_has_its_own_id(db_path, tmp_path):
    (tmp_path / "arena.toml").write_text(
        '[participant.calm]\nmodel = "sim/x"\ntemperature = 0.2\npersona = "calm"\n'
        '[participant.plain]\nmodel = "sim/x"\n'
    )
    out = arena("models", "--json", cwd=str(tmp_path))
    ids = {m["name"]: m["participant_id"] for m in json.loads(out.stdout)["models"]}
    assert ids["plain"] == "model:sim/x"
    assert ids["calm"].startswith("model:sim/x~calm-") and ids["calm"] != ids["plain"]


def test_motions_list_json():
    out = arena("motions", "list", "--json")
    motions = json.loads(out.stdout)
    assert len(motions) >= 60
    assert {m["category"] for m in motions} == {"fact", "value", "policy"}
    one = arena("motions", "show", motions[0]["id"], "--json")
    assert json.loads(one.stdout)["id"] == motions[0]["id"]


def test_leaderboard_and_show_after_debates(db_path):
    out = arena("debate", "--pro", "sim/a", "--con", "sim/b", "--judge", "sim/j", "--json")
    debate_id = json.loads(out.stdout)["id"]
    board = arena("leaderboard", "--system", "elo")
    assert board.returncode == 0 and "sim/a" in board.stdout and "model:sim/a" not in board.stdout
    shown = arena("show", debate_id[:6], "--format", "md")
    assert shown.returncode == 0 and "## Verdict" in shown.stdout
    rebuilt = arena("ratings", "rebuild", "--check")
    assert rebuilt.returncode == 0 and "equal to" in rebuilt.stdout


@pytest.mark.parametrize("args", [["leaderboard"], ["leaderboard", "--format", "json"]])
def test_empty_leaderboard_is_friendly(db_path, args):
    out = arena(*args)
    assert out.returncode == 0 and "Traceback" not in out.stderr


def test_sim_fault_and_latency_options_do_not_make_a_new_participant():
    from arena.config import ModelSettings

    assert ModelSettings("sim/a?faults=0.2&latency=0.1").participant_id == "model:sim/a"
    assert ModelSettings("sim/a?skill=0.8&faults=0.1").participant_id == "model:sim/a?skill=0.8"


def test_the_judge_options_help_names_the_default_judges():
    from click.testing import CliRunner

    from arena.cli import cli as arena_cli

    for command in (["debate"], ["tournament", "run"]):
        shown = " ".join(CliRunner().invoke(arena_cli, [*command, "--help"]).output.split())
        assert "Default: arena.toml's [defaults] judges, else sim/judge-1 when every debater is simulated" in shown
        assert "else the embedded model (local/smollm2" in shown
