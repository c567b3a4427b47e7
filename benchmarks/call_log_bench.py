"""What the call log costs in bytes per debate. Prints figures; not a timed test.

    PYTHONPATH=. python benchmarks/call_log_bench.py [--debates N] [--judges J] [--json]

Simulated debates (speeches as long as each stage's word limit) on a 6-speech format
(`a4d`, arena/formats/) and a 16-speech one (eight rounds of the `ovc` shape, written
here), each stored twice: with the call log `full` and `off`. Reports per debate: the
calls, the text the calls carried (every message and answer, as sent: what a log that
stored each call whole would hold), what the log adds to the database file (the SQLite
file's size with the log minus without, divided by the debates), and its two parts (the
rows' parts lists and short segments; the compressed blobs the debate names).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

from arena.config import Config  # noqa: E402
from arena.debate.engine import run_debate  # noqa: E402
from arena.debate.options import DebateOptions  # noqa: E402
from arena.llm.gateway import Gateway  # noqa: E402
from arena.play import DebateRequest, participant_info, prepare  # noqa: E402
from arena.store.call_log import bytes_of  # noqa: E402
from arena.store.store import Store  # noqa: E402

ROUNDS_16 = [("opening", "constructive", 300)] + [("rebuttal", "rebuttal", 250)] * 6 + [("closing", "summary", 200)]


def long_format(path: Path) -> str:
    """Sixteen speeches: eight simultaneous rounds (each side sees every earlier round)."""
    stages = []
    for n, (name, kind, words) in enumerate(ROUNDS_16, start=1):
        for side in ("pro", "con"):
            stages.append(
                f'[[stage]]\nname = "{name} {n}"\nside = "{side}"\nkind = "{kind}"\nround = {n}\n'
                f'sees = "earlier_rounds"\nword_limit = {words}\ntime_limit = 300\n'
            )
    path.write_text('name = "long16"\ndescription = "Sixteen speeches in eight rounds"\n\n' + "\n".join(stages))
    return str(path)


def measure(workdir: str, fmt: str, label: str, debates: int, judges: int) -> dict:
    gateway = Gateway()
    records = []
    for i in range(debates):
        options = DebateOptions(format=fmt, judges=tuple(f"sim/j{j}" for j in range(judges)), seed=100 + i)
        setup = prepare(DebateRequest(pro=f"sim/a{i}", con=f"sim/b{i}", options=options), Config(), gateway)
        record = asyncio.run(run_debate(setup, gateway))
        records.append((record, [participant_info(setup.pro), participant_info(setup.con)]))
    sizes = {}
    for level in ("off", "full"):
        path = os.path.join(workdir, f"{label}-{level}.db")
        store = Store(path, call_log=level)
        for record, infos in records:
            store.save_debate(record, infos)
        if level == "full":
            parts = [bytes_of(store, r.id) for r, _ in records]
        store.engine.dispose()
        sizes[level] = os.path.getsize(path)
    calls = sum(len(r.calls) for r, _ in records)
    text = sum(len(m.content.encode()) + 0 for r, _ in records for c in r.calls for m in c.call.request.messages) + sum(
        len(c.call.answer.encode()) for r, _ in records for c in r.calls
    )
    return {
        "format": label,
        "speeches": len(records[0][0].speeches),
        "judges": judges,
        "debates": debates,
        "calls_per_debate": round(calls / debates, 1),
        "text_sent_kb_per_debate": round(text / debates / 1024, 1),
        "log_kb_per_debate_in_file": round((sizes["full"] - sizes["off"]) / debates / 1024, 1),
        "rows_kb_per_debate": round(sum(p[0] for p in parts) / debates / 1024, 1),
        "blobs_kb_per_debate": round(sum(p[1] for p in parts) / debates / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--debates", type=int, default=20)
    parser.add_argument("--judges", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        results = [
            measure(workdir, "a4d", "a4d", args.debates, args.judges),
            measure(workdir, long_format(Path(workdir) / "long16.toml"), "long16", args.debates, args.judges),
        ]
    if args.json:
        json.dump(results, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return
    for r in results:
        sys.stdout.write(
            f"{r['format']}: {r['speeches']} speeches, {r['judges']} judges, {r['debates']} debates; "
            f"{r['calls_per_debate']} calls and {r['text_sent_kb_per_debate']} KB of text sent per debate; "
            f"the call log adds {r['log_kb_per_debate_in_file']} KB per debate to the database file "
            f"(rows {r['rows_kb_per_debate']} KB, compressed blobs {r['blobs_kb_per_debate']} KB)\n"
        )


if __name__ == "__main__":
    main()
