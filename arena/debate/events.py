"""Typed events the engine emits while a debate runs; the engine itself never prints.

Listeners: the CLI prints them (arena.render.debate_view.DebatePrinter), the TUI's
debate widget draws them (arena.tui.widgets.debate_view.DebateView.apply, called on the
app's loop); headless tournaments listen to none. Nothing stores events: the engine
returns a `DebateRecord`, and the caller persists that. Each listener dispatches with
`match` over `Event`, so a new event type is a type error until every listener handles
it."""

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
class DebateWarning:
    """Something the user should know that does not stop the debate (a judge's lost score)."""

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
    | DebateWarning
    | DebateFinished
    | DebateError
)
Listener = Callable[[Event], None]


def ignore(_event: Event) -> None:
    """The listener for callers that want only the returned record."""
