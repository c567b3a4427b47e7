"""`arena study qa`: QA sets as debates (attached to `arena study` in commands/study.py)."""

from __future__ import annotations

import asyncio

import click

from arena.commands.common import (
    Context,
    emit_json,
    err_console,
    friendly,
    out_console,
    pass_ctx,
    seed_type,
    split_csv,
)


@click.command("qa")
@click.option("--debaters", help="Comma-separated models or arena.toml names; given: run the protocol.")
@click.option(
    "--judges",
    help="Comma-separated judge models or names (default: arena.toml's; else sim/judge-1 when every "
    "debater is simulated, else local/smollm2).",
)
@click.option("--items", "n", default=10, show_default=True, type=click.IntRange(1, 100_000), help="How many items.")
@click.option("--seed", default=1, show_default=True, type=seed_type(), help="Seed of the item draw and the debates.")
@click.option("--collection", default="qa", show_default=True, help="The imported items' collection.")
@click.option(
    "--alternative",
    type=click.Choice(["strongest-distractor", "own"]),
    default="strongest-distractor",
    show_default=True,
    help="The alternative answer: the wrong option the debaters chose most often, or the defender's own.",
)
@click.option("--format", "fmt", default="quick", show_default=True, help="Debate format.")
@click.option("--run", "run_name", help="Report on this stored run only.")
@click.option("--json", "as_json", is_flag=True, help="Print only one JSON document on stdout.")
@pass_ctx
@friendly
def qa_cmd(
    ctx: Context,
    debaters: str | None,
    judges: str | None,
    n: int,
    seed: int,
    collection: str,
    alternative: str,
    fmt: str,
    run_name: str | None,
    as_json: bool,
) -> None:
    """QA sets as debates (debate-driven QA benchmarks): per item one debater defends the
    official answer, another an alternative, judges blind to the answer decide; both
    roles and both sides for every pair. Reports per debater its wins, its win rate
    defending the truth and the alternative, its plain accuracy answering directly, and
    each judge's accuracy, with 95% intervals. The debates go to collection study-qa
    (`arena leaderboard --collection study-qa` rates them).

    \b
    Examples:
      arena import qa motions/qa_sample.jsonl
      arena study qa --debaters 'sim/m?memorised=0.9&skill=0.1,sim/a?skill=0.9' \\
          --judges sim/j --items 12
      arena study qa --debaters local/smollm2 --judges local/smollm2 --items 1

    Simulated debaters answer by the simulator's own key: their "memorised"
    answers are right on motions/qa_sample.jsonl, chance on other files.
    """
    from arena.errors import UsageProblem
    from arena.studies.qa import qa_from_store, qa_runs

    run = run_name
    if run_name and not debaters and run_name not in (known := qa_runs(ctx.store)):
        listed = ", ".join(known[-5:]) if known else "none yet"
        raise UsageProblem(f"--run {run_name!r}: no such QA study run (the latest: {listed})")
    if debaters:
        from arena.llm.gateway import default_gateway
        from arena.readiness import name_targets, require_ready
        from arena.studies.qa_run import QAOptions, run_qa_study

        # a mistyped provider or a missing key stops here (exit 2), not as a run of void debates
        require_ready(name_targets(split_csv(debaters), split_csv(judges), ctx.config))
        options = QAOptions(split_csv(debaters), split_csv(judges), n, seed, collection, alternative, fmt)

        def progress(message: str) -> None:
            err_console().print(f"[dim]{message}[/]", highlight=False)

        run = asyncio.run(run_qa_study(options, ctx.config, default_gateway(), ctx.store, progress))
    report = qa_from_store(ctx.store, run)
    if as_json:
        emit_json({**report.as_dict(), "run": run})
    else:
        from arena.studies.qa_render import qa_table

        out_console().print(qa_table(report))
