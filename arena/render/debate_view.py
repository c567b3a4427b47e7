"""Rendering a debate's events in the terminal with rich, as they happen."""

from __future__ import annotations

from rich.markup import escape
from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from arena.debate import events as ev
from arena.debate.records import SIDE_LABEL, DebateRecord
from arena.store.store import RatingDelta

SIDE_STYLE = {"pro": "bold cyan", "con": "bold magenta"}


class DebatePrinter:
    """A listener that prints the debate as it unfolds (stream=True shows tokens live)."""

    def __init__(self, console: Console, stream: bool = True) -> None:
        self.console = console
        self.stream = stream
        self.word_limit = 0
        self.streamed: list[str] = []

    def __call__(self, event: ev.Event) -> None:
        c = self.console
        match event:
            case ev.DebateStarted(record=r):
                c.print(Panel(Text(r.motion.text, style="bold"), title=f"[b]{escape(r.motion.category)}[/] · {escape(r.format)}",
                              subtitle=escape(f"{r.pro} (Proposition) vs {r.con} (Opposition)")))
            case ev.SpeechStarted():
                self.word_limit = event.word_limit
                self.streamed = []
                c.rule(Text(f"{event.stage} · {event.participant}", style=SIDE_STYLE[event.side]))
            case ev.SpeechToken(text=text) if self.stream:
                self.streamed.append(text)
                c.out(text, end="", highlight=False)
            case ev.SpeechFinished(speech=s):
                if not self.stream:
                    c.print(s.text, highlight=False)
                over = " [red](over the limit)[/]" if s.words > self.word_limit else ""
                if self.stream and "".join(self.streamed).strip() != s.text.strip():
                    over += " [yellow](cut back to the word limit: the judges hear only this much)[/]"
                c.print(f"\n[dim]{s.words}/{self.word_limit} words · {s.tokens_out} tokens · {s.latency_s:.1f}s[/]{over}")
            case ev.BetPlaced(bet=b):
                amount = "missing" if b.amount is None else f"{b.amount}%"
                c.print(f"[dim]{SIDE_LABEL[b.side]}'s private bet on winning: {amount}[/]")
            case ev.RoundScored(score=s):
                c.print(f"[yellow]Round {s.round}[/] · judge {escape(s.judge)}: Proposition {s.pro} – Opposition {s.con}"
                        f" [dim]{escape(s.reason)}[/]")
            case ev.BallotCast(ballot=b):
                if b.winner is None:  # a void ballot
                    c.print(f"[red]Ballot of {escape(b.judge)} is void: {escape(b.error)}[/]")
                else:
                    marks = (" [dim](swapped order)[/]" if b.swapped else "") + (
                        " [dim](judge is also a debater)[/]" if b.self_judged else "")
                    c.print(f"Ballot · {escape(b.judge)}: [b]{SIDE_LABEL[b.winner]}[/] ({b.confidence}% confident){marks}")
            case ev.DebateWarning(message=m):
                c.print(f"[yellow]warning:[/] {escape(m)}")
            case ev.DebateError(message=m):
                c.print(f"[red]The debate is void:[/] {escape(m)}")
            case _:
                pass


def verdict_panel(record: DebateRecord, changes: dict[str, RatingDelta]) -> Panel:
    verdict = record.verdict
    if verdict is None:
        return Panel(f"[red]void[/]: {escape(record.error)}", title="Verdict")
    if verdict.winner == "tie":
        headline = "[b]A tie[/]"
    else:
        winner_id = record.pro if verdict.winner == "pro" else record.con
        headline = f"[b]{SIDE_LABEL[verdict.winner]} wins[/] ({escape(winner_id)})"
    body = Table.grid(padding=(0, 2))
    body.add_row(headline, f"ballots {verdict.pro_votes}–{verdict.con_votes}")
    if record.pro == record.con:
        body.add_row("[dim]The same participant on both sides: not rated.[/]")
    for pid, d in changes.items():
        body.add_row(escape(pid), f"Elo {d.elo_before:.0f} → {d.elo_after:.0f} ({d.elo_after - d.elo_before:+.0f})",
                     f"TrueSkill μ {d.ts_mu_before:.2f} → {d.ts_mu_after:.2f}")
    return Panel(body, title="Verdict")
