"""A person's turn: the speech editor and the private bet.

The editor shows the stage's instructions, exactly the earlier speeches this stage may
see (a blind stage sees none of the opponent's), a word counter against the limit and a
countdown of the stage's time limit. When time runs out the speech is delivered as it
stands, cut to the word limit. After each speech the person states a private bet."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Footer, Input, Markdown, Static, TextArea

from arena.debate.human import trim_to_words
from arena.debate.model_debater import SIDE_DUTY
from arena.debate.prompts import render
from arena.debate.records import SIDE_LABEL
from arena.debate.transcript import count_words
from arena.debate.turns import BetTurn, SpeechTurn
from arena.tui.base import ArenaModal
from arena.tui.screens.answers import CANCELLED
from arena.tui.widgets.common import SIDE_TEXT, clock

WARN_AT_S = 30


NOTHING_VISIBLE = "_Nothing yet: you open the debate, or this stage is blind to the other side's speech._"


def visible_blocks(turn: SpeechTurn) -> list[str]:
    """One Markdown block per speech this stage may see, in speaking order."""
    blocks = []
    for s in turn.visible:
        you = " (you)" if s.side == turn.stage.side else ""
        blocks.append(f"**{SIDE_LABEL[s.side]} {s.stage}{you}**\n\n{s.text}")
    return blocks


def visible_markdown(turn: SpeechTurn) -> str:
    return "\n\n---\n\n".join(visible_blocks(turn)) if turn.visible else NOTHING_VISIBLE


def latest_opponent(turn: SpeechTurn) -> int | None:
    """Index in `turn.visible` of the opponent's latest speech (what a speaker answers)."""
    return next((i for i in reversed(range(len(turn.visible))) if turn.visible[i].side != turn.stage.side), None)


def instructions(turn: SpeechTurn) -> Content:
    stage = turn.stage
    duty = SIDE_DUTY[stage.side].replace("You argue", "Argue")
    try:
        kind = render(f"kind_{stage.kind}")
    except Exception:
        kind = ""
    return Content("\n").join(
        [
            Content.assemble(("Motion: ", "bold"), turn.motion.text),
            Content.styled(duty, "$text-muted"),
            Content.styled(kind, "$text-muted"),
        ]
    )


class SpeechEditor(ArenaModal[object]):
    # The speeches stay in reach while the editor keeps the focus: f2 enlarges their pane
    # (and shrinks the editor to a few lines, never hiding either), ctrl+up/down scroll it.
    BINDINGS = [
        Binding("ctrl+s", "deliver", "Deliver speech", priority=True),
        Binding("ctrl+x", "cancel_debate", "Cancel debate", priority=True),
        Binding("f2", "toggle_reading", "Enlarge speeches"),
        Binding("ctrl+down", "scroll_visible(1)", "Scroll speeches", priority=True),
        Binding("ctrl+up", "scroll_visible(-1)", "Scroll up", show=False, priority=True),
    ]
    SCROLL_LINES = 3

    def __init__(self, turn: SpeechTurn) -> None:
        super().__init__(classes=f"-{turn.stage.side}")
        self.turn = turn
        self.started = 0.0
        self.warned = False
        self.delivered = False

    def compose(self) -> ComposeResult:
        stage = self.turn.stage
        with Vertical(id="editor-box"):
            yield Static(
                Content.assemble(
                    (f"Your {SIDE_LABEL[stage.side]} {stage.name}", f"bold {SIDE_TEXT[stage.side]}"),
                    (
                        f" · round {stage.round} · at most {stage.word_limit} words · {clock(stage.time_limit)}",
                        "$text-muted",
                    ),
                ),
                id="editor-title",
            )
            yield Static(instructions(self.turn), id="editor-instructions")
            with Horizontal(id="editor-body"):
                with VerticalScroll(id="editor-visible", classes="" if self.turn.visible else "-empty"):
                    if not self.turn.visible:
                        yield Markdown(NOTHING_VISIBLE)
                    blocks = visible_blocks(self.turn)
                    for i, block in enumerate(blocks):
                        yield Markdown(block + ("\n\n---" if i < len(blocks) - 1 else ""), id=f"visible-{i}")
                yield TextArea(id="editor-text", soft_wrap=True, show_line_numbers=False, tab_behavior="focus")
            with Horizontal(id="editor-status"):
                yield Static(id="editor-words")
                yield Static(id="editor-clock")
                yield Button("Deliver", variant="primary", id="deliver", compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.started = self.arena.now()
        self.query_one("#editor-visible").border_title = "What you can see"
        self.query_one("#editor-text").border_title = "Your speech"
        self.query_one("#editor-text", TextArea).focus()
        self.call_after_refresh(self._show_opponent)
        self._update_words()
        self._tick()
        self.set_interval(1.0, self._tick)

    def on_resize(self) -> None:
        self.set_class(self.size.width < 100, "-narrow")

    @property
    def remaining(self) -> float:
        return self.turn.stage.time_limit - (self.arena.now() - self.started)

    def _tick(self) -> None:
        left = self.remaining
        style = "bold $text-error" if left <= WARN_AT_S else "$text-muted"
        self.query_one("#editor-clock", Static).update(Content.styled(f"{clock(left)} left", style))
        if left <= WARN_AT_S and not self.warned:
            self.warned = True
            self.notify(
                f"{WARN_AT_S} seconds left: the speech is delivered as it stands when time is up.", severity="warning"
            )
        if left <= 0 and not self.delivered:
            text = trim_to_words(self.text, self.turn.stage.word_limit).strip()
            self._finish(text or "(No speech: the speaker ran out of time.)")

    @property
    def text(self) -> str:
        return self.query_one("#editor-text", TextArea).text

    @on(TextArea.Changed)
    def _update_words(self) -> None:
        words, limit = count_words(self.text), self.turn.stage.word_limit
        over = words > limit
        self.query_one("#editor-words", Static).update(
            Content.assemble(
                (f"{words}/{limit} words", "bold $text-error" if over else "bold"),
                ("  over the limit: trim before delivering" if over else "", "$text-error"),
            )
        )

    @on(Button.Pressed, "#deliver")
    def action_deliver(self) -> None:
        words, limit = count_words(self.text), self.turn.stage.word_limit
        if not self.text.strip():
            self.notify("Write your speech first.", severity="warning")
            return
        if words > limit:
            self.notify(f"{words} words: trim to {limit} (the stage's limit) to deliver.", severity="warning")
            return
        self._finish(self.text.strip())

    def _finish(self, text: str) -> None:
        self.delivered = True
        self.dismiss(text)

    def action_cancel_debate(self) -> None:
        self.delivered = True
        self.dismiss(CANCELLED)

    def action_toggle_reading(self) -> None:
        """Enlarge the speeches' pane to read the opponent (the editor keeps the focus and
        a few lines), or give the room back to the speech."""
        self.toggle_class("-reading")
        self.query_one("#editor-visible").border_subtitle = "f2 restores" if self.has_class("-reading") else ""
        self.call_after_refresh(self._show_opponent)

    def action_scroll_visible(self, lines: int) -> None:
        box = self.query_one("#editor-visible", VerticalScroll)
        box.scroll_relative(y=lines * self.SCROLL_LINES, animate=False)

    def _show_opponent(self) -> None:
        """Bring the opponent's latest speech to the top of the pane (the speaker's own
        earlier speech comes first in speaking order, and would fill a small pane)."""
        latest = latest_opponent(self.turn)
        if latest is not None:
            box = self.query_one("#editor-visible", VerticalScroll)
            box.scroll_to_widget(self.query_one(f"#visible-{latest}"), top=True, animate=False)


class BetForm(ArenaModal[object]):
    BINDINGS = [
        Binding("escape", "skip", "Skip bet"),
        Binding("ctrl+x", "cancel_debate", "Cancel debate", priority=True),
    ]

    def __init__(self, turn: BetTurn) -> None:
        super().__init__()
        self.turn = turn

    def compose(self) -> ComposeResult:
        stage = self.turn.stage
        with Vertical(id="bet-box"):
            yield Static(Content.styled("Your private bet", "bold $text-accent"), id="bet-title")
            yield Static(
                Content.assemble(
                    f"After your {stage.name}: how confident are you that you will win this debate? ",
                    ("0–100", "bold"),
                    "\n",
                    ("Only you and the audience see it: your opponent and the judges never do.", "$text-muted"),
                )
            )
            yield Input(placeholder="confidence of winning, 0–100", type="integer", id="bet-amount", max_length=3)
            yield Input(placeholder="why? (private, optional)", id="bet-reason")
            yield Static(id="bet-error")
            with Horizontal(id="bet-buttons"):
                yield Button("Place bet", variant="primary", id="bet-place", compact=True)
                yield Button("Skip", id="bet-skip", compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#bet-amount", Input).focus()

    def _amount(self) -> int | None:
        raw = self.query_one("#bet-amount", Input).value.strip()
        try:
            amount = int(raw)
        except ValueError:
            return None
        return amount if 0 <= amount <= 100 else None

    @on(Input.Submitted)
    @on(Button.Pressed, "#bet-place")
    def _place(self) -> None:
        amount = self._amount()
        if amount is None:
            self.query_one("#bet-error", Static).update(
                Content.styled("A whole number from 0 to 100, please (esc skips the bet).", "$text-error")
            )
            self.query_one("#bet-amount", Input).focus()
            return
        self.dismiss((amount, self.query_one("#bet-reason", Input).value.strip()))

    @on(Button.Pressed, "#bet-skip")
    def action_skip(self) -> None:
        self.dismiss((None, ""))

    def action_cancel_debate(self) -> None:
        self.dismiss(CANCELLED)
