"""Group discussions with private opinions (DEBATE: Chuang et al., 2025): the records
and their metrics, pure functions of the events (no I/O).

A discussion: each member gives an initial private opinion (round 0: text and a 1-6
slider, 1 strongly disagree … 6 strongly agree), then in each round a public post, an
optional direct message to one member, and a private opinion again.

The metrics, per group (each a value with a seeded 95% bootstrap interval and a count)
and over many groups (the mean of the groups' values, its interval and the number of
groups):

- opinion change: |last private slider − initial private slider|, mean over members;
  opinion shift: the same, signed (positive: towards agreeing with the topic).
- spread of private opinions in round r: the standard deviation (population, ÷n) of the
  members' sliders in that round; convergence = initial spread − final spread (positive:
  the group converged). Within a group the interval resamples members.
- public–private gap: |stance of a public post − the author's latest private slider
  before it| (the opinion it held while writing), mean over posts whose stance was
  measured.
- stance drift: the stance of a member's last measured post − that of its first, mean
  over members with two or more (positive: public posts moved towards agreeing).
- message length: words per public post, and words per direct message.

The stance of a public post is a number on the slider's own 1-6 scale given by a rater
that reads the post alone, blind to its author and every private opinion
(arena/prompts/group_stance.txt; the default rater, `sim/rater`, is a fixed lexical
measure: the mean level of the agreement phrases the post uses, "strongly disagree" 1 …
"strongly agree" 6; see arena/llm/sim_groups.py: post_stance). A post that takes no
stance has none and is left out of the gap and the drift. The same rater must measure
both sides of a comparison."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from arena.studies.intervals import Estimate, Mean, mean_with_interval

SLIDER_LOW, SLIDER_HIGH = 1, 6
KINDS = ("opinion", "post", "message", "other")
BOOTSTRAP_ROUNDS = 1000

# The group-level metrics, in the order reports show them: key, label.
METRICS: tuple[tuple[str, str], ...] = (
    ("opinion_change", "Opinion change |final − initial|"),
    ("opinion_shift", "Opinion shift (final − initial)"),
    ("spread_initial", "Spread of private opinions, initial"),
    ("spread_final", "Spread of private opinions, final"),
    ("convergence", "Convergence (initial − final spread)"),
    ("public_private_gap", "Public–private gap |post stance − private|"),
    ("stance_drift", "Stance drift of public posts (last − first)"),
    ("post_words", "Words per public post"),
    ("message_words", "Words per direct message"),
)


@dataclass(frozen=True)
class Event:
    seq: int
    round: int
    kind: str  # opinion | post | message | other
    member: str
    text: str = ""
    recipient: str | None = None
    slider: int | None = None
    stance: float | None = None


@dataclass(frozen=True)
class Discussion:
    id: str
    topic: str
    members: tuple[str, ...]
    events: tuple[Event, ...]
    collection: str = ""

    def opinions(self, member: str) -> list[Event]:
        """The member's usable private opinions, in order."""
        return [e for e in self.events if e.kind == "opinion" and e.member == member and e.slider is not None]

    def trajectory(self, member: str) -> list[tuple[int, int]]:
        """(round, slider) of the member's private opinions."""
        return [(e.round, e.slider) for e in self.opinions(member) if e.slider is not None]

    def rounds(self) -> list[int]:
        return sorted({e.round for e in self.events if e.kind == "opinion" and e.slider is not None})


def words(text: str) -> int:
    return len(text.split())


def spread(values: Sequence[float]) -> float | None:
    """Population standard deviation; None below two values."""
    if len(values) < 2:
        return None
    mean = sum(values) / len(values)
    return math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))


def _bootstrap(items: Sequence[object], stat: Callable[[Sequence[object]], float | None], seed: int) -> Mean:
    """A statistic of `items` with a seeded 95% percentile-bootstrap interval (resampling items)."""
    value = stat(items)
    if value is None:
        return Mean(None, None, None, len(items), 0.0)
    rng = random.Random(seed)
    draws = sorted(
        v for v in (stat(rng.choices(list(items), k=len(items))) for _ in range(BOOTSTRAP_ROUNDS)) if v is not None
    )
    if not draws:
        return Mean(value, value, value, len(items), value)
    lo, hi = draws[int(0.025 * len(draws))], draws[max(0, int(0.975 * len(draws)) - 1)]
    return Mean(value, min(lo, value), max(hi, value), len(items), value)


@dataclass(frozen=True)
class GroupMetrics:
    id: str
    topic: str
    members: int
    metrics: dict[str, Mean]
    spread_by_round: dict[int, Mean]
    trajectories: dict[str, list[tuple[int, int]]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "topic": self.topic,
            "members": self.members,
            "metrics": {k: v.as_dict() for k, v in self.metrics.items()},
            "spread_by_round": {str(r): v.as_dict() for r, v in self.spread_by_round.items()},
            "trajectories": {m: [list(p) for p in t] for m, t in self.trajectories.items()},
        }


def _sliders_in(d: Discussion, round_no: int) -> dict[str, int]:
    """Each member's slider in a round (its last usable one there)."""
    out: dict[str, int] = {}
    for e in d.events:
        if e.kind == "opinion" and e.round == round_no and e.slider is not None:
            out[e.member] = e.slider
    return out


def group_metrics(d: Discussion, seed: int = 0) -> GroupMetrics:
    changes: list[float] = []
    shifts: list[float] = []
    for member in d.members:
        mine = d.opinions(member)
        if len(mine) >= 2 and mine[0].slider is not None and mine[-1].slider is not None:
            shifts.append(float(mine[-1].slider - mine[0].slider))
            changes.append(abs(shifts[-1]))
    rounds = d.rounds()
    by_round: dict[int, Mean] = {}
    for r in rounds:
        values = [float(v) for v in _sliders_in(d, r).values()]
        by_round[r] = _bootstrap(values, lambda xs: spread(xs), seed + r)  # type: ignore[arg-type]
    first, last = (rounds[0], rounds[-1]) if rounds else (0, 0)
    pairs = []  # (initial, final) slider of members who reported in both rounds
    start, end = _sliders_in(d, first), _sliders_in(d, last)
    for member in d.members:
        if member in start and member in end:
            pairs.append((float(start[member]), float(end[member])))

    def convergence(items: Sequence[object]) -> float | None:
        ps: list[tuple[float, float]] = list(items)  # type: ignore[arg-type]
        a, b = spread([p[0] for p in ps]), spread([p[1] for p in ps])
        return None if a is None or b is None or len(rounds) < 2 else a - b

    gaps: list[float] = []
    latest: dict[str, int] = {}
    posts_by: dict[str, list[float]] = {}
    for e in d.events:
        if e.kind == "opinion" and e.slider is not None:
            latest[e.member] = e.slider
        elif e.kind == "post" and e.stance is not None:
            posts_by.setdefault(e.member, []).append(e.stance)
            if e.member in latest:
                gaps.append(abs(e.stance - latest[e.member]))
    drifts = [s[-1] - s[0] for s in posts_by.values() if len(s) >= 2]
    metrics = {
        "opinion_change": mean_with_interval(changes, BOOTSTRAP_ROUNDS, seed),
        "opinion_shift": mean_with_interval(shifts, BOOTSTRAP_ROUNDS, seed),
        "spread_initial": by_round.get(first, Mean(None, None, None, 0, 0.0)),
        "spread_final": by_round.get(last, Mean(None, None, None, 0, 0.0)) if len(rounds) >= 2 else _none(),
        "convergence": _bootstrap(pairs, convergence, seed + 101),
        "public_private_gap": mean_with_interval(gaps, BOOTSTRAP_ROUNDS, seed),
        "stance_drift": mean_with_interval(drifts, BOOTSTRAP_ROUNDS, seed),
        "post_words": mean_with_interval(
            [float(words(e.text)) for e in d.events if e.kind == "post"], BOOTSTRAP_ROUNDS, seed
        ),
        "message_words": mean_with_interval(
            [float(words(e.text)) for e in d.events if e.kind == "message"], BOOTSTRAP_ROUNDS, seed
        ),
    }
    trajectories = {m: d.trajectory(m) for m in d.members}
    return GroupMetrics(d.id, d.topic, len(d.members), metrics, by_round, trajectories)


def _none() -> Mean:
    return Mean(None, None, None, 0, 0.0)


@dataclass(frozen=True)
class GroupsReport:
    """Over many groups: each metric's mean over the groups that have it."""

    groups: list[GroupMetrics]
    metrics: dict[str, Mean]
    spread_by_round: dict[int, Mean]

    def as_dict(self) -> dict[str, object]:
        return {
            "study": "groups",
            "groups": len(self.groups),
            "metrics": {k: v.as_dict() for k, v in self.metrics.items()},
            "spread_by_round": {str(r): v.as_dict() for r, v in self.spread_by_round.items()},
            "per_group": [g.as_dict() for g in self.groups],
        }


def values_of(groups: Sequence[GroupMetrics], key: str) -> list[float]:
    return [v for g in groups if (v := g.metrics[key].value) is not None]


def round_values(groups: Sequence[GroupMetrics], r: int) -> list[float]:
    return [v for g in groups if r in g.spread_by_round and (v := g.spread_by_round[r].value) is not None]


def groups_report(discussions: Sequence[Discussion], seed: int = 0) -> GroupsReport:
    per_group = [group_metrics(d, seed) for d in discussions]
    metrics = {key: mean_with_interval(values_of(per_group, key), BOOTSTRAP_ROUNDS, seed) for key, _ in METRICS}
    rounds = sorted({r for g in per_group for r in g.spread_by_round})
    spreads = {r: mean_with_interval(round_values(per_group, r), BOOTSTRAP_ROUNDS, seed) for r in rounds}
    return GroupsReport(per_group, metrics, spreads)


# --------------------------------------------------------------------------- comparing two collections


def difference_of_means(a: Sequence[float], b: Sequence[float], seed: int = 0) -> Estimate:
    """mean(a) − mean(b) with a seeded 95% percentile-bootstrap interval (each sample resampled on its own)."""
    if not a or not b:
        return Estimate(None, None, None, "bootstrap")
    rng = random.Random(seed)
    value = sum(a) / len(a) - sum(b) / len(b)
    draws = sorted(
        sum(rng.choices(a, k=len(a))) / len(a) - sum(rng.choices(b, k=len(b))) / len(b) for _ in range(BOOTSTRAP_ROUNDS)
    )
    lo, hi = draws[int(0.025 * BOOTSTRAP_ROUNDS)], draws[int(0.975 * BOOTSTRAP_ROUNDS) - 1]
    return Estimate(value, min(lo, value), max(hi, value), "bootstrap")


@dataclass(frozen=True)
class MetricComparison:
    key: str
    label: str
    human: Mean
    simulated: Mean
    difference: Estimate  # simulated − human

    def as_dict(self) -> dict[str, object]:
        return {
            "metric": self.key,
            "label": self.label,
            "human": self.human.as_dict(),
            "simulated": self.simulated.as_dict(),
            "simulated_minus_human": self.difference.as_dict(),
        }


@dataclass(frozen=True)
class Comparison:
    topic: str  # "" for all topics
    rows: list[MetricComparison]

    def as_dict(self) -> dict[str, object]:
        return {"topic": self.topic or None, "metrics": [r.as_dict() for r in self.rows]}


def topic_key(topic: str) -> str:
    return " ".join(topic.lower().split()).rstrip(".?!")


def _compare(human: Sequence[GroupMetrics], simulated: Sequence[GroupMetrics], topic: str, seed: int) -> Comparison:
    rows = []
    keyed = list(METRICS)
    rounds = sorted({r for g in [*human, *simulated] for r in g.spread_by_round})
    for key, label in keyed:
        a, b = values_of(human, key), values_of(simulated, key)
        rows.append(
            MetricComparison(
                key,
                label,
                mean_with_interval(a, BOOTSTRAP_ROUNDS, seed),
                mean_with_interval(b, BOOTSTRAP_ROUNDS, seed),
                difference_of_means(b, a, seed),
            )
        )
    for r in rounds:
        a, b = round_values(human, r), round_values(simulated, r)
        rows.append(
            MetricComparison(
                f"spread_round_{r}",
                f"Spread of private opinions, round {r}",
                mean_with_interval(a, BOOTSTRAP_ROUNDS, seed),
                mean_with_interval(b, BOOTSTRAP_ROUNDS, seed),
                difference_of_means(b, a, seed),
            )
        )
    return Comparison(topic, rows)


@dataclass(frozen=True)
class CompareReport:
    human_collection: str
    simulated_collection: str
    overall: Comparison
    by_topic: list[Comparison]
    human_groups: int
    simulated_groups: int

    def as_dict(self) -> dict[str, object]:
        return {
            "study": "groups-compare",
            "human": {"collection": self.human_collection, "groups": self.human_groups},
            "simulated": {"collection": self.simulated_collection, "groups": self.simulated_groups},
            "overall": self.overall.as_dict(),
            "by_topic": [c.as_dict() for c in self.by_topic],
        }


def compare_report(
    human: Sequence[Discussion],
    simulated: Sequence[Discussion],
    human_collection: str = "",
    simulated_collection: str = "",
    seed: int = 0,
) -> CompareReport:
    """Every metric side by side, overall and per topic (topics matched case- and
    space-insensitively); the difference is simulated − human."""
    h = [group_metrics(d, seed) for d in human]
    s = [group_metrics(d, seed) for d in simulated]
    names: dict[str, str] = {}
    for g in [*h, *s]:
        names.setdefault(topic_key(g.topic), g.topic)
    by_topic = [
        _compare(
            [g for g in h if topic_key(g.topic) == key], [g for g in s if topic_key(g.topic) == key], names[key], seed
        )
        for key in sorted(names)
    ]
    return CompareReport(human_collection, simulated_collection, _compare(h, s, "", seed), by_topic, len(h), len(s))
