"""What every leaderboard view shares: the interval as text, names shortened in the
middle, the other systems' columns, a component's title, the legend, the settings line.

Used by the exports (`leaderboard_data`, `leaderboard_md`, `leaderboard_html`), the
CLI's table, the app's leaderboard and `render.debate_view`. Imports no numpy, so the
modules that use it load none until a board is computed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from arena.ratings.systems import SYSTEMS

INDICATORS = ("side", "order")  # ratings.style.INDICATORS (not imported here: it loads numpy)
if TYPE_CHECKING:
    from arena.ratings.leaderboard import Leaderboard, LeaderboardRow
    from arena.ratings.stats import Rate


def fmt(x: float | None, places: int = 1) -> str:
    return "" if x is None or not math.isfinite(x) else f"{x:.{places}f}"


def interval_text(row: LeaderboardRow, places: int = 1) -> str:
    """The interval as +x/−y around the estimate; † marks a curvature (Laplace) interval."""
    mark = "†" if row.ci_method == "curvature" else ""
    return f"+{row.ci_hi - row.rating:.{places}f}/−{row.rating - row.ci_lo:.{places}f}{mark}"


def rank_range_text(row: LeaderboardRow) -> str:
    """The row's rank range: `3`, or `2–4` for those that cannot be told apart."""
    if not row.rank_lo:
        return ""
    return str(row.rank_lo) if row.rank_lo == row.rank_hi else f"{row.rank_lo}–{row.rank_hi}"


def rank_change_text(row: LeaderboardRow) -> str:
    """A controlled row's move against the plain order: ↑2, ↓1 or =."""
    if row.rank_change is None:
        return ""
    if row.rank_change == 0:
        return "="
    return f"↑{row.rank_change}" if row.rank_change > 0 else f"↓{-row.rank_change}"


def controlled(lb: Leaderboard) -> bool:
    return bool(lb.settings.controls)


def coefficient_lines(lb: Leaderboard) -> list[str]:
    """Each control's coefficient in words, then on its standardised scale."""
    return [
        f"{c.name}: {c.sentence()}"
        + (
            ""
            if c.name in INDICATORS
            else f"; per standard deviation {c.value:+.1f} Elo ({c.ci_lo:+.1f} to {c.ci_hi:+.1f})"
        )
        for c in lb.coefficients
    ]


def fitted_labels(rows: Sequence[LeaderboardRow], width: int) -> dict[str, str]:
    """Each row's display name (`label`) in `width` characters by the one rule
    (`model_names.fitted_names`: never two alike), by participant id. The terminal table,
    the app's board and the HTML export all name rows through this."""
    from arena.debate.model_names import fitted_names  # loads arena.config: only when a board is drawn

    return dict(zip([r.participant for r in rows], fitted_names([r.label for r in rows], width)))


def ranked_columns(system: str) -> list[tuple[str, str]]:
    """The other systems' estimates shown beside the chosen one (never the chosen one twice),
    as (header, LeaderboardRow field)."""
    return [(s.label, s.column) for s in SYSTEMS.values() if s.column and s.name != system]


def component_title(lb: Leaderboard, component: int) -> str:
    members = sum(1 for r in lb.rows if r.component == component)
    return f"Component {component + 1} of {lb.components} ({members} participant{'s' if members != 1 else ''})"


def notes(lb: Leaderboard) -> list[str]:
    """The legend every format prints under its table."""
    out = [
        "# is the place in the order; UB, the rank upper bound, is 1 + #{j : lo_j > hi_i} "
        "from the 95% intervals" + (", counted within each component" if lb.components > 1 else "") + ".",
    ]
    out.append(
        "Ranks is the rank range from 95% intervals on rating differences"
        + (" (bootstrap rounds)" if lb.settings.ci == "bootstrap" else " (covariance)")
        + ": participants that cannot be told apart share a range."
    )
    if controlled(lb):
        out.append(
            "Controlled for " + ", ".join(lb.settings.controls) + ": the rating is what the judges' verdicts say "
            "with these preferences taken out; plain is the uncontrolled Bradley–Terry rating, Δ# the move "
            "against its order (↑ up)."
        )
    if any(r.ci_method == "curvature" for r in lb.rows):
        out.append("† interval from the curvature of the posterior (Laplace): the bootstrap is degenerate here.")
    if any(r.provisional for r in lb.rows):
        out.append(f"* provisional: fewer than {lb.settings.min_debates} debates.")
    if lb.components > 1:
        out.append(
            f"The comparison graph has {lb.components} disconnected components: each is ranked on its own, "
            "and ratings compare only within a component."
        )
    return out


def has_brier(lb: Leaderboard) -> bool:
    return any(r.brier is not None for r in lb.rows)


def rate_text(rate: Rate) -> str:
    if rate.rate is None:
        return f"no decisive debates ({rate.ties} ties)"
    return (
        f"{100 * rate.rate:.1f}% of {rate.decisive} decisive debates "
        f"(95% Wilson {100 * rate.lo:.1f}–{100 * rate.hi:.1f}%; {rate.ties} ties excluded)"
    )


def settings_line(lb: Leaderboard) -> str:
    s = lb.settings
    parts = [
        f"system {SYSTEMS[s.system].label}",
        f"collection {s.collection}",
        f"category {s.category or 'all'}",
        f"{lb.matches} matches",
        f"bootstrap {s.rounds} rounds, seed {s.seed}",
        (f"Bradley–Terry prior {s.prior:g} virtual games" if s.prior > 0 else "Bradley–Terry maximum likelihood"),
        f"Elo K {s.k:g}",
        f"provisional below {s.min_debates} debates",
    ]
    if s.anchor:
        parts.append(f"anchor {s.anchor} = 1000")
    if s.controls:
        parts.append("controlled for " + ", ".join(s.controls))
    if s.ci == "sandwich":
        parts.append("Bradley–Terry intervals by the sandwich (clustered by debate)")
    return " · ".join(parts)
