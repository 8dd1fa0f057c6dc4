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

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from elasticsearch import (
    ApiError,
    AuthenticationException,
    AuthorizationException,
    Elasticsearch,
    NotFoundError,
    TransportError,
    helpers,
)
from elasticsearch import ConnectionError as EsConnectionError

from core.article import Article, is_doc_id
from core.errors import ConfigError, StorageError
from core.settings import Settings, split_credentials
from indexer.search.plan import SearchPlan, check_request, compile_plan
from indexer.storage.base import SearchRequest, SearchResult, StoreReport
from indexer.storage.es_index import ReindexReport, ensure_index, reindex
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
MGET_CHUNK = 1_000  # ids per _mget request


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
            # Busy (429) or briefly unavailable (502-504) answers are retried by the client with a backoff.
            self._es = Elasticsearch(self.url, request_timeout=timeout, max_retries=3, retry_on_timeout=True,
                                     retry_on_status=(429, 502, 503, 504), **auth)
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
        """The alias and its current versioned index (created with the template when missing)."""
        try:
            self.concrete_index = ensure_index(self._es, self.index)
            self._add_missing_fields()
        except ES_ERRORS as exc:
            raise self._fail(exc, f"preparing index {self.index}") from exc

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
            # One request per batch (the pipeline's batches are small) that also makes it searchable;
            # a 429 answer is retried with a backoff, 502-504 by the client itself.
            for ok, item in helpers.streaming_bulk(
                self._es, self._actions(articles), chunk_size=max(500, len(articles)), raise_on_error=False,
                max_retries=3, initial_backoff=1, refresh=True,
            ):
                result = item.get("index", {})
                if not ok:
                    failures.append(f"{result.get('_id')}: {result.get('error')}")
                elif result.get("result") == "created":
                    report.created += 1
                else:
                    report.updated += 1
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

    def get(self, doc_id: str) -> Article | None:
        """A GET on the alias (real time: an article just stored is found before a refresh)."""
        if not is_doc_id(doc_id):
            return None
        try:
            response = self._es.get(index=self.index, id=doc_id, source_includes=["article"])
        except NotFoundError as exc:
            if isinstance(exc.body, dict) and exc.body.get("found") is False:
                return None  # no such document; a missing index is an error, below
            raise self._fail(exc, f"reading article {doc_id}") from exc
        except ES_ERRORS as exc:
            raise self._fail(exc, f"reading article {doc_id}") from exc
        return Article.from_dict(response["_source"]["article"])

    def get_many(self, doc_ids: Iterable[str]) -> dict[str, Article]:
        """``_mget`` on the alias, MGET_CHUNK ids a request."""
        wanted = list(dict.fromkeys(doc_id for doc_id in doc_ids if is_doc_id(doc_id)))
        found: dict[str, Article] = {}
        for start in range(0, len(wanted), MGET_CHUNK):
            try:
                response = self._es.mget(index=self.index, ids=wanted[start:start + MGET_CHUNK],
                                         source_includes=["article"])
            except ES_ERRORS as exc:
                raise self._fail(exc, "reading articles by id") from exc
            for doc in response["docs"]:
                if "error" in doc:
                    raise StorageError(f"Elasticsearch at {self.url}: reading article {doc.get('_id')} failed: "
                                       f"{doc['error']}")
                if doc.get("found"):
                    found[doc["_id"]] = Article.from_dict(doc["_source"]["article"])
        return found

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

    def reindex(self, *, keep_old: bool = False, progress: Callable[[int], None] | None = None) -> ReindexReport:
        """Rebuild the index in the current layout next to the old one and swap the alias to it."""
        try:
            return reindex(self._es, self.index, keep_old=keep_old, progress=progress)
        except ES_ERRORS as exc:
            raise self._fail(exc, "reindexing") from exc
        except (LookupError, RuntimeError) as exc:
            raise StorageError(f"Elasticsearch at {self.url}: {exc}") from exc

    def close(self) -> None:
        self._es.close()
