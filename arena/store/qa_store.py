"""The QA items' reads and writes (arena import qa): named queries returning the rows."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import col, select

from arena.store.qa_tables import QAItem
from arena.store.store import Store


def add_items(store: Store, items: Sequence[QAItem]) -> int:
    """Store the items not stored yet (by id), in one transaction; returns how many were new."""
    if not items:
        return 0
    with store.write_session() as session:
        ids = [i.id for i in items]
        known: set[str] = set()
        for start in range(0, len(ids), 500):
            known |= set(session.exec(select(QAItem.id).where(col(QAItem.id).in_(ids[start : start + 500]))).all())
        new = [i for i in dict((i.id, i) for i in items).values() if i.id not in known]
        session.add_all(new)
        session.commit()
    return len(new)


def load_items(store: Store, collection: str) -> list[QAItem]:
    with store.session() as session:
        query = (
            select(QAItem)
            .where(QAItem.collection == collection)
            .order_by(col(QAItem.created_at), col(QAItem.position), col(QAItem.id))
        )
        return list(session.exec(query).all())


def qa_collections(store: Store) -> list[str]:
    with store.session() as session:
        return sorted(session.exec(select(QAItem.collection).distinct()).all())
