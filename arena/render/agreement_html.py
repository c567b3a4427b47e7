"""The "Judges: agreement" section of the HTML leaderboard (`arena judges agreement` for
the board's debates): one row per pair of judges, then Krippendorff's α with its counts."""

from __future__ import annotations

import html

from arena.ratings.agreement import AgreementReport
from arena.ratings.metric import Metric
from arena.render.agreement_table import estimate_parts, summary_lines


def _cell(e: Metric, signed: bool = False) -> str:
    value, interval = estimate_parts(e, signed)
    return f"<td>{value}{f' <small>{interval}</small>' if interval else ''}</td>"


def agreement_section(report: AgreementReport | None, scope: str) -> str:
    """Empty when no two judges decided a common debate."""
    if report is None or not report.pairs:
        return ""
    rows = "".join(
        f'<tr><td class="name">{html.escape(p.a)}</td><td class="name">{html.escape(p.b)}</td>'
        f"<td>{p.items}</td><td>{p.agree}</td>{_cell(p.share)}{_cell(p.kappa, signed=True)}</tr>"
        for p in report.pairs
    )
    heads = "".join(f"<th>{h}</th>" for h in ("debates", "agree", "share agreeing [95%]", "Cohen&#x27;s κ [95%]"))
    return "\n".join(
        [
            "<h2>Judges: agreement</h2>",
            f'<p class="meta">From <code>arena judges agreement</code> on {html.escape(scope)}: judges who decided '
            "the same debates (a re-judged copy counts as its original), each judge's decision the side most of "
            "its ballots named.</p>",
            '<div class="scroll"><table><thead><tr><th class="name">Judge</th><th class="name">Judge</th>'
            f"{heads}</tr></thead><tbody>{rows}</tbody></table></div>",
            *(f'<p class="meta">{html.escape(line)}</p>' for line in summary_lines(report)),
        ]
    )
