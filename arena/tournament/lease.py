"""Who plays a tournament. `arena tournament run`/`resume` take the tournament's run lease,
so two of them never start at once (a second is refused while the first lives); a lease
whose process died (`kill -9`, a crash, a reboot) is taken over at once. Every playing
process (workers included) also registers as a worker, named like the owner of its
debate leases, so `tournament show` can tell who is alive; debates themselves are shared
through per-debate leases (arena.store.debate_leases)."""

from __future__ import annotations

import os
import secrets
import socket
import time

from arena.errors import ArenaError
from arena.store import run_registry as registry
from arena.store import tables as t
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
    return registry.run_holder(store, name)


def acquire(store: Store, name: str) -> None:
    me, host, now = os.getpid(), socket.gethostname(), time.time()
    try:
        holder = registry.take_run(store, name, me, host, now, may_replace=lambda h: not holder_alive(h, now))
    except registry.Taken:
        raise ArenaError(f"tournament {name!r} was just taken over by another process") from None
    if holder is not None:
        raise ArenaError(
            f"tournament {name!r} is already running (pid {holder.pid} on {holder.host}); wait for it or stop it first"
        )


def heartbeat(store: Store, name: str) -> None:
    registry.beat_run(store, name, os.getpid(), time.time())


def release(store: Store, name: str) -> None:
    registry.drop_run(store, name, os.getpid())


# --------------------------------------------------------------------------- workers


def worker_name() -> str:
    """A worker's name, also the owner of its debate leases: host, pid and a nonce (a pid
    is reused, a lease must not pass to the process that gets the number next)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


def owner_dead(owner: str) -> bool:
    """Known dead: a worker of this machine whose process is gone. Another machine's
    worker is never known dead here; its leases expire instead."""
    parts = owner.split(":")
    try:
        host, pid = ":".join(parts[:-2]), int(parts[-2])
    except (ValueError, IndexError):
        return False
    return host == socket.gethostname() and pid != os.getpid() and not _pid_alive(pid)


def worker_alive(worker: t.TournamentWorker, now: float | None = None) -> bool:
    now = now or time.time()
    if now - worker.heartbeat_at > STALE_S:
        return False
    if worker.host == socket.gethostname():
        return _pid_alive(worker.pid)
    return True


def register(store: Store, name: str, worker_id: str, concurrency: int) -> None:
    now = time.time()
    registry.add_worker(
        store,
        t.TournamentWorker(
            id=worker_id,
            tournament=name,
            host=socket.gethostname(),
            pid=os.getpid(),
            concurrency=concurrency,
            started_at=now,
            heartbeat_at=now,
        ),
    )


def beat(store: Store, worker_id: str) -> None:
    registry.beat_worker(store, worker_id, time.time())


def unregister(store: Store, worker_id: str) -> None:
    registry.drop_worker(store, worker_id)


def live_workers(store: Store, name: str, but: str | None = None) -> list[t.TournamentWorker]:
    now = time.time()
    return [w for w in registry.workers(store, name) if w.id != but and worker_alive(w, now)]
