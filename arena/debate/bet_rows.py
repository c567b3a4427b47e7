"""A debate's bets as rows for the confidence statistics, the same for arena debates and
imported ones."""

from __future__ import annotations

from collections.abc import Collection

from arena.debate.records import DebateRecord
from arena.ratings.confidence_types import BetRow


def bet_rows_from_record(
    record: DebateRecord,
    condition: str | None = None,
    human_sides: Collection[str] | None = None,
) -> list[BetRow]:
    """The record's bets as `BetRow`s for `arena.ratings.confidence`.

    Works for arena debates and imported ones alike. `condition` defaults to the
    record's; `human_sides` (e.g. {"pro"}) defaults to the sides whose participant id
    starts with "human:". Stages are numbered by their first appearance in speech order,
    so both sides' "opening" share an index even though pro speaks first.
    """
    speech_stage = {s.index: s.stage for s in record.speeches}
    ordered = sorted(record.bets, key=lambda b: b.after_speech)
    labels = [b.stage or speech_stage.get(b.after_speech) or f"speech {b.after_speech + 1}" for b in ordered]
    stage_index: dict[str, int] = {}
    for label in labels:
        stage_index.setdefault(label, len(stage_index))
    winner = record.verdict.winner if record.verdict is not None else None
    rows = []
    for bet, label in zip(ordered, labels):
        participant = record.pro if bet.side == "pro" else record.con
        human = bet.side in human_sides if human_sides is not None else participant.startswith("human:")
        rows.append(
            BetRow(
                debate_id=record.id,
                participant=participant,
                side=bet.side,
                stage=label,
                stage_index=stage_index[label],
                amount=bet.amount,
                condition=condition or record.condition,
                won=None if winner in (None, "tie") else bet.side == winner,
                is_human=human,
            )
        )
    return rows
