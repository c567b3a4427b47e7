"""`arena judges agreement`: how often judges who decided the same debates agree (issue 21,
item 3). The statistics are `arena.ratings.agreement`; the ballots come from
`arena.store.agreement_query`; the tables from `arena.render.agreement_table`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from rich.markup import escape

from arena.commands.common import Context, emit_json, err_console, friendly, out_console, pass_ctx
from arena.errors import UsageProblem

if TYPE_CHECKING:
    from arena.ratings.agreement import AgreementReport


def _selection(tournaments: tuple[str, ...], collections: tuple[str, ...]) -> str:
    named = [f"tournament {t}" for t in tournaments] + [f"collection {c}" for c in collections]
    return " and ".join(named) if named else "this database"


def nothing_to_compare(
    report: AgreementReport, tournaments: tuple[str, ...], collections: tuple[str, ...], more: list[str]
) -> str:
    """Why there is no pair to show, and what to run."""
    where = _selection(tournaments, collections)
    source = (
        f"--tournament {tournaments[0]}" if tournaments else f"--collection {collections[0]}" if collections else ""
    )
    rejudge = f"`arena rejudge --judge J {source or 'DEBATE_ID …'} --into NAME`, then `arena judges agreement --collection NAME`"
    if more:
        others = f"; its other re-judgings: {', '.join(more[1:])}" if len(more) > 1 else ""
        return (
            f"nothing to compare: {where} has one judge's decisions; add --collection {more[0]} (its re-judging"
            f"{others})"
        )
    if report.ballots == 0:
        return f"nothing to compare: no ballots in {where}; run debates or a tournament first"
    decided = [j.judge for j in report.judges if j.items]
    if len(decided) < 2:
        who = f"by {decided[0]} alone" if decided else "by no judge (every ballot void or split)"
        return f"nothing to compare: the debates of {where} were decided {who}; judge them again: {rejudge}"
    return (
        f"nothing to compare: the judges of {where} ({', '.join(decided)}) never decided the same debate; "
        f"judge one's debates by another: {rejudge}"
    )


@click.command("agreement", short_help="Agreement between judges: share, Cohen's κ, Krippendorff's α.")
@click.option(
    "--tournament", "tournaments", multiple=True, metavar="T", help="The debates of this tournament (repeatable)."
)
@click.option(
    "--collection",
    "collections",
    multiple=True,
    metavar="C",
    help="The debates of this collection (repeatable), e.g. one `arena rejudge --into` wrote.",
)
@click.option("--reference", metavar="J", help="Also show each judge's agreement with this one.")
@click.option("--json", "as_json", is_flag=True, help="Print only one JSON document on stdout.")
@pass_ctx
@friendly
def agreement(
    ctx: Context, tournaments: tuple[str, ...], collections: tuple[str, ...], reference: str | None, as_json: bool
) -> None:
    """How often judges who decided the same debates agree: per pair of judges the share
    agreeing (Wilson 95% interval) and Cohen's κ, over all judges Krippendorff's α
    (nominal), each with its count. The intervals of κ and α are percentile bootstraps
    over debates (2000 resamples, seed 0: the same ballots give the same figures).

    The debates are those of the tournaments and collections named (none: every debate),
    with the originals of any re-judged copies among them: `arena rejudge` copies count as
    their original debate, so the original judges meet the new ones. A judge's decision
    on a debate is the side most of its ballots named (repeats, both orders of --swap);
    ballots name pro or con, never a draw; a judge whose ballots split evenly has no
    decision there (a split, counted), and void ballots are left out and counted. A judge
    that decided a debate in several collections (asked again by a re-judging) is
    shown once per collection, `J (C)`.

    \b
    Examples:
      arena rejudge --tournament spring --judge sim/j2 --into spring-j2
      arena judges agreement --collection spring-j2
      arena judges agreement --collection spring-j2 --reference sim/j1 --json
    """
    from arena.ratings.agreement import agreement as compute
    from arena.ratings.agreement import report_dict
    from arena.render.agreement_table import agreement_renderable
    from arena.store.agreement_query import agreement_votes, rejudged_into
    from arena.store.queries import check_known_collection, check_known_tournament

    store = ctx.store
    tournaments = tuple(dict.fromkeys(check_known_tournament(store, t) for t in tournaments))
    collections = tuple(dict.fromkeys(check_known_collection(store, c) for c in collections))
    report = compute(agreement_votes(store, tournaments, collections), reference)
    more = rejudged_into(store, tournaments, collections)
    if not report.pairs:
        raise UsageProblem(nothing_to_compare(report, tournaments, collections, more))
    if reference is not None and reference not in {j.judge for j in report.judges}:
        raise UsageProblem(
            f"--reference {reference!r}: no such judge here; expected one of "
            + ", ".join(j.judge for j in report.judges)
        )
    if more:
        err_console().print(
            "[dim]note: "
            + escape(" and ".join(more[:3]))
            + " also hold re-judgings of these debates: add --collection to compare with their judges[/]"
        )
    if as_json:
        emit_json({"tournaments": list(tournaments), "collections": list(collections), **report_dict(report)})
        return
    out_console().print(
        agreement_renderable(report, f"Agreement between judges · {_selection(tournaments, collections)}")
    )
