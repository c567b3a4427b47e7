"""`arena study break|fallacy|personas|beliefs|order`: the debate studies' protocols.

Each subcommand either runs its protocol on the models given (`--debaters`, `--judges`,
`--motions`, `--debates N`, `--seed`) and reports on that run, or, without
`--debaters`, reports on what the store already holds."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import click

from arena.commands.common import Context, emit_json, err_console, friendly, out_console, pass_ctx, seed_type, split_csv


def run_options(fn: Callable) -> Callable:
    """The options every protocol run takes."""
    for option in reversed(
        [
            click.option("--debaters", help="Comma-separated models or arena.toml names; given: run the protocol."),
            click.option(
                "--judges",
                help="Comma-separated judge models or names (default: arena.toml's; else sim/judge-1 when every "
                "debater is simulated, else local/smollm2).",
            ),
            click.option("--motions", help="Comma-separated motion ids (default: drawn from the library)."),
            click.option(
                "--debates",
                "n",
                default=10,
                show_default=True,
                type=click.IntRange(1, 100_000),
                help="How many debates (or probes) to run.",
            ),
            click.option(
                "--seed", default=1, show_default=True, type=seed_type(), help="Seed of the plan and the sampling."
            ),
            click.option("--format", "fmt", default="quick", show_default=True, help="Debate format."),
            click.option("--json", "as_json", is_flag=True, help="Print only one JSON document on stdout."),
        ]
    ):
        fn = option(fn)
    return fn


def _options(debaters: str | None, judges: str | None, motions: str | None, n: int, seed: int, fmt: str):
    from arena.studies.running import StudyOptions

    return StudyOptions(
        debaters=split_csv(debaters),
        judges=split_csv(judges),
        motions=split_csv(motions),
        debates=n,
        seed=seed,
        format=fmt,
    )


def _progress(message: str) -> None:
    # one line however long: a wrapped `arena calls study:beliefs-…` hint broke at its space
    err_console().print(f"[dim]{message}[/]", highlight=False, soft_wrap=True)


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
    from arena.store.queries import check_known_collection
    from arena.studies.render import order_table
    from arena.studies.report import order_from_store

    if collection is not None:
        collection = check_known_collection(ctx.store, collection)  # a typo is a usage error
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
def break_cmd(
    ctx: Context,
    debaters: str | None,
    judges: str | None,
    motions: str | None,
    n: int,
    seed: int,
    fmt: str,
    as_json: bool,
    no_replay: bool,
) -> None:
    """Adaptive break (MAD): share of debates the judges end early, calls and cost saved,
    and agreement of the early verdict with the same debate played to the end.

    \b
    Examples:
      arena study break --debaters 'sim/a?skill=0.9,sim/b?skill=0.2' \\
          --judges sim/j --debates 40
      arena study break --debaters local/smollm2 --debates 2  # embedded model
      arena study break                                       # report the store
    """
    from arena.studies.report import break_from_store

    ids = None
    if debaters:
        from arena.llm.gateway import default_gateway
        from arena.studies.breaking_run import run_break_study

        options = _options(debaters, judges, motions, n, seed, fmt)
        ids = asyncio.run(
            run_break_study(options, ctx.config, default_gateway(), ctx.store, _progress, replay=not no_replay)
        )
    report = break_from_store(ctx.store, ids)
    if as_json:
        emit_json(report.as_dict())
    else:
        from arena.studies.render import break_table

        out_console().print(break_table(report))


@study.command("fallacy")
@run_options
@click.option("--persuader", help="The persuading model (default: the first debater).")
@click.option("--rounds", default=3, show_default=True, type=click.IntRange(1, 10), help="Persuader turns per probe.")
@click.option("--run", "run_name", help="Report on this stored run only.")
@pass_ctx
@friendly
def fallacy_cmd(
    ctx: Context,
    debaters: str | None,
    judges: str | None,
    motions: str | None,
    n: int,
    seed: int,
    fmt: str,
    as_json: bool,
    persuader: str | None,
    rounds: int,
    run_name: str | None,
) -> None:
    """Fallacy probes (LOGICOM): is a debater convinced more often by fallacies than by
    logic? `--debates N` claims per debater, each probed in both modes. With --judges,
    the judges are probed too: N ballots between a logical and a fallacious speech.

    \b
    Examples:
      arena study fallacy --debates 100 \\
          --debaters 'sim/bob?convince_logical=0.2&convince_fallacious=0.4'
      arena study fallacy --debaters local/smollm2 --debates 2 --rounds 1
    """
    from arena.studies.render import fallacy_table
    from arena.studies.report import fallacy_from_store

    run = run_name
    if debaters:
        from arena.llm.gateway import default_gateway
        from arena.studies.fallacy_run import run_fallacy_study

        options = _options(debaters, judges, motions, n, seed, fmt)
        gateway = default_gateway()
        run = asyncio.run(run_fallacy_study(options, persuader, rounds, ctx.config, gateway, ctx.store, _progress))
        if judges:
            from arena.studies.fallacy_run import judge_probes

            asyncio.run(judge_probes(options, persuader, ctx.config, gateway, ctx.store, run, _progress))
    report = fallacy_from_store(ctx.store, run)
    if as_json:
        emit_json({**report.as_dict(), "run": run})
    else:
        out_console().print(fallacy_table(report))


@study.command("beliefs")
@run_options
@click.option(
    "--choose-side",
    is_flag=True,
    help="Debaters choose their side after being told the judge's persona (sycophancy probe).",
)
@click.option(
    "--personas",
    default="skeptical,enthusiast",
    show_default=True,
    help="Judge personas for --choose-side (built-in ones that lean a way).",
)
@pass_ctx
@friendly
def beliefs_cmd(
    ctx: Context,
    debaters: str | None,
    judges: str | None,
    motions: str | None,
    n: int,
    seed: int,
    fmt: str,
    as_json: bool,
    choose_side: bool,
    personas: str,
) -> None:
    """Prior beliefs: do debaters win more when arguing what they privately believe, and
    do they pick the side a judge's persona favours over their own prior?

    \b
    Examples:
      arena study beliefs --judges sim/j --debates 100 \\
          --debaters 'sim/a?aligned_bonus=0.3,sim/b?aligned_bonus=0.3'
      arena study beliefs --debaters 'sim/a?sycophancy=0.6,sim/b' --choose-side \\
          --debates 50
      arena study beliefs --debaters local/smollm2 --debates 2
    """
    from arena.studies.render import beliefs_table
    from arena.studies.report import beliefs_from_store

    run, ids = None, None
    if debaters:
        from arena.llm.gateway import default_gateway
        from arena.studies.beliefs_run import run_beliefs_study

        options = _options(debaters, judges, motions, n, seed, fmt)
        run, ids = asyncio.run(
            run_beliefs_study(
                options, ctx.config, default_gateway(), ctx.store, choose_side, split_csv(personas), _progress
            )
        )
    report = beliefs_from_store(ctx.store, run, ids)
    if as_json:
        emit_json({**report.as_dict(), "run": run})
    else:
        out_console().print(beliefs_table(report))


@study.command("personas")
@run_options
@click.option(
    "--personas",
    default="mainstream,skeptical",
    show_default=True,
    help="Built-in personas each judge also judges as (see arena/data/personas.toml).",
)
@click.option("--protocols", default="debate,consultancy", show_default=True, help="debate and/or consultancy.")
@click.option("--run", "run_name", help="Report on this stored run only.")
@pass_ctx
@friendly
def personas_cmd(
    ctx: Context,
    debaters: str | None,
    judges: str | None,
    motions: str | None,
    n: int,
    seed: int,
    fmt: str,
    as_json: bool,
    personas: str,
    protocols: str,
    run_name: str | None,
) -> None:
    """Judge personas: accuracy per judge persona and protocol (debate vs consultancy) on
    motions with a known answer (truth = "pro"|"con" in the motion files).

    \b
    Examples:
      arena study personas --debaters sim/a,sim/b \\
          --judges 'sim/j?truth_accuracy=0.7&persona_accuracy=0.8'
      arena study personas --debaters local/smollm2 --debates 1 --protocols debate
    """
    from arena.studies.render import personas_table
    from arena.studies.report import personas_from_store

    run = run_name
    if debaters:
        from arena.llm.gateway import default_gateway
        from arena.studies.personas_run import run_personas_study

        options = _options(debaters, judges, motions, n, seed, fmt)
        run = asyncio.run(
            run_personas_study(
                options, split_csv(personas), split_csv(protocols), ctx.config, default_gateway(), ctx.store, _progress
            )
        )
    report = personas_from_store(ctx.store, run)
    if as_json:
        emit_json({**report.as_dict(), "run": run})
    else:
        out_console().print(personas_table(report))


commands = [study]


def _attach_qa() -> None:
    from arena.commands.study_qa import qa_cmd  # QA sets as debates (issue 22)

    study.add_command(qa_cmd)


_attach_qa()
