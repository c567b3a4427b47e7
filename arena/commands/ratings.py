"""`arena ratings rebuild`: recompute online ratings from the stored debates."""

from __future__ import annotations

import click

from arena.commands.common import Context, emit_json, friendly, pass_ctx
from arena.literal import echo


@click.group()
def ratings() -> None:
    """Maintain the stored ratings."""


@ratings.command()
@click.option("--check", is_flag=True, help="Only compare; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
@friendly
def rebuild(ctx: Context, check: bool, as_json: bool) -> None:
    """Replay Elo and TrueSkill from the match log and compare with the stored values."""
    from dataclasses import asdict

    from arena.store.rebuild import rebuild as do_rebuild

    report = do_rebuild(ctx.store, write=not check)
    if as_json:
        emit_json({**asdict(report), "consistent": report.consistent})
    else:
        state = "equal to" if report.consistent else "DIFFERENT from"
        echo(
            f"Replayed {report.debates} debates for {report.participants} participants: the result is "
            f"{state} the stored ratings (max |ΔElo| {report.max_elo_diff:.3g}, "
            f"max |ΔTrueSkill| {report.max_ts_diff:.3g})."
        )
        if not check:
            echo("Stored ratings now equal the replay.")
    if not report.consistent and check:
        raise SystemExit(1)


commands = [ratings]
