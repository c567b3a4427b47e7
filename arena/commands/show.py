"""`arena show ID`: a stored debate, in full."""

from __future__ import annotations

import re

import click

from arena.commands.common import Context, emit_json, friendly, json_format, out_console, pass_ctx
from arena.errors import UsageProblem
from arena.literal import echo

# A debate id as the arena writes them (12 hex digits, `ovc-` + 16, a study's `brk-…`, at
# most 40 characters) or a prefix of one.
DEBATE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
ID_HINT = "a debate id is a short code of letters, digits and dashes, like 7dcaa20be41c (a prefix is enough)"


@click.command()
@click.argument("debate_id")
@click.option("--trace", is_flag=True, help="Include each team speech's agent steps.")
@click.option("--format", "fmt", type=click.Choice(["text", "md", "json"]), default="text", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option(
    "--calls", is_flag=True, help="List the debate's model calls (stage, who, model, tokens, latency, retries)."
)
@pass_ctx
@friendly
def show(ctx: Context, debate_id: str, trace: bool, fmt: str, as_json: bool, calls: bool) -> None:
    """Show a stored debate (an unambiguous id prefix is enough)."""
    fmt = json_format(fmt, as_json, default="text")
    from arena.literal import literal
    from arena.redact import redact
    from arena.render.debate_json import debate_document
    from arena.render.transcript_md import to_markdown
    from arena.store.queries import display_names, find_debate_id, load_debate

    if not debate_id.strip():
        raise UsageProblem("DEBATE_ID must not be empty; see `arena` → history or `arena battles export`")
    if any("\ud800" <= c <= "\udfff" for c in debate_id):  # undecodable bytes from the command line
        raise UsageProblem("DEBATE_ID is not valid UTF-8 text (undecodable bytes); give it in UTF-8")
    if not DEBATE_ID.fullmatch(debate_id.strip()):
        shown = debate_id if len(debate_id) <= 40 else f"{debate_id[:20]}… ({len(debate_id):,} characters)"
        raise UsageProblem(f"DEBATE_ID {shown!r} is no debate id: {ID_HINT}; see `arena` → history")
    debate_id = debate_id.strip()
    full_id = find_debate_id(ctx.store, debate_id)
    record = load_debate(ctx.store, full_id) if full_id else None
    if record is None:
        raise UsageProblem(f"no debate with id {debate_id!r} (or the prefix is ambiguous); see `arena` → history")
    if calls:
        from arena.render.call_log_text import call_document, calls_table
        from arena.store.call_log import calls_of

        logged = calls_of(ctx.store, debate_id=full_id)
        if fmt == "json":
            emit_json({"debate": full_id, "calls": [call_document(c) for c in logged]})
        else:
            out_console().print(calls_table(record.id, logged, record.usage), highlight=False)
        return
    if fmt == "json":
        document = debate_document(record)
        if not trace:
            for speech in document["speeches"]:
                speech.pop("trace")
        emit_json(document)
        return
    names = display_names(ctx.store, [record.pro, record.con])
    if fmt == "md":
        echo(redact(literal(to_markdown(record, trace=trace, names=names))))
    else:
        from arena.render.transcript_text import to_renderable

        out_console().print(to_renderable(scrub_secrets(record), trace=trace, names=names), highlight=False)


def scrub_secrets(record):
    """Errors stored by an older version may hold a key: never print one."""
    import dataclasses

    from arena.redact import redact

    record = dataclasses.replace(
        record,
        error=redact(record.error),
        ballots=[dataclasses.replace(b, error=redact(b.error)) for b in record.ballots],
    )
    return record


commands = [show]
