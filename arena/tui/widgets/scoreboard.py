"""The viewer's side panel: each side's private bets as a line over the debate, and the
judges' round scores as they arrive.

Bets are for the viewer only. When the viewer is also a debater (a person playing), the
opponent's bets stay hidden until the verdict, as the protocol requires."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from arena.debate.records import Bet, RoundScore
from arena.tui.widgets.common import SIDE_SHORT, SIDE_TEXT, ellipsize
from arena.tui.widgets.plot import LinePlot, PlotData, Series


class BetsPanel(Vertical):
    DEFAULT_CSS = """
    BetsPanel { height: auto; }
    BetsPanel > .title { color: $text-muted; text-style: bold; }
    BetsPanel > LinePlot { height: 4; }
    BetsPanel > .values { height: auto; }
    """

    def __init__(self, *, hidden_side: str | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self.bets: list[Bet] = []
        self.stages = 2
        self.hidden_side = hidden_side
        self._ready = False

    def on_mount(self) -> None:
        self._ready = True
        self._redraw()

    def compose(self) -> ComposeResult:
        yield Static("Private bets: confidence to win", classes="title")
        yield LinePlot(PlotData(y_range=(0, 100), y_labels=("100", "0"), empty="no bets yet"))
        yield Static(self._values(), classes="values")

    def set_stages(self, count: int) -> None:
        self.stages = max(2, count)
        self._redraw()

    def add(self, bet: Bet) -> None:
        self.bets.append(bet)
        self._redraw()

    def reveal(self) -> None:
        self.hidden_side = None
        self._redraw()

    def _visible(self, side: str) -> bool:
        return side != self.hidden_side

    def _redraw(self) -> None:
        if not self._ready:
            return
        series = []
        for side in ("pro", "con"):
            points: list[tuple[float, float]] = [
                (b.after_speech, b.amount) for b in self.bets if b.side == side and b.amount is not None
            ]
            if points and self._visible(side):
                series.append(Series(SIDE_SHORT[side], points, SIDE_TEXT[side]))
        # Bets crowd the top half (debaters are sure of themselves): start the axis at 50
        # unless a bet falls below it, so two close lines stay apart.
        lowest = min((y for s in series for _, y in s.points), default=50)
        floor = 0 if lowest < 50 else 50
        self.query_one(LinePlot).set_data(
            PlotData(
                series,
                y_range=(floor, 100),
                x_range=(0, self.stages - 1),
                y_labels=("100", str(floor)),
                empty="no bets yet",
            )
        )
        self.query_one(".values", Static).update(self._values())

    def _values(self) -> Content:
        lines = []
        for side in ("pro", "con"):
            amounts = [b.amount for b in self.bets if b.side == side]
            if not self._visible(side):
                shown = Content.styled(" ".join("??" for _ in amounts) or "—", "$text-muted")
                shown += Content.styled("  hidden until the verdict", "$text-muted italic")
            else:
                shown = Content(" ".join("–" if a is None else str(a) for a in amounts) or "—")
            lines.append(Content.styled(f"{SIDE_SHORT[side]:<4}", f"bold {SIDE_TEXT[side]}") + shown)
        return Content("\n").join(lines)


class RoundScores(Static):
    """Each judge's score of each round, pro – con, with the running totals."""

    DEFAULT_CSS = """
    RoundScores { height: auto; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.scores: list[RoundScore] = []
        self.waiting: set[int] = set()

    def on_mount(self) -> None:
        self.update(self._render_scores())

    def expect(self, round_no: int) -> None:
        self.waiting.add(round_no)
        self.update(self._render_scores())

    def add(self, score: RoundScore) -> None:
        self.scores.append(score)
        self.update(self._render_scores())

    def _render_scores(self) -> Content:
        lines = [Content.styled("Round scores · judges", "bold $text-muted")]
        rounds = sorted({s.round for s in self.scores} | self.waiting)
        if not rounds:
            lines.append(Content.styled("after each round", "$text-muted"))
        multi = len({(s.judge, s.repeat) for s in self.scores}) > 1
        for r in rounds:
            mine = [s for s in self.scores if s.round == r]
            if not mine:
                lines.append(Content.assemble(f"R{r}  ", ("judging…", "$text-warning")))
                continue
            for s in mine:
                judge = ellipsize(s.judge + (f"#{s.repeat + 1}" if s.repeat else ""), 14) if multi else ""
                lines.append(
                    Content.assemble(
                        f"R{r}  ",
                        (f"{s.pro:>2}", f"bold {SIDE_TEXT['pro']}"),
                        " – ",
                        (f"{s.con:<2}", f"bold {SIDE_TEXT['con']}"),
                        (f"  {judge}", "$text-muted"),
                    )
                )
        if self.scores:
            pro, con = sum(s.pro for s in self.scores), sum(s.con for s in self.scores)
            lines.append(
                Content.assemble(
                    "Σ   ", (f"{pro:>2}", f"bold {SIDE_TEXT['pro']}"), " – ", (f"{con:<2}", f"bold {SIDE_TEXT['con']}")
                )
            )
        return Content("\n").join(lines)
