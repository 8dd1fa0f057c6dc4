"""Both storage backends, on real engines: SQLite FTS5 and the Elasticsearch node."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.article import Article
from core.errors import StorageError, UsageError
from indexer.storage.base import SearchRequest, Storage
from indexer.storage.elastic import ElasticsearchStorage
from indexer.storage.sqlite import SqliteStorage

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def article(n: int, title: str, body: str, source: str = "techwave", days_ago: int = 0) -> Article:
    return Article(
        url=f"http://127.0.0.1/a/{n}?utm_source=rss",
        canonical_url=f"http://127.0.0.1/a/{n}",
        source=source,
        title=title,
        body=body,
        published_at=NOW - timedelta(days=days_ago),
        fetched_at=NOW,
        language="ar",
    )


ARTICLES = [
    article(1, "مصر وأذربيجان توقعان مذكرة تفاهم", "بحث وزير الاتصالات التعاون الرقمي مع الجانب الأذربيجاني."),
    article(
        2, "إطلاق مركز بيانات جديد في الرياض", "أعلنت الشركة عن مركز بيانات يعمل بالذكاء الاصطناعي.", "arabnet", 10
    ),
    article(3, "مزادات طيف الجيل الخامس", "طرحت الهيئة ترددات جديدة لشبكات 5G في الأردن.", "shamtech", 3),
    article(4, "الوزير يزور باكو", "وصل الوفد إلى العاصمة بأذربيجان لبحث الربط الرقمي.", "shamtech", 1),
]


@pytest.fixture(params=["sqlite", "elasticsearch"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Storage]:
    backend: Storage
    if request.param == "sqlite":
        backend = SqliteStorage(tmp_path / "articles.sqlite")
    else:
        backend = ElasticsearchStorage(request.getfixturevalue("es_url"), request.getfixturevalue("es_index"))
    yield backend
    backend.close()


def urls(storage: Storage, query: str, **kwargs: object) -> set[str]:
    result = storage.search(SearchRequest(query=query, limit=50, **kwargs))  # type: ignore[arg-type]
    assert result.total == len(result.hits)
    return {hit.article.canonical_url for hit in result.hits}


def test_store_is_idempotent_by_canonical_url(storage: Storage) -> None:
    first = storage.store(ARTICLES)
    assert (first.created, first.updated) == (4, 0)
    again = storage.store(ARTICLES[:2])
    assert (again.created, again.updated) == (0, 2)
    assert storage.count() == 4
    stored = {a.canonical_url: a for a in storage.iter_articles()}
    assert stored[ARTICLES[0].canonical_url].published_at == ARTICLES[0].published_at


def test_search_finds_clitic_and_nisba_forms(storage: Storage) -> None:
    storage.store(ARTICLES)
    assert urls(storage, "أذربيجان") == {ARTICLES[0].canonical_url, ARTICLES[3].canonical_url}
    assert urls(storage, '"الذكاء الاصطناعي"') == {ARTICLES[1].canonical_url}
    assert urls(storage, "5G OR ترددات") == {ARTICLES[2].canonical_url}
    assert urls(storage, "أذربيجان -باكو") == {ARTICLES[0].canonical_url}


def test_search_filters_by_source_and_since(storage: Storage) -> None:
    storage.store(ARTICLES)
    assert urls(storage, "أذربيجان", sources=("shamtech",)) == {ARTICLES[3].canonical_url}
    recent = urls(storage, "مركز OR أذربيجان OR الخامس", since=NOW - timedelta(days=2))
    assert recent == {ARTICLES[0].canonical_url, ARTICLES[3].canonical_url}


def test_bad_query_is_a_usage_error(storage: Storage) -> None:
    with pytest.raises(UsageError, match="at character"):
        storage.search(SearchRequest(query='"الذكاء'))


def test_extraction_confidence_is_stored_and_read_back(storage: Storage) -> None:
    scored = article(9, "منصة جديدة للشكاوى", "أطلقت الهيئة منصة موحدة لشكاوى المشتركين.")
    scored.confidence, scored.confidence_reasons = 0.55, ["short body (40 characters of running text)"]
    storage.store([scored])
    [hit] = storage.search(SearchRequest(query="منصة", limit=5)).hits
    assert (hit.article.confidence, hit.article.confidence_reasons) == (0.55, scored.confidence_reasons)


def test_an_index_made_before_the_confidence_fields_takes_them(es_url: str, es_index: str) -> None:
    """An index created by an older Marsad (strict mapping without the new fields) keeps working."""
    from elasticsearch import Elasticsearch

    from indexer.storage.elastic import MAPPINGS

    client = Elasticsearch(es_url)
    old = {**MAPPINGS, "properties": {key: value for key, value in MAPPINGS["properties"].items()
                                      if not key.startswith("confidence")}}
    client.indices.create(index=es_index, mappings=old, settings={"number_of_shards": 1, "number_of_replicas": 0})
    client.close()
    storage = ElasticsearchStorage(es_url, es_index)
    try:
        scored = article(10, "منصة جديدة للشكاوى", "أطلقت الهيئة منصة موحدة لشكاوى المشتركين.")
        scored.confidence = 0.9
        assert storage.store([scored]).created == 1
        assert storage.count() == 1
    finally:
        storage.close()


def test_unreachable_elasticsearch_is_a_storage_error() -> None:
    with pytest.raises(StorageError, match="unreachable"):
        ElasticsearchStorage("http://127.0.0.1:9", "marsad-nowhere", timeout=2)
