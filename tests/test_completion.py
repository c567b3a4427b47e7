"""Shell completion of the arena's own names (issue 16): motion ids, participants,
debate ids and tournament names; never a traceback, never a new database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.shell_completion import ShellComplete

from arena.cli import cli
from arena.commands.complete import COMPLETERS, commands_by_path


def complete(args: list[str], incomplete: str) -> list[str]:
    shell = ShellComplete(cli, {}, "arena", "_ARENA_COMPLETE")
    return [item.value for item in shell.get_completions(args, incomplete)]


def test_every_completer_names_a_real_parameter():
    commands = commands_by_path(cli)
    for path, name in COMPLETERS:
        if path not in commands:  # a command another branch adds (tournament work)
            continue
        assert name in [p.name for p in commands[path].params], (path, name)


def test_motion_ids_complete_everywhere_a_motion_is_asked_for(db_path):
    ids = complete(["debate", "--motion"], "universal-")
    assert ids == ["universal-basic-income"]
    assert "universal-basic-income" in complete(["motions", "show"], "univ")
    assert complete(["tournament", "run", "--motions"], "ban-private-cars-city-centres,univ") == [
        "ban-private-cars-city-centres,universal-basic-income"
    ]


def test_participants_debate_ids_and_tournaments_come_from_the_store_and_arena_toml(db_path, tmp_path):
    Path("arena.toml").write_text('[participant.cautious]\nmodel = "local/smollm2"\ntemperature = 0.3\n')
    assert not Path(db_path).exists()
    assert complete(["show"], "") == []  # no database: nothing, and none created
    assert not Path(db_path).exists()
    from click.testing import CliRunner

    runner = CliRunner()
    assert (
        runner.invoke(cli, ["debate", "--pro", "sim/zed", "--con", "sim/yan", "--judge", "sim/j", "--json"]).exit_code
        == 0
    )
    assert (
        runner.invoke(
            cli,
            [
                "tournament",
                "run",
                "--name",
                "spring-cup",
                "--players",
                "sim/a,sim/b",
                "--sample",
                "1",
                "--judge",
                "sim/j",
                "--json",
            ],
        ).exit_code
        == 0
    )
    assert "cautious" in complete(["debate", "--pro"], "c")
    assert complete(["debate", "--con"], "sim/z") == ["sim/zed"]
    assert "local/smollm2" in complete(["debate", "--judge"], "local")
    assert complete(["tournament", "run", "--players"], "sim/zed,sim/y") == ["sim/zed,sim/yan"]
    assert complete(["tournament", "show"], "spr") == ["spring-cup"]
    assert complete(["tournament", "resume"], "") == ["spring-cup"]
    assert complete(["leaderboard", "--tournament"], "s") == ["spring-cup"]
    from arena.store.queries import list_debates
    from arena.store.store import Store

    ids = [d.id for d in list_debates(Store(db_path))]
    assert sorted(complete(["show"], "")) == sorted(ids)
    assert complete(["show"], ids[0][:6]) == [ids[0]]


def test_a_broken_arena_toml_completes_nothing_quietly(db_path):
    Path("arena.toml").write_text("[participant.x\n")
    assert complete(["debate", "--pro"], "") == []


def test_the_shell_script_and_a_completion_run_as_a_shell_would(db_path):
    env = {**os.environ, "_ARENA_COMPLETE": "bash_source"}
    script = subprocess.run([sys.executable, "-m", "arena"], env=env, capture_output=True, text=True, timeout=60)
    assert "_arena_completion" in script.stdout
    env = {
        **os.environ,
        "_ARENA_COMPLETE": "bash_complete",
        "COMP_WORDS": "arena debate --motion universal-",
        "COMP_CWORD": "3",
    }
    out = subprocess.run([sys.executable, "-m", "arena"], env=env, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "plain,universal-basic-income" and not out.stderr
