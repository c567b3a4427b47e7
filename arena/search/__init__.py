"""Evidence search for agent teams: an offline index and pluggable web search.

    findings = await provider.search("parking removal in Oslo", limit=3)

- `EvidenceIndex` (index.py): SQLite FTS5 with BM25 over the motion's evidence snippets
  and any folder of documents (.txt, .md; .pdf when `pypdf` is installed), split into
  passages. In memory, built per debate, no network.
- `web.py`: the `SearchProvider` interface for web search services, a Tavily client
  (key from `TAVILY_API_KEY`) and `module:factory` for any provider of one's own.
- Every `Finding` carries its source, so a speech's references can be checked.
"""

from arena.search.index import EvidenceIndex, build_index
from arena.search.types import Finding, SearchProvider
from arena.search.web import CombinedSearch, load_provider

__all__ = ["CombinedSearch", "EvidenceIndex", "Finding", "SearchProvider", "build_index", "load_provider"]
