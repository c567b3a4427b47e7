"""Ratings: pure functions of a match log and settings.

Elo, TrueSkill and Bradley–Terry ratings, bootstrap intervals, descriptive statistics
and the leaderboard; its exports (Markdown, CSV, JSON, HTML) are in
`arena/render/leaderboard_*`. Nothing here touches the store, the network or the
terminal; the only project imports are `arena.ratings.*`.
"""
