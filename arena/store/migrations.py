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

from arena.errors import ArenaError, UsageProblem
from arena.store import (
    bench_tables,
    call_tables,
    group_tables,
    migration_v5,
    migration_v6,
    qa_tables,
    study_tables,
    tables,
)
from arena.store.engine import writer
from arena.store.tables import SCHEMA_VERSION

# The modules that define the store's tables. Importing one registers each of its tables in
# SQLModel.metadata, which is where migrate finds them: a table class is created because it
# is defined, never because someone remembered to list it. A new module of tables goes here
# (tests/test_store.py checks that no table of arena.store is missing after a migration).
TABLE_MODULES = (tables, study_tables, call_tables, group_tables, qa_tables, bench_tables)

MIGRATIONS: dict[int, Callable[[Connection], None]] = {5: migration_v5.step, 6: migration_v6.step}


def _api_base_ids(conn: Connection) -> None:
    from arena.store.migrate_ids import api_base_ids  # issue 10: ids that capture api_base

    api_base_ids(conn)


MIGRATIONS[2] = _api_base_ids


def current_version(conn: Connection) -> int | None:
    if not inspect(conn).has_table("schema_info"):
        return None
    row = conn.execute(text("SELECT version FROM schema_info WHERE id = 1")).first()
    if row is None:
        return None
    try:
        return int(row[0])
    except (TypeError, ValueError):
        url = conn.engine.url
        where = url.database if url.get_backend_name() == "sqlite" else url.render_as_string(hide_password=True)
        raise UsageProblem(
            f"{where}: its schema version is {str(row[0])[:40]!r}, not a number: not an arena database, or a "
            "damaged one; point --db at a ratings database or a new file"
        ) from None


def is_current(conn: Connection) -> bool:
    """Whether the database is at SCHEMA_VERSION with every table and column: nothing to write."""
    if current_version(conn) != SCHEMA_VERSION:
        return False
    inspector = inspect(conn)
    present = set(inspector.get_table_names())
    for table in _tables():
        if table.name not in present:
            return False
        if {c.name for c in table.columns} - {c["name"] for c in inspector.get_columns(table.name)}:
            return False
    return True


def check_not_foreign(conn: Connection) -> None:
    """Refuse a SQLite file that holds another program's tables and no arena schema: the
    arena would otherwise add its 22 tables to it. (A PostgreSQL database is commonly shared
    between applications: there the arena's tables are created beside the others.)"""
    if conn.dialect.name != "sqlite" or current_version(conn) is not None:
        return
    others = sorted(inspect(conn).get_table_names())
    if others and "debate" not in others:
        from arena.errors import UsageProblem

        shown = ", ".join(others[:5]) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
        raise UsageProblem(
            f"--db {conn.engine.url.database}: not an arena database (it holds other tables: {shown}, and no "
            "arena schema); nothing was changed in it. Point --db at a ratings database or a new file"
        )


def check_readable(conn: Connection) -> None:
    """For a database opened read-only: it must already be an arena database at this version."""
    check_not_foreign(conn)
    version = current_version(conn)
    if version is None:
        raise ArenaError("this read-only database is not an arena database yet (no schema): open a writable one")
    if not is_current(conn):
        raise ArenaError(
            f"this read-only database has schema version {version}; this arena reads version {SCHEMA_VERSION}: "
            "open it once where it can be written (the arena migrates it), then read it anywhere"
        )


def migrate(engine: Engine) -> None:
    # Read first, outside any write lock: a database already current (the usual case) is
    # not written to at all, so read commands work on a read-only file or file system and
    # never queue behind a writer; a foreign SQLite file is refused untouched.
    with engine.connect() as conn:
        check_not_foreign(conn)
        if is_current(conn):
            return
    with writer(engine).begin() as conn:
        version = current_version(conn)
        if version is None:
            if inspect(conn).has_table("debate"):
                raise ArenaError("this database has arena tables but no schema version; refusing to guess")
            check_not_foreign(conn)
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
