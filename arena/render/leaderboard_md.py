"""The leaderboard as Markdown: settings, warnings, one table per component, the
legend, side bias and the judges. Every piece of text is escaped (`md_escape`)."""

from __future__ import annotations

import re

from arena.ratings.leaderboard import Leaderboard, LeaderboardRow
from arena.ratings.systems import SYSTEMS
from arena.render.leaderboard_text import (
    coefficient_lines,
    component_title,
    controlled,
    fmt,
    has_brier,
    interval_text,
    notes,
    rank_change_text,
    rank_range_text,
    ranked_columns,
    rate_text,
    settings_line,
)

# Characters that start Markdown anywhere in a line: escapes, code, emphasis, links,
# HTML, table cells, strikethrough, entities. `_` only counts at a word's edge, `!` only
# before a link; `#`, `+`, `-`, `>`, `=` and "1." only at the start of a line.
_INLINE = set("\\`*[]<|~&")
_LINE_START = re.compile(r"^(?:[#+\-=>]|(?P<number>\d+)(?=[.)](?:\s|$)))")


def md_escape(text: str) -> str:
    """Backslash-escape what Markdown would read as markup (and flatten newlines) in a
    line or table cell, and nothing else: `1 + #{j : lo_j > hi_i}` stays as written."""
    flat = " ".join(text.split())
    out = []
    for i, ch in enumerate(flat):
        before = flat[i - 1] if i else " "
        after = flat[i + 1] if i + 1 < len(flat) else " "
        word_edge = ch == "_" and not (before.isalnum() and after.isalnum())
        if ch in _INLINE or word_edge or (ch == "!" and after == "["):
            out.append("\\")
        out.append(ch)
    escaped = "".join(out)
    start = _LINE_START.match(escaped)
    if start is None:
        return escaped
    if start["number"]:  # "1." → "1\." (a digit cannot be escaped, its dot can)
        return escaped[: start.end()] + "\\" + escaped[start.end() :]
    return "\\" + escaped


def _md_table(lb: Leaderboard, rows: list[LeaderboardRow]) -> list[str]:
    brier = has_brier(lb)
    others = ranked_columns(lb.settings.system)
    rating_head = SYSTEMS[lb.settings.system].label + (" controlled" if controlled(lb) else "")
    head = ["#", "Ranks", "Rank UB", "Participant", rating_head, "95% CI", "Debates", "W–T–L",
            "Score", "Avg opp."] + [label for label, _ in others] + ["TrueSkill μ±σ"]  # fmt: skip
    if controlled(lb):
        head[6:6] = ["Plain", "Δ#"]
    if brier:
        head.append("Brier")
    lines = [
        "| " + " | ".join(head) + " |",
        "|" + "|".join(["---:", "---:", "---:", ":---"] + ["---:"] * (len(head) - 4)) + "|",
    ]
    for r in rows:
        name = md_escape(r.label)
        if r.name and r.name != r.participant:
            name += f" ({md_escape(r.participant)})"
        name += " \\*" if r.provisional else ""
        cells = [
            str(r.position), rank_range_text(r), str(r.rank_ub), name, fmt(r.rating), interval_text(r), str(r.debates),
            f"{r.wins}–{r.ties}–{r.losses}", f"{100 * r.score:.1f}%", fmt(r.avg_opponent),
        ] + [fmt(getattr(r, column)) for _, column in others] + [f"{r.ts_mu:.2f}±{r.ts_sigma:.2f}"]  # fmt: skip
        if controlled(lb):
            cells[6:6] = [fmt(r.uncontrolled), rank_change_text(r)]
        if brier:
            cells.append(fmt(r.brier, 4))
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def to_markdown(lb: Leaderboard) -> str:
    lines = [
        "# Leaderboard",
        "",
        md_escape(settings_line(lb)),
        "",
        f"Log SHA-256: `{lb.log_sha256}`",
    ]
    if lb.warnings:
        lines += ["", "## Warnings", ""] + [f"- {md_escape(w)}" for w in lb.warnings]
    for c in sorted({r.component for r in lb.rows}):
        if lb.components > 1:
            lines += ["", f"## {component_title(lb, c)}"]
        lines += [""] + _md_table(lb, [r for r in lb.rows if r.component == c])
    for note in notes(lb):
        lines += ["", md_escape(note)]
    if lb.coefficients:
        lines += ["", "## Controls", ""] + [f"- {md_escape(c)}" for c in coefficient_lines(lb)]
    lines += [
        "",
        "## Side bias",
        "",
        f"- Proposition wins: {rate_text(lb.bias.proposition)}",
        f"- First speaker wins: {rate_text(lb.bias.first_speaker)}",
    ]
    if lb.judges is not None:
        kappa = fmt(lb.judges.fleiss_kappa, 3) or "n/a"
        lines += ["", "## Judges", "", f"Fleiss' κ {kappa} over {lb.judges.kappa_debates} debates", ""]
        lines += ["| Judge | Ballots | Agreement with panel | Swap consistency |", "|:---|---:|---:|---:|"]
        for j in lb.judges.judges:
            agree = f"{100 * j.agreement:.1f}% of {j.agreement_n}" if j.agreement is not None else "n/a"
            swap = f"{100 * j.swap_consistency:.1f}% of {j.swap_n}" if j.swap_consistency is not None else "n/a"
            lines.append(f"| {md_escape(j.judge)} | {j.ballots} | {agree} | {swap} |")
    return "\n".join(lines) + "\n"
