"""A debate as it happens. The engine runs in an async worker on the app's loop; its
events update the view directly. When a person debates, this screen is their seat: the
engine's questions open the speech editor and the bet form, and wait for them.

Cancelling (x, or confirming esc) cancels the worker; `play` then stores the debate as
void, so it counts for no one."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header
from textual.worker import Worker, WorkerState

from arena.debate import events as ev
from arena.debate.engine import DebateSetup
from arena.debate.human import human_factory
from arena.debate.turns import BetTurn, SpeechTurn
from arena.play import DebateRequest, play, prepare, shown_names
from arena.tui.base import ArenaScreen
from arena.tui.screens.answers import ask_person
from arena.tui.widgets.debate_view import DebateView

if TYPE_CHECKING:
    from arena.tui.app import ArenaApp


class LiveDebateScreen(ArenaScreen[None]):
    BINDINGS = [
        Binding("x", "cancel", "Cancel debate"),
        Binding("n", "new", "New debate"),
        Binding("s", "toggle_side", "Bets/scores"),
        Binding("end", "follow", "Follow", show=False),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.setup: DebateSetup | None = None
        self.human_side: str | None = None
        self.worker: Worker | None = None
        self.result: Any = None  # (record, changes) once stored

    @classmethod
    def prepare(cls, app: ArenaApp, request: DebateRequest) -> LiveDebateScreen:
        """Resolve the request (raises on a bad name) with this screen as the human's seat."""
        screen = cls()
        setup = prepare(request, app.config, app.gateway, human=human_factory(screen))
        from arena.readiness import require_ready, setup_targets

        require_ready(setup_targets(setup))  # the CLI's pre-flight: a mistyped provider is refused, not stored
        screen.setup = setup
        # both names, before the store knows them: drawing the debate never reads the store
        app.names.know([setup.pro.participant_id, setup.con.participant_id], shown_names(setup))
        for side, debater in (("pro", setup.pro), ("con", setup.con)):
            if debater.participant_id.startswith("human:"):
                screen.human_side = side
        return screen

    @property
    def busy(self) -> bool:
        return self.worker is not None and self.worker.state in (WorkerState.PENDING, WorkerState.RUNNING)

    def compose(self) -> ComposeResult:
        yield Header()
        yield DebateView(self.setup.format if self.setup else None, human_side=self.human_side, id="debate")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = "Your debate" if self.human_side else "Live debate"
        self.view = self.query_one(DebateView)
        self.worker = self.run_worker(self._run(), name="debate", group="debate", exit_on_error=False)

    async def _run(self) -> None:
        assert self.setup is not None
        try:
            app = self.arena
            store = await asyncio.to_thread(lambda: app.store)  # opened off the loop, if not yet
            record, changes = await play(
                self.setup,
                store,
                self.arena.gateway,
                self.view.apply,
                save=lambda record, infos: asyncio.to_thread(store.save_debate, record, infos),
            )
        except asyncio.CancelledError:
            if self.is_attached:  # not when the whole app is closing
                self.view.show_cancelled()
                self.sub_title = "cancelled · stored as void"
            raise
        except Exception as exc:  # a provider outage beyond retries, a full disk: say so, keep the app
            self.view.show_failure(f"{type(exc).__name__}: {exc}")
            self.notify(str(exc), title="The debate stopped", severity="error", timeout=10)
            return
        self.result = (record, changes)
        self.view.show_ratings(record, changes)
        self.sub_title = f"stored as {record.id}" if record.status == "finished" else "void"
        self.refresh_bindings()
        self.call_after_refresh(self.view.reveal_verdict)

    # -- keys ----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel":
            return self.busy
        if action == "new":
            return not self.busy
        return True

    def action_new(self) -> None:
        self.arena.go("play" if self.human_side else "new")

    def action_cancel(self) -> None:
        if self.busy and self.worker is not None:
            self.worker.cancel()
            self.notify("Cancelled. The debate is stored as void.", title="Debate cancelled")
            self.refresh_bindings()

    def action_back(self) -> None:
        if not self.busy:
            self.app.pop_screen()
            return
        from arena.tui.screens.dialogs import ConfirmScreen

        def answer(yes: bool | None) -> None:
            if yes:
                self.action_cancel()
                self.app.pop_screen()

        self.app.push_screen(
            ConfirmScreen(
                "Leave and cancel this debate?",
                "It is stored as void and counts for no one.",
                yes="Cancel debate",
                no="Keep watching",
            ),
            answer,
        )

    def action_toggle_side(self) -> None:
        self.view.toggle_side()

    def action_follow(self) -> None:
        speeches = self.view.query_one("#speeches")
        speeches.scroll_end(animate=False)
        speeches.anchor()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.refresh_bindings()

    # -- the human's seat ----------------------------------------------------------

    async def speech(self, turn: SpeechTurn) -> str:
        from arena.tui.screens.human_turn import SpeechEditor

        result = await self._ask(SpeechEditor(turn))
        return str(result)

    async def bet(self, turn: BetTurn) -> tuple[int | None, str]:
        from arena.tui.screens.human_turn import BetForm

        result = await self._ask(BetForm(turn))
        return result

    async def _ask(self, form: Screen) -> Any:
        """Open a form and wait for the person; a cancelled debate closes it."""
        return await ask_person(self.app, form, self.action_cancel)

    def apply(self, event: ev.Event) -> None:
        """Scripted events (tests, snapshots) go through the same door as the engine's."""
        self.view.apply(event)
