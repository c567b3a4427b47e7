"""The arena in the terminal: watch models debate live, debate an agent yourself, explore
the leaderboard, the history, tournaments and the debaters' confidence.

`ArenaApp(db=..., config_file=..., gateway=...)` is the factory tests use: they hand it a
store path and a gateway. Debates run with `arena.play.play` in async workers on the
app's own event loop; the engine's events arrive on that loop and update widgets
directly. Screens poll the store, so another process's writes show up while open.

The store is never read on the loop: the home screen paints first, then the store is
opened (SQLAlchemy imported, the schema migrated) in a thread, and every screen's reads
run in threads too (tui/base.py: `ArenaScreen.read`), their results drawn on the loop."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import CancelledError
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget

from arena.config import Config, load_config
from arena.debate.turns import ModelGateway
from arena.tui import data, prefs
from arena.tui.names import ParticipantNames
from arena.tui.navigation import NAVIGATION
from arena.tui.pacing import DEFAULT_SECONDS_PER_WORD, PacedGateway

if TYPE_CHECKING:
    from arena.tui.data import Store

T = TypeVar("T")


class ArenaApp(App[None]):
    CSS_PATH = "arena.tcss"
    TITLE = "Debate Arena"
    BINDINGS = [
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("ctrl+t", "toggle_dark", "Theme", show=False),
    ]

    def __init__(
        self,
        db: str | None = None,
        config_file: str | None = None,
        gateway: ModelGateway | None = None,
        *,
        sim_pace: float = DEFAULT_SECONDS_PER_WORD,
        poll_s: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        config: Config | None = None,
        warm_up: bool = True,
    ) -> None:
        super().__init__()
        self.db = db
        self._store: Store | None = None
        self.store_error: Exception | None = None  # the database could not be opened
        self._store_lock = threading.Lock()
        self._newest: dict[tuple[int, str], object] = {}  # (owner, group) -> its newest background work
        self._first_drawn = threading.Event()  # the first screen's reads are all drawn
        self.names = ParticipantNames()  # participant id -> the name shown
        self.db_label = db or "ratings.db"
        self.config = config if config is not None else load_config(config_file)
        if gateway is None:
            from arena.llm.gateway import default_gateway

            gateway = default_gateway()
        self.gateway: ModelGateway = PacedGateway(gateway, sim_pace)
        self.poll_s = poll_s
        self.clock = clock  # tests freeze it; countdowns read it
        self.warm_up = warm_up
        self.sub_title = str(Path(self.db_label).name) if "://" not in self.db_label else self.db_label

    def on_mount(self) -> None:
        from arena.tui.screens.home import HomeScreen

        self.push_screen(HomeScreen())
        # Once the home screen has painted: open the store; once its data is drawn, import
        # the rating and statistics stack (numpy, scipy take seconds), off the loop, so the
        # first leaderboard opens at once.
        self.call_after_refresh(self._after_first_paint)

    def _after_first_paint(self) -> None:
        def start() -> None:
            try:
                _ = self.store
            except Exception as exc:
                self._call_back(self._cannot_open, exc)
                return
            if self.warm_up:
                self._first_drawn.wait(timeout=5.0)
                _warm_up()

        threading.Thread(target=start, name="arena-start", daemon=True).start()

    @property
    def store(self) -> Store:
        """The store, opened by the first thread that asks (a read, or the start above);
        any other waits for it. Never asked for on the loop before it is open."""
        with self._store_lock:
            if self._store is None:
                if self.store_error is not None:
                    raise self.store_error
                try:
                    self._store = data.open_store(self.db, self.config.call_log)
                except Exception as exc:
                    self.store_error = exc
                    raise
            return self._store

    def _cannot_open(self, exc: Exception) -> None:
        """The database cannot be opened: leave; `run_app` says why on stderr."""
        self.exit(return_code=2 if _is_usage_problem(exc) else 1)

    def background(self, owner: Widget, work: Callable[[], T], then: Callable[[T], object], group: str) -> None:
        """Run a store read or slow computation (a bootstrap, statistics) in a thread owned by
        the app, so neither the loop nor closing the screen that asked ever waits for it (nor
        does quitting: the thread is a daemon). `then(result)` runs on the loop if `owner` is
        still attached and this is its newest work of `group` (an older one finishing late,
        say a search typed on, is dropped)."""
        key = (id(owner), group)
        ticket = self._newest[key] = object()

        def hand_back(draw: Callable[[], object]) -> None:
            if self._newest.get(key) is not ticket:
                return
            del self._newest[key]
            if owner.is_attached:
                try:
                    draw()
                except Exception as exc:  # a broken database, a bug: show it, keep the app
                    self.notify(f"{type(exc).__name__}: {exc}", severity="error")
            if not self._newest:  # nothing else asked for: the screen shows all it read
                self._first_drawn.set()

        def run() -> None:
            try:
                result = work()
            except Exception as exc:
                failure = exc
                self._call_back(hand_back, lambda: _raise(failure))
                return
            self._call_back(hand_back, lambda: then(result))

        threading.Thread(target=run, name=f"arena-{group}", daemon=True).start()

    def _call_back(self, callback: Callable[..., object], *args: object, **kwargs: object) -> None:
        """Call `callback` on the loop, from a thread; nothing if the app has closed meanwhile."""
        if not self.is_running:
            return
        try:
            self.call_from_thread(callback, *args, **kwargs)
        except (RuntimeError, CancelledError):
            pass

    # -- navigation ----------------------------------------------------------------

    def go(self, name: str) -> None:
        """Open a top-level screen over the home screen (never deeper: esc always goes home)."""
        if name == "play":
            self.with_player_name(lambda player: self._open_new(human=player))
            return
        if name == "new":
            self._open_new(human=None)
            return
        if name == "new-group":
            self.with_player_name(self._open_new_group)
            return
        factory = self._screens()[name]
        self._to_home()
        self.push_screen(factory())

    def _screens(self) -> dict[str, Callable[[], Screen]]:
        from arena.tui.screens.confidence import ConfidenceScreen
        from arena.tui.screens.groups import GroupsScreen
        from arena.tui.screens.history import HistoryScreen
        from arena.tui.screens.judges import JudgeAuditsScreen
        from arena.tui.screens.leaderboard import LeaderboardScreen
        from arena.tui.screens.studies import StudiesScreen
        from arena.tui.screens.tournaments import TournamentsScreen

        return {
            "leaderboard": LeaderboardScreen,
            "history": HistoryScreen,
            "tournaments": TournamentsScreen,
            "confidence": ConfidenceScreen,
            "studies": StudiesScreen,
            "judges": JudgeAuditsScreen,
            "groups": GroupsScreen,
        }

    def _open_new(self, human: str | None) -> None:
        from arena.tui.screens.new_debate import NewDebateScreen

        self._to_home()
        self.push_screen(NewDebateScreen(player=human))

    def _open_new_group(self, player: str) -> None:
        from arena.tui.screens.group_new import NewGroupScreen

        self._to_home()
        self.push_screen(NewGroupScreen(player))

    def _to_home(self) -> None:
        from arena.tui.screens.home import HomeScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, HomeScreen):
            if getattr(self.screen, "busy", False):
                break  # a running debate is never closed by navigation
            self.pop_screen()

    def with_player_name(self, then: Callable[[str], None], *, ask: bool = False) -> None:
        """Call `then(name)` with the remembered player name, asking once if there is none."""
        from arena.tui.screens.dialogs import NameScreen

        known = prefs.player_name()
        if known and not ask:
            then(known)
            return

        def chosen(name: str | None) -> None:
            if name:
                prefs.remember_player_name(name)
                then(name)

        self.push_screen(NameScreen(known or ""), chosen)

    # -- commands ------------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for key, (name, title, help_text) in NAVIGATION.items():
            yield SystemCommand(f"{title}  ({key})", help_text, lambda name=name: self.go(name))
        yield SystemCommand("Home", "The arena's overview", self._to_home)
        yield SystemCommand(
            "Debate studies",
            "Speaking order, adaptive break, fallacy probes, beliefs, personas",
            lambda: self.go("studies"),
        )
        yield SystemCommand(
            "Group discussions",
            "Groups discussing a topic (DEBATE): metrics, each member's opinion trajectory, every event",
            lambda: self.go("groups"),
        )
        yield SystemCommand(
            "New group discussion",
            "A group discussion you take a seat in (as human:NAME) beside models",
            lambda: self.go("new-group"),
        )
        yield SystemCommand(
            "Judge audits",
            "How far each judge can be trusted: position, side, injection, verbosity, accuracy",
            lambda: self.go("judges"),
        )
        yield SystemCommand(
            "Change player name",
            "The name you debate under (human:NAME)",
            lambda: self.with_player_name(lambda name: self.notify(f"You play as human:{name}"), ask=True),
        )
        yield SystemCommand("Help", "Keys and how the arena works", self.action_help)
        yield from super().get_system_commands(screen)

    def action_help(self) -> None:
        from arena.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(type(self.screen).__name__))

    def action_toggle_dark(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    def now(self) -> float:
        return self.clock()


def _raise(exc: Exception) -> None:
    raise exc


def _warm_up() -> None:
    try:
        import arena.boards  # noqa: F401
        import arena.ratings.confidence  # noqa: F401
        import arena.ratings.leaderboard  # noqa: F401
        from arena.motions import load_motions

        load_motions()
    except Exception:
        pass  # only a head start; the screens import what they need themselves


def run_app(db: str | None = None, config_file: str | None = None) -> None:
    """`arena` with no command. A bad arena.toml or database is one line on stderr, not a traceback."""
    try:
        app = ArenaApp(db=db, config_file=config_file)
    except Exception as exc:
        _refuse(exc, db)
        raise
    app.run()
    if app.store_error is not None:  # the store is opened once the home screen has painted
        _refuse(app.store_error, db)
        raise app.store_error
    quit_now(app)


def _is_usage_problem(exc: BaseException) -> bool:
    from arena.errors import UsageProblem

    return isinstance(exc, UsageProblem)


def _refuse(exc: Exception, db: str | None) -> None:
    """Leave with one line on stderr for a bad arena.toml or database (2: a usage error)."""
    import sys

    from arena.errors import ArenaError

    if _is_usage_problem(exc):
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    if isinstance(exc, ArenaError):
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    if data.is_database_error(exc):
        print(f"error: cannot open the database {db or 'ratings.db'}: {str(exc).splitlines()[0]}", file=sys.stderr)
        raise SystemExit(1) from None


def quit_now(app: ArenaApp) -> None:
    """Leave as soon as the app has closed. Tearing down the interpreter's ~1,400 modules
    (numpy, scipy, SQLAlchemy, Textual) took over a second after `q`; nothing is left to
    do by then: every debate is committed, so close the database and go."""
    import os
    import sys

    try:
        app.store.engine.dispose()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(app.return_code or 0)
