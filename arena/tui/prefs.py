"""Small things the app remembers between runs: the player's name.

Kept as JSON in the user's config directory (`ARENA_HOME` overrides it, so tests and
shared machines can point elsewhere). A broken file is ignored, never fatal."""

from __future__ import annotations

import json
import os
from pathlib import Path

PREFS_FILE = "tui.json"


def prefs_dir() -> Path:
    home = os.environ.get("ARENA_HOME")
    if home:
        return Path(home).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("arena"))


def load_prefs() -> dict:
    try:
        data = json.loads((prefs_dir() / PREFS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_prefs(**values: object) -> None:
    data = {**load_prefs(), **values}
    folder = prefs_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f"{PREFS_FILE}.tmp"
        tmp.write_text(json.dumps(data, indent=2, sort_keys=True), encoding="utf-8")
        tmp.replace(folder / PREFS_FILE)
    except OSError:
        pass  # a read-only home: the name is asked again next time, nothing worse


def player_name() -> str | None:
    name = load_prefs().get("player_name")
    return name.strip() if isinstance(name, str) and name.strip() else None


def remember_player_name(name: str) -> None:
    save_prefs(player_name=name.strip())


def valid_player_name(name: str) -> str | None:
    """None if the name is fine, else why not (it becomes part of a stable id)."""
    name = name.strip()
    if not name:
        return "a name is needed"
    if len(name) > 40:
        return "at most 40 characters"
    if any(c in name for c in ":/?*,") or any(c.isspace() for c in name):
        return "letters, digits, - and _ only (it becomes human:NAME)"
    return None
