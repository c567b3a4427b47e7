"""The leaderboard: every rating system, intervals and records, from (match log, settings).

One row per participant with every system side by side; `rating`, `ci_lo`, `ci_hi`,
`rank_ub`, `ci_method` and `ci_note` belong to the chosen `settings.system`, whose entry
in `systems.SYSTEMS` names the function that gives them (`fits.py` says what each
system's are: its estimate, its interval, the order of its rows).

Bradley–Terry is fitted under a weak prior worth `settings.prior` virtual games (0 =
plain maximum likelihood; see `bradley_terry`).

Components. When the comparison graph (who debated whom) falls into pieces, nothing in
the data says how one piece compares with another: the prior centres every piece on the
same mean, which would make a cross-piece order an artefact of the prior. So each
component is ranked on its own: rows are grouped by `component` (0 = the one with the
most games), `position` and `rank_ub` count within it, and the warnings say so. The
alternative, one ranking anchored only through the prior, was rejected because it reads
as a comparison the debates never made.

Within a component, established participants come first and provisional ones (fewer
than `min_debates` debates) after them, each group in rating order: one lucky win over
a seasoned participant can lift a newcomer's estimate above it (with an interval that
says how little that means), but it never lists the newcomer above it.

Controls (`settings.controls`, `--control`): the Bradley–Terry board is the controlled
fit of `controlled_board` (style and side covariates taken out, see `style`), each row
keeps its plain rating (`uncontrolled`) and its move against the plain order
(`rank_change`, + = up), and the board lists the coefficients. `settings.ci` =
"sandwich" gives the Bradley–Terry intervals by the clustered sandwich instead of the
bootstrap (with or without controls).

`rank_lo`–`rank_hi` is the row's rank range within its component, from intervals on
rating differences (`rank_ranges`: the bootstrap rounds, or the covariance).

`position` is the row's place in its component's order (1, 2, 3, … down the rows, in
every system); `rank_ub = 1 + #{j in the component : lo_j > hi_i}` is Chatbot Arena's
rank upper bound from the 95 % intervals. A participant with fewer than `min_debates`
debates is kept but marked provisional. Floats keep full precision here; exports round
them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from arena.ratings import bootstrap, bradley_terry, elo, rank_ranges, stats, trueskill_ratings
from arena.ratings.canonical import log_sha256
from arena.ratings.controlled_board import Coefficient, fit_board
from arena.ratings.fits import Fits, SystemFit
from arena.ratings.style import Style
from arena.ratings.systems import SYSTEMS, System
from arena.ratings.types import JudgeVote, MatchLog


@dataclass(frozen=True)
class LeaderboardSettings:
    system: System = "bt"
    k: float = elo.DEFAULT_K
    min_debates: int = 10
    rounds: int = bootstrap.DEFAULT_ROUNDS
    seed: int = bootstrap.DEFAULT_SEED
    anchor: str | None = None  # pin this participant's BT rating at 1000
    category: str | None = None  # only matches of this motion category
    collection: str = "arena"  # recorded only: the caller selects the collection's log
    prior: float = bradley_terry.DEFAULT_PRIOR  # BT prior in virtual games; 0 = maximum likelihood
    controls: tuple[str, ...] = ()  # covariates of a controlled BT fit (style.CONTROLS)
    ci: str = "bootstrap"  # bootstrap | sandwich: how the BT intervals are made


@dataclass
class LeaderboardRow:
    rank_ub: int
    participant: str
    rating: float
    ci_lo: float
    ci_hi: float
    debates: int
    wins: int
    ties: int
    losses: int
    score: float  # (W + T/2) / n
    avg_opponent: float | None  # in the chosen system's rating
    elo: float
    ts_mu: float
    ts_sigma: float
    ts_expose: float
    bt: float
    bt_lo: float
    bt_hi: float
    provisional: bool
    elo_lo: float | None = None  # Elo bootstrap interval, when system == "elo"
    elo_hi: float | None = None
    brier: float | None = None  # calibration of the participant's bets, filled elsewhere
    position: int = 0  # 1, 2, … down the rows of its component
    component: int = 0  # connected component of the comparison graph, 0 = the largest
    ci_method: str = "bootstrap"  # bootstrap | curvature | trueskill
    ci_note: str = ""  # why the interval is not the bootstrap's
    name: str = ""  # display name (arena.toml name), filled by the caller; "" = the id
    win_rate_vs_all: float | None = None  # mean BT P(beat j) over the others of its component
    rank_lo: int = 0  # rank range within the component, from intervals on differences
    rank_hi: int = 0
    uncontrolled: float | None = None  # the plain BT rating, on a controlled board
    rank_change: int | None = None  # plain place − controlled place (+ = moved up), on a controlled board

    @property
    def label(self) -> str:
        """The name people see: `debate.model_names.shown_name`'s rule (its arena.toml name,
        else the id without the implied `model:`), restated here because the rating math
        imports nothing of the project; tests/test_model_names.py holds the two equal."""
        return self.name or self.participant.removeprefix("model:")


@dataclass
class Leaderboard:
    settings: LeaderboardSettings
    rows: list[LeaderboardRow]
    warnings: list[str]
    log_sha256: str
    matches: int
    head_to_head: stats.HeadToHead
    bias: stats.SideBias
    pairs: list[stats.PairCalibration] = field(default_factory=list)  # observed vs BT-predicted
    judges: stats.JudgeStats | None = None
    components: int = 1  # connected components of the comparison graph
    coefficients: list[Coefficient] = field(default_factory=list)  # γ of a controlled board


def select(log: MatchLog, settings: LeaderboardSettings) -> MatchLog:
    """The matches the settings rate: all, or those of `settings.category`."""
    if settings.category is None:
        return list(log)
    return [m for m in log if m.category == settings.category]


def build_leaderboard(
    log: MatchLog,
    settings: LeaderboardSettings | None = None,
    votes: list[JudgeVote] | None = None,
    style: Mapping[str, Style] | None = None,
) -> Leaderboard:
    settings = settings or LeaderboardSettings()
    if settings.system not in SYSTEMS:
        raise ValueError(f"unknown rating system {settings.system!r}")
    rated = select(log, settings)
    warnings: list[str] = []
    selfplay = sum(m.model_a == m.model_b for m in rated)
    if selfplay:
        warnings.append(f"{selfplay} self-matches (a participant against itself) are ignored")

    bt_fit = bradley_terry.fit(rated, anchor=settings.anchor, prior=settings.prior)
    bt_ci = bootstrap.bootstrap_bt(rated, rounds=settings.rounds, seed=settings.seed, full=bt_fit)
    elo_fit = elo.replay(rated, k=settings.k)
    ts_fit = trueskill_ratings.replay(rated)
    warnings += bt_fit.warnings + bt_ci.warnings

    names = list(bt_fit.participants)
    ts = {p: ts_fit.ratings[p] for p in names}
    chosen = SYSTEMS[settings.system].board_fit()(Fits(rated, settings, bt_fit, bt_ci, elo_fit, ts))
    coefficients: list[Coefficient] = []
    if settings.controls or settings.ci == "sandwich":
        if settings.system != "bt":
            raise ValueError("controls and sandwich intervals are for Bradley–Terry (system bt)")
    if (settings.controls or settings.ci == "sandwich") and names:
        cf = fit_board(
            rated,
            style or {},
            settings.controls,
            prior=settings.prior,
            anchor=settings.anchor,
            method=settings.ci,
            rounds=settings.rounds,
            seed=settings.seed,
        )
        chosen = SystemFit(
            cf.rating,
            cf.ci_lo,
            cf.ci_hi,
            sort_key=cf.rating,
            ci_method={p: "curvature" if p in cf.fallback else cf.method for p in names},
            ci_note=dict(cf.fallback),
            warnings=cf.warnings,
            draws=cf.draws,
            cov=cf.cov,
        )
        coefficients = cf.coefficients
    warnings += chosen.warnings
    component = {p: int(c) for p, c in zip(names, bt_fit.component.tolist())}
    rank_lo, rank_hi = ranges_by_component(names, chosen, component)
    plain_place = places_by_component(bt_fit.ratings, component) if settings.controls else {}
    controlled_place = places_by_component(dict(chosen.rating), component) if settings.controls else {}
    rank_ub = bootstrap.rank_upper_bounds_by_group(
        {p: chosen.ci_lo[p] for p in names}, {p: chosen.ci_hi[p] for p in names}, component
    )
    records = stats.participant_stats(rated, ratings=dict(chosen.rating))
    win_rate = average_win_rates(bt_fit.ratings, component)

    rows = []
    place: dict[int, int] = {}
    provisional = {p: records[p].debates < settings.min_debates for p in names}
    for p in sorted(names, key=lambda p: (component[p], provisional[p], -chosen.sort_key[p], p)):
        r = records[p]
        place[component[p]] = place.get(component[p], 0) + 1
        rows.append(
            LeaderboardRow(
                rank_ub=rank_ub[p],
                participant=p,
                rating=chosen.rating[p],
                ci_lo=chosen.ci_lo[p],
                ci_hi=chosen.ci_hi[p],
                debates=r.debates,
                wins=r.wins,
                ties=r.ties,
                losses=r.losses,
                score=r.score,
                avg_opponent=r.avg_opponent,
                elo=elo_fit.ratings[p],
                ts_mu=ts[p].mu,
                ts_sigma=ts[p].sigma,
                ts_expose=trueskill_ratings.expose(ts[p]),
                bt=bt_ci.estimate[p],
                bt_lo=bt_ci.ci_lo[p],
                bt_hi=bt_ci.ci_hi[p],
                provisional=r.debates < settings.min_debates,
                position=place[component[p]],
                component=component[p],
                ci_method=chosen.ci_method[p],
                ci_note=chosen.ci_note.get(p, ""),
                win_rate_vs_all=win_rate.get(p),
                rank_lo=rank_lo[p],
                rank_hi=rank_hi[p],
                uncontrolled=bt_fit.ratings[p] if settings.controls else None,
                rank_change=plain_place[p] - controlled_place[p] if settings.controls else None,
            )
        )
        for column, values in chosen.columns.items():  # the chosen system's own further columns
            setattr(rows[-1], column, values[p])
    return Leaderboard(
        settings=settings,
        rows=rows,
        warnings=list(dict.fromkeys(warnings)),
        log_sha256=log_sha256(rated),
        matches=len(rated) - selfplay,
        head_to_head=stats.head_to_head(rated),
        bias=stats.side_bias(rated),
        pairs=stats.pair_calibration(rated, bt_fit.ratings),
        judges=stats.judge_stats(votes) if votes else None,
        components=len(set(component.values())) if component else 1,
        coefficients=coefficients,
    )


def ranges_by_component(
    names: list[str], chosen: SystemFit, component: dict[str, int]
) -> tuple[dict[str, int], dict[str, int]]:
    """Each participant's rank range within its component (`rank_ranges`)."""
    lo: dict[str, int] = {}
    hi: dict[str, int] = {}
    for c in sorted(set(component.values())):
        idx = [i for i, p in enumerate(names) if component[p] == c]
        estimate = np.array([chosen.rating[names[i]] for i in idx])
        cov = None if chosen.cov is None else chosen.cov[np.ix_(idx, idx)]
        draws = None if chosen.draws is None else chosen.draws[:, idx]
        marginal = np.array([chosen.ci_method.get(names[i]) == "curvature" for i in idx])
        r_lo, r_hi = rank_ranges.rank_ranges(
            estimate,
            cov=cov,
            samples=draws,
            marginal=marginal,
            ci_lo=np.array([chosen.ci_lo[names[i]] for i in idx]),
            ci_hi=np.array([chosen.ci_hi[names[i]] for i in idx]),
        )
        for i, a, b in zip(idx, r_lo.tolist(), r_hi.tolist()):
            lo[names[i]], hi[names[i]] = a, b
    return lo, hi


def places_by_component(ratings: Mapping[str, float], component: dict[str, int]) -> dict[str, int]:
    """1, 2, … by rating within each component."""
    out: dict[str, int] = {}
    for c in set(component.values()):
        members = sorted((p for p in component if component[p] == c), key=lambda p: (-ratings[p], p))
        out.update({p: n for n, p in enumerate(members, start=1)})
    return out


def average_win_rates(ratings: dict[str, float], component: dict[str, int]) -> dict[str, float]:
    """Chatbot Arena's "average win rate against all other models": the mean BT-predicted
    P(i beats j) over every other j of i's component (uniform sampling, no ties)."""
    out: dict[str, float] = {}
    for p, rp in ratings.items():
        others = [q for q in ratings if q != p and component.get(q) == component.get(p)]
        if others:
            out[p] = sum(bradley_terry.win_probability(rp, ratings[q]) for q in others) / len(others)
    return out
