"""One participant: the rating's history over time, the record against each opponent and
the latest debates (enter opens one). `open_participant` reads them off the loop, then
opens the screen with them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import DataTable, Footer, Header, Static

from arena.tui import data
from arena.tui.base import ArenaScreen
from arena.tui.widgets.common import SIDE_TEXT, cells, ellipsize, signed, when, winner_text
from arena.tui.widgets.plot import LinePlot, PlotData, Series
from arena.tui.widgets.table import Table

if TYPE_CHECKING:
    from arena.ratings.leaderboard import Leaderboard


def open_participant(screen: ArenaScreen, participant: str, board: Leaderboard) -> None:
    """Open a participant of this board once its history and debates are read."""
    names = screen.arena.names
    opponents = [b for a, b in board.head_to_head.records if a == participant]
    screen.read(
        lambda store: data.participant(store, names, participant, opponents),
        lambda view: screen.app.push_screen(ParticipantScreen(participant, board, view)),
        group="participant",
    )


class ParticipantScreen(ArenaScreen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, participant: str, board: Leaderboard, view: data.ParticipantView) -> None:
        super().__init__()
        self.participant = participant
        self.board = board
        self.view = view

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="p-summary")
        yield Static(id="p-plot-title")
        yield LinePlot(id="p-plot")
        with Horizontal(id="p-tables"):
            with Vertical(id="p-h2h-box"):
                yield Static(Content.styled("Head to head", "bold $text-primary"))
                yield Table(id="p-h2h", cursor_type="row", zebra_stripes=True)
            with Vertical(id="p-recent-box"):
                yield Static(Content.styled("Recent debates  (enter opens)", "bold $text-primary"))
                yield Table(id="p-recent", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        shown = self.arena.names
        self.title = shown(self.participant)
        row = next((r for r in self.board.rows if r.participant == self.participant), None)
        if row is not None:
            self.query_one("#p-summary", Static).update(
                Content("\n").join(
                    [
                        Content.styled(shown(self.participant), "bold $text-accent")
                        + Content.styled(
                            f"  {self.participant}"
                            if shown(self.participant) != self.participant.removeprefix("model:")
                            else "",
                            "$text-muted",
                        ),
                        Content.assemble(
                            ("Bradley–Terry ", "$text-muted"),
                            (f"{row.bt:.0f}", "bold"),
                            (f" [{row.bt_lo:.0f}, {row.bt_hi:.0f}]", "$text-muted"),
                            ("   Elo ", "$text-muted"),
                            (f"{row.elo:.0f}", "bold"),
                            ("   TrueSkill ", "$text-muted"),
                            (f"{row.ts_mu:.1f}±{row.ts_sigma:.1f}", "bold"),
                            ("   record ", "$text-muted"),
                            (f"{row.wins}/{row.ties}/{row.losses}", "bold"),
                            (f" in {row.debates}", "$text-muted"),
                            ("   provisional" if row.provisional else "", "$text-warning"),
                        ),
                    ]
                )
            )
        history = self.view.history
        plot = self.query_one("#p-plot", LinePlot)
        if history:
            points = [(0.0, history[0].elo_before)] + [(float(i + 1), h.elo_after) for i, h in enumerate(history)]
            plot.set_data(PlotData([Series("Elo", points, "$text-accent")], empty="no rated debates"))
            first, last = history[0], history[-1]
            self.query_one("#p-plot-title", Static).update(
                Content.assemble(
                    ("Elo over time ", "bold $text-primary"),
                    (
                        f"{when(first.at)} → {when(last.at)} · {len(history)} debates · "
                        f"{first.elo_before:.0f} → {last.elo_after:.0f} ({signed(last.elo_after - first.elo_before)})",
                        "$text-muted",
                    ),
                )
            )
        else:
            plot.set_data(PlotData(empty="no rated debates yet"))
        self._head_to_head()
        self._recent()

    def _head_to_head(self) -> None:
        table = self.query_one("#p-h2h", DataTable)
        table.add_columns("opponent", "W/T/L", "score")
        h2h = self.board.head_to_head
        rows = [(b, rec) for (a, b), rec in h2h.records.items() if a == self.participant]
        rows.sort(key=lambda x: -(x[1].wins + x[1].ties + x[1].losses))
        shown = self.arena.names
        for opponent, rec in rows:
            n = rec.wins + rec.ties + rec.losses
            score = (rec.wins + rec.ties / 2) / n if n else 0.0
            table.add_row(*cells(ellipsize(shown(opponent), 24), f"{rec.wins}/{rec.ties}/{rec.losses}", f"{score:.0%}"))

    def _recent(self) -> None:
        table = self.query_one("#p-recent", DataTable)
        table.add_columns("when", "side", "result", "opponent", "motion")
        shown = self.arena.names
        for r in self.view.debates:
            side = "pro" if r.pro == self.participant else "con"
            opponent = r.con if side == "pro" else r.pro
            if r.status == "void":
                result = Content.styled("void", "$text-error")
            elif r.winner == "tie":
                result = Content("tie")
            elif r.winner == side:
                result = Content.styled("won", "bold $text-success")
            else:
                result = Content.styled("lost", "$text-error")
            table.add_row(
                *cells(
                    when(r.finished_at)[5:],
                    Content.styled(side, SIDE_TEXT[side]),
                    result,
                    ellipsize(shown(opponent), 24),
                    ellipsize(r.motion_text, 40),
                ),
                key=r.id,
            )
        if table.row_count == 0:
            table.add_row(*cells("—", "", winner_text(None), "", "no debates yet"), key="")

    @on(DataTable.RowSelected, "#p-recent")
    def _open(self, event: DataTable.RowSelected) -> None:
        from arena.tui.screens.replay import open_replay

        key = event.row_key.value
        if key:
            open_replay(self, str(key))
