"""The leaderboard as one self-contained HTML page, with its SVG charts (the ratings
with their intervals, average win rates, head to head, debates per pair).

Deterministic, like every export. The page has no script and fetches nothing: inline
CSS, inline SVG drawn below, and every piece of text passed through `html.escape`.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Iterable, Sequence

from arena.ratings.leaderboard import Leaderboard, LeaderboardRow
from arena.ratings.systems import SYSTEMS
from arena.render.audit_html import breakable
from arena.render.leaderboard_text import (
    coefficient_lines,
    component_title,
    controlled,
    fitted_labels,
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

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1100px;
padding:0 1rem;color:#1d2330;background:#fff}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem}
.meta{color:#5b6475;font-size:.9rem}.sha{font-family:ui-monospace,monospace;font-size:.8rem;word-break:break-all}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
th,td{padding:.3rem .35rem;border-bottom:1px solid #e3e6ec;text-align:right;white-space:nowrap}
th{background:#f4f6f9;font-weight:600;white-space:normal;vertical-align:bottom}td.name,th.name{text-align:left}
td.name{white-space:normal;overflow-wrap:anywhere;min-width:7rem}
.scroll{overflow-x:auto}tr.group th{text-align:left;background:#e9eef7}
td.name{position:sticky;left:0;background:#fff}
@media (max-width:600px){body{margin:1rem auto;padding:0 .5rem}th,td{padding:.25rem .35rem}
.scroll svg{max-width:none}}
tr.prov td{color:#7b8394}.tag{font-size:.75rem;background:#fff3cd;color:#7a5b00;border-radius:3px;padding:0 .3rem}
.warn{background:#fff8e6;border-left:4px solid #e0a100;padding:.5rem 1rem}
svg{max-width:100%;height:auto;font:12px system-ui,sans-serif}
footer{margin-top:2rem;color:#7b8394;font-size:.8rem}
""".strip()


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _name_html(r: LeaderboardRow, shown: str) -> str:
    """The display name as fitted, with the full name and id in a tooltip."""
    full = r.label if r.label == r.participant else f"{r.label} = {r.participant}"
    # a line may break after / @ : ? & (team:a4d@local/smollm2), not inside a word
    return f'<span title="{_e(full)}">{breakable(shown, "/@:?&")}</span>'


def _nice_ticks(lo: float, hi: float, target: int = 6) -> list[float]:
    span = max(hi - lo, 1e-9)
    raw = span / target
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.ceil(lo / step) * step
    ticks = []
    x = first
    while x <= hi + 1e-9:
        ticks.append(round(x, 10))
        x += step
    return ticks


CLIP = 600.0  # Elo points beyond the extreme estimates that the interval plot shows


def _interval_plot(rows: list[LeaderboardRow], system: str) -> str:
    if not rows:
        return ""
    left, right, top, row_h = 210, 30, 30, 24
    width = 760
    plot_w = width - left - right
    height = top + row_h * len(rows) + 30
    # The axis spans the estimates plus at most CLIP points either side: one huge interval
    # (a tiny record under plain ML) runs off the edge, marked with an arrow, instead of
    # squashing everyone else's.
    est_lo, est_hi = min(r.rating for r in rows), max(r.rating for r in rows)
    lo = max(min(r.ci_lo for r in rows), est_lo - CLIP)
    hi = min(max(r.ci_hi for r in rows), est_hi + CLIP)
    pad = max((hi - lo) * 0.05, 1.0)
    lo, hi = lo - pad, hi + pad

    def x(v: float) -> str:
        v = min(max(v, lo), hi)
        return f"{left + (v - lo) / (hi - lo) * plot_w:.1f}"

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{_e(SYSTEMS[system].label)} ratings with 95% intervals">'
    ]
    for t in _nice_ticks(lo, hi):
        out.append(
            f'<line x1="{x(t)}" y1="{top - 8}" x2="{x(t)}" y2="{height - 24}" stroke="#e3e6ec"/>'
            f'<text x="{x(t)}" y="{height - 8}" text-anchor="middle" fill="#5b6475">{t:g}</text>'
        )
    shown = fitted_labels(rows, 28)
    for i, r in enumerate(rows):
        y = top + i * row_h + row_h / 2
        colour = "#9aa3b2" if r.provisional else "#2b5fb8"
        tip = f"{r.label}: {r.rating:.1f} ({interval_text(r)})" + (f" · {r.ci_note}" if r.ci_note else "")
        out.append(
            f"<g><title>{_e(tip)}</title>"
            f'<text x="{left - 10}" y="{y + 4:.1f}" text-anchor="end">{_e(shown[r.participant])}</text>'
            f'<line x1="{x(r.ci_lo)}" y1="{y:.1f}" x2="{x(r.ci_hi)}" y2="{y:.1f}" stroke="{colour}" stroke-width="2"/>'
            f'<line x1="{x(r.ci_lo)}" y1="{y - 5:.1f}" x2="{x(r.ci_lo)}" y2="{y + 5:.1f}" stroke="{colour}" stroke-width="2"/>'
            f'<line x1="{x(r.ci_hi)}" y1="{y - 5:.1f}" x2="{x(r.ci_hi)}" y2="{y + 5:.1f}" stroke="{colour}" stroke-width="2"/>'
            f'<circle cx="{x(r.rating)}" cy="{y:.1f}" r="4.5" fill="{colour}"/></g>'
        )
    out.append("</svg>")
    return "".join(out)


def _score_colour(score: float) -> str:
    """Red (0) through white (½) to blue (1)."""
    if score < 0.5:
        t = score / 0.5
        r, g, b = 214 + (255 - 214) * t, 69 + (255 - 69) * t, 65 + (255 - 65) * t
    else:
        t = (score - 0.5) / 0.5
        r, g, b = 255 + (43 - 255) * t, 255 + (95 - 255) * t, 255 + (184 - 255) * t
    return f"#{round(r):02x}{round(g):02x}{round(b):02x}"


def _matrix(
    lb: Leaderboard, cell_of: Callable[[LeaderboardRow, LeaderboardRow], tuple[str, str, str]], label: str
) -> str:
    """A participants × participants SVG grid; `cell_of(a, b)` gives (fill, text, tooltip)."""
    rows = lb.rows
    if len(rows) < 2:
        return ""
    cell = max(14, min(40, 640 // len(rows)))
    left, top = 210, 160
    size_w, size_h = left + cell * len(rows) + 130, top + cell * len(rows) + 20  # room for slanted labels
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size_w} {size_h}" width="{size_w}" '
        f'height="{size_h}" role="img" aria-label="{_e(label)}">'
    ]
    slanted, shown = fitted_labels(rows, 24), fitted_labels(rows, 28)
    for i, r in enumerate(rows):
        cx = left + i * cell + cell / 2
        out.append(
            f'<text transform="translate({cx:.1f},{top - 8}) rotate(-50)" text-anchor="start">'
            f"{_e(slanted[r.participant])}<title>{_e(r.label)}</title></text>"
            f'<text x="{left - 8}" y="{top + i * cell + cell / 2 + 4:.1f}" text-anchor="end">'
            f"{_e(shown[r.participant])}<title>{_e(r.label)}</title></text>"
        )
    for i, ra in enumerate(rows):
        for j, rb in enumerate(rows):
            x0, y0 = left + j * cell, top + i * cell
            fill, text, tip = cell_of(ra, rb)
            out.append(f'<rect x="{x0}" y="{y0}" width="{cell}" height="{cell}" fill="{fill}" stroke="#ffffff">')
            if tip:
                out.append(f"<title>{_e(tip)}</title>")
            out.append("</rect>")
            if text and cell >= 24:
                out.append(
                    f'<text x="{x0 + cell / 2:.1f}" y="{y0 + cell / 2 + 4:.1f}" text-anchor="middle" '
                    f'font-size="11">{_e(text)}</text>'
                )
    out.append("</svg>")
    return "".join(out)


def _heat_map(lb: Leaderboard) -> str:
    def cell(ra: LeaderboardRow, rb: LeaderboardRow) -> tuple[str, str, str]:
        if ra.participant == rb.participant:
            return "#ffffff", "", ""
        rec = lb.head_to_head.record(ra.participant, rb.participant)
        if rec.games == 0:
            return "#eef0f4", "", f"{ra.label} vs {rb.label}: no debates"
        score = rec.score or 0.0
        tip = f"{ra.label} vs {rb.label}: {rec.wins}–{rec.ties}–{rec.losses} (W–T–L), score {100 * score:.1f}%"
        return _score_colour(score), f"{round(100 * score)}", tip

    return _matrix(lb, cell, "Head-to-head score of each row against each column")


def _count_map(lb: Leaderboard) -> str:
    """Chatbot Arena's battle-count matrix: how many debates each pair had (either side)."""
    most = (
        max(
            (
                lb.head_to_head.record(a.participant, b.participant).games
                for a in lb.rows
                for b in lb.rows
                if a.participant != b.participant
            ),
            default=0,
        )
        or 1
    )

    def cell(ra: LeaderboardRow, rb: LeaderboardRow) -> tuple[str, str, str]:
        if ra.participant == rb.participant:
            return "#ffffff", "", ""
        n = lb.head_to_head.record(ra.participant, rb.participant).games
        t = n / most
        fill = f"#{round(255 - 212 * t):02x}{round(255 - 160 * t):02x}{round(255 - 71 * t):02x}" if n else "#eef0f4"
        return fill, str(n) if n else "", f"{ra.label} vs {rb.label}: {n} debate{'s' if n != 1 else ''}"

    return _matrix(lb, cell, "Number of debates between each pair")


def _win_rate_plot(lb: Leaderboard) -> str:
    """Average predicted win rate against all others of the component, as bars (0–100 %)."""
    rows = [r for r in lb.rows if r.win_rate_vs_all is not None]
    if not rows:
        return ""
    rows.sort(key=lambda r: (r.component, -(r.win_rate_vs_all or 0.0), r.participant))
    left, right, top, row_h, width = 210, 60, 10, 22, 760
    plot_w = width - left - right
    height = top + row_h * len(rows) + 26
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="Average win rate against all others">'
    ]
    for t in (0, 25, 50, 75, 100):
        xt = left + t / 100 * plot_w
        out.append(
            f'<line x1="{xt:.1f}" y1="{top}" x2="{xt:.1f}" y2="{height - 22}" stroke="#e3e6ec"/>'
            f'<text x="{xt:.1f}" y="{height - 8}" text-anchor="middle" fill="#5b6475">{t}%</text>'
        )
    shown = fitted_labels(rows, 28)
    for i, r in enumerate(rows):
        y = top + i * row_h
        rate = r.win_rate_vs_all or 0.0
        colour = "#9aa3b2" if r.provisional else "#2b5fb8"
        out.append(
            f"<g><title>{_e(f'{r.label}: {100 * rate:.1f}% against the others of component {r.component + 1}')}</title>"
            f'<text x="{left - 10}" y="{y + 15}" text-anchor="end">{_e(shown[r.participant])}</text>'
            f'<rect x="{left}" y="{y + 4}" width="{rate * plot_w:.1f}" height="{row_h - 8}" fill="{colour}"/>'
            f'<text x="{left + rate * plot_w + 6:.1f}" y="{y + 15}">{100 * rate:.1f}%</text></g>'
        )
    out.append("</svg>")
    return "".join(out)


def _table(lb: Leaderboard) -> str:
    brier = has_brier(lb)
    others = ranked_columns(lb.settings.system)
    rating_head = SYSTEMS[lb.settings.system].label + (" controlled" if controlled(lb) else "")
    head = ["#", "Ranks", "Rank UB", "Participant", rating_head, "95% CI", "Debates", "W–T–L",
            "Score", "Avg opp."] + [label for label, _ in others] + ["TrueSkill μ±σ", "μ−3σ"]  # fmt: skip
    if controlled(lb):
        head[6:6] = ["Plain", "Δ#"]
    if brier:
        head.append("Brier")
    out = ['<div class="scroll"><table><thead><tr>']
    out += [f'<th class="name">{_e(h)}</th>' if h == "Participant" else f"<th>{_e(h)}</th>" for h in head]
    out.append("</tr></thead>")
    names = fitted_labels(lb.rows, 32)
    for c in sorted({r.component for r in lb.rows}):
        out.append("<tbody>")
        if lb.components > 1:
            out.append(f'<tr class="group"><th colspan="{len(head)}">{_e(component_title(lb, c))}</th></tr>')
        for r in (r for r in lb.rows if r.component == c):
            tag = ' <span class="tag">provisional</span>' if r.provisional else ""
            ci = _e(interval_text(r))
            if r.ci_note:
                ci = f'<span title="{_e("Laplace interval: " + r.ci_note)}">{ci}</span>'
            cells = [
                _e(fmt(r.rating)), ci, _e(r.debates),
                _e(f"{r.wins}–{r.ties}–{r.losses}"), _e(f"{100 * r.score:.1f}%"), _e(fmt(r.avg_opponent)),
            ] + [_e(fmt(getattr(r, column))) for _, column in others] + [
                _e(f"{r.ts_mu:.2f}±{r.ts_sigma:.2f}"), _e(fmt(r.ts_expose, 2))]  # fmt: skip
            if controlled(lb):
                cells[2:2] = [_e(fmt(r.uncontrolled)), _e(rank_change_text(r))]
            if brier:
                cells.append(_e(fmt(r.brier, 4)))
            cls = ' class="prov"' if r.provisional else ""
            out.append(
                f"<tr{cls}><td>{r.position}</td><td>{_e(rank_range_text(r))}</td><td>{r.rank_ub}</td>"
                f'<td class="name">{_name_html(r, names[r.participant])}{tag}</td>'
                + "".join(f"<td>{c}</td>" for c in cells)
                + "</tr>"
            )
        out.append("</tbody>")
    out.append("</table></div>")
    return "".join(out)


def _list(items: Iterable[str]) -> str:
    return "<ul>" + "".join(f"<li>{_e(i)}</li>" for i in items) + "</ul>"


def to_html(
    lb: Leaderboard,
    version: str,
    title: str = "Debate Arena leaderboard",
    sections: Sequence[str] = (),
    empty: str = "",
) -> str:
    """`sections`: further HTML sections, already escaped, placed before the footer
    (the judge audit's, from arena/render/audit_html.py; the studies', from arena/studies/html.py).
    `empty`: what an empty board says instead of its table (the command's message naming the
    collections that hold debates); "No rated debates." if not given."""
    s = lb.settings
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # Nothing may load or run: the page is data, whatever the participant names hold.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="meta">{_e(settings_line(lb))}</p>',
        f'<p class="meta sha">log SHA-256 {_e(lb.log_sha256)} · Debate Arena {_e(version)}</p>',
    ]
    if lb.warnings:
        parts.append(f'<div class="warn"><strong>Warnings</strong>{_list(lb.warnings)}</div>')
    if not lb.rows:
        parts.append(f'<p class="warn">{_e(empty or "No rated debates.")}</p>')
        if sections:  # e.g. only `arena study qa` and `arena group run` ran
            parts.append('<p class="meta">The sections below report this database\'s other results.</p>')
    else:
        parts += [
            "<h2>Ratings</h2>",
            _table(lb),
            "".join(f'<p class="meta">{_e(n)}</p>' for n in notes(lb)),
            (f"<h2>Controls</h2>{_list(coefficient_lines(lb))}" if lb.coefficients else ""),
            f"<h2>{_e(SYSTEMS[s.system].label)} with 95% intervals</h2>",
            f'<div class="scroll">{_interval_plot(lb.rows, s.system)}</div>',
        ]
        rates = _win_rate_plot(lb)
        if rates:
            parts += [
                "<h2>Average win rate against all others</h2>",
                '<p class="meta">Bradley–Terry predicted chance of beating each other participant of the same '
                "component, averaged over them (uniform pairing, no ties), as Chatbot Arena shows it.</p>",
                f'<div class="scroll">{rates}</div>',
            ]
        heat = _heat_map(lb)
        if heat:
            parts += [
                "<h2>Head to head</h2>",
                '<p class="meta">Score (wins + ties/2) of the row against the column, in %; '
                "red below 50, blue above, grey where they never met.</p>",
                f'<div class="scroll">{heat}</div>',
                "<h2>Debates per pair</h2>",
                '<p class="meta">How many rated debates each pair had, either side proposing.</p>',
                f'<div class="scroll">{_count_map(lb)}</div>',
            ]
    parts += [
        "<h2>Side bias</h2>",
        _list(
            [
                f"Proposition wins: {rate_text(lb.bias.proposition)}",
                f"First speaker wins: {rate_text(lb.bias.first_speaker)}",
            ]
        ),  # fmt: skip
    ]
    if lb.judges is not None:
        kappa = fmt(lb.judges.fleiss_kappa, 3) or "n/a"
        rows = "".join(
            f'<tr><td class="name">{_e(j.judge)}</td><td>{j.ballots}</td>'
            f"<td>{_e(f'{100 * j.agreement:.1f}% of {j.agreement_n}' if j.agreement is not None else 'n/a')}</td>"
            f"<td>{_e(f'{100 * j.swap_consistency:.1f}% of {j.swap_n}' if j.swap_consistency is not None else 'n/a')}</td></tr>"
            for j in lb.judges.judges
        )
        parts += [
            "<h2>Judges</h2>",
            f'<p class="meta">Fleiss\' κ {_e(kappa)} over {lb.judges.kappa_debates} debates</p>',
            '<div class="scroll"><table><thead><tr><th class="name">Judge</th><th>Ballots</th>'
            "<th>Agreement with panel</th>"
            f"<th>Swap consistency</th></tr></thead><tbody>{rows}</tbody></table></div>",
        ]
    parts += list(sections)
    parts += [f"<footer>Generated by Debate Arena {_e(version)} from the match log above.</footer>", "</body></html>"]
    return "\n".join(parts) + "\n"
