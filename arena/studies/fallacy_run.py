"""Running fallacy probes: for each planned (debater, claim), the debater's private
stance, then one dialogue per persuader mode (logical, fallacious) on the same claim,
each followed by the stance again. Every probe is stored (`study_fallacy_probe`)."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable

from arena.config import Config, ModelSettings
from arena.debate.participants import model_settings
from arena.debate.prompts import render
from arena.debate.turns import ModelGateway
from arena.motions import Motion, load_motions
from arena.store import study_tables as st
from arena.store.store import Store
from arena.store.study_query import add_rows
from arena.studies.asking import STANCE_SCHEMA, Calls, ask_json, ask_text, parse_stance
from arena.studies.fallacy import FALLACIES, MODES
from arena.studies.running import StudyOptions, motion_ids, run_id

WORDS = 80
POSITION = {"pro": "agrees with", "con": "disagrees with"}
GOAL = {"pro": "agree with", "con": "disagree with"}


def dialogue_text(turns: list[tuple[str, str]]) -> str:
    return "\n\n".join(f"{who}: {text}" for who, text in turns) or "(nothing yet)"


async def stance(gateway: ModelGateway, settings: ModelSettings, motion: Motion, seed: int, calls: Calls,
                 turns: list[tuple[str, str]] | None = None) -> tuple[str, int] | None:
    dialogue = render("stance_dialogue", dialogue=dialogue_text(turns)) if turns else ""
    prompt = render("stance", motion=motion.text, dialogue=dialogue)
    return await ask_json(gateway, settings, "stance", prompt, STANCE_SCHEMA, parse_stance, seed, calls)


async def probe(gateway: ModelGateway, debater: ModelSettings, persuader: ModelSettings, motion: Motion,
                mode: str, before: str, rounds: int, seed: int) -> st.FallacyProbe:
    target = "con" if before == "pro" else "pro"
    calls = Calls()
    turns: list[tuple[str, str]] = []
    named: list[str] = []
    offset = random.Random(seed).randrange(len(FALLACIES))
    for turn in range(1, rounds + 1):
        if mode == "fallacious":
            named.append(FALLACIES[(offset + turn - 1) % len(FALLACIES)])
            instructions = render("persuade_fallacious", fallacy=named[-1])
        else:
            instructions = render("persuade_logical")
        message = await ask_text(gateway, persuader, "persuade", render(
            "persuade", motion=motion.text, partner_position=POSITION[before], goal=GOAL[target],
            mode_instructions=instructions, dialogue=dialogue_text(turns), turn=turn, turns=rounds,
            word_limit=WORDS), seed + 17 * turn, calls, WORDS)
        turns.append(("Persuader", message))
        reply = await ask_text(gateway, debater, "other", render(
            "persuadee_reply", motion=motion.text, dialogue=dialogue_text(turns), word_limit=WORDS),
            seed + 17 * turn + 1, calls, WORDS)
        turns.append(("You", reply))
    after = await stance(gateway, debater, motion, seed + 7, calls, turns)
    return st.FallacyProbe(
        run="", persuader=persuader.participant_id, debater=debater.participant_id, motion_id=motion.id, mode=mode,
        target=target, before=before, after=after[0] if after else None,
        convinced=bool(after and after[0] == target), rounds=rounds, fallacies_json=json.dumps(named),
        transcript_json=json.dumps(turns), seed=seed, calls=calls.calls, created_at=time.time())


async def run_fallacy_study(options: StudyOptions, persuader: str | None, rounds: int, config: Config,
                            gateway: ModelGateway, store: Store,
                            progress: Callable[[str], None] = lambda _: None) -> str:
    """`options.debates` claims per debater, each probed in both modes; returns the run id."""
    if not options.debaters:
        from arena.errors import UsageProblem

        raise UsageProblem("a fallacy run needs --debaters (the models whose stance is probed)")
    library = load_motions()
    motions = motion_ids(options, library)
    persuader_settings = model_settings(persuader or options.debaters[0], config)
    run = run_id("fallacy")
    for d_index, name in enumerate(options.debaters):
        debater = model_settings(name, config)
        for i in range(options.debates):
            motion = library.get(motions[i % len(motions)])
            seed = options.seed + 1000 * d_index + i
            first = await stance(gateway, debater, motion, seed, Calls())
            if first is None:
                progress(f"{name} on {motion.id}: no usable stance, skipped")
                continue
            rows = [await probe(gateway, debater, persuader_settings, motion, mode, first[0], rounds, seed)
                    for mode in MODES]
            for row in rows:
                row.run = run
            add_rows(store, rows)
            progress(f"{name} on {motion.id}: before {first[0]}; " + ", ".join(
                f"{r.mode} → {r.after or 'no answer'}{' (convinced)' if r.convinced else ''}" for r in rows))
    return run
