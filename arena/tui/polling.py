"""Poll a store stamp, then reload: how an open screen notices another process's writes.

A stamp (tui/data.py: store_stamp, ratings_stamp) is a cheap read that changes whenever
the data behind a screen changes. It is read off the event loop; the screen's reload runs
on the loop only when it changed. A slow store never piles reads up: while one stamp read
is in flight, the next ticks skip."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from arena.tui.base import ArenaScreen
    from arena.tui.data import Stamp, Store


class StoreWatch:
    """Calls `reload` when `stamp(store)` differs from the last stamp it saw."""

    def __init__(self, screen: ArenaScreen, stamp: Callable[[Store], Stamp], reload: Callable[[], None]) -> None:
        self.screen = screen
        self.stamp = stamp
        self.reload = reload
        self.last: Stamp | None = None
        self.reading = False

    def check(self) -> None:
        """Read the stamp in a thread (on the loop: a timer's tick)."""
        if self.reading:
            return
        self.reading = True
        self.screen.read(self._read, self._seen, group="store-stamp")

    def _read(self, store: Store) -> Stamp:
        try:
            return self.stamp(store)
        finally:
            self.reading = False  # a failed read (shown by the app) must not stop the polling

    def _seen(self, stamp: Stamp) -> None:
        if stamp != self.last:
            self.last = stamp
            self.reload()

    def forget(self) -> None:
        """The next check reloads whatever the stamp says (a screen shown again)."""
        self.last = None
