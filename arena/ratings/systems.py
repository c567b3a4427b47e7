"""The rating systems' names: the one label map for the CLI, the TUI and the exports.

Kept apart from `leaderboard` (which needs numpy and scipy) so that help text, shell
completion and the app's start-up can name the systems without loading them."""

from __future__ import annotations

from typing import Literal

System = Literal["bt", "elo", "trueskill"]
# TrueSkill's rating is μ.
SYSTEM_NAME: dict[str, str] = {"bt": "Bradley–Terry", "elo": "Elo", "trueskill": "TrueSkill μ"}
SYSTEM_SHORT: dict[str, str] = {"bt": "BT", "elo": "Elo", "trueskill": "TS μ"}


def system_title(system: str) -> str:
    """A board's title: the system, and how TrueSkill's rows are ordered."""
    return SYSTEM_NAME[system] + (" (sorted by μ−3σ)" if system == "trueskill" else "")
