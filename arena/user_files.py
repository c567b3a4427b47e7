"""Files the arena reads from the user, opened one safe way.

Every file a user names or places (arena.toml, format and team files, motion files and
ARENA_MOTIONS folders, battle files, study files) is read by `read_user_text` or
`read_user_bytes`: it must be a regular file (a symlink to one is fine; a directory, a
device such as /dev/zero, a FIFO or a socket is refused, with the file's name and what
it is) of at most its kind's size, and it is read with that limit, so a file that grows
while it is read, or that is swapped for a FIFO after the check, never makes the read
endless or unbounded. `UserFileError` is a usage problem (exit status 2).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from arena.errors import UsageProblem

KIB, MIB = 1024, 1024 * 1024

# What a hand-written or generated file of each kind can reasonably hold, with room to
# spare: the shipped motion files are under 30 KiB, a FastChat battle line ~150 bytes
# (256 MiB is ~1.7 million battles), a study debate file a few hundred KiB.
MAX_CONFIG_BYTES = 1 * MIB  # arena.toml
MAX_FORMAT_BYTES = 1 * MIB  # a format TOML file
MAX_TEAM_BYTES = 1 * MIB  # a team definition
MAX_MOTION_FILE_BYTES = 4 * MIB  # one motions/*.toml
MAX_MOTION_FILES = 1000  # *.toml files in one motions folder
MAX_BATTLE_FILE_BYTES = 256 * MIB  # a battles import
MAX_STUDY_FILE_BYTES = 16 * MIB  # one overconfidence-study debate (JSON)
MAX_STUDY_FILES = 100_000  # *.json files under one study folder


class UserFileError(UsageProblem):
    """A user's file that is not a regular file, too large, unreadable or not UTF-8."""


def size_text(count: int) -> str:
    """A byte count as people say it (1 MiB, 256 MiB, 4 KiB, 17 bytes)."""
    for unit, name in ((MIB * 1024, "GiB"), (MIB, "MiB"), (KIB, "KiB")):
        if count >= unit:
            value = count / unit
            return f"{value:.0f} {name}" if value == int(value) else f"{value:.1f} {name}"
    return f"{count} bytes"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def regular_problem(path: Path) -> str | None:
    """Why `path` is not a readable regular file (following symlinks), or None if it is.
    Opens nothing, so it never blocks (on a FIFO, say)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "does not exist" if not os.path.islink(path) else "is a symlink to nothing (broken link)"
    except NotADirectoryError:
        return "has a part that is not a directory"
    except PermissionError:
        return "is not accessible (permission denied)"
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    if stat.S_ISREG(mode):
        return None
    return f"is a symlink to {_kind(mode)}" if os.path.islink(path) else f"is {_kind(mode)}"


def _refuse(path: Path, what: str, why: str, limit: int) -> UserFileError:
    return UserFileError(f"{path}: {why}; expected a regular file ({what}) of at most {size_text(limit)}")


def read_user_bytes(path: Path | str, what: str, limit: int) -> bytes:
    """The bytes of the user's file `path` (a `what`: "motion file", "battle file"…), at most
    `limit` of them; anything else raises `UserFileError` naming the file and why."""
    path = Path(path)
    why = regular_problem(path)
    if why is not None:
        raise _refuse(path, what, why, limit)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise _refuse(path, what, f"cannot be opened ({exc.strerror or exc})", limit) from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):  # swapped after the check above
            raise _refuse(path, what, f"is {_kind(info.st_mode)}", limit)
        if info.st_size > limit:
            raise _refuse(path, what, f"is {size_text(info.st_size)} ({info.st_size:,} bytes)", limit)
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise _refuse(path, what, f"cannot be read ({exc.strerror or exc})", limit) from None
    if len(data) > limit:
        raise _refuse(path, what, "grew past the limit while it was read", limit)
    return data


def read_user_text(path: Path | str, what: str, limit: int, errors: str = "strict") -> str:
    """`read_user_bytes` decoded as UTF-8; a file that is not UTF-8 raises `UserFileError`
    with the byte offset (unless `errors` says otherwise, e.g. "replace")."""
    data = read_user_bytes(path, what, limit)
    try:
        return data.decode("utf-8", errors=errors)
    except UnicodeDecodeError as exc:
        raise UserFileError(f"{path}: not UTF-8 text (byte {exc.start}); save the {what} as UTF-8") from None
