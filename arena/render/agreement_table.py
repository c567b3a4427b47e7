"""Agreement between judges (`arena judges agreement`) as rich tables: one row per pair of
judges, the reference judge's short table, and Krippendorff's α with its counts."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.markup import escape
from rich.table import Table

from arena.ratings.agreement import AgreementReport, Estimate, PairAgreement

METHOD = "share: Wilson 95%; κ and α: percentile bootstrap over debates"


def estimate_parts(e: Estimate, signed: bool = False) -> tuple[str, str]:
    """The value and its interval as plain text ("0.74", "[0.60, 0.85]"; "" where there is
    none), two places, signed for κ and α; ("n/a", "") when undefined. Every table of
    agreement, the terminal's, the app's and the HTML's, formats them through this."""
    if e.value is None:
        return "n/a", ""
    fmt = "{:+.2f}" if signed else "{:.2f}"
    interval = "" if e.lo is None or e.hi is None else f"[{fmt.format(e.lo)}, {fmt.format(e.hi)}]"
    return fmt.format(e.value), interval


def estimate_text(e: Estimate, signed: bool = False) -> str:
    value, interval = estimate_parts(e, signed)
    if e.value is None:
        return f"[dim]{value}[/]"
    return value + (f" [dim]{escape(interval)}[/]" if interval else "")


def _pairs_table(pairs: list[PairAgreement], title: str, both: bool = True) -> Table:
    """One row per pair (n: the debates both decided; the JSON adds how many agreed).
    `both`: name both judges, else only the second (the reference's table)."""
    table = Table(title=title, title_justify="left")
    if both:
        table.add_column("judge", overflow="fold")
    table.add_column("judge", overflow="fold")
    table.add_column("n", justify="right", no_wrap=True)
    table.add_column("share [95% CI]", justify="right", no_wrap=True)
    table.add_column("Cohen's κ [95% CI]", justify="right", no_wrap=True)
    for p in pairs:
        table.add_row(
            *([escape(p.a)] if both else []),
            escape(p.b),
            str(p.items),
            estimate_text(p.share),
            estimate_text(p.kappa, signed=True),
        )
    return table


def summary_lines(report: AgreementReport) -> list[str]:
    """Plain lines: α with its counts, and what was left out."""
    alpha = report.alpha
    lines = [
        f"Krippendorff's α (nominal) over {alpha.n} debate{'' if alpha.n == 1 else 's'} decided by two judges or more "
        f"({report.alpha_decisions} decisions): "
        + (
            "n/a (no disagreement to expect: every decision named the same side)"
            if alpha.value is None
            else " ".join(part for part in estimate_parts(alpha, signed=True) if part)
        ),
        f"{report.ballots} ballots by {len(report.judges)} judges on {report.items} debates; "
        f"{report.void} void ballots and {report.split} split decisions (a judge's own ballots on a debate "
        "evenly split) left out.",
        f"{METHOD} ({report.resamples} resamples, seed {report.seed}); a re-judged debate counts as its original.",
    ]
    if any(p.kappa.value is None for p in report.pairs):
        lines.append("κ n/a: both judges named one and the same side on every debate they share.")
    return lines


def agreement_renderable(report: AgreementReport, title: str = "Agreement between judges") -> RenderableType:
    parts: list[RenderableType] = [_pairs_table(report.pairs, escape(title))]
    against = report.against_reference()
    if against:
        parts.append(_pairs_table(against, f"Against the reference {escape(report.reference or '')}", False))
    elif report.reference is not None:
        parts.append(f"The reference {escape(report.reference)} decided no debate another judge decided.")
    parts += [escape(line) for line in summary_lines(report)]
    return Group(*parts)
