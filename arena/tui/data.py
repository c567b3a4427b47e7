"""What the screens read, in the shapes they draw: the app's one way to the store.

No other module of arena/tui imports arena.store (tests/test_tui_responsive.py checks it).
Every function here that takes a `Store` reads it, so it runs off the event loop, in a
thread started by `ArenaScreen.read` (tui/base.py), and its result is drawn on the loop.
Importing this module costs nothing: the store and SQLAlchemy are imported by the first
read, after the home screen has painted.

The reads themselves are the store's named queries (arena.store.listings, .queries,
.bets_query, .audit_store); the views here bundle what one screen draws at once, with
the names of the participants it shows already read (`ParticipantNames.prefetch`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from arena.debate.records import DebateRecord
    from arena.ratings.agreement import AgreementReport
    from arena.ratings.confidence_types import BetRow
    from arena.render.bench_table import BenchColumn
    from arena.store import tables as t
    from arena.store.group_store import StoredGroup
    from arena.store.listings import Overview, Result, Stamp
    from arena.store.queries import DebateSummary
    from arena.store.store import RatingDelta, Store
    from arena.store.tables import Debate
    from arena.studies.group_run import GroupRows
    from arena.tui.names import ParticipantNames

__all__ = [
    "Debate",
    "DebateSummary",
    "HomeView",
    "Overview",
    "ParticipantView",
    "RatingDelta",
    "Result",
    "Stamp",
    "Store",
    "StoredDebate",
    "TournamentRow",
    "TournamentsView",
    "agreement",
    "audits",
    "groups_stamp",
    "latest_groups",
    "save_group",
    "benches",
    "bet_rows",
    "debates",
    "display_names",
    "home",
    "is_database_error",
    "open_store",
    "participant",
    "ratings_stamp",
    "store_stamp",
    "stored_debate",
    "tournament_debates",
    "tournaments",
    "tournaments_view",
]


# --------------------------------------------------------------------------- the store itself


def open_store(db: str | None, call_log: str | None = None) -> Store:
    """Open (and migrate) the database: SQLite at a path, or any SQLAlchemy URL. `call_log`:
    arena.toml's setting of the call log (ARENA_CALL_LOG wins over it)."""
    from arena.config import call_log_level
    from arena.store.store import Store

    return Store(db, call_log=call_log_level(None, call_log))


def is_database_error(exc: BaseException) -> bool:
    """Is this the database failing (not the app)?"""
    from arena.store.errors import DatabaseError

    return isinstance(exc, DatabaseError)


def display_names(store: Store, ids: list[str]) -> dict[str, str]:
    """Participant id -> the name it is shown by, for those stored with a name of their own
    (`ParticipantNames.prefetch` asks; screens use the names)."""
    from arena.store.queries import display_names

    return display_names(store, ids)


def store_stamp(store: Store) -> Stamp:
    """Changes whenever any debate is added, started or finished."""
    from arena.store.listings import store_stamp

    return store_stamp(store)


def ratings_stamp(store: Store) -> Stamp:
    """Changes whenever a debate that moves the ratings is stored."""
    from arena.store.listings import ratings_stamp

    return ratings_stamp(store)


# --------------------------------------------------------------------------- home


@dataclass(frozen=True)
class HomeView:
    overview: Overview
    motions: int  # how many motions the arena can draw


def home(store: Store, names: ParticipantNames) -> HomeView:
    from arena.motions import load_motions
    from arena.store.listings import overview

    view = overview(store)
    names.prefetch(store, [pid for r in view.recent for pid in (r.pro, r.con)] + [pid for pid, _, _ in view.top])
    try:
        motions = len(load_motions())
    except Exception:
        motions = 0
    return HomeView(view, motions)


# --------------------------------------------------------------------------- history and replay


def debates(store: Store, names: ParticipantNames, search: str, status: str | None) -> list[DebateSummary]:
    """The debates matching `search` with this status (finished and void ones by default)."""
    from arena.store.queries import list_debates

    if status is not None:
        rows = list_debates(store, search=search, status=status, limit=500)
    else:
        rows = [d for d in list_debates(store, search=search, limit=1000) if d.status in ("finished", "void")]
    names.prefetch(store, [pid for d in rows for pid in (d.pro, d.con)])
    return rows


@dataclass(frozen=True)
class StoredDebate:
    record: DebateRecord
    changes: dict[str, RatingDelta]  # participant id -> how this debate moved its ratings


def stored_debate(store: Store, names: ParticipantNames, debate_id: str) -> StoredDebate | None:
    from arena.store.listings import rating_changes
    from arena.store.queries import load_debate

    record = load_debate(store, debate_id)
    if record is None:
        return None
    names.prefetch(store, [record.pro, record.con])
    return StoredDebate(record, rating_changes(store, debate_id))


# --------------------------------------------------------------------------- a participant


@dataclass(frozen=True)
class ParticipantView:
    history: list[t.RatingChange]  # each rated debate's Elo before and after, oldest first
    debates: list[Result]  # the latest finished and void debates


def participant(store: Store, names: ParticipantNames, pid: str, opponents: list[str]) -> ParticipantView:
    from arena.store.listings import participant_debates

    found = participant_debates(store, pid)
    names.prefetch(store, [pid, *opponents, *(d.con if d.pro == pid else d.pro for d in found)])
    return ParticipantView(store.rating_history(pid), found)


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
        from arena.store.listings import tournament_runs
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
    from arena.store.listings import tournament_tallies

    tallies = tournament_tallies(store)
    runners = _runners(store)
    out = []
    for tally in tallies:
        row, counts = tally.row, tally.counts
        players, schedule, planned = _spec(row.config_json)
        status = row.status
        if status == "running" and runners.get(row.name) is not True:
            status = _live_status(store, row)  # all its runners and workers died: `resume` continues
        out.append(
            TournamentRow(
                name=row.name,
                status=status,
                created_at=row.created_at,
                updated_at=row.updated_at,
                total=max(sum(counts.values()), planned),
                finished=counts.get("finished", 0),
                void=counts.get("void", 0),
                running=counts.get("running", 0),
                players=players,
                schedule=schedule,
            )
        )
    return out


def tournament_debates(store: Store, names: ParticipantNames, name: str) -> list[Debate]:
    """Every debate of one tournament (planned, running and done)."""
    from arena.store.listings import tournament_debates

    found = tournament_debates(store, name)
    names.prefetch(store, [pid for d in found for pid in (d.pro_id, d.con_id)])
    return found


@dataclass(frozen=True)
class TournamentsView:
    rows: list[TournamentRow]
    selected: str | None  # the tournament whose detail is shown (the first when the asked one is gone)
    debates: list[Debate]  # the selected tournament's debates


def tournaments_view(store: Store, names: ParticipantNames, selected: str | None) -> TournamentsView:
    rows = tournaments(store)
    listed = [r.name for r in rows]
    if selected not in listed:
        selected = listed[0] if listed else None
    return TournamentsView(rows, selected, tournament_debates(store, names, selected) if selected else [])


# --------------------------------------------------------------------------- confidence and audits


def bet_rows(store: Store, collection: str = "arena") -> list[BetRow]:
    """The bets as `BetRow`s for the confidence statistics."""
    from arena.store.bets_query import confidence_rows

    return confidence_rows(store, collection=collection)


def audits(store: Store) -> list[tuple[t.JudgeAuditRow, dict[str, object]]]:
    """The newest audit of each audited judge, by judge."""
    from arena.store.audit_store import latest_audits

    return sorted(latest_audits(store).values(), key=lambda found: found[0].judge)


def benches(store: Store) -> list[BenchColumn]:
    """The newest `arena judges bench` run of each judge measured, by judge."""
    from arena.render.bench_table import stored_columns
    from arena.store.bench_store import latest_benches

    return stored_columns(list(latest_benches(store).values()))


def agreement(store: Store) -> AgreementReport:
    """Agreement between the judges of every debate of the store (`arena judges agreement`)."""
    from arena.ratings.agreement import agreement as compute
    from arena.store.agreement_query import agreement_votes

    return compute(agreement_votes(store))


def groups_stamp(store: Store) -> tuple[int, float]:
    """Changes whenever a group discussion is stored (the group screen polls it)."""
    from arena.store.group_store import groups_stamp as stamp

    return stamp(store)


def latest_groups(store: Store, limit: int) -> list[StoredGroup]:
    """The newest `limit` group discussions of every collection, oldest first."""
    from arena.store.group_store import latest_groups as latest

    return latest(store, limit)


def save_group(store: Store, rows: GroupRows) -> None:
    """A group discussion the app ran, its members, events and model calls, in one transaction."""
    from arena.store.group_store import save_group as save

    save(store, rows.group, rows.members, rows.events, rows.calls)
