"""The "Judges" section of the HTML leaderboard: every audited judge's latest audit."""

from __future__ import annotations

import html

from arena.audit.metrics import METRIC_NAMES, PROTOCOL_NAMES, Metric, concern_rule, concerns


def breakable(text: str, after: str = "_?&") -> str:
    """`text` escaped, with a line break allowed after each of `after`'s characters: a metric's
    name (`human_agreement_as_given`) or a judge's options (`sim/j?accuracy=0.8&position_bias=0.3`,
    with after="?&") wrap where they read well instead of at any letter or not at all."""
    escaped = html.escape(text)
    for mark in after:
        escaped = escaped.replace(html.escape(mark), html.escape(mark) + "<wbr>")
    return escaped


def metric_cell(m: object) -> str:
    """A rate's table cell: value, then [interval] and n under it (the audit's and the bench's)."""
    if not isinstance(m, Metric) or m.value is None:
        return "<td>n/a</td>"
    # the interval and the count under the value: eleven columns of "0.20 [0.08, 0.42] n=20" on
    # one line each made the table scroll sideways at 1200 px
    return f"<td>{m.value:.2f}<br><small>[{m.ci_lo:.2f}, {m.ci_hi:.2f}]<br>n={m.n}</small></td>"


def audit_section(audits: list[tuple[str, int, dict[str, object]]]) -> str:
    """(judge, probes of each kind, metrics) per judge; empty when no judge was audited."""
    if not audits:
        return ""
    heads = [*METRIC_NAMES, *(f"accuracy · {p}" for p in PROTOCOL_NAMES)]
    rows = []
    for judge, size, metrics in audits:
        accuracy = metrics.get("ground_truth_accuracy") or {}
        cells = [metric_cell(metrics.get(name)) for name in METRIC_NAMES]
        cells += [metric_cell(accuracy.get(p)) for p in PROTOCOL_NAMES]  # type: ignore[attr-defined]
        # the concerns under the judge's name (which wraps): as a column of their own they
        # pushed the table past 1200 px
        worries = html.escape("; ".join(concerns(metrics)) or "none")
        rows.append(
            f'<tr><td class="name">{breakable(judge, "?&")}<br><small>{size} probes of each kind · '
            f"concerns: {worries}</small></td>" + "".join(cells) + "</tr>"
        )
    head = "".join(f"<th>{breakable(h)}</th>" for h in heads)
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
