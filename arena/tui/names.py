"""What the app calls a participant: its arena.toml name where it has one (`firebrand`),
else its id without the implied `model:` (`local/smollm2`), never the settings-hashed id
(`model:local/smollm2~firebrand-6a5b12`) that the store keys it by.

The name is part of the id, so an id's name never changes: answers are kept for the
session, and each id costs at most one read of the store. That read is `prefetch`, made
by the screens' reads (tui/data.py) in their thread; showing a name (`names(pid)`) never
reads the store, so drawing never waits for it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from arena.debate.model_names import fitted_names, shown_name

if TYPE_CHECKING:
    from arena.tui.data import Store


class ParticipantNames:
    def __init__(self) -> None:
        self._known: dict[str, str] = {}

    def learn(self, names: dict[str, str]) -> None:
        """Names known before the store has them (a debate that is still running)."""
        self._known.update(names)

    def know(self, ids: Iterable[str], names: dict[str, str]) -> None:
        """These ids are shown by their name in `names`, or else by their id: nothing to read."""
        self.learn({pid: shown_name(pid, names) for pid in ids})

    def prefetch(self, store: Store, ids: Iterable[str]) -> None:
        """Read the names of many ids at once (off the loop: a table about to be drawn)."""
        from arena.tui.data import display_names

        missing = sorted({pid for pid in ids if pid not in self._known})
        if missing:
            found = display_names(store, missing)
            for pid in missing:
                self._known[pid] = shown_name(pid, found)

    def __call__(self, participant: str) -> str:
        """The name of a participant whose name was read (or learnt); any other by its id."""
        return self._known.get(participant) or shown_name(participant)

    def fitted(self, ids: Iterable[str], width: int) -> dict[str, str]:
        """Each id's name fitted to `width` columns, no two alike (`model_names.fitted_names`):
        for a table whose rows must be told apart."""
        unique = list(dict.fromkeys(ids))
        return dict(zip(unique, fitted_names([self(pid) for pid in unique], width)))
