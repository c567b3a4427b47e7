"""`arena rejudge`: stored debates judged again into a collection of their own.

The plan is the list of (original, new id) pairs: each new id is drawn from the original's
id and the collection's name, so running the same command again (after a crash, a
`kill -9`, a `--max-cost` stop) finds what is stored already and does the rest; each new
debate is stored in one transaction (`Store.save_debate`), so nothing is done twice."""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from arena.debate.judging import JudgeSpec
from arena.debate.records import DebateRecord
from arena.debate.rejudge import rejudge
from arena.debate.turns import ModelGateway
from arena.errors import UsageProblem
from arena.store import rejudge_query
from arena.store.queries import load_debate
from arena.store.store import Store
from arena.tournament.estimate import BALLOT_OUT_TOKENS, ROUND_OUT_TOKENS, Estimate, ModelEstimate, _tokens

PROMPT_TOKENS = 400  # a judge's instructions around the transcript


def new_id(original: str, into: str) -> str:
    return hashlib.sha256(f"rejudge\x1f{into}\x1f{original}".encode()).hexdigest()[:12]


@dataclass
class RejudgePlan:
    into: str
    pairs: list[tuple[str, str]]  # (original id, new id), in order
    done: set[str] = field(default_factory=set)  # new ids stored as finished already

    @property
    def todo(self) -> list[tuple[str, str]]:
        return [(o, n) for o, n in self.pairs if n not in self.done]


def plan(
    store: Store,
    into: str,
    judges: list[str],
    *,
    ids: list[str],
    tournament: str | None = None,
    collection: str | None = None,
) -> RejudgePlan:
    """`judges`: the judge runs' names, as a re-judged debate stores them. A collection holds
    one panel's ballots: resuming it with other judges is refused."""
    if into == "arena":
        raise UsageProblem("--into names a collection of its own: re-judgings never mix with the arena's debates")
    if mixed := rejudge_query.not_rejudged(store, into):
        raise UsageProblem(
            f"--into {into!r} holds {mixed} debates or battles that are not re-judgings (played, imported or "
            "a study's): a re-judging gets a collection of its own; choose another name"
        )
    other = rejudge_query.judge_lists(store, into) - {json.dumps(judges)}
    if other:
        raise UsageProblem(
            f"collection {into!r} holds debates judged by {', '.join(json.loads(sorted(other)[0]))}; "
            "run it again with those judges to resume, or choose another --into"
        )
    originals = list(ids)
    if tournament is not None:
        originals += rejudge_query.finished_debates(store, tournament=tournament)
    if collection is not None:
        originals += rejudge_query.finished_debates(store, collection=collection)
    originals = list(dict.fromkeys(originals))
    stored = rejudge_query.finished_among(store, originals)
    missing = [o for o in originals if o not in stored]
    if missing:
        raise UsageProblem(f"no finished debate with id {missing[0]!r} to judge again")
    if not originals:
        raise UsageProblem("nothing to judge again: name debate ids, --tournament or --collection")
    pairs = [(o, new_id(o, into)) for o in originals]
    return RejudgePlan(into, pairs, rejudge_query.finished_among(store, [n for _, n in pairs]))


@dataclass
class RejudgeReport:
    judged: int = 0
    void: int = 0
    skipped: int = 0  # done before this run
    cost: float = 0.0
    stopped_for_cost: bool = False
    void_ids: list[str] = field(default_factory=list)  # the void copies, for `arena show ID` (why)


async def run(
    store: Store,
    todo: RejudgePlan,
    judges: list[JudgeSpec],
    gateway: ModelGateway,
    *,
    concurrency: int = 8,
    max_cost: float | None = None,
    progress: Callable[[int, DebateRecord], None] | None = None,
) -> RejudgeReport:
    """Judge the plan's remaining debates; `progress(n, record)` after the n-th is stored."""
    report = RejudgeReport(skipped=len(todo.done))
    gate = asyncio.Semaphore(max(1, concurrency))

    async def one(original_id: str, debate_id: str) -> None:
        async with gate:
            if max_cost is not None and report.cost >= max_cost:
                report.stopped_for_cost = True
                return
            original = await asyncio.to_thread(load_debate, store, original_id)
            assert original is not None  # the plan found it finished
            record: DebateRecord = await rejudge(original, judges, gateway, debate_id=debate_id, collection=todo.into)
            await asyncio.to_thread(store.save_debate, record)
            report.cost += record.usage.cost or 0.0
            if record.status == "finished":
                report.judged += 1
            else:
                report.void += 1
                report.void_ids.append(debate_id)
            if progress is not None:
                progress(report.judged + report.void, record)

    await asyncio.gather(*(one(o, n) for o, n in todo.todo))
    return report


def estimate(store: Store, todo: RejudgePlan, judges: list[JudgeSpec]) -> Estimate:
    """The dry run: the calls the plan's remaining debates take and their tokens, read from
    the stored transcripts (prompts from the speeches' words), priced like a tournament's
    (`arena.llm.pricing`). Calls no model."""
    from arena.llm.pricing import price_per_token

    result = Estimate(debates=len(todo.todo))
    for original_id, _ in todo.todo:
        original = load_debate(store, original_id)
        assert original is not None
        rounds = sorted({s.round for s in original.speeches}) if original.protocol == "debate" else []
        orders = 2 if original.options.swap and original.protocol == "debate" else 1
        everything = _tokens(sum(s.words for s in original.speeches)) + PROMPT_TOKENS
        for spec in judges:
            row = result.models.setdefault(spec.settings.model, ModelEstimate(spec.settings.model))
            for round_no in rounds:
                shown = _tokens(sum(s.words for s in original.speeches if s.round <= round_no)) + PROMPT_TOKENS
                row.calls += spec.repeats
                row.tokens_in += shown * spec.repeats
                row.tokens_out += ROUND_OUT_TOKENS * spec.repeats
            row.calls += spec.repeats * orders
            row.tokens_in += everything * spec.repeats * orders
            row.tokens_out += BALLOT_OUT_TOKENS * spec.repeats * orders
    for model, row in result.models.items():
        row.price = price_per_token(model)
    result.notes.append("retries and re-asked answers are not included")
    return result
