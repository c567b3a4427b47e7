"""Writing a user-named output file (`-o FILE`): a missing folder or an unwritable path is
the user's to fix, said in one line, before anything is written; so is a path that names
something the command reads: the database (`--db`, or any SQLite file), arena.toml, or an
input file of the command."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from arena.errors import UsageProblem

SQLITE_MAGIC = b"SQLite format 3\x00"


def _same(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and a.samefile(b)
    except OSError:
        return False


def _read_paths() -> list[tuple[str, Path]]:
    """The files every command may read: the database and the config, from the CLI's context."""
    import os

    import click

    ctx = click.get_current_context(silent=True)
    obj = getattr(ctx.find_root(), "obj", None) if ctx is not None else None
    found: list[tuple[str, Path]] = []
    db = getattr(obj, "db", None) or os.environ.get("ARENA_DB") or "ratings.db"
    if "://" not in db or db.startswith("sqlite:///"):
        found.append(("the database (--db)", Path(db.removeprefix("sqlite:///")).expanduser()))
    config = getattr(obj, "config_file", None) or os.environ.get("ARENA_CONFIG")
    if config:
        found.append(("the config file (--config)", Path(config)))
    return found


def check_output(path: Path, inputs: Iterable[Path] = ()) -> Path:
    """`path` if a file can be written there, else a UsageProblem that says why."""
    if path.is_dir():
        raise UsageProblem(f"-o {path}: is a directory; expected a file name")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.exists():
        raise UsageProblem(f"-o {path}: the folder {folder} does not exist; create it or choose another path")
    if not folder.is_dir():
        raise UsageProblem(f"-o {path}: {folder} is not a folder")
    for what, read in [*_read_paths(), *(("an input file", Path(p)) for p in inputs)]:
        if _same(path, read):
            raise UsageProblem(f"-o {path}: is {what}; writing there would destroy it: choose another file name")
    if path.is_file():
        try:
            with path.open("rb") as handle:
                head = handle.read(len(SQLITE_MAGIC))
        except OSError:
            head = b""
        if head == SQLITE_MAGIC:
            raise UsageProblem(
                f"-o {path}: is a SQLite database; an export never overwrites one: choose another file name"
            )
    return path


def write_output(path: Path, text: str, inputs: Iterable[Path] = ()) -> None:
    check_output(path, inputs)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageProblem(f"-o {path}: cannot write it ({exc.strerror or exc})") from None
