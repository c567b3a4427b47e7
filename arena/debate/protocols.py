"""Protocols for motions with a known answer, after the scalable-oversight studies:
does hearing a debate help a judge find the truth?

- `debate`: both sides argue; the ballot is the usual one (who debated better).
- `consultancy`: one consultant argues a side assigned at random (true or false); the
  judge sees only its speeches and decides which side is right.
- `direct`: no speeches; the judge decides from what it knows.

A judge's accuracy is the share of its valid ballots that name the motion's true side."""

from __future__ import annotations

from arena.debate import transcript
from arena.debate.judging import TRUTH_SCHEMA, Judge
from arena.debate.options import PROTOCOLS as PROTOCOLS  # defined once, there
from arena.debate.options import Protocol as Protocol
from arena.debate.prompts import render
from arena.debate.records import SIDE_LABEL, Ballot, Speech


async def judge_by_protocol(
    judge: Judge,
    protocol: str,
    speeches: list[Speech],
    consultant: str | None = None,
    repeat: int = 0,
    self_judged: bool = False,
) -> Ballot:
    """One ballot under `protocol`; for consultancy only the consultant's speeches are shown."""
    if protocol == "debate":
        return await judge.ballot(speeches, repeat, False, self_judged)
    if protocol == "consultancy":
        if consultant not in SIDE_LABEL:
            raise ValueError("the consultancy protocol needs the consultant's side")
        shown = [s for s in speeches if s.side == consultant]
        prompt = render(
            "judge_consultancy",
            motion=judge.motion.text,
            side_label=SIDE_LABEL[consultant],
            transcript=transcript.for_judge(shown, judge.nonce),
        )
    elif protocol == "direct":
        prompt = render("judge_direct", motion=judge.motion.text)
    else:
        raise ValueError(f"unknown protocol {protocol!r}: expected one of {', '.join(PROTOCOLS)}")
    return await judge.decide(prompt, repeat, False, self_judged, system="judge_truth_system", schema=TRUTH_SCHEMA)
