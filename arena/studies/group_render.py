"""The group discussions' reports as rich tables for the terminal."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from arena.studies.groups import METRICS, CompareReport, Comparison, GroupsReport

PLACES = 2


def groups_table(report: GroupsReport, collection: str | None, per_group: int = 10) -> Group:
    where = f"collection {collection}" if collection else "every collection"
    table = Table(title=f"Group discussions, {where}: over {len(report.groups)} groups (mean, 95% bootstrap interval)")
    table.add_column("Metric")
    table.add_column("Over groups")
    for key, label in METRICS:
        table.add_row(label, report.metrics[key].text(PLACES))
    for r, value in report.spread_by_round.items():
        table.add_row(f"Spread of private opinions, round {r}", value.text(PLACES))
    lines: list[RenderableType] = [table]
    if not report.groups:
        lines.append(Text("No group discussions here yet: run `arena group run` or import some.", style="yellow"))
        return Group(*lines)
    shown = report.groups[-per_group:]
    each = Table(title=f"Per group (the last {len(shown)}; intervals over members or posts)")
    each.add_column("Group", no_wrap=True)
    for header in ("Opinion change", "Spread by round", "Public–private gap", "Stance drift"):
        each.add_column(header)
    for g in shown:
        spreads = " → ".join(f"{v.value:.2f}" if v.value is not None else "–" for v in g.spread_by_round.values())
        each.add_row(
            g.id,
            g.metrics["opinion_change"].text(PLACES),
            spreads,
            g.metrics["public_private_gap"].text(PLACES),
            g.metrics["stance_drift"].text(PLACES),
        )
    lines.append(each)
    for g in shown:
        paths = "; ".join(
            f"{member} " + "→".join(str(s) for _, s in points) for member, points in g.trajectories.items()
        )
        lines.append(Text(f"{g.id}: private opinions {paths}", style="dim"))
    return Group(*lines)


def _comparison(c: Comparison, human: str, simulated: str) -> Table:
    title = f"Topic: {c.topic}" if c.topic else "All topics"
    table = Table(title=f"{title} (95% bootstrap intervals; difference = simulated − human)")
    for header in ("Metric", f"Human ({human})", f"Simulated ({simulated})", "Difference"):
        table.add_column(header)
    for row in c.rows:
        table.add_row(row.label, row.human.text(PLACES), row.simulated.text(PLACES), _diff(row.difference))
    return table


def _diff(estimate: object) -> str:
    from arena.studies.intervals import Estimate

    assert isinstance(estimate, Estimate)
    if estimate.value is None or estimate.lo is None or estimate.hi is None:
        return "n/a"
    return f"{estimate.value:+.2f} [{estimate.lo:+.2f}, {estimate.hi:+.2f}]"


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
