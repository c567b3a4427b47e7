"""Running fallacy probes: for each planned (debater, claim), the debater's private
stance, then one dialogue per persuader mode (logical, fallacious) on the same claim,
each followed by the stance again. Every probe is stored (`study_fallacy_probe`)."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable

from arena.config import Config, ModelSettings
from arena.debate.call_log import scope
from arena.debate.participants import model_settings
from arena.debate.prompts import render
from arena.debate.turns import ModelGateway
from arena.motions import Motion, load_motions
from arena.store import study_tables as st
from arena.store.store import Store
from arena.studies.asking import STANCE_SCHEMA, Calls, ask_json, ask_text, parse_stance
from arena.studies.fallacy import FALLACIES, MODES
from arena.studies.running import StudyOptions, motion_ids, run_id
from arena.studies.study_calls import StudyCalls

WORDS = 80
POSITION = {"pro": "agrees with", "con": "disagrees with"}
GOAL = {"pro": "agree with", "con": "disagree with"}


def dialogue_text(turns: list[tuple[str, str]]) -> str:
    return "\n\n".join(f"{who}: {text}" for who, text in turns) or "(nothing yet)"


async def stance(
    gateway: ModelGateway,
    settings: ModelSettings,
    motion: Motion,
    seed: int,
    calls: Calls,
    turns: list[tuple[str, str]] | None = None,
) -> tuple[str, int] | None:
    dialogue = render("stance_dialogue", dialogue=dialogue_text(turns)) if turns else ""
    prompt = render("stance", motion=motion.text, dialogue=dialogue)
    return await ask_json(gateway, settings, "stance", prompt, STANCE_SCHEMA, parse_stance, seed, calls)


async def probe(
    gateway: ModelGateway,
    debater: ModelSettings,
    persuader: ModelSettings,
    motion: Motion,
    mode: str,
    before: str,
    rounds: int,
    seed: int,
) -> st.FallacyProbe:
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
        with scope(f"{mode} turn {turn}", persuader.participant_id):
            message = await ask_text(
                gateway,
                persuader,
                "persuade",
                render(
                    "persuade",
                    motion=motion.text,
                    partner_position=POSITION[before],
                    goal=GOAL[target],
                    mode_instructions=instructions,
                    dialogue=dialogue_text(turns),
                    turn=turn,
                    turns=rounds,
                    word_limit=WORDS,
                ),
                seed + 17 * turn,
                calls,
                WORDS,
            )
        turns.append(("Persuader", message))
        with scope(f"{mode} turn {turn}", debater.participant_id):
            reply = await ask_text(
                gateway,
                debater,
                "other",
                render("persuadee_reply", motion=motion.text, dialogue=dialogue_text(turns), word_limit=WORDS),
                seed + 17 * turn + 1,
                calls,
                WORDS,
            )
        turns.append(("You", reply))
    with scope(f"{mode} stance after", debater.participant_id):
        after = await stance(gateway, debater, motion, seed + 7, calls, turns)
    return st.FallacyProbe(
        run="",
        persuader=persuader.participant_id,
        debater=debater.participant_id,
        motion_id=motion.id,
        mode=mode,
        target=target,
        before=before,
        after=after[0] if after else None,
        convinced=bool(after and after[0] == target),
        rounds=rounds,
        fallacies_json=json.dumps(named),
        transcript_json=json.dumps(turns),
        seed=seed,
        calls=calls.calls,
        created_at=time.time(),
    )


async def run_fallacy_study(
    options: StudyOptions,
    persuader: str | None,
    rounds: int,
    config: Config,
    gateway: ModelGateway,
    store: Store,
    progress: Callable[[str], None] = lambda _: None,
) -> str:
    """`options.debates` claims per debater, each probed in both modes; returns the run id."""
    if not options.debaters:
        from arena.errors import UsageProblem

        raise UsageProblem("a fallacy run needs --debaters (the models whose stance is probed)")
    library = load_motions()
    motions = motion_ids(options, library)
    persuader_settings = model_settings(persuader or options.debaters[0], config)
    run = run_id("fallacy")
    log = StudyCalls.of(run)  # every question of the run, written with its probes
    for d_index, name in enumerate(options.debaters):
        debater = model_settings(name, config)
        for i in range(options.debates):
            motion = library.get(motions[i % len(motions)])
            seed = options.seed + 1000 * d_index + i
            with log.asking("stance before", debater.participant_id):
                first = await stance(gateway, debater, motion, seed, Calls())
            if first is None:
                progress(f"{name} on {motion.id}: no usable stance, skipped")
                continue
            with log.recording():
                rows = [
                    await probe(gateway, debater, persuader_settings, motion, mode, first[0], rounds, seed)
                    for mode in MODES
                ]
            for row in rows:
                row.run = run
            log.add_rows(store, rows)
            progress(
                f"{name} on {motion.id}: before {first[0]}; "
                + ", ".join(f"{r.mode} → {r.after or 'no answer'}{' (convinced)' if r.convinced else ''}" for r in rows)
            )
    log.add_rows(store, [])  # the stance questions of claims skipped last
    progress(f"the run's {log.written} model calls: arena calls {log.run}")
    return run


async def judge_probes(
    options: StudyOptions,
    persuader: str | None,
    config: Config,
    gateway: ModelGateway,
    store: Store,
    run: str,
    progress: Callable[[str], None] = lambda _: None,
) -> None:
    """Judges probed the same way: a logical speech against a fallacious one on the same
    motion (sides alternate); the fallacious one should lose."""
    from arena.debate.judging import Judge
    from arena.debate.participants import default_judges, judge_specs
    from arena.debate.records import SIDE_LABEL, Speech
    from arena.debate.transcript import judge_nonce, speech_words
    from arena.play import motion_ref

    library = load_motions()
    motions = motion_ids(options, library)
    writer = model_settings(persuader or options.debaters[0], config)
    given = list(options.judges) or list(default_judges([{writer.model}], config).names)  # as for a debate
    specs = judge_specs(given, config)
    log = StudyCalls(f"study:{run}/judges")  # the speeches written and the ballots, with the ballots
    for i in range(options.debates):
        motion = library.get(motions[i % len(motions)])
        seed = options.seed + 7919 + i
        fallacious_side = "pro" if i % 2 == 0 else "con"
        fallacy = FALLACIES[(options.seed + i) % len(FALLACIES)]
        speeches = []
        for index, side in enumerate(("pro", "con")):
            instructions = (
                render("persuade_fallacious", fallacy=fallacy)
                if side == fallacious_side
                else render("persuade_logical")
            )
            with log.asking(f"judge probe {i + 1} {side}", writer.participant_id):
                text = await ask_text(
                    gateway,
                    writer,
                    "persuade",
                    render(
                        "fallacy_speech",
                        motion=motion.text,
                        side_label=SIDE_LABEL[side],
                        duty="for" if side == "pro" else "against",
                        mode_instructions=instructions,
                        word_limit=WORDS,
                    ),
                    seed + index,
                    Calls(),
                    WORDS,
                )
            speeches.append(
                Speech(
                    index=index,
                    side=side,  # type: ignore[arg-type]
                    stage="speech",
                    kind="constructive",
                    round=1,
                    text=text,
                    words=speech_words(text),
                )
            )
        rows = []
        for spec in specs:
            for repeat in range(spec.repeats):
                judge = Judge(spec, gateway, motion_ref(motion), judge_nonce(run, i, spec.name), seed)
                with log.asking(f"judge probe {i + 1} ballot", spec.name):
                    ballot = await judge.ballot(speeches, repeat, False, False)
                rows.append(
                    st.FallacyBallot(
                        run=run,
                        judge=spec.name,
                        motion_id=motion.id,
                        fallacious_side=fallacious_side,
                        fallacy=fallacy,
                        winner=ballot.winner,
                        created_at=time.time(),
                    )
                )
        log.add_rows(store, rows)
        progress(
            f"judge probe {i + 1}/{options.debates} on {motion.id} ({fallacy} for {fallacious_side}): "
            + ", ".join(f"{r.judge} → {r.winner or 'void'}" for r in rows)
        )
    progress(f"the judge probes' {log.written} model calls: arena calls {log.run}")
