"""History: the finished (and void) debates, newest first by when they ended,
searchable by motion, participant or id, sortable by any column (o cycles the column,
r reverses, or click a header); enter replays one."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import DataTable, Footer, Header, Input, Select, Static

from arena.tui import data
from arena.tui.base import ArenaScreen
from arena.tui.widgets.common import SIDE_TEXT, cells, ellipsize, motion_gist, when, winner_text
from arena.tui.widgets.table import Table

# column key -> (label, sort key of a DebateSummary)
COLUMNS = {
    "when": ("when", lambda d: d.finished_at or 0.0),
    "result": ("result", lambda d: (d.status, d.winner or "")),
    "pro": ("proposition", lambda d: d.pro.lower()),
    "con": ("opposition", lambda d: d.con.lower()),
    "motion": ("motion", lambda d: d.motion_text.lower()),
    "format": ("format", lambda d: (d.format, d.tournament or "")),
}
STATUSES = [("finished", "finished"), ("void", "void"), ("running", "running"), ("scheduled", "scheduled")]


class HistoryScreen(ArenaScreen[None]):
    BINDINGS = [
        Binding("slash", "search", "Search", key_display="/"),
        Binding("o", "cycle_sort", "Sort"),
        Binding("r", "reverse", "Reverse"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.sort_key = "when"
        self.descending = True
        self.rows: list[data.DebateSummary] | None = None  # the last read, sorted here
        self.search = ""  # what `rows` were read for

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(classes="row", id="history-filter"):
            yield Input(placeholder="search motion, participant or id…  (/)", id="history-search", compact=True)
            yield Select(STATUSES, prompt="finished + void", id="history-status", compact=True)
        yield Table(id="history", cursor_type="row", zebra_stripes=True)
        yield Static(id="history-foot")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = "History"
        table = self.query_one("#history", DataTable)
        self.watch_store(data.store_stamp, self.reload)
        table.focus()

    def reload(self) -> None:
        """Read the debates for the search and status as they are now (a newer read wins)."""
        search = self.query_one("#history-search", Input).value.strip()
        value = self.query_one("#history-status", Select).value
        status = value if isinstance(value, str) else None
        names = self.arena.names
        self.read(
            lambda store: data.debates(store, names, search, status),
            lambda rows: self._show(search, rows),
            group="history",
        )

    def _show(self, search: str, rows: list[data.DebateSummary]) -> None:
        self.rows, self.search = rows, search
        self._fill()

    def _fill(self) -> None:
        """Draw the rows read last, in the chosen order."""
        if self.rows is None:
            return
        search = self.search
        rows = sorted(self.rows, key=COLUMNS[self.sort_key][1], reverse=self.descending)
        table = self.query_one("#history", DataTable)
        selected = None
        if table.row_count:
            try:
                selected = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            except Exception:
                selected = None
        table.clear(columns=True)
        for key, (label, _) in COLUMNS.items():
            arrow = (" ↓" if self.descending else " ↑") if key == self.sort_key else ""
            table.add_column(label + arrow, key=key)
        shown = self.arena.names.fitted([pid for d in rows for pid in (d.pro, d.con)], 22)
        for d in rows:
            pro = Content.styled(shown[d.pro], f"bold {SIDE_TEXT['pro']}" if d.winner == "pro" else "")
            con = Content.styled(shown[d.con], f"bold {SIDE_TEXT['con']}" if d.winner == "con" else "")
            table.add_row(
                *cells(
                    when(d.finished_at)[5:],
                    winner_text(d.winner, d.status),
                    pro,
                    con,
                    ellipsize(motion_gist(d.motion_text), 48),
                    d.format + (f" · {d.tournament}" if d.tournament else ""),
                ),
                key=d.id,
            )
        ids = [d.id for d in rows]
        if selected in ids:
            table.move_cursor(row=ids.index(selected))
        foot = f"{len(rows)} debate{'s' * (len(rows) != 1)}" + (f" matching “{search}”" if search else "")
        foot += f" · sorted by {COLUMNS[self.sort_key][0]} {'↓' if self.descending else '↑'}"
        if not rows and not search:
            foot = "No debates yet: press esc, then n to start one."
        self.query_one("#history-foot", Static).update(Content.styled(foot + "   enter replays", "$text-muted"))

    def sort_by(self, key: str) -> None:
        """Sort by this column; choosing the same column again reverses the order."""
        if key == self.sort_key:
            self.descending = not self.descending
        else:
            self.sort_key, self.descending = key, key == "when"
        self._fill()

    def action_cycle_sort(self) -> None:
        keys = list(COLUMNS)
        self.sort_key = keys[(keys.index(self.sort_key) + 1) % len(keys)]
        self.descending = self.sort_key == "when"
        self._fill()

    def action_reverse(self) -> None:
        self.descending = not self.descending
        self._fill()

    @on(DataTable.HeaderSelected, "#history")
    def _header(self, event: DataTable.HeaderSelected) -> None:
        self.sort_by(str(event.column_key.value))

    @on(Input.Changed, "#history-search")
    @on(Select.Changed, "#history-status")
    def _filter(self) -> None:
        self.reload()

    @on(Input.Submitted, "#history-search")
    def _to_table(self) -> None:
        self.query_one("#history", DataTable).focus()

    def action_search(self) -> None:
        self.query_one("#history-search", Input).focus()

    def action_back(self) -> None:
        search = self.query_one("#history-search", Input)
        if search.has_focus and search.value:
            search.value = ""
            return
        self.app.pop_screen()

    @on(DataTable.RowSelected, "#history")
    def _open(self, event: DataTable.RowSelected) -> None:
        from arena.tui.screens.replay import open_replay

        if event.row_key.value:
            open_replay(self, str(event.row_key.value))
