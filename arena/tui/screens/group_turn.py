"""A person's turn in a group discussion: a private opinion (a sentence or two and the
1-6 slider), a public post, or an optional direct message to one member.

The form shows exactly what a model member is shown at that moment (group_run.py:
`history`, the same text), with the same instructions in plain words. ctrl+s hands the
answer in; ctrl+x cancels the whole discussion (nothing is stored). The history box
scrolls with PgUp/PgDn from any field (it opens at its end; on a small terminal the
earlier posts are above), and says so on its frame when it holds more than it shows.

Nothing typed is lost: choosing a recipient keeps the focus on the list (Tab moves on
to the text, as in any form; the slider, the last field, hands it to the button); a
letter typed on a list or on the button goes into the text box (a digit 1-6 on the
slider picks that value); Enter in the text hands it in; and a message written while
'no message' is chosen is not dropped but asked about."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Footer, Input, Select, Static, TextArea

from arena.debate.transcript import count_words
from arena.literal import literal
from arena.studies.group_run import PersonTurn
from arena.tui.base import ArenaModal
from arena.tui.screens.answers import CANCELLED

SLIDER = (
    (1, "1 strongly disagree"),
    (2, "2 disagree"),
    (3, "3 somewhat disagree"),
    (4, "4 somewhat agree"),
    (5, "5 agree"),
    (6, "6 strongly agree"),
)
NO_MESSAGE = "none"
WHAT = {"opinion": "your private opinion", "post": "your public post", "message": "a direct message (optional)"}


def instructions(turn: PersonTurn) -> str:
    """The phase's instructions, as the model members get them, without the answer tags."""
    if turn.phase == "opinion":
        return (
            f"{turn.moment}\nWhat is your own opinion on the topic now? Private: no other member will see it. "
            "Write one or two sentences, then say how much you agree with the topic (1-6)."
        )
    if turn.phase == "post":
        return (
            f"Round {turn.round} of {turn.rounds}. Write your public post for this round: every member will read it. "
            f"Say what you think about the topic and answer the others if you like, in at most {turn.word_limit} words."
        )
    return (
        f"Round {turn.round} of {turn.rounds}. You may now send one private direct message to one other member "
        f"({', '.join(turn.others)}); only they will read it, in at most {turn.word_limit} words. Or send none."
    )


class GroupTurnForm(ArenaModal[object]):
    """Hands back (text, slider) for an opinion, the text of a post, (recipient, text) or
    None for a message, or CANCELLED."""

    BINDINGS = [
        Binding("ctrl+s", "submit", "Hand in", priority=True),
        Binding("ctrl+x", "cancel_group", "Cancel discussion", priority=True),
        Binding("pageup", "seen(-1)", "Scroll what you have seen", priority=True),
        Binding("pagedown", "seen(1)", "Scroll down", show=False, priority=True),
    ]

    def __init__(self, turn: PersonTurn, name: str) -> None:
        super().__init__()
        self.turn = turn
        self.person = name

    def compose(self) -> ComposeResult:
        turn = self.turn
        with Vertical(id="gt-box"):
            yield Static(
                Content.assemble(
                    (f"You ({self.person}) are member {turn.label}: {WHAT[turn.phase]}", "bold $text-accent"),
                    (
                        f" · {'before the discussion' if turn.round == 0 else f'round {turn.round} of {turn.rounds}'}"
                        f" · the others: {', '.join(turn.others)}",
                        "$text-muted",
                    ),
                ),
                id="gt-title",
            )
            yield Static(Content.assemble(("Topic: ", "bold"), literal(turn.topic)), id="gt-topic")
            with VerticalScroll(id="gt-seen", can_focus=False):
                yield Static(Content(literal(turn.history.rstrip())), id="gt-history")
            yield Static(Content.styled(instructions(turn), "$text-muted"), id="gt-instructions")
            # select_on_focus=False: coming back to the text with Tab and typing adds to it (not replaces it)
            if turn.phase == "opinion":
                yield Input(
                    placeholder="your opinion, in a sentence or two (private)", id="gt-text", select_on_focus=False
                )
                yield Select(
                    [(label, value) for value, label in SLIDER], prompt="how much you agree (1-6)", id="gt-slider"
                )
            elif turn.phase == "post":
                yield TextArea(id="gt-text", soft_wrap=True, show_line_numbers=False, tab_behavior="focus")
            else:
                choices = [(f"to {label}", label) for label in turn.others] + [("no message", NO_MESSAGE)]
                yield Select(choices, value=NO_MESSAGE, allow_blank=False, id="gt-to")
                yield Input(placeholder=_message_placeholder(NO_MESSAGE), id="gt-text", select_on_focus=False)
            with Horizontal(id="gt-status"):
                yield Static(id="gt-error")
                label = _send_label(NO_MESSAGE) if turn.phase == "message" else "Hand in"
                yield Button(label, variant="primary", id="gt-submit", compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#gt-seen").border_title = "What you have seen (exactly what the other members are shown)"
        self.query_one("#gt-seen", VerticalScroll).scroll_end(animate=False)
        self.query_one("#gt-to" if self.turn.phase == "message" else "#gt-text").focus()
        self._count()
        self.call_after_refresh(self._overflow_hint)

    def on_resize(self) -> None:
        self.call_after_refresh(self._overflow_hint)

    def _overflow_hint(self) -> None:
        seen = self.query_one("#gt-seen", VerticalScroll)
        seen.border_subtitle = "more than fits: PgUp/PgDn" if seen.max_scroll_y > 0 else ""

    def action_seen(self, direction: int) -> None:
        seen = self.query_one("#gt-seen", VerticalScroll)
        if direction < 0:
            seen.scroll_page_up(animate=False)
        else:
            seen.scroll_page_down(animate=False)

    @on(Select.Changed, "#gt-to")
    def _recipient_chosen(self, event: Select.Changed) -> None:
        """The text box and the button say whom the message goes to; the focus stays on
        the list (moving it made a habitual Tab skip the text box)."""
        to = str(event.value)
        self.query_one("#gt-text", Input).placeholder = _message_placeholder(to)
        self.query_one("#gt-submit", Button).label = _send_label(to)

    @on(Select.Changed, "#gt-slider")
    def _slider_chosen(self) -> None:
        self.query_one("#gt-submit", Button).focus()  # the last field: nothing typed can follow it

    def on_key(self, event: events.Key) -> None:
        """A character typed where no text goes (a closed list, the button) is not lost:
        it starts the text in the text box, which takes the focus; on the slider a digit
        1-6 picks that value instead. (A text box consumes its own characters first.)"""
        focused = self.focused
        if not event.is_printable or not event.character or event.character == " ":
            return  # space opens a list or presses the button
        if not isinstance(focused, (Select, Button)) or (isinstance(focused, Select) and focused.expanded):
            return
        event.stop()
        event.prevent_default()
        if isinstance(focused, Select) and focused.id == "gt-slider" and event.character in "123456":
            focused.value = int(event.character)
            return
        box = self.query_one("#gt-text")
        box.focus()
        if isinstance(box, TextArea):
            box.insert(event.character)
        elif isinstance(box, Input):
            box.insert_text_at_cursor(event.character)

    @property
    def text(self) -> str:
        widget = self.query_one("#gt-text")
        return widget.text if isinstance(widget, TextArea) else widget.value if isinstance(widget, Input) else ""

    @on(TextArea.Changed)
    @on(Input.Changed)
    def _count(self) -> None:
        if self.turn.word_limit:
            words = count_words(self.text)
            over = words > self.turn.word_limit
            self._say(f"{words}/{self.turn.word_limit} words", "$text-error" if over else "$text-muted")

    def _say(self, text: str, style: str = "$text-error") -> None:
        self.query_one("#gt-error", Static).update(Content.styled(text, style))

    @on(Input.Submitted)
    @on(Button.Pressed, "#gt-submit")
    def action_submit(self) -> None:
        text = " ".join(self.text.split())
        limit = self.turn.word_limit
        if limit and count_words(text) > limit:
            self._say(f"{count_words(text)} words: at most {limit}, please.")
            return
        if self.turn.phase == "opinion":
            slider = self.query_one("#gt-slider", Select).value
            if not text or not isinstance(slider, int):
                self._say("Write your opinion and choose how much you agree (1-6).")
                return
            self.dismiss((text, slider))
        elif self.turn.phase == "post":
            if not text:
                self._say("Write your post first: every member posts each round.")
                return
            self.dismiss(text)
        else:
            to = self.query_one("#gt-to", Select)
            if to.value == NO_MESSAGE and text:  # never drop what the person wrote
                self._say("You wrote a message but chose 'no message': choose whom it is for, or clear the text.")
                to.focus()
            elif to.value == NO_MESSAGE:
                self.dismiss(None)
            elif not text:
                self._say(f"Write the message to {to.value} in the text box, or choose 'no message'.")
                self.query_one("#gt-text", Input).focus()
            else:
                self.dismiss((str(to.value), text))

    def action_cancel_group(self) -> None:
        self.dismiss(CANCELLED)


def _message_placeholder(to: str) -> str:
    if to == NO_MESSAGE:
        return "your message: choose whom it is for above (only they read it)"
    return f"your message to {to} (only {to} reads it); Enter sends it"


def _send_label(to: str) -> str:
    return "Send no message" if to == NO_MESSAGE else f"Send to {to}"
