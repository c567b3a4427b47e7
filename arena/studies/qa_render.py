"""The QA study's report as a rich table for the terminal."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from arena.debate.model_names import shown_name
from arena.studies.qa import RATE_COLUMNS, QAReport


def qa_table(report: QAReport) -> Group:
    table = Table(title="QA sets as debates: debate wins beside plain accuracy (95% Wilson intervals)")
    table.add_column("Debater", overflow="fold")  # whole, over lines if need be: two rows never read alike
    for header in RATE_COLUMNS:
        table.add_column(header)
    for r in report.debaters:
        table.add_row(shown_name(r.debater), *r.rate_texts())
    lines: list[RenderableType] = [table]
    lines.append(Text(f"The official answer's defender won {report.truth_wins.text()} decided debates"))
    for judge, rate in report.judges.items():
        lines.append(Text(f"Judge {judge}: named the official answer's defender in {rate.text()} ballots"))
    if report.self_debates:
        lines.append(
            Text(
                f"{report.self_debates} debate(s) of a debater against itself: they count toward the official "
                "answer's wins and the judges' accuracy, not toward a debater's wins",
                style="yellow",
            )
        )
    if report.undecided:
        lines.append(Text(f"{report.undecided} debate(s) tied or void, left out of the win rates", style="yellow"))
    if not report.debates:
        lines.append(Text("No QA debates in the store yet: run with --debaters.", style="yellow"))
    return Group(*lines)
