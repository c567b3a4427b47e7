"""What every study run shares: the plan (which debaters meet on which motion with which
seed), running one debate into a study collection, and a run id."""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from arena.config import Config
from arena.debate import events as ev
from arena.debate.engine import DebateSetup, run_debate
from arena.debate.options import DebateOptions
from arena.debate.records import DebateRecord
from arena.debate.turns import ModelGateway
from arena.errors import UsageProblem
from arena.motions import MotionLibrary, load_motions
from arena.play import DebateRequest, participant_info, prepare
from arena.store.store import Store


@dataclass
class StudyOptions:
    """The options every `arena study ...` run takes."""

    debaters: list[str]
    judges: list[str] = field(default_factory=list)
    motions: list[str] = field(default_factory=list)  # ids; empty: drawn from the library
    debates: int = 10
    seed: int = 1
    format: str = "quick"


@dataclass(frozen=True)
class Slot:
    index: int
    pro: str
    con: str
    motion: str
    seed: int


def run_id(study: str) -> str:
    return f"{study}-{time.strftime('%Y%m%d-%H%M%S')}-{random.SystemRandom().randrange(16**4):04x}"


def motion_ids(options: StudyOptions, library: MotionLibrary | None = None, pool: list[str] | None = None) -> list[str]:
    """The motions named, else `pool` (if given), else a seeded shuffle of the library."""
    library = library or load_motions()
    if options.motions:
        for motion_id in options.motions:
            library.get(motion_id)  # an unknown id is a usage error, with a suggestion
        return list(options.motions)
    ids = pool if pool is not None else [m.id for m in library.all()]
    if not ids:
        raise UsageProblem("no motions to debate: name some with --motions")
    ids = list(ids)
    random.Random(options.seed).shuffle(ids)
    return ids


def plan(options: StudyOptions, motions: list[str]) -> Iterator[Slot]:
    """`debates` slots: ordered pairs of debaters (a debater alone meets itself); every
    ordering of the pairs plays the same motion before moving to the next, so each
    pairing argues both sides of a motion."""
    if not options.debaters:
        raise UsageProblem("a study run needs --debaters (e.g. --debaters sim/a,sim/b)")
    names = options.debaters
    pairs = [(a, b) for a, b in itertools.permutations(names, 2)] or [(names[0], names[0])]
    for i in range(options.debates):
        pro, con = pairs[i % len(pairs)]
        yield Slot(i, pro, con, motions[(i // len(pairs)) % len(motions)], options.seed + i)


def setup_for(
    slot: Slot,
    options: StudyOptions,
    config: Config,
    gateway: ModelGateway,
    library: MotionLibrary | None = None,
    **chosen: Any,
) -> DebateSetup:
    """`chosen`: debate options of this study's own (e.g. adaptive_break=True)."""
    debate = DebateOptions(format=options.format, judges=tuple(options.judges), seed=slot.seed)
    req = DebateRequest(pro=slot.pro, con=slot.con, motion=slot.motion, options=replace(debate, **chosen))
    return prepare(req, config, gateway, library=library)


async def run_into(
    setup: DebateSetup, store: Store | None, gateway: ModelGateway, collection: str, on_event: ev.Listener = ev.ignore
) -> DebateRecord:
    """Run one debate and store it in `collection` (study collections are never rated);
    `store` None runs without storing (a replay)."""
    record = await run_debate(setup, gateway, on_event)
    record.collection = collection
    if store is not None:
        store.save_debate(record, [participant_info(setup.pro), participant_info(setup.con)])
    return record
