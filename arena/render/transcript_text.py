"""A stored debate as plain text for the terminal (`arena show`): every speech exactly as
written, never interpreted as Markdown or markup (`--format md` is the Markdown)."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from arena.debate.records import SIDE_LABEL, DebateRecord, speech_flags
from arena.literal import literal


def _t(text: object, style: str = "") -> Text:
    return Text(literal(text), style=style)


def shown_as(participant: str, names: dict[str, str] | None) -> str:
    """`alice (model:sim/a~alice-cee791)` for a participant with an arena.toml name, else the id."""
    from arena.debate.model_names import shown_name

    name = (names or {}).get(participant)
    return f"{name} ({participant})" if name else shown_name(participant)


def hanging(mark: str, body: RenderableType, indent: int = 0) -> Table:
    """`mark` then `body`, every wrapped line of the body indented under its first (a
    hanging indent: rich wraps a plain string back to the margin)."""
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(width=indent + len(mark), justify="right", no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(mark, body)
    return grid


def to_renderable(record: DebateRecord, trace: bool = False, names: dict[str, str] | None = None) -> Group:
    parts: list = [
        _t(record.motion.text, "bold"),
        _t(f"Debate {record.id} · format {record.format} · {record.motion.category} · status {record.status}", "dim"),
        _t(f"Proposition: {shown_as(record.pro, names)}"),
        _t(f"Opposition: {shown_as(record.con, names)}"),
        _t(f"Judges: {', '.join(record.judges)}"),
    ]
    if record.rejudge_of:  # a copy by `arena rejudge`: say whose speeches these are
        parts.append(
            _t(
                f"Judged again into collection {record.collection} (arena rejudge): the speeches are those of "
                f"debate {record.rejudge_of} (`arena show {record.rejudge_of}`)",
                "dim",
            )
        )
    bets = {(b.after_speech, b.side): b for b in record.bets}
    for s in record.speeches:
        parts += [
            Rule(_t(f"{SIDE_LABEL[s.side]} {s.stage} (round {s.round})", "bold")),
            _t(s.text),
            _t(f"{s.words} words · {s.tokens_out} tokens · {s.latency_s:.1f}s · {s.model}", "dim"),
        ]
        parts += [_t(f"flagged: {flag}", "yellow") for flag in speech_flags(s, record.warnings)]
        bet = bets.get((s.index, s.side))
        if bet is not None:
            amount = "missing" if bet.amount is None else f"{bet.amount}"
            parts.append(_t(f"Private bet: {amount} — {bet.reasoning}", "dim"))
        if trace and s.trace:
            for n, step in enumerate(s.trace, 1):
                heading = _t(f"{step.role} ({step.model}, {step.tokens_out} tokens): {step.input_summary}", "italic")
                parts.append(hanging(f"{n}.", Group(heading, _t(step.output)), indent=2))
    if record.round_scores:
        parts.append(Rule(_t("Round scores", "bold")))
        parts += [
            _t(f"{r.judge} · round {r.round}: Proposition {r.pro} – Opposition {r.con} · {r.reason}")
            for r in record.round_scores
        ]
    if record.ballots:
        parts.append(Rule(_t("Ballots", "bold")))
        for b in record.ballots:
            if b.void or b.winner is None:
                parts.append(_t(f"{b.judge}: void ({b.error})", "red"))
            else:
                marks = (" · swapped order" if b.swapped else "") + (
                    " · judge is also a debater" if b.self_judged else ""
                )
                parts.append(_t(f"{b.judge}: {SIDE_LABEL[b.winner]}, {b.confidence}% confident{marks} — {b.reasons}"))
    if record.warnings:
        parts.append(Rule(_t("Warnings", "bold")))
        parts += [_t(w, "yellow") for w in record.warnings]
    verdict = record.verdict
    if verdict is not None:
        outcome = "a tie" if verdict.winner == "tie" else f"{SIDE_LABEL[verdict.winner]} wins"
        parts.append(Rule(_t(f"Verdict: {outcome} ({verdict.pro_votes}–{verdict.con_votes})", "bold")))
    elif record.error:
        # The reason in full, wrapped: a rule's title is cut to one line.
        parts += [Rule(_t("Void", "bold red")), _t(record.error, "red")]
    return Group(*parts)
