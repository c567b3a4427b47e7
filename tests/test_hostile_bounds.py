"""Issue 26, class 1 (bounded work) and the resume/pre-flight/database items of class 7.

Every multiplier, count and size has a bound checked where it enters: `M*N` judges and
the panel (option and arena.toml), a tournament's plan (refused from its sizes before it
is built), and every file read from the user (a regular file under its kind's size, read
with a limit: arena/user_files.py). The cases that could hang run in a subprocess with a
timeout; the property tests run the CLI in-process (CliRunner) on values that are refused
before any work starts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arena.cli import cli
from arena.schemas import MAX_JUDGE_REPEATS, MAX_PANEL, MAX_PLANNED_DEBATES, check_panel, judge_repeat
from arena.user_files import UserFileError, read_user_bytes, read_user_text, size_text

ROOT = Path(__file__).resolve().parent.parent
HANG = 60  # seconds: far above any refusal, far below a hang's forever


def run(tmp_path: Path, *args: str, env: dict | None = None):
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "r.db"), *args], env=env, catch_exceptions=False)
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output
    return result


def arena(tmp_path: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """`arena ARGS` in a subprocess that must end within HANG seconds."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "ARENA_DEBUG": "", **(env or {})}
    environment.pop("ARENA_CONFIG", None)
    result = subprocess.run(
        [sys.executable, "-m", "arena", "--db", str(tmp_path / "r.db"), *args],
        capture_output=True,
        text=True,
        timeout=HANG,
        cwd=tmp_path,
        env=environment,
    )
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    return result


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no stray arena.toml from the checkout
    monkeypatch.delenv("ARENA_DB", raising=False)
    monkeypatch.delenv("ARENA_CONFIG", raising=False)
    monkeypatch.delenv("ARENA_MOTIONS", raising=False)


@pytest.fixture
def specials(tmp_path: Path) -> dict[str, Path]:
    """A FIFO, a directory, a symlink to /dev/zero, a broken symlink, named like input files."""
    folder = tmp_path / "specials"
    folder.mkdir()
    os.mkfifo(folder / "fifo.toml")
    (folder / "dir.toml").mkdir()
    (folder / "zero.toml").symlink_to("/dev/zero")
    (folder / "broken.toml").symlink_to(folder / "nowhere")
    return {p.stem: p for p in folder.iterdir()}


# ============================================================== class 1: bounded work

# --- input files: regular, bounded, read with a limit ---------------------------------


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("fifo", "is a FIFO"),
        ("dir", "is a directory"),
        ("zero", "is a symlink to a character device"),
        ("broken", "is a symlink to nothing (broken link)"),
    ],
)
def test_a_user_file_that_is_not_a_regular_file_is_refused_with_its_name_and_why(specials, name, why):
    with pytest.raises(UserFileError) as caught:
        read_user_bytes(specials[name], "motion file", 1024)
    assert str(caught.value).startswith(f"{specials[name]}: {why}")
    assert "regular file (motion file) of at most 1 KiB" in str(caught.value)


def test_a_device_is_refused_and_a_symlink_to_a_regular_file_is_read(tmp_path: Path):
    with pytest.raises(UserFileError, match="/dev/zero: is a character device"):
        read_user_bytes("/dev/zero", "battle file", 1024)
    (tmp_path / "real.toml").write_text("x = 1\n")
    (tmp_path / "link.toml").symlink_to(tmp_path / "real.toml")
    assert read_user_text(tmp_path / "link.toml", "format file", 1024) == "x = 1\n"


def test_a_file_over_its_size_is_refused_and_not_utf8_says_the_byte(tmp_path: Path):
    big = tmp_path / "big.json"
    big.write_bytes(b"x" * 1025)
    with pytest.raises(UserFileError, match=r"big.json: is 1.0 KiB \(1,025 bytes\); expected .* at most 1 KiB"):
        read_user_bytes(big, "battle file", 1024)
    assert read_user_bytes(big, "battle file", 1025) == b"x" * 1025
    (tmp_path / "latin.toml").write_bytes(b"a = '\xe9'\n")
    with pytest.raises(UserFileError, match="not UTF-8 text \\(byte 5\\)"):
        read_user_text(tmp_path / "latin.toml", "arena.toml", 1024)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(limit=st.integers(0, 4096), extra=st.integers(-4096, 4096))
def test_a_file_is_read_whole_up_to_its_limit_and_refused_over_it(tmp_path: Path, limit: int, extra: int):
    size = max(0, limit + extra)
    path = tmp_path / "f.json"
    path.write_bytes(b"a" * size)
    if size <= limit:
        assert read_user_bytes(path, "battle file", limit) == b"a" * size
    else:
        with pytest.raises(UserFileError, match=f"at most {size_text(limit)}"):
            read_user_bytes(path, "battle file", limit)


def test_battles_import_of_a_device_or_fifo_is_a_usage_error_not_a_hang(tmp_path: Path, specials):
    for target in ("/dev/zero", str(specials["fifo"]), str(specials["zero"])):
        result = arena(tmp_path, "battles", "import", target, "--collection", "x")
        assert result.returncode == 2, result.stderr
        assert f"{target}: is a" in result.stderr and "battle file" in result.stderr


def test_motions_list_names_every_non_regular_motion_file_and_does_not_hang(tmp_path: Path, specials):
    folder = specials["fifo"].parent
    (folder / "good.toml").write_text((ROOT / "motions" / "value.toml").read_text())
    result = arena(tmp_path, "motions", "list", env={"ARENA_MOTIONS": str(folder)})
    assert result.returncode == 2
    for name, why in (
        ("fifo", "is a FIFO"),
        ("dir", "is a directory"),
        ("zero", "is a symlink to a character device"),
        ("broken", "is a symlink to nothing (broken link)"),
    ):
        assert f"{name}.toml:1: {why}" in result.stderr, result.stderr


def test_config_format_and_team_files_that_are_not_regular_are_usage_errors(tmp_path: Path, specials):
    config = arena(tmp_path, "--config", str(specials["fifo"]), "models")
    assert config.returncode == 2 and "is a FIFO (named pipe); expected a regular file (arena.toml)" in config.stderr
    fmt = arena(tmp_path, "debate", "--pro", "sim/a", "--con", "sim/b", "--format", str(specials["zero"]))
    assert fmt.returncode == 2 and "is a symlink to a character device" in fmt.stderr and "format file" in fmt.stderr
    team = arena(tmp_path, "debate", "--pro", f"team:{specials['fifo']}", "--con", "sim/b")
    assert team.returncode == 2 and "is a FIFO" in team.stderr and "team definition" in team.stderr


def test_a_study_folder_reports_non_regular_files_and_imports_the_others(tmp_path: Path):
    import json

    from tests.test_hostile_two import study_debate

    folder = tmp_path / "study"
    folder.mkdir()
    (folder / "good.json").write_text(json.dumps(study_debate()))
    os.mkfifo(folder / "pipe.json")
    (folder / "zero.json").symlink_to("/dev/zero")
    result = arena(tmp_path, "import", "overconfidence", str(folder), "--json")
    summary = json.loads(result.stdout)
    assert summary["imported"] == 1
    problems = {Path(p["path"]).name: p["message"] for p in summary["problems"]}
    assert problems["pipe.json"].startswith("is a FIFO") and "study file" in problems["pipe.json"]
    assert problems["zero.json"].startswith("is a symlink to a character device")


# --- M*N judges and the panel ------------------------------------------------------------


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(times=st.one_of(st.integers(min_value=MAX_JUDGE_REPEATS + 1, max_value=10**30), st.integers(max_value=0)))
def test_a_judge_repeat_out_of_bounds_is_a_usage_error(tmp_path: Path, times: int):
    """`--judge M*N` has the bound of --judge-repeats: over it, exit 2 before anything runs."""
    result = run(tmp_path, "debate", "--pro", "sim/a", "--con", "sim/b", "--judge", f"sim/j*{times}")
    assert result.exit_code == 2, result.output
    assert f"1 to {MAX_JUDGE_REPEATS} times" in result.output or "whole number" in result.output


@given(name=st.from_regex(r"[a-z]{1,8}/[a-z]{1,8}", fullmatch=True), times=st.integers(1, MAX_JUDGE_REPEATS))
def test_a_judge_repeat_within_bounds_is_read(name: str, times: int):
    assert judge_repeat(f"{name}*{times}") == (name, times)
    assert judge_repeat(name) == (name, None)


@given(st.text(min_size=1, max_size=40))
def test_any_judge_text_is_read_or_refused_with_a_reason(raw: str):
    try:
        name, times = judge_repeat(raw)
    except ValueError as exc:
        assert str(exc).startswith("judge ")
    else:
        assert name and (times is None or 1 <= times <= MAX_JUDGE_REPEATS)


def test_a_panel_over_its_bound_is_refused():
    check_panel(["sim/j"] * MAX_PANEL)
    with pytest.raises(ValueError, match=f"at most {MAX_PANEL}"):
        check_panel(["sim/j"] * (MAX_PANEL + 1))


def test_a_panel_over_its_bound_on_the_command_line_is_a_usage_error(tmp_path: Path):
    panel = ",".join(f"sim/j{i}" for i in range(MAX_PANEL + 1))
    result = run(tmp_path, "debate", "--pro", "sim/a", "--con", "sim/b", "--judge", panel)
    assert result.exit_code == 2 and f"{MAX_PANEL + 1} judges named; a debate has at most {MAX_PANEL}" in result.output
    over = run(tmp_path, "debate", "--pro", "sim/a", "--con", "sim/b", "--judge-repeats", str(MAX_JUDGE_REPEATS + 1))
    assert over.exit_code == 2


def test_judge_repeats_option_and_star_share_one_bound():
    from dataclasses import fields

    from arena.debate.options import DebateOptions

    flag = next(f for f in fields(DebateOptions) if f.name == "judge_repeats").metadata["flag"]
    assert flag.high == MAX_JUDGE_REPEATS


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(times=st.integers(min_value=MAX_JUDGE_REPEATS + 1, max_value=10**12))
def test_a_judge_repeat_in_arena_toml_defaults_is_bounded_with_file_and_line(tmp_path: Path, times: int):
    (tmp_path / "arena.toml").write_text(f'# defaults\n[defaults]\njudges = ["sim/j*{times}"]\n')
    result = run(tmp_path, "--config", str(tmp_path / "arena.toml"), "models")
    assert result.exit_code == 2
    assert "arena.toml:3: [defaults] judges: judge" in result.output and f"1 to {MAX_JUDGE_REPEATS}" in result.output


@pytest.mark.parametrize("value", ["", " ", ",", " , "])
def test_an_empty_judge_is_a_usage_error_not_the_embedded_judge(tmp_path: Path, value: str):
    result = run(tmp_path, "debate", "--pro", "sim/a", "--con", "sim/b", "--judge", value)
    assert result.exit_code == 2 and "names no judge" in result.output
    assert not (tmp_path / "r.db").exists()


# --- tournament plans ------------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(
    schedule=st.sampled_from(["round-robin", "random"]),
    players=st.integers(2, 40),
    motions=st.integers(1, 4),
    rounds=st.integers(1, 3),
    side_balance=st.booleans(),
)
def test_the_plan_size_computed_before_building_is_the_plan_built(schedule, players, motions, rounds, side_balance):
    from arena.tournament import schedule as sch
    from arena.tournament.plan import plan_size

    names, topics = [f"p{i}" for i in range(players)], [f"m{i}" for i in range(motions)]
    built = (
        sch.round_robin(names, topics, rounds, side_balance)
        if schedule == "round-robin"
        else sch.random_rounds(names, topics, rounds, 1, side_balance)
    )
    assert plan_size(schedule, players, motions, rounds, side_balance) == len(built)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(players=st.integers(50, 1000), rounds=st.integers(1, 1000), sample=st.integers(1, 50))
def test_a_dry_run_over_the_plan_cap_is_a_usage_error_with_the_numbers(tmp_path: Path, players, rounds, sample):
    from arena.tournament.plan import plan_size

    size = plan_size("round-robin", players, sample, rounds, True)
    names = ",".join(f"sim/p{i}" for i in range(players))
    result = run(
        tmp_path,
        "tournament",
        "run",
        "--players",
        names,
        "--sample",
        str(sample),
        "--rounds",
        str(rounds),
        "--judge",
        "sim/j",
        "--dry-run",
        "--json",
    )
    if size > MAX_PLANNED_DEBATES:
        assert result.exit_code == 2
        assert f"{size:,} debates" in result.output and f"at most {MAX_PLANNED_DEBATES:,}" in result.output
    else:
        assert result.exit_code == 0, result.output


def test_more_players_than_a_tournament_holds_is_a_usage_error(tmp_path: Path):
    from arena.schemas import MAX_PLAYERS

    names = ",".join(f"sim/p{i}" for i in range(MAX_PLAYERS + 1))
    result = run(tmp_path, "tournament", "run", "--players", names, "--schedule", "swiss", "--rounds", "1", "--dry-run")
    assert result.exit_code == 2 and f"a tournament has at most {MAX_PLAYERS:,}" in result.output


def test_the_issues_dry_run_is_refused_at_once(tmp_path: Path):
    names = ",".join(f"sim/p{i}" for i in range(300))
    result = run(tmp_path, "tournament", "run", "--players", names, "--sample", "50", "--rounds", "1000", "--dry-run")
    assert result.exit_code == 2
    assert "4,485,000,000 debates (300 players × 50 motion(s) × 1000 round(s)" in result.output


def test_a_long_swiss_dry_run_is_estimated_without_pairing_every_round(tmp_path: Path):
    """300 players, 299 Swiss rounds: under the cap, estimated from the round sizes."""
    import json

    names = ",".join(f"sim/p{i}" for i in range(300))
    result = run(
        tmp_path,
        "tournament",
        "run",
        "--players",
        names,
        "--schedule",
        "swiss",
        "--rounds",
        "299",
        "--sample",
        "5",
        "--judge",
        "sim/j",
        "--dry-run",
        "--json",
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["plan"]["planned"] == doc["estimate"]["debates"] == 150 * 2 * 299


def test_a_swiss_round_of_a_large_field_is_paired_within_a_bounded_search():
    """The look-ahead (can the unmet pairs still make the rounds left?) shares one budget
    per round: 120 players with 119 rounds to go took minutes a round before."""
    from arena.tournament import schedule as sch

    players = [f"p{i}" for i in range(120)]
    first = sch.swiss_round(players, 1, "m", {}, [], 119, True)
    second = sch.swiss_round(players, 2, "m", {}, first, 119, True)
    assert len(first) == len(second) == 120
    met = {sch.pair_key(s.pro, s.con) for s in first}
    assert not any(sch.pair_key(s.pro, s.con) in met for s in second)


# ============================================================== class 7: resume, pre-flight, databases

# --- resume refuses a changed format or motion set, as it refuses a changed arena.toml ----


def _planned(tmp_path: Path, *extra: str) -> None:
    result = run(
        tmp_path,
        "tournament",
        "run",
        "--name",
        "cup",
        "--players",
        "sim/a,sim/b",
        "--judge",
        "sim/j",
        "--motions",
        "democratic-peace",
        "--plan-only",
        *extra,
    )
    assert result.exit_code == 0, result.output


def _scheduled(tmp_path: Path) -> int:
    import sqlite3

    with sqlite3.connect(tmp_path / "r.db") as db:
        return db.execute("select count(*) from debate where status = 'scheduled'").fetchone()[0]


def test_resume_refuses_a_format_file_edited_since_the_plan(tmp_path: Path):
    fmt = tmp_path / "mine.toml"
    original = (ROOT / "arena" / "formats" / "quick.toml").read_text()
    fmt.write_text(original)
    _planned(tmp_path, "--format", str(fmt))
    fmt.write_text(original.replace("word_limit = ", "word_limit = 1", 1))
    resumed = run(tmp_path, "tournament", "resume", "cup")
    assert resumed.exit_code == 2 and "format" in resumed.output and "changed since tournament 'cup'" in resumed.output
    assert _scheduled(tmp_path) == 2  # nothing played, nothing voided
    same = ("--name", "cup", "--players", "sim/a,sim/b", "--judge", "sim/j", "--motions", "democratic-peace")
    again = run(tmp_path, "tournament", "run", *same, "--format", str(fmt))
    assert again.exit_code == 2  # the same command run again continues it: refused the same way
    fmt.write_text(original)
    assert run(tmp_path, "tournament", "resume", "cup").exit_code == 0


def test_resume_refuses_a_motion_set_without_or_with_other_motions(tmp_path: Path, monkeypatch):
    _planned(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    (other / "value.toml").write_text((ROOT / "motions" / "value.toml").read_text())
    missing = run(tmp_path, "tournament", "resume", "cup", env={"ARENA_MOTIONS": str(other)})
    assert (
        missing.exit_code == 2 and "lacks 1 of the 1 motion(s)" in missing.output and "ARENA_MOTIONS" in missing.output
    )
    (other / "fact.toml").write_text(
        (ROOT / "motions" / "fact.toml")
        .read_text()
        .replace("This is the 'democratic peace' claim", "Edited: the 'democratic peace' claim")
    )
    edited = run(tmp_path, "tournament", "resume", "cup", env={"ARENA_MOTIONS": str(other)})
    assert edited.exit_code == 2 and "'democratic-peace' changed since tournament 'cup'" in edited.output
    assert _scheduled(tmp_path) == 2


def test_a_tournament_planned_before_digests_still_resumes(tmp_path: Path):
    import json
    import sqlite3

    _planned(tmp_path)
    with sqlite3.connect(tmp_path / "r.db") as db:
        (config,) = db.execute("select config_json from tournament where name = 'cup'").fetchone()
        spec = json.loads(config)
        del spec["format_digest"], spec["motion_digests"]
        db.execute("update tournament set config_json = ? where name = 'cup'", (json.dumps(spec),))
    assert run(tmp_path, "tournament", "resume", "cup").exit_code == 0


# --- arena.toml [defaults] ----------------------------------------------------------------


@pytest.mark.parametrize(("key", "hint"), [("judgse", " (did you mean 'judges'?)"), ("colour", "")])
def test_a_defaults_key_typo_is_an_error_with_file_line_and_did_you_mean(tmp_path: Path, key: str, hint: str):
    (tmp_path / "arena.toml").write_text(f'[judge.pa]\nmodel = "sim/j"\n\n[defaults]\n# the panel\n{key} = ["pa"]\n')
    result = run(tmp_path, "--config", str(tmp_path / "arena.toml"), "models")
    assert result.exit_code == 2
    assert (
        f"arena.toml:6: unknown [defaults] key '{key}'{hint}; [defaults] holds call_log, judges, stall_timeout, timeout"
        in result.output
    )


# --- an unknown --tournament -------------------------------------------------------------


def test_an_unknown_tournament_is_a_usage_error_with_the_known_names(tmp_path: Path):
    empty = run(tmp_path, "leaderboard", "--tournament", "nope")
    assert empty.exit_code == 2 and "holds no tournament" in empty.output
    _planned(tmp_path)
    typo = run(tmp_path, "leaderboard", "--tournament", "cupp")
    assert typo.exit_code == 2 and "--tournament 'cupp': no such tournament" in typo.output
    assert "did you mean 'cup'?" in typo.output
    other = run(tmp_path, "confidence", "--tournament", "nope")
    assert other.exit_code == 2 and "expected one of 'cup'" in other.output
    assert run(tmp_path, "leaderboard", "--tournament", "cup").exit_code == 0


# --- pre-flight: a provider litellm does not have, a bare model name ------------------------


def test_an_unknown_provider_fails_pre_flight_before_anything_is_stored(tmp_path: Path):
    result = run(tmp_path, "debate", "--pro", "nosuchprovider/x", "--con", "sim/b", "--judge", "sim/j")
    assert result.exit_code == 2
    assert "nosuchprovider/x: unknown provider 'nosuchprovider'" in result.output
    typo = run(tmp_path, "debate", "--pro", "opena/gpt-4o-mini", "--con", "sim/b", "--judge", "sim/j")
    assert typo.exit_code == 2 and "did you mean 'openai/gpt-4o-mini'?" in typo.output
    judge = run(tmp_path, "tournament", "run", "--players", "sim/a,sim/b", "--judge", "nosuchprovider/j")
    assert judge.exit_code == 2 and "unknown provider 'nosuchprovider'" in judge.output
    assert not (tmp_path / "r.db").exists()


def test_a_bare_model_name_is_refused_with_its_provider_suggested(tmp_path: Path):
    bare = run(tmp_path, "debate", "--pro", "gpt-4o-mini", "--con", "sim/b", "--judge", "sim/j")
    assert bare.exit_code == 2 and "Did you mean openai/gpt-4o-mini?" in bare.output
    (tmp_path / "arena.toml").write_text('[participant.x]\nmodel = "llama3"\n')
    toml = run(tmp_path, "--config", "arena.toml", "debate", "--pro", "x", "--con", "sim/b", "--judge", "sim/j")
    assert toml.exit_code == 2 and "participant x (llama3): no provider in model name 'llama3'" in toml.output
    assert not (tmp_path / "r.db").exists()


def test_routes_accept_what_litellm_routes_and_the_in_process_models():
    from arena.llm.routes import qualified, route_problem

    for model in ("sim/a", "local/smollm2", "openai/gpt-4o-mini", "ollama_chat/llama3.1", "gpt-4o-mini"):
        assert route_problem(model) is None, model
    assert route_problem("cerebras/llama3.1-8b") is None  # a provider outside the common ones, from litellm
    assert qualified("gpt-4o-mini") == "openai/gpt-4o-mini"
    assert qualified("no-such-model-anywhere") is None


# --- databases: a foreign SQLite file, a read-only one ----------------------------------------


def _foreign(path: Path) -> str:
    import hashlib
    import sqlite3

    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE users (id INTEGER, name TEXT)")
        db.execute("INSERT INTO users VALUES (1, 'ada')")
    db.close()
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    "command",
    [("leaderboard",), ("show", "abc"), ("tournament", "list"), ("debate", "--pro", "sim/a", "--con", "sim/b")],
)
def test_a_foreign_sqlite_file_is_refused_and_left_as_it_was(tmp_path: Path, command: tuple[str, ...]):
    import hashlib

    before = _foreign(tmp_path / "r.db")
    result = run(tmp_path, *command)
    assert result.exit_code == 2
    assert "not an arena database (it holds other tables: users, and no arena schema)" in result.output
    assert hashlib.sha256((tmp_path / "r.db").read_bytes()).hexdigest() == before
    assert not (tmp_path / "r.db-wal").exists()


def _one_debate(tmp_path: Path) -> Path:
    assert run(tmp_path, "debate", "--pro", "sim/a", "--con", "sim/b", "--judge", "sim/j").exit_code == 0
    return tmp_path / "r.db"


def test_read_commands_open_a_current_database_without_writing(tmp_path: Path):
    """A read-only connection (SQLite's mode=ro) can read: a current database needs no
    migration transaction (it took the write lock before)."""
    path = _one_debate(tmp_path)
    url = f"sqlite:///file:{path}?mode=ro&uri=true"
    board = CliRunner().invoke(cli, ["--db", url, "leaderboard", "--json"], catch_exceptions=False)
    assert board.exit_code == 0 and "model:sim/a" in board.output
    listed = CliRunner().invoke(cli, ["--db", url, "tournament", "list"], catch_exceptions=False)
    assert listed.exit_code == 0


def test_a_database_that_cannot_be_written_here_is_opened_read_only(tmp_path: Path, monkeypatch):
    """On a read-only file system opening fails ("attempt to write a readonly database",
    or "unable to open database file" for a WAL file's -shm): the store reopens it
    read-only and immutable, and reads work (checked by hand on a read-only bind mount)."""
    from sqlalchemy.exc import OperationalError

    from arena.store import store as store_module

    path = _one_debate(tmp_path)
    real = store_module.migrate
    calls = []

    def refused(engine):
        calls.append(engine)
        raise OperationalError("BEGIN IMMEDIATE", {}, Exception("attempt to write a readonly database"))

    monkeypatch.setattr(store_module, "migrate", refused)
    opened = store_module.Store(str(path))
    assert opened.read_only and len(calls) == 1
    assert "mode=ro" in str(opened.engine.url) and opened.schema_version() > 0
    assert len(opened.match_log()) == 1
    monkeypatch.setattr(store_module, "migrate", real)
