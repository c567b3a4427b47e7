"""What `arena judges agreement` reads: the ballots of a selection of debates, each filed
under its item (the original debate, for a re-judged copy), and the collections a
selection was re-judged into."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import aliased
from sqlmodel import col, or_, select

from arena.ratings.agreement import Vote
from arena.store import tables as t
from arena.store.store import Store

DECIDED = ("finished", "void")  # debates whose judges have cast their ballots
CHUNK = 500  # ids per IN list
MAX_DEPTH = 64  # re-judgings of re-judgings followed up to their original


def _where(query: Any, table: Any, tournaments: Sequence[str], collections: Sequence[str]) -> Any:
    query = query.where(col(table.status).in_(DECIDED))
    if tournaments or collections:
        query = query.where(
            or_(col(table.tournament).in_(list(tournaments)), col(table.collection).in_(list(collections)))
        )
    return query


def agreement_votes(store: Store, tournaments: Sequence[str] = (), collections: Sequence[str] = ()) -> list[Vote]:
    """Every ballot of the debates of `tournaments` and `collections` (none named: every
    debate), and of the originals those debates re-judged, each under its original's id."""
    with store.session() as session:
        rows = session.exec(
            _where(select(t.Debate.id, t.Debate.rejudge_of, t.Debate.collection), t.Debate, tournaments, collections)
        ).all()
        debates: dict[str, tuple[str | None, str]] = {d: (parent, c) for d, parent, c in rows}
        selected = set(debates)
        for _ in range(MAX_DEPTH):  # the originals (and theirs), which the selection may not hold
            missing = sorted({p for p, _ in debates.values() if p is not None and p not in debates})
            if not missing:
                break
            for start in range(0, len(missing), CHUNK):
                found = session.exec(
                    select(t.Debate.id, t.Debate.rejudge_of, t.Debate.collection).where(
                        col(t.Debate.id).in_(missing[start : start + CHUNK]), col(t.Debate.status).in_(DECIDED)
                    )
                ).all()
                debates.update({d: (parent, c) for d, parent, c in found})
            for m in missing:  # an original no longer stored: its copies are their own item
                debates.setdefault(m, (None, ""))
        ballots = list(
            session.exec(
                _where(
                    select(t.BallotRow.debate_id, t.BallotRow.judge, t.BallotRow.winner).join(
                        t.Debate, col(t.Debate.id) == col(t.BallotRow.debate_id)
                    ),
                    t.Debate,
                    tournaments,
                    collections,
                )
            ).all()
        )
        originals = sorted(set(debates) - selected)
        for start in range(0, len(originals), CHUNK):
            ballots += session.exec(
                select(t.BallotRow.debate_id, t.BallotRow.judge, t.BallotRow.winner).where(
                    col(t.BallotRow.debate_id).in_(originals[start : start + CHUNK])
                )
            ).all()

    def item(debate: str) -> str:
        for _ in range(MAX_DEPTH):
            parent = debates.get(debate, (None, ""))[0]
            if parent is None:
                break
            debate = parent
        return debate

    return [Vote(item(d), judge, debates[d][1], winner) for d, judge, winner in ballots]


def rejudged_into(store: Store, tournaments: Sequence[str] = (), collections: Sequence[str] = ()) -> list[str]:
    """The collections holding re-judged copies of the selection's debates that the
    selection does not name (for a hint: add them to compare)."""
    if not tournaments and not collections:
        return []
    copy, original = aliased(t.Debate), aliased(t.Debate)
    query = _where(
        select(copy.collection).join(original, col(copy.rejudge_of) == col(original.id)),
        original,
        tournaments,
        collections,
    )
    with store.session() as session:
        found = set(session.exec(query.distinct()).all())
    return sorted(found - set(collections))
