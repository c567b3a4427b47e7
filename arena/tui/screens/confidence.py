"""Do debaters know when they are losing? Each participant's mean private bet by stage,
drawn as bars against the 50 an equal opponent deserves, with the calibration figures
of `arena confidence` (escalation, mutual overestimation, Brier, overconfidence)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, Static

from arena.ratings.confidence_types import ConfidenceReport, ConfidenceSummary
from arena.tui import data
from arena.tui.base import ArenaScreen
from arena.tui.widgets.common import bar, ellipsize

BAR = 24


def fmt(value: float | None, spec: str = ".1f", suffix: str = "") -> str:
    return "—" if value is None else f"{value:{spec}}{suffix}"


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def summary_lines(s: ConfidenceSummary, title: str) -> list[Content]:
    lines = [
        Content.assemble(
            (title, "bold $text-accent"),
            (
                f"  {s.debates} debate{'s' * (s.debates != 1)} · {s.bets} bet{'s' * (s.bets != 1)}"
                + (f" · {s.missing_bets} missing" if s.missing_bets else ""),
                "$text-muted",
            ),
        )
    ]
    for stage, mean in s.mean_bet_by_stage.items():
        if mean is None:
            continue
        style = "$warning" if mean > 50 else "$success"
        lines.append(
            Content.assemble(f"  {ellipsize(stage, 12):<12} ", bar(mean / 100, BAR, style), (f" {mean:5.1f}", "bold"))
        )
    rise = s.escalation
    interval = f" [{rise.ci_lo:+.1f}, {rise.ci_hi:+.1f}]" if rise.ci_lo is not None and rise.ci_hi is not None else ""
    lines.append(
        Content.styled(
            f"  first→last {fmt(rise.mean, '+.1f')}{interval} (p {fmt(rise.p, '.3f')}, n {rise.n})"
            f" · both >75: {pct(s.mutual.gt75)} · sum >100: {pct(s.mutual.sum_over_100)}"
            f" · Brier {fmt(s.brier, '.3f')} · overconfidence "
            f"{fmt(None if s.overconfidence_index is None else 100 * s.overconfidence_index, '+.1f')} points",
            "$text-muted",
        )
    )
    return lines


class ConfidenceScreen(ArenaScreen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="confidence"):
            yield Static(
                Content.styled("Mean private bet by stage · 50 is what an equal opponent deserves", "$text-muted"),
                id="conf-intro",
            )
            yield Static(Content.styled("reading the bets…", "$text-muted"), id="conf-body")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = "Confidence"
        self.watch_store(data.ratings_stamp, self._compute, every=max(2.0, self.arena.poll_s * 2))
        self.query_one("#confidence").focus()

    def _compute(self) -> None:
        names = self.arena.names

        def report(store: data.Store) -> ConfidenceReport | None:
            from arena.ratings.confidence import confidence_report

            rows = data.bet_rows(store)
            found = confidence_report(rows) if rows else None
            if found is not None:
                names.prefetch(store, found.by_participant)
            return found

        self.read(report, self._show, group="confidence")

    def _show(self, report: ConfidenceReport | None) -> None:
        body = self.query_one("#conf-body", Static)
        if report is None or report.overall.bets == 0:
            body.update(
                Content.styled("No bets yet: every finished debate adds each side's private bets.", "$text-muted")
            )
            return
        lines = summary_lines(report.overall, "All debaters")
        if report.human_vs_model:
            for kind, s in report.human_vs_model.items():
                lines += [Content("")] + summary_lines(s, f"All {kind}s")
        shown = self.arena.names
        for pid, s in sorted(report.by_participant.items(), key=lambda kv: shown(kv[0])):
            lines += [Content("")] + summary_lines(s, shown(pid))
        body.update(Content("\n").join(lines))
