"""How long a model call may take: two settings, each global and per participant.

- `stall_timeout` (default STALL_S): seconds a streamed answer may go without a piece
  (from the request to the first piece, then between pieces). A stream that stalls is
  cut and tried once more; a provider that stalls twice is hung, and the call fails.
- `timeout` (default TOTAL_S): seconds one attempt may take in all, streamed or not (a
  call that is not streamed has only this one). Two attempts timed out: the call fails.

A hung provider therefore fails a call after about 2 × 60 s streamed (2 × 120 s not
streamed), not after four full attempts as before (494 s).

Each is set, the first found winning: on the participant or judge in arena.toml
(`[participant.NAME] timeout = 300`), by the environment (`ARENA_TIMEOUT`,
`ARENA_STALL_TIMEOUT`), in arena.toml's `[defaults]`, else the default. A setting is
registered per server like the concurrency limits (`limits.key_of`: the `api_base`, else
the model); two participants naming the same server with different settings get the
longer. The embedded model (`local/...`) is never stalled (its tokens keep coming, only
slowly on a busy machine: `gateway.attempt_timeout`). A timeout's message names the
setting that fired and how to raise it (`Timeouts.hint`).
"""

from __future__ import annotations

import math
import os
import threading
from dataclasses import dataclass

from arena.errors import UsageProblem
from arena.llm.limits import key_of

TOTAL_S = 120.0
STALL_S = 60.0
MAX_S = 86_400.0  # a day: anything longer is a typo
ENV = {"timeout": "ARENA_TIMEOUT", "stall_timeout": "ARENA_STALL_TIMEOUT"}
BUILT_IN = {"timeout": TOTAL_S, "stall_timeout": STALL_S}


@dataclass(frozen=True)
class Setting:
    """One timeout's value and where it was set (said in the message when it fires)."""

    seconds: float
    source: str  # the arena.toml table ("participant.NAME", "judge.NAME"), "env", "defaults" or "built-in"

    def hint(self, name: str) -> str:
        """How to raise it, in words."""
        if "." in self.source:
            return f"raise it with {name} = SECONDS in [{self.source}] of arena.toml"
        if self.source == "env":
            return f"raise it with {ENV[name]}=SECONDS"
        return f"raise it with {name} = SECONDS in arena.toml's [defaults] (or {ENV[name]}=SECONDS)"


@dataclass(frozen=True)
class Timeouts:
    total: Setting
    stall: Setting


_lock = threading.Lock()
_defaults: dict[str, float] = {}  # arena.toml [defaults]
_servers: dict[str, dict[str, Setting]] = {}  # limits.key_of -> the participant's settings


def parse_seconds(value: object, where: str) -> float:
    """A timeout as written: a finite number of seconds in (0, MAX_S]; UsageProblem otherwise."""
    number: float | None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, (int, float)):
        number = float(value)
    else:
        try:
            number = float(str(value).strip())
        except ValueError:
            number = None
    if number is None or not math.isfinite(number) or not 0 < number <= MAX_S:
        raise UsageProblem(f"{where}: expected seconds, a number above 0 and at most {MAX_S:g}, got {value!r}")
    return number


def from_environment() -> dict[str, float]:
    """ARENA_TIMEOUT / ARENA_STALL_TIMEOUT when set (UsageProblem when not a number of seconds)."""
    found = {}
    for name, var in ENV.items():
        raw = os.environ.get(var, "").strip()
        if raw:
            found[name] = parse_seconds(raw, var)
    return found


def set_defaults(timeout: float | None = None, stall_timeout: float | None = None) -> None:
    """arena.toml's [defaults] (None: not set there)."""
    with _lock:
        _defaults.clear()
        _defaults.update({k: v for k, v in (("timeout", timeout), ("stall_timeout", stall_timeout)) if v is not None})


def register(
    model: str, api_base: str | None, table: str, timeout: float | None = None, stall_timeout: float | None = None
) -> None:
    """A participant's or judge's own settings (arena.toml's `table`, e.g. "participant.NAME"),
    for the calls to its server."""
    key = key_of(model, api_base)
    with _lock:
        own = _servers.setdefault(key, {})
        for setting, seconds in (("timeout", timeout), ("stall_timeout", stall_timeout)):
            if seconds is not None and (setting not in own or own[setting].seconds < seconds):
                own[setting] = Setting(seconds, table)


def clear() -> None:
    with _lock:
        _defaults.clear()
        _servers.clear()


def for_call(model: str, api_base: str | None) -> Timeouts:
    """The timeouts of a call to `model` (on `api_base`)."""
    try:
        environment = from_environment()
    except UsageProblem:
        environment = {}  # checked where the command starts (Gateway()); never fail a call for it
    with _lock:
        own = dict(_servers.get(key_of(model, api_base), {}))
        defaults = dict(_defaults)

    def pick(name: str) -> Setting:
        if name in own:
            return own[name]
        if name in environment:
            return Setting(environment[name], "env")
        if name in defaults:
            return Setting(defaults[name], "defaults")
        return Setting(BUILT_IN[name], "built-in")

    return Timeouts(total=pick("timeout"), stall=pick("stall_timeout"))
