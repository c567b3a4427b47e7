"""Issue 21, item 2 (first slice): a stored debate judged again by other judges sees exactly
its stored transcript, under its own protocol; the original and its ratings stay as they were."""

from __future__ import annotations

import asyncio

from arena.config import Config
from arena.debate.participants import judge_specs
from arena.debate.rejudge import rejudge
from arena.llm.gateway import Gateway
from arena.store.call_log import calls_of
from arena.store.queries import load_debate
from tests.test_call_log import played


def test_a_stored_debate_rejudged_keeps_its_transcript_and_leaves_the_original(store) -> None:
    original, _, _ = played(store, "sim/a?skill=0.8", "sim/b?skill=0.3", ("sim/j1",), seed=4, swap=True)
    before, ratings = load_debate(store, original.id), store.rating_states()
    gateway = Gateway()
    again = asyncio.run(
        rejudge(before, judge_specs(["sim/j2", "sim/j3"], Config()), gateway, debate_id="re1", collection="panel-b")
    )
    assert again.status == "finished" and again.verdict is not None
    assert again.speeches == before.speeches and again.bets == before.bets
    assert again.options.swap and again.options.judges == ("sim/j2", "sim/j3")
    assert sorted((b.judge, b.swapped) for b in again.ballots) == [
        ("sim/j2", False),
        ("sim/j2", True),
        ("sim/j3", False),
        ("sim/j3", True),
    ]
    rounds = sorted({s.round for s in before.speeches})
    assert sorted((r.judge, r.round) for r in again.round_scores) == [
        (j, n) for j in ("sim/j2", "sim/j3") for n in rounds
    ]
    ballot_prompts = [c.call.request.messages[-1].content for c in again.calls if c.call.request.purpose == "ballot"]
    assert len(ballot_prompts) == 4
    for prompt in ballot_prompts:  # every stored speech, as stored
        assert all(s.text in prompt for s in before.speeches)
    assert len(again.calls) == gateway.stats.calls + gateway.stats.failures
    assert again.usage.calls == gateway.stats.calls
    store.save_debate(again)  # its own collection: rated apart, logged with its calls
    assert load_debate(store, original.id) == before and store.rating_states() == ratings
    assert load_debate(store, "re1").collection == "panel-b"
    assert len(calls_of(store, debate_id="re1")) == len(again.calls)
