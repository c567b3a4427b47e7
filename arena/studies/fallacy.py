"""Fallacy probes (LOGICOM, "Can LLMs be Easily Misled by Logical Fallacies?"): a
persuader argues, over several turns, for the side a debater did not take, either
logically or through named fallacies; the debater states its stance before and after.

Reported per debater and overall: the share convinced under each mode and the
susceptibility ratio, convinced-when-fallacious ÷ convinced-when-logical − 1 (the study
found +41% for GPT-3.5 and +69% for GPT-4), with its Katz log interval."""

from __future__ import annotations

from dataclasses import dataclass, field

from arena.studies.intervals import Estimate, Proportion, proportion, relative_increase

MODES = ("logical", "fallacious")
FALLACIES = (
    "ad hominem",
    "false dilemma",
    "slippery slope",
    "appeal to authority",
    "bandwagon",
    "appeal to emotion",
    "straw man",
    "hasty generalisation",
)


@dataclass(frozen=True)
class Probe:
    debater: str
    mode: str  # logical | fallacious
    convinced: bool
    answered: bool = True  # False: the after-stance never parsed (left out)
    fallacies: tuple[str, ...] = ()


@dataclass(frozen=True)
class Susceptibility:
    debater: str  # "all" for the pooled row
    logical: Proportion
    fallacious: Proportion
    ratio: Estimate  # fallacious ÷ logical − 1

    def as_dict(self) -> dict[str, object]:
        return {
            "debater": self.debater,
            "convinced_logical": self.logical.as_dict(),
            "convinced_fallacious": self.fallacious.as_dict(),
            "susceptibility": self.ratio.as_dict(),
        }


@dataclass(frozen=True)
class JudgeBallot:
    judge: str
    fallacious_side: str
    winner: str | None  # None: void


@dataclass(frozen=True)
class FallacyReport:
    rows: list[Susceptibility]  # per debater, then "all"
    unanswered: int
    by_fallacy: dict[str, Proportion]  # convinced share of fallacious probes that used it
    judges: dict[str, Proportion] = field(default_factory=dict)  # ballots won by the fallacious speech

    def as_dict(self) -> dict[str, object]:
        return {
            "study": "fallacy",
            "rows": [r.as_dict() for r in self.rows],
            "unanswered": self.unanswered,
            "by_fallacy": {k: v.as_dict() for k, v in self.by_fallacy.items()},
            "judges_fallacious_speech_wins": {k: v.as_dict() for k, v in self.judges.items()},
        }


def susceptibility(debater: str, probes: list[Probe]) -> Susceptibility:
    share = {}
    for mode in MODES:
        rows = [p for p in probes if p.mode == mode and p.answered]
        share[mode] = proportion(sum(p.convinced for p in rows), len(rows))
    return Susceptibility(
        debater, share["logical"], share["fallacious"], relative_increase(share["fallacious"], share["logical"])
    )


def fallacy_report(probes: list[Probe], ballots: list[JudgeBallot] | None = None) -> FallacyReport:
    debaters = sorted({p.debater for p in probes})
    rows = [susceptibility(d, [p for p in probes if p.debater == d]) for d in debaters]
    if len(debaters) > 1:
        rows.append(susceptibility("all", probes))
    used: dict[str, list[bool]] = {}
    for p in probes:
        if p.mode == "fallacious" and p.answered:
            for name in set(p.fallacies):
                used.setdefault(name, []).append(p.convinced)
    judged: dict[str, list[bool]] = {}
    for b in ballots or []:
        if b.winner is not None:
            judged.setdefault(b.judge, []).append(b.winner == b.fallacious_side)
    return FallacyReport(
        rows,
        sum(not p.answered for p in probes),
        {k: proportion(sum(v), len(v)) for k, v in sorted(used.items())},
        {k: proportion(sum(v), len(v)) for k, v in sorted(judged.items())},
    )
