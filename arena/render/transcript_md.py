"""A stored debate as a Markdown transcript: speeches, bets, round scores, ballots."""

from __future__ import annotations

from arena.debate.model_names import shown_name
from arena.debate.records import SIDE_LABEL, DebateRecord, speech_flags


def to_markdown(record: DebateRecord, trace: bool = False, names: dict[str, str] | None = None) -> str:
    def who(participant: str) -> str:
        name = (names or {}).get(participant)
        return f"{name} (`{participant}`)" if name else f"`{shown_name(participant)}`"

    lines = [
        f"# {record.motion.text}",
        "",
        f"- Debate `{record.id}` · format `{record.format}` · {record.motion.category} · status {record.status}",
        f"- Proposition: {who(record.pro)}",
        f"- Opposition: {who(record.con)}",
        f"- Judges: {', '.join(record.judges)}",
        "",
    ]
    bets = {(b.after_speech, b.side): b for b in record.bets}
    for s in record.speeches:
        lines += [
            f"## {SIDE_LABEL[s.side]} {s.stage} (round {s.round})",
            "",
            s.text,
            "",
            f"*{s.words} words · {s.tokens_out} tokens · {s.latency_s:.1f}s · {s.model}*",
        ]
        lines += [f"**Flagged:** {flag}" for flag in speech_flags(s, record.warnings)]
        bet = bets.get((s.index, s.side))
        if bet is not None:
            amount = "missing" if bet.amount is None else f"{bet.amount}"
            lines.append(f"*Private bet: {amount}* — {bet.reasoning}")
        if trace and s.trace:
            lines += ["", "<details><summary>Team trace</summary>", ""]
            for n, step in enumerate(s.trace, 1):
                lines += [
                    f"{n}. **{step.role}** ({step.model}, {step.tokens_out} tokens): {step.input_summary}",
                    "",
                    "   " + step.output.replace("\n", "\n   "),
                    "",
                ]
            lines += ["</details>"]
        lines.append("")
    if record.round_scores:
        lines += [
            "## Round scores",
            "",
            "| judge | round | Proposition | Opposition | reason |",
            "|---|---|---|---|---|",
        ]
        lines += [f"| {r.judge} | {r.round} | {r.pro} | {r.con} | {r.reason} |" for r in record.round_scores]
        lines.append("")
    if record.ballots:
        lines += ["## Ballots", ""]
        for b in record.ballots:
            if b.winner is None:  # a void ballot
                lines.append(f"- {b.judge}: void ({b.error})")
            else:
                marks = (" · swapped order" if b.swapped else "") + (
                    " · judge is also a debater" if b.self_judged else ""
                )
                lines.append(f"- {b.judge}: **{SIDE_LABEL[b.winner]}**, {b.confidence}% confident{marks} — {b.reasons}")
        lines.append("")
    verdict = record.verdict
    if verdict is not None:
        outcome = "a tie" if verdict.winner == "tie" else f"{SIDE_LABEL[verdict.winner]} wins"
        lines += [f"## Verdict: {outcome} ({verdict.pro_votes}–{verdict.con_votes})", ""]
    elif record.error:
        lines += [f"## Void: {record.error}", ""]
    return "\n".join(lines)
