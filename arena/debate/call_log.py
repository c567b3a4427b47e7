"""The debate's side of the call log: which stage and which participant or judge each
model call served, and the list the calls of one debate are collected in.

The engine wraps each piece of work in `scope(stage, who)` and the whole debate in
`recording(calls)`; the gateway hands every finished call to the recorder
(`arena.llm.recorder`), which files it under the scope it ran in. Collecting costs a
small object per call: redaction, hashing and compression happen when the store writes
the log with the debate (`arena.store.call_log`)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from arena.llm.recorder import CALL_RECORDER, FinishedCall

# (stage, who): what the calls made here serve, e.g. ("pro constructive", "model:sim/a").
CALL_SCOPE: ContextVar[tuple[str, str]] = ContextVar("call_scope", default=("", ""))


@dataclass(slots=True)
class LoggedCall:
    """One model call of a debate: where it served, what it was, when it finished."""

    stage: str
    who: str
    call: FinishedCall
    finished_at: float


class scope:  # noqa: N801 - used like a function: `with scope(stage, who):`
    """The calls made inside serve `stage` for `who` (a participant id or a judge). A class,
    not a generator: it wraps every speech, bet and judge's turn of every debate."""

    __slots__ = ("_token", "_value")

    def __init__(self, stage: str, who: str) -> None:
        self._value = (stage, who)

    def __enter__(self) -> None:
        self._token = CALL_SCOPE.set(self._value)

    def __exit__(self, *exc: object) -> None:
        CALL_SCOPE.reset(self._token)


@contextmanager
def recording(into: list[LoggedCall]) -> Iterator[None]:
    """Every call finished inside (in this task and the tasks it starts) is appended to `into`."""

    def record(call: FinishedCall) -> None:
        stage, who = CALL_SCOPE.get()
        into.append(LoggedCall(stage, who, call, time.time()))

    token = CALL_RECORDER.set(record)
    try:
        yield
    finally:
        CALL_RECORDER.reset(token)
