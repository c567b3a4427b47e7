"""What a search returns, and what anything that searches must offer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Finding:
    """One retrieved passage and where it came from.

    `id` names the passage in its origin: a motion evidence id ("oslo-parking"), a
    document passage ("notes/cars.md#3") or a URL. Higher `score` is more relevant.
    """

    id: str
    title: str
    source: str
    text: str
    score: float = 0.0
    origin: str = "motion"  # motion | docs | web


class SearchProvider(Protocol):
    """A search service. Web providers do network I/O, so the call is async."""

    name: str

    async def search(self, query: str, limit: int = 3) -> list[Finding]: ...
