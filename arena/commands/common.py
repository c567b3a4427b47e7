"""What every command shares: the lazily opened store and config, JSON output, and
turning user mistakes into one clear line instead of a traceback."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

import click

from arena.literal import echo

if TYPE_CHECKING:
    from rich.console import Console

    from arena.config import Config
    from arena.store.store import Store


class Context:
    """Opened on first use, so `arena --help` and `arena motions list` touch no database."""

    def __init__(self, db: str | None, config: str | None, call_log: str | None = None) -> None:
        self.db = db
        self.config_file = config
        self.call_log = call_log  # --call-log / ARENA_CALL_LOG; else arena.toml's [defaults] call_log
        self._store: Store | None = None
        self._config: Config | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            from arena.config import call_log_level
            from arena.store.store import Store

            self._store = Store(self.db, call_log=call_log_level(self.call_log, self._configured_call_log()))
        return self._store

    def _configured_call_log(self) -> str | None:
        """arena.toml's call log setting; a broken arena.toml is reported by the commands that
        read it (`arena show` needs none)."""
        from arena.errors import UsageProblem

        try:
            return self.config.call_log
        except UsageProblem:
            return None

    @property
    def config(self) -> Config:
        if self._config is None:
            from arena.config import load_config

            self._config = load_config(self.config_file)
        return self._config


pass_ctx = click.make_pass_decorator(Context)


def out_console() -> Console:
    from arena.literal import safe_console

    return safe_console()


def err_console() -> Console:
    from arena.literal import safe_console

    return safe_console(stderr=True)


def emit_json(data: object) -> None:
    from arena.literal import json_literal
    from arena.redact import redact

    echo(redact(json_literal(json.dumps(data, indent=2, ensure_ascii=False, default=str))))


def friendly(fn: Callable) -> Callable:
    """User mistakes and runtime failures as one line and an exit status (see arena.guard)."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from arena.guard import handle, lets_through

        try:
            return fn(*args, **kwargs)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except KeyboardInterrupt:
            echo("interrupted", err=True)
            sys.exit(130)
        except BrokenPipeError:  # `arena … | head`: the reader has what it wanted; stop quietly
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing more at exit
            sys.exit(141)  # as a program stopped by SIGPIPE
        except Exception as exc:  # noqa: BLE001 - arena.guard turns it into one line
            if lets_through(exc):
                raise
            handle(exc)

    return wrapper


class FiniteFloat(click.FloatRange):
    """Every float option's type: a finite number (NaN and infinities are no numbers a user
    means, and pass click's range checks unnoticed), within [min, max] when given."""

    name = "number"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        import math

        number = click.FLOAT.convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"expected a finite number, got {value!r}", param, ctx)
        return super().convert(number, param, ctx)


def seed_type() -> click.IntRange:
    """Every `--seed` option's type: 0 … debate.options.MAX_SEED, the range the arena draws
    its own seeds from (so any seed it shows can be given back) and what every database
    column holds."""
    from arena.debate.options import MAX_SEED

    return click.IntRange(0, MAX_SEED)


def json_format(fmt: str, as_json: bool, default: str = "table") -> str:
    """`--json` is `--format json`, on the commands that also take other formats."""
    if as_json and fmt not in ("json", default):
        raise click.UsageError(f"--json and --format {fmt} disagree: give one of them")
    return "json" if as_json else fmt


def split_csv(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def ballot_progress(name: str, model: str, expected: int, approximate: bool = False) -> Callable[[int], None]:
    """A judge's progress on stderr about every tenth of its `expected` ballots (`~`: an
    estimate, so the last line is not promised); a simulated judge is quick and says nothing."""
    from rich.markup import escape

    step, quiet, err = max(1, expected // 10), model.startswith("sim/"), err_console()
    shown = f"~{expected}" if approximate else str(expected)

    def progress(done: int) -> None:
        if not quiet and (done % step == 0 or (done == expected and not approximate)):
            err.print(f"[dim]{escape(name)}: {done}/{shown} ballots[/]")

    return progress
