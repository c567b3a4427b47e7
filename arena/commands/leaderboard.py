"""`arena leaderboard`: ratings with intervals, as a table or an export."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from arena.categories import CATEGORIES
from arena.commands.common import Context, FiniteFloat, friendly, json_format, out_console, pass_ctx, seed_type
from arena.literal import echo, literal
from arena.literal import markup_literal as escape
from arena.ratings.systems import SYSTEM_NAMES, SYSTEMS, system_title
from arena.redact import redact

if TYPE_CHECKING:
    from arena.ratings.leaderboard import Leaderboard
    from arena.ratings.systems import System


def compute(ctx: Context, **options: Any) -> Leaderboard:
    """The board of `ctx`'s store (arena.boards.compute_board takes the options)."""
    from arena.boards import compute_board

    return compute_board(ctx.store, **options)


def rich_table(board, title: str, width: int = 80):
    """The board for a terminal `width` columns wide: names shortened in the middle, one
    block per component, the legend (†, *, components) in the caption."""
    from rich.table import Table

    from arena.render.leaderboard_text import (
        coefficient_lines,
        controlled,
        interval_text,
        notes,
        rank_change_text,
        rank_range_text,
    )

    system = board.settings.system
    plain = controlled(board)
    wide = width >= (120 if plain else 100)
    # a controlled board below 100 columns leaves UB, n and Brier to the exports
    compact = plain and width < 100
    brier = not compact and any(getattr(r, "brier", None) is not None for r in board.rows)
    caption = "\n".join(notes(board) + coefficient_lines(board) + [f"Log sha256 {board.log_sha256[:12]}."])
    table = Table(title=title, caption=caption, caption_justify="left")
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Ranks", justify="right", no_wrap=True)
    if not compact:
        table.add_column("UB", justify="right", no_wrap=True)
    name_width = max(
        12, min(40, width - (78 if wide else 58) - (7 if brier else 0) - (12 if plain else 0) + (12 if compact else 0))
    )
    table.add_column("participant", style="cyan", no_wrap=True, max_width=name_width)
    table.add_column(SYSTEMS[system].short + (" ctl" if plain else ""), justify="right", no_wrap=True)
    table.add_column("95% CI", justify="right", no_wrap=True)
    if plain:
        table.add_column("plain", justify="right", no_wrap=True)
        table.add_column("Δ#", justify="right", no_wrap=True)
    if not compact:
        table.add_column("n", justify="right", no_wrap=True)
    table.add_column("W-T-L", justify="right", no_wrap=True)
    if wide:
        table.add_column("TS μ±σ", justify="right", no_wrap=True)
    if brier:
        table.add_column("Brier", justify="right", no_wrap=True)
    from arena.debate.model_names import in_full
    from arena.render.leaderboard_text import fitted_labels

    fitted = fitted_labels(board.rows, name_width - 2)
    shortened = {fitted[r.participant]: r.label for r in board.rows if fitted[r.participant] != r.label}
    if shortened:  # a shortened name in full, so it can be read (and typed) whole
        table.caption = f"{table.caption}\n{escape(in_full(shortened, 'Participants'))}"
    groups = sorted({r.component for r in board.rows})
    for c in groups:
        if len(groups) > 1:
            members = sum(1 for r in board.rows if r.component == c)
            table.add_row(
                "", "", *([] if compact else [""]), f"[bold]component {c + 1}/{len(groups)}[/] [dim]({members})[/]"
            )
        for r in (r for r in board.rows if r.component == c):
            mark = " *" if r.provisional else ""
            cells = [str(r.position), rank_range_text(r)] + ([] if compact else [str(r.rank_ub)])
            cells += [
                escape(fitted[r.participant] + mark),
                f"{r.rating:.0f}",
                interval_text(r, 0),
            ]
            if plain:
                cells += ["" if r.uncontrolled is None else f"{r.uncontrolled:.0f}", rank_change_text(r)]
            cells += ([] if compact else [str(r.debates)]) + [f"{r.wins}-{r.ties}-{r.losses}"]
            if wide:
                cells.append(f"{r.ts_mu:.1f}±{r.ts_sigma:.1f}")
            if brier:
                cells.append("" if getattr(r, "brier", None) is None else f"{r.brier:.3f}")
            table.add_row(*cells, end_section=r is [x for x in board.rows if x.component == c][-1])
    return table


def empty_message(ctx: Context, collection: str = "arena") -> str:
    """Why `collection`'s board is empty, and which collections hold debates instead (e.g.
    only `arena study qa` ran: its debates are in study-qa). The table and the HTML export
    both say it."""
    from arena.store.queries import counts, known_collections

    others = [c for c in known_collections(ctx.store) if c != collection]
    where = "" if collection == "arena" else f" in collection {collection}"
    if len(others) == 1:
        elsewhere = f" Other collections hold debates: {others[0]} (arena leaderboard --collection {others[0]})."
    elif others:
        elsewhere = f" Other collections hold debates: {', '.join(others)} (arena leaderboard --collection NAME)."
    else:
        elsewhere = ""
    if counts(ctx.store, collection)["finished"]:
        return (
            f"No rated debates{where} yet: a participant debating itself (the default `arena debate`, "
            "the embedded model on both sides) is not rated. Try `arena demo`, or "
            "`arena debate --pro sim/a --con sim/b`." + elsewhere
        )
    if collection == "arena" and others:
        return "No rated debates in this collection (arena, the default)." + elsewhere
    return f"No finished debates{where} yet. Run `arena demo` or `arena debate`." + elsewhere


def print_leaderboard(ctx: Context, *, warnings: bool = True, **kwargs) -> None:
    board = compute(ctx, **kwargs)
    console = out_console()
    if not board.rows:
        console.print(empty_message(ctx))
        return
    console.print(rich_table(board, f"Leaderboard · {system_title(board.settings.system)}", console.width))
    for warning in board.warnings if warnings else []:
        console.print(f"[yellow]warning:[/] {escape(warning)}")


@click.command()
@click.option("--system", type=click.Choice(SYSTEM_NAMES), default="bt", show_default=True)
@click.option("--category", type=click.Choice(CATEGORIES), help="Only debates on such motions.")
@click.option("--collection", default="arena", show_default=True, help="An imported collection to rate instead.")
@click.option("--tournament", help="Only the debates of this tournament.")
@click.option(
    "--min-debates",
    default=10,
    show_default=True,
    type=click.IntRange(0, 1_000_000),
    help="Below this a rating is marked provisional.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "md", "csv", "json", "html"]), default="table", show_default=True
)
@click.option("--json", "as_json", is_flag=True, help="Same as --format json (as on every other command).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file.")
@click.option("--seed", default=42, show_default=True, type=seed_type(), help="Bootstrap seed.")
@click.option("--rounds", default=1000, show_default=True, type=click.IntRange(0, 100000), help="Bootstrap rounds.")
@click.option(
    "--k",
    "k",
    default=32.0,
    show_default=True,
    type=FiniteFloat(0, 1000),
    help="Elo K factor.",
)
@click.option("--anchor", help="Pin this participant's Bradley–Terry rating at 1000.")
@click.option(
    "--prior",
    type=FiniteFloat(min=0.0),
    default=4.0,
    show_default=True,
    help="Bradley–Terry prior strength in virtual games against the pool mean; 0 = maximum likelihood.",
)
@click.option(
    "--control",
    "control",
    default="",
    metavar="LIST",
    help="Control Bradley–Terry for these, comma-separated: length, side, order, evidence, markdown.",
)
@click.option(
    "--ci",
    type=click.Choice(["bootstrap", "sandwich"]),
    default="bootstrap",
    show_default=True,
    help="Bradley–Terry intervals: bootstrap of debates, or the clustered sandwich (fast).",
)
@click.option(
    "--weight-by-selection/--no-weight-by-selection",
    default=False,
    show_default=True,
    help="Weight Bradley–Terry by 1/(the chance an adaptive schedule drew each pairing). Off by default: "
    "if BT fits, adaptive drawing does not bias it and weights only add variance; on, the ratings stay "
    "the average over pairs even where BT is wrong (e.g. intransitive skills).",
)
@pass_ctx
@friendly
def leaderboard(
    ctx: Context,
    system: System,
    category: str | None,
    collection: str,
    tournament: str | None,
    min_debates: int,
    fmt: str,
    as_json: bool,
    output: Path | None,
    seed: int,
    rounds: int,
    k: float,
    anchor: str | None,
    prior: float,
    control: str,
    ci: str,
    weight_by_selection: bool,
) -> None:
    """Ratings with 95% bootstrap intervals, from the match log.

    Every figure is a pure function of (match log, settings): the same database and
    options give byte-identical exports.
    """
    from arena import __version__
    from arena.output import check_output, write_output
    from arena.ratings.style import parse_controls
    from arena.render import leaderboard_data, leaderboard_html, leaderboard_md
    from arena.schemas import check_collection
    from arena.store.queries import check_known_collection

    fmt = json_format(fmt, as_json)
    try:
        controls = parse_controls(control)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--control") from None
    if (controls or ci == "sandwich") and system != "bt":
        raise click.UsageError("--control and --ci sandwich apply to Bradley–Terry: use them with --system bt")
    if anchor is not None:  # a participant id: printable, as every stored name is
        anchor = check_collection(anchor, "--anchor")
    if output is not None:
        check_output(output)
    collection = check_known_collection(ctx.store, collection)
    if tournament is not None:
        from arena.store.queries import check_known_tournament

        tournament = check_known_tournament(ctx.store, tournament)
    board = compute(
        ctx,
        system=system,
        category=category,
        collection=collection,
        min_debates=min_debates,
        seed=seed,
        rounds=rounds,
        k=k,
        anchor=anchor,
        tournament=tournament,
        prior=prior,
        controls=controls,
        ci=ci,
        weight_by_selection=weight_by_selection,
    )
    if fmt == "table":
        if output:
            import io

            from arena.literal import safe_console

            console = safe_console(record=True, width=120, file=io.StringIO())
            console.print(rich_table(board, f"Leaderboard · {system_title(system)}", 120))
            write_output(output, console.export_text())
        elif not board.rows:
            out_console().print(empty_message(ctx, collection), markup=False, highlight=False)
        else:
            console = out_console()
            console.print(rich_table(board, f"Leaderboard · {system_title(system)}", console.width))
            for warning in board.warnings:
                echo(f"warning: {warning}", err=True)
        return
    render = {
        "md": leaderboard_md.to_markdown,
        "csv": leaderboard_data.to_csv,
        "json": lambda b: leaderboard_data.to_json(b, __version__),
        "html": lambda b: leaderboard_html.to_html(
            b,
            __version__,
            empty="" if b.rows else empty_message(ctx, collection),
            title="Debate Arena leaderboard" + (f" · tournament {tournament}" if tournament else ""),
            sections=judge_sections(ctx)
            + agreement_sections(ctx, collection, tournament, category)
            + _study_sections(ctx, collection, tournament, category),
        ),
    }[fmt]
    text = redact(literal(render(board)))
    if output:
        write_output(output, text)
        echo(f"wrote {output}", err=True)
    else:
        echo(text, nl=not text.endswith("\n"))


def judge_sections(ctx: Context) -> list[str]:
    """The judge audit's section of the HTML export (issue 11), if any judge was audited."""
    from arena.render.audit_html import audit_section
    from arena.store.audit_store import latest_audits

    audits = sorted(latest_audits(ctx.store).values(), key=lambda found: found[0].judge)
    section = audit_section([(row.judge, row.size, metrics) for row, metrics in audits])
    return [s for s in (section, _bench_section(ctx)) if s]


def _bench_section(ctx: Context) -> str:
    """Each judge's newest run of `arena judges bench`, beside the audit."""
    from arena.render.bench_html import bench_section
    from arena.render.bench_table import stored_columns
    from arena.store.bench_store import latest_benches

    return bench_section(stored_columns(list(latest_benches(ctx.store).values())))


def agreement_sections(ctx: Context, collection: str, tournament: str | None, category: str | None) -> list[str]:
    """Agreement between the judges of the board's debates (issue 21), if two judges decided
    a common one: a collection's debates (with the originals they re-judged), a tournament's
    (with the collections that re-judged them), or the whole store's. A category's board
    has none (its debates are not a selection the agreement command takes)."""
    if category:
        return []
    from arena.ratings.agreement import agreement
    from arena.render.agreement_html import agreement_section
    from arena.store.agreement_query import agreement_votes, rejudged_into

    if tournament:
        tournaments, collections = [tournament], rejudged_into(ctx.store, [tournament])
        scope = f"tournament {tournament}" + "".join(f" and collection {c}" for c in collections)
    elif collection != "arena":
        tournaments, collections, scope = [], [collection], f"collection {collection}"
    else:
        tournaments, collections, scope = [], [], "every debate of this database"
    section = agreement_section(agreement(agreement_votes(ctx.store, tournaments, collections)), scope)
    return [section] if section else []


def _study_sections(ctx: Context, collection: str, tournament: str | None, category: str | None) -> list[str]:
    """The debate studies' results (arena study ...) for the arena's own export: they are
    the whole store's, so a board of one tournament or category leaves them out rather
    than count other debates under its header. The QA study's board (collection study-qa)
    carries the QA section too: those are its debates."""
    from arena.studies.qa_html import qa_section
    from arena.studies.qa_run import COLLECTION as QA_COLLECTION

    if collection == QA_COLLECTION and not tournament and not category:  # the QA debates' own board
        return [section for section in (qa_section(ctx.store),) if section]
    if collection != "arena" or tournament or category:
        return []
    from arena.studies.group_html import groups_section
    from arena.studies.html import studies_section

    sections = (studies_section(ctx.store), groups_section(ctx.store), qa_section(ctx.store))
    return [section for section in sections if section]


commands = [leaderboard]
