"""QA sets as debates (Cao & Zhao, "Pretraining on the Test Set Is No Longer All You
Need: A Debate-Driven Approach to QA Benchmarks", COLM 2025): pure statistics.

In each debate one debater defends the official answer and the other an alternative;
judges who are not told the answer decide. Per debater: its wins (the study's score; a
debater's debates against itself, a lone debater's, count for the judges only),
its win rate defending the truth and defending the alternative, and its plain accuracy
on the same items answering directly; per judge: how often its ballot named the side
that defended the official answer. Every rate is a Proportion (count, share, 95% Wilson
interval); the gap debate win rate − direct accuracy comes with Newcombe's interval."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from arena.studies.intervals import Estimate, Proportion, difference, proportion


@dataclass(frozen=True)
class QADebate:
    item: str
    truth_debater: str  # defended the official answer
    alternative_debater: str
    winner: str | None  # "truth" | "alternative" | None (a tie or a void verdict)
    ballots: tuple[tuple[str, str | None], ...] = ()  # (judge, "truth" | "alternative" | None)


@dataclass(frozen=True)
class DirectAnswer:
    debater: str
    item: str
    correct: bool | None  # None: no usable answer


# The debater table's columns after the debater's name, as the terminal and the HTML show them.
RATE_COLUMNS = (
    "Debate wins",
    "Defending the official answer",
    "Defending the alternative",
    "Plain accuracy (direct)",
    "Wins − accuracy",
)


@dataclass(frozen=True)
class DebaterRow:
    debater: str
    wins: Proportion  # of its debates, either role
    defending_truth: Proportion
    defending_alternative: Proportion
    direct: Proportion  # plain accuracy, answered on its own
    debate_minus_direct: Estimate

    def rate_texts(self) -> list[str]:
        """Its rates as text (value [95% interval] n), in RATE_COLUMNS' order."""
        rates = (self.wins, self.defending_truth, self.defending_alternative, self.direct, self.debate_minus_direct)
        return [r.text() for r in rates]

    def as_dict(self) -> dict[str, object]:
        return {
            "debater": self.debater,
            "wins": self.wins.as_dict(),
            "win_rate_defending_truth": self.defending_truth.as_dict(),
            "win_rate_defending_alternative": self.defending_alternative.as_dict(),
            "direct_accuracy": self.direct.as_dict(),
            "debate_minus_direct": self.debate_minus_direct.as_dict(),
        }


@dataclass(frozen=True)
class QAReport:
    debaters: list[DebaterRow]  # by wins, most first
    judges: dict[str, Proportion]  # ballots naming the truth's defender
    truth_wins: Proportion  # debates won by the official answer's defender
    debates: int
    undecided: int
    self_debates: int = 0  # a lone debater against itself: the truth's wins and judges only

    def as_dict(self) -> dict[str, object]:
        return {
            "study": "qa",
            "debates": self.debates,
            "undecided": self.undecided,
            "self_debates": self.self_debates,
            "truth_wins": self.truth_wins.as_dict(),
            "debaters": [d.as_dict() for d in self.debaters],
            "judges": {k: v.as_dict() for k, v in self.judges.items()},
        }


def qa_report(debates: Sequence[QADebate], direct: Sequence[DirectAnswer]) -> QAReport:
    names = sorted(
        {d.truth_debater for d in debates} | {d.alternative_debater for d in debates} | {a.debater for a in direct}
    )
    decided = [d for d in debates if d.winner is not None]
    # A debater against itself wins whichever side wins: no evidence about the debater, one
    # about the judges (and the truth's pull), so it counts there only.
    between = [d for d in decided if d.truth_debater != d.alternative_debater]
    rows = []
    for name in names:
        as_truth = [d for d in between if d.truth_debater == name]
        as_alt = [d for d in between if d.alternative_debater == name]
        won_truth = sum(d.winner == "truth" for d in as_truth)
        won_alt = sum(d.winner == "alternative" for d in as_alt)
        wins = proportion(won_truth + won_alt, len(as_truth) + len(as_alt))
        answered = [a for a in direct if a.debater == name and a.correct is not None]
        accuracy = proportion(sum(bool(a.correct) for a in answered), len(answered))
        rows.append(
            DebaterRow(
                name,
                wins,
                proportion(won_truth, len(as_truth)),
                proportion(won_alt, len(as_alt)),
                accuracy,
                difference(wins, accuracy),
            )
        )
    rows.sort(key=lambda r: (-(r.wins.successes), r.debater))
    judges: dict[str, list[bool]] = {}
    for d in debates:
        for judge, picked in d.ballots:
            if picked is not None:
                judges.setdefault(judge, []).append(picked == "truth")
    return QAReport(
        rows,
        {j: proportion(sum(v), len(v)) for j, v in sorted(judges.items())},
        proportion(sum(d.winner == "truth" for d in decided), len(decided)),
        len(debates),
        len(debates) - len(decided),
        sum(d.truth_debater == d.alternative_debater for d in debates),
    )


def qa_runs(store: object) -> list[str]:
    """The stored runs of `arena study qa`, oldest first."""
    from arena.store import study_query as q
    from arena.store.qa_tables import QADirectAnswer
    from arena.store.store import Store

    assert isinstance(store, Store)
    return sorted({r.run for r in q.study_rows(store, QADirectAnswer)})


def qa_from_store(store: object, run: str | None = None) -> QAReport:
    """The report over the stored QA study rows (of one run, or all)."""
    import json

    from arena.store import study_query as q
    from arena.store.qa_tables import QADebateRow, QADirectAnswer
    from arena.store.store import Store

    assert isinstance(store, Store)
    debates = [
        QADebate(
            r.item_id,
            r.truth_debater,
            r.alternative_debater,
            r.winner,
            tuple((str(j), w) for j, w in json.loads(r.ballots_json)),
        )
        for r in q.study_rows(store, QADebateRow, run)
    ]
    direct = [DirectAnswer(r.debater, r.item_id, r.correct) for r in q.study_rows(store, QADirectAnswer, run)]
    return qa_report(debates, direct)
