"""What each rating system gives the leaderboard: for every participant a rating, a 95 %
interval and how it was made, and the key the rows are ordered by.

Every board fits Bradley–Terry (with its bootstrap), replays Elo and TrueSkill whatever
the chosen system (`Fits`): the components, the win rates and the other systems'
columns come from them. The chosen system's function, named in `systems.SYSTEMS`, then
turns them into its `SystemFit`:

- ``bt``: the Bradley–Terry fit; 95 % percentile interval from `rounds` seeded
  bootstrap resamples of the matches. Rows sorted by rating.
- ``elo``: the online Elo after replaying the log in time order; its interval is the
  bootstrap of FastChat's kind: each round replays a resample of the matches in a random
  order, so it measures sampling noise plus Elo's dependence on order. The time-ordered
  estimate can fall outside it (recent form); the warnings then say so. Sorted by rating.
- ``trueskill``: rating = μ, interval μ ± 1.96σ (TrueSkill's own belief about the
  skill; no resampling needed). Rows are sorted by the conservative estimate μ − 3σ
  (`ts_expose`), as TrueSkill leaderboards are, so a newcomer with a lucky start does
  not top the table; `rank_ub` still comes from the μ ± 1.96σ intervals.

Where a bootstrap is degenerate the interval comes from the Bradley–Terry posterior
curvature instead, and the row says so (`ci_method == "curvature"`, with the reason in
`ci_note`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from arena.ratings import bootstrap, bradley_terry, elo, trueskill_ratings
from arena.ratings.types import MatchLog

if TYPE_CHECKING:
    from arena.ratings.leaderboard import LeaderboardSettings

TS_Z = 1.959963984540054  # two-sided 95 % normal quantile


@dataclass(frozen=True)
class Fits:
    """What every board computes, whatever the system."""

    rated: MatchLog  # the matches the settings select (self-matches included; the fits ignore them)
    settings: LeaderboardSettings
    bt: bradley_terry.BTResult
    bt_ci: bootstrap.Intervals
    elo: elo.EloResult
    ts: dict[str, trueskill_ratings.TSRating]

    @property
    def names(self) -> tuple[str, ...]:
        return self.bt.participants


@dataclass(frozen=True)
class SystemFit:
    """The chosen system's figures, each keyed by participant."""

    rating: Mapping[str, float]
    ci_lo: Mapping[str, float]
    ci_hi: Mapping[str, float]
    sort_key: Mapping[str, float]  # rows in descending order of it (within component and provisional groups)
    ci_method: Mapping[str, str]  # bootstrap | curvature | trueskill
    ci_note: Mapping[str, str] = field(default_factory=dict)  # why an interval is not the bootstrap's
    warnings: list[str] = field(default_factory=list)
    columns: Mapping[str, Mapping[str, float]] = field(default_factory=dict)  # further LeaderboardRow fields
    # What the rank ranges read (`rank_ranges`), columns in `Fits.names` order: the
    # bootstrap's rounds × participants ratings, or the ratings' covariance.
    draws: np.ndarray | None = None
    cov: np.ndarray | None = None


def _bootstrap_methods(names: tuple[str, ...], iv: bootstrap.Intervals) -> dict[str, str]:
    return {p: "curvature" if p in iv.fallback else "bootstrap" for p in names}


def bt_board(fits: Fits) -> SystemFit:
    iv = fits.bt_ci
    return SystemFit(
        iv.estimate,
        iv.ci_lo,
        iv.ci_hi,
        sort_key=iv.estimate,
        ci_method=_bootstrap_methods(fits.names, iv),
        ci_note=dict(iv.fallback),
        draws=iv.samples if iv.samples.size else None,
    )


def elo_board(fits: Fits) -> SystemFit:
    s = fits.settings
    iv = bootstrap.bootstrap_elo(fits.rated, rounds=s.rounds, seed=s.seed, k=s.k, full=fits.elo)
    iv = _elo_fallback(iv, fits.bt)
    return SystemFit(
        fits.elo.ratings,
        iv.ci_lo,
        iv.ci_hi,
        sort_key=fits.elo.ratings,
        ci_method=_bootstrap_methods(fits.names, iv),
        ci_note=dict(iv.fallback),
        warnings=iv.warnings,
        columns={"elo_lo": iv.ci_lo, "elo_hi": iv.ci_hi},
        draws=iv.samples if iv.samples.size else None,
    )


def trueskill_board(fits: Fits) -> SystemFit:
    ts = fits.ts
    return SystemFit(
        rating={p: ts[p].mu for p in fits.names},
        ci_lo={p: ts[p].mu - TS_Z * ts[p].sigma for p in fits.names},
        ci_hi={p: ts[p].mu + TS_Z * ts[p].sigma for p in fits.names},
        sort_key={p: trueskill_ratings.expose(ts[p]) for p in fits.names},
        ci_method={p: "trueskill" for p in fits.names},
        cov=np.diag([ts[p].sigma ** 2 for p in fits.names]),  # TrueSkill's beliefs are independent
    )


def _elo_fallback(iv: bootstrap.Intervals, bt_fit: bradley_terry.BTResult) -> bootstrap.Intervals:
    """Elo intervals with a zero-wide side borrow the BT curvature's width (same scale)."""
    if bt_fit.counts is None or not bt_fit.participants:
        return iv
    sd = dict(zip(bt_fit.participants, bradley_terry.curvature_sd(bt_fit).tolist()))
    games_arr, points_arr = bt_fit.counts.participant_totals()
    reasons = bootstrap.degenerate_reasons(
        bt_fit.participants,
        iv.estimate,
        iv.ci_lo,
        iv.ci_hi,
        sd,
        dict(zip(bt_fit.participants, games_arr.tolist())),
        dict(zip(bt_fit.participants, points_arr.tolist())),
    )
    # Elo's estimate may lie outside its interval (recent form, said in the warnings);
    # only a side that is (nearly) zero-wide is replaced: under a quarter of the curvature's
    # half-width (as for Bradley–Terry), which "+1/−28" after one debate is.
    reasons = {
        p: why
        for p, why in reasons.items()
        if min(abs(iv.ci_hi[p] - iv.estimate[p]), abs(iv.estimate[p] - iv.ci_lo[p]))
        < max(0.5, 0.25 * 1.959963984540054 * sd[p])
    }
    return bootstrap.apply_fallback(iv, sd, reasons, source="Bradley–Terry posterior curvature")
