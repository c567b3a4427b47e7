"""Reports over the store: read the study records, hand them to the pure statistics."""

from __future__ import annotations

import json
from collections.abc import Sequence

from arena.debate.formats import load_format
from arena.errors import UsageProblem
from arena.store import study_query as q
from arena.store import study_tables as st
from arena.store.store import Store
from arena.studies.beliefs import BeliefsReport, Choice, Stand, beliefs_report
from arena.studies.breaking import BreakReport, break_report
from arena.studies.fallacy import FallacyReport, JudgeBallot, Probe, fallacy_report
from arena.studies.order import OrderReport, SpeakingOrder, order_report, speaking_order
from arena.studies.personas import Judgment, PersonaReport, persona_report


def order_from_store(store: Store, collection: str | None = None) -> OrderReport:
    debates = q.order_debates(store, collection)
    orders: dict[str, SpeakingOrder] = {}
    for name in sorted({d.format for d in debates}):
        try:
            orders[name] = speaking_order(load_format(name))
        except UsageProblem:
            continue  # a user format no longer at hand: counted as unknown
    return order_report(debates, orders)


def break_from_store(store: Store, ids: Sequence[str] | None = None) -> BreakReport:
    debates = q.break_debates(store)
    if ids is not None:
        wanted = set(ids)
        debates = [d for d in debates if d.id in wanted]
    return break_report(debates)


def fallacy_from_store(store: Store, run: str | None = None) -> FallacyReport:
    rows = q.study_rows(store, st.FallacyProbe, run)
    ballots = [JudgeBallot(b.judge, b.fallacious_side, b.winner) for b in q.study_rows(store, st.FallacyBallot, run)]
    return fallacy_report(
        [Probe(r.debater, r.mode, r.convinced, r.after is not None, tuple(json.loads(r.fallacies_json))) for r in rows],
        ballots,
    )


def beliefs_from_store(store: Store, run: str | None = None, ids: Sequence[str] | None = None) -> BeliefsReport:
    beliefs = q.study_rows(store, st.PriorBelief)
    if ids is not None:
        wanted = set(ids)
        beliefs = [b for b in beliefs if b.debate_id in wanted]
    winners = q.debate_winners(store, sorted({b.debate_id for b in beliefs}))
    stands = [Stand(b.participant, b.side, b.stance, winners.get(b.debate_id)) for b in beliefs]
    choices = [
        Choice(c.participant, c.prior, c.persona_favours, c.chosen) for c in q.study_rows(store, st.SideChoice, run)
    ]
    return beliefs_report(stands, choices)


def personas_from_store(store: Store, run: str | None = None) -> PersonaReport:
    rows = q.study_rows(store, st.PersonaJudgment, run)
    return persona_report([Judgment(r.judge, r.persona, r.protocol, r.correct, r.answer is not None) for r in rows])
