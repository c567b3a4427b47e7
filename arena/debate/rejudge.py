"""Re-judging a stored debate (issue 21, item 2; the engine's part): new round scores and
ballots from other judges on exactly the stored transcript, under the debate's own
protocol (sides, swap, the judges' labels as their specs say). The speeches and bets are
the original's, copied; the original record is not touched. Storing the result in its
own collection, the plan and its resume are the callers' (not yet written)."""

from __future__ import annotations

import asyncio
import copy
import time
from dataclasses import replace

from arena.debate.call_log import LoggedCall, recording, scope
from arena.debate.judging import NEUTRAL_BY_DEFAULT, Judge, JudgeSpec
from arena.debate.protocols import judge_by_protocol
from arena.debate.records import Ballot, DebateRecord, RoundScore
from arena.debate.transcript import judge_nonce
from arena.debate.turns import ModelGateway
from arena.debate.verdict import aggregate
from arena.llm.types import LLMError


async def rejudge(
    original: DebateRecord, judges: list[JudgeSpec], gateway: ModelGateway, *, debate_id: str, collection: str
) -> DebateRecord:
    """A new record for `original` judged by `judges`: its round scores (debate protocol),
    its ballots (both orders when the debate was judged with swap) and verdict, its usage
    and its call log. Void, with the reason, when no judge gives a usable ballot."""
    record = DebateRecord(
        id=debate_id,
        motion=original.motion,
        format=original.format,
        pro=original.pro,
        con=original.con,
        judges=[j.name for j in judges for _ in range(j.repeats)],
        seed=original.seed,
        speeches=copy.deepcopy(original.speeches),
        bets=copy.deepcopy(original.bets),
        started_at=time.time(),
        collection=collection,
        consultant=original.consultant,
        options=replace(original.options, judges=tuple(j.name for j in judges)),
        rejudge_of=original.id,
    )
    judges = [as_judged(spec, original) for spec in judges]
    calls: list[LoggedCall] = []
    record.calls = calls
    nonce = judge_nonce(record.seed, record.id, record.pro, record.con)
    panel = [Judge(spec, gateway, record.motion, nonce, record.seed) for spec in judges]
    models = {s.model for s in record.speeches} | {step.model for s in record.speeches for step in s.trace}
    runs = [(judge, repeat) for judge in panel for repeat in range(judge.spec.repeats)]
    with recording(calls):
        if record.protocol == "debate":
            rounds = sorted({s.round for s in record.speeches})
            scores = await asyncio.gather(*(_score(j, r, record, n) for j, r in runs for n in rounds))
            record.round_scores = [s for s in scores if s is not None]
        orders = (False, True) if record.options.swap and record.protocol == "debate" else (False,)
        record.ballots = list(
            await asyncio.gather(*(_ballot(j, r, s, record, models) for j, r in runs for s in orders))
        )
    for judge in panel:
        for purpose, tokens_in, tokens_out, cost in judge.usage:
            record.usage.add(purpose, tokens_in, tokens_out, cost)
        record.usage.retries += judge.retries
    record.finished_at = time.time()
    verdict = aggregate(record.ballots)
    if verdict.pro_votes + verdict.con_votes == 0:
        record.status, record.error = "void", "no judge produced a usable ballot"
        return record
    record.verdict, record.status = verdict, "finished"
    return record


async def _score(judge: Judge, repeat: int, record: DebateRecord, round_no: int) -> RoundScore | None:
    with scope(f"round {round_no}", _run(judge, repeat)):
        shown = [s for s in record.speeches if s.round <= round_no]  # what the judge had seen then
        return await judge.score_round(shown, round_no, repeat)


async def _ballot(judge: Judge, repeat: int, swapped: bool, record: DebateRecord, models: set[str]) -> Ballot:
    self_judged = judge.spec.settings.model in models
    with scope("ballot (swapped)" if swapped else "ballot", _run(judge, repeat)):
        try:
            if record.protocol == "debate":
                return await judge.ballot(record.speeches, repeat, swapped, self_judged)
            return await judge_by_protocol(
                judge, record.protocol, record.speeches, record.consultant, repeat, self_judged
            )
        except LLMError as exc:  # the judges' own methods void a ballot; this is the net under them
            return Ballot(judge=judge.spec.name, winner=None, repeat=repeat, swapped=swapped, error=str(exc))


def as_judged(spec: JudgeSpec, original: DebateRecord) -> JudgeSpec:
    """The judge under the original's judging options: its inconsistent-ballot policy and
    its labels (neutral ones if it asked for them, else as the judge's model defaults)."""
    labels = original.options.neutral_labels
    return replace(
        spec,
        inconsistent=original.options.inconsistent,
        neutral_labels=spec.settings.model in NEUTRAL_BY_DEFAULT if labels is None else labels,
    )


def _run(judge: Judge, repeat: int) -> str:
    return f"{judge.spec.name} #{repeat + 1}" if judge.spec.repeats > 1 else judge.spec.name
