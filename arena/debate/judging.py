"""Judges: a panel of models that score every round and cast final ballots.

Judges see "Proposition" and "Opposition", never model names; speeches reach them as
quoted data between unguessable delimiters. Answers are JSON (a schema where the
provider supports it, a grammar for the local model), parsed defensively, asked for
again on a bad parse, and recorded as void rather than guessed."""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from arena.config import ModelSettings
from arena.debate import transcript
from arena.debate.options import InconsistentPolicy
from arena.debate.prompts import render
from arena.debate.records import SIDE_LABEL, Ballot, MotionRef, RoundScore, Side, Speech
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
BALLOT_SCHEMA: dict[str, Any] = {
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
        # minLength: where the schema becomes a grammar (the embedded model, a llama.cpp
        # server) the model cannot close the string before it has given a reason; an empty
        # one voids the ballot. Hosted providers get no length bounds (gateway).
        "reasons": {"type": "string", "minLength": 12, "maxLength": 500},
    },
    "required": ["winner", "confidence", "scores", "reasons"],
    "additionalProperties": False,
}
BREAK_SCHEMA = {
    "type": "object",
    "properties": {
        "decided": {"type": "boolean"},
        "leader": {"type": "string", "enum": ["Proposition", "Opposition"]},
        "confidence": {"type": "integer", "minimum": 0, "maximum": 100},
        "reason": {"type": "string", "maxLength": 300},
    },
    "required": ["decided", "leader", "confidence", "reason"],
    "additionalProperties": False,
}


@dataclass(frozen=True)
class BreakAnswer:
    """A judge's answer to "is the debate already decided?" after a round."""

    judge: str
    repeat: int
    decided: bool
    leader: str  # pro | con
    confidence: int
    reason: str


# Which side is right, without dimension scores (the consultancy and direct protocols).
TRUTH_SCHEMA = {
    "type": "object",
    "properties": {k: BALLOT_SCHEMA["properties"][k] for k in ("winner", "confidence", "reasons")},
    "required": ["winner", "confidence", "reasons"],
    "additionalProperties": False,
}


# Neutral labels: the sides are shown as "<name> team", names drawn at random per ballot,
# so a judge that favours the word "Proposition" (or the first name) cannot favour a side.
NEUTRAL_NAMES = ("Amber", "Teal", "Cobalt", "Saffron", "Jade", "Coral", "Slate", "Ivory")


# Judges that see neutral labels unless told otherwise: the embedded model named the
# Proposition in every ballot on equal debaters (6 of 6; README, "Choosing judges").
NEUTRAL_BY_DEFAULT = frozenset({"local/smollm2"})


def neutral_labels(seed: int) -> dict[str, str]:
    first, second = random.Random(seed).sample(NEUTRAL_NAMES, 2)
    return {"pro": f"{first} team", "con": f"{second} team"}


def neutral_schema(labels: dict[str, str]) -> dict[str, Any]:
    names = sorted(labels.values())
    pair = {
        "type": "object",
        "properties": {n: _SCORE for n in names},
        "required": names,
        "additionalProperties": False,
    }
    return {
        "type": "object",
        "properties": {
            "winner": {"type": "string", "enum": names},
            "confidence": BALLOT_SCHEMA["properties"]["confidence"],
            "scores": {
                "type": "object",
                "properties": {d: pair for d in DIMENSIONS},
                "required": list(DIMENSIONS),
                "additionalProperties": False,
            },
            "reasons": BALLOT_SCHEMA["properties"]["reasons"],
        },
        "required": ["winner", "confidence", "scores", "reasons"],
        "additionalProperties": False,
    }


@dataclass(frozen=True)
class JudgeSpec:
    settings: ModelSettings
    repeats: int = 1
    # A ballot whose winner contradicts its own dimension scores: keep it (flagged),
    # ask again (void if it stays inconsistent), or void it at once.
    inconsistent: InconsistentPolicy = "keep"
    neutral_labels: bool = False  # show the sides as randomly assigned neutral labels

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
    if isinstance(value, str) and re.fullmatch(r"\s*\d+(\.\d+)?\s*", value):
        value = float(value)  # "7": a number written as a string is still the number
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        shown = "missing" if value is None else repr(value)
        raise JudgeParseError(f"{field} must be a number from {low} to {high}, got {shown}")
    return int(round(value))


def _confidence(value: object) -> int:
    """0-100. A fraction such as 0.85 is read as 85%: models answer on either scale, and
    rounding 0.85 to 1 would record a confident judge as having no confidence at all."""
    if isinstance(value, float) and 0.0 < value < 1.0:
        value = value * 100
    return _score(value, "confidence", 0, 100)


def _reasons(value: object, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        shown = "missing" if value is None else repr(value)
        raise JudgeParseError(f"{field} must be a non-empty string of reasons, got {shown}")
    return value.strip()


def parse_round(text: str) -> tuple[int, int, str]:
    """A round score needs both sides' scores; its line of reasons is kept if given."""
    data = _json_object(text)
    reason = data.get("reason", data.get("reasons", ""))
    return (
        _score(data.get("pro"), "pro", 1, 10),
        _score(data.get("con"), "con", 1, 10),
        reason.strip() if isinstance(reason, str) else "",
    )


def _key(text: object) -> str:
    return re.sub(r"[^a-z]", "", str(text).lower())


# A ballot's winner as judges write it (letters only, lower case).
WINNER_WORDS: dict[str, Side] = {"proposition": "pro", "pro": "pro", "opposition": "con", "con": "con"}


def parse_ballot(text: str, labels: dict[str, str] | None = None) -> tuple[Side, int, dict[str, dict[str, int]], str]:
    """`labels`: the neutral names the judge saw (side -> name), mapped back to sides."""
    data = _json_object(text)
    winner = _key(data.get("winner", ""))
    names: dict[str, Side] = WINNER_WORDS
    if labels:
        names = {}
        for side_of, label in labels.items():
            side_name: Side = "pro" if side_of == "pro" else "con"
            names[_key(label)] = side_name
            names[_key(label.split()[0])] = side_name
    side = names.get(winner)
    if side is None:
        expected = " or ".join(f'"{n}"' for n in (sorted(labels.values()) if labels else ("Proposition", "Opposition")))
        raise JudgeParseError(f"winner must be {expected}, got {data.get('winner')!r}")
    confidence = _confidence(data.get("confidence"))
    reasons = _reasons(data.get("reasons", data.get("reason")), "reasons")
    scores: dict[str, dict[str, int]] = {}
    raw_scores = data.get("scores")
    if not isinstance(raw_scores, dict):
        raw_scores = {}
    for dim in DIMENSIONS:
        pair = raw_scores.get(dim)
        if isinstance(pair, dict) and labels:
            pair = {names.get(_key(k)): v for k, v in pair.items()}
        if isinstance(pair, dict):
            try:
                scores[dim] = {s: _score(pair.get(s), f"{dim}.{s}", 1, 10) for s in ("pro", "con")}
            except JudgeParseError:
                continue  # a missing dimension score does not void the decision itself
    return side, confidence, scores, reasons


def score_totals(scores: dict[str, dict[str, int]]) -> tuple[int, int]:
    """(Proposition, Opposition) summed over the dimensions the judge scored."""
    return sum(p["pro"] for p in scores.values()), sum(p["con"] for p in scores.values())


def contradicts_scores(winner: str, scores: dict[str, dict[str, int]]) -> bool:
    """The winner is the side the judge's own dimension scores put behind."""
    return bool(scores) and contradicts_totals(winner, score_totals(scores))


def round_totals(rounds: list[RoundScore], judge: str, repeat: int) -> tuple[int, int] | None:
    """(Proposition, Opposition) summed over the rounds this judge (this repeat) scored;
    None when it scored none."""
    mine = [r for r in rounds if r.judge == judge and r.repeat == repeat]
    if not mine:
        return None
    return sum(r.pro for r in mine), sum(r.con for r in mine)


def contradicts_totals(winner: str, totals: tuple[int, int] | None) -> bool:
    """The winner is the side these totals put behind (a tie contradicts neither)."""
    if totals is None:
        return False
    pro, con = totals
    return (winner == "pro" and pro < con) or (winner == "con" and con < pro)


def parse_break(text: str) -> tuple[bool, str, int, str]:
    data = _json_object(text)
    decided = data.get("decided")
    if isinstance(decided, str) and decided.strip().lower() in ("true", "false", "yes", "no"):
        decided = decided.strip().lower() in ("true", "yes")
    if not isinstance(decided, bool):
        raise JudgeParseError(f"decided must be true or false, got {decided!r}")
    leader = re.sub(r"[^a-z]", "", str(data.get("leader", "")).lower())
    side = {"proposition": "pro", "pro": "pro", "opposition": "con", "con": "con"}.get(leader)
    if side is None:
        raise JudgeParseError(f'leader must be "Proposition" or "Opposition", got {data.get("leader")!r}')
    return decided, side, _score(data.get("confidence"), "confidence", 0, 100), str(data.get("reason", ""))


class Judge:
    """One judge model; `repeat` distinguishes several runs of the same model."""

    def __init__(self, spec: JudgeSpec, gateway: ModelGateway, motion: MotionRef, nonce: str, seed: int) -> None:
        self.spec = spec
        self.gateway = gateway
        self.motion = motion
        self.nonce = nonce
        self.seed = seed
        self.usage: list[tuple[str, int, int, float | None]] = []  # (purpose, in, out, cost)
        self.retries = 0  # retries the gateway spent on this judge's calls, failed ones included

    def _system(self, name: str = "judge_system") -> Message:
        text = render(name, nonce=self.nonce)
        if self.spec.settings.persona:  # a judge persona (arena study personas)
            text += "\n" + render("judge_persona", persona=self.spec.settings.persona)
        return Message("system", text)

    async def _ask(
        self,
        purpose: Purpose,
        prompt: str,
        schema: dict[str, Any],
        parse: Callable[[str], Parsed],
        seed: int,
        attempts: int = 3,
        system: str = "judge_system",
    ) -> tuple[Parsed | None, str]:
        messages = [self._system(system), Message("user", prompt)]
        problem = "no answer"
        for _ in range(attempts):
            settings = self.spec.settings
            req = LLMRequest(
                model=settings.model,
                messages=messages,
                purpose=purpose,
                max_tokens=min(400, settings.max_tokens or 400),
                temperature=settings.temperature,
                json_schema=schema,
                api_base=settings.api_base,
                seed=seed,
            )
            try:
                completion = await self.gateway.complete(req)
            except LLMError as exc:
                self.retries += exc.retries
                return None, f"{exc.kind}: {exc}"
            usage = completion.usage
            self.retries += usage.retries
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
        parsed, _error = await self._ask(
            "round_score", prompt, ROUND_SCHEMA, parse_round, self.seed + round_no + 97 * repeat
        )
        if parsed is None:
            return None
        pro, con, reason = parsed
        return RoundScore(judge=self.spec.name, round=round_no, pro=pro, con=con, reason=reason, repeat=repeat)

    def labels(self, repeat: int = 0) -> dict[str, str]:
        """The names the judge sees for (pro, con) in this run."""
        if self.spec.neutral_labels:
            return neutral_labels(self.seed + 7919 * (repeat + 1))
        return dict(SIDE_LABEL)

    async def break_check(self, speeches: list[Speech], round_no: int, repeat: int) -> BreakAnswer | None:
        prompt = render(
            "break_check",
            motion=self.motion.text,
            transcript=transcript.for_judge(speeches, self.nonce),
            round=round_no,
        )
        parsed, _error = await self._ask(
            "break_check", prompt, BREAK_SCHEMA, parse_break, self.seed + 31 * round_no + 97 * repeat + 5
        )
        if parsed is None:
            return None
        decided, leader, confidence, reason = parsed
        return BreakAnswer(self.spec.name, repeat, decided, leader, confidence, reason)

    async def ballot(self, speeches: list[Speech], repeat: int, swapped: bool, self_judged: bool) -> Ballot:
        if self.spec.neutral_labels:
            labels = self.labels(repeat)
            first, second = sorted(labels.values())
            prompt = render(
                "judge_ballot_neutral",
                motion=self.motion.text,
                first=first,
                second=second,
                transcript=transcript.for_judge(speeches, self.nonce, swapped=swapped, labels=labels),
            )
            return await self.decide(
                prompt,
                repeat,
                swapped,
                self_judged,
                system="judge_system_neutral",
                schema=neutral_schema(labels),
                labels=labels,
            )
        prompt = render(
            "judge_ballot",
            motion=self.motion.text,
            transcript=transcript.for_judge(speeches, self.nonce, swapped=swapped),
        )
        return await self.decide(prompt, repeat, swapped, self_judged)

    async def decide(
        self,
        prompt: str,
        repeat: int = 0,
        swapped: bool = False,
        self_judged: bool = False,
        *,
        system: str = "judge_system",
        schema: dict[str, Any] | None = None,
        labels: dict[str, str] | None = None,
    ) -> Ballot:
        """Ask for a ballot on a rendered prompt: valid, re-asked, or void with the reason.

        The seed does not depend on the order shown: a run of a judge on a debate is the
        same run whichever side is quoted first, so only the order differs."""
        policy = self.spec.inconsistent
        shown = labels or SIDE_LABEL

        def parse(text: str) -> tuple[Side, int, dict[str, dict[str, int]], str]:
            parsed = parse_ballot(text, labels)
            if policy == "reask" and contradicts_scores(parsed[0], parsed[2]):
                pro, con = score_totals(parsed[2])
                raise JudgeParseError(
                    f"the winner contradicts your own scores ({shown['pro']} {pro}, {shown['con']} {con}); "
                    "choose the winner your scores support, or change the scores"
                )
            return parsed

        seed = self.seed + 7919 * (repeat + 1)
        parsed, error = await self._ask("ballot", prompt, schema or BALLOT_SCHEMA, parse, seed, system=system)
        if parsed is None:
            return Ballot(
                judge=self.spec.name, winner=None, swapped=swapped, repeat=repeat, self_judged=self_judged, error=error
            )
        side, confidence, scores, reasons = parsed
        inconsistent = contradicts_scores(side, scores)
        if inconsistent and policy == "void":
            pro, con = score_totals(scores)
            return Ballot(
                judge=self.spec.name,
                winner=None,
                confidence=confidence,
                scores=scores,
                reasons=reasons,
                swapped=swapped,
                repeat=repeat,
                self_judged=self_judged,
                inconsistent=True,
                error=f"inconsistent: winner {side} against its own scores {pro}-{con}",
            )
        return Ballot(
            judge=self.spec.name,
            winner=side,
            confidence=confidence,
            scores=scores,
            reasons=reasons,
            swapped=swapped,
            repeat=repeat,
            self_judged=self_judged,
            inconsistent=inconsistent,
        )
