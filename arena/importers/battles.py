"""FastChat-style battle files: a JSON array or JSON Lines of objects with `model_a`,
`model_b`, `winner` ∈ {model_a, model_b, tie, tie (bothbad)} and an optional `tstamp`;
other fields are ignored. Every bad row is reported with its line; a file with any bad
row imports nothing.

Style columns, kept so that `arena leaderboard --collection NAME --control …` can
control for them (`ratings/style.py`): Chatbot Arena's `conv_metadata` counts
(`sum_assistant_a_tokens`, `header_count_a` {h1 …}, `list_count_a` {ordered, unordered},
`bold_count_a` {"**", "__"} and the same with `_b`; a dict counts as the sum of its
values), or plain per-side columns `words_a`/`words_b` (or `tokens_a`/`tokens_b`),
`header_a`, `list_a`, `bold_a`, `evidence_a` and their `_b`, `side_a` ("pro" or "con":
the side A argued) and `first_a` (true when A spoke first in the final round). Counts
must be non-negative numbers given for both sides."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from arena.importers.records import RecordProblem, json_array, json_value
from arena.literal import has_control, valid_unicode
from arena.schemas import MAX_NAME

WINNERS = {"model_a": "model_a", "model_b": "model_b", "tie": "tie", "tie (bothbad)": "tie"}


@dataclass(frozen=True)
class BattleRow:
    model_a: str
    model_b: str
    winner: str  # model_a | model_b | tie
    tstamp: float
    line: int
    style: str | None = None  # the style columns as JSON (words_a, header_b, a_side, …), or None


CONV_METADATA = {
    "sum_assistant_a_tokens": "words_a",
    "sum_assistant_b_tokens": "words_b",
    "header_count_a": "header_a",
    "header_count_b": "header_b",
    "list_count_a": "list_a",
    "list_count_b": "list_b",
    "bold_count_a": "bold_a",
    "bold_count_b": "bold_b",
}
PLAIN_COUNTS = {
    f"{key}_{s}": f"{target}_{s}"
    for key, target in (("words", "words"), ("tokens", "words"), ("header", "header"), ("list", "list"),
                        ("bold", "bold"), ("evidence", "evidence"))
    for s in ("a", "b")
}  # fmt: skip
SIDE_NAMES = {"pro": 1, "proposition": 1, "con": -1, "opposition": -1}


def _count(value: object) -> float | None:
    """A non-negative finite count, or a dict of them (summed); None if it is not one."""
    if isinstance(value, dict):
        parts = [_count(v) for v in value.values()]
        return None if any(p is None for p in parts) else float(sum(p for p in parts if p is not None))
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        return None
    return float(value)


def parse_style(value: dict[str, Any], where: str) -> tuple[str | None, list[str]]:
    """(the row's style columns as JSON or None, problems)."""
    found: dict[str, float] = {}
    problems: list[str] = []
    meta = value.get("conv_metadata")
    sources = [(meta, CONV_METADATA, "conv_metadata.")] if isinstance(meta, dict) else []
    sources.append((value, PLAIN_COUNTS, ""))
    for source, names, prefix in sources:
        for key, target in names.items():
            if key in source and source[key] is not None:
                count = _count(source[key])
                if count is None:
                    problems.append(f"{where}: {prefix}{key} must be a non-negative number (or a dict of them)")
                else:
                    found[target] = count
    for key in sorted({k[:-2] for k in found}):
        if f"{key}_a" not in found or f"{key}_b" not in found:
            problems.append(f"{where}: {key} is given for one side only; give {key}_a and {key}_b")
    side = value.get("side_a")
    if side is not None:
        if not isinstance(side, str) or side.lower() not in SIDE_NAMES:
            problems.append(f"{where}: side_a must be 'pro' or 'con', got {side!r}")
        else:
            found["a_side"] = SIDE_NAMES[side.lower()]
    first = value.get("first_a")
    if first is not None:
        if not isinstance(first, bool):
            problems.append(f"{where}: first_a must be true or false, got {first!r}")
        else:
            found["a_first"] = 1 if first else -1
    if problems or not found:
        return None, problems
    return json.dumps(found, sort_keys=True), []


class BattleFileError(ValueError):
    """Every problem of a file, one per line of the message."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _objects(text: str, path: str) -> tuple[list[tuple[int, object]], list[str]]:
    """(line, value) for each battle: the elements of an array, or each line of JSON Lines;
    and the problems (an array stops at its first syntax error, JSON Lines goes on)."""
    if text.lstrip().startswith("["):
        out: list[tuple[int, object]] = []
        try:
            out.extend(json_array(text))
        except RecordProblem as bad:
            return out, [f"{path}:{bad.line}: {bad.what}"]
        return out, []
    rows, problems = [], []
    for n, raw in enumerate(text.splitlines(), start=1):
        if raw.strip():
            try:
                rows.append((n, json_value(raw, n)))
            except RecordProblem as bad:
                problems.append(f"{path}:{n}: {bad.what}")
    return rows, problems


def parse_battles(text: str, path: str = "<battles>", warnings: list[str] | None = None) -> list[BattleRow]:
    """The battles of a file's text; any problem raises `BattleFileError` (nothing imports).
    What was changed to import (unpaired surrogates replaced) is added to `warnings`."""
    objects, problems = _objects(text, path)
    rows = []
    for index, (line, value) in enumerate(objects):
        where = f"{path}:{line}"
        if not isinstance(value, dict):
            problems.append(f"{where}: expected an object with model_a, model_b and winner")
            continue
        a, b, winner = value.get("model_a"), value.get("model_b"), value.get("winner")
        if not isinstance(a, str) or not a.strip() or not isinstance(b, str) or not b.strip():
            problems.append(f"{where}: model_a and model_b must be non-empty strings")
            continue
        (a, bad_a), (b, bad_b) = valid_unicode(a), valid_unicode(b)
        if (bad_a or bad_b) and warnings is not None:
            warnings.append(
                f"{where}: model_a or model_b held an unpaired surrogate (not valid Unicode); replaced by U+FFFD"
            )
        if has_control(a + b) or max(len(a), len(b)) > MAX_NAME:
            problems.append(
                f"{where}: model_a and model_b must be names of at most {MAX_NAME} printable "
                "characters (no control characters)"
            )
            continue
        if not isinstance(winner, str) or winner not in WINNERS:
            problems.append(f"{where}: winner must be one of {', '.join(map(repr, WINNERS))}, got {winner!r}")
            continue
        tstamp = value.get("tstamp", index)
        if (
            isinstance(tstamp, bool)
            or not isinstance(tstamp, int | float)
            or not math.isfinite(tstamp)
            or abs(tstamp) > 1e13
        ):
            problems.append(f"{where}: tstamp must be a finite number (seconds since 1970), got {tstamp!r}")
            continue
        style, bad = parse_style(value, where)
        if bad:
            problems += bad
            continue
        rows.append(BattleRow(a, b, WINNERS[winner], float(tstamp), line, style))
    if problems:
        raise BattleFileError(sorted(problems, key=_line_number))
    return rows


def _line_number(problem: str) -> int:
    head = problem.split(": ", 1)[0]
    return int(head.rsplit(":", 1)[1]) if head.rsplit(":", 1)[-1].isdigit() else 0


def read_battles(path: Path, warnings: list[str] | None = None) -> list[BattleRow]:
    """The battles of the file `path`: a regular file of at most MAX_BATTLE_FILE_BYTES
    (anything else is a `UserFileError`, a usage problem), every row checked."""
    from arena.user_files import MAX_BATTLE_FILE_BYTES, read_user_text

    text = read_user_text(path, "battle file", MAX_BATTLE_FILE_BYTES)
    rows = parse_battles(text, str(path), warnings)
    if not rows:
        raise BattleFileError([f"{path}: no battles in the file"])
    return rows
