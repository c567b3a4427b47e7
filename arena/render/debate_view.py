"""Rendering a debate's events in the terminal with rich, as they happen.

A speech is printed once, whole, when it is finished: the text the judges hear. While
it streams, a terminal shows it in a transient live area at the bottom (its last lines),
so an answer that is asked for again (it copied an earlier speech) or cut back to the
word limit never stays on screen twice or glued to the next. Lines that arrive while a
speech streams (a round's scores, a warning) print above that area, so they never land
between a speech's header and its text."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.live import Live
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from arena.debate import events as ev
from arena.debate.model_names import fitted_names, shown_name
from arena.debate.records import SIDE_LABEL, DebateRecord
from arena.debate.transcript import streaming_view
from arena.literal import markup_literal as escape
from arena.store.store import RatingDelta

SIDE_STYLE = {"pro": "bold cyan", "con": "bold magenta"}


def speech_header(event: ev.SpeechStarted, names: dict[str, str] | None = None) -> Rule:
    who = shown_name(event.participant, names)
    return Rule(Text(f"{event.stage} · {who}", style=SIDE_STYLE[event.side]))


class _Streaming:
    """The live area: the speech's header and the last lines streamed so far."""

    def __init__(self, view: DebatePrinter) -> None:
        self.view = view

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        started = self.view.current
        if started is None:
            return
        text = Text(streaming_view("".join(self.view.streamed)))
        lines = list(text.wrap(console, options.max_width))
        room = max(1, console.size.height - 3)
        yield speech_header(started, self.view.names)
        if len(lines) > room:
            yield Text(f"… {len(lines) - room} lines above", style="dim")
            lines = lines[-(room - 1) :] if room > 1 else lines[-1:]
        yield Text("\n").join(lines)


class DebatePrinter:
    """A listener that prints the debate as it unfolds (stream=True shows tokens live on a
    terminal; the finished speech is printed once either way)."""

    def __init__(
        self,
        console: Console,
        stream: bool = True,
        warnings: Console | None = None,
        names: dict[str, str] | None = None,
    ) -> None:
        self.console = console
        self.names = names or {}  # participant id -> arena.toml name
        self.warnings = warnings or console  # the CLI sends them to stderr
        self.stream = stream and console.is_terminal
        self.word_limit = 0
        self.current: ev.SpeechStarted | None = None
        self.streamed: list[str] = []
        self._live: Live | None = None

    def __call__(self, event: ev.Event) -> None:
        c = self.console
        match event:
            case ev.DebateStarted(record=r):
                c.print(
                    Panel(
                        Text(r.motion.text, style="bold"),
                        title=f"[b]{escape(r.motion.category)}[/] · {escape(r.format)}",
                        subtitle=escape(
                            "{} (Proposition) vs {} (Opposition)".format(
                                *fitted_names([shown_name(r.pro, self.names), shown_name(r.con, self.names)], 24)
                            )
                        ),
                    )
                )
            case ev.SpeechStarted():
                self._stop_live()
                self.word_limit = event.word_limit
                self.current = event
                self.streamed = []
                if self.stream:
                    self._live = Live(
                        _Streaming(self), console=c, transient=True, refresh_per_second=8, vertical_overflow="crop"
                    )
                    self._live.start()
            case ev.SpeechToken(text=text):
                self.streamed.append(text)
            case ev.SpeechFinished(speech=s):
                self._stop_live()
                if self.current is not None:
                    c.print(speech_header(self.current, self.names))
                c.print(s.text, highlight=False, markup=False)
                over = " [red](over the limit)[/]" if s.words > self.word_limit else ""
                if self.streamed and "".join(self.streamed).strip() != s.text.strip():
                    over += (
                        " [yellow](the speech as kept: the model was asked again or cut back to the word "
                        "limit; the judges hear only this)[/]"
                    )
                c.print(f"[dim]{s.words}/{self.word_limit} words · {s.tokens_out} tokens · {s.latency_s:.1f}s[/]{over}")
                self.current = None
                self.streamed = []
            case ev.BetPlaced(bet=b):
                amount = "missing" if b.amount is None else f"{b.amount}%"
                c.print(f"[dim]{SIDE_LABEL[b.side]}'s private bet on winning: {amount}[/]")
            case ev.RoundScored(score=s):
                c.print(
                    f"[yellow]Round {s.round}[/] · judge {escape(s.judge)}: Proposition {s.pro} – Opposition {s.con}"
                    f" [dim]· {escape(s.reason)}[/]"
                )
            case ev.BallotCast(ballot=b):
                if b.winner is None:  # a void ballot
                    c.print(f"[red]Ballot of {escape(b.judge)} is void: {escape(b.error)}[/]")
                else:
                    marks = (" [dim](swapped order)[/]" if b.swapped else "") + (
                        " [dim](judge is also a debater)[/]" if b.self_judged else ""
                    )
                    c.print(
                        f"Ballot · {escape(b.judge)}: [b]{SIDE_LABEL[b.winner]}[/] ({b.confidence}% confident){marks}"
                    )
            case ev.DebateWarning(message=m):
                self.warnings.print(f"[yellow]warning:[/] {escape(m)}")
            case ev.DebateError(message=m):
                self._stop_live()
                c.print(f"[red]The debate is void:[/] {escape(m)}")
            case ev.DebateFinished():
                self._stop_live()
            case _:
                pass

    def close(self) -> None:
        """Take the live area down (an interrupted debate leaves none behind)."""
        self._stop_live()

    def _stop_live(self) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None


def verdict_panel(record: DebateRecord, changes: dict[str, RatingDelta], names: dict[str, str] | None = None) -> Panel:
    """The verdict and each side's rating change; `names` shows participants by their
    arena.toml names instead of their ids."""
    verdict = record.verdict
    if verdict is None:
        return Panel(f"[red]void[/]: {escape(record.error)}", title="Verdict")
    if verdict.winner == "tie":
        headline = "[b]A tie[/]"
    else:
        winner_id = record.pro if verdict.winner == "pro" else record.con
        headline = f"[b]{SIDE_LABEL[verdict.winner]} wins[/] ({escape(shown_name(winner_id, names))})"
    headline += f" · ballots {verdict.pro_votes}–{verdict.con_votes}"
    body = Table.grid(padding=(0, 2))
    # 33 characters fit beside the ratings at 80 columns; where two set-ups would then read
    # alike, the part that tells them apart is kept (fitted_names)
    fitted = dict(zip(changes, fitted_names([shown_name(pid, names) for pid in changes], 33)))
    for pid, d in changes.items():
        body.add_row(
            escape(fitted[pid]),
            f"Elo {d.elo_before:.0f} → {d.elo_after:.0f} ({d.elo_after - d.elo_before:+.0f})",
            f"TS μ {d.ts_mu_before:.2f} → {d.ts_mu_after:.2f}",
        )
    # Notes span the panel's width instead of wrapping inside the grid's first column.
    notes = []
    if record.broke_after_round is not None:
        notes.append(f"[dim]Adaptive break: the judges called it decided after round {record.broke_after_round}.[/]")
    if record.pro == record.con:
        notes.append("[dim]The same participant on both sides: not rated.[/]")
    return Panel(Group(headline, body, *notes), title="Verdict")
