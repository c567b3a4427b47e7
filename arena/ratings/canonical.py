"""One order and one fingerprint for a match log.

Replays (Elo, TrueSkill) walk the log in time order, ties broken by id, so the store's
incremental updates and a rebuild from the log meet. The fingerprint lets an export
say exactly which log it was computed from.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from arena.ratings.types import Match, MatchLog


def replay_key(match: Match) -> tuple[float, str]:
    """The replay order: time first, then id (stable for equal keys)."""
    return (match.tstamp, match.id)


def in_replay_order(log: Iterable[Match]) -> MatchLog:
    return sorted(log, key=replay_key)


def _canonical_row(m: Match) -> str:
    # A fixed float format keeps the fingerprint independent of repr() quirks.
    row = [
        f"{m.tstamp:.6f}",
        m.id,
        m.model_a,
        m.model_b,
        m.winner,
        m.motion,
        m.category,
        m.format,
        list(m.judges),
    ]
    return json.dumps(row, ensure_ascii=False, separators=(",", ":"))


def log_sha256(log: Iterable[Match]) -> str:
    """SHA-256 over the sorted canonical rows, one JSON array per line."""
    rows = sorted(_canonical_row(m) for m in log)
    digest = hashlib.sha256()
    for row in rows:
        digest.update(row.encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()
