"""Read a pairwise-preference file (arena judges bench): two responses to one prompt and
which is better, in one of four shapes, told apart by the first record's fields:

- LLMBar: `input`, `output_1`, `output_2`, `label` 1 or 2 (LLMBar ships JSON arrays);
- JudgeBench: `question`, `response_A`, `response_B`, `label` "A>B" or "B>A";
- MT-Bench human judgments: `conversation_a`, `conversation_b` (lists of {role, content}),
  `winner` "model_a" or "model_b", optional `turn`. The prompt is the user turns, each
  response the assistant turns of its conversation; a judgment of turn k keeps turns 1..k,
  and several turns are shown numbered ("Turn 1: …"), the prompt's and each response's;
- plain: `prompt`, `a`, `b`, `winner` "a" or "b", or "tie" / "tie (bothbad)" (skipped)
  (JSONL, a JSON array, or CSV with those columns).

A JSON array or JSON Lines (one object a line), whatever the suffix; `.csv` is read as
CSV. Records whose label names no better response (a tie, "tie (bothbad)", "A=B", any
other JudgeBench or MT-Bench label) are skipped and counted by label. A record that does
not fit is refused with the file, its line and record number and what was expected
(`BadPairFile`, a usage problem: exit 2). The file is read through `user_files` (bounded)."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from arena.audit.bench import SHAPE_NAMES, PairItem
from arena.errors import UsageProblem
from arena.importers.records import RecordProblem, csv_header, csv_rows, json_records
from arena.schemas import problems
from arena.user_files import MIB, read_user_bytes

MAX_PAIR_FILE_BYTES = 64 * MIB  # MT-Bench's human judgments are ~15 MB as JSON
MAX_RECORDS = 100_000
MAX_TEXT = 200_000  # characters of one prompt or response
Shape = Literal["llmbar", "judgebench", "mtbench", "plain"]
# The fields that tell each shape, in the order tried, and what the error message lists.
SHAPE_FIELDS: dict[str, tuple[str, ...]] = {
    "llmbar": ("input", "output_1", "output_2", "label"),
    "judgebench": ("question", "response_A", "response_B", "label"),
    "mtbench": ("conversation_a", "conversation_b", "winner"),
    "plain": ("prompt", "a", "b", "winner"),
}

Text = Annotated[str, Field(min_length=1, max_length=MAX_TEXT)]


class _Record(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True, allow_inf_nan=False)


class LLMBarRecord(_Record):
    input: Text
    output_1: Text
    output_2: Text
    label: Literal[1, 2]


class JudgeBenchRecord(_Record):
    question: Text
    response_A: Text  # noqa: N815 - JudgeBench's field names
    response_B: Text  # noqa: N815
    label: Annotated[str, Field(max_length=40)]


class ChatMessage(_Record):
    role: Literal["user", "assistant", "system"]
    content: Annotated[str, Field(max_length=MAX_TEXT)]


class MTBenchRecord(_Record):
    conversation_a: Annotated[list[ChatMessage], Field(min_length=2, max_length=200)]
    conversation_b: Annotated[list[ChatMessage], Field(min_length=2, max_length=200)]
    winner: Annotated[str, Field(max_length=40)]
    turn: Annotated[int, Field(ge=1, le=100)] | None = None


class PlainRecord(_Record):
    prompt: Text
    a: Text
    b: Text
    winner: Literal["a", "b", "tie", "tie (bothbad)"]  # a tie is skipped and counted, as in the other shapes


SCHEMAS: dict[str, type[_Record]] = {
    "llmbar": LLMBarRecord,
    "judgebench": JudgeBenchRecord,
    "mtbench": MTBenchRecord,
    "plain": PlainRecord,
}


class BadPairFile(UsageProblem):
    pass


@dataclass
class PairFile:
    """What a file held: its items with a decisive label, and the records skipped."""

    name: str
    sha256: str
    shape: str
    records: int
    items: list[PairItem]
    skipped: Counter[str] = field(default_factory=Counter)  # label -> records skipped

    def skipped_text(self) -> str:
        return ", ".join(f"{n} labelled {label!r}" for label, n in sorted(self.skipped.items()))


@dataclass(frozen=True)
class _Raw:
    value: Any
    line: int
    number: int  # record number, 1-based


def detect_shape(record: dict[str, Any]) -> str | None:
    for shape, fields in SHAPE_FIELDS.items():
        if all(f in record for f in fields[:3]):
            return shape
    return None


def _expected() -> str:
    return "; ".join(f"{SHAPE_NAMES[s]} ({', '.join(f)})" for s, f in SHAPE_FIELDS.items())


def _where(path: Path, raw: _Raw) -> str:
    return f"{path}:{raw.line}: record {raw.number}"


def _records(path: Path, text: str) -> list[_Raw]:
    """The file's records: CSV for a .csv file, else one JSON array or JSON Lines."""
    try:
        if path.suffix.lower() == ".csv":
            columns, reader = csv_header(text)
            if not all(c in columns for c in SHAPE_FIELDS["plain"]):
                got = ", ".join(columns) or "none"
                raise BadPairFile(
                    f"{path}:1: a CSV needs the columns prompt, a, b, winner, separated by commas; got {got}"
                )
            rows: Iterator[tuple[int, Any]] = csv_rows(reader)
        else:
            rows = json_records(text)
        out: list[_Raw] = []
        for line, value in rows:
            out.append(_Raw(value, line, len(out) + 1))
            if len(out) > MAX_RECORDS:
                raise BadPairFile(f"{path}:{line}: more than {MAX_RECORDS} records")
        return out
    except RecordProblem as bad:
        hint = ""
        if bad.what.startswith("not JSON (") and not text.lstrip().startswith("[") and path.suffix.lower() != ".csv":
            hint = "; expected one JSON object a line, or a JSON array" + (
                " (a file named .csv is read as CSV)" if bad.line == 1 else ""
            )
        raise BadPairFile(f"{path}:{bad.line}: {bad.what}{hint}") from None


def _turns(messages: list[ChatMessage], role: str) -> list[str]:
    return [m.content for m in messages if m.role == role]


def _numbered(texts: list[str]) -> str:
    if len(texts) == 1:
        return texts[0]
    return "\n\n".join(f"Turn {i}: {t}" for i, t in enumerate(texts, start=1))


def _item(shape: str, record: _Record, raw: _Raw, where: str) -> tuple[PairItem | None, str]:
    """The item, or None and the label that made it skipped."""
    at = (raw.number, raw.line)
    if isinstance(record, LLMBarRecord):
        return PairItem(record.input, record.output_1, record.output_2, "a" if record.label == 1 else "b", *at), ""
    if isinstance(record, PlainRecord):
        if record.winner not in ("a", "b"):
            return None, record.winner
        return PairItem(record.prompt, record.a, record.b, record.winner, *at), ""
    if isinstance(record, JudgeBenchRecord):
        gold = {"A>B": "a", "B>A": "b"}.get(record.label.strip())
        if gold is None:
            return None, record.label.strip()
        return PairItem(record.question, record.response_A, record.response_B, gold, *at), ""
    assert isinstance(record, MTBenchRecord)
    gold = {"model_a": "a", "model_b": "b"}.get(record.winner.strip())
    asked_a, asked_b = _turns(record.conversation_a, "user"), _turns(record.conversation_b, "user")
    said_a, said_b = _turns(record.conversation_a, "assistant"), _turns(record.conversation_b, "assistant")
    if [" ".join(t.split()) for t in asked_a] != [" ".join(t.split()) for t in asked_b]:
        raise BadPairFile(f"{where}: conversation_a and conversation_b ask different user turns")
    turns = record.turn or len(asked_a)
    if not asked_a or len(asked_a) < turns or len(said_a) < turns or len(said_b) < turns:
        raise BadPairFile(
            f"{where}: expected {turns} user and assistant turn(s) in each conversation"
            f"{f' (turn is {record.turn})' if record.turn else ''}, got {len(asked_a)} user, "
            f"{len(said_a)} and {len(said_b)} assistant"
        )
    if gold is None:
        return None, record.winner.strip()
    prompt = _numbered(asked_a[:turns])
    return PairItem(prompt, _numbered(said_a[:turns]), _numbered(said_b[:turns]), gold, *at), ""


def parse_pair_file(path: Path | str) -> PairFile:
    """Every item of the file; raises BadPairFile (file, line, record and what was expected)."""
    path = Path(path)
    data = read_user_bytes(path, "pairwise-preference file", MAX_PAIR_FILE_BYTES)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadPairFile(f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    if not text.strip():
        raise BadPairFile(f"{path}: empty; expected records of one of these shapes: {_expected()}")
    raws = _records(path, text)
    if not raws:
        raise BadPairFile(f"{path}: no records; expected records of one of these shapes: {_expected()}")
    first = raws[0]
    if not isinstance(first.value, dict):
        raise BadPairFile(f"{_where(path, first)}: expected a JSON object, got {type(first.value).__name__}")
    shape = detect_shape(first.value)
    if shape is None:
        fields = ", ".join(list(first.value)[:8]) or "none"
        raise BadPairFile(f"{_where(path, first)}: fits no known shape (fields {fields}); expected {_expected()}")
    schema = SCHEMAS[shape]
    items: list[PairItem] = []
    skipped: Counter[str] = Counter()
    for raw in raws:
        where = _where(path, raw)
        if not isinstance(raw.value, dict):
            raise BadPairFile(f"{where}: expected a JSON object, got {type(raw.value).__name__}")
        try:
            record = schema.model_validate(raw.value)
        except ValidationError as exc:
            lines = problems(exc, where)
            more = f" (and {len(lines) - 1} more)" if len(lines) > 1 else ""
            raise BadPairFile(
                f"{lines[0]}{more}; a {SHAPE_NAMES[shape]} record needs {', '.join(SHAPE_FIELDS[shape])}"
            ) from None
        item, label = _item(shape, record, raw, where)
        if item is None:
            skipped[label] += 1
        else:
            items.append(item)
    if not items:
        raise BadPairFile(f"{path}: no record names a better response (skipped: {dict(skipped)})")
    return PairFile(path.name, hashlib.sha256(data).hexdigest(), shape, len(raws), items, skipped)
