"""The commands a newcomer copies must work: every `arena …` line in the README's code
blocks and in the commands' own help examples names real commands and options, with
values of the right type, and every motion id it names exists."""

from __future__ import annotations

import re
import shlex
import warnings
from pathlib import Path

import click
import pytest

from arena.cli import cli
from arena.motions import load_motions

ROOT = Path(__file__).resolve().parents[1]


def _readme_lines() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    lines: list[str] = []
    for block in re.findall(r"```bash\n(.*?)```", text, flags=re.S):
        joined = re.sub(r"\\\n\s*", " ", block)  # continuation lines
        lines += [line for line in joined.splitlines() if line.strip()]
    return lines


def _help_lines() -> list[str]:
    lines: list[str] = []

    def walk(command: click.Command) -> None:
        text = re.sub(r"\\\n\s*", " ", command.help or "")  # continuation lines
        lines.extend(line for line in text.splitlines() if line.strip().startswith("arena "))
        if isinstance(command, click.Group):
            for sub in command.commands.values():
                walk(sub)

    walk(cli)
    return lines


def _invocations(lines: list[str]) -> list[list[str]]:
    found = []
    for line in lines:
        for part in re.split(r"&&|;|\|", line.split(" # ")[0]):
            words = shlex.split(part.strip())
            while words and "=" in words[0] and not words[0].startswith("-"):
                words = words[1:]  # ENV=value before the command
            if words[:1] == ["arena"]:
                found.append(words[1:])
    return found


def _remaining(ctx: click.Context) -> list[str]:
    """The words a group left for its subcommand (click 9 keeps them all in `args`)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return [*getattr(ctx, "protected_args", []), *ctx.args]


def _parse(args: list[str]) -> dict[str, object]:
    """Parse like `arena ARGS` would, down to the last subcommand, without running anything."""
    ctx = cli.make_context("arena", list(args), resilient_parsing=False)
    params: dict[str, object] = {}
    command: click.Command = cli
    rest = _remaining(ctx)
    while isinstance(command, click.Group) and rest:
        name, sub, rest = command.resolve_command(ctx, rest)
        assert sub is not None, f"no command {name!r}"
        ctx = sub.make_context(name or "", rest, parent=ctx)
        params.update(ctx.params)
        command = sub
        rest = _remaining(ctx) if isinstance(sub, click.Group) else []
    return params


EXAMPLES = _invocations(_readme_lines()) + _invocations(_help_lines())


def test_shell_characters_in_examples_are_quoted():
    # `sim/b?x=1&y=2` unquoted runs `sim/b?x=1` in the background in every shell (and
    # `?` is a glob that zsh refuses to leave unmatched)
    for line in _readme_lines() + _help_lines():
        unquoted = re.sub(r"'[^']*'|\"[^\"]*\"|#.*$|&&|\$\(.*?\)", "", line)
        assert "?" not in unquoted and "&" not in unquoted, line


def test_the_examples_are_found():
    assert len(_invocations(_readme_lines())) >= 20
    assert len(_invocations(_help_lines())) >= 3


@pytest.mark.parametrize("args", EXAMPLES, ids=[" ".join(a)[:60] for a in EXAMPLES])
def test_example_parses(args: list[str]) -> None:
    params = _parse(args)
    motion = params.get("motion_id")
    if isinstance(motion, str):
        assert motion in {m.id for m in load_motions().all()}, f"no motion {motion!r}"


def test_a_wrong_example_would_fail():
    with pytest.raises(click.UsageError):
        _parse(["debate", "--no-such-option"])
    with pytest.raises(click.UsageError):
        _parse(["tournamnet", "list"])


def _all_commands(command: click.Command, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path]
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            found += _all_commands(sub, (*path, name))
    return found


@pytest.mark.parametrize("path", _all_commands(cli), ids=lambda p: " ".join(p) or "arena")
def test_every_help_page_fits_80_columns(path: tuple[str, ...]) -> None:
    from click.testing import CliRunner

    out = CliRunner().invoke(cli, [*path, "--help"], terminal_width=80)
    assert out.exit_code == 0, out.output
    too_long = [line for line in out.output.splitlines() if len(line) > 80]
    assert not too_long
