"""The store: one object over one database. Writes are one short transaction each: a
finished debate, its speeches, bets, scores, ballots and the rating updates commit
together or not at all."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any, Protocol

from sqlalchemy import insert, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, SQLModel, col, delete, func, select

from arena.config import call_log_level
from arena.debate.records import DebateRecord
from arena.errors import ArenaError
from arena.literal import valid_unicode_tree
from arena.ratings import elo, trueskill_ratings
from arena.ratings.trueskill_ratings import TSRating
from arena.ratings.types import Match, Winner
from arena.redact import redact, redact_value
from arena.store import call_log
from arena.store import tables as t
from arena.store.debate_row import row_values
from arena.store.engine import make_engine, sqlite_path, table_of, writer
from arena.store.migrations import check_readable, migrate


class BattleRow(Protocol):
    """One imported battle (arena.importers.battles.BattleRow has this shape)."""

    @property
    def model_a(self) -> str: ...
    @property
    def model_b(self) -> str: ...
    @property
    def winner(self) -> str: ...
    @property
    def tstamp(self) -> float: ...
    @property
    def line(self) -> int: ...


class AlreadyStored(ValueError):
    """The debate is stored as finished already: a slot is never played (or imported) twice."""


class LeaseLost(ArenaError):
    """A worker's lease on a debate ended (expired and reclaimed): its result is not stored."""


@dataclass(frozen=True)
class ParticipantInfo:
    id: str
    kind: str
    display: str = ""
    settings: dict[str, Any] | None = None


@dataclass(frozen=True)
class RatingDelta:
    elo_before: float
    elo_after: float
    ts_mu_before: float
    ts_mu_after: float
    ts_sigma_before: float
    ts_sigma_after: float


# The winners a battle file may name, as the match log's type.
WINNERS: dict[str, Winner] = {"model_a": "model_a", "model_b": "model_b", "tie": "tie"}
# A debate's winning side as the match log's outcome (pro is model_a, con is model_b).
OUTCOME: dict[str, Winner] = {"pro": "model_a", "con": "model_b", "tie": "tie"}


def start_state(participant_id: str) -> t.RatingState:
    start = TSRating()
    return t.RatingState(participant_id=participant_id, elo=elo.DEFAULT_START, ts_mu=start.mu, ts_sigma=start.sigma)


def apply_result(a: t.RatingState, b: t.RatingState, winner: Winner) -> tuple[RatingDelta, RatingDelta]:
    """One rated debate moves both rows in place. The incremental update and the rebuild
    both call this, so a rebuild equals the stored ratings by construction."""
    elo_a, elo_b = elo.update(a.elo, b.elo, elo.SCORE_A[winner], elo.DEFAULT_K)
    ts_a, ts_b = trueskill_ratings.update(TSRating(a.ts_mu, a.ts_sigma), TSRating(b.ts_mu, b.ts_sigma), winner)
    deltas = []
    for row, new_elo, new_ts in ((a, elo_a, ts_a), (b, elo_b, ts_b)):
        deltas.append(RatingDelta(row.elo, new_elo, row.ts_mu, new_ts.mu, row.ts_sigma, new_ts.sigma))
        row.elo, row.ts_mu, row.ts_sigma = new_elo, new_ts.mu, new_ts.sigma
        row.debates += 1
    return deltas[0], deltas[1]


def counts_for_ratings(record: DebateRecord) -> bool:
    """Finished arena debates between two different participants. A participant debating
    itself (the same model and settings on both sides) says nothing about its strength."""
    return (
        record.status == "finished"
        and record.collection == "arena"
        and record.verdict is not None
        and record.pro != record.con
        and record.protocol == "debate"
    )


def participant_kind(participant_id: str) -> str:
    prefix = participant_id.split(":", 1)[0]
    return prefix if prefix in ("model", "team", "human") else "model"


def _cannot_write(engine: Engine, exc: OperationalError) -> bool:
    """Whether opening an existing SQLite file failed only because it cannot be written here."""
    path = sqlite_path(str(engine.url))
    message = str(exc.orig).lower()
    return (
        path is not None
        and path.is_file()
        and any(m in message for m in ("readonly", "read-only", "unable to open database file"))
    )


# A debate's own rows besides its own (its call log, store.call_log, has its own writer).
CHILD_TABLES = (t.SpeechRow, t.AgentStepRow, t.BetRow, t.RoundScoreRow, t.BallotRow)


class Store:
    def __init__(self, db: str | None = None, call_log: str | None = None) -> None:
        self.engine = make_engine(db)
        # True when the SQLite file can only be read here: read commands work, writes fail.
        self.read_only = False
        try:
            migrate(self.engine)
        except OperationalError as exc:
            if not _cannot_write(self.engine, exc):
                raise
            self.engine.dispose()
            self.engine = make_engine(db, read_only=True)
            with self.engine.connect() as conn:
                check_readable(conn)
            self.read_only = True
        self._known_participants: set[str] = set()
        # What the call log keeps of each debate's model calls (config.CALL_LOG_LEVELS).
        self.call_log = call_log_level(call_log)
        self._known_blobs: set[str] = set()  # call-log segments this store holds (committed)

    def session(self) -> Session:
        """For reading (and writes that need no earlier read)."""
        return Session(self.engine, expire_on_commit=False)

    def write_session(self) -> Session:
        """For read-then-write transactions: takes the write lock at BEGIN, so two
        processes queue instead of one failing with "database is locked"."""
        return Session(writer(self.engine), expire_on_commit=False)

    # -- writing -------------------------------------------------------------------

    def _lock_writer(self, session: Session) -> None:
        """Serialise rating updates across processes. SQLite: the write session begins with
        BEGIN IMMEDIATE (see store.engine); PostgreSQL: an advisory lock held until commit."""
        if self.engine.dialect.name == "postgresql":
            session.connection().execute(text("SELECT pg_advisory_xact_lock(20260401)"))

    def ensure_participants(self, session: Session, infos: list[ParticipantInfo]) -> None:
        for info in infos:
            # Participants are never deleted: one seen stored is not looked up again.
            if info.id in self._known_participants:
                continue
            if session.get(t.Participant, info.id) is None:
                session.add(
                    t.Participant(
                        id=info.id,
                        kind=info.kind,
                        display=info.display or info.id,
                        settings_json=redact(json.dumps(info.settings or {}, sort_keys=True)),
                        created_at=time.time(),
                    )
                )

    def save_debate(
        self, record: DebateRecord, participants: list[ParticipantInfo] | None = None, lease_owner: str | None = None
    ) -> dict[str, RatingDelta]:
        """Persist a finished or void debate; update ratings if it counts. Returns the changes.

        `lease_owner`: a tournament worker's name; the debate is stored only while that
        worker still holds the debate's lease (else `LeaseLost`, and nothing changes)."""
        infos = participants or [ParticipantInfo(p, participant_kind(p)) for p in (record.pro, record.con)]
        with self.write_session() as session:
            self._lock_writer(session)
            # FOR UPDATE (PostgreSQL): a worker reclaiming an expired lease waits for us, or we for it.
            row = session.get(t.Debate, record.id, with_for_update=self.engine.dialect.name == "postgresql")
            if row is not None and row.status == "finished":
                raise AlreadyStored(f"debate {record.id} is already finished; a slot is never played twice")
            if lease_owner is not None and (row is None or row.status != "running" or row.lease_owner != lease_owner):
                raise LeaseLost(f"debate {record.id}: this worker no longer holds its lease; not stored")
            # A new row, or one a tournament planned and never stored into, has no children yet.
            fresh = row is None or row.status in ("scheduled", "running")
            # The one choke point of what a debate stores: every text of the record
            # (speeches, agent steps, bets, reasons, errors, warnings) without secrets.
            stored, broken = valid_unicode_tree(redact_value(replace(record, calls=[])))
            if broken:  # the edges repair what they read; this is the net under them, and says so
                stored.warnings = [
                    *stored.warnings,
                    f"{broken} unpaired surrogate(s) (not valid Unicode) replaced by U+FFFD when the debate was stored",
                ]
            row = self._debate_row(stored, row)
            row.lease_owner = row.lease_until = None
            session.add(row)
            session.flush()  # the write that takes the lock comes first
            self.ensure_participants(session, infos)
            self._replace_children(session, stored, fresh)
            if not fresh:
                call_log.delete_calls(session, record.id)
            new_blobs = call_log.write_calls(
                session, record.calls, self.call_log, self._known_blobs, debate_id=record.id
            )
            changes: dict[str, RatingDelta] = {}
            if counts_for_ratings(record) and record.verdict is not None:
                last, seq = session.exec(
                    select(func.max(t.Debate.finished_at), func.max(t.Debate.rating_seq)).where(
                        t.Debate.status == "finished", t.Debate.collection == "arena", t.Debate.id != record.id
                    )
                ).one()
                # Strictly increasing finish times, for people reading the history.
                finished = max(record.finished_at or time.time(), (last or 0.0) + 1e-6)
                row.finished_at = record.finished_at = finished
                # The rating order: a sequence taken under the writers' lock, so it is the
                # order the updates committed in, whichever machine's clock ran ahead.
                row.rating_seq = (seq or 0) + 1
                changes = self._update_ratings(
                    session, record.id, record.pro, record.con, record.verdict.winner, finished
                )
            if record.tournament and record.usage.cost:
                session.exec(
                    update(t.Tournament)
                    .where(col(t.Tournament.name) == record.tournament)
                    .values(spent=t.Tournament.spent + record.usage.cost)
                )
            session.commit()
        self._known_participants.update(info.id for info in infos)
        self._known_blobs.update(new_blobs)
        return changes

    def _debate_row(self, record: DebateRecord, row: t.Debate | None) -> t.Debate:
        values = row_values(record)
        if row is None:
            return t.Debate(id=record.id, created_at=record.started_at or time.time(), **values)
        for key, value in values.items():
            setattr(row, key, value)
        return row

    def _replace_children(self, session: Session, record: DebateRecord, fresh: bool = False) -> None:
        if not fresh:
            for table in CHILD_TABLES:
                session.exec(delete(table).where(col(table.debate_id) == record.id))
        # Plain multi-row INSERTs: building ORM objects for every child costs more than the
        # rest of the transaction, and a tournament saves debates by the thousand.
        rid = record.id
        rows: dict[type[SQLModel], list[dict[str, Any]]] = {
            t.SpeechRow: [
                dict(
                    debate_id=rid,
                    index=s.index,
                    side=s.side,
                    stage=s.stage,
                    kind=s.kind,
                    round=s.round,
                    text=s.text,
                    words=s.words,
                    model=s.model,
                    tokens_in=s.tokens_in,
                    tokens_out=s.tokens_out,
                    cost=s.cost,
                    latency_s=s.latency_s,
                )
                for s in record.speeches
            ],
            t.AgentStepRow: [
                dict(debate_id=rid, speech_index=s.index, step=n, **asdict(step))
                for s in record.speeches
                for n, step in enumerate(s.trace)
            ],
            t.BetRow: [
                dict(
                    debate_id=rid,
                    after_speech=b.after_speech,
                    side=b.side,
                    stage=b.stage,
                    amount=b.amount,
                    reasoning=b.reasoning,
                )
                for b in record.bets
            ],
            t.RoundScoreRow: [
                dict(
                    debate_id=rid, judge=r.judge, repeat=r.repeat, round=r.round, pro=r.pro, con=r.con, reason=r.reason
                )
                for r in record.round_scores
            ],
            t.BallotRow: [
                dict(
                    debate_id=rid,
                    judge=b.judge,
                    repeat=b.repeat,
                    winner=b.winner,
                    confidence=b.confidence,
                    scores_json=json.dumps(b.scores, sort_keys=True),
                    reasons=b.reasons,
                    swapped=b.swapped,
                    self_judged=b.self_judged,
                    error=redact(b.error),
                    inconsistent=b.inconsistent,
                )
                for b in record.ballots
            ],
        }
        for model, values in rows.items():
            if values:
                session.connection().execute(insert(table_of(model)), values)

    def _update_ratings(
        self, session: Session, debate_id: str, pro: str, con: str, winner: str, at: float
    ) -> dict[str, RatingDelta]:
        found = {
            r.participant_id: r
            for r in session.exec(select(t.RatingState).where(col(t.RatingState.participant_id).in_((pro, con))))
        }
        a, b = found.get(pro) or start_state(pro), found.get(con) or start_state(con)
        changes = dict(zip((pro, con), apply_result(a, b, OUTCOME[winner])))
        history = [
            dict(debate_id=debate_id, participant_id=pid, at=at, **asdict(delta)) for pid, delta in changes.items()
        ]
        session.add_all([a, b])
        session.connection().execute(insert(table_of(t.RatingChange)), history)
        return changes

    # -- reading -------------------------------------------------------------------

    def match_log(
        self,
        collection: str = "arena",
        category: str | None = None,
        tournament: str | None = None,
        weight_by_selection: bool = False,
    ) -> list[Match]:
        """The rated matches. `weight_by_selection`: each debate an adaptive schedule drew
        weighs 1/(its pairing's probability), every other 1, scaled to mean 1 over the log."""
        with self.session() as session:
            if (
                collection != "arena"
                and session.exec(
                    select(func.count()).select_from(t.Battle).where(t.Battle.collection == collection)
                ).one()
            ):
                battles = session.exec(
                    select(t.Battle)
                    .where(t.Battle.collection == collection)
                    .order_by(col(t.Battle.tstamp), col(t.Battle.id))
                ).all()
                # ids by position in the collection: the same file gives the same log (and hash)
                return [
                    Match(b.model_a, b.model_b, WINNERS[b.winner], b.tstamp, id=f"{n:09d}")
                    for n, b in enumerate(battles)
                ]
            query = select(t.Debate).where(
                t.Debate.collection == collection,
                t.Debate.status == "finished",
                col(t.Debate.winner).is_not(None),
                t.Debate.pro_id != t.Debate.con_id,
                t.Debate.protocol == "debate",
            )
            if category:
                query = query.where(t.Debate.category == category)
            if tournament:
                query = query.where(t.Debate.tournament == tournament)
            # The rating order (rating_seq), so a replay moves Elo exactly as the commits did.
            rows = session.exec(
                query.order_by(func.coalesce(t.Debate.rating_seq, 0), col(t.Debate.finished_at), col(t.Debate.id))
            ).all()
        weights = [1.0 / d.selection_p if weight_by_selection and d.selection_p else 1.0 for d in rows]
        mean = sum(weights) / len(weights) if weights else 1.0
        return [
            Match(
                model_a=d.pro_id,
                model_b=d.con_id,
                winner=OUTCOME[d.winner or "tie"],
                tstamp=d.finished_at or d.created_at,
                id=d.id,
                motion=d.motion_id,
                category=d.category,
                format=d.format,
                judges=tuple(json.loads(d.judges_json)),
                weight=w / mean,
            )
            for d, w in zip(rows, weights)
        ]

    def rating_states(self) -> dict[str, t.RatingState]:
        with self.session() as session:
            return {r.participant_id: r for r in session.exec(select(t.RatingState)).all()}

    def rating_history(self, participant_id: str) -> list[t.RatingChange]:
        with self.session() as session:
            return list(
                session.exec(
                    select(t.RatingChange)
                    .where(t.RatingChange.participant_id == participant_id)
                    .order_by(col(t.RatingChange.at), col(t.RatingChange.id))
                ).all()
            )

    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(text("SELECT version FROM schema_info WHERE id = 1")).scalar_one())

    # -- imported battles -------------------------------------------------------------

    def battle_count(self, collection: str) -> int:
        with self.session() as session:
            return session.exec(
                select(func.count()).select_from(t.Battle).where(t.Battle.collection == collection)
            ).one()

    def import_battles(self, collection: str, rows: Sequence[BattleRow], replace: bool = False) -> int:
        """All rows or none, into their own collection (never "arena")."""
        if collection == "arena":
            raise ValueError("imported battles never go into the arena's own collection")
        with self.write_session() as session:
            if replace:
                session.exec(delete(t.Battle).where(col(t.Battle.collection) == collection))
            if rows:
                session.execute(
                    insert(t.Battle),
                    [
                        dict(
                            collection=collection,
                            model_a=r.model_a,
                            model_b=r.model_b,
                            winner=r.winner,
                            tstamp=r.tstamp,
                            source_line=r.line,
                            style_json=getattr(r, "style", None),
                        )
                        for r in rows
                    ],
                )
            session.commit()
        return len(rows)
