"""Shares with their counts and 95% intervals, and the comparisons the studies report."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from arena.ratings.stats import wilson_interval

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Proportion:
    """`successes` of `n`, the share (None when n = 0) and its 95% Wilson interval."""

    successes: int
    n: int
    rate: float | None
    lo: float
    hi: float

    def as_dict(self) -> dict[str, object]:
        return asdict(self)

    def text(self) -> str:
        if self.rate is None:
            return "n/a (n=0)"
        return f"{100 * self.rate:.1f}% [{100 * self.lo:.1f}, {100 * self.hi:.1f}] of {self.n}"


def proportion(successes: int, n: int) -> Proportion:
    lo, hi = wilson_interval(successes, n)
    return Proportion(successes, n, successes / n if n else None, lo, hi)


@dataclass(frozen=True)
class Estimate:
    """A derived statistic (a difference, a ratio) with its 95% interval."""

    value: float | None
    lo: float | None
    hi: float | None
    method: str

    def as_dict(self) -> dict[str, object]:
        return asdict(self)

    def text(self, percent: bool = True) -> str:
        if self.value is None:
            return "n/a"
        scale, unit = (100, "%") if percent else (1, "")
        lo = "−∞" if self.lo is None else f"{scale * self.lo:+.1f}"
        hi = "+∞" if self.hi is None else f"{scale * self.hi:+.1f}"
        return f"{scale * self.value:+.1f}{unit} [{lo}, {hi}]"


def difference(a: Proportion, b: Proportion) -> Estimate:
    """a − b with Newcombe's hybrid score interval (built from the two Wilson intervals)."""
    if a.rate is None or b.rate is None:
        return Estimate(None, None, None, "newcombe")
    d = a.rate - b.rate
    lo = d - math.sqrt((a.rate - a.lo) ** 2 + (b.hi - b.rate) ** 2)
    hi = d + math.sqrt((a.hi - a.rate) ** 2 + (b.rate - b.lo) ** 2)
    return Estimate(d, max(-1.0, lo), min(1.0, hi), "newcombe")


def relative_increase(a: Proportion, b: Proportion) -> Estimate:
    """a ÷ b − 1 (the fallacy study's susceptibility ratio), with the Katz log interval
    of the risk ratio; a zero count gets the usual 0.5 correction for the interval."""
    if not a.n or not b.n or a.rate is None or b.rate is None:
        return Estimate(None, None, None, "katz-log")
    value = a.rate / b.rate - 1 if b.successes else None
    x: float = a.successes
    y: float = b.successes
    nx: float = a.n
    ny: float = b.n
    if x == 0 or y == 0:
        x, y, nx, ny = x + 0.5, y + 0.5, nx + 0.5, ny + 0.5
    ratio = (x / nx) / (y / ny)
    se = math.sqrt(max(0.0, 1 / x - 1 / nx + 1 / y - 1 / ny))
    lo = ratio * math.exp(-Z95 * se) - 1
    hi = ratio * math.exp(Z95 * se) - 1
    return Estimate(value, lo, hi if b.successes else None, "katz-log")


@dataclass(frozen=True)
class Mean:
    """A mean over `n` items with a seeded 95% percentile-bootstrap interval."""

    value: float | None
    lo: float | None
    hi: float | None
    n: int
    total: float

    def as_dict(self) -> dict[str, object]:
        return asdict(self)

    def text(self, places: int = 1) -> str:
        if self.value is None:
            return "n/a (n=0)"
        return f"{self.value:.{places}f} [{self.lo:.{places}f}, {self.hi:.{places}f}] over {self.n}"


def mean_with_interval(values: list[float], rounds: int = 2000, seed: int = 0) -> Mean:
    import random

    n = len(values)
    if not n:
        return Mean(None, None, None, 0, 0.0)
    rng = random.Random(seed)
    means = sorted(sum(rng.choices(values, k=n)) / n for _ in range(rounds))
    return Mean(sum(values) / n, means[int(0.025 * rounds)], means[int(0.975 * rounds) - 1], n, float(sum(values)))
