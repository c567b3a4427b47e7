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

import click
from rich.markup import escape

from arena.commands.common import Context, emit_json, err_console, friendly, out_console, pass_ctx, split_csv
from arena.errors import UsageProblem

RUNTIME_OPTIONS = [
    click.option("--concurrency", type=click.IntRange(1, 4096), help="Debates in progress at once [run: 8]."),
    click.option("--per-model-concurrency", type=click.IntRange(1, 4096),
                 help="Calls in flight per model, judges included [default: no limit]."),
    click.option("--max-cost", type=click.FloatRange(0), metavar="USD",
                 help="Start no new debate once this much is spent (whole tournament)."),
    click.option("--retries", type=click.IntRange(0, 20), help="Retries per call on transient errors [run: 3]."),
    click.option("--backoff", type=click.FloatRange(0), metavar="SECONDS",
                 help="First retry delay; doubles each retry, with jitter [run: 0.5]."),
    click.option("--progress-every", type=click.FloatRange(0.1), default=10.0, show_default=True,
                 metavar="SECONDS", help="Interval of the plain progress lines (when stderr is not a terminal)."),
    click.option("--json", "as_json", is_flag=True, help="Print only one JSON document on stdout."),
]


def runtime_options(fn):
    for option in reversed(RUNTIME_OPTIONS):
        fn = option(fn)
    return fn


@click.group()
def tournament() -> None:
    """Headless tournaments: many debates at once, within a budget, resumable."""


@tournament.command("run")
@click.option("--name", help="Tournament name [default: tournament-DATE-TIME].")
@click.option("--players", required=True, metavar="P,P,...", help="Participants, comma-separated (models, team:…, arena.toml names).")
@click.option("--motions", "motion_ids", metavar="ID,...", help="Motion ids, comma-separated.")
@click.option("--category", type=click.Choice(["fact", "value", "policy"]), help="Motions of this category.")
@click.option("--sample", type=click.IntRange(1), metavar="N", help="N motions drawn by seed (from --category if given).")
@click.option("--format", "fmt", default="quick", show_default=True, help="a4d, ovc, quick, or a format TOML file.")
@click.option("--schedule", type=click.Choice(["round-robin", "swiss", "random"]), default="round-robin",
              show_default=True)
@click.option("--rounds", type=click.IntRange(1), help="Round-robin cycles [1]; Swiss or random rounds [log2 players].")
@click.option("--judge", "judges", multiple=True, metavar="M",
              help="Judge model or name; repeat (or comma-separate) for a panel.")
@click.option("--judge-repeats", default=1, show_default=True, type=click.IntRange(1, 20), help="Runs per judge.")
@click.option("--swap", is_flag=True, help="Every judge also decides with the speech order swapped.")
@click.option("--condition", default="private", show_default=True,
              type=click.Choice(["private", "public", "self", "informed"]), help="Bet condition.")
@click.option("--side-balance/--no-side-balance", default=True, show_default=True,
              help="Each pairing debates twice, once per side.")
@click.option("--seed", type=int, help="Seed for motions, pairings and debates [random, stored].")
@click.option("--dry-run", is_flag=True, help="Print the plan and its estimated calls, tokens and cost; run nothing.")
@runtime_options
@pass_ctx
@friendly
def run(ctx: Context, name: str | None, players: str, motion_ids: str | None, category: str | None,
        sample: int | None, fmt: str, schedule: str, rounds: int | None, judges: tuple[str, ...], judge_repeats: int,
        swap: bool, condition: str, side_balance: bool, seed: int | None, dry_run: bool, concurrency: int | None,
        per_model_concurrency: int | None, max_cost: float | None, retries: int | None, backoff: float | None,
        progress_every: float, as_json: bool) -> None:
    """Plan a tournament, store the plan, and play it.

    Round-robin plays every pair on every motion, once on each side. Swiss pairs
    players of similar rating who have not met, round by round. Random draws pairs.

    \b
    Examples:
      arena tournament run --players sim/a,sim/b,sim/c --judge sim/j --dry-run
      arena tournament run --name cup --players openai/gpt-4o-mini,anthropic/claude-3-5-haiku-latest \\
          --sample 3 --judge openai/gpt-4o --concurrency 16 --per-model-concurrency 4 --max-cost 5
    """
    from arena.tournament import plan as pl

    name = name or time.strftime("tournament-%Y%m%d-%H%M%S")
    spec = pl.build_spec(
        ctx.config, name=name, players=split_csv(players), motion_ids=split_csv(motion_ids), category=category,
        sample=sample, schedule=schedule, rounds=rounds, format=fmt,
        judges=[j for value in judges for j in split_csv(value)], judge_repeats=judge_repeats,
        swap=swap, condition=condition, side_balance=side_balance, seed=seed, max_cost=max_cost,
        concurrency=concurrency or 8, per_model_concurrency=per_model_concurrency,
        retries=3 if retries is None else retries, backoff_s=0.5 if backoff is None else backoff,
    )
    if dry_run:
        print_dry_run(spec, ctx, as_json)
        return
    store = ctx.store
    if pl.exists(store, name):
        stored = pl.load_spec(store, name)
        if stored.request != spec.request:
            raise UsageProblem(f"a tournament named {name!r} already exists with other options: "
                               f"`arena tournament resume {name}` continues it, or choose another --name")
        err_console().print(escape(f"Tournament {name} exists with these options: continuing it."))
        _play(ctx, name, concurrency, per_model_concurrency, max_cost, retries, backoff, False, progress_every,
              as_json)
        return
    warn_unpriced(spec, ctx)
    stored_slots = pl.store_new(store, spec, ctx.config)
    err_console().print(f"Tournament [b]{escape(name)}[/]: {pl.planned_total(spec)} debates planned "
                        f"({stored_slots} paired now), stored before anything runs.")
    _play(ctx, name, None, None, None, None, None, False, progress_every, as_json)


@tournament.command("resume")
@click.argument("name")
@click.option("--retry-void", is_flag=True, help="Also play the void debates again.")
@runtime_options
@pass_ctx
@friendly
def resume(ctx: Context, name: str, retry_void: bool, concurrency: int | None, per_model_concurrency: int | None,
           max_cost: float | None, retries: int | None, backoff: float | None, progress_every: float,
           as_json: bool) -> None:
    """Continue a tournament after Ctrl-C, a crash or kill -9.

    Finished debates are kept; debates that were running start again from the
    beginning (same seed); nothing is played twice. Options given here replace the
    stored ones (a higher --max-cost lets a stopped tournament go on)."""
    _play(ctx, name, concurrency, per_model_concurrency, max_cost, retries, backoff, retry_void, progress_every,
          as_json)


def _play(ctx: Context, name: str, concurrency: int | None, per_model: int | None, max_cost: float | None,
          retries: int | None, backoff: float | None, retry_void: bool, progress_every: float,
          as_json: bool) -> None:
    from arena.tournament import plan as pl
    from arena.tournament import progress
    from arena.tournament.runner import Runner, RunOptions, run_sync

    store = ctx.store
    spec = pl.load_spec(store, name)
    pl.check_players(spec, ctx.config)
    changed = False
    for attr, value in (("concurrency", concurrency), ("per_model_concurrency", per_model),
                        ("max_cost", max_cost), ("retries", retries), ("backoff_s", backoff)):
        if value is not None and getattr(spec, attr) != value:
            setattr(spec, attr, value)
            changed = True
    if changed:
        pl.update_spec(store, spec)
    runner = Runner(store, spec, ctx.config, RunOptions.of(spec, retry_void),
                    display=progress.for_stderr(progress_every))
    report = run_sync(runner)
    if as_json:
        from arena.tournament.status import document

        emit_json({**document(store, name), "run": report.as_dict(), "leaderboard": leaderboard_rows(ctx, name)})
    else:
        print_summary(ctx, report)
    if report.status == "interrupted":
        raise SystemExit(130)


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
    table = Table(title="Tournaments")
    for column in ("name", "status", "schedule", "players", "planned", "finished", "void", "running", "created"):
        table.add_column(column, justify="right" if column in ("players", "planned", "finished", "void",
                                                                "running") else "left")
    for r in rows:
        table.add_row(r.name, _status_markup(r.status), r.schedule, str(r.players), str(r.planned), str(r.finished),
                      str(r.void), str(r.running), time.strftime("%Y-%m-%d %H:%M", time.localtime(r.created_at)))
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
    console.print(f"[b]{escape(doc['name'])}[/] · {_status_markup(doc['status'])} · {doc['schedule']}, "
                  f"{doc['rounds_planned']}/{doc['rounds']} rounds paired · format {doc['format']} · "
                  f"judges {escape(', '.join(doc['judges']))}")
    console.print(f"{doc['planned']} planned · [green]{doc['finished']} finished[/] · [red]{doc['void']} void[/] · "
                  f"{doc['running']} running · {doc['scheduled']} scheduled · cost ${doc['cost']:.4f}")
    table = Table()
    for column in ("slot", "id", "status", "winner", "error"):
        table.add_column(column, overflow="fold")
    for d in doc["debates"]:
        table.add_row(d["slot"], d["id"], _status_markup(d["status"]), d["winner"] or "", d["error"] or "")
    console.print(table)
    _print_board(ctx, name)


# --------------------------------------------------------------------------- output


def _status_markup(status: str) -> str:
    color = {"finished": "green", "void": "red", "running": "cyan", "interrupted": "yellow",
             "stopped": "yellow"}.get(status)
    return f"[{color}]{status}[/]" if color else status


def warn_unpriced(spec, ctx: Context) -> None:
    if spec.max_cost is None:
        return
    from arena.tournament.estimate import estimate_spec

    unknown = estimate_spec(spec, ctx.config).unknown_prices
    if unknown:
        err_console().print(f"[yellow]warning:[/] --max-cost cannot count calls to {', '.join(unknown)}: "
                            "litellm does not know their price")


def print_dry_run(spec, ctx: Context, as_json: bool) -> None:
    from rich.table import Table

    from arena.tournament import plan as pl
    from arena.tournament.estimate import estimate_spec
    from arena.tournament.progress import human_tokens, money

    est = estimate_spec(spec, ctx.config)
    plan_doc = {"name": spec.name, "schedule": spec.schedule, "rounds": spec.rounds, "format": spec.format,
                "players": spec.players, "motions": spec.motions, "judges": spec.judges,
                "judge_repeats": spec.judge_repeats, "swap": spec.swap, "side_balance": spec.side_balance,
                "seed": spec.seed, "planned": pl.planned_total(spec)}
    if as_json:
        emit_json({"dry_run": True, "plan": plan_doc, "estimate": est.as_dict()})
        return
    console = out_console()
    console.print(f"[b]Plan for {spec.name}[/] (dry run: nothing stored, no model called)")
    console.print(f"  {spec.schedule}, {spec.rounds} round(s) · {len(spec.players)} players · "
                  f"{len(spec.motions)} motion(s): {', '.join(spec.motions)}")
    console.print(f"  format {spec.format} · judges {', '.join(spec.judges)} ×{spec.judge_repeats}"
                  f"{' · swapped too' if spec.swap else ''} · seed {spec.seed}")
    console.print(f"  [b]{est.debates}[/] debates · [b]{est.calls}[/] model calls · "
                  f"≈{human_tokens(est.tokens)} tokens")
    table = Table(title="Estimate per model")
    for column in ("model", "calls", "tokens in", "tokens out", "cost"):
        table.add_column(column, justify="left" if column == "model" else "right")
    for m in sorted(est.models.values(), key=lambda m: m.model):
        table.add_row(m.model, str(m.calls), f"{m.tokens_in:,}", f"{m.tokens_out:,}",
                      money(m.cost) if m.price is not None else "[yellow]unknown price[/]")
    console.print(table)
    total = money(est.known_cost)
    if est.unknown_prices:
        total += f" + unknown (no price for {', '.join(est.unknown_prices)})"
    console.print(f"  estimated cost: {total}")
    for note in est.notes:
        console.print(f"  [dim]{note}[/]")


def print_summary(ctx: Context, report) -> None:
    from arena.tournament.progress import clock, human_tokens, money
    from arena.tournament.status import document

    doc = document(ctx.store, report.name)
    s = report.state
    console = out_console()
    left = doc["planned"] - doc["finished"] - doc["void"]
    console.print(f"[b]Tournament {escape(report.name)}[/]: {_status_markup(report.status)} · {doc['planned']} planned · "
                  f"[green]{doc['finished']} finished[/] · [red]{doc['void']} void[/] · {left} left")
    console.print(f"This run: {s.done_now} debates in {clock(s.elapsed)} · {s.calls} calls "
                  f"({s.retries} retries, {s.failures} failed) · {human_tokens(s.tokens_in + s.tokens_out)} tokens · "
                  f"{money(s.cost)}" + (f" ({s.unpriced_calls} calls of unknown price)" if s.unpriced_calls else ""))
    if report.stop_reason:
        console.print(f"[yellow]{escape(report.stop_reason)}[/]")
    void = [d for d in doc["debates"] if d["status"] == "void"]
    if void:
        console.print(f"[red]Void debates[/] (counted nowhere; `arena tournament resume {report.name} --retry-void` "
                      "plays them again):")
        for d in void:
            console.print(escape(f"  {d['slot']} ({d['id']}): {d['error']}"))
    if report.status == "interrupted":
        console.print(escape(f"Resume with: arena tournament resume {report.name}"))
    _print_board(ctx, report.name)


def _board(ctx: Context, name: str):
    from arena.commands.leaderboard import compute

    return compute(ctx, system="bt", tournament=name, min_debates=4, rounds=200)


def _print_board(ctx: Context, name: str) -> None:
    from arena.commands.leaderboard import rich_table

    board = _board(ctx, name)
    if board.rows:
        out_console().print(rich_table(board, f"Leaderboard · tournament {name} · Bradley–Terry"))


def leaderboard_rows(ctx: Context, name: str) -> list[dict]:
    board = _board(ctx, name)
    return [{"rank_ub": r.rank_ub, "participant": r.participant, "rating": r.rating, "ci_lo": r.ci_lo,
             "ci_hi": r.ci_hi, "debates": r.debates, "wins": r.wins, "ties": r.ties, "losses": r.losses,
             "elo": r.elo} for r in board.rows]


commands = [tournament]
