"""`arena battles import|export`: FastChat-style battle files in and out."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from arena.commands.common import Context, emit_json, friendly, pass_ctx
from arena.errors import UsageProblem
from arena.literal import echo, literal
from arena.output import write_output

if TYPE_CHECKING:
    from arena.ratings.style import Style


@click.group()
def battles() -> None:
    """Exchange battles with Chatbot Arena-style tooling (model_a, model_b, winner, tstamp)."""


@battles.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--collection", required=True, help="Name of the collection to import into (not 'arena').")
@click.option("--replace", is_flag=True, help="Replace the collection's battles instead of refusing.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
@friendly
def import_battles(ctx: Context, file: Path, collection: str, replace: bool, as_json: bool) -> None:
    """Import a JSON array or JSON Lines file of battles into its own collection.

    Rate it with `arena leaderboard --collection NAME`. A file with any bad row
    imports nothing; each bad row is reported with its line.
    """
    from arena.importers.battles import BattleFileError, read_battles
    from arena.schemas import check_collection

    collection = check_collection(collection)
    if collection == "arena":
        raise UsageProblem("'arena' holds the arena's own debates: choose another --collection")
    if not file.exists():
        raise UsageProblem(f"no such file: {file}")
    warnings: list[str] = []
    try:
        rows = read_battles(file, warnings)
    except BattleFileError as exc:
        for problem in exc.problems[:50]:
            echo(f"error: {literal(problem)}", err=True)
        if len(exc.problems) > 50:
            echo(f"error: … and {len(exc.problems) - 50} more", err=True)
        echo(f"nothing imported ({len(exc.problems)} problem(s))", err=True)
        raise SystemExit(1) from None
    for warning in warnings:
        echo(f"warning: {warning}", err=True)
    existing = ctx.store.battle_count(collection)
    if existing and not replace:
        raise UsageProblem(
            f"collection {collection!r} already holds {existing} battles: "
            "--replace to replace them, or choose another name"
        )
    count = ctx.store.import_battles(collection, rows, replace=replace)
    if as_json:
        emit_json({"collection": collection, "imported": count, "replaced": existing if replace else 0})
    else:
        echo(f"imported {count} battles into {collection!r}: `arena leaderboard --collection {collection}` rates them")


@battles.command("export")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file.")
@click.option("--collection", default="arena", show_default=True)
@click.option("--jsonl", is_flag=True, help="One battle per line instead of a JSON array.")
@pass_ctx
@friendly
def export_battles(ctx: Context, output: Path | None, collection: str, jsonl: bool) -> None:
    """Write finished debates as FastChat-style battles (model_a = proposition), with the
    style columns `arena battles import` reads back (words, evidence, markdown counts per
    side, side_a, first_a), so an exported log can be controlled too."""
    import json

    from arena.output import check_output
    from arena.store.queries import check_known_collection

    if output is not None:
        check_output(output)
    from arena.boards import load_style

    collection = check_known_collection(ctx.store, collection)
    log = ctx.store.match_log(collection=collection)
    styles = load_style(ctx.store, log, collection, ("length", "evidence", "markdown"))
    rows = [
        {
            "model_a": m.model_a,
            "model_b": m.model_b,
            "winner": m.winner,
            "tstamp": m.tstamp,
            "debate_id": m.id,
            "motion": m.motion,
            "category": m.category,
            "format": m.format,
            "judges": list(m.judges),
            **style_columns(styles.get(m.id)),
        }
        for m in log
    ]
    if jsonl:
        text = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows)
    else:
        text = json.dumps(rows, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    from arena.literal import json_literal
    from arena.redact import redact

    text = redact(json_literal(text))  # no secret leaves in an export; bidi controls as \u escapes
    if output:
        write_output(output, text)
        echo(f"wrote {len(rows)} battles to {output}", err=True)
    else:
        echo(text, nl=False)


def style_columns(style: Style | None) -> dict[str, object]:
    """A debate's style as the plain per-side columns of a battle file."""
    if style is None:
        return {}
    out: dict[str, object] = {}
    for key in ("words", "evidence", "header", "list", "bold"):
        pair = getattr(style, key)
        if pair is not None:
            out[f"{key}_a"], out[f"{key}_b"] = int(pair[0]), int(pair[1])
    if style.a_side is not None:
        out["side_a"] = "pro" if style.a_side > 0 else "con"
    if style.a_first is not None:
        out["first_a"] = style.a_first > 0
    return out


commands = [battles]
