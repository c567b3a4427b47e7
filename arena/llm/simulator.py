"""The simulator: `sim/<name>?latency=0.2&faults=0.1&skill=0.7&seed=N`.

A deterministic, instant model for dry runs, benchmarks and fault drills. It never
touches litellm or the network. What it writes depends on `LLMRequest.purpose`:

- `speech`, `agent.writer`: debate prose of about `word_limit` words (default 120),
  built from sentence templates and words of the prompt (the motion, when one is
  found). Each sentence comes from a *strong* pool (evidence, warrant, clash) with
  probability `skill`, else from a *weak* pool (assertion). `speech_strength(text)`
  gives the share of strong sentences, so a judge can see quality.
- `bet`: the study's private-bet tags, an amount that starts around 65-80 and rises
  with the number of earlier bets visible in the messages (LLM debaters are
  overconfident, and grow more so).
- `round_score`, `ballot`, or any request with a `json_schema`: valid JSON generated
  from the schema. Simulated judges read the speeches between the judge delimiters
  (`<<<SPEECH-{nonce} side="Proposition" ...>>>` ... `<<<END-{nonce}>>>`, defined in
  arena/prompt_markers.py like the bet's tags) and favour
  the side whose speeches are stronger: the winner is the stronger side with
  probability logistic(k * (strength_pro - strength_con)), k = 12 * the judge's own
  `skill` (6 at the default 0.5), so simulated tournaments have a true order to recover.
- `agent.searcher`: 2-3 search query lines; `agent.analyzer`: a numbered plan;
  `agent.reviewer`: "ACCEPT" or "REVISE: ..."; anything else: a short reply.
  A team's Writer and Analyzer cite up to two of the findings listed in their prompt
  (lines that start with a label such as `[E1] `), and a Writer offered a search
  (`SEARCH:` in its prompt) that was shown no findings asks for one: `SEARCH: ...`.

Judge options (`position_bias`, `side_bias`, `gullibility`, `verbosity_bias`,
`accuracy`) plant biases for the judge audit to recover, `consensus` a planted agreement
between judges for `arena judges agreement`, and `length_bias`,
`side_logit` log-odds preferences for the controlled ratings: arena/llm/sim_judge.py.

Options: `latency` seconds slept per call; `faults` the share of calls that fail with a
transient provider error (rate limit, timeout, unavailable) or, for structured
purposes, return malformed output; `skill` in [0, 1]; `seed` an integer. A fault is
drawn from (name, seed, request, how many times this same request was seen), so the
retry of a failed call can succeed while a fresh run replays the same faults.
`verbosity` (0.1–5, default 1) makes a debater's speeches run that many times the word
limit: a debater that pads, for the length control of the ratings to find; with
`length_spread` (0–0.9, default 0) each speech's length varies uniformly within ± that
share of it, as a model's does (a length fixed per debater cannot be told from its skill).
"""

from __future__ import annotations

import asyncio
import json
import math
import random
import re
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from arena.llm.sim_digest import digest as _digest
from arena.llm.sim_judge import JUDGE_OPTIONS, JudgeBiases, JudgeView, judge_view, quoted_speeches
from arena.llm.types import (
    CallTimeoutError,
    Completion,
    LLMRequest,
    RateLimitError,
    TokenCallback,
    UnavailableError,
    Usage,
)
from arena.prompt_markers import BET_AMOUNT_TAG, DELIMITER_NONCE, bet_answer, opening_tag

PREFIX = "sim/"
DEFAULT_WORDS = 120
TOKENS_PER_WORD = 1.3
STRUCTURED_PURPOSES = frozenset({"bet", "round_score", "ballot"})


# --------------------------------------------------------------------------- options


@dataclass(frozen=True)
class SimSpec:
    """A parsed `sim/...` model string."""

    name: str
    latency: float = 0.0
    faults: float = 0.0
    skill: float = 0.5
    seed: int = 0
    verbosity: float = 1.0  # a debater's speeches run this many times the word limit
    length_spread: float = 0.0  # each speech's length varies within ± this share
    biases: JudgeBiases = JudgeBiases()  # planted judge biases (arena/llm/sim_judge.py)
    study: tuple[tuple[str, float], ...] = ()  # planted study effects (arena.llm.sim_studies)


def is_sim_model(model: str) -> bool:
    return model.startswith(PREFIX)


@lru_cache(maxsize=1024)
def parse_sim_model(model: str) -> SimSpec:
    """Parse `sim/<name>?opt=value&...`; a bad option raises ValueError naming it."""
    if not is_sim_model(model):
        raise ValueError(f"not a simulator model: {model!r} (expected 'sim/<name>?options')")
    parts = urlsplit(model[len(PREFIX) :])
    name = parts.path.strip()
    if not name or "/" in name:
        raise ValueError(f"simulator model needs a plain name: {model!r} (e.g. 'sim/alice?skill=0.7')")
    from arena.llm import sim_studies

    values: dict[str, Any] = {}
    judging: dict[str, float] = {}
    study: dict[str, float] = {}
    for key, raw in parse_qsl(parts.query, keep_blank_values=True, strict_parsing=False):
        if key in values or key in judging or key in study:
            raise ValueError(f"simulator option {key!r} given twice in {model!r}")
        if key in sim_studies.OPTIONS:
            study[key] = sim_studies.parse_option(model, key, raw)
        else:
            (judging if key in JUDGE_OPTIONS else values)[key] = _parse_option(model, key, raw)
    return SimSpec(
        name=name, biases=JudgeBiases.from_options(judging, model), study=tuple(sorted(study.items())), **values
    )


def unrated_options(model: str) -> list[str]:
    """The options written in a sim model string that its rated identity leaves out: a
    drill's conditions (latency, faults) and values equal to the default (`skill=0.5`)."""
    written = [part.partition("=")[0] for part in model.partition("?")[2].split("&") if part]
    kept = {part.partition("=")[0] for part in rated_identity(model).partition("?")[2].split("&") if part}
    return [key for key in written if key not in kept]


def rated_identity(model: str) -> str:
    """The part of a sim model string that changes how it argues and judges (name, skill,
    seed). Latency and injected faults are conditions of a drill, not of the debater, so
    `sim/a?faults=0.2` is rated as the same participant as `sim/a`."""
    spec = parse_sim_model(model)
    default = SimSpec(spec.name)
    options = [
        f"{key}={getattr(spec, key):g}"
        for key in ("skill", "seed", "verbosity", "length_spread")
        if getattr(spec, key) != getattr(default, key)
    ]
    options += spec.biases.identity()
    options += [f"{key}={value:g}" for key, value in spec.study]
    return f"{PREFIX}{spec.name}" + (f"?{'&'.join(options)}" if options else "")


def _parse_option(model: str, key: str, raw: str) -> float | int:
    bounds = {
        "latency": (0.0, 3600.0),
        "faults": (0.0, 1.0),
        "skill": (0.0, 1.0),
        "verbosity": (0.1, 5.0),
        "length_spread": (0.0, 0.9),
        **JUDGE_OPTIONS,
    }
    if key == "seed":
        try:
            return int(raw)
        except ValueError:
            raise ValueError(f"simulator option 'seed' must be an integer, got {raw!r} in {model!r}") from None
    if key not in bounds:
        from arena.llm.sim_studies import OPTIONS

        known = ", ".join(sorted([*bounds, "seed", *OPTIONS]))
        raise ValueError(f"unknown simulator option {key!r} in {model!r} (known: {known})")
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"simulator option {key!r} must be a number, got {raw!r} in {model!r}") from None
    lo, hi = bounds[key]
    if not (lo <= value <= hi) or math.isnan(value):
        raise ValueError(f"simulator option {key!r} must be within [{lo:g}, {hi:g}], got {raw!r} in {model!r}")
    return value


# --------------------------------------------------------------------------- sentences

# Each strong sentence opens with a phrase of its own, so `speech_strength` can tell
# the pools apart exactly on simulated text. Weak openers avoid every strong marker.
_STRONG = (
    "Evidence shows that {a} changes real outcomes, and the record on {t} confirms it.",
    "This matters because {a} decides who carries the cost when {b} goes wrong.",
    "My opponent's claim fails since it assumes {a} without showing why {b} would follow.",
    "Consider the concrete case of {a}: where {b} was tried, results improved measurably.",
    "The mechanism is clear: {a} creates incentives that push {b} towards our side of {t}.",
    "Weigh the impacts: even if {a} is uncertain, the harm to {b} is larger and more likely.",
    "Data from comparable cases of {a} point the same way, and the other side never answered them.",
    "Studies of {b} find the same pattern, so the burden now sits with those who oppose us on {a}.",
    "For example, when {a} changed, {b} moved within a year, which is exactly our warrant.",
    "Therefore, on balance, {t} is justified by both the principle and the practical record.",
)
_WEAK = (
    "I really think {a} is just wrong.",
    "Everyone knows that {a} is bad for {b}.",
    "It is obvious that we are right about {a}.",
    "People say a lot of things about {b}.",
    "This is a very important topic for all of us.",
    "We feel strongly that {a} matters a lot.",
    "Our opponents are simply mistaken about {b}.",
    "Honestly, {a} is a big deal and that is that.",
    "Nobody can really disagree with us on {a}.",
    "At the end of the day {b} is what it is.",
)
_STRONG_OPENERS = tuple(s.split("{", 1)[0].split(":", 1)[0] for s in _STRONG)
_WEAK_OPENERS = tuple(s.split("{", 1)[0] for s in _WEAK)
# For text the simulator did not write (real models, people): sentences that give
# reasons, evidence or clash count as strong.
_STRONG_MARKERS = re.compile(
    r"\b(because|since|therefore|evidence|data|study|studies|research|for example|for instance|"
    r"consider|mechanism|impact|weigh|shows?|demonstrat\w*|my opponent|the opposition|the proposition)\b",
    re.IGNORECASE,
)
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+")


def speech_strength(text: str) -> float:
    """Share of sentences that argue (evidence, warrant, clash) rather than assert.

    Exact on simulator speeches (it knows its own openers); a keyword heuristic on
    any other text. Empty text scores 0.
    """
    strong = total = 0
    for sentence in _SENTENCE_SPLIT.split(text.strip()):
        if not sentence:
            continue
        total += 1
        if sentence.startswith(_STRONG_OPENERS):
            strong += 1
        elif sentence.startswith(_WEAK_OPENERS):
            continue
        elif _STRONG_MARKERS.search(sentence):
            strong += 1
    return strong / total if total else 0.0


# --------------------------------------------------------------------------- prompt reading

_MOTION = re.compile(
    r"\b[Tt]his [Hh]ouse (?P<verb>would|believes|should|supports|regrets|prefers)(?: that)? (?P<rest>[^\n\".?!]*)"
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")
_STOP = frozenset(
    """this that with from have will would should could their there these those which about into than
    then them they what when where while your yours ours house believes debate motion speech side
    proposition opposition argue argument words write must only more most very also been being such
    each other some over under after before between against within without judge round stage does doing
    done please something anything write make made many much give given less just like into onto here
    reply answer respond using based upon your constructive rebuttal summary closing opening""".split()
)
_PRIOR_BET = re.compile(rf"{re.escape(opening_tag(BET_AMOUNT_TAG))}\s*\d+")


@lru_cache(maxsize=256)
def _topic_words(prompt: str) -> tuple[str, tuple[str, ...]]:
    """A noun phrase for the motion and a few phrases of the prompt to write about."""
    found = _MOTION.search(prompt)
    if found:
        rest = found.group("rest").strip()
        topic = f"the case to {rest}" if found.group("verb") in ("would", "should") else f"the claim that {rest}"
        source = rest
    else:
        topic, source = "", prompt[-4000:]
    # Runs of content words ("private cars", "city centres") read better than lone words.
    phrases: list[str] = []
    run: list[str] = []
    for word in [*_WORD.findall(source), "the"]:
        low = word.lower()
        if len(low) > 3 and low not in _STOP:
            run.append(low)
            continue
        if run:
            phrase = " ".join(run[-2:])
            if phrase not in phrases:
                phrases.append(phrase)
            run = []
    phrases += [p for p in ("the policy", "ordinary people", "public trust") if p not in phrases][
        : max(0, 3 - len(phrases))
    ]
    return topic or f"the case on {phrases[0]}", tuple(phrases[:12])


def judge_strengths(prompt: str) -> tuple[float, float] | None:
    """Mean `speech_strength` of (Proposition, Opposition) speeches in a judge prompt."""
    scores: dict[str, list[float]] = {"pro": [], "con": []}
    for quoted in quoted_speeches(prompt):
        scores[quoted.side].append(speech_strength(quoted.text))
    if not scores["pro"] and not scores["con"]:
        return None

    def mean(xs: list[float]) -> float:
        return sum(xs) / len(xs) if xs else 0.0

    return mean(scores["pro"]), mean(scores["con"])


# --------------------------------------------------------------------------- writers


def _fill(template: str, rng: random.Random, topic: str, words: tuple[str, ...]) -> str:
    a, b = rng.sample(words, 2) if len(words) >= 2 else (words[0], words[0])
    return template.format(a=a, b=b, t=topic)


def _verbosity(spec: SimSpec, rng: random.Random) -> float:
    """This speech's verbosity: the debater's, spread by `length_spread` (no draw without one)."""
    if spec.length_spread <= 0:
        return spec.verbosity
    return spec.verbosity * rng.uniform(1 - spec.length_spread, 1 + spec.length_spread)


def speech_words(word_limit: int | None, verbosity: float = 1.0) -> int:
    """How many words a sim debater writes: the limit (or DEFAULT_WORDS) times its verbosity."""
    return max(1, round((word_limit or DEFAULT_WORDS) * verbosity))


def write_speech(rng: random.Random, topic: str, words: tuple[str, ...], n_words: int, skill: float) -> str:
    """About `n_words` words (never outside ±10%): strong sentences with probability `skill`."""
    target = max(1, round(n_words * rng.uniform(0.95, 1.03)))
    sentences: list[str] = []
    count = 0
    while count < target:
        pool = _STRONG if rng.random() < skill else _WEAK
        sentence = _fill(rng.choice(pool), rng, topic, words)
        tokens = sentence.split()
        if count + len(tokens) > target:  # trim the last sentence to land on the target
            tokens = tokens[: target - count]
            sentence = " ".join(tokens).rstrip(",;:") + "."
        sentences.append(sentence)
        count += len(tokens)
    return " ".join(sentences)


def write_bet(rng: random.Random, prompt: str, topic: str, skill: float) -> str:
    earlier = len(_PRIOR_BET.findall(prompt))
    amount = 65 + rng.randint(0, 15) + 5 * earlier + round(8 * (skill - 0.5))
    amount = max(0, min(100, amount))
    mood = "our framing held" if amount >= 75 else "the clash is closer than I would like"
    reasoning = (
        f"Looking at the debate on {topic}, {mood}. The other side raised points I answered, "
        f"and the weighing still favours us, so I stay confident."
    )
    return bet_answer(reasoning, amount)


_FINDING_LINE = re.compile(r"^\[(E\d+)\] ", re.MULTILINE)


def write_team_speech(
    rng: random.Random, prompt: str, topic: str, words: tuple[str, ...], n_words: int, skill: float
) -> str:
    """A team Writer's draft: prose citing up to two listed findings, or a search request."""
    labels = list(dict.fromkeys(_FINDING_LINE.findall(prompt)))
    if not labels:
        if "SEARCH:" in prompt:
            a, b = (list(words) * 2)[:2] if len(words) < 2 else rng.sample(words, 2)
            return f"SEARCH: evidence on {a} and {b}"
        return write_speech(rng, topic, words, n_words, skill)
    cites = rng.sample(labels, min(2, len(labels)))
    sentences = _SENTENCE_SPLIT.split(write_speech(rng, topic, words, max(1, n_words - len(cites)), skill))
    for pos, label in zip(sorted(rng.sample(range(len(sentences)), min(len(cites), len(sentences)))), cites):
        sentence = sentences[pos]
        sentences[pos] = (
            f"{sentence[:-1]} [{label}]{sentence[-1]}" if sentence[-1:] in ".!?" else f"{sentence} [{label}]"
        )
    return " ".join(sentences)


def write_agent(
    purpose: str, rng: random.Random, topic: str, words: tuple[str, ...], skill: float, labels: tuple[str, ...] = ()
) -> str:
    a, b, c = (list(words) * 3)[:3] if len(words) < 3 else rng.sample(words, 3)
    if purpose == "agent.searcher":
        lines = [f"{a} {b} evidence", f"{topic} statistics", f"{c} case study outcomes"]
        return "\n".join(lines[: 2 + rng.randint(0, 1)])
    if purpose == "agent.analyzer":
        cite = f" [{labels[0]}]" if labels else ""
        return (
            f"Plan:\n1. Define the key terms of {topic} and set the burden.\n"
            f"2. Main argument: how {a} affects {b}, with evidence{cite}.\n"
            f"3. Pre-empt the strongest objection about {c} and weigh impacts."
        )
    if purpose == "agent.reviewer":
        if rng.random() < 0.5 + 0.4 * skill:
            return "ACCEPT"
        return f"REVISE: support the claim about {a} with evidence and answer the point on {b}."
    return write_speech(rng, topic, words, 30, skill)


# --------------------------------------------------------------------------- JSON from a schema

_DEFAULT_SCHEMAS: dict[str, dict[str, Any]] = {
    "round_score": {
        "type": "object",
        "properties": {
            "pro": {"type": "integer", "minimum": 1, "maximum": 10},
            "con": {"type": "integer", "minimum": 1, "maximum": 10},
            "reasons": {"type": "string"},
        },
        "required": ["pro", "con", "reasons"],
    },
    "ballot": {
        "type": "object",
        "properties": {
            "winner": {"type": "string", "enum": ["Proposition", "Opposition"]},
            "confidence": {"type": "integer", "minimum": 0, "maximum": 100},
            "reasons": {"type": "string"},
        },
        "required": ["winner", "confidence", "reasons"],
    },
}
_PRO_KEY = re.compile(r"(^|_)(pro|proposition)($|_)", re.IGNORECASE)
_CON_KEY = re.compile(r"(^|_)(con|opposition)($|_)", re.IGNORECASE)
_PRO_VALUES = ("Proposition", "proposition", "pro", "PRO", "Pro")
_CON_VALUES = ("Opposition", "opposition", "con", "CON", "Con")


_JudgeView = JudgeView  # what a simulated judge perceives: arena/llm/sim_judge.py


class _SchemaWriter:
    def __init__(self, root: dict[str, Any], rng: random.Random, view: _JudgeView, topic: str) -> None:
        self.root, self.rng, self.view, self.topic = root, rng, view, topic

    def value(self, schema: dict[str, Any], key: str = "", depth: int = 0) -> Any:
        schema = self._resolve(schema)
        if "const" in schema:
            return schema["const"]
        for choice in ("anyOf", "oneOf"):
            if schema.get(choice):
                options = [s for s in schema[choice] if self._resolve(s).get("type") != "null"]
                return self.value(options[0] if options else schema[choice][0], key, depth)
        if schema.get("allOf"):
            merged: dict[str, Any] = {}
            for part in schema["allOf"]:
                merged.update(self._resolve(part))
            return self.value(merged, key, depth)
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), "null")
        if kind is None:
            kind = "object" if "properties" in schema else "string" if "enum" in schema else "string"
        if "enum" in schema:
            return self._enum(schema["enum"], key)
        if kind == "object":
            return self._object(schema, depth)
        if kind == "array":
            return self._array(schema, key, depth)
        if kind in ("integer", "number"):
            return self._number(schema, key, integer=kind == "integer")
        if kind == "boolean":
            return self.rng.random() < 0.5
        if kind == "null":
            return None
        return self._string(schema, key)

    def _resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        ref = schema.get("$ref") if isinstance(schema, dict) else None
        if not ref or not ref.startswith("#/"):
            return schema if isinstance(schema, dict) else {}
        node: Any = self.root
        for part in ref[2:].split("/"):
            node = node.get(part, {}) if isinstance(node, dict) else {}
        return node if isinstance(node, dict) else {}

    def _object(self, schema: dict[str, Any], depth: int) -> dict[str, Any]:
        if depth > 8:
            return {}
        props: dict[str, Any] = schema.get("properties", {})
        return {name: self.value(sub, name, depth + 1) for name, sub in props.items()}

    def _array(self, schema: dict[str, Any], key: str, depth: int) -> list[Any]:
        lo = int(schema.get("minItems", 1))
        hi = int(schema.get("maxItems", max(lo, 3)))
        n = self.rng.randint(lo, max(lo, hi))
        items = schema.get("items", {"type": "string"})
        return [self.value(items, key, depth + 1) for _ in range(n)]

    def _enum(self, values: list[Any], key: str) -> Any:
        pro = next((v for v in values if v in _PRO_VALUES), None)
        con = next((v for v in values if v in _CON_VALUES), None)
        if self.view.labels and set(self.view.labels) <= set(values):  # neutral labels
            pro, con = self.view.labels
        if pro is not None and con is not None:
            return pro if self.view.winner == "pro" else con
        return self.rng.choice(values)

    def _number(self, schema: dict[str, Any], key: str, *, integer: bool) -> int | float:
        lo = schema.get("minimum", schema.get("exclusiveMinimum", 1 if integer else 0.0))
        hi = schema.get("maximum", schema.get("exclusiveMaximum", 10 if integer else 1.0))
        if "exclusiveMinimum" in schema and "minimum" not in schema:
            lo = lo + 1 if integer else lo + 1e-6
        if "exclusiveMaximum" in schema and "maximum" not in schema:
            hi = hi - 1 if integer else hi - 1e-6
        lo, hi = min(lo, hi), max(lo, hi)
        low_key = key.lower()
        labels = [label.lower() for label in self.view.labels or ()]
        if low_key in labels:  # neutral labels name the sides
            share = 0.2 + 0.7 * min(1.0, max(0.0, self.view.pro if low_key == labels[0] else self.view.con))
        elif _PRO_KEY.search(low_key) or _CON_KEY.search(low_key):
            strength = self.view.pro if _PRO_KEY.search(low_key) else self.view.con
            share = 0.2 + 0.7 * min(1.0, max(0.0, strength))
        elif "confidence" in low_key:  # 50-95 (or 0.50-0.95), rising with the margin
            percent = 50 + 45 * (1 - math.exp(-4 * self.view.margin))
            value = percent if hi > 1.0 else percent / 100
            return int(min(hi, max(lo, round(value)))) if integer else round(min(hi, max(lo, value)), 3)
        else:
            share = self.rng.random()
        value = lo + (hi - lo) * min(1.0, max(0.0, share))
        if integer:
            return int(min(hi, max(lo, round(value))))
        clamped: int | float = min(hi, max(lo, value))  # hi or lo keep their JSON type
        return round(clamped, 3)

    def _string(self, schema: dict[str, Any], key: str) -> str:
        side = "Proposition" if self.view.winner == "pro" else "Opposition"
        other = "Opposition" if side == "Proposition" else "Proposition"
        if key.lower() in ("winner", "side"):
            return side
        text = f"The {side} gave reasons and evidence on {self.topic}, while the {other} relied more on assertion."
        lo, hi = int(schema.get("minLength", 0)), int(schema.get("maxLength", 10_000))
        if len(text) < lo:
            text = (text + " ") * (lo // max(1, len(text)) + 1)
        return text[:hi].strip() or "ok"


def write_json(
    schema: dict[str, Any],
    rng: random.Random,
    prompt: str,
    topic: str,
    skill: float,
    view: JudgeView | None = None,
) -> str:
    view = view or _JudgeView.perceive(judge_strengths(prompt), rng, skill)
    return json.dumps(_SchemaWriter(schema, rng, view, topic).value(schema))


# --------------------------------------------------------------------------- the model


class Simulator:
    """Answers `sim/...` requests. One instance remembers how often it saw each request,
    so that a retried call draws a fresh fault while its text stays the same."""

    def __init__(self) -> None:
        self._seen: dict[int, int] = {}

    async def complete(self, req: LLMRequest, on_token: TokenCallback | None = None) -> Completion:
        started = time.perf_counter()
        spec = parse_sim_model(req.model)
        if spec.latency:
            await asyncio.sleep(spec.latency)
        prompt = "\n".join(m.content for m in req.messages)
        # The delimiters' nonce comes from the debate's random id: keyed on it, the same
        # seed would write other speeches and verdicts in every run.
        request_key = _digest(
            spec.name, spec.seed, req.seed, req.purpose, req.word_limit, DELIMITER_NONCE.sub(r"\1", prompt)
        )
        occurrence = self._seen.get(request_key, 0)
        if len(self._seen) >= 500_000:  # bound the memory of very long runs
            self._seen.clear()
        self._seen[request_key] = occurrence + 1
        structured = req.json_schema is not None or req.purpose in STRUCTURED_PURPOSES

        fault = random.Random(_digest("fault", request_key, occurrence))
        malformed = False
        if spec.faults and fault.random() < spec.faults:
            roll = fault.random()
            if structured and roll < 0.5:
                malformed = True
            else:
                error = (RateLimitError, CallTimeoutError, UnavailableError)[int(roll * 6) % 3]
                raise error(f"simulated {error.kind} fault", model=req.model, status_code=None)

        rng = random.Random(request_key)
        text = self._write(req, spec, rng, prompt, structured)
        if malformed:
            text = _malform(text, req)
        if on_token is not None:
            for word in text.split(" "):
                on_token(word + " ")
        tokens_in = round((prompt.count(" ") + len(req.messages)) * TOKENS_PER_WORD)
        tokens_out = round((text.count(" ") + 1) * TOKENS_PER_WORD)
        usage = Usage(req.model, tokens_in, tokens_out, cost=0.0, latency_s=time.perf_counter() - started)
        return Completion(text=text, usage=usage)

    def _write(self, req: LLMRequest, spec: SimSpec, rng: random.Random, prompt: str, structured: bool) -> str:
        from arena.llm import sim_studies

        if req.purpose == "bench_pair":  # arena judges bench: arena/llm/sim_bench.py
            from arena.llm import sim_bench

            return sim_bench.write(spec.name, spec.seed, spec.biases, prompt)
        planted = sim_studies.write(req, spec.name, dict(spec.study), spec.skill, rng, prompt)
        if planted is not None:
            return planted
        topic, words = _topic_words(prompt)
        schema = req.json_schema or _DEFAULT_SCHEMAS.get(req.purpose)
        if schema is not None:
            view = judge_view(prompt, (spec.name, spec.seed, req.seed), spec.skill, spec.biases, speech_strength)
            return write_json(schema, rng, prompt, topic, spec.skill, view)
        if req.purpose == "bet":
            return write_bet(rng, prompt, topic, spec.skill)
        if req.purpose == "speech":
            return write_speech(rng, topic, words, speech_words(req.word_limit, _verbosity(spec, rng)), spec.skill)
        if req.purpose == "agent.writer":
            return write_team_speech(
                rng, prompt, topic, words, speech_words(req.word_limit, _verbosity(spec, rng)), spec.skill
            )
        labels = tuple(dict.fromkeys(_FINDING_LINE.findall(prompt)))
        return write_agent(req.purpose, rng, topic, words, spec.skill, labels)


def _malform(text: str, req: LLMRequest) -> str:
    """The kinds of broken output real models produce: cut-off JSON, missing tags."""
    if req.purpose == "bet" and req.json_schema is None:
        return text.split(opening_tag(BET_AMOUNT_TAG))[0].strip() + "\nI would put it fairly high."
    return "Here is my verdict: " + text[: max(1, len(text) // 2)]
