"""Judges follow the debaters' kind (issue 23): a debate or tournament of simulated
debaters given no judge is judged by a simulated one, said in one line; otherwise the
default stays. In the app, the judges change only when the user changes them."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from test_tui_support import empty_db, expect_screen, make_app, tui_env, wait_for  # noqa: F401  (fixtures)

from arena.cli import cli
from arena.config import Config, ModelSettings
from arena.debate.participants import default_judges

SIM_LINE = "judge: sim/judge-1 (every debater is simulated; pass --judge to choose)"


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_the_rule():
    sim, person, real = {"sim/a"}, set(), {"openai/gpt-4o-mini"}
    assert default_judges([sim, {"sim/b", "sim/c"}], Config()).names == ("sim/judge-1",)
    assert default_judges([sim, real], Config()).names == ("local/smollm2",)
    assert default_judges([sim, {"sim/b", "local/smollm2"}], Config()).names == ("local/smollm2",)  # a mixed team
    assert default_judges([sim, person], Config()).why == "default"  # a person is not simulated
    assert default_judges([sim, sim], Config(default_judges=["panel"])).names == ("panel",)


def test_a_simulated_debate_without_judge_is_judged_by_the_simulator(db_path):
    result = run("debate", "--pro", "sim/a", "--con", "team:a4d@sim/b", "--seed", "3", "--json")
    assert result.exit_code == 0, result.output
    assert SIM_LINE in result.stderr.splitlines()
    assert json.loads(result.stdout)["judges"] == ["sim/judge-1"]
    given = run("debate", "--pro", "sim/a", "--con", "sim/b", "--judge", "sim/j", "--json")
    assert "judge:" not in given.stderr and json.loads(given.stdout)["judges"] == ["sim/j"]


def test_an_arena_toml_participant_on_the_simulator_counts_as_simulated(db_path):
    Path("arena.toml").write_text('[participant.drill]\nmodel = "sim/drill"\npersona = "terse"\n')
    result = run("debate", "--pro", "drill", "--con", "sim/b", "--json")
    assert result.exit_code == 0, result.output
    assert SIM_LINE in result.stderr


def test_a_tournament_of_simulators_without_judge_plans_a_simulated_judge(db_path):
    result = run("tournament", "run", "--players", "sim/a,sim/b,sim/c", "--sample", "1", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "judge: sim/judge-1 (every debater is simulated; pass --judge to" in result.stdout
    doc = json.loads(
        run("tournament", "run", "--players", "sim/a,sim/b", "--sample", "1", "--dry-run", "--json").stdout
    )
    assert doc["plan"]["judges"] == ["sim/judge-1"]
    played = run("tournament", "run", "--name", "drill", "--players", "sim/a,sim/b", "--sample", "1")
    assert played.exit_code == 0, played.output
    assert SIM_LINE in played.stderr
    shown = json.loads(run("tournament", "show", "drill", "--json").stdout)
    assert shown["judges"] == ["sim/judge-1"]


def test_a_real_debater_keeps_the_default_judge(db_path, local_speed_known):
    result = run("tournament", "run", "--players", "sim/a,openai/gpt-4o-mini", "--sample", "1", "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["plan"]["judges"] == ["local/smollm2"]
    Path("arena.toml").write_text('[defaults]\njudges = ["sim/panel"]\n')
    doc = json.loads(
        run("tournament", "run", "--players", "sim/a,sim/b", "--sample", "1", "--dry-run", "--json").stdout
    )
    assert doc["plan"]["judges"] == ["sim/panel"]


# --------------------------------------------------------------------------- the app


def judges_of(app) -> list[str]:  # type: ignore[no-untyped-def]
    from textual.widgets import SelectionList

    return sorted(map(str, app.screen.query_one("#judges", SelectionList).selected))


async def test_choosing_another_model_for_a_side_keeps_the_judges(empty_db):
    from textual.widgets import Input, Select, SelectionList

    app = make_app(empty_db, config=Config(participants={"mine": ModelSettings("openai/gpt-4o-mini")}))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "NewDebateScreen")
        assert judges_of(app) == ["sim/judge-1"]  # the default of two simulators
        app.screen.query_one("#con", Select).value = "other"
        await wait_for(pilot, lambda: app.screen.query_one("#con-other", Input).display)
        assert judges_of(app) == ["sim/judge-1"]  # it used to become local/smollm2 here
        app.screen.query_one("#pro", Select).value = "mine"  # a real model: still the user's choice
        await pilot.pause()
        assert judges_of(app) == ["sim/judge-1"]
        # a judge the user chose stays through side changes too
        judges = app.screen.query_one("#judges", SelectionList)
        judges.deselect("sim/judge-1")
        judges.select("sim/judge-2")
        await pilot.pause()
        app.screen.query_one("#pro", Select).value = "sim/alice"
        app.screen.query_one("#con", Select).value = "sim/bob"
        await pilot.pause()
        app.screen.query_one("#con", Select).value = "other"
        await pilot.pause()
        assert judges_of(app) == ["sim/judge-2"]
        await expect_screen(pilot, "▐X▌ sim/judge-2", "▐ ▌ sim/judge-1", "▐ ▌ local/smollm2")
        app.screen.query_one("#con-other", Input).value = "sim/zed"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LiveDebateScreen")
        live = app.screen
        assert [j.settings.model for j in live.setup.judges] == ["sim/judge-2"]
        await wait_for(pilot, lambda: live.result is not None)


async def test_the_app_refuses_a_mistyped_provider_before_anything_is_stored(empty_db):
    """The CLI's pre-flight in the app: `opnai/gpt-4o-mini` for a side is refused in the
    form with its "did you mean", and no void debate reaches the store."""
    import sqlite3

    from textual.widgets import Input, Select

    app = make_app(empty_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "NewDebateScreen")
        app.screen.query_one("#con", Select).value = "other"
        await wait_for(pilot, lambda: app.screen.query_one("#con-other", Input).display)
        app.screen.query_one("#con-other", Input).value = "opnai/gpt-4o-mini"
        await pilot.press("ctrl+s")
        await expect_screen(pilot, "openai/gpt-4o-mini")
        assert type(app.screen).__name__ == "NewDebateScreen"
    with sqlite3.connect(empty_db) as conn:
        assert conn.execute("SELECT count(*) FROM debate").fetchone()[0] == 0
