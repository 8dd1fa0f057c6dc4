"""SQLite and Elasticsearch agree on filters, date ranges, facets, the histogram, collapse by story,
date order and paging — and both agree with a reference computed here from the matcher.

The parity articles (tests/test_search_parity.py) get what crawled articles carry: entities from the
project's extractor, a story (syndicated portal-world copies share one; the variant-table
articles have none, as in an index written before stories, which Elasticsearch collapses apart),
and a few English articles. Each case runs against Elasticsearch 8.19 and 9.x.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from es_nodes import EsNode
from test_search_parity import ARTICLES, NOW, VARIANT_HOST

from core.article import Article
from crawler.parsers.entities import default_extractor
from crawler.portalworld import load_world_data
from indexer.alerts import Rule, RuleMatcher
from indexer.storage.base import FACET_SIZE, SearchRequest, SearchResult, Storage
from indexer.storage.sqlite import SqliteStorage

ENGLISH = [
    ("5g-auction", "Jordan opens its 5G spectrum auction", "The regulator in Amman opened bids for 5G licences."),
    ("egypt-cloud", "Egypt signs a cloud deal", "Cairo will host a new region for data centers and AI."),
]


def story_of(article: Article) -> str | None:
    groups = {f"http://{portal.host}{record.path}": record.syndicated_group or record.id
              for data in [load_world_data()] for record in data.articles for portal in [data.portals[record.portal]]}
    group = groups.get(article.canonical_url)
    return f"story-{group}" if group else None


def feature_articles() -> list[Article]:
    extractor = default_extractor()
    enriched = [replace(article, entities=extractor.extract(f"{article.title}\n{article.body}"),
                        story_id=story_of(article)) for article in ARTICLES]
    english = [Article(url=f"{VARIANT_HOST}/en/{name}", canonical_url=f"{VARIANT_HOST}/en/{name}", source="wire",
                       title=title, body=body, published_at=NOW - timedelta(days=3, hours=k), fetched_at=NOW,
                       language="en", section="Telecom") for k, (name, title, body) in enumerate(ENGLISH)]
    undated = Article(url=f"{VARIANT_HOST}/undated", canonical_url=f"{VARIANT_HOST}/undated", source="extra",
                      title="خبر بلا تاريخ عن مصر", body="لا يحمل هذا الخبر أي تاريخ.", language="ar")
    return enriched + english + [undated]


FEATURE_ARTICLES = feature_articles()
WORLD = ("techwave", "arabnet", "shamtech")
PAGE = 100


class Backends:
    def __init__(self, sqlite: Storage, elastic: Storage) -> None:
        self.all = (sqlite, elastic)


@pytest.fixture(scope="module", params=["es_node", "es9_node"], ids=["elasticsearch-8", "elasticsearch-9"])
def backends(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backends]:
    node: EsNode = request.getfixturevalue(request.param)
    sqlite = SqliteStorage(Path(tmp_path_factory.mktemp("features")) / "articles.sqlite")
    with node.fresh_index("marsad-test-features") as index:
        elastic = node.storage(index)
        try:
            assert sqlite.store(FEATURE_ARTICLES).created == len(FEATURE_ARTICLES)
            assert elastic.store(FEATURE_ARTICLES).created == len(FEATURE_ARTICLES)
            yield Backends(sqlite, elastic)
        finally:
            sqlite.close()
            elastic.close()


# -- the reference ------------------------------------------------------------------------------

def dated(article: Article) -> datetime | None:
    return article.published_at or article.fetched_at


def names(article: Article) -> list[str]:
    return [name for kind in ("persons", "organizations", "locations")
            for name in dict.fromkeys(getattr(article.entities, kind))]


def matches(request: SearchRequest) -> list[Article]:
    """The request's matches in date order (newest first, undated last, then by URL)."""
    matcher = RuleMatcher([Rule.from_query("ref", request.query)]) if request.query.strip() else None
    found = []
    for article in FEATURE_ARTICLES:
        when = dated(article)
        if ((matcher is None or matcher.match_article(article))
                and (not request.sources or article.source in request.sources)
                and (not request.sections or article.section in request.sections)
                and (not request.languages or article.language in request.languages)
                and (not request.entities or set(request.entities) & set(names(article)))
                and (request.since is None or (when is not None and when >= request.since))
                and (request.until is None or (when is not None and when < request.until))):
            found.append(article)
    return sorted(found, key=lambda a: (dated(a) is None, -(dated(a) or NOW).timestamp(), a.canonical_url))


def top(counts: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:FACET_SIZE]


def reference_facets(found: list[Article]) -> dict[str, list[tuple[str, int]]]:
    return {
        "source": top(Counter(a.source for a in found)),
        "section": top(Counter(a.section for a in found if a.section is not None)),
        "language": top(Counter(a.language for a in found if a.language is not None)),
        "entity": top(Counter(name for a in found for name in names(a))),
    }


def reference_histogram(found: list[Article], zone: str) -> list[tuple[date, int]]:
    days = Counter(when.astimezone(ZoneInfo(zone)).date() for a in found if (when := dated(a)) is not None)
    if not days:
        return []
    first, last = min(days), max(days)
    return [(first + timedelta(days=k), days[first + timedelta(days=k)]) for k in range((last - first).days + 1)]


def search(storage: Storage, request: SearchRequest) -> SearchResult:
    result = storage.search(request)
    assert result.total_exact, storage.name
    return result


def read_all(storage: Storage, request: SearchRequest) -> list[str]:
    """Every hit's URL in order, page after page."""
    urls: list[str] = []
    while True:
        result = search(storage, replace(request, limit=PAGE, offset=len(urls)))
        urls += [hit.article.canonical_url for hit in result.hits]
        if len(result.hits) < PAGE:
            return urls


# -- the cases -----------------------------------------------------------------------------------

FILTERS = [
    pytest.param(SearchRequest("", sources=("techwave",)), id="source"),
    pytest.param(SearchRequest("أذربيجان", sources=("techwave", "shamtech")), id="query-two-sources"),
    pytest.param(SearchRequest("", sections=("Telecom",)), id="section"),
    pytest.param(SearchRequest("", languages=("en",)), id="language"),
    pytest.param(SearchRequest("5G", languages=("ar",)), id="query-language"),
    pytest.param(SearchRequest("", entities=("أذربيجان",)), id="entity"),
    pytest.param(SearchRequest("الاتصالات", entities=("مصر", "الأردن")), id="query-entities"),
    pytest.param(SearchRequest("", since=NOW - timedelta(days=30)), id="since"),
    pytest.param(SearchRequest("", until=NOW - timedelta(days=10)), id="until"),
    pytest.param(SearchRequest("مصر OR أذربيجان", since=datetime(2026, 11, 1, tzinfo=ZoneInfo("Asia/Baku")),
                               until=datetime(2026, 11, 24, 9, 0, tzinfo=UTC)), id="query-date-range"),
    pytest.param(SearchRequest("أذربيجان -وفد", sources=WORLD, since=NOW - timedelta(days=400)), id="combined"),
]


@pytest.mark.elasticsearch
@pytest.mark.parametrize("request_", FILTERS)
def test_filters_agree(backends: Backends, request_: SearchRequest) -> None:
    wanted = [a.canonical_url for a in matches(request_)]
    assert wanted, "the case tests nothing"
    for storage in backends.all:
        assert set(read_all(storage, request_)) == set(wanted), storage.name
        assert read_all(storage, replace(request_, sort="date")) == wanted, storage.name


FACET_QUERIES = ["", "أذربيجان", "مصر OR الأردن", '"الذكاء الاصطناعي"', "الاتصالات -مصر"]


@pytest.mark.elasticsearch
@pytest.mark.parametrize("query", FACET_QUERIES)
def test_facets_agree(backends: Backends, query: str) -> None:
    request = SearchRequest(query, facets=True, limit=5)
    wanted = reference_facets(matches(request))
    assert any(wanted["entity"]), "the case tests nothing"
    for storage in backends.all:
        assert search(storage, request).facets == wanted, storage.name


@pytest.mark.elasticsearch
@pytest.mark.parametrize("zone", ["UTC", "Asia/Riyadh", "America/New_York", "Asia/Kolkata", "Pacific/Chatham"])
@pytest.mark.parametrize("query", ["", "أذربيجان OR مصر"])
def test_histograms_agree(backends: Backends, query: str, zone: str) -> None:
    request = SearchRequest(query, histogram=True, timezone=zone, limit=1)
    wanted = reference_histogram(matches(request), zone)
    assert len(wanted) > 15
    for storage in backends.all:
        assert search(storage, request).histogram == wanted, storage.name


@pytest.mark.elasticsearch
@pytest.mark.parametrize("sources", [WORLD, ()], ids=["every-match-has-a-story", "some-without-story"])
@pytest.mark.parametrize("query", ["", "أذربيجان", "مصر"])
def test_collapse_by_story_agrees(backends: Backends, query: str, sources: tuple[str, ...]) -> None:
    request = SearchRequest(query, sources=sources, collapse=True, sort="date", limit=PAGE)
    found = matches(request)
    stories: dict[str, list[Article]] = {}
    for article in found:
        stories.setdefault(article.story_id or article.doc_id, []).append(article)
    wanted = [(members[0].canonical_url, len(members), sorted({a.source for a in members} - {members[0].source}))
              for members in stories.values()]
    assert any(size > 1 for _, size, _ in wanted), "the case tests nothing"
    for storage in backends.all:
        result = search(storage, request)
        assert (result.total, result.stories) == (len(found), len(stories)), storage.name
        shown = [(hit.article.canonical_url, hit.story_size, hit.story_sources) for hit in result.hits]
        assert shown == wanted[:PAGE], storage.name
        page = search(storage, replace(request, limit=3, offset=2))
        assert [hit.article.canonical_url for hit in page.hits] == [url for url, _, _ in wanted[2:5]], storage.name


@pytest.mark.elasticsearch
def test_relevance_pages_add_up_to_the_matches(backends: Backends) -> None:
    request = SearchRequest("مصر OR أذربيجان OR الاتصالات")
    wanted = {a.canonical_url for a in matches(request)}
    for storage in backends.all:
        pages = [search(storage, replace(request, limit=7, offset=offset)) for offset in range(0, len(wanted), 7)]
        urls = [hit.article.canonical_url for page in pages for hit in page.hits]
        assert len(urls) == len(set(urls)) and set(urls) == wanted, storage.name
        scores = [hit.score for page in pages for hit in page.hits]
        assert scores == sorted(scores, reverse=True), storage.name


@pytest.mark.elasticsearch
def test_highlights_agree(backends: Backends) -> None:
    request = SearchRequest('"الذكاء الاصطناعي" OR أذربيجان', sort="date", limit=PAGE)
    sqlite, elastic = (search(storage, request) for storage in backends.all)
    assert [(h.title_marks, h.snippet) for h in sqlite.hits] == [(h.title_marks, h.snippet) for h in elastic.hits]
    assert all(any(flag for _, flag in hit.title_marks + hit.snippet) for hit in sqlite.hits)
