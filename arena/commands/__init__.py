"""Command groups of the `arena` CLI, one module each."""

from __future__ import annotations

import importlib

import click

# Each module defines `commands`: the click commands or groups it adds to `arena`.
MODULES = ("debate", "demo", "motions", "models", "show", "leaderboard", "ratings", "tournament", "battles",
           "confidence", "imports", "judges", "study")


def register(cli: click.Group) -> None:
    for name in MODULES:
        module = importlib.import_module(f"arena.commands.{name}")
        for command in module.commands:
            cli.add_command(command)
