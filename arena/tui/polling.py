"""Poll a store stamp, then reload: how an open screen notices another process's writes.

A stamp (arena.store.listings) is a cheap read that changes whenever the data behind a
screen changes; the screen's reload runs only when it did."""

from __future__ import annotations

from collections.abc import Callable

from arena.store.listings import Stamp
from arena.store.store import Store


class StoreWatch:
    """Calls `reload` when `stamp(store)` differs from the last stamp it saw."""

    def __init__(self, store: Store, stamp: Callable[[Store], Stamp], reload: Callable[[], None]) -> None:
        self.store = store
        self.stamp = stamp
        self.reload = reload
        self.last: Stamp | None = None

    def check(self) -> None:
        stamp = self.stamp(self.store)
        if stamp != self.last:
            self.last = stamp
            self.reload()

    def forget(self) -> None:
        """The next check reloads whatever the stamp says (a screen shown again)."""
        self.last = None
