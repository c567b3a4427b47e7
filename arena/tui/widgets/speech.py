"""One speech: a header in its side's colour, the text as Markdown (streamed), and the
words against the stage's limit.

Tokens arrive synchronously from the engine; a single pump coroutine appends them to the
Markdown widget one batch at a time, so appends never overlap and the final text (the
engine's, which is the authority after a retried stream) replaces the streamed one."""

from __future__ import annotations

import asyncio

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Collapsible, Markdown, Static

from arena.debate.records import AgentStep, Speech
from arena.debate.transcript import count_words, streaming_view
from arena.literal import literal
from arena.tui.widgets.common import SIDE_NAME, SIDE_TEXT, ellipsize

FRAME_S = 1 / 20  # at most 20 Markdown appends a second


class SpeechPanel(Vertical):
    class Grew(Message):
        """The panel's text got longer (the view may follow it)."""

    DEFAULT_CSS = """
    SpeechPanel { height: auto; margin: 0 0 1 0; padding: 0 1; border-left: outer $primary; }
    SpeechPanel.-con { border-left: outer $accent; }
    SpeechPanel > .speech-head { height: 1; }
    SpeechPanel > .speech-foot { height: 1; color: $text-muted; }
    SpeechPanel > Markdown { margin: 0; padding: 0; background: transparent; }
    SpeechPanel > Markdown MarkdownParagraph { margin: 0 0 1 0; }
    SpeechPanel > .speech-hidden { color: $text-muted; text-style: italic; }
    SpeechPanel Collapsible { margin: 0; padding: 0; border: none; background: transparent; }
    """

    def __init__(
        self,
        index: int,
        side: str,
        stage_label: str,
        participant: str,
        word_limit: int,
        *,
        concealed: bool = False,
        concealed_note: str = "",
    ) -> None:
        super().__init__(classes=f"-{side}", id=f"speech-{index}")
        self.index, self.side, self.stage_label = index, side, stage_label
        self.participant, self.word_limit = participant, word_limit
        self.text = ""  # what is shown: the stream without echoed delimiters, then the kept speech
        self._raw = ""  # the tokens as they came
        self.speech: Speech | None = None
        self.concealed = concealed
        self.concealed_note = concealed_note or "hidden from you until you have spoken"
        self._shown = ""  # what the Markdown widget holds (or is about to)
        self._pumping = False
        self._ready = False  # composed and mounted: the Markdown widget can take text
        self.stopped = False  # the debate ended before this speech did

    def compose(self) -> ComposeResult:
        yield Static(self._head(), classes="speech-head")
        yield Static(self.concealed_note if self.concealed else "", classes="speech-hidden")
        yield Markdown("")
        yield Static(self._foot(), classes="speech-foot")

    def _head(self) -> Content:
        style = f"bold {SIDE_TEXT.get(self.side, '')}"
        name = ellipsize(self.participant, 40)
        return Content.assemble(
            (f"{SIDE_NAME.get(self.side, self.side)} · {self.stage_label}", style), ("  " + name, "$text-muted")
        )

    def _foot(self) -> Content:
        words = count_words(self.text)
        over = words > self.word_limit
        parts: list[tuple[str, str] | str] = [(f"{words}/{self.word_limit} words", "$text-error" if over else "")]
        if self.speech is None and self.stopped:
            parts.append(("  stopped", "$text-error"))
        elif self.speech is None:
            parts.append(("  speaking…" if not self.concealed else "", "$text-warning"))
        else:
            s = self.speech
            if s.tokens_out:
                parts.append(f" · {s.tokens_out} tokens")
            if s.latency_s:
                parts.append(f" · {s.latency_s:.1f}s")
            if over:
                parts.append((" · over the limit", "$text-error"))
        return Content.assemble(*parts)

    # -- feeding -------------------------------------------------------------------

    def add_token(self, text: str) -> None:
        self._raw += literal(text)
        self.text = streaming_view(self._raw)
        self._refresh_foot()
        self._kick()

    def finish(self, speech: Speech) -> None:
        self.speech = speech
        self.text = literal(speech.text)
        self._refresh_foot()
        self._kick()
        self._mount_trace()

    def stop(self) -> None:
        if self.speech is None:
            self.stopped = True
            self._refresh_foot()

    def reveal(self) -> None:
        if self.concealed:
            self.concealed = False
            if self._ready:
                self.query_one(".speech-hidden", Static).update("")
            self._refresh_foot()
            self._kick()

    def _refresh_foot(self) -> None:
        if self._ready:
            self.query_one(".speech-foot", Static).update(self._foot())

    def _kick(self) -> None:
        if not self._pumping and not self.concealed and self._ready:
            self._pumping = True
            self.run_worker(self._pump(), group="speech-pump", exit_on_error=False)

    def on_mount(self) -> None:
        self._ready = True
        self._refresh_foot()
        self._mount_trace()
        self._kick()

    def _mount_trace(self) -> None:
        if self._ready and self.speech is not None and self.speech.trace and not self.query(Collapsible):
            self.mount(trace_view(self.speech.trace), before=self.query_one(".speech-foot"))

    async def _pump(self) -> None:
        markdown = self.query_one(Markdown)
        try:
            while self._shown != self.text and not self.concealed:
                target = self.text
                if target.startswith(self._shown):
                    await markdown.append(target[len(self._shown) :])
                else:  # the final text differs from the stream: start again from it
                    await markdown.update(target)
                self._shown = target
                self.post_message(self.Grew())
                if self.speech is None:
                    await asyncio.sleep(FRAME_S)
        finally:
            self._pumping = False

    @property
    def settled(self) -> bool:
        return self.concealed or (self._shown == self.text and not self._pumping)


def trace_view(trace: list[AgentStep]) -> Collapsible:
    """A team's inner work behind a speech: each role's input and output."""
    lines = []
    for step in trace:
        head = f"**{step.role}**" + (f" · {step.model}" if step.model else "")
        if step.tokens_out:
            head += f" · {step.tokens_in}→{step.tokens_out} tokens"
        body = step.output.strip() or "_(no output)_"
        quoted = "\n".join("> " + line for line in body.splitlines())
        lines.append(
            f"{head}\n\n" + (f"_{ellipsize(step.input_summary, 160)}_\n\n" if step.input_summary else "") + quoted
        )
    return Collapsible(Markdown("\n\n".join(lines)), title=f"team trace · {len(trace)} steps", collapsed=True)
