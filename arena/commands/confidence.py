"""`arena confidence`: do debaters know when they are losing?

The measures of "When Two LLMs Debate, Both Think They'll Win", over the bets of one
collection (the arena's own debates by default, or an imported study), optionally
narrowed to one participant, condition or tournament:

- overall: bets per stage, escalation from first to last bet (one-sided paired t-test),
  first bets against 50, both sides ending above 75, final bets summing over 100,
  Brier scores per stage against the 0.25 of always saying 50, winners' against losers'
  bets and the overconfidence index;
- the same, condensed, per condition and per participant (and people against models);
- the reliability table: bets in bins of ten against how often those sides won.

`--json` prints the report only: {"overall", "by_condition", "by_participant",
"human_vs_model"} as `ConfidenceReport.to_dict()` writes them, plus the filters used.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import click

from arena.commands.common import Context, emit_json, friendly, out_console, pass_ctx
from arena.literal import echo

if TYPE_CHECKING:
    from rich.table import Table

    from arena.ratings.confidence_types import ConfidenceReport, ConfidenceSummary

BRIER_BASELINE = 0.25  # the Brier score of always betting 50


# --- numbers as text ------------------------------------------------------------------


def bet(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def share(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


def p_is(value: float | None) -> str:
    """A p-value as "p=0.012" or "p<0.001"; "p —" when the test could not run."""
    if value is None:
        return "p —"
    return "p<0.001" if value < 0.001 else f"p={value:.3f}"


def stars(value: float | None) -> str:
    if value is None:
        return ""
    return "***" if value < 0.001 else "**" if value < 0.01 else "*" if value < 0.05 else ""


def signed(value: float | None) -> str:
    return "—" if value is None else f"{value:+.1f}"


def brier(value: float | None) -> str:
    if value is None:
        return "—"
    style = "green" if value < BRIER_BASELINE else "red" if value > BRIER_BASELINE else ""
    return f"[{style}]{value:.3f}[/]" if style else f"{value:.3f}"


# --- tables ---------------------------------------------------------------------------


def overall_table(summary: ConfidenceSummary, title: str) -> Table:
    from rich.table import Table

    s = summary
    table = Table(title=title, show_header=True, title_justify="left")
    table.add_column("measure", style="cyan")
    table.add_column("value", justify="right")
    table.add_column("", style="dim")
    table.add_row("debates", str(s.debates), "")
    table.add_row("bets stated", str(s.bets), f"{s.missing_bets} missing" if s.missing_bets else "")
    for stage, value in s.mean_bet_by_stage.items():
        table.add_row(f"mean bet · {stage}", bet(value), "0–100")
    e = s.escalation
    interval = f"95% CI [{signed(e.ci_lo)}, {signed(e.ci_hi)}], " if e.ci_lo is not None else ""
    table.add_row(
        "escalation (last − first bet)", signed(e.mean), f"{interval}one-sided paired t-test {p_is(e.p)}, n={e.n}"
    )
    o = s.opening
    table.add_row("first bets vs 50", bet(o.mean), f"t-test {p_is(o.p_t)}, Wilcoxon {p_is(o.wilcoxon_p)}, n={o.n}")
    m = s.mutual
    table.add_row("both final bets > 75", share(m.gt75), f"of {m.n} debates with both final bets")
    table.add_row("both final bets ≥ 75", share(m.ge75), "")
    table.add_row("final bets sum > 100", share(m.sum_over_100), "two win chances of one debate")
    for stage, value in s.brier_by_stage.items():
        table.add_row(f"Brier · {stage}", brier(value), f"baseline {BRIER_BASELINE} (always 50)")
    table.add_row("Brier · all bets", brier(s.brier), "lower is better")
    table.add_row("mean bet of eventual winners", bet(s.mean_bet_winners), "")
    table.add_row("mean bet of eventual losers", bet(s.mean_bet_losers), "")
    table.add_row("win rate of judged bets", share(s.win_rate), "")
    table.add_row(
        "overconfidence index",
        signed(None if s.overconfidence_index is None else 100 * s.overconfidence_index),
        "mean bet − win rate, points",
    )
    return table


def group_table(groups: dict[str, ConfidenceSummary], title: str, key: str, stages: list[str]) -> Table:
    """One row per group; the overall table's headline measures, condensed to fit a terminal."""
    from rich import box
    from rich.table import Table

    table = Table(
        title=title,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        caption="n: debates; mean bet per stage; escalation * p<0.05 ** p<0.01 *** p<0.001 (one-sided); "
        "shares of debates whose both final bets are >75 or sum over 100",
        caption_justify="left",
        pad_edge=False,
        padding=(0, 1, 0, 0),
    )
    table.add_column(key, style="cyan", overflow="fold", ratio=1)
    table.add_column("n", justify="right")
    for stage in stages:
        table.add_column(stage, justify="right")
    table.add_column("escal.", justify="right")
    table.add_column(">75", justify="right")
    table.add_column("sum>100", justify="right")
    table.add_column("Brier", justify="right")
    table.add_column("overconf.", justify="right")
    for name, s in groups.items():
        table.add_row(
            name,
            str(s.debates),
            *(bet(s.mean_bet_by_stage.get(stage)) for stage in stages),
            f"{signed(s.escalation.mean)}{stars(s.escalation.p)}",
            share(s.mutual.gt75),
            share(s.mutual.sum_over_100),
            brier(s.brier),
            signed(None if s.overconfidence_index is None else 100 * s.overconfidence_index),
        )
    return table


def reliability_table(summary: ConfidenceSummary) -> Table:
    from rich.table import Table

    table = Table(
        title="Reliability: stated bets against outcomes",
        title_justify="left",
        caption="a calibrated debater's win rate matches its bets",
    )
    table.add_column("bet", justify="right")
    table.add_column("bets", justify="right")
    table.add_column("mean bet", justify="right")
    table.add_column("win rate", justify="right")
    table.add_column("gap", justify="right")
    for b in summary.reliability:
        if not b.count:
            continue
        gap = None if b.mean_bet is None or b.win_rate is None else b.mean_bet - 100 * b.win_rate
        label = f"{b.lo}–{b.hi}" if b.hi < 100 else f"{b.lo}–100"
        table.add_row(label, str(b.count), bet(b.mean_bet), share(b.win_rate), signed(gap))
    return table


PIPE_WIDTH = 120  # rich's 80 columns for a pipe or file would fold the group tables


def print_report(report: ConfidenceReport, scope: str, names: dict[str, str] | None = None) -> None:
    """`names`: arena.toml names by participant id; every participant is shown by the one
    display rule (`model_names.shown_name`), as on the leaderboard."""
    from arena.debate.model_names import shown_name

    console = out_console()
    if not console.is_terminal and not os.environ.get("COLUMNS", "").strip().isdigit():
        console.width = PIPE_WIDTH  # a width the user set (COLUMNS) is kept, as rich keeps it
    stages = list(report.overall.mean_bet_by_stage)
    console.print(overall_table(report.overall, f"Confidence · {scope}"))
    if report.by_condition:
        console.print(group_table(report.by_condition, "By condition · mean bet per stage", "condition", stages))
    if report.by_participant:
        shown = {shown_name(pid, names): summary for pid, summary in report.by_participant.items()}
        console.print(group_table(shown, "By participant · mean bet per stage", "participant", stages))
    if report.human_vs_model:
        console.print(group_table(report.human_vs_model, "People against models", "debaters", stages))
    if any(b.count for b in report.overall.reliability):
        console.print(reliability_table(report.overall))
    else:
        console.print("[dim]No verdicts yet: Brier scores and the reliability table need judged debates.[/]")


def scope_text(filters: dict[str, Any]) -> str:
    collection = filters["collection"]
    parts = [f"collection {collection}"]
    parts += [f"{key} {value}" for key, value in filters.items() if key != "collection" and value]
    return " · ".join(parts)


def empty_message(ctx: Context, filters: dict[str, Any]) -> str:
    from arena.store.bets_query import collection_sizes

    lines = [f"No bets found for {scope_text(filters)}."]
    sizes = collection_sizes(ctx.store)
    if sizes:
        listed = ", ".join(f"{name} ({n} debates)" for name, n in sizes.items())
        lines.append(f"Collections with finished debates: {listed}.")
    lines.append("Bets come from `arena debate`, `arena tournament run` or `arena import overconfidence DIR`.")
    return "\n".join(lines)


@click.command()
@click.option("--collection", default="arena", show_default=True, help="Collection of debates to read.")
@click.option("--participant", "-p", help="Only this participant's own bets (sim/a also means model:sim/a).")
@click.option("--condition", "-c", help="Only debates of this bet condition (private, public, self, informed, …).")
@click.option("--tournament", "-t", help="Only the debates of this tournament.")
@click.option("--json", "as_json", is_flag=True, help="Print only the report as JSON.")
@pass_ctx
@friendly
def confidence(
    ctx: Context, collection: str, participant: str | None, condition: str | None, tournament: str | None, as_json: bool
) -> None:
    """Debaters' private bets: do they know when they are losing?

    \b
    Examples:
      arena confidence                                   # the arena's own debates
      arena confidence --collection overconfidence --json
      arena confidence --participant sim/a --condition informed
    """
    from arena.ratings.confidence import confidence_report
    from arena.store.bets_query import confidence_rows
    from arena.store.queries import check_known_collection

    collection = check_known_collection(ctx.store, collection)  # a typo is a usage error, as in leaderboard
    if tournament is not None:
        from arena.store.queries import check_known_tournament

        tournament = check_known_tournament(ctx.store, tournament)
    rows = confidence_rows(
        ctx.store, collection=collection, participant=participant, condition=condition, tournament=tournament
    )
    filters = {"collection": collection, "participant": participant, "condition": condition, "tournament": tournament}
    report = confidence_report(rows)
    if as_json:
        if not rows:
            echo(empty_message(ctx, filters), err=True)
        emit_json({"filters": filters, **report.to_dict()})
        return
    if not rows:
        out_console().print(empty_message(ctx, filters), markup=False, highlight=False)
        return
    from arena.store.queries import display_names

    print_report(report, scope_text(filters), display_names(ctx.store, list(report.by_participant)))


commands = [confidence]
