"""Per-debate leases: how tournament workers on any number of machines share one plan.

A worker claims one debate at a time: the next `scheduled` debate of the tournament in
plan order, or a `running` one whose lease has expired (its worker died). PostgreSQL
picks it with `SELECT … FOR UPDATE SKIP LOCKED`, so concurrent claimers never wait on
each other's rows; SQLite's writers take the database's write lock up front (`BEGIN
IMMEDIATE`), which makes the same select-then-mark one atomic step. The claim marks the
row `running` with the worker's name and an expiry by the database's clock (one clock
for every machine). The worker renews its leases while it plays; the store keeps a
result only while its lease holds (`Store.save_debate(lease_owner=…)`)."""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import and_, delete, func, or_, select, text, update
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from arena.store import tables as t
from arena.store.call_tables import CallRow
from arena.store.engine import table_of, writer
from arena.store.store import CHILD_TABLES, Store

D = table_of(t.Debate)
# Every row that names a debate: cleared with it (its call log included).
CHILDREN = (*CHILD_TABLES, CallRow)


@dataclass(frozen=True)
class Claim:
    """A debate this worker now holds: what it needs to play it."""

    id: str
    slot: str
    pro_id: str
    con_id: str
    motion_id: str
    seed: int
    reclaimed: bool  # it was `running` under an expired lease (its worker died)


def db_now(conn: Connection) -> float:
    """Seconds since the epoch by the database's clock: leases are judged by one clock."""
    if conn.dialect.name == "postgresql":
        return float(conn.execute(text("SELECT EXTRACT(EPOCH FROM clock_timestamp())")).scalar_one())
    return time.time()  # SQLite lives on this machine: its clock is ours


def _claimable(name: str, now: float) -> ColumnElement[bool]:
    return and_(
        D.c.tournament == name,
        or_(
            D.c.status == "scheduled",
            and_(D.c.status == "running", or_(D.c.lease_until.is_(None), D.c.lease_until < now)),
        ),
    )


def claim_next(store: Store, name: str, owner: str, lease_s: float) -> Claim | None:
    """Take the next debate of tournament `name` for `owner`, or None when none is free."""
    with writer(store.engine).begin() as conn:
        now = db_now(conn)
        query = (
            select(D.c.id, D.c.slot, D.c.pro_id, D.c.con_id, D.c.motion_id, D.c.seed, D.c.status)
            .where(_claimable(name, now))
            .order_by(D.c.created_at, D.c.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        row = conn.execute(query).first()
        if row is None:
            return None
        conn.execute(
            update(D)
            .where(D.c.id == row.id)
            .values(status="running", lease_owner=owner, lease_until=now + lease_s, started_at=now)
        )
    return Claim(row.id, row.slot or "", row.pro_id, row.con_id, row.motion_id, row.seed, row.status == "running")


def renew(store: Store, owner: str, lease_s: float) -> set[str]:
    """Extend every lease `owner` holds; returns the debates it still holds."""
    with store.engine.begin() as conn:
        now = db_now(conn)
        conn.execute(
            update(D).where(D.c.lease_owner == owner, D.c.status == "running").values(lease_until=now + lease_s)
        )
        return set(conn.execute(select(D.c.id).where(D.c.lease_owner == owner, D.c.status == "running")).scalars())


def release(store: Store, owner: str, ids: Collection[str] | None = None) -> int:
    """Give debates back (`scheduled`) that `owner` abandons, e.g. on Ctrl-C; all of its
    debates when `ids` is None. Rows it no longer holds are left alone."""
    with store.engine.begin() as conn:
        query = update(D).where(D.c.lease_owner == owner, D.c.status == "running")
        if ids is not None:
            query = query.where(D.c.id.in_(list(ids)))
        return (
            conn.execute(query.values(status="scheduled", started_at=None, lease_owner=None, lease_until=None)).rowcount
            or 0
        )


def release_dead(store: Store, name: str, is_dead: Callable[[str], bool]) -> int:
    """Give back, at once, the debates of workers known dead (`is_dead(owner)`, e.g. a
    pid on this machine that no longer runs), instead of waiting for their expiry."""
    with writer(store.engine).begin() as conn:  # read, then write: take SQLite's write lock first
        owners = set(
            conn.execute(
                select(D.c.lease_owner).where(
                    D.c.tournament == name, D.c.status == "running", D.c.lease_owner.is_not(None)
                )
            ).scalars()
        )
        dead = [o for o in owners if is_dead(o)]
        if not dead:
            return 0
        return (
            conn.execute(
                update(D)
                .where(D.c.tournament == name, D.c.status == "running", D.c.lease_owner.in_(dead))
                .values(status="scheduled", started_at=None, lease_owner=None, lease_until=None)
            ).rowcount
            or 0
        )


def mark_void(store: Store, debate_id: str, error: str, owner: str | None = None) -> bool:
    """Store a debate void with its error (never a finished one); with `owner`, only
    while that worker holds its lease. Returns whether the row changed."""
    with store.engine.begin() as conn:
        query = update(D).where(D.c.id == debate_id, D.c.status != "finished")
        if owner is not None:
            query = query.where(D.c.lease_owner == owner, D.c.status == "running")
        return bool(
            conn.execute(
                query.values(
                    status="void", error=error[:2000], finished_at=db_now(conn), lease_owner=None, lease_until=None
                )
            ).rowcount
        )


def requeue_void(store: Store, name: str) -> list[str]:
    """`resume --retry-void`: void debates go back to `scheduled`, their partial records
    with them (they are replaced when the debate is played again)."""
    with writer(store.engine).begin() as conn:
        ids = list(conn.execute(select(D.c.id).where(D.c.tournament == name, D.c.status == "void")).scalars())
        for chunk in _chunks(ids):
            for table in CHILDREN:
                conn.execute(delete(table).where(col(table.debate_id).in_(chunk)))
            conn.execute(
                update(D)
                .where(D.c.id.in_(chunk))
                .values(
                    status="scheduled",
                    error="",
                    finished_at=None,
                    started_at=None,
                    winner=None,
                    usage_json="{}",
                    lease_owner=None,
                    lease_until=None,
                )
            )
        return ids


def live_leases(store: Store, name: str) -> dict[str, int]:
    """Owner -> debates it holds under an unexpired lease."""
    with store.engine.connect() as conn:
        now = db_now(conn)
        rows = conn.execute(
            select(D.c.lease_owner, func.count())
            .where(D.c.tournament == name, D.c.status == "running", D.c.lease_until >= now)
            .group_by(D.c.lease_owner)
        )
        return {owner: n for owner, n in rows}


def _chunks(ids: Sequence[str], size: int = 500) -> list[Sequence[str]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def discard_unplayed(store: Store, name: str) -> int | None:
    """Delete a tournament none of whose debates has finished or is being played: its
    plan, the partial records of its void debates, its run rows. The number of debates
    deleted, or None (and nothing deleted) when any finished or is running: a plan that
    produced a result is never thrown away."""
    tournament, run, worker = table_of(t.Tournament), table_of(t.TournamentRun), table_of(t.TournamentWorker)
    with writer(store.engine).begin() as conn:
        rows = conn.execute(select(D.c.id, D.c.status).where(D.c.tournament == name)).all()
        if any(status in ("finished", "running") for _, status in rows):
            return None
        ids = [debate_id for debate_id, _ in rows]
        for chunk in _chunks(ids):
            for table in CHILDREN:
                conn.execute(delete(table).where(col(table.debate_id).in_(chunk)))
            conn.execute(delete(D).where(D.c.id.in_(chunk)))
        conn.execute(delete(run).where(run.c.name == name))
        conn.execute(delete(worker).where(worker.c.tournament == name))
        conn.execute(delete(tournament).where(tournament.c.name == name))
    return len(ids)
