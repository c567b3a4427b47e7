"""Adaptive break (Multi-Agent Debate, "Encouraging Divergent Thinking in Large Language
Models through Multi-Agent Debate"): after each round the judges are asked whether the
debate is decided; a majority "yes" ends it with their verdict.

Reported: the share of adaptive debates that broke early (and after which round), the
model calls and cost saved against the same debate replayed to the end with the same
seed, and how often the early verdict agrees with the replay's."""

from __future__ import annotations

from dataclasses import dataclass

from arena.store.study_query import BreakDebate
from arena.studies.intervals import Mean, Proportion, mean_with_interval, proportion


@dataclass(frozen=True)
class BreakReport:
    debates: int
    broke_early: Proportion
    after_round: dict[int, int]
    replayed: int
    calls_saved: Mean  # per replayed debate
    calls_saved_share: float | None  # saved calls ÷ the replays' calls
    cost_saved: Mean  # USD per replayed debate with known cost
    agreement: Proportion  # early verdicts equal to the replay's verdict

    def as_dict(self) -> dict[str, object]:
        return {
            "study": "break",
            "debates": self.debates,
            "broke_early": self.broke_early.as_dict(),
            "after_round": {str(k): v for k, v in sorted(self.after_round.items())},
            "replayed": self.replayed,
            "calls_saved": self.calls_saved.as_dict(),
            "calls_saved_share": self.calls_saved_share,
            "cost_saved_usd": self.cost_saved.as_dict(),
            "early_agreement": self.agreement.as_dict(),
        }


def break_report(debates: list[BreakDebate]) -> BreakReport:
    broke = [d for d in debates if d.broke_after_round is not None]
    after: dict[int, int] = {}
    for d in broke:
        if d.broke_after_round is not None:  # as `broke` says; restated for the type checker
            after[d.broke_after_round] = after.get(d.broke_after_round, 0) + 1
    replayed = [d for d in debates if d.replay_calls is not None]
    saved = [float(d.replay_calls - d.calls) for d in replayed]  # type: ignore[operator]
    replay_calls = sum(d.replay_calls or 0 for d in replayed)
    costs = [d.replay_cost - d.cost for d in replayed if d.replay_cost is not None and d.cost is not None]
    compared = [d for d in broke if d.replay_winner is not None and d.winner is not None]
    return BreakReport(
        debates=len(debates),
        broke_early=proportion(len(broke), len(debates)),
        after_round=after,
        replayed=len(replayed),
        calls_saved=mean_with_interval(saved),
        calls_saved_share=sum(saved) / replay_calls if replay_calls else None,
        cost_saved=mean_with_interval(costs),
        agreement=proportion(sum(d.winner == d.replay_winner for d in compared), len(compared)),
    )
