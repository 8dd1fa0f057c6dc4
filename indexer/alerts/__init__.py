"""Alert rules: the query language, rule files, the matcher and the Elasticsearch translation."""

from __future__ import annotations

from indexer.alerts.es_query import to_es_query
from indexer.alerts.matcher import RuleMatch, RuleMatcher, try_query
from indexer.alerts.query import (
    And,
    Near,
    Not,
    Or,
    Phrase,
    Query,
    QuerySyntaxError,
    Term,
    parse_query,
    term_keys,
)
from indexer.alerts.rules import Rule, RuleConfigError, load_rules, parse_rules

__all__ = [
    "And",
    "Near",
    "Not",
    "Or",
    "Phrase",
    "Query",
    "QuerySyntaxError",
    "Rule",
    "RuleConfigError",
    "RuleMatch",
    "RuleMatcher",
    "Term",
    "load_rules",
    "parse_query",
    "parse_rules",
    "term_keys",
    "to_es_query",
    "try_query",
]
