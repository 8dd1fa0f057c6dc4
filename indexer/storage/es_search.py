"""Search requests for Elasticsearch (8.19, 9.x) and their answers as SearchResults.

One ``_search`` gives the page (``from``/``size``, collapsed on ``story_id`` when asked), the
exact total, and the aggregations asked for: facets as ``terms`` (ordered like SQLite's: count,
then value), the histogram as a ``date_histogram`` in the request's time zone (empty days
between the first and the last included), the number of stories as a ``cardinality`` (exact up
to ``STORY_PRECISION`` stories, an estimate above). A collapsed page's story sizes and other
sources come from a second, small request over the page's stories only. Highlights are made from
the returned articles by the matcher (:mod:`indexer.search.hits`), as on SQLite.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from elasticsearch import ApiError

from core.article import Article
from core.errors import UsageError
from indexer.search.hits import make_hit
from indexer.search.plan import SearchPlan
from indexer.storage.base import FACET_SIZE, SearchHit, SearchRequest, SearchResult

STORY_PRECISION = 40_000  # the cardinality aggregation's maximum precision_threshold
DATED = {"dated_at": {"order": "desc", "missing": "_last"}}
SORTS: dict[str, list[Any]] = {
    "relevance": [{"_score": "desc"}, DATED, {"canonical_url": "asc"}],
    "date": [DATED, {"canonical_url": "asc"}],
}
FACET_FIELDS = {"source": "source", "section": "section", "language": "language"}
ENTITY_FIELDS = ("entities.persons", "entities.organizations", "entities.locations")
# Errors whose cause is the query itself: a usage error, not a failing index.
QUERY_ERRORS = {"too_many_clauses", "too_many_nested_clauses", "query_shard_exception", "parsing_exception",
                "x_content_parse_exception", "illegal_argument_exception", "query_validation_exception"}


def query_of(plan: SearchPlan, request: SearchRequest) -> dict[str, Any]:
    """The request's query: the plan's DSL with the filters."""
    filters: list[dict[str, Any]] = []
    for field, values in (("source", request.sources), ("section", request.sections),
                          ("language", request.languages)):
        if values:
            filters.append({"terms": {field: list(values)}})
    if request.entities:
        filters.append({"bool": {"should": [{"terms": {field: list(request.entities)}} for field in ENTITY_FIELDS],
                                 "minimum_should_match": 1}})
    dates = {name: value.isoformat() for name, value in (("gte", request.since), ("lt", request.until)) if value}
    if dates:
        filters.append({"range": {"dated_at": dates}})
    return {"bool": {"must": [plan.es], "filter": filters}}


def search_body(plan: SearchPlan, request: SearchRequest) -> dict[str, Any]:
    """Keyword arguments of ``Elasticsearch.search`` for the page and the counts asked for."""
    body: dict[str, Any] = {
        "query": query_of(plan, request),
        "from_": request.offset,
        "size": request.limit,
        "track_total_hits": True,
        "sort": SORTS[request.sort],
        "source": {"includes": ["article"]},
    }
    aggs: dict[str, Any] = {}
    if request.collapse:
        body["collapse"] = {"field": "story_id"}
        aggs["stories"] = {"cardinality": {"field": "story_id", "precision_threshold": STORY_PRECISION}}
        aggs["storyless"] = {"missing": {"field": "story_id"}}
    if request.facets:
        for name, field in FACET_FIELDS.items():
            aggs[name] = {"terms": {"field": field, "size": FACET_SIZE}}
        for field in ENTITY_FIELDS:
            aggs[field] = {"terms": {"field": field, "size": FACET_SIZE}}
    if request.histogram:
        aggs["histogram"] = {"date_histogram": {"field": "dated_at", "calendar_interval": "day", "min_doc_count": 0,
                                                "time_zone": request.timezone, "format": "yyyy-MM-dd"}}
    if aggs:
        body["aggs"] = aggs
    return body


def split_bodies(plan: SearchPlan, request: SearchRequest) -> list[dict[str, Any]]:
    """When some matches have no ``story_id`` (an index written before stories), Elasticsearch
    would collapse them all into one group: the page is then merged from the first
    ``offset + limit`` stories and the first ``offset + limit`` story-less articles, each of
    these its own story. (Marsad's documents carry a story_id; older ones get it on reindexing.)"""
    bodies = []
    for has_story in (True, False):
        query = query_of(plan, request)
        clause = "filter" if has_story else "must_not"
        query["bool"][clause] = [*query["bool"].get(clause, []), {"exists": {"field": "story_id"}}]
        body: dict[str, Any] = {"query": query, "from_": 0, "size": request.offset + request.limit,
                                "track_total_hits": False, "sort": SORTS[request.sort],
                                "source": {"includes": ["article"]}}
        if has_story:
            body["collapse"] = {"field": "story_id"}
        bodies.append(body)
    return bodies


def merge_pages(request: SearchRequest, responses: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The page of the hits of :func:`split_bodies`' answers, merged by their sort values."""
    found = [hit for response in responses for hit in response["hits"]["hits"]]
    found.sort(key=lambda hit: _sort_key(request, hit["sort"]))
    return found[request.offset:request.offset + request.limit]


def _sort_key(request: SearchRequest, values: list[Any]) -> tuple[Any, ...]:
    """Sort values (descending score and date, ascending URL) as one ascending key."""
    if request.sort == "relevance":
        score, dated, url = values
        return -float(score), -int(dated), url
    dated, url = values
    return -int(dated), url


def storyless(response: dict[str, Any]) -> int:
    """Matches without a story_id (collapsed requests only)."""
    return int(response.get("aggregations", {}).get("storyless", {}).get("doc_count", 0))


def stories_body(plan: SearchPlan, request: SearchRequest, stories: list[str]) -> dict[str, Any]:
    """Keyword arguments of the request that counts the page's stories' matches per source."""
    query = query_of(plan, request)
    query["bool"]["filter"] = [*query["bool"]["filter"], {"terms": {"story_id": stories}}]
    return {"query": query, "size": 0, "aggs": {"stories": {
        "terms": {"field": "story_id", "size": len(stories)},
        "aggs": {"sources": {"terms": {"field": "source", "size": 1_000}}},
    }}}


def page_hits(plan: SearchPlan, response: dict[str, Any]) -> list[SearchHit]:
    hits = []
    for found in response["hits"]["hits"]:
        article = Article.from_dict(found["_source"]["article"])
        hit = make_hit(plan, article, float(found.get("_score") or 0.0))
        if hit is not None:  # the DSL and the matcher agree (test_search_parity); never shown unconfirmed
            hits.append(hit)
    return hits


def result_of(request: SearchRequest, response: dict[str, Any], hits: list[SearchHit]) -> SearchResult:
    aggregations = response.get("aggregations", {})
    result = SearchResult(total=int(response["hits"]["total"]["value"]), hits=hits)
    if request.collapse:
        result.stories = int(aggregations["stories"]["value"]) + storyless(response)
    if request.facets:
        result.facets = {name: _buckets(aggregations[name]) for name in FACET_FIELDS}
        result.facets["entity"] = _merged([_buckets(aggregations[field]) for field in ENTITY_FIELDS])
    if request.histogram:
        result.histogram = [(date.fromisoformat(bucket["key_as_string"]), int(bucket["doc_count"]))
                            for bucket in aggregations["histogram"]["buckets"]]
    return result


def add_story_counts(hits: list[SearchHit], response: dict[str, Any]) -> None:
    """Each hit's story size and the story's other sources, from :func:`stories_body`'s answer."""
    counts = {
        bucket["key"]: (int(bucket["doc_count"]), [source["key"] for source in bucket["sources"]["buckets"]])
        for bucket in response["aggregations"]["stories"]["buckets"]
    }
    for hit in hits:
        size, sources = counts.get(hit.article.story_id or "", (1, []))
        hit.story_size = size
        hit.story_sources = sorted(set(sources) - {hit.article.source})


def query_error(exc: ApiError, query: str) -> UsageError | None:
    """A UsageError when Elasticsearch refused the query itself (too many clauses, a query it
    cannot parse), None when the failure is the index's."""
    info = exc.info if isinstance(exc.info, dict) else {}
    error: dict[str, Any] = info["error"] if isinstance(info.get("error"), dict) else {}
    causes = [error, *error.get("root_cause", []), *(failure.get("reason", {}) for failure in
                                                    error.get("failed_shards", []))]
    kinds = {cause.get("type") for cause in causes if isinstance(cause, dict)}
    if exc.meta.status == 400 and kinds & QUERY_ERRORS:
        reason = next((cause.get("reason") for cause in causes if isinstance(cause, dict)
                       and cause.get("type") in QUERY_ERRORS), "")
        return UsageError(f"search query {query!r} is more than Elasticsearch can run: {reason}")
    return None


def _buckets(aggregation: dict[str, Any]) -> list[tuple[str, int]]:
    return [(str(bucket["key"]), int(bucket["doc_count"])) for bucket in aggregation["buckets"]]


def _merged(lists: list[list[tuple[str, int]]]) -> list[tuple[str, int]]:
    """One facet from several fields' terms: counts summed per value, most first, then by value."""
    counts: dict[str, int] = {}
    for buckets in lists:
        for value, count in buckets:
            counts[value] = counts.get(value, 0) + count
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:FACET_SIZE]
