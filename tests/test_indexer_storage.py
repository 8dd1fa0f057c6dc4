"""Both storage backends, on real engines: SQLite FTS5 and Elasticsearch 8.19 and 9.x (security on)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from elasticsearch import AuthenticationException, Elasticsearch
from es_nodes import EsNode

from core.article import Article, Entities
from core.errors import StorageError, UsageError
from indexer.alerts import Rule, RuleMatcher
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


ES_NODES = {"elasticsearch-8": "es_node", "elasticsearch-9": "es9_node"}


@pytest.fixture(params=["sqlite", *ES_NODES])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Storage]:
    if request.param == "sqlite":
        backend: Storage = SqliteStorage(tmp_path / "articles.sqlite")
        yield backend
        backend.close()
        return
    node: EsNode = request.getfixturevalue(ES_NODES[request.param])
    with node.fresh_index() as index:
        backend = node.storage(index)
        yield backend
        backend.close()


@pytest.fixture(params=list(ES_NODES.values()), ids=list(ES_NODES))
def any_es_node(request: pytest.FixtureRequest) -> EsNode:
    node: EsNode = request.getfixturevalue(request.param)
    return node


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


def every_field() -> Article:
    """An article with every field set, its dates in another zone than UTC."""
    riyadh = timezone(timedelta(hours=3))
    return Article(
        url="https://techwave.example/news/2026/11/5g?utm_source=rss",
        canonical_url="https://techwave.example/news/2026/11/5g",
        source="techwave", title="هيئة الاتصالات تطرح ترددات الجيل الخامس",
        body="طرحت الهيئة ترددات.\n\nوقال الوزير: «نعم».",
        author="سارة القحطاني", published_at=datetime(2026, 11, 23, 9, 30, tzinfo=riyadh),
        modified_at=datetime(2026, 11, 23, 11, 0, tzinfo=riyadh), language="ar", section="اتصالات",
        tags=["5G", "طيف"], image="https://techwave.example/img/5g.jpg",
        entities=Entities(persons=["سارة القحطاني"], organizations=["هيئة الاتصالات"], locations=["الرياض"]),
        fetched_at=NOW, fingerprint="0f1e2d3c4b5a6978", dates_mentioned=["2026-11-23", "2027"],
        story_id="a" * 40, confidence=0.75, confidence_reasons=["short body (40 characters of running text)"],
    )


def test_get_returns_the_stored_article_with_every_field(storage: Storage) -> None:
    stored = every_field()
    storage.store([stored, *ARTICLES])
    found = storage.get(stored.doc_id)
    assert found is not None and found.to_dict() == stored.to_dict()
    assert found.published_at is not None and found.published_at.utcoffset() == timedelta(hours=3)
    assert storage.get_many([ARTICLES[2].doc_id, stored.doc_id, "0" * 40]) == {
        ARTICLES[2].doc_id: ARTICLES[2], stored.doc_id: found}


def test_get_reads_the_newest_version(storage: Storage) -> None:
    storage.store(ARTICLES)
    changed = replace(ARTICLES[0], title="عنوان مصحح", content_hash="")
    storage.store([changed])
    assert storage.get(changed.doc_id) == changed
    assert storage.get_many([changed.doc_id]) == {changed.doc_id: changed}


def test_a_changed_article_is_found_by_its_new_values_only(storage: Storage) -> None:
    """Storing an article again replaces its filter and facet values, names included."""
    first = every_field()
    storage.store([first, *ARTICLES])
    assert first.published_at is not None
    changed = replace(first, source="arabnet", section="شركات", title=f"{first.title} (محدث)", content_hash="",
                      published_at=first.published_at - timedelta(days=30), story_id="b" * 40,
                      entities=Entities(persons=["سارة القحطاني"], organizations=["وزارة الاتصالات"]))
    assert (storage.store([changed]).updated, storage.count()) == (1, 5)

    def found(**filters: object) -> bool:
        request = SearchRequest(query="", limit=50, **filters)  # type: ignore[arg-type]
        return first.canonical_url in {hit.article.canonical_url for hit in storage.search(request).hits}

    assert found(sources=("arabnet",)) and not found(sources=("techwave",))
    assert found(sections=("شركات",)) and not found(sections=("اتصالات",))
    assert found(entities=("وزارة الاتصالات",)) and found(entities=("سارة القحطاني",))
    assert not found(entities=("هيئة الاتصالات",)) and not found(entities=("الرياض",))
    assert not found(since=first.published_at - timedelta(days=1))
    result = storage.search(SearchRequest(query="", facets=True, collapse=True))
    assert dict(result.facets["entity"]) == {"سارة القحطاني": 1, "وزارة الاتصالات": 1}
    assert dict(result.facets["section"]) == {"شركات": 1} and dict(result.facets["source"])["arabnet"] == 2
    assert storage.get(first.doc_id) == changed and result.stories == 5


# Nothing of these shapes is an Article.doc_id: never a query, never an error, no article.
MALFORMED_IDS = ["", "abc", "0" * 39, "0" * 41, ARTICLES[0].doc_id.upper(), f"{ARTICLES[0].doc_id}\n",
                 f" {ARTICLES[0].doc_id}", "*", "_search", "../marsad", "%2e%2e", "' OR 1=1 --", "أ" * 40,
                 "0" * 20 + "/" + "0" * 19]


def test_an_unknown_or_malformed_id_is_none(storage: Storage) -> None:
    storage.store(ARTICLES)
    assert storage.get("f" * 40) is None and storage.get(ARTICLES[0].doc_id) == ARTICLES[0]
    for doc_id in MALFORMED_IDS:
        assert storage.get(doc_id) is None, repr(doc_id)
    assert storage.get_many(["f" * 40, *MALFORMED_IDS]) == {}
    assert storage.get_many([]) == {}
    assert storage.get_many([*MALFORMED_IDS, ARTICLES[1].doc_id, ARTICLES[1].doc_id]) == {
        ARTICLES[1].doc_id: ARTICLES[1]}


def test_get_from_an_index_that_fails_is_a_storage_error(storage: Storage) -> None:
    storage.store(ARTICLES)
    if isinstance(storage, SqliteStorage):
        storage._db.execute("DROP TABLE article_docs")
    else:
        assert isinstance(storage, ElasticsearchStorage)
        storage._es.indices.delete(index=storage.concrete_index)
    with pytest.raises(StorageError):
        storage.get(ARTICLES[0].doc_id)
    with pytest.raises(StorageError):
        storage.get_many([ARTICLES[0].doc_id])


def test_an_index_made_before_the_confidence_fields_takes_them(es_node: EsNode, es_index: str) -> None:
    """An index created by an older Marsad (strict mapping without the new fields) keeps working."""
    from indexer.storage.es_mapping import MAPPINGS

    client = es_node.client()
    old = {**MAPPINGS, "properties": {key: value for key, value in MAPPINGS["properties"].items()
                                      if not key.startswith("confidence")}}
    client.indices.create(index=es_index, mappings=old, settings={"number_of_shards": 1, "number_of_replicas": 0})
    client.close()
    storage = es_node.storage(es_index)
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


def test_security_is_on_requests_without_credentials_are_refused(any_es_node: EsNode) -> None:
    if not any_es_node.password:
        pytest.fail("this test checks the project's own nodes (user and password); unset MARSAD_ES_URL", pytrace=False)
    anonymous = Elasticsearch(any_es_node.url)
    try:
        with pytest.raises(AuthenticationException):
            anonymous.cluster.health()
    finally:
        anonymous.close()
    with pytest.raises(StorageError, match=r"requires credentials \(HTTP 401\)"):
        ElasticsearchStorage(any_es_node.url, "marsad-never-created")


def test_wrong_password_is_a_storage_error_naming_the_url_but_no_secret(any_es_node: EsNode) -> None:
    wrong = "not-the-password-" + "x" * 8
    with pytest.raises(StorageError) as caught:
        ElasticsearchStorage(any_es_node.url, "marsad-never-created", user="marsad", password=wrong)
    message = str(caught.value)
    assert any_es_node.url in message and "'marsad'" in message and "HTTP 401" in message
    assert wrong not in message and wrong not in repr(caught.value)
    assert any_es_node.password and any_es_node.password not in message


def test_credentials_in_the_url_are_used_and_never_shown(any_es_node: EsNode) -> None:
    assert any_es_node.password
    host = any_es_node.url.removeprefix("http://")
    with any_es_node.fresh_index() as index:
        backend = ElasticsearchStorage(f"http://marsad:{any_es_node.password}@{host}", index)
        try:
            assert backend.url == any_es_node.url
            assert backend.store(ARTICLES[:1]).created == 1
        finally:
            backend.close()
    with pytest.raises(StorageError) as caught:
        ElasticsearchStorage(f"http://marsad:wrong-secret-123@{host}", "marsad-never-created")
    assert "wrong-secret-123" not in str(caught.value) and any_es_node.url in str(caught.value)


def test_an_older_index_gets_the_new_fields_and_keeps_its_own(any_es_node: EsNode) -> None:
    """Opening an index made by an older Marsad adds the fields it lacks; fields it has keep their
    mapping (a 7.x index's `arabic` title stays as it is: changing an analyzer is refused)."""
    with any_es_node.fresh_index() as index:
        client = any_es_node.client()
        try:
            client.indices.create(index=index, mappings={"properties": {
                "title": {"type": "text", "analyzer": "simple"}, "url": {"type": "keyword"}}})
            any_es_node.storage(index).close()
            properties = client.indices.get_mapping(index=index)[index]["mappings"]["properties"]
        finally:
            client.close()
    assert properties["title"] == {"type": "text", "analyzer": "simple"}
    assert properties["story_id"] == {"type": "keyword"} and "body_terms" in properties


def nested(levels: int) -> str:
    """A query ``levels`` deep: words and OR groups inside each other."""
    query = "w0"
    for level in range(1, levels):
        query = f"(w{level} OR {query})" if level % 2 else f"w{level} {query}"
    return query


# Queries past what each engine runs, once the search limits (which refuse them first) are lifted:
# 11 NEARs of one word double the Elasticsearch query ten times (too many clauses); 120 levels of
# parentheses overflow the FTS5 parser's stack.
ENGINE_LIMITS = {"sqlite": nested(120), "elasticsearch": " NEAR/1 ".join(["مصر"] * 12)}


def test_a_query_the_engine_refuses_is_a_usage_error(storage: Storage, monkeypatch: pytest.MonkeyPatch) -> None:
    from indexer.search import plan

    for name in ("MAX_QUERY_CHARS", "MAX_WORDS", "MAX_NESTING", "MAX_NEAR_DEPTH", "MAX_CLAUSES"):
        monkeypatch.setattr(plan, name, 10**9)
    storage.store(ARTICLES)
    with pytest.raises(UsageError, match=r"is more than (Elasticsearch|the SQLite index) can run"):
        storage.search(SearchRequest(query=ENGINE_LIMITS[storage.name]))


def test_an_index_that_fails_is_a_storage_error(storage: Storage) -> None:
    storage.store(ARTICLES)
    if isinstance(storage, SqliteStorage):
        storage._db.execute("DROP TABLE article_entities")
    else:
        assert isinstance(storage, ElasticsearchStorage)
        storage._es.indices.delete(index=storage.concrete_index)  # the node refuses to delete an alias
    with pytest.raises(StorageError):
        storage.search(SearchRequest(query="أذربيجان", entities=("مصر",), facets=True))


@pytest.mark.parametrize("query", ["أذربيجان", "مصر NEAR/5 مصر", "أذربيجان -باكو", "=الوزير NEAR/2 باكو"])
def test_iter_matching_streams_exactly_the_matches(storage: Storage, query: str) -> None:
    """Backtests read every match, past any page size, in batches; inexact FTS5 candidates confirmed."""
    many = [article(100 + n, f"خبر {n} عن أذربيجان", "قالت مصر مصر إن الوزير زار باكو." if n % 3 else "نص آخر.",
                    days_ago=n % 40) for n in range(1_200)]
    storage.store(ARTICLES + many)
    since = NOW - timedelta(days=20)
    found = storage.iter_matching(query, since)
    assert iter(found) is found  # a generator: nothing is read before it is asked for
    urls = [a.canonical_url for a in found]
    matcher = RuleMatcher([Rule.from_query("q", query)])
    wanted = {a.canonical_url for a in ARTICLES + many
              if matcher.match_article(a) and a.published_at is not None and a.published_at >= since}
    assert len(urls) == len(set(urls)) and set(urls) == wanted and len(wanted) > 200
