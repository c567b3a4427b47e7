"""A person at the debating table.

The engine treats a person like any other debater: it asks for a speech and, after each
speech, for a private bet. A `HumanDebater` passes those questions to a `HumanSeat`, the
front end that can reach the person (the TUI opens an editor and a bet form), and waits.
Nothing here knows about screens or keys, so the engine stays front-end free."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any, Protocol

from arena.debate.transcript import count_words
from arena.debate.turns import BetOutput, BetTurn, SpeechOutput, SpeechTurn


class HumanSeat(Protocol):
    """Where a person answers. Both calls may take minutes; cancelling them cancels the debate."""

    async def speech(self, turn: SpeechTurn) -> str:
        """The person's speech for `turn.stage`."""
        ...

    async def bet(self, turn: BetTurn) -> tuple[int | None, str]:
        """(confidence of winning 0-100 or None when skipped, private reasoning)."""
        ...


@dataclass(frozen=True)
class HumanSettings:
    """What the store keeps about a person: the name, nothing else."""

    name: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def human_id(name: str) -> str:
    return f"human:{name.strip()}"


def trim_to_words(text: str, limit: int) -> str:
    """The first `limit` words of `text`, line breaks kept (used when time runs out)."""
    if count_words(text) <= limit:
        return text
    kept, seen = [], 0
    for line in text.splitlines():
        words = line.split()
        if seen + len(words) > limit:
            kept.append(" ".join(words[: limit - seen]))
            break
        kept.append(line)
        seen += len(words)
    return "\n".join(kept).rstrip()


class HumanDebater:
    """A rated participant `human:<name>` whose turns are answered at a `HumanSeat`."""

    def __init__(self, name: str, seat: HumanSeat) -> None:
        self.settings = HumanSettings(name.strip())
        self.participant_id = human_id(name)
        self.seat = seat

    @property
    def models(self) -> set[str]:
        return set()  # a person calls no model, so no judge is ever "also a debater" here

    async def speak(self, turn: SpeechTurn, on_token: Callable[[str], None]) -> SpeechOutput:
        started = time.perf_counter()
        text = (await self.seat.speech(turn)).strip()
        if text:
            on_token(text)  # listeners see a person's speech arrive like any other
        return SpeechOutput(text=text, model="human", latency_s=time.perf_counter() - started)

    async def bet(self, turn: BetTurn) -> BetOutput:
        amount, reasoning = await self.seat.bet(turn)
        if amount is not None:
            amount = max(0, min(100, int(amount)))
        return BetOutput(amount=amount, reasoning=reasoning.strip())


def human_factory(seat: HumanSeat) -> Callable[[str], HumanDebater]:
    """The `HumanFactory` a front end hands to `arena.play.prepare`."""
    return lambda name: HumanDebater(name, seat)
