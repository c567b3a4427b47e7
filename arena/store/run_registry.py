"""Who is playing a tournament: the single `run`/`resume` lease (`tournament_run`) and
the registry of live worker processes (`tournament_worker`). Queries only; deciding
whether a holder is alive is arena.tournament.lease's business."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from arena.store import tables as t
from arena.store.engine import table_of, writer
from arena.store.store import Store

R = table_of(t.TournamentRun)
W = table_of(t.TournamentWorker)


class Taken(Exception):
    """Another process took the row between our read and our write."""


# --------------------------------------------------------------------------- the run lease


def run_holder(store: Store, name: str) -> t.TournamentRun | None:
    with store.session() as session:
        return session.get(t.TournamentRun, name)


def take_run(
    store: Store,
    name: str,
    pid: int,
    host: str,
    now: float,
    may_replace: Callable[[t.TournamentRun], bool] | None = None,
) -> t.TournamentRun | None:
    """Hold the run lease of `name`. Returns None when taken, else the live holder that
    kept it. `may_replace(holder)` says whether an existing holder may be replaced."""
    with writer(store.engine).begin() as conn:
        row = conn.execute(select(R).where(R.c.name == name)).first()
        if row is None:
            try:
                conn.execute(insert(R).values(name=name, pid=pid, host=host, started_at=now, heartbeat_at=now))
            except IntegrityError:
                raise Taken(name) from None
            return None
        holder = t.TournamentRun(
            name=row.name, pid=row.pid, host=row.host, started_at=row.started_at, heartbeat_at=row.heartbeat_at
        )
        if may_replace is not None and not may_replace(holder):
            return holder
        taken = conn.execute(
            update(R)
            .where(R.c.name == name, R.c.pid == holder.pid, R.c.host == holder.host)
            .values(pid=pid, host=host, started_at=now, heartbeat_at=now)
        ).rowcount
        if not taken:
            raise Taken(name)
        return None


def beat_run(store: Store, name: str, pid: int, now: float) -> None:
    with store.engine.begin() as conn:
        conn.execute(update(R).where(R.c.name == name, R.c.pid == pid).values(heartbeat_at=now))


def drop_run(store: Store, name: str, pid: int) -> None:
    with store.engine.begin() as conn:
        conn.execute(delete(R).where(R.c.name == name, R.c.pid == pid))


# --------------------------------------------------------------------------- workers


def add_worker(store: Store, worker: t.TournamentWorker) -> None:
    with store.engine.begin() as conn:
        conn.execute(
            insert(W).values(
                id=worker.id,
                tournament=worker.tournament,
                host=worker.host,
                pid=worker.pid,
                concurrency=worker.concurrency,
                started_at=worker.started_at,
                heartbeat_at=worker.heartbeat_at,
            )
        )


def beat_worker(store: Store, worker_id: str, now: float) -> None:
    with store.engine.begin() as conn:
        conn.execute(update(W).where(W.c.id == worker_id).values(heartbeat_at=now))


def drop_worker(store: Store, worker_id: str) -> None:
    with store.engine.begin() as conn:
        conn.execute(delete(W).where(W.c.id == worker_id))


def workers(store: Store, name: str | None = None) -> list[t.TournamentWorker]:
    with store.session() as session:
        query = select(t.TournamentWorker).order_by(col(t.TournamentWorker.started_at))
        if name is not None:
            query = query.where(col(t.TournamentWorker.tournament) == name)
        return list(session.execute(query).scalars())
