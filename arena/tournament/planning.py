"""Sample-size planning for a tournament's dry run: for the planned schedule, each
player's expected interval half-width and the smallest gap it resolves with 80 % power
(`ratings.sample_size` holds the formulas), at the ratings already stored where there
are any, and what a `--target` (a gap, or a half-width) would take."""

from __future__ import annotations

import math
from dataclasses import dataclass

from arena.errors import UsageProblem
from arena.ratings import bradley_terry as bt
from arena.ratings import sample_size as ss
from arena.ratings.types import MatchLog
from arena.tournament import plan as pl
from arena.tournament import schedule as sch

EXAMPLE_TIE_RATE = 0.35  # shown when nothing is stored to measure it


@dataclass(frozen=True)
class Target:
    kind: str  # gap | half-width
    elo: float


def parse_target(text: str) -> Target:
    """`50` (or `50gap`): resolve a 50-Elo gap; `30hw`: a ±30 half-width."""
    raw = text.strip().lower()
    kind = "half-width" if raw.endswith("hw") else "gap"
    number = raw.removesuffix("hw").removesuffix("gap").strip()
    try:
        elo = float(number)
    except ValueError:
        raise UsageProblem(f"--target {text!r}: expected Elo points, e.g. 50 (a gap) or 30hw (a half-width)") from None
    if not (math.isfinite(elo) and elo > 0):
        raise UsageProblem(f"--target {text!r}: must be a positive number of Elo points")
    return Target(kind, elo)


@dataclass(frozen=True)
class Planning:
    players: list[ss.ParticipantPlan]
    rated: int  # players with a stored rating
    tie_rate: float
    tie_rate_debates: int  # stored debates it is measured on (0: an example rate)
    gap: float  # the gap the per-pair figures are for (the target's, else 50)
    per_pair: float  # decisive debates per pair to separate `gap` with 80 % power
    exclude_zero: float  # ... for the expected interval to exclude 0
    target: Target | None
    scale: float | None  # × this plan's debates to reach the target
    planned: int

    def as_dict(self) -> dict:
        return {
            "power": ss.POWER,
            "level": ss.LEVEL,
            "prior_spread_elo": ss.PRIOR_SPREAD_ELO,
            "rated_players": self.rated,
            "tie_rate": round(self.tie_rate, 4),
            "tie_rate_debates": self.tie_rate_debates,
            "gap": self.gap,
            "decisive_per_pair": round(self.per_pair, 1),
            "decisive_per_pair_exclude_zero": round(self.exclude_zero, 1),
            "debates_per_pair": round(self.per_pair * ss.tie_factor(self.tie_rate), 1),
            "target": None if self.target is None else {"kind": self.target.kind, "elo": self.target.elo},
            "scale": None if self.scale is None or not math.isfinite(self.scale) else round(self.scale, 3),
            "players": [
                {
                    "name": p.name,
                    "debates": p.debates,
                    "half_width": round(p.half_width, 1),
                    "resolvable_gap": round(p.resolvable_gap, 1) if math.isfinite(p.resolvable_gap) else None,
                    "rival": p.rival,
                }
                for p in self.players
            ],
        }


def planned_slots(spec: pl.TournamentSpec) -> list[sch.Slot]:
    """The schedule as the dry run sees it (Swiss and adaptive: as if every player were equal)."""
    if spec.schedule == "swiss":
        # Among equal players a Swiss round without repeats is one round of a round-robin, so
        # the circle method's rounds stand in for the pairing search (which took minutes for a
        # long Swiss of a large field); past n-1 rounds they repeat, as Swiss pairs must.
        circle = sch.circle_rounds(spec.players)
        slots: list[sch.Slot] = []
        lean = sch.side_lean([])
        for round_no in range(1, spec.rounds + 1):
            motion = sch.round_motion(spec.motions, round_no)
            for a, b in circle[(round_no - 1) % len(circle)]:
                new = sch.side_slots(a, b, round_no, motion, spec.side_balance, lean)
                lean.update(sch.side_lean(new))
                slots += new
        return slots
    if spec.schedule == "random":
        return sch.random_rounds(spec.players, spec.motions, spec.rounds, spec.seed, spec.side_balance)
    if spec.schedule == "adaptive":
        from arena.tournament.adaptive import simulate_plan

        return simulate_plan(spec.players, spec.motions, pl.planned_total(spec), spec.seed, spec.side_balance)
    return sch.round_robin(spec.players, spec.motions, spec.rounds, spec.side_balance)


def planning(spec: pl.TournamentSpec, log: MatchLog, target: Target | None = None) -> Planning:
    """The planning figures for `spec`, given the stored match log (may be empty)."""
    slots = planned_slots(spec)
    ids = spec.participant_ids
    mine = set(ids.values())
    ratings: dict[str, float] = {}
    if log:
        fit = bt.fit(log)
        ratings = {player: fit.ratings[pid] for player, pid in ids.items() if pid in fit.ratings}
    among = [m for m in log if m.model_a in mine and m.model_b in mine] or list(log)
    tie_rate = sum(m.winner == "tie" for m in among) / len(among) if among else EXAMPLE_TIE_RATE
    tie_rate = min(tie_rate, 0.95)
    # the plan's precision counts the stored tie rate; with none stored, no ties are assumed
    pairs = [(s.pro, s.con) for s in slots]
    assumed_ties = tie_rate if among else 0.0
    plans = ss.plan_precision(spec.players, pairs, ratings, assumed_ties)
    gap = target.elo if target is not None and target.kind == "gap" else 50.0
    scale = None
    if target is not None:
        scale = ss.scale_for(spec.players, pairs, ratings, target.elo, target.kind, assumed_ties)
    return Planning(
        plans,
        len(ratings),
        tie_rate,
        len(among),
        gap,
        ss.decisive_per_pair(gap),
        ss.decisive_per_pair(gap, power=0.5),
        target,
        scale,
        len(slots),
    )


def lines(p: Planning) -> list[str]:
    """The dry run's planning block as plain lines (the caller prints them)."""
    if p.rated == len(p.players):
        where = "as stored"
    elif p.rated:
        where = (
            f"stored for {p.rated} of {len(p.players)} players, a prior spread of {ss.PRIOR_SPREAD_ELO:g} Elo otherwise"
        )
    else:
        where = f"none stored: a prior spread of {ss.PRIOR_SPREAD_ELO:g} Elo"
    out = [f"Sample size (95 % intervals, 80 % power; ratings {where}):"]
    width = max([len(x.name) for x in p.players] + [11])
    out.append(f"  {'participant':<{width}}  debates  ±half-width  resolves a gap of")
    for x in p.players:
        gap = f"≥ {x.resolvable_gap:.0f} Elo vs {x.rival}" if math.isfinite(x.resolvable_gap) else "—"
        out.append(f"  {x.name:<{width}}  {x.debates:>7}  {x.half_width:>10.0f}  {gap}")
    if p.tie_rate_debates:
        ties = f"at the stored tie rate of {100 * p.tie_rate:.0f} % ({p.tie_rate_debates} debates)"
    else:
        ties = f"at a {100 * p.tie_rate:.0f} % tie rate (an example: nothing stored)"
    out.append(
        f"  Separating a {p.gap:g}-Elo gap needs ≈ {p.per_pair:.0f} decisive debates per pair "
        f"(≈ {p.exclude_zero:.0f} to exclude 0); {ties} about {ss.tie_factor(p.tie_rate):.2g}× that."
    )
    if p.target is not None and p.scale is not None:
        what = f"a {p.target.elo:g}-Elo gap" if p.target.kind == "gap" else f"a ±{p.target.elo:g} half-width"
        if not math.isfinite(p.scale):
            out.append(f"  Target {what}: this plan leaves someone unconnected; it cannot reach it.")
        elif p.scale <= 1:
            out.append(f"  Target {what}: this plan reaches it for every player ({p.scale:.2f}× its debates suffice).")
        else:
            out.append(
                f"  Target {what}: ≈ {p.scale:.1f}× this plan's debates (≈ {math.ceil(p.scale * p.planned)} debates "
                "in all) for every player to reach it."
            )
    return out
