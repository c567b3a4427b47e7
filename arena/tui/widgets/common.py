"""Names, colours and number formats the screens share, so a side or a time looks the
same everywhere. Colours are theme variables: they follow light and dark themes."""

from __future__ import annotations

import time
from typing import Any

from textual.content import Content, Span
from textual.widgets import DataTable

from arena.literal import literal

SIDE_NAME = {"pro": "Proposition", "con": "Opposition"}
SIDE_SHORT = {"pro": "Pro", "con": "Con"}
# Text colours (contrast-adjusted by the theme).
SIDE_TEXT = {"pro": "$text-primary", "con": "$text-accent"}


def side_label(side: str, short: bool = False) -> Content:
    name = (SIDE_SHORT if short else SIDE_NAME).get(side, side)
    return Content.styled(name, f"bold {SIDE_TEXT.get(side, '')}".strip())


def when(ts: float | None, with_date: bool = True) -> str:
    """An absolute local time: stable in snapshots, unambiguous in a history."""
    if not ts:
        return "—"
    return time.strftime("%Y-%m-%d %H:%M" if with_date else "%H:%M:%S", time.localtime(ts))


def clock(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    return f"{seconds // 60}:{seconds % 60:02d}"


def signed(value: float, digits: int = 0) -> str:
    text = f"{value:+.{digits}f}"
    return text.replace("-", "−")


def winner_text(winner: str | None, status: str = "finished") -> Content:
    if status == "void":
        return Content.styled("void", "$text-error")
    if status in ("running", "scheduled"):
        return Content.styled(status, "$text-warning")
    if winner == "tie":
        return Content.styled("tie", "bold")
    if winner in ("pro", "con"):
        return side_label(winner, short=True)
    return Content("—")


def ellipsize(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def motion_gist(text: str) -> str:
    """A motion where it has little room: "This house believes that X" -> "X"; "This house
    would Y" -> "would Y" (the motions' shared opening says nothing in a narrow column)."""
    for opening in ("This house believes that ", "This house believes ", "This house "):
        if text.startswith(opening):
            rest = text.removeprefix(opening)
            return rest[:1].upper() + rest[1:] if opening != "This house " else rest
    return text


def interval_bar(
    lo: float, value: float, hi: float, scale_lo: float, scale_hi: float, width: int = 14, style: str = "$text-primary"
) -> Content:
    """A rating's 95% interval on a shared scale: ╶──●──╴ placed where it lies."""
    if width < 3:
        return Content("")
    span = (scale_hi - scale_lo) or 1.0

    def pos(x: float) -> int:
        return max(0, min(width - 1, round((x - scale_lo) / span * (width - 1))))

    a, m, b = pos(lo), pos(value), pos(hi)
    cells = [" "] * width
    for i in range(a, b + 1):
        cells[i] = "─"
    cells[a] = "╶" if a < b else cells[a]
    cells[b] = "╴" if a < b else cells[b]
    cells[m] = "●"
    text = "".join(cells)
    return Content.assemble((text[:m], "$text-muted"), (text[m], f"bold {style}"), (text[m + 1 :], "$text-muted"))


def bar(fraction: float, width: int, style: str = "$primary") -> Content:
    """A horizontal bar of `fraction` (0–1) of `width` cells, in eighths."""
    fraction = max(0.0, min(1.0, fraction))
    eighths = round(fraction * width * 8)
    full, part = divmod(eighths, 8)
    text = "█" * full + ("▏▎▍▌▋▊▉"[part - 1] if part else "")
    return Content.assemble((text, style), " " * (width - len(text)))


class Cell:
    """Content for a DataTable cell: measured (so columns size to it) and rendered with the
    current theme. Muted text becomes `dim`, which reads right on any cell background."""

    def __init__(self, content: Content | str) -> None:
        if isinstance(content, str):
            content = Content(literal(content))  # stored text: no escape codes reach the terminal
        spans = [
            Span(s.start, s.end, s.style.replace("$text-muted", "dim") if isinstance(s.style, str) else s.style)
            for s in content.spans
        ]
        self.content = Content(content.plain, spans)
        self.width = content.cell_length

    def __rich_console__(self, console, options):
        from textual.style import Style

        yield from self.content.render_segments(Style(), "")

    def __rich_measure__(self, console, options):
        from rich.measure import Measurement

        return Measurement(self.width, self.width)

    def __str__(self) -> str:
        return self.content.plain


def cells(*items: Content | str) -> list[Cell]:
    return [Cell(item) for item in items]


def keyed_columns(table: DataTable[Any], columns: dict[str, str]) -> None:
    """Add columns in order, `{key: label}`: rows and sorting refer to them by key."""
    for key, label in columns.items():
        table.add_column(label, key=key)
