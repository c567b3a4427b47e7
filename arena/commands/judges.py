"""`arena judges audit`: how far can a judge be trusted? Measured on probe debates."""

from __future__ import annotations

import asyncio

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
from arena.commands.debate_options import single_option
from arena.commands.judge_bench import bench
from arena.commands.judges_agreement import agreement
from arena.debate.options import InconsistentPolicy


@click.group()
def judges() -> None:
    """Judges: audit them before trusting them with a tournament.

    audit measures a judge on the arena's probe debates, bench on a public set of
    human-labelled pairs, agreement compares judges that decided the same debates
    (`arena rejudge` asks new judges to decide stored ones).

    \b
    Examples:
      arena judges audit --judge 'sim/j?position_bias=0.3' --debates 20
      arena judges bench pairs.jsonl --judge 'sim/j?accuracy=0.8' --limit 40
      arena rejudge --judge sim/j2 --tournament spring --into spring-j2
      arena judges agreement --collection spring-j2 --reference sim/j1
    """


@judges.command("audit")
@click.option(
    "--judge",
    "names",
    multiple=True,
    required=True,
    metavar="J",
    help="Judge model or arena.toml name; repeat to audit several on the same probes.",
)
@click.option(
    "--debates",
    "size",
    default=50,
    show_default=True,
    type=click.IntRange(1, 10_000),
    help="Probe debates of each kind (standard, mirror, known-answer).",
)
@click.option(
    "--seed", default=1, show_default=True, type=seed_type(), help="Seed of the probe set (same seed: same probes)."
)
@click.option(
    "--writer",
    default="sim/probe",
    show_default=True,
    metavar="MODEL",
    help="Model that writes the probe speeches (the simulator gives them a known strength order).",
)
@click.option("--concurrency", default=8, show_default=True, type=click.IntRange(1, 256), help="Judge calls at once.")
@single_option("inconsistent", "Ballots whose winner contradicts their own scores.")
@click.option("--neutral-labels", is_flag=True, help="Judges see the sides under random neutral names.")
@click.option("--json", "as_json", is_flag=True, help="Print only one JSON document on stdout.")
@pass_ctx
@friendly
def audit(
    ctx: Context,
    names: tuple[str, ...],
    size: int,
    seed: int,
    writer: str,
    concurrency: int,
    inconsistent: InconsistentPolicy,
    neutral_labels: bool,
    as_json: bool,
) -> None:
    """Audit judges on probe debates: swap flips, first-position wins, side bias,
    inconsistent ballots, injection and verbosity flips, self-preference, and accuracy
    on motions with a known answer under the debate, consultancy and direct protocols.
    Every rate comes with its Wilson 95% interval and count.

    \b
    Examples:
      arena judges audit --judge sim/judge --debates 200 --seed 1
      arena judges audit --judge 'sim/j?position_bias=0.3&side_bias=0.2' --json
      arena judges audit --judge local/smollm2 --debates 5
    """
    from dataclasses import replace

    from arena.audit.probes import generate, probe_set_id
    from arena.audit.runner import audit_judge
    from arena.debate.participants import judge_specs, model_settings
    from arena.llm.gateway import default_gateway
    from arena.readiness import name_targets, require_ready
    from arena.render.audit_table import audit_table
    from arena.store.audit_store import load_probe_set, save_audit, save_probe_set, self_preference_counts

    writer = model_settings(writer, ctx.config).model  # a typo fails here, before any probe is written
    specs = [
        replace(s, inconsistent=inconsistent, neutral_labels=neutral_labels or s.neutral_labels)
        for s in judge_specs(list(names), ctx.config)
    ]
    require_ready(name_targets([writer], list(names), ctx.config))  # a missing key stops it here, exit 2
    store, gateway, err = ctx.store, default_gateway(), err_console()
    set_id = probe_set_id(size, seed, writer)
    probes = load_probe_set(store, set_id, seed, size, writer)
    if probes is None:
        err.print(f"[dim]Writing {3 * size} probe debates ({escape(set_id)}); stored for the next audit.[/]")
        probes = asyncio.run(generate(size, seed, gateway, writer))
        save_probe_set(store, probes)
    else:
        err.print(f"[dim]Reusing the stored probe set {escape(set_id)}.[/]")
    results = []
    failed: list[str] = []
    for spec in specs:
        progress = ballot_progress(spec.name, spec.settings.model, 9 * size, approximate=True)

        result = asyncio.run(
            audit_judge(
                spec,
                probes,
                gateway,
                concurrency=concurrency,
                progress=progress,
                self_pref=self_preference_counts(store, spec.name, spec.settings.model),
            )
        )
        if result.ballots and result.void_ballots == result.ballots:
            # nothing measured: stored, it would read as an audit with no concerns
            err.print(
                f"[red]error:[/] {escape(spec.name)}: all {result.ballots} ballots void, nothing measured and "
                "nothing stored; `arena debate --judge ...` on one debate shows why"
            )
            failed.append(spec.name)
            continue
        run = save_audit(store, result, probes)
        err.print(f"[dim]{escape(spec.name)}: its {len(result.calls)} model calls: arena calls {run}[/]")
        if result.void_ballots:
            err.print(
                f"[yellow]warning:[/] {escape(spec.name)}: {result.void_ballots} of {result.ballots} "
                "ballots void (left out of every metric)"
            )
        results.append(result)
    if as_json:
        from arena.audit.metrics import metrics_dict

        emit_json(
            {
                "probe_set": set_id,
                "debates": size,
                "seed": seed,
                "writer": writer,
                "neutral_labels": neutral_labels,
                "judges": [
                    {
                        "judge": r.judge,
                        "judge_id": r.judge_id,
                        "ballots": r.ballots,
                        "void_ballots": r.void_ballots,
                        "metrics": metrics_dict(r.metrics),
                    }
                    for r in results
                ],
                "failed": failed,
                "benchmarks": bench_documents(ctx, [r.judge_id for r in results]),
            }
        )
    elif results:
        out_console().print(
            audit_table(
                [(r.judge, r.metrics) for r in results], f"Judge audit · {size} probes of each kind · seed {seed}"
            )
        )
        show_benches(ctx, [r.judge_id for r in results])
    if failed:
        raise SystemExit(1)


def show_benches(ctx: Context, judge_ids: list[str]) -> None:
    """Beside the audit: the newest `arena judges bench` run of each of these judges, if any."""
    from arena.render.bench_table import bench_table, stored_columns
    from arena.store.bench_store import latest_benches

    found = latest_benches(ctx.store, judge_ids)
    if found:
        columns = stored_columns(list(found.values()))
        out_console().print(bench_table(columns, "Judges on public benchmarks · newest run of each judge"))


def bench_documents(ctx: Context, judge_ids: list[str]) -> list[dict[str, object]]:
    """The same, for --json: each judge's newest bench run, its source and figures."""
    from arena.store.bench_store import latest_benches, run_name

    return [
        {
            "judge": row.judge,
            "judge_id": row.judge_id,
            "run": run_name(row.id),
            "file": row.file_name,
            "sha256": row.file_sha256,
            "shape": row.shape,
            "pairs": row.pairs,
            "seed": row.seed,
            "limit": row.sample_limit,
            "metrics": {name: m.as_dict() for name, m in metrics.items()},
        }
        for row, metrics in latest_benches(ctx.store, judge_ids).values()
    ]


def warn_unaudited(ctx: Context, names: list[str]) -> None:
    """Before a tournament: a judge with no audit, or a poor one, is named on stderr. A
    simulated judge without an audit is not: it decides by its seed and planted options,
    and telling a drill to audit it first is noise."""
    from arena.audit.metrics import concerns
    from arena.debate.participants import judge_specs
    from arena.store.audit_store import latest_audits

    specs = judge_specs(names, ctx.config)
    audits = latest_audits(ctx.store, [s.settings.participant_id for s in specs])
    err = err_console()
    for spec in specs:
        found = audits.get(spec.settings.participant_id)
        if found is None:
            if spec.settings.model.startswith("sim/"):
                continue
            err.print(
                f"[yellow]warning:[/] judge {escape(spec.name)} has no audit: run "
                f"`arena judges audit --judge {escape(spec.name)}` before trusting its verdicts"
            )
        elif problems := concerns(found[1]):
            err.print(
                f"[yellow]warning:[/] judge {escape(spec.name)}'s audit ({found[0].size} probes of each kind) "
                f"shows {escape('; '.join(problems))}"
            )


judges.add_command(bench)  # arena judges bench: commands/judge_bench.py
judges.add_command(agreement)  # arena judges agreement (issue 21, item 3)

commands = [judges]
