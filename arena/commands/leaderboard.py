"""`arena leaderboard`: ratings with intervals, as a table or an export."""

from __future__ import annotations

from rich.markup import escape
from pathlib import Path
from typing import TYPE_CHECKING

import click

from arena.commands.common import Context, friendly, out_console, pass_ctx

if TYPE_CHECKING:
    from arena.ratings.leaderboard import System

SYSTEM_LABEL = {"bt": "Bradley–Terry", "elo": "Elo", "trueskill": "TrueSkill (sorted by μ−3σ)"}
SHORT_LABEL = {"bt": "BT", "elo": "Elo", "trueskill": "TS μ"}


def compute(ctx: Context, *, system: System = "bt", category: str | None = None, collection: str = "arena",
            min_debates: int = 10, seed: int = 42, rounds: int = 1000, k: float = 32.0,
            anchor: str | None = None, tournament: str | None = None):
    from arena.ratings.leaderboard import LeaderboardSettings, build_leaderboard

    log = ctx.store.match_log(collection=collection, category=category, tournament=tournament)
    settings = LeaderboardSettings(system=system, k=k, min_debates=min_debates, rounds=rounds, seed=seed,
                                   anchor=anchor, category=category, collection=collection)
    board = build_leaderboard(log, settings)
    add_calibration(ctx, board, log)
    return board


def add_calibration(ctx: Context, board, log) -> None:
    """Fill each row's Brier score from the bets of the very debates the board rates.

    Imported FastChat battles carry no bets, so their rows keep None (and no column).
    """
    from arena.ratings.confidence import brier_by_participant
    from arena.store.bets_query import bet_rows_for_debates

    if not board.rows:
        return
    rated = {m.id for m in log if board.settings.category is None or m.category == board.settings.category}
    scores = brier_by_participant(bet_rows_for_debates(ctx.store, [i for i in rated if i]))
    for row in board.rows:
        row.brier = scores.get(row.participant)


def rich_table(board, title: str):
    from rich.table import Table

    system = board.settings.system
    provisional = any(r.provisional for r in board.rows)
    caption = f"95% bootstrap intervals · log sha256 {board.log_sha256[:12]}"
    if provisional:
        caption += f" · * provisional (< {board.settings.min_debates} debates)"
    table = Table(title=title, caption=caption)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("participant", style="cyan", overflow="fold")
    table.add_column(SHORT_LABEL[system], justify="right", no_wrap=True)
    table.add_column("95% CI", justify="right", no_wrap=True)
    table.add_column("n", justify="right", no_wrap=True)
    table.add_column("W-T-L", justify="right", no_wrap=True)
    table.add_column("TS μ±σ", justify="right", no_wrap=True)
    if any(getattr(r, "brier", None) is not None for r in board.rows):
        table.add_column("Brier", justify="right")
    for r in board.rows:
        cells = [
            str(r.rank_ub), escape(r.participant) + (" *" if r.provisional else ""), f"{r.rating:.0f}",
            f"+{r.ci_hi - r.rating:.0f}/−{r.rating - r.ci_lo:.0f}", str(r.debates), f"{r.wins}-{r.ties}-{r.losses}",
            f"{r.ts_mu:.1f}±{r.ts_sigma:.1f}",
        ]
        if len(table.columns) > len(cells):
            cells.append("" if getattr(r, "brier", None) is None else f"{r.brier:.3f}")
        table.add_row(*cells)
    return table


def empty_message(ctx: Context) -> str:
    from arena.store.queries import counts

    if counts(ctx.store)["finished"]:
        return ("No rated debates yet: a participant debating itself (the default `arena debate`, "
                "the embedded model on both sides) is not rated. Try `arena demo`, or "
                "`arena debate --pro sim/a --con sim/b`.")
    return "No finished debates yet. Run `arena demo` or `arena debate`."


def print_leaderboard(ctx: Context, *, warnings: bool = True, **kwargs) -> None:
    board = compute(ctx, **kwargs)
    console = out_console()
    if not board.rows:
        console.print(empty_message(ctx))
        return
    console.print(rich_table(board, f"Leaderboard · {SYSTEM_LABEL[board.settings.system]}"))
    for warning in board.warnings if warnings else []:
        console.print(f"[yellow]warning:[/] {escape(warning)}")


@click.command()
@click.option("--system", type=click.Choice(["bt", "elo", "trueskill"]), default="bt", show_default=True)
@click.option("--category", type=click.Choice(["fact", "value", "policy"]), help="Only debates on such motions.")
@click.option("--collection", default="arena", show_default=True, help="An imported collection to rate instead.")
@click.option("--tournament", help="Only the debates of this tournament.")
@click.option("--min-debates", default=10, show_default=True, help="Below this a rating is marked provisional.")
@click.option("--format", "fmt", type=click.Choice(["table", "md", "csv", "json", "html"]), default="table",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file.")
@click.option("--seed", default=42, show_default=True, help="Bootstrap seed.")
@click.option("--rounds", default=1000, show_default=True, type=click.IntRange(0, 100000), help="Bootstrap rounds.")
@click.option("--k", "k", default=32.0, show_default=True, help="Elo K factor.")
@click.option("--anchor", help="Pin this participant's Bradley–Terry rating at 1000.")
@pass_ctx
@friendly
def leaderboard(ctx: Context, system: System, category: str | None, collection: str, tournament: str | None,
                min_debates: int, fmt: str, output: Path | None, seed: int, rounds: int, k: float,
                anchor: str | None) -> None:
    """Ratings with 95% bootstrap intervals, from the match log.

    Every figure is a pure function of (match log, settings): the same database and
    options give byte-identical exports.
    """
    from arena import __version__
    from arena.ratings import exports

    board = compute(ctx, system=system, category=category, collection=collection, min_debates=min_debates,
                    seed=seed, rounds=rounds, k=k, anchor=anchor, tournament=tournament)
    if fmt == "table":
        if output:
            from rich.console import Console

            with output.open("w", encoding="utf-8") as fh:
                Console(file=fh, width=120).print(rich_table(board, f"Leaderboard · {SYSTEM_LABEL[system]}"))
        elif not board.rows:
            out_console().print(empty_message(ctx))
        else:
            out_console().print(rich_table(board, f"Leaderboard · {SYSTEM_LABEL[system]}"))
            for warning in board.warnings:
                click.echo(f"warning: {warning}", err=True)
        return
    render = {"md": exports.to_markdown, "csv": exports.to_csv,
              "json": lambda b: exports.to_json(b, __version__), "html": lambda b: exports.to_html(b, __version__)}[fmt]
    text = render(board)
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=not text.endswith("\n"))


commands = [leaderboard]
