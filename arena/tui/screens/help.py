"""Help: the keys of every screen, and what the arena does."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

GENERAL = """\
# Debate Arena

Models, agent teams and people debate curated motions. Judges score every round and
decide; ratings keep **Bradley–Terry**, **Elo** and **TrueSkill** with intervals. After
each of its speeches a debater privately bets how likely it is to win: the audience sees
the bets, the opponent and the judges never do.

| Key | Home screen |
|---|---|
| `n` | new debate: motion, format, sides, judges |
| `p` | play as a human against an agent |
| `l` | leaderboard |
| `h` | history: replay finished debates |
| `t` | tournaments (live, from the store) |
| `c` | confidence: the debaters' bets |
| `q` | quit |
| `ctrl+p` | command palette (every action, searchable) |
| `ctrl+t` | light / dark theme |
| `?` | this help |
"""

SCREENS = {
    "NewDebateScreen": """\
| Key | New debate |
|---|---|
| type in the search box | filter motions; the category menu narrows further |
| `↑ ↓` | pick a motion (its info slide shows below) |
| `tab` | next field; `enter` opens a menu; `space` toggles a judge |
| `ctrl+r` | a random motion |
| `ctrl+s` | start |
| `esc` | back |
""",
    "LiveDebateScreen": """\
| Key | Live debate |
|---|---|
| `x` | cancel: the debate is stored as void and counts for no one |
| `s` | show or hide the bets and round scores |
| `↑ ↓ pgup pgdn` | scroll; `end` follows the speech again |
| `esc` | back (asks before cancelling a running debate) |

When you play: the editor opens on your turn. `ctrl+s` delivers (within the word
limit), `f2` hides what you can see, `ctrl+x` cancels. When the countdown ends your
speech is delivered as it stands. After each speech you state a private bet (0–100).
""",
    "LeaderboardScreen": """\
| Key | Leaderboard |
|---|---|
| `s` | rating system: Bradley–Terry, Elo, TrueSkill |
| `g` | motion category: all, fact, value, policy |
| `o` / click a header | sort by another column; `r` reverses |
| `enter` | the participant: rating history, head to head, recent debates |
| `x` | export (Markdown, CSV, JSON, HTML) |

`#` is the rank's upper bound from the intervals: 1 + the number of participants whose
whole interval lies above this one's. `?` marks a provisional rating (few debates).
""",
    "HistoryScreen": """\
| Key | History |
|---|---|
| `/` | search motion, participant or id |
| `enter` | replay the debate: transcript, bets, scores, ballots, team traces |
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
