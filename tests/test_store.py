"""The store: one transaction per debate, void debates count nowhere, migrations."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlmodel import select

from arena.config import Config
from arena.debate.options import DebateOptions
from arena.llm.gateway import Gateway
from arena.play import DebateRequest, play, prepare
from arena.store import tables as t
from arena.store.queries import load_debate
from arena.store.rebuild import rebuild
from arena.store.store import Store


def run(store: Store, pro="sim/a?skill=0.8", con="sim/b?skill=0.2", seed=1, **kw):
    gateway = Gateway(backoff_base_s=0.0)
    setup = prepare(
        DebateRequest(pro=pro, con=con, options=DebateOptions(judges=("sim/j",), seed=seed, **kw)), Config(), gateway
    )
    return asyncio.run(play(setup, store, gateway))


def table_count(store: Store, table) -> int:
    with store.session() as s:
        return len(s.exec(select(table)).all())


def test_finished_debate_round_trips(store):
    record, changes = run(store)
    loaded = load_debate(store, record.id)
    assert loaded.status == "finished"
    assert [s.text for s in loaded.speeches] == [s.text for s in record.speeches]
    assert [b.amount for b in loaded.bets] == [b.amount for b in record.bets]
    assert loaded.verdict.winner == record.verdict.winner
    assert set(changes) == {record.pro, record.con}
    states = store.rating_states()
    assert states[record.pro].elo == changes[record.pro].elo_after


def test_void_debate_changes_no_rating(store):
    record, changes = run(store, con="sim/b?faults=1")
    assert record.status == "void" and record.error
    assert changes == {}
    assert store.rating_states() == {}
    assert store.match_log() == []
    assert load_debate(store, record.id).status == "void"


def test_failure_inside_the_transaction_leaves_nothing(store, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Store, "_update_ratings", broken)
    with pytest.raises(RuntimeError):
        run(store)
    assert table_count(store, t.Debate) == 0
    assert table_count(store, t.SpeechRow) == 0
    assert table_count(store, t.BetRow) == 0
    assert store.rating_states() == {}


def test_a_finished_slot_is_never_stored_twice(store):
    record, _ = run(store)
    with pytest.raises(ValueError, match="never played twice"):
        store.save_debate(record)


def test_incremental_ratings_equal_a_rebuild(store):
    for seed in range(6):
        run(store, pro=f"sim/p{seed % 3}", con=f"sim/p{(seed + 1) % 3}", seed=seed)
    report = rebuild(store, write=False)
    assert report.debates == 6 and report.consistent


def test_killed_writer_leaves_no_partial_debate(db_path):
    """SIGKILL in the middle of a debate (after a speech, before the verdict)."""
    env = {**os.environ, "ARENA_DB": db_path, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "arena",
            "debate",
            "--pro",
            "sim/a?latency=0.3",
            "--con",
            "sim/b?latency=0.3",
            "--judge",
            "sim/j?latency=0.3",
            "--seed",
            "5",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        text=True,
    )
    deadline = time.time() + 30
    seen = ""
    while time.time() < deadline:
        line = proc.stdout.readline()
        seen += line
        if "words ·" in line:  # the first speech is finished
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    assert "words ·" in seen, seen
    store = Store(db_path)
    assert table_count(store, t.Debate) == 0
    assert table_count(store, t.SpeechRow) == 0
    assert store.rating_states() == {}


def test_database_settings(db_path):
    store = Store(db_path)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
    assert store.schema_version() == t.SCHEMA_VERSION


def test_newer_schema_is_refused_not_dropped(db_path):
    from arena.errors import ArenaError

    Store(db_path)
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE schema_info SET version = 999")
    with pytest.raises(ArenaError, match="newer than this arena"):
        Store(db_path)


def test_migration_steps_run_in_order(db_path, monkeypatch):
    from arena.store import migrations

    Store(db_path)
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE schema_info SET version = 0")
    ran = []
    monkeypatch.setitem(migrations.MIGRATIONS, 1, lambda conn: ran.append(1))
    store = Store(db_path)
    assert ran == [1] and store.schema_version() == t.SCHEMA_VERSION


def store_tables() -> set[str]:
    """Every table a module of arena.store defines (each module imported, so each registered)."""
    import importlib
    import pkgutil

    from sqlmodel import SQLModel

    import arena.store

    for module in pkgutil.walk_packages(arena.store.__path__, "arena.store."):
        importlib.import_module(module.name)
    return {table.name for table in SQLModel.metadata.sorted_tables}


def test_every_table_exists_after_migration(store):
    from sqlalchemy import inspect

    expected = store_tables()
    assert {"debate", "schema_info", "study_break_replay"} <= expected
    assert expected <= set(inspect(store.engine).get_table_names())


def test_migration_knows_every_table_module(tmp_path):
    """A fresh process that imports only the migrations creates every table: a module of
    tables the migrations do not import would be created only by luck of import order."""
    script = (
        "import sqlite3, sys\n"
        "from arena.store.store import Store\n"
        "Store(sys.argv[1])\n"
        "print('\\n'.join(r[0] for r in sqlite3.connect(sys.argv[1]).execute("
        "\"SELECT name FROM sqlite_master WHERE type = 'table'\")))\n"
    )
    created = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "fresh.db")],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    ).stdout.split()
    assert store_tables() <= set(created)


def test_a_participant_debating_itself_is_not_rated(store):
    record, changes = run(store, pro="sim/same", con="sim/same")
    assert record.status == "finished" and changes == {}
    assert store.match_log() == [] and store.rating_states() == {}
    assert rebuild(store, write=False).consistent


WRITER = """
import asyncio, sys
from arena.config import Config
from arena.debate.options import DebateOptions
from arena.llm.gateway import Gateway
from arena.play import DebateRequest, play, prepare
from arena.store.store import Store

async def main(db, tag):
    store, gateway = Store(db), Gateway(backoff_base_s=0.0)
    for n in range(8):
        request = DebateRequest(pro=f"sim/{tag}{n % 2}", con=f"sim/x{n % 3}",
                                options=DebateOptions(judges=("sim/j",), seed=n))
        await play(prepare(request, Config(), gateway), store, gateway)

asyncio.run(main(sys.argv[1], sys.argv[2]))
"""


def test_two_processes_writing_one_database_stay_consistent(db_path):
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, db_path, tag], stderr=subprocess.PIPE, text=True)
        for tag in ("a", "b")
    ]
    for proc in procs:
        assert proc.wait(120) == 0, proc.stderr.read()
    store = Store(db_path)
    assert len(store.match_log()) == 16
    assert rebuild(store, write=False).consistent


def test_a_new_column_is_added_to_an_old_database_with_its_default(db_path):
    Store(db_path)
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "INSERT INTO participant (id, kind, settings_json, created_at, display) "
            "VALUES ('model:x', 'model', '{}', 0, 'x')"
        )
        conn.execute("ALTER TABLE participant DROP COLUMN display")
    Store(db_path)
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT display FROM participant WHERE id = 'model:x'").fetchone() == ("",)


def test_ratings_replay_in_commit_order_not_clock_order(store):
    """Two machines' clocks disagree: the debate committed second carries the earlier
    finish time. The commit sequence, not the clock, orders the replay."""
    from sqlalchemy import text

    for seed in range(4):
        run(store, pro=f"sim/p{seed % 2}", con=f"sim/p{seed % 2 + 1}", seed=seed)
    with store.engine.begin() as conn:  # the last commit's clock ran an hour behind
        conn.execute(text("UPDATE debate SET finished_at = finished_at - 3600 WHERE rating_seq = 4"))
    assert [m.id for m in store.match_log()][-1] == _by_seq(store)[-1]
    assert rebuild(store, write=False).consistent


def _by_seq(store) -> list[str]:
    from sqlalchemy import text

    with store.engine.connect() as conn:
        return list(
            conn.execute(text("SELECT id FROM debate WHERE rating_seq IS NOT NULL ORDER BY rating_seq")).scalars()
        )


def test_migration_5_numbers_old_rated_debates_and_sums_spending(store, db_url):
    from sqlalchemy import text

    for seed in range(3):
        run(store, pro=f"sim/p{seed}", con=f"sim/p{seed + 1}", seed=seed)
    order = _by_seq(store)
    assert len(order) == 3
    with store.engine.begin() as conn:  # as a version-1 database left them
        conn.execute(text("UPDATE debate SET rating_seq = NULL, tournament = 'old', usage_json = '{\"cost\": 0.25}'"))
        conn.execute(
            text(
                "INSERT INTO tournament (name, status, config_json, created_at, updated_at, spent) "
                "VALUES ('old', 'finished', '{}', 0, 0, 0)"
            )
        )
        conn.execute(text("UPDATE schema_info SET version = 1"))
    store.engine.dispose()
    reopened = Store(db_url)
    assert reopened.schema_version() == t.SCHEMA_VERSION
    assert _by_seq(reopened) == order
    with reopened.engine.connect() as conn:
        assert conn.execute(text("SELECT spent FROM tournament WHERE name = 'old'")).scalar() == pytest.approx(0.75)
    assert rebuild(reopened, write=False).consistent
    reopened.engine.dispose()


def test_wal_mode_waits_for_a_database_another_process_is_creating(tmp_path):
    # two workers started together on a fresh file: switching to WAL needs the file to
    # itself and SQLite says "database is locked" at once; the store waits instead
    import threading

    from arena.store.engine import _use_wal

    path = str(tmp_path / "fresh.db")
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("CREATE TABLE schema_info (x)")  # another arena creating its tables
    holder.execute("BEGIN EXCLUSIVE")
    threading.Timer(0.3, lambda: holder.execute("COMMIT")).start()
    other = sqlite3.connect(path, timeout=0, isolation_level=None, check_same_thread=False)
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        other.execute("PRAGMA journal_mode=WAL")  # what the store used to do
    _use_wal(other.cursor(), wait_s=10)
    assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    holder.close()
    other.close()
