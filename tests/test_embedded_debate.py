"""A whole `quick` debate on the real embedded model: speeches, bets, judging, storage."""

from __future__ import annotations

import asyncio

import pytest

from arena.config import Config
from arena.debate.options import DebateOptions
from arena.llm.gateway import Gateway
from arena.play import DebateRequest, play, prepare


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # the real model once is enough
def test_quick_debate_on_the_embedded_model(store):
    gateway = Gateway(backoff_base_s=0.0)
    request = DebateRequest(
        pro="local/smollm2",
        con="sim/opponent",
        motion="ban-smartphones-in-schools",
        options=DebateOptions(judges=("local/smollm2",), format="quick", seed=1),
    )
    setup = prepare(request, Config(), gateway)
    record, changes = asyncio.run(play(setup, store, gateway))
    assert record.status == "finished", record.error
    local = [s for s in record.speeches if s.side == "pro"]
    assert all(s.text.strip() and s.model == "local/smollm2" and s.tokens_out > 0 for s in local)
    assert all(s.words <= 1.1 * {"opening": 90, "closing": 70}[s.stage] for s in local)
    # the grammar makes every bet and ballot parse
    assert all(b.amount is not None and 0 <= b.amount <= 100 for b in record.bets)
    assert record.ballots and not record.ballots[0].void
    assert all(1 <= r.pro <= 10 and 1 <= r.con <= 10 for r in record.round_scores)
    assert set(changes) == {"model:local/smollm2", "model:sim/opponent"}
