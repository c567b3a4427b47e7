"""Writing a user-named output file (`-o FILE`): a missing folder or an unwritable path is
the user's to fix, said in one line, before anything is written."""

from __future__ import annotations

from pathlib import Path

from arena.errors import UsageProblem


def check_output(path: Path) -> Path:
    """`path` if a file can be written there, else a UsageProblem that says why."""
    if path.is_dir():
        raise UsageProblem(f"-o {path}: is a directory; expected a file name")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.exists():
        raise UsageProblem(f"-o {path}: the folder {folder} does not exist; create it or choose another path")
    if not folder.is_dir():
        raise UsageProblem(f"-o {path}: {folder} is not a folder")
    return path


def write_output(path: Path, text: str) -> None:
    check_output(path)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageProblem(f"-o {path}: cannot write it ({exc.strerror or exc})") from None
