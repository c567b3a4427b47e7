"""What the screens read from the store, in the shapes they draw.

Every function is a short read; screens call them on timers, so another process (a
headless tournament, a second app) shows up without a restart. Reads never write."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlmodel import col, func, or_, select

from arena.store import tables as t
from arena.store.store import Store


# --------------------------------------------------------------------------- change stamp


def store_stamp(store: Store) -> tuple:
    """Changes whenever a debate or a tournament is written: cheap enough to poll each second."""
    with store.session() as session:
        debates = session.exec(select(func.count(), func.max(t.Debate.created_at), func.max(t.Debate.finished_at))
                               .select_from(t.Debate)).one()
        statuses = tuple(session.exec(select(t.Debate.status, func.count()).group_by(t.Debate.status)
                                      .order_by(t.Debate.status)).all())
        tournaments = session.exec(select(func.count(), func.max(t.Tournament.updated_at))
                                   .select_from(t.Tournament)).one()
    return (tuple(debates), statuses, tuple(tournaments))


def ratings_stamp(store: Store) -> tuple:
    """Changes only when a debate finishes: what the leaderboard and the bet statistics read."""
    with store.session() as session:
        row = session.exec(select(func.count(), func.max(t.Debate.finished_at)).select_from(t.Debate)
                           .where(t.Debate.status == "finished")).one()
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
        statuses = dict(session.exec(select(t.Debate.status, func.count())
                                     .where(t.Debate.collection == "arena").group_by(t.Debate.status)).all())
        kinds = Counter(session.exec(select(t.Participant.kind)).all())
        tstat = Counter(session.exec(select(t.Tournament.status)).all())
        rows = session.exec(select(t.Debate).where(t.Debate.collection == "arena",
                                                   col(t.Debate.status).in_(("finished", "void")))
                            .order_by(func.coalesce(t.Debate.finished_at, t.Debate.created_at).desc())
                            .limit(recent)).all()
        ratings = session.exec(select(t.RatingState).order_by(col(t.RatingState.elo).desc(),
                                                              t.RatingState.participant_id).limit(top)).all()
    return Overview(
        participants=sum(kinds.values()), humans=kinds.get("human", 0),
        finished=statuses.get("finished", 0), void=statuses.get("void", 0), running=statuses.get("running", 0),
        tournaments_running=tstat.get("running", 0), tournaments=sum(tstat.values()),
        recent=[_result(d) for d in rows],
        top=[(r.participant_id, r.elo, r.debates) for r in ratings],
    )


def _result(d: t.Debate) -> Result:
    return Result(d.id, d.motion_text, d.pro_id, d.con_id, d.winner, d.status, d.finished_at, d.tournament)


# --------------------------------------------------------------------------- participants


def known_participants(store: Store) -> list[str]:
    with store.session() as session:
        return list(session.exec(select(t.Participant.id).order_by(t.Participant.id)).all())


def participant_debates(store: Store, participant: str, limit: int = 30) -> list[Result]:
    with store.session() as session:
        rows = session.exec(select(t.Debate).where(
            t.Debate.collection == "arena", col(t.Debate.status).in_(("finished", "void")),
            or_(t.Debate.pro_id == participant, t.Debate.con_id == participant))
            .order_by(col(t.Debate.finished_at).desc()).limit(limit)).all()
    return [_result(d) for d in rows]


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


def _spec(config_json: str):  # type: ignore[no-untyped-def]
    """The tournament's spec and planned size (None, 0 when the JSON is not one we know)."""
    try:
        from arena.tournament.plan import TournamentSpec, planned_total

        spec = TournamentSpec.from_json(config_json or "{}")
        return spec, planned_total(spec)
    except Exception:
        return None, 0


def _runners(store: Store) -> dict[str, bool]:
    """Tournament name -> whether its runner process is alive (holds the lease, beats its heart)."""
    try:
        from arena.tournament.lease import holder_alive

        with store.session() as session:
            runs = session.exec(select(t.TournamentRun)).all()
        return {r.name: holder_alive(r) for r in runs}
    except Exception:
        return {}


def _live_status(store: Store, row: t.Tournament) -> str:
    try:
        from arena.tournament.status import live_status

        return live_status(store, row)
    except Exception:
        return row.status


def tournaments(store: Store) -> list[TournamentRow]:
    with store.session() as session:
        rows = session.exec(select(t.Tournament).order_by(col(t.Tournament.updated_at).desc())).all()
        tally: dict[str, Counter] = {}
        for name, status, n in session.exec(select(t.Debate.tournament, t.Debate.status, func.count())
                                            .where(col(t.Debate.tournament).is_not(None))
                                            .group_by(t.Debate.tournament, t.Debate.status)).all():
            tally.setdefault(name, Counter())[status] = n
    runners = _runners(store)
    out = []
    for row in rows:
        spec, planned = _spec(row.config_json)
        counts = tally.get(row.name, Counter())
        status = row.status
        if status == "running" and runners.get(row.name) is not True:
            status = _live_status(store, row)  # all its runners and workers died: `resume` continues
        out.append(TournamentRow(
            name=row.name, status=status, created_at=row.created_at, updated_at=row.updated_at,
            total=max(sum(counts.values()), planned), finished=counts.get("finished", 0),
            void=counts.get("void", 0), running=counts.get("running", 0),
            players=tuple(spec.players) if spec else (), schedule=spec.schedule if spec else "",
        ))
    return out


def tournament_debates(store: Store, name: str) -> list[t.Debate]:
    with store.session() as session:
        return list(session.exec(select(t.Debate).where(t.Debate.tournament == name)
                                 .order_by(col(t.Debate.finished_at).desc().nulls_first(),
                                           col(t.Debate.created_at).desc(), t.Debate.id)).all())


# --------------------------------------------------------------------------- confidence


def bet_rows(store: Store, collection: str = "arena"):  # type: ignore[no-untyped-def]
    """The bets as `BetRow`s for the confidence statistics."""
    try:
        from arena.store.bets_query import confidence_rows
    except ImportError:
        confidence_rows = None
    if confidence_rows is not None:
        try:
            return confidence_rows(store, collection=collection)
        except TypeError:
            return confidence_rows(store)
    return _bet_rows_here(store, collection)


def _bet_rows_here(store: Store, collection: str):  # type: ignore[no-untyped-def]
    """Fallback while arena.store.bets_query is not there: the same rows, read directly."""
    from arena.ratings.confidence_types import BetRow

    with store.session() as session:
        rows = session.exec(select(t.BetRow, t.Debate).join(t.Debate, t.Debate.id == t.BetRow.debate_id)
                            .where(t.Debate.collection == collection, t.Debate.status == "finished")
                            .order_by(t.Debate.id, t.BetRow.after_speech)).all()
    out = []
    for bet, debate in rows:
        participant = debate.pro_id if bet.side == "pro" else debate.con_id
        won = None if debate.winner in (None, "tie") else debate.winner == bet.side
        out.append(BetRow(debate_id=debate.id, participant=participant, side=bet.side, stage=bet.stage,  # type: ignore[arg-type]
                          stage_index=bet.after_speech, amount=bet.amount, condition=debate.condition, won=won,
                          is_human=participant.startswith("human:")))
    return out


# --------------------------------------------------------------------------- ratings


def rating_changes(store: Store, debate_id: str):  # type: ignore[no-untyped-def]
    """What a stored debate did to its participants' ratings."""
    from arena.store.store import RatingDelta

    with store.session() as session:
        rows = session.exec(select(t.RatingChange).where(t.RatingChange.debate_id == debate_id)).all()
    return {r.participant_id: RatingDelta(r.elo_before, r.elo_after, r.ts_mu_before, r.ts_mu_after,
                                          r.ts_sigma_before, r.ts_sigma_after) for r in rows}
