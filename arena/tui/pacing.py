"""Watchable simulator speeches.

The simulator answers instantly, which is what tournaments want but leaves nothing to
watch: a whole debate would appear at once. In the app its streamed speeches are
replayed word by word at a reading pace. Only display timing changes; the text, the
seed and every stored figure are the simulator's own."""

from __future__ import annotations

import asyncio

from arena.debate.turns import ModelGateway
from arena.llm.types import Completion, LLMRequest, TokenCallback

DEFAULT_SECONDS_PER_WORD = 0.03


class PacedGateway:
    def __init__(self, inner: ModelGateway, seconds_per_word: float = DEFAULT_SECONDS_PER_WORD) -> None:
        self.inner = inner
        self.seconds_per_word = seconds_per_word

    def __getattr__(self, name: str):  # stats and the like come from the real gateway
        return getattr(self.inner, name)

    async def complete(self, req: LLMRequest, on_token: TokenCallback | None = None) -> Completion:
        if on_token is None or self.seconds_per_word <= 0 or not req.model.startswith("sim/"):
            return await self.inner.complete(req, on_token)
        pieces: list[str] = []
        completion = await self.inner.complete(req, pieces.append)
        for piece in pieces:
            on_token(piece)
            await asyncio.sleep(self.seconds_per_word)
        return completion
