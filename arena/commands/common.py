"""What every command shares: the lazily opened store and config, JSON output, and
turning user mistakes into one clear line instead of a traceback."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

import click

from arena.errors import ArenaError, UsageProblem

if TYPE_CHECKING:
    from rich.console import Console

    from arena.config import Config
    from arena.store.store import Store


class Context:
    """Opened on first use, so `arena --help` and `arena motions list` touch no database."""

    def __init__(self, db: str | None, config: str | None) -> None:
        self.db = db
        self.config_file = config
        self._store: Store | None = None
        self._config: Config | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            from arena.store.store import Store

            self._store = Store(self.db)
        return self._store

    @property
    def config(self) -> Config:
        if self._config is None:
            from arena.config import load_config

            self._config = load_config(self.config_file)
        return self._config


pass_ctx = click.make_pass_decorator(Context)


def out_console() -> Console:
    from rich.console import Console

    return Console()


def err_console() -> Console:
    from rich.console import Console

    return Console(stderr=True)


def emit_json(data: object) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def friendly(fn: Callable) -> Callable:
    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from arena.llm.types import LLMError
        from arena.motions import MotionError
        from arena.store.errors import DatabaseUnavailable

        try:
            return fn(*args, **kwargs)
        except DatabaseUnavailable as exc:
            click.echo(f"error: the database could not be used: {exc.orig}", err=True)
            sys.exit(1)
        except (UsageProblem, MotionError) as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)
        except (ArenaError, LLMError) as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)

    return wrapper


def split_csv(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]
