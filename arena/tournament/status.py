"""Reading tournaments back: the list, and one tournament as a JSON-ready document.

A tournament whose row says `running` but whose runner is gone (killed, crashed) is
reported as `interrupted`: `arena tournament resume NAME` continues it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlmodel import col, func, select

from arena.store import tables as t
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
    if row.status != "running":
        return row.status
    holder = lease.current(store, row.name)
    return "running" if holder is not None and lease.holder_alive(holder) else "interrupted"


def list_tournaments(store: Store) -> list[TournamentSummary]:
    with store.session() as session:
        rows = session.exec(select(t.Tournament).order_by(col(t.Tournament.created_at))).all()
        counts: dict[str, Counter[str]] = {}
        for name, status, n in session.exec(
            select(t.Debate.tournament, t.Debate.status, func.count()).where(col(t.Debate.tournament).is_not(None))
            .group_by(t.Debate.tournament, t.Debate.status)
        ).all():
            if name is not None:  # excluded by the query; says so to the type checker
                counts.setdefault(name, Counter())[status] = n
    out = []
    for row in rows:
        spec = pl.TournamentSpec.from_json(row.config_json)
        c = counts.get(row.name, Counter())
        out.append(TournamentSummary(
            row.name, live_status(store, row), spec.schedule, len(spec.players),
            max(pl.planned_total(spec), sum(c.values())), c["finished"], c["void"], c["running"], c["scheduled"],
            row.created_at, row.updated_at,
        ))
    return out


def document(store: Store, name: str) -> dict:
    """`arena tournament show NAME --json`."""
    with store.session() as session:
        row = session.get(t.Tournament, name)
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
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "debates": [
            {"id": d.id, "slot": d.slot, "round": d.round, "pro": d.pro_id, "con": d.con_id, "motion": d.motion_id,
             "status": d.status, "winner": d.winner, "error": d.error or None, "cost": d.cost}
            for d in debates
        ],
    }
