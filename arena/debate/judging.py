"""Judges: a panel of models that score every round and cast final ballots.

Judges see "Proposition" and "Opposition", never model names; speeches reach them as
quoted data between unguessable delimiters. Answers are JSON (a schema where the
provider supports it, a grammar for the local model), parsed defensively, asked for
again on a bad parse, and recorded as void rather than guessed."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from arena.config import ModelSettings
from arena.debate import transcript
from arena.debate.prompts import render
from arena.debate.records import Ballot, MotionRef, RoundScore, Side, Speech
from arena.debate.turns import ModelGateway
from arena.llm.types import LLMError, LLMRequest, Message, Purpose

Parsed = TypeVar("Parsed")

DIMENSIONS = ("argument", "evidence", "language", "clash")

_SCORE = {"type": "integer", "minimum": 1, "maximum": 10}
_PAIR = {
    "type": "object",
    "properties": {"pro": _SCORE, "con": _SCORE},
    "required": ["pro", "con"],
    "additionalProperties": False,
}
ROUND_SCHEMA = {
    "type": "object",
    "properties": {"pro": _SCORE, "con": _SCORE, "reason": {"type": "string", "maxLength": 300}},
    "required": ["pro", "con", "reason"],
    "additionalProperties": False,
}
BALLOT_SCHEMA = {
    "type": "object",
    "properties": {
        "winner": {"type": "string", "enum": ["Proposition", "Opposition"]},
        "confidence": {"type": "integer", "minimum": 0, "maximum": 100},
        "scores": {
            "type": "object",
            "properties": {d: _PAIR for d in DIMENSIONS},
            "required": list(DIMENSIONS),
            "additionalProperties": False,
        },
        "reasons": {"type": "string", "maxLength": 500},
    },
    "required": ["winner", "confidence", "scores", "reasons"],
    "additionalProperties": False,
}


@dataclass(frozen=True)
class JudgeSpec:
    settings: ModelSettings
    repeats: int = 1

    @property
    def name(self) -> str:
        return self.settings.name or self.settings.model


class JudgeParseError(ValueError):
    pass


def _json_object(text: str) -> dict[str, Any]:
    """The first JSON object in the answer; models wrap JSON in prose and code fences."""
    start = text.find("{")
    if start < 0:
        raise JudgeParseError("no JSON object in the answer")
    try:
        # strict=False: small models put raw newlines inside JSON strings
        value, _ = json.JSONDecoder(strict=False).raw_decode(text[start:])
    except json.JSONDecodeError as exc:
        raise JudgeParseError(f"invalid JSON ({exc.msg})") from None
    if not isinstance(value, dict):
        raise JudgeParseError("the JSON is not an object")
    return value


def _score(value: object, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise JudgeParseError(f"{field} must be a number from {low} to {high}, got {value!r}")
    return int(round(value))


def parse_round(text: str) -> tuple[int, int, str]:
    data = _json_object(text)
    return _score(data.get("pro"), "pro", 1, 10), _score(data.get("con"), "con", 1, 10), str(data.get("reason", ""))


# A ballot's winner as judges write it (letters only, lower case).
WINNER_WORDS: dict[str, Side] = {"proposition": "pro", "pro": "pro", "opposition": "con", "con": "con"}


def parse_ballot(text: str) -> tuple[Side, int, dict[str, dict[str, int]], str]:
    data = _json_object(text)
    winner = re.sub(r"[^a-z]", "", str(data.get("winner", "")).lower())
    side = WINNER_WORDS.get(winner)
    if side is None:
        raise JudgeParseError(f"winner must be \"Proposition\" or \"Opposition\", got {data.get('winner')!r}")
    confidence = _score(data.get("confidence"), "confidence", 0, 100)
    scores: dict[str, dict[str, int]] = {}
    raw_scores = data.get("scores")
    if not isinstance(raw_scores, dict):
        raw_scores = {}
    for dim in DIMENSIONS:
        pair = raw_scores.get(dim)
        if isinstance(pair, dict):
            try:
                scores[dim] = {s: _score(pair.get(s), f"{dim}.{s}", 1, 10) for s in ("pro", "con")}
            except JudgeParseError:
                continue  # a missing dimension score does not void the decision itself
    return side, confidence, scores, str(data.get("reasons", ""))


class Judge:
    """One judge model; `repeat` distinguishes several runs of the same model."""

    def __init__(self, spec: JudgeSpec, gateway: ModelGateway, motion: MotionRef, nonce: str, seed: int) -> None:
        self.spec = spec
        self.gateway = gateway
        self.motion = motion
        self.nonce = nonce
        self.seed = seed
        self.usage: list[tuple[str, int, int, float | None]] = []  # (purpose, in, out, cost)

    def _system(self) -> Message:
        return Message("system", render("judge_system", nonce=self.nonce))

    async def _ask(self, purpose: Purpose, prompt: str, schema: dict[str, Any], parse: Callable[[str], Parsed],
                   seed: int, attempts: int = 3) -> tuple[Parsed | None, str]:
        messages = [self._system(), Message("user", prompt)]
        problem = "no answer"
        for _ in range(attempts):
            settings = self.spec.settings
            req = LLMRequest(
                model=settings.model,
                messages=messages,
                purpose=purpose,
                max_tokens=400,
                temperature=settings.temperature,
                json_schema=schema,
                api_base=settings.api_base,
                seed=seed,
            )
            try:
                completion = await self.gateway.complete(req)
            except LLMError as exc:
                return None, f"{exc.kind}: {exc}"
            usage = completion.usage
            self.usage.append((purpose, usage.tokens_in, usage.tokens_out, usage.cost))
            try:
                return parse(completion.text), ""
            except JudgeParseError as exc:
                problem = str(exc)
                messages = [
                    *messages,
                    Message("assistant", completion.text),
                    Message("user", render("judge_retry", problem=problem)),
                ]
        return None, f"bad output: {problem}"

    async def score_round(self, speeches: list[Speech], round_no: int, repeat: int) -> RoundScore | None:
        in_round = [s for s in speeches if s.round == round_no]
        prompt = render(
            "judge_round",
            motion=self.motion.text,
            transcript=transcript.for_judge(speeches, self.nonce),
            round=round_no,
            round_stages=", ".join(f"{'Proposition' if s.side == 'pro' else 'Opposition'} {s.stage}" for s in in_round),
        )
        parsed, _error = await self._ask("round_score", prompt, ROUND_SCHEMA, parse_round, self.seed + round_no + 97 * repeat)
        if parsed is None:
            return None
        pro, con, reason = parsed
        return RoundScore(judge=self.spec.name, round=round_no, pro=pro, con=con, reason=reason, repeat=repeat)

    async def ballot(self, speeches: list[Speech], repeat: int, swapped: bool, self_judged: bool) -> Ballot:
        prompt = render(
            "judge_ballot",
            motion=self.motion.text,
            transcript=transcript.for_judge(speeches, self.nonce, swapped=swapped),
        )
        seed = self.seed + 7919 * (repeat + 1) + (1 if swapped else 0)
        parsed, error = await self._ask("ballot", prompt, BALLOT_SCHEMA, parse_ballot, seed)
        if parsed is None:
            return Ballot(judge=self.spec.name, winner=None, swapped=swapped, repeat=repeat,
                          self_judged=self_judged, error=error)
        side, confidence, scores, reasons = parsed
        return Ballot(judge=self.spec.name, winner=side, confidence=confidence, scores=scores, reasons=reasons,
                      swapped=swapped, repeat=repeat, self_judged=self_judged)
