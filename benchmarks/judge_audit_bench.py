"""Judge audit on the simulator: how long probe writing and judging take. Prints
figures; not a timed test.

    PYTHONPATH=. python benchmarks/judge_audit_bench.py [--debates 200] [--json]

Writes the probe set (3 x debates transcripts), then audits the planted judge of
issue 11 and an unbiased one on it, and reports seconds and ballots per second.
Goal: seconds, not minutes, at --debates 200.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

PLANTED = "sim/j?position_bias=0.3&side_bias=0.2&gullibility=0.5&verbosity_bias=0.2&accuracy=0.8"


async def main(debates: int) -> dict:
    from arena.audit.probes import generate
    from arena.audit.runner import audit_judge
    from arena.config import ModelSettings
    from arena.debate.judging import JudgeSpec
    from arena.llm.gateway import Gateway

    gateway = Gateway()
    started = time.perf_counter()
    probes = await generate(debates, 1, gateway)
    written = time.perf_counter() - started
    out = {"debates": debates, "probe_transcripts": len(probes.probes), "write_s": round(written, 3), "judges": {}}
    for model in (PLANTED, "sim/judge"):
        started = time.perf_counter()
        audit = await audit_judge(JudgeSpec(ModelSettings(model)), probes, gateway)
        seconds = time.perf_counter() - started
        out["judges"][model] = {
            "ballots": audit.ballots,
            "seconds": round(seconds, 3),
            "ballots_per_s": round(audit.ballots / seconds, 1),
        }
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--debates", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = asyncio.run(main(args.debates))
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"probe set: {result['probe_transcripts']} transcripts written in {result['write_s']} s")
        for model, r in result["judges"].items():
            print(f"{model}: {r['ballots']} ballots in {r['seconds']} s ({r['ballots_per_s']} ballots/s)")
