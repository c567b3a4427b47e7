"""Read QA items (arena import qa): JSONL or CSV, one question per line or row.

Fields: `question`; `answer` (the official answer); optional `options` (the choices: a
list in JSONL; in CSV a JSON list or choices separated by `|`); optional `category`.
With options, `answer` may be the option's text, its letter (A, B, …) or its 0-based
index (in that order of precedence: an option reading "4" is that option); MMLU-Pro's own fields are accepted as they are (`options`, `answer` as a letter,
`answer_index`, `category`, `question_id`, …; the others are ignored). A file with a line
that does not fit is refused whole, with its path and line."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from arena.importers.records import RecordProblem, csv_header, csv_rows, json_lines
from arena.literal import has_control

if TYPE_CHECKING:
    from arena.store.store import Store

MAX_QUESTION = 8_000
MAX_OPTION = 1_000
MAX_OPTIONS = 26
MAX_ITEMS = 100_000
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
FIELDS = ("question", "options", "answer", "answer_index", "category")
MMLU_PRO_EXTRAS = ("question_id", "cot_content", "src")  # read past without a word


@dataclass(frozen=True)
class QAEntry:
    question: str
    options: tuple[str, ...]
    answer: str
    answer_index: int | None
    category: str
    line: int

    def digest(self, collection: str) -> str:
        key = json.dumps([collection, self.question, list(self.options), self.answer], ensure_ascii=False)
        return "qa-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


class BadQAFile(ValueError):
    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line

    def text(self, path: Path) -> str:
        return f"{path}:{self.line}: {self}" if self.line else f"{path}: {self}"


def _text(value: Any, field: str, line: int, limit: int, required: bool = True) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise BadQAFile(line, f"{field} is missing or empty")
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise BadQAFile(line, f"{field} must be text, got {type(value).__name__}")
    text = " ".join(str(value).split()) if field != "question" else str(value).strip()
    if len(text) > limit:
        raise BadQAFile(line, f"{field} longer than {limit} characters")
    if has_control(text.replace("\n", " ").replace("\t", " ")):
        raise BadQAFile(line, f"{field} holds control characters")
    return text


def _options(value: Any, line: int) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        raw = value.strip()
        if raw.startswith("["):
            try:
                value = json.loads(raw)
            except (json.JSONDecodeError, RecursionError):
                raise BadQAFile(line, "options: not a JSON list") from None
        else:
            value = [v for v in raw.split("|")]
    if not isinstance(value, list):
        raise BadQAFile(line, f"options must be a list, got {type(value).__name__}")
    options = tuple(_text(v, "an option", line, MAX_OPTION) for v in value)
    if len(options) == 1 or len(options) > MAX_OPTIONS:
        raise BadQAFile(line, f"options: between 2 and {MAX_OPTIONS} choices, got {len(options)}")
    if len(set(options)) != len(options):
        raise BadQAFile(line, "options: the same choice twice")
    return options


def _index(value: Any, options: tuple[str, ...], line: int, field: str) -> int:
    if isinstance(value, bool):
        raise BadQAFile(line, f"{field} must be an option's index, letter or text")
    if isinstance(value, str) and " ".join(value.split()) in options:  # the text first: an option may be "4"
        return options.index(" ".join(value.split()))
    if isinstance(value, int | float) or (isinstance(value, str) and value.strip().isdigit()):
        index = int(value)
        if float(value) != index or not 0 <= index < len(options):
            raise BadQAFile(line, f"{field} {value!r} is not an option's index (0-{len(options) - 1})")
        return index
    text = str(value).strip()
    if text in options:
        return options.index(text)
    letter = text.strip("()").upper()
    if len(letter) == 1 and letter in LETTERS[: len(options)]:
        return LETTERS.index(letter)
    raise BadQAFile(
        line, f"{field} {text[:40]!r} is neither one of the options, nor a letter A-{LETTERS[len(options) - 1]}"
    )


def entry(raw: dict[str, Any], line: int) -> QAEntry:
    question = _text(raw.get("question"), "question", line, MAX_QUESTION)
    options = _options(raw.get("options"), line)
    category = _text(raw.get("category"), "category", line, 200, required=False)
    has_answer = raw.get("answer") not in (None, "")
    has_index = raw.get("answer_index") not in (None, "")
    if not has_answer and not has_index:
        raise BadQAFile(line, "answer is missing or empty")
    if not options:
        return QAEntry(question, (), _text(raw.get("answer"), "answer", line, MAX_OPTION), None, category, line)
    index = _index(raw["answer_index"], options, line, "answer_index") if has_index else None
    if has_answer:
        by_answer = _index(raw["answer"], options, line, "answer")
        if index is not None and by_answer != index:
            raise BadQAFile(line, f"answer {raw['answer']!r} and answer_index {raw['answer_index']!r} disagree")
        index = by_answer
    assert index is not None
    return QAEntry(question, options, options[index], index, category, line)


def parse_qa_file(path: Path, ignored: set[str] | None = None) -> list[QAEntry]:
    """Every item of a file; raises BadQAFile (with the line) when one does not fit. The
    fields read past (neither ours nor MMLU-Pro's) are added to `ignored`: a typo there
    ("opts") would otherwise turn multiple-choice items into open ones unnoticed."""
    seen: set[str] = set()
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadQAFile(None, "not UTF-8 text") from None
    entries: list[QAEntry] = []
    try:
        if path.suffix.lower() == ".csv":
            columns, reader = csv_header(text)
            if "question" not in columns or ("answer" not in columns and "answer_index" not in columns):
                raise BadQAFile(1, "a QA CSV needs the columns question and answer (options and category optional)")
            seen.update(columns)
            entries = [entry(dict(row), line) for line, row in csv_rows(reader)]
        else:
            for line, raw in json_lines(text):
                if not isinstance(raw, dict):
                    raise BadQAFile(line, f"expected a JSON object, got {type(raw).__name__}")
                seen.update(str(key) for key in raw)
                entries.append(entry(raw, line))
    except RecordProblem as bad:
        hint = "" if path.suffix.lower() == ".csv" else "; expected one JSON object a line"
        raise BadQAFile(bad.line, bad.what + hint) from None
    if len(entries) > MAX_ITEMS:  # CSV files too
        raise BadQAFile(None, f"more than {MAX_ITEMS} items")
    if not entries:
        raise BadQAFile(None, "no items")
    if ignored is not None:
        ignored.update(seen - set(FIELDS) - set(MMLU_PRO_EXTRAS) - {""})
    return entries


@dataclass(frozen=True)
class QAImport:
    collection: str
    items: int  # read from the file
    imported: int  # new in the store
    ignored: tuple[str, ...] = ()  # fields read past (neither ours nor MMLU-Pro's)

    def as_dict(self) -> dict[str, object]:
        return {
            "collection": self.collection,
            "items": self.items,
            "imported": self.imported,
            "ignored_fields": list(self.ignored),
        }


def import_qa_file(store: Store, path: Path, collection: str) -> QAImport:
    """Read the file (whole, or nothing: raises BadQAFile) and store the new items."""
    import time

    from arena.store.qa_store import add_items
    from arena.store.qa_tables import QAItem

    ignored: set[str] = set()
    entries = parse_qa_file(path, ignored)
    now = time.time()
    rows = [
        QAItem(
            id=e.digest(collection),
            collection=collection,
            question=e.question,
            options_json=json.dumps(list(e.options), ensure_ascii=False),
            answer=e.answer,
            answer_index=e.answer_index,
            category=e.category,
            source=f"{path.name}:{e.line}",
            position=i,
            created_at=now,
        )
        for i, e in enumerate(entries)
    ]
    return QAImport(collection, len(entries), add_items(store, rows), tuple(sorted(ignored)))
