"""The studies' reports as rich tables for the terminal."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from arena.debate.model_names import shown_name
from arena.studies.beliefs import BeliefsReport
from arena.studies.breaking import BreakReport
from arena.studies.fallacy import FallacyReport
from arena.studies.order import OrderReport
from arena.studies.personas import PersonaReport


def order_table(report: OrderReport) -> Group:
    table = Table(title="Speaking order: who wins (95% Wilson intervals, ties left out)")
    for header in (
        "Format",
        "Kind",
        "Debates",
        "First speaker wins",
        "Last speaker wins",
        "Round's last speaker wins the round",
    ):
        table.add_column(header)
    for f in report.formats:
        table.add_row(
            f.format,
            "sequential" if f.sequential else "simultaneous",
            str(f.debates),
            f.first_speaker.text(),
            f.last_speaker.text(),
            f.round_last.text(),
        )
    lines: list[RenderableType] = [
        table,
        Text(f"Last speaker wins, sequential formats: {report.sequential_last.text()}"),
        Text(f"Last speaker wins, simultaneous formats: {report.simultaneous_last.text()}"),
        Text(f"Difference (sequential − simultaneous): {report.sequential_minus_simultaneous.text()}"),
    ]
    if report.unknown_formats:
        left_out = ", ".join(
            f"{name} ({n} debate{'s' * (n != 1)})" for name, n in sorted(report.unknown_formats.items())
        )
        lines.append(Text(f"Left out, their format unknown here: {left_out}", style="dim"))
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
    if not report.debates:
        return Group(table, Text("No adaptive-break debates in the store yet: run with --debaters.", style="yellow"))
    return Group(table)


def fallacy_table(report: FallacyReport) -> Group:
    table = Table(title="Fallacy probes: share convinced (95% Wilson) and susceptibility (Katz log interval)")
    for header in (
        "Debater",
        "Convinced, logical",
        "Convinced, fallacious",
        "Susceptibility (fallacious ÷ logical − 1)",
    ):
        table.add_column(header)
    for row in report.rows:
        table.add_row(shown_name(row.debater), row.logical.text(), row.fallacious.text(), row.ratio.text())
    lines: list = [table]
    if report.by_fallacy:
        lines.append(
            Text("By fallacy used: " + "; ".join(f"{k} {v.text()}" for k, v in report.by_fallacy.items()), style="dim")
        )
    for judge, rate in report.judges.items():
        lines.append(Text(f"Judge {judge}: the fallacious speech won {rate.text()} ballots (it should lose)"))
    if report.unanswered:
        lines.append(Text(f"{report.unanswered} probe(s) without a usable final stance, left out", style="yellow"))
    if not report.rows and not report.judges:
        lines.append(Text("No fallacy probes in the store yet: run with --debaters.", style="yellow"))
    return Group(*lines)


def beliefs_table(report: BeliefsReport) -> Group:
    table = Table(title="Prior beliefs: win rates with vs against the debater's own prior (95% intervals)")
    for header in ("Debater", "Wins arguing its prior", "Wins arguing against it", "Difference"):
        table.add_column(header)
    for row in report.rows:
        table.add_row(shown_name(row.participant), row.with_prior.text(), row.against_prior.text(), row.gap.text())
    lines: list = [
        table,
        Text(f"Sycophancy (chose the side the judge's persona favours over its own prior): {report.sycophancy.text()}"),
        *[Text(f"  {name}: {rate.text()}") for name, rate in report.sycophancy_by.items()],
        Text(f"Kept its prior when the persona agreed with it: {report.held_prior.text()}", style="dim"),
    ]
    if report.no_prior:
        lines.append(Text(f"{report.no_prior} answer(s) without a usable prior, left out", style="yellow"))
    if not report.rows:
        lines.append(Text("No prior beliefs in the store yet: run with --debaters.", style="yellow"))
    return Group(*lines)


def personas_table(report: PersonaReport) -> Group:
    table = Table(title="Judge personas: accuracy on motions with a known answer (95% Wilson intervals)")
    for header in ("Protocol", "Judge", "Persona", "Accuracy"):
        table.add_column(header)
    for row in report.rows:
        table.add_row(row.protocol, row.judge, row.persona or "(default)", row.accuracy.text())
    lines: list = [table]
    for protocol, gap in report.persona_minus_default.items():
        lines.append(
            Text(
                f"{protocol}: persona judges {report.persona_judges[protocol].text()}, default judges "
                f"{report.default_judges[protocol].text()}, difference {gap.text()}"
            )
        )
    if report.void:
        lines.append(Text(f"{report.void} void ballot(s) left out", style="yellow"))
    if not report.rows:
        lines.append(Text("No persona judgments in the store yet: run with --debaters.", style="yellow"))
    return Group(*lines)
