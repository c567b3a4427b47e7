"""Leaderboard exports as data: JSON and CSV.

Deterministic: the same leaderboard gives the same bytes (no clocks, no set or hash
order, fixed float formats). Floats are rounded here and only here: ratings to 2
decimals; shares as percentages with 2 decimals (their keys end in `_pct`); a Brier
score keeps 4 decimals. CSV text cells are neutralised for spreadsheets.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import math

from arena.ratings.leaderboard import Leaderboard, LeaderboardRow
from arena.ratings.stats import Rate


def _num(x: float | None, places: int = 2) -> float | None:
    """Rounded for export; NaN/inf become None; −0.0 becomes 0.0."""
    if x is None or not math.isfinite(x):
        return None
    return round(x, places) + 0.0


def _pct(x: float | None) -> float | None:
    return None if x is None else _num(100.0 * x)


# --- JSON ----------------------------------------------------------------------------


def _row_dict(r: LeaderboardRow) -> dict[str, object]:
    return {
        "position": r.position,
        "component": r.component,
        "rank_ub": r.rank_ub,
        "rank_lo": r.rank_lo,
        "rank_hi": r.rank_hi,
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
        "uncontrolled": _num(r.uncontrolled),
        "rank_change": r.rank_change,
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
        "controls": list(lb.settings.controls),
        "coefficients": [
            {
                "name": c.name,
                "value": _num(c.value),
                "ci_lo": _num(c.ci_lo),
                "ci_hi": _num(c.ci_hi),
                "n": c.n,
                "per_unit": _num(c.unit_value),
                "per_unit_lo": _num(c.unit_lo),
                "per_unit_hi": _num(c.unit_hi),
                "meaning": c.meaning,
                "sentence": c.sentence(),
            }
            for c in lb.coefficients
        ],
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
    "component", "position", "rank_ub", "rank_lo", "rank_hi", "participant", "name", "rating", "ci_lo", "ci_hi", "ci_method",
    "debates", "wins", "ties", "losses", "score_pct", "avg_opponent", "win_rate_vs_all_pct", "elo", "elo_lo",
    "elo_hi", "ts_mu", "ts_sigma", "ts_expose", "bt", "bt_lo", "bt_hi", "provisional", "brier", "uncontrolled", "rank_change",
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
    dropped = {
        c
        for c in ("elo_lo", "elo_hi", "brier", "win_rate_vs_all_pct", "uncontrolled", "rank_change")
        if all(_row_dict(r)[c] is None for r in lb.rows)
    }
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
