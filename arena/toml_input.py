"""A TOML document a user wrote (arena.toml, motion files, format and team files), parsed
with its nesting bounded.

`tomllib` recurses once per level of nested arrays or inline tables: some 3,000 levels
end in a RecursionError (an "internal error"), and a few hundred parse but then exhaust
the stack of whatever walks the result. No arena file needs more than a handful of
levels, so a document nested deeper than MAX_NESTING is a mistake of the file's, said
as a `TOMLDecodeError` naming the line where it goes too deep: every reader already
reports those with its file name, as a usage error."""

from __future__ import annotations

import tomllib
from typing import Any

MAX_NESTING = 32  # arrays and tables inside one another; arena's files use at most four


class TooDeeplyNested(tomllib.TOMLDecodeError):
    """A document nested more than MAX_NESTING levels deep."""

    def __init__(self, line: int) -> None:
        # ValueError's constructor: TOMLDecodeError's own wants the document and a position.
        ValueError.__init__(
            self,
            f"nested more than {MAX_NESTING} levels deep (arrays or tables inside one another) (at line {line}, column 1)",
        )
        self.lineno = line
        self.msg = f"nested more than {MAX_NESTING} levels deep (arrays or tables inside one another)"


def loads(text: str) -> dict[str, Any]:
    """`tomllib.loads`, refusing a document nested more than MAX_NESTING levels deep."""
    try:
        data = tomllib.loads(text)
    except RecursionError:
        raise TooDeeplyNested(_deep_line(text)) from None
    if _depth(data) > MAX_NESTING:
        raise TooDeeplyNested(_deep_line(text))
    return data


def _depth(value: object) -> int:
    """The nesting depth of parsed TOML (a table of scalars is 1), without recursion."""
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, depth)
        if deepest > MAX_NESTING:
            return deepest
        stack.extend((child, depth + 1) for child in children)
    return deepest


def _deep_line(text: str) -> int:
    """The line where brackets first open more than MAX_NESTING deep (strings and comments
    aside, roughly); 1 if none does (the depth came from dotted keys or table headers)."""
    depth, quote = 0, ""
    for number, line in enumerate(text.splitlines(), start=1):
        for char in line:
            if quote:
                if char == quote:
                    quote = ""
            elif char in "\"'":
                quote = char
            elif char == "#":
                break
            elif char in "[{":
                depth += 1
                if depth > MAX_NESTING:
                    return number
            elif char in "]}":
                depth = max(0, depth - 1)
    return 1
