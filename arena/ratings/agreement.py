"""Agreement between judges (`arena judges agreement`): pure statistics of their decisions.

An item is one debate; a re-judged copy (`arena rejudge`) is the same item as its
original, so the original's judges and the new ones decided the same thing. A judge's
decision on an item is the side most of its usable ballots named (its repeats, both
orders of a swap). Ballots name pro or con, never a draw; a judge whose own ballots on an
item split evenly (say, it flipped when the speeches were swapped) has no decision there:
the item is left out for that judge and counted as split. Void ballots are left out and
counted.

Per pair of judges, over the items both decided: the share agreeing (Wilson 95%
interval) and Cohen's κ; over all judges, Krippendorff's α (nominal, any number of
judges per item, missing decisions allowed). The intervals of κ and α are percentile
bootstraps over items (resampled whole, so a debate's decisions move together), with a
fixed seed: the same decisions give the same figures.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from arena.ratings.metric import Metric
from arena.ratings.stats import wilson_interval

CATEGORIES = ("pro", "con")
RESAMPLES = 2000
SEED = 0


@dataclass(frozen=True)
class Vote:
    """One ballot: on which item (the original debate's id), by which judge, cast on a
    debate of which collection, and the side it named (None: void)."""

    item: str
    judge: str
    collection: str
    winner: str | None


@dataclass(frozen=True)
class JudgeCounts:
    judge: str  # the rater's label (see `raters`)
    ballots: int
    void: int
    items: int  # items it decided
    split: int  # items its own ballots split evenly on


@dataclass(frozen=True)
class PairAgreement:
    a: str
    b: str
    items: int  # items both decided
    agree: int
    share: Metric  # agree / items, Wilson 95%
    kappa: Metric  # Cohen's κ, bootstrap 95%


@dataclass(frozen=True)
class AgreementReport:
    judges: list[JudgeCounts]
    pairs: list[PairAgreement]  # every pair with a common item, by label
    alpha: Metric  # Krippendorff's α over items decided by two judges or more
    alpha_decisions: int  # the decisions α pairs up (on those items)
    items: int  # items with at least one decision
    reference: str | None = None
    resamples: int = RESAMPLES
    seed: int = SEED

    @property
    def ballots(self) -> int:
        return sum(j.ballots for j in self.judges)

    @property
    def void(self) -> int:
        return sum(j.void for j in self.judges)

    @property
    def split(self) -> int:
        return sum(j.split for j in self.judges)

    def against_reference(self) -> list[PairAgreement]:
        """Each other judge's pair with the reference, the reference as `a`."""
        if self.reference is None:
            return []
        out = []
        for p in self.pairs:
            if p.a == self.reference:
                out.append(p)
            elif p.b == self.reference:
                out.append(PairAgreement(p.b, p.a, p.items, p.agree, p.share, p.kappa))
        return out


# --------------------------------------------------------------------------- decisions


def raters(votes: Iterable[Vote]) -> dict[tuple[str, str], str]:
    """(judge, collection) -> the label its decisions go under: the judge's name, or
    `name (collection)` for a judge that decided a debate in more than one collection (the
    same judge asked again, say by `arena rejudge --judge` with a judge it already had)."""
    where: dict[tuple[str, str], set[str]] = defaultdict(set)  # (judge, item) -> collections
    for v in votes:
        where[(v.judge, v.item)].add(v.collection)
    twice = {judge for (judge, _), collections in where.items() if len(collections) > 1}
    return {
        (judge, c): f"{judge} ({c})" if judge in twice else judge
        for (judge, _), collections in where.items()
        for c in collections
    }


def decisions(votes: Sequence[Vote]) -> tuple[dict[str, dict[str, str]], list[JudgeCounts]]:
    """item -> rater -> decided side, and each rater's counts (ballots, void, split)."""
    label = raters(votes)
    tallies: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    ballots: Counter[str] = Counter()
    void: Counter[str] = Counter()
    for v in votes:
        rater = label[(v.judge, v.collection)]
        ballots[rater] += 1
        if v.winner is None:
            void[rater] += 1
        elif v.winner in CATEGORIES:
            tallies[(v.item, rater)][v.winner] += 1
    decided: dict[str, dict[str, str]] = defaultdict(dict)
    split: Counter[str] = Counter()
    for (item, rater), tally in tallies.items():
        (top, count), *rest = tally.most_common()
        if rest and rest[0][1] == count:
            split[rater] += 1
        else:
            decided[item][rater] = top
    items_of: Counter[str] = Counter(r for by in decided.values() for r in by)
    counts = [JudgeCounts(r, ballots[r], void[r], items_of[r], split[r]) for r in sorted(ballots)]
    return dict(decided), counts


# --------------------------------------------------------------------------- the statistics


def cohen_kappa(a: Sequence[str], b: Sequence[str]) -> float | None:
    """Cohen's κ of two raters' labels on the same items; None when chance agreement is 1
    (both always named the same single side) or there are no items."""
    value = _kappa(_table(a, b)[None, :])[0]
    return None if math.isnan(value) else float(value)


def krippendorff_alpha(units: Sequence[Sequence[str]]) -> float | None:
    """Krippendorff's α (nominal) of the values each unit received (any number per unit;
    units with fewer than two are not pairable and left out). None without disagreement
    to expect (no pairable values, or all of one value)."""
    kinds, how_many = _unit_kinds(units)
    value = _alpha(kinds, how_many[None, :])[0]
    return None if math.isnan(value) else float(value)


def _table(a: Sequence[str], b: Sequence[str]) -> np.ndarray:
    """The K × K table of two raters' labels (a's category × b's), flattened."""
    index = {c: i for i, c in enumerate(CATEGORIES)}
    k = len(CATEGORIES)
    table = np.zeros(k * k)
    for x, y in zip(a, b):
        table[index[x] * k + index[y]] += 1
    return table


def _kappa(tables: np.ndarray) -> np.ndarray:
    """κ of each row of `tables` (flattened K × K tables of counts). NaN where undefined."""
    k = len(CATEGORIES)
    cells = tables.reshape(tables.shape[0], k, k)
    n = cells.sum(axis=(1, 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        observed = np.trace(cells, axis1=1, axis2=2) / n
        expected = (cells.sum(axis=2) * cells.sum(axis=1)).sum(axis=1) / n**2
        return np.where((n > 0) & (expected < 1 - 1e-12), (observed - expected) / (1 - expected), np.nan)


def _unit_kinds(units: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
    """The pairable units (two values or more) by kind: the distinct rows of category
    counts, and how many units are of each kind."""
    found: Counter[tuple[int, ...]] = Counter(tuple(list(u).count(c) for c in CATEGORIES) for u in units if len(u) >= 2)
    kinds = sorted(found)
    return np.array(kinds, dtype=float).reshape(len(kinds), len(CATEGORIES)), np.array(
        [found[x] for x in kinds], dtype=float
    )


def _alpha(kinds: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """α for each row of `weights` (how many units of each kind).

    With n_uc the values of category c in unit u, m_u = Σ_c n_uc, n_c = Σ_u n_uc and
    n = Σ_c n_c: α = 1 − (n − 1) · Σ_u (m_u² − Σ_c n_uc²) / (m_u − 1) / (n² − Σ_c n_c²)."""
    if kinds.shape[0] == 0:
        return np.full(weights.shape[0], np.nan)
    m = kinds.sum(axis=1)
    disagreeing = (m**2 - (kinds**2).sum(axis=1)) / (m - 1)  # per unit of each kind
    n_c = weights @ kinds
    n = n_c.sum(axis=1)
    expected = n**2 - (n_c**2).sum(axis=1)
    observed = weights @ disagreeing
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(expected > 0, 1 - (n - 1) * observed / expected, np.nan)


def _interval(value: float | None, samples: np.ndarray, n: int) -> Metric:
    """The percentile interval of the defined resamples (undefined ones, where a resample
    happened to hold one side only, are left out), widened where needed to hold the
    estimate itself (a skewed bootstrap on few debates can leave it just outside)."""
    if value is None:
        return Metric(None, None, None, n)
    good = samples[~np.isnan(samples)]
    if good.size == 0:
        return Metric(value, None, None, n)
    lo, hi = np.quantile(good, [0.025, 0.975])
    return Metric(value, float(min(lo, value)), float(max(hi, value)), n)


def _resample(counts: np.ndarray, seed: int) -> np.ndarray:
    """RESAMPLES bootstrap draws of the items behind `counts` (how many items of each kind):
    drawing n items with replacement is drawing the kinds' counts from a multinomial, which
    costs nothing per item."""
    n = int(counts.sum())
    return np.random.default_rng(seed).multinomial(n, counts / n, size=RESAMPLES).astype(float)


def pair_agreement(a: str, b: str, labels_a: Sequence[str], labels_b: Sequence[str], seed: int = SEED) -> PairAgreement:
    n = len(labels_a)
    agree = sum(x == y for x, y in zip(labels_a, labels_b))
    lo, hi = wilson_interval(agree, n)
    share = Metric(agree / n if n else None, lo if n else None, hi if n else None, n)
    table = _table(labels_a, labels_b)
    kappa = cohen_kappa(labels_a, labels_b)
    samples = _kappa(_resample(table, seed)) if kappa is not None else np.full(0, np.nan)
    return PairAgreement(a, b, n, agree, share, _interval(kappa, samples, n))


def agreement(votes: Sequence[Vote], reference: str | None = None, seed: int = SEED) -> AgreementReport:
    """Every pair of judges with common items, and α over all of them."""
    decided, counts = decisions(votes)
    items = sorted(decided)
    judges = [c.judge for c in counts]
    pairs = []
    for i, a in enumerate(judges):
        for b in judges[i + 1 :]:
            common = [item for item in items if a in decided[item] and b in decided[item]]
            if common:
                pairs.append(
                    pair_agreement(a, b, [decided[x][a] for x in common], [decided[x][b] for x in common], seed)
                )
    units = [list(decided[item].values()) for item in items]
    kinds, how_many = _unit_kinds(units)
    alpha = krippendorff_alpha(units)
    samples = _alpha(kinds, _resample(how_many, seed)) if alpha is not None else np.full(0, np.nan)
    return AgreementReport(
        judges=counts,
        pairs=pairs,
        alpha=_interval(alpha, samples, int(how_many.sum())),
        alpha_decisions=int(how_many @ kinds.sum(axis=1)) if len(kinds) else 0,
        items=len(items),
        reference=reference,
        seed=seed,
    )


def report_dict(report: AgreementReport) -> dict[str, object]:
    """The report as plain data (the `--json` document's body)."""

    def pair(p: PairAgreement) -> dict[str, object]:
        return {
            "judges": [p.a, p.b],
            "items": p.items,
            "agree": p.agree,
            "share": p.share.as_dict(),
            "kappa": p.kappa.as_dict(),
        }

    return {
        "items": report.items,
        "ballots": report.ballots,
        "void_ballots": report.void,
        "split_decisions": report.split,
        "judges": [
            {"judge": j.judge, "ballots": j.ballots, "void": j.void, "items": j.items, "split": j.split}
            for j in report.judges
        ],
        "pairs": [pair(p) for p in report.pairs],
        "alpha": {**report.alpha.as_dict(), "decisions": report.alpha_decisions},
        "reference": report.reference,
        "against_reference": [pair(p) for p in report.against_reference()],
        "interval": {
            "share": "Wilson 95%",
            "kappa_alpha": f"percentile bootstrap over debates, {report.resamples} resamples, seed {report.seed}",
        },
    }
