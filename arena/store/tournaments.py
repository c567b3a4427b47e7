"""Tournament queries: the plan's rows, their statuses and the tournament's spending.

arena.tournament decides what to play; every statement it needs is a named function
here, so the tournament package holds no SQL."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from arena.store import tables as t
from arena.store.engine import table_of, writer
from arena.store.store import Store

D = table_of(t.Debate)
T = table_of(t.Tournament)


class SlotsExist(Exception):
    """Another process stored these slots first (a Swiss round paired twice at once)."""


def get(store: Store, name: str) -> t.Tournament | None:
    with store.session() as session:
        return session.get(t.Tournament, name)


def all_tournaments(store: Store) -> list[t.Tournament]:
    with store.session() as session:
        return list(session.execute(select(t.Tournament).order_by(col(t.Tournament.created_at))).scalars())


def create(store: Store, name: str, config_json: str, slot_rows: Sequence[dict[str, Any]], now: float) -> bool:
    """The tournament row and its first slots, in one transaction. False if the name is taken."""
    with store.write_session() as session:
        if session.get(t.Tournament, name) is not None:
            return False
        session.add(t.Tournament(name=name, status="planned", config_json=config_json, created_at=now, updated_at=now))
        session.flush()
        if slot_rows:
            session.execute(insert(t.Debate), list(slot_rows))
        session.commit()
    return True


def add_slots(store: Store, name: str, slot_rows: Sequence[dict[str, Any]], now: float) -> None:
    """Further slots (a Swiss round), all or none. `SlotsExist` if another process added them."""
    try:
        with writer(store.engine).begin() as conn:
            if slot_rows:
                conn.execute(insert(t.Debate), list(slot_rows))
            conn.execute(update(T).where(T.c.name == name).values(updated_at=now))
    except IntegrityError as exc:
        raise SlotsExist(str(exc.orig)) from None


def set_status(store: Store, name: str, status: str, now: float) -> None:
    with store.engine.begin() as conn:
        conn.execute(update(T).where(T.c.name == name).values(status=status, updated_at=now))


def set_config(store: Store, name: str, config_json: str, now: float) -> None:
    with store.engine.begin() as conn:
        conn.execute(update(T).where(T.c.name == name).values(config_json=config_json, updated_at=now))


def spent(store: Store, name: str) -> float:
    """What every worker has spent on the tournament's stored debates (USD)."""
    with store.engine.connect() as conn:
        return float(conn.execute(select(T.c.spent).where(T.c.name == name)).scalar() or 0.0)


def debates(store: Store, name: str) -> list[t.Debate]:
    """The tournament's debate rows in plan order."""
    with store.session() as session:
        return list(
            session.execute(
                select(t.Debate)
                .where(col(t.Debate.tournament) == name)
                .order_by(col(t.Debate.created_at), col(t.Debate.id))
            ).scalars()
        )


def status_counts(store: Store, name: str) -> Counter[str]:
    with store.engine.connect() as conn:
        return Counter(
            {
                status: n
                for status, n in conn.execute(
                    select(D.c.status, func.count()).where(D.c.tournament == name).group_by(D.c.status)
                )
            }
        )


def status_counts_by_tournament(store: Store) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = {}
    with store.engine.connect() as conn:
        for name, status, n in conn.execute(
            select(D.c.tournament, D.c.status, func.count())
            .where(D.c.tournament.is_not(None))
            .group_by(D.c.tournament, D.c.status)
        ):
            counts.setdefault(name, Counter())[status] = n
    return counts


def debate_status(store: Store, debate_id: str) -> str | None:
    with store.engine.connect() as conn:
        return conn.execute(select(D.c.status).where(D.c.id == debate_id)).scalar()
