"""Adaptive schedule vs round robin on a simulated pool of 10 debaters with known skills.
Prints figures; not a timed test.

    PYTHONPATH=. python benchmarks/adaptive_schedule_bench.py [--seeds 5] [--cycles 4] [--gaps 0,40,80] [--json]

No model is called: the schedules are the real pure scheduling code
(`tournament.adaptive.next_slots`, `tournament.schedule.round_robin`) and each debate's
result is drawn from the Bradley–Terry outcome model at the true skills
(`tournament.adaptive_sim`). Playing full simulated debates would add nothing the
outcome model does not already decide, at thousands of times the cost.

For each gap between neighbours' skills and each seed:
1. a side-balanced round robin, `--cycles` times over (90 debates a cycle), is played;
   its measure W is the mean 95 % half-width of the differences between players
   adjacent in the true order (Laplace covariance of the default BT fit);
2. the adaptive schedule is played until its own measure is ≤ W (checked every 10
   debates); the figure is how many debates that took;
3. the bound: greedy choice on the *true* skills (what an oracle scheduler would need).
Reported: mean and sd over the seeds, and the saving 1 − adaptive/round robin.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from arena.ratings import bradley_terry as bt  # noqa: E402
from arena.ratings import bt_information as info  # noqa: E402
from arena.tournament import adaptive  # noqa: E402
from arena.tournament import adaptive_sim as sim  # noqa: E402
from arena.tournament import schedule as sch  # noqa: E402

POOL = 10


def skills_for(gap: float) -> dict[str, float]:
    return {f"p{i}": 1000.0 + gap * (POOL / 2 - i) for i in range(POOL)}


def oracle_debates(skills: dict[str, float], target: float) -> int:
    """Greedy on the true skills until the expected half-width is ≤ target (debates)."""
    players = list(skills)
    theta = np.array([(skills[p] - 1000.0) / bt.SCALE for p in players])
    ridge = bt.prior_precision(bt.DEFAULT_PRIOR)
    planned: list[tuple[int, int]] = []
    tie = list(range(len(players)))
    while True:
        pairs, scores = adaptive.pair_scores(theta, planned, tie, ridge)
        planned.append(pairs[int(np.argmax(scores))])
        counts = Counter(planned)
        keys = list(counts)
        cov = info.covariance(
            info.information(theta, [a for a, _ in keys], [b for _, b in keys], [counts[k] for k in keys], ridge)
        )
        widths = [
            sim.Z95 * bt.SCALE * np.sqrt(info.difference_variance(cov, i, i + 1)) for i in range(len(players) - 1)
        ]
        if float(np.mean(widths)) <= target or len(planned) > 10_000:
            return len(planned)


def one(gap: float, seed: int, cycles: int) -> dict:
    skills = skills_for(gap)
    players = list(skills)
    plan = sch.round_robin(players, ["m"], cycles, side_balance=True)
    rr_slots, rr_won = sim.play(skills, sim.fixed_scheduler(plan), len(plan), seed)
    target = sim.adjacent_half_width(skills, rr_slots, rr_won)
    started = time.perf_counter()
    cap = 3 * len(plan)
    ad_slots, ad_won = sim.play(skills, sim.adaptive_scheduler(players, cap, seed), cap, seed, stop_below=target)
    return {
        "gap": gap,
        "seed": seed,
        "round_robin_debates": len(plan),
        "target_half_width": round(target, 1),
        "adaptive_debates": len(ad_slots),
        "adaptive_s": round(time.perf_counter() - started, 2),
        "oracle_debates": oracle_debates(skills, target),
    }


def summary(rows: list[dict]) -> dict:
    rr = rows[0]["round_robin_debates"]
    ad = [r["adaptive_debates"] for r in rows]
    orc = [r["oracle_debates"] for r in rows]
    saving = [1 - a / rr for a in ad]
    return {
        "gap": rows[0]["gap"],
        "seeds": len(rows),
        "round_robin": rr,
        "target_half_width_mean": round(statistics.mean(r["target_half_width"] for r in rows), 1),
        "adaptive_mean": round(statistics.mean(ad), 1),
        "adaptive_sd": round(statistics.stdev(ad), 1) if len(ad) > 1 else 0.0,
        "adaptive_min": min(ad),
        "adaptive_max": max(ad),
        "saving_mean": round(statistics.mean(saving), 3),
        "saving_sd": round(statistics.stdev(saving), 3) if len(saving) > 1 else 0.0,
        "oracle_mean": round(statistics.mean(orc), 1),
        "oracle_saving": round(1 - statistics.mean(orc) / rr, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--cycles", type=int, default=4, help="round-robin cycles (90 debates each)")
    parser.add_argument("--gaps", default="0,40,80", help="Elo between neighbours, comma-separated")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args()
    results = []
    for gap in (float(g) for g in args.gaps.split(",")):
        rows = [one(gap, seed, args.cycles) for seed in range(1, args.seeds + 1)]
        s = summary(rows)
        results.append({"summary": s, "runs": rows})
        if not args.json:
            print(
                f"gap {gap:g} Elo: round robin {s['round_robin']} debates → mean adjacent half-width "
                f"{s['target_half_width_mean']} Elo; adaptive reaches it in {s['adaptive_mean']} ± {s['adaptive_sd']} "
                f"debates (min {s['adaptive_min']}, max {s['adaptive_max']}, {s['seeds']} seeds): "
                f"{100 * s['saving_mean']:.0f} % ± {100 * s['saving_sd']:.0f} % fewer; "
                f"bound (greedy on the true skills) {s['oracle_mean']} ({100 * s['oracle_saving']:.0f} % fewer)"
            )
    if args.json:
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
