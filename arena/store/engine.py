"""Opening the store: SQLite by default at ./ratings.db, any SQLAlchemy URL otherwise.

No engine exists at import time. SQLite connections get WAL (readers never block the one
writer), a busy timeout (concurrent arenas wait instead of failing) and foreign keys."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Table, event
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel, create_engine

from arena.errors import UsageProblem

DEFAULT_DB = "ratings.db"


POSTGRES_HINT = "pip install 'debate-arena[postgres]' (psycopg 3)"


def database_url(db: str | None = None) -> str:
    target = db or os.environ.get("ARENA_DB") or DEFAULT_DB
    if "://" in target:
        # A bare postgresql:// (or postgres://) URL means psycopg 3, the driver of the
        # `postgres` extra; SQLAlchemy alone would reach for psycopg2.
        for bare in ("postgresql://", "postgres://"):
            if target.startswith(bare):
                return "postgresql+psycopg://" + target[len(bare) :]
        return target
    return f"sqlite:///{Path(target).expanduser().resolve()}"


def is_postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


def _sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:
    # Let SQLAlchemy's "begin" event (below) emit BEGIN itself: pysqlite would otherwise
    # delay it until the first write, after the reads a rating update depends on.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=30000")
    _use_wal(cursor)
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _use_wal(cursor: Any, wait_s: float = 30.0) -> None:
    """WAL mode, which a database keeps once set. Switching needs the file to itself, and
    SQLite answers "database is locked" at once (no busy wait) while another process is
    creating the same new database: two workers started together on a fresh file. So
    switch only when needed, and try again for a while."""
    import sqlite3
    import time

    deadline = time.monotonic() + wait_s
    while True:
        try:
            if str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal" and _ours(cursor):
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _ours(cursor: Any) -> bool:
    """A new (empty) database or an arena one: never switch another program's file to WAL
    (the migration refuses it, and it must be left as it was)."""
    names = {row[0] for row in cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()}
    return not names or "schema_info" in names


def _begin(conn: Connection) -> None:
    # Writers start with BEGIN IMMEDIATE: it waits (busy_timeout) for the write lock up
    # front. A deferred transaction that reads first and writes later fails at once with
    # "database is locked" when another process wrote in between.
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("writer") else "BEGIN")


def table_of(model: type[SQLModel]) -> Table:
    """The SQLAlchemy table behind a SQLModel table class (for Core inserts and DDL)."""
    table = vars(model)["__table__"]
    assert isinstance(table, Table), f"{model.__name__} is not a table model"
    return table


def writer(engine: Engine) -> Engine:
    """The same database, for transactions that will write."""
    return engine.execution_options(writer=True)


def _read_only_pragmas(dbapi_connection: Any, _record: object) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def sqlite_path(url: str) -> Path | None:
    """The file of a `sqlite:///PATH` URL (None for other databases and in-memory ones)."""
    if not url.startswith("sqlite:///") or url.endswith(":memory:"):
        return None
    return Path(url.removeprefix("sqlite:///"))


def make_engine(db: str | None = None, *, read_only: bool = False) -> Engine:
    """The engine of `db`. `read_only` (SQLite): opened read-only (and immutable when no WAL
    content is pending), for a file that cannot be written here (a read-only file or file
    system), where even reading a WAL database would otherwise need its -shm file created."""
    url = database_url(db)
    if url.startswith("sqlite"):
        path = sqlite_path(url)
        if read_only and path is not None:
            from urllib.parse import quote

            # immutable: no -shm needed (none can be created on a read-only file system), but
            # also no look at a -wal file: so only when there is no WAL content to miss.
            wal = path.with_name(path.name + "-wal")
            immutable = "" if wal.exists() and wal.stat().st_size > 0 else "&immutable=1"
            url = f"sqlite:///file:{quote(str(path))}?mode=ro{immutable}&uri=true"
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _read_only_pragmas if read_only else _sqlite_pragmas)
        event.listen(engine, "begin", _begin)
        return engine
    try:
        engine = create_engine(url, pool_pre_ping=True)
    except ModuleNotFoundError as exc:
        scheme = url.split("://", 1)[0]
        hint = f": {POSTGRES_HINT}" if scheme.startswith("postgres") else ""
        raise UsageProblem(f"--db {scheme}://…: the database driver {exc.name!r} is not installed{hint}") from None
    # A malformed URL or an unknown dialect (ArgumentError, NoSuchModuleError) is a usage
    # mistake that arena.guard turns into one line.
    return engine
