"""The README as a walk: every cheap `arena …` command of its code blocks runs, in the
order written, on one fresh scratch database, and exits 0. `test_docs_examples.py`
checks that every command parses; this checks that a newcomer copying them one after
another gets no error.

A command that needs the network, a key, the embedded model (minutes on 2 cores), a
PostgreSQL server or a terminal is not run; each is listed in NOT_RUN with why, so a new
README line is either cheap or consciously listed here."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from test_docs_examples import _invocations, _readme_lines

# A word in a command that makes it expensive or impossible in a test, and why.
NOT_RUN = {
    "openai/": "a hosted model: network and a key",
    "anthropic/": "a hosted model: network and a key",
    "local/smollm2": "the embedded model: minutes per debate on 2 cores",
    "team:a4d@local": "the embedded model inside an agent team",
    "--plan-only": "the scale-out block: a PostgreSQL server",
    "work": "the scale-out block's workers: a PostgreSQL server",
}
# Whole commands that are not run: the app needs a terminal; these use the embedded model
# by default (no --pro/--con/--judge given).
NOT_RUN_EXACT = {
    (): "the terminal app",
    ("demo",): "the embedded model plays three debates",
    ("debate",): "the embedded model on both sides and as judge",
}


def _skip_reason(args: list[str]) -> str | None:
    if tuple(args) in NOT_RUN_EXACT:
        return NOT_RUN_EXACT[tuple(args)]
    return next((why for word, why in NOT_RUN.items() if any(word in a for a in args)), None)


def _latest_debate(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT id FROM debate ORDER BY created_at DESC LIMIT 1").fetchone()
    assert row, "the README shows a debate before it names DEBATE_ID"
    return row[0]


def test_every_cheap_readme_command_runs_in_order_on_a_fresh_database(tmp_path: Path) -> None:
    db = tmp_path / "walk.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARENA_")}
    env.update(ARENA_DB=str(db), HOME=str(tmp_path), COLUMNS="100", PYTHONPATH=str(Path(__file__).parents[1]))
    # the user's own benchmark file the README's `judges bench` line names (plain shape)
    (tmp_path / "pairs.jsonl").write_text(
        "".join(f'{{"prompt": "q{i}", "a": "a{i}", "b": "b{i}", "winner": "{"ab"[i % 2]}"}}\n' for i in range(6))
    )
    ran, skipped = [], []
    for args in _invocations(_readme_lines()):
        reason = _skip_reason(args)
        if reason is not None:
            skipped.append((args, reason))
            continue
        args = [_latest_debate(db) if a == "DEBATE_ID" else a for a in args]
        result = subprocess.run(
            [sys.executable, "-m", "arena", *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, f"arena {' '.join(args)} exited {result.returncode}:\n{result.stderr[-2000:]}"
        assert "internal error" not in result.stderr
        ran.append(args)
    # The walk covers the README's cheap commands: a debate, the tournament block in order,
    # the leaderboard export, the audits; and leaves out only what NOT_RUN names.
    assert len(ran) >= 12, ran
    assert ["tournament", "resume", "cup"] in ran and ["ratings", "rebuild"] in ran
    assert (tmp_path / "board.html").stat().st_size > 1000
    assert all(reason for _, reason in skipped)
