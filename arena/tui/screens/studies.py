"""The debate studies (arena study ...): what the store holds for each protocol, as the
CLI prints it. Opened from the command palette (ctrl+p, "Debate studies")."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, Static

from arena.tui.base import ArenaScreen


def study_renderables(store):
    """Every study's table, computed off the loop (they read the whole store)."""
    from arena.studies import render, report

    return [
        render.order_table(report.order_from_store(store)),
        render.break_table(report.break_from_store(store)),
        render.fallacy_table(report.fallacy_from_store(store)),
        render.beliefs_table(report.beliefs_from_store(store)),
        render.personas_table(report.personas_from_store(store)),
    ]


class StudiesScreen(ArenaScreen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back"), Binding("r", "reload", "Reload")]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="studies"):
            yield Static(
                Content.styled(
                    "Debate studies · rerun with `arena study break|fallacy|personas|beliefs|order`", "$text-muted"
                ),
                id="studies-intro",
            )
            yield Static(Content.styled("reading the store…", "$text-muted"), id="studies-body")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        self.read(study_renderables, self._show, "studies")

    def _show(self, renderables: list) -> None:
        from rich.console import Group

        self.query_one("#studies-body", Static).update(Group(*renderables))
