"""A study's model calls on the call log (issue 21, item 1): the questions asked outside
any debate (a debater's private stance, its side choice, the fallacy probes' dialogues,
the judge probes) are collected while they run and written with the rows they produced,
in the same transaction, under the run `study:<run id>` (`arena calls study:<run id>`).
The debates a study plays log their own calls, with the debate, as every debate does."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from arena.debate.call_log import LoggedCall, recording, scope
from arena.store.store import Store
from arena.store.study_query import add_rows


@dataclass
class StudyCalls:
    run: str  # the call log's run: "study:<run id>"
    pending: list[LoggedCall] = field(default_factory=list)
    written: int = 0  # calls numbered so far (the next is written + 1)

    @classmethod
    def of(cls, run_id: str) -> StudyCalls:
        return cls(f"study:{run_id}")

    @contextmanager
    def recording(self) -> Iterator[None]:
        """Every call finished inside is kept for the next `add_rows` (a debate played
        inside records its own calls instead: the engine's recording takes over)."""
        with recording(self.pending):
            yield

    @contextmanager
    def asking(self, stage: str, who: str) -> Iterator[None]:
        """`recording`, the calls filed under `stage` for `who` (a participant id or a judge)."""
        with recording(self.pending), scope(stage, who):
            yield

    def add_rows(self, store: Store, rows: Sequence[Any]) -> None:
        """The rows and the calls kept since the last write, in one transaction."""
        add_rows(store, rows, calls=self.pending, run=self.run, first_seq=self.written + 1)
        self.written += len(self.pending)
        self.pending.clear()
