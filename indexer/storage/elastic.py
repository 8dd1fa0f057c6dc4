"""Elasticsearch backend: bulk indexing with ids from the canonical URL, Arabic-aware search fields.

Each text field is indexed twice: with Marsad's own analyzer (pre-analyzed terms in ``*_terms``,
whitespace-tokenised, so alerts, SQLite and Elasticsearch agree) and with Elasticsearch's built-in
``arabic`` analyzer for people who query the index directly.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from elasticsearch import Elasticsearch, helpers
from elasticsearch.exceptions import ConnectionError as EsConnectionError
from elasticsearch.exceptions import TransportError

from core.article import Article
from core.errors import StorageError
from indexer.analysis import index_terms, norm_terms
from indexer.search.plan import compile_plan
from indexer.storage.base import SearchHit, SearchRequest, SearchResult, StoreReport
from indexer.storage.sqlite import dated_utc

KEYWORD = {"type": "keyword"}
TERMS = {"type": "text", "analyzer": "whitespace", "norms": False}
MAPPINGS: dict[str, Any] = {
    "dynamic": "strict",
    "properties": {
        "url": KEYWORD,
        "canonical_url": KEYWORD,
        "source": KEYWORD,
        "title": {"type": "text", "analyzer": "arabic"},
        "body": {"type": "text", "analyzer": "arabic"},
        "title_terms": TERMS,
        "body_terms": TERMS,
        "title_norm": TERMS,
        "body_norm": TERMS,
        "author": {"type": "text", "fields": {"raw": KEYWORD}},
        "published_at": {"type": "date"},
        "modified_at": {"type": "date"},
        "fetched_at": {"type": "date"},
        "dated_at": {"type": "date"},
        "language": KEYWORD,
        "section": KEYWORD,
        "tags": KEYWORD,
        "image": {"type": "keyword", "index": False},
        "entities": {
            "properties": {"persons": KEYWORD, "organizations": KEYWORD, "locations": KEYWORD}
        },
        "content_hash": KEYWORD,
        "fingerprint": KEYWORD,  # SimHash hex of the body
        "story_id": KEYWORD,  # syndicated copies share it (the lead copy's id)
        "dates_mentioned": KEYWORD,
        "confidence": {"type": "float"},
        "confidence_reasons": KEYWORD,
        "article": {"type": "object", "enabled": False},
    },
}


# The client's type hints only know "field:order" strings, which the server reads as a field name
# when they travel in the body; the object form is what the search API documents.
SORT_BY_SCORE_THEN_DATE: Any = [{"_score": "desc"}, {"dated_at": {"order": "desc", "missing": "_last"}}]


class ElasticsearchStorage:
    name = "elasticsearch"

    def __init__(self, url: str, index: str, timeout: float = 30.0) -> None:
        self.url = url
        self.index = index
        self._es = Elasticsearch(url, timeout=timeout, max_retries=2, retry_on_timeout=True)
        self._ensure_index()

    def _ensure_index(self) -> None:
        try:
            if not self._es.indices.exists(index=self.index):
                self._es.indices.create(
                    index=self.index,
                    mappings=MAPPINGS,
                    settings={"number_of_shards": 1, "number_of_replicas": 0},
                )
            else:  # an index created before a field was added gets it (adding fields is allowed)
                self._es.indices.put_mapping(index=self.index, body={"properties": MAPPINGS["properties"]})
        except EsConnectionError as exc:
            raise StorageError(f"Elasticsearch at {self.url} is unreachable: {exc}") from exc
        except TransportError as exc:
            if "resource_already_exists_exception" not in str(exc):
                raise StorageError(f"Elasticsearch at {self.url}: cannot create index {self.index}: {exc}") from exc

    def store(self, articles: Sequence[Article]) -> StoreReport:
        report = StoreReport()
        failures: list[str] = []
        try:
            for ok, item in helpers.streaming_bulk(
                self._es, self._actions(articles), raise_on_error=False, max_retries=3, initial_backoff=1
            ):
                result = item.get("index", {})
                if not ok:
                    failures.append(f"{result.get('_id')}: {result.get('error')}")
                elif result.get("result") == "created":
                    report.created += 1
                else:
                    report.updated += 1
            self._es.indices.refresh(index=self.index)
        except EsConnectionError as exc:
            raise StorageError(f"Elasticsearch at {self.url} is unreachable: {exc}") from exc
        except TransportError as exc:
            raise StorageError(f"Elasticsearch at {self.url}: bulk indexing failed: {exc}") from exc
        if failures:
            raise StorageError(f"Elasticsearch rejected {len(failures)} article(s): {'; '.join(failures[:3])}")
        return report

    def _actions(self, articles: Sequence[Article]) -> Iterator[dict[str, Any]]:
        for article in articles:
            yield {"_op_type": "index", "_index": self.index, "_id": article.doc_id, "_source": to_document(article)}

    def search(self, request: SearchRequest) -> SearchResult:
        plan = compile_plan(request.query)
        query = self._query(plan.es, request.sources, request.since)
        try:
            response = self._es.search(
                index=self.index,
                query=query,
                size=request.limit,
                track_total_hits=True,
                sort=SORT_BY_SCORE_THEN_DATE,
                _source=["article"],
            )
        except EsConnectionError as exc:
            raise StorageError(f"Elasticsearch at {self.url} is unreachable: {exc}") from exc
        except TransportError as exc:
            raise StorageError(f"Elasticsearch search failed: {exc}") from exc
        hits = [
            SearchHit(Article.from_dict(hit["_source"]["article"]), float(hit.get("_score") or 0.0))
            for hit in response["hits"]["hits"]
        ]
        return SearchResult(total=int(response["hits"]["total"]["value"]), hits=hits)

    def iter_matching(self, query: str, since: datetime | None = None, match: str = "inflected") -> Iterator[Article]:
        plan = compile_plan(query, match)
        try:
            for hit in helpers.scan(self._es, index=self.index, query={"query": self._query(plan.es, (), since)},
                                    _source=["article"]):
                yield Article.from_dict(hit["_source"]["article"])
        except (EsConnectionError, TransportError) as exc:
            raise StorageError(f"Elasticsearch at {self.url}: scan failed: {exc}") from exc

    @staticmethod
    def _query(match: dict[str, Any], sources: Sequence[str], since: datetime | None) -> dict[str, Any]:
        filters: list[dict[str, Any]] = []
        if sources:
            filters.append({"terms": {"source": list(sources)}})
        if since is not None:
            filters.append({"range": {"dated_at": {"gte": since.isoformat()}}})
        return {"bool": {"must": [match], "filter": filters}}

    def count(self) -> int:
        try:
            return int(self._es.count(index=self.index)["count"])
        except (EsConnectionError, TransportError) as exc:
            raise StorageError(f"Elasticsearch at {self.url}: count failed: {exc}") from exc

    def iter_articles(self) -> Iterator[Article]:
        try:
            for hit in helpers.scan(self._es, index=self.index, query={"query": {"match_all": {}}},
                                    _source=["article"]):
                yield Article.from_dict(hit["_source"]["article"])
        except (EsConnectionError, TransportError) as exc:
            raise StorageError(f"Elasticsearch at {self.url}: scan failed: {exc}") from exc

    def close(self) -> None:
        self._es.close()


def to_document(article: Article) -> dict[str, Any]:
    data = article.to_dict()
    return {
        **{key: data[key] for key in (
            "url", "canonical_url", "source", "title", "body", "author", "published_at", "modified_at",
            "fetched_at", "language", "section", "tags", "image", "entities", "content_hash", "fingerprint",
            "dates_mentioned", "story_id", "confidence", "confidence_reasons",
        )},
        "dated_at": dated_utc(article) or None,
        "title_terms": " ".join(index_terms(article.title)),
        "body_terms": " ".join(index_terms(article.body)),
        "title_norm": " ".join(norm_terms(article.title)),
        "body_norm": " ".join(norm_terms(article.body)),
        "article": data,
    }
