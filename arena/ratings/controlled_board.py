"""What a controlled board shows: the controlled ratings with their intervals, the
coefficients γ_k in Elo with their intervals and their meaning in words, and the
intervals of a plain Bradley–Terry board by the sandwich (`--ci sandwich`).

The fit and its uncertainty are `controlled.py`'s; the covariates `style.py`'s. A
coefficient is reported on the Elo scale, 400/ln 10 · γ per standardised unit, and in
words for a natural unit: "+100 words of length difference (at a typical 1,400) is
worth +X Elo with these judges" is SCALE·γ·Δz for the Δz that unit makes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from arena.ratings import bradley_terry as bt
from arena.ratings import controlled
from arena.ratings.bootstrap import degenerate_reasons
from arena.ratings.style import Design, Style, build_design
from arena.ratings.types import MatchLog

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Coefficient:
    """γ_k on the Elo scale: per standard deviation of its covariate (`value`, 95 % interval)
    and per natural unit (`unit_value`, `meaning`)."""

    name: str
    value: float
    ci_lo: float
    ci_hi: float
    n: int  # matches that measured it
    unit_value: float
    unit_lo: float
    unit_hi: float
    meaning: str  # "+100 words of length difference (at a typical 1400)"

    def sentence(self) -> str:
        return (
            f"{self.meaning} is worth {self.unit_value:+.1f} Elo "
            f"(95% CI {self.unit_lo:+.1f} to {self.unit_hi:+.1f}, n={self.n}) with these judges"
        )


@dataclass(frozen=True)
class ControlledFit:
    """Elo-scale ratings with 95 % intervals, and what the rank ranges need."""

    participants: tuple[str, ...]
    rating: dict[str, float]
    ci_lo: dict[str, float]
    ci_hi: dict[str, float]
    method: str  # bootstrap | sandwich
    coefficients: list[Coefficient] = field(default_factory=list)
    fallback: dict[str, str] = field(default_factory=dict)  # participant → why its interval is the curvature's
    cov: np.ndarray | None = None  # k × k Elo-scale covariance (sandwich)
    draws: np.ndarray | None = None  # rounds × k Elo-scale ratings (bootstrap)
    warnings: list[str] = field(default_factory=list)


def fit_board(
    log: MatchLog,
    style: Mapping[str, Style],
    controls: tuple[str, ...],
    *,
    prior: float,
    anchor: str | None,
    method: str,
    rounds: int,
    seed: int,
    clusters: Mapping[str, str] | None = None,
) -> ControlledFit:
    """The controlled (or, with no controls, plain) Bradley–Terry board by `method`."""
    design = build_design(log, style, controls, clusters)
    est = controlled.sandwich(design, controlled.fit_design(design, prior=prior))
    ratings = est.ratings(anchor)
    names = design.participants
    estimate = np.array([ratings[p] for p in names])
    k = len(names)
    warnings = list(design.warnings) + list(est.warnings)
    if method == "bootstrap" and rounds > 0 and design.clusters > 0:
        draws = controlled.bootstrap(design, est, rounds, seed, prior=prior)
        elo = bt.to_elo_scale(draws.theta, names, anchor)
        lo, hi = np.percentile(elo, [2.5, 97.5], axis=0) if k else (estimate, estimate)
        g_lo, g_hi = np.percentile(draws.gamma, [2.5, 97.5], axis=0) if draws.gamma.size else ([], [])
        cov, samples = None, elo
    else:
        sd = np.sqrt(np.maximum(np.diag(est.rating_cov(anchor)), 0.0))
        lo, hi = estimate - Z95 * sd, estimate + Z95 * sd
        g_sd = est.gamma_sd()
        g_lo, g_hi = est.gamma - Z95 * g_sd, est.gamma + Z95 * g_sd
        cov, samples = est.rating_cov(anchor), None
        method = "sandwich"
    ci_lo = {p: float(v) for p, v in zip(names, lo)}
    ci_hi = {p: float(v) for p, v in zip(names, hi)}
    fallback = _curvature_fallback(design, est, anchor, ratings, ci_lo, ci_hi)
    if fallback:
        listed = ", ".join(f"{p} ({why})" for p, why in sorted(fallback.items()))
        warnings.append(
            f"controlled {method}: cannot show the spread of {listed}; their intervals are ±1.96 sd "
            "from the curvature of the posterior (Laplace), marked †"
        )
    return ControlledFit(
        participants=names,
        rating=ratings,
        ci_lo=ci_lo,
        ci_hi=ci_hi,
        fallback=fallback,
        method=method,
        coefficients=coefficients(design, est.gamma, np.asarray(g_lo), np.asarray(g_hi)),
        cov=cov,
        draws=samples,
        warnings=warnings,
    )


def _curvature_fallback(
    design: Design,
    est: controlled.Estimate,
    anchor: str | None,
    rating: dict[str, float],
    ci_lo: dict[str, float],
    ci_hi: dict[str, float],
) -> dict[str, str]:
    """Who won or lost everything, or has too few games, or a collapsed interval: for them
    (as on the plain board, `bootstrap.degenerate_reasons`) the interval becomes the
    Laplace one, ± 1.96 sd from the inverse Hessian. Resampling cannot move such a
    participant past its record, and the sandwich's scores vanish with its residuals."""
    k = len(design.participants)
    if k == 0:
        return {}
    laplace = controlled.Estimate(**{**est.__dict__, "cov": np.linalg.inv(est.hessian)})
    sd_arr = np.sqrt(np.maximum(np.diag(laplace.rating_cov(anchor)), 0.0))
    sd = dict(zip(design.participants, sd_arr.tolist()))
    games_arr = np.bincount(design.a, minlength=k) + np.bincount(design.b, minlength=k)
    points_arr = np.bincount(design.a, weights=design.score, minlength=k) + np.bincount(
        design.b, weights=1.0 - design.score, minlength=k
    )
    games = dict(zip(design.participants, games_arr.astype(float).tolist()))
    points = dict(zip(design.participants, points_arr.tolist()))
    reasons = degenerate_reasons(design.participants, rating, ci_lo, ci_hi, sd, games, points)
    reasons.pop(anchor or "", None)
    for p in reasons:
        half = max(Z95 * sd[p], 1e-6)
        ci_lo[p], ci_hi[p] = rating[p] - half, rating[p] + half
    return reasons


def coefficients(design: Design, gamma: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> list[Coefficient]:
    out = []
    for c, g, a, b in zip(design.covariates, gamma.tolist(), np.asarray(lo).tolist(), np.asarray(hi).tolist()):
        dz, meaning = c.unit_effect()
        out.append(
            Coefficient(
                name=c.name,
                value=bt.SCALE * g,
                ci_lo=bt.SCALE * a,
                ci_hi=bt.SCALE * b,
                n=c.measured,
                unit_value=bt.SCALE * g * dz,
                unit_lo=bt.SCALE * a * dz,
                unit_hi=bt.SCALE * b * dz,
                meaning=meaning,
            )
        )
    return out
