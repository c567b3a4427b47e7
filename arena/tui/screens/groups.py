"""Group discussions (arena group run, arena import debate-groups): the stored groups with
their metrics, and for the selected group each member's private-opinion trajectory as a
small plot (rounds across, the 1-6 slider up) and every event in order. Opened from the
command palette (ctrl+p, "Group discussions"); a group stored by another process shows
up while the screen is open. `n` starts a new one here (tui/screens/group_new.py), where
the player can take a seat."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Footer, Header, Static

from arena.literal import literal
from arena.studies.group_report import member_name
from arena.tui import data
from arena.tui.base import ArenaScreen
from arena.tui.widgets.common import cells, ellipsize, keyed_columns, when
from arena.tui.widgets.plot import LinePlot, PlotData, Series
from arena.tui.widgets.table import Table

if TYPE_CHECKING:
    from arena.studies.groups import GroupMetrics
    from arena.studies.intervals import Mean
    from arena.tui.data import Store, StoredGroup

LATEST = 100  # groups listed (each one's metrics are bootstrapped when read)
MEMBER_STYLES = ("$text-primary", "$text-accent", "$text-success", "$text-warning", "$text-error", "$foreground")
EMPTY = (
    "No group discussions yet. Press n to start one here and take a seat yourself, or run\n"
    "  arena group run --topic 'Cities should ban private cars' --members sim/a,sim/b,sim/c,sim/d\n"
    "or import DEBATE-shaped conversations with `arena import debate-groups DIR`."
)
SHOWN_METRICS = (
    ("opinion_change", "opinion change"),
    ("convergence", "convergence"),
    ("spread_initial", "spread initial"),
    ("spread_final", "spread final"),
    ("public_private_gap", "public–private gap"),
    ("stance_drift", "stance drift"),
    ("post_words", "words per post"),
    ("message_words", "words per message"),
)


@dataclass(frozen=True)
class GroupRow:
    stored: StoredGroup
    metrics: GroupMetrics


def read_groups(store: Store) -> tuple[list[GroupRow], int]:
    """The latest groups, newest first, with their metrics (read and computed off the loop),
    and how many the store holds."""
    from arena.studies.group_report import as_discussion
    from arena.studies.groups import group_metrics

    stored = data.latest_groups(store, LATEST)
    return [GroupRow(g, group_metrics(as_discussion(g))) for g in reversed(stored)], data.groups_stamp(store)[0]


def compact(mean: Mean) -> str:
    """A metric in a table cell: value [95% interval] n=count."""
    if mean.value is None:
        return "n/a (n=0)"
    return f"{mean.value:.2f} [{mean.lo:.2f}, {mean.hi:.2f}] n={mean.n}"


def trajectory_text(points: list[tuple[int, int]]) -> str:
    return "→".join(str(v) for _, v in points) or "no opinion given"


def event_lines(stored: StoredGroup) -> Content:
    """Every event of the discussion in order, one paragraph each."""
    lines = []
    for e in stored.events:
        head: list[tuple[str, str] | str] = [(f"R{e.round} ", "$text-muted"), (literal(e.member), "bold")]
        if e.kind == "opinion":
            slider = f"{e.slider}/6" if e.slider is not None else "no slider"
            head += [(f"  private opinion {slider}", "$text-accent")]
        elif e.kind == "post":
            stance = f" (stance {e.stance:g})" if e.stance is not None else ""
            head += [(f"  public post{stance}", "$text-primary")]
        elif e.kind == "message":
            head += [(f" → {literal(e.recipient)}  direct message", "$text-warning")]
        else:
            head += [(f"  {e.kind}", "$text-muted")]
        lines.append(Content.assemble(*head, "  ", literal(e.text)))  # stored text: no escape codes
    if not lines:
        return Content.styled("no events stored", "$text-muted")
    return Content("\n").join(lines)


TWO_A_LINE = 102  # the width two metrics need side by side (label 19 + value 30, twice, and the padding)


def metrics_text(metrics: GroupMetrics, per_line: int = 2) -> Content:
    """The group's metrics, `per_line` to a line: value [95% interval] and its count."""
    items = [(label, metrics.metrics[key].text(2)) for key, label in SHOWN_METRICS]
    spreads = " → ".join(f"{v.value:.2f}" if v.value is not None else "–" for v in metrics.spread_by_round.values())
    items.append(("spread by round", spreads or "–"))
    lines = []
    for i in range(0, len(items), per_line):
        parts: list[tuple[str, str] | str] = []
        for label, value in items[i : i + per_line]:
            parts += [(label.ljust(19), "$text-muted"), value.ljust(30)]
        lines.append(Content.assemble(*parts).rstrip())
    return Content("\n").join(lines)


class GroupsScreen(ArenaScreen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("n", "new_group", "New group discussion"),
        Binding("r", "reload", "Reload"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, GroupRow] = {}
        self.selected: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Table(id="g-list", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="g-detail"):
            yield Static(Content.styled("reading the store…", "$text-muted"), id="g-head")
            yield Vertical(id="g-plots")
            yield Static(id="g-events")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = "Group discussions"
        keyed_columns(
            self.query_one("#g-list", DataTable),
            {
                "topic": "topic",
                "members": "members",
                "rounds": "rounds",
                "collection": "collection",
                "change": "opinion change",
                "convergence": "convergence",
            },
        )
        self.watch_store(data.groups_stamp, self.action_reload)
        self.query_one("#g-list").focus()

    def action_reload(self) -> None:
        self.read(read_groups, self._show, "groups")

    def action_new_group(self) -> None:
        self.arena.go("new-group")

    def _show(self, read: tuple[list[GroupRow], int]) -> None:
        rows, total = read
        self.sub_title = f"the latest {len(rows)} of {total} groups" if total > len(rows) else f"{total} groups"
        self.rows = {r.stored.group.id: r for r in rows}
        listing = self.query_one("#g-list", DataTable)
        listing.clear()
        narrow = self.app.size.width < 120
        for r in rows:
            g = r.stored.group
            listing.add_row(
                *cells(
                    Content.styled(ellipsize(literal(g.topic), 22 if narrow else 30), "bold"),
                    str(len(r.stored.members)),
                    str(g.rounds),
                    g.collection,
                    compact(r.metrics.metrics["opinion_change"]),
                    compact(r.metrics.metrics["convergence"]),
                ),
                key=g.id,
            )
        if not rows:
            self.query_one("#g-head", Static).update(Content.styled(EMPTY, "$text-muted"))
            return
        if self.selected not in self.rows:
            self.selected = rows[0].stored.group.id
        listing.move_cursor(row=[r.stored.group.id for r in rows].index(self.selected))
        self._detail(self.rows[self.selected])

    @on(DataTable.RowHighlighted, "#g-list")
    def _highlight(self, event: DataTable.RowHighlighted) -> None:
        key = event.row_key.value
        if key in self.rows and key != self.selected:
            self.selected = str(key)
            self._detail(self.rows[self.selected])

    def _detail(self, row: GroupRow) -> None:
        g, stored = row.stored.group, row.stored
        head = Content.assemble(
            (literal(g.topic), "bold $text-accent"),
            (
                f"\n{g.id} · stored {when(g.created_at)} · collection {g.collection} · {g.rounds} round(s) · {len(stored.members)} members",
                "$text-muted",
            ),
            (f" · rater {g.rater.removeprefix('model:')}" if g.rater else "", "$text-muted"),
            (f" · {g.calls} model calls, {g.tokens:,} tokens" if g.calls else "", "$text-muted"),
            "\n",
            metrics_text(row.metrics, 2 if self.app.size.width >= TWO_A_LINE else 1),  # no wrapped intervals
            ("\nPrivate opinions by round (1 strongly disagree … 6 strongly agree):", "bold"),
        )
        self.query_one("#g-head", Static).update(head)
        plots = self.query_one("#g-plots", Vertical)
        plots.remove_children()
        last_round = max([g.rounds, *[r for t in row.metrics.trajectories.values() for r, _ in t]])
        lines = []
        for i, (label, points) in enumerate(row.metrics.trajectories.items()):
            style = MEMBER_STYLES[i % len(MEMBER_STYLES)]
            plot = LinePlot(
                PlotData(
                    [Series(label, [(float(r), float(v)) for r, v in points], style)],
                    y_range=(1, 6),
                    x_range=(0, max(1, last_round)),
                    y_labels=("6", "1"),
                    empty="no opinion given",
                ),
                classes="g-plot",
            )
            caption = Static(
                Content.assemble(
                    (literal(label), f"bold {style}"),
                    "  ",
                    trajectory_text(points),
                    ("\n" + ellipsize(literal(member_name(stored, label)), 22), "$text-muted"),
                ),
                classes="g-member",
            )
            lines.append(Horizontal(caption, plot, classes="g-row"))
        plots.mount_all(lines)
        events = self.query_one("#g-events", Static)
        events.update(Content.assemble(("Events in order\n", "bold"), event_lines(stored)))
