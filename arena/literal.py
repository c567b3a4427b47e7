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

from arena.redact import map_strings

# Whole escape sequences first (so an OSC 52 clipboard write loses its payload too, not
# only its ESC): CSI, OSC, DCS/SOS/PM/APC strings ended by BEL or ST, and their one-byte
# C1 forms; an unended one loses only its introducer (its text stays, as text, rather
# than the rest of a message going with it); then any single control left.
_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"  # CSI
    r"|(?:\x1b[\]PX^_]|[\x9d\x90\x98\x9e\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)"  # OSC, DCS, SOS, PM, APC
    r"|\x1b[ -/]*[0-~]?"  # any other escape (ESC c, ESC 7, ...)
)
# C0 controls but \t and \n, DEL, C1 controls (0x80-0x9f), the bidirectional controls
# (embeddings, overrides, isolates, marks: U+202E turns "exe.txt" around on screen), and
# unpaired surrogates (not text; no terminal or UTF-8 encoder takes them).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def literal(text: object) -> str:
    """`text` as a string safe on a terminal: no escape sequence, control character or
    bidi control (newlines and tabs kept; everything printable kept as it is)."""
    text = text if isinstance(text, str) else str(text)
    if not _CONTROL.search(text):
        return text
    # an unpaired surrogate (undecodable bytes of a file name, say) shows as U+FFFD
    return _CONTROL.sub("", _SEQUENCE.sub("", valid_unicode(text)[0]))


def has_control(text: str) -> bool:
    """Whether `text` holds anything `literal` would remove: a name with one is refused."""
    return bool(_CONTROL.search(text))


_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def valid_unicode(text: str) -> tuple[str, int]:
    """`text` with each unpaired surrogate (which no UTF-8 encoder, database or terminal
    takes) replaced by U+FFFD, and how many there were: callers at the edges (provider
    answers, files read) say so when the count is not 0."""
    found = len(_SURROGATE.findall(text))
    return (_SURROGATE.sub(REPLACEMENT, text), found) if found else (text, 0)


def valid_unicode_tree(value: Any) -> tuple[Any, int]:
    """`valid_unicode` over a parsed JSON value or a record (dict keys and values, lists,
    tuples, dataclasses): the repaired copy (the same object when nothing needed repair)
    and how many surrogates were replaced in all."""
    repaired = 0

    def repair(text: str) -> str:
        nonlocal repaired
        fixed, n = valid_unicode(text)
        repaired += n
        return fixed

    copy = map_strings(value, repair)
    return (copy if repaired else value), repaired


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def json_literal(text: str) -> str:
    """JSON text (from `json.dumps(..., ensure_ascii=False)`, which escapes C0 controls
    itself) with DEL, C1, bidi controls and surrogates written as `\\uXXXX` escapes: the
    same data for any JSON reader, nothing for a terminal to act on."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def terminal_text(message: object) -> str:
    """What the terminal may see of `message`: secrets masked, then `literal`."""
    from arena.redact import redact

    return literal(redact(message if isinstance(message, str) else str(message)))


def echo(message: object = "", *, err: bool = False, nl: bool = True) -> None:
    """The one way plain text reaches stdout or stderr (rich output goes through
    `SafeConsole`, which cleans its text the same way; `tests/test_hostile_two.py`
    holds every module to these two)."""
    import click

    click.echo(terminal_text(message), err=err, nl=nl)


def write_line(stream: Any, message: object) -> None:
    """`echo` to a given stream (a progress display's own, in tests a StringIO)."""
    stream.write(terminal_text(message) + "\n")
    stream.flush()


def markup_literal(text: object) -> str:
    """`literal(text)` with rich markup escaped: safe inside a markup string."""
    from rich.markup import escape

    return escape(literal(text))


def scrub(value: Any) -> Any:
    """A copy of `value` (dataclasses, lists, tuples, dicts of them) with every string `literal`."""
    return map_strings(value, literal)


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
