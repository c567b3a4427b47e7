"""Typed events the engine emits. The CLI renders them, the TUI turns them into
messages, the store persists the final record. The engine itself never prints."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from arena.debate.records import Ballot, Bet, DebateRecord, RoundScore, Speech, Verdict


@dataclass(frozen=True)
class DebateStarted:
    record: DebateRecord


@dataclass(frozen=True)
class SpeechStarted:
    index: int
    side: str
    stage: str
    word_limit: int
    participant: str


@dataclass(frozen=True)
class SpeechToken:
    index: int
    side: str
    text: str


@dataclass(frozen=True)
class SpeechFinished:
    speech: Speech


@dataclass(frozen=True)
class BetPlaced:
    bet: Bet


@dataclass(frozen=True)
class RoundScored:
    score: RoundScore


@dataclass(frozen=True)
class BallotCast:
    ballot: Ballot


@dataclass(frozen=True)
class Warning:
    message: str


@dataclass(frozen=True)
class DebateFinished:
    record: DebateRecord
    verdict: Verdict


@dataclass(frozen=True)
class DebateError:
    record: DebateRecord
    message: str


Event = (
    DebateStarted
    | SpeechStarted
    | SpeechToken
    | SpeechFinished
    | BetPlaced
    | RoundScored
    | BallotCast
    | Warning
    | DebateFinished
    | DebateError
)
Listener = Callable[[Event], None]


def ignore(_event: Event) -> None:
    """The listener for callers that want only the returned record."""
