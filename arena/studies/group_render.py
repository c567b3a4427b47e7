"""The group discussions' reports as rich tables for the terminal."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from arena.studies.groups import METRICS, CompareReport, Comparison, GroupsReport
from arena.studies.intervals import Mean

PLACES = 2


def groups_table(report: GroupsReport, collection: str | None, per_group: int = 10) -> Group:
    """The metrics over the groups, then the last `per_group` groups two lines each (a
    value and its count, then its interval), numbered; below, each number's group id,
    spread by round and private opinions. It reads at 80 columns and no cell is cut."""
    where = f"collection {collection}" if collection else "every collection"
    table = Table(title=Text(f"Group discussions, {where}: {len(report.groups)} groups (95% bootstrap intervals)"))
    table.add_column("Metric")
    table.add_column(Text("Mean [interval] over groups"), no_wrap=True)
    for key, label in METRICS:
        table.add_row(label, Text(report.metrics[key].text(PLACES)))
    for r, value in report.spread_by_round.items():
        table.add_row(f"Spread of private opinions, round {r}", Text(value.text(PLACES)))
    lines: list[RenderableType] = [table]
    if not report.groups:
        lines.append(Text("No group discussions here yet: run `arena group run` or import some.", style="yellow"))
        return Group(*lines)
    shown = report.groups[-per_group:]
    which = f"the last {len(shown)} of {len(report.groups)}" if len(shown) < len(report.groups) else "each"
    each = Table(title=f"Per group, {which}: mean (n members or posts) and its interval")
    each.add_column("#", justify="right", no_wrap=True)
    for _, header in PER_GROUP:
        each.add_column(header, no_wrap=True, min_width=14)  # the title fits above them
    for i, g in enumerate(shown, 1):
        each.add_row(str(i), *(Text(_two_lines(g.metrics[key])) for key, _ in PER_GROUP))
    lines.append(each)
    for i, g in enumerate(shown, 1):
        spreads = " → ".join(f"{v.value:.2f}" if v.value is not None else "–" for v in g.spread_by_round.values())
        paths = " · ".join(f"{m} " + "→".join(str(s) for _, s in points) for m, points in g.trajectories.items())
        lines.append(Text.assemble((f"{i:>2} ", "bold"), g.id, (f" · spread by round {spreads}", "dim")))
        lines.append(Text(f"   private opinions {paths}", style="dim"))
    return Group(*lines)


# The per-group columns: key, header (a header wraps at its space, no cell is cut).
PER_GROUP: tuple[tuple[str, str], ...] = (
    ("opinion_change", "Opinion\nchange"),
    ("convergence", "Convergence"),
    ("public_private_gap", "Public–private\ngap"),
    ("stance_drift", "Stance\ndrift"),
)


def _two_lines(m: Mean) -> str:
    """'1.00 (n=4)' over '[0.50, 1.00]': narrow enough for four metrics at 80 columns."""
    if m.value is None:
        return f"n/a (n={m.n})" if m.n else "n/a"
    return f"{m.value:.{PLACES}f} (n={m.n})\n[{m.lo:.{PLACES}f}, {m.hi:.{PLACES}f}]"


def _comparison(c: Comparison, human: str, simulated: str) -> Table:
    """One row a metric, two lines a row: each side's mean (n groups), then its interval
    under it; the difference likewise. No value column wraps, so an interval is never
    broken across lines; the metric's name wraps at its spaces (80 columns fit)."""
    title = f"Topic: {c.topic}" if c.topic else "All topics"
    table = Table(title=f"{title}: mean (n groups) over its 95% bootstrap interval; difference = simulated − human")
    table.add_column("Metric", min_width=16)
    for header in (f"Human\n({human})", f"Simulated\n({simulated})", "Difference"):
        table.add_column(Text(header), no_wrap=True, min_width=14)
    for row in c.rows:
        table.add_row(
            row.label, Text(_two_lines(row.human)), Text(_two_lines(row.simulated)), Text(_diff(row.difference))
        )
    return table


def _diff(estimate: object) -> str:
    """'+0.25' over '[+0.10, +0.40]' ('n/a' where a side has no groups)."""
    from arena.studies.intervals import Estimate

    assert isinstance(estimate, Estimate)
    if estimate.value is None or estimate.lo is None or estimate.hi is None:
        return "n/a"
    return f"{estimate.value:+.{PLACES}f}\n[{estimate.lo:+.{PLACES}f}, {estimate.hi:+.{PLACES}f}]"


def compare_tables(report: CompareReport) -> Group:
    human, simulated = report.human_collection, report.simulated_collection
    lines: list[RenderableType] = [
        Text(
            f"Human: {human}, {report.human_groups} groups · simulated: {simulated}, {report.simulated_groups} groups"
        ),
        _comparison(report.overall, human, simulated),
    ]
    lines += [_comparison(c, human, simulated) for c in report.by_topic]
    return Group(*lines)
