"""Scale-out: workers claiming debates under per-debate leases, on SQLite and PostgreSQL.

The drill of issue 13: plan once, three `arena tournament work` processes, SIGKILL one
mid-run; the others finish; finished + void == planned, no slot finished twice, and a
rebuild leaves every rating unchanged."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from arena.config import Config
from arena.debate.options import DebateOptions
from arena.llm.gateway import Gateway
from arena.store import debate_leases as leases
from arena.store import tournaments as tq
from arena.store.rebuild import rebuild
from arena.store.store import LeaseLost, Store
from arena.tournament import plan as pl
from arena.tournament.runner import Runner, RunOptions
from arena.tournament.status import document

REPO = Path(__file__).resolve().parent.parent
CONFIG = Config()


def plan(store, name="t", n=4, query="", motions=("remote-work-productivity",), **options):
    spec = pl.build_spec(
        CONFIG,
        name=name,
        players=[f"sim/p{i}{query}" for i in range(n)],
        options=DebateOptions(judges=(f"sim/judge{query}",), seed=5),
        motion_ids=list(motions),
        **options,
    )
    pl.store_new(store, spec, CONFIG)
    return spec


def runner(store, spec, gateway=None, **options) -> Runner:
    opts = RunOptions.of(spec)
    opts.exclusive = False
    for key, value in options.items():
        setattr(opts, key, value)
    return Runner(
        store,
        pl.load_spec(store, spec.name),
        CONFIG,
        opts,
        gateway=gateway or Gateway(max_retries=opts.retries, backoff_base_s=0.0),
    )


def rating_changes(store) -> Counter[str]:
    from sqlmodel import select

    from arena.store import tables as t

    with store.session() as session:
        return Counter(c.debate_id for c in session.exec(select(t.RatingChange)).all())


def check_complete(store, name: str) -> list[pl.PlannedDebate]:
    rows = pl.debates(store, name)
    assert len(rows) == pl.planned_total(pl.load_spec(store, name))
    assert len({r.slot for r in rows}) == len(rows)
    assert {r.status for r in rows} <= {"finished", "void"}
    assert all(r.lease_owner is None for r in rows)
    changes = rating_changes(store)
    for r in rows:  # a finished slot moved the ratings exactly once; a void one never
        assert changes.get(r.id, 0) == (2 if r.status == "finished" else 0), r
    seqs = sorted(d.rating_seq for d in tq.debates(store, name) if d.status == "finished")
    assert seqs == list(range(1, len(seqs) + 1))  # one commit sequence, no gaps, no repeats
    assert rebuild(store, write=False).consistent
    return rows


# --------------------------------------------------------------------------- leases


def test_a_claim_is_exclusive_and_an_expired_lease_is_taken_over(store, monkeypatch):
    # The leases' clock is moved by the test, not by waiting: a 0.3 s lease once expired
    # between two claims on a loaded machine. Real time may pass freely (up to 15 s here).
    real_now, ahead = leases.db_now, [0.0]
    monkeypatch.setattr(leases, "db_now", lambda conn: real_now(conn) + ahead[0])
    plan(store, n=2)  # two debates
    first = leases.claim_next(store, "t", "elsewhere:1:a", lease_s=30)
    second = leases.claim_next(store, "t", "elsewhere:2:b", lease_s=30)
    assert first and second and first.id != second.id and not first.reclaimed
    assert leases.claim_next(store, "t", "here:3:c", lease_s=5) is None  # both held
    assert leases.renew(store, "elsewhere:2:b", lease_s=60) == {second.id}
    ahead[0] = 45.0  # past the first lease, inside the renewed one
    taken = leases.claim_next(store, "t", "here:3:c", lease_s=5)
    assert taken is not None and taken.id == first.id and taken.reclaimed  # expired: taken over
    assert leases.claim_next(store, "t", "here:3:c", lease_s=5) is None  # the renewed one is not
    assert leases.renew(store, "elsewhere:1:a", lease_s=60) == set()  # the old holder has lost it

    # The old holder's result is refused; the new holder's is stored.
    from arena.play import DebateRequest, play, prepare

    gateway = Gateway(backoff_base_s=0.0)
    spec = pl.load_spec(store, "t")
    player = spec.player_of
    request = DebateRequest(
        pro=player[taken.pro_id],
        con=player[taken.con_id],
        motion=taken.motion_id,
        options=DebateOptions(judges=tuple(spec.judges), seed=taken.seed),
        debate_id=taken.id,
        tournament="t",
        slot=taken.slot,
    )

    async def save_as(owner):
        async def save(record, infos):
            return store.save_debate(record, infos, lease_owner=owner)

        return await play(prepare(request, CONFIG, gateway), store, gateway, save=save)

    with pytest.raises(LeaseLost):
        asyncio.run(save_as("elsewhere:1:a"))
    assert tq.debate_status(store, taken.id) == "running"
    record, _ = asyncio.run(save_as("here:3:c"))
    assert tq.debate_status(store, taken.id) == record.status == "finished"
    assert leases.mark_void(store, second.id, "boom", owner="here:3:c") is False  # not its lease
    assert leases.mark_void(store, second.id, "boom", owner="elsewhere:2:b") is True


def test_a_dead_local_worker_gives_its_debates_back_at_once(store):
    plan(store, n=2)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    owner = f"{socket.gethostname()}:{dead.pid}:x"
    claim = leases.claim_next(store, "t", owner, lease_s=600)
    from arena.tournament import lease

    assert leases.release_dead(store, "t", lease.owner_dead) == 1
    assert tq.debate_status(store, claim.id) == "scheduled"
    alive = leases.claim_next(store, "t", f"{socket.gethostname()}:{os.getpid()}:y", lease_s=600)
    assert leases.release_dead(store, "t", lease.owner_dead) == 0  # a live process keeps its claim
    assert tq.debate_status(store, alive.id) == "running"


# --------------------------------------------------------------------------- workers together


def test_workers_and_resume_share_one_plan(store):
    spec = plan(store, n=4, query="?latency=0.01", motions=("remote-work-productivity", "nuclear-power-net-zero"))

    async def together():
        a = runner(store, spec, concurrency=3)
        b = runner(store, spec, concurrency=2)
        resume = runner(store, spec, concurrency=2, exclusive=True)
        return await asyncio.gather(a.run(), b.run(), resume.run())

    reports = asyncio.run(together())
    assert [r.status for r in reports] == ["finished"] * 3
    assert sum(r.played for r in reports) == 24 and all(r.played > 0 for r in reports)
    assert sum(r.refused for r in reports) == 0
    check_complete(store, "t")
    assert document(store, "t")["status"] == "finished"
    assert document(store, "t")["workers"] == []  # all gone, cleanly


def test_swiss_rounds_are_paired_once_with_several_workers(store):
    spec = plan(store, n=5, query="?latency=0.005", schedule="swiss", rounds=3)

    async def together():
        return await asyncio.gather(*(runner(store, spec, concurrency=2).run() for _ in range(3)))

    reports = asyncio.run(together())
    assert all(r.status == "finished" for r in reports)
    rows = check_complete(store, "t")
    assert Counter(r.round for r in rows) == {1: 4, 2: 4, 3: 4}


class PricedGateway:
    """The simulator at $0.001 a call (11 calls, $0.011, a debate)."""

    def __init__(self) -> None:
        self.inner = Gateway(backoff_base_s=0.0)

    async def complete(self, req, on_token=None):  # type: ignore[no-untyped-def]
        completion = await self.inner.complete(req, on_token)
        completion.usage.cost = 0.001
        return completion


def test_max_cost_holds_for_the_whole_tournament_across_workers(store):
    spec = plan(store, n=4, max_cost=0.05)  # 12 debates, $0.132 if all were played

    async def together():
        return await asyncio.gather(
            *(runner(store, spec, gateway=PricedGateway(), concurrency=1).run() for _ in range(2))
        )

    reports = asyncio.run(together())
    assert all(r.status == "stopped" and "--max-cost" in r.stop_reason for r in reports)
    finished = sum(r.status == "finished" for r in pl.debates(store, "t"))
    # each worker starts a debate only while the tournament's spending is under $0.05:
    # 5 debates reach it, and at most one more per worker was already under way
    assert 5 <= finished <= 6, finished
    assert tq.spent(store, "t") == pytest.approx(finished * 0.011)


# --------------------------------------------------------------------------- the drill, with real processes


def test_drill_three_workers_one_killed(db_url):
    env = {**os.environ, "PYTHONPATH": str(REPO), "ARENA_DB": db_url}
    sim = "?latency=0.03"
    arena = [sys.executable, "-m", "arena", "tournament"]
    planned = subprocess.run(
        [
            *arena,
            "run",
            "--name",
            "drill",
            "--players",
            ",".join(f"sim/p{i}{sim}" for i in range(5)),
            "--judge",
            f"sim/judge{sim}",
            "--motions",
            "remote-work-productivity,nuclear-power-net-zero",
            "--seed",
            "3",
            "--plan-only",
            "--json",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert planned.returncode == 0, planned.stderr
    doc = json.loads(planned.stdout)
    assert doc["planned"] == 40 and doc["scheduled"] == 40 and doc["finished"] == 0  # nothing ran

    workers = [
        subprocess.Popen(
            [*arena, "work", "drill", "--concurrency", "2", "--json"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    victim = workers[0]
    store = Store(db_url)
    mine = f"{socket.gethostname()}:{victim.pid}:"
    deadline = time.time() + 90
    while time.time() < deadline and victim.poll() is None:
        rows = pl.debates(store, "drill")
        if sum(r.status == "finished" for r in rows) >= 6 and any(
            r.status == "running" and (r.lease_owner or "").startswith(mine) for r in rows
        ):
            break
        time.sleep(0.02)
    assert victim.poll() is None, victim.communicate()[1]
    os.kill(victim.pid, signal.SIGKILL)  # cut off with debates in hand
    victim.wait()
    held_at_kill = [r.id for r in pl.debates(store, "drill") if (r.lease_owner or "").startswith(mine)]
    assert held_at_kill

    for worker in workers[1:]:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        assert json.loads(out)["run"]["status"] == "finished"

    before = {pid: (s.elo, s.ts_mu, s.ts_sigma) for pid, s in store.rating_states().items()}
    shown = subprocess.run([*arena, "show", "drill", "--json"], env=env, capture_output=True, text=True, timeout=60)
    doc = json.loads(shown.stdout)
    assert doc["finished"] + doc["void"] == doc["planned"] == 40
    assert doc["running"] == doc["scheduled"] == 0 and doc["status"] == "finished"
    rows = check_complete(store, "drill")
    assert all(r.status in ("finished", "void") for r in rows if r.id in held_at_kill)  # taken over
    rebuilt = subprocess.run(
        [sys.executable, "-m", "arena", "ratings", "rebuild", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert rebuilt.returncode == 0 and json.loads(rebuilt.stdout)["consistent"], rebuilt.stdout + rebuilt.stderr
    after = {pid: (s.elo, s.ts_mu, s.ts_sigma) for pid, s in Store(db_url).rating_states().items()}
    assert after == before  # every rating unchanged by the rebuild
    store.engine.dispose()


# --------------------------------------------------------------------------- the command line


def test_plan_only_and_work_on_the_command_line(db_url):
    from arena.cli import cli as arena

    def cli(*args):
        return CliRunner().invoke(arena, list(args), catch_exceptions=False)

    args = [
        "tournament",
        "run",
        "--name",
        "cup",
        "--players",
        "sim/a,sim/b,sim/c",
        "--judge",
        "sim/j",
        "--motions",
        "remote-work-productivity",
        "--seed",
        "1",
        "--plan-only",
    ]
    result = cli(*args)
    assert result.exit_code == 0, result.output
    assert "arena tournament work cup" in result.output
    assert cli(*args).exit_code == 0  # planned again with the same options: nothing changes
    assert json.loads(cli("tournament", "show", "cup", "--json").stdout)["scheduled"] == 6
    worked = cli("tournament", "work", "cup", "--concurrency", "2", "--json")
    assert worked.exit_code == 0, worked.output
    doc = json.loads(worked.stdout)
    assert doc["finished"] == 6 and doc["run"]["debates_played"] == 6
    again = cli("tournament", "work", "cup", "--json")  # nothing left: returns at once
    assert again.exit_code == 0 and json.loads(again.stdout)["run"]["debates_played"] == 0
    assert cli("tournament", "work", "nope").exit_code == 2


# --------------------------------------------------------------------------- PostgreSQL everywhere


@pytest.fixture
def seeded_pg(pg_url) -> str:
    from test_tui_support import seed_store

    seed_store(pg_url).engine.dispose()
    return pg_url


async def test_the_terminal_app_on_postgresql(seeded_pg):
    from test_tui_support import SIZE, expect_screen, make_app, wait_for

    pg_url = seeded_pg
    app = make_app(pg_url)
    async with app.run_test(size=SIZE) as pilot:
        await expect_screen(pilot, "3 participants")
        for key, screen in (
            ("h", "HistoryScreen"),
            ("t", "TournamentsScreen"),
            ("l", "LeaderboardScreen"),
            ("c", "ConfidenceScreen"),
        ):
            await pilot.press(key)
            await wait_for(pilot, lambda screen=screen: type(app.screen).__name__ == screen)
            await pilot.press("escape")
            await wait_for(pilot, lambda: type(app.screen).__name__ == "HomeScreen")
        await pilot.press("q")
    assert app.return_code == 0


def test_a_missing_driver_is_one_clear_line(tmp_path):
    script = (
        "import sys; sys.modules['psycopg'] = None; sys.argv = ['arena', '--db', "
        "'postgresql://arena@localhost/arena', 'leaderboard']; from arena.cli import main; main()"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        cwd=tmp_path,
    )
    assert result.returncode == 2  # a --db this install cannot open: a usage error
    assert "Traceback" not in result.stderr
    assert "pip install 'debate-arena[postgres]'" in result.stderr and "psycopg" in result.stderr


# --------------------------------------------------------------------------- renewal and a lost lease


def test_leases_are_renewed_while_debates_outlast_them(store):
    """Debates of ~4 s under 2 s leases: renewed every third of it, no other worker
    takes one over, nothing is refused."""
    spec = plan(store, n=3, query="?latency=0.4")

    async def together():
        return await asyncio.gather(*(runner(store, spec, concurrency=3, lease_s=2.0).run() for _ in range(2)))

    reports = asyncio.run(together())
    assert all(r.status == "finished" for r in reports)
    assert sum(r.refused for r in reports) == 0 and sum(r.played for r in reports) == 6
    check_complete(store, "t")


def test_a_debate_whose_lease_was_taken_is_stopped_and_not_stored(store):
    from sqlalchemy import update

    from arena.store import tables as t

    spec = plan(store, n=2, query="?latency=0.3")
    # a lease long enough that a loaded machine's late renewal never loses one by itself
    worker = runner(store, spec, concurrency=1, lease_s=3.0)

    async def steal_one():
        task = asyncio.ensure_future(worker.run())
        while not any(r.lease_owner == worker.owner for r in pl.debates(store, "t")):
            await asyncio.sleep(0.02)
        with store.engine.begin() as conn:  # another worker took it over (as after an expiry)
            conn.execute(
                update(t.Debate).where(t.Debate.lease_owner == worker.owner).values(lease_owner="elsewhere:9:z")
            )
        return await task

    report = asyncio.run(steal_one())
    # The worker stopped the stolen debate at its next renewal; the thief never came back,
    # so once its lease expired the worker took the debate over again and finished it.
    assert report.refused == 1 and report.status == "finished"
    check_complete(store, "t")
