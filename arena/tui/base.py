"""Typed access to the arena from screens and widgets.

`self.app` is typed as Textual's `App`; `self.arena` is the same object as the
`ArenaApp` it is, so its store, config, gateway and navigation type-check.

Screens never read the store on the event loop (on a remote database one read can take
a second, and the whole app would wait for it). `read(work, then, group)` runs
`work(store)` (a function of tui/data.py) in a thread and `then(result)` on the loop;
`watch_store(stamp, reload)` polls a stamp the same way and calls `reload` when it
changed; `in_background` runs any other slow work (a bootstrap, statistics) likewise."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar, cast

from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen

from arena.tui.polling import StoreWatch

if TYPE_CHECKING:
    from arena.tui.app import ArenaApp
    from arena.tui.data import Stamp, Store

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

    def watch_store(
        self, stamp: Callable[[Store], Stamp], reload: Callable[[], None], every: float | None = None
    ) -> None:
        """Call `reload` (on the loop) once the screen has painted, and whenever `stamp(store)`
        changes, read off the loop every `every` seconds (the app's poll interval by default)."""
        self._watch = StoreWatch(self, stamp, reload)
        self.call_after_refresh(self._watch.check)
        self.set_interval(every if every is not None else self.arena.poll_s, self._watch.check)

    def rewatch(self) -> None:
        """Reload once the screen has painted, whatever the stamp says (it is shown again)."""
        if self._watch is not None:
            self._watch.forget()
            self.call_after_refresh(self._watch.check)

    def read(self, work: Callable[[Store], T], then: Callable[[T], object], group: str) -> None:
        """Run `work(store)` in a thread; `then(result)` runs on the loop if this screen is still
        open and no newer read of the same group was asked for meanwhile."""
        app = self.arena
        self.in_background(lambda: work(app.store), then, group)

    def in_background(self, work: Callable[[], T], then: Callable[[T], object], group: str) -> None:
        """Run `work` in a thread owned by the app; `then(result)` runs on the loop if this
        screen is still open (and this is the newest work of its group)."""
        self.arena.background(self, work, then, group)


class ArenaModal(ModalScreen[ScreenResultT]):
    """A dialog over an arena screen."""

    @property
    def arena(self) -> ArenaApp:
        return arena_app(self)
