"""A stored debate told again as the engine's events, so the replay screen and the live
screen are one view fed two ways."""

from __future__ import annotations

from collections.abc import Iterator

from arena.debate import events as ev
from arena.debate.formats import Format, Stage, load_format
from arena.debate.records import SIDE_LABEL, DebateRecord


def format_of(name: str) -> Format | None:
    try:
        return load_format(name)
    except Exception:  # an imported study's or a deleted user format: the speeches still replay
        return None


def record_events(record: DebateRecord, fmt: Format | None = None) -> Iterator[ev.Event]:
    fmt = fmt or format_of(record.format)
    limits = {s.index: s.word_limit for s in fmt.stages} if fmt else {}
    yield ev.DebateStarted(record)
    rounds_done: set[int] = set()
    for speech in sorted(record.speeches, key=lambda s: s.index):
        participant = record.pro if speech.side == "pro" else record.con
        label = f"{SIDE_LABEL[speech.side]} {speech.stage}"
        yield ev.SpeechStarted(speech.index, speech.side, label, limits.get(speech.index, speech.words), participant)
        yield ev.SpeechFinished(speech)
        for bet in record.bets:
            if bet.after_speech == speech.index:
                yield ev.BetPlaced(bet)
        last_of_round = fmt is None or speech.index == fmt.last_stage_of_round(speech.round)
        if last_of_round and speech.round not in rounds_done:
            rounds_done.add(speech.round)
            for score in record.round_scores:
                if score.round == speech.round:
                    yield ev.RoundScored(score)
    for score in record.round_scores:  # scores of rounds the loop could not place
        if score.round not in rounds_done:
            yield ev.RoundScored(score)
    for ballot in record.ballots:
        yield ev.BallotCast(ballot)
    for warning in record.warnings:  # void ballots, missing round scores: stored with the debate
        yield ev.DebateWarning(warning)
    if record.status == "finished" and record.verdict is not None:
        yield ev.DebateFinished(record, record.verdict)
    elif record.status == "void":
        failed = _failed_stage(record, fmt)
        if failed is not None:  # the stage the debate died in, as the live view had it
            participant = record.pro if failed.side == "pro" else record.con
            yield ev.SpeechStarted(
                failed.index, failed.side, f"{SIDE_LABEL[failed.side]} {failed.name}", failed.word_limit, participant
            )
        yield ev.DebateError(record, record.error or "void")


def _failed_stage(record: DebateRecord, fmt: Format | None) -> Stage | None:
    """The first stage of the format without a stored speech: where a void debate stopped
    (None when every speech was given, and the judging failed)."""
    spoken = {s.index for s in record.speeches}
    return next((s for s in fmt.stages if s.index not in spoken), None) if fmt else None
