"""The "Judges on public benchmarks" section of the HTML leaderboard: each judge's newest
run of arena judges bench, beside the audit's section (render/audit_html.py)."""

from __future__ import annotations

import html

from arena.audit.bench import BENCH_METRICS
from arena.render.audit_html import breakable, metric_cell
from arena.render.bench_table import AGREEMENT_RULE, BenchColumn


def bench_section(columns: list[BenchColumn]) -> str:
    """One row per judge; empty when no judge was measured."""
    if not columns:
        return ""
    head = "".join(f"<th>{breakable(h)}</th>" for h in (*BENCH_METRICS, "void ballots"))
    rows = [
        f'<tr><td class="name">{breakable(c.judge, "?&")}<br><small>{html.escape(c.source)}</small></td>'
        + "".join(metric_cell(c.metrics.get(name)) for name in BENCH_METRICS)
        + f"<td>{c.void_ballots} of {c.ballots}</td></tr>"
        for c in columns
    ]
    return "\n".join(
        [
            "<h2>Judges on public benchmarks</h2>",
            '<p class="meta">From <code>arena judges bench</code>: the judge picks the better of two responses '
            "to a prompt, in both orders, against the benchmark's human or gold label. p_prefer_first: 0.5 is "
            "fair; p_prefer_longer by characters, pairs of equal length left out.</p>",
            f'<div class="scroll"><table><thead><tr><th class="name">Judge</th>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>",
            f'<p class="meta">{html.escape(AGREEMENT_RULE)}</p>',
        ]
    )
