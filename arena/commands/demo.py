"""`arena demo`: the offline showcase. A short tournament on the embedded model between a
few personas, then the leaderboard. No key, no network.

The last debate is the Agent4Debate paper's headline match-up: a team (Searcher,
Analyzer, Writer, Reviewer, all on the embedded model) against the same model alone (the
first persona, so that everyone is compared with everyone through the debates played),
on a motion with evidence snippets for the team's Searcher (`--no-team` skips it).
`--model` runs the whole demo on another model: yours, or `sim/x` for an instant rehearsal."""

from __future__ import annotations

import itertools
from dataclasses import replace
from pathlib import Path

import click

from arena.commands.common import Context, err_console, friendly, out_console, pass_ctx, seed_type
from arena.literal import markup_literal as escape

DEMO_CONFIG = Path(__file__).resolve().parent.parent / "data" / "demo.toml"
EMBEDDED = "local/smollm2"


@click.command()
@click.option("--debates", default=3, show_default=True, type=click.IntRange(1, 50), help="How many debates.")
@click.option("--format", "fmt", default="quick", show_default=True, help="Debate format.")
@click.option("--seed", default=2026, show_default=True, type=seed_type(), help="Seed for motions and sampling.")
@click.option(
    "--team/--no-team",
    default=True,
    show_default=True,
    help="Make the last debate an Agent4Debate team against the model alone.",
)
@click.option(
    "--model",
    default=EMBEDDED,
    show_default=True,
    metavar="MODEL",
    help="The model every persona, the team and the judge run on (e.g. ollama_chat/llama3.1; "
    "sim/x rehearses the demo in a second).",
)
@pass_ctx
@friendly
def demo(ctx: Context, debates: int, fmt: str, seed: int, team: bool, model: str) -> None:
    """Offline showcase: a few debates on the embedded model, then the leaderboard.

    Takes about two minutes on 2 cores. Results go into the database like any other
    debate (./ratings.db unless --db says otherwise).
    """
    import asyncio

    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from arena.commands.leaderboard import print_leaderboard
    from arena.config import parse_config
    from arena.debate import events as ev
    from arena.debate.options import DebateOptions
    from arena.llm.gateway import default_gateway
    from arena.play import DebateRequest, play, prepare, shown_names
    from arena.readiness import name_targets, require_ready
    from arena.render.debate_view import verdict_panel

    config = parse_config(DEMO_CONFIG.read_text(encoding="utf-8"), DEMO_CONFIG)
    config.participants = {name: replace(s, model=model) for name, s in config.participants.items()}
    config.judges = {name: replace(s, model=model) for name, s in config.judges.items()}
    names = list(config.participants)
    pairs = list(itertools.permutations(names, 2))
    plan: list[tuple[str, str]] = [pairs[(i * 3) % len(pairs)] for i in range(debates)]
    team_name, solo = f"team:a4d@{model}", names[0]
    team_motion = None
    if team:
        import random

        from arena.motions import load_motions

        plan[-1] = (team_name, solo)
        team_motion = random.Random(seed).choice(sorted(m.id for m in load_motions() if m.evidence))
    require_ready(name_targets([model], [], config))
    gateway = default_gateway()
    console = out_console()
    on_what = "the embedded SmolLM2-135M" if model == EMBEDDED else escape(model)
    console.print(
        f"[b]Debate Arena demo[/]: {debates} {fmt} debates between {', '.join(names)} "
        f"(all {on_what} with a persona), judged by the same model."
    )
    if team:
        console.print(
            f"The last one is the Agent4Debate match-up: [b]{escape(team_name)}[/] (Searcher, Analyzer, "
            f"Writer, Reviewer) against the same model alone, as [b]{solo}[/], on {team_motion}."
        )
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        overall = progress.add_task("debates", total=len(plan))
        stage = progress.add_task("", total=None)

        warnings: list[str] = []  # each said once, after the debate that raised it
        said: set[str] = set()

        def on_event(event: ev.Event) -> None:
            if isinstance(event, ev.DebateWarning) and event.message not in said:
                said.add(event.message)
                warnings.append(event.message)
            elif isinstance(event, ev.SpeechStarted):
                progress.update(stage, description=f"  {event.stage} · {event.participant}")
            elif isinstance(event, ev.BallotCast):
                progress.update(stage, description="  judging")

        async def run_all() -> None:
            for n, (pro, con) in enumerate(plan):
                motion = team_motion if pro == team_name else None
                request = DebateRequest(
                    pro=pro, con=con, motion=motion, options=DebateOptions(format=fmt, seed=seed + n)
                )
                setup = prepare(request, config, gateway)
                progress.update(overall, description=f"{setup.motion.id}")
                warnings.clear()
                record, changes = await play(setup, ctx.store, gateway, on_event)
                progress.console.print(f"[b]{n + 1}.[/] {escape(setup.motion.text)}")
                progress.console.print(verdict_panel(record, changes, shown_names(setup)))
                for message in warnings:  # said out loud, as `arena debate` does
                    err_console().print(f"[yellow]warning:[/] {escape(message)}")
                progress.console.print(f"[dim]Replay it: arena show {record.id}[/]")
                progress.advance(overall)

        asyncio.run(run_all())
    # A handful of debates cannot separate anyone: the statistical warnings of
    # `arena leaderboard` would drown the table, so the demo says it plainly instead.
    print_leaderboard(ctx, warnings=False, system="elo", min_debates=1)
    console.print(
        "[dim]A few debates rank nobody with confidence: the intervals show it. "
        "`arena leaderboard` gives Bradley–Terry with bootstrap intervals.[/]"
    )
    console.print(
        "[dim]Next: `arena` opens the app; `arena leaderboard --format html -o board.html` "
        "exports a page to publish.[/]"
    )


commands = [demo]
