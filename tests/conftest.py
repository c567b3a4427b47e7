"""Shared fixtures: a fresh store per test, a gateway that records every request."""

from __future__ import annotations

import glob
import itertools
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from arena.llm.gateway import Gateway
from arena.llm.types import Completion, LLMRequest, TokenCallback, Usage

# Tests never touch the network or the user's files.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
# The embedded model's measured speed (arena.llm.local_speed) is cached in the user's cache
# directory: the tests' measurements go to one of their own, timed once per session.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="arena-test-cache-")
# Output is measured at the widths the tests set: a terminal's size inherited from the shell
# (or the COLUMNS=80 LINES=24 that pytest-xdist's workers are started with) would change it.
for _inherited in ("COLUMNS", "LINES"):
    os.environ.pop(_inherited, None)


@pytest.fixture
def db_path(tmp_path, monkeypatch) -> str:
    path = str(tmp_path / "ratings.db")
    monkeypatch.setenv("ARENA_DB", path)
    monkeypatch.chdir(tmp_path)  # no stray arena.toml or ratings.db from the checkout
    return path


# --------------------------------------------------------------------------- PostgreSQL
#
# Tests that take `store` or `db_url` run once on SQLite and once on a real PostgreSQL
# server: one server per test session (pytest-postgresql's executor around the machine's
# pg_ctl), a fresh database per test. PostgreSQL refuses to run as root: as root, pg_ctl
# runs as the `postgres` user (runuser) in a directory that user owns.

BACKENDS = ["sqlite", "postgresql"]


def _pg_ctl() -> str:
    found = shutil.which("pg_ctl") or next(
        iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[-3]), reverse=True)),
        None,
    )
    if not found:
        pytest.fail("the PostgreSQL tests need the server binaries (pg_ctl): apt-get install postgresql")
    return found


@pytest.fixture(scope="session")
def pg_server():
    from port_for import get_port
    from pytest_postgresql.executors import PostgreSQLExecutor

    pg_ctl = _pg_ctl()
    base = Path(tempfile.mkdtemp(prefix="arena-pg-"))
    executable = pg_ctl
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
        executable = str(base / "pg_ctl_as_postgres")
        Path(executable).write_text(f'#!/bin/sh\ncd /\nexec runuser -u postgres -- "{pg_ctl}" "$@"\n')
        os.chmod(executable, 0o755)
    executor = PostgreSQLExecutor(
        executable=executable,
        host="127.0.0.1",
        port=get_port(None),
        datadir=str(base / "data"),
        unixsocketdir=str(base),
        logfile=str(base / "server.log"),
        startparams="-w",
        dbname="postgres",
        user="postgres",
        postgres_options="-c fsync=off -c synchronous_commit=off -c max_connections=200",
    )
    executor.start()
    executor.wait_for_postgres()
    try:
        yield executor
    finally:
        executor.stop()
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server, request) -> Iterator[str]:
    """A fresh, empty database on the session's server."""
    from pytest_postgresql.janitor import DatabaseJanitor

    name = "arena_" + re.sub(r"\W", "_", request.node.name.lower())[:40] + f"_{next(_databases)}"
    janitor = DatabaseJanitor(user=pg_server.user, host=pg_server.host, port=pg_server.port, dbname=name)
    janitor.init()
    try:
        yield f"postgresql+psycopg://{pg_server.user}@{pg_server.host}:{pg_server.port}/{name}"
    finally:
        janitor.drop()


_databases = itertools.count()


@pytest.fixture(params=BACKENDS)
def db_url(request, db_path, monkeypatch) -> str:
    """The database of a test that runs on both backends (also in ARENA_DB)."""
    if request.param == "sqlite":
        return db_path
    url = request.getfixturevalue("pg_url")
    monkeypatch.setenv("ARENA_DB", url)
    return url


@pytest.fixture
def store(db_url):
    from arena.store.store import Store

    store = Store(db_url)
    yield store
    store.engine.dispose()


@dataclass
class RecordingGateway:
    """Passes requests to a real gateway (the simulator, usually) and keeps them."""

    inner: Gateway = field(default_factory=lambda: Gateway(backoff_base_s=0.0))
    requests: list[LLMRequest] = field(default_factory=list)

    async def complete(self, req: LLMRequest, on_token: TokenCallback | None = None) -> Completion:
        self.requests.append(req)
        return await self.inner.complete(req, on_token)

    def prompts(self, purpose: str) -> list[str]:
        return ["\n".join(m.content for m in r.messages) for r in self.requests if r.purpose == purpose]


@pytest.fixture
def recording_gateway() -> RecordingGateway:
    return RecordingGateway()


@dataclass
class ParrotGateway:
    """The opposition (a `sim/con…` model) answers its first speech request with a copy
    of the proposition's first speech, streamed to whoever listens; everything else goes
    to the recording gateway."""

    inner: RecordingGateway
    first_speech: str = ""
    asked: int = 0

    async def complete(self, req: LLMRequest, on_token: TokenCallback | None = None) -> Completion:
        if req.purpose == "speech" and req.model.startswith("sim/con"):
            self.asked += 1
            if self.asked == 1:
                if on_token:
                    on_token(self.first_speech)
                return Completion(self.first_speech, Usage(req.model, 10, 50))
        completion = await self.inner.complete(req, on_token)
        if req.purpose == "speech" and not self.first_speech:
            self.first_speech = completion.text
        return completion


@pytest.fixture
def parrot_gateway(recording_gateway: RecordingGateway) -> ParrotGateway:
    return ParrotGateway(recording_gateway)


# --------------------------------------------------------------------------- the embedded model's speed


@pytest.fixture
def local_speed_known(monkeypatch):
    """A measured speed for the embedded model, as if timed before: a dry run that names
    `local/...` then neither loads nor times the model (arena.llm.local_speed)."""
    from arena.llm import local_speed

    speed = local_speed.LocalSpeed(
        model_file="SmolLM2.gguf",
        threads=1,
        prompt_tps=100.0,
        output_tps=10.0,
        measured_at=0.0,
        load=3.0,
        llama_cpp="0",
    )
    monkeypatch.setattr(local_speed, "speed_if_known", lambda model="local/smollm2": speed)
    monkeypatch.setattr(local_speed, "measured_speed", lambda model="local/smollm2": speed)
    return speed
