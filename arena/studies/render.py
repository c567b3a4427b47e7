"""The studies' reports as rich tables for the terminal."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from arena.studies.breaking import BreakReport
from arena.studies.order import OrderReport


def order_table(report: OrderReport) -> Group:
    table = Table(title="Speaking order: who wins (95% Wilson intervals, ties left out)")
    for header in ("Format", "Kind", "Debates", "First speaker wins", "Last speaker wins",
                   "Round's last speaker wins the round"):
        table.add_column(header)
    for f in report.formats:
        table.add_row(f.format, "sequential" if f.sequential else "simultaneous", str(f.debates),
                      f.first_speaker.text(), f.last_speaker.text(), f.round_last.text())
    lines = [
        table,
        Text(f"Last speaker wins, sequential formats: {report.sequential_last.text()}"),
        Text(f"Last speaker wins, simultaneous formats: {report.simultaneous_last.text()}"),
        Text(f"Difference (sequential − simultaneous): {report.sequential_minus_simultaneous.text()}"),
    ]
    if report.unknown_formats:
        lines.append(Text(f"Left out (format unknown here): {report.unknown_formats}", style="dim"))
    if not report.formats:
        lines.append(Text("No finished debates in the store yet.", style="yellow"))
    return Group(*lines)


def break_table(report: BreakReport) -> Group:
    table = Table(title="Adaptive break (95% intervals)")
    table.add_column("Statistic")
    table.add_column("Value")
    table.add_row("Adaptive debates", str(report.debates))
    table.add_row("Broke early", report.broke_early.text())
    table.add_row("…after round", ", ".join(f"{k}: {v}" for k, v in sorted(report.after_round.items())) or "–")
    table.add_row("Replayed to the end", str(report.replayed))
    table.add_row("Calls saved per debate", report.calls_saved.text())
    share = report.calls_saved_share
    table.add_row("Share of calls saved", f"{100 * share:.1f}%" if share is not None else "n/a")
    table.add_row("Cost saved per debate (USD)", report.cost_saved.text(4))
    table.add_row("Early verdict = full verdict", report.agreement.text())
    return Group(table)
