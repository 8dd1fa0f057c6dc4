"""Turn a search request into what the backends run, after checking it against the limits.

A query in the rule language becomes a :class:`SearchPlan`: the parsed query, the Elasticsearch
DSL over the pre-analyzed fields (:mod:`indexer.alerts.es_query`) and the alert matcher, which
defines what the query means: both backends agree with it, and it marks the words to highlight.
SQLite's FTS5 expression depends on the index's vocabulary and is built by
:mod:`indexer.search.fts` at search time.

Everything that could make a backend slow or fail is checked here, before any engine is asked,
and refused with a :class:`UsageError` (exit 2) that says which limit and by how much.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.article import Article
from core.errors import UsageError
from indexer.alerts.es_query import to_es_query
from indexer.alerts.matcher import RuleMatcher
from indexer.alerts.query import Near, Not, Phrase, Query, QuerySyntaxError, Term
from indexer.alerts.rules import Rule
from indexer.storage.base import SearchRequest

MAX_QUERY_CHARS = 1_000  # a long alert rule is a few hundred characters
MAX_WORDS = 64  # words in the query, every word of a phrase counted
MAX_NESTING = 10  # levels of the parsed query: parentheses, AND/OR/exclusion, NEAR
MAX_NEAR_DEPTH = 4  # NEARs along one path of the query (a chain of 5 words): each may double the ES query
MAX_CLAUSES = 1_024  # leaf queries of the Elasticsearch query (its maxClauseCount is 1,024 or more)
MAX_PAGE = 100  # results per page
MAX_WINDOW = 10_000  # offset + limit: Elasticsearch's index.max_result_window
MAX_FILTER_VALUES = 100  # values of one filter (sources, sections, languages, entities)

_OFFSET = re.compile(r"([+-])(0\d|1[0-4]):([0-5]\d)")
Spans = dict[str, list[tuple[int, int]]]  # field name → character spans of the matched words


@dataclass(frozen=True)
class SearchPlan:
    text: str
    query: Query | None  # None: the empty query, every article
    es: dict[str, Any]
    matcher: RuleMatcher | None

    def spans(self, article: Article) -> Spans | None:
        """The words to highlight per field when the article matches, None when it does not."""
        if self.matcher is None:
            return {}
        found = self.matcher.match_article(article)
        return found[0].spans_by_field if found else None

    def matches(self, article: Article) -> bool:
        return self.spans(article) is not None


def compile_plan(text: str, match: str = "inflected") -> SearchPlan:
    """The plan of a query; "" (or blanks) matches every article. UsageError beyond the limits."""
    if len(text) > MAX_QUERY_CHARS:
        raise UsageError(f"search query is {len(text):,} characters long; at most {MAX_QUERY_CHARS:,} are allowed")
    if not text.strip():
        return SearchPlan(text=text, query=None, es={"match_all": {}}, matcher=None)
    try:
        rule = Rule.from_query("search", text, match=match)
    except QuerySyntaxError as exc:
        raise UsageError(f"search query {text!r}: {exc}") from exc
    check_query(rule.query, text)
    es = to_es_query(rule.query)
    clauses = count_clauses(es)
    if clauses > MAX_CLAUSES:
        raise UsageError(f"search query {shown(text)} expands to {clauses:,} Elasticsearch clauses; at most "
                         f"{MAX_CLAUSES:,} are allowed (fewer words, or fewer NEARs inside NEARs)")
    return SearchPlan(text=text, query=rule.query, es=es, matcher=RuleMatcher([rule]))


def check_query(query: Query, text: str) -> None:
    words = sum(1 for _ in _words(query))
    if words > MAX_WORDS:
        raise UsageError(f"search query {shown(text)} has {words} words; at most {MAX_WORDS} are allowed")
    near = near_depth(query)
    if near > MAX_NEAR_DEPTH:
        raise UsageError(f"search query {shown(text)} chains {near} NEARs (a NEAR inside a NEAR counts); at most "
                         f"{MAX_NEAR_DEPTH} are allowed, e.g. a NEAR/3 b NEAR/3 c NEAR/3 d NEAR/3 e")
    depth = nesting(query)
    if depth > MAX_NESTING:
        raise UsageError(f"search query {shown(text)} nests {depth} levels deep (OR groups, exclusions and NEARs "
                         f"inside each other); at most {MAX_NESTING} are allowed")


def shown(text: str, size: int = 60) -> str:
    """The query for a message: quoted, cut after ``size`` characters."""
    return repr(text if len(text) <= size else text[:size] + "…")


def check_request(request: SearchRequest) -> tzinfo:
    """Refuse a request beyond the limits; returns the histogram's time zone."""
    if not 1 <= request.limit <= MAX_PAGE:
        raise UsageError(f"limit must be between 1 and {MAX_PAGE}, not {request.limit}")
    if request.offset < 0 or request.offset + request.limit > MAX_WINDOW:
        raise UsageError(f"results beyond the first {MAX_WINDOW:,} cannot be paged to "
                         f"(offset {request.offset:,} + limit {request.limit}): narrow the search")
    for name in ("sources", "sections", "languages", "entities"):
        values = getattr(request, name)
        if len(values) > MAX_FILTER_VALUES:
            raise UsageError(f"at most {MAX_FILTER_VALUES} {name} can be asked for at once, not {len(values)}")
    for name in ("since", "until"):
        value = getattr(request, name)
        if value is not None and value.tzinfo is None:
            raise UsageError(f"{name} must be timezone-aware, got {value.isoformat()}")
    return time_zone(request.timezone)


def time_zone(name: str) -> tzinfo:
    """An IANA zone (``Asia/Riyadh``) or a fixed offset (``+03:00``), as both backends take them."""
    offset = _OFFSET.fullmatch(name)
    if offset:
        sign = -1 if offset.group(1) == "-" else 1
        return timezone(sign * timedelta(hours=int(offset.group(2)), minutes=int(offset.group(3))))
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(f"unknown time zone {name!r} (expected an IANA name like Asia/Riyadh, or +03:00)") from None


def _words(node: Query) -> list[Term]:
    if isinstance(node, Term):
        return [node]
    if isinstance(node, Phrase):
        return list(node.terms)
    if isinstance(node, Not):
        return _words(node.child)
    if isinstance(node, Near):
        return _words(node.left) + _words(node.right)
    return [word for child in node.children for word in _words(child)]


def nesting(node: Query) -> int:
    """Levels of the query tree: a word or a phrase is 1."""
    if isinstance(node, Term | Phrase):
        return 1
    if isinstance(node, Not):
        return 1 + nesting(node.child)
    if isinstance(node, Near):
        return 1 + max(nesting(node.left), nesting(node.right))
    return 1 + max(nesting(child) for child in node.children)


def near_depth(node: Query) -> int:
    """NEARs along the deepest path of the query tree (a chain of n words has n - 1)."""
    if isinstance(node, Term | Phrase):
        return 0
    if isinstance(node, Not):
        return near_depth(node.child)
    if isinstance(node, Near):
        return 1 + max(near_depth(node.left), near_depth(node.right))
    return max(near_depth(child) for child in node.children)


def count_clauses(dsl: Any) -> int:
    """Leaf queries in an Elasticsearch query (each term of a ``terms`` counted: an upper bound)."""
    if isinstance(dsl, list):
        return sum(count_clauses(item) for item in dsl)
    if not isinstance(dsl, dict):
        return 0
    total = 0
    for key, value in dsl.items():
        if key == "terms":
            total += sum(len(values) for values in value.values())
        elif key in ("term", "span_term", "match_phrase", "match_all"):
            total += 1
        else:
            total += count_clauses(value)
    return total
