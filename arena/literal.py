"""Text shown as itself: stored or user text never reaches a terminal, a TUI or an
export as escape sequences or as markup.

`literal` strips control characters (ESC, BEL, backspace, carriage return, …) but keeps
newlines and tabs; `markup_literal` also escapes rich/Textual markup, for text spliced
into a markup string. `SafeConsole` is the rich console every CLI command prints with:
it drops control characters from the text it renders (rich's own styling codes are
added later, so they survive) and prints a string whose markup does not parse as it is
rather than raising.
"""

from __future__ import annotations

import re
from typing import Any

# C0 controls but \t and \n, DEL, and C1 controls (0x80-0x9f: CSI and friends).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def literal(text: object) -> str:
    """`text` as a string without control characters (newlines and tabs kept)."""
    return _CONTROL.sub("", text if isinstance(text, str) else str(text))


def has_control(text: str) -> bool:
    return bool(_CONTROL.search(text))


def markup_literal(text: object) -> str:
    """`literal(text)` with rich markup escaped: safe inside a markup string."""
    from rich.markup import escape

    return escape(literal(text))


def scrub(value: Any) -> Any:
    """A copy of `value` (dataclasses, lists, tuples, dicts of them) with every string `literal`."""
    import dataclasses

    if isinstance(value, str):
        return literal(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: scrub(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **changes)
    if isinstance(value, list):
        return [scrub(v) for v in value]
    if isinstance(value, tuple):
        return tuple(scrub(v) for v in value)
    if isinstance(value, dict):
        return {scrub(k): scrub(v) for k, v in value.items()}
    return value


def _safe_console_class() -> type:
    from rich.console import Console
    from rich.errors import MarkupError
    from rich.segment import Segment
    from rich.text import Text

    class SafeConsole(Console):
        def render_str(self, text: str, **kwargs: Any) -> Text:
            try:
                return super().render_str(text, **kwargs)
            except MarkupError:
                return Text(literal(text))

        def _render_buffer(self, buffer: Any) -> str:  # rich's hook from segments to output text
            clean = [
                seg if seg.control or not has_control(seg.text) else Segment(literal(seg.text), seg.style)
                for seg in buffer
            ]
            from arena.redact import redact

            return redact(super()._render_buffer(clean))

    return SafeConsole


_console_class: type | None = None


def safe_console(**kwargs: Any) -> Any:
    """A rich Console (same arguments) that never prints control characters or raises on markup."""
    global _console_class
    if _console_class is None:
        _console_class = _safe_console_class()
    return _console_class(**kwargs)
