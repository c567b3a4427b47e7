"""`arena debate`: one debate, streamed to the terminal or printed as one JSON document."""

from __future__ import annotations

import asyncio

import click

from arena.commands.common import Context, emit_json, err_console, friendly, out_console, pass_ctx
from arena.commands.debate_options import debate_options
from arena.debate.options import DebateOptions
from arena.errors import UsageProblem
from arena.literal import markup_literal as escape


def known_truth(motion_id: str) -> str | None:
    from arena.motions import load_motions

    library = load_motions()
    return library.get(motion_id).truth if motion_id in library else None


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
@click.option(
    "--pro", default="local/smollm2", show_default=True, help="Proposition: a model, team:a4d@MODEL or arena.toml name."
)
@click.option("--con", default="local/smollm2", show_default=True, help="Opposition, likewise.")
@debate_options()
@click.option("--role-model", "role_models", multiple=True, metavar="ROLE=MODEL", help="Team role model override.")
@click.option("--json", "as_json", is_flag=True, help="Print only one JSON document on stdout.")
@pass_ctx
@friendly
def debate(
    ctx: Context,
    motion_id: str | None,
    pro: str,
    con: str,
    options: DebateOptions,
    role_models: tuple[str, ...],
    as_json: bool,
) -> None:
    """Run one debate: speeches, private bets, round scores, ballots, verdict, ratings.

    \b
    Examples:
      arena debate                                 # embedded model, random motion
      arena debate --pro sim/a --con sim/b --json  # instant dry run
      arena debate --motion zoos-morally-justified --format a4d \\
          --pro openai/gpt-4o-mini --con team:a4d@local/smollm2
    """
    from arena.debate.events import DebateError, DebateWarning
    from arena.debate.records import SIDE_LABEL
    from arena.llm.gateway import default_gateway
    from arena.play import DebateRequest, play, prepare, shown_names
    from arena.render.debate_json import debate_document
    from arena.render.debate_view import DebatePrinter, verdict_panel

    request = DebateRequest(
        pro=pro, con=con, motion=motion_id, options=options, role_models=parse_role_models(role_models)
    )
    gateway = default_gateway()
    setup = prepare(request, ctx.config, gateway)
    truth = known_truth(setup.motion.id)
    from arena.readiness import require_ready, setup_targets

    if not options.judges:  # say who decides (before a check that may name them): never a silent slow judge
        from arena.debate.participants import default_judges

        err_console().print(escape(default_judges([setup.pro.models, setup.con.models], ctx.config).line()))
    from arena.debate.model_names import unrated_notes

    for note in unrated_notes([pro or "", con or ""]):
        err_console().print(escape(note))
    require_ready(setup_targets(setup))
    store = ctx.store
    if as_json:
        console = err_console()
        view = DebatePrinter(console, stream=False, names=shown_names(setup)) if console.is_terminal else None

        def listener(event):
            if isinstance(event, DebateError):
                console.print(f"[red]void:[/] {escape(event.message)}")
            elif view is not None:
                view(event)
            elif isinstance(event, DebateWarning):  # stderr even when nobody watches the debate
                console.print(f"[yellow]warning:[/] {escape(event.message)}")
    else:
        listener = DebatePrinter(out_console(), stream=True, warnings=err_console(), names=shown_names(setup))
    try:
        record, changes = asyncio.run(play(setup, store, gateway, listener))
    finally:
        if isinstance(listener, DebatePrinter):
            listener.close()
    if as_json:
        emit_json(debate_document(record, changes, truth))
    else:
        out_console().print(verdict_panel(record, changes, shown_names(setup)))
        if truth is not None and record.verdict is not None:
            right = "found" if record.verdict.winner == truth else "missed"
            out_console().print(
                f"Known answer: {SIDE_LABEL[truth]} ({record.protocol} protocol): the judges {right} it."
            )
        out_console().print(f"[dim]Stored as debate {record.id}: `arena show {record.id}`[/]")
    if record.status == "void":
        raise SystemExit(1)


commands = [debate]
