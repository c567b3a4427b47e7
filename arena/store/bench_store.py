"""The rows of judges measured on public pairwise benchmarks (arena judges bench): a run
started (or an interrupted one found again), its ballots and their model calls stored one
by one as they are decided, the run finished with its figures, and the newest finished run
of each judge."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import col, select

from arena import __version__
from arena.audit.bench import Choice, metrics_document, metrics_from_document
from arena.audit.bench_runner import BallotKey, BenchRun
from arena.audit.metrics import Metric
from arena.debate.call_log import LoggedCall
from arena.store import call_log
from arena.store.bench_tables import JudgeBenchBallot, JudgeBenchRow
from arena.store.call_tables import CallRow
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


def run_name(bench_id: int | None) -> str:
    """The run its calls are stored under (`arena calls bench:ID`)."""
    return f"bench:{bench_id}"


def _row(judge_id: str, judge: str, source: BenchSource, status: str) -> JudgeBenchRow:
    return JudgeBenchRow(
        judge_id=judge_id,
        judge=judge,
        file_name=source.file_name,
        file_sha256=source.file_sha256,
        shape=source.shape,
        records=source.records,
        skipped_json=json.dumps(source.skipped, sort_keys=True),
        seed=source.seed,
        sample_limit=source.limit,
        created_at=time.time(),
        app_version=__version__,
        status=status,
    )


def start_bench(store: Store, judge_id: str, judge: str, source: BenchSource) -> tuple[int, dict[BallotKey, Choice]]:
    """The run to ask this judge's ballots under: an unfinished one of the same judge, file,
    seed and limit (interrupted: it resumes, with the ballots it has), else a new one."""
    with store.write_session() as session:
        found = session.exec(
            select(JudgeBenchRow)
            .where(
                JudgeBenchRow.judge_id == judge_id,
                JudgeBenchRow.file_sha256 == source.file_sha256,
                JudgeBenchRow.seed == source.seed,
                JudgeBenchRow.status == "running",
            )
            .order_by(col(JudgeBenchRow.id).desc())
        ).all()
        row = next((r for r in found if r.sample_limit == source.limit), None)
        if row is None:
            row = _row(judge_id, judge, source, "running")
            session.add(row)
            session.commit()
            session.refresh(row)
            assert row.id is not None
            return row.id, {}
        assert row.id is not None
        ballots = session.exec(select(JudgeBenchBallot).where(JudgeBenchBallot.bench_id == row.id)).all()
    return row.id, {(b.record, b.swapped): b.choice for b in ballots}


def save_ballot(store: Store, bench_id: int, key: BallotKey, choice: Choice | None, calls: list[LoggedCall]) -> None:
    """One decided ballot (a void one is not kept: a resumed run asks it again) and its
    calls, in one transaction."""
    run = run_name(bench_id)
    with store.write_session() as session:
        if choice is not None:
            session.add(JudgeBenchBallot(bench_id=bench_id, record=key[0], swapped=key[1], choice=choice))
        if calls:
            last = session.exec(select(func.max(CallRow.seq)).where(CallRow.run == run)).one()
            call_log.write_calls(session, calls, store.call_log, set(), run=run, first_seq=(last or 0) + 1)
        session.commit()


def finish_bench(store: Store, bench_id: int, run: BenchRun) -> str:
    """The run's figures and counts; it becomes the judge's newest. Returns its run name."""
    with store.write_session() as session:
        row = session.get(JudgeBenchRow, bench_id)
        assert row is not None
        row.pairs = run.counts.pairs
        row.metrics_json = json.dumps(metrics_document(run.counts.metrics), sort_keys=True)
        row.ballots = run.counts.ballots
        row.void_ballots = run.counts.void_ballots
        row.equal_length_pairs = run.counts.equal_length_pairs
        row.created_at = time.time()
        row.status = "done"
        session.add(row)
        session.commit()
    return run_name(bench_id)


def save_bench(store: Store, run: BenchRun, source: BenchSource) -> str:
    """A whole run at once, with its calls (under "bench:<id>"); returns that run name."""
    with store.write_session() as session:
        row = _row(run.judge_id, run.judge, source, "running")
        session.add(row)
        session.flush()  # its id names the run its calls are stored under
        call_log.write_calls(session, run.calls, store.call_log, set(), run=run_name(row.id))
        session.commit()
        bench_id = row.id
    assert bench_id is not None
    return finish_bench(store, bench_id, run)


def latest_benches(
    store: Store, judge_ids: list[str] | None = None
) -> dict[str, tuple[JudgeBenchRow, dict[str, Metric]]]:
    """The newest finished bench run of each judge id (of the given ones): the row and its figures."""
    query = (
        select(JudgeBenchRow)
        .where(JudgeBenchRow.status == "done")
        .order_by(col(JudgeBenchRow.created_at), col(JudgeBenchRow.id))
    )
    if judge_ids is not None:
        query = query.where(col(JudgeBenchRow.judge_id).in_(judge_ids))
    with store.session() as session:
        rows = session.exec(query).all()
    return {r.judge_id: (r, metrics_from_document(json.loads(r.metrics_json))) for r in rows}
