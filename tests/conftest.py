"""Shared fixtures: a fresh store per test, a gateway that records every request."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import pytest

from arena.llm.gateway import Gateway
from arena.llm.types import Completion, LLMRequest, TokenCallback

# Tests never touch the network or the user's files.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")


@pytest.fixture
def db_path(tmp_path, monkeypatch) -> str:
    path = str(tmp_path / "ratings.db")
    monkeypatch.setenv("ARENA_DB", path)
    monkeypatch.chdir(tmp_path)  # no stray arena.toml or ratings.db from the checkout
    return path


@pytest.fixture
def store(db_path):
    from arena.store.store import Store

    return Store(db_path)


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
