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


def test_show_prints_a_void_debates_reason_in_full_wrapped_at_the_width():
    """`arena show` once cut the void reason off mid-word in a rule's title."""
    from arena.debate.records import DebateRecord, MotionRef
    from arena.render.transcript_text import to_renderable

    reason = (
        "the Opposition's debater failed: model:sim/b could not be reached after 3 tries "
        "(connection refused); check the api_base in arena.toml and try again with --retry-void"
    )
    record = DebateRecord(
        "d1",
        MotionRef("m", "This house would test.", "policy"),
        "quick",
        "a",
        "b",
        ["j"],
        1,
        status="void",
        error=reason,
    )
    console = Console(width=60, record=True, color_system=None)
    console.print(to_renderable(record))
    text = " ".join(console.export_text().split())
    assert reason in text


def test_wrapped_lines_keep_their_hanging_indent_in_show_trace_and_motions_show():
    """A long agent step and a long evidence line wrap under their own first line, not
    back at the margin."""
    from arena.debate.records import AgentStep, DebateRecord, MotionRef, Speech
    from arena.render.transcript_text import hanging, to_renderable

    long = " ".join(["evidence"] * 40)
    record = DebateRecord("d1", MotionRef("m", "This house would test.", "policy"), "a4d", "a", "b", ["j"], 1)
    speech = Speech(0, "pro", "opening", "constructive", 1, "We propose.", 2)
    speech.trace = [AgentStep("searcher", "constructive", "find facts", long, "sim/s")]
    record.speeches = [speech]
    for renderable, indent in ((to_renderable(record, trace=True), "   "), (hanging("•", long), "  ")):
        console = Console(width=50, record=True, color_system=None)
        console.print(renderable)
        lines = [line for line in console.export_text().splitlines() if "evidence" in line]
        assert len(lines) > 3
        assert all(line.startswith(indent) for line in lines[1:]), lines
