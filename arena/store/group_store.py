"""The group discussions' reads and writes (arena group ..., arena import debate-groups).

A discussion is written in one transaction with its members and events; it is read back
as the store's own record, `StoredGroup` (the table rows, events in order)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import col, select

from arena.debate.call_log import LoggedCall
from arena.store import call_log
from arena.store.group_tables import GroupDiscussion, GroupEvent, GroupMember
from arena.store.store import Store


@dataclass(frozen=True)
class StoredGroup:
    group: GroupDiscussion
    members: list[GroupMember]
    events: list[GroupEvent]  # in order (seq)


def save_group(
    store: Store,
    group: GroupDiscussion,
    members: Sequence[GroupMember],
    events: Sequence[GroupEvent],
    calls: Sequence[LoggedCall] = (),
) -> None:
    """The discussion, its members and events, and its model calls (the call log's run
    "group:<its id>"), in one transaction."""
    with store.write_session() as session:
        session.add(group)
        session.flush()
        session.add_all([*members, *events])
        call_log.write_calls(session, calls, store.call_log, set(), run=f"group:{group.id}")
        session.commit()


def group_ids(store: Store, ids: Sequence[str]) -> set[str]:
    """Which of `ids` the store holds already."""
    if not ids:
        return set()
    with store.session() as session:
        rows = session.exec(select(GroupDiscussion.id).where(col(GroupDiscussion.id).in_(list(ids)))).all()
    return set(rows)


def group_collections(store: Store) -> list[str]:
    with store.session() as session:
        rows = session.exec(select(GroupDiscussion.collection).distinct()).all()
    return sorted(rows)


def load_groups(store: Store, collection: str | None = None, ids: Sequence[str] | None = None) -> list[StoredGroup]:
    """Every discussion (of one collection, or these ids), oldest first."""
    with store.session() as session:
        query = select(GroupDiscussion)
        if collection is not None:
            query = query.where(GroupDiscussion.collection == collection)
        if ids is not None:
            query = query.where(col(GroupDiscussion.id).in_(list(ids)))
        groups = list(session.exec(query.order_by(col(GroupDiscussion.created_at), col(GroupDiscussion.id))).all())
        wanted = [g.id for g in groups]
        members: dict[str, list[GroupMember]] = {}
        events: dict[str, list[GroupEvent]] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            for m in session.exec(
                select(GroupMember)
                .where(col(GroupMember.group_id).in_(chunk))
                .order_by(col(GroupMember.group_id), col(GroupMember.position))
            ).all():
                members.setdefault(m.group_id, []).append(m)
            for e in session.exec(
                select(GroupEvent)
                .where(col(GroupEvent.group_id).in_(chunk))
                .order_by(col(GroupEvent.group_id), col(GroupEvent.seq))
            ).all():
                events.setdefault(e.group_id, []).append(e)
    return [StoredGroup(g, members.get(g.id, []), events.get(g.id, [])) for g in groups]


def groups_stamp(store: Store) -> tuple[int, float]:
    """Changes whenever a discussion is stored (the app's group screen polls it)."""
    from sqlalchemy import func

    with store.session() as session:
        count, newest = session.exec(
            select(func.count(col(GroupDiscussion.id)), func.max(col(GroupDiscussion.created_at)))
        ).one()
    return int(count or 0), float(newest or 0.0)


def latest_groups(store: Store, limit: int) -> list[StoredGroup]:
    """The newest `limit` discussions of every collection, oldest first."""
    with store.session() as session:
        ids = session.exec(
            select(GroupDiscussion.id)
            .order_by(col(GroupDiscussion.created_at).desc(), col(GroupDiscussion.id).desc())
            .limit(limit)
        ).all()
    return load_groups(store, ids=list(ids))
