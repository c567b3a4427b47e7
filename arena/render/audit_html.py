"""The "Judges" section of the HTML leaderboard: every audited judge's latest audit."""

from __future__ import annotations

import html

from arena.audit.metrics import METRIC_NAMES, PROTOCOL_NAMES, Metric, concern_rule, concerns


def metric_cell(m: object) -> str:
    """A rate's table cell: value, [interval] and n (the audit's and the bench's)."""
    if not isinstance(m, Metric) or m.value is None:
        return "<td>n/a</td>"
    return f"<td>{m.value:.2f} <small>[{m.ci_lo:.2f}, {m.ci_hi:.2f}] n={m.n}</small></td>"


def audit_section(audits: list[tuple[str, int, dict[str, object]]]) -> str:
    """(judge, probes of each kind, metrics) per judge; empty when no judge was audited."""
    if not audits:
        return ""
    heads = [*METRIC_NAMES, *(f"accuracy · {p}" for p in PROTOCOL_NAMES), "concerns"]
    rows = []
    for judge, size, metrics in audits:
        accuracy = metrics.get("ground_truth_accuracy") or {}
        cells = [metric_cell(metrics.get(name)) for name in METRIC_NAMES]
        cells += [metric_cell(accuracy.get(p)) for p in PROTOCOL_NAMES]  # type: ignore[attr-defined]
        cells.append(f"<td>{html.escape('; '.join(concerns(metrics)) or 'none')}</td>")
        rows.append(
            f'<tr><td class="name">{html.escape(judge)}<br><small>{size} probes of each kind</small></td>'
            + "".join(cells)
            + "</tr>"
        )
    head = "".join(f"<th>{html.escape(h)}</th>" for h in heads)
    return "\n".join(
        [
            "<h2>Judges: audit</h2>",
            '<p class="meta">From <code>arena judges audit</code>: probe debates judged as written, swapped, '
            "with an injected instruction and padded; mirror debates; motions with a known answer under the "
            "debate, consultancy and direct protocols. Each rate with its Wilson 95% interval and count; fair is "
            "0 (0.5 for first_position_win_rate).</p>",
            f'<div class="scroll"><table><thead><tr><th class="name">Judge</th>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>",
            f'<p class="meta">{html.escape(concern_rule())}</p>',
        ]
    )
