"""Schema versions. A database is brought up to SCHEMA_VERSION step by step, never dropped.

To change the schema: bump SCHEMA_VERSION in tables.py and add MIGRATIONS[new_version],
a function that alters an existing database from the previous version."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel

from arena.errors import ArenaError
from arena.store import tables
from arena.store.engine import writer
from arena.store.tables import SCHEMA_VERSION

MIGRATIONS: dict[int, Callable[[Connection], None]] = {}


def current_version(conn: Connection) -> int | None:
    if not inspect(conn).has_table("schema_info"):
        return None
    row = conn.execute(text("SELECT version FROM schema_info WHERE id = 1")).first()
    return int(row[0]) if row else None


def migrate(engine: Engine) -> None:
    with writer(engine).begin() as conn:
        version = current_version(conn)
        if version is None:
            if inspect(conn).has_table("debate"):
                raise ArenaError("this database has arena tables but no schema version; refusing to guess")
            SQLModel.metadata.create_all(conn, tables=[t.__table__ for t in _tables()])
            conn.execute(text("INSERT INTO schema_info (id, version) VALUES (1, :v)"), {"v": SCHEMA_VERSION})
            return
        if version > SCHEMA_VERSION:
            raise ArenaError(
                f"this database has schema version {version}, newer than this arena ({SCHEMA_VERSION}): "
                "upgrade the arena to open it"
            )
        for step in range(version + 1, SCHEMA_VERSION + 1):
            MIGRATIONS[step](conn)
            conn.execute(text("UPDATE schema_info SET version = :v WHERE id = 1"), {"v": step})
        # Tables added in a new version without data to move are simply created.
        SQLModel.metadata.create_all(conn, tables=[t.__table__ for t in _tables()])


def _tables() -> list[type[SQLModel]]:
    return [
        obj for obj in vars(tables).values()
        if isinstance(obj, type) and issubclass(obj, SQLModel) and getattr(obj, "__table__", None) is not None
    ]
