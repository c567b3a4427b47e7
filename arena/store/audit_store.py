"""The judge audit's rows: probe sets (stored once, reused), results by judge id, and
the stored ballots that show a judge's preference for its own model."""

from __future__ import annotations

import json
import time
from dataclasses import asdict

from sqlalchemy import insert
from sqlmodel import col, select

from arena import __version__
from arena.audit.metrics import SelfPreferenceCounts, metrics_dict, metrics_from_dict
from arena.audit.probes import Probe, ProbeSet
from arena.audit.runner import JudgeAudit
from arena.debate.records import MotionRef, Speech
from arena.store import call_log
from arena.store import tables as t
from arena.store.engine import table_of
from arena.store.store import Store


def load_probe_set(store: Store, set_id: str, seed: int, size: int, writer: str) -> ProbeSet | None:
    with store.session() as session:
        rows = session.exec(
            select(t.JudgeProbeRow).where(t.JudgeProbeRow.probe_set == set_id).order_by(col(t.JudgeProbeRow.id))
        ).all()
    if not rows:
        return None
    probes = [
        Probe(
            r.kind,
            r.index,
            MotionRef(r.motion_id, r.motion_text, r.category, r.info_slide),
            [Speech(**s) for s in json.loads(r.speeches_json)],
            r.seed,
            r.truth,
            r.consultant,
        )
        for r in rows
    ]
    return ProbeSet(set_id, seed, size, writer, probes)


def save_probe_set(store: Store, probes: ProbeSet) -> None:
    with store.write_session() as session:
        if session.exec(select(t.JudgeProbeRow.id).where(t.JudgeProbeRow.probe_set == probes.id)).first():
            return  # another process stored it first: the same seed writes the same probes
        session.connection().execute(
            insert(table_of(t.JudgeProbeRow)),
            [
                dict(
                    probe_set=probes.id,
                    kind=p.kind,
                    index=p.index,
                    seed=p.seed,
                    motion_id=p.motion.id,
                    motion_text=p.motion.text,
                    category=p.motion.category,
                    info_slide=p.motion.info_slide,
                    truth=p.truth,
                    consultant=p.consultant,
                    speeches_json=json.dumps(
                        [{k: v for k, v in asdict(s).items() if k != "trace"} for s in p.speeches]
                    ),
                )
                for p in probes.probes
            ],
        )
        session.commit()


def save_audit(store: Store, audit: JudgeAudit, probes: ProbeSet) -> str:
    """Store the audit and its model calls (under the run "audit:<id>"); returns that run."""
    with store.write_session() as session:
        row = t.JudgeAuditRow(
            judge_id=audit.judge_id,
            judge=audit.judge,
            probe_set=audit.probe_set,
            size=probes.size,
            seed=probes.seed,
            metrics_json=json.dumps(metrics_dict(audit.metrics), sort_keys=True),
            ballots=audit.ballots,
            void_ballots=audit.void_ballots,
            created_at=time.time(),
            app_version=__version__,
        )
        session.add(row)
        session.flush()  # its id names the run its calls are stored under
        run = f"audit:{row.id}"
        call_log.write_calls(session, audit.calls, store.call_log, set(), run=run)
        session.commit()
    return run


def latest_audits(
    store: Store, judge_ids: list[str] | None = None
) -> dict[str, tuple[t.JudgeAuditRow, dict[str, object]]]:
    """The newest audit of each judge id (of the given ones): the row and its metrics."""
    query = select(t.JudgeAuditRow).order_by(col(t.JudgeAuditRow.created_at), col(t.JudgeAuditRow.id))
    if judge_ids is not None:
        query = query.where(col(t.JudgeAuditRow.judge_id).in_(judge_ids))
    with store.session() as session:
        rows = session.exec(query).all()
    return {r.judge_id: (r, metrics_from_dict(json.loads(r.metrics_json))) for r in rows}


def _own_side(model: str, pro_id: str, con_id: str) -> str | None:
    def uses(pid: str) -> bool:
        return (
            pid == f"model:{model}"
            or pid.startswith(f"model:{model}~")
            or pid.endswith(f"@{model}")
            or f"@{model}+" in pid
        )

    pro, con = uses(pro_id), uses(con_id)
    return "pro" if pro and not con else "con" if con and not pro else None


def self_preference_counts(store: Store, judge: str, model: str) -> SelfPreferenceCounts:
    """From stored ballots: how often `judge` voted for its own model's side in debates
    that model argued, and how often the other judges of those debates did."""
    counts = SelfPreferenceCounts()
    with store.session() as session:
        own = session.exec(
            select(t.BallotRow.debate_id).where(t.BallotRow.judge == judge, t.BallotRow.self_judged == True)  # noqa: E712
        ).all()
        ids = sorted(set(own))
        if not ids:
            return counts
        debates = {
            d.id: d
            for d in session.exec(
                select(t.Debate).where(
                    col(t.Debate.id).in_(ids), t.Debate.status == "finished", t.Debate.collection == "arena"
                )
            ).all()
        }
        ballots = session.exec(select(t.BallotRow).where(col(t.BallotRow.debate_id).in_(list(debates)))).all()
    for b in ballots:
        d = debates[b.debate_id]
        side = _own_side(model, d.pro_id, d.con_id)
        if side is None or b.winner is None:
            continue
        if b.judge == judge:
            counts.own_n += 1
            counts.own_for_self += b.winner == side
        else:
            counts.others_n += 1
            counts.others_for_it += b.winner == side
    return counts
