"""The panel's decision: majority of ballots; an even split is broken by summed
confidence; an exact tie is a tie. Void ballots do not count."""

from __future__ import annotations

from collections import defaultdict

from arena.debate.records import Ballot, Verdict


def aggregate(ballots: list[Ballot]) -> Verdict:
    valid = [b for b in ballots if not b.void]
    pro = [b for b in valid if b.winner == "pro"]
    con = [b for b in valid if b.winner == "con"]
    verdict = Verdict(
        winner="tie",
        pro_votes=len(pro),
        con_votes=len(con),
        pro_confidence=sum(b.confidence for b in pro),
        con_confidence=sum(b.confidence for b in con),
        void_ballots=len(ballots) - len(valid),
        swap_disagreements=swap_disagreements(valid),
    )
    if verdict.pro_votes != verdict.con_votes:
        verdict.winner = "pro" if verdict.pro_votes > verdict.con_votes else "con"
    elif verdict.pro_confidence != verdict.con_confidence:
        verdict.winner = "pro" if verdict.pro_confidence > verdict.con_confidence else "con"
    return verdict


def swap_disagreements(ballots: list[Ballot]) -> dict[str, int]:
    """Per judge: how many (repeat) pairs decided differently when the order was swapped."""
    pairs: dict[tuple[str, int], dict[bool, str | None]] = defaultdict(dict)
    for b in ballots:
        pairs[(b.judge, b.repeat)][b.swapped] = b.winner
    out: dict[str, int] = {}
    for (judge, _), by_order in pairs.items():
        if len(by_order) == 2:
            out[judge] = out.get(judge, 0) + int(by_order[False] != by_order[True])
    return out
