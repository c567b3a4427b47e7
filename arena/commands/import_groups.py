"""`arena import debate-groups DIR`: group discussions in the DEBATE schema into a
collection of their own (attached to `arena import` in commands/imports.py).

Exit status: 0 when something was imported or there was nothing new, 1 when every file
failed, 2 for a folder that does not exist (or a usage mistake)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import click

from arena.commands.common import Context, emit_json, friendly, pass_ctx
from arena.errors import UsageProblem
from arena.literal import echo


@click.command(name="debate-groups")
@click.argument("folder", metavar="DIR", type=click.Path(path_type=Path))
@click.option("--collection", default="debate-groups", show_default=True, help="Collection to import into.")
@click.option("--topic", help="The topic of every file without a `topic` column (default: the file's name).")
@click.option(
    "--rater",
    default="sim/rater",
    show_default=True,
    help="Who measures each public post's stance (1-6); use the same as for the groups you compare with.",
)
@click.option("--json", "as_json", is_flag=True, help="Print only a JSON summary on stdout.")
@pass_ctx
@friendly
def debate_groups(ctx: Context, folder: Path, collection: str, topic: str | None, rater: str, as_json: bool) -> None:
    """Import group discussions in the DEBATE schema: one CSV per conversation with
    chat_round_order, event_order, event_type (Initial Opinion, tweet, message_sent, …),
    worker_id, sender_id, recipient_id, text, sliderValue (1-6), agreement_level,
    validity. A file that does not fit is refused with its path and line; the others
    import. The topic is not in DEBATE's files: give it with --topic (one folder per
    topic), so that group compare can match the topic of simulated groups.

    \b
    Examples:
      arena import debate-groups conversations/ \\
          --topic "Cities should ban private cars from their centres"
      arena group report --collection debate-groups
      arena group compare --human debate-groups --simulated groups
    """
    from arena.llm.gateway import default_gateway
    from arena.schemas import check_collection
    from arena.studies.group_import import import_debate_groups

    collection = check_collection(collection)
    from arena.readiness import name_targets, require_ready

    require_ready(name_targets([rater], [], ctx.config))  # a mistyped --rater is refused, not rated as "no stance"
    if not folder.exists():
        raise UsageProblem(f"{folder}: no such file or directory")
    outcome = asyncio.run(
        import_debate_groups(folder, collection, rater, topic, ctx.config, default_gateway(), ctx.store)
    )
    for problem in outcome.problems:
        echo(f"problem: {problem.text()}", err=True)
    if outcome.unrecognised:
        seen = ", ".join(f"{t} ×{n}" for t, n in outcome.unrecognised.items())
        echo(
            f"warning: event types outside the mapping, kept as 'other' and left out of every metric: {seen} "
            "(the mapping is a guess at DEBATE's names: see the README)",
            err=True,
        )
    if as_json:
        emit_json(outcome.as_dict())
    elif outcome.files == 0:
        echo(f"no *.csv files in {folder}: nothing to import", err=True)
    else:
        echo(
            f"{outcome.files} files: {outcome.imported} imported into '{collection}', "
            f"{outcome.skipped} skipped (already imported), {len(outcome.problems)} problems",
            err=True,
        )
        if outcome.event_types:
            from arena.importers.debate_groups import read_as

            echo("  event types read:", err=True)
            for event_type, n in sorted(outcome.event_types.items()):
                echo(f"    {event_type} ×{n}: {read_as(event_type)}", err=True)
        if outcome.imported and topic is None:
            echo(
                "  topics: each file's `topic` column, else its name; give --topic for group compare to match "
                "these with simulated groups on the same topic",
                err=True,
            )
        if outcome.imported or outcome.skipped:
            echo(f"  next: arena group report --collection {collection}", err=True)
    if outcome.failed:
        sys.exit(1)
