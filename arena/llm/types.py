"""What the engine asks of a model and what comes back.

The engine never sees litellm: it builds an `LLMRequest`, the gateway answers with a
`Completion` or raises one of the `LLMError` kinds below.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Literal

Role = Literal["system", "user", "assistant"]

# What a call is for. Real models ignore it; the simulator uses it to decide what to
# produce, and usage accounting groups by it.
Purpose = Literal[
    "speech",
    "bet",
    "round_score",
    "ballot",
    "agent.searcher",
    "agent.analyzer",
    "agent.writer",
    "agent.reviewer",
    "break_check",  # adaptive break: is the debate decided? (arena study break)
    "stance",  # a debater's position on a claim (arena study fallacy, beliefs)
    "persuade",  # a persuader's turn (arena study fallacy)
    "side_choice",  # a debater choosing its side (arena study beliefs)
    "group_opinion",  # a group member's private opinion (arena group run)
    "group_post",  # a group member's public post
    "group_message",  # a group member's direct message to one other member
    "group_stance",  # a rater placing a public post on the 1-6 scale
    "qa_direct",  # a debater answering a QA item on its own (arena study qa)
    "qa_alternative",  # a debater choosing the alternative answer it will defend
    "bench_pair",  # a judge choosing the better of two responses (arena judges bench)
    "other",
]

TokenCallback = Callable[[str], None]

# What the gateway had to change in an answer (unpaired surrogates replaced), said by
# whoever set a list here: the debate engine sets one per debate and turns each note into
# a warning on the record. Unset (None): the note goes nowhere but the text is still fixed.
ANSWER_NOTES: ContextVar[list[str] | None] = ContextVar("answer_notes", default=None)


@dataclass(frozen=True)
class Message:
    role: Role
    content: str

    def as_dict(self) -> dict[str, str]:
        return {"role": self.role, "content": self.content}


@dataclass
class LLMRequest:
    model: str  # a litellm model string, "local/smollm2" or "sim/<name>?opts"
    messages: list[Message]
    purpose: Purpose = "other"
    max_tokens: int = 512
    temperature: float | None = None
    # Structured output: a JSON schema (providers that support it get it as
    # response_format; the local model is constrained by a grammar built from it).
    json_schema: dict[str, Any] | None = None
    # A GBNF grammar for the local model (e.g. the bet's tag format); others ignore it.
    grammar: str | None = None
    api_base: str | None = None
    seed: int | None = None
    # Seconds one attempt may take, and a stream may go without a piece; None: as set in
    # arena.toml or the environment (arena/llm/timeouts.py).
    timeout_s: float | None = None
    stall_s: float | None = None
    word_limit: int | None = None  # for speeches: the simulator writes this many words
    # Copying from the prompt penalised while sampling (arena/llm/copy_guard.py): the embedded
    # model and llama.cpp servers (its DRY sampler) only; other providers ignore it.
    avoid_copying: bool = False
    extra: dict[str, Any] = field(default_factory=dict)  # passed through to litellm


@dataclass
class Usage:
    model: str
    tokens_in: int = 0
    tokens_out: int = 0
    cost: float | None = None  # USD; None when the price is unknown
    latency_s: float = 0.0
    retries: int = 0

    def add(self, other: Usage) -> None:
        self.tokens_in += other.tokens_in
        self.tokens_out += other.tokens_out
        if other.cost is not None:
            self.cost = (self.cost or 0.0) + other.cost
        self.latency_s += other.latency_s
        self.retries += other.retries


@dataclass
class Completion:
    text: str
    usage: Usage
    cut_off: bool = False  # the stream ended before the model said it had finished


ErrorKind = Literal[
    "auth", "rate_limit", "context_too_long", "unavailable", "timeout", "bad_output", "bad_request", "other"
]


class LLMError(Exception):
    """A model call failed. `kind` says how; `transient` says whether retrying may help."""

    kind: ErrorKind = "other"
    transient: bool = False

    def __init__(self, message: str, *, model: str = "", status_code: int | None = None) -> None:
        super().__init__(message)
        self.model = model
        self.status_code = status_code
        self.retries = 0  # how many retries the gateway spent before giving up


class AuthError(LLMError):
    kind = "auth"


class RateLimitError(LLMError):
    kind = "rate_limit"
    transient = True


class ContextTooLongError(LLMError):
    kind = "context_too_long"


class BadRequestError(LLMError):
    """The request itself is wrong (unknown model, bad parameter): retrying cannot help."""

    kind = "bad_request"


class UnavailableError(LLMError):
    kind = "unavailable"
    transient = True


class CallTimeoutError(LLMError):
    kind = "timeout"
    transient = True


class StallError(CallTimeoutError):
    """A streamed answer went quiet for longer than its stall timeout."""


class BadOutputError(LLMError):
    """The model answered, but not in the shape asked for (after the allowed retries)."""

    kind = "bad_output"


class EmptyAnswerError(LLMError):
    """The call returned no text, or its stream ended before the model finished (a server
    serving one request at a time may cut a stream off when another arrives): transient."""

    kind = "bad_output"
    transient = True


class StreamCutError(EmptyAnswerError):
    """A stream ended (or broke) before the model said it had finished: tried again."""
