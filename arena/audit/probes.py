"""Probe debates for the judge audit: written once, stored, and judged by every judge
audited on the same seed and size, so judges are compared on the same transcripts.

Three kinds, `n` of each:
- `standard`: two debaters of different strength on a motion without a known answer
  (judged in both orders, then with an injected instruction and with padding);
- `mirror`: the same debater on both sides (a side bias shows here and nowhere else);
- `truth`: a motion with a known answer, argued by two equal debaters; judged under the
  debate, consultancy (one side shown, assigned at random) and direct protocols.

Speeches are written by `writer` (default: the simulator, whose debaters of a known
skill give the standard probes a true order). A simulated writer knows no facts, so on
the truth probes its speeches carry the protocol's framing, not evidence."""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field

from arena.config import ModelSettings
from arena.debate.formats import Format, load_format
from arena.debate.model_debater import ModelDebater
from arena.debate.records import MotionRef, Speech
from arena.debate.transcript import speech_words
from arena.debate.turns import ModelGateway, SpeechTurn
from arena.motions import MotionLibrary, load_motions

KINDS = ("standard", "mirror", "truth")
DEFAULT_WRITER = "sim/probe"
PROBE_FORMAT = "quick"
VERSION = 1  # bump when probes are written differently, so old sets are not reused


@dataclass
class Probe:
    kind: str
    index: int
    motion: MotionRef
    speeches: list[Speech]
    seed: int
    truth: str | None = None
    consultant: str | None = None  # truth probes: the side a consultant is assigned


@dataclass
class ProbeSet:
    id: str
    seed: int
    size: int  # probes of each kind
    writer: str
    probes: list[Probe] = field(default_factory=list)

    def of(self, kind: str) -> list[Probe]:
        return [p for p in self.probes if p.kind == kind]


def probe_set_id(size: int, seed: int, writer: str = DEFAULT_WRITER) -> str:
    return f"v{VERSION}:{writer}:{PROBE_FORMAT}:n{size}:s{seed}"


def _writer_model(writer: str, skill: float) -> str:
    if not writer.startswith("sim/"):
        return writer
    return f"{writer}{'&' if '?' in writer else '?'}skill={skill:.2f}"


async def _transcript(fmt: Format, motion: MotionRef, pro: ModelDebater, con: ModelDebater, seed: int) -> list[Speech]:
    speeches: list[Speech] = []
    for stage in fmt.stages:
        debater = pro if stage.side == "pro" else con
        visible = [s for s in speeches if stage.can_see(fmt.stages[s.index])]
        turn = SpeechTurn(
            motion=motion,
            format=fmt,
            stage=stage,
            visible=visible,
            visible_bets=[],
            condition="private",
            seed=seed * 1000 + stage.index,
        )
        out = await debater.speak(turn, lambda _t: None)
        speeches.append(
            Speech(
                index=stage.index,
                side=stage.side,
                stage=stage.name,
                kind=stage.kind,
                round=stage.round,
                text=out.text,
                words=speech_words(out.text),
                model=out.model,
            )
        )
    return speeches


async def generate(
    size: int,
    seed: int,
    gateway: ModelGateway,
    writer: str = DEFAULT_WRITER,
    library: MotionLibrary | None = None,
    concurrency: int = 8,
) -> ProbeSet:
    library = library or load_motions()
    known = library.with_truth()
    open_motions = [m for m in library if m.truth is None]
    if not known or not open_motions:
        raise ValueError("the judge audit needs motions with and without a known answer (motions/*.toml)")
    rng = random.Random(seed)
    rng.shuffle(open_motions)
    rng.shuffle(known)
    fmt = load_format(PROBE_FORMAT)
    plans: list[tuple[str, int, MotionRef, str | None, float, float, str | None, int]] = []
    for i in range(size):
        m = open_motions[i % len(open_motions)]
        ref = MotionRef(m.id, m.text, m.category, m.info_slide)
        plans.append(
            ("standard", i, ref, None, rng.uniform(0.2, 0.9), rng.uniform(0.2, 0.9), None, rng.randrange(2**31))
        )
    for i in range(size):
        m = open_motions[(i + size) % len(open_motions)]
        ref = MotionRef(m.id, m.text, m.category, m.info_slide)
        skill = rng.uniform(0.3, 0.8)
        plans.append(("mirror", i, ref, None, skill, skill, None, rng.randrange(2**31)))
    for i in range(size):
        m = known[i % len(known)]
        ref = MotionRef(m.id, m.text, m.category, m.info_slide)  # the truth stays with the probe
        plans.append(("truth", i, ref, m.truth, 0.5, 0.5, rng.choice(("pro", "con")), rng.randrange(2**31)))

    gate = asyncio.Semaphore(concurrency)

    async def one(plan: tuple) -> Probe:
        kind, index, ref, truth, pro_skill, con_skill, consultant, probe_seed = plan
        pro = ModelDebater(ModelSettings(_writer_model(writer, pro_skill)), gateway)
        con = ModelDebater(ModelSettings(_writer_model(writer, con_skill)), gateway)
        async with gate:
            speeches = await _transcript(fmt, ref, pro, con, probe_seed)
        return Probe(kind, index, ref, speeches, probe_seed, truth, consultant)

    probes = await asyncio.gather(*(one(p) for p in plans))
    return ProbeSet(probe_set_id(size, seed, writer), seed, size, writer, list(probes))
