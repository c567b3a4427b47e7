"""`arena calls ID N`: one model call of a stored debate, in full."""

from __future__ import annotations

import click

from arena.commands.common import Context, emit_json, friendly, pass_ctx
from arena.errors import UsageProblem
from arena.literal import echo


@click.command()
@click.argument("debate_id")
@click.argument("n", type=click.IntRange(min=1))
@click.option("--json", "as_json", is_flag=True, help="Print the call as JSON.")
@pass_ctx
@friendly
def calls(ctx: Context, debate_id: str, n: int, as_json: bool) -> None:
    """Show call N of a debate: the messages sent and the answer (`arena show ID --calls` lists them)."""
    from arena.render.call_log_text import call_document, call_lines
    from arena.store.call_log import call_of, calls_of
    from arena.store.queries import find_debate_id

    full_id = find_debate_id(ctx.store, debate_id) if debate_id.strip() else None
    if full_id is None:
        raise UsageProblem(f"no debate with id {debate_id!r} (or the prefix is ambiguous); see `arena` → history")
    call = call_of(ctx.store, n, debate_id=full_id)
    if call is None:
        count = len(calls_of(ctx.store, debate_id=full_id))
        raise UsageProblem(
            f"debate {full_id} has {count} call(s) on record, no call {n}; `arena show {full_id} --calls` lists them"
        )
    if as_json:
        emit_json({"debate": full_id, **call_document(call)})
        return
    for line in call_lines(full_id, call):
        echo(line)


commands = [calls]
