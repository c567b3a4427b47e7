"""Tournaments, running and past, read from the store every second: a headless
`arena tournament run` in another terminal shows up here and moves while you watch.
The selected tournament shows its progress, its standings so far and its debates."""

from __future__ import annotations

import time
from collections import Counter

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import DataTable, Footer, Header, ProgressBar, Static

from arena.debate.model_names import fitted_names
from arena.tui import data
from arena.tui.base import ArenaScreen
from arena.tui.widgets.common import SIDE_TEXT, bar, cells, ellipsize, keyed_columns, when, winner_text
from arena.tui.widgets.table import Table

STATUS_STYLE = {
    "running": "bold $text-success",
    "finished": "$text-primary",
    "planned": "$text-muted",
    "stopped": "$text-warning",
    "interrupted": "$text-error",
}


def round_label(slot: str | None) -> str:
    """Slots are "r<round>:…"; the round is what a viewer wants from them."""
    head = (slot or "").split(":", 1)[0]
    return head.upper() if head[:1] == "r" and head[1:].isdigit() else "—"


class TournamentsScreen(ArenaScreen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self) -> None:
        super().__init__()
        self.selected: str | None = None
        self.rows: dict[str, data.TournamentRow] = {}  # the last read, by name

    def compose(self) -> ComposeResult:
        yield Header()
        yield Table(id="t-list", cursor_type="row", zebra_stripes=True)
        with Vertical(id="t-detail"):
            yield Static(id="t-head")
            yield ProgressBar(id="t-progress", show_eta=False)
            with Horizontal(id="t-tables"):
                yield Table(id="t-standings", cursor_type="none", zebra_stripes=True)
                yield Table(id="t-debates", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = "Tournaments"
        listing = self.query_one("#t-list", DataTable)
        keyed_columns(
            listing,
            {
                "name": "tournament",
                "status": "status",
                "bar": "progress",
                "done": "done",
                "void": "void",
                "players": "players",
                "updated": "updated",
            },
        )
        self.query_one("#t-standings", DataTable).add_columns("player", "W/T/L")
        self.query_one("#t-debates", DataTable).add_columns("round", "result", "proposition", "opposition", "motion")
        self.watch_store(data.store_stamp, self.reload)
        listing.focus()

    def reload(self) -> None:
        names, selected = self.arena.names, self.selected
        self.read(lambda store: data.tournaments_view(store, names, selected), self._show, group="tournaments")

    def _show(self, view: data.TournamentsView) -> None:
        rows = view.rows
        self.rows = {r.name: r for r in rows}
        listing = self.query_one("#t-list", DataTable)
        listing.clear()
        narrow = self.app.size.width < 100  # 80 columns: every column still shows whole
        # two tournaments never read alike, however long their names (model_names' rule)
        names_shown = dict(zip((r.name for r in rows), fitted_names([r.name for r in rows], 18 if narrow else 24)))
        for r in rows:
            frac = r.done / r.total if r.total else 0.0
            listing.add_row(
                *cells(
                    Content.styled(names_shown[r.name], "bold"),
                    Content.styled(r.status, STATUS_STYLE.get(r.status, "")),
                    bar(frac, 8 if narrow else 12, "$success" if r.status == "finished" else "$primary"),
                    f"{r.done}/{r.total}",
                    Content.styled(str(r.void), "$text-error") if r.void else "0",
                    str(len(r.players)) if r.players else "—",
                    when(r.updated_at)[5:],
                ),
                key=r.name,
            )
        names = [r.name for r in rows]
        if not rows:
            self.query_one("#t-head", Static).update(
                Content.styled(
                    "No tournaments yet. Run one headless and watch it here:\n"
                    "  arena tournament run --players sim/a,sim/b,sim/c --judge sim/j",
                    "$text-muted",
                )
            )
            self.query_one("#t-detail").set_class(True, "-empty")
            return
        self.query_one("#t-detail").set_class(False, "-empty")
        # Another tournament may have been highlighted while this was read: its own detail
        # is being read (`_highlight`).
        selected = self.selected if self.selected in self.rows else view.selected or names[0]
        self.selected = selected
        listing.move_cursor(row=names.index(selected))
        if selected == view.selected:
            self._detail(self.rows[selected], view.debates)

    @on(DataTable.RowHighlighted, "#t-list")
    def _highlight(self, event: DataTable.RowHighlighted) -> None:
        name = event.row_key.value
        if name and name != self.selected:
            self.selected = str(name)
            if self.selected in self.rows:
                names, selected = self.arena.names, self.selected
                self.read(
                    lambda store: data.tournament_debates(store, names, selected),
                    lambda debates: self._detail_of(selected, debates),
                    group="tournament",
                )

    def _detail_of(self, name: str, debates: list[data.Debate]) -> None:
        if name == self.selected and name in self.rows:  # not another one highlighted since
            self._detail(self.rows[name], debates)

    def _detail(self, row: data.TournamentRow, debates: list[data.Debate]) -> None:
        age = time.time() - row.updated_at
        self.query_one("#t-head", Static).update(
            Content.assemble(
                (row.name, "bold $text-accent"),
                "  ",
                (row.status, STATUS_STYLE.get(row.status, "")),
                (f"  · {row.schedule}" if row.schedule else "", "$text-muted"),
                (f"  · {row.done}/{row.total} debates, {row.running} running, {row.void} void", "$text-muted"),
                (f"  · started {when(row.created_at)}", "$text-muted"),
                (" · stale" if row.status == "running" and age > 600 and not row.running else "", "$text-warning"),
            )
        )
        progress = self.query_one("#t-progress", ProgressBar)
        progress.update(total=max(1, row.total), progress=row.done)
        # Standings so far: wins, ties, losses of each participant in this tournament.
        tally: dict[str, Counter] = {}
        for d in debates:
            if d.status != "finished" or d.winner is None:
                continue
            for side, pid in (("pro", d.pro_id), ("con", d.con_id)):
                result = "t" if d.winner == "tie" else "w" if d.winner == side else "l"
                tally.setdefault(pid, Counter())[result] += 1
        standings = self.query_one("#t-standings", DataTable)
        standings.clear()
        order = sorted(tally.items(), key=lambda kv: (-(kv[1]["w"] + kv[1]["t"] / 2), kv[0]))
        short_names = self.arena.names.fitted(tally, 22)
        for pid, c in order:
            standings.add_row(*cells(short_names[pid], f"{c['w']}/{c['t']}/{c['l']}"))
        table = self.query_one("#t-debates", DataTable)
        table.clear()
        # Running first, then the latest results, then what is still to come.
        rank = {"running": 0, "finished": 1, "void": 1, "scheduled": 2}
        debates.sort(key=lambda d: (rank.get(d.status, 3), -(d.finished_at or 0), d.created_at))
        # Under 100 columns the standings sit above the debates, which then have the
        # width for every column whole, the motion included.
        narrow = self.app.size.width < 100
        self.query_one("#t-tables").set_class(narrow, "-stacked")
        fitted = self.arena.names.fitted(
            [pid for d in debates[:300] for pid in (d.pro_id, d.con_id)], 12 if narrow else 20
        )
        for d in debates[:300]:
            pro = Content.styled(fitted[d.pro_id], f"bold {SIDE_TEXT['pro']}" if d.winner == "pro" else "")
            con = Content.styled(fitted[d.con_id], f"bold {SIDE_TEXT['con']}" if d.winner == "con" else "")
            table.add_row(
                *cells(
                    round_label(d.slot),
                    winner_text(d.winner, d.status),
                    pro,
                    con,
                    Content.styled(ellipsize(d.motion_id, 30), "$text-muted"),
                ),
                key=d.id,
            )

    @on(DataTable.RowSelected, "#t-debates")
    def _open(self, event: DataTable.RowSelected) -> None:
        from arena.tui.screens.replay import open_replay

        if event.row_key.value:
            open_replay(self, str(event.row_key.value))
