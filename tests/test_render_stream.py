"""The CLI's debate view prints each speech once, as kept, and never splits a speech's
header from its text (issue 16)."""

from __future__ import annotations

import io

from rich.console import Console

from arena.debate import events as ev
from arena.debate.engine import run_debate
from arena.debate.records import RoundScore, Speech
from arena.render.debate_view import DebatePrinter
from tests.test_engine import setup_for


def plain_console(width: int = 100) -> Console:
    return Console(file=io.StringIO(), width=width, force_terminal=False, color_system=None)


def printed(console: Console) -> str:
    return console.file.getvalue()  # type: ignore[attr-defined]


def speech(text: str, index: int = 1, side: str = "con") -> Speech:
    return Speech(
        index=index, side=side, stage="con opening", kind="constructive", round=1, text=text, words=len(text.split())
    )


def test_a_speech_asked_again_is_printed_once_as_kept():
    console = plain_console()
    view = DebatePrinter(console, stream=True)
    view(ev.SpeechStarted(1, "con", "Opposition opening", 60, "model:sim/con"))
    for token in ["We copied ", "the other one", "This house ", "is wrong because of costs."]:
        view(ev.SpeechToken(1, "con", token))
    view(ev.SpeechFinished(speech("This house is wrong because of costs.")))
    out = printed(console)
    assert out.count("This house is wrong because of costs.") == 1
    assert "copied" not in out and "one thatThis" not in out and "one thatThis" not in out.replace("\n", "")
    assert "asked again or cut back" in out


def test_round_scores_never_land_between_a_header_and_its_text():
    console = plain_console()
    view = DebatePrinter(console, stream=True)
    view(ev.SpeechStarted(2, "pro", "Proposition closing", 60, "model:sim/pro"))
    view(ev.SpeechToken(2, "pro", "Closing words "))
    view(ev.RoundScored(RoundScore(judge="sim/judge", round=1, pro=7, con=6, reason="clearer")))
    view(ev.SpeechToken(2, "pro", "for the motion."))
    view(ev.SpeechFinished(speech("Closing words for the motion.", index=2, side="pro")))
    lines = printed(console).splitlines()
    header = next(i for i, line in enumerate(lines) if "Proposition closing · sim/pro" in line)
    score = next(i for i, line in enumerate(lines) if line.startswith("Round 1"))
    assert score < header
    assert lines[header + 1] == "Closing words for the motion."


def test_on_a_terminal_the_stream_is_live_and_taken_down():
    console = Console(file=io.StringIO(), width=80, height=24, force_terminal=True)
    view = DebatePrinter(console, stream=True)
    view(ev.SpeechStarted(0, "pro", "Proposition opening", 60, "model:sim/pro"))
    view(ev.SpeechToken(0, "pro", "word " * 500))  # longer than the screen: only its tail is live
    assert view._live is not None
    view(ev.SpeechFinished(speech("word " * 60, index=0, side="pro")))
    assert view._live is None


async def test_a_debate_with_a_copied_speech_prints_only_the_kept_attempt(parrot_gateway):
    console = plain_console(width=100_000)  # a speech is one line: easy to count
    parrot = parrot_gateway  # the opposition streams a copy of the proposition's speech the first time
    record = await run_debate(setup_for(parrot), parrot, DebatePrinter(console, stream=True))
    out = printed(console)
    assert record.status == "finished"
    first = record.speeches[0].text
    assert out.count(first.split("\n")[0]) == 1  # the copy is not printed a second time
    for s in record.speeches:
        assert s.text.split("\n")[0] in out


def test_an_echoed_delimiter_never_shows_while_the_speech_streams():
    # SmolLM2 sometimes starts by copying the transcript's delimiter line; the kept speech
    # loses it (clean_speech), and the live view must not show it meanwhile
    from arena.debate.transcript import streaming_view
    from arena.render.debate_view import _Streaming

    assert streaming_view("<<<SPEECH-a5f0") == "" and streaming_view("<<") == ""
    assert streaming_view('<<<SPEECH-a5 side="Opposition">>>\nHomework helps.') == "Homework helps."
    assert streaming_view("a\n<<<END-a5>>>\nb") == "a\nb"
    assert streaming_view("x <<< y") == "x <<< y"  # only whole lines that begin a delimiter
    console = plain_console()
    view = DebatePrinter(console, stream=True)
    view(ev.SpeechStarted(1, "con", "Opposition opening", 60, "model:sim/con"))
    for token in ["<<<SPE", 'ECH-a5f097de4b2 side="Opposition">>>\n', "Homework helps."]:
        view(ev.SpeechToken(1, "con", token))
        console.print(_Streaming(view))
    assert "<<<" not in printed(console) and "Homework helps." in printed(console)
