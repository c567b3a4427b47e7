"""Does the embedded model debate or echo? Prints figures; not a timed test.

    PYTHONPATH=. python benchmarks/embedded_debates_bench.py [--debates 6] [--model local/smollm2]
        [--only claims|sampling] [--json]

Plays N `quick` debates with the embedded model on both sides, judged by a simulated
judge (`sim/j`, which costs nothing), over 3 motions, each played twice (seeds s and
s+1: the same model holds both sides, so "both sides" is two draws per motion). Prints:

- copy rate: the share of speeches after the first whose `transcript.copied_share`
  against the earlier speeches is >= 0.5, with its count and a 95 % Wilson interval;
- the share of speeches flagged off-side (a record warning naming the speech);
- whether any stored speech holds a delimiter, a nonce, a bet tag or a header;
- seconds per debate (wall time, model loading excluded by a warm-up call) and CPU seconds
  per debate (this process, the model's threads included: steadier on a busy machine).

The machine's load (`os.getloadavg`) is printed beside the figures: the embedded model's
speed depends on what else runs. `ARENA_LOCAL_THREADS=1` may be faster on a busy machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

from arena.config import Config  # noqa: E402
from arena.debate.engine import run_debate  # noqa: E402
from arena.debate.records import DebateRecord  # noqa: E402
from arena.debate.transcript import copied_share  # noqa: E402
from arena.llm.gateway import Gateway  # noqa: E402
from arena.llm.types import LLMRequest, Message  # noqa: E402
from arena.play import DebateRequest, prepare  # noqa: E402
from arena.prompt_markers import BET_TAGS, DELIMITER_END, DELIMITER_START, NONCE_LENGTH  # noqa: E402

MOTIONS = ("remote-work-productivity", "nuclear-power-net-zero", "social-media-teen-mental-health")
COPIED = 0.5
# What must never be in a stored speech: the delimiters (or a piece of one), a 16-hex nonce,
# a bet tag, a transcript header such as "[Opposition opening]".
FOREIGN = re.compile(
    "|".join(
        [
            re.escape(DELIMITER_START[:2]),
            re.escape(DELIMITER_END[:2]),
            "SPEECH-",
            "END-",
            rf"\b[0-9a-f]{{{NONCE_LENGTH}}}\b",
            *(re.escape(tag) for tag in BET_TAGS),
            r"\[(?:Proposition|Opposition)[^\]]*\]",
        ]
    ),
    re.IGNORECASE,
)


def wilson(hits: int, n: int, z: float = 1.96) -> tuple[float, float]:
    if n == 0:
        return (0.0, 1.0)
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def off_side_flags(record: DebateRecord) -> int:
    return sum(1 for w in record.warnings if "other side" in w)


def only(variant: str) -> None:
    """Switch off a part of the copy guard to measure the others: `claims` keeps the claim
    lists (no sampling guard), `sampling` keeps the sampling guard (verbatim transcript)."""
    from arena.debate import transcript
    from arena.llm.copy_guard import CopyGuard

    if variant == "claims":
        CopyGuard.penalties = lambda self, ids: {}  # type: ignore[method-assign]
    elif variant == "sampling":
        transcript.claims_for_debater = lambda speeches, side: transcript.for_debater(speeches)  # type: ignore[assignment]


async def play_all(model: str, debates: int, seed: int) -> dict:
    gateway = Gateway()
    # Load the model before the clock starts: the first call of a process pays for it.
    await gateway.complete(LLMRequest(model=model, messages=[Message("user", "Hi")], max_tokens=2))
    records: list[DebateRecord] = []
    seconds: list[float] = []
    cpu: list[float] = []
    for n in range(debates):
        motion = MOTIONS[(n // 2) % len(MOTIONS)]
        request = DebateRequest(pro=model, con=model, motion=motion, format="quick", judges=["sim/j"], seed=seed + n)
        setup = prepare(request, Config(), gateway)
        started, cpu_started = time.perf_counter(), time.process_time()
        record = await run_debate(setup, gateway)
        seconds.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
        records.append(record)
        print(
            f"  debate {n + 1}/{debates} {motion} seed={seed + n}: {record.status} in {seconds[-1]:.1f} s "
            f"({cpu[-1]:.1f} s CPU), "
            f"load {os.getloadavg()[0]:.2f}",
            file=sys.stderr,
            flush=True,
        )
    shares: list[float] = []
    foreign: list[str] = []
    for record in records:
        for i, speech in enumerate(record.speeches):
            if FOREIGN.search(speech.text):
                foreign.append(f"{record.id}#{speech.index}: {FOREIGN.search(speech.text)[0]!r}")  # type: ignore[index]
            if i:
                shares.append(copied_share(speech.text, [s.text for s in record.speeches[:i]]))
    copied = sum(1 for s in shares if s >= COPIED)
    low, high = wilson(copied, len(shares))
    speeches = sum(len(r.speeches) for r in records)
    flagged = sum(off_side_flags(r) for r in records)
    f_low, f_high = wilson(flagged, speeches)
    return {
        "model": model,
        "debates": debates,
        "finished": sum(r.status == "finished" for r in records),
        "threads": os.environ.get("ARENA_LOCAL_THREADS", "default"),
        "copy_rate": {
            "copied": copied,
            "of": len(shares),
            "rate": copied / max(1, len(shares)),
            "wilson95": [round(low, 3), round(high, 3)],
        },
        "copied_shares": [round(s, 2) for s in shares],
        "off_side": {
            "flagged": flagged,
            "of": speeches,
            "rate": flagged / max(1, speeches),
            "wilson95": [round(f_low, 3), round(f_high, 3)],
        },
        "foreign": foreign,
        "seconds_per_debate": sum(seconds) / max(1, len(seconds)),
        "seconds": [round(s, 1) for s in seconds],
        # CPU seconds of this process (the model's threads included): less at the mercy of
        # the machine's other work than wall time, so before/after compare on a busy machine.
        "cpu_seconds_per_debate": sum(cpu) / max(1, len(cpu)),
        "tokens_out_per_debate": sum(s.tokens_out for r in records for s in r.speeches) / max(1, len(records)),
        "retries": sum(r.usage.retries for r in records),
        "load": [round(x, 2) for x in os.getloadavg()],
        "speeches": [[{"side": s.side, "stage": s.stage, "text": s.text} for s in r.speeches] for r in records],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--debates", type=int, default=6)
    parser.add_argument("--model", default="local/smollm2")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--only", choices=("claims", "sampling"), help="one part of the copy guard (to compare)")
    args = parser.parse_args()
    if args.only:
        only(args.only)
    load_before = [round(x, 2) for x in os.getloadavg()]
    result = asyncio.run(play_all(args.model, args.debates, args.seed))
    result["load_before"] = load_before
    if args.json:
        print(json.dumps(result, indent=2))
        return
    del result["speeches"]  # --json keeps them, to read
    c, o = result["copy_rate"], result["off_side"]
    print(
        f"{result['debates']} quick debates, {args.model} on both sides, judge sim/j "
        f"({result['finished']} finished; threads {result['threads']})"
    )
    print(
        f"copy rate (copied_share >= {COPIED}): {c['copied']}/{c['of']} = {c['rate']:.2f} "
        f"(95% Wilson {c['wilson95'][0]:.2f}-{c['wilson95'][1]:.2f}); shares {result['copied_shares']}"
    )
    print(
        f"flagged off-side: {o['flagged']}/{o['of']} = {o['rate']:.2f} "
        f"(95% Wilson {o['wilson95'][0]:.2f}-{o['wilson95'][1]:.2f})"
    )
    print(f"delimiter/nonce/tag in a stored speech: {'none' if not result['foreign'] else result['foreign']}")
    print(
        f"seconds per debate: {result['seconds_per_debate']:.1f} (each: {result['seconds']}); "
        f"CPU seconds per debate {result['cpu_seconds_per_debate']:.1f}; speech retries {result['retries']}; "
        f"speech tokens per debate {result['tokens_out_per_debate']:.0f}"
    )
    print(f"load average before {load_before}, after {result['load']}")


if __name__ == "__main__":
    main()
