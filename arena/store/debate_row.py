"""A debate record's own fields ↔ its `debate` row, by one table.

`SAME` names the record fields stored in a column of the same name as they are;
`MOTION` the motion's fields and their columns; the options go whole: those the
queries filter on have a column of their own (`OPTION_COLUMNS`; the seed is the
record's), the rest one JSON column, so a new debate option needs no schema change.
`Store.save_debate` writes with `row_values`, `queries.load_debate` (and the bets
queries) read with `record_fields`: both sides of the mapping are here."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from arena import __version__
from arena.debate.options import DebateOptions
from arena.debate.records import CallUsage, DebateRecord, MotionRef
from arena.redact import redact
from arena.store import tables as t
from arena.store.codes import STATUSES

SAME = (
    "collection",
    "tournament",
    "slot",
    "format",
    "seed",
    "finished_at",
    "consultant",
    "broke_after_round",
    "rejudge_of",
)
MOTION = {"id": "motion_id", "text": "motion_text", "category": "category", "info_slide": "info_slide"}
# Filtered on by SQL (match log, bets, studies). The condition is read back unchecked: an
# imported study may carry one of its own (`arena import overconfidence --condition NAME`).
OPTION_COLUMNS = ("condition", "protocol", "adaptive_break")


def row_values(record: DebateRecord) -> dict[str, Any]:
    """The `debate` row's columns for `record` (all but id and created_at)."""
    options = record.options.as_dict()
    del options["seed"]  # the record's seed column (they are equal)
    verdict = record.verdict
    return {
        **{name: getattr(record, name) for name in SAME},
        **{column: getattr(record.motion, name) for name, column in MOTION.items()},
        **{name: options.pop(name) for name in OPTION_COLUMNS},
        "options_json": json.dumps(options, sort_keys=True),
        "pro_id": record.pro,
        "con_id": record.con,
        "judges_json": json.dumps(record.judges),
        "status": record.status,
        "error": redact(record.error),
        "started_at": record.started_at or None,
        "winner": verdict.winner if verdict else None,
        "pro_votes": verdict.pro_votes if verdict else 0,
        "con_votes": verdict.con_votes if verdict else 0,
        "usage_json": json.dumps(asdict(record.usage), sort_keys=True),
        "warnings_json": json.dumps(record.warnings),
        "app_version": __version__,
    }


def record_fields(row: t.Debate) -> dict[str, Any]:
    """A `DebateRecord`'s own fields from its row (the children and verdict are the caller's)."""
    options = {
        **json.loads(row.options_json or "{}"),
        **{name: getattr(row, name) for name in OPTION_COLUMNS},
        "seed": row.seed,
    }
    return {
        **{name: getattr(row, name) for name in SAME},
        "id": row.id,
        "motion": MotionRef(**{name: getattr(row, column) for name, column in MOTION.items()}),
        "options": DebateOptions.from_dict(options),
        "pro": row.pro_id,
        "con": row.con_id,
        "judges": json.loads(row.judges_json or "[]"),
        "status": STATUSES[row.status],
        "error": row.error,
        "started_at": row.started_at or row.created_at,
        "usage": CallUsage(**json.loads(row.usage_json)) if row.usage_json not in ("", "{}") else CallUsage(),
        "warnings": json.loads(row.warnings_json or "[]"),
    }
