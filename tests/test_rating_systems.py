"""The rating-system registry: every entry builds a board, names cost no numpy, and a
system added by one registry entry reaches the board and every export."""

import json
import math
import subprocess
import sys

import pytest

from arena.ratings import systems
from arena.ratings.fits import Fits, SystemFit
from arena.ratings.leaderboard import LeaderboardSettings, build_leaderboard
from arena.ratings.types import Match
from arena.render import leaderboard_data, leaderboard_html, leaderboard_md

LOG = [
    Match(a, b, w, float(t), id=f"d{t}")
    for t, (a, b, w) in enumerate(
        [
            ("x", "y", "model_a"),
            ("y", "z", "model_b"),
            ("z", "x", "tie"),
            ("x", "z", "model_a"),
            ("y", "x", "model_b"),
            ("z", "y", "model_a"),
        ]
        * 3
    )
]


@pytest.mark.parametrize("name", systems.SYSTEM_NAMES)
def test_every_registered_system_builds_a_board(name):
    board = build_leaderboard(LOG, LeaderboardSettings(system=name, rounds=20, min_debates=0))
    assert {r.participant for r in board.rows} == {"x", "y", "z"}
    assert all(math.isfinite(r.rating) and r.ci_lo < r.ci_hi for r in board.rows)
    assert systems.SYSTEMS[name].label in leaderboard_md.to_markdown(board)


def test_an_unknown_system_is_refused():
    with pytest.raises(ValueError, match="unknown rating system 'nope'"):
        build_leaderboard(LOG, LeaderboardSettings(system="nope"))


def test_the_names_load_no_numpy():
    code = (
        "import sys, arena.ratings.systems, arena.render.leaderboard_text\n"
        "print(sorted(m for m in ('numpy', 'scipy', 'trueskill') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def wins_board(fits: Fits) -> SystemFit:
    """A made-up system for the test: the number of wins."""
    wins = {
        p: float(
            sum(
                (m.model_a if m.winner == "model_a" else m.model_b) == p
                for m in fits.rated
                if m.winner in ("model_a", "model_b")
            )
        )
        for p in fits.names
    }
    return SystemFit(
        wins,
        {p: w - 1 for p, w in wins.items()},
        {p: w + 1 for p, w in wins.items()},
        sort_key=wins,
        ci_method={p: "wins" for p in fits.names},
    )


def test_a_system_added_by_one_entry_reaches_the_board_and_the_exports(monkeypatch):
    entry = systems.RatingSystem("wins", "Wins", "W", f"{__name__}:wins_board")
    monkeypatch.setitem(systems.SYSTEMS, "wins", entry)
    board = build_leaderboard(LOG, LeaderboardSettings(system="wins", rounds=20, min_debates=0))
    assert [(r.participant, r.rating) for r in board.rows] == [("x", 9.0), ("z", 6.0), ("y", 0.0)]
    assert json.loads(leaderboard_data.to_json(board, "1"))["settings"]["system"] == "wins"
    assert "system Wins" in leaderboard_md.to_markdown(board)
    assert "<h2>Wins with 95% intervals</h2>" in leaderboard_html.to_html(board, "1")
    assert systems.system_title("wins") == "Wins"
