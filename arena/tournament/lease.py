"""One runner per tournament. Two processes playing the same plan would pay twice for
every debate (the store would keep only one of them). A runner takes the tournament's
lease before playing and drops it at the end; a lease whose process died (`kill -9`,
a crash, a reboot) is taken over at once, so resuming never waits."""

from __future__ import annotations

import os
import socket
import time

from sqlalchemy import delete, insert, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from arena.errors import ArenaError
from arena.store import tables as t
from arena.store.engine import writer
from arena.store.store import Store

HEARTBEAT_S = 5.0
STALE_S = 120.0  # no heartbeat for this long: the runner is gone, whatever its pid says


def _pid_alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            # "pid (comm) S ...": a zombie (Z) or dead (X) process runs nothing
            return fh.read().rsplit(")", 1)[-1].split()[0] not in ("Z", "X")
    except FileNotFoundError:
        return False
    except OSError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def holder_alive(row: t.TournamentRun, now: float | None = None) -> bool:
    now = now or time.time()
    if now - row.heartbeat_at > STALE_S:
        return False
    if row.host == socket.gethostname():
        return row.pid != os.getpid() and _pid_alive(row.pid)
    return True  # another machine with a fresh heartbeat


def current(store: Store, name: str) -> t.TournamentRun | None:
    with store.session() as session:
        return session.get(t.TournamentRun, name)


def acquire(store: Store, name: str) -> None:
    me, host, now = os.getpid(), socket.gethostname(), time.time()
    with writer(store.engine).begin() as conn:
        row = conn.execute(t.TournamentRun.__table__.select().where(  # type: ignore[attr-defined]
            t.TournamentRun.__table__.c.name == name)).first()  # type: ignore[attr-defined]
        if row is None:
            try:
                conn.execute(insert(t.TournamentRun).values(name=name, pid=me, host=host, started_at=now,
                                                            heartbeat_at=now))
                return
            except IntegrityError:
                raise ArenaError(f"tournament {name!r} is being started by another process") from None
        holder = t.TournamentRun(name=row.name, pid=row.pid, host=row.host, started_at=row.started_at,
                                 heartbeat_at=row.heartbeat_at)
        if holder_alive(holder, now):
            raise ArenaError(f"tournament {name!r} is already running (pid {holder.pid} on {holder.host}); "
                             "wait for it or stop it first")
        taken = conn.execute(update(t.TournamentRun).where(
            col(t.TournamentRun.name) == name, col(t.TournamentRun.pid) == holder.pid,
            col(t.TournamentRun.host) == holder.host,
        ).values(pid=me, host=host, started_at=now, heartbeat_at=now)).rowcount
        if not taken:
            raise ArenaError(f"tournament {name!r} was just taken over by another process")


def heartbeat(store: Store, name: str) -> None:
    with store.engine.begin() as conn:
        conn.execute(update(t.TournamentRun).where(col(t.TournamentRun.name) == name,
                                                   col(t.TournamentRun.pid) == os.getpid())
                     .values(heartbeat_at=time.time()))


def release(store: Store, name: str) -> None:
    with store.engine.begin() as conn:
        conn.execute(delete(t.TournamentRun).where(col(t.TournamentRun.name) == name,
                                                   col(t.TournamentRun.pid) == os.getpid()))
