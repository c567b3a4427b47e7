"""Schema versions. A database is brought up to SCHEMA_VERSION step by step, never dropped.

Additive changes need no step: a new table is created, and a new column on an existing
table is added with its default (`add_missing_columns`), so it must be nullable or have a
scalar default. A change that moves or rewrites data bumps SCHEMA_VERSION in tables.py
and adds MIGRATIONS[new_version], a function that alters an existing database from the
previous version; a version without a step of its own (an additive one) runs nothing."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Table, inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel

from arena.errors import ArenaError
from arena.store import group_tables, migration_v5, migration_v6, qa_tables, study_tables, tables
from arena.store.engine import writer
from arena.store.tables import SCHEMA_VERSION

# The modules that define the store's tables. Importing one registers each of its tables in
# SQLModel.metadata, which is where migrate finds them: a table class is created because it
# is defined, never because someone remembered to list it. A new module of tables goes here
# (tests/test_store.py checks that no table of arena.store is missing after a migration).
TABLE_MODULES = (tables, study_tables, group_tables, qa_tables)

MIGRATIONS: dict[int, Callable[[Connection], None]] = {5: migration_v5.step, 6: migration_v6.step}


def _api_base_ids(conn: Connection) -> None:
    from arena.store.migrate_ids import api_base_ids  # issue 10: ids that capture api_base

    api_base_ids(conn)


MIGRATIONS[2] = _api_base_ids


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
            SQLModel.metadata.create_all(conn, tables=_tables())
            conn.execute(text("INSERT INTO schema_info (id, version) VALUES (1, :v)"), {"v": SCHEMA_VERSION})
            return
        if version > SCHEMA_VERSION:
            raise ArenaError(
                f"this database has schema version {version}, newer than this arena ({SCHEMA_VERSION}): "
                "upgrade the arena to open it"
            )
        # Tables added in a new version without data to move are simply created, and
        # new columns added, before the data steps (which may read them) run.
        SQLModel.metadata.create_all(conn, tables=_tables())
        add_missing_columns(conn)
        for step in range(version + 1, SCHEMA_VERSION + 1):
            MIGRATIONS.get(step, _additive)(conn)
            conn.execute(text("UPDATE schema_info SET version = :v WHERE id = 1"), {"v": step})


def _additive(_conn: Connection) -> None:
    """A version whose changes add_missing_columns and create_all already made."""


def add_missing_columns(conn: Connection) -> None:
    """ALTER TABLE … ADD COLUMN for every model column the database lacks, with the
    column's scalar default so existing rows get a value (SQLite and PostgreSQL alike)."""
    inspector = inspect(conn)
    for table in _tables():
        present = {c["name"] for c in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name in present:
                continue
            default = getattr(column.default, "arg", None)  # a scalar default; None for server/sequence defaults
            if callable(default):
                default = None
            if default is None and not column.nullable:
                raise ArenaError(
                    f"column {table.name}.{column.name} is new, required and has no scalar default: "
                    "it needs a migration step"
                )
            ddl = f'ALTER TABLE "{table.name}" ADD COLUMN "{column.name}" {column.type.compile(dialect=conn.dialect)}'
            if default is not None:
                ddl += f" DEFAULT {_literal(default)}"
                if not column.nullable:
                    ddl += " NOT NULL"
            conn.execute(text(ddl))


def _literal(value: object) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def _tables() -> list[Table]:
    """Every table of the store (TABLE_MODULES), those a foreign key names first."""
    return list(SQLModel.metadata.sorted_tables)
