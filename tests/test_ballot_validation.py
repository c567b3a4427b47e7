"""A ballot needs a winner, a confidence and reasons; a round score both sides' scores.
Anything less is asked again, then void: recorded, counted nowhere, and said out loud."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field

import pytest

from arena.config import ModelSettings
from arena.debate.engine import DebateSetup, run_debate
from arena.debate.formats import load_format
from arena.debate.judging import JudgeParseError, JudgeSpec, parse_ballot, parse_round
from arena.debate.model_debater import ModelDebater
from arena.debate.options import DebateOptions
from arena.debate.records import MotionRef
from arena.llm.gateway import Gateway
from arena.llm.types import Completion, LLMRequest, TokenCallback, Usage
from arena.render.debate_json import debate_document

MOTION = MotionRef("test-motion", "This house would test everything.", "policy", "Testing is good.")
SCORES = {d: {"pro": 6, "con": 5} for d in ("argument", "evidence", "language", "clash")}
GOOD = {"winner": "Proposition", "confidence": 70, "scores": SCORES, "reasons": "Better evidence."}


def ballot_text(**changes: object) -> str:
    data = {**GOOD, **changes}
    return json.dumps({k: v for k, v in data.items() if v is not ...})


# --------------------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("I think the Proposition won.", "no JSON object"),
        ('{"winner": "Proposition", "confidence": 70, "reasons": "cut off', "invalid JSON"),
        ("[1, 2]", "no JSON object"),
        (ballot_text(winner=...), "winner must be"),
        (ballot_text(winner="Both"), "winner must be"),
        (ballot_text(winner="tie"), "winner must be"),
        (ballot_text(confidence=...), "confidence must be a number from 0 to 100, got missing"),
        (ballot_text(confidence="high"), "confidence must be a number"),
        (ballot_text(confidence=140), "confidence must be a number"),
        (ballot_text(confidence=-5), "confidence must be a number"),
        (ballot_text(confidence=True), "confidence must be a number"),
        (ballot_text(reasons=...), "reasons must be a non-empty string"),
        (ballot_text(reasons=""), "reasons must be a non-empty string"),
        (ballot_text(reasons="   "), "reasons must be a non-empty string"),
        (ballot_text(reasons=["a list"]), "reasons must be a non-empty string"),
        # the report: confidence 1, empty scores and empty reasons was accepted
        (ballot_text(confidence=1, scores={}, reasons=""), "reasons must be a non-empty string"),
    ],
)
def test_incomplete_ballots_are_rejected(text: str, problem: str) -> None:
    with pytest.raises(JudgeParseError, match=problem):
        parse_ballot(text)


def test_a_complete_ballot_parses_and_fractions_are_percentages() -> None:
    assert parse_ballot(ballot_text()) == ("pro", 70, SCORES, "Better evidence.")
    assert parse_ballot(ballot_text(confidence=0.85))[1] == 85
    assert parse_ballot(ballot_text(confidence="64"))[1] == 64


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('{"con": 5, "reason": "x"}', "pro must be a number from 1 to 10, got missing"),
        ('{"pro": 5, "reason": "x"}', "con must be a number from 1 to 10, got missing"),
        ('{"pro": 0, "con": 5}', "pro must be a number"),
        ('{"pro": 5, "con": 11}', "con must be a number"),
        ('{"pro": "five", "con": 5}', "pro must be a number"),
        ("no json at all", "no JSON object"),
    ],
)
def test_incomplete_round_scores_are_rejected(text: str, problem: str) -> None:
    with pytest.raises(JudgeParseError, match=problem):
        parse_round(text)


# --------------------------------------------------------------------------- in a debate


@dataclass
class ScriptedJudge:
    """Speeches and bets from the simulator; every judge answer from a script (the last
    answer repeats), so a test decides exactly how a judge misbehaves."""

    ballots: list[str]
    rounds: list[str] = field(default_factory=lambda: ['{"pro": 6, "con": 5, "reason": "fine"}'])
    inner: Gateway = field(default_factory=lambda: Gateway(backoff_base_s=0.0))
    asked: dict[str, int] = field(default_factory=dict)

    async def complete(self, req: LLMRequest, on_token: TokenCallback | None = None) -> Completion:
        if req.model != "scripted/judge":
            return await self.inner.complete(req, on_token)
        script = self.ballots if req.purpose == "ballot" else self.rounds
        n = self.asked.get(req.purpose, 0)
        self.asked[req.purpose] = n + 1
        return Completion(script[min(n, len(script) - 1)], Usage(req.model, 10, 10, 0.0, 0.0))


def setup(gateway, judges=("scripted/judge",), inconsistent="keep") -> DebateSetup:
    return DebateSetup(
        motion=MOTION,
        format=load_format("quick"),
        pro=ModelDebater(ModelSettings("sim/pro"), gateway),
        con=ModelDebater(ModelSettings("sim/con"), gateway),
        judges=[JudgeSpec(ModelSettings(j), inconsistent=inconsistent) for j in judges],
        options=DebateOptions(seed=3),
    )


async def test_a_bad_ballot_is_asked_again_and_then_counts() -> None:
    gateway = ScriptedJudge([ballot_text(reasons=""), ballot_text()])
    record = await run_debate(setup(gateway), gateway)
    assert gateway.asked["ballot"] == 2
    assert record.status == "finished" and record.verdict.pro_votes == 1
    assert record.warnings == []


async def test_a_ballot_that_stays_bad_is_void_warned_and_the_debate_void() -> None:
    gateway = ScriptedJudge([ballot_text(confidence=1, scores={}, reasons="")])
    events = []
    record = await run_debate(setup(gateway), gateway, events.append)
    assert gateway.asked["ballot"] == 3  # asked, then asked again twice
    assert record.ballots[0].void and "reasons must be a non-empty string" in record.ballots[0].error
    assert record.status == "void" and record.verdict is None
    assert any("is void and does not count" in w for w in record.warnings)
    assert any(type(e).__name__ == "DebateWarning" for e in events)
    doc = debate_document(record)
    assert doc["warnings"] == record.warnings and doc["ballots"][0]["void"]


async def test_a_void_ballot_never_counts_beside_a_valid_one() -> None:
    gateway = ScriptedJudge([ballot_text(winner="Opposition", reasons="")])
    record = await run_debate(setup(gateway, judges=("scripted/judge", "sim/judge")), gateway)
    assert record.status == "finished"
    assert record.verdict.void_ballots == 1
    assert record.verdict.pro_votes + record.verdict.con_votes == 1
    assert sum("is void and does not count" in w for w in record.warnings) == 1


async def test_a_round_score_missing_a_side_is_not_recorded_and_is_warned() -> None:
    gateway = ScriptedJudge([ballot_text()], rounds=['{"pro": 7, "reason": "only one"}'])
    record = await run_debate(setup(gateway), gateway)
    assert record.round_scores == []
    assert sum("no usable score for round" in w for w in record.warnings) == 2
    assert record.status == "finished"  # round scores inform; the ballot decides


INCONSISTENT = ballot_text(winner="Proposition", scores={d: {"pro": 4, "con": 6} for d in SCORES})


async def test_an_inconsistent_ballot_is_flagged_and_kept_by_default() -> None:
    gateway = ScriptedJudge([INCONSISTENT])
    record = await run_debate(setup(gateway), gateway)
    assert record.ballots[0].inconsistent and record.verdict.pro_votes == 1
    assert any("against its own dimension scores" in w for w in record.warnings)


async def test_an_inconsistent_ballot_can_be_voided_or_asked_again() -> None:
    voided = ScriptedJudge([INCONSISTENT])
    record = await run_debate(setup(voided, inconsistent="void"), voided)
    assert record.ballots[0].void and record.ballots[0].inconsistent and record.status == "void"

    fixed = ScriptedJudge(
        [INCONSISTENT, ballot_text(winner="Opposition", scores={d: {"pro": 4, "con": 6} for d in SCORES})],
        rounds=['{"pro": 5, "con": 6, "reason": "con ahead"}'],
    )
    record = await run_debate(setup(fixed, inconsistent="reask"), fixed)
    assert fixed.asked["ballot"] == 2
    assert record.ballots[0].winner == "con" and not record.ballots[0].inconsistent


async def test_warnings_and_flags_are_stored(store) -> None:
    from arena.store.queries import load_debate

    gateway = ScriptedJudge([INCONSISTENT])
    record = await run_debate(setup(gateway, judges=("scripted/judge", "scripted/judge")), gateway)
    store.save_debate(record)
    loaded = load_debate(store, record.id)
    assert loaded.warnings == record.warnings and loaded.warnings
    assert [b.inconsistent for b in loaded.ballots] == [True, True]


def test_cli_says_so_on_stderr_and_in_json(db_path) -> None:
    """A judge that always answers malformed JSON (or fails): every ballot void, the
    debate void (exit 1), each problem on stderr and in the document's warnings."""
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "arena",
            "debate",
            "--pro",
            "sim/a",
            "--con",
            "sim/b",
            "--judge",
            "sim/broken?faults=1",
            "--seed",
            "4",
            "--json",
        ],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=120,
    )
    assert out.returncode == 1, out.stderr
    doc = json.loads(out.stdout)
    assert doc["status"] == "void" and all(b["void"] for b in doc["ballots"])
    assert len(doc["warnings"]) >= len(doc["ballots"])
    assert "warning:" in out.stderr and "does not count" in out.stderr


async def test_a_ballot_against_its_own_round_scores_is_flagged_counted_and_said() -> None:
    """Σ of the judge's round scores 10–14 for the Opposition, the ballot for the
    Proposition with consistent dimension scores: flagged as inconsistent all the same."""
    gateway = ScriptedJudge([ballot_text()], rounds=['{"pro": 5, "con": 7, "reason": "con ahead"}'])
    record = await run_debate(setup(gateway), gateway)
    assert record.ballots[0].winner == "pro" and record.ballots[0].inconsistent
    assert any("against its own round scores (Σ 10–14)" in w for w in record.warnings)
    assert not any("dimension scores" in w for w in record.warnings)


async def test_a_ballot_agreeing_with_its_round_scores_is_not_flagged() -> None:
    gateway = ScriptedJudge([ballot_text()], rounds=['{"pro": 7, "con": 5, "reason": "pro ahead"}'])
    record = await run_debate(setup(gateway), gateway)
    assert not record.ballots[0].inconsistent and record.warnings == []
