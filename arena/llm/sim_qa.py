"""Simulated answers to QA items (arena study qa), as simulator options.

    sim/m?memorised=0.9      answers a multiple-choice item right with probability 0.9
                             (it "memorised" the test set), whatever its argument skill;
                             unset: guesses among the options

The simulated world's answer to a question (`sim_answer`) is a fixed digest of the
question and its options, so tests can write items whose official answer it knows
(motions/qa_sample.jsonl orders its options so that this key and the official one agree). Asked
for an alternative to defend, a simulated debater picks a wrong option at random."""

from __future__ import annotations

import random

from arena.llm.sim_digest import digest
from arena.llm.types import LLMRequest
from arena.prompt_markers import ANSWER_TAG, QA_OPTION, QA_QUESTION, tagged

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def sim_answer(question: str, options: list[str] | tuple[str, ...]) -> int:
    """The simulated world's answer: an option's index."""
    return digest("qa", " ".join(question.split()), *options) % len(options)


def write(req: LLMRequest, options: dict[str, float], rng: random.Random, prompt: str) -> str | None:
    found = QA_QUESTION.search(prompt)
    choices = [m.group("text").strip() for m in QA_OPTION.finditer(prompt)]
    if found is None or len(choices) < 2:
        return tagged(ANSWER_TAG, "I do not know")
    right = sim_answer(found.group("text").strip(), choices)
    wrong = [i for i in range(len(choices)) if i != right]
    if req.purpose == "qa_alternative":
        return tagged(ANSWER_TAG, LETTERS[rng.choice(wrong)])
    if "memorised" in options:
        pick = right if rng.random() < options["memorised"] else rng.choice(wrong)
    else:
        pick = rng.randrange(len(choices))
    return tagged(ANSWER_TAG, LETTERS[pick])
