"""SVG snapshots of the main screens at a fixed size: home, new debate, a live debate
mid-stream, the verdict, the leaderboard and the history.

Deterministic by construction: seeded simulated debates with fixed ids and times (UTC),
a frozen countdown clock, no cursor blink, and the live screens driven by a scripted
list of engine events instead of a running worker.
Update after an intended change with `pytest tests/test_tui_snapshots.py --snapshot-update`."""

from __future__ import annotations

from test_tui_support import SIZE, empty_db, expect_screen, make_app, no_blink, seeded_db, tui_env, wait_for  # noqa: F401

from arena.debate import events as ev
from arena.debate.formats import load_format
from arena.debate.records import Ballot, Bet, DebateRecord, MotionRef, RoundScore, Speech
from arena.debate.verdict import aggregate
from arena.store.store import RatingDelta

MOTION = MotionRef(
    "ban-private-cars-city-centres",
    "This house would ban private cars from city centres.",
    "policy",
    "Several European cities have closed their centres to private cars.",
)
PRO_1 = (
    "**Cities are for people.** Closing centres to private cars cuts pollution where most people "
    "breathe it, frees road space for buses and bikes, and makes streets safer for children. "
    "Ghent and Oslo did it; footfall rose and shops stayed open."
)
CON_1 = (
    "A ban punishes those with the fewest choices: night-shift workers, disabled residents, "
    "tradespeople with tools. Congestion charges and better transit reach the same goals "
    "without locking anyone out."
)
PRO_2 = "Our opponents agree on the goals; only a ban delivers them quickly, with exemptions for need."
CON_2 = "Exemptions prove our point: the ban is blunt. Price and transit do the work fairly."


def script(until_verdict: bool) -> tuple[list[ev.Event], DebateRecord]:
    record = DebateRecord("snap000001", MOTION, "quick", "model:sim/alice", "model:sim/bob", ["sim/judge-1"], 7)
    fmt = load_format("quick")
    events: list[ev.Event] = [ev.DebateStarted(record)]
    texts = [PRO_1, CON_1, PRO_2, CON_2]
    bets = [68, 74, 79, 81]
    last = 4 if until_verdict else 2
    for i, stage in enumerate(fmt.stages[:last]):
        participant = record.pro if stage.side == "pro" else record.con
        events.append(ev.SpeechStarted(i, stage.side, stage.label, stage.word_limit, participant))
        text = texts[i]
        events += [ev.SpeechToken(i, stage.side, word + " ") for word in text.split(" ")]
        speech = Speech(
            i,
            stage.side,
            stage.name,
            stage.kind,
            stage.round,
            text,
            len(text.split()),
            model=participant.removeprefix("model:"),
            tokens_out=len(text.split()) * 13 // 10,
            latency_s=1.5 + i,
        )
        record.speeches.append(speech)
        events.append(ev.SpeechFinished(speech))
        bet = Bet(i, stage.side, bets[i], "", stage.name)
        record.bets.append(bet)
        events.append(ev.BetPlaced(bet))
        if stage.index == fmt.last_stage_of_round(stage.round):
            score = RoundScore(
                "sim/judge-1", stage.round, 7 if stage.round == 1 else 6, 6 if stage.round == 1 else 8, "clear clash"
            )
            record.round_scores.append(score)
            events.append(ev.RoundScored(score))
    if not until_verdict:
        # the third speech, half spoken
        stage = fmt.stages[2]
        events.append(ev.SpeechStarted(2, "pro", stage.label, stage.word_limit, record.pro))
        events += [ev.SpeechToken(2, "pro", w + " ") for w in PRO_2.split(" ")[:8]]
        return events, record
    ballot = Ballot(
        "sim/judge-1",
        "con",
        64,
        {
            "argument": {"pro": 6, "con": 7},
            "evidence": {"pro": 6, "con": 7},
            "language": {"pro": 7, "con": 7},
            "clash": {"pro": 5, "con": 7},
        },
        "The Opposition answered the case and offered a fairer route to the same goals.",
    )
    record.ballots.append(ballot)
    events.append(ev.BallotCast(ballot))
    record.verdict = aggregate(record.ballots)
    record.status = "finished"
    events.append(ev.DebateFinished(record, record.verdict))
    return events, record


async def drive_live(pilot, until_verdict: bool) -> None:  # type: ignore[no-untyped-def]
    from arena.tui.screens.live import LiveDebateScreen
    from arena.tui.widgets.debate_view import DebateView

    class ScriptedLive(LiveDebateScreen):
        busy = not until_verdict  # as if the engine were still running

        def on_mount(self) -> None:  # no worker: the test feeds the events
            self.title = "Live debate"
            self.view = self.query_one(DebateView)

    screen = ScriptedLive()
    await pilot.app.push_screen(screen)
    await pilot.pause()
    events, record = script(until_verdict)
    for event in events:
        screen.apply(event)
    if until_verdict:
        screen.view.show_ratings(
            record,
            {
                record.pro: RatingDelta(1000.0, 984.0, 25.0, 20.6, 8.333, 7.2),
                record.con: RatingDelta(1000.0, 1016.0, 25.0, 29.4, 8.333, 7.2),
            },
        )
    await wait_for(pilot, lambda: screen.view.settled)
    await pilot.pause(0.3)
    await wait_for(pilot, lambda: screen.view.settled)


def test_home(snap_compare, seeded_db):
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await expect_screen(pilot, "6 debates judged", "Top by Elo")  # the home paints, then reads the store

    assert snap_compare(make_app(seeded_db), terminal_size=SIZE, run_before=run_before)


def test_new_debate(snap_compare, seeded_db):
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("n")
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "NewDebateScreen")
        no_blink(pilot.app)
        await pilot.press("down", "down")  # highlight a motion: its info slide shows

    assert snap_compare(make_app(seeded_db), terminal_size=SIZE, run_before=run_before)


def test_live_debate_mid_stream(snap_compare, empty_db):
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await drive_live(pilot, until_verdict=False)

    assert snap_compare(make_app(empty_db), terminal_size=SIZE, run_before=run_before)


def test_verdict(snap_compare, empty_db):
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await drive_live(pilot, until_verdict=True)

    assert snap_compare(make_app(empty_db), terminal_size=SIZE, run_before=run_before)


def columns_sized(screen, selector: str) -> bool:  # type: ignore[no-untyped-def]
    """DataTable sizes its columns to their content when idle; on a busy machine a snapshot
    could otherwise catch the label-wide columns of the first frame."""
    from textual.widgets import DataTable

    table = screen.query_one(selector, DataTable)
    if table.row_count == 0:
        return False
    widest = {
        key: max(len(str(table.get_cell_at((r, i)))) for r in range(table.row_count))
        for i, key in enumerate(table.columns)
    }
    return all(column.content_width >= min(widest[key], 8) for key, column in table.columns.items())


def test_leaderboard(snap_compare, seeded_db):
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("l")
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "LeaderboardScreen")
        await wait_for(pilot, lambda: pilot.app.screen.board is not None)

        await wait_for(pilot, lambda: columns_sized(pilot.app.screen, "#board"))
        await pilot.pause(0.2)

    assert snap_compare(make_app(seeded_db), terminal_size=SIZE, run_before=run_before)


def test_history(snap_compare, seeded_db):
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("h")
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "HistoryScreen")
        no_blink(pilot.app)
        await wait_for(pilot, lambda: columns_sized(pilot.app.screen, "#history"))
        await pilot.pause(0.2)

    assert snap_compare(make_app(seeded_db), terminal_size=SIZE, run_before=run_before)
