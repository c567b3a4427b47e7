"""A user's file record by record, each with the line it starts on: JSON Lines, one JSON
array, or CSV with a header row. The one reader of those layouts for every importer
(battles, QA items, pairwise preferences, DEBATE conversations); each importer checks
the records' fields and says which file the problem is in.

A record that cannot be read raises `RecordProblem` with its line and what is wrong, in
the same words whichever importer reads it."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any


class RecordProblem(ValueError):
    """A record that cannot be read: its 1-based line and what is wrong (no file name)."""

    def __init__(self, line: int, what: str) -> None:
        super().__init__(what)
        self.line, self.what = line, what


_DECODER = json.JSONDecoder(strict=False)  # a raw tab or newline inside a string is read, as most writers expect


def json_value(text: str, line: int) -> Any:
    """One JSON value (a line of JSON Lines)."""
    try:
        return _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        raise RecordProblem(line, f"not JSON ({exc.msg})") from None
    except (ValueError, RecursionError):  # nesting past the recursion limit; an integer of 4,300+ digits
        raise RecordProblem(line, "nested too deeply, or a number too long") from None


def json_lines(text: str) -> Iterator[tuple[int, Any]]:
    """(line, value) for every non-blank line."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            yield number, json_value(line, number)


def json_array(text: str) -> Iterator[tuple[int, Any]]:
    """(line it starts on, value) for each element of the one JSON array `text` holds."""
    n = len(text)
    counted = [0, 1]  # lines are counted once, forward: (position, its line)

    def line_of(i: int) -> int:
        counted[1] += text.count("\n", counted[0], i)
        counted[0] = i
        return counted[1]

    def skip(i: int) -> int:
        while i < n and text[i] in " \t\r\n":
            i += 1
        return i

    i = skip(0)
    if i >= n or text[i] != "[":
        raise RecordProblem(line_of(i), "expected a JSON array")
    i = skip(i + 1)
    elements = 0
    while i >= n or text[i] != "]":
        if i >= n:
            raise RecordProblem(line_of(i), "the JSON array is not closed")
        if elements:  # a comma between elements, none before the first or after the last
            if text[i] != ",":
                raise RecordProblem(line_of(i), f"expected ',' or ']' after record {elements} of the JSON array")
            i = skip(i + 1)
            if i < n and text[i] == "]":
                raise RecordProblem(line_of(i), f"a comma after the last record ({elements}); JSON allows none")
        try:
            value, end = _DECODER.raw_decode(text, i)
        except json.JSONDecodeError as exc:
            raise RecordProblem(line_of(exc.pos), f"not JSON ({exc.msg}) in record {elements + 1}") from None
        except (ValueError, RecursionError):
            raise RecordProblem(
                line_of(i), f"record {elements + 1} is nested too deeply, or a number too long"
            ) from None
        elements += 1
        yield line_of(i), value
        i = skip(end)
    rest = skip(i + 1)
    if rest < n:
        raise RecordProblem(line_of(rest), "content after the JSON array ends; expected one JSON array or JSON Lines")


def json_records(text: str) -> Iterator[tuple[int, Any]]:
    """A JSON array when the text starts with `[`, else JSON Lines."""
    return json_array(text) if text.lstrip().startswith("[") else json_lines(text)


def csv_header(text: str) -> tuple[list[str], csv.DictReader[str]]:
    """The column names (spaces around each stripped) and a reader of the rows under them."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        columns = [c.strip() for c in reader.fieldnames or []]
    except csv.Error as exc:
        raise RecordProblem(1, f"not a readable CSV header ({exc})") from None
    reader.fieldnames = columns
    return columns, reader


def csv_rows(reader: csv.DictReader[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line, row) for each row under the header (a short row's missing cells are None)."""
    try:
        for row in reader:
            if None in row:
                raise RecordProblem(reader.line_num, "more fields than columns")
            yield reader.line_num, row
    except csv.Error as exc:
        raise RecordProblem(reader.line_num, f"not a readable CSV row ({exc})") from None
