"""The one reader of record files (arena/importers/records.py): every importer's JSON
Lines, JSON array and CSV, each record with the line it starts on, and one wording for a
record that cannot be read."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arena.importers.records import RecordProblem, csv_header, csv_rows, json_array, json_lines, json_records

values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


@given(st.lists(values, max_size=8), st.booleans())
def test_what_a_writer_wrote_is_read_back_with_its_lines(records, indented) -> None:
    as_array = json.dumps(records, indent=1 if indented else None)
    assert [v for _, v in json_array(as_array)] == records
    as_lines = "\n\n".join(json.dumps(r) for r in records)  # blank lines between are skipped
    assert list(json_lines(as_lines)) == [(2 * i + 1, r) for i, r in enumerate(records)]
    if not (records and isinstance(records[0], list)):  # a first line "[…" reads as one JSON array
        assert [v for _, v in json_records(as_lines)] == records


def test_each_element_of_an_array_has_the_line_it_starts_on() -> None:
    text = '[\n  {"a": 1},\n\n  {"b":\n 2},\n  3\n]\n'
    assert list(json_array(text)) == [(2, {"a": 1}), (4, {"b": 2}), (6, 3)]


@pytest.mark.parametrize(
    ("text", "line", "what"),
    [
        ("[1,\n]", 2, "a comma after the last record (1); JSON allows none"),
        ("[1,,2]", 1, "not JSON (Expecting value) in record 2"),
        ("[1\n2]", 2, "expected ',' or ']' after record 1 of the JSON array"),
        ("[1,\n2", 2, "the JSON array is not closed"),
        ("[1]\n[2]", 2, "content after the JSON array ends; expected one JSON array or JSON Lines"),
        ("[" * 100_000 + "]" * 100_000, 1, "record 1 is nested too deeply, or a number too long"),
    ],
)
def test_a_broken_array_says_where_and_what(text: str, line: int, what: str) -> None:
    with pytest.raises(RecordProblem) as caught:
        list(json_array(text))
    assert (caught.value.line, caught.value.what) == (line, what)


def test_a_broken_line_says_which() -> None:
    with pytest.raises(RecordProblem) as caught:
        list(json_lines('{"a": 1}\n\n{"a": \n'))
    assert (caught.value.line, caught.value.what) == (3, "not JSON (Expecting value)")


def test_csv_rows_carry_their_lines_and_refuse_a_row_too_long() -> None:
    columns, reader = csv_header(' question , answer\nq1,a1\n"two\nlines",a2\nq3,a3,extra\n')
    assert columns == ["question", "answer"]
    rows = csv_rows(reader)
    assert next(rows) == (2, {"question": "q1", "answer": "a1"})
    assert next(rows) == (4, {"question": "two\nlines", "answer": "a2"})  # the line a quoted row ends on
    with pytest.raises(RecordProblem) as caught:
        next(rows)
    assert (caught.value.line, caught.value.what) == (5, "more fields than columns")
