"""The command-line options of a debate's options, built once from `DebateOptions`.

`@debate_options()` adds one click option per field of `arena.debate.options.DebateOptions`
(spelled as its `Flag` says, the click type following the field's type) and hands the
command one `options: DebateOptions` instead of a parameter per option. `arena debate`
and `arena tournament run` use it, so both spell every option the same way."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, Field, fields
from functools import wraps
from typing import Any, Literal, TypeVar, get_args, get_origin, get_type_hints

import click

from arena.commands.common import FiniteFloat, split_csv
from arena.debate.options import DebateOptions, Flag

F = TypeVar("F", bound=Callable[..., Any])


def _alias(name: str, n: int) -> str:
    return f"{name}__alias{n}"


def field_options(f: Field[Any], help_text: str | None = None) -> list[Callable[[F], F]]:
    """The click option of one field, and its hidden aliases (older spellings)."""
    flag: Flag = f.metadata["flag"]
    kind = get_type_hints(DebateOptions)[f.name]
    default = f.default if f.default is not MISSING else None
    args = [a for a in get_args(kind) if a is not type(None)]
    extra: dict[str, Any] = {}
    if kind is bool or (get_origin(kind) is not None and args == [bool]):
        if "/" not in flag.decls:
            extra["is_flag"] = True
    elif flag.choices or get_origin(kind) is Literal:
        extra["type"] = click.Choice(flag.choices or get_args(kind))
    elif get_origin(kind) is tuple:
        extra["multiple"] = True
    elif int in (kind, *args) and (flag.low is not None or flag.high is not None):
        extra["type"] = click.IntRange(flag.low, flag.high)
    elif float in (kind, *args):
        extra["type"] = FiniteFloat(flag.low, flag.high)
    shown = flag.show_default and default not in (None, False, ())
    options = [
        click.option(
            flag.decls,
            f.name,
            default=default,
            show_default=shown,
            metavar=flag.metavar,
            help=help_text or flag.help,
            **extra,
        )
    ]
    for n, alias in enumerate(flag.aliases):
        options.append(click.option(alias, _alias(f.name, n), default=None, hidden=True, **extra))
    return options


def option_value(name: str, values: dict[str, Any]) -> Any:
    """A field's value from click's parameters (popped), its hidden aliases included."""
    f = next(f for f in fields(DebateOptions) if f.name == name)
    value = values.pop(name)
    for n, _ in enumerate(f.metadata["flag"].aliases):
        given = values.pop(_alias(name, n))
        if given is not None:
            value = given
    if name == "judges":
        return _judges(value)
    if f.default is None and value is False:
        return None  # a plain flag left out: not asked for (e.g. adaptive break: as the format says)
    return value


def _judges(values: tuple[str, ...]) -> tuple[str, ...]:
    """`--judge` values, each one judge or a comma-separated panel: an empty one (`--judge ""`)
    is a mistake, not a request for the default judge; `M*N` and the panel's size are bounded
    (arena.schemas)."""
    from arena.schemas import check_panel

    judges: list[str] = []
    for value in values:
        named = split_csv(value)
        if not named:
            raise click.BadParameter(
                f"{value!r} names no judge; give a model or an "
                "arena.toml name (e.g. --judge openai/gpt-4o-mini), or leave --judge out for the default judges",
                param_hint="'--judge'",
            )
        judges += named
    try:
        check_panel(judges)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--judge'") from None
    return tuple(judges)


def debate_options(help: dict[str, str] | None = None) -> Callable[[F], F]:
    """Every debate option as click options; the command receives `options: DebateOptions`.
    `help` replaces a field's help text on this command (field name -> text)."""
    texts = help or {}

    def decorate(fn: F) -> F:
        @wraps(fn)
        def command(*args: Any, **kwargs: Any) -> Any:
            options = DebateOptions(**{f.name: option_value(f.name, kwargs) for f in fields(DebateOptions)})
            return fn(*args, options=options, **kwargs)

        for f in reversed(fields(DebateOptions)):
            for option in reversed(field_options(f, texts.get(f.name))):
                command = option(command)
        return command  # type: ignore[return-value]

    return decorate


def single_option(name: str, help_text: str | None = None) -> Callable[[F], F]:
    """One field's option alone (for a command that takes only that one, e.g. `judges audit`);
    the command receives the field's value under its name."""
    f = next(f for f in fields(DebateOptions) if f.name == name)

    def decorate(fn: F) -> F:
        @wraps(fn)
        def command(*args: Any, **kwargs: Any) -> Any:
            value = option_value(name, kwargs)
            return fn(*args, **kwargs, **{name: value})

        for option in reversed(field_options(f, help_text)):
            command = option(command)
        return command  # type: ignore[return-value]

    return decorate
