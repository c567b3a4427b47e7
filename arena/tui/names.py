"""What the app calls a participant: its arena.toml name where it has one (`firebrand`),
else its id without the implied `model:` (`local/smollm2`), never the settings-hashed id
(`model:local/smollm2~firebrand-6a5b12`) that the store keys it by.

The name is part of the id, so an id's name never changes: answers are kept for the
session, and each id costs at most one read of the store."""

from __future__ import annotations

from collections.abc import Iterable

from arena.debate.model_names import shown_name
from arena.store.queries import display_names
from arena.store.store import Store


class ParticipantNames:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._known: dict[str, str] = {}

    def learn(self, names: dict[str, str]) -> None:
        """Names known before the store has them (a debate that is still running)."""
        self._known.update(names)

    def prefetch(self, ids: Iterable[str]) -> None:
        """Read the names of many ids at once (a table about to be drawn)."""
        missing = sorted({pid for pid in ids if pid not in self._known})
        if missing:
            found = display_names(self.store, missing)
            for pid in missing:
                self._known[pid] = shown_name(pid, found)

    def __call__(self, participant: str) -> str:
        self.prefetch([participant])
        return self._known[participant]
