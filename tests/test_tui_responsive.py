"""The terminal app never waits for the store (issue 24): every read runs in a thread,
its result drawn on the loop, so a slow database (a remote PostgreSQL) leaves keys,
timers and drawing as quick as ever. And tui/data.py is the app's one way to the store."""

from __future__ import annotations

import ast
import threading
import time
from pathlib import Path

import pytest
from test_tui_support import SIZE, expect_screen, make_app, seeded_db, tui_env, wait_for  # noqa: F401

from arena.store.store import Store

TUI = Path(__file__).resolve().parent.parent / "arena" / "tui"


class SlowStore:
    """Opens the app's store with every SQL statement timed and, while `delay` is set,
    slowed down; notes any statement run on the event loop's thread."""

    def __init__(self, loop_thread: int, delay: float = 0.0) -> None:
        self.loop_thread = loop_thread
        self.delay = delay
        self.on_loop: list[str] = []
        self.in_flight = 0
        self.statements = 0
        self.lock = threading.Lock()

    def open(self, db: str | None, call_log: str | None = None) -> Store:
        from sqlalchemy import event

        store = Store(db, call_log=call_log or "full")
        event.listen(store.engine, "before_cursor_execute", self._before)
        event.listen(store.engine, "after_cursor_execute", self._after)
        return store

    def _before(self, conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        if threading.get_ident() == self.loop_thread:
            self.on_loop.append(statement)
        with self.lock:
            self.in_flight += 1
            self.statements += 1
        time.sleep(self.delay)

    def _after(self, *args) -> None:  # type: ignore[no-untyped-def]
        with self.lock:
            self.in_flight -= 1


@pytest.fixture
def slow_store(monkeypatch) -> SlowStore:
    slow = SlowStore(threading.get_ident())  # the test's thread runs the app's loop
    monkeypatch.setattr("arena.tui.data.open_store", slow.open)
    return slow


async def test_keys_screens_and_timers_go_on_while_a_slow_read_is_in_flight(seeded_db, slow_store):
    slow_store.delay = 1.5  # each statement: the home's overview alone is several
    app = make_app(seeded_db)
    async with app.run_test(size=SIZE) as pilot:
        ticks: list[float] = []
        app.set_interval(0.05, lambda: ticks.append(time.monotonic()))
        # the home screen has painted; its data is being read
        await wait_for(pilot, lambda: slow_store.in_flight > 0)
        await expect_screen(pilot, "Latest results", "reading the store", absent=("debates judged",))
        pressed = time.monotonic()
        await pilot.press("h")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HistoryScreen", timeout=5)
        assert time.monotonic() - pressed < slow_store.delay and slow_store.in_flight > 0  # not waiting for it
        await pilot.press("slash", *"ada")  # typing goes on too
        assert app.screen.query_one("#history-search").value == "ada"
        await pilot.pause(1.0)
        gaps = [b - a for a, b in zip(ticks, ticks[1:])]
        assert slow_store.in_flight > 0 and len(ticks) >= 8
        assert max(gaps) < slow_store.delay / 2  # the clock ticked through every slow statement
        # the store gets quick again: the data fills in
        slow_store.delay = 0.0
        table = app.screen.query_one("#history")
        await wait_for(pilot, lambda: table.row_count == 4, timeout=60)  # ada's debates
        await pilot.press("escape", "escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HomeScreen")
        await expect_screen(pilot, "6 debates judged", timeout=60)
    assert slow_store.on_loop == []


async def test_no_screen_reads_the_store_on_the_event_loop(seeded_db, slow_store):
    from textual.widgets import DataTable

    app = make_app(seeded_db)
    async with app.run_test(size=SIZE) as pilot:
        await expect_screen(pilot, "Top by Elo")
        await pilot.press("h")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HistoryScreen")
        await wait_for(pilot, lambda: app.screen.query_one("#history", DataTable).row_count == 6)
        await pilot.press("o", "r")  # sorted again without reading again
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ReplayScreen")
        await wait_for(pilot, lambda: app.screen.query_one("DebateView").settled)
        for key, screen in (("t", "TournamentsScreen"), ("c", "ConfidenceScreen"), ("l", "LeaderboardScreen")):
            await pilot.press("escape")
            await wait_for(pilot, lambda: type(app.screen).__name__ in ("HomeScreen", "HistoryScreen"))
            if type(app.screen).__name__ != "HomeScreen":
                await pilot.press("escape")
                await wait_for(pilot, lambda: type(app.screen).__name__ == "HomeScreen")
            await pilot.press(key)
            await wait_for(pilot, lambda screen=screen: type(app.screen).__name__ == screen)
        board = app.screen
        await wait_for(pilot, lambda: board.board is not None)
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ParticipantScreen")
        await expect_screen(pilot, "Elo over time")
        await pilot.pause(0.5)  # a few polls of the open screens' stamps
    assert slow_store.statements > 10 and slow_store.on_loop == []


def test_only_the_data_module_imports_the_store():
    """tui/data.py is the screens' one way to the store: no other module of arena/tui
    imports arena.store (not even for a type)."""
    offenders = []
    for path in sorted(TUI.rglob("*.py")):
        if path.name == "data.py" and path.parent == TUI:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [f"{node.module}.{alias.name}" for alias in node.names]
                if isinstance(node, ast.ImportFrom) and node.module
                else []
            )
            offenders += [
                f"{path.relative_to(TUI)}: {name}"
                for name in names
                if name == "arena.store" or name.startswith("arena.store.")
            ]
    assert offenders == []


async def test_a_database_that_cannot_be_opened_ends_the_app_after_its_first_paint(tmp_path):
    from arena.tui import data

    app = make_app(str(tmp_path / "no-such-dir" / "arena.db"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.store_error is not None)
        await pilot.pause(0.2)
    assert app.return_code == 1 and data.is_database_error(app.store_error)  # run_app prints it on stderr
