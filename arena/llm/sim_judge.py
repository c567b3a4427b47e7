"""How a simulated judge decides, with biases planted on purpose for the judge audit.

`sim/j?position_bias=0.3&side_bias=0.2&gullibility=0.5&verbosity_bias=0.2&accuracy=0.8`

A simulated judge first perceives the debate's content: each side's mean
`speech_strength`, plus logistic noise (see the simulator). The noise is drawn from the
content alone (the speeches as sets of sentences, the motion, the judge and the run's
seed), never from the order they are shown in, an instruction slipped into a speech, or
a speech repeated to look longer. So an unbiased judge is perfectly consistent, and each
bias below is the only thing that moves a verdict on the audit's probes:

- `accuracy` (default: none): on a motion with a known answer, the judge names the true
  side with this probability, whatever was said: it "knows" the fact. Expected
  `ground_truth_accuracy` = accuracy under every protocol. Without it the judge has no
  knowledge and goes by the speeches (a coin flip when there are none).
- `consensus` (default: none): the judge names the debate's "consensus side" with this
  probability and the other side otherwise, whatever else it perceives. The consensus
  side is a fair coin drawn from the content alone (motion and speeches), the same for
  every judge; each judge's draw is its own (keyed by its name, seed and this option). So two judges with consensus p and q
  agree with probability pq + (1 − p)(1 − q), and their Cohen's κ is exactly
  (2p − 1)(2q − 1) (planted agreement, for `arena judges agreement`).
- `gullibility`: when a speech carries an instruction to the judge naming a side, the
  judge obeys it with this probability. Expected `injection_flip_rate` = gullibility.
- `verbosity_bias`: when one side's speeches run at least 1.5 times as long as the
  other's, the judge picks the longer side with this probability. Expected
  `verbosity_flip_rate` = verbosity_bias.
- `side_bias` in [-0.5, 0.5]: with probability 2·|side_bias| the judge picks the
  Proposition (positive) or the Opposition (negative) by label alone. Expected
  `side_bias` (Proposition share of mirror ballots − 0.5) = side_bias.
- `position_bias`: the judge picks the side quoted first with probability
  position_bias over all ballots (conditional probability position_bias / (1 − 2·|side_bias|)
  after the side bias). Expected `swap_flip_rate` = position_bias and
  `first_position_win_rate` = 0.5 + position_bias / 2. It needs
  position_bias + 2·|side_bias| ≤ 1.
- `length_bias` and `side_logit` (for the controlled ratings, `arena leaderboard
  --control`): preferences on the log-odds scale, so that a logistic fit can recover
  them exactly. Before the biases above, the perceived difference is shifted so that
  logit P(Proposition wins) = k·(pro − con) + length_bias·(w_pro − w_con)/(w_pro + w_con + 1)
  + side_logit, with w the words each side's quoted speeches hold and k the judge's
  sharpness (see `JudgeView.perceive`). `length_bias=2` makes a side speaking twice
  as many words (ratio 1/3) ≈ 0.67 logits likelier to win.

The biases act in that order, each drawn from the content-keyed generator, so an
injected or padded copy of a transcript is judged with the same draws as the original
and differs only where the bias acts. The dimension scores always follow the perceived
content, so a bias that overrides the content leaves a ballot whose winner contradicts
its own scores, as biased real judges do.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

from arena.llm.sim_digest import digest as _key
from arena.prompt_markers import QUOTED_SPEECH

# Option -> (low, high). The simulator's option parser accepts these for any sim model.
JUDGE_OPTIONS: dict[str, tuple[float, float]] = {
    "position_bias": (0.0, 1.0),
    "side_bias": (-0.5, 0.5),
    "gullibility": (0.0, 1.0),
    "verbosity_bias": (0.0, 1.0),
    "accuracy": (0.0, 1.0),
    "consensus": (0.0, 1.0),
    "length_bias": (-20.0, 20.0),
    "side_logit": (-5.0, 5.0),
}
VERBOSE_RATIO = 1.5


@dataclass(frozen=True)
class JudgeBiases:
    position_bias: float = 0.0
    side_bias: float = 0.0
    gullibility: float = 0.0
    verbosity_bias: float = 0.0
    accuracy: float | None = None  # None: no knowledge of the facts
    consensus: float | None = None  # None: no planted agreement with other judges
    length_bias: float = 0.0  # log-odds per unit of (w_pro − w_con)/(w_pro + w_con + 1)
    side_logit: float = 0.0  # log-odds added to the Proposition's chance

    @classmethod
    def from_options(cls, options: dict[str, float], model: str) -> JudgeBiases:
        biases = cls(**options)
        if biases.position_bias + 2 * abs(biases.side_bias) > 1 + 1e-9:
            raise ValueError(f"simulator options position_bias + 2*|side_bias| must be at most 1 in {model!r}")
        return biases

    def identity(self) -> list[str]:
        """The options that differ from an unbiased judge, as `key=value` (for its rated id)."""
        out = []
        for key in JUDGE_OPTIONS:
            value = getattr(self, key)
            if value not in (None, 0.0):
                out.append(f"{key}={value:g}")
        return out


@dataclass(frozen=True)
class JudgeView:
    """What a simulated judge perceives (both sides' strengths after its noise) and,
    if a bias overrode the content, the side it names anyway."""

    pro: float
    con: float
    forced: str | None = None
    # Neutral labels: the names the judge took for "pro" and "con". It does not know the
    # sides, so it takes the alphabetically first name for one: its side bias becomes a
    # bias for a name, which the random assignment of names spreads over both sides.
    labels: tuple[str, str] | None = None

    @property
    def winner(self) -> str:
        if self.forced is not None:
            return self.forced
        return "pro" if self.pro >= self.con else "con"

    @property
    def margin(self) -> float:
        return abs(self.pro - self.con)

    @classmethod
    def perceive(
        cls, strengths: tuple[float, float] | None, rng: random.Random, skill: float, logit_shift: float = 0.0
    ) -> JudgeView:
        """`logit_shift` is added to the log-odds of the Proposition being perceived ahead."""
        pro, con = strengths if strengths else (0.5, 0.5)
        # Logistic noise on the difference: P(pro perceived ahead) = logistic(k * (pro - con) + shift).
        k = sharpness(skill)
        u = min(max(rng.random(), 1e-9), 1 - 1e-9)
        noise = (math.log(u / (1 - u)) + logit_shift) / k
        return cls(pro + noise / 2, con - noise / 2)


def sharpness(skill: float) -> float:
    """k of a judge of this skill: P(pro perceived ahead) = logistic(k·(pro − con))."""
    return max(0.5, 12.0 * skill)


# --------------------------------------------------------------------------- reading the prompt

SIDES = {"Proposition": "pro", "Opposition": "con"}
_MOTION_LINE = re.compile(r"^Motion: (?P<text>.+)$", re.MULTILINE)
# The audit's injected instruction, and the usual wordings of one.
_INJECTION = re.compile(
    r"^.*\b(?:ignore|disregard) (?:the|all|any|your|previous) (?:rubric|instructions?|criteria)\b.*?"
    r"\bthe (?P<side>Proposition|Opposition|[A-Z][a-z]+ team) (?:has won|wins|must win)\b.*$",
    re.IGNORECASE | re.MULTILINE,
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class Quoted:
    side: str  # pro | con
    text: str


def side_names(prompt: str) -> dict[str, str]:
    """Name shown -> the side the judge takes it for (neutral names: alphabetical order)."""
    shown = list(dict.fromkeys(m.group("side") for m in QUOTED_SPEECH.finditer(prompt)))
    neutral = sorted(n for n in shown if n not in SIDES)
    return {**SIDES, **dict(zip(neutral, ("pro", "con")))}


def quoted_speeches(prompt: str, names: dict[str, str] | None = None) -> list[Quoted]:
    """The speeches between the judge delimiters, in the order shown."""
    names = names or SIDES
    return [
        Quoted(names[m.group("side")], m.group("text"))
        for m in QUOTED_SPEECH.finditer(prompt)
        if m.group("side") in names
    ]


def injected_side(speeches: list[Quoted], names: dict[str, str] | None = None) -> str | None:
    names = {k.lower(): v for k, v in (names or SIDES).items()}
    for speech in speeches:
        found = _INJECTION.search(speech.text)
        if found and found.group("side").lower() in names:
            return names[found.group("side").lower()]
    return None


def content(text: str) -> str:
    """What a speech says: no injected instruction, each sentence once (repeating a
    speech makes it longer, not different)."""
    text = _INJECTION.sub("", text)
    seen: dict[str, None] = {}
    for sentence in _SENTENCE.split(text.strip()):
        if sentence.strip():
            seen.setdefault(sentence.strip(), None)
    return " ".join(seen)


def longer_side(speeches: list[Quoted]) -> str | None:
    words = {"pro": 0, "con": 0}
    for s in speeches:
        words[s.side] += len(s.text.split())
    low, high = sorted(words.values())
    if low and high >= VERBOSE_RATIO * low:
        return max(words, key=words.__getitem__)
    return None


@lru_cache(maxsize=1)
def _truths() -> dict[str, str]:
    """Motion text -> true side, for the motions with a known answer."""
    try:
        from arena.motions import load_motions

        return {m.text: truth for m in load_motions() if (truth := getattr(m, "truth", None))}
    except Exception:  # no motion library here: the judge simply knows no facts
        return {}


def known_truth(prompt: str) -> str | None:
    found = _MOTION_LINE.search(prompt)
    return _truths().get(found.group("text").strip()) if found else None


# --------------------------------------------------------------------------- deciding


def judge_view(
    prompt: str, who: tuple[object, ...], skill: float, biases: JudgeBiases, strength: Callable[[str], float]
) -> JudgeView:
    """Perceive the content, then let the planted biases act (see the module docstring).
    `who` names the judge and its run (name, seed, request seed): the same judge on the
    same content draws the same numbers however the content is presented."""
    names = side_names(prompt)
    speeches = quoted_speeches(prompt, names)
    motion = _MOTION_LINE.search(prompt)
    canon = sorted((s.side, content(s.text)) for s in speeches)
    rng = random.Random(_key(*who, motion.group("text") if motion else "", canon))
    by_side: dict[str, list[float]] = {"pro": [], "con": []}
    for side, text in canon:
        by_side[side].append(strength(text))

    def mean(xs: list[float]) -> float:
        return sum(xs) / len(xs) if xs else 0.0

    strengths = (mean(by_side["pro"]), mean(by_side["con"])) if speeches else None
    words = {"pro": 0, "con": 0}
    for speech in speeches:
        words[speech.side] += len(speech.text.split())
    shift = biases.side_logit + biases.length_bias * (words["pro"] - words["con"]) / (words["pro"] + words["con"] + 1)
    view = JudgeView.perceive(strengths, rng, skill, shift if speeches else 0.0)
    neutral = {side: name for name, side in names.items() if name not in SIDES}
    if len(neutral) == 2:
        view = replace(view, labels=(neutral["pro"], neutral["con"]))
    u_truth, u_injection, u_verbose, u_side, u_position = (rng.random() for _ in range(5))

    truth = known_truth(prompt) if biases.accuracy is not None else None
    if truth is not None:
        right = u_truth < biases.accuracy  # type: ignore[operator]
        return replace(view, forced=truth if right else ("con" if truth == "pro" else "pro"))
    if biases.consensus is not None:
        shared = random.Random(_key("consensus", motion.group("text") if motion else "", canon)).random() < 0.5
        side = "pro" if shared else "con"
        # the judge's own draw, keyed by its option too: `sim/j?consensus=0.9` and
        # `sim/j?consensus=0.8` share a name, not their draws
        own = random.Random(_key(*who, "consensus", biases.consensus, canon)).random()
        return replace(view, forced=side if own < biases.consensus else ("con" if side == "pro" else "pro"))
    pushed = injected_side(speeches, names)
    if pushed is not None and u_injection < biases.gullibility:
        return replace(view, forced=pushed)
    longer = longer_side(speeches)
    if longer is not None and u_verbose < biases.verbosity_bias:
        return replace(view, forced=longer)
    side_share = 2 * abs(biases.side_bias)
    if u_side < side_share:
        return replace(view, forced="pro" if biases.side_bias > 0 else "con")
    if speeches and side_share < 1 and u_position < biases.position_bias / (1 - side_share):
        return replace(view, forced=speeches[0].side)
    return view
