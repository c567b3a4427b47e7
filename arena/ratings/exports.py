"""Leaderboard exports: Markdown, CSV, JSON and one self-contained HTML page.

All four are deterministic: the same leaderboard gives the same bytes (no clocks, no
set or hash order, fixed float formats). Floats are rounded here and only here:
ratings to 2 decimals; shares in JSON and CSV as percentages with 2 decimals (their
keys end in `_pct`); a Brier score keeps 4 decimals. The HTML page has no script and
fetches nothing: inline CSS, inline SVG drawn below, and every piece of text passed
through `html.escape`.
"""

from __future__ import annotations

import csv
import dataclasses
import html
import io
import json
import math
from collections.abc import Iterable, Sequence

from arena.ratings.leaderboard import Leaderboard, LeaderboardRow
from arena.ratings.systems import SYSTEM_NAME
from arena.ratings.stats import Rate



# --- numbers -------------------------------------------------------------------------


def _num(x: float | None, places: int = 2) -> float | None:
    """Rounded for export; NaN/inf become None; −0.0 becomes 0.0."""
    if x is None or not math.isfinite(x):
        return None
    return round(x, places) + 0.0


def _pct(x: float | None) -> float | None:
    return None if x is None else _num(100.0 * x)


def _fmt(x: float | None, places: int = 1) -> str:
    return "" if x is None or not math.isfinite(x) else f"{x:.{places}f}"


def interval_text(row: LeaderboardRow, places: int = 1) -> str:
    """The interval as +x/−y around the estimate; † marks a curvature (Laplace) interval."""
    mark = "†" if row.ci_method == "curvature" else ""
    return f"+{row.ci_hi - row.rating:.{places}f}/−{row.rating - row.ci_lo:.{places}f}{mark}"


def shorten_middle(name: str, width: int) -> str:
    """`name` fitted to `width` characters by cutting its middle ("model:open…smollm2"),
    so both the provider and the distinguishing tail stay readable; never mid-word wraps."""
    name = " ".join(name.split())
    if len(name) <= width or width < 3:
        return name
    head = (width - 1 + 1) // 2
    tail = width - 1 - head
    return name[:head] + "…" + (name[-tail:] if tail else "")


def ranked_columns(system: str) -> list[str]:
    """The other systems' estimates shown beside the chosen one (never the chosen one twice)."""
    return [c for c in ("bt", "elo") if c != system]


def component_title(lb: Leaderboard, component: int) -> str:
    members = sum(1 for r in lb.rows if r.component == component)
    return f"Component {component + 1} of {lb.components} ({members} participant{'s' if members != 1 else ''})"


def notes(lb: Leaderboard) -> list[str]:
    """The legend every format prints under its table."""
    out = [
        "# is the place in the order; UB, the rank upper bound, is 1 + #{j : lo_j > hi_i} "
        "from the 95% intervals" + (", counted within each component" if lb.components > 1 else "") + ".",
    ]
    if any(r.ci_method == "curvature" for r in lb.rows):
        out.append("† interval from the curvature of the posterior (Laplace): the bootstrap is degenerate here.")
    if any(r.provisional for r in lb.rows):
        out.append(f"* provisional: fewer than {lb.settings.min_debates} debates.")
    if lb.components > 1:
        out.append(
            f"The comparison graph has {lb.components} disconnected components: each is ranked on its own, "
            "and ratings compare only within a component."
        )
    return out


def _has_brier(lb: Leaderboard) -> bool:
    return any(r.brier is not None for r in lb.rows)


# --- JSON ----------------------------------------------------------------------------


def _row_dict(r: LeaderboardRow) -> dict[str, object]:
    return {
        "position": r.position,
        "component": r.component,
        "rank_ub": r.rank_ub,
        "participant": r.participant,
        "name": r.label,
        "ci_method": r.ci_method,
        "ci_note": r.ci_note,
        "win_rate_vs_all_pct": _pct(r.win_rate_vs_all),
        "rating": _num(r.rating),
        "ci_lo": _num(r.ci_lo),
        "ci_hi": _num(r.ci_hi),
        "debates": r.debates,
        "wins": r.wins,
        "ties": r.ties,
        "losses": r.losses,
        "score_pct": _pct(r.score),
        "avg_opponent": _num(r.avg_opponent),
        "elo": _num(r.elo),
        "elo_lo": _num(r.elo_lo),
        "elo_hi": _num(r.elo_hi),
        "ts_mu": _num(r.ts_mu),
        "ts_sigma": _num(r.ts_sigma),
        "ts_expose": _num(r.ts_expose),
        "bt": _num(r.bt),
        "bt_lo": _num(r.bt_lo),
        "bt_hi": _num(r.bt_hi),
        "provisional": r.provisional,
        "brier": _num(r.brier, 4),
    }


def _rate_dict(rate: Rate) -> dict[str, object]:
    return {
        "wins": rate.successes,
        "decisive": rate.decisive,
        "ties": rate.ties,
        "rate_pct": _pct(rate.rate),
        "lo_pct": _pct(rate.lo),
        "hi_pct": _pct(rate.hi),
    }


def to_dict(lb: Leaderboard, version: str) -> dict[str, object]:
    """The JSON document as plain Python values, already rounded."""
    h2h = lb.head_to_head
    doc: dict[str, object] = {
        "version": version,
        "settings": dataclasses.asdict(lb.settings),
        "log_sha256": lb.log_sha256,
        "matches": lb.matches,
        "components": lb.components,
        "rows": [_row_dict(r) for r in lb.rows],
        "warnings": list(lb.warnings),
        "head_to_head": [
            {"a": a, "b": b, "wins": rec.wins, "ties": rec.ties, "losses": rec.losses}
            for (a, b), rec in sorted(h2h.records.items())
        ],
        "pairs": [
            {"a": c.a, "b": c.b, "games": c.games, "observed_pct": _pct(c.observed), "predicted_pct": _pct(c.predicted)}
            for c in lb.pairs
        ],
        "bias": {
            "proposition": _rate_dict(lb.bias.proposition),
            "first_speaker": _rate_dict(lb.bias.first_speaker),
        },
    }
    if lb.judges is not None:
        doc["judges"] = {
            "fleiss_kappa": _num(lb.judges.fleiss_kappa),
            "kappa_debates": lb.judges.kappa_debates,
            "kappa_judges": list(lb.judges.kappa_judges),
            "per_judge": [
                {
                    "judge": j.judge,
                    "ballots": j.ballots,
                    "agreement_pct": _pct(j.agreement),
                    "agreement_n": j.agreement_n,
                    "swap_consistency_pct": _pct(j.swap_consistency),
                    "swap_n": j.swap_n,
                }
                for j in lb.judges.judges
            ],
        }
    return doc


def to_json(lb: Leaderboard, version: str) -> str:
    return json.dumps(to_dict(lb, version), sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


# --- CSV -----------------------------------------------------------------------------

CSV_COLUMNS = [
    "component", "position", "rank_ub", "participant", "name", "rating", "ci_lo", "ci_hi", "ci_method",
    "debates", "wins", "ties", "losses", "score_pct", "avg_opponent", "win_rate_vs_all_pct", "elo", "elo_lo",
    "elo_hi", "ts_mu", "ts_sigma", "ts_expose", "bt", "bt_lo", "bt_hi", "provisional", "brier",
]  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(text: str) -> str:
    """A text cell a spreadsheet will not run: a leading = + - @ (or tab/CR) gets a quote
    in front (OWASP's advice for CSV injection). Numbers are never text cells here."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return csv_safe(v)
    return str(v)


def csv_columns(lb: Leaderboard) -> list[str]:
    """Every column that has a value in some row (the Elo interval only for --system elo)."""
    dropped = {c for c in ("elo_lo", "elo_hi", "brier", "win_rate_vs_all_pct")
               if all(_row_dict(r)[c] is None for r in lb.rows)}
    return [c for c in CSV_COLUMNS if c not in dropped]


def to_csv(lb: Leaderboard) -> str:
    """One header line and one line per row; text cells neutralised for spreadsheets."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    columns = csv_columns(lb)
    writer.writerow(columns)
    for r in lb.rows:
        d = _row_dict(r)
        writer.writerow([_csv_cell(d[c]) for c in columns])
    return buf.getvalue()


# --- Markdown ------------------------------------------------------------------------

_MD_SPECIAL = set("\\`*_{}[]<>()#+!|~")


def md_escape(text: str) -> str:
    """Backslash-escape Markdown punctuation (and flatten newlines) in a table cell."""
    flat = " ".join(text.split())
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in flat)


def _rate_text(rate: Rate) -> str:
    if rate.rate is None:
        return f"no decisive debates ({rate.ties} ties)"
    return (
        f"{100 * rate.rate:.1f}% of {rate.decisive} decisive debates "
        f"(95% Wilson {100 * rate.lo:.1f}–{100 * rate.hi:.1f}%; {rate.ties} ties excluded)"
    )


def _settings_line(lb: Leaderboard) -> str:
    s = lb.settings
    parts = [
        f"system {SYSTEM_NAME[s.system]}",
        f"collection {s.collection}",
        f"category {s.category or 'all'}",
        f"{lb.matches} matches",
        f"bootstrap {s.rounds} rounds, seed {s.seed}",
        (f"Bradley–Terry prior {s.prior:g} virtual games" if s.prior > 0 else "Bradley–Terry maximum likelihood"),
        f"Elo K {s.k:g}",
        f"provisional below {s.min_debates} debates",
    ]
    if s.anchor:
        parts.append(f"anchor {s.anchor} = 1000")
    return " · ".join(parts)


def _md_table(lb: Leaderboard, rows: list[LeaderboardRow]) -> list[str]:
    brier = _has_brier(lb)
    others = ranked_columns(lb.settings.system)
    head = ["#", "Rank UB", "Participant", SYSTEM_NAME[lb.settings.system], "95% CI", "Debates", "W–T–L",
            "Score", "Avg opp."] + [SYSTEM_NAME[o] for o in others] + ["TrueSkill μ±σ"]  # fmt: skip
    if brier:
        head.append("Brier")
    lines = [
        "| " + " | ".join(head) + " |",
        "|" + "|".join(["---:", "---:", ":---"] + ["---:"] * (len(head) - 3)) + "|",
    ]
    for r in rows:
        name = md_escape(r.label)
        if r.name and r.name != r.participant:
            name += f" ({md_escape(r.participant)})"
        name += " \\*" if r.provisional else ""
        cells = [
            str(r.position), str(r.rank_ub), name, _fmt(r.rating), interval_text(r), str(r.debates),
            f"{r.wins}–{r.ties}–{r.losses}", f"{100 * r.score:.1f}%", _fmt(r.avg_opponent),
        ] + [_fmt(getattr(r, o)) for o in others] + [f"{r.ts_mu:.2f}±{r.ts_sigma:.2f}"]  # fmt: skip
        if brier:
            cells.append(_fmt(r.brier, 4))
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def to_markdown(lb: Leaderboard) -> str:
    lines = [
        "# Leaderboard",
        "",
        md_escape(_settings_line(lb)),
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
    lines += [
        "",
        "## Side bias",
        "",
        f"- Proposition wins: {_rate_text(lb.bias.proposition)}",
        f"- First speaker wins: {_rate_text(lb.bias.first_speaker)}",
    ]
    if lb.judges is not None:
        kappa = _fmt(lb.judges.fleiss_kappa, 3) or "n/a"
        lines += ["", "## Judges", "", f"Fleiss' κ {kappa} over {lb.judges.kappa_debates} debates", ""]
        lines += ["| Judge | Ballots | Agreement with panel | Swap consistency |", "|:---|---:|---:|---:|"]
        for j in lb.judges.judges:
            agree = f"{100 * j.agreement:.1f}% of {j.agreement_n}" if j.agreement is not None else "n/a"
            swap = f"{100 * j.swap_consistency:.1f}% of {j.swap_n}" if j.swap_consistency is not None else "n/a"
            lines.append(f"| {md_escape(j.judge)} | {j.ballots} | {agree} | {swap} |")
    return "\n".join(lines) + "\n"


# --- HTML ----------------------------------------------------------------------------

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1100px;
padding:0 1rem;color:#1d2330;background:#fff}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem}
.meta{color:#5b6475;font-size:.9rem}.sha{font-family:ui-monospace,monospace;font-size:.8rem;word-break:break-all}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
th,td{padding:.3rem .5rem;border-bottom:1px solid #e3e6ec;text-align:right;white-space:nowrap}
th{background:#f4f6f9;font-weight:600}td.name,th.name{text-align:left}
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


def _short(name: str, limit: int = 28) -> str:
    return shorten_middle(name, limit)


def _name_html(r: LeaderboardRow, limit: int = 32) -> str:
    """The display name, shortened in the middle, with the full name and id in a tooltip."""
    full = r.label if r.label == r.participant else f"{r.label} = {r.participant}"
    return f'<span title="{_e(full)}">{_e(_short(r.label, limit))}</span>'


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
        f'height="{height}" role="img" aria-label="{_e(SYSTEM_NAME[system])} ratings with 95% intervals">'
    ]
    for t in _nice_ticks(lo, hi):
        out.append(
            f'<line x1="{x(t)}" y1="{top - 8}" x2="{x(t)}" y2="{height - 24}" stroke="#e3e6ec"/>'
            f'<text x="{x(t)}" y="{height - 8}" text-anchor="middle" fill="#5b6475">{t:g}</text>'
        )
    for i, r in enumerate(rows):
        y = top + i * row_h + row_h / 2
        colour = "#9aa3b2" if r.provisional else "#2b5fb8"
        tip = f"{r.label}: {r.rating:.1f} ({interval_text(r)})" + (f" · {r.ci_note}" if r.ci_note else "")
        out.append(
            f'<g><title>{_e(tip)}</title>'
            f'<text x="{left - 10}" y="{y + 4:.1f}" text-anchor="end">{_e(_short(r.label))}</text>'
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


def _matrix(lb: Leaderboard, cell_of, label: str) -> str:  # type: ignore[no-untyped-def]
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
    for i, r in enumerate(rows):
        cx = left + i * cell + cell / 2
        out.append(
            f'<text transform="translate({cx:.1f},{top - 8}) rotate(-50)" text-anchor="start">'
            f"{_e(_short(r.label, 24))}<title>{_e(r.label)}</title></text>"
            f'<text x="{left - 8}" y="{top + i * cell + cell / 2 + 4:.1f}" text-anchor="end">'
            f"{_e(_short(r.label))}<title>{_e(r.label)}</title></text>"
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
    most = max((lb.head_to_head.record(a.participant, b.participant).games
                for a in lb.rows for b in lb.rows if a.participant != b.participant), default=0) or 1

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
        out.append(f'<line x1="{xt:.1f}" y1="{top}" x2="{xt:.1f}" y2="{height - 22}" stroke="#e3e6ec"/>'
                   f'<text x="{xt:.1f}" y="{height - 8}" text-anchor="middle" fill="#5b6475">{t}%</text>')
    for i, r in enumerate(rows):
        y = top + i * row_h
        rate = r.win_rate_vs_all or 0.0
        colour = "#9aa3b2" if r.provisional else "#2b5fb8"
        out.append(
            f'<g><title>{_e(f"{r.label}: {100 * rate:.1f}% against the others of component {r.component + 1}")}</title>'
            f'<text x="{left - 10}" y="{y + 15}" text-anchor="end">{_e(_short(r.label))}</text>'
            f'<rect x="{left}" y="{y + 4}" width="{rate * plot_w:.1f}" height="{row_h - 8}" fill="{colour}"/>'
            f'<text x="{left + rate * plot_w + 6:.1f}" y="{y + 15}">{100 * rate:.1f}%</text></g>'
        )
    out.append("</svg>")
    return "".join(out)


def _table(lb: Leaderboard) -> str:
    brier = _has_brier(lb)
    others = ranked_columns(lb.settings.system)
    head = ["#", "Rank UB", "Participant", SYSTEM_NAME[lb.settings.system], "95% CI", "Debates", "W–T–L",
            "Score", "Avg opp."] + [SYSTEM_NAME[o] for o in others] + ["TrueSkill μ±σ", "μ−3σ"]  # fmt: skip
    if brier:
        head.append("Brier")
    out = ['<div class="scroll"><table><thead><tr>']
    out += [f'<th class="name">{_e(h)}</th>' if h == "Participant" else f"<th>{_e(h)}</th>" for h in head]
    out.append("</tr></thead>")
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
                _e(_fmt(r.rating)), ci, _e(r.debates),
                _e(f"{r.wins}–{r.ties}–{r.losses}"), _e(f"{100 * r.score:.1f}%"), _e(_fmt(r.avg_opponent)),
            ] + [_e(_fmt(getattr(r, o))) for o in others] + [
                _e(f"{r.ts_mu:.2f}±{r.ts_sigma:.2f}"), _e(_fmt(r.ts_expose, 2))]  # fmt: skip
            if brier:
                cells.append(_e(_fmt(r.brier, 4)))
            cls = ' class="prov"' if r.provisional else ""
            out.append(
                f"<tr{cls}><td>{r.position}</td><td>{r.rank_ub}</td><td class=\"name\">{_name_html(r)}{tag}</td>"
                + "".join(f"<td>{c}</td>" for c in cells)
                + "</tr>"
            )
        out.append("</tbody>")
    out.append("</table></div>")
    return "".join(out)


def _list(items: Iterable[str]) -> str:
    return "<ul>" + "".join(f"<li>{_e(i)}</li>" for i in items) + "</ul>"


def to_html(lb: Leaderboard, version: str, title: str = "Debate Arena leaderboard",
            sections: Sequence[str] = ()) -> str:
    """`sections`: further HTML sections, already escaped, placed before the footer
    (the judge audit's, from arena/render/audit_html.py; the studies', from arena/studies/html.py)."""
    s = lb.settings
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # Nothing may load or run: the page is data, whatever the participant names hold.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="meta">{_e(_settings_line(lb))}</p>',
        f'<p class="meta sha">log SHA-256 {_e(lb.log_sha256)} · Debate Arena {_e(version)}</p>',
    ]
    if lb.warnings:
        parts.append(f'<div class="warn"><strong>Warnings</strong>{_list(lb.warnings)}</div>')
    if not lb.rows:
        parts.append("<p>No rated debates.</p>")
    else:
        parts += [
            "<h2>Ratings</h2>",
            _table(lb),
            "".join(f'<p class="meta">{_e(n)}</p>' for n in notes(lb)),
            f"<h2>{_e(SYSTEM_NAME[s.system])} with 95% intervals</h2>",
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
        _list([f"Proposition wins: {_rate_text(lb.bias.proposition)}",
               f"First speaker wins: {_rate_text(lb.bias.first_speaker)}"]),  # fmt: skip
    ]
    if lb.judges is not None:
        kappa = _fmt(lb.judges.fleiss_kappa, 3) or "n/a"
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
