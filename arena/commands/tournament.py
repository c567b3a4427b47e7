"""`arena tournament`: run, resume, list and show headless tournaments.

    arena tournament run --name spring --players sim/a,sim/b,sim/c --sample 2 --judge sim/j
    arena tournament resume spring          # after Ctrl-C, a crash or kill -9
    arena tournament show spring --json

The plan is stored before the first debate starts; progress goes to stderr, the
summary and the tournament's leaderboard to stdout (or one JSON document with --json).
Exit status: 0 when the tournament has finished or stopped at its --max-cost, 1 on a
runtime error, 2 on a usage error, 130 when interrupted (resume continues it)."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, fields
from functools import wraps

import click

from arena.categories import CATEGORIES
from arena.commands.common import (
    Context,
    FiniteFloat,
    emit_json,
    err_console,
    friendly,
    out_console,
    pass_ctx,
    split_csv,
)
from arena.commands.debate_options import debate_options
from arena.debate.options import DebateOptions
from arena.errors import UsageProblem
from arena.literal import markup_literal


def escape(text: object) -> str:
    return markup_literal(text)


@dataclass(frozen=True)
class RunSettings:
    """How a tournament runs, as given on this command (None: the stored plan's)."""

    concurrency: int | None = None
    per_model_concurrency: int | None = None
    max_cost: float | None = None
    retries: int | None = None
    backoff_s: float | None = None
    lease_s: float | None = None

    def spec_changes(self) -> dict[str, object]:
        """The spec's own settings among these (the lease is the runner's alone)."""
        return {k: v for k, v in asdict(self).items() if k != "lease_s"}


RUNTIME_OPTIONS = [
    click.option("--concurrency", type=click.IntRange(1, 4096), help="Debates in progress at once [run: 8]."),
    click.option(
        "--per-model-concurrency",
        type=click.IntRange(1, 4096),
        help="Calls in flight per model, judges included [default: no limit].",
    ),
    click.option(
        "--max-cost",
        type=FiniteFloat(0, 1e9),
        metavar="USD",
        help="Start no new debate once this much is spent (whole tournament).",
    ),
    click.option("--retries", type=click.IntRange(0, 20), help="Retries per call on transient errors [run: 3]."),
    click.option(
        "--backoff",
        "backoff_s",
        type=FiniteFloat(0, 3600),
        metavar="SECONDS",
        help="First retry delay; doubles each retry, with jitter [run: 0.5].",
    ),
    click.option(
        "--lease",
        "lease_s",
        type=FiniteFloat(1, 86400),
        metavar="SECONDS",
        help="Lease on each claimed debate, renewed while it runs; a dead worker's debates "
        "are taken over after it [60].",
    ),
    click.option(
        "--progress-every",
        type=FiniteFloat(0.1, 86400),
        default=10.0,
        show_default=True,
        metavar="SECONDS",
        help="Interval of the plain progress lines (when stderr is not a terminal).",
    ),
    click.option("--json", "as_json", is_flag=True, help="Print only one JSON document on stdout."),
]


def runtime_options(fn):
    """The run settings as click options; the command receives `settings: RunSettings`."""

    @wraps(fn)
    def command(*args, **kwargs):
        settings = RunSettings(**{f.name: kwargs.pop(f.name) for f in fields(RunSettings)})
        return fn(*args, settings=settings, **kwargs)

    for option in reversed(RUNTIME_OPTIONS):
        command = option(command)
    return command


@click.group()
def tournament() -> None:
    """Headless tournaments: many debates at once, within a budget, resumable."""


@tournament.command("run")
@click.option("--name", help="Tournament name [default: tournament-DATE-TIME].")
@click.option(
    "--players",
    required=True,
    metavar="P,P,...",
    help="Participants, comma-separated (models, team:…, arena.toml names).",
)
@click.option("--motions", "motion_ids", metavar="ID,...", help="Motion ids, comma-separated.")
@click.option("--category", type=click.Choice(CATEGORIES), help="Motions of this category.")
@click.option(
    "--sample", type=click.IntRange(1, 10_000), metavar="N", help="N motions drawn by seed (from --category if given)."
)
@click.option(
    "--schedule",
    type=click.Choice(["round-robin", "swiss", "random", "adaptive"]),
    default="round-robin",
    show_default=True,
    help="adaptive: each next pairing where one more debate narrows the adjacent-rank intervals most.",
)
@click.option(
    "--debates",
    type=click.IntRange(2, 1_000_000),
    metavar="N",
    help="Adaptive: how many debates in all [as many as one round robin].",
)
@click.option(
    "--rounds", type=click.IntRange(1, 1000), help="Round-robin cycles [1]; Swiss or random rounds [log2 players]."
)
@debate_options(
    help={
        "seed": "Seed for motions, pairings and debates [random, stored].",
        "protocol": "On motions with a known answer (--category fact): measure the judges, rate no one.",
    }
)
@click.option(
    "--side-balance/--no-side-balance",
    default=True,
    show_default=True,
    help="Each pairing debates twice, once per side.",
)
@click.option("--dry-run", is_flag=True, help="Print the plan and its estimated calls, tokens and cost; run nothing.")
@click.option(
    "--target",
    metavar="ELO",
    help="With --dry-run: the gap to resolve (50) or a half-width (30hw); says how many debates reach it.",
)
@click.option(
    "--plan-only",
    is_flag=True,
    help="Store the plan and run nothing: start `arena tournament work NAME` processes to play it.",
)
@runtime_options
@pass_ctx
@friendly
def run(
    ctx: Context,
    name: str | None,
    players: str,
    motion_ids: str | None,
    category: str | None,
    sample: int | None,
    schedule: str,
    debates: int | None,
    rounds: int | None,
    options: DebateOptions,
    side_balance: bool,
    dry_run: bool,
    target: str | None,
    plan_only: bool,
    settings: RunSettings,
    progress_every: float,
    as_json: bool,
) -> None:
    """Plan a tournament, store the plan, and play it.

    Round-robin plays every pair on every motion, once on each side. Swiss pairs
    players of similar rating who have not met, round by round. Random draws pairs.
    Adaptive draws each next pairing from the results so far, where one more debate
    narrows the intervals between neighbours in the ranking most (--debates N in all).

    \b
    Examples:
      arena tournament run --players sim/a,sim/b,sim/c --judge sim/j --dry-run
      arena tournament run --name cup --sample 3 --max-cost 5 \\
          --players openai/gpt-4o-mini,anthropic/claude-3-5-haiku-latest \\
          --judge openai/gpt-4o --concurrency 16 --per-model-concurrency 4
    """
    from arena.tournament import plan as pl

    name = name if name is not None else time.strftime("tournament-%Y%m%d-%H%M%S")
    from arena.schemas import check_collection

    name = check_collection(name, "--name")
    spec = pl.build_spec(
        ctx.config,
        name=name,
        players=split_csv(players),
        options=options,
        motion_ids=split_csv(motion_ids),
        category=category,
        sample=sample,
        schedule=schedule,
        rounds=rounds,
        side_balance=side_balance,
        max_cost=settings.max_cost,
        concurrency=settings.concurrency or 8,
        per_model_concurrency=settings.per_model_concurrency,
        retries=3 if settings.retries is None else settings.retries,
        backoff_s=0.5 if settings.backoff_s is None else settings.backoff_s,
        debates=debates,
    )
    judge_note = judges_note(spec, ctx, given=bool(options.judges))
    from arena.debate.model_names import unrated_notes

    for note in unrated_notes(spec.players):
        err_console().print(escape(note))
    if target is not None and not dry_run:
        raise UsageProblem("--target plans a tournament's size: use it with --dry-run")
    if dry_run:
        print_dry_run(spec, ctx, as_json, judge_note, planning=dry_run_planning(spec, ctx, target))
        return
    from arena.readiness import name_targets, require_ready

    require_ready(name_targets(spec.players, spec.judges, ctx.config))
    store = ctx.store
    if pl.exists(store, name) and pl.load_spec(store, name).request != spec.request:
        from arena.store.debate_leases import discard_unplayed

        # A plan that produced nothing (a typo in a player, say) is replaced by the corrected one.
        discarded = discard_unplayed(store, name)
        if discarded is None:
            raise UsageProblem(
                f"a tournament named {name!r} already exists with other options and has results: "
                f"`arena tournament resume {name}` continues it, or choose another --name"
            )
        err_console().print(
            escape(f"Tournament {name}: none of its {discarded} planned debates had finished; its plan is replaced.")
        )
    if pl.exists(store, name):
        if plan_only:
            err_console().print(escape(f"Tournament {name} is already planned with these options."))
            _print_plan(ctx, name, as_json)
            return
        err_console().print(escape(f"Tournament {name} exists with these options: continuing it."))
        _play(ctx, name, settings, progress_every, as_json)
        return
    warn_unpriced(spec, ctx)
    from arena.commands.judges import warn_unaudited

    warn_unaudited(ctx, spec.judges)
    print_outlook(spec, ctx, judge_note)
    stored_slots = pl.store_new(store, spec, ctx.config)
    err_console().print(
        f"Tournament [b]{escape(name)}[/]: {pl.planned_total(spec)} debates planned "
        f"({stored_slots} paired now), stored before anything runs."
    )
    if plan_only:
        err_console().print(
            escape(
                f"Nothing runs yet: start `arena tournament work {name}` on any machine that "
                "reaches this database, as many as you like."
            )
        )
        _print_plan(ctx, name, as_json)
        return
    # The plan just stored has these settings already: only the lease is passed on.
    _play(ctx, name, RunSettings(lease_s=settings.lease_s), progress_every, as_json)


def _print_plan(ctx: Context, name: str, as_json: bool) -> None:
    from arena.tournament.status import document

    doc = document(ctx.store, name)
    if as_json:
        emit_json(doc)
    else:
        out_console().print(
            f"[b]{escape(name)}[/]: {doc['planned']} planned · {doc['finished']} finished · "
            f"{doc['void']} void · {doc['scheduled']} scheduled"
        )


@tournament.command("resume")
@click.argument("name")
@click.option("--retry-void", is_flag=True, help="Also play the void debates again.")
@runtime_options
@pass_ctx
@friendly
def resume(
    ctx: Context, name: str, retry_void: bool, settings: RunSettings, progress_every: float, as_json: bool
) -> None:
    """Continue a tournament after Ctrl-C, a crash or kill -9.

    Finished debates are kept; debates that were running start again from the
    beginning (same seed); nothing is played twice. Options given here replace the
    stored ones (a higher --max-cost lets a stopped tournament go on). Workers
    (`arena tournament work`) may play the same tournament meanwhile: each debate
    goes to one of them."""
    _play(ctx, name, settings, progress_every, as_json, retry_void=retry_void)


@tournament.command("work")
@click.argument("name")
@click.option(
    "--concurrency", type=click.IntRange(1, 4096), help="Debates in progress at once in this worker [the plan's]."
)
@click.option(
    "--per-model-concurrency",
    type=click.IntRange(1, 4096),
    help="Calls in flight per model in this worker [the plan's].",
)
@click.option("--retries", type=click.IntRange(0, 20), help="Retries per call on transient errors [the plan's].")
@click.option(
    "--backoff", "backoff_s", type=FiniteFloat(0, 3600), metavar="SECONDS", help="First retry delay [the plan's]."
)
@click.option(
    "--lease",
    "lease_s",
    type=FiniteFloat(1, 86400),
    metavar="SECONDS",
    help="Lease on each claimed debate, renewed while it runs [60].",
)
@click.option(
    "--progress-every",
    type=FiniteFloat(0.1, 86400),
    default=10.0,
    show_default=True,
    metavar="SECONDS",
    help="Interval of the plain progress lines (when stderr is not a terminal).",
)
@click.option("--json", "as_json", is_flag=True, help="Print only one JSON document on stdout.")
@pass_ctx
@friendly
def work(
    ctx: Context,
    name: str,
    concurrency: int | None,
    per_model_concurrency: int | None,
    retries: int | None,
    backoff_s: float | None,
    lease_s: float | None,
    progress_every: float,
    as_json: bool,
) -> None:
    """Play a planned tournament's debates alongside any other workers.

    Start as many as you like, on any machines that reach the same database (PostgreSQL
    for several machines). Each claims one debate at a time under a lease it renews
    while the debate runs; a debate whose worker dies is taken over when its lease
    expires (at once on the same machine). The tournament's --max-cost counts what
    every worker spent. Exits when no debate is left to play.

    \b
    Example:
      export ARENA_DB=postgresql://arena@db/arena
      arena tournament run --name cup --players ... --plan-only  # once
      arena tournament work cup --concurrency 16     # on each machine"""
    settings = RunSettings(
        concurrency=concurrency,
        per_model_concurrency=per_model_concurrency,
        retries=retries,
        backoff_s=backoff_s,
        lease_s=lease_s,
    )
    _play(ctx, name, settings, progress_every, as_json, exclusive=False)


def _play(
    ctx: Context,
    name: str,
    settings: RunSettings,
    progress_every: float,
    as_json: bool,
    *,
    retry_void: bool = False,
    exclusive: bool = True,
) -> None:
    from arena.readiness import name_targets, require_ready
    from arena.tournament import plan as pl
    from arena.tournament import progress
    from arena.tournament.runner import Runner, RunOptions, run_sync

    store = ctx.store
    stored = pl.load_spec(store, name)
    pl.check_players(stored, ctx.config)
    pl.check_unchanged(stored)
    require_ready(name_targets(stored.players, stored.judges, ctx.config))
    spec = stored.with_overrides(**settings.spec_changes())
    if spec != stored and exclusive:  # a worker's options are its own; run/resume set the tournament's
        pl.update_spec(store, spec)
    options = RunOptions.of(spec, retry_void)
    options.exclusive = exclusive
    if settings.lease_s is not None:
        options.lease_s = settings.lease_s
    runner = Runner(store, spec, ctx.config, options, display=progress.for_stderr(progress_every))
    report = run_sync(runner)
    # A worker reports its own run; the leaderboard (a bootstrap) is for `tournament show`.
    board = exclusive
    if as_json:
        from arena.tournament.status import document

        emit_json(
            {
                **document(store, name),
                "run": report.as_dict(),
                **({"leaderboard": leaderboard_rows(ctx, name)} if board else {}),
            }
        )
    else:
        print_summary(ctx, report, board=board)
    if report.status == "interrupted":
        raise SystemExit(130)
    _fail_if_a_player_never_debated(ctx, name)


def _fail_if_a_player_never_debated(ctx: Context, name: str) -> None:
    """A player all of whose debates are void (a mistyped model, a key missing) makes the
    run a failure (exit 1), with what to change; other void debates stay warnings."""
    from arena.debate.model_names import shown_name
    from arena.tournament.status import document, failed_players

    doc = document(ctx.store, name)
    failed = failed_players(doc["debates"])
    if not failed:
        return
    if doc["finished"] == 0:  # nothing finished: which player failed is for the reason to say
        reason = max(failed.values())[1]
        err_console().print(escape(f"error: every debate of tournament {name} is void ({doc['void']}): {reason}"))
        fix = (
            f"run the same `arena tournament run --name {name} …` with the corrected --players: a plan of "
            "which no debate finished is replaced"
        )
    else:
        for player, (count, reason) in sorted(failed.items()):
            err_console().print(
                escape(f"error: every debate of {shown_name(player)} is void ({count} of {count}): {reason}")
            )
        fix = (
            f"run it under a new --name with the corrected --players (the {doc['finished']} finished debates "
            f"of {name} stay in the store and count on the leaderboard)"
        )
    err_console().print(
        escape(
            f"Fix the player (its model name, provider prefix or key) and {fix}. If the fault has passed "
            f"(a server was down), `arena tournament resume {name} --retry-void` plays the void debates again."
        )
    )
    raise SystemExit(1)


@tournament.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print only JSON on stdout.")
@pass_ctx
@friendly
def list_(ctx: Context, as_json: bool) -> None:
    """Tournaments in the store, oldest first."""
    from dataclasses import asdict

    from rich.table import Table

    from arena.tournament.status import list_tournaments

    rows = list_tournaments(ctx.store)
    if as_json:
        emit_json([asdict(r) for r in rows])
        return
    if not rows:
        out_console().print("No tournaments yet. Try `arena tournament run --players sim/a,sim/b --dry-run`.")
        return
    # Fits 80 columns: light rules, counts as "done/planned", dates without the year.
    from rich import box

    table = Table(title="Tournaments", box=box.SIMPLE_HEAD, show_edge=False, collapse_padding=True)
    table.add_column("name", no_wrap=True)  # whole, to be copied into `resume`; the date wraps instead
    table.add_column("status", no_wrap=True)
    table.add_column("schedule", no_wrap=True)
    table.add_column("players", justify="right", no_wrap=True)
    table.add_column("debates", no_wrap=True)
    table.add_column("created", min_width=5)
    for r in rows:
        debates = (
            f"{r.finished}/{r.planned}"
            + (f" · {r.void} void" if r.void else "")
            + (f" · {r.running} running" if r.running else "")
        )
        table.add_row(
            escape(r.name),
            _status_markup(r.status),
            escape(r.schedule),
            str(r.players),
            debates,
            time.strftime("%m-%d %H:%M", time.localtime(r.created_at)),
        )
    out_console().print(table)


@tournament.command("show")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print only JSON on stdout.")
@pass_ctx
@friendly
def show(ctx: Context, name: str, as_json: bool) -> None:
    """One tournament: its plan, each debate's status, and its leaderboard."""
    from rich.table import Table

    from arena.tournament.status import document

    doc = document(ctx.store, name)
    if as_json:
        emit_json({**doc, "leaderboard": leaderboard_rows(ctx, name)})
        return
    console = out_console()
    console.print(
        f"[b]{escape(doc['name'])}[/] · {_status_markup(doc['status'])} · {doc['schedule']}, "
        f"{doc['rounds_planned']}/{doc['rounds']} rounds paired · format {escape(doc['format'])} · "
        f"judges {escape(', '.join(doc['judges']))}"
    )
    console.print(
        f"{doc['planned']} planned · [green]{doc['finished']} finished[/] · [red]{doc['void']} void[/] · "
        f"{doc['running']} running · {doc['scheduled']} scheduled · cost ${doc['cost']:.4f}"
    )
    for w in doc["workers"]:
        console.print(
            escape(
                f"  worker {w['id']}: {w['running']} debates in hand, concurrency {w['concurrency']}, "
                f"heartbeat {time.time() - w['heartbeat_at']:.0f} s ago"
            )
        )
    from rich import box

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, collapse_padding=True)
    table.add_column("slot", overflow="fold", ratio=2)
    table.add_column("id", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("winner", no_wrap=True)
    table.add_column("error", overflow="fold", ratio=1)
    for d in doc["debates"]:
        table.add_row(
            escape(d["slot"]),
            escape(d["id"]),
            _status_markup(d["status"]),
            escape(d["winner"] or ""),
            escape(d["error"] or ""),
        )
    console.print(table)
    _print_board(ctx, name)


# --------------------------------------------------------------------------- output


def _status_markup(status: str) -> str:
    color = {"finished": "green", "void": "red", "running": "cyan", "interrupted": "yellow", "stopped": "yellow"}.get(
        status
    )
    return f"[{color}]{status}[/]" if color else escape(status)


def warn_unpriced(spec, ctx: Context) -> None:
    if spec.max_cost is None:
        return
    from arena.tournament.estimate import estimate_spec

    unknown = estimate_spec(spec, ctx.config).unknown_prices
    if unknown:
        err_console().print(
            f"[yellow]warning:[/] --max-cost cannot count calls to {escape(', '.join(unknown))}: "
            "litellm does not know their price"
        )


def judges_note(spec, ctx: Context, given: bool) -> str:
    """Which judges decide, and why those when none was given (`participants.default_judges`:
    a simulated drill gets a simulated judge, never a silent slow one)."""
    names = ", ".join(spec.judges) + (f" ×{spec.judge_repeats}" if spec.judge_repeats > 1 else "")
    if given:
        return f"judges: {names}"
    from arena.tournament.plan import default_judges_of

    chosen = default_judges_of(spec.players, ctx.config)
    if chosen.why == "simulated":
        return chosen.line()
    if chosen.why == "config":
        return f"judges: {names} (arena.toml's [defaults] judges; --judge chooses others)"
    return f"judges: {names} (the default, as no --judge was given; --judge sim/judge for an instant drill)"


def print_outlook(spec, ctx: Context, judge_note: str) -> None:
    """Before a run starts: who judges, and the dry run's size and time lines."""
    from arena.tournament.duration import plan_duration
    from arena.tournament.estimate import estimate_spec
    from arena.tournament.progress import human_tokens

    est = estimate_spec(spec, ctx.config)
    console = err_console()
    console.print(escape(judge_note))
    duration = plan_duration(est, spec.concurrency, _measure_local(est))
    console.print(
        f"{est.debates} debates · {est.calls} model calls · ≈{human_tokens(est.tokens)} tokens · "
        f"{escape(duration.line())}"
    )
    for line in duration.basis():
        console.print(f"[dim]{escape(line)}[/]")


def _measure_local(est):
    """The embedded models' measured speeds; a first timing is said on stderr first."""
    from arena.tournament.duration import measure_local

    return measure_local(est, lambda text: err_console().print(f"[dim]{escape(text)}…[/]"))


def dry_run_planning(spec, ctx: Context, target: str | None):
    """Sample-size planning (issue 20): from the ratings stored, if the database exists
    (a dry run never creates it)."""
    from pathlib import Path

    from arena.tournament.planning import parse_target, planning

    goal = parse_target(target) if target is not None else None
    log = ctx.store.match_log() if "://" in str(ctx.db) or Path(str(ctx.db)).exists() else []
    return planning(spec, log, goal)


def print_dry_run(spec, ctx: Context, as_json: bool, judge_note: str = "", planning=None) -> None:
    from rich.table import Table

    from arena.tournament import plan as pl
    from arena.tournament.duration import plan_duration
    from arena.tournament.estimate import estimate_spec
    from arena.tournament.progress import human_tokens, money

    est = estimate_spec(spec, ctx.config)
    duration = plan_duration(est, spec.concurrency, _measure_local(est))
    plan_doc = {
        "name": spec.name,
        "schedule": spec.schedule,
        "rounds": spec.rounds,
        "format": spec.format,
        "players": spec.players,
        "motions": spec.motions,
        "judges": spec.judges,
        "judge_repeats": spec.judge_repeats,
        "swap": spec.swap,
        "side_balance": spec.side_balance,
        "seed": spec.seed,
        "planned": pl.planned_total(spec),
    }
    if as_json:
        emit_json(
            {
                "dry_run": True,
                "plan": plan_doc,
                "estimate": est.as_dict(),
                "time": duration.as_dict(),
            }
            | ({"planning": planning.as_dict()} if planning is not None else {})
        )
        return
    console = out_console()
    console.print(
        f"[b]Plan for {escape(spec.name)}[/] (dry run: nothing stored, no debate played"
        f"{'' if duration.measured else ', no model called'})"
    )
    console.print(
        f"  {spec.schedule}, {spec.rounds} round(s) · {len(spec.players)} players · "
        f"{len(spec.motions)} motion(s): {escape(', '.join(spec.motions))}"
    )
    console.print(
        f"  format {escape(spec.format)} · {escape(judge_note or 'judges ' + ', '.join(spec.judges))}"
        f"{' · swapped too' if spec.swap else ''} · seed {spec.seed}"
    )
    if spec.request.get("seed") is None:  # drawn: the run itself would draw another
        console.print(f"  [dim]the seed was drawn: add --seed {spec.seed} to the run to play these very motions[/]")
    console.print(f"  [b]{est.debates}[/] debates · [b]{est.calls}[/] model calls · ≈{human_tokens(est.tokens)} tokens")
    table = Table(title="Estimate per model")
    for column in ("model", "calls", "tokens in", "tokens out", "cost"):
        table.add_column(column, justify="left" if column == "model" else "right")
    for m in sorted(est.models.values(), key=lambda m: m.model):
        table.add_row(
            escape(m.model),
            str(m.calls),
            f"{m.tokens_in:,}",
            f"{m.tokens_out:,}",
            money(m.cost) if m.price is not None else "[yellow]unknown price[/]",
        )
    console.print(table)
    total = money(est.known_cost)
    if est.unknown_prices:
        total += escape(f" + unknown (no price for {', '.join(est.unknown_prices)})")
    console.print(f"  estimated cost: {total}")
    console.print(f"  {escape(duration.line())}")
    for line in duration.basis():
        console.print(f"  {escape(line)}")
    for note in est.notes:
        console.print(f"  [dim]{escape(note)}[/]")
    if planning is not None:
        from arena.tournament.planning import lines

        for line in lines(planning):
            console.print(escape(line))


def print_summary(ctx: Context, report, board: bool = True) -> None:
    from arena.tournament.progress import clock, human_tokens, money
    from arena.tournament.status import document

    doc = document(ctx.store, report.name)
    s = report.state
    console = out_console()
    left = doc["planned"] - doc["finished"] - doc["void"]
    console.print(
        f"[b]Tournament {escape(report.name)}[/]: {_status_markup(report.status)} · {doc['planned']} planned · "
        f"[green]{doc['finished']} finished[/] · [red]{doc['void']} void[/] · {left} left"
    )
    console.print(
        f"This run: {report.played} debates played in {clock(s.elapsed)} · {s.calls} calls "
        f"({s.retries} retries, {s.failures} failed) · {human_tokens(s.tokens_in + s.tokens_out)} tokens · "
        f"{money(s.cost)}" + (f" ({s.unpriced_calls} calls of unknown price)" if s.unpriced_calls else "")
    )
    if report.stop_reason:
        console.print(f"[yellow]{escape(report.stop_reason)}[/]")
    void = [d for d in doc["debates"] if d["status"] == "void"]
    if void:
        console.print(
            f"[red]Void debates[/] (counted nowhere; `arena tournament resume {escape(report.name)} --retry-void` "
            "plays them again):"
        )
        for d in void:
            console.print(escape(f"  {d['slot']} ({d['id']}): {d['error']}"))
    if report.status == "interrupted":
        console.print(escape(f"Resume with: arena tournament resume {report.name}"))
    if board:
        _print_board(ctx, report.name)


def _board(ctx: Context, name: str):
    from arena.commands.leaderboard import compute

    return compute(ctx, system="bt", tournament=name, min_debates=4, rounds=200)


def _print_board(ctx: Context, name: str) -> None:
    from arena.commands.leaderboard import rich_table

    board = _board(ctx, name)
    if board.rows:
        console = out_console()
        console.print(rich_table(board, f"Leaderboard · tournament {escape(name)} · Bradley–Terry", console.width))


def leaderboard_rows(ctx: Context, name: str) -> list[dict]:
    board = _board(ctx, name)
    return [
        {
            "position": r.position,
            "component": r.component,
            "name": r.label,
            "rank_ub": r.rank_ub,
            "participant": r.participant,
            "rating": r.rating,
            "ci_lo": r.ci_lo,
            "ci_hi": r.ci_hi,
            "debates": r.debates,
            "wins": r.wins,
            "ties": r.ties,
            "losses": r.losses,
            "elo": r.elo,
        }
        for r in board.rows
    ]


commands = [tournament]
