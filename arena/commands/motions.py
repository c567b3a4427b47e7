"""`arena motions list|show`: the curated motion library."""

from __future__ import annotations

import click

from arena.categories import CATEGORIES
from arena.commands.common import emit_json, friendly, out_console
from arena.literal import markup_literal as escape


@click.group()
def motions() -> None:
    """Browse the curated motions (motions/*.toml; ARENA_MOTIONS points elsewhere)."""


@motions.command("list")
@click.option("--category", type=click.Choice(CATEGORIES), help="Only this category.")
@click.option("--search", help="Only motions whose id, text or tags contain this.")
@click.option("--with-truth", is_flag=True, help="Only motions with a known answer (motions/ground_truth.toml).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@friendly
def list_motions(category: str | None, search: str | None, with_truth: bool, as_json: bool) -> None:
    """List motions: id, category and text."""
    from rich.table import Table

    from arena.motions import load_motions

    library = load_motions()
    chosen = library.search(search) if search else library.all()
    if category:
        chosen = [m for m in chosen if m.category == category]
    if with_truth:
        chosen = [m for m in chosen if m.truth is not None]
    if as_json:
        emit_json([m.as_dict() for m in chosen])
        return
    from rich import box

    # The id above its text in one cell: ids run to 42 characters, and beside them the
    # text would get a 20-character column at 80 columns (five lines per motion).
    table = Table(title=f"{len(chosen)} motions", box=box.SIMPLE_HEAD, show_edge=False, collapse_padding=True)
    table.add_column("id / motion", ratio=1)
    table.add_column("category", no_wrap=True)
    table.add_column("ev.", justify="right", no_wrap=True)
    if with_truth:
        table.add_column("truth", no_wrap=True)
    for m in chosen:
        row = [f"[cyan]{escape(m.id)}[/]\n{escape(m.text)}", m.category, str(len(m.evidence)) if m.evidence else ""]
        table.add_row(*row, *([m.truth or ""] if with_truth else []), end_section=True)
    out_console().print(table)


@motions.command("show")
@click.argument("motion_id")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@friendly
def show_motion(motion_id: str, as_json: bool) -> None:
    """Show one motion with its info slide and evidence."""
    from rich.panel import Panel
    from rich.text import Text

    from arena.motions import load_motions
    from arena.render.transcript_text import hanging

    motion = load_motions().get(motion_id)
    if as_json:
        emit_json(motion.as_dict())
        return
    console = out_console()
    console.print(
        Panel(
            f"[b]{escape(motion.text)}[/]\n\n{escape(motion.info_slide)}",
            title=escape(f"{motion.id} · {motion.category}"),
            subtitle=escape(", ".join(motion.tags)),
        )
    )
    if motion.truth:
        console.print(f"Known answer: [b]{motion.truth}[/] ({escape(motion.truth_source or '')})")
    for e in motion.evidence:
        entry = Text.from_markup(
            f"[b]{escape(e.title)}[/] ({escape(e.source)}) [dim]{escape(e.id)}[/]\n{escape(e.text)}"
        )
        console.print(hanging("•", entry))


commands = [motions]
