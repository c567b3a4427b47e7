"""Bradley–Terry at Chatbot Arena scale: 100,000 battles among 50 participants.

Builds a seeded synthetic log from known strengths, then prints the time of the
full-data fit, the time of 1,000 bootstrap rounds, and how well the fit recovers the
true order (Spearman ρ) and values. Goal: fit + 1,000 rounds under 5 s on 2 cores.

Ties (up to 10 % by default) are likelier between close opponents and are drawn so
that every pairing's expected score (a tie counting ½) is still its Bradley–Terry
probability: the model the leaderboard fits is the model that made the data, so the
error and the interval coverage against the true values are meaningful.

    python benchmarks/ratings_bench.py [--battles N] [--participants K] [--rounds R] [--seed S]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from arena.ratings import bootstrap, bradley_terry  # noqa: E402
from arena.ratings.types import Match  # noqa: E402


def synthetic_log(
    battles: int, participants: int, seed: int, tie_rate: float = 0.10
) -> tuple[list[Match], dict[str, float]]:
    rng = np.random.default_rng(seed)
    names = [f"model-{i:02d}" for i in range(participants)]
    theta = rng.normal(0.0, 1.0, participants)  # natural-logit strengths
    a = rng.integers(0, participants, battles)
    b = (a + rng.integers(1, participants, battles)) % participants  # never a self-match
    p_a = 1.0 / (1.0 + np.exp(theta[b] - theta[a]))
    # P(win) = p − t/2, P(tie) = t, P(loss) = 1 − p − t/2: the expected score stays p.
    t = tie_rate * 2.0 * np.minimum(p_a, 1.0 - p_a)
    u = rng.random(battles)
    winner = np.where(u < p_a - t / 2, "model_a", np.where(u < p_a + t / 2, "tie", "model_b"))
    log = [
        Match(names[x], names[y], str(w), float(t), id=f"b{t:06d}")  # type: ignore[arg-type]
        for t, (x, y, w) in enumerate(zip(a.tolist(), b.tolist(), winner.tolist()))
    ]
    true = {n: 400.0 * th / math.log(10.0) for n, th in zip(names, theta)}
    mean = sum(true.values()) / len(true)
    return log, {n: v - mean + 1000.0 for n, v in true.items()}


def _load() -> str:
    try:
        import os

        return f"{os.getloadavg()[0]:.1f}"
    except (AttributeError, OSError):
        return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--battles", type=int, default=100_000)
    parser.add_argument("--participants", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--ties", type=float, default=0.10, help="share of battles that are ties")
    args = parser.parse_args()

    log, true = synthetic_log(args.battles, args.participants, args.seed, args.ties)
    print(f"log: {len(log):,} battles, {args.participants} participants, seed {args.seed}")

    t0 = time.perf_counter()
    counts = bradley_terry.collapse(log)
    t1 = time.perf_counter()
    c1 = time.process_time()
    fit = bradley_terry.fit(log)
    t2 = time.perf_counter()
    c2 = time.process_time()
    boot = bootstrap.bootstrap_bt(log, rounds=args.rounds, seed=args.seed, full=fit)
    t3 = time.perf_counter()
    c3 = time.process_time()

    names = sorted(true)
    rho = spearmanr([fit.ratings[n] for n in names], [true[n] for n in names]).statistic
    mae = sum(abs(fit.ratings[n] - true[n]) for n in names) / len(names)
    covered = sum(boot.ci_lo[n] <= true[n] <= boot.ci_hi[n] for n in names) / len(names)
    width = sum(boot.ci_hi[n] - boot.ci_lo[n] for n in names) / len(names)
    print(f"collapse to counts:  {t1 - t0:6.3f} s  ({len(counts.count):,} cells, {len(counts.pair_i):,} pairs)")
    print(f"BT fit (incl. collapse): {t2 - t1:6.3f} s  ({fit.info.iterations if fit.info else 0} L-BFGS iterations)")
    print(f"bootstrap {args.rounds} rounds: {t3 - t2:6.3f} s")
    print(f"fit + bootstrap:     {t3 - t1:6.3f} s  (goal ≤ 0.5 s on 2 idle cores)")
    print(
        f"  CPU time of this process: fit {c2 - c1:.3f} s, bootstrap {c3 - c2:.3f} s "
        f"(on a shared machine the CPU time is the fairer figure; load average {_load()})"
    )
    print(f"Spearman ρ (recovered vs true): {rho:.4f}")
    print(f"mean |error| {mae:.1f} Elo points; mean 95% width {width:.1f}; true value inside: {100 * covered:.0f}%")
    ml = bradley_terry.fit(log, prior=0)
    moved = max(abs(fit.ratings[n] - ml.ratings[n]) for n in names)
    print(f"prior {fit.prior:g} virtual games vs maximum likelihood: largest move {moved:.2f} Elo points")
    curvature = bradley_terry.curvature_sd(fit)
    boot_sd = np.nanstd(boot.samples, axis=0)
    print(
        f"bootstrap sd / curvature sd: median {np.median(boot_sd / curvature):.3f} "
        f"(range {np.min(boot_sd / curvature):.3f}–{np.max(boot_sd / curvature):.3f}); "
        f"{len(boot.fallback)} curvature fallbacks"
    )
    if fit.warnings or boot.warnings:
        print("warnings:", *fit.warnings, *boot.warnings, sep="\n  ")


if __name__ == "__main__":
    main()
