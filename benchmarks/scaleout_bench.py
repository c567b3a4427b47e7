"""Scale-out benchmark: one tournament plan, played by 1, 2 and 4 worker processes
against one PostgreSQL store; then a kill drill. Prints figures; not a timed test.

    PYTHONPATH=. python benchmarks/scaleout_bench.py [--db URL] [--debates 200] [--latency 0.1]
                                                     [--concurrency 4] [--json]

Without --db it starts a throw-away PostgreSQL server from the machine's binaries
(/usr/lib/postgresql/*/bin; as the `postgres` user when run as root). `--db` may also
name a SQLite file, to compare.

1. speed-up: the same plan (a round-robin of simulated players whose every call takes
   --latency seconds, so the work is latency-bound, like paid APIs) is planned once
   with --plan-only, then played by N `arena tournament work` processes, each with
   --concurrency debates at once. Reports debates/s over the playing span (first claim
   to last commit, from the store) and over the wall time (process start-up included),
   and the speed-up against one worker. Goal: 4 workers >= 3.5x one worker.
2. kill drill: four workers; when a third of the plan is done, two are killed with
   SIGKILL while holding debates. The other two finish the plan. Checks: finished +
   void == planned, no debate rated twice, the commit sequence has no gap or repeat,
   and `arena ratings rebuild` leaves every rating unchanged.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

from arena.store import tournaments as tq  # noqa: E402
from arena.store.rebuild import commit_sequence, rebuild  # noqa: E402
from arena.store.store import Store  # noqa: E402
from arena.tournament import plan as pl  # noqa: E402

MAX_MOTIONS = 10


# --------------------------------------------------------------------------- a throw-away server


class TempPostgres:
    def __init__(self) -> None:
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[-3]))
        pg_ctl = shutil.which("pg_ctl") or (found[-1] if found else None)
        if pg_ctl is None:
            sys.exit("no PostgreSQL server binaries (pg_ctl): apt-get install postgresql, or pass --db URL")
        self.bin = Path(pg_ctl).resolve().parent  # initdb and createdb live beside the real pg_ctl
        self.dir = Path(tempfile.mkdtemp(prefix="arena-bench-pg-"))
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # the server refuses to run as root
            shutil.chown(self.dir, "postgres", "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_user, *args], check=True, cwd="/", stdout=subprocess.DEVNULL)

    def start(self) -> str:
        data = str(self.dir / "data")
        self._run(str(self.bin / "initdb"), "-D", data, "-U", "postgres", "--auth=trust")
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            data,
            "-l",
            str(self.dir / "log"),
            "-w",
            "-o",
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c max_connections=200",
            "start",
        )
        self._run(str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "arena")
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/arena"

    def stop(self) -> None:
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "fast", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


# --------------------------------------------------------------------------- helpers


def arena(db: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "arena", "--db", db, *args]


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "LITELLM_LOCAL_MODEL_COST_MAP": "True"}


def players_for(debates: int) -> tuple[int, int]:
    """Players and motions for about `debates` round-robin debates (both sides)."""
    best = (4, 1)
    for n in range(3, 12):
        for m in range(1, MAX_MOTIONS + 1):
            if abs(n * (n - 1) * m - debates) < abs(best[0] * (best[0] - 1) * best[1] - debates):
                best = (n, m)
    return best


def plan(db: str, name: str, debates: int, latency: float) -> int:
    from arena.motions import load_motions

    motions = [m.id for m in load_motions().all()][:MAX_MOTIONS]
    n, m = players_for(debates)
    sim = f"?latency={latency}"
    players = ",".join(f"sim/p{i}{sim}&skill={0.2 + 0.6 * i / (n - 1):.2f}" for i in range(n))
    subprocess.run(
        arena(
            db,
            "tournament",
            "run",
            "--name",
            name,
            "--players",
            players,
            "--judge",
            f"sim/judge{sim}",
            "--motions",
            ",".join(motions[:m]),
            "--seed",
            "7",
            "--plan-only",
        ),
        check=True,
        env=env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return n * (n - 1) * m


def start_workers(db: str, name: str, count: int, concurrency: int) -> list[subprocess.Popen]:
    return [
        subprocess.Popen(
            arena(db, "tournament", "work", name, "--concurrency", str(concurrency), "--json"),
            env=env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        for _ in range(count)
    ]


def span(store: Store, name: str) -> float:
    rows = [d for d in tq.debates(store, name) if d.status in ("finished", "void")]
    return max(d.finished_at or 0 for d in rows) - min(d.started_at or 1e18 for d in rows)


def check(store: Store, name: str) -> dict:
    """The drill's checks; raises AssertionError when one fails."""
    from sqlmodel import select

    from arena.store import tables as t

    rows = tq.debates(store, name)
    spec = pl.load_spec(store, name)
    statuses = Counter(d.status for d in rows)
    with store.session() as session:
        changes = Counter(c.debate_id for c in session.exec(select(t.RatingChange)).all())
    twice = [d.id for d in rows if changes.get(d.id, 0) > 2]
    seqs = sorted(d.rating_seq for d in rows if d.rating_seq is not None)
    all_seqs = commit_sequence(store)  # the whole store's: every worker of every tournament
    report = rebuild(store, write=False)
    result = {
        "planned": pl.planned_total(spec),
        "finished": statuses["finished"],
        "void": statuses["void"],
        "rated_twice": len(twice),
        "seq_unique": len(set(all_seqs)) == len(all_seqs),
        "seq_contiguous": all_seqs == list(range(1, len(all_seqs) + 1)),
        "rebuild_consistent": report.consistent,
        "this_tournament_seqs": len(seqs),
    }
    assert result["finished"] + result["void"] == result["planned"], result
    assert not twice and result["seq_unique"] and result["seq_contiguous"] and report.consistent, result
    return result


# --------------------------------------------------------------------------- the two parts


def speedup(db: str, debates: int, latency: float, concurrency: int) -> list[dict]:
    store = Store(db)
    results = []
    for workers in (1, 2, 4):
        name = f"bench-{workers}w-{int(time.time())}"
        planned = plan(db, name, debates, latency)
        started = time.perf_counter()
        procs = start_workers(db, name, workers, concurrency)
        for proc in procs:
            proc.communicate()
            assert proc.returncode == 0, f"worker exited with {proc.returncode}"
        wall = time.perf_counter() - started
        playing = span(store, name)
        check(store, name)
        row = {
            "workers": workers,
            "concurrency_each": concurrency,
            "debates": planned,
            "wall_s": round(wall, 2),
            "playing_s": round(playing, 2),
            "debates_per_s": round(planned / playing, 2),
            "debates_per_s_wall": round(planned / wall, 2),
        }
        results.append(row)
        print(
            f"  {workers} worker(s) x {concurrency}: {planned} debates in {playing:.1f} s playing "
            f"({row['debates_per_s']:.2f}/s), {wall:.1f} s wall ({row['debates_per_s_wall']:.2f}/s)",
            flush=True,
        )
    base, base_wall = results[0]["debates_per_s"], results[0]["debates_per_s_wall"]
    for row in results:
        row["speedup"] = round(row["debates_per_s"] / base, 2)
        row["speedup_wall"] = round(row["debates_per_s_wall"] / base_wall, 2)
    return results


def kill_drill(db: str, debates: int, latency: float, concurrency: int) -> dict:
    store = Store(db)
    name = f"bench-kill-{int(time.time())}"
    planned = plan(db, name, debates, latency)
    started = time.perf_counter()
    procs = start_workers(db, name, 4, concurrency)
    host = socket.gethostname()
    victims = procs[:2]
    deadline = time.time() + 600
    while time.time() < deadline:
        rows = tq.debates(store, name)
        done = sum(d.status in ("finished", "void") for d in rows)
        held = {
            v.pid: sum(d.status == "running" and (d.lease_owner or "").startswith(f"{host}:{v.pid}:") for d in rows)
            for v in victims
        }
        if done >= planned / 3 and all(held.values()):
            break
        time.sleep(0.05)
    for victim in victims:
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait()
    taken = sum(held.values())
    for proc in procs[2:]:
        out, _ = proc.communicate()
        assert proc.returncode == 0, f"a surviving worker exited with {proc.returncode}"
    wall = time.perf_counter() - started
    result = {
        "debates": planned,
        "done_at_kill": done,
        "held_by_killed": taken,
        "wall_s": round(wall, 2),
        **check(store, name),
    }
    before = {p: (s.elo, s.ts_mu, s.ts_sigma) for p, s in store.rating_states().items()}
    rebuilt = subprocess.run(arena(db, "ratings", "rebuild", "--json"), env=env(), capture_output=True, text=True)
    after = {p: (s.elo, s.ts_mu, s.ts_sigma) for p, s in Store(db).rating_states().items()}
    result["ratings_unchanged_by_rebuild"] = rebuilt.returncode == 0 and before == after
    assert result["ratings_unchanged_by_rebuild"], rebuilt.stderr
    print(
        f"  killed 2 of 4 workers at {done}/{planned} done, holding {taken} debates; the other two finished "
        f"in {wall:.1f} s: {result['finished']} finished + {result['void']} void == {planned} planned, "
        f"{result['rated_twice']} rated twice, rebuild unchanged: {result['ratings_unchanged_by_rebuild']}",
        flush=True,
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="a store URL or SQLite path [a throw-away PostgreSQL server]")
    parser.add_argument("--debates", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.1, help="seconds per simulated call")
    parser.add_argument("--concurrency", type=int, default=4, help="debates at once per worker")
    parser.add_argument("--only", choices=["speedup", "kill"])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    server = None
    db = args.db
    if db is None:
        server = TempPostgres()
    try:
        if server is not None:
            db = server.start()
        print(
            f"store: {db.split('://')[0] if '://' in db else 'sqlite'} · ~{args.debates} debates · "
            f"{args.latency}s per call · {args.concurrency} debates at once per worker",
            flush=True,
        )
        out: dict = {}
        if args.only in (None, "speedup"):
            out["speedup"] = speedup(db, args.debates, args.latency, args.concurrency)
            four = out["speedup"][-1]
            print(
                f"  speed-up with 4 workers: {four['speedup']}x over the playing span "
                f"({four['speedup_wall']}x wall); goal >= 3.5x",
                flush=True,
            )
        if args.only in (None, "kill"):
            out["kill_drill"] = kill_drill(db, args.debates, args.latency, args.concurrency)
        if args.json:
            print(json.dumps(out, indent=2))
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
