"""Reports over the store: read the study records, hand them to the pure statistics."""

from __future__ import annotations

from collections.abc import Sequence

from arena.debate.formats import load_format
from arena.errors import UsageProblem
from arena.store.store import Store
from arena.store import study_query as q
from arena.studies.breaking import BreakReport, break_report
from arena.studies.order import OrderReport, SpeakingOrder, order_report, speaking_order


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
