"""Short reads in the shapes the terminal app draws: change stamps, the home overview,
a participant's debates, the tournaments with their tallies, a debate's rating changes.

The screens call these on timers, so another process (a headless tournament, a second
app) shows up without a restart. Reads never write."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlmodel import col, func, or_, select

from arena.store import tables as t
from arena.store.store import RatingDelta, Store

# A stamp is an opaque value that changes when the data behind a screen changes.
Stamp = tuple[object, ...]


# --------------------------------------------------------------------------- change stamps


def store_stamp(store: Store) -> Stamp:
    """Changes whenever a debate or a tournament is written: cheap enough to poll each second."""
    with store.session() as session:
        debates = session.exec(
            select(func.count(), func.max(t.Debate.created_at), func.max(t.Debate.finished_at)).select_from(t.Debate)
        ).one()
        statuses = tuple(
            session.exec(
                select(t.Debate.status, func.count()).group_by(t.Debate.status).order_by(t.Debate.status)
            ).all()
        )
        tournaments = session.exec(
            select(func.count(), func.max(t.Tournament.updated_at)).select_from(t.Tournament)
        ).one()
    return (tuple(debates), statuses, tuple(tournaments))


def ratings_stamp(store: Store) -> Stamp:
    """Changes only when a debate finishes: what the leaderboard and the bet statistics read."""
    with store.session() as session:
        row = session.exec(
            select(func.count(), func.max(t.Debate.finished_at))
            .select_from(t.Debate)
            .where(t.Debate.status == "finished")
        ).one()
        battles = session.exec(select(func.count()).select_from(t.Battle)).one()
    return (tuple(row), battles)


# --------------------------------------------------------------------------- home


@dataclass(frozen=True)
class Result:
    id: str
    motion_text: str
    pro: str
    con: str
    winner: str | None
    status: str
    finished_at: float | None
    tournament: str | None


@dataclass
class Overview:
    participants: int = 0
    humans: int = 0
    finished: int = 0
    void: int = 0
    running: int = 0
    tournaments_running: int = 0
    tournaments: int = 0
    recent: list[Result] = field(default_factory=list)
    top: list[tuple[str, float, int]] = field(default_factory=list)  # (participant, elo, debates)


def overview(store: Store, recent: int = 8, top: int = 5) -> Overview:
    with store.session() as session:
        statuses = dict(
            session.exec(
                select(t.Debate.status, func.count()).where(t.Debate.collection == "arena").group_by(t.Debate.status)
            ).all()
        )
        kinds = Counter(session.exec(select(t.Participant.kind)).all())
        tstat = Counter(session.exec(select(t.Tournament.status)).all())
        rows = session.exec(
            select(t.Debate)
            .where(t.Debate.collection == "arena", col(t.Debate.status).in_(("finished", "void")))
            .order_by(func.coalesce(t.Debate.finished_at, t.Debate.created_at).desc())
            .limit(recent)
        ).all()
        ratings = session.exec(
            select(t.RatingState).order_by(col(t.RatingState.elo).desc(), t.RatingState.participant_id).limit(top)
        ).all()
    return Overview(
        participants=sum(kinds.values()),
        humans=kinds.get("human", 0),
        finished=statuses.get("finished", 0),
        void=statuses.get("void", 0),
        running=statuses.get("running", 0),
        tournaments_running=tstat.get("running", 0),
        tournaments=sum(tstat.values()),
        recent=[_result(d) for d in rows],
        top=[(r.participant_id, r.elo, r.debates) for r in ratings],
    )


def _result(d: t.Debate) -> Result:
    return Result(d.id, d.motion_text, d.pro_id, d.con_id, d.winner, d.status, d.finished_at, d.tournament)


# --------------------------------------------------------------------------- participants


def participant_debates(store: Store, participant: str, limit: int = 30) -> list[Result]:
    with store.session() as session:
        rows = session.exec(
            select(t.Debate)
            .where(
                t.Debate.collection == "arena",
                col(t.Debate.status).in_(("finished", "void")),
                or_(t.Debate.pro_id == participant, t.Debate.con_id == participant),
            )
            .order_by(col(t.Debate.finished_at).desc())
            .limit(limit)
        ).all()
    return [_result(d) for d in rows]


# --------------------------------------------------------------------------- tournaments


@dataclass(frozen=True)
class TournamentTally:
    """A stored tournament row with its debates counted by status."""

    row: t.Tournament
    counts: Counter[str]


def tournament_tallies(store: Store) -> list[TournamentTally]:
    """Every tournament, most recently updated first, with its debates counted by status."""
    with store.session() as session:
        rows = session.exec(select(t.Tournament).order_by(col(t.Tournament.updated_at).desc())).all()
        tally: dict[str, Counter[str]] = {}
        for name, status, n in session.exec(
            select(t.Debate.tournament, t.Debate.status, func.count())
            .where(col(t.Debate.tournament).is_not(None))
            .group_by(t.Debate.tournament, t.Debate.status)
        ).all():
            if name is not None:  # excluded by the query; says so to the type checker
                tally.setdefault(name, Counter())[status] = n
    return [TournamentTally(row, tally.get(row.name, Counter())) for row in rows]


def tournament_runs(store: Store) -> list[t.TournamentRun]:
    """The runner leases, one per tournament that was ever run."""
    with store.session() as session:
        return list(session.exec(select(t.TournamentRun)).all())


def tournament_debates(store: Store, name: str) -> list[t.Debate]:
    with store.session() as session:
        return list(
            session.exec(
                select(t.Debate)
                .where(t.Debate.tournament == name)
                .order_by(col(t.Debate.finished_at).desc().nulls_first(), col(t.Debate.created_at).desc(), t.Debate.id)
            ).all()
        )


# --------------------------------------------------------------------------- ratings


def rating_changes(store: Store, debate_id: str) -> dict[str, RatingDelta]:
    """What a stored debate did to its participants' ratings."""
    with store.session() as session:
        rows = session.exec(select(t.RatingChange).where(t.RatingChange.debate_id == debate_id)).all()
    return {
        r.participant_id: RatingDelta(
            r.elo_before, r.elo_after, r.ts_mu_before, r.ts_mu_after, r.ts_sigma_before, r.ts_sigma_after
        )
        for r in rows
    }


# --------------------------------------------------------------------------- imports


def stored_debate_ids(store: Store, ids: list[str]) -> set[str]:
    """Which of these debate ids the store already holds (asked 500 at a time)."""
    found: set[str] = set()
    with store.session() as session:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            found.update(session.exec(select(t.Debate.id).where(col(t.Debate.id).in_(chunk))).all())
    return found
