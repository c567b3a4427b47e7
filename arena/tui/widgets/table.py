"""The app's tables: Textual's DataTable, with cells drawn again once their columns are measured.

DataTable (Textual 8.2) measures auto-width columns when it is next idle, and caches each
drawn cell under a key that does not hold the column's width. A frame painted between
adding rows and that measurement kept its cells cut to the header's width until
something else redrew them: the leaderboard showed `sim/newcome` for `sim/newcomer`
after a live update, for as long as the user looked (found as a flaky test)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.widgets import DataTable
from textual.widgets.data_table import RowKey


class Table(DataTable[Any]):
    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        super()._update_dimensions(new_rows)
        # the widths may have changed: nothing drawn at the old ones may be shown again
        self._clear_caches()
        self.refresh()
