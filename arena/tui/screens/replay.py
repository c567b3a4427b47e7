"""A stored debate replayed: the transcript with each side's bets (and their private
reasoning), the round scores, the ballots and verdict, and for teams the trace of
each speech. The live view, fed the record as events."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static

from arena.literal import scrub
from arena.store.queries import load_debate
from arena.tui import data
from arena.tui.base import ArenaScreen
from arena.tui.replay import record_events
from arena.tui.widgets.common import when
from arena.tui.widgets.debate_view import DebateView


class ReplayScreen(ArenaScreen[None]):
    BINDINGS = [
        Binding("s", "toggle_side", "Bets/scores"),
        Binding("home", "top", "Top", show=False),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self, debate_id: str) -> None:
        super().__init__()
        self.debate_id = debate_id

    def compose(self) -> ComposeResult:
        yield Header()
        # Stored text is shown as itself: no escape sequence from a speech reaches the terminal.
        self.record = scrub(load_debate(self.arena.store, self.debate_id))
        if self.record is None:
            yield Static(f"Debate {self.debate_id} is not in this store.", classes="empty")
        else:
            yield DebateView(bet_notes=True, id="debate")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        if self.record is None:
            return
        record = self.record
        self.title = f"Debate {record.id}"
        self.sub_title = f"{record.status} · {when(record.finished_at)}" + (
            f" · tournament {record.tournament}" if record.tournament else "")
        view = self.query_one(DebateView)
        for event in record_events(record):
            view.apply(event)
        view.show_ratings(record, data.rating_changes(self.arena.store, record.id))
        view.query_one("#speeches").release_anchor()
        view.query_one("#speeches").scroll_home(animate=False)
        view.query_one("#speeches").focus()

    def action_toggle_side(self) -> None:
        if self.record is not None:
            self.query_one(DebateView).toggle_side()

    def action_top(self) -> None:
        self.query_one("#speeches").scroll_home(animate=False)
