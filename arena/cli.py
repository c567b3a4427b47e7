"""The `arena` command. Thin: parse, call the core, print. Each command group lives in
arena/commands/; this file only assembles them.

Exit status: 0 ok, 1 runtime error, 2 usage error. With --json only JSON goes to stdout;
progress and diagnostics go to stderr."""

from __future__ import annotations

import sys

import click

from arena import __version__
from arena.commands import register
from arena.commands.common import Context
from arena.commands.complete import attach as attach_completion
from arena.guard import GuardedGroup
from arena.literal import echo


class ArenaGroup(GuardedGroup):
    """`arena`: its commands listed in the order they were registered (first steps first), not A–Z."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)


@click.group(cls=ArenaGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", envvar="ARENA_DB", help="Database path or SQLAlchemy URL (default ./ratings.db).")
@click.option("--config", "config_file", envvar="ARENA_CONFIG", help="arena.toml to use.")
@click.option(
    "--call-log",
    type=click.Choice(["full", "meta", "off"]),
    envvar="ARENA_CALL_LOG",
    help="What is kept of each model call: messages and answer (full, the default), metadata only, or nothing.",
)
@click.version_option(__version__, prog_name="arena")
@click.pass_context
def cli(ctx: click.Context, db: str | None, config_file: str | None, call_log: str | None) -> None:
    """Debate Arena: models, agent teams and people debate; judges decide; ratings keep score.

    Run without a command to open the terminal app. New here? Try `arena demo`.
    """
    ctx.obj = Context(db, config_file, call_log)
    if ctx.invoked_subcommand is None:
        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            # The terminal app needs a terminal: in a pipe it would write escape codes and wait forever.
            echo(
                "arena: no terminal here for the app; run a command instead (e.g. `arena debate`), or `arena --help`",
                err=True,
            )
            echo(ctx.get_help())
            ctx.exit(2)
        from arena.tui.app import run_app

        run_app(db=db, config_file=config_file)


register(cli)
attach_completion(cli)  # motion ids, participants, debate ids, tournament names


def main() -> None:
    cli(prog_name="arena")
