"""The first hour on the command line (issue 16): `--json` everywhere, a tournament that
says who judges and how long it will take, an ETA that does not swing."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from arena.cli import cli
from arena.tournament.eta import EtaModel


def run(*args: str):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result


@pytest.fixture
def two_debates(db_path):
    for seed in ("1", "2"):
        assert (
            run("debate", "--pro", "sim/a", "--con", "sim/b", "--judge", "sim/j", "--seed", seed, "--json").exit_code
            == 0
        )
    return db_path


def test_leaderboard_and_show_take_json_like_every_other_command(two_debates):
    board = run("leaderboard", "--json", "--rounds", "20")
    assert board.exit_code == 0, board.output
    assert json.loads(board.stdout) == json.loads(run("leaderboard", "--format", "json", "--rounds", "20").stdout)
    listing = json.loads(run("tournament", "list", "--json").stdout)
    assert listing == []
    from arena.store.queries import list_debates
    from arena.store.store import Store

    debate_id = list_debates(Store(two_debates), limit=1)[0].id
    shown = run("show", debate_id, "--json")
    assert shown.exit_code == 0
    assert json.loads(shown.stdout)["id"] == debate_id
    assert json.loads(shown.stdout) == json.loads(run("show", debate_id, "--format", "json").stdout)


def test_json_and_another_format_is_a_usage_error(two_debates):
    result = run("leaderboard", "--json", "--format", "csv")
    assert result.exit_code == 2
    assert "--json and --format csv" in result.stderr


def test_a_tournament_without_judge_says_which_judge_and_how_long(db_path, local_speed_known):
    # a real debater: the default judge (simulated debaters get a simulated one: test_judge_default.py)
    result = run("tournament", "run", "--players", "sim/a,openai/gpt-4o-mini", "--sample", "1", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "judges: local/smollm2 (the default, as no --judge was given" in result.stdout
    assert "estimated time: ≈" in result.stdout and "local/smollm2 runs one call at a time" in result.stdout
    assert "an estimate from this machine's measured speed: local/smollm2 at 100 prompt" in " ".join(
        result.stdout.split()
    )


def test_a_real_run_prints_judges_and_time_before_it_starts(db_path):
    result = run(
        "tournament",
        "run",
        "--name",
        "t1",
        "--players",
        "sim/a,sim/b",
        "--sample",
        "1",
        "--judge",
        "sim/j?latency=0.01",
    )
    assert result.exit_code == 0, result.output
    err = result.stderr
    assert "judges: sim/j?latency=0.01" in err
    assert "estimated time: ≈00:00" in err
    assert err.index("estimated time") < err.index("debates planned")


def test_dry_run_json_has_the_time(db_path):
    result = run(
        "tournament",
        "run",
        "--players",
        "sim/a?latency=1,sim/b",
        "--sample",
        "1",
        "--judge",
        "sim/j",
        "--concurrency",
        "1",
        "--dry-run",
        "--json",
    )
    doc = json.loads(result.stdout)
    # sim/a speaks twice and bets twice in each of its two quick debates: 8 calls of 1 s, one at a time
    assert doc["time"] == {"seconds": 8.0, "unknown_speed": []}


def test_eta_costs_what_remains_by_its_players(monkeypatch):
    clock = [0.0]
    monkeypatch.setattr("arena.tournament.eta.time.perf_counter", lambda: clock[0])
    eta = EtaModel(concurrency=1)
    todo = {f"fast{i}": ("sim/a", "sim/b") for i in range(4)} | {
        f"slow{i}": ("local/smollm2", "sim/a") for i in range(4)
    }
    eta.plan(todo)
    assert eta.seconds_left() == (None, False)  # nothing measured: no guess
    for i in range(2):  # two instant debates
        eta.begin(f"fast{i}", "sim/a", "sim/b")
        clock[0] += 0.01
        eta.end(f"fast{i}")
    seconds, floor = eta.seconds_left()
    assert floor  # the slow model has not finished a debate yet: a floor, said as such
    eta.begin("slow0", "local/smollm2", "sim/a")
    clock[0] += 100.0
    eta.end("slow0")
    seconds, floor = eta.seconds_left()
    assert not floor
    # the fit: a + b = 0.01 and smollm2 + a = 100, so a fast pair stays fast and a slow one slow
    share = eta.shares()
    assert share["sim/a"] + share["sim/b"] == pytest.approx(0.01, abs=1e-3)
    assert share["local/smollm2"] + share["sim/a"] == pytest.approx(100.0, abs=1e-3)
    assert seconds == pytest.approx(2 * 0.01 + 3 * 100.0, rel=1e-3)
    # the naive estimate (elapsed / done × left) would say 100.02 / 3 × 5 ≈ 167 s


def test_a_team_tournament_plans_and_estimates(db_path):
    result = run(
        "tournament", "run", "--players", "sim/a,team:a4d@sim/b", "--sample", "1", "--judge", "sim/j", "--dry-run"
    )
    assert result.exit_code == 0, result.output
    assert "agent teams counted" in result.stdout


def test_tables_fit_80_columns_without_cutting_words(db_path, monkeypatch):
    import re

    monkeypatch.setenv("COLUMNS", "80")
    for name in ("spring-cup", "autumn-invitational"):
        assert (
            run(
                "tournament",
                "run",
                "--name",
                name,
                "--players",
                "sim/a,sim/b",
                "--sample",
                "1",
                "--judge",
                "sim/j",
                "--json",
            ).exit_code
            == 0
        )
    listing = run("tournament", "list").stdout
    assert all(len(line) <= 80 for line in listing.splitlines())
    assert "…" not in listing
    for name in ("spring-cup", "autumn-invitational"):
        row = next(line for line in listing.splitlines() if name in line)
        assert "finished" in row and "2/2" in row and re.search(r"\d\d-\d\d \d\d:\d\d", row)
    motions = run("motions", "list").stdout
    assert all(len(line) <= 80 for line in motions.splitlines()) and "…" not in motions
    assert "universal-basic-income" in motions
    shown = run("tournament", "show", "spring-cup").stdout
    assert all(len(line) <= 80 for line in shown.splitlines())
    assert "finished" in shown and "…" not in shown.split("Leaderboard")[0]


def test_a_debate_without_judge_says_who_judges(db_path, monkeypatch):
    # the embedded judge is not run here: a quick check of the line, then the debate is
    # judged by the simulator through arena.toml's defaults
    from pathlib import Path

    Path("arena.toml").write_text('[defaults]\njudges = ["sim/judge"]\n')
    result = run("debate", "--pro", "sim/a", "--con", "sim/b", "--json")
    assert result.exit_code == 0
    assert "judges: sim/judge (arena.toml's [defaults]; --judge overrides)" in result.stderr
    assert json.loads(result.stdout)["judges"] == ["sim/judge"]
    with_judge = run("debate", "--pro", "sim/a", "--con", "sim/b", "--judge", "sim/j", "--json")
    assert "judges:" not in with_judge.stderr


def test_demo_runs_end_to_end_on_any_model(db_path, monkeypatch):
    # the README's main job, rehearsed on the simulator (the embedded model's run is
    # the same code with model=local/smollm2, minutes instead of a second)
    monkeypatch.setenv("COLUMNS", "80")
    result = run("demo", "--model", "sim/x")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.count("Verdict") == 3 and out.count("Replay it: arena show ") == 3
    # participants by their demo names, not ids such as model:sim/x~logician-330a66
    assert "~" not in out and "model:" not in out
    assert "team:a4d@sim/x" in out and "against the same model alone, as logician" in out
    # its warnings are said on stderr, each once (the judge is the debaters' model, by design)
    assert result.stderr.count("warning: judge referee is also a debater") == 1
    # the team met a persona, so one comparison graph: no "component 1/2"
    assert "component" not in out
    debate_id = out.split("Replay it: arena show ", 1)[1].split()[0]
    assert run("show", debate_id, "--json").exit_code == 0
    from arena.store.queries import counts
    from arena.store.store import Store

    assert counts(Store(db_path))["finished"] == 3


def test_demo_on_a_hosted_model_without_key_stops_before_anything_runs(db_path, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    result = run("demo", "--model", "openai/gpt-4o-mini")
    assert result.exit_code == 2
    assert "OPENAI_API_KEY" in result.stderr and "Traceback" not in result.output


def test_named_participants_are_shown_by_name_while_debating_and_replaying(db_path, monkeypatch):
    from pathlib import Path

    monkeypatch.setenv("COLUMNS", "80")
    Path("arena.toml").write_text('[participant.alice]\nmodel = "sim/a"\npersona = "terse"\n')
    result = run("debate", "--pro", "alice", "--con", "sim/b", "--judge", "sim/j")
    assert result.exit_code == 0, result.output
    assert "Proposition opening · alice" in result.stdout and "alice (Proposition)" in result.stdout
    assert "~alice-" not in result.stdout  # the id with its settings hash stays out of sight
    debate_id = result.stdout.split("arena show ", 1)[1].split("`")[0]
    shown = run("show", debate_id).stdout
    assert "Proposition: alice (model:sim/a~alice-" in shown
    assert "Proposition: alice (`model:sim/a~alice-" in run("show", debate_id, "--format", "md").stdout


def test_models_lists_the_built_ins_and_fits_80_columns(db_path, monkeypatch):
    from pathlib import Path

    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    bare = run("models").stdout
    assert "Built in, no key needed:" in bare and "local/smollm2" in bare and "team:a4d@MODEL" in bare
    assert "participant id" not in bare  # no empty table without an arena.toml
    Path("arena.toml").write_text('[participant.calm]\nmodel = "openai/gpt-4o-mini"\npersona = "calm"\n')
    named = run("models").stdout
    assert all(len(line) <= 80 for line in named.splitlines())
    assert "model:openai/gpt-4o-mini~calm-" in named  # the id whole, not folded mid-word
    assert "OPENAI_API_KEY" in named


def test_models_says_a_local_server_needs_no_key(db_path, monkeypatch):
    from pathlib import Path

    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    Path("arena.toml").write_text(
        '[participant.my-vllm]\nmodel = "openai/Qwen2.5-7B-Instruct"\napi_base = "http://localhost:8000/v1"\n'
    )
    doc = json.loads(run("models", "--json").stdout)
    assert doc["models"][0]["key"] == "no key needed (server at api_base)"


def test_a_global_option_after_the_command_says_where_it_goes(db_path):
    result = run("leaderboard", "--db", "other.db")
    assert result.exit_code == 2
    assert "put it before the command" in result.output and "arena --db VALUE leaderboard" in result.output
    assert "Did you mean '--seed'" not in result.output


def test_study_order_refuses_an_unknown_collection(db_path):
    result = run("study", "order", "--collection", "nope")
    assert result.exit_code == 2 and "no such collection" in result.output


def test_a_default_judge_without_its_key_is_named_as_such(db_path, monkeypatch):
    from pathlib import Path

    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    Path("arena.toml").write_text('[judge.panel-a]\nmodel = "openai/gpt-4o-mini"\n\n[defaults]\njudges = ["panel-a"]\n')
    result = run("debate", "--pro", "sim/a", "--con", "sim/b")
    assert result.exit_code == 2
    said = " ".join(result.stderr.split())
    assert "judges: panel-a (arena.toml's [defaults]; --judge overrides)" in said
    assert "judge panel-a (openai/gpt-4o-mini): set OPENAI_API_KEY" in said


def test_an_undefined_default_judge_is_caught_in_arena_toml(db_path):
    from pathlib import Path

    Path("arena.toml").write_text('[participant.cautious]\nmodel = "sim/c"\n\n[defaults]\njudges = ["panel-a"]\n')
    result = run("models")
    assert result.exit_code == 2
    said = " ".join(result.stderr.split())
    assert "arena.toml:5: [defaults] judges names 'panel-a', which no [judge.panel-a] table defines" in said


def test_typos_get_a_suggestion_or_a_pointer(db_path):
    from pathlib import Path

    Path("arena.toml").write_text('[participant.x]\nmodle = "sim/x"\n')
    said = " ".join(run("models").stderr.split())
    assert "unknown setting 'modle' (did you mean 'model'?)" in said and "['" not in said
    Path("arena.toml").unlink()
    said = " ".join(run("debate", "--motion", "ubi", "--pro", "sim/a", "--con", "sim/b").stderr.split())
    assert "unknown motion 'ubi'; `arena motions list`" in said
