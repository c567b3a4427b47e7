"""Issue 24: a debate record saved and loaded is the same record, every option included
(the information slide too), on SQLite and PostgreSQL alike; and the debate options
have one spelling on every command."""

from __future__ import annotations

import uuid
from dataclasses import fields, replace
from typing import get_type_hints

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arena.debate.options import DebateOptions, option_fields
from arena.debate.records import (
    AgentStep,
    Ballot,
    Bet,
    CallUsage,
    DebateRecord,
    MotionRef,
    RoundScore,
    Speech,
    Verdict,
)
from arena.debate.verdict import aggregate
from arena.render.debate_json import debate_document
from arena.store.queries import load_debate

# Text either database keeps as it is (PostgreSQL refuses NUL; no control characters,
# nothing the redaction of secrets would rewrite).
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=20)
NAME = st.text("abcdefghij-/", min_size=1, max_size=12)
SIDE = st.sampled_from(["pro", "con"])
SMALL = st.integers(0, 10_000)
FLOAT = st.floats(0, 1e6, allow_nan=False, allow_infinity=False)
COST = st.none() | FLOAT

# Every field of DebateOptions drawn from its type, so a new option is covered with no
# edit here; a played debate's adaptive_break is decided (the format's when none was asked).
OPTIONS = st.builds(
    DebateOptions,
    **{
        **{name: st.from_type(kind) for name, kind in get_type_hints(DebateOptions).items()},
        "adaptive_break": st.booleans(),
    },
)
STEP = st.builds(
    AgentStep,
    role=NAME,
    stage=NAME,
    input_summary=TEXT,
    output=TEXT,
    model=NAME,
    tokens_in=SMALL,
    tokens_out=SMALL,
    cost=COST,
    latency_s=FLOAT,
)
SCORES = st.dictionaries(
    NAME, st.fixed_dictionaries({"pro": st.integers(1, 10), "con": st.integers(1, 10)}), max_size=2
)
BALLOT = st.builds(
    Ballot,
    judge=NAME,
    winner=st.none() | SIDE,
    confidence=st.integers(0, 100),
    scores=SCORES,
    reasons=TEXT,
    swapped=st.booleans(),
    repeat=st.integers(0, 3),
    self_judged=st.booleans(),
    error=TEXT,
    inconsistent=st.booleans(),
)
USAGE = st.builds(
    CallUsage,
    calls=SMALL,
    tokens_in=SMALL,
    tokens_out=SMALL,
    cost=COST,
    retries=SMALL,
    by_purpose=st.dictionaries(
        NAME, st.fixed_dictionaries({"calls": SMALL, "tokens_in": SMALL, "tokens_out": SMALL, "cost": COST}), max_size=2
    ),
)


@st.composite
def records(draw: st.DrawFn) -> DebateRecord:
    """Any record the engine could leave: speeches in stage order, the verdict its
    ballots' (as the store recomputes it), the options as played (seed equal to `seed`)."""
    seed = draw(st.integers(0, 2**31 - 1))
    speeches = [
        Speech(
            index=i,
            side=draw(SIDE),
            stage=draw(NAME),
            kind=draw(NAME),
            round=draw(st.integers(1, 5)),
            text=draw(TEXT),
            words=draw(SMALL),
            model=draw(NAME),
            tokens_in=draw(SMALL),
            tokens_out=draw(SMALL),
            cost=draw(COST),
            latency_s=draw(FLOAT),
            trace=draw(st.lists(STEP, max_size=2)),
        )
        for i in range(draw(st.integers(0, 3)))
    ]
    ballots = draw(st.lists(BALLOT, max_size=3))
    status = draw(st.sampled_from(["finished", "void"]))
    verdict = None
    if status == "finished":
        winner = draw(st.sampled_from(["pro", "con", "tie"]))
        verdict = replace(aggregate(ballots), winner=winner) if ballots else Verdict(winner=winner)
    started = draw(st.floats(1, 2e9, allow_nan=False))
    pro = f"model:{draw(NAME)}"
    return DebateRecord(
        id="x",
        motion=MotionRef(draw(NAME), draw(TEXT), draw(NAME), info_slide=draw(TEXT)),
        format=draw(NAME),
        pro=pro,
        con=draw(st.just(pro) | NAME.map(lambda n: f"model:{n}")),
        judges=draw(st.lists(NAME, max_size=3)),
        seed=seed,
        status=status,
        speeches=speeches,
        bets=[
            Bet(
                after_speech=s.index,
                side=s.side,
                amount=draw(st.none() | st.integers(0, 100)),
                reasoning=draw(TEXT),
                stage=s.stage,
            )
            for s in speeches
        ],
        round_scores=draw(
            st.lists(
                st.builds(
                    RoundScore,
                    judge=NAME,
                    round=st.integers(1, 5),
                    pro=st.integers(1, 10),
                    con=st.integers(1, 10),
                    reason=TEXT,
                    repeat=st.integers(0, 3),
                ),
                max_size=3,
            )
        ),
        ballots=ballots,
        verdict=verdict,
        error=draw(TEXT),
        started_at=started,
        finished_at=draw(st.none() | st.floats(started, 3e9, allow_nan=False)),
        tournament=draw(st.none() | NAME),
        slot=draw(st.none() | NAME),
        collection=draw(st.sampled_from(["arena", "study"])),
        consultant=draw(st.none() | SIDE),
        warnings=draw(st.lists(TEXT, max_size=2)),
        usage=draw(USAGE),
        broke_after_round=draw(st.none() | st.integers(1, 5)),
        rejudge_of=draw(st.none() | NAME),
        options=replace(draw(OPTIONS), seed=seed),
    )


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(record=records())
def test_a_record_saved_and_loaded_is_the_same_record(store, record: DebateRecord) -> None:
    record = replace(record, id=uuid.uuid4().hex[:12])
    store.save_debate(record)  # may move finished_at on (strictly increasing), in the record too
    loaded = load_debate(store, record.id)
    assert loaded == record
    assert loaded.motion.info_slide == record.motion.info_slide
    assert debate_document(loaded) == debate_document(record)


def test_every_option_is_in_the_json_document() -> None:
    record = DebateRecord("d", MotionRef("m", "t", "c", "slide"), "quick", "model:a", "model:b", [], 1)
    doc = debate_document(record)
    assert set(doc["options"]) == set(option_fields())
    assert doc["motion"]["info_slide"] == "slide"


def test_an_old_database_gets_its_information_slides_back(store, db_url) -> None:
    from sqlalchemy import text

    from arena.motions import load_motions
    from arena.store import tables as t
    from arena.store.store import Store

    motion = next(m for m in load_motions().all() if m.info_slide)
    record = DebateRecord(
        "old1",
        MotionRef(motion.id, motion.text, motion.category, motion.info_slide),
        "quick",
        "model:a",
        "model:b",
        [],
        1,
        status="void",
        started_at=1.0,
    )
    store.save_debate(record)
    with store.engine.begin() as conn:  # as a version-5 database left it: no slide kept
        conn.execute(text("UPDATE debate SET info_slide = ''"))
        conn.execute(text("UPDATE schema_info SET version = 5"))
    store.engine.dispose()
    reopened = Store(db_url)
    assert reopened.schema_version() == t.SCHEMA_VERSION
    assert load_debate(reopened, "old1").motion.info_slide == motion.info_slide
    reopened.engine.dispose()


@pytest.mark.parametrize("command", [["debate"], ["tournament", "run"]])
def test_debate_and_tournament_run_spell_every_option_alike(command: list[str]) -> None:
    from arena.cli import cli

    cmd = cli
    for name in command:
        cmd = cmd.commands[name]  # type: ignore[attr-defined]
    params = {p.name: p for p in cmd.params}
    for f in fields(DebateOptions):
        assert f.name in params, f.name
        assert params[f.name].opts[0] == f.metadata["flag"].decls.split("/")[0]
    assert "--inconsistent-ballots" in params["inconsistent"].opts
    assert params["inconsistent__alias0"].hidden and params["inconsistent__alias0"].opts == ["--inconsistent"]


@pytest.mark.parametrize("flag", ["--inconsistent-ballots", "--inconsistent"])
def test_the_ballot_policy_reaches_the_record_by_either_spelling(db_path, flag: str) -> None:
    import json

    from arena.cli import cli

    result = CliRunner().invoke(
        cli, ["debate", "--pro", "sim/a", "--con", "sim/b", "--judge", "sim/j", "--seed", "3", flag, "void", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["options"]["inconsistent"] == "void"


def test_prepare_gives_the_judges_the_ballot_policy() -> None:
    from arena.config import Config
    from arena.llm.gateway import Gateway
    from arena.play import DebateRequest, prepare

    request = DebateRequest(
        pro="sim/a", con="sim/b", options=DebateOptions(judges=("sim/j", "sim/k"), seed=1, inconsistent="reask")
    )
    assert [j.inconsistent for j in prepare(request, Config(), Gateway()).judges] == ["reask", "reask"]


def test_a_tournament_spec_of_version_1_reads_into_options() -> None:
    import json

    from arena.tournament.plan import TournamentSpec

    old = {
        "version": 1,
        "name": "cup",
        "players": ["a", "b"],
        "participant_ids": {"a": "model:a", "b": "model:b"},
        "motions": ["m"],
        "schedule": "swiss",
        "rounds": 2,
        "format": "a4d",
        "judges": ["sim/j"],
        "judge_repeats": 2,
        "swap": True,
        "condition": "public",
        "side_balance": False,
        "seed": 9,
        "max_cost": None,
        "protocol": "debate",
        "concurrency": 4,
        "per_model_concurrency": None,
        "retries": 3,
        "backoff_s": 0.5,
        "request": {"players": ["a", "b"]},
    }
    spec = TournamentSpec.from_json(json.dumps(old))
    assert spec.options == DebateOptions(
        judges=("sim/j",), judge_repeats=2, format="a4d", seed=9, condition="public", swap=True
    )
    assert (spec.schedule, spec.rounds, spec.side_balance, spec.concurrency) == ("swiss", 2, False, 4)
    assert TournamentSpec.from_json(spec.to_json()) == spec
