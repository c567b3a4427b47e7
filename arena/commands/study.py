"""`arena study break|fallacy|personas|beliefs|order`: the debate studies' protocols.

Each subcommand either runs its protocol on the models given (`--debaters`, `--judges`,
`--motions`, `--debates N`, `--seed`) and reports on that run, or, without
`--debaters`, reports on what the store already holds."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import click

from arena.commands.common import Context, emit_json, err_console, friendly, out_console, pass_ctx, split_csv


def run_options(fn: Callable) -> Callable:
    """The options every protocol run takes."""
    for option in reversed([
        click.option("--debaters", help="Comma-separated models or arena.toml names; given: run the protocol."),
        click.option("--judges", help="Comma-separated judge models or names (default: arena.toml's, else local/smollm2)."),
        click.option("--motions", help="Comma-separated motion ids (default: drawn from the library)."),
        click.option("--debates", "n", default=10, show_default=True, type=click.IntRange(1, 100_000),
                     help="How many debates (or probes) to run."),
        click.option("--seed", default=1, show_default=True, type=int, help="Seed of the plan and the sampling."),
        click.option("--format", "fmt", default="quick", show_default=True, help="Debate format."),
        click.option("--json", "as_json", is_flag=True, help="Print only one JSON document on stdout."),
    ]):
        fn = option(fn)
    return fn


def _options(debaters: str | None, judges: str | None, motions: str | None, n: int, seed: int, fmt: str):  # type: ignore[no-untyped-def]
    from arena.studies.running import StudyOptions

    return StudyOptions(debaters=split_csv(debaters), judges=split_csv(judges), motions=split_csv(motions),
                        debates=n, seed=seed, format=fmt)


def _progress(message: str) -> None:
    err_console().print(f"[dim]{message}[/]", highlight=False)


@click.group()
def study() -> None:
    """The debate studies as arena features: rerun a protocol on your models, or report
    what the store holds. Every rate comes with its 95% interval and its count."""


@study.command("order")
@click.option("--collection", help="Only this collection (default: every collection in the store).")
@click.option("--json", "as_json", is_flag=True, help="Print only one JSON document on stdout.")
@pass_ctx
@friendly
def order_cmd(ctx: Context, collection: str | None, as_json: bool) -> None:
    """Speaking order: win rates of the first and the last speaker, per format.

    Report-only, over the stored debates: run debates in any format first.
    """
    from arena.studies.report import order_from_store
    from arena.studies.render import order_table

    report = order_from_store(ctx.store, collection)
    if as_json:
        emit_json(report.as_dict())
    else:
        out_console().print(order_table(report))


@study.command("break")
@run_options
@click.option("--no-replay", is_flag=True, help="Do not replay each debate to the end (no savings or agreement).")
@pass_ctx
@friendly
def break_cmd(ctx: Context, debaters: str | None, judges: str | None, motions: str | None, n: int, seed: int,
              fmt: str, as_json: bool, no_replay: bool) -> None:
    """Adaptive break (MAD): share of debates the judges end early, calls and cost saved,
    and agreement of the early verdict with the same debate played to the end.

    \b
    Examples:
      arena study break --debaters sim/a?skill=0.9,sim/b?skill=0.2 --judges sim/j --debates 40
      arena study break --debaters local/smollm2 --debates 2     # embedded model
      arena study break                                          # report on the store
    """
    from arena.studies.report import break_from_store

    ids = None
    if debaters:
        from arena.llm.gateway import default_gateway
        from arena.studies.breaking_run import run_break_study

        options = _options(debaters, judges, motions, n, seed, fmt)
        ids = asyncio.run(run_break_study(options, ctx.config, default_gateway(), ctx.store, _progress,
                                          replay=not no_replay))
    report = break_from_store(ctx.store, ids)
    if as_json:
        emit_json(report.as_dict())
    else:
        from arena.studies.render import break_table

        out_console().print(break_table(report))


commands = [study]
