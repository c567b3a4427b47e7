"""The end of a debate: who won, what it did to the ratings, and each judge's ballot."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from arena.debate.records import Ballot, DebateRecord, Verdict
from arena.tui.base import arena_app
from arena.tui.widgets.common import SIDE_NAME, SIDE_TEXT, ellipsize, signed

if TYPE_CHECKING:
    from arena.tui.data import RatingDelta

DIMENSIONS = ("argument", "evidence", "language", "clash")


def verdict_line(record: DebateRecord, verdict: Verdict, shown: Callable[[str], str] = str) -> Content:
    if verdict.winner == "tie":
        head = Content.styled("A tie", "bold")
    else:
        side = verdict.winner
        who = shown(record.pro if side == "pro" else record.con)
        head = Content.assemble((f"{SIDE_NAME[side]} wins", f"bold {SIDE_TEXT[side]}"), (f"  {who}", "$text-muted"))
    votes = f"   ballots {verdict.pro_votes}–{verdict.con_votes}"
    if verdict.void_ballots:
        votes += f" ({verdict.void_ballots} void)"
    return head + Content.styled(votes, "$text-muted")


def ballot_lines(ballots: list[Ballot], width: int = 70) -> list[Content]:
    lines = []
    for b in ballots:
        judge = b.judge + (f" #{b.repeat + 1}" if b.repeat else "") + (" (swapped)" if b.swapped else "")
        if b.void:
            lines.append(
                Content.assemble(
                    ("✗ ", "$text-error"),
                    ellipsize(judge, 28),
                    (f"  void: {ellipsize(b.error or 'no usable answer', width - 40)}", "$text-muted"),
                )
            )
            continue
        side = b.winner or "pro"
        parts: list[tuple[str, str] | str] = [
            ("● ", SIDE_TEXT[side]),
            ellipsize(judge, 28),
            "  ",
            (SIDE_NAME[side], f"bold {SIDE_TEXT[side]}"),
            f" {b.confidence}%",
        ]
        if b.self_judged:
            parts.append(("  judges its own model", "$text-warning"))
        lines.append(Content.assemble(*parts))
        dims = [d for d in DIMENSIONS if d in b.scores] + [d for d in b.scores if d not in DIMENSIONS]
        if dims:
            scores = [f"{b.scores[d].get('pro', '?')}–{b.scores[d].get('con', '?')}" for d in dims]
            line = "    " + " · ".join(f"{d} {s}" for d, s in zip(dims, scores, strict=True))
            if len(line) > width:  # narrow: the dimensions' first letters
                line = "    " + "  ".join(f"{d[:4]} {s}" for d, s in zip(dims, scores, strict=True))
            lines.append(Content.styled(line, "$text-muted"))
        if b.reasons:  # wrapped under the ballot, not back at the panel's edge
            reasons = textwrap.fill(
                ellipsize(b.reasons, 240), width=width, initial_indent="    ", subsequent_indent="    "
            )
            lines.append(Content.styled(reasons, "$text-muted italic"))
    return lines


def rating_lines(
    record: DebateRecord, changes: dict[str, RatingDelta], shown: Callable[[str], str] = str
) -> list[Content]:
    lines = []
    for side, pid in (("pro", record.pro), ("con", record.con)):
        delta = changes.get(pid)
        if delta is None:
            continue
        d_elo = delta.elo_after - delta.elo_before
        trend = "$text-success" if d_elo > 0 else "$text-error" if d_elo < 0 else "$text-muted"
        lines.append(
            Content.assemble(
                (f"{ellipsize(shown(pid), 22):<23}", f"{SIDE_TEXT[side]}"),
                f"Elo {delta.elo_before:.0f} → {delta.elo_after:.0f} ",
                (f"({signed(d_elo)})", f"bold {trend}"),
                ("  μ ", "$text-muted"),
                f"{delta.ts_mu_before:.1f}→{delta.ts_mu_after:.1f}",
            )
        )
    return lines


class VerdictPanel(Vertical):
    """Mounted the moment the debate ends; what it shows may arrive before it is mounted,
    so it keeps its three parts and draws them whenever it can."""

    DEFAULT_CSS = """
    VerdictPanel { height: auto; border: round $success; padding: 0 1; margin: 0 0 1 0; }
    VerdictPanel.-void { border: round $error; }
    VerdictPanel > Static { height: auto; }
    VerdictPanel > .ballots { margin-top: 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "Verdict"
        # Who won, then what it did to the ratings, then the ballots: at 80x24 the rating
        # changes are in view with the headline, the ballots' reasons scroll below.
        self.parts: dict[str, Content] = {
            "headline": Content.styled("The judges are deciding…", "$text-warning"),
            "ratings": Content.styled("rating changes appear when the debate is stored…", "$text-muted"),
            "ballots": Content(""),
        }

    _ready = False

    def compose(self) -> ComposeResult:
        for name, content in self.parts.items():
            yield Static(content, classes=name)

    def on_mount(self) -> None:
        self._ready = True
        self._set(**self.parts)

    def _set(self, **parts: Content) -> None:
        self.parts.update(parts)
        if self._ready:
            for name, content in parts.items():
                for static in self.query(f".{name}").results(Static):
                    static.update(content)
                    static.display = bool(content.plain)

    def show(self, record: DebateRecord, verdict: Verdict) -> None:
        width = max(40, (self.size.width or 72) - 4)
        self._set(
            headline=verdict_line(record, verdict, arena_app(self).names),
            ballots=Content("\n").join(ballot_lines(record.ballots, width)),
        )

    def show_ratings(self, record: DebateRecord, changes: dict[str, RatingDelta]) -> None:
        lines = rating_lines(record, changes, arena_app(self).names)
        if not lines:
            lines = [Content.styled("no rating change (this debate is not rated)", "$text-muted")]
        self._set(ratings=Content("\n").join(lines))

    def show_void(self, message: str) -> None:
        self.add_class("-void")
        self.border_title = "Void"
        self._set(
            headline=Content.styled("This debate is void: it counts for no one.", "bold $text-error"),
            ballots=Content.styled(message, "$text-muted"),
            ratings=Content(""),
        )
