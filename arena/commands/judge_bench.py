"""`arena judges bench`: a judge measured on a public pairwise benchmark (LLMBar,
JudgeBench, MT-Bench human judgments, or a plain file), stored like an audit."""

from __future__ import annotations

import asyncio
from pathlib import Path

import click
from rich.markup import escape

from arena.commands.common import (
    Context,
    ballot_progress,
    emit_json,
    err_console,
    friendly,
    out_console,
    pass_ctx,
    seed_type,
)


@click.command("bench")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--judge",
    "names",
    multiple=True,
    required=True,
    metavar="J",
    help="Judge model or arena.toml name; repeat to measure several on the same items.",
)
@click.option(
    "--limit",
    type=click.IntRange(1, 100_000),
    default=None,
    metavar="N",
    help="Judge a random sample of N items (drawn by --seed); default: every item.",
)
@click.option(
    "--seed", default=1, show_default=True, type=seed_type(), help="Seed of the sample (same seed: same items)."
)
@click.option("--concurrency", default=4, show_default=True, type=click.IntRange(1, 256), help="Judge calls at once.")
@click.option("--json", "as_json", is_flag=True, help="Print only one JSON document on stdout.")
@pass_ctx
@friendly
def bench(
    ctx: Context, file: Path, names: tuple[str, ...], limit: int | None, seed: int, concurrency: int, as_json: bool
) -> None:
    """Measure judges on a public pairwise benchmark: for each item the judge picks the
    better of two responses to a prompt, in both orders. Reported per judge, each with
    its Wilson 95% interval and count: human_agreement (against the file's human or gold
    label, over both orders; a pair decided differently in the two orders counts one
    half), the same per order, swap_consistency, p_prefer_first (0.5 is fair) and
    p_prefer_longer (by characters). Stored, and shown beside the judge audit.

    FILE is LLMBar (input, output_1, output_2, label 1|2), JudgeBench (question,
    response_A, response_B, label "A>B"|"B>A"), MT-Bench human judgments (conversation_a,
    conversation_b, winner) or plain (prompt, a, b, winner "a"|"b"): a JSON array or
    JSON Lines (plain also CSV), told apart by the first record. Ties and other labels
    are skipped and counted.

    \b
    Examples:
      arena judges bench llmbar.json --judge local/smollm2 --limit 40 --seed 1
      arena judges bench pairs.jsonl --judge 'sim/j?position_bias=0.2' --json
      arena judges bench jb.jsonl --judge gpt4o --judge claude --concurrency 8
    """
    import random

    from arena.audit.bench import SHAPE_NAMES, metrics_document
    from arena.audit.bench_runner import BallotKey, run_bench
    from arena.debate.call_log import LoggedCall
    from arena.debate.participants import judge_specs
    from arena.importers.pairwise import parse_pair_file
    from arena.llm.gateway import default_gateway
    from arena.readiness import name_targets, require_ready
    from arena.render.bench_table import BenchColumn, bench_table, source_text
    from arena.store.bench_store import BenchSource, finish_bench, run_name, save_ballot, start_bench

    pair_file = parse_pair_file(file)  # a bad file stops here, exit 2, before any judge is named
    specs = judge_specs(list(names), ctx.config)
    require_ready(name_targets([], list(names), ctx.config))
    items = pair_file.items
    if limit is not None and limit < len(items):
        chosen = sorted(random.Random(seed).sample(range(len(items)), limit))
        items = [items[i] for i in chosen]
    shape = SHAPE_NAMES[pair_file.shape]
    err = err_console()
    skipped = f"; skipped {pair_file.skipped_text()}" if pair_file.skipped else ""
    err.print(
        f"[dim]{escape(str(file))}: {shape}, {pair_file.records} records{escape(skipped)}; "
        f"judging {len(items)} in both orders ({2 * len(items)} ballots per judge).[/]"
    )
    source = BenchSource(
        pair_file.name, pair_file.sha256, pair_file.shape, pair_file.records, dict(pair_file.skipped), seed, limit
    )
    store, gateway = ctx.store, default_gateway()
    columns: list[BenchColumn] = []
    documents: list[dict[str, object]] = []
    failed: list[str] = []
    for spec in specs:
        expected = 2 * len(items)
        progress = ballot_progress(spec.name, spec.settings.model, expected)

        bench_id, answered = start_bench(store, spec.settings.participant_id, spec.name, source)
        wanted = {(i.record, swapped) for i in items for swapped in (False, True)}
        if reused := len(wanted & answered.keys()):
            err.print(
                f"[dim]{escape(spec.name)}: resuming the interrupted run {run_name(bench_id)}: "
                f"{reused} of {expected} ballots already decided[/]"
            )

        def keep(key: BallotKey, choice: str | None, calls: list[LoggedCall], bench_id: int = bench_id) -> None:
            save_ballot(store, bench_id, key, choice, calls)

        result = asyncio.run(
            run_bench(
                spec.name,
                spec.settings,
                items,
                gateway,
                seed=seed,
                concurrency=concurrency,
                progress=progress,
                answered=answered,
                on_ballot=keep,
            )
        )
        counts = result.counts
        why = ", ".join(f"{n} {reason}" for reason, n in result.void_reasons.most_common())
        if counts.ballots and counts.void_ballots == counts.ballots:
            err.print(
                f"[red]error:[/] {escape(spec.name)}: all {counts.ballots} ballots void ({escape(why)}), "
                f"nothing measured; its calls: arena calls {run_name(bench_id)}"
            )
            failed.append(spec.name)
            continue
        run = finish_bench(store, bench_id, result)
        asked = f"{len(result.calls)} more" if reused else f"its {len(result.calls)}"
        err.print(f"[dim]{escape(spec.name)}: {asked} model calls: arena calls {run}[/]")
        if counts.void_ballots:
            err.print(
                f"[yellow]warning:[/] {escape(spec.name)}: {counts.void_ballots} of {counts.ballots} ballots void "
                f"({escape(why)}; left out of every figure)"
            )
        columns.append(
            BenchColumn(
                spec.name,
                source_text(
                    pair_file.name, shape, len(items), pair_file.records, seed, len(items) < len(pair_file.items)
                ),
                counts.pairs,
                counts.ballots,
                counts.void_ballots,
                counts.equal_length_pairs,
                counts.metrics,
            )
        )
        documents.append(
            {
                "judge": spec.name,
                "judge_id": result.judge_id,
                "run": run,
                "pairs": counts.pairs,
                "ballots": counts.ballots,
                "void_ballots": counts.void_ballots,
                "equal_length_pairs": counts.equal_length_pairs,
                "metrics": metrics_document(counts.metrics),
            }
        )
    if as_json:
        emit_json(
            {
                "file": pair_file.name,
                "sha256": pair_file.sha256,
                "shape": pair_file.shape,
                "records": pair_file.records,
                "skipped": dict(pair_file.skipped),
                "items": len(items),
                "records_judged": [i.record for i in items],
                "seed": seed,
                "limit": limit,
                "judges": documents,
                "failed": failed,
            }
        )
    elif columns:
        out_console().print(bench_table(columns, f"Judges on {pair_file.name} ({shape}) · both orders"))
    if failed:
        raise SystemExit(1)
