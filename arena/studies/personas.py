"""Judge personas ("AI Debate Aids Assessment of Controversial Claims"): a judge may carry
a persona (a belief profile); a persona makes a distinct judge id. On motions with a
known answer, accuracy per judge (persona) and protocol, debate vs consultancy; the
study's headline: persona judges 78.5%, default judges 69.8%."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from arena.config import ModelSettings
from arena.errors import UsageProblem
from arena.studies.intervals import Estimate, Proportion, difference, proportion

BUILTIN = Path(__file__).resolve().parent.parent / "data" / "personas.toml"
PROTOCOLS = ("debate", "consultancy")


@dataclass(frozen=True)
class Persona:
    name: str
    text: str
    leans: str | None = None  # pro | con: the side it tends to favour


def builtin_personas() -> dict[str, Persona]:
    data = tomllib.loads(BUILTIN.read_text(encoding="utf-8"))
    return {name: Persona(name, raw["text"], raw.get("leans")) for name, raw in data.items()}


def persona_named(name: str) -> Persona:
    personas = builtin_personas()
    if name not in personas:
        raise UsageProblem(
            f"unknown persona {name!r}: expected one of {', '.join(personas)} "
            '(or give a judge a persona in arena.toml: [judge.NAME] persona = "...")'
        )
    return personas[name]


def with_persona(settings: ModelSettings, persona: Persona) -> ModelSettings:
    """The judge carrying a persona: a distinct judge id, `<judge>~<persona>`."""
    base = settings.name or settings.model
    return ModelSettings(
        model=settings.model,
        name=f"{base}~{persona.name}",
        api_base=settings.api_base,
        temperature=settings.temperature,
        max_tokens=settings.max_tokens,
        persona=persona.text,
    )


@dataclass(frozen=True)
class Judgment:
    judge: str
    persona: str  # "" for a default judge
    protocol: str
    correct: bool
    answered: bool = True


@dataclass(frozen=True)
class AccuracyRow:
    judge: str
    persona: str
    protocol: str
    accuracy: Proportion

    def as_dict(self) -> dict[str, object]:
        return {
            "judge": self.judge,
            "persona": self.persona,
            "protocol": self.protocol,
            "accuracy": self.accuracy.as_dict(),
        }


@dataclass(frozen=True)
class PersonaReport:
    rows: list[AccuracyRow]
    persona_judges: dict[str, Proportion]  # per protocol, pooled over persona judges
    default_judges: dict[str, Proportion]
    persona_minus_default: dict[str, Estimate]
    void: int

    def as_dict(self) -> dict[str, object]:
        return {
            "study": "personas",
            "rows": [r.as_dict() for r in self.rows],
            "persona_judges": {k: v.as_dict() for k, v in self.persona_judges.items()},
            "default_judges": {k: v.as_dict() for k, v in self.default_judges.items()},
            "persona_minus_default": {k: v.as_dict() for k, v in self.persona_minus_default.items()},
            "void_ballots": self.void,
        }


def persona_report(judgments: list[Judgment]) -> PersonaReport:
    answered = [j for j in judgments if j.answered]
    keys = sorted({(j.judge, j.persona, j.protocol) for j in answered}, key=lambda k: (k[2], k[1] != "", k[0]))
    rows = []
    for judge, persona, protocol in keys:
        mine = [j for j in answered if (j.judge, j.persona, j.protocol) == (judge, persona, protocol)]
        rows.append(AccuracyRow(judge, persona, protocol, proportion(sum(j.correct for j in mine), len(mine))))
    pooled: dict[bool, dict[str, Proportion]] = {True: {}, False: {}}
    for has_persona in (True, False):
        for protocol in PROTOCOLS:
            mine = [j for j in answered if j.protocol == protocol and bool(j.persona) == has_persona]
            pooled[has_persona][protocol] = proportion(sum(j.correct for j in mine), len(mine))
    gap = {p: difference(pooled[True][p], pooled[False][p]) for p in PROTOCOLS}
    return PersonaReport(rows, pooled[True], pooled[False], gap, len(judgments) - len(answered))
