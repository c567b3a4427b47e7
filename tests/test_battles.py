"""FastChat-style battles: import (JSON and JSONL), errors with lines, export round trip."""

from __future__ import annotations

import json
import random

import pytest
from click.testing import CliRunner

from arena.cli import cli
from arena.importers.battles import BattleFileError, parse_battles


def run(db: str, *args: str):
    return CliRunner().invoke(cli, ["--db", db, *args])


def synthetic(n: int = 300, seed: int = 1) -> list[dict]:
    strength = {"alpha": 2.0, "beta": 1.0, "gamma": 0.0, "delta": -1.0}
    rng, rows = random.Random(seed), []
    names = list(strength)
    for i in range(n):
        a, b = rng.sample(names, 2)
        p = 1 / (1 + 10 ** ((strength[b] - strength[a]) * 400 / 400 / 2))
        u = rng.random()
        winner = "tie (bothbad)" if u > 0.95 else ("model_a" if u < p * 0.95 else "model_b")
        rows.append({"model_a": a, "model_b": b, "winner": winner, "tstamp": 1000.0 + i, "extra": "ignored"})
    return rows


def test_json_and_jsonl_import_rate_the_same(db_url, tmp_path):
    rows = synthetic()
    (tmp_path / "b.json").write_text(json.dumps(rows, indent=1))
    (tmp_path / "b.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert run(db_url, "battles", "import", str(tmp_path / "b.json"), "--collection", "j").exit_code == 0
    assert run(db_url, "battles", "import", str(tmp_path / "b.jsonl"), "--collection", "l").exit_code == 0
    boards = [
        json.loads(run(db_url, "leaderboard", "--collection", c, "--format", "json", "--rounds", "50").stdout)
        for c in ("j", "l")
    ]
    assert boards[0]["rows"] == boards[1]["rows"] and boards[0]["log_sha256"] == boards[1]["log_sha256"]
    order = [r["participant"] for r in boards[0]["rows"]]
    assert order == ["alpha", "beta", "gamma", "delta"]


def test_bad_rows_are_reported_with_lines_and_nothing_is_imported(db_url, tmp_path):
    good = json.dumps({"model_a": "a", "model_b": "b", "winner": "model_a"})
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join([good, '{"model_a": "a", "model_b": "b", "winner": "draw"}', good, "{oops"]) + "\n")
    out = run(db_url, "battles", "import", str(path), "--collection", "x")
    assert out.exit_code == 1
    assert f"{path}:2: winner must be one of" in out.output and f"{path}:4: not JSON (" in out.output
    from arena.store.store import Store

    assert Store(db_url).battle_count("x") == 0


def test_array_elements_report_their_own_line():
    text = '[\n {"model_a": "a", "model_b": "b", "winner": "model_a"},\n {"model_a": "a", "winner": "tie"}\n]'
    with pytest.raises(BattleFileError, match=r"f.json:3: model_a and model_b"):
        parse_battles(text, "f.json")


def test_arena_collection_is_protected(db_url, tmp_path):
    (tmp_path / "b.json").write_text(json.dumps(synthetic(5)))
    assert run(db_url, "battles", "import", str(tmp_path / "b.json"), "--collection", "arena").exit_code == 2


def test_export_then_import_gives_the_same_leaderboard(db_url, tmp_path):
    for seed in range(4):
        assert (
            run(
                db_url,
                "debate",
                "--pro",
                f"sim/p{seed % 2}",
                "--con",
                "sim/q",
                "--judge",
                "sim/j",
                "--seed",
                str(seed),
                "--json",
            ).exit_code
            == 0
        )
    path = tmp_path / "out.json"
    assert run(db_url, "battles", "export", "-o", str(path)).exit_code == 0
    exported = json.loads(path.read_text())
    assert len(exported) == 4 and {"model_a", "model_b", "winner", "tstamp"} <= set(exported[0])
    assert run(db_url, "battles", "import", str(path), "--collection", "copy").exit_code == 0
    arena_board = json.loads(run(db_url, "leaderboard", "--format", "json", "--rounds", "20").stdout)
    copy_board = json.loads(
        run(db_url, "leaderboard", "--collection", "copy", "--format", "json", "--rounds", "20").stdout
    )
    assert [(r["participant"], r["rating"]) for r in arena_board["rows"]] == [
        (r["participant"], r["rating"]) for r in copy_board["rows"]
    ]
