"""Headless tournaments on the simulator: plan, run, faults, budget, Ctrl-C, kill -9, resume."""

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

import pytest
from click.testing import CliRunner
from sqlmodel import select

from arena.config import Config
from arena.debate.options import DebateOptions
from arena.errors import ArenaError
from arena.llm.gateway import Gateway
from arena.store import tables as t
from arena.store.rebuild import rebuild
from arena.tournament import lease
from arena.tournament import plan as pl
from arena.tournament.estimate import DebaterCalls, estimate
from arena.tournament.progress import RunState
from arena.tournament.runner import MeteredGateway, Runner, RunOptions
from arena.tournament.status import document, list_tournaments

REPO = Path(__file__).resolve().parent.parent
CONFIG = Config()


def players(n: int, query: str = "") -> list[str]:
    return [f"sim/p{i}{query}" for i in range(n)]


def new_tournament(store, name="t", n=4, query="", judge="sim/judge", **options):
    options.setdefault("motion_ids", ["remote-work-productivity"])
    spec = pl.build_spec(
        CONFIG, name=name, players=players(n, query), options=DebateOptions(judges=(judge,), seed=5), **options
    )
    pl.store_new(store, spec, CONFIG)
    return spec


def run(store, spec, gateway=None, **options):
    opts = RunOptions.of(spec)
    for key, value in options.items():
        setattr(opts, key, value)
    runner = Runner(
        store,
        pl.load_spec(store, spec.name),
        CONFIG,
        opts,
        gateway=gateway or Gateway(max_retries=opts.retries, backoff_base_s=0.0),
    )
    return asyncio.run(runner.run())


def audit(store, name: str, *, complete: bool = True) -> dict[str, str]:
    """The checks of the issue: one row per planned slot, each ended at most once,
    ratings moved only by finished debates, and equal to a rebuild from the log."""
    rows = pl.debates(store, name)
    assert len({r.slot for r in rows}) == len(rows)
    assert len({r.id for r in rows}) == len(rows)
    spec = pl.load_spec(store, name)
    assert all(r.id == pl.debate_id(name, r.slot) for r in rows)
    if complete:
        assert len(rows) == pl.planned_total(spec)
        assert {r.status for r in rows} <= {"finished", "void"}
    with store.session() as session:
        changes = Counter(c.debate_id for c in session.exec(select(t.RatingChange)).all())
        states = session.exec(select(t.RatingState)).all()
    for r in rows:
        assert changes.get(r.id, 0) == (2 if r.status == "finished" else 0), r
    assert sum(s.debates for s in states) == 2 * sum(r.status == "finished" for r in rows)
    assert rebuild(store, write=False).consistent
    return {r.slot: r.status for r in rows}


# --------------------------------------------------------------------------- plan


def test_plan_is_stored_before_anything_runs(store):
    spec = new_tournament(store, motion_ids=["remote-work-productivity", "nuclear-power-net-zero"])
    rows = pl.debates(store, "t")
    assert len(rows) == 4 * 3 * 2 == pl.planned_total(spec)
    assert {r.status for r in rows} == {"scheduled"}
    assert rows[0].slot.startswith("r1:sim/p")
    # deterministic ids and seeds: a restarted slot is the same debate
    assert all(r.id == pl.debate_id("t", r.slot) and r.seed == pl.slot_seed(5, r.slot) for r in rows)
    doc = document(store, "t")
    assert {"name", "status", "planned", "finished", "void", "running", "debates"} <= set(doc)
    assert doc["status"] == "planned" and doc["planned"] == 24
    assert set(doc["debates"][0]) >= {"id", "slot", "pro", "con", "motion", "status"}
    assert doc["debates"][0]["pro"].startswith("model:sim/p")
    with pytest.raises(Exception, match="already exists"):
        new_tournament(store)


def test_round_robin_runs_to_the_end(store):
    spec = new_tournament(store)
    report = run(store, spec)
    assert report.status == "finished"
    statuses = audit(store, "t")
    assert set(statuses.values()) == {"finished"}
    assert report.state.calls == 12 * 11  # quick: 4 speeches, 4 bets, 2 round scores, 1 ballot
    assert document(store, "t")["status"] == "finished"
    assert list_tournaments(store)[0].finished == 12
    assert store.match_log(tournament="t")  # the tournament's leaderboard has its matches
    assert lease.current(store, "t") is None


def test_swiss_plans_round_by_round_without_repeats(store):
    spec = new_tournament(
        store, n=5, schedule="swiss", rounds=3, motion_ids=["remote-work-productivity", "nuclear-power-net-zero"]
    )
    assert {r.round for r in pl.debates(store, "t")} == {1}  # later rounds wait for results
    report = run(store, spec)
    assert report.status == "finished"
    audit(store, "t")
    rows = pl.debates(store, "t")
    assert Counter(r.round for r in rows) == {1: 4, 2: 4, 3: 4}
    pairs = Counter(frozenset((r.pro_id, r.con_id)) for r in rows)
    assert set(pairs.values()) == {2}  # both sides, never the same pair twice
    assert {r.motion_id for r in rows if r.round == 2} == {"nuclear-power-net-zero"}


# --------------------------------------------------------------------------- faults and budget


def test_faults_end_finished_or_void_and_void_changes_no_rating(store):
    spec = new_tournament(store, query="?faults=0.4", judge="sim/judge?faults=0.4", retries=1, backoff_s=0.0)
    report = run(store, spec)
    statuses = audit(store, "t")
    counts = Counter(statuses.values())
    assert counts["finished"] >= 1 and counts["void"] >= 1, counts
    assert report.state.retries > 0 and report.state.failures > 0
    voided = {v.id: v.error for v in report.voided}
    assert len(voided) == counts["void"]
    assert all(("rate_limit" in e or "timeout" in e or "unavailable" in e or "judge" in e) for e in voided.values())
    doc = document(store, "t")
    assert all(d["error"] for d in doc["debates"] if d["status"] == "void")
    # a void slot stays void on resume unless asked to play it again
    assert run(store, spec).state.calls == 0
    retried = run(store, spec, retry_void=True, retries=5)
    assert retried.state.done_now == 0  # done counts did not grow: void slots were replayed, not added
    audit(store, "t")
    assert Counter(audit(store, "t").values())["finished"] > counts["finished"]


class PricedGateway:
    """The simulator with a price: $0.001 a call."""

    def __init__(self) -> None:
        self.inner = Gateway(backoff_base_s=0.0)
        self.calls = 0

    async def complete(self, req, on_token=None):  # type: ignore[no-untyped-def]
        completion = await self.inner.complete(req, on_token)
        completion.usage.cost = 0.001
        self.calls += 1
        return completion


def test_max_cost_stops_scheduling_and_resume_counts_earlier_spending(store):
    spec = new_tournament(store, max_cost=0.03, concurrency=1)
    gateway = PricedGateway()
    report = run(store, spec, gateway=gateway)
    assert report.status == "stopped" and "--max-cost" in report.stop_reason
    statuses = audit(store, "t", complete=False)
    assert Counter(statuses.values()) == {"finished": 3, "scheduled": 9}  # 11 calls = $0.011 a debate
    assert gateway.calls == 33
    assert document(store, "t")["cost"] == pytest.approx(0.033)
    # $0.033 already spent counts against a new limit of $0.05: two more debates
    report = run(store, spec, gateway=PricedGateway(), max_cost=0.05)
    assert report.status == "stopped"
    assert Counter(audit(store, "t", complete=False).values())["finished"] == 5
    report = run(store, spec, gateway=PricedGateway(), max_cost=None)
    assert report.status == "finished"
    audit(store, "t")


# --------------------------------------------------------------------------- concurrency


class Probe:
    def __init__(self) -> None:
        self.inner = Gateway(backoff_base_s=0.0)
        self.in_flight: Counter[str] = Counter()
        self.peak: Counter[str] = Counter()

    async def complete(self, req, on_token=None):  # type: ignore[no-untyped-def]
        self.in_flight[req.model] += 1
        self.peak[req.model] = max(self.peak[req.model], self.in_flight[req.model])
        try:
            return await self.inner.complete(req, on_token)
        finally:
            self.in_flight[req.model] -= 1


def test_per_model_limit_holds_for_judges_too():
    async def go():
        probe = Probe()
        gateway = MeteredGateway(probe, RunState("x"), per_model=2)
        from arena.llm.types import LLMRequest, Message

        requests = [
            LLMRequest(model=m, messages=[Message("user", f"hi {i}")], purpose="other")
            for i in range(12)
            for m in ("sim/judge?latency=0.02", "sim/a?latency=0.02")
        ]
        await asyncio.gather(*(gateway.complete(r) for r in requests))
        return probe.peak, gateway.state.calls

    peak, calls = asyncio.run(go())
    assert calls == 24
    assert set(peak.values()) == {2}


def test_global_limit_and_many_debates_at_once(store):
    spec = new_tournament(
        store, n=5, query="?latency=0.01", judge="sim/judge?latency=0.01", concurrency=6, per_model_concurrency=3
    )
    seen = []

    class Recorder:
        interval = 0.0

        def start(self, state):
            pass

        def refresh(self, state):
            seen.append(state.running)

        def note(self, message):
            pass

        def stop(self, state):
            pass

    runner = Runner(store, spec, CONFIG, RunOptions.of(spec), gateway=Gateway(backoff_base_s=0.0), display=Recorder())
    report = asyncio.run(runner.run())
    assert report.status == "finished"
    audit(store, "t")
    assert max(seen) <= 6 and max(seen) >= 2
    # Debates overlapped, by their stored times (not by the wall clock, which a loaded
    # machine stretches: an `elapsed < 2 s` check here was a flake; speed is measured by
    # benchmarks/tournament_bench.py)
    from arena.store import tournaments as tq

    spans = sorted((d.started_at, d.finished_at) for d in tq.debates(store, "t"))
    assert any(later[0] < earlier[1] for earlier, later in zip(spans, spans[1:]))


# --------------------------------------------------------------------------- interruption and resume


def test_cancel_abandons_running_debates_cleanly_and_resume_completes(store):
    spec = new_tournament(store, query="?latency=0.04", judge="sim/judge?latency=0.04", concurrency=4)
    runner = Runner(store, spec, CONFIG, RunOptions.of(spec), gateway=Gateway(backoff_base_s=0.0))

    async def interrupt():
        task = asyncio.ensure_future(runner.run())
        while runner.state.finished < 3 or not any(r.status == "running" for r in pl.debates(store, "t")):
            assert not task.done(), "the tournament ended before it could be interrupted"
            await asyncio.sleep(0.01)
        task.cancel()  # some debates are half-way, and shown as running
        return await task

    report = asyncio.run(interrupt())
    assert report.status == "interrupted"
    statuses = audit(store, "t", complete=False)
    assert "running" not in statuses.values()  # abandoned debates went back to scheduled
    finished_before = {s for s, v in statuses.items() if v == "finished"}
    assert 3 <= len(finished_before) < 12
    with store.session() as session:
        assert session.get(t.Tournament, "t").status == "interrupted"
    report = run(store, spec)
    assert report.status == "finished"
    assert report.state.done_now == 12 - len(finished_before)
    statuses = audit(store, "t")
    assert finished_before <= {s for s, v in statuses.items() if v == "finished"}


def test_a_live_runner_holds_the_tournament(store):
    spec = new_tournament(store)
    with store.session() as session:  # a live process on this host, heartbeat fresh
        session.add(
            t.TournamentRun(
                name="t",
                pid=os.getppid(),
                host=__import__("socket").gethostname(),
                started_at=time.time(),
                heartbeat_at=time.time(),
            )
        )
        session.commit()
    with pytest.raises(ArenaError, match="already running"):
        run(store, spec)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    with store.session() as session:
        session.get(t.TournamentRun, "t").pid = dead.pid
        session.commit()
    assert run(store, spec).status == "finished"  # a dead holder is taken over at once


def _count(db: str, status: str) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM debate WHERE tournament='k' AND status=?", (status,)).fetchone()[
                0
            ]
    except sqlite3.OperationalError:  # not created yet
        return 0


def test_kill_9_mid_tournament_then_resume(db_path):
    """A real process, killed with SIGKILL half-way; resume plays exactly what is left."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "ARENA_DB": db_path}
    sim = "?latency=0.05&faults=0.1"
    base = [sys.executable, "-m", "arena", "tournament"]
    run_args = [
        *base,
        "run",
        "--name",
        "k",
        "--players",
        ",".join(players(4, sim)),
        "--judge",
        f"sim/judge{sim}",
        "--motions",
        "remote-work-productivity,nuclear-power-net-zero",
        "--concurrency",
        "4",
        "--backoff",
        "0.01",
        "--seed",
        "3",
        "--json",
    ]
    proc = subprocess.Popen(run_args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    # kill it with debates shown as running, i.e. cut off half-way
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
    assert 4 <= finished_at_kill < 24

    from arena.store.store import Store

    assert document(Store(db_path), "k")["status"] == "interrupted"  # its runner is gone

    resumed = subprocess.run([*base, "resume", "k", "--json"], env=env, capture_output=True, text=True, timeout=60)
    assert resumed.returncode == 0, resumed.stderr
    doc = json.loads(resumed.stdout)
    assert doc["status"] == "finished" and doc["running"] == 0
    assert doc["finished"] + doc["void"] == doc["planned"] == 24
    void_before = doc["void"] - len(doc["run"]["voided"])  # stored void before the kill: not replayed
    assert doc["run"]["debates_done"] == 24 - finished_at_kill - void_before
    statuses = audit(Store(db_path), "k")
    assert set(statuses) == {d["slot"] for d in doc["debates"]}


# --------------------------------------------------------------------------- the command line


def cli(*args: str):
    from arena.cli import cli as arena

    return CliRunner().invoke(arena, list(args), catch_exceptions=False)


def test_dry_run_calls_no_model_and_stores_nothing(db_path, monkeypatch):
    async def no_calls(self, req, on_token=None):  # type: ignore[no-untyped-def]
        raise AssertionError("a dry run called a model")

    monkeypatch.setattr(Gateway, "complete", no_calls)
    result = cli(
        "tournament",
        "run",
        "--players",
        "sim/a,sim/b,sim/c",
        "--judge",
        "sim/j",
        "--judge",
        "sim/k",
        "--motions",
        "remote-work-productivity",
        "--dry-run",
        "--json",
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["plan"]["planned"] == doc["estimate"]["debates"] == 6
    # per debate: 4 speeches + 4 bets, and per judge 2 round scores + 1 ballot
    assert doc["estimate"]["calls"] == 6 * (8 + 2 * 3)
    models = {m["model"]: m for m in doc["estimate"]["models"]}
    assert models["sim/a"]["calls"] == 4 * 4 and models["sim/j"]["calls"] == 6 * 3
    assert all(m["tokens_in"] > 0 and m["cost"] == 0.0 for m in models.values())
    assert not Path(db_path).exists()
    text = cli("tournament", "run", "--players", "sim/a,sim/b", "--judge", "sim/j", "--dry-run")
    assert "model calls" in text.output and "estimated cost" in text.output


def test_unknown_prices_are_stated_not_guessed():
    from arena.debate.formats import load_format
    from arena.debate.records import MotionRef

    motion = MotionRef("m", "This house would test.", "policy")
    est = estimate(
        [("a", "b", motion)],
        load_format("quick"),
        {"a": DebaterCalls(("x/known",), "x/known"), "b": DebaterCalls(("x/mystery",), "x/mystery")},
        [("x/known", 1)],
        False,
        lambda m: (1e-6, 2e-6) if m == "x/known" else None,
    )
    assert est.unknown_prices == ["x/mystery"]
    assert est.models["x/known"].cost > 0 and est.models["x/mystery"].cost is None
    assert est.as_dict()["cost"] is None


def test_cli_run_show_list_and_rerun(db_path):
    args = [
        "tournament",
        "run",
        "--name",
        "cup",
        "--players",
        "sim/a?skill=0.9,sim/b?skill=0.1,sim/c",
        "--judge",
        "sim/j",
        "--motions",
        "remote-work-productivity",
        "--seed",
        "1",
        "--backoff",
        "0",
    ]
    result = cli(*args, "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["status"] == "finished" and doc["finished"] == 6
    assert doc["leaderboard"][0]["participant"] == "model:sim/a?skill=0.9"
    assert cli(*args).exit_code == 0  # the same command again: already finished, nothing replayed
    assert json.loads(cli("tournament", "show", "cup", "--json").stdout)["finished"] == 6
    listed = json.loads(cli("tournament", "list", "--json").stdout)
    assert [(r["name"], r["status"], r["planned"]) for r in listed] == [("cup", "finished", 6)]
    other = cli("tournament", "run", "--name", "cup", "--players", "sim/a,sim/b", "--judge", "sim/j")
    assert other.exit_code == 2 and "already exists" in other.output
    assert cli("tournament", "resume", "nope").exit_code == 2
    assert cli("tournament", "run", "--players", "sim/a", "--dry-run").exit_code == 2
    human = cli("tournament", "run", "--players", "sim/a,human:ada", "--dry-run")
    assert human.exit_code == 2 and "headless" in human.output


def said(result) -> str:
    """stderr as one line: the console wraps at its width."""
    return " ".join(result.stderr.split())


def test_a_player_whose_every_debate_is_void_fails_the_run_and_a_corrected_run_replaces_the_plan(db_path):
    """A player that never debates (here a simulator that always fails; in life a
    mistyped model) makes `tournament run` exit 1 with what to change; the same command
    with the player corrected replaces a plan of which nothing finished."""
    base = ("tournament", "run", "--name", "typo", "--judge", "sim/j", "--sample", "1", "--retries", "0")
    failed = cli(*base, "--players", "sim/c?faults=1,sim/b")
    assert failed.exit_code == 1
    assert "every debate of tournament typo is void (2)" in said(failed)
    assert "every debate of sim/b" not in said(failed)  # the healthy opponent is not blamed
    assert "with the corrected --players: a plan of which no debate finished is replaced" in said(failed)
    fixed = cli(*base, "--players", "sim/c,sim/b")
    assert fixed.exit_code == 0, fixed.output
    assert "its plan is replaced" in said(fixed)
    assert [d["status"] for d in json.loads(cli("tournament", "show", "typo", "--json").stdout)["debates"]] == [
        "finished",
        "finished",
    ]


def test_a_plan_with_results_is_never_replaced_and_the_hint_says_to_use_a_new_name(db_path):
    base = ("tournament", "run", "--name", "cup", "--judge", "sim/j", "--sample", "1", "--retries", "0")
    failed = cli(*base, "--players", "sim/a,sim/b,sim/c?faults=1")
    assert failed.exit_code == 1
    assert "every debate of sim/c is void" in said(failed) and "under a new --name" in said(failed)
    again = cli(*base, "--players", "sim/a,sim/b,sim/c")
    assert again.exit_code == 2 and "has results" in said(again)
    assert json.loads(cli("tournament", "show", "cup", "--json").stdout)["finished"] == 2
