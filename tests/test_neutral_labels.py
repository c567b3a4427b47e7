"""Neutral labels: judges see the sides under random names, mapped back afterwards."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from arena.config import ModelSettings
from arena.debate.engine import DebateSetup, run_debate
from arena.debate.formats import load_format
from arena.debate.judging import JudgeParseError, JudgeSpec, neutral_labels, parse_ballot
from arena.debate.model_debater import ModelDebater
from arena.debate.options import DebateOptions
from arena.debate.records import MotionRef

MOTION = MotionRef("test-motion", "This house would test everything.", "policy", "Testing is good.")


def test_labels_are_random_distinct_and_mapped_back() -> None:
    drawn = {tuple(neutral_labels(seed).values()) for seed in range(40)}
    assert len(drawn) > 10 and all(a != b and a.endswith(" team") for a, b in drawn)
    labels = {"pro": "Teal team", "con": "Amber team"}
    text = json.dumps(
        {
            "winner": "Amber team",
            "confidence": 70,
            "reasons": "Clearer.",
            "scores": {"argument": {"Teal team": 4, "Amber team": 7}},
        }
    )
    side, _, scores, _ = parse_ballot(text, labels)
    assert side == "con" and scores == {"argument": {"pro": 4, "con": 7}}
    assert parse_ballot(text.replace('"Amber team", "conf', '"amber", "conf'), labels)[0] == "con"
    with pytest.raises(JudgeParseError, match='"Amber team" or "Teal team"'):
        parse_ballot(text.replace('"winner": "Amber team"', '"winner": "Opposition"'), labels)


async def test_the_judge_never_sees_proposition_or_opposition(recording_gateway) -> None:
    setup = DebateSetup(
        motion=MOTION,
        format=load_format("quick"),
        pro=ModelDebater(ModelSettings("sim/pro?skill=0.9"), recording_gateway),
        con=ModelDebater(ModelSettings("sim/con?skill=0.1"), recording_gateway),
        judges=[JudgeSpec(ModelSettings("sim/j"), neutral_labels=True)],
        options=DebateOptions(seed=4),
    )
    record = await run_debate(setup, recording_gateway)
    ballot_request = next(r for r in recording_gateway.requests if r.purpose == "ballot")
    shown = "\n".join(m.content for m in ballot_request.messages)
    assert "Proposition" not in shown and "Opposition" not in shown and " team" in shown
    assert set(ballot_request.json_schema["properties"]["winner"]["enum"]) == set(neutral_labels(4 + 7919).values())
    assert record.ballots[0].winner in ("pro", "con") and set(record.ballots[0].scores["argument"]) == {"pro", "con"}


def test_neutral_labels_remove_a_label_bias_but_not_an_injection(db_path) -> None:
    judge = "sim/j?side_bias=0.3&gullibility=0.5"
    runs = {}
    for flag in ([], ["--neutral-labels"]):
        out = subprocess.run(
            [sys.executable, "-m", "arena", "judges", "audit", "--judge", judge, "--debates", "150", "--json", *flag],
            capture_output=True,
            text=True,
            env=dict(os.environ),
            timeout=300,
        )
        assert out.returncode == 0, out.stderr
        runs[bool(flag)] = json.loads(out.stdout)["judges"][0]["metrics"]
    assert runs[False]["side_bias"]["ci_lo"] > 0.2
    assert runs[True]["side_bias"]["ci_lo"] <= 0 <= runs[True]["side_bias"]["ci_hi"]
    assert runs[True]["injection_flip_rate"]["ci_lo"] <= 0.5 <= runs[True]["injection_flip_rate"]["ci_hi"]


def test_the_embedded_judge_sees_neutral_labels_by_default(recording_gateway) -> None:
    from arena.config import Config
    from arena.debate.options import DebateOptions
    from arena.play import DebateRequest, prepare

    def labels(**kw) -> list[bool]:
        request = DebateRequest(
            pro="sim/a", con="sim/b", options=DebateOptions(judges=("local/smollm2", "sim/j"), seed=1, **kw)
        )
        return [j.neutral_labels for j in prepare(request, Config(), recording_gateway).judges]

    assert labels() == [True, False]
    assert labels(neutral_labels=False) == [False, False]
    assert labels(neutral_labels=True) == [True, True]
