"""A figure with its 95% interval and the count it rests on: the one shape the judge audit,
the benchmark runs and the agreement between judges report, and their JSON's
(`value`, `ci_lo`, `ci_hi`, `n`). The studies' shares and means (studies/intervals.py)
carry more: their successes, their method."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


@dataclass(frozen=True)
class Metric:
    value: float | None  # None: undefined (nothing to measure, or nothing varied)
    ci_lo: float | None
    ci_hi: float | None
    n: int  # the items it rests on

    def as_dict(self) -> dict[str, float | int | None]:
        return {"value": _round(self.value), "ci_lo": _round(self.ci_lo), "ci_hi": _round(self.ci_hi), "n": self.n}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Metric:
        return cls(data.get("value"), data.get("ci_lo"), data.get("ci_hi"), int(data.get("n") or 0))

    def contains(self, x: float) -> bool:
        return self.ci_lo is not None and self.ci_hi is not None and self.ci_lo - 1e-9 <= x <= self.ci_hi + 1e-9
