"""Wiring for one debate: resolve names, run the engine, store what it produced.

Shared by the CLI, the TUI and the tournament runner, so a debate is set up and stored
the same way whichever front end started it."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace

from arena.config import Config
from arena.debate import events as ev
from arena.debate.engine import DebateSetup, run_debate
from arena.debate.formats import Format, load_format
from arena.debate.judging import NEUTRAL_BY_DEFAULT
from arena.debate.options import CONDITIONS, INCONSISTENT_POLICIES, PROTOCOLS, DebateOptions
from arena.debate.participants import HumanFactory, build_debater, default_judges, judge_specs
from arena.debate.records import DebateRecord, MotionRef, Side
from arena.debate.turns import Debater, ModelGateway
from arena.errors import UsageProblem
from arena.motions import Motion, MotionLibrary, load_motions
from arena.store.store import ParticipantInfo, RatingDelta, Store

Saver = Callable[[DebateRecord, list[ParticipantInfo]], Awaitable[dict[str, RatingDelta]]]


@dataclass
class DebateRequest:
    """What a user asks for: who debates, on which motion (names as typed, resolved by
    `prepare`), with which options; where it is stored (id, tournament, slot)."""

    pro: str = "local/smollm2"
    con: str = "local/smollm2"
    motion: str | None = None  # an id; None: a random motion (seeded)
    options: DebateOptions = field(default_factory=DebateOptions)
    role_models: dict[str, str] = field(default_factory=dict)
    debate_id: str = ""
    tournament: str | None = None
    slot: str | None = None


def motion_ref(motion: Motion) -> MotionRef:
    return MotionRef(motion.id, motion.text, motion.category, motion.info_slide)


def pick_motion(motion_id: str | None, rng: random.Random, library: MotionLibrary | None = None) -> Motion:
    library = load_motions() if library is None else library
    if motion_id:
        return library.get(motion_id)
    return library.random(rng)


def prepare(
    request: DebateRequest,
    config: Config,
    gateway: ModelGateway,
    human: HumanFactory | None = None,
    *,
    loaded_format: Format | None = None,
    library: MotionLibrary | None = None,
) -> DebateSetup:
    """`loaded_format` (the request's format, already loaded) and `library` spare callers
    that prepare debates by the thousand (tournaments) from reading files every time."""
    options = request.options
    if options.condition not in CONDITIONS:
        raise UsageProblem(f"unknown bet condition {options.condition!r}: expected one of {', '.join(CONDITIONS)}")
    if options.protocol not in PROTOCOLS:
        raise UsageProblem(f"unknown protocol {options.protocol!r}: expected one of {', '.join(PROTOCOLS)}")
    if options.inconsistent not in INCONSISTENT_POLICIES:
        raise UsageProblem(
            f"unknown inconsistent-ballot policy {options.inconsistent!r}: "
            f"expected one of {', '.join(INCONSISTENT_POLICIES)}"
        )
    seed = options.seed if options.seed is not None else random.SystemRandom().randrange(1, 2**31)
    if options.protocol != "debate" and not request.motion:
        # the protocols measure judges against a known answer: draw from those motions
        known = (library if library is not None else load_motions()).with_truth()
        motion = random.Random(seed).choice(known) if known else pick_motion(None, random.Random(seed), library)
    else:
        motion = pick_motion(request.motion, random.Random(seed), library)
    # consultancy: the consultant's side is drawn at random, true or false alike
    sides: tuple[Side, Side] = ("pro", "con")
    consultant = random.Random(seed * 7 + 1).choice(sides) if options.protocol == "consultancy" else None
    register_limits(config)
    pro = build_debater(request.pro, config, gateway, human, request.role_models)
    con = build_debater(request.con, config, gateway, human, request.role_models)
    judges = list(options.judges) or list(default_judges([pro.models, con.models], config).names)
    return DebateSetup(
        motion=motion_ref(motion),
        format=loaded_format or load_format(options.format),
        pro=pro,
        con=con,
        judges=[
            replace(
                j,
                inconsistent=options.inconsistent,
                neutral_labels=j.settings.model in NEUTRAL_BY_DEFAULT
                if options.neutral_labels is None
                else options.neutral_labels,
            )
            for j in judge_specs(judges, config, options.judge_repeats)
        ],
        options=replace(options, seed=seed),
        evidence=list(motion.evidence),
        debate_id=request.debate_id,
        tournament=request.tournament,
        slot=request.slot,
        consultant=consultant,
    )


def register_limits(config: Config) -> None:
    """Concurrency limits and timeouts of arena.toml's participants and judges, for the gateway."""
    from arena.llm import limits, timeouts

    timeouts.from_environment()  # a wrong ARENA_TIMEOUT is a usage error before anything runs
    timeouts.set_defaults(config.timeout, config.stall_timeout)
    tables = [("participant", s) for s in config.participants.values()] + [("judge", s) for s in config.judges.values()]
    for table, settings in tables:
        limits.register(settings.model, settings.api_base, settings.concurrency)
        where = f"{table}.{settings.name}"
        timeouts.register(settings.model, settings.api_base, where, settings.timeout, settings.stall_timeout)


def participant_info(debater: Debater) -> ParticipantInfo:
    settings = getattr(debater, "settings", None)
    kind = debater.participant_id.split(":", 1)[0]
    return ParticipantInfo(
        id=debater.participant_id,
        kind=kind if kind in ("model", "team", "human") else "model",
        display=getattr(settings, "name", "") or debater.participant_id,
        settings=settings.as_dict() if settings is not None and hasattr(settings, "as_dict") else None,
    )


def shown_names(setup: DebateSetup) -> dict[str, str]:
    """Participant id → its arena.toml name, for the participants that have one."""
    infos = (participant_info(setup.pro), participant_info(setup.con))
    return {info.id: info.display for info in infos if info.display and info.display != info.id}


async def play(
    setup: DebateSetup,
    store: Store,
    gateway: ModelGateway,
    on_event: ev.Listener = ev.ignore,
    *,
    void_on_cancel: bool = True,
    save: Saver | None = None,
) -> tuple[DebateRecord, dict[str, RatingDelta]]:
    """Run and store. A cancelled debate (Ctrl-C, the TUI's cancel key) is stored as void,
    unless the caller will run it again (a tournament's resume), which leaves it as it was.
    `save`, if given, stores the finished record instead of `store.save_debate` on the event
    loop (a tournament hands it to its writer thread, so saving never stalls other debates)."""
    infos = [participant_info(setup.pro), participant_info(setup.con)]
    record: DebateRecord | None = None

    def keep(event: ev.Event) -> None:
        nonlocal record
        if isinstance(event, ev.DebateStarted):
            record = event.record
        on_event(event)

    try:
        record = await run_debate(setup, gateway, keep)
    except asyncio.CancelledError:
        if record is not None and void_on_cancel:
            record.status, record.error = "void", "cancelled by the user"
            store.save_debate(record, infos)
        raise
    changes = await save(record, infos) if save is not None else store.save_debate(record, infos)
    return record, changes
