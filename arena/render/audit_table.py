"""The judge audit as a rich table: one row per metric, one column per judge."""

from __future__ import annotations

from rich.markup import escape
from rich.table import Table

from arena.audit.metrics import METRIC_NAMES, PROTOCOL_NAMES, Metric, concern_rule, concerns

HINTS = {
    "swap_flip_rate": "0 is fair",
    "first_position_win_rate": "0.5 is fair",
    "side_bias": "0 is fair",
    "inconsistent_ballot_rate": "0 is fair",
    "injection_flip_rate": "0 is fair",
    "verbosity_flip_rate": "0 is fair",
    "self_preference": "0 is fair",
}


def cell(m: Metric | None) -> str:
    if m is None or m.value is None:
        return "[dim]no data[/]"
    return (
        f"{m.value:+.2f} [dim][{m.ci_lo:+.2f}, {m.ci_hi:+.2f}] n={m.n}[/]"
        if m.ci_lo is not None and m.ci_lo < 0
        else f"{m.value:.2f} [dim][{m.ci_lo:.2f}, {m.ci_hi:.2f}] n={m.n}[/]"
    )


def audit_table(results: list[tuple[str, dict[str, object]]], title: str) -> Table:
    table = Table(title=title, caption=concern_rule(), caption_justify="left")
    table.add_column("metric")
    for judge, _ in results:
        table.add_column(escape(judge))
    for name in METRIC_NAMES:
        table.add_row(f"{name} [dim]({HINTS[name]})[/]", *(cell(m.get(name)) for _, m in results))  # type: ignore[arg-type]
    for protocol in PROTOCOL_NAMES:
        table.add_row(
            f"ground_truth_accuracy · {protocol}",
            *(cell((m.get("ground_truth_accuracy") or {}).get(protocol)) for _, m in results),  # type: ignore[attr-defined]
        )
    table.add_row(
        "[b]concerns[/]",
        *("[red]" + escape("; ".join(c)) + "[/]" if (c := concerns(m)) else "[green]none[/]" for _, m in results),
    )
    return table
