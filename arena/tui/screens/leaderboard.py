"""The leaderboard: ratings with 95% intervals drawn as bars, W/T/L, TrueSkill and the
provisional mark; switch the rating system and the motion category, sort by any column,
open a participant, export in the formats of `arena leaderboard`.

As in every export: `#` is the place within the participant's component, `UB` the
rank upper bound; when the comparison graph is in pieces a `grp` column names each
row's component and the footer says that each is ranked on its own; `†` marks an
interval from the posterior curvature (the bootstrap was degenerate), `?` provisional.

`c` cycles the controls (off; length and side; all five of `arena leaderboard
--control`): the Bradley–Terry board is then the controlled fit, with the plain rating
and the move against the plain order (`Δ#`) beside each row and each coefficient in
words in the footer. `ranks` is the rank range from intervals on rating differences.

The board is the CLI's own computation (same settings, same seed), run in a thread
worker since a bootstrap can take a moment; a poll of the store redraws it when another
process finishes a debate."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import DataTable, Footer, Header, Static

from arena import categories
from arena.ratings import systems
from arena.render.leaderboard_text import fitted_labels, rank_change_text, rank_range_text
from arena.tui import data
from arena.tui.base import ArenaScreen
from arena.tui.widgets.common import cells, ellipsize, interval_bar
from arena.tui.widgets.table import Table

if TYPE_CHECKING:
    from arena.ratings.leaderboard import Leaderboard, LeaderboardRow
    from arena.ratings.systems import System
    from arena.tui.data import Store

SYSTEMS: tuple[System, ...] = systems.SYSTEM_NAMES
CATEGORIES = (None, *categories.CATEGORIES)
# column key -> (label, sort key, descending first)
COLUMNS = {
    "rank": ("#", lambda r: (r.component, r.position), False),
    "participant": ("participant", lambda r: r.label, False),
    "rating": ("rating", lambda r: r.rating, True),
    # beside the rating, where it shows at 80 columns too: * provisional, † curvature interval
    "prov": ("", lambda r: r.provisional, False),
    "ci": ("95% interval", lambda r: r.ci_hi - r.ci_lo, False),
    "bar": ("", lambda r: r.ci_hi - r.ci_lo, False),
    "ub": ("UB", lambda r: (r.component, r.rank_ub, r.position), False),
    "ranks": ("ranks", lambda r: (r.component, r.rank_lo, r.rank_hi, r.position), False),
    "plain": ("plain", lambda r: r.uncontrolled or 0.0, True),
    "move": ("Δ#", lambda r: r.rank_change or 0, True),
    "grp": ("grp", lambda r: (r.component, r.position), False),
    "debates": ("n", lambda r: r.debates, True),
    "wtl": ("W/T/L", lambda r: (r.score, r.wins), True),
    "ts": ("TrueSkill μ±σ", lambda r: r.ts_mu - 3 * r.ts_sigma, True),
}
SORTABLE = ("rank", "rating", "debates", "wtl", "ts", "participant", "ci", "ub", "ranks")
# The `c` key's steps: no controls, length and side, every control.
CONTROL_STEPS: tuple[tuple[str, ...], ...] = (
    (),
    ("length", "side"),
    ("length", "side", "order", "evidence", "markdown"),
)
WIDE = 100  # below this the interval is drawn only as a bar, without its numbers, and TrueSkill's μ±σ
# (the s key shows TrueSkill) is left out


def compute_board(store: Store, system: System, category: str | None, controls: tuple[str, ...] = ()) -> Leaderboard:
    """Exactly what `arena leaderboard --system S --category C [--control …]` computes."""
    from arena.boards import compute_board as board_of

    return board_of(store, system=system, category=category, controls=controls)


class LeaderboardScreen(ArenaScreen[None]):
    BINDINGS = [
        Binding("s", "cycle_system", "System"),
        Binding("g", "cycle_category", "Category"),
        Binding("c", "cycle_control", "Control"),
        Binding("o", "cycle_sort", "Sort"),
        Binding("r", "reverse", "Reverse"),
        Binding("x", "export", "Export"),
        Binding("enter", "open", "Details", show=False),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.system: System = "bt"
        self.category: str | None = None
        self.controls: tuple[str, ...] = ()
        self.sort_key = "rank"
        self.descending = False
        self.board: Leaderboard | None = None
        self._wide = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="lb-controls")
        yield Table(id="board", cursor_type="row", zebra_stripes=True)
        yield Static(id="lb-foot")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = "Leaderboard"
        table = self.query_one("#board", DataTable)
        self._controls()
        self.query_one("#lb-foot", Static).update(Content.styled("computing…", "$text-muted"))
        self.watch_store(data.ratings_stamp, self.recompute)
        table.focus()

    # -- data ----------------------------------------------------------------------

    def recompute(self) -> None:
        system, category, controls = self.system, self.category, self.controls
        self.read(
            lambda store: compute_board(store, system, category, controls),
            lambda board: self._show(board, system, category, controls),
            group="leaderboard",
        )

    def _show(self, board: Leaderboard, system: str, category: str | None, controls: tuple[str, ...] = ()) -> None:
        if (system, category, controls) != (self.system, self.category, self.controls):
            return  # the user switched while this one ran; the newer one is on its way
        self.board = board
        self._fill()
        foot = self.query_one("#lb-foot", Static)
        if not board.rows:
            foot.update(
                Content.styled(
                    "No finished debates yet"
                    + (f" on {category} motions" if category else "")
                    + ". Press esc, then n to start one.",
                    "$text-muted",
                )
            )
            return
        marks = "* provisional" + (
            " · † curvature interval" if any(r.ci_method == "curvature" for r in board.rows) else ""
        )
        parts = [
            Content.styled(
                f"{board.matches} debates · {len(board.rows)} participants · "
                f"log sha256 {board.log_sha256[:12]} · {marks}",
                "$text-muted",
            )
        ]
        if board.components > 1:
            parts.append(
                Content.styled(
                    f"⚠ {board.components} disconnected groups (grp): each is ranked on its own; "
                    "ratings compare only within a group",
                    "$text-warning",
                )
            )
        for c in board.coefficients:
            parts.append(Content.styled(f"{c.name}: {c.sentence()}", "$text-accent"))
        for warning in board.warnings[:2]:
            parts.append(Content.styled(f"⚠ {ellipsize(warning, 120)}", "$text-warning"))
        foot.update(Content("\n").join(parts))

    def _sorted_rows(self) -> list[LeaderboardRow]:
        rows = list(self.board.rows) if self.board else []
        _, key, _ = COLUMNS[self.sort_key]
        return sorted(rows, key=key, reverse=self.descending)

    def on_resize(self) -> None:
        if self.board is not None and (self.size.width >= WIDE) != self._wide:
            self._fill()

    def _fill(self) -> None:
        table = self.query_one("#board", DataTable)
        keep = table.cursor_row
        selected = self._selected_participant()
        self._wide = self.size.width >= WIDE
        table.clear(columns=True)
        grouped = self.board is not None and self.board.components > 1
        for key, (label, _, _) in COLUMNS.items():
            if (key in ("ci", "ts") and not self._wide) or (key == "grp" and not grouped):
                continue
            if key in ("plain", "move") and not self.controls:
                continue
            arrow = (" ↓" if self.descending else " ↑") if key == self.sort_key and key != "rank" else ""
            table.add_column(label + arrow, key=key)
        rows = self._sorted_rows()
        if not rows:
            return
        lo = min(r.ci_lo for r in rows)
        hi = max(r.ci_hi for r in rows)
        digits = systems.SYSTEMS[self.system].digits
        # as everywhere in the app: `model:` is implied (the exports keep whole ids); fitted by
        # the one rule, so no two read alike
        width = max(22, min(40, self.size.width - 74)) if self._wide else 22
        fitted = fitted_labels(rows, width)
        for r in rows:
            mark = "†" if r.ci_method == "curvature" else ""
            values = {
                "rank": Content(str(r.position)),
                "participant": Content(fitted[r.participant]),
                "rating": Content.styled(f"{r.rating:.{digits}f}", "bold"),
                "ci": Content.styled(f"{r.ci_lo:.{digits}f} – {r.ci_hi:.{digits}f}{mark}", "$text-muted"),
                "bar": interval_bar(r.ci_lo, r.rating, r.ci_hi, lo, hi, width=16 if self._wide else 11),
                "ub": Content(str(r.rank_ub)),
                "ranks": Content(rank_range_text(r)),
                "plain": Content.styled(
                    "" if r.uncontrolled is None else f"{r.uncontrolled:.{digits}f}", "$text-muted"
                ),
                "move": Content(rank_change_text(r)),
                "grp": Content(str(r.component + 1)),
                "debates": Content(str(r.debates)),
                "wtl": Content(f"{r.wins}/{r.ties}/{r.losses}"),
                "ts": Content(f"{r.ts_mu:.1f}±{r.ts_sigma:.1f}"),
                "prov": Content.styled(("*" if r.provisional else "") + mark, "$text-warning"),
            }
            table.add_row(*cells(*(values[str(k.value)] for k in table.columns)), key=r.participant)
        names = [r.participant for r in rows]
        table.move_cursor(row=names.index(selected) if selected in names else min(keep, len(rows) - 1))

    def _selected_participant(self) -> str | None:
        table = self.query_one("#board", DataTable)
        if table.row_count == 0:
            return None
        try:
            return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        except Exception:
            return None

    def _controls(self) -> None:
        def choices(values, current, names) -> Content:
            parts = []
            for v in values:
                label = names(v)
                parts.append(
                    Content.styled(f" {label} ", "bold reverse $text-accent" if v == current else "$text-muted")
                )
            return Content("").join(parts)

        label, _, _ = COLUMNS[self.sort_key]
        self.query_one("#lb-controls", Static).update(
            Content.assemble(
                ("s ", "bold"),
                choices(SYSTEMS, self.system, lambda s: systems.SYSTEMS[s].label),
                "  ",
                ("g ", "bold"),
                choices(CATEGORIES, self.category, lambda c: c or "all"),
                "  ",
                ("c ", "bold"),
                choices(
                    CONTROL_STEPS, self.controls, lambda c: "all controls" if len(c) > 2 else ",".join(c) or "plain"
                ),
                "  ",
                (f"sort {label or 'provisional'} {'↓' if self.descending else '↑'}", "$text-muted"),
            )
        )

    # -- actions -------------------------------------------------------------------

    def action_cycle_system(self) -> None:
        self.system = SYSTEMS[(SYSTEMS.index(self.system) + 1) % len(SYSTEMS)]
        self.controls = ()  # controls are for Bradley–Terry
        self.columns_changed()

    def action_cycle_control(self) -> None:
        self.controls = CONTROL_STEPS[(CONTROL_STEPS.index(self.controls) + 1) % len(CONTROL_STEPS)]
        if self.controls:
            self.system = "bt"
        self.columns_changed()

    def action_cycle_category(self) -> None:
        self.category = CATEGORIES[(CATEGORIES.index(self.category) + 1) % len(CATEGORIES)]
        self.columns_changed()

    def columns_changed(self) -> None:
        self._controls()
        self.query_one("#lb-foot", Static).update(Content.styled("computing…", "$text-muted"))
        self.recompute()

    def action_cycle_sort(self) -> None:
        self.sort_by(
            SORTABLE[(SORTABLE.index(self.sort_key) + 1) % len(SORTABLE)] if self.sort_key in SORTABLE else "rank"
        )

    def sort_by(self, key: str, descending: bool | None = None) -> None:
        self.sort_key = key
        self.descending = COLUMNS[key][2] if descending is None else descending
        self._controls()
        self._fill()

    def action_reverse(self) -> None:
        self.descending = not self.descending
        self._controls()
        self._fill()

    @on(DataTable.HeaderSelected)
    def _header(self, event: DataTable.HeaderSelected) -> None:
        key = str(event.column_key.value)
        if key == self.sort_key:
            self.action_reverse()
        else:
            self.sort_by(key)

    @on(DataTable.RowSelected)
    def action_open(self) -> None:
        pid = self._selected_participant()
        if pid and self.board is not None:
            from arena.tui.screens.participant import open_participant

            open_participant(self, pid, self.board)

    def action_export(self) -> None:
        if self.board is None:
            return
        from arena.tui.screens.export import ExportScreen

        self.app.push_screen(ExportScreen(self.board))
