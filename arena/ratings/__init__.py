"""Ratings: pure functions of a match log and settings.

Elo, TrueSkill and Bradley–Terry ratings, bootstrap intervals, descriptive statistics,
the leaderboard and its exports. Nothing here touches the store, the network or the
terminal; the only project imports are `arena.ratings.*`.
"""
