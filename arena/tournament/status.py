"""Reading tournaments back: the list, and one tournament as a JSON-ready document.

A tournament whose row says `running` but whose runners are all gone (killed, crashed)
is reported as `interrupted`: `arena tournament resume NAME` (or any worker) continues it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from arena.store import tables as t
from arena.store import tournaments as tq
from arena.store.store import Store
from arena.tournament import lease
from arena.tournament import plan as pl


@dataclass(frozen=True)
class TournamentSummary:
    name: str
    status: str
    schedule: str
    players: int
    planned: int
    finished: int
    void: int
    running: int
    scheduled: int
    created_at: float
    updated_at: float


def live_status(store: Store, row: t.Tournament) -> str:
    """`running` while any process plays it (the run lease's holder or a live worker)."""
    if row.status != "running":
        return row.status
    holder = lease.current(store, row.name)
    if holder is not None and lease.holder_alive(holder):
        return "running"
    return "running" if lease.live_workers(store, row.name) else "interrupted"


def list_tournaments(store: Store) -> list[TournamentSummary]:
    rows = tq.all_tournaments(store)
    counts = tq.status_counts_by_tournament(store)
    out = []
    for row in rows:
        spec = pl.TournamentSpec.from_json(row.config_json)
        c = counts.get(row.name, Counter())
        out.append(
            TournamentSummary(
                row.name,
                live_status(store, row),
                spec.schedule,
                len(spec.players),
                max(pl.planned_total(spec), sum(c.values())),
                c["finished"],
                c["void"],
                c["running"],
                c["scheduled"],
                row.created_at,
                row.updated_at,
            )
        )
    return out


def document(store: Store, name: str) -> dict:
    """`arena tournament show NAME --json`."""
    row = tq.get(store, name)
    if row is None:
        from arena.errors import UsageProblem

        raise UsageProblem(f"no tournament named {name!r}: see `arena tournament list`")
    spec = pl.TournamentSpec.from_json(row.config_json)
    debates = pl.debates(store, name)
    c = Counter(d.status for d in debates)
    costs = [d.cost for d in debates if d.cost is not None]
    return {
        "name": name,
        "status": live_status(store, row),
        "schedule": spec.schedule,
        "rounds": spec.rounds,
        "rounds_planned": max((d.round for d in debates), default=0),
        "format": spec.format,
        "players": [{"name": p, "participant": spec.participant_ids[p]} for p in spec.players],
        "motions": spec.motions,
        "judges": spec.judges,
        "judge_repeats": spec.judge_repeats,
        "swap": spec.swap,
        "side_balance": spec.side_balance,
        "seed": spec.seed,
        "max_cost": spec.max_cost,
        "planned": max(pl.planned_total(spec), len(debates)),
        "stored": len(debates),
        "finished": c["finished"],
        "void": c["void"],
        "running": c["running"],
        "scheduled": c["scheduled"],
        "cost": sum(costs) if costs else 0.0,
        "spent": row.spent,
        "workers": [
            {
                "id": w.id,
                "host": w.host,
                "pid": w.pid,
                "concurrency": w.concurrency,
                "running": sum(d.lease_owner == w.id for d in debates if d.status == "running"),
                "started_at": w.started_at,
                "heartbeat_at": w.heartbeat_at,
            }
            for w in lease.live_workers(store, name)
        ],
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "debates": [
            {
                "id": d.id,
                "slot": d.slot,
                "round": d.round,
                "pro": d.pro_id,
                "con": d.con_id,
                "motion": d.motion_id,
                "status": d.status,
                "winner": d.winner,
                "error": d.error or None,
                "cost": d.cost,
            }
            for d in debates
        ],
    }


def failed_players(debates: list[dict]) -> dict[str, tuple[int, str]]:
    """Players every one of whose played debates is void (none finished): each with its
    count of void debates and the first reason. A typo in a model name looks like this."""
    played: dict[str, list[dict]] = {}
    for d in debates:
        if d["status"] in ("finished", "void"):
            for player in (d["pro"], d["con"]):
                played.setdefault(player, []).append(d)
    return {
        player: (len(ds), next((d["error"] for d in ds if d["error"]), "void"))
        for player, ds in played.items()
        if all(d["status"] == "void" for d in ds)
    }
