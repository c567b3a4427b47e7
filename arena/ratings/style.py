"""The covariates of a controlled Bradley–Terry fit: what they mean and how they are scaled.

A *control* is something a judge may reward that is not good debating. `--control`
names them; each gives one covariate z per match (two or three for `markdown`), always
read from A's point of view (A = model_a, the Proposition of an arena debate):

- ``length``: the words A and B spoke over the whole debate (every speech of theirs,
  from the stored speeches; an imported battle's token counts).
- ``side``: which side A argued: +1 the Proposition, −1 the Opposition. Absorbs a
  judge's preference for a side, which a schedule that gives some participants the
  Proposition more often would otherwise credit to them.
- ``order``: who spoke first in the final round: +1 A, −1 B. Absorbs a preference for
  opening (or, with a negative coefficient, for having the last word) in the round
  judges remember best.
- ``evidence``: cited evidence items and quotations per side (agent teams cite their
  sources in brackets; a plain model may quote too): lines or brackets like `[1]`,
  `[source: …]` and double-quoted passages of four words or more.
- ``markdown``: Chatbot Arena's three counts per side: headers (`#` … `######`), list
  items (ordered and unordered) and bold spans (`**…**` or `__…__`), one covariate each
  (``header``, ``list``, ``bold``).

Normalisation, as Chatbot Arena's style control does it: a count covariate is the
difference over the sum, (a − b)/(a + b + 1) (the 1 keeps 0/0 finite), then
standardised over the log: z = (x − mean)/sd. A coefficient γ is therefore the change
in log-odds for one standard deviation of that ratio, which `Covariate.unit_effect`
turns back into words ("+100 words of difference at a typical debate's length").
``side`` and ``order`` are ±1 indicators and are left as they are: centring would erase
them when every match has the same value (A is always the Proposition in an arena
debate, so ``side`` is then an intercept: the side advantage itself), and ±1 already has
unit scale.

A match with no measurement for a covariate (a debate without stored speeches, an
imported battle without style columns) gets z = 0, the mean, and the fit's warnings say
how many. A covariate that does not vary, or that is a copy of earlier ones (``order``
is fixed by the format, so it equals ``side`` times ±1 in a log of one format), is
dropped with a warning: its effect cannot be told apart.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from arena.ratings.types import MatchLog

CONTROLS: tuple[str, ...] = ("length", "side", "order", "evidence", "markdown")
COVARIATES: dict[str, tuple[str, ...]] = {
    "length": ("length",),
    "side": ("side",),
    "order": ("order",),
    "evidence": ("evidence",),
    "markdown": ("header", "list", "bold"),
}
INDICATORS = frozenset({"side", "order"})  # ±1 covariates, not difference-over-sum
# What one more unit of a count covariate is, for the coefficient's meaning in words.
UNITS: dict[str, tuple[float, str]] = {
    "length": (100.0, "+100 words of length difference"),
    "evidence": (1.0, "one more cited item or quotation than the opponent"),
    "header": (1.0, "one more markdown header than the opponent"),
    "list": (1.0, "one more list item than the opponent"),
    "bold": (1.0, "one more bold span than the opponent"),
}


@dataclass(frozen=True)
class Style:
    """What one match's covariates are computed from, A's count first; None = not measured."""

    words: tuple[float, float] | None = None
    a_side: int | None = None  # +1: A argued the Proposition, −1: the Opposition
    a_first: int | None = None  # +1: A spoke first in the final round, −1: B did
    evidence: tuple[float, float] | None = None
    header: tuple[float, float] | None = None
    list: tuple[float, float] | None = None
    bold: tuple[float, float] | None = None

    def raw(self, covariate: str) -> float | None:
        """The covariate before standardising: ±1, or (a − b)/(a + b + 1)."""
        if covariate == "side":
            return None if self.a_side is None else float(self.a_side)
        if covariate == "order":
            return None if self.a_first is None else float(self.a_first)
        pair = self.words if covariate == "length" else getattr(self, covariate)
        if pair is None:
            return None
        a, b = float(pair[0]), float(pair[1])
        return (a - b) / (a + b + 1.0)

    def total(self, covariate: str) -> float | None:
        pair = self.words if covariate == "length" else getattr(self, covariate, None)
        return None if pair is None else float(pair[0]) + float(pair[1])


@dataclass(frozen=True)
class Covariate:
    """One column of the design: how it was scaled and how much a unit of it is."""

    name: str
    mean: float  # subtracted (0 for an indicator)
    sd: float  # divided by (1 for an indicator)
    typical_total: float  # median a + b over the matches that measured it (0 for an indicator)
    measured: int  # matches with a measurement

    def unit_effect(self) -> tuple[float, str]:
        """(Δz for the unit named in UNITS or for the indicator's flip from −1 to +1 halved, its words).

        For a count, the unit (e.g. +100 words) at the typical total moves the ratio by
        unit/(total + 1), i.e. z by that over sd. For an indicator, +1 against 0 (a
        side-neutral reading): γ itself is the advantage of arguing the Proposition
        (speaking first) over a judge with no such preference.
        """
        if self.name in INDICATORS:
            words = (
                "arguing the Proposition (vs a side-blind judge)"
                if self.name == "side"
                else "speaking first in the final round (vs an order-blind judge)"
            )
            return 1.0, words
        unit, words = UNITS[self.name]
        where = (
            f"in a debate of a typical {self.typical_total:.0f} words"
            if self.name == "length"
            else f"at a typical total of {self.typical_total:g}"
        )
        return unit / (self.typical_total + 1.0) / self.sd, f"{words} ({where})"


@dataclass(frozen=True)
class Design:
    """A match log as arrays for a controlled fit: who met whom, the outcome, the debate
    each row belongs to (the bootstrap and the sandwich resample and cluster by it) and
    the standardised covariates."""

    participants: tuple[str, ...]
    a: np.ndarray  # row → index of model_a
    b: np.ndarray  # row → index of model_b
    score: np.ndarray  # row → A's points: 1, ½ or 0
    cluster: np.ndarray  # row → index of its debate (0 … clusters − 1)
    z: np.ndarray  # rows × covariates, standardised
    covariates: tuple[Covariate, ...] = ()
    warnings: list[str] = field(default_factory=list)

    @property
    def clusters(self) -> int:
        return int(self.cluster.max()) + 1 if len(self.cluster) else 0

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.covariates)


SCORE = {"model_a": 1.0, "tie": 0.5, "model_b": 0.0}


_HEADER = re.compile(r"^#{1,6}[ \t]+\S", re.MULTILINE)
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]+\S", re.MULTILINE)
_BOLD = re.compile(r"\*\*[^*\n]+\*\*|__[^_\n]+__")
_CITATION = re.compile(r"\[[^\[\]\n]{1,80}\]")
_QUOTATION = re.compile(r"[\"“]([^\"”\n]+)[\"”]")


def count_markdown(text: str) -> tuple[int, int, int]:
    """(headers, list items, bold spans) in `text`, as Chatbot Arena counts them."""
    return len(_HEADER.findall(text)), len(_LIST_ITEM.findall(text)), len(_BOLD.findall(text))


def count_evidence(text: str) -> int:
    """Cited items (`[1]`, `[E2]`, `[source: …]`) plus quotations of four words or more."""
    quotes = sum(1 for q in _QUOTATION.findall(text) if len(q.split()) >= 4)
    return len(_CITATION.findall(text)) + quotes


def parse_controls(text: str) -> tuple[str, ...]:
    """`length,side` → ("length", "side"); ValueError naming an unknown one."""
    names = tuple(dict.fromkeys(p.strip() for p in text.split(",") if p.strip()))
    unknown = [n for n in names if n not in CONTROLS]
    if unknown:
        raise ValueError(f"unknown control {unknown[0]!r}: choose from {', '.join(CONTROLS)}")
    return names


def build_design(
    log: MatchLog,
    style: Mapping[str, Style],
    controls: Sequence[str],
    clusters: Mapping[str, str] | None = None,
) -> Design:
    """The design for `controls` over the log's matches (self-matches dropped).

    `style` is keyed by match id; `clusters` maps a match id to its debate (default:
    each match is its own debate, as in an arena log).
    """
    rows = [m for m in log if m.model_a != m.model_b]
    participants = tuple(sorted({m.model_a for m in rows} | {m.model_b for m in rows}))
    index = {p: i for i, p in enumerate(participants)}
    a = np.array([index[m.model_a] for m in rows], dtype=np.int64)
    b = np.array([index[m.model_b] for m in rows], dtype=np.int64)
    score = np.array([SCORE[m.winner] for m in rows], dtype=np.float64)
    keys = [(clusters or {}).get(m.id, m.id) or f"#{n}" for n, m in enumerate(rows)]
    _, cluster = np.unique(np.array(keys, dtype=object).astype(str), return_inverse=True)
    names = [c for control in controls for c in COVARIATES[control]]
    warnings: list[str] = []
    columns: list[np.ndarray] = []
    kept: list[Covariate] = []
    empty = Style()
    for name in names:
        raw = [style.get(m.id, empty).raw(name) for m in rows]
        seen = np.array([v is not None for v in raw], dtype=bool)
        values = np.array([0.0 if v is None else v for v in raw])
        if not seen.any():
            warnings.append(f"control {name}: nothing in this log measures it; dropped")
            continue
        if name in INDICATORS:
            mean, sd, typical = 0.0, 1.0, 0.0
        else:
            mean, sd = float(values[seen].mean()), float(values[seen].std())
            totals = [style.get(m.id, empty).total(name) for m in rows]
            typical = float(np.median([t for t in totals if t is not None]))
        if sd <= 1e-12:
            warnings.append(f"control {name}: the same in every match, so its effect cannot be estimated; dropped")
            continue
        z = np.where(seen, (values - mean) / sd, 0.0)
        if columns and _in_span(np.column_stack(columns), z):
            earlier = ", ".join(c.name for c in kept)
            warnings.append(f"control {name}: determined by {earlier} in this log (cannot be told apart); dropped")
            continue
        if not seen.all():
            warnings.append(f"control {name}: {int((~seen).sum())} of {len(rows)} matches unmeasured (set to the mean)")
        columns.append(z)
        kept.append(Covariate(name, mean, sd, typical, int(seen.sum())))
    # column-major: the solvers read one covariate at a time
    z_all = np.asfortranarray(np.column_stack(columns)) if columns else np.zeros((len(rows), 0))
    return Design(participants, a, b, score, cluster.astype(np.int64), z_all, tuple(kept), warnings)


def _in_span(basis: np.ndarray, z: np.ndarray) -> bool:
    coef, *_ = np.linalg.lstsq(basis, z, rcond=None)
    resid = z - basis @ coef
    return float(np.linalg.norm(resid)) <= 1e-8 * max(float(np.linalg.norm(z)), 1.0)
