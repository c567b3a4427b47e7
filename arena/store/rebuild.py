"""Recompute the stored online ratings (Elo, TrueSkill) from the match log.

The incremental updates made as debates finish must equal this replay exactly; the
rebuild reports the largest difference it found, then stores the replayed values."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import delete, select

from arena.ratings import elo, trueskill_ratings
from arena.ratings.trueskill_ratings import TSRating
from arena.store import tables as t
from arena.store.store import ELO_K, ELO_START, Store


@dataclass(frozen=True)
class RebuildReport:
    debates: int
    participants: int
    max_elo_diff: float
    max_ts_diff: float

    @property
    def consistent(self) -> bool:
        return self.max_elo_diff < 1e-9 and self.max_ts_diff < 1e-9


def replay(store: Store) -> tuple[dict[str, t.RatingState], list[t.RatingChange]]:
    states: dict[str, t.RatingState] = {}
    changes: list[t.RatingChange] = []
    start = TSRating()
    for match in store.match_log("arena"):
        for p in (match.model_a, match.model_b):
            states.setdefault(p, t.RatingState(participant_id=p, elo=ELO_START, ts_mu=start.mu, ts_sigma=start.sigma))
        a, b = states[match.model_a], states[match.model_b]
        score_a = {"model_a": 1.0, "model_b": 0.0, "tie": 0.5}[match.winner]
        elo_a, elo_b = elo.update(a.elo, b.elo, score_a, ELO_K)
        ts_a, ts_b = trueskill_ratings.update(TSRating(a.ts_mu, a.ts_sigma), TSRating(b.ts_mu, b.ts_sigma), match.winner)
        for row, new_elo, new_ts in ((a, elo_a, ts_a), (b, elo_b, ts_b)):
            changes.append(t.RatingChange(
                debate_id=match.id, participant_id=row.participant_id, at=match.tstamp,
                elo_before=row.elo, elo_after=new_elo, ts_mu_before=row.ts_mu, ts_mu_after=new_ts.mu,
                ts_sigma_before=row.ts_sigma, ts_sigma_after=new_ts.sigma))
            row.elo, row.ts_mu, row.ts_sigma = new_elo, new_ts.mu, new_ts.sigma
            row.debates += 1
    return states, changes


def rebuild(store: Store, write: bool = True) -> RebuildReport:
    states, changes = replay(store)
    stored = store.rating_states()
    elo_diff = ts_diff = 0.0
    for pid in set(states) | set(stored):
        new, old = states.get(pid), stored.get(pid)
        if new is None or old is None:
            elo_diff = ts_diff = float("inf")
            continue
        elo_diff = max(elo_diff, abs(new.elo - old.elo))
        ts_diff = max(ts_diff, abs(new.ts_mu - old.ts_mu), abs(new.ts_sigma - old.ts_sigma))
    report = RebuildReport(len({c.debate_id for c in changes}), len(states), elo_diff, ts_diff)
    if write:
        with store.write_session() as session:
            session.exec(delete(t.RatingChange))  # type: ignore[call-overload]
            session.exec(delete(t.RatingState))  # type: ignore[call-overload]
            session.add_all([*states.values(), *changes])
            session.commit()
    return report


def stored_history(store: Store) -> list[t.RatingChange]:
    with store.session() as session:
        return list(session.exec(select(t.RatingChange).order_by(t.RatingChange.at, t.RatingChange.id)).all())
