"""Showing a running tournament on stderr: a live rich display on a terminal, plain
lines every few seconds otherwise (logs, CI, `nohup`). Stdout stays free for results.

The runner only updates a `RunState`; a display polls it, so drawing never slows the
debates down and the runner knows nothing of terminals."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, TextIO

if TYPE_CHECKING:
    from rich.live import Live
    from rich.progress import Progress, TaskID

from arena.literal import markup_literal, write_line
from arena.tournament.eta import EtaModel


@dataclass
class RunState:
    """Counters of one tournament run, read by displays and the final summary."""

    name: str
    planned: int = 0  # the whole tournament (Swiss rounds not yet paired included)
    finished: int = 0  # whole tournament, earlier runs included
    void: int = 0
    running: int = 0
    done_before: int = 0  # finished + void when this run started
    calls: int = 0
    failures: int = 0  # calls that failed after their retries
    retries: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    cost: float = 0.0  # this run, calls with a known price
    prior_cost: float = 0.0  # stored debates of earlier runs
    unpriced_calls: int = 0
    started: float = field(default_factory=time.perf_counter)
    stop_reason: str = ""
    timing: EtaModel | None = None  # per-participant durations; without it the ETA is elapsed-based

    @property
    def done(self) -> int:
        return self.finished + self.void

    @property
    def done_now(self) -> int:
        return self.done - self.done_before

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    @property
    def spent(self) -> float:
        return self.prior_cost + self.cost

    @property
    def eta(self) -> float | None:
        left = self.planned - self.done
        if left <= 0:
            return 0.0
        if self.timing is not None:
            return self.timing.seconds_left()[0]
        if self.done_now <= 0:
            return None
        return self.elapsed / self.done_now * left

    def eta_text(self) -> str:
        """`12:30`, `≥12:30` while a remaining player has no measured debate yet, or `?`."""
        eta = self.eta
        if eta is None:
            return "?"
        floor = self.timing is not None and self.planned > self.done and self.timing.seconds_left()[1]
        return ("≥" if floor else "") + clock(eta)

    def line(self) -> str:
        return (
            f"{self.done}/{self.planned} done ({self.finished} finished, {self.void} void), "
            f"{self.running} running · {self.calls} calls ({self.retries} retried) · "
            f"{human_tokens(self.tokens_in + self.tokens_out)} tokens · {money(self.spent)} · "
            f"elapsed {clock(self.elapsed)} · ETA {self.eta_text()}"
        )


def clock(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60:02d}:{rest % 60:02d}"


def human_tokens(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f}M"
    if n >= 10_000:
        return f"{n / 1000:.0f}k"
    return str(n)


def money(usd: float | None) -> str:
    if usd is None:
        return "unknown"
    return f"${usd:.4f}" if usd < 1 else f"${usd:.2f}"


class Display(Protocol):
    interval: float  # seconds between refreshes

    def start(self, state: RunState) -> None: ...

    def refresh(self, state: RunState) -> None: ...

    def note(self, message: str) -> None: ...

    def stop(self, state: RunState) -> None: ...


class Silent:
    interval = 1.0

    def start(self, state: RunState) -> None:
        pass

    def refresh(self, state: RunState) -> None:
        pass

    def note(self, message: str) -> None:
        pass

    def stop(self, state: RunState) -> None:
        pass


class PlainLines:
    """One line every `interval` seconds, and one at the end."""

    def __init__(self, stream: TextIO | None = None, interval: float = 10.0) -> None:
        self.stream = stream or sys.stderr
        self.interval = interval
        self._last = 0.0

    def _print(self, text: str) -> None:
        write_line(self.stream, text)

    def start(self, state: RunState) -> None:
        self._last = time.perf_counter()
        self._print(f"tournament {state.name}: {state.planned - state.done} of {state.planned} debates to play")

    def refresh(self, state: RunState) -> None:
        now = time.perf_counter()
        if now - self._last >= self.interval:
            self._last = now
            self._print(f"[{clock(state.elapsed)}] {state.line()}")

    def note(self, message: str) -> None:
        self._print(message)

    def stop(self, state: RunState) -> None:
        self._print(f"[{clock(state.elapsed)}] {state.line()}")


class RichLive:
    """A progress bar with the counters on a line under it, redrawn four times a second."""

    interval = 0.25

    def __init__(self) -> None:
        from arena.literal import safe_console

        self.console = safe_console(stderr=True)
        self._live: Live | None = None
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        self._stats = ""

    def __rich__(self):
        from rich.console import Group
        from rich.text import Text

        return Group(self._progress, Text.from_markup(self._stats))

    def start(self, state: RunState) -> None:
        from rich.live import Live
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            TextColumn("[b]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("ETA {task.fields[eta]}"),
            console=self.console,
        )
        self._task = self._progress.add_task(
            markup_literal(state.name), total=state.planned, completed=state.done, eta="?"
        )
        self.refresh(state)
        self._live = Live(self, console=self.console, refresh_per_second=4, transient=False)
        self._live.start()

    def refresh(self, state: RunState) -> None:
        if self._progress is None or self._task is None:
            return
        self._stats = (
            f"  [green]{state.finished} finished[/] · [red]{state.void} void[/] · "
            f"[cyan]{state.running} running[/] · {state.calls} calls ({state.retries} retried) · "
            f"{human_tokens(state.tokens_in + state.tokens_out)} tokens · {money(state.spent)}"
        )
        self._progress.update(self._task, total=state.planned, completed=state.done, eta=state.eta_text())

    def note(self, message: str) -> None:
        (self._live.console if self._live is not None else self.console).print(markup_literal(message))

    def stop(self, state: RunState) -> None:
        if self._live is not None:
            self.refresh(state)
            self._live.stop()
            self._live = None


def for_stderr(plain_interval: float = 10.0) -> Display:
    """Rich on a terminal, plain lines otherwise."""
    if sys.stderr.isatty():
        return RichLive()
    return PlainLines(interval=plain_interval)
