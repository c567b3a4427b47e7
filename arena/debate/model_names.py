"""A model's name as a user types it, turned into its settings: a name from arena.toml,
or provider/model (the "model:" prefix is optional). Kept apart from participants.py so
that team specs (which name a model per role) and participants both build on it
without importing each other."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence

from arena.config import Config, ModelSettings
from arena.errors import UsageProblem

DEFAULT_MODEL = "local/smollm2"


def shown_name(participant: str, names: Mapping[str, str] | None = None) -> str:
    """How people are shown a participant: its arena.toml name where it has one, else its
    id without the implied `model:` (`sim/alice`). Tables and exports keep whole ids."""
    return (names or {}).get(participant) or participant.removeprefix("model:")


def fitted_names(labels: Sequence[str], width: int) -> list[str]:
    """Each label fitted to `width` characters for a table or a chart, every one distinct
    where the labels are: whole where it fits; else without its provider (`sim/alice?skill=0.9`
    → `alice?skill=0.9`; a team or a person keeps its kind); else cut at its end
    (`alice?skil…`); where two would then read the same, their start and the part from where
    they first differ (`alice?…9&seed`, `alice?…8&seed`); as a last resort numbered.
    Never two rows that read alike."""
    width = max(width, 4)
    out = [label if len(label) <= width else _cut_end(_bare(label), width) for label in labels]
    for group in _clashes(labels, out):
        bares = [_bare(labels[i]) for i in group]
        differ = len(os.path.commonprefix(bares))
        for i, bare in zip(group, bares):
            out[i] = _around(bare, differ, width)
    for group in _clashes(labels, out):
        for n, i in enumerate(group):
            mark = f"#{n + 1}"
            out[i] = _around(_bare(labels[i]), 0, width - len(mark)) + mark
    return out


def in_full(shortened: Mapping[str, str], what: str) -> str:
    """The names a table shortened, once, under it: "Judges in full: a… = abc; …"."""
    return f"{what} in full: " + "; ".join(f"{shown} = {full}" for shown, full in shortened.items()) + "."


def _bare(label: str) -> str:
    """Without the provider of a plain model id (`sim/alice` → `alice`); a team, a person or
    an arena.toml name stays whole."""
    head, sep, rest = label.partition("/")
    return rest if sep and re.fullmatch(r"[a-z][a-z0-9_-]*", head) else label


def _cut_end(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _around(text: str, differ: int, width: int) -> str:
    """`text` in `width` characters showing its start and the part from `differ` on."""
    if len(text) <= width:
        return text
    head = min(differ, max(1, (width - 1) // 2))
    if head >= differ:  # they differ early: the end cut shows it
        return _cut_end(text, width)
    start = min(differ, len(text) - (width - 1 - head))
    return text[:head] + "…" + text[start : start + width - 1 - head]


def _clashes(labels: Sequence[str], shown: list[str]) -> list[list[int]]:
    """Groups of rows that read the same while their labels differ."""
    seen: dict[str, list[int]] = {}
    for i, text in enumerate(shown):
        seen.setdefault(text, []).append(i)
    return [group for group in seen.values() if len({labels[i] for i in group}) > 1]


def unrated_notes(models: Sequence[str]) -> list[str]:
    """One line for each simulator given options its rating does not keep, so that
    `latency=` never vanishes without a word: `sim/a?latency=0.2&skill=0.5` is rated as
    `sim/a` (latency is a drill's condition; skill=0.5 the default)."""
    from arena.llm.simulator import rated_identity, unrated_options

    notes = []
    for model in dict.fromkeys(m.removeprefix("model:") for m in models):
        if not model.startswith("sim/") or "?" not in model:
            continue
        dropped = unrated_options(model)
        if dropped:
            notes.append(
                f"note: {model} is rated as {rated_identity(model)}: {', '.join(dropped)} "
                "(a drill's condition or a default value) does not change who debates"
            )
    return notes


def check_name(name: str) -> str:
    """A participant or judge name as typed: printable, not empty, not absurdly long."""
    from arena.literal import has_control
    from arena.schemas import MAX_NAME

    if not name.strip():
        raise UsageProblem("a participant or judge name must not be empty")
    if has_control(name) or len(name) > MAX_NAME:
        raise UsageProblem(
            f"participant {name[:40]!r}: expected a name of at most {MAX_NAME} printable "
            "characters (no control characters)"
        )
    return name


def model_settings(name: str, config: Config, *, judge: bool = False) -> ModelSettings:
    check_name(name)
    pool = config.judges if judge else config.participants
    if name in pool:
        return pool[name]
    if not judge and name in config.judges:
        return config.judges[name]
    if judge and name in config.participants:
        return config.participants[name]
    model = name.removeprefix("model:")
    if "/" not in model:
        own, other = (config.judges, config.participants) if judge else (config.participants, config.judges)
        known = sorted(own) or sorted(other)
        kind = "judge" if judge else "participant"
        hint = f" Names in arena.toml: {', '.join(known)}." if known else ""
        from arena.llm.routes import qualified

        guess = qualified(model) if model.strip() and " " not in model else None
        hint += f" Did you mean {guess}?" if guess else ""
        raise UsageProblem(
            f"unknown {kind} {name!r}: expected a name from arena.toml or a model as "
            f"provider/model (e.g. {DEFAULT_MODEL}, sim/alice, openai/gpt-4o-mini).{hint}"
        )
    validate_model(model)
    return ModelSettings(model=model)


_PROVIDER = re.compile(r"^[a-z][a-z0-9_-]*$")  # litellm's provider names: openai, ollama_chat, vertex_ai, …


def validate_model(model: str) -> None:
    """Catch typos in the models the arena itself provides before any debate starts, and
    model strings no provider could serve (`../..`, `/gpt-4o`)."""
    provider, _, rest = model.partition("/")
    if not _PROVIDER.match(provider) or not rest.strip():
        raise UsageProblem(
            f"model {model!r}: expected provider/model, e.g. openai/gpt-4o-mini, "
            f"ollama_chat/llama3.1, {DEFAULT_MODEL} or sim/alice"
        )
    if model.startswith("sim/"):
        from arena.llm.simulator import parse_sim_model

        try:
            parse_sim_model(model)
        except ValueError as exc:
            raise UsageProblem(str(exc)) from None
    elif model.startswith("local/"):
        from arena.llm.local import LOCAL_MODELS

        if model.removeprefix("local/") not in LOCAL_MODELS:
            raise UsageProblem(
                f"unknown local model {model!r}: expected one of " + ", ".join(f"local/{m}" for m in LOCAL_MODELS)
            )
