"""`arena rejudge`: stored debates judged again by other judges, into a collection of their own."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from arena.commands.common import Context, FiniteFloat, emit_json, friendly, out_console, pass_ctx
from arena.errors import UsageProblem

if TYPE_CHECKING:
    from arena.debate.records import DebateRecord


@click.command()
@click.argument("debate_ids", nargs=-1)
@click.option("--judge", "judges", multiple=True, required=True, help="Judges, comma-separated or repeated.")
@click.option("--tournament", help="Every finished debate of this tournament.")
@click.option("--collection", help="Every finished debate of this collection.")
@click.option("--into", required=True, help="The collection the new ballots go into (then: leaderboard --collection).")
@click.option(
    "--concurrency", type=click.IntRange(1, 256), default=8, show_default=True, help="Debates judged at once."
)
@click.option("--max-cost", type=FiniteFloat(min=0.0), help="Stop starting debates once this many USD are spent.")
@click.option("--dry-run", is_flag=True, help="Print the calls, tokens and estimated cost; call no model.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
@friendly
def rejudge(
    ctx: Context,
    debate_ids: tuple[str, ...],
    judges: tuple[str, ...],
    tournament: str | None,
    collection: str | None,
    into: str,
    concurrency: int,
    max_cost: float | None,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Judge stored debates again: new round scores and ballots on exactly the stored
    transcripts, in the same protocol; the originals never change. Run it again to resume.

    \b
    Examples:
      arena rejudge --judge sim/j2 --tournament spring --into spring-j2 --dry-run
      arena rejudge --judge sim/j2 --tournament spring --into spring-j2
      arena leaderboard --collection spring-j2
      arena judges agreement --collection spring-j2
      arena rejudge --judge openai/gpt-4o-mini,local/smollm2 --tournament spring \\
          --into spring-panel --max-cost 0.50
    """
    import asyncio

    from arena.debate.participants import judge_specs
    from arena.llm.gateway import default_gateway
    from arena.play import register_limits
    from arena.schemas import check_collection
    from arena.store.queries import check_known_collection, check_known_tournament, find_debate_id
    from arena.tournament import rejudge as rj

    into = check_collection(into, "--into")
    if tournament is not None:  # a mistyped name is named as such, not "nothing to judge again"
        tournament = check_known_tournament(ctx.store, tournament)
    if collection is not None:
        collection = check_known_collection(ctx.store, collection)
    ids = []
    for given in debate_ids:
        found = find_debate_id(ctx.store, given)
        if found is None:
            raise UsageProblem(f"no debate with id {given!r} (or the prefix is ambiguous)")
        ids.append(found)
    names = [name.strip() for value in judges for name in value.split(",") if name.strip()]
    specs = judge_specs(names, ctx.config)
    runs = [spec.name for spec in specs for _ in range(spec.repeats)]
    todo = rj.plan(ctx.store, into, runs, ids=ids, tournament=tournament, collection=collection)
    if dry_run:
        est = rj.estimate(ctx.store, todo, specs)
        doc = {
            "into": into,
            "debates": len(todo.pairs),
            "done": len(todo.done),
            "calls": est.calls,
            "tokens": est.tokens,
            "known_cost": est.known_cost,
            "unknown_prices": est.unknown_prices,
            "models": [m.as_dict() for m in est.models.values()],
        }
        if as_json:
            emit_json(doc)
        else:
            from rich.markup import escape

            cost = f"${est.known_cost:.4f}" + (
                f" + unknown (no price for {', '.join(est.unknown_prices)})" if est.unknown_prices else ""
            )
            out_console().print(
                escape(
                    f"dry run: {len(todo.todo)} of {len(todo.pairs)} debates to judge into {into} "
                    f"({len(todo.done)} done) · {est.calls} calls · about {est.tokens:,} tokens · cost {cost}"
                )
            )
        return
    from arena.readiness import name_targets, require_ready

    # a judge without its key voided every debate, stored, and exited 0: check before the first call
    require_ready(name_targets([], names, ctx.config))
    register_limits(ctx.config)
    from rich.markup import escape

    from arena.commands.common import err_console

    total, quiet = len(todo.todo), all(spec.settings.model.startswith("sim/") for spec in specs)
    step = max(1, total // 10)

    spent = [0.0]

    def progress(done: int, record: DebateRecord) -> None:
        """A line every tenth of the work (a real judge takes minutes); simulated judges are instant."""
        spent[0] += record.usage.cost or 0.0
        if not quiet and (done % step == 0 or done == total):
            err_console().print(f"[dim]{done}/{total} debates judged again · ${spent[0]:.4f} spent[/]")

    report = asyncio.run(
        rj.run(ctx.store, todo, specs, default_gateway(), concurrency=concurrency, max_cost=max_cost, progress=progress)
    )
    doc = {"into": into, "debates": len(todo.pairs), **report.__dict__}
    if as_json:
        emit_json(doc)
    else:
        stopped = " · stopped at --max-cost (run again to go on)" if report.stopped_for_cost else ""
        out_console().print(
            escape(
                f"{report.judged} debates judged again into {into}, {report.void} void, {report.skipped} done before"
                f"{stopped}; `arena leaderboard --collection {into}` ranks by the new judges"
            )
        )
    if report.void_ids:  # void copies are stored (a run again judges them anew) but never rated: say so
        first = report.void_ids[0]
        err_console().print(
            escape(
                f"warning: {report.void} re-judged debates are void (no valid ballot) and count nowhere; "
                f"`arena show {first}` says why; run the same command again to judge them anew"
            ),
            soft_wrap=True,
        )
        if not report.judged:
            raise SystemExit(1)


commands = [rejudge]
