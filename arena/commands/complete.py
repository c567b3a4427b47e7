"""Shell completion of the arena's own names: motion ids, participants, debate ids and
tournament names (commands and options complete through click already).

    eval "$(_ARENA_COMPLETE=bash_source arena)"     # bash (zsh_source, fish_source likewise)

The completers are attached here, by command path and parameter name, after every
command group is registered, so command modules stay free of completion code and a new
command taking a tournament NAME or a --motion gets it by naming its parameter alike.
A completer reads the database named on the command line (--db) or by ARENA_DB, never
creates one, and on any error completes nothing: a shell prompt is no place for a
traceback."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import click
from click.shell_completion import CompletionItem

Completer = Callable[[click.Context, str], list[CompletionItem]]

EMBEDDED = "local/smollm2"
SIMULATED = ("sim/alice", "sim/bob", "sim/judge")


def _root_option(ctx: click.Context, name: str) -> str | None:
    root = ctx.find_root()
    value = root.params.get(name)
    return str(value) if value else None


def _open_store(ctx: click.Context):
    """The store, if it already exists (completion never creates a database)."""
    from arena.store.engine import database_url
    from arena.store.store import Store

    db = _root_option(ctx, "db")
    url = database_url(db)
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if not path or path == ":memory:" or not Path(path).is_file():
            return None
    return Store(db)


def _config(ctx: click.Context):
    from arena.config import load_config

    return load_config(_root_option(ctx, "config_file"))


def _items(values: Iterable[str | tuple[str, str]], incomplete: str, prefix: str = "") -> list[CompletionItem]:
    out, seen = [], set()
    for value in values:
        name, helptext = value if isinstance(value, tuple) else (value, None)
        if name.startswith(incomplete) and name not in seen:
            seen.add(name)
            out.append(CompletionItem(prefix + name, help=helptext))
    return out


def motion_ids(ctx: click.Context, incomplete: str) -> list[CompletionItem]:
    from arena.motions import load_motions

    return _items(((m.id, m.text) for m in load_motions().all()), incomplete)


def participant_names(ctx: click.Context, incomplete: str) -> list[CompletionItem]:
    """arena.toml names, the embedded model, simulators, and every participant stored."""
    config = _config(ctx)
    names: list[str | tuple[str, str]] = [(n, s.model) for n, s in sorted(config.participants.items())]
    names += [(n, s.model) for n, s in sorted(config.judges.items())]
    names += [
        (EMBEDDED, "embedded, offline"),
        *((s, "simulator") for s in SIMULATED),
        (f"team:a4d@{EMBEDDED}", "agent team"),
    ]
    store = _open_store(ctx)
    if store is not None:
        from arena.store.queries import participants

        names += [p.id.removeprefix("model:") for p in participants(store)]
    return _items(names, incomplete)


def participant_list(ctx: click.Context, incomplete: str) -> list[CompletionItem]:
    """`--players a,b,c`: the last name of a comma-separated list."""
    done, _, last = incomplete.rpartition(",")
    prefix = done + "," if done else ""
    return [CompletionItem(prefix + item.value, help=item.help) for item in participant_names(ctx, last)]


def motion_list(ctx: click.Context, incomplete: str) -> list[CompletionItem]:
    done, _, last = incomplete.rpartition(",")
    prefix = done + "," if done else ""
    return [CompletionItem(prefix + item.value, help=item.help) for item in motion_ids(ctx, last)]


def debate_ids(ctx: click.Context, incomplete: str) -> list[CompletionItem]:
    store = _open_store(ctx)
    if store is None:
        return []
    from arena.store.queries import list_debates

    rows = list_debates(store, search=incomplete, limit=200)
    return _items(((d.id, f"{d.pro} vs {d.con} · {d.status}") for d in rows if d.id.startswith(incomplete)), incomplete)


def tournament_names(ctx: click.Context, incomplete: str) -> list[CompletionItem]:
    store = _open_store(ctx)
    if store is None:
        return []
    from arena.store.queries import tournament_names as names

    return _items(names(store), incomplete)


# (command path under `arena`, parameter name) -> completer
COMPLETERS: dict[tuple[str, str], Completer] = {
    ("debate", "motion_id"): motion_ids,
    ("debate", "pro"): participant_names,
    ("debate", "con"): participant_names,
    ("debate", "judges"): participant_names,
    ("motions show", "motion_id"): motion_ids,
    ("show", "debate_id"): debate_ids,
    ("tournament run", "players"): participant_list,
    ("tournament run", "motion_ids"): motion_list,
    ("tournament run", "judges"): participant_list,
    ("tournament resume", "name"): tournament_names,
    ("tournament show", "name"): tournament_names,
    ("tournament work", "name"): tournament_names,
    ("leaderboard", "tournament"): tournament_names,
    ("leaderboard", "anchor"): participant_names,
    ("confidence", "participant"): participant_names,
    ("confidence", "tournament"): tournament_names,
}


def _safe(completer: Completer) -> Callable[[click.Context, str], list[CompletionItem]]:
    def complete(ctx: click.Context, incomplete: str) -> list[CompletionItem]:
        try:
            return completer(ctx, incomplete)
        except Exception:  # noqa: BLE001 - a broken arena.toml or database completes nothing
            return []

    return complete


def commands_by_path(group: click.Group, prefix: str = "") -> dict[str, click.Command]:
    out: dict[str, click.Command] = {}
    for name, command in group.commands.items():
        path = f"{prefix}{name}"
        out[path] = command
        if isinstance(command, click.Group):
            out.update(commands_by_path(command, path + " "))
    return out


def attach(cli: click.Group) -> int:
    """Give the named parameters their completers; returns how many were attached."""
    commands = commands_by_path(cli)
    attached = 0
    for (path, param_name), completer in COMPLETERS.items():
        command = commands.get(path)
        for param in command.params if command is not None else []:
            if param.name == param_name:
                # Parameter.shell_complete(ctx, incomplete) is click's public hook; a
                # per-instance override keeps the declarations in the command modules untouched.
                param.shell_complete = _safe(completer)  # type: ignore[assignment]
                attached += 1
    return attached
