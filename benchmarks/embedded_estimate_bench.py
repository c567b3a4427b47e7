"""Does the dry run's time hold for a tournament judged by the embedded model? Prints
figures; not a timed test.

    PYTHONPATH=. python benchmarks/embedded_estimate_bench.py [--motions 1] [--fresh] [--json]

Plans a small `quick` tournament of simulated debaters (sim/a, sim/b: instant) judged by
the embedded model (`local/smollm2`), round-robin, both sides per motion (2 debates a
motion), and runs, as a user would, `arena tournament run ... --dry-run --json` and then
the same command for real, each in its own process on a scratch database. Prints the dry
run's estimated seconds, the measured wall time of the real run (model load included),
their ratio (target: within a factor of 2) and the measurement the estimate used (speed,
thread count, when and at which load), with the machine's load before and after.

`--fresh` times the embedded model anew (a scratch cache directory) instead of using the
measurement kept in the user's cache; the first use of either is timed in the dry run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MOTIONS = ("remote-work-productivity", "nuclear-power-net-zero", "social-media-teen-mental-health")


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return "load average: " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def arena(env: dict[str, str], *args: str) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "arena", *args], capture_output=True, text=True, env=env, cwd=ROOT, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"arena {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return time.perf_counter() - started, done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--motions", type=int, default=1, help="motions (2 debates each)")
    parser.add_argument("--fresh", action="store_true", help="time the embedded model anew (scratch cache)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="arena-estimate-"))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LITELLM_LOCAL_MODEL_COST_MAP": "True"}
    if args.fresh:
        env["XDG_CACHE_HOME"] = str(scratch / "cache")
    command = [
        "--db",
        str(scratch / "bench.db"),
        "tournament",
        "run",
        "--name",
        "estimate-bench",
        "--players",
        "sim/a,sim/b",
        "--judge",
        "local/smollm2",
        "--format",
        "quick",
        "--motions",
        ",".join(MOTIONS[: args.motions]),
        "--seed",
        "1",
    ]
    before = uptime()
    dry_s, dry = arena(env, *command, "--dry-run", "--json")
    plan = json.loads(dry.stdout)
    estimate_s = plan["time"]["seconds"]
    measured = plan["time"].get("measured", {}).get("local/smollm2", {})
    real_s, real = arena(env, *command, "--json")
    after = uptime()
    doc = json.loads(real.stdout)
    figures = {
        "debates": plan["plan"]["planned"],
        "finished": doc.get("finished"),
        "void": doc.get("void"),
        "estimate_s": estimate_s,
        "measured_s": round(real_s, 1),
        "ratio": round(real_s / estimate_s, 2) if estimate_s else None,
        "dry_run_s": round(dry_s, 1),
        "speed": {k: measured.get(k) for k in ("threads", "prompt_tps", "output_tps", "load", "trials")},
        "uptime_before": before,
        "uptime_after": after,
        "cores": os.cpu_count(),
    }
    if args.json:
        sys.stdout.write(json.dumps(figures, indent=1) + "\n")
        return
    ratio = figures["ratio"]
    lines = [
        f"{figures['debates']} quick debates, sim/a vs sim/b, judged by local/smollm2 "
        f"({figures['finished']} finished, {figures['void']} void), {os.cpu_count()} cores",
        f"before: {before}",
        f"dry run ({dry_s:.1f} s, the first use times the model): estimate {estimate_s:.0f} s, from "
        f"{measured.get('prompt_tps', 0):.0f} prompt and {measured.get('output_tps', 0):.1f} output tokens/s "
        f"on {measured.get('threads')} thread(s), timed at load {measured.get('load', 0):.1f}",
        f"real run: {real_s:.0f} s (model load included)",
        f"measured / estimate = {ratio} (target: between 0.5 and 2)",
        f"after: {after}",
    ]
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
