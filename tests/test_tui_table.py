"""The app's tables show whole cells however early a frame was drawn (arena/tui/widgets/table.py)."""

from __future__ import annotations

import pytest
from test_tui_support import expect_screen, tui_env  # noqa: F401  (fixtures)
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from arena.tui.widgets.table import Table


class OneTable(App[None]):
    def __init__(self, kind: type[DataTable]) -> None:  # type: ignore[type-arg]
        super().__init__()
        self.kind = kind

    def compose(self) -> ComposeResult:
        yield self.kind(id="t")


async def draw_before_measuring(app: OneTable, pilot) -> None:  # type: ignore[no-untyped-def]
    table = app.query_one("#t", DataTable)
    table.add_column("who", key="who")
    table.add_row("sim/newcomer", key="a")
    table.render_line(1)  # a frame drawn before the table was idle: columns still label-wide


async def test_a_cell_drawn_before_its_column_was_measured_is_drawn_again_whole():
    app = OneTable(Table)
    async with app.run_test(size=(40, 6)) as pilot:
        await draw_before_measuring(app, pilot)
        await expect_screen(pilot, "sim/newcomer", timeout=5)


async def test_textuals_own_table_keeps_the_cut_cell():
    """Why Table exists: should Textual fix its cell cache, this fails and Table can go."""
    app = OneTable(DataTable)
    async with app.run_test(size=(40, 6)) as pilot:
        await draw_before_measuring(app, pilot)
        with pytest.raises(AssertionError, match="not met"):
            await expect_screen(pilot, "sim/newcomer", timeout=1)
