"""What a debate leaves behind: speeches, bets, round scores, ballots and the verdict.

Plain dataclasses. The engine fills them, the store persists them, the CLI and the TUI
render them. Side is always "pro" or "con"; judges are shown "Proposition" and
"Opposition" but records keep the short names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# re-exported: the records speak of these
from arena.debate.call_log import LoggedCall
from arena.debate.options import BetCondition as BetCondition
from arena.debate.options import DebateOptions, Protocol

Side = Literal["pro", "con"]
VerdictWinner = Literal["pro", "con", "tie"]
DebateStatus = Literal["scheduled", "running", "finished", "void"]

SIDE_LABEL: dict[str, str] = {"pro": "Proposition", "con": "Opposition"}


def other_side(side: Side) -> Side:
    return "con" if side == "pro" else "pro"


@dataclass
class AgentStep:
    """One role's turn inside a team's speech (Searcher, Analyzer, Writer, Reviewer)."""

    role: str
    stage: str
    input_summary: str
    output: str
    model: str = ""
    tokens_in: int = 0
    tokens_out: int = 0
    cost: float | None = None
    latency_s: float = 0.0


@dataclass
class Speech:
    index: int  # position in the format's stage order, from 0
    side: Side
    stage: str  # the stage's name, e.g. "pro constructive"
    kind: str  # constructive | rebuttal | summary (or a user format's kind)
    round: int
    text: str
    words: int
    model: str = ""
    tokens_in: int = 0
    tokens_out: int = 0
    cost: float | None = None
    latency_s: float = 0.0
    trace: list[AgentStep] = field(default_factory=list)


def off_side_warning(side: Side, stage: str, round_no: int) -> str:
    """The record's warning for a speech that argued the other side even when asked again."""
    return f"{SIDE_LABEL[side]} {stage} (round {round_no}) argues the other side: kept after one retry"


def speech_flags(speech: Speech, warnings: list[str]) -> list[str]:
    """The record's warnings about one speech (for `arena show`)."""
    return [w for w in warnings if w.startswith(f"{SIDE_LABEL[speech.side]} {speech.stage} (round {speech.round})")]


@dataclass
class Bet:
    """A debater's private confidence of winning, stated after one of its own speeches."""

    after_speech: int
    side: Side
    amount: int | None  # 0-100; None when the debater failed to state one
    reasoning: str = ""  # the private scratchpad; never shown to the opponent or judges
    stage: str = ""  # stage of the speech it follows (opening/rebuttal/closing ...)


@dataclass
class RoundScore:
    judge: str
    round: int
    pro: int  # 1-10
    con: int  # 1-10
    reason: str = ""
    repeat: int = 0


@dataclass
class Ballot:
    judge: str
    winner: Side | None  # None: the ballot is void (the judge never answered usably)
    confidence: int = 0  # 0-100
    scores: dict[str, dict[str, int]] = field(default_factory=dict)  # dimension -> {pro, con}
    reasons: str = ""
    swapped: bool = False
    repeat: int = 0
    self_judged: bool = False  # the judge model is also one of the debaters
    error: str = ""
    inconsistent: bool = False  # the winner contradicts the judge's own dimension scores

    @property
    def void(self) -> bool:
        return self.winner is None


@dataclass
class Verdict:
    winner: VerdictWinner
    pro_votes: int = 0
    con_votes: int = 0
    pro_confidence: int = 0
    con_confidence: int = 0
    void_ballots: int = 0
    swap_disagreements: dict[str, int] = field(default_factory=dict)  # judge -> count


@dataclass
class MotionRef:
    id: str
    text: str
    category: str
    info_slide: str = ""


@dataclass
class DebateRecord:
    """Everything one debate produced, ready to be stored in one transaction."""

    id: str
    motion: MotionRef
    format: str
    pro: str  # participant id
    con: str
    judges: list[str]
    seed: int
    status: DebateStatus = "running"
    speeches: list[Speech] = field(default_factory=list)
    bets: list[Bet] = field(default_factory=list)
    round_scores: list[RoundScore] = field(default_factory=list)
    ballots: list[Ballot] = field(default_factory=list)
    verdict: Verdict | None = None
    error: str = ""
    started_at: float = 0.0
    finished_at: float | None = None
    tournament: str | None = None
    slot: str | None = None
    collection: str = "arena"
    consultant: Side | None = None  # consultancy: the side the consultant was assigned
    # What went wrong short of voiding the debate (void ballots, missing round scores,
    # a judge that is also a debater), in the order it happened.
    warnings: list[str] = field(default_factory=list)
    usage: CallUsage = field(default_factory=lambda: CallUsage())
    broke_after_round: int | None = None  # set when the debate ended early
    rejudge_of: str | None = None  # a re-judging (arena rejudge): the id of the debate judged again
    # The options it was played with, whole: the seed drawn (equal to `seed`) and
    # adaptive_break decided (the format's when none was asked for).
    options: DebateOptions = field(default_factory=DebateOptions)
    # Every model call it made, in the order they finished (the call log: written by the
    # store with the debate, read back apart from it: `store.call_log`).
    calls: list[LoggedCall] = field(default_factory=list, compare=False, repr=False)

    @property
    def condition(self) -> BetCondition:
        return self.options.condition

    @property
    def protocol(self) -> Protocol:
        return self.options.protocol

    @property
    def adaptive_break(self) -> bool:
        """The judges were asked after each round whether it was decided."""
        return bool(self.options.adaptive_break)


@dataclass
class CallUsage:
    """Totals over a debate's model calls, split by what the calls were for."""

    calls: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    cost: float | None = None
    retries: int = 0
    by_purpose: dict[str, dict[str, float | int | None]] = field(default_factory=dict)

    def add(
        self, purpose: str, tokens_in: int, tokens_out: int, cost: float | None, retries: int = 0, calls: int = 1
    ) -> None:
        """`calls` answered gateway calls (a re-asked speech or bet is two), `retries` the
        gateway's retries over them."""
        self.calls += calls
        self.tokens_in += tokens_in
        self.tokens_out += tokens_out
        self.retries += retries
        if cost is not None:
            self.cost = (self.cost or 0.0) + cost
        row = self.by_purpose.setdefault(purpose, {"calls": 0, "tokens_in": 0, "tokens_out": 0, "cost": None})
        row["calls"] = int(row["calls"] or 0) + calls
        row["tokens_in"] = int(row["tokens_in"] or 0) + tokens_in
        row["tokens_out"] = int(row["tokens_out"] or 0) + tokens_out
        if cost is not None:
            row["cost"] = float(row["cost"] or 0.0) + cost
