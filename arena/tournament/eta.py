"""How long a running tournament still needs, from what it has measured so far.

A tournament mixes fast and slow players: simulated debates end in milliseconds while
the embedded model's take minutes, so "elapsed / done × left" swings wildly (the first
instant debates promise a finish in seconds). Here a debate's duration is taken as the
sum of its two participants' shares, fitted to the debates measured so far (least
squares, by a few rounds of alternating means: a fast player who met the slow model is
not taken for slow); each remaining debate is costed by its two participants, and the
sum is divided by the parallelism actually achieved (the time-average of debates in
progress: a model behind one lock runs its debates one at a time, however many are
"running"). A participant with no measured debate yet is costed at the mean share,
and the estimate says it is a floor."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from statistics import fmean


@dataclass
class EtaModel:
    concurrency: int = 1
    started: float = field(default_factory=time.perf_counter)
    durations: dict[str, list[float]] = field(default_factory=dict)  # participant -> debate seconds
    remaining: dict[str, tuple[str, str]] = field(default_factory=dict)  # debate id -> (pro, con), not begun
    in_progress: dict[str, tuple[float, str, str]] = field(default_factory=dict)  # id -> (start, pro, con)
    unpaired: int = 0  # planned debates not yet paired (later Swiss rounds)
    _busy: float = 0.0  # debate-seconds of the debates ended in this run
    _measured: list[tuple[str, str, float]] = field(default_factory=list)  # (pro, con, seconds)
    _fit: tuple[int, dict[str, float]] = (-1, {})

    def plan(self, todo: dict[str, tuple[str, str]], unpaired: int = 0) -> None:
        """The debates this run still has to play (id -> (pro, con))."""
        self.remaining = dict(todo)
        self.unpaired = max(0, unpaired)

    def begin(self, debate_id: str, pro: str, con: str) -> None:
        self.remaining.pop(debate_id, None)
        self.in_progress[debate_id] = (time.perf_counter(), pro, con)

    def end(self, debate_id: str, measured: bool = True) -> None:
        """A debate ended; `measured=False` for one cut short (cancelled, broken)."""
        begun = self.in_progress.pop(debate_id, None)
        if begun is None:
            return
        start, pro, con = begun
        seconds = time.perf_counter() - start
        self._busy += seconds
        if measured:
            self._measured.append((pro, con, seconds))
            for player in {pro, con}:
                self.durations.setdefault(player, []).append(seconds)

    def shares(self, rounds: int = 30) -> dict[str, float]:
        """Each measured participant's share of a debate's seconds (pro share + con share);
        refitted only when a debate has been measured since the last fit."""
        if self._fit[0] == len(self._measured):
            return self._fit[1]
        met: dict[str, list[tuple[str, float]]] = {}
        for pro, con, seconds in self._measured:
            met.setdefault(pro, []).append((con, seconds))
            met.setdefault(con, []).append((pro, seconds))
        share = {p: fmean(s for _, s in games) / 2 for p, games in met.items()}
        for _ in range(rounds):
            for player, games in met.items():
                share[player] = max(0.0, fmean(seconds - share[other] for other, seconds in games))
        self._fit = (len(self._measured), share)
        return share

    def seconds_left(self, now: float | None = None) -> tuple[float | None, bool]:
        """(seconds, is_floor): None before any debate has been measured."""
        now = time.perf_counter() if now is None else now
        if not self._measured:
            return (None, False) if (self.remaining or self.in_progress or self.unpaired) else (0.0, False)
        share = self.shares()
        mean_share = fmean(share.values())
        floor = False

        def cost(pro: str, con: str) -> float:
            nonlocal floor
            if pro not in share or con not in share:
                floor = True
            return share.get(pro, mean_share) + share.get(con, mean_share)

        overall = 2 * mean_share
        work = sum(cost(pro, con) for pro, con in self.remaining.values()) + self.unpaired * overall
        for start, pro, con in self.in_progress.values():
            work += max(0.0, cost(pro, con) - (now - start))
        busy = self._busy + sum(now - start for start, _, _ in self.in_progress.values())
        elapsed = max(now - self.started, 1e-9)
        left = len(self.remaining) + len(self.in_progress) + self.unpaired
        parallel = min(max(busy / elapsed, 1.0), float(max(1, self.concurrency)), float(max(1, left)))
        return work / parallel, floor
