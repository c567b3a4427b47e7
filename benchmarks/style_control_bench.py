"""Controlled Bradley–Terry at Chatbot Arena scale: 100,000 battles, 50 participants.

A seeded synthetic log with Chatbot Arena's four style counts per side (tokens,
headers, list items, bold) and a judge that rewards them with known coefficients.
Prints the time of the design, the controlled fit, the clustered sandwich (goal
≤ 50 ms) and 1,000 bootstrap rounds of debates, how well the fit recovers the true
ratings and coefficients, and how the sandwich and the bootstrap standard errors agree.

With `--fastchat PATH` (a checkout's fastchat/serve/monitor/rating_systems.py, which
needs pandas and tqdm importable; `--pylib DIR` appends a directory that has them to
the path), it also times FastChat's `compute_style_control` and
`compute_bootstrap_style_control` on the same battles, side by side. FastChat's
bootstrap is timed over `--fastchat-rounds` rounds (default: as many as ours) with its
own process pool.

    python benchmarks/style_control_bench.py [--battles N] [--participants K] [--rounds R]
        [--fastchat PATH [--pylib DIR] [--fastchat-rounds R]]
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import os
import sys
import time
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from arena.ratings import bradley_terry as bt  # noqa: E402
from arena.ratings import controlled  # noqa: E402
from arena.ratings.style import Style, build_design  # noqa: E402
from arena.ratings.types import Match  # noqa: E402

TRUE_GAMMA = np.array([1.2, 0.3, 0.2, 0.4])  # log-odds per unit of (a − b)/(a + b + 1)


def synthetic(battles: int, participants: int, seed: int) -> tuple[list[Match], dict[str, Style], np.ndarray, dict]:
    rng = np.random.default_rng(seed)
    names = [f"model-{i:02d}" for i in range(participants)]
    theta = rng.normal(0.0, 1.0, participants)
    verbose = rng.uniform(200, 900, participants)  # each model's typical length
    a = rng.integers(0, participants, battles)
    b = (a + rng.integers(1, participants, battles)) % participants
    tokens = np.stack([rng.poisson(verbose[a]), rng.poisson(verbose[b])], axis=1)
    header = rng.poisson(1.5, (battles, 2))
    lists = rng.poisson(4.0, (battles, 2))
    bold = rng.poisson(3.0, (battles, 2))
    raw = np.stack([tokens, header, lists, bold], axis=1)  # battles × 4 × 2
    ratio = (raw[:, :, 0] - raw[:, :, 1]) / (raw.sum(axis=2) + 1)
    eta = theta[a] - theta[b] + ratio @ TRUE_GAMMA
    p = 1.0 / (1.0 + np.exp(-eta))
    u = rng.random(battles)
    t = 0.1 * 2.0 * np.minimum(p, 1 - p)
    winner = np.where(u < p - t / 2, "model_a", np.where(u < p + t / 2, "tie", "model_b"))
    log = [
        Match(names[x], names[y], str(w), float(n), id=f"b{n:06d}")  # type: ignore[arg-type]
        for n, (x, y, w) in enumerate(zip(a.tolist(), b.tolist(), winner.tolist()))
    ]
    style = {
        m.id: Style(
            words=(float(r[0][0]), float(r[0][1])),
            header=(float(r[1][0]), float(r[1][1])),
            list=(float(r[2][0]), float(r[2][1])),
            bold=(float(r[3][0]), float(r[3][1])),
        )
        for m, r in zip(log, raw.tolist())
    }
    true = 400.0 * theta / math.log(10.0)
    frame = {"a": a, "b": b, "names": names, "winner": winner, "raw": raw}
    return log, style, true - true.mean() + 1000.0, frame


def fastchat_frame(frame: dict):  # type: ignore[no-untyped-def]
    import pandas as pd

    raw = frame["raw"]
    names = frame["names"]
    meta = [
        {
            "sum_assistant_a_tokens": int(r[0, 0]),
            "sum_assistant_b_tokens": int(r[0, 1]),
            "header_count_a": {"h1": int(r[1, 0])},
            "header_count_b": {"h1": int(r[1, 1])},
            "list_count_a": {"ordered": int(r[2, 0])},
            "list_count_b": {"ordered": int(r[2, 1])},
            "bold_count_a": {"**": int(r[3, 0])},
            "bold_count_b": {"**": int(r[3, 1])},
        }
        for r in raw
    ]
    return pd.DataFrame(
        {
            "model_a": [names[i] for i in frame["a"]],
            "model_b": [names[i] for i in frame["b"]],
            "winner": frame["winner"],
            "conv_metadata": meta,
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--battles", type=int, default=100_000)
    parser.add_argument("--participants", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--fastchat", type=Path, help="path to FastChat's rating_systems.py")
    parser.add_argument("--pylib", type=Path, help="a directory with pandas and tqdm, appended to sys.path")
    parser.add_argument("--fastchat-rounds", type=int, help="FastChat bootstrap rounds [= --rounds]")
    args = parser.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")

    log, style, true, frame = synthetic(args.battles, args.participants, args.seed)
    print(f"log: {len(log):,} battles, {args.participants} participants, seed {args.seed}, load {load:.1f}")

    t0 = time.perf_counter()
    design = build_design(log, style, ("length", "markdown"))
    t1 = time.perf_counter()
    est = controlled.fit_design(design, prior=bt.DEFAULT_PRIOR)
    t2 = time.perf_counter()
    est = controlled.sandwich(design, est)
    t3 = time.perf_counter()
    draws = controlled.bootstrap(design, est, args.rounds, args.seed)
    t4 = time.perf_counter()
    print(f"design (normalise, standardise): {1000 * (t1 - t0):.0f} ms")
    print(f"controlled fit: {1000 * (t2 - t1):.0f} ms ({est.iterations} Newton steps)")
    print(f"sandwich covariance (clustered by battle): {1000 * (t3 - t2):.1f} ms")
    print(
        f"bootstrap, {args.rounds} rounds of battles: {t4 - t3:.2f} s "
        f"({1000 * (t4 - t3) / max(args.rounds, 1):.1f} ms/round; {draws.newton_rounds} rounds needed Newton)"
    )
    print(f"controlled fit + bootstrap: {t4 - t1:.2f} s")

    ratings = est.ratings()
    est_r = np.array([ratings[n] for n in design.participants])
    order = [frame["names"].index(n) for n in design.participants]
    truth = true[order]
    rho = spearmanr(est_r, truth).statistic
    print(f"recovery: Spearman ρ {rho:.4f}, max |error| {np.abs(est_r - truth).max():.1f} Elo")
    truth_gamma = TRUE_GAMMA * np.array([c.sd for c in design.covariates])
    sd_g = est.gamma_sd()
    for c, g, s, tg in zip(design.covariates, est.gamma, sd_g, truth_gamma):
        print(f"  γ {c.name}: {g:.4f} ± {1.96 * s:.4f} (true {tg:.4f}, per sd of the ratio)")
    boot_sd = bt.to_elo_scale(draws.theta, design.participants).std(axis=0)
    sand_sd = np.sqrt(np.diag(est.rating_cov()))
    ratio = boot_sd / sand_sd
    g_ratio = draws.gamma.std(axis=0) / sd_g
    print(
        f"bootstrap sd / sandwich sd: ratings {ratio.min():.3f}–{ratio.max():.3f} (median {np.median(ratio):.3f}), "
        f"γ {g_ratio.min():.3f}–{g_ratio.max():.3f}"
    )

    if args.fastchat:
        if args.pylib:
            sys.path.append(str(args.pylib))
        spec = importlib.util.spec_from_file_location("fastchat_rating_systems", args.fastchat)
        assert spec and spec.loader
        fc = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = fc  # its process pool pickles functions by module name
        spec.loader.exec_module(fc)
        df = fastchat_frame(frame)
        f0 = time.perf_counter()
        fc_ratings, fc_params = fc.compute_style_control(df)
        f1 = time.perf_counter()
        print(f"FastChat compute_style_control: {f1 - f0:.2f} s", flush=True)
        rounds = args.fastchat_rounds or args.rounds
        fc.compute_bootstrap_style_control(df, num_round=rounds)
        f2 = time.perf_counter()
        per_round = (f2 - f1) / max(rounds, 1)
        print(
            f"FastChat compute_bootstrap_style_control, {rounds} rounds ({os.cpu_count()} processes): {f2 - f1:.1f} s "
            f"({1000 * per_round:.0f} ms/round)"
        )
        fc_total = (f1 - f0) + per_round * args.rounds
        ours = t4 - t1
        label = "" if rounds == args.rounds else f" (bootstrap scaled from {rounds} to {args.rounds} rounds)"
        print(
            f"FastChat fit + {args.rounds} rounds: {fc_total:.1f} s{label}; ours {ours:.2f} s: {fc_total / ours:.0f}× faster"
        )
        ml = controlled.fit_design(design, prior=0.0).ratings()
        diff = max(abs(ml[n] - float(fc_ratings[n])) for n in design.participants)
        print(f"FastChat vs our maximum-likelihood controlled ratings: max |difference| {diff:.2f} Elo (its reg=0.5)")


if __name__ == "__main__":
    main()
