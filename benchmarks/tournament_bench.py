"""Tournament benchmarks on the simulator. Prints figures; not a timed test.

    PYTHONPATH=. python benchmarks/tournament_bench.py [--only overhead|concurrency|faults] [--json]

1. overhead: 1,000 `quick` debates against an instant model. Reports debates/s and
   milliseconds per model call: all of the wall time divided by the calls (an upper
   bound: it includes the simulator writing its text), and that minus the time measured
   inside the simulator (approximate: saves run in a writer thread, so the simulator's
   stopwatch also counts some waiting for the GIL). Goal: under 2 ms per call.
2. concurrency: every call sleeps 200 ms, 64 debates at once. Reports wall time ÷ the
   ideal bound, max(total calls × latency ÷ 64, the critical path of one debate).
   Goal: ≤ 1.2. (Judges score rounds in the background, so a debate has more than one
   call in flight at times and the ratio can dip below 1.)
3. faults: 20 % of calls fail with a transient error (rate limit, timeout, unavailable)
   or, for judges and bets, a malformed answer. Reports finished, void and retried.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

from arena.config import Config  # noqa: E402
from arena.debate.formats import load_format  # noqa: E402
from arena.debate.options import DebateOptions  # noqa: E402
from arena.llm.gateway import Gateway  # noqa: E402
from arena.llm.simulator import Simulator  # noqa: E402
from arena.store.rebuild import rebuild  # noqa: E402
from arena.store.store import Store  # noqa: E402
from arena.tournament import plan as pl  # noqa: E402
from arena.tournament.runner import Runner, RunOptions  # noqa: E402


class TimedSimulator(Simulator):
    """The simulator, with a stopwatch: its own work is the model's time, not the arena's."""

    def __init__(self) -> None:
        super().__init__()
        self.busy_s = 0.0

    async def complete(self, req, on_token=None):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return await super().complete(req, on_token)
        finally:
            self.busy_s += time.perf_counter() - started


def tournament(
    store: Store,
    name: str,
    players: int,
    rounds: int,
    model_query: str,
    judge_query: str,
    concurrency: int,
    retries: int = 3,
    backoff: float = 0.01,
) -> tuple[Runner, TimedSimulator]:
    config = Config()
    names = [
        f"sim/p{i:02d}{model_query.replace('{skill}', f'{0.2 + 0.6 * i / max(1, players - 1):.2f}')}"
        for i in range(players)
    ]
    spec = pl.build_spec(
        config,
        name=name,
        players=names,
        sample=min(rounds, 20),
        schedule="random",
        rounds=rounds,
        options=DebateOptions(format="quick", judges=(f"sim/judge{judge_query}",), seed=2026),
        concurrency=concurrency,
        retries=retries,
        backoff_s=backoff,
    )
    pl.store_new(store, spec, config)
    sim = TimedSimulator()
    gateway = Gateway(max_retries=retries, backoff_base_s=backoff, sim=sim)
    return Runner(store, spec, config, RunOptions.of(spec), gateway=gateway), sim


def bench_overhead(workdir: str, debates: int = 1000) -> dict:
    store = Store(os.path.join(workdir, "overhead.db"))
    players = 10  # a random round: 5 pairings, each on both sides = 10 debates
    runner, sim = tournament(store, "overhead", players, debates // players, "?skill={skill}", "", concurrency=16)
    started, cpu_started = time.perf_counter(), time.process_time()
    report = asyncio.run(runner.run())
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    calls = report.state.calls
    return {
        "debates": report.state.done_now,
        "finished": report.state.finished,
        "calls": calls,
        "wall_s": round(wall, 3),
        "cpu_s": round(cpu, 3),
        "debates_per_s": round(report.state.done_now / wall, 1),
        "ms_per_call_total": round(1000 * wall / calls, 3),
        "simulator_ms_per_call": round(1000 * sim.busy_s / calls, 3),
        "arena_ms_per_call": round(1000 * (wall - sim.busy_s) / calls, 3),
        # CPU time: what the arena costs on a machine that other work is not slowing down
        "arena_cpu_ms_per_call": round(1000 * max(0.0, cpu - sim.busy_s * cpu / wall) / calls, 3),
        "goal_arena_ms_per_call": 2.0,
        "ratings_match_rebuild": rebuild(store, write=False).consistent,
    }


def critical_path(fmt_name: str, latency: float) -> float:
    """One debate's longest chain of calls: each speech then its bet, in order; the last
    round's scores (in parallel over judges) and then the ballots."""
    fmt = load_format(fmt_name)
    return (2 * len(fmt.stages) + 1 + 1) * latency


def bench_concurrency(workdir: str, latency: float = 0.2, concurrency: int = 64, debates: int = 256) -> dict:
    store = Store(os.path.join(workdir, "concurrency.db"))
    players = 16
    query = f"?latency={latency}&skill={{skill}}"
    runner, _sim = tournament(
        store, "concurrency", players, debates // players, query, f"?latency={latency}", concurrency=concurrency
    )
    started, cpu_started = time.perf_counter(), time.process_time()
    report = asyncio.run(runner.run())
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    calls = report.state.calls
    by_calls = calls * latency / concurrency
    path = critical_path("quick", latency)
    ideal = max(by_calls, path)
    waves = -(-report.state.done_now // concurrency) * path
    return {
        "debates": report.state.done_now,
        "calls": calls,
        "latency_s": latency,
        "concurrency": concurrency,
        "wall_s": round(wall, 3),
        "cpu_s": round(cpu, 3),
        "ideal_s": round(ideal, 3),
        "critical_path_s": round(path, 3),
        "ratio": round(wall / ideal, 3),
        "goal_ratio": 1.2,
        "waves_bound_s": round(waves, 3),
        "ratio_to_waves_bound": round(wall / waves, 3),
    }


def bench_faults(workdir: str, debates: int = 300, faults: float = 0.2) -> dict:
    store = Store(os.path.join(workdir, "faults.db"))
    players = 10
    query = f"?faults={faults}&skill={{skill}}"
    runner, _sim = tournament(
        store,
        "faults",
        players,
        debates // players,
        query,
        f"?faults={faults}",
        concurrency=16,
        retries=3,
        backoff=0.001,
    )
    started = time.perf_counter()
    report = asyncio.run(runner.run())
    wall = time.perf_counter() - started
    s = report.state
    rows = pl.debates(store, "faults")
    return {
        "debates": len(rows),
        "finished": sum(r.status == "finished" for r in rows),
        "void": sum(r.status == "void" for r in rows),
        "other": sum(r.status not in ("finished", "void") for r in rows),
        "calls": s.calls,
        "retries": s.retries,
        "failed_calls": s.failures,
        "fault_rate": faults,
        "wall_s": round(wall, 3),
        "ratings_match_rebuild": rebuild(store, write=False).consistent,
        "void_errors": sorted({v.error.split(":")[0] for v in report.voided}),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=["overhead", "concurrency", "faults"])
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--debates", type=int, default=1000, help="debates in the overhead benchmark")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as workdir:
        if args.only in (None, "overhead"):
            results["overhead"] = bench_overhead(workdir, args.debates)
            if not args.json:
                r = results["overhead"]
                print(
                    f"overhead: {r['debates']} quick debates, {r['calls']} calls in {r['wall_s']} s: "
                    f"{r['debates_per_s']} debates/s; {r['ms_per_call_total']} ms per call in all (goal < 2; "
                    f"the simulator's own text writing included), about {r['arena_ms_per_call']} ms of it the "
                    f"arena's; CPU {r['arena_cpu_ms_per_call']} ms per call; "
                    f"ratings match a rebuild: {r['ratings_match_rebuild']}",
                    flush=True,
                )
        if args.only in (None, "concurrency"):
            results["concurrency"] = bench_concurrency(workdir)
            if not args.json:
                r = results["concurrency"]
                print(
                    f"concurrency: {r['debates']} debates, {r['calls']} calls of {r['latency_s']} s at "
                    f"concurrency {r['concurrency']}: wall {r['wall_s']} s, ideal {r['ideal_s']} s "
                    f"(max of calls×latency÷concurrency and the critical path {r['critical_path_s']} s): "
                    f"ratio {r['ratio']} (goal ≤ 1.2); vs whole waves of debates ({r['waves_bound_s']} s): "
                    f"{r['ratio_to_waves_bound']}; CPU used {r['cpu_s']} s",
                    flush=True,
                )
        if args.only in (None, "faults"):
            results["faults"] = bench_faults(workdir)
            if not args.json:
                r = results["faults"]
                print(
                    f"faults: {r['debates']} debates with {int(100 * r['fault_rate'])}% faulty calls: "
                    f"{r['finished']} finished, {r['void']} void, {r['other']} neither; {r['calls']} calls, "
                    f"{r['retries']} retried, {r['failed_calls']} failed after retries; "
                    f"ratings match a rebuild: {r['ratings_match_rebuild']}",
                    flush=True,
                )
    if args.json:
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
