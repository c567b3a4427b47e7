"""The kinds of motion, the one list of them: a motion of fact, of value or of policy.

Read by the motion library (`arena.motions`), the `--category` options (leaderboard,
motions, tournament run) and the app's category pickers. A module of its own so the
CLI's options can name them at every start without loading the motion loader.
"""

from typing import Literal, get_args

Category = Literal["fact", "value", "policy"]
CATEGORIES: tuple[Category, ...] = get_args(Category)
