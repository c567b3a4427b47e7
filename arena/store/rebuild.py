"""Recompute the stored online ratings (Elo, TrueSkill) from the match log.

The incremental updates made as debates finish must equal this replay exactly; the
rebuild reports the largest difference it found, then stores the replayed values."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlmodel import col, delete, select

from arena.store import tables as t
from arena.store.store import Store, apply_result, start_state


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
    for match in store.match_log("arena"):
        for p in (match.model_a, match.model_b):
            states.setdefault(p, start_state(p))
        deltas = apply_result(states[match.model_a], states[match.model_b], match.winner)
        changes += [
            t.RatingChange(debate_id=match.id, participant_id=pid, at=match.tstamp, **asdict(delta))
            for pid, delta in zip((match.model_a, match.model_b), deltas)
        ]
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
            session.exec(delete(t.RatingChange))
            session.exec(delete(t.RatingState))
            session.add_all([*states.values(), *changes])
            session.commit()
    return report


def commit_sequence(store: Store) -> list[int]:
    """Every rated debate's place in the rating order, sorted: 1..n when no update was
    lost or made twice."""
    with store.session() as session:
        seqs = session.exec(select(t.Debate.rating_seq).where(col(t.Debate.rating_seq).is_not(None))).all()
    return sorted(seq for seq in seqs if seq is not None)
