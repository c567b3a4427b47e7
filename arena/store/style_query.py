"""What a controlled leaderboard's covariates are computed from, read from the store.

For arena debates, from the stored speeches (`SpeechRow`): each side's words over the
whole debate, who spoke first in the last round, and (only when asked for, as it needs
the text) the evidence and markdown counts of `ratings.style`. A debate's A is its
Proposition (as in `Store.match_log`), so `a_side` is +1. For an imported collection,
from each battle's `style_json` (`arena battles import` keeps the style columns there),
keyed by the same positional ids `Store.match_log` gives its battles.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence

from sqlmodel import col, func, select

from arena.ratings.style import Style, count_evidence, count_markdown
from arena.store import tables as t
from arena.store.store import Store

CHUNK = 500  # ids per IN (...) list, well below SQLite's bound


def debate_styles(store: Store, debate_ids: Sequence[str], texts: bool = False) -> dict[str, Style]:
    """Style of each debate with speeches; `texts` also counts evidence and markdown."""
    words: dict[str, dict[str, float]] = defaultdict(lambda: {"pro": 0.0, "con": 0.0})
    last: dict[str, tuple[int, int, str]] = {}  # debate → (round, index, side) of the last round's first speech
    body: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"pro": [], "con": []})
    ids = [i for i in dict.fromkeys(debate_ids) if i]
    with store.session() as session:
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            columns = [t.SpeechRow.debate_id, t.SpeechRow.side, t.SpeechRow.round, t.SpeechRow.index]
            columns += [t.SpeechRow.words, t.SpeechRow.text] if texts else [t.SpeechRow.words]
            rows = session.exec(select(*columns).where(col(t.SpeechRow.debate_id).in_(chunk))).all()  # type: ignore[call-overload]
            for row in rows:
                debate, side, rnd, index, n = row[0], row[1], int(row[2]), int(row[3]), float(row[4])
                if side not in ("pro", "con"):
                    continue
                words[debate][side] += n
                seen = last.get(debate)
                if seen is None or (rnd, -index) > (seen[0], -seen[1]):
                    last[debate] = (rnd, index, side)
                if texts:
                    body[debate][side].append(str(row[5]))
    out: dict[str, Style] = {}
    for debate, w in words.items():
        extra: dict[str, tuple[float, float]] = {}
        if texts:
            pro, con = "\n".join(body[debate]["pro"]), "\n".join(body[debate]["con"])
            mp, mc = count_markdown(pro), count_markdown(con)
            extra = {
                "evidence": (float(count_evidence(pro)), float(count_evidence(con))),
                "header": (float(mp[0]), float(mc[0])),
                "list": (float(mp[1]), float(mc[1])),
                "bold": (float(mp[2]), float(mc[2])),
            }
        first = last.get(debate)
        out[debate] = Style(
            words=(w["pro"], w["con"]),
            a_side=1,
            a_first=None if first is None else (1 if first[2] == "pro" else -1),
            **extra,
        )
    return out


STYLE_KEYS = ("words", "evidence", "header", "list", "bold")


def battle_styles(store: Store, collection: str) -> dict[str, Style]:
    """Style of each imported battle that carries style columns, keyed like `match_log`'s ids."""
    with store.session() as session:
        if not session.exec(
            select(func.count())
            .select_from(t.Battle)
            .where(t.Battle.collection == collection, col(t.Battle.style_json).is_not(None))
        ).one():
            return {}
        rows = session.exec(
            select(t.Battle.style_json)
            .where(t.Battle.collection == collection)
            .order_by(col(t.Battle.tstamp), col(t.Battle.id))
        ).all()
    out: dict[str, Style] = {}
    for n, raw in enumerate(rows):
        if not raw:
            continue
        data = json.loads(raw)
        pairs = {
            key: (float(data[f"{key}_a"]), float(data[f"{key}_b"]))
            for key in STYLE_KEYS
            if f"{key}_a" in data and f"{key}_b" in data
        }
        out[f"{n:09d}"] = Style(
            a_side=int(data["a_side"]) if "a_side" in data else None,
            a_first=int(data["a_first"]) if "a_first" in data else None,
            **pairs,
        )
    return out
