"""The offline evidence index: SQLite FTS5 ranked by BM25, from the standard library.

A debate's index holds the motion's evidence snippets (one passage each) and, when a
folder is given, its documents split into passages of about `PASSAGE_WORDS` words
(paragraphs are kept whole where they fit; a Markdown heading becomes the title of the
passages under it). The index lives in memory: a few hundred passages build in
milliseconds, and nothing is left behind.

Queries are free text. They are reduced to their content words, stemmed by FTS5's
porter tokenizer and OR-ed, so a query never fails on punctuation or FTS syntax, and
BM25 (title weighted above body) orders the passages.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from arena.search.types import Finding

PASSAGE_WORDS = 120
MAX_FILE_BYTES = 2_000_000
MAX_FILES = 2_000
TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".rst")
# bm25() column weights, in table order: key (unindexed), title, source, text.
WEIGHTS = (0.0, 3.0, 0.5, 1.0)

_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9'-]*")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been being it its
    this that these those there their they them we our you your he she his her i me my not no nor so
    than then too very can could should would will may might must do does did done have has had about
    into over under after before between against during without within upon also just only more most
    such what which who whom whose when where why how all any both each few other some same own
    evidence need needs show shows find information about data statistics example examples case cases
    study studies source sources search query queries""".split()
)


@dataclass(frozen=True)
class Passage:
    id: str
    title: str
    source: str
    text: str
    origin: str = "docs"


def query_terms(query: str) -> list[str]:
    """The content words of a query, lower-cased, in order, without repeats."""
    seen: list[str] = []
    for token in _TOKEN.findall(query):
        word = token.lower().strip("'-")
        if len(word) < 2 or word in STOPWORDS or word in seen:
            continue
        seen.append(word)
    return seen


class EvidenceIndex:
    """Ranked retrieval over passages; implements `SearchProvider`."""

    name = "local"

    def __init__(self, passages: Iterable[Passage] = ()) -> None:
        # One connection, used from whichever thread runs the search: guarded by a lock.
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._lock = threading.Lock()
        self._db.execute(
            "CREATE VIRTUAL TABLE passage USING fts5(key UNINDEXED, title, source, text, tokenize = 'porter unicode61')"
        )
        self._meta: dict[str, Passage] = {}
        self.add(passages)

    def __len__(self) -> int:
        return len(self._meta)

    def add(self, passages: Iterable[Passage]) -> None:
        rows = []
        for p in passages:
            if p.id in self._meta or not p.text.strip():
                continue
            self._meta[p.id] = p
            rows.append((p.id, p.title, p.source, p.text))
        with self._lock:
            self._db.executemany("INSERT INTO passage (key, title, source, text) VALUES (?, ?, ?, ?)", rows)

    def lookup(self, query: str, limit: int = 3) -> list[Finding]:
        """The best `limit` passages for a free-text query (empty if nothing matches)."""
        terms = query_terms(query)
        if not terms or limit <= 0:
            return []
        match = " OR ".join(f'"{t}"' for t in terms)
        weights = ", ".join(str(w) for w in WEIGHTS)
        sql = f"SELECT key, bm25(passage, {weights}) AS rank FROM passage WHERE passage MATCH ? ORDER BY rank LIMIT ?"
        with self._lock:
            rows = self._db.execute(sql, (match, limit)).fetchall()
        found = []
        for key, rank in rows:
            p = self._meta[key]
            # FTS5's bm25() is negative, better is lower; findings say higher is better.
            found.append(Finding(p.id, p.title, p.source, p.text, round(-float(rank), 4), p.origin))
        return found

    async def search(self, query: str, limit: int = 3) -> list[Finding]:
        return self.lookup(query, limit)


# --------------------------------------------------------------------------- building


class Snippet(Protocol):
    """What a motion's evidence snippet offers (`arena.motions.Evidence` has it)."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def text(self) -> str: ...


def motion_passages(evidence: Iterable[Snippet]) -> list[Passage]:
    """The motion's snippets (`arena.motions.Evidence`, or anything with those fields)."""
    return [Passage(str(e.id), str(e.title), str(e.source), str(e.text), "motion") for e in evidence]


def build_index(evidence: Iterable[Snippet] = (), docs_dir: str | Path | None = None) -> EvidenceIndex:
    index = EvidenceIndex(motion_passages(evidence))
    if docs_dir:
        index.add(folder_passages(Path(docs_dir)))
    return index


def folder_passages(folder: Path) -> list[Passage]:
    """Every readable document under `folder`, as passages; cached until a file changes."""
    folder = folder.expanduser().resolve()
    if not folder.is_dir():
        return []
    files = sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
        and p.suffix.lower() in (*TEXT_SUFFIXES, ".pdf")
    )[:MAX_FILES]
    stamp = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    return list(_folder_passages(folder, stamp))


@lru_cache(maxsize=8)
def _folder_passages(folder: Path, stamp: tuple[tuple[str, int, int], ...]) -> tuple[Passage, ...]:
    passages: list[Passage] = []
    for name, _, size in stamp:
        path = Path(name)
        if size > MAX_FILE_BYTES:
            continue
        text = read_document(path)
        if text:
            passages += document_passages(text, path.relative_to(folder).as_posix(), path.stem)
    return tuple(passages)


def read_document(path: Path) -> str:
    if path.suffix.lower() == ".pdf":
        try:
            from pypdf import PdfReader  # optional: PDFs are read only when pypdf is installed
        except ImportError:
            return ""
        try:
            return "\n\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)
        except Exception:  # noqa: BLE001 - a broken PDF is skipped, not fatal
            return ""
    from arena.user_files import UserFileError, read_user_text

    try:  # a regular file read with a limit, even if it was swapped or grew since it was listed
        return read_user_text(path, "document", MAX_FILE_BYTES, errors="replace")
    except UserFileError:
        return ""


def document_passages(text: str, source: str, default_title: str, words: int = PASSAGE_WORDS) -> list[Passage]:
    """Split a document into passages of at most about `words` words, keeping paragraphs."""
    passages: list[Passage] = []
    title = default_title
    pending: list[str] = []

    def flush() -> None:
        if pending:
            passages.append(Passage(f"{source}#{len(passages) + 1}", title, source, " ".join(pending)))
            pending.clear()

    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.strip().splitlines() if line.strip()]
        if not lines:
            continue
        heading = _HEADING.match(lines[0])
        if heading:
            flush()
            title = heading.group(1).strip()
            lines = lines[1:]
        for piece in _pieces(" ".join(line.strip() for line in lines), words):
            if pending and len(" ".join(pending).split()) + len(piece.split()) > words:
                flush()
            pending.append(piece)
    flush()
    return passages


def _pieces(paragraph: str, words: int) -> list[str]:
    """A paragraph, or its sentences grouped, so that no piece is much over `words`."""
    if len(paragraph.split()) <= words:
        return [paragraph] if paragraph else []
    pieces: list[str] = []
    current: list[str] = []
    for sentence in _SENTENCE.split(paragraph):
        tokens = sentence.split()
        while len(tokens) > words:  # a run-on "sentence" (a table, a list) is cut by words
            pieces.append(" ".join(tokens[:words]))
            tokens = tokens[words:]
        if current and len(current) + len(tokens) > words:
            pieces.append(" ".join(current))
            current = []
        current += tokens
    if current:
        pieces.append(" ".join(current))
    return pieces
