"""The pre-flight check wired to what users name: every model of a debate or a
tournament (debaters, team roles, judges) is checked before anything runs (see
arena.llm.preflight); a failure is a usage error, exit status 2."""

from __future__ import annotations

from collections.abc import Iterable

from arena.config import Config, ModelSettings
from arena.errors import UsageProblem
from arena.llm.preflight import Target, problems


def _settings_of(debater: object) -> list[ModelSettings]:
    spec = getattr(debater, "spec", None)
    roles = getattr(spec, "roles", None)
    if isinstance(roles, dict):
        return [s for s in roles.values() if isinstance(s, ModelSettings)]
    settings = getattr(debater, "settings", None)
    return [settings] if isinstance(settings, ModelSettings) else []


def _target(settings: ModelSettings, role: str) -> Target:
    """A model to check, labelled with its arena.toml name where it has one."""
    return Target(settings.model, settings.api_base, f"{role} {settings.name}" if settings.name else "")


def setup_targets(setup: object) -> list[Target]:
    targets = [_target(s, "participant") for side in ("pro", "con") for s in _settings_of(getattr(setup, side, None))]
    return targets + [_target(j.settings, "judge") for j in getattr(setup, "judges", [])]


def name_targets(players: Iterable[str], judges: Iterable[str], config: Config) -> list[Target]:
    from arena.debate.participants import judge_specs, model_settings
    from arena.debate.team_spec import parse_team

    settings: list[ModelSettings] = []
    for name in players:
        if name.startswith("human:"):
            continue
        if name.startswith("team:"):
            settings += list(parse_team(name, config).roles.values())
        else:
            settings.append(model_settings(name, config))
    targets = [_target(s, "participant") for s in settings]
    return targets + [_target(spec.settings, "judge") for spec in judge_specs(list(judges), config)]


def require_ready(targets: Iterable[Target]) -> None:
    found = problems(targets)
    if found:
        raise UsageProblem("\n".join(["not ready to start:", *found]))
