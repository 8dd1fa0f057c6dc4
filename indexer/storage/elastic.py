"""Elasticsearch backend: bulk indexing with ids from the canonical URL, Arabic-aware search fields.

Search uses Marsad's own analyzer: each text field's pre-analyzed terms are in ``*_terms`` and
``*_norm`` (whitespace-tokenised), so alerts, SQLite and Elasticsearch agree. ``title`` and ``body``
are also indexed with the ``standard`` analyzer for people who query the index directly (the
built-in ``arabic`` analyzer is not in every distribution and found half of the variant table's
forms; see BENCHMARKS.md).

Works with Elasticsearch 8.19 and 9.x (client 8.19, REST compatibility), security on: basic
authentication or an API key. Secrets never appear in messages; URLs are shown without userinfo.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from elasticsearch import (
    ApiError,
    AuthenticationException,
    AuthorizationException,
    BadRequestError,
    Elasticsearch,
    TransportError,
    helpers,
)
from elasticsearch import ConnectionError as EsConnectionError

from core.article import Article
from core.errors import ConfigError, StorageError
from core.settings import Settings, split_credentials
from indexer.search.plan import SearchPlan, check_request, compile_plan
from indexer.storage.base import SearchRequest, SearchResult, StoreReport
from indexer.storage.es_mapping import MAPPINGS, to_document
from indexer.storage.es_search import (
    add_story_counts,
    merge_pages,
    page_hits,
    query_error,
    query_of,
    result_of,
    search_body,
    split_bodies,
    stories_body,
    storyless,
)

# HTTP errors (ApiError), no answer (TransportError: connection, timeout) and failed shards in a scroll.
ES_ERRORS = (ApiError, TransportError, helpers.ScanError)


class ElasticsearchStorage:
    name = "elasticsearch"

    def __init__(
        self,
        url: str,
        index: str,
        timeout: float = 30.0,
        *,
        user: str | None = None,
        password: str | None = None,
        api_key: str | None = None,
    ) -> None:
        self.url, url_user, url_password = split_credentials(url)  # self.url is safe to show
        self.index = index
        user, password = user or url_user, password or url_password
        self._user = None if api_key else user
        self._secrets = tuple(secret for secret in (password, api_key) if secret)
        auth: dict[str, Any] = {}
        if api_key:
            auth["api_key"] = api_key
        elif user:
            auth["basic_auth"] = (user, password or "")
        try:
            self._es = Elasticsearch(self.url, request_timeout=timeout, max_retries=2, retry_on_timeout=True, **auth)
        except ValueError as exc:  # e.g. http:// without a port, which the client refuses
            raise ConfigError(f"Elasticsearch URL {self.url}: {exc}") from exc
        self._check_health()
        self._ensure_index()

    @classmethod
    def from_settings(cls, settings: Settings) -> ElasticsearchStorage:
        return cls(settings.es_url, settings.es_index, settings.es_timeout, user=settings.es_user,
                   password=settings.es_password, api_key=settings.es_api_key)

    def _fail(self, exc: Exception, doing: str) -> StorageError:
        """The StorageError for ``exc``: names the URL and the user, never a secret."""
        if isinstance(exc, AuthenticationException):
            if self._user:
                message = (f"Elasticsearch at {self.url} refused the credentials of user {self._user!r} "
                           "(HTTP 401): check MARSAD_ES_USER and MARSAD_ES_PASSWORD")
            elif self._secrets:
                message = f"Elasticsearch at {self.url} refused the API key (HTTP 401): check MARSAD_ES_API_KEY"
            else:
                message = (f"Elasticsearch at {self.url} requires credentials (HTTP 401): set MARSAD_ES_USER and "
                           "MARSAD_ES_PASSWORD, or MARSAD_ES_API_KEY")
        elif isinstance(exc, AuthorizationException):
            message = f"Elasticsearch at {self.url}: {doing} is not allowed for these credentials (HTTP 403): {exc}"
        elif isinstance(exc, EsConnectionError):
            message = f"Elasticsearch at {self.url} is unreachable: {exc}"
        else:
            message = f"Elasticsearch at {self.url}: {doing} failed: {exc}"
        for secret in self._secrets:
            message = message.replace(secret, "***")
        return StorageError(message)

    def _check_health(self) -> None:
        """Reachable and the credentials accepted: ``_cluster/health`` (``GET /`` may be refused)."""
        try:
            self._es.cluster.health()
        except AuthorizationException:
            pass  # authenticated; a least-privilege user may lack the cluster's `monitor` privilege
        except ES_ERRORS as exc:
            raise self._fail(exc, "health check") from exc

    def _ensure_index(self) -> None:
        try:
            if not self._es.indices.exists(index=self.index):
                self._es.indices.create(
                    index=self.index,
                    mappings=MAPPINGS,
                    settings={"number_of_shards": 1, "number_of_replicas": 0},
                )
            else:
                self._add_missing_fields()
        except BadRequestError as exc:
            if exc.error != "resource_already_exists_exception":
                raise self._fail(exc, f"creating index {self.index}") from exc
        except ES_ERRORS as exc:
            raise self._fail(exc, f"creating index {self.index}") from exc

    def _add_missing_fields(self) -> None:
        """An index created before a field was added gets it. Fields it has keep their mapping
        (an index made by an older Marsad keeps its ``arabic``-analyzed title and body)."""
        known: set[str] = set()
        for index_mapping in self._es.indices.get_mapping(index=self.index).body.values():
            known |= set(index_mapping["mappings"].get("properties", {}))
        missing = {name: field for name, field in MAPPINGS["properties"].items() if name not in known}
        if missing:
            self._es.indices.put_mapping(index=self.index, properties=missing)

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
        except ES_ERRORS as exc:
            raise self._fail(exc, "bulk indexing") from exc
        if failures:
            raise StorageError(f"Elasticsearch at {self.url} rejected {len(failures)} article(s): "
                               f"{'; '.join(failures[:3])}")
        return report

    def _actions(self, articles: Sequence[Article]) -> Iterator[dict[str, Any]]:
        for article in articles:
            yield {"_op_type": "index", "_index": self.index, "_id": article.doc_id, "_source": to_document(article)}

    def search(self, request: SearchRequest) -> SearchResult:
        check_request(request)
        plan = compile_plan(request.query)
        response = self._search(plan, request, search_body(plan, request))
        if request.collapse and storyless(response):
            pages = [self._search(plan, request, body) for body in split_bodies(plan, request)]
            response["hits"]["hits"] = merge_pages(request, pages)
        hits = page_hits(plan, response)
        if request.collapse and hits:
            stories = sorted({hit.article.story_id for hit in hits if hit.article.story_id})
            if stories:
                add_story_counts(hits, self._search(plan, request, stories_body(plan, request, stories)))
        return result_of(request, response, hits)

    def _search(self, plan: SearchPlan, request: SearchRequest, body: dict[str, Any]) -> dict[str, Any]:
        """One ``_search``; a refusal caused by the query is a UsageError, anything else a StorageError."""
        try:
            response: dict[str, Any] = self._es.search(index=self.index, **body).body
            return response
        except ApiError as exc:
            raise (query_error(exc, request.query) or self._fail(exc, "search")) from exc
        except ES_ERRORS as exc:
            raise self._fail(exc, "search") from exc

    def iter_matching(self, query: str, since: datetime | None = None, match: str = "inflected") -> Iterator[Article]:
        plan = compile_plan(query, match)
        request = SearchRequest(query=query, since=since)
        try:
            body = {"query": query_of(plan, request), "_source": ["article"]}
            for hit in helpers.scan(self._es, index=self.index, query=body):
                yield Article.from_dict(hit["_source"]["article"])
        except ApiError as exc:
            raise (query_error(exc, query) or self._fail(exc, "scan")) from exc
        except ES_ERRORS as exc:
            raise self._fail(exc, "scan") from exc

    def count(self) -> int:
        try:
            return int(self._es.count(index=self.index)["count"])
        except ES_ERRORS as exc:
            raise self._fail(exc, "count") from exc

    def iter_articles(self) -> Iterator[Article]:
        try:
            body = {"query": {"match_all": {}}, "_source": ["article"]}
            for hit in helpers.scan(self._es, index=self.index, query=body):
                yield Article.from_dict(hit["_source"]["article"])
        except ES_ERRORS as exc:
            raise self._fail(exc, "scan") from exc

    def close(self) -> None:
        self._es.close()
