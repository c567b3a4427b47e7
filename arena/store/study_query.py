"""The studies' reads and writes (arena study ...): the SQL of the study protocols.

The debates the order and break studies read are returned as this module's own records
(`OrderDebate`, `BreakDebate`), which the studies' statistics take as they are: the store
defines what it returns, the studies above it import that, never the other way round."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert
from sqlmodel import SQLModel, col, select

from arena.debate.call_log import LoggedCall
from arena.store import call_log
from arena.store import tables as t
from arena.store.engine import table_of
from arena.store.store import Store
from arena.store.study_tables import BreakReplay


@dataclass(frozen=True)
class OrderDebate:
    """A finished debate as the order study needs it."""

    format: str
    winner: str  # pro | con | tie
    round_scores: tuple[tuple[int, int, int], ...] = ()  # (round, pro score, con score) per judge
    collection: str = "arena"


@dataclass(frozen=True)
class BreakDebate:
    """A finished adaptive-break debate and its replay to the end, as the break study needs it."""

    id: str
    format: str
    winner: str | None  # pro | con | tie
    broke_after_round: int | None
    calls: int
    cost: float | None
    replay_winner: str | None = None  # None: no replay (or a void one)
    replay_calls: int | None = None
    replay_cost: float | None = None


def order_debates(store: Store, collection: str | None = None) -> list[OrderDebate]:
    """Finished debates with a verdict, in every collection unless one is named."""
    with store.session() as session:
        query = select(t.Debate.id, t.Debate.format, t.Debate.winner, t.Debate.collection).where(
            t.Debate.status == "finished", col(t.Debate.winner).is_not(None)
        )
        if collection:
            query = query.where(t.Debate.collection == collection)
        debates = session.exec(query.order_by(col(t.Debate.id))).all()
        scores: dict[str, list[tuple[int, int, int]]] = {}
        score_query = (
            select(t.RoundScoreRow.debate_id, t.RoundScoreRow.round, t.RoundScoreRow.pro, t.RoundScoreRow.con)
            .join(t.Debate, col(t.Debate.id) == col(t.RoundScoreRow.debate_id))
            .where(t.Debate.status == "finished")
        )
        if collection:
            score_query = score_query.where(t.Debate.collection == collection)
        for debate_id, round_no, pro, con in session.exec(score_query).all():
            scores.setdefault(debate_id, []).append((round_no, pro, con))
    return [
        OrderDebate(fmt, winner, tuple(scores.get(i, ())), coll)
        for i, fmt, winner, coll in debates
        if winner is not None
    ]  # the query's own filter, restated for the type checker


def break_debates(store: Store, collection: str | None = None) -> list[BreakDebate]:
    with store.session() as session:
        query = (
            select(t.Debate, BreakReplay)
            .join(BreakReplay, col(BreakReplay.debate_id) == col(t.Debate.id), isouter=True)
            .where(t.Debate.adaptive_break == True, t.Debate.status == "finished")  # noqa: E712
        )
        if collection:
            query = query.where(t.Debate.collection == collection)
        rows = session.exec(query.order_by(col(t.Debate.id))).all()
    out = []
    for debate, replay in rows:
        usage = json.loads(debate.usage_json or "{}")
        out.append(
            BreakDebate(
                id=debate.id,
                format=debate.format,
                winner=debate.winner,
                broke_after_round=debate.broke_after_round,
                calls=int(usage.get("calls", 0)),
                cost=usage.get("cost"),
                replay_winner=replay.replay_winner if replay else None,
                replay_calls=replay.replay_calls if replay else None,
                replay_cost=replay.replay_cost if replay else None,
            )
        )
    return out


def add_rows(
    store: Store,
    rows: Sequence[SQLModel],
    *,
    calls: Sequence[LoggedCall] = (),
    run: str | None = None,
    first_seq: int = 1,
) -> None:
    """Study records (probes, beliefs, judgments, replays) in one transaction, with the
    model calls that made them (the call log's run `run`, numbered from `first_seq`)."""
    if not rows and not calls:
        return
    with store.write_session() as session:
        if calls and run is not None:
            call_log.write_calls(session, calls, store.call_log, set(), run=run, first_seq=first_seq)
        by_table: dict[type[SQLModel], list[dict[str, Any]]] = {}
        for row in rows:
            values = row.model_dump()
            if "id" in values and values["id"] is None:
                del values["id"]  # assigned by the database
            by_table.setdefault(type(row), []).append(values)
        for table, batch in by_table.items():
            session.connection().execute(insert(table_of(table)), batch)
        session.commit()


def study_rows(store: Store, table: type[SQLModel], run: str | None = None) -> list[Any]:
    with store.session() as session:
        query = select(table).order_by(*table_of(table).primary_key.columns)
        if run is not None:
            query = query.where(table.run == run)  # type: ignore[attr-defined]
        return list(session.exec(query).all())


def debate_winners(store: Store, ids: Sequence[str]) -> dict[str, str | None]:
    if not ids:
        return {}
    with store.session() as session:
        rows = session.exec(
            select(t.Debate.id, t.Debate.winner, t.Debate.status).where(col(t.Debate.id).in_(list(ids)))
        ).all()
    return {i: (w if s == "finished" else None) for i, w, s in rows}
