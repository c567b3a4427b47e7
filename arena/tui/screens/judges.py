"""The judge audits (arena judges audit): each audited judge's newest figures, one column
per judge, as the CLI prints them; below, each judge's newest run on a public benchmark
(arena judges bench) and the agreement between judges (arena judges agreement) over every
stored debate. Opened from the command palette (ctrl+p, "Judge audits")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import RenderableType
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, Static

from arena.tui import data
from arena.tui.base import ArenaScreen

if TYPE_CHECKING:
    from arena.tui.data import Store

EMPTY = (
    "No judge has been audited yet. Run, for example,\n"
    "  arena judges audit --judge sim/judge --debates 50\n"
    "to measure swap flips, position and side bias, injection and verbosity flips, and accuracy on "
    "motions with a known answer."
)


def audit_renderable(store: Store) -> RenderableType:
    """The audit table of every audited judge, and beside it each judge's newest run on a
    public benchmark (arena judges bench), if any (read off the loop)."""
    from rich.console import Group

    from arena.render.audit_table import audit_table
    from arena.render.bench_table import bench_table

    audits = data.audits(store)
    benches = data.benches(store)
    shown: RenderableType = EMPTY
    if audits:
        shown = audit_table(
            [(row.judge, metrics) for row, metrics in audits],
            "Judge audits · value [95% interval] n · newest audit of each judge",
        )
    if not benches:
        return shown
    return Group(shown, "", bench_table(benches, "Judges on public benchmarks · newest run of each judge"))


NO_AGREEMENT = (
    "Agreement between judges: no two judges have decided the same debate yet. Judge a tournament's "
    "debates again with another judge, for example\n"
    "  arena rejudge --tournament T --judge sim/j2 --into T-j2\n"
    "and their agreement (share agreeing, Cohen's κ, Krippendorff's α) shows here."
)


def agreement_renderable(store: Store) -> RenderableType:
    """Agreement between the judges of every stored debate (read off the loop)."""
    from arena.render.agreement_table import agreement_renderable as render

    report = data.agreement(store)
    if not report.pairs:
        return NO_AGREEMENT
    return render(report, "Agreement between judges · every debate (arena judges agreement)")


class JudgeAuditsScreen(ArenaScreen[None]):
    DEFAULT_CSS = "#agreement-body { margin-top: 1; }"
    BINDINGS = [Binding("escape", "app.pop_screen", "Back"), Binding("r", "reload", "Reload")]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="audits"):
            yield Static(Content.styled("reading the store…", "$text-muted"), id="audits-body")
            yield Static("", id="agreement-body")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        self.read(audit_renderable, self._show, "audits")
        self.read(agreement_renderable, self._show_agreement, "agreement")

    def _show(self, renderable: RenderableType) -> None:
        self.query_one("#audits-body", Static).update(renderable)

    def _show_agreement(self, renderable: RenderableType) -> None:
        self.query_one("#agreement-body", Static).update(renderable)
