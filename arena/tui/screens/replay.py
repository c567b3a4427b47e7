"""A stored debate replayed: the transcript with each side's bets (and their private
reasoning), the round scores, the ballots and verdict, and for teams the trace of
each speech. The live view, fed the record as events.

`open_replay` reads the debate off the loop, then opens the screen with it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static

from arena.literal import scrub
from arena.tui import data
from arena.tui.base import ArenaScreen
from arena.tui.replay import record_events
from arena.tui.widgets.common import when
from arena.tui.widgets.debate_view import DebateView


def open_replay(screen: ArenaScreen, debate_id: str) -> None:
    """Open the replay of a stored debate once it is read."""
    names = screen.arena.names
    screen.read(
        lambda store: data.stored_debate(store, names, debate_id),
        lambda found: screen.app.push_screen(ReplayScreen(debate_id, found)),
        group="replay",
    )


class ReplayScreen(ArenaScreen[None]):
    BINDINGS = [
        Binding("s", "toggle_side", "Bets/scores"),
        Binding("home", "top", "Top", show=False),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self, debate_id: str, stored: data.StoredDebate | None) -> None:
        super().__init__()
        self.debate_id = debate_id
        self.stored = stored
        # Stored text is shown as itself: no escape sequence from a speech reaches the terminal.
        self.record = scrub(stored.record) if stored is not None else None

    def compose(self) -> ComposeResult:
        yield Header()
        if self.record is None:
            yield Static(f"Debate {self.debate_id} is not in this store.", classes="empty")
        else:
            yield DebateView(bet_notes=True, id="debate")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        if self.record is None or self.stored is None:
            return
        record = self.record
        self.title = f"Debate {record.id}"
        self.sub_title = (
            f"{record.status} · {when(record.finished_at)}"
            + (f" · tournament {record.tournament}" if record.tournament else "")
            + (f" · {record.collection}: judged again from {record.rejudge_of}" if record.rejudge_of else "")
        )
        view = self.query_one(DebateView)
        for event in record_events(record):
            view.apply(event)
        view.show_ratings(record, self.stored.changes)
        view.query_one("#speeches").release_anchor()
        view.query_one("#speeches").scroll_home(animate=False)
        view.query_one("#speeches").focus()

    def action_toggle_side(self) -> None:
        if self.record is not None:
            self.query_one(DebateView).toggle_side()

    def action_top(self) -> None:
        self.query_one("#speeches").scroll_home(animate=False)
