"""The gateway's one hook for the call log: each finished call (answered or failed) is
handed to the recorder set in `CALL_RECORDER`, if any.

Whoever wants the calls sets a recorder for the work it runs (the debate engine sets one
per debate: `arena.debate.call_log.recording`); the context variable routes each call to
its own debate when one gateway serves many at once. Unset, a call costs one look-up."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from arena.llm.types import LLMRequest, Usage


@dataclass(slots=True)
class FinishedCall:
    """One `Gateway.complete` as it ended: the request as sent, the answer as the arena
    keeps it (cleaned at the gateway; "" when the call failed), its usage (tokens, cost,
    latency over every attempt, the retries spent) and the error that ended it, if any."""

    request: LLMRequest
    answer: str
    usage: Usage
    error: str = ""


Recorder = Callable[[FinishedCall], None]
CALL_RECORDER: ContextVar[Recorder | None] = ContextVar("call_recorder", default=None)


def finished(request: LLMRequest, answer: str, usage: Usage, error: str = "") -> None:
    """Called by the gateway once per call, after its last attempt."""
    recorder = CALL_RECORDER.get()
    if recorder is not None:
        recorder(FinishedCall(request, answer, usage, error))
