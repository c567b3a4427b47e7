"""The debate engine: runs a format stage by stage and emits events.

Each speech is followed by its speaker's private bet. When the last speech of a round is
in, every judge scores that round (in the background, while the debate goes on); at the
end every judge casts its ballots and the panel's verdict is reached. A debater failure
makes the debate void; a judge failure voids only that judge's ballot. The engine never
prints and never stores: the caller persists the returned record."""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass, field, replace

from arena.debate import events as ev
from arena.debate.call_log import LoggedCall, recording, scope
from arena.debate.formats import Format
from arena.debate.judging import BreakAnswer, Judge, JudgeSpec, contradicts_totals, round_totals
from arena.debate.options import DebateOptions, Protocol
from arena.debate.protocols import judge_by_protocol
from arena.debate.records import (
    SIDE_LABEL,
    Ballot,
    Bet,
    BetCondition,
    DebateRecord,
    MotionRef,
    RoundScore,
    Side,
    Speech,
)
from arena.debate.transcript import judge_nonce, speech_words
from arena.debate.turns import BetTurn, Debater, ModelGateway, SpeechTurn
from arena.debate.verdict import aggregate
from arena.llm.types import ANSWER_NOTES, LLMError
from arena.motions import Evidence
from arena.redact import redact


@dataclass
class DebateSetup:
    """A debate ready to run: its options (whole, as `play.prepare` resolved them) and
    what they were resolved into: the format, the debaters, the judges."""

    motion: MotionRef
    format: Format
    pro: Debater
    con: Debater
    judges: list[JudgeSpec]
    options: DebateOptions = field(default_factory=DebateOptions)
    evidence: list[Evidence] = field(default_factory=list)
    debate_id: str = ""
    tournament: str | None = None
    slot: str | None = None
    # The consultancy protocol (arena/debate/protocols.py): the side that speaks alone
    # (drawn by play.prepare); the judges then decide which side is right.
    consultant: Side | None = None

    @property
    def seed(self) -> int:
        return self.options.seed if self.options.seed is not None else 0

    @property
    def condition(self) -> BetCondition:
        return self.options.condition

    @property
    def swap(self) -> bool:
        """Every ballot is also cast on the swapped order."""
        return self.options.swap

    @property
    def protocol(self) -> Protocol:
        return self.options.protocol

    @property
    def breaks_early(self) -> bool:
        asked = self.options.adaptive_break
        return self.format.adaptive_break if asked is None else asked


class DebaterFailed(Exception):
    pass


async def run_debate(setup: DebateSetup, gateway: ModelGateway, on_event: ev.Listener = ev.ignore) -> DebateRecord:
    notes: list[str] = []  # what the gateway had to fix in this debate's answers (see ANSWER_NOTES)
    calls: list[LoggedCall] = []  # the call log, on the record from its start (a cancelled debate keeps it)
    token = ANSWER_NOTES.set(notes)
    try:
        with recording(calls):
            return await _run_debate(setup, gateway, on_event, notes, calls)
    finally:
        ANSWER_NOTES.reset(token)


def _say_notes(notes: list[str], on_event: ev.Listener) -> None:
    """Each note of the gateway as a warning (kept on the record), once."""
    while notes:
        on_event(ev.DebateWarning(notes.pop(0)))


async def _run_debate(
    setup: DebateSetup, gateway: ModelGateway, on_event: ev.Listener, notes: list[str], calls: list[LoggedCall]
) -> DebateRecord:
    record = DebateRecord(
        id=setup.debate_id or uuid.uuid4().hex[:12],
        motion=setup.motion,
        format=setup.format.name,
        pro=setup.pro.participant_id,
        con=setup.con.participant_id,
        judges=[j.name for j in setup.judges for _ in range(j.repeats)],
        seed=setup.seed,
        started_at=time.time(),
        tournament=setup.tournament,
        slot=setup.slot,
        consultant=setup.consultant,
        options=replace(setup.options, seed=setup.seed, adaptive_break=setup.breaks_early),
        calls=calls,
    )
    on_event = _recording_warnings(record, on_event)
    on_event(ev.DebateStarted(record))
    nonce = judge_nonce(setup.seed, record.id, setup.pro.participant_id, setup.con.participant_id)
    judges = [Judge(spec, gateway, setup.motion, nonce, setup.seed) for spec in setup.judges]
    debater_models = setup.pro.models | setup.con.models
    for judge in judges:
        if judge.spec.settings.model in debater_models:
            on_event(
                ev.DebateWarning(
                    f"judge {judge.spec.name} is also a debater in this debate; its ballots still count and are "
                    "marked 'judge is also a debater' (self_judged in --json): a model tends to favour its own "
                    "text, so choose another judge for a fair verdict"
                )
            )
    round_tasks: list[asyncio.Task[list[RoundScore | None]]] = []
    try:
        early = await _speeches(setup, record, judges, round_tasks, on_event)
        for scores in await asyncio.gather(*round_tasks):
            record.round_scores.extend(s for s in scores if s is not None)
        if early is None:
            await _ballots(setup, record, judges, debater_models, on_event)
        else:
            record.ballots = early
    except (LLMError, DebaterFailed) as exc:
        for task in round_tasks:
            task.cancel()
        if isinstance(exc, LLMError):  # the failed call's retries happened too
            record.usage.retries += exc.retries
        _say_notes(notes, on_event)
        return _void(record, redact(f"{type(exc).__name__}: {exc}"), on_event)
    except BaseException:
        for task in round_tasks:
            task.cancel()
        raise
    finally:
        for judge in judges:
            for purpose, tokens_in, tokens_out, cost in judge.usage:
                record.usage.add(purpose, tokens_in, tokens_out, cost)
            record.usage.retries += judge.retries
    _say_notes(notes, on_event)
    verdict = aggregate(record.ballots)
    if verdict.pro_votes + verdict.con_votes == 0:
        return _void(record, "no judge produced a usable ballot", on_event)
    record.verdict = verdict
    record.status = "finished"
    record.finished_at = time.time()
    on_event(ev.DebateFinished(record, verdict))
    return record


async def _speeches(
    setup: DebateSetup,
    record: DebateRecord,
    judges: list[Judge],
    round_tasks: list[asyncio.Task[list[RoundScore | None]]],
    on_event: ev.Listener,
) -> list[Ballot] | None:
    """Every speech and bet; with adaptive break, the ballots of an early end (else None)."""
    fmt = setup.format
    for stage in fmt.stages:
        if setup.protocol == "direct" or (setup.protocol == "consultancy" and stage.side != setup.consultant):
            continue  # only the consultant speaks; in the direct protocol no one does
        debater = setup.pro if stage.side == "pro" else setup.con
        visible = [s for s in record.speeches if stage.can_see(fmt.stages[s.index])]
        public = setup.condition == "public"
        turn = SpeechTurn(
            motion=setup.motion,
            format=fmt,
            stage=stage,
            visible=visible,
            visible_bets=list(record.bets) if public else [],
            condition=setup.condition,
            seed=setup.seed * 1000 + stage.index,
            evidence=setup.evidence,
        )
        on_event(ev.SpeechStarted(stage.index, stage.side, stage.label, stage.word_limit, debater.participant_id))

        def token(text: str, index: int = stage.index, side: str = stage.side) -> None:
            on_event(ev.SpeechToken(index, side, text))

        with scope(stage.label, debater.participant_id):
            out = await debater.speak(turn, token)
        if not out.text.strip():
            raise DebaterFailed(f"{debater.participant_id} gave an empty {stage.label}")
        speech = Speech(
            index=stage.index,
            side=stage.side,
            stage=stage.name,
            kind=stage.kind,
            round=stage.round,
            text=out.text,
            words=speech_words(out.text),
            model=out.model,
            tokens_in=out.tokens_in,
            tokens_out=out.tokens_out,
            cost=out.cost,
            latency_s=out.latency_s,
            trace=out.trace,
        )
        record.speeches.append(speech)
        for warning in out.warnings:
            on_event(ev.DebateWarning(warning))
        if out.trace:  # a team: its role calls are the speech's calls (a failed one is not counted)
            for step in out.trace:
                if not step.output.startswith("(failed"):
                    record.usage.add(f"agent.{step.role}", step.tokens_in, step.tokens_out, step.cost)
            record.usage.retries += out.retries
        else:
            record.usage.add("speech", out.tokens_in, out.tokens_out, out.cost, out.retries, out.calls)
        on_event(ev.SpeechFinished(speech))

        with scope(stage.label, debater.participant_id):
            bet_out = await debater.bet(
                BetTurn(
                    motion=setup.motion,
                    stage=stage,
                    visible=[*visible, speech],
                    visible_bets=list(record.bets) if public else [],
                    condition=setup.condition,
                    seed=turn.seed,
                )
            )
        if bet_out.calls:
            record.usage.add("bet", bet_out.tokens_in, bet_out.tokens_out, bet_out.cost, calls=bet_out.calls)
        record.usage.retries += bet_out.retries
        bet = Bet(
            after_speech=stage.index,
            side=stage.side,
            amount=bet_out.amount,
            reasoning=bet_out.reasoning,
            stage=stage.name,
        )
        record.bets.append(bet)
        on_event(ev.BetPlaced(bet))

        if stage.index == fmt.last_stage_of_round(stage.round) and setup.protocol == "debate":
            snapshot = list(record.speeches)
            round_tasks.append(asyncio.ensure_future(_score_round(judges, snapshot, stage.round, on_event)))
            if setup.breaks_early and stage.round != fmt.rounds[-1]:
                early = await break_ballots(judges, snapshot, stage.round, debater_models(setup), on_event)
                if early is not None:
                    record.broke_after_round = stage.round
                    on_event(
                        ev.DebateWarning(
                            f"adaptive break: the judges call the debate decided after round {stage.round}"
                        )
                    )
                    return early
    return None


async def _score_round(
    judges: list[Judge], speeches: list[Speech], round_no: int, on_event: ev.Listener
) -> list[RoundScore | None]:
    async def one(judge: Judge, repeat: int) -> RoundScore | None:
        with scope(f"round {round_no}", judge_run(judge, repeat)):
            score = await judge.score_round(speeches, round_no, repeat)
        if score is not None:
            on_event(ev.RoundScored(score))
        else:
            on_event(ev.DebateWarning(f"judge {judge.spec.name} gave no usable score for round {round_no}"))
        return score

    return list(await asyncio.gather(*(one(j, r) for j in judges for r in range(j.spec.repeats))))


async def _ballots(
    setup: DebateSetup, record: DebateRecord, judges: list[Judge], debater_models: set[str], on_event: ev.Listener
) -> None:
    orders = (False, True) if setup.swap and setup.protocol == "debate" else (False,)

    async def one(judge: Judge, repeat: int, swapped: bool) -> Ballot:
        self_judged = judge.spec.settings.model in debater_models
        with scope("ballot (swapped)" if swapped else "ballot", judge_run(judge, repeat)):
            if setup.protocol == "debate":
                ballot = await judge.ballot(record.speeches, repeat, swapped, self_judged)
            else:
                ballot = await judge_by_protocol(
                    judge, setup.protocol, record.speeches, setup.consultant, repeat, self_judged
                )
        # A winner the judge's own round scores put behind is flagged like one its
        # dimension scores put behind: counted as inconsistent, said, and kept.
        rounds = round_totals(record.round_scores, judge.spec.name, repeat)
        against_rounds = ballot.winner is not None and contradicts_totals(ballot.winner, rounds)
        against_dimensions = ballot.inconsistent
        if against_rounds:
            ballot = replace(ballot, inconsistent=True)
        on_event(ev.BallotCast(ballot))
        order = " (swapped order)" if swapped else ""
        if ballot.void:
            on_event(
                ev.DebateWarning(f"ballot of judge {judge.spec.name}{order} is void and does not count: {ballot.error}")
            )
        elif ballot.inconsistent and ballot.winner is not None:
            against = [
                *(["its own dimension scores"] if against_dimensions else []),
                *([f"its own round scores (Σ {rounds[0]}–{rounds[1]})"] if against_rounds and rounds else []),
            ]
            on_event(
                ev.DebateWarning(
                    f"ballot of judge {judge.spec.name}{order} names the {SIDE_LABEL[ballot.winner]} "
                    f"the winner against {' and '.join(against)} (flagged)"
                )
            )
        return ballot

    record.ballots = list(
        await asyncio.gather(*(one(j, r, s) for j in judges for r in range(j.spec.repeats) for s in orders))
    )


def _recording_warnings(record: DebateRecord, on_event: ev.Listener) -> ev.Listener:
    """Every warning the listener sees is also kept on the record, so it is stored and
    reaches the JSON document, not only the terminal that happened to watch."""

    def listener(event: ev.Event) -> None:
        if isinstance(event, ev.DebateWarning):
            record.warnings.append(event.message)
        on_event(event)

    return listener


def judge_run(judge: Judge, repeat: int) -> str:
    """The judge as the call log names it: its name, and the run when it judges more than once."""
    return f"{judge.spec.name} #{repeat + 1}" if judge.spec.repeats > 1 else judge.spec.name


def debater_models(setup: DebateSetup) -> set[str]:
    return setup.pro.models | setup.con.models


async def break_ballots(
    judges: list[Judge], speeches: list[Speech], round_no: int, models: set[str], on_event: ev.Listener
) -> list[Ballot] | None:
    """Ask every judge run whether the debate is decided. If a majority of all runs says
    so, each answer becomes that judge's ballot (its leader, its confidence); else None."""
    runs = [(j, r) for j in judges for r in range(j.spec.repeats)]

    async def check(judge: Judge, repeat: int) -> BreakAnswer | None:
        with scope(f"round {round_no} break", judge_run(judge, repeat)):
            return await judge.break_check(speeches, round_no, repeat)

    answers = await asyncio.gather(*(check(j, r) for j, r in runs))
    if 2 * sum(1 for a in answers if a is not None and a.decided) <= len(runs):
        return None
    ballots = []
    for (judge, repeat), answer in zip(runs, answers):
        self_judged = judge.spec.settings.model in models
        if answer is None:
            ballot = Ballot(
                judge=judge.spec.name,
                winner=None,
                repeat=repeat,
                self_judged=self_judged,
                error=f"no usable answer to the break check after round {round_no}",
            )
        else:
            ballot = Ballot(
                judge=judge.spec.name,
                winner=answer.leader,  # type: ignore[arg-type]
                confidence=answer.confidence,
                reasons=f"[adaptive break after round {round_no}] {answer.reason}",
                repeat=repeat,
                self_judged=self_judged,
            )
        on_event(ev.BallotCast(ballot))
        ballots.append(ballot)
    return ballots


def _void(record: DebateRecord, message: str, on_event: ev.Listener) -> DebateRecord:
    record.status = "void"
    record.error = message
    record.finished_at = time.time()
    on_event(ev.DebateError(record, message))
    return record
