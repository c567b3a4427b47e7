"""`arena group run|report|compare`: group discussions with private opinions (the DEBATE
study's protocol): run groups of members on a topic, report their metrics, and put
human groups (imported with `arena import debate-groups`) beside simulated ones."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

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
from arena.errors import UsageProblem

if TYPE_CHECKING:
    from arena.studies.groups import Discussion

MAX_PERSONA = 1000


def read_personas(path: Path) -> list[str]:
    """One persona per line, in member order (blank lines and `#` comments skipped)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageProblem(f"{path}: cannot read the personas ({type(exc).__name__})") from None
    personas = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if len(line) > MAX_PERSONA:
            raise UsageProblem(f"{path}:{number}: a persona of at most {MAX_PERSONA} characters, got {len(line)}")
        personas.append(line)
    return personas


def _progress(message: str) -> None:
    # one line however long: a wrapped `arena calls study:beliefs-…` hint broke at its space
    err_console().print(f"[dim]{message}[/]", highlight=False, soft_wrap=True)


def rounds_held(discussions: list[Discussion]) -> list[int]:
    """The numbers of rounds the groups held (their last private opinion's round), each once."""
    return sorted({max(d.rounds(), default=0) for d in discussions})


def _listed(numbers: list[int]) -> str:
    return " or ".join(str(n) for n in numbers) or "no"


@click.group()
def group() -> None:
    """Group discussions with private opinions (DEBATE): members post publicly, message
    each other and report private opinions (1-6) round by round. Every metric comes
    with its 95% interval and its count."""


@group.command("run")
@click.option("--topic", required=True, help="The motion or question the group discusses.")
@click.option(
    "--members",
    required=True,
    help="Comma-separated models or arena.toml names (2-26 members); a person (human:NAME) takes a seat in the "
    "app: ctrl+p 'New group discussion'.",
)
@click.option(
    "--personas",
    "personas_file",
    type=click.Path(path_type=Path),
    help="A text file, one persona per line, given to the members in order.",
)
@click.option("--rounds", default=3, show_default=True, type=click.IntRange(1, 20), help="Rounds of discussion.")
@click.option(
    "--seed", default=1, show_default=True, type=seed_type(), help="Seed of the first group (the next get +1)."
)
@click.option("--groups", "n", default=1, show_default=True, type=click.IntRange(1, 10_000), help="How many groups.")
@click.option(
    "--rater",
    default="sim/rater",
    show_default=True,
    help="Who measures each public post's stance (1-6), blind to its author; sim/… is the lexical measure.",
)
@click.option("--collection", default="groups", show_default=True, help="Collection to store the groups in.")
@click.option("--json", "as_json", is_flag=True, help="Print only one JSON document on stdout.")
@pass_ctx
@friendly
def run_cmd(
    ctx: Context,
    topic: str,
    members: str,
    personas_file: Path | None,
    rounds: int,
    seed: int,
    n: int,
    rater: str,
    collection: str,
    as_json: bool,
) -> None:
    """Run group discussions and report them.

    \b
    Examples:
      arena group run --topic "Cities should ban private cars" --groups 20 \\
          --members 'sim/a?conformity=0.8,sim/b?conformity=0.8,sim/c,sim/d'
      arena group run --topic "Homework should be abolished" --rounds 1 \\
          --members local/smollm2,local/smollm2,local/smollm2,local/smollm2

    Simulated members: sim/NAME?conformity=0.8 moves 80% of the way to the
    opinions it was shown each round (0: stubborn); opinion=N plants its start.
    """
    from arena.llm.gateway import default_gateway
    from arena.readiness import name_targets, require_ready
    from arena.schemas import check_collection
    from arena.studies.group_render import groups_table
    from arena.studies.group_run import GroupSpec, run_group
    from arena.studies.groups import groups_report

    collection = check_collection(collection)
    personas = read_personas(personas_file) if personas_file else []
    # a mistyped provider or a missing key stops here (exit 2), not as members with no answers
    require_ready(name_targets([*split_csv(members), rater], [], ctx.config))
    gateway = default_gateway()
    discussions = []
    for i in range(n):
        spec = GroupSpec(topic, split_csv(members), personas, rounds, seed + i, rater, collection)
        if n > 1:
            _progress(f"group {i + 1}/{n} (seed {seed + i})")
        discussions.append(asyncio.run(run_group(spec, ctx.config, gateway, ctx.store, _progress)))
    report = groups_report(discussions)
    if as_json:
        emit_json(
            {
                **report.as_dict(),
                "ids": [d.id for d in discussions],
                "calls": [f"group:{d.id}" for d in discussions],  # each one's model calls: arena calls group:ID
                "collection": collection,
            }
        )
    else:
        out_console().print(groups_table(report, collection))


@group.command("report")
@click.option("--collection", help="Only this collection (default: every group in the store).")
@click.option("--json", "as_json", is_flag=True, help="Print only one JSON document on stdout.")
@pass_ctx
@friendly
def report_cmd(ctx: Context, collection: str | None, as_json: bool) -> None:
    """The metrics of the stored groups: opinion change, convergence (spread of private
    opinions per round), public–private gap, stance drift of public posts, message
    length; over the groups and per group.

    \b
    Examples:
      arena group report
      arena group report --collection debate-groups --json
    """
    from arena.studies.group_render import groups_table
    from arena.studies.group_report import check_group_collection, discussions_from_store
    from arena.studies.groups import groups_report

    if collection is not None:
        collection = check_group_collection(ctx.store, collection)
    else:
        from arena.store.group_store import group_collections

        several = group_collections(ctx.store)
        if len(several) > 1:  # human and simulated groups pooled in one mean would mislead
            err_console().print(
                f"note: pooling {len(several)} collections ({', '.join(several)}); "
                "--collection C reports one, `arena group compare` puts two side by side",
                style="dim",
                highlight=False,
                markup=False,
            )
    report = groups_report(discussions_from_store(ctx.store, collection))
    if as_json:
        emit_json({**report.as_dict(), "collection": collection})
    else:
        out_console().print(groups_table(report, collection))


@group.command("compare")
@click.option("--human", "human", required=True, help="The collection of human groups (e.g. imported DEBATE data).")
@click.option("--simulated", "simulated", required=True, help="The collection of simulated groups.")
@click.option("--json", "as_json", is_flag=True, help="Print only one JSON document on stdout.")
@pass_ctx
@friendly
def compare_cmd(ctx: Context, human: str, simulated: str, as_json: bool) -> None:
    """Human and simulated groups side by side on every metric, per topic and overall,
    with 95% intervals for the differences (simulated − human). Compare groups
    with as many rounds: 'final' is each group's last round.

    \b
    Example:
      arena import debate-groups conversations/ --topic "Cities should ban cars"
      arena group run --topic "Cities should ban cars" --groups 20 \\
          --members sim/a,sim/b,sim/c,sim/d
      arena group compare --human debate-groups --simulated groups
    """
    from arena.studies.group_render import compare_tables
    from arena.studies.group_report import check_group_collection, discussions_from_store
    from arena.studies.groups import compare_report

    human = check_group_collection(ctx.store, human, "--human")
    simulated = check_group_collection(ctx.store, simulated, "--simulated")
    humans, simulations = discussions_from_store(ctx.store, human), discussions_from_store(ctx.store, simulated)
    human_rounds, simulated_rounds = rounds_held(humans), rounds_held(simulations)
    if human_rounds != simulated_rounds:
        err_console().print(
            f"warning: the human groups held {_listed(human_rounds)} round(s), the simulated "
            f"{_listed(simulated_rounds)}: 'final' and the spreads by round compare different moments "
            f"(run the simulated groups with --rounds {max(human_rounds, default=3)})",
            style="yellow",
            highlight=False,
            markup=False,
        )
    report = compare_report(humans, simulations, human, simulated)
    if as_json:
        emit_json(report.as_dict())
    else:
        out_console().print(compare_tables(report))


commands = [group]
