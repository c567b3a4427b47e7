"""The debate, consultancy and direct protocols on motions with a known answer."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from arena.config import Config
from arena.debate.engine import run_debate
from arena.debate.options import DebateOptions
from arena.errors import UsageProblem
from arena.play import DebateRequest, prepare
from arena.store.queries import load_debate
from arena.store.store import counts_for_ratings

MOTION = "great-wall-visible-from-orbit"


def request(protocol: str, seed: int = 5) -> DebateRequest:
    return DebateRequest(
        pro="sim/a", con="sim/b", motion=MOTION, options=DebateOptions(judges=("sim/j",), seed=seed, protocol=protocol)
    )


async def test_consultancy_hears_only_the_consultant_and_is_not_rated(recording_gateway, store) -> None:
    consultants = set()
    for seed in range(6):
        setup = prepare(request("consultancy", seed), Config(), recording_gateway)
        record = await run_debate(setup, recording_gateway)
        consultants.add(record.consultant)
        assert record.protocol == "consultancy" and record.status == "finished"
        assert {s.side for s in record.speeches} == {record.consultant}
        assert record.round_scores == []
        assert not counts_for_ratings(record)
    assert consultants == {"pro", "con"}  # assigned at random, true or false
    prompt = recording_gateway.prompts("ballot")[-1]
    assert "A consultant was assigned to argue for the" in prompt and "which side is right" in prompt
    store.save_debate(record)
    assert store.match_log() == []
    loaded = load_debate(store, record.id)
    assert (loaded.protocol, loaded.consultant) == ("consultancy", record.consultant)


async def test_direct_has_no_speeches_and_the_judge_never_sees_the_truth(recording_gateway) -> None:
    record = await run_debate(prepare(request("direct"), Config(), recording_gateway), recording_gateway)
    assert record.speeches == [] and record.status == "finished" and len(record.ballots) == 1
    prompts = recording_gateway.prompts("ballot")
    assert len(prompts) == 1 and "No one has argued this motion" in prompts[0]
    assert "truth" not in prompts[0].lower() and "NASA" not in prompts[0]


def test_unknown_protocol_is_a_usage_problem(recording_gateway) -> None:
    with pytest.raises(UsageProblem, match="unknown protocol"):
        prepare(request("oracle"), Config(), recording_gateway)


def test_cli_reports_whether_the_judges_found_the_known_answer(db_path) -> None:
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
            "sim/j?accuracy=1",
            "--protocol",
            "direct",
            "--motion",
            MOTION,
            "--seed",
            "2",
            "--json",
        ],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert (doc["protocol"], doc["truth"], doc["correct"], doc["rated"]) == ("direct", "con", True, False)


def test_a_tournament_can_play_a_protocol_and_rates_no_one(db_path) -> None:
    import sqlite3

    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "arena",
            "tournament",
            "run",
            "--name",
            "oracle",
            "--players",
            "sim/a,sim/b",
            "--judge",
            "sim/j",
            "--motions",
            f"{MOTION},mmr-vaccine-causes-autism",
            "--protocol",
            "consultancy",
            "--seed",
            "3",
        ],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("SELECT protocol, consultant, status FROM debate").fetchall()
        rated = conn.execute("SELECT COUNT(*) FROM rating_change").fetchone()[0]
    assert len(rows) == 4 and {r[0] for r in rows} == {"consultancy"} and {r[2] for r in rows} == {"finished"}
    assert {r[1] for r in rows} <= {"pro", "con"} and rated == 0
