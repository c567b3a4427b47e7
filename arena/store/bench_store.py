"""The rows of judges measured on public pairwise benchmarks (arena judges bench): a run
stored with its model calls, and the newest run of each judge."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from sqlmodel import col, select

from arena import __version__
from arena.audit.bench import metrics_document, metrics_from_document
from arena.audit.bench_runner import BenchRun
from arena.audit.metrics import Metric
from arena.store import call_log
from arena.store.bench_tables import JudgeBenchRow
from arena.store.store import Store


@dataclass(frozen=True)
class BenchSource:
    """Which file (and which sample of it) a run measured."""

    file_name: str
    file_sha256: str
    shape: str
    records: int
    skipped: dict[str, int]
    seed: int
    limit: int | None


def save_bench(store: Store, run: BenchRun, source: BenchSource) -> str:
    """Store the run and its model calls (under the run "bench:<id>"); returns that run."""
    with store.write_session() as session:
        row = JudgeBenchRow(
            judge_id=run.judge_id,
            judge=run.judge,
            file_name=source.file_name,
            file_sha256=source.file_sha256,
            shape=source.shape,
            records=source.records,
            skipped_json=json.dumps(source.skipped, sort_keys=True),
            pairs=run.counts.pairs,
            seed=source.seed,
            sample_limit=source.limit,
            metrics_json=json.dumps(metrics_document(run.counts.metrics), sort_keys=True),
            ballots=run.counts.ballots,
            void_ballots=run.counts.void_ballots,
            equal_length_pairs=run.counts.equal_length_pairs,
            created_at=time.time(),
            app_version=__version__,
        )
        session.add(row)
        session.flush()  # its id names the run its calls are stored under
        name = f"bench:{row.id}"
        call_log.write_calls(session, run.calls, store.call_log, set(), run=name)
        session.commit()
    return name


def latest_benches(
    store: Store, judge_ids: list[str] | None = None
) -> dict[str, tuple[JudgeBenchRow, dict[str, Metric]]]:
    """The newest bench run of each judge id (of the given ones): the row and its figures."""
    query = select(JudgeBenchRow).order_by(col(JudgeBenchRow.created_at), col(JudgeBenchRow.id))
    if judge_ids is not None:
        query = query.where(col(JudgeBenchRow.judge_id).in_(judge_ids))
    with store.session() as session:
        rows = session.exec(query).all()
    return {r.judge_id: (r, metrics_from_document(json.loads(r.metrics_json))) for r in rows}
