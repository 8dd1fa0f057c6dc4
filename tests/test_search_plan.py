"""Search plans: hostile queries and requests are refused before any engine is asked."""

from __future__ import annotations

from datetime import datetime

import pytest

from core.errors import UsageError
from indexer.search.plan import (
    MAX_CLAUSES,
    MAX_NEAR_DEPTH,
    MAX_NESTING,
    MAX_QUERY_CHARS,
    MAX_WORDS,
    check_request,
    compile_plan,
    count_clauses,
)
from indexer.storage.base import SearchRequest

WORDS = ["chatgpt", "5g", "iphone", "android", "linux", "python", "rust", "java", "kotlin", "swift", "ruby", "perl"]


def nested(levels: int) -> str:
    """A query ``levels`` deep: words and OR groups inside each other."""
    query = "w0"
    for level in range(1, levels):
        query = f"(w{level} OR {query})" if level % 2 else f"w{level} {query}"
    return query


def test_nesting_counts_the_query_tree_not_its_parentheses() -> None:
    compile_plan("((((((((((((a -b))))))))))))")
    compile_plan(nested(MAX_NESTING))


def test_empty_query_matches_everything() -> None:
    plan = compile_plan("  ")
    assert plan.query is None and plan.es == {"match_all": {}} and plan.spans is not None


@pytest.mark.parametrize(
    ("query", "message"),
    [
        pytest.param("x" * (MAX_QUERY_CHARS + 1), "characters long", id="too-long"),
        pytest.param(" OR ".join(f"w{n}" for n in range(MAX_WORDS + 1)), f"at most {MAX_WORDS} are", id="words"),
        pytest.param(nested(MAX_NESTING + 1), "nests 11 levels", id="nesting"),
        pytest.param(" NEAR/2 ".join(WORDS[:MAX_NEAR_DEPTH + 2]), "chains 5 NEARs", id="near-chain"),
        pytest.param(" NEAR/1 ".join(["مصر"] * 200), "characters long", id="near-chain-of-200"),
        pytest.param(" NEAR/1 ".join(["x"] * 60), "chains 59 NEARs", id="near-chain-of-60"),
        pytest.param('"الذكاء', "unterminated", id="syntax"),
    ],
)
def test_limits_are_usage_errors(query: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        compile_plan(query)


def test_the_longest_allowed_near_chain_compiles_within_the_clause_limit() -> None:
    words = ["مصر", "أذربيجان", "تونس", "الأردن", "لبنان", "سوريا"]
    plan = compile_plan(" NEAR/2 ".join(words[:MAX_NEAR_DEPTH + 1]))
    assert count_clauses(plan.es) <= MAX_CLAUSES


def test_too_many_clauses_is_a_usage_error() -> None:
    """Few words, but NEARs of OR groups whose sides may overlap double at every level."""
    group = "(" + " OR ".join(["مصر", "تونس", "لبنان", "الأردن", "سوريا", "ليبيا"]) + ")"
    with pytest.raises(UsageError, match="Elasticsearch clauses"):
        compile_plan(" NEAR/2 ".join([group] * (MAX_NEAR_DEPTH + 1)))


def test_clause_count_counts_every_key_of_a_terms_query() -> None:
    dsl = {"bool": {"should": [{"terms": {"f": ["a", "b", "c"]}}, {"span_near": {"clauses": [
        {"span_term": {"f": "x"}}, {"span_term": {"f": "y"}}]}}, {"match_phrase": {"f": "p q"}}]}}
    assert count_clauses(dsl) == 6


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        pytest.param(SearchRequest(query="x", limit=0), "limit", id="limit-0"),
        pytest.param(SearchRequest(query="x", limit=101), "limit", id="limit-101"),
        pytest.param(SearchRequest(query="x", offset=9_990, limit=20), "first 10,000", id="deep-page"),
        pytest.param(SearchRequest(query="x", offset=-1), "first 10,000", id="negative-offset"),
        pytest.param(SearchRequest(query="x", sources=tuple(map(str, range(101)))), "sources", id="filters"),
        pytest.param(SearchRequest(query="x", since=datetime(2026, 1, 1)), "timezone-aware", id="naive"),
        pytest.param(SearchRequest(query="x", timezone="Mars/Olympus"), "unknown time zone", id="zone"),
    ],
)
def test_requests_beyond_the_limits_are_usage_errors(request_: SearchRequest, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        check_request(request_)


def test_a_valid_request_gives_its_time_zone() -> None:
    assert str(check_request(SearchRequest(query="x", timezone="Asia/Riyadh"))) == "Asia/Riyadh"
