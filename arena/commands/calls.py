"""`arena calls ID [N]`: the model calls of a stored debate (or a judge audit), or one in full."""

from __future__ import annotations

import click

from arena.commands.common import Context, emit_json, friendly, out_console, pass_ctx
from arena.errors import UsageProblem
from arena.literal import echo

RUN_NAMES = {"audit": "judge audit", "bench": "benchmark run", "group": "group discussion"}
RUN_LISTS = {
    "audit": "expected audit:N as `arena judges audit` printed it",
    "bench": "expected bench:N as `arena judges bench` printed it",
    "group": "expected group:ID with an id `arena group report` lists",
}


@click.command()
@click.argument("debate_id")
@click.argument("n", type=click.IntRange(min=1), required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
@friendly
def calls(ctx: Context, debate_id: str, n: int | None, as_json: bool) -> None:
    """List the model calls of a debate, or show call N in full: the messages sent and the answer.

    DEBATE_ID is a debate id (a prefix is enough), a judge audit's run, audit:ID, as
    `arena judges audit` names it, a benchmark run's, bench:ID (`arena judges bench`), a
    study's, study:RUN, or a group discussion's, group:ID, as `arena study` and `arena group
    run` name them.

    \b
    Examples:
      arena show 1a2b3c --calls         # the same list, under the debate
      arena calls 1a2b3c                # every call: stage, who, tokens, seconds
      arena calls 1a2b3c 12             # call 12 in full: messages and answer
      arena calls 1a2b3c 12 --json
      arena calls bench:1 3             # a benchmark run's third call"""
    from arena.render.call_log_text import call_document, call_lines, calls_table
    from arena.store.call_log import RUN_KINDS, call_of, calls_of, run_on_record
    from arena.store.queries import find_debate_id, load_debate

    if debate_id.startswith(tuple(f"{kind}:" for kind in RUN_KINDS)):
        where: dict[str, str] = {"run": debate_id}
        usage = None
        if run_on_record(ctx.store, debate_id) is False:
            kind = debate_id.partition(":")[0]
            raise UsageProblem(f"{debate_id}: no such {RUN_NAMES[kind]} in this database; {RUN_LISTS[kind]}")
    else:
        full_id = find_debate_id(ctx.store, debate_id) if debate_id.strip() else None
        record = load_debate(ctx.store, full_id) if full_id else None
        if full_id is None or record is None:
            raise UsageProblem(f"no debate with id {debate_id!r} (or the prefix is ambiguous); see `arena` → history")
        where, usage, debate_id = {"debate_id": full_id}, record.usage, full_id
    if n is None:
        logged = calls_of(ctx.store, **where)
        if as_json:
            emit_json({"calls_of": debate_id, "calls": [call_document(c) for c in logged]})
        else:
            out_console().print(calls_table(debate_id, logged, usage), highlight=False)
        return
    call = call_of(ctx.store, n, **where)
    if call is None:
        count = len(calls_of(ctx.store, **where))
        raise UsageProblem(
            f"{debate_id} has {count} call(s) on record, no call {n}; `arena calls {debate_id}` lists them"
        )
    if as_json:
        emit_json({"calls_of": debate_id, **call_document(call)})
        return
    for line in call_lines(debate_id, call):
        echo(line)


commands = [calls]
