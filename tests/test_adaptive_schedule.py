"""The adaptive schedule: its math, that it beats random pairing, and that it runs like
the other schedules (concurrency, workers on SQLite and PostgreSQL, kill -9 and resume)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from arena.config import Config
from arena.debate.options import DebateOptions
from arena.llm.gateway import Gateway
from arena.ratings import bt_information as info
from arena.tournament import adaptive
from arena.tournament import adaptive_sim as sim
from arena.tournament import plan as pl
from arena.tournament.runner import Runner, RunOptions

REPO = Path(__file__).resolve().parent.parent
CONFIG = Config()


# --------------------------------------------------------------------------- the math


def test_one_more_debate_lowers_a_variance_as_sherman_morrison_says():
    theta = np.array([0.4, 0.0, -0.3, -0.9])
    hess = info.information(theta, [0, 1, 2, 0], [1, 2, 3, 3], [3, 2, 4, 1], ridge=1.0)
    cov = info.covariance(hess)
    contrasts = adaptive.adjacent_contrasts(theta, [0, 1, 2, 3])
    w = float(info.win_weight(theta[1], theta[3]))
    after = info.covariance(info.information(theta, [0, 1, 2, 0, 1], [1, 2, 3, 3, 3], [3, 2, 4, 1, 1], ridge=1.0))
    before_var = np.einsum("kp,pq,kq->k", contrasts, cov, contrasts)
    after_var = np.einsum("kp,pq,kq->k", contrasts, after, contrasts)
    assert np.allclose(before_var - after_var, info.variance_drop(cov, contrasts, 1, 3, w))
    assert info.difference_variance(after, 1, 3) < info.difference_variance(cov, 1, 3)
    # the scheduler's scores (all pairs at once) are these drops' shrinkage of the sds
    pairs, scores = adaptive.pair_scores(
        theta, [(0, 1)] * 3 + [(1, 2)] * 2 + [(2, 3)] * 4 + [(0, 3)], [0, 1, 2, 3], 1.0
    )
    sd = np.sqrt(before_var)
    for (i, j), score in zip(pairs, scores):
        drop = info.variance_drop(cov, contrasts, i, j, float(info.win_weight(theta[i], theta[j])))
        assert score == pytest.approx(float(np.sum(sd - np.sqrt(before_var - drop))), rel=1e-9)


def test_draws_are_probabilities_and_seeded():
    probs = adaptive.draw_probabilities(np.array([0.0, 1.0, 3.0, 0.5]))
    assert abs(probs.sum() - 1.0) < 1e-12 and (probs > 0).all() and probs.argmax() == 2
    assert np.allclose(adaptive.draw_probabilities(np.zeros(5)), 0.2)
    players = [f"p{i}" for i in range(6)]
    outcomes = [adaptive.Outcome("p0", "p1", "pro"), adaptive.Outcome("p2", "p3", "con")]
    first = adaptive.next_picks(players, outcomes, 4, seed=9, first_pick=3)
    assert first == adaptive.next_picks(players, outcomes, 4, seed=9, first_pick=3)  # a resume draws the same
    assert all(0 < p.probability <= 1 for p in first)


def test_picks_made_while_debates_run_spread_over_the_field():
    """No result yet: each pick counts the earlier ones as information to come, so eight
    picks at once do not pile onto one pair."""
    players = [f"p{i}" for i in range(6)]
    picks = adaptive.next_picks(players, [], 8, seed=1, first_pick=1)
    pairs = Counter(frozenset((p.a, p.b)) for p in picks)
    assert max(pairs.values()) <= 2
    assert len({p for pick in picks for p in (pick.a, pick.b)}) == 6


def test_adaptive_beats_random_pairing_on_a_fixed_seed():
    """Ten simulated debaters 80 Elo apart; after the same 120 debates the adaptive
    schedule's intervals on neighbours' differences are narrower than random pairing's."""
    skills = {f"p{i}": 1400.0 - 80.0 * i for i in range(10)}
    players = list(skills)
    adaptive_slots, adaptive_won = sim.play(skills, sim.adaptive_scheduler(players, 120, seed=4), 120, seed=4)
    random_slots, random_won = sim.play(skills, sim.random_pair_scheduler(players, seed=4), 120, seed=4)
    assert len(adaptive_slots) == len(random_slots) == 120
    adaptive_width = sim.adjacent_half_width(skills, adaptive_slots, adaptive_won)
    random_width = sim.adjacent_half_width(skills, random_slots, random_won)
    assert adaptive_width < 0.93 * random_width, (adaptive_width, random_width)
    # it spends its debates on neighbours: more pairs one or two places apart (17 of 45 pairs)
    rank = {p: n for n, p in enumerate(players)}

    def near(slots):
        return sum(abs(rank[s.pro] - rank[s.con]) <= 2 for s in slots)

    assert near(adaptive_slots) > 1.3 * near(random_slots)


# --------------------------------------------------------------------------- the runner


def plan(store, n=4, debates=10, concurrency=3, query="?latency=0.005", **options):
    spec = pl.build_spec(
        CONFIG,
        name="a",
        players=[f"sim/p{i}{query}" for i in range(n)],
        options=DebateOptions(judges=(f"sim/judge{query}",), seed=5),
        motion_ids=["remote-work-productivity", "nuclear-power-net-zero"],
        schedule="adaptive",
        debates=debates,
        concurrency=concurrency,
        **options,
    )
    pl.store_new(store, spec, CONFIG)
    return spec


def runner(store, spec, **options) -> Runner:
    opts = RunOptions.of(spec)
    for key, value in options.items():
        setattr(opts, key, value)
    return Runner(store, pl.load_spec(store, spec.name), CONFIG, opts, gateway=Gateway(backoff_base_s=0.0))


def check_exactly(store, total: int) -> list[pl.PlannedDebate]:
    from arena.store.rebuild import rebuild

    rows = pl.debates(store, "a")
    assert len(rows) == total
    assert len({r.id for r in rows}) == len({r.slot for r in rows}) == total
    assert {r.status for r in rows} == {"finished"}
    assert rebuild(store, write=False).consistent
    return rows


def _selection(store) -> list[float | None]:
    from sqlmodel import select

    from arena.store import tables as t

    with store.session() as session:
        return list(session.exec(select(t.Debate.selection_p).where(t.Debate.tournament == "a")).all())


def test_adaptive_plan_grows_to_exactly_its_debates_with_concurrency(store):
    spec = plan(store, debates=11, concurrency=3)
    assert len(pl.debates(store, "a")) == 4  # the first picks (whole pairings), stored before anything runs
    report = asyncio.run(runner(store, spec).run())
    assert report.status == "finished"
    rows = check_exactly(store, 11)
    by_pick = Counter(r.round for r in rows)
    assert sorted(by_pick) == list(range(1, len(by_pick) + 1))  # picks numbered without gaps
    assert sorted(by_pick.values())[1:] == [2] * (len(by_pick) - 1)  # both sides, the last maybe one
    probs = _selection(store)
    assert len(probs) == 11 and all(p is not None and 0 < p <= 1 for p in probs)
    # --weight-by-selection: each debate weighs 1/p, scaled to mean 1; otherwise all 1
    p_of = {r.id: p for r, p in zip(rows, _selection_by_id(store, rows))}
    weighted = store.match_log(tournament="a", weight_by_selection=True)
    assert abs(sum(m.weight for m in weighted) / len(weighted) - 1.0) < 1e-9
    ratio = {m.id: m.weight * p_of[m.id] for m in weighted}
    assert max(ratio.values()) - min(ratio.values()) < 1e-9
    assert all(m.weight == 1.0 for m in store.match_log(tournament="a"))


def _selection_by_id(store, rows) -> list[float]:
    from arena.store import tables as t

    with store.session() as session:
        return [session.get(t.Debate, r.id).selection_p for r in rows]


def test_a_weighted_match_counts_as_that_many_matches():
    from arena.ratings import bradley_terry as bt
    from arena.ratings.types import Match

    base = [Match("a", "b", "model_a", 1.0), Match("b", "c", "model_b", 2.0), Match("a", "c", "tie", 3.0)]
    weighted = [*base[:2], Match("a", "c", "model_b", 4.0, weight=3.0)]
    repeated = [*base[:2], *(Match("a", "c", "model_b", 4.0 + n) for n in range(3))]
    assert bt.fit(weighted).ratings == pytest.approx(bt.fit(repeated).ratings, abs=1e-6)
    assert bt.fit(base).ratings != pytest.approx(bt.fit(weighted).ratings, abs=1e-3)


def test_adaptive_workers_share_one_plan_without_a_debate_too_many(store):
    spec = plan(store, n=5, debates=16, concurrency=2)

    async def together():
        return await asyncio.gather(*(runner(store, spec, exclusive=False).run() for _ in range(3)))

    reports = asyncio.run(together())
    assert all(r.status == "finished" for r in reports)
    assert sum(r.played for r in reports) == 16 and sum(r.refused for r in reports) == 0
    check_exactly(store, 16)


def _count(db: str, status: str) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM debate WHERE tournament='k' AND status=?", (status,)).fetchone()[
                0
            ]
    except sqlite3.OperationalError:
        return 0


def test_kill_9_then_resume_completes_exactly_n_debates(db_path):
    env = {**os.environ, "PYTHONPATH": str(REPO), "ARENA_DB": db_path}
    sim_q = "?latency=0.05"
    base = [sys.executable, "-m", "arena", "tournament"]
    args = [
        *base,
        "run",
        "--name",
        "k",
        "--players",
        ",".join(f"sim/p{i}{sim_q}" for i in range(4)),
        "--judge",
        f"sim/judge{sim_q}",
        "--schedule",
        "adaptive",
        "--debates",
        "15",
        "--concurrency",
        "3",
        "--seed",
        "3",
        "--json",
    ]
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while (
        (_count(db_path, "finished") < 4 or _count(db_path, "running") == 0)
        and proc.poll() is None
        and time.time() < deadline
    ):
        time.sleep(0.02)
    assert proc.poll() is None, proc.stderr.read().decode()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stderr.close()
    finished_at_kill = _count(db_path, "finished")
    assert 4 <= finished_at_kill < 15
    resumed = subprocess.run([*base, "resume", "k", "--json"], env=env, capture_output=True, text=True, timeout=90)
    assert resumed.returncode == 0, resumed.stderr
    doc = json.loads(resumed.stdout)
    assert doc["status"] == "finished"
    assert doc["finished"] == doc["planned"] == 15
    assert doc["run"]["debates_done"] == 15 - finished_at_kill  # nothing played twice
    with sqlite3.connect(db_path) as conn:
        slots = [r[0] for r in conn.execute("SELECT slot FROM debate WHERE tournament='k'")]
    assert len(slots) == len(set(slots)) == 15


def test_debates_without_adaptive_is_a_usage_error(db_path):
    from arena.cli import cli as arena

    result = CliRunner().invoke(arena, ["tournament", "run", "--players", "sim/a,sim/b", "--debates", "6", "--dry-run"])
    assert result.exit_code == 2
    assert "--schedule adaptive" in result.output
