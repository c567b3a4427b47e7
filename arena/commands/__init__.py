"""Command groups of the `arena` CLI, one module each."""

from __future__ import annotations

import importlib

import click

# Each module defines `commands`: the click commands or groups it adds to `arena`, in
# the order `arena --help` lists them (what a newcomer needs first).
MODULES = (
    "demo",
    "debate",
    "tournament",
    "leaderboard",
    "show",
    "calls",
    "rejudge",
    "motions",
    "models",
    "judges",
    "study",
    "group",
    "confidence",
    "ratings",
    "battles",
    "imports",
)

# One complete line per command for `arena --help` (click cuts a longer first sentence
# with "..." at 80 columns); each command's own --help keeps its full docstring.
SUMMARIES = {
    "demo": "Offline showcase: debates on the embedded model, no key.",
    "debate": "Run one debate and watch it: speeches, bets, verdict.",
    "tournament": "Many debates headless: run, resume, work, list, show.",
    "leaderboard": "Ratings with 95% intervals: table, JSON, CSV, MD, HTML.",
    "show": "One stored debate: speeches, bets, scores, ballots.",
    "calls": "One model call of a debate in full: messages, answer.",
    "rejudge": "Judge stored debates again into a new collection.",
    "motions": "Browse the curated motions.",
    "models": "Configured participants and judges, and their keys.",
    "judges": "Audit judges before trusting them with a tournament.",
    "study": "Rerun six debate studies on your models.",
    "group": "Group discussions with private opinions (DEBATE).",
    "confidence": "Debaters' private bets: do they know they are losing?",
    "ratings": "Rebuild Elo and TrueSkill from the match log.",
    "battles": "Import or export Chatbot Arena-style battles.",
    "import": "Import published debates into their own collection.",
}


def register(cli: click.Group) -> None:
    for name in MODULES:
        module = importlib.import_module(f"arena.commands.{name}")
        for command in module.commands:
            command.short_help = SUMMARIES[command.name or ""]
            cli.add_command(command)
