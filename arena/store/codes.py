"""Stored strings read back as the records' Literal types. A row holds only what a
record wrote, so a lookup here never misses on a database the arena wrote itself; an
unknown value (a hand-edited database) fails loudly instead of flowing on mistyped."""

from __future__ import annotations

from typing import get_args

from arena.debate.records import DebateStatus, Side, VerdictWinner

SIDES: dict[str, Side] = {s: s for s in get_args(Side)}
WINNERS: dict[str, VerdictWinner] = {w: w for w in get_args(VerdictWinner)}
STATUSES: dict[str, DebateStatus] = {s: s for s in get_args(DebateStatus)}
