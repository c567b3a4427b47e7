"""Evidence search: BM25 retrieval over motion snippets and documents; web providers."""

from __future__ import annotations

import json

import httpx
import pytest

from arena.errors import UsageProblem
from arena.motions import load_motions
from arena.search import CombinedSearch, EvidenceIndex, Finding, build_index, load_provider
from arena.search.index import Passage, document_passages, query_terms
from arena.search.web import TavilySearch


@pytest.fixture(scope="module")
def motions_with_evidence():
    return [m for m in load_motions() if m.evidence]


def test_curated_motions_carry_evidence(motions_with_evidence):
    assert len(motions_with_evidence) >= 18
    assert all(4 <= len(m.evidence) <= 6 for m in motions_with_evidence)


def test_a_query_about_a_snippet_finds_it_first(motions_with_evidence):
    cars = next(m for m in motions_with_evidence if m.id == "ban-private-cars-city-centres")
    index = build_index(cars.evidence)
    assert len(index) == len(cars.evidence)
    for query, expected in [
        ("Oslo removed on-street parking", "oslo-parking"),
        ("do cyclists spend more in local shops?", "spending-by-mode"),
        ("disabled people depend on taxis", "access-concerns"),
        ("WHO: traffic, nitrogen dioxide and fine particles", "who-air-quality"),
    ]:
        found = index.lookup(query, 3)
        assert found and found[0].id == expected, (query, [f.id for f in found])
        assert found[0].source and found[0].title and found[0].origin == "motion"
        assert [f.score for f in found] == sorted((f.score for f in found), reverse=True)


def test_every_curated_snippet_is_found_by_its_own_title(motions_with_evidence):
    for motion in motions_with_evidence:
        index = build_index(motion.evidence)
        for e in motion.evidence:
            top = [f.id for f in index.lookup(f"{e.title} {e.text[:80]}", 1)]
            assert top == [e.id], (motion.id, e.id, top)


def test_queries_never_break_on_fts_syntax():
    index = EvidenceIndex([Passage("a", "Title", "src", "Cats and dogs")])
    for query in ['"unbalanced', "NEAR(cats dogs)", "cats OR", "*", "AND NOT -", "", "the of and"]:
        index.lookup(query)  # no sqlite error
    assert index.lookup('cats" OR "x')[0].id == "a"
    assert query_terms("The evidence that Oslo's parking, Oslo's parks") == ["oslo's", "parking", "parks"]


def test_documents_become_passages_with_headings_as_titles(tmp_path):
    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    (folder / "notes.md").write_text(
        "# Congestion charging\n\nStockholm's congestion charge cut traffic by about a fifth.\n\n"
        "# Shops\n\n" + "Retail footfall rose on pedestrianised streets. " * 40,
        encoding="utf-8",
    )
    (folder / "sub" / "plain.txt").write_text("London's ULEZ expanded in 2023.", encoding="utf-8")
    (folder / ".hidden.md").write_text("secret congestion", encoding="utf-8")
    (folder / "image.png").write_bytes(b"\x89PNG")
    index = build_index([], folder)
    found = index.lookup("congestion charge Stockholm traffic")
    assert found[0].id == "notes.md#1" and found[0].title == "Congestion charging"
    assert found[0].source == "notes.md" and found[0].origin == "docs"
    assert index.lookup("ULEZ")[0].source == "sub/plain.txt"
    assert not any(f.source.startswith(".") for f in index.lookup("secret congestion", 10))
    shops = [f for f in index.lookup("retail footfall pedestrianised", 10)]
    assert len(shops) >= 2 and all(len(f.text.split()) <= 130 for f in shops)
    assert all(f.title == "Shops" for f in shops)


def test_long_paragraphs_are_split_by_sentences():
    text = " ".join(f"Sentence number {i} says something." for i in range(100))
    passages = document_passages(text, "x.txt", "x", words=50)
    assert len(passages) > 5 and all(len(p.text.split()) <= 50 for p in passages)
    assert " ".join(p.text for p in passages) == text


async def test_tavily_provider_maps_results_and_keeps_the_key_out():
    seen = {}

    def handler(request: httpx.Request) -> httpx.Response:
        seen["auth"] = request.headers["authorization"]
        seen["body"] = json.loads(request.content)
        return httpx.Response(
            200,
            json={
                "results": [
                    {
                        "title": "Car-free Oslo",
                        "url": "https://example.org/oslo",
                        "content": "Oslo removed parking.",
                        "score": 0.9,
                    },
                    {"title": "No content", "url": "https://example.org/empty", "content": ""},
                ]
            },
        )

    provider = TavilySearch("k-123", transport=httpx.MockTransport(handler))
    found = await provider.search("Oslo parking", 2)
    assert seen["auth"] == "Bearer k-123" and seen["body"]["query"] == "Oslo parking"
    assert "k-123" not in json.dumps(seen["body"])
    assert found == [
        Finding(
            "https://example.org/oslo", "Car-free Oslo", "https://example.org/oslo", "Oslo removed parking.", 0.9, "web"
        )
    ]


def test_web_providers_are_named_and_checked(monkeypatch):
    monkeypatch.delenv("TAVILY_API_KEY", raising=False)
    with pytest.raises(UsageProblem, match="TAVILY_API_KEY"):
        load_provider("tavily")
    with pytest.raises(UsageProblem, match="package.module:factory"):
        load_provider("bing")
    with pytest.raises(UsageProblem, match="cannot load"):
        load_provider("no.such.module:make")
    provider = load_provider("tests.test_search:_fake_provider")
    assert provider.name == "fake"


class _FakeProvider:
    name = "fake"

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail

    async def search(self, query: str, limit: int = 3) -> list[Finding]:
        if self.fail:
            raise ConnectionError("offline")
        return [Finding("https://x.test/1", "Web page", "https://x.test/1", f"about {query}", 1.0, "web")]


def _fake_provider() -> _FakeProvider:
    return _FakeProvider()


async def test_combined_search_keeps_going_when_the_web_fails():
    index = EvidenceIndex([Passage("p1", "Parking", "src", "Oslo parking removal", "motion")])
    both = await CombinedSearch([index, _FakeProvider()]).search("Oslo parking")
    assert [f.origin for f in both] == ["motion", "web"]
    offline = await CombinedSearch([index, _FakeProvider(fail=True)]).search("Oslo parking")
    assert [f.id for f in offline] == ["p1"]
