"""How long a tournament plan will take, before it runs: the time line of the dry run,
also printed before every real run.

Only models whose speed we know are timed: the simulator (its `latency` per call, calls
spread over `concurrency`) and the embedded model (one call at a time in-process, so its
calls add up, at the speed measured on this machine: `arena.llm.local_speed`, a short
timing on first use, cached). A hosted or served model's speed is unknown until it has
run: those are named, never guessed. The line says it is an estimate and from what."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from arena.tournament.estimate import Estimate

if TYPE_CHECKING:
    from arena.llm.local_speed import LocalSpeed


@dataclass(frozen=True)
class PlanDuration:
    seconds: float  # of the models whose speed is known
    unknown: tuple[str, ...]  # models whose speed is not known
    serial_models: tuple[str, ...]  # models whose calls run one at a time (the embedded one)
    measured: Mapping[str, LocalSpeed] = field(default_factory=dict)  # the embedded models' measured speeds

    def line(self) -> str:
        from arena.tournament.progress import clock

        text = f"estimated time: ≈{clock(self.seconds)}"
        if self.serial_models:
            text += f" ({', '.join(self.serial_models)} runs one call at a time, in-process)"
        if self.unknown:
            text += f" + the calls to {', '.join(self.unknown)} (speed unknown until they run)"
        return text

    def basis(self) -> list[str]:
        """What the estimate rests on, one line per measured model."""
        return [
            f"an estimate from this machine's measured speed: {model} at {speed.describe()}"
            for model, speed in sorted(self.measured.items())
        ]

    def as_dict(self) -> dict[str, object]:
        doc: dict[str, object] = {"seconds": round(self.seconds, 1), "unknown_speed": list(self.unknown)}
        if self.measured:
            doc["measured"] = {model: speed.as_dict() for model, speed in sorted(self.measured.items())}
        return doc


def local_models(est: Estimate) -> list[str]:
    return sorted(m for m in est.models if m.startswith("local/"))


def measure_local(est: Estimate, announce: Callable[[str], None] | None = None) -> dict[str, LocalSpeed]:
    """The measured speed of each embedded model the plan calls: cached, else timed now
    (a few seconds, said first through `announce`)."""
    from arena.llm import local_speed

    speeds = {}
    for model in local_models(est):
        try:
            known = local_speed.speed_if_known(model)
            if known is None and announce is not None:
                announce(
                    f"timing {model} on this machine (once, a few seconds; kept in {local_speed.cache_path().parent})"
                )
            speeds[model] = known or local_speed.measured_speed(model)
        except Exception as exc:  # noqa: BLE001 - no model file, no llama.cpp: the plan still prints
            if announce is not None:
                announce(f"could not time {model} ({exc}); its speed is left unknown")
    return speeds


def plan_duration(est: Estimate, concurrency: int, measured: Mapping[str, LocalSpeed] | None = None) -> PlanDuration:
    """`measured`: the embedded models' speeds (`measure_local`); a local model without
    one is named as of unknown speed."""
    from arena.llm.simulator import is_sim_model

    measured = dict(measured or {})
    serial = parallel = 0.0
    unknown, serial_models = [], []
    for m in sorted(est.models.values(), key=lambda m: m.model):
        if is_sim_model(m.model):
            from arena.llm.simulator import parse_sim_model

            parallel += parse_sim_model(m.model).latency * m.calls
        elif m.model.startswith("local/") and m.model in measured:
            serial += measured[m.model].seconds(m.tokens_in, m.tokens_out)
            serial_models.append(m.model)
        else:
            unknown.append(m.model)
    used = {k: v for k, v in measured.items() if k in serial_models}
    return PlanDuration(serial + parallel / max(1, concurrency), tuple(unknown), tuple(serial_models), used)
