"""Running the prior-beliefs study: before each planned debate every model debater states
its own position privately (stored, never shown to anyone in the debate); with
`choose_side`, each is first told the judge's persona (and which way it leans) and
chooses its side, and the judges carry that persona. Debates go to `study-beliefs`."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from arena.config import Config, ModelSettings
from arena.debate.judging import JudgeSpec
from arena.debate.prompts import render
from arena.debate.turns import ModelGateway
from arena.motions import Motion, load_motions
from arena.store import study_tables as st
from arena.store.store import Store
from arena.studies.asking import SIDE_SCHEMA, Calls, ask_json, parse_side
from arena.studies.fallacy_run import stance
from arena.studies.personas import Persona, persona_named, with_persona
from arena.studies.running import StudyOptions, motion_ids, plan, run_id, run_into, setup_for
from arena.studies.study_calls import StudyCalls

COLLECTION = "study-beliefs"
SIDE_NAME = {"pro": "Proposition", "con": "Opposition"}


def _settings(debater: object) -> ModelSettings | None:
    """Only single models state a prior (teams and people are left out)."""
    settings = getattr(debater, "settings", None)
    return settings if isinstance(settings, ModelSettings) else None


async def choose(
    gateway: ModelGateway, settings: ModelSettings, motion: Motion, persona: Persona, seed: int
) -> str | None:
    prompt = render("side_choice", motion=motion.text, persona=persona.text, leans=SIDE_NAME[persona.leans or "pro"])
    return await ask_json(gateway, settings, "side_choice", prompt, SIDE_SCHEMA, parse_side, seed, Calls())


async def run_beliefs_study(
    options: StudyOptions,
    config: Config,
    gateway: ModelGateway,
    store: Store,
    choose_side: bool = False,
    personas: list[str] | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> tuple[str, list[str]]:
    """Returns (run id of the side choices, ids of the stored debates)."""
    library = load_motions()
    motions = motion_ids(options, library)
    leaning = [persona_named(p) for p in (personas or ["skeptical", "enthusiast"])]
    if choose_side and any(p.leans is None for p in leaning):
        from arena.errors import UsageProblem

        raise UsageProblem("--choose-side needs personas that lean one way (e.g. skeptical, enthusiast)")
    run = run_id("beliefs")
    log = StudyCalls.of(run)  # the stance and side questions' calls, written with their rows
    ids = []
    for slot in plan(options, motions):
        setup = setup_for(slot, options, config, gateway, library)
        motion = library.get(slot.motion)
        priors: dict[str, tuple[str, int] | None] = {}
        for side, debater in (("pro", setup.pro), ("con", setup.con)):
            settings = _settings(debater)
            if settings is None:
                priors[side] = None
                continue
            with log.asking("prior stance", debater.participant_id):
                priors[side] = await stance(gateway, settings, motion, slot.seed + 3, Calls())
        note = ""
        if choose_side:
            persona = leaning[slot.index % len(leaning)]
            picks: dict[str, str | None] = {}
            choices = []
            for side, debater in (("pro", setup.pro), ("con", setup.con)):
                settings = _settings(debater)
                if settings is None:
                    continue
                with log.asking("side choice", debater.participant_id):
                    picks[side] = await choose(gateway, settings, motion, persona, slot.seed + 5)
                known = priors[side]
                prior = known[0] if known else None
                choices.append(
                    st.SideChoice(
                        run=run,
                        participant=debater.participant_id,
                        motion_id=motion.id,
                        persona=persona.name,
                        persona_favours=persona.leans or "",
                        prior=prior,
                        chosen=picks[side],
                        created_at=time.time(),
                    )
                )
            log.add_rows(store, choices)
            if picks.get("pro") == "con" and picks.get("con") == "pro":  # both asked for the other side
                setup = replace(setup, pro=setup.con, con=setup.pro)
                priors = {"pro": priors["con"], "con": priors["pro"]}
            setup = replace(
                setup, judges=[JudgeSpec(with_persona(j.settings, persona), j.repeats) for j in setup.judges]
            )
            note = f"; judge persona {persona.name}, choices {picks}"
        record = await run_into(setup, store, gateway, COLLECTION)
        ids.append(record.id)
        log.add_rows(
            store,
            [
                st.PriorBelief(
                    debate_id=record.id,
                    side=side,
                    participant=d.participant_id,
                    stance=known[0] if known else None,
                    confidence=known[1] if known else None,
                )
                for side, d in (("pro", setup.pro), ("con", setup.con))
                if _settings(d)
                for known in (priors[side],)
            ],
        )
        progress(
            f"debate {slot.index + 1}/{options.debates} {record.id}: priors "
            f"pro={priors['pro'][0] if priors['pro'] else '?'} con={priors['con'][0] if priors['con'] else '?'}, "
            f"winner {record.verdict.winner if record.verdict else 'void'}{note}"
        )
    if log.written:
        progress(f"the study's {log.written} questions outside the debates: arena calls {log.run}")
    return run, ids
