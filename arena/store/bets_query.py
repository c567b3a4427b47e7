"""Reading bets back as `BetRow`s, the input of the confidence statistics.

`arena confidence`, the leaderboard's calibration column and the TUI's confidence screen
all read bets through here, so they agree on which debates count: finished ones (a void
debate's bets are cut short and have no verdict to be scored against), in the chosen
collection. Each debate's rows come from `bet_rows_from_record`, the function the
importer's tests check by hand, so a debate read from the store yields exactly the rows
its record did before it was saved.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlmodel import col, func, or_, select

from arena.debate.bet_rows import bet_rows_from_record
from arena.debate.records import Bet, DebateRecord, Speech, Verdict
from arena.ratings.confidence_types import BetRow
from arena.store import tables as t
from arena.store.codes import SIDES, WINNERS
from arena.store.debate_row import record_fields
from arena.store.store import Store

# Keeps `IN (...)` lists well below SQLite's bound on parameters of one statement.
CHUNK = 500
PARTICIPANT_PREFIXES = ("model:", "team:", "human:")


def participant_ids(name: str) -> list[str]:
    """The ids a typed name may mean: `sim/a` is also `model:sim/a`, as on the command line."""
    name = name.strip()
    if name.startswith(PARTICIPANT_PREFIXES):
        return [name]
    return [name, f"model:{name}"]


def confidence_rows(
    store: Store,
    *,
    collection: str | None = "arena",
    participant: str | None = None,
    condition: str | None = None,
    tournament: str | None = None,
) -> list[BetRow]:
    """Every bet (stated or missing) of the finished debates that match the filters.

    `collection=None` reads every collection. `participant` keeps only that
    participant's own bets (its opponents' bets are someone else's confidence); a name
    without a prefix also matches `model:<name>`. Rows come in debate order (finish time,
    then id) and, within a debate, in speech order.
    """
    query = select(t.Debate).where(t.Debate.status == "finished")
    if collection is not None:
        query = query.where(t.Debate.collection == collection)
    if condition:
        query = query.where(t.Debate.condition == condition)
    if tournament:
        query = query.where(t.Debate.tournament == tournament)
    ids = participant_ids(participant) if participant else []
    if ids:
        query = query.where(or_(col(t.Debate.pro_id).in_(ids), col(t.Debate.con_id).in_(ids)))
    with store.session() as session:
        debates = list(session.exec(query.order_by(col(t.Debate.finished_at), col(t.Debate.id))).all())
    rows = _rows(store, debates)
    return [r for r in rows if r.participant in ids] if ids else rows


def bet_rows_for_debates(store: Store, debate_ids: Iterable[str]) -> list[BetRow]:
    """The bets of these debates (finished ones only), e.g. of a leaderboard's match log."""
    wanted = list(dict.fromkeys(debate_ids))
    debates: list[t.Debate] = []
    with store.session() as session:
        for chunk in _chunks(wanted):
            debates += session.exec(
                select(t.Debate).where(col(t.Debate.id).in_(chunk), t.Debate.status == "finished")
            ).all()
    order = {debate_id: n for n, debate_id in enumerate(wanted)}
    debates.sort(key=lambda d: order[d.id])
    return _rows(store, debates)


def collection_sizes(store: Store) -> dict[str, int]:
    """Finished debates per collection, for telling a user where the data is."""
    with store.session() as session:
        counted = session.exec(
            select(t.Debate.collection, func.count())
            .where(t.Debate.status == "finished")
            .group_by(t.Debate.collection)
            .order_by(t.Debate.collection)
        ).all()
    return {name: int(n) for name, n in counted}


# --- from table rows to BetRows -------------------------------------------------------


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _rows(store: Store, debates: list[t.Debate]) -> list[BetRow]:
    if not debates:
        return []
    ids = [d.id for d in debates]
    bets: dict[str, list[t.BetRow]] = defaultdict(list)
    stages: dict[str, list[tuple[int, str]]] = defaultdict(list)
    with store.session() as session:
        for chunk in _chunks(ids):
            for bet in session.exec(
                select(t.BetRow).where(col(t.BetRow.debate_id).in_(chunk)).order_by(col(t.BetRow.id))
            ).all():
                bets[bet.debate_id].append(bet)
        # A bet names its stage; only bets stored without one fall back to their speech's.
        unnamed = [debate_id for debate_id in ids if any(not b.stage for b in bets[debate_id])]
        for chunk in _chunks(unnamed):
            for debate_id, index, stage in session.exec(
                select(t.SpeechRow.debate_id, t.SpeechRow.index, t.SpeechRow.stage).where(
                    col(t.SpeechRow.debate_id).in_(chunk)
                )
            ).all():
                stages[debate_id].append((index, stage))
    rows: list[BetRow] = []
    for debate in debates:
        if bets[debate.id]:
            rows += bet_rows_from_record(_record(debate, bets[debate.id], stages[debate.id]))
    return rows


def _record(debate: t.Debate, bets: list[t.BetRow], stages: list[tuple[int, str]]) -> DebateRecord:
    """Enough of a DebateRecord for `bet_rows_from_record`: its own fields as `load_debate`
    reads them (store/debate_row.py), its bets, the stages of its speeches, the verdict's winner."""
    return DebateRecord(
        **record_fields(debate),
        speeches=[
            Speech(index=index, side="pro", stage=stage, kind="", round=0, text="", words=0) for index, stage in stages
        ],
        bets=[Bet(after_speech=b.after_speech, side=SIDES[b.side], amount=b.amount, stage=b.stage) for b in bets],
        verdict=Verdict(winner=WINNERS[debate.winner]) if debate.winner else None,
    )
