"""Typed access to the arena from screens and widgets.

`self.app` is typed as Textual's `App`; `self.arena` is the same object as the
`ArenaApp` it is, so its store, config, gateway and navigation type-check. Screens that
show stored data call `watch_store` (poll a stamp, then reload) and run slow work with
`in_background` (a typed result handed back on the event loop)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar, cast

from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen

from arena.store.listings import Stamp
from arena.store.store import Store
from arena.tui.polling import StoreWatch

if TYPE_CHECKING:
    from arena.tui.app import ArenaApp

T = TypeVar("T")
ScreenResultT = TypeVar("ScreenResultT")


def arena_app(node: DOMNode) -> ArenaApp:
    """The running `ArenaApp` (the only App subclass these screens are ever mounted in)."""
    return cast("ArenaApp", node.app)


class ArenaScreen(Screen[ScreenResultT]):
    """A full screen of the arena."""

    _watch: StoreWatch | None = None

    @property
    def arena(self) -> ArenaApp:
        return arena_app(self)

    def watch_store(self, stamp: Callable[[Store], Stamp], reload: Callable[[], None],
                    every: float | None = None) -> None:
        """Call `reload` now and whenever `stamp(store)` changes, checked every `every`
        seconds (the app's poll interval by default)."""
        self._watch = StoreWatch(self.arena.store, stamp, reload)
        self._watch.check()
        self.set_interval(every if every is not None else self.arena.poll_s, self._watch.check)

    def rewatch(self) -> None:
        """Reload now, whatever the stamp says (the screen is shown again)."""
        if self._watch is not None:
            self._watch.forget()
            self._watch.check()

    def in_background(self, work: Callable[[], T], then: Callable[[T], None], group: str) -> None:
        """Run `work` in a thread owned by the app; `then(result)` runs on the loop if this
        screen is still open."""
        self.arena.background(self, work, then, group)


class ArenaModal(ModalScreen[ScreenResultT]):
    """A dialog over an arena screen."""

    @property
    def arena(self) -> ArenaApp:
        return arena_app(self)
