"""Asking a model one question of a study protocol: a private stance, a side, a message.

JSON answers are parsed defensively and asked for again once; an answer that never
parses is recorded as None (never guessed)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from arena.config import ModelSettings
from arena.debate.prompts import render
from arena.debate.turns import ModelGateway
from arena.llm.types import LLMError, LLMRequest, Message

T = TypeVar("T")

STANCE_SCHEMA = {
    "type": "object",
    "properties": {
        "position": {"type": "string", "enum": ["agree", "disagree"]},
        "confidence": {"type": "integer", "minimum": 0, "maximum": 100},
    },
    "required": ["position", "confidence"],
    "additionalProperties": False,
}
SIDE_SCHEMA = {
    "type": "object",
    "properties": {
        "side": {"type": "string", "enum": ["Proposition", "Opposition"]},
        "reason": {"type": "string", "maxLength": 300},
    },
    "required": ["side", "reason"],
    "additionalProperties": False,
}


@dataclass
class Calls:
    """What a study's questions cost."""

    calls: int = 0
    tokens: int = 0
    cost: float | None = None

    def add(self, tokens: int, cost: float | None) -> None:
        self.calls += 1
        self.tokens += tokens
        if cost is not None:
            self.cost = (self.cost or 0.0) + cost


def _object(text: str) -> dict[str, Any]:
    start = text.find("{")
    if start < 0:
        raise ValueError("no JSON object")
    value, _ = json.JSONDecoder(strict=False).raw_decode(text[start:])
    if not isinstance(value, dict):
        raise ValueError("not an object")
    return value


def parse_stance(text: str) -> tuple[str, int]:
    """("pro" | "con", confidence): agree with the motion is pro."""
    data = _object(text)
    position = str(data.get("position", "")).strip().lower()
    if position not in ("agree", "disagree"):
        raise ValueError(f"position must be agree or disagree, got {position!r}")
    confidence = data.get("confidence", 50)
    if isinstance(confidence, bool) or not isinstance(confidence, int | float):
        confidence = 50
    return ("pro" if position == "agree" else "con"), int(min(100, max(0, confidence)))


def parse_side(text: str) -> str:
    data = _object(text)
    side = str(data.get("side", "")).strip().lower()
    if side.startswith("prop") or side == "pro":
        return "pro"
    if side.startswith("opp") or side == "con":
        return "con"
    raise ValueError(f"side must be Proposition or Opposition, got {side!r}")


async def ask_json(
    gateway: ModelGateway,
    settings: ModelSettings,
    purpose: str,
    prompt: str,
    schema: dict[str, Any],
    parse: Callable[[str], T],
    seed: int,
    calls: Calls,
    attempts: int = 2,
) -> T | None:
    messages = [Message("user", prompt)]
    for attempt in range(attempts):
        req = LLMRequest(
            model=settings.model,
            messages=messages,
            purpose=purpose,  # type: ignore[arg-type]
            max_tokens=120,
            temperature=settings.temperature,
            json_schema=schema,
            api_base=settings.api_base,
            seed=seed + attempt,
        )
        try:
            completion = await gateway.complete(req)
        except LLMError:
            return None
        calls.add(completion.usage.tokens_in + completion.usage.tokens_out, completion.usage.cost)
        try:
            return parse(completion.text)
        except (ValueError, json.JSONDecodeError) as exc:
            messages = [
                *messages,
                Message("assistant", completion.text),
                Message("user", render("study_json_retry", problem=exc)),
            ]
    return None


async def ask_text(
    gateway: ModelGateway,
    settings: ModelSettings,
    purpose: str,
    prompt: str,
    seed: int,
    calls: Calls,
    word_limit: int = 80,
    system: str = "",
) -> str:
    messages = ([Message("system", system)] if system else []) + [Message("user", prompt)]
    req = LLMRequest(
        model=settings.model,
        messages=messages,
        purpose=purpose,  # type: ignore[arg-type]
        max_tokens=int(word_limit * 1.5) + 24,
        temperature=settings.temperature,
        api_base=settings.api_base,
        seed=seed,
        word_limit=word_limit,
    )
    completion = await gateway.complete(req)
    calls.add(completion.usage.tokens_in + completion.usage.tokens_out, completion.usage.cost)
    return completion.text.strip()
