"""Reading debates back: whole records for `arena show` and the TUI, summaries for lists."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from sqlmodel import Session, col, or_, select

from arena.debate.records import AgentStep, Ballot, Bet, DebateRecord, RoundScore, Speech, Verdict
from arena.debate.verdict import aggregate
from arena.store import tables as t
from arena.store.codes import SIDES, WINNERS
from arena.store.debate_row import record_fields
from arena.store.store import Store


@dataclass(frozen=True)
class DebateSummary:
    id: str
    motion_id: str
    motion_text: str
    category: str
    format: str
    pro: str
    con: str
    status: str
    winner: str | None
    finished_at: float | None
    tournament: str | None
    error: str


def list_debates(
    store: Store, *, search: str = "", status: str | None = None, collection: str = "arena", limit: int = 200
) -> list[DebateSummary]:
    with store.session() as session:
        query = select(t.Debate).where(t.Debate.collection == collection)
        if status:
            query = query.where(t.Debate.status == status)
        if search:
            like = f"%{search}%"
            query = query.where(
                or_(
                    col(t.Debate.motion_text).ilike(like),
                    col(t.Debate.pro_id).ilike(like),
                    col(t.Debate.con_id).ilike(like),
                    col(t.Debate.id).ilike(like),
                )
            )
        rows = session.exec(query.order_by(col(t.Debate.created_at).desc()).limit(limit)).all()
    return [
        DebateSummary(
            d.id,
            d.motion_id,
            d.motion_text,
            d.category,
            d.format,
            d.pro_id,
            d.con_id,
            d.status,
            d.winner,
            d.finished_at,
            d.tournament,
            d.error,
        )
        for d in rows
    ]


def find_debate_id(store: Store, prefix: str) -> str | None:
    """Debate ids may be typed shortened, like git hashes, when unambiguous."""
    with store.session() as session:
        ids = session.exec(
            select(t.Debate.id).where(col(t.Debate.id).startswith(prefix, autoescape=True)).limit(2)
        ).all()
    return ids[0] if len(ids) == 1 else None


ChildRow = TypeVar("ChildRow", t.SpeechRow, t.AgentStepRow, t.BetRow, t.RoundScoreRow, t.BallotRow)


def _children(session: Session, table: type[ChildRow], debate_id: str) -> Sequence[ChildRow]:
    """A debate's rows of one child table, in insertion order."""
    return session.exec(select(table).where(col(table.debate_id) == debate_id).order_by(col(table.id))).all()


def load_debate(store: Store, debate_id: str) -> DebateRecord | None:
    with store.session() as session:
        d = session.get(t.Debate, debate_id)
        if d is None:
            return None

        speeches = [
            Speech(
                index=s.index,
                side=SIDES[s.side],
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
            for s in _children(session, t.SpeechRow, debate_id)
        ]
        by_index = {s.index: s for s in speeches}
        for step in _children(session, t.AgentStepRow, debate_id):
            by_index[step.speech_index].trace.append(
                AgentStep(
                    role=step.role,
                    stage=step.stage,
                    input_summary=step.input_summary,
                    output=step.output,
                    model=step.model,
                    tokens_in=step.tokens_in,
                    tokens_out=step.tokens_out,
                    cost=step.cost,
                    latency_s=step.latency_s,
                )
            )
        bets = [
            Bet(after_speech=b.after_speech, side=SIDES[b.side], amount=b.amount, reasoning=b.reasoning, stage=b.stage)
            for b in _children(session, t.BetRow, debate_id)
        ]
        scores = [
            RoundScore(judge=r.judge, round=r.round, pro=r.pro, con=r.con, reason=r.reason, repeat=r.repeat)
            for r in _children(session, t.RoundScoreRow, debate_id)
        ]
        ballots = [
            Ballot(
                judge=b.judge,
                winner=SIDES[b.winner] if b.winner is not None else None,
                confidence=b.confidence,
                scores=json.loads(b.scores_json),
                reasons=b.reasons,
                swapped=b.swapped,
                repeat=b.repeat,
                self_judged=b.self_judged,
                error=b.error,
                inconsistent=b.inconsistent,
            )
            for b in _children(session, t.BallotRow, debate_id)
        ]
    verdict: Verdict | None = None
    if d.winner is not None:
        verdict = aggregate(ballots) if ballots else Verdict(winner=WINNERS[d.winner])
        verdict.winner = WINNERS[d.winner]
    return DebateRecord(
        **record_fields(d), speeches=speeches, bets=bets, round_scores=scores, ballots=ballots, verdict=verdict
    )


def participants(store: Store) -> list[t.Participant]:
    with store.session() as session:
        return list(session.exec(select(t.Participant).order_by(t.Participant.id)).all())


def display_names(store: Store, ids: list[str]) -> dict[str, str]:
    """Participant id → the name it is shown by, for those stored with a name of their own."""
    if not ids:
        return {}
    with store.session() as session:
        rows = session.exec(select(t.Participant).where(col(t.Participant.id).in_(ids))).all()
    return {r.id: r.display for r in rows if r.display and r.display != r.id}


def counts(store: Store, collection: str = "arena") -> dict[str, int]:
    """Debates of `collection` by status, and every participant."""
    from sqlmodel import func

    with store.session() as session:
        out = {}
        for status in ("finished", "void", "running", "scheduled"):
            out[status] = session.exec(
                select(func.count())
                .select_from(t.Debate)
                .where(t.Debate.status == status, t.Debate.collection == collection)
            ).one()
        out["participants"] = session.exec(select(func.count()).select_from(t.Participant)).one()
    return out


def known_collections(store: Store) -> list[str]:
    """Every collection holding a debate or an imported battle ("arena" always)."""
    with store.session() as session:
        names = set(session.exec(select(t.Debate.collection).distinct()).all())
        names |= set(session.exec(select(t.Battle.collection).distinct()).all())
    return sorted(names | {"arena"})


def check_known_collection(store: Store, collection: str) -> str:
    """`collection` if the store holds it, else a usage error naming those it holds."""
    from arena.errors import UsageProblem
    from arena.schemas import check_collection

    collection = check_collection(collection)
    known = known_collections(store)
    if collection not in known:
        raise UsageProblem(
            f"--collection {collection!r}: no such collection in this database; expected one of {', '.join(known)}"
        )
    return collection


def check_known_tournament(store: Store, name: str) -> str:
    """`name` if the store holds a tournament (or debates of one) of that name, else a usage
    error naming the closest tournaments (or the first ten)."""
    import difflib

    from arena.errors import UsageProblem
    from arena.schemas import check_collection

    name = check_collection(name, "--tournament")
    known = tournament_names(store)
    if name in known:
        return name
    with store.session() as session:  # debates may name a tournament whose plan is not here
        tagged = session.exec(select(t.Debate.tournament).where(t.Debate.tournament == name).limit(1)).first()
    if tagged is not None:
        return name
    if not known:
        raise UsageProblem(
            f"--tournament {name!r}: this database holds no tournament (`arena tournament run` plans one)"
        )
    close = difflib.get_close_matches(name, known, n=3)
    hint = (
        f"did you mean {', '.join(map(repr, close))}?"
        if close
        else f"expected one of {', '.join(map(repr, known[:10]))}" + (" …" if len(known) > 10 else "")
    )
    raise UsageProblem(f"--tournament {name!r}: no such tournament in this database; {hint} (`arena tournament list`)")


def tournament_names(store: Store) -> list[str]:
    """Every tournament's name, newest first (for shell completion)."""
    with store.session() as session:
        return list(session.exec(select(t.Tournament.name).order_by(col(t.Tournament.created_at).desc())).all())
