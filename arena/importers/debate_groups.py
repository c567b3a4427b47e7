"""Read group discussions in the DEBATE schema (Chuang et al., 2025: "DEBATE: A
Large-Scale Benchmark for Role-Playing LLM Agents in Multi-Agent, Long-Form Debates").

One CSV file per conversation, one row per event, with the columns

    chat_round_order, event_order, event_type, worker_id, sender_id, recipient_id,
    text, sliderValue, agreement_level, validity

(and an optional `topic`). Events are taken in (chat_round_order, event_order) order.
`event_type` is read by a guess at DEBATE's names (no real file was at hand; the
README names the mapping): anything with "opinion" in it (`Initial Opinion`, …) is a
private opinion, whose `sliderValue` must be a whole number 1-6; `tweet` (or `post`) a
public post; `message_sent` (or `message`) a direct message from `sender_id` (else
`worker_id`) to `recipient_id`; `message_received` repeats a sent one and is skipped; any
other type is not recognised: kept as "other", in no metric. Every file read counts its
event types and what each was read as, and the import reports them (`READ_AS`), the
unrecognised ones as a warning. A member's private opinions are numbered 0 (initial), 1,
2, … in order.
`agreement_level` and `validity` are kept beside each event as they are.

A file that does not fit is refused with its path and line; the other files still read.
Nothing of the DEBATE data ships with the arena: tests write their own files."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from arena.importers.records import RecordProblem, csv_header, csv_rows
from arena.literal import has_control

REQUIRED = (
    "chat_round_order",
    "event_order",
    "event_type",
    "worker_id",
    "sender_id",
    "recipient_id",
    "text",
    "sliderValue",
    "agreement_level",
    "validity",
)
MAX_TEXT = 20_000
MAX_LABEL = 80
MAX_ROWS = 100_000


@dataclass(frozen=True)
class ImportProblem:
    path: Path
    line: int | None
    message: str

    def text(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"


@dataclass(frozen=True)
class ImportedEvent:
    round: int
    kind: str  # opinion | post | message | other
    member: str
    text: str
    recipient: str | None
    slider: int | None
    extra: dict[str, str]


@dataclass
class ImportedGroup:
    source: Path
    digest: str  # sha256 of the file's bytes
    topic: str
    members: list[str] = field(default_factory=list)  # in order of first appearance
    events: list[ImportedEvent] = field(default_factory=list)
    event_types: Counter[str] = field(default_factory=Counter)  # each raw event_type, as written


class BadFile(ValueError):
    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line


def csv_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() == ".csv")


def _int(raw: str, column: str, line: int) -> int:
    try:
        value = float(raw.strip())
    except ValueError:
        raise BadFile(line, f"{column} must be a number, got {raw.strip()[:30]!r}") from None
    if value != int(value):
        raise BadFile(line, f"{column} must be a whole number, got {raw.strip()[:30]!r}")
    return int(value)


def _label(raw: str, column: str, line: int) -> str:
    label = " ".join(raw.split())
    if not label:
        raise BadFile(line, f"{column} is empty")
    if len(label) > MAX_LABEL or has_control(label):
        raise BadFile(line, f"{column} must be at most {MAX_LABEL} printable characters")
    return label


def _kind(event_type: str) -> str | None:
    t = event_type.strip().lower().replace("-", "_").replace(" ", "_")
    if "opinion" in t:
        return "opinion"
    if t in ("tweet", "post", "public_post", "tweet_sent"):
        return "post"
    if t in ("message_sent", "message", "direct_message"):
        return "message"
    if t == "message_received":
        return None
    return "other"


# What each kind (`_kind`) means in the import's report; None: skipped.
READ_AS = {
    "opinion": "private opinion",
    "post": "public post",
    "message": "direct message",
    "other": "not recognised: kept as 'other', in no metric",
    None: "skipped (repeats a message_sent)",
}


def read_as(event_type: str) -> str:
    """How the import reads an event type, in words (for its report)."""
    return READ_AS[_kind(event_type)]


def unrecognised(event_type: str) -> bool:
    return _kind(event_type) == "other"


def parse_file(path: Path, topic: str | None = None) -> ImportedGroup:
    """One conversation; raises BadFile (with the line) when it does not fit."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadFile(None, "not UTF-8 text") from None
    if not text.strip():
        raise BadFile(None, f"empty file (the DEBATE schema needs a header: {', '.join(REQUIRED)})")
    rows: list[tuple[int, int, int, dict[str, str]]] = []
    topics: set[str] = set()
    try:
        columns, reader = csv_header(text)
        missing = [c for c in REQUIRED if c not in columns]
        if missing:
            raise BadFile(1, f"missing column(s) {', '.join(missing)} (the DEBATE schema needs {', '.join(REQUIRED)})")
        for line, row in csv_rows(reader):
            if len(rows) >= MAX_ROWS:
                raise BadFile(line, f"more than {MAX_ROWS} events")
            values = {k: (v or "") for k, v in row.items()}
            rows.append(
                (
                    _int(values["chat_round_order"], "chat_round_order", line),
                    _int(values["event_order"], "event_order", line),
                    line,
                    values,
                )
            )
            if values.get("topic", "").strip():
                topics.add(" ".join(values["topic"].split()))
    except RecordProblem as bad:
        raise BadFile(bad.line, bad.what) from None
    if not rows:
        raise BadFile(None, "no events")
    if len(topics) > 1:
        raise BadFile(None, f"more than one topic in one conversation: {', '.join(sorted(topics))[:200]}")
    found_topic = topics.pop() if topics else (topic or path.stem.replace("_", " "))
    group = ImportedGroup(path, hashlib.sha256(data).hexdigest(), found_topic)
    opinions_of: dict[str, int] = {}
    for round_no, _, line, values in sorted(rows, key=lambda r: (r[0], r[1], r[2])):
        kind = _kind(values["event_type"])
        if not values["event_type"].strip():
            raise BadFile(line, "event_type is empty")
        group.event_types[" ".join(values["event_type"].split())] += 1
        if kind is None:
            continue
        body = values["text"].strip()
        if len(body) > MAX_TEXT:
            raise BadFile(line, f"text longer than {MAX_TEXT} characters")
        who = values["worker_id"] if values["worker_id"].strip() else values["sender_id"]
        if kind == "message" and values["sender_id"].strip():
            who = values["sender_id"]
        member = _label(who, "worker_id", line) if kind != "other" or who.strip() else ""
        recipient, slider, event_round = None, None, round_no
        if kind == "opinion":
            raw = values["sliderValue"].strip()
            if not raw:
                raise BadFile(line, "an opinion needs a sliderValue (1-6)")
            slider = _int(raw, "sliderValue", line)
            if not 1 <= slider <= 6:
                raise BadFile(line, f"sliderValue must be within 1-6, got {slider}")
            event_round = opinions_of.get(member, 0)
            opinions_of[member] = event_round + 1
        if kind == "message":
            recipient = _label(values["recipient_id"], "recipient_id", line)
        if member and member not in group.members:
            group.members.append(member)
        extra = {
            "event_type": values["event_type"].strip(),
            "agreement_level": values["agreement_level"].strip(),
            "validity": values["validity"].strip(),
            "line": str(line),
        }
        group.events.append(ImportedEvent(event_round, kind, member, body, recipient, slider, extra))
    if not opinions_of:
        raise BadFile(None, "no private opinions (event_type … Opinion with a sliderValue)")
    return group


def parse_dir(path: Path, topic: str | None = None) -> tuple[list[ImportedGroup], list[ImportProblem]]:
    groups, problems = [], []
    for file in csv_files(path):
        try:
            groups.append(parse_file(file, topic))
        except BadFile as bad:
            problems.append(ImportProblem(file, bad.line, str(bad)))
        except OSError as exc:
            problems.append(ImportProblem(file, None, f"cannot read ({type(exc).__name__})"))
    return groups, problems


def extra_json(event: ImportedEvent) -> str:
    return json.dumps(event.extra, ensure_ascii=False, sort_keys=True)
