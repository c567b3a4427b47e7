"""The Textual arena, flow by flow, driven with Pilot as a user would: keys, typing, and
what ends up on screen and in the store. Simulated models, no network, no sleep
beyond polling for the app's own workers."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

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

from arena.debate import events as ev
from arena.debate.human import HumanDebater, trim_to_words
from arena.debate.records import Bet, DebateRecord, MotionRef, Speech
from arena.store.queries import list_debates
from arena.store.store import Store

REPO = Path(__file__).resolve().parent.parent


# --------------------------------------------------------------------------- the human debater


class ScriptedSeat:
    def __init__(self) -> None:
        self.speeches = ["First point. Second point.", "In closing, we won."]
        self.asked: list[str] = []

    async def speech(self, turn):  # type: ignore[no-untyped-def]
        self.asked.append(turn.stage.name)
        return self.speeches.pop(0)

    async def bet(self, turn):  # type: ignore[no-untyped-def]
        return 140, "  very sure  "


async def test_human_debater_answers_through_its_seat():
    seat = ScriptedSeat()
    person = HumanDebater("ada", seat)
    assert person.participant_id == "human:ada" and person.models == set()
    from arena.debate.formats import load_format
    from arena.debate.turns import BetTurn, SpeechTurn

    fmt = load_format("quick")
    motion = MotionRef("m", "This house would test.", "policy")
    heard: list[str] = []
    out = await person.speak(SpeechTurn(motion, fmt, fmt.stages[0], [], [], "private", 1), heard.append)
    assert out.text == "First point. Second point." and heard == [out.text] and out.model == "human"
    bet = await person.bet(BetTurn(motion, fmt.stages[0], [], [], "private", 1))
    assert bet.amount == 100 and bet.reasoning == "very sure"  # clamped to 0-100, trimmed
    assert trim_to_words("one two\nthree four five", 3) == "one two\nthree"


# --------------------------------------------------------------------------- home


async def test_home_shows_the_arena_and_every_key_opens_its_screen(seeded_db):
    app = make_app(seeded_db)
    async with app.run_test(size=SIZE) as pilot:
        await expect_screen(pilot, "3 participants", "6 debates judged", "Latest results", "Top by Elo")
        for key, screen in (
            ("n", "NewDebateScreen"),
            ("h", "HistoryScreen"),
            ("t", "TournamentsScreen"),
            ("l", "LeaderboardScreen"),
            ("c", "ConfidenceScreen"),
        ):
            await pilot.press(key)
            await wait_for(pilot, lambda screen=screen: type(app.screen).__name__ == screen)
            await pilot.press("escape")
            await wait_for(pilot, lambda: type(app.screen).__name__ == "HomeScreen")
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HelpScreen")
        await expect_screen(pilot, "play as a human")
        await pilot.press("escape")
        commands = [c.title for c in app.get_system_commands(app.screen)]
        assert any(c.startswith("Leaderboard") for c in commands) and any(c.startswith("New debate") for c in commands)
        await pilot.press("q")
    assert app.return_code == 0


# --------------------------------------------------------------------------- watching a debate


async def test_debate_between_simulators_runs_to_the_verdict(empty_db):
    app = make_app(empty_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "NewDebateScreen")
        await expect_screen(pilot, "sim/alice", "sim/judge-1")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LiveDebateScreen")
        live = app.screen
        await wait_for(pilot, lambda: live.result is not None)
        await wait_for(pilot, lambda: live.view.settled)
        text = await expect_screen(pilot, "Elo 1000 →", "sim/judge-1")
        assert "wins" in text or "A tie" in text
        assert "✓verdict" in text.replace(" ", "")
    debates = list_debates(Store(empty_db))
    assert len(debates) == 1 and debates[0].status == "finished"


async def test_cancelling_a_debate_stores_it_as_void(empty_db):
    from textual.widgets import Input, Select

    app = make_app(empty_db, sim_pace=0.01)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "NewDebateScreen")
        app.screen.query_one("#con", Select).value = "other"
        await pilot.pause()
        app.screen.query_one("#con-other", Input).value = "sim/slow?latency=30"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LiveDebateScreen")
        live = app.screen
        await wait_for(pilot, lambda: live.busy and "Opposition" in screen_text(app))
        await pilot.press("x")
        await wait_for(pilot, lambda: not live.busy)
        await wait_for(
            pilot,
            lambda: "stored as void" in screen_text(app).replace("Cancelled: stored", "stored"),
            what="'stored as void' on screen",
        )
    debates = list_debates(Store(empty_db))
    assert [d.status for d in debates] == ["void"]


async def test_blind_stage_hides_the_opponents_speech_from_a_person_until_they_speak(empty_db):
    """ovc is simultaneous within a round: a person speaking second must not read the first speech."""
    from arena.debate.formats import load_format
    from arena.tui.widgets.debate_view import DebateView

    app = make_app(empty_db)
    async with app.run_test(size=SIZE) as pilot:
        from textual.screen import Screen

        view = DebateView(load_format("ovc"), human_side="con")
        await app.push_screen(Screen())
        await app.screen.mount(view)
        record = DebateRecord(
            "d1", MotionRef("m", "This house would test.", "policy"), "ovc", "model:sim/a", "human:ada", ["sim/j"], 1
        )
        view.apply(ev.DebateStarted(record))
        view.apply(ev.SpeechStarted(0, "pro", "Proposition opening", 300, "model:sim/a"))
        view.apply(ev.SpeechToken(0, "pro", "A secret first argument."))
        view.apply(ev.SpeechFinished(Speech(0, "pro", "opening", "constructive", 1, "A secret first argument.", 4)))
        view.apply(ev.BetPlaced(Bet(0, "pro", 77, "sure", "opening")))
        await wait_for(pilot, lambda: view.settled)
        text = await expect_screen(pilot, "hidden from you", "??")
        assert "secret" not in text and "77" not in text
        view.apply(ev.SpeechStarted(1, "con", "Opposition opening", 300, "human:ada"))
        view.apply(ev.SpeechToken(1, "con", "My reply."))
        view.apply(ev.SpeechFinished(Speech(1, "con", "opening", "constructive", 1, "My reply.", 2)))
        await wait_for(pilot, lambda: view.settled and "secret" in screen_text(app))


# --------------------------------------------------------------------------- playing


async def test_a_person_plays_the_simulator_and_gets_a_rating(empty_db):
    from textual.widgets import Select

    app = make_app(empty_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "NameScreen")
        await pilot.press(*"ada", "enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "NewDebateScreen")
        await expect_screen(pilot, "me (human:ada)")
        app.screen.query_one("#con", Select).value = "sim/alice"
        await pilot.pause()
        await pilot.press("ctrl+s")
        for speech, bet in (("Clean air.", "70"), ("We won.", "85")):
            await wait_for(pilot, lambda: type(app.screen).__name__ == "SpeechEditor")
            await wait_for(
                pilot, lambda: "4:00" in screen_text(app) or "3:00" in screen_text(app), what="the frozen countdown"
            )
            await pilot.press(*speech)
            counter = f"{len(speech.split())}/"
            await wait_for(pilot, lambda counter=counter: counter in screen_text(app))
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: type(app.screen).__name__ == "BetForm")
            await pilot.press(*bet, "enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LiveDebateScreen")
        live = app.screen
        await wait_for(pilot, lambda: live.result is not None)
        # the player by name, models without `model:`
        await expect_screen(pilot, "Elo 1000 →", " ada vs sim/alice", timeout=30)  # slow on a busy machine
    store = Store(empty_db)
    assert "human:ada" in store.rating_states()
    record, _ = live.result
    assert [b.amount for b in record.bets if b.side == "pro"] == [70, 85]
    assert json.loads((Path("home") / "tui.json").read_text())["player_name"] == "ada"


async def test_the_remembered_name_is_not_asked_again(empty_db):
    from arena.tui import prefs

    prefs.remember_player_name("grace")
    app = make_app(empty_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "NewDebateScreen")
        await expect_screen(pilot, "human:grace")


# --------------------------------------------------------------------------- leaderboard


async def test_leaderboard_sorts_switches_systems_and_exports(seeded_db):
    from textual.widgets import DataTable

    app = make_app(seeded_db)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("l")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LeaderboardScreen")
        board = app.screen
        table = board.query_one("#board", DataTable)
        await wait_for(pilot, lambda: table.row_count == 3)
        first = [str(table.get_row_at(i)[1]) for i in range(3)]
        assert first[0] == "sim/ada?skill=0.9"  # `model:` is implied in the app
        await pilot.press("o")  # rank -> rating
        await pilot.press("o")  # -> debates
        await pilot.press("o", "o", "o")  # -> participant (A to Z)
        names = [str(table.get_row_at(i)[1]) for i in range(3)]
        assert names == sorted(names) and board.sort_key == "participant"
        await pilot.press("r")
        assert [str(table.get_row_at(i)[1]) for i in range(3)] == sorted(names, reverse=True)
        await pilot.press("s")
        await wait_for(pilot, lambda: board.board is not None and board.board.settings.system == "elo")
        await expect_screen(pilot, "Elo")
        await pilot.press("s")
        await wait_for(pilot, lambda: board.board.settings.system == "trueskill")
        await pilot.press("g")
        await wait_for(pilot, lambda: board.board.settings.category == "fact")
        await pilot.press("g", "g")
        await wait_for(pilot, lambda: board.board.settings.category == "policy" and table.row_count == 3)
        await pilot.press("x")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ExportScreen")
        await pilot.click("#export-csv")
        await pilot.pause()
        await pilot.click("#write")
        await wait_for(pilot, lambda: Path("leaderboard-trueskill-policy.csv").exists())
        from arena.render import leaderboard_data

        assert Path("leaderboard-trueskill-policy.csv").read_text() == leaderboard_data.to_csv(board.board)
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LeaderboardScreen")
        table.focus()
        table.move_cursor(row=0)
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ParticipantScreen")
        await expect_screen(pilot, "Elo over time", "Head to head", "Recent debates")


async def test_a_debate_written_by_another_process_appears_on_the_open_leaderboard(seeded_db):
    from textual.widgets import DataTable

    app = make_app(seeded_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LeaderboardScreen")
        table = app.screen.query_one("#board", DataTable)
        await wait_for(pilot, lambda: table.row_count == 3)
        env = {**__import__("os").environ, "PYTHONPATH": str(REPO)}
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "arena",
                "--db",
                seeded_db,
                "debate",
                "--pro",
                "sim/newcomer",
                "--con",
                "sim/bob?skill=0.4",
                "--judge",
                "sim/judge-1",
                "--seed",
                "5",
                "--json",
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        assert proc.returncode == 0, proc.stderr
        await wait_for(pilot, lambda: table.row_count == 4, timeout=30)
        await expect_screen(pilot, "sim/newcomer")


async def test_leaderboard_shows_components_and_curvature_marks(seeded_db):
    from textual.widgets import DataTable

    env = {**__import__("os").environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "arena",
            "--db",
            seeded_db,
            "debate",
            "--pro",
            "sim/island-a",
            "--con",
            "sim/island-b",
            "--judge",
            "sim/judge-1",
            "--seed",
            "5",
            "--json",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    app = make_app(seeded_db)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("l")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LeaderboardScreen")
        table = app.screen.query_one("#board", DataTable)
        await wait_for(pilot, lambda: table.row_count == 5)
        assert "grp" in [str(k.value) for k in table.columns]
        groups = [str(table.get_row_at(i)[list(table.columns).index("grp")]) for i in range(5)]
        assert groups == ["1", "1", "1", "2", "2"]
        positions = [str(table.get_row_at(i)[0]) for i in range(5)]
        assert positions == ["1", "2", "3", "1", "2"]
        await expect_screen(pilot, "disconnected groups", "†")


# --------------------------------------------------------------------------- history


async def test_history_searches_and_replays_a_debate(seeded_db):
    from textual.widgets import DataTable

    app = make_app(seeded_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HistoryScreen")
        table = app.screen.query_one("#history", DataTable)
        await wait_for(pilot, lambda: table.row_count == 6)
        await pilot.press("slash", *"cyd")
        await wait_for(pilot, lambda: table.row_count == 4)
        await pilot.press("enter")  # from the search box to the table
        await pilot.press("enter")  # open the highlighted debate
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ReplayScreen")
        replay = app.screen
        await wait_for(pilot, lambda: replay.query_one("DebateView").settled)
        await expect_screen(pilot, "Proposition · opening", "private bet")
        replay.query_one("#speeches").scroll_end(animate=False)
        await expect_screen(pilot, "Verdict", "Elo", "sim/judge-1")


async def test_a_rejudged_copy_names_its_original_in_the_replay(empty_db):
    """A copy by `arena rejudge` replays the original's speeches: its title line says so."""
    from dataclasses import replace

    from arena.tui import data
    from arena.tui.screens.replay import ReplayScreen

    record = DebateRecord(
        id="copy1", motion=MotionRef("m", "This house believes tests work.", "education"), format="quick",
        pro="model:sim/a", con="model:sim/b", judges=["sim/j2"], seed=1, status="finished",
    )  # fmt: skip
    copy = replace(record, collection="spring-j2", rejudge_of="orig1")
    app = make_app(empty_db)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(ReplayScreen("copy1", data.StoredDebate(copy, {})))
        await wait_for(pilot, lambda: "judged again" in (app.screen.sub_title or ""))
        assert "spring-j2: judged again from orig1" in app.screen.sub_title


# --------------------------------------------------------------------------- tournaments


async def test_tournament_progress_is_read_live_from_the_store(empty_db):
    from textual.widgets import DataTable

    from arena.store import tables as t

    store = Store(empty_db)
    now = time.time()
    with store.session() as session:
        session.add(
            t.Tournament(
                name="cup",
                status="running",
                created_at=now,
                updated_at=now,
                config_json=json.dumps({"players": ["sim/a", "sim/b"]}),
            )
        )
        for n in range(4):
            session.add(
                t.Debate(
                    id=f"cup{n}",
                    tournament="cup",
                    slot=f"r1-{n}",
                    motion_id="m",
                    motion_text="x",
                    format="quick",
                    pro_id="model:sim/a",
                    con_id="model:sim/b",
                    status="scheduled",
                    created_at=now + n,
                )
            )
        session.commit()
    app = make_app(empty_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "TournamentsScreen")
        await expect_screen(pilot, "cup", "0/4")
        with store.session() as session:  # the runner, elsewhere, finishes two debates
            for n in range(2):
                row = session.get(t.Debate, f"cup{n}")
                row.status, row.winner, row.finished_at = "finished", "pro", now + 10 + n
            session.commit()
        await expect_screen(pilot, "2/4")
        standings = app.screen.query_one("#t-standings", DataTable)
        await wait_for(pilot, lambda: standings.row_count == 2)


async def test_when_the_countdown_ends_the_speech_is_delivered_as_it_stands(empty_db):
    from textual.widgets import Select

    from arena.tui import prefs

    prefs.remember_player_name("ada")
    app = make_app(empty_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "NewDebateScreen")
        app.screen.query_one("#con", Select).value = "sim/alice"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "SpeechEditor")
        await pilot.press(*"Too slow.")
        app.clock.now += 250  # past the quick format's 240 s opening
        await wait_for(pilot, lambda: type(app.screen).__name__ == "BetForm")
        await pilot.press("ctrl+x")  # and cancel the whole debate from the bet form
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LiveDebateScreen")
        live = app.screen
        await wait_for(pilot, lambda: not live.busy)
    from arena.store.queries import load_debate

    debate = list_debates(Store(empty_db))[0]
    record = load_debate(Store(empty_db), debate.id)
    assert debate.status == "void" and record.speeches[0].text == "Too slow."


async def test_the_debate_view_shows_ballot_warnings_live_and_on_replay(empty_db):
    """A void ballot is said in the debate view, and again when the stored debate is replayed."""
    from arena.debate.formats import load_format
    from arena.debate.records import Ballot
    from arena.tui.replay import record_events
    from arena.tui.widgets.debate_view import DebateView

    app = make_app(empty_db)
    async with app.run_test(size=SIZE) as pilot:
        from textual.screen import Screen

        view = DebateView(load_format("quick"))
        await app.push_screen(Screen())
        await app.screen.mount(view)
        record = DebateRecord(
            "d2",
            MotionRef("m", "This house would test.", "policy"),
            "quick",
            "model:sim/a",
            "model:sim/b",
            ["sim/j"],
            1,
            status="void",
            error="no judge produced a usable ballot",
        )
        record.ballots = [Ballot("sim/j", None, error="bad output: reasons must be a non-empty string")]
        record.warnings = ["ballot of judge sim/j is void and does not count: bad output: reasons missing"]
        for event in record_events(record):
            view.apply(event)
        await wait_for(pilot, lambda: "does not count" in screen_text(app))


async def test_leaderboard_controls_show_the_plain_rating_the_move_and_the_coefficients(seeded_db):
    from textual.widgets import DataTable, Static

    app = make_app(seeded_db)
    async with app.run_test(size=(140, 34)) as pilot:
        await pilot.press("l")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LeaderboardScreen")
        screen = app.screen
        table = screen.query_one("#board", DataTable)
        await wait_for(pilot, lambda: table.row_count == 3)
        labels = [str(c.label) for c in table.columns.values()]
        assert "ranks" in labels and "Δ#" not in labels
        await pilot.press("s")  # to Elo: the control key brings Bradley–Terry back
        await wait_for(pilot, lambda: screen.board is not None and screen.board.settings.system == "elo")
        await pilot.press("c")
        await wait_for(pilot, lambda: screen.board.settings.controls == ("length", "side") and table.row_count == 3)
        assert screen.board.settings.system == "bt"
        labels = [str(c.label) for c in table.columns.values()]
        assert "plain" in labels and "Δ#" in labels
        assert all(r.uncontrolled is not None and r.rank_change is not None for r in screen.board.rows)
        assert [c.name for c in screen.board.coefficients] == ["length", "side"]
        foot = str(screen.query_one("#lb-foot", Static).render())
        assert all(f"{c.name}: " in foot and "is worth" in foot for c in screen.board.coefficients)
        await pilot.press("c", "c")  # all controls, then plain again
        await wait_for(pilot, lambda: screen.board.settings.controls == () and table.row_count == 3)
        assert "Δ#" not in [str(c.label) for c in table.columns.values()]


async def test_a_replayed_void_debate_marks_the_stage_it_died_in_as_the_live_view_did(empty_db):
    """The Opposition failed in its opening: the live view had `✓P opening › ✗C opening`;
    the replay of the stored debate (one speech) marks the same stage, not the last one
    spoken."""
    from arena.debate.formats import load_format
    from arena.debate.records import Speech
    from arena.tui.replay import record_events
    from arena.tui.widgets.debate_view import DebateView
    from arena.tui.widgets.stages import StageTracker

    app = make_app(empty_db)
    async with app.run_test(size=SIZE) as pilot:
        from textual.screen import Screen

        fmt = load_format("quick")
        view = DebateView(fmt)
        await app.push_screen(Screen())
        await app.screen.mount(view)
        reason = "the Opposition's debater failed: model:sim/b could not be reached after 3 tries"
        record = DebateRecord(
            "d3",
            MotionRef("m", "This house would test.", "policy"),
            "quick",
            "model:sim/a",
            "model:sim/b",
            ["sim/j"],
            1,
            status="void",
            error=reason,
        )
        first = fmt.stages[0]
        record.speeches = [Speech(0, first.side, first.name, first.kind, first.round, "We propose.", 2)]
        for event in record_events(record, fmt):
            view.apply(event)
        tracker = view.query_one(StageTracker)
        await wait_for(pilot, lambda: "✓Pro opening › ✗Con opening" in screen_text(app), what="the failed stage")
        assert tracker.failed and tracker.steps[tracker.current].side == fmt.stages[1].side
        assert tracker.current == fmt.stages[1].index
