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


def setup_targets(setup: object) -> list[Target]:
    settings = [*_settings_of(getattr(setup, "pro", None)), *_settings_of(getattr(setup, "con", None))]
    settings += [j.settings for j in getattr(setup, "judges", [])]
    return [Target(s.model, s.api_base) for s in settings]


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
    settings += [spec.settings for spec in judge_specs(list(judges), config)]
    return [Target(s.model, s.api_base) for s in settings]


def require_ready(targets: Iterable[Target]) -> None:
    found = problems(targets)
    if found:
        raise UsageProblem("\n".join(["not ready to start:", *found]))
