"""Participant names as users type them, turned into debaters and judges.

    cautious                 a name from arena.toml
    model:openai/gpt-4o      a single model (the "model:" prefix is optional)
    sim/alice?skill=0.7      the simulator
    team:a4d@local/smollm2   an Agent4Debate team
    human:ada                a person (plays in the TUI)
"""

from __future__ import annotations

from collections.abc import Callable

from arena.config import Config, ModelSettings
from arena.debate.judging import JudgeSpec
from arena.debate.turns import Debater, ModelGateway
from arena.errors import UsageProblem

DEFAULT_MODEL = "local/smollm2"

# Set by front ends that can seat a person (the TUI); None means "not here".
HumanFactory = Callable[[str], Debater]


def check_name(name: str) -> str:
    """A participant or judge name as typed: printable, not empty, not absurdly long."""
    from arena.literal import has_control
    from arena.schemas import MAX_NAME

    if not name.strip():
        raise UsageProblem("a participant or judge name must not be empty")
    if has_control(name) or len(name) > MAX_NAME:
        raise UsageProblem(f"participant {name[:40]!r}: expected a name of at most {MAX_NAME} printable "
                           "characters (no control characters)")
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
        known = sorted({*config.participants, *config.judges})
        hint = f" Names in arena.toml: {', '.join(known)}." if known else ""
        raise UsageProblem(
            f"unknown participant {name!r}: expected a name from arena.toml or a model as "
            f"provider/model (e.g. {DEFAULT_MODEL}, sim/alice, openai/gpt-4o-mini).{hint}"
        )
    validate_model(model)
    return ModelSettings(model=model)


def validate_model(model: str) -> None:
    """Catch typos in the models the arena itself provides before any debate starts."""
    if model.startswith("sim/"):
        from arena.llm.simulator import parse_sim_model

        try:
            parse_sim_model(model)
        except ValueError as exc:
            raise UsageProblem(str(exc)) from None
    elif model.startswith("local/"):
        from arena.llm.local import LOCAL_MODELS

        if model.removeprefix("local/") not in LOCAL_MODELS:
            raise UsageProblem(f"unknown local model {model!r}: expected one of "
                               + ", ".join(f"local/{m}" for m in LOCAL_MODELS))


def build_debater(name: str, config: Config, gateway: ModelGateway,
                  human: HumanFactory | None = None, role_models: dict[str, str] | None = None) -> Debater:
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


def judge_specs(names: list[str], config: Config, repeats: int = 1) -> list[JudgeSpec]:
    """`--judge M` values; `M*3` asks the same judge three times."""
    chosen = names or config.default_judges or [DEFAULT_MODEL]
    specs = []
    for raw in chosen:
        name, _, times = raw.partition("*")
        try:
            count = int(times) if times else repeats
        except ValueError:
            raise UsageProblem(f"judge {raw!r}: the repeat after * must be a whole number") from None
        if count < 1:
            raise UsageProblem(f"judge {raw!r}: repeats must be at least 1")
        specs.append(JudgeSpec(model_settings(name, config, judge=True), count))
    return specs
