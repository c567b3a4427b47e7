"""Help: the keys of every screen, and what the arena does."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

GENERAL = """\
**Debate Arena.** Models, agent teams and people debate curated motions. Judges score
every round and decide; ratings keep Bradley–Terry, Elo and TrueSkill with intervals.
After each of its speeches a debater privately bets how likely it is to win: the
audience sees the bets, the opponent and the judges never do.

**Home**
- `n` new debate: motion, format, sides, judges; watch it live
- `p` play as a human against an agent (your name is asked once)
- `l` leaderboard · `h` history · `t` tournaments · `c` confidence
- `q` quit · `?` this help · `ctrl+p` every command · `ctrl+t` light/dark
"""

SCREENS = {
    "NewDebateScreen": """\
**New debate**
- type in the search box to filter motions; the menu beside it picks a category
- `↑ ↓` pick a motion (its info slide shows below) · `ctrl+r` a random one
- `tab` next field · `enter` opens a menu · `space` toggles a judge
- `ctrl+s` start · `esc` back
""",
    "LiveDebateScreen": """\
**Live debate**
- `x` cancel: the debate is stored as void and counts for no one
- `s` show or hide the bets and round scores
- `↑ ↓ pgup pgdn` scroll · `end` follows the speech again · `esc` back

**Your turn** (when you play): `ctrl+s` delivers (within the word limit), `f2`
enlarges the speeches you can see (the opponent's latest first; `f2` again gives the
room back), `ctrl+↑ ↓` scroll them while you type, `ctrl+x` cancels the debate. When
the countdown ends your speech is delivered as it stands. After each speech you state a private bet (0–100).
""",
    "LeaderboardScreen": """\
**Leaderboard**
- `s` rating system: Bradley–Terry, Elo, TrueSkill · `g` category
- `o` or a click on a header sorts · `r` reverses
- `enter` a participant: rating history, head to head, recent debates
- `x` export: Markdown, CSV, JSON, HTML (as `arena leaderboard --format`)

`#` is the rank's upper bound from the intervals: 1 + the number of participants
whose whole interval lies above this one's. `?` marks a provisional rating.
""",
    "GroupsScreen": """\
**Group discussions**
- `↑ ↓` a group: its metrics (value [95% interval] count), each member's private
  opinions by round as a small plot (1 strongly disagree … 6 strongly agree), every event
- `n` a new group discussion you can take a seat in · `r` reload · `esc` back
""",
    "NewGroupScreen": """\
**New group discussion**
- topic, members (comma-separated; `me` is you), rounds, seed · `ctrl+s` or `enter` starts
- on your turns a form asks for your private opinion (text and 1–6), your public post,
  or an optional direct message, and shows exactly what the other members are shown
""",
    "GroupRunScreen": """\
**Group discussion**
- on your turn: `ctrl+s` hands in · `enter` opens a menu (the slider, a recipient)
  · `PgUp PgDn` scroll what you have seen
- `ctrl+x` cancels the discussion: nothing is stored · `g` the stored group once it ends
""",
    "HistoryScreen": """\
**History**
- `/` search motion, participant or id · `enter` replays the debate with its bets,
  round scores, ballots and (for teams) the trace
""",
}


class HelpScreen(ModalScreen):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close")]

    def __init__(self, context: str = "") -> None:
        super().__init__(classes="dialog")
        self.context = context

    def compose(self) -> ComposeResult:
        specific = SCREENS.get(self.context, "")
        text = (specific + "\n" if specific else "") + GENERAL
        with VerticalScroll(id="help-box"):
            yield Markdown(text)

    def on_mount(self) -> None:
        self.query_one("#help-box").border_title = "Help · esc closes"
        self.query_one("#help-box").focus()
