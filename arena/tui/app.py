"""The arena in the terminal: watch models debate live, debate an agent yourself, explore
the leaderboard, the history, tournaments and the debaters' confidence.

`ArenaApp(db=..., config_file=..., gateway=...)` is the factory tests use: they hand it a
store path and a gateway. Debates run with `arena.play.play` in async workers on the
app's own event loop; the engine's events arrive on that loop and update widgets
directly. Screens poll the store, so another process's writes show up while open."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget

from arena.tui.names import ParticipantNames
from arena.config import Config, load_config
from arena.debate.turns import ModelGateway
from arena.store.store import Store
from arena.tui import prefs
from arena.tui.navigation import NAVIGATION
from arena.tui.pacing import DEFAULT_SECONDS_PER_WORD, PacedGateway

T = TypeVar("T")



class ArenaApp(App[None]):
    CSS_PATH = "arena.tcss"
    TITLE = "Debate Arena"
    BINDINGS = [
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("ctrl+t", "toggle_dark", "Theme", show=False),
    ]

    def __init__(self, db: str | None = None, config_file: str | None = None, gateway: ModelGateway | None = None,
                 *, sim_pace: float = DEFAULT_SECONDS_PER_WORD, poll_s: float = 1.0,
                 clock: Callable[[], float] = time.monotonic, config: Config | None = None,
                 warm_up: bool = True) -> None:
        super().__init__()
        self.store = Store(db)
        self.names = ParticipantNames(self.store)  # participant id -> the name shown
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
        # The rating and statistics stack (numpy, scipy) takes seconds to import: do it now,
        # off the loop, so the first leaderboard opens at once.
        if self.warm_up:
            threading.Thread(target=_warm_up, name="arena-warm-up", daemon=True).start()

    def background(self, owner: Widget, work: Callable[[], T], then: Callable[[T], None], group: str) -> None:
        """Run slow pure computation (a bootstrap, statistics) in a thread owned by the app,
        so closing the screen that asked never waits for it; hand the result back on the loop."""

        def run() -> None:
            try:
                result = work()
            except Exception as exc:  # a broken database, a bug: show it, keep the app
                self.call_from_thread(self.notify, f"{type(exc).__name__}: {exc}", severity="error")
                return
            self.call_from_thread(lambda: then(result) if owner.is_attached else None)

        self.run_worker(run, thread=True, exclusive=True, group=group, exit_on_error=False)

    # -- navigation ----------------------------------------------------------------

    def go(self, name: str) -> None:
        """Open a top-level screen over the home screen (never deeper: esc always goes home)."""
        if name == "play":
            self.with_player_name(lambda player: self._open_new(human=player))
            return
        if name == "new":
            self._open_new(human=None)
            return
        factory = self._screens()[name]
        self._to_home()
        self.push_screen(factory())

    def _screens(self) -> dict[str, Callable[[], Screen]]:
        from arena.tui.screens.confidence import ConfidenceScreen
        from arena.tui.screens.history import HistoryScreen
        from arena.tui.screens.judges import JudgeAuditsScreen
        from arena.tui.screens.leaderboard import LeaderboardScreen
        from arena.tui.screens.studies import StudiesScreen
        from arena.tui.screens.tournaments import TournamentsScreen

        return {"leaderboard": LeaderboardScreen, "history": HistoryScreen, "tournaments": TournamentsScreen,
                "confidence": ConfidenceScreen, "studies": StudiesScreen, "judges": JudgeAuditsScreen}

    def _open_new(self, human: str | None) -> None:
        from arena.tui.screens.new_debate import NewDebateScreen

        self._to_home()
        self.push_screen(NewDebateScreen(player=human))

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
        yield SystemCommand("Debate studies", "Speaking order, adaptive break, fallacy probes, beliefs, personas",
                            lambda: self.go("studies"))
        yield SystemCommand("Judge audits", "How far each judge can be trusted: position, side, injection, "
                            "verbosity, accuracy", lambda: self.go("judges"))
        yield SystemCommand("Change player name", "The name you debate under (human:NAME)",
                            lambda: self.with_player_name(lambda name: self.notify(f"You play as human:{name}"),
                                                          ask=True))
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
    import sys

    from arena.errors import ArenaError, UsageProblem

    try:
        app = ArenaApp(db=db, config_file=config_file)
    except UsageProblem as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    except ArenaError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    except Exception as exc:
        from arena.store.errors import DatabaseError

        if not isinstance(exc, DatabaseError):
            raise
        print(f"error: cannot open the database {db or 'ratings.db'}: {str(exc).splitlines()[0]}", file=sys.stderr)
        raise SystemExit(1) from None
    app.run()
    quit_now(app)


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
