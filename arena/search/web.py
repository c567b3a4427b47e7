"""Web search for teams whose user has a key: the provider interface's network side.

A provider is named in a team definition (`web_search = "tavily"`) or by
`ARENA_WEB_SEARCH`:

    tavily                      Tavily's search API; the key comes from TAVILY_API_KEY
    package.module:factory      your own: `factory()` returns an object with
                                `name` and `async search(query, limit) -> list[Finding]`

Keys stay in the environment; they never reach a prompt, a trace or the store. A web
search that fails (no key, network down, rate limit) yields no findings rather than
stopping the debate: the offline index still answers.
"""

from __future__ import annotations

import importlib
import logging
import os
from typing import TYPE_CHECKING

from arena.errors import UsageProblem
from arena.search.types import Finding, SearchProvider

if TYPE_CHECKING:
    import httpx  # imported for real only when a search is made

log = logging.getLogger(__name__)
TAVILY_URL = "https://api.tavily.com/search"


class TavilySearch:
    name = "tavily"

    def __init__(
        self, api_key: str | None = None, *, timeout_s: float = 20.0, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.api_key = api_key or os.environ.get("TAVILY_API_KEY", "")
        if not self.api_key:
            raise UsageProblem("web search 'tavily' needs TAVILY_API_KEY in the environment")
        self.timeout_s = timeout_s
        self._transport = transport  # tests pass an httpx.MockTransport

    async def search(self, query: str, limit: int = 3) -> list[Finding]:
        import httpx

        payload = {"query": query, "max_results": limit, "search_depth": "basic"}
        headers = {"Authorization": f"Bearer {self.api_key}"}
        async with httpx.AsyncClient(timeout=self.timeout_s, transport=self._transport) as client:
            response = await client.post(TAVILY_URL, json=payload, headers=headers)
            response.raise_for_status()
            results = response.json().get("results", [])
        return [
            Finding(
                id=str(r.get("url", "")),
                title=str(r.get("title", "") or r.get("url", "")),
                source=str(r.get("url", "")),
                text=str(r.get("content", "")).strip(),
                score=float(r.get("score", 0.0) or 0.0),
                origin="web",
            )
            for r in results[:limit]
            if r.get("url") and r.get("content")
        ]


def load_provider(spec: str) -> SearchProvider:
    """`tavily` or `package.module:factory`; a bad spec is the user's to fix."""
    spec = spec.strip()
    if spec == "tavily":
        return TavilySearch()
    module_name, sep, attr = spec.partition(":")
    if not sep or not module_name or not attr:
        raise UsageProblem(f"web search {spec!r}: expected 'tavily' or 'package.module:factory'")
    try:
        factory = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise UsageProblem(f"web search {spec!r}: cannot load it ({exc})") from None
    provider = factory()
    if not callable(getattr(provider, "search", None)):
        raise UsageProblem(f"web search {spec!r}: {attr}() must return an object with async search(query, limit)")
    return provider


class CombinedSearch:
    """Asks each provider in turn (offline index first) and merges, dropping repeats."""

    def __init__(self, providers: list[SearchProvider]) -> None:
        self.providers = providers
        self.name = "+".join(p.name for p in providers)

    async def search(self, query: str, limit: int = 3) -> list[Finding]:
        merged: list[Finding] = []
        for provider in self.providers:
            try:
                found = await provider.search(query, limit)
            except UsageProblem:
                raise
            except Exception as exc:  # noqa: BLE001 - a failing web service must not end the debate
                log.warning("search provider %s failed: %s", provider.name, exc)
                continue
            merged += [f for f in found if all(f.id != m.id for m in merged)]
        return merged[: limit * max(1, len(self.providers))]
