"""What `arena rejudge` reads: the debates to judge again, and which are done."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import col, select

from arena.store import tables as t
from arena.store.store import Store


def finished_debates(store: Store, *, tournament: str | None = None, collection: str | None = None) -> list[str]:
    """The ids of the finished debates of a tournament or a collection, oldest first."""
    query = select(t.Debate.id).where(t.Debate.status == "finished")
    if tournament is not None:
        query = query.where(t.Debate.tournament == tournament)
    if collection is not None:
        query = query.where(t.Debate.collection == collection)
    with store.session() as session:
        return list(session.exec(query.order_by(col(t.Debate.created_at), col(t.Debate.id))).all())


def judge_lists(store: Store, collection: str) -> set[str]:
    """The judge lists (as stored, JSON) of a collection's debates."""
    with store.session() as session:
        found = session.exec(select(t.Debate.judges_json).where(t.Debate.collection == collection).distinct()).all()
    return set(found)


def finished_among(store: Store, ids: Sequence[str]) -> set[str]:
    """Which of `ids` are stored as finished debates."""
    if not ids:
        return set()
    with store.session() as session:
        found = session.exec(
            select(t.Debate.id).where(col(t.Debate.id).in_(list(ids)), t.Debate.status == "finished")
        ).all()
    return set(found)


def not_rejudged(store: Store, collection: str) -> int:
    """How many debates (or imported battles) of a collection are not re-judgings: a
    re-judging must not mix its ballots with them."""
    from sqlalchemy import func

    with store.session() as session:
        debates = session.exec(
            select(func.count()).where(t.Debate.collection == collection, col(t.Debate.rejudge_of).is_(None))
        ).one()
        battles = session.exec(select(func.count()).where(t.Battle.collection == collection)).one()
    return int(debates) + int(battles)
