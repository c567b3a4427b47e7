"""Participant names as users type them, turned into debaters and judges.

cautious                 a name from arena.toml
model:openai/gpt-4o      a single model (the "model:" prefix is optional)
sim/alice?skill=0.7      the simulator
team:a4d@local/smollm2   an Agent4Debate team
human:ada                a person (plays in the TUI)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from arena.config import Config
from arena.debate.judging import JudgeSpec
from arena.debate.model_names import DEFAULT_MODEL, check_name, model_settings, validate_model
from arena.debate.turns import Debater, ModelGateway
from arena.errors import UsageProblem

__all__ = [
    "DEFAULT_MODEL",
    "HumanFactory",
    "DefaultJudges",
    "build_debater",
    "check_name",
    "default_judges",
    "judge_specs",
    "model_settings",
    "validate_model",
]

# Set by front ends that can seat a person (the TUI); None means "not here".
HumanFactory = Callable[[str], Debater]


def build_debater(
    name: str,
    config: Config,
    gateway: ModelGateway,
    human: HumanFactory | None = None,
    role_models: dict[str, str] | None = None,
) -> Debater:
    check_name(name)
    if name.startswith("human:"):
        person = name.removeprefix("human:").strip()
        if not person:
            raise UsageProblem("a human participant needs a name: human:NAME")
        if human is None:
            raise UsageProblem("people debate in the TUI: run `arena` and press p")
        return human(person)
    if name.startswith("team:"):
        from arena.debate.team import build_team

        return build_team(name, config, gateway, role_models or {})
    from arena.debate.model_debater import ModelDebater

    return ModelDebater(model_settings(name, config), gateway)


# The judge of a drill nobody gave a judge: instant, like the debaters (the app offers the same one).
SIMULATED_JUDGE = "sim/judge-1"


@dataclass(frozen=True)
class DefaultJudges:
    """Who judges when no judge is given, and why: arena.toml's [defaults]; else a simulated
    judge when every debater is simulated (a drill stays instant: the embedded judge takes
    minutes on 2 cores); else the embedded model."""

    names: tuple[str, ...]
    why: str  # "config" | "simulated" | "default"

    def line(self) -> str:
        """One line for stderr, saying who decides and how to choose another."""
        names = ", ".join(self.names)
        if self.why == "simulated":
            return f"judge: {names} (every debater is simulated; pass --judge to choose)"
        if self.why == "config":
            return f"judges: {names} (arena.toml's [defaults]; --judge overrides)"
        return f"judges: {names} (the default, as no --judge was given; --judge overrides)"


def default_judges(debater_models: Iterable[set[str]], config: Config) -> DefaultJudges:
    """`debater_models`: the models each debater calls (`Debater.models`). A person calls
    none, so a debate with a person is not a simulated one."""
    from arena.llm.simulator import is_sim_model

    if config.default_judges:
        return DefaultJudges(tuple(config.default_judges), "config")
    models = list(debater_models)
    if models and all(m and all(is_sim_model(x) for x in m) for m in models):
        return DefaultJudges((SIMULATED_JUDGE,), "simulated")
    return DefaultJudges((DEFAULT_MODEL,), "default")


def judge_specs(names: list[str], config: Config, repeats: int = 1) -> list[JudgeSpec]:
    """`--judge M` values; `M*3` asks the same judge three times."""
    from arena.schemas import MAX_JUDGE_REPEATS, check_panel, judge_repeat

    chosen = names or config.default_judges or [DEFAULT_MODEL]
    if not 1 <= repeats <= MAX_JUDGE_REPEATS:
        raise UsageProblem(f"--judge-repeats {repeats}: a judge runs 1 to {MAX_JUDGE_REPEATS} times per debate")
    try:
        check_panel(chosen)
    except ValueError as exc:
        raise UsageProblem(str(exc)) from None
    specs = []
    for raw in chosen:
        name, count = judge_repeat(raw)
        specs.append(JudgeSpec(model_settings(name, config, judge=True), count or repeats))
    return specs
