"""What the screens read, in the shapes they draw.

The reads themselves are the store's named queries (arena.store.listings,
arena.store.bets_query); this module re-exports them for the screens and adds the one
view that also needs the tournament package (a tournament's spec and whether its
runner is alive)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from arena.ratings.confidence_types import BetRow
from arena.store.bets_query import confidence_rows
from arena.store.listings import (
    Overview,
    Result,
    Stamp,
    overview,
    participant_debates,
    rating_changes,
    ratings_stamp,
    store_stamp,
    tournament_debates,
    tournament_runs,
    tournament_tallies,
)
from arena.store.store import Store

if TYPE_CHECKING:
    from arena.store import tables as t

__all__ = [
    "Overview", "Result", "Stamp", "TournamentRow", "bet_rows", "overview", "participant_debates",
    "rating_changes", "ratings_stamp", "store_stamp", "tournament_debates", "tournaments",
]


# --------------------------------------------------------------------------- tournaments


@dataclass(frozen=True)
class TournamentRow:
    name: str
    status: str
    created_at: float
    updated_at: float
    total: int
    finished: int
    void: int
    running: int
    players: tuple[str, ...]
    schedule: str

    @property
    def done(self) -> int:
        return self.finished + self.void


def _spec(config_json: str) -> tuple[tuple[str, ...], str, int]:
    """The tournament's players, schedule and planned size ((), "", 0 when the JSON is not one we know)."""
    try:
        from arena.tournament.plan import TournamentSpec, planned_total

        spec = TournamentSpec.from_json(config_json or "{}")
        return tuple(spec.players), spec.schedule, planned_total(spec)
    except Exception:
        return (), "", 0


def _runners(store: Store) -> dict[str, bool]:
    """Tournament name -> whether its runner process is alive (holds the lease, beats its heart)."""
    try:
        from arena.tournament.lease import holder_alive

        return {r.name: holder_alive(r) for r in tournament_runs(store)}
    except Exception:
        return {}


def _live_status(store: Store, row: t.Tournament) -> str:
    try:
        from arena.tournament.status import live_status

        return live_status(store, row)
    except Exception:
        return row.status


def tournaments(store: Store) -> list[TournamentRow]:
    tallies = tournament_tallies(store)
    runners = _runners(store)
    out = []
    for tally in tallies:
        row, counts = tally.row, tally.counts
        players, schedule, planned = _spec(row.config_json)
        status = row.status
        if status == "running" and runners.get(row.name) is not True:
            status = _live_status(store, row)  # all its runners and workers died: `resume` continues
        out.append(TournamentRow(
            name=row.name, status=status, created_at=row.created_at, updated_at=row.updated_at,
            total=max(sum(counts.values()), planned), finished=counts.get("finished", 0),
            void=counts.get("void", 0), running=counts.get("running", 0),
            players=players, schedule=schedule,
        ))
    return out


# --------------------------------------------------------------------------- confidence


def bet_rows(store: Store, collection: str = "arena") -> list[BetRow]:
    """The bets as `BetRow`s for the confidence statistics."""
    return confidence_rows(store, collection=collection)
