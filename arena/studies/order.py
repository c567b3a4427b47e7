"""Speaking order (from "AI Debaters are More Persuasive when Arguing in Alignment with
Their Own Beliefs": sequential debate favours the second speaker).

For every format: how often the side that speaks first overall wins, how often the side
that speaks last wins, and, from the judges' round scores, how often the side that
speaks last in a round wins that round. Sequential formats (a speaker hears the
opponent's speech of the same round: `quick`, `a4d`) are compared with simultaneous ones
(`ovc`), where "last" is only the order of the transcript."""

from __future__ import annotations

from dataclasses import dataclass, field

from arena.debate.formats import Format
from arena.store.study_query import OrderDebate
from arena.studies.intervals import Estimate, Proportion, difference, proportion


@dataclass(frozen=True)
class SpeakingOrder:
    format: str
    first: str  # side of the first speech
    last: str  # side of the final speech
    round_last: dict[int, str]  # round -> side that speaks last in it
    sequential: bool


def speaking_order(fmt: Format) -> SpeakingOrder:
    round_last: dict[int, str] = {r: fmt.stages[fmt.last_stage_of_round(r)].side for r in fmt.rounds}
    sequential = any(
        later.can_see(earlier)
        for later in fmt.stages
        for earlier in fmt.stages
        if earlier.round == later.round and earlier.side != later.side
    )
    return SpeakingOrder(fmt.name, fmt.stages[0].side, fmt.stages[-1].side, round_last, sequential)


@dataclass(frozen=True)
class FormatOrderStats:
    format: str
    sequential: bool
    debates: int
    ties: int
    first_speaker: Proportion  # decisive debates won by the side that speaks first
    last_speaker: Proportion  # decisive debates won by the side that speaks last
    round_last: Proportion  # round scores (not level) won by the round's last speaker
    collections: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "format": self.format,
            "sequential": self.sequential,
            "debates": self.debates,
            "ties": self.ties,
            "first_speaker": self.first_speaker.as_dict(),
            "last_speaker": self.last_speaker.as_dict(),
            "round_last_speaker": self.round_last.as_dict(),
            "collections": list(self.collections),
        }


@dataclass(frozen=True)
class OrderReport:
    formats: list[FormatOrderStats]
    sequential_last: Proportion
    simultaneous_last: Proportion
    sequential_minus_simultaneous: Estimate  # last-speaker win rate, sequential − simultaneous
    unknown_formats: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "study": "order",
            "formats": [f.as_dict() for f in self.formats],
            "sequential_last_speaker": self.sequential_last.as_dict(),
            "simultaneous_last_speaker": self.simultaneous_last.as_dict(),
            "sequential_minus_simultaneous": self.sequential_minus_simultaneous.as_dict(),
            "unknown_formats": self.unknown_formats,
        }


def order_report(debates: list[OrderDebate], orders: dict[str, SpeakingOrder]) -> OrderReport:
    """`orders` maps a format name to its speaking order; debates in other formats are
    counted under `unknown_formats` and left out."""
    by_format: dict[str, list[OrderDebate]] = {}
    unknown: dict[str, int] = {}
    for d in debates:
        if d.format in orders:
            by_format.setdefault(d.format, []).append(d)
        else:
            unknown[d.format] = unknown.get(d.format, 0) + 1
    stats = [_format_stats(orders[name], rows) for name, rows in sorted(by_format.items())]
    pooled = {True: [0, 0], False: [0, 0]}
    for s in stats:
        pooled[s.sequential][0] += s.last_speaker.successes
        pooled[s.sequential][1] += s.last_speaker.n
    seq, sim = proportion(*pooled[True]), proportion(*pooled[False])
    return OrderReport(stats, seq, sim, difference(seq, sim), unknown)


def _format_stats(order: SpeakingOrder, rows: list[OrderDebate]) -> FormatOrderStats:
    decisive = [d for d in rows if d.winner in ("pro", "con")]
    round_wins = round_n = 0
    for d in rows:
        for round_no, pro, con in d.round_scores:
            if pro == con or round_no not in order.round_last:
                continue
            round_n += 1
            round_wins += ("pro" if pro > con else "con") == order.round_last[round_no]
    return FormatOrderStats(
        format=order.format,
        sequential=order.sequential,
        debates=len(rows),
        ties=len(rows) - len(decisive),
        first_speaker=proportion(sum(d.winner == order.first for d in decisive), len(decisive)),
        last_speaker=proportion(sum(d.winner == order.last for d in decisive), len(decisive)),
        round_last=proportion(round_wins, round_n),
        collections=tuple(sorted({d.collection for d in rows})),
    )
