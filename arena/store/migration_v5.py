"""Schema 5: the rating order and the tournaments' spending, filled in for old rows.

Rated debates get `rating_seq` in the order they were rated before (their strictly
increasing finish times), so `arena ratings rebuild` replays the same history; each
tournament's `spent` becomes the cost of the debates already stored for it."""

from __future__ import annotations

import json
from collections import defaultdict

from sqlalchemy import text
from sqlalchemy.engine import Connection


def step(conn: Connection) -> None:
    rated = (
        conn.execute(
            text(
                "SELECT id FROM debate WHERE collection = 'arena' AND status = 'finished' AND winner IS NOT NULL "
                "AND pro_id <> con_id AND rating_seq IS NULL ORDER BY finished_at, id"
            )
        )
        .scalars()
        .all()
    )
    start = conn.execute(text("SELECT COALESCE(MAX(rating_seq), 0) FROM debate")).scalar_one()
    if rated:
        conn.execute(
            text("UPDATE debate SET rating_seq = :seq WHERE id = :id"),
            [{"seq": start + n, "id": debate_id} for n, debate_id in enumerate(rated, 1)],
        )
    spent: dict[str, float] = defaultdict(float)
    for name, usage in conn.execute(
        text(
            "SELECT tournament, usage_json FROM debate WHERE tournament IS NOT NULL AND status IN ('finished', 'void')"
        )
    ):
        cost = json.loads(usage or "{}").get("cost") if usage not in (None, "", "{}") else None
        spent[name] += cost or 0.0
    if spent:
        conn.execute(
            text("UPDATE tournament SET spent = :spent WHERE name = :name"),
            [{"spent": v, "name": k} for k, v in spent.items()],
        )
