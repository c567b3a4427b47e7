"""What a debater is given for a speech or a bet, and what it gives back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from arena.debate.formats import Format, Stage
from arena.debate.records import AgentStep, Bet, BetCondition, MotionRef, Speech
from arena.llm.types import Completion, LLMRequest, TokenCallback
from arena.motions import Evidence


class ModelGateway(Protocol):
    async def complete(self, req: LLMRequest, on_token: TokenCallback | None = None) -> Completion: ...


@dataclass
class SpeechTurn:
    motion: MotionRef
    format: Format
    stage: Stage
    visible: list[Speech]  # exactly the earlier speeches this stage may see
    visible_bets: list[Bet]  # empty unless bets are public
    condition: BetCondition
    seed: int
    evidence: list[Evidence] = field(default_factory=list)  # the motion's evidence snippets, for teams


@dataclass
class BetTurn:
    motion: MotionRef
    stage: Stage
    visible: list[Speech]  # what the speaker could see, plus its own new speech
    visible_bets: list[Bet]
    condition: BetCondition
    seed: int


@dataclass
class SpeechOutput:
    text: str
    model: str = ""
    tokens_in: int = 0
    tokens_out: int = 0
    cost: float | None = None
    latency_s: float = 0.0
    retries: int = 0  # the gateway's retries over its calls (a team's: over all its roles' calls)
    trace: list[AgentStep] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # kept on the debate's record (e.g. an off-side speech)
    calls: int = 1  # answered model calls (2 when a speech was asked again)


@dataclass
class BetOutput:
    amount: int | None
    reasoning: str = ""
    tokens_in: int = 0
    tokens_out: int = 0
    cost: float | None = None
    calls: int = 0
    retries: int = 0  # the gateway's retries over its calls, a failed one's included


class Debater(Protocol):
    """A single model, an agent team or a person: anything that can speak and bet."""

    participant_id: str

    @property
    def models(self) -> set[str]:
        """Every model this debater calls (to flag a judge that is also a debater)."""
        ...

    async def speak(self, turn: SpeechTurn, on_token: Callable[[str], None]) -> SpeechOutput: ...

    async def bet(self, turn: BetTurn) -> BetOutput: ...
