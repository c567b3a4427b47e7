"""arena import qa (issue 22, item 3's first slice): QA items from JSONL or CSV, MMLU-Pro's
field names accepted, a file with a bad line refused whole with its path and line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from arena.importers.qa import BadQAFile, import_qa_file, parse_qa_file
from arena.store.qa_store import load_items, qa_collections


def jsonl(path: Path, rows: list[object]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_answers_by_text_letter_index_and_mmlu_pro_fields(tmp_path):
    path = jsonl(
        tmp_path / "items.jsonl",
        [
            {"question": "2+2?", "options": ["3", "4", "5"], "answer": "4"},
            {"question": "Capital of France?", "options": ["Paris", "Rome"], "answer": "A", "category": "geo"},
            {"question": "Largest?", "options": ["1", "9"], "answer": 1},
            {"question": "Who wrote Hamlet?", "answer": "Shakespeare"},
            {  # MMLU-Pro's shape
                "question_id": 70,
                "question": "Typical advertising regulatory bodies suggest …",
                "options": ["Safe practices", "Unsafe practices", "Neither"],
                "answer": "B",
                "answer_index": 1,
                "cot_content": "",
                "category": "business",
                "src": "ori_mmlu-business_ethics",
            },
        ],
    )
    ignored: set[str] = set()
    items = parse_qa_file(path, ignored)
    assert ignored == set()  # MMLU-Pro's own fields are read past without a warning
    assert [(i.answer, i.answer_index) for i in items] == [
        ("4", 1),
        ("Paris", 0),
        ("9", 1),
        ("Shakespeare", None),
        ("Unsafe practices", 1),
    ]
    assert items[1].category == "geo" and items[3].options == () and items[4].line == 5


def test_csv_options_as_pipes_or_json(tmp_path):
    path = tmp_path / "items.csv"
    path.write_text(
        'question,options,answer,category\n"Sky colour?",blue|green,blue,\n"Odd one?","[""1"", ""2"", ""3""]",C,maths\n',
        encoding="utf-8",
    )
    items = parse_qa_file(path)
    assert [(i.options, i.answer, i.line) for i in items] == [(("blue", "green"), "blue", 2), (("1", "2", "3"), "3", 3)]


@pytest.mark.parametrize(
    ("rows", "line", "message"),
    [
        ([{"question": "q", "answer": "a"}, {"question": "", "answer": "a"}], 2, "question is missing"),
        ([{"question": "q", "options": ["a", "b"], "answer": "c"}], 1, "neither one of the options"),
        ([{"question": "q", "options": ["a", "b"], "answer": "A", "answer_index": 1}], 1, "disagree"),
        ([{"question": "q", "options": ["a"], "answer": "a"}], 1, "between 2 and 26"),
        ([{"question": "q"}], 1, "answer is missing"),
        ([["not", "an", "object"]], 1, "expected a JSON object"),
    ],
)
def test_bad_lines_are_refused_with_their_line(tmp_path, rows, line, message):
    with pytest.raises(BadQAFile) as caught:
        parse_qa_file(jsonl(tmp_path / "bad.jsonl", rows))
    assert caught.value.line == line and message in str(caught.value)


def test_a_record_nested_too_deeply_is_refused_with_its_line(tmp_path):
    """A hostile line (100,000 nested lists) is a bad file, not a RecursionError."""
    path = tmp_path / "deep.jsonl"
    path.write_text('{"question": "q", "answer": "a"}\n{"question": ' + "[" * 100_000 + "]" * 100_000 + "}\n")
    with pytest.raises(BadQAFile) as caught:
        parse_qa_file(path)
    assert caught.value.line == 2 and "nested too deeply" in str(caught.value)


def test_import_is_idempotent_and_per_collection(store, tmp_path):
    path = jsonl(tmp_path / "a.jsonl", [{"question": f"q{i}", "answer": f"a{i}"} for i in range(12)])
    assert import_qa_file(store, path, "qa").imported == 12
    assert import_qa_file(store, path, "qa").imported == 0
    assert import_qa_file(store, path, "qa-copy").imported == 12
    assert qa_collections(store) == ["qa", "qa-copy"]
    assert [i.question for i in load_items(store, "qa")] == [f"q{i}" for i in range(12)]


def test_cli(db_path, tmp_path):
    def arena(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "arena", "import", "qa", *args], capture_output=True, text=True)

    good = jsonl(tmp_path / "good.jsonl", [{"question": "2+2?", "options": ["3", "4"], "answer": "B"}])
    out = arena(str(good), "--json")
    assert out.returncode == 0 and json.loads(out.stdout) == {
        "collection": "qa",
        "items": 1,
        "imported": 1,
        "ignored_fields": [],
    }
    typo = tmp_path / "typo.csv"  # "opts" for options: the items would be open questions, unnoticed
    typo.write_text("question,opts,answer\n2+2?,3|4,4\n", encoding="utf-8")
    out = arena(str(typo))
    assert out.returncode == 0 and "warning: " in out.stderr and "read past: opts" in out.stderr
    bad = jsonl(tmp_path / "bad.jsonl", [{"question": "ok", "answer": "x"}, {"question": "q", "options": "oops"}])
    out = arena(str(bad))
    assert out.returncode == 1 and f"{bad}:2: " in out.stderr and "Traceback" not in out.stderr
    out = arena(str(tmp_path / "missing.jsonl"))
    assert out.returncode == 2 and "no such file" in out.stderr
    out = arena(str(tmp_path))
    assert out.returncode == 2 and "a folder; give one JSONL or CSV file" in out.stderr


def test_a_csv_file_has_the_jsonl_files_item_limit(tmp_path, monkeypatch):
    import arena.importers.qa as qa

    monkeypatch.setattr(qa, "MAX_ITEMS", 2)
    path = tmp_path / "many.csv"
    path.write_text("question,answer\nq1,a\nq2,b\nq3,c\n", encoding="utf-8")
    with pytest.raises(BadQAFile, match="more than 2 items"):
        parse_qa_file(path)
