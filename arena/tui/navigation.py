"""The home screen's destinations: one table that the home menu, its key bindings and the
command palette all read. Kept apart from the app so the home screen can import it
without importing the app (which opens the home screen)."""

from __future__ import annotations

NAVIGATION: dict[str, tuple[str, str, str]] = {
    # key: (screen name, title, help)
    "n": ("new", "New debate", "Pick a motion, a format, two sides and the judges; watch it live"),
    "p": ("play", "Play as a human", "Debate an agent yourself: write speeches, place private bets"),
    "l": ("leaderboard", "Leaderboard", "Ratings with intervals: Bradley–Terry, Elo, TrueSkill"),
    "h": ("history", "History", "Finished debates: search, open, replay"),
    "t": ("tournaments", "Tournaments", "Running and past tournaments, live progress"),
    "c": ("confidence", "Confidence", "Do debaters know when they are losing? Their private bets"),
}
