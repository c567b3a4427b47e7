"""Simulated members and raters of group discussions (arena group run), as simulator options.

    sim/m?conformity=0.8     after each round moves its private opinion 80% of the way
                             towards the stance the others took in what it was shown this
                             round (their public posts, the messages addressed to it);
                             0 (stubborn) keeps its own, up to a rare ±1 wobble
    sim/m?opinion=2          starts from private opinion 2 (1-6); unset: drawn from the
                             request's seed (each group draws its own)

A simulated member's public post and messages state its current private opinion in
words ("I somewhat agree that …"), so a rater can read the stance back. Any `sim/...`
model asked to rate a post (`group_stance`) is the lexical rater: `post_stance`."""

from __future__ import annotations

import random
import re

from arena.llm.types import LLMRequest
from arena.prompt_markers import (
    GROUP_MESSAGE,
    GROUP_OWN_OPINION,
    GROUP_POST,
    NO_MESSAGE,
    RATED_POST,
    STANCE_TAG,
    opinion_answer,
    tagged,
)

DEFAULT_CONFORMITY = 0.3
WOBBLE = 0.1  # the chance a private opinion moves one step on its own
PHRASES = {
    1: "strongly disagree",
    2: "disagree",
    3: "somewhat disagree",
    4: "somewhat agree",
    5: "agree",
    6: "strongly agree",
}
# Agreement phrases and their level on the slider's scale; at one position the longest
# phrase wins ("strongly disagree" before "disagree", "disagree" before "agree").
_LEVEL_PATTERNS: tuple[tuple[int, str], ...] = (
    (1, r"(?:strongly|completely|totally|absolutely) (?:disagree|oppose)"),
    (6, r"(?:strongly|completely|totally|absolutely|fully) (?:agree|support)"),
    (3, r"(?:somewhat|partly|partially|slightly|mostly) disagree"),
    (4, r"(?:somewhat|partly|partially|slightly|mostly) agree"),
    (2, r"(?:do not|don't|does not|doesn't|cannot|can't|never) (?:agree|support)|disagree[sd]?|oppose[sd]?"),
    (5, r"agree[sd]?|support(?:s|ed)?"),
)
_STANCE_PHRASE = re.compile(
    r"\b(?:" + "|".join(f"(?P<l{level}>{pattern})" for level, pattern in _LEVEL_PATTERNS) + r")\b", re.IGNORECASE
)
_YOU_ARE = re.compile(r"You are member (?P<label>[^\s,.]+)")
_TOPIC = re.compile(r"^Topic: (?P<text>.+)$", re.MULTILINE)
_OTHERS = re.compile(r"\((?P<list>[^()]*)\); only they will read it")
_PLAIN = frozenset("would should could house their there these those which where while about after every other".split())
_FILLERS = (
    "Looking at {a} and {b}, that is where I stand for now.",
    "The points about {a} matter to me more than the ones about {b}.",
    "I have thought about {a}, and {b} is part of the picture too.",
    "Whatever we decide, {a} deserves a closer look than {b}.",
)


def post_stance(text: str) -> float | None:
    """The lexical stance of a text on the 1-6 scale: the mean level of the agreement
    phrases it uses ("strongly disagree" 1, "disagree" 2, "somewhat disagree" 3,
    "somewhat agree" 4, "agree" 5, "strongly agree" 6; "support"/"oppose" and negations
    like "don't agree" count as agree/disagree); None when it uses none."""
    levels = [int(next(k for k, v in m.groupdict().items() if v)[1:]) for m in _STANCE_PHRASE.finditer(text)]
    return sum(levels) / len(levels) if levels else None


def initial_opinion(options: dict[str, float], rng: random.Random) -> int:
    """The planted one, else drawn for this request (so each group's seed draws its own)."""
    if "opinion" in options:
        return int(round(options["opinion"]))
    return rng.randint(1, 6)


def write(req: LLMRequest, name: str, options: dict[str, float], rng: random.Random, prompt: str) -> str | None:
    topic_found = _TOPIC.search(prompt)
    topic = topic_found.group("text").strip() if topic_found else "the topic"
    if req.purpose == "group_stance":
        _, _, rest = prompt.partition(RATED_POST)
        post = rest.strip().split("\n", 1)[0] if rest else ""
        stance = post_stance(post)
        return tagged(STANCE_TAG, 0 if stance is None else f"{stance:g}")
    me = _YOU_ARE.search(prompt)
    label = me.group("label") if me else ""
    own = _own_opinion(prompt, options, rng)
    if req.purpose == "group_opinion":
        if GROUP_OWN_OPINION.search(prompt):  # after a round: conform, or keep one's own
            own = _conform(own, _seen_stances(prompt, label), options.get("conformity", DEFAULT_CONFORMITY), rng)
        return opinion_answer(_claim(own, topic, rng, prompt), own)
    if req.purpose == "group_post":
        return _claim(own, topic, rng, prompt)
    if req.purpose == "group_message":
        others = _others(prompt, label)
        if not others or rng.random() < 0.5:
            return NO_MESSAGE
        return f"TO: {rng.choice(others)}\n{_claim(own, topic, rng, prompt)}"
    return None


def _own_opinion(prompt: str, options: dict[str, float], rng: random.Random) -> int:
    mine = GROUP_OWN_OPINION.findall(prompt)
    if mine:
        return int(mine[-1][1])
    return initial_opinion(options, rng)


def _seen_stances(prompt: str, label: str) -> list[float]:
    """The stances of the others' posts and the messages to this member, in the latest
    round shown."""
    seen: list[tuple[int, float]] = []
    for found in (*GROUP_POST.finditer(prompt), *GROUP_MESSAGE.finditer(prompt)):
        if found.group("member") == label:
            continue
        stance = post_stance(found.group("text"))
        if stance is not None:
            seen.append((int(found.group("round")), stance))
    if not seen:
        return []
    latest = max(r for r, _ in seen)
    return [s for r, s in seen if r == latest]


def _conform(own: int, seen: list[float], conformity: float, rng: random.Random) -> int:
    value = float(own)
    if seen:
        value += conformity * (sum(seen) / len(seen) - own)
    step = rng.random()
    if step < WOBBLE / 2:
        value -= 1
    elif step < WOBBLE:
        value += 1
    return int(min(6, max(1, round(value))))


def _others(prompt: str, label: str) -> list[str]:
    found = _OTHERS.search(prompt)
    if not found:
        return []
    names = [n.strip() for n in re.split(r",| and ", found.group("list")) if n.strip()]
    return [n for n in names if n != label]


def _claim(level: int, topic: str, rng: random.Random, prompt: str) -> str:
    """One sentence with the level's phrase, one without any (words of the topic that are
    agreement phrases themselves are left out, so the stance reads back exactly)."""
    words = [
        w
        for w in dict.fromkeys(re.findall(r"[A-Za-z]{5,}", topic))
        if w.lower() not in _PLAIN and not _STANCE_PHRASE.search(w)
    ]
    a, b = rng.sample(words, 2) if len(words) >= 2 else [*words, "this question", "its costs"][:2]
    return f"I {PHRASES[level]} with the topic. " + rng.choice(_FILLERS).format(a=a.lower(), b=b.lower())
