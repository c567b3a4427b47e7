"""The CLI's one error path: any exception that escapes a command becomes one line on
stderr and an exit status (2: the user's input is wrong; 1: something failed at run
time), never a traceback. `ARENA_DEBUG=1` lets the traceback of a failure through for
developers (a usage error stays one line).

Each line names what was wrong (file, option or URL), what was expected and, where there
is one, what to do; it is redacted and stripped of control characters like any output.
"""

from __future__ import annotations

import os
import sys
from typing import Any, NoReturn

import click

from arena.errors import ArenaError, UsageProblem
from arena.literal import echo, literal, terminal_text
from arena.redact import redact

USAGE, RUNTIME = 2, 1


def debug() -> bool:
    return os.environ.get("ARENA_DEBUG", "").strip().lower() not in ("", "0", "false", "no")


def lets_through(exc: BaseException) -> bool:
    """Whether `exc` escapes as a traceback: with ARENA_DEBUG set, unless it is the user's
    mistake (a bad file, option or name), which stays its one line and exit status 2 even
    then: it is no bug, and its line already names the file, line and what was expected."""
    from arena.motions import MotionError

    return debug() and not isinstance(exc, (UsageProblem, MotionError))


def fail(message: str, status: int) -> NoReturn:
    lines = [line for line in literal(redact(message)).splitlines() if line.strip()] or ["failed"]
    for line in lines:
        echo(line if line.startswith(("error:", "warning:")) else f"error: {line}", err=True)
    sys.exit(status)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def explain(exc: BaseException) -> tuple[str, int]:
    """(one-line message, exit status) for an exception no command handled itself."""
    from arena.llm.types import LLMError
    from arena.motions import MotionError

    if isinstance(exc, (UsageProblem, MotionError)):
        return str(exc), USAGE
    if isinstance(exc, (ArenaError, LLMError)):
        return str(exc), RUNTIME
    if isinstance(exc, UnicodeEncodeError) and "surrogate" in str(exc.reason):
        # Answers and files are repaired where they are read; what is left came in as
        # undecodable bytes from the command line, a file name or the environment.
        return (
            "a value is not valid UTF-8 text (undecodable bytes in an argument, a file name or an "
            "environment variable); give it in UTF-8",
            USAGE,
        )
    if isinstance(exc, UnicodeDecodeError):
        return (f"a file is not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8", USAGE)
    if isinstance(exc, (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError)):
        what = {
            FileNotFoundError: "does not exist (or its folder does not)",
            IsADirectoryError: "is a directory, not a file",
            NotADirectoryError: "has a part that is not a directory",
            PermissionError: "is not accessible (permission denied)",
        }[type(exc)]
        return f"{exc.filename or 'a path'}: {what}; check the path", USAGE
    if isinstance(exc, OSError):
        return f"{exc.filename or 'input/output'}: {exc.strerror or _first_line(exc)}", RUNTIME
    database = _database_problem(exc)
    if database is not None:
        return database
    if isinstance(exc, MemoryError):
        return "out of memory: the input is too large", RUNTIME
    return (
        f"internal error ({type(exc).__name__}: {_first_line(exc)[:200]}); "
        "run again with ARENA_DEBUG=1 for the traceback and please report it"
    ), RUNTIME


def _database_problem(exc: BaseException) -> tuple[str, int] | None:
    db = os.environ.get("ARENA_DB") or "the database"
    ctx = click.get_current_context(silent=True)
    root = ctx.find_root() if ctx is not None else None
    obj = getattr(root, "obj", None)
    db = getattr(obj, "db", None) or db
    if isinstance(exc, ModuleNotFoundError) and exc.name:
        return (
            f"--db {db}: the database driver {exc.name!r} is not installed; "
            f"pip install {exc.name.split('.')[0]} (or use a SQLite path)"
        ), USAGE
    try:
        from arena.store import errors as database  # SQLAlchemy's failures under the store's names
    except ImportError:  # pragma: no cover - sqlalchemy is a dependency
        return None
    if isinstance(exc, database.DatabaseUrlError):
        return (
            f"--db {db}: not a database path or SQLAlchemy URL ({_first_line(exc)}); "
            "expected a file path or e.g. sqlite:///ratings.db, postgresql+psycopg://user@host/arena"
        ), USAGE
    if isinstance(exc, database.DatabaseUnavailable):
        return f"--db {db}: the database could not be used: {_first_line(getattr(exc, 'orig', exc))}", RUNTIME
    if isinstance(exc, database.DatabaseRejected):
        return (
            f"--db {db}: not an arena database ({_first_line(getattr(exc, 'orig', exc))}); "
            "point --db at a ratings database or a new file"
        ), USAGE
    if isinstance(exc, database.DatabaseError):
        return f"--db {db}: database error: {_first_line(exc)}", RUNTIME
    return None


def handle(exc: BaseException) -> NoReturn:
    message, status = explain(exc)
    fail(message, status)


GLOBAL_OPTIONS = ("--db", "--config")


class GuardedGroup(click.Group):
    """A click group whose commands cannot end in a traceback (unless ARENA_DEBUG is set)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.NoSuchOption as exc:
            if exc.option_name in GLOBAL_OPTIONS:  # `arena leaderboard --db x.db`: say where it goes
                raise click.UsageError(
                    f"{exc.option_name} is an option of `arena` itself: put it before the command, e.g. "
                    f"`arena {exc.option_name} VALUE {ctx.invoked_subcommand or 'COMMAND'} …`",
                    exc.ctx,
                ) from None
            raise
        except click.ClickException as exc:
            # click prints its own messages; those quote the user's values (a --anchor, a
            # file name), so they pass the terminal writer's cleaning first.
            vars(exc)["message"] = terminal_text(exc.message)  # click declares it Final; it is a plain attribute
            raise
        except (click.exceptions.Exit, click.exceptions.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            echo("interrupted", err=True)
            sys.exit(130)
        except Exception as exc:  # noqa: BLE001 - the one place every failure becomes a message
            if lets_through(exc):
                raise
            handle(exc)
