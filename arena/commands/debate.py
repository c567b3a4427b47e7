"""`arena debate`: one debate, streamed to the terminal or printed as one JSON document."""

from __future__ import annotations

from rich.markup import escape
import asyncio

import click

from arena.commands.common import Context, emit_json, err_console, friendly, out_console, pass_ctx
from arena.errors import UsageProblem


def parse_role_models(values: tuple[str, ...]) -> dict[str, str]:
    roles = {}
    for value in values:
        role, sep, model = value.partition("=")
        if not sep or not role or not model:
            raise UsageProblem(f"--role-model {value!r}: expected ROLE=MODEL, e.g. writer=openai/gpt-4o")
        roles[role.strip().lower()] = model.strip()
    return roles


@click.command()
@click.option("--motion", "motion_id", metavar="ID", help="Motion id (see `arena motions list`); default: random.")
@click.option("--pro", default="local/smollm2", show_default=True, help="Proposition: a model, team:a4d@MODEL or arena.toml name.")
@click.option("--con", default="local/smollm2", show_default=True, help="Opposition, likewise.")
@click.option("--judge", "judges", multiple=True, metavar="M", help="Judge model or name; repeat for a panel; M*3 runs it three times.")
@click.option("--judge-repeats", default=1, show_default=True, type=click.IntRange(1, 20), help="Runs per judge.")
@click.option("--format", "fmt", default="quick", show_default=True, help="a4d, ovc, quick, or a format TOML file.")
@click.option("--seed", type=int, help="Seed for the motion draw and sampling (reproducible runs).")
@click.option("--condition", default="private", show_default=True,
              type=click.Choice(["private", "public", "self", "informed"]), help="Bet condition.")
@click.option("--swap", is_flag=True, help="Every judge also decides with the speech order swapped.")
@click.option("--role-model", "role_models", multiple=True, metavar="ROLE=MODEL", help="Team role model override.")
@click.option("--json", "as_json", is_flag=True, help="Print only one JSON document on stdout.")
@pass_ctx
@friendly
def debate(ctx: Context, motion_id: str | None, pro: str, con: str, judges: tuple[str, ...], judge_repeats: int,
           fmt: str, seed: int | None, condition: str, swap: bool, role_models: tuple[str, ...], as_json: bool) -> None:
    """Run one debate: speeches, private bets, round scores, ballots, verdict, ratings.

    \b
    Examples:
      arena debate                                   # embedded model, random motion
      arena debate --pro sim/a --con sim/b --json    # instant dry run
      arena debate --motion ban-zoos --pro openai/gpt-4o-mini --con team:a4d@local/smollm2 --format a4d
    """
    from arena.debate.events import DebateError
    from arena.llm.gateway import default_gateway
    from arena.play import DebateRequest, play, prepare
    from arena.render.debate_json import debate_document
    from arena.render.debate_view import DebatePrinter, verdict_panel

    request = DebateRequest(pro=pro, con=con, motion=motion_id, format=fmt, judges=list(judges),
                            judge_repeats=judge_repeats, seed=seed, condition=condition, swap=swap,
                            role_models=parse_role_models(role_models))
    gateway = default_gateway()
    setup = prepare(request, ctx.config, gateway)
    store = ctx.store
    if as_json:
        console = err_console()
        view = DebatePrinter(console, stream=False) if console.is_terminal else None

        def listener(event):
            if isinstance(event, DebateError):
                console.print(f"[red]void:[/] {escape(event.message)}")
            elif view is not None:
                view(event)
    else:
        listener = DebatePrinter(out_console(), stream=True)
    record, changes = asyncio.run(play(setup, store, gateway, listener))
    if as_json:
        emit_json(debate_document(record, changes))
    else:
        out_console().print(verdict_panel(record, changes))
        out_console().print(f"[dim]Stored as debate {record.id}: `arena show {record.id}`[/]")
    if record.status == "void":
        raise SystemExit(1)


commands = [debate]
