"""The motion library: curated debate motions read from ``motions/*.toml``.

Each TOML file holds ``[[motion]]`` entries. Loading validates every entry and
collects *all* problems before failing, so a curator fixing a file sees every
mistake at once, each as ``file:line: what was expected``. The loaded library is
cached per directory and invalidated when a file changes.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import os
import random as _random
import re
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from arena import toml_input
from arena.categories import CATEGORIES

# Slugs travel through CLI flags, URLs and the store; keep them boring.
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# BCP 47-ish: "en", "de", "pt-BR". Loose on purpose; it is a label, not a locale.
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")

# Control characters but newline and tab: they would reach terminals as escape codes.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

_REQUIRED = ("id", "text", "category", "info_slide")
_OPTIONAL = ("language", "tags", "source", "evidence", "truth", "truth_source")
# A motion with a known answer (motions/ground_truth.toml) names its true side. Only the
# judge audit reads it: judges and debaters never see it (MotionRef does not carry it).
TRUTHS: tuple[str, ...] = ("pro", "con")
_EVIDENCE_FIELDS = ("id", "title", "source", "text")


@dataclass(frozen=True)
class Evidence:
    """A short cited snippet the offline Searcher can hand to a debater."""

    id: str
    title: str
    source: str
    text: str


@dataclass(frozen=True)
class Motion:
    id: str
    text: str
    category: str
    info_slide: str
    language: str = "en"
    tags: tuple[str, ...] = ()
    source: str = ""
    evidence: tuple[Evidence, ...] = ()
    truth: str | None = None  # "pro" | "con": the side that is right, where it is established
    truth_source: str | None = None  # a citable reference that establishes it
    # Where the motion was defined, so later errors can point back at it.
    file: str = ""
    line: int = 0

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view (no file/line: those describe this checkout, not the motion)."""
        return {
            "id": self.id,
            "text": self.text,
            "category": self.category,
            "info_slide": self.info_slide,
            "language": self.language,
            "tags": list(self.tags),
            "source": self.source,
            "evidence": [{"id": e.id, "title": e.title, "source": e.source, "text": e.text} for e in self.evidence],
            "truth": self.truth,
            "truth_source": self.truth_source,
        }


class MotionError(Exception):
    """A motion file is wrong, or a motion asked for does not exist.

    ``problems`` keeps the individual ``file:line: ...`` messages; ``str()``
    joins them one per line.
    """

    def __init__(self, problems: str | list[str]) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))

    def __str__(self) -> str:
        return "\n".join(self.problems)


class UnknownMotionError(MotionError, KeyError):
    """``get`` of an id that is not in the library.

    Also a ``KeyError`` so mapping-style callers can catch it; ``__str__`` is
    MotionError's, because KeyError would wrap the message in quotes.
    """

    __str__ = MotionError.__str__


# --- where motions live ------------------------------------------------------


INSTALLED_MOTIONS = Path(sys.prefix) / "share" / "debate-arena" / "motions"


def motions_dir() -> Path:
    """``$ARENA_MOTIONS`` if set, else ``motions/`` at the repository root (a checkout or an
    editable install), else the copy a regular install puts under ``<prefix>/share``."""
    override = os.environ.get("ARENA_MOTIONS")
    if override:
        return Path(override).expanduser()
    checkout = Path(__file__).resolve().parent.parent / "motions"
    return checkout if checkout.is_dir() or not INSTALLED_MOTIONS.is_dir() else INSTALLED_MOTIONS


def _display(path: Path) -> str:
    # Relative paths read better in messages ("motions/value.toml:42") and are
    # clickable in most terminals; fall back to the absolute path elsewhere.
    try:
        # the folder resolved, not the file: a symlink is named, not what it points to
        return str((path.parent.resolve() / path.name).relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# --- locating lines ----------------------------------------------------------
# tomllib returns plain dicts without positions, so we find them in the text:
# the Nth ``[[motion]]`` header is the Nth entry, and a field's line is the
# first line inside that entry's block that assigns it.

_HEADER = re.compile(r"^\s*\[\[\s*motion\s*\]\]\s*(?:#.*)?$")


def _code_lines(text: str) -> list[tuple[int, str]]:
    """(line number, line) pairs outside multi-line strings, where headers may appear."""
    result: list[tuple[int, str]] = []
    open_quote: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if open_quote is None:
            result.append((number, line))
        for quote in ('"""', "'''"):
            if open_quote in (None, quote) and line.count(quote) % 2 == 1:
                open_quote = None if open_quote == quote else quote
    return result


def _header_lines(text: str) -> list[int]:
    return [number for number, line in _code_lines(text) if _HEADER.match(line)]


def _field_line(lines: list[str], start: int, end: int, pattern: str) -> int:
    """First line in [start, end) matching ``pattern``; else the entry's header line."""
    regex = re.compile(pattern)
    for number in range(start, min(end, len(lines) + 1)):
        if regex.search(lines[number - 1]):
            return number
    return start


def _key_pattern(key: str) -> str:
    return rf"^\s*[\"']?{re.escape(key)}[\"']?\s*="


def _top_level_line(lines: list[str], key: str) -> int:
    pattern = re.compile(rf"^\s*(?:\[+\s*[\"']?{re.escape(key)}\b|[\"']?{re.escape(key)}[\"']?\s*=)")
    for number, line in enumerate(lines, start=1):
        if pattern.search(line):
            return number
    return 1


# --- validating one file -----------------------------------------------------


def _did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


class _Entry:
    """Validation context for one ``[[motion]]`` table: knows how to point at its lines."""

    def __init__(self, where: str, lines: list[str], start: int, end: int, data: dict[str, Any]):
        self.where, self.lines, self.start, self.end, self.data = where, lines, start, end, data
        raw_id = data.get("id")
        self.label = f"motion '{raw_id}'" if isinstance(raw_id, str) and raw_id else "motion (no id)"
        self.problems: list[tuple[int, str]] = []

    def line_of(self, key: str) -> int:
        return _field_line(self.lines, self.start, self.end, _key_pattern(key))

    def fail(self, line: int, message: str) -> None:
        self.problems.append((line, f"{self.where}:{line}: {self.label}: {message}"))

    def string(self, key: str, *, required: bool, default: str = "") -> str:
        if key not in self.data:
            if required:
                self.fail(self.start, f"missing required field '{key}'")
            return default
        value = self.data[key]
        if not isinstance(value, str):
            self.fail(self.line_of(key), f"field '{key}' must be a string, got {type(value).__name__}")
            return default
        if required and not value.strip():
            self.fail(self.line_of(key), f"field '{key}' must not be empty")
        if _CONTROL.search(value.replace("\r\n", "\n")):
            self.fail(self.line_of(key), f"field '{key}' must not contain control characters (escape codes)")
            return default
        return value.strip()


def _evidence(entry: _Entry) -> tuple[Evidence, ...]:
    raw = entry.data.get("evidence", [])
    if not isinstance(raw, list):
        entry.fail(entry.line_of("evidence"), "field 'evidence' must be a list of tables")
        return ()
    items: list[Evidence] = []
    seen: set[str] = set()
    for index, item in enumerate(raw, start=1):
        # Point at the snippet's own line when its id is findable, else at 'evidence ='.
        ident = item.get("id") if isinstance(item, dict) else None
        line = entry.line_of("evidence")
        if isinstance(ident, str) and ident:
            line = _field_line(entry.lines, line, entry.end, rf"\bid\s*=\s*[\"']{re.escape(ident)}[\"']")
        name = f"evidence #{index}" + (f" '{ident}'" if isinstance(ident, str) and ident else "")
        if not isinstance(item, dict):
            entry.fail(line, f"{name} must be a table {{ id, title, source, text }}")
            continue
        bad = False
        for key in item:
            if key not in _EVIDENCE_FIELDS:
                entry.fail(line, f"{name}: unknown key '{key}'{_did_you_mean(key, _EVIDENCE_FIELDS)}")
                bad = True
        for key in _EVIDENCE_FIELDS:
            value = item.get(key)
            if not isinstance(value, str) or not value.strip() or _CONTROL.search(value.replace("\r\n", "\n")):
                entry.fail(line, f"{name}: field '{key}' must be a non-empty string without control characters")
                bad = True
        if isinstance(ident, str) and ident:
            if not _SLUG.match(ident):
                entry.fail(line, f"{name}: id must be a slug (lowercase letters, digits, hyphens)")
                bad = True
            elif ident in seen:
                entry.fail(line, f"{name}: duplicate evidence id within this motion")
                bad = True
            seen.add(ident)
        if not bad:
            items.append(Evidence(**{key: item[key].strip() for key in _EVIDENCE_FIELDS}))
    return tuple(items)


def _truth(entry: _Entry, category: str) -> tuple[str | None, str | None]:
    """`truth` and `truth_source` come together, on motions of fact only."""
    has_truth, has_source = "truth" in entry.data, "truth_source" in entry.data
    if not has_truth and not has_source:
        return None, None
    truth = entry.string("truth", required=False)
    source = entry.string("truth_source", required=False)
    if truth and truth not in TRUTHS:
        entry.fail(entry.line_of("truth"), f'truth \'{truth}\' must be "pro" or "con"')
    if has_truth and not source:
        entry.fail(entry.line_of("truth"), "a motion with a truth needs a truth_source (a citable reference)")
    if has_source and not truth:
        entry.fail(entry.line_of("truth_source"), 'truth_source without a truth ("pro" or "con")')
    if category and category != "fact":
        entry.fail(entry.line_of("truth"), f"only motions of fact have a truth, this one is '{category}'")
    return (truth or None), (source or None)


def _motion(entry: _Entry, file_category: str | None) -> Motion | None:
    data = entry.data
    for key in data:
        if key not in _REQUIRED + _OPTIONAL:
            entry.fail(entry.line_of(key), f"unknown key '{key}'{_did_you_mean(key, _REQUIRED + _OPTIONAL)}")

    ident = entry.string("id", required=True)
    if ident and not _SLUG.match(ident):
        entry.fail(entry.line_of("id"), f"id '{ident}' must be a slug (lowercase letters, digits, hyphens)")
    text = entry.string("text", required=True)
    info_slide = entry.string("info_slide", required=True)
    source = entry.string("source", required=False)
    language = entry.string("language", required=False, default="en") or "en"
    if not _LANGUAGE.match(language):
        entry.fail(entry.line_of("language"), f"language '{language}' must be a code like 'en' or 'pt-BR'")

    category = entry.string("category", required=True)
    if category and category not in CATEGORIES:
        entry.fail(
            entry.line_of("category"),
            f"category '{category}' must be one of {', '.join(CATEGORIES)}{_did_you_mean(category, CATEGORIES)}",
        )
    elif category and file_category and category != file_category:
        # A file named after a category promises only that category; a mismatch
        # is almost always a motion pasted into the wrong file.
        entry.fail(entry.line_of("category"), f"category '{category}' in a file for '{file_category}' motions")

    tags: tuple[str, ...] = ()
    raw_tags = data.get("tags", [])
    if not isinstance(raw_tags, list) or not all(
        isinstance(t, str) and t.strip() and not _CONTROL.search(t) for t in raw_tags
    ):
        entry.fail(entry.line_of("tags"), "field 'tags' must be a list of non-empty strings")
    else:
        tags = tuple(t.strip().lower() for t in raw_tags)

    evidence = _evidence(entry)
    truth, truth_source = _truth(entry, category)
    if entry.problems:
        return None
    return Motion(
        id=ident,
        text=text,
        category=category,
        info_slide=info_slide,
        language=language,
        tags=tags,
        source=source,
        evidence=evidence,
        truth=truth,
        truth_source=truth_source,
        file=entry.where,
        line=entry.start,
    )


def _toml_error_line(error: tomllib.TOMLDecodeError) -> tuple[int, str]:
    # Python 3.14 exposes .lineno/.msg; earlier versions only put "(at line N, column M)" in the text.
    line = getattr(error, "lineno", None)
    message = getattr(error, "msg", None) or str(error)
    found = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
    if line is None and found:
        line = int(found.group(1))
    message = re.sub(r"\s*\(at (?:line \d+, column \d+|end of document)\)", "", message)
    return (line or 1), message


@dataclass
class _FileResult:
    where: str
    motions: list[Motion]
    problems: list[tuple[int, str]]
    # Every entry's id with its line, valid or not, so duplicates are reported
    # in the same pass as the entries' other mistakes.
    ids: list[tuple[str, int]]


def _load_file(path: Path) -> _FileResult:
    where = _display(path)
    result = _FileResult(where, [], [], [])
    from arena.user_files import MAX_MOTION_FILE_BYTES, UserFileError, read_user_text

    try:
        text = read_user_text(path, "motion file", MAX_MOTION_FILE_BYTES)
    except UserFileError as error:  # not a regular file (a FIFO, a device), too large, not UTF-8
        result.problems.append((1, f"{where}:1: {str(error).removeprefix(f'{path}: ')}"))
        return result
    try:
        document = toml_input.loads(text)
    except tomllib.TOMLDecodeError as error:
        line, message = _toml_error_line(error)
        result.problems.append((line, f"{where}:{line}: invalid TOML: {message}"))
        return result

    lines = text.splitlines()
    for key in document:
        if key != "motion":
            line = _top_level_line(lines, key)
            result.problems.append(
                (
                    line,
                    f"{where}:{line}: unknown top-level key '{key}'"
                    f" (expected [[motion]] entries){_did_you_mean(key, ['motion'])}",
                )
            )
    entries = document.get("motion", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        line = _top_level_line(lines, "motion")
        result.problems.append((line, f"{where}:{line}: 'motion' must be written as [[motion]] tables"))
        return result

    headers = _header_lines(text)
    if len(headers) != len(entries):
        # Entries written some other way (e.g. motion = [{...}]); lines are then approximate.
        headers = (headers + [1] * len(entries))[: len(entries)]
    file_category = path.stem if path.stem in CATEGORIES else None
    for index, data in enumerate(entries):
        start = headers[index]
        end = headers[index + 1] if index + 1 < len(headers) and headers[index + 1] > start else len(lines) + 1
        entry = _Entry(where, lines, start, end, data)
        motion = _motion(entry, file_category)
        result.problems.extend(entry.problems)
        if isinstance(data.get("id"), str) and data["id"].strip():
            result.ids.append((data["id"].strip(), start))
        if motion is not None:
            result.motions.append(motion)
    return result


# --- the library -------------------------------------------------------------


class MotionLibrary:
    """An immutable, ordered set of motions (file order, files sorted by name)."""

    def __init__(self, motions: list[Motion] | tuple[Motion, ...]) -> None:
        self._motions: tuple[Motion, ...] = tuple(motions)
        self._by_id: dict[str, Motion] = {m.id: m for m in self._motions}

    def __len__(self) -> int:
        return len(self._motions)

    def __iter__(self) -> Iterator[Motion]:
        return iter(self._motions)

    def __contains__(self, motion_id: object) -> bool:
        return motion_id in self._by_id

    def all(self) -> list[Motion]:
        return list(self._motions)

    def get(self, motion_id: str) -> Motion:
        try:
            return self._by_id[motion_id]
        except KeyError:
            pass
        close = difflib.get_close_matches(motion_id, list(self._by_id), n=3, cutoff=0.5)
        # Ids are long slugs; a distinctive word often finds what difflib misses.
        if not close:
            close = [m.id for m in self.search(motion_id.replace("-", " "))][:3]
        hint = (
            f"; did you mean {', '.join(repr(c) for c in close)}?"
            if close
            else "; `arena motions list` (or --search WORD) shows the ids"
        )
        raise UnknownMotionError(f"unknown motion '{motion_id}'{hint}") from None

    def by_category(self, category: str) -> list[Motion]:
        if category not in CATEGORIES:
            raise MotionError(
                f"unknown category '{category}': expected one of {', '.join(CATEGORIES)}"
                f"{_did_you_mean(category, CATEGORIES)}"
            )
        return [m for m in self._motions if m.category == category]

    def with_truth(self) -> list[Motion]:
        """The motions with a known answer (for the judge audit and its protocols)."""
        return [m for m in self._motions if m.truth is not None]

    def random(self, rng: _random.Random) -> Motion:
        # The caller's rng, so a seeded debate or tournament picks the same motion again.
        if not self._motions:
            raise MotionError("the motion library is empty")
        return rng.choice(self._motions)

    def search(self, text: str) -> list[Motion]:
        """Motions whose id, text or tags contain every word of ``text`` (case-insensitive).

        A single word is a plain substring match; several words must all appear,
        not necessarily together, so "private cars" also finds "ban-private-cars".
        """
        terms = text.lower().split()
        if not terms:
            return self.all()

        def haystack(m: Motion) -> str:
            return "\n".join((m.id, m.text, *m.tags)).lower()

        return [m for m in self._motions if all(term in haystack(m) for term in terms)]


def load_motions(directory: Path | None = None) -> MotionLibrary:
    """Load every ``*.toml`` in ``directory`` (default: :func:`motions_dir`).

    Raises one :class:`MotionError` listing every problem found, one per line.
    """
    folder = Path(directory) if directory is not None else motions_dir()
    if not folder.is_dir():
        raise MotionError(f"{_display(folder)}: motions directory not found (set ARENA_MOTIONS or create it)")
    from arena.user_files import MAX_MOTION_FILES

    files = sorted(itertools.islice(folder.glob("*.toml"), MAX_MOTION_FILES + 1))
    if len(files) > MAX_MOTION_FILES:
        raise MotionError(
            f"{_display(folder)}: more than {MAX_MOTION_FILES} *.toml files; a motions folder holds at most "
            f"{MAX_MOTION_FILES} (put motions together in fewer files)"
        )
    # Keyed on each file's size and mtime so an edited file is re-read while
    # repeated calls (every CLI command, every TUI screen) are free.
    # The working directory is part of the key because messages and Motion.file
    # show paths relative to it.
    resolved = folder.resolve()
    stamp = tuple((str(resolved / p.name), *_stamp(p)) for p in files)
    return _load_cached(str(resolved), stamp, os.getcwd())


def _stamp(path: Path) -> tuple[int, int]:
    """(mtime, size) of a motion file, following a symlink; never opens it (a FIFO would block)."""
    try:
        info = path.stat()
    except OSError:  # a broken symlink: the reader says so
        return 0, -1
    return info.st_mtime_ns, info.st_size


@functools.lru_cache(maxsize=16)
def _load_cached(folder: str, stamp: tuple[tuple[str, int, int], ...], cwd: str) -> MotionLibrary:
    motions: list[Motion] = []
    problems: list[str] = []
    first_seen: dict[str, str] = {}  # id -> "file:line" of its first definition
    for path_text, _mtime, _size in stamp:
        result = _load_file(Path(path_text))
        file_problems = list(result.problems)
        duplicates: set[int] = set()
        for ident, line in result.ids:
            if ident in first_seen:
                duplicates.add(line)
                file_problems.append(
                    (
                        line,
                        f"{result.where}:{line}: motion '{ident}': duplicate id, first defined at {first_seen[ident]}",
                    )
                )
            else:
                first_seen[ident] = f"{result.where}:{line}"
        # Sorted by line (stable), so a file's messages read in the order of the file.
        problems.extend(message for _line, message in sorted(file_problems, key=lambda p: p[0]))
        motions.extend(m for m in result.motions if m.line not in duplicates)
    if problems:
        raise MotionError(problems)
    return MotionLibrary(motions)
