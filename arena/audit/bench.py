"""A judge on a public pairwise benchmark (arena judges bench): the items, the judge's
choices in both orders, and the figures the field reports, each with its Wilson 95%
interval and count (AlpacaEval's evaluator table: human agreement, P(prefer longer),
P(prefer first position)).

Each item is asked twice: as given (response a first) and swapped (b first). Its ballots:
- `human_agreement`: the share of ballots naming the labelled better response, over both
  orders. A pair the judge decided differently in the two orders (swap-inconsistent)
  therefore counts one half, as AlpacaEval averages the two orders. Its interval treats
  the two ballots of a pair as correlated (`metrics.paired_rate`); n is ballots.
- `human_agreement_as_given`, `human_agreement_swapped`: the same in one order only.
- `swap_consistency`: the share of pairs (both ballots valid) where the judge chose the
  same response in both orders; n is pairs.
- `p_prefer_first`: the share of ballots naming the response shown first (0.5 is fair).
- `p_prefer_longer`: the share of ballots naming the longer response by characters, over
  pairs of unequal length (pairs of equal length are left out and counted).
A void ballot (no readable answer after a retry) is left out of every figure and counted.
Pure functions: the runner collects the ballots, the CLI prints them."""

from __future__ import annotations

from dataclasses import dataclass, field

from arena.audit.metrics import Metric, paired_rate, rate

Choice = str  # "a" | "b": which response (by content, not position)

BENCH_METRICS = (
    "human_agreement",
    "human_agreement_as_given",
    "human_agreement_swapped",
    "swap_consistency",
    "p_prefer_first",
    "p_prefer_longer",
)
# The shapes of file arena judges bench reads (arena/importers/pairwise.py), as shown.
SHAPE_NAMES: dict[str, str] = {
    "llmbar": "LLMBar",
    "judgebench": "JudgeBench",
    "mtbench": "MT-Bench human judgments",
    "plain": "plain",
}
# How each figure reads, for tables and the HTML export.
BENCH_HINTS = {
    "human_agreement": "both orders; 1 is best",
    "human_agreement_as_given": "a shown first",
    "human_agreement_swapped": "b shown first",
    "swap_consistency": "1 is fair",
    "p_prefer_first": "0.5 is fair",
    "p_prefer_longer": "by characters",
}


@dataclass(frozen=True)
class PairItem:
    """One comparison: the prompt, two responses and which is better by the label."""

    prompt: str
    a: str
    b: str
    gold: Choice  # "a" | "b"
    record: int  # its record number in the file (a JSON element, a JSONL line, a CSV row), 1-based
    line: int = 0  # the line of the file it starts on

    def longer(self) -> Choice | None:
        if len(self.a) == len(self.b):
            return None
        return "a" if len(self.a) > len(self.b) else "b"


@dataclass(frozen=True)
class PairBallots:
    """The judge's choice with a shown first (`as_given`) and with b shown first
    (`swapped`); None: a void ballot."""

    item: PairItem
    as_given: Choice | None
    swapped: Choice | None


@dataclass
class BenchCounts:
    pairs: int = 0
    ballots: int = 0
    void_ballots: int = 0
    equal_length_pairs: int = 0
    metrics: dict[str, Metric] = field(default_factory=dict)


def compute(results: list[PairBallots]) -> BenchCounts:
    counts = BenchCounts(pairs=len(results))
    agreement: list[list[bool]] = []
    given: list[bool] = []
    swapped: list[bool] = []
    first: list[list[bool]] = []
    longer: list[list[bool]] = []
    consistent = both = 0
    for r in results:
        gold, long = r.item.gold, r.item.longer()
        counts.equal_length_pairs += long is None
        pair_agree: list[bool] = []
        pair_first: list[bool] = []
        pair_longer: list[bool] = []
        for choice, shown_first, into in ((r.as_given, "a", given), (r.swapped, "b", swapped)):
            counts.ballots += 1
            if choice is None:
                counts.void_ballots += 1
                continue
            pair_agree.append(choice == gold)
            into.append(choice == gold)
            pair_first.append(choice == shown_first)
            if long is not None:
                pair_longer.append(choice == long)
        agreement.append(pair_agree)
        first.append(pair_first)
        longer.append(pair_longer)
        if r.as_given is not None and r.swapped is not None:
            both += 1
            consistent += r.as_given == r.swapped
    counts.metrics = {
        "human_agreement": paired_rate(agreement),
        "human_agreement_as_given": rate(sum(given), len(given)),
        "human_agreement_swapped": rate(sum(swapped), len(swapped)),
        "swap_consistency": rate(consistent, both),
        "p_prefer_first": paired_rate(first),
        "p_prefer_longer": paired_rate(longer),
    }
    return counts


def metrics_document(metrics: dict[str, Metric]) -> dict[str, dict[str, float | int | None]]:
    return {name: metrics[name].as_dict() for name in BENCH_METRICS if name in metrics}


def metrics_from_document(data: dict[str, dict]) -> dict[str, Metric]:
    return {name: Metric.from_dict(data[name]) for name in BENCH_METRICS if name in data}
