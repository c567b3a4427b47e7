"""A simulated judge on a pairwise benchmark item (arena judges bench), with the audit's
planted options (arena/llm/sim_judge.py) read as:

    sim/j?accuracy=0.8&position_bias=0.3

- `accuracy`: the judge prefers the labelled better response with this probability (unset:
  a coin flip). The draw is keyed on the item and the judge, not on the order shown, so an
  unbiased judge chooses the same response in both orders.
- `position_bias`: with this probability (drawn per item and order) the judge names the
  response shown first, whatever it prefers.

So over both orders, expected P(prefer first position) = 0.5 + position_bias/2 and
expected human agreement = (1 − position_bias)·accuracy + position_bias/2. The simulator
learns which response is better from the key line only a simulated judge's prompt carries
(`prompt_markers.BENCH_SIM_KEY`, after the responses); without one it flips a coin keyed on
the prompt."""

from __future__ import annotations

import json
import random

from arena.llm.sim_digest import digest
from arena.llm.sim_judge import JudgeBiases
from arena.prompt_markers import BENCH_SIM_KEY


def write(name: str, seed: int, biases: JudgeBiases, prompt: str) -> str:
    # The runner appends the key after the responses: the last such line is the runner's,
    # and one a response carries (to steer the simulator) comes before it.
    keys = list(BENCH_SIM_KEY.finditer(prompt))
    key = keys[-1] if keys else None
    if key is None:
        return json.dumps({"better": "AB"[digest("bench-guess", name, seed, prompt) % 2]})
    item, better = key.group("item"), key.group("better")
    worse = "B" if better == "A" else "A"
    accuracy = 0.5 if biases.accuracy is None else biases.accuracy
    knows = random.Random(digest("bench-know", name, seed, item)).random() < accuracy
    choice = better if knows else worse
    if random.Random(digest("bench-first", name, seed, item, better)).random() < biases.position_bias:
        choice = "A"
    return json.dumps({"better": choice})
