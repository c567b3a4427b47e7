"""The leaderboard use case, below both the CLI and the TUI: a store's match log rated
with the chosen system (arena.ratings, pure), each row's Brier score from the bets of the
very debates it rates, and each participant under its arena.toml name. `arena
leaderboard`, the TUI's leaderboard screen and a tournament's summary all call
`compute_board`, so they show the same figures."""

from __future__ import annotations

from arena.ratings.bradley_terry import DEFAULT_PRIOR
from arena.ratings.leaderboard import Leaderboard, LeaderboardSettings, build_leaderboard
from arena.ratings.style import Style
from arena.ratings.systems import System
from arena.ratings.types import MatchLog
from arena.store.store import Store


def compute_board(
    store: Store,
    *,
    system: System = "bt",
    category: str | None = None,
    collection: str = "arena",
    min_debates: int = 10,
    seed: int = 42,
    rounds: int = 1000,
    k: float = 32.0,
    anchor: str | None = None,
    tournament: str | None = None,
    prior: float | None = None,
    controls: tuple[str, ...] = (),
    ci: str = "bootstrap",
    weight_by_selection: bool = False,
) -> Leaderboard:
    log = store.match_log(
        collection=collection, category=category, tournament=tournament, weight_by_selection=weight_by_selection
    )
    settings = LeaderboardSettings(
        system=system,
        k=k,
        min_debates=min_debates,
        rounds=rounds,
        seed=seed,
        anchor=anchor,
        category=category,
        collection=collection,
        prior=DEFAULT_PRIOR if prior is None else prior,
        controls=tuple(controls),
        ci=ci,
    )
    board = build_leaderboard(log, settings, style=load_style(store, log, collection, controls) if controls else None)
    if weight_by_selection:
        weighted = sum(m.weight != 1.0 for m in log)
        board.warnings.append(
            f"Bradley–Terry weighted by the inverse selection probability of {weighted} adaptively drawn debates"
            if weighted
            else "--weight-by-selection: no debate here was drawn by an adaptive schedule; nothing reweighted"
        )
    add_calibration(store, board, log)
    add_names(store, board)
    board.warnings = list(dict.fromkeys(board.warnings))  # each said once
    return board


def load_style(store: Store, log: MatchLog, collection: str, controls: tuple[str, ...]) -> dict[str, Style]:
    """What the controls are computed from: an imported collection's style columns, or the
    debates' speeches (their text only when evidence or markdown is controlled)."""
    from arena.store.style_query import battle_styles, debate_styles

    if collection != "arena" and store.battle_count(collection):
        return battle_styles(store, collection)
    return debate_styles(store, [m.id for m in log], texts=bool({"evidence", "markdown"} & set(controls)))


def add_names(store: Store, board: Leaderboard) -> None:
    """Show each participant under its arena.toml name, where it has one."""
    from arena.store.queries import display_names

    names = display_names(store, [r.participant for r in board.rows])
    for row in board.rows:
        row.name = names.get(row.participant, "")
    from arena.debate.model_names import shown_name

    # The warnings name participants as the rows do (one display rule); longest id first,
    # since one id may begin another.
    for pid in sorted((r.participant for r in board.rows), key=len, reverse=True):
        board.warnings = [w.replace(pid, shown_name(pid, names)) for w in board.warnings]


def add_calibration(store: Store, board: Leaderboard, log: MatchLog) -> None:
    """Fill each row's Brier score from the bets of the very debates the board rates.

    Imported FastChat battles carry no bets, so their rows keep None (and no column).
    """
    from arena.ratings.confidence import brier_by_participant
    from arena.store.bets_query import bet_rows_for_debates

    if not board.rows:
        return
    rated = {m.id for m in log if board.settings.category is None or m.category == board.settings.category}
    scores = brier_by_participant(bet_rows_for_debates(store, [i for i in rated if i]))
    for row in board.rows:
        row.brier = scores.get(row.participant)
