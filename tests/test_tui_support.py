"""Shared pieces of the TUI tests: an app factory over a temporary store, a store seeded
with deterministic simulated debates (fixed ids, seeds and times), and a polling wait.

Named test_tui_* so it sits with the TUI tests; it holds no tests itself."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Callable

import pytest

from arena.config import Config
from arena.debate.engine import run_debate
from arena.debate.options import DebateOptions
from arena.llm.gateway import Gateway
from arena.play import DebateRequest, participant_info, prepare
from arena.store.store import Store

T0 = 1_767_225_600.0  # 2026-01-01 00:00 UTC: seeded debates finish an hour apart from here
SIZE = (100, 30)


class FrozenClock:
    """The app's clock for countdowns: it moves only when a test says so."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def tui_env(tmp_path, monkeypatch):
    """Every TUI test: its own player prefs, UTC times, no arena.toml from the checkout."""
    monkeypatch.setenv("ARENA_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ARENA_CONFIG", raising=False)
    yield
    monkeypatch.undo()
    time.tzset()


def run_arena(db: str, *args: str) -> None:
    """`arena --db DB ARGS…` in a child process, as a user runs it beside the app; it must succeed."""
    out = subprocess.run(
        [sys.executable, "-m", "arena", "--db", db, *args], capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr


def make_app(db: str, **kwargs):  # type: ignore[no-untyped-def]
    from arena.tui.app import ArenaApp

    kwargs.setdefault("gateway", Gateway(backoff_base_s=0.0))
    kwargs.setdefault("sim_pace", 0.0)
    kwargs.setdefault("poll_s", 0.2)
    kwargs.setdefault("config", Config())
    kwargs.setdefault("clock", FrozenClock())
    kwargs.setdefault("warm_up", False)
    return ArenaApp(db=db, **kwargs)


SEEDED = [  # (pro, con, motion, seed)
    ("sim/ada?skill=0.9", "sim/bob?skill=0.4", "ban-private-cars-city-centres", 11),
    ("sim/cyd?skill=0.6", "sim/ada?skill=0.9", "universal-basic-income", 12),
    ("sim/bob?skill=0.4", "sim/cyd?skill=0.6", "ban-private-cars-city-centres", 13),
    ("sim/ada?skill=0.9", "sim/cyd?skill=0.6", "universal-basic-income", 14),
    ("sim/bob?skill=0.4", "sim/ada?skill=0.9", "ban-private-cars-city-centres", 15),
    ("sim/cyd?skill=0.6", "sim/bob?skill=0.4", "universal-basic-income", 16),
]


def motion_ids() -> list[str]:
    from arena.motions import load_motions

    return [m.id for m in load_motions().all()]


def seed_store(db: str, games=SEEDED) -> Store:  # type: ignore[no-untyped-def]
    """Finished simulated debates with fixed ids and times: the same store every run."""
    store = Store(db)
    known = set(motion_ids())
    gateway = Gateway(backoff_base_s=0.0)

    async def play_all() -> None:
        for n, (pro, con, motion, seed) in enumerate(games):
            request = DebateRequest(
                pro=pro,
                con=con,
                motion=motion if motion in known else None,
                options=DebateOptions(seed=seed, judges=("sim/judge-1",)),
                debate_id=f"seed{n:04d}",
            )
            setup = prepare(request, Config(), gateway)
            record = await run_debate(setup, gateway)
            record.started_at = T0 + 3600 * n
            record.finished_at = T0 + 3600 * n + 600
            store.save_debate(record, [participant_info(setup.pro), participant_info(setup.con)])

    asyncio.run(play_all())
    return store


@pytest.fixture
def seeded_db(tmp_path) -> str:
    path = str(tmp_path / "seeded.db")
    seed_store(path)
    return path


@pytest.fixture
def empty_db(tmp_path) -> str:
    return str(tmp_path / "empty.db")


# A loaded machine (CI, a CPU hog, a flake hunt) paints late: every wait scales by this.
TIMEOUT_SCALE = float(os.environ.get("ARENA_TEST_TIMEOUT_SCALE", "1"))


async def wait_for(
    pilot,
    condition: Callable[[], bool],
    timeout: float = 20.0,
    step: float = 0.05,  # type: ignore[no-untyped-def]
    what: str = "condition",
) -> None:
    """Poll `condition` between frames until it holds. On time-out fail with what the
    screen showed, so a failure in CI says what the user would have seen."""
    deadline = time.monotonic() + timeout * TIMEOUT_SCALE
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(
                f"{what} not met in {timeout * TIMEOUT_SCALE:g} s; the screen shows:\n{screen_text(pilot.app)}"
            )
        await pilot.pause(step)


async def expect_screen(pilot, *shown: str, absent: tuple[str, ...] = (), timeout: float = 20.0) -> str:  # type: ignore[no-untyped-def]
    """Wait until the painted screen shows every text of `shown` and none of `absent`, and
    return that screen's text. Never assert on a frame read right after a data condition:
    the data may be in while the frame that shows it is not painted yet."""
    painted = ""

    def ready() -> bool:
        nonlocal painted
        painted = screen_text(pilot.app)
        return all(text in painted for text in shown) and not any(text in painted for text in absent)

    await wait_for(
        pilot, ready, timeout, what=f"screen showing {list(shown)}" + (f" without {list(absent)}" if absent else "")
    )
    return painted


def screen_text(app) -> str:  # type: ignore[no-untyped-def]
    """What the terminal shows, as plain text (for assertions on what a user would read)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip).rstrip() for strip in strips)


def no_blink(app) -> None:  # type: ignore[no-untyped-def]
    from textual.widgets import Input, TextArea

    for widget in app.screen.query(Input):
        widget.cursor_blink = False
    for widget in app.screen.query(TextArea):
        widget.cursor_blink = False


__all__ = [
    "FrozenClock",
    "SIZE",
    "T0",
    "empty_db",
    "expect_screen",
    "make_app",
    "no_blink",
    "screen_text",
    "seed_store",
    "seeded_db",
    "tui_env",
    "wait_for",
    "os",
]
