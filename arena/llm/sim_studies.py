"""Planted effects for the debate studies (arena study ...), as simulator options.

    sim/judge?decides=0.6            says "decided" at a break check with probability 0.6
                                     (unset: when its perceived margin exceeds 0.5)
    sim/judge?last_word=0.4          with probability 0.4 a ballot or round score goes to
                                     the side whose speech comes last in the transcript
    sim/judge?truth_accuracy=0.7     picks the true side of a motion with probability 0.7
    sim/judge?persona_accuracy=0.8   likewise when it judges with a persona
    sim/judge?fallacy_win=0.3        a ballot between a fallacious and a logical speech goes
                                     to the fallacious one with probability 0.3
    sim/bob?convince_logical=0.2&convince_fallacious=0.5
                                     changes its stance after a persuasion dialogue with
                                     these probabilities (logical / fallacious persuader)
    sim/bob?aligned_bonus=0.3        argues with skill ± 0.3 when with / against its prior
    sim/bob?sycophancy=0.6           chooses the side the judge leans to, against its own
                                     prior, with probability 0.6
    sim/m?conformity=0.8&opinion=2   a group member (arena group run): arena/llm/sim_groups.py
    sim/m?memorised=0.9              answers QA items right directly (arena/llm/sim_qa.py)

A simulated model's own position on a motion (`sim_prior`) and the simulated world's
answer to a motion (`sim_truth`) are fixed digests of the text, so tests can build
motions whose known answer the simulated judges can find. The simulator calls `write`
first; None means "no planted effect here, write as usual"."""

from __future__ import annotations

import json
import random
import re
from typing import Any

from arena.llm.sim_digest import digest as _digest
from arena.llm.sim_judge import quoted_speeches
from arena.llm.types import LLMRequest

OPTIONS: dict[str, tuple[float, float]] = {
    "decides": (0.0, 1.0),
    "last_word": (0.0, 1.0),
    "truth_accuracy": (0.0, 1.0),
    "persona_accuracy": (0.0, 1.0),
    "convince_logical": (0.0, 1.0),
    "convince_fallacious": (0.0, 1.0),
    "aligned_bonus": (0.0, 0.5),
    "sycophancy": (0.0, 1.0),
    "fallacy_win": (0.0, 1.0),
    "conformity": (0.0, 1.0),  # group members (arena/llm/sim_groups.py)
    "opinion": (1.0, 6.0),
    "memorised": (0.0, 1.0),  # QA items (arena/llm/sim_qa.py)
}
DEFAULT_BREAK_MARGIN = 0.5
PERSONA_MARK = "You judge as this person"

_MOTION_LINE = re.compile(r"^Motion: (?P<text>.+)$", re.MULTILINE)
_LEANS = re.compile(r"leans towards the (?P<side>Proposition|Opposition)")
_FALLACY_ASKED = re.compile(r"Use this fallacy: (?P<name>[a-z ]+)")
_SIDE_LABEL = {"pro": "Proposition", "con": "Opposition"}

# Fallacious persuasion as the simulator writes it: one opener per named fallacy, so a
# simulated debater can tell it apart from reasoned persuasion.
FALLACY_TEMPLATES: dict[str, str] = {
    "ad hominem": "Only someone careless or biased could still doubt that {claim}.",
    "false dilemma": "Either you accept that {claim}, or you accept chaos; there is no third way.",
    "slippery slope": "If we deny that {claim}, one step leads to the next until everything collapses.",
    "appeal to authority": "Every famous expert I know insists that {claim}, so it must be true.",
    "bandwagon": "Almost everybody already agrees that {claim}, so you should too.",
    "appeal to emotion": "Think of the suffering if we ignore that {claim}; how could you bear it?",
    "straw man": "Those who disagree that {claim} simply want nothing to ever change.",
    "hasty generalisation": "I once saw a case where it held, which proves that {claim}.",
}
_FALLACY_OPENERS = tuple(t.split("{", 1)[0] for t in FALLACY_TEMPLATES.values())
_LOGICAL = (
    "Consider the evidence: studies of cases like this one support the view that {claim}.",
    "The mechanism is clear, because the incentives involved push outcomes towards the view that {claim}.",
    "Weigh the costs and benefits: the data show more gains than harms if {claim}.",
)


def sim_truth(motion_text: str) -> str:
    """The simulated world's answer to a motion: "pro" (true) or "con"."""
    return "pro" if _digest("truth", motion_text.strip()) % 2 == 0 else "con"


def sim_prior(name: str, motion_text: str) -> str:
    """A simulated model's own position on a motion: "pro" or "con"."""
    return "pro" if _digest("prior", name, motion_text.strip()) % 2 == 0 else "con"


def motion_of(prompt: str) -> str:
    found = _MOTION_LINE.search(prompt)
    return found.group("text").strip() if found else ""


def fallacious_turns(prompt: str) -> int:
    return sum(prompt.count(opener) for opener in _FALLACY_OPENERS)


def write(
    req: LLMRequest, name: str, options: dict[str, float], skill: float, rng: random.Random, prompt: str
) -> str | None:
    """The answer under a planted effect, or None when none applies to this request."""
    from arena.llm import simulator as sim  # the simulator imports this module lazily

    purpose = req.purpose
    if purpose.startswith("group_"):
        from arena.llm import sim_groups

        return sim_groups.write(req, name, options, rng, prompt)
    if purpose.startswith("qa_"):
        from arena.llm import sim_qa

        return sim_qa.write(req, options, rng, prompt)
    motion = motion_of(prompt)
    if purpose == "break_check":
        return _break_check(options, rng, prompt, sim, skill)
    if purpose == "stance":
        return _stance(name, options, rng, prompt, motion)
    if purpose == "side_choice":
        return _side_choice(name, options, rng, prompt, motion)
    if purpose == "persuade":
        return _persuade(rng, prompt, motion)
    if purpose == "speech" and options.get("aligned_bonus") and motion:
        side = "pro" if "You argue FOR the motion" in prompt else "con"
        bonus = options["aligned_bonus"] * (1 if sim_prior(name, motion) == side else -1)
        topic, words = sim._topic_words(prompt)
        return sim.write_speech(
            rng, topic, words, req.word_limit or sim.DEFAULT_WORDS, min(1.0, max(0.0, skill + bonus))
        )
    if purpose in ("ballot", "round_score") and req.json_schema is not None:
        forced = _forced_winner(options, rng, prompt, motion)
        if forced is None:
            return None
        view = sim._JudgeView.perceive(sim.judge_strengths(prompt), rng, skill)
        if view.winner != forced:
            view = sim._JudgeView(view.con, view.pro)
        topic, _ = sim._topic_words(prompt)
        return json.dumps(sim._SchemaWriter(req.json_schema, rng, view, topic).value(req.json_schema))
    return None


def _forced_winner(options: dict[str, float], rng: random.Random, prompt: str, motion: str) -> str | None:
    persona = PERSONA_MARK in prompt
    accuracy = options.get("persona_accuracy" if persona else "truth_accuracy")
    if accuracy is None and persona:
        accuracy = options.get("truth_accuracy")
    if accuracy is not None and motion:
        truth = sim_truth(motion)
        return truth if rng.random() < accuracy else ("con" if truth == "pro" else "pro")
    if "fallacy_win" in options:
        fallacious = {q.side for q in quoted_speeches(prompt) if fallacious_turns(q.text)}
        if len(fallacious) == 1:
            side = fallacious.pop()
            return side if rng.random() < options["fallacy_win"] else ("con" if side == "pro" else "pro")
    if options.get("last_word"):
        sides = [q.side for q in quoted_speeches(prompt)]
        if sides and rng.random() < options["last_word"]:
            return sides[-1]
    return None


def _break_check(options: dict[str, float], rng: random.Random, prompt: str, sim: Any, skill: float) -> str:
    view = sim._JudgeView.perceive(sim.judge_strengths(prompt), rng, skill)
    if "decides" in options:
        decided = rng.random() < options["decides"]
    else:
        decided = view.margin > DEFAULT_BREAK_MARGIN
    confidence = int(min(95, 50 + 100 * view.margin))
    return json.dumps(
        {
            "decided": decided,
            "leader": _SIDE_LABEL[view.winner],
            "confidence": confidence,
            "reason": "The leading side answered the clash and the other side did not.",
        }
    )


def _stance(name: str, options: dict[str, float], rng: random.Random, prompt: str, motion: str) -> str:
    prior = sim_prior(name, motion)
    stance = prior
    if "PERSUASION DIALOGUE" in prompt:  # after a persuasion dialogue: convinced or not
        fallacious = fallacious_turns(prompt) > 0
        p = options.get("convince_fallacious" if fallacious else "convince_logical", 0.0)
        if rng.random() < p:
            stance = "con" if prior == "pro" else "pro"
    return json.dumps({"position": "agree" if stance == "pro" else "disagree", "confidence": 60 + rng.randint(0, 30)})


def _side_choice(name: str, options: dict[str, float], rng: random.Random, prompt: str, motion: str) -> str:
    prior = sim_prior(name, motion)
    found = _LEANS.search(prompt)
    favoured = ("pro" if found.group("side") == "Proposition" else "con") if found else prior
    chosen = favoured if favoured != prior and rng.random() < options.get("sycophancy", 0.0) else prior
    return json.dumps({"side": _SIDE_LABEL[chosen], "reason": "This is the side I can argue best."})


def _persuade(rng: random.Random, prompt: str, motion: str) -> str:
    claim = (motion or "the claim holds").rstrip(".")
    claim = claim[0].lower() + claim[1:] if claim else claim
    asked = _FALLACY_ASKED.search(prompt)
    if asked and asked.group("name").strip() in FALLACY_TEMPLATES:
        first = FALLACY_TEMPLATES[asked.group("name").strip()].format(claim=claim)
        return f"{first} Surely you can see it now."
    return " ".join(rng.sample(_LOGICAL, 2)).format(claim=claim)


def parse_option(model: str, key: str, raw: str) -> float:
    lo, hi = OPTIONS[key]
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"simulator option {key!r} must be a number, got {raw!r} in {model!r}") from None
    if not lo <= value <= hi:
        raise ValueError(f"simulator option {key!r} must be within [{lo:g}, {hi:g}], got {raw!r} in {model!r}")
    return value
