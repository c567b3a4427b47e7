"""Asking a judge to pick the better of two responses, for every item in both orders
(arena judges bench).

The judge sees the instruction and the two responses as A and B (arena/prompts/bench_pair.txt)
and answers JSON, {"better": "A"} or {"better": "B"}: a schema, so providers that support
structured output are held to it and the embedded model is constrained by the grammar the
gateway builds from it. The answer is read defensively (the JSON, else a bare letter or
"Response A is better"); one that cannot be read is asked again once, then counted void.
Calls go through the project's gateway (its retries, limits and redaction) and are kept
for the call log, stored with the run under "bench:<its id>".

A run can be checkpointed: `answered` holds the ballots an interrupted run already has
(they are not asked again), and `on_ballot` receives each new ballot with its own calls as
soon as it is decided, for the caller to store (the CLI does: run the same command again
after a crash and it resumes)."""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from arena.audit.bench import BenchCounts, Choice, PairBallots, PairItem, compute
from arena.config import ModelSettings
from arena.debate.call_log import LoggedCall, recording, scope
from arena.debate.prompts import render
from arena.debate.turns import ModelGateway
from arena.llm.simulator import is_sim_model
from arena.llm.types import LLMError, LLMRequest, Message
from arena.prompt_markers import BENCH_LABELS, bench_block, bench_sim_key

BENCH_SCHEMA = {
    "type": "object",
    "properties": {"better": {"type": "string", "enum": list(BENCH_LABELS)}},
    "required": ["better"],
    "additionalProperties": False,
}
MAX_ANSWER_TOKENS = 32  # {"better": "A"} and room to spare, unless arena.toml sets max_tokens
ATTEMPTS = 2  # the first answer and one more after an unreadable one

_BARE = re.compile(r"^\W*(?:(?:response|output|answer)\s*)?\(?([AB])\)?\W*$", re.IGNORECASE)
_SAID = re.compile(
    r"\b(?:response|output|answer)\s*\(?([AB])\)?\s+(?:is|was|seems)\s+(?:the\s+)?better\b"
    r"|\bbetter\s+(?:response|one|answer)\s+is\s+(?:response\s+|output\s+)?\(?([AB])\)?(?![\w])",
    re.IGNORECASE,
)


def parse_choice(text: str) -> str:
    """ "A" or "B" from an answer; raises ValueError saying what was wrong."""
    start = text.find("{")
    if start >= 0:
        try:
            value, _ = json.JSONDecoder(strict=False).raw_decode(text[start:])
        except json.JSONDecodeError:
            value = None
        if isinstance(value, dict):
            found = {str(k).strip().lower(): v for k, v in value.items()}.get("better")
            if isinstance(found, str):
                letter = _BARE.match(found.strip())
                if letter:
                    return letter.group(1).upper()
            raise ValueError(f'"better" must be "A" or "B", got {str(found)[:40]!r}')
    bare = _BARE.match(text.strip())
    if bare:
        return bare.group(1).upper()
    said = {(m.group(1) or m.group(2)).upper() for m in _SAID.finditer(text)}
    if len(said) == 1:
        return said.pop()
    raise ValueError('expected JSON {"better": "A"} or {"better": "B"}')


def item_key(item: PairItem) -> str:
    key = json.dumps([item.prompt, item.a, item.b], ensure_ascii=False)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def bench_prompt(item: PairItem, swapped: bool, simulated: bool) -> str:
    """The item as the judge sees it: a shown as A unless `swapped`. Only a simulated
    judge's prompt ends with the key line that says which label is the better response."""
    first, second = (item.b, item.a) if swapped else (item.a, item.b)
    text = render(
        "bench_pair",
        instruction=bench_block("INSTRUCTION", item.prompt),
        first=bench_block("RESPONSE A", first),
        second=bench_block("RESPONSE B", second),
    )
    if simulated:
        better = "A" if (item.gold == "a") != swapped else "B"
        text += "\n\n" + bench_sim_key(item_key(item), better)
    return text


@dataclass
class BenchRun:
    judge: str  # the name as given
    judge_id: str  # the stable id results are stored under
    counts: BenchCounts
    results: list[PairBallots]
    void_reasons: Counter[str] = field(default_factory=Counter)
    # Its model calls (the call log): stored with the run, under "bench:<its id>".
    calls: list[LoggedCall] = field(default_factory=list, repr=False, compare=False)


Progress = Callable[[int], None]
BallotKey = tuple[int, bool]  # (record, swapped)
# A ballot as soon as it is decided: its key, the response chosen (None: void) and its calls.
OnBallot = Callable[[BallotKey, Choice | None, list[LoggedCall]], None]


async def run_bench(
    name: str,
    settings: ModelSettings,
    items: list[PairItem],
    gateway: ModelGateway,
    *,
    seed: int = 1,
    concurrency: int = 4,
    progress: Progress | None = None,
    answered: dict[BallotKey, Choice] | None = None,
    on_ballot: OnBallot | None = None,
) -> BenchRun:
    gate = asyncio.Semaphore(concurrency)
    simulated = is_sim_model(settings.model)
    reasons: Counter[str] = Counter()
    calls: list[LoggedCall] = []  # the calls of the ballots asked in this run
    done = 0

    async def ballot(item: PairItem, swapped: bool) -> Choice | None:
        nonlocal done
        key = (item.record, swapped)
        if answered and key in answered:
            choice: Choice | None = answered[key]
        else:
            order = "swapped" if swapped else "as given"
            mine: list[LoggedCall] = []
            with recording(mine), scope(f"bench item {item.record} {order}", name):
                async with gate:
                    letter = await ask(bench_prompt(item, swapped, simulated), seed + 2 * item.record + swapped)
            calls.extend(mine)
            shown_a, shown_b = ("b", "a") if swapped else ("a", "b")
            choice = None if letter is None else shown_a if letter == "A" else shown_b
            if on_ballot is not None:
                on_ballot(key, choice, mine)
        done += 1
        if progress is not None:
            progress(done)
        return choice

    async def ask(prompt: str, call_seed: int) -> str | None:
        messages = [Message("user", prompt)]
        for attempt in range(ATTEMPTS):
            req = LLMRequest(
                model=settings.model,
                messages=messages,
                purpose="bench_pair",
                max_tokens=settings.max_tokens or MAX_ANSWER_TOKENS,  # arena.toml's, for a model that thinks first
                temperature=settings.temperature,
                json_schema=BENCH_SCHEMA,
                api_base=settings.api_base,
                seed=call_seed + 7919 * attempt,
            )
            try:
                completion = await gateway.complete(req)
            except LLMError as exc:
                reasons[exc.kind] += 1
                return None
            try:
                return parse_choice(completion.text)
            except ValueError as exc:
                messages = [
                    *messages,
                    Message("assistant", completion.text),
                    Message("user", render("bench_retry", problem=str(exc))),
                ]
        reasons["unreadable"] += 1
        return None

    async def pair(item: PairItem) -> PairBallots:
        as_given, swapped = await asyncio.gather(ballot(item, False), ballot(item, True))
        return PairBallots(item, as_given, swapped)

    results = list(await asyncio.gather(*(pair(i) for i in items)))
    return BenchRun(name, settings.participant_id, compute(results), results, reasons, calls)
