"""The tables of judges measured on public pairwise benchmarks (arena judges bench).
Listed in migrations.TABLE_MODULES (additive)."""

from __future__ import annotations

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel


class JudgeBenchRow(SQLModel, table=True):
    """One judge on one benchmark file (or a sample of it): its figures, each with its
    interval and count; its model calls are in the call log under the run "bench:<id>"."""

    __tablename__ = "judge_bench"
    id: int | None = Field(default=None, primary_key=True)
    judge_id: str = Field(index=True)
    judge: str
    file_name: str  # the file's name as given (no folder)
    file_sha256: str
    shape: str  # llmbar | judgebench | mtbench | plain
    records: int = 0  # records in the file
    skipped_json: str = "{}"  # label -> records skipped (ties, other labels)
    pairs: int = 0  # items asked (in both orders)
    seed: int = Field(default=0, sa_type=BigInteger)
    sample_limit: int | None = None  # --limit; None: every item
    metrics_json: str = "{}"
    ballots: int = 0
    void_ballots: int = 0
    equal_length_pairs: int = 0  # left out of p_prefer_longer
    created_at: float
    app_version: str = ""
    # "running" while its ballots are asked (kept one by one in judge_bench_ballot, so the
    # same command run again after a crash resumes it); "done" when the figures are in.
    status: str = "done"


class JudgeBenchBallot(SQLModel, table=True):
    """One decided ballot of a bench run: the item (its record number in the file), the
    order it was shown in, and the response the judge chose. Void ballots are not kept
    (a resumed run asks them again)."""

    __tablename__ = "judge_bench_ballot"
    id: int | None = Field(default=None, primary_key=True)
    bench_id: int = Field(foreign_key="judge_bench.id", index=True)
    record: int
    swapped: bool
    choice: str  # "a" | "b"
