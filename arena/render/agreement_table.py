"""Agreement between judges (`arena judges agreement`) as rich tables: one row per pair of
judges, the reference judge's short table, and Krippendorff's α with its counts."""

from __future__ import annotations

from collections.abc import Mapping

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.markup import escape
from rich.measure import Measurement
from rich.table import Table

from arena.debate.model_names import fitted_names, in_full, shown_name
from arena.ratings.agreement import AgreementReport, PairAgreement
from arena.ratings.metric import Metric

METHOD = "share: Wilson 95%; κ and α: percentile bootstrap over debates"


def estimate_parts(e: Metric, signed: bool = False) -> tuple[str, str]:
    """The value and its interval as plain text ("0.74", "[0.60, 0.85]"; "" where there is
    none), two places, signed for κ and α; ("n/a", "") when undefined. Every table of
    agreement, the terminal's, the app's and the HTML's, formats them through this."""
    if e.value is None:
        return "n/a", ""
    fmt = "{:+.2f}" if signed else "{:.2f}"
    interval = "" if e.ci_lo is None or e.ci_hi is None else f"[{fmt.format(e.ci_lo)}, {fmt.format(e.ci_hi)}]"
    return fmt.format(e.value), interval


def estimate_text(e: Metric, signed: bool = False) -> str:
    value, interval = estimate_parts(e, signed)
    if e.value is None:
        return f"[dim]{value}[/]"
    return value + (f" [dim]{escape(interval)}[/]" if interval else "")


def _pairs_table(
    pairs: list[PairAgreement], title: str, first: Mapping[str, str], second: Mapping[str, str], both: bool = True
) -> Table:
    """One row per pair (n: the debates both decided; the JSON adds how many agreed).
    `first`, `second`: each judge's name as the first and the second judge column show it.
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
            *([escape(first[p.a])] if both else []),
            escape(second[p.b]),
            str(p.items),
            estimate_text(p.share),
            estimate_text(p.kappa, signed=True),
        )
    return table


MIN_NAME = 8  # a judge's column is never fitted narrower (Rich then folds it)


def _fitted_pairs_table(
    console: Console, options: ConsoleOptions, pairs: list[PairAgreement], title: str, both: bool = True
) -> tuple[Table, dict[str, str]]:
    """The pairs' table in `options.max_width` columns. Where the judges' names do not fit
    whole, each column's are fitted by the project's one display rule
    (model_names.fitted_names: shortened, no two alike) instead of folding mid-word
    (`sim/j2?positi|on_bias=0.3`). Also the names it shortened: shown → in full."""
    judges = list(dict.fromkeys(j for p in pairs for j in ((p.a, p.b) if both else (p.b,))))
    full = {j: shown_name(j) for j in judges}
    # everything but the names: the table with each judge column as wide as its header
    blank = dict.fromkeys(judges, "")
    fixed = Measurement.get(console, options, _pairs_table(pairs, title, blank, blank, both)).maximum
    room = options.max_width - fixed + len("judge") * (2 if both else 1)
    longest_b = max(len(full[p.b]) for p in pairs)
    longest_a = max(len(full[p.a]) for p in pairs) if both else 0
    if longest_a + longest_b <= room:
        return _pairs_table(pairs, title, full, full, both), {}
    width_b = room if not both else max(MIN_NAME, min(longest_b, max(room - room // 2, room - longest_a)))
    width_a = max(MIN_NAME, room - width_b)
    names = [full[j] for j in judges]
    first = dict(zip(judges, fitted_names(names, width_a)))
    second = dict(zip(judges, fitted_names(names, max(MIN_NAME, width_b))))
    shown = [second[p.b] for p in pairs] + ([first[p.a] for p in pairs] if both else [])
    named = [p.b for p in pairs] + ([p.a for p in pairs] if both else [])
    shortened = {text: full[j] for text, j in zip(shown, named) if text != full[j]}
    return _pairs_table(pairs, title, first, second, both), shortened


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


class AgreementView:
    """The agreement tables, α and the notes, fitted when rendered to the width they are
    given (the terminal's, or the app's panel)."""

    def __init__(self, report: AgreementReport, title: str) -> None:
        self.report = report
        self.title = title

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        report = self.report
        table, shortened = _fitted_pairs_table(console, options, report.pairs, escape(self.title))
        yield table
        against = report.against_reference()
        if against:
            title = f"Against the reference {escape(report.reference or '')}"
            table, more = _fitted_pairs_table(console, options, against, title, False)
            shortened |= more
            yield table
        elif report.reference is not None:
            yield f"The reference {escape(report.reference)} decided no debate another judge decided."
        if shortened:
            yield escape(in_full(shortened, "Judges"))
        yield from (escape(line) for line in summary_lines(report))


def agreement_renderable(report: AgreementReport, title: str = "Agreement between judges") -> RenderableType:
    return AgreementView(report, title)
