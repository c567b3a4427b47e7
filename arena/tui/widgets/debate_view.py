"""Everything a debate shows, fed by the engine's events: the motion and format on top, a
stage tracker, the speeches streaming under their sides' colours, the private bets and
round scores beside them, and the verdict with the ballots and rating changes.

The live screen feeds it from a running engine, the replay screen from a stored record,
and the snapshot tests from a scripted list: the view cannot tell them apart."""

from __future__ import annotations

from typing import TYPE_CHECKING, assert_never

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from arena.debate import events as ev
from arena.debate.formats import Format
from arena.debate.records import SIDE_LABEL, DebateRecord
from arena.tui.base import arena_app
from arena.tui.replay import format_of
from arena.tui.widgets.common import SIDE_TEXT, ellipsize
from arena.tui.widgets.scoreboard import BetsPanel, RoundScores
from arena.tui.widgets.speech import SpeechPanel
from arena.tui.widgets.stages import StageTracker
from arena.tui.widgets.verdict import VerdictPanel

if TYPE_CHECKING:
    from arena.tui.data import RatingDelta

NARROW = 100  # below this many columns the side panel moves under the speeches


class DebateView(Vertical):
    DEFAULT_CSS = """
    DebateView { height: 1fr; }
    DebateView > #motion { height: auto; max-height: 5; padding: 0 1; background: $boost; }
    DebateView > StageTracker { padding: 0 1; background: $boost; }
    DebateView > #body { height: 1fr; }
    DebateView #speeches { width: 1fr; padding: 1 1 0 1; }
    DebateView #side { width: 28%; min-width: 36; max-width: 56; padding: 0 1; border-left: vkey $foreground 15%;
                       height: 1fr; }
    DebateView #side > RoundScores { margin-top: 1; }
    DebateView .notice { color: $text-muted; margin: 0 0 1 2; height: auto; }
    DebateView .notice.-warning { color: $text-warning; }
    DebateView .notice.-error { color: $text-error; }
    DebateView.-narrow > #body { layout: vertical; }
    DebateView.-narrow #side { width: 1fr; min-width: 0; max-width: 100%; height: 7; layout: horizontal; border-left: none;
                               border-top: hkey $foreground 15%; }
    DebateView.-narrow #side > BetsPanel { width: 1fr; }
    DebateView.-narrow #side > BetsPanel > LinePlot { height: 3; }
    DebateView.-narrow #side > RoundScores { width: 28; margin: 0 0 0 2; }
    DebateView.-no-side #side { display: none; }
    """

    def __init__(
        self,
        fmt: Format | None = None,
        *,
        human_side: str | None = None,
        bet_notes: bool = False,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.fmt = fmt
        self.human_side = human_side
        self.bet_notes = bet_notes  # replay: each bet and its private reasoning under its speech
        self.record: DebateRecord | None = None
        self.panels: dict[int, SpeechPanel] = {}
        self.spoken: set[int] = set()
        self.ballots = 0
        self.finished = False
        self._verdict: VerdictPanel | None = None
        self._judging: Static | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="motion")
        yield StageTracker(id="stages")
        with Horizontal(id="body"):
            yield VerticalScroll(id="speeches", can_focus=True)
            with Vertical(id="side"):
                yield BetsPanel(hidden_side=self._opponent(), id="bets")
                yield RoundScores(id="scores")

    def on_mount(self) -> None:
        self.query_one("#speeches").anchor()

    def on_resize(self) -> None:
        self.set_class(self.size.width < NARROW, "-narrow")

    def toggle_side(self) -> None:
        self.toggle_class("-no-side")

    def _opponent(self) -> str | None:
        if self.human_side is None:
            return None
        return "con" if self.human_side == "pro" else "pro"

    # -- events --------------------------------------------------------------------

    def apply(self, event: ev.Event) -> None:
        """One engine event into the widgets. `match` over the event union: a new or
        renamed event is a type error here (mypy), not a silently lost handler."""
        match event:
            case ev.DebateStarted():
                self._debate_started(event)
            case ev.SpeechStarted():
                self._speech_started(event)
            case ev.SpeechToken():
                self._speech_token(event)
            case ev.SpeechFinished():
                self._speech_finished(event)
            case ev.BetPlaced():
                self._bet_placed(event)
            case ev.RoundScored():
                self._round_scored(event)
            case ev.BallotCast():
                self._ballot_cast(event)
            case ev.DebateWarning():
                self._debate_warning(event)
            case ev.DebateFinished():
                self._debate_finished(event)
            case ev.DebateError():
                self._debate_error(event)
            case _:
                assert_never(event)

    def _debate_started(self, event: ev.DebateStarted) -> None:
        record = self.record = event.record
        self.fmt = self.fmt or format_of(record.format)
        self.query_one("#motion", Static).update(self._motion_header(record))
        stages = [(s.side, s.name) for s in self.fmt.stages] if self.fmt else []
        self.query_one(StageTracker).set_stages(stages)
        self.query_one(BetsPanel).set_stages(len(stages))

    def _motion_header(self, record: DebateRecord) -> Content:
        motion = Content.styled(record.motion.text, "bold")
        shown = arena_app(self).names
        pro = Content.styled(ellipsize(shown(record.pro), 34), f"bold {SIDE_TEXT['pro']}")
        con = Content.styled(ellipsize(shown(record.con), 34), f"bold {SIDE_TEXT['con']}")
        meta = " · ".join(x for x in (record.motion.category, self.fmt.name if self.fmt else record.format) if x)
        judges = ", ".join(dict.fromkeys(record.judges)) or "—"
        line = Content.assemble(
            pro, (" vs ", "$text-muted"), con, (f"   {meta} · judges: {ellipsize(judges, 40)}", "$text-muted")
        )
        return Content("\n").join([motion, line])

    def _concealed(self, index: int, side: str) -> bool:
        """Would the person debating here be shown a speech their next stage may not see?"""
        if self.human_side is None or side == self.human_side or self.fmt is None:
            return False
        stages = self.fmt.stages
        return any(
            s.side == self.human_side
            and s.index > index
            and s.index not in self.spoken
            and not s.can_see(stages[index])
            for s in stages
        )

    def _speech_started(self, event: ev.SpeechStarted) -> None:
        self._remove_judging()
        stage_name = event.stage.removeprefix(SIDE_LABEL.get(event.side, "")).strip() or event.stage
        panel = SpeechPanel(
            event.index,
            event.side,
            stage_name,
            arena_app(self).names(event.participant),
            event.word_limit,
            concealed=self._concealed(event.index, event.side),
            concealed_note="hidden from you until you have spoken: this stage is blind",
        )
        self.panels[event.index] = panel
        self._speeches.mount(panel, before=self._verdict)
        self.query_one(StageTracker).at_stage(event.index)

    def _speech_token(self, event: ev.SpeechToken) -> None:
        panel = self.panels.get(event.index)
        if panel is not None:
            panel.add_token(event.text)

    def _speech_finished(self, event: ev.SpeechFinished) -> None:
        panel = self.panels.get(event.speech.index)
        if panel is not None:
            panel.finish(event.speech)
        self.spoken.add(event.speech.index)
        if event.speech.side == self.human_side:
            for index, other in self.panels.items():
                if other.concealed and not self._concealed(index, other.side):
                    other.reveal()

    def _bet_placed(self, event: ev.BetPlaced) -> None:
        self.query_one(BetsPanel).add(event.bet)
        if self.bet_notes:
            bet = event.bet
            amount = "no bet stated" if bet.amount is None else f"{bet.amount}%"
            note = Content.assemble(
                (f"{SIDE_LABEL[bet.side]}'s private bet: ", SIDE_TEXT[bet.side]),
                (amount, "bold"),
                (f" — {ellipsize(bet.reasoning, 300)}" if bet.reasoning else "", "italic"),
            )
            self._speeches.mount(Static(note, classes="notice bet-note"), before=self._verdict)
        if self.fmt is not None:
            stage = self.fmt.stages[event.bet.after_speech] if event.bet.after_speech < len(self.fmt.stages) else None
            if stage is not None and stage.index == self.fmt.last_stage_of_round(stage.round):
                self.query_one(RoundScores).expect(stage.round)
            if event.bet.after_speech == len(self.fmt.stages) - 1 and not self.finished:
                self._show_judging()

    def _round_scored(self, event: ev.RoundScored) -> None:
        self.query_one(RoundScores).add(event.score)

    def _ballot_cast(self, event: ev.BallotCast) -> None:
        self.ballots += 1
        if not self.finished:
            self._show_judging()

    def _debate_warning(self, event: ev.DebateWarning) -> None:
        self._notice(f"⚠ {event.message}", "-warning")

    def _debate_finished(self, event: ev.DebateFinished) -> None:
        self.finished = True
        self._remove_judging()
        self.query_one(StageTracker).done()
        self.query_one(BetsPanel).reveal()
        self.verdict_panel().show(event.record, event.verdict)

    def _debate_error(self, event: ev.DebateError) -> None:
        self._stop_speeches()
        self.finished = True
        self._remove_judging()
        self.query_one(StageTracker).fail()
        self.query_one(BetsPanel).reveal()
        self.verdict_panel().show_void(event.message)

    # -- after the engine ----------------------------------------------------------

    def show_ratings(self, record: DebateRecord, changes: dict[str, RatingDelta]) -> None:
        if record.status == "finished":
            self.verdict_panel().show_ratings(record, changes)

    def _stop_speeches(self) -> None:
        for panel in self.panels.values():
            panel.stop()

    def show_cancelled(self) -> None:
        self._stop_speeches()
        self.finished = True
        self._remove_judging()
        self.query_one(StageTracker).fail()
        self.query_one(BetsPanel).reveal()
        self.verdict_panel().show_void("Cancelled: stored as void, no rating changed.")

    def show_failure(self, message: str) -> None:
        self._stop_speeches()
        self.finished = True
        self._remove_judging()
        self.query_one(StageTracker).fail()
        self.verdict_panel().show_void(message)

    # -- helpers -------------------------------------------------------------------

    @property
    def _speeches(self) -> VerticalScroll:
        return self.query_one("#speeches", VerticalScroll)

    def reveal_verdict(self) -> None:
        """Scroll the verdict's headline into view: the view follows the speeches' end, which
        on a short terminal shows the ballots and ratings but not who won."""
        speeches = self._speeches
        speeches.release_anchor()
        # after the layout has settled (the judging notice is removed as the verdict comes)
        self.call_after_refresh(speeches.scroll_to_widget, self.verdict_panel(), top=True, animate=False)

    def verdict_panel(self) -> VerdictPanel:
        if self._verdict is None:
            self._verdict = VerdictPanel(id="verdict")
            self._speeches.mount(self._verdict)
        return self._verdict

    def _show_judging(self) -> None:
        self.query_one(StageTracker).judging()
        text = Content.assemble(
            ("⚖ The judges are deciding…", "$text-warning"),
            (f"  {self.ballots} ballot{'s' * (self.ballots != 1)} in", "$text-muted"),
        )
        if self._judging is None:
            self._judging = Static(text, classes="notice", id="judging")
            self._speeches.mount(self._judging, before=self._verdict)
        else:
            self._judging.update(text)

    def _remove_judging(self) -> None:
        if self._judging is not None:
            self._judging.remove()
            self._judging = None

    def _notice(self, text: str, kind: str = "") -> None:
        self._speeches.mount(Static(text, classes=f"notice {kind}".strip(), markup=False), before=self._verdict)

    @property
    def settled(self) -> bool:
        """Every speech shown as far as it has arrived (tests and snapshots wait for it)."""
        return all(panel.settled for panel in self.panels.values())
