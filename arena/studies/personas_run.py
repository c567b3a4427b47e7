"""Running the judge-personas study on motions with a known answer (Motion.truth): each
judge model judges as itself and as every persona asked for (a distinct judge id each),
under two protocols: `debate` (both sides argue) and `consultancy` (one consultant
argues an assigned side, the true one in half the slots). Debates go to
`study-personas`; every ballot is stored as a judgment, correct when it names the true
side."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from arena.config import Config
from arena.debate.formats import Format, load_format
from arena.debate.judging import JudgeSpec
from arena.debate.turns import ModelGateway
from arena.errors import UsageProblem
from arena.motions import load_motions
from arena.store import study_tables as st
from arena.store.store import Store
from arena.store.study_query import add_rows
from arena.studies.personas import PROTOCOLS, persona_named, with_persona
from arena.studies.running import StudyOptions, motion_ids, plan, run_id, run_into, setup_for

COLLECTION = "study-personas"


def consultancy_format(fmt: Format, side: str) -> Format:
    """Only `side`'s stages of a format: one consultant, nobody answering."""
    stages = tuple(replace(s, index=i, sees="all") for i, s in enumerate(x for x in fmt.stages if x.side == side))
    return Format(f"{fmt.name}-consultancy", f"consultancy on {fmt.name}: {side} only", stages)


async def run_personas_study(
    options: StudyOptions,
    personas: list[str],
    protocols: list[str],
    config: Config,
    gateway: ModelGateway,
    store: Store,
    progress: Callable[[str], None] = lambda _: None,
) -> str:
    for protocol in protocols:
        if protocol not in PROTOCOLS:
            raise UsageProblem(f"unknown protocol {protocol!r}: expected {' or '.join(PROTOCOLS)}")
    chosen = [persona_named(p) for p in personas]
    library = load_motions()
    known = [m.id for m in library.all() if m.truth]
    if not known and not options.motions:
        raise UsageProblem(
            'no motion in the library has a known answer (truth = "pro" or "con"): '
            "add some to a motions file, or set ARENA_MOTIONS to a folder that has them"
        )
    motions = motion_ids(options, library, pool=known)
    unknown = [m for m in motions if not library.get(m).truth]
    if unknown:
        raise UsageProblem(
            f"motion(s) without a known answer: {', '.join(unknown)} "
            '(the personas study needs motions with truth = "pro" or "con")'
        )
    fmt = load_format(options.format)
    run = run_id("personas")
    persona_of: dict[str, str] = {}
    for slot in plan(options, motions):
        setup = setup_for(slot, options, config, gateway, library)
        judges = []
        for spec in setup.judges:
            judges.append(spec)
            persona_of[spec.name] = ""
            for persona in chosen:
                carried = JudgeSpec(with_persona(spec.settings, persona), spec.repeats)
                judges.append(carried)
                persona_of[carried.name] = persona.name
        truth = library.get(slot.motion).truth or "pro"
        for protocol in protocols:
            this = replace(setup, judges=judges, debate_id="")
            if protocol == "consultancy":
                side = truth if slot.index % 2 == 0 else ("con" if truth == "pro" else "pro")
                consultant = setup.pro if side == "pro" else setup.con
                this = replace(this, format=consultancy_format(fmt, side), pro=consultant, con=consultant)
            record = await run_into(this, store, gateway, COLLECTION)
            rows = [
                st.PersonaJudgment(
                    run=run,
                    debate_id=record.id,
                    judge=b.judge,
                    persona=persona_of.get(b.judge, ""),
                    protocol=protocol,
                    motion_id=slot.motion,
                    truth=truth,
                    answer=b.winner,
                    correct=b.winner == truth,
                    created_at=time.time(),
                )
                for b in record.ballots
                if not b.swapped
            ]
            add_rows(store, rows)
            right = sum(r.correct for r in rows)
            progress(
                f"{protocol} {slot.index + 1}/{options.debates} on {slot.motion} (truth {truth}): "
                f"{right}/{len(rows)} ballots right"
            )
    return run
