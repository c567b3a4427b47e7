"""Stored strings read back as the records' Literal types. A row holds only what a
record wrote, so a lookup here never misses on a database the arena wrote itself; an
unknown value (a hand-edited database) fails loudly instead of flowing on mistyped."""

from __future__ import annotations

from typing import cast, get_args

from arena.debate.records import BetCondition, DebateStatus, Side, VerdictWinner

SIDES: dict[str, Side] = {s: s for s in get_args(Side)}
WINNERS: dict[str, VerdictWinner] = {w: w for w in get_args(VerdictWinner)}
STATUSES: dict[str, DebateStatus] = {s: s for s in get_args(DebateStatus)}


def condition(value: str) -> BetCondition:
    """A stored bet condition. Not checked: an imported study may carry a condition of its
    own (`arena import overconfidence --condition NAME`), and it reads back unchanged."""
    return cast(BetCondition, value)
