"""One debate as one JSON document (`arena debate --json`, `arena show --format json`)."""

from __future__ import annotations

from dataclasses import asdict

from arena.debate.records import DebateRecord
from arena.store.store import RatingDelta, counts_for_ratings


def debate_document(
    record: DebateRecord, changes: dict[str, RatingDelta] | None = None, truth: str | None = None
) -> dict:
    """`truth`: the motion's known answer, if it has one (never shown to judges): the
    document then says whether the verdict found it."""
    verdict = record.verdict
    found = None if truth is None or verdict is None else verdict.winner == truth
    return {
        "id": record.id,
        "status": record.status,
        "error": record.error or None,
        "motion": asdict(record.motion),
        "format": record.format,
        "pro": record.pro,
        "con": record.con,
        "judges": record.judges,
        "seed": record.seed,
        "condition": record.condition,
        "collection": record.collection,
        "tournament": record.tournament,
        "rejudge_of": record.rejudge_of,  # arena rejudge: the debate whose transcript this judged again
        "protocol": record.protocol,
        "consultant": record.consultant,
        **({"truth": truth, "correct": found} if truth is not None else {}),
        "adaptive_break": record.adaptive_break,
        "broke_after_round": record.broke_after_round,
        "options": record.options.as_dict(),  # every option, as played (arena/debate/options.py)
        "speeches": [
            {
                "index": s.index,
                "side": s.side,
                "stage": s.stage,
                "kind": s.kind,
                "round": s.round,
                "text": s.text,
                "words": s.words,
                "tokens_in": s.tokens_in,
                "tokens_out": s.tokens_out,
                "cost": s.cost,
                "latency_s": round(s.latency_s, 4),
                "model": s.model,
                "trace": [asdict(step) for step in s.trace],
            }
            for s in record.speeches
        ],
        # Private reasoning stays out of the default document: it is the debater's scratchpad.
        "bets": [
            {"after_speech": b.after_speech, "side": b.side, "stage": b.stage, "amount": b.amount} for b in record.bets
        ],
        "round_scores": [
            {"judge": r.judge, "repeat": r.repeat, "round": r.round, "pro": r.pro, "con": r.con, "reason": r.reason}
            for r in record.round_scores
        ],
        "ballots": [
            {
                "judge": b.judge,
                "repeat": b.repeat,
                "winner": b.winner,
                "confidence": b.confidence,
                "scores": b.scores,
                "reasons": b.reasons,
                "swapped": b.swapped,
                "self_judged": b.self_judged,
                "void": b.void,
                "inconsistent": b.inconsistent,
                "error": b.error or None,
            }
            for b in record.ballots
        ],
        # Everything that went wrong short of voiding the debate: void ballots never count.
        "warnings": list(record.warnings),
        "verdict": asdict(verdict) if verdict else {"winner": None},
        # A void debate, an imported one or a participant debating itself changes no rating.
        "rated": counts_for_ratings(record),
        "rating_changes": {p: asdict(d) for p, d in (changes or {}).items()},
        "usage": asdict(record.usage),
        "started_at": record.started_at,
        "finished_at": record.finished_at,
    }
