"""Where the debate is: each stage in order, then judging and the verdict.

Labels shrink to fit the width (full names, then initials, then dots), so the tracker
stays one line at 80 columns even for six-stage formats."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.content import Content
from textual.widget import Widget

from arena.tui.widgets.common import SIDE_SHORT, SIDE_TEXT


@dataclass(frozen=True)
class Step:
    side: str  # pro | con | "" for judging/verdict
    name: str


class StageTracker(Widget):
    DEFAULT_CSS = """
    StageTracker { height: 1; width: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.steps: list[Step] = []
        self.current = -1  # index into steps; len(steps) means all done
        self.failed = False

    def set_stages(self, stages: Sequence[tuple[str, str]]) -> None:
        self.steps = [Step(side, name) for side, name in stages] + [Step("", "judging"), Step("", "verdict")]
        self.refresh()

    def at_stage(self, index: int) -> None:
        self.current = index
        self.refresh()

    def judging(self) -> None:
        self.current = len(self.steps) - 2
        self.refresh()

    def done(self) -> None:
        self.current = len(self.steps)
        self.refresh()

    def fail(self) -> None:
        self.failed = True
        self.refresh()

    def _label(self, step: Step, tier: int) -> str:
        if not step.side:
            return step.name if tier < 2 else {"judging": "judges"}.get(step.name, step.name)
        if tier == 0:
            return f"{SIDE_SHORT[step.side]} {step.name}"
        if tier == 1:
            return f"{SIDE_SHORT[step.side][0]} {step.name}"
        return f"{SIDE_SHORT[step.side][0]}·{step.name[:4]}"

    def render(self) -> Content:
        if not self.steps:
            return Content("")
        width = self.content_size.width
        for tier, sep in ((0, " › "), (1, " › "), (2, " "), (3, " ")):
            if tier == 3:
                return self._dots()
            parts = [self._mark(i) + self._label(s, tier) for i, s in enumerate(self.steps)]
            if sum(map(len, parts)) + len(sep) * (len(parts) - 1) <= width:
                break
        pieces: list[Content] = []
        for i, (step, text) in enumerate(zip(self.steps, parts)):
            if i:
                pieces.append(Content.styled(sep, "$text-muted"))
            pieces.append(Content.styled(text, self._style(i, step)))
        return Content("").join(pieces)

    def _mark(self, i: int) -> str:
        if i < self.current:
            return "✓"
        if i == self.current:
            return "✗" if self.failed else "▶"
        return "·"

    def _style(self, i: int, step: Step) -> str:
        colour = SIDE_TEXT.get(step.side, "$text-success" if step.name == "verdict" else "$text-secondary")
        if i == self.current:
            return "bold $text-error" if self.failed else f"bold reverse {colour}"
        if i < self.current:
            return colour
        return "$text-muted"

    def _dots(self) -> Content:
        marks = []
        for i, step in enumerate(self.steps):
            marks.append(Content.styled("●" if i <= self.current else "○", self._style(i, step)))
        return Content(" ").join(marks)
