"""Group discussions read from the store for the reports (arena group report, compare)."""

from __future__ import annotations

from collections.abc import Sequence

from arena.errors import UsageProblem
from arena.store.group_store import StoredGroup, group_collections, load_groups
from arena.store.store import Store
from arena.studies.groups import Discussion, Event


def as_discussion(stored: StoredGroup) -> Discussion:
    events = tuple(
        Event(e.seq, e.round, e.kind, e.member, e.text, e.recipient, e.slider, e.stance) for e in stored.events
    )
    return Discussion(
        stored.group.id, stored.group.topic, tuple(m.label for m in stored.members), events, stored.group.collection
    )


def member_name(stored: StoredGroup, label: str) -> str:
    """Who sits behind a label: its participant (a model, `human:NAME`), or an imported person."""
    for m in stored.members:
        if m.label == label:
            who = m.participant.removeprefix("model:") or "a person (imported)"
            return f"{who} · persona" if m.persona else who
    return label


def check_group_collection(store: Store, collection: str, option: str = "--collection") -> str:
    from arena.schemas import check_collection

    collection = check_collection(collection)
    known = group_collections(store)
    if collection not in known:
        expected = f"expected one of {', '.join(known)}" if known else "it holds no group discussions yet"
        raise UsageProblem(f"{option} {collection!r}: no group discussions in this collection; {expected}")
    return collection


def discussions_from_store(
    store: Store, collection: str | None = None, ids: Sequence[str] | None = None
) -> list[Discussion]:
    return [as_discussion(g) for g in load_groups(store, collection, ids)]
