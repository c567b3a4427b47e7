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
from arena.ratings.stats import Rate

SYSTEM_NAME = {"bt": "Bradley–Terry", "elo": "Elo", "trueskill": "TrueSkill μ"}


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
    """The interval as +x/−y around the estimate."""
    return f"+{row.ci_hi - row.rating:.{places}f}/−{row.rating - row.ci_lo:.{places}f}"


def _has_brier(lb: Leaderboard) -> bool:
    return any(r.brier is not None for r in lb.rows)


# --- JSON ----------------------------------------------------------------------------


def _row_dict(r: LeaderboardRow) -> dict[str, object]:
    return {
        "rank_ub": r.rank_ub,
        "participant": r.participant,
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
    "rank_ub", "participant", "rating", "ci_lo", "ci_hi", "debates", "wins", "ties", "losses",
    "score_pct", "avg_opponent", "elo", "elo_lo", "elo_hi", "ts_mu", "ts_sigma", "ts_expose",
    "bt", "bt_lo", "bt_hi", "provisional", "brier",
]  # fmt: skip


def _csv_cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def to_csv(lb: Leaderboard) -> str:
    """One header line and one line per row; empty cells for unknowns."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in lb.rows:
        d = _row_dict(r)
        writer.writerow([_csv_cell(d[c]) for c in CSV_COLUMNS])
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
        f"Elo K {s.k:g}",
        f"provisional below {s.min_debates} debates",
    ]
    if s.anchor:
        parts.append(f"anchor {s.anchor} = 1000")
    return " · ".join(parts)


def to_markdown(lb: Leaderboard) -> str:
    brier = _has_brier(lb)
    head = ["Rank", "Participant", SYSTEM_NAME[lb.settings.system], "95% CI", "Debates", "W–T–L",
            "Score", "Avg opp.", "Elo", "TrueSkill μ±σ", "BT"]  # fmt: skip
    if brier:
        head.append("Brier")
    lines = [
        "# Leaderboard",
        "",
        md_escape(_settings_line(lb)),
        "",
        f"Log SHA-256: `{lb.log_sha256}`",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "|".join(["---:", ":---"] + ["---:"] * (len(head) - 2)) + "|",
    ]
    for r in lb.rows:
        name = md_escape(r.participant) + (" \\*" if r.provisional else "")
        cells = [
            str(r.rank_ub), name, _fmt(r.rating), interval_text(r), str(r.debates),
            f"{r.wins}–{r.ties}–{r.losses}", f"{100 * r.score:.1f}%", _fmt(r.avg_opponent), _fmt(r.elo),
            f"{r.ts_mu:.2f}±{r.ts_sigma:.2f}", _fmt(r.bt),
        ]  # fmt: skip
        if brier:
            cells.append(_fmt(r.brier, 4))
        lines.append("| " + " | ".join(cells) + " |")
    if any(r.provisional for r in lb.rows):
        lines += ["", f"\\* provisional: fewer than {lb.settings.min_debates} debates."]
    lines += [
        "",
        "Rank is the upper bound `1 + #{j : lo_j > hi_i}` from the 95% intervals.",
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
    if lb.warnings:
        lines += ["", "## Warnings", ""] + [f"- {md_escape(w)}" for w in lb.warnings]
    return "\n".join(lines) + "\n"


# --- HTML ----------------------------------------------------------------------------

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1100px;
padding:0 1rem;color:#1d2330;background:#fff}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem}
.meta{color:#5b6475;font-size:.9rem}.sha{font-family:ui-monospace,monospace;font-size:.8rem;word-break:break-all}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
th,td{padding:.3rem .5rem;border-bottom:1px solid #e3e6ec;text-align:right;white-space:nowrap}
th{background:#f4f6f9;font-weight:600}td.name,th.name{text-align:left;white-space:normal;word-break:break-word}
tr.prov td{color:#7b8394}.tag{font-size:.75rem;background:#fff3cd;color:#7a5b00;border-radius:3px;padding:0 .3rem}
.warn{background:#fff8e6;border-left:4px solid #e0a100;padding:.5rem 1rem}
svg{max-width:100%;height:auto;font:12px system-ui,sans-serif}
footer{margin-top:2rem;color:#7b8394;font-size:.8rem}
""".strip()


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _short(name: str, limit: int = 28) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


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


def _interval_plot(rows: list[LeaderboardRow], system: str) -> str:
    if not rows:
        return ""
    left, right, top, row_h = 210, 30, 30, 24
    width = 760
    plot_w = width - left - right
    height = top + row_h * len(rows) + 30
    lo = min(min(r.ci_lo, r.rating) for r in rows)
    hi = max(max(r.ci_hi, r.rating) for r in rows)
    pad = max((hi - lo) * 0.05, 1.0)
    lo, hi = lo - pad, hi + pad

    def x(v: float) -> str:
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
        tip = f"{r.participant}: {r.rating:.1f} ({interval_text(r)})"
        out.append(
            f'<g><title>{_e(tip)}</title>'
            f'<text x="{left - 10}" y="{y + 4:.1f}" text-anchor="end">{_e(_short(r.participant))}</text>'
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


def _heat_map(lb: Leaderboard) -> str:
    names = [r.participant for r in lb.rows]
    if len(names) < 2:
        return ""
    cell = max(14, min(40, 640 // len(names)))
    left, top = 210, 160
    size_w, size_h = left + cell * len(names) + 130, top + cell * len(names) + 20  # room for slanted labels
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size_w} {size_h}" width="{size_w}" '
        f'height="{size_h}" role="img" aria-label="Head-to-head score of each row against each column">'
    ]
    for i, name in enumerate(names):
        cx = left + i * cell + cell / 2
        out.append(
            f'<text transform="translate({cx:.1f},{top - 8}) rotate(-50)" text-anchor="start">'
            f"{_e(_short(name, 24))}<title>{_e(name)}</title></text>"
            f'<text x="{left - 8}" y="{top + i * cell + cell / 2 + 4:.1f}" text-anchor="end">'
            f"{_e(_short(name))}<title>{_e(name)}</title></text>"
        )
    for i, a in enumerate(names):
        for j, b in enumerate(names):
            x0, y0 = left + j * cell, top + i * cell
            rec = lb.head_to_head.record(a, b)
            if a == b or rec.games == 0:
                fill, label = ("#ffffff" if a == b else "#eef0f4"), ""
                tip = "" if a == b else f"{a} vs {b}: no debates"
            else:
                score = rec.score or 0.0
                fill, label = _score_colour(score), f"{round(100 * score)}"
                tip = f"{a} vs {b}: {rec.wins}–{rec.ties}–{rec.losses} (W–T–L), score {100 * score:.1f}%"
            out.append(f'<rect x="{x0}" y="{y0}" width="{cell}" height="{cell}" fill="{fill}" stroke="#ffffff">')
            if tip:
                out.append(f"<title>{_e(tip)}</title>")
            out.append("</rect>")
            if label and cell >= 24:
                out.append(
                    f'<text x="{x0 + cell / 2:.1f}" y="{y0 + cell / 2 + 4:.1f}" text-anchor="middle" '
                    f'font-size="11">{label}</text>'
                )
    out.append("</svg>")
    return "".join(out)


def _table(lb: Leaderboard) -> str:
    brier = _has_brier(lb)
    head = ["Rank", "Participant", SYSTEM_NAME[lb.settings.system], "95% CI", "Debates", "W–T–L", "Score",
            "Avg opp.", "Elo", "TrueSkill μ±σ", "μ−3σ", "BT"] + (["Brier"] if brier else [])  # fmt: skip
    out = ["<table><thead><tr>"]
    out += [f'<th class="name">{_e(h)}</th>' if h == "Participant" else f"<th>{_e(h)}</th>" for h in head]
    out.append("</tr></thead><tbody>")
    for r in lb.rows:
        tag = ' <span class="tag">provisional</span>' if r.provisional else ""
        cells = [
            _e(r.rank_ub), _e(_fmt(r.rating)), _e(interval_text(r)), _e(r.debates),
            _e(f"{r.wins}–{r.ties}–{r.losses}"), _e(f"{100 * r.score:.1f}%"), _e(_fmt(r.avg_opponent)),
            _e(_fmt(r.elo)), _e(f"{r.ts_mu:.2f}±{r.ts_sigma:.2f}"), _e(_fmt(r.ts_expose, 2)), _e(_fmt(r.bt)),
        ]  # fmt: skip
        if brier:
            cells.append(_e(_fmt(r.brier, 4)))
        cls = ' class="prov"' if r.provisional else ""
        out.append(
            f"<tr{cls}><td>{cells[0]}</td><td class=\"name\">{_e(r.participant)}{tag}</td>"
            + "".join(f"<td>{c}</td>" for c in cells[1:])
            + "</tr>"
        )
    out.append("</tbody></table>")
    return "".join(out)


def _list(items: Iterable[str]) -> str:
    return "<ul>" + "".join(f"<li>{_e(i)}</li>" for i in items) + "</ul>"


def to_html(lb: Leaderboard, version: str, title: str = "Debate Arena leaderboard",
            sections: Sequence[str] = ()) -> str:
    """`sections`: finished, escaped HTML fragments placed before the footer (the studies')."""
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
            '<p class="meta">Rank is the upper bound 1 + #{j : lo_j &gt; hi_i} from the 95% intervals; '
            f"provisional: fewer than {s.min_debates} debates.</p>",
            f"<h2>{_e(SYSTEM_NAME[s.system])} with 95% intervals</h2>",
            _interval_plot(lb.rows, s.system),
        ]
        heat = _heat_map(lb)
        if heat:
            parts += [
                "<h2>Head to head</h2>",
                '<p class="meta">Score (wins + ties/2) of the row against the column, in %; '
                "red below 50, blue above, grey where they never met.</p>",
                heat,
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
            '<table><thead><tr><th class="name">Judge</th><th>Ballots</th><th>Agreement with panel</th>'
            f"<th>Swap consistency</th></tr></thead><tbody>{rows}</tbody></table>",
        ]
    parts += list(sections)
    parts += [f"<footer>Generated by Debate Arena {_e(version)} from the match log above.</footer>", "</body></html>"]
    return "\n".join(parts) + "\n"
