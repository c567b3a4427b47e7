"""The rating systems: one registry entry each, the one list the CLI, the app and the
exports read their names, labels and columns from.

A system's fitting code is named by a "module:function" path and imported only when a
board is built, so that help text, shell completion and the app's start-up can name the
systems without loading numpy or scipy (a test holds `arena --help` to that).

Adding a system: a module of `arena/ratings/` with a function `(fits.Fits) ->
fits.SystemFit` (see `arena/ratings/fits.py`), and its line in `SYSTEMS` below.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from arena.ratings.fits import Fits, SystemFit

# A rating system's name (`--system`, `LeaderboardSettings.system`): a key of SYSTEMS.
System = str


@dataclass(frozen=True)
class RatingSystem:
    name: str  # `--system` value, stored in the settings of every export
    label: str  # titles, table headers, the app's system switch
    short: str  # the rating column's header in the terminal table
    fit: str  # "module:function" turning a board's `Fits` into this system's `SystemFit`
    column: str | None = None  # LeaderboardRow field with its estimate, shown beside another system's board
    order_note: str = ""  # how its rows are ordered, when that is not by the rating (board titles)
    digits: int = 0  # decimals of its ratings in the app

    def board_fit(self) -> Callable[[Fits], SystemFit]:
        """The fitting function, imported now (it loads numpy)."""
        module, _, function = self.fit.partition(":")
        fit: Callable[[Fits], SystemFit] = getattr(importlib.import_module(module), function)
        return fit


SYSTEMS: dict[System, RatingSystem] = {
    s.name: s
    for s in (
        RatingSystem("bt", "Bradley–Terry", "BT", "arena.ratings.fits:bt_board", column="bt"),
        RatingSystem("elo", "Elo", "Elo", "arena.ratings.fits:elo_board", column="elo"),
        # TrueSkill's rating is μ; its own μ±σ column is shown on every board.
        RatingSystem(
            "trueskill",
            "TrueSkill μ",
            "TS μ",
            "arena.ratings.fits:trueskill_board",
            order_note="sorted by μ−3σ",
            digits=1,
        ),
    )
}
SYSTEM_NAMES: tuple[System, ...] = tuple(SYSTEMS)


def system_title(system: System) -> str:
    """A board's title: the system, and how its rows are ordered if not by the rating."""
    entry = SYSTEMS[system]
    return entry.label + (f" ({entry.order_note})" if entry.order_note else "")
