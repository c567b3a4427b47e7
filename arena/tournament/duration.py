"""How long a tournament plan will take, before it runs: the time line of the dry run,
also printed before every real run.

Only models whose speed we know are timed: the simulator (its `latency` per call, calls
spread over `concurrency`) and the embedded model (one call at a time in-process, so its
calls add up, at its measured speed on 2 cores). A hosted or served model's speed is
unknown until it has run: those are named, never guessed."""

from __future__ import annotations

from dataclasses import dataclass

from arena.tournament.estimate import Estimate

# The embedded SmolLM2-135M on 2 cores: prompt tokens read per second, and tokens
# written per second. Rough, on the slow side of "about 100 tokens/s on 2 idle cores";
# a machine busy with other work is several times slower (at a load average of 15 on
# 2 cores it read 400 prompt tokens and wrote 20 in a minute), which the running ETA,
# measured from the debates themselves, then shows.
LOCAL_PROMPT_TOKENS_PER_S = 400.0
LOCAL_OUTPUT_TOKENS_PER_S = 60.0


@dataclass(frozen=True)
class PlanDuration:
    seconds: float  # of the models whose speed is known
    unknown: tuple[str, ...]  # models whose speed is not known
    serial_models: tuple[str, ...]  # models whose calls run one at a time (the embedded one)

    def line(self) -> str:
        from arena.tournament.progress import clock

        text = f"estimated time: ≈{clock(self.seconds)}"
        if self.serial_models:
            text += f" ({', '.join(self.serial_models)} runs one call at a time, in-process)"
        if self.unknown:
            text += f" + the calls to {', '.join(self.unknown)} (speed unknown until they run)"
        return text


def plan_duration(est: Estimate, concurrency: int) -> PlanDuration:
    from arena.llm.simulator import is_sim_model, parse_sim_model

    serial = parallel = 0.0
    unknown, serial_models = [], []
    for m in sorted(est.models.values(), key=lambda m: m.model):
        if is_sim_model(m.model):
            parallel += parse_sim_model(m.model).latency * m.calls
        elif m.model.startswith("local/"):
            serial += m.tokens_in / LOCAL_PROMPT_TOKENS_PER_S + m.tokens_out / LOCAL_OUTPUT_TOKENS_PER_S
            serial_models.append(m.model)
        else:
            unknown.append(m.model)
    return PlanDuration(serial + parallel / max(1, concurrency), tuple(unknown), tuple(serial_models))
