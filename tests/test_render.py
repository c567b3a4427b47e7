"""Terminal rendering shows names and model output literally, never as rich markup."""

from __future__ import annotations

from rich.console import Console

from arena.debate import events as ev
from arena.debate.records import Ballot, RoundScore
from arena.render.debate_view import DebatePrinter


def test_markup_in_names_and_reasons_is_shown_literally():
    console = Console(record=True, width=200)
    view = DebatePrinter(console)
    view(ev.RoundScored(RoundScore(judge="[red]judge", round=1, pro=7, con=6, reason="[bold]because[/bold]")))
    view(ev.BallotCast(Ballot(judge="[red]judge", winner=None, error="bad output: [x]")))
    view(ev.DebateWarning("the graph: [model:a, model:b]"))
    text = console.export_text()
    assert "[red]judge" in text and "[bold]because[/bold]" in text
    assert "bad output: [x]" in text and "[model:a, model:b]" in text
