"""Judges on public pairwise benchmarks (arena judges bench) as a rich table: one row per
figure, one column per judge; shown after the run, beside the audit (arena judges audit,
the app's judge screen) and, as HTML, in the leaderboard export (render/bench_html.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from rich.markup import escape
from rich.table import Table

from arena.audit.bench import BENCH_HINTS, BENCH_METRICS, SHAPE_NAMES
from arena.audit.metrics import Metric
from arena.render.audit_table import cell
from arena.store.bench_tables import JudgeBenchRow

AGREEMENT_RULE = (
    "human_agreement: share of ballots naming the labelled better response over both orders (a pair "
    "decided differently in the two orders counts one half, as AlpacaEval averages the orders); "
    "value [Wilson 95% interval] n"
)


@dataclass(frozen=True)
class BenchColumn:
    judge: str
    source: str  # e.g. "dataset.json (LLMBar) · 40 of 100 · seed 1"
    pairs: int
    ballots: int
    void_ballots: int
    equal_length_pairs: int
    metrics: dict[str, Metric]


def source_text(file_name: str, shape_name: str, pairs: int, records: int, seed: int, sampled: bool) -> str:
    """Which file and how much of it; "drawn with seed S" only when --limit left items out."""
    sample = f"{pairs} items drawn with seed {seed}" if sampled else f"{pairs} items"
    return f"{file_name} ({shape_name}) · {sample} · {records} records in the file"


def bench_table(columns: list[BenchColumn], title: str) -> Table:
    table = Table(title=title, caption=AGREEMENT_RULE, caption_justify="left")
    table.add_column("figure")
    for c in columns:
        table.add_column(escape(c.judge))
    table.add_row("[dim]benchmark[/]", *(f"[dim]{escape(c.source)}[/]" for c in columns))
    for name in BENCH_METRICS:
        table.add_row(f"{name} [dim]({BENCH_HINTS[name]})[/]", *(cell(c.metrics.get(name)) for c in columns))
    table.add_row("void ballots", *(f"{c.void_ballots} of {c.ballots}" for c in columns))
    table.add_row(
        "[dim]pairs of equal length (not in p_prefer_longer)[/]", *(str(c.equal_length_pairs) for c in columns)
    )
    return table


def stored_columns(found: list[tuple[JudgeBenchRow, dict[str, Metric]]]) -> list[BenchColumn]:
    """Stored runs (store.bench_store.latest_benches) as columns, by judge name."""
    return [
        BenchColumn(
            row.judge,
            source_text(
                row.file_name,
                SHAPE_NAMES.get(row.shape, row.shape),
                row.pairs,
                row.records,
                row.seed,
                row.sample_limit is not None
                and row.sample_limit < row.records - sum(json.loads(row.skipped_json or "{}").values()),
            ),
            row.pairs,
            row.ballots,
            row.void_ballots,
            row.equal_length_pairs,
            metrics,
        )
        for row, metrics in sorted(found, key=lambda f: f[0].judge)
    ]
